/* test_outline.c -- the numbered-heading tree: every marker family, the
 * continuity rule and its traps, titles, extents, limits.  The report texts
 * are invented, in the style of the reports in ../shared. */
#include <stdlib.h>
#include <time.h>

#include "buf.h"
#include "check.h"
#include "doc.h"
#include "outline.h"

/* A doc whose working text is text, holding one report over all of it. */
static doc *parse(const char *text)
{
    doc *d = doc_new("test");
    if (!d)
        return NULL;
    d->work = strdup(text);
    d->work_len = strlen(text);
    d->reports = calloc(1, sizeof *d->reports);
    if (!d->work || !d->reports) {
        doc_free(d);
        return NULL;
    }
    d->nreports = 1;
    d->reports[0].extent.start = 0;
    d->reports[0].extent.end = d->work_len;
    if (!outline_parse(d, &d->reports[0])) {
        doc_free(d);
        return NULL;
    }
    return d;
}

/* The outline as "level marker title|…", e.g. "1 一、基本情况|2 (一)师资|". */
static char outline_text[8192];

static const char *outline_of(const doc *d)
{
    size_t n = 0;
    outline_text[0] = '\0';
    if (!d)
        return "(parse failed)";
    const report *r = &d->reports[0];
    for (size_t i = 0; i < r->nsections && n < sizeof outline_text - 1; i++) {
        const section *s = &r->sections[i];
        int w = snprintf(outline_text + n, sizeof outline_text - n, "%d %.*s%.*s|", s->level,
                         (int)(s->marker.end - s->marker.start), d->work + s->marker.start,
                         (int)(s->title.end - s->title.start), d->work + s->title.start);
        if (w < 0)
            break;
        n += (size_t)w;
        if (n >= sizeof outline_text)
            n = sizeof outline_text - 1;
    }
    return outline_text;
}

static void check_outline(const char *text, const char *expected, int line)
{
    doc *d = parse(text);
    const char *got = outline_of(d);
    if (strcmp(got, expected) != 0) {
        printf("#   line %d: outline \"%s\"\n#     expected \"%s\"\n", line, got, expected);
        check_current_failed = 1;
    }
    doc_free(d);
}

#define OUTLINE(text, expected) check_outline(text, expected, __LINE__)

/* ----- marker families ----- */

static void outline_should_nest_the_official_convention(void)
{
    OUTLINE("一、基本情况\n(一)师资队伍\n1.专任教师\n(1)学历\n①本科\n",
            "1 一、基本情况|2 (一)师资队伍|3 1.专任教师|4 (1)学历|5 ①本科|");
}

static void outline_should_read_chinese_numerals_past_ten(void)
{
    OUTLINE("一、甲\n二、乙\n三、丙\n四、丁\n五、戊\n六、己\n七、庚\n八、辛\n九、壬\n十、癸\n十一、子\n十二、丑\n",
            "1 一、甲|1 二、乙|1 三、丙|1 四、丁|1 五、戊|1 六、己|1 七、庚|1 八、辛|1 九、壬|"
            "1 十、癸|1 十一、子|1 十二、丑|");
}

static void outline_should_keep_the_dun_after_a_parenthesis_in_the_marker(void)
{
    OUTLINE("一、主要工作\n(一)、档案资料完善\n(二)、项目建设有序\n",
            "1 一、主要工作|2 (一)、档案资料完善|2 (二)、项目建设有序|");
}

static void outline_should_accept_full_width_parentheses_and_dot(void)
{
    OUTLINE("（一）办学条件\n1．校舍面积\n2．图书装备\n",
            "1 （一）办学条件|2 1．校舍面积|2 2．图书装备|");
}

static void outline_should_treat_arabic_dun_and_dot_as_one_family(void)
{
    OUTLINE("一、规范办学\n1.收费公示到位。\n2、常规管理扎实。\n3、质量稳步提升。\n",
            "1 一、规范办学|2 1.收费公示到位|2 2、常规管理扎实|2 3、质量稳步提升|");
}

