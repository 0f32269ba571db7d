/* rx.c -- PCRE2 wrapper with JIT and limits. */
#include "rx.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "text.h"

/* ----- needles: literals every match holds -----
 *
 * The pattern's top-level sequence is read item by item, and a needle set
 * taken from an item that every match passes through once: a run of plain
 * characters with no quantifier after them (a match holds the run), or a
 * group with no quantifier after it whose alternatives are all such runs
 * (a match holds one of them).  Of those the set with the fewest needles,
 * then the longest shortest needle, is kept.  The reading gives up (no
 * needles) on what it does not know: an alternative at the top level,
 * options ((?i), (*UCP), compile options other than multiline), \Q, (?#
 * comments, verbs ((*ACCEPT)), escapes it cannot measure.  Lookarounds at
 * the top level are passed (they consume nothing).  In UTF mode without
 * case folding a literal character matches its own UTF-8 bytes only, so a
 * match's text holds a needle's bytes. */

static bool ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A character that stands for itself in a pattern (not extended mode). */
static bool plain_char(unsigned char c)
{
    return c != '\0' && !strchr("\\^$.|?*+()[]{}", c);
}

/* End of the escape at p[i] (a backslash), or 0 when its form is not
 * one this reading knows. */
static size_t escape_end(const char *p, size_t i)
{
    unsigned char e = (unsigned char)p[i + 1];
    if (e == '\0' || e >= 0x80)
        return 0;
    if (!ascii_alnum(e))
        return i + 2; /* an escaped sign */
    if (e >= '0' && e <= '9') {
        size_t j = i + 1;
        while (p[j] >= '0' && p[j] <= '9')
            j++;
        return j; /* a back reference or an octal code */
    }
    if ((e == 'x' || e == 'o' || e == 'p' || e == 'P') && p[i + 2] == '{') {
        const char *close = strchr(p + i + 2, '}');
        return close ? (size_t)(close - p) + 1 : 0;
    }
    if (e == 'x') {
        size_t j = i + 2;
        while (j < i + 4 && p[j] && strchr("0123456789abcdefABCDEF", p[j]))
            j++;
        return j;
    }
    if ((e == 'p' || e == 'P') && ascii_alnum((unsigned char)p[i + 2]))
        return i + 3;
    return strchr("dDsSwWhHvVRbBAzZGnrtfeaX", e) || (e == 'N' && p[i + 2] != '{') ? i + 2 : 0;
}

/* End of the class at p[i] ('['), or 0. */
static size_t class_end(const char *p, size_t i)
{
    size_t j = i + 1;
    if (p[j] == '^')
        j++;
    if (p[j] == ']')
        j++; /* a ']' first is a member */
    while (p[j] && p[j] != ']') {
        if (p[j] == '\\') {
            if (!p[j + 1])
                return 0;
            j += 2; /* a continuation byte after it is no ']' */
        } else if (p[j] == '[' && p[j + 1] == ':') {
            const char *close = strstr(p + j + 2, ":]");
            if (!close)
                return 0;
            j = (size_t)(close - p) + 2;
        } else {
            j++;
        }
    }
    return p[j] == ']' ? j + 1 : 0;
}

/* End of the group at p[i] ('('), or 0. */
static size_t group_end(const char *p, size_t i)
{
    size_t depth = 0;
    for (size_t j = i; p[j];) {
        size_t e = j + 1;
        if (p[j] == '\\')
            e = escape_end(p, j);
        else if (p[j] == '[')
            e = class_end(p, j);
        else if (p[j] == '(')
            depth++;
        else if (p[j] == ')' && --depth == 0)
            return j + 1;
        if (!e)
            return 0;
        j = e;
    }
    return 0;
}

/* End of the quantifier at p[j], j itself when none, 0 when a '{' there
 * is not followed by digits, at most one comma and '}' (the reading gives
 * up: as a literal brace it would leave what follows it at the top level,
 * an alternative too).  A '{' of that form counts as a quantifier even
 * where PCRE2 takes it literally ({,3} in older versions): that only costs
 * the item before it its needle. */
