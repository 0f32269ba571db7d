/* conf.h -- the reader of rule files (rules/NAME.conf).
 *
 * The format is INI-like and meant for people:
 *
 *   # a comment line
 *   [enrollment_rate]          <- a section; its name is the entry's id
 *   name  = 入学率
 *   terms = 适龄儿童入学率, 小学入学率   <- split with conf_split_list()
 *   pattern = 第\d+页共\d+页     <- values are taken verbatim after "= "
 *
 * Keys may repeat inside a section (each line is kept).  Lines before the
 * first section belong to a section named "".  Every entry remembers its line
 * and the character column of its key and value, so that a later check can
 * say "rules/indicators.conf:12:9: error: ...". */
#ifndef EDX_CONF_H
#define EDX_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

typedef struct conf_entry {
    char *key;
    char *value;          /* in key's allocation (freed with it) */
    size_t line;
    size_t key_col;
    size_t value_col;
} conf_entry;

typedef struct conf_section {
    char *name;
    size_t line, col;
    conf_entry *entries;
    size_t n, cap;
} conf_section;

typedef struct conf_file {
    char *path;
    conf_section *sections;
    size_t n, cap;
} conf_file;

/* Read `path`.  Syntax errors go to `d` with their location; the file is
 * still returned with what could be read.  False only when the file cannot
 * be read at all (also reported to `d`) or memory ran out. */
bool conf_load(const char *path, conf_file *out, diag *d);
/* The same, from text in memory; `label` names it in diagnostics. */
bool conf_parse(const char *label, const char *text, size_t len, conf_file *out, diag *d);
void conf_free(conf_file *f);

/* The first entry with `key`, or NULL. */
const conf_entry *conf_get(const conf_section *s, const char *key);
/* Report every key of `s` that is not in the NULL-terminated `allowed`. */
size_t conf_check_keys(const conf_file *f, const conf_section *s,
                       const char *const *allowed, diag *d);
/* Report a duplicate section name among f's sections. */
size_t conf_check_unique(const conf_file *f, diag *d);

/* Split a list value at ',' '，' or '|' into trimmed items.  Calls fn
 * for each with the item's byte offset inside value; stops when fn returns
 * false. */
typedef bool (*conf_item_fn)(const char *item, size_t len, size_t offset, void *ctx);
void conf_split_list(const char *value, conf_item_fn fn, void *ctx);

#endif
