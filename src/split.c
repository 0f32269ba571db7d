/* split.c -- reports in a file, and each report's metadata.
 *
 * Works on lines of the cleaned working text.  A *title line* is a short
 * line (at most SPLIT_TITLE_MAX characters) that names a kind of report
 * (总结, 报告, 汇报, 材料, 计划 ...), does not start with a heading marker and
 * does not end like a sentence.  Then:
 *   - a series: two or more title lines numbered 篇1, 篇2 ... (also 第2篇,
 *     【篇二】) in increasing order make one report each, from the title line
 *     to the next; text before the first is the collection's preamble and
 *     belongs to no report;
 *   - otherwise the first report starts at the beginning;
 *   - in both cases a later title line starts a new report when the current
 *     one already holds enough body text (SPLIT_MIN_BODY characters;
 *     SPLIT_MIN_BODY_REPEAT when the line repeats the current title, which
 *     is then usually a running page header) and body text follows it: a
 *     volume may hold a series among other reports, or a series twice.
 * A collection heading (某某汇报材料5篇, 精选28篇, 合集) is never a title. */
#include "split.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "normalize.h"

#if EDX_AVX2_DISPATCH
#include <immintrin.h>
#endif

#define SPLIT_TITLE_MAX 50        /* characters in a title line */
#define SPLIT_INLINE_TITLE_MAX 50 /* characters of a title run into its text */
#define SPLIT_MIN_BODY 100        /* body characters before a new title */
#define SPLIT_MIN_BODY_REPEAT 300 /* ... when the title repeats the current one */
#define SPLIT_MIN_FOLLOW 20       /* body characters after a new title */
#define SPLIT_FIRST_LINES 8       /* non-empty lines searched for the first title */
#define SPLIT_CLOSING_LINES 6     /* last lines searched for organization and date */
#define SPLIT_SHORT_TITLE_MAX 40  /* characters of an untyped first-line title */
#define SPLIT_PARAGRAPH_MIN 40    /* characters of a body paragraph */

/* A word of a list with its length, counted by the compiler once instead of
 * by strlen() at each use. */
typedef struct word {
    const char *s;
    size_t len;
} word;
#define WORD(lit) {lit, sizeof lit - 1}
#define NWORDS(list) (sizeof list / sizeof *list)

static const word TITLE_WORDS[] = {WORD("总结"), WORD("报告"), WORD("汇报"), WORD("材料"),
                                   WORD("计划"), WORD("方案"), WORD("规划"), WORD("讲话"),
                                   WORD("小结"), WORD("公示表"), WORD("请示"), WORD("工作要点")};
/* Words that may close a title after its report word: 报告范文, 总结范本. */
static const word TITLE_SUFFIXES[] = {WORD("范文"), WORD("范本"), WORD("范例")};
/* No suffix is the start of another, so at most one matches at a place. */
static const word ORG_SUFFIXES[] = {WORD("教育局"), WORD("学校"), WORD("小学"), WORD("中学"),
                                    WORD("幼儿园"), WORD("学区"), WORD("中心校"), WORD("政府"),
                                    WORD("委员会"), WORD("办公室"), WORD("教研室"), WORD("教体局"),
                                    WORD("教育厅"), WORD("科"), WORD("局")};
static const word PERIODS[] = {WORD("上半年"), WORD("下半年"), WORD("全年"), WORD("第一季度"),
                               WORD("第二季度"), WORD("第三季度"), WORD("第四季度"),
                               WORD("学年度"), WORD("学年"), WORD("年度")};

typedef struct split_line line;

/* ----- small text helpers ----- */

/* w (not empty) at s[i], within s[0..n).  The first byte is compared before
 * the word's length is taken: most positions differ there. */
static inline bool has_at(const char *s, size_t n, size_t i, const char *w)
{
    if (i >= n || s[i] != w[0])
        return false;
    size_t wl = strlen(w);
    return i + wl <= n && memcmp(s + i, w, wl) == 0;
}

/* has_at() for a word of a list, its length known. */
static inline bool word_at(const char *s, size_t n, size_t i, const word *w)
{
    return i < n && s[i] == w->s[0] && w->len <= n - i && memcmp(s + i, w->s, w->len) == 0;
}

/* First occurrence of w (not empty) in s[0..n): memchr finds the candidates
 * for its first byte, the same first one a test at every position finds. */
static const char *find_in(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    if (wl > n)
        return NULL;
    const char *p = s, *last = s + (n - wl);
    while (p <= last) {
        p = memchr(p, w[0], (size_t)(last - p) + 1);
        if (!p)
            return NULL;
        if (memcmp(p, w, wl) == 0)
            return p;
        p++;
    }
    return NULL;
}

/* ----- places where a word of a list can start ----- */

/* A filter on the places where a word of a list can start: the pairs of a
 * byte of `first` and a byte of `second` include the first two bytes of
 * every word of the list (and more).  A filter only: the words are then
 * compared at the places it lets through, so a word added to a list needs
 * its first two bytes here. */
typedef struct pair_filter {
    unsigned char first[4], second[12];
    unsigned nfirst, nsecond;
} pair_filter;

/* 总 报 汇 材 方 (E6 ..), 计 讲 规 请 (E8 ..), 小 公 工 (E5 ..): TITLE_WORDS. */
static const pair_filter TITLE_PAIRS = {
    {0xE5, 0xE6, 0xE8}, {0x80, 0x8A, 0xB1, 0x9D, 0x96, 0xAE, 0xA7, 0xAF, 0xB0, 0x85, 0xB7}, 3, 11};
/* 上 下 (E4 B8), 全 (E5 85), 学 (E5 AD), 年 (E5 B9), 第 (E7 AC): PERIODS. */
static const pair_filter PERIOD_PAIRS = {{0xE4, 0xE5, 0xE7}, {0xB8, 0x85, 0xAD, 0xB9, 0xAC}, 3, 5};
/* 合 (E5 90), 精 (E7 B2): the words of a collection heading. */
static const pair_filter COLLECTION_PAIRS = {{0xE5, 0xE7}, {0x90, 0xB2}, 2, 2};

