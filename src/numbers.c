/* numbers.c -- number and quantity grammar.
 *
 * First version: Arabic numbers with decimals followed by a unit from
 * rules/units.conf; years (4 digits before 年) are skipped.  (Issue 5 brings
 * the full grammar.) */
#include "numbers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const UNIT_KEYS[] = {"unit", "norm", "mult", "dim", NULL};

static const struct {
    const char *name;
    unit_dim dim;
} DIMS[] = {{"percent", DIM_PERCENT}, {"permille", DIM_PERMILLE}, {"points", DIM_POINTS},
            {"count", DIM_COUNT},     {"money", DIM_MONEY},       {"area", DIM_AREA},
            {"length", DIM_LENGTH},   {"time", DIM_TIME},         {"score", DIM_SCORE},
            {"age", DIM_AGE},         {"other", DIM_OTHER}};

static int cmp_unit_len(const void *a, const void *b)
{
    size_t la = strlen(((const num_unit *)a)->surface);
    size_t lb = strlen(((const num_unit *)b)->surface);
    return la < lb ? 1 : la > lb ? -1 : 0;
}

/* One section per unit; the section name is the surface form:
 *   [万元]
 *   norm = 元
 *   mult = 10000
 *   dim  = money */
size_t num_units_load(const conf_file *f, num_units *out, diag *d)
{
    size_t errors = conf_check_unique(f, d);
    memset(out, 0, sizeof *out);
    out->units = calloc(f->n ? f->n : 1, sizeof *out->units);
    if (!out->units) {
        diag_error(d, f->path, 0, 0, "out of memory");
        return errors + 1;
    }
    for (size_t i = 0; i < f->n; i++) {
        const conf_section *s = &f->sections[i];
        if (!s->name[0]) {
            diag_error(d, f->path, s->line, s->col, "entries must follow a [unit]");
            errors++;
            continue;
        }
        errors += conf_check_keys(f, s, UNIT_KEYS, d);
        const conf_entry *ne = conf_get(s, "norm");
        const conf_entry *me = conf_get(s, "mult");
        const conf_entry *de = conf_get(s, "dim");
        unit_dim dim = DIM_NONE;
        if (!de) {
            diag_error(d, f->path, s->line, s->col, "[%s] has no dim", s->name);
            errors++;
            continue;
        }
        for (size_t k = 0; k < sizeof DIMS / sizeof DIMS[0]; k++)
            if (strcmp(DIMS[k].name, de->value) == 0)
                dim = DIMS[k].dim;
        if (dim == DIM_NONE) {
            diag_error(d, f->path, de->line, de->value_col, "unknown dim '%s'", de->value);
            errors++;
            continue;
        }
        double mult = 1;
        if (me) {
            char *endp;
            mult = strtod(me->value, &endp);
            if (*endp || mult <= 0) {
                diag_error(d, f->path, me->line, me->value_col, "mult must be a positive number");
                errors++;
                continue;
            }
        }
        num_unit *u = &out->units[out->n];
        u->surface = strdup(s->name);
        u->norm = strdup(ne ? ne->value : s->name);
        u->mult = mult;
        u->dim = dim;
        if (!u->surface || !u->norm) {
            free(u->surface);
            free(u->norm);
            diag_error(d, f->path, 0, 0, "out of memory");
            return errors + 1;
        }
        out->n++;
    }
    qsort(out->units, out->n, sizeof *out->units, cmp_unit_len);
    return errors;
}

void num_units_free(num_units *u)
{
    for (size_t i = 0; i < u->n; i++) {
        free(u->units[i].surface);
        free(u->units[i].norm);
    }
    free(u->units);
    memset(u, 0, sizeof *u);
}

const num_unit *num_unit_at(const num_units *u, const char *text, size_t len, size_t pos)
{
    for (size_t i = 0; i < u->n; i++) {
        size_t n = strlen(u->units[i].surface);
        if (pos + n <= len && memcmp(text + pos, u->units[i].surface, n) == 0)
            return &u->units[i];
    }
    return NULL;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool num_parse_at(const num_units *u, const char *text, size_t len, size_t pos, quantity *q)
{
    memset(q, 0, sizeof *q);
    size_t i = pos;
    if (i >= len || !is_digit(text[i]))
        return false;
    while (i < len && is_digit(text[i]))
        i++;
    if (i + 1 < len && text[i] == '.' && is_digit(text[i + 1])) {
        i++;
        while (i < len && is_digit(text[i]))
            i++;
    }
    q->start = q->num_start = pos;
    q->num_end = i;
    q->value = strtod(text + pos, NULL);
    q->has_value = true;
    const num_unit *un = num_unit_at(u, text, len, i);
    if (un) {
        q->unit = un;
        q->value *= un->mult;
        snprintf(q->unit_norm, sizeof q->unit_norm, "%s", un->norm);
        q->dim = un->dim;
        q->change = un->dim == DIM_POINTS;
        i += strlen(un->surface);
    }
    q->end = i;
    return true;
}

bool num_next(const num_units *u, const char *text, size_t len, size_t pos, quantity *q)
{
    size_t i = pos;
    while (i < len) {
        if (is_digit(text[i]) && (i == 0 || !is_digit(text[i - 1])) &&
            (i == 0 || text[i - 1] != '.')) {
            if (num_parse_at(u, text, len, i, q)) {
                bool year = q->num_end - q->num_start == 4 && q->num_end + 3 <= len &&
                            memcmp(text + q->num_end, "年", 3) == 0;
                if (!year)
                    return true;
                i = q->end;
                continue;
            }
        }
        i++;
    }
    return false;
}
