/* test_input_common.h -- helpers shared by the input-layer unit tests:
 * a doc from UTF-8 text, and the rules directory of the source tree. */
#ifndef EDX_TEST_INPUT_COMMON_H
#define EDX_TEST_INPUT_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "diag.h"
#include "doc.h"
#include "rules.h"

/* Decode s (UTF-8) into a new doc. */
static inline doc *doc_from(const char *s)
{
    doc *d = doc_new("test.txt");
    if (d && decode_input(s, strlen(s), NULL, d) != EDX_OK) {
        doc_free(d);
        return NULL;
    }
    return d;
}

/* Original text behind working bytes [a, b). */
static inline int orig_is(const doc *d, size_t a, size_t b, const char *want)
{
    char *got = doc_orig_slice(d, (wspan){a, b});
    int ok = got && strcmp(got, want) == 0;
    free(got);
    return ok;
}

static inline rules *test_rules(void)
{
    diag dg = DIAG_INIT;
    rules *r = rules_load(EDX_TEST_RULES, &dg);
    diag_free(&dg);
    return r;
}

#endif
