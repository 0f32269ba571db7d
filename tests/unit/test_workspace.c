/* test_workspace.c -- what the extractor keeps between inputs (its pool of
 * workspaces: match data, the doc and its reports array, the split's
 * lines) changes no record: an input gives the records a new extractor
 * gives it, whatever went before it, also from inside a record callback
 * (a second workspace); and edx_extract_lent(), which reads a lent buffer
 * where it lies, gives the records of edx_extract_buffer() and leaves the
 * buffer as it was. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "eduextract.h"
#include "extract.h"

static edx_extractor *ex;

/* A volume of `pieces` reports (篇1 …), each followed by `extra` short
 * lines: with many of both, more reports and lines than a workspace keeps
 * (so the kept arrays are dropped after it). */
static char *volume_text(int pieces, int extra, size_t *len)
{
    static const char body[] =
        "\n\n一、基本情况\n"
        "本校现有教学班%d个，在校学生%d人，专任教师%d人，适龄儿童入学率达到99.%d%%。\n"
        "二、下一步打算\n继续加强教师队伍建设，提高教育教学质量。\n";
    size_t cap = (size_t)pieces * (400 + (size_t)extra * 40) + 256, n = 0;
    char *t = malloc(cap);
    if (!t)
        abort();
    n += (size_t)snprintf(t + n, cap - n, "学校工作总结（精选%d篇）\n\n", pieces);
    for (int k = 1; k <= pieces; k++) {
        n += (size_t)snprintf(t + n, cap - n, "城关第%d小学工作总结篇%d", k, k);
        n += (size_t)snprintf(t + n, cap - n, body, 10 + k, 400 + 37 * k, 20 + k, k % 10);
        for (int i = 0; i < extra; i++)
            n += (size_t)snprintf(t + n, cap - n, "第%d条，毕业率%d%%。\n", i, 90 + i % 10);
    }
    *len = n;
    return t;
}

/* A text whose working text differs from the original all along: lines
 * of full-width digits and punctuation (folded), each ended by CRLF (the
 * LF dropped), so its offset map has a checkpoint per line and a long
 * list of the characters that differ.  With many lines it is longer than
 * a doc keeps (its buffers are then dropped after it). */
static char *wide_text(int lines, size_t *len)
{
    size_t cap = (size_t)lines * 120 + 64, n = 0;
    char *t = malloc(cap);
    if (!t)
        abort();
    n += (size_t)snprintf(t + n, cap - n, "一、总体情况\r\n");
    for (int k = 0; k < lines; k++)
        n += (size_t)snprintf(t + n, cap - n, "第%d校入学率达到９９．%d％，巩固率１００％。\r\n", k,
                              k % 10);
    *len = n;
    return t;
}

/* All records of a result as one text, a line each; NULL for no result. */
static char *records_of(const edx_result *res)
{
    if (!res)
        return NULL;
    size_t total = 1;
    for (size_t i = 0; i < edx_result_count(res); i++) {
        size_t n = 0;
        edx_result_json_view(res, i, &n);
        total += n + 1;
    }
    char *t = malloc(total), *p = t;
    if (!t)
        abort();
    for (size_t i = 0; i < edx_result_count(res); i++) {
        size_t n = 0;
        const char *v = edx_result_json_view(res, i, &n);
        memcpy(p, v, n);
        p += n;
        *p++ = '\n';
    }
    *p = '\0';
    return t;
}

/* The records of data through edx_extract_buffer() by extractor e. */
static char *records_by(const edx_extractor *e, const char *path, const char *data, size_t len,
                        const edx_options *opt)
{
    edx_result *res = NULL;
    edx_extract_buffer(e, path, data, len, opt, &res);
    char *t = records_of(res);
    edx_result_free(res);
    return t;
}

static const char SHORT[] = "一、总体情况\n全县小学入学率达到100%，巩固率99.5%。\n";

