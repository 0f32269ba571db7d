/* rx.c -- PCRE2 wrapper with JIT and limits. */
#include "rx.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

bool rx_compile(rx *r, const char *pattern, unsigned extra_options, const char *file,
                size_t line, size_t col, diag *d)
{
    int err = 0;
    PCRE2_SIZE off = 0;
    r->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                            PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK | extra_options, &err,
                            &off, NULL);
    if (!r->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        size_t plen = strlen(pattern);
        if (off > plen)
            off = plen;
        diag_error(d, file, line, col + utf8_count(pattern, off), "bad regex: %s", (char *)msg);
        return false;
    }
    /* JIT is an optimisation: a platform without it still matches.
     * EDUEXTRACT_NO_JIT=1 turns it off for memory checkers (valgrind cannot
     * see into JIT code and reports false uninitialised reads there). */
    const char *nojit = getenv("EDUEXTRACT_NO_JIT");
    atomic_init(&r->jit_state, nojit && strcmp(nojit, "1") == 0 ? RX_JIT_NONE : RX_JIT_LATER);
    return true;
}

void rx_free(rx *r)
{
    pcre2_code_free(r->code);
    r->code = NULL;
    atomic_init(&r->jit_state, RX_JIT_NONE);
}

/* Settle the JIT state of r: the first thread to get here makes the JIT
 * code (pcre2_jit_compile changes r->code, so no thread matches r
 * meanwhile: the others wait for READY or NONE). */
static void rx_jit_settle(const rx *r)
{
    atomic_int *st = (atomic_int *)&r->jit_state;  /* r itself is not const: see rx.h */
    int s = atomic_load_explicit(st, memory_order_acquire);
    if (s == RX_JIT_LATER &&
        atomic_compare_exchange_strong_explicit(st, &s, RX_JIT_BUSY, memory_order_acquire,
                                                memory_order_acquire)) {
        s = pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE) == 0 ? RX_JIT_READY : RX_JIT_NONE;
        atomic_store_explicit(st, s, memory_order_release);
        return;
    }
    while (s == RX_JIT_LATER || s == RX_JIT_BUSY) {
        sched_yield();
        s = atomic_load_explicit(st, memory_order_acquire);
    }
}

bool rx_scratch_init(rx_scratch *s)
{
    memset(s, 0, sizeof *s);
    s->md = pcre2_match_data_create(32, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    if (!s->md || !s->mctx) {
        rx_scratch_free(s);
        return false;
    }
    pcre2_set_match_limit(s->mctx, RX_MATCH_LIMIT);
    pcre2_set_depth_limit(s->mctx, RX_DEPTH_LIMIT);
    return true;
}

void rx_scratch_free(rx_scratch *s)
{
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    s->md = NULL;
    s->mctx = NULL;
}

/* rx_match when r's JIT state is not settled yet (its first matches):
 * settle it, then match.  Apart from rx_match (noinline: rx_match jumps
 * here), so that its every call does not pay for keeping its arguments
 * across a call. */
__attribute__((noinline)) static rx_result rx_match_first(const rx *r, rx_scratch *s, const char *subject, size_t len,
                                size_t start, unsigned options, size_t *ms, size_t *me)
{
    rx_jit_settle(r);
    return rx_match(r, s, subject, len, start, options, ms, me);
}

rx_result rx_match(const rx *r, rx_scratch *s, const char *subject, size_t len,
                   size_t start, unsigned options, size_t *ms, size_t *me)
{
    if (start > len)
        return RX_NOMATCH;
    /* The working text is always valid UTF-8 (decode guarantees it), so the
     * per-call UTF check, which is linear in the subject, is skipped. */
    /* With JIT code and no match-time options, pcre2_match would only
     * check its arguments and call the JIT code: call it directly (many
     * short matches per document make that check a real cost). */
    int st = atomic_load_explicit(&r->jit_state, memory_order_acquire);
    if (st != RX_JIT_READY && st != RX_JIT_NONE)
        return rx_match_first(r, s, subject, len, start, options, ms, me);
    int rc = st == RX_JIT_READY && options == 0
                 ? pcre2_jit_match(r->code, (PCRE2_SPTR)subject, len, start, 0, s->md, s->mctx)
                 : pcre2_match(r->code, (PCRE2_SPTR)subject, len, start,
                               options | PCRE2_NO_UTF_CHECK, s->md, s->mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return RX_NOMATCH;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
        s->limit_hits++;
        return RX_LIMIT;
    }
    if (rc < 0)
        return RX_ERROR;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
    *ms = ov[0];
    *me = ov[1];
    return RX_MATCH;
}

bool rx_group(const rx_scratch *s, unsigned g, size_t *gs, size_t *ge)
{
    if (g >= pcre2_get_ovector_count(s->md))
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
    if (ov[2 * g] == PCRE2_UNSET)
        return false;
    *gs = ov[2 * g];
    *ge = ov[2 * g + 1];
    return true;
}
