/* split.h -- stage 4: find the reports in one file.
 *
 * A file can hold several reports (篇1 … 篇5 collections, an unrelated
 * document after the first one).  Each becomes one record.  Split also finds
 * each report's title and its metadata (organization, year, period, date). */
#ifndef EDX_SPLIT_H
#define EDX_SPLIT_H

#include <stdbool.h>
#include <stddef.h>

#include "doc.h"

/* A non-empty line of the working text (declared here for the tests). */
struct split_line {
    size_t a, b;       /* trimmed bytes */
    size_t chars;      /* characters of [a, b) */
    bool title;        /* a title line */
    long series;       /* its 篇 number, 0 when none */
};

/* The non-empty lines of a working text, read once for the whole file. */
typedef struct split_lines {
    struct split_line *v;
    size_t n;
} split_lines;

/* Fill d->reports (at least one, covering the whole working text when no
 * boundary is found).  False when memory ran out. */
bool split_doc(doc *d);

/* split_doc(), keeping the lines it read in *lines (freed with
 * split_lines_free(), also after a failure) for split_metadata_in(). */
bool split_doc_lines(doc *d, split_lines *lines);
void split_lines_free(split_lines *lines);

/* split_doc_lines() into lines kept from an earlier call with room for
 * *cap lines (or all zeros, *cap 0), whose array is reused (*cap updated),
 * and into d's reports array when it has one (d->capreports: a reused doc,
 * see doc_open()).  The same result. */
bool split_doc_lines_into(doc *d, split_lines *lines, size_t *cap);

/* Fill title, organization, year, period and date of report r from its
 * text.  Redacted values (20xx年, __年) stay NULL / 0. */
bool split_metadata(const doc *d, report *r);

/* split_metadata() with the report's lines taken from the lines
 * split_doc_lines() read, instead of reading its text again: the same
 * result. */
bool split_metadata_in(const doc *d, const split_lines *lines, report *r);

#endif
