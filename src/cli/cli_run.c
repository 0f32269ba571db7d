/* cli_run.c -- process the input stream and write records in input order.
 *
 * With --jobs N > 1, N worker threads share the one immutable extractor.
 * The main thread is the producer and the writer: it takes paths from the
 * input stream into a ring of slots, and writes the slots back in order as
 * they complete.  A worker claims the oldest queued slot, extracts and
 * renders it (so JSON printing runs in parallel too), and marks it done.
 *
 * Memory is bounded whatever the batch size: the ring has WINDOW_SLOTS
 * slots, and no new input is queued while the finished-but-unwritten text
 * exceeds WINDOW_BYTES.  The ring is wide so that one slow, large file does
 * not stall the other workers: they go on with the small files behind it.
 * The output is byte-identical to --jobs 1, which runs the same steps
 * without any thread, except that it writes each record as the library
 * makes it (edx_extract_*_each): a volume of thousands of reports is never
 * held whole.  The pool keeps a slot's records until the slot's turn comes
 * (the collecting calls), which is what keeps the output in input order. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "extract.h"

/* Inputs in flight at most (queued, being extracted, or done and waiting
 * for their turn to be written), and the rendered text that may wait.
 * While one large file holds the head of the ring, the others fill the ring
 * behind it: 128 report-sized files (some 1.8 MB of records) keep two to
 * eight workers busy for longer than a large file takes, and 256 added
 * 1.7 MB to the peak RSS of a batch with the 8 MB bench volume. */
#define WINDOW_SLOTS 128
#define WINDOW_BYTES ((size_t)16 * 1024 * 1024)

/* The writer sleeps until the next slot in order is done and, when more are
 * in flight, until this many slots after it are done too, then writes them
 * all.  Waking the writer for every file cost two context switches per file
 * (about 20 % more CPU than --jobs 1 on report-sized files); a batch makes
 * that a few per hundred files.  The output order does not change. */
#define WRITE_BATCH 32

/* The progress line appears only once a batch has run this long, and is
 * redrawn at most this often (seconds). */
#define PROGRESS_AFTER 1.0
#define PROGRESS_EVERY 0.2

typedef enum slot_state { SLOT_FREE = 0, SLOT_QUEUED, SLOT_DONE } slot_state;

typedef struct slot {
    const char *path;    /* path_copy, or (run_serial) the input stream's own,
                          * valid while the slot is processed */
    char *path_copy;     /* the pool's copy of the path (owned) */
    char *input;         /* stdin's bytes when path is "-", read in order by the
                          * main thread (owned) */
    size_t input_len;
    bool input_too_big;
    cli_text text;       /* rendered records, owned */
    size_t bytes;        /* size of the input (a regular file's as the input
                          * stream or the fstat() of its descriptor found it,
                          * else stdin's length, else 0) */
    bool regular;        /* the input stream found a regular file ... */
    bool sized;          /* ... and its size (bytes) with a stat() */
    int at_fd;           /* its directory's descriptor to open the name at */
    size_t name_at;      /* path + name_at (see cli_inputs), or AT_FDCWD, 0 */
    edx_status st;
    bool failed;         /* an error record */
    bool fatal;          /* no result at all (out of memory) */
    char *message;       /* the error record's message, owned */
    edx_counts counts;
    slot_state state;
} slot;

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work;   /* a slot was queued, or closing */
    pthread_cond_t done;   /* the slots the writer waits for are done */
    slot *slots;
    size_t nslots;
    size_t queued;         /* slots handed out so far (sequence numbers) */
    size_t claimed;        /* the next sequence number a worker takes */
    size_t waiting_bytes;  /* rendered text of done slots not yet written */
    bool writer_waiting;   /* the writer sleeps on done until slots want_first
                            * and want_last are done */
    size_t want_first, want_last;
    bool closing;
    bool abort;            /* the output failed: skip the rest */
    const edx_extractor *ex;
    const cli_options *opt;
} pool;

