/* conf.c -- rule file reader. */
#include "conf.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static char *dup_range(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static conf_section *add_section(conf_file *f, const char *name, size_t n, size_t line,
                                 size_t col)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        conf_section *p = realloc(f->sections, cap * sizeof *p);
        if (!p)
            return NULL;
        f->sections = p;
        f->cap = cap;
    }
    conf_section *s = &f->sections[f->n];
    memset(s, 0, sizeof *s);
    s->name = dup_range(name, n);
    if (!s->name)
        return NULL;
    s->line = line;
    s->col = col;
    f->n++;
    return s;
}

static bool add_entry(conf_section *s, const char *key, size_t kn, const char *val,
                      size_t vn, size_t line, size_t kcol, size_t vcol)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        conf_entry *p = realloc(s->entries, cap * sizeof *p);
        if (!p)
            return false;
        s->entries = p;
        s->cap = cap;
    }
    conf_entry *e = &s->entries[s->n];
    /* key and value in one block (key first): one allocation per line */
    e->key = malloc(kn + 1 + vn + 1);
    if (!e->key)
        return false;
    memcpy(e->key, key, kn);
    e->key[kn] = '\0';
    e->value = e->key + kn + 1;
    memcpy(e->value, val, vn);
    e->value[vn] = '\0';
    e->line = line;
    e->key_col = kcol;
    e->value_col = vcol;
    s->n++;
    return true;
}

bool conf_parse(const char *label, const char *text, size_t len, conf_file *out, diag *d)
{
    memset(out, 0, sizeof *out);
    out->path = dup_range(label, strlen(label));
    if (!out->path)
        return false;
    conf_section *cur = NULL;
    size_t line = 0;
    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    /* A '\n' is never inside a well-formed sequence, so when the whole
     * text is valid UTF-8 every line is: one check of the text (in blocks)
     * instead of one per line, which then only a text with a bad line
     * needs. */
    bool all_valid = utf8_valid(text + pos, len - pos);
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t eol = nl ? (size_t)(nl - text) : len;
        line++;
        const char *l = text + pos;
        size_t n = eol - pos;
        size_t next = eol < len ? eol + 1 : eol;
        if (!all_valid && !utf8_valid(l, n)) {
            diag_error(d, label, line, 1, "line is not valid UTF-8");
            pos = next;
            continue;
        }
        size_t i = 0;
        while (i < n && is_space(l[i]))
            i++;
        size_t e = n;
        while (e > i && is_space(l[e - 1]))
            e--;
        if (i == e || l[i] == '#' || l[i] == ';') {
            pos = next;
            continue;
        }
        size_t col = utf8_count(l, i) + 1;
        if (l[i] == '[') {
            if (l[e - 1] != ']') {
                diag_error(d, label, line, col, "section header lacks its closing ']'");
                pos = next;
                continue;
            }
            size_t a = i + 1, b = e - 1;
            while (a < b && is_space(l[a]))
                a++;
            while (b > a && is_space(l[b - 1]))
                b--;
            if (a == b) {
                diag_error(d, label, line, col, "empty section name");
                pos = next;
                continue;
            }
            cur = add_section(out, l + a, b - a, line, utf8_count(l, a) + 1);
            if (!cur)
                return false;
            pos = next;
            continue;
        }
        const char *eq = memchr(l + i, '=', e - i);
        if (!eq) {
            diag_error(d, label, line, col, "expected 'key = value' or '[section]'");
            pos = next;
            continue;
        }
        size_t keq = (size_t)(eq - l);
        size_t kb = keq;
        while (kb > i && is_space(l[kb - 1]))
            kb--;
        if (kb == i) {
            diag_error(d, label, line, col, "missing key before '='");
            pos = next;
            continue;
        }
        size_t va = keq + 1;
        while (va < e && is_space(l[va]))
            va++;
        if (!cur) {
            cur = add_section(out, "", 0, line, 1);
            if (!cur)
                return false;
        }
        if (!add_entry(cur, l + i, kb - i, l + va, e - va, line, col,
                       utf8_count(l, va) + 1))
            return false;
        pos = next;
    }
    return true;
}

