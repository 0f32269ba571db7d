/* emit.h -- stage 10: records as JSON (cJSON) and CSV rows. */
#ifndef EDX_EMIT_H
#define EDX_EMIT_H

#include <cjson/cJSON.h>

#include "buf.h"
#include "doc.h"

/* The record of report i of d (RECORD.md); NULL when memory ran out. */
cJSON *emit_record(const doc *d, size_t i);
/* The constant JSON text of the rules' indicator ids and of the kinds,
 * made once per extractor and read-only afterwards (shared by worker
 * threads): what a record writes for them, copied at once. */
typedef struct emit_table emit_table;
struct rules;
/* NULL when memory ran out (emit_record_json() then writes the text). */
emit_table *emit_table_new(const struct rules *r);
void emit_table_free(emit_table *t);
/* Counts of one record, for edx_result_counts(). */
typedef struct emit_counts {
    size_t figures, checks, sections, redacted;
} emit_counts;
/* The record of report i of d as JSON text appended to out: byte for byte
 * what cJSON_PrintUnformatted(emit_record(d, i)) gives, without building the
 * tree.  t (may be NULL) is the extractor's emit_table.  counts (may be
 * NULL) receives its counts.  False when memory ran out. */
bool emit_record_json(const emit_table *t, const doc *d, size_t i, buf *out,
                      emit_counts *counts);
/* An error record for an input that could not be processed. */
cJSON *emit_error_record(const char *path, const char *code, const char *message);
/* CSV rows of one record (as built by emit_record) appended to out. */
bool emit_csv_rows(const cJSON *record, buf *out);
extern const char emit_csv_header[];

#endif