static void outline_should_read_closing_parenthesis_markers(void)
{
    OUTLINE("一)思想重视\n1)成立领导小组。\n2)落实责任分工。\n二)措施有力\n",
            "1 一)思想重视|2 1)成立领导小组|2 2)落实责任分工|1 二)措施有力|");
}

static void outline_should_read_di_parts_and_chapters(void)
{
    OUTLINE("第一部分 总体情况\n第一章 学校概况\n第二章 办学条件\n第二部分 主要问题\n",
            "1 第一部分总体情况|2 第一章学校概况|2 第二章办学条件|1 第二部分主要问题|");
}

static void outline_should_read_di_with_a_comma(void)
{
    OUTLINE("一、成绩回顾\n主要体现在以下方面: 第一,普及水平提高。第二,办学条件改善。\n",
            "1 一、成绩回顾|2 第一,普及水平提高|2 第二,办学条件改善|");
}

static void outline_should_read_tortoise_shell_brackets(void)
{
    OUTLINE("〔一〕工作目标\n〔二〕工作措施\n", "1 〔一〕工作目标|1 〔二〕工作措施|");
}

static void outline_should_read_indicator_items_as_sections(void)
{
    OUTLINE("一、达标情况\n指标1:生均占地面积15.2平方米,已达标。\n指标2:平均班额38人,已达标。\n"
            "指标三:师生比1:16.5,已达标。\n",
            "1 一、达标情况|2 指标1:生均占地面积15.2平方米,已达标|2 指标2:平均班额38人,已达标|"
            "2 指标三:师生比1:16.5,已达标|");
}

static void outline_should_read_items_with_di_xiang(void)
{
    OUTLINE("一、自评结果\n第一项:校园规划合理。\n第二项:设施配备齐全。\n",
            "1 一、自评结果|2 第一项:校园规划合理|2 第二项:设施配备齐全|");
}

static void outline_should_read_parenthesized_and_dotted_digit_characters(void)
{
    OUTLINE("一、做法\n⒈抓管理\n⑴建制度\n⑵抓落实\n⒉抓质量\n",
            "1 一、做法|2 ⒈抓管理|3 ⑴建制度|3 ⑵抓落实|2 ⒉抓质量|");
}

static void outline_should_read_redacted_arabic_numbers(void)
{
    OUTLINE("(一)基础设施建设\nx.城区学校建设。投资xx万元。\nx.农村学校建设。x.幼儿园项目:已竣工。\n",
            "1 (一)基础设施建设|2 x.城区学校建设|2 x.农村学校建设|2 x.幼儿园项目|");
}

static void outline_should_leave_yishi_enumerations_as_text(void)
{
    OUTLINE("一、工作措施\n一是加强领导;二是完善制度;三是强化督查。\n二、存在问题\n",
            "1 一、工作措施|1 二、存在问题|");
}

/* ----- levels ----- */

static void outline_should_put_arabic_directly_under_chinese(void)
{
    OUTLINE("一、基本情况\n1、学校设置\n2、规模与班额\n二、校舍建设\n1、建筑面积\n",
            "1 一、基本情况|2 1、学校设置|2 2、规模与班额|1 二、校舍建设|2 1、建筑面积|");
}

static void outline_should_let_a_family_skip_a_level_under_a_new_parent(void)
{
    OUTLINE("一、措施\n(一)建章立制\n1.调整机构\n二、对策\n1.加强管理\n2.深入课堂\n",
            "1 一、措施|2 (一)建章立制|3 1.调整机构|1 二、对策|2 1.加强管理|2 2.深入课堂|");
}

static void outline_should_rank_families_by_first_appearance(void)
{
    /* 1. comes first, so it is the outer level here. */
    OUTLINE("1.小学\n(一)入学情况\n(二)巩固情况\n2.初中\n(一)入学情况\n",
            "1 1.小学|2 (一)入学情况|2 (二)巩固情况|1 2.初中|2 (一)入学情况|");
}

/* ----- inline headings ----- */

