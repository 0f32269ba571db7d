/* decode.c -- charset detection and decoding to UTF-8 with replacement. */
#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "text.h"

static const char REPLACEMENT_UTF8[] = "\xEF\xBF\xBD";

/* Copy UTF-8 input, replacing each invalid byte sequence by U+FFFD. */
static bool copy_utf8(const char *s, size_t len, buf *out, size_t *replaced)
{
    /* Runs of well-formed characters are copied at once. */
    if (!buf_reserve(out, len))
        return false;
    size_t i = 0, run = 0;
    while (i < len) {
        size_t start = i;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp = utf8_next(s, len, &i);
        if (cp == UTF8_REPLACEMENT && i - start == 1) {
            buf_append(out, s + run, start - run);
            buf_append(out, REPLACEMENT_UTF8, 3);
            (*replaced)++;
            run = i;
        }
    }
    buf_append(out, s + run, i - run);
    return !out->failed;
}

/* Unit width of a charset's code units, used to skip a bad sequence. */
static size_t skip_width(const char *charset)
{
    return strncasecmp(charset, "UTF-16", 6) == 0 ? 2 : 1;
}

/* The detection between GB18030 and Big5 counts how many decoded characters
 * fall in a small set of characters that are frequent in simplified-Chinese
 * education reports (their Big5 misreadings are rare characters); a
 * character listed twice counts twice.  They are kept in a small hash table
 * of their UTF-8 bytes, and counted as the decoded text is written (see
 * put_ucs4()). */
static const char *const FREQUENT[] = {
    "的", "是", "学", "教", "育", "校", "生", "年", "工", "作", "发", "展", "师",
    "和", "在", "了", "有", "中", "为", "人", "率", "达", "到", "国", "县", "区",
    "學", "師", "發", "國", "會", "為", "這", "與", "達", "個", "縣", "區", NULL};

#define FREQ_SLOTS 128 /* a power of two, over three times the characters */

typedef struct freq_table {
    uint32_t slot_key[FREQ_SLOTS]; /* three UTF-8 bytes as a number; 0: empty */
    unsigned slot_n[FREQ_SLOTS];   /* times listed */
    /* by lead byte E4..E9 (every frequent character has one): bit (second
     * byte & 63) set when a frequent character starts with those two bytes;
     * the table is asked only then */
    uint64_t lead2[6];
} freq_table;

static unsigned freq_slot(uint32_t key)
{
    return (unsigned)((key * 2654435761u) >> 16) & (FREQ_SLOTS - 1);
}

static void freq_table_init(freq_table *ft)
{
    memset(ft, 0, sizeof *ft);
    for (const char *const *f = FREQUENT; *f; f++) {
        const unsigned char *u = (const unsigned char *)*f;
        uint32_t k = (uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2];
        unsigned h = freq_slot(k);
        while (ft->slot_key[h] && ft->slot_key[h] != k)
            h = (h + 1) & (FREQ_SLOTS - 1);
        ft->slot_key[h] = k;
        ft->slot_n[h]++;
        ft->lead2[u[0] - 0xE4] |= UINT64_C(1) << (u[1] & 63);
    }
}

/* How many times key counts (0 when it is not listed). */
static unsigned freq_lookup(const freq_table *ft, uint32_t key)
{
    for (unsigned h = freq_slot(key); ft->slot_key[h]; h = (h + 1) & (FREQ_SLOTS - 1))
        if (ft->slot_key[h] == key)
            return ft->slot_n[h];
    return 0;
}

/* How many times code point c, written as the UTF-8 bytes b0 b1 b2 (it is
 * in U+0800..U+FFFF), counts as frequent.  The UTF-8 of U+4000..U+9FFF is
 * what starts with E4..E9, where every frequent character is; the table is
 * asked only when one starts with b0 b1. */
static unsigned freq_count(const freq_table *ft, uint32_t c, unsigned b0, unsigned b1,
                           unsigned b2)
{
    if (c - 0x4000 >= 0x6000 || !((ft->lead2[b0 - 0xE4] >> (b1 & 63)) & 1))
        return 0;
    return freq_lookup(ft, (uint32_t)b0 << 16 | (uint32_t)b1 << 8 | b2);
}

/* Append n code points, given as UCS-4LE bytes, to out in UTF-8.  They come
 * from iconv's GB18030 or Big5 decoder, which yields Unicode scalar values
 * only (no surrogates, nothing above U+10FFFF), each written as iconv's
 * UTF-8 encoder would write it.  With ft, *common is increased by the
 * frequent characters written (see freq_count()). */
static void put_ucs4(buf *out, const unsigned char *p, size_t n, const freq_table *ft,
                     size_t *common)
{
    if (n == 0 || !buf_reserve(out, 4 * n))
        return;
    unsigned char *o = (unsigned char *)out->data + out->len;
    for (size_t k = 0; k < n; k++, p += 4) {
        uint32_t c = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24;
        if (c - 0x800 < 0x10000 - 0x800) { /* three bytes first: most of Chinese text */
            unsigned char b0 = (unsigned char)(0xE0 | c >> 12);
            unsigned char b1 = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            unsigned char b2 = (unsigned char)(0x80 | (c & 0x3F));
            *o++ = b0;
            *o++ = b1;
            *o++ = b2;
            if (ft)
                *common += freq_count(ft, c, b0, b1, b2);
        } else if (c < 0x80) {
            *o++ = (unsigned char)c;
        } else if (c < 0x800) {
            *o++ = (unsigned char)(0xC0 | c >> 6);
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        } else {
            *o++ = (unsigned char)(0xF0 | c >> 18);
            *o++ = (unsigned char)(0x80 | (c >> 12 & 0x3F));
            *o++ = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            *o++ = (unsigned char)(0x80 | (c & 0x3F));
        }
    }
    out->len = (size_t)((char *)o - out->data);
    out->data[out->len] = '\0';
}

