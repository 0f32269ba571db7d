/* text.c -- UTF-8 helpers, offset map, code point index. */
#include "text.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if EDX_AVX2_DISPATCH
#include <immintrin.h>
#endif

/* The external definitions of the inline functions of text.h. */
extern inline uint32_t utf8_next(const char *s, size_t len, size_t *i);
extern inline uint32_t utf8_prev(const char *s, size_t i, size_t *start);
extern inline size_t offsets_first_from(const size_t *a, size_t lo, size_t hi, size_t at);
extern inline int cn_numeral_value(uint32_t cp);
extern inline void text_map_note_diff(text_map *m, size_t d);
extern inline bool text_map_lookup_shared(const text_map *m, text_map_cursor *cur,
                                          const char *derived, size_t derived_len, size_t d,
                                          size_t *o);
extern inline bool text_map_shared_to(const text_map *m, const text_map_cursor *cur,
                                      const char *derived, size_t derived_len, size_t e);

static inline uint64_t load64(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

#define HIGH_BITS 0x8080808080808080u

/* Two three-byte sequences in a row, read as a little-endian word: lead
 * bytes 1110xxxx at bytes 0 and 3, continuation bytes 10xxxxxx at 1, 2, 4,
 * 5.  A lead byte other than E0 (overlongs) and ED (surrogates) makes any
 * such sequence well-formed; LEAD_CHECK has bits 0 and 13 set for those
 * two. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PAIR3_FAST 1
#define PAIR3_MASK 0x0000C0C0F0C0C0F0u
#define PAIR3_WANT 0x00008080E08080E0u
#define LEAD_CHECK 0x2001u
static inline bool pair3_ok(uint64_t x)
{
    return (x & PAIR3_MASK) == PAIR3_WANT &&
           !(((LEAD_CHECK >> (x & 15)) | (LEAD_CHECK >> ((x >> 24) & 15))) & 1);
}
#else
#define PAIR3_FAST 0
#endif

/* A three-byte sequence at p (3 bytes readable) that is well-formed: what
 * the inline path of utf8_next() accepts. */
static inline bool seq3_ok(const unsigned char *p)
{
    if (p[0] < 0xE0 || p[0] > 0xEF || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
        return false;
    uint32_t cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
                  (uint32_t)(p[2] & 0x3F);
    return cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
}

#ifdef __SSE2__
/* Sixteen bytes at p that go on well-formed UTF-8 made of ASCII and
 * three-byte sequences (lead bytes other than E0 and ED, which may start
 * overlongs and surrogates), given *owed: the continuation bytes the block
 * before left open (bit 0: byte 0 of this block, bit 1: byte 1).  From the
 * top bits of each byte: continuation bytes 10xxxxxx must be exactly the two
 * after each lead 1110xxxx; any other lead (110xxxxx, 11110xxx ...) fails.
 * On success *owed is updated for the next block; on failure it is left as
 * it was, and the caller goes on with the scalar checks. */
static inline bool block16_ok(const unsigned char *p, unsigned *owed)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    unsigned hi = (unsigned)_mm_movemask_epi8(v);
    if (hi == 0)
        return *owed == 0;
    unsigned b6 = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(v, 1));
    unsigned b5 = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(v, 2));
    unsigned b4 = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(v, 3));
    unsigned cont = hi & ~b6;
    unsigned lead3 = hi & b6 & b5 & ~b4;
    unsigned other = hi & b6 & ~lead3;
    unsigned e0ed = (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED))));
    unsigned want = ((lead3 << 1) | (lead3 << 2) | *owed) & 0xFFFFu;
    if (other | e0ed | (cont ^ want))
        return false;
    *owed = ((lead3 >> 15) | (lead3 >> 14)) & 3u;
    return true;
}

/* The test of block16_ok() over 64 bytes at once, with the masks of four
 * blocks joined into 64-bit words (the per-block work is then mostly vector
 * compares).  Signed bytes: continuation bytes 80..BF are below -64, the
 * accepted lead bytes E1..EF lie between -32 and -16, ED (-19) excluded. */
static inline uint64_t mask16(__m128i v)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(v);
}

static inline bool chunk64_ok(const unsigned char *p, unsigned *owed)
{
    __m128i v[4];
    uint64_t hi = 0;
    for (int j = 0; j < 4; j++) {
        v[j] = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * j));
        hi |= mask16(v[j]) << (16 * j);
    }
    if (hi == 0)
        return *owed == 0;
    uint64_t cont = 0, lead = 0;
    for (int j = 0; j < 4; j++) {
        __m128i c = _mm_cmplt_epi8(v[j], _mm_set1_epi8(-64));
        __m128i l = _mm_and_si128(_mm_cmpgt_epi8(v[j], _mm_set1_epi8(-32)),
                                  _mm_cmplt_epi8(v[j], _mm_set1_epi8(-16)));
        l = _mm_andnot_si128(_mm_cmpeq_epi8(v[j], _mm_set1_epi8((char)0xED)), l);
        cont |= mask16(c) << (16 * j);
        lead |= mask16(l) << (16 * j);
    }
    uint64_t want = (lead << 1) | (lead << 2) | *owed;
    if ((hi & ~cont & ~lead) | (cont ^ want))
        return false;
    *owed = (unsigned)(((lead >> 63) | (lead >> 62)) & 3u);
    return true;
}

/* How far back the character cut by a block boundary starts, from what the
 * block before left owed: its lead is the last byte (two bytes owed) or the
 * one before (one byte owed). */
static inline size_t owed_back(unsigned owed)
{
    return owed == 3 ? 1 : owed == 1 ? 2 : 0;
}
#endif

size_t utf8_seq_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF)
        return 3;
    if (c >= 0xF0 && c <= 0xF4)
        return 4;
    return 1;
}

uint32_t utf8_next_any(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = len - *i;
    unsigned char c = p[0];
    if (c < 0x80) {
        *i += 1;
        return c;
    }
    /* The common case of Chinese text, decided in one step: a three-byte
     * sequence with both continuation bytes (the general path below gives
     * the same answer, more slowly). */
    if (c >= 0xE0 && c <= 0xEF && left >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        uint32_t cp3 = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
                       (uint32_t)(p[2] & 0x3F);
        if (cp3 >= 0x800 && (cp3 < 0xD800 || cp3 > 0xDFFF)) {
            *i += 3;
            return cp3;
        }
        *i += 1;
        return UTF8_REPLACEMENT;
    }
    size_t n = utf8_seq_len(c);
    if (n == 1 || n > left) {
        *i += 1;
        return UTF8_REPLACEMENT;
    }
    uint32_t cp = c & (0x7F >> n);
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            *i += 1;
            return UTF8_REPLACEMENT;
        }
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    /* Overlong three/four-byte forms, surrogates, beyond U+10FFFF. */
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        *i += 1;
        return UTF8_REPLACEMENT;
    }
    *i += n;
    return cp;
}

