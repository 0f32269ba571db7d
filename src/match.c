/* match.c -- the indicator figures of a report.
 *
 * Every quantity the number grammar finds (num_next) is a candidate.  For
 * each one, in text order:
 *
 *   1. its left context is read back to the clause start: connectives
 *      (达到, 为, 提升至 …), a standard word (省标, 标准为 …: the quantity is
 *      then the standard of the figure before it, not a figure), a gap word
 *      (差: a shortfall, not a figure), a change verb (增长, 减少 …: the
 *      figure is a change, change = true), and the name, a run of CJK text
 *      trimmed on the left at name stops (现有, 其中 …);
 *   2. with no name on the left, or with a measure word (名, 个, 所 …) that
 *      binds to the noun after it, the name is read on the right
 *      (224名适龄儿童, 6个教学班, 85%的学生);
 *   3. a figure that only continues the one before it (由82%提升至95%,
 *      99.70%和99.72%, 与上年的17.36:1) inherits that figure's name;
 *      "A、B均为100%" gives one figure per listed name and "A、B分别为X和Y"
 *      pairs names and values;
 *   4. the kind comes from the catalogue term found in the name when its
 *      kind fits the unit, else from the unit (% → rate, 人/所 → count,
 *      元 → amount, 平方米/米 → area, a ratio → ratio), made per_capita by
 *      a per-capita word (生均, 平均, 每百名 …);
 *   5. standard, claim (first claim word up to the sentence end), stage,
 *      year, section and meets_standard are filled in.
 *
 * Policies (docs/RULES.md): an earlier value (由X提高到Y, 比上年的X) is a
 * figure of its own with change = false; a change (增长5%, 提高2.3个百分点,
 * 减少120人) is a figure with change = true; a name followed by a bare unit
 * and no number (占地面积平方米) is a redacted figure.
 *
 * Cost: one pass over the quantities; each looks at a bounded window around
 * itself (MAX_LEFT / MAX_RIGHT code points), so the whole is linear. */
#include "match.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "outline.h"

#define MAX_LEFT 24      /* code points of name read on the left */
#define MAX_RIGHT 10     /* code points of noun read on the right */
#define MAX_LIST 8       /* names in an "A、B、C 分别/均" list */
#define CLAIM_WINDOW 600 /* bytes scanned for a claim after a figure */

/* snprintf(dst, size, "%s", src) without the format machinery: src cut to
 * size - 1 bytes, always terminated.  A byte loop: the strings (units) are
 * a few bytes, shorter than the calls of strlen and memcpy. */
static inline void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = 0;
    for (; n + 1 < size && src[n]; n++)
        dst[n] = src[n];
    dst[n] = '\0';
}

/* ----- characters ----- */

/* Bytes of the character a lead byte starts in well-formed text (1 for a
 * continuation byte, which utf8_next steps alone). */
static const unsigned char LEAD_LEN[256] = {
#define L16(n) n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n
    L16(1), L16(1), L16(1), L16(1), L16(1), L16(1), L16(1), L16(1), /* 00..7F */
    L16(1), L16(1), L16(1), L16(1),                                 /* 80..BF */
    L16(2), L16(2),                                                 /* C0..DF */
    L16(3),                                                         /* E0..EF */
    L16(4)                                                          /* F0..FF */
#undef L16
};


static bool is_cjk(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF);
}

static bool is_alpha(uint32_t cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

/* The bytes that end a sentence_end() character: 1 for the ASCII ones,
 * 2 for 0x82, the last byte of 。 (E3 80 82). */
static const unsigned char SENT_BYTE[256] = {
    ['\n'] = 1, [';'] = 1, ['!'] = 1, ['?'] = 1, ['|'] = 1, [0x82] = 2};

/* The first bytes of those characters: 1 for the ASCII ones, 2 for 0xE3
 * (。 is E3 80 82). */
static const unsigned char SENT_FIRST[256] = {
    ['\n'] = 1, [';'] = 1, ['!'] = 1, ['?'] = 1, ['|'] = 1, [0xE3] = 2};

/* Ends a sentence: claims and standards do not reach past it. */
static bool sentence_end(uint32_t cp)
{
    return cp == '\n' || cp == ';' || cp == 0x3002 /* 。 */ || cp == '!' || cp == '?' ||
           cp == '|';
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* a <= x <= b, for a <= b, by one comparison.  The caches below are asked
 * with such tests, their parts joined by & (not &&): one branch for the
 * answer, where the parts each made one, missed where their order of
 * failing changes from one call to the next. */
static inline bool within(size_t x, size_t a, size_t b)
{
    return x - a <= b - a;
}

/* ----- words ----- */

static bool has_at(const char *s, size_t hi, size_t pos, const char *w, size_t wl)
{
    return pos + wl <= hi && memcmp(s + pos, w, wl) == 0;
}

/* has_at() for a word w of a group keyed by its first three bytes (rules.h:
 * key_groups), found by the three bytes at pos (pos + 3 <= hi, wl >= 3):
 * those are the same, so only the bytes after them are compared, without
 * a call to memcmp() (none at all for a word of one character). */
static inline bool group_word_at(const char *s, size_t hi, size_t pos, const char *w, size_t wl)
{
    return pos + wl <= hi && bytes_same_back(s + pos + 3, w + 3, wl - 3);
}

/* word_before_walk() in a list with last3 (rules.h) is last3_may() and
 * word_before_l3_group(): no word ends at pos when fewer than three bytes
 * come before it, the first of the three is no lead E0..EF or their bit is
 * clear (every word ends with a character so led); else the words of their
 * l3 group, in list order, are the words of the last-byte walk below that
 * can end at pos (the others end with other bytes), so the first that does
 * is the walk's answer (a text whose bytes only pass the masked bit has an
 * empty group). */
static inline bool last3_may(const phrase_list *l, const char *s, size_t lo, size_t pos)
{
    if (pos - lo < 3)
        return false;
    const unsigned char *p = (const unsigned char *)s + pos - 3;
    /* one branch for both tests (the lead, then the bit of its row, read
     * from row 0 for a byte that is no lead: the & drops its answer) */
    bool lead = (unsigned)(p[0] - 0xE0) < 16;
    return lead & (bool)(l->last3[(size_t)(p[0] & 15) << 6 | (p[1] & 63)] >> (p[2] & 63) & 1);
}

/* The group walk, once last3_may() said yes. */
static size_t word_before_l3_group(const phrase_list *l, const char *s, size_t lo, size_t pos)
{
    const unsigned char *p = (const unsigned char *)s + pos - 3;
    size_t h = key_groups_slot(&l->l3, (uint64_t)p[0] << 16 | (uint64_t)p[1] << 8 | p[2]);
    for (size_t e = l->l3.start[h], end = e + l->l3.n[h]; e < end; e++) {
        size_t i = l->l3.idx[e], wl = l->lens[i];
        /* the last three bytes are the group's: compare the rest */
        if (wl <= pos - lo && bytes_same_back(s + pos - wl, l->items[i], wl - 3))
            return wl;
    }
    return 0;
}

/* Length of the longest word of l that ends exactly at pos (not before lo). */
static size_t word_before_walk(const phrase_list *l, const char *s, size_t lo, size_t pos)
{
    if (pos == lo)
        return 0;
    if (l->order_last) {
        /* Only the words that end with this byte, in list order. */
        unsigned char b = (unsigned char)s[pos - 1];
        for (size_t k = l->last[b]; k < l->last[b + 1]; k++) {
            size_t i = l->order_last[k], wl = l->lens[i];
            /* the byte before the last told apart first (many Chinese
             * characters share their last byte), then the last byte of the
             * character before (many words share their last character) */
            if (wl <= pos - lo && (wl < 2 || l->items[i][wl - 2] == s[pos - 2]) &&
                (wl < 4 || l->items[i][wl - 4] == s[pos - 4]) &&
                memcmp(s + pos - wl, l->items[i], wl) == 0)
                return wl;
        }
        return 0;
    }
    for (size_t i = 0; i < l->n; i++) {
        size_t wl = l->lens ? l->lens[i] : strlen(l->items[i]);
        /* cheap reject on the last byte before comparing the word */
        if (wl == 0 || wl > pos - lo || l->items[i][wl - 1] != s[pos - 1])
            continue;
        if (wl <= pos - lo && memcmp(s + pos - wl, l->items[i], wl) == 0)
            return wl;
    }
    return 0;
}

/* word_before_walk() behind an inline test.  A list with last3 asks its
 * bit at once (one branch, seldom taken: most of the bytes before a
 * quantity end no word of the list), not first the last-byte index, whose
 * buckets hold some word for many of the 64 last bytes of Chinese
 * characters (a branch the processor missed about one time in four).
 * Else: no word ends with the byte before pos (an empty bucket of the
 * last-byte index, which the walk would try alone).  Most calls end here
 * (always inline, so that they do). */
static inline __attribute__((always_inline)) size_t word_before(const phrase_list *l, const char *s,
                                                               size_t lo, size_t pos)
{
    if (l->last3)
        return last3_may(l, s, lo, pos) ? word_before_l3_group(l, s, lo, pos) : 0;
    if (pos == lo)
        return 0;
    if (l->order_last) {
        unsigned char b = (unsigned char)s[pos - 1];
        if (l->last[b] == l->last[b + 1])
            return 0;
    }
    return word_before_walk(l, s, lo, pos);
}

/* False when the character at pos is one of U+4E00..U+9FFF that starts no
 * word of l (the list's first_cjk bitmap, then its short_cjk and pair
 * filters); true when it may, or when the filters do not decide (other
 * characters, no filters). */
static inline bool cjk_may_start(const phrase_list *l, const char *s, size_t hi, size_t pos)
{
    unsigned char b = (unsigned char)s[pos];
    if (!l->first_cjk || b < 0xE4 || b > 0xE9 || pos + 2 >= hi)
        return true;
    uint32_t off = (((uint32_t)(b & 0x0F) << 12) | ((uint32_t)((unsigned char)s[pos + 1] & 0x3F) << 6) |
                    (uint32_t)((unsigned char)s[pos + 2] & 0x3F)) -
                   PHRASE_CJK_LO;
    if (off >= PHRASE_CJK_BITS)
        return true;
    if (!(l->first_cjk[off >> 3] >> (off & 7) & 1))
        return false;
    /* a word of six bytes or more found here starts with these six bytes */
    if (pos + 6 > hi || (l->short_cjk[off >> 3] >> (off & 7) & 1))
        return true;
    uint32_t h = phrase_pair_hash(s + pos, PHRASE_PAIR_BITS);
    return l->pair[h >> 3] >> (h & 7) & 1;
}

/* Length of the longest word of l that starts exactly at pos. */
static size_t word_after(const phrase_list *l, const char *s, size_t hi, size_t pos)
{
    if (pos >= hi)
        return 0;
    if (l->order) {
        if (!cjk_may_start(l, s, hi, pos))
            return 0;
        /* Only the words that start with this byte, in list order. */
        unsigned char b = (unsigned char)s[pos];
        if (l->lead2_ok && b >= 0xE0 && b <= 0xEF && pos + 1 < hi &&
            !(l->lead2[b & 15] >> ((unsigned char)s[pos + 1] & 63) & 1))
            return 0; /* no word starts with these two bytes */
        if (l->g3_ok && b >= 0xE0 && b <= 0xEF) {
            /* The words of the walk below whose second and third bytes are
             * those of the text: the group of these three bytes, in list
             * order (every word led by b has three bytes or more, so none
             * fits with fewer left). */
            if (pos + 2 >= hi)
                return 0;
            uint64_t key = (uint64_t)b << 16 | (uint64_t)(unsigned char)s[pos + 1] << 8 |
                           (unsigned char)s[pos + 2];
            size_t h = key_groups_slot(&l->g3, key);
            for (size_t e = l->g3.start[h], end = e + l->g3.n[h]; e < end; e++) {
                size_t i = l->g3.idx[e];
                if (group_word_at(s, hi, pos, l->items[i], l->lens[i]))
                    return l->lens[i];
            }
            return 0;
        }
        for (size_t k = l->first[b]; k < l->first[b + 1]; k++) {
            size_t i = l->order[k];
            const char *w = l->items[i];
            if ((w[1] && (pos + 1 >= hi || w[1] != s[pos + 1])) ||
                (w[1] && w[2] && (pos + 2 >= hi || w[2] != s[pos + 2])))
                continue;
            if (has_at(s, hi, pos, w, l->lens[i]))
                return l->lens[i];
        }
        return 0;
    }
    for (size_t i = 0; i < l->n; i++) {
        const char *w = l->items[i];
        /* cheap reject on the first bytes before measuring the word */
        if (w[0] != s[pos] || (w[1] && (pos + 1 >= hi || w[1] != s[pos + 1])) ||
            (w[1] && w[2] && (pos + 2 >= hi || w[2] != s[pos + 2])))
            continue;
        size_t wl = strlen(w);
        if (has_at(s, hi, pos, l->items[i], wl))
            return wl;
    }
    return 0;
}

/* False when no word of l can start at pos by the two-byte filter (an
 * inline check before word_after on positions most of which hold none). */
static inline bool may_start(const phrase_list *l, const char *s, size_t hi, size_t pos)
{
    if (!l->order)
        return true;
    unsigned char b = (unsigned char)s[pos];
    if (l->first[b] == l->first[b + 1])
        return false; /* no word starts with this byte (word_after tries none) */
    return !(l->lead2_ok && b >= 0xE0 && b <= 0xEF && pos + 1 < hi &&
             !(l->lead2[b & 15] >> ((unsigned char)s[pos + 1] & 63) & 1)) &&
           cjk_may_start(l, s, hi, pos);
}

/* True when s[i, i + 3) (within hi) is a well-formed three-byte character
 * of U+4E00..U+9FFF that starts no word of l by its first_cjk bit: then
 * may_start() and word_at() say no at i, and utf8_next() steps three
 * bytes, so a walk may pass the character at once. */
static inline bool cjk_starts_none(const phrase_list *l, const char *s, size_t hi, size_t i)
{
    const unsigned char *p = (const unsigned char *)s + i;
    if ((unsigned)(p[0] - 0xE4) > 5 || i + 3 > hi || !l->first_cjk || (p[1] & 0xC0) != 0x80 ||
        (p[2] & 0xC0) != 0x80)
        return false;
    uint32_t off = (((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
                    (uint32_t)(p[2] & 0x3F)) -
                   PHRASE_CJK_LO;
    return off < PHRASE_CJK_BITS && !(l->first_cjk[off >> 3] >> (off & 7) & 1);
}

/* word_after() behind the inline filter. */
static inline size_t word_at(const phrase_list *l, const char *s, size_t hi, size_t pos)
{
    return pos < hi && may_start(l, s, hi, pos) ? word_after(l, s, hi, pos) : 0;
}

/* True when first3 says no word starts with the three bytes at i (lead
 * E0..EF, i + 2 < hi).  The position is then passed as word_after would:
 * it finds no word there. */
static inline bool first3_clear(const uint64_t *f3, const unsigned char *p, size_t i)
{
    size_t w = (size_t)(p[i] & 15) << 6 | (p[i + 1] & 63);
    return !(f3[w] >> (p[i + 2] & 63) & 1);
}

/* True when s[i + 1] and s[i + 2] are continuation bytes. */
static inline bool two_cont(const unsigned char *p, size_t i)
{
    return ((p[i + 1] ^ 0x80) | (p[i + 2] ^ 0x80)) < 0x40;
}

/* The first position from i on that the walks below (word_find,
 * claim_words) do not pass by first3 alone.  While the byte at i leads
 * three bytes (E0..EF, i + 2 < hi) that first3 says start no word, the
 * walks pass it: the two bytes after it too when they are continuation
 * bytes (the walks pass those one by one anyway), else the lead byte
 * only.  One tight loop over a run of Chinese text instead of a turn of
 * the walk per character. */
static inline size_t first3_skip(const uint64_t *f3, const unsigned char *p, size_t i, size_t hi)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Well-formed three-byte characters first, their bytes read as one
     * word (the fourth byte, before hi, is not looked at): the lead
     * E0..EF and two continuation bytes tested with one mask. */
    while (i + 4 <= hi) {
        uint32_t x;
        memcpy(&x, p + i, 4);
        if ((x & 0xC0C0F0u) != 0x8080E0u)
            break;
        size_t w = (size_t)(x & 15) << 6 | (x >> 8 & 63);
        if (f3[w] >> (x >> 16 & 63) & 1)
            break;
        i += 3;
    }
#endif
    while (i + 2 < hi && (unsigned)(p[i] - 0xE0) < 16 && first3_clear(f3, p, i))
        i += two_cont(p, i) ? 3 : 1;
    return i;
}

/* Where the first word of l occurs in s[lo, hi), or hi; *wl its length. */
static size_t word_find(const phrase_list *l, const char *s, size_t lo, size_t hi, size_t *wl)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = lo; i < hi; i++) {
        if (l->first3) {
            /* no word at the characters passed */
            i = first3_skip(l->first3, p, i, hi);
            if (i >= hi)
                break;
        }
        unsigned char b = (unsigned char)s[i];
        if (b >= 0x80 && b < 0xC0)
            continue;
        if (!may_start(l, s, hi, i)) {
            /* the continuation bytes after a three-byte lead are passed by
             * the test above anyway: pass them at once */
            if (b >= 0xE0 && b < 0xF0 && i + 2 < hi && ((unsigned char)s[i + 1] & 0xC0) == 0x80 &&
                ((unsigned char)s[i + 2] & 0xC0) == 0x80)
                i += 2;
            continue;
        }
        size_t n = word_after(l, s, hi, i);
        if (n) {
            *wl = n;
            return i;
        }
    }
    *wl = 0;
    return hi;
}

/* The last bytes of the characters the backward skips look for, by class:
 * END_BLANK for a blank (' ', '\t', 0x80: U+3000 is E3 80 80), END_SIGN
 * for ':', '>', '<', '=' and ≥ ≤ ≮ ≯ (E2 89 A5, A4, AE, AF).  utf8_prev()
 * reads a character whose encoding ends with the byte before the position
 * (or U+FFFD, none of these), so a byte of no class ends none of them. */
enum { END_BLANK = 1, END_SIGN = 2 };
static const unsigned char END_CLASS[256] = {
    [' '] = END_BLANK, ['\t'] = END_BLANK, [0x80] = END_BLANK,
    [':'] = END_SIGN,  ['>'] = END_SIGN,   ['<'] = END_SIGN,   ['='] = END_SIGN,
    [0xA4] = END_SIGN, [0xA5] = END_SIGN,  [0xAE] = END_SIGN,  [0xAF] = END_SIGN};

static size_t skip_spaces_back_walk(const char *s, size_t lo, size_t pos)
{
    /* any last byte but a blank's ends no blank */
    if (pos > lo && !(END_CLASS[(unsigned char)s[pos - 1]] & END_BLANK))
        return pos;
    while (pos > lo) {
        size_t prev;
        uint32_t cp = utf8_prev(s, pos, &prev);
        if (!is_space(cp))
            break;
        pos = prev;
    }
    return pos;
}

/* The start of the blanks that end at pos (not before lo): inline for the
 * common answer, the walk only when the byte before pos may end a blank. */
static inline size_t skip_spaces_back(const char *s, size_t lo, size_t pos)
{
    if (pos > lo && !(END_CLASS[(unsigned char)s[pos - 1]] & END_BLANK))
        return pos;
    return skip_spaces_back_walk(s, lo, pos);
}

static size_t skip_spaces_walk(const char *s, size_t hi, size_t pos)
{
    /* a blank starts with ' ', '\t' or 0xE3 (U+3000 is E3 80 80) */
    if (pos < hi && s[pos] != ' ' && s[pos] != '\t' && (unsigned char)s[pos] != 0xE3)
        return pos;
    while (pos < hi) {
        size_t i = pos;
        uint32_t cp = utf8_next(s, hi, &i);
        if (!is_space(cp))
            break;
        pos = i;
    }
    return pos;
}

/* The end of the blanks that start at pos (not past hi): inline for the
 * common answer, the walk only when the byte at pos may start a blank. */
static inline size_t skip_spaces(const char *s, size_t hi, size_t pos)
{
    if (pos < hi && s[pos] != ' ' && s[pos] != '\t' && (unsigned char)s[pos] != 0xE3)
        return pos;
    return skip_spaces_walk(s, hi, pos);
}

/* False when byte b cannot end ':', '>', '<', '=' or ≥ ≤ ≮ ≯ (END_CLASS),
 * so the decoding can be spared. */
static inline bool may_end_sign(char b)
{
    return END_CLASS[(unsigned char)b] & END_SIGN;
}

/* Strip connectives, colons, comparison signs and spaces ending at pos. */
static size_t strip_connectives(const rules *ru, const char *s, size_t lo, size_t pos)
{
    for (;;) {
        size_t p = skip_spaces_back(s, lo, pos);
        size_t n = word_before(&ru->connectives, s, lo, p);
        if (n) {
            pos = p - n;
            continue;
        }
        if (p > lo && may_end_sign(s[p - 1])) {
            size_t prev;
            uint32_t cp = utf8_prev(s, p, &prev);
            if (cp == ':' || cp == 0x2265 || cp == 0x2264 || cp == 0x226E || cp == 0x226F ||
                cp == '>' || cp == '<' || cp == '=') {
                pos = prev;
                continue;
            }
        }
        return p;
    }
}

/* Skip a footnote mark "[3]" ending at pos. */
static size_t skip_footnote(const char *s, size_t lo, size_t pos)
{
    size_t p = skip_spaces_back(s, lo, pos);
    if (p == lo || s[p - 1] != ']')
        return pos;
    size_t i = p - 1;
    while (i > lo && s[i - 1] >= '0' && s[i - 1] <= '9')
        i--;
    if (i > lo && i < p - 1 && s[i - 1] == '[')
        return i - 1;
    return pos;
}

/* True when the three bytes before i (i >= 3) are a lead E4..E9 (but E4
 * B7) and two continuation bytes: a character of U+4000..U+4DBF or
 * U+4E00..U+9FFF in any text (never overlong nor a surrogate), which
 * utf8_prev() reads and is_cjk() accepts. */
static inline bool cjk3_before(const unsigned char *p, size_t i)
{
    return (unsigned)(p[i - 3] - 0xE4) < 6 && ((p[i - 2] ^ 0x80) | (p[i - 1] ^ 0x80)) < 0x40 &&
           (p[i - 3] != 0xE4 || p[i - 2] != 0xB7);
}

#ifdef __SSE2__
/* The lanes l of the sixteen bytes at q where cjk3_before(q, l + 3) holds
 * (lanes 0..13; a lane whose three bytes pass the block is clear). */
static inline unsigned cjk3_lanes16(const unsigned char *q)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
    /* E4..E9 are -28..-23 as signed bytes */
    __m128i lead = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xE3)),
                                 _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xEA)));
    __m128i cont = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xC0)),
                                  _mm_set1_epi8((char)0x80));
    unsigned l = (unsigned)_mm_movemask_epi8(lead), k = (unsigned)_mm_movemask_epi8(cont);
    unsigned e4 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE4)));
    unsigned b7 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xB7)));
    return l & ~(e4 & b7 >> 1) & k >> 1 & k >> 2;
}
#endif

