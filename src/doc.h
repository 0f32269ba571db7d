/* doc.h -- the document model: one input file and everything parsed from it.
 *
 * A doc owns the decoded original text and the working text derived from it;
 * sections, figures and checks refer to the working text by byte offsets and
 * are mapped back to code points of the original only when written out
 * (doc_orig_cp()).  Strings inside these structs are owned by the doc unless
 * marked borrowed. */
#ifndef EDX_DOC_H
#define EDX_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "text.h"

/* Limits.  Exceeding one is a check in the record, never a silent cut. */
#define DOC_MAX_SECTIONS 5000    /* headings kept per report */
#define DOC_MAX_DEPTH 8          /* heading levels */
#define DOC_MAX_FIGURES 20000    /* figures kept per report */
#define DOC_MAX_CHECKS 2000      /* checks kept per report */
#define DOC_MAX_REPORTS 5000     /* reports per file */
#define DOC_CHECK_MESSAGE_MAX 511 /* bytes of a check's message (more are cut) */

typedef enum qualifier { QUAL_NONE = 0, QUAL_APPROX, QUAL_OVER, QUAL_UNDER } qualifier;

typedef enum fig_kind {
    KIND_RATE = 0, KIND_RATIO, KIND_PER_CAPITA, KIND_COUNT, KIND_AMOUNT, KIND_AREA, KIND_OTHER,
    KIND_COUNT_OF_KINDS
} fig_kind;

typedef enum claim { CLAIM_NONE = 0, CLAIM_MET, CLAIM_NOT_MET } claim;

typedef enum severity { SEV_INFO = 0, SEV_WARNING, SEV_ERROR } severity;

/* A byte range of the working text. */
typedef struct wspan {
    size_t start, end;
} wspan;

/* A growable list of working-text ranges (what a stage drops).  An
 * allocation failure is remembered in `failed` and later adds are ignored. */
typedef struct wspan_list {
    wspan *v;
    size_t n, cap;
    bool failed;
} wspan_list;

/* Append [a, b) unless it is empty or the list has failed. */
void wspan_list_add(wspan_list *l, size_t a, size_t b);

typedef struct section {
    wspan marker;     /* the number marker as written, e.g. "(一)" */
    wspan title;      /* heading text up to its first sentence end */
    wspan extent;     /* heading to the next sibling-or-higher heading */
    int level;        /* 1 = outermost heading style of the report */
    int parent;       /* index into report.sections, -1 at top level */
} section;

typedef struct standard {
    bool present;
    bool has_value;
    double value;
    char unit[24];
    wspan span;
} standard;

typedef struct figure {
    const char *id;        /* borrowed from the rules: "enrollment_rate", "other_rate" */
    char *name;            /* the indicator term as written (owned, UTF-8) */
    bool name_pooled;      /* name lives in the report's names (report_name_slice),
                            * else it is malloc'd and report_clear frees it */
    fig_kind kind;
    bool has_value;        /* false when redacted (value is then null) */
    double value;
    char unit[24];         /* normalized unit ("%", "元", "平方米", "人" ...) */
    bool is_ratio;
    double left, right;
    qualifier qual;
    bool redacted;
    bool change;           /* a change against an earlier value, not a level */
    wspan span;            /* the figure's text: name ... value unit */
    int section;           /* innermost section index, -1 outside any */
    const char *stage;     /* borrowed: "小学", "初中" ... or NULL */
    int year;              /* 0 when not stated */
    standard std;
    claim claimed;
    int meets;             /* -1 unknown, 0 false, 1 true */
    /* Extra facts for audit; not all are written out. */
    bool gross;            /* a gross rate (毛入学率) that may exceed 100 */
    double range_lo, range_hi; /* plausible range from the catalogue; lo > hi when none */
    int direction;         /* +1 higher is better, -1 lower is better, 0 neutral */
} figure;

typedef struct check {
    const char *code;      /* borrowed static snake_case code */
    severity sev;
    char *message;         /* in the report's name blocks, freed with them */
    size_t nidx;
    size_t idx[4];         /* indexes into report.figures */
    bool has_span;
    wspan span;
} check;

/* A block of figure names and check messages (see report_name_slice); the
 * first one of a report also holds its first figures and checks. */
typedef struct name_block name_block;
struct name_block {
    name_block *next;  /* the block filled before this one */
    size_t used, cap;  /* bytes of data used and there */
    size_t figures;    /* a report's first block: room for this many figures
                        * after the names (see report_block()); else 0 */
    char data[];
};

