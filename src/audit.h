/* audit.h -- stage 9: checks on the figures of a report.
 *
 * Impossible values, recomputation from parts, claims against standards,
 * conflicting values, placeholders, missing core indicators, values outside
 * the catalogue's range.  Every code is documented in docs/CHECKS.md. */
#ifndef EDX_AUDIT_H
#define EDX_AUDIT_H

#include <stdbool.h>

#include "doc.h"
#include "rules.h"

/* What the audit makes from its word lists and the rules' indicator ids,
 * once per extractor (beside emit_table) and read-only afterwards (shared
 * by worker threads); the checks are the same with it or without. */
typedef struct audit_table audit_table;
/* NULL when memory ran out (the audit then works without it).  ru may be
 * NULL (the ids are then classed as without a table). */
audit_table *audit_table_new(const rules *ru);
void audit_table_free(audit_table *t);

/* Add checks to r->checks.  False when memory ran out. */
bool audit_report(const rules *ru, const doc *d, report *r);

/* Memory the audit works in for one report (about 20 KB, and some 730
 * bytes a figure), kept by the caller between reports so that a report
 * costs no malloc() and free() of it: one per thread that audits at once
 * (the extractor's workspace holds one).  What it holds is never read
 * across reports: the checks are the same with it or without. */
typedef struct audit_scratch {
    void *block;
    size_t cap;   /* bytes at block */
} audit_scratch;
#define AUDIT_SCRATCH_INIT {NULL, 0}
void audit_scratch_free(audit_scratch *s);
/* audit_report() with the extractor's table t (may be NULL) in the scratch
 * s (may be NULL: memory of its own). */
bool audit_report_in(const audit_table *t, audit_scratch *s, const rules *ru, const doc *d,
                     report *r);

#endif