/* True when a word of a list starts at s[i] (s has n bytes). */
typedef bool place_test(const char *s, size_t n, size_t i);

static inline bool byte_in(unsigned char c, const unsigned char *set, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        if (c == set[k])
            return true;
    return false;
}

#ifdef __SSE2__
/* Bit k set when s[k] is in f->first and s[k + 1] in f->second, for k in
 * 0..15 (reads s[0..17)). */
static inline unsigned pair_places(const char *s, const pair_filter *f)
{
    __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(s + 1));
    __m128i m0 = _mm_setzero_si128(), m1 = _mm_setzero_si128();
    for (unsigned k = 0; k < f->nfirst; k++)
        m0 = _mm_or_si128(m0, _mm_cmpeq_epi8(v0, _mm_set1_epi8((char)f->first[k])));
    for (unsigned k = 0; k < f->nsecond; k++)
        m1 = _mm_or_si128(m1, _mm_cmpeq_epi8(v1, _mm_set1_epi8((char)f->second[k])));
    return (unsigned)_mm_movemask_epi8(_mm_and_si128(m0, m1));
}

/* The first of the places of bits (bit k: s[from + k]) where test() holds;
 * n when none. */
static inline size_t test_places(const char *s, size_t n, size_t from, unsigned bits,
                                 place_test *test)
{
    for (; bits; bits &= bits - 1) {
        size_t at = from + (unsigned)__builtin_ctz(bits);
        if (test(s, n, at))
            return at;
    }
    return n;
}
#endif

/* The first place in s[0..n) where test() holds, n when none.  test() is
 * asked only at the places f lets through, in order: where f stops a place
 * no word of the list starts, so the answer is the first place of all. */
static inline size_t first_place(const char *s, size_t n, const pair_filter *f, place_test *test)
{
    size_t i = 0;
#ifdef __SSE2__
    /* Sixteen places at a time, while the block's second bytes lie in s. */
    for (; n - i >= 17; i += 16) {
        size_t at = test_places(s, n, i, pair_places(s + i, f), test);
        if (at < n)
            return at;
    }
    if (n >= 17 && i < n) {
        /* The rest from the block that ends the text, its places before i
         * masked off.  It leaves out the last byte only, where no pair
         * starts. */
        size_t from = n - 17;
        return test_places(s, n, from, pair_places(s + from, f) & (~0u << (i - from)), test);
    }
#endif
    for (; i < n; i++)
        if (byte_in((unsigned char)s[i], f->first, f->nfirst) && test(s, n, i))
            return i;
    return n;
}

/* The word of TITLE_WORDS whose first character starts at s[i] (s has n
 * bytes; no word is shorter than six), NULL when none: trying the list in
 * order (title_word_cand_plain()).  Every title word starts with a
 * three-byte character and no two start with the same character, so at
 * most one can match at a place; the first two bytes of that character
 * pick it (计 and 讲, both E8 AE, by the third), and the third is compared
 * here.  One switch instead of a walk of the list with a compare per word,
 * which mispredicted often: 工 and 小 start 工作 and 小学 throughout a
 * report.  A word added to TITLE_WORDS needs a case here (and its first
 * two bytes in TITLE_PAIRS); builds with assertions compare every answer
 * with the plain walk. */
static inline const word *title_word_cand_plain(const char *s, size_t n, size_t i)
{
    if (n - i < 6)
        return NULL;
    for (const word *w = TITLE_WORDS; w < TITLE_WORDS + NWORDS(TITLE_WORDS); w++)
        if (w->s[1] == s[i + 1] && w->s[2] == s[i + 2] && w->s[0] == s[i])
            return w;
    return NULL;
}

static inline const word *title_word_pick(const char *s, size_t n, size_t i)
{
    if (n - i < 6)
        return NULL;
    unsigned c0 = (unsigned char)s[i], c1 = (unsigned char)s[i + 1];
    unsigned c2 = (unsigned char)s[i + 2];
    unsigned k;
    switch (c0 << 8 | c1) {
    case 0xE680: k = 0; break;                   /* 总结 */
    case 0xE68A: k = 1; break;                   /* 报告 */
    case 0xE6B1: k = 2; break;                   /* 汇报 */
    case 0xE69D: k = 3; break;                   /* 材料 */
    case 0xE8AE: k = c2 == 0xA1 ? 4 : 7; break;  /* 计划, 讲话 */
    case 0xE696: k = 5; break;                   /* 方案 */
    case 0xE8A7: k = 6; break;                   /* 规划 */
    case 0xE5B0: k = 8; break;                   /* 小结 */
    case 0xE585: k = 9; break;                   /* 公示表 */
    case 0xE8AF: k = 10; break;                  /* 请示 */
    case 0xE5B7: k = 11; break;                  /* 工作要点 */
    default: return NULL;
    }
    _Static_assert(NWORDS(TITLE_WORDS) == 12, "a title word without a case");
    const word *w = &TITLE_WORDS[k];
    return (unsigned char)w->s[2] == c2 ? w : NULL;
}

static inline const word *title_word_cand(const char *s, size_t n, size_t i)
{
    const word *w = title_word_pick(s, n, i);
    assert(w == title_word_cand_plain(s, n, i));
    return w;
}

/* Length of the title word at s[i], 0 when none.  "汇报人" (the presenter)
 * is not a title word. */
static inline size_t title_word_at(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return 0;
    const word *w = title_word_cand(s, n, i);
    if (w && word_at(s, n, i, w) && !has_at(s, n, i + w->len, "人"))
        return w->len;
    return 0;
}

/* Offset just past the title word at s[i] and the title words and the
 * suffix right after it. */
static size_t title_run_end(const char *s, size_t n, size_t i)
{
    /* a run of title words: 汇报材料, 总结报告 */
    size_t end = i, wl;
    while ((wl = title_word_at(s, n, end)) != 0)
        end += wl;
    for (const word *x = TITLE_SUFFIXES; x < TITLE_SUFFIXES + NWORDS(TITLE_SUFFIXES); x++)
        if (word_at(s, n, end, x)) {
            end += x->len;
            break;
        }
    return end;
}

