/* normalize.c -- fold the decoded original into the working text. */
#include "normalize.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if EDX_AVX2_DISPATCH
#include <immintrin.h>
#endif

/* A checkpoint at least this often bounds the walk in text_map_lookup(). */
#define CHECKPOINT_EVERY 1024
/* Longest pinyin syllable inside an annotation, in characters ("zhuang"). */
#define PINYIN_MAX 7
/* Single-character Han tokens in a row that make a line "spaced out". */
#define SPACED_MIN_RUN 3

/* ----- the charmap ----- */

static long fold(const norm_charmap *cm, uint32_t cp);

/* The ranges above U+07FF that hold every character fold() changes on its
 * own (without a charmap): its spaces, zero-widths and line separators,
 * the ratio colon, the ideographic space, the vertical colons and BOM, the
 * full-width forms.  Kept in step with fold(): builds with assertions check
 * every other character in build_keep3(). */
static const uint32_t FOLD_OWN[][2] = {
    {0x2000, 0x206F}, {0x2236, 0x2236}, {0x3000, 0x3000}, {0xFE13, 0xFE13},
    {0xFE30, 0xFE30}, {0xFEFF, 0xFEFF}, {0xFF01, 0xFF5E}};

/* Where lead2 keeps the entry of a character's first two bytes b0 b1: the
 * uint16_t that memcpy reads from them. */
static unsigned pair_index(unsigned b0, unsigned b1)
{
    uint16_t w;
    memcpy(&w, (const unsigned char[2]){(unsigned char)b0, (unsigned char)b1}, 2);
    return w;
}
static bool build_keep3(norm_charmap *m);

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The charmap's from/to and bmp from the n = m->n pairs (from << 32 | to,
 * in the file's order): sorted by `from`, one pair for each, the one with
 * the least `to` (the pairs sorted as numbers, each `from`'s first kept).
 * Without a sort where it can: a `from` below U+10000 (all of them in
 * charmap.conf) goes into a table by code point, whose bitmap (kept as
 * bmp: most characters are not folded, and it says so in one lookup) is
 * then read in order; the others are sorted (qsort), and so is everything
 * when there is no memory for the table (bmp stays NULL: normalize then
 * searches `from`).  False when memory ran out. */
static bool take_pairs(norm_charmap *m, uint64_t *pairs)
{
    size_t n = m->n;
    m->n = 0;
    m->from = malloc(n * sizeof *m->from);
    m->to = malloc(n * sizeof *m->to);
    if (!m->from || !m->to)
        return false;
    m->bmp = calloc(0x10000 / 8, 1);
    uint32_t *least = m->bmp ? malloc(0x10000 * sizeof *least) : NULL;
    size_t rest = n;  /* pairs[0..rest) are left to the sort */
    if (least) {
        rest = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t a = (uint32_t)(pairs[i] >> 32), b = (uint32_t)pairs[i];
            if (a >= 0x10000) {
                pairs[rest++] = pairs[i];
            } else if (!(m->bmp[a >> 3] & (1u << (a & 7)))) {
                m->bmp[a >> 3] |= (uint8_t)(1u << (a & 7));
                least[a] = b;
            } else if (b < least[a]) {
                least[a] = b;
            }
        }
        for (size_t at = 0; at < 0x10000 / 8; at += 8) {
            uint64_t word;
            memcpy(&word, m->bmp + at, 8);
            if (!word)
                continue;  /* 64 code points without a pair: most of them */
            for (size_t j = at; j < at + 8; j++)
                for (unsigned by = m->bmp[j]; by; by &= by - 1) {
                    uint32_t a = (uint32_t)(j << 3) | (uint32_t)__builtin_ctz(by);
                    m->from[m->n] = a;
                    m->to[m->n++] = least[a];
                }
        }
        free(least);
    } else {
        free(m->bmp);
        m->bmp = NULL;
    }
    /* What the table left (only `from`s above every one it placed). */
    if (rest > 1)
        qsort(pairs, rest, sizeof *pairs, cmp_u64);
    for (size_t i = 0; i < rest; i++) {
        uint32_t a = (uint32_t)(pairs[i] >> 32), b = (uint32_t)pairs[i];
        if (m->n && m->from[m->n - 1] == a)
            continue;  /* the least `to` came first */
        m->from[m->n] = a;
        m->to[m->n++] = b;
    }
    return true;
}

size_t normalize_charmap_load(const conf_file *f, norm_charmap *out, diag *d)
{
    static const char *const KEYS[] = {"pairs", "note", NULL};
    size_t errors = conf_check_unique(f, d);
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    uint64_t *pairs = NULL;  /* from << 32 | to, sorted later */
    for (size_t i = 0; i < f->n; i++) {
        const conf_section *s = &f->sections[i];
        if (!s->name[0] && s->n == 0)
            continue;
        if (strcmp(s->name, "t2s") != 0) {
            diag_error(d, f->path, s->line, s->col, "unknown section [%s] (expected [t2s])",
                       s->name);
            errors++;
            continue;
        }
        errors += conf_check_keys(f, s, KEYS, d);
        for (size_t e = 0; e < s->n; e++) {
            const conf_entry *en = &s->entries[e];
            if (strcmp(en->key, "pairs") != 0)
                continue;
            const char *v = en->value;
            size_t len = strlen(v), pos = 0, col = en->value_col;
            while (pos < len) {
                if (v[pos] == ' ') {
                    pos++;
                    col++;
                    continue;
                }
                size_t item = pos, item_col = col;
                uint32_t a = utf8_next(v, len, &pos);
                uint32_t b = pos < len ? utf8_next(v, len, &pos) : ' ';
                col += 2;
                if (a == ' ' || b == ' ' || (pos < len && v[pos] != ' ') ||
                    a == UTF8_REPLACEMENT || b == UTF8_REPLACEMENT) {
                    diag_error(d, f->path, en->line, item_col,
                               "a pair is two characters FROM TO, not '%.*s'",
                               (int)(strcspn(v + item, " ")), v + item);
                    errors++;
                    while (pos < len && v[pos] != ' ') {
                        utf8_next(v, len, &pos);
                        col++;
                    }
                    continue;
                }
                if (out->n == cap) {
                    cap = cap ? cap * 2 : 4096;
                    uint64_t *q = realloc(pairs, cap * sizeof *q);
                    if (!q) {
                        free(pairs);
                        diag_error(d, f->path, 0, 0, "out of memory");
                        out->n = 0;
                        return errors + 1;
                    }
                    pairs = q;
                }
                pairs[out->n++] = (uint64_t)a << 32 | b;
            }
        }
    }
    if (out->n && !take_pairs(out, pairs)) {
        free(pairs);
        normalize_charmap_free(out);
        diag_error(d, f->path, 0, 0, "out of memory");
        return errors + 1;
    }
    if (out->n) {
        /* The folded characters' targets by code point: one lookup instead
         * of a binary search for each traditional character of a text. */
        out->to_bmp = calloc(0x10000, sizeof *out->to_bmp);
        for (size_t i = 0; out->to_bmp && i < out->n; i++)
            if (out->from[i] < 0x10000 && out->to[i] < 0x10000)
                out->to_bmp[out->from[i]] = (uint16_t)out->to[i];
    }
    free(pairs);
    /* Without memory for it the fold walk asks fold() instead. */
    (void)build_keep3(out);
    return errors;
}

/* The table of three-byte characters that fold to themselves, with this
 * charmap: fold() without the charmap for every one of them (the special
 * cases: full-width forms, spaces, zero-widths ...), then the charmap's own
 * pairs, which fold() applies to the rest.  A surrogate or an overlong form
 * stays out: the walk decodes those one at a time, as before. */