/* GB18030 and Big5 are converted to UCS-4 and written as UTF-8 here: the
 * same text, without iconv's second step (its UTF-8 encoder costs several
 * times the decoding).  Other charsets go to UTF-8 through iconv. */
static bool via_ucs4(const char *charset)
{
    return strcmp(charset, "GB18030") == 0 || strcmp(charset, "BIG5") == 0;
}

/* Where an iconv conversion stands: the output, the replacements made so far
 * and the frequent characters counted (with ft; see put_ucs4()). */
typedef struct conv_state {
    buf *out;
    size_t *replaced;
    size_t max_bad;      /* stop once *replaced exceeds it */
    const freq_table *ft;
    size_t *common;
    bool ucs4;           /* cd converts to UCS-4LE (else to UTF-8) */
    size_t step;         /* bytes to skip over a bad sequence */
    struct shadow_run *shadow; /* the other reading to follow (see shadow_run) */
} conv_state;

/* Convert s[*at..to) with cd, appending to cs->out and replacing each bad
 * sequence by U+FFFD (skipping cs->step bytes of it).  `to` is the end of
 * the input when at_end; otherwise a character cut by `to` is left for the
 * next call (*at stops before it) instead of being replaced as truncated.
 * Returns false once *replaced exceeds max_bad (*at is then meaningless). */
