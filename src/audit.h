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

/* Add checks to r->checks.  False when memory ran out. */
bool audit_report(const rules *ru, const doc *d, report *r);

#endif
