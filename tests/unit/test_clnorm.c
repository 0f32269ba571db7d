/* test_clnorm.c -- clean_normalize_doc(): normalize noting the characters
 * clean's literal walk looks at, and clean reading that list instead of
 * walking the text, must give what the two stages give one after the other
 * (working text, offset map, tail and limit counts), and the dense map
 * doc_index_map() makes from the list of the characters that may differ
 * must be the one it makes by comparing the texts. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "clean.h"
#include "normalize.h"
#include "test_input_common.h"

/* Both ways over text (n bytes); orig_valid cleared when !valid (the walk
 * that tests continuation bytes); the one walk with its AVX2 code when avx2
 * (where the build and processor have it: text_avx2_wanted()).  1 when they
 * agree. */
static int same_both_ways(rules *r, rx_scratch *sc, const char *text, size_t n, bool valid,
                          bool avx2)
{
    doc *a = doc_new("a.txt"), *b = doc_new("b.txt");
    int same = a && b && decode_input(text, n, NULL, a) == EDX_OK &&
               decode_input(text, n, NULL, b) == EDX_OK;
    if (same && !valid)
        a->orig_valid = b->orig_valid = false;
    if (same)
        b->use_avx2 = avx2 && text_avx2_wanted();
    same = same && normalize_doc_with(&r->charmap, a) && clean_doc(&r->clean, sc, a) &&
           clean_normalize_doc(&r->clean, &r->charmap, sc, b);
    same = same && a->work_len == b->work_len && memcmp(a->work, b->work, a->work_len) == 0 &&
           a->tail_orig == b->tail_orig && a->tail_rule == b->tail_rule &&
           a->limit_hits == b->limit_hits;
    for (size_t w = 0; same && w <= a->work_len; w++)
        same = doc_orig_byte(a, w) == doc_orig_byte(b, w);
    /* The dense maps: b's made from the list of the characters that may
     * differ which the one walk keeps, a's by comparing the two texts. */
    same = same && !a->map.diff_known && doc_index_map(a) && doc_index_map(b) &&
           a->map.n == b->map.n && a->map.wellformed == b->map.wellformed;
    for (size_t k = 0; same && k < a->map.n; k++)
        same = a->map.derived[k] == b->map.derived[k] && a->map.orig[k] == b->map.orig[k] &&
               a->map.same[k] == b->map.same[k];
    if (!same)
        printf("#   differs: %.60s\n", text);
    doc_free(a);
    doc_free(b);
    return same;
}

/* clean_doc() choosing its patterns from the masks (pats_masked: the
 * literals that occur, lit_hits.occurs) and asking may_match() of each
 * pattern instead: the same drops.  1 when they agree. */
static int same_masked_or_not(rules *r, rx_scratch *sc, const char *text, size_t n)
{
    doc *a = doc_new("a.txt"), *b = doc_new("b.txt");
    bool masked = r->clean.pats_masked;
    int same = masked && a && b && decode_input(text, n, NULL, a) == EDX_OK &&
               decode_input(text, n, NULL, b) == EDX_OK && normalize_doc_with(&r->charmap, a) &&
               normalize_doc_with(&r->charmap, b) && clean_doc(&r->clean, sc, a);
    r->clean.pats_masked = false;
    same = same && clean_doc(&r->clean, sc, b);
    r->clean.pats_masked = masked;
    same = same && a->work_len == b->work_len && memcmp(a->work, b->work, a->work_len) == 0 &&
           a->tail_orig == b->tail_orig && a->tail_rule == b->tail_rule &&
           a->limit_hits == b->limit_hits;
    if (!same)
        printf("#   differs: %.60s\n", text);
    doc_free(a);
    doc_free(b);
    return same;
}

/* Pieces that hold marks in every way they can come about: as they stand,
 * made by a fold (full-width forms, traditional characters, CR, U+2028),
 * joined by normalize's drops (spaced-out text, pinyin, split numbers),
 * and the boilerplate the literals lead to. */
