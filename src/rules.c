/* rules.c -- load and validate the rules directory. */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const KIND_NAMES[KIND_COUNT_OF_KINDS] = {
    "rate", "ratio", "per_capita", "count", "amount", "area", "other"};

const char *rules_kind_name(fig_kind k)
{
    return (unsigned)k < KIND_COUNT_OF_KINDS ? KIND_NAMES[k] : "other";
}

bool rules_kind_parse(const char *s, fig_kind *k)
{
    for (int i = 0; i < KIND_COUNT_OF_KINDS; i++)
        if (strcmp(s, KIND_NAMES[i]) == 0) {
            *k = (fig_kind)i;
            return true;
        }
    return false;
}

/* ----- lists ----- */

static bool list_add(phrase_list *l, const char *s, size_t n)
{
    char **p = realloc(l->items, (l->n + 1) * sizeof *p);
    if (!p)
        return false;
    l->items = p;
    l->items[l->n] = strndup(s, n);
    if (!l->items[l->n])
        return false;
    l->n++;
    return true;
}

static void key_groups_free(key_groups *g)
{
    free(g->key);
    free(g->start);
    free(g->n);
    free(g->idx);
    memset(g, 0, sizeof *g);
}

/* Group items 0..n) by key into g (see key_groups): key_of(src, i, &key)
 * tells item i's key, or false for an item left out.  False when memory
 * ran out (g then empty). */
static bool key_groups_build(key_groups *g, size_t n, const void *src,
                             bool (*key_of)(const void *src, size_t i, uint64_t *key))
{
    key_groups_free(g);
    size_t slots = 16;
    while (slots < 2 * n)
        slots <<= 1;
    g->key = calloc(slots, sizeof *g->key);
    g->start = calloc(slots, sizeof *g->start);
    g->n = calloc(slots, sizeof *g->n);
    g->idx = calloc(n ? n : 1, sizeof *g->idx);
    size_t *fill = calloc(slots, sizeof *fill);
    if (!g->key || !g->start || !g->n || !g->idx || !fill) {
        free(fill);
        key_groups_free(g);
        return false;
    }
    g->mask = slots - 1;
    uint64_t key;
    for (size_t i = 0; i < n; i++)
        if (key_of(src, i, &key)) {
            size_t h = key_groups_slot(g, key);
            g->key[h] = key;
            g->n[h]++;
        }
    size_t at = 0;
    for (size_t h = 0; h < slots; h++) {
        g->start[h] = fill[h] = at;
        at += g->n[h];
    }
    for (size_t i = 0; i < n; i++)
        if (key_of(src, i, &key))
            g->idx[fill[key_groups_slot(g, key)]++] = i;
    free(fill);
    return true;
}

static void g3_free(phrase_list *l)
{
    key_groups_free(&l->g3);
    l->g3_ok = false;
}

/* A phrase list word's g3 key: its first three bytes, when led by E0..EF. */
static bool g3_key_of(const void *src, size_t i, uint64_t *key)
{
    const unsigned char *w = (const unsigned char *)((const phrase_list *)src)->items[i];
    if (w[0] < 0xE0 || w[0] > 0xEF)
        return false;
    *key = (uint64_t)w[0] << 16 | (uint64_t)w[1] << 8 | w[2];
    return true;
}

/* The g3 groups of l (see phrase_list), once lens is set; false when
 * memory ran out.  g3_ok stays false when a word led by E0..EF is shorter
 * than three bytes. */
static bool g3_build(phrase_list *l)
{
    g3_free(l);
    for (size_t i = 0; i < l->n; i++) {
        unsigned char b0 = (unsigned char)l->items[i][0];
        if (b0 >= 0xE0 && b0 <= 0xEF && l->lens[i] < 3)
            return true;
    }
    if (!key_groups_build(&l->g3, l->n, l, g3_key_of))
        return false;
    l->g3_ok = true;
    return true;
}

/* Whether every word of l ends with a character of three bytes led by
 * E0..EF: the words the last3 tables (rules.h) can hold. */
static bool last3_fits(const phrase_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const unsigned char *w = (const unsigned char *)l->items[i];
        size_t n = l->lens[i];
        if (n < 3 || w[n - 3] < 0xE0 || w[n - 3] > 0xEF)
            return false;
    }
    return true;
}

/* Set in bits (16 * 64 words) the last three bytes of every word of l,
 * masked as first3 masks a word's first three. */
static void last3_mark(uint64_t *bits, const phrase_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const unsigned char *w = (const unsigned char *)l->items[i] + l->lens[i] - 3;
        bits[(size_t)(w[0] & 15) << 6 | (w[1] & 63)] |= (uint64_t)1 << (w[2] & 63);
    }
}

/* A phrase list word's l3 key: its last three bytes (every word has them
 * when l3 is built). */
static bool l3_key_of(const void *src, size_t i, uint64_t *key)
{
    const phrase_list *l = src;
    const unsigned char *w = (const unsigned char *)l->items[i] + l->lens[i] - 3;
    *key = (uint64_t)w[0] << 16 | (uint64_t)w[1] << 8 | w[2];
    return true;
}