static bool title_word_here(const char *s, size_t n, size_t i)
{
    return title_word_at(s, n, i) != 0;
}

/* Offset just past the first title word (and the title words and the
 * suffix right after it) in s[0..n), 0 when none. */
static size_t title_word_end(const char *s, size_t n)
{
    size_t at = first_place(s, n, &TITLE_PAIRS, title_word_here);
    return at < n ? title_run_end(s, n, at) : 0;
}

/* A parenthesized note without digits right after a title ("(摘要)"):
 * returns where the title then ends, or `end` unchanged ("(共2页)"). */
static size_t with_note(const char *s, size_t end, size_t b)
{
    if (end < b && s[end] == '(') {
        size_t k = end + 1;
        bool digit = false;
        while (k < b && s[k] != ')' && k - end < 40) {
            digit |= s[k] >= '0' && s[k] <= '9';
            k++;
        }
        if (k < b && s[k] == ')' && !digit)
            return k + 1;
    }
    return end;
}

/* A title line's title: the line without a file extension (".docx") or a
 * page count ("(共2页)") at its end. */
static size_t title_line_end(const char *s, size_t a, size_t b)
{
    static const word EXT[] = {WORD(".docx"), WORD(".doc"), WORD(".pdf"), WORD(".txt")};
    for (const word *e = EXT; e < EXT + NWORDS(EXT); e++)
        if (b - a > e->len && memcmp(s + b - e->len, e->s, e->len) == 0) {
            b -= e->len;
            break;
        }
    if (b - a > 2 && s[b - 1] == ')') {
        size_t k = b - 1;
        while (k > a && s[k] != '(')
            k--;
        if (s[k] == '(' && has_at(s, b, k + 1, "共"))
            b = k;
    }
    return b;
}

