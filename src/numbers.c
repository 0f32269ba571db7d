/* numbers.c -- the number and quantity grammar (docs/NUMBERS.md).
 *
 * A quantity is
 *
 *   [prefix qualifier] [百分之|千分之] NUMBER [range | ratio]
 *       [余|多] [万|亿…] [余|多] [unit] [suffix qualifier]
 *
 * where NUMBER is Arabic (ASCII or full-width digits, thousands separators,
 * a decimal part, placeholders such as xx or ___ in place of digits) or
 * Chinese (一千二百, 两千三百, 九十八点六, 壹佰).  num_parse_at() reads that
 * grammar at one position; num_next() finds the next one that can be a
 * figure.  Every loop moves forward over the input, and num_next() resumes
 * after everything a rejected candidate scanned, so the work is linear. */
#include "numbers.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if EDX_AVX2_DISPATCH
#include <immintrin.h>
#endif

/* The work counter of the tests.  Initial-exec: the library's own
 * thread-local then sits in the static TLS block, read at a fixed offset
 * from the thread pointer, instead of being asked of the runtime
 * (__tls_get_addr, some 15 instructions a call of num_next); a library
 * loaded with dlopen takes it from the room glibc keeps for that. */
#if defined(__GNUC__) && defined(__ELF__)
static _Thread_local size_t work_steps __attribute__((tls_model("initial-exec")));
#else
static _Thread_local size_t work_steps;
#endif

size_t num_work_steps(void)
{
    return work_steps;
}

void num_work_reset(void)
{
    work_steps = 0;
}

/* Add n to work_steps: the callers add once per call (without the
 * initial-exec model, each access is a call of __tls_get_addr). */
static inline void work_add(size_t n)
{
    size_t *w = &work_steps;
    *w += n;
}

static int cn_digit(uint32_t cp);
static bool candidate(const num_units *u, const char *s, size_t len, size_t i, bool *chinese);
static double cn_place(uint32_t cp);

/* ---- units.conf ---------------------------------------------------------- */

static const char *const UNIT_KEYS[] = {"unit", "norm", "mult", "dim", NULL};

static const struct {
    const char *name;
    unit_dim dim;
} DIMS[] = {{"percent", DIM_PERCENT}, {"permille", DIM_PERMILLE}, {"points", DIM_POINTS},
            {"count", DIM_COUNT},     {"money", DIM_MONEY},       {"area", DIM_AREA},
            {"length", DIM_LENGTH},   {"time", DIM_TIME},         {"score", DIM_SCORE},
            {"age", DIM_AGE},         {"other", DIM_OTHER}};

static int cmp_unit_len(const void *a, const void *b)
{
    size_t la = ((const num_unit *)a)->len;
    size_t lb = ((const num_unit *)b)->len;
    if (la != lb)
        return la < lb ? 1 : -1;
    return strcmp(((const num_unit *)a)->surface, ((const num_unit *)b)->surface);
}

/* Bytes of the character a unit or a text position starts with, by its
 * lead byte alone (a unit matching at a position has the same first bytes,
 * so the same lead byte and length). */
static size_t unit_char_len(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Those bytes packed into one key (never 0: no surface starts with NUL). */
static uint32_t unit_char_key(const char *s, size_t n)
{
    uint32_t key = 0;
    for (size_t k = 0; k < n; k++)
        key = key << 8 | (unsigned char)s[k];
    return key;
}

/* The slot of key, or of the first empty one after it.  The hash is the
 * top bits of the product (its low bits would depend on the key's low bits
 * alone: the third byte, shared by many characters). */
static inline size_t char_slot(const num_units *u, uint32_t key)
{
    size_t h = (size_t)((uint32_t)(key * 2654435761u) >> u->char_shift);
    while (u->char_key[h] && u->char_key[h] != key)
        h = (h + 1) & u->char_mask;
    return h;
}

/* Build the index by first character (see num_units).  The order of byfirst
 * (longest first) is kept inside each character.  Without it (a surface
 * shorter than its lead byte says) num_unit_at tries the units by first
 * byte.  False when memory ran out. */
static bool index_by_char(num_units *u)
{
    for (size_t i = 0; i < u->n; i++)
        if (u->units[i].len < unit_char_len((unsigned char)u->units[i].surface[0]))
            return true;
    size_t size = 16;
    while (size < 2 * u->n)
        size *= 2;
    u->char_key = calloc(size, sizeof *u->char_key);
    u->char_start = calloc(size, sizeof *u->char_start);
    u->char_n = calloc(size, sizeof *u->char_n);
    u->bychar = calloc(u->n ? u->n : 1, sizeof *u->bychar);
    if (!u->char_key || !u->char_start || !u->char_n || !u->bychar)
        return false;
    u->char_mask = size - 1;
    u->char_shift = 32;
    for (size_t n = size; n > 1; n >>= 1)
        u->char_shift--;
    for (size_t i = 0; i < u->n; i++) {
        const char *sf = u->units[i].surface;
        uint32_t key = unit_char_key(sf, unit_char_len((unsigned char)sf[0]));
        size_t h = char_slot(u, key);
        u->char_key[h] = key;
        u->char_n[h]++;
    }
    size_t at = 0;
    for (size_t h = 0; h < size; h++) {
        u->char_start[h] = at;
        at += u->char_n[h];
        u->char_n[h] = 0;
    }
    /* byfirst runs through the units by first byte, longest first within
     * each: appending in that order keeps it within each character */
    for (size_t k = 0; k < u->n; k++) {
        size_t i = u->byfirst[k];
        const char *sf = u->units[i].surface;
        size_t h = char_slot(u, unit_char_key(sf, unit_char_len((unsigned char)sf[0])));
        u->bychar[u->char_start[h] + u->char_n[h]++] = i;
    }
    return true;
}

/* One section per unit; the section name is the surface form:
 *   [万元]
 *   norm = 元
 *   mult = 10000
 *   dim  = money */
/* The bare_* fields of u (see numbers.h), from its units in their order. */
static void bare_units_index(num_units *u)
{
    memset(u->bare_lead, 0, sizeof u->bare_lead);
    memset(u->bare_tail, 0, sizeof u->bare_tail);
    u->nbare_cp = 0;
    u->nbare_third = 0;
    for (size_t i = 0; i < u->n; i++) {
        const num_unit *un = &u->units[i];
        if (un->len >= 6 && (un->dim == DIM_AREA || un->dim == DIM_MONEY)) {
            const unsigned char *w = (const unsigned char *)un->surface;
            u->bare_lead[w[2]] = true;
            u->bare_tail[w[4] & 63] |= (uint64_t)1 << (w[5] & 63);
            uint32_t key = (uint32_t)w[0] << 16 | (uint32_t)w[1] << 8 | w[2];
            size_t k = 0;
            while (u->nbare_cp != SIZE_MAX && k < u->nbare_cp && u->bare_cp[k] != key)
                k++;
            if (u->nbare_cp == SIZE_MAX || k < u->nbare_cp)
                continue;
            if (u->nbare_cp < sizeof u->bare_cp / sizeof u->bare_cp[0]) {
                u->bare_cp[u->nbare_cp++] = key;
            } else {
                u->nbare_cp = SIZE_MAX;
            }
        }
    }
    /* the distinct third bytes, the first repeated */
    for (size_t b = 0; b < 256 && u->nbare_third <= 8; b++)
        if (u->bare_lead[b] && u->nbare_third++ < 8)
            u->bare_third[u->nbare_third - 1] = (unsigned char)b;
    for (size_t k = u->nbare_third; k > 0 && k < 8; k++)
        u->bare_third[k] = u->bare_third[0];
    memset(u->bare_nib, 0, sizeof u->bare_nib);
    memset(u->bare_pair, 0, sizeof u->bare_pair);
    u->bare_avx2 = false;
    if (u->nbare_cp == SIZE_MAX || u->nbare_cp == 0)
        return;
    /* key k has class bit k (the ninth and later share bit 7) in both
     * pairs of nibble tables, for its second and its third byte */
    for (size_t k = 0; k < u->nbare_cp; k++) {
        unsigned second = u->bare_cp[k] >> 8 & 0xFF, third = u->bare_cp[k] & 0xFF;
        unsigned char bit = (unsigned char)(1u << (k < 8 ? k : 7));
        u->bare_nib[0][second & 15] |= bit;
        u->bare_nib[1][second >> 4] |= bit;
        u->bare_nib[2][third & 15] |= bit;
        u->bare_nib[3][third >> 4] |= bit;
        u->bare_pair[second & 63] |= (uint64_t)1 << (third & 63);
    }
    u->bare_avx2 = u->avx2;
}

/* The first two bytes at p as one little-endian 16-bit value (one load
 * where the machine is little-endian). */
static inline unsigned load_le16(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint16_t x;
    memcpy(&x, p, sizeof x);
    return x;
#else
    return (unsigned)p[0] | (unsigned)p[1] << 8;
#endif
}

/* The start3 word (see numbers.h) of a three-byte sequence from its first
 * two bytes: lead low nibble in bits 0-3, second byte's low six bits in
 * bits 8-13, as load_le16() & 0x3F0F gives them.  cp_at() reads the same
 * bits as the code point's bits 12-15 and 6-11, so start3_word_of(cp) is
 * the word of the sequence cp_at() reads as cp. */
#define START3_WORDS (0x3F0F + 1)

static inline size_t start3_word(const unsigned char *p)
{
    return load_le16(p) & 0x3F0F;
}

static size_t start3_word_of(uint32_t cp)
{
    return (size_t)(cp >> 6 & 0x3F) << 8 | (cp >> 12 & 0x0F);
}

static bool first_filters_hold(void);
static bool build_cont(num_units *u);
static void build_scan_filter(num_units *u);

size_t num_units_load(const conf_file *f, num_units *out, diag *d)
{
    if (!first_filters_hold()) {
        diag_error(d, f->path, 0, 0, "internal: a number word table and its filter disagree");
        return 1;
    }
    size_t errors = conf_check_unique(f, d);
    memset(out, 0, sizeof *out);
    out->avx2 = text_avx2_wanted(); /* the test every stage's choice comes from */
    out->units = calloc(f->n ? f->n : 1, sizeof *out->units);
    out->byfirst = calloc(f->n ? f->n : 1, sizeof *out->byfirst);
    if (!out->units || !out->byfirst) {
        diag_error(d, f->path, 0, 0, "out of memory");
        return errors + 1;
    }
    for (size_t i = 0; i < f->n; i++) {
        const conf_section *s = &f->sections[i];
        if (!s->name[0]) {
            if (s->n) {
                diag_error(d, f->path, s->line, s->col, "entries must follow a [unit]");
                errors++;
            }
            continue;
        }
        errors += conf_check_keys(f, s, UNIT_KEYS, d);
        const conf_entry *ne = conf_get(s, "norm");
        const conf_entry *me = conf_get(s, "mult");
        const conf_entry *de = conf_get(s, "dim");
        unit_dim dim = DIM_NONE;
        if (!de) {
            diag_error(d, f->path, s->line, s->col, "[%s] has no dim", s->name);
            errors++;
            continue;
        }
        for (size_t k = 0; k < sizeof DIMS / sizeof DIMS[0]; k++)
            if (strcmp(DIMS[k].name, de->value) == 0)
                dim = DIMS[k].dim;
        if (dim == DIM_NONE) {
            diag_error(d, f->path, de->line, de->value_col, "unknown dim '%s'", de->value);
            errors++;
            continue;
        }
        double mult = 1;
        if (me) {
            char *endp;
            mult = strtod(me->value, &endp);
            if (*endp || !(mult > 0)) {
                diag_error(d, f->path, me->line, me->value_col, "mult must be a positive number");
                errors++;
                continue;
            }
        }
        if (ne && strlen(ne->value) >= sizeof ((quantity *)0)->unit_norm) {
            diag_error(d, f->path, ne->line, ne->value_col, "norm is too long");
            errors++;
            continue;
        }
        if (!ne && strlen(s->name) >= sizeof ((quantity *)0)->unit_norm) {
            diag_error(d, f->path, s->line, s->col, "unit is too long");
            errors++;
            continue;
        }
        num_unit *u = &out->units[out->n];
        u->surface = strdup(s->name);
        u->norm = strdup(ne ? ne->value : s->name);
        u->mult = mult;
        u->dim = dim;
        if (!u->surface || !u->norm) {
            free(u->surface);
            free(u->norm);
            diag_error(d, f->path, 0, 0, "out of memory");
            return errors + 1;
        }
        u->len = strlen(u->surface);
        u->norm_len = strlen(u->norm);
        out->n++;
    }
    qsort(out->units, out->n, sizeof *out->units, cmp_unit_len);
    bare_units_index(out);
    /* Counting sort by first byte, keeping the longest-first order. */
    for (size_t i = 0; i < out->n; i++)
        out->nfirst[(unsigned char)out->units[i].surface[0]]++;
    size_t at = 0;
    for (size_t b = 0; b < 256; b++) {
        out->first[b] = at;
        at += out->nfirst[b];
    }
    size_t fill[256];
    memcpy(fill, out->first, sizeof fill);
    for (size_t i = 0; i < out->n; i++)
        out->byfirst[fill[(unsigned char)out->units[i].surface[0]]++] = i;
    out->start3 = calloc(START3_WORDS, sizeof *out->start3);
    if (!out->start3) {
        diag_error(d, f->path, 0, 0, "out of memory");
        return errors + 1;
    }
    for (uint32_t cp = 0x4E00; cp < 0xA000; cp++)
        if (cn_digit(cp) >= 0 || cn_place(cp) == 10 || cn_place(cp) == 100 ||
            cn_place(cp) == 1000)
        {
            out->cjk_start[(cp - 0x4E00) >> 3] |= (unsigned char)(1u << ((cp - 0x4E00) & 7));
            out->start3[start3_word_of(cp)] |= (uint64_t)1 << (cp & 63);
        }
    /* start3 outside U+4000..U+9FFF: candidate()'s answer for the
     * punctuation and full-width rows, all set elsewhere. */
    for (uint32_t cp = 0; cp < 0x10000; cp += 64)
        if (cp < 0x2000 || (cp >= 0xA000 && cp < 0xF000))
            out->start3[start3_word_of(cp)] = ~(uint64_t)0;
    static const uint32_t ROWS[][2] = {{0x2000, 0x4000}, {0xF000, 0x10000}};
    for (size_t r = 0; r < 2; r++)
        for (uint32_t cp = ROWS[r][0]; cp < ROWS[r][1]; cp++) {
            char enc[3] = {(char)(0xE0 | cp >> 12), (char)(0x80 | (cp >> 6 & 0x3F)),
                           (char)(0x80 | (cp & 0x3F))};
            bool chinese;
            if (candidate(out, enc, 3, 0, &chinese))
                out->start3[start3_word_of(cp)] |= (uint64_t)1 << (cp & 63);
        }
    build_scan_filter(out);
    if (!index_by_char(out) || !build_cont(out)) {
        diag_error(d, f->path, 0, 0, "out of memory");
        return errors + 1;
    }
    return errors;
}

void num_units_free(num_units *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n; i++) {
        free(u->units[i].surface);
        free(u->units[i].norm);
    }
    free(u->units);
    free(u->byfirst);
    free(u->char_key);
    free(u->char_start);
    free(u->char_n);
    free(u->bychar);
    free(u->start3);
    free(u->cont3);
    memset(u, 0, sizeof *u);
}

