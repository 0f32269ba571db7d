/* cli_main.c -- eduextract: the command-line tool around libeduextract. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static int check_rules(const char *dir)
{
    edx_extractor *ex = NULL;
    char *diags = NULL;
    edx_status st = edx_extractor_new(dir, &ex, &diags);
    if (st != EDX_OK) {
        if (diags && *diags)
            fputs(diags, stderr);
        else
            fprintf(stderr, "eduextract: %s: %s\n", dir, edx_strerror(st));
        edx_free(diags);
        return CLI_SOME_FAILED;
    }
    edx_extractor_free(ex);
    printf("%s: rules OK\n", dir);
    return CLI_OK;
}

int main(int argc, char **argv)
{
    cli_options opt;
    int rc = cli_parse_args(argc, argv, &opt);
    if (rc >= 0)
        return rc;
    if (opt.check_rules)
        return check_rules(opt.check_rules);

    const char *dir = cli_find_rules(opt.rules_dir);
    if (!dir) {
        fprintf(stderr, "eduextract: no rules directory found: use --rules DIR or set "
                        "EDUEXTRACT_RULES\n");
        return CLI_USAGE;
    }
    if (opt.print_rules_dir) {
        printf("%s\n", dir);
        return CLI_OK;
    }
    edx_extractor *ex = NULL;
    char *diags = NULL;
    edx_status st = edx_extractor_new(dir, &ex, &diags);
    if (st != EDX_OK) {
        if (diags && *diags)
            fputs(diags, stderr);
        fprintf(stderr, "eduextract: %s: %s\n", dir, edx_strerror(st));
        edx_free(diags);
        return CLI_USAGE;
    }
    /* A progress line would be torn by records written to the same terminal. */
    bool out_to_tty = (!opt.output || strcmp(opt.output, "-") == 0) && isatty(STDOUT_FILENO);
    opt.progress = !opt.quiet && isatty(STDERR_FILENO) && !out_to_tty;

    cli_inputs in;
    if (!cli_inputs_open(&in, &opt)) {
        cli_inputs_close(&in);
        edx_extractor_free(ex);
        return CLI_USAGE;
    }
    cli_writer w;
    if (!cli_writer_open(&w, &opt)) {
        cli_writer_close(&w, false);
        cli_inputs_close(&in);
        edx_extractor_free(ex);
        return CLI_SOME_FAILED;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cli_stats stats;
    bool ran = cli_run(ex, &opt, &in, &w, &stats);
    bool closed = cli_writer_close(&w, ran);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (opt.summary) {
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        fprintf(stderr,
                "files %zu, reports %zu, figures %zu, checks %zu, failures %zu, "
                "%.1f MB in %.3f s, %.1f MB/s\n",
                stats.files, stats.counts.reports, stats.counts.figures, stats.counts.checks,
                stats.failed_files, (double)stats.bytes / 1e6, secs,
                secs > 0 ? (double)stats.bytes / 1e6 / secs : 0.0);
    }
    cli_inputs_close(&in);
    edx_extractor_free(ex);
    if (!ran || !closed)
        return CLI_SOME_FAILED;
    return stats.failed_files ? CLI_SOME_FAILED : CLI_OK;
}