static bool convert_span(iconv_t cd, const char *s, size_t *at, size_t to, bool at_end,
                         conv_state *cs)
{
    char *in = (char *)s + *at;
    size_t inleft = to - *at;
    char chunk[16384];
    bool going = true;
    while (inleft > 0) {
        char *o = chunk;
        size_t oleft = sizeof chunk;
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
        if (cs->ucs4)
            put_ucs4(cs->out, (const unsigned char *)chunk, (sizeof chunk - oleft) / 4, cs->ft,
                     cs->common);
        else
            buf_append(cs->out, chunk, sizeof chunk - oleft);
        if (rc != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        if (errno == EINVAL && !at_end)
            break;  /* cut by the window, not by the end of the input */
        /* EILSEQ: a bad sequence; EINVAL: truncated at the end. */
        buf_append(cs->out, REPLACEMENT_UTF8, 3);
        (*cs->replaced)++;
        if (*cs->replaced > cs->max_bad) {
            going = false;
            break;
        }
        size_t k = cs->step < inleft ? cs->step : inleft;
        if (errno == EINVAL)
            k = inleft;
        in += k;
        inleft -= k;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    *at = (size_t)(in - s);
    return going;
}

/* Write out whatever shift state cd holds (nothing for the stateless
 * charsets, kept for the others), then close it. */
static void convert_close(iconv_t cd, conv_state *cs)
{
    char chunk[16384];
    char *o = chunk;
    size_t oleft = sizeof chunk;
    iconv(cd, NULL, NULL, &o, &oleft);
    if (cs->ucs4)
        put_ucs4(cs->out, (const unsigned char *)chunk, (sizeof chunk - oleft) / 4, cs->ft,
                 cs->common);
    else
        buf_append(cs->out, chunk, sizeof chunk - oleft);
    iconv_close(cd);
}
/* Two-byte characters of GB18030 and Big5 by table.
 *
 * Decoding through iconv costs about a hundred instructions per character
 * (its gconv loop, then put_ucs4()).  Each extractor therefore asks iconv
 * once, when it is made, what every two-byte code of these charsets decodes
 * to, and keeps the answers: decoding is then one lookup per character, and
 * iconv is still asked about everything else (GB18030's four-byte codes,
 * bad and truncated sequences, codes the table left out).  No table data is
 * written by hand, so iconv stays the reference.
 *
 * Why the lookup gives iconv's answer: both charsets are stateless and
 * ASCII-compatible, and a character is read from its own bytes alone, so
 * the code at any position decodes the same whatever precedes or follows
 * it; ASCII bytes are themselves (checked when the table is built), never
 * part of a two-byte code, and a two-byte code is in the table only when
 * iconv decoded exactly those two bytes to exactly one character. */
#define PAIR_TRAIL0 0x40 /* trail bytes asked about: 0x40..0xFE */
#define PAIR_TRAIL_END 0xFF

/* An entry: the character's UTF-8 in bytes 0..2 (the unused ones 0), and
 * in byte 3 its length (bits 0..1) and its count as a frequent character
 * (see FREQUENT; bits 2..7); byte 3 is 0 when the table does not know the
 * code.  Four bytes, so that an entry is copied out whole.  Indexed by
 * every lead byte 0x80..0xFF and trail byte (128 KB): a lookup needs no
 * range check, the codes never asked about being unknown. */
typedef struct pair_table {
    const char *charset; /* "GB18030" or "BIG5", as via_ucs4() names them */
    unsigned char code[128 * 256][4];
} pair_table;

/* The tables are made on the first input that needs them (GB18030 or Big5
 * text, detected or named): a caller that never sees those charsets does
 * not pay for them (about 5 M instructions and 256 KB per extractor).  The
 * state is the one change after decode_tables_new(), settled once under an
 * atomic state as rx.c settles its JIT code: the first thread to need the
 * tables makes them, the others wait for READY or NONE; the tables are
 * read-only from then on. */
enum { TABLES_LATER = 0, TABLES_BUSY, TABLES_READY, TABLES_NONE };

struct decode_tables {
    atomic_int state;
    pair_table *gb18030, *big5;
    freq_table freq;  /* for the detection, made once here too */
};

/* The codes asked about when a table is built: the charset's own range of
 * lead bytes, and trail bytes 0x40..0xFE but for [gap_lo, gap_hi] (codes
 * left out only cost an iconv call when they occur, and Big5 has no codes
 * with trail bytes 0x7F..0xA0: asking about them would cost the build one
 * failed conversion each). */
typedef struct pair_range {
    const char *charset;
    unsigned lead_lo, lead_hi, gap_lo, gap_hi;
} pair_range;

static const pair_range GB18030_PAIRS = {"GB18030", 0x81, 0xFE, 0x7F, 0x7F};
static const pair_range BIG5_PAIRS = {"BIG5", 0xA1, 0xF9, 0x7F, 0xA0};

/* Where the entry for lead (0x80..0xFF), trail is. */
static unsigned pair_slot(unsigned lead, unsigned trail)
{
    return (lead - 0x80) << 8 | trail;
}

/* The table's entry for lead (0x80..0xFF), trail. */
static const unsigned char *pair_code(const pair_table *t, unsigned lead, unsigned trail)
{
    return t->code[pair_slot(lead, trail)];
}

/* The Big5 reading of the input followed alongside its GB18030 trial (see
 * decode()).  While every character is ASCII or a two-byte code that both
 * tables know, the two readings cut the input into the same characters: up
 * to `end`, the Big5 reading needs no replacement and holds `common`
 * frequent characters, known without decoding it a second time. */
typedef struct shadow_run {
    const pair_table *t; /* the Big5 table; NULL once the readings part */
    size_t common;       /* frequent characters of the Big5 reading of [0, end) */
    size_t end;          /* where the readings part (the input's length if never) */
} shadow_run;

/* The entry for code point c (in the BMP, not a surrogate), which put_ucs4()
 * would write as these UTF-8 bytes and count with ft. */
static inline void pair_entry(unsigned char e[4], uint32_t c, const freq_table *ft)
{
    unsigned n = 0;
    if (c < 0x80) {
        e[0] = (unsigned char)c;
        e[3] = 1;
    } else if (c < 0x800) {
        e[0] = (unsigned char)(0xC0 | c >> 6);
        e[1] = (unsigned char)(0x80 | (c & 0x3F));
        e[3] = 2;
    } else {
        e[0] = (unsigned char)(0xE0 | c >> 12);
        e[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        e[2] = (unsigned char)(0x80 | (c & 0x3F));
        n = freq_count(ft, c, e[0], e[1], e[2]);
        e[3] = n < 64 ? (unsigned char)(3 | n << 2) : 0; /* else left to iconv */
    }
}

/* The UCS-4LE code point at p. */
static uint32_t ucs4_at(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* True when cd decodes each ASCII byte to itself. */
static bool ascii_is_itself(iconv_t cd)
{
    char in[128], outb[4 * 128];
    for (int b = 0; b < 128; b++)
        in[b] = (char)b;
    char *ip = in, *op = outb;
    size_t ileft = sizeof in, oleft = sizeof outb;
    if (iconv(cd, &ip, &ileft, &op, &oleft) == (size_t)-1 || oleft != 0)
        return false;
    for (int b = 0; b < 128; b++)
        if (ucs4_at((const unsigned char *)outb + 4 * b) != (uint32_t)b)
            return false;
    return true;
}

/* Fill t from one conversion of every code in range, each followed by a
 * newline: the code points between two newlines are what that code decodes
 * to (a newline comes only from the byte 0x0A, which no two-byte code
 * contains).  A code iconv rejects stops the conversion; the codes before
 * it are read, it stays unknown, and the conversion goes on after it. */
static bool pair_table_fill(pair_table *t, iconv_t cd, const pair_range *r,
                            const freq_table *ft)
{
    size_t max = sizeof t->code / sizeof t->code[0];
    unsigned char *in = malloc(3 * max);
    uint16_t *slot = malloc(max * sizeof *slot);  /* entry of each code asked */
    unsigned char *outb = malloc(4 * 3 * max);     /* at most a character a byte */
    bool ok = in && slot && outb;
    size_t n = 0;
    for (unsigned lead = r->lead_lo; ok && lead <= r->lead_hi; lead++) {
        for (unsigned trail = PAIR_TRAIL0; trail < PAIR_TRAIL_END;
             trail = trail + 1 == r->gap_lo ? r->gap_hi + 1 : trail + 1) {
            in[3 * n] = (unsigned char)lead;
            in[3 * n + 1] = (unsigned char)trail;
            in[3 * n + 2] = '\n';
            slot[n++] = (uint16_t)pair_slot(lead, trail);
        }
    }
    size_t k = 0; /* the first code of this conversion */
    while (ok && k < n) {
        char *ip = (char *)in + 3 * k, *op = (char *)outb;
        size_t ileft = 3 * (n - k), oleft = 4 * 3 * max;
        size_t rc = iconv(cd, &ip, &ileft, &op, &oleft);
        if (rc == (size_t)-1 && errno != EILSEQ) {
            ok = false; /* no truncation or lack of room is possible here */
            break;
        }
        size_t stop = rc == (size_t)-1 ? (size_t)((unsigned char *)ip - in) / 3 : n;
        const unsigned char *p = outb, *end = (const unsigned char *)op;
        for (; k < stop && p + 8 <= end; k++) {
            uint32_t c = ucs4_at(p);
            if (c != '\n' && ucs4_at(p + 4) == '\n') {
                /* one character: the code's, unless it needs four bytes */
                if (c < 0x10000 && (c < 0xD800 || c > 0xDFFF))
                    pair_entry(t->code[slot[k]], c, ft);
                p += 8;
                continue;
            }
            while (p < end && ucs4_at(p) != '\n') /* none, or more than one */
                p += 4;
            p += 4;
        }
        k = stop + 1;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    free(in);
    free(slot);
    free(outb);
    return ok;
}

/* The table of charset as iconv decodes it; NULL when iconv does not know
 * the charset, reads ASCII otherwise, or memory ran out. */
static pair_table *pair_table_new(const pair_range *r, const freq_table *ft)
{
    iconv_t cd = iconv_open("UCS-4LE", r->charset);
    if (cd == (iconv_t)-1)
        return NULL;
    pair_table *t = calloc(1, sizeof *t);
    if (t && (!ascii_is_itself(cd) || !pair_table_fill(t, cd, r, ft))) {
        free(t);
        t = NULL;
    }
    if (t)
        t->charset = r->charset;
    iconv_close(cd);
    return t;
}

decode_tables *decode_tables_new(void)
{
    decode_tables *dt = calloc(1, sizeof *dt);
    if (dt)
        atomic_init(&dt->state, TABLES_LATER);
    return dt;
}

/* dt with its tables made (see struct decode_tables), or NULL when dt is
 * NULL or no table could be made: decoding then works without, with the
 * same result. */
static const decode_tables *tables_ready(const decode_tables *dt)
{
    if (!dt)
        return NULL;
    decode_tables *m = (decode_tables *)dt; /* made lazily: see above */
    int s = atomic_load_explicit(&m->state, memory_order_acquire);
    if (s == TABLES_LATER &&
        atomic_compare_exchange_strong_explicit(&m->state, &s, TABLES_BUSY,
                                                memory_order_acquire, memory_order_acquire)) {
        freq_table_init(&m->freq);
        m->gb18030 = pair_table_new(&GB18030_PAIRS, &m->freq);
        m->big5 = pair_table_new(&BIG5_PAIRS, &m->freq);
        s = m->gb18030 || m->big5 ? TABLES_READY : TABLES_NONE;
        atomic_store_explicit(&m->state, s, memory_order_release);
    }
    while (s == TABLES_LATER || s == TABLES_BUSY) {
        sched_yield();
        s = atomic_load_explicit(&m->state, memory_order_acquire);
    }
    return s == TABLES_READY ? dt : NULL;
}

void decode_tables_free(decode_tables *dt)
{
    if (!dt)
        return;
    free(dt->gb18030);
    free(dt->big5);
    free(dt);
}

/* The table for charset, if there is one (made now if need be). */
static const pair_table *table_for(const decode_tables *dt, const char *charset)
{
    bool gb = strcmp(charset, "GB18030") == 0;
    if (!dt || (!gb && strcmp(charset, "BIG5") != 0))
        return NULL;
    dt = tables_ready(dt);
    if (!dt)
        return NULL;
    return gb ? dt->gb18030 : dt->big5;
}

/* Bytes handed to iconv at a time where the table does not know the code:
 * more than the longest character (four bytes), and enough for one call to
 * cover a run of GB18030's four-byte codes (text made of them alone: 4.2 M
 * instructions for 80 KB through iconv alone, 5.0 M with 16-byte windows,
 * 2.8 M with these), few enough that the table takes over again soon. */
#define ICONV_WINDOW 64

/* The run of ASCII and two-byte codes t knows (and, with other, that
 * other knows too) from s[i]: each written at *o from the table, its
 * frequent characters counted into *freq (and the other's into
 * *other_freq).  Returns where the run stops: len, a code a table does not
 * know, or a lead byte at the end (left to iconv).  The loop runs while a
 * lead byte's trail is in the input; a last byte alone is taken after it
 * when it is ASCII, as the byte-by-byte walk would take it. */
static inline __attribute__((always_inline)) size_t
tabled_run(const pair_table *t, const pair_table *other, const char *s, size_t i, size_t len,
           unsigned char **op, size_t *freq, size_t *other_freq)
{
    unsigned char *o = *op;
    size_t f = 0, f2 = 0;
    while (i + 1 < len) {
        unsigned b = (unsigned char)s[i];
        if (b < 0x80) {
            *o++ = (unsigned char)b;
            i++;
            continue;
        }
        const unsigned char *e = pair_code(t, b, (unsigned char)s[i + 1]);
        unsigned meta = e[3]; /* read once: the copy below may alias it */
        if (!meta)
            break;
        if (other) {
            unsigned meta2 = pair_code(other, b, (unsigned char)s[i + 1])[3];
            if (!meta2)
                break; /* the readings part here (handled below) */
            f2 += meta2 >> 2;
        }
        memcpy(o, e, 4);
        o += meta & 3;
        f += meta >> 2;
        i += 2;
    }
    if (i + 1 == len && (unsigned char)s[i] < 0x80) {
        *o++ = (unsigned char)s[i];
        i++;
    }
    *op = o;
    *freq += f;
    *other_freq += f2;
    return i;
}

/* convert_span() over the whole input for a charset with a table: runs of
 * ASCII and known two-byte codes are written from the table (and their
 * frequent characters counted, as put_ucs4() would count them); at any
 * other code iconv decodes the next ICONV_WINDOW bytes, as it would have
 * decoded them in one conversion of the whole (see the comment above
 * PAIR_TRAIL0: what it does at a position does not depend on where its
 * input began), and a character the window cuts is left to the table or
 * the next window.  False when iconv could not be opened or memory ran
 * out. */
static bool convert_tabled(const pair_table *t, const char *s, size_t len, conv_state *cs)
{
    buf *out = cs->out;
    iconv_t cd = (iconv_t)-1;
    size_t freq = 0, i = 0;
    bool going = true;
    const pair_table *other = cs->shadow ? cs->shadow->t : NULL;
    size_t other_freq = 0;
    while (going && i < len) {
        /* At most three bytes of UTF-8 per byte of input (U+FFFD for a bad
         * byte), and an entry is copied as four bytes whatever its length. */
        if (!buf_reserve(out, 3 * (len - i) + 4))
            break;
        unsigned char *o = (unsigned char *)out->data + out->len;
        /* The walk made twice by the compiler, with and without the other
         * table (no test of it per character). */
        i = other ? tabled_run(t, other, s, i, len, &o, &freq, &other_freq)
                  : tabled_run(t, NULL, s, i, len, &o, &freq, &other_freq);
        out->len = (size_t)((char *)o - out->data);
        out->data[out->len] = '\0';
        if (i == len)
            break;
        if (other) {
            /* Out of step from here: the code is not a two-byte code of
             * both tables.  The rest of this reading goes on without the
             * other (this code is looked up again first). */
            cs->shadow->end = i;
            other = NULL;
            continue;
        }
        if (cd == (iconv_t)-1) {
            cd = iconv_open("UCS-4LE", t->charset);
            if (cd == (iconv_t)-1)
                return false;
        }
        size_t from = i, to = len - i > ICONV_WINDOW ? i + ICONV_WINDOW : len;
        going = convert_span(cd, s, &i, to, to == len, cs);
        if (going && i == from) /* a character longer than the window */
            going = convert_span(cd, s, &i, len, true, cs);
    }
    if (cd != (iconv_t)-1)
        convert_close(cd, cs);
    if (cs->ft)
        *cs->common += freq;
    if (cs->shadow) {
        if (other)
            cs->shadow->end = i; /* the whole input, unless memory ran out */
        cs->shadow->common = other_freq;
    }
    return !out->failed;
}

/* Convert with iconv (or a table of its answers) into UTF-8, replacing
 * invalid input.  Returns false when the charset is unknown to iconv or
 * memory ran out.  Stops early, leaving the output incomplete, once
 * *replaced exceeds max_bad (SIZE_MAX: never).  With shadow (its table
 * set), the other reading is followed as far as it can be (end 0 when the
 * charset has no table). */
static bool convert_upto(const decode_tables *dt, const char *charset, const char *s,
                         size_t len, buf *out, size_t *replaced, size_t max_bad,
                         const freq_table *ft, size_t *common, shadow_run *shadow)
{
    conv_state cs = {out,  replaced, max_bad, ft, common, via_ucs4(charset), skip_width(charset),
                     NULL};
    const pair_table *t = table_for(dt, charset);
    if (shadow) {
        shadow->end = 0;
        shadow->common = 0;
        if (t && shadow->t)
            cs.shadow = shadow;
    }
    if (t)
        return convert_tabled(t, s, len, &cs);
    iconv_t cd = iconv_open(cs.ucs4 ? "UCS-4LE" : "UTF-8", charset);
    if (cd == (iconv_t)-1)
        return false;
    size_t at = 0;
    convert_span(cd, s, &at, len, true, &cs);
    convert_close(cd, &cs);
    return !out->failed;
}

static bool convert(const decode_tables *dt, const char *charset, const char *s, size_t len,
                    buf *out, size_t *replaced)
{
    return convert_upto(dt, charset, s, len, out, replaced, SIZE_MAX, NULL, NULL, NULL);
}

/* A trial decoding of the input as one charset, for the detection. */
typedef struct trial_run {
    buf out;         /* the input (its first TRIAL_MAX bytes) decoded */
    size_t bad;      /* replacements needed; SIZE_MAX when iconv does not know
                      * the charset */
    bool complete;   /* out holds the whole input decoded, as convert() gives it */
    size_t common;   /* frequent characters in out (see FREQUENT) */
} trial_run;

#define TRIAL_MAX ((size_t)1 << 20) /* a sample is enough */

/* Decode the input as charset, or as much of it as it takes to see more
 * than max_bad replacements (then bad is only known to exceed max_bad).
 * The first `known` bytes are already known to decode with no replacement
 * and `common` frequent characters (a shadow_run's end and common): the
 * trial decodes the rest only, and then holds no output (not complete).
 * With shadow, the other reading is followed (see convert_upto()). */
static void trial(const decode_tables *dt, const char *charset, const char *s, size_t len,
                  size_t known, size_t common, size_t max_bad, const freq_table *ft,
                  shadow_run *shadow, trial_run *t)
{
    t->out = (buf)BUF_INIT;
    t->bad = 0;
    t->common = common;
    size_t cap = len < TRIAL_MAX ? len : TRIAL_MAX;
    if (!convert_upto(dt, charset, s + known, cap - known, &t->out, &t->bad, max_bad, ft,
                      &t->common, shadow)) {
        t->bad = SIZE_MAX;
        t->complete = false;
        buf_free(&t->out);
        return;
    }
    t->complete = known == 0 && cap == len && t->bad <= max_bad;
    if (known > 0)
        buf_free(&t->out); /* the text of [known, cap) alone: of no use */
}

/* Guess UTF-16 without a BOM from the pattern of zero bytes in ASCII-heavy
 * or CJK text: one of the two byte lanes is mostly zero for ASCII. */
static const char *guess_utf16(const unsigned char *s, size_t len)
{
    if (len < 4 || len % 2)
        return NULL;
    size_t even0 = 0, odd0 = 0, n = len < 4096 ? len : 4096;
    /* No zero byte at all (most text): both counts would stay 0, which
     * neither guess takes.  memchr finds that in a fraction of the walk. */
    if (!memchr(s, 0, n))
        return NULL;
    size_t i = 0;
    /* Eight bytes (four pairs) at a time: most text has no zero byte at
     * all, and a word without one adds nothing to either count. */
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (((x - ones) & ~x & highs) == 0)
            continue;  /* no zero byte in the word */
        for (size_t k = i; k < i + 8; k += 2) {
            even0 += s[k] == 0;
            odd0 += s[k + 1] == 0;
        }
    }
    for (; i + 1 < n; i += 2) {
        even0 += s[i] == 0;
        odd0 += s[i + 1] == 0;
    }
    size_t pairs = n / 2;
    if (odd0 * 10 > pairs * 3 && even0 * 20 < pairs)
        return "UTF-16LE";
    if (even0 * 10 > pairs * 3 && odd0 * 20 < pairs)
        return "UTF-16BE";
    return NULL;
}

/* A code point that plain Chinese or English text is made of. */
static bool plausible_cp(uint32_t c)
{
    return c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c <= 0x7E) ||
           (c >= 0xA0 && c <= 0xFF) || (c >= 0x2000 && c <= 0x206F) ||
           (c >= 0x2460 && c <= 0x25FF) || (c >= 0x3000 && c <= 0x303F) ||
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xFF00 && c <= 0xFFEF);
}

/* Share of plausible characters when s is read as UTF-16 (big-endian when
 * be), in per mille; surrogate pairs count as plausible when well formed.
 * Exact when it is at least `floor`; otherwise some value below floor (it
 * stops once even all the units not yet read could not lift it there). */
static unsigned utf16_plausible(const unsigned char *s, size_t len, bool be, unsigned floor)
{
    size_t n = len < 8192 ? len & ~(size_t)1 : 8192, good = 0, units = 0;
    size_t total = n / 2;  /* every unit is counted once, a pair's two included */
    for (size_t i = 0; i + 1 < n; i += 2) {
        /* Asked every 32 units: GB18030 or Big5 read as UTF-16 is mostly
         * implausible, and gives up after a few dozen units. */
        if ((units & 31) == 0 && floor && (good + (total - units)) * 1000 / total < floor)
            return 0;
        uint32_t u = be ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
        units++;
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            uint32_t v = be ? (uint32_t)(s[i + 2] << 8 | s[i + 3])
                            : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                good += 2;
                units++;
                i += 2;
            }
            continue;
        }
        good += plausible_cp(u);
    }
    return units ? (unsigned)(good * 1000 / units) : 0;
}

