/* clean.h -- stage 3: drop web-page boilerplate from the working text.
 *
 * Patterns come from rules/boilerplate.conf: site navigation, download and
 * VIP prompts, copyright notices, page markers inside sentences (第11页共16页),
 * file facts (大小:101.50 KB) and related-article lists.  What is dropped
 * stays in the original (and so inside a figure's raw text when a figure
 * straddles it), but no later stage sees it: a page marker in mid-sentence
 * no longer splits the sentence. */
#ifndef EDX_CLEAN_H
#define EDX_CLEAN_H

#include <stdbool.h>

#include "conf.h"
#include "doc.h"
#include "rx.h"

typedef struct clean_pattern {
    char *id;
    rx re;
    int scope;    /* CLEAN_MATCH: drop the match; CLEAN_LINE: the whole line; CLEAN_REST: to the end */
} clean_pattern;

enum { CLEAN_MATCH = 0, CLEAN_LINE = 1, CLEAN_REST = 2 };

typedef struct clean_rules {
    clean_pattern *patterns;
    size_t n;
} clean_rules;

/* Load rules/boilerplate.conf (already read into f).  Errors go to d with
 * file:line:col; returns the number of errors. */
size_t clean_rules_load(const conf_file *f, clean_rules *out, diag *d);
void clean_rules_free(clean_rules *r);

/* Remove boilerplate from d->work, keeping d->map exact.  False when memory
 * ran out. */
bool clean_doc(const clean_rules *rules, rx_scratch *scratch, doc *d);

#endif
