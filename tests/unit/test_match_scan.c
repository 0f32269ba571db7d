/* test_match_scan.c -- the matcher's block scans (SSE2 where built, byte
 * loops without) against answers known by construction, with the text
 * shifted against 16-byte blocks and the stretch scanned made longer, so
 * that every block offset, whole blocks and the masked last block are met.
 * The build without SSE2 runs the same cases through the byte loops. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "doc.h"
#include "match.h"
#include "rules.h"
#include "rx.h"

static rules *ru;
static rx_scratch scratch;

/* Match text as one report: its only figure's year, claim and name (a
 * copy, when name is not NULL); false when there is not exactly one. */
static bool only_figure(const char *text, int *year, int *cl, char **name)
{
    doc *d = doc_new("t.txt");
    report r;
    memset(&r, 0, sizeof r);
    d->work = strdup(text);
    d->work_len = strlen(text);
    r.extent.end = d->work_len;
    bool one = match_report(ru, &scratch, d, &r) && r.nfigures == 1;
    if (one) {
        *year = r.figures[0].year;
        *cl = (int)r.figures[0].claimed;
        if (name)
            *name = r.figures[0].name ? strdup(r.figures[0].name) : NULL;
    }
    report_clear(&r);
    doc_free(d);
    return one;
}

/* The year of the only figure of text, -1 when there is not exactly one. */
static int year_of(const char *text)
{
    int year, cl;
    return only_figure(text, &year, &cl, NULL) ? year : -1;
}

/* The year of "PAD LEAD FILLER,全县小学入学率为99.5%。" for pad blanks and
 * fill times 的工作 (nine bytes) between LEAD and the figure's clause. */
static int year_with(const char *lead, int pad, int fill)
{
    char text[1024];
    size_t n = 0;
    for (int k = 0; k < pad; k++)
        text[n++] = ' ';
    n += (size_t)snprintf(text + n, sizeof text - n, "%s", lead);
    for (int k = 0; k < fill; k++)
        n += (size_t)snprintf(text + n, sizeof text - n, "的工作");
    snprintf(text + n, sizeof text - n, ",全县小学入学率为99.5%%。");
    return year_of(text);
}

/* Every lead, shifted by 0..31 bytes, with 0..11 fillers: the year when
 * the lead states one, 0 when it only looks like one. */
static void match_should_find_the_year_at_every_offset(void)
{
    static const struct {
        const char *lead;
        int year;
    } CASES[] = {
        {"2021年", 2021},          {"2019年和2021年", 2021}, {"12021年", 0},
        {"3021年", 0},             {"1948年", 0},            {"2021年。", 0},
        {"2021年;2019", 0},        {"202年1", 0},            {"年2021", 0},
        {"2020年至2021年", 2021}, {"在2021年", 2021},       {"2021 年", 0},
    };
    int wrong = 0;
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++)
        for (int pad = 0; pad < 32; pad++)
            for (int fill = 0; fill < 12; fill++) {
                int y = year_with(CASES[c].lead, pad, fill);
                if (y != CASES[c].year) {
                    if (wrong++ < 5)
                        printf("#   %s pad %d fill %d: year %d\n", CASES[c].lead, pad, fill, y);
                }
            }
    CHECK(wrong == 0);
}

/* The name of the only figure of text (a copy), NULL when there is not
 * exactly one. */
static char *name_of(const char *text)
{
    int year, cl;
    char *name = NULL;
    return only_figure(text, &year, &cl, &name) ? name : NULL;
}

/* "PAD LEAD NAME为99.5%。" with NAME k characters of 甲丁乙 (two of them led
 * by E4) after a lead that ends the name run (，, a blank, U+4DC0 led by
 * E4 B7, or the text start), shifted by 0..31 bytes: the name is the run,
 * its last 24 characters when longer (the run's walk back goes by blocks
 * of characters, their count and offset met here in every combination). */
