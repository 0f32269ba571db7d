/* cli_inputs.c -- the stream of input paths: FILE|DIR|- arguments, then the
 * lines of --files-from, directories walked lazily in sorted order. */
#define _GNU_SOURCE /* O_PATH */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* A descriptor that only names a directory for lookups in it: O_PATH (Linux)
 * needs no read permission and opens nothing; elsewhere a plain open. */
#ifdef O_PATH
#define DIR_LOOKUP_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC)
#else
#define DIR_LOOKUP_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)
#endif

/* Directory nesting followed at most; deeper trees are not walked (a loop of
 * symlinks would otherwise never end). */
#define MAX_DIR_DEPTH 64

/* --glob, ready to test names against.  The usual pattern, '*' and then a
 * literal (the default "*.txt"), matches exactly the names that end with
 * that literal: with no flags, fnmatch()'s '*' matches any run of bytes
 * (a leading '.' too), and the CLI never calls setlocale(), so the "C"
 * locale matches byte by byte.  Any other pattern goes to fnmatch(). */
typedef struct name_test {
    const char *glob;
    const char *suffix;  /* the literal after a leading '*', or NULL */
    size_t suffix_len;
} name_test;

static name_test name_test_of(const char *glob)
{
    name_test t = {glob, NULL, 0};
    if (glob[0] == '*' && strpbrk(glob + 1, "*?[\\") == NULL) {
        t.suffix = glob + 1;
        t.suffix_len = strlen(t.suffix);
    }
    return t;
}

/* Whether name (len bytes) matches, as fnmatch(glob, name, 0) == 0 says. */
static bool name_matches(const name_test *t, const char *name, size_t len)
{
    if (t->suffix)
        return len >= t->suffix_len &&
               memcmp(name + len - t->suffix_len, t->suffix, t->suffix_len) == 0;
    return fnmatch(t->glob, name, 0) == 0;
}

/* A directory entry while the names are sorted: the first eight bytes of
 * its name as a big-endian number, zero after the NUL, so that nearly
 * every comparison is one integer compare.  Keys order as strcmp() orders
 * the names' first eight bytes (unsigned bytes, a shorter name first);
 * equal keys fall back to strcmp() of the whole names. */
typedef struct sort_ent {
    uint64_t key;
    size_t off;          /* the name, in the directory's block */
} sort_ent;

static uint64_t name_key(const char *name, size_t len)
{
    unsigned char b[8] = {0};
    memcpy(b, name, len < 8 ? len : 8);
    uint64_t k = 0;
    for (int i = 0; i < 8; i++)
        k = k << 8 | b[i];
    return k;
}

static bool ent_before(const sort_ent *a, const sort_ent *b, const char *block)
{
    if (a->key != b->key)
        return a->key < b->key;
    return strcmp(block + a->off, block + b->off) < 0;
}

/* Merge the sorted runs a[0..na) and b[0..nb) into out. */
static void merge_runs(const sort_ent *a, size_t na, const sort_ent *b, size_t nb, sort_ent *out,
                       const char *block)
{
    const sort_ent *ae = a + na, *be = b + nb;
    while (a < ae && b < be) {
        bool right = ent_before(b, a, block);
        *out++ = right ? *b : *a;
        b += right;
        a += !right;
    }
    memcpy(out, a, (size_t)(ae - a) * sizeof *a);
    memcpy(out + (ae - a), b, (size_t)(be - b) * sizeof *b);
}

/* Sort v[0..n) by name (tmp holds n entries): runs of a few entries by
 * insertion, then merged pairwise, back and forth between v and tmp, with
 * the comparison inlined where qsort() called back cmp_ent() and strcmp()
 * for each of its n log n comparisons.  The names of a directory are
 * distinct, so every correct sort gives qsort()'s order. */
