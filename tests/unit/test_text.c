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

int main(void)
{
    RUN(utf8_next_should_decode_chinese_and_replace_bad_bytes);
    RUN(utf8_valid_should_reject_overlongs_and_surrogates);
    RUN(utf8_prev_should_step_back_one_character);
    RUN(map_should_walk_full_width_to_ascii);
    RUN(map_should_jump_over_dropped_text);
    RUN(cp_index_should_count_code_points_across_blocks);
    RUN(fast_paths_should_agree_with_the_plain_walks);
    return check_done();
}