static void match_should_read_the_name_run_back_at_every_offset(void)
{
    static const char *const LEADS[] = {"，", " ", "䷀", ""};
    static const char *const CH[] = {"甲", "丁", "乙"};
    int wrong = 0;
    for (size_t l = 0; l < sizeof LEADS / sizeof LEADS[0]; l++)
        for (int pad = 0; pad < 32; pad++)
            for (int k = 1; k <= 30; k++) {
                char text[512], want[256];
                size_t n = 0, w = 0;
                for (int i = 0; i < pad; i++)
                    text[n++] = 'x';
                n += (size_t)snprintf(text + n, sizeof text - n, "%s", LEADS[l]);
                for (int i = 0; i < k; i++) {
                    n += (size_t)snprintf(text + n, sizeof text - n, "%s", CH[i % 3]);
                    if (i >= k - 24)
                        w += (size_t)snprintf(want + w, sizeof want - w, "%s", CH[i % 3]);
                }
                snprintf(text + n, sizeof text - n, "为99.5%%。");
                /* letters before the name belong to it (IEP覆盖率) unless a
                 * lead stands between */
                char *got = name_of(text);
                bool ok = got && (LEADS[l][0] || !pad ? strcmp(got, want) == 0
                                                      : strstr(got, want) != NULL);
                if (!ok && wrong++ < 5)
                    printf("#   lead \"%s\" pad %d k %d: \"%s\"\n", LEADS[l], pad, k,
                           got ? got : "(none)");
                free(got);
            }
    CHECK(wrong == 0);
}

/* The claim of the only figure of text, -1 when there is not exactly one. */
static int claim_of(const char *text)
{
    int year, cl;
    return only_figure(text, &year, &cl, NULL) ? cl : -1;
}

/* Every word of both claim lists closing the sentence of a figure, the
 * text shifted by 0..31 bytes and the word moved on by 0..5 fillers (的工作,
 * nine bytes): the claim is found (the sieve of claim_end_may(), by the
 * words' last bytes among others, keeps every position where one ends)
 * and is the same at every offset. */
static void match_should_see_every_claim_word_at_every_offset(void)
{
    const phrase_list *lists[2] = {&ru->claim_met, &ru->claim_not_met};
    int wrong = 0;
    for (int l = 0; l < 2; l++)
        for (size_t w = 0; w < lists[l]->n; w++) {
            int first = -1;
            for (int pad = 0; pad < 32; pad++)
                for (int fill = 0; fill < 6; fill++) {
                    char text[512];
                    size_t n = 0;
                    for (int k = 0; k < pad; k++)
                        text[n++] = ' ';
                    n += (size_t)snprintf(text + n, sizeof text - n, "全县小学入学率为99.5%%,");
                    for (int k = 0; k < fill; k++)
                        n += (size_t)snprintf(text + n, sizeof text - n, "的工作");
                    snprintf(text + n, sizeof text - n, "各校%s。", lists[l]->items[w]);
                    int cl = claim_of(text);
                    if (first < 0)
                        first = cl;
                    if ((cl != first || cl <= (int)CLAIM_NONE) && wrong++ < 5)
                        printf("#   %s pad %d fill %d: claim %d\n", lists[l]->items[w], pad,
                               fill, cl);
                }
        }
    CHECK(wrong == 0);
}

/* A redacted figure (a name, then a bare unit and no number) after 0..5
 * decoys that start with the unit's first character (平安, 平台: each
 * passes the scan's first tests and fails bare_tail, which the scan asks
 * too) or are the unit after no Chinese character ((平方米), also asked by
 * the scan), the text shifted by 0..31 bytes: the figure is found, named
 * 校园面积, at every offset. */
static void match_should_find_a_bare_unit_after_decoys_at_every_offset(void)
{
    static const char *const DECOYS[3] = {"平安,", "平台,", "(平方米),"};
    int wrong = 0;
    for (int pad = 0; pad < 32; pad++)
        for (int fill = 0; fill < 6; fill++) {
            char text[512];
            size_t n = 0;
            for (int k = 0; k < pad; k++)
                text[n++] = ' ';
            for (int k = 0; k < fill; k++)
                n += (size_t)snprintf(text + n, sizeof text - n, "%s", DECOYS[k % 3]);
            snprintf(text + n, sizeof text - n, "学校现有校园面积平方米,教学楼平整。");
            int year, cl;
            char *name = NULL;
            bool one = only_figure(text, &year, &cl, &name);
            if ((!one || !name || strcmp(name, "校园面积") != 0) && wrong++ < 5)
                printf("#   pad %d fill %d: %s\n", pad, fill, one && name ? name : "(not one)");
            free(name);
        }
    CHECK(wrong == 0);
}

int main(void)
{
    diag d = DIAG_INIT;
    ru = rules_load(EDX_TEST_RULES, &d);
    if (!ru || !rx_scratch_init(&scratch)) {
        printf("Bail out! rules: %s\n", d.text.data ? d.text.data : "out of memory");
        return 1;
    }
    diag_free(&d);
    RUN(match_should_find_the_year_at_every_offset);
    RUN(match_should_read_the_name_run_back_at_every_offset);
    RUN(match_should_see_every_claim_word_at_every_offset);
    RUN(match_should_find_a_bare_unit_after_decoys_at_every_offset);
    rx_scratch_free(&scratch);
    rules_free(ru);
    return check_done();
}