/* How many characters cjk3_before() passes in a row going back from i, at
 * most max (i >= 3 * max).  With SSE2, ten at a time: the five characters
 * ending at i stand at lanes 13, 10, 7, 4 and 1 of the block of the
 * sixteen bytes before i, the five before them at the same lanes of the
 * block fifteen bytes further back (most name runs are shorter than ten
 * characters: one round, where five at a time left a round of two after
 * a branch the processor missed as often as it took it). */
static inline size_t cjk3_back(const unsigned char *p, size_t i, size_t max)
{
    size_t n = 0;
#ifdef __SSE2__
    while (n < max && i - 3 * n >= 31) {
        unsigned t = cjk3_lanes16(p + i - 3 * n - 16) & 0x2492u;
        t |= (cjk3_lanes16(p + i - 3 * n - 31) & 0x2492u) << 16;
        /* k, the characters passed before the first that fails, counted
         * without a branch per character: the highest clear one of lanes
         * 13, 10, 7, 4 and 1 of each block (bits 29 .. 17 and 13 .. 1,
         * the nearer block in the low half), is bit 29 - 3k for k < 5 and
         * 13 - 3 (k - 5) for k >= 5; the nearer block moved up to bits
         * 31 .. 19 and the other down to 16 .. 4 (lanes 13 .. 1 moved up
         * three, bit 3 set below them: k = 10 when all pass) puts them at
         * 31 - 3k */
        unsigned near = (~t & 0x2492u) << 18, far = (~t >> 16 & 0x2492u) << 3;
        unsigned x = near | far | 1u << 1;
        unsigned k = (unsigned)__builtin_clz(x) / 3u;
        n += k;
        if (k < 10)
            return n < max ? n : max;
    }
    if (n >= max)
        return max;
#endif
    while (n < max && cjk3_before(p, i - 3 * n))
        n++;
    return n;
}

/* Start of the run of name characters ending at pos (at most MAX_LEFT). */
static size_t name_run_start(const char *s, size_t lo, size_t pos)
{
    size_t i = pos;
    int steps = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (i > lo && steps < MAX_LEFT) {
        /* A CJK character of three bytes before i (cjk3_before): the
         * step below is taken; taken here, without decoding, as often as
         * the steps left and lo allow (what is left within three bytes of
         * lo goes the general way). */
        size_t room = (i - lo) / 3, n;
        if (room > (size_t)(MAX_LEFT - steps))
            room = (size_t)(MAX_LEFT - steps);
        n = cjk3_back(p, i, room);
        i -= 3 * n;
        steps += (int)n;
        if (i <= lo || steps >= MAX_LEFT)
            break;
        size_t prev;
        uint32_t cp = utf8_prev(s, i, &prev);
        if (cp == ')' && steps < MAX_LEFT - 2) {
            /* 全市教职工数(含中小学)99750人: a parenthesis inside the name */
            size_t k = prev;
            while (k > lo && pos - k < 60 && s[k - 1] != '(' && s[k - 1] != '\n' &&
                   s[k - 1] != ')')
                k--;
            if (k > lo && s[k - 1] == '(' && k - 1 > lo) {
                size_t pp;
                uint32_t before = utf8_prev(s, k - 1, &pp);
                if (is_cjk(before) || is_alpha(before) || is_space(before)) {
                    i = k - 1;
                    steps += 2;
                    continue;
                }
            }
            break;
        }
        if (!(is_cjk(cp) || is_alpha(cp) || cp == 0x201C || cp == 0x201D))
            break;
        i = prev;
        steps++;
    }
    /* Letters only at the start of a name with CJK after them (IEP覆盖率). */
    return i;
}

/* The name start of name_cut() (below) from the cut after the last stop,
 * start: 在校生, 在编教师: a stop inside a catalogue term ending the name
 * does not cut it; the longest such term is kept whole. */
static size_t keep_term_whole(const rules *ru, const char *s, size_t rs, size_t re, size_t start)
{
    if (start > rs) {
        size_t tl = rules_term_ending(ru, s, rs, re);
        if (tl && re - tl < start)
            start = re - tl;
    }
    return start;
}

/* The name inside the run [rs, re): cut after the last name stop. */
static size_t name_cut(const rules *ru, const char *s, size_t rs, size_t re)
{
    size_t start = rs;
    for (size_t i = rs; i < re;) {
        if (ru->name_stops.first3) {
            /* no stop word at the characters passed (the bytes passed
             * after a lead are continuation bytes, where none starts) */
            i = first3_skip(ru->name_stops.first3, (const unsigned char *)s, i, re);
            if (i >= re)
                break;
        }
        if (cjk_starts_none(&ru->name_stops, s, re, i)) {
            i += 3;
            continue;
        }
        size_t n = word_at(&ru->name_stops, s, re, i);
        if (n) {
            start = i + n;
            i += n;
            continue;
        }
        utf8_next(s, re, &i);
    }
    return keep_term_whole(ru, s, rs, re, start);
}

/* End of the noun run starting at pos on the right (value-then-name). */
static size_t noun_after(const rules *ru, const char *s, size_t hi, size_t pos)
{
    size_t i = pos;
    int steps = 0;
    const unsigned char *p = (const unsigned char *)s;
    const uint64_t *f3 = ru->name_stops.first3;
    while (i < hi && steps < MAX_RIGHT) {
        size_t j = i;
        uint32_t cp;
        if (f3 && i + 3 <= hi && (unsigned)(p[i] - 0xE4) < 6 && two_cont(p, i) &&
            first3_clear(f3, p, i)) {
            /* a character of U+4000..U+9FFF (lead E4..E9, two continuation
             * bytes: never overlong nor a surrogate) that starts no stop
             * word (word_at() finds none there): decoded as utf8_next()
             * would */
            cp = (uint32_t)(p[i] & 0x0F) << 12 | (uint32_t)(p[i + 1] & 0x3F) << 6 |
                 (uint32_t)(p[i + 2] & 0x3F);
            j = i + 3;
        } else {
            if (i > pos && word_at(&ru->name_stops, s, hi, i))
                break;
            cp = utf8_next(s, hi, &j);
        }
        if (!is_cjk(cp) && !(is_alpha(cp) && i > pos))
            break;
        i = j;
        steps++;
    }
    return i;
}

/* ----- classification ----- */

/* True when the whole name is one of ind's terms (普通高中, not 中小学图书总量). */
static bool is_term_of(const indicator *ind, const char *s, wspan name)
{
    size_t n = name.end - name.start;
    /* the length told apart first (known from the rules), then the first
     * byte, before the bytes are compared */
    for (size_t i = 0; i < ind->nterms; i++) {
        size_t tl = ind->term_lens ? ind->term_lens[i] : strlen(ind->terms[i]);
        if (tl == n && (n == 0 || ind->terms[i][0] == s[name.start]) &&
            memcmp(ind->terms[i], s + name.start, n) == 0)
            return true;
    }
    return false;
}

static bool kind_fits(fig_kind k, const quantity *q)
{
    if (q->is_ratio)
        return k == KIND_RATIO;
    switch (q->dim) {
    case DIM_PERCENT:
    case DIM_PERMILLE:
    case DIM_POINTS: /* 提高0.6个百分点: a change of a rate */
        return k == KIND_RATE;
    case DIM_NONE:
        return k == KIND_RATE || k == KIND_RATIO || k == KIND_PER_CAPITA;
    case DIM_COUNT:
        return k == KIND_COUNT || k == KIND_PER_CAPITA;
    case DIM_MONEY:
        return k == KIND_AMOUNT || k == KIND_PER_CAPITA;
    case DIM_AREA:
    case DIM_LENGTH:
        return k == KIND_AREA || k == KIND_PER_CAPITA;
    case DIM_TIME:
    case DIM_SCORE:
    case DIM_OTHER:
        return k == KIND_OTHER || k == KIND_PER_CAPITA;
    default:
        return false;
    }
}

static const char *const GENERIC_ID[KIND_COUNT_OF_KINDS] = {
    "other_rate", "other_ratio", "other_per_capita", "other_count",
    "other_amount", "other_area", "other"};

/* Ends with 率, 比 or 比例 (a rate or ratio name without a unit). */
static bool rate_name(const char *s, size_t ns, size_t ne, bool *ratio)
{
    static const char LV[] = "率", BI[] = "比", BILI[] = "比例", BILV[] = "比率";
    *ratio = false;
    if (ne - ns >= 3 && memcmp(s + ne - 3, LV, 3) == 0)
        return true;
    if (ne - ns >= 6 && (memcmp(s + ne - 6, BILI, 6) == 0 || memcmp(s + ne - 6, BILV, 6) == 0))
        return true;
    if (ne - ns >= 3 && memcmp(s + ne - 3, BI, 3) == 0) {
        *ratio = true;
        return true;
    }
    return false;
}

/* The stage a name speaks of ("小学入学率" → 小学); items may be
 * "国小=小学" to map a surface to its canonical stage. */
static const char *stage_named(const rules *ru, const char *s, size_t at, size_t wl);

static const char *stage_of(const rules *ru, const char *s, size_t lo, size_t hi)
{
    size_t wl;
    size_t at = word_find(&ru->stage_words, s, lo, hi, &wl);
    return at < hi ? stage_named(ru, s, at, wl) : NULL;
}

/* The stage of the stage word found at s[at, at + wl): by the table built
 * at load (rules_stage_named). */
static const char *stage_named(const rules *ru, const char *s, size_t at, size_t wl)
{
    return rules_stage_named(ru, s + at, wl);
}

/* ----- the state of one report ----- */

#define RUN_STAGES 8 /* stage words a run_facts records */

/* What the lists read on a name run [rs, re) say about it, from one walk
 * (run_facts_of): the name start name_cut() gives, where the first
 * per-capita word starts (re when none) and the first stage words, each the
 * answer word_after() gives there with re as the bound (more than
 * RUN_STAGES: stage_full).  ok is false when the walk could not be made
 * (the callers then ask the lists one by one). */
typedef struct run_facts {
    bool set, ok;
    size_t rs, re;
    size_t cut, pc_at;
    size_t nstage;
    bool stage_full;
    size_t stage_pos[RUN_STAGES], stage_len[RUN_STAGES];
} run_facts;

