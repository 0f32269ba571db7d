/* outline.c -- numbered-heading tree (stage 5).
 *
 * Three passes over one report's working text, all linear:
 *
 *  1. scan: every place a number marker could stand (一、 (一) 1. (1) ① 第一
 *     〔一〕 指标1: …) becomes a candidate with its family, its number and
 *     what stands before it (line start, sentence end, or running text);
 *  2. page chunks: a run 1、 2、 3、 … of line-start markers that mostly
 *     follow a line cut in mid-sentence is the page numbering of a scraped
 *     document, not headings; such runs are dropped;
 *  3. tree: candidates are taken in text order against a stack of open
 *     sections.  A candidate whose family is open continues it: it closes
 *     that section and everything inside it, and is a heading only when its
 *     number is the next one (n = previous + 1).  A candidate of a family
 *     not open is a heading only with number 1, and nests under the
 *     innermost open section.  So levels follow the order in which the
 *     report opens its families, section by section: 1、 may sit right
 *     under 一、 in one part and under (一) in the next.
 *
 * Titles run from the marker to the first sentence end, the line end or the
 * next heading, whichever comes first.  docs/OUTLINE.md has the rules and
 * the traps they answer. */
#include "outline.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>


#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if EDX_AVX2_DISPATCH
#include <immintrin.h>
#endif

/* Marker families.  Each is one heading style; its level in a report comes
 * from the order in which the report uses the families. */
enum {
    FAM_CN_DUN = 0,  /* 一、  一.              */
    FAM_CN_PAREN,    /* (一)  (一)、           */
    FAM_CN_RPAREN,   /* 一)                    */
    FAM_CN_BRACKET,  /* 〔一〕                  */
    FAM_AR,          /* 1、 1. 1． ⒈  x.       */
    FAM_AR_PAREN,    /* (1)  ⑴                 */
    FAM_AR_RPAREN,   /* 1)                     */
    FAM_CIRCLED,     /* ①                      */
    FAM_DI,          /* 第一、 第一,            */
    FAM_DI_PART,     /* 第一部分                */
    FAM_DI_CHAPTER,  /* 第一章                  */
    FAM_DI_SECTION,  /* 第一节                  */
    FAM_DI_ITEM,     /* 第一项: 第一条          */
    FAM_LABEL,       /* 指标1: 指标一:          */
    FAM_COUNT
};

#define NUM_WILD (-1)      /* "x." in a redacted report: any number */
#define NUM_MAX 99
#define CUT_LINE_MIN 40    /* code points of a line a page break can cut */
#define RUNIN_MAX 40       /* code points from a run-in heading to its first subheading */

typedef struct cand {
    size_t start, mend;    /* marker bytes */
    int fam;
    int num;
    bool line_start;       /* first thing on its line */
    bool boundary;         /* line start or after a sentence end */
    bool cut;              /* line start right after a line cut in mid-sentence */
    bool drop;             /* page-chunk number */
} cand;

#define CAND_LOCAL 16 /* candidates held without an allocation: a short report's */

typedef struct cand_list {
    cand *v;               /* local, or malloc'd once more are needed */
    size_t n, cap;
    cand local[CAND_LOCAL];
} cand_list;

/* ----- characters ----- */

/* The Chinese digits 一 .. 十 of cn_numeral_value() (text.h) with their
 * values, cp << 4 | value, each at index cp & 31: the ten code points
 * differ in their low five bits (a second one at an index would be an
 * initializer overwritten, which -Wextra reports).  A lookup and one
 * compare, where the switch of cn_numeral_value() is a tree of branches
 * that the scan's digits, each a different one, mispredict. */
#define CN_ENTRY(cp, v) [(cp) & 31] = (uint32_t)(cp) << 4 | (v)
static const uint32_t CN_DIGITS[32] = {
    CN_ENTRY(0x4E00, 1), CN_ENTRY(0x4E8C, 2), CN_ENTRY(0x4E09, 3), CN_ENTRY(0x56DB, 4),
    CN_ENTRY(0x4E94, 5), CN_ENTRY(0x516D, 6), CN_ENTRY(0x4E03, 7), CN_ENTRY(0x516B, 8),
    CN_ENTRY(0x4E5D, 9), CN_ENTRY(0x5341, 10),
};
#undef CN_ENTRY

/* The value of a Chinese digit 一 .. 十 (1 .. 10), 0 for any other character
 * (零 and 〇 too: no heading is numbered 0): cn_numeral_value(cp) when that
 * is above 0, read from CN_DIGITS (an empty entry, 0, holds no character
 * but U+0000, whose value is 0 too). */
static inline int cn_digit(uint32_t cp)
{
    uint32_t e = CN_DIGITS[cp & 31];
    return e >> 4 == cp ? (int)(e & 15) : 0;
}

static bool is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

static bool is_alnum(uint32_t cp)
{
    return is_digit(cp) || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xA0;
}

static bool is_cjk(uint32_t cp)
{
    return cp >= 0x3400 && cp <= 0x9FFF;
}

/* Ends a sentence for titles (the colon is handled apart: 1:17.3 is a ratio). */
static bool is_stop(uint32_t cp)
{
    return cp == 0x3002 || cp == ';' || cp == 0xFF1B || cp == '!' || cp == 0xFF01 ||
           cp == '?' || cp == 0xFF1F;
}

static bool is_colon(uint32_t cp)
{
    return cp == ':' || cp == 0xFF1A;
}

/* What may stand right before an inline heading: a sentence end or the
 * close of a quotation or parenthesis.  Not ';' or ':': "如下:1.…;2.…" is
 * a list inside one sentence. */
static bool is_boundary_char(uint32_t cp)
{
    return cp == 0x3002 || cp == '!' || cp == 0xFF01 || cp == '?' || cp == 0xFF1F || cp == 0x2026 || cp == 0x201D || cp == '"' ||
           cp == 0x300D || cp == 0x300F || cp == ')' || cp == 0xFF09 || cp == 0x3011 ||
           cp == 0x300B || cp == 0x3015;
}

/* Characters that form words with the numeral right after them (十八届三,
 * 高二, 初二, 统一, 唯一, 万一, 每一): a line that ends in one of them was
 * cut inside such a word, and the numeral starting the next line is not a
 * marker.  Kept short: a title line may end in 划 or 期 (工作规划, 学期). */
static bool binds_numeral(uint32_t cp)
{
    static const uint32_t chars[] = {
        0x5C4A, /* 届 */ 0x9AD8, /* 高 */ 0x521D, /* 初 */ 0x7B2C, /* 第 */
        0x7EDF, /* 统 */ 0x552F, /* 唯 */ 0x4E07, /* 万 */ 0x6BCF, /* 每 */
        0x5468, /* 周 */ 0x661F, /* 星 */ 0x9010, /* 逐 */ 0x767E, /* 百 */
        0x5343, /* 千 */
    };
    for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++)
        if (chars[i] == cp)
            return true;
    return cn_digit(cp) != 0 || cp == 0x3007 || cp == 0x96F6;
}

static uint32_t peek(const char *s, size_t end, size_t i)
{
    return i < end ? utf8_next(s, end, &i) : 0;
}

static bool has_str(const char *s, size_t end, size_t i, const char *lit)
{
    size_t n = strlen(lit);
    return i + n <= end && memcmp(s + i, lit, n) == 0;
}

/* ----- numbers ----- */

/* The value of the Chinese digit at s[p] (see cn_digit()), 0 when none is
 * there.  All ten are three-byte characters led by E4 or E5, which
 * utf8_next() decodes as they stand when both continuation bytes follow:
 * the same as cn_digit(peek(s, end, p)), without decoding other characters. */
static inline int cn_digit_at(const char *s, size_t end, size_t p)
{
    const unsigned char *u = (const unsigned char *)s + p;
    if (p >= end || end - p < 3 || (u[0] != 0xE4 && u[0] != 0xE5) || (u[1] & 0xC0) != 0x80 ||
        (u[2] & 0xC0) != 0x80)
        return 0;
    return cn_digit((uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F));
}

/* Chinese numeral 1..99 at s[*i] (一, 十, 十一, 二十, 二十三); advances *i. */
static int cn_number(const char *s, size_t end, size_t *i)
{
    size_t p = *i;
    int d[3], n = 0;
    while (n < 3) {
        int v = cn_digit_at(s, end, p);
        if (!v)
            break;
        d[n++] = v;
        p += 3;
    }
    if (n == 0 || cn_digit_at(s, end, p))
        return 0;
    int val = 0;
    if (n == 1)
        val = d[0];
    else if (n == 2 && d[0] == 10 && d[1] < 10)
        val = 10 + d[1];
    else if (n == 2 && d[0] < 10 && d[1] == 10)
        val = d[0] * 10;
    else if (n == 3 && d[0] < 10 && d[1] == 10 && d[2] < 10)
        val = d[0] * 10 + d[2];
    else
        return 0;
    *i = p;
    return val;
}

/* Arabic 1..99 at s[*i], at most two digits; advances *i. */
static int ar_number(const char *s, size_t end, size_t *i)
{
    size_t p = *i;
    int val = 0, n = 0;
    while (p < end && is_digit((unsigned char)s[p])) {
        if (++n > 2)
            return 0;
        val = val * 10 + (s[p] - '0');
        p++;
    }
    if (n == 0 || val == 0)
        return 0;
    *i = p;
    return val;
}