bool conf_load(const char *path, conf_file *out, diag *d)
{
    memset(out, 0, sizeof *out);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        diag_error(d, path, 0, 0, "cannot open rule file: %s", strerror(errno));
        return false;
    }
    buf b = BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        buf_append(&b, chunk, n);
    bool ioerr = ferror(fp);
    fclose(fp);
    if (ioerr || b.failed) {
        diag_error(d, path, 0, 0, "cannot read rule file");
        buf_free(&b);
        return false;
    }
    bool ok = conf_parse(path, b.data ? b.data : "", b.len, out, d);
    buf_free(&b);
    return ok;
}

void conf_free(conf_file *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        conf_section *s = &f->sections[i];
        for (size_t k = 0; k < s->n; k++)
            free(s->entries[k].key);  /* the value too: see add_entry */
        free(s->entries);
        free(s->name);
    }
    free(f->sections);
    free(f->path);
    memset(f, 0, sizeof *f);
}

const conf_entry *conf_get(const conf_section *s, const char *key)
{
    for (size_t k = 0; k < s->n; k++)
        if (strcmp(s->entries[k].key, key) == 0)
            return &s->entries[k];
    return NULL;
}

size_t conf_check_keys(const conf_file *f, const conf_section *s,
                       const char *const *allowed, diag *d)
{
    size_t bad = 0;
    for (size_t k = 0; k < s->n; k++) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, s->entries[k].key) == 0)
                ok = true;
        if (!ok) {
            diag_error(d, f->path, s->entries[k].line, s->entries[k].key_col,
                       "unknown key '%s' in [%s]", s->entries[k].key, s->name);
            bad++;
        }
    }
    return bad;
}

/* FNV-1a of a section name, for conf_check_unique's table. */
static size_t name_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return (size_t)(h ^ h >> 32);
}

size_t conf_check_unique(const conf_file *f, diag *d)
{
    size_t bad = 0;
    /* Each name is looked up among the earlier ones in a table of the
     * first section of every name (index + 1, 0 empty): the first earlier
     * section with the same name is that one, as the loop below finds it
     * (which does the work when the table cannot be had). */
    size_t slots = 16;
    while (slots < 2 * f->n)
        slots <<= 1;
    size_t *first = calloc(slots, sizeof *first);
    if (first) {
        for (size_t i = 0; i < f->n; i++) {
            const char *name = f->sections[i].name;
            if (!name[0])
                continue;
            size_t h = name_hash(name) & (slots - 1);
            while (first[h] && strcmp(f->sections[first[h] - 1].name, name) != 0)
                h = (h + 1) & (slots - 1);
            if (!first[h]) {
                first[h] = i + 1;
                continue;
            }
            diag_error(d, f->path, f->sections[i].line, f->sections[i].col,
                       "duplicate id '%s' (first defined on line %zu)", name,
                       f->sections[first[h] - 1].line);
            bad++;
        }
        free(first);
        return bad;
    }
    for (size_t i = 0; i < f->n; i++)
        for (size_t j = 0; j < i; j++)
            if (f->sections[i].name[0] && strcmp(f->sections[i].name, f->sections[j].name) == 0) {
                diag_error(d, f->path, f->sections[i].line, f->sections[i].col,
                           "duplicate id '%s' (first defined on line %zu)",
                           f->sections[i].name, f->sections[j].line);
                bad++;
                break;
            }
    return bad;
}

/* A list separator: ASCII ',' or '|', or full-width '，'.  Not '、': terms
 * such as 体育、艺术专任教师 contain it. */
static size_t separator_len(const char *s)
{
    if (*s == ',' || *s == '|')
        return 1;
    /* '，' is EF BC 8C: its first byte is tested before strncmp is called */
    if ((unsigned char)*s == 0xEF && strncmp(s, "，", 3) == 0)
        return 3;
    return 0;
}

void conf_split_list(const char *value, conf_item_fn fn, void *ctx)
{
    size_t i = 0;
    size_t len = strlen(value);
    while (i <= len) {
        size_t start = i;
        size_t sep = 0;
        while (i < len && !(sep = separator_len(value + i)))
            i++;
        size_t a = start, b = i;
        while (a < b && is_space(value[a]))
            a++;
        while (b > a && is_space(value[b - 1]))
            b--;
        if (b > a && !fn(value + a, b - a, a, ctx))
            return;
        if (i >= len)
            break;
        i += sep;
    }
}