static void outline_should_find_headings_run_into_one_line(void)
{
    OUTLINE("半年来工作扎实。一、抓投入,条件改善。投资500万元。二、抓管理,质量提高1、常规管理有效。"
            "开展督查。2、德育工作改进。",
            "1 一、抓投入,条件改善|1 二、抓管理,质量提高|2 1、常规管理有效|2 2、德育工作改进|");
}

static void outline_should_take_a_heading_run_into_its_first_subheading(void)
{
    OUTLINE("上半年主要抓了三方面工作一、推进均衡发展1、促进义务教育均衡。继续落实方案。"
            "2、改革招生制度。取消择校生。",
            "1 一、推进均衡发展|2 1、促进义务教育均衡|2 2、改革招生制度|");
}

/* ----- traps ----- */

static void outline_should_skip_sanshi_trap(void)
{
    OUTLINE("一、学习教育\n二、深入贯彻党的十八届\n三、四中全会精神,全面推进依法治教。\n",
            "1 一、学习教育|1 二、深入贯彻党的十八届|");
}

static void outline_should_skip_grade_lists(void)
{
    OUTLINE("一、质量监测\n在高二、初二年级抽样测试。在一、二年级开展识字活动。\n二、工作打算\n",
            "1 一、质量监测|1 二、工作打算|");
}

static void outline_should_take_a_parenthesized_heading_after_a_line_ending_in_gao(void)
{
    /* 高 binds a bare numeral on the next line (高\n二、 is 高二), not (一). */
    OUTLINE("一、扩容\n二、深化改革,质量持续提高\n(一)义务教育\n1、规模。\n",
            "1 一、扩容|1 二、深化改革,质量持续提高|2 (一)义务教育|3 1、规模|");
    OUTLINE("一、学生情况\n全校有高\n二、初二学生共计\n", "1 一、学生情况|");
}

static void outline_should_skip_a_numbered_list_inside_a_sentence(void)
{
    OUTLINE("一、校舍建设\n新建1、2、3号教学楼,改造4、5号宿舍楼。\n二、设备\n",
            "1 一、校舍建设|1 二、设备|");
}

static void outline_should_skip_dates_and_decimals(void)
{
    OUTLINE("一、概况\n2021.5.1起实施,5月1、2日开展演练,比例为12.5%。\n二、成效\n",
            "1 一、概况|1 二、成效|");
}

static void outline_should_skip_di_yi_inside_words(void)
{
    OUTLINE("一、学校概况\n第一中学和第二中学结对帮扶。坚持安全第一、预防为主。\n二、主要做法\n",
            "1 一、学校概况|1 二、主要做法|");
}

static void outline_should_skip_tongyi_inside_a_sentence(void)
{
    OUTLINE("一、管理\n全市统一、规范组织考试。\n二、质量\n", "1 一、管理|1 二、质量|");
}

static void outline_should_skip_numbers_out_of_order(void)
{
    OUTLINE("一、甲项\n三、丙项\n二、乙项\n五、戊项\n", "1 一、甲项|1 二、乙项|");
}

static void outline_should_skip_page_chunk_numbers_that_cut_sentences(void)
{
    /* Each page of the scraped document starts with its number, cutting a
     * sentence; the report's own headings 一、 1、 2、 run inline. */
    OUTLINE("1、区教育局上半年工作总结上半年我们认真贯彻落实了各项工作要点,主要抓了三方面工作"
            "一、推进均衡发展1、促进义务教育均衡。继续落实实施方案,全面加强学校规范化建设,切实\n"
            "2、提高管理水平。各学校从实际出发,找准自己的优势和强项。2、改革招生制度。从今年开始\n"
            "3、实行指标生制度,指标生占正式生的比例逐年扩大,有效控制了跨学区入学的现象,各校\n"
            "4、积极配合。3、提升教学管理水平。",
            "1 一、推进均衡发展|2 1、促进义务教育均衡|2 2、改革招生制度|2 3、提升教学管理水平|");
}

static void outline_should_keep_short_heading_lines_without_punctuation(void)
{
    OUTLINE("一、学校基本情况\n1、地理位置\n2、交通情况\n3、服务范围\n二、存在困难\n",
            "1 一、学校基本情况|2 1、地理位置|2 2、交通情况|2 3、服务范围|1 二、存在困难|");
}

