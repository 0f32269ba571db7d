/* buf.h -- a growable byte buffer (always NUL-terminated). */
#ifndef EDX_BUF_H
#define EDX_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct buf {
    char *data;    /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
    bool failed;   /* an allocation failed: later appends are ignored */
} buf;

#define BUF_INIT {NULL, 0, 0, false}

/* Append bytes; returns false (and sets failed) when memory ran out. */
bool buf_append(buf *b, const char *s, size_t n);
bool buf_puts(buf *b, const char *s);
bool buf_putc(buf *b, char c);
bool buf_printf(buf *b, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Make room for n more bytes without changing len. */
bool buf_reserve(buf *b, size_t n);
/* Hand over the data (caller frees) and reset the buffer; "" when empty. */
char *buf_take(buf *b);
void buf_free(buf *b);

#endif
