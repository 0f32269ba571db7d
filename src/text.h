/* text.h -- UTF-8 helpers and the offset map from working text back to the
 * decoded original.
 *
 * Every stage after decoding reads a *derived* text (normalized, cleaned).
 * Figures must still point at the decoded original (RECORD.md: spans are code
 * points of the decoded original), so each derivation keeps a text_map: a
 * sorted list of checkpoints (derived byte, original byte).  Between two
 * checkpoints the characters of both texts correspond one to one, in order,
 * whatever their byte widths ("１" in the original, "1" in the derived text).
 * A derivation that drops, merges or inserts characters adds a checkpoint
 * right after the change.  The map costs a few words per change, not per
 * byte, so a 10 MB file does not need a 40 MB index.
 */
#ifndef EDX_TEXT_H
#define EDX_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* The general paths of utf8_next() and utf8_prev() (any sequence); the
 * inline functions below decide ASCII and well-formed three-byte sequences
 * (most of Chinese text) themselves and give the same answers. */
uint32_t utf8_next_any(const char *s, size_t len, size_t *i);
uint32_t utf8_prev_any(const char *s, size_t i, size_t *start);

/* Decode the code point at s[*i] (s has len bytes) and advance *i.  An
 * invalid or truncated sequence yields U+FFFD and advances one byte.
 * (C99 inline: text.c holds the external definition.) */
inline uint32_t utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    unsigned char c = p[0];
    if (c < 0x80) {
        *i += 1;
        return c;
    }
    if (c >= 0xE0 && c <= 0xEF && len - *i >= 3 && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80) {
        uint32_t cp3 = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
                       (uint32_t)(p[2] & 0x3F);
        if (cp3 >= 0x800 && (cp3 < 0xD800 || cp3 > 0xDFFF)) {
            *i += 3;
            return cp3;
        }
    }
    return utf8_next_any(s, len, i);
}

/* Decode the code point that ends right before s[i]; *start receives where
 * it starts.  i must be > 0. */
inline uint32_t utf8_prev(const char *s, size_t i, size_t *start)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[i - 1] < 0x80) {
        if (start)
            *start = i - 1;
        return p[i - 1];
    }
    if (i >= 3 && p[i - 3] >= 0xE0 && p[i - 3] <= 0xEF && (p[i - 2] & 0xC0) == 0x80 &&
        (p[i - 1] & 0xC0) == 0x80) {
        uint32_t cp3 = ((uint32_t)(p[i - 3] & 0x0F) << 12) |
                       ((uint32_t)(p[i - 2] & 0x3F) << 6) | (uint32_t)(p[i - 1] & 0x3F);
        if (cp3 >= 0x800 && (cp3 < 0xD800 || cp3 > 0xDFFF)) {
            if (start)
                *start = i - 3;
            return cp3;
        }
    }
    return utf8_prev_any(s, i, start);
}
/* Encode cp (invalid values become U+FFFD) into out; returns 1..4. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Number of code points in s[0..n). */
size_t utf8_count(const char *s, size_t n);
/* True when s[0..n) is well-formed UTF-8 (no surrogates, no overlongs). */
bool utf8_valid(const char *s, size_t n);

/* Whether this build may choose AVX2 code at run time (x86-64 with GCC
 * or clang, SSE2 on: the sanitizer build without SSE2 keeps the portable
 * code only).  Every stage's AVX2 code sits under it. */
#ifndef EDX_AVX2_DISPATCH /* -DEDX_AVX2_DISPATCH=0 tests the SSE2 code on an AVX2 machine */
#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__)
#define EDX_AVX2_DISPATCH 1
#else
#define EDX_AVX2_DISPATCH 0
#endif
#endif

/* Whether code built for AVX2 may run: this build dispatches to it, the
 * processor has AVX2 and the environment does not set EDUEXTRACT_NO_AVX2=1
 * (which keeps the SSE2 code, so the suite can compare the two).  Asks the
 * processor and the environment: call it once (per extractor), not per
 * text. */
bool text_avx2_wanted(void);
/* Byte length of the sequence starting with lead byte c (1 for invalid). */
size_t utf8_seq_len(unsigned char c);

/* The index of the first of the ascending offsets a[lo..hi) that is at least
 * `at` (hi when there is none): the search every sorted list of offsets in
 * the pipeline (line starts, breaks) makes.  (C99 inline, as utf8_next.) */
inline size_t offsets_first_from(const size_t *a, size_t lo, size_t hi, size_t at)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The value of a Chinese numeral 零 一 .. 九 十 (0 .. 10), -1 for any other
 * character: the one table of the numerals headings and series titles are
 * numbered with.  (C99 inline, as utf8_next.) */