uint32_t utf8_prev_any(const char *s, size_t i, size_t *start)
{
    size_t j = i;
    size_t back = 0;
    do {
        j--;
        back++;
    } while (j > 0 && back < 4 && ((unsigned char)s[j] & 0xC0) == 0x80);
    size_t k = j;
    uint32_t cp = utf8_next(s, i, &k);
    if (k != i) {
        /* Not one well-formed sequence: step back a single byte. */
        j = i - 1;
        k = j;
        cp = utf8_next(s, i, &k);
    }
    if (start)
        *start = j;
    return cp;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = UTF8_REPLACEMENT;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t utf8_count(const char *s, size_t n)
{
    /* Every byte that is not a continuation byte (10xxxxxx) starts one;
     * continuation bytes counted eight at a time. */
    size_t cont = 0, i = 0;
    const uint64_t ones = 0x0101010101010101u;
    const unsigned char *u = (const unsigned char *)s;
#ifdef __SSE2__
    /* Sixteen bytes at a time: continuation bytes are the signed bytes
     * below -64 (0x80..0xBF); their compare masks (-1 each) are subtracted
     * bytewise over at most 252 blocks, then summed across by psadbw.  The
     * last n % 16 bytes are the top lanes of the sixteen that end the text,
     * the lanes already counted masked out: no loop over the rest, and one
     * loop whose end is the only branch taken differently from call to
     * call (most calls count a few hundred bytes: a block of the index). */
    if (n >= 16) {
        const __m128i c0 = _mm_set1_epi8(-64), zero = _mm_setzero_si128();
        const __m128i lane = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        while (i < n) {
            size_t blocks = (n - i) / 16 < 252 ? (n - i) / 16 : 252;
            __m128i acc = zero;
            for (size_t k = 0; k < blocks; k++, i += 16)
                acc = _mm_sub_epi8(
                    acc, _mm_cmplt_epi8(_mm_loadu_si128((const __m128i *)(const void *)(u + i)), c0));
            if (n - i < 16 && i < n) {
                /* Lanes 16 - r .. 15 of the last sixteen bytes are bytes
                 * i .. n - 1 (r = n - i, 1..15). */
                __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + n - 16));
                __m128i fresh = _mm_cmpgt_epi8(lane, _mm_set1_epi8((char)(15 - (n - i))));
                acc = _mm_sub_epi8(acc, _mm_and_si128(_mm_cmplt_epi8(v, c0), fresh));
                i = n;
            }
            __m128i sums = _mm_sad_epu8(acc, zero);
            cont += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
        }
        return n - cont;
    }
#endif
    while (n - i >= 8) {
        /* Per-byte flags (bit 7 set, bit 6 clear) summed bytewise over at
         * most 255 words, then added across the word once. */
        size_t words = (n - i) / 8 < 255 ? (n - i) / 8 : 255;
        uint64_t acc = 0;
        for (size_t w = 0; w < words; w++, i += 8) {
            uint64_t x = load64(u + i);
            acc += (x >> 7) & ~(x >> 6) & ones;
        }
        uint64_t pairs = (acc & 0x00FF00FF00FF00FFu) + ((acc >> 8) & 0x00FF00FF00FF00FFu);
        cont += (size_t)((pairs * 0x0001000100010001u) >> 48);
    }
#if PAIR3_FAST
    /* The last n - i (< 8) bytes as the top of the word that ends the text
     * (little-endian), the bytes already counted shifted out. */
    if (i < n && n >= 8) {
        uint64_t x = load64(u + n - 8) >> (8 * (8 - (n - i)));
        uint64_t y = (x >> 7) & ~(x >> 6) & ones;
        return n - cont - (size_t)((y * ones) >> 56);
    }
#endif
    for (; i < n; i++)
        cont += ((unsigned char)s[i] & 0xC0) == 0x80;
    return n - cont;
}

/* utf8_valid() from byte i (at the start of a character) to at least byte
 * `until` (or the end): the scalar checks.  Returns where it stopped, at the
 * start of a character, or SIZE_MAX at an invalid sequence. */
static size_t valid_scalar(const unsigned char *u, size_t n, size_t i, size_t until)
{
    while (i < n && i < until) {
        unsigned char c = u[i];
        if (c < 0x80) {
            /* ASCII: eight bytes at a time, then byte by byte. */
            while (n - i >= 8 && (load64(u + i) & HIGH_BITS) == 0)
                i += 8;
#if PAIR3_FAST
            /* The run ends in the word read next: at its lowest byte with
             * the top bit set (the first in the text, little-endian), the
             * byte the loop below stops at, without a step per byte. */
            if (n - i >= 8) {
                i += (size_t)__builtin_ctzll(load64(u + i) & HIGH_BITS) / 8;
                continue;
            }
#endif
            while (i < n && u[i] < 0x80)
                i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF && n - i >= 2 && (u[i + 1] & 0xC0) == 0x80) {
            /* A two-byte sequence (pinyin's tone marks): well-formed with
             * any such lead, as utf8_next() decodes it (two bytes). */
            i += 2;
            continue;
        }
#if PAIR3_FAST
        /* Runs of three-byte sequences (Chinese text), two per word. */
        while (n - i >= 8 && pair3_ok(load64(u + i)))
            i += 6;
        if (i == n || u[i] < 0x80)
            continue;
#endif
        if (n - i >= 3 && seq3_ok(u + i)) {
            i += 3;
            continue;
        }
        /* Anything else: the general decoder decides. */
        size_t before = i;
        uint32_t cp = utf8_next((const char *)u, n, &i);
        if (cp == UTF8_REPLACEMENT && i - before == 1 && u[before] >= 0x80)
            return SIZE_MAX;
    }
    return i;
}

bool text_avx2_wanted(void)
{
#if EDX_AVX2_DISPATCH
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2"))
        return false;
    const char *no = getenv("EDUEXTRACT_NO_AVX2");
    return !(no && strcmp(no, "1") == 0);
#else
    return false;
#endif
}

bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
#ifdef __SSE2__
    /* Sixteen bytes at a time while they are ASCII and three-byte
     * sequences; a block with anything else is checked by the scalar path
     * from the start of its first character. */
    unsigned owed = 0;
    while (n - i >= 64) {
        if (chunk64_ok(u + i, &owed)) {
            i += 64;
            continue;
        }
        size_t until = i + 64;
        i = valid_scalar(u, n, i - owed_back(owed), until);
        if (i == SIZE_MAX)
            return false;
        owed = 0;
    }
    while (n - i >= 16) {
        if (block16_ok(u + i, &owed)) {
            i += 16;
            continue;
        }
        size_t until = i + 16;
        i = valid_scalar(u, n, i - owed_back(owed), until);
        if (i == SIZE_MAX)
            return false;
        owed = 0;
    }
    i -= owed_back(owed);
#endif
    return valid_scalar(u, n, i, n) != SIZE_MAX;
}

#ifdef __SSE2__
/* chunk64_ok() that also adds, on success, each byte lane's count of
 * continuation bytes (10xxxxxx) in the 64 bytes to *acc (its bytes are
 * counters: 16 chunks at most before they are summed). */
static inline bool chunk64_ok_count(const unsigned char *p, unsigned *owed, __m128i *acc)
{
    __m128i v[4];
    uint64_t hi = 0;
    for (int j = 0; j < 4; j++) {
        v[j] = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * j));
        hi |= mask16(v[j]) << (16 * j);
    }
    if (hi == 0)
        return *owed == 0;
    uint64_t cont = 0, lead = 0;
    __m128i sum = _mm_setzero_si128();
    for (int j = 0; j < 4; j++) {
        __m128i c = _mm_cmplt_epi8(v[j], _mm_set1_epi8(-64));
        __m128i l = _mm_and_si128(_mm_cmpgt_epi8(v[j], _mm_set1_epi8(-32)),
                                  _mm_cmplt_epi8(v[j], _mm_set1_epi8(-16)));
        l = _mm_andnot_si128(_mm_cmpeq_epi8(v[j], _mm_set1_epi8((char)0xED)), l);
        cont |= mask16(c) << (16 * j);
        lead |= mask16(l) << (16 * j);
        sum = _mm_sub_epi8(sum, c);
    }
    uint64_t want = (lead << 1) | (lead << 2) | *owed;
    if ((hi & ~cont & ~lead) | (cont ^ want))
        return false;
    *owed = (unsigned)(((lead >> 63) | (lead >> 62)) & 3u);
    *acc = _mm_add_epi8(*acc, sum);
    return true;
}
#endif

/* utf8_valid()'s checks from i (a character start, but for the bytes
 * *owed, as the vector test leaves them) to at least e, as utf8_valid()
 * makes them: the vector test where it passes, the scalar path from the
 * start of the character a failing chunk cut.  Returns where it stopped,
 * with *owed (both as for the next block), or SIZE_MAX at an invalid
 * sequence.  At the end of the text nothing is left owed. */
static size_t valid_upto(const unsigned char *u, size_t n, size_t i, size_t e, unsigned *owed)
{
#ifdef __SSE2__
    while (i < e) {
        size_t step = e - i >= 64 ? 64 : e - i >= 16 ? 16 : 0;
        if (step == 0)
            break;
        if (step == 64 ? chunk64_ok(u + i, owed) : block16_ok(u + i, owed)) {
            i += step;
            continue;
        }
        i = valid_scalar(u, n, i - owed_back(*owed), i + step);
        if (i == SIZE_MAX)
            return SIZE_MAX;
        *owed = 0;
    }
    if (i < e || i == n) {
        i = valid_scalar(u, n, i - owed_back(*owed), e);
        *owed = 0;
    }
    return i;
#else
    (void)owed;
    return valid_scalar(u, n, i, e);
#endif
}

/* Set ix up for s[0, n): its blocks' counts allocated (or placed in
 * ix->room when it has room for them), to be filled: every count is
 * written before it is read, so what the room held does not matter.
 * False (ix empty) when memory ran out: the caller then only checks the
 * text. */
static bool index_start(cp_index *ix, const char *s, size_t n)
{
    ix->text = s;
    ix->len = n;
    ix->nblocks = n / CP_INDEX_BLOCK + 1;
    ix->cps = ix->room && ix->roomblocks >= ix->nblocks ? ix->room
                                                        : malloc(ix->nblocks * sizeof *ix->cps);
    if (!ix->cps)
        ix->nblocks = 0;
    return ix->cps != NULL;
}

#if EDX_AVX2_DISPATCH
/* utf8_valid_index()'s vector test, 64 bytes in two 32-byte halves: true
 * when every byte with its high bit set is either a continuation byte
 * (10xxxxxx) or the lead of a three-byte sequence that can be neither
 * overlong nor a surrogate (E1..EC, EE, EF), and the continuation bytes
 * are exactly the two after each such lead, plus the bytes *owed (bit j:
 * byte j continues a lead of the chunk before).  Such bytes are well-formed
 * UTF-8 but for a lead in the last two bytes, whose continuation bytes are
 * owed to the next chunk (*owed set for it).  On success each byte lane of
 * *acc loses one per continuation byte of its lanes (their -1 masks); on
 * failure *owed and *acc are left as they were.  (Passing two-byte
 * characters too cost more in the test than the few blocks that hold them
 * cost the fallback: 1 000 bench files, +1.0 M against -0.9 M.) */
