/* test_clean.c -- boilerplate from rules/boilerplate.conf, joins and chunks. */
#include "check.h"
#include "clean.h"
#include "normalize.h"
#include "test_input_common.h"

static doc *cleaned(rules *r, rx_scratch *sc, const char *text)
{
    doc *d = doc_from(text);
    if (d && !(normalize_doc_with(&r->charmap, d) && clean_doc(&r->clean, sc, d))) {
        doc_free(d);
        return NULL;
    }
    return d;
}

static void clean_should_join_a_sentence_cut_by_a_page_marker(void)
{
    rules *r = test_rules();
    rx_scratch sc;
    CHECK(r && rx_scratch_init(&sc));
    doc *d = cleaned(r, &sc, "全县共有学\n第2页共7页\n校12所。\n二、措施\n");
    CHECK(d != NULL);
    CHECK_STR(d->work, "全县共有学校12所。\n二、措施\n");
    /* the figure text maps back over the dropped marker */
    const char *p = strstr(d->work, "学校12所");
    CHECK(orig_is(d, (size_t)(p - d->work), (size_t)(p - d->work) + strlen("学校12所"),
                  "学\n第2页共7页\n校12所"));
    doc_free(d);
    rx_scratch_free(&sc);
    rules_free(r);
}

static void clean_should_keep_a_real_break_after_a_sentence(void)
{
    rules *r = test_rules();
    rx_scratch sc;
    CHECK(r && rx_scratch_init(&sc));
    doc *d = cleaned(r, &sc, "任务全部完成。\n第3页共9页\n(二)队伍建设\n");
    CHECK(d != NULL);
    CHECK_STR(d->work, "任务全部完成。\n(二)队伍建设\n");
    doc_free(d);
    rx_scratch_free(&sc);
    rules_free(r);
}

static void clean_should_drop_site_furniture_lines(void)
{
    rules *r = test_rules();
    rx_scratch sc;
    CHECK(r && rx_scratch_init(&sc));
    doc *d = cleaned(r, &sc,
                     "浏览记录\nID:123456\n大小:20.50 KB\n页数:3页\n某校工作总结\n正文达标率95%。\n"
                     "此文档下载收益归作者所有\n1、当您付费下载文档后,您只拥有了使用权限。\n");
    CHECK(d != NULL);
    CHECK_STR(d->work, "某校工作总结\n正文达标率95%。\n");
    doc_free(d);
    rx_scratch_free(&sc);
    rules_free(r);
}

static void clean_should_drop_viewer_chunk_numbers_only_in_sequence(void)
{
    rules *r = test_rules();
    rx_scratch sc;
    CHECK(r && rx_scratch_init(&sc));
    char text[4096] = "";
    const char *body = "我们围绕中心工作,扎实推进各项任务,不断提高教育教学质量,努力办好人民满意的教育"
                       "事业,取得了明显成效,为全县经济社会发展作出了应有贡献,群众满意度持续提高,"
                       "各项指标均达到了年初确定的目标,其中寄宿学生比";
    snprintf(text, sizeof text, "1、%s%s\n2、例为30%%,%s%s\n3、例为40%%。\n", body, body, body,
             body);
    doc *d = cleaned(r, &sc, text);
    CHECK(d != NULL);
    CHECK(strstr(d->work, "学生比例为30%") != NULL);
    CHECK(strstr(d->work, "\n2、") == NULL);
    doc_free(d);
    /* Two chunks only when the first is cut in mid-sentence. */
    snprintf(text, sizeof text, "1、%s%s\n2、例为30%%。\n", body, body);
    d = cleaned(r, &sc, text);
    CHECK(d != NULL && strstr(d->work, "学生比例为30%") != NULL);
    doc_free(d);
    snprintf(text, sizeof text, "1、%s%s。\n2、例为30%%。\n", body, body);
    d = cleaned(r, &sc, text);
    CHECK(d != NULL && strstr(d->work, "\n2、例为30%") != NULL);
    doc_free(d);
    /* A real list restarts or is short: it stays. */
    d = cleaned(r, &sc, "1、入学率100%。\n2、巩固率99%。\n1、师生比1:17。\n");
    CHECK(d != NULL);
    CHECK_STR(d->work, "1、入学率100%。\n2、巩固率99%。\n1、师生比1:17。\n");
    doc_free(d);
    rx_scratch_free(&sc);
    rules_free(r);
}

