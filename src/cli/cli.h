/* cli.h -- the eduextract command line: shared types of the cli_* files. */
#ifndef EDX_CLI_H
#define EDX_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/uio.h>

#include "eduextract.h"

typedef enum cli_format { FORMAT_JSONL = 0, FORMAT_JSON, FORMAT_CSV } cli_format;

typedef struct cli_options {
    const char *rules_dir;     /* NULL: search (cli_find_rules) */
    cli_format format;
    bool pretty;
    bool csv_bom;
    int jobs;                  /* 0: number of cores */
    const char *encoding;      /* NULL: auto */
    const char *output;        /* NULL: stdout */
    const char *glob;          /* for directories; default "*.txt" */
    const char *files_from;    /* a list of paths, "-" for stdin */
    size_t max_bytes;
    bool summary;
    bool quiet;
    bool progress;             /* decided from isatty(stderr) and --quiet */
    bool print_rules_dir;      /* --print-rules-dir */
    const char *check_rules;   /* --check-rules DIR */
    char **inputs;             /* FILE|DIR|- as given */
    size_t ninputs;
} cli_options;

/* Exit statuses. */
enum { CLI_OK = 0, CLI_SOME_FAILED = 1, CLI_USAGE = 2 };

/* Parse argv.  Returns -1 to go on, or an exit status (after --help,
 * --version, or a usage error already printed). */
int cli_parse_args(int argc, char **argv, cli_options *opt);
void cli_usage(FILE *fp);

/* The rules directory to use: --rules, $EDUEXTRACT_RULES, the installed
 * layout relative to the running binary (BINDIR/../share/eduextract/rules,
 * so a DESTDIR-staged or moved install uses its own rules), the compiled-in
 * PREFIX/share/eduextract/rules, then the source tree of a binary run from
 * its build tree.  NULL when none holds
 * indicators.conf. */
const char *cli_find_rules(const char *given);

/* ----- inputs ----- */

/* A stream of input paths: the command-line arguments in order (a directory
 * expands, recursively, to its files matching --glob in sorted order), then
 * the lines of --files-from.  Paths are produced one at a time, so memory
 * holds only the directories being walked, never the whole batch.  Paths
 * that do not exist are produced as given, so that they get an error record. */
typedef struct cli_dirent {
    char *name;
    unsigned char type;  /* readdir()'s d_type: DT_UNKNOWN when not told */
} cli_dirent;

typedef struct cli_dirframe {
    char *dir;       /* the directory, as it will prefix its entries */
    cli_dirent *ents; /* its entries, sorted by name */
    size_t n, next;
} cli_dirframe;

typedef struct cli_inputs {
    const cli_options *opt;
    size_t arg;            /* next command-line input */
    bool args_done;
    FILE *list;            /* --files-from while it is read */
    bool list_done;
    char *list_buf;        /* the list as read, lines from list_at to list_len */
    size_t list_cap, list_at, list_len;
    bool list_end;         /* read() gave 0 or failed */
    bool list_error;       /* ... failed */
    char *path;            /* the path of a directory's entry, made here */
    size_t path_cap;
    cli_dirframe *stack;   /* directories being walked, innermost last */
    size_t depth, stack_cap;
    bool failed;           /* out of memory or an unreadable list */
    /* The size of the path cli_inputs_next() gave last, when the stat that
     * told it from a directory found a regular file (sized): the batch's
     * byte count then needs no second lookup of the path, and the file is
     * read without an fstat().  Files that readdir() tells regular, of a
     * directory walk or named in a directory already listed (see dir_names
     * below), are not looked up at all (regular without sized): the fstat()
     * of their descriptor sizes them. */
    bool regular;
    bool sized;
    size_t size;
    /* The directory of the paths given last, opened once for all the paths
     * in it (a sorted list names the files of a directory one after the
     * other): a path's stat() and open() then look up its last name in it
     * instead of walking every directory of the path again. */
    int dir_fd;            /* -1 when none */
    char *dir_path;        /* its path, as it prefixes the paths, '/' included */
    size_t dir_len;
    /* The names of its regular files, read once a few arguments or list
     * lines in a row have named files in it, with a hash table of them: a
     * name readdir() tells a regular file is then not stat()ed at all (as
     * in a directory walk). */
    unsigned dir_hits;     /* paths in it so far */
    bool dir_listed;       /* dir_names was read (or could not be) */
    char *dir_names;       /* the names, each with its NUL, one after another */
    uint32_t *dir_slots;   /* open addressing: 0 free, else 1 + a name's offset */
    size_t dir_nslots;     /* a power of two */
    /* For the path cli_inputs_next() gave last: the descriptor of its
     * directory to openat() its name against, and where that name starts in
     * the path; valid until the next call.  AT_FDCWD and 0: the whole path. */
    int at_fd;
    size_t name_at;
} cli_inputs;

/* Start the stream.  False (with a message on stderr) when the --files-from
 * list cannot be opened. */