static size_t quantifier_end(const char *p, size_t j)
{
    size_t e = j;
    if (p[j] == '?' || p[j] == '*' || p[j] == '+') {
        e = j + 1;
    } else if (p[j] == '{') {
        bool comma = false;
        for (e = j + 1; p[e] != '}'; e++)
            if (p[e] == ',' && !comma)
                comma = true;
            else if (p[e] < '0' || p[e] > '9')
                return 0;
        e++;
    }
    if (e > j && (p[e] == '?' || p[e] == '+'))
        e++; /* lazy or possessive */
    return e;
}

/* A needle set being weighed: n literals at[k], len[k] bytes. */
typedef struct needle_set {
    unsigned n;
    const char *at[RX_NEEDLES];
    size_t len[RX_NEEDLES];
} needle_set;

static size_t shortest(const needle_set *s)
{
    size_t m = SIZE_MAX;
    for (unsigned k = 0; k < s->n; k++)
        m = s->len[k] < m ? s->len[k] : m;
    return m;
}

/* Keep cand in *best when it is better: fewer needles, then longer. */
static void weigh(needle_set *best, const needle_set *cand)
{
    if (cand->n && (!best->n || cand->n < best->n ||
                    (cand->n == best->n && shortest(cand) > shortest(best))))
        *best = *cand;
}

/* The alternatives of the group body p[b, e) as needles, when each is a
 * nonempty run of plain characters (n 0 otherwise). */
static needle_set group_needles(const char *p, size_t b, size_t e)
{
    needle_set s = {0};
    size_t start = b;
    for (size_t j = b; j <= e; j++) {
        if (j < e && plain_char((unsigned char)p[j]))
            continue;
        if ((j < e && p[j] != '|') || j == start || s.n == RX_NEEDLES)
            return (needle_set){0};
        s.at[s.n] = p + start;
        s.len[s.n++] = j - start;
        start = j + 1;
    }
    return s;
}

/* The needles of pattern p (see above) into *nd. */
static void find_needles(rx_needles *nd, const char *p, unsigned options)
{
    nd->n = 0;
    /* (and at verbs anywhere: (*ACCEPT) in a group ends a match early) */
    if ((options & ~(unsigned)PCRE2_MULTILINE) || strstr(p, "\\Q") || strstr(p, "(?#") ||
        strstr(p, "(*"))
        return;
    needle_set best = {0}, run = {0};
    for (size_t i = 0; p[i];) {
        unsigned char c = (unsigned char)p[i];
        size_t e;
        needle_set group = {0};
        if (c == '|' || c == ')')
            return;
        if (c == '\\') {
            e = escape_end(p, i);
        } else if (c == '[') {
            e = class_end(p, i);
        } else if (c == '(') {
            bool plain = p[i + 1] != '?' && p[i + 1] != '*';
            bool nocap = p[i + 1] == '?' && p[i + 2] == ':';
            bool behind = p[i + 2] == '<' && (p[i + 3] == '=' || p[i + 3] == '!');
            bool look = p[i + 1] == '?' && (p[i + 2] == '=' || p[i + 2] == '!' || behind);
            if (!plain && !nocap && !look)
                return; /* options, names, verbs, ... */
            e = group_end(p, i);
            if (e && !look)
                group = group_needles(p, i + (nocap ? 3 : 1), e - 1);
        } else {
            e = i + (plain_char(c) ? utf8_seq_len(c) : 1);
        }
        if (!e)
            return;
        size_t q = quantifier_end(p, e);
        if (!q)
            return;
        if (q == e && plain_char(c)) {
            /* one more character of the current run */
            if (!run.n) {
                run.n = 1;
                run.at[0] = p + i;
                run.len[0] = 0;
            }
            run.len[0] += e - i;
        } else {
            weigh(&best, &run);
            run.n = 0;
            if (q == e)
                weigh(&best, &group);
        }
        i = q;
    }
    weigh(&best, &run);
    for (unsigned k = 0; k < best.n; k++) {
        size_t n = best.len[k] < RX_NEEDLE_BYTES ? best.len[k] : RX_NEEDLE_BYTES;
        memcpy(nd->text[k], best.at[k], n);
        nd->len[k] = (unsigned char)n;
    }
    nd->n = best.n;
}

