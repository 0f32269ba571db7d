/* test_normalize.c -- folds, traditional characters, pinyin and spaced text. */
#include "check.h"
#include "normalize.h"
#include "test_input_common.h"

static void normalize_should_fold_full_width_and_keep_the_map(void)
{
    doc *d = doc_from("入学率１００％，师生比１∶１７\r\n");
    CHECK(d && normalize_doc(d));
    CHECK_STR(d->work, "入学率100%,师生比1:17\n");
    const char *p = strstr(d->work, "100%");
    CHECK(orig_is(d, (size_t)(p - d->work), (size_t)(p - d->work) + 4, "１００％"));
    doc_free(d);
}

static void normalize_should_drop_zero_width_characters(void)
{
    doc *d = doc_from("巩\xE2\x80\x8B固率98%");
    CHECK(d && normalize_doc(d));
    CHECK_STR(d->work, "巩固率98%");
    CHECK(orig_is(d, 0, strlen(d->work), "巩\xE2\x80\x8B固率98%"));
    doc_free(d);
}

static void normalize_should_fold_traditional_with_the_charmap(void)
{
    rules *r = test_rules();
    CHECK(r != NULL);
    doc *d = doc_from("入學率100%，師生比1:17，鞏固率達到98%");
    CHECK(d && r && normalize_doc_with(&r->charmap, d));
    CHECK(strstr(d->work, "入学率100%") != NULL);
    CHECK(strstr(d->work, "师生比") != NULL);
    CHECK(strstr(d->work, "巩固率达到") != NULL);
    CHECK(normalize_charmap_fold(&r->charmap, 0x5B78) == 0x5B66); /* 學 -> 学 */
    CHECK(normalize_charmap_fold(&r->charmap, 0x8457) == 0x8457); /* 著 stays */
    doc_free(d);
    rules_free(r);
}

static void normalize_should_drop_pinyin_annotations(void)
{
    doc *d = doc_from("學(xué)校達(dá)標(biāo)率為100%，(一)概况");
    CHECK(d && normalize_doc(d));
    CHECK_STR(d->work, "學校達標率為100%,(一)概况");
    const char *p = strstr(d->work, "標率");
    CHECK(orig_is(d, (size_t)(p - d->work), strlen(d->work) - strlen(",(一)概况"),
                  "標(biāo)率為100%"));
    doc_free(d);
}

static void normalize_should_join_text_spaced_out_by_a_pdf_copy(void)
{
    doc *d = doc_from("学 历 合 格 率 达 100 %\n小学  初中  高中\n合计 12 15\n自 评 报 告 各位领导");
    CHECK(d && normalize_doc(d));
    CHECK_STR(d->work, "学历合格率达100%\n小学  初中  高中\n合计 12 15\n自评报告 各位领导");
    const char *p = strstr(d->work, "100%");
    CHECK(orig_is(d, (size_t)(p - d->work), (size_t)(p - d->work) + 4, "100 %"));
    doc_free(d);
}

static void normalize_should_keep_table_rows_apart(void)
{
    doc *d = doc_from("男 女 12 15 20\n学校 教师 学生");
    CHECK(d && normalize_doc(d));
    CHECK_STR(d->work, "男 女 12 15 20\n学校 教师 学生");
    doc_free(d);
}

static void normalize_should_close_a_decimal_split_by_a_space(void)
{
    doc *d = doc_from("生均校舍面积3. 1平方米\n1. 2022年概况");
    CHECK(d && normalize_doc(d));
    CHECK_STR(d->work, "生均校舍面积3.1平方米\n1. 2022年概况");
    doc_free(d);
}

static void normalize_should_join_a_number_cut_by_a_line_break(void)
{
    doc *d = doc_from("面积38.7\n5万平方米,电脑20.\n7台,比例为9\n8.5%。\n共有学校12\n3、管理\n入学率\n98\n2021\n2022年");
    CHECK(d && normalize_doc(d));
    /* joined: 38.75万, 20.7台, 98.5%; kept: a list marker, a number alone
     * on its line, years in a column */
    CHECK_STR(d->work, "面积38.75万平方米,电脑20.7台,比例为98.5%。\n共有学校12\n3、管理\n入学率\n98\n2021\n2022年");
    CHECK(d && doc_orig_byte(d, strlen("面积38.75")) == strlen("面积38.7\n5"));
    doc_free(d);
}

int main(void)
{
    RUN(normalize_should_fold_full_width_and_keep_the_map);
    RUN(normalize_should_drop_zero_width_characters);
    RUN(normalize_should_fold_traditional_with_the_charmap);
    RUN(normalize_should_drop_pinyin_annotations);
    RUN(normalize_should_join_text_spaced_out_by_a_pdf_copy);
    RUN(normalize_should_keep_table_rows_apart);
    RUN(normalize_should_close_a_decimal_split_by_a_space);
    RUN(normalize_should_join_a_number_cut_by_a_line_break);
    return check_done();
}
