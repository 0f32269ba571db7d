/* emit.c -- records as JSON and CSV. */
#include "emit.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* For the small writers whose inlining GCC decides differently each time
 * emit.c changes (measured: a flip costs a few percent of emit). */
#define ALWAYS_INLINE static inline __attribute__((always_inline))

static const char *const QUALIFIERS[] = {NULL, "approx", "over", "under"};
static const char *const SEVERITIES[] = {"info", "warning", "error"};

static cJSON *span_json(const doc *d, wspan w)
{
    size_t s, e;
    doc_orig_cps(d, w, &s, &e);
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddNumberToObject(o, "start", (double)s);
        cJSON_AddNumberToObject(o, "end", (double)e);
    }
    return o;
}

static cJSON *cps_span_json(size_t s, size_t e)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddNumberToObject(o, "start", (double)s);
        cJSON_AddNumberToObject(o, "end", (double)e);
    }
    return o;
}

/* Add a string, or null when s is NULL; takes ownership of nothing. */
static void add_str(cJSON *o, const char *key, const char *s)
{
    if (s)
        cJSON_AddStringToObject(o, key, s);
    else
        cJSON_AddNullToObject(o, key);
}

/* Add an owned string slice of the original and free it. */
static void add_orig(cJSON *o, const char *key, const doc *d, wspan w)
{
    char *s = doc_orig_slice(d, w);
    add_str(o, key, s);
    free(s);
}

static void add_number_or_null(cJSON *o, const char *key, bool has, double v)
{
    if (has && isfinite(v))
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *section_json(const doc *d, const section *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    add_orig(o, "marker", d, s->marker);
    cJSON_AddNumberToObject(o, "level", s->level);
    add_orig(o, "title", d, s->title);
    cJSON_AddItemToObject(o, "span", span_json(d, s->extent));
    cJSON_AddItemToObject(o, "children", cJSON_CreateArray());
    return o;
}

static cJSON *section_path_json(const doc *d, const report *r, int sec)
{
    cJSON *a = cJSON_CreateArray();
    int chain[DOC_MAX_DEPTH + 1];
    int n = 0;
    for (int i = sec; i >= 0 && n <= DOC_MAX_DEPTH; i = r->sections[i].parent)
        chain[n++] = i;
    while (a && n > 0) {
        char *m = doc_orig_slice(d, r->sections[chain[--n]].marker);
        cJSON_AddItemToArray(a, cJSON_CreateString(m ? m : ""));
        free(m);
    }
    return a;
}

static cJSON *figure_json(const doc *d, const report *r, const figure *f)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "id", f->id ? f->id : "other");
    add_str(o, "name", f->name ? f->name : "");
    cJSON_AddStringToObject(o, "kind", rules_kind_name(f->kind));
    add_number_or_null(o, "value", f->has_value && !f->redacted, f->value);
    add_str(o, "unit", f->unit[0] ? f->unit : NULL);
    if (f->is_ratio) {
        cJSON *ra = cJSON_AddObjectToObject(o, "ratio");
        add_number_or_null(ra, "left", true, f->left);
        add_number_or_null(ra, "right", true, f->right);
    } else {
        cJSON_AddNullToObject(o, "ratio");
    }
    add_str(o, "qualifier", QUALIFIERS[f->qual]);
    cJSON_AddBoolToObject(o, "redacted", f->redacted);
    cJSON_AddBoolToObject(o, "change", f->change);
    add_orig(o, "raw", d, f->span);
    cJSON_AddItemToObject(o, "span", span_json(d, f->span));
    cJSON_AddItemToObject(o, "section", section_path_json(d, r, f->section));
    add_str(o, "stage", f->stage);
    add_number_or_null(o, "year", f->year > 0, f->year);
    if (f->std.present) {
        cJSON *so = cJSON_AddObjectToObject(o, "standard");
        add_number_or_null(so, "value", f->std.has_value, f->std.value);
        add_str(so, "unit", f->std.unit[0] ? f->std.unit : NULL);
        add_orig(so, "raw", d, f->std.span);
        cJSON_AddItemToObject(so, "span", span_json(d, f->std.span));
    } else {
        cJSON_AddNullToObject(o, "standard");
    }
    add_str(o, "claimed", f->claimed == CLAIM_MET ? "met"
                          : f->claimed == CLAIM_NOT_MET ? "not_met" : NULL);
    if (f->meets < 0)
        cJSON_AddNullToObject(o, "meets_standard");
    else
        cJSON_AddBoolToObject(o, "meets_standard", f->meets);
    return o;
}

static cJSON *check_json(const doc *d, const check *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "code", c->code);
    cJSON_AddStringToObject(o, "severity", SEVERITIES[c->sev]);
    cJSON_AddStringToObject(o, "message", c->message);
    cJSON *idx = cJSON_AddArrayToObject(o, "indicators");
    for (size_t i = 0; i < c->nidx && idx; i++)
        cJSON_AddItemToArray(idx, cJSON_CreateNumber((double)c->idx[i]));
    if (c->has_span)
        cJSON_AddItemToObject(o, "span", span_json(d, c->span));
    else
        cJSON_AddNullToObject(o, "span");
    return o;
}

cJSON *emit_record(const doc *d, size_t ri)
{
    const report *r = &d->reports[ri];
    cJSON *rec = cJSON_CreateObject();
    if (!rec)
        return NULL;
    cJSON_AddStringToObject(rec, "schema", "eduextract.record/1");
    cJSON *src = cJSON_AddObjectToObject(rec, "source");
    cJSON_AddStringToObject(src, "path", d->path);
    cJSON_AddStringToObject(src, "encoding", d->encoding);
    cJSON_AddNumberToObject(src, "report_index", (double)ri);
    cJSON_AddNumberToObject(src, "report_count", (double)d->nreports);
    size_t rs, re;
    doc_orig_cps(d, r->extent, &rs, &re);
    if (ri == 0 && d->nreports == 1) {
        /* A lone report covers the whole file, boilerplate included. */
        rs = 0;
        re = cp_index_of(&d->cpix, d->orig_len);
    }
    cJSON_AddItemToObject(src, "span", cps_span_json(rs, re));
    add_str(rec, "title", r->title);
    add_str(rec, "organization", r->organization);
    add_number_or_null(rec, "year", r->year > 0, r->year);
    add_str(rec, "period", r->period);
    add_str(rec, "date", r->date);

    /* Sections: parents precede children, so one pass attaches each. */
    cJSON *secs = cJSON_AddArrayToObject(rec, "sections");
    cJSON **made = calloc(r->nsections ? r->nsections : 1, sizeof *made);
    if (!made) {
        cJSON_Delete(rec);
        return NULL;
    }
    for (size_t i = 0; i < r->nsections; i++) {
        const section *s = &r->sections[i];
        made[i] = section_json(d, s);
        if (!made[i])
            continue;
        if (s->parent >= 0 && (size_t)s->parent < i && made[s->parent])
            cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(made[s->parent], "children"),
                                 made[i]);
        else
            cJSON_AddItemToArray(secs, made[i]);
    }
    free(made);

    cJSON *inds = cJSON_AddArrayToObject(rec, "indicators");
    size_t redacted = 0;
    for (size_t i = 0; i < r->nfigures; i++) {
        cJSON_AddItemToArray(inds, figure_json(d, r, &r->figures[i]));
        redacted += r->figures[i].redacted;
    }
    cJSON *checks = cJSON_AddArrayToObject(rec, "checks");
    for (size_t i = 0; i < r->nchecks; i++)
        cJSON_AddItemToArray(checks, check_json(d, &r->checks[i]));
    cJSON *st = cJSON_AddObjectToObject(rec, "stats");
    cJSON_AddNumberToObject(st, "chars", (double)(re - rs));
    cJSON_AddNumberToObject(st, "sections", (double)r->nsections);
    cJSON_AddNumberToObject(st, "indicators", (double)r->nfigures);
    cJSON_AddNumberToObject(st, "redacted", (double)redacted);
    cJSON_AddNumberToObject(st, "checks", (double)r->nchecks);
    return rec;
}

cJSON *emit_error_record(const char *path, const char *code, const char *message)
{
    cJSON *rec = cJSON_CreateObject();
    if (!rec)
        return NULL;
    cJSON_AddStringToObject(rec, "schema", "eduextract.record/1");
    cJSON *src = cJSON_AddObjectToObject(rec, "source");
    cJSON_AddStringToObject(src, "path", path ? path : "-");
    cJSON *err = cJSON_AddObjectToObject(rec, "error");
    cJSON_AddStringToObject(err, "code", code);
    cJSON_AddStringToObject(err, "message", message);
    return rec;
}

/* ----- the same record written as JSON text ----- */

/* emit_record() builds a cJSON tree that is printed and freed at once; for
 * reports dense with figures building, printing and freeing it cost more
 * than reading the report.  The writer below gives the bytes
 * cJSON_PrintUnformatted() gives for that tree (cJSON 1.7: strings escape
 * " \ \b \f \n \r \t and other bytes below 0x20 as \u00xx, numbers print as
 * %d when equal to their int value, else %1.15g, or %1.17g when that does
 * not read back), without the tree. */

/* Append to the record's buffer without a call while it has room (the
 * same bytes as buf_append and buf_putc, which take over when it has not).
 * The inline paths leave room for the terminating NUL but do not write it:
 * emit_record_json() ends the text once (end_text()). */
static inline void put_bytes(buf *b, const char *s, size_t n)
{
    if (!b->failed && b->len + n + 1 <= b->cap) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
    } else {
        buf_append(b, s, n);
    }
}

static inline void put_c(buf *b, char c)
{
    if (!b->failed && b->len + 2 <= b->cap) {
        b->data[b->len++] = c;
    } else {
        buf_append(b, &c, 1);
    }
}

/* The NUL the inline appends left room for. */
static void end_text(buf *b)
{
    if (b->data && !b->failed)
        b->data[b->len] = '\0';
}

