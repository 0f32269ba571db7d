/* doc.c -- document model: ownership and offset mapping. */
#include "doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The rare paths of the functions called once per figure or check (a new
 * block, a bigger array) are kept out of line. */
#if defined(__GNUC__)
#define RARE __attribute__((noinline, cold))
#else
#define RARE
#endif

/* d as a new doc for path, but for what doc_close() keeps (see doc_open()). */
static void doc_reset(doc *d, const char *path)
{
    report *reports = d->reports;
    size_t capreports = d->capreports;
    name_block *spare = d->spare;
    section *spare_sections = d->spare_sections;
    size_t spare_capsections = d->spare_capsections;
    doc_kept kept = d->kept;
    text_map map = d->map;
    memset(d, 0, sizeof *d);
    d->path = (char *)path;
    d->map = map;
    text_map_reset(&d->map);
    d->tail_orig = SIZE_MAX;
    d->reports = reports;
    d->capreports = capreports;
    d->spare = spare;
    d->spare_sections = spare_sections;
    d->spare_capsections = spare_capsections;
    d->kept = kept;
    d->cpix.room = kept.cps;
    d->cpix.roomblocks = kept.cps_blocks;
}

doc *doc_new(const char *path)
{
    /* The path is kept right after the doc, in the same block: one
     * allocation per input instead of two (doc_free frees both). */
    if (!path)
        path = "-";
    size_t len = strlen(path);
    /* malloc() and memset() rather than calloc(): glibc's calloc() takes
     * no block from the thread's cache (tcache) and costs about 300
     * instructions a call here; a doc is made per input. */
    doc *d = malloc(sizeof *d + len + 1);
    if (!d)
        return NULL;
    d->reports = NULL;
    d->capreports = 0;
    d->spare = NULL;
    d->spare_sections = NULL;
    d->spare_capsections = 0;
    memset(&d->kept, 0, sizeof d->kept);
    text_map_init(&d->map);
    doc_reset(d, memcpy((char *)(d + 1), path, len + 1));
    return d;
}

void doc_open(doc *d, const char *path)
{
    doc_reset(d, path ? path : "-");
}

/* free(p) unless p is NULL: most of a report's pointers are NULL when it
 * is cleared (a one-line report has no title, a report cleared once is
 * cleared again by doc_close()), and free(NULL) is still a call. */
static inline void free_if(void *p)
{
    if (p)
        free(p);
}

void report_clear(report *r)
{
    free_if(r->title);
    free_if(r->organization);
    free_if(r->period);
    free_if(r->date);
    free_if(r->sections);
    for (size_t i = 0; i < r->nfigures; i++)
        if (!r->figures[i].name_pooled)
            free(r->figures[i].name);
    if (!r->figures_pooled)
        free_if(r->figures);
    while (r->names) {
        name_block *next = r->names->next;
        free(r->names);
        r->names = next;
    }
    if (!r->checks_pooled)
        free_if(r->checks);
    memset(r, 0, sizeof *r);
}

static void discard_reports(doc *d);

/* doc_close()'s part for the working text and the code-point index: the
 * buffer normalize made for the text (its size known: d->work_cap) and
 * the index's counts become the spares doc_open() hands on, unless they
 * are too large or a spare is already there (a text made some other way,
 * or an index built in the room, is freed or left as it is). */
static void doc_keep_text(doc *d)
{
    if (d->work && d->work_cap && d->work_cap <= DOC_KEEP_BYTES && !d->kept.work) {
        d->kept.work = d->work;
        d->kept.work_cap = d->work_cap;
    } else {
        free(d->work);
    }
    d->work = NULL;
    d->work_cap = 0;
    cp_index *ix = &d->cpix;
    if (ix->cps && ix->cps != d->kept.cps && ix->nblocks * sizeof *ix->cps <= DOC_KEEP_BYTES) {
        free(d->kept.cps);
        d->kept.cps = ix->cps;
        d->kept.cps_blocks = ix->nblocks;
        ix->cps = NULL;
    }
    cp_index_free(ix);
    ix->room = NULL;
    ix->roomblocks = 0;
}

/* A reports array kept by doc_close() holds at most this many reports (a
 * report is about 200 bytes): a volume's larger one is freed, so a reused
 * doc keeps little memory. */
#define DOC_KEEP_REPORTS 64

void doc_close(doc *d)
{
    for (size_t i = 0; i < d->nreports; i++)
        report_clear(&d->reports[i]);
    d->nreports = 0;
    if (d->capreports > DOC_KEEP_REPORTS)
        discard_reports(d);
    if (!d->orig_borrowed)
        free(d->orig);
    d->orig = NULL;
    doc_keep_text(d);
    if (text_map_kept_bytes(&d->map) > DOC_KEEP_BYTES)
        text_map_free(&d->map);
    else
        text_map_reset(&d->map);
}

