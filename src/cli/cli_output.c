/* cli_output.c -- JSONL, JSON and CSV writers; atomic --output files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

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
        w->fp = fdopen(fd, "wb");
        if (!w->fp) {
            close(fd);
            unlink(w->tmp_path);
            free(w->tmp_path);
            w->tmp_path = NULL;
            return false;
        }
        w->final_path = opt->output;
    } else {
        w->fp = stdout;
    }
    if (w->format == FORMAT_JSON)
        fputs("[", w->fp);
    if (w->format == FORMAT_CSV) {
        if (opt->csv_bom)
            fputs("\xEF\xBB\xBF", w->fp);
        fputs(edx_csv_header(), w->fp);
    }
    return true;
}

bool cli_writer_put(cli_writer *w, const edx_result *res)
{
    if (w->format == FORMAT_CSV) {
        char *rows = edx_result_csv(res);
        if (!rows)
            return !(w->failed = true);
        fputs(rows, w->fp);
        edx_free(rows);
        return true;
    }
    int flags = w->pretty ? EDX_JSON_PRETTY : 0;
    for (size_t i = 0; i < edx_result_count(res); i++) {
        char *js = edx_result_json(res, i, flags);
        if (!js)
            return !(w->failed = true);
        if (w->format == FORMAT_JSON)
            fputs(w->records ? ",\n" : "\n", w->fp);
        fputs(js, w->fp);
        if (w->format == FORMAT_JSONL)
            fputc('\n', w->fp);
        edx_free(js);
        w->records++;
    }
    return true;
}

bool cli_writer_close(cli_writer *w, bool keep)
{
    if (!w->fp)
        return false;
    if (w->format == FORMAT_JSON)
        fputs(w->records ? "\n]\n" : "]\n", w->fp);
    bool ok = fflush(w->fp) == 0 && !ferror(w->fp) && !w->failed;
    if (w->tmp_path) {
        ok = fclose(w->fp) == 0 && ok;
        if (ok && keep) {
            if (rename(w->tmp_path, w->final_path) != 0) {
                fprintf(stderr, "eduextract: cannot rename to %s: %s\n", w->final_path,
                        strerror(errno));
                ok = false;
            }
        }
        if (!ok || !keep)
            unlink(w->tmp_path);
        free(w->tmp_path);
        w->tmp_path = NULL;
    }
    w->fp = NULL;
    return ok;
}
