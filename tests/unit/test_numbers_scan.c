/* test_numbers_scan.c -- num_next's walk to the next position where a number
 * may start stops at the same positions with its AVX2 filter (blocks of 64
 * positions, chosen at run time; EDUEXTRACT_NO_AVX2=1 asks for the other
 * code) as with the plain loop, and num_next finds the same figures.
 * The texts are made of every character that may start a number, the
 * characters the filter lets through without being such (丰 布 准 招 …),
 * common characters that share bytes with the Chinese numerals (上 不 中
 * 人), ASCII, two- and four-byte characters and bytes that are not
 * well-formed UTF-8 (a lead byte followed by a digit, lone continuation
 * bytes), put at every offset of a block by random lengths. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "conf.h"
#include "numbers.h"
#include "test_units.h"
#include "test_rand.h"

static num_units units;

static const char *const pieces[] = {
    /* what may start a number */
    "〇", "零", "一", "壹", "二", "两", "兩", "贰", "貳", "三", "叁", "參", "四", "肆", "五", "伍", "六",
    "陆", "陸", "七", "柒", "八", "捌", "九", "玖", "十", "拾", "百", "佰", "千", "仟", "○", "０", "５",
    "９", "ｘ", "Ｘ", "＿", "＊", "0", "1", "7", "9", "x", "X", "_", "*",
    /* what the filter lets through, and what shares bytes with the above */
    "丰", "布", "准", "招", "众", "仍", "编", "季", "登", "上", "不", "中", "人", "了", "万", "亿",
    "学", "校", "教", "育", "年", "个", "，", "。", "、", "％", "（", "）", "\xE3\x80\x80",
    /* numbers and words around them */
    "356人", "98.6%", "1,234万元", "百分之九十", "一千二百名", "2018年", "第五", "统一", "约",
    "余", "以上", "平方米", "1:17.3", "148~207分", "xx元",
    /* ASCII, other lengths, and bytes that are not well-formed */
    "a", "Q", ".", "-", " ", "\n", "\xC3\xA9", "\xC2\xA0", "\xF0\x9F\x98\x80", "\xE4", "\xE4" "5",
    "\xE4\xB8", "\xE4\xB8" "7", "\x80", "\xBF", "\xC0", "\xC2", "\xFF", "\xEA\xB0\x80", "\xE1\x80\x80",
};

/* A small deterministic generator (xorshift), so failures reproduce. */
static uint32_t rng_state = 2463534242u;

static uint32_t rng(void)
{
    return xorshift32(&rng_state);
}

/* A random text of about `want` bytes in a buffer of exactly its length
 * (so that a read past the end shows under the sanitizers); *n its length. */
static char *random_text(size_t want, size_t *n)
{
    char *t = malloc(want + 64);
    size_t len = 0, npieces = sizeof pieces / sizeof pieces[0];
    if (!t)
        return NULL;
    while (len < want) {
        /* mostly one common character, so that numerals stand apart */
        const char *p = rng() % 3 ? "教" : pieces[rng() % npieces];
        size_t k = strlen(p);
        memcpy(t + len, p, k);
        len += k;
    }
    char *exact = malloc(len ? len : 1);
    if (exact)
        memcpy(exact, t, len);
    free(t);
    *n = len;
    return exact;
}

static void numbers_scan_filter_should_hold_every_start_character(void)
{
    /* every three-byte character start3 lets through is in a group */
    CHECK(units.scan_filter_holds);
    if (!units.scan_avx2)
        printf("# no AVX2 here: the walks below compare the plain loop with itself\n");
}

static void numbers_scan_should_stop_at_the_same_positions_with_avx2(void)
{
    enum { MAX_STOPS = 4096 };
    static size_t plain[MAX_STOPS], avx2[MAX_STOPS];
    int differ = 0;
    for (int round = 0; round < 3000 && differ < 5; round++) {
        size_t n;
        char *t = random_text(rng() % 700, &n);
        CHECK(t != NULL);
        if (!t)
            return;
        size_t np = num_scan_stops(&units, t, n, false, plain, MAX_STOPS);
        size_t na = num_scan_stops(&units, t, n, true, avx2, MAX_STOPS);
        if (np != na || memcmp(plain, avx2, np * sizeof *plain) != 0) {
            size_t k = 0;
            while (k < np && k < na && plain[k] == avx2[k])
                k++;
            printf("#   round %d: %zu stops plain, %zu with avx2, first differing: %zu (%zu vs %zu)\n",
                   round, np, na, k, k < np ? plain[k] : (size_t)-1, k < na ? avx2[k] : (size_t)-1);
            check_current_failed = 1;
            differ++;
        }
        free(t);
    }
}

/* The figures num_next finds in text, as "start-end value unit|…". */
static char *figures(const num_units *u, const char *t, size_t n)
{
    size_t cap = 64 + 64 * n, len = 0, pos = 0;
    char *out = malloc(cap);
    quantity q;
    if (!out)
        return NULL;
    out[0] = '\0';
    while (pos < n && num_next(u, t, n, pos, &q)) {
        int w = snprintf(out + len, cap - len, "%zu-%zu %g %s|", q.start, q.end, q.value, q.unit_norm);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
        pos = q.end > pos ? q.end : pos + 1;
    }
    return out;
}

static void numbers_next_should_find_the_same_figures_with_avx2(void)
{
    num_units plain_units = units; /* the same tables, the plain walk */
    plain_units.scan_avx2 = false;
    int differ = 0;
    for (int round = 0; round < 2000 && differ < 5; round++) {
        size_t n;
        char *t = random_text(rng() % 700, &n);
        CHECK(t != NULL);
        if (!t)
            return;
        char *a = figures(&units, t, n), *b = figures(&plain_units, t, n);
        CHECK(a && b);
        if (a && b && strcmp(a, b) != 0) {
            printf("#   round %d differs:\n#   avx2  %s\n#   plain %s\n", round, a, b);
            check_current_failed = 1;
            differ++;
        }
        free(a);
        free(b);
        free(t);
    }
}

int main(void)
{
    if (!load_test_units(&units))
        return 1;
    RUN(numbers_scan_filter_should_hold_every_start_character);
    RUN(numbers_scan_should_stop_at_the_same_positions_with_avx2);
    RUN(numbers_next_should_find_the_same_figures_with_avx2);
    num_units_free(&units);
    return check_done();
}