static void last3_free(phrase_list *l)
{
    free(l->last3);
    l->last3 = NULL;
    key_groups_free(&l->l3);
}

/* The last3 bits and l3 groups of l (rules.h), once lens is set; false
 * when memory ran out.  Left NULL when some word does not fit. */
static bool last3_build(phrase_list *l)
{
    last3_free(l);
    if (!last3_fits(l))
        return true;
    l->last3 = calloc(16 * 64, sizeof *l->last3);
    if (!l->last3 || !key_groups_build(&l->l3, l->n, l, l3_key_of)) {
        last3_free(l);
        return false;
    }
    last3_mark(l->last3, l);
    return true;
}

/* Index the words by first byte (see phrase_list); false when memory ran out. */
static bool list_index(phrase_list *l)
{
    free(l->order);
    free(l->lens);
    free(l->order_last);
    free(l->first_cjk);
    free(l->short_cjk);
    free(l->pair);
    free(l->first3);
    l->order = malloc((l->n ? l->n : 1) * sizeof *l->order);
    l->lens = malloc((l->n ? l->n : 1) * sizeof *l->lens);
    l->order_last = malloc((l->n ? l->n : 1) * sizeof *l->order_last);
    l->first_cjk = calloc(PHRASE_CJK_BITS / 8, 1);
    l->short_cjk = calloc(PHRASE_CJK_BITS / 8, 1);
    l->pair = calloc(PHRASE_PAIR_BITS / 8, 1);
    l->first3 = calloc(16 * 64, sizeof *l->first3);
    if (!l->order || !l->lens || !l->order_last || !l->first_cjk || !l->short_cjk || !l->pair ||
        !l->first3) {
        free(l->order);
        free(l->lens);
        free(l->order_last);
        free(l->first_cjk);
        free(l->short_cjk);
        free(l->pair);
        free(l->first3);
        l->order = l->lens = l->order_last = NULL;
        l->first_cjk = l->short_cjk = l->pair = NULL;
        l->first3 = NULL;
        l->lead2_ok = false;
        return false;
    }
    size_t count[256] = {0};
    for (size_t i = 0; i < l->n; i++) {
        /* An item "SURFACE=CANONICAL" (the stage list: 幼儿园=学前) is
         * found in the text by its surface; the canonical part is only read
         * by whoever maps the word (stage_of).  lens is what every search
         * and filter table below measures, so they all see the surface. */
        size_t surface = strcspn(l->items[i], "=");
        l->lens[i] = surface ? surface : strlen(l->items[i]);
        count[(unsigned char)l->items[i][0]]++;
    }
    l->first[0] = 0;
    for (size_t b = 0; b < 256; b++)
        l->first[b + 1] = l->first[b] + count[b];
    size_t at[256];
    memcpy(at, l->first, sizeof at);
    for (size_t i = 0; i < l->n; i++)
        l->order[at[(unsigned char)l->items[i][0]]++] = i;
    /* by last byte */
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < l->n; i++)
        if (l->lens[i])
            count[(unsigned char)l->items[i][l->lens[i] - 1]]++;
    l->last[0] = 0;
    for (size_t b = 0; b < 256; b++)
        l->last[b + 1] = l->last[b] + count[b];
    memcpy(at, l->last, sizeof at);
    for (size_t i = 0; i < l->n; i++)
        if (l->lens[i])
            l->order_last[at[(unsigned char)l->items[i][l->lens[i] - 1]]++] = i;
    /* the two-byte filter */
    memset(l->lead2, 0, sizeof l->lead2);
    for (size_t i = 0; i < l->n; i++) {
        unsigned char b0 = (unsigned char)l->items[i][0];
        if (b0 < 0xE0 || b0 > 0xEF)
            continue;
        if (l->lens[i] < 2)
            l->lead2[b0 & 15] = UINT64_MAX; /* any second byte */
        else
            l->lead2[b0 & 15] |= (uint64_t)1 << ((unsigned char)l->items[i][1] & 63);
    }
    l->lead2_ok = true;
    /* the first three bytes of the words led by E0..EF */
    for (size_t i = 0; i < l->n; i++) {
        const unsigned char *w = (const unsigned char *)l->items[i];
        if (w[0] < 0xE0 || w[0] > 0xEF)
            continue;
        size_t row = (size_t)(w[0] & 15) << 6;
        if (l->lens[i] < 2)
            for (size_t k = 0; k < 64; k++)
                l->first3[row + k] = UINT64_MAX;
        else if (l->lens[i] < 3)
            l->first3[row + (w[1] & 63)] = UINT64_MAX;
        else
            l->first3[row + (w[1] & 63)] |= (uint64_t)1 << (w[2] & 63);
    }
    /* the first characters in U+4E00..U+9FFF (words are valid UTF-8) */
    for (size_t i = 0; i < l->n; i++) {
        size_t p0 = 0;
        uint32_t cp = l->lens[i] ? utf8_next(l->items[i], l->lens[i], &p0) : 0;
        if (cp >= PHRASE_CJK_LO && cp - PHRASE_CJK_LO < PHRASE_CJK_BITS) {
            uint32_t off = cp - PHRASE_CJK_LO;
            l->first_cjk[off >> 3] |= (unsigned char)(1u << (off & 7));
            if (l->lens[i] < 6)
                l->short_cjk[off >> 3] |= (unsigned char)(1u << (off & 7));
        }
        if (l->lens[i] >= 6) {
            uint32_t h = phrase_pair_hash(l->items[i], PHRASE_PAIR_BITS);
            l->pair[h >> 3] |= (unsigned char)(1u << (h & 7));
        }
    }
    return g3_build(l) && last3_build(l);
}