/* The number right after a marker, when it is the next one in a list
 * ("三、四中全会", "一、二年级", "1、2、3"): then the marker is a list. */
static bool next_is_enumeration(const char *s, size_t end, size_t p, bool chinese, int num)
{
    size_t q = p;
    int v = chinese ? cn_number(s, end, &q) : ar_number(s, end, &q);
    if (v > 0 && v == num + 1)
        return true;
    if (!chinese)
        return false;
    /* "高二、初二、小学": a word ending in a numeral, then 、 again. */
    q = p;
    if (!is_cjk(peek(s, end, q)))
        return false;
    utf8_next(s, end, &q);
    return cn_number(s, end, &q) > 0 && has_str(s, end, q, "、");
}

/* ----- markers ----- */

/* "1.2022年…": a marker before a year, not the decimal 1.2022. */
static bool year_follows(const char *s, size_t end, size_t p)
{
    size_t q = p;
    while (q < end && q - p < 5 && is_digit((unsigned char)s[q]))
        q++;
    return q - p == 4 && has_str(s, end, q, "年");
}

/* Optional trailing 、 after a closing bracket: "(八)、". */
static size_t eat_dun(const char *s, size_t end, size_t p)
{
    return has_str(s, end, p, "、") ? p + 3 : p;
}

/* A number marker at s[i], which holds an ASCII digit or x (1、 1. 1．
 * 1) 1） x.); fills c->fam, c->num, c->mend.  False when none.  Apart from
 * marker_at() so that scan(), which knows the character, calls it alone. */
static bool number_marker_at(const char *s, size_t end, size_t i, cand *c)
{
    size_t q = i;
    int n;
    if (is_digit((unsigned char)s[i])) {
        n = ar_number(s, end, &q);
    } else {
        while (q < end && (s[q] == 'x' || s[q] == 'X') && q - i < 2)
            q++;
        n = NUM_WILD;
    }
    if (n == 0)
        return false;
    uint32_t sep = peek(s, end, q);
    if (sep == 0x3001) {
        q += 3;
        c->fam = FAM_AR;
    } else if ((sep == '.' || sep == 0xFF0E) &&
               (!is_alnum(peek(s, end, q + (sep == '.' ? 1 : 3))) ||
                year_follows(s, end, q + (sep == '.' ? 1 : 3)))) {
        utf8_next(s, end, &q);
        c->fam = FAM_AR;
    } else if ((sep == ')' || sep == 0xFF09) && n != NUM_WILD) {
        utf8_next(s, end, &q);
        c->fam = FAM_AR_RPAREN;
    } else {
        return false;
    }
    /* A redacted number only with a title right after it: "x.城区学校建设". */
    if (n == NUM_WILD && !is_cjk(peek(s, end, q)))
        return false;
    if (n != NUM_WILD && next_is_enumeration(s, end, q, false, n))
        return false;
    c->num = n;
    c->mend = q;
    return true;
}

/* A marker (一) (1) (一)、 whose ( or （ ends at s[p]; fills c->fam, c->num,
 * c->mend.  False when none.  Apart from marker_at(), as the two below, so
 * that scan(), which knows the character, calls it alone. */
static bool paren_marker_at(const char *s, size_t end, size_t p, cand *c)
{
    size_t q = p;
    int n;
    if ((n = cn_number(s, end, &q)) != 0) {
        uint32_t close = peek(s, end, q);
        if (close != ')' && close != 0xFF09)
            return false;
        utf8_next(s, end, &q);
        c->fam = FAM_CN_PAREN;
    } else if ((n = ar_number(s, end, &q)) != 0) {
        uint32_t close = peek(s, end, q);
        if (close != ')' && close != 0xFF09)
            return false;
        utf8_next(s, end, &q);
        c->fam = FAM_AR_PAREN;
    } else {
        return false;
    }
    c->num = n;
    c->mend = eat_dun(s, end, q);
    return true;
}

/* A marker 一、 一. 一) at s[i], which holds a Chinese digit; fills c->fam,
 * c->num, c->mend.  False when none. */
static bool cn_marker_at(const char *s, size_t end, size_t i, cand *c)
{
    size_t q = i;
    int n;
    if ((n = cn_number(s, end, &q)) == 0)
        return false;
    uint32_t sep = peek(s, end, q);
    if (sep == 0x3001) {
        c->fam = FAM_CN_DUN;
        q += 3;
    } else if (sep == '.' && !is_alnum(peek(s, end, q + 1))) {
        c->fam = FAM_CN_DUN;
        q += 1;
    } else if (sep == ')' || sep == 0xFF09) {
        c->fam = FAM_CN_RPAREN;
        utf8_next(s, end, &q);
    } else {
        return false;
    }
    if (next_is_enumeration(s, end, q, true, n))
        return false;
    c->num = n;
    c->mend = q;
    return true;
}

/* A marker starting at s[i]; fills c->fam, c->num, c->mend.  False when none. */
static bool marker_at(const char *s, size_t end, size_t i, cand *c)
{
    size_t p = i;
    uint32_t cp = utf8_next(s, end, &p);
    int n;

    if (cp == '(' || cp == 0xFF08)
        return paren_marker_at(s, end, p, c);
    if (cp == 0x3014) { /* 〔 */
        size_t q = p;
        if ((n = cn_number(s, end, &q)) == 0 || !has_str(s, end, q, "〕"))
            return false;
        c->fam = FAM_CN_BRACKET;
        c->num = n;
        c->mend = eat_dun(s, end, q + 3);
        return true;
    }
    if (cp >= 0x2460 && cp <= 0x2473) { /* ① … ⑳ */
        c->fam = FAM_CIRCLED;
        c->num = (int)(cp - 0x2460) + 1;
        c->mend = eat_dun(s, end, p);
        return true;
    }
    if (cp >= 0x2474 && cp <= 0x2487) { /* ⑴ … ⒇ */
        c->fam = FAM_AR_PAREN;
        c->num = (int)(cp - 0x2474) + 1;
        c->mend = eat_dun(s, end, p);
        return true;
    }
    if (cp >= 0x2488 && cp <= 0x249B) { /* ⒈ … ⒛ */
        c->fam = FAM_AR;
        c->num = (int)(cp - 0x2488) + 1;
        c->mend = p;
        return true;
    }
    if (cp == 0x7B2C) { /* 第 */
        size_t q = p;
        if ((n = cn_number(s, end, &q)) == 0 && (n = ar_number(s, end, &q)) == 0)
            return false;
        int fam = FAM_DI;
        bool need_sep = true;
        if (has_str(s, end, q, "部分")) {
            fam = FAM_DI_PART, q += 6, need_sep = false;
        } else if (has_str(s, end, q, "章")) {
            fam = FAM_DI_CHAPTER, q += 3, need_sep = false;
        } else if (has_str(s, end, q, "节")) {
            fam = FAM_DI_SECTION, q += 3, need_sep = false;
        } else if (has_str(s, end, q, "项") || has_str(s, end, q, "条")) {
            fam = FAM_DI_ITEM, q += 3;
        }
        uint32_t sep = peek(s, end, q);
        if (sep == 0x3001 || sep == ',' || sep == 0xFF0C || is_colon(sep)) {
            utf8_next(s, end, &q);
        } else if (sep == '.' && !is_digit(peek(s, end, q + 1))) {
            q++;
        } else if (need_sep && !is_space(sep)) {
            return false;
        }
        c->fam = fam;
        c->num = n;
        c->mend = q;
        return true;
    }
    if (cp == 0x6307 && has_str(s, end, i, "指标")) { /* 指 first: no memcmp per digit */
        size_t q = i + 6;
        if ((n = ar_number(s, end, &q)) == 0 && (n = cn_number(s, end, &q)) == 0)
            return false;
        uint32_t sep = peek(s, end, q);
        if (!is_colon(sep) && sep != 0x3001)
            return false;
        utf8_next(s, end, &q);
        c->fam = FAM_LABEL;
        c->num = n;
        c->mend = q;
        return true;
    }
    if (cn_digit(cp))
        return cn_marker_at(s, end, i, c);
    if (is_digit(cp) || cp == 'x' || cp == 'X')
        return number_marker_at(s, end, i, c);
    return false;
}

/* Could a marker start with cp?  A cheap filter before marker_at(). */
static bool may_start(uint32_t cp)
{
    return cp == '(' || cp == 0xFF08 || cp == 0x3014 || (cp >= 0x2460 && cp <= 0x249B) ||
           cp == 0x7B2C || cp == 0x6307 || cn_digit(cp) || is_digit(cp) || cp == 'x' ||
           cp == 'X';
}

/* ----- pass 1: candidates ----- */

/* Families numbered in Chinese: after "如下:" they open sections, where
 * "如下:1.…;2.…" is a list inside a sentence. */
static bool chinese_family(int fam)
{
    return fam == FAM_CN_DUN || fam == FAM_CN_PAREN || fam == FAM_CN_BRACKET ||
           (fam >= FAM_DI && fam <= FAM_DI_ITEM);
}

