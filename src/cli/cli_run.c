/* cli_run.c -- process the inputs and write records in input order.
 *
 * First version: one input at a time.  (Issue 8 brings the worker pool.) */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

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

static edx_status extract_one(const edx_extractor *ex, const cli_options *opt, const char *path,
                              edx_result **res, size_t *bytes)
{
    edx_options eo = {opt->encoding, opt->max_bytes};
    if (strcmp(path, "-") == 0) {
        size_t len = 0;
        bool too_big;
        char *data = slurp_stdin(opt->max_bytes, &len, &too_big);
        if (!data)
            return EDX_ERR_NOMEM;
        *bytes = len;
        /* Over the limit: hand the size check to the library's error path. */
        edx_status st = edx_extract_buffer(ex, "-", data, too_big ? opt->max_bytes + 1 : len,
                                           &eo, res);
        free(data);
        return st;
    }
    struct stat sb;
    *bytes = stat(path, &sb) == 0 ? (size_t)sb.st_size : 0;
    return edx_extract_file(ex, path, &eo, res);
}

bool cli_run(const edx_extractor *ex, const cli_options *opt, const cli_inputs *in,
             cli_writer *w, cli_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    for (size_t i = 0; i < in->n; i++) {
        edx_result *res = NULL;
        size_t bytes = 0;
        edx_status st = extract_one(ex, opt, in->paths[i], &res, &bytes);
        if (!res) {
            fprintf(stderr, "eduextract: %s: %s\n", in->paths[i], edx_strerror(st));
            return false;
        }
        stats->files++;
        stats->bytes += bytes;
        if (edx_result_failed(res)) {
            stats->failed_files++;
            if (!opt->quiet)
                fprintf(stderr, "eduextract: %s: %s\n", in->paths[i], edx_strerror(st));
        }
        edx_counts c;
        edx_result_counts(res, &c);
        stats->counts.reports += c.reports;
        stats->counts.figures += c.figures;
        stats->counts.sections += c.sections;
        stats->counts.checks += c.checks;
        stats->counts.redacted += c.redacted;
        bool ok = cli_writer_put(w, res);
        edx_result_free(res);
        if (!ok)
            return false;
    }
    return true;
}