/* num_unit_at() inline, for parse(): the same answer. */
static inline const num_unit *unit_at(const num_units *u, const char *text, size_t len, size_t pos)
{
    if (!u || !u->byfirst || pos >= len)
        return NULL;
    unsigned char b = (unsigned char)text[pos];
    if (u->char_mask) {
        /* only the units starting with the character at pos, in the same
         * order as below (the others differ in their first bytes) */
        size_t cl = unit_char_len(b);
        if (pos + cl > len)
            return NULL; /* every unit with this lead byte is longer */
        const unsigned char *p = (const unsigned char *)text + pos;
        uint32_t key = cl == 3 ? (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]
                               : unit_char_key(text + pos, cl); /* the same key */
        size_t h = char_slot(u, key);
        if (!u->char_key[h])
            return NULL;
        for (size_t k = 0; k < u->char_n[h]; k++) {
            const num_unit *un = &u->units[u->bychar[u->char_start[h] + k]];
            /* the byte after the first character told apart before memcmp */
            if (pos + un->len <= len &&
                (un->len == cl || (text[pos + cl] == un->surface[cl] &&
                                   memcmp(text + pos + cl, un->surface + cl, un->len - cl) == 0)))
                return un;
        }
        return NULL;
    }
    for (size_t k = 0; k < u->nfirst[b]; k++) {
        const num_unit *un = &u->units[u->byfirst[u->first[b] + k]];
        /* the first byte is b; reject on the next two before comparing */
        if (pos + un->len > len || (un->len > 1 && text[pos + 1] != un->surface[1]) ||
            (un->len > 2 && text[pos + 2] != un->surface[2]))
            continue;
        if (un->len <= 3 || memcmp(text + pos + 3, un->surface + 3, un->len - 3) == 0)
            return un;
    }
    return NULL;
}

const num_unit *num_unit_at(const num_units *u, const char *text, size_t len, size_t pos)
{
    return unit_at(u, text, len, pos);
}

/* snprintf(dst, size, "%s", src) without the format machinery: src cut to
 * size - 1 bytes, always terminated.  A byte loop: the strings (units) are
 * a few bytes, shorter than the calls of strlen and memcpy. */
static inline void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = 0;
    for (; n + 1 < size && src[n]; n++)
        dst[n] = src[n];
    dst[n] = '\0';
}

/* ---- characters ---------------------------------------------------------- */

/* Bytes of the literal lit (n bytes) at text[i], or 0. */
static inline size_t lit_at_n(const char *s, size_t len, size_t i, const char *lit, size_t n)
{
    /* the first two bytes first: most calls try a word where none is, and
     * Chinese characters share their lead byte */
    return i + n <= len && s[i] == lit[0] && (n < 2 || s[i + 1] == lit[1]) &&
                   memcmp(s + i, lit, n) == 0
               ? n
               : 0;
}

/* Does lit (n bytes) end exactly at text[i]? */
static inline bool lit_before_n(const char *s, size_t i, const char *lit, size_t n)
{
    return i >= n && s[i - n] == lit[0] && (n < 2 || s[i - n + 1] == lit[1]) &&
           memcmp(s + i - n, lit, n) == 0;
}

/* The same for string literals, whose length is known when compiling. */
#define lit_at(s, len, i, lit) lit_at_n(s, len, i, lit, sizeof(lit) - 1)
#define lit_before(s, i, lit) lit_before_n(s, i, lit, sizeof(lit) - 1)

/* The code point at s[i] (3-byte sequences only, which is all the CJK and
 * full-width forms the grammar uses), or the byte itself; *n its length. */
static inline uint32_t cp_at(const char *s, size_t len, size_t i, size_t *n)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        *n = 1;
        return c;
    }
    if (c >= 0xE0 && c < 0xF0 && i + 2 < len) {
        *n = 3;
        return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
               (uint32_t)(s[i + 2] & 0x3F);
    }
    if (c >= 0xC0 && c < 0xE0 && i + 1 < len) {
        *n = 2;
        return ((uint32_t)(c & 0x1F) << 6) | (uint32_t)(s[i + 1] & 0x3F);
    }
    *n = 1;
    return 0xFFFD;
}