typedef struct report {
    wspan extent;          /* the report's range of the working text */
    char *title;           /* owned, NULL when none */
    char *organization;
    char *period;
    char *date;            /* "YYYY-MM-DD" or NULL */
    int year;              /* 0 when not stated */
    section *sections;
    size_t nsections, capsections;
    figure *figures;
    size_t nfigures, capfigures;
    bool figures_pooled;   /* figures lies in a block of names (see
                            * report_add_figure) and is freed with it */
    check *checks;
    size_t nchecks, capchecks;
    bool checks_pooled;    /* checks lies in a block of names, as figures */
    name_block *names;     /* owns the figures' names; freed by report_clear */
} report;

/* What a doc keeps when buffers of the last input can serve the next
 * (doc_close() keeps them, doc_open() hands them on), each dropped when
 * over DOC_KEEP_BYTES so that a reused doc holds little memory.  (The
 * offset map keeps its own: text_map_reset().)  What they held is never
 * read again: each user writes what it reads first. */
#define DOC_KEEP_BYTES ((size_t)256 * 1024)
typedef struct doc_kept {
    char *work;            /* a working text's buffer (normalize's), of */
    size_t work_cap;       /* this many bytes */
    size_t *cps;           /* lent to cpix as its room (cp_index.room) */
    size_t cps_blocks;
    size_t *hits;          /* clean's literal occurrences (lit_hits.at) */
    size_t hits_cap;
    wspan *drops;          /* clean's ranges to drop */
    size_t drops_cap;
} doc_kept;

typedef struct doc {
    char *path;            /* as given ("-" for stdin); in the doc's block */
    char *orig;            /* decoded original, valid UTF-8, no BOM */
    size_t orig_len;
    bool orig_borrowed;    /* orig is the caller's buffer, lent for the call
                            * (see extract.c): doc_free leaves it */
    char encoding[32];     /* "UTF-8", "GB18030", "BIG5", "UTF-16LE" ... */
    size_t replaced;       /* invalid sequences replaced while decoding */
    bool orig_valid;       /* orig is known to be well-formed UTF-8: set by
                            * decode_input() (see finish() in decode.c for
                            * why it holds on each path), never assumed.  A
                            * doc made some other way (tests, fuzzers) leaves
                            * it false and normalize checks the bytes. */
    char *work;            /* normalized and cleaned working text */
    size_t work_len;
    bool work_valid;       /* work is known to be well-formed UTF-8: set by the
                            * pipeline once clean is done (see extract.c for
                            * why it holds), never assumed.  A doc made some
                            * other way (tests, fuzzers) leaves it false and
                            * the stages check the bytes themselves.  Report
                            * extents start at line starts, so each report's
                            * text is then well-formed too. */
    bool use_avx2;         /* stages may take their AVX2 code: the
                            * extractor's choice (text_avx2_wanted()), made
                            * once; false in a doc made some other way */
    text_map map;          /* work bytes -> orig bytes */
    cp_index cpix;         /* orig bytes -> code points */
    report *reports;
    size_t nreports;
    size_t capreports;     /* room in reports (a doc reused by doc_close()
                            * and doc_open() keeps its array) */
    size_t work_cap;       /* bytes at work when normalize made it (its
                            * buffer is then kept: doc_kept); 0 when not
                            * known */
    doc_kept kept;
    name_block *spare;     /* a report's first block of the largest size,
                            * kept for the next report (see doc_lend_block()) */
    section *spare_sections; /* a report's sections array, kept likewise */
    size_t spare_capsections;
    bool reports_cut;      /* more than DOC_MAX_REPORTS: the last one runs to the end */
    size_t limit_hits;     /* regex matches stopped by the match limit */
    size_t tail_orig;      /* original byte offset where a "rest" boilerplate rule
                              dropped the page's tail; SIZE_MAX when none */
    const char *tail_rule; /* borrowed id of that rule */
} doc;

doc *doc_new(const char *path);
void doc_free(doc *d);

/* A doc in memory the caller keeps from one input to the next (the
 * extractor's workspaces): doc_open() makes d what doc_new(path) makes,
 * but with path borrowed (it must outlive the use of d) and with the
 * reports array of an earlier input kept for reuse (all zeros the first
 * time), and the memory of its working text, offset map and code-point
 * index; doc_close() frees what doc_free() frees but d itself, that
 * array and that memory.  doc_discard() then frees them, when d is given
 * up. */
void doc_open(doc *d, const char *path);
void doc_close(doc *d);
void doc_discard(doc *d);

/* A report's first block (its first figures, checks and names: see
 * report_add_figure()) taken from d->spare, or made, before the report's
 * stages run, instead of the one its first figure or check would make;
 * doc_clear_report() is report_clear() but for that block, which it keeps
 * in d->spare.  A
 * block is then made once per doc, not once per report.  The block is the
 * largest a report gets (room for more figures than the report's size
 * would give it), which changes when its arrays grow, never what they
 * hold.  doc_lend_block() does nothing when memory ran out (the report
 * then makes its block as usual). */
