/* decode.h -- stage 1: bytes of any supported charset to UTF-8.
 *
 * Supported: UTF-8 (with or without BOM), UTF-16LE/BE (with BOM, or detected
 * from the pattern of zero bytes), GB18030 (covers GBK and GB2312) and Big5,
 * through iconv.  Detection order: BOM, strict UTF-8 validity, then a
 * statistical choice between GB18030 and Big5.  Invalid or truncated
 * sequences become U+FFFD and are counted; decoding never stops early. */
#ifndef EDX_DECODE_H
#define EDX_DECODE_H

#include <stddef.h>

#include "doc.h"
#include "eduextract.h"

/* Decode data[0..len) into d->orig (valid UTF-8, BOM removed), setting
 * d->encoding and d->replaced.  `forced` is NULL/"auto" to detect, or an
 * iconv charset name.  EDX_ERR_ENCODING for an unknown forced name;
 * EDX_ERR_BINARY when the bytes are not text at all.
 *
 * A caller that has the input in a malloc'd buffer with a NUL at data[len]
 * may hand it over by setting d->orig = data first: the doc then owns it
 * (in every case), and valid UTF-8 without a BOM is kept as the text
 * instead of being copied.  With d->orig_borrowed set too, the buffer (any
 * buffer with a NUL at data[len]) is only lent: it is never freed, and is
 * the text, still borrowed, in that same case. */
edx_status decode_input(const char *data, size_t len, const char *forced, doc *d);

/* What iconv decodes every two-byte code of GB18030 and Big5 to, asked once
 * (a few million instructions) so that decoding those charsets is a table
 * lookup per character instead of a trip through iconv.  The tables are
 * made on the first input that needs them (an atomic state inside, as
 * rx.c's lazy JIT), so a caller that sees no GB18030 or Big5 text never
 * pays for them; read-only once made: one set serves any number of
 * threads.  NULL when memory ran out; when no table can be made (iconv
 * knows neither charset) decoding goes on without, as with NULL. */
typedef struct decode_tables decode_tables;
decode_tables *decode_tables_new(void);
void decode_tables_free(decode_tables *dt);

/* decode_input() with the tables dt (NULL: none); the same result, faster
 * for GB18030 and Big5 input. */
edx_status decode_input_with(const decode_tables *dt, const char *data, size_t len,
                             const char *forced, doc *d);

#endif