typedef struct mctx {
    const rules *ru;
    rx_scratch *sc;
    const doc *d;
    report *r;
    const char *s;
    size_t lo, hi;
    /* the "A、B分别为X和Y" list in progress: list[0 .. nlist) (below) */
    size_t nlist, list_next;
    size_t list_last_end; /* end of the last quantity given a list name */
    size_t last_q_end;    /* end of the last quantity taken as a figure */
    size_t last_std_end;  /* end of the last quantity taken as a standard */
    /* The bare-unit candidates, from the units (num_units.bare_*, built
     * at load): third bytes that start one, their first three bytes and
     * count (SIZE_MAX when too many to list); the distinct bytes of
     * bare_lead (at most 8, repeated to fill 8) and whether bare_find
     * may be used: well-formed text and few enough. */
    const bool *bare_lead;
    const uint32_t *bare_cp;
    size_t nbare_cp;
    const unsigned char *bare_third;
    size_t nbare_third;
    bool bare_fast;
    size_t bare_scan_from, bare_scan_at; /* bare_find's last scan */
    /* The last claim-word scan (claim_in): from cw_from to cw_to it met the
     * words cw_skip (claim words not ending their clause, skipped whole)
     * and stopped at cw_hit (cw_to when none).  The figures of a sentence
     * share its end, so a later scan starting past cw_from and outside a
     * skipped word follows the same path and stops at the same word. */
    bool cw_valid, cw_overflow;
    bool claim_ends_ok; /* claim_end_may() may be used (match_report) */
    /* the rules' claim_last_byte may be used (they have claim_last3 and
     * eight such bytes at most) */
    bool cl_last_ok;
    size_t cw_from, cw_to, cw_hit;
    claim cw_claim;
    size_t cw_nskip;
    /* claim_needle_in(): no claim needle starts in [nd_from, nd_at), one
     * does at nd_at unless nd_at == nd_to, where the search stopped. */
    bool nd_set;
    size_t nd_from, nd_to, nd_at;
    /* sentence_stop(), in blocks of 16 from nc_from to the end it gave,
     * nc_to, met no pair of a claim needle's second and third bytes
     * starting before nc_first (nc_set; needle_pairs with the ndv_n
     * needles' bytes ndv_a, ndv_b, set by claim_for; 0 when the needles
     * are not all three bytes or longer). */
    bool nc_set;
    size_t nc_from, nc_to, nc_first;
#ifdef __SSE2__
    unsigned ndv_n;
#endif
    /* The claim patterns (claim_in) met after the last claim word scan:
     * pattern k of list w was searched from rx_from[w][k] to rx_to and
     * first matched at rx_at[w][k] (SIZE_MAX: no match, or not searched
     * when rx_from is SIZE_MAX). */
    size_t rx_to;
    /* sentence_start(): in well-formed text (utf8_ok) the sentence holding
     * ss_pos starts at ss_start (a sentence end or lo before it, never the
     * length bound); year_before() scanned [ss_start, yr_next) of that
     * sentence and found yr_year last. */
    bool utf8_ok, ss_valid;
    size_t ss_pos, ss_start;
    size_t yr_start, yr_next;
    int yr_year;
    /* sentence_stop(): in well-formed text a scan from st_from met no
     * sentence end before the one at st_at (st_len bytes); st_at is 0 when
     * none is known.  A scan from a later start up to st_at meets the same. */
    size_t st_from, st_at, st_len;
    /* stage_at(): the last answer of stage_of(), stage for [stage_lo,
     * stage_hi) when stage_set (a name is asked for again when its figure
     * is built, right after; an older span is seldom asked again). */
    bool stage_set;
    size_t stage_lo, stage_hi;
    const char *stage;
    /* line_end(): no '\n' in [nl_from, nl_at) and one at nl_at (or
     * nl_at == hi); biaozhun_from(): no 标准 starts in [bz_from, bz_at)
     * and one does at bz_at (or bz_at == hi) */
    bool nl_set, bz_set;
    size_t nl_from, nl_at, bz_from, bz_at;
    /* run_facts_of(): the last name run walked once for its three lists;
     * walk_ok when the walk may be made in this report (utf8_ok and the
     * rules' walk3) */
    run_facts rf;
    bool walk_ok;
    /* run_start(): name_run_start() from rn_pos gave rn_start (none asked
     * while rn_pos is SIZE_MAX, which is no position) */
    size_t rn_pos, rn_start;
    /* heading_facts(): the title of section hd_si (hd_set) classifies as
     * hd_ind and holds a per-capita word when hd_pc (the titles are fixed
     * text, so the answers hold for every figure under the heading). */
    /* section_at(): the sections that start at or before a position are
     * those before sec_lo for positions in [sec_from, sec_to) (sec_set) */
    bool sec_set;
    size_t sec_lo, sec_from, sec_to;
    bool hd_set, hd_pc;
    int hd_si;
    const indicator *hd_ind;
    /* The arrays, last: match_report zeroes the fields above them only
     * (1.2 KB a report spared), as each is read only where written first:
     * list below nlist, cw_skip below cw_nskip, ndv_a and ndv_b below
     * ndv_n, rx_from once claim_in() has set them all (rx_to is SIZE_MAX
     * until then) and rx_at where rx_from says it was set; bare_vec is
     * set by match_report. */
    wspan list[MAX_LIST];
    wspan cw_skip[32];
    size_t rx_from[2][8], rx_at[2][8];
#ifdef __SSE2__
    __m128i bare_vec[8]; /* bare_third, each byte repeated 16 times */
    __m128i ndv_a[RX_NEEDLES], ndv_b[RX_NEEDLES];
#endif
} mctx;

/* What the title of section si says: its catalogue indicator (the return
 * value) and whether it holds a per-capita word (*per_capita), remembered
 * for the last section asked (the figures under one heading ask in turn). */
static const indicator *heading_facts(mctx *c, int si, bool *per_capita)
{
    if (!c->hd_set || c->hd_si != si) {
        wspan t = c->r->sections[si].title;
        size_t wl;
        c->hd_set = true;
        c->hd_si = si;
        c->hd_ind = rules_classify(c->ru, c->s + t.start, t.end - t.start, NULL);
        c->hd_pc = word_find(&c->ru->per_capita_words, c->s, t.start, t.end, &wl) < t.end;
    }
    *per_capita = c->hd_pc;
    return c->hd_ind;
}

/* outline_section_at() for the report of c: the same search, its binary
 * part (how many sections start at or before w) remembered for the range
 * of positions that give the same count (the figures ask in text order,
 * most of them within one section), then the same walk up the parents to
 * the innermost section that has not ended at w. */
static int section_at(mctx *c, size_t w)
{
    const report *r = c->r;
    /* (sec_from <= sec_to: the sections are sorted by their starts; an
     * empty range holds no w) */
    if (!(c->sec_set & (w - c->sec_from < c->sec_to - c->sec_from))) {
        size_t lo = 0, hi = r->nsections;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (r->sections[mid].extent.start <= w)
                lo = mid + 1;
            else
                hi = mid;
        }
        c->sec_set = true;
        c->sec_lo = lo;
        c->sec_from = lo ? r->sections[lo - 1].extent.start : 0;
        c->sec_to = lo < r->nsections ? r->sections[lo].extent.start : SIZE_MAX;
    }
    if (c->sec_lo == 0)
        return -1;
    int i = (int)c->sec_lo - 1;
    for (int hops = 0; i >= 0 && hops <= DOC_MAX_DEPTH; hops++) {
        if (w < r->sections[i].extent.end)
            return i;
        i = r->sections[i].parent;
    }
    return -1;
}

/* name_run_start() in the report of c, remembering the last answer (a
 * quantity asks for the run before it more than once). */
static inline size_t run_start(mctx *c, size_t pos)
{
    if (c->rn_pos != pos) {
        c->rn_pos = pos;
        c->rn_start = name_run_start(c->s, c->lo, pos);
    }
    return c->rn_start;
}

/* The lists of the name walk (rules.h: walk3; bit 0 name_stops, 1
 * per_capita_words, 2 stage_words) that may have a word starting at i (a
 * character start of well-formed text, i < re) ending by re.  All three
 * unless i leads three bytes with E0..EF; else those whose words led by
 * these bytes include one shorter than six bytes, and those with longer
 * ones only when the six bytes fit and hash to their walk_pair bit (a word
 * found there starts with these six bytes).  walk_may_entry() when the
 * three bytes at i have walk3 entry e. */
static inline unsigned walk_may_entry(const rules *ru, unsigned e, const unsigned char *p, size_t i,
                                      size_t re)
{
    unsigned may = e & 7;
    if ((e >> 3) && i + 6 <= re)
        may |= e >> 3 & ru->walk_pair[phrase_pair_hash((const char *)p + i, PHRASE_PAIR_BITS)];
    return may;
}

static inline unsigned walk_may(const rules *ru, const unsigned char *p, size_t i, size_t re)
{
    if (i + 2 >= re || (unsigned)(p[i] - 0xE0) >= 16)
        return 7;
    size_t code = (size_t)(p[i] & 15) << 12 | (size_t)(p[i + 1] & 63) << 6 | (p[i + 2] & 63);
    return walk_may_entry(ru, ru->walk3[code], p, i, re);
}

/* The words that the name walk's lists in may (bits as walk_may's) start
 * at i, as word_after() finds them with the bound re: len[k] for list k, 0
 * for none or a list not in may.  At a three-byte lead (E0..EF) with
 * walk_g3 built, one probe gives each list's group: word_after() takes the
 * first word of that list's g3 group (the same words with these three
 * bytes, in list order) lying at i, after filters that say no only where
 * none does. */
static void walk_words(const mctx *c, unsigned may, size_t i, size_t re, size_t len[3])
{
    const rules *ru = c->ru;
    const phrase_list *lists[3] = {&ru->name_stops, &ru->per_capita_words, &ru->stage_words};
    const unsigned char *p = (const unsigned char *)c->s;
    len[0] = len[1] = len[2] = 0;
    if (!ru->walk_g3_ok || i + 2 >= re || (unsigned)(p[i] - 0xE0) >= 16) {
        for (unsigned k = 0; k < 3; k++)
            if (may >> k & 1)
                len[k] = word_after(lists[k], c->s, re, i);
        return;
    }
    const key_groups *g = &ru->walk_g3;
    size_t h = key_groups_slot(g, (uint64_t)p[i] << 16 | (uint64_t)p[i + 1] << 8 | p[i + 2]);
    for (size_t e = g->start[h], end = e + g->n[h]; e < end; e++) {
        size_t w = g->idx[e];
        unsigned k = w >= ru->walk_base[2] ? 2 : w >= ru->walk_base[1];
        if (!(may >> k & 1) || len[k])
            continue;
        size_t item = w - ru->walk_base[k];
        if (group_word_at(c->s, re, i, lists[k]->items[item], lists[k]->lens[item]))
            len[k] = lists[k]->lens[item];
    }
}

/* The first character start from i (one itself) that the name walk does
 * not pass at once: while a well-formed three-byte character (its bytes
 * read as one word: the fourth, before re, is not looked at) has a clear
 * walk3 entry, walk_may() says no list has a word there.  *may receives
 * walk_may() at the position returned (0 at re). */
static inline size_t walk_skip(const rules *ru, const unsigned char *p, size_t i, size_t re,
                               unsigned *may)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (i + 4 <= re) {
        uint32_t x;
        memcpy(&x, p + i, 4);
        if ((x & 0xC0C0F0u) != 0x8080E0u)
            break;
        unsigned e = ru->walk3[(x & 15) << 12 | (x >> 2 & 0xFC0) | (x >> 16 & 63)];
        if (e) {
            unsigned m = walk_may_entry(ru, e, p, i, re);
            if (m) {
                *may = m;
                return i;
            }
            /* only words of six bytes or more start with these three, and
             * their pair filter says none starts here: no list has a word
             * at i, so the walk would pass it as a clear entry (most
             * entries in names are such) */
        }
        i += 3;
    }
#endif
    *may = i < re ? walk_may(ru, p, i, re) : 0;
    return i;
}

/* The facts of the name run [rs, re) (run_facts), from one walk over it
 * instead of three (name_cut, the per-capita word_find, stage_of), the
 * last run remembered; NULL when the walk cannot stand in for them.
 *
 * Why the answers are the same: in well-formed text with rs and re on
 * character boundaries, word_find() visits every character start in its
 * range and stops at the first where word_at() finds a word, and
 * name_cut() visits the same starts except those inside a stop word just
 * found (skip below).  Here every character start is visited in turn and
 * each list asked with word_after() (word_at() is word_after() behind a
 * filter) and the same bound re, but only where the rules' walk table
 * (walk_may) says the list may start a word: elsewhere word_after() finds
 * none.  The characters where it says so of no list are passed at once
 * (walk_skip). */
static const run_facts *run_facts_of(mctx *c, size_t rs, size_t re)
{
    run_facts *f = &c->rf;
    if (f->set & (((f->rs ^ rs) | (f->re ^ re)) == 0))
        return f->ok ? f : NULL;
    const rules *ru = c->ru;
    const unsigned char *p = (const unsigned char *)c->s;
    f->set = true;
    f->rs = rs;
    f->re = re;
    /* (walk_ok: well-formed text and the walk's table, for the report;
     * the span's bounds joined by &, one branch) */
    f->ok = c->walk_ok & (c->lo <= rs) & (rs <= re) & (re <= c->hi) &&
            (rs == c->hi || (p[rs] & 0xC0) != 0x80) && (re == c->hi || (p[re] & 0xC0) != 0x80);
    if (!f->ok)
        return NULL;
    size_t start = rs, skip = rs;
    f->pc_at = re;
    f->nstage = 0;
    f->stage_full = false;
    for (size_t i = rs; i < re; i += LEAD_LEN[p[i]]) {
        unsigned may;
        i = walk_skip(ru, p, i, re, &may);
        if (i >= re)
            break;
        may &= ~(i >= skip ? 0u : 1u) & ~(f->pc_at == re ? 0u : 2u);
        if (!may)
            continue;
        size_t len[3];
        walk_words(c, may, i, re, len);
        if (len[0])
            start = skip = i + len[0];
        if (len[1])
            f->pc_at = i;
        size_t n = len[2];
        if (n && f->nstage == RUN_STAGES) {
            f->stage_full = true;
        } else if (n) {
            f->stage_pos[f->nstage] = i;
            f->stage_len[f->nstage++] = n;
        }
    }
    f->cut = keep_term_whole(ru, c->s, rs, re, start);
    return f;
}

/* name_cut() for the report of c, from the run's facts when they stand. */
static size_t name_cut_at(mctx *c, size_t rs, size_t re)
{
    const run_facts *f = run_facts_of(c, rs, re);
    return f ? f->cut : name_cut(c->ru, c->s, rs, re);
}

/* Whether a per-capita word starts in [lo, hi): from the facts of the last
 * run walked when it is this span, else by word_find(). */
static bool per_capita_in(mctx *c, size_t lo, size_t hi)
{
    const run_facts *f = &c->rf;
    if (f->set & f->ok & (((f->rs ^ lo) | (f->re ^ hi)) == 0))
        return f->pc_at < hi;
    size_t wl;
    return word_find(&c->ru->per_capita_words, c->s, lo, hi, &wl) < hi;
}

/* stage_of(c, lo, hi) from the facts of the last run walked, when hi is
 * its end and lo a character start inside it: word_find() from lo finds
 * the first stage word recorded at or after lo (the walk from rs visited
 * the same starts with the same bound).  False when they cannot tell (an
 * other span, or all recorded words before lo and more not recorded). */
static bool stage_from_facts(const mctx *c, size_t lo, size_t hi, const char **stage)
{
    const run_facts *f = &c->rf;
    /* (with ok, f->rs <= f->re) */
    if (!(f->set & f->ok & (f->re == hi) & within(lo, f->rs, hi)) ||
        (lo < hi && ((unsigned char)c->s[lo] & 0xC0) == 0x80))
        return false;
    for (size_t k = 0; k < f->nstage; k++)
        if (f->stage_pos[k] >= lo) {
            *stage = stage_named(c->ru, c->s, f->stage_pos[k], f->stage_len[k]);
            return true;
        }
    *stage = NULL;
    return !f->stage_full;
}

/* stage_of() for the document of c, remembering its last answer. */
static inline const char *stage_at(mctx *c, size_t lo, size_t hi)
{
    if (c->stage_set & (((c->stage_lo ^ lo) | (c->stage_hi ^ hi)) == 0))
        return c->stage;
    const char *st;
    if (!stage_from_facts(c, lo, hi, &st))
        st = stage_of(c->ru, c->s, lo, hi);
    c->stage_set = true;
    c->stage_lo = lo;
    c->stage_hi = hi;
    c->stage = st;
    return st;
}

#ifdef __SSE2__
/* The lanes of `at` that hold an ASCII sentence stop (\n ; ! ? |), or the
 * lanes where e3, x80 and x82 hold E3 80 82 (。): sentence_end_last() asks
 * with `at` the block of the 。's last byte, sentence_stop() with that of
 * its first. */
static inline __m128i stop_marks16(__m128i at, __m128i e3, __m128i x80, __m128i x82)
{
    __m128i hit = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(at, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(at, _mm_set1_epi8(';'))),
        _mm_or_si128(_mm_cmpeq_epi8(at, _mm_set1_epi8('!')),
                     _mm_or_si128(_mm_cmpeq_epi8(at, _mm_set1_epi8('?')),
                                  _mm_cmpeq_epi8(at, _mm_set1_epi8('|')))));
    __m128i full_stop = _mm_and_si128(
        _mm_cmpeq_epi8(e3, _mm_set1_epi8((char)0xE3)),
        _mm_and_si128(_mm_cmpeq_epi8(x80, _mm_set1_epi8((char)0x80)),
                      _mm_cmpeq_epi8(x82, _mm_set1_epi8((char)0x82))));
    return _mm_or_si128(hit, full_stop);
}
#endif

/* The position after the last sentence end lying wholly in [from, to) of
 * the well-formed text of c (an ASCII one, or 。 E3 80 82 with its three
 * bytes there), SIZE_MAX when there is none.  In well-formed text these
 * bytes are those characters: a lead byte never occurs inside a sequence,
 * and 82 ends a 。 only after E3 80. */
static size_t sentence_end_last(const mctx *c, size_t from, size_t to)
{
    const unsigned char *p = (const unsigned char *)c->s;
    size_t i = to;
#ifdef __SSE2__
    /* 16 bytes at a time, the last first: the bytes before i that end an
     * ASCII sentence end or E3 80 82, tested last first as the byte loop
     * below would; the last block (fewer than 16 positions after from
     * left) is masked to the positions after from */
    while (i > from && i >= 18) {
        const unsigned char *q = p + i - 16;
        __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)q);
        __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(q - 1));
        __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)(q - 2));
        unsigned m = (unsigned)_mm_movemask_epi8(stop_marks16(v2, v0, v1, v2));
        /* lanes t with i - 16 + t >= from: all in a whole block; the mask
         * made without a branch, which the processor missed at the last
         * block of many scans */
        size_t left = i - from < 16 ? i - from : 16;
        m &= 0xFFFFu << (16 - left);
        while (m) {
            unsigned t = 31u - (unsigned)__builtin_clz(m);
            m &= ~(1u << t);
            size_t e = i - 16 + t + 1; /* the position after the byte */
            if (SENT_BYTE[p[e - 1]] == 1 || e >= from + 3)
                return e;
        }
        i -= left; /* from when fewer than 16 were left, without a branch */
    }
