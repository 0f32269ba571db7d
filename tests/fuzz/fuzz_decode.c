/* fuzz_decode.c -- charset detection, decoding, normalization and cleaning;
 * checks that the working text is valid UTF-8 and the map stays in range. */
#include <stdlib.h>

#include "clean.h"
#include "decode.h"
#include "diag.h"
#include "fuzz.h"
#include "normalize.h"
#include "rules.h"

static rules *ru;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ru) {
        diag d = DIAG_INIT;
        ru = rules_load(EDX_TEST_RULES, &d);
        diag_free(&d);
        if (!ru)
            abort();
    }
    /* The first byte picks the charset: auto or forced. */
    static const char *const forced[] = {NULL, "UTF-8", "GB18030", "BIG5", "UTF-16LE", "UTF-16BE"};
    const char *enc = size ? forced[data[0] % 6] : NULL;
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
