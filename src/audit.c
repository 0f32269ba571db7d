/* audit.c -- checks on a report's figures.
 *
 * First version: impossible rates and placeholder counts.  (Issue 7 brings
 * recomputation, claims, conflicts, missing indicators and ranges.) */
#include "audit.h"

bool audit_report(const rules *ru, const doc *d, report *r)
{
    (void)ru;
    (void)d;
    size_t redacted = 0;
    for (size_t i = 0; i < r->nfigures; i++) {
        figure *f = &r->figures[i];
        if (f->redacted)
            redacted++;
        if (f->has_value && f->kind == KIND_RATE && !f->change && !f->gross &&
            f->value > 100) {
            check *c = report_add_check(r, "rate_above_100", SEV_ERROR,
                                        "A rate of %g%% is above 100%%.", f->value);
            if (!c)
                return false;
            c->nidx = 1;
            c->idx[0] = i;
            c->has_span = true;
            c->span = f->span;
        }
    }
    if (redacted) {
        check *c = report_add_check(r, "redacted_placeholders", SEV_WARNING,
                                    "%zu figure(s) are placeholders (xx, ___) with no number.",
                                    redacted);
        if (!c)
            return false;
    }
    return true;
}
