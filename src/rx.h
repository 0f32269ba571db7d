/* rx.h -- PCRE2 patterns as the rules use them: UTF mode, compiled once,
 * JIT where available, and matched with limits so that no pattern, however
 * badly written, can hang a file.
 *
 * A compiled rx is shared by all threads; each thread brings its own
 * rx_scratch (match data).  A match that hits the limit returns RX_LIMIT so
 * the caller can record a check and go on.
 *
 * The JIT code is made when the pattern is first matched, not when it is
 * compiled: a run over one file tries a few of the rules' patterns, and
 * JIT-compiling all of them cost most of the rule loading.  Every match
 * still runs the JIT code (the first one waits for it), so no result
 * depends on which thread came first; that one-time step is the only
 * change to a compiled rx, made under its atomic jit_state. */
#ifndef EDX_RX_H
#define EDX_RX_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "diag.h"

/* Backtracking budget per match call (PCRE2 match limit) and depth limit.
 * Generous for any sane rule, small enough that a catastrophic pattern on a
 * long line stops within milliseconds. */
#define RX_MATCH_LIMIT 200000u
#define RX_DEPTH_LIMIT 5000u

/* jit_state: JIT code not made yet, being made by one thread, made (rx_match
 * calls pcre2_jit_match directly), or not to be had (JIT off or failed:
 * pcre2_match interprets the pattern). */
enum { RX_JIT_LATER, RX_JIT_BUSY, RX_JIT_READY, RX_JIT_NONE };

typedef struct rx {
    pcre2_code *code;
    atomic_int jit_state;
} rx;

typedef struct rx_scratch {
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    size_t limit_hits;  /* how many matches were stopped by a limit */
} rx_scratch;

typedef enum rx_result { RX_NOMATCH = 0, RX_MATCH = 1, RX_LIMIT = -1, RX_ERROR = -2 } rx_result;

/* Compile `pattern` (UTF-8).  On a syntax error report it at
 * file:line:(col + offset in characters) with PCRE2's message and return
 * false.  `extra_options` are PCRE2 compile options to add to UTF|UCP. */
bool rx_compile(rx *r, const char *pattern, unsigned extra_options, const char *file,
                size_t line, size_t col, diag *d);
void rx_free(rx *r);

bool rx_scratch_init(rx_scratch *s);
void rx_scratch_free(rx_scratch *s);

/* Match r against subject[0..len) starting at byte `start`.  On RX_MATCH,
 * *ms and *me receive the whole match; rx_group() gives captures. */
rx_result rx_match(const rx *r, rx_scratch *s, const char *subject, size_t len,
                   size_t start, unsigned options, size_t *ms, size_t *me);
/* Capture group g of the last match in s; false when it did not take part. */
bool rx_group(const rx_scratch *s, unsigned g, size_t *gs, size_t *ge);

#endif