static inline uint64_t load64(const char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* Bytes a JSON string escapes (cJSON's set): controls, '"' and '\\'. */
static const unsigned char JSON_ESC[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,  /* '\\' */
};

/* True when none of the eight bytes of x is escaped: the classic zero-byte
 * tests (exact for "any byte"), for bytes below 0x20 and for bytes equal to
 * '"' or '\\' (x xor the byte is zero there). */
static inline bool word_plain(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t q = x ^ (ones * '"'), bs = x ^ (ones * '\\');
    return (((x - ones * 0x20) | (q - ones) | (bs - ones)) & ~x & high) == 0;
}

#ifdef __SSE2__
/* Byte k all ones when byte k of x is one JSON_ESC marks: below 0x20
 * (where a saturating subtract of 0x1F leaves zero), '"' or '\\'. */
static inline __m128i esc_mask16(__m128i x)
{
    __m128i ctl = _mm_cmpeq_epi8(_mm_subs_epu8(x, _mm_set1_epi8(0x1F)), _mm_setzero_si128());
    __m128i q = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
    __m128i bs = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
    return _mm_or_si128(ctl, _mm_or_si128(q, bs));
}

/* esc_mask16() as bits: bit k for byte k. */
static inline unsigned esc_bits16(__m128i x)
{
    return (unsigned)_mm_movemask_epi8(esc_mask16(x));
}

/* Sixteen ones then sixteen zeros: the sixteen bytes from HEAD16 + 16 - r
 * (0 < r <= 16) are a mask of the first r bytes of a block. */
static const unsigned char HEAD16[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};
#endif

/* The JSON string of s[0..n) at p, cut at a NUL, escaping what cJSON
 * escapes, where there is room for 6n + 2 bytes (every byte escaped as
 * \u00xx); returns the end.  Runs of bytes that need no escape (found
 * eight at a time) are copied at once. */
static char *escaped_at(char *p, const char *s, size_t n)
{
    static const char HEX[] = "0123456789abcdef";
    *p++ = '"';
    size_t run = 0, i = 0;
    for (;;) {
        while (n - i >= 8 && word_plain(load64(s + i)))
            i += 8;
        /* Within eight bytes: the word above held an escaped byte, or
         * fewer than eight are left. */
        while (i < n && !JSON_ESC[(unsigned char)s[i]])
            i++;
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (!c) {
            n = i;
            break;
        }
        memcpy(p, s + run, i - run);
        p += i - run;
        run = ++i;
        *p++ = '\\';
        switch (c) {
        case '"': *p++ = '"'; break;
        case '\\': *p++ = '\\'; break;
        case '\b': *p++ = 'b'; break;
        case '\f': *p++ = 'f'; break;
        case '\n': *p++ = 'n'; break;
        case '\r': *p++ = 'r'; break;
        case '\t': *p++ = 't'; break;
        default:
            memcpy(p, "u00", 3);
            p[3] = HEX[c >> 4];
            p[4] = HEX[c & 15];
            p += 5;
        }
    }
    memcpy(p, s + run, n - run);
    p += n - run;
    *p++ = '"';
    return p;
}

/* put_str_n() for strings with bytes to escape (or no room in the
 * buffer). */
static void put_str_escaped(buf *b, const char *s, size_t n)
{
    if (n <= (SIZE_MAX - 2) / 6 && buf_reserve(b, 6 * n + 2))
        b->len = (size_t)(escaped_at(b->data + b->len, s, n) - b->data);
    else
        b->failed = true;
}

/* The JSON string of s[0..n) at o, where there is room for n + 17 bytes,
 * when none of its bytes is escaped: returns the end of what it wrote (the
 * closing quote's next byte); NULL otherwise, when what it wrote is to be
 * overwritten (put_str_escaped() then writes the string). */
ALWAYS_INLINE char *plain_str_at(char *o, const char *s, size_t n)
{
    /* Most strings need no escape: copy them straight in as they are
     * checked (words are stored whole, hence the slack), and give up if an
     * escaped byte turns up. */
    o++;
    size_t i = 0;
#ifdef __SSE2__
    /* Sixteen bytes at a time, the last sixteen overlapping those
     * checked; an escaped byte stops the blocks where the words below
     * go on from (they find it again). */
    if (n >= 16) {
        for (; n - i > 16; i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            if (esc_bits16(x))
                break;
            _mm_storeu_si128((__m128i *)(void *)(o + i), x);
        }
        if (n - i <= 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16));
            _mm_storeu_si128((__m128i *)(void *)(o + n - 16), x);
            i = esc_bits16(x) ? i : n;
        }
    }
#endif
    for (; n - i >= 8; i += 8) {
        uint64_t x = load64(s + i);
        if (!word_plain(x))
            break;
        memcpy(o + i, &x, 8);
    }
    if (n - i >= 8)
        return NULL;
    if (i == n) {
        /* all checked sixteen at a time */
    } else if (n >= 8) {
        /* The last eight bytes, overlapping those checked. */
        uint64_t x = load64(s + n - 8);
        i = word_plain(x) ? n : i;
        memcpy(o + n - 8, &x, 8);
    } else if (n >= 4) {
        /* Four bytes from each end (overlapping) cover them all. */
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        i = word_plain(lo | (uint64_t)hi << 32) ? n : i;
        memcpy(o, &lo, 4);
        memcpy(o + n - 4, &hi, 4);
    } else if (n) {
        /* The first, middle and last byte are all of one to three. */
        unsigned char c0 = (unsigned char)s[0], c1 = (unsigned char)s[n >> 1],
                      c2 = (unsigned char)s[n - 1];
        i = JSON_ESC[c0] | JSON_ESC[c1] | JSON_ESC[c2] ? i : n;
        o[0] = (char)c0;
        o[n >> 1] = (char)c1;
        o[n - 1] = (char)c2;
    }
    if (i != n)
        return NULL;
    o[-1] = '"';
    o[n] = '"';
    return o + n + 1;
}

/* A JSON string of s[0..n), cut at a NUL as a C string would be. */
static inline void put_str_n(buf *b, const char *s, size_t n)
{
    if (!b->failed && b->cap - b->len > n + 16) {
        char *e = plain_str_at(b->data + b->len, s, n);
        if (e) {
            b->len = (size_t)(e - b->data);
            return;
        }
    }
    put_str_escaped(b, s, n);
}

/* A string, or null when s is NULL. */
static void put_str(buf *b, const char *s)
{
    if (s)
        put_str_n(b, s, strlen(s));
    else
        put_bytes(b, "null", 4);
}

/* put_str_n() of original bytes [ob, oe) when none of them is escaped,
 * sixteen at a time: a span of the original is followed by more of it, so
 * whole blocks of sixteen from ob can be read (and stored, the buffer has
 * the room) while only the n bytes of the span are tested; what follows
 * them in the buffer is overwritten by the closing quote and later
 * appends.  *cps (when cps is not NULL) receives utf8_count() of the span:
 * its bytes that are not continuation bytes.  False, nothing written, when
 * a byte is escaped, the blocks would pass the end of the original or the
 * buffer lacks the room (and always without SSE2): put_str_n(),
 * put_raw_counted() decide then. */
static inline bool orig_plain_at(char *at, const doc *d, size_t ob, size_t oe, size_t *cps);
/* The room orig_plain_at() needs past the span's bytes: its quotes and
 * the rest of its last block, or of a 48-byte window. */
enum { ORIG_PLAIN_SLACK = 64 };

static inline bool put_orig_plain(buf *b, const doc *d, size_t ob, size_t oe, size_t *cps)
{
    if (b->failed || oe < ob || b->cap - b->len <= oe - ob + ORIG_PLAIN_SLACK ||
        !orig_plain_at(b->data + b->len, d, ob, oe, cps))
        return false;
    b->len += oe - ob + 2;
    return true;
}

#ifdef __SSE2__
/* Forty-eight ones then forty-eight zeros: the sixteen bytes from
 * HEAD48 + 48 - n + 16 * k mask the bytes of block k of a 48-byte window
 * that lie among its first n (0 <= n <= 48). */
static const unsigned char HEAD48[96] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

/* One block x of a span's text copied to o, where mine marks the bytes of
 * x that are the span's: adds their escaped bytes to *esc and subtracts
 * their continuation bytes from *cont (a compare's mask is -1 each). */
ALWAYS_INLINE void plain_block(char *o, __m128i x, __m128i mine, __m128i *esc, __m128i *cont)
{
    *esc = _mm_or_si128(*esc, _mm_and_si128(esc_mask16(x), mine));
    _mm_storeu_si128((__m128i *)(void *)o, x);
    /* 0x80..0xBF, the continuation bytes, are those below -64 signed. */
    *cont = _mm_sub_epi8(*cont, _mm_and_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(-64)), mine));
}
#endif

/* put_orig_plain() at `at`, where there is room for the span and
 * ORIG_PLAIN_SLACK bytes more (oe >= ob): writes the quoted string (and
 * what the block stores leave after it) and returns true, or returns
 * false. */
static inline bool orig_plain_at(char *at, const doc *d, size_t ob, size_t oe, size_t *cps)
{
#ifdef __SSE2__
    size_t n = oe - ob;
    if (ob > d->orig_len)
        return false;
    const char *s = d->orig + ob;
    char *o = at + 1;
    __m128i esc = _mm_setzero_si128(), cont = _mm_setzero_si128();
    if (n <= 48 && d->orig_len - ob >= 48) {
        /* Most spans (96 % of figures' texts) are at most 48 bytes: three
         * blocks each time, their masks from one table, with no loop whose
         * count changes from span to span (its ends were mispredicted).
         * The blocks test and count the same bytes as the loop below: the
         * masks keep exactly the first n. */
        const unsigned char *m = HEAD48 + 48 - n;
        for (int k = 0; k < 3; k++)
            plain_block(o + 16 * k, _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k)),
                        _mm_loadu_si128((const __m128i *)(const void *)(m + 16 * k)), &esc, &cont);
    } else {
        /* (At most 255 blocks: their continuation bytes are counted
         * bytewise.) */
        if (n > 255 * 16 || d->orig_len - ob < ((n + 15) & ~(size_t)15))
            return false;
        for (size_t i = 0; i < n; i += 16) {
            /* Only the span's bytes of the last block count. */
            __m128i mine = n - i >= 16 ? _mm_set1_epi8(-1)
                                       : _mm_loadu_si128((const __m128i *)(const void *)(HEAD16 + 16 -
                                                                                         (n - i)));
            plain_block(o + i, _mm_loadu_si128((const __m128i *)(const void *)(s + i)), mine, &esc,
                        &cont);
        }
    }
    if (_mm_movemask_epi8(esc))
        return false;
    o[-1] = '"';
    o[n] = '"';
    if (cps) {
        __m128i sums = _mm_sad_epu8(cont, _mm_setzero_si128());
        *cps = n - ((size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4));
    }
    return true;
#else
    (void)at, (void)d, (void)ob, (void)oe, (void)cps;
    return false;
#endif
}

/* The JSON string of original bytes [ob, oe). */
static void put_orig_str(buf *b, const doc *d, size_t ob, size_t oe)
{
    if (!put_orig_plain(b, d, ob, oe, NULL))
        put_str_n(b, d->orig + ob, oe - ob);
}

/* "00" to "99", two bytes each. */
static const char DIGITS2[] = "00010203040506070809101112131415161718192021222324252627282930"
                              "31323334353637383940414243444546474849505152535455565758596061"
                              "62636465666768697071727374757677787980818283848586878889909192"
                              "93949596979899";

/* write_digits() of u of five digits or more. */
static size_t write_digits_long(char *p, unsigned long long u)
{
    /* Two digits per division, from the last digit back into t, then one
     * copy of fixed size (no count of the digits first). */
    char t[48];
    char *end = t + 24, *q = end;
    while (u >= 100) {
        unsigned r = (unsigned)(u % 100);
        u /= 100;
        *--q = DIGITS2[2 * r + 1];
        *--q = DIGITS2[2 * r];
    }
    if (u >= 10) {
        *--q = DIGITS2[2 * u + 1];
        *--q = DIGITS2[2 * u];
    } else {
        *--q = (char)('0' + u);
    }
    memcpy(p, q, 24);
    return (size_t)(end - q);
}

/* The decimal digits of u at p, where there is room for 24 bytes (20
 * digits and the slack of a fixed-size copy); returns how many. */
static inline size_t write_digits(char *p, unsigned long long u)
{
    /* Spans, levels, counts and most values have at most four digits:
     * their count is known from two compares and they go straight to p. */
    if (u < 100) {
        if (u < 10) {
            p[0] = (char)('0' + u);
            return 1;
        }
        memcpy(p, DIGITS2 + 2 * u, 2);
        return 2;
    }
    if (u < 10000) {
        unsigned v = (unsigned)u, hi = v / 100, lo = v - hi * 100;
        if (hi < 10) {
            p[0] = (char)('0' + hi);
            memcpy(p + 1, DIGITS2 + 2 * lo, 2);
            return 3;
        }
        memcpy(p, DIGITS2 + 2 * hi, 2);
        memcpy(p + 2, DIGITS2 + 2 * lo, 2);
        return 4;
    }
    return write_digits_long(p, u);
}

/* The three digits of v (100 <= v < 1000) at p; returns the end. */
ALWAYS_INLINE char *digits3_at(char *p, unsigned v)
{
    unsigned hi = v / 100;
    p[0] = (char)('0' + hi);
    memcpy(p + 1, DIGITS2 + 2 * (v - hi * 100), 2);
    return p + 3;
}

/* v in decimal at p, where there is room for 26 bytes; returns the end. */
static inline char *int_at(char *p, long long v)
{
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    if (v < 0)
        *p++ = '-';
    return p + write_digits(p, u);
}

ALWAYS_INLINE void put_int(buf *b, long long v)
{
    char t[32];
    /* Straight into the buffer while it has room for any long long. */
    if (!b->failed && b->len + 26 <= b->cap) {
        b->len = (size_t)(int_at(b->data + b->len, v) - b->data);
        return;
    }
    put_bytes(b, t, (size_t)(int_at(t, v) - t));
}

/* d as %1.15g prints it, when d is the double nearest to a decimal M/10^k
 * of at most 15 significant digits between 1e-4 and 1e15 (figures such as
 * 12.9 or 98.25): %.15g then rounds d back to exactly that decimal (d is
 * within half an ulp of it, far less than half a unit of its 15th digit),
 * in fixed notation without trailing zeros, and the decimal reads back as d
 * (so cJSON would not go on to %1.17g).  (double)M / 10^k is correctly
 * rounded (both exact), which checks that d is that nearest double.  False
 * when d is not such a number: the caller prints it with snprintf. */