__attribute__((target("avx2"))) static inline bool chunk64_avx2(const unsigned char *p,
                                                                unsigned *owed, __m256i *acc)
{
    __m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    uint64_t hi = (uint64_t)(uint32_t)_mm256_movemask_epi8(v0) |
                  (uint64_t)(uint32_t)_mm256_movemask_epi8(v1) << 32;
    if (hi == 0)
        return *owed == 0;
    const __m256i c0 = _mm256_set1_epi8(-64), e0 = _mm256_set1_epi8(-32);
    const __m256i f0 = _mm256_set1_epi8(-16), ed = _mm256_set1_epi8((char)0xED);
    /* Signed bytes: continuation bytes are below -64 (0xC0), the leads
     * E1..EF above -32 (0xE0) and below -16 (0xF0), ED taken out. */
    __m256i k0 = _mm256_cmpgt_epi8(c0, v0), k1 = _mm256_cmpgt_epi8(c0, v1);
    __m256i l0 = _mm256_andnot_si256(
        _mm256_cmpeq_epi8(v0, ed), _mm256_and_si256(_mm256_cmpgt_epi8(v0, e0), _mm256_cmpgt_epi8(f0, v0)));
    __m256i l1 = _mm256_andnot_si256(
        _mm256_cmpeq_epi8(v1, ed), _mm256_and_si256(_mm256_cmpgt_epi8(v1, e0), _mm256_cmpgt_epi8(f0, v1)));
    uint64_t cont = (uint64_t)(uint32_t)_mm256_movemask_epi8(k0) |
                    (uint64_t)(uint32_t)_mm256_movemask_epi8(k1) << 32;
    uint64_t lead = (uint64_t)(uint32_t)_mm256_movemask_epi8(l0) |
                    (uint64_t)(uint32_t)_mm256_movemask_epi8(l1) << 32;
    uint64_t want = (lead << 1) | (lead << 2) | *owed;
    if ((hi & ~cont & ~lead) | (cont ^ want))
        return false;
    /* A lead in byte 63 owes the next chunk's bytes 0 and 1, in byte 62
     * its byte 0. */
    *owed = (unsigned)(((lead >> 63) | (lead >> 62)) & 3u);
    *acc = _mm256_add_epi8(*acc, _mm256_add_epi8(k0, k1));
    return true;
}

/* Where the character that owes bytes at u[i] starts (i itself when it
 * owes none): its lead, one or two bytes back, with only continuation
 * bytes after it (chunk64_avx2() passed them). */
static inline size_t owing_lead(const unsigned char *u, size_t i, unsigned owed)
{
    if (!owed)
        return i;
    size_t x = i - 1;
    while ((u[x] & 0xC0) == 0x80)
        x--;
    return x;
}

/* utf8_valid_index() with AVX2: the same answer and the same index (code
 * points before each CP_INDEX_BLOCK bytes, counted as the bytes that are not
 * continuation bytes, as utf8_count() counts them).  A whole block that
 * passes chunk64_avx2() four times in a row is valid as far as its owed
 * bytes and counted from the masks; in any other block, the chunks that
 * pass from its start (the last block's too) are checked, and the rest by
 * utf8_valid() from the start of the character it was reached in (the
 * lead of its owed bytes, or where the last check stopped) to the first
 * byte at or after the block's end that is not a continuation byte (or the
 * end of the text); the block is counted by utf8_count().  Both ends of
 * such a piece lie where a character starts in well-formed text, and a sequence
 * cut by a piece's end is cut in the whole text too (the byte after it
 * continues nothing), so the text is valid exactly when every piece and
 * every vector-checked chunk is; the last block is never whole (there are
 * len / CP_INDEX_BLOCK + 1 blocks), so what a final lead owes is checked
 * there. */
__attribute__((target("avx2"))) static bool valid_index_avx2(const char *s, size_t n,
                                                             cp_index *ix)
{
    const unsigned char *u = (const unsigned char *)s;
    if (!index_start(ix, s, n))
        return utf8_valid(s, n);
    size_t i = 0, count = 0; /* checked up to i, a character start, but for
                              * the bytes `owed` from there */
    unsigned owed = 0;
    for (size_t k = 0; k < ix->nblocks; k++) {
        size_t b = k * CP_INDEX_BLOCK, e = b + CP_INDEX_BLOCK < n ? b + CP_INDEX_BLOCK : n;
        ix->cps[k] = count;
        if (i >= b && i - b <= 3) {
            /* A check that ran up to three bytes into this block stopped
             * after a character: those bytes are its continuation bytes,
             * owed as the vector test sees them (owed is 0 then). */
            unsigned ow = i > b ? (1u << (i - b)) - 1 : owed;
            __m256i acc = _mm256_setzero_si256();
            size_t c = b;
            while (e - c >= 64 && chunk64_avx2(u + c, &ow, &acc))
                c += 64;
            if (c == e && e - b == CP_INDEX_BLOCK) {
                __m256i sums = _mm256_sad_epu8(_mm256_sub_epi8(_mm256_setzero_si256(), acc),
                                               _mm256_setzero_si256());
                size_t cont = (size_t)_mm256_extract_epi64(sums, 0) +
                              (size_t)_mm256_extract_epi64(sums, 1) +
                              (size_t)_mm256_extract_epi64(sums, 2) +
                              (size_t)_mm256_extract_epi64(sums, 3);
                count += CP_INDEX_BLOCK - cont;
                i = e;
                owed = ow;
                continue;
            }
            if (c > b) {
                i = c;
                owed = ow;
            }
        }
        size_t x = owing_lead(u, i, owed), y = e;
        while (y < n && (u[y] & 0xC0) == 0x80)
            y++;
        if (y > x && !utf8_valid(s + x, y - x)) {
            cp_index_free(ix);
            return false;
        }
        if (y > i)
            i = y;
        owed = 0;
        count += utf8_count(s + b, e - b);
    }
    return true;
}
#endif