static bool build_keep3(norm_charmap *m)
{
    m->keep3 = malloc(0x10000 / 64 * sizeof *m->keep3);
    m->lead2 = calloc(0x10000, sizeof *m->lead2);
    m->fold3 = calloc(0x10000, sizeof *m->fold3);
    if (!m->keep3 || !m->lead2 || !m->fold3) {
        free(m->keep3);
        free(m->lead2);
        free(m->fold3);
        m->keep3 = NULL;
        m->lead2 = NULL;
        m->fold3 = NULL;
        return false;
    }
    /* lead2: only its few kinds of first bytes have entries (the rest stay
     * 0): ASCII that stays, with any second byte, and a three-byte lead
     * with a continuation byte that is not the start of an overlong form
     * (E0 80..E0 9F: cp >> 6 would be below 0x20, where 0 and 1 are). */
    for (unsigned b1 = 0; b1 < 0x100; b1++) {
        m->lead2[pair_index('\n', b1)] = 1;
        for (unsigned b0 = 0x20; b0 < 0x7F; b0++)
            m->lead2[pair_index(b0, b1)] = 1;
    }
    for (unsigned b0 = 0xE0; b0 <= 0xEF; b0++)
        for (unsigned b1 = b0 == 0xE0 ? 0xA0 : 0x80; b1 < 0xC0; b1++)
            m->lead2[pair_index(b0, b1)] = (uint16_t)((b0 & 0x0Fu) << 6 | (b1 & 0x3Fu));
    /* keep3 without the charmap: every character of U+0800..U+FFFF but the
     * surrogates, less those of fold()'s own cases (FOLD_OWN), asked one by
     * one. */
    memset(m->keep3, 0, 0x800 / 64 * sizeof *m->keep3);
    memset(m->keep3 + 0x800 / 64, 0xFF, (0x10000 - 0x800) / 64 * sizeof *m->keep3);
    memset(m->keep3 + 0xD800 / 64, 0, 0x800 / 64 * sizeof *m->keep3);
    for (size_t r = 0; r < sizeof FOLD_OWN / sizeof *FOLD_OWN; r++)
        for (uint32_t cp = FOLD_OWN[r][0]; cp <= FOLD_OWN[r][1]; cp++)
            if (fold(NULL, cp) != (long)cp)
                m->keep3[cp >> 6] &= ~((uint64_t)1 << (cp & 63));
#ifndef NDEBUG
    /* FOLD_OWN holds every character above U+07FF that fold() changes. */
    for (uint32_t cp = 0x800; cp < 0x10000; cp++)
        assert(((m->keep3[cp >> 6] >> (cp & 63)) & 1) ==
               ((cp < 0xD800 || cp > 0xDFFF) && fold(NULL, cp) == (long)cp));
#endif
    /* fold() consults the charmap only from U+3400 on, after its own cases,
     * and with the first pair of each `from` (the only one kept). */
    for (size_t i = 0; i < m->n; i++) {
        uint32_t f = m->from[i];
        if (f >= 0x3400 && f < 0x10000 && m->to[i] != f)
            m->keep3[f >> 6] &= ~((uint64_t)1 << (f & 63));
    }
    /* The one-for-one folds of the rest (full-width forms, ratio colons,
     * Unicode spaces, traditional characters): fold() itself, with this
     * charmap, asked once for each character keep3 leaves out. */
    for (uint32_t b = 0x800 >> 6; b < 0x10000 >> 6; b++) {
        for (uint64_t out = ~m->keep3[b]; out; out &= out - 1) {
            uint32_t cp = b << 6 | (uint32_t)__builtin_ctzll(out);
            if (cp >= 0xD800 && cp <= 0xDFFF)
                continue;
            long f = fold(m, cp);
            if (f > 0 && f < 0x10000 && f != (long)cp && (f < 0xD800 || f > 0xDFFF))
                m->fold3[cp] = (uint16_t)f;
        }
    }
    return true;
}

void normalize_charmap_free(norm_charmap *m)
{
    free(m->from);
    free(m->to);
    free(m->bmp);
    free(m->keep3);
    free(m->lead2);
    free(m->fold3);
    free(m->to_bmp);
    memset(m, 0, sizeof *m);
}

uint32_t normalize_charmap_fold(const norm_charmap *m, uint32_t cp)
{
    if (!m || m->n == 0 || cp < m->from[0])
        return cp;
    /* to_bmp holds every pair below U+10000 but those with a supplementary
     * or NUL `to`, and bmp every `from` below U+10000: a 0 in to_bmp with
     * the bmp bit clear is a character without a pair. */
    if (m->to_bmp && cp < 0x10000) {
        if (m->to_bmp[cp])
            return m->to_bmp[cp];
        if (m->bmp && !(m->bmp[cp >> 3] & (1u << (cp & 7))))
            return cp;
    }
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->from[mid] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n && m->from[lo] == cp ? m->to[lo] : cp;
}

bool norm_is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F);
}

/* ----- character folds ----- */

/* What one original character becomes: a code point, or nothing (-1). */
static long fold(const norm_charmap *cm, uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)   /* full-width ASCII */
        return (long)(cp - 0xFF01 + 0x21);
    switch (cp) {
    case 0x2236: /* ∶ RATIO */
    case 0xFE30: /* ︰ */
    case 0xFE13: /* ︓ */
        return ':';
    case 0x3000: case 0x00A0: case 0x2002: case 0x2003: case 0x2004: case 0x2005:
    case 0x2006: case 0x2007: case 0x2008: case 0x2009: case 0x200A: case 0x202F:
    case 0x205F: case '\t': case 0x0B: case 0x0C:
        return ' ';
    case 0x2028: case 0x2029: case 0x0085: case '\r':
        return '\n';
    case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: case 0x00AD:
    case 0x200E: case 0x200F:
        return -1;
    default:
        break;
    }
    if (cp < 0x20 && cp != '\n')
        return -1;   /* NUL and other controls */
    if (cp >= 0x7F && cp < 0xA0)
        return -1;   /* DEL and C1 controls */
    if (cm && cp >= 0x3400)
        return (long)normalize_charmap_fold(cm, cp);
    return (long)cp;
}

/* ----- marks ----- */

/* Room for twice as many marks in ml (copied out of the caller's buffer the
 * first time).  False, with ml->failed set, when memory ran out. */
static bool mark_grow(norm_mark_list *ml)
{
    if (ml->failed)
        return false;
    size_t ncap = ml->cap ? ml->cap * 2 : 64;
    size_t *q;
    if (ml->v == ml->inline_v) {
        q = malloc(ncap * sizeof *q);
        if (q && ml->n)
            memcpy(q, ml->v, ml->n * sizeof *q);
    } else {
        q = realloc(ml->v, ncap * sizeof *q);
    }
    if (!q) {
        ml->failed = true;
        return false;
    }
    ml->v = q;
    ml->cap = ncap;
    return true;
}

/* True when the well-formed three-byte character cp is its own fold: the
 * common case (Han text, most punctuation), decided without fold().  Every
 * character it accepts is one fold() returns unchanged. */
static bool fold_keeps3(const norm_charmap *cm, uint32_t cp)
{
    if (cp >= 0x4E00 && cp <= 0x9FFF) {
        if (!cm || cm->n == 0)
            return true;
        if (cm->bmp)
            return !(cm->bmp[cp >> 3] & (1u << (cp & 7)));
        return normalize_charmap_fold(cm, cp) == cp;
    }
    if (cp < 0x2000)
        return true;   /* no fold and below the charmap's range */
    return fold(cm, cp) == (long)cp;
}

/* The length of the character at u[i] (i < len) when it folds to itself and
 * can be copied as it is, else 0 (the character goes through fold()).  ASCII
 * text, '\n' (a CR before it is never in a run: see fold_text), two-byte
 * letters and, through keep3, every three-byte character fold() returns
 * unchanged. */
static inline size_t kept_len(const norm_charmap *cm, const unsigned char *u, size_t i,
                              size_t len)
{
    unsigned char c = u[i];
    if (c < 0x80)
        return (c >= 0x20 && c < 0x7F) || c == '\n';
    if (c >= 0xE0 && c <= 0xEF) {
        if (len - i < 3)
            return 0;
        unsigned c1 = u[i + 1] ^ 0x80u, c2 = u[i + 2] ^ 0x80u;
        if ((c1 | c2) >= 0x40)
            return 0;   /* not two continuation bytes */
        uint32_t cp = (uint32_t)(c & 0x0F) << 12 | c1 << 6 | c2;
        if (cm && cm->keep3)
            return (cm->keep3[cp >> 6] >> (cp & 63) & 1u) ? 3 : 0;
        return cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) && fold_keeps3(cm, cp) ? 3 : 0;
    }
    if (c >= 0xC2 && c <= 0xDF && len - i >= 2 && (u[i + 1] & 0xC0) == 0x80) {
        /* U+0080..U+07FF: fold() changes only C1 controls, NBSP (U+00A0),
         * NEL (U+0085) and the soft hyphen (U+00AD). */
        uint32_t cp = (uint32_t)(c & 0x1F) << 6 | (uint32_t)(u[i + 1] & 0x3F);
        return cp > 0xA0 && cp != 0xAD ? 2 : 0;
    }
    return 0;
}