bool cli_inputs_open(cli_inputs *in, const cli_options *opt);
/* The next path, borrowed: valid until the next call (it is the argument,
 * the list's line or the walk's path buffer as they are: no copy per
 * file), or NULL at the end or on failure (then in->failed is set). */
const char *cli_inputs_next_lent(cli_inputs *in);
/* The same, newly allocated (the caller frees it). */
char *cli_inputs_next(cli_inputs *in);
void cli_inputs_close(cli_inputs *in);
/* How many paths the stream will give, by walking it once without keeping
 * anything; -1 when that cannot be known in advance (a list on stdin). */
long cli_inputs_count(const cli_options *opt);

/* ----- output ----- */

/* The rendered records of one input: one text per JSON record (no
 * separator, no newline), or all CSV rows in one text. */
typedef struct cli_part {
    const char *p;
    size_t len;
} cli_part;
typedef struct cli_text {
    cli_part *parts;      /* NULL when there is at most one part: it is in one
                           * (most inputs have one record: no array to
                           * allocate and free for it); cli_text_parts() */
    cli_part one;
    size_t nparts;
    size_t bytes;         /* their total length */
    edx_result *owner;    /* the parts are borrowed from it (compact JSON), or
                           * NULL: each part is its own, freed with edx_free() */
} cli_text;

/* The parts of t, wherever they are. */
static inline const cli_part *cli_text_parts(const cli_text *t)
{
    return t->parts ? t->parts : &t->one;
}

/* Texts held by the writer at most, and slices gathered for one writev()
 * (below the IOV_MAX of 1024 that Linux and the BSDs have). */
enum { CLI_HOLD_TEXTS = 64, CLI_HOLD_IOV = 512 };

typedef struct cli_writer {
    FILE *fp;
    char *tmp_path;       /* when --output: written here, renamed at the end */
    const char *final_path;
    cli_format format;
    bool pretty;
    size_t records;       /* written so far (for JSON array commas) */
    bool failed;
    int err;              /* errno of the first write error */
    /* The records of several inputs go out in one writev() (one system call
     * for some dozens of report-sized files, not one each): the texts given
     * to cli_writer_put() are held here, with the slices that point into
     * them, until cli_writer_flush(). */
    cli_text held[CLI_HOLD_TEXTS];
    size_t nheld, held_bytes;
    struct iovec iov[CLI_HOLD_IOV];
    int niov;
} cli_writer;

bool cli_writer_open(cli_writer *w, const cli_options *opt);

/* Render every record of res in the writer's format; the text takes res
 * (compact JSON is written from where the library keeps it) and frees it
 * with itself.  False when memory ran out (res is freed then too).
 * Thread-safe: workers render, the writer only writes. */
bool cli_render(edx_result *res, cli_format format, bool pretty, cli_text *out);
/* The same texts as cli_render(), each a copy of its own: res is only read
 * (a borrowed one-record result of edx_extract_*_each may be gone before
 * the text is written). */
bool cli_render_copy(const edx_result *res, cli_format format, bool pretty, cli_text *out);
/* The text of the one record of a borrowed result (edx_extract_*_each's
 * `one`), which is gone once the callback returns: compact JSON taken out
 * of it without a copy (edx_result_json_take), CSV and indented JSON made
 * as cli_render_copy() makes them.  False when memory ran out. */
bool cli_render_taken(edx_result *one, cli_format format, bool pretty, cli_text *out);
void cli_text_free(cli_text *t);
/* Write a text made by cli_render(), with the separators of the format,
 * after the texts before it.  The writer takes the text (*t is left empty)
 * and may hold it a while: cli_writer_flush() writes what it holds.  False
 * (and w->failed) on a write error, which may be an earlier text's. */
bool cli_writer_put(cli_writer *w, cli_text *t);
/* Write and free the texts the writer holds: before a message on stderr
 * that should follow them, and at the end (cli_writer_close() does it). */
bool cli_writer_flush(cli_writer *w);
/* Finish: close the array, flush, rename into place.  On failure, or when
 * keep is false, the temporary file is removed and nothing half-written is
 * left.  A fatal signal (SIGINT, SIGTERM, SIGHUP, SIGPIPE) meanwhile removes
 * it too. */
bool cli_writer_close(cli_writer *w, bool keep);

/* ----- running ----- */

typedef struct cli_stats {
    size_t files, failed_files, bytes;
    edx_counts counts;
} cli_stats;

/* The number of worker threads --jobs 0 means: the number of online cores. */
int cli_default_jobs(void);

/* Process the input stream with opt->jobs workers (1: no thread at all),
 * writing in input order; at most a small window of results is held at
 * once.  False when the output failed or memory ran out (the batch stops). */
bool cli_run(const edx_extractor *ex, const cli_options *opt, cli_inputs *in, cli_writer *w,
             cli_stats *stats);

#endif