/* The code point that ends at s[i] (i > 0), for context checks. */
static uint32_t cp_before_walk(const char *s, size_t i)
{
    if (i == 0)
        return 0;
    size_t k = i - 1;
    while (k > 0 && i - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    size_t n;
    uint32_t cp = cp_at(s, i, k, &n);
    return k + n == i ? cp : 0xFFFD;
}

/* The code point that ends at s[i] (0 at the start), as cp_before_walk()
 * reads it: inline for an ASCII byte and a three-byte sequence (a lead
 * E0..EF then two continuation bytes, which the walk stops at and cp_at()
 * decodes whole), the walk for the rest. */
static inline uint32_t cp_before(const char *s, size_t i)
{
    const unsigned char *p = (const unsigned char *)s;
    if (i > 0 && p[i - 1] < 0x80)
        return p[i - 1];
    if (i >= 3 && (p[i - 1] & 0xC0) == 0x80 && (p[i - 2] & 0xC0) == 0x80 &&
        (unsigned)(p[i - 3] - 0xE0) < 16)
        return (uint32_t)(p[i - 3] & 0x0F) << 12 | (uint32_t)(p[i - 2] & 0x3F) << 6 |
               (uint32_t)(p[i - 1] & 0x3F);
    return cp_before_walk(s, i);
}

/* An ASCII or full-width digit at s[i]: its value, or -1. */
static int digit_at(const char *s, size_t len, size_t i, size_t *n)
{
    if (i >= len)
        return -1;
    unsigned char c = (unsigned char)s[i];
    if (c >= '0' && c <= '9') {
        *n = 1;
        return c - '0';
    }
    if (c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBC &&
        (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
        *n = 3;
        return (unsigned char)s[i + 2] - 0x90;
    }
    return -1;
}

static bool ascii_alpha(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A placeholder character standing for a digit: x X ｘ Ｘ × _ ＿ * ＊ ○. */
static size_t placeholder_at(const char *s, size_t len, size_t i)
{
    size_t n;
    uint32_t cp = cp_at(s, len, i, &n);
    switch (cp) {
    case 'x': case 'X': case '_': case '*':
    case 0xFF58: /* ｘ */ case 0xFF38: /* Ｘ */ case 0x00D7: /* × */
    case 0xFF3F: /* ＿ */ case 0xFF0A: /* ＊ */ case 0x25CB: /* ○ */
        return n;
    default:
        return 0;
    }
}

static bool is_latin_x(const char *s, size_t len, size_t i)
{
    return i < len && (s[i] == 'x' || s[i] == 'X');
}

static size_t dot_at(const char *s, size_t len, size_t i)
{
    if (i < len && s[i] == '.')
        return 1;
    return lit_at(s, len, i, "．");
}

/* True when the number starting at i opens a clause: line start, or after
 * ':' ';' ',' or a sentence end (spaces crossed).  An integer there followed
 * by '.' is a list number (注:1.本…), never a number cut after its point. */
static bool list_number_at(const char *s, size_t i)
{
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
        i--;
    if (i == 0 || s[i - 1] == '\n' || s[i - 1] == '\r' || s[i - 1] == ':' || s[i - 1] == ';' ||
        s[i - 1] == ',')
        return true;
    return i >= 3 && memcmp(s + i - 3, "\xE3\x80\x82", 3) == 0; /* 。 */
}

static size_t comma_at(const char *s, size_t len, size_t i)
{
    if (i < len && s[i] == ',')
        return 1;
    return lit_at(s, len, i, "，");
}

/* One blank between parts of a quantity: space, tab, U+3000, U+00A0. */
static inline size_t space_at(const char *s, size_t len, size_t i)
{
    if (i < len && (s[i] == ' ' || s[i] == '\t'))
        return 1;
    size_t n = lit_at(s, len, i, "\xE3\x80\x80");
    return n ? n : lit_at(s, len, i, "\xC2\xA0");
}

/* The characters the grammar asks about, one table looked up by a
 * multiplicative hash of the code point instead of a switch each
 * (compiled to trees of a dozen branches that the processor guesses badly
 * on Chinese text): the Chinese numerals, digits (dig1 = digit + 1) and
 * places (CH_PLACE bits: an index into CN_PLACES), and flags for the first
 * characters of the prefix qualifiers, the multipliers, the suffix
 * qualifiers and the words of NOT_AFTER, and the last characters of the
 * prefix qualifiers.  The multiplier gives the CHAR_ENTRIES code points
 * different slots of 256 (found by trying multipliers; a clash would show
 * as a designated initializer overriding another, and first_filters_hold()
 * counts the entries).  An empty slot (all zero) is none of them, even for
 * the code point 0; a code point beyond U+FFFF matches no 16-bit key.  The
 * digits and places must be exact (cjk_start is built from them); the flags
 * only gate a search of their word lists, which first_filters_hold() checks
 * they let through. */
#define CHAR_SLOT(cp) ((uint32_t)(cp) * 0xD8BD6F5Fu >> 24)
#define CHAR_ENTRIES 78

enum {
    CH_PLACE = 7,           /* index into CN_PLACES */
    CH_MULT_FIRST = 8,      /* 千 百 万 萬 亿 億: MULTS */
    CH_PREFIX_FIRST = 16,   /* 将 接 大 约 近 达 不 低 超 逾 多 高: PREFIXES */
    CH_PREFIX_LAST = 32,    /* 近 约 足 到 过 逾 于 达 */
    CH_SUFFIX_FIRST = 64,   /* 以 之 左 上: SUFFIXES */
    CH_NOT_AFTER_FIRST = 128 /* 年 月 日 号 … : NOT_AFTER */
};

static const double CN_PLACES[] = {0, 10, 100, 1000, 1e4, 1e8};

#define CH(cp, dig1, bits) [CHAR_SLOT(cp)] = {cp, dig1, bits}
#define CN_DIGIT(cp, d) CH(cp, d + 1, 0)
#define WORD_CHAR(cp, flags) CH(cp, 0, flags)

static const struct char_entry {
    uint16_t cp;
    uint8_t dig1; /* digit + 1, 0 when not a digit */
    uint8_t bits; /* CH_PLACE and the flags */
} CHAR_TABLE[256] = {
    CN_DIGIT(0x96F6, 0), CN_DIGIT(0x3007, 0), /* 零 〇 */
    CN_DIGIT(0x4E00, 1), CN_DIGIT(0x58F9, 1), /* 一 壹 */
    CN_DIGIT(0x4E8C, 2), CN_DIGIT(0x4E24, 2), CN_DIGIT(0x5169, 2), /* 二 两 兩 */
    CN_DIGIT(0x8D30, 2), CN_DIGIT(0x8CB3, 2), /* 贰 貳 */
    CN_DIGIT(0x4E09, 3), CN_DIGIT(0x53C1, 3), CN_DIGIT(0x53C3, 3), /* 三 叁 參 */
    CN_DIGIT(0x56DB, 4), CN_DIGIT(0x8086, 4), /* 四 肆 */
    CN_DIGIT(0x4E94, 5), CN_DIGIT(0x4F0D, 5), /* 五 伍 */
    CN_DIGIT(0x516D, 6), CN_DIGIT(0x9646, 6), CN_DIGIT(0x9678, 6), /* 六 陆 陸 */
    CN_DIGIT(0x4E03, 7), CN_DIGIT(0x67D2, 7), /* 七 柒 */
    CN_DIGIT(0x516B, 8), CN_DIGIT(0x634C, 8), /* 八 捌 */
    CN_DIGIT(0x4E5D, 9), CN_DIGIT(0x7396, 9), /* 九 玖 */
    WORD_CHAR(0x5341, 1), WORD_CHAR(0x62FE, 1), /* 十 拾 */
    WORD_CHAR(0x767E, 2 | CH_MULT_FIRST), WORD_CHAR(0x4F70, 2), /* 百 佰 */
    WORD_CHAR(0x5343, 3 | CH_MULT_FIRST), WORD_CHAR(0x4EDF, 3), /* 千 仟 */
    WORD_CHAR(0x4E07, 4 | CH_MULT_FIRST), WORD_CHAR(0x842C, 4 | CH_MULT_FIRST), /* 万 萬 */
    WORD_CHAR(0x4EBF, 5 | CH_MULT_FIRST), WORD_CHAR(0x5104, 5 | CH_MULT_FIRST), /* 亿 億 */
    WORD_CHAR(0x5C06, CH_PREFIX_FIRST), WORD_CHAR(0x63A5, CH_PREFIX_FIRST), /* 将 接 */
    WORD_CHAR(0x5927, CH_PREFIX_FIRST), WORD_CHAR(0x4E0D, CH_PREFIX_FIRST), /* 大 不 */
    WORD_CHAR(0x4F4E, CH_PREFIX_FIRST), WORD_CHAR(0x8D85, CH_PREFIX_FIRST), /* 低 超 */
    WORD_CHAR(0x591A, CH_PREFIX_FIRST), WORD_CHAR(0x9AD8, CH_PREFIX_FIRST), /* 多 高 */
    WORD_CHAR(0x7EA6, CH_PREFIX_FIRST | CH_PREFIX_LAST), /* 约 */
    WORD_CHAR(0x8FD1, CH_PREFIX_FIRST | CH_PREFIX_LAST), /* 近 */
    WORD_CHAR(0x8FBE, CH_PREFIX_FIRST | CH_PREFIX_LAST), /* 达 */
    WORD_CHAR(0x903E, CH_PREFIX_FIRST | CH_PREFIX_LAST), /* 逾 */
    WORD_CHAR(0x8DB3, CH_PREFIX_LAST), WORD_CHAR(0x5230, CH_PREFIX_LAST), /* 足 到 */
    WORD_CHAR(0x8FC7, CH_PREFIX_LAST), WORD_CHAR(0x4E8E, CH_PREFIX_LAST), /* 过 于 */
    WORD_CHAR(0x4EE5, CH_SUFFIX_FIRST), WORD_CHAR(0x4E4B, CH_SUFFIX_FIRST), /* 以 之 */
    WORD_CHAR(0x5DE6, CH_SUFFIX_FIRST), WORD_CHAR(0x4E0A, CH_SUFFIX_FIRST), /* 左 上 */
    WORD_CHAR(0x5E74, CH_NOT_AFTER_FIRST), WORD_CHAR(0x6708, CH_NOT_AFTER_FIRST), /* 年 月 */
    WORD_CHAR(0x65E5, CH_NOT_AFTER_FIRST), WORD_CHAR(0x53F7, CH_NOT_AFTER_FIRST), /* 日 号 */
    WORD_CHAR(0x865F, CH_NOT_AFTER_FIRST), WORD_CHAR(0x65F6, CH_NOT_AFTER_FIRST), /* 號 时 */
    WORD_CHAR(0x6642, CH_NOT_AFTER_FIRST), WORD_CHAR(0x70B9, CH_NOT_AFTER_FIRST), /* 時 点 */
    WORD_CHAR(0x9EDE, CH_NOT_AFTER_FIRST), WORD_CHAR(0x5C4A, CH_NOT_AFTER_FIRST), /* 點 届 */
    WORD_CHAR(0x5C46, CH_NOT_AFTER_FIRST), WORD_CHAR(0x7EA7, CH_NOT_AFTER_FIRST), /* 屆 级 */
    WORD_CHAR(0x7D1A, CH_NOT_AFTER_FIRST), WORD_CHAR(0x9875, CH_NOT_AFTER_FIRST), /* 級 页 */
    WORD_CHAR(0x9801, CH_NOT_AFTER_FIRST), WORD_CHAR(0x7248, CH_NOT_AFTER_FIRST), /* 頁 版 */
    WORD_CHAR(0x5B66, CH_NOT_AFTER_FIRST), WORD_CHAR(0x5B78, CH_NOT_AFTER_FIRST), /* 学 學 */
    WORD_CHAR(0x697C, CH_NOT_AFTER_FIRST), WORD_CHAR(0x6A13, CH_NOT_AFTER_FIRST), /* 楼 樓 */
    WORD_CHAR(0x8DEF, CH_NOT_AFTER_FIRST), WORD_CHAR(0x5468, CH_NOT_AFTER_FIRST), /* 路 周 */
    WORD_CHAR(0x5B63, CH_NOT_AFTER_FIRST), /* 季 */
};

/* The entry of cp, or an empty one. */
static inline struct char_entry char_lookup(uint32_t cp)
{
    struct char_entry e = CHAR_TABLE[CHAR_SLOT(cp)];
    if (e.cp != cp)
        e.dig1 = e.bits = 0;
    return e;
}

/* Chinese numeral digits, or -1. */
static inline int cn_digit(uint32_t cp)
{
    return char_lookup(cp).dig1 - 1;
}

/* Chinese numeral place units, or 0. */
static inline double cn_place(uint32_t cp)
{
    return CN_PLACES[char_lookup(cp).bits & CH_PLACE];
}

/* A Chinese digit or place: what goes on with a numeral. */
static inline bool cn_numeral(uint32_t cp)
{
    struct char_entry e = char_lookup(cp);
    return e.dig1 || (e.bits & CH_PLACE);
}

/* The flags of the character at s[i] (a lead byte E0..EF: the words the
 * flags stand for are all three-byte characters), else 0. */
static inline unsigned char_flags_at(const char *s, size_t len, size_t i)
{
    if (i >= len || (unsigned char)s[i] < 0xE0)
        return 0;
    size_t n;
    return char_lookup(cp_at(s, len, i, &n)).bits;
}

/* Can a prefix qualifier start at s[i]?  (A cheap gate before the table.) */
static bool prefix_first(const char *s, size_t len, size_t i)
{
    return char_flags_at(s, len, i) & CH_PREFIX_FIRST;
}

/* Can a prefix qualifier end with the code point cp? */
static bool prefix_last(uint32_t cp)
{
    return char_lookup(cp).bits & CH_PREFIX_LAST;
}

/* 余 多 (and 餘) right after a number or a multiplier. */
static inline size_t infix_over_at(const char *s, size_t len, size_t i)
{
    size_t n = lit_at(s, len, i, "余");
    if (!n)
        n = lit_at(s, len, i, "多");
    if (!n)
        n = lit_at(s, len, i, "餘");
    return n;
}

/* ---- the two number readers ---------------------------------------------- */

typedef struct numtok {
    size_t end;         /* after the number */
    double value;
    bool placeholder;   /* a placeholder stood for some digit */
    bool overflow;
    bool decimal;       /* has a decimal part */
    bool trunc_dot;     /* ends in a decimal point with no digits after it */
    bool grouped;       /* thousands separators were read */
    size_t int_digits;  /* digits (and placeholders) before the point */
    bool lead_zero;     /* "05", "0851": a zero followed by more integer digits */
    bool is_one;        /* exactly 1 (also "01", "1.0") */
    size_t steps;       /* work steps of the read (num_work_steps), added up
                         * by the caller: the thread-local is costly */
} numtok;

static const double POW10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* ASCII bytes that may start a number: digits and placeholders. */
static const unsigned char ASCII_START[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1, ['x'] = 1, ['X'] = 1, ['_'] = 1, ['*'] = 1};

/* Does the byte c end read_arabic()'s loops, as it ends an integer part
 * (after_int) or a decimal one?  A lead byte E3..EE: read as cp_at() reads
 * it (whatever follows), U+3000..U+EFFF, where no digit (ASCII or
 * full-width U+FF10..), placeholder (ｘ Ｘ ＿ ＊ U+FFxx, × U+00D7, ○ U+25CB)
 * or comma (，) is: a CJK ideograph (E4..E9), or 、 and 。 (E3), which
 * end most heading and list numbers.  An ASCII byte other than a digit or
 * a placeholder (x X _ *), nor ',' or '.' after an integer part. */
static inline bool ends_digits(unsigned char c, bool after_int)
{
    return c - 0xE3u < 12 ||
           (c < 0x80 && !ASCII_START[c] && (!after_int || (c != ',' && c != '.')));
}

/* read_arabic() of its commonest inputs: one or more ASCII digits, maybe
 * an ASCII '.' and either one or more ASCII digits or no digit nor
 * placeholder (a point read_arabic() leaves out, trunc_dot: "29.分", "1.本"),
 * NUM_MAX_DIGITS digits or fewer in all, ended by the end of the text or a
 * byte of ends_digits().  read_arabic()'s loops take the same digits and end
 * there (no digit, placeholder or comma starts with that byte; after a
 * decimal part it reads nothing more), so the number is the integer of all
 * the digits divided by ten to the count of decimals: the mantissa and the
 * power read_arabic() divides (its leading zeros add nothing, and each
 * decimal counts), exact in a double, below 1e15 (no overflow).  A leading
 * zero when it starts with 0 and has more integer digits.  False, t
 * untouched, on any other input. */
static inline bool read_plain_digits(const char *s, size_t len, size_t i, numtok *t)
{
    uint64_t mant = 0;
    size_t j = i;
    while (j < len && j - i <= NUM_MAX_DIGITS && (unsigned char)(s[j] - '0') < 10) {
        mant = mant * 10 + (uint64_t)(s[j] - '0');
        j++;
    }
    size_t n = j - i, frac = 0;
    if (n == 0 || n > NUM_MAX_DIGITS)
        return false;
    size_t steps = n + 1; /* read_arabic()'s: each integer digit and its end */
    if (j + 1 < len && s[j] == '.' && (unsigned char)(s[j + 1] - '0') < 10) {
        size_t k = j + 1;
        while (k < len && n + frac <= NUM_MAX_DIGITS && (unsigned char)(s[k] - '0') < 10) {
            mant = mant * 10 + (uint64_t)(s[k] - '0');
            k++;
            frac++;
        }
        if (n + frac > NUM_MAX_DIGITS)
            return false;
        steps += frac + (k < len); /* each decimal and the end before len */
        j = k;
    }
    bool trunc_dot = false;
    if (j < len && !frac && s[j] == '.') {
        /* a point with no digit after it (that case is above): read_arabic()
         * ends there too, its decimal loop having read one byte (none at
         * the end), and leaves the point out */
        size_t k = j + 1;
        if (k < len && !ends_digits((unsigned char)s[k], false))
            return false;
        steps += k < len;
        trunc_dot = true;
    } else if (j < len && !ends_digits((unsigned char)s[j], !frac)) {
        return false;
    }
    memset(t, 0, sizeof *t);
    t->trunc_dot = trunc_dot;
    t->end = j;
    t->value = (double)mant / POW10[frac];
    t->decimal = frac > 0;
    t->int_digits = n;
    t->lead_zero = s[i] == '0' && n >= 2;
    t->is_one = t->value == 1;
    t->steps = steps;
    return true;
}

/* read_arabic() of a run of ASCII placeholders alone (xx, XX, __, **: a
 * redacted number) ended by the end of the text or a byte of
 * ends_digits() after an integer part: its loop takes the same bytes, each
 * a placeholder and an integer digit, and ends there without a point; no
 * digit was read, so the value is 0, with no leading zero nor overflow.
 * False, t untouched, on any other input. */
static inline bool read_plain_placeholders(const char *s, size_t len, size_t i, numtok *t)
{
    size_t j = i;
    while (j < len && (s[j] == 'x' || s[j] == 'X' || s[j] == '_' || s[j] == '*'))
        j++;
    if (j == i || (j < len && !ends_digits((unsigned char)s[j], true)))
        return false;
    memset(t, 0, sizeof *t);
    t->end = j;
    t->placeholder = true;
    t->int_digits = j - i;
    t->steps = j - i + 1; /* read_arabic()'s: each placeholder and the end */
    return true;
}

/* Read an Arabic number (or a placeholder run) at s[i].  The mantissa is
 * kept as an integer of at most NUM_MAX_DIGITS digits and divided once by an
 * exact power of ten, so "98.6" is the same double strtod gives. */
static bool read_arabic(const char *s, size_t len, size_t i, numtok *t)
{
    memset(t, 0, sizeof *t);
    uint64_t mant = 0;
    size_t sig = 0, frac = 0, n;
    size_t j = i;
    bool any = false, nonzero_seen = false, first_zero = false;
    size_t first_group = 0;
    size_t steps = 0; /* added to t->steps once */
    /* integer part, with thousands separators after a first group of 1-3 */
    for (;;) {
        steps++;
        if (j >= len)
            break;
        /* a CJK ideograph (lead E4..E9, U+4000..U+9FFF as cp_at() reads
         * it) is no digit, placeholder or comma: the integer part ends */
        if ((unsigned char)s[j] - 0xE4u < 6)
            break;
        int dv = digit_at(s, len, j, &n);
        size_t pn = dv < 0 ? placeholder_at(s, len, j) : 0;
        if (dv >= 0 || pn) {
            if (dv >= 0) {
                if (dv || nonzero_seen) {
                    nonzero_seen = true;
                    if (sig < NUM_MAX_DIGITS)
                        mant = mant * 10 + (uint64_t)dv;
                    sig++;
                }
                if (!any && dv == 0)
                    first_zero = true;
            } else {
                t->placeholder = true;
                if (nonzero_seen)
                    sig++;
                n = pn;
            }
            any = true;
            t->int_digits++;
            if (!t->grouped)
                first_group++;
            j += n;
            continue;
        }
        size_t cn = comma_at(s, len, j);
        if (cn && any && (t->grouped || first_group <= 3) && !first_zero) {
            /* exactly three digits, then no digit */
            size_t k = j + cn, cnt = 0, m;
            while (cnt < 3 && k < len && digit_at(s, len, k, &m) >= 0) {
                k += m;
                cnt++;
            }
            steps += cnt;
            if (cnt == 3 && !(k < len && (digit_at(s, len, k, &m) >= 0 || placeholder_at(s, len, k)))) {
                t->grouped = true;
                j += cn;
                continue;
            }
        }
        break;
    }
    if (!any) {
        t->steps += steps;
        return false;
    }
    t->lead_zero = first_zero && t->int_digits >= 2;
    size_t dn = dot_at(s, len, j);
    if (dn) {
        size_t k = j + dn;
        bool fany = false;
        while (k < len) {
            steps++;
            int dv = digit_at(s, len, k, &n);
            size_t pn = dv < 0 ? placeholder_at(s, len, k) : 0;
            if (dv < 0 && !pn)
                break;
            if (dv >= 0) {
                if (dv || nonzero_seen) {
                    nonzero_seen = true;
                    if (sig < NUM_MAX_DIGITS) {
                        mant = mant * 10 + (uint64_t)dv;
                        frac++;
                    }
                    sig++;
                } else if (frac < 22) {
                    frac++; /* a zero right after the point still scales */
                }
            } else {
                t->placeholder = true;
                n = pn;
            }
            fany = true;
            k += n;
        }
        if (fany) {
            t->decimal = true;
            j = k;
        } else {
            t->trunc_dot = true; /* the caller decides whether it belongs */
        }
    }
    t->end = j;
    if (sig > NUM_MAX_DIGITS || frac > 22) {
        t->overflow = true;
        t->value = 0;
    } else {
        t->value = (double)mant / POW10[frac];
        if (t->value > NUM_MAX_VALUE) {
            t->overflow = true;
            t->value = 0;
        }
    }
    t->is_one = !t->placeholder && !t->overflow && t->value == 1;
    t->steps += steps;
    return true;
}

/* Read a Chinese numeral at s[i]: 一千二百, 两千三百, 十余 (10), 九十八点六,
 * 二〇二一 (digit by digit), 一万五 (15000), 一千零五, 壹佰. */
static bool read_chinese(const char *s, size_t len, size_t i, bool big_start, numtok *t)
{
    memset(t, 0, sizeof *t);
    double total = 0, sect = 0, digits_value = 0;
    int pending = -1;          /* a digit not yet multiplied by a place */
    double last_place = 0;     /* the place just used: 一千二 → 二 is 200 */
    bool zero_gap = false;     /* 一千零五: the 五 is units */
    size_t nplace = 0, ndig = 0, chars = 0;
    size_t j = i, n;
    while (j < len) {
        t->steps++;
        uint32_t cp = cp_at(s, len, j, &n);
        int dv = cn_digit(cp);
        double pl = dv < 0 ? cn_place(cp) : 0;
        if (dv >= 0) {
            if (nplace == 0) {
                /* digit by digit until a place comes: 二〇二一 */
                if (ndig < NUM_MAX_DIGITS)
                    digits_value = digits_value * 10 + dv;
                else
                    t->overflow = true;
                ndig++;
                pending = dv;
            } else if (pending >= 0) {
                break; /* 十二五: two digits after a place end the number */
            } else if (dv == 0) {
                zero_gap = true;
            } else {
                pending = dv;
            }
        } else if (pl > 0) {
            if (nplace == 0 && ndig > 1)
                break; /* 三四十: not one number */
            /* 百 千 万 亿 start a numeral only after 逾/近… or before 余/多 */
            if (chars == 0 && pl > 10 &&
                !(big_start && pl <= 1000) &&
                !(pl <= 1000 && infix_over_at(s, len, j + n)))
                return false;
            if (pl >= 1e4) {
                double v = sect + (pending > 0 ? pending : 0);
                total = pl == 1e8 ? (total + v) * pl : total + v * pl;
                sect = 0;
            } else {
                sect += (pending >= 0 ? pending : 1) * pl;
            }
            if (total > NUM_MAX_VALUE || sect > NUM_MAX_VALUE) {
                t->overflow = true;
                total = sect = 0;
            }
            pending = -1;
            last_place = pl;
            zero_gap = false;
            nplace++;
        } else if ((cp == 0x70B9 || cp == 0x9EDE) && j + n < len) { /* 点 點 */
            size_t m, k = j + n, fd = 0;
            if (cn_digit(cp_at(s, len, k, &m)) < 0)
                break;
            double whole = nplace == 0 ? digits_value
                                       : total + sect + (pending > 0 ? pending : 0);
            uint64_t fm = 0;
            while (k < len) {
                t->steps++;
                int d = cn_digit(cp_at(s, len, k, &m));
                if (d < 0)
                    break;
                if (fd < NUM_MAX_DIGITS) {
                    fm = fm * 10 + (uint64_t)d;
                    fd++;
                }
                k += m;
            }
            t->decimal = true;
            t->end = k;
            t->value = t->overflow ? 0 : whole + (double)fm / POW10[fd];
            t->int_digits = ndig;
            t->is_one = false;
            return true;
        } else {
            break;
        }
        j += n;
        chars++;
    }
    t->end = j;
    if (chars == 0)
        return false;
    if (nplace == 0 && ndig > 1)
        return false; /* 二〇二一, 一一对应: digit by digit is a year or a word */
    t->int_digits = ndig;
    if (nplace == 0) {
        t->value = digits_value;
    } else {
        double p = pending > 0 ? pending : 0;
        if (pending > 0 && !zero_gap && last_place >= 100)
            p = pending * (last_place >= 1e8 ? 1e7 : last_place >= 1e4 ? 1e3 : last_place / 10);
        t->value = total + sect + p;
    }
    if (t->overflow || t->value > NUM_MAX_VALUE) {
        t->overflow = true;
        t->value = 0;
    }
    t->is_one = !t->overflow && t->value == 1;
    return true;
}

/* ---- the quantity grammar ------------------------------------------------ */

typedef struct qword {
    const char *lit;
    size_t n;
    qualifier q;
} qword;

#define QW(lit, q) {lit, sizeof(lit) - 1, q}

/* Longest first where one is the prefix of another. */
static const qword PREFIXES[] = {
    QW("将近", QUAL_APPROX), QW("接近", QUAL_APPROX), QW("大约", QUAL_APPROX), QW("约", QUAL_APPROX),
    QW("近", QUAL_APPROX),   QW("达不到", QUAL_UNDER), QW("不足", QUAL_UNDER), QW("不到", QUAL_UNDER),
    QW("不超过", QUAL_UNDER), QW("低于", QUAL_UNDER),  QW("超过", QUAL_OVER),  QW("逾", QUAL_OVER),
    QW("不少于", QUAL_OVER), QW("不低于", QUAL_OVER),  QW("多达", QUAL_OVER),  QW("高于", QUAL_OVER),
};

static const qword SUFFIXES[] = {
    QW("以上", QUAL_OVER),  QW("之上", QUAL_OVER),  QW("以下", QUAL_UNDER), QW("以内", QUAL_UNDER),
    QW("之内", QUAL_UNDER), QW("左右", QUAL_APPROX), QW("上下", QUAL_APPROX),
};

static const struct {
    const char *lit;
    size_t n;
    double mult;
} MULTS[] = {{"千万", 6, 1e7}, {"百万", 6, 1e6}, {"万", 3, 1e4},
             {"萬", 3, 1e4},   {"亿", 3, 1e8},   {"億", 3, 1e8}};

/* False when no word of MULTS starts at s[i]: the character there is none
 * of their first characters (a word found there begins with the same
 * bytes, which cp_at() reads as that character). */
static bool mult_first(const char *s, size_t len, size_t i)
{
    return char_flags_at(s, len, i) & CH_MULT_FIRST;
}

static inline size_t mult_at(const char *s, size_t len, size_t i, double *m)
{
    if (!mult_first(s, len, i))
        return 0;
    for (size_t k = 0; k < sizeof MULTS / sizeof MULTS[0]; k++) {
        size_t n = lit_at_n(s, len, i, MULTS[k].lit, MULTS[k].n);
        if (n) {
            *m = MULTS[k].mult;
            return n;
        }
    }
    return 0;
}

static inline size_t ratio_sep_at(const char *s, size_t len, size_t i)
{
    if (i < len && s[i] == ':')
        return 1;
    size_t n = lit_at(s, len, i, "∶");
    if (!n)
        n = lit_at(s, len, i, "︰");
    if (!n)
        n = lit_at(s, len, i, "：");
    if (!n)
        n = lit_at(s, len, i, "比");
    return n;
}

/* Range separators; *word is set for 至/到, which join only bare numbers. */
static inline size_t range_sep_at(const char *s, size_t len, size_t i, bool *word)
{
    *word = false;
    if (i >= len)
        return 0;
    if (s[i] == '~' || s[i] == '-')
        return 1;
    if ((unsigned char)s[i] < 0xE0)
        return 0;
    size_t n;
    uint32_t cp = cp_at(s, len, i, &n);
    if (cp == 0xFF5E /* ～ */ || cp == 0xFF0D /* － */ || cp == 0x2014 /* — */ ||
        cp == 0x2013 /* – */ || cp == 0x301C /* 〜 */)
        return n;
    *word = cp == 0x81F3 /* 至 */ || cp == 0x5230 /* 到 */;
    return *word ? n : 0;
}

/* Read a number of the given script at i. */
static bool read_number(const char *s, size_t len, size_t i, bool chinese, numtok *t)
{
    return chinese ? read_chinese(s, len, i, false, t) : read_arabic(s, len, i, t);
}

/* A placeholder run of x/X must not be part of a Latin word (Xbox, max). */
static bool latin_word_clash(const char *s, size_t len, size_t start, const numtok *t)
{
    if (!t->placeholder)
        return false;
    bool x_start = is_latin_x(s, len, start);
    bool x_end = t->end > start && is_latin_x(s, len, t->end - 1);
    if (x_start && ascii_alpha(cp_before(s, start)))
        return true;
    if (x_end && t->end < len && ascii_alpha((unsigned char)s[t->end]))
        return true;
    return false;
}

/* The unit at i, refusing readings that are words: 分之 (a fraction), and
 * 十分 / 一分 after a Chinese numeral (十分重要, 一分为二).  Inline: a lookup
 * behind a call with six arguments. */
static inline const num_unit *unit_here(const num_units *u, const char *s, size_t len, size_t i,
                                        bool chinese, size_t num_chars_bytes)
{
    const num_unit *un = unit_at(u, s, len, i);
    if (!un)
        return NULL;
    if (un->len == 3 && memcmp(un->surface, "分", 3) == 0) {
        if (lit_at(s, len, i + un->len, "之"))
            return NULL;
        if (chinese && num_chars_bytes <= 3)
            return NULL;
    }
    return un;
}

/* The unit "%" or "‰" from the table, for 百分之 / 千分之. */
static const num_unit *find_unit(const num_units *u, const char *surface)
{
    size_t n = strlen(surface);
    return u ? num_unit_at(u, surface, n, 0) : NULL;
}

static void set_unit(quantity *q, const num_unit *un)
{
    q->unit = un;
    /* copy_str() of a norm the loader made sure fits, with its NUL */
    memcpy(q->unit_norm, un->norm, un->norm_len + 1);
    q->dim = un->dim;
    q->change = un->dim == DIM_POINTS;
}

/* What the parser saw that the figure filter needs. */
typedef struct pinfo {
    size_t scanned;     /* how far it looked: num_next resumes there on rejection */
    size_t int_end;     /* end of the first number's integer (and decimal) part */
    size_t int_digits;  /* its integer digits */
    bool lead_zero;     /* "05", "0851" */
    bool decimal;
    bool trunc_dot;     /* "29.分": read as redacted */
    size_t steps;       /* work steps of the reads (numtok.steps) */
} pinfo;

/* read_arabic(), read_chinese() and read_number() adding their work steps
 * to pi.  read_arabic_pi() always inline in parse(): its plain digits are
 * most numbers, read without a call (about 1 M instructions and, by
 * cachegrind, 17 K mispredicted branches on 1 000 bench files). */
static inline __attribute__((always_inline)) bool read_arabic_pi(const char *s, size_t len,
                                                                 size_t i, numtok *t, pinfo *pi)
{
    /* the plain digits (and placeholders) without read_arabic()'s call
     * and set-up */
    bool ok = read_plain_digits(s, len, i, t) || read_plain_placeholders(s, len, i, t) ||
              read_arabic(s, len, i, t);
    pi->steps += t->steps;
    return ok;
}

static bool read_chinese_pi(const char *s, size_t len, size_t i, bool big_start, numtok *t,
                            pinfo *pi)
{
    bool ok = read_chinese(s, len, i, big_start, t);
    pi->steps += t->steps;
    return ok;
}

static bool read_number_pi(const char *s, size_t len, size_t i, bool chinese, numtok *t,
                           pinfo *pi)
{
    bool ok = read_number(s, len, i, chinese, t);
    pi->steps += t->steps;
    return ok;
}

/* The same for SUFFIXES. */
static bool suffix_first(const char *s, size_t len, size_t i)
{
    return char_flags_at(s, len, i) & CH_SUFFIX_FIRST;
}

static inline size_t suffix_at(const char *s, size_t len, size_t j, qualifier *qual)
{
    if (!suffix_first(s, len, j))
        return 0;
    for (size_t k = 0; k < sizeof SUFFIXES / sizeof SUFFIXES[0]; k++) {
        size_t n = lit_at_n(s, len, j, SUFFIXES[k].lit, SUFFIXES[k].n);
        if (n) {
            *qual = SUFFIXES[k].q;
            return n;
        }
    }
    return 0;
}

/* After the number: [余|多] [万|亿] [余|多] unit.  Returns the bytes taken
 * (0: nothing), the multiplier in *mult, the unit in *un, and whether an
 * infix 余/多 was read.  Always inline in parse(), its two callers
 * there: a call passed nine arguments, three of them through memory, for
 * what is mostly one unit lookup (about 1 M instructions on 1 000 bench
 * files). */
static inline __attribute__((always_inline)) size_t
tail_at(const num_units *u, const char *s, size_t len, size_t k0, bool chinese, size_t num_bytes,
        double *mult, const num_unit **un, bool *over)
{
    size_t k = k0, n;
    *mult = 1;
    *un = NULL;
    *over = false;
    if ((*un = unit_here(u, s, len, k, chinese, num_bytes)))
        return k + (*un)->len - k0;
    double m;
    if ((n = infix_over_at(s, len, k))) {
        *over = true;
        k += n;
        /* "80余 万元": one blank may follow 余 */
        size_t sp = space_at(s, len, k);
        if (sp && (unit_here(u, s, len, k + sp, chinese, 99) || mult_at(s, len, k + sp, &m)))
            k += sp;
        if ((*un = unit_here(u, s, len, k, chinese, 99)))
            return k + (*un)->len - k0;
    }
    if ((n = mult_at(s, len, k, &m))) {
        *mult = m;
        k += n;
        if ((n = infix_over_at(s, len, k))) {
            *over = true;
            k += n;
        }
        k += space_at(s, len, k) && unit_here(u, s, len, k + space_at(s, len, k), chinese, 99)
                 ? space_at(s, len, k)
                 : 0;
        if ((*un = unit_here(u, s, len, k, chinese, 99)))
            return k + (*un)->len - k0;
    }
    return k - k0;
}

/* Can parse() read a separator at s[j] right after a number: a ratio
 * separator, a decimal point (a trunc_dot), a range separator, a blank? */
static bool separates_number(const char *s, size_t len, size_t j)
{
    bool word;
    return ratio_sep_at(s, len, j) || dot_at(s, len, j) || range_sep_at(s, len, j, &word) ||
           space_at(s, len, j);
}

/* Can parse() read anything at s[j] right after a number, units aside?
 * A separator, 余/多, a multiplier or a suffix qualifier (words by their
 * first character): all it tries there. */
static bool follows_number(const char *s, size_t len, size_t j)
{
    return separates_number(s, len, j) || infix_over_at(s, len, j) || mult_first(s, len, j) ||
           suffix_first(s, len, j);
}

/* The three-byte characters at which separates_number() is true, then
 * those at which follows_number() is true besides.  Listed rather than
 * found by trying all 63 488 code points (about 7 M instructions per
 * extractor); test_numbers.c tries them all and checks that parse() and
 * num_next() give the same with the table as without it. */
static const char SEP3[] = "∶︰：比．～－—–〜至到\xE3\x80\x80";
static const char WORD3[] = "余多餘千百万萬亿億以之左上";

enum { FOLLOW_ANY = 1, FOLLOW_SEP = 2 };

/* Set the bits of the three-byte characters of list in table. */
static void set_bits3(uint64_t *table, const char *list, size_t n)
{
    for (size_t k = 0; k + 3 <= n; k += 3) {
        const unsigned char *w = (const unsigned char *)list + k;
        table[start3_word(w)] |= (uint64_t)1 << (w[2] & 63);
    }
}

/* cont1 and cont3 (see numbers.h): separates_number() and
 * follows_number() of every ASCII byte, the characters of SEP3 and WORD3,
 * and the first character of every unit.  A three-byte sequence with
 * continuation bytes out of place shares the bit of the code point cp_at()
 * reads it as: the checks by code point give it the same answer, and the
 * literals (and units) match only the proper encoding, whose bit is set.
 * False when memory ran out. */
static bool build_cont(num_units *u)
{
    u->cont3 = calloc(2 * START3_WORDS, sizeof *u->cont3);
    if (!u->cont3)
        return false;
    for (size_t b = 0; b < 256; b++) {
        char c = (char)b;
        if (b >= 0x80)
            u->cont1[b] = FOLLOW_ANY | FOLLOW_SEP;
        else
            u->cont1[b] = (unsigned char)((follows_number(&c, 1, 0) || u->nfirst[b] > 0
                                               ? FOLLOW_ANY
                                               : 0) |
                                          (separates_number(&c, 1, 0) ? FOLLOW_SEP : 0));
    }
    set_bits3(u->cont3, SEP3, sizeof SEP3 - 1);
    set_bits3(u->cont3 + START3_WORDS, SEP3, sizeof SEP3 - 1);
    set_bits3(u->cont3, WORD3, sizeof WORD3 - 1);
    for (size_t k = 0; k < u->n; k++) {
        const unsigned char *w = (const unsigned char *)u->units[k].surface;
        if (w[0] < 0xE0 || w[0] >= 0xF0)
            continue; /* cont1[w[0]] is set */
        if (u->units[k].len < 3) {
            /* a surface cut inside its first character: no table */
            free(u->cont3);
            u->cont3 = NULL;
            return true;
        }
        set_bits3(u->cont3, u->units[k].surface, 3);
    }
    return true;
}

/* What parse() may read at s[j] after a number (see build_cont): without
 * FOLLOW_ANY, ratio_sep_at(), range_sep_at(), tail_at(), space_at() and
 * suffix_at() all return 0 there; without FOLLOW_SEP, ratio_sep_at(),
 * dot_at(), range_sep_at() and space_at() do.  Both when it cannot tell
 * (a lead byte other than E0..EF, a sequence cut by the end, no table). */
static inline unsigned follow_at(const num_units *u, const char *s, size_t len, size_t j)
{
    if (j >= len)
        return 0; /* every one of them checks the length first */
    if (!u || !u->cont3)
        return FOLLOW_ANY | FOLLOW_SEP;
    const unsigned char *p = (const unsigned char *)s;
    if (p[j] - 0xE0u < 16) {
        if (j + 2 >= len)
            return FOLLOW_ANY | FOLLOW_SEP;
        size_t w = start3_word(p + j);
        unsigned bit = p[j + 2] & 63;
        return (unsigned)(u->cont3[w] >> bit & 1) * FOLLOW_ANY |
               (unsigned)(u->cont3[START3_WORDS + w] >> bit & 1) * FOLLOW_SEP;
    }
    return u->cont1[p[j]];
}

/* The core parser. */
static bool parse(const num_units *u, const char *s, size_t len, size_t pos, quantity *q,
                  pinfo *pi)
{
    /* a copy of a zero quantity, not memset(): the compiler makes the copy
     * a dozen 16-byte moves, where it gives memset() of this size a
     * `rep stos`, slow to start for a couple of hundred bytes */
    static const quantity ZERO_QUANTITY;
    *q = ZERO_QUANTITY;
    memset(pi, 0, sizeof *pi);
    q->mult = 1;
    pi->scanned = pos;
    size_t i = pos, n;
    if (i >= len)
        return false;
    for (size_t k = 0; k < sizeof PREFIXES / sizeof PREFIXES[0] && prefix_first(s, len, i); k++) {
        n = lit_at_n(s, len, i, PREFIXES[k].lit, PREFIXES[k].n);
        if (n) {
            q->qual_pre = PREFIXES[k].q;
            i += n;
            i += space_at(s, len, i);
            break;
        }
    }
    /* 百分之 / 千分之 */
    const char *per = NULL;
    if ((unsigned char)s[i] >= 0xE0 && /* a digit, mostly: neither word */
        ((n = lit_at(s, len, i, "百分之")) || (n = lit_at(s, len, i, "千分之")))) {
        per = memcmp(s + i, "百", 3) == 0 ? "%" : "‰";
        i += n;
        q->per_prefix = true;
    }
    numtok a;
    size_t num_at = i;
    bool chinese = false;
    if (!read_arabic_pi(s, len, i, &a, pi)) {
        if (per && lit_at(s, len, i, "百") &&
            !(i + 3 < len && cn_digit(cp_at(s, len, i + 3, &n)) >= 0)) {
            /* 百分之百, 百分之百点五 is not written; 百分之一百 is read below */
            memset(&a, 0, sizeof a);
            a.value = 100;
            a.end = i + 3;
        } else if (!read_chinese_pi(s, len, i, q->qual_pre != QUAL_NONE, &a, pi)) {
            if (a.end > pi->scanned)
                pi->scanned = a.end;
            return false;
        }
        chinese = true;
    }
    pi->scanned = a.end;
    if (latin_word_clash(s, len, num_at, &a))
        return false;
    pi->int_end = a.end;
    pi->int_digits = a.int_digits;
    pi->lead_zero = a.lead_zero;
    pi->decimal = a.decimal;
    q->chinese = chinese;
    q->num_start = num_at;
    q->num_end = a.end;
    q->redacted = a.placeholder;
    q->overflow = a.overflow;
    q->number = a.value;
    size_t j = a.end;
    /* Nothing after the number that the steps below read (!goes_on): each
     * of them finds nothing and j stays at a.end.  No separator there
     * (!sep): the ratio, the range and the blank before the tail are not
     * tried.  j moves before them only past a trunc_dot's point, which is
     * a separator. */
    unsigned follow = follow_at(u, s, len, j);
    bool goes_on = follow & FOLLOW_ANY, sep = follow & FOLLOW_SEP;

    /* ratio: 1:17.3, 17.3:1, 1比17.3, 01:22 (spreadsheet damage) */
    if (sep && !chinese && !per && !a.trunc_dot && (n = ratio_sep_at(s, len, j))) {
        numtok b;
        /* A dot after the right side that no unit follows ends the sentence
         * (师机比达到1:1.有效…), it does not cut a decimal. */
        if (read_arabic_pi(s, len, j + n, &b, pi) && !latin_word_clash(s, len, j + n, &b) &&
            (!b.trunc_dot || !unit_here(u, s, len, b.end + dot_at(s, len, b.end), false, 99))) {
            pi->scanned = b.end;
            bool bi = lit_at(s, len, j, "比") > 0;
            bool clock = !a.decimal && !b.decimal && !a.placeholder && !b.placeholder &&
                         b.int_digits == 2 && a.int_digits <= 2 && a.value < 24 && b.value < 60;
            if (bi || a.is_one || b.is_one || !clock) {
                q->is_ratio = true;
                q->left = a.value;
                q->right = b.value;
                q->redacted = a.placeholder || b.placeholder;
                q->overflow = a.overflow || b.overflow;
                if (a.is_one && !b.is_one)
                    q->value = b.value;
                else if (b.is_one)
                    q->value = a.value;
                else
                    q->value = a.value > b.value ? a.value : b.value;
                q->number = q->value;
                q->num_end = b.end;
                j = b.end;
                j += suffix_at(s, len, j, &q->qual_post);
                q->unit_start = q->unit_end = b.end;
                goto finish;
            }
        }
    }

    /* a decimal point with nothing after it: "29.分" is a truncated number,
     * unless the number opens its clause ("注:1.本公报", "\n2.本…"): then it
     * is a list number and the character after the dot starts a sentence */
    if (a.trunc_dot) {
        size_t dn = dot_at(s, len, j);
        if (!per && !list_number_at(s, q->num_start) &&
            unit_here(u, s, len, j + dn, chinese, 99)) {
            pi->trunc_dot = true;
            q->redacted = true;
            j += dn;
            q->num_end = j;
        }
    }

    /* a range of bare numbers: 148~207分, 1至2名, 三至五所 */
    bool word;
    numtok hi;
    bool have_hi = false;
    if (sep && !per && !pi->trunc_dot && (n = range_sep_at(s, len, j, &word))) {
        if (read_number_pi(s, len, j + n, chinese, &hi, pi) && !latin_word_clash(s, len, j + n, &hi) &&
            !hi.trunc_dot) {
            if (pi->scanned < hi.end)
                pi->scanned = hi.end;
            /* a date (2018-05-15) or a list 1-2-3 is not a range */
            size_t m, sn = range_sep_at(s, len, hi.end, &word);
            bool more = sn && digit_at(s, len, hi.end + sn, &m) >= 0;
            if (!more && (hi.placeholder || a.placeholder || hi.value >= a.value)) {
                have_hi = true;
                q->is_range = true;
                q->redacted = q->redacted || hi.placeholder;
                q->overflow = q->overflow || hi.overflow;
                j = hi.end;
                q->num_end = j;
            }
        }
    }

    /* [余|多] [万|亿] [余|多] [blank] unit */
    double mult = 1;
    const num_unit *un = NULL;
    if (per) {
        un = find_unit(u, per);
        if (!un) {
            copy_str(q->unit_norm, sizeof q->unit_norm, per);
            q->dim = per[0] == '%' ? DIM_PERCENT : DIM_PERMILLE;
        }
        q->unit_start = q->unit_end = j;
    } else if (goes_on) {
        bool over;
        size_t took = tail_at(u, s, len, j, chinese, a.end - num_at, &mult, &un, &over);
        if (!took) {
            /* one blank before the rest: "30 多名", "1.25 亿元", "50 %" */
            size_t sp = sep ? space_at(s, len, j) : 0;
            if (sp) {
                double m2;
                const num_unit *u2;
                bool o2;
                size_t t2 = tail_at(u, s, len, j + sp, chinese, 99, &m2, &u2, &o2);
                if (t2 && (u2 || m2 != 1)) {
                    took = sp + t2;
                    mult = m2;
                    un = u2;
                    over = o2;
                }
            }
        }
        if (over)
            q->qual_post = QUAL_OVER;
        if (un) {
            q->unit_start = j + took - un->len;
            q->unit_end = j + took;
        } else {
            q->unit_start = q->unit_end = j + took;
        }
        j += took;
    } else {
        q->unit_start = q->unit_end = j;
    }
    if (un)
        set_unit(q, un);

    /* 20%-30%: a second quantity with the same unit */
    if (!have_hi && un && !per && (n = range_sep_at(s, len, j, &word)) && !word) {
        numtok b;
        if (read_number_pi(s, len, j + n, chinese, &b, pi) && !b.trunc_dot &&
            !latin_word_clash(s, len, j + n, &b)) {
            if (pi->scanned < b.end)
                pi->scanned = b.end;
            const num_unit *u2 = num_unit_at(u, s, len, b.end);
            if (u2 == un && (b.placeholder || a.placeholder || b.value >= a.value)) {
                have_hi = true;
                hi = b;
                q->is_range = true;
                q->redacted = q->redacted || b.placeholder;
                q->overflow = q->overflow || b.overflow;
                q->num_end = b.end;
                q->unit_start = b.end;
                q->unit_end = b.end + u2->len;
                j = q->unit_end;
            }
        }
    }

    /* suffix qualifier; an infix 余/多 already read takes precedence */
    qualifier suf = QUAL_NONE;
    if (goes_on)
        j += suffix_at(s, len, j, &suf);
    if (q->qual_post == QUAL_NONE)
        q->qual_post = suf;
    if (un)
        mult *= un->mult;
    q->mult = mult;
    q->value = a.value * mult;
    if (have_hi)
        q->value_hi = hi.value * mult;
    if (q->value > NUM_MAX_VALUE || q->value_hi > NUM_MAX_VALUE)
        q->overflow = true;

finish:
    q->start = pos;
    q->end = j;
    if (pi->scanned < j)
        pi->scanned = j;
    q->qual = q->qual_post != QUAL_NONE ? q->qual_post : q->qual_pre;
    if (q->redacted)
        q->overflow = false; /* no value to overflow: a placeholder is a placeholder */
    q->has_value = !q->redacted && !q->overflow;
    if (!q->has_value) {
        q->value = q->value_hi = q->number = 0;
        q->left = q->right = 0;
    }
    return true;
}

bool num_parse_at(const num_units *u, const char *text, size_t len, size_t pos, quantity *q)
{
    pinfo pi;
    bool ok = parse(u, text, len, pos, q, &pi);
    work_add(pi.steps);
    return ok;
}

/* ---- which quantities are figures ---------------------------------------- */

/* Could a number start at s[i]?  Cheap: a byte test, then a code point. */
static inline bool candidate(const num_units *u, const char *s, size_t len, size_t i, bool *chinese)
{
    unsigned char c = (unsigned char)s[i];
    *chinese = false;
    if (c < 0x80)
        return (c >= '0' && c <= '9') || c == 'x' || c == 'X' || c == '_' || c == '*';
    size_t n;
    uint32_t cp = cp_at(s, len, i, &n);
    if (n == 1)
        return false;
    if (cp >= 0x4E00 && cp < 0xA000 && u && u->byfirst) {
        unsigned off = cp - 0x4E00;
        if (!(u->cjk_start[off >> 3] & (1u << (off & 7))))
            return false;
    }
    switch (cp) {
    case 0xFF58: case 0xFF38: case 0x00D7: case 0xFF3F: case 0xFF0A: case 0x25CB:
        return true;
    default:
        break;
    }
    if (cp >= 0xFF10 && cp <= 0xFF19)
        return true;
    if (cn_digit(cp) >= 0 || cp == 0x5341 || cp == 0x62FE) {
        *chinese = true;
        return true;
    }
    if (cp == 0x767E || cp == 0x5343) { /* 百 千: 百分之, 千分之, 千余, 逾千 */
        *chinese = true;
        return true;
    }
    return false;
}

/* Words after a bare number that make it a date, a time, an ordinal, a
 * page or a level rather than an amount. */
#define NA(w) {w, sizeof(w) - 1}
static const struct {
    const char *w;
    size_t n;
} NOT_AFTER[] = {NA("年"),   NA("月"),   NA("日"), NA("号"), NA("號"), NA("时"),
                 NA("時"),   NA("点"),   NA("點"), NA("届"), NA("屆"), NA("级"),
                 NA("級"),   NA("页"),   NA("頁"), NA("版"), NA("学年"), NA("學年"),
                 NA("楼"),   NA("樓"),   NA("路"), NA("周年"), NA("季度")};
#undef NA

/* The same for NOT_AFTER. */
static bool not_after_first(const char *s, size_t len, size_t i)
{
    return char_flags_at(s, len, i) & CH_NOT_AFTER_FIRST;
}

/* True when every word of MULTS, SUFFIXES and NOT_AFTER passes its
 * first-character filter above (checked when the units load, so a word
 * added to a table without its character in the filter is caught). */
static bool first_filters_hold(void)
{
    size_t entries = 0;
    for (size_t k = 0; k < sizeof CHAR_TABLE / sizeof CHAR_TABLE[0]; k++)
        entries += CHAR_TABLE[k].dig1 || CHAR_TABLE[k].bits;
    if (entries != CHAR_ENTRIES)
        return false;
    for (size_t k = 0; k < sizeof PREFIXES / sizeof PREFIXES[0]; k++)
        if (!prefix_first(PREFIXES[k].lit, PREFIXES[k].n, 0) ||
            !prefix_last(cp_before(PREFIXES[k].lit, PREFIXES[k].n)))
            return false;
    for (size_t k = 0; k < sizeof MULTS / sizeof MULTS[0]; k++)
        if (!mult_first(MULTS[k].lit, MULTS[k].n, 0))
            return false;
    for (size_t k = 0; k < sizeof SUFFIXES / sizeof SUFFIXES[0]; k++)
        if (!suffix_first(SUFFIXES[k].lit, SUFFIXES[k].n, 0))
            return false;
    for (size_t k = 0; k < sizeof NOT_AFTER / sizeof NOT_AFTER[0]; k++)
        if (!not_after_first(NOT_AFTER[k].w, NOT_AFTER[k].n, 0))
            return false;
    return true;
}

static bool not_after_at(const char *s, size_t len, size_t i)
{
    if (!not_after_first(s, len, i))
        return false;
    for (size_t k = 0; k < sizeof NOT_AFTER / sizeof NOT_AFTER[0]; k++)
        if (lit_at_n(s, len, i, NOT_AFTER[k].w, NOT_AFTER[k].n))
            return true;
    return false;
}

static bool line_start_before(const char *s, size_t i)
{
    while (i > 0) {
        char c = s[i - 1];
        if (c == '\n' || c == '\r')
            return true;
        if (c == ' ' || c == '\t')
            i--;
        else if (lit_before(s, i, "\xE3\x80\x80"))
            i -= 3;
        else
            return false;
    }
    return true;
}

/* 统一, 唯一, 万一 …: 一 inside a word, not a count. */
static bool word_before_yi(uint32_t cp)
{
    switch (cp) {
    case 0x7EDF: /* 统 */ case 0x552F: /* 唯 */ case 0x5355: /* 单 */ case 0x540C: /* 同 */
    case 0x9010: /* 逐 */ case 0x4E13: /* 专 */ case 0x5212: /* 划 */ case 0x5747: /* 均 */
    case 0x4E07: /* 万 */ case 0x4E4B: /* 之 */ case 0x5176: /* 其 */ case 0x53E6: /* 另 */
    case 0x5408: /* 合 */ case 0x5F52: /* 归 */ case 0x6574: /* 整 */ case 0x8FDB: /* 进 */
    case 0x521D: /* 初 */ case 0x9AD8: /* 高 */ case 0x5468: /* 周 */ case 0x661F: /* 星 */
    case 0x6BCF: /* 每 */ case 0x4EFB: /* 任 */ case 0x7B2C: /* 第 */ case 0x5E74: /* 年 */
        return true;
    default:
        return false;
    }
}

static bool open_bracket(uint32_t c)
{
    return c == '(' || c == '[' || c == 0x3014 /* 〔 */ || c == 0x3010 /* 【 */ ||
           c == 0xFF08 /* （ */ || c == 0xFF3B /* ［ */ || c == 0x2474 /* ⑴-like */;
}

static bool close_bracket(uint32_t c)
{
    return c == ')' || c == ']' || c == 0x3015 || c == 0x3011 || c == 0xFF09 || c == 0xFF3D;
}

/* Is the parsed quantity q a figure?  (The grammar accepted it.)  at_i is
 * cp_before(s, i), which num_next() has already read: the same when the
 * number starts at i. */
static bool is_figure(const char *s, size_t len, const quantity *q, const pinfo *pi, size_t i,
                      uint32_t at_i)
{
    if (q->overflow)
        return false;
    uint32_t before = q->num_start == i ? at_i : cp_before(s, q->num_start);
    size_t m;
    uint32_t after_num = pi->int_end < len ? cp_at(s, len, pi->int_end, &m) : 0;
    if (q->per_prefix)
        return !lit_before(s, q->num_start - 9, "第");
    /* ordinals: 第五中学, 第3名; times: 8点30分, 3时20分 */
    if (before == 0x7B2C /* 第 */)
        return false;
    if ((before == 0x70B9 /* 点 */ || before == 0x65F6 /* 时 */) && q->num_start >= 4) {
        uint32_t b2 = cp_before(s, q->num_start - 3);
        if ((b2 >= '0' && b2 <= '9') || cn_digit(b2) >= 0 || cn_place(b2) == 10)
            return false;
    }
    if (q->chinese) {
        if (!q->unit)
            return false;
        if (q->number == 1 && pi->int_end - q->num_start == 3 && word_before_yi(before))
            return false;
        return true;
    }
    if (q->is_ratio)
        return !ascii_alpha(before);
    /* a heading number: "2. ", "3、", "1)" at the start of a line */
    if (!pi->decimal &&
        (after_num == '.' || after_num == 0x3001 /* 、 */ || after_num == ')' ||
         after_num == 0xFF0E || after_num == 0xFF09 || after_num == 0xFF1A ||
         (after_num == ' ' && !q->unit)) &&
        line_start_before(s, q->num_start)) /* the walk back last: most fail before */
        return false;
    /* a list number after a colon or a sentence end: "注:1.本公报" */
    if (!pi->decimal && after_num == '.' && list_number_at(s, q->num_start) &&
        pi->int_end + 1 < len && (unsigned char)s[pi->int_end + 1] >= 0xE3)
        return false;
    /* a model or a code: ADOS-2, A3, 40w */
    if (ascii_alpha(before))
        return false;
    if ((before == '-' || before == '_') && q->num_start >= 2 &&
        ascii_alpha((unsigned char)s[q->num_start - 2]))
        return false;
    if (q->is_ratio)
        return true;
    bool bare = q->unit == NULL;
    if (bare) {
        if (not_after_at(s, len, q->end))
            return false;
    }
    if (q->redacted)
        return !bare;
    if (!bare)
        return true;
    /* a file size or a code: 101.50 KB, 3/7, 12#, 8:30, 2018.5.15, 0851-1234567 */
    size_t k = q->end + space_at(s, len, q->end);
    if (k < len && (ascii_alpha((unsigned char)s[k]) || s[k] == '#' || s[k] == '@'))
        return false;
    if (before == '/' || before == '#' || before == '@' || before == '.')
        return false;
    if (q->end < len) {
        char c = s[q->end];
        if ((c == '.' || c == ':' || c == '-' || c == '/') && q->end + 1 < len &&
            digit_at(s, len, q->end + 1, &m) >= 0)
            return false;
    }
    if ((before == '-' || before == ':') && q->num_start >= 2 && s[q->num_start - 2] >= '0' &&
        s[q->num_start - 2] <= '9')
        return false;
    /* years, phone numbers and codes with leading zeros */
    if (pi->lead_zero && !pi->decimal)
        return false;
    if (!pi->decimal && !q->is_range) {
        if (pi->int_digits == 4 && q->number >= 1900 && q->number <= 2100)
            return false;
        if (pi->int_digits >= 7 && !memchr(s + q->num_start, ',', pi->int_end - q->num_start))
            return false;
        if (pi->lead_zero)
            return false;
    }
    if (q->is_range && pi->int_digits == 4 && q->number >= 1900 && q->number <= 2100)
        return false;
    /* in brackets: (1), [3], 〔2021〕, 【2】 */
    if (open_bracket(before) && q->end < len && close_bracket(cp_at(s, len, q->end, &m)))
        return false;
    return true;
}

/* End of the compound token of digits and single separators at i, so a
 * rejected date, time or phone number is skipped whole. */
static size_t token_end(const char *s, size_t len, size_t i, size_t *steps)
{
    size_t n;
    while (i < len) {
        (*steps)++;
        if (digit_at(s, len, i, &n) >= 0) {
            i += n;
            continue;
        }
        char c = s[i];
        if ((c == '.' || c == ':' || c == '-' || c == '/') && i + 1 < len &&
            digit_at(s, len, i + 1, &n) >= 0) {
            i++;
            continue;
        }
        break;
    }
    return i;
}

/* A prefix qualifier that ends at i (maybe before one blank), not before
 * floor: num_next then parses from its start.  prev is cp_before(s, i). */
static size_t prefix_start(const char *s, size_t floor, size_t i, uint32_t prev)
{
    size_t sp = i > floor && s[i - 1] == ' ' ? 1 : 0;
    if (!prefix_last(sp ? cp_before(s, i - 1) : prev))
        return i;
    for (size_t k = 0; k < sizeof PREFIXES / sizeof PREFIXES[0]; k++) {
        size_t n = PREFIXES[k].n;
        if (i >= floor + n && lit_before_n(s, i, PREFIXES[k].lit, n))
            return i - n;
        if (sp && i >= floor + n + sp && lit_before_n(s, i - sp, PREFIXES[k].lit, n))
            return i - sp - n;
    }
    return i;
}

/* True when the candidate at i is a lone Chinese digit (or 十) of
 * U+4E00..U+9FFF that parse() would read as a unitless number of one
 * character, which is_figure() refuses: the next character neither goes on
 * with the numeral (a digit, a place, 点/點) nor opens a range, a blank, an
 * infix 余/多, a multiplier, a suffix qualifier or a unit.  parse() then ends
 * the number and q->end and pi.scanned at i + 3, whatever prefix qualifier
 * prefix_start() found before i (no prefix literal is the start of another,
 * so parse() reads the same one and reaches i), so num_next() rejects it and
 * goes on at i + 3.  (Half the candidates of a report are such: 一步, 九年一贯制,
 * 队伍, 一、.)  The work steps are those of read_arabic() (one) and
 * read_chinese() (two: the numeral and the character that ends it). */
static inline bool lone_cn_after(const num_units *u, const char *s, size_t len, size_t i);

static bool lone_cn_numeral(const num_units *u, const char *s, size_t len, size_t i)
{
    size_t n;
    uint32_t c1 = cp_at(s, len, i, &n);
    return n == 3 && c1 >= 0x4E00 && c1 < 0xA000 && (cn_digit(c1) >= 0 || cn_place(c1) == 10) &&
           lone_cn_after(u, s, len, i);
}

/* The rest of lone_cn_numeral(), for a digit or 十 of U+4E00..U+9FFF at
 * s[i .. i + 3): nothing that goes on with it from i + 3. */
static inline bool lone_cn_after(const num_units *u, const char *s, size_t len, size_t i)
{
    if (i + 3 >= len)
        return false;
    size_t j = i + 3, m;
    uint32_t c2 = cp_at(s, len, j, &m);
    if (cn_numeral(c2) || c2 == 0x70B9 /* 点 */ || c2 == 0x9EDE /* 點 */)
        return false;
    /* where follow_at() says nothing follows, none of the rest reads */
    if (!(follow_at(u, s, len, j) & FOLLOW_ANY))
        return true;
    bool word;
    double mult;
    qualifier qual;
    return !range_sep_at(s, len, j, &word) && !space_at(s, len, j) && !infix_over_at(s, len, j) &&
           !mult_at(s, len, j, &mult) && !suffix_at(s, len, j, &qual) && !num_unit_at(u, s, len, j);
}

static size_t char_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Does the byte b at a character start never begin a number, nor need
 * candidate() to say so?  ASCII other than digits and placeholders, and
 * continuation bytes and C0..C2 (which cp_at() reads as one byte, or as
 * U+0000..U+00BF, none of which candidate() takes).  Lead bytes C3 and up
 * are left to the caller. */
static inline bool skip_byte(unsigned char b)
{
    return b < 0x80 ? !ASCII_START[b] : b < 0xC3;
}

/* Does the walk of skip_to_candidate() stop at the three-byte sequence at
 * p[i] (lead E0..EF, i < len - 2)?  Its start3 bit, by the sequence read
 * as cp_at() reads it (continuation bytes or not). */
static inline bool start3_stops(const uint64_t *start3, const unsigned char *p, size_t i)
{
    return start3[start3_word(p + i)] >> (p[i + 2] & 63) & 1;
}

/* The first position at or after i where a number may start, or len: the
 * bytes before it are skip_byte() bytes and three-byte sequences that
 * start3_stops() passes, passed whole.  What it stops at goes to
 * candidate(): a byte of ASCII_START, a lead byte C3..DF or F0..FF, a
 * three-byte sequence with its bit set, a lead E0..EF in the last two
 * bytes.  Without start3 every lead byte from C3 on stops it.  One loop,
 * one table word per three-byte character, taken with a 16-bit load and a
 * mask. */
static inline size_t skip_to_candidate(const uint64_t *start3, const unsigned char *p, size_t i,
                                       size_t len)
{
    size_t lim3 = len >= 2 ? len - 2 : 0; /* i < lim3: three bytes at i */
    if (start3) {
        while (i < lim3) {
            unsigned b = p[i];
            if (b - 0xE0 < 16) {
                if (start3_stops(start3, p, i))
                    return i;
                i += 3;
            } else if (skip_byte((unsigned char)b)) {
                i++;
            } else {
                return i;
            }
        }
    }
    while (i < len && skip_byte(p[i]))
        i++;
    return i;
}

/* One step of that loop at p[i] (i < len - 2, start3 there): how far it
 * goes on, 1 over a skip_byte() byte, 3 over a three-byte sequence that
 * start3_stops() passes, or 0 where it stops. */
static inline size_t pass_len(const uint64_t *start3, const unsigned char *p, size_t i)
{
    unsigned b = p[i];
    if (b - 0xE0 < 16)
        return start3_stops(start3, p, i) ? 0 : 3;
    return skip_byte((unsigned char)b) ? 1 : 0;
}

/* ---- the walk's filter, for its AVX2 blocks ------------------------------ */

/* A position is marked when the walk may stop there, judged by the byte
 * there and the two after it (so the same whatever block reads it):
 *   - a byte that stops the walk whatever follows it (ASCII_START, the lead
 *     bytes that are not skip_byte() but E0..EF, and the leads E0..EF of
 *     the rows whose start3 words are all set): a 256-bit set read with
 *     two nibble tables, scan_nib[0] by the low nibble and [1] by the
 *     high one, exact while the set's bytes have eight high nibbles or
 *     fewer (more share a bit: a few bytes more pass);
 *   - a three-byte character of one of the seven groups below: the lead
 *     byte's low nibble, and both nibbles of the second and third bytes,
 *     each among those of a group's characters (bit k for group k, from
 *     scan_nib[2], [4] and [5], [6] and [7]): a few characters more than
 *     listed pass (丰 布 准 招 … on the bench files, about one for each two
 *     listed ones met), never fewer;
 *   - a lead E0..EF whose next two bytes are not both continuation bytes
 *     (80..BF): the walk passes them with it, whatever they are.  Bit 7 of
 *     the tables of the second and third bytes' high nibbles marks 8..B
 *     (bit 7 of the others is set for every nibble), so that bit alone
 *     left means a lead E0..EF followed by two continuation bytes and
 *     none of the groups.
 * No continuation byte is ever marked (the one-byte set holds none, the
 * groups and the third case want a lead).  So from any position i the
 * walk meets the first marked position at or after i exactly: before it,
 * each byte is a skip_byte() byte (one step) or the lead of a three-byte
 * character whose bit is clear (three steps, over two continuation bytes,
 * which are not the marked one).  There pass_len() says whether it stops.
 *
 * The groups hold every character of U+2000..U+3FFF, U+4000..U+9FFF and
 * U+F000..U+FFFF that start3 lets through (cjk_start, candidate()),
 * grouped so that few common characters share all their nibbles with a
 * group (the full-width forms are folded to ASCII in the working text, so
 * they go where they let no common character through);
 * build_scan_filter() checks that they hold all of them
 * (scan_filter_holds; a unit test fails if not) and leaves scan_avx2 off
 * if not. */
#define SCAN_NGROUPS 7
#define SCAN_CONT 0x80 /* the bit of "both continuation bytes" */
static const char *const SCAN_GROUPS[SCAN_NGROUPS] = {
    "一七三两佰壹", "〇九二伍五仟７", "十千叁參陆肆○", "柒百拾四", "八六兩１３４９", "貳贰零６０陸２",
    "捌＊Ｘ玖８ｘ５＿",
};

/* Is p[i] marked (see above), from its byte and the next two, b1 and b2?
 * The AVX2 code computes the same, 32 positions at a time. */
static bool scan_filter_at(const num_units *u, unsigned char b0, unsigned char b1,
                           unsigned char b2)
{
    const unsigned char(*nib)[16] = u->scan_nib;
    bool one = nib[0][b0 & 15] & nib[1][b0 >> 4];
    unsigned g = nib[2][b0 & 15] & nib[4][b1 & 15] & nib[5][b1 >> 4] & nib[6][b2 & 15] &
                 nib[7][b2 >> 4];
    return one || (b0 >> 4 == 0x0E && g != SCAN_CONT);
}

/* Do all the words of lead byte b's rows in start3 let everything through
 * (the walk stops at b, whatever follows)? */
static bool lead_always_stops(const uint64_t *start3, unsigned b)
{
    for (unsigned mid = 0x80; mid < 0xC0; mid++)
        if (start3[start3_word((const unsigned char[]){(unsigned char)b, (unsigned char)mid})] !=
            ~(uint64_t)0)
            return false;
    return true;
}

/* Build scan_nib, scan_filter_holds and scan_avx2 (see numbers.h). */
static void build_scan_filter(num_units *u)
{
    memset(u->scan_nib, 0, sizeof u->scan_nib);
    u->scan_filter_holds = false;
    u->scan_avx2 = false;
    if (!u->start3)
        return;
    /* the bytes that stop the walk whatever follows, their high nibbles
     * numbered in turn (bit 7 shared beyond the eighth) */
    bool one[256];
    unsigned char hibit[16] = {0};
    unsigned nhi = 0;
    for (unsigned b = 0; b < 256; b++) {
        one[b] = b < 0x80 ? ASCII_START[b]
                 : b - 0xE0 < 16 ? lead_always_stops(u->start3, b)
                                 : !skip_byte((unsigned char)b);
        if (one[b] && !hibit[b >> 4])
            hibit[b >> 4] = (unsigned char)(1u << (nhi < 8 ? nhi++ : 7));
    }
    for (unsigned b = 0; b < 256; b++)
        if (one[b]) {
            u->scan_nib[0][b & 15] |= hibit[b >> 4];
            u->scan_nib[1][b >> 4] = hibit[b >> 4];
        }
    for (unsigned x = 0; x < 16; x++) {
        u->scan_nib[2][x] = u->scan_nib[4][x] = u->scan_nib[6][x] = SCAN_CONT;
        if (x >= 8 && x < 12)
            u->scan_nib[5][x] = u->scan_nib[7][x] = SCAN_CONT;
    }
    for (unsigned k = 0; k < SCAN_NGROUPS; k++)
        for (const unsigned char *c = (const unsigned char *)SCAN_GROUPS[k]; *c; c += 3) {
            unsigned char bit = (unsigned char)(1u << k);
            u->scan_nib[2][c[0] & 15] |= bit;
            u->scan_nib[4][c[1] & 15] |= bit;
            u->scan_nib[5][c[1] >> 4] |= bit;
            u->scan_nib[6][c[2] & 15] |= bit;
            u->scan_nib[7][c[2] >> 4] |= bit;
        }
    /* (scan_nib[3], the lead's high nibble, stays 0: the filter tests
     * that it is E itself) */
    /* every three-byte sequence start3 lets through must be marked */
    for (unsigned b0 = 0xE0; b0 < 0xF0; b0++)
        for (unsigned b1 = 0x80; b1 < 0xC0 && !one[b0]; b1++) {
            const unsigned char seq[2] = {(unsigned char)b0, (unsigned char)b1};
            uint64_t bits = u->start3[start3_word(seq)];
            for (unsigned t = 0; bits; t++, bits >>= 1)
                if ((bits & 1) && !scan_filter_at(u, seq[0], seq[1], (unsigned char)(0x80 | t)))
                    return;
        }
    u->scan_filter_holds = true;
    u->scan_avx2 = u->avx2;
}

/* Where the AVX2 walk is: the block of 64 positions it read last and its
 * marks, bit k for base + k (mask 0: none, or no block yet).  It starts
 * with base = i - 64 (modulo 2^64), so that no block holds i. */
typedef struct scan_block {
    size_t base;
    uint64_t mask;
} scan_block;

#if EDX_AVX2_DISPATCH
/* tab[x] for each byte x (0..15) of idx. */
__attribute__((target("avx2"))) static inline __m256i nib_lookup(const unsigned char *tab,
                                                                 __m256i idx)
{
    __m128i t = _mm_loadu_si128((const __m128i *)(const void *)tab);
    return _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(t), idx);
}

/* The marked positions (scan_filter_at()) of the 32 bytes from p + at, bit
 * k for p[at + k]; the text must hold at + 34 bytes. */
__attribute__((target("avx2"))) static inline uint32_t marks_avx2(const unsigned char (*nib)[16],
                                                                  const unsigned char *p, size_t at)
{
    const __m256i low = _mm256_set1_epi8(0x0F);
    __m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)(p + at));
    __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + at + 1));
    __m256i v2 = _mm256_loadu_si256((const __m256i *)(const void *)(p + at + 2));
    __m256i lo0 = _mm256_and_si256(v0, low);
    __m256i hi0 = _mm256_and_si256(_mm256_srli_epi16(v0, 4), low);
    __m256i one = _mm256_and_si256(nib_lookup(nib[0], lo0), nib_lookup(nib[1], hi0));
    __m256i mid = _mm256_and_si256(nib_lookup(nib[4], _mm256_and_si256(v1, low)),
                                   nib_lookup(nib[5], _mm256_and_si256(_mm256_srli_epi16(v1, 4), low)));
    __m256i last = _mm256_and_si256(nib_lookup(nib[6], _mm256_and_si256(v2, low)),
                                    nib_lookup(nib[7], _mm256_and_si256(_mm256_srli_epi16(v2, 4), low)));
    __m256i g = _mm256_and_si256(nib_lookup(nib[2], lo0), _mm256_and_si256(mid, last));
    __m256i lead3 = _mm256_cmpeq_epi8(hi0, _mm256_set1_epi8(0x0E));
    __m256i plain3 = _mm256_cmpeq_epi8(g, _mm256_set1_epi8((char)SCAN_CONT));
    __m256i any = _mm256_or_si256(one, _mm256_andnot_si256(plain3, lead3));
    __m256i none = _mm256_cmpeq_epi8(any, _mm256_setzero_si256());
    return ~(uint32_t)_mm256_movemask_epi8(none);
}

