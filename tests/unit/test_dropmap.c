/* test_dropmap.c -- norm_drop_ranges() keeps the offset map exact: after
 * ranges of the working text are dropped, every character left maps to the
 * original byte it mapped to before, as the reference walk of
 * text_map_lookup() found it.  The map's new checkpoints come from
 * orig_at(), whose compares of the two texts step eight and sixteen bytes
 * at a time (SSE2): the texts put folded and dropped characters at every
 * offset against those blocks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "normalize.h"
#include "test_input_common.h"
#include "test_rand.h"

/* Pieces of the original: kept as they are, folded to another length
 * (full-width forms, U+3000), dropped (zero-width, CR of CRLF). */
static const char *const PIECES[] = {
    "a", "7", ".", " ", "\n", "教", "育", "學", "，", "１", "％", "（", "\xe3\x80\x80",
    "\xe2\x80\x8b", "\r\n", "\xc2\xb7", "\xf0\x9f\x98\x80", "abcdefghijklmnop",
    "全县共有学校十二所", "0123456789",
};

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static unsigned next_rand(void)
{
    return (unsigned)(xorshift64(&rng_state) >> 11);
}

/* Normalize text, drop random whole-character ranges of the working text
 * and compare every character's original byte with the one before.  1 when
 * all agree. */
static int drops_keep_map(const char *text)
{
    doc *d = doc_from(text);
    if (!d || !normalize_doc(d)) {
        doc_free(d);
        return 0;
    }
    size_t len = d->work_len;
    size_t *before = malloc((len + 1) * sizeof *before);
    size_t *starts = malloc((len + 1) * sizeof *starts);
    wspan *rs = malloc((len + 1) * sizeof *rs);
    int ok = before && starts && rs;
    size_t ns = 0;
    for (size_t w = 0; ok && w <= len; w++) {
        before[w] = doc_orig_byte(d, w);
        if (w == len || ((unsigned char)d->work[w] & 0xC0) != 0x80)
            starts[ns++] = w;
    }
    /* Ranges between character starts, one start in five or so dropped. */
    size_t n = 0;
    for (size_t k = 0; ok && k + 1 < ns; k++) {
        if (next_rand() % 5)
            continue;
        size_t e = k + 1 + next_rand() % 3;
        if (e >= ns)
            e = ns - 1;
        rs[n++] = (wspan){starts[k], starts[e]};
        k = e;
    }
    ok = ok && norm_drop_ranges(d, rs, n);
    /* Each kept character, at its new offset. */
    size_t r = 0, moved = 0;
    for (size_t k = 0; ok && k < ns; k++) {
        size_t w = starts[k];
        while (r < n && rs[r].end <= w) {
            moved += rs[r].end - rs[r].start;
            r++;
        }
        if (r < n && rs[r].start <= w)
            continue;   /* dropped */
        if (doc_orig_byte(d, w - moved) != before[w]) {
            printf("#   at %zu (now %zu): %zu, was %zu: %.40s\n", w, w - moved,
                   doc_orig_byte(d, w - moved), before[w], text);
            ok = 0;
        }
    }
    free(before);
    free(starts);
    free(rs);
    doc_free(d);
    return ok;
}

static void drop_ranges_should_keep_each_kept_character_mapped(void)
{
    char text[2048];
    size_t np = sizeof PIECES / sizeof *PIECES;
    for (int round = 0; round < 3000; round++) {
        size_t at = 0;
        /* a run of plain text first: the blocks then start at every offset */
        for (size_t pad = (size_t)round % 41; pad > 0; pad--)
            text[at++] = (char)('a' + pad % 26);
        size_t pieces = 4 + next_rand() % 60;
        for (size_t p = 0; p < pieces; p++) {
            const char *s = PIECES[next_rand() % np];
            size_t l = strlen(s);
            if (at + l >= sizeof text)
                break;
            memcpy(text + at, s, l);
            at += l;
        }
        text[at] = '\0';
        CHECK(drops_keep_map(text));
    }
}

int main(void)
{
    RUN(drop_ranges_should_keep_each_kept_character_mapped);
    return check_done();
}
