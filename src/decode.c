/* decode.c -- charset detection and decoding to UTF-8 with replacement. */
#include "decode.h"

#include <errno.h>
#include <iconv.h>
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

/* Append n code points, given as UCS-4LE bytes, to out in UTF-8.  They come
 * from iconv's GB18030 or Big5 decoder, which yields Unicode scalar values
 * only (no surrogates, nothing above U+10FFFF), each written as iconv's
 * UTF-8 encoder would write it.  With ft, *common is increased by the
 * frequent characters written: the UTF-8 of U+4000..U+9FFF is what starts
 * with E4..E9, and the three bytes written are the key. */
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
            if (ft && c - 0x4000 < 0x6000 && ((ft->lead2[b0 - 0xE4] >> (b1 & 63)) & 1))
                *common += freq_lookup(ft, (uint32_t)b0 << 16 | (uint32_t)b1 << 8 | b2);
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

/* Convert with iconv into UTF-8, replacing invalid input.  Returns false when
 * the charset is unknown to iconv or memory ran out.  Stops early, leaving
 * the output incomplete, once *replaced exceeds max_bad (SIZE_MAX: never). */
static bool convert_upto(const char *charset, const char *s, size_t len, buf *out,
                         size_t *replaced, size_t max_bad, const freq_table *ft,
                         size_t *common)
{
    bool ucs4 = via_ucs4(charset);
    iconv_t cd = iconv_open(ucs4 ? "UCS-4LE" : "UTF-8", charset);
    if (cd == (iconv_t)-1)
        return false;
    char *in = (char *)s;
    size_t inleft = len;
    size_t step = skip_width(charset);
    char chunk[16384];
    while (inleft > 0) {
        char *o = chunk;
        size_t oleft = sizeof chunk;
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
        if (ucs4)
            put_ucs4(out, (const unsigned char *)chunk, (sizeof chunk - oleft) / 4, ft, common);
        else
            buf_append(out, chunk, sizeof chunk - oleft);
        if (rc != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        /* EILSEQ: a bad sequence; EINVAL: truncated at the end. */
        buf_append(out, REPLACEMENT_UTF8, 3);
        (*replaced)++;
        if (*replaced > max_bad)
            break;
        size_t k = step < inleft ? step : inleft;
        if (errno == EINVAL)
            k = inleft;
        in += k;
        inleft -= k;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    /* Flush any shift state. */
    char *o = chunk;
    size_t oleft = sizeof chunk;
    iconv(cd, NULL, NULL, &o, &oleft);
    if (ucs4)
        put_ucs4(out, (const unsigned char *)chunk, (sizeof chunk - oleft) / 4, ft, common);
    else
        buf_append(out, chunk, sizeof chunk - oleft);
    iconv_close(cd);
    return !out->failed;
}

static bool convert(const char *charset, const char *s, size_t len, buf *out, size_t *replaced)
{
    return convert_upto(charset, s, len, out, replaced, SIZE_MAX, NULL, NULL);
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
 * than max_bad replacements (then bad is only known to exceed max_bad). */
static void trial(const char *charset, const char *s, size_t len, size_t max_bad,
                  const freq_table *ft, trial_run *t)
{
    t->out = (buf)BUF_INIT;
    t->bad = 0;
    t->common = 0;
    size_t cap = len < TRIAL_MAX ? len : TRIAL_MAX;
    if (!convert_upto(charset, s, cap, &t->out, &t->bad, max_bad, ft, &t->common)) {
        t->bad = SIZE_MAX;
        t->complete = false;
        buf_free(&t->out);
        return;
    }
    t->complete = cap == len && t->bad <= max_bad;
}

/* Guess UTF-16 without a BOM from the pattern of zero bytes in ASCII-heavy
 * or CJK text: one of the two byte lanes is mostly zero for ASCII. */
static const char *guess_utf16(const unsigned char *s, size_t len)
{
    if (len < 4 || len % 2)
        return NULL;
    size_t even0 = 0, odd0 = 0, n = len < 4096 ? len : 4096;
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
        if ((units & 255) == 0 && floor && (good + (total - units)) * 1000 / total < floor)
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

/* Record the charset (upper case, cut to the field) and the count of
 * replacements, and index the decoded text (unless d->cpix already indexes
 * it: see utf8_valid_index()). */
static edx_status finish(doc *d, const char *charset, size_t replaced)
{
    d->replaced = replaced;
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
static edx_status decode(const char *data, size_t len, const char *forced, bool given, doc *d)
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
    } else if ((valid = utf8_valid_index(data, len, &d->cpix)) || utf8_cut_at_end(data, len)) {
        /* Valid UTF-8 is the text as it stands (below), indexed as it was
         * checked: one pass instead of two. */
        charset = "UTF-8";
    } else if ((charset = guess_utf16_cjk(u, len)) != NULL) {
        /* charset set by the guess */
    } else {
        if (looks_binary(u, len))
            return EDX_ERR_BINARY;
        freq_table ft;
        freq_table_init(&ft);
        trial("GB18030", data, len, SIZE_MAX, &ft, &gb);
        size_t gb_bad = gb.bad;
        /* Fewer errors wins; with similar error counts, the decoding that
         * yields more of the frequent characters.  Big5 with more than
         * gb_bad + 2 errors has lost whatever the rest would show, so its
         * trial stops there.  (The frequent characters are counted by the
         * trials as they write their text: cheaper than reading it again,
         * even when the error counts decide alone.) */
        size_t b5_max = gb_bad < SIZE_MAX - 2 ? gb_bad + 2 : SIZE_MAX;
        trial("BIG5", data, len, b5_max, &ft, &b5);
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
    if (valid && given) {
        /* Nothing to replace and no BOM (else the BOM branch was taken):
         * the text is the input as it is, in the buffer it came in. */
        d->orig = (char *)data;
        d->orig_len = len;
        return finish(d, charset, 0);
    } else if (valid) {
        /* The same, copied. */
        d->orig = malloc(len + 1);
        if (!d->orig)
            return EDX_ERR_NOMEM;
        if (len)
            memcpy(d->orig, data, len);
        d->orig[len] = '\0';
        d->orig_len = len;
        return finish(d, charset, 0);
    } else if (converted) {
        ok = true;
    } else if (strcmp(charset, "UTF-8") == 0) {
        ok = copy_utf8(data + skip, len - skip, &out, &replaced);
    } else {
        ok = convert(charset, data + skip, len - skip, &out, &replaced);
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
    d->orig = malloc(n + 1);
    if (!d->orig) {
        buf_free(&out);
        return EDX_ERR_NOMEM;
    }
    if (n)
        memcpy(d->orig, out.data + bom, n);
    d->orig[n] = '\0';
    d->orig_len = n;
    buf_free(&out);
    return finish(d, charset, replaced);
}

edx_status decode_input(const char *data, size_t len, const char *forced, doc *d)
{
    /* A buffer handed to the doc (d->orig == data) is the doc's: it becomes
     * the text when that is the input as it stands, else it is freed once
     * the text is made from it. */
    char *given = d->orig && d->orig == data ? d->orig : NULL;
    if (given)
        d->orig = NULL;
    edx_status st = decode(data, len, forced, given != NULL, d);
    if (given && d->orig != given)
        free(given);
    return st;
}