static void list_free(phrase_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    free(l->order);
    free(l->lens);
    free(l->order_last);
    free(l->first_cjk);
    free(l->short_cjk);
    free(l->pair);
    free(l->first3);
    g3_free(l);
    last3_free(l);
    for (size_t i = 0; i < l->npatterns; i++)
        rx_free(&l->patterns[i]);
    free(l->patterns);
    memset(l, 0, sizeof *l);
}

static bool add_item_cb(const char *item, size_t len, size_t offset, void *ctx)
{
    (void)offset;
    return list_add(ctx, item, len);
}

static int cmp_len_desc(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
    return la < lb ? 1 : la > lb ? -1 : strcmp(*(char *const *)a, *(char *const *)b);
}

/* ----- indicators.conf ----- */

static const char *const INDICATOR_KEYS[] = {"name",  "terms",     "kind", "unit", "range",
                                             "better", "gross",    "threshold", "note", NULL};

static bool parse_range(const char *v, double *lo, double *hi)
{
    /* "LOW..HIGH": split at ".." first, since strtod would read "80." */
    const char *dots = strstr(v, "..");
    if (!dots || dots == v)
        return false;
    char low[64];
    size_t n = (size_t)(dots - v);
    if (n >= sizeof low)
        return false;
    memcpy(low, v, n);
    low[n] = '\0';
    char *e;
    *lo = strtod(low, &e);
    if (e == low || *e)
        return false;
    const char *h = dots + 2;
    *hi = strtod(h, &e);
    return e != h && *e == '\0' && *lo <= *hi;
}

static size_t load_indicators(const conf_file *f, rules *ru, diag *d)
{
    size_t errors = conf_check_unique(f, d);
    ru->indicators = calloc(f->n ? f->n : 1, sizeof *ru->indicators);
    if (!ru->indicators)
        return errors + 1;
    for (size_t i = 0; i < f->n; i++) {
        const conf_section *s = &f->sections[i];
        if (!s->name[0]) {
            diag_error(d, f->path, s->line, s->col, "entries must follow an [id]");
            errors++;
            continue;
        }
        errors += conf_check_keys(f, s, INDICATOR_KEYS, d);
        indicator *ind = &ru->indicators[ru->nindicators];
        memset(ind, 0, sizeof *ind);
        ind->range_lo = 1;
        ind->range_hi = 0;
        ind->line = s->line;
        const conf_entry *e;
        if (!(e = conf_get(s, "name"))) {
            diag_error(d, f->path, s->line, s->col, "[%s] has no name", s->name);
            errors++;
            continue;
        }
        ind->id = strdup(s->name);
        ind->name = strdup(e->value);
        phrase_list terms = {.items = NULL};
        list_add(&terms, e->value, strlen(e->value));
        for (size_t k = 0; k < s->n; k++)
            if (strcmp(s->entries[k].key, "terms") == 0)
                conf_split_list(s->entries[k].value, add_item_cb, &terms);
        qsort(terms.items, terms.n, sizeof *terms.items, cmp_len_desc);
        ind->terms = terms.items;
        ind->nterms = terms.n;
        /* their lengths, for the matcher's whole-name test (left NULL when
         * memory ran out: it then measures them) */
        ind->term_lens = malloc((terms.n ? terms.n : 1) * sizeof *ind->term_lens);
        for (size_t k = 0; ind->term_lens && k < terms.n; k++)
            ind->term_lens[k] = strlen(terms.items[k]);
        if (!(e = conf_get(s, "kind")) || !rules_kind_parse(e->value, &ind->kind)) {
            diag_error(d, f->path, e ? e->line : s->line, e ? e->value_col : s->col,
                       "kind must be rate, ratio, per_capita, count, amount, area or other");
            errors++;
        }
        if ((e = conf_get(s, "unit")))
            ind->unit = strdup(e->value);
        if ((e = conf_get(s, "range")) && !parse_range(e->value, &ind->range_lo, &ind->range_hi)) {
            diag_error(d, f->path, e->line, e->value_col, "range must be LOW..HIGH");
            errors++;
        }
        if ((e = conf_get(s, "better"))) {
            if (strcmp(e->value, "higher") == 0)
                ind->direction = 1;
            else if (strcmp(e->value, "lower") == 0)
                ind->direction = -1;
            else if (strcmp(e->value, "neutral") == 0)
                ind->direction = 0;
            else {
                diag_error(d, f->path, e->line, e->value_col,
                           "better must be higher, lower or neutral");
                errors++;
            }
        }
        if ((e = conf_get(s, "gross"))) {
            if (strcmp(e->value, "yes") == 0)
                ind->gross = true;
            else if (strcmp(e->value, "no") != 0) {
                diag_error(d, f->path, e->line, e->value_col, "gross must be yes or no");
                errors++;
            }
        }
        for (size_t k = 0; k < s->n; k++) {
            const conf_entry *te = &s->entries[k];
            if (strcmp(te->key, "threshold") != 0)
                continue;
            /* "小学 4.2" or "4.2" */
            char stage[32] = "";
            double v;
            char *endp;
            const char *num = te->value;
            const char *sp = strchr(te->value, ' ');
            if (sp && (size_t)(sp - te->value) < sizeof stage) {
                memcpy(stage, te->value, (size_t)(sp - te->value));
                stage[sp - te->value] = '\0';
                num = sp + 1;
            }
            v = strtod(num, &endp);
            if (endp == num || *endp) {
                diag_error(d, f->path, te->line, te->value_col,
                           "threshold must be '[STAGE ]NUMBER'");
                errors++;
                continue;
            }
            threshold *t = realloc(ind->thresholds, (ind->nthresholds + 1) * sizeof *t);
            if (!t)
                return errors + 1;
            ind->thresholds = t;
            t[ind->nthresholds].stage = stage[0] ? strdup(stage) : NULL;
            t[ind->nthresholds].value = v;
            ind->nthresholds++;
        }
        ru->nindicators++;
    }
    return errors;
}