/* Whether the character at u[j] is a three-byte character that folds to
 * itself (its first three bytes can be read).  One test decides it: lead2
 * gives its keep3 word (cp >> 6) and the third byte its bit.  Any other
 * character gets a word there too, 0 or 1 (ASCII that stays), both empty
 * (they stand for code points below U+0080), so the test fails.
 * `valid` (a constant at each call: see kept_run_for()) says the text is
 * well-formed (doc.orig_valid): the byte after a lead byte E0..EF and its
 * continuation byte is then a continuation byte too, and its low six bits
 * are the same cp & 63 the checked walk finds, so its test is left out. */
static inline __attribute__((always_inline)) bool
kept3_at(const uint16_t *lead2, const uint64_t *keep3, const unsigned char *u, size_t j,
         bool valid)
{
    uint16_t two;
    memcpy(&two, u + j, 2);
    unsigned c2 = u[j + 2] ^ 0x80u;   /* cp & 63 when a continuation */
    if (valid)
        c2 &= 0x3Fu;   /* it is one (or the word is empty): no test */
    else if (c2 >= 0x40)
        return false;
    return keep3[lead2[two]] >> c2 & 1u;
}

/* Three-byte characters kept3_run() tests a round, with one bound test
 * (8: 0.6 M instructions fewer than 2 on the 1 000 bench files; 16 gains
 * a third of that again for twice the code). */
#define KEPT3_ROUND 8

/* Where the runs below note the marks they pass (see norm_marks): the marks
 * that fold to themselves (which the run's own tables, a norm_marks', leave
 * out), the list, and what to add to an offset of the original to make the
 * working offset of the character there (the run's characters are copied
 * as they are). */
typedef struct run_marks {
    const uint64_t *kept_mark3;   /* norm_marks.kept_mark3 */
    const bool *kept_ascii;       /* norm_marks.kept_ascii */
    const uint64_t *keep_any;     /* norm_marks.keep_any */
    norm_mark_list *ml;
    size_t delta;
} run_marks;

/* kept3_at() with rm's table of the marks that fold to themselves.  For a
 * well-formed text its bit comes from the third byte's low six bits
 * directly (the same cp & 63): an expression of its own, so that the
 * compiler does not compute kept3_at()'s one for both (which costs the
 * test every character goes through an instruction more). */
static inline __attribute__((always_inline)) bool
mark3_at(const uint16_t *lead2, const run_marks *rm, const unsigned char *u, size_t j, bool valid)
{
    if (!valid)
        return kept3_at(lead2, rm->kept_mark3, u, j, false);
    uint16_t two;
    memcpy(&two, u + j, 2);
    return rm->kept_mark3[lead2[two]] >> (u[j + 2] & 0x3Fu) & 1u;
}

/* Note the mark at u[j] (see run_marks). */
static inline __attribute__((always_inline)) void add_mark(const run_marks *rm, size_t j)
{
    norm_mark_list *ml = rm->ml;
    if (ml->n < ml->cap || mark_grow(ml))
        ml->v[ml->n++] = j + rm->delta;
}

/* The end of the run from j of three-byte characters that fold to
 * themselves and start before stop: KEPT3_ROUND a round while all of them
 * start before stop (one bound test for them), then one at a time.  With
 * rm (see kept_run()), a character keep3 leaves out that is a mark folding
 * to itself (kept3_at() with lead2 and rm's table: lead2 is the charmap's
 * for every three-byte character) is noted and passed over. */
static inline __attribute__((always_inline)) size_t
kept3_run(const uint16_t *lead2, const uint64_t *keep3, const unsigned char *u, size_t j,
          size_t stop, bool valid, const run_marks *rm)
{
    const size_t last = 3 * (KEPT3_ROUND - 1);   /* the round's last start, from j */
    size_t stop_round = stop > last ? stop - last : 0;   /* j < stop_round: j + last < stop */
    while (j < stop_round) {
#pragma GCC unroll 8
        for (size_t k = 0; k <= last; k += 3) {
            if (!kept3_at(lead2, keep3, u, j + k, valid)) {
                if (!rm || !mark3_at(lead2, rm, u, j + k, valid))
                    return j + k;
                add_mark(rm, j + k);
            }
        }
        j += last + 3;
    }
    while (j < stop) {
        if (!kept3_at(lead2, keep3, u, j, valid)) {
            if (!rm || !mark3_at(lead2, rm, u, j, valid))
                break;
            add_mark(rm, j);
        }
        j += 3;
    }
    return j;
}

/* The end of the run from j of ASCII text and three-byte characters that
 * fold to themselves (kept_len() through keep3 for those), stopping at any
 * other character or at stop (stop <= len - 2, so a character's first
 * three bytes can be read).  Its own function keeps j in a register: the
 * caller's offset has its address taken.  With rm (a constant NULL or not
 * at each call: see kept_run_for()), lead2 and keep3 are a norm_marks'
 * (the charmap's less the marks): the marks that fold to themselves, which
 * the walk without marks passes over, are noted and passed over too. */
static inline __attribute__((always_inline)) size_t
kept_run(const uint16_t *lead2, const uint64_t *keep3, const unsigned char *u, size_t j,
         size_t stop, bool valid, const run_marks *rm)
{
    while (j < stop) {
        j = kept3_run(lead2, keep3, u, j, stop, valid, rm);
        size_t ascii = j;
        for (; j < stop; j++) {   /* ASCII that stays */
            uint16_t two;
            memcpy(&two, u + j, 2);
            if (lead2[two] != 1) {
                if (!rm || !rm->kept_ascii[u[j]])
                    break;
                add_mark(rm, j);
            }
        }
        if (j == ascii)
            break;   /* neither: a character to fold, or stop */
    }
    return j;
}

#ifdef __SSE2__
/* Bit k set for each byte u[k] (k < 64) that starts a character: any byte
 * but a continuation byte 80..BF, which as a signed byte is -128..-65. */
static inline uint64_t char_starts64(const unsigned char *u)
{
    const __m128i cont_top = _mm_set1_epi8((char)0xBF);
    uint64_t m = 0;
    for (int k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(u + 16 * k));
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(x, cont_top)) << (16 * k);
    }
    return m;
}

#if EDX_AVX2_DISPATCH
/* char_starts64() in two 32-byte tests: the same signed comparison of each
 * byte with BF. */
__attribute__((target("avx2"))) static inline uint64_t char_starts64_avx2(const unsigned char *u)
{
    const __m256i cont_top = _mm256_set1_epi8((char)0xBF);
    __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)u);
    __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(u + 32));
    uint64_t mlo = (uint32_t)_mm256_movemask_epi8(_mm256_cmpgt_epi8(lo, cont_top));
    uint64_t mhi = (uint32_t)_mm256_movemask_epi8(_mm256_cmpgt_epi8(hi, cont_top));
    return mhi << 32 | mlo;
}
#endif

/* char_starts64() of the walk's build: avx2 is a constant at each call (see
 * fold_text_marked_avx2()), true only in code compiled for AVX2. */
static inline __attribute__((always_inline)) uint64_t char_starts(const unsigned char *u,
                                                                  bool avx2)
{
#if EDX_AVX2_DISPATCH
    if (avx2)
        return char_starts64_avx2(u);
#else
    (void)avx2;
#endif
    return char_starts64(u);
}

/* The offset of the lowest set bit of m (m != 0), as __builtin_ctzll()
 * gives it.  GCC makes of the builtin's int a sign extension and, before
 * its tzcnt, a zeroing of the target against a false dependency, two of
 * the dozen instructions each character of kept_run_blocks() costs: on
 * x86-64 the instruction itself writes the whole 64-bit offset.  (tzcnt
 * runs as bsf on a processor without it, with the same answer for m !=
 * 0; the target's old value comes from the m &= m - 1 the offset waits
 * for anyway.) */
