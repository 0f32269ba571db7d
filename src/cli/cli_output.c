/* cli_output.c -- JSONL, JSON and CSV rendering and writing; atomic --output
 * files (a temporary file next to the target, renamed when complete). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cli.h"

/* The temporary output file, for the signal handler: a batch interrupted by
 * Ctrl-C leaves neither a half-written target nor a stray temporary. */
static char *volatile pending_tmp;

static void on_fatal_signal(int sig)
{
    char *p = pending_tmp;
    if (p)
        unlink(p);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void watch_signals(bool on)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on ? on_fatal_signal : SIG_DFL;
        sigemptyset(&sa.sa_mask);
        struct sigaction old;
        /* A signal the caller ignores (nohup) stays ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

static bool put(cli_writer *w, const char *s, size_t n)
{
    if (!w->failed && n && fwrite(s, 1, n, w->fp) != n) {
        w->failed = true;
        w->err = errno;
    }
    return !w->failed;
}

bool cli_writer_open(cli_writer *w, const cli_options *opt)
{
    memset(w, 0, sizeof *w);
    w->format = opt->format;
    w->pretty = opt->pretty;
    if (opt->output && strcmp(opt->output, "-") != 0) {
        /* Write next to the target, so the final rename stays on one file
         * system and is atomic. */
        size_t len = strlen(opt->output) + 16;
        w->tmp_path = malloc(len);
        if (!w->tmp_path)
            return false;
        snprintf(w->tmp_path, len, "%s.tmpXXXXXX", opt->output);
        int fd = mkstemp(w->tmp_path);
        if (fd < 0) {
            fprintf(stderr, "eduextract: cannot create %s: %s\n", w->tmp_path, strerror(errno));
            free(w->tmp_path);
            w->tmp_path = NULL;
            return false;
        }
        /* mkstemp makes the file 0600; give it the mode a plain create
         * would (0666 less the umask). */
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(fd, 0666 & ~mask);
        pending_tmp = w->tmp_path;
        watch_signals(true);
        w->fp = fdopen(fd, "wb");
        if (!w->fp) {
            w->err = errno;
            close(fd);
            cli_writer_close(w, false);
            return false;
        }
        w->final_path = opt->output;
    } else {
        w->fp = stdout;
    }
    static char iobuf[1 << 16];
    setvbuf(w->fp, iobuf, _IOFBF, sizeof iobuf);
    if (w->format == FORMAT_JSON)
        put(w, "[", 1);
    if (w->format == FORMAT_CSV) {
        if (opt->csv_bom)
            put(w, "\xEF\xBB\xBF", 3);
        put(w, edx_csv_header(), strlen(edx_csv_header()));
    }
    return !w->failed;
}

/* An empty text with room for n parts: out->one for one (or none), else
 * an array.  False when memory ran out. */
static bool text_start(cli_text *out, size_t n)
{
    memset(out, 0, sizeof *out);
    if (n <= 1)
        return true;
    out->parts = calloc(n, sizeof *out->parts);
    return out->parts != NULL;
}

/* Append a part to a text made by text_start(). */
static void text_add(cli_text *out, const char *p, size_t len)
{
    cli_part *parts = out->parts ? out->parts : &out->one;
    parts[out->nparts++] = (cli_part){p, len};
    out->bytes += len;
}

bool cli_render_copy(const edx_result *res, cli_format format, bool pretty, cli_text *out)
{
    size_t n = format == FORMAT_CSV ? 1 : edx_result_count(res);
    if (!text_start(out, n))
        return false;
    for (size_t i = 0; i < n; i++) {
        char *t = format == FORMAT_CSV ? edx_result_csv(res)
                                       : edx_result_json(res, i, pretty ? EDX_JSON_PRETTY : 0);
        if (!t) {
            cli_text_free(out);
            return false;
        }
        text_add(out, t, strlen(t));
    }
    return true;
}

bool cli_render(edx_result *res, cli_format format, bool pretty, cli_text *out)
{
    if (format == FORMAT_CSV || pretty) {
        /* Texts made for the output: their own, and res is done with. */
        bool ok = cli_render_copy(res, format, pretty, out);
        edx_result_free(res);
        return ok;
    }
    size_t n = edx_result_count(res);
    if (!text_start(out, n)) {
        edx_result_free(res);
        return false;
    }
    /* Compact JSON is written as the library keeps it: no copy. */
    out->owner = res;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *t = edx_result_json_view(res, i, &len);
        text_add(out, t, len);
    }
    return true;
}

bool cli_render_taken(edx_result *one, cli_format format, bool pretty, cli_text *out)
{
    if (format == FORMAT_CSV || pretty)
        return cli_render_copy(one, format, pretty, out);
    size_t len;
    char *t = edx_result_json_take(one, 0, &len);
    text_start(out, 1); /* no array for one part: cannot fail */
    if (!t)
        return false;
    text_add(out, t, len);
    return true;
}

void cli_text_free(cli_text *t)
{
    if (t->owner) {
        edx_result_free(t->owner);
    } else {
        const cli_part *parts = cli_text_parts(t);
        for (size_t i = 0; i < t->nparts; i++)
            edx_free((char *)parts[i].p);
    }
    if (t->parts)
        free(t->parts);
    memset(t, 0, sizeof *t);
}