bool utf8_valid_index(const char *s, size_t n, cp_index *ix, bool avx2)
{
    /* One walk over the blocks of the index: a whole block of ASCII and
     * three-byte sequences is checked and counted by the vector test of
     * utf8_valid() (its code points: the bytes that are not continuation
     * bytes, as utf8_count() counts them); any other block is checked as
     * utf8_valid() checks it (valid_upto(), possibly past the block) and
     * counted by utf8_count().
     * The answer is utf8_valid()'s, the index cp_index_build()'s. */
#if EDX_AVX2_DISPATCH
    if (avx2)
        return valid_index_avx2(s, n, ix);
#else
    (void)avx2;
#endif
    const unsigned char *u = (const unsigned char *)s;
    if (!index_start(ix, s, n))
        return utf8_valid(s, n);
    size_t i = 0, count = 0;  /* checked up to i (a character start, but
                               * for the bytes `owed`) */
    unsigned owed = 0;
    for (size_t k = 0; k < ix->nblocks; k++) {
        size_t b = k * CP_INDEX_BLOCK, e = b + CP_INDEX_BLOCK < n ? b + CP_INDEX_BLOCK : n;
        ix->cps[k] = count;
#ifdef __SSE2__
        bool vec = e - b == CP_INDEX_BLOCK && i >= b && i - b <= 2;
        if (vec && i > b) {
            /* The scalar path checked a character that runs one or two
             * bytes into this block: a three-byte one (its lead three
             * bytes before i) is the vector test's owed bytes; anything
             * else leaves the block to the scalar path. */
            vec = u[i - 3] >= 0xE0 && u[i - 3] <= 0xEF;
            if (vec) {
                owed = i - b == 2 ? 3u : 1u;
                i = b;
            }
        }
        if (vec) {
            __m128i acc = _mm_setzero_si128();
            while (i < e && chunk64_ok_count(u + i, &owed, &acc))
                i += 64;
            if (i == e) {
                __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
                size_t cont = (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
                count += CP_INDEX_BLOCK - cont;
                continue;
            }
        }
#endif
        if (i < e || i == n) {
            i = valid_upto(u, n, i, e, &owed);
            if (i == SIZE_MAX) {
                cp_index_free(ix);
                return false;
            }
        }
        count += utf8_count(s + b, e - b);
    }
    return true;
}

/* ----- offset map ----- */

void text_map_init(text_map *m)
{
    memset(m, 0, sizeof *m);
}

void text_map_free(text_map *m)
{
    free(m->derived); /* the block that holds orig and same too */
    free(m->diff);
    free(m->spare);
    text_map_init(m);
}

void text_map_reset(text_map *m)
{
    m->n = 0;
    m->wellformed = false;
    m->same = NULL;
    m->ndiff = 0;
    m->diff_len = 0;
    m->diff_known = false;
}

size_t text_map_kept_bytes(const text_map *m)
{
    return m->bytes + m->capdiff * sizeof *m->diff + m->spare_bytes;
}

void text_map_init_from_spare(text_map *m, text_map *src)
{
    text_map_init(m);
    if (!src->spare)
        return;
    /* The layout text_map_add() makes: derived[0..cap), then orig.  What
     * the block held is not read: every checkpoint is written first. */
    m->derived = src->spare;
    m->bytes = src->spare_bytes;
    m->cap = m->bytes / (2 * sizeof *m->derived);
    m->orig = m->derived + m->cap;
    src->spare = NULL;
    src->spare_bytes = 0;
}

void text_map_replace(text_map *old, text_map *m)
{
    free(m->spare);
    m->spare = old->derived;
    m->spare_bytes = old->bytes;
    old->derived = NULL;
    old->bytes = 0;
    text_map_free(old);
    *old = *m;
}

void text_map_diff_start(text_map *m)
{
    m->ndiff = 0;
    m->diff_len = 0;
    m->diff_known = true;
}

bool text_map_diff_grow(text_map *m)
{
    if (!m->diff_known)
        return false;
    size_t cap = m->capdiff ? m->capdiff * 2 : 64;
    size_t *q = realloc(m->diff, cap * sizeof *q);
    if (!q) {
        m->diff_known = false;
        return false;
    }
    m->diff = q;
    m->capdiff = cap;
    return true;
}

bool text_map_add(text_map *m, size_t derived, size_t orig)
{
    m->wellformed = false;
    m->same = NULL; /* (in the block, which stays) */
    if (m->n && m->derived[m->n - 1] == derived) {
        m->orig[m->n - 1] = orig;
        return true;
    }
    if (m->n == m->cap) {
        /* A new block, twice the size, the two arrays copied into it: one
         * allocation where two reallocs were. */
        size_t cap = m->cap ? m->cap * 2 : 64;
        size_t *blk = malloc(2 * cap * sizeof *blk);
        if (!blk)
            return false;
        if (m->n) {
            memcpy(blk, m->derived, m->n * sizeof *blk);
            memcpy(blk + cap, m->orig, m->n * sizeof *blk);
        }
        free(m->derived);
        m->derived = blk;
        m->orig = blk + cap;
        m->cap = cap;
        m->bytes = 2 * cap * sizeof *blk;
    }
    m->derived[m->n] = derived;
    m->orig[m->n] = orig;
    m->n++;
    return true;
}

/* How far the two texts a[0..n) and b[0..n) hold the same characters, each
 * either ASCII or a well-formed three-byte sequence lying wholly inside the
 * n bytes.  The walk of text_map_lookup (utf8_next() in both texts, one
 * character at a time) crosses such a stretch in exactly this many bytes on
 * both sides: every character in it decodes the same way in both texts and
 * is as long as its lead byte says.  Stops at the first character that
 * differs, is of another kind, or does not fit. */
static size_t same_chars(const unsigned char *a, const unsigned char *b, size_t n)
{
    size_t k = 0;
#ifdef __SSE2__
    /* Sixteen equal bytes at a time while they are ASCII and three-byte
     * sequences; then back to the start of the character the last block
     * cut, and on with the checks below. */
    unsigned owed = 0;
    while (n - k >= 64) {
        int same = 0xFFFF;
        for (int j = 0; j < 4; j++)
            same &= _mm_movemask_epi8(
                _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(a + k + 16 * j)),
                               _mm_loadu_si128((const __m128i *)(const void *)(b + k + 16 * j))));
        if (same != 0xFFFF || !chunk64_ok(a + k, &owed))
            break;
        k += 64;
    }
    while (n - k >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(a + k));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(b + k));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) != 0xFFFF || !block16_ok(a + k, &owed))
            break;
        k += 16;
    }
    k -= owed_back(owed);
#endif
    while (k < n) {
        if (a[k] < 0x80) {
            while (n - k >= 8) {
                uint64_t x = load64(a + k);
                if (x != load64(b + k) || (x & HIGH_BITS))
                    break;
                k += 8;
            }
            while (k < n && a[k] < 0x80 && a[k] == b[k])
                k++;
            if (k < n && a[k] < 0x80)
                return k;  /* an ASCII character that differs */
            continue;
        }
#if PAIR3_FAST
        while (n - k >= 8) {
            uint64_t x = load64(a + k);
            if (((x ^ load64(b + k)) & 0x0000FFFFFFFFFFFFu) || !pair3_ok(x))
                break;
            k += 6;
        }
        if (k == n || a[k] < 0x80)
            continue;
#endif
        if (n - k >= 3 && a[k] == b[k] && a[k + 1] == b[k + 1] && a[k + 2] == b[k + 2] &&
            seq3_ok(a + k)) {
            k += 3;
            continue;
        }
        return k;
    }
    return k;
}

/* same_chars() when b is known to be well-formed UTF-8 from a character
 * start on, with b_left >= n bytes of it from b: the equal bytes of the two
 * texts, cut back to the last character start of b (or b's end) at or
 * before the first byte that differs.  They are whole well-formed
 * characters of b, and the very same bytes in a, so utf8_next() decodes
 * each of them alike in both texts, as long as its lead byte says, wherever
 * it lies in the n bytes: the walk of text_map_lookup crosses them in step,
 * as it crosses a stretch same_chars() measures.  No character has to be
 * checked, so this is a plain byte compare (about ten times cheaper per
 * byte); it may reach further than same_chars() (two- and four-byte
 * characters, E0 and ED leads), which only moves the end of a shared
 * stretch further along the same walk. */