#endif
    for (; i > from; i--) {
        unsigned char b = p[i - 1];
        if (SENT_BYTE[b] &&
            (SENT_BYTE[b] == 1 || (i >= from + 3 && p[i - 3] == 0xE3 && p[i - 2] == 0x80)))
            return i;
    }
    return SIZE_MAX;
}

/* Start of the sentence holding pos: after the last sentence end before
 * it, at most 400 bytes back (then the first character start more than
 * 400 bytes before pos), else lo. */
static size_t sentence_start(mctx *c, size_t pos)
{
    if (c->ss_valid && pos >= c->ss_start) {
        /* the last sentence end between the cached sentence start and pos
         * (none before ss_pos but the one before ss_start) */
        size_t from = pos >= c->ss_pos ? c->ss_pos : c->ss_start, st = c->ss_start;
        size_t i = pos;
        /* sentence_stop() (the claim of the figure before) left no sentence
         * end starting in [st_from, st_at): when pos lies in that stretch
         * and st_from on a character boundary (not a continuation byte, the
         * text being well-formed), every end the walk could meet after
         * st_from would start at or after it, so the walk may begin at
         * st_from (or find nothing, when st_from <= from). */
        if ((c->st_at != 0) & within(pos, c->st_from, c->st_at) &
            (((unsigned char)c->s[c->st_from] & 0xC0) != 0x80))
            i = c->st_from > from ? c->st_from : from;
        /* (no call when there is nothing to walk: pos in the stretch the
         * stop scan of the figure before passed, from on or after its
         * start, as for most figures after the first of a sentence) */
        if (i > from) {
            size_t e = sentence_end_last(c, from, i);
            if (e != SIZE_MAX)
                st = e;
        }
        if (pos - st <= 400) {
            if (pos >= c->ss_pos) {
                c->ss_pos = pos;
                c->ss_start = st;
            }
            return st;
        }
    }
    size_t i = pos;
    if (c->utf8_ok) {
        /* the walk below, by bytes: it stops after the last end (found
         * among the 403 bytes before pos, where every end lying within 400
         * bytes of pos starts) when it lies within 400 bytes, else at lo
         * when that is near enough, else at the first character start more
         * than 400 bytes back, the walk visiting every one */
        size_t e = sentence_end_last(c, pos - c->lo > 403 ? pos - 403 : c->lo, pos);
        if (e != SIZE_MAX && pos - e <= 400) {
            i = e;
        } else if (pos - c->lo <= 400) {
            i = c->lo;
        } else {
            i = pos - 401;
            while (((unsigned char)c->s[i] & 0xC0) == 0x80)
                i--;
            return i;
        }
    } else {
        while (i > c->lo) {
            size_t prev;
            uint32_t cp = utf8_prev(c->s, i, &prev);
            if (sentence_end(cp))
                break;
            i = prev;
            if (pos - i > 400)
                return i;
        }
    }
    if (c->utf8_ok) {
        c->ss_valid = true;
        c->ss_pos = pos;
        c->ss_start = i;
    }
    return i;
}

/* End of the sentence holding pos (bounded). */
#ifdef __SSE2__
/* The lanes where a claim needle's (rx.h; c->ndv_n of them, three bytes or
 * more each) second and third bytes stand, v1 and v2 holding the bytes
 * after those of the lanes: a needle starts only at such a lane. */
static inline __m128i needle_pairs(const mctx *c, __m128i v1, __m128i v2)
{
    __m128i m = _mm_and_si128(_mm_cmpeq_epi8(v1, c->ndv_a[0]), _mm_cmpeq_epi8(v2, c->ndv_b[0]));
    for (unsigned k = 1; k < c->ndv_n; k++)
        m = _mm_or_si128(m, _mm_and_si128(_mm_cmpeq_epi8(v1, c->ndv_a[k]),
                                          _mm_cmpeq_epi8(v2, c->ndv_b[k])));
    return m;
}

/* sentence_stop() scanned [pos, to) by blocks and met the first needle
 * pair at cand (SIZE_MAX: none): remember it for claim_needle_in(). */
static inline void note_pairs(mctx *c, size_t pos, size_t to, size_t cand)
{
    c->nc_set = c->ndv_n > 0;
    c->nc_from = pos;
    c->nc_to = to;
    c->nc_first = cand < to ? cand : to;
}
#endif

static size_t sentence_stop(mctx *c, size_t pos, size_t max)
{
    size_t i = pos, lim = pos + max < c->hi ? pos + max : c->hi;
    if (c->utf8_ok) {
        /* Well-formed text: the walk below stops at the first byte that is
         * an ASCII sentence end or starts a 。 lying wholly before lim (a
         * lead byte never occurs inside a sequence, and a sequence cut by
         * lim decodes as U+FFFD), so bytes are enough, and a sentence end
         * already found ahead of pos with nothing between is the answer. */
        if ((c->st_at != 0) & within(pos, c->st_from, c->st_at) & (c->st_at + c->st_len <= lim))
            return c->st_at;
        const unsigned char *p = (const unsigned char *)c->s;
#ifdef __SSE2__
        /* (the pairs of the claim needles' second and third bytes are
         * looked for on the way: needle_pairs) */
        size_t cand = SIZE_MAX;
        c->nc_set = false;
        /* 16 positions at a time: an ASCII sentence end, or E3 80 82 (。)
         * whole in the block's reach (which may pass lim, not hi); the
         * positions found are tested one by one below as the byte loop
         * would, in order, and no other position can stop it. */
        for (; i < lim && i + 18 <= c->hi; i += 16) {
            __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 1));
            __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 2));
            unsigned m = (unsigned)_mm_movemask_epi8(stop_marks16(v0, v0, v1, v2));
            if (c->ndv_n && cand == SIZE_MAX) {
                unsigned pm = (unsigned)_mm_movemask_epi8(needle_pairs(c, v1, v2));
                if (pm)
                    cand = i + (size_t)__builtin_ctz(pm);
            }
            if (lim - i < 16)
                m &= (1u << (lim - i)) - 1;
            while (m) {
                size_t k = i + (size_t)__builtin_ctz(m);
                m &= m - 1;
                size_t n = SENT_FIRST[p[k]] == 1 ? 1 : k + 3 <= lim ? 3 : 0;
                if (n) {
                    c->st_from = pos;
                    c->st_at = k;
                    c->st_len = n;
                    note_pairs(c, pos, k, cand);
                    return k;
                }
            }
        }
        if (i >= lim)
            note_pairs(c, pos, lim, cand);
        if (i > lim)
            i = lim;
#endif
        for (; i < lim; i++) {
            unsigned char b = p[i];
            if (!SENT_FIRST[b])
                continue;
            size_t n = SENT_FIRST[b] == 1                                                  ? 1
                       : i + 3 <= lim && p[i + 1] == 0x80 && p[i + 2] == 0x82 ? 3
                                                                                      : 0;
            if (n) {
                c->st_from = pos;
                c->st_at = i;
                c->st_len = n;
                return i;
            }
        }
        return lim;
    }
    while (i < lim) {
        size_t j = i;
        uint32_t cp = utf8_next(c->s, lim, &j);
        if (sentence_end(cp))
            break;
        i = j;
    }
    return i;
}

/* The year stated at k ("2021年": four digits, the first 1 or 2, after no
 * digit unless k is the sentence start ss, then 年, the year within
 * 1949..2100), 0 when none is (the caller has seen k + 7 bytes before its
 * bound). */
static int year_at(const mctx *c, size_t ss, size_t k)
{
    const char *s = c->s;
    if (s[k] < '1' || s[k] > '2' || (k != ss && s[k - 1] >= '0' && s[k - 1] <= '9'))
        return 0;
    for (int d = 1; d < 4; d++)
        if (s[k + d] < '0' || s[k + d] > '9')
            return 0;
    if (memcmp(s + k + 4, "年", 3) != 0)
        return 0;
    int y = atoi(s + k);
    return y >= 1949 && y <= 2100 ? y : 0;
}

#ifdef __SSE2__
/* year_at() of the starts b + t for the lanes t of mask (bits 0..15) where
 * the first and last bytes of 年 (E5 B9 B4) stand at s[b + t + 4] and
 * s[b + t + 6], in order: *year the last found (unchanged when none).
 * Every start with a year is so marked.  Reads s[b + 4 .. b + 21]. */
static inline void year_block(const mctx *c, size_t ss, size_t b, unsigned mask, int *year)
{
    __m128i v4 = _mm_loadu_si128((const __m128i *)(const void *)(c->s + b + 4));
    __m128i v6 = _mm_loadu_si128((const __m128i *)(const void *)(c->s + b + 6));
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(
        _mm_cmpeq_epi8(v4, _mm_set1_epi8((char)0xE5)), _mm_cmpeq_epi8(v6, _mm_set1_epi8((char)0xB4))));
    for (m &= mask; m; m &= m - 1) {
        int y = year_at(c, ss, b + (size_t)__builtin_ctz(m));
        if (y)
            *year = y;
    }
}
#endif

/* Year stated with real digits in the sentence before pos ("2021年"): the
 * year_at() of the last start i from the sentence start on with i + 7 <=
 * pos that has one. */
static int year_before(mctx *c, size_t pos)
{
    size_t ss = sentence_start(c, pos);
    int year = 0, y;
    size_t i = ss;
    if ((c->yr_start == ss) & (c->yr_next > ss) & (c->yr_next + 6 <= pos)) {
        /* the same sentence further on: resume the last scan */
        i = c->yr_next;
        year = c->yr_year;
    }
    size_t i0 = i, end = pos >= 6 ? pos - 6 : 0; /* i + 7 <= pos: i < end */
#ifdef __SSE2__
    /* Sixteen starts at a time (year_block), the last block the sixteen
     * before end, masked to the starts from i (it reads from s[end - 12],
     * within the text as end >= 16, to s[end + 5], before pos): the starts
     * tried are those the walk below would find a year at, in order; most
     * blocks have none, and no tail is left to the walk. */
    if (i < end && end >= 16) {
        for (; i + 16 < end; i += 16)
            year_block(c, ss, i, ~0u, &year);
        year_block(c, ss, end - 16, ~0u << (i - (end - 16)), &year);
        i = end;
    }
#endif
    for (; i < end; i++) {
        /* a year at i, i+1, i+2 or i+3 has its digits over s[i + 3]: when
         * that is no digit, none of the four starts one */
        if (c->s[i + 3] < '0' || c->s[i + 3] > '9') {
            i += 3;
            continue;
        }
        if ((y = year_at(c, ss, i)) != 0)
            year = y;
    }
    i = i0 < end ? end : i0; /* where the walk stopped */
    if (i > ss) {
        c->yr_start = ss;
        c->yr_next = i;
        c->yr_year = year;
    }
    return year;
}

/* True when the character at j (j < hi, a character start in well-formed
 * text) may end a claim word's clause for claim_words(): it is no Chinese
 * character (is_cjk), or it is 了 or 的.  Lead bytes E5..E9 start Chinese
 * characters only, E4 too but for U+4DC0..U+4DFF (E4 B7 ..) and 了
 * (E4 BA 86), E7 but for 的 (E7 9A 84); any other byte is taken (a
 * superset: E3 also leads U+3400..U+4DBF). */
static inline bool clause_end_may(const unsigned char *p, size_t j, size_t hi)
{
    unsigned char b = p[j];
    if (b < 0xE4 || b > 0xE9)
        return true;
    if (b == 0xE4)
        return j + 2 < hi && (p[j + 1] == 0xB7 || (p[j + 1] == 0xBA && p[j + 2] == 0x86));
    return b == 0xE7 && j + 2 < hi && p[j + 1] == 0x9A && p[j + 2] == 0x84;
}

/* False when no claim word lies in [from, k) ending at k, by the rules'
 * claim_last3 (every claim word then ends with a three-byte character
 * whose bits it holds, so it needs three bytes at least, a lead E0..EF at
 * k - 3 and a set bit); true when it may, or without the table. */
static inline bool claim_last3_may(const rules *ru, const unsigned char *p, size_t from, size_t k)
{
    if (!ru->claim_last3)
        return true;
    if (k < from + 3 || (p[k - 3] & 0xF0) != 0xE0)
        return false;
    return ru->claim_last3[(size_t)(p[k - 3] & 15) << 6 | (p[k - 2] & 63)] >> (p[k - 1] & 63) & 1;
}

#ifdef __SSE2__
/* The positions j..j+15 that claim_end_may() must look at: the byte before
 * is a continuation byte and the byte at the position is none, and the byte
 * is no lead E5, E6, E8 or E9, where clause_end_may() says no (E7 is kept:
 * 的 may end a clause, as E4 for 了 is). */
static inline unsigned clause_edges16(const unsigned char *p, size_t j)
{
    const __m128i top2 = _mm_set1_epi8((char)0xC0), cont = _mm_set1_epi8((char)0x80);
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + j));
    __m128i prev = _mm_loadu_si128((const __m128i *)(const void *)(p + j - 1));
    __m128i edge = _mm_andnot_si128(_mm_cmpeq_epi8(_mm_and_si128(v, top2), cont),
                                    _mm_cmpeq_epi8(_mm_and_si128(prev, top2), cont));
    /* lead bytes E5..E9 (signed -27..-23) but E7 */
    __m128i han = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE7)),
                                   _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xE4)),
                                                 _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xEA))));
    return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(han, edge));
}

/* The positions j..j+15 whose byte before, masked (& 63), is one of the
 * claim words' last bytes so masked (rules.h: claim_last_byte, its eight
 * rows): elsewhere the claim_last3 bit of the three bytes before is clear
 * (it is keyed by that value), so claim_last3_may() says no.  Most clause
 * edges follow some other character, and are then passed without a test
 * each. */
static inline unsigned claim_last_lanes16(const mctx *c, const unsigned char *p, size_t j)
{
    const unsigned char(*row)[16] = c->ru->claim_last_byte;
    __m128i prev = _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + j - 1)),
                                 _mm_set1_epi8(63));
    __m128i hit = _mm_setzero_si128();
    for (unsigned k = 0; k < 8; k++)
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(prev, _mm_loadu_si128((const __m128i *)(const void *)row[k])));
    return (unsigned)_mm_movemask_epi8(hit);
}
#endif

/* Whether a word of either claim list ends at k (in (from, to] of
 * claim_end_may(), where the byte before k is a continuation byte and the
 * one at k none, or k == hi) and the character at k may end its clause.
 * The claim_last3 filter is asked first: it says no at nearly every such
 * position, a branch the processor guesses, where the clause test's answer
 * (by the lead byte at k) is no guess; the conjunction is the same. */
static inline bool claim_ends_at(const mctx *c, size_t from, size_t k)
{
    const unsigned char *p = (const unsigned char *)c->s;
    const phrase_list *nm = &c->ru->claim_not_met, *me = &c->ru->claim_met;
    return claim_last3_may(c->ru, p, from, k) && (k == c->hi || clause_end_may(p, k, c->hi)) &&
           (word_before(nm, c->s, from, k) || word_before(me, c->s, from, k));
}

/* True when some word of the claim lists may end its clause in [from, to):
 * a word of either list (with the last-byte index, word_before) ending at
 * a position j in (from, to] where the character at j may end a clause
 * (clause_end_may) or j is the end of the report.  Only for well-formed
 * text with claim words that all end with a continuation byte
 * (c->claim_ends_ok): then a word can end only where the byte before j is
 * one and the byte at j none (or j == hi).  When this is false the scan of
 * claim_words() finds nothing from any start in [from, to): every word it
 * takes ends such a clause, within [from, to).  With SSE2, 16 positions at
 * a time are sifted by clause_edges16() and those left tested one by one,
 * as the byte loop tests them. */
static bool claim_end_may(const mctx *c, size_t from, size_t to)
{
    const unsigned char *p = (const unsigned char *)c->s;
    size_t j = from + 1;
#ifdef __SSE2__
    /* Whole blocks, then the positions left (fewer than 16) in one block
     * when it lies before hi - 2, masked to end at to. */
    while (j <= to && j + 18 <= c->hi) {
        unsigned m = clause_edges16(p, j);
        if (c->cl_last_ok)
            m &= claim_last_lanes16(c, p, j);
        /* positions up to to (j <= to; from to - j = 15 on the block is
         * whole): the mask made without a branch, which the processor
         * missed at the last block of each scan */
        size_t left = to - j < 15 ? to - j : 15;
        m &= (2u << left) - 1;
        while (m) {
            size_t k = j + (size_t)__builtin_ctz(m);
            m &= m - 1;
            if (claim_ends_at(c, from, k))
                return true;
        }
        j += 16;
    }
    if (j > to)
        return false;
#endif
    for (; j <= to; j++) {
        if ((p[j - 1] & 0xC0) != 0x80 || (j < c->hi && (p[j] & 0xC0) == 0x80))
            continue;
        if (claim_ends_at(c, from, j))
            return true;
    }
    return false;
}