static bool is_digit_cp(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static bool cn_numeral(uint32_t c)
{
    return cn_numeral_value(c) >= 0;
}

/* A heading marker at the start: 一、 (一) 1、 1. (1) 一) */
static bool starts_with_marker(const char *s, size_t a, size_t b)
{
    size_t i = a;
    if (i >= b)
        return false;
    /* A marker starts with '(', a digit, 【 (E3 ..) or a numeral (一 .. 九
     * 十 零: E4, E5 or E9 ..): any other first byte starts no marker. */
    unsigned char c0 = (unsigned char)s[i];
    if (c0 < 0x80 ? c0 != '(' && !is_digit_cp(c0)
                  : c0 != 0xE3 && c0 != 0xE4 && c0 != 0xE5 && c0 != 0xE9)
        return false;
    uint32_t c = utf8_next(s, b, &i);
    if (c == '(' || c == 0x3010)
        return i < b && (cn_numeral(utf8_next(s, b, &i)) || is_digit_cp((unsigned char)s[i - 1]));
    if (!(cn_numeral(c) || is_digit_cp(c)))
        return false;
    size_t digits = 1;
    while (i < b) {
        size_t j = i;
        uint32_t n = utf8_next(s, b, &j);
        if (!(cn_numeral(n) || is_digit_cp(n)))
            return n == 0x3001 || n == '.' || n == ')' || (n == ' ' && digits <= 2);
        digits++;
        i = j;
    }
    return false;
}

/* Sentence-like endings a title does not have. */
static bool ends_like_sentence(const char *s, size_t a, size_t b)
{
    if (b <= a)
        return false;
    size_t st;
    uint32_t c = utf8_prev(s, b, &st);
    (void)a;
    return c == 0x3002 || c == ',' || c == ';' || c == ':' || c == 0x3001 || c == '!' ||
           c == '?' || c == 0x2026;
}

/* 合集, 精选 or 精编 at s[i], within s[0..n). */
static inline bool collection_word_at(const char *s, size_t n, size_t i)
{
    return has_at(s, n, i, "合集") || has_at(s, n, i, "精选") || has_at(s, n, i, "精编");
}

/* 合集, 精选 or 精编 anywhere in s[0..n) (a line may be a whole report). */
static bool collection_word_in(const char *s, size_t n)
{
    return first_place(s, n, &COLLECTION_PAIRS, collection_word_at) < n;
}

/* 某某材料5篇, (精选28篇), 合集: the heading of a collection. */
static bool collection_heading(const char *s, size_t a, size_t b)
{
    if (collection_word_in(s + a, b - a))
        return true;
    size_t st, j = b;
    uint32_t c = utf8_prev(s, j, &st);
    if (c == ')' && st > a)
        c = utf8_prev(s, j = st, &st);
    if (c != 0x7BC7) /* 篇 */
        return false;
    if (st <= a)
        return false;
    size_t k;
    uint32_t d = utf8_prev(s, st, &k);
    return is_digit_cp(d) || cn_numeral(d);
}

/* The 篇 number of a series title line: "…篇1", "…第2篇", "【篇一】"; 0 if none. */
static long series_number(const char *s, size_t a, size_t b)
{
    size_t st;
    size_t end = b;
    uint32_t c = utf8_prev(s, end, &st);
    if (c == 0x3011) { /* 】 */
        end = st;
        c = utf8_prev(s, end, &st);
    }
    if (c == 0x7BC7) { /* 第N篇 */
        size_t k = st, p;
        long v = 0, mul = 1;
        bool any = false;
        while (k > a) {
            uint32_t d = utf8_prev(s, k, &p);
            if (!is_digit_cp(d))
                break;
            v += (long)(d - '0') * mul;
            mul *= 10;
            any = true;
            k = p;
        }
        if (any && k > a && utf8_prev(s, k, &p) == 0x7B2C)
            return v;
        return 0;
    }
    long v = 0, mul = 1;
    size_t k = end, p;
    bool any = false;
    while (k > a) {
        uint32_t d = utf8_prev(s, k, &p);
        long dv = is_digit_cp(d) ? (long)(d - '0') : (long)cn_numeral_value(d);
        if (dv < 0 || dv > 9)
            break;
        v += dv * mul;
        mul *= 10;
        any = true;
        k = p;
        if (mul > 1000)
            break;
    }
    if (any && k > a && utf8_prev(s, k, &p) == 0x7BC7)
        return v;
    return 0;
}

static bool is_title_line(const char *s, const line *l)
{
    /* The cheap tests at the line's ends first (all must hold). */
    if (l->chars < 4 || l->chars > SPLIT_TITLE_MAX)
        return false;
    if (ends_like_sentence(s, l->a, l->b) || starts_with_marker(s, l->a, l->b) ||
        has_at(s, l->b, l->a, "附件"))
        return false;
    if (!title_word_end(s + l->a, l->b - l->a))
        return false;
    return !collection_heading(s, l->a, l->b);
}

static bool same_text(const char *s, const line *x, const line *y)
{
    return x->b - x->a == y->b - y->a && memcmp(s + x->a, s + y->a, x->b - x->a) == 0;
}

/* ----- splitting ----- */

/* Bytes of s[x..y) that start a character (are not 10xxxxxx): the count
 * utf8_count() gives for s[x..y). */
static size_t char_starts(const char *s, size_t x, size_t y)
{
    size_t n = 0;
    for (size_t i = x; i < y; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

#ifdef __SSE2__
/* The sum of the sixteen byte lanes of acc. */
static inline size_t lane_sum(__m128i acc)
{
    __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
    return (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
}
#endif

/* End of the line that starts at s[pos] (its '\n', or `to`); *chars gets
 * char_starts() of the line: one walk for what memchr() and utf8_count()
 * gave in two. */
static size_t line_end(const char *s, size_t pos, size_t to, size_t *chars)
{
    size_t i = pos, cont = 0;
#ifdef __SSE2__
    /* Continuation bytes are the signed bytes below -64 (0x80..0xBF): their
     * compare masks (-1 each) are subtracted bytewise into acc (at most 252
     * per byte lane between two sums by psadbw).  Sixty-four bytes at a
     * time: a block without '\n' adds all its masks; in the block with the
     * first '\n' (bit k of the block's 64-bit '\n' mask) only the masks of
     * the k bytes before it are taken, lanes below k, and the line ends
     * there, so that a line costs one unpredictable branch (the block with
     * its end) and no walk over the block's rest.  Sixteen bytes at a time
     * for the last 63 bytes of the text; the byte loop below then stops at
     * once at the '\n'. */
    const __m128i nl = _mm_set1_epi8('\n'), c0 = _mm_set1_epi8(-64), zero = _mm_setzero_si128();
    const __m128i lane = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m128i sixteen = _mm_set1_epi8(16);
    __m128i acc = zero;
    for (unsigned rounds = 0; to - i >= 64; i += 64) {
        const __m128i *p = (const __m128i *)(const void *)(s + i);
        __m128i v0 = _mm_loadu_si128(p), v1 = _mm_loadu_si128(p + 1);
        __m128i v2 = _mm_loadu_si128(p + 2), v3 = _mm_loadu_si128(p + 3);
        uint64_t m = (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v0, nl)) |
                     (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v1, nl)) << 16 |
                     (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v2, nl)) << 32 |
                     (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v3, nl)) << 48;
        __m128i a0 = _mm_cmplt_epi8(v0, c0), a1 = _mm_cmplt_epi8(v1, c0);
        __m128i a2 = _mm_cmplt_epi8(v2, c0), a3 = _mm_cmplt_epi8(v3, c0);
        if (m) {
            /* Lane j of vector b is byte 16 b + j of the block: its mask is
             * taken when that is below k (k <= 63: no signed overflow). */
            unsigned k = (unsigned)__builtin_ctzll(m);
            __m128i kk = _mm_set1_epi8((char)k), l = lane;
            a0 = _mm_and_si128(a0, _mm_cmplt_epi8(l, kk));
            l = _mm_add_epi8(l, sixteen);
            a1 = _mm_and_si128(a1, _mm_cmplt_epi8(l, kk));
            l = _mm_add_epi8(l, sixteen);
            a2 = _mm_and_si128(a2, _mm_cmplt_epi8(l, kk));
            l = _mm_add_epi8(l, sixteen);
            a3 = _mm_and_si128(a3, _mm_cmplt_epi8(l, kk));
            acc = _mm_sub_epi8(acc, _mm_add_epi8(_mm_add_epi8(a0, a1), _mm_add_epi8(a2, a3)));
            i += k;
            *chars = i - pos - cont - lane_sum(acc);
            return i;
        }
        acc = _mm_sub_epi8(acc, _mm_add_epi8(_mm_add_epi8(a0, a1), _mm_add_epi8(a2, a3)));
        if (++rounds == 63) {
            cont += lane_sum(acc);
            acc = zero;
            rounds = 0;
        }
    }
    /* Fewer than 64 bytes are left here: at most three blocks of sixteen,
     * acc gets at most 3 more per lane. */
    while (to - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i c = _mm_cmplt_epi8(v, c0);
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
        if (m) {
            unsigned k = (unsigned)__builtin_ctz(m);
            acc = _mm_sub_epi8(acc, _mm_and_si128(c, _mm_cmplt_epi8(lane, _mm_set1_epi8((char)k))));
            i += k;
            break;
        }
        acc = _mm_sub_epi8(acc, c);
        i += 16;
    }
    cont += lane_sum(acc);
#endif
    for (; i < to && s[i] != '\n'; i++)
        cont += ((unsigned char)s[i] & 0xC0) == 0x80;
    *chars = i - pos - cont;
    return i;
}

#if EDX_AVX2_DISPATCH
/* Minus the sum of the 32 byte lanes of acc, each a count as minus one
 * per byte (0 down to -255). */
