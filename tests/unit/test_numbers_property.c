/* test_numbers_property.c -- random values written every supported way parse
 * back to the same value; pathological inputs take linear work.
 *
 * The work is measured with num_work_steps() (bytes and loop steps counted
 * by the parser), never with a clock: a 100 000-byte input must cost about
 * ten times a 10 000-byte one, and a bounded number of steps per byte. */
#include "check.h"
#include "conf.h"
#include "numbers.h"
#include "test_units.h"
#include "test_rand.h"

#include <stdint.h>
#include <stdlib.h>

static num_units units;
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

static uint64_t rnd_below(uint64_t n)
{
    return rnd() % n;
}

#define ROUNDS 3000

/* num_next over "今年共有" + body + "。"; the first figure must be whole. */
static bool find(const char *body, quantity *q)
{
    char text[512];
    int n = snprintf(text, sizeof text, "今年共有%s。", body);
    if (n < 0 || (size_t)n >= sizeof text)
        return false;
    if (!num_next(&units, text, (size_t)n, 0, q))
        return false;
    return q->start == strlen("今年共有") && q->end == (size_t)n - strlen("。");
}

/* A random decimal string: up to 12 integer digits, 0-3 decimals (15
 * significant digits at most: NUM_MAX_DIGITS). */
static void random_decimal(char *out, size_t cap, bool allow_frac)
{
    uint64_t ip = rnd_below(4) == 0 ? rnd_below(10) : rnd_below(1000000000000ull);
    int k = allow_frac ? (int)rnd_below(4) : 0;
    if (k == 0) {
        snprintf(out, cap, "%llu", (unsigned long long)ip);
        return;
    }
    uint64_t fp = rnd_below(10000) % (uint64_t)(k == 1 ? 10 : k == 2 ? 100 : k == 3 ? 1000 : 10000);
    snprintf(out, cap, "%llu.%0*llu", (unsigned long long)ip, k, (unsigned long long)fp);
}

/* Thousands separators: ASCII or full-width comma. */
static void group(const char *digits, char *out, bool fullwidth)
{
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) {
            if (fullwidth) {
                memcpy(out + o, "，", 3);
                o += 3;
            } else {
                out[o++] = ',';
            }
        }
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