static bool put_decimal(buf *b, double d)
{
    static const double P10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    double a = fabs(d);
    if (!(a >= 1e-4 && a < 1e15))
        return false;
    for (int k = 1; k <= 15; k++) {
        double m = a * P10[k];
        if (!(m < 1e15))
            return false;
        uint64_t mi = (uint64_t)(m + 0.5);
        if ((double)mi / P10[k] != a)
            continue;
        if (mi < (uint64_t)P10[k <= 4 ? 0 : k - 4])
            return false;  /* below 1e-4: %g would use an exponent */
        /* mi's nd digits: the last k are the fraction (zeros before
         * them when nd < k), the rest the whole part ("0" when none);
         * trailing zeros of the fraction are not printed, nor its point
         * when they are all of it.  Each part (at most 15 digits: mi <
         * 1e15) is moved as sixteen bytes, the ones past it overwritten
         * by the next or left past the n bytes put. */
        char digits[32];
        size_t nd = write_digits(digits, mi), uk = (size_t)k;
        size_t whole = nd > uk ? nd - uk : 0, last = nd;
        while (last > whole && digits[last - 1] == '0')
            last--;
        char t[48];
        size_t n = 0;
        if (d < 0)
            t[n++] = '-';
        if (whole) {
            memcpy(t + n, digits, 16);
            n += whole;
        } else {
            t[n++] = '0';
        }
        if (last > whole) {
            t[n++] = '.';
            memset(t + n, '0', 16);
            n += uk - (nd - whole);
            memcpy(t + n, digits + whole, 16);
            n += last - whole;
        }
        put_bytes(b, t, n);
        return true;
    }
    return false;
}

/* d as cJSON prints it when %1.15g rounds d to a whole number r of at most
 * 15 digits (figures scaled by 万 or 亿 such as 11299.999999999998, which
 * print as 11300): with 1 <= |d| < 1e15, %.15g rounds to a multiple of
 * 10^(E-14), E the exponent of d, and r is such a multiple; when d is
 * within a quarter of that step of r (well inside the half that makes r
 * the nearest, whatever the rounding of the constants), the digits are
 * r's, printed without a fraction or exponent since r < 1e15.  cJSON then
 * keeps them when r reads back close enough (the same test as in
 * put_num()).  False when d is not such a number: snprintf decides. */
static bool put_near_whole(buf *b, double d)
{
    static const double P10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14};
    static const double QUARTER_STEP[] = {2.5e-15, 2.5e-14, 2.5e-13, 2.5e-12, 2.5e-11,
                                          2.5e-10, 2.5e-9,  2.5e-8,  2.5e-7,  2.5e-6,
                                          2.5e-5,  2.5e-4,  2.5e-3,  2.5e-2,  2.5e-1};
    double a = fabs(d);
    if (!(a >= 1 && a < 1e15))
        return false;
    int e = 14;
    while (P10[e] > a)
        e--;
    uint64_t r = (uint64_t)(a + 0.5);
    double dr = (double)r;
    if (!(dr < 1e15 && fabs(a - dr) <= QUARTER_STEP[e]))
        return false;
    double m = dr > a ? dr : a;
    if (!(fabs(dr - a) <= m * DBL_EPSILON))
        return false;
    char t[32];
    size_t n = 0;
    if (d < 0)
        t[n++] = '-';
    n += write_digits(t + n, r);
    put_bytes(b, t, n);
    return true;
}

/* put_num() of a finite d that is not a whole int. */
static void put_fraction(buf *b, double d)
{
    if (put_decimal(b, d) || put_near_whole(b, d))
        return;
    char t[32];
    int n = snprintf(t, sizeof t, "%1.15g", d);
    double back = strtod(t, NULL);
    double m = fabs(back) > fabs(d) ? fabs(back) : fabs(d);
    if (!(fabs(back - d) <= m * DBL_EPSILON))
        n = snprintf(t, sizeof t, "%1.17g", d);
    if (n > 0)
        put_bytes(b, t, (size_t)n < sizeof t ? (size_t)n : sizeof t - 1);
}

/* A number as cJSON prints it (see above): inline up to the whole ints
 * (most values, counts and levels), which need no call. */
ALWAYS_INLINE void put_num(buf *b, double d)
{
    if (isnan(d) || isinf(d)) {
        put_bytes(b, "null", 4);
        return;
    }
    int vi = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
    if (d == (double)vi)
        put_int(b, vi);
    else
        put_fraction(b, d);
}

/* A count as put_num((double)v) prints it. */
static void put_count(buf *b, size_t v)
{
    if (v <= (size_t)INT_MAX)
        put_int(b, (long long)v);
    else
        put_num(b, (double)v);
}

/* A key with its colon, after a comma unless it opens the object. */
#define put_key(b, key_colon) put_bytes((b), "" key_colon, sizeof(key_colon) - 1)

/* len bytes from src, earlier in the record's buffer, to dst, where there
 * is room for them (a memo's copy of what it wrote before: see memo_at());
 * they never overlap.  The usual copy of 16 to 128 bytes moves sixteen at
 * a time, the last sixteen overlapping, instead of calling memcpy. */
ALWAYS_INLINE void copy_back(char *dst, const char *src, size_t len)
{
#ifdef __SSE2__
    if (len >= 16 && len <= 128) {
        for (size_t i = 0; len - i > 16; i += 16)
            _mm_storeu_si128((__m128i *)(void *)(dst + i),
                             _mm_loadu_si128((const __m128i *)(const void *)(src + i)));
        _mm_storeu_si128((__m128i *)(void *)(dst + len - 16),
                         _mm_loadu_si128((const __m128i *)(const void *)(src + len - 16)));
        return;
    }
#endif
    memcpy(dst, src, len);
}

/* What one record's writer carries from field to field.  Fields come
 * mostly in text order, so each mapping starts from where the last one
 * ended: lookups walk on with one cursor, code points are counted on from
 * the last offset counted, and each section marker is mapped once (figures
 * repeat the markers of their section path). */
typedef struct writer {
    buf *b;
    const doc *d;
    const emit_table *table; /* may be NULL */
    text_map_cursor cur;
    text_map_cursor far; /* for the ends of section extents */
    /* The shared stretch of checkpoint st_k (see shared_bytes()): working
     * bytes [st_d, st_d + st_len) are original bytes from st_o on; st_len
     * 0 and st_k SIZE_MAX before the first walked lookup (or without
     * map.same). */
    size_t st_k, st_d, st_o, st_len;
    bool counted;        /* cp_ob, cp hold the last code point offset */
    size_t cp_ob, cp;
    size_t (*marks)[2];  /* original bytes of each section's marker */
    bool pathed;         /* the last section path written: of section */
    int path_sec;        /* path_sec, at path_at in the buffer */
    size_t path_at, path_len;
    /* Where the fields of constant strings (indicator ids, kind names:
     * the rules' own, never changed while a record is written) were last
     * written, with the keys around them: figures repeat a few of them.
     * Ids and stages by address (memo_of()), kinds by kind.  An id or
     * stage slot is read only once its bit in ids_used or stages_used is
     * set (then its s is NULL or a string written), so the slots need not
     * be cleared for each record. */
    uint64_t ids_used, stages_used;
    struct memo {
        const char *s;
        size_t at, len;
    } ids[64], kinds[KIND_COUNT_OF_KINDS], stages[8];
    /* The same for a unit followed by the common run of absent values, by
     * the unit's 24 bytes: slot k is set when bit k of units_set is. */
    unsigned units_set;
    struct unit_memo {
        uint64_t unit[3];
        size_t at, len;
    } units[8];
} writer;

/* The original byte offset of working offset w (doc_orig_byte()): the same
 * text_map_lookup_at() answer, walking on with cursor cur. */
static size_t orig_at(writer *wr, text_map_cursor *cur, size_t w)
{
    const doc *d = wr->d;
    size_t o;
    if (text_map_lookup_shared(&d->map, cur, d->work, d->work_len, w, &o))
        return o;
    return text_map_lookup_at(&d->map, cur, d->work, d->work_len, d->orig, d->orig_len, w);
}

/* The end of the original bytes behind working span w that starts at
 * original byte ob (as doc_orig_slice()): the last character is mapped and
 * stepped over in the original. */
static size_t orig_end(writer *wr, text_map_cursor *cur, wspan w, size_t ob)
{
    const doc *d = wr->d;
    size_t oe = ob;
    if (w.end > w.start) {
        size_t last;
        utf8_prev(d->work, w.end, &last);
        oe = orig_at(wr, cur, last);
        if (oe < d->orig_len)
            utf8_next(d->orig, d->orig_len, &oe);
        if (oe < ob)
            oe = ob;
    }
    return oe;
}

/* orig_bytes() by walking the map on with the cursor. */
static void orig_bytes_walk(writer *wr, wspan w, size_t *ob, size_t *oe)
{
    const doc *d = wr->d;
    *ob = orig_at(wr, &wr->cur, w.start);
    /* A span inside the stretch its start's checkpoint shares with the
     * original ends as many bytes further on there: its last character is
     * the same whole character at the same distance, and stepping over it
     * reaches w.end's counterpart (text_map_shared_to()). */
    if (w.end > w.start && wr->cur.dpos == w.start && wr->cur.opos == *ob &&
        text_map_shared_to(&d->map, &wr->cur, d->work, d->work_len, w.end)) {
        *oe = *ob + (w.end - w.start);
        return;
    }
    *oe = orig_end(wr, &wr->cur, w, *ob);
}

/* orig_bytes() of a span inside the writer's shared stretch: its start a
 * character start strictly inside, its end a character start (or the end
 * of the text) at most at the stretch's end.  Spans come in text order and
 * most fall in the stretch of the last one, so most are mapped here with a
 * few compares instead of a cursor lookup, a step over checkpoints and a
 * stretch test each.  The answers are those of the lookups: the stretch
 * holds the same whole characters in both texts from its checkpoint on
 * (text_map.same), and every checkpoint densify placed inside it lies on
 * the walk across it, at the same distance from its start in both texts;
 * none of the map's own checkpoints lies strictly inside (a stretch stops
 * at the next one), so the start, being strictly inside, maps as far past
 * st_o as it is past st_d, and the end, the last character stepped over,
 * as many bytes further (as in orig_bytes_walk()).  False, nothing set,
 * otherwise. */
static inline bool shared_bytes(const writer *wr, wspan w, size_t *ob, size_t *oe)
{
    const char *t = wr->d->work;
    size_t off = w.start - wr->st_d;  /* huge when w starts before the stretch */
    if (off >= wr->st_len || w.end < w.start || w.end - wr->st_d > wr->st_len ||
        ((unsigned char)t[w.start] & 0xC0) == 0x80 ||
        (w.end < wr->d->work_len && ((unsigned char)t[w.end] & 0xC0) == 0x80))
        return false;
    *ob = wr->st_o + off;
    *oe = *ob + (w.end - w.start);
    return true;
}

/* Make checkpoint k's shared stretch the writer's (m->same is set). */
static void set_stretch(writer *wr, size_t k)
{
    const text_map *m = &wr->d->map;
    wr->st_k = k;
    wr->st_d = m->derived[k];
    wr->st_o = m->orig[k];
    wr->st_len = m->same[k];
}

/* Move the writer's stretch on to the last checkpoint at or before
 * working offset w, when that is a few checkpoints ahead: spans ascend, so
 * this sweeps the map once per list of spans instead of looking each span
 * up.  False when it is not ahead or too far (a walked lookup finds it). */
static bool next_stretch(writer *wr, size_t w)
{
    enum { STEPS = 8 };
    const text_map *m = &wr->d->map;
    size_t k = wr->st_k;
    if (k >= m->n || w < m->derived[k])
        return false;
    size_t stop = m->n - k > STEPS ? k + STEPS : m->n - 1;
    while (k < stop && m->derived[k + 1] <= w)
        k++;
    if (k == wr->st_k || (k + 1 < m->n && m->derived[k + 1] <= w))
        return false;
    set_stretch(wr, k);
    return true;
}

/* Original bytes [*ob, *oe) behind working span w (as doc_orig_slice()):
 * from the shared stretch when w lies in it or in one a few checkpoints
 * on, else by a walked lookup, whose checkpoint's stretch becomes the
 * writer's. */
static inline void orig_bytes(writer *wr, wspan w, size_t *ob, size_t *oe)
{
    if (shared_bytes(wr, w, ob, oe) || (next_stretch(wr, w.start) && shared_bytes(wr, w, ob, oe)))
        return;
    orig_bytes_walk(wr, w, ob, oe);
    const text_map *m = &wr->d->map;
    if (wr->cur.set && m->same && wr->cur.cp < m->n)
        set_stretch(wr, wr->cur.cp);
}