/* doc_discard()'s part for the reports: their array and the spares of
 * doc_lend_block() and doc_clear_report(). */
static void discard_reports(doc *d)
{
    free(d->reports);
    d->reports = NULL;
    d->capreports = 0;
    free(d->spare);
    d->spare = NULL;
    free(d->spare_sections);
    d->spare_sections = NULL;
    d->spare_capsections = 0;
}

void doc_discard(doc *d)
{
    discard_reports(d);
    free(d->kept.work);
    free(d->kept.cps);
    free(d->kept.hits);
    free(d->kept.drops);
    memset(&d->kept, 0, sizeof d->kept);
    text_map_free(&d->map);
}

void doc_free(doc *d)
{
    if (!d)
        return;
    doc_close(d);
    doc_discard(d);
    free(d);
}

size_t doc_orig_byte(const doc *d, size_t w)
{
    return text_map_lookup(&d->map, d->work, d->work_len, d->orig, d->orig_len, w);
}

/* Bytes of working text between checkpoints: a lookup walks at most this
 * far (about 340 Chinese characters).  Lookups inside a stretch the working
 * text shares with the original need no walk at all (text_map.same), and
 * every stretch after a character that differs gets a checkpoint of its
 * own (text_map_densify()), so a wider step costs the lookups nothing on
 * the bench data (their total fell: fewer checkpoints to search) while the
 * map is cheaper to build (64 -> 256: doc_index_map 5.17M -> 4.57M on the
 * profile slice; 256 -> 1024: 5.68M -> 5.38M on 1 000 bench files, their
 * lookups 0.62M -> 0.55M, and 0.7M less over the whole of large.txt). */
#define DOC_MAP_STEP 1024

bool doc_index_map(doc *d)
{
    /* The decoded original is well-formed UTF-8 (decode_input() makes it
     * so), which lets the map compare bytes only. */
    return text_map_densify_valid(&d->map, d->work, d->work_len, d->orig, d->orig_len,
                                  DOC_MAP_STEP);
}

/* The original bytes [*ob, *oe) behind working bytes w.  The last character
 * is mapped and stepped over in the original, so a span never swallows text
 * the cleaner dropped right after it. */
static void orig_bytes(const doc *d, wspan w, size_t *ob, size_t *oe)
{
    *ob = doc_orig_byte(d, w.start);
    *oe = *ob;
    if (w.end > w.start) {
        size_t last;
        utf8_prev(d->work, w.end, &last);
        *oe = doc_orig_byte(d, last);
        if (*oe < d->orig_len)
            utf8_next(d->orig, d->orig_len, oe);
        if (*oe < *ob)
            *oe = *ob;
    }
}

void doc_orig_cps(const doc *d, wspan w, size_t *start, size_t *end)
{
    size_t ob, oe;
    orig_bytes(d, w, &ob, &oe);
    *start = cp_index_of(&d->cpix, ob);
    *end = cp_index_of(&d->cpix, oe);
}

char *doc_orig_slice(const doc *d, wspan w)
{
    size_t ob, oe;
    orig_bytes(d, w, &ob, &oe);
    char *p = malloc(oe - ob + 1);
    if (p) {
        memcpy(p, d->orig + ob, oe - ob);
        p[oe - ob] = '\0';
    }
    return p;
}

char *doc_work_slice(const doc *d, wspan w)
{
    if (w.end < w.start || w.end > d->work_len)
        return NULL;
    char *p = malloc(w.end - w.start + 1);
    if (p) {
        memcpy(p, d->work + w.start, w.end - w.start);
        p[w.end - w.start] = '\0';
    }
    return p;
}

/* A new name block of cap bytes for names, with `extra` bytes after them
 * (aligned for any type, as malloc's block is; NULL when extra is 0)
 * returned in *tail, made r's newest block.  False when memory ran out. */
static bool name_block_new(report *r, size_t cap, size_t extra, void **tail)
{
    size_t align = _Alignof(max_align_t);
    size_t end = sizeof(name_block) + cap;   /* from the start of the block */
    size_t at = extra ? (end + align - 1) / align * align : end;
    name_block *b = malloc(at + extra);
    if (!b)
        return false;
    b->next = r->names;
    b->used = 0;
    b->cap = cap;
    b->figures = 0;
    r->names = b;
    if (tail)
        *tail = extra ? (char *)b + at : NULL;
    return true;
}

/* n bytes in r's name blocks: the newest block when they fit, else a new
 * one (the rest of the old one is left unused). */