/* "……工作汇报一、学校概况": a report title run into its first heading. */
static bool after_title_word(const char *s, size_t start, size_t at)
{
    static const char *words[] = {"报告", "汇报", "总结", "如下", "材料"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if (at >= start + n && memcmp(s + at - n, words[i], n) == 0)
            return true;
    }
    return false;
}

/* Twice the room for l's candidates (the first time out of l->local). */
static bool cand_grow(cand_list *l)
{
    size_t cap = l->cap * 2;
    cand *v = l->v == l->local ? malloc(cap * sizeof *v) : realloc(l->v, cap * sizeof *v);
    if (!v)
        return false;
    if (l->v == l->local)
        memcpy(v, l->local, sizeof l->local);
    l->v = v;
    l->cap = cap;
    return true;
}

/* (inline, the growth apart: called for every candidate, rarely full) */
static inline bool cand_push(cand_list *l, const cand *c)
{
    if (l->n == l->cap && !cand_grow(l))
        return false;
    l->v[l->n++] = *c;
    return true;
}

/* Most characters matter to scan() only as "something else": no line
 * break, no space, no possible start of a marker.  scan() reads those, and
 * line breaks, spaces and digits that cannot start a marker, in a fast loop
 * that does for them what its full look would do; the full look is left for
 * the others.  The characters that may start a marker are
 *   in ASCII: '(', '0'..'9', 'x', 'X' (see may_start());
 *   above U+07FF: （ 〔 第 指, the Chinese digits 一 … 十 and ① … ⒛
 *   (U+2460..U+249B), and U+3000 is a space: see is_space(), cn_digit().
 * Three-byte characters are told apart by the low twelve bits of their code
 * point (the payload of their two continuation bytes): any character whose
 * low twelve bits are those of one that matters gets the full look, and so
 * does any sequence that is not well formed. */
#define ALL_BITS (~UINT64_C(0))
#define ALL_BITS_16 ALL_BITS, ALL_BITS, ALL_BITS, ALL_BITS, ALL_BITS, ALL_BITS, ALL_BITS, \
                    ALL_BITS, ALL_BITS, ALL_BITS, ALL_BITS, ALL_BITS, ALL_BITS, ALL_BITS, \
                    ALL_BITS, ALL_BITS
#define MID(cp) (0x80 | ((cp) >> 6 & 63)) /* the middle byte of a three-byte character */
#define BIT(cp) (UINT64_C(1) << ((cp) & 63))

/* By middle byte: bit (cp & 63) set for each wide character that matters
 * with that middle byte's payload (cp >> 6 & 63); all bits set for a middle
 * byte that is no continuation byte (no such character).  A constant, so
 * that a report (however short) does not build it. */
static const uint64_t SCAN_MID[256] = {
    ALL_BITS_16, ALL_BITS_16, ALL_BITS_16, ALL_BITS_16, /* 00..3F */
    ALL_BITS_16, ALL_BITS_16, ALL_BITS_16, ALL_BITS_16, /* 40..7F */
    [MID(0x3000)] = BIT(0x3000) | BIT(0x3014),          /* U+3000, 〔 */
    [MID(0x516D)] = BIT(0x516D) | BIT(0x516B),          /* 六 八 */
    [MID(0x6307)] = BIT(0x6307),                        /* 指 */
    [MID(0x5341)] = BIT(0x5341),                        /* 十 */
    /* ① … ⒛: U+2460..U+247F are the upper half of middle byte 0x91's
     * word (0x2460 >> 6 & 63 = 0x11), U+2480..U+249B the low 28 bits of
     * 0x92's. */
    [0x91] = ALL_BITS << 32,
    [0x92] = (UINT64_C(1) << 28) - 1,
    [MID(0x56DB)] = BIT(0x56DB),                        /* 四 */
    [MID(0x7B2C)] = BIT(0x7B2C),                        /* 第 */
    [MID(0x4E00)] = BIT(0x4E00) | BIT(0x4E09) | BIT(0x4E03), /* 一 三 七 */
    [MID(0x4E5D)] = BIT(0x4E5D),                        /* 九 */
    [MID(0x4E8C)] = BIT(0x4E8C) | BIT(0x4E94),          /* 二 五 */
    [MID(0xFF08)] = BIT(0xFF08),                        /* （ */
    [0xC0] = ALL_BITS_16, ALL_BITS_16, ALL_BITS_16, ALL_BITS_16, /* C0..FF */
};

/* Three-byte lead bytes the fast loop takes, bit k for lead byte E0 + k:
 * not E0 (overlong forms possible) nor ED (surrogates possible), so with
 * two continuation bytes utf8_next() decodes the sequence as it stands. */
#define PLAIN_LEADS 0xDFFEu

/* PLAIN_LEADS by byte: 1 for E1..EC, EE and EF, 0 for every other byte (so
 * one load answers "a three-byte lead the fast loop takes"). */
static const unsigned char PLAIN_LEAD[256] = {
    [0xE1] = 1, [0xE2] = 1, [0xE3] = 1, [0xE4] = 1, [0xE5] = 1, [0xE6] = 1, [0xE7] = 1,
    [0xE8] = 1, [0xE9] = 1, [0xEA] = 1, [0xEB] = 1, [0xEC] = 1, [0xEE] = 1, [0xEF] = 1,
};

/* The three bytes at u[q] are a well-formed character that scan() reads as
 * "something else" (see above): a lead PLAIN_LEADS takes, two continuation
 * bytes (SCAN_MID has every bit set for a middle byte that is none) and no
 * low twelve bits of a character that matters.  `valid`: the text is known
 * to be well-formed (doc.work_valid), so the two bytes after a lead byte
 * are continuation bytes and the test of the last one can go (c2 < 0x40
 * holds; the mask only keeps the shift defined). */
/* scan() is compiled twice, with `valid` true and false (scan_valid(),
 * scan_checked()): GCC and Clang are told to inline its helpers into both so
 * that the tests the constant makes useless are dropped. */
#if defined(__GNUC__)
#define SCAN_INLINE static inline __attribute__((always_inline))
#else
#define SCAN_INLINE static inline
#endif

SCAN_INLINE bool plain3_in(const unsigned char *u, size_t q, bool valid)
{
    unsigned c2 = u[q + 2] ^ 0x80u;
    return PLAIN_LEAD[u[q]] && (valid || c2 < 0x40) && !((SCAN_MID[u[q + 1]] >> (c2 & 63)) & 1);
}

static inline bool plain3(const unsigned char *u, size_t q)
{
    return plain3_in(u, q, false);
}

/* A marker never continues a number or a word of letters: one that starts
 * right after a character that glues (no line break, no space between) is
 * glued to it. */
static inline bool glues(uint32_t cp)
{
    return is_alnum(cp) || cp == '.' || cp == '(' || cp == 0xFF08 || cp == 0x7B2C;
}

/* What an ASCII byte is to scan(): a line break or a space (AC_STOP), a
 * possible start of a marker (AC_START: see may_start()), a character that
 * glues (AC_GLUE: see glues()); none of them for the others, and for the
 * bytes 80..FF (so that any byte may index it). */
enum { AC_STOP = 1, AC_START = 2, AC_GLUE = 4 };
#define S_ AC_STOP
#define G_ AC_GLUE
#define D_ (AC_START | AC_GLUE)
static const unsigned char ASCII_CLASS[256] = {
    0,  0,  0,  0,  0,  0,  0,  0,  0,  S_, S_, 0,  0,  0,  0,  0,  /* 00: \t \n */
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  /* 10 */
    S_, 0,  0,  0,  0,  0,  0,  0,  D_, 0,  0,  0,  0,  0,  G_, 0,  /* 20: ' ' ( . */
    D_, D_, D_, D_, D_, D_, D_, D_, D_, D_, 0,  0,  0,  0,  0,  0,  /* 30: 0-9 */
    0,  G_, G_, G_, G_, G_, G_, G_, G_, G_, G_, G_, G_, G_, G_, G_, /* 40: A-O */
    G_, G_, G_, G_, G_, G_, G_, G_, D_, G_, G_, 0,  0,  0,  0,  0,  /* 50: P-Z, X */
    0,  G_, G_, G_, G_, G_, G_, G_, G_, G_, G_, G_, G_, G_, G_, G_, /* 60: a-o */
    G_, G_, G_, G_, G_, G_, G_, G_, D_, G_, G_, 0,  0,  0,  0,  0,  /* 70: p-z, x */
};
#undef S_
#undef G_
#undef D_