/* The claim words of claim_in() (below), cached in c. */
static claim claim_words(mctx *c, size_t from, size_t to)
{
    const rules *ru = c->ru;
    /* (cw_from <= cw_hit: the scan stops at or after its start) */
    if (c->cw_valid & (c->cw_to == to) & within(from, c->cw_from, c->cw_hit) & !c->cw_overflow) {
        bool inside = false;
        for (size_t k = 0; k < c->cw_nskip && !inside; k++)
            inside = c->cw_skip[k].start < from && from < c->cw_skip[k].end;
        if (!inside)
            return c->cw_claim;
    }
    c->cw_valid = true;
    c->cw_overflow = false;
    c->cw_from = from;
    c->cw_to = to;
    c->cw_hit = to;
    c->cw_claim = CLAIM_NONE;
    c->cw_nskip = 0;
    /* no word can end its clause in the range: the scan would find none,
     * nor would one from a later start (no skipped word to remember) */
    if (c->claim_ends_ok && from < to && !claim_end_may(c, from, to))
        return CLAIM_NONE;
    const unsigned char *p = (const unsigned char *)c->s;
    const uint64_t *f3 = ru->claim_first3; /* both lists' first3, or NULL */
    for (size_t i = from; i < to; i++) {
        if (f3) {
            /* neither list has a word at the characters passed */
            i = first3_skip(f3, p, i, to);
            if (i >= to)
                break;
        }
        unsigned char b = (unsigned char)c->s[i];
        if (b >= 0x80 && b < 0xC0)
            continue;
        /* (with f3 the skip above has passed these characters already:
         * where it stops, first_cjk says the same, or that may_start()
         * below rejects the position) */
        if (!f3 && b >= 0xE4 && b <= 0xE9 && i + 2 < to && ru->claim_not_met.first_cjk &&
            ru->claim_met.first_cjk && ((unsigned char)c->s[i + 1] & 0xC0) == 0x80 &&
            ((unsigned char)c->s[i + 2] & 0xC0) == 0x80) {
            /* a whole character of U+4000..U+9FFF: when neither list has a
             * word starting with it, its continuation bytes (skipped by the
             * test above anyway) are passed at once */
            uint32_t off = (((uint32_t)(b & 0x0F) << 12) |
                            ((uint32_t)((unsigned char)c->s[i + 1] & 0x3F) << 6) |
                            (uint32_t)((unsigned char)c->s[i + 2] & 0x3F)) -
                           PHRASE_CJK_LO;
            if (off < PHRASE_CJK_BITS &&
                !((ru->claim_not_met.first_cjk[off >> 3] | ru->claim_met.first_cjk[off >> 3]) >>
                      (off & 7) &
                  1)) {
                i += 2;
                continue;
            }
        }
        /* word_at() is may_start() then word_after(): each list's filter
         * is asked once */
        bool may_not = may_start(&ru->claim_not_met, c->s, to, i);
        bool may_met = may_start(&ru->claim_met, c->s, to, i);
        if (!may_not && !may_met)
            continue;
        size_t n = may_not ? word_after(&ru->claim_not_met, c->s, to, i) : 0;
        claim cl = CLAIM_NOT_MET;
        if (!n) {
            n = may_met ? word_after(&ru->claim_met, c->s, to, i) : 0;
            cl = CLAIM_MET;
        }
        if (!n)
            continue;
        size_t j = i + n;
        uint32_t next = j < c->hi ? utf8_next(c->s, c->hi, &j) : '\n';
        if (!is_cjk(next) || next == 0x4E86 /* 了 */ || next == 0x7684 /* 的 */) {
            c->cw_hit = i;
            c->cw_claim = cl;
            return cl;
        }
        if (c->cw_nskip < sizeof c->cw_skip / sizeof c->cw_skip[0])
            c->cw_skip[c->cw_nskip++] = (wspan){i, i + n};
        else
            c->cw_overflow = true;
        i += n - 1;
    }
    return CLAIM_NONE;
}

/* Does pattern k of list l (w: 0 not met, 1 met) match in s[from, to)?  A
 * search from an earlier start to the same end that found no match, or a
 * first match at or after from, answers without searching again (the
 * patterns are unanchored: a match at a position does not depend on where
 * the search began). */
static bool pattern_from(mctx *c, const phrase_list *l, int w, size_t k, size_t from, size_t to)
{
    if (k < 8 && c->rx_to == to && c->rx_from[w][k] <= from &&
        (c->rx_at[w][k] == SIZE_MAX || c->rx_at[w][k] >= from))
        return c->rx_at[w][k] != SIZE_MAX;
    size_t ms, me;
    bool m = rx_match(&l->patterns[k], c->sc, c->s, to, from, 0, &ms, &me) == RX_MATCH;
    if (k < 8) {
        c->rx_from[w][k] = from;
        c->rx_at[w][k] = m ? ms : SIZE_MAX;
    }
    return m;
}

/* False when no claim pattern can match in s[from, to): none of the
 * literals one of their matches holds (ru->claim_needles) starts there.
 * The answer of the last search, from nd_from to nd_to, which found the
 * first at nd_at (nd_to when none), serves every later from up to nd_at
 * (the figures of a sentence share its end). */
static bool claim_needle_in(mctx *c, size_t from, size_t to)
{
    if (!c->nd_set || from < c->nd_from || from > c->nd_at ||
        (c->nd_at == c->nd_to && to > c->nd_to)) {
        c->nd_set = true;
        c->nd_from = from;
        c->nd_to = to;
        /* no needle starts before the first pair sentence_stop() met */
        size_t start = c->nc_set && c->nc_from == from && c->nc_to == to ? c->nc_first : from;
        c->nd_at = start < to ? rx_needles_find(&c->ru->claim_needles, c->s, start, to, c->hi) : to;
    }
    return c->nd_at < to;
}

/* The claim in s[from, to): the first claim word, not_met words first at a
 * given position.  A word counts only when it ends its clause (达标率 is not
 * a claim). */
static claim claim_in(mctx *c, size_t from, size_t to)
{
    const rules *ru = c->ru;
    claim cw = claim_words(c, from, to);
    if (cw != CLAIM_NONE)
        return cw;
    if (c->rx_to != to) {
        c->rx_to = to;
        for (int w = 0; w < 2; w++)
            for (int k = 0; k < 8; k++)
                c->rx_from[w][k] = SIZE_MAX;
    }
    if (ru->claim_gate && !claim_needle_in(c, from, to))
        return CLAIM_NONE;
    for (size_t k = 0; k < ru->claim_not_met.npatterns; k++)
        if (pattern_from(c, &ru->claim_not_met, 0, k, from, to))
            return CLAIM_NOT_MET;
    for (size_t k = 0; k < ru->claim_met.npatterns; k++)
        if (pattern_from(c, &ru->claim_met, 1, k, from, to))
            return CLAIM_MET;
    return CLAIM_NONE;
}

static void compute_meets(figure *f)
{
    f->meets = -1;
    if (!f->std.present || !f->std.has_value || !f->has_value)
        return;
    if (f->kind == KIND_RATIO) {
        f->meets = f->value <= f->std.value + 1e-9;
        return;
    }
    if (f->direction > 0)
        f->meets = f->value + 1e-9 >= f->std.value;
    else if (f->direction < 0)
        f->meets = f->value <= f->std.value + 1e-9;
}

/* Build one figure. */
static figure *emit(mctx *c, const quantity *q, wspan name, wspan span, fig_kind kind,
                    const indicator *ind, bool change)
{
    figure *f = report_add_figure(c->r);
    if (!f)
        return NULL;
    f->name = report_name_slice(c->r, c->d, name);
    f->name_pooled = true;
    f->kind = kind;
    f->has_value = q->has_value;
    f->value = q->value;
    f->redacted = q->redacted;
    f->qual = q->qual;
    f->change = change;
    f->is_ratio = q->is_ratio;
    f->left = q->left;
    f->right = q->right;
    if (kind == KIND_RATIO && q->is_ratio && q->has_value) {
        /* N is the side greater than 1 whatever the label's order (§2.H). */
        double n = q->left > q->right ? q->left : q->right;
        if (n > 0)
            f->value = n;
    } else if (kind == KIND_RATIO && !q->is_ratio && q->has_value && q->value > 0 &&
               q->value < 1) {
        f->value = 1.0 / q->value; /* 师生比0.054: teachers per pupil */
    }
    /* the whole array: unit_norm holds its unit and NUL (numbers.h), and
     * the bytes after the NUL are no part of the string (one fixed copy
     * instead of a loop of as many turns as the unit has bytes) */
    _Static_assert(sizeof f->unit == sizeof q->unit_norm, "unit and unit_norm alike");
    memcpy(f->unit, q->unit_norm, sizeof f->unit);
    f->span = span;
    f->section = section_at(c, span.start);
    f->stage = stage_at(c, name.start, name.end);
    f->year = year_before(c, span.start);
    f->claimed = CLAIM_NONE;
    f->meets = -1;
    f->range_lo = 1;
    f->range_hi = 0;
    /* (the id set here with the rest taken from ind: one branch on it) */
    if (ind) {
        f->id = ind->id;
        f->gross = ind->gross;
        f->range_lo = ind->range_lo;
        f->range_hi = ind->range_hi;
        f->direction = ind->direction;
    } else {
        f->id = GENERIC_ID[kind];
        f->direction = kind == KIND_RATIO ? -1 : 0;
    }
    return f;
}

/* A figure named as an earlier one (`from`) instead of by text of its own:
 * a change whose subject precedes it, a value continuing a list.  emit() may
 * move the figures, so what is needed of `from` is copied first. */
static figure *emit_named_as(mctx *c, const quantity *q, const figure *from, wspan span,
                             fig_kind kind, const indicator *ind, bool change)
{
    char *name = report_name_dup(c->r, from->name ? from->name : "");
    const char *stage = from->stage;
    if (!name)
        return NULL;
    figure *f = emit(c, q, (wspan){0, 0}, span, kind, ind, change);
    if (!f)
        return NULL; /* the copy stays in the report's names until report_clear */
    f->name = name;
    f->stage = stage;
    return f;
}

/* The claim for every figure from index first on: up to the sentence end. */
static void claim_for(mctx *c, size_t first)
{
#ifdef __SSE2__
    const rx_needles *nd = &c->ru->claim_needles;
    if (!c->ndv_n && c->ru->claim_gate) {
        unsigned n = nd->n;
        for (unsigned k = 0; k < nd->n; k++)
            n = nd->len[k] >= 3 ? n : 0;
        for (unsigned k = 0; k < n; k++) {
            c->ndv_a[k] = _mm_set1_epi8(nd->text[k][1]);
            c->ndv_b[k] = _mm_set1_epi8(nd->text[k][2]);
        }
        c->ndv_n = n;
    }
#endif
    for (size_t i = first; i < c->r->nfigures; i++) {
        figure *f = &c->r->figures[i];
        size_t from = f->span.end;
        size_t to = sentence_stop(c, from, CLAIM_WINDOW);
        f->claimed = claim_in(c, from, to);
    }
}

/* A standard quantity q ("省标1:19") for the nearest figure before it in the
 * same sentence; a standard naming a stage ("国家标准(小学4.2人、初中5.3人)")
 * goes to the nearest figure of that stage. */
static bool attach_standard(mctx *c, const quantity *q, size_t word_start, const char *stage)
{
    size_t ss = sentence_start(c, q->start);
    figure *f = NULL;
    for (size_t i = c->r->nfigures, seen = 0; i > 0 && seen < 8; i--, seen++) {
        figure *g = &c->r->figures[i - 1];
        if (g->span.end < ss || g->span.end > q->start)
            break;
        if (g->std.present)
            continue;
        if (!stage || (g->stage && strcmp(g->stage, stage) == 0)) {
            f = g;
            break;
        }
    }
    if (!f)
        return false;
    f->std.present = true;
    f->std.has_value = q->has_value;
    f->std.value = q->value;
    if (q->is_ratio && q->has_value)
        f->std.value = q->left > q->right ? q->left : q->right;
    copy_str(f->std.unit, sizeof f->std.unit, q->unit_norm);
    f->std.span = (wspan){word_start, q->end};
    compute_meets(f);
    return true;
}

/* ----- one quantity ----- */

static bool take_quantity1(mctx *c, const quantity *q);
static fig_kind kind_of_dim(const quantity *q, bool rname, bool ratio_name);

/* The name of a change without its comparison and verb: 入学率比上年提高 →
 * 入学率, 比上年增加 → nothing (returns ns). */
static size_t strip_change_tail(const rules *ru, const char *s, size_t ns, size_t ne)
{
    for (;;) {
        size_t e = skip_spaces_back(s, ns, ne);
        size_t n = word_before(&ru->change_words, s, ns, e);
        if (!n)
            n = word_before(&ru->comparison_words, s, ns, e);
        if (!n)
            n = word_before(&ru->connectives, s, ns, e);
        if (!n)
            return e;
        ne = e - n;
    }
}

/* Names "A、B和C" ending at pos: fills c->list, returns the count. */
static size_t read_list(mctx *c, size_t pos, wspan *out, size_t max)
{
    static const char *const SEP[] = {"、", "和", "及", "与", ",", NULL};
    size_t n = 0, end = pos;
    while (n < max) {
        size_t rs = name_run_start(c->s, c->lo, end);
        if (rs == end)
            break;
        /* the run may hold 和/及/与 joining two names */
        size_t cut = rs;
        for (size_t i = rs; i < end;) {
            for (int k = 1; k < 4 && SEP[k]; k++)
                if (has_at(c->s, end, i, SEP[k], 3) && i + 3 < end)
                    cut = i + 3;
            utf8_next(c->s, end, &i);
        }
        out[n++] = (wspan){name_cut(c->ru, c->s, cut, end), end};
        if (cut == rs) {
            size_t p = skip_spaces_back(c->s, c->lo, rs);
            if (p >= 3 && has_at(c->s, c->hi, p - 3, SEP[0], 3))
                end = p - 3;
            else
                break;
        } else {
            end = cut - 3;
        }
    }
    /* reverse into text order */
    for (size_t i = 0; i < n / 2; i++) {
        wspan t = out[i];
        out[i] = out[n - 1 - i];
        out[n - 1 - i] = t;
    }
    return n;
}

static bool listish_name(const mctx *c, wspan w)
{
    bool ratio;
    return rate_name(c->s, w.start, w.end, &ratio) ||
           rules_classify(c->ru, c->s + w.start, w.end - w.start, NULL) != NULL;
}

/* True when q only continues the figure before it: between them stand
 * separators and connectives only (和, 、, 提升至, 与上年的 …). */
/* False when no glue word of continues_previous() starts at i (before
 * hi): the text there is neither ',' nor the first character of one (和 、
 * 与 及 上 去 年 比 由 从 的 分 为 是), so the walk of its list can be spared. */
static inline bool glue_may(const char *s, size_t hi, size_t i)
{
    if (s[i] == ',')
        return true;
    if (i + 3 > hi)
        return false;
    uint32_t key = (uint32_t)(unsigned char)s[i] << 16 | (uint32_t)(unsigned char)s[i + 1] << 8 |
                   (unsigned char)s[i + 2];
    switch (key) {
    case 0xE5928C: /* 和 */ case 0xE38081: /* 、 */ case 0xE4B88E: /* 与 */
    case 0xE58F8A: /* 及 */ case 0xE4B88A: /* 上 */ case 0xE58EBB: /* 去 */
    case 0xE5B9B4: /* 年 */ case 0xE6AF94: /* 比 */ case 0xE794B1: /* 由 */
    case 0xE4BB8E: /* 从 */ case 0xE79A84: /* 的 */ case 0xE58886: /* 分 */
    case 0xE4B8BA: /* 为 */ case 0xE698AF: /* 是 */
        return true;
    default:
        return false;
    }
}

static bool continues_previous(mctx *c, size_t q_start)
{
    if (!c->r->nfigures || c->last_q_end == 0 || c->last_q_end > q_start)
        return false;
#define GW(w) {w, sizeof(w) - 1}
    static const struct {
        const char *w;
        size_t n;
    } GLUE[] = {GW("和"),     GW("、"),       GW("与"),     GW("及"),     GW(","),
                GW("上年的"), GW("上年"),     GW("去年的"), GW("去年"),   GW("上一年的"),
                GW("年初的"), GW("比"),       GW("由"),     GW("从"),     GW("的"),
                GW("分别为"), GW("分别是"),   GW("分别"),   GW("为"),     GW("是"),
                {NULL, 0}};
#undef GW
    size_t i = c->last_q_end;
    if (q_start - i > 60)
        return false;
    while (i < q_start) {
        i = skip_spaces(c->s, q_start, i);
        if (i >= q_start)
            break;
        size_t n = word_at(&c->ru->connectives, c->s, q_start, i);
        if (!n)
            n = word_at(&c->ru->level_words, c->s, q_start, i);
        if (!n)
            n = word_at(&c->ru->change_words, c->s, q_start, i);
        bool glue = !n && glue_may(c->s, q_start, i);
        for (int k = 0; glue && !n && GLUE[k].w; k++)
            if (GLUE[k].w[0] == c->s[i] && has_at(c->s, q_start, i, GLUE[k].w, GLUE[k].n))
                n = GLUE[k].n;
        if (!n)
            return false;
        i += n;
    }
    return true;
}

/* may && continues_previous(c, q_start), asked once per quantity
 * (*known: -1 until asked, then the answer). */
static bool cont_lazy(mctx *c, size_t q_start, bool may, int *known)
{
    if (*known < 0)
        *known = may && continues_previous(c, q_start);
    return *known != 0;
}

static bool topic_fits(const indicator *ind, const quantity *q)
{
    return ind && ind->kind != KIND_COUNT && kind_fits(ind->kind, q);
}

