/* diag.c -- located diagnostics. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

#ifdef __GNUC__
__attribute__((format(printf, 6, 0)))
#endif
static void vreport(diag *d, const char *severity, const char *file, size_t line,
                    size_t col, const char *fmt, va_list ap)
{
    if (file)
        buf_puts(&d->text, file);
    if (line) {
        buf_printf(&d->text, ":%zu", line);
        if (col)
            buf_printf(&d->text, ":%zu", col);
    }
    buf_printf(&d->text, "%s%s: ", file ? ": " : "", severity);
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    buf_puts(&d->text, msg);
    buf_putc(&d->text, '\n');
}

void diag_error(diag *d, const char *file, size_t line, size_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "error", file, line, col, fmt, ap);
    va_end(ap);
    d->errors++;
}

void diag_warning(diag *d, const char *file, size_t line, size_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, "warning", file, line, col, fmt, ap);
    va_end(ap);
    d->warnings++;
}

void diag_free(diag *d)
{
    buf_free(&d->text);
    d->errors = d->warnings = 0;
}