/* Three bytes p[0] p[1] p[2] as p[0] | p[1] << 8 | p[2] << 16. */
static inline uint32_t bytes3(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

/* bytes3(p), read with one load where the machine is little-endian: p[3]
 * must be in the text too. */
static inline uint32_t bytes3_of4(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t w;
    memcpy(&w, p, sizeof w);
    return w & 0xFFFFFFu;
#else
    return bytes3(p);
#endif
}

/* The three bytes w (see bytes3()) are 、 ． or ） (E3 80 81, EF BC 8E,
 * EF BC 89), tested without a branch per byte. */
static inline bool wide_sep(uint32_t w)
{
    return (w == 0x8180E3u) | (w == 0x8EBCEFu) | (w == 0x89BCEFu);
}

/* A digit or x at u[i] that marker_at() cannot take, whatever precedes it:
 * it takes one or two digits (or one or two x) followed by 、 . ． ) or ）
 * (E3 80 81, '.', EF BC 8E, ')', EF BC 89). */
static bool number_cannot_mark(const unsigned char *u, size_t end, size_t i)
{
    size_t q = i;
    if (is_digit(u[i])) {
        while (q < end && is_digit(u[q]) && q - i < 3)
            q++;
        if (q - i > 2)
            return true;
    } else {
        while (q < end && (u[q] == 'x' || u[q] == 'X') && q - i < 2)
            q++;
    }
    if (q >= end)
        return true;
    if (u[q] == '.' || u[q] == ')')
        return false;
    if (end - q < 3)
        return true;
    return !wide_sep(bytes3(u + q));
}

/* How many ASCII digits open the 8 bytes at p (0 .. 8): one load where the
 * machine is little-endian.  A byte is a digit when, xor '0', its high
 * nibble is 0 and its low nibble is below 10 (adding 6 to the low nibble
 * alone, which carries into no other byte, sets bit 4 from 10 on); the
 * first byte that is not is the lowest nonzero byte of `bad`. */
static inline size_t digit_run8(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;
    memcpy(&w, p, sizeof w);
    uint64_t x = w ^ UINT64_C(0x3030303030303030);
    uint64_t bad = (x & UINT64_C(0xF0F0F0F0F0F0F0F0)) |
                   (((x & UINT64_C(0x0F0F0F0F0F0F0F0F)) + UINT64_C(0x0606060606060606)) &
                    UINT64_C(0x1010101010101010));
    return bad ? (size_t)__builtin_ctzll(bad) / 8 : 8;
#else
    size_t n = 0;
    while (n < 8 && is_digit(p[n]))
        n++;
    return n;
#endif
}

/* The digits at u[i] (a digit, with 12 bytes in [i, end)) start no marker:
 * they are glued to the ASCII letter, digit, '.' or '(' before them, or
 * number_cannot_mark() says so.  *run receives how many digits stand there
 * (up to 8, all glued to the first).  The same answer as those tests with
 * the bytes read at once: the run has more than two digits, or the bytes
 * after it (four are left) are none of . ) 、 ． ）.  The tests are
 * combined without branches: which way they go is hard to foresee. */
static inline bool digits_cannot_mark(const unsigned char *u, size_t start, size_t i, size_t *run)
{
    size_t n = digit_run8(u + i);
    uint32_t f = bytes3_of4(u + i + n); /* what follows the run */
    bool sep = ((f & 0xFF) == '.') | ((f & 0xFF) == ')') | wide_sep(f);
    bool glued = i > start && (ASCII_CLASS[u[i - 1]] & AC_GLUE);
    *run = n;
    return glued | (n > 2) | !sep;
}

/* The code point at `at`, 0 when at is SIZE_MAX (nothing read yet). */
static uint32_t cp_at_or_0(const char *s, size_t end, size_t at)
{
    return at == SIZE_MAX ? 0 : utf8_next(s, end, &at);
}

/* Scan [start, end) for candidates.  Context is tracked as we go: the last
 * non-space character, whether only spaces stand since the line break, and
 * the length and last character of the previous line.  scan() is the fast
 * form; this one is kept for text that is not well-formed UTF-8. */
static bool scan_tracking(const char *s, size_t start, size_t end, cand_list *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t last = SIZE_MAX;     /* where the last non-space character starts */
    bool glue = false;          /* that character glues (see glues()) */
    bool at_line_start = true;
    bool spaced = false;        /* a space since the last non-space character */
    size_t line_cps = 0;        /* non-space code points on the current line */
    size_t prev_line_cps = 0;
    uint32_t prev_line_last = 0;
    size_t lim3 = end >= 2 ? end - 2 : 0; /* a three-byte sequence starts before */
    size_t lim6 = end >= 5 ? end - 5 : 0; /* two of them in a row start before */
    size_t i = start;
    while (i < end) {
        unsigned char b = u[i];
        if (b >= 0xE0) {
            /* Three-byte characters that cannot matter, in a row. */
            size_t q = i;
            /* Two at a time while both are plain, then the odd one. */
            while (q < lim6 && plain3(u, q) && plain3(u, q + 3))
                q += 6;
            while (q < lim3 && plain3(u, q))
                q += 3;
            if (q > i) {
                line_cps += (q - i) / 3;
                last = q - 3;
                glue = false;
                spaced = false;
                at_line_start = false;
                i = q;
                continue;
            }
        } else if (b < 0x80) {
            if (b == '\n') {
                if (line_cps > 0) {
                    prev_line_cps = line_cps;
                    prev_line_last = cp_at_or_0(s, end, last);
                }
                line_cps = 0;
                at_line_start = true;
                i++;
                continue;
            }
            if (b == ' ' || b == '\t') {
                spaced = true;
                i++;
                continue;
            }
            bool starts = is_digit(b) || b == 'x' || b == 'X' || b == '(';
            if (!starts || (glue && !at_line_start && !spaced) ||
                (b != '(' && number_cannot_mark(u, end, i))) {
                /* This character, and the ASCII ones after it that the
                 * same test passes: any but a stop, a starter only when
                 * glued (as it then is: no line start, no space). */
                bool g = glues(b);
                size_t q = i + 1;
                while (q < end && u[q] < 0x80) {
                    unsigned cls = ASCII_CLASS[u[q]];
                    if ((cls & AC_STOP) || ((cls & AC_START) && !g))
                        break;
                    g = (cls & AC_GLUE) != 0;
                    q++;
                }
                last = q - 1;
                glue = g;
                spaced = false;
                at_line_start = false;
                line_cps += q - i;
                i = q;
                continue;
            }
        }
        /* The full look. */
        size_t here = i;
        uint32_t cp = utf8_next(s, end, &i);
        if (cp == '\n') {
            if (line_cps > 0) {
                prev_line_cps = line_cps;
                prev_line_last = cp_at_or_0(s, end, last);
            }
            line_cps = 0;
            at_line_start = true;
            continue;
        }
        if (is_space(cp)) {
            spaced = true;
            continue;
        }
        if (may_start(cp)) {
            cand c = {0};
            c.start = here;
            bool glued = !at_line_start && !spaced && glue;
            if (!glued && marker_at(s, end, here, &c)) {
                uint32_t prev = cp_at_or_0(s, end, last); /* last non-space code point */
                c.line_start = at_line_start;
                bool cut = at_line_start && prev_line_cps >= CUT_LINE_MIN && prev_line_last &&
                           !is_boundary_char(prev_line_last) && prev_line_last != 0x3001;
                c.cut = cut;
                /* Only a bare numeral can be bound by the end of the line
                 * before (高\n二、 is 高二); "(一)" or "第一" cannot. */
                uint32_t lead = peek(s, end, here);
                bool bare = cn_digit(lead) > 0 || is_digit(lead);
                if (at_line_start)
                    c.boundary = !(bare && prev_line_last && !is_boundary_char(prev_line_last) &&
                                   binds_numeral(prev_line_last));
                else
                    c.boundary = prev == 0 || spaced || is_boundary_char(prev) ||
                                 (is_colon(prev) && chinese_family(c.fam));
                if (!cand_push(out, &c))
                    return false;
            }
        }
        last = here;
        glue = glues(cp);
        spaced = false;
        at_line_start = false;
        line_cps++;
    }
    return true;
}

/* The context scan_tracking() has at a character `here` in [start, end),
 * recomputed backward.  Exact when [start, here) is well-formed UTF-8:
 * then the characters utf8_prev() steps over backward are the ones the
 * forward scan read (utf8_next() consumes each well-formed sequence whole,
 * and start is where both begin), and
 *  - at_line_start: only spaces (is_space()) stand between the last '\n'
 *    (or start) and here; else the last non-space character, which then
 *    is on this line, is `prev`, and spaced says whether a space stands
 *    between it and here (a '\n' never comes between: the line start
 *    would have been reached first);
 *  - scan_tracking() reads prev and spaced only when not at a line start
 *    (glued, boundary), so they need not be known otherwise. */
typedef struct back_ctx {
    bool at_line_start;
    bool spaced;
    uint32_t prev;   /* last non-space code point (not at a line start) */
    size_t nl;       /* at a line start: where its '\n' is, SIZE_MAX when none */
} back_ctx;

/* (inline: called for every marker found, its context returned in
 * registers rather than through memory) */
static inline back_ctx context_before(const char *s, size_t start, size_t here)
{
    back_ctx x = {true, false, 0, SIZE_MAX};
    size_t p = here;
    while (p > start) {
        size_t b;
        uint32_t cp = utf8_prev(s, p, &b);
        if (cp == '\n') {
            x.nl = b;
            return x;
        }
        if (!is_space(cp)) {
            x.at_line_start = false;
            x.prev = cp;
            return x;
        }
        x.spaced = true;
        p = b;
    }
    return x;
}

/* The previous line's last character as scan_tracking() keeps it at a line
 * start whose line break is at nl (SIZE_MAX: none since start): the last
 * non-space code point before nl, 0 when there is none (lines of spaces
 * only are skipped: scan_tracking() records a line only when it counted a
 * character on it).  *at_end receives where that character ends.  Exact on
 * well-formed UTF-8 as context_before() is.  (inline as context_before():
 * *at_end then stays in a register) */
static inline uint32_t prev_line_last_before(const char *s, size_t start, size_t nl, size_t *at_end)
{
    size_t p = nl == SIZE_MAX ? start : nl;
    while (p > start) {
        size_t b;
        uint32_t cp = utf8_prev(s, p, &b);
        if (cp != '\n' && !is_space(cp)) {
            *at_end = p;
            return cp;
        }
        p = b;
    }
    return 0;
}

/* Whether the line that ends (but for spaces) at p has CUT_LINE_MIN
 * non-space code points, counted back to its line start (or start): the
 * one thing scan_tracking() asks of its length (prev_line_cps). */
static bool line_is_long(const char *s, size_t start, size_t p)
{
    size_t n = 0;
    while (p > start && n < CUT_LINE_MIN) {
        size_t b;
        uint32_t cp = utf8_prev(s, p, &b);
        if (cp == '\n')
            break;
        n += !is_space(cp);
        p = b;
    }
    return n >= CUT_LINE_MIN;
}

/* The byte u[k], the first of a character in well-formed text, starts a
 * space (is_space()): ' ', '\t', U+3000 (E3 80 80) or U+A0 (C2 A0).  The
 * bytes after a lead byte are its character's. */
static inline bool space_at(const unsigned char *u, size_t k)
{
    unsigned char b = u[k];
    return b == ' ' || b == '\t' || (b == 0xE3 && u[k + 1] == 0x80 && u[k + 2] == 0x80) ||
           (b == 0xC2 && u[k + 1] == 0xA0);
}

/* line_is_long() on well-formed text, where each character is counted at
 * its first byte (ASCII or a lead byte, never a continuation byte) and the
 * walk need not decode: the same count, byte by byte backward from p,
 * after blocks of 16 bytes with SSE2.  A block counts its first bytes but
 * the spaces' and stops at its last '\n'; a U+3000 or U+A0 whose later
 * bytes lie in the block after it (read just before) is found from that
 * block's bytes.  Blocks may stop inside a character: its first byte,
 * before them, is counted by the bytes after. */
static bool line_is_long_valid(const unsigned char *u, size_t start, size_t p)
{
    size_t n = 0;
#ifdef __SSE2__
    uint32_t later80 = 0, laterA0 = 0; /* the block after: its bytes 80 and A0 */
    while (p - start >= 16) {
        size_t q = p - 16;
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + q));
        uint32_t nl = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
        /* signed: continuation bytes 80..BF are -128..-65 */
        uint32_t first = (uint32_t)_mm_movemask_epi8(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xBF)));
        uint32_t sp = (uint32_t)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
        uint32_t e3 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE3)));
        uint32_t c2 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2)));
        uint32_t b80 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0x80))) |
                       later80 << 16;
        uint32_t bA0 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xA0))) |
                       laterA0 << 16;
        sp |= (e3 & b80 >> 1 & b80 >> 2) | (c2 & bA0 >> 1);
        uint32_t cps = first & ~sp;
        if (nl) /* only what follows the block's last '\n' */
            return n + (size_t)__builtin_popcount(cps >> (32 - __builtin_clz(nl))) >= CUT_LINE_MIN;
        n += (size_t)__builtin_popcount(cps);
        if (n >= CUT_LINE_MIN)
            return true;
        later80 = b80 & 0xFFFF;
        laterA0 = bA0 & 0xFFFF;
        p = q;
    }
