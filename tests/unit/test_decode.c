/* test_decode.c -- charset detection and decoding with replacement. */
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

int main(void)
{
    RUN(decode_should_strip_a_utf8_bom);
    RUN(decode_should_detect_gb18030);
    RUN(decode_should_detect_utf16_without_bom);
    RUN(decode_should_replace_bad_bytes_and_keep_the_rest);
    RUN(decode_should_obey_a_forced_charset_and_reject_unknown_ones);
    RUN(decode_should_refuse_binary_data);
    return check_done();
}
