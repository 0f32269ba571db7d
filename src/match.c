/* match.c -- indicator figures of a report.
 *
 * First version: "X率 [connective] number %" only: a percentage whose clause
 * names a rate before it.  (Issue 6 brings the full matcher.) */
#include "match.h"

#include <stdlib.h>
#include <string.h>

#include "outline.h"

/* Characters that end a clause when looking for a figure's name. */
static bool clause_break(uint32_t cp)
{
    return cp == '\n' || cp == ',' || cp == ';' || cp == '.' || cp == ':' || cp == '!' ||
           cp == '?' || cp == 0x3002 /* 。 */ || cp == 0x3001 /* 、 */ || cp == ')' ||
           cp == '(';
}

static bool is_cjk(uint32_t cp)
{
    return cp >= 0x4E00 && cp <= 0x9FFF;
}

/* The catalogue entry whose longest term ends the name, or NULL. */
static const indicator *classify(const rules *ru, const char *name, size_t n)
{
    const indicator *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < ru->nindicators; i++) {
        const indicator *ind = &ru->indicators[i];
        for (size_t k = 0; k < ind->nterms; k++) {
            size_t tl = strlen(ind->terms[k]);
            if (tl <= n && tl > best_len && memcmp(name + n - tl, ind->terms[k], tl) == 0) {
                best = ind;
                best_len = tl;
            }
        }
    }
    return best;
}

bool match_report(const rules *ru, rx_scratch *scratch, const doc *d, report *r)
{
    (void)scratch;
    const char *s = d->work;
    size_t pos = r->extent.start;
    quantity q;
    static const char RATE[] = "率";
    while (pos < r->extent.end &&
           num_next(&ru->units, s, r->extent.end, pos, &q)) {
        pos = q.end > pos ? q.end : pos + 1;
        if (q.dim != DIM_PERCENT || q.change)
            continue;
        /* Walk back over the connective and the name, within the clause. */
        size_t i = q.start, name_end = 0, name_start = 0;
        int steps = 0;
        while (i > r->extent.start && steps < 12) {
            size_t prev;
            uint32_t cp = utf8_prev(s, i, &prev);
            if (clause_break(cp) || !(is_cjk(cp) || cp == ' '))
                break;
            if (!name_end && prev + 3 <= q.start && memcmp(s + prev, RATE, 3) == 0)
                name_end = i;
            i = prev;
            steps++;
            if (name_end)
                name_start = i;
        }
        if (!name_end)
            continue;
        figure *f = report_add_figure(r);
        if (!f)
            return r->nfigures >= DOC_MAX_FIGURES;
        f->name = doc_orig_slice(d, (wspan){name_start, name_end});
        if (!f->name)
            return false;
        const indicator *ind = classify(ru, s + name_start, name_end - name_start);
        f->id = ind ? ind->id : "other_rate";
        f->kind = KIND_RATE;
        f->has_value = q.has_value;
        f->value = q.value;
        f->redacted = q.redacted;
        f->qual = q.qual;
        memcpy(f->unit, "%", 2);
        f->span.start = name_start;
        f->span.end = q.end;
        f->section = outline_section_at(r, name_start);
        if (ind) {
            f->gross = ind->gross;
            f->range_lo = ind->range_lo;
            f->range_hi = ind->range_hi;
            f->direction = ind->direction;
        }
    }
    return true;
}
