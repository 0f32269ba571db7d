/* test_conf.c -- the rule file reader and its located diagnostics. */
#include <stdlib.h>

#include "check.h"
#include "conf.h"

static void conf_should_read_sections_keys_and_columns(void)
{
    const char *t = "# c\n[enrollment_rate]\nname = 入学率\n  terms =  a, b\n";
    conf_file f;
    diag d = DIAG_INIT;
    CHECK(conf_parse("x.conf", t, strlen(t), &f, &d));
    CHECK(d.errors == 0);
    CHECK(f.n == 1);
    CHECK_STR(f.sections[0].name, "enrollment_rate");
    CHECK(f.sections[0].n == 2);
    CHECK_STR(f.sections[0].entries[0].value, "入学率");
    CHECK(f.sections[0].entries[0].line == 3);
    CHECK(f.sections[0].entries[0].value_col == 8);
    CHECK(f.sections[0].entries[1].key_col == 3);
    CHECK(f.sections[0].entries[1].value_col == 12);
    conf_free(&f);
    diag_free(&d);
}

static void conf_should_report_syntax_errors_with_line_and_column(void)
{
    const char *t = "[a]\nno equals here\n[b\n";
    conf_file f;
    diag d = DIAG_INIT;
    conf_parse("r.conf", t, strlen(t), &f, &d);
    CHECK(d.errors == 2);
    CHECK(strstr(d.text.data, "r.conf:2:1: error: expected 'key = value'") != NULL);
    CHECK(strstr(d.text.data, "r.conf:3:1: error: section header lacks") != NULL);
    conf_free(&f);
    diag_free(&d);
}

static void conf_should_report_the_line_that_is_not_utf8_and_read_the_rest(void)
{
    const char *t = "[a]\nk = 入学率\nbad = \xE5\x85\n[b]\nk = v\n";
    conf_file f;
    diag d = DIAG_INIT;
    CHECK(conf_parse("u.conf", t, strlen(t), &f, &d));
    CHECK(d.errors == 1);
    CHECK(d.text.data && strstr(d.text.data, "u.conf:3:1: error: line is not valid UTF-8") != NULL);
    CHECK(f.n == 2 && f.sections[0].n == 1 && f.sections[1].n == 1);
    if (f.n == 2 && f.sections[1].n == 1) {
        CHECK_STR(f.sections[1].entries[0].key, "k");
        CHECK_STR(f.sections[1].entries[0].value, "v");
    }
    conf_free(&f);
    diag_free(&d);
}

static void conf_should_flag_unknown_keys_and_duplicate_ids(void)
{
    const char *t = "[a]\nnmae = x\n[a]\nname = y\n";
    static const char *const keys[] = {"name", NULL};
    conf_file f;
    diag d = DIAG_INIT;
    conf_parse("k.conf", t, strlen(t), &f, &d);
    CHECK(conf_check_keys(&f, &f.sections[0], keys, &d) == 1);
    CHECK(conf_check_unique(&f, &d) == 1);
    CHECK(strstr(d.text.data, "k.conf:2:1: error: unknown key 'nmae' in [a]") != NULL);
    CHECK(strstr(d.text.data, "k.conf:3:2: error: duplicate id 'a'") != NULL);
    conf_free(&f);
    diag_free(&d);
}

static bool collect(const char *item, size_t len, size_t off, void *ctx)
{
    (void)off;
    char *acc = ctx;
    strncat(acc, item, len);
    strcat(acc, "|");
    return true;
}

static void split_list_should_keep_dunhao_inside_terms(void)
{
    char acc[256] = "";
    conf_split_list("体育、艺术专任教师，生均图书 , 师生比", collect, acc);
    CHECK_STR(acc, "体育、艺术专任教师|生均图书|师生比|");
}

int main(void)
{
    RUN(conf_should_read_sections_keys_and_columns);
    RUN(conf_should_report_syntax_errors_with_line_and_column);
    RUN(conf_should_report_the_line_that_is_not_utf8_and_read_the_rest);
    RUN(conf_should_flag_unknown_keys_and_duplicate_ids);
    RUN(split_list_should_keep_dunhao_inside_terms);
    return check_done();
}