static const char *const PIECES[] = {
    "全县共有学校12所,", "\n", "\r\n", "\r", "\xe2\x80\xa8", "2023年", "、", "有", "文",
    "第3页共9页", "第 2 页 / 共 7 页", "-第5页", "下载后可任意编辑", "下 载 后 可 任 意 编 辑",
    "檔案", "閱讀 12", "編輯", "費用", "下載", "至", "您", "》", "《", "【入口地址】", "大小:", "大小：",
    "－", "／", "＞", ">", "/", "-", ":", "撰写人:___ 日期:___", "學(xué)校", "面积3. 1平方米",
    "面积38.7\n5万平方米", "精选优质文档-----倾情为你奉上", "此文档下载收益归作者所有",
    "小编为大家带来了", "VIP免费", "欢迎您", "本文内容:", "摘要:本文", "您可能关注的文档",
    "\"data-id=\"x\">", "\xc2\xb7", "\xf0\x9f\x98\x80", "\xff", "\xe5\xad", "\t", "  ", "。",
    "入學率95%", "一、基本情况", "(二)师资队伍",
};

static void clnorm_should_match_normalize_then_clean_on_pieces(void)
{
    rules *r = test_rules();
    rx_scratch sc;
    CHECK(r && rx_scratch_init(&sc));
    CHECK(clean_link_charmap(&r->clean, &r->charmap));
    size_t np = sizeof PIECES / sizeof *PIECES;
    /* every piece alone, and every pair */
    char text[4096];
    for (size_t i = 0; i < np; i++)
        for (size_t j = 0; j <= np; j++) {
            snprintf(text, sizeof text, "%s%s", PIECES[i], j < np ? PIECES[j] : "");
            CHECK(same_both_ways(r, &sc, text, strlen(text), true, true));
            CHECK(same_both_ways(r, &sc, text, strlen(text), false, true));
            CHECK(same_masked_or_not(r, &sc, text, strlen(text)));
        }
    /* long mixes (more marks than the list holds inline) */
    uint32_t seed = 12345;
    for (int t = 0; t < 400; t++) {
        size_t len = 0;
        int pieces = 1 + (int)(seed % 300);
        for (int k = 0; k < pieces && len < sizeof text - 64; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = PIECES[(seed >> 8) % np];
            size_t pl = strlen(p);
            memcpy(text + len, p, pl);
            len += pl;
        }
        text[len] = '\0';
        CHECK(same_both_ways(r, &sc, text, len, t % 2 == 0, true));
    }
    rx_scratch_free(&sc);
    rules_free(r);
}

static void clnorm_should_match_normalize_then_clean_on_random_bytes(void)
{
    rules *r = test_rules();
    rx_scratch sc;
    CHECK(r && rx_scratch_init(&sc));
    CHECK(clean_link_charmap(&r->clean, &r->charmap));
    /* bytes drawn mostly from the marks' and Han characters' own bytes */
    static const unsigned char BYTES[] = {0x0A, 0x0D, 0x20, 0x3A, 0x2D, 0x2F, 0x3E, 0x28, 0x29,
                                          0x2E, 0x31, 0x39, 0xE3, 0x80, 0x81, 0xE5, 0xB9, 0xB4,
                                          0xE6, 0x9C, 0x89, 0xEF, 0xBC, 0x9A, 0xE7, 0xAC, 0xAC,
                                          0xC2, 0xA0, 0xE2, 0xA8, 0xFF, 0x00, 0x09};
    uint32_t seed = 777;
    char text[2048];
    for (int t = 0; t < 600; t++) {
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 8) % sizeof text;
        for (size_t k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            text[k] = (char)BYTES[(seed >> 8) % sizeof BYTES];
        }
        CHECK(same_both_ways(r, &sc, text, len, t % 3 != 0, true));
    }
    rx_scratch_free(&sc);
    rules_free(r);
}