/* 小学5.4人，初中为6.1人 / …专任教师数，小学0.96人 / 小学、初中每百名学生拥有
 * 计算机分别为…: a figure named only by a stage measures the indicator named
 * between that stage and its number, else the one named since the figure
 * before it in the sentence (or since the sentence start), else that
 * figure's own. */
static const indicator *sentence_topic(mctx *c, const quantity *q, wspan name)
{
    const rules *ru = c->ru;
    if (name.end <= name.start || name.end - name.start > 12 ||
        !stage_at(c, name.start, name.end))
        return NULL;
    const indicator *ind = NULL;
    if (q->start > name.end)
        ind = rules_classify(ru, c->s + name.end, q->start - name.end, NULL);
    size_t ss = sentence_start(c, q->start);
    const figure *prev = c->r->nfigures ? &c->r->figures[c->r->nfigures - 1] : NULL;
    if (prev && (prev->span.end < ss || prev->span.end > name.start))
        prev = NULL;
    size_t from = prev ? prev->span.end : ss;
    if (!topic_fits(ind, q) && name.start > from)
        ind = rules_classify(ru, c->s + from, name.start - from, NULL);
    if (!topic_fits(ind, q) && prev && prev->id && strncmp(prev->id, "other", 5) != 0)
        ind = rules_find(ru, prev->id);
    return topic_fits(ind, q) ? ind : NULL;
}

static bool take_quantity(mctx *c, const quantity *q)
{
    size_t before = c->r->nfigures;
    bool ok = take_quantity1(c, q);
    if (!c->ru->keep_changes) {
        /* policy "changes = drop": a change is no figure of its own */
        size_t w = before;
        for (size_t i = before; i < c->r->nfigures; i++) {
            if (c->r->figures[i].change)
                continue; /* its name stays in the report's names */
            c->r->figures[w++] = c->r->figures[i];
        }
        for (size_t i = w; i < c->r->nfigures; i++)
            memset(&c->r->figures[i], 0, sizeof c->r->figures[i]);
        c->r->nfigures = w;
    }
    return ok;
}

/* For take_quantity1(), with no standard word before the quantity and its
 * name run [rs0, pc) of four characters at most: the run is a stage of a
 * standard before it (国家标准(小学4.2人 …), or of the standard list the
 * quantity before went on (、初中5.3人), when it names a stage.  Then sets
 * *sw (the standard word's length, 1 for a list item), *std_start and
 * *std_stage; else leaves them.  The stage (a walk of the run) is looked for
 * only where one of the two may hold: elsewhere it would not be used. */
static void std_stage_before(mctx *c, size_t rs0, size_t pc, size_t *sw, size_t *std_start,
                             const char **std_stage)
{
    const char *s = c->s;
    size_t b = skip_spaces_back(s, c->lo, rs0);
    if (b > c->lo && (s[b - 1] == '(' || s[b - 1] == ':'))
        b--;
    size_t sw2 = word_before(&c->ru->standard_words, s, c->lo, b);
    bool next_item = c->last_std_end && c->last_std_end <= rs0 && rs0 - c->last_std_end <= 6;
    if (!sw2 && !next_item)
        return;
    /* the run walked for this and for the name (the same run when no 的
     * or 由上年 is dropped before the name) */
    run_facts_of(c, rs0, pc);
    const char *st = stage_at(c, rs0, pc);
    if (!st)
        return;
    *sw = sw2 ? sw2 : 1;
    *std_start = sw2 ? b - sw2 : rs0;
    *std_stage = st;
}

static bool take_quantity1(mctx *c, const quantity *q)
{
    const rules *ru = c->ru;
    const char *s = c->s;
    /* a bound on a head count or a score that only describes the noun after
     * it: 不足100人的学校, 56人以上的大班额, 600分以上的学生 (a group, not a
     * figure); an area or a sum so bounded stays a figure (建筑面积不足2000
     * 平方米的综合楼) */
    bool bound = q->qual_pre == QUAL_UNDER || q->qual_pre == QUAL_OVER ||
                 q->qual_post == QUAL_UNDER || q->qual_post == QUAL_OVER;
    bool group_dim = q->dim == DIM_COUNT || q->dim == DIM_SCORE || q->dim == DIM_AGE;
    if (bound && group_dim && has_at(s, c->hi, q->end, "的", 3) &&
        noun_after(ru, s, c->hi, q->end + 3) > q->end + 3)
        return true;
    size_t p = skip_footnote(s, c->lo, q->start);
    p = skip_spaces_back(s, c->lo, p);
    /* a shortfall (差848平方米) or a basis (按100人核定) */
    if (word_before(&ru->gap_words, s, c->lo, p))
        return true;
    /* an age is a figure only when its name says age (平均年龄47.3岁); a
     * group label (6岁儿童, 35岁以下) is not */
    if (q->dim == DIM_AGE) {
        size_t pa = strip_connectives(ru, s, c->lo, p);
        size_t ra = run_start(c, pa);
        bool aged = false;
        for (size_t i = ra; !aged && i + 6 <= pa; i++)
            aged = memcmp(s + i, "年龄", 6) == 0;
        if (!aged)
            return true;
    }
    /* a change verb right before the number */
    bool change = q->change || q->dim == DIM_POINTS;
    size_t cw = word_before(&ru->change_words, s, c->lo, p);
    if (cw && !word_before(&ru->level_words, s, c->lo, p))
        change = true;
    size_t pc = strip_connectives(ru, s, c->lo, p);
    /* a standard: 省评估标准20平方米, 标准为…, ≥4.2 */
    size_t sw = word_before(&ru->standard_words, s, c->lo, pc);
    bool sign = false;
    if (p > c->lo && may_end_sign(s[p - 1])) {
        size_t prev;
        uint32_t cp = utf8_prev(s, p, &prev);
        sign = cp == 0x2265 || cp == 0x2264 || cp == 0x226E || cp == 0x226F;
    }
    const char *std_stage = NULL;
    size_t std_start = sw ? pc - sw : p;
    if (!sw) {
        /* 国家标准(小学4.2人 …: a stage word between the standard and the number */
        size_t rs0 = run_start(c, pc);
        if (pc - rs0 <= 12)
            std_stage_before(c, rs0, pc, &sw, &std_start, &std_stage);
    }
    /* 高于5%的国家标准, 未达到10.44平方米的标准: the standard word after it */
    bool std_after = !sw && q->end + 3 < c->hi && memcmp(s + q->end, "的", 3) == 0 &&
                     word_after(&ru->standard_words, s, c->hi, q->end + 3);
    if (sw || ((sign || std_after) && c->r->nfigures &&
               c->r->figures[c->r->nfigures - 1].span.end >= sentence_start(c, q->start))) {
        bool attached = attach_standard(c, q, std_start, std_stage);
        /* 每生每天补助标准为5元: a generic 标准 after a noun, with no figure
         * before it in the sentence, names the figure itself */
        bool generic = sw >= 6 && !std_stage && pc - sw > c->lo &&
                       memcmp(s + pc - sw, "标准", 6) == 0 &&
                       (sw == 6 || has_at(s, pc, pc - 3, "为", 3) || has_at(s, pc, pc - 3, "是", 3));
        if (generic) {
            size_t pv;
            generic = is_cjk(utf8_prev(s, pc - sw, &pv));
        }
        if (attached || !generic) {
            c->last_std_end = q->end;
            return true;
        }
    }
    /* the name on the left */
    size_t ne = pc;
    /* "占…的15.51%": drop a trailing 的 */
    if (ne - c->lo >= 3 && memcmp(s + ne - 3, "的", 3) == 0)
        ne -= 3;
#define SW(w) {w, sizeof(w) - 1}
    static const struct {
        const char *w;
        size_t n;
    } SINCE[] = {SW("由上年"), SW("从上年"), SW("由去年"), SW("从去年"),   SW("较上年"),
                 SW("较去年"), SW("从年初"), SW("由年初"), SW("从近年来"), SW("由"),
                 SW("从"),     {NULL, 0}};
#undef SW
    /* every word of SINCE ends with 年 (B4), 初 (9D), 来 (A5), 由 (B1) or
     * 从 (8E): on any other last byte none can end at ne (the five asked
     * at once: continuation bytes, by a bit each of their low six bits) */
    unsigned char last_b = ne > c->lo ? (unsigned char)s[ne - 1] : 0;
    const uint64_t since_last = 1ull << (0xB4 & 63) | 1ull << (0x9D & 63) | 1ull << (0xA5 & 63) |
                                1ull << (0xB1 & 63) | 1ull << (0x8E & 63);
    bool since_may = ((last_b & 0xC0) == 0x80) & (bool)(since_last >> (last_b & 63) & 1);
    for (int k = 0; since_may && SINCE[k].w; k++) {
        size_t kl = SINCE[k].n;
        if (ne - c->lo > kl && s[ne - 1] == SINCE[k].w[kl - 1] &&
            memcmp(s + ne - kl, SINCE[k].w, kl) == 0) {
            ne -= kl;
            break;
        }
    }
    size_t rs = run_start(c, ne);
    /* 35岁以下教师占21%: the age of a group label belongs to the name */
    if (has_at(s, ne, rs, "岁", 3) || has_at(s, ne, rs, "周岁", 6)) {
        size_t d = rs;
        while (d > c->lo && rs - d < 8 &&
               ((s[d - 1] >= '0' && s[d - 1] <= '9') || (s[d - 1] == '.' && d < rs)))
            d--;
        while (d < rs && s[d] == '.')
            d++;
        /* 6至15周岁, 3-6岁: the range's first bound too */
        size_t sep = d >= c->lo + 3 && has_at(s, d, d - 3, "至", 3)        ? 3
                     : d > c->lo && (s[d - 1] == '-' || s[d - 1] == '~') ? 1
                                                                         : 0;
        if (d < rs && sep && d - sep > c->lo && s[d - sep - 1] >= '0' &&
            s[d - sep - 1] <= '9') {
            d -= sep;
            while (d > c->lo && s[d - 1] >= '0' && s[d - 1] <= '9')
                d--;
        }
        rs = d;
    }
    size_t ns = name_cut_at(c, rs, ne);
    /* the noun on the right */
    size_t after = q->end;
    /* 85%的学生: a percent reads past 的 (with fewer than three bytes left
     * before hi the test compares none and holds, as it always has); the
     * unit asked first, the comparison then of a fixed length, without a
     * call */
    if (q->dim == DIM_PERCENT && after < c->hi &&
        (after + 3 > c->hi || memcmp(s + after, "的", 3) == 0))
        after += 3;
    /* the noun is read only where it may bind (below): elsewhere fe = after
     * says "no noun", which leaves forward false as noun_after would */
    /* (the parts joined by &, here and below where they are plain tests:
     * one branch for the answer instead of one per part) */
    bool may_forward =
        ((q->dim == DIM_COUNT) & (q->unit != NULL) & (after == q->end)) | (ns == ne);
    size_t fe = may_forward ? noun_after(ru, s, c->hi, after) : after;
    /* a noun after it binds: 6个教学班 (a measure word binds to the noun
     * after it), or a quantity with no name on its left */
    bool forward = may_forward & (fe > after);
    if (forward && q->dim == DIM_COUNT) {
        /* 三个方面, 五项管理: enumerations, not figures */
        if (word_after(&ru->abstract_nouns, s, c->hi, after))
            return true;
        /* 一所历史悠久的学校: a numeral one before a noun is an article */
        if (q->chinese && q->has_value && q->value == 1 && !q->qual)
            return true;
    }
    if (!forward && ns == ne && q->dim == DIM_COUNT && q->chinese && q->value == 1 &&
        !continues_previous(c, q->start))
        return true; /* 最大的一所: a count of nothing named */
    /* whether q continues the figure before it, asked only where the answer
     * is used (below): it reads the figures and last_q_end, which nothing
     * changes before those uses, and the change flag as it stands here */
    bool may_cont = !change;
    int cont_known = -1;
    /* a change: its name without 比上年 and the verb (入学率比上年提高 → 入学率);
     * with nothing left, the subject of the figure before it in the sentence
     * (在校生8421人,比上年增加312人 → 在校生) */
    if (change && !forward && ns < ne) {
        /* stripped from the whole run: a stop may open the comparison (与上年相比) */
        size_t e = strip_change_tail(ru, s, rs, ne);
        size_t ns2 = e > rs ? name_cut(ru, s, rs, e) : e;
        const figure *pf = c->r->nfigures ? &c->r->figures[c->r->nfigures - 1] : NULL;
        if (ns2 < e) {
            ns = ns2;
            ne = e;
        } else if (pf && pf->name && pf->name[0] && pf->span.end <= q->start &&
                   pf->span.end >= sentence_start(c, q->start)) {
            const indicator *pind =
                pf->id && strncmp(pf->id, "other", 5) != 0 ? rules_find(ru, pf->id) : NULL;
            fig_kind pk = kind_fits(pf->kind, q) ? pf->kind : kind_of_dim(q, false, false);
            size_t first = c->r->nfigures;
            figure *f = emit_named_as(c, q, pf, (wspan){ns, q->end}, pk, pind, true);
            if (!f)
                return false;
            f->range_lo = 1;
            f->range_hi = 0; /* a change is no level: the indicator's range is not its own */
            claim_for(c, first);
            c->last_q_end = q->end;
            return true;
        }
    }
    /* the catalogue */
    wspan name = forward ? (wspan){after, fe} : (wspan){ns, ne};
    wspan run = forward ? name : (wspan){rs, ne};
    size_t tend = 0;
    const indicator *ind = run.end > run.start
                               ? rules_classify(ru, s + run.start, run.end - run.start, &tend)
                               : NULL;
    bool ratio_name = false;
    bool rname = !forward && rate_name(s, ns, ne, &ratio_name);
    if (rname && word_before(&ru->change_words, s, ns, ne - 3))
        change = true; /* 增长率为23.6%: a growth rate */
    fig_kind kind;
    const figure *prev = c->r->nfigures ? &c->r->figures[c->r->nfigures - 1] : NULL;
    bool inherit = ((prev != NULL) & !forward & ((ns == ne) | ((ne - ns <= 9) & !ind & !rname))) &&
                   cont_lazy(c, q->start, may_cont, &cont_known);
    /* distribution: "A、B分别为X和Y" */
    size_t first_new = c->r->nfigures;
    if (c->nlist && c->list_next < c->nlist && c->list_last_end <= q->start &&
        cont_lazy(c, q->start, may_cont, &cont_known)) {
        name = c->list[c->list_next++];
        c->list_last_end = q->end;
        run = name;
        /* 小学、初中每百名学生拥有计算机分别为…: the last name was cut at 拥有;
         * the per-capita words cut off still say what it measures */
        if (c->list_next >= 2) {
            size_t from = c->list[c->list_next - 2].end;
            if (from < name.start &&
                word_find(&ru->per_capita_words, s, from, name.start, &tend) < name.start)
                run = (wspan){from, name.end};
        }
        ind = rules_classify(ru, s + run.start, run.end - run.start, &tend);
        rname = rate_name(s, name.start, name.end, &ratio_name);
        inherit = false;
    } else if (!forward) {
        c->nlist = 0;
        /* find 分别 or 均 ending the name run */
        static const char FB[] = "分别", JUN[] = "均", DOU[] = "都";
        size_t k = ne;
        bool dist = false, same = false;
        /* the marker may open the stripped connective: 均为, 分别达到 */
        if (has_at(s, p, pc, FB, 6))
            dist = true;
        else if (has_at(s, p, pc, JUN, 3) || has_at(s, p, pc, DOU, 3))
            same = true;
        else if (k - c->lo >= 6 && memcmp(s + k - 6, FB, 6) == 0) {
            dist = true;
            k -= 6;
        } else if (k - c->lo >= 3 &&
                   (memcmp(s + k - 3, JUN, 3) == 0 || memcmp(s + k - 3, DOU, 3) == 0)) {
            same = true;
            k -= 3;
        }
        if (dist || same) {
            wspan names[MAX_LIST];
            size_t n = read_list(c, k, names, MAX_LIST);
            bool ok = n >= 1;
            for (size_t i = 0; i < n; i++)
                ok = ok && names[i].end > names[i].start && listish_name(c, names[i]);
            if (ok && same && n >= 2) {
                /* the same value for every name: one figure each */
                for (size_t i = 0; i < n; i++) {
                    const indicator *li =
                        rules_classify(ru, s + names[i].start, names[i].end - names[i].start, NULL);
                    fig_kind lk = li && kind_fits(li->kind, q) ? li->kind
                                  : q->is_ratio            ? KIND_RATIO
                                                           : KIND_RATE;
                    if (!kind_fits(lk, q) && q->dim != DIM_NONE)
                        break;
                    if (!emit(c, q, names[i], (wspan){names[i].start, q->end}, lk, li, change))
                        return false;
                }
                if (c->r->nfigures > first_new) {
                    claim_for(c, first_new);
                    c->last_q_end = q->end;
                    return true;
                }
            } else if (ok && dist) {
                memcpy(c->list, names, n * sizeof *names);
                c->nlist = n;
                c->list_next = 1;
                c->list_last_end = q->end;
                name = names[0];
                run = name;
                ind = rules_classify(ru, s + name.start, name.end - name.start, &tend);
                rname = rate_name(s, name.start, name.end, &ratio_name);
                if (n == 1)
                    c->nlist = 0;
            } else {
                name = (wspan){ns, k};
                ind = rules_classify(ru, s + rs, k - rs, &tend);
                rname = rate_name(s, ns, k, &ratio_name);
            }
        }
    }
    /* 1294.73万 with no unit: the unit of the figure before it in the
     * sentence (其中小学24.3万), else the catalogue's, else a head count */
    bool magnitude = q->dim == DIM_NONE && !q->is_ratio && q->end >= 3 &&
                     (memcmp(s + q->end - 3, "万", 3) == 0 || memcmp(s + q->end - 3, "亿", 3) == 0);
    quantity qq;
    if (magnitude || (q->dim == DIM_NONE && q->redacted && !rname && !q->is_ratio)) {
        qq = *q;
        const char *unit = NULL;
        unit_dim dim = DIM_NONE;
        fig_kind k2 = KIND_COUNT;
        if (magnitude && prev && prev->span.end >= sentence_start(c, q->start) &&
            prev->kind != KIND_RATE && prev->kind != KIND_RATIO && prev->unit[0]) {
            unit = prev->unit;
            k2 = prev->kind;
            ind = NULL;
        } else if (ind &&
                   (ind->kind == KIND_AMOUNT || ind->kind == KIND_AREA || ind->kind == KIND_COUNT)) {
            unit = ind->unit;
            k2 = ind->kind;
        } else if (magnitude) {
            unit = "人";
        } else {
            return true; /* xx with no unit and no catalogue noun */
        }
        dim = k2 == KIND_AMOUNT ? DIM_MONEY : k2 == KIND_AREA ? DIM_AREA : DIM_COUNT;
        copy_str(qq.unit_norm, sizeof qq.unit_norm, unit ? unit : "");
        qq.dim = dim;
        q = &qq;
        if (ind && !kind_fits(ind->kind, q))
            ind = NULL;
        inherit = false;
    }
    wspan span;
    if (inherit) {
        name = prev->span.start < q->start ? (wspan){0, 0} : name;
        kind = kind_fits(prev->kind, q) ? prev->kind : KIND_OTHER;
        ind = prev->id && strncmp(prev->id, "other", 5) != 0 ? rules_find(ru, prev->id) : NULL;
        if (kind == KIND_OTHER && !kind_fits(KIND_OTHER, q))
            inherit = false;
    }
    if (inherit) {
        figure *f = emit_named_as(c, q, prev, (wspan){prev->span.start, q->end}, kind, ind,
                                  change);
        if (!f)
            return false;
        claim_for(c, first_new);
        c->last_q_end = q->end;
        return true;
    }
    /* the kind */
    bool per_capita = per_capita_in(c, run.start, run.end) || (forward && per_capita_in(c, rs, ne));
    bool pc_dim = q->dim == DIM_COUNT || q->dim == DIM_MONEY || q->dim == DIM_AREA ||
                  q->dim == DIM_LENGTH;
    /* 普通高中24586元 under "各类学校生均教育经费增长情况", 小学达到4.5人
     * under "每百名学生拥有高于规定学历教师数": the name is only the subject
     * (a stage, a school type), the heading says what is measured */
    bool subject = name.end == name.start ||
                   (name.end - name.start <= 12 && stage_at(c, name.start, name.end)) ||
                   (ind && ind->kind == KIND_COUNT && ind->unit &&
                    strcmp(ind->unit, q->unit_norm) != 0 && is_term_of(ind, s, name));
    const indicator *topic =
        !per_capita && subject && (pc_dim || q->dim == DIM_PERCENT) ? sentence_topic(c, q, name)
                                                                     : NULL;
    if (topic)
        ind = topic;
    else if (!per_capita && subject && (pc_dim || q->dim == DIM_PERCENT)) {
        int si = section_at(c, q->start);
        if (si >= 0) {
            bool title_pc;
            const indicator *hi = heading_facts(c, si, &title_pc);
            if (hi && hi->kind != KIND_COUNT && kind_fits(hi->kind, q))
                ind = hi;
            else if (q->dim != DIM_COUNT && ind && ind->kind == KIND_COUNT)
                per_capita = title_pc;
        }
    }
    if (ind && per_capita && pc_dim &&
        (ind->kind == KIND_COUNT || ind->kind == KIND_AMOUNT || ind->kind == KIND_AREA))
        ind = NULL; /* 听课平均达16节: the average, not the count */
    const indicator *change_ind = change ? ind : NULL;
    if (rname && !ratio_name && !q->is_ratio && q->dim != DIM_PERCENT && !ind &&
        q->dim != DIM_POINTS)
        kind = KIND_RATE; /* 复本率12本: a rate by its name */
    else if (ind && kind_fits(ind->kind, q))
        kind = ind->kind;
    else if (q->is_ratio)
        kind = KIND_RATIO;
    else {
        switch (q->dim) {
        case DIM_PERCENT:
        case DIM_PERMILLE:
        case DIM_POINTS:
            kind = KIND_RATE;
            break;
        case DIM_COUNT:
            kind = KIND_COUNT;
            break;
        case DIM_MONEY:
            kind = KIND_AMOUNT;
            break;
        case DIM_AREA:
        case DIM_LENGTH:
            kind = KIND_AREA;
            break;
        case DIM_TIME:
        case DIM_SCORE:
        case DIM_AGE:
        case DIM_OTHER:
            kind = KIND_OTHER;
            break;
        case DIM_NONE:
            if (!rname)
                return true; /* a bare number with no rate name: not a figure */
            kind = ratio_name ? KIND_RATIO : KIND_RATE;
            break;
        default:
            return true;
        }
        if (ind && !kind_fits(ind->kind, q))
            ind = NULL;
        if (per_capita && pc_dim)
            kind = KIND_PER_CAPITA;
    }
    if (forward)
        span = (wspan){q->start, fe};
    else
        span = (wspan){name.end > name.start ? name.start : q->start, q->end};
    if (name.end <= name.start && !forward)
        span.start = q->start;
    if (change && !ind && change_ind)
        ind = change_ind; /* 经费同比增长8.5%: the indicator's id, the kind of its unit */
    figure *nf = emit(c, q, name, span, kind, ind, change);
    if (!nf)
        return false;
    if (change) {
        nf->range_lo = 1;
        nf->range_hi = 0; /* a change is no level: the indicator's range is not its own */
    }
    claim_for(c, first_new);
    c->last_q_end = q->end;
    return true;
}