static void outline_should_nest_a_new_family_under_the_innermost_section(void)
{
    /* 1、 first sits under 一、, later under (一): levels follow the nesting. */
    OUTLINE("一、自查内容\n1、校园规划;\n2、校舍面积。\n二、自查结果\n(一)基本情况\n1、校园规划。\n"
            "(1)布局合理。\n2、校舍面积。\n(二)存在问题\n",
            "1 一、自查内容|2 1、校园规划|2 2、校舍面积|1 二、自查结果|2 (一)基本情况|3 1、校园规划|"
            "4 (1)布局合理|3 2、校舍面积|2 (二)存在问题|");
}

static void outline_should_start_over_after_a_summary(void)
{
    OUTLINE("摘要: 一、上半年工作 (一)基础设施建设 …(全文共1800字)\n一、上半年工作\n(一)基础设施建设\n"
            "(二)教师队伍建设\n二、下半年打算\n",
            "1 一、上半年工作|2 (一)基础设施建设 …(全文共1800字)|1 一、上半年工作|2 (一)基础设施建设|"
            "2 (二)教师队伍建设|1 二、下半年打算|");
}

static void outline_should_skip_a_list_after_a_colon_inside_a_sentence(void)
{
    OUTLINE("一、工作成效\n有三项工作受到表扬:1.拓展资金渠道;2.实施校车工程;3.建设校园监控。\n二、打算\n",
            "1 一、工作成效|1 二、打算|");
}

static void outline_should_take_chinese_headings_after_a_colon(void)
{
    OUTLINE("关于新建教学楼的请示如下:一、 学校现状 学校位于城区。二、发展趋势。",
            "1 一、学校现状 学校位于城区|1 二、发展趋势|");
}

static void outline_should_take_a_first_heading_run_into_the_report_title(void)
{
    OUTLINE("某某小学办学情况汇报一、学校基本情况我校创办于1958年。二、主要工作。",
            "1 一、学校基本情况我校创办于1958年|1 二、主要工作|");
}

static void outline_should_read_a_marker_before_a_year(void)
{
    OUTLINE("1.2022年全市教育经费总投入为20.5亿元。\n2.生均经费增长情况\n",
            "1 1.2022年全市教育经费总投入为20.5亿元|1 2.生均经费增长情况|");
}

/* ----- titles and extents ----- */

static void outline_should_end_titles_at_sentence_ends_but_not_in_ratios(void)
{
    OUTLINE("指标1:师生之比1:17.3,省标1:19,已达标。其余略。\n",
            "1 指标1:师生之比1:17.3,省标1:19,已达标|");
    OUTLINE("一、工作目标:全面达标。\n二、主要措施;分三步。\n三、  总结  \n",
            "1 一、工作目标|1 二、主要措施|1 三、总结|");
}

static void outline_should_span_sections_to_the_next_sibling_or_higher(void)
{
    const char *text = "一、甲\n(一)乙\n(二)丙\n二、丁\n";
    doc *d = parse(text);
    CHECK(d != NULL);
    if (!d)
        return;
    const report *r = &d->reports[0];
    CHECK(r->nsections == 4);
    if (r->nsections == 4) {
        size_t er = strlen("一、甲\n(一)乙\n(二)丙\n");
        CHECK(r->sections[0].extent.start == 0 && r->sections[0].extent.end == er);
        CHECK(r->sections[1].extent.end == strlen("一、甲\n(一)乙\n"));
        CHECK(r->sections[2].extent.end == er);
        CHECK(r->sections[3].extent.end == strlen(text));
        CHECK(r->sections[1].parent == 0 && r->sections[2].parent == 0);
        CHECK(r->sections[3].parent == -1);
    }
    doc_free(d);
}