/* The fold walk's rounds of 64 bytes (kept_run_blocks()): a mark, a fold
 * or a character of another length at every offset of a well-formed text
 * of Han characters, ASCII and line breaks, so that it falls at each place
 * of a round, at its first and last byte, and across its end, where the
 * round's last character may be cut; with the SSE2 walk and the AVX2 one. */
static void clnorm_should_match_normalize_then_clean_around_rounds(void)
{
    rules *r = test_rules();
    rx_scratch sc;
    CHECK(r && rx_scratch_init(&sc));
    CHECK(clean_link_charmap(&r->clean, &r->charmap));
    static const char *const FILLERS[] = {
        "全县共有学校12所在校学生3456人专任教师789人其中小学5所", "学校学生教师情况工作汇报基本发展均衡",
        "abc 12 de 345 f 6789 gh 0 ij 12.5 kl 99.8 mn 100 op qr st uv wx yz",
        "小学入学率100%\n初中巩固率99.8%\n"};
    static const char *const INSERTS[] = {"\n", "、", "》", ":", "/", "，", "學", "\xe2\x80\xa8",
                                          "\xc2\xb7", "\xf0\x9f\x98\x80", "第3页共9页", "\r\n",
                                          "至", "您", "\t", ""};
    char text[1024];
    for (size_t f = 0; f < sizeof FILLERS / sizeof *FILLERS; f++)
        for (size_t i = 0; i < sizeof INSERTS / sizeof *INSERTS; i++) {
            const char *fill = FILLERS[f];
            size_t fl = strlen(fill);
            for (size_t at = 0; at <= 140; at++) {
                /* `at` bytes of filler and the rest of the character they
                 * cut, the insert, then some 200 bytes of filler again */
                size_t len = 0, k = 0;
                while (len < at) {
                    text[len++] = fill[k];
                    k = (k + 1) % fl;
                }
                while (((unsigned char)fill[k] & 0xC0) == 0x80) {   /* the character's rest */
                    text[len++] = fill[k];
                    k = (k + 1) % fl;
                }
                size_t il = strlen(INSERTS[i]);
                memcpy(text + len, INSERTS[i], il);
                len += il;
                for (size_t n = 0; n < 200 || ((unsigned char)fill[k] & 0xC0) == 0x80; n++) {
                    text[len++] = fill[k];
                    k = (k + 1) % fl;
                }
                text[len] = '\0';
                CHECK(same_both_ways(r, &sc, text, len, true, false));
                CHECK(same_both_ways(r, &sc, text, len, true, true));
            }
        }
    rx_scratch_free(&sc);
    rules_free(r);
}

static void clnorm_should_match_normalize_then_clean_on_samples(void)
{
    rules *r = test_rules();
    rx_scratch sc;
    CHECK(r && rx_scratch_init(&sc));
    CHECK(clean_link_charmap(&r->clean, &r->charmap));
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/samples", EDX_TEST_SOURCE_ROOT);
    DIR *dp = opendir(dir);
    CHECK(dp != NULL);
    struct dirent *e;
    size_t files = 0;
    while (dp && (e = readdir(dp)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (nl < 4 || strcmp(e->d_name + nl - 4, ".txt") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        static char data[1 << 20];
        size_t n = fread(data, 1, sizeof data, f);
        fclose(f);
        CHECK(same_both_ways(r, &sc, data, n, true, true));
        CHECK(same_masked_or_not(r, &sc, data, n));
        files++;
    }
    if (dp)
        closedir(dp);
    CHECK(files > 10);
    rx_scratch_free(&sc);
    rules_free(r);
}

int main(void)
{
    RUN(clnorm_should_match_normalize_then_clean_on_pieces);
    RUN(clnorm_should_match_normalize_then_clean_on_random_bytes);
    RUN(clnorm_should_match_normalize_then_clean_around_rounds);
    RUN(clnorm_should_match_normalize_then_clean_on_samples);
    return check_done();
}