static size_t same_valid(const unsigned char *a, const unsigned char *b, size_t n,
                         size_t b_left)
{
    if (b_left > 0 && (b[0] & 0xC0) == 0x80)
        return same_chars(a, b, n);  /* not at a character start of b */
    size_t k = 0;
#ifdef __SSE2__
    /* Sixteen bytes per compare, four compares per step, while all equal. */
    while (n - k >= 64) {
        __m128i e = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(a + k)),
                                   _mm_loadu_si128((const __m128i *)(const void *)(b + k)));
        for (int j = 1; j < 4; j++)
            e = _mm_and_si128(
                e, _mm_cmpeq_epi8(
                       _mm_loadu_si128((const __m128i *)(const void *)(a + k + 16 * j)),
                       _mm_loadu_si128((const __m128i *)(const void *)(b + k + 16 * j))));
        if (_mm_movemask_epi8(e) != 0xFFFF)
            break;
        k += 64;
    }
    while (n - k >= 16) {
        unsigned eq = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(a + k)),
                           _mm_loadu_si128((const __m128i *)(const void *)(b + k))));
        if (eq != 0xFFFF) {
#if PAIR3_FAST && defined(__GNUC__)
            /* Bit j of the mask is byte j: the first clear one differs. */
            k += (size_t)__builtin_ctz(~eq);
            goto differs;
#else
            break;
#endif
        }
        k += 16;
    }
#endif
    while (n - k >= 8) {
        uint64_t x = load64(a + k), y = load64(b + k);
        if (x != y) {
#if PAIR3_FAST && defined(__GNUC__)
            /* Little-endian: the first byte that differs is the lowest. */
            k += (size_t)__builtin_ctzll(x ^ y) / 8;
            goto differs;
#else
            break;
#endif
        }
        k += 8;
    }
    while (k < n && a[k] == b[k])
        k++;
#if PAIR3_FAST && defined(__GNUC__)
differs:
#endif
    while (k > 0 && k < b_left && (b[k] & 0xC0) == 0x80)
        k--;
    return k;
}

/* The walk of text_map_lookup from (*dpos, *opos) on to derived offset d:
 * one character at a time in both texts, until dpos reaches d or opos the
 * end of the original.  Stretches both texts share go in one step (see
 * same_chars()); every other step is utf8_next() on both sides. */
static void walk(const char *derived, size_t derived_len, const char *orig, size_t orig_len,
                 size_t *dpos_io, size_t *opos_io, size_t d)
{
    const unsigned char *ds = (const unsigned char *)derived;
    const unsigned char *os = (const unsigned char *)orig;
    size_t dpos = *dpos_io, opos = *opos_io;
    while (dpos < d && opos < orig_len) {
        size_t n = d - dpos < orig_len - opos ? d - dpos : orig_len - opos;
        size_t k = same_chars(ds + dpos, os + opos, n);
        dpos += k;
        opos += k;
        if (!(dpos < d && opos < orig_len))
            break;
        utf8_next(derived, derived_len, &dpos);
        utf8_next(orig, orig_len, &opos);
    }
    *dpos_io = dpos;
    *opos_io = opos;
}

/* The walk of text_map_lookup over a well-formed stretch from (*dpos, opos)
 * on to derived offset d: returns the original offset; *dpos is where the
 * walk stopped in the derived text. */
static inline size_t walk_wellformed(const char *derived, size_t derived_len,
                                     const char *orig, size_t orig_len, size_t *dpos_io,
                                     size_t opos, size_t d)
{
    const unsigned char *ds = (const unsigned char *)derived;
    const unsigned char *os = (const unsigned char *)orig;
    size_t dpos = *dpos_io;
    while (dpos < d && opos < orig_len) {
        /* Bytes the two texts share from here hold the same characters,
         * so the walk crosses them in step: skip up to the last character
         * boundary inside them. */
        size_t n = d - dpos < orig_len - opos ? d - dpos : orig_len - opos;
        size_t k = 0;
        while (k + 8 <= n) {
            uint64_t x = load64(ds + dpos + k), y = load64(os + opos + k);
            if (x != y) {
#if PAIR3_FAST && defined(__GNUC__)
                /* Little-endian: the first byte that differs is the lowest. */
                k += (size_t)__builtin_ctzll(x ^ y) / 8;
                goto differs;
#else
                break;
#endif
            }
            k += 8;
        }
#if PAIR3_FAST && defined(__GNUC__)
        /* Fewer than eight bytes left to compare: one word from each text
         * when both have eight bytes there, counting only the first n - k. */
        if (k < n && derived_len - (dpos + k) >= 8 && orig_len - (opos + k) >= 8) {
            uint64_t x = load64(ds + dpos + k), y = load64(os + opos + k);
            size_t same = x == y ? 8 : (size_t)__builtin_ctzll(x ^ y) / 8;
            k += same < n - k ? same : n - k;
        }
#endif
        while (k < n && ds[dpos + k] == os[opos + k])
            k++;
#if PAIR3_FAST && defined(__GNUC__)
    differs:
#endif
        while (k > 0 && dpos + k < derived_len && (ds[dpos + k] & 0xC0) == 0x80)
            k--;
        dpos += k;
        opos += k;
        if (!(dpos < d && opos < orig_len))
            break;
        dpos += ds[dpos] < 0x80 ? 1 : utf8_seq_len(ds[dpos]);
        opos += os[opos] < 0x80 ? 1 : utf8_seq_len(os[opos]);
    }
    *dpos_io = dpos;
    return opos;
}

/* same_valid(a, b, n, b_left) where a is the derived text from derived
 * offset `at` on, for a map whose list of the characters that may differ
 * is known (text_map.diff; *next: the first entry not yet passed): the
 * bytes before the first listed character from `at` on are the same in
 * both texts (the walk crosses them in step), so only the listed
 * characters in the n bytes are compared.  The first that differs gives
 * the first byte that differs (else it is the end of the n bytes), cut
 * back as same_valid() cuts it; one that is the same bytes in both texts
 * (up to the end of the n bytes) is passed over as same_valid() passes
 * it. */