static void outline_section_at_should_find_the_innermost_section(void)
{
    const char *text = "前言。一、甲\n(一)乙文字\n(二)丙文字\n1.丁\n二、戊\n";
    doc *d = parse(text);
    CHECK(d != NULL);
    if (!d)
        return;
    const report *r = &d->reports[0];
    CHECK(outline_section_at(r, 0) == -1);
    for (size_t w = 0; w < d->work_len; w++) {
        int best = -1;
        for (size_t i = 0; i < r->nsections; i++)
            if (r->sections[i].extent.start <= w && w < r->sections[i].extent.end)
                best = (int)i;
        CHECK(outline_section_at(r, w) == best);
    }
    doc_free(d);
}

/* ----- robustness ----- */

static void outline_should_survive_a_heading_at_the_very_end(void)
{
    OUTLINE("一、甲\n二、", "1 一、甲|1 二、|");
    OUTLINE("一、甲(二", "1 一、甲(二|");
    OUTLINE("(", "");
    OUTLINE("", "");
    OUTLINE("第", "");
    OUTLINE("指标", "");
    OUTLINE("一、\xE5\xAD", "1 一、\xE5\xAD|");
}

static void outline_should_bound_depth_of_deeply_nested_markers(void)
{
    static const char *chain = "一、a(一)b1.c(1)d①e〔一〕f第一部分g第一章h第一节i指标1:j一)k1)l";
    buf b = BUF_INIT;
    for (int i = 0; i < 20000 / 12; i++)
        buf_puts(&b, chain);
    doc *d = parse(b.data ? b.data : "");
    CHECK(d != NULL);
    if (d) {
        const report *r = &d->reports[0];
        CHECK(r->nsections > 0 && r->nsections <= DOC_MAX_SECTIONS);
        for (size_t i = 0; i < r->nsections; i++) {
            CHECK(r->sections[i].level >= 1 && r->sections[i].level <= DOC_MAX_DEPTH);
            CHECK(r->sections[i].parent < (int)i);
        }
    }
    doc_free(d);
    buf_free(&b);
}