#endif
    while (p > start) {
        size_t k = --p;
        if (u[k] == '\n')
            break;
        if ((u[k] & 0xC0) != 0x80 && !space_at(u, k) && ++n >= CUT_LINE_MIN)
            return true;
    }
    return false;
}

/* The first position at or after i (a character start) that scan() must
 * look at: the plain characters before it, ASCII that cannot start a marker
 * (line breaks and spaces too: scan() works the context out backward) and
 * three-byte characters plain3() passes, are skipped, two of the latter at
 * a time, then the odd one.  What is left is an ASCII character that may
 * start a marker, a character that is not plain, or the last bytes. */
SCAN_INLINE size_t skip_plain(const unsigned char *u, size_t i, size_t end, bool valid)
{
    size_t lim3 = end >= 2 ? end - 2 : 0; /* a three-byte sequence starts before */
    size_t lim6 = end >= 5 ? end - 5 : 0; /* two of them in a row start before */
    while (i < end) {
        unsigned char b = u[i];
        if (b < 0x80) {
            if (ASCII_CLASS[b] & AC_START)
                return i;
            i++;
            continue;
        }
        if (b < 0xE0)
            return i;
        size_t q = i;
        for (;;) {
            if (q >= lim6) {
                while (q < lim3 && plain3_in(u, q, valid))
                    q += 3;
                break;
            }
            if (!plain3_in(u, q, valid))
                break;
            if (!plain3_in(u, q + 3, valid)) {
                q += 3;
                break;
            }
            q += 6;
        }
        if (q == i)
            return i;
        i = q;
    }
    return i;
}

#if EDX_AVX2_DISPATCH
/* skip_plain() for well-formed text, 64 positions at a time with AVX2.
 *
 * A position is kept when the byte there may start a marker: an ASCII digit
 * or x that may start a number marker (see number_marks()), or the first
 * byte of a character in one of eight groups, each the bytes a group takes
 * at the first, second and third byte of its characters.  Each byte is
 * classified by two 16-entry tables, one by its low nibble and one by its
 * high nibble (vpshufb), so a group
 * takes every byte whose low nibble and high nibble are among those of its
 * listed bytes: a few characters more than listed (〈 坑 … on the bench
 * files), which scan() then reads and passes over, never fewer.  The
 * groups list every character may_start() accepts but digits and x:
 *   (                        28 30..39|E4|E5 (any third byte): a number
 *                            must follow it (see marker_at())
 *   一 三 七                  E4 B8 80|83|89
 *   九 二 五                  E4 B9|BA 9D|8C|94
 *   六 八                     E5 85 AB|AD
 *   四 十                     E5 9B|8D 9B|81
 *   指 第                     E6|E7 8C|AC 87|AC
 *   〔 （                     E3|EF 80|BC 94|88
 *   ① … ⒛ (U+2460..249B)      E2 91|92 (any third byte)
 * A kept position is a character start: its byte is ASCII or a lead byte
 * (never a continuation byte, whatever the group), and the text is
 * well-formed.  Positions between are not character starts in general,
 * but none of them is kept, and only the first kept one is returned. */

/* A byte's nibbles as a set: bit (b & 15) and bit 16 + (b >> 4). */
#define NB1(b) (UINT32_C(1) << ((b) & 15) | UINT32_C(1) << (16 + ((b) >> 4)))
#define NB2(a, b) (NB1(a) | NB1(b))
#define NB3(a, b, c) (NB1(a) | NB1(b) | NB1(c))
#define NB_ANY (~UINT32_C(0))
/* The groups: G<k>_<byte> is group k's set at the first, second or third
 * byte of a character. */
#define NUM_DIGIT (NB3('0', '1', '2') | NB3('3', '4', '5') | NB3('6', '7', '8') | NB1('9'))
#define G0_LEAD NB1('(')
#define G0_MID (NUM_DIGIT | NB2(0xE4, 0xE5))
#define G0_LAST NB_ANY
#define G1_LEAD NB1(0xE4) /* 一 三 七 */
#define G1_MID NB1(0xB8)
#define G1_LAST NB3(0x80, 0x83, 0x89)
#define G2_LEAD NB1(0xE4) /* 九 二 五 */
#define G2_MID NB2(0xB9, 0xBA)
#define G2_LAST NB3(0x9D, 0x8C, 0x94)
#define G3_LEAD NB1(0xE5) /* 六 八 */
#define G3_MID NB1(0x85)
#define G3_LAST NB2(0xAB, 0xAD)
#define G4_LEAD NB1(0xE5) /* 四 十 */
#define G4_MID NB2(0x9B, 0x8D)
#define G4_LAST NB2(0x9B, 0x81)
#define G5_LEAD NB2(0xE6, 0xE7) /* 指 第 */
#define G5_MID NB2(0x8C, 0xAC)
#define G5_LAST NB2(0x87, 0xAC)
#define G6_LEAD NB2(0xE3, 0xEF) /* 〔 （ */
#define G6_MID NB2(0x80, 0xBC)
#define G6_LAST NB2(0x94, 0x88)
#define G7_LEAD NB1(0xE2) /* ① … ⒛ */
#define G7_MID NB2(0x91, 0x92)
#define G7_LAST NB_ANY
/* Entry x of the table of one byte (LEAD, MID, LAST) by its low (half 0)
 * or high (half 1) nibble: bit k when group k takes that nibble. */