#ifdef __SSE2__
/* Sixty-four ones then sixty-four zeros: the sixteen bytes from
 * HEAD64 + 64 - r + 16 * k mask the bytes of block k of a 64-byte window
 * that lie among its first r (0 <= r <= 64). */
static const unsigned char HEAD64[128] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

/* The continuation bytes among the bytes of the 64 at s that mask (from
 * HEAD64) keeps, subtracted from cont bytewise (a compare's mask is -1
 * each). */
ALWAYS_INLINE __m128i cont64(__m128i cont, const char *s, const unsigned char *mask)
{
    const __m128i below = _mm_set1_epi8(-64); /* 0x80..0xBF, signed */
    for (int k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * k));
        __m128i mine = _mm_loadu_si128((const __m128i *)(const void *)(mask + 16 * k));
        cont = _mm_sub_epi8(cont, _mm_and_si128(_mm_cmplt_epi8(x, below), mine));
    }
    return cont;
}
#endif

/* utf8_count() of the indexed text's bytes [from, to), fewer than
 * CP_INDEX_BLOCK, when the text goes on for the windows read (those n
 * bytes hold, and one more): whole 64-byte windows, then the rest (most counts: under
 * 64 bytes) as one window masked to it, with no branch on its length (a
 * loop over blocks of sixteen mispredicted its end most times); the
 * continuation bytes summed once by psadbw (at most four windows: no byte
 * of the sums overflows). */
static inline size_t count_near(const cp_index *ix, size_t from, size_t to)
{
    size_t n = to - from;
#ifdef __SSE2__
    if (ix->len - from >= (n | 63) + 1) {
        const char *s = ix->text + from;
        __m128i cont = _mm_setzero_si128();
        size_t i = 0;
        for (; n - i >= 64; i += 64)
            cont = cont64(cont, s + i, HEAD64);
        cont = cont64(cont, s + i, HEAD64 + 64 - (n - i));
        __m128i sums = _mm_sad_epu8(cont, _mm_setzero_si128());
        return n - ((size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4));
    }
#endif
    return utf8_count(ix->text + from, n);
}

/* cp_index_of(&d->cpix, ob): counted on from the start of ob's index
 * block, or from the last offset counted when that lies between them
 * (counts add up byte by byte), with count_near() in both cases (the
 * index's own count of the block's bytes cost three times as much). */
static inline size_t cp_of(writer *wr, size_t ob)
{
    const cp_index *ix = &wr->d->cpix;
    if (ob > ix->len)
        return cp_index_of(ix, ob);
    size_t k = ob / CP_INDEX_BLOCK, from = k * CP_INDEX_BLOCK, cp = ix->cps[k];
    if (wr->counted && ob >= wr->cp_ob && wr->cp_ob >= from) {
        from = wr->cp_ob;
        cp = wr->cp;
    }
    cp += count_near(ix, from, ob);
    wr->counted = true;
    wr->cp_ob = ob;
    wr->cp = cp;
    return cp;
}

static void put_orig(writer *wr, wspan w)
{
    size_t ob, oe;
    orig_bytes(wr, w, &ob, &oe);
    put_orig_str(wr->b, wr->d, ob, oe);
}

/* The bytes put_cps_span() writes, at p where there is room for 72 bytes,
 * when s and e fit an int; returns their end. */
static inline char *cps_span_at(char *p, size_t s, size_t e)
{
    memcpy(p, ",\"span\":{\"start\":", 17);
    p += 17;
    if (s - 100 < 900 && e - 100 < 900) {
        /* Both of three digits, as for most figures (their offsets in a
         * report-sized text): written here, without write_digits()'s
         * compares (mispredicted as the lengths change) or its call. */
        p = digits3_at(p, (unsigned)s);
        memcpy(p, ",\"end\":", 7);
        p = digits3_at(p + 7, (unsigned)e);
    } else {
        p += write_digits(p, s);
        memcpy(p, ",\"end\":", 7);
        p += 7;
        p += write_digits(p, e);
    }
    *p++ = '}';
    return p;
}

/* ",\"span\":" and the span object {"start":s,"end":e}. */
static void put_cps_span(buf *b, size_t s, size_t e)
{
    /* Both counts fit an int (as in any real text): the whole object
     * straight into the buffer, after its key. */
    if (s <= (size_t)INT_MAX && e <= (size_t)INT_MAX && !b->failed && b->len + 72 <= b->cap) {
        b->len = (size_t)(cps_span_at(b->data + b->len, s, e) - b->data);
        return;
    }
    put_bytes(b, ",\"span\":{\"start\":", 17);
    put_count(b, s);
    put_bytes(b, ",\"end\":", 7);
    put_count(b, e);
    put_c(b, '}');
}

static void put_span(writer *wr, wspan w)
{
    size_t ob, oe;
    orig_bytes(wr, w, &ob, &oe);
    size_t s = cp_of(wr, ob);
    put_cps_span(wr->b, s, cp_of(wr, oe));
}

/* put_str_n() of a span's original text that also counts its code points
 * as it copies it (what utf8_count(s, n) gives: the bytes that are not
 * continuation bytes): returns the count, or SIZE_MAX when the string was
 * written by the general path, uncounted.  The flags of each word are
 * summed bytewise (at most 250 words, so no byte overflows), then added
 * across once, as utf8_count() does. */
static inline size_t put_raw_counted(buf *b, const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101u;
    if (!b->failed && b->cap - b->len > n + 16 && n <= 2000) {
        char *o = b->data + b->len + 1;
        size_t i = 0;
        uint64_t acc = 0;
        for (; n - i >= 8; i += 8) {
            uint64_t x = load64(s + i);
            if (!word_plain(x))
                break;
            memcpy(o + i, &x, 8);
            acc += (x >> 7) & ~(x >> 6) & ones;
        }
        if (n - i < 8) {
            if (n >= 8) {
                /* The last eight bytes, overlapping those checked; only
                 * the top n - i (little-endian: the bytes not yet seen)
                 * are counted. */
                uint64_t x = load64(s + n - 8);
                memcpy(o + n - 8, &x, 8);
                if (word_plain(x)) {
                    if (i < n) {
                        uint64_t t = x >> (8 * (8 - (n - i)));
                        acc += (t >> 7) & ~(t >> 6) & ones;
                    }
                    i = n;
                }
            } else {
                while (i < n && !JSON_ESC[(unsigned char)s[i]]) {
                    o[i] = s[i];
                    acc += ((unsigned char)s[i] & 0xC0) == 0x80;
                    i++;
                }
            }
            if (i == n) {
                o[-1] = '"';
                o[n] = '"';
                b->len += n + 2;
                uint64_t pairs = (acc & 0x00FF00FF00FF00FFu) + ((acc >> 8) & 0x00FF00FF00FF00FFu);
                return n - (size_t)((pairs * 0x0001000100010001u) >> 48);
            }
        }
    }
    put_str_escaped(b, s, n);
    return SIZE_MAX;
}

/* ----- a figure written at a cursor ----- */

/* The usual figure is written at a cursor p into the record's buffer: a
 * stretch of fields makes room for itself once (room_at()), then its
 * writers store at p and return where they stopped, with no check of the
 * room and no load and store of the buffer's length for each field (the
 * put_*() writers above do both each time).  Rare fields go through those
 * writers: the cursor is handed to the buffer (to_buf()) and taken back
 * (from_buf()). */

/* The buffer's length set to the cursor's, for the put_*() writers. */
ALWAYS_INLINE void to_buf(buf *b, char *p)
{
    b->len = (size_t)(p - b->data);
}

/* The cursor at the buffer's length, after the put_*() writers. */
ALWAYS_INLINE char *from_buf(const buf *b)
{
    return b->data + b->len;
}

/* room_at() when the buffer lacks the room: grown (so moved), the cursor's
 * offset kept. */
static char *room_grow(buf *b, char *p, size_t n)
{
    to_buf(b, p);
    return buf_reserve(b, n) ? from_buf(b) : NULL;
}

/* The cursor p when the buffer has room for n bytes from p and a NUL, else
 * its place in the grown buffer; NULL when memory ran out.  (Once the
 * buffer has failed its data and cap stay as they were, so writing within
 * the room is still safe; the record is dropped.) */
ALWAYS_INLINE char *room_at(buf *b, char *p, size_t n)
{
    if (b->cap - (size_t)(p - b->data) > n)
        return p;
    return room_grow(b, p, n);
}

/* The room copy_at() needs past what it copies. */
enum { COPY_SLACK = 64 };

/* copy_back() at p, where there is room for len + COPY_SLACK bytes: the
 * usual memo of at most 64 bytes as four blocks whatever its length (a
 * loop whose count changes from memo to memo was mispredicted), the blocks
 * loaded before they are stored (the bytes past the memo that they read
 * may be the first of p's); returns the end. */
ALWAYS_INLINE char *copy_at(char *p, const char *src, size_t len)
{
#ifdef __SSE2__
    if (len <= 64) {
        __m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)src),
                x1 = _mm_loadu_si128((const __m128i *)(const void *)(src + 16)),
                x2 = _mm_loadu_si128((const __m128i *)(const void *)(src + 32)),
                x3 = _mm_loadu_si128((const __m128i *)(const void *)(src + 48));
        _mm_storeu_si128((__m128i *)(void *)p, x0);
        _mm_storeu_si128((__m128i *)(void *)(p + 16), x1);
        _mm_storeu_si128((__m128i *)(void *)(p + 32), x2);
        _mm_storeu_si128((__m128i *)(void *)(p + 48), x3);
        return p + len;
    }
#endif
    copy_back(p, src, len);
    return p + len;
}

/* The JSON string of s[0..n) at p, where there is room for 6n + 18 bytes
 * (see plain_str_at() and escaped_at()); returns the end. */
ALWAYS_INLINE char *str_at(char *p, const char *s, size_t n)
{
    char *e = plain_str_at(p, s, n);
    return e ? e : escaped_at(p, s, n);
}

/* The longest memo memo_at() copies: the room it needs is bounded. */
enum { MEMO_MAX = 128, MEMO_ROOM = MEMO_MAX + COPY_SLACK };

/* pre, the JSON string s (not NULL) and post at the cursor, where there is
 * room for MEMO_ROOM bytes and `after` more, s staying the same while the
 * record is written: the bytes written for the same s in memo m before,
 * copied from the buffer (which only grows while a record is written: they
 * are still there), else written and remembered in m; NULL when memory ran
 * out.  Only the writing of a new memo checks the room (and keeps `after`
 * beyond it). */
ALWAYS_INLINE char *memo_at(buf *b, char *p, struct memo *m, const char *s, const char *pre,
                            size_t npre, const char *post, size_t npost, size_t after)
{
    if (m->s == s && m->len <= MEMO_MAX)
        return copy_at(p, b->data + m->at, m->len);
    size_t n = strlen(s);
    p = room_at(b, p, npre + 6 * n + 18 + npost + after);
    if (!p)
        return NULL;
    char *at = p;
    memcpy(p, pre, npre);
    p = str_at(p + npre, s, n);
    memcpy(p, post, npost);
    p += npost;
    m->s = s;
    m->at = (size_t)(at - b->data);
    m->len = (size_t)(p - at);
    return p;
}

/* memo_at() with constant pre and post. */
#define MEMO_AT(b, p, m, s, pre, post, after) \
    memo_at((b), (p), (m), (s), "" pre, sizeof(pre) - 1, "" post, sizeof(post) - 1, (after))

/* The n bytes of s at p, where there is room for them; returns the end.
 * Sixteen or more (the constant runs of null fields) go as blocks of
 * sixteen, the last one overlapping: GCC copies some such constants with
 * rep movsb otherwise, slow for so few bytes. */
ALWAYS_INLINE char *const_at(char *p, const char *s, size_t n)
{
#ifdef __SSE2__
    if (n >= 16) {
        for (size_t i = 0; i + 16 < n; i += 16)
            _mm_storeu_si128((__m128i *)(void *)(p + i),
                             _mm_loadu_si128((const __m128i *)(const void *)(s + i)));
        _mm_storeu_si128((__m128i *)(void *)(p + n - 16),
                         _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16)));
        return p + n;
    }
#endif
    memcpy(p, s, n);
    return p + n;
}

/* A constant at p, where there is room for it; returns the end. */
#define KEY_AT(p, key) const_at((p), "" key, sizeof(key) - 1)

/* A number, or null when there is none (!has) or it is not finite, at p,
 * where there is room for 32 bytes; returns the end.  A fraction is written
 * by put_fraction(). */
