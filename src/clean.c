/* clean.c -- drop boilerplate from the working text, keeping the map. */
#include "clean.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

static const char *const PATTERN_KEYS[] = {"pattern", "scope", "note", NULL};

size_t clean_rules_load(const conf_file *f, clean_rules *out, diag *d)
{
    size_t errors = conf_check_unique(f, d);
    memset(out, 0, sizeof *out);
    if (f->n == 0)
        return errors;
    out->patterns = calloc(f->n, sizeof *out->patterns);
    if (!out->patterns) {
        diag_error(d, f->path, 0, 0, "out of memory");
        return errors + 1;
    }
    for (size_t i = 0; i < f->n; i++) {
        const conf_section *s = &f->sections[i];
        if (!s->name[0]) {
            diag_error(d, f->path, s->line, s->col, "entries must follow a [section]");
            errors++;
            continue;
        }
        errors += conf_check_keys(f, s, PATTERN_KEYS, d);
        const conf_entry *pe = conf_get(s, "pattern");
        if (!pe) {
            diag_error(d, f->path, s->line, s->col, "[%s] has no pattern", s->name);
            errors++;
            continue;
        }
        int scope = CLEAN_MATCH;
        const conf_entry *se = conf_get(s, "scope");
        if (se) {
            if (strcmp(se->value, "match") == 0)
                scope = CLEAN_MATCH;
            else if (strcmp(se->value, "line") == 0)
                scope = CLEAN_LINE;
            else if (strcmp(se->value, "rest") == 0)
                scope = CLEAN_REST;
            else {
                diag_error(d, f->path, se->line, se->value_col,
                           "scope must be match, line or rest, not '%s'", se->value);
                errors++;
                continue;
            }
        }
        clean_pattern *p = &out->patterns[out->n];
        if (!rx_compile(&p->re, pe->value, PCRE2_MULTILINE, f->path, pe->line, pe->value_col,
                        d)) {
            errors++;
            continue;
        }
        p->id = strdup(s->name);
        p->scope = scope;
        out->n++;
    }
    return errors;
}

void clean_rules_free(clean_rules *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->patterns[i].id);
        rx_free(&r->patterns[i].re);
    }
    free(r->patterns);
    memset(r, 0, sizeof *r);
}

typedef struct range {
    size_t a, b;
} range;

static int cmp_range(const void *x, const void *y)
{
    const range *p = x, *q = y;
    return p->a < q->a ? -1 : p->a > q->a;
}

/* Rebuild d->work without the (sorted, merged) ranges, composing the map. */
static bool drop_ranges(doc *d, const range *rs, size_t n)
{
    buf w = BUF_INIT;
    text_map m;
    text_map_init(&m);
    bool ok = buf_reserve(&w, d->work_len);
    size_t k = 0;       /* next old checkpoint */
    size_t keep = 0;    /* start of the current kept stretch */
    for (size_t r = 0; r <= n && ok; r++) {
        size_t end = r < n ? rs[r].a : d->work_len;
        if (end > keep) {
            ok = text_map_add(&m, w.len, doc_orig_byte(d, keep));
            while (k < d->map.n && d->map.derived[k] <= keep)
                k++;
            while (ok && k < d->map.n && d->map.derived[k] < end) {
                ok = text_map_add(&m, w.len + (d->map.derived[k] - keep), d->map.orig[k]);
                k++;
            }
            buf_append(&w, d->work + keep, end - keep);
        }
        if (r < n)
            keep = rs[r].b;
    }
    if (ok)
        ok = text_map_add(&m, w.len, d->orig_len);
    if (!ok || w.failed) {
        buf_free(&w);
        text_map_free(&m);
        return false;
    }
    text_map_free(&d->map);
    d->map = m;
    free(d->work);
    d->work_len = w.len;
    d->work = buf_take(&w);
    return d->work != NULL;
}

bool clean_doc(const clean_rules *rules, rx_scratch *scratch, doc *d)
{
    range *rs = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    for (size_t p = 0; p < rules->n && ok; p++) {
        const clean_pattern *cp = &rules->patterns[p];
        size_t pos = 0;
        while (pos <= d->work_len) {
            size_t ms, me;
            rx_result rr = rx_match(&cp->re, scratch, d->work, d->work_len, pos, 0, &ms, &me);
            if (rr == RX_LIMIT)
                d->limit_hits++;
            if (rr != RX_MATCH)
                break;
            size_t a = ms, b = me;
            if (cp->scope == CLEAN_LINE) {
                while (a > 0 && d->work[a - 1] != '\n')
                    a--;
                while (b < d->work_len && d->work[b] != '\n')
                    b++;
                if (b < d->work_len)
                    b++;
            } else if (cp->scope == CLEAN_REST) {
                b = d->work_len;
            }
            if (b > a) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 64;
                    range *q = realloc(rs, cap * sizeof *q);
                    if (!q) {
                        ok = false;
                        break;
                    }
                    rs = q;
                }
                rs[n].a = a;
                rs[n].b = b;
                n++;
            }
            /* Step past an empty match by one whole character. */
            if (me > ms) {
                pos = me;
            } else if (me < d->work_len) {
                pos = me;
                utf8_next(d->work, d->work_len, &pos);
            } else {
                break;
            }
        }
    }
    if (ok && n) {
        qsort(rs, n, sizeof *rs, cmp_range);
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (m && rs[i].a <= rs[m - 1].b) {
                if (rs[i].b > rs[m - 1].b)
                    rs[m - 1].b = rs[i].b;
            } else {
                rs[m++] = rs[i];
            }
        }
        ok = drop_ranges(d, rs, m);
    }
    free(rs);
    return ok;
}