#define NB_IN(set, half, x) (((set) >> (16 * (half) + (x)) & 1) != 0)
#define NB_ENTRY(at, half, x)                                                                  \
    (unsigned char)(NB_IN(G0_##at, half, x) << 0 | NB_IN(G1_##at, half, x) << 1 |              \
                    NB_IN(G2_##at, half, x) << 2 | NB_IN(G3_##at, half, x) << 3 |              \
                    NB_IN(G4_##at, half, x) << 4 | NB_IN(G5_##at, half, x) << 5 |              \
                    NB_IN(G6_##at, half, x) << 6 | NB_IN(G7_##at, half, x) << 7)
#define NB_ROW(at, half)                                                                       \
    {NB_ENTRY(at, half, 0),  NB_ENTRY(at, half, 1),  NB_ENTRY(at, half, 2),                    \
     NB_ENTRY(at, half, 3),  NB_ENTRY(at, half, 4),  NB_ENTRY(at, half, 5),                    \
     NB_ENTRY(at, half, 6),  NB_ENTRY(at, half, 7),  NB_ENTRY(at, half, 8),                    \
     NB_ENTRY(at, half, 9),  NB_ENTRY(at, half, 10), NB_ENTRY(at, half, 11),                   \
     NB_ENTRY(at, half, 12), NB_ENTRY(at, half, 13), NB_ENTRY(at, half, 14),                   \
     NB_ENTRY(at, half, 15)}
static const unsigned char SKIP_NIB[6][16] = {
    NB_ROW(LEAD, 0), NB_ROW(LEAD, 1), NB_ROW(MID, 0),
    NB_ROW(MID, 1),  NB_ROW(LAST, 0), NB_ROW(LAST, 1),
};

/* The ASCII digits and x, and what may follow a number marker's digits or
 * x, read by the same nibble tables from a block's first bytes: bit 7 for
 * ) and ., bit 6 for the lead bytes E3 and EF (of 、 ． ）), bit 5 for the
 * digits, bit 4 for x and X.  Each set is exactly its bytes: all of its
 * low nibbles go with all of its high nibbles. */
#define NUM_SEP NB2(')', '.')
#define NUM_WIDE NB2(0xE3, 0xEF)
#define NUM_X NB2('x', 'X')
#define NUM_ENTRY(half, x)                                                                     \
    (unsigned char)(NB_IN(NUM_SEP, half, x) << 7 | NB_IN(NUM_WIDE, half, x) << 6 |           \
                    NB_IN(NUM_DIGIT, half, x) << 5 | NB_IN(NUM_X, half, x) << 4)
#define NUM_ROW(half)                                                                          \
    {NUM_ENTRY(half, 0),  NUM_ENTRY(half, 1),  NUM_ENTRY(half, 2),  NUM_ENTRY(half, 3),        \
     NUM_ENTRY(half, 4),  NUM_ENTRY(half, 5),  NUM_ENTRY(half, 6),  NUM_ENTRY(half, 7),        \
     NUM_ENTRY(half, 8),  NUM_ENTRY(half, 9),  NUM_ENTRY(half, 10), NUM_ENTRY(half, 11),       \
     NUM_ENTRY(half, 12), NUM_ENTRY(half, 13), NUM_ENTRY(half, 14), NUM_ENTRY(half, 15)}
static const unsigned char NUM_NIB[2][16] = {NUM_ROW(0), NUM_ROW(1)};

/* The digits and x of a block of 64 positions that may start a number
 * marker, from its digits and x d and its bytes s that are ) . E3 or EF
 * (bit k for position k).  marker_at() takes one or two digits, or one or
 * two x, and then 、 . ． ) or ）, and a digit or x right after a digit or
 * x is glued to it (scan() passes it); so one that starts a marker starts
 * its run of digits and x and has one of those bytes after one or two of
 * them.  Positions 62 and 63, whose bytes after lie in the next block,
 * are kept whenever they start a run; so is position 0, whose byte before
 * lies in the block before. */
static inline uint64_t number_marks(uint64_t d, uint64_t s)
{
    uint64_t first = d & ~(d << 1);
    uint64_t sep_after = s >> 1 | (d >> 1 & s >> 2) | UINT64_C(3) << 62;
    return first & sep_after;
}

/* The group bits of the 32 bytes v: lo[b & 15] & hi[b >> 4] for each b. */
__attribute__((target("avx2"))) static inline __m256i skip_class_avx2(__m256i v, const unsigned char *lo,
                                                                      const unsigned char *hi)
{
    const __m256i nib = _mm256_set1_epi8(0x0F);
    __m256i tlo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)lo));
    __m256i thi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)hi));
    return _mm256_and_si256(_mm256_shuffle_epi8(tlo, _mm256_and_si256(v, nib)),
                            _mm256_shuffle_epi8(thi, _mm256_and_si256(_mm256_srli_epi16(v, 4), nib)));
}

/* What 32 bytes from u + at hold, bit k for u[at + k]: the first bytes of
 * the eight groups' characters, the digits and x, and the bytes ) . E3
 * and EF.  The text must hold at + 34 bytes (the third bytes). */
typedef struct kept_parts {
    uint32_t group, number, sep;
} kept_parts;

__attribute__((target("avx2"))) static inline kept_parts kept_avx2(const unsigned char *u, size_t at)
{
    __m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)(u + at));
    __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(u + at + 1));
    __m256i v2 = _mm256_loadu_si256((const __m256i *)(const void *)(u + at + 2));
    __m256i cls = _mm256_and_si256(_mm256_and_si256(skip_class_avx2(v0, SKIP_NIB[0], SKIP_NIB[1]),
                                                    skip_class_avx2(v1, SKIP_NIB[2], SKIP_NIB[3])),
                                   skip_class_avx2(v2, SKIP_NIB[4], SKIP_NIB[5]));
    __m256i num = skip_class_avx2(v0, NUM_NIB[0], NUM_NIB[1]);
    kept_parts k;
    k.group = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(cls, _mm256_setzero_si256()));
    /* Each bit or the one below it (a byte-wise add doubles each byte
     * alone): bit 7 or 6, the separators; bit 5 or 4, digits and x. */
    __m256i either = _mm256_or_si256(num, _mm256_add_epi8(num, num));
    k.sep = (uint32_t)_mm256_movemask_epi8(either);
    /* bit 5 shifted into bit 7 (the two bits a 16-bit shift brings in
     * from the byte below land in bits 0 and 1) */
    k.number = (uint32_t)_mm256_movemask_epi8(_mm256_slli_epi16(either, 2));
    return k;
}

/* Where skip_plain_avx2() is in the text: the block of 64 positions (two
 * of kept_avx2()) it read last and the kept positions of it not yet
 * passed, so that each block is read once however many kept positions it
 * holds.  It starts as an empty block right before the report (base =
 * start - 64, modulo 2^64, so that i - base >= 64 for every i >= start). */
typedef struct skip_blocks {
    size_t base;    /* the block is [base, base + 64) */
    uint64_t mask;  /* its kept positions, bit k for base + k */
    bool tail;      /* the blocks reached the last bytes */
} skip_blocks;

/* The first block from `at` on (in steps of 64) with a kept position; one
 * with mask 0 and tail set when there is none before the last 65 bytes
 * (base: where the blocks stopped).  Returned by value, so that the
 * caller's skip_blocks can stay in registers; inline, so that the tables
 * are loaded once in scan_valid_avx2(). */
__attribute__((target("avx2"))) static inline skip_blocks next_block_avx2(const unsigned char *u,
                                                                   size_t at, size_t end)
{
    for (; end - at >= 66; at += 64) {
        kept_parts lo = kept_avx2(u, at), hi = kept_avx2(u, at + 32);
        uint64_t m = (lo.group | (uint64_t)hi.group << 32) |
                     number_marks(lo.number | (uint64_t)hi.number << 32, lo.sep | (uint64_t)hi.sep << 32);
        if (m)
            return (skip_blocks){at, m, false};
    }
    return (skip_blocks){at, 0, true};
}

/* skip_plain(u, i, end, true) but for where it stops: the first kept
 * position at or after i (i a character start, not before the positions
 * of earlier calls with the same *b), from the blocks of 64 positions;
 * the last bytes go to skip_plain() from the start of the character the
 * blocks stopped in.  It may pass characters skip_plain() stops at (a
 * space, a character not plain3()), since scan() reads those and goes on,
 * and characters may_start() takes that start no candidate: scan() finds
 * the candidates wherever it starts (it works the context out backward),
 * and every position that may hold one is kept.  Those passed are the
 * digits and x number_marks() rules out and the ( that no digit follows.
 * Positions between blocks' kept ones hold none, so a block's mask read
 * from i on answers for it (a position scan() went past is never asked). */
SCAN_INLINE size_t skip_plain_avx2(const unsigned char *u, size_t i, size_t end, skip_blocks *b)
{
    size_t at = i;
    if (i - b->base < 64) {
        uint64_t m = b->mask & (UINT64_MAX << (i - b->base));
        if (m)
            return b->base + (size_t)__builtin_ctzll(m);
        at = b->base + 64;
    }
    /* (The tail's block keeps nothing, so it is tested only here.) */
    if (b->tail)
        return skip_plain(u, i, end, true);
    *b = next_block_avx2(u, at, end);
    if (!b->tail)
        return b->base + (size_t)__builtin_ctzll(b->mask);
    /* Nothing kept in [i, b->base): on with plain skip_plain() from the
     * start of the character at b->base (not before i, a start). */
    size_t p = b->base;
    while (p > i && (u[p] & 0xC0) == 0x80)
        p--;
    return skip_plain(u, p, end, true);
}

#endif

