/* test_decode_paths.c -- decode's check and index of UTF-8 input gives the
 * same document with its AVX2 code as without (valid_index_avx2() against
 * utf8_valid_index()): texts of random pieces (ASCII, three-byte characters
 * that pass the vector test and those that do not, two- and four-byte
 * characters, stray and missing continuation bytes) of lengths around the
 * 64-byte chunks and 256-byte index blocks. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decode.h"
#include "doc.h"
#include "test_rand.h"
#include "text.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static unsigned rnd(unsigned n)
{
    return (unsigned)(xorshift64(&rng_state) % n);
}

/* Append one random piece to p (room for 8 bytes); returns its length.
 * bad_rate: out of 1000, how often a piece is broken; plain: only pieces
 * the vector test passes (ASCII and most three-byte characters), so that
 * whole chunks pass it. */
static size_t piece(unsigned char *p, unsigned bad_rate, bool plain)
{
    static const unsigned char han[][3] = {{0xE5, 0xAD, 0xA6}, {0xE6, 0xA0, 0xA1}, {0xE4, 0xB8, 0x80},
                                           {0xEF, 0xBC, 0x8C}, {0xE3, 0x80, 0x82}, {0xE2, 0x80, 0x9C}};
    if (rnd(1000) < bad_rate) {
        switch (rnd(6)) {
        case 0: p[0] = 0x80 + rnd(64); return 1;                      /* stray continuation */
        case 1: p[0] = 0xE5; p[1] = 0xAD; return 2;                   /* cut three-byte */
        case 2: p[0] = 0xED; p[1] = 0xA0; p[2] = 0x80; return 3;      /* surrogate */
        case 3: p[0] = 0xE0; p[1] = 0x80; p[2] = 0x80; return 3;      /* overlong */
        case 4: p[0] = 0xC0 + rnd(2); p[1] = 0x80; return 2;          /* overlong two-byte */
        default: p[0] = 0xF5 + rnd(11); return 1;                     /* never a lead */
        }
    }
    switch (plain ? (rnd(2) ? 7 : rnd(3)) : rnd(10)) {
    case 0: case 1: case 2: {
        size_t n = 1 + rnd(8);
        for (size_t k = 0; k < n; k++)
            p[k] = (unsigned char)(rnd(4) ? 'a' + rnd(26) : rnd(2) ? '\n' : ' ');
        return n;
    }
    case 3: p[0] = 0xC2 + rnd(30); p[1] = 0x80 + rnd(64); return 2;
    case 4: p[0] = 0xF0; p[1] = 0x9F; p[2] = 0x98; p[3] = 0x80 + rnd(64); return 4;
    case 5: p[0] = 0xED; p[1] = 0x80 + rnd(32); p[2] = 0x80 + rnd(64); return 3; /* valid ED */
    case 6: p[0] = 0xE0; p[1] = 0xA0 + rnd(32); p[2] = 0x80 + rnd(64); return 3; /* valid E0 */
    default:
        memcpy(p, han[rnd(6)], 3);
        return 3;
    }
}

static bool same_doc(const doc *a, const doc *b)
{
    if (a->orig_len != b->orig_len || a->orig_valid != b->orig_valid ||
        a->replaced != b->replaced || strcmp(a->encoding, b->encoding) != 0 ||
        memcmp(a->orig, b->orig, a->orig_len) != 0 || a->cpix.nblocks != b->cpix.nblocks)
        return false;
    for (size_t k = 0; k < a->cpix.nblocks; k++)
        if (a->cpix.cps[k] != b->cpix.cps[k])
            return false;
    return true;
}

static bool both_ways(const unsigned char *t, size_t n)
{
    doc *a = doc_new("a"), *b = doc_new("b");
    a->use_avx2 = text_avx2_wanted();
    b->use_avx2 = false;
    edx_status sa = decode_input((const char *)t, n, NULL, a);
    edx_status sb = decode_input((const char *)t, n, NULL, b);
    bool ok = sa == sb && (sa != EDX_OK || same_doc(a, b));
    doc_free(a);
    doc_free(b);
    return ok;
}

static void decode_paths_should_agree_on_valid_and_broken_text(void)
{
    unsigned char *t = malloc(4096 + 16);
    size_t fails = 0;
    for (int round = 0; round < 6000; round++) {
        size_t want = rnd(4) == 0 ? 200 + rnd(400) : rnd(1500);
        unsigned bad = round % 3 == 0 ? 0 : round % 3 == 1 ? 2 : 20;
        bool plain = round % 2 == 0;
        size_t n = 0;
        while (n < want)
            n += piece(t + n, bad, plain);
        /* Every cut of the end, from a whole text to one cut mid-character. */
        for (size_t cut = 0; cut < 4 && cut <= n; cut++)
            fails += !both_ways(t, n - cut);
    }
    CHECK(fails == 0);
    free(t);
}

static void decode_paths_should_agree_at_every_offset_of_a_character(void)
{
    /* Han text with one other character or broken byte at each offset of
     * three index blocks: every chunk and block position of the fallback. */
    static const unsigned char odd[][4] = {{0xC2, 0xB7, 0, 0}, {0xF0, 0x9F, 0x98, 0x80}, {0x80, 0, 0, 0},
                                           {0xED, 0xA0, 0x80, 0}, {0xE5, 0xAD, 0, 0}, {'a', 0, 0, 0}};
    unsigned char t[800];
    size_t fails = 0;
    for (size_t o = 0; o < sizeof odd / sizeof *odd; o++) {
        size_t ol = strnlen((const char *)odd[o], 4);
        for (size_t at = 0; at + ol < 780; at++) {
            size_t n = 0;
            while (n + 3 <= at) {
                memcpy(t + n, "\xE5\xAD\xA6", 3);
                n += 3;
            }
            while (n < at)
                t[n++] = 'x';
            memcpy(t + n, odd[o], ol);
            n += ol;
            while (n + 3 <= 780) {
                memcpy(t + n, "\xE6\xA0\xA1", 3);
                n += 3;
            }
            fails += !both_ways(t, n);
        }
    }
    CHECK(fails == 0);
}

int main(void)
{
    RUN(decode_paths_should_agree_on_valid_and_broken_text);
    RUN(decode_paths_should_agree_at_every_offset_of_a_character);
    return check_done();
}
