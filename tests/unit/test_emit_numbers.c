/* test_emit_numbers.c -- a record's numbers as emit_record_json() writes
 * them at its cursor are cJSON's (emit_record() printed by
 * cJSON_PrintUnformatted(), the record's specification): figures whose
 * values have one to fifteen decimals, whole values beyond an int, values
 * just off a whole number, negative ones and tiny ones, with every field a
 * record's head, figures, checks and stats hold. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "emit.h"
#include "test_input_common.h"
#include "test_rand.h"

/* The values of one report's figures: some that %1.15g prints with a
 * fraction, and their neighbours. */
static size_t values(double *v, size_t cap)
{
    static const double FIXED[] = {12.9,      98.25,        0.5,         1e-4,
                                   0.00015,   123456.789,   -3.14,       3e9,
                                   -4.5e12,   11299.999999999998, 0.1 + 0.2, 1.0 / 3,
                                   99.99,     100.5,        7.125,       2.5e-5,
                                   1e15,      999999999999999.9, 0.30000000000000004,
                                   1234567.0, 45.600000000000001};
    size_t n = 0;
    for (size_t i = 0; i < sizeof FIXED / sizeof FIXED[0] && n < cap; i++)
        v[n++] = FIXED[i];
    /* m / 10^k for k of 1 to 15 and m with trailing zeros and without. */
    double p = 1;
    for (int k = 1; k <= 15 && n + 4 <= cap; k++) {
        p *= 10;
        v[n++] = 7.0 / p;
        v[n++] = 1234.0 / p;
        v[n++] = 120.0 / p + 3;
        v[n++] = -(98765.0 / p);
    }
    /* Pseudo-random doubles of every size the figures hold. */
    uint64_t x = 88172645463325252ULL;
    while (n < cap) {
        xorshift64(&x);
        double m = (double)(x % 100000000ULL);
        v[n++] = m / (double)(1ULL << (x >> 58));
    }
    return n;
}

static void emit_should_write_numbers_as_cjson_prints_them(void)
{
    doc *d = doc_from("二、概况\n生均图书12.9册,学校12所。\n");
    CHECK(d != NULL);
    if (!d)
        return;
    d->work = strdup(d->orig);
    d->work_len = d->orig_len;
    CHECK(doc_index_map(d));
    d->reports = calloc(1, sizeof *d->reports);
    d->nreports = 1;
    report *r = &d->reports[0];
    r->extent = (wspan){0, d->work_len};
    r->title = strdup("报告");
    r->year = 2020;
    section *s = report_add_section(r);
    CHECK(s != NULL);
    s->marker = (wspan){0, 6};
    s->title = (wspan){6, 12};
    s->extent = (wspan){0, d->work_len};
    s->level = 1;
    s->parent = -1;
    double v[400];
    size_t nv = values(v, sizeof v / sizeof v[0]);
    for (size_t i = 0; i < nv; i++) {
        figure *f = report_add_figure(r);
        CHECK(f != NULL);
        if (!f)
            break;
        f->id = "books_per_student";
        f->name = strdup("生均图书");
        f->kind = KIND_PER_CAPITA;
        f->has_value = true;
        f->value = v[i];
        snprintf(f->unit, sizeof f->unit, "册");
        f->is_ratio = i % 7 == 3;
        f->left = v[(i + 1) % nv];
        f->right = v[(i + 2) % nv];
        f->span = (wspan){13, 30};
        f->section = 0;
        f->claimed = CLAIM_NONE;
        f->meets = -1;
        f->std.present = i % 5 == 1;
        f->std.has_value = true;
        f->std.value = v[(i + 3) % nv];
        f->std.span = (wspan){13, 30};
    }
    check *c = report_add_check(r, "range", SEV_WARNING, "%s", "超出范围");
    CHECK(c != NULL);
    if (c) {
        c->nidx = 2;
        c->idx[0] = 0;
        c->idx[1] = 3;
        c->has_span = true;
        c->span = (wspan){13, 30};
    }
    buf b = BUF_INIT;
    CHECK(emit_record_json(NULL, d, 0, &b, NULL));
    cJSON *tree = emit_record(d, 0);
    char *want = tree ? cJSON_PrintUnformatted(tree) : NULL;
    CHECK(want && b.data && strcmp(b.data, want) == 0);
    if (want && b.data && strcmp(b.data, want) != 0) {
        size_t k = 0;
        while (b.data[k] && b.data[k] == want[k])
            k++;
        printf("#   first difference at %zu: %.60s | %.60s\n", k, b.data + k, want + k);
    }
    free(want);
    cJSON_Delete(tree);
    buf_free(&b);
    doc_free(d);
}

int main(void)
{
    RUN(emit_should_write_numbers_as_cjson_prints_them);
    return check_done();
}