/* The first three bytes of s (s has at least three) as one key. */
static uint32_t bytes3(const char *s)
{
    return (uint32_t)(unsigned char)s[0] << 16 | (uint32_t)(unsigned char)s[1] << 8 |
           (unsigned char)s[2];
}

/* Whether a Chinese character (U+3400..U+9FFF, three bytes) ends at j:
 * decoded at j - 3, it ends at j (j + 6 <= c->hi, so no bound cuts it). */
static bool cjk_ends_at(const mctx *c, size_t j)
{
    if (j < 3)
        return false;
    size_t k = j - 3;
    uint32_t cp = utf8_next(c->s, c->hi, &k);
    return k == j && is_cjk(cp);
}

/* True when the walk of take_bare_units (its byte loop) would test a unit
 * at j as far as the bytes around j tell (j + 6 <= c->hi): j is no
 * continuation byte, its third byte is in bare_lead, its fifth and sixth
 * bytes pass bare_tail, when the candidates are listed (nbare_cp not
 * SIZE_MAX) its first three bytes are those of one, and a Chinese
 * character ends at j (bare_prev_ok's test but for where the walk
 * started).  (The walk passes a j that fails bare_tail or has no Chinese
 * character before it as it passes one no unit starts at: the next it
 * tests lies three bytes on at least, past j's character, so the character
 * before that one starts after the walk's start either way.  Asked here,
 * such a j no longer stops the scan, to be scanned past again from j + 1:
 * most positions the other tests pass are such, as 平 of 平安 for 平方米,
 * or a unit after a number.) */
static inline bool bare_key_at(const mctx *c, size_t j)
{
    const unsigned char *p = (const unsigned char *)c->s;
    if ((p[j] & 0xC0) == 0x80 || !c->bare_lead[p[j + 2]] ||
        !(c->ru->units.bare_tail[p[j + 4] & 63] >> (p[j + 5] & 63) & 1))
        return false;
    if (c->nbare_cp != SIZE_MAX) {
        if (!(c->ru->units.bare_pair[p[j + 1] & 63] >> (p[j + 2] & 63) & 1))
            return false; /* no key has these second and third bytes */
        uint32_t key = bytes3(c->s + j);
        size_t k = 0;
        while (k < c->nbare_cp && c->bare_cp[k] != key)
            k++;
        if (k == c->nbare_cp)
            return false;
    }
    return cjk_ends_at(c, j);
}

/* The rest of that test, which depends on where the walk started (i) and
 * stops (to), for a j that passed bare_key_at (j > i, j + 6 <= to): the
 * character before j is a Chinese one that starts at i or later.  Chinese
 * characters (U+3400..U+9FFF) take three bytes, so that character starts
 * at j - 3; decoded there, it must end at j.  In well-formed text every
 * character boundary at or after i is a step of that walk (from a
 * continuation byte the walk steps one byte at a time, decoding no Chinese
 * character). */
static bool bare_prev_ok(const mctx *c, size_t i, size_t j)
{
    return j >= i + 3 && cjk_ends_at(c, j);
}

#if EDX_AVX2_DISPATCH
#include <immintrin.h> /* here, for bare_block_avx2 alone */

/* The class bits of the 32 bytes v in the nibble tables lo and hi
 * (num_units.bare_nib): lo[b & 15] & hi[b >> 4] for each byte b. */
__attribute__((target("avx2"))) static inline __m256i nib_class_avx2(__m256i v, __m256i lo,
                                                                     __m256i hi)
{
    const __m256i nib = _mm256_set1_epi8(0x0F);
    return _mm256_and_si256(_mm256_shuffle_epi8(lo, _mm256_and_si256(v, nib)),
                            _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(v, 4), nib)));
}

/* One of the nibble tables (num_units.bare_nib) in both halves. */
__attribute__((target("avx2"))) static inline __m256i nib_table_avx2(const unsigned char *t)
{
    return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)t));
}

/* bare_key_scan's blocks with AVX2: the first position k >= *j passing
 * bare_key_at, 32 positions at a time while all of a block's positions k
 * have k + 6 <= c->hi; *j is left where the blocks stopped when none
 * passed there (SIZE_MAX returned).  Only for listed candidates
 * (num_units.bare_avx2): a position passes the filter when the class bits
 * of its second and third bytes meet, as they do for every key's bytes
 * (num_units.bare_nib), so no position that bare_key_at accepts is
 * filtered out. */
__attribute__((target("avx2"))) static size_t bare_block_avx2(const mctx *c, size_t *j)
{
    const unsigned char *p = (const unsigned char *)c->s;
    const unsigned char(*t)[16] = c->ru->units.bare_nib;
    const __m256i lo2 = nib_table_avx2(t[0]), hi2 = nib_table_avx2(t[1]);
    const __m256i lo3 = nib_table_avx2(t[2]), hi3 = nib_table_avx2(t[3]);
    const __m256i zero = _mm256_setzero_si256();
    const size_t hi = c->hi;
    size_t k = *j;
    for (; hi >= 37 && k <= hi - 37; k += 32) {
        __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + k + 1));
        __m256i v2 = _mm256_loadu_si256((const __m256i *)(const void *)(p + k + 2));
        /* the class bits of the second and third bytes must meet */
        __m256i both = _mm256_and_si256(nib_class_avx2(v1, lo2, hi2), nib_class_avx2(v2, lo3, hi3));
        uint32_t m = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(both, zero));
        while (m) {
            size_t h = k + (size_t)__builtin_ctz(m);
            m &= m - 1;
            if (bare_key_at(c, h))
                return h;
        }
    }
    *j = k;
    return SIZE_MAX;
}
#endif

/* The first position j >= from with j + 6 <= c->hi that passes
 * bare_key_at, or SIZE_MAX.  Only for well-formed text (c->bare_fast): a
 * unit's first byte is never a continuation byte, so there it starts a
 * character and the byte scan needs no character walk.  Blocks of 32
 * positions with AVX2 (when the processor has it), then of 16 with SSE2
 * (a third byte in bare_lead and a first byte that is no continuation
 * byte), then one by one. */
static size_t bare_key_scan(const mctx *c, size_t from)
{
    size_t j = from;
#if EDX_AVX2_DISPATCH
    if (c->ru->units.bare_avx2) {
        size_t k = bare_block_avx2(c, &j);
        if (k != SIZE_MAX)
            return k;
    }
#endif
#ifdef __SSE2__
    const unsigned char *p = (const unsigned char *)c->s;
    const __m128i *t = c->bare_vec;
    const __m128i t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6],
                  t7 = t[7];
    const __m128i cont_max = _mm_set1_epi8((char)0xBF); /* signed: -65 */
    for (; j + 18 <= c->hi; j += 16) {
        __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)(p + j));
        __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(p + j + 2));
        __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v2, t0), _mm_cmpeq_epi8(v2, t1)),
                         _mm_or_si128(_mm_cmpeq_epi8(v2, t2), _mm_cmpeq_epi8(v2, t3))),
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v2, t4), _mm_cmpeq_epi8(v2, t5)),
                         _mm_or_si128(_mm_cmpeq_epi8(v2, t6), _mm_cmpeq_epi8(v2, t7))));
        /* no continuation byte (80..BF, signed -128..-65) at j */
        hit = _mm_and_si128(hit, _mm_cmpgt_epi8(v0, cont_max));
        unsigned m = (unsigned)_mm_movemask_epi8(hit);
        if (c->hi - j < 22) /* positions t with j + t + 6 > hi are masked off */
            m &= (1u << (c->hi - j - 5)) - 1;
        while (m) {
            size_t k = j + (size_t)__builtin_ctz(m);
            m &= m - 1;
            if (bare_key_at(c, k))
                return k;
        }
    }
#endif
    for (; j + 6 <= c->hi; j++)
        if (bare_key_at(c, j))
            return j;
    return SIZE_MAX;
}

/* The next position j > i at which the walk of take_bare_units (below)
 * from i would test a unit, or SIZE_MAX when there is none before to.
 * Only for well-formed text (c->bare_fast).  The walks of a report go
 * forward, so the positions passing bare_key_at are found in one scan of
 * the text, lazily: bare_scan_at is the first at or after bare_scan_from
 * (both 0 until the first scan; no position asked is 0). */
static size_t bare_find(mctx *c, size_t i, size_t to)
{
    if (c->nbare_third == 0)
        return SIZE_MAX;
    for (size_t j = i + 1;;) {
        if (j < c->bare_scan_from || j > c->bare_scan_at) {
            c->bare_scan_from = j;
            c->bare_scan_at = bare_key_scan(c, j);
        }
        size_t h = c->bare_scan_at;
        if (h == SIZE_MAX || h + 6 > to)
            return SIZE_MAX;
        if (bare_prev_ok(c, i, h))
            return h;
        j = h + 1;
    }
}

/* A name followed by a bare unit and no number (template sites strip the
 * number: "校园面积平方米"): a redacted figure.  Only multi-character area
 * and money units, which never end an ordinary word. */
static bool take_bare_units_walk(mctx *c, size_t from, size_t to)
{
    const num_units *u = &c->ru->units;
    for (size_t i = from; i < to;) {
        size_t j = i;
        if (c->bare_fast) {
            j = bare_find(c, i, to);
            if (j == SIZE_MAX)
                return true;
            goto unit_at_j;
        }
        if (c->utf8_ok) {
            /* Well-formed text: the character at i ends where its lead byte
             * says (a continuation byte steps one, as utf8_next does), so the
             * cheap tests below come before decoding it.  Past the point
             * where j + 6 > to no later position passes them either. */
            const unsigned char *p = (const unsigned char *)c->s;
            const bool *lead = c->bare_lead;
            for (;;) {
                j = i + LEAD_LEN[p[i]];
                if (j + 6 > to)
                    return true;
                if (lead[p[j + 2]])
                    break;
                i = j;
            }
            j = i;
        }
        uint32_t cp = utf8_next(c->s, to, &j);
        if (!is_cjk(cp) || j + 6 > to || !c->bare_lead[(unsigned char)c->s[j + 2]]) {
            i = j;
            continue;
        }
        if (c->nbare_cp != SIZE_MAX) {
            /* the unit must start with the first character of a candidate */
            uint32_t key = bytes3(c->s + j);
            size_t k = 0;
            while (k < c->nbare_cp && c->bare_cp[k] != key)
                k++;
            if (k == c->nbare_cp) {
                i = j;
                continue;
            }
        }
    unit_at_j:;
        /* j + 6 <= to here; the unit sought is one of those of bare_tail,
         * so where none of them starts, the answer of num_unit_at fails */
        if (!(u->bare_tail[(unsigned char)c->s[j + 4] & 63] >> ((unsigned char)c->s[j + 5] & 63) &
              1)) {
            i = j;
            continue;
        }
        const num_unit *un = num_unit_at(u, c->s, to, j);
        if (!un || un->len < 6 || (un->dim != DIM_AREA && un->dim != DIM_MONEY)) {
            i = j;
            continue;
        }
        size_t ue = j + un->len;
        size_t k = ue;
        uint32_t next = k < c->hi ? utf8_next(c->s, c->hi, &k) : '\n';
        if (is_cjk(next) || (next >= '0' && next <= '9')) {
            i = j;
            continue;
        }
        size_t rs = name_run_start(c->s, c->lo, j);
        size_t ns = name_cut(c->ru, c->s, rs, j);
        if (j - ns < 6 || word_before(&c->ru->per_capita_words, c->s, ns, j)) {
            i = ue;
            continue;
        }
        /* the last character before the unit must not be a numeral or 每 */
        size_t pv;
        uint32_t last = utf8_prev(c->s, j, &pv);
        if (last == 0x6BCF /* 每 */ || last == 0x5343 || last == 0x4E07 || last == 0x767E) {
            i = ue;
            continue;
        }
        quantity q;
        memset(&q, 0, sizeof q);
        q.start = q.num_start = q.num_end = j;
        q.end = ue;
        q.redacted = true;
        q.unit = un;
        q.dim = un->dim;
        copy_str(q.unit_norm, sizeof q.unit_norm, un->norm);
        fig_kind kind = un->dim == DIM_AREA ? KIND_AREA : KIND_AMOUNT;
        const indicator *ind = rules_classify(c->ru, c->s + ns, j - ns, NULL);
        if (ind && !kind_fits(ind->kind, &q))
            ind = NULL;
        if (ind)
            kind = ind->kind;
        size_t first = c->r->nfigures;
        if (!emit(c, &q, (wspan){ns, j}, (wspan){ns, ue}, kind, ind, false))
            return false;
        claim_for(c, first);
        i = ue;
    }
    return true;
}