/* The first block from `at` on (in steps of 64) with a mark; mask 0 when
 * there is none before the last 65 bytes (base: where the blocks stopped).
 * Returned by value, in two registers. */
__attribute__((target("avx2"))) static scan_block next_marks_avx2(const unsigned char (*nib)[16],
                                                                  const unsigned char *p, size_t at,
                                                                  size_t len)
{
    for (; len >= 66 && at <= len - 66; at += 64) {
        uint64_t m = marks_avx2(nib, p, at) | (uint64_t)marks_avx2(nib, p, at + 32) << 32;
        if (m)
            return (scan_block){at, m};
    }
    return (scan_block){at, 0};
}

/* skip_to_candidate(u->start3, p, i, len) from the marks of blocks of 64
 * positions, *b kept between calls with i not going back: the first marked
 * position at or after i is where the walk arrives (see above), and
 * pass_len() says whether it stops there or where it goes on.  The last
 * bytes, which no block reads, go to skip_to_candidate() from a position
 * the walk from i arrives at: the first unread one, or before it the
 * nearest that is not a continuation byte (the walk passes only
 * continuation bytes over), or i. */
static inline size_t skip_to_candidate_avx2(const num_units *u, const unsigned char *p, size_t i,
                                            size_t len, scan_block *b)
{
    const uint64_t *start3 = u->start3;
    for (;;) {
        size_t d = i - b->base;
        uint64_t m = d < 64 ? b->mask & (UINT64_MAX << d) : 0;
        if (!m) {
            /* no mark in [i, the block's end): the next block with one */
            size_t at = d < 64 ? b->base + 64 : i;
            if (at >= len)
                return len;
            scan_block next = next_marks_avx2(u->scan_nib, p, at, len);
            if (!next.mask) {
                /* no block holds i, nor any later position of the walk */
                b->base = i - 64;
                b->mask = 0;
                size_t r = next.base;
                while (r > i && (p[r] & 0xC0) == 0x80)
                    r--;
                return skip_to_candidate(start3, p, r, len);
            }
            *b = next;
            m = next.mask; /* all at or after at, so after i */
        }
        size_t at = b->base + (size_t)__builtin_ctzll(m);
        size_t n = pass_len(start3, p, at); /* a block's position: at < len - 2 */
        if (!n)
            return at;
        i = at + n;
    }
}
#endif