static inline __attribute__((always_inline)) size_t low_bit(uint64_t m)
{
#if defined(__x86_64__) && defined(__GNUC__)
    uint64_t k;
    __asm__("tzcnt %1, %0" : "=r"(k) : "r"(m) : "cc");
    return (size_t)k;
#else
    return (size_t)__builtin_ctzll(m);
#endif
}

/* kept_run() with marks over a well-formed text, 64 bytes a round: the
 * character starts of the round come from one vector test, and each is
 * tested through keep_any (keep3 that passes ASCII that stays too, see
 * norm_marks), so a change between Han text and ASCII costs no leaving of
 * one loop for the other.  The rounds' only branch that depends on the text
 * is the test of a character (taken where the run ends or at a mark) and
 * the end of the round's characters, once per 64 bytes, where kept_run()
 * missed a branch at most changes of script.
 * Same answer: the same characters are tested in the same order with the
 * same verdict (keep_any[lead2] is keep3[lead2] for a three-byte character,
 * all ones for ASCII that stays and empty for any other character, which
 * then goes to the marks' tests as in kept_run()), and the walk goes on
 * from the character after the last one a round passed (all of them kept,
 * so of one or three bytes) until one starts at or after stop, as
 * kept_run() steps.  The last 64 bytes are left to kept_run(). */
static inline __attribute__((always_inline)) size_t
kept_run_blocks(const uint16_t *lead2, const uint64_t *keep3, const unsigned char *u, size_t j,
                size_t stop, size_t len, const run_marks *rm, bool avx2)
{
    const uint64_t *keep_any = rm->keep_any;
    while (j < stop && len - j >= 64) {
        uint64_t m = char_starts(u + j, avx2);
        if (stop - j < 64)
            m &= ((uint64_t)1 << (stop - j)) - 1;   /* j < stop: bit 0 stays */
        size_t last = j + 63 - (unsigned)__builtin_clzll(m);
        const unsigned char *b = u + j, *b2 = b + 2;
        for (; m; m &= m - 1) {
            size_t k = low_bit(m);
            uint16_t two;
            memcpy(&two, b + k, 2);
            if (__builtin_expect(!(keep_any[lead2[two]] >> (b2[k] & 0x3Fu) & 1u), 0)) {
                size_t p = j + k;
                if (!(u[p] < 0x80 ? rm->kept_ascii[u[p]] : mark3_at(lead2, rm, u, p, true)))
                    return p;
                add_mark(rm, p);
            }
        }
        j = last + (u[last] < 0x80 ? 1 : 3);
    }
    return kept_run(lead2, keep3, u, j, stop, true, rm);
}
#endif

/* kept_run() made for the text at hand: the walk without the continuation
 * test when the doc's original is known to be well-formed, and without the
 * marks' test when there are none (rm NULL); with marks over a well-formed
 * text, 64 bytes a round where SSE2 is there (kept_run_blocks(), its
 * character starts found with AVX2 in the walk built for it: avx2). */
static inline __attribute__((always_inline)) size_t
kept_run_for(bool valid, const uint16_t *lead2, const uint64_t *keep3, const unsigned char *u,
             size_t j, size_t stop, size_t len, const run_marks *rm, bool avx2)
{
#ifdef __SSE2__
    if (rm)
        return valid ? kept_run_blocks(lead2, keep3, u, j, stop, len, rm, avx2)
                     : kept_run(lead2, keep3, u, j, stop, false, rm);
#else
    (void)len;
    (void)avx2;
    if (rm)
        return valid ? kept_run(lead2, keep3, u, j, stop, true, rm)
                     : kept_run(lead2, keep3, u, j, stop, false, rm);
#endif
    return valid ? kept_run(lead2, keep3, u, j, stop, true, NULL)
                 : kept_run(lead2, keep3, u, j, stop, false, NULL);
}

/* For the character at u[i] (i < len): what fold() makes of it when it is a
 * well-formed three-byte character that fold3 maps to another one (the
 * full-width punctuation of Chinese text, traditional characters), else 0:
 * the answer of utf8_next() and fold(), from two table lookups.  lead2 has
 * cp >> 6 (0x20 or more) for the first two bytes; an overlong form (cp <
 * 0x800) or a surrogate has no fold3 entry, as utf8_next() decodes
 * neither. */
static inline uint32_t fold3_at(const norm_charmap *cm, const unsigned char *u, size_t i,
                                size_t len)
{
    if (len - i < 3)
        return 0;
    uint16_t two;
    memcpy(&two, u + i, 2);
    unsigned v = cm->lead2[two];
    unsigned c2 = u[i + 2] ^ 0x80u;
    if (v < 0x20 || c2 >= 0x40)
        return 0;
    return cm->fold3[v << 6 | c2];
}

/* utf8_encode() of cp from U+0080 to U+FFFF, not a surrogate: the same
 * two or three bytes. */
