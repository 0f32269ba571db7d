/* test_rules.c -- the rule loader on the project's rules/: what it builds
 * from the catalogue and the phrase lists.  (Errors in rule files are
 * golden tests: tests/rules_errors/ and tests/py/test_rule_errors.py.) */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "rules.h"

static rules *ru;

static void rules_should_load_the_catalogue_with_its_fields(void)
{
    const indicator *ind = rules_find(ru, "student_teacher_ratio");
    CHECK(ind != NULL);
    if (!ind)
        return;
    CHECK(ind->kind == KIND_RATIO);
    CHECK(ind->direction == -1);
    CHECK(ind->range_lo < ind->range_hi);
    CHECK(ind->nthresholds >= 1);
    const indicator *g = rules_find(ru, "gross_enrollment_rate");
    CHECK(g && g->gross && g->direction == 1);
    CHECK(rules_find(ru, "no_such_indicator") == NULL);
}

static void rules_should_keep_terms_longest_first(void)
{
    const indicator *ind = rules_find(ru, "retention_rate");
    CHECK(ind && ind->nterms >= 2);
    for (size_t i = 1; ind && i < ind->nterms; i++)
        CHECK(strlen(ind->terms[i - 1]) >= strlen(ind->terms[i]));
}

static void rules_should_classify_by_the_longest_term_in_a_name(void)
{
    size_t end = 0;
    const char *name = "小学学龄儿童净入学率";
    const indicator *ind = rules_classify(ru, name, strlen(name), &end);
    CHECK(ind != NULL);
    if (ind)
        CHECK_STR(ind->id, "net_enrollment_rate");
    CHECK(end == strlen(name));
    name = "初中阶段毛入学率";
    ind = rules_classify(ru, name, strlen(name), NULL);
    CHECK(ind && strcmp(ind->id, "gross_enrollment_rate") == 0);
    name = "生均教学及辅助用房面积";
    ind = rules_classify(ru, name, strlen(name), NULL);
    CHECK(ind && strcmp(ind->id, "teaching_rooms_per_student") == 0);
    name = "家长满意度";
    CHECK(rules_classify(ru, name, strlen(name), NULL) == NULL);
}

static void rules_should_prefer_the_later_of_equally_long_terms(void)
{
    /* "在校生" twice: the same length, the second one ends last */
    size_t end = 0;
    const char *name = "在校生和在校生了";
    const indicator *ind = rules_classify(ru, name, strlen(name), &end);
    CHECK(ind != NULL);
    CHECK(end == strlen("在校生和在校生"));
    /* a longer term earlier wins over a shorter one at the end */
    name = "专任教师的在校生";
    ind = rules_classify(ru, name, strlen(name), &end);
    CHECK(ind != NULL);
    CHECK(end == strlen("专任教师"));
}

static void rules_should_find_terms_between_broken_bytes(void)
{
    /* a stray lead byte and continuation bytes around the term change
     * nothing: terms are matched on their own bytes */
    size_t end = 0;
    const char name[] = "\xE4\xBF专任教师\x80\x80";
    const indicator *ind = rules_classify(ru, name, sizeof name - 1, &end);
    CHECK(ind != NULL);
    CHECK(end == 2 + strlen("专任教师"));
    CHECK(rules_term_ending(ru, name, 0, 2 + strlen("专任教师")) == strlen("专任教师"));
    CHECK(rules_term_ending(ru, name, 0, sizeof name - 1) == 0);
    /* nor does a NUL byte, which no term holds */
    const char nul[] = "专任教师\0";
    CHECK(rules_classify(ru, nul, sizeof nul - 1, &end) != NULL && end == strlen("专任教师"));
    CHECK(rules_term_ending(ru, nul, 0, sizeof nul - 1) == 0);
}

