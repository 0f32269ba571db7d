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
    return check_done();
}
