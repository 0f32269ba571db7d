/* test_split.c -- reports in one file and their metadata. */
#include <stdio.h>

#include "buf.h"
#include "check.h"
#include "clean.h"
#include "normalize.h"
#include "split.h"
#include "test_input_common.h"

#define BODY "我校认真落实上级部署,扎实推进各项工作,办学条件明显改善,教育质量稳步提高,学生全面发展。" \
             "全年入学率达到100%,巩固率保持在99%以上,教师队伍建设不断加强,群众满意度明显提升。\n"

static doc *split_text(const char *text)
{
    doc *d = doc_from(text);
    if (d && !(normalize_doc(d) && split_doc(d))) {
        doc_free(d);
        return NULL;
    }
    for (size_t i = 0; d && i < d->nreports; i++)
        split_metadata(d, &d->reports[i]);
    return d;
}

static void split_should_make_one_report_per_numbered_piece(void)
{
    doc *d = split_text("某县工作汇报材料3篇\n导语。\n某县工作汇报材料篇1\n" BODY
                        "某县工作汇报材料篇2\n" BODY "某县工作汇报材料篇3\n" BODY);
    CHECK(d && d->nreports == 3);
    CHECK(d && d->nreports == 3 && d->reports[1].title &&
          strcmp(d->reports[1].title, "某县工作汇报材料篇2") == 0);
    doc_free(d);
}

/* A volume compiled from several sources: a series, then the same series
 * again, then an unrelated report.  Each is a report of its own. */
static void split_should_keep_apart_reports_after_a_series(void)
{
    doc *d = split_text("某县工作汇报材料篇1\n" BODY BODY "某县工作汇报材料篇2\n" BODY BODY
                        "某县工作汇报材料篇1\n" BODY BODY "某县工作汇报材料篇2\n" BODY BODY
                        "某校艺术组工作计划\n" BODY BODY);
    CHECK(d && d->nreports == 5);
    CHECK(d && d->nreports == 5 && d->reports[4].title &&
          strcmp(d->reports[4].title, "某校艺术组工作计划") == 0);
    doc_free(d);
}

/* Past DOC_MAX_REPORTS the last report runs to the end and says so. */
static void split_should_mark_a_file_with_too_many_reports(void)
{
    buf b = BUF_INIT;
    for (int i = 0; i <= DOC_MAX_REPORTS && b.len < (size_t)1 << 24; i++) {
        char title[64];
        snprintf(title, sizeof title, "城关第%d小学工作计划\n", i);
        CHECK(buf_puts(&b, title) && buf_puts(&b, BODY BODY));
    }
    doc *d = b.data ? split_text(b.data) : NULL;
    CHECK(d && d->nreports == DOC_MAX_REPORTS && d->reports_cut);
    doc_free(d);
    free(b.data);
}

static void split_should_not_split_at_a_repeated_page_header(void)
{
    doc *d = split_text("某县教育局工作总结\n开头一段。\n某县教育局工作总结\n一、主要工作\n" BODY);
    CHECK(d && d->nreports == 1);
    doc_free(d);
}

static void split_should_split_at_an_unrelated_document(void)
{
    doc *d = split_text("某县教研室工作总结\n" BODY BODY "某校艺术组工作计划\n" BODY);
    CHECK(d && d->nreports == 2);
    CHECK(d && d->nreports == 2 && d->reports[1].extent.start == d->reports[0].extent.end);
    doc_free(d);
}

static void metadata_should_read_year_period_organization_and_date(void)
{
    doc *d = split_text("2021年教育局普教科上半年工作总结\n" BODY "马集镇郭集小学\n2018年5月15日\n");
    CHECK(d && d->nreports == 1);
    report *r = &d->reports[0];
    CHECK_STR(r->title, "2021年教育局普教科上半年工作总结");
    CHECK_NUM(r->year, 2021);
    CHECK_STR(r->period, "上半年");
    CHECK_STR(r->organization, "马集镇郭集小学");
    CHECK_STR(r->date, "2018-05-15");
    doc_free(d);
}

/* A bullet before the title is trimmed whole: · is two bytes, • three. */
static void metadata_should_trim_a_bullet_before_the_title(void)
{
    doc *d = split_text("·某县教研室工作总结\n" BODY);
    CHECK(d && d->nreports == 1);
    CHECK(d && d->nreports == 1 && d->reports[0].title &&
          strcmp(d->reports[0].title, "某县教研室工作总结") == 0);
    doc_free(d);
    d = split_text("• 某县教研室工作总结\n" BODY);
    CHECK(d && d->nreports == 1 && d->reports[0].title &&
          strcmp(d->reports[0].title, "某县教研室工作总结") == 0);
    doc_free(d);
}

