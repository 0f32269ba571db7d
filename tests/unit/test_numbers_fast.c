/* test_numbers_fast.c -- the number scan's fast paths against the readings
 * they stand in for.
 *
 * read_plain_digits() reads ASCII integers and decimals without
 * read_arabic(); the same number written with full-width digits still goes
 * through read_arabic(), so the two spellings must give the same quantity.
 * The Chinese numerals are looked up in one hashed table: every numeral
 * must keep its value. */
#include "check.h"
#include "conf.h"
#include "numbers.h"
#include "test_units.h"
#include "test_rand.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static num_units units;
static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

/* Random ASCII digits and maybe a '.' and decimals, 1 to 17 digits in all
 * (past NUM_MAX_DIGITS too), leading zeros at times. */
static size_t random_number(char *out)
{
    size_t n = 0, digits = 1 + rnd() % 17, point = rnd() % 3 ? 0 : 1 + rnd() % digits;
    for (size_t k = 0; k < digits; k++) {
        if (point && k == point && k < digits)
            out[n++] = '.';
        out[n++] = (char)('0' + (k == 0 && rnd() % 4 ? 1 + rnd() % 9 : rnd() % 10));
    }
    out[n] = '\0';
    return n;
}

/* The same number with full-width digits (the '.' kept ASCII). */
static size_t fullwidth(const char *ascii, char *out)
{
    size_t n = 0;
    for (const char *p = ascii; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            out[n++] = (char)0xEF;
            out[n++] = (char)0xBC;
            out[n++] = (char)(0x90 + (*p - '0'));
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return n;
}

static bool same_quantity(const quantity *a, const quantity *b)
{
    return a->has_value == b->has_value && a->overflow == b->overflow &&
           a->redacted == b->redacted && a->value == b->value && a->number == b->number &&
           a->unit == b->unit && a->qual == b->qual && a->is_range == b->is_range &&
           a->is_ratio == b->is_ratio && a->value_hi == b->value_hi &&
           a->end - a->num_end == b->end - b->num_end;
}

static void ascii_numbers_should_read_as_fullwidth_ones_do(void)
{
    /* the ends read_plain_digits() takes and those it leaves to
     * read_arabic(): CJK punctuation (、。〇), a point with no digit after
     * it, and the full-width, Latin-1 and geometric placeholders and
     * commas, which share no lead byte with them */
    static const char *const AFTER[] = {
        "",     "人",  "%",   ",",   ".",   ". ",  " 人", "万元", "x",    "_",   "a",
        "年",   "-3",  "~5人", ":2",  "．",  "余名", "以上", "、",   "。",   "〇",  "○",
        "×",    "ｘ",  "Ｘ",  "＿",  "＊",  "，",  "．5",  ".人",  ".分",  ".、", ".x",
        ".X5",  "._",  ".*",  ".ｘ", ".○", ".×",  ".，",  "..",  ".,",  ".-3", "\xE3",
        ".\xE3", "\xE3\x80", "\xE2\x97\x8B", "\xEE\xBF\xBF", "\xEF\xBC\x90"};
    size_t bad = 0;
    for (int round = 0; round < 20000; round++) {
        char num[40], wide[80], t1[128], t2[160];
        random_number(num);
        fullwidth(num, wide);
        const char *after = AFTER[rnd() % (sizeof AFTER / sizeof AFTER[0])];
        /* inside a clause too, where a point a unit follows is a cut
         * decimal ("共29.分"), not a list number's */
        const char *before = rnd() % 2 ? "" : "共";
        size_t at = strlen(before);
        int n1 = snprintf(t1, sizeof t1, "%s%s%s", before, num, after);
        int n2 = snprintf(t2, sizeof t2, "%s%s%s", before, wide, after);
        quantity q1, q2;
        bool ok1 = num_parse_at(&units, t1, (size_t)n1, at, &q1);
        bool ok2 = num_parse_at(&units, t2, (size_t)n2, at, &q2);
        bool same = ok1 == ok2 && (!ok1 || same_quantity(&q1, &q2));
        /* up to NUM_MAX_DIGITS digits a whole number is the double strtod reads */
        size_t digits = strspn(num, "0123456789") + (strchr(num, '.') ? strlen(strchr(num, '.') + 1) : 0);
        if (same && ok1 && q1.has_value && digits <= NUM_MAX_DIGITS && q1.num_end == at + strlen(num) &&
            !q1.is_ratio && !q1.is_range && q1.number != strtod(num, NULL))
            same = false;
        if (!same && bad++ < 5)
            printf("#   \"%s\" and its full-width digits differ\n", t1);
    }
    CHECK(bad == 0);
}

static void every_chinese_numeral_should_keep_its_value(void)
{
    static const struct {
        const char *text;
        double value;
    } CASES[] = {
        {"一十人", 10},   {"二十人", 20},   {"两十人", 20},   {"兩十人", 20},   {"贰拾人", 20},
        {"貳拾人", 20},   {"三十人", 30},   {"叁拾人", 30},   {"參拾人", 30},   {"四十人", 40},
        {"肆拾人", 40},   {"五十人", 50},   {"伍拾人", 50},   {"六十人", 60},   {"陆拾人", 60},
        {"陸拾人", 60},   {"七十人", 70},   {"柒拾人", 70},   {"八十人", 80},   {"捌拾人", 80},
        {"九十人", 90},   {"玖拾人", 90},   {"壹佰人", 100},  {"一百人", 100},  {"一千人", 1000},
        {"壹仟人", 1000}, {"一万人", 1e4},  {"一萬人", 1e4},  {"一亿人", 1e8},  {"一億人", 1e8},
        {"一千零五人", 1005}, {"零点五人", 0.5}, {"〇点五人", 0.5},
    };
    for (size_t k = 0; k < sizeof CASES / sizeof CASES[0]; k++) {
        quantity q;
        bool ok = num_parse_at(&units, CASES[k].text, strlen(CASES[k].text), 0, &q);
        if (!ok || !q.chinese || q.number != CASES[k].value) {
            printf("#   %s: %.17g, expected %.17g\n", CASES[k].text, ok ? q.number : -1,
                   CASES[k].value);
            check_current_failed = 1;
        }
    }
}

/* read_plain_placeholders() reads runs of x X _ * without read_arabic();
 * the same run written ｘ Ｘ ＿ ＊ still goes through read_arabic(), so both
 * must give the same quantity (no Latin letter after them: a full-width ｘ
 * is never part of a Latin word). */
static void ascii_placeholders_should_read_as_fullwidth_ones_do(void)
{
    static const char *const ASCII[] = {"x", "X", "_", "*"};
    static const char *const WIDE[] = {"ｘ", "Ｘ", "＿", "＊"};
    static const char *const AFTER[] = {"", "人", "年", "%", ",", ".", ".5", ". ", " 人", "万元",
                                        "、", "。", "-3", "~5人", ":2", "余名", "以上", "3",
                                        "0万", "．", "，", "○", "×", "\xE3", ".人", "市"};
    size_t bad = 0;
    for (int round = 0; round < 20000; round++) {
        char t1[64], t2[96];
        size_t n1 = 0, n2 = 0, run = 1 + rnd() % 5;
        const char *before = rnd() % 2 ? "" : "共";
        n1 += (size_t)snprintf(t1, sizeof t1, "%s", before);
        n2 += (size_t)snprintf(t2, sizeof t2, "%s", before);
        for (size_t k = 0; k < run; k++) {
            size_t c = rnd() % 4;
            n1 += (size_t)snprintf(t1 + n1, sizeof t1 - n1, "%s", ASCII[c]);
            n2 += (size_t)snprintf(t2 + n2, sizeof t2 - n2, "%s", WIDE[c]);
        }
        const char *after = AFTER[rnd() % (sizeof AFTER / sizeof AFTER[0])];
        n1 += (size_t)snprintf(t1 + n1, sizeof t1 - n1, "%s", after);
        n2 += (size_t)snprintf(t2 + n2, sizeof t2 - n2, "%s", after);
        quantity q1, q2;
        size_t at = strlen(before);
        bool ok1 = num_parse_at(&units, t1, n1, at, &q1);
        bool ok2 = num_parse_at(&units, t2, n2, at, &q2);
        if (!(ok1 == ok2 && (!ok1 || (same_quantity(&q1, &q2) && q1.redacted))) && bad++ < 5)
            printf("#   \"%s\" and its full-width placeholders differ\n", t1);
    }
    CHECK(bad == 0);
}

/* num_next() looks at a character of U+4000..U+9FFF once (its table
 * entry): a Chinese digit, 十 拾 百 千 may start a number, and a digit or 十
 * 拾 with nothing after it that goes on is passed over.  For every such
 * character and a few followers, what num_next() finds from the start must
 * be what the grammar reads there when that is a figure (a Chinese number
 * with a unit), else what it finds from the next character on (as it
 * did before that look). */
static void every_cjk_character_should_start_what_the_grammar_reads(void)
{
    static const char *const AFTER[] = {"个人", "年", "5人", "分之五的学生", "余人", "万元", "十人",
                                        "、3所"};
    size_t bad = 0;
    for (uint32_t cp = 0x4000; cp < 0xA000; cp++) {
        for (size_t k = 0; k < sizeof AFTER / sizeof AFTER[0]; k++) {
            char t[64];
            t[0] = (char)(0xE0 | cp >> 12);
            t[1] = (char)(0x80 | (cp >> 6 & 0x3F));
            t[2] = (char)(0x80 | (cp & 0x3F));
            size_t n = 3 + (size_t)snprintf(t + 3, sizeof t - 3, "%s", AFTER[k]);
            quantity want, got;
            /* (佰 and 仟 start no number in num_next(), the grammar's
             * reading of 佰余人 aside) */
            bool here = cp != 0x4F70 && cp != 0x4EDF && num_parse_at(&units, t, n, 0, &want) &&
                        want.chinese && want.unit && !want.overflow;
            if (!here && !num_next(&units, t, n, 3, &want))
                want.num_start = SIZE_MAX;
            bool found = num_next(&units, t, n, 0, &got);
            bool same = found ? want.num_start == got.num_start && want.number == got.number &&
                                    want.unit == got.unit
                              : want.num_start == SIZE_MAX;
            if (!same && bad++ < 5)
                printf("#   U+%04X then %s: found %d at %zu\n", (unsigned)cp, AFTER[k], found,
                       found ? got.num_start : 0);
        }
    }
    CHECK(bad == 0);
}

int main(void)
{
    if (!load_test_units(&units))
        return 1;
    RUN(ascii_numbers_should_read_as_fullwidth_ones_do);
    RUN(every_chinese_numeral_should_keep_its_value);
    RUN(ascii_placeholders_should_read_as_fullwidth_ones_do);
    RUN(every_cjk_character_should_start_what_the_grammar_reads);
    num_units_free(&units);
    return check_done();
}