ALWAYS_INLINE char *num_at(buf *b, char *p, bool has, double v)
{
    if (!has || !isfinite(v))
        return KEY_AT(p, "null");
    int vi = v >= INT_MAX ? INT_MAX : v <= (double)INT_MIN ? INT_MIN : (int)v;
    if (v == (double)vi)
        return int_at(p, vi);
    to_buf(b, p);
    put_fraction(b, v);
    return from_buf(b);
}

/* ----- the extractor's constant text ----- */

/* One text of the table: where it starts in text and its length. */
typedef struct table_text {
    size_t at, len;
} table_text;

struct emit_table {
    /* The indicators' ids by address (the rules' own strings, which
     * figures borrow): an open-addressing table of mask + 1 slots, id NULL
     * when empty, and "{\"id\":<id>,\"name\":" of each.  Slots come from
     * the top bits of a multiplicative hash shifted by id_shift, chosen
     * when the table is made so that (mostly) each id has a slot of its
     * own: ids_direct says every id lies in its first slot, and a lookup
     * then compares that slot only (see table_id()). */
    size_t mask;
    unsigned id_shift;
    bool ids_direct;
    const char **ids;
    table_text *id_json;
    /* ",\"kind\":<name>,\"value\":" of each kind. */
    table_text kind_json[KIND_COUNT_OF_KINDS];
    /* The units' fields with the common run of absent values after them
     * (",\"unit\":<unit>,\"ratio\":null ... ,\"raw\":") by the unit's
     * bytes as a figure holds them (the normalized unit, zero-padded; none
     * for no unit): an open-addressing table of unit_mask + 1 slots, len 0
     * when empty; unit_shift and units_direct as for the ids. */
    size_t unit_mask;
    unsigned unit_shift;
    bool units_direct;
    struct unit_json {
        uint64_t unit[3];
        table_text json;
    } *units;
    /* The texts, followed by COPY_SLACK bytes: copy_at() reads whole
     * blocks past a text's end. */
    char *text;
};

/* The first slot to probe for hash input key in a table of mask + 1
 * slots, under shift. */
static inline size_t home_slot(uint64_t key, unsigned shift, size_t mask)
{
    return (size_t)((key * 0x9E3779B97F4A7C15u) >> shift) & mask;
}

/* A shift under which the n hash inputs keys, those that differ, have
 * first slots that differ too, in a table of mask + 1 slots (a power of
 * two); the usual 40 when no shift gives that.  The shifts that keep the
 * product's top bits are tried first.  slots, used: room for mask + 1.
 * (Whether the table then holds each entry in its first slot is checked
 * once it is filled: entries with equal inputs still collide.) */
static unsigned spread_shift(const uint64_t *keys, size_t n, size_t mask, uint64_t *slots,
                             bool *used)
{
    unsigned bits = 0;
    while (bits < 63 && ((size_t)1 << bits) <= mask)
        bits++;
    for (unsigned shift = 64 - bits; shift > 0; shift--) {
        memset(used, 0, (mask + 1) * sizeof *used);
        size_t i = 0;
        for (; i < n; i++) {
            size_t h = home_slot(keys[i], shift, mask);
            if (used[h] && slots[h] != keys[i])
                break;
            used[h] = true;
            slots[h] = keys[i];
        }
        if (i == n)
            return shift;
    }
    return 40;
}

/* Slots for n keys, at least 16 n: sparse enough that spread_shift() most
 * likely finds a shift that gives each its own slot (under one shift the
 * n (n - 1) / 2 pairs share a slot with odds of one in 16 n each, so
 * about n / 32 pairs collide: for the 59 ids, no pair with odds of one in
 * six, and spread_shift() tries some fifty shifts). */
static size_t sparse_slots(size_t n)
{
    size_t slots = 16;
    while (slots < 16 * n)
        slots *= 2;
    return slots;
}

static size_t table_slot(const emit_table *t, const char *id)
{
    return home_slot((uint64_t)(uintptr_t)id, t->id_shift, t->mask);
}

static uint64_t unit_key(const uint64_t u[3])
{
    return u[0] ^ u[1] ^ u[2];
}

/* The slot of unit bytes u: its entry, or the empty slot it would take
 * (the table being made: probing on). */
static struct unit_json *table_unit_slot(const emit_table *t, const uint64_t u[3])
{
    size_t h = home_slot(unit_key(u), t->unit_shift, t->unit_mask);
    while (t->units[h].json.len &&
           (t->units[h].unit[0] != u[0] || t->units[h].unit[1] != u[1] ||
            t->units[h].unit[2] != u[2]))
        h = (h + 1) & t->unit_mask;
    return &t->units[h];
}

/* The entry of unit bytes u, or NULL when the table has none.  With
 * units_direct every entry lies in its first slot: an entry for u is
 * there or nowhere, so that slot alone is compared (the probe loop ended
 * at a number of steps that changed from unit to unit, and was often
 * mispredicted). */
static inline const struct unit_json *table_unit(const emit_table *t, const uint64_t u[3])
{
    const struct unit_json *e;
    if (t->units_direct)
        e = &t->units[home_slot(unit_key(u), t->unit_shift, t->unit_mask)];
    else
        e = table_unit_slot(t, u);
    return e->json.len && e->unit[0] == u[0] && e->unit[1] == u[1] && e->unit[2] == u[2] ? e
                                                                                        : NULL;
}

/* The text pre, the JSON string s and post appended to b, as a record
 * writes them (put_str()), and where they lie in b. */
static table_text table_add(buf *b, const char *pre, const char *s, const char *post)
{
    table_text x = {b->len, 0};
    buf_puts(b, pre);
    put_str(b, s);
    buf_puts(b, post);
    x.len = b->len - x.at;
    return x;
}

emit_table *emit_table_new(const rules *r)
{
    emit_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    buf text = BUF_INIT;
    /* The hash inputs of the ids and of the units (see below), for
     * spread_shift(), with its scratch table. */
    size_t nkeys = r->nindicators > r->units.n + 1 ? r->nindicators : r->units.n + 1;
    size_t scratch = sparse_slots(nkeys);
    uint64_t *keys = calloc(nkeys, sizeof *keys), *kslots = malloc(scratch * sizeof *kslots);
    bool *kused = malloc(scratch * sizeof *kused);
    if (!keys || !kslots || !kused)
        goto fail_keys;
    size_t slots = sparse_slots(r->nindicators);
    for (size_t i = 0; i < r->nindicators; i++)
        keys[i] = (uint64_t)(uintptr_t)r->indicators[i].id;
    t->mask = slots - 1;
    t->id_shift = spread_shift(keys, r->nindicators, t->mask, kslots, kused);
    t->ids = calloc(slots, sizeof *t->ids);
    t->id_json = calloc(slots, sizeof *t->id_json);
    if (!t->ids || !t->id_json)
        goto fail_keys;
    t->ids_direct = true;
    for (size_t i = 0; i < r->nindicators; i++) {
        const char *id = r->indicators[i].id;
        size_t h = table_slot(t, id);
        while (t->ids[h] && t->ids[h] != id) {
            h = (h + 1) & t->mask;
            t->ids_direct = false;
        }
        t->ids[h] = id;
        t->id_json[h] = table_add(&text, "{\"id\":", id, ",\"name\":");
    }
    for (int k = 0; k < KIND_COUNT_OF_KINDS; k++)
        t->kind_json[k] = table_add(&text, ",\"kind\":", rules_kind_name((fig_kind)k), ",\"value\":");
    /* Every normalized unit that fits a figure, and no unit at all: their
     * bytes as a figure holds them. */
    size_t nunits = 0;
    uint64_t (*unit_bytes)[3] = calloc(r->units.n + 1, sizeof *unit_bytes);
    if (!unit_bytes)
        goto fail_keys;
    for (size_t i = 0; i <= r->units.n; i++) {
        const char *norm = i < r->units.n ? r->units.units[i].norm : "";
        size_t n = strlen(norm);
        if (n >= sizeof unit_bytes[0])
            continue;
        memcpy(unit_bytes[nunits], norm, n);
        keys[nunits] = unit_key(unit_bytes[nunits]);
        nunits++;
    }
    size_t uslots = sparse_slots(nunits);
    t->unit_mask = uslots - 1;
    t->unit_shift = spread_shift(keys, nunits, t->unit_mask, kslots, kused);
    t->units = calloc(uslots, sizeof *t->units);
    if (!t->units) {
        free(unit_bytes);
        goto fail_keys;
    }
    for (size_t i = 0; i < nunits; i++) {
        const uint64_t *u = unit_bytes[i];
        struct unit_json *e = table_unit_slot(t, u);
        if (e->json.len)
            continue;
        memcpy(e->unit, u, sizeof e->unit);
        const char *norm = (const char *)(const void *)e->unit;
        e->json = table_add(&text, ",\"unit\":", norm[0] ? norm : NULL,
                            ",\"ratio\":null,\"qualifier\":null,\"redacted\":false,\"change\":false"
                            ",\"raw\":");
    }
    free(unit_bytes);
    /* Direct when every unit lies in its first slot. */
    t->units_direct = true;
    for (size_t h = 0; h < uslots; h++)
        if (t->units[h].json.len &&
            home_slot(unit_key(t->units[h].unit), t->unit_shift, t->unit_mask) != h)
            t->units_direct = false;
    free(keys);
    free(kslots);
    free(kused);
    if (!buf_reserve(&text, COPY_SLACK))
        goto fail;
    memset(text.data + text.len, 0, COPY_SLACK);
    t->text = buf_take(&text);
    if (!t->text)
        goto fail;
    return t;
fail_keys:
    free(keys);
    free(kslots);
    free(kused);
fail:
    buf_free(&text);
    emit_table_free(t);
    return NULL;
}

void emit_table_free(emit_table *t)
{
    if (!t)
        return;
    free(t->ids);
    free(t->id_json);
    free(t->units);
    free(t->text);
    free(t);
}

/* The table's text for indicator id, or NULL when it has none (a generic
 * id such as "other_rate", or no table). */
static inline const table_text *table_id(const emit_table *t, const char *id)
{
    if (!t)
        return NULL;
    /* With ids_direct an id of the table lies in its first slot: the
     * probe loop, which would stop there, is left out (it ended at a
     * number of steps that changed from id to id, often mispredicted).
     * Either way the loop stops at id's slot or an empty one, so the
     * comparison tells the answer. */
    size_t h = table_slot(t, id);
    if (!t->ids_direct)
        while (t->ids[h] && t->ids[h] != id)
            h = (h + 1) & t->mask;
    return t->ids[h] == id ? &t->id_json[h] : NULL;
}

/* The room orig_span_at() makes past the text's bytes: its quotes, the
 * blocks orig_plain_at() stores beyond them, and the span with its key. */
enum { ORIG_SPAN_ROOM = 2 + ORIG_PLAIN_SLACK + 72 };

/* The original text of w, ",\"span\":" and its span at p, mapping w once;
 * NULL when memory ran out.  The end's code point is the start's plus those
 * of the text, counted as it is copied (cp_of() would count the same bytes
 * again). */
static char *orig_span_at(writer *wr, char *p, wspan w)
{
    size_t ob, oe;
    orig_bytes(wr, w, &ob, &oe);
    size_t s = cp_of(wr, ob);
    buf *b = wr->b;
    p = room_at(b, p, (oe >= ob ? oe - ob : 0) + ORIG_SPAN_ROOM);
    if (!p)
        return NULL;
    /* The usual case, the text, its span and their keys at once (the same
     * bytes as below): the counts fit an int and cp_of() counted up to
     * ob (it does unless ob is past the text).  The tests or'ed: one
     * branch. */
    if ((oe >= ob) & (s < (size_t)INT_MAX) & (oe - ob < (size_t)INT_MAX - s) &
        (wr->cp_ob == ob) & wr->counted) {
        size_t k;
        if (orig_plain_at(p, wr->d, ob, oe, &k)) {
            wr->cp_ob = oe;
            wr->cp = s + k;
            return cps_span_at(p + (oe - ob) + 2, s, s + k);
        }
    }
    to_buf(b, p);
    size_t k;
    if (!put_orig_plain(b, wr->d, ob, oe, &k))
        k = put_raw_counted(b, wr->d->orig + ob, oe - ob);
    size_t e;
    if (k != SIZE_MAX && wr->counted && wr->cp_ob == ob) {
        e = s + k;
        wr->cp_ob = oe;
        wr->cp = e;
    } else {
        e = cp_of(wr, oe);
    }
    put_cps_span(b, s, e);
    return from_buf(b);
}

