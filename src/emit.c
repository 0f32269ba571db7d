/* emit.c -- records as JSON and CSV. */
#include "emit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

static const char *const QUALIFIERS[] = {NULL, "approx", "over", "under"};
static const char *const SEVERITIES[] = {"info", "warning", "error"};

static cJSON *span_json(const doc *d, wspan w)
{
    size_t s, e;
    doc_orig_cps(d, w, &s, &e);
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddNumberToObject(o, "start", (double)s);
        cJSON_AddNumberToObject(o, "end", (double)e);
    }
    return o;
}

static cJSON *cps_span_json(size_t s, size_t e)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddNumberToObject(o, "start", (double)s);
        cJSON_AddNumberToObject(o, "end", (double)e);
    }
    return o;
}

/* Add a string, or null when s is NULL; takes ownership of nothing. */
static void add_str(cJSON *o, const char *key, const char *s)
{
    if (s)
        cJSON_AddStringToObject(o, key, s);
    else
        cJSON_AddNullToObject(o, key);
}

/* Add an owned string slice of the original and free it. */
static void add_orig(cJSON *o, const char *key, const doc *d, wspan w)
{
    char *s = doc_orig_slice(d, w);
    add_str(o, key, s);
    free(s);
}

static void add_number_or_null(cJSON *o, const char *key, bool has, double v)
{
    if (has && isfinite(v))
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *section_json(const doc *d, const section *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    add_orig(o, "marker", d, s->marker);
    cJSON_AddNumberToObject(o, "level", s->level);
    add_orig(o, "title", d, s->title);
    cJSON_AddItemToObject(o, "span", span_json(d, s->extent));
    cJSON_AddItemToObject(o, "children", cJSON_CreateArray());
    return o;
}

static cJSON *section_path_json(const doc *d, const report *r, int sec)
{
    cJSON *a = cJSON_CreateArray();
    int chain[DOC_MAX_DEPTH + 1];
    int n = 0;
    for (int i = sec; i >= 0 && n <= DOC_MAX_DEPTH; i = r->sections[i].parent)
        chain[n++] = i;
    while (a && n > 0) {
        char *m = doc_orig_slice(d, r->sections[chain[--n]].marker);
        cJSON_AddItemToArray(a, cJSON_CreateString(m ? m : ""));
        free(m);
    }
    return a;
}

static cJSON *figure_json(const doc *d, const report *r, const figure *f)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "id", f->id ? f->id : "other");
    add_str(o, "name", f->name ? f->name : "");
    cJSON_AddStringToObject(o, "kind", rules_kind_name(f->kind));
    add_number_or_null(o, "value", f->has_value && !f->redacted, f->value);
    add_str(o, "unit", f->unit[0] ? f->unit : NULL);
    if (f->is_ratio) {
        cJSON *ra = cJSON_AddObjectToObject(o, "ratio");
        add_number_or_null(ra, "left", true, f->left);
        add_number_or_null(ra, "right", true, f->right);
    } else {
        cJSON_AddNullToObject(o, "ratio");
    }
    add_str(o, "qualifier", QUALIFIERS[f->qual]);
    cJSON_AddBoolToObject(o, "redacted", f->redacted);
    cJSON_AddBoolToObject(o, "change", f->change);
    add_orig(o, "raw", d, f->span);
    cJSON_AddItemToObject(o, "span", span_json(d, f->span));
    cJSON_AddItemToObject(o, "section", section_path_json(d, r, f->section));
    add_str(o, "stage", f->stage);
    add_number_or_null(o, "year", f->year > 0, f->year);
    if (f->std.present) {
        cJSON *so = cJSON_AddObjectToObject(o, "standard");
        add_number_or_null(so, "value", f->std.has_value, f->std.value);
        add_str(so, "unit", f->std.unit[0] ? f->std.unit : NULL);
        add_orig(so, "raw", d, f->std.span);
        cJSON_AddItemToObject(so, "span", span_json(d, f->std.span));
    } else {
        cJSON_AddNullToObject(o, "standard");
    }
    add_str(o, "claimed", f->claimed == CLAIM_MET ? "met"
                          : f->claimed == CLAIM_NOT_MET ? "not_met" : NULL);
    if (f->meets < 0)
        cJSON_AddNullToObject(o, "meets_standard");
    else
        cJSON_AddBoolToObject(o, "meets_standard", f->meets);
    return o;
}