void doc_lend_block(doc *d, report *r);
void doc_clear_report(doc *d, report *r);

/* Original byte offset of working byte offset w. */
size_t doc_orig_byte(const doc *d, size_t w);
/* Make doc_orig_byte() fast on long texts (see text_map_densify); call once
 * the working text is final, after clean.  False when memory ran out. */
bool doc_index_map(doc *d);
/* Code point span of the original for working bytes [ws, we). */
void doc_orig_cps(const doc *d, wspan w, size_t *start, size_t *end);
/* Copy of the original text behind working bytes [ws, we) (malloc'd). */
char *doc_orig_slice(const doc *d, wspan w);
/* Copy of working text [ws, we) (malloc'd). */
char *doc_work_slice(const doc *d, wspan w);
/* Append to a report; NULL when out of memory or over the limit (the caller
 * then records a limit check).  A report's first figure or check brings one
 * allocation sized from its text (r->extent) for its figures, their names,
 * its first checks and their messages; only reports denser in figures than
 * most need more. */
section *report_add_section(report *r);
static inline figure *report_add_figure(report *r);

/* Copies for figure names, owned by report r (r->names) and freed with it
 * by report_clear, never one by one: a name costs no malloc of its own.
 * NULL when w is out of range or memory ran out. */
static inline char *report_name_slice(report *r, const doc *d, wspan w);
char *report_name_dup(report *r, const char *s);

/* The out-of-line parts of the two inline functions below, called once per
 * figure (the calls, the register saves and the checks twice over were
 * most of their cost): report_add_figure() when the array is full, and a
 * copy of s[0..n) in r's name blocks. */
figure *report_add_figure_more(report *r);
char *report_name_slice_any(report *r, const char *s, size_t n);

/* memset(f, 0, sizeof *f).  With SSE2, sixteen bytes a store, unrolled: for
 * a struct this size the compiler's inline memset is `rep stos`, which
 * takes twice the instructions (and a start-up cost) of the fifteen stores
 * (and a plain loop of stores would be turned back into that memset). */
static inline void doc_zero_figure(figure *f)
{
#ifdef __SSE2__
    char *p = (char *)f;
    __m128i z = _mm_setzero_si128();
    size_t k = 0;
#if defined(__GNUC__)
#pragma GCC unroll 16
#endif
    for (; k + 16 <= sizeof *f; k += 16)
        _mm_storeu_si128((__m128i *)(void *)(p + k), z);
    memset(p + k, 0, sizeof *f - k);
#else
    memset(f, 0, sizeof *f);
#endif
}

/* f as a new figure: zeros, but for the fields whose "none" is not 0. */
static inline figure *doc_new_figure(figure *f)
{
    doc_zero_figure(f);
    f->section = -1;
    f->meets = -1;
    f->range_lo = 1;
    f->range_hi = 0;
    return f;
}

static inline figure *report_add_figure(report *r)
{
    if (r->nfigures >= r->capfigures)
        return report_add_figure_more(r);
    return doc_new_figure(&r->figures[r->nfigures++]);
}

/* Names up to this many bytes are copied as one fixed-size block (the
 * compiler's few loads and stores, no call), when both the text and the
 * newest name block have that many bytes from there: most names are a few
 * Chinese characters.  The bytes after the name's NUL are free space of
 * the block, which the next name overwrites. */
#define DOC_NAME_COPY_FIXED 32

static inline char *report_name_slice(report *r, const doc *d, wspan w)
{
    if (w.end < w.start || w.end > d->work_len)
        return NULL;
    size_t n = w.end - w.start;
    name_block *b = r->names;
    if (n >= DOC_NAME_COPY_FIXED || d->work_len - w.start < DOC_NAME_COPY_FIXED || !b ||
        b->cap - b->used < DOC_NAME_COPY_FIXED)
        return report_name_slice_any(r, d->work + w.start, n);
    char *p = b->data + b->used;
    memcpy(p, d->work + w.start, DOC_NAME_COPY_FIXED);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}
/* Record a check; message is formatted printf-style and cut to
 * DOC_CHECK_MESSAGE_MAX bytes.  Returns NULL when memory ran out or
 * DOC_MAX_CHECKS is reached. */
check *report_add_check(report *r, const char *code, severity sev, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* The same with a message the caller has ready, msg[0..len) (no NUL
 * needed), without a format: what report_add_check(r, code, sev, "%s", msg)
 * records, for a msg of len bytes without a NUL. */
check *report_add_check_text(report *r, const char *code, severity sev, const char *msg,
                             size_t len);
void report_clear(report *r);

#endif