/* UTF-16 without a BOM and without ASCII zero bytes (CJK-heavy text): one
 * byte order reads as plausible text (900 per mille at least), the other
 * does not (over 200 less).  Only asked about input that is not valid UTF-8
 * (ASCII pairs read as UTF-16 look like Han).  Each share is computed only
 * as far as the decision needs it (see utf16_plausible()). */
static const char *guess_utf16_cjk(const unsigned char *s, size_t len)
{
    if (len < 8 || len % 2)
        return NULL;
    unsigned le = utf16_plausible(s, len, false, 900);
    if (le >= 900) {
        /* LE when be < le - 200; else be is exact and may still be BE. */
        unsigned be = utf16_plausible(s, len, true, le - 200);
        if (le > be + 200)
            return "UTF-16LE";
        if (be >= 900 && be > le + 200)
            return "UTF-16BE";
        return NULL;
    }
    unsigned be = utf16_plausible(s, len, true, 900);
    if (be < 900)
        return NULL;
    /* BE when le < be - 200 (le below 900 is then known only that far). */
    le = utf16_plausible(s, len, false, be - 200);
    if (be > le + 200)
        return "UTF-16BE";
    return NULL;
}

static bool looks_binary(const unsigned char *s, size_t len)
{
    size_t n = len < 8192 ? len : 8192, ctl = 0, i = 0;
    /* Eight bytes at a time: a word with no byte below 0x20 (the usual
     * case) has no control byte to count. */
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (((x - ones * 0x20) & ~x & highs) == 0)
            continue;
        for (size_t k = i; k < i + 8; k++)
            if (s[k] < 0x20 && s[k] != '\n' && s[k] != '\r' && s[k] != '\t' && s[k] != 0x0C)
                ctl++;
    }
    for (; i < n; i++)
        if (s[i] < 0x20 && s[i] != '\n' && s[i] != '\r' && s[i] != '\t' && s[i] != 0x0C)
            ctl++;
    return n > 0 && ctl * 10 > n; /* over 10% control bytes */
}

