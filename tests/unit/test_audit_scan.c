/* test_audit_scan.c -- the audit's walk over a report's text for
 * placeholders (xx, ___, ××, ○○, 某某) gives the same checks with its AVX2
 * steps as with its SSE2 (or portable) ones: placeholders at every offset
 * around the 32- and 64-byte steps, alone and several to a text.  The AVX2
 * steps are chosen by the doc (d->use_avx2, the extractor's choice), so the
 * test runs the audit on docs that ask for them and on docs that do not. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "check.h"
#include "doc.h"
#include "rules.h"
#include "text.h"

/* The checks of a report of text alone (no figures), audited under ru with
 * or without the AVX2 steps: their codes, spans and messages, one line
 * each, into out. */
static void audit_text(const rules *ru, bool avx2, const char *text, size_t len, char *out,
                       size_t cap)
{
    doc *d = doc_new("scan.txt");
    d->use_avx2 = avx2;
    report r;
    memset(&r, 0, sizeof r);
    d->work = malloc(len + 1);
    memcpy(d->work, text, len);
    d->work[len] = '\0';
    d->work_len = len;
    r.extent.start = 0;
    r.extent.end = len;
    size_t at = 0;
    out[0] = '\0';
    if (audit_report(ru, d, &r))
        for (size_t k = 0; k < r.nchecks && at < cap; k++) {
            const check *c = &r.checks[k];
            int n = snprintf(out + at, cap - at, "%s %d %zu %zu %s\n", c->code, c->has_span,
                             c->span.start, c->span.end, c->message);
            at += n > 0 ? (size_t)n : 0;
        }
    report_clear(&r);
    doc_free(d);
}

static void audit_scan_should_find_the_same_placeholders_with_avx2_steps(void)
{
    static const char *const TOKENS[] = {"xx", "XX", "x", "__", "_", "×", "××", "○○",
                                         "某某", "某", "○"};
    rules ru;
    memset(&ru, 0, sizeof ru);
    char text[512], a[4096], b[4096];
    size_t compared = 0;
    for (size_t t = 0; t < sizeof TOKENS / sizeof TOKENS[0]; t++)
        for (size_t shift = 0; shift < 3; shift++)      /* ASCII bytes before: any byte offset */
            for (size_t chars = 0; chars < 48; chars++) {   /* Han characters before it */
                size_t len = 0;
                for (size_t k = 0; k < shift; k++)
                    text[len++] = '1';
                for (size_t k = 0; k < chars; k++) {
                    memcpy(text + len, "的", 3);
                    len += 3;
                }
                size_t tl = strlen(TOKENS[t]);
                memcpy(text + len, TOKENS[t], tl);
                len += tl;
                /* a second one further on, then text past the last step */
                for (size_t k = 0; k < 20; k++) {
                    memcpy(text + len, k == 11 ? "某某" : "数", 3 + 3 * (k == 11));
                    len += 3 + 3 * (k == 11);
                }
                for (size_t k = 0; k < 30; k++)
                    text[len++] = k % 7 ? '2' : ',';
                audit_text(&ru, text_avx2_wanted(), text, len, a, sizeof a);
                audit_text(&ru, false, text, len, b, sizeof b);
                CHECK_STR(a, b);
                CHECK(strstr(a, "placeholder") != NULL);
                compared++;
            }
    CHECK(compared == 11 * 3 * 48);
}

static void audit_scan_should_note_a_nul_byte_alike_with_avx2_steps(void)
{
    rules ru;
    memset(&ru, 0, sizeof ru);
    char text[256], a[4096], b[4096];
    for (size_t at = 0; at < 200; at++) {
        memset(text, '1', sizeof text);
        memcpy(text + 100, "xx", 2);
        text[at] = '\0';
        audit_text(&ru, text_avx2_wanted(), text, sizeof text, a, sizeof a);
        audit_text(&ru, false, text, sizeof text, b, sizeof b);
        CHECK_STR(a, b);
    }
}

int main(void)
{
    RUN(audit_scan_should_find_the_same_placeholders_with_avx2_steps);
    RUN(audit_scan_should_note_a_nul_byte_alike_with_avx2_steps);
    return check_done();
}
