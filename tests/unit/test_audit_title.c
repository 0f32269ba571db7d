/* test_audit_title.c -- a report type is told from its title as strstr()
 * of each title word tells it, also where the SSE2 filter of
 * check_missing() (title_may_name_a_type()) looks first: each word at
 * every byte offset around its sixteen-byte steps, after characters that
 * pass part of the filter (中 E4 B8 AD, 万 E4 B8 87 all of it, 器 E5 99 A8),
 * titles without any word, and a word cut by the title's 511-byte limit.
 * A report without figures misses both cores of its type: two checks when
 * the title names the type, none otherwise. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "check.h"
#include "doc.h"

/* The missing_core_indicator checks of a figureless report titled title
 * (its text the title too). */
static size_t missing_cores(const char *title)
{
    doc *d = doc_new("title.txt");
    report r;
    memset(&r, 0, sizeof r);
    d->work = strdup(title);
    d->work_len = strlen(title);
    r.extent.start = 0;
    r.extent.end = d->work_len;
    r.title = strdup(title);
    size_t n = 0;
    if (audit_report(NULL, d, &r))
        for (size_t k = 0; k < r.nchecks; k++)
            n += strcmp(r.checks[k].code, "missing_core_indicator") == 0;
    report_clear(&r);
    doc_free(d);
    return n;
}

static const char *const WORDS[] = {"均衡", "普九", "两基", "普及义务教育", "控辍"};
static const char *const FILLERS[] = {"中", "万", "器", "的", "普", "两", "均"};

static void audit_title_should_name_a_type_at_every_offset(void)
{
    char title[600];
    size_t compared = 0;
    for (size_t w = 0; w < sizeof WORDS / sizeof WORDS[0]; w++)
        for (size_t f = 0; f < sizeof FILLERS / sizeof FILLERS[0]; f++)
            for (size_t shift = 0; shift < 3; shift++)
                for (size_t chars = 0; chars < 24; chars++) {
                    size_t len = 0;
                    for (size_t k = 0; k < shift; k++)
                        title[len++] = '1';
                    for (size_t k = 0; k < chars; k++) {
                        memcpy(title + len, FILLERS[f], 3);
                        len += 3;
                    }
                    size_t wl = strlen(WORDS[w]);
                    memcpy(title + len, WORDS[w], wl);
                    len += wl;
                    memcpy(title + len, "报告", sizeof "报告");
                    CHECK(missing_cores(title) == 2);
                    /* Without the word: fillers alone name no type. */
                    title[len - wl] = '\0';
                    CHECK(missing_cores(title) == 0);
                    compared += 2;
                }
    CHECK(compared > 2000);
}

static void audit_title_should_be_cut_where_snprintf_would(void)
{
    /* A title longer than 511 bytes is read up to there: a word that ends
     * by then names the type, one cut by the limit does not. */
    char title[700];
    for (size_t end = 505; end < 520; end++) {
        size_t wl = strlen("均衡"), len = 0;
        while (len + wl < end)
            title[len++] = 'a';
        memcpy(title + len, "均衡", wl);
        len += wl;
        memcpy(title + len, "发展报告", sizeof "发展报告");
        CHECK(missing_cores(title) == (end <= 511 ? 2u : 0u));
    }
}

int main(void)
{
    RUN(audit_title_should_name_a_type_at_every_offset);
    RUN(audit_title_should_be_cut_where_snprintf_would);
    return check_done();
}
