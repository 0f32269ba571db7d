/* fuzz_outline.c -- the outline parser over arbitrary text: sections lie in
 * the report, parents come first, levels stay within DOC_MAX_DEPTH. */
#include <stdlib.h>

#include "decode.h"
#include "fuzz.h"
#include "normalize.h"
#include "outline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    doc *d = doc_new("fuzz");
    if (!d)
        return 0;
    if (decode_input((const char *)data, size, "UTF-8", d) == EDX_OK && normalize_doc(d)) {
        report r = {0};
        r.extent.start = 0;
        r.extent.end = d->work_len;
        if (outline_parse(d, &r)) {
            for (size_t i = 0; i < r.nsections; i++) {
                const section *s = &r.sections[i];
                if (s->level < 1 || s->level > DOC_MAX_DEPTH || s->parent >= (int)i ||
                    s->extent.end > d->work_len || s->extent.start > s->extent.end)
                    abort();
            }
            outline_section_at(&r, size / 2);
        }
        report_clear(&r);
    }
    doc_free(d);
    return 0;
}
