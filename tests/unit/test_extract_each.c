/* test_extract_each.c -- edx_extract_file_each / edx_extract_buffer_each:
 * the records through the callback are the records the collecting calls
 * keep, byte for byte, error records included; a nonzero return stops. */
#define _POSIX_C_SOURCE 200809L /* uselocale, newlocale */
#include <dirent.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "eduextract.h"

static edx_extractor *ex;

/* What the callback saw: each record's compact JSON (one per line), its
 * CSV rows and pretty JSON, summed counts, and the failures. */
typedef struct seen {
    char *json, *csv, *pretty;
    size_t json_len, csv_len, pretty_len;
    size_t calls;
    size_t stop_at;        /* return nonzero on this call (1-based); 0: never */
    int failed;
    char *error;           /* edx_result_error of a failed record */
    edx_counts counts;
    locale_t want_locale;  /* the locale fn must run under; 0: not checked */
    bool locale_ok;
} seen;

static void append(char **s, size_t *len, const char *t, size_t n, bool newline)
{
    char *p = realloc(*s, *len + n + 2);
    if (!p)
        abort();
    memcpy(p + *len, t, n);
    *len += n;
    if (newline)
        p[(*len)++] = '\n';
    p[*len] = '\0';
    *s = p;
}

static int on_record(void *user, edx_result *one)
{
    seen *sn = user;
    sn->calls++;
    CHECK(edx_result_count(one) == 1);
    CHECK(edx_result_json_view(one, 1, NULL) == NULL);
    size_t n = 0;
    const char *v = edx_result_json_view(one, 0, &n);
    CHECK(v != NULL);
    if (v)
        append(&sn->json, &sn->json_len, v, n, true);
    char *csv = edx_result_csv(one);
    char *pretty = edx_result_json(one, 0, EDX_JSON_PRETTY);
    CHECK(csv && pretty);
    if (csv)
        append(&sn->csv, &sn->csv_len, csv, strlen(csv), false);
    if (pretty)
        append(&sn->pretty, &sn->pretty_len, pretty, strlen(pretty), true);
    edx_free(csv);
    edx_free(pretty);
    edx_counts c;
    edx_result_counts(one, &c);
    sn->counts.reports += c.reports;
    sn->counts.figures += c.figures;
    sn->counts.sections += c.sections;
    sn->counts.checks += c.checks;
    sn->counts.redacted += c.redacted;
    if (edx_result_failed(one)) {
        sn->failed++;
        const char *e = edx_result_error(one);
        free(sn->error);
        sn->error = e ? strdup(e) : NULL;
    }
    if (sn->want_locale && uselocale((locale_t)0) != sn->want_locale)
        sn->locale_ok = false;
    return sn->stop_at && sn->calls == sn->stop_at;
}

static void seen_free(seen *sn)
{
    free(sn->json);
    free(sn->csv);
    free(sn->pretty);
    free(sn->error);
    memset(sn, 0, sizeof *sn);
}

/* The same texts from a collecting result. */
static void seen_of_result(const edx_result *res, seen *sn)
{
    memset(sn, 0, sizeof *sn);
    for (size_t i = 0; i < edx_result_count(res); i++) {
        size_t n = 0;
        const char *v = edx_result_json_view(res, i, &n);
        append(&sn->json, &sn->json_len, v, n, true);
        char *pretty = edx_result_json(res, i, EDX_JSON_PRETTY);
        append(&sn->pretty, &sn->pretty_len, pretty, strlen(pretty), true);
        edx_free(pretty);
    }
    char *csv = edx_result_csv(res);
    append(&sn->csv, &sn->csv_len, csv, strlen(csv), false);
    edx_free(csv);
    sn->calls = edx_result_count(res);
    sn->failed = edx_result_failed(res);
    const char *e = edx_result_error(res);
    sn->error = e ? strdup(e) : NULL;
    edx_result_counts(res, &sn->counts);
}

