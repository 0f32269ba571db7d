/* test_units.h -- the number tests' units: rules/units.conf of the source
 * tree, loaded as the extractor loads it. */
#ifndef EDX_TEST_UNITS_H
#define EDX_TEST_UNITS_H

#include <stdbool.h>
#include <stdio.h>

#include "conf.h"
#include "diag.h"
#include "numbers.h"

/* Load rules/units.conf into *units; false, after a TAP "Bail out!" line
 * naming what went wrong, when it cannot be read or has errors. */
static inline bool load_test_units(num_units *units)
{
    conf_file f;
    diag d = DIAG_INIT;
    if (!conf_load(EDX_TEST_RULES "/units.conf", &f, &d)) {
        printf("Bail out! rules/units.conf: %s\n", d.text.data ? d.text.data : "unreadable");
        diag_free(&d);
        return false;
    }
    bool ok = num_units_load(&f, units, &d) == 0;
    if (!ok)
        printf("Bail out! rules/units.conf: %s\n", d.text.data ? d.text.data : "unreadable");
    conf_free(&f);
    diag_free(&d);
    return ok;
}

#endif