/* ASCII digits, '.', ',' and '%' to their full-width forms. */
static void to_fullwidth(const char *in, char *out)
{
    size_t o = 0;
    for (; *in; in++) {
        unsigned char c = (unsigned char)*in;
        if ((c >= '0' && c <= '9') || c == '.' || c == ',' || c == '%') {
            out[o++] = (char)0xEF;
            out[o++] = (char)0xBC;
            out[o++] = (char)(0x80 + (c - 0x20)); /* U+FF10 = '0' + 0xFEE0 */
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
}

static const char *const CN_DIGIT[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
static const char *const FIN_DIGIT[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
static const char *const CN_PLACE[] = {"", "十", "百", "千"};
static const char *const FIN_PLACE[] = {"", "拾", "佰", "仟"};

/* One section (< 10000) in the standard written form; pad: a higher
 * section precedes, so a gap at its head is written 零. */
static void cn_section(unsigned n, bool pad, bool top, bool fin, bool liang, char *out)
{
    bool started = false, zero = false;
    static const unsigned P[] = {1, 10, 100, 1000};
    for (int p = 3; p >= 0; p--) {
        unsigned d = n / P[p] % 10;
        if (d == 0) {
            if (started)
                zero = true;
            continue;
        }
        if (zero || (pad && !started && p < 3)) {
            strcat(out, "零");
            zero = false;
        }
        bool skip_one = d == 1 && p == 1 && !started && top && !fin;
        if (!skip_one) {
            if (d == 2 && liang && p >= 2 && !fin)
                strcat(out, "两");
            else
                strcat(out, (fin ? FIN_DIGIT : CN_DIGIT)[d]);
        }
        strcat(out, (fin ? FIN_PLACE : CN_PLACE)[p]);
        started = true;
    }
}

static void to_chinese(uint64_t n, bool fin, bool liang, char *out)
{
    out[0] = '\0';
    if (n == 0) {
        strcpy(out, "零");
        return;
    }
    unsigned yi = (unsigned)(n / 100000000u), wan = (unsigned)(n / 10000 % 10000),
             rest = (unsigned)(n % 10000);
    bool higher = false;
    if (yi) {
        cn_section(yi, false, true, fin, liang, out);
        strcat(out, "亿");
        higher = true;
    }
    if (wan) {
        cn_section(wan, higher, !higher, fin, liang, out);
        strcat(out, "万");
    } else if (yi && rest) {
        strcat(out, "零");
        higher = false; /* the 零 is written; do not pad again */
        cn_section(rest, false, false, fin, liang, out);
        return;
    }
    if (rest)
        cn_section(rest, yi || wan, !(yi || wan), fin, liang, out);
}

static void arabic_plain_and_decimal_should_round_trip(void)
{
    static const char *const UNITS[] = {"人", "元", "%", "平方米", "册", "所", "个百分点", "‰"};
    static const char *const NORM[] = {"人", "元", "%", "平方米", "册", "所", "个百分点", "‰"};
    int fails = 0;
    for (int r = 0; r < ROUNDS; r++) {
        char num[64], body[128];
        random_decimal(num, sizeof num, true);
        size_t u = rnd_below(sizeof UNITS / sizeof UNITS[0]);
        snprintf(body, sizeof body, "%s%s", num, UNITS[u]);
        quantity q;
        double want = strtod(num, NULL);
        if (!find(body, &q) || !q.has_value || q.value != want || strcmp(q.unit_norm, NORM[u]) ||
            q.redacted || q.qual != QUAL_NONE) {
            if (fails++ < 5)
                printf("#   %s -> %.17g\n", body, q.value);
        }
    }
    CHECK(fails == 0);
}

static void grouped_and_fullwidth_should_round_trip(void)
{
    int fails = 0;
    for (int r = 0; r < ROUNDS; r++) {
        char num[64], grouped[128], body[256], fw[512];
        random_decimal(num, sizeof num, false);
        group(num, grouped, rnd_below(2));
        if (rnd_below(2))
            strcat(grouped, ".5");
        snprintf(body, sizeof body, "%s元", grouped);
        double want = strtod(num, NULL) + (strchr(grouped, '.') ? 0.5 : 0);
        quantity q;
        if (!find(body, &q) || q.value != want) {
            if (fails++ < 5)
                printf("#   %s -> %.17g\n", body, q.value);
        }
        char raw[sizeof grouped + 2];
        snprintf(raw, sizeof raw, "%s%%", rnd_below(2) ? num : grouped);
        to_fullwidth(raw, fw);
        want = strtod(num, NULL) + (strchr(raw, '.') ? 0.5 : 0);
        if (!find(fw, &q) || q.value != want || strcmp(q.unit_norm, "%")) {
            if (fails++ < 5)
                printf("#   %s -> %.17g\n", fw, q.value);
        }
    }
    CHECK(fails == 0);
}

static void multipliers_should_round_trip(void)
{
    static const struct {
        const char *text, *unit;
        double mult;
    } M[] = {{"万元", "元", 1e4},     {"亿元", "元", 1e8},     {"万人", "人", 1e4},
             {"万平方米", "平方米", 1e4}, {"万余人", "人", 1e4}, {"亿多元", "元", 1e8}};
    int fails = 0;
    for (int r = 0; r < ROUNDS; r++) {
        char body[128];
        uint64_t ip = rnd_below(100000);
        int k = (int)rnd_below(3);
        char num[64];
        if (k)
            snprintf(num, sizeof num, "%llu.%0*llu", (unsigned long long)ip, k,
                     (unsigned long long)(rnd_below(100) % (k == 1 ? 10 : 100)));
        else
            snprintf(num, sizeof num, "%llu", (unsigned long long)ip);
        size_t m = rnd_below(sizeof M / sizeof M[0]);
        snprintf(body, sizeof body, "%s%s", num, M[m].text);
        quantity q;
        double want = strtod(num, NULL) * M[m].mult;
        bool over = strstr(M[m].text, "余") || strstr(M[m].text, "多");
        if (!find(body, &q) || fabs(q.value - want) > 1e-6 * (want + 1) ||
            strcmp(q.unit_norm, M[m].unit) || (q.qual == QUAL_OVER) != over) {
            if (fails++ < 5)
                printf("#   %s -> %.17g want %.17g\n", body, q.value, want);
        }
    }
    CHECK(fails == 0);
}

static void chinese_numerals_should_round_trip(void)
{
    static const char *const UNITS[] = {"人", "所", "名", "元", "个"};
    int fails = 0;
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t n;
        switch (rnd_below(4)) {
        case 0: n = rnd_below(100); break;
        case 1: n = rnd_below(10000); break;
        case 2: n = rnd_below(100000000); break;
        default: n = rnd_below(100000000000ull); break;
        }
        if (n == 1 || n == 10)
            n += 2; /* 一 and 十 alone are checked in the table */
        bool fin = rnd_below(3) == 0, liang = rnd_below(2);
        char cn[512], body[600];
        to_chinese(n, fin, liang, cn);
        bool over = rnd_below(4) == 0;
        snprintf(body, sizeof body, "%s%s%s", cn, over ? "余" : "", UNITS[rnd_below(5)]);
        quantity q;
        if (!find(body, &q) || q.value != (double)n || !q.chinese ||
            (q.qual == QUAL_OVER) != over) {
            if (fails++ < 5)
                printf("#   %s -> %.17g want %llu\n", body, q.value, (unsigned long long)n);
        }
    }
    CHECK(fails == 0);
}

static void chinese_percentages_should_round_trip(void)
{
    int fails = 0;
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t ip = rnd_below(101);
        if (ip == 1 || ip == 10)
            ip++;
        int k = ip == 100 ? 0 : (int)rnd_below(3);
        uint64_t fp = k == 0 ? 0 : 1 + rnd_below(k == 1 ? 9 : 99);
        if (k == 2 && fp % 10 == 0)
            fp++;
        char cn[256], body[512];
        to_chinese(ip, false, false, cn);
        if (ip == 100 && rnd_below(2))
            strcpy(cn, "百");
        if (k) {
            strcat(cn, "点");
            char d[8];
            snprintf(d, sizeof d, "%0*llu", k, (unsigned long long)fp);
            for (char *c = d; *c; c++)
                strcat(cn, CN_DIGIT[*c - '0']);
        }
        bool per_mille = rnd_below(4) == 0;
        snprintf(body, sizeof body, "%s%s", per_mille ? "千分之" : "百分之", cn);
        char num[64];
        snprintf(num, sizeof num, "%llu.%0*llu", (unsigned long long)ip, k ? k : 1,
                 (unsigned long long)fp);
        double want = strtod(num, NULL);
        quantity q;
        if (!find(body, &q) || fabs(q.value - want) > 1e-12 * (want + 1) ||
            strcmp(q.unit_norm, per_mille ? "‰" : "%")) {
            if (fails++ < 5)
                printf("#   %s -> %.17g want %.17g\n", body, q.value, want);
        }
    }
    CHECK(fails == 0);
}

static void ratios_ranges_and_qualifiers_should_round_trip(void)
{
    static const char *const SEPS[] = {":", "∶", "︰", "：", "比"};
    static const struct {
        const char *pre, *post;
        qualifier q;
    } QW[] = {{"约", "", QUAL_APPROX},  {"近", "", QUAL_APPROX},   {"", "左右", QUAL_APPROX},
              {"超过", "", QUAL_OVER},  {"", "以上", QUAL_OVER},   {"逾", "", QUAL_OVER},
              {"不足", "", QUAL_UNDER}, {"", "以下", QUAL_UNDER},  {"不到", "", QUAL_UNDER},
              {"", "以内", QUAL_UNDER}, {"", "上下", QUAL_APPROX}, {"近", "以上", QUAL_OVER}};
    int fails = 0;
    for (int r = 0; r < ROUNDS; r++) {
        char n1[64], n2[64], body[256];
        quantity q;
        /* ratio: 1:X or X:1 with X > 1 */
        snprintf(n1, sizeof n1, "%llu.%llu", (unsigned long long)(2 + rnd_below(60)),
                 (unsigned long long)rnd_below(10));
        bool one_left = rnd_below(2);
        const char *sep = SEPS[rnd_below(5)];
        if (one_left)
            snprintf(body, sizeof body, "1%s%s", sep, n1);
        else
            snprintf(body, sizeof body, "%s%s1", n1, sep);
        double x = strtod(n1, NULL);
        if (!find(body, &q) || !q.is_ratio || q.value != x || q.left != (one_left ? 1 : x) ||
            q.right != (one_left ? x : 1)) {
            if (fails++ < 5)
                printf("#   %s -> %.17g\n", body, q.value);
        }
        /* range a~b with a unit */
        uint64_t a = rnd_below(1000), b = a + rnd_below(1000);
        snprintf(n1, sizeof n1, "%llu", (unsigned long long)a);
        snprintf(n2, sizeof n2, "%llu", (unsigned long long)b);
        static const char *const RS[] = {"~", "-", "～", "—", "至"};
        snprintf(body, sizeof body, "%s%s%s分", n1, RS[rnd_below(5)], n2);
        if (!find(body, &q) || !q.is_range || q.value != (double)a || q.value_hi != (double)b ||
            strcmp(q.unit_norm, "分")) {
            if (fails++ < 5)
                printf("#   %s -> %.17g..%.17g\n", body, q.value, q.value_hi);
        }
        /* qualifiers around a count */
        size_t k = rnd_below(sizeof QW / sizeof QW[0]);
        snprintf(body, sizeof body, "%s%s名%s", QW[k].pre, n2, QW[k].post);
        if (!find(body, &q) || q.value != (double)b || q.qual != QW[k].q) {
            if (fails++ < 5)
                printf("#   %s -> %.17g qual %d\n", body, q.value, q.qual);
        }
    }
    CHECK(fails == 0);
}

static void placeholders_should_never_give_a_partial_number(void)
{
    static const char *const PH[] = {"x", "xx", "X", "ＸＸ", "××", "＿＿", "___", "_", "*"};
    int fails = 0;
    for (int r = 0; r < ROUNDS; r++) {
        char num[64], body[256];
        random_decimal(num, sizeof num, true);
        /* replace a tail, the head or everything with a placeholder */
        size_t n = strlen(num), cut = rnd_below(n + 1);
        const char *ph = PH[rnd_below(sizeof PH / sizeof PH[0])];
        int shape = (int)rnd_below(3);
        if (shape == 0)
            snprintf(body, sizeof body, "%.*s%s万元", (int)cut, num, ph);
        else if (shape == 1)
            snprintf(body, sizeof body, "%s%s人", ph, num + cut);
        else
            snprintf(body, sizeof body, "%s%%", ph);
        if (shape == 1 && num[cut] == '.')
            continue; /* "x.5" reads as a redacted decimal too, but keep shapes simple */
        quantity q;
        if (!find(body, &q) || !q.redacted || q.has_value || q.value != 0) {
            if (fails++ < 5)
                printf("#   %s -> redacted %d value %.17g\n", body, q.redacted, q.value);
        }
    }
    CHECK(fails == 0);
}

/* ---- pathological inputs: linear work, no crash ------------------------- */

static char *repeat(const char *unit, size_t times, size_t *len)
{
    size_t n = strlen(unit);
    char *s = malloc(n * times + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * n, unit, n);
    s[n * times] = '\0';
    *len = n * times;
    return s;
}

/* Scan the whole input with num_next; return the work steps. */
static size_t scan_all(const char *s, size_t len, size_t *figures)
{
    quantity q;
    size_t pos = 0;
    *figures = 0;
    num_work_reset();
    while (num_next(&units, s, len, pos, &q)) {
        (*figures)++;
        if (q.end <= pos) { /* must always move forward */
            *figures = (size_t)-1;
            break;
        }
        pos = q.end;
    }
    return num_work_steps();
}

static void check_linear(const char *unit, size_t small, size_t *figs_small, size_t *figs_big)
{
    size_t l1, l2;
    char *a = repeat(unit, small, &l1);
    char *b = repeat(unit, small * 10, &l2);
    CHECK(a && b);
    if (!a || !b) {
        free(a);
        free(b);
        return;
    }
    size_t w1 = scan_all(a, l1, figs_small);
    size_t w2 = scan_all(b, l2, figs_big);
    /* ten times the input: about ten times the work, and a few steps a byte */
    if (!(w2 <= 11 * w1 + 100 && w2 <= 8 * l2)) {
        printf("#   \"%s\" x%zu: %zu steps for %zu bytes, x%zu: %zu steps for %zu bytes\n",
               unit, small, w1, l1, small * 10, w2, l2);
        check_current_failed = 1;
    }
    free(a);
    free(b);
}

static void hundred_thousand_digits_should_overflow_in_linear_time(void)
{
    size_t f1, f2;
    check_linear("7", 10000, &f1, &f2);
    CHECK(f1 == 0 && f2 == 0); /* one number too long to hold: not a figure */
    size_t len;
    char *s = repeat("9", 100000, &len);
    CHECK(s != NULL);
    if (s) {
        quantity q;
        CHECK(num_parse_at(&units, s, len, 0, &q));
        CHECK(q.overflow && !q.has_value && q.value == 0 && q.num_end == len);
        free(s);
    }
}

static void repeated_ratio_colons_should_take_linear_time(void)
{
    size_t f1, f2;
    check_linear("1:", 5000, &f1, &f2);
    CHECK(f1 == 2500 && f2 == 25000); /* "1:1" pairs */
}

static void repeated_per_cent_words_should_take_linear_time(void)
{
    size_t f1, f2;
    check_linear("百分之", 3000, &f1, &f2);
    CHECK(f2 <= 30000);
}

static void other_repetitions_should_take_linear_time(void)
{
    static const char *const UNITS[] = {"x", "一", "十", "亿", "近", "1,000,", "1.", "1-", "1至",
                                        "xx.", "1 ", "万", "零", "○", "一点", "1:1:", "9%-",
                                        "约近", "_", "１", "余", "第1", "20xx年"};
    for (size_t k = 0; k < sizeof UNITS / sizeof UNITS[0]; k++) {
        size_t f1, f2;
        check_linear(UNITS[k], 3000, &f1, &f2);
        CHECK(f2 != (size_t)-1);
    }
}

int main(void)
{
    if (!load_test_units(&units))
        return 1;
    RUN(arabic_plain_and_decimal_should_round_trip);
    RUN(grouped_and_fullwidth_should_round_trip);
    RUN(multipliers_should_round_trip);
    RUN(chinese_numerals_should_round_trip);
    RUN(chinese_percentages_should_round_trip);
    RUN(ratios_ranges_and_qualifiers_should_round_trip);
    RUN(placeholders_should_never_give_a_partial_number);
    RUN(hundred_thousand_digits_should_overflow_in_linear_time);
    RUN(repeated_ratio_colons_should_take_linear_time);
    RUN(repeated_per_cent_words_should_take_linear_time);
    RUN(other_repetitions_should_take_linear_time);
    num_units_free(&units);
    return check_done();
}