/* take_bare_units_walk from "from" to "to", returning at once when
 * bare_find's last scan already shows no position for it: most stretches
 * between two quantities have none.  (bare_find asks for positions after
 * from, and bare_scan_at is the first at or after bare_scan_from.) */
static inline bool take_bare_units(mctx *c, size_t from, size_t to)
{
    if (c->bare_fast && from + 1 >= c->bare_scan_from && from + 1 <= c->bare_scan_at &&
        (c->bare_scan_at == SIZE_MAX || c->bare_scan_at + 6 > to))
        return true;
    return take_bare_units_walk(c, from, to);
}

/* ----- flattened tables ----- */

#define MAX_CELLS 12

/* The cells of line [ls, le): separated by '|' or blanks (normalization
 * has made a tab one blank); each cell trimmed.  Returns the count (at most MAX_CELLS). */
static size_t table_cells(const char *s, size_t ls, size_t le, wspan *cells)
{
    size_t n = 0, cs = ls, i = ls;
    while (i <= le && n < MAX_CELLS) {
        size_t sep = 0;
        if (i < le) {
            size_t j = i;
            uint32_t cp = utf8_next(s, le, &j);
            if (cp == '|' || is_space(cp))
                sep = j - i;
        }
        if (i == le || sep) {
            size_t a = skip_spaces(s, i, cs), b = skip_spaces_back(s, a, i);
            if (b > a)
                cells[n++] = (wspan){a, b};
            if (i == le)
                break;
            i = skip_spaces(s, le, i + sep);
            cs = i;
            continue;
        }
        utf8_next(s, le, &i);
    }
    return n;
}

static bool cell_has(const char *s, wspan c, const char *w)
{
    size_t wl = strlen(w);
    for (size_t i = c.start; i + wl <= c.end; i++)
        if (memcmp(s + i, w, wl) == 0)
            return true;
    return false;
}

static bool cell_is(const char *s, wspan c, const char *w)
{
    return c.end - c.start == strlen(w) && memcmp(s + c.start, w, c.end - c.start) == 0;
}

typedef struct table_cols {
    int std, act, cmp, unit; /* column indexes, -1 when absent */
    size_t ncells;
} table_cols;

/* A header row names a standard column and an actual column (and maybe a
 * compliance and a unit column), and holds no digit. */
/* True when 标准 occurs in s[ls..le).  Its last byte (86, the third of
 * 准 E5 87 86) is rare in Chinese text, so memchr finds the candidates for
 * where the six bytes end and memcmp tests them. */
static bool has_biaozhun(const char *s, size_t ls, size_t le)
{
    static const char BIAOZHUN[] = "标准";
    for (size_t i = ls + 5; i < le;) {
        const char *p = memchr(s + i, BIAOZHUN[5], le - i);
        if (!p)
            return false;
        size_t k = (size_t)(p - s);
        if (memcmp(s + k - 5, BIAOZHUN, 6) == 0)
            return true;
        i = k + 1;
    }
    return false;
}

static bool table_header(const char *s, size_t ls, size_t le, table_cols *tc)
{
    /* a standard column needs a cell holding 标准: a line without it is no
     * header (the cells are slices of the line).  Tested first: it is
     * rarer than a digit, and both must hold. */
    if (!has_biaozhun(s, ls, le))
        return false;
    for (size_t i = ls; i < le; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return false;
    wspan cells[MAX_CELLS];
    size_t n = table_cells(s, ls, le, cells);
    if (n < 3 || n >= MAX_CELLS || cells[n - 1].end - cells[0].start > 200)
        return false;
    tc->std = tc->act = tc->cmp = tc->unit = -1;
    tc->ncells = n;
    static const char *const CMP[] = {"是否", "评估结果", "结果", "结论", "达标情况", "评价", NULL};
    static const char *const ACT[] = {"实际", "现状", "数据", "数值", "达成值", "完成值", "监测值",
                                      "完成情况", NULL};
    for (size_t k = 1; k < n; k++) {
        bool done = false;
        for (int w = 0; CMP[w] && !done; w++)
            if (cell_has(s, cells[k], CMP[w]) && tc->cmp < 0) {
                tc->cmp = (int)k;
                done = true;
            }
        if (!done && cell_has(s, cells[k], "标准") && tc->std < 0) {
            tc->std = (int)k;
            done = true;
        }
        if (!done && cell_is(s, cells[k], "单位") && tc->unit < 0) {
            tc->unit = (int)k;
            done = true;
        }
        for (int w = 0; ACT[w] && !done; w++)
            if (cell_has(s, cells[k], ACT[w]) && tc->act < 0) {
                tc->act = (int)k;
                done = true;
            }
    }
    return tc->std > 0 && tc->act > 0;
}

/* The claim of a compliance cell: 是/√/达标 met, 否/×/未达标 not met. */
static claim table_claim(mctx *c, wspan cell)
{
    const char *s = c->s;
    static const char *const MET[] = {"是", "√", "✓", "✔", "达标", "已达标", "符合", "合格", NULL};
    static const char *const NOT[] = {"否", "×", "✗", "✘", "未达标", "不达标", "不符合",
                                      "不合格", NULL};
    for (int k = 0; NOT[k]; k++)
        if (cell_is(s, cell, NOT[k]))
            return CLAIM_NOT_MET;
    for (int k = 0; MET[k]; k++)
        if (cell_is(s, cell, MET[k]))
            return CLAIM_MET;
    return claim_in(c, cell.start, cell.end);
}

/* The first quantity inside cell, its unit supplied from the name's
 * "(单位)" suffix or the unit column when the cell has none. */
static bool cell_quantity(const mctx *c, wspan cell, wspan unit_src, quantity *q)
{
    if (!num_next(&c->ru->units, c->s, cell.end, cell.start, q) || q->start >= cell.end)
        return false;
    if (q->dim == DIM_NONE && !q->is_ratio && unit_src.end > unit_src.start) {
        const num_unit *un = num_unit_at(&c->ru->units, c->s, unit_src.end, unit_src.start);
        if (un && unit_src.start + un->len == unit_src.end) {
            q->unit = un;
            q->dim = un->dim;
            q->value *= un->mult;
            copy_str(q->unit_norm, sizeof q->unit_norm, un->norm);
        }
    }
    return true;
}

static fig_kind kind_of_dim(const quantity *q, bool rname, bool ratio_name)
{
    if (q->is_ratio)
        return KIND_RATIO;
    switch (q->dim) {
    case DIM_PERCENT:
    case DIM_PERMILLE:
    case DIM_POINTS:
        return KIND_RATE;
    case DIM_COUNT:
        return KIND_COUNT;
    case DIM_MONEY:
        return KIND_AMOUNT;
    case DIM_AREA:
    case DIM_LENGTH:
        return KIND_AREA;
    case DIM_NONE:
        return rname ? (ratio_name ? KIND_RATIO : KIND_RATE) : KIND_OTHER;
    default:
        return KIND_OTHER;
    }
}

/* One table row under a header: ONE figure, the actual value named by the
 * first cell, with the standard cell as its standard and the compliance cell
 * as its claim.  False when the line is no row of this table. */
static bool table_row(mctx *c, size_t ls, size_t le, const table_cols *tc, bool *ok)
{
    const char *s = c->s;
    const rules *ru = c->ru;
    wspan cells[MAX_CELLS];
    size_t n = table_cells(s, ls, le, cells);
    *ok = true;
    if (n < 3 || (int)n <= tc->act || (int)n <= tc->std)
        return false;
    wspan name = cells[0], unit_src = {0, 0};
    /* 生均图书(册): the unit in the name's parenthesis */
    if (name.end - name.start > 2 && s[name.end - 1] == ')') {
        size_t k = name.end - 1;
        while (k > name.start && s[k - 1] != '(')
            k--;
        if (k > name.start + 1) {
            unit_src = (wspan){k, name.end - 1};
            name.end = skip_spaces_back(s, name.start, k - 1);
        }
    }
    if (tc->unit > 0 && (int)n > tc->unit && unit_src.end == unit_src.start)
        unit_src = cells[tc->unit];
    for (size_t i = name.start; i < name.end; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return false; /* a row names its indicator in words */
    quantity q, sq;
    if (!cell_quantity(c, cells[tc->act], unit_src, &q))
        return true; /* a row with no actual value: nothing to report */
    bool has_std = cell_quantity(c, cells[tc->std], unit_src, &sq);
    if (has_std && sq.dim == DIM_NONE && !sq.is_ratio && q.unit) {
        /* 4.2 under a standard header, 5.06人 in the actual cell */
        sq.unit = q.unit;
        sq.dim = q.dim;
        sq.value *= q.unit->mult;
        copy_str(sq.unit_norm, sizeof sq.unit_norm, q.unit_norm);
    }
    if (q.dim == DIM_NONE && !q.is_ratio && has_std && sq.unit) {
        q.unit = sq.unit;
        q.dim = sq.dim;
        q.value *= sq.unit->mult;
        copy_str(q.unit_norm, sizeof q.unit_norm, sq.unit_norm);
    }
    size_t tend = 0;
    const indicator *ind = rules_classify(ru, s + name.start, name.end - name.start, &tend);
    bool ratio_name = false;
    bool rname = rate_name(s, name.start, name.end, &ratio_name);
    bool per_capita =
        word_find(&ru->per_capita_words, s, name.start, name.end, &tend) < name.end;
    bool pc_dim = q.dim == DIM_COUNT || q.dim == DIM_MONEY || q.dim == DIM_AREA ||
                  q.dim == DIM_LENGTH;
    if (ind && per_capita && pc_dim &&
        (ind->kind == KIND_COUNT || ind->kind == KIND_AMOUNT || ind->kind == KIND_AREA))
        ind = NULL;
    fig_kind kind;
    if (ind && kind_fits(ind->kind, &q))
        kind = ind->kind;
    else {
        ind = NULL;
        kind = kind_of_dim(&q, rname, ratio_name);
        if (per_capita && pc_dim)
            kind = KIND_PER_CAPITA;
    }
    figure *f = emit(c, &q, name, (wspan){cells[0].start, q.end}, kind, ind, false);
    if (!f) {
        *ok = false;
        return true;
    }
    if (has_std) {
        f->std.present = true;
        f->std.has_value = sq.has_value;
        f->std.value = sq.value;
        if (sq.is_ratio && sq.has_value)
            f->std.value = sq.left > sq.right ? sq.left : sq.right;
        copy_str(f->std.unit, sizeof f->std.unit, sq.unit_norm);
        f->std.span = (wspan){cells[tc->std].start, sq.end};
        compute_meets(f);
    }
    if (tc->cmp > 0 && (int)n > tc->cmp)
        f->claimed = table_claim(c, cells[tc->cmp]);
    c->last_q_end = q.end;
    return true;
}

/* The first '\n' at or after from (< hi), or hi.  The lines are asked in
 * text order, most of them twice (by the main loop, then by table_at for
 * the line after): the last answer holds for every from between the
 * position it was searched from and itself. */
static size_t line_end(mctx *c, size_t from)
{
    if (!c->nl_set || from < c->nl_from || from > c->nl_at) {
        const char *nl = memchr(c->s + from, '\n', c->hi - from);
        c->nl_set = true;
        c->nl_from = from;
        c->nl_at = nl ? (size_t)(nl - c->s) : c->hi;
    }
    return c->nl_at;
}

/* Where the first 标准 starting at or after from lies in s[.., hi), or hi:
 * has_biaozhun(s, ls, le) holds exactly when biaozhun_from(ls) + 6 <= le.
 * The search (memchr for its last byte, as has_biaozhun) is remembered
 * like line_end's, so the lines of a report cost one search over it
 * instead of one per line. */
static size_t biaozhun_from(mctx *c, size_t from)
{
    static const char BIAOZHUN[] = "标准";
    if (c->bz_set && from >= c->bz_from && from <= c->bz_at)
        return c->bz_at;
    size_t at = c->hi;
    for (size_t i = from + 5; i < c->hi;) {
        const char *p = memchr(c->s + i, BIAOZHUN[5], c->hi - i);
        if (!p)
            break;
        size_t k = (size_t)(p - c->s);
        if (memcmp(c->s + k - 5, BIAOZHUN, 6) == 0) {
            at = k - 5;
            break;
        }
        i = k + 1;
    }
    c->bz_set = true;
    c->bz_from = from;
    c->bz_at = at;
    return at;
}

/* The lines from pos: when one is a table header, its rows are read as
 * table rows (one figure each) up to the first line that is no row; *skip_to
 * receives the end of the table (the main loop skips the numbers inside). */
static bool table_at(mctx *c, size_t ls, size_t *skip_to, bool *ok)
{
    const char *s = c->s;
    size_t le = ls < c->hi ? line_end(c, ls) : ls;
    table_cols tc;
    *ok = true;
    /* no 标准 in the line: table_header() would say no at once */
    if (biaozhun_from(c, ls) + 6 > le || !table_header(s, ls, le, &tc))
        return false;
    size_t end = le;
    while (end < c->hi) {
        size_t rs = end + 1, re = rs;
        while (re < c->hi && s[re] != '\n')
            re++;
        if (rs >= c->hi || !table_row(c, rs, re, &tc, ok))
            break;
        if (!*ok)
            return true;
        end = re;
    }
    *skip_to = end;
    return true;
}

bool match_report(const rules *ru, rx_scratch *scratch, const doc *d, report *r)
{
    mctx c;
    memset(&c, 0, offsetof(mctx, list)); /* not the arrays (see mctx) */
    c.ru = ru;
    c.sc = scratch;
    c.d = d;
    c.r = r;
    c.s = d->work;
    c.lo = r->extent.start;
    c.hi = r->extent.end;
    /* the pipeline knows (d->work_valid); other callers' text is checked */
    c.utf8_ok = d->work_valid || utf8_valid(c.s + c.lo, c.hi - c.lo);
    c.rx_to = SIZE_MAX;
    c.walk_ok = c.utf8_ok && ru->walk3;
    c.rn_pos = SIZE_MAX;
    c.bare_lead = ru->units.bare_lead;
    c.bare_cp = ru->units.bare_cp;
    c.nbare_cp = ru->units.nbare_cp;
    c.bare_third = ru->units.bare_third;
    c.nbare_third = ru->units.nbare_third;
    c.bare_fast = c.utf8_ok && c.nbare_third <= 8;
    /* claim words indexed by their last byte, none ending with a byte that
     * is no continuation byte (ASCII or a lead byte) */
    const phrase_list *cnm = &ru->claim_not_met, *cme = &ru->claim_met;
    c.claim_ends_ok = c.utf8_ok && cnm->order_last && cme->order_last &&
                      cnm->last[0x80] == cnm->last[0] && cnm->last[256] == cnm->last[0xC0] &&
                      cme->last[0x80] == cme->last[0] && cme->last[256] == cme->last[0xC0];
#ifdef __SSE2__
    for (size_t k = 0; k < 8; k++)
        c.bare_vec[k] = _mm_set1_epi8((char)c.bare_third[k]);
#endif
    /* claim_last_byte is set only with claim_last3, which claim_ends_at()
     * asks first */
    c.cl_last_ok = ru->claim_last3 && ru->nclaim_last_byte > 0;
    size_t pos = c.lo, bare_from = c.lo, line_seen = c.lo;
    quantity q;
    while (pos < c.hi && num_next(&ru->units, c.s, c.hi, pos, &q)) {
        if (q.start < pos) {
            pos++;
            continue;
        }
        /* table headers on the lines before q: their rows are read whole */
        bool in_table = false;
        for (size_t ls = line_seen; ls < q.start;) {
            size_t le = line_end(&c, ls); /* the line of q or one before */
            if (le >= q.start)
                break;
            size_t skip_to = 0;
            bool ok = true;
            if (table_at(&c, le + 1, &skip_to, &ok)) {
                if (!ok)
                    return r->nfigures >= DOC_MAX_FIGURES;
                if (!take_bare_units(&c, bare_from, le + 1))
                    return r->nfigures >= DOC_MAX_FIGURES;
                bare_from = skip_to;
                line_seen = skip_to;
                pos = skip_to;
                in_table = true;
                break;
            }
            ls = le + 1;
            line_seen = ls;
        }
        if (in_table)
            continue;
        if (!take_bare_units(&c, bare_from, q.start))
            return r->nfigures >= DOC_MAX_FIGURES;
        bare_from = q.end;
        if (!take_quantity(&c, &q))
            return r->nfigures >= DOC_MAX_FIGURES;
        pos = q.end > pos ? q.end : pos + 1;
    }
    return take_bare_units(&c, bare_from, c.hi) || r->nfigures >= DOC_MAX_FIGURES;
}