/* ----- phrases.conf ----- */

/* Mark in ru->walk3 and ru->walk_pair (rules.h) the words of l as list k. */
static void walk_mark(rules *ru, const phrase_list *l, unsigned k)
{
    for (size_t i = 0; i < l->n; i++) {
        const unsigned char *w = (const unsigned char *)l->items[i];
        size_t n = l->lens[i];
        if (n == 0 || w[0] < 0xE0 || w[0] > 0xEF)
            continue;
        /* the codes first3 marks for this word: all those led by w[0] for a
         * word of one byte, by w[0] w[1] for one of two */
        size_t code = (size_t)(w[0] & 15) << 12, count = 4096;
        if (n >= 2) {
            code |= (size_t)(w[1] & 63) << 6;
            count = 64;
        }
        if (n >= 3) {
            code |= w[2] & 63;
            count = 1;
        }
        unsigned char bit = (unsigned char)(n < 6 ? 1u << k : 8u << k);
        for (size_t c = code; c < code + count; c++)
            ru->walk3[c] |= bit;
        if (n >= 6)
            ru->walk_pair[phrase_pair_hash(l->items[i], PHRASE_PAIR_BITS)] |=
                (unsigned char)(1u << k);
    }
}

/* Add the last bytes of the words of l, masked (& 63), to the distinct
 * ones of ru->claim_last_byte; *many set when there are more than eight. */
static void claim_last_bytes_add(rules *ru, const phrase_list *l, bool *many)
{
    for (size_t i = 0; i < l->n && !*many; i++) {
        unsigned char b = (unsigned char)(l->items[i][l->lens[i] - 1] & 63);
        unsigned k = 0;
        while (k < ru->nclaim_last_byte && ru->claim_last_byte[k][0] != b)
            k++;
        if (k < ru->nclaim_last_byte)
            continue;
        if (ru->nclaim_last_byte == 8)
            *many = true;
        else
            for (k = ru->nclaim_last_byte++; k < 8; k++)
                memset(ru->claim_last_byte[k], b, 16); /* this row and those after */
    }
}

/* ru->claim_last3 and claim_last_byte (rules.h); false when memory ran
 * out. */
static bool claim_last3_build(rules *ru)
{
    free(ru->claim_last3);
    ru->claim_last3 = NULL;
    ru->nclaim_last_byte = 0;
    if (!last3_fits(&ru->claim_met) || !last3_fits(&ru->claim_not_met))
        return true;
    ru->claim_last3 = calloc(16 * 64, sizeof *ru->claim_last3);
    if (!ru->claim_last3)
        return false;
    last3_mark(ru->claim_last3, &ru->claim_met);
    last3_mark(ru->claim_last3, &ru->claim_not_met);
    bool many = false;
    claim_last_bytes_add(ru, &ru->claim_met, &many);
    claim_last_bytes_add(ru, &ru->claim_not_met, &many);
    if (many)
        ru->nclaim_last_byte = 0;
    return true;
}

/* The stage the surface w[0..wl) names (rules_stage_named), by a walk over
 * the stage items. */