/* A slice of bytes to write (writev() does not change them). */
static struct iovec iov_of(const char *s, size_t n)
{
    return (struct iovec){.iov_base = (void *)s, .iov_len = n};
}

/* Write iov[0..n) in full with writev() after whatever stdio still holds
 * (flushed first, so the bytes stay in order): the record texts go from
 * where the library left them to the file, not copied into the stdio
 * buffer first.  The same bytes and the same errors as put() (a closed
 * pipe raises SIGPIPE in write() either way); n may be 0. */
static bool put_iov(cli_writer *w, struct iovec *iov, int n)
{
    if (w->failed || n == 0)
        return !w->failed;
    if (fflush(w->fp) != 0) {
        w->failed = true;
        w->err = errno;
        return false;
    }
    int fd = fileno(w->fp);
    while (n > 0) {
        ssize_t k = writev(fd, iov, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            w->failed = true;
            w->err = errno;
            return false;
        }
        /* A short write: drop what went out, go on with the rest. */
        size_t done = (size_t)k;
        while (n > 0 && done >= iov->iov_len) {
            done -= iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + done;
            iov->iov_len -= done;
        }
    }
    return true;
}

/* The separators around the next record's text in the writer's format
 * (empty slices for none): "\n" or ",\n" before each record of a JSON
 * array, "\n" after each JSONL line, nothing around CSV rows.  The record
 * is counted, for the JSON commas. */
static void record_separators(cli_writer *w, struct iovec *before, struct iovec *after)
{
    *before = w->format != FORMAT_JSON ? iov_of("", 0)
              : w->records             ? iov_of(",\n", 2)
                                       : iov_of("\n", 1);
    *after = w->format == FORMAT_JSONL ? iov_of("\n", 1) : iov_of("", 0);
    if (w->format != FORMAT_CSV)
        w->records++;
}

/* Write the slices gathered so far; the texts they point into stay held. */
static void write_gathered(cli_writer *w)
{
    put_iov(w, w->iov, w->niov);
    w->niov = 0;
}

bool cli_writer_flush(cli_writer *w)
{
    write_gathered(w);
    for (size_t i = 0; i < w->nheld; i++)
        cli_text_free(&w->held[i]);
    w->nheld = 0;
    w->held_bytes = 0;
    return !w->failed;
}

/* Records held at most, in bytes, before they are written: enough for some
 * dozens of report-sized files a writev(), little against the window of
 * cli_run.c. */
#define HOLD_BYTES ((size_t)256 * 1024)

bool cli_writer_put(cli_writer *w, cli_text *t)
{
    if (t->nparts == 0) {
        /* Nothing to write (run_serial's records went out one by one). */
        cli_text_free(t);
        return !w->failed;
    }
    if (w->nheld == CLI_HOLD_TEXTS)
        cli_writer_flush(w);
    cli_text *h = &w->held[w->nheld++];
    *h = *t;
    memset(t, 0, sizeof *t);
    w->held_bytes += h->bytes;
    /* Each part with the separators of the format (two or three slices
     * each), written whenever the slices run out. */
    const cli_part *parts = cli_text_parts(h);
    for (size_t i = 0; i < h->nparts && !w->failed; i++) {
        if (w->niov > CLI_HOLD_IOV - 3)
            write_gathered(w);
        struct iovec *iov = w->iov, before, after;
        int n = w->niov;
        record_separators(w, &before, &after);
        if (before.iov_len)
            iov[n++] = before;
        if (parts[i].len)
            iov[n++] = iov_of(parts[i].p, parts[i].len);
        if (after.iov_len)
            iov[n++] = after;
        w->niov = n;
    }
    if (w->held_bytes >= HOLD_BYTES || w->nheld == CLI_HOLD_TEXTS || w->failed)
        cli_writer_flush(w);
    return !w->failed;
}

bool cli_writer_close(cli_writer *w, bool keep)
{
    cli_writer_flush(w);
    bool ok = w->fp != NULL && !w->failed;
    if (w->fp) {
        if (w->format == FORMAT_JSON)
            put(w, w->records ? "\n]\n" : "]\n", w->records ? 3 : 2);
        if (fflush(w->fp) != 0 && !w->failed) {
            w->failed = true;
            w->err = errno;
        }
        ok = !w->failed && !ferror(w->fp);
    }
    if (w->tmp_path) {
        if (w->fp && fclose(w->fp) != 0 && ok) {
            ok = false;
            w->err = errno;
        }
        if (!ok)
            fprintf(stderr, "eduextract: cannot write %s: %s; it was not created\n",
                    w->final_path ? w->final_path : w->tmp_path, strerror(w->err));
        if (ok && keep && rename(w->tmp_path, w->final_path) != 0) {
            fprintf(stderr, "eduextract: cannot rename to %s: %s\n", w->final_path,
                    strerror(errno));
            ok = false;
        }
        if (!ok || !keep)
            unlink(w->tmp_path);
        pending_tmp = NULL;
        watch_signals(false);
        free(w->tmp_path);
        w->tmp_path = NULL;
    } else if (!ok && w->fp) {
        fprintf(stderr, "eduextract: cannot write the output: %s\n", strerror(w->err));
    }
    w->fp = NULL;
    return ok;
}