/* skip_to_candidate(start3, p, i, len), with the AVX2 blocks *b when avx2
 * (u->scan_avx2, start3 there). */
static inline size_t next_candidate(const num_units *u, const uint64_t *start3,
                                    const unsigned char *p, size_t i, size_t len, bool avx2,
                                    scan_block *b)
{
#if EDX_AVX2_DISPATCH
    if (avx2)
        return skip_to_candidate_avx2(u, p, i, len, b);
#else
    (void)u;
    (void)avx2;
    (void)b;
#endif
    return skip_to_candidate(start3, p, i, len);
}

/* num_next() without the thread-local: its work steps are added to *nsteps,
 * which num_next() adds to work_steps once (a thread-local costs a call of
 * the runtime per access in the shared library). */
static inline bool next_figure(const num_units *u, const char *text, size_t len, size_t pos,
                               quantity *q, size_t *nsteps)
{
    const char *s = text;
    size_t i = pos;
    size_t steps = 0; /* stored in *nsteps on return */
    /* The bits of the three-byte sequences that may start a number, when
     * the table is there (candidate() uses cjk_start on the same
     * condition). */
    const uint64_t *start3 = u && u->byfirst ? u->start3 : NULL;
    bool avx2 = start3 && u->scan_avx2;
    scan_block block = {pos - 64, 0};
    while (i < len) {
        size_t from = i;
        i = next_candidate(u, start3, (const unsigned char *)s, i, len, avx2, &block);
        steps += i - from;
        if (i >= len) {
            *nsteps = steps;
            return false;
        }
        steps++;
        unsigned char c = (unsigned char)s[i];
        bool chinese = false;
        if (c - 0xE4u < 6 && i + 2 < len) {
            /* A character of U+4000..U+9FFF (as cp_at() reads it), where
             * candidate() takes the Chinese digits and 十 拾 百 千 (no
             * placeholder nor full-width digit is there) and
             * lone_cn_numeral() asks about the digits and 十 拾 (all of
             * U+4E00..U+9FFF): both answers from one look at the table. */
            size_t n;
            uint32_t cp = cp_at(s, len, i, &n);
            struct char_entry e = char_lookup(cp);
            bool lone_kind = e.dig1 || (e.bits & CH_PLACE) == 1; /* a digit, 十 拾 */
            if (!lone_kind && cp != 0x767E /* 百 */ && cp != 0x5343 /* 千 */) {
                i += 3;
                continue;
            }
            if (lone_kind && lone_cn_after(u, s, len, i)) {
                steps += 3;
                i += 3;
                continue;
            }
            chinese = true;
        } else if (c >= 0x80 && !candidate(u, s, len, i, &chinese)) {
            /* The loops above stop at an ASCII byte only in ASCII_START,
             * which candidate() takes (a digit or a placeholder, not
             * Chinese). */
            i += char_len(c);
            continue;
        } else if (chinese && lone_cn_numeral(u, s, len, i)) {
            steps += 3;
            i += 3;
            continue;
        }
        uint32_t prev = cp_before(s, i);
        if ((c == 'x' || c == 'X') && ascii_alpha(prev)) {
            while (i < len && ascii_alpha((unsigned char)s[i]))
                i++;
            continue;
        }
        size_t start = prefix_start(s, pos, i, prev);
        pinfo pi;
        bool ok = parse(u, s, len, start, q, &pi);
        steps += pi.steps;
        if (!ok && start != i) {
            start = i;
            ok = parse(u, s, len, i, q, &pi);
            steps += pi.steps;
        }
        if (ok && is_figure(s, len, q, &pi, i, prev)) {
            *nsteps = steps;
            return true;
        }
        size_t next = pi.scanned > i ? pi.scanned : i + char_len(c);
        if (!chinese) {
            size_t te = token_end(s, len, i, &steps);
            if (te > next)
                next = te;
        }
        i = next;
    }
    *nsteps = steps;
    return false;
}

bool num_next(const num_units *u, const char *text, size_t len, size_t pos, quantity *q)
{
    size_t steps = 0;
    bool found = next_figure(u, text, len, pos, q, &steps);
    work_add(steps);
    return found;
}

size_t num_scan_stops(const num_units *u, const char *text, size_t len, bool avx2, size_t *out,
                      size_t max)
{
    const unsigned char *p = (const unsigned char *)text;
    const uint64_t *start3 = u && u->byfirst ? u->start3 : NULL;
    size_t n = 0, i = 0;
    scan_block block = {(size_t)0 - 64, 0};
    avx2 = avx2 && start3 && u->scan_avx2;
    while (i < len && n < max) {
        i = next_candidate(u, start3, p, i, len, avx2, &block);
        if (i >= len)
            break;
        out[n++] = i;
        i += n % 2 ? 1 : char_len(p[i]);
    }
    return n;
}