__attribute__((target("avx2"))) static inline size_t neg_lane_sum256(__m256i acc)
{
    const __m256i zero = _mm256_setzero_si256();
    __m256i sums = _mm256_sad_epu8(_mm256_sub_epi8(zero, acc), zero);
    return (size_t)_mm256_extract_epi64(sums, 0) + (size_t)_mm256_extract_epi64(sums, 1) +
           (size_t)_mm256_extract_epi64(sums, 2) + (size_t)_mm256_extract_epi64(sums, 3);
}

/* line_end() with AVX2 for the blocks of 64 bytes: the same walk, each
 * block in two 32-byte halves instead of four 16-byte ones.  The counts
 * are of bytes that are not continuation bytes, which add up over any cut
 * of the line: the last bytes (fewer than 64) are left to line_end(), its
 * count added to the blocks'. */
__attribute__((target("avx2"))) static size_t line_end_avx2(const char *s, size_t pos,
                                                            size_t to, size_t *chars)
{
    const __m256i nl = _mm256_set1_epi8('\n'), c0 = _mm256_set1_epi8(-64);
    const __m256i zero = _mm256_setzero_si256();
    const __m256i lane = _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                          16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                                          29, 30, 31);
    const __m256i lane_hi = _mm256_add_epi8(lane, _mm256_set1_epi8(32));
    size_t i = pos, cont = 0;
    __m256i acc = zero; /* minus the continuation bytes of each lane since
                         * the last sum: at most 2 a block, 127 blocks */
    for (unsigned rounds = 0; to - i >= 64; i += 64) {
        const __m256i *p = (const __m256i *)(const void *)(s + i);
        __m256i v0 = _mm256_loadu_si256(p), v1 = _mm256_loadu_si256(p + 1);
        uint64_t m = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v0, nl)) |
                     (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v1, nl)) << 32;
        __m256i a0 = _mm256_cmpgt_epi8(c0, v0), a1 = _mm256_cmpgt_epi8(c0, v1);
        if (m) {
            /* Only the bytes before the '\n' (lanes below k <= 63). */
            unsigned k = (unsigned)__builtin_ctzll(m);
            __m256i kk = _mm256_set1_epi8((char)k);
            a0 = _mm256_and_si256(a0, _mm256_cmpgt_epi8(kk, lane));
            a1 = _mm256_and_si256(a1, _mm256_cmpgt_epi8(kk, lane_hi));
            acc = _mm256_add_epi8(acc, _mm256_add_epi8(a0, a1));
            i += k;
            cont += neg_lane_sum256(acc);
            *chars = i - pos - cont;
            return i;
        }
        acc = _mm256_add_epi8(acc, _mm256_add_epi8(a0, a1));
        if (++rounds == 127) {
            cont += neg_lane_sum256(acc);
            acc = zero;
            rounds = 0;
        }
    }
    cont += neg_lane_sum256(acc);
    size_t rest;
    size_t end = line_end(s, i, to, &rest);
    *chars = i - pos - cont + rest;
    return end;
}
#endif

/* The non-empty lines of working text [from, to), in ls (room for *cap
 * lines, grown as needed; NULL with *cap 0 for a new array); NULL when
 * memory ran out (ls is then freed). */
static line *read_lines(const doc *d, size_t from, size_t to, line *ls, size_t *cap,
                        size_t *count)
{
    size_t n = 0;
    if (!ls || *cap == 0) {
        free(ls);
        *cap = 16; /* small enough for malloc's per-thread cache */
        ls = malloc(*cap * sizeof *ls);
        if (!ls)
            return NULL;
    }
    size_t pos = from;
    while (pos < to) {
        size_t chars;
#if EDX_AVX2_DISPATCH
        size_t eol = d->use_avx2 ? line_end_avx2(d->work, pos, to, &chars)
                                 : line_end(d->work, pos, to, &chars);
#else
        size_t eol = line_end(d->work, pos, to, &chars);
#endif
        size_t a = pos, b = eol;
        /* Leading blanks, dashes and bullets: • is three bytes, · two. */
        for (;;) {
            if (a < b && (d->work[a] == ' ' || d->work[a] == '-'))
                a++;
            else if (has_at(d->work, b, a, "•"))
                a += strlen("•");
            else if (has_at(d->work, b, a, "·"))
                a += strlen("·");
            else
                break;
        }
        while (b > a && d->work[b - 1] == ' ')
            b--;
        if (b > a) {
            if (n == *cap) {
                *cap *= 2;
                line *q = realloc(ls, *cap * sizeof *q);
                if (!q) {
                    free(ls);
                    return NULL;
                }
                ls = q;
            }
            line *l = &ls[n++];
            l->a = a;
            l->b = b;
            /* The trimmed line's characters: the line's, less those of
             * the few bytes trimmed at its ends. */
            l->chars = chars - char_starts(d->work, pos, a) - char_starts(d->work, b, eol);
            l->title = is_title_line(d->work, l);
            l->series = l->title ? series_number(d->work, a, b) : 0;
        }
        pos = eol + 1;
    }
    *count = n;
    return ls;
}

static bool add_report(doc *d, size_t start)
{
    if (d->nreports >= DOC_MAX_REPORTS) {
        d->reports_cut = true;  /* the last report then runs to the end */
        return true;
    }
    if (d->nreports == d->capreports) {
        size_t cap = d->capreports ? d->capreports * 2 : 4;
        report *q = realloc(d->reports, cap * sizeof *q);
        if (!q)
            return false;
        d->reports = q;
        d->capreports = cap;
    }
    memset(&d->reports[d->nreports], 0, sizeof *d->reports);
    d->reports[d->nreports].extent.start = start;
    d->nreports++;
    return true;
}

void split_lines_free(split_lines *lines)
{
    free(lines->v);
    lines->v = NULL;
    lines->n = 0;
}

bool split_doc(doc *d)
{
    split_lines lines = {NULL, 0};
    bool ok = split_doc_lines(d, &lines);
    split_lines_free(&lines);
    return ok;
}

bool split_doc_lines(doc *d, split_lines *lines)
{
    size_t cap = 0;
    lines->v = NULL;
    lines->n = 0;
    return split_doc_lines_into(d, lines, &cap);
}