/* The JSON string of original bytes [ob, oe) at p, where there is room
 * for ORIG_STR_ROOM(oe - ob) bytes; returns the end. */
#define ORIG_STR_ROOM(n) (6 * (n) + 18 + ORIG_PLAIN_SLACK)
ALWAYS_INLINE char *orig_str_at(const doc *d, char *p, size_t ob, size_t oe)
{
    if (orig_plain_at(p, d, ob, oe, NULL))
        return p + (oe - ob) + 2;
    return str_at(p, d->orig + ob, oe - ob);
}

/* "{...,"children":[" of a section at the cursor, its children and "]}"
 * to follow; NULL when memory ran out. */
static char *section_open_at(writer *wr, char *p, const report *r, size_t i)
{
    buf *b = wr->b;
    const section *s = &r->sections[i];
    size_t ob, oe;
    orig_bytes(wr, s->marker, &ob, &oe);
    if (wr->marks) {
        wr->marks[i][0] = ob;
        wr->marks[i][1] = oe;
    }
    p = room_at(b, p, ORIG_STR_ROOM(oe - ob) + 64);
    if (!p)
        return NULL;
    p = KEY_AT(p, "{\"marker\":");
    p = orig_str_at(wr->d, p, ob, oe);
    p = KEY_AT(p, ",\"level\":");
    p = num_at(b, p, true, s->level);
    size_t tb, te;
    orig_bytes(wr, s->title, &tb, &te);
    p = room_at(b, p, ORIG_STR_ROOM(te - tb) + 128);
    if (!p)
        return NULL;
    p = KEY_AT(p, ",\"title\":");
    p = orig_str_at(wr->d, p, tb, te);
    /* The extent starts where the marker does (the same lookup) and ends
     * far ahead, where the next extents mostly end too: its own cursor. */
    size_t eb = s->extent.start == s->marker.start ? ob : orig_at(wr, &wr->cur, s->extent.start);
    size_t ee = orig_end(wr, &wr->far, s->extent, eb);
    size_t cs = cp_of(wr, eb), ce = cp_of(wr, ee);
    if (cs <= (size_t)INT_MAX && ce <= (size_t)INT_MAX) {
        p = cps_span_at(p, cs, ce);
    } else {
        to_buf(b, p);
        put_cps_span(b, cs, ce);
        p = room_at(b, from_buf(b), 16);
        if (!p)
            return NULL;
    }
    return KEY_AT(p, ",\"children\":[");
}

/* section_open_at() at the buffer's length. */
static void put_section_open(writer *wr, const report *r, size_t i)
{
    char *p = section_open_at(wr, from_buf(wr->b), r, i);
    if (p)
        to_buf(wr->b, p);
}

/* The section tree: a section whose parent comes before it is that
 * parent's child, in index order (as emit_record() attaches them).  lists
 * holds SECTION_LISTS * r->nsections words (NULL when memory ran out). */
enum { SECTION_LISTS = 5 };
static bool put_sections(writer *wr, const report *r, size_t *lists)
{
    buf *b = wr->b;
    size_t n = r->nsections;
    put_c(b, '[');
    if (!n) {
        put_c(b, ']');
        return true;
    }
    size_t *first = lists, *last = lists + n, *next = lists + 2 * n, *stack = lists + 3 * n;
    size_t *cur = lists + 4 * n;
    bool ok = lists != NULL;
    if (ok) {
        const size_t NONE = (size_t)-1;
        for (size_t i = 0; i < n; i++)
            first[i] = last[i] = next[i] = NONE;
        for (size_t i = 0; i < n; i++) {
            int p = r->sections[i].parent;
            if (p >= 0 && (size_t)p < i) {
                if (first[p] == NONE)
                    first[p] = i;
                else
                    next[last[p]] = i;
                last[p] = i;
            }
        }
        bool first_root = true;
        for (size_t i = 0; i < n; i++) {
            int p = r->sections[i].parent;
            if (p >= 0 && (size_t)p < i)
                continue;
            if (!first_root)
                put_c(b, ',');
            first_root = false;
            size_t top = 0;
            stack[0] = i;
            cur[i] = first[i];
            put_section_open(wr, r, i);
            for (;;) {
                size_t s = stack[top], c = cur[s];
                if (c == NONE) {
                    put_bytes(b, "]}", 2);
                    if (!top)
                        break;
                    top--;
                    continue;
                }
                if (c != first[s])
                    put_c(b, ',');
                cur[s] = next[c];
                stack[++top] = c;
                cur[c] = first[c];
                put_section_open(wr, r, c);
            }
        }
    }
    put_c(b, ']');
    return ok;
}

/* The markers of section sec and its ancestors, outermost first (mapped
 * when the sections were written, when there was memory to keep them). */
static void put_section_path_text(writer *wr, const report *r, int sec)
{
    buf *b = wr->b;
    int chain[DOC_MAX_DEPTH + 1];
    int n = 0;
    for (int i = sec; i >= 0 && n <= DOC_MAX_DEPTH; i = r->sections[i].parent)
        chain[n++] = i;
    put_c(b, '[');
    for (bool first = true; n > 0; first = false) {
        if (!first)
            put_c(b, ',');
        int k = chain[--n];
        if (wr->marks)
            put_orig_str(b, wr->d, wr->marks[k][0], wr->marks[k][1]);
        else
            put_orig(wr, r->sections[k].marker);
    }
    put_c(b, ']');
}

/* ",\"section\":" and the markers of section sec and its ancestors. */
static void put_section_path(writer *wr, const report *r, int sec)
{
    buf *b = wr->b;
    /* Remembered: figures of one section come in a row, and put_figure()
     * copies the same text again from where it was written. */
    size_t at = b->len;
    put_key(b, ",\"section\":");
    put_section_path_text(wr, r, sec);
    wr->pathed = !b->failed;
    wr->path_sec = sec;
    wr->path_at = at;
    wr->path_len = b->len - at;
}

/* The memo slot of string s among slots[0..mask] (mask + 1 a power of two
 * up to 64), cleared when first used in the record (bit k of *used says
 * slot k was).  Strings from the heap or the data segment lie at least
 * eight bytes apart: neighbours take different slots. */
ALWAYS_INLINE struct memo *memo_of(struct memo *slots, uint64_t *used, unsigned mask,
                                   const char *s)
{
    unsigned k = ((uintptr_t)s >> 3 ^ (uintptr_t)s >> 9) & mask;
    if (!(*used >> k & 1)) {
        *used |= (uint64_t)1 << k;
        slots[k].s = NULL;
    }
    return &slots[k];
}

/* The room figure_marked_at() needs: the unit (at most 23 bytes), two
 * numbers and the keys. */
enum { MARKED_ROOM = 384 };

/* A figure's fields from ",\"unit\":" to ",\"raw\":" at p, where there is
 * room for MARKED_ROOM bytes, when it has a ratio, qualifier, redaction or
 * change (one figure in five); returns the end.  Out of line, as
 * figure_more_at(), to keep put_figure() small enough that GCC inlines
 * its small writers. */
__attribute__((noinline)) static char *figure_marked_at(buf *b, char *p, const figure *f)
{
    p = KEY_AT(p, ",\"unit\":");
    p = f->unit[0] ? str_at(p, f->unit, strlen(f->unit)) : KEY_AT(p, "null");
    p = KEY_AT(p, ",\"ratio\":");
    if (f->is_ratio) {
        p = KEY_AT(p, "{\"left\":");
        p = num_at(b, p, true, f->left);
        p = KEY_AT(p, ",\"right\":");
        p = num_at(b, p, true, f->right);
        *p++ = '}';
    } else {
        p = KEY_AT(p, "null");
    }
    /* QUALIFIERS[f->qual] as put_str() writes it, with its key. */
    static const struct {
        const char *text;
        size_t len;
    } QUALIFIER_JSON[] = {
#define QUALIFIER_KEY(json) {",\"qualifier\":" json, sizeof(",\"qualifier\":" json) - 1}
        QUALIFIER_KEY("null"), QUALIFIER_KEY("\"approx\""), QUALIFIER_KEY("\"over\""),
        QUALIFIER_KEY("\"under\""),
#undef QUALIFIER_KEY
    };
    _Static_assert(sizeof QUALIFIER_JSON / sizeof QUALIFIER_JSON[0] ==
                       sizeof QUALIFIERS / sizeof QUALIFIERS[0], "one text per qualifier");
    p = const_at(p, QUALIFIER_JSON[f->qual].text, QUALIFIER_JSON[f->qual].len);
    p = f->redacted ? KEY_AT(p, ",\"redacted\":true") : KEY_AT(p, ",\"redacted\":false");
    p = f->change ? KEY_AT(p, ",\"change\":true") : KEY_AT(p, ",\"change\":false");
    return KEY_AT(p, ",\"raw\":");
}

/* The room figure_more_at() needs besides the stage's memo and the
 * standard's text and span: the year, the standard's value and unit (at
 * most 23 bytes) and the keys; and after the standard's span. */
enum { MORE_ROOM = 448, CLAIM_ROOM = 96 };

/* A figure's fields from ",\"stage\":" to its end at p when one of them is
 * not null (one figure in four); returns the end, NULL when memory ran
 * out.  Out of line, as figure_marked_at(). */
__attribute__((noinline)) static char *figure_more_at(writer *wr, char *p, const figure *f)
{
    buf *b = wr->b;
    p = room_at(b, p, MEMO_ROOM + MORE_ROOM);
    if (!p)
        return NULL;
    bool unclaimed = f->claimed != CLAIM_MET && f->claimed != CLAIM_NOT_MET && f->meets < 0;
    if (!f->stage && f->year <= 0 && !f->std.present) {
        if (unclaimed)
            return KEY_AT(p, ",\"stage\":null,\"year\":null,\"standard\":null"
                             ",\"claimed\":null,\"meets_standard\":null}");
        p = KEY_AT(p, ",\"stage\":null,\"year\":null,\"standard\":null");
        goto claimed;
    }
    if (f->stage)
        p = MEMO_AT(b, p, memo_of(wr->stages, &wr->stages_used, 7, f->stage), f->stage,
                    ",\"stage\":", ",\"year\":", MORE_ROOM);
    else
        p = KEY_AT(p, ",\"stage\":null,\"year\":");
    if (!p)
        return NULL;
    p = num_at(b, p, f->year > 0, f->year);
    p = KEY_AT(p, ",\"standard\":");
    if (f->std.present) {
        p = KEY_AT(p, "{\"value\":");
        p = num_at(b, p, f->std.has_value, f->std.value);
        p = KEY_AT(p, ",\"unit\":");
        p = f->std.unit[0] ? str_at(p, f->std.unit, strlen(f->std.unit)) : KEY_AT(p, "null");
        p = KEY_AT(p, ",\"raw\":");
        p = orig_span_at(wr, p, f->std.span);
        if (p)
            p = room_at(b, p, CLAIM_ROOM);
        if (!p)
            return NULL;
        *p++ = '}';
    } else {
        p = KEY_AT(p, "null");
    }
claimed:
    if (unclaimed)
        return KEY_AT(p, ",\"claimed\":null,\"meets_standard\":null}");
    if (f->claimed == CLAIM_MET)
        p = KEY_AT(p, ",\"claimed\":\"met\"");
    else if (f->claimed == CLAIM_NOT_MET)
        p = KEY_AT(p, ",\"claimed\":\"not_met\"");
    else
        p = KEY_AT(p, ",\"claimed\":null");
    if (f->meets < 0)
        return KEY_AT(p, ",\"meets_standard\":null}");
    return f->meets ? KEY_AT(p, ",\"meets_standard\":true}")
                    : KEY_AT(p, ",\"meets_standard\":false}");
}

/* The unit memo slot of a unit's bytes. */
static inline unsigned unit_slot(const uint64_t u[3])
{
    return (u[0] ^ u[0] >> 17 ^ u[0] >> 31) & 7;
}

/* A figure has a ratio, qualifier, redaction or change (one in five):
 * the fields figure_marked_at() writes.  The tests are or'ed, not
 * chained: one branch, on the answer, instead of one on each field. */
static inline bool figure_marked(const figure *f)
{
    return (f->is_ratio | (QUALIFIERS[f->qual] != NULL) | f->redacted | f->change) != 0;
}

/* The room for the unit's field and the common run of absent values
 * after it (a unit is at most 23 bytes). */
enum { UNIT_ROOM = 256 };
/* The room for the run of null fields that ends the usual figure. */
enum { TAIL_ROOM = 96 };

