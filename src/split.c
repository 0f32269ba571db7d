/* split.c -- reports in a file, and each report's metadata.
 *
 * First version: one report per file, titled by its first short line that
 * names a report type.  (Issue 3 brings multi-report splitting.) */
#include "split.h"

#include <stdlib.h>
#include <string.h>

static const char *const TITLE_WORDS[] = {"总结", "报告", "汇报", "材料", "公报", "总結",
                                          "報告", "匯報", NULL};

static bool has_title_word(const char *s, size_t n)
{
    for (const char *const *w = TITLE_WORDS; *w; w++) {
        size_t wl = strlen(*w);
        for (size_t i = 0; i + wl <= n; i++)
            if (memcmp(s + i, *w, wl) == 0)
                return true;
    }
    return false;
}

bool split_doc(doc *d)
{
    d->reports = calloc(1, sizeof *d->reports);
    if (!d->reports)
        return false;
    d->nreports = 1;
    d->reports[0].extent.start = 0;
    d->reports[0].extent.end = d->work_len;
    return true;
}

bool split_metadata(const doc *d, report *r)
{
    size_t pos = r->extent.start;
    /* The title: the first line of at most 60 bytes*3 that names a report type,
     * among the first few non-empty lines. */
    for (int lines = 0; pos < r->extent.end && lines < 8; lines++) {
        size_t eol = pos;
        while (eol < r->extent.end && d->work[eol] != '\n')
            eol++;
        size_t a = pos, b = eol;
        while (a < b && d->work[a] == ' ')
            a++;
        while (b > a && d->work[b - 1] == ' ')
            b--;
        if (b > a && b - a <= 180 && has_title_word(d->work + a, b - a)) {
            wspan t = {a, b};
            r->title = doc_orig_slice(d, t);
            return r->title != NULL;
        }
        if (b == a)
            lines--;
        pos = eol + 1;
    }
    return true;
}
