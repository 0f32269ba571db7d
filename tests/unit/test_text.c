/* test_text.c -- UTF-8 helpers, the offset map and the code point index. */
#include "check.h"
#include "text.h"

static void utf8_next_should_decode_chinese_and_replace_bad_bytes(void)
{
    const char s[] = "学\xE5\xAD"; /* 学, then a truncated sequence */
    size_t i = 0;
    CHECK(utf8_next(s, sizeof s - 1, &i) == 0x5B66);
    CHECK(i == 3);
    CHECK(utf8_next(s, sizeof s - 1, &i) == UTF8_REPLACEMENT);
    CHECK(i == 4);
}

static void utf8_valid_should_reject_overlongs_and_surrogates(void)
{
    CHECK(utf8_valid("入学率100%", strlen("入学率100%")));
    CHECK(!utf8_valid("\xC0\xAF", 2));
    CHECK(!utf8_valid("\xED\xA0\x80", 3));
    CHECK(!utf8_valid("\xF4\x90\x80\x80", 4));
}

static void utf8_prev_should_step_back_one_character(void)
{
    const char *s = "a学";
    size_t start;
    CHECK(utf8_prev(s, 4, &start) == 0x5B66);
    CHECK(start == 1);
    CHECK(utf8_prev(s, 1, &start) == 'a');
    CHECK(start == 0);
}

static void map_should_walk_full_width_to_ascii(void)
{
    /* original "率１０％" (3+3+3+3 bytes), derived "率10%" */
    const char *orig = "率１０％";
    const char *der = "率10%";
    text_map m;
    text_map_init(&m);
    CHECK(text_map_add(&m, 0, 0));
    CHECK(text_map_lookup(&m, der, strlen(der), orig, strlen(orig), 3) == 3);
    CHECK(text_map_lookup(&m, der, strlen(der), orig, strlen(orig), 5) == 9);
    CHECK(text_map_lookup(&m, der, strlen(der), orig, strlen(orig), 6) == 12);
    text_map_free(&m);
}

static void map_should_jump_over_dropped_text(void)
{
    /* original "AB<x>CD", derived "ABCD": a checkpoint after the drop */
    const char *orig = "AB<x>CD";
    const char *der = "ABCD";
    text_map m;
    text_map_init(&m);
    text_map_add(&m, 0, 0);
    text_map_add(&m, 2, 5);
    CHECK(text_map_lookup(&m, der, 4, orig, 7, 1) == 1);
    CHECK(text_map_lookup(&m, der, 4, orig, 7, 2) == 5);
    CHECK(text_map_lookup(&m, der, 4, orig, 7, 3) == 6);
    text_map_free(&m);
}

/* The fast paths (utf8_count eight bytes at a time, utf8_next/utf8_prev
 * inline, map lookups skipping shared bytes) against the plain definitions,
 * on every length and alignment of a text mixing ASCII, Han, full-width and
 * broken sequences. */
static void fast_paths_should_agree_with_the_plain_walks(void)
{
    const char *t = "ab中文\xE5\xAD１２，x\x80y\xF0\x9F\x98\x80z学校\xED\xA0\x80"
                    "\xC3\xA9教育局 12.5%\xE4\xB8";
    size_t len = strlen(t);
    for (size_t a = 0; a <= len; a++)
        for (size_t b = a; b <= len; b++) {
            size_t plain = 0;
            for (size_t i = a; i < b; i++)
                plain += ((unsigned char)t[i] & 0xC0) != 0x80;
            CHECK(utf8_count(t + a, b - a) == plain);
            bool valid = true;
            for (size_t i = a; i < b && valid;) {
                size_t at = i;
                valid = !(utf8_next_any(t, b, &i) == UTF8_REPLACEMENT && i - at == 1 &&
                          (unsigned char)t[at] >= 0x80);
            }
            CHECK(utf8_valid(t + a, b - a) == valid);
        }
    for (size_t i = 0; i < len;) {
        size_t j = i, k = i;
        uint32_t x = utf8_next(t, len, &j), y = utf8_next_any(t, len, &k);
        CHECK(x == y && j == k);
        i = j;
    }
    for (size_t i = 1; i <= len; i++) {
        size_t s1 = 0, s2 = 0;
        CHECK(utf8_prev(t, i, &s1) == utf8_prev_any(t, i, &s2) && s1 == s2);
    }
}

/* The plain answer of utf8_valid(): every sequence utf8_next_any() decodes. */
static bool valid_plain(const char *t, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t at = i;
        if (utf8_next_any(t, n, &i) == UTF8_REPLACEMENT && i - at == 1 &&
            (unsigned char)t[at] >= 0x80)
            return false;
    }
    return true;
}

/* utf8_valid()'s scalar path (where a vector block fails: a two-byte
 * character in it) ends a run of ASCII at its first byte with the top bit
 * set, found in the word that holds it, and passes a two-byte sequence
 * inline: a run of every length up to 20 before each kind of sequence,
 * well-formed or not, at every offset of a text of pinyin and Han. */
static void valid_should_end_ascii_runs_and_take_two_byte_sequences(void)
{
    static const char *const TAILS[] = {"\xC3\xA9", "\xC3x", "\xC2\x80", "\xDF\xBF", "\xC1\x80",
                                        "\xC3\xC3", "\xE5\xAD\xA6", "\x80", "\xC3", "\xE0\x80\x80"};
    const char *fill = "ji\xC3\xA0oy\xC3\xB9 \xE6\x95\x99\xE8\x82\xB2 12.5% ";
    size_t fl = strlen(fill);
    char text[200];
    for (size_t t = 0; t < sizeof TAILS / sizeof *TAILS; t++)
        for (size_t run = 0; run <= 20; run++)
            for (size_t at = 0; at < 70; at++) {
                size_t len = 0;
                for (size_t k = 0; k < at; k++)
                    text[len++] = fill[k % fl];
                memset(text + len, 'a', run);
                len += run;
                memcpy(text + len, TAILS[t], strlen(TAILS[t]));
                len += strlen(TAILS[t]);
                for (size_t k = 0; k < 40; k++)
                    text[len++] = "pinyin zhong wen "[k % 17];
                for (size_t cut = len > 45 ? len - 45 : 0; cut <= len; cut++)
                    CHECK(utf8_valid(text, cut) == valid_plain(text, cut));
            }
}