static size_t same_listed(const unsigned char *a, const unsigned char *b, size_t n,
                          size_t b_left, const text_map *m, size_t at, size_t *next)
{
    if (b_left > 0 && (b[0] & 0xC0) == 0x80)
        return same_chars(a, b, n);  /* as same_valid() */
    size_t c = *next;
    while (c < m->ndiff && m->diff[c] < at)
        c++;
    *next = c;
    size_t k = n;
    for (; c < m->ndiff && m->diff[c] - at < n; c++) {
        size_t x = m->diff[c] - at;   /* bytes [0, x) are the same */
        size_t e = x + (a[x] < 0x80 ? 1 : utf8_seq_len(a[x]));
        if (e > n)
            e = n;
        while (x < e && a[x] == b[x])
            x++;
        if (x < e) {
            k = x;   /* the first byte that differs */
            break;
        }
    }
    while (k > 0 && k < b_left && (b[k] & 0xC0) == 0x80)
        k--;
    return k;
}

/* text_map_densify(); orig_valid: the original is known to be well-formed
 * UTF-8 (shared stretches are then measured by same_valid(), or from the
 * map's list of the characters that may differ where it has one). */
static bool densify(text_map *m, const char *derived, size_t derived_len, const char *orig,
                    size_t orig_len, size_t every, bool orig_valid)
{
    if (m->n == 0 || every == 0)
        return true;
    /* extra: checkpoints at the start of a shared stretch after a
     * character that differs (see below), within a budget of their own. */
    size_t extra = derived_len / 16;
    size_t cap = m->n + derived_len / every + 1 + extra;
    /* The three arrays in one block, as text_map_add() keeps the two: the
     * spare one when it is large enough (what it held is not read: every
     * entry is written before it is). */
    size_t need = cap * (2 * sizeof(size_t) + sizeof(uint32_t));
    size_t *nd = m->spare;
    size_t nd_bytes = m->spare_bytes;
    if (!nd || nd_bytes < need) {
        nd = malloc(need);
        nd_bytes = need;
    }
    if (!nd)
        return false;
    if (nd == m->spare) {
        m->spare = NULL;
        m->spare_bytes = 0;
    }
    size_t *no = nd + cap;
    uint32_t *ns = (uint32_t *)(void *)(no + cap);
    const unsigned char *ds = (const unsigned char *)derived;
    const unsigned char *os = (const unsigned char *)orig;
    size_t k = 0;
    bool wellformed = true;
    bool listed = orig_valid && m->diff_known && m->diff_len == derived_len;
    size_t next_diff = 0;
    for (size_t i = 0; i < m->n; i++) {
        size_t dpos = m->derived[i], opos = m->orig[i];
        /* open: the checkpoint at dpos whose shared stretch the next
         * same_chars() measures (none once past it). */
        size_t open = k;
        nd[k] = dpos;
        no[k] = opos;
        ns[k++] = 0;
        size_t limit = i + 1 < m->n ? m->derived[i + 1] : derived_len;
        size_t mark = dpos;
        /* The very walk text_map_lookup makes from checkpoint i (see
         * walk()), with a stop once `every` bytes past the last one: every
         * new checkpoint lies on that walk, so lookups give the same
         * answers.  Shared stretches are well-formed (same_chars()); the
         * other steps are checked one by one. */
        while (dpos < limit && opos < orig_len) {
            size_t n = limit - dpos < orig_len - opos ? limit - dpos : orig_len - opos;
            size_t s = listed ? same_listed(ds + dpos, os + opos, n, orig_len - opos, m, dpos,
                                            &next_diff)
                       : orig_valid ? same_valid(ds + dpos, os + opos, n, orig_len - opos)
                                    : same_chars(ds + dpos, os + opos, n);
            assert(!listed || s == same_valid(ds + dpos, os + opos, n, orig_len - opos));
            if (open != SIZE_MAX) {
                ns[open] = s < UINT32_MAX ? (uint32_t)s : UINT32_MAX;
                open = SIZE_MAX;
            } else if (s >= 8 && extra > 0 && dpos > nd[k - 1]) {
                /* The walk stepped over a character that differs and the
                 * texts agree again from here: a checkpoint here lets the
                 * lookups in this stretch skip the walk (m->same). */
                extra--;
                nd[k] = dpos;
                no[k] = opos;
                ns[k++] = s < UINT32_MAX ? (uint32_t)s : UINT32_MAX;
                mark = dpos;
            }
            /* The walk crosses the shared stretch [dpos, dpos + s) one
             * character at a time, at the same offsets in both texts: a
             * checkpoint goes at the first character start `every` bytes
             * past the last one. */
            for (;;) {
                size_t q = mark + every > dpos ? mark + every : dpos;
                while (q < dpos + s && (ds[q] & 0xC0) == 0x80)
                    q++;
                if (q >= dpos + s)
                    break;
                if (k < cap) {
                    /* The rest of the stretch is shared from q on too. */
                    size_t rest = dpos + s - q;
                    nd[k] = q;
                    no[k] = opos + (q - dpos);
                    ns[k++] = rest < UINT32_MAX ? (uint32_t)rest : UINT32_MAX;
                }
                mark = q;
            }
            dpos += s;
            opos += s;
            if (dpos < limit && opos < orig_len) {
                size_t d0 = dpos, o0 = opos;
                uint32_t dc = utf8_next(derived, derived_len, &dpos);
                uint32_t oc = 0;
                if (orig_valid && (os[o0] & 0xC0) != 0x80)
                    opos += utf8_seq_len(os[o0]);  /* a whole well-formed character */
                else
                    oc = utf8_next(orig, orig_len, &opos);
                if (wellformed &&
                    (dpos - d0 != utf8_seq_len(ds[d0]) || opos - o0 != utf8_seq_len(os[o0]) ||
                     (dc == UTF8_REPLACEMENT && dpos - d0 == 1) ||
                     (oc == UTF8_REPLACEMENT && opos - o0 == 1)))
                    wellformed = false;
            }
            if (dpos - mark >= every) {
                if (dpos < limit && k < cap) {
                    open = k;
                    nd[k] = dpos;
                    no[k] = opos;
                    ns[k++] = 0;
                }
                mark = dpos;
            }
        }
    }
    /* The old block becomes the spare (a spare too small for this text is
     * freed), and the list of differences is emptied, of no more use: both
     * are kept for the next text of a reused map (text_map_reset()). */
    free(m->spare);
    m->spare = m->derived;
    m->spare_bytes = m->bytes;
    m->ndiff = m->diff_len = 0;
    m->diff_known = false;
    m->derived = nd;
    m->bytes = nd_bytes;
    m->orig = no;
    m->same = ns;
    m->n = k;
    m->cap = cap;
    m->wellformed = wellformed;
    return true;
}