/* Valid UTF-8 but for one sequence cut short by the end of the data (a file
 * truncated by a download): still UTF-8, with the cut counted as replaced. */
static bool utf8_cut_at_end(const char *data, size_t len)
{
    for (size_t k = 1; k <= 3 && k <= len; k++) {
        unsigned char lead = (unsigned char)data[len - k];
        if ((lead & 0xC0) == 0x80)
            continue;
        return utf8_seq_len(lead) > k && lead >= 0xC2 && utf8_valid(data, len - k);
    }
    return false;
}


/* Record the charset (upper case, cut to the field), the count of
 * replacements and whether the text is known to be well-formed UTF-8
 * (d->orig_valid), and index the decoded text (unless d->cpix already
 * indexes it: see utf8_valid_index()).  `valid` is known on each path:
 *  - input kept or copied as it is: checked by utf8_valid_index();
 *  - copy_utf8(): runs of what utf8_next() reads as whole characters, with
 *    U+FFFD for each byte it cannot read;
 *  - GB18030 and Big5 (the tables and put_ucs4()): every character is
 *    written whole from a code point, and these decoders give Unicode
 *    scalar values only (glibc's iconv, asked about every two- and
 *    four-byte code of both, gives no surrogate and nothing above
 *    U+10FFFF); normalize's walk, the one reader of the flag that skips a
 *    test, needs only the first: a lead byte's continuation bytes are all
 *    there;
 *  - other charsets through iconv's UTF-8 encoder (UTF-16, a charset the
 *    caller names): checked by utf8_valid_index() as decode() indexes the
 *    text, since what iconv yields for those is iconv's affair. */
