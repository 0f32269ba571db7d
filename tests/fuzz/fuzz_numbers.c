/* fuzz_numbers.c -- the number grammar over arbitrary UTF-8: every quantity
 * found lies inside the text, moves forward, and redacted means no value. */
#include <stdlib.h>

#include "diag.h"
#include "fuzz.h"
#include "numbers.h"
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
    const char *s = (const char *)data;
    size_t pos = 0;
    quantity q;
    while (pos <= size && num_next(&ru->units, s, size, pos, &q)) {
        if (q.start < pos || q.end > size || q.start > q.end || q.num_start < q.start ||
            q.num_end > q.end)
            abort();
        if (q.redacted && q.has_value)
            abort();
        pos = q.end > pos ? q.end : pos + 1;
    }
    return 0;
}