static char *name_alloc(report *r, size_t n)
{
    name_block *b = r->names;
    if (!b || b->cap - b->used < n) {
        if (!name_block_new(r, n > 4096 ? n : 4096, 0, NULL))
            return NULL;
        b = r->names;
    }
    char *p = b->data + b->used;
    b->used += n;
    return p;
}

char *report_name_slice_any(report *r, const char *s, size_t n)
{
    char *p = name_alloc(r, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *report_name_dup(report *r, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = name_alloc(r, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Grow an array of n items to hold one more; false on overflow or no memory. */
static bool grow(void **items, size_t *cap, size_t n, size_t size, size_t max)
{
    if (n >= max)
        return false;
    if (n < *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 16;
    if (c > max)
        c = max;
    void *p = realloc(*items, c * size);
    if (!p)
        return false;
    *items = p;
    *cap = c;
    return true;
}

void wspan_list_add(wspan_list *l, size_t a, size_t b)
{
    if (l->failed || b <= a)
        return;
    if (!grow((void **)&l->v, &l->cap, l->n, sizeof *l->v, SIZE_MAX / sizeof *l->v)) {
        l->failed = true;
        return;
    }
    l->v[l->n].start = a;
    l->v[l->n].end = b;
    l->n++;
}

section *report_add_section(report *r)
{
    if (!grow((void **)&r->sections, &r->capsections, r->nsections, sizeof *r->sections,
              DOC_MAX_SECTIONS))
        return NULL;
    section *s = &r->sections[r->nsections++];
    memset(s, 0, sizeof *s);
    s->parent = -1;
    return s;
}

/* A report's first block, made when it gets its first figure or check:
 * one figure per FIGURE_TEXT_BYTES bytes of its text (on the bench data
 * 95% of the reports have fewer; the median has one per 84 bytes), at
 * least FIRST_FIGURES_MIN and at most FIRST_FIGURES_MAX (a block stays
 * below malloc's mmap threshold), NAME_BYTES_PER_FIGURE bytes of names
 * each (16 on average) and FIRST_CHECKS checks (most reports have two or
 * fewer), all in one name block: one malloc where a report took one for
 * its figures, reallocs as they doubled, one for its names, one for its
 * checks and one per check message. */
#define FIGURE_TEXT_BYTES 32
#define FIRST_FIGURES_MIN 16
#define FIRST_FIGURES_MAX 256
#define NAME_BYTES_PER_FIGURE 24
#define FIRST_CHECKS 16

/* A report's first block for n figures holds names, then (aligned) the
 * figures, then the checks: where the checks start after the figures. */
static size_t block_figures_at(size_t n)
{
    size_t align = _Alignof(max_align_t);
    return (n * sizeof(figure) + align - 1) / align * align;
}

/* Make block b (made for b->figures figures, fresh or used before) r's
 * first block: its names empty, its figures and checks r's arrays. */
static void report_place_block(report *r, name_block *b, void *tail)
{
    b->next = NULL;
    b->used = 0;
    r->names = b;
    r->figures = tail;
    r->capfigures = b->figures;
    r->figures_pooled = true;
    r->checks = (check *)(void *)((char *)tail + block_figures_at(b->figures));
    r->capchecks = FIRST_CHECKS;
    r->checks_pooled = true;
}

/* Where the figures of a first block b lie. */
static void *block_tail(name_block *b)
{
    size_t align = _Alignof(max_align_t);
    size_t end = sizeof(name_block) + b->cap;
    return (char *)b + (end + align - 1) / align * align;
}

/* A new first block for n figures, not (yet) in r's chain: made by
 * name_block_new(), which puts it there, and taken out again.  NULL when
 * memory ran out. */
static name_block *first_block_new(report *r, size_t n)
{
    name_block *keep = r->names;
    void *tail;
    if (!name_block_new(r, n * NAME_BYTES_PER_FIGURE,
                        block_figures_at(n) + FIRST_CHECKS * sizeof(check), &tail))
        return NULL;
    name_block *b = r->names;
    r->names = keep;
    b->figures = n;
    return b;
}

static RARE bool report_block(report *r)
{
    size_t len = r->extent.end > r->extent.start ? r->extent.end - r->extent.start : 0;
    size_t n = len / FIGURE_TEXT_BYTES + FIRST_FIGURES_MIN;
    if (n > FIRST_FIGURES_MAX)
        n = FIRST_FIGURES_MAX;
    if (n > DOC_MAX_FIGURES)
        n = DOC_MAX_FIGURES;
    name_block *first = first_block_new(r, n);
    if (!first)
        return false;
    name_block *later = r->names; /* names stored before (report_name_dup) */
    report_place_block(r, first, block_tail(first));
    first->next = later;
    return true;
}

/* The largest first block report_block() makes. */
#define SPARE_FIGURES (FIRST_FIGURES_MAX < DOC_MAX_FIGURES ? FIRST_FIGURES_MAX : DOC_MAX_FIGURES)

/* A sections array kept by doc_clear_report() holds at most this many (a
 * section is 56 bytes): report-sized files have a few dozen. */
#define DOC_KEEP_SECTIONS 256

void doc_lend_block(doc *d, report *r)
{
    if (!r->sections && d->spare_sections) {
        r->sections = d->spare_sections;
        r->capsections = d->spare_capsections;
        d->spare_sections = NULL;
        d->spare_capsections = 0;
    }
    if (r->names || r->capfigures || r->capchecks)
        return;
    name_block *b = d->spare;
    d->spare = NULL;
    if (!b)
        b = first_block_new(r, SPARE_FIGURES);
    if (b)
        report_place_block(r, b, block_tail(b));
}

void doc_clear_report(doc *d, report *r)
{
    /* The report's first block is the oldest of its blocks, the last of
     * the chain; kept when it is of the spare's size.  Its figures and
     * checks are r's arrays (pooled) until they grew out of it, which
     * report_clear() reads but does not free: the block is held here
     * meanwhile. */
    name_block **at = &r->names;
    while (*at && (*at)->next)
        at = &(*at)->next;
    name_block *b = *at;
    bool keep = !d->spare && b && b->figures == SPARE_FIGURES;
    if (keep)
        *at = NULL;
    if (!d->spare_sections && r->sections && r->capsections <= DOC_KEEP_SECTIONS) {
        d->spare_sections = r->sections;
        d->spare_capsections = r->capsections;
        r->sections = NULL;
    }
    report_clear(r);
    if (keep)
        d->spare = b;
}

/* Room for one more item in an array of n that is full, as grow() makes it,
 * for the arrays that start in the report's block (*pooled): their first
 * growth copies them to an allocation of their own. */
static RARE bool grow_pooled(void **items, size_t *cap, size_t n, size_t size, size_t max,
                             bool *pooled)
{
    if (!*pooled)
        return grow(items, cap, n, size, max);
    if (n >= max)
        return false;
    size_t c = *cap * 2 < max ? *cap * 2 : max;
    void *p = malloc(c * size);
    if (!p)
        return false;
    memcpy(p, *items, n * size);
    *items = p;
    *cap = c;
    *pooled = false;
    return true;
}

/* Room for one more figure when the array is full; false over
 * DOC_MAX_FIGURES or without memory. */
static bool more_figures(report *r)
{
    if (r->nfigures >= DOC_MAX_FIGURES)
        return false;
    if (r->capfigures == 0)
        return report_block(r);
    return grow_pooled((void **)&r->figures, &r->capfigures, r->nfigures, sizeof *r->figures,
                       DOC_MAX_FIGURES, &r->figures_pooled);
}

figure *report_add_figure_more(report *r)
{
    if (!more_figures(r))
        return NULL;
    return doc_new_figure(&r->figures[r->nfigures++]);
}

check *report_add_check_text(report *r, const char *code, severity sev, const char *msg,
                             size_t len)
{
    if (r->nchecks >= DOC_MAX_CHECKS)
        return NULL;
    if (r->nchecks >= r->capchecks &&
        !(r->capchecks == 0 ? report_block(r)
                            : grow_pooled((void **)&r->checks, &r->capchecks, r->nchecks,
                                          sizeof *r->checks, DOC_MAX_CHECKS, &r->checks_pooled)))
        return NULL;
    if (len > DOC_CHECK_MESSAGE_MAX)
        len = DOC_CHECK_MESSAGE_MAX;
    char *m = name_alloc(r, len + 1);
    if (!m)
        return NULL;
    memcpy(m, msg, len);
    m[len] = '\0';
    check *c = &r->checks[r->nchecks++];
    memset(c, 0, sizeof *c);
    c->code = code;
    c->sev = sev;
    c->message = m;
    return c;
}

check *report_add_check(report *r, const char *code, severity sev, const char *fmt, ...)
{
    if (r->nchecks >= DOC_MAX_CHECKS)
        return NULL;
    va_list ap;
    /* A message the caller formatted itself ("%s"): what vsnprintf would
     * give is its first DOC_CHECK_MESSAGE_MAX bytes, copied once.  (A NULL
     * one takes the general path, which prints it as the library does.) */
    if (fmt[0] == '%' && fmt[1] == 's' && !fmt[2]) {
        va_start(ap, fmt);
        const char *whole = va_arg(ap, const char *);
        va_end(ap);
        if (whole)
            return report_add_check_text(r, code, sev, whole,
                                         strnlen(whole, DOC_CHECK_MESSAGE_MAX));
    }
    char msg[DOC_CHECK_MESSAGE_MAX + 1];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return report_add_check_text(r, code, sev, msg, strlen(msg));
}