inline int cn_numeral_value(uint32_t cp)
{
    switch (cp) {
    case 0x96F6: return 0;  /* 零 */
    case 0x4E00: return 1;  /* 一 */
    case 0x4E8C: return 2;  /* 二 */
    case 0x4E09: return 3;  /* 三 */
    case 0x56DB: return 4;  /* 四 */
    case 0x4E94: return 5;  /* 五 */
    case 0x516D: return 6;  /* 六 */
    case 0x4E03: return 7;  /* 七 */
    case 0x516B: return 8;  /* 八 */
    case 0x4E5D: return 9;  /* 九 */
    case 0x5341: return 10; /* 十 */
    default: return -1;
    }
}

/* ----- offset map ----- */

typedef struct text_map {
    size_t n, cap;
    /* derived, orig and same lie in one block, which derived points to:
     * derived[0..cap), orig[0..cap), then same (text_map_free() frees it). */
    size_t *derived;  /* byte offsets in the derived text, ascending */
    size_t *orig;     /* byte offsets in the original, ascending */
    bool wellformed;  /* set by text_map_densify when every walk a lookup can
                       * make crosses well-formed UTF-8 only (lookups then
                       * step by lead bytes); cleared by text_map_add */
    uint32_t *same;   /* set by text_map_densify (else NULL): same[k] bytes
                       * from checkpoint k on hold the same whole characters
                       * in both texts (a lookup there needs no walk);
                       * dropped by text_map_add.  A stretch never crosses a
                       * checkpoint the map had before densifying; the ones
                       * densify adds inside it lie on the walk across it, at
                       * the same distance in both texts (emit's span sweep
                       * relies on both) */
    /* The characters where the derived text may differ from the original,
     * as the stage that made it knows them (text_map_note_diff()): their
     * ascending derived offsets.  Between two checkpoints a lookup's walk
     * goes one character in both texts at a time; every character it
     * crosses there that is not listed is the same bytes in both texts.
     * Only for a derived text of diff_len bytes, and when diff_known;
     * densify then needs no compare of the two texts (text_map_free()
     * frees it; text_map_add() leaves it). */
    size_t *diff;
    size_t ndiff, capdiff, diff_len;
    bool diff_known;
    size_t bytes;     /* the size of the block derived points to */
    /* A block no longer in use, of spare_bytes, that densify takes for its
     * new arrays when it is large enough (the block it replaces becomes
     * the spare): a map reused by text_map_reset() then densifies without
     * a malloc and a free.  text_map_free() frees it. */
    size_t *spare;
    size_t spare_bytes;
} text_map;

void text_map_init(text_map *m);
void text_map_free(text_map *m);
/* m empty again, as text_map_init() leaves it, but with its memory kept
 * for the next text (arrays and list of differences are refilled from
 * their starts, so nothing of the last text is read again). */
void text_map_reset(text_map *m);
/* The bytes of memory m holds (what text_map_reset() keeps). */
size_t text_map_kept_bytes(const text_map *m);
/* m as text_map_init() makes it, but with src's spare block (if any) as
 * its block for checkpoints: a map made to replace src (text_map_replace())
 * then needs no malloc of its own until it outgrows the spare. */
void text_map_init_from_spare(text_map *m, text_map *src);
/* *old = *m, with old's block made m's spare (for densify, which then
 * needs no malloc) and the rest of old freed. */
void text_map_replace(text_map *old, text_map *m);
/* Add a checkpoint; a checkpoint at the same derived offset as the last one
 * replaces it.  Returns false when memory ran out. */
bool text_map_add(text_map *m, size_t derived, size_t orig);
/* Start m's list of the characters that may differ (see text_map.diff),
 * empty, for a derived text made from the original from here on. */
void text_map_diff_start(text_map *m);
/* Room for twice as many listed characters; false (the list dropped) when
 * memory ran out. */
bool text_map_diff_grow(text_map *m);
/* List the character at derived offset d (after every one listed).  When
 * memory runs out the list is dropped (diff_known false). */
inline void text_map_note_diff(text_map *m, size_t d)
{
    if (m->ndiff < m->capdiff || text_map_diff_grow(m))
        m->diff[m->ndiff++] = d;
}
/* The original byte offset of derived byte offset d.  `derived` and `orig`
 * are the two texts the map joins. */
size_t text_map_lookup(const text_map *m, const char *derived, size_t derived_len,
                       const char *orig, size_t orig_len, size_t d);
/* Where the last text_map_lookup_at() stopped; zero-initialize. */
typedef struct text_map_cursor {
    bool set;
    size_t cp, dpos, opos;
} text_map_cursor;
/* text_map_lookup() for offsets that mostly ascend: walks on from where the
 * last call stopped when that lies after the same checkpoint (a map whose
 * checkpoints are far apart no longer costs a walk from the checkpoint for
 * every lookup).  Same answers as text_map_lookup(). */