static void cp_index_should_count_code_points_across_blocks(void)
{
    char big[3 * 3000 + 1];
    for (int i = 0; i < 3000; i++)
        memcpy(big + 3 * i, "学", 3);
    big[9000] = '\0';
    cp_index ix;
    CHECK(cp_index_build(&ix, big, 9000));
    CHECK(cp_index_of(&ix, 0) == 0);
    CHECK(cp_index_of(&ix, 3) == 1);
    CHECK(cp_index_of(&ix, 6000) == 2000);
    CHECK(cp_index_of(&ix, 9000) == 3000);
    cp_index_free(&ix);
}

/* A small deterministic generator, so a failure can be replayed. */
static unsigned long rng_state = 12345;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)((rng_state >> 33) % n);
}

/* utf8_valid_index() is utf8_valid() plus cp_index_build() in one pass: on
 * random texts of whole and broken sequences, long enough to cross many
 * index blocks, it must agree with the two at every offset. */
static void valid_index_should_equal_validating_then_indexing(void)
{
    static const char *const PIECES[] = {"a", "7", " ", "\n", "学", "校", "１", "％", "\xC3\xA9",
                                         "\xF0\x9F\x98\x80", "\x80", "\xE5\xAD", "\xED\xA0\x80"};
    static char text[4096];
    for (int round = 0; round < 400; round++) {
        size_t len = 0, want = rnd(sizeof text - 8);
        bool clean = rnd(2);  /* half of the texts hold no broken sequence */
        while (len < want) {
            const char *pc = PIECES[rnd(clean ? 10 : 13)];
            size_t n = strlen(pc);
            memcpy(text + len, pc, n);
            len += n;
        }
        cp_index a, b;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        bool valid = utf8_valid(text, len);
        bool fused = utf8_valid_index(text, len, &a, false);
        CHECK(fused == valid);
        if (fused && a.cps && cp_index_build(&b, text, len)) {
            bool same = true;
            for (size_t k = 0; k <= len && same; k++)
                same = cp_index_of(&a, k) == cp_index_of(&b, k);
            CHECK(same);
        }
        cp_index_free(&a);
        cp_index_free(&b);
    }
}

/* text_map_densify_valid() must answer every lookup as text_map_densify()
 * and as the map before either: an original of valid UTF-8 (ASCII, Han,
 * full-width, two- and four-byte characters), a derived text that folds the
 * full-width forms and drops some pieces, with the checkpoints normalize
 * would set (before a fold, after a drop). */
static void densify_valid_should_answer_as_densify(void)
{
    static const char *const PIECES[] = {"a", "7", " ", "学", "校", "\xC3\xA9", "\xF0\x9F\x98\x80",
                                         "１", "％"};
    static char orig[3000], der[3000];
    for (int round = 0; round < 300; round++) {
        size_t ol = 0, dl = 0, want = rnd(2500);
        text_map plain, m1, m2;
        text_map_init(&plain);
        text_map_add(&plain, 0, 0);
        while (ol < want) {
            unsigned k = rnd(9);
            const char *pc = PIECES[k];
            size_t n = strlen(pc);
            memcpy(orig + ol, pc, n);
            ol += n;
            if (rnd(12) == 0) {             /* dropped: resume after it */
                text_map_add(&plain, dl, ol);
            } else if (k >= 7) {            /* full-width folded to ASCII */
                der[dl++] = k == 7 ? '1' : '%';
            } else {
                memcpy(der + dl, pc, n);
                dl += n;
            }
        }
        text_map_init(&m1);
        text_map_init(&m2);
        for (size_t i = 0; i < plain.n; i++) {
            text_map_add(&m1, plain.derived[i], plain.orig[i]);
            text_map_add(&m2, plain.derived[i], plain.orig[i]);
        }
        CHECK(text_map_densify(&m1, der, dl, orig, ol, 64));
        CHECK(text_map_densify_valid(&m2, der, dl, orig, ol, 64));
        bool same = true;
        for (size_t d = 0; d <= dl && same; d++) {
            size_t want_o = text_map_lookup(&plain, der, dl, orig, ol, d);
            same = text_map_lookup(&m1, der, dl, orig, ol, d) == want_o &&
                   text_map_lookup(&m2, der, dl, orig, ol, d) == want_o;
        }
        CHECK(same);
        text_map_free(&plain);
        text_map_free(&m1);
        text_map_free(&m2);
    }
}

int main(void)
{
    RUN(utf8_next_should_decode_chinese_and_replace_bad_bytes);
    RUN(utf8_valid_should_reject_overlongs_and_surrogates);
    RUN(utf8_prev_should_step_back_one_character);
    RUN(map_should_walk_full_width_to_ascii);
    RUN(map_should_jump_over_dropped_text);
    RUN(cp_index_should_count_code_points_across_blocks);
    RUN(fast_paths_should_agree_with_the_plain_walks);
    RUN(valid_index_should_equal_validating_then_indexing);
    RUN(valid_should_end_ascii_runs_and_take_two_byte_sequences);
    RUN(densify_valid_should_answer_as_densify);
    return check_done();
}
