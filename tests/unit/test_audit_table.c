/* test_audit_table.c -- the audit gives the same checks with the
 * extractor's table (audit_table: the word lists' indexes and the classes
 * of the rules' ids, made once) as without it, and in a scratch block kept
 * between reports (audit_scratch, the workspace's) as in memory of its own:
 * reports whose checks turn on an id's class (a count known as students by
 * its id alone) or on a word of the long lists (资助, 骨干, 力争), audited
 * each way.  The kept scratch's block is filled with garbage before each
 * report, so that a field read before it is written for the report shows,
 * and a block beyond the size kept must be given back after its report. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "check.h"
#include "test_input_common.h"

/* One figure of a case: its text, the rules' id (NULL: none), name, kind,
 * value and unit; ratio: the right side of a 1:n ratio. */
typedef struct fig_spec {
    const char *raw, *id, *name;
    fig_kind kind;
    double value;
    const char *unit;
    bool ratio;
} fig_spec;

/* The report of text and figs (ids borrowed from ru, as the matcher's
 * are), audited with table t in scratch s (either NULL: without): its
 * checks, one line each, into out. */
static void audited(const rules *ru, const audit_table *t, audit_scratch *s, const char *text,
                    const fig_spec *figs, size_t n, char *out, size_t cap)
{
    doc *d = doc_new("table.txt");
    report r;
    memset(&r, 0, sizeof r);
    d->work = strdup(text);
    d->work_len = strlen(text);
    r.extent.end = d->work_len;
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        figure *f = report_add_figure(&r);
        const char *p = strstr(d->work + from, figs[i].raw);
        const indicator *ind = figs[i].id ? rules_find(ru, figs[i].id) : NULL;
        CHECK(f && p && (!figs[i].id || ind));
        if (!f || !p)
            break;
        f->id = ind ? ind->id : NULL;
        f->name = strdup(figs[i].name);
        f->kind = figs[i].kind;
        f->has_value = true;
        f->value = figs[i].value;
        snprintf(f->unit, sizeof f->unit, "%s", figs[i].unit);
        f->is_ratio = figs[i].ratio;
        f->left = 1;
        f->right = figs[i].value;
        f->span.start = (size_t)(p - d->work);
        f->span.end = f->span.start + strlen(figs[i].raw);
        f->range_lo = 1;
        f->range_hi = 0;
        from = f->span.end;
    }
    size_t at = 0;
    out[0] = '\0';
    CHECK(audit_report_in(t, s, ru, d, &r));
    for (size_t k = 0; k < r.nchecks && at < cap; k++) {
        const check *c = &r.checks[k];
        int m = snprintf(out + at, cap - at, "%s %zu:%zu %s\n", c->code, c->span.start,
                         c->span.end, c->message);
        at += m > 0 ? (size_t)m : 0;
    }
    report_clear(&r);
    doc_free(d);
}

/* A block of size bytes, every byte 0xA5, as a scratch that held
 * something else. */
static audit_scratch dirty_scratch(size_t size)
{
    audit_scratch s = {malloc(size), size};
    CHECK(s.block != NULL);
    if (s.block)
        memset(s.block, 0xA5, size);
    else
        s.cap = 0;
    return s;
}

