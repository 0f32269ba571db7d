/* test_outline_digits.c -- outline reads a Chinese digit where, and with the
 * value, cn_numeral_value() (text.h, the one table of the numerals) gives:
 * the outline's own lookup (CN_DIGITS, by the low five bits of the code
 * point) must agree with it on every character of the BMP.  Each character
 * is put after the headings 一、 … up to the number before its value (or,
 * for a character that is no digit, before some value), as "<c>、", so it
 * is a heading exactly when it is read as the next number.  (The lookup
 * compares the whole code point, so no other character can take a value;
 * this checks the ten it holds.) */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "doc.h"
#include "outline.h"
#include "text.h"

/* How many headings the outline of text has, -1 when it fails. */
static int headings_in(const char *text)
{
    doc *d = doc_new("test");
    int n = -1;
    if (!d)
        return -1;
    d->work = strdup(text);
    d->work_len = strlen(text);
    d->work_valid = true;
    d->reports = calloc(1, sizeof *d->reports);
    if (d->work && d->reports) {
        d->nreports = 1;
        d->reports[0].extent.end = d->work_len;
        if (outline_parse(d, &d->reports[0]))
            n = (int)d->reports[0].nsections;
    }
    doc_free(d);
    return n;
}

/* cp as UTF-8 at out (one to three bytes); how many. */
static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 63));
        return 2;
    }
    out[0] = (char)(0xE0 | cp >> 12);
    out[1] = (char)(0x80 | (cp >> 6 & 63));
    out[2] = (char)(0x80 | (cp & 63));
    return 3;
}

static const char *const numerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};

static void outline_should_read_chinese_digits_as_cn_numeral_value_does(void)
{
    int differ = 0;
    for (uint32_t cp = 0x800; cp <= 0xFFFF && differ < 5; cp++) {
        /* (surrogates; ① … ⒛, markers of their own) */
        if ((cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x2460 && cp <= 0x249B))
            continue;
        int v = cn_numeral_value(cp);
        /* before a digit the numbers below it; before another character
         * 0 .. 9 of them, by its code point */
        int before = v >= 1 ? v - 1 : (int)(cp % 10);
        char text[128];
        size_t n = 0;
        for (int k = 0; k < before; k++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s、甲\n", numerals[k]);
        n += put_utf8(text + n, cp);
        snprintf(text + n, sizeof text - n, "、乙\n");
        int want = v >= 1 ? v : before;
        int got = headings_in(text);
        if (got != want) {
            printf("#   U+%04X: %d headings, expected %d\n", (unsigned)cp, got, want);
            check_current_failed = 1;
            differ++;
        }
    }
}

int main(void)
{
    RUN(outline_should_read_chinese_digits_as_cn_numeral_value_does);
    return check_done();
}