static inline size_t encode_bmp(uint32_t cp, char out[4])
{
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* buf_append() for the fold walk's many short appends, inline while the
 * buffer has room (it is reserved for the whole input, which folding
 * seldom outgrows); the same bytes, length and terminating NUL. */
static inline void put(buf *w, const char *s, size_t n)
{
    if (!w->failed && w->data && w->len + n + 1 <= w->cap) {
        memcpy(w->data + w->len, s, n);
        w->len += n;
        w->data[w->len] = '\0';
    } else {
        buf_append(w, s, n);
    }
}

/* put() of one character enc[0..n) (n <= 4) that the fold walk made: one
 * four-byte store where the buffer has room for it instead of a call to
 * memcpy() for a variable length.  The bytes past the n of the character
 * lie beyond the text and its NUL, which is written over the first of
 * them, so the text is the same as put() makes. */
static inline void put_char(buf *w, const char enc[4], size_t n)
{
    if (!w->failed && w->data && w->len + 4 + 1 <= w->cap) {
        memcpy(w->data + w->len, enc, 4);
        w->len += n;
        w->data[w->len] = '\0';
    } else {
        put(w, enc, n);
    }
}

/* Note the working offset `at` of the character c[0..n) (as the working
 * text holds it: ASCII, or a well-formed sequence of n bytes) when it is a
 * mark of mk. */
static inline void note_mark(const norm_marks *mk, const unsigned char *c, size_t n, size_t at,
                             norm_mark_list *ml)
{
    bool mark;
    if (n == 1) {
        mark = mk->ascii[c[0] & 0x7Fu];
    } else if (n == 3) {
        uint32_t cp = (uint32_t)(c[0] & 0x0Fu) << 12 | (uint32_t)(c[1] & 0x3Fu) << 6 |
                      (uint32_t)(c[2] & 0x3Fu);
        mark = mk->mark3[cp >> 6] >> (cp & 63) & 1u;
    } else {
        mark = mk->other;
    }
    if (mark && (ml->n < ml->cap || mark_grow(ml)))
        ml->v[ml->n++] = at;
}

bool norm_marks_init(norm_marks *mk, const norm_charmap *cm, const bool ascii[128],
                     const uint8_t *mark3_bits, bool other)
{
    memset(mk, 0, sizeof *mk);
    if (!cm || !cm->keep3 || !cm->lead2)
        return false;
    mk->lead2 = malloc(0x10000 * sizeof *mk->lead2);
    mk->keep3 = malloc(0x10000 / 64 * sizeof *mk->keep3);
    mk->mark3 = calloc(0x10000 / 64, sizeof *mk->mark3);
    mk->kept_mark3 = malloc(0x10000 / 64 * sizeof *mk->kept_mark3);
    mk->keep_any = malloc(0x10000 / 64 * sizeof *mk->keep_any);
    if (!mk->lead2 || !mk->keep3 || !mk->mark3 || !mk->kept_mark3 || !mk->keep_any) {
        norm_marks_free(mk);
        return false;
    }
    memcpy(mk->lead2, cm->lead2, 0x10000 * sizeof *mk->lead2);
    memcpy(mk->ascii, ascii, sizeof mk->ascii);
    /* An ASCII mark ends the run of ASCII (lead2 1: "ASCII that stays"). */
    for (unsigned c = 0; c < 0x80; c++)
        for (unsigned b1 = 0; ascii[c] && b1 < 0x100; b1++)
            mk->lead2[pair_index(c, b1)] = 0;
    for (uint32_t at = 0x800 / 8; at < 0x10000 / 8; at++)
        for (unsigned by = mark3_bits[at]; by; by &= by - 1) {
            uint32_t cp = at << 3 | (uint32_t)__builtin_ctz(by);
            mk->mark3[cp >> 6] |= (uint64_t)1 << (cp & 63);
        }
    for (size_t k = 0; k < 0x10000 / 64; k++) {
        mk->keep3[k] = cm->keep3[k] & ~mk->mark3[k];
        mk->kept_mark3[k] = cm->keep3[k] & mk->mark3[k];
    }
    /* lead2 gives 1 only for ASCII that stays (no three-byte character has
     * cp >> 6 == 1): any third byte finds its bit set there. */
    memcpy(mk->keep_any, mk->keep3, 0x10000 / 64 * sizeof *mk->keep_any);
    mk->keep_any[1] = ~(uint64_t)0;
    /* The ASCII the fold walk keeps: '\n' and the printable characters. */
    for (unsigned c = 0; c < 0x80; c++)
        mk->kept_ascii[c] = ascii[c] && (c == '\n' || (c >= 0x20 && c < 0x7F));
    mk->other = other;
    mk->cm = cm;
    return true;
}

void norm_marks_free(norm_marks *mk)
{
    free(mk->lead2);
    free(mk->keep3);
    free(mk->mark3);
    free(mk->kept_mark3);
    free(mk->keep_any);
    memset(mk, 0, sizeof *mk);
}

/* The ascending offsets v[0..nv) after the ranges rs[0..n) (sorted by
 * start, as norm_drop_ranges() takes them) are dropped from a text of len
 * bytes: those inside a range go, the others move down by what is dropped
 * before them (the kept stretches of norm_drop_ranges(), walked the same
 * way).  Returns how many are left. */
static size_t offsets_after_drops(size_t *v, size_t nv, const wspan *rs, size_t n, size_t len)
{
    size_t wlen = 0, keep = 0, k = 0, out = 0;
    for (size_t r = 0; r <= n; r++) {
        size_t end = r < n ? rs[r].start : len;
        if (end > keep) {
            while (k < nv && v[k] < keep)
                k++;
            for (; k < nv && v[k] < end; k++)
                v[out++] = wlen + (v[k] - keep);
            wlen += end - keep;
        }
        if (r < n && rs[r].end > keep)
            keep = rs[r].end;
    }
    return out;
}

/* The marks of ml after those drops. */
static void marks_after_drops(norm_mark_list *ml, const wspan *rs, size_t n, size_t len)
{
    ml->n = offsets_after_drops(ml->v, ml->n, rs, n, len);
}

/* Pass 1: fold character by character into d->work, building d->map.
 * Characters that fold to themselves (ASCII text, Han characters outside the
 * charmap) are copied in runs, found by a tight loop that stops only at a
 * character to fold or where the next checkpoint is due; the checkpoints
 * are the same as a walk of one character at a time would add: one at the
 * first character after a dropped one (resync), and one at the first
 * character that starts CHECKPOINT_EVERY or more output bytes after the
 * last.  With mk, the working offset of each character written that is a
 * mark of mk goes into ml, in order: the runs note those they pass (see
 * kept_run()), and the characters taken one at a time are tested here. */
static inline __attribute__((always_inline)) bool
fold_text_with(const norm_charmap *cm, const norm_marks *mk, doc *d, norm_mark_list *ml,
               bool avx2)
{
    buf w = BUF_INIT;
    text_map_reset(&d->map);
    if (mk)
        text_map_diff_start(&d->map);   /* every character put one at a time */
    if (d->kept.work && d->kept.work_cap >= d->orig_len + 2) {
        /* The last text's buffer, large enough for what buf_reserve() asks
         * below: the walk writes it from its start (what it held is never
         * read), so the text is the same as in a new one. */
        w.data = d->kept.work;
        w.cap = d->kept.work_cap;
        d->kept.work = NULL;
        d->kept.work_cap = 0;
    }
    if (!buf_reserve(&w, d->orig_len + 1))
        return false;
    const char *s = d->orig;
    const unsigned char *u = (const unsigned char *)s;
    size_t len = d->orig_len;
    size_t i = 0;
    size_t last_cp = 0;
    bool mapped = text_map_add(&d->map, 0, 0);
    bool resync = false;  /* the next character needs a checkpoint */
    size_t run = 0;       /* start of the pending run of unchanged characters */
    const uint64_t *keep3 = cm ? cm->keep3 : NULL;
    const uint16_t *lead2 = cm ? cm->lead2 : NULL;
    const uint16_t *fold3 = cm ? cm->fold3 : NULL;
    if (mk) {
        /* The same walk, whose runs also stop at the marks: each character
         * they no longer pass goes through kept_len() below, which keeps it
         * as before, and is noted there when it is a mark. */
        keep3 = mk->keep3;
        lead2 = mk->lead2;
    }
    const bool valid = d->orig_valid;
    /* The runs' marks (see run_marks): made once, the offset set for each run. */
    run_marks rmk = {mk ? mk->kept_mark3 : NULL, mk ? mk->kept_ascii : NULL,
                     mk ? mk->keep_any : NULL, ml, 0};
    while (i < len && mapped) {
        /* Inside the run, input and output advance together: the character
         * at byte j would start at output w.len + (j - run), so a checkpoint
         * is due from byte `stop` on. */
        size_t wl = w.len + (i - run);
        size_t stop = i;
        if (!resync && wl - last_cp < CHECKPOINT_EVERY) {
            stop = i + (last_cp + CHECKPOINT_EVERY - wl);
            if (stop > len)
                stop = len;
        }
        /* The common characters inline (ASCII text, three-byte characters
         * through keep3, before the last two bytes), the others through
         * kept_len(), until a character to fold or the checkpoint. */
        size_t fast_stop = len < 2 ? 0 : stop < len - 2 ? stop : len - 2;
        size_t n = 0;
        uint32_t sub = 0;   /* fold3_at() of the character at i, when asked */
        for (;;) {
            if (keep3) {
                rmk.delta = w.len - run;
                i = kept_run_for(valid, lead2, keep3, u, i, fast_stop, len, mk ? &rmk : NULL,
                                 avx2);
            }
            if (i >= stop)
                break;
            /* Most characters a run stops at are ones fold3 maps (full-width
             * punctuation): kept_len() is 0 for each (fold3 holds only
             * characters fold() changes, which keep3 leaves out). */
            if (fold3 && (sub = fold3_at(cm, u, i, len)) != 0) {
                n = 0;
                break;
            }
            n = kept_len(cm, u, i, len);
            if (!n)
                break;
            if (mk)
                note_mark(mk, u + i, n, w.len + (i - run), ml);
            i += n;
        }
        if (i >= len)
            break;
        if (i >= stop)
            n = kept_len(cm, u, i, len);
        size_t start = i;
        if (n) {
            /* An unchanged character where a checkpoint is due. */
            wl = w.len + (start - run);
            mapped = text_map_add(&d->map, wl, start);
            last_cp = wl;
            resync = false;
            if (mk)
                note_mark(mk, u + start, n, wl, ml);
            i += n;
            continue;
        }
        /* Any other character: one at a time. */
        put(&w, s + run, start - run);
        uint32_t cp = 0;
        if (!sub && fold3)
            sub = fold3_at(cm, u, i, len);
        long f;
        if (sub) {
            f = (long)sub;   /* fold() of that three-byte character (not '\r') */
            i += 3;
        } else {
            cp = utf8_next(s, len, &i);
            f = fold(cm, cp);
        }
        run = i;
        if (f < 0) {
            resync = true;
            continue;
        }
        if (resync || w.len - last_cp >= CHECKPOINT_EVERY) {
            mapped = text_map_add(&d->map, w.len, start);
            last_cp = w.len;
            resync = false;
        }
        char enc[4] = {0, 0, 0, 0};
        size_t en = 1;
        if (f < 0x80)
            enc[0] = (char)f;   /* what utf8_encode() writes for ASCII */
        else if (sub)
            en = encode_bmp(sub, enc);   /* fold3 holds no surrogate */
        else
            en = utf8_encode((uint32_t)f, enc);
        put_char(&w, enc, en);
        if (mk) {
            note_mark(mk, (const unsigned char *)enc, en, w.len - en, ml);
            text_map_note_diff(&d->map, w.len - en);
        }
        if (cp == '\r' && i < len && s[i] == '\n') {
            /* CRLF: the LF is dropped; the '\n' made from CR stands for both. */
            i++;
            run = i;
            resync = true;
        }
    }
    buf_append(&w, s + run, i - run);
    if (mapped)
        mapped = text_map_add(&d->map, w.len, len);
    if (!mapped || w.failed) {
        buf_free(&w);
        return false;
    }
    free(d->work);
    d->work_len = w.len;
    d->work_cap = w.cap;
    d->work = buf_take(&w);
    d->map.diff_len = d->work_len;
    return d->work != NULL;
}

/* fold_text_with() made twice, with marks (mk and ml) and without (NULL):
 * each walk compiled for its own case. */
static bool fold_text(const norm_charmap *cm, doc *d)
{
    return fold_text_with(cm, NULL, d, NULL, false);
}

static __attribute__((noinline)) bool fold_text_marked(const norm_marks *mk, doc *d,
                                                       norm_mark_list *ml)
{
    return fold_text_with(mk->cm, mk, d, ml, false);
}

#if EDX_AVX2_DISPATCH
/* fold_text_marked() compiled for AVX2, for a doc whose extractor chose it
 * (d->use_avx2): its runs find each round's character starts in two 32-byte
 * tests instead of four of 16 (char_starts64_avx2(), the same bits), some
 * ten instructions fewer a round where a round holds seven characters on
 * average. */
__attribute__((target("avx2"), noinline)) static bool
fold_text_marked_avx2(const norm_marks *mk, doc *d, norm_mark_list *ml)
{
    return fold_text_with(mk->cm, mk, d, ml, true);
}
#endif

/* The fold walk with marks the doc's build and processor take. */
static bool fold_text_marked_for(const norm_marks *mk, doc *d, norm_mark_list *ml)
{
#if EDX_AVX2_DISPATCH
    if (d->use_avx2)
        return fold_text_marked_avx2(mk, d, ml);
#endif
    return fold_text_marked(mk, d, ml);
}

/* ----- dropping ranges ----- */

/* A walk through d->map for ascending working offsets: the checkpoint
 * before the last one asked, and where the walk from it stopped. */
typedef struct map_walk {
    size_t k;            /* the checkpoint: the last with derived <= target */
    size_t dpos, opos;   /* where the walk from it stopped */
    bool started;        /* dpos/opos belong to checkpoint k */
} map_walk;

/* Set c to walk to target: from the checkpoint before it, unless the last
 * walk stopped after that same checkpoint and not past target, when it
 * goes on from there.  False when no checkpoint lies at or before target
 * (doc_orig_byte() answers then). */
static bool map_walk_to(const doc *d, map_walk *c, size_t target)
{
    const text_map *m = &d->map;
    if (m->n == 0 || m->derived[0] > target)
        return false;
    size_t k = c->k;
    while (k + 1 < m->n && m->derived[k + 1] <= target)
        k++;
    if (!c->started || k != c->k || c->dpos > target) {
        c->k = k;
        c->dpos = m->derived[k];
        c->opos = m->orig[k];
        c->started = true;
    }
    return true;
}

/* doc_orig_byte(d, target) for targets that ascend: the very walk of
 * text_map_lookup() -- from the checkpoint before target, one character in
 * both texts at a time -- going on from the last call's stop when that
 * lies after the same checkpoint.  An ASCII or well-formed three-byte
 * character that is the same in both texts is stepped at once (utf8_next
 * steps both by its length); any other goes through utf8_next. */
static size_t orig_at(const doc *d, map_walk *c, size_t target)
{
    if (!map_walk_to(d, c, target))
        return doc_orig_byte(d, target);
    const unsigned char *ds = (const unsigned char *)d->work;
    const unsigned char *os = (const unsigned char *)d->orig;
    size_t dlen = d->work_len, olen = d->orig_len;
    size_t dpos = c->dpos, opos = c->opos;
    if (target > dlen)
        target = dlen;
    while (dpos < target && opos < olen) {
        /* Eight bytes the same in both texts at once; then back to where
         * a character starts (not a continuation byte), which the same
         * steps of utf8_next reach in both texts. */
        size_t d0 = dpos;
#ifdef __SSE2__
        /* Sixteen bytes at a time, and in the block that differs on to its
         * first byte that differs: the bytes before it are the same in
         * both texts too, so the back-off below finds the same character
         * start as after eight bytes at a time and the steps from there. */
        while (target - dpos >= 16 && olen - opos >= 16) {
            unsigned eq = (unsigned)_mm_movemask_epi8(
                _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(ds + dpos)),
                               _mm_loadu_si128((const __m128i *)(const void *)(os + opos))));
            if (eq != 0xFFFF) {
                size_t same = (size_t)__builtin_ctz(~eq);
                dpos += same;
                opos += same;
                break;
            }
            dpos += 16;
            opos += 16;
        }
#endif
        while (target - dpos >= 8 && olen - opos >= 8) {
            uint64_t x, y;
            memcpy(&x, ds + dpos, 8);
            memcpy(&y, os + opos, 8);
            if (x != y)
                break;
            dpos += 8;
            opos += 8;
        }
        while (dpos > d0 && (ds[dpos] & 0xC0) == 0x80) {
            dpos--;
            opos--;
        }
        if (dpos >= target)
            break;
        unsigned char b = ds[dpos];
        if (b < 0x80 && os[opos] == b) {
            dpos++;
            opos++;
            continue;
        }
        if (b >= 0xE0 && b <= 0xEF && dlen - dpos >= 3 && olen - opos >= 3 &&
            os[opos] == b && os[opos + 1] == ds[dpos + 1] && os[opos + 2] == ds[dpos + 2] &&
            (ds[dpos + 1] & 0xC0) == 0x80 && (ds[dpos + 2] & 0xC0) == 0x80 &&
            (b != 0xE0 || ds[dpos + 1] >= 0xA0) && (b != 0xED || ds[dpos + 1] < 0xA0)) {
            dpos += 3;   /* U+0800..U+FFFF, not a surrogate: well-formed */
            opos += 3;
            continue;
        }
        utf8_next(d->work, dlen, &dpos);
        utf8_next(d->orig, olen, &opos);
    }
    c->dpos = dpos;
    c->opos = opos;
    return opos;
}