static void outline_should_stop_at_the_section_limit(void)
{
    /* 99 top-level headings with 60 subheadings each: more than the limit. */
    static const char *cn[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    buf b = BUF_INIT;
    for (int t = 1; t <= 99; t++) {
        char top[32];
        snprintf(top, sizeof top, "%s%s%s、标题\n", t >= 10 ? (t >= 20 ? cn[t / 10] : "") : "",
                 t >= 10 ? "十" : "", cn[t % 10]);
        buf_puts(&b, top);
        for (int k = 1; k <= 60; k++) {
            char line[32];
            snprintf(line, sizeof line, "%d.事项\n", k);
            buf_puts(&b, line);
        }
    }
    clock_t t0 = clock();
    doc *d = parse(b.data ? b.data : "");
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(d != NULL);
    if (d)
        CHECK(d->reports[0].nsections == DOC_MAX_SECTIONS);
    CHECK(secs < 5.0);
    doc_free(d);
    buf_free(&b);
}

static void outline_should_take_twenty_thousand_sequential_headings_in_linear_time(void)
{
    /* 二十、 never continues past 九十九, and 100. is not a marker: most of
     * these candidates are rejected, each in constant time. */
    buf b = BUF_INIT;
    for (int i = 1; i <= 20000; i++) {
        char line[48];
        snprintf(line, sizeof line, "%d.第%d项工作。(%d)说明。\n", i, i, i % 7 + 1);
        buf_puts(&b, line);
    }
    clock_t t0 = clock();
    doc *d = parse(b.data ? b.data : "");
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(d != NULL);
    if (d) {
        const report *r = &d->reports[0];
        CHECK(r->nsections >= 99 && r->nsections <= DOC_MAX_SECTIONS);
        for (size_t i = 0; i < r->nsections; i++)
            CHECK(r->sections[i].level <= DOC_MAX_DEPTH);
    }
    CHECK(secs < 5.0);
    doc_free(d);
    buf_free(&b);
}

/* The scan finds markers and works their context out backwards, which
 * holds on well-formed UTF-8 only; a report holding a malformed sequence is
 * scanned again the old way, tracking the context at every character.  Both
 * must give the same outline: the malformed byte sits in body text, so it
 * changes no heading. */
static void outline_should_not_change_for_a_malformed_byte_in_the_body(void)
{
    OUTLINE("一、基本情况\n全县有学校12所\xFF。\n(一)师资队伍\n1.专任教师\n(1)学历\n二、存在问题\n",
            "1 一、基本情况|2 (一)师资队伍|3 1.专任教师|4 (1)学历|1 二、存在问题|");
    OUTLINE("一、基本情况\n全县有学校12所\xE5\xAD。\n(一)师资队伍\n1.专任教师\n(1)学历\n二、存在问题\n",
            "1 一、基本情况|2 (一)师资队伍|3 1.专任教师|4 (1)学历|1 二、存在问题|");
    OUTLINE("一、基本情况\n(一)师资队伍\n1.专任教师\n(1)学历\n二、存在问题\n",
            "1 一、基本情况|2 (一)师资队伍|3 1.专任教师|4 (1)学历|1 二、存在问题|");
}

int main(void)
{
    RUN(outline_should_nest_the_official_convention);
    RUN(outline_should_not_change_for_a_malformed_byte_in_the_body);
    RUN(outline_should_read_chinese_numerals_past_ten);
    RUN(outline_should_keep_the_dun_after_a_parenthesis_in_the_marker);
    RUN(outline_should_accept_full_width_parentheses_and_dot);
    RUN(outline_should_treat_arabic_dun_and_dot_as_one_family);
    RUN(outline_should_read_closing_parenthesis_markers);
    RUN(outline_should_read_di_parts_and_chapters);
    RUN(outline_should_read_di_with_a_comma);
    RUN(outline_should_read_tortoise_shell_brackets);
    RUN(outline_should_read_indicator_items_as_sections);
    RUN(outline_should_read_items_with_di_xiang);
    RUN(outline_should_read_parenthesized_and_dotted_digit_characters);
    RUN(outline_should_read_redacted_arabic_numbers);
    RUN(outline_should_leave_yishi_enumerations_as_text);
    RUN(outline_should_put_arabic_directly_under_chinese);
    RUN(outline_should_let_a_family_skip_a_level_under_a_new_parent);
    RUN(outline_should_rank_families_by_first_appearance);
    RUN(outline_should_find_headings_run_into_one_line);
    RUN(outline_should_take_a_heading_run_into_its_first_subheading);
    RUN(outline_should_skip_sanshi_trap);
    RUN(outline_should_skip_grade_lists);
    RUN(outline_should_take_a_parenthesized_heading_after_a_line_ending_in_gao);
    RUN(outline_should_skip_a_numbered_list_inside_a_sentence);
    RUN(outline_should_skip_dates_and_decimals);
    RUN(outline_should_skip_di_yi_inside_words);
    RUN(outline_should_skip_tongyi_inside_a_sentence);
    RUN(outline_should_skip_numbers_out_of_order);
    RUN(outline_should_skip_page_chunk_numbers_that_cut_sentences);
    RUN(outline_should_keep_short_heading_lines_without_punctuation);
    RUN(outline_should_nest_a_new_family_under_the_innermost_section);
    RUN(outline_should_start_over_after_a_summary);
    RUN(outline_should_skip_a_list_after_a_colon_inside_a_sentence);
    RUN(outline_should_take_chinese_headings_after_a_colon);
    RUN(outline_should_take_a_first_heading_run_into_the_report_title);
    RUN(outline_should_read_a_marker_before_a_year);
    RUN(outline_should_end_titles_at_sentence_ends_but_not_in_ratios);
    RUN(outline_should_span_sections_to_the_next_sibling_or_higher);
    RUN(outline_section_at_should_find_the_innermost_section);
    RUN(outline_should_survive_a_heading_at_the_very_end);
    RUN(outline_should_bound_depth_of_deeply_nested_markers);
    RUN(outline_should_stop_at_the_section_limit);
    RUN(outline_should_take_twenty_thousand_sequential_headings_in_linear_time);
    return check_done();
}