static const char *stage_scan(const phrase_list *l, const char *w, size_t wl)
{
    /* the first item whose surface (before its first '=') is the word:
     * with no '=' in the word, an item starting with the word's bytes and
     * ending or going on with '=' right after them */
    if (memchr(w, '=', wl))
        return NULL;
    for (size_t i = 0; i < l->n; i++) {
        const char *it = l->items[i];
        size_t il = l->lens ? l->lens[i] : strlen(it);
        if (il >= wl && it[0] == w[0] && memcmp(it, w, wl) == 0 && (it[wl] == '\0' || it[wl] == '='))
            return it[wl] == '=' ? it + wl + 1 : it;
    }
    return NULL;
}

/* ru->stage_by_item (rules.h); false when memory ran out. */
static bool stage_by_item_build(rules *ru)
{
    const phrase_list *l = &ru->stage_words;
    free(ru->stage_by_item);
    ru->stage_by_item = malloc((l->n ? l->n : 1) * sizeof *ru->stage_by_item);
    if (!ru->stage_by_item)
        return false;
    for (size_t i = 0; i < l->n; i++)
        ru->stage_by_item[i] = stage_scan(l, l->items[i], l->lens[i]);
    return true;
}

const char *rules_stage_named(const rules *ru, const char *w, size_t wl)
{
    const phrase_list *l = &ru->stage_words;
    const unsigned char *p = (const unsigned char *)w;
    if (ru->stage_by_item && l->g3_ok && wl >= 3 && p[0] >= 0xE0 && p[0] <= 0xEF) {
        /* A word that is an item's surface names what stage_scan() gave
         * for that surface at load (the same bytes, so the same answer);
         * such an item is in the group of the word's first three bytes
         * (which the group's items share: the rest is compared). */
        size_t h = key_groups_slot(&l->g3, (uint64_t)p[0] << 16 | (uint64_t)p[1] << 8 | p[2]);
        for (size_t e = l->g3.start[h], end = e + l->g3.n[h]; e < end; e++) {
            size_t i = l->g3.idx[e];
            if (l->lens[i] == wl && bytes_same_back(l->items[i] + 3, w + 3, wl - 3))
                return ru->stage_by_item[i];
        }
    }
    return stage_scan(l, w, wl);
}

/* The walk lists in the order of their bits (rules.h: walk3). */
static const phrase_list *walk_list(const rules *ru, unsigned k)
{
    return k == 0 ? &ru->name_stops : k == 1 ? &ru->per_capita_words : &ru->stage_words;
}

/* The walk_g3 key of word number i of the three lists (rules.h). */
static bool walk_key_of(const void *src, size_t i, uint64_t *key)
{
    const rules *ru = src;
    unsigned k = i >= ru->walk_base[2] ? 2 : i >= ru->walk_base[1];
    return g3_key_of(walk_list(ru, k), i - ru->walk_base[k], key);
}

/* The name walk's tables of its three lists (rules.h: walk3, walk_g3). */
static bool walk_build(rules *ru)
{
    free(ru->walk3);
    key_groups_free(&ru->walk_g3);
    ru->walk_g3_ok = false;
    ru->walk3 = calloc(65536 + PHRASE_PAIR_BITS, 1);
    if (!ru->walk3)
        return false;
    ru->walk_pair = ru->walk3 + 65536;
    ru->walk_base[0] = 0;
    for (unsigned k = 0; k < 3; k++) {
        walk_mark(ru, walk_list(ru, k), k);
        ru->walk_base[k + 1] = ru->walk_base[k] + walk_list(ru, k)->n;
    }
    if (!walk_list(ru, 0)->g3_ok || !walk_list(ru, 1)->g3_ok || !walk_list(ru, 2)->g3_ok)
        return true;
    if (!key_groups_build(&ru->walk_g3, ru->walk_base[3], ru, walk_key_of))
        return false;
    ru->walk_g3_ok = true;
    return true;
}