bool split_doc_lines_into(doc *d, split_lines *lines, size_t *cap)
{
    size_t nl = 0;
    line *ls = read_lines(d, 0, d->work_len, lines->v, cap, &nl);
    lines->v = ls;
    lines->n = 0;
    if (!ls) {
        *cap = 0;
        return false;
    }
    d->nreports = 0;
    d->reports_cut = false;
    bool ok = true;

    /* A series 篇1, 篇2 ...: at least two numbered titles in increasing order. */
    size_t nseries = 0;
    long last = 0;
    for (size_t i = 0; i < nl; i++)
        if (ls[i].series > last) {
            nseries++;
            last = ls[i].series;
        }
    /* The current report's title line, if any, and where its body starts. */
    size_t cur_title = SIZE_MAX, body_from = 0;
    last = 0;
    if (nseries >= 2) {
        /* The text before the first piece is the collection's preamble. */
        while (ls[body_from].series <= 0)
            body_from++;
        ok = add_report(d, ls[body_from].a);
        last = ls[body_from].series;
        cur_title = body_from++;
    } else {
        ok = add_report(d, 0);
        for (size_t i = 0; i < nl && i < SPLIT_FIRST_LINES && ls[i].chars <= SPLIT_TITLE_MAX; i++)
            if (ls[i].title) {
                cur_title = i;
                body_from = i + 1;
                break;
            }
    }
    /* body counts the characters of lines [body_from, i): kept as a running
     * sum, since summing it again at each title line is quadratic in a file
     * of many title lines that start no report. */
    size_t body = 0;
    for (size_t i = body_from; i < nl && ok; i++) {
        if (ls[i].title) {
            /* A title line starts the next piece of a series, or a new report
             * as in any file: a volume may hold a series among other reports,
             * or the same series twice. */
            bool repeat = cur_title != SIZE_MAX && same_text(d->work, &ls[i], &ls[cur_title]);
            size_t need = repeat ? SPLIT_MIN_BODY_REPEAT : SPLIT_MIN_BODY;
            size_t follow = 0;
            for (size_t k = i + 1; k < nl && !ls[k].title; k++)
                follow += ls[k].chars;
            bool piece = ls[i].series > last;
            if (piece || (body >= need && follow >= SPLIT_MIN_FOLLOW)) {
                ok = add_report(d, ls[i].a);
                if (piece)
                    last = ls[i].series;
                cur_title = i;
                body_from = i + 1;
                body = 0;
            } else if (repeat || (i == body_from && body == 0)) {
                body_from = i + 1;  /* a running header or a subtitle: not body */
                body = 0;
            }
        }
        if (body_from <= i)
            body += ls[i].chars;
    }
    if (!ok)
        return false;
    lines->n = nl;
    if (d->nreports == 0 && !add_report(d, 0))
        return false;
    for (size_t i = 0; i < d->nreports; i++)
        d->reports[i].extent.end = i + 1 < d->nreports ? d->reports[i + 1].extent.start
                                                      : d->work_len;
    return true;
}

/* ----- metadata ----- */

static bool digit_at(const char *s, size_t i)
{
    return is_digit_cp((unsigned char)s[i]);
}

/* The first place p >= i, with p + 4 < n, where four digits start (s[p]
 * .. s[p + 3], and not after a digit); n when none.  A place whose fourth
 * byte is not a digit is passed with the three after it, whose four would
 * hold that byte too. */
static size_t four_digits_from(const char *s, size_t n, size_t i)
{
    while (i + 4 < n) {
        if (!digit_at(s, i + 3))
            i += 4;
        else if (digit_at(s, i) && digit_at(s, i + 1) && digit_at(s, i + 2) &&
                 !(i > 0 && digit_at(s, i - 1)))
            return i;
        else
            i++;
    }
    return n;
}

/* A 4-digit year (1950..2099) followed by 年, in s[0..n); 0 when none. */
static int year_in(const char *s, size_t n)
{
    for (size_t i = four_digits_from(s, n, 0); i < n; i = four_digits_from(s, n, i + 1)) {
        size_t j = i + 4;
        if (!has_at(s, n, j, "年"))
            continue;
        int y = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
        if (y >= 1950 && y <= 2099)
            return y;
    }
    return 0;
}

/* "2018-05-15" for y 2018, m 5, d 15: what snprintf's "%04d-%02d-%02d"
 * writes for a year of four digits and a month and day of one or two
 * (snprintf drew a truncation warning once GCC lost track of the bounds). */