/* orig_at() over a map with its list of the characters that may differ
 * (text_map.diff; *next: the first entry not yet passed): from the
 * checkpoint or the last stop, the walk crosses the bytes up to the next
 * listed character in step, the same bytes in both texts (as orig_at()'s
 * compares find them), so it goes there at once, or to the first
 * character start at or after target when that comes first; a listed
 * character is stepped as orig_at() steps it (utf8_next() in both texts,
 * which also steps a character that is the same in both). */
static size_t orig_at_listed(const doc *d, map_walk *c, size_t target, size_t *next)
{
    if (!map_walk_to(d, c, target))
        return doc_orig_byte(d, target);
    const text_map *m = &d->map;
    const unsigned char *ds = (const unsigned char *)d->work;
    size_t dlen = d->work_len, olen = d->orig_len;
    size_t dpos = c->dpos, opos = c->opos;
    if (target > dlen)
        target = dlen;
    size_t x = *next;
    while (dpos < target && opos < olen) {
        while (x < m->ndiff && m->diff[x] < dpos)
            x++;
        size_t same = (x < m->ndiff ? m->diff[x] : dlen) - dpos;   /* in step */
        if (same > olen - opos)
            same = olen - opos;
        if (same >= target - dpos) {
            /* The first character start at or after target. */
            size_t to = target;
            while (to < dpos + same && (ds[to] & 0xC0) == 0x80)
                to++;
            opos += to - dpos;
            dpos = to;
            if (dpos >= target)
                break;
        } else {
            dpos += same;
            opos += same;
        }
        if (dpos < target && opos < olen) {
            utf8_next(d->work, dlen, &dpos);
            utf8_next(d->orig, olen, &opos);
        }
    }
    *next = x;
    c->dpos = dpos;
    c->opos = opos;
    return opos;
}