static void sort_ents(sort_ent *v, sort_ent *tmp, size_t n, const char *block)
{
    enum { RUN = 8 };
    for (size_t s = 0; s < n; s += RUN) {
        size_t e = n - s < RUN ? n : s + RUN;
        for (size_t i = s + 1; i < e; i++) {
            sort_ent x = v[i];
            size_t j = i;
            for (; j > s && ent_before(&x, &v[j - 1], block); j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
    }
    sort_ent *from = v, *to = tmp;
    for (size_t w = RUN; w < n; w *= 2) {
        for (size_t s = 0; s < n; s += 2 * w) {
            size_t m = n - s < w ? n : s + w, e = n - s < 2 * w ? n : s + 2 * w;
            merge_runs(from + s, m - s, from + m, e - m, to + s, block);
        }
        sort_ent *t = from;
        from = to;
        to = t;
    }
    if (from != v)
        memcpy(v, from, n * sizeof *v);
}

/* Append len bytes to the block (*cap grows by doubling). */
static bool block_add(char **block, size_t *used, size_t *cap, const void *s, size_t len)
{
    if (*used + len > *cap) {
        size_t ncap = *cap ? *cap * 2 : 4096;
        while (ncap < *used + len)
            ncap *= 2;
        char *q = realloc(*block, ncap);
        if (!q)
            return false;
        *block = q;
        *cap = ncap;
    }
    if (len)
        memcpy(*block + *used, s, len);
    *used += len;
    return true;
}

/* Read a directory's entries (hidden ones skipped) sorted by name, into one
 * block that starts with the prefix of the entries' paths (the directory
 * and a '/') followed by the names: *block owns them all.  A regular file
 * (as readdir() tells it) that does not match glob is left out here, as
 * next_in_dirs() would skip it; any other entry may be a directory and is
 * kept.  An unreadable directory gives false with *unreadable set. */
static bool read_names(const char *dir, const name_test *glob, char **block, cli_dirent **ents,
                       size_t *count, bool *unreadable)
{
    *block = NULL;
    *ents = NULL;
    *count = 0;
    *unreadable = false;
    DIR *dp = opendir(dir);
    if (!dp) {
        *unreadable = true;
        return false;
    }
    size_t dl = strlen(dir), used = 0, cap = 0, n = 0, vcap = 0;
    char *b = NULL;
    sort_ent *v = NULL, *tmp = NULL;
    cli_dirent *e = NULL;
    bool slash = dl && dir[dl - 1] == '/';
    bool ok = block_add(&b, &used, &cap, dir, dl) && block_add(&b, &used, &cap, "/", !slash) &&
              block_add(&b, &used, &cap, "", 1);
    struct dirent *de;
    while (ok && (de = readdir(dp)) != NULL) {
        if (de->d_name[0] == '.')
            continue; /* ., .., and hidden files */
        size_t len = strlen(de->d_name);
        if (de->d_type == DT_REG && !name_matches(glob, de->d_name, len))
            continue;
        if (n == vcap) {
            size_t ncap = vcap ? vcap * 2 : 64;
            sort_ent *q = realloc(v, ncap * sizeof *q);
            if (!q) {
                ok = false;
                break;
            }
            v = q;
            vcap = ncap;
        }
        /* Each name (with its NUL) follows its d_type byte, read back by
         * offset once the entries are sorted. */
        v[n] = (sort_ent){name_key(de->d_name, len), used + 1};
        ok = block_add(&b, &used, &cap, &de->d_type, 1) &&
             block_add(&b, &used, &cap, de->d_name, len + 1);
        n += ok;
    }
    closedir(dp);
    tmp = ok ? malloc((n ? n : 1) * sizeof *tmp) : NULL;
    e = tmp ? malloc((n ? n : 1) * sizeof *e) : NULL;
    if (!e) {
        free(tmp);
        free(v);
        free(b);
        return false;
    }
    sort_ents(v, tmp, n, b);
    for (size_t i = 0; i < n; i++)
        e[i] = (cli_dirent){b + v[i].off, (unsigned char)b[v[i].off - 1]};
    free(tmp);
    free(v);
    *block = b;
    *ents = e;
    *count = n;
    return true;
}

/* Enter a directory.  An unreadable one is handed back as a path of its own,
 * so it gets an error record (*self: dir itself). */
static bool push_dir(cli_inputs *in, const char *dir, const char **self)
{
    *self = NULL;
    if (in->depth >= MAX_DIR_DEPTH)
        return true;
    char *block;
    cli_dirent *ents;
    size_t n;
    bool unreadable;
    name_test glob = name_test_of(in->opt->glob);
    if (!read_names(dir, &glob, &block, &ents, &n, &unreadable)) {
        if (!unreadable)
            return false;
        *self = dir;
        return true;
    }
    if (in->depth == in->stack_cap) {
        size_t cap = in->stack_cap ? in->stack_cap * 2 : 8;
        cli_dirframe *q = realloc(in->stack, cap * sizeof *q);
        if (!q) {
            free(ents);
            free(block);
            return false;
        }
        in->stack = q;
        in->stack_cap = cap;
    }
    in->stack[in->depth++] = (cli_dirframe){block, ents, n, 0};
    return true;
}

/* Forget the names read of in->dir_path (see listed_regular()). */
static void drop_listing(cli_inputs *in)
{
    free(in->dir_names);
    free(in->dir_slots);
    in->dir_names = NULL;
    in->dir_slots = NULL;
    in->dir_nslots = 0;
    in->dir_hits = 0;
    in->dir_listed = false;
}

/* The descriptor of the directory path[0..len) (len bytes, its '/'
 * included) that path's last name is in, to look that name up in, with
 * *name_at = len: in->dir_fd, opened anew when the directory differs from
 * the last one.  AT_FDCWD (and 0) when the directory cannot be opened: the
 * whole path is then looked up, and gives whatever error it gives.  A name
 * looked up in the directory's descriptor resolves as the whole path would
 * (the directory part is the same string, resolved once). */
static int dir_at(cli_inputs *in, const char *path, size_t len, size_t *name_at)
{
    *name_at = 0;
    if (in->dir_fd < 0 || len != in->dir_len || memcmp(path, in->dir_path, len) != 0) {
        char *dir = malloc(len + 1);
        if (!dir)
            return AT_FDCWD;
        memcpy(dir, path, len);
        dir[len] = '\0';
        int fd = open(dir, DIR_LOOKUP_FLAGS);
        if (fd < 0) {
            free(dir);
            return AT_FDCWD;
        }
        if (in->dir_fd >= 0)
            close(in->dir_fd);
        free(in->dir_path);
        drop_listing(in);
        in->dir_fd = fd;
        in->dir_path = dir;
        in->dir_len = len;
    }
    *name_at = len;
    return in->dir_fd;
}

/* dir_at() for the directory part of path, up to its last '/'; AT_FDCWD
 * (and 0) when the path has no directory part or ends with '/'. */
static int dir_of(cli_inputs *in, const char *path, size_t *name_at)
{
    *name_at = 0;
    const char *slash = strrchr(path, '/');
    if (!slash || slash[1] == '\0')
        return AT_FDCWD;
    return dir_at(in, path, (size_t)(slash - path) + 1, name_at);
}

/* Paths in a row in one directory before its entries are read, and the
 * largest directory read (its st_size, about 30 bytes an entry on ext4; and
 * at most LIST_MAX_NAMES bytes of names, whatever the file system says): a
 * list that names a file or two of a huge directory does not pay for
 * reading all of it. */
#define LIST_AFTER_HITS 8
#define LIST_MAX_DIR_BYTES ((off_t)1 << 20)
#define LIST_MAX_NAMES ((size_t)1 << 24)

/* A hash of the name s[0..len), for the table of listed names: a multiply
 * for each eight bytes (the last eight overlap the ones before; a shorter
 * name goes byte by byte), where FNV-1a took one for each byte.  Only
 * needs to spread names over the table's slots (each lookup compares the
 * whole name). */
static uint32_t name_hash(const char *s, size_t len)
{
    const uint64_t k = 0x9E3779B97F4A7C15u;
    uint64_t h = (len + 1) * k, w;
    if (len < 8) {
        for (size_t i = 0; i < len; i++)
            h = (h ^ (unsigned char)s[i]) * k;
    } else {
        for (size_t i = 0; i + 8 < len; i += 8) {
            memcpy(&w, s + i, 8);
            h = (h ^ w) * k;
        }
        memcpy(&w, s + len - 8, 8);
        h = (h ^ w) * k;
    }
    return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

/* Read the names of the regular files of in->dir_path (as readdir() tells
 * them) into in->dir_names, and their table.  False when the directory
 * cannot be read, is too large, or memory ran out. */
static bool list_regular(cli_inputs *in)
{
    struct stat sb;
    if (fstat(in->dir_fd, &sb) != 0 || sb.st_size > LIST_MAX_DIR_BYTES)
        return false;
    DIR *dp = opendir(in->dir_path);
    if (!dp)
        return false;
    char *names = NULL;
    size_t len = 0, cap = 0, n = 0;
    bool ok = true;
    struct dirent *de;
    while (ok && (de = readdir(dp)) != NULL) {
        if (de->d_type != DT_REG)
            continue;
        size_t l = strlen(de->d_name) + 1;
        if (len + l > cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            while (ncap < len + l)
                ncap *= 2;
            char *q = ncap <= LIST_MAX_NAMES ? realloc(names, ncap) : NULL;
            ok = q != NULL;
            names = q ? q : names;
            cap = q ? ncap : cap;
            if (!ok)
                break;
        }
        memcpy(names + len, de->d_name, l);
        len += l;
        n++;
    }
    closedir(dp);
    size_t nslots = 16;
    while (nslots < 2 * n)
        nslots *= 2;
    uint32_t *slots = ok ? calloc(nslots, sizeof *slots) : NULL;
    if (!slots) {
        free(names);
        return false;
    }
    for (size_t off = 0, l; off < len; off += l + 1) {
        l = strlen(names + off);
        size_t k = name_hash(names + off, l) & (nslots - 1);
        while (slots[k])
            k = (k + 1) & (nslots - 1);
        slots[k] = (uint32_t)off + 1;
    }
    in->dir_names = names;
    in->dir_slots = slots;
    in->dir_nslots = nslots;
    return true;
}

/* Whether name, in the directory of the last dir_of(), is an entry that
 * readdir() tells a regular file: then it is one, as stat() would say
 * (readdir() tells symbolic links as such; DT_UNKNOWN or a name not found,
 * such as a file made since, is looked up as before). */
static bool listed_regular(cli_inputs *in, const char *name)
{
    if (!in->dir_listed && ++in->dir_hits >= LIST_AFTER_HITS) {
        in->dir_listed = true;
        list_regular(in);
    }
    if (!in->dir_slots)
        return false;
    size_t mask = in->dir_nslots - 1;
    for (size_t k = name_hash(name, strlen(name)) & mask; in->dir_slots[k]; k = (k + 1) & mask)
        if (strcmp(in->dir_names + in->dir_slots[k] - 1, name) == 0)
            return true;
    return false;
}

/* Keep the size of the path about to be given, when sb (may be NULL) shows
 * a regular file. */
static void note_size(cli_inputs *in, const struct stat *sb)
{
    in->sized = sb && S_ISREG(sb->st_mode);
    in->regular = in->sized;
    in->size = in->sized ? (size_t)sb->st_size : 0;
}

/* A directory's frame holds its entries' names in the block f->dir, after
 * the prefix of their paths. */
static void frame_free(cli_dirframe *f)
{
    free(f->ents);
    free(f->dir);
    memset(f, 0, sizeof *f);
}

/* The path of an entry: its directory's prefix (pl bytes, with the '/')
 * and name, made in in->path (kept from one entry to the next: no
 * allocation per file).  NULL when memory ran out. */
static char *entry_path(cli_inputs *in, const char *prefix, size_t pl, const char *name)
{
    size_t nl = strlen(name);
    if (pl + nl + 1 > in->path_cap) {
        size_t cap = in->path_cap ? in->path_cap : 256;
        while (cap < pl + nl + 1)
            cap *= 2;
        char *q = realloc(in->path, cap);
        if (!q)
            return NULL;
        in->path = q;
        in->path_cap = cap;
    }
    memcpy(in->path, prefix, pl);
    memcpy(in->path + pl, name, nl + 1);
    return in->path;
}

/* The next matching file of the directories being walked, or NULL when
 * they are exhausted (in->depth == 0) or memory ran out (in->failed). */
static const char *next_in_dirs(cli_inputs *in)
{
    while (in->depth > 0) {
        cli_dirframe *f = &in->stack[in->depth - 1];
        if (f->next == f->n) {
            frame_free(f);
            in->depth--;
            continue;
        }
        cli_dirent e = f->ents[f->next++];
        size_t pl = strlen(f->dir);
        const char *p = entry_path(in, f->dir, pl, e.name);
        if (!p) {
            in->failed = true;
            return NULL;
        }
        /* An entry readdir() tells a regular file needs no stat(): stat()
         * follows symbolic links, but readdir() reports those as such
         * (DT_LNK), and the file is sized from its descriptor when read.
         * Any other entry is looked up as before. */
        struct stat sb;
        bool have_stat = e.type != DT_REG && stat(p, &sb) == 0;
        if (have_stat && S_ISDIR(sb.st_mode)) {
            const char *self;
            bool ok = push_dir(in, p, &self);
            if (!ok) {
                in->failed = true;
                return NULL;
            }
            if (self)
                return self;
            continue;
        }
        /* read_names() kept only the regular files that match. */
        name_test glob = name_test_of(in->opt->glob);
        if (e.type == DT_REG || name_matches(&glob, e.name, strlen(e.name))) {
            note_size(in, have_stat ? &sb : NULL);
            in->regular = in->regular || e.type == DT_REG;
            /* Names have no '/': the prefix is dir_of()'s directory part. */
            in->at_fd = dir_at(in, p, pl, &in->name_at);
            return p;
        }
    }
    return NULL;
}

/* One argument or list line: a directory starts a walk, anything else is
 * produced as given (arg itself: an argument, or the list's line buffer,
 * which the next line only overwrites). */
static const char *take_arg(cli_inputs *in, const char *arg)
{
    struct stat sb;
    size_t name_at = 0;
    int at = strcmp(arg, "-") != 0 ? dir_of(in, arg, &name_at) : AT_FDCWD;
    if (name_at && listed_regular(in, arg + name_at)) {
        /* Sized from its descriptor when read, as a directory walk's. */
        note_size(in, NULL);
        in->regular = true;
        in->at_fd = at;
        in->name_at = name_at;
        return arg;
    }
    bool have_stat = strcmp(arg, "-") != 0 && fstatat(at, arg + name_at, &sb, 0) == 0;
    if (have_stat && S_ISDIR(sb.st_mode)) {
        const char *self;
        if (!push_dir(in, arg, &self)) {
            in->failed = true;
            return NULL;
        }
        return self ? self : next_in_dirs(in);
    }
    note_size(in, have_stat ? &sb : NULL);
    in->at_fd = at;
    in->name_at = name_at;
    return arg;
}

bool cli_inputs_open(cli_inputs *in, const cli_options *opt)
{
    memset(in, 0, sizeof *in);
    in->opt = opt;
    in->dir_fd = -1;
    in->at_fd = AT_FDCWD;
    if (opt->files_from) {
        in->list = strcmp(opt->files_from, "-") == 0 ? stdin : fopen(opt->files_from, "r");
        if (!in->list) {
            fprintf(stderr, "eduextract: cannot open --files-from list '%s'\n", opt->files_from);
            in->failed = true;
            return false;
        }
    } else {
        in->list_done = true;
    }
    return true;
}

/* The list is read this many bytes at a time (at most). */
#define LIST_READ ((size_t)64 * 1024)

/* Read more of the list after the line that starts at in->list_at, which
 * moves to the front of in->list_buf.  read() on the list's descriptor:
 * nothing else reads the list's FILE (a "-" argument reads stdin to its
 * end before the list, as with getline()), and a read() gives the lines a
 * pipe has so far, where fread() would wait for a whole block.  False at
 * the end of the list, on a read error (in->list_error) or when memory
 * ran out (in->failed). */
static bool list_fill(cli_inputs *in)
{
    size_t keep = in->list_len - in->list_at;
    if (keep) /* else the buffer may be NULL yet */
        memmove(in->list_buf, in->list_buf + in->list_at, keep);
    in->list_at = 0;
    in->list_len = keep;
    /* Room for a read, and for the NUL after a last line without '\n'. */
    if (in->list_cap - keep < LIST_READ / 2 + 1) {
        size_t cap = in->list_cap ? in->list_cap * 2 : LIST_READ + 1;
        char *q = realloc(in->list_buf, cap);
        if (!q) {
            in->failed = true;
            return false;
        }
        in->list_buf = q;
        in->list_cap = cap;
    }
    ssize_t r;
    do
        r = read(fileno(in->list), in->list_buf + keep, in->list_cap - keep - 1);
    while (r < 0 && errno == EINTR);
    in->list_error = r < 0;
    if (r <= 0)
        return false;
    in->list_len += (size_t)r;
    return true;
}

/* The next line of the list, as getline() gives it but without its '\n':
 * NUL-terminated where it lies in in->list_buf, *n bytes (a NUL inside
 * counted, as getline() counts it); valid until the next call.  NULL at
 * the end of the list, on a read error or when memory ran out. */
static char *list_line(cli_inputs *in, size_t *n)
{
    for (;;) {
        size_t avail = in->list_len - in->list_at;
        char *s = avail ? in->list_buf + in->list_at : NULL;
        char *nl = avail ? memchr(s, '\n', avail) : NULL;
        if (nl) {
            *nl = '\0';
            *n = (size_t)(nl - s);
            in->list_at += *n + 1;
            return s;
        }
        if (!in->list_end && list_fill(in))
            continue;
        in->list_end = true;
        avail = in->list_len - in->list_at; /* moved by list_fill() */
        if (in->list_error || in->failed || avail == 0)
            return NULL;
        s = in->list_buf + in->list_at;
        /* The last line, without '\n' (list_fill() left room for its
         * NUL). */
        s[avail] = '\0';
        *n = avail;
        in->list_at = in->list_len;
        return s;
    }
}

const char *cli_inputs_next_lent(cli_inputs *in)
{
    in->at_fd = AT_FDCWD;
    in->name_at = 0;
    while (!in->failed) {
        const char *p = next_in_dirs(in);
        if (p || in->failed)
            return p;
        if (!in->args_done) {
            const cli_options *opt = in->opt;
            if (opt->ninputs == 0) {
                in->args_done = true;
                if (!opt->files_from)
                    return take_arg(in, "-"); /* no input at all: stdin */
                continue;
            }
            const char *arg = opt->inputs[in->arg++];
            if (in->arg == opt->ninputs)
                in->args_done = true;
            p = take_arg(in, arg);
            if (p || in->failed)
                return p;
            continue;
        }
        if (in->list_done)
            return NULL;
        size_t n;
        char *line = list_line(in, &n);
        if (!line) {
            if (in->list_error) {
                fprintf(stderr, "eduextract: cannot read the --files-from list\n");
                in->failed = true;
            }
            in->list_done = true;
            continue;
        }
        while (n > 0 && line[n - 1] == '\r')
            line[--n] = '\0';
        if (n == 0)
            continue;
        /* A list names files: a line "-" is a file of that name, not stdin
         * (which may be the list itself). */
        p = take_arg(in, strcmp(line, "-") == 0 ? "./-" : line);
        if (p || in->failed)
            return p;
    }
    return NULL;
}

char *cli_inputs_next(cli_inputs *in)
{
    const char *p = cli_inputs_next_lent(in);
    char *own = p ? strdup(p) : NULL;
    if (p && !own)
        in->failed = true;
    return own;
}

void cli_inputs_close(cli_inputs *in)
{
    while (in->depth > 0)
        frame_free(&in->stack[--in->depth]);
    free(in->stack);
    free(in->list_buf);
    free(in->path);
    if (in->dir_fd >= 0)
        close(in->dir_fd);
    free(in->dir_path);
    drop_listing(in);
    if (in->list && in->list != stdin)
        fclose(in->list);
    memset(in, 0, sizeof *in);
    in->dir_fd = -1; /* closed: a second close does nothing */
}

long cli_inputs_count(const cli_options *opt)
{
    if (opt->files_from && strcmp(opt->files_from, "-") == 0)
        return -1;
    cli_inputs in;
    if (!cli_inputs_open(&in, opt)) {
        cli_inputs_close(&in);
        return -1;
    }
    long n = 0;
    while (cli_inputs_next_lent(&in) != NULL)
        n++;
    bool failed = in.failed;
    cli_inputs_close(&in);
    return failed ? -1 : n;
}