static void put_date(char out[11], int y, int m, int d)
{
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* A date "2018年5月15日" in s[0..n) → "2018-05-15"; false when none. */
static bool date_in(const char *s, size_t n, char out[11])
{
    /* The year has four digits (fewer or more are passed below). */
    for (size_t i = four_digits_from(s, n, 0); i < n; i = four_digits_from(s, n, i + 1)) {
        size_t j = i;
        int y = 0, digits = 0;
        while (j < n && is_digit_cp((unsigned char)s[j]) && digits < 5) {
            y = y * 10 + (s[j] - '0');
            j++;
            digits++;
        }
        if (digits != 4 || y < 1950 || y > 2099)
            continue;
        while (j < n && s[j] == ' ')
            j++;
        if (!has_at(s, n, j, "年"))
            continue;
        j += 3;
        int vals[2] = {0, 0};
        bool good = true;
        for (int part = 0; part < 2 && good; part++) {
            while (j < n && s[j] == ' ')
                j++;
            int v = 0, dg = 0;
            while (j < n && is_digit_cp((unsigned char)s[j]) && dg < 3) {
                v = v * 10 + (s[j] - '0');
                j++;
                dg++;
            }
            while (j < n && s[j] == ' ')
                j++;
            const char *unit = part == 0 ? "月" : "日";
            if (!dg || !has_at(s, n, j, unit)) {
                good = false;
                break;
            }
            j += 3;
            vals[part] = v;
        }
        if (!good || vals[0] < 1 || vals[0] > 12 || vals[1] < 1 || vals[1] > 31)
            continue;
        put_date(out, y, vals[0], vals[1]);
        return true;
    }
    return false;
}

static char *dup_range(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* The period at s[i] (the first listed: "学年度" before "学年"), NULL when
 * none. */
static const word *period_at(const char *s, size_t n, size_t i)
{
    for (const word *p = PERIODS; p < PERIODS + NWORDS(PERIODS); p++)
        if (word_at(s, n, i, p))
            return p;
    return NULL;
}

static bool period_here(const char *s, size_t n, size_t i)
{
    return period_at(s, n, i) != NULL;
}

/* Where the first period named in s[0..n) starts, n when none; *which gets
 * the period (NULL when none).  Places in order, and at one place the
 * list's order: the place and word that searching for each period in turn
 * and keeping the earliest place (the first word listed on a tie) gives. */
static size_t first_period(const char *s, size_t n, const word **which)
{
    size_t at = first_place(s, n, &PERIOD_PAIRS, period_here);
    *which = at < n ? period_at(s, n, at) : NULL;
    return at;
}

/* The first character of an organization suffix: 教 学 小 中 幼 政 委 办 科
 * 局.  Only a filter before the word is looked up in ORG_SUFFIXES: a suffix
 * added there needs its first character here. */
static inline bool org_suffix_start(const char *s, size_t n, size_t i)
{
    if (n - i < 3)
        return false;
    const unsigned char *u = (const unsigned char *)s + i;
    switch ((unsigned)u[0] << 16 | (unsigned)u[1] << 8 | u[2]) {
    case 0xE69599: case 0xE5ADA6: case 0xE5B08F: case 0xE4B8AD: case 0xE5B9BC:
    case 0xE694BF: case 0xE5A794: case 0xE58A9E: case 0xE7A791: case 0xE5B180:
        return true;
    default:
        return false;
    }
}

/* Length of the organization suffix at s[i], within s[0..n); 0 when none.
 * At most one matches (none starts another), so its order in the list does
 * not matter. */
static size_t org_suffix_at(const char *s, size_t n, size_t i)
{
    if (i >= n || !org_suffix_start(s, n, i))
        return 0;
    for (const word *w = ORG_SUFFIXES; w < ORG_SUFFIXES + NWORDS(ORG_SUFFIXES); w++)
        if (word_at(s, n, i, w))
            return w->len;
    return 0;
}

/* The longest prefix of s[0..n) (after a leading year) that ends with an
 * organization suffix and is at least 3 characters, from the original text. */
static char *org_from_title(const doc *d, size_t a, size_t b)
{
    const char *s = d->work;
    size_t i = a;
    /* skip a leading year: 2021年, 2021年度, 20XX年 */
    size_t k = i;
    while (k < b && (is_digit_cp((unsigned char)s[k]) || s[k] == 'X' || s[k] == 'x'))
        k++;
    if (k > i && has_at(s, b, k, "年")) {
        k += 3;
        if (has_at(s, b, k, "度"))
            k += 3;
        i = k;
    } else if (k > i) {
        i = k;   /* 2022市教育局 */
    }
    size_t stop = b;
    size_t tw = title_word_end(s + i, b - i);
    if (tw)
        stop = i + tw;
    /* Before the first period (one scan for all of them: the same stop as
     * each period's first place in turn within the text left before the
     * earlier ones, since none starts inside another's place that way). */
    const word *period;
    stop = i + first_period(s + i, stop - i, &period);
    /* The shortest such prefix, extended by a unit named right after it
     * (教育局 + 普教科), not by a second body further on. */
    size_t best = 0;
    for (size_t e = i; e < stop; e++) {
        /* Every suffix starts with a byte E4..E7 (中 幼 教 科 局 …). */
        if ((unsigned char)s[e] < 0xE4 || (unsigned char)s[e] > 0xE7)
            continue;
        size_t sl = org_suffix_at(s, stop, e);
        if (!sl)
            continue;
        size_t end = e + sl;
        if (utf8_count(s + i, end - i) < 3)
            continue;
        if (!best || utf8_count(s + best, end - best) <= 3)
            best = end > best ? end : best;
    }
    if (!best)
        return NULL;
    for (size_t q = i; q < best; q++)
        if (s[q] == ' ' || s[q] == ',' || s[q] == ':' || has_at(s, best, q, "、"))
            return NULL;
    return doc_orig_slice(d, (wspan){i, best});
}

static bool ends_with_org(const char *s, size_t a, size_t b)
{
    for (const word *w = ORG_SUFFIXES; w < ORG_SUFFIXES + NWORDS(ORG_SUFFIXES); w++)
        if (b - a >= w->len && memcmp(s + b - w->len, w->s, w->len) == 0)
            return true;
    return false;
}

/* The original text of a title; a pinyin annotation that normalize dropped
 * after its last character stays part of it: "合肥東林小學(xué)". */
static char *title_slice(const doc *d, wspan t)
{
    char *base = doc_orig_slice(d, t);
    if (!base)
        return NULL;
    size_t last;
    utf8_prev(d->work, t.end, &last);
    size_t o = doc_orig_byte(d, last);
    if (o < d->orig_len)
        utf8_next(d->orig, d->orig_len, &o);
    size_t next = doc_orig_byte(d, t.end);
    if (next > o && next - o <= 24 && (d->orig[o] == '(' || has_at(d->orig, next, o, "（")) &&
        (d->orig[next - 1] == ')' || (next - o >= 3 && has_at(d->orig, next, next - 3, "）"))) &&
        !memchr(d->orig + o, '\n', next - o)) {
        size_t bl = strlen(base);
        char *q = realloc(base, bl + (next - o) + 1);
        if (!q) {
            free(base);
            return NULL;
        }
        memcpy(q + bl, d->orig + o, next - o);
        q[bl + (next - o)] = '\0';
        return q;
    }
    return base;
}

/* The first line that is not a repeat of ls[0] is a body paragraph: ls[0]
 * then stands above the text like a headline. */
static bool paragraph_follows(const char *s, const line *ls, size_t n)
{
    for (size_t k = 1; k < n; k++) {
        if (same_text(s, &ls[k], &ls[0]))
            continue;
        return ls[k].chars >= SPLIT_PARAGRAPH_MIN;
    }
    return false;
}

/* Index of the first line in v[0..n) that starts at or after byte w. */
static size_t first_line_from(const line *v, size_t n, size_t w)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].a < w)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool metadata_of(const doc *d, const line *ls, size_t n, report *r);

