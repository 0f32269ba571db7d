/* test_audit_runs.c -- the audit's walk for placeholder runs (xx, ___, ××,
 * ○○, 某某) stops only where a run may start, and the characters that
 * share a lead byte with one (é C3 A9, 提 E6 8F 90, 成 E6 88 90 …) are
 * passed over without changing the count: the placeholders of texts with
 * such characters and runs at every offset around the 16-, 32- and 64-byte
 * steps, counted by the audit (with and without its AVX2 steps) and by the
 * plain rule below, byte by byte. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "check.h"
#include "doc.h"
#include "rules.h"
#include "text.h"

static bool letter(unsigned char b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

static bool digit(unsigned char b)
{
    return b >= '0' && b <= '9';
}

/* The byte at i of t[0..n), 0 outside. */
static unsigned char byte_at(const char *t, size_t n, size_t i)
{
    return i < n ? (unsigned char)t[i] : 0;
}

/* The rule of docs/CHECKS.md, at every byte: a run of x / X (a lone one
 * only between non-letters), two or more _, ×× (or × not between digits),
 * ○○ or 某某; a run is counted once and the walk goes on from its end.
 * The count, and the first run into *s, *e. */
static size_t plain_count(const char *t, size_t n, size_t *s, size_t *e)
{
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)t[i];
        size_t end = i;
        bool hit = false;
        if (b == 'x' || b == 'X') {
            while (end < n && (t[end] == 'x' || t[end] == 'X'))
                end++;
            hit = !(i > 0 && letter(byte_at(t, n, i - 1))) && !letter(byte_at(t, n, end));
        } else if (b == '_') {
            while (end < n && t[end] == '_')
                end++;
            hit = end - i >= 2;
        } else if (i + 2 <= n && memcmp(t + i, "×", 2) == 0) {
            while (end + 2 <= n && memcmp(t + end, "×", 2) == 0)
                end += 2;
            hit = end - i >= 4 ||
                  !(i > 0 && digit(byte_at(t, n, i - 1)) && digit(byte_at(t, n, end)));
        } else if (i + 6 <= n && (memcmp(t + i, "○○", 6) == 0 || memcmp(t + i, "某某", 6) == 0)) {
            end = i + 6;
            hit = true;
        }
        if (hit && !count++) {
            *s = i;
            *e = end;
        }
        i = end > i ? end : i + 1;
    }
    return count;
}

/* The audit's placeholder check of a report of text alone, as
 * "count start end" ("0 0 0" when it gives none), with or without the
 * AVX2 steps. */
static void audit_count(bool avx2, const char *text, size_t len, char *out, size_t cap)
{
    rules ru;
    memset(&ru, 0, sizeof ru);
    doc *d = doc_new("runs.txt");
    d->use_avx2 = avx2;
    report r;
    memset(&r, 0, sizeof r);
    d->work = malloc(len + 1);
    memcpy(d->work, text, len);
    d->work[len] = '\0';
    d->work_len = len;
    r.extent.start = 0;
    r.extent.end = len;
    snprintf(out, cap, "0 0 0");
    if (audit_report(&ru, d, &r))
        for (size_t k = 0; k < r.nchecks; k++) {
            const check *c = &r.checks[k];
            const char *num = strpbrk(c->message, "0123456789");
            if (strstr(c->code, "placeholder") || strstr(c->code, "template"))
                snprintf(out, cap, "%ld %zu %zu", num ? strtol(num, NULL, 10) : -1L,
                         c->span.start, c->span.end);
        }
    report_clear(&r);
    doc_free(d);
}

static void audit_runs_should_count_as_the_plain_rule_around_every_step(void)
{
    /* Runs, and characters that share their first bytes (× C3 97 and é C3
     * A9; ○ E2 97 8B and ● E2 97 8F; 某 E6 9F 90 and 提 成 源 材 析 E6 ..
     * 90, 杏 E6 9D 8F). */
    static const char *const TOKENS[] = {"xx", "x", "__", "_", "×", "××", "2×3", "○○", "○",
                                         "某某", "某", "é", "提", "成", "源", "材", "析",
                                         "杏", "●●", "提某某", "éé×"};
    enum { NT = sizeof TOKENS / sizeof TOKENS[0] };
    char text[400], a[64], b[64], want[64];
    size_t compared = 0, with_runs = 0;
    for (size_t t = 0; t < NT; t++)
        for (size_t u = 0; u < NT; u += 4)
            for (size_t shift = 0; shift < 3; shift++)        /* any byte offset */
                for (size_t chars = 0; chars < 24; chars++) {   /* past 64 bytes */
                    size_t len = 0;
                    for (size_t k = 0; k < shift; k++)
                        text[len++] = '1';
                    for (size_t k = 0; k < chars; k++) {
                        memcpy(text + len, k % 5 == 4 ? "成" : "的", 3);
                        len += 3;
                    }
                    memcpy(text + len, TOKENS[t], strlen(TOKENS[t]));
                    len += strlen(TOKENS[t]);
                    for (size_t k = 0; k < 7; k++) {
                        memcpy(text + len, "提", 3);
                        len += 3;
                    }
                    memcpy(text + len, TOKENS[u], strlen(TOKENS[u]));
                    len += strlen(TOKENS[u]);
                    for (size_t k = 0; k < 70; k++)   /* past the last step */
                        text[len++] = k % 9 ? '2' : ',';
                    size_t s = 0, e = 0;
                    size_t n = plain_count(text, len, &s, &e);
                    snprintf(want, sizeof want, "%zu %zu %zu", n, n ? s : 0, n ? e : 0);
                    audit_count(text_avx2_wanted(), text, len, a, sizeof a);
                    audit_count(false, text, len, b, sizeof b);
                    CHECK_STR(a, want);
                    CHECK_STR(b, want);
                    with_runs += n > 0;
                    compared++;
                }
    CHECK(compared == (size_t)NT * ((NT + 3) / 4) * 3 * 24);
    CHECK(with_runs > compared / 3 && with_runs < compared);
}

int main(void)
{
    RUN(audit_runs_should_count_as_the_plain_rule_around_every_step);
    return check_done();
}
