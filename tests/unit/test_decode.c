/* test_decode.c -- charset detection and decoding with replacement. */
#include <string.h>

#include "check.h"
#include "decode.h"
#include "doc.h"

static doc *decoded(const char *data, size_t len, const char *forced, edx_status *st)
{
    doc *d = doc_new("t");
    *st = decode_input(data, len, forced, d);
    return d;
}

static void decode_should_strip_a_utf8_bom(void)
{
    edx_status st;
    doc *d = decoded("\xEF\xBB\xBF入学率", 12, NULL, &st);
    CHECK(st == EDX_OK);
    CHECK_STR(d->encoding, "UTF-8");
    CHECK_STR(d->orig, "入学率");
    doc_free(d);
}

static void decode_should_detect_gb18030(void)
{
    /* "巩固率达到98.6%，学校" in GB18030 */
    const char gb[] = "\xB9\xAE\xB9\xCC\xC2\xCA\xB4\xEF\xB5\xBD" "98.6%" "\xA3\xAC\xD1\xA7\xD0\xA3";
    edx_status st;
    doc *d = decoded(gb, sizeof gb - 1, NULL, &st);
    CHECK(st == EDX_OK);
    CHECK_STR(d->encoding, "GB18030");
    CHECK_STR(d->orig, "巩固率达到98.6%，学校");
    doc_free(d);
}

static void decode_should_detect_utf16_without_bom(void)
{
    /* "学校教育" UTF-16LE, no ASCII at all */
    const char le[] = "\x66\x5B\x21\x68\x59\x65\xB2\x80\x66\x5B\x21\x68";
    edx_status st;
    doc *d = decoded(le, sizeof le - 1, NULL, &st);
    CHECK(st == EDX_OK);
    CHECK_STR(d->encoding, "UTF-16LE");
    CHECK_STR(d->orig, "学校教育学校");
    doc_free(d);
}

static void decode_should_replace_bad_bytes_and_keep_the_rest(void)
{
    edx_status st;
    const char text[] = "一、概况\n全县小学入学率100%,巩固率98.6%。学\xFF\xFE校100%,师生比1:17,"
                        "生均校舍面积8.5平方米,教师学历合格率100%。\xE5\xAD";
    doc *d = decoded(text, sizeof text - 1, NULL, &st);
    CHECK(st == EDX_OK);
    CHECK_STR(d->encoding, "UTF-8");
    CHECK(d->replaced >= 2);
    CHECK(strstr(d->orig, "校100%") != NULL);
    doc_free(d);
}

static void decode_should_obey_a_forced_charset_and_reject_unknown_ones(void)
{
    edx_status st;
    doc *d = decoded("\xD1\xA7", 2, "GB18030", &st);
    CHECK(st == EDX_OK);
    CHECK_STR(d->orig, "学");
    doc_free(d);
    d = decoded("abc", 3, "NO-SUCH-CHARSET", &st);
    CHECK(st == EDX_ERR_ENCODING);
    doc_free(d);
}

static void decode_should_refuse_binary_data(void)
{
    char bin[512];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (char)(i % 256);
    edx_status st;
    doc *d = decoded(bin, sizeof bin, NULL, &st);
    CHECK(st == EDX_ERR_BINARY);
    doc_free(d);
}

/* A byte string for the table comparison.  Style 0: two-byte GB/Big5
 * codes, some four-byte GB18030 codes, ASCII, and now and then a stray or
 * cut byte; style 1: Big5 codes only; style 2: GB2312 codes only. */
static size_t mixed_bytes(unsigned *seed, char *out, size_t cap, int style)
{
    size_t n = 0;
    while (n + 4 < cap) {
        *seed = *seed * 1103515245u + 12345u;
        unsigned r = *seed >> 8;
        if (style == 1) {
            unsigned t = r / 89 % 157;
            out[n++] = (char)(0xA4 + r % 89);  /* lead A4..FC */
            out[n++] = (char)(t < 63 ? 0x40 + t : 0xA1 + (t - 63));
            continue;
        }
        if (style == 2) {
            out[n++] = (char)(0xB0 + r % 72);  /* lead B0..F7 */
            out[n++] = (char)(0xA1 + r / 72 % 94);
            continue;
        }
        switch (r % 16) {
        case 0:
            out[n++] = (char)(0x20 + r / 16 % 95);  /* ASCII */
            break;
        case 1:
            out[n++] = (char)(0x80 + r / 16 % 128);  /* a lone high byte */
            break;
        case 2:
            out[n++] = (char)(0x81 + r / 16 % 4);  /* a four-byte GB18030 code */
            out[n++] = (char)(0x30 + r / 64 % 10);
            out[n++] = (char)(0x81 + r / 640 % 126);
            out[n++] = (char)(0x30 + r / 80640 % 10);
            break;
        default: {
            unsigned lead = 0x81 + r / 16 % 126, t = r / 2016 % 191;
            out[n++] = (char)lead;
            out[n++] = (char)(0x40 + t);  /* 0x40..0xFE, 0x7F and 0x80 included */
        }
        }
    }
    return n;
}

/* The two-byte tables give what iconv alone gives: text, charset and the
 * count of replaced bytes, detected and forced, on many mixed inputs. */
static void decode_tables_should_give_what_iconv_gives(void)
{
    decode_tables *dt = decode_tables_new();
    CHECK(dt != NULL);
    const char *forced[] = {NULL, "GB18030", "BIG5"};
    char data[600];
    unsigned seed = 7;
    int differ = 0;
    for (int k = 0; dt && k < 3000; k++) {
        size_t len = mixed_bytes(&seed, data, 64 + (size_t)k % 512, k % 3);
        for (int f = 0; f < 3; f++) {
            doc *a = doc_new("t"), *b = doc_new("t");
            edx_status sa = decode_input(data, len, forced[f], a);
            edx_status sb = decode_input_with(dt, data, len, forced[f], b);
            bool same = a && b && sa == sb &&
                        (sa != EDX_OK ||
                         (strcmp(a->encoding, b->encoding) == 0 && a->replaced == b->replaced &&
                          a->orig_len == b->orig_len &&
                          memcmp(a->orig, b->orig, a->orig_len) == 0));
            differ += !same;
            doc_free(a);
            doc_free(b);
        }
    }
    CHECK_NUM(differ, 0);
    decode_tables_free(dt);
}

int main(void)
{
    RUN(decode_should_strip_a_utf8_bom);
    RUN(decode_should_detect_gb18030);
    RUN(decode_should_detect_utf16_without_bom);
    RUN(decode_should_replace_bad_bytes_and_keep_the_rest);
    RUN(decode_should_obey_a_forced_charset_and_reject_unknown_ones);
    RUN(decode_should_refuse_binary_data);
    RUN(decode_tables_should_give_what_iconv_gives);
    return check_done();
}
