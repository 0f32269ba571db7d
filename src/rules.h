/* rules.h -- stage 7: the rule set, loaded from a rules directory at run time.
 *
 *   rules/indicators.conf  the indicator catalogue (one [id] per indicator)
 *   rules/units.conf       units and their normalization (numbers.h)
 *   rules/boilerplate.conf page noise to drop (clean.h)
 *   rules/phrases.conf     words around figures: standards, claims, stages
 *
 * Loading validates everything and reports file:line:col errors; patterns
 * are compiled once (PCRE2 JIT) and shared read-only by all threads. */
#ifndef EDX_RULES_H
#define EDX_RULES_H

#include <stdbool.h>

#include "clean.h"
#include "conf.h"
#include "doc.h"
#include "numbers.h"

typedef struct threshold {
    const char *stage;   /* borrowed from the conf text: "小学", "初中", NULL for any */
    double value;
} threshold;

typedef struct indicator {
    char *id;
    char *name;           /* canonical Chinese name */
    char **terms;         /* surface terms, longest first, including name */
    size_t nterms;
    fig_kind kind;
    char *unit;           /* expected normalized unit, NULL for any */
    double range_lo, range_hi; /* plausible range; lo > hi when none */
    int direction;        /* +1 higher better, -1 lower better, 0 neutral */
    bool gross;           /* may exceed 100% (毛入学率) */
    threshold *thresholds;
    size_t nthresholds;
    size_t line;          /* where it is defined */
} indicator;

typedef struct phrase_list {
    char **items;
    size_t n;
} phrase_list;

typedef struct rules {
    char *dir;
    indicator *indicators;
    size_t nindicators;
    num_units units;
    clean_rules clean;
    /* phrases.conf */
    phrase_list claim_met, claim_not_met, standard_words, stage_words,
        connectives, change_words;
} rules;

/* Load every rule file in dir.  Errors go to d (file:line:col); returns
 * NULL when any error was found or memory ran out. */
rules *rules_load(const char *dir, diag *d);
void rules_free(rules *r);

/* The indicator with this id, or NULL. */
const indicator *rules_find(const rules *r, const char *id);

/* Text names of kinds ("rate", "ratio" …) and back. */
const char *rules_kind_name(fig_kind k);
bool rules_kind_parse(const char *s, fig_kind *k);

#endif