static void rules_should_give_the_longest_term_ending_at_a_position(void)
{
    const char *s = "全校现有在校生";
    size_t n = strlen(s);
    CHECK(rules_term_ending(ru, s, 0, n) == strlen("在校生"));
    /* the term must start at lo or after it */
    CHECK(rules_term_ending(ru, s, n - strlen("校生"), n) == 0);
    CHECK(rules_term_ending(ru, s, n, n) == 0);
}

static void rules_should_give_every_required_indicator(void)
{
    static const char *const IDS[] = {
        "enrollment_rate", "net_enrollment_rate", "gross_enrollment_rate",
        "preschool_gross_enrollment_rate", "senior_gross_enrollment_rate",
        "disabled_enrollment_rate", "retention_rate", "dropout_rate", "graduation_rate",
        "progression_rate", "pass_line_rate", "qualification_rate", "pass_rate",
        "compliance_rate", "excellence_rate", "passing_rate", "coverage_rate",
        "universalization_rate", "awareness_rate", "myopia_rate", "fitness_rate",
        "student_teacher_ratio", "computer_ratio", "books_per_student", "land_per_student",
        "building_per_student", "teaching_rooms_per_student", "sports_area_per_student",
        "equipment_per_student", "degree_teachers_per_100", "backbone_teachers_per_100",
        "pe_art_teachers_per_100", "multimedia_rooms_per_100", "computers_per_100",
        "average_class_size", "large_class_share", "students", "teachers", "schools",
        "classes", "books", "funding", "investment", "aid", "land_area", "building_area", NULL};
    for (int i = 0; IDS[i]; i++) {
        const indicator *ind = rules_find(ru, IDS[i]);
        if (!ind)
            printf("#   missing %s\n", IDS[i]);
        CHECK(ind != NULL);
    }
}

static void rules_should_load_phrase_lists_and_patterns(void)
{
    CHECK(ru->claim_met.n > 0 && ru->claim_not_met.n > 0);
    CHECK(ru->claim_met.npatterns >= 1);
    CHECK(ru->standard_words.n > 0 && ru->connectives.n > 0 && ru->change_words.n > 0);
    CHECK(ru->name_stops.n > 0 && ru->per_capita_words.n > 0 && ru->abstract_nouns.n > 0);
    for (size_t i = 1; i < ru->connectives.n; i++)
        CHECK(strlen(ru->connectives.items[i - 1]) >= strlen(ru->connectives.items[i]));
    CHECK(ru->keep_changes); /* the shipped default: changes are figures with change: true */
}

static void rules_should_report_a_missing_directory(void)
{
    diag d = DIAG_INIT;
    rules *bad = rules_load("/nonexistent/rules", &d);
    CHECK(bad == NULL);
    CHECK(d.errors > 0);
    diag_free(&d);
}

static void rules_should_name_kinds_both_ways(void)
{
    for (int k = 0; k < KIND_COUNT_OF_KINDS; k++) {
        fig_kind back;
        CHECK(rules_kind_parse(rules_kind_name((fig_kind)k), &back) && back == (fig_kind)k);
    }
    fig_kind x;
    CHECK(!rules_kind_parse("percentage", &x));
}

int main(void)
{
    diag d = DIAG_INIT;
    ru = rules_load(EDX_TEST_RULES, &d);
    if (!ru) {
        printf("Bail out! rules: %s\n", d.text.data ? d.text.data : "out of memory");
        return 1;
    }
    diag_free(&d);
    RUN(rules_should_load_the_catalogue_with_its_fields);
    RUN(rules_should_keep_terms_longest_first);
    RUN(rules_should_classify_by_the_longest_term_in_a_name);
    RUN(rules_should_prefer_the_later_of_equally_long_terms);
    RUN(rules_should_find_terms_between_broken_bytes);
    RUN(rules_should_give_the_longest_term_ending_at_a_position);
    RUN(rules_should_give_every_required_indicator);
    RUN(rules_should_load_phrase_lists_and_patterns);
    RUN(rules_should_report_a_missing_directory);
    RUN(rules_should_name_kinds_both_ways);
    rules_free(ru);
    return check_done();
}