static edx_status finish(doc *d, const char *charset, size_t replaced, bool valid)
{
    d->replaced = replaced;
    d->orig_valid = valid;
    size_t n = strlen(charset);
    if (n > sizeof d->encoding - 1)
        n = sizeof d->encoding - 1;
    for (size_t k = 0; k < n; k++) {
        char c = charset[k];
        d->encoding[k] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    d->encoding[n] = '\0';
    if (d->cpix.cps) {
        d->cpix.text = d->orig;  /* the same bytes, maybe copied */
        return EDX_OK;
    }
    if (!cp_index_build(&d->cpix, d->orig, d->orig_len))
        return EDX_ERR_NOMEM;
    return EDX_OK;
}

/* decode_input() with the buffer behind data given or not (see decode.h):
 * `given` says whether valid UTF-8 may be kept as it stands. */
static edx_status decode(const decode_tables *dt, const char *data, size_t len,
                         const char *forced, bool given, doc *d)
{
    const unsigned char *u = (const unsigned char *)data;
    buf out = BUF_INIT;
    size_t replaced = 0;
    const char *charset = NULL;
    size_t skip = 0;
    bool valid = false;  /* data is known to be well-formed UTF-8 */
    bool converted = false;  /* out already holds the decoded text */
    trial_run gb = {BUF_INIT, 0, false, 0}, b5 = {BUF_INIT, 0, false, 0};

    if (forced && *forced && strcasecmp(forced, "auto") != 0) {
        charset = forced;
        if (strcasecmp(forced, "UTF-8") == 0 || strcasecmp(forced, "UTF8") == 0) {
            charset = "UTF-8";
            if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
                skip = 3;
        }
    } else if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        charset = "UTF-8";
        skip = 3;
    } else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        charset = "UTF-16LE";
        skip = 2;
    } else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        charset = "UTF-16BE";
        skip = 2;
    } else if ((charset = guess_utf16(u, len)) != NULL) {
        /* charset set by the guess */
    } else if ((valid = utf8_valid_index(data, len, &d->cpix, d->use_avx2)) ||
               utf8_cut_at_end(data, len)) {
        /* Valid UTF-8 is the text as it stands (below), indexed as it was
         * checked: one pass instead of two. */
        charset = "UTF-8";
    } else if ((charset = guess_utf16_cjk(u, len)) != NULL) {
        /* charset set by the guess */
    } else {
        if (looks_binary(u, len))
            return EDX_ERR_BINARY;
        dt = tables_ready(dt);
        freq_table own_ft;
        const freq_table *ft = &own_ft;
        if (dt)
            ft = &dt->freq;
        else
            freq_table_init(&own_ft);
        /* The Big5 reading is followed by the GB18030 trial as far as the
         * two cut the input alike (see shadow_run): the Big5 trial then
         * decodes only the rest, usually nothing.  Its text is not kept
         * (Big5, when chosen, is then decoded below). */
        shadow_run b5_known = {dt ? dt->big5 : NULL, 0, 0};
        trial(dt, "GB18030", data, len, 0, 0, SIZE_MAX, ft, &b5_known, &gb);
        if (gb.bad == SIZE_MAX)
            b5_known.end = b5_known.common = 0; /* unknown after all */
        size_t gb_bad = gb.bad;
        /* Fewer errors wins; with similar error counts, the decoding that
         * yields more of the frequent characters.  Big5 with more than
         * gb_bad + 2 errors has lost whatever the rest would show, so its
         * trial stops there.  (The frequent characters are counted by the
         * trials as they write their text: cheaper than reading it again,
         * even when the error counts decide alone.) */
        size_t b5_max = gb_bad < SIZE_MAX - 2 ? gb_bad + 2 : SIZE_MAX;
        trial(dt, "BIG5", data, len, b5_known.end, b5_known.common, b5_max, ft, NULL, &b5);
        size_t b5_bad = b5.bad;
        if (b5_bad != SIZE_MAX && b5_bad + 2 < gb_bad) {
            charset = "BIG5";
        } else if (gb_bad + 2 < b5_bad) {
            charset = "GB18030";
        } else {
            size_t gb_common = gb.bad == SIZE_MAX ? 0 : gb.common;
            size_t b5_common = b5.bad == SIZE_MAX ? 0 : b5.common;
            charset = b5_common > gb_common ? "BIG5" : "GB18030";
        }
        /* Damaged UTF-8 stays UTF-8: its well-formed multibyte sequences
         * (rare by chance in GB18030 or Big5 text) far outnumber the bad
         * bytes.  (Only asked when GB18030 needed replacements.) */
        if (gb_bad > 0) {
            size_t ubad = 0, multi = 0;
            buf probe = BUF_INIT;
            copy_utf8(data, len < 65536 ? len : 65536, &probe, &ubad);
            for (size_t i = 0; probe.data && i < probe.len;) {
                size_t at = i;
                uint32_t cp = utf8_next(probe.data, probe.len, &i);
                multi += cp >= 0x80 && cp != UTF8_REPLACEMENT && i - at > 1;
            }
            buf_free(&probe);
            if (multi >= 4 * ubad)
                charset = "UTF-8";
        }
        /* The chosen trial decoded the whole input as the conversion below
         * would: use it. */
        trial_run *chosen = strcmp(charset, "GB18030") == 0 ? &gb
                            : strcmp(charset, "BIG5") == 0  ? &b5
                                                            : NULL;
        if (chosen && chosen->complete && chosen->bad != SIZE_MAX) {
            out = chosen->out;
            chosen->out = (buf)BUF_INIT;
            replaced = chosen->bad;
            converted = true;
        }
        buf_free(&gb.out);
        buf_free(&b5.out);
    }

    bool ok;
    bool written_valid = false; /* out is well-formed by construction */
    if (valid && given) {
        /* Nothing to replace and no BOM (else the BOM branch was taken):
         * the text is the input as it is, in the buffer it came in. */
        d->orig = (char *)data;
        d->orig_len = len;
        return finish(d, charset, 0, true);
    } else if (valid) {
        /* The same, copied. */
        d->orig = malloc(len + 1);
        if (!d->orig)
            return EDX_ERR_NOMEM;
        if (len)
            memcpy(d->orig, data, len);
        d->orig[len] = '\0';
        d->orig_len = len;
        return finish(d, charset, 0, true);
    } else if (converted) {
        ok = true;
        written_valid = true;   /* a GB18030 or Big5 trial */
    } else if (strcmp(charset, "UTF-8") == 0) {
        ok = copy_utf8(data + skip, len - skip, &out, &replaced);
        written_valid = true;
    } else {
        ok = convert(dt, charset, data + skip, len - skip, &out, &replaced);
        written_valid = via_ucs4(charset);
        if (!ok && !out.failed) {
            buf_free(&out);
            return EDX_ERR_ENCODING;
        }
    }
    if (!ok) {
        buf_free(&out);
        return EDX_ERR_NOMEM;
    }
    /* A UTF-16 BOM inside converted text, or a leading UTF-8 BOM produced by
     * iconv, is not part of the text. */
    size_t bom = (out.len >= 3 && memcmp(out.data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    size_t n = out.len - bom;
    if (bom)
        memmove(out.data, out.data + bom, n + 1); /* with its NUL */
    /* The buffer becomes the text, without the room reserved for the worst
     * case (a shrinking realloc stays in place: cheaper than a copy). */
    char *text = buf_take(&out);
    if (!text)
        return EDX_ERR_NOMEM;
    char *fit = realloc(text, n + 1);
    d->orig = fit ? fit : text;
    d->orig_len = n;
    /* Converted text is checked as it is indexed (one pass, which
     * finish() would otherwise spend on the index alone). */
    bool checked = written_valid || utf8_valid_index(d->orig, n, &d->cpix, d->use_avx2);
    return finish(d, charset, replaced, checked);
}

edx_status decode_input_with(const decode_tables *dt, const char *data, size_t len,
                             const char *forced, doc *d)
{
    /* A buffer handed to the doc (d->orig == data) becomes the text when
     * that is the input as it stands; else it is freed once the text is
     * made from it, or left to its owner when the doc only borrows it
     * (d->orig_borrowed). */
    char *given = d->orig && d->orig == data ? d->orig : NULL;
    bool lent = given && d->orig_borrowed;
    if (given) {
        d->orig = NULL;
        d->orig_borrowed = false;
    }
    edx_status st = decode(dt, data, len, forced, given != NULL, d);
    if (given && d->orig == given)
        d->orig_borrowed = lent;
    else if (given && !lent)
        free(given);
    return st;
}

edx_status decode_input(const char *data, size_t len, const char *forced, doc *d)
{
    return decode_input_with(NULL, data, len, forced, d);
}