bool rx_needles_add(rx_needles *u, const rx_needles *a)
{
    rx_needles sum = *u;
    if (!a->n)
        return false;
    for (unsigned k = 0; k < a->n; k++) {
        bool known = false;
        for (unsigned j = 0; j < sum.n && !known; j++)
            known = sum.len[j] == a->len[k] && memcmp(sum.text[j], a->text[k], a->len[k]) == 0;
        if (known)
            continue;
        if (sum.n == RX_NEEDLES)
            return false;
        sum.len[sum.n] = a->len[k];
        memcpy(sum.text[sum.n++], a->text[k], a->len[k]);
    }
    *u = sum;
    return true;
}

/* True when needle k of nd starts at s[i] and ends by hi. */
static inline bool needle_at(const rx_needles *nd, unsigned k, const char *s, size_t i, size_t hi)
{
    return nd->len[k] <= hi - i && memcmp(s + i, nd->text[k], nd->len[k]) == 0;
}

size_t rx_needles_find(const rx_needles *nd, const char *s, size_t from, size_t to, size_t hi)
{
    size_t i = from;
    unsigned n = nd->n;
    if (!n)
        return from;
#ifdef __SSE2__
    /* Needles of three bytes or more (Chinese words), 16 positions at a
     * time: those where a needle's second and third bytes stand at their
     * places are tested whole, in order, as the loop below would test them;
     * no other position holds a needle.  Up to four needles, each a pair of
     * byte compares. */
    bool long3 = true;
    for (unsigned k = 0; k < n; k++)
        long3 = long3 && nd->len[k] >= 3;
    if (long3) {
        const unsigned char *p = (const unsigned char *)s;
        __m128i a[RX_NEEDLES], b[RX_NEEDLES];
        for (unsigned k = 0; k < RX_NEEDLES; k++) {
            a[k] = _mm_set1_epi8(nd->text[k < n ? k : 0][1]);
            b[k] = _mm_set1_epi8(nd->text[k < n ? k : 0][2]);
        }
        for (; i < to && i + 18 <= hi; i += 16) {
            __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 1));
            __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 2));
            __m128i hit = _mm_and_si128(_mm_cmpeq_epi8(v1, a[0]), _mm_cmpeq_epi8(v2, b[0]));
            if (n > 1)
                hit = _mm_or_si128(hit, _mm_and_si128(_mm_cmpeq_epi8(v1, a[1]),
                                                      _mm_cmpeq_epi8(v2, b[1])));
            if (n > 2)
                hit = _mm_or_si128(hit, _mm_and_si128(_mm_cmpeq_epi8(v1, a[2]),
                                                      _mm_cmpeq_epi8(v2, b[2])));
            if (n > 3)
                hit = _mm_or_si128(hit, _mm_and_si128(_mm_cmpeq_epi8(v1, a[3]),
                                                      _mm_cmpeq_epi8(v2, b[3])));
            unsigned m = (unsigned)_mm_movemask_epi8(hit);
            while (m) {
                size_t at = i + (size_t)__builtin_ctz(m);
                m &= m - 1;
                if (at >= to)
                    return to;
                for (unsigned k = 0; k < n; k++)
                    if (needle_at(nd, k, s, at, hi))
                        return at;
            }
        }
    }
#endif
    for (; i < to; i++)
        for (unsigned k = 0; k < n; k++)
            if (s[i] == nd->text[k][0] && needle_at(nd, k, s, i, hi))
                return i;
    return to;
}

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
    find_needles(&r->needles, pattern, extra_options);
    return true;
}

void rx_free(rx *r)
{
    pcre2_code_free(r->code);
    r->code = NULL;
    r->needles.n = 0;
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
