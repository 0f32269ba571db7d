/* diag.h -- diagnostics with a location, printed GCC-style:
 *   rules/units.conf:12:7: error: unknown key 'multipler'
 * Columns count characters, not bytes: the rule files are Chinese. */
#ifndef EDX_DIAG_H
#define EDX_DIAG_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct diag {
    buf text;       /* the formatted lines */
    size_t errors;
    size_t warnings;
} diag;

#define DIAG_INIT {BUF_INIT, 0, 0}

/* Record an error at file:line:col (line/col 1-based; 0 leaves them out). */
void diag_error(diag *d, const char *file, size_t line, size_t col, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 5, 6)))
#endif
    ;
void diag_warning(diag *d, const char *file, size_t line, size_t col, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 5, 6)))
#endif
    ;
void diag_free(diag *d);

#endif