static size_t load_phrases(const conf_file *f, rules *ru, diag *d)
{
    static const char *const KEYS[] = {"words", "pattern", "note", NULL};
    struct {
        const char *name;
        phrase_list *list;
    } lists[] = {{"claim_met", &ru->claim_met},         {"claim_not_met", &ru->claim_not_met},
                 {"standard", &ru->standard_words},     {"stage", &ru->stage_words},
                 {"connective", &ru->connectives},      {"change", &ru->change_words},
                 {"name_stop", &ru->name_stops},        {"per_capita", &ru->per_capita_words},
                 {"gap", &ru->gap_words},               {"level", &ru->level_words},
                 {"at_most", &ru->lower_words},        {"abstract", &ru->abstract_nouns},
                 {"comparison", &ru->comparison_words}};
    size_t errors = conf_check_unique(f, d);
    for (size_t i = 0; i < f->n; i++) {
        const conf_section *s = &f->sections[i];
        phrase_list *l = NULL;
        if (strcmp(s->name, "policy") == 0) {
            static const char *const PKEYS[] = {"changes", "note", NULL};
            errors += conf_check_keys(f, s, PKEYS, d);
            const conf_entry *e = conf_get(s, "changes");
            if (e && strcmp(e->value, "keep") == 0)
                ru->keep_changes = true;
            else if (e && strcmp(e->value, "drop") != 0) {
                diag_error(d, f->path, e->line, e->value_col, "changes must be keep or drop");
                errors++;
            }
            continue;
        }
        for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
            if (strcmp(lists[k].name, s->name) == 0)
                l = lists[k].list;
        if (!l) {
            diag_error(d, f->path, s->line, s->col, "unknown phrase list [%s]", s->name);
            errors++;
            continue;
        }
        errors += conf_check_keys(f, s, KEYS, d);
        for (size_t k = 0; k < s->n; k++) {
            const conf_entry *e = &s->entries[k];
            if (strcmp(e->key, "words") == 0) {
                conf_split_list(e->value, add_item_cb, l);
            } else if (strcmp(e->key, "pattern") == 0) {
                rx *p = realloc(l->patterns, (l->npatterns + 1) * sizeof *p);
                if (!p)
                    return errors + 1;
                l->patterns = p;
                if (rx_compile(&p[l->npatterns], e->value, 0, f->path, e->line, e->value_col, d))
                    l->npatterns++;
                else
                    errors++;
            }
        }
        qsort(l->items, l->n, sizeof *l->items, cmp_len_desc);
    }
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
        if (!list_index(lists[k].list))
            return errors + 1;
    if (!walk_build(ru) || !stage_by_item_build(ru))
        return errors + 1;
    /* the claim scan asks both claim lists at every character: one table */
    free(ru->claim_first3);
    ru->claim_first3 = NULL;
    if (ru->claim_met.first3 && ru->claim_not_met.first3) {
        ru->claim_first3 = malloc(16 * 64 * sizeof *ru->claim_first3);
        if (!ru->claim_first3)
            return errors + 1;
        for (size_t w = 0; w < 16 * 64; w++)
            ru->claim_first3[w] = ru->claim_met.first3[w] | ru->claim_not_met.first3[w];
    }
    if (!claim_last3_build(ru))
        return errors + 1;
    /* ... and may try both lists' patterns on most sentences, which hold
     * none of the literals every match holds */
    ru->claim_needles.n = 0;
    ru->claim_gate = ru->claim_met.npatterns + ru->claim_not_met.npatterns > 0;
    for (size_t k = 0; k < ru->claim_met.npatterns && ru->claim_gate; k++)
        ru->claim_gate = rx_needles_add(&ru->claim_needles, &ru->claim_met.patterns[k].needles);
    for (size_t k = 0; k < ru->claim_not_met.npatterns && ru->claim_gate; k++)
        ru->claim_gate = rx_needles_add(&ru->claim_needles, &ru->claim_not_met.patterns[k].needles);
    return errors;
}

/* ----- the term index ----- */

/* The unit that ends at p in s[lo..p) (p > lo): the three bytes of a lead
 * E0..EF and two continuation bytes, else the one byte before p.  *code
 * receives its bytes as one number (a three-byte one is >= 0xE00000, a
 * byte below 0x100).  Returns its length.
 *
 * Terms are cut into units the same way (as strings of their own), and a
 * term matching s[j..e) is cut alike in both: a three-byte unit ending at
 * p with j < p < j + 3 would need a continuation byte at s[j], where the
 * term, valid UTF-8, has none; so the walk back from e meets j exactly
 * where the term's units end. */
static inline size_t term_unit_before(const unsigned char *s, size_t lo, size_t p, uint32_t *code)
{
    if (p - lo >= 3) {
        /* lead 1110xxxx, then two 10xxxxxx: one mask over the three bytes */
        uint32_t c;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* the same number from the byte s[p - 3] and one load of the two
         * after it, byte-swapped: no test of whether a fourth byte lies
         * within the span (a walk back to a name's start met that test at
         * its last unit, a branch the processor missed) */
        uint16_t w;
        memcpy(&w, s + p - 2, 2);
        c = (uint32_t)s[p - 3] << 16 | __builtin_bswap16(w);
#else
        c = (uint32_t)s[p - 3] << 16 | (uint32_t)s[p - 2] << 8 | s[p - 1];
#endif
        if ((c & 0xF0C0C0) == 0xE08080) {
            *code = c;
            return 3;
        }
    }
    *code = s[p - 1];
    return 1;
}

/* The slot of the edge key (see term_trie): its own, or the empty one
 * where it would go. */
static inline size_t term_edge_slot(const term_trie *t, uint64_t key)
{
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15u) >> 40) & t->mask;
    while (t->key[h] && t->key[h] != key)
        h = (h + 1) & t->mask;
    return h;
}

static void term_trie_free(term_trie *t)
{
    free(t->key);
    free(t->child);
    free(t->ind);
    memset(t, 0, sizeof *t);
}

