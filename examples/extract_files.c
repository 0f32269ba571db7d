/* extract_files.c -- the smallest complete use of libeduextract.
 *
 *   extract_files RULES_DIR FILE...
 *
 * Loads the rules once, extracts each file, and prints one JSON record per
 * report (JSON Lines) on stdout and a count per file on stderr.  Build it
 * against an installed library with
 *
 *   cc extract_files.c $(pkg-config --cflags --libs eduextract)
 */
#include <stdio.h>

#include <eduextract.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s RULES_DIR FILE...\n", argv[0]);
        return 2;
    }
    edx_extractor *ex = NULL;
    char *diags = NULL;
    edx_status st = edx_extractor_new(argv[1], &ex, &diags);
    if (st != EDX_OK) {
        /* diags holds "file:line:col: error: ..." lines for bad rules. */
        fprintf(stderr, "%s: %s\n%s", argv[1], edx_strerror(st), diags ? diags : "");
        edx_free(diags);
        return 2;
    }
    int failed = 0;
    for (int i = 2; i < argc; i++) {
        edx_result *res = NULL;
        st = edx_extract_file(ex, argv[i], NULL, &res);
        if (!res) { /* only out of memory or a bad argument */
            fprintf(stderr, "%s: %s\n", argv[i], edx_strerror(st));
            failed = 1;
            continue;
        }
        if (edx_result_failed(res)) {
            /* The result still holds one error record naming the file. */
            fprintf(stderr, "%s\n", edx_result_error(res));
            failed = 1;
        }
        for (size_t r = 0; r < edx_result_count(res); r++) {
            char *json = edx_result_json(res, r, 0);
            if (json)
                puts(json);
            edx_free(json);
        }
        edx_counts c;
        edx_result_counts(res, &c);
        fprintf(stderr, "%s: %zu report(s), %zu figure(s), %zu heading(s)\n", argv[i],
                c.reports, c.figures, c.sections);
        edx_result_free(res);
    }
    edx_extractor_free(ex);
    return failed;
}