/* utf8_next() for scan(), at a character start: with `valid`, a
 * three-byte character is decoded as it stands (utf8_next() decodes it so:
 * in well-formed text its continuation bytes are there and it is neither
 * overlong nor a surrogate), without utf8_next()'s tests. */
SCAN_INLINE uint32_t scan_next(const char *s, size_t end, size_t *i, bool valid)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    if (valid && (p[0] & 0xF0) == 0xE0 && end - *i >= 3) {
        *i += 3;
        return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
    }
    return utf8_next(s, end, i);
}

/* Scan [start, end) for candidates: every character that may start a
 * marker (may_start()) and is not glued is tried with marker_at(), as in
 * scan_tracking(), but the context is worked out backward at the few
 * characters that need it (context_before(), prev_line_last_before(),
 * line_is_long()) instead of being kept for every character, and the
 * plain characters between are skipped (skip_plain(), next_look()).  The
 * loop checks that each character it reads is well-formed; at the first
 * sequence that is not, the report is scanned again by scan_tracking(),
 * whose context the backward look reproduces only on well-formed text.
 * With `valid` (doc.work_valid: the pipeline knows the text well-formed)
 * neither check is made: the fallback is for text made some other way. */
SCAN_INLINE bool scan(const char *s, size_t start, size_t end, bool valid, bool avx2,
                      cand_list *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = start;
#if EDX_AVX2_DISPATCH
    skip_blocks blocks = {start - 64, 0, false};
#endif
    while (i < end) {
#if EDX_AVX2_DISPATCH
        i = avx2 ? skip_plain_avx2(u, i, end, &blocks) : skip_plain(u, i, end, valid);
#else
        (void)avx2;
        i = skip_plain(u, i, end, valid);
#endif
        if (i >= end)
            break;
        unsigned char b = u[i];
#if EDX_AVX2_DISPATCH
        bool kept = avx2 && !blocks.tail; /* i is a position the blocks kept */
#else
        bool kept = false;
#endif
        /* A digit or x right after a letter, digit, '.' or '(' is glued
         * (no space, no line break between); a number marker_at() cannot
         * take is none wherever it stands.  Digits with room after them
         * take the same tests at once, and pass their whole run (each
         * digit in it glued to the one before; an x after the run is
         * then glued to the last digit, as the loop below finds).  These
         * tests only pass over what starts no candidate; a digit or x the
         * blocks kept (see number_marks()) mostly passes them, so it goes
         * without them to number_marker_at() and the context test below,
         * which answer for it the same. */
        size_t run;
        if (kept) {
            /* (the blocks' digit or x, or another character) */
        } else if (is_digit(b) && end - i >= 12) {
            if (digits_cannot_mark(u, start, i, &run)) {
                i += run;
                continue;
            }
        } else if (b < 0x80 && b != '(' &&
            ((i > start && (ASCII_CLASS[u[i - 1]] & AC_GLUE)) ||
             number_cannot_mark(u, end, i))) {
            /* So are the digits and x that follow: each is glued to the
             * one before. */
            do
                i++;
            while (i < end && (ASCII_CLASS[u[i]] & AC_START) && u[i] != '(');
            continue;
        }
        size_t here = i;
        /* marker_at() does not read the context, so it may go first: most
         * characters that may start a marker start none. */
        cand c = {0};
        c.start = here;
        uint32_t cp;
        if (b < 0x80 && b != '(') {
            /* The ASCII characters skip_plain() and the blocks stop at are
             * those that may start a marker: this one is a digit or x,
             * whose marker marker_at() reads with number_marker_at(). */
            cp = b;
            i++;
            if (!number_marker_at(s, end, here, &c))
                continue;
        } else {
            cp = scan_next(s, end, &i, valid);
            if (!valid && cp == 0xFFFD && i - here == 1) { /* not well-formed */
                out->n = 0;
                return scan_tracking(s, start, end, out);
            }
            /* The characters may_start() takes, each with a test of what
             * follows it.  A Chinese numeral is a marker only when 、 . )
             * or ） (lead bytes E3 '.' ')' EF) follows it, or another
             * Chinese digit goes on the number (marker_at(), cn_number()). */
            bool found;
            if (cn_digit(cp)) {
                if (i >= end || (u[i] != 0xE3 && u[i] != '.' && u[i] != ')' && u[i] != 0xEF &&
                                 !cn_digit_at(s, end, i)))
                    continue;
                found = cn_marker_at(s, end, here, &c);
            } else if (cp == '(' || cp == 0xFF08 || cp == 0x3014 || cp == 0x7B2C) {
                /* ( （ 〔 and 第 are markers only with a number right after
                 * them: an ASCII digit or a Chinese digit, led by E4 or E5
                 * (marker_at() reads it with ar_number() or cn_number()). */
                if (i >= end || (!is_digit(u[i]) && (u[i] | 1) != 0xE5))
                    continue;
                found = cp == '(' || cp == 0xFF08 ? paren_marker_at(s, end, i, &c)
                                                  : marker_at(s, end, here, &c);
            } else {
                found = may_start(cp) && marker_at(s, end, here, &c);
            }
            /* (marker_at() would have called the same function) */
            if (!found)
                continue;
        }
        back_ctx x = context_before(s, start, here);
        if (!x.at_line_start && !x.spaced && glues(x.prev))
            continue;
        c.line_start = x.at_line_start;
        if (x.at_line_start) {
            size_t last_end = 0;
            uint32_t prev_line_last = prev_line_last_before(s, start, x.nl, &last_end);
            /* cut is read only for page-chunk runs (drop_page_chunks():
             * FAM_AR with a number), so the line is measured only then. */
            c.cut = c.fam == FAM_AR && c.num != NUM_WILD && prev_line_last &&
                    !is_boundary_char(prev_line_last) && prev_line_last != 0x3001 &&
                    (valid ? line_is_long_valid(u, start, last_end)
                           : line_is_long(s, start, last_end));
            /* Only a bare numeral can be bound by the end of the line
             * before (高\n二、 is 高二); "(一)" or "第一" cannot. */
            bool bare = cn_digit(cp) > 0 || is_digit(cp);
            c.boundary = !(bare && prev_line_last && !is_boundary_char(prev_line_last) &&
                           binds_numeral(prev_line_last));
        } else {
            c.boundary = x.prev == 0 || x.spaced || is_boundary_char(x.prev) ||
                         (is_colon(x.prev) && chinese_family(c.fam));
        }
        if (!cand_push(out, &c))
            return false;
    }
    return true;
}

static bool scan_valid(const char *s, size_t start, size_t end, cand_list *out)
{
    return scan(s, start, end, true, false, out);
}

static bool scan_checked(const char *s, size_t start, size_t end, cand_list *out)
{
    return scan(s, start, end, false, false, out);
}

#if EDX_AVX2_DISPATCH
/* scan_valid() with the plain characters skipped by skip_plain_avx2().
 * Compiled for AVX2 itself (it is called only where d->use_avx2 says the
 * processor has it), so that next_block_avx2() is inlined into the scan
 * and its tables are loaded once per report, not at each call. */
__attribute__((target("avx2"))) static bool scan_valid_avx2(const char *s, size_t start, size_t end, cand_list *out)
{
    return scan(s, start, end, true, true, out);
}
#endif

/* Scan [start, end) of d->work with the fastest code that applies. */
static bool scan_report(const doc *d, size_t start, size_t end, cand_list *out)
{
    const char *s = d->work;
    if (!d->work_valid)
        return scan_checked(s, start, end, out);
#if EDX_AVX2_DISPATCH
    /* A report shorter than a few blocks gains less than the test costs. */
    if (end - start >= 256 && d->use_avx2)
        return scan_valid_avx2(s, start, end, out);
#endif
    return scan_valid(s, start, end, out);
}

/* ----- pass 2: page-chunk numbers ----- */

/* A candidate that page-chunk runs are made of: a line-start 1、 1. …
 * with a number. */
static bool chunk_numbered(const cand *c)
{
    return c->fam == FAM_AR && c->line_start && c->num != NUM_WILD;
}

/* Drop the run of n numbers from l->v[first] to l->v[last] when most of
 * the lines before them (cut: how many of the n - 1 after the first) were
 * cut in mid-sentence. */
static void drop_run(cand_list *l, size_t first, size_t last, size_t n, size_t cut)
{
    if (n < 2 || !(n == 2 ? cut == 1 : cut * 3 >= (n - 1) * 2))
        return;
    for (size_t k = first; k <= last; k++)
        if (chunk_numbered(&l->v[k]))
            l->v[k].drop = true;
}

/* Runs of line-start 1、 2、 3、 … where most lines before them were cut in
 * mid-sentence: the numbering of pages of a scraped document.  A run is
 * held by its first and last candidate alone (no array of its members):
 * every chunk_numbered() candidate between them is in it, since one that
 * does not continue the run ends it. */
static void drop_page_chunks(cand_list *l)
{
    size_t first = 0, last = 0, n = 0, cut = 0;
    for (size_t i = 0; i < l->n; i++) {
        const cand *c = &l->v[i];
        if (!chunk_numbered(c))
            continue;
        if (n > 0 && c->num == l->v[last].num + 1) {
            last = i;
            n++;
            cut += c->cut;
            continue;
        }
        drop_run(l, first, last, n, cut);
        n = 0;
        cut = 0;
        if (c->num == 1) {
            first = last = i;
            n = 1;
        }
    }
    drop_run(l, first, last, n, cut);
}