static void an_input_should_give_the_records_of_a_new_extractor_after_any_other(void)
{
    /* Inputs that set what a doc holds: many reports and lines (more than
     * a workspace keeps), a page tail set aside, binary bytes (an error
     * record after the doc was opened), replaced bytes, a short text; a
     * text with a map checkpoint per line (and one longer than the 256 KB
     * a doc keeps of its working text), a plain one whose map has none
     * but its ends, and a GB18030 one (its code-point index built from
     * the converted text, not in the kept room). */
    struct input {
        const char *path;
        char *data;
        size_t len;
        char *want;  /* the records from a new extractor */
    } in[] = {
        {"big.txt", NULL, 0, NULL},   {"small.txt", NULL, 0, NULL}, {"short.txt", NULL, 0, NULL},
        {"tail.txt", NULL, 0, NULL},  {"bin.txt", NULL, 0, NULL},   {"bad.txt", NULL, 0, NULL},
        {"wide.txt", NULL, 0, NULL},  {"huge.txt", NULL, 0, NULL},  {"plain.txt", NULL, 0, NULL},
        {"gb.txt", NULL, 0, NULL},
    };
    enum { BIG, SMALL, SHORT_, TAIL, BIN, BAD, WIDE, HUGE, PLAIN, GB, N };
    in[BIG].data = volume_text(120, 40, &in[BIG].len);
    in[SMALL].data = volume_text(2, 1, &in[SMALL].len);
    in[SHORT_].data = strdup(SHORT);
    in[TAIL].data = strdup("一、总体情况\n全县小学入学率达到100%。\n"
                           "将本文的Word文档下载到电脑，方便收藏和打印\n相关文章\n入学率1%。\n");
    in[BIN].data = strdup("\x01\xff\x02\x03\xfe\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x80\x81");
    in[BAD].data = strdup("一、总体情况\n入学率\xff达到99%。\n");
    in[WIDE].data = wide_text(300, &in[WIDE].len);
    in[HUGE].data = wide_text(6000, &in[HUGE].len);
    in[PLAIN].data = strdup("1. Overview\nEnrollment 99%.\n");
    /* 一、总体情况 / 全县小学入学率达到98.5%，巩固率达到99%。 in GB18030 */
    in[GB].data = strdup("\xd2\xbb\xa1\xa2\xd7\xdc\xcc\xe5\xc7\xe9\xbf\xf6\n\xc8\xab\xcf\xd8"
                         "\xd0\xa1\xd1\xa7\xc8\xeb\xd1\xa7\xc2\xca\xb4\xef\xb5\xbd" "98.5%"
                         "\xa3\xac\xb9\xae\xb9\xcc\xc2\xca\xb4\xef\xb5\xbd" "99%\xa1\xa3\n");
    for (int k = 0; k < N; k++) {
        if (!in[k].data)
            abort();
        if (k > SMALL && k != WIDE && k != HUGE)
            in[k].len = strlen(in[k].data);
        edx_extractor *fresh = NULL;
        CHECK(edx_extractor_new(EDX_TEST_RULES, &fresh, NULL) == EDX_OK);
        in[k].want = records_by(fresh, in[k].path, in[k].data, in[k].len, NULL);
        edx_extractor_free(fresh);
        CHECK(in[k].want != NULL);
    }
    CHECK(strstr(in[BIG].want, "\"report_count\":120") != NULL);
    CHECK(strstr(in[TAIL].want, "tail_dropped") != NULL);
    CHECK(strstr(in[BAD].want, "decode_replaced") != NULL);
    CHECK(strstr(in[BIN].want, "binary_input") != NULL);
    CHECK(in[HUGE].len > 256 * 1024);
    CHECK(strstr(in[GB].want, "GB18030") != NULL);
    /* The same inputs in turn through one extractor, each after others:
     * among them a long input then a short one, GB18030 then UTF-8, many
     * map checkpoints then none, and each the other way round. */
    static const int order[] = {SMALL, BIG, SHORT_, BIG, TAIL, SMALL, BIN, SHORT_, BAD,
                                SHORT_, TAIL, BIG, SMALL, BAD, TAIL, SHORT_, WIDE, PLAIN,
                                WIDE, SHORT_, HUGE, SHORT_, HUGE, WIDE, GB, SHORT_, GB,
                                WIDE, GB, PLAIN, HUGE, GB, BAD, WIDE, BIG, WIDE, PLAIN};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        const struct input *x = &in[order[i]];
        char *got = records_by(ex, x->path, x->data, x->len, NULL);
        CHECK(got && x->want && strcmp(got, x->want) == 0);
        if (!got || !x->want || strcmp(got, x->want) != 0)
            printf("#   input %zu (%s) differs\n", i, x->path);
        free(got);
    }
    for (int k = 0; k < N; k++) {
        free(in[k].data);
        free(in[k].want);
    }
}

/* From inside a callback: a second extraction while the first holds its
 * workspace. */
typedef struct nested {
    char *inner;   /* records of SHORT extracted from the callback */
    size_t calls;
} nested;

static int extract_inside(void *user, edx_result *one)
{
    (void)one;
    nested *n = user;
    if (n->calls++ == 0)
        n->inner = records_by(ex, "s.txt", SHORT, strlen(SHORT), NULL);
    return 0;
}

static void a_callback_should_extract_with_a_workspace_of_its_own(void)
{
    size_t len;
    char *text = volume_text(5, 3, &len);
    char *want_outer = records_by(ex, "v.txt", text, len, NULL);
    char *want_inner = records_by(ex, "s.txt", SHORT, strlen(SHORT), NULL);
    nested n = {NULL, 0};
    CHECK(edx_extract_buffer_each(ex, "v.txt", text, len, NULL, extract_inside, &n) == EDX_OK);
    CHECK(n.calls == 5);
    CHECK(n.inner && want_inner && strcmp(n.inner, want_inner) == 0);
    /* And the outer input's records after it are as before. */
    char *again = records_by(ex, "v.txt", text, len, NULL);
    CHECK(again && want_outer && strcmp(again, want_outer) == 0);
    free(again);
    free(n.inner);
    free(want_outer);
    free(want_inner);
    free(text);
}

