/* match.h -- stage 8: find the indicator figures of a report.
 *
 * From the working text, the outline and the number grammar: each figure's
 * indicator (catalogue id or a generic other_rate/other_count/...), the term
 * as written, value, unit, qualifier, the standard the text compares it
 * with, the claim it makes (已达标/未达标), stage, year and section. */
#ifndef EDX_MATCH_H
#define EDX_MATCH_H

#include <stdbool.h>

#include "doc.h"
#include "rules.h"
#include "rx.h"

/* Append the figures of report r to r->figures, in text order.  False when
 * memory ran out. */
bool match_report(const rules *ru, rx_scratch *scratch, const doc *d, report *r);

#endif