int cli_default_jobs(void)
{
    /* The cores this process may run on (taskset, cgroup cpusets), else the
     * cores online. */
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) {
        int c = CPU_COUNT(&set);
        return c > 256 ? 256 : c;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* Read all of stdin (bounded by max) into memory. */
static char *slurp_stdin(size_t max, size_t *len, bool *too_big)
{
    size_t cap = 65536, n = 0;
    char *p = malloc(cap);
    *too_big = false;
    while (p) {
        if (n == cap) {
            if (cap > max) {
                *too_big = true;
                break;
            }
            char *q = realloc(p, cap * 2);
            if (!q) {
                free(p);
                return NULL;
            }
            p = q;
            cap *= 2;
        }
        size_t r = fread(p + n, 1, cap - n, stdin);
        n += r;
        if (r == 0)
            break;
    }
    if (p && n > max)
        *too_big = true;
    *len = n;
    return p;
}

/* Read stdin for a "-" slot.  Done by the thread that takes inputs in order,
 * so that with several "-" the first one gets the data whatever --jobs is. */
static bool read_stdin_slot(const cli_options *opt, slot *s)
{
    if (strcmp(s->path, "-") != 0)
        return true;
    s->input = slurp_stdin(opt->max_bytes, &s->input_len, &s->input_too_big);
    return s->input != NULL;
}

/* A buffer a worker reads its files into, kept from one file to the next
 * (the library reads it where it lies and keeps nothing of it). */
typedef struct readbuf {
    char *p;
    size_t cap;
} readbuf;

/* Files from this size on are left to edx_extract_file(), which hands the
 * buffer it reads into to the document: a large file is then held once,
 * not also copied (peak memory), and the buffer kept stays small. */
#define READBUF_MAX ((size_t)1 << 20)

/* Whether a file of size bytes is read here (see READBUF_MAX; one over max
 * makes the library's error record). */
static bool fits(size_t size, size_t max)
{
    return size <= max && size < READBUF_MAX;
}

/* What the input stream's stat() found as a regular file's size (bytes):
 * the batch's byte count for a file that is not read here. */
static void size_by_stat(slot *s)
{
    struct stat sb;
    s->bytes = stat(s->path, &sb) == 0 && S_ISREG(sb.st_mode) ? (size_t)sb.st_size : 0;
}

/* The capacity of a read buffer before its first file: report-sized files
 * (a few KB) then fit the first read whole. */
#define READBUF_FIRST ((size_t)64 * 1024)

/* Make rb hold at least want bytes, keeping its first keep bytes (none:
 * no copy).  False when memory ran out (rb is then empty). */
static bool readbuf_reserve(readbuf *rb, size_t want, size_t keep)
{
    if (rb->cap >= want)
        return true;
    char *q = keep ? realloc(rb->p, want) : malloc(want);
    if (!q) {
        free(rb->p);
        *rb = (readbuf){NULL, 0};
        return false;
    }
    if (!keep)
        free(rb->p);
    *rb = (readbuf){q, want};
    return true;
}

/* read() into p (at most n bytes) but for EINTR: the bytes read, or -1. */
static ssize_t read_some(int fd, char *p, size_t n)
{
    ssize_t r;
    do
        r = read(fd, p, n);
    while (r < 0 && errno == EINTR);
    return r;
}

/* The first read of a file the input stream did not size, before any
 * fstat(): into the buffer as it is, at most max + 1 bytes.  True when it
 * came back short: that is the end of a regular file, and the file is
 * whole in rb (*n bytes, fewer than max + 1 and than the buffer, so under
 * READBUF_MAX too): its size needs no fstat().  False when it filled what
 * it asked for (*n bytes, the file may go on) or failed (*n = 0, *failed). */
static bool read_whole_at_once(int fd, size_t max, readbuf *rb, size_t *n, bool *failed)
{
    *n = 0;
    *failed = !readbuf_reserve(rb, READBUF_FIRST, 0);
    if (*failed)
        return false;
    size_t want = max < rb->cap ? max + 1 : rb->cap;
    ssize_t r = read_some(fd, rb->p, want);
    *failed = r < 0;
    *n = r > 0 ? (size_t)r : 0;
    return r >= 0 && (size_t)r < want;
}

/* Read the regular file s->path whole into rb, with as few system calls as
 * it takes: open, one read, close for a file the buffer holds.  A file the
 * input stream sized is read as its size plus one byte; one it did not
 * (a name readdir() told a regular file) is first read into the buffer as
 * it is (read_whole_at_once()), and only when that read fills it does an
 * fstat() tell its size.  A short read is the end of a regular file: no
 * second read to see 0; a read that fills the extra byte means the file
 * grew.  False, with rb unchanged but maybe larger, for a file that cannot
 * be opened or read, is not regular after all, is over max or READBUF_MAX,
 * or grew: edx_extract_file() then reads the path itself and makes the
 * record or error record it always made (s->bytes is then what the input
 * stream's stat() would have said: for a file over max, only max + 1 bytes
 * were read of it here). */
static bool read_regular(slot *s, size_t max, readbuf *rb, size_t *len)
{
    if (s->sized && !fits(s->bytes, max))
        return false;
    int fd = openat(s->at_fd, s->path + s->name_at, O_RDONLY);
    if (fd < 0) {
        if (!s->sized)
            size_by_stat(s);
        return false;
    }
    bool ok = true;
    size_t n = 0;
    if (!s->sized) {
        bool failed;
        if (read_whole_at_once(fd, max, rb, &n, &failed)) {
            close(fd);
            s->bytes = n;
            *len = n;
            rb->p[n] = '\0'; /* for edx_extract_lent() */
            return true;
        }
        /* Filled, or failed: the size (and the regular file) as before. */
        struct stat sb;
        ok = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
        s->bytes = ok ? (size_t)sb.st_size : 0;
        if (ok && (uintmax_t)sb.st_size > SIZE_MAX - 1)
            ok = false;
        ok = ok && !failed;
    }
    size_t size = s->bytes, want = size + 1;
    if (ok && !fits(size, max))
        ok = false;
    ok = ok && n < want && readbuf_reserve(rb, want, n);
    while (ok && n < want && !(n == size && n > 0)) {
        ssize_t r = read_some(fd, rb->p + n, want - n);
        if (r <= 0) {
            ok = r == 0;
            break;
        }
        n += (size_t)r;
    }
    close(fd);
    *len = n;
    ok = ok && n < want;
    if (ok)
        rb->p[n] = '\0'; /* for edx_extract_lent() */
    return ok;
}

/* Where extract_one() sends the records of an input: one at a time to fn
 * (run_serial), or all into *res (the pool: they wait there for the
 * slot's turn). */
typedef struct records_to {
    edx_record_fn fn;
    void *user;
    edx_result **res;
} records_to;

static edx_status extract_buffer_to(const edx_extractor *ex, const char *path, const void *data,
                                    size_t len, const edx_options *eo, const records_to *to)
{
    return to->fn ? edx_extract_buffer_each(ex, path, data, len, eo, to->fn, to->user)
                  : edx_extract_buffer(ex, path, data, len, eo, to->res);
}

/* extract_buffer_to() for a buffer with a NUL at data[len] that stays as
 * it is during the call: lent to the library, which reads the text where
 * it lies instead of copying it. */
static edx_status extract_lent_to(const edx_extractor *ex, const char *path, const char *data,
                                  size_t len, const edx_options *eo, const records_to *to)
{
    return edx_extract_lent(ex, path, data, len, eo, to->fn, to->user, to->fn ? NULL : to->res);
}

static edx_status extract_file_to(const edx_extractor *ex, const char *path,
                                  const edx_options *eo, const records_to *to)
{
    return to->fn ? edx_extract_file_each(ex, path, eo, to->fn, to->user)
                  : edx_extract_file(ex, path, eo, to->res);
}

static edx_status extract_one(const edx_extractor *ex, const cli_options *opt, slot *s,
                              readbuf *rb, const records_to *to)
{
    edx_options eo = {opt->encoding, opt->max_bytes};
    size_t max = opt->max_bytes ? opt->max_bytes : EDX_DEFAULT_MAX_BYTES;
    if (s->regular) {
        /* The same bytes as edx_extract_file() reads, and the same record
         * (the library reads them in rb, where it reads the buffer it
         * reads a file into). */
        size_t len;
        return read_regular(s, max, rb, &len) ? extract_lent_to(ex, s->path, rb->p, len, &eo, to)
                                              : extract_file_to(ex, s->path, &eo, to);
    }
    if (s->input) {
        s->bytes = s->input_len;
        /* Over the limit: the library's size check makes the error record
         * (it looks at the length only, not at the bytes). */
        edx_status st = extract_buffer_to(
            ex, "-", s->input, s->input_too_big ? opt->max_bytes + 1 : s->input_len, &eo, to);
        free(s->input);
        s->input = NULL;
        return st;
    }
    return extract_file_to(ex, s->path, &eo, to);
}

/* Extract and render the input of one slot.  Runs in a worker. */
static void process_slot(const edx_extractor *ex, const cli_options *opt, slot *s, readbuf *rb)
{
    edx_result *res = NULL;
    s->st = extract_one(ex, opt, s, rb, &(records_to){.res = &res});
    if (!res) {
        s->fatal = true;
        return;
    }
    s->failed = edx_result_failed(res) != 0;
    if (s->failed) {
        const char *m = edx_result_error(res);
        s->message = m ? strdup(m) : NULL;
    }
    edx_result_counts(res, &s->counts);
    if (!cli_render(res, opt->format, opt->pretty, &s->text))
        s->fatal = true;
}

static void slot_clear(slot *s)
{
    if (s->path_copy)
        free(s->path_copy);
    /* Mostly NULL (a file's slot has no input of its own, a good one no
     * message): free(NULL) is still a call. */
    if (s->input)
        free(s->input);
    cli_text_free(&s->text);
    if (s->message)
        free(s->message);
    memset(s, 0, sizeof *s);
}

/* Whether the writer, waiting for its batch, should wake (under the lock).
 * A batch that holds more rendered text than the window allows wakes it at
 * once, so memory stays bounded. */
static bool writer_may_go(const pool *p)
{
    return p->slots[p->want_first % p->nslots].state == SLOT_DONE &&
           (p->slots[p->want_last % p->nslots].state == SLOT_DONE ||
            p->waiting_bytes > WINDOW_BYTES);
}

static void *worker(void *arg)
{
    pool *p = arg;
    readbuf rb = {NULL, 0};
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->claimed == p->queued && !p->closing)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->claimed == p->queued)
            break;
        slot *s = &p->slots[p->claimed++ % p->nslots];
        bool skip = p->abort;
        pthread_mutex_unlock(&p->mu);
        if (!skip)
            process_slot(p->ex, p->opt, s, &rb);
        pthread_mutex_lock(&p->mu);
        s->state = SLOT_DONE;
        p->waiting_bytes += s->text.bytes;
        if (p->writer_waiting && writer_may_go(p))
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    free(rb.p);
    return NULL;
}