/* Records handed to a callback, a line each. */
typedef struct collected {
    char *text;
    size_t len;
} collected;

static int collect(void *user, edx_result *one)
{
    collected *c = user;
    size_t n = 0;
    const char *v = edx_result_json_view(one, 0, &n);
    char *p = realloc(c->text, c->len + n + 2);
    if (!p)
        abort();
    memcpy(p + c->len, v, n);
    c->len += n;
    p[c->len++] = '\n';
    p[c->len] = '\0';
    c->text = p;
    return 0;
}

/* The lent call against the buffer call, both ways (collecting and each),
 * on the input's bytes in a buffer with a NUL after them, which must be as
 * it was after the call. */
static void check_lent(const char *name, const char *data, size_t len, const edx_options *opt)
{
    char *want = records_by(ex, name, data, len, opt);
    char *buffer = malloc(len + 1);
    if (!buffer)
        abort();
    memcpy(buffer, data, len);
    buffer[len] = '\0';
    edx_result *res = NULL;
    edx_status st = edx_extract_lent(ex, name, buffer, len, opt, NULL, NULL, &res);
    char *got = records_of(res);
    CHECK(res != NULL);
    CHECK(got && want && strcmp(got, want) == 0);
    edx_result_free(res);
    free(got);
    collected c = {NULL, 0};
    edx_status st_each = edx_extract_lent(ex, name, buffer, len, opt, collect, &c, NULL);
    CHECK(st_each == st);
    CHECK(c.text && want && strcmp(c.text, want) == 0);
    if (!c.text || !want || strcmp(c.text, want) != 0)
        printf("#   %s differs\n", name);
    CHECK(memcmp(buffer, data, len) == 0 && buffer[len] == '\0');
    free(c.text);
    free(buffer);
    free(want);
}

static void lent_should_give_the_records_of_the_buffer_call(void)
{
    size_t len;
    char *volume = volume_text(5, 3, &len);
    check_lent("volume.txt", volume, len, NULL);
    check_lent("short.txt", SHORT, strlen(SHORT), NULL);
    check_lent("empty.txt", "", 0, NULL);
    /* With a BOM, damaged UTF-8, GB18030 and UTF-16 the text is not the
     * buffer as it stands. */
    char bom[256];
    int n = snprintf(bom, sizeof bom, "\xEF\xBB\xBF%s", SHORT);
    check_lent("bom.txt", bom, (size_t)n, NULL);
    char bad[256];
    n = snprintf(bad, sizeof bad, "%s\xFF\xFE%s", SHORT, SHORT);
    check_lent("bad.txt", bad, (size_t)n, NULL);
    /* 一、总体情况 入学率 in GB18030. */
    static const char gb[] = "\xD2\xBB\xA1\xA2\xD7\xDC\xCC\xE5\xC7\xE9\xBF\xF6\n"
                             "\xC8\xEB\xD1\xA7\xC2\xCA\xB4\xEF\xB5\xBD" "98%\xA1\xA3\n";
    check_lent("gb.txt", gb, sizeof gb - 1, NULL);
    static const char u16[] = "\xFF\xFE\x00\x4E\x01\x30\x3B\x60\x53\x4F\n\x00";
    check_lent("u16.txt", u16, sizeof u16 - 1, NULL);
    edx_options small = {NULL, 16};
    check_lent("big.txt", volume, len, &small);
    edx_options forced = {"GB18030", 0};
    check_lent("forced.txt", gb, sizeof gb - 1, &forced);
    free(volume);
}

static void lent_should_refuse_a_buffer_without_its_nul(void)
{
    char text[] = "一、总体情况X";
    size_t len = strlen(text) - 1; /* text[len] is 'X' */
    edx_result *res = NULL;
    CHECK(edx_extract_lent(ex, "x.txt", text, len, NULL, NULL, NULL, &res) == EDX_ERR_ARG);
    CHECK(res == NULL);
    CHECK(edx_extract_lent(ex, "x.txt", text, strlen(text), NULL, collect, NULL, &res) ==
          EDX_ERR_ARG);
    CHECK(edx_extract_lent(ex, "x.txt", text, strlen(text), NULL, NULL, NULL, NULL) ==
          EDX_ERR_ARG);
}

int main(void)
{
    char *diags = NULL;
    if (edx_extractor_new(EDX_TEST_RULES, &ex, &diags) != EDX_OK) {
        printf("Bail out! rules: %s\n", diags ? diags : "?");
        return 1;
    }
    RUN(an_input_should_give_the_records_of_a_new_extractor_after_any_other);
    RUN(a_callback_should_extract_with_a_workspace_of_its_own);
    RUN(lent_should_give_the_records_of_the_buffer_call);
    RUN(lent_should_refuse_a_buffer_without_its_nul);
    edx_extractor_free(ex);
    return check_done();
}