static bool same_text(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* Both ways agree on everything the callback can see. */
static void check_same(const seen *got, const seen *want, const char *label)
{
    bool same = got->calls == want->calls && got->failed == want->failed &&
                same_text(got->json, got->json_len, want->json, want->json_len) &&
                same_text(got->csv, got->csv_len, want->csv, want->csv_len) &&
                same_text(got->pretty, got->pretty_len, want->pretty, want->pretty_len) &&
                memcmp(&got->counts, &want->counts, sizeof got->counts) == 0 &&
                (got->error ? want->error && strcmp(got->error, want->error) == 0
                            : !want->error);
    if (!same)
        printf("#   differs: %s (%zu/%zu records)\n", label, got->calls, want->calls);
    CHECK(same);
}

/* A text of five reports, 篇1 … 篇5, each with two headings and a few figures. */
static char *volume_text(void)
{
    static const char body[] =
        "\n\n一、基本情况\n"
        "本校现有教学班%d个，在校学生%d人，专任教师%d人，适龄儿童入学率达到99.%d%%。"
        "全年组织教师培训%d场次，学校图书馆藏书持续增加，办学条件不断改善，各项工作有序推进。\n"
        "二、下一步打算\n继续加强教师队伍建设，提高教育教学质量，办好人民满意的教育。\n\n";
    char *t = calloc(1, 8192);
    size_t n = 0;
    n += (size_t)snprintf(t + n, 8192 - n, "学校工作总结（精选5篇）\n\n");
    for (int k = 1; k <= 5; k++) {
        n += (size_t)snprintf(t + n, 8192 - n, "城关第%d小学工作总结篇%d", k, k);
        n += (size_t)snprintf(t + n, 8192 - n, body, 10 + k, 400 + 37 * k, 20 + k, k, 3 + k);
    }
    return t;
}

static void each_should_give_the_records_of_the_collecting_call_for_every_sample(void)
{
    DIR *dir = opendir(EDX_TEST_SOURCE_ROOT "/samples");
    CHECK(dir != NULL);
    if (!dir)
        return;
    size_t files = 0, records = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/samples/%s", EDX_TEST_SOURCE_ROOT, e->d_name);
        edx_result *res = NULL;
        edx_status st = edx_extract_file(ex, path, NULL, &res);
        CHECK(res != NULL);
        if (!res)
            continue;
        seen want, got;
        seen_of_result(res, &want);
        memset(&got, 0, sizeof got);
        CHECK(edx_extract_file_each(ex, path, NULL, on_record, &got) == st);
        check_same(&got, &want, path);
        files++;
        records += got.calls;
        seen_free(&got);
        seen_free(&want);
        edx_result_free(res);
    }
    closedir(dir);
    CHECK(files >= 10);
    CHECK(records > files); /* liangpian.txt has two reports */
}

static void each_should_give_every_report_of_a_volume_with_its_report_count(void)
{
    char *text = volume_text();
    size_t len = strlen(text);
    edx_result *res = NULL;
    CHECK(edx_extract_buffer(ex, "volume.txt", text, len, NULL, &res) == EDX_OK);
    CHECK(edx_result_count(res) == 5);
    seen want, got;
    seen_of_result(res, &want);
    memset(&got, 0, sizeof got);
    CHECK(edx_extract_buffer_each(ex, "volume.txt", text, len, NULL, on_record, &got) == EDX_OK);
    check_same(&got, &want, "volume.txt");
    /* Every record knows the whole count, the first one included. */
    const char *first_nl = got.json ? strchr(got.json, '\n') : NULL;
    const char *rc = got.json ? strstr(got.json, "\"report_count\":5") : NULL;
    CHECK(rc && first_nl && rc < first_nl);
    CHECK(strstr(got.json ? got.json : "", "\"report_index\":4") != NULL);
    seen_free(&got);
    seen_free(&want);
    edx_result_free(res);
    free(text);
}

/* A record's text taken out of a result is the text it lent, once. */
static int take_record(void *user, edx_result *one)
{
    char **texts = user;
    size_t n = 0, vn = 0;
    const char *v = edx_result_json_view(one, 0, &vn);
    char *copy = v ? strdup(v) : NULL;
    char *t = edx_result_json_take(one, 0, &n);
    CHECK(t && copy && n == vn && strcmp(t, copy) == 0);
    CHECK(edx_result_json_take(one, 0, NULL) == NULL);
    CHECK(edx_result_json_view(one, 0, NULL) == NULL);
    edx_counts k;
    edx_result_counts(one, &k);
    CHECK(k.reports == 1);
    append(texts, &(size_t){*texts ? strlen(*texts) : 0}, t ? t : "", n, true);
    edx_free(t);
    free(copy);
    return 0;
}

static void take_should_hand_over_each_records_text_once(void)
{
    char *text = volume_text();
    size_t len = strlen(text);
    edx_result *res = NULL;
    CHECK(edx_extract_buffer(ex, "volume.txt", text, len, NULL, &res) == EDX_OK);
    seen want;
    seen_of_result(res, &want);
    char *taken = NULL;
    CHECK(edx_extract_buffer_each(ex, "volume.txt", text, len, NULL, take_record, &taken) ==
          EDX_OK);
    CHECK(taken && want.json && strcmp(taken, want.json) == 0);
    /* From a collecting result too, and out of range gives NULL. */
    size_t n = 0;
    char *t = edx_result_json_take(res, 4, &n);
    CHECK(t && n == strlen(t) && edx_result_json_view(res, 4, NULL) == NULL);
    CHECK(edx_result_json_take(res, 5, NULL) == NULL);
    CHECK(edx_result_json_view(res, 3, NULL) != NULL);
    edx_free(t);
    free(taken);
    seen_free(&want);
    edx_result_free(res);
    free(text);
}

static void each_should_stop_when_the_callback_returns_nonzero(void)
{
    char *text = volume_text();
    seen got;
    memset(&got, 0, sizeof got);
    got.stop_at = 2;
    CHECK(edx_extract_buffer_each(ex, "volume.txt", text, strlen(text), NULL, on_record, &got) ==
          EDX_ERR_STOPPED);
    CHECK(got.calls == 2);
    CHECK(got.failed == 0);
    seen_free(&got);
    /* Stopping on the last record still says it stopped. */
    memset(&got, 0, sizeof got);
    got.stop_at = 5;
    CHECK(edx_extract_buffer_each(ex, "volume.txt", text, strlen(text), NULL, on_record, &got) ==
          EDX_ERR_STOPPED);
    CHECK(got.calls == 5);
    seen_free(&got);
    CHECK(strcmp(edx_strerror(EDX_ERR_STOPPED), "unknown status") != 0);
    free(text);
}