bool text_map_densify(text_map *m, const char *derived, size_t derived_len, const char *orig,
                      size_t orig_len, size_t every)
{
    return densify(m, derived, derived_len, orig, orig_len, every, false);
}

bool text_map_densify_valid(text_map *m, const char *derived, size_t derived_len,
                            const char *orig, size_t orig_len, size_t every)
{
    return densify(m, derived, derived_len, orig, orig_len, every, true);
}

/* The last checkpoint at or before derived offset d (m->n > 0), searching
 * only from index `from` on, whose checkpoint lies at or before d: checkpoints
 * ascend, so the answer is the same as a search over all of them.  Lookups
 * that ascend find theirs a few places on, so the search gallops forward
 * from `from` before it halves. */
static size_t checkpoint_from(const text_map *m, size_t from, size_t d)
{
    size_t lo = from, step = 1;
    while (lo + step < m->n && m->derived[lo + step] <= d) {
        lo += step;
        step *= 2;
    }
    size_t hi = lo + step < m->n ? lo + step : m->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->derived[mid] <= d)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The last checkpoint at or before derived offset d (m->n > 0). */
static size_t checkpoint_before(const text_map *m, size_t d)
{
    size_t lo = 0, hi = m->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->derived[mid] <= d)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* True when derived offset d lies in the stretch checkpoint lo shares with
 * the original (m->same) at a character start (or the end of the text): the
 * walk from lo crosses that stretch one whole character at a time, at the
 * same offsets in both texts, and stops right at d, so the answer is as far
 * past lo's original offset as d is past its derived one.  (Inside a
 * character the walk would go on to its end: left to the walk.) */
static inline bool in_shared(const text_map *m, size_t lo, const char *derived,
                             size_t derived_len, size_t d)
{
    return m->same && d >= m->derived[lo] && d - m->derived[lo] <= m->same[lo] &&
           (d == derived_len || ((unsigned char)derived[d] & 0xC0) != 0x80);
}

size_t text_map_lookup(const text_map *m, const char *derived, size_t derived_len,
                       const char *orig, size_t orig_len, size_t d)
{
    if (m->n == 0)
        return d < orig_len ? d : orig_len;
    size_t lo = checkpoint_before(m, d);
    size_t dpos = m->derived[lo], opos = m->orig[lo];
    if (in_shared(m, lo, derived, derived_len, d))
        return opos + (d - dpos);
    if (d < dpos)
        return opos;
    if (d > derived_len)
        d = derived_len;
    /* Over a map densify found well-formed, a character is as long as its
     * lead byte says (walk_wellformed()); else the checked walk. */
    if (m->wellformed)
        return walk_wellformed(derived, derived_len, orig, orig_len, &dpos, opos, d);
    walk(derived, derived_len, orig, orig_len, &dpos, &opos, d);
    return opos;
}

size_t text_map_lookup_at(const text_map *m, text_map_cursor *cur, const char *derived,
                          size_t derived_len, const char *orig, size_t orig_len, size_t d)
{
    /* The common case of ascending lookups: d at or after the cursor and
     * before the next checkpoint, over a well-formed map.  The general path
     * below would find the cursor's checkpoint and walk on from the cursor
     * just so. */
    if (cur->set && m->wellformed && cur->cp < m->n && d >= cur->dpos && d <= derived_len &&
        m->derived[cur->cp] <= d && (cur->cp + 1 == m->n || m->derived[cur->cp + 1] > d)) {
        if (in_shared(m, cur->cp, derived, derived_len, d)) {
            /* No walk at all (see in_shared()): the cursor moves to d. */
            cur->opos = m->orig[cur->cp] + (d - m->derived[cur->cp]);
            cur->dpos = d;
            return cur->opos;
        }
        size_t dpos = cur->dpos;
        cur->opos = walk_wellformed(derived, derived_len, orig, orig_len, &dpos, cur->opos, d);
        cur->dpos = dpos;
        return cur->opos;
    }
    if (m->n == 0)
        return text_map_lookup(m, derived, derived_len, orig, orig_len, d);
    size_t lo = cur->set && cur->cp < m->n && m->derived[cur->cp] <= d
                    ? checkpoint_from(m, cur->cp, d)
                    : checkpoint_before(m, d);
    size_t dpos = m->derived[lo], opos = m->orig[lo];
    if (in_shared(m, lo, derived, derived_len, d)) {
        /* (d, the answer) lies on the walk from lo: a cursor there. */
        opos += d - dpos;
        *cur = (text_map_cursor){true, lo, d, opos};
        return opos;
    }
    if (d < dpos)
        return opos;
    if (d > derived_len)
        d = derived_len;
    /* The walk from checkpoint lo passed the cursor: go on from there. */
    if (cur->set && cur->cp == lo && cur->dpos <= d) {
        dpos = cur->dpos;
        opos = cur->opos;
    }
    if (m->wellformed)
        opos = walk_wellformed(derived, derived_len, orig, orig_len, &dpos, opos, d);
    else
        walk(derived, derived_len, orig, orig_len, &dpos, &opos, d);
    *cur = (text_map_cursor){true, lo, dpos, opos};
    return opos;
}

/* ----- code point index ----- */

bool cp_index_build(cp_index *ix, const char *text, size_t len)
{
    ix->room = NULL;
    ix->roomblocks = 0;
    if (!index_start(ix, text, len))
        return false;
    size_t count = 0;
    for (size_t k = 0; k < ix->nblocks; k++) {
        ix->cps[k] = count;
        size_t end = (k + 1) * CP_INDEX_BLOCK;
        if (end > len)
            end = len;
        count += utf8_count(text + k * CP_INDEX_BLOCK, end - k * CP_INDEX_BLOCK);
    }
    return true;
}

void cp_index_free(cp_index *ix)
{
    if (ix->cps != ix->room)
        free(ix->cps);
    ix->cps = NULL;
    ix->nblocks = 0;
}

size_t cp_index_of(const cp_index *ix, size_t b)
{
    if (b > ix->len)
        b = ix->len;
    size_t k = b / CP_INDEX_BLOCK;
    return ix->cps[k] + utf8_count(ix->text + k * CP_INDEX_BLOCK, b - k * CP_INDEX_BLOCK);
}