/* The literal prefilter (a literal every match holds, and how far before it
 * a match can start) must find every match the pattern alone finds: a
 * bounded prefix, a \s* prefix across lines, an optional character before
 * the literal, a lookbehind it does not analyse, and spaces across a line
 * break between the literal and what comes before it. */
static void clean_should_find_the_same_matches_with_the_literal_prefilter(void)
{
    conf_file f;
    diag dg = DIAG_INIT;
    const char *text = "[a]\npattern = ^.{0,6}小编.{0,3}带来了\nscope = line\n"
                       "[b]\npattern = \\s*本文内容:\n"
                       "[c]\npattern = x?abc\n"
                       "[d]\npattern = (?<=\\s)阅读\\d+\n"
                       "[e]\npattern = \\d\\d/\\s*汇报人\n";
    CHECK(conf_parse("bp.conf", text, strlen(text), &f, &dg));
    clean_rules cr;
    CHECK(clean_rules_load(&f, &cr, &dg) == 0);
    rules *r = test_rules();
    rx_scratch sc;
    CHECK(r && rx_scratch_init(&sc));
    doc *d = doc_from("正文一。\n甲乙小编为您带来了\n正文二。\n  \n 本文内容:正文三yabc xabc。 阅读12\n"
                      "甲乙丙丁戊己庚小编为您带来了\n正文四12/\n \u3000汇报人张三\n");
    CHECK(d && normalize_doc_with(&r->charmap, d) && clean_doc(&cr, &sc, d));
    CHECK_STR(d ? d->work : "", "正文一。\n正文二。正文三y 。 \n甲乙丙丁戊己庚小编为您带来了\n正文四张三\n");
    doc_free(d);
    rx_scratch_free(&sc);
    rules_free(r);
    clean_rules_free(&cr);
    conf_free(&f);
    diag_free(&dg);
}

/* A literal whose prefix may stretch over lines only through \s items
 * ((?:\d{2}\s*年\s*)?下载可编辑): the search starts a bounded number of
 * other characters before the literal, spaces and line breaks aside, and
 * still finds the match that starts before those spaces. */
static void clean_should_find_a_match_whose_spaces_cross_lines_before_the_literal(void)
{
    conf_file f;
    diag dg = DIAG_INIT;
    const char *text = "[f]\npattern = (?:\\d{2}\\s*年\\s*)?下载可编辑\n";
    CHECK(conf_parse("bp.conf", text, strlen(text), &f, &dg));
    clean_rules cr;
    CHECK(clean_rules_load(&f, &cr, &dg) == 0);
    CHECK(cr.n == 1 && cr.patterns[0].ns_bounded);
    rules *r = test_rules();
    rx_scratch sc;
    CHECK(r && rx_scratch_init(&sc));
    doc *d = doc_from("正文五。12 \n\n 年  \n\n   下载可编辑正文六。甲乙丙丁戊己庚辛壬癸。"
                      "34年\n下载可编辑\n正文七。下载可编辑正文八。\n");
    CHECK(d && normalize_doc_with(&r->charmap, d) && clean_doc(&cr, &sc, d));
    CHECK_STR(d ? d->work : "", "正文五。正文六。甲乙丙丁戊己庚辛壬癸。\n正文七。正文八。\n");
    doc_free(d);
    rx_scratch_free(&sc);
    rules_free(r);
    clean_rules_free(&cr);
    conf_free(&f);
    diag_free(&dg);
}

static void clean_rules_should_reject_an_unknown_scope(void)
{
    conf_file f;
    diag dg = DIAG_INIT;
    const char *text = "[x]\npattern = abc\nscope = page\n";
    CHECK(conf_parse("bp.conf", text, strlen(text), &f, &dg));
    clean_rules cr;
    CHECK(clean_rules_load(&f, &cr, &dg) == 1);
    CHECK(dg.text.data && strstr(dg.text.data, "bp.conf:3:9") != NULL);
    clean_rules_free(&cr);
    conf_free(&f);
    diag_free(&dg);
}

int main(void)
{
    RUN(clean_should_join_a_sentence_cut_by_a_page_marker);
    RUN(clean_should_keep_a_real_break_after_a_sentence);
    RUN(clean_should_drop_site_furniture_lines);
    RUN(clean_should_drop_viewer_chunk_numbers_only_in_sequence);
    RUN(clean_should_find_the_same_matches_with_the_literal_prefilter);
    RUN(clean_should_find_a_match_whose_spaces_cross_lines_before_the_literal);
    RUN(clean_rules_should_reject_an_unknown_scope);
    return check_done();
}