static cJSON *check_json(const doc *d, const check *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "code", c->code);
    cJSON_AddStringToObject(o, "severity", SEVERITIES[c->sev]);
    cJSON_AddStringToObject(o, "message", c->message);
    cJSON *idx = cJSON_AddArrayToObject(o, "indicators");
    for (size_t i = 0; i < c->nidx && idx; i++)
        cJSON_AddItemToArray(idx, cJSON_CreateNumber((double)c->idx[i]));
    if (c->has_span)
        cJSON_AddItemToObject(o, "span", span_json(d, c->span));
    else
        cJSON_AddNullToObject(o, "span");
    return o;
}

cJSON *emit_record(const doc *d, size_t ri)
{
    const report *r = &d->reports[ri];
    cJSON *rec = cJSON_CreateObject();
    if (!rec)
        return NULL;
    cJSON_AddStringToObject(rec, "schema", "eduextract.record/1");
    cJSON *src = cJSON_AddObjectToObject(rec, "source");
    cJSON_AddStringToObject(src, "path", d->path);
    cJSON_AddStringToObject(src, "encoding", d->encoding);
    cJSON_AddNumberToObject(src, "report_index", (double)ri);
    cJSON_AddNumberToObject(src, "report_count", (double)d->nreports);
    size_t rs, re;
    doc_orig_cps(d, r->extent, &rs, &re);
    if (ri == 0 && d->nreports == 1) {
        /* A lone report covers the whole file, boilerplate included. */
        rs = 0;
        re = cp_index_of(&d->cpix, d->orig_len);
    }
    cJSON_AddItemToObject(src, "span", cps_span_json(rs, re));
    add_str(rec, "title", r->title);
    add_str(rec, "organization", r->organization);
    add_number_or_null(rec, "year", r->year > 0, r->year);
    add_str(rec, "period", r->period);
    add_str(rec, "date", r->date);

    /* Sections: parents precede children, so one pass attaches each. */
    cJSON *secs = cJSON_AddArrayToObject(rec, "sections");
    cJSON **made = calloc(r->nsections ? r->nsections : 1, sizeof *made);
    if (!made) {
        cJSON_Delete(rec);
        return NULL;
    }
    for (size_t i = 0; i < r->nsections; i++) {
        const section *s = &r->sections[i];
        made[i] = section_json(d, s);
        if (!made[i])
            continue;
        if (s->parent >= 0 && (size_t)s->parent < i && made[s->parent])
            cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(made[s->parent], "children"),
                                 made[i]);
        else
            cJSON_AddItemToArray(secs, made[i]);
    }
    free(made);

    cJSON *inds = cJSON_AddArrayToObject(rec, "indicators");
    size_t redacted = 0;
    for (size_t i = 0; i < r->nfigures; i++) {
        cJSON_AddItemToArray(inds, figure_json(d, r, &r->figures[i]));
        redacted += r->figures[i].redacted;
    }
    cJSON *checks = cJSON_AddArrayToObject(rec, "checks");
    for (size_t i = 0; i < r->nchecks; i++)
        cJSON_AddItemToArray(checks, check_json(d, &r->checks[i]));
    cJSON *st = cJSON_AddObjectToObject(rec, "stats");
    cJSON_AddNumberToObject(st, "chars", (double)(re - rs));
    cJSON_AddNumberToObject(st, "sections", (double)r->nsections);
    cJSON_AddNumberToObject(st, "indicators", (double)r->nfigures);
    cJSON_AddNumberToObject(st, "redacted", (double)redacted);
    cJSON_AddNumberToObject(st, "checks", (double)r->nchecks);
    return rec;
}

cJSON *emit_error_record(const char *path, const char *code, const char *message)
{
    cJSON *rec = cJSON_CreateObject();
    if (!rec)
        return NULL;
    cJSON_AddStringToObject(rec, "schema", "eduextract.record/1");
    cJSON *src = cJSON_AddObjectToObject(rec, "source");
    cJSON_AddStringToObject(src, "path", path ? path : "-");
    cJSON *err = cJSON_AddObjectToObject(rec, "error");
    cJSON_AddStringToObject(err, "code", code);
    cJSON_AddStringToObject(err, "message", message);
    return rec;
}