bool norm_drop_ranges(doc *d, const wspan *rs, size_t n)
{
    if (n == 0)
        return true;
    text_map m;
    text_map_init_from_spare(&m, &d->map);
    bool ok = true;
    /* First the new map, from the text as it is (orig_at() walks it); the
     * kept stretches' new offsets follow from their lengths. */
    size_t wlen = 0;    /* length of the kept text so far */
    size_t k = 0;       /* next old checkpoint */
    size_t keep = 0;    /* start of the current kept stretch */
    map_walk cur = {0, 0, 0, false};
    bool listed = d->map.diff_known && d->map.diff_len == d->work_len;
    size_t next_diff = 0;
#ifndef NDEBUG
    map_walk plain = cur;   /* orig_at()'s own walk, to check the listed one */
#endif
    for (size_t r = 0; r <= n && ok; r++) {
        size_t end = r < n ? rs[r].start : d->work_len;
        if (end > keep) {
            /* doc_orig_byte(d, keep), walking on from the last stretch. */
            size_t ob = listed ? orig_at_listed(d, &cur, keep, &next_diff) : orig_at(d, &cur, keep);
            assert(!listed || ob == orig_at(d, &plain, keep));
            ok = text_map_add(&m, wlen, ob);
            while (k < d->map.n && d->map.derived[k] <= keep)
                k++;
            while (ok && k < d->map.n && d->map.derived[k] < end) {
                ok = text_map_add(&m, wlen + (d->map.derived[k] - keep), d->map.orig[k]);
                k++;
            }
            wlen += end - keep;
        }
        if (r < n && rs[r].end > keep)
            keep = rs[r].end;
    }
    if (ok)
        ok = text_map_add(&m, wlen, d->orig_len);
    if (!ok) {
        text_map_free(&m);
        return false;
    }
    /* Then the kept stretches moved down in place, the same walk over rs:
     * each lands at or before where it was, so nothing not yet moved is
     * overwritten (and the first, from 0, stays where it is). */
    size_t to = 0;
    keep = 0;
    for (size_t r = 0; r <= n; r++) {
        size_t end = r < n ? rs[r].start : d->work_len;
        if (end > keep) {
            if (to != keep)
                memmove(d->work + to, d->work + keep, end - keep);
            to += end - keep;
        }
        if (r < n && rs[r].end > keep)
            keep = rs[r].end;
    }
    /* The list of the characters that may differ (text_map.diff) goes
     * with the kept stretches. */
    if (d->map.diff_known && d->map.diff_len == d->work_len) {
        m.diff = d->map.diff;
        m.capdiff = d->map.capdiff;
        m.ndiff = offsets_after_drops(m.diff, d->map.ndiff, rs, n, d->work_len);
        m.diff_len = to;
        m.diff_known = true;
        d->map.diff = NULL;
    }
    d->work[to] = '\0';
    d->work_len = to;
    text_map_replace(&d->map, &m);
    return true;
}

/* ----- pinyin annotations ----- */

/* A letter of a pinyin syllable; *tone is set for a tone-marked vowel. */
static bool pinyin_letter(uint32_t cp, bool *tone)
{
    if (cp >= 'a' && cp <= 'z')
        return true;
    if (cp < 0xE0 || cp > 0x1E3F)
        return false;   /* outside the range of TONED: the search finds none */
    static const uint32_t TONED[] = {
        0x101, 0xE1, 0x1CE, 0xE0, 0x113, 0xE9, 0x11B, 0xE8, 0x12B, 0xED, 0x1D0, 0xEC,
        0x14D, 0xF3, 0x1D2, 0xF2, 0x16B, 0xFA, 0x1D4, 0xF9, 0x1D6, 0x1D8, 0x1DA, 0x1DC,
        0xFC, 0x144, 0x148, 0x1F9, 0x1E3F};
    for (size_t i = 0; i < sizeof TONED / sizeof *TONED; i++)
        if (cp == TONED[i]) {
            *tone = true;
            return true;
        }
    return false;
}

/* "學(xué)": a '(' right after a Han character, 1..PINYIN_MAX pinyin letters
 * with at least one tone mark, then ')'.  Records the parenthesized part. */
static void find_pinyin(const doc *d, wspan_list *out)
{
    const char *s = d->work;
    size_t len = d->work_len;
    for (size_t i = 1; i < len; i++) {
        if (s[i] != '(') {
            const char *q = memchr(s + i, '(', len - i);
            if (!q)
                break;
            i = (size_t)(q - s);
        }
        size_t pstart;
        if (!norm_is_han(utf8_prev(s, i, &pstart)))
            continue;
        size_t j = i + 1, letters = 0;
        bool tone = false;
        while (j < len && letters <= PINYIN_MAX) {
            uint32_t cp = utf8_next(s, len, &j);
            if (cp == ')') {
                if (letters && tone && letters <= PINYIN_MAX) {
                    wspan_list_add(out, i, j);
                    i = j - 1;
                }
                break;
            }
            if (!pinyin_letter(cp, &tone))
                break;
            letters++;
        }
    }
}

/* ----- spaced-out text ----- */

typedef struct token {
    size_t a, b;        /* bytes of the token */
    size_t gap;         /* spaces after it on the same line (0 at line end) */
    bool han1;          /* exactly one Han character */
    bool num;           /* digits, '.', '%' only */
    bool digit1;        /* exactly one digit */
    bool digits;        /* holds a digit */
} token;

/* Decide the drops of one line's tokens.  A "spaced run" is a stretch of
 * tokens joined by single spaces, each a single Han character or a number,
 * holding at least SPACED_MIN_RUN single Han characters in a row.  Inside
 * it every single space goes, except one between two numbers that are not
 * both single digits ("12 15" in a table row stays apart). */
static void spaced_line(const token *t, size_t n, wspan_list *out)
{
    size_t i = 0;
    while (i < n) {
        if (!(t[i].han1 || t[i].num)) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < n && t[j].gap == 1 && (t[j + 1].han1 || t[j + 1].num))
            j++;
        /* Tokens i..j form a chain; look for SPACED_MIN_RUN han1 in a row. */
        size_t best = 0, cur = 0;
        for (size_t k = i; k <= j; k++) {
            cur = t[k].han1 ? cur + 1 : 0;
            if (cur > best)
                best = cur;
        }
        if (best >= SPACED_MIN_RUN) {
            for (size_t k = i; k < j; k++) {
                bool both_num = t[k].digits && t[k + 1].digits;
                if (both_num && !(t[k].digit1 && t[k + 1].digit1))
                    continue;
                wspan_list_add(out, t[k].b, t[k].b + 1);
            }
        }
        i = j + 1;
    }
}

/* The first byte at or after pos where a single Han character stands
 * between two single spaces (" 学 "), or len.  A spaced run holds
 * SPACED_MIN_RUN >= 3 single Han tokens in a row, joined by single spaces, so
 * its middle one is such a place: a line without one has no run.  (The
 * bytes are not checked further: a false hit only costs a look at its line.) */
static size_t next_spaced_han(const char *s, size_t pos, size_t len)
{
    const char *p = s + pos, *end = s + len;
    while (end - p >= 5) {
        const char *q = memchr(p, ' ', (size_t)(end - p) - 4);
        if (!q)
            break;
        unsigned char lead = (unsigned char)q[1];
        if ((q[4] == ' ' && lead >= 0xE0 && lead <= 0xEF) ||
            (end - q > 5 && q[5] == ' ' && lead >= 0xF0 && lead <= 0xF4))
            return (size_t)(q - s);
        p = q + 1;
    }
    return len;
}

