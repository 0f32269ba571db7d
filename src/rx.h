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

/* Literals every match of a pattern holds, read from the pattern when it
 * compiles (rx_compile): each match holds one of text[0 .. n) whole (len[k]
 * bytes, the first RX_NEEDLE_BYTES of a longer literal) in the text it
 * consumes.  n is 0 when the pattern's shape gives none.
 *   "(?:符合|达到)[^,;。]{0,8}(?:标准|要求)" → 标准, 要求 (the item with fewest)
 *   "第\s*\d+页" → 第 */
#define RX_NEEDLES 4
#define RX_NEEDLE_BYTES 12

typedef struct rx_needles {
    unsigned n;
    unsigned char len[RX_NEEDLES];
    char text[RX_NEEDLES][RX_NEEDLE_BYTES];
} rx_needles;

typedef struct rx {
    pcre2_code *code;
    atomic_int jit_state;
    rx_needles needles;
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
/* Add the needles of a to u (none twice), so that a match of any of the
 * patterns whose needles went in holds one of u's.  False, u unchanged,
 * when a has none or they do not fit: then u cannot stand for a. */
bool rx_needles_add(rx_needles *u, const rx_needles *a);

/* The first position in [from, to) where a needle of nd starts and ends by
 * hi, or to when none (or nd has no needles: then from).  Reads s[from, hi)
 * only.  A pattern whose needles are in nd matches in s[from, to) only
 * when this is below to: a test before searches that mostly fail.
 *   needles 标准, 要求 in "均符合要求。" from 0 → 9 */
size_t rx_needles_find(const rx_needles *nd, const char *s, size_t from, size_t to, size_t hi);
/* Capture group g of the last match in s; false when it did not take part. */
bool rx_group(const rx_scratch *s, unsigned g, size_t *gs, size_t *ge);

#endif