size_t text_map_lookup_at(const text_map *m, text_map_cursor *cur, const char *derived,
                          size_t derived_len, const char *orig, size_t orig_len, size_t d);
/* text_map_lookup_at()'s answer, inline, in the common case where no walk
 * is needed: d is at most a few checkpoints past the cursor's, at a
 * character start inside the stretch the last checkpoint before d shares
 * with the original (m->same: the walk crosses it in step, so the answer
 * is as far past that checkpoint's original offset as d is past its
 * derived one).  Sets *o, moves the cursor to d and returns true; false
 * (cursor unchanged) otherwise, when text_map_lookup_at() decides. */
inline bool text_map_lookup_shared(const text_map *m, text_map_cursor *cur, const char *derived,
                                   size_t derived_len, size_t d, size_t *o)
{
    size_t k = cur->cp;
    if (!cur->set || !m->same || k >= m->n || d < m->derived[k])
        return false;
    for (int step = 0; k + 1 < m->n && m->derived[k + 1] <= d; k++)
        if (++step > 4)
            return false;
    size_t off = d - m->derived[k];
    if (off > m->same[k] || (d < derived_len && ((unsigned char)derived[d] & 0xC0) == 0x80))
        return false;
    *o = m->orig[k] + off;
    *cur = (text_map_cursor){true, k, d, *o};
    return true;
}
/* True when derived bytes [cur->dpos, e) lie in the stretch the cursor's
 * checkpoint shares with the original (see text_map_lookup_shared()) and e
 * is a character start (or the end of the text): they are then whole
 * characters, the same bytes as the original's from cur->opos on, and
 * every lookup in them is as far past cur->opos as past cur->dpos. */
inline bool text_map_shared_to(const text_map *m, const text_map_cursor *cur,
                               const char *derived, size_t derived_len, size_t e)
{
    size_t k = cur->cp;
    return cur->set && m->same && k < m->n && e >= cur->dpos && cur->dpos >= m->derived[k] &&
           e - m->derived[k] <= m->same[k] &&
           (e == derived_len || ((unsigned char)derived[e] & 0xC0) != 0x80);
}
/* Add checkpoints so that a lookup walks at most about `every` bytes: each
 * new one lies on the walk text_map_lookup makes from the checkpoint before
 * it, so every lookup gives the same answer, only without walking from far
 * away (which made mapping every figure of a long text quadratic).  Call
 * once the map is complete.  False when memory ran out (map unchanged). */
bool text_map_densify(text_map *m, const char *derived, size_t derived_len, const char *orig,
                      size_t orig_len, size_t every);
/* text_map_densify() when orig is known to be well-formed UTF-8 (as a
 * doc's decoded original is): the same lookups, found with plain byte
 * compares where the two texts agree instead of character checks. */
bool text_map_densify_valid(text_map *m, const char *derived, size_t derived_len,
                            const char *orig, size_t orig_len, size_t every);

/* ----- byte to code point index of one text ----- */

typedef struct cp_index {
    size_t nblocks;
    size_t *cps;  /* code points before byte k*CP_INDEX_BLOCK */
    const char *text;
    size_t len;
    /* Borrowed room for roomblocks counts (NULL when none), which
     * utf8_valid_index() fills instead of a new array when it is large
     * enough: the owner (a reused doc) keeps it from one text to the
     * next.  cp_index_free() does not free it; cp_index_build() sets it
     * to NULL and allocates (so it needs no initialized ix). */
    size_t *room;
    size_t roomblocks;
} cp_index;

/* Bytes per index entry: a lookup counts at most this many bytes (every
 * figure maps two offsets), for an index of 8 bytes per block. */
#define CP_INDEX_BLOCK 256

bool cp_index_build(cp_index *ix, const char *text, size_t len);
/* utf8_valid(text, len), and when that is true, cp_index_build() over the
 * same text, in one pass.  Builds nothing (ix->cps NULL) when the text is
 * not valid or memory ran out (then build it with cp_index_build()).  avx2
 * (text_avx2_wanted(), in a build that dispatches to AVX2) takes the AVX2
 * walk, with the same answer and index. */
bool utf8_valid_index(const char *text, size_t len, cp_index *ix, bool avx2);
/* Frees the counts unless they lie in ix->room; ix->cps then NULL. */
void cp_index_free(cp_index *ix);
/* Code point offset of byte offset b (b may point inside a sequence: it then
 * counts the sequence it is in as started). */
size_t cp_index_of(const cp_index *ix, size_t b);

#endif
