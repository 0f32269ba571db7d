/* normalize.c -- fold the decoded original into the working text. */
#include "normalize.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* A checkpoint at least this often bounds the walk in text_map_lookup(). */
#define CHECKPOINT_EVERY 1024

/* What one original character becomes: a code point, or nothing (-1). */
static long fold(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)   /* full-width ASCII */
        return (long)(cp - 0xFF01 + 0x21);
    switch (cp) {
    case 0x2236: /* ∶ RATIO */
    case 0xFE30: /* ︰ */
    case 0xFE13: /* ︓ */
        return ':';
    case 0x3000: case 0x00A0: case 0x2002: case 0x2003: case 0x2004: case 0x2005:
    case 0x2006: case 0x2007: case 0x2008: case 0x2009: case 0x200A: case 0x202F:
    case '\t': case 0x0B: case 0x0C:
        return ' ';
    case 0x2028: case 0x2029: case 0x0085: case '\r':
        return '\n';
    case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: case 0x00AD:
        return -1;
    default:
        break;
    }
    if (cp < 0x20 && cp != '\n')
        return -1;   /* NUL and other controls */
    if (cp == 0x7F)
        return -1;
    return (long)cp;
}

bool normalize_doc(doc *d)
{
    buf w = BUF_INIT;
    text_map_free(&d->map);
    if (!buf_reserve(&w, d->orig_len))
        return false;
    const char *s = d->orig;
    size_t len = d->orig_len;
    size_t i = 0;
    size_t last_cp = 0;
    bool mapped = text_map_add(&d->map, 0, 0);
    bool resync = false;  /* the next character needs a checkpoint */
    while (i < len && mapped) {
        size_t start = i;
        uint32_t cp = utf8_next(s, len, &i);
        long f = fold(cp);
        /* CRLF: the LF is dropped; the '\n' made from CR stands for both. */
        if (cp == '\n' && start > 0 && s[start - 1] == '\r')
            f = -1;
        if (f < 0) {
            resync = true;
            continue;
        }
        if (resync || w.len - last_cp >= CHECKPOINT_EVERY) {
            mapped = text_map_add(&d->map, w.len, start);
            last_cp = w.len;
            resync = false;
        }
        char enc[4];
        size_t n = utf8_encode((uint32_t)f, enc);
        buf_append(&w, enc, n);
    }
    if (mapped)
        mapped = text_map_add(&d->map, w.len, len);
    if (!mapped || w.failed) {
        buf_free(&w);
        return false;
    }
    free(d->work);
    d->work = buf_take(&w);
    d->work_len = d->work ? strlen(d->work) : 0;
    return d->work != NULL;
}
