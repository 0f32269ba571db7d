/* cli.h -- the eduextract command line: shared types of the cli_* files. */
#ifndef EDX_CLI_H
#define EDX_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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

/* The rules directory to use: --rules, $EDUEXTRACT_RULES, the installed data
 * dir, then the source tree next to the build tree.  NULL when none holds
 * indicators.conf. */
const char *cli_find_rules(const char *given);

/* ----- inputs ----- */

typedef struct cli_inputs {
    char **paths;   /* expanded list; "-" means stdin */
    size_t n, cap;
} cli_inputs;

/* Expand files, directories (recursively, matching glob) and --files-from
 * into a list in a stable order (directory entries sorted).  Paths that do
 * not exist are kept so that they get an error record. */
bool cli_expand_inputs(const cli_options *opt, cli_inputs *out);
void cli_inputs_free(cli_inputs *in);

/* ----- output ----- */

typedef struct cli_writer {
    FILE *fp;
    char *tmp_path;       /* when --output: written here, renamed at the end */
    const char *final_path;
    cli_format format;
    bool pretty;
    size_t records;       /* written so far (for JSON array commas) */
    bool failed;
} cli_writer;

bool cli_writer_open(cli_writer *w, const cli_options *opt);
/* Write every record of res. */
bool cli_writer_put(cli_writer *w, const edx_result *res);
/* Finish: close the array, flush, rename into place.  On failure the
 * temporary file is removed and nothing half-written is left. */
bool cli_writer_close(cli_writer *w, bool keep);

/* ----- running ----- */

typedef struct cli_stats {
    size_t files, failed_files, bytes;
    edx_counts counts;
} cli_stats;

/* Process all inputs with opt->jobs workers, writing in input order. */
bool cli_run(const edx_extractor *ex, const cli_options *opt, const cli_inputs *in,
             cli_writer *w, cli_stats *stats);

#endif