/* The bit of term_trie.root for the unit code (a hash of it). */
static inline uint32_t term_root_bit(uint32_t code)
{
    return (uint32_t)(code * 0x9E3779B1u) >> 16;
}

/* False when no term ends with the unit code (no root edge). */
static inline bool term_root_may(const term_trie *t, uint32_t code)
{
    uint32_t b = term_root_bit(code);
    return t->root[b >> 6] >> (b & 63) & 1;
}

/* Add term w (len bytes, len > 0) of ind, walking back from its end and
 * making the nodes it lacks; a node already ending a term keeps its first
 * indicator. */
static void term_trie_add(term_trie *t, const char *w, size_t len, const indicator *ind)
{
    const unsigned char *s = (const unsigned char *)w;
    uint32_t v = 0;
    for (size_t p = len; p > 0;) {
        uint32_t code;
        size_t ulen = term_unit_before(s, 0, p, &code);
        if (p == len)
            t->root[term_root_bit(code) >> 6] |= (uint64_t)1 << (term_root_bit(code) & 63);
        p -= ulen;
        uint64_t key = (uint64_t)v << 24 | code;
        size_t h = term_edge_slot(t, key);
        if (!t->key[h]) {
            t->key[h] = key;
            t->child[h] = (uint32_t)t->nnodes++;
        }
        v = t->child[h];
    }
    if (!t->ind[v])
        t->ind[v] = ind;
}

/* The trie of every indicator's terms, in catalogue order (see term_trie):
 * false when memory ran out. */
static bool build_term_index(rules *ru)
{
    term_trie *t = &ru->terms;
    term_trie_free(t);
    size_t bytes = 0;
    for (size_t i = 0; i < ru->nindicators; i++)
        for (size_t k = 0; k < ru->indicators[i].nterms; k++)
            bytes += strlen(ru->indicators[i].terms[k]);
    /* a node per unit at most, an edge per node but the root; slots at
     * least twice the edges keep the probes short */
    size_t slots = 16;
    while (slots < 2 * bytes)
        slots <<= 1;
    t->key = calloc(slots, sizeof *t->key);
    t->child = calloc(slots, sizeof *t->child);
    t->ind = calloc(bytes + 1, sizeof *t->ind);
    if (!t->key || !t->child || !t->ind) {
        term_trie_free(t);
        return false;
    }
    t->mask = slots - 1;
    t->nnodes = 1;
    for (size_t i = 0; i < ru->nindicators; i++)
        for (size_t k = 0; k < ru->indicators[i].nterms; k++) {
            const char *w = ru->indicators[i].terms[k];
            if (w[0])
                term_trie_add(t, w, strlen(w), &ru->indicators[i]);
        }
    return true;
}

/* The longest term that is s[j..e) for some j >= lo, given the unit that
 * ends at e (code, ulen bytes): its length (0 when none) and, in *ind, its
 * indicator.  One walk back from e through the trie, as far as some term
 * goes on.  (A NUL byte in s gives the key 0 at the root, which finds the
 * empty slot its probe stops at: no term holds one.) */
static inline size_t term_walk(const term_trie *t, const unsigned char *s, size_t lo, size_t e,
                               uint32_t code, size_t ulen, const indicator **ind)
{
    size_t best = 0;
    uint32_t v = 0;
    for (size_t p = e - ulen;; p -= ulen) {
        size_t h = term_edge_slot(t, (uint64_t)v << 24 | code);
        if (!t->key[h])
            break;
        v = t->child[h];
        if (t->ind[v]) {
            best = e - p;
            *ind = t->ind[v];
        }
        if (p == lo)
            break;
        ulen = term_unit_before(s, lo, p, &code);
    }
    return best;
}

const indicator *rules_classify(const rules *ru, const char *name, size_t n, size_t *term_end)
{
    /* The longest term, and among equally long ones the one ending last:
     * the ends are tried from the last one back, and an earlier end only
     * wins with a longer term, so none can once e is no more than the best
     * length.  A term ends where a unit of the text ends (see
     * term_unit_before: inside a three-byte unit the byte before is a lead
     * or a continuation byte after a lead, which no valid UTF-8 ends with),
     * so the ends step back by units; most ends whose unit ends no term
     * are passed by the root's filter alone. */
    const unsigned char *u = (const unsigned char *)name;
    const term_trie *t = &ru->terms;
    const indicator *best = NULL;
    size_t best_len = 0, best_end = 0;
    for (size_t e = n; e > best_len;) {
        uint32_t code;
        size_t ulen = term_unit_before(u, 0, e, &code);
        if (term_root_may(t, code)) {
            const indicator *ind = NULL;
            size_t len = term_walk(t, u, 0, e, code, ulen, &ind);
            if (len > best_len) {
                best = ind;
                best_len = len;
                best_end = e;
            }
        }
        e -= ulen;
    }
    if (term_end)
        *term_end = best_end;
    return best;
}