/* ----- pass 3: the tree ----- */

/* True when [from, to) is a short run of title text, with no sentence end:
 * a heading and the subheading run into it. */
static bool run_in(const char *s, size_t from, size_t to)
{
    size_t p = from, cps = 0;
    while (p < to) {
        uint32_t cp = utf8_next(s, to, &p);
        if (is_stop(cp) || is_colon(cp) || cp == '\n' || ++cps > RUNIN_MAX)
            return false;
    }
    return cps > 0;
}

/* A heading run into its first subheading with no sentence end between
 * ("…工作一、全面推进基础教育均衡发展1、积极促进…"): the only way a
 * marker after running text is taken. */
static bool runs_into_subheading(const char *s, const cand_list *l, size_t k)
{
    const cand *c = &l->v[k];
    for (size_t j = k + 1; j < l->n; j++) {
        const cand *nx = &l->v[j];
        if (nx->start > c->mend + RUNIN_MAX * 4) /* bytes: a CJK character is 3 */
            return false;
        if (nx->drop)
            continue;
        return nx->fam != c->fam && nx->num == 1 && run_in(s, c->mend, nx->start);
    }
    return false;
}

/* u[0] and u[1] are continuation bytes, tested with one load: the mask and
 * the value are the same for both bytes, so the byte order does not matter. */
static inline bool two_conts(const unsigned char *u)
{
    uint16_t w;
    memcpy(&w, u, sizeof w);
    return (w & 0xC0C0u) == 0x8080u;
}

#ifdef __SSE2__
/* For title_end() on well-formed text: the first position at or after p
 * (a character start) whose byte is '\n' ; ! ? : or the lead byte E3 or
 * EF, 16 bytes at a time while 16 are left before lim; else the start of
 * the character the blocks stopped in.  The stops and colons title_end()
 * looks for are those ASCII characters and 。 ； ！ ？ ： (E3 80 82,
 * EF BC 9B, 81, 9F, 9A), so every character passed is none of them; a
 * byte found is ASCII or a lead byte, a character start. */
static size_t title_next_look(const unsigned char *u, size_t p, size_t lim)
{
    size_t from = p;
    for (; lim - p >= 16; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + p));
        __m128i ascii = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8(';'))),
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('!')), _mm_cmpeq_epi8(v, _mm_set1_epi8('?'))));
        __m128i wide = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE3)),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF)));
        __m128i hit = _mm_or_si128(_mm_or_si128(ascii, wide), _mm_cmpeq_epi8(v, _mm_set1_epi8(':')));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (m)
            return p + (size_t)__builtin_ctz(m);
    }
    while (p > from && p < lim && (u[p] & 0xC0) == 0x80)
        p--;
    return p;
}
#endif

/* End of the title that starts at t: first sentence end, line end, or lim.
 * `valid`: the text is known to be well-formed (doc.work_valid), so a lead
 * byte has its two continuation bytes and they need no test, and with
 * SSE2 the characters that cannot end it are passed 16 bytes at a time
 * (title_next_look()). */
static size_t title_end(const char *s, size_t t, size_t lim, bool valid)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t lim3 = lim >= 2 ? lim - 2 : 0; /* a three-byte sequence starts before */
    size_t p = t;
    while (p < lim) {
#ifdef __SSE2__
        if (valid) {
            p = title_next_look(u, p, lim);
            if (p >= lim)
                break;
        }
#endif
        /* Fast steps: the stops and the colons are '\n' ; ! ? : and, of
         * three bytes, 。 ； ！ ？ ： (led by E3 or EF); a well-formed
         * sequence with another lead byte or another ASCII character is
         * none of them. */
        unsigned char c = u[p];
        if (c < 0x80 && c != '\n' && c != ';' && c != '!' && c != '?' && c != ':') {
            p++;
            continue;
        }
        if (c >= 0xE1 && c <= 0xEC && c != 0xE3 && p < lim3 &&
            (valid || two_conts(u + p + 1))) {
            p += 3;
            continue;
        }
        size_t q = p;
        uint32_t cp = utf8_next(s, lim, &q);
        if (cp == '\n' || is_stop(cp))
            break;
        if (is_colon(cp)) {
            /* 1:17.3 is a ratio, not the end of the title. */
            size_t b;
            bool digit_before = p > t && is_digit(utf8_prev(s, p, &b));
            if (!(digit_before && is_digit(peek(s, lim, q))))
                break;
        }
        p = q;
    }
    while (p > t) {
        size_t b;
        uint32_t cp = utf8_prev(s, p, &b);
        if (!is_space(cp))
            break;
        p = b;
    }
    return p;
}

typedef struct open_sec {
    int idx;   /* into r->sections */
    int fam;
    int num;
} open_sec;

bool outline_parse(const doc *d, report *r)
{
    const char *s = d->work;
    size_t start = r->extent.start, end = r->extent.end;
    if (!s || end > d->work_len || start >= end)
        return true;
    bool ok = false;
    cand_list l;
    l.v = l.local;
    l.n = 0;
    l.cap = CAND_LOCAL;
    if (!scan_report(d, start, end, &l))
        goto out;
    drop_page_chunks(&l);

    open_sec stack[DOC_MAX_DEPTH];
    int depth = 0;
    size_t first = r->nsections;
    bool nomem = false;

    for (size_t k = 0; k < l.n; k++) {
        const cand *c = &l.v[k];
        if (c->drop)
            continue;
        if (!c->boundary && !runs_into_subheading(s, &l, k) &&
            !(c->num == 1 && r->nsections == first && chinese_family(c->fam) &&
              after_title_word(s, start, c->start)) &&
            !(c->num == 1 && r->nsections > first &&
              run_in(s, r->sections[r->nsections - 1].marker.end, c->start)))
            continue;
        /* The open section of the same family, if any: the candidate
         * continues it; a 1 of a family not open starts a sub-sequence
         * under the innermost open section. */
        int same = depth - 1;
        while (same >= 0 && stack[same].fam != c->fam)
            same--;
        /* The outline starting over at its outer level, after a summary or
         * a table of contents: close everything. */
        bool restart = same == 0 && c->num == 1 && c->line_start;
        int keep = same >= 0 ? same : depth;
        bool sibling = same >= 0 && !restart;
        int prev_num = sibling ? stack[same].num : 0;
        bool fits;
        if (c->num == NUM_WILD)
            fits = true;
        else if (prev_num == NUM_WILD)
            fits = c->num > 1;
        else
            fits = c->num == prev_num + 1;
        if (!fits || keep >= DOC_MAX_DEPTH)
            continue;
        int num = c->num;
        if (num == NUM_WILD && prev_num != NUM_WILD)
            num = prev_num + 1;

        section *sec = report_add_section(r);
        if (!sec) {
            nomem = r->nsections < DOC_MAX_SECTIONS;
            break;
        }
        int idx = (int)r->nsections - 1;
        for (int j = keep; j < depth; j++)
            r->sections[stack[j].idx].extent.end = c->start;
        depth = keep;
        sec->marker.start = c->start;
        sec->marker.end = c->mend;
        sec->extent.start = c->start;
        sec->extent.end = end;
        sec->level = depth + 1;
        sec->parent = depth > 0 ? stack[depth - 1].idx : -1;
        stack[depth].idx = idx;
        stack[depth].fam = c->fam;
        stack[depth].num = num;
        depth++;
    }
    ok = !nomem;

    /* Titles: up to the sentence end, the line end or the next heading. */
    for (size_t i = first; i < r->nsections; i++) {
        section *sec = &r->sections[i];
        size_t lim = i + 1 < r->nsections ? r->sections[i + 1].marker.start : end;
        size_t t = sec->marker.end;
        while (t < lim && (s[t] == ' ' || s[t] == '\t'))
            t++;
        if (has_str(s, lim, t, "\xE3\x80\x80")) /* U+3000 left unfolded */
            t += 3;
        sec->title.start = t;
        sec->title.end = title_end(s, t, lim, d->work_valid);
    }
out:
    if (l.v != l.local)
        free(l.v);
    return ok;
}

/* Sections are in text order and nested, so the innermost one holding w is
 * the last that starts at or before w, or one of its ancestors. */
int outline_section_at(const report *r, size_t w)
{
    size_t n = r->nsections;
    if (n == 0)
        return -1;
    /* lo: how many sections start at or before w.  The range halves each
     * round whatever the comparison says (a conditional move, no branch to
     * mispredict); base stays the last section known to start at or before
     * w, or 0. */
    size_t base = 0;
    while (n > 1) {
        size_t half = n / 2;
        base = r->sections[base + half].extent.start <= w ? base + half : base;
        n -= half;
    }
    size_t lo = base + (r->sections[base].extent.start <= w);
    if (lo == 0)
        return -1;
    int i = (int)lo - 1;
    for (int hops = 0; i >= 0 && hops <= DOC_MAX_DEPTH; hops++) {
        if (w < r->sections[i].extent.end)
            return i;
        i = r->sections[i].parent;
    }
    return -1;
}