/* One failing input both ways: the same status and error record. */
static void check_failure(const char *path, const void *data, size_t len, size_t max,
                          edx_status want_st)
{
    edx_options opt = {NULL, max};
    edx_result *res = NULL;
    edx_status st = data ? edx_extract_buffer(ex, path, data, len, &opt, &res)
                         : edx_extract_file(ex, path, &opt, &res);
    if (st != want_st)
        printf("#   %s: status %d, expected %d\n", path, (int)st, (int)want_st);
    CHECK(st == want_st);
    CHECK(res && edx_result_failed(res));
    if (!res)
        return;
    seen want, got;
    seen_of_result(res, &want);
    memset(&got, 0, sizeof got);
    st = data ? edx_extract_buffer_each(ex, path, data, len, &opt, on_record, &got)
              : edx_extract_file_each(ex, path, &opt, on_record, &got);
    CHECK(st == want_st);
    CHECK(got.calls == 1 && got.failed == 1 && got.error != NULL);
    check_same(&got, &want, path);
    seen_free(&got);
    seen_free(&want);
    edx_result_free(res);
    /* Stopped on its error record. */
    memset(&got, 0, sizeof got);
    got.stop_at = 1;
    st = data ? edx_extract_buffer_each(ex, path, data, len, &opt, on_record, &got)
              : edx_extract_file_each(ex, path, &opt, on_record, &got);
    CHECK(st == EDX_ERR_STOPPED && got.calls == 1);
    seen_free(&got);
}

static void each_should_give_an_input_that_fails_its_error_record(void)
{
    check_failure(EDX_TEST_SOURCE_ROOT "/samples/no-such-file.txt", NULL, 0, 0, EDX_ERR_IO);
    check_failure(EDX_TEST_SOURCE_ROOT "/samples", NULL, 0, 0, EDX_ERR_IO);
    check_failure(EDX_TEST_SOURCE_ROOT "/samples/liangpian.txt", NULL, 0, 100, EDX_ERR_LIMIT);
    char *text = volume_text();
    check_failure("big.txt", text, strlen(text), 100, EDX_ERR_LIMIT);
    free(text);
    unsigned char binary[256];
    for (size_t i = 0; i < sizeof binary; i++)
        binary[i] = i % 4 ? (unsigned char)(1 + i % 7) : 0xFF; /* not UTF-8, control bytes */
    check_failure("a.bin", binary, sizeof binary, 0, EDX_ERR_BINARY);
}

static void each_should_run_the_callback_under_the_callers_locale(void)
{
    locale_t mine = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    CHECK(mine != (locale_t)0);
    if (!mine)
        return;
    locale_t before = uselocale(mine);
    char *text = volume_text();
    seen got;
    memset(&got, 0, sizeof got);
    got.want_locale = mine;
    got.locale_ok = true;
    CHECK(edx_extract_buffer_each(ex, "volume.txt", text, strlen(text), NULL, on_record, &got) ==
          EDX_OK);
    CHECK(got.calls == 5 && got.locale_ok);
    CHECK(uselocale((locale_t)0) == mine);
    seen_free(&got);
    free(text);
    uselocale(before);
    freelocale(mine);
}

static void each_should_refuse_missing_arguments(void)
{
    seen got;
    memset(&got, 0, sizeof got);
    CHECK(edx_extract_buffer_each(ex, "a", "x", 1, NULL, NULL, &got) == EDX_ERR_ARG);
    CHECK(edx_extract_buffer_each(NULL, "a", "x", 1, NULL, on_record, &got) == EDX_ERR_ARG);
    CHECK(edx_extract_buffer_each(ex, "a", NULL, 1, NULL, on_record, &got) == EDX_ERR_ARG);
    CHECK(edx_extract_file_each(ex, NULL, NULL, on_record, &got) == EDX_ERR_ARG);
    CHECK(edx_extract_file_each(ex, "a", NULL, NULL, &got) == EDX_ERR_ARG);
    CHECK(got.calls == 0);
}

int main(void)
{
    char *diags = NULL;
    if (edx_extractor_new(EDX_TEST_RULES, &ex, &diags) != EDX_OK) {
        printf("Bail out! rules: %s\n", diags ? diags : "?");
        return 1;
    }
    RUN(each_should_give_the_records_of_the_collecting_call_for_every_sample);
    RUN(each_should_give_every_report_of_a_volume_with_its_report_count);
    RUN(take_should_hand_over_each_records_text_once);
    RUN(each_should_stop_when_the_callback_returns_nonzero);
    RUN(each_should_give_an_input_that_fails_its_error_record);
    RUN(each_should_run_the_callback_under_the_callers_locale);
    RUN(each_should_refuse_missing_arguments);
    edx_extractor_free(ex);
    return check_done();
}