/* Reports whose checks turn on what the table and the scratch hold. */
static const struct {
    const char *text;
    fig_spec figs[5];
    size_t n;
    const char *code;   /* a check the case must give */
} CASES[] = {
    /* 在册 is students by the id alone: the ratio is recomputed. */
    {"全县在册3000人,专任教师200人,师生比1:20。",
     {{"在册3000人", "students", "在册", KIND_COUNT, 3000, "人", false},
      {"专任教师200人", "teachers", "专任教师", KIND_COUNT, 200, "人", false},
      {"师生比1:20", "student_teacher_ratio", "师生比", KIND_RATIO, 20, "", true}},
     3, "recomputed_mismatch"},
    /* 资助 (NOT_WHOLE) and 骨干 (TEACHER_SUBSETS): no parts there. */
    {"资助学生300人,骨干教师20人,师生比1:15。\n全县学生2000人,教师100人。",
     {{"学生300人", "students", "学生", KIND_COUNT, 300, "人", false},
      {"骨干教师20人", "teachers", "骨干教师", KIND_COUNT, 20, "人", false},
      {"师生比1:15", "student_teacher_ratio", "师生比", KIND_RATIO, 15, "", true},
      {"学生2000人", "students", "学生", KIND_COUNT, 2000, "人", false},
      {"教师100人", "teachers", "教师", KIND_COUNT, 100, "人", false}},
     5, "recomputed_mismatch"},
    {"资助学生300人,骨干教师20人,师生比1:25。",
     {{"学生300人", "students", "学生", KIND_COUNT, 300, "人", false},
      {"骨干教师20人", "teachers", "骨干教师", KIND_COUNT, 20, "人", false},
      {"师生比1:25", "student_teacher_ratio", "师生比", KIND_RATIO, 25, "", true}},
     3, NULL},
    /* 力争 (TARGET_WORDS): a target is no conflict; without it one is. */
    {"全县小学入学率98%。\n力争全县小学入学率100%。",
     {{"入学率98%", "enrollment_rate", "入学率", KIND_RATE, 98, "%", false},
      {"入学率100%", "enrollment_rate", "入学率", KIND_RATE, 100, "%", false}},
     2, NULL},
    {"全县小学入学率98%。\n全县小学入学率100%。",
     {{"入学率98%", "enrollment_rate", "入学率", KIND_RATE, 98, "%", false},
      {"入学率100%", "enrollment_rate", "入学率", KIND_RATE, 100, "%", false}},
     2, "conflicting_values"},
};
#define NCASES (sizeof CASES / sizeof CASES[0])

static void audit_should_give_the_same_checks_with_the_extractors_table(void)
{
    rules *ru = test_rules();
    audit_table *t = audit_table_new(ru), *bare = audit_table_new(NULL);
    CHECK(ru && t && bare);
    if (!ru || !t || !bare)
        return;
    char a[4096], b[4096], c[4096];
    for (size_t k = 0; k < NCASES; k++) {
        audited(ru, NULL, NULL, CASES[k].text, CASES[k].figs, CASES[k].n, a, sizeof a);
        audited(ru, t, NULL, CASES[k].text, CASES[k].figs, CASES[k].n, b, sizeof b);
        audited(ru, bare, NULL, CASES[k].text, CASES[k].figs, CASES[k].n, c, sizeof c);
        CHECK_STR(b, a);
        CHECK_STR(c, a);
        if (CASES[k].code)
            CHECK(strstr(a, CASES[k].code) != NULL);
    }
    audit_table_free(t);
    audit_table_free(bare);
    audit_table_free(NULL);
    rules_free(ru);
}

static void audit_should_give_the_same_checks_in_a_kept_scratch(void)
{
    rules *ru = test_rules();
    audit_table *t = audit_table_new(ru);
    CHECK(ru && t);
    if (!ru || !t)
        return;
    size_t ncases = NCASES;
    char a[4096], b[4096];
    audit_scratch s = dirty_scratch(64 << 10);
    /* Forwards and backwards: each case after another's arrays. */
    for (size_t round = 0; round < 2 * ncases; round++) {
        size_t k = round < ncases ? round : 2 * ncases - 1 - round;
        audited(ru, t, NULL, CASES[k].text, CASES[k].figs, CASES[k].n, a, sizeof a);
        if (s.block)
            memset(s.block, 0xA5, s.cap);
        audited(ru, t, &s, CASES[k].text, CASES[k].figs, CASES[k].n, b, sizeof b);
        CHECK_STR(b, a);
        CHECK(s.block != NULL);   /* (kept: small) */
        if (CASES[k].code)
            CHECK(strstr(a, CASES[k].code) != NULL);
    }
    audit_scratch_free(&s);
    CHECK(s.block == NULL && s.cap == 0);
    /* A block beyond what is kept: used, then given back. */
    s = dirty_scratch((size_t)1 << 20);
    audited(ru, t, NULL, CASES[0].text, CASES[0].figs, CASES[0].n, a, sizeof a);
    audited(ru, t, &s, CASES[0].text, CASES[0].figs, CASES[0].n, b, sizeof b);
    CHECK_STR(b, a);
    CHECK(s.block == NULL && s.cap == 0);
    audit_scratch_free(&s);
    audit_scratch_free(NULL);
    audit_table_free(t);
    rules_free(ru);
}

int main(void)
{
    RUN(audit_should_give_the_same_checks_with_the_extractors_table);
    RUN(audit_should_give_the_same_checks_in_a_kept_scratch);
    return check_done();
}