static void metadata_should_leave_redacted_years_null(void)
{
    doc *d = split_text("20xx年某校上半年工作总结\n" BODY "__年__月__日\n");
    CHECK(d && d->nreports == 1);
    CHECK_NUM(d->reports[0].year, 0);
    CHECK(d->reports[0].date == NULL);
    doc_free(d);
}

/* The word lists are searched only where a word's first two bytes stand
 * (sixteen places at a time, the text's end from one overlapping block):
 * each word of each list, at every place within a block and at the end of
 * a title, is still found.  pad() gives k characters of padding. */
static const char *pad(int k)
{
    static const char PAD[] = "某某某某某某某某某某某某某某某某某某某某某某";
    return PAD + sizeof PAD - 1 - 3 * (size_t)k;
}

static void metadata_should_find_every_period_wherever_it_stands(void)
{
    static const char *const periods[][2] = {
        {"上半年", "上半年"}, {"下半年", "下半年"}, {"全年", "全年"},
        {"第一季度", "第一季度"}, {"第二季度", "第二季度"}, {"第三季度", "第三季度"},
        {"第四季度", "第四季度"}, {"学年度", "学年"}, {"学年", "学年"}, {"年度", "年度"}};
    for (size_t p = 0; p < sizeof periods / sizeof *periods; p++)
        for (int k = 0; k <= 12; k++) {
            char text[1024];
            snprintf(text, sizeof text, "%s城关镇%s工作总结\n%s", pad(k), periods[p][0], BODY);
            doc *d = split_text(text);
            CHECK(d && d->nreports == 1);
            if (d && d->nreports == 1)
                CHECK_STR(d->reports[0].period, periods[p][1]);
            doc_free(d);
        }
}

/* A title line starts a second report only when its title word is found. */
static void split_should_find_every_title_word_wherever_it_stands(void)
{
    static const char *const words[] = {"总结", "报告", "汇报", "材料", "计划", "方案",
                                        "规划", "讲话", "小结", "公示表", "请示", "工作要点"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++)
        for (int k = 0; k <= 16; k++) {
            char title[256], text[1024];
            snprintf(title, sizeof title, "城关%s的%s", pad(k), words[w]);
            snprintf(text, sizeof text, "某县教研室工作总结\n%s%s%s\n%s", BODY, BODY, title, BODY);
            doc *d = split_text(text);
            CHECK(d && d->nreports == 2);
            if (d && d->nreports == 2)
                CHECK_STR(d->reports[1].title, title);
            doc_free(d);
        }
}

/* A collection heading is never the title, wherever its word stands. */
static void metadata_should_pass_a_collection_heading_wherever_its_word_stands(void)
{
    static const char *const words[] = {"合集", "精选", "精编"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++)
        for (int k = 0; k <= 16; k++) {
            char text[1024];
            snprintf(text, sizeof text, "城关%s%s工作总结\n%s", pad(k), words[w], BODY);
            doc *d = split_text(text);
            CHECK(d && d->nreports == 1);
            if (d && d->nreports == 1)
                CHECK(d->reports[0].title == NULL);
            doc_free(d);
        }
}

static void metadata_should_take_every_organization_suffix_from_the_title(void)
{
    static const char *const suffixes[] = {"教育局", "学校", "小学", "中学", "幼儿园",
                                           "学区", "中心校", "政府", "委员会", "办公室",
                                           "教研室", "教体局", "教育厅", "科", "局"};
    for (size_t w = 0; w < sizeof suffixes / sizeof *suffixes; w++)
        for (int k = 0; k <= 8; k += 4) {
            char org[256], text[1024];
            snprintf(org, sizeof org, "城关%s%s", pad(k), suffixes[w]);
            snprintf(text, sizeof text, "2021年%s工作总结\n%s", org, BODY);
            doc *d = split_text(text);
            CHECK(d && d->nreports == 1);
            if (d && d->nreports == 1)
                CHECK_STR(d->reports[0].organization, org);
            doc_free(d);
        }
}

int main(void)
{
    RUN(split_should_make_one_report_per_numbered_piece);
    RUN(split_should_keep_apart_reports_after_a_series);
    RUN(split_should_mark_a_file_with_too_many_reports);
    RUN(split_should_not_split_at_a_repeated_page_header);
    RUN(split_should_split_at_an_unrelated_document);
    RUN(metadata_should_read_year_period_organization_and_date);
    RUN(metadata_should_trim_a_bullet_before_the_title);
    RUN(metadata_should_leave_redacted_years_null);
    RUN(metadata_should_find_every_period_wherever_it_stands);
    RUN(split_should_find_every_title_word_wherever_it_stands);
    RUN(metadata_should_pass_a_collection_heading_wherever_its_word_stands);
    RUN(metadata_should_take_every_organization_suffix_from_the_title);
    return check_done();
}
