/* fuzz_rules.c -- the rule-file reader and the loaders built on it: any
 * bytes give diagnostics, never a crash. */
#include <stdlib.h>

#include "clean.h"
#include "conf.h"
#include "fuzz.h"
#include "numbers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    conf_file f;
    diag d = DIAG_INIT;
    if (conf_parse("fuzz.conf", (const char *)data, size, &f, &d)) {
        num_units u;
        num_units_load(&f, &u, &d);
        num_units_free(&u);
        clean_rules cr;
        clean_rules_load(&f, &cr, &d);
        clean_rules_free(&cr);
        conf_check_unique(&f, &d);
    }
    conf_free(&f);
    diag_free(&d);
    return 0;
}
