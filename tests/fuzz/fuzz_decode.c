/* fuzz_decode.c -- charset detection, decoding, normalization and cleaning;
 * checks that the working text is valid UTF-8 and the map stays in range,
 * and that decoding with the two-byte GB18030/Big5 tables gives what iconv
 * alone gives (text, charset, replaced bytes, and orig_valid only when the
 * text is well-formed); the tabled side also takes the AVX2 check and index
 * of valid UTF-8 where the processor has it. */
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "decode.h"
#include "diag.h"
#include "fuzz.h"
#include "normalize.h"
#include "rules.h"

static rules *ru;
static decode_tables *tables;

/* decode_input_with(tables) against decode_input() on the same bytes. */
static void compare_tables(const uint8_t *data, size_t size, const char *enc)
{
    doc *a = doc_new("fuzz"), *b = doc_new("fuzz");
    if (b)
        b->use_avx2 = text_avx2_wanted();
    if (a && b) {
        edx_status sa = decode_input((const char *)data, size, enc, a);
        edx_status sb = decode_input_with(tables, (const char *)data, size, enc, b);
        if (sa != sb)
            abort();
        if (sa == EDX_OK &&
            (strcmp(a->encoding, b->encoding) != 0 || a->replaced != b->replaced ||
             a->orig_len != b->orig_len || memcmp(a->orig, b->orig, a->orig_len) != 0 ||
             (b->orig_valid && !utf8_valid(b->orig, b->orig_len))))
            abort();
    }
    doc_free(a);
    doc_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ru) {
        diag d = DIAG_INIT;
        ru = rules_load(EDX_TEST_RULES, &d);
        diag_free(&d);
        tables = decode_tables_new();
        if (!ru || !tables)
            abort();
    }
    /* The first byte picks the charset: auto or forced. */
    static const char *const forced[] = {NULL, "UTF-8", "GB18030", "BIG5", "UTF-16LE", "UTF-16BE"};
    const char *enc = size ? forced[data[0] % 6] : NULL;
    compare_tables(data, size, enc);
    doc *d = doc_new("fuzz");
    if (!d)
        return 0;
    if (decode_input((const char *)data, size, enc, d) == EDX_OK) {
        if (!utf8_valid(d->orig, d->orig_len))
            abort();
        rx_scratch s;
        if (rx_scratch_init(&s)) {
            if (normalize_doc(d) && clean_doc(&ru->clean, &s, d)) {
                if (!utf8_valid(d->work, d->work_len))
                    abort();
                for (size_t w = 0; w <= d->work_len; w += 7)
                    if (doc_orig_byte(d, w) > d->orig_len)
                        abort();
            }
            rx_scratch_free(&s);
        }
    }
    doc_free(d);
    return 0;
}