size_t rules_term_ending(const rules *ru, const char *s, size_t lo, size_t hi)
{
    const unsigned char *u = (const unsigned char *)s;
    const indicator *ind;
    uint32_t code;
    if (hi <= lo)
        return 0;
    size_t ulen = term_unit_before(u, lo, hi, &code);
    if (!term_root_may(&ru->terms, code))
        return 0;
    return term_walk(&ru->terms, u, lo, hi, code, ulen, &ind);
}

/* ----- indicators by id ----- */

/* The by_id slot of an id's address: its indicator's, or an empty one. */
static size_t by_id_slot(const rules *ru, const char *id)
{
    size_t h = (size_t)(((uint64_t)(uintptr_t)id * 0x9E3779B97F4A7C15u) >> 40) & ru->by_id_mask;
    while (ru->by_id[h] && ru->indicators[ru->by_id[h] - 1].id != id)
        h = (h + 1) & ru->by_id_mask;
    return h;
}

/* The by_id table (see rules.h); false when memory ran out. */
static bool build_by_id(rules *ru)
{
    size_t slots = 16;
    while (slots < 2 * ru->nindicators)
        slots <<= 1;
    free(ru->by_id);
    ru->by_id = calloc(slots, sizeof *ru->by_id);
    if (!ru->by_id)
        return false;
    ru->by_id_mask = slots - 1;
    for (size_t i = 0; i < ru->nindicators; i++)
        ru->by_id[by_id_slot(ru, ru->indicators[i].id)] = i + 1;
    return true;
}

/* ----- the directory ----- */

static bool load_file(const char *dir, const char *name, conf_file *f, diag *d)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return conf_load(path, f, d);
}

rules *rules_load(const char *dir, diag *d)
{
    rules *ru = calloc(1, sizeof *ru);
    if (!ru)
        return NULL;
    ru->dir = strdup(dir);
    size_t before = d->errors;
    conf_file f;
    if (load_file(dir, "units.conf", &f, d))
        num_units_load(&f, &ru->units, d);
    conf_free(&f);
    if (load_file(dir, "indicators.conf", &f, d))
        load_indicators(&f, ru, d);
    conf_free(&f);
    if (load_file(dir, "boilerplate.conf", &f, d))
        clean_rules_load(&f, &ru->clean, d);
    conf_free(&f);
    if (load_file(dir, "charmap.conf", &f, d))
        normalize_charmap_load(&f, &ru->charmap, d);
    conf_free(&f);
    if (load_file(dir, "phrases.conf", &f, d))
        load_phrases(&f, ru, d);
    conf_free(&f);
    if (!build_term_index(ru) || !build_by_id(ru))
        d->errors++;
    /* Normalize's walk notes where clean's would stop (clean_normalize_doc());
     * without the link (no literals, no memory) the two walk on their own. */
    (void)clean_link_charmap(&ru->clean, &ru->charmap);
    if (d->errors > before || !ru->dir) {
        rules_free(ru);
        return NULL;
    }
    return ru;
}

void rules_free(rules *ru)
{
    if (!ru)
        return;
    for (size_t i = 0; i < ru->nindicators; i++) {
        indicator *ind = &ru->indicators[i];
        free(ind->id);
        free(ind->name);
        for (size_t k = 0; k < ind->nterms; k++)
            free(ind->terms[k]);
        free(ind->terms);
        free(ind->term_lens);
        free(ind->unit);
        for (size_t k = 0; k < ind->nthresholds; k++)
            free((char *)ind->thresholds[k].stage);
        free(ind->thresholds);
    }
    free(ru->indicators);
    num_units_free(&ru->units);
    clean_rules_free(&ru->clean);
    normalize_charmap_free(&ru->charmap);
    list_free(&ru->claim_met);
    list_free(&ru->claim_not_met);
    free(ru->claim_first3);
    free(ru->claim_last3);
    free(ru->stage_by_item);
    free(ru->walk3);
    key_groups_free(&ru->walk_g3);
    list_free(&ru->standard_words);
    list_free(&ru->stage_words);
    list_free(&ru->connectives);
    list_free(&ru->change_words);
    list_free(&ru->name_stops);
    list_free(&ru->per_capita_words);
    list_free(&ru->gap_words);
    list_free(&ru->level_words);
    list_free(&ru->lower_words);
    list_free(&ru->abstract_nouns);
    list_free(&ru->comparison_words);
    term_trie_free(&ru->terms);
    free(ru->by_id);
    free(ru->dir);
    free(ru);
}

const indicator *rules_find(const rules *ru, const char *id)
{
    /* A figure's id is its indicator's own string: found by address first,
     * in by_id (ids are unique, conf_check_unique, so it is the one strcmp
     * finds). */
    size_t k = ru->by_id[by_id_slot(ru, id)];
    if (k)
        return &ru->indicators[k - 1];
    for (size_t i = 0; i < ru->nindicators; i++)
        if (strcmp(ru->indicators[i].id, id) == 0)
            return &ru->indicators[i];
    return NULL;
}