static void find_spaced(const doc *d, wspan_list *out)
{
    const char *s = d->work;
    size_t len = d->work_len;
    token *t = NULL;
    size_t cap = 0;
    size_t pos = 0;   /* a line start */
    while (pos < len && !out->failed) {
        size_t hit = next_spaced_han(s, pos, len);
        if (hit >= len)
            break;
        /* Only the line of the hit can hold a run: tokenize it. */
        size_t ls = hit;
        while (ls > pos && s[ls - 1] != '\n')
            ls--;
        pos = ls;
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t eol = nl ? (size_t)(nl - s) : len;
        size_t n = 0;
        size_t i = pos;
        while (i < eol) {
            while (i < eol && s[i] == ' ')
                i++;
            if (i >= eol)
                break;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                token *q = realloc(t, cap * sizeof *q);
                if (!q) {
                    out->failed = true;
                    break;
                }
                t = q;
            }
            token *tk = &t[n++];
            tk->a = i;
            /* The working text is well-formed UTF-8 (fold_text encodes every
             * character), so the flags follow from the bytes: digits, '.' and
             * '%' are single bytes, and a token is one character when its
             * length is its first sequence's. */
            bool all_num = true, any_digit = false;
            while (i < eol && s[i] != ' ') {
                unsigned char c = (unsigned char)s[i++];
                bool dg = c >= '0' && c <= '9';
                any_digit |= dg;
                all_num &= dg || c == '.' || c == '%';
            }
            tk->b = i;
            size_t one = utf8_seq_len((unsigned char)s[tk->a]);
            bool char1 = tk->b - tk->a == one;
            size_t k1 = tk->a;
            size_t g = i;
            while (g < eol && s[g] == ' ')
                g++;
            tk->gap = g < eol ? g - i : 0;
            tk->han1 = char1 && norm_is_han(utf8_next(s, eol, &k1));
            tk->num = all_num;
            tk->digit1 = char1 && any_digit;
            tk->digits = any_digit;
        }
        if (!out->failed)
            spaced_line(t, n, out);
        pos = eol + 1;
    }
    free(t);
}

/* "面积3. 1平方米": a space after a decimal point inside a number that
 * follows a Han character (so not a list marker "1. " at a line start). */
static void find_split_decimals(const doc *d, wspan_list *out)
{
    const char *s = d->work;
    size_t len = d->work_len;
    for (size_t i = 1; i + 2 < len; i++) {
        if (s[i] != '.') {
            const char *q = memchr(s + i, '.', len - 2 - i);
            if (!q)
                break;
            i = (size_t)(q - s);
        }
        if (!(s[i] == '.' && s[i + 1] == ' ' && s[i + 2] >= '0' && s[i + 2] <= '9' &&
              s[i - 1] >= '0' && s[i - 1] <= '9'))
            continue;
        size_t k = i;
        while (k > 0 && s[k - 1] >= '0' && s[k - 1] <= '9')
            k--;
        size_t st;
        if (k > 0 && norm_is_han(utf8_prev(s, k, &st)))
            wspan_list_add(out, i + 1, i + 2);
    }
}

/* A number cut by a line break, as a PDF copy leaves it (面积38.7\n5万平方米,
 * 计算机20.\n7台): the break is dropped when the text before it is a number
 * that follows a Han character and the next line goes on with digits that a
 * unit, a percent sign or more of the number follows -- not a list marker
 * such as "3、" or "2. ".  A number standing alone on its line (a table
 * column) is never joined.  This is the test of the line break at s[i]. */
static inline __attribute__((always_inline)) void
split_number_at(const doc *d, size_t i, wspan_list *out)
{
    const char *s = d->work;
    size_t len = d->work_len;
    if (i == 0 || i + 1 >= len || s[i + 1] < '0' || s[i + 1] > '9')
        return;
    size_t k = i;
    bool dot = s[k - 1] == '.';
    if (dot)
        k--;
    size_t digits_end = k;
    while (k > 0 && s[k - 1] >= '0' && s[k - 1] <= '9')
        k--;
    /* one decimal point inside the part before the break (38.7) */
    if (!dot && k != digits_end && k > 1 && s[k - 1] == '.' && s[k - 2] >= '0' &&
        s[k - 2] <= '9') {
        k--;
        while (k > 0 && s[k - 1] >= '0' && s[k - 1] <= '9')
            k--;
        dot = true;
    }
    size_t st;
    if (k == digits_end || k == 0 || !norm_is_han(utf8_prev(s, k, &st)))
        return;
    size_t j = i + 1;
    while (j < len && s[j] >= '0' && s[j] <= '9')
        j++;
    if (j >= len)
        return;
    size_t jj = j;
    uint32_t next = utf8_next(s, len, &jj);
    bool more = next == '%' || (!dot && next == '.' && jj < len && s[jj] >= '0' && s[jj] <= '9');
    bool unit = norm_is_han(next) && next != 0x3001 /* 、 */;
    if (more || unit)
        wspan_list_add(out, i, i + 1);
}

static void find_split_numbers(const doc *d, wspan_list *out)
{
    const char *s = d->work;
    size_t len = d->work_len;
    const char *p = s;
    while ((p = memchr(p, '\n', (size_t)(s + len - p))) != NULL) {
        split_number_at(d, (size_t)(p - s), out);
        p++;
    }
}

/* find_split_numbers() from the list of the marks ml of the text, which
 * holds every '\n' of it (the marks of mk, which has '\n' among them):
 * the same line breaks in the same order, without a search for them. */
static void find_split_numbers_marked(const doc *d, const norm_mark_list *ml, wspan_list *out)
{
    const unsigned char *w = (const unsigned char *)d->work;
    for (size_t k = 0; k < ml->n; k++) {
        /* Only a '\n' with a digit after it can be a split number's break
         * (split_number_at()'s first test): both asked in one branch, which
         * most marks fail alike.  The byte after the last mark is the
         * working text's NUL at worst. */
        size_t at = ml->v[k];
        if ((w[at] == '\n') & ((unsigned)(w[at + 1] - '0') < 10u))
            split_number_at(d, at, out);
    }
}

static int cmp_wspan(const void *x, const void *y)
{
    const wspan *p = x, *q = y;
    return p->start < q->start ? -1 : p->start > q->start;
}

/* The end of the ascending run (by start) that begins at rs[i]. */
static size_t run_end(const wspan *rs, size_t i, size_t n)
{
    while (i + 1 < n && rs[i].start <= rs[i + 1].start)
        i++;
    return i + 1;
}

void norm_sort_spans(wspan *rs, size_t n)
{
    if (n < 2 || run_end(rs, 0, n) == n)
        return;
    wspan *tmp = malloc(n * sizeof *tmp);
    if (!tmp) {
        qsort(rs, n, sizeof *rs, cmp_wspan);
        return;
    }
    /* Rounds of merging neighbouring runs, two by two, until one is left. */
    wspan *src = rs, *dst = tmp;
    for (;;) {
        size_t i = 0, runs = 0;
        while (i < n) {
            size_t m = run_end(src, i, n);
            size_t e = m < n ? run_end(src, m, n) : n;
            size_t a = i, b = m, o = i;
            while (a < m && b < e)
                dst[o++] = src[b].start < src[a].start ? src[b++] : src[a++];
            while (a < m)
                dst[o++] = src[a++];
            while (b < e)
                dst[o++] = src[b++];
            i = e;
            runs++;
        }
        wspan *t = src;
        src = dst;
        dst = t;
        if (runs == 1)
            break;
    }
    if (src != rs)
        memcpy(rs, src, n * sizeof *rs);
    free(tmp);
}

/* normalize_doc_with(), noting the marks of mk (NULL: none) in ml. */
static bool normalize_run(const norm_charmap *cm, const norm_marks *mk, doc *d,
                          norm_mark_list *ml)
{
    if (!(mk ? fold_text_marked_for(mk, d, ml) : fold_text(cm, d)))
        return false;
    wspan_list rs = {NULL, 0, 0, false};
    find_pinyin(d, &rs);
    find_spaced(d, &rs);
    find_split_decimals(d, &rs);
    if (mk && mk->ascii['\n'] && !ml->failed)
        find_split_numbers_marked(d, ml, &rs);
    else
        find_split_numbers(d, &rs);
    bool ok = !rs.failed;
    if (ok && rs.n) {
        norm_sort_spans(rs.v, rs.n);
        if (mk)
            marks_after_drops(ml, rs.v, rs.n, d->work_len);
        ok = norm_drop_ranges(d, rs.v, rs.n);
    }
    free(rs.v);
    return ok;
}

bool normalize_doc_with(const norm_charmap *cm, doc *d)
{
    return normalize_run(cm, NULL, d, NULL);
}

bool normalize_doc_marked(const norm_marks *mk, doc *d, norm_mark_list *ml)
{
    return normalize_run(mk->cm, mk, d, ml);
}

bool normalize_doc(doc *d)
{
    return normalize_doc_with(NULL, d);
}