/* The unit's fields and the common run of absent values after them at
 * p, where there is room for UNIT_ROOM bytes, for a unit u (the figure's
 * unit bytes) the extractor's table lacks: as written for the same unit
 * bytes before in this record, else written and remembered (see
 * memo_at()); returns the end. */
static char *unit_memo_at(writer *wr, char *p, const figure *f, const uint64_t u[3])
{
    buf *b = wr->b;
    unsigned k = unit_slot(u);
    struct unit_memo *m = &wr->units[k];
    if ((wr->units_set >> k & 1) && m->unit[0] == u[0] && m->unit[1] == u[1] &&
        m->unit[2] == u[2] && m->len <= UNIT_ROOM - COPY_SLACK)
        return copy_at(p, b->data + m->at, m->len);
    char *at = p;
    p = KEY_AT(p, ",\"unit\":");
    p = f->unit[0] ? str_at(p, f->unit, strlen(f->unit)) : KEY_AT(p, "null");
    p = KEY_AT(p, ",\"ratio\":null,\"qualifier\":null,\"redacted\":false,\"change\":false"
                  ",\"raw\":");
    wr->units_set |= 1u << k;
    memcpy(m->unit, u, 3 * sizeof *u);
    m->at = (size_t)(at - b->data);
    m->len = (size_t)(p - at);
    return p;
}

/* A figure, after a comma when it is not the first, at the cursor (see
 * room_at()). */
static void put_figure(writer *wr, const report *r, const figure *f, bool comma)
{
    buf *b = wr->b;
    const char *id = f->id ? f->id : "other";
    const char *name = f->name ? f->name : "";
    size_t nname = strlen(name);
    /* Room for the fields up to the text at once: the id's memo, then the
     * name, the kind's memo, the value and the unit's fields. */
    size_t after_id = 6 * nname + 18 + MEMO_ROOM + 32 + UNIT_ROOM;
    char *p = room_at(b, from_buf(b), 1 + MEMO_ROOM + after_id);
    if (!p)
        return;
    /* (Stored either way, kept when asked: no branch on it.) */
    *p = ',';
    p += comma;
    /* The id's and the kind's text from the extractor's table (the
     * catalogue's ids, every kind): the bytes the memos would write. */
    const table_text *tx = table_id(wr->table, id);
    if (tx && tx->len <= MEMO_MAX) {
        p = copy_at(p, wr->table->text + tx->at, tx->len);
    } else {
        p = MEMO_AT(b, p, memo_of(wr->ids, &wr->ids_used, 63, id), id, "{\"id\":",
                    ",\"name\":", after_id);
        if (!p)
            return;
    }
    p = str_at(p, name, nname);
    if ((unsigned)f->kind < KIND_COUNT_OF_KINDS && wr->table &&
        wr->table->kind_json[f->kind].len <= MEMO_MAX) {
        const table_text *kx = &wr->table->kind_json[f->kind];
        p = copy_at(p, wr->table->text + kx->at, kx->len);
    } else if ((unsigned)f->kind < KIND_COUNT_OF_KINDS) {
        /* A kind's memo, once set, holds its name: no call to ask again. */
        struct memo *km = &wr->kinds[f->kind];
        p = MEMO_AT(b, p, km, km->s ? km->s : rules_kind_name(f->kind), ",\"kind\":",
                    ",\"value\":", 32 + UNIT_ROOM);
        if (!p)
            return;
    } else {
        to_buf(b, p);
        put_key(b, ",\"kind\":");
        put_str(b, rules_kind_name(f->kind));
        put_key(b, ",\"value\":");
        p = room_at(b, from_buf(b), 32 + UNIT_ROOM);
        if (!p)
            return;
    }
    p = num_at(b, p, f->has_value && !f->redacted, f->value);
    if (!figure_marked(f)) {
        /* The unit and the common run of absent values after it: from
         * the extractor's table for the rules' units, else from the
         * record's memo (unit_memo_at()). */
        _Static_assert(sizeof f->unit == sizeof wr->units[0].unit, "unit memo key");
        uint64_t u[3];
        memcpy(u, f->unit, sizeof u);
        const struct unit_json *ue = wr->table ? table_unit(wr->table, u) : NULL;
        if (ue && ue->json.len && ue->json.len <= UNIT_ROOM - COPY_SLACK)
            p = copy_at(p, wr->table->text + ue->json.at, ue->json.len);
        else
            p = unit_memo_at(wr, p, f, u);
    } else {
        p = room_at(b, p, MARKED_ROOM);
        if (!p)
            return;
        p = figure_marked_at(b, p, f);
    }
    p = orig_span_at(wr, p, f->span);
    if (!p)
        return;
    /* The section path as written for the last figure (figures of one
     * section come in a row), else by put_section_path(), which
     * remembers it. */
    if (wr->pathed && wr->path_sec == f->section) {
        p = room_at(b, p, wr->path_len + COPY_SLACK + TAIL_ROOM);
        if (!p)
            return;
        p = copy_at(p, b->data + wr->path_at, wr->path_len);
    } else {
        to_buf(b, p);
        put_section_path(wr, r, f->section);
        p = room_at(b, from_buf(b), TAIL_ROOM);
        if (!p)
            return;
    }
    if (!f->stage && f->year <= 0 && !f->std.present && f->claimed != CLAIM_MET &&
        f->claimed != CLAIM_NOT_MET && f->meets < 0) {
        to_buf(b, KEY_AT(p, ",\"stage\":null,\"year\":null,\"standard\":null"
                            ",\"claimed\":null,\"meets_standard\":null}"));
        return;
    }
    p = figure_more_at(wr, p, f);
    if (p)
        to_buf(b, p);
}

/* The room str_or_null_at() needs for a string of n bytes. */
#define STR_ROOM(n) (6 * (n) + 18)

/* put_str(s) at p, where there is room for STR_ROOM(n) bytes, n the
 * length of s (0 for NULL); returns the end. */
ALWAYS_INLINE char *str_or_null_at(char *p, const char *s, size_t n)
{
    return s ? str_at(p, s, n) : KEY_AT(p, "null");
}

/* strlen(s), 0 for NULL. */
static inline size_t len_or_0(const char *s)
{
    return s ? strlen(s) : 0;
}

/* put_count(v) at p, where there is room for 32 bytes (a count beyond an
 * int, never met, through put_num()); returns the end. */
ALWAYS_INLINE char *count_at(buf *b, char *p, size_t v)
{
    if (v <= (size_t)INT_MAX)
        return int_at(p, (long long)v);
    to_buf(b, p);
    put_num(b, (double)v);
    return from_buf(b);
}

/* A check, at the cursor: its fields up to its span after one room check. */
static void put_check(writer *wr, const check *c)
{
    buf *b = wr->b;
    size_t ncode = len_or_0(c->code), nmsg = len_or_0(c->message);
    _Static_assert(sizeof c->idx / sizeof c->idx[0] <= 4, "room for four indexes");
    char *p = room_at(b, from_buf(b), STR_ROOM(ncode) + STR_ROOM(nmsg) + 320);
    if (!p)
        return;
    p = KEY_AT(p, "{\"code\":");
    p = str_or_null_at(p, c->code, ncode);
    /* SEVERITIES[c->sev] as put_str() writes it, with its key. */
    static const struct {
        const char *text;
        size_t len;
    } SEVERITY_JSON[] = {
#define SEVERITY_KEY(name) {",\"severity\":\"" name "\"", sizeof(",\"severity\":\"" name "\"") - 1}
        SEVERITY_KEY("info"), SEVERITY_KEY("warning"), SEVERITY_KEY("error"),
#undef SEVERITY_KEY
    };
    _Static_assert(sizeof SEVERITY_JSON / sizeof SEVERITY_JSON[0] ==
                       sizeof SEVERITIES / sizeof SEVERITIES[0], "one text per severity");
    p = const_at(p, SEVERITY_JSON[c->sev].text, SEVERITY_JSON[c->sev].len);
    p = KEY_AT(p, ",\"message\":");
    p = str_or_null_at(p, c->message, nmsg);
    p = KEY_AT(p, ",\"indicators\":[");
    for (size_t i = 0; i < c->nidx && i < sizeof c->idx / sizeof c->idx[0]; i++) {
        *p = ',';
        p += i > 0;
        p = count_at(b, p, c->idx[i]);
    }
    *p++ = ']';
    if (c->has_span) {
        to_buf(b, p);
        put_span(wr, c->span);
        p = room_at(b, from_buf(b), 16);
        if (!p)
            return;
    } else {
        p = KEY_AT(p, ",\"span\":null");
    }
    *p++ = '}';
    to_buf(b, p);
}

/* The record's fields before its sections, at the buffer's length, after
 * one room check for all of them (instead of one for each of its twenty
 * fields and keys: a short record spent a third of its time here). */
static void put_record_head(buf *b, const doc *d, size_t ri, size_t rs, size_t re)
{
    const report *r = &d->reports[ri];
    size_t npath = len_or_0(d->path), nenc = strlen(d->encoding), ntitle = len_or_0(r->title),
           norg = len_or_0(r->organization), nperiod = len_or_0(r->period),
           ndate = len_or_0(r->date);
    char *p = room_at(b, from_buf(b),
                      STR_ROOM(npath) + STR_ROOM(nenc) + STR_ROOM(ntitle) + STR_ROOM(norg) +
                          STR_ROOM(nperiod) + STR_ROOM(ndate) + 512);
    if (!p)
        return;
    p = KEY_AT(p, "{\"schema\":\"eduextract.record/1\",\"source\":{\"path\":");
    p = str_or_null_at(p, d->path, npath);
    p = KEY_AT(p, ",\"encoding\":");
    p = str_at(p, d->encoding, nenc);
    p = KEY_AT(p, ",\"report_index\":");
    p = count_at(b, p, ri);
    p = KEY_AT(p, ",\"report_count\":");
    p = count_at(b, p, d->nreports);
    if (rs <= (size_t)INT_MAX && re <= (size_t)INT_MAX) {
        p = cps_span_at(p, rs, re);
    } else {
        to_buf(b, p);
        put_cps_span(b, rs, re);
        p = from_buf(b);
    }
    p = KEY_AT(p, "},\"title\":");
    p = str_or_null_at(p, r->title, ntitle);
    p = KEY_AT(p, ",\"organization\":");
    p = str_or_null_at(p, r->organization, norg);
    p = KEY_AT(p, ",\"year\":");
    p = num_at(b, p, r->year > 0, r->year);
    p = KEY_AT(p, ",\"period\":");
    p = str_or_null_at(p, r->period, nperiod);
    p = KEY_AT(p, ",\"date\":");
    p = str_or_null_at(p, r->date, ndate);
    to_buf(b, KEY_AT(p, ",\"sections\":"));
}

/* The record's stats and its end, at the buffer's length. */
static void put_record_tail(buf *b, const report *r, size_t chars, size_t redacted)
{
    char *p = room_at(b, from_buf(b), 256);
    if (!p)
        return;
    p = KEY_AT(p, "],\"stats\":{\"chars\":");
    p = count_at(b, p, chars);
    p = KEY_AT(p, ",\"sections\":");
    p = count_at(b, p, r->nsections);
    p = KEY_AT(p, ",\"indicators\":");
    p = count_at(b, p, r->nfigures);
    p = KEY_AT(p, ",\"redacted\":");
    p = count_at(b, p, redacted);
    p = KEY_AT(p, ",\"checks\":");
    p = count_at(b, p, r->nchecks);
    to_buf(b, KEY_AT(p, "}}"));
}