bool split_metadata(const doc *d, report *r)
{
    size_t nl = 0, cap = 0;
    /* Lines of this report only: reading the whole file for each report
     * made a file of many reports quadratic. */
    line *all = read_lines(d, r->extent.start, r->extent.end, NULL, &cap, &nl);
    if (!all)
        return false;
    bool ok = metadata_of(d, all, nl, r);
    free(all);
    return ok;
}

bool split_metadata_in(const doc *d, const split_lines *lines, report *r)
{
    /* A report split_doc_lines() made starts at 0 or where one of its lines
     * starts (after the line's trimmed lead), and ends where the next report
     * starts or at the end of the text.  Reading the lines of that range
     * then gives exactly the lines of the whole text that start inside it:
     * a line is read the same from its own start as from the line break
     * before it, and what lies between the last line break and the next
     * report's start is trimmed lead only, no line.  Any other extent is
     * read afresh. */
    const line *v = lines->v;
    size_t n = lines->n;
    size_t lo = first_line_from(v, n, r->extent.start);
    size_t hi = first_line_from(v, n, r->extent.end);
    bool start_ok = r->extent.start == 0 || (lo < n && v[lo].a == r->extent.start);
    bool end_ok = r->extent.end == d->work_len || (hi < n && v[hi].a == r->extent.end);
    if (!start_ok || !end_ok || r->extent.end > d->work_len)
        return split_metadata(d, r);
    return metadata_of(d, v + lo, hi - lo, r);
}

static bool metadata_of(const doc *d, const line *ls, size_t n, report *r)
{
    const char *s = d->work;

    /* Title: a title line among the first lines, or a title run into the
     * first line's text, or a short first line. */
    wspan title = {0, 0};
    for (size_t i = 0; i < n && i < SPLIT_FIRST_LINES && ls[i].chars <= SPLIT_TITLE_MAX; i++)
        if (ls[i].title) {
            /* Of title lines in a row (a site's title, then the report's
             * own), the last one, unless the first numbers a series piece. */
            size_t k = i;
            while (!ls[i].series && k + 1 < n && ls[k + 1].title)
                k++;
            title.start = ls[k].a;
            title.end = title_line_end(s, ls[k].a, ls[k].b);
            break;
        }
    if (title.end == 0 && n > 0) {
        /* A title run into the first line starts it: look no further than
         * a title could reach (a whole report may be one line). */
        size_t reach = ls[0].b - ls[0].a;
        if (reach > SPLIT_INLINE_TITLE_MAX * 4)
            reach = SPLIT_INLINE_TITLE_MAX * 4;
        size_t tw = title_word_end(s + ls[0].a, reach);
        /* The tests within the title's reach first: the last one reads the
         * whole line, which may be the whole report. */
        if (tw && utf8_count(s + ls[0].a, tw) <= SPLIT_INLINE_TITLE_MAX &&
            !starts_with_marker(s, ls[0].a, ls[0].b) &&
            !find_in(s + ls[0].a, tw, ",") && !find_in(s + ls[0].a, tw, "。") &&
            (!find_in(s + ls[0].a, tw, "《") || find_in(s + ls[0].a, tw, "》")) &&
            !collection_heading(s, ls[0].a, ls[0].a + tw) &&
            !collection_heading(s, ls[0].a, ls[0].b)) {
            title.start = ls[0].a;
            title.end = ls[0].a + tw;
            title.end = with_note(s, title.end, ls[0].b);
        } else if (ls[0].chars <= SPLIT_SHORT_TITLE_MAX && n > 1 &&
                   !starts_with_marker(s, ls[0].a, ls[0].b) &&
                   !ends_like_sentence(s, ls[0].a, ls[0].b) &&
                   !collection_heading(s, ls[0].a, ls[0].b) &&
                   (ends_with_org(s, ls[0].a, ls[0].b) || paragraph_follows(s, ls, n))) {
            title.start = ls[0].a;
            title.end = ls[0].b;
        }
    }
    if (title.end > title.start) {
        r->title = title_slice(d, title);
        if (!r->title)
            return false;
        r->year = year_in(s + title.start, title.end - title.start);
        /* The period named first; 学年度 is told as 学年. */
        const word *p = NULL;
        first_period(s + title.start, title.end - title.start, &p);
        if (p) {
            size_t pl = strcmp(p->s, "学年度") == 0 ? strlen("学年") : p->len;
            r->period = dup_range(p->s, pl);
            if (!r->period)
                return false;
        }
    }

    /* Closing: a date line near the end, the organization on the line
     * before it (or on the same line before the date). */
    for (size_t k = 0; k < SPLIT_CLOSING_LINES && k < n; k++) {
        const line *l = &ls[n - 1 - k];
        char date[11];
        if (l->chars > 24 || !date_in(s + l->a, l->b - l->a, date))
            continue;
        r->date = dup_range(date, 10);
        if (!r->date)
            return false;
        if (!r->year)
            r->year = (int)strtol(date, NULL, 10);
        if (n - 1 - k > 0) {
            const line *o = &ls[n - 2 - k];
            if (o->chars <= 30 && ends_with_org(s, o->a, o->b) &&
                !ends_like_sentence(s, o->a, o->b)) {
                r->organization = doc_orig_slice(d, (wspan){o->a, o->b});
                if (!r->organization)
                    return false;
            }
        }
        break;
    }
    if (!r->organization && title.end > title.start) {
        r->organization = org_from_title(d, title.start, title.end);
    }
    return true;
}
