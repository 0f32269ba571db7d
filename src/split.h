/* split.h -- stage 4: find the reports in one file.
 *
 * A file can hold several reports (篇1 … 篇5 collections, an unrelated
 * document after the first one).  Each becomes one record.  Split also finds
 * each report's title and its metadata (organization, year, period, date). */
#ifndef EDX_SPLIT_H
#define EDX_SPLIT_H

#include <stdbool.h>

#include "doc.h"

/* Fill d->reports (at least one, covering the whole working text when no
 * boundary is found).  False when memory ran out. */
bool split_doc(doc *d);

/* Fill title, organization, year, period and date of report r from its
 * text.  Redacted values (20xx年, __年) stay NULL / 0. */
bool split_metadata(const doc *d, report *r);

#endif