bool emit_record_json(const emit_table *t, const doc *d, size_t ri, buf *b, emit_counts *counts)
{
    const report *r = &d->reports[ri];
    /* Room for a typical record at once (a figure takes some 400 bytes),
     * instead of growing the buffer by doubling and copying. */
    buf_reserve(b, 1024 + 512 * r->nfigures + 256 * r->nsections + 512 * r->nchecks);
    size_t rs, re;
    if (ri == 0 && d->nreports == 1) {
        /* A lone report covers the whole file, boilerplate included (its
         * extent is not mapped: emit_record() overrides what that gives). */
        rs = 0;
        re = cp_index_of(&d->cpix, d->orig_len);
    } else {
        doc_orig_cps(d, r->extent, &rs, &re);
    }
    put_record_head(b, d, ri, rs, re);
    /* The section tree's lists and the markers' offsets in one block: on
     * the stack for the usual few sections, else one allocation (not one
     * per list). */
    enum { WORDS = SECTION_LISTS + 2, ON_STACK = 32 };
    size_t local[WORDS * ON_STACK];
    size_t ns = r->nsections;
    size_t *words = ns <= ON_STACK ? local
                    : ns <= SIZE_MAX / (WORDS * sizeof *words) ? malloc(ns * WORDS * sizeof *words)
                                                                 : NULL;
    /* The memo slots of ids and units are left as they are (see writer):
     * clearing them all took longer than writing a short record. */
    writer wr;
    wr.b = b;
    wr.table = t;
    wr.d = d;
    memset(&wr.cur, 0, sizeof wr.cur);
    memset(&wr.far, 0, sizeof wr.far);
    wr.st_k = SIZE_MAX;
    wr.st_d = wr.st_o = wr.st_len = 0;
    wr.counted = false;
    wr.cp_ob = wr.cp = 0;
    wr.marks = NULL;
    wr.pathed = false;
    wr.path_sec = 0;
    wr.path_at = wr.path_len = 0;
    wr.ids_used = wr.stages_used = 0;
    memset(wr.kinds, 0, sizeof wr.kinds);
    wr.units_set = 0;
    if (words)
        wr.marks = (size_t(*)[2])(words + SECTION_LISTS * ns);
    if (!put_sections(&wr, r, words)) {
        if (words != local)
            free(words);
        end_text(b);
        return false;
    }
    put_key(b, ",\"indicators\":[");
    size_t redacted = 0;
    for (size_t i = 0; i < r->nfigures; i++) {
        put_figure(&wr, r, &r->figures[i], i > 0);
        redacted += r->figures[i].redacted;
    }
    put_key(b, "],\"checks\":[");
    for (size_t i = 0; i < r->nchecks; i++) {
        if (i)
            put_c(b, ',');
        put_check(&wr, &r->checks[i]);
    }
    if (words != local)
        free(words);
    put_record_tail(b, r, re - rs, redacted);
    end_text(b);
    if (counts) {
        counts->figures = r->nfigures;
        counts->checks = r->nchecks;
        counts->sections = r->nsections;
        counts->redacted = redacted;
    }
    return !b->failed;
}

/* ----- CSV ----- */

const char emit_csv_header[] =
    "path,report_index,title,year,organization,error,figure_index,id,name,kind,value,unit,"
    "ratio_left,ratio_right,qualifier,redacted,change,stage,figure_year,standard_value,"
    "standard_unit,claimed,meets_standard,section,raw,span_start,span_end\n";

/* Bytes that make a CSV field quoted: comma, quote, CR, LF (strpbrk's set). */
static const unsigned char CSV_SPECIAL[256] = {
    ['\n'] = 1, ['\r'] = 1, ['"'] = 1, [','] = 1,
};

/* One CSV field of s[0..n) (no NUL inside): quoted when it holds a comma,
 * quote or line break, with quotes doubled; then ',' or '\n'. */
/* True when none of the eight bytes of x is one of CSV_SPECIAL: the
 * zero-byte test (exact for "any byte") of x xor each of the four. */
static inline bool word_csv_plain(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t a = x ^ (ones * ','), q = x ^ (ones * '"'), r = x ^ (ones * '\r'),
             l = x ^ (ones * '\n');
    return ((((a - ones) & ~a) | ((q - ones) & ~q) | ((r - ones) & ~r) | ((l - ones) & ~l)) &
            high) == 0;
}

static void csv_field_n(buf *out, const char *s, size_t n, bool last)
{
    size_t i = 0;
    while (n - i >= 8 && word_csv_plain(load64(s + i)))
        i += 8;
    /* Fewer than eight bytes left (or one of them is special): the last
     * eight bytes at once, overlapping those checked, when there are
     * eight. */
    if (n - i < 8 && n >= 8 && word_csv_plain(load64(s + n - 8)))
        i = n;
    while (i < n && !CSV_SPECIAL[(unsigned char)s[i]])
        i++;
    if (i == n) {
        put_bytes(out, s, n);
    } else {
        /* Runs between quotes copied at once, each quote written twice. */
        put_c(out, '"');
        size_t run = 0;
        for (i = 0; i < n; i++) {
            if (s[i] == '"') {
                put_bytes(out, s + run, i + 1 - run);
                run = i;
            }
        }
        put_bytes(out, s + run, n - run);
        put_c(out, '"');
    }
    put_c(out, last ? '\n' : ',');
}

static void csv_field(buf *out, const char *s, bool last)
{
    if (!s)
        s = "";
    csv_field_n(out, s, strlen(s), last);
}

/* A JSON value as CSV text: strings bare, numbers in JSON form, null empty.
 * A number is written as cJSON_PrintUnformatted() prints it (put_num()),
 * without the allocation; it never holds a byte that needs quoting. */
static void csv_json(buf *out, const cJSON *v, bool last)
{
    /* The type tests of cJSON_IsNull() ... cJSON_IsNumber(), without the
     * calls into the library. */
    int type = v ? v->type & 0xFF : cJSON_NULL;
    if (type == cJSON_NULL) {
        put_c(out, last ? '\n' : ',');
    } else if (type == cJSON_String) {
        csv_field(out, v->valuestring, last);
    } else if (type == cJSON_True) {
        csv_field_n(out, "true", 4, last);
    } else if (type == cJSON_False) {
        csv_field_n(out, "false", 5, last);
    } else if (type == cJSON_Number) {
        /* put_num() tests d against the int cJSON's parse stored in
         * valueint (d saturated to the int range, the same conversion). */
        put_num(out, v->valuedouble);
        put_c(out, last ? '\n' : ',');
    } else {
        char *t = cJSON_PrintUnformatted(v);
        csv_field(out, t, last);
        free(t);
    }
}

static const cJSON *get(const cJSON *o, const char *k)
{
    return o ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

/* The members of a figure object the CSV row reads. */
enum {
    F_ID, F_NAME, F_KIND, F_VALUE, F_UNIT, F_RATIO, F_QUALIFIER, F_REDACTED, F_CHANGE,
    F_STAGE, F_YEAR, F_STANDARD, F_CLAIMED, F_MEETS, F_SECTION, F_RAW, F_SPAN, F_NKEYS
};

/* strcmp(k, lit) == 0 for a literal of n bytes, inline (unrolled, n being
 * known): stops at the first byte that differs, so it reads no further
 * into k than strcmp would. */
static inline bool key_is_n(const char *k, const char *lit, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (k[i] != lit[i])
            return false;
    return k[n] == '\0';
}
#define key_is(k, lit) key_is_n((k), "" lit, sizeof(lit) - 1)

/* Which of the members above key k names, or F_NKEYS: a switch on its first
 * byte, then one comparison (two or three for c, r, s, told apart by their
 * second and third bytes first). */
static int figure_key(const char *k)
{
    if (!k)
        return F_NKEYS;
    switch (k[0]) {
    case 'i': return key_is(k, "id") ? F_ID : F_NKEYS;
    case 'n': return key_is(k, "name") ? F_NAME : F_NKEYS;
    case 'k': return key_is(k, "kind") ? F_KIND : F_NKEYS;
    case 'v': return key_is(k, "value") ? F_VALUE : F_NKEYS;
    case 'u': return key_is(k, "unit") ? F_UNIT : F_NKEYS;
    case 'q': return key_is(k, "qualifier") ? F_QUALIFIER : F_NKEYS;
    case 'y': return key_is(k, "year") ? F_YEAR : F_NKEYS;
    case 'm': return key_is(k, "meets_standard") ? F_MEETS : F_NKEYS;
    case 'c':
        return key_is(k, "change") ? F_CHANGE : key_is(k, "claimed") ? F_CLAIMED : F_NKEYS;
    case 'r':
        if (k[1] == 'a')
            return key_is(k, "raw") ? F_RAW : key_is(k, "ratio") ? F_RATIO : F_NKEYS;
        return key_is(k, "redacted") ? F_REDACTED : F_NKEYS;
    case 's':
        if (k[1] == 'p')
            return key_is(k, "span") ? F_SPAN : F_NKEYS;
        if (k[1] == 'e')
            return key_is(k, "section") ? F_SECTION : F_NKEYS;
        if (k[1] == 't' && k[2] == 'a' && k[3] == 'g')
            return key_is(k, "stage") ? F_STAGE : F_NKEYS;
        return key_is(k, "standard") ? F_STANDARD : F_NKEYS;
    default: return F_NKEYS;
    }
}

/* The two members a and b of o (the first of each name, as
 * cJSON_GetObjectItemCaseSensitive() finds them), in one pass. */
static void get2_n(const cJSON *o, const char *a, size_t na, const char *b, size_t nb,
                   const cJSON **va, const cJSON **vb)
{
    *va = *vb = NULL;
    for (const cJSON *c = o ? o->child : NULL; c && !(*va && *vb); c = c->next) {
        if (!c->string)
            continue;
        if (!*va && key_is_n(c->string, a, na))
            *va = c;
        else if (!*vb && key_is_n(c->string, b, nb))
            *vb = c;
    }
}
#define get2(o, a, b, va, vb) get2_n((o), "" a, sizeof(a) - 1, "" b, sizeof(b) - 1, (va), (vb))

bool emit_csv_rows(const cJSON *rec, buf *out)
{
    const cJSON *src = get(rec, "source");
    const cJSON *err = get(rec, "error");
    const cJSON *inds = get(rec, "indicators");
    int n = inds ? cJSON_GetArraySize(inds) : 0;
    /* The six record fields that begin every row, written once. */
    buf head = BUF_INIT;
    csv_json(&head, get(src, "path"), false);
    csv_json(&head, get(src, "report_index"), false);
    csv_json(&head, get(rec, "title"), false);
    csv_json(&head, get(rec, "year"), false);
    csv_json(&head, get(rec, "organization"), false);
    csv_json(&head, err ? get(err, "message") : NULL, false);
    if (head.failed) {
        buf_free(&head);
        out->failed = true;
        return false;
    }
    buf path = BUF_INIT;
    /* Walk the figures in order (cJSON_GetArrayItem counts from the first:
     * quadratic in figures). */
    const cJSON *next = n ? inds->child : NULL;
    for (int i = 0; i < (n ? n : 1); i++) {
        const cJSON *f = next;
        next = next ? next->next : NULL;
        put_bytes(out, head.data, head.len);
        if (f) {
            put_num(out, i);
            put_c(out, ',');
        } else {
            csv_field_n(out, "", 0, false);
        }
        /* The figure's members in one pass over its children (the first of
         * each name wins, as with cJSON_GetObjectItemCaseSensitive()). */
        const cJSON *m[F_NKEYS + 1] = {NULL};
        for (const cJSON *c = f ? f->child : NULL; c; c = c->next) {
            int k = figure_key(c->string);
            if (!m[k])
                m[k] = c;
        }
        const cJSON *x, *y;
        csv_json(out, m[F_ID], false);
        csv_json(out, m[F_NAME], false);
        csv_json(out, m[F_KIND], false);
        csv_json(out, m[F_VALUE], false);
        csv_json(out, m[F_UNIT], false);
        get2(m[F_RATIO], "left", "right", &x, &y);
        csv_json(out, x, false);
        csv_json(out, y, false);
        csv_json(out, m[F_QUALIFIER], false);
        csv_json(out, m[F_REDACTED], false);
        csv_json(out, m[F_CHANGE], false);
        csv_json(out, m[F_STAGE], false);
        csv_json(out, m[F_YEAR], false);
        get2(m[F_STANDARD], "value", "unit", &x, &y);
        csv_json(out, x, false);
        csv_json(out, y, false);
        csv_json(out, m[F_CLAIMED], false);
        csv_json(out, m[F_MEETS], false);
        /* The section path joined with '/'. */
        path.len = 0;
        bool first = true;
        for (const cJSON *s = m[F_SECTION] ? m[F_SECTION]->child : NULL; s; s = s->next) {
            if (!first)
                put_c(&path, '/');
            first = false;
            if (cJSON_IsString(s))
                put_bytes(&path, s->valuestring, strlen(s->valuestring));
        }
        if (path.failed)
            out->failed = true;
        csv_field_n(out, path.data ? path.data : "", path.len, false);
        csv_json(out, m[F_RAW], false);
        get2(m[F_SPAN], "start", "end", &x, &y);
        csv_json(out, x, false);
        csv_json(out, y, true);
    }
    buf_free(&path);
    buf_free(&head);
    end_text(out);
    return !out->failed;
}