/* ----- CSV ----- */

const char emit_csv_header[] =
    "path,report_index,title,year,organization,error,figure_index,id,name,kind,value,unit,"
    "ratio_left,ratio_right,qualifier,redacted,change,stage,figure_year,standard_value,"
    "standard_unit,claimed,meets_standard,section,raw,span_start,span_end\n";

/* One CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(buf *out, const char *s, bool last)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n")) {
        buf_putc(out, '"');
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                buf_putc(out, '"');
            buf_putc(out, *p);
        }
        buf_putc(out, '"');
    } else {
        buf_puts(out, s);
    }
    buf_putc(out, last ? '\n' : ',');
}

/* A JSON value as CSV text: strings bare, numbers in JSON form, null empty. */
static void csv_json(buf *out, const cJSON *v, bool last)
{
    if (!v || cJSON_IsNull(v)) {
        csv_field(out, "", last);
    } else if (cJSON_IsString(v)) {
        csv_field(out, v->valuestring, last);
    } else if (cJSON_IsBool(v)) {
        csv_field(out, cJSON_IsTrue(v) ? "true" : "false", last);
    } else {
        char *t = cJSON_PrintUnformatted(v);
        csv_field(out, t, last);
        free(t);
    }
}

static const cJSON *get(const cJSON *o, const char *k)
{
    return o ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

bool emit_csv_rows(const cJSON *rec, buf *out)
{
    const cJSON *src = get(rec, "source");
    const cJSON *err = get(rec, "error");
    const cJSON *inds = get(rec, "indicators");
    int n = inds ? cJSON_GetArraySize(inds) : 0;
    for (int i = 0; i < (n ? n : 1); i++) {
        const cJSON *f = n ? cJSON_GetArrayItem(inds, i) : NULL;
        csv_json(out, get(src, "path"), false);
        csv_json(out, get(src, "report_index"), false);
        csv_json(out, get(rec, "title"), false);
        csv_json(out, get(rec, "year"), false);
        csv_json(out, get(rec, "organization"), false);
        csv_json(out, err ? get(err, "message") : NULL, false);
        if (f) {
            char idx[32];
            snprintf(idx, sizeof idx, "%d", i);
            csv_field(out, idx, false);
        } else {
            csv_field(out, "", false);
        }
        csv_json(out, get(f, "id"), false);
        csv_json(out, get(f, "name"), false);
        csv_json(out, get(f, "kind"), false);
        csv_json(out, get(f, "value"), false);
        csv_json(out, get(f, "unit"), false);
        csv_json(out, get(get(f, "ratio"), "left"), false);
        csv_json(out, get(get(f, "ratio"), "right"), false);
        csv_json(out, get(f, "qualifier"), false);
        csv_json(out, get(f, "redacted"), false);
        csv_json(out, get(f, "change"), false);
        csv_json(out, get(f, "stage"), false);
        csv_json(out, get(f, "year"), false);
        csv_json(out, get(get(f, "standard"), "value"), false);
        csv_json(out, get(get(f, "standard"), "unit"), false);
        csv_json(out, get(f, "claimed"), false);
        csv_json(out, get(f, "meets_standard"), false);
        /* The section path joined with '/'. */
        buf path = BUF_INIT;
        const cJSON *sec = get(f, "section");
        for (int k = 0; sec && k < cJSON_GetArraySize(sec); k++) {
            const cJSON *m = cJSON_GetArrayItem(sec, k);
            if (k)
                buf_putc(&path, '/');
            if (cJSON_IsString(m))
                buf_puts(&path, m->valuestring);
        }
        csv_field(out, path.data ? path.data : "", false);
        buf_free(&path);
        csv_json(out, get(f, "raw"), false);
        csv_json(out, get(get(f, "span"), "start"), false);
        csv_json(out, get(get(f, "span"), "end"), true);
    }
    return !out->failed;
}