/* ----- progress on stderr ----- */

typedef struct progress {
    bool on, shown;
    long total;            /* -1: unknown */
    struct timespec t0;
    double last;
} progress;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress_draw(progress *pg, const cli_stats *st, bool force)
{
    if (!pg->on)
        return;
    double t = since(&pg->t0);
    if (t < PROGRESS_AFTER || (!force && t - pg->last < PROGRESS_EVERY))
        return;
    pg->last = t;
    pg->shown = true;
    double mb = (double)st->bytes / 1e6;
    if (pg->total > 0) {
        enum { WIDTH = 24 };
        double f = (double)st->files / (double)pg->total;
        int fill = (int)(f * WIDTH);
        char bar[WIDTH + 1];
        for (int i = 0; i < WIDTH; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[WIDTH] = '\0';
        fprintf(stderr, "\r\033[K%3d%% [%s] %zu/%ld files, %.1f MB, %.1f MB/s", (int)(f * 100),
                bar, st->files, pg->total, mb, mb / t);
    } else {
        fprintf(stderr, "\r\033[K%zu files, %.1f MB, %.1f MB/s", st->files, mb, mb / t);
    }
    fflush(stderr);
}

static void progress_clear(progress *pg)
{
    if (pg->shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        pg->shown = false;
    }
}

static void counts_add(edx_counts *to, const edx_counts *c)
{
    to->reports += c->reports;
    to->figures += c->figures;
    to->sections += c->sections;
    to->checks += c->checks;
    to->redacted += c->redacted;
}

/* Account for a finished slot, report a failure, and write its records. */
static bool finish_slot(const cli_options *opt, slot *s, cli_writer *w, cli_stats *stats,
                        progress *pg)
{
    if (s->fatal) {
        cli_writer_flush(w);
        progress_clear(pg);
        fprintf(stderr, "eduextract: %s: %s\n", s->path, edx_strerror(EDX_ERR_NOMEM));
        return false;
    }
    stats->files++;
    stats->bytes += s->bytes;
    counts_add(&stats->counts, &s->counts);
    if (s->failed) {
        stats->failed_files++;
        if (!opt->quiet) {
            /* The message follows the records of the inputs before. */
            cli_writer_flush(w);
            progress_clear(pg);
            if (s->message)
                fprintf(stderr, "eduextract: %s\n", s->message);
            else
                fprintf(stderr, "eduextract: %s: %s\n", s->path, edx_strerror(s->st));
        }
    }
    bool ok = cli_writer_put(w, &s->text);
    progress_draw(pg, stats, false);
    return ok;
}

/* run_serial's slot as its records come (the callback's user data). */
typedef struct streamed {
    const cli_options *opt;
    slot *s;
    cli_writer *w;
    size_t records;      /* handed out so far */
    bool nomem;          /* a record could not be rendered */
} streamed;

/* Write a record as it comes, all but an error record: that one is the
 * input's last, and waits in the slot's text for finish_slot() to say the
 * input failed on stderr before it is written, as the pool does. */
static int write_record(void *user, edx_result *one)
{
    streamed *c = user;
    slot *s = c->s;
    c->records++;
    edx_counts k;
    edx_result_counts(one, &k);
    counts_add(&s->counts, &k);
    if (edx_result_failed(one)) {
        s->failed = true;
        const char *m = edx_result_error(one);
        free(s->message);
        s->message = m ? strdup(m) : NULL;
        c->nomem = !cli_render_copy(one, c->opt->format, c->opt->pretty, &s->text);
        return c->nomem;
    }
    /* Held by the writer with the texts before it and written with them
     * (one writev() for dozens of files), without a copy. */
    cli_text t;
    if (!cli_render_taken(one, c->opt->format, c->opt->pretty, &t)) {
        c->nomem = true;
        return 1;
    }
    return !cli_writer_put(c->w, &t);
}

/* Extract the input of a slot, writing its records as they come. */
static void stream_slot(const edx_extractor *ex, const cli_options *opt, slot *s, readbuf *rb,
                        cli_writer *w)
{
    streamed c = {.opt = opt, .s = s, .w = w};
    s->st = extract_one(ex, opt, s, rb, &(records_to){.fn = write_record, .user = &c});
    /* No record at all: memory ran out before the library could make one
     * (the pool's "no result"), or rendering one failed.  A write error
     * (EDX_ERR_STOPPED with w->failed) is finish_slot()'s to report. */
    if ((s->st == EDX_ERR_NOMEM && c.records == 0) || c.nomem)
        s->fatal = true;
}

static bool run_serial(const edx_extractor *ex, const cli_options *opt, cli_inputs *in,
                       cli_writer *w, cli_stats *stats, progress *pg)
{
    const char *path;
    readbuf rb = {NULL, 0};
    bool ok = true;
    /* The slot is done before the stream moves on: its path is borrowed. */
    while (ok && (path = cli_inputs_next_lent(in)) != NULL) {
        slot s;
        memset(&s, 0, sizeof s);
        s.path = path;
        s.bytes = in->size;
        s.regular = in->regular;
        s.sized = in->sized;
        /* Its directory's descriptor is still open, too. */
        s.at_fd = in->at_fd;
        s.name_at = in->name_at;
        if (read_stdin_slot(opt, &s))
            stream_slot(ex, opt, &s, &rb, w);
        else
            s.fatal = true;
        ok = finish_slot(opt, &s, w, stats, pg);
        slot_clear(&s);
    }
    free(rb.p);
    return ok && !in->failed;
}

static bool run_pool(const edx_extractor *ex, const cli_options *opt, cli_inputs *in,
                     cli_writer *w, cli_stats *stats, progress *pg, int jobs)
{
    pool p;
    memset(&p, 0, sizeof p);
    p.ex = ex;
    p.opt = opt;
    p.nslots = WINDOW_SLOTS > (size_t)jobs * 4 ? WINDOW_SLOTS : (size_t)jobs * 4;
    p.slots = calloc(p.nslots, sizeof *p.slots);
    pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
    if (!p.slots || !threads) {
        free(p.slots);
        free(threads);
        fprintf(stderr, "eduextract: %s\n", edx_strerror(EDX_ERR_NOMEM));
        return false;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.work, NULL);
    pthread_cond_init(&p.done, NULL);
    int started = 0;
    while (started < jobs && pthread_create(&threads[started], NULL, worker, &p) == 0)
        started++;
    bool ok = started > 0;
    if (!ok)
        fprintf(stderr, "eduextract: cannot start worker threads\n");

    size_t written = 0;
    bool inputs_done = !ok;
    while (ok) {
        /* Fill the window.  Only this thread touches free slots, and the
         * slot is complete before the lock publishes it. */
        while (!inputs_done && p.queued - written < p.nslots) {
            pthread_mutex_lock(&p.mu);
            bool full = p.waiting_bytes > WINDOW_BYTES;
            pthread_mutex_unlock(&p.mu);
            if (full && p.queued > written)
                break;
            char *path = cli_inputs_next(in);
            if (!path) {
                inputs_done = true;
                ok = !in->failed;
                break;
            }
            slot *s = &p.slots[p.queued % p.nslots];
            s->path = s->path_copy = path;
            s->bytes = in->size;
            s->regular = in->regular;
            s->sized = in->sized;
            /* The stream moves on before a worker opens the file, and may
             * close the directory meanwhile: the whole path is opened. */
            s->at_fd = AT_FDCWD;
            s->name_at = 0;
            s->state = SLOT_QUEUED;
            if (!read_stdin_slot(opt, s)) {
                slot_clear(s);
                fprintf(stderr, "eduextract: -: %s\n", edx_strerror(EDX_ERR_NOMEM));
                ok = false;
                break;
            }
            pthread_mutex_lock(&p.mu);
            p.queued++;
            pthread_cond_signal(&p.work);
            pthread_mutex_unlock(&p.mu);
        }
        if (!ok || written == p.queued)
            break;
        slot *s = &p.slots[written % p.nslots];
        pthread_mutex_lock(&p.mu);
        if (s->state != SLOT_DONE) {
            size_t last = written + WRITE_BATCH - 1;
            p.want_first = written;
            p.want_last = last < p.queued ? last : p.queued - 1;
            p.writer_waiting = true;
            while (!writer_may_go(&p))
                pthread_cond_wait(&p.done, &p.mu);
            p.writer_waiting = false;
        }
        pthread_mutex_unlock(&p.mu);
        size_t bytes = s->text.bytes; /* the writer takes the text */
        ok = finish_slot(opt, s, w, stats, pg);
        pthread_mutex_lock(&p.mu);
        p.waiting_bytes -= bytes;
        pthread_mutex_unlock(&p.mu);
        slot_clear(s);
        written++;
    }

    pthread_mutex_lock(&p.mu);
    p.closing = true;
    p.abort = !ok;
    pthread_cond_broadcast(&p.work);
    pthread_mutex_unlock(&p.mu);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    /* After a failure, slots still queued or done are dropped unwritten. */
    for (size_t i = 0; i < p.nslots; i++)
        slot_clear(&p.slots[i]);
    pthread_cond_destroy(&p.done);
    pthread_cond_destroy(&p.work);
    pthread_mutex_destroy(&p.mu);
    free(p.slots);
    free(threads);
    return ok;
}

bool cli_run(const edx_extractor *ex, const cli_options *opt, cli_inputs *in, cli_writer *w,
             cli_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    progress pg;
    memset(&pg, 0, sizeof pg);
    pg.on = opt->progress;
    pg.total = pg.on ? cli_inputs_count(opt) : -1;
    clock_gettime(CLOCK_MONOTONIC, &pg.t0);
    int jobs = opt->jobs > 0 ? opt->jobs : cli_default_jobs();
    bool ok = jobs == 1 ? run_serial(ex, opt, in, w, stats, &pg)
                        : run_pool(ex, opt, in, w, stats, &pg, jobs);
    progress_clear(&pg);
    return ok;
}
