/* audit.c -- checks on a report's figures.
 *
 * Each check has a stable code documented in docs/CHECKS.md.  The audit reads
 * only what the matcher put in report.figures (id, name, kind, value, unit,
 * standard, claim …) plus the working text around each figure, so it works
 * on figures built by hand as well (tests/unit/test_audit.c).
 *
 * Where a check needs to know what a figure is about (the students of a
 * 师生比, the 适龄 count of an 入学率) it uses the catalogue id when the
 * matcher gave one and falls back on the name and the clause before the
 * value, so it keeps working while the catalogue grows. */
#include "audit.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define EPS 1e-9

/* Tolerance added when a part carries a qualifier (余, 约, 以上): 1 % of
 * the recomputed value, see docs/CHECKS.md. */
#define QUALIFIED_SLACK 0.01

/* Candidates for one part of a recomputation found beyond the figure's
 * sentence: with more than this, the text quotes several schools or stages
 * and a pairing is a guess, so the recomputation is skipped. */
#define MAX_WIDE_CANDIDATES 3
#define MAX_CANDIDATES 8

/* A report reads as an unfilled template when at least this many figures
 * are placeholders and they outnumber the real ones (or it has no real
 * figure and this many placeholders in its text). */
#define TEMPLATE_MIN_PLACEHOLDERS 5

/* Breaks of one reach in the report, ascending (see break_at): a stretch
 * that reaches further than NEAR_BYTES is found by binary search instead
 * of walking the text, which made a long line without breaks cost the
 * line's length for every figure. */
typedef struct breaks {
    size_t *at;
    size_t n;
    /* first[k]: the number of breaks before offset lo + k * BLOCK, for
     * k < nfirst (to one block past hi), so that a binary search starts
     * within a block or two instead of over the whole report.  NULL when
     * memory ran out: the search then spans all the breaks. */
    size_t *first;
    size_t nfirst;
} breaks;

#define BLOCK_SHIFT 8   /* BLOCK = 256 bytes */

/* The breaks of the report, indexed when a stretch is first not found
 * within NEAR_BYTES of its figure (see stretch_start()): most stretches
 * end a few dozen bytes away, and walking the whole text for its breaks
 * cost more than all the searches it served. */
typedef struct break_index {
    bool tried[3];          /* index_breaks() ran for the reach (its at NULL: out of memory) */
    breaks brk[3];          /* per reach below REACH_REPORT */
} break_index;

/* How far stretch_start() and stretch_end() look for a break by walking the
 * text before they ask the break index: far enough for nearly every
 * stretch, near enough that a long line without breaks costs each figure
 * no more than this. */
#define NEAR_BYTES 512

/* How far a stretch of text reaches: to a comma (clause), a sentence end
 * (sentence) or a line end (paragraph). */
typedef enum reach { REACH_CLAUSE, REACH_SENTENCE, REACH_PARAGRAPH, REACH_REPORT } reach;

/* What the audit works out about one figure, once (the checks pair figures,
 * and recomputing a figure's label for every pair made them slow). */
typedef struct fmemo {
    /* Zeroed when the memo is made (up to CLEARED_MEMO): the flags that
     * say what is set, and the predicate bits. */
    uint32_t pred_done, pred_val;  /* fig_pred results, one bit per PREDS entry */
    bool has_label, has_stage, has_dec, has_subject, has_name_facts;
    bool has_bloom;         /* ctx.blooms[j] is set */
    bool has_xue;
    bool has_start[REACH_SENTENCE + 1];   /* start[how] is set */
    /* Not zeroed: each is read only once its flag is set. */
    bool xue;               /* label_has_xue() */
    bool comparable;        /* comparable_level(), valid when has_subject */
    unsigned char name_facts;   /* name_has() bits */
    int decimals;           /* shown_decimals() */
    size_t label_at;        /* where the label starts in the text, SIZE_MAX: the name */
    const char *stage;      /* fig_stage() of the label */
    const char *subject;    /* fig_subject(), in ctx.subjects[j], when comparable */
    size_t start[REACH_SENTENCE + 1];   /* start_of() for a clause and a sentence */
} fmemo;

/* The bytes of a memo that are zeroed when it is made: a few stores per
 * figure instead of a memset() of the whole array. */
#define CLEARED_MEMO offsetof(fmemo, xue)

/* fig_label() of a figure, kept apart from fmemo (as its bloom is): the memo
 * is zeroed when made and these need no zeroing (has_label, has_bloom say
 * when they are set). */
typedef char label_buf[256];

#define PARTS_CACHE 16
/* Report-wide answers are kept apart: one per predicate, stage and year. */
#define REPORT_PARTS_CACHE 128

/* Beyond the sentence, parts are counted up to this many: with as many,
 * the result's own figure taken away, more than MAX_WIDE_CANDIDATES remain
 * and find_parts() gives up whatever the true count, so counting on (and
 * asking each further figure's predicate) cannot change its answer. */
#define WIDE_SEEN_CAP (MAX_WIDE_CANDIDATES + 2)

struct ctx;

/* find_parts() over one stretch, for every figure but none excluded: the
 * figures of one sentence ask the same question. */
typedef struct parts_entry {
    int lv;
    size_t s, e;
    bool (*pred)(const struct ctx *c, size_t j);
    const char *stage;
    int year;
    size_t seen;            /* beyond the sentence, at most WIDE_SEEN_CAP */
    size_t idx[9];          /* MAX_CANDIDATES + 1 first parts */
    size_t n;
} parts_entry;

/* The answers kept, the oldest replaced first.  Not zeroed when made
 * (entries [0, n) are set): most reports ask few questions. */
typedef struct parts_caches {
    parts_entry near[PARTS_CACHE], wide[REPORT_PARTS_CACHE];
    size_t nnear, next_near, nwide, next_wide;
} parts_caches;

typedef struct conflict_groups conflict_groups;

/* The figures, by index, that may be a part for some result under one
 * predicate: a level above 0 that the predicate accepts.  Made as far as
 * report-wide questions needed it: figures [0, upto) were looked at and
 * at[0, n) passed.  at == NULL: not made (or out of memory). */
typedef struct pred_list {
    size_t *at;
    size_t n, upto;
} pred_list;

#define NPREDS 11   /* entries of PREDS */

typedef struct by_start {
    size_t start, i;
} by_start;

typedef struct ctx {
    const rules *ru;
    const doc *d;
    report *r;
    const char *w;      /* working text, NULL when the doc has none */
    size_t lo, hi;      /* the report's extent in it */
    bool text_has_nul;  /* a NUL byte in [lo, hi): copies of the text end there */
    /* The processor runs AVX2 and EDUEXTRACT_NO_AVX2 does not ask for the
     * SSE2 code: the extractor's choice, made once (d->use_avx2). */
    bool avx2;
    /* Whether strtod() reads '.' as the decimal point (it reads numbers in
     * the caller's locale): -1 until shown_decimals() first asks, then
     * found by asking strtod() itself (localeconv() is not safe from
     * several threads). */
    signed char *point_is_dot;
    size_t nplaceholders;      /* placeholder runs in the text (scan_text()) */
    wspan first_placeholder;   /* the first of them */
    struct stage_scan *scan;   /* fig_stage()'s last scan of a sentence */
    /* The extractor's table (NULL: none, the report's own word indexes
     * and id memo are used). */
    const audit_table *table;
    /* The indexes of WORD_LISTS made for this report when first asked
     * (without a table). */
    struct word_index *lists;
    /* rules_find() answers by id pointer (ids are borrowed from the rules,
     * few and repeated), direct-mapped. */
    const char *found_id[16];
    const indicator *found[16];
    struct id_memo *ids;   /* fig_id_class() answers */
    break_index *bi;    /* the breaks, indexed when first needed */
    fmemo *memo;        /* per figure, NULL when memory ran out */
    label_buf *labels;  /* per figure, set when memo[j].has_label */
    label_buf *subjects;  /* per figure, set when memo[j].subject points there */
    uint64_t (*blooms)[4];  /* per figure, label_bloom(), set when memo[j].has_bloom */
    struct by_start *by_start;  /* figures by span.start (then index), NULL when out
                                 * of memory: every figure is then looked at */
    size_t nby_start;
    bool by_start_made;         /* list_by_start() ran */
    parts_caches *pc;   /* find_parts() answers */
    void *block;        /* holds memo, labels, subjects, blooms, by_start and pc (alloc_per_report()) */
    pred_list plist[NPREDS];
    size_t *plist_room; /* NPREDS arrays of a size_t per figure, in block: plist[k].at
                         * is the k-th once made */
    conflict_groups *groups;  /* built by the first check_conflict() that needs it */
} ctx;

/* ----- small text helpers ----- */

static bool has_any(const char *s, const char *const *words)
{
    if (!s)
        return false;
    for (size_t i = 0; words[i]; i++)
        if (strstr(s, words[i]))
            return true;
    return false;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Catalogue ids an indicator has had (the catalogue grows; either names it). */
/* What the checks ask of a figure's catalogue id: the list of ids an
 * indicator has had (the catalogue grows; either names it) that holds it.
 * No id is in two lists, so an id has one class. */
typedef enum id_class {
    IDC_NONE, IDC_STUDENTS, IDC_TEACHERS, IDC_BOOKS, IDC_CLASSES, IDC_LAND, IDC_BUILDING,
    IDC_ENROLLMENT, IDC_RETENTION, IDC_ST_RATIO, IDC_BOOKS_PER, IDC_LAND_PER,
    IDC_BUILDING_PER, IDC_CLASS_SIZE, IDC_QUALIFICATION, IDC_COUNT
} id_class;

static bool id_eq(const char *id, const char *s)
{
    return strcmp(id, s) == 0;
}

/* The class of id (not NULL), by its first letter: one jump and a
 * comparison or a few (asked once per id and report, and most ids are
 * other_* or of no list).  Kept out of line so that fig_id_class(), asked
 * of every figure, stays small where it is inlined. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static id_class id_class_of(const char *id)
{
    switch (id[0]) {
    case 'a':
        return id_eq(id, "average_class_size") || id_eq(id, "avg_class_size") ? IDC_CLASS_SIZE
                                                                              : IDC_NONE;
    case 'b':
        return id_eq(id, "books") || id_eq(id, "book_count")       ? IDC_BOOKS
               : id_eq(id, "building_area")                       ? IDC_BUILDING
               : id_eq(id, "books_per_student")                   ? IDC_BOOKS_PER
               : id_eq(id, "building_per_student") ||
                       id_eq(id, "building_area_per_student")     ? IDC_BUILDING_PER
                                                                  : IDC_NONE;
    case 'c':
        return id_eq(id, "classes") || id_eq(id, "class_count") ? IDC_CLASSES : IDC_NONE;
    case 'e':
        return id_eq(id, "enrollment_rate") ? IDC_ENROLLMENT : IDC_NONE;
    case 'l':
        return id_eq(id, "land_area")                                               ? IDC_LAND
               : id_eq(id, "land_per_student") || id_eq(id, "land_area_per_student") ? IDC_LAND_PER
                                                                                     : IDC_NONE;
    case 'n':
        return id_eq(id, "net_enrollment_rate") ? IDC_ENROLLMENT : IDC_NONE;
    case 'q':
        return id_eq(id, "qualification_rate") ? IDC_QUALIFICATION : IDC_NONE;
    case 'r':
        return id_eq(id, "retention_rate") ? IDC_RETENTION : IDC_NONE;
    case 's':
        return id_eq(id, "students") || id_eq(id, "student_count") ? IDC_STUDENTS
               : id_eq(id, "student_teacher_ratio")                 ? IDC_ST_RATIO
                                                                    : IDC_NONE;
    case 't':
        return id_eq(id, "teachers") || id_eq(id, "teacher_count")   ? IDC_TEACHERS
               : id_eq(id, "teacher_qualification_rate")              ? IDC_QUALIFICATION
                                                                      : IDC_NONE;
    default:
        return IDC_NONE;
    }
}

/* fig_id_class() answers by id pointer, direct-mapped (ids are borrowed
 * from the rules, few and repeated; the text at a pointer does not change
 * during the audit, so neither does the answer).  at[] starts NULL, which
 * no figure's id is when it is asked. */
typedef struct id_memo {
    const char *at[32];
    unsigned char cls[32];
} id_memo;

static const char *fig_name(const figure *f)
{
    return f->name ? f->name : f->id ? f->id : "?";
}

/* The class of f's id (IDC_NONE without one): as asking each list in
 * turn whether it holds the id, remembered for the id's pointer; the
 * extractor's table tells it for an id of the rules without asking. */
static id_class table_id_class(const audit_table *t, const char *id);

/* The class of an id fig_id_class() has not met in this report: from the
 * extractor's table, else id_class_of().  Kept out of line, as
 * id_class_of(), so that fig_id_class() is inlined. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static id_class id_class_new(const ctx *c, const char *id)
{
    return c->table ? table_id_class(c->table, id) : id_class_of(id);
}

static id_class fig_id_class(const ctx *c, const figure *f)
{
    if (!f->id)
        return IDC_NONE;
    id_memo *m = c->ids;
    /* (The pointer's bits mixed by a multiplication and the top ones
     * taken: ids packed in the rules' text lie a few bytes apart.) */
    size_t slot = (size_t)(((uint64_t)(uintptr_t)f->id * UINT64_C(0x9E3779B97F4A7C15)) >> 59);
    if (m->at[slot] != f->id) {
        m->cls[slot] = (unsigned char)id_class_new(c, f->id);
        m->at[slot] = f->id;
    }
    return (id_class)m->cls[slot];
}

/* Whether f's id is in the list of class k (k > IDC_NONE). */
static bool id_is(const ctx *c, const figure *f, id_class k)
{
    return fig_id_class(c, f) == k;
}

/* Byte at working offset i, or 0 outside the report. */
static unsigned char at(const ctx *c, size_t i)
{
    return c->w && i >= c->lo && i < c->hi ? (unsigned char)c->w[i] : 0;
}

/* ----- eight bytes at a time (the text walks pass over runs of Han) ----- */

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static uint64_t load8(const char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}

/* The high bit set in exactly the bytes of x that are b (no carry crosses
 * a byte: each sum is at most 0x7F + 0x7F). */
static uint64_t eq_bytes(uint64_t x, unsigned char b)
{
    uint64_t t = x ^ (ONES * b);
    return ~(((t & ~HIGHS) + ~HIGHS) | t) & HIGHS;
}

/* Marks as eq_bytes() makes them, one high bit per byte: where memory order
 * is the order of the bits (little-endian), the first marked byte is found
 * by counting trailing zeros and m &= m - 1 drops it; elsewhere the walks
 * look at a marked word's bytes one by one. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define MARKS_IN_ORDER 1
static unsigned first_mark(uint64_t m)
{
    return (unsigned)__builtin_ctzll(m) >> 3;
}
#else
#define MARKS_IN_ORDER 0
static unsigned first_mark(uint64_t m)
{
    (void)m;
    return 0;   /* not asked */
}
#endif

/* Nonzero exactly when some byte of x is ASCII (below 0x80); as marks, the
 * high bit of exactly the ASCII bytes. */
static uint64_t has_ascii(uint64_t x)
{
    return ~x & HIGHS;
}

/* The reaches an ASCII byte breaks, one bit (1 << reach) each: ",:()\n;!?"
 * a clause, "\n;!?" a sentence, "\n" a paragraph. */
enum { BREAKS_C = 1 << REACH_CLAUSE, BREAKS_S = 1 << REACH_SENTENCE,
       BREAKS_P = 1 << REACH_PARAGRAPH };
static const unsigned char ASCII_BREAKS[128] = {
    [','] = BREAKS_C, [':'] = BREAKS_C, ['('] = BREAKS_C, [')'] = BREAKS_C,
    [';'] = BREAKS_C | BREAKS_S, ['!'] = BREAKS_C | BREAKS_S, ['?'] = BREAKS_C | BREAKS_S,
    ['\n'] = BREAKS_C | BREAKS_S | BREAKS_P};

/* Length of the break that starts at offset p for this reach, or 0. */
static size_t break_at(const ctx *c, size_t p, reach how)
{
    unsigned char b = at(c, p);
    if (!b)
        return 0;
    if (b < 0x80)
        return (ASCII_BREAKS[b] >> how) & 1;
    if (p + 3 > c->hi || how == REACH_PARAGRAPH)
        return 0;
    if (memcmp(c->w + p, "\xE3\x80\x82", 3) == 0)   /* 。 */
        return 3;
    if (how == REACH_CLAUSE && memcmp(c->w + p, "\xE3\x80\x81", 3) == 0)   /* 、 */
        return 3;
    return 0;
}

static bool ascii_letter(unsigned char b)
{
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
}

/* Whether a placeholder run starts at offset i of the report's text: xx /
 * XX (a lone x only between non-letters), two or more _, ×, ○○, or 某某.
 * *end gets the end of what was looked at (a run, hit or not), i when none
 * starts there. */
static bool placeholder_at(const ctx *c, size_t i, size_t *end)
{
    unsigned char b = (unsigned char)c->w[i];
    size_t e = i;
    bool hit = false;
    if (b == 'x' || b == 'X') {
        while (e < c->hi && (c->w[e] == 'x' || c->w[e] == 'X'))
            e++;
        hit = !ascii_letter(at(c, i - 1)) && !ascii_letter(at(c, e));
    } else if (b == '_') {
        while (e < c->hi && c->w[e] == '_')
            e++;
        hit = e - i >= 2;
    } else if (b < 0xC3) {
        /* none of the runs below starts with this byte */
    } else if (i + 2 <= c->hi && memcmp(c->w + i, "\xC3\x97", 2) == 0) { /* × */
        while (e + 2 <= c->hi && memcmp(c->w + e, "\xC3\x97", 2) == 0)
            e += 2;
        unsigned char p = at(c, i - 1), q = at(c, e);
        hit = e - i >= 4 || !((p >= '0' && p <= '9') && (q >= '0' && q <= '9'));
    } else if ((b == 0xE2 || b == 0xE6) && i + 6 <= c->hi &&
               (memcmp(c->w + i, "\xE2\x97\x8B\xE2\x97\x8B", 6) == 0 ||
                memcmp(c->w + i, "某某", 6) == 0)) {
        e = i + 6;
        hit = true;
    }
    *end = e;
    return hit;
}

/* The breaks of one reach being indexed. */
typedef struct break_list_buf {
    size_t *at;
    size_t n, cap;
} break_list_buf;

/* What a byte may start: a break of some reach (",:()\n;!?" and the lead
 * byte of 。 and 、) or a placeholder run (x, X, _, ×, ○, 某). */
enum { STARTS_BREAK = 1, STARTS_RUN = 2 };
static const unsigned char STARTS[256] = {
    ['\n'] = STARTS_BREAK, [','] = STARTS_BREAK, [':'] = STARTS_BREAK, ['('] = STARTS_BREAK,
    [')'] = STARTS_BREAK, [';'] = STARTS_BREAK, ['!'] = STARTS_BREAK, ['?'] = STARTS_BREAK,
    [0xE3] = STARTS_BREAK, ['x'] = STARTS_RUN, ['X'] = STARTS_RUN, ['_'] = STARTS_RUN,
    [0xC3] = STARTS_RUN, [0xE2] = STARTS_RUN, [0xE6] = STARTS_RUN};

/* The reaches a break starting with byte b may break, one bit per reach:
 * ASCII_BREAKS, and 。 / 、 (lead byte 0xE3) a clause or a sentence.  Zero
 * where break_at() finds no break of any reach below REACH_REPORT. */
static unsigned lead_reaches(unsigned char b)
{
    return b < 0x80 ? ASCII_BREAKS[b] : b == 0xE3 ? BREAKS_C | BREAKS_S : 0;
}

/* Add offset p to bl.  False when out of memory. */
static bool push_break(break_list_buf *bl, size_t p)
{
    if (bl->n == bl->cap) {
        size_t *grown = realloc(bl->at, 2 * bl->cap * sizeof *bl->at);
        if (!grown)
            return false;
        bl->at = grown;
        bl->cap *= 2;
    }
    bl->at[bl->n++] = p;
    return true;
}

/* The reaches whose break starts at offset p, one bit per reach, as
 * break_at() tells them one by one: an ASCII byte's from the table; 。
 * ends a clause and a sentence, 、 a clause. */
static inline unsigned reaches_at(const ctx *c, size_t p)
{
    unsigned char b = (unsigned char)c->w[p];
    if (!(STARTS[b] & STARTS_BREAK))
        return 0;
    if (b < 0x80)
        return ASCII_BREAKS[b];
    if (p + 3 <= c->hi && memcmp(c->w + p, "\xE3\x80\x82", 3) == 0)
        return BREAKS_C | BREAKS_S;
    if (p + 3 <= c->hi && memcmp(c->w + p, "\xE3\x80\x81", 3) == 0)
        return BREAKS_C;
    return 0;
}

/* Offset p of the walk of index_breaks(): added to bl when a break of this
 * reach starts there.  False when memory ran out. */
static inline bool break_of_at(const ctx *c, size_t p, reach how, break_list_buf *bl)
{
    return !((reaches_at(c, p) >> how) & 1) || push_break(bl, p);
}

/* The offsets, in the eight bytes at s, where a break may start, as the
 * high bits of their bytes: the ASCII bytes and 0xE3 (。、).  Needs 8
 * bytes at s. */
static uint64_t break_marks(const char *s)
{
    uint64_t x = load8(s);
    return has_ascii(x) | eq_bytes(x, 0xE3);
}

/* The offsets, in the eight bytes at s, where run_at() or the NUL test of
 * scan_at() may have something to do (x, X, _, 0xC3 (×), 0xE2 (○), 0xE6
 * (某) and NUL), as the high bits of their bytes: b | 0x20 is 'x' exactly
 * for x and X.  Needs 8 bytes at s. */
static uint64_t run_marks(const char *s)
{
    uint64_t x = load8(s);
    return eq_bytes(x | ONES * 0x20, 'x') | eq_bytes(x, '_') | eq_bytes(x, 0xC3) |
           eq_bytes(x, 0xE2) | eq_bytes(x, 0xE6) | eq_bytes(x, 0);
}

#if defined(__SSE2__) && MARKS_IN_ORDER
#define WALK16 1
/* One bit per byte of the sixteen at s (bit k: s[k]) where a break of
 * reach how (below REACH_REPORT) may start: the bytes whose lead_reaches()
 * hold the reach ('\n'; then ";!?" and 0xE3 (。、) for a sentence; then
 * ",:()" for a clause), so that a walk for one reach stops at nothing
 * else.  Needs 16 bytes at s. */
static unsigned reach_marks16(const char *s, reach how)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i m = _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'));
    if (how <= REACH_SENTENCE) {
        __m128i t = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(';')),
                                 _mm_cmpeq_epi8(x, _mm_set1_epi8('!')));
        __m128i u = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('?')),
                                 _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xE3)));
        m = _mm_or_si128(m, _mm_or_si128(t, u));
    }
    if (how == REACH_CLAUSE) {
        /* '(' and ')' are 0x28 and 0x29: x | 1 is 0x29 exactly for them. */
        __m128i t = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(',')),
                                 _mm_cmpeq_epi8(x, _mm_set1_epi8(':')));
        __m128i u = _mm_cmpeq_epi8(_mm_or_si128(x, _mm_set1_epi8(1)), _mm_set1_epi8(')'));
        m = _mm_or_si128(m, _mm_or_si128(t, u));
    }
    return (unsigned)_mm_movemask_epi8(m);
}

/* run_marks() for sixteen bytes, one bit per byte, and sharper: 0xC3 only
 * where 0x97 follows (× is C3 97), 0xE2 only where 0x97 follows (○ is E2
 * 97 8B) and 0xE6 only before 0x9F 0x90 (某 is E6 9F 90), the only ones
 * placeholder_at() may find a run at.  The others (é, 提 E6 8F 90, 成 E6
 * 88 90 …, a third of the marks in Chinese text) leave nothing to do:
 * placeholder_at() finds no run there and looks at nothing past them (see
 * scan_at()).  Needs 18 bytes at s. */
static unsigned run_marks16(const char *s)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(s + 1));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(s + 2));
    __m128i xx = _mm_cmpeq_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8('x'));
    __m128i under = _mm_cmpeq_epi8(x, _mm_set1_epi8('_'));
    /* × and ○ both have 0x97 second: one compare for the two. */
    __m128i x1_97 = _mm_cmpeq_epi8(x1, _mm_set1_epi8((char)0x97));
    __m128i times = _mm_and_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xC3)), x1_97);
    __m128i circle = _mm_and_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xE2)), x1_97);
    __m128i mou = _mm_and_si128(
        _mm_and_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xE6)),
                      _mm_cmpeq_epi8(x1, _mm_set1_epi8((char)0x9F))),
        _mm_cmpeq_epi8(x2, _mm_set1_epi8((char)0x90)));
    __m128i nul = _mm_cmpeq_epi8(x, _mm_setzero_si128());
    __m128i any = _mm_or_si128(_mm_or_si128(_mm_or_si128(xx, under), _mm_or_si128(times, circle)),
                               _mm_or_si128(mou, nul));
    return (unsigned)_mm_movemask_epi8(any);
}
#else
#define WALK16 0
#endif

/* Make bk->first (see breaks), or leave it NULL when out of memory. */
static void index_blocks(const ctx *c, breaks *bk)
{
    size_t nfirst = ((c->hi - c->lo) >> BLOCK_SHIFT) + 2;
    bk->first = malloc(nfirst * sizeof *bk->first);
    if (!bk->first)
        return;
    bk->nfirst = nfirst;
    size_t m = 0;
    for (size_t k = 0; k < nfirst; k++) {
        size_t start = c->lo + (k << BLOCK_SHIFT);
        while (m < bk->n && bk->at[m] < start)
            m++;
        bk->first[k] = m;
    }
}

/* Break indexes [*a, *b) that hold the number of breaks before every
 * offset in [from, to] (the whole list when to is beyond the report or
 * there is no index): a binary search for the break at any
 * such offset may start there. */
static void break_range(const ctx *c, const breaks *bk, size_t from, size_t to, size_t *a,
                        size_t *b)
{
    *a = 0;
    *b = bk->n;
    if (!bk->first || from > to || to > c->hi)
        return;
    /* (every break lies in [lo, hi)) */
    *a = from < c->lo ? 0 : bk->first[(from - c->lo) >> BLOCK_SHIFT];
    *b = to < c->lo ? 0 : bk->first[((to - c->lo) >> BLOCK_SHIFT) + 1];
}

/* Walk the report's text once for its breaks of this reach (below
 * REACH_REPORT), ascending, into c->bi (the list left NULL when memory ran
 * out: the stretches are then found by walking the text).  Made only when
 * a stretch of the reach reaches further than NEAR_BYTES (see
 * stretch_start()). */
static void index_breaks(const ctx *c, reach how)
{
    break_index *bi = c->bi;
    bi->tried[how] = true;
    /* Room for as many breaks as a report usually has (one clause break in
     * about 20 bytes, a sentence break in 56, a line in 100), so that most
     * reports never grow the list. */
    static const size_t BYTES_PER[] = {20, 56, 100};
    break_list_buf bl = {NULL, 0, 64 + (c->hi - c->lo) / BYTES_PER[how]};
    bl.at = malloc(bl.cap * sizeof *bl.at);
    bool ok = bl.at != NULL;
    if (how == REACH_PARAGRAPH) {
        /* A line end is the one break of a paragraph: memchr() finds them. */
        const char *end = c->w + c->hi;
        for (const char *q = c->w + c->lo; ok && q < end; q++) {
            q = memchr(q, '\n', (size_t)(end - q));
            if (!q)
                break;
            ok = push_break(&bl, (size_t)(q - c->w));
        }
    }
    /* The other reaches: eight or sixteen bytes at a time, as runs of Han
     * characters hold no break. */
    for (size_t p = c->lo; how != REACH_PARAGRAPH && p < c->hi && ok;) {
        size_t end = p + 1;
#if WALK16
        /* Sixteen bytes at a time where SSE2 is there (the same breaks
         * found, in the same order, as by the eight-byte steps below). */
        if (c->hi - p >= 16) {
            for (unsigned m = reach_marks16(c->w + p, how); m && ok; m &= m - 1)
                ok = break_of_at(c, p + (unsigned)__builtin_ctz(m), how, &bl);
            p += 16;
            continue;
        }
#endif
        if (c->hi - p >= 8) {
            uint64_t m = break_marks(c->w + p);
            if (MARKS_IN_ORDER) {
                for (; m && ok; m &= m - 1)
                    ok = break_of_at(c, p + first_mark(m), how, &bl);
                p += 8;
                continue;
            }
            end = m ? p + 8 : p;
            p += m ? 0 : 8;
        }
        for (; p < end && ok; p++)
            ok = break_of_at(c, p, how, &bl);
    }
    if (!ok) {
        free(bl.at);
        return;
    }
    bi->brk[how].at = bl.at;
    bi->brk[how].n = bl.n;
    index_blocks(c, &bi->brk[how]);
}

static void free_breaks(ctx *c)
{
    for (int how = REACH_CLAUSE; how <= REACH_PARAGRAPH; how++) {
        if (!c->bi->tried[how])
            continue;   /* (most reports index no reach: no call) */
        free(c->bi->brk[how].at);
        free(c->bi->brk[how].first);
        c->bi->brk[how].at = NULL;
        c->bi->brk[how].first = NULL;
    }
}

/* Count the placeholder run that may start at p (see scan_at()). */
static void run_at(ctx *c, size_t p, size_t *run_end)
{
    size_t e;
    if (placeholder_at(c, p, &e)) {
        if (!c->nplaceholders)
            c->first_placeholder = (wspan){p, e};
        c->nplaceholders++;
    }
    *run_end = e > p ? e : p + 1;
}

/* Offset p of scan_text(): a NUL byte is noted, and a placeholder run
 * starting there is counted unless p lies inside the last one looked at
 * (*run_end: count_placeholders() went on from a run's end).  Skipping an
 * offset where placeholder_at() finds no run and looks at nothing beyond
 * it (end == p) changes nothing: *run_end would become p + 1, and every
 * later offset is at least that. */
static void scan_at(ctx *c, size_t p, size_t *run_end)
{
    unsigned char b = (unsigned char)c->w[p];
    if (!b)
        c->text_has_nul = true;
    else if ((STARTS[b] & STARTS_RUN) && p >= *run_end)
        run_at(c, p, run_end);
}

#if WALK16 && EDX_AVX2_DISPATCH
#include <immintrin.h>   /* here, for run_marks32_avx2 alone */
#define SCAN_AVX2 1
/* run_marks16() for the thirty-two bytes at s with AVX2: the same marks,
 * one bit per byte.  Needs 34 bytes at s. */
__attribute__((target("avx2"))) static inline unsigned run_marks32_avx2(const char *s)
{
    __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)s);
    __m256i x1 = _mm256_loadu_si256((const __m256i *)(const void *)(s + 1));
    __m256i x2 = _mm256_loadu_si256((const __m256i *)(const void *)(s + 2));
    __m256i xx = _mm256_cmpeq_epi8(_mm256_or_si256(x, _mm256_set1_epi8(0x20)),
                                   _mm256_set1_epi8('x'));
    __m256i under = _mm256_cmpeq_epi8(x, _mm256_set1_epi8('_'));
    __m256i x1_97 = _mm256_cmpeq_epi8(x1, _mm256_set1_epi8((char)0x97));
    __m256i times = _mm256_and_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8((char)0xC3)), x1_97);
    __m256i circle = _mm256_and_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8((char)0xE2)), x1_97);
    __m256i mou = _mm256_and_si256(
        _mm256_and_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8((char)0xE6)),
                         _mm256_cmpeq_epi8(x1, _mm256_set1_epi8((char)0x9F))),
        _mm256_cmpeq_epi8(x2, _mm256_set1_epi8((char)0x90)));
    __m256i nul = _mm256_cmpeq_epi8(x, _mm256_setzero_si256());
    __m256i any = _mm256_or_si256(
        _mm256_or_si256(_mm256_or_si256(xx, under), _mm256_or_si256(times, circle)),
        _mm256_or_si256(mou, nul));
    return (unsigned)_mm256_movemask_epi8(any);
}

static void scan_at(ctx *c, size_t p, size_t *run_end);

/* scan_text()'s steps of sixty-four bytes from p, with AVX2 (the
 * processor has it: ctx.avx2): two blocks of thirty-two instead of four of
 * sixteen, the same marks in the same order, so the same scan_at() calls.
 * Returns where the steps stopped (fewer than 66 bytes left). */
__attribute__((target("avx2"))) static size_t scan_blocks_avx2(ctx *c, size_t p, size_t *run_end)
{
    for (; c->hi - p >= 66; p += 64) {
        uint64_t m = run_marks32_avx2(c->w + p) | (uint64_t)run_marks32_avx2(c->w + p + 32) << 32;
        for (; m; m &= m - 1)
            scan_at(c, p + (unsigned)__builtin_ctzll(m), run_end);
    }
    return p;
}
#else
#define SCAN_AVX2 0
#endif

/* Walk the report's text once for what the checks need of all of it: the
 * placeholder runs (count_placeholders()) and whether it holds a NUL byte.
 * Eight or sixteen bytes at a time: runs of Han characters hold none of
 * the bytes either starts with. */
static void scan_text(ctx *c)
{
    size_t run_end = c->lo, p = c->lo;
#if SCAN_AVX2
    if (c->avx2)
        p = scan_blocks_avx2(c, p, &run_end);
#endif
    while (p < c->hi) {
        size_t end = p + 1;
#if WALK16
        /* Sixty-four bytes a step where SSE2 is there (most steps find
         * nothing: one test for four blocks, their marks in offset order),
         * then sixteen. */
        if (c->hi - p >= 66) {
            uint64_t m = run_marks16(c->w + p) | (uint64_t)run_marks16(c->w + p + 16) << 16 |
                         (uint64_t)run_marks16(c->w + p + 32) << 32 |
                         (uint64_t)run_marks16(c->w + p + 48) << 48;
            for (; m; m &= m - 1)
                scan_at(c, p + (unsigned)__builtin_ctzll(m), &run_end);
            p += 64;
            continue;
        }
        if (c->hi - p >= 18) {
            for (unsigned m = run_marks16(c->w + p); m; m &= m - 1)
                scan_at(c, p + (unsigned)__builtin_ctz(m), &run_end);
            p += 16;
            continue;
        }
#endif
        if (c->hi - p >= 8) {
            uint64_t m = run_marks(c->w + p);
            if (MARKS_IN_ORDER) {
                for (; m; m &= m - 1)
                    scan_at(c, p + first_mark(m), &run_end);
                p += 8;
                continue;
            }
            end = m ? p + 8 : p;
            p += m ? 0 : 8;
        }
        for (; p < end; p++)
            scan_at(c, p, &run_end);
    }
}

/* How many of bk's breaks start before w (the index of the first one that
 * starts at or after it): a binary search within break_range()'s bounds. */
static size_t breaks_before(const ctx *c, const breaks *bk, size_t w)
{
    size_t a, b;
    break_range(c, bk, w, w, &a, &b);
    return offsets_first_from(bk->at, a, b, w);
}

/* The break index of this reach (below REACH_REPORT), made when first
 * asked; NULL when memory ran out. */
static const breaks *break_list(const ctx *c, reach how)
{
    if (!c->bi->tried[how])
        index_breaks(c, how);
    return c->bi->brk[how].at ? &c->bi->brk[how] : NULL;
}

/* break_at(c, q, how) for an offset q of the report ([lo, hi)): an ASCII
 * byte's answer from the table at once, as break_at() gives it there (a
 * break of one byte or none); for the others break_at() itself, asked
 * only where the byte may lead a break of the reach (lead_reaches()). */
static inline size_t break_in_report(const ctx *c, size_t q, reach how)
{
    unsigned char b = (unsigned char)c->w[q];
    if (b < 0x80)
        return (ASCII_BREAKS[b] >> how) & 1;
    return (lead_reaches(b) >> how) & 1 ? break_at(c, q, how) : 0;
}

/* Of a break of reach how that break_at() may find at q: its length when it
 * ends at or before w (stretch_start()'s test), else 0. */
static size_t break_ending_by(const ctx *c, size_t q, reach how, size_t w)
{
    size_t n = break_in_report(c, q, how);
    return n && q + n <= w ? n : 0;
}

/* stretch_start() for a reach below REACH_REPORT by its walk back from w,
 * over at most NEAR_BYTES bytes: true with *s set when the answer lies
 * within them (or the walk reached the report's start), false when the
 * walk stopped short.  The same offsets tested in the same order as the
 * walk of stretch_start(), the ones reach_marks16() leaves out (holding no
 * break of the reach) skipped. */
static bool start_near(const ctx *c, size_t w, reach how, size_t *s)
{
    size_t p = w > c->hi ? c->hi : w;
    size_t stop = p > c->lo && p - c->lo > NEAR_BYTES ? p - NEAR_BYTES : c->lo;
    while (p > stop) {
#if WALK16
        if (p - stop >= 16) {
            for (unsigned m = reach_marks16(c->w + p - 16, how); m;) {
                unsigned top = 31u - (unsigned)__builtin_clz(m);
                size_t q = p - 16 + top, n = break_ending_by(c, q, how, w);
                if (n) {
                    *s = q + n;
                    return true;
                }
                m &= ~(1u << top);
            }
            p -= 16;
            continue;
        }
#endif
        p--;
        size_t n = break_ending_by(c, p, how, w);
        if (n) {
            *s = p + n;
            return true;
        }
    }
    *s = c->lo;
    return stop == c->lo;
}

/* stretch_end() for a reach below REACH_REPORT by its walk on from w, over
 * at most NEAR_BYTES bytes: true with *e set when the answer lies within
 * them (or the walk reached the report's end), false when it stopped
 * short.  The offsets of stretch_end()'s walk, in its order, the ones
 * reach_marks16() leaves out skipped. */
static bool end_near(const ctx *c, size_t w, reach how, size_t *e)
{
    size_t p = w < c->lo ? c->lo : w;
    size_t stop = p < c->hi && c->hi - p > NEAR_BYTES ? p + NEAR_BYTES : c->hi;
    while (p < stop) {
#if WALK16
        if (stop - p >= 16) {
            for (unsigned m = reach_marks16(c->w + p, how); m; m &= m - 1) {
                size_t q = p + (unsigned)__builtin_ctz(m);
                if (break_in_report(c, q, how)) {
                    *e = q;
                    return true;
                }
            }
            p += 16;
            continue;
        }
#endif
        if (break_in_report(c, p, how)) {
            *e = p;
            return true;
        }
        p++;
    }
    *e = c->hi;
    return stop >= c->hi;
}

/* Start of the stretch holding offset w: just after the nearest break before it. */
static size_t stretch_start(const ctx *c, size_t w, reach how)
{
    if (!c->w)
        return w;
    size_t near;
    if (how < REACH_REPORT && start_near(c, w, how, &near))
        return near;   /* (most stretches: their break is a few dozen bytes away) */
    const breaks *bk = how < REACH_REPORT ? break_list(c, how) : NULL;
    if (bk) {
        /* The last break that ends at or before w.  The breaks that start
         * before w are found by their starts alone; breaks do not overlap,
         * so of those only the last may end after w (a three-byte one that
         * w is inside), and then the one before it is the one sought. */
        size_t a = breaks_before(c, bk, w);
        if (a && bk->at[a - 1] + ((unsigned char)c->w[bk->at[a - 1]] < 0x80 ? 1 : 3) > w)
            a--;
        if (!a)
            return c->lo;
        size_t p = bk->at[a - 1];
        return p + ((unsigned char)c->w[p] < 0x80 ? 1 : 3);
    }
    size_t p = w > c->hi ? c->hi : w;
    while (p > c->lo) {
        p--;
        size_t n = break_at(c, p, how);
        if (n && p + n <= w)
            return p + n;
    }
    return c->lo;
}

/* End of the stretch holding offset w: the nearest break at or after it. */
static size_t stretch_end(const ctx *c, size_t w, reach how)
{
    if (!c->w)
        return w;
    size_t near;
    if (how < REACH_REPORT && end_near(c, w, how, &near))
        return near;
    const breaks *bk = how < REACH_REPORT ? break_list(c, how) : NULL;
    if (bk) {
        size_t a = breaks_before(c, bk, w);
        return a < bk->n ? bk->at[a] : c->hi;
    }
    for (size_t p = w < c->lo ? c->lo : w; p < c->hi; p++)
        if (break_at(c, p, how))
            return p;
    return c->hi;
}

/* stretch_start() of figure j's span start for a clause or a sentence
 * (how), remembered per figure: its label, subject, stage, parts and
 * conflicts ask for the same stretches. */
static size_t start_of(const ctx *c, size_t j, reach how)
{
    fmemo *m = &c->memo[j];
    if (!m->has_start[how]) {
        m->start[how] = stretch_start(c, c->r->figures[j].span.start, how);
        m->has_start[how] = true;
    }
    return m->start[how];
}

/* Copy working text [s, e) into out (cap bytes), keeping its end. */
static void copy_text(const ctx *c, size_t s, size_t e, char *out, size_t cap)
{
    out[0] = '\0';
    if (!c->w || e <= s || e > c->hi)
        return;
    if (e - s >= cap)
        s = e - (cap - 1);
    memcpy(out, c->w + s, e - s);
    out[e - s] = '\0';
}

/* What a figure says about itself: the clause before its value up to the
 * end of its span ("学年初在校学生224名"), or its name without text. */
static void fig_label(const ctx *c, size_t j, char *out, size_t cap, size_t *from)
{
    const figure *f = &c->r->figures[j];
    *from = SIZE_MAX;
    if (c->w && f->span.end > f->span.start && f->span.end <= c->hi) {
        size_t s = start_of(c, j, REACH_CLAUSE);
        copy_text(c, s, f->span.end, out, cap);
        if (out[0]) {
            *from = f->span.end - s >= cap ? f->span.end - (cap - 1) : s;
            return;
        }
    }
    snprintf(out, cap, "%s", f->name ? f->name : "");
}

/* How a figure names what it measures: its clause before the span and its
 * name ("全区" + "小学巩固率"). */
static void fig_subject(const ctx *c, size_t j, char *out, size_t cap)
{
    const figure *f = &c->r->figures[j];
    char pre[128] = "";
    if (c->w && f->span.start <= c->hi)
        copy_text(c, start_of(c, j, REACH_CLAUSE), f->span.start, pre, sizeof pre);
    /* As snprintf("%s%s") would, without its cost per call. */
    const char *name = f->name ? f->name : "";
    size_t np = strlen(pre), nn = strlen(name);
    if (np > cap - 1)
        np = cap - 1;
    if (nn > cap - 1 - np)
        nn = cap - 1 - np;
    memcpy(out, pre, np);
    memcpy(out + np, name, nn);
    out[np + nn] = '\0';
}

/* The text of the sentence holding figure f (or its label without text). */
static void fig_sentence(const ctx *c, size_t j, char *out, size_t cap)
{
    const figure *f = &c->r->figures[j];
    if (!c->w) {
        size_t from;
        fig_label(c, j, out, cap, &from);
        return;
    }
    size_t s = start_of(c, j, REACH_SENTENCE);
    size_t e = stretch_end(c, f->span.end, REACH_SENTENCE);
    copy_text(c, s, e, out, cap);
}

/* The powers of ten that a double holds exactly (all up to 1e22). */
static const double P10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/* Whether strtod() and printf() read and write '.' as the decimal point
 * (both follow LC_NUMERIC): asked of strtod() once per report that needs
 * it (localeconv() is not safe from several threads). */
static bool decimal_point_is_dot(const ctx *c)
{
    if (*c->point_is_dot < 0)
        *c->point_is_dot = strtod("0.5", NULL) == 0.5;
    return *c->point_is_dot == 1;
}

/* ----- numbers in messages, as printf() writes them ----- */

/* The integer nearest to a * 10^k (a >= 0, -15 <= k <= 15), into *n, when
 * it can be told for sure from the double t: the product of a and an exact
 * power of ten (or for k < 0 the quotient by one) is rounded once, so
 * |t - a*10^k| <= ulp(t)/2 <= 2^-14 below 2^40; a fraction of t at least
 * 2^-10 away from one half then rounds the exact value the same way, as
 * printf() rounds it (to nearest, the default mode).  False otherwise (a
 * tie or nearly one, too large, NaN): ask printf(). */
static bool scaled_round(double a, int k, uint64_t *n)
{
    if (k < -15 || k > 15 || !(a >= 0))
        return false;
    double t = k >= 0 ? a * P10[k] : a / P10[-k];
    if (!(t < 1099511627776.0))   /* 2^40 */
        return false;
    uint64_t m = (uint64_t)t;
    double fr = t - (double)m;   /* exact */
    if (fabs(fr - 0.5) <= 1.0 / 1024)
        return false;
    *n = m + (fr > 0.5);
    return true;
}

/* n in decimal into out, with at least min_digits digits (zeros before):
 * the length. */
static size_t put_uint(char *out, uint64_t n, size_t min_digits)
{
    /* The digits are made from the last, two at a time from a table, into
     * the end of d, then the zeros before them, and copied out at once (a
     * uint64_t has at most 20 digits; min_digits is at most 16 where it is
     * asked). */
    static const char PAIRS[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    char d[24];
    char *p = d + sizeof d;
    for (; n >= 100; n /= 100) {
        p -= 2;
        memcpy(p, PAIRS + 2 * (n % 100), 2);
    }
    if (n >= 10) {
        p -= 2;
        memcpy(p, PAIRS + 2 * n, 2);
    } else {
        *--p = (char)('0' + n);
    }
    while ((size_t)(d + sizeof d - p) < min_digits)
        *--p = '0';
    size_t len = (size_t)(d + sizeof d - p);
    memcpy(out, p, len);
    return len;
}

/* snprintf(out, 64, "%.*f", prec, v): the digits worked out here when
 * scaled_round() is sure of them and the point is '.', else by snprintf().
 * The length. */
static size_t fixed_text(const ctx *c, char *out, double v, int prec)
{
    uint64_t n;
    if (!decimal_point_is_dot(c) || !scaled_round(fabs(v), prec, &n)) {
        int len = snprintf(out, 64, "%.*f", prec, v);
        return len < 0 ? 0 : len > 63 ? 63 : (size_t)len;
    }
    size_t len = 0;
    if (signbit(v))
        out[len++] = '-';   /* as printf(): "-0.00" for -0.001 */
    char d[24];
    size_t nd = put_uint(d, n, (size_t)prec + 1);
    size_t whole = nd - (size_t)prec;
    memcpy(out + len, d, whole);
    len += whole;
    if (prec > 0) {
        out[len++] = '.';
        memcpy(out + len, d + whole, (size_t)prec);
        len += (size_t)prec;
    }
    out[len] = '\0';
    return len;
}

/* The doubles nearest 10^-1 .. 10^-4 (N10[k] for 10^-k).  Each lies above
 * the power it stands for, and the double before it below, so a double a
 * is at least 10^-k exactly when a >= N10[k]. */
static const double N10[] = {1e0, 1e-1, 1e-2, 1e-3, 1e-4};

/* snprintf(out, 64, "%g", v).  %g writes six significant digits: with X
 * the exponent of the e-style form (10^X <= |v| < 10^(X+1), after the
 * rounding to six digits), it writes the style f with 5 - X decimals when
 * -4 <= X < 6, else the style e ("1.5e+06"), trailing zeros (and a bare
 * point) taken away in both.  Zero and -4 <= X <= 15 are written here
 * (the six digits are a * 10^(5 - X) rounded, by scaled_round()); the rest
 * (tinier, larger, NaN, a rounding that would change X, near a tie) by
 * snprintf().  The length. */
static size_t g_text(const ctx *c, char *out, double v)
{
    double a = fabs(v);
    size_t len = 0;
    if (a == 0) {
        if (signbit(v))
            out[len++] = '-';
        out[len++] = '0';
        out[len] = '\0';
        return len;
    }
    int x = 0;
    bool in_range;
    if (a >= 1) {
        while (x < 15 && a >= P10[x + 1])
            x++;
        in_range = a < 1e16;
    } else {
        x = -1;
        while (x > -4 && !(a >= N10[-x]))
            x--;
        in_range = a >= N10[-x];
    }
    uint64_t n;
    if (!in_range || !decimal_point_is_dot(c) || !scaled_round(a, 5 - x, &n) || n >= 1000000) {
        int got = snprintf(out, 64, "%g", v);
        return got < 0 ? 0 : got > 63 ? 63 : (size_t)got;
    }
    if (v < 0)
        out[len++] = '-';
    char d[24];
    put_uint(d, n, 6);   /* six digits: n >= 10^5 as a >= 10^x */
    size_t frac = 6;   /* the digits kept, trailing zeros taken away */
    while (d[frac - 1] == '0')
        frac--;
    if (x < 0) {   /* 0.0…0 and the digits */
        out[len++] = '0';
        out[len++] = '.';
        for (int z = -1; z > x; z--)
            out[len++] = '0';
        memcpy(out + len, d, frac);
        len += frac;
    } else {   /* the whole digits (one in the style e), a point and the rest */
        size_t whole = x < 6 ? (size_t)x + 1 : 1;
        memcpy(out + len, d, whole);
        len += whole;
        if (frac > whole) {
            out[len++] = '.';
            memcpy(out + len, d + whole, frac - whole);
            len += frac - whole;
        }
        if (x >= 6) {   /* e+06 … e+15 */
            out[len++] = 'e';
            out[len++] = '+';
            out[len++] = (char)('0' + x / 10);
            out[len++] = (char)('0' + x % 10);
        }
    }
    out[len] = '\0';
    return len;
}

/* A message as snprintf(out, cap, fmt, ...) writes it, for the few
 * conversions the checks use (%s, %g, %zu, %.*f, %%), with the numbers
 * written by g_text() and fixed_text() (snprintf() parses the format and
 * writes %g digit by digit: most of the audit's cost in a report with
 * findings). */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void msg_format(const ctx *c, char *out, size_t cap, const char *fmt, ...)
{
    size_t len = 0;
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        char num[64];
        const char *put = num;
        size_t n;
        if (*p != '%') {
            const char *q = strchr(p, '%');
            n = q ? (size_t)(q - p) : strlen(p);
            put = p;
            p += n - 1;
        } else if (p[1] == '%') {
            put = "%";
            n = 1;
            p++;
        } else if (p[1] == 's') {
            put = va_arg(ap, const char *);
            n = strlen(put);
            p++;
        } else if (p[1] == 'g') {
            n = g_text(c, num, va_arg(ap, double));
            p++;
        } else if (p[1] == 'z' && p[2] == 'u') {
            n = put_uint(num, va_arg(ap, size_t), 1);
            p += 2;
        } else if (p[1] == '.' && p[2] == '*' && p[3] == 'f') {
            int prec = va_arg(ap, int);
            n = fixed_text(c, num, va_arg(ap, double), prec);
            p += 3;
        } else {
            n = 0;   /* not used by the checks */
        }
        if (len + n >= cap)
            n = cap - 1 - len;   /* cut off where snprintf() would */
        memcpy(out + len, put, n);
        len += n;
    }
    va_end(ap);
    out[len] = '\0';
}

/* strtod(num) for num of digits with at most one '.', when the decimal
 * point is '.': read as an integer of at most 15 digits (exact in a double)
 * divided by an exact power of ten, which rounds once, as strtod() does.
 * Anything else (more digits) goes to strtod() itself. */
static double plain_number(const char *num, bool point_is_dot)
{
    uint64_t m = 0;
    size_t digits = 0, after = 0;
    bool dot = false;
    for (const char *p = num; *p && point_is_dot; p++) {
        if (*p == '.') {
            dot = true;
            continue;
        }
        m = m * 10 + (uint64_t)(*p - '0');
        digits++;
        after += dot;
    }
    if (!point_is_dot || digits > 15)
        return strtod(num, NULL);
    return (double)m / P10[after];
}

/* Digits after the decimal point as the text shows the value ("99.0" → 1);
 * from the value itself when the text does not show it plainly (万, 十). */
static int shown_decimals(const ctx *c, const figure *f)
{
    if (c->w && f->span.end <= c->hi) {
        size_t i = f->span.start;
        while (i < f->span.end) {
            if (c->w[i] < '0' || c->w[i] > '9') {
                i++;
                continue;
            }
            size_t s = i, dot = 0;
            while (i < f->span.end &&
                   ((c->w[i] >= '0' && c->w[i] <= '9') || (c->w[i] == '.' && !dot))) {
                if (c->w[i] == '.')
                    dot = i;
                i++;
            }
            char num[48];
            size_t n = i - s < sizeof num - 1 ? i - s : sizeof num - 1;
            memcpy(num, c->w + s, n);
            num[n] = '\0';
            if (fabs(plain_number(num, decimal_point_is_dot(c)) - f->value) <=
                EPS * (fabs(f->value) + 1))
                return dot && dot + 1 < s + n ? (int)(s + n - dot - 1) : 0;
        }
    }
    char txt[64];
    fixed_text(c, txt, f->value, 6);
    char *dot = strchr(txt, '.');
    if (!dot)
        return 0;
    size_t n = strlen(txt);
    while (n > (size_t)(dot - txt) + 1 && txt[n - 1] == '0')
        n--;
    return (int)(n - (size_t)(dot - txt) - 1);
}

static double unit_of(int decimals)
{
    return pow(10.0, -decimals);
}

/* Shown value s matches exact value x when s is x rounded half up or cut
 * off to the digits shown (one unit u of the last digit):
 * x − u < s ≤ x + u/2.  OVER/UNDER make s a bound rather than a level. */
static bool agrees(double s, double x, double u, qualifier q, double slack)
{
    double tol = slack * fabs(x) + EPS * (fabs(x) + 1);
    if (q == QUAL_OVER)
        return s <= x + u / 2 + tol;
    if (q == QUAL_UNDER)
        return s > x - u - tol;
    return s > x - u - tol && s <= x + u / 2 + tol;
}

/* The words that name a school stage (no two of them start at the same
 * byte, and none is longer than STAGE_WORD_MAX bytes). */
static const struct {
    const char *word, *stage;
    size_t len;
} STAGES[] = {
    {"国小", "小学", 6}, {"国中", "初中", 6}, {"小学", "小学", 6}, {"初中", "初中", 6},
    {"高中", "高中", 6}, {"幼儿园", "学前", 9}, {"学前", "学前", 6},
    {"在园幼儿", "学前", 12}, {"中职", "中职", 6}};
#define STAGE_WORD_MAX 12

/* The stage word that starts at text + p and ends by text + len: its
 * index in STAGES, or -1. */
static int stage_word_at(const char *text, size_t len, size_t p)
{
    unsigned char b = (unsigned char)text[p];
    if (b != 0xE4 && b != 0xE5 && b != 0xE9)
        return -1;   /* no word starts with it */
    for (size_t i = 0; i < sizeof STAGES / sizeof STAGES[0]; i++)
        if (STAGES[i].len <= len - p && (unsigned char)STAGES[i].word[0] == b &&
            STAGES[i].word[1] == text[p + 1] &&   /* (most share the lead byte only) */
            memcmp(text + p, STAGES[i].word, STAGES[i].len) == 0)
            return (int)i;
    return -1;
}

#if WALK16
/* The offsets in the sixteen bytes at p where a stage word may start, one
 * bit each: the first two bytes of the first character of a word of
 * STAGES, 国 (E5 9B), 小 (E5 B0), 初 (E5 88), 高 (E9 AB), 幼 (E5 B9),
 * 学 (E5 AD), 在 (E5 9C) or 中 (E4 B8), byte by byte in any pairing (a
 * superset).  Reads 17 bytes. */
static unsigned stage_marks16(const char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
#define EQ(v, b) _mm_cmpeq_epi8((v), _mm_set1_epi8((char)(b)))
    __m128i lead = _mm_or_si128(_mm_or_si128(EQ(x, 0xE4), EQ(x, 0xE5)), EQ(x, 0xE9));
    __m128i second = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(EQ(y, 0x9B), EQ(y, 0xB0)), _mm_or_si128(EQ(y, 0x88), EQ(y, 0xAB))),
        _mm_or_si128(_mm_or_si128(EQ(y, 0xB9), EQ(y, 0xAD)), _mm_or_si128(EQ(y, 0x9C), EQ(y, 0xB8))));
#undef EQ
    return (unsigned)_mm_movemask_epi8(_mm_and_si128(lead, second));
}
#endif

/* The last stage word that starts in text[stop, from) and ends by text +
 * len: its index in STAGES (*at its offset), or -1.  Found from the end,
 * sixteen bytes at a time where SSE2 is there (the offsets stage_marks16()
 * lets through, highest first), else byte by byte. */
static int stage_word_before(const char *text, size_t len, size_t from, size_t stop, size_t *at)
{
    for (size_t p = from; p > stop;) {
#if WALK16
        if (p - stop >= 16 && p < len) {   /* (the 17 bytes from p - 16 are in the text) */
            for (unsigned m = stage_marks16(text + p - 16); m;) {
                unsigned k = 31u - (unsigned)__builtin_clz(m);
                int w = stage_word_at(text, len, p - 16 + k);
                if (w >= 0) {
                    *at = p - 16 + k;
                    return w;
                }
                m &= ~(1u << k);
            }
            p -= 16;
            continue;
        }
#endif
        p--;
        int w = stage_word_at(text, len, p);
        if (w >= 0) {
            *at = p;
            return w;
        }
    }
    return -1;
}

/* The stage named last in text ("国小专任教师1218人,师生比" → 小学), or NULL. */
static const char *last_stage(const char *text)
{
    size_t len = strlen(text), at;
    int w = stage_word_before(text, len, len, 0, &at);
    return w < 0 ? NULL : STAGES[w].stage;
}

/* The last stage word in a range, as fig_stage() found it for the figure
 * before: words that start in [s, from) and end by e (word: its index, -1
 * for none; at: its offset). */
typedef struct stage_scan {
    bool valid;
    size_t s, from, e;
    int word;
    size_t at;
} stage_scan;

/* The last stage word that starts in [s, from) of the working text and
 * ends by e.  The figures of a sentence come one after the other,
 * so the answer for the one before (sc) is reused when this range holds its
 * range: only the bytes from a word's length before its end are read again
 * (a word that ends beyond its e but by this e starts there), and its
 * word stands when nothing is found there and it starts at s or later. */
static int stage_word_in(const ctx *c, stage_scan *sc, size_t s, size_t from, size_t e,
                         size_t *at)
{
    size_t stop = s;
    bool reuse = sc->valid && s >= sc->s && from >= sc->from && e >= sc->e;
    if (reuse && sc->from > STAGE_WORD_MAX && sc->from - STAGE_WORD_MAX > s)
        stop = sc->from - STAGE_WORD_MAX;
    int w = stage_word_before(c->w, e, from, stop, at);
    if (w < 0 && reuse && sc->word >= 0 && sc->at >= s) {
        w = sc->word;
        *at = sc->at;
    }
    *sc = (stage_scan){true, s, from, e, w, w < 0 ? 0 : *at};
    return w;
}

/* The school stage a figure is about: its own, one its clause names, or
 * the last one its sentence names before it.  label_at: where the label
 * starts in the working text (SIZE_MAX when it is the name). */
static const char *fig_stage(const ctx *c, size_t j, const char *label, size_t label_at)
{
    const figure *f = &c->r->figures[j];
    if (f->stage)
        return f->stage;
    /* The label is the text [label_at, span.end) when it is taken from the
     * text (and, without NUL bytes, all of it as a string), so it is read
     * there instead of as a copy. */
    bool in_text = label_at != SIZE_MAX && !c->text_has_nul;
    size_t at;
    if (in_text) {
        int w = stage_word_before(c->w, f->span.end, f->span.end, label_at, &at);
        if (w >= 0)
            return STAGES[w].stage;
    } else {
        const char *st = last_stage(label);
        if (st)
            return st;
    }
    if (!c->w || f->span.start > c->hi)
        return NULL;
    if (c->text_has_nul) {
        char before[512];
        copy_text(c, start_of(c, j, REACH_SENTENCE), f->span.start, before, sizeof before);
        return last_stage(before);
    }
    /* The sentence before the figure, as copy_text() would keep it (its last
     * 511 bytes).  A word that starts at label_at or later and ends by
     * span.start lies in the label, which named none: only words that start
     * before label_at are left to find. */
    size_t e = f->span.start, s = start_of(c, j, REACH_SENTENCE);
    if (e <= s)
        return NULL;
    if (e - s >= 512)
        s = e - 511;
    size_t from = in_text && label_at < e ? label_at : e;
    if (from <= s)
        return NULL;
    int w = stage_word_in(c, c->scan, s, from, e, &at);
    return w < 0 ? NULL : STAGES[w].stage;
}

static bool same_or_unknown(const char *a, const char *b)
{
    return !a || !b || strcmp(a, b) == 0;
}

/* ----- what is known about each figure (computed once) ----- */

static const char *label_of(const ctx *c, size_t j)
{
    fmemo *m = &c->memo[j];
    if (!m->has_label) {
        fig_label(c, j, c->labels[j], sizeof c->labels[j], &m->label_at);
        m->has_label = true;
    }
    return c->labels[j];
}

/* One of 256 bits for a three-byte character, from its last two bytes. */
static unsigned bloom_bit(unsigned char b1, unsigned char b2)
{
    return (b1 * 31u + b2) & 255;
}

/* A summary of figure j's label: the bloom_bit() of every byte 0xE0-0xEF in
 * it that two bytes follow (the lead of a three-byte character, wherever
 * one starts).  A word that starts with a three-byte character can be in
 * the label only where the label has its bit. */
static const uint64_t *label_bloom(const ctx *c, size_t j)
{
    fmemo *m = &c->memo[j];
    uint64_t *bloom = c->blooms[j];
    if (!m->has_bloom) {
        const unsigned char *s = (const unsigned char *)label_of(c, j);
        size_t n = strlen((const char *)s);
        memset(bloom, 0, sizeof c->blooms[j]);
        for (size_t p = 0; p + 2 < n;) {
            if (s[p] >= 0xE0 && s[p] < 0xF0) {
                unsigned h = bloom_bit(s[p + 1], s[p + 2]);
                bloom[h >> 6] |= (uint64_t)1 << (h & 63);
                /* Two continuation bytes (0x80-0xBF) after it are no lead:
                 * stepping over them misses none. */
                if ((s[p + 1] & 0xC0) == 0x80 && (s[p + 2] & 0xC0) == 0x80) {
                    p += 3;
                    continue;
                }
            }
            p++;
        }
        m->has_bloom = true;
    }
    return bloom;
}

/* The index of a lowest set bit of m (m != 0). */
static unsigned lowest_bit(uint64_t m)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(m);
#else
    unsigned k = 0;
    while (!((m >> k) & 1))
        k++;
    return k;
#endif
}

/* The long lists of words that label_has_any() looks for (WORD_LISTS). */
typedef enum word_list { WL_NOT_WHOLE, WL_TEACHER_SUBSETS, WL_TARGET_WORDS, WL_COUNT } word_list;

/* The words of a long list (at most 64) by the bloom_bit() of their first
 * character, made once per report that asks: a label is then checked only
 * for the words whose first character its bloom holds, found from the few
 * bits the label and the list share instead of by a look at every word. */
typedef struct word_index {
    bool made;
    const char *const *words;   /* the list */
    uint64_t any[4];        /* the bits some word's first character has */
    uint64_t at[256];       /* bit -> its words (bit i: words[i]); set where any has the bit */
    uint64_t always;        /* words that do not start with a three-byte character */
} word_index;

static void index_words(word_index *x, const char *const *words)
{
    /* at[h] is read only where any has bit h (label_has_any()), so it is
     * cleared when that bit is first set instead of all 256 of them. */
    memset(x->any, 0, sizeof x->any);
    x->always = 0;
    x->words = words;
    for (size_t i = 0; words[i]; i++) {
        const unsigned char *w = (const unsigned char *)words[i];
        if (w[0] >= 0xE0 && w[0] < 0xF0 && w[1] && w[2]) {
            unsigned h = bloom_bit(w[1], w[2]);
            uint64_t bit = (uint64_t)1 << (h & 63);
            if (!(x->any[h >> 6] & bit))
                x->at[h] = 0;
            x->any[h >> 6] |= bit;
            x->at[h] |= (uint64_t)1 << i;
        } else {
            x->always |= (uint64_t)1 << i;
        }
    }
    x->made = true;
}

/* has_any(label_of(c, j), WORD_LISTS[list]), with strstr() asked only for the words
 * the label's bloom lets through (a word in the label has the bit of its
 * first character there; all words that do not start with a three-byte
 * character are asked), by the list's index (list_index()).  For the
 * long lists: making the bloom costs about as much as a few strstr(). */
static const word_index *list_index(const ctx *c, word_list k);

static bool label_has_any(const ctx *c, size_t j, word_list list)
{
    const word_index *x = list_index(c, list);
    const char *const *words = x->words;
    const char *label = label_of(c, j);
    const uint64_t *bloom = label_bloom(c, j);
    uint64_t cand = x->always;
    for (unsigned k = 0; k < 4; k++)
        for (uint64_t m = bloom[k] & x->any[k]; m; m &= m - 1)
            cand |= x->at[k * 64 + lowest_bit(m)];
    for (; cand; cand &= cand - 1)
        if (strstr(label, words[lowest_bit(cand)]))
            return true;
    return false;
}

static const char *stage_of(const ctx *c, size_t j)
{
    fmemo *m = &c->memo[j];
    if (!m->has_stage) {
        const char *label = label_of(c, j);
        m->stage = fig_stage(c, j, label, m->label_at);
        m->has_stage = true;
    }
    return m->stage;
}

static int decimals_of(const ctx *c, size_t j)
{
    fmemo *m = &c->memo[j];
    if (!m->has_dec) {
        m->decimals = shown_decimals(c, &c->r->figures[j]);
        m->has_dec = true;
    }
    return m->decimals;
}

/* Characters that all the words of a result predicate's list share (均 in
 * 生均图书, 平均班额, 班均人数 …; 比 in 师生比, 生师比 …; 率 in 入学率,
 * 巩固率, 学历合格率 …): a name without it has none of the words, and one
 * look per figure at its name tells. */
enum { NAME_JUN = 1, NAME_BI = 2, NAME_LV = 4 };

/* The name_has() bit of the character that ends at offset i of name:
 * 均 is E5 9D 87, 比 is E6 AF 94, 率 is E7 8E 87. */
static unsigned name_fact_ending_at(const unsigned char *name, size_t i)
{
    if (i < 2)
        return 0;
    if (name[i] == 0x87 && name[i - 2] == 0xE5 && name[i - 1] == 0x9D)
        return NAME_JUN;
    if (name[i] == 0x87 && name[i - 2] == 0xE7 && name[i - 1] == 0x8E)
        return NAME_LV;
    if (name[i] == 0x94 && name[i - 2] == 0xE6 && name[i - 1] == 0xAF)
        return NAME_BI;
    return 0;
}

/* The name_has() bits of a name: where strstr(name, "均"), strstr(name,
 * "比") and strstr(name, "率") find the character, at any offset, in one
 * walk instead of three calls (asked of nearly every figure by
 * results_may()).  With SSE2, sixteen bytes a step (the last step
 * overlapping the one before, so no byte past the NUL is read): only the
 * offsets that hold a last byte of the three (0x87, 0x94) can end an
 * occurrence, and only those are looked at.  A
 * name shorter than a step (most are) is copied into sixteen zero bytes
 * first and looked at there: the zeros hold neither last byte, so the
 * offsets looked at are those of the name, and each is tested on the same
 * bytes.  Builds without SSE2 look at every offset.
 * Kept out of line so that name_has(), asked far more often than a name is
 * walked, stays small where it is inlined. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static unsigned name_facts_of(const char *name)
{
    const unsigned char *u = (const unsigned char *)name;
    size_t n = strlen(name);
    unsigned facts = 0;
#if defined(__SSE2__) && MARKS_IN_ORDER
    const __m128i jun = _mm_set1_epi8((char)0x87), bi = _mm_set1_epi8((char)0x94);
    if (n < 16) {
        unsigned char pad[16] = {0};
        memcpy(pad, name, n);
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)pad);
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(x, jun), _mm_cmpeq_epi8(x, bi)));
        for (; m; m &= m - 1)
            facts |= name_fact_ending_at(pad, (unsigned)__builtin_ctz(m));
        return facts;
    }
    for (size_t i = 0;; i += 16) {
        size_t at = i + 16 <= n ? i : n - 16;
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(name + at));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(x, jun), _mm_cmpeq_epi8(x, bi)));
        for (; m; m &= m - 1)
            facts |= name_fact_ending_at(u, at + (unsigned)__builtin_ctz(m));
        if (at + 16 >= n)
            return facts;
    }
#else
    for (size_t i = 2; i < n; i++)
        facts |= name_fact_ending_at(u, i);
    return facts;
#endif
}

static bool name_has(const ctx *c, size_t j, unsigned bit)
{
    fmemo *m = &c->memo[j];
    if (!m->has_name_facts) {
        const char *name = c->r->figures[j].name;
        m->name_facts = (unsigned char)(name ? name_facts_of(name) : 0u);
        m->has_name_facts = true;
    }
    return (m->name_facts & bit) != 0;
}

/* A figure whose value stands as a level the audit may compare. */
static bool is_level(const figure *f)
{
    /* (The flags combined without a branch each: asked of every figure by
     * several checks, and which way they go does not repeat.) */
    return f->has_value & !f->redacted & !f->change;
}

/* Record a check about figures idx[0..n) with span_of's span (or none).
 * False only when memory ran out: at DOC_MAX_CHECKS further checks are
 * dropped, as the limit is documented. */
static bool add(ctx *c, const char *code, severity sev, const figure *span_of, size_t n,
                const size_t *idx, const char *msg)
{
    if (c->r->nchecks >= DOC_MAX_CHECKS)
        return true;
    check *k = report_add_check_text(c->r, code, sev, msg, strlen(msg));
    if (!k)
        return false;
    for (size_t i = 0; i < n && i < sizeof k->idx / sizeof k->idx[0]; i++)
        k->idx[k->nidx++] = idx[i];
    if (span_of) {
        k->has_span = true;
        k->span = span_of->span;
    }
    return true;
}

/* rules_find(c->ru, id), remembered for the id's pointer: the same pointer
 * is the same text during the audit, so the same answer. */
static const indicator *find_indicator(ctx *c, const char *id)
{
    size_t slot = ((uintptr_t)id >> 4) % (sizeof c->found_id / sizeof c->found_id[0]);
    if (c->found_id[slot] != id) {
        c->found[slot] = rules_find(c->ru, id);
        c->found_id[slot] = id;
    }
    return c->found[slot];
}

/* ----- impossible values and the catalogue's range ----- */

static const char *const GROWTH_WORDS[] = {"增长", "增幅", "增速", "提高", "下降", "降低",
                                           "完成", NULL};

static bool is_gross(const figure *f)
{
    return f->gross || (f->name && (strstr(f->name, "毛入") != NULL));
}

/* Returns false when memory ran out; *flagged when an impossible value was found. */
static bool check_impossible(ctx *c, size_t i, bool *flagged)
{
    const figure *f = &c->r->figures[i];
    char msg[400];
    *flagged = false;
    if (f->is_ratio && !f->redacted && (f->left == 0 || f->right == 0)) {
        msg_format(c, msg, sizeof msg, "%s is given as %g:%g; a ratio side of 0 is impossible.",
                 fig_name(f), f->left, f->right);
        *flagged = true;
        return add(c, "ratio_side_zero", SEV_ERROR, f, 1, &i, msg);
    }
    if (!is_level(f))
        return true;
    if (f->value < 0) {
        msg_format(c, msg, sizeof msg, "%s is %g%s; a level cannot be negative.", fig_name(f),
                 f->value, f->unit);
        *flagged = true;
        return add(c, "negative_value", SEV_ERROR, f, 1, &i, msg);
    }
    if (f->kind == KIND_RATE && strcmp(f->unit, "%") == 0 && f->value > 100 + EPS &&
        !is_gross(f) && !has_any(f->name, GROWTH_WORDS)) {
        msg_format(c, msg, sizeof msg, "%s is %g%%, but this rate cannot exceed 100%%.",
                 fig_name(f), f->value);
        *flagged = true;
        return add(c, "rate_above_100", SEV_ERROR, f, 1, &i, msg);
    }
    return true;
}

static bool check_range(ctx *c, size_t i)
{
    const figure *f = &c->r->figures[i];
    /* Totals (counts, money, areas) scale with who reports; only levels
     * per head or per cent have a typical range. */
    if (!is_level(f) || f->range_lo > f->range_hi ||
        (f->kind != KIND_RATE && f->kind != KIND_RATIO && f->kind != KIND_PER_CAPITA))
        return true;
    const indicator *ind = c->ru && f->id ? find_indicator(c, f->id) : NULL;
    if (ind && ind->unit && f->unit[0] && strcmp(ind->unit, f->unit) != 0)
        return true;   /* a different measure (e.g. 亩 for ㎡): the range does not apply */
    double v = f->value;
    if (v >= f->range_lo - EPS && v <= f->range_hi + EPS)
        return true;
    /* A bound that still allows a value inside the range is no finding. */
    if ((f->qual == QUAL_UNDER && v > f->range_hi) || (f->qual == QUAL_OVER && v < f->range_lo))
        return true;
    char msg[400];
    msg_format(c, msg, sizeof msg, "%s of %g%s is outside the typical range %g to %g for %s.",
             fig_name(f), v, f->unit, f->range_lo, f->range_hi, f->id ? f->id : "it");
    return add(c, "value_out_of_range", SEV_WARNING, f, 1, &i, msg);
}

/* ----- claims against standards ----- */

static bool check_claim(ctx *c, size_t i)
{
    const figure *f = &c->r->figures[i];
    if (f->claimed == CLAIM_NONE || !f->std.present || !f->std.has_value || !is_level(f))
        return true;
    if (f->unit[0] && f->std.unit[0] && strcmp(f->unit, f->std.unit) != 0)
        return true;
    double v = f->value, s = f->std.value;
    /* 师生比 0.054 against 1:19, or 17.3 against 0.049: put both as N. */
    if (f->kind == KIND_RATIO && s > 0 && v > 0 && (s < 1) != (v < 1))
        s = 1 / s;
    int dir = f->direction;
    if (!dir && c->ru && f->id) {
        const indicator *ind = find_indicator(c, f->id);
        dir = ind ? ind->direction : 0;
    }
    bool meets;
    if (dir > 0)
        meets = v >= s - EPS;
    else if (dir < 0)
        meets = v <= s + EPS;
    else if (f->meets >= 0)
        meets = f->meets == 1;
    else
        return true;
    /* A bound or an approximation that could lie on either side decides nothing. */
    if (!meets && (f->qual == QUAL_APPROX || (f->qual == QUAL_OVER && dir > 0) ||
                   (f->qual == QUAL_UNDER && dir < 0)))
        return true;
    char msg[400];
    const char *un = f->unit[0] ? f->unit : "";
    if (f->claimed == CLAIM_MET && !meets) {
        msg_format(c, msg, sizeof msg,
                 "The text says %s is up to standard, but %g%s %s the standard %g%s.",
                 fig_name(f), v, un, dir < 0 ? "is above" : "falls short of", s, un);
        return add(c, "claim_met_misses_standard", SEV_ERROR, f, 1, &i, msg);
    }
    if (f->claimed == CLAIM_NOT_MET && meets) {
        msg_format(c, msg, sizeof msg,
                 "The text says %s is not up to standard, but %g%s meets the standard %g%s.",
                 fig_name(f), v, un, s, un);
        return add(c, "claim_not_met_meets_standard", SEV_WARNING, f, 1, &i, msg);
    }
    return true;
}

/* ----- recomputation from parts ----- */

/* A predicate on figure j of the report (which takes its label from
 * label_of() when it needs it). */
typedef bool (*fig_pred)(const ctx *c, size_t j);

/* Words in a clause that say a count is not the whole body of students or
 * teachers the ratio is about (推荐59名教师, 资助学生300人). */
static const char *const NOT_WHOLE[] = {
    "推荐", "参加", "参与", "培训", "评选", "表彰", "获", "资助", "补助", "免", "招",
    "新增", "新进", "交流", "轮岗", "选派", "组织", "送", "听课", "毕业", "上线", "录取",
    "辍学", "流失", "转入", "转出", "残疾", "留守", "随迁", "贫困", "近视", "外出", "退休",
    "适龄", "入学", "学年末", "学年结束", "期末", "达标", "合格", "学历", "增加", "减少", NULL};

static const char *const TEACHER_SUBSETS[] = {
    "一级", "二级", "三级", "高级", "中级", "骨干", "优秀", "带头", "名师", "本科", "专科",
    "大专", "研究生", "兼职", "代课", "特岗", "支教", "体育", "音乐", "美术", "英语", "心理",
    "班主任", "党员", "男", "女", "青年", NULL};
_Static_assert(sizeof NOT_WHOLE / sizeof NOT_WHOLE[0] <= 65 &&
                   sizeof TEACHER_SUBSETS / sizeof TEACHER_SUBSETS[0] <= 65,
               "a word_index holds at most 64 words");

static bool is_count(const figure *f)
{
    return f->kind == KIND_COUNT;
}

/* strcmp(f->unit, u) == 0 for a unit u of one three-byte character: its
 * four bytes with the NUL, compared at once (unit is an array of more). */
static bool unit_is(const figure *f, const char u[4])
{
    _Static_assert(sizeof f->unit >= 4, "a unit holds a character and its NUL");
    return memcmp(f->unit, u, 4) == 0;
}

/* A count of people: 学生寄宿楼一栋 is not a number of students. */
static bool is_people(const figure *f)
{
    return is_count(f) &&
           (!f->unit[0] || unit_is(f, "人") || unit_is(f, "名") || unit_is(f, "位"));
}

static bool part_students(const ctx *c, size_t j)
{
    static const char *const W[] = {"学生", "在校生", "在籍生", "幼儿", "在园", NULL};
    const figure *f = &c->r->figures[j];
    /* The name is asked first: it is short and rules out most figures, so
     * the long word lists are run over the labels of candidates only. */
    if (!is_people(f) || !(id_is(c, f, IDC_STUDENTS) || has_any(f->name, W)))
        return false;
    return !label_has_any(c, j, WL_NOT_WHOLE) && !label_has_any(c, j, WL_TEACHER_SUBSETS);
}

static bool part_teachers(const ctx *c, size_t j)
{
    static const char *const W[] = {"教师", "教职工", "老师", "教职员工", NULL};
    const figure *f = &c->r->figures[j];
    if (!is_people(f) || !(id_is(c, f, IDC_TEACHERS) || has_any(f->name, W)))
        return false;   /* the name first, as in part_students */
    return !label_has_any(c, j, WL_NOT_WHOLE) && !label_has_any(c, j, WL_TEACHER_SUBSETS);
}

/* Whether figure j's label holds 学, which every word the predicates below
 * look for but 适龄 holds (入学, 学年初, 学年末, 学历 …): one strstr() per
 * label rules them all out where it does not. */
static bool label_has_xue(const ctx *c, size_t j)
{
    fmemo *m = &c->memo[j];
    if (!m->has_xue) {
        m->xue = strstr(label_of(c, j), "学") != NULL;
        m->has_xue = true;
    }
    return m->xue;
}

static bool part_enrolled(const ctx *c, size_t j)
{
    if (!is_count(&c->r->figures[j]) || !label_has_xue(c, j))
        return false;
    const char *label = label_of(c, j);
    return strstr(label, "入学") && !strstr(label, "率");
}

static bool part_cohort(const ctx *c, size_t j)
{
    if (!is_count(&c->r->figures[j]))
        return false;
    const char *label = label_of(c, j);
    return strstr(label, "适龄") && !strstr(label, "入学");
}

static bool part_year_start(const ctx *c, size_t j)
{
    static const char *const W[] = {"学年初", "学年开始", "学期初", NULL};
    return is_count(&c->r->figures[j]) && label_has_xue(c, j) && has_any(label_of(c, j), W);
}

static bool part_year_end(const ctx *c, size_t j)
{
    static const char *const W[] = {"学年末", "学年结束", "学期末", NULL};
    return is_count(&c->r->figures[j]) && label_has_xue(c, j) && has_any(label_of(c, j), W);
}

static bool part_qualified(const ctx *c, size_t j)
{
    static const char *const W[] = {"达标", "合格", NULL};
    if (!is_count(&c->r->figures[j]) || !label_has_xue(c, j))
        return false;
    const char *label = label_of(c, j);
    return strstr(label, "学历") && has_any(label, W) && !strstr(label, "率");
}

static bool part_books(const ctx *c, size_t j)
{
    static const char *const W[] = {"图书", "藏书", NULL};
    static const char *const NOT[] = {"生均", "人均", "新增", "捐", "购", "补充", "借阅", NULL};
    const figure *f = &c->r->figures[j];
    /* The cheap tests first (all are pure, so the order changes nothing). */
    if (f->kind != KIND_COUNT && f->kind != KIND_OTHER)
        return false;
    if (!id_is(c, f, IDC_BOOKS) &&
        !((unit_is(f, "册") || unit_is(f, "本")) &&
          has_any(label_of(c, j), W)))
        return false;
    return !has_any(label_of(c, j), NOT);
}

static const char *const AREA_NOT[] = {"生均", "人均", "新增", "新建", "扩建", "改建", "维修",
                                       "征", "绿化", "运动", "体育", "用房", NULL};

static bool part_land(const ctx *c, size_t j)
{
    static const char *const W[] = {"占地面积", "用地面积", "校园面积", NULL};
    const figure *f = &c->r->figures[j];
    if (f->kind != KIND_AREA)
        return false;
    const char *label = label_of(c, j);
    return (id_is(c, f, IDC_LAND) || has_any(label, W)) && !has_any(label, AREA_NOT);
}

static bool part_building(const ctx *c, size_t j)
{
    static const char *const W[] = {"建筑面积", "校舍面积", NULL};
    const figure *f = &c->r->figures[j];
    if (f->kind != KIND_AREA)
        return false;
    const char *label = label_of(c, j);
    return (id_is(c, f, IDC_BUILDING) || has_any(label, W)) && !has_any(label, AREA_NOT);
}

static bool part_classes(const ctx *c, size_t j)
{
    static const char *const W[] = {"教学班", "班级", NULL};
    static const char *const NOT[] = {"大班额", "超大", "新增", "兴趣", "培训", "实验班", NULL};
    const figure *f = &c->r->figures[j];
    if (!is_count(f))
        return false;
    const char *label = label_of(c, j);
    return (id_is(c, f, IDC_CLASSES) || has_any(label, W)) && !has_any(label, NOT);
}

/* The result predicates read the figure's name, not its label. */

static bool res_enrollment(const ctx *c, size_t j)
{
    static const char *const NOT[] = {"毛入", "残疾", "升学", NULL};
    const figure *f = &c->r->figures[j];
    /* (The words that rule it out asked last: most rates are no 入学率.) */
    return f->kind == KIND_RATE &&
           (id_is(c, f, IDC_ENROLLMENT) ||
            (name_has(c, j, NAME_LV) && strstr(f->name, "入学率"))) &&
           !has_any(f->name, NOT);
}

static bool res_retention(const ctx *c, size_t j)
{
    const figure *f = &c->r->figures[j];
    return f->kind == KIND_RATE &&
           (id_is(c, f, IDC_RETENTION) || (name_has(c, j, NAME_LV) && strstr(f->name, "巩固率")));
}

static bool res_st_ratio(const ctx *c, size_t j)
{
    static const char *const W[] = {"师生比", "生师比", "师生之比", "师生比例", NULL};
    const figure *f = &c->r->figures[j];
    return id_is(c, f, IDC_ST_RATIO) || (name_has(c, j, NAME_BI) && has_any(f->name, W));
}

static bool res_books(const ctx *c, size_t j)
{
    static const char *const W[] = {"生均图书", "生均藏书", "人均藏书", "人均图书", "均图书",
                                    NULL};
    const figure *f = &c->r->figures[j];
    return id_is(c, f, IDC_BOOKS_PER) || (name_has(c, j, NAME_JUN) && has_any(f->name, W)) ||
           (f->kind == KIND_PER_CAPITA &&
            (unit_is(f, "册") || unit_is(f, "本")));
}

static bool res_land(const ctx *c, size_t j)
{
    static const char *const W[] = {"生均占地", "生均用地", "生均校园占地", NULL};
    const figure *f = &c->r->figures[j];
    return id_is(c, f, IDC_LAND_PER) || (name_has(c, j, NAME_JUN) && has_any(f->name, W));
}

static bool res_building(const ctx *c, size_t j)
{
    static const char *const W[] = {"生均校舍", "生均建筑面积", NULL};
    const figure *f = &c->r->figures[j];
    return id_is(c, f, IDC_BUILDING_PER) || (name_has(c, j, NAME_JUN) && has_any(f->name, W));
}

static bool res_class_size(const ctx *c, size_t j)
{
    static const char *const W[] = {"平均班额", "班均人数", "班级平均人数", NULL};
    static const char *const NOT[] = {"最大", "大班额", "超大", NULL};
    const figure *f = &c->r->figures[j];
    return (id_is(c, f, IDC_CLASS_SIZE) || (name_has(c, j, NAME_JUN) && has_any(f->name, W))) &&
           !has_any(f->name, NOT);
}

static bool res_qualification(const ctx *c, size_t j)
{
    static const char *const W[] = {"学历合格率", "学历达标率", NULL};
    const figure *f = &c->r->figures[j];
    if (f->kind != KIND_RATE)
        return false;
    if (id_is(c, f, IDC_QUALIFICATION))
        return true;
    if (!name_has(c, j, NAME_LV))
        return false;   /* (every word asked below has 率) */
    if (has_any(f->name, W))
        return true;
    /* A bare 达标率 / 合格率 counts when its sentence gives 学历达标 N. */
    if (!(ends_with(f->name, "达标率") || ends_with(f->name, "合格率")))
        return false;
    char sent[1024];
    fig_sentence(c, j, sent, sizeof sent);
    return strstr(sent, "学历");
}

/* The entries of PREDS (the part predicates) by name. */
enum {
    PK_ENROLLED, PK_COHORT, PK_YEAR_END, PK_YEAR_START, PK_STUDENTS, PK_TEACHERS, PK_BOOKS,
    PK_LAND, PK_BUILDING, PK_QUALIFIED, PK_CLASSES, PK_COUNT
};
_Static_assert(PK_COUNT == NPREDS, "NPREDS counts the part predicates");

typedef struct relation {
    const char *what;       /* for the message: "入学 / 适龄" */
    fig_pred result;
    size_t num, den;        /* the parts' predicates, as entries of PREDS */
    double scale;           /* 100 for a percentage */
} relation;

/* In the order of the REL_ bits (results_may()). */
static const relation RELATIONS[] = {
    {"入学 / 适龄", res_enrollment, PK_ENROLLED, PK_COHORT, 100},
    {"学年末 / 学年初", res_retention, PK_YEAR_END, PK_YEAR_START, 100},
    {"学生 / 教师", res_st_ratio, PK_STUDENTS, PK_TEACHERS, 1},
    {"图书 / 学生", res_books, PK_BOOKS, PK_STUDENTS, 1},
    {"占地面积 / 学生", res_land, PK_LAND, PK_STUDENTS, 1},
    {"建筑面积 / 学生", res_building, PK_BUILDING, PK_STUDENTS, 1},
    {"学历达标教师 / 教师", res_qualification, PK_QUALIFIED, PK_TEACHERS, 100},
    {"学生 / 教学班", res_class_size, PK_STUDENTS, PK_CLASSES, 1},
};

typedef struct candidates {
    size_t idx[MAX_CANDIDATES];
    size_t n;
    reach level;            /* the stretch they were found in */
} candidates;

/* The predicates find_parts() asks of many figures, each answer
 * remembered (PRED_KINDS follows this order).  The results are asked once
 * per figure, by recompute() alone, and are not here. */
static const fig_pred PREDS[NPREDS] = {
    [PK_ENROLLED] = part_enrolled, [PK_COHORT] = part_cohort, [PK_YEAR_END] = part_year_end,
    [PK_YEAR_START] = part_year_start, [PK_STUDENTS] = part_students,
    [PK_TEACHERS] = part_teachers, [PK_BOOKS] = part_books, [PK_LAND] = part_land,
    [PK_BUILDING] = part_building, [PK_QUALIFIED] = part_qualified,
    [PK_CLASSES] = part_classes};

/* The kinds of figure each entry of PREDS can accept at all (what it tests
 * first), one bit per kind: the searches for parts pass over figures of
 * other kinds without asking the predicate (or its memo). */
#define KIND_BIT(k) (1u << (k))
static const unsigned PRED_KINDS[NPREDS] = {
    KIND_BIT(KIND_COUNT), KIND_BIT(KIND_COUNT),   /* part_enrolled, part_cohort */
    KIND_BIT(KIND_COUNT), KIND_BIT(KIND_COUNT),   /* part_year_end, part_year_start */
    KIND_BIT(KIND_COUNT), KIND_BIT(KIND_COUNT),   /* part_students, part_teachers */
    KIND_BIT(KIND_COUNT) | KIND_BIT(KIND_OTHER),  /* part_books */
    KIND_BIT(KIND_AREA), KIND_BIT(KIND_AREA),     /* part_land, part_building */
    KIND_BIT(KIND_COUNT), KIND_BIT(KIND_COUNT)};  /* part_qualified, part_classes */

/* False when PREDS[k] cannot accept figure f for its kind (k < NPREDS). */
static bool kind_may(size_t k, const figure *f)
{
    return (unsigned)f->kind >= 32 || ((PRED_KINDS[k] >> f->kind) & 1);
}


/* pred(figure j, its label), asked once per figure; pred is PREDS[k] (or
 * k is NPREDS). */
static bool pred_of_k(const ctx *c, size_t j, fig_pred pred, size_t k)
{
    if (k == sizeof PREDS / sizeof PREDS[0])
        return pred(c, j);
    fmemo *m = &c->memo[j];
    uint32_t bit = (uint32_t)1 << k;
    if (!(m->pred_done & bit)) {
        if (pred(c, j))
            m->pred_val |= bit;
        m->pred_done |= bit;
    }
    return (m->pred_val & bit) != 0;
}

/* Figure j is a part found in stretch [s, e) at level lv, for a result of
 * this year and stage. */
static bool part_ok(const ctx *c, size_t j, size_t s, size_t e, reach lv, int year,
                    const char *stage, fig_pred pred, size_t k)
{
    const figure *f = &c->r->figures[j];
    if (!is_level(f) || f->value <= 0 || f->span.start < s || f->span.end > e)
        return false;
    if (year && f->year && year != f->year)
        return false;
    if ((k < NPREDS && !kind_may(k, f)) || !pred_of_k(c, j, pred, k))
        return false;
    /* Far from the figure, a count of another or an unstated stage
     * (全国在校生 for a 小学 生师比) is not its part. */
    const char *fs = stage_of(c, j);
    return lv == REACH_REPORT ? !(stage && !(fs && strcmp(stage, fs) == 0))
                              : same_or_unknown(stage, fs);
}

/* Make l's array (room for every figure) when it is not yet: its own part
 * of the per-report block (see alloc_per_report()), which it is the only
 * one to write, instead of a malloc() and free() of its own.  True (kept
 * a bool for wide_parts(), which gave up when a malloc() failed). */
static bool plist_made(ctx *c, pred_list *l)
{
    if (!l->at) {
        size_t n = c->r->nfigures;
        l->at = c->plist_room + (size_t)(l - c->plist) * (n ? n : 1);
    }
    return true;
}

/* Look at the next figure for l, the list of PREDS[pk] (pred): listed when
 * it may be a part anywhere (l->upto < the number of figures). */
static void plist_extend(ctx *c, pred_list *l, fig_pred pred, size_t pk)
{
    size_t j = l->upto++;
    const figure *f = &c->r->figures[j];
    if (is_level(f) && f->value > 0 && kind_may(pk, f) && pred_of_k(c, j, pred, pk))
        l->at[l->n++] = j;
}

/* False when the report-wide list of PREDS[pk] is made to the end (by an
 * earlier search of the report that went that far) and empty: no figure
 * may be a part under it at all.  Every part that find_parts() finds, in
 * any stretch, is on that list (part_ok() asks what the list asks and
 * more), so it would find none.  True otherwise (not known yet: the
 * stretches are searched as before). */
static bool parts_may_exist(const ctx *c, size_t pk)
{
    return pk >= NPREDS || !c->plist[pk].at || c->plist[pk].upto < c->r->nfigures ||
           c->plist[pk].n > 0;
}

/* The report-wide parts under predicate PREDS[pk] into p (empty), counted
 * up to cap_seen: the loop below over all figures, but only over those
 * its predicate list holds, which is made on the way as far as needed.
 * False when the list cannot be made (out of memory): p is left empty. */
static bool wide_parts(ctx *c, parts_entry *p, int year, const char *stage, fig_pred pred,
                       size_t pk, size_t cap_seen)
{
    pred_list *l = &c->plist[pk];
    size_t n = c->r->nfigures;
    if (!plist_made(c, l))
        return false;
    for (size_t q = 0; p->seen < cap_seen;) {
        if (q == l->n) {
            if (l->upto == n)
                break;
            plist_extend(c, l, pred, pk);
            continue;
        }
        size_t j = l->at[q++];
        if (!part_ok(c, j, 0, (size_t)-1, REACH_REPORT, year, stage, pred, pk))
            continue;
        p->seen++;
        if (p->n < sizeof p->idx / sizeof p->idx[0])
            p->idx[p->n++] = j;
    }
    return true;
}

static void list_by_start(ctx *c);

/* The parts of stretch [s, e), every figure counted (cached: the figures of
 * one sentence or paragraph share the answer). */
static const parts_entry *parts_in(ctx *c, reach lv, size_t s, size_t e, int year,
                                   const char *stage, fig_pred pred, size_t pk)
{
    parts_caches *pc = c->pc;
    bool wide = lv == REACH_REPORT;
    parts_entry *cache = wide ? pc->wide : pc->near;
    size_t size = wide ? REPORT_PARTS_CACHE : PARTS_CACHE;
    size_t *filled = wide ? &pc->nwide : &pc->nnear;
    size_t *next = wide ? &pc->next_wide : &pc->next_near;
    for (size_t k = 0; k < *filled; k++) {
        const parts_entry *p = &cache[k];
        /* (pred first: the report-wide entries all have the same lv, s
         * and e, and the others mostly differ in pred as well) */
        if (p->pred == pred && p->s == s && p->e == e && p->lv == (int)lv &&
            p->year == year && p->stage == stage)
            return p;
    }
    parts_entry *p = &cache[*next];
    *next = (*next + 1) % size;
    if (*filled < size)
        (*filled)++;
    /* (Field by field: idx[] is read only below n, so it is not zeroed.) */
    p->lv = (int)lv;
    p->s = s;
    p->e = e;
    p->pred = pred;
    p->stage = stage;
    p->year = year;
    p->seen = 0;
    p->n = 0;
    size_t n = c->r->nfigures;
    size_t cap_seen = lv == REACH_SENTENCE ? (size_t)-1 : WIDE_SEEN_CAP;
    if (wide && pk < NPREDS && wide_parts(c, p, year, stage, pred, pk, cap_seen))
        return p;
    if (!wide && c->by_start && !c->by_start_made)
        list_by_start(c);
    if (!c->by_start || wide) {
        /* The whole report (or no index): every figure, by index, so the
         * first parts found are the first by index. */
        for (size_t j = 0; j < n && p->seen < cap_seen; j++) {
            if (!part_ok(c, j, s, e, lv, year, stage, pred, pk))
                continue;
            p->seen++;
            if (p->n < sizeof p->idx / sizeof p->idx[0])
                p->idx[p->n++] = j;
        }
        return p;
    }
    /* Only the figures that start in the stretch (and any whose span ends
     * before it starts, listed last); the first parts by index are kept. */
    size_t a = 0, b = c->nby_start;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (c->by_start[m].start < s)
            a = m + 1;
        else
            b = m;
    }
    const size_t cap = sizeof p->idx / sizeof p->idx[0];
    for (size_t k = a; k < n && p->seen < cap_seen; k++) {
        const by_start *x = &c->by_start[k];
        if (x->start > e && k < c->nby_start)
            k = c->nby_start - 1;   /* on to the inverted spans */
        else if (part_ok(c, x->i, s, e, lv, year, stage, pred, pk)) {
            p->seen++;
            size_t at = p->n < cap ? p->n++ : cap;
            while (at > 0 && p->idx[at - 1] > x->i) {
                if (at < cap)
                    p->idx[at] = p->idx[at - 1];
                at--;
            }
            if (at < cap)
                p->idx[at] = x->i;
        }
    }
    return p;
}

/* The sentence and paragraph of one result, found when first asked:
 * find_parts() looks in them for every relation and both its parts. */
typedef struct result_stretches {
    bool known[REACH_PARAGRAPH + 1];
    size_t s[REACH_PARAGRAPH + 1], e[REACH_PARAGRAPH + 1];
} result_stretches;

/* Parts for result i: the nearest stretch (sentence, paragraph, report)
 * that has any, excluding other stages and years.  False when none.  rs:
 * result i's stretches (filled here as they are asked). */
static bool find_parts(ctx *c, size_t i, const char *stage, size_t pk, candidates *out,
                       result_stretches *rs)
{
    const figure *res = &c->r->figures[i];
    static const reach LEVELS[] = {REACH_SENTENCE, REACH_PARAGRAPH, REACH_REPORT};
    fig_pred pred = PREDS[pk];
    for (size_t l = 0; l < sizeof LEVELS / sizeof LEVELS[0]; l++) {
        reach lv = LEVELS[l];
        if (lv != REACH_REPORT && !c->w)
            continue;
        if (lv != REACH_REPORT && !rs->known[lv]) {
            rs->s[lv] = lv == REACH_SENTENCE ? start_of(c, i, lv)
                                             : stretch_start(c, res->span.start, lv);
            rs->e[lv] = stretch_end(c, res->span.end, lv);
            rs->known[lv] = true;
        }
        size_t s = lv == REACH_REPORT ? 0 : rs->s[lv];
        size_t e = lv == REACH_REPORT ? (size_t)-1 : rs->e[lv];
        const parts_entry *p = parts_in(c, lv, s, e, res->year, stage, pred, pk);
        /* The result itself is never its own part. */
        size_t seen = p->seen - (part_ok(c, i, s, e, lv, res->year, stage, pred, pk) ? 1 : 0);
        out->n = 0;
        for (size_t k = 0; k < p->n && out->n < MAX_CANDIDATES; k++)
            if (p->idx[k] != i)
                out->idx[out->n++] = p->idx[k];
        if (seen) {
            out->level = lv;
            return lv == REACH_SENTENCE || seen <= MAX_WIDE_CANDIDATES;
        }
    }
    return false;
}

/* The entries of RELATIONS by number, one bit each. */
enum { REL_ENROLLMENT = 1u << 0, REL_RETENTION = 1u << 1, REL_ST_RATIO = 1u << 2,
       REL_BOOKS = 1u << 3, REL_LAND = 1u << 4, REL_BUILDING = 1u << 5,
       REL_QUALIFICATION = 1u << 6, REL_CLASS_SIZE = 1u << 7 };

/* The relation bit an id class gives (the results that accept a figure by
 * its id alone whatever its kind), 0 for the others. */
static const unsigned char REL_OF_ID[IDC_COUNT] = {
    [IDC_ST_RATIO] = REL_ST_RATIO, [IDC_BOOKS_PER] = REL_BOOKS, [IDC_LAND_PER] = REL_LAND,
    [IDC_BUILDING_PER] = REL_BUILDING, [IDC_CLASS_SIZE] = REL_CLASS_SIZE};

/* The RELATIONS whose result predicate may accept figure j, one bit each,
 * from what each needs at least: a rate (入学率, 巩固率, 学历合格率), its id,
 * 比 in the name (师生比), 均 in it (生均图书, 生均占地, 生均校舍, 平均班额) or
 * for books a per-capita kind (by 册).  A predicate whose bit is clear
 * rejects j (it asks its need before anything else, or in a conjunction
 * with all else), so it is not asked.  Zero for most figures (counts),
 * which are let go before their stage is worked out. */
static unsigned results_may(const ctx *c, size_t j)
{
    const figure *f = &c->r->figures[j];
    unsigned may = REL_OF_ID[fig_id_class(c, f)];
    if (f->kind == KIND_RATE)
        may |= REL_ENROLLMENT | REL_RETENTION | REL_QUALIFICATION;
    else if (f->kind == KIND_PER_CAPITA)
        may |= REL_BOOKS;
    if (name_has(c, j, NAME_BI))
        may |= REL_ST_RATIO;
    if (name_has(c, j, NAME_JUN))
        may |= REL_BOOKS | REL_LAND | REL_BUILDING | REL_CLASS_SIZE;
    return may;
}

/* check_recompute() for a figure that may be a result (its frame is large:
 * most figures are let go before it is made, so it is kept out of line). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static bool recompute(ctx *c, size_t i, unsigned may)
{
    const figure *f = &c->r->figures[i];
    result_stretches rs = {{false}, {0}, {0}};
    /* The relations whose bit may has, in the order of RELATIONS. */
    for (; may; may &= may - 1) {
        const relation *rel = &RELATIONS[lowest_bit(may)];
        /* (A result predicate is asked once per figure, here: no memo.) */
        if (!rel->result(c, i))
            continue;
        /* (The stage is worked out only here, for a figure that is some
         * result: most that may be one are none.  stage_of() is pure and
         * remembered, so asking later changes no answer.) */
        /* A relation without any figure that may be one of its parts finds
         * none in any stretch: the stretches are not searched. */
        if (!parts_may_exist(c, rel->num) || !parts_may_exist(c, rel->den))
            continue;
        const char *stage = stage_of(c, i);
        candidates num, den;
        if (!find_parts(c, i, stage, rel->num, &num, &rs) ||
            !find_parts(c, i, stage, rel->den, &den, &rs))
            continue;
        double u = unit_of(decimals_of(c, i));
        bool any = false, ok = false;
        size_t bn = 0, bd = 0;
        double best = 0;
        for (size_t a = 0; a < num.n && !ok; a++) {
            for (size_t b = 0; b < den.n && !ok; b++) {
                const figure *n = &c->r->figures[num.idx[a]], *m = &c->r->figures[den.idx[b]];
                if (num.idx[a] == den.idx[b])
                    continue;
                double x = n->value / m->value * rel->scale;
                if (rel->scale == 1 && f->value < 1 && x > 1)
                    x = 1 / x;   /* 师生比 as teachers per student (0.058) */
                double slack = n->qual || m->qual ? QUALIFIED_SLACK : 0;
                if (!any) {
                    any = true;
                    bn = num.idx[a];
                    bd = den.idx[b];
                    best = x;
                }
                ok = agrees(f->value, x, u, f->qual, slack);
            }
        }
        if (!any || ok)
            return true;
        const figure *n = &c->r->figures[bn], *m = &c->r->figures[bd];
        bool near = num.level <= REACH_PARAGRAPH && den.level <= REACH_PARAGRAPH;
        char msg[500];
        int dec = decimals_of(c, i) + 2;
        msg_format(c, msg, sizeof msg,
                 "%s is given as %g%s, but %s %g / %s %g gives %.*f%s (%s).", fig_name(f),
                 f->value, f->unit, fig_name(n), n->value, fig_name(m), m->value, dec, best,
                 f->unit, rel->what);
        size_t idx[3] = {i, bn, bd};
        return add(c, "recomputed_mismatch", near ? SEV_ERROR : SEV_WARNING, f, 3, idx, msg);
    }
    return true;
}

static bool check_recompute(ctx *c, size_t i)
{
    const figure *f = &c->r->figures[i];
    if (!is_level(f) || f->qual == QUAL_APPROX)
        return true;
    unsigned may = results_may(c, i);
    return !may || recompute(c, i, may);
}

/* ----- conflicting values ----- */

static const char *const TARGET_WORDS[] = {"力争", "争取", "目标", "计划", "预计", "确保",
                                           "将", "要求", "标准", NULL};
_Static_assert(sizeof TARGET_WORDS / sizeof TARGET_WORDS[0] <= 65,
               "a word_index holds at most 64 words");
static const char *const FROM_TO_WORDS[] = {"由", "从", "提高到", "提高至", "提升到", "提升至",
                                            "增至", "增加到", "上升到", "下降到", "降至",
                                            "降低到", "减少到", "上年", "去年", "同期", NULL};

/* comparable_level() without its look at the label: what the figure
 * itself tells. */
static bool comparable_figure(const figure *f)
{
    /* (The kind first: most figures are counts, and every test is pure.) */
    if (f->kind != KIND_RATE && f->kind != KIND_RATIO && f->kind != KIND_PER_CAPITA)
        return false;
    return is_level(f) && f->qual == QUAL_NONE && f->id &&
           !(f->id[0] == 'o' && strncmp(f->id, "other", 5) == 0);
}

static bool comparable_level(const ctx *c, size_t j)
{
    return comparable_figure(&c->r->figures[j]) &&
           !label_has_any(c, j, WL_TARGET_WORDS);
}

/* Whether figure j is a comparable level, with its subject worked out when
 * it is (into the figure's own buffer of the per-report block: no
 * allocation per figure, nothing to free one by one). */
static void subject_of(const ctx *c, size_t j)
{
    fmemo *m = &c->memo[j];
    if (m->has_subject)
        return;
    m->comparable = comparable_level(c, j);
    if (m->comparable) {
        fig_subject(c, j, c->subjects[j], sizeof c->subjects[j]);
        m->subject = c->subjects[j];
    }
    m->has_subject = true;
}

/* Comparable figures grouped by everything a conflict needs alike (id,
 * section, unit, year, stage, subject), ascending index in a group, so a
 * figure is compared with its group only, not with every figure before it. */
/* n rounded up to the alignment any object needs. */
static size_t aligned(size_t n)
{
    const size_t a = _Alignof(max_align_t);
    return (n + a - 1) / a * a;
}

struct conflict_groups {
    size_t *order;     /* figure indexes, group by group */
    size_t *pos;       /* figure index -> position in order (comparable ones in
                        * a group of two or more), SIZE_MAX for the others */
    size_t *start;     /* position -> first position of its group */
    size_t *run_end;   /* position -> first later position of its group with
                        * another value or other shown decimals */
};

typedef struct group_key {
    const figure *f;
    const fmemo *m;
    size_t i;
} group_key;

static int cmp_str_or_null(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

/* The part of the group key the figure itself holds: id, section, unit
 * and year. */
static int cmp_figure_key(const figure *a, const figure *b)
{
    int d = strcmp(a->id, b->id);
    if (!d)
        d = (a->section > b->section) - (a->section < b->section);
    if (!d)
        d = strcmp(a->unit, b->unit);
    if (!d)
        d = (a->year > b->year) - (a->year < b->year);
    return d;
}

/* A hash of what cmp_figure_key() compares (FNV-1a): figures it finds
 * equal hash alike.  Of the id only its first eight bytes are hashed (ids
 * equal in all their bytes are equal in those; the few that share them,
 * other_rate and other_ratio, are told apart by the comparison). */
static uint64_t figure_key_hash(const figure *f)
{
    uint64_t h = UINT64_C(14695981039346656037);
    const unsigned char *id = (const unsigned char *)f->id;
    for (size_t k = 0; k < 8 && id[k]; k++)
        h = (h ^ id[k]) * UINT64_C(1099511628211);
    h = (h ^ 0xFF) * UINT64_C(1099511628211);   /* (no id byte is 0xFF in a string end) */
    for (const unsigned char *p = (const unsigned char *)f->unit; *p; p++)
        h = (h ^ *p) * UINT64_C(1099511628211);
    h = (h ^ (uint32_t)f->section) * UINT64_C(1099511628211);
    h = (h ^ (uint32_t)f->year) * UINT64_C(1099511628211);
    return h;
}

/* Slots of mark_shared_keys()'s table for n keys: a power of two, at least
 * 16 and twice n. */
static size_t shared_table_size(size_t n)
{
    size_t size = 16;
    while (size < 2 * n)
        size *= 2;
    return size;
}

/* Which of keys[0, n) share id, section, unit and year with another: a
 * hash table of the first holder of each key, open addressing, in slot
 * (shared_table_size(n) entries).  shared[q] is set for both. */
static void mark_shared_keys(const group_key *keys, size_t n, bool *shared, size_t *slot)
{
    size_t size = shared_table_size(n);
    for (size_t k = 0; k < size; k++)
        slot[k] = SIZE_MAX;
    for (size_t q = 0; q < n; q++) {
        shared[q] = false;
        size_t k = (size_t)figure_key_hash(keys[q].f) & (size - 1);
        for (;; k = (k + 1) & (size - 1)) {
            if (slot[k] == SIZE_MAX) {
                slot[k] = q;
                break;
            }
            if (cmp_figure_key(keys[slot[k]].f, keys[q].f) == 0) {
                shared[slot[k]] = shared[q] = true;
                break;
            }
        }
    }
}

static int cmp_group_key(const void *pa, const void *pb)
{
    const group_key *a = pa, *b = pb;
    int d = cmp_figure_key(a->f, b->f);
    if (!d)
        d = cmp_str_or_null(a->m->stage, b->m->stage);
    if (!d)
        d = strcmp(a->m->subject, b->m->subject);
    if (!d)
        d = (a->i > b->i) - (a->i < b->i);
    return d;
}

/* (One block: see alloc_groups().) */
static void free_groups(conflict_groups *g)
{
    free(g);
}

/* The groups and every array build_groups() needs for n figures (keys, the
 * table of mark_shared_keys() and shared), carved from one block that
 * free_groups() frees: one malloc() instead of eight.  NULL when out of
 * memory. */
static conflict_groups *alloc_groups(size_t n, group_key **keys, size_t **slot, bool **shared)
{
    size_t m = n ? n : 1;
    if (m > SIZE_MAX / 64)
        return NULL;
    size_t at_arrays = aligned(sizeof(conflict_groups));
    size_t at_keys = at_arrays + aligned(4 * m * sizeof(size_t));
    size_t at_slot = at_keys + aligned(m * sizeof **keys);
    size_t at_shared = at_slot + aligned(shared_table_size(m) * sizeof **slot);
    char *b = malloc(at_shared + m * sizeof **shared);
    if (!b)
        return NULL;
    conflict_groups *g = (conflict_groups *)(void *)b;
    size_t *arrays = (size_t *)(void *)(b + at_arrays);
    g->order = arrays;
    g->pos = arrays + m;
    g->start = arrays + 2 * m;
    g->run_end = arrays + 3 * m;
    *keys = (group_key *)(void *)(b + at_keys);
    *slot = (size_t *)(void *)(b + at_slot);
    *shared = (bool *)(void *)(b + at_shared);
    return g;
}

static bool build_groups(ctx *c)
{
    size_t n = c->r->nfigures, m = 0;
    group_key *keys;
    size_t *slot;
    bool *shared;
    conflict_groups *g = alloc_groups(n, &keys, &slot, &shared);
    if (!g)
        return false;
    /* A figure alone with its id, section, unit and year has no group of
     * two or more whatever its label, stage and subject: those (and the
     * sort by them) are worked out only for figures that share that part
     * of the key with another (found by hashing that part). */
    size_t nc = 0;
    for (size_t j = 0; j < n; j++)
        if (comparable_figure(&c->r->figures[j]))
            keys[nc++] = (group_key){&c->r->figures[j], &c->memo[j], j};
    mark_shared_keys(keys, nc, shared, slot);   /* (nc <= n: the table is large enough) */
    for (size_t q = 0; q < nc; q++) {   /* (m stays at or below q) */
        size_t j = keys[q].i;
        if (!shared[q])
            continue;
        subject_of(c, j);
        if (!c->memo[j].comparable)
            continue;
        stage_of(c, j);
        decimals_of(c, j);
        keys[m++] = keys[q];
    }
    qsort(keys, m, sizeof *keys, cmp_group_key);
    for (size_t j = 0; j < n; j++)
        g->pos[j] = SIZE_MAX;
    for (size_t q = 0; q < m; q++) {
        g->order[q] = keys[q].i;
        g->pos[keys[q].i] = q;
        bool same_group = false;
        if (q > 0) {
            group_key k = keys[q - 1];
            k.i = keys[q].i;
            same_group = cmp_group_key(&k, &keys[q]) == 0;
        }
        g->start[q] = same_group ? g->start[q - 1] : q;
    }
    for (size_t q = m; q-- > 0;) {
        size_t next = q + 1;
        bool run = next < m && g->start[next] == g->start[q] &&
                   keys[next].f->value == keys[q].f->value &&
                   keys[next].m->decimals == keys[q].m->decimals;
        g->run_end[q] = run ? g->run_end[next] : next;
    }
    c->groups = g;
    return true;
}

/* No from-to wording (由98%提高到99%) in working text [s, e), as
 * copy_text() keeps it: its last 511 bytes. */
static bool no_from_to(const ctx *c, size_t s, size_t e)
{
    char between[512];
    copy_text(c, s, e, between, sizeof between);
    return !has_any(between, FROM_TO_WORDS);
}

static bool check_conflict(ctx *c, size_t j)
{
    const figure *g = &c->r->figures[j];
    if (c->r->nchecks >= DOC_MAX_CHECKS)
        return true;   /* add() would drop what is found */
    if (!comparable_figure(g))
        return true;
    if (!c->groups && !build_groups(c))
        return false;
    /* Not in a group of two or more (not a comparable level, or alone with
     * its key): no earlier figure to conflict with. */
    const conflict_groups *gr = c->groups;
    size_t qj = gr->pos[j];
    if (qj == SIZE_MAX)
        return true;
    int dg = decimals_of(c, j);
    size_t e = c->w ? stretch_end(c, g->span.end, REACH_SENTENCE) : 0;
    int far_ok = -1;   /* no_from_to() for figures whose sentence starts far before */
    /* The first earlier figure of the group (same id, section, unit, year,
     * stage and wording) with another value is a conflict. */
    for (size_t q = gr->start[qj]; q < qj;) {
        size_t i = gr->order[q];
        const figure *f = &c->r->figures[i];
        int df = decimals_of(c, i);
        const figure *coarse = df <= dg ? f : g, *fine = df <= dg ? g : f;
        double u = unit_of(df < dg ? df : dg);
        bool same = df == dg ? fabs(f->value - g->value) <= EPS * (fabs(f->value) + 1)
                             : agrees(coarse->value, fine->value, u, QUAL_NONE, 0);
        if (same) {
            q = gr->run_end[q];   /* the figures of a run have its value and digits */
            continue;
        }
        q++;
        if (f->span.end > g->span.start)
            continue;
        /* 由98%提高到99%: an old and a new level, not a conflict. */
        if (c->w) {
            size_t s = start_of(c, i, REACH_SENTENCE);
            bool ok;
            if (e > s && e <= c->hi && e - s >= 512) {
                if (far_ok < 0)
                    far_ok = no_from_to(c, e - 511, e);
                ok = far_ok;
            } else {
                ok = no_from_to(c, s, e);
            }
            if (!ok)
                continue;
        }
        char msg[400];
        msg_format(c, msg, sizeof msg,
                 "%s is given as %g%s here and as %g%s earlier in the same section.",
                 fig_name(g), g->value, g->unit, f->value, f->unit);
        size_t idx[2] = {i, j};
        return add(c, "conflicting_values", SEV_WARNING, g, 2, idx, msg);
    }
    return true;
}

/* ----- placeholders ----- */

/* Placeholder runs in the report's text (found by scan_text()).  *first
 * gets the first run. */
static size_t count_placeholders(const ctx *c, wspan *first)
{
    if (c->nplaceholders)
        *first = c->first_placeholder;
    return c->nplaceholders;
}

/* redacted: the figures without a number (placeholders), valued: the
 * others with a value (counted by audit_report() on its first walk over
 * the figures). */
static bool check_placeholders(ctx *c, size_t redacted, size_t valued)
{
    wspan first = {0, 0};
    size_t text = count_placeholders(c, &first);
    size_t n = text > redacted ? text : redacted;
    if (!n)
        return true;
    char msg[400];
    /* Numbers left out make a template; names left out (xx县) do not. */
    bool tmpl = (redacted >= TEMPLATE_MIN_PLACEHOLDERS && redacted >= valued) ||
                (valued == 0 && text >= TEMPLATE_MIN_PLACEHOLDERS);
    if (tmpl)
        msg_format(c, msg, sizeof msg,
                 "The report reads as an unfilled template: %zu placeholder(s) (xx, ___) and "
                 "only %zu real figure(s); %zu figure(s) have no number.",
                 n, valued, redacted);
    else
        msg_format(c, msg, sizeof msg,
                 "%zu placeholder(s) (xx, ___) stand where text or numbers should be; "
                 "%zu figure(s) have no number.",
                 n, redacted);
    figure where;
    memset(&where, 0, sizeof where);
    where.span = first;
    return add(c, tmpl ? "unfilled_template" : "redacted_placeholders",
               tmpl ? SEV_WARNING : SEV_INFO, text ? &where : NULL, 0, NULL, msg);
}

/* ----- missing core indicators ----- */

typedef struct core {
    id_class idc;                   /* the ids that count as the indicator */
    const char *id;                 /* its canonical id, for the message */
    const char *label;              /* for the message */
    const char *const *terms;       /* names that count as the indicator */
    fig_pred is;                    /* or a predicate on figures */
    unsigned name_key;              /* a name_has() bit every term's character has, or 0 */
    /* That character (three bytes) when the terms are looked for in the
     * text by one walk over it (terms_then_digit()), else NULL. */
    const char *key;
} core;

/* Figure i's name holds one of the core's terms: a name without the
 * character all the terms share (name_has(), remembered per figure) holds
 * none, and is let go without a strstr() per term. */
static bool fig_has_term(const ctx *c, size_t i, const core *k)
{
    if (k->name_key && !name_has(c, i, k->name_key))
        return false;
    return has_any(c->r->figures[i].name, k->terms);
}


/* An ASCII digit in the 24 bytes of the report's text from offset from. */
static bool digit_within(const ctx *c, size_t from)
{
    for (size_t j = from; j < c->hi && j < from + 24; j++)
        if (c->w[j] >= '0' && c->w[j] <= '9')
            return true;
    return false;
}

/* Term t occurs in the report's text with an ASCII digit in the 24 bytes
 * after it.  Occurrences are found by memchr for the term's last byte (a
 * UTF-8 continuation byte, rare enough) and then compared: the same
 * occurrences a comparison at every offset finds. */
static bool term_then_digit(const ctx *c, const char *t)
{
    size_t tl = strlen(t);
    if (!tl || c->hi - c->lo < tl)
        return false;
    const char *end = c->w + c->hi;
    for (const char *q = c->w + c->lo + tl - 1; q < end; q++) {
        q = memchr(q, t[tl - 1], (size_t)(end - q));
        if (!q)
            break;
        size_t i = (size_t)(q - c->w) + 1 - tl;
        /* (The byte before first: most hits of a continuation byte are
         * another character, which it tells without a call.) */
        if ((tl >= 2 && q[-1] != t[tl - 2]) || memcmp(c->w + i, t, tl - 1) != 0)
            continue;
        if (digit_within(c, i + tl))
            return true;
    }
    return false;
}

/* term_then_digit() of any of terms, when each holds the three-byte
 * character key: one walk over the occurrences of key instead of one walk
 * per term.  An occurrence of a term t holds key at the offset where t
 * first holds it, so every occurrence of t is found from an occurrence of
 * key that far into it (and compared there), the same occurrences the
 * walk of term_then_digit() finds. */
enum { KEYED_TERMS_MAX = 8 };   /* (the most terms a core with a key has) */

static bool terms_then_digit(const ctx *c, const char *const *terms, const char *key)
{
    /* Where each term holds key and its length, worked out once instead of
     * at every occurrence of key. */
    size_t ko[KEYED_TERMS_MAX], tl[KEYED_TERMS_MAX], nt = 0;
    for (; terms[nt] && nt < KEYED_TERMS_MAX; nt++) {
        ko[nt] = (size_t)(strstr(terms[nt], key) - terms[nt]);
        tl[nt] = strlen(terms[nt]);
    }
    if (terms[nt]) {
        /* (More terms than that: one walk per term, the same answer.) */
        for (size_t t = 0; terms[t]; t++)
            if (term_then_digit(c, terms[t]))
                return true;
        return false;
    }
    const char *end = c->w + c->hi;
    for (const char *q = c->w + c->lo + 2; q < end; q++) {
        q = memchr(q, key[2], (size_t)(end - q));
        if (!q)
            break;
        if (q[-1] != key[1] || q[-2] != key[0])
            continue;
        size_t at = (size_t)(q - c->w) - 2;   /* where key starts */
        for (size_t t = 0; t < nt; t++) {
            if (at - c->lo < ko[t] || tl[t] > c->hi - (at - ko[t]))
                continue;   /* (it would start before the report or end after it) */
            size_t i = at - ko[t];
            if (memcmp(c->w + i, terms[t], tl[t]) == 0 && digit_within(c, i + tl[t]))
                return true;
        }
    }
    return false;
}

/* The report states the indicator: a figure of it, or its term followed by
 * a number within a few characters (a figure the matcher has not read). */
static bool report_states(const ctx *c, const core *k)
{
    for (size_t i = 0; i < c->r->nfigures; i++) {
        const figure *f = &c->r->figures[i];
        if (id_is(c, f, k->idc) || fig_has_term(c, i, k) || (k->is && k->is(c, i)))
            return true;
    }
    if (!c->w)
        return false;
    if (k->key)
        return terms_then_digit(c, k->terms, k->key);
    for (size_t t = 0; k->terms[t]; t++)
        if (term_then_digit(c, k->terms[t]))
            return true;
    return false;
}

static bool res_books_named(const ctx *c, size_t j)
{
    return c->r->figures[j].kind == KIND_PER_CAPITA && res_books(c, j);
}

static const char *const ST_TERMS[] = {"师生比", "生师比", "师生之比", "师生比例", NULL};
static const char *const BOOK_TERMS[] = {"生均图书", "生均藏书", "人均藏书", "人均图书",
                                         "均图书", NULL};
static const char *const ENROLL_TERMS[] = {"入学率", NULL};
static const char *const RETAIN_TERMS[] = {"巩固率", NULL};

static const core BALANCED_CORE[] = {
    /* (each term has 比) */
    {IDC_ST_RATIO, "student_teacher_ratio", "师生比", ST_TERMS, NULL, NAME_BI, "比"},
    /* (each term has 均) */
    {IDC_BOOKS_PER, "books_per_student", "生均图书", BOOK_TERMS, res_books_named, NAME_JUN, "均"},
};
static const core UNIVERSAL_CORE[] = {
    {IDC_ENROLLMENT, "enrollment_rate", "入学率", ENROLL_TERMS, NULL, NAME_LV, NULL},   /* (率) */
    {IDC_RETENTION, "retention_rate", "巩固率", RETAIN_TERMS, NULL, NAME_LV, NULL},     /* (率) */
};

typedef struct report_type {
    const char *const *title_words;
    const char *kind;               /* for the message */
    const core *cores;
    size_t ncores;
} report_type;

static const char *const BALANCED_WORDS[] = {"均衡", NULL};
static const char *const UNIVERSAL_WORDS[] = {"普九", "两基", "普及义务教育", "控辍", NULL};

static const report_type TYPES[] = {
    {BALANCED_WORDS, "均衡发展", BALANCED_CORE, 2},
    {UNIVERSAL_WORDS, "普及义务教育", UNIVERSAL_CORE, 2},
};

/* check_missing()'s copy of the title: at most TITLE_CAP - 1 bytes, then
 * room after its NUL for title_may_name_a_type()'s blocks. */
enum { TITLE_CAP = 512, TITLE_SLACK = 16 };

/* False when the NUL-terminated title of n bytes, followed by TITLE_SLACK
 * zero bytes, holds none of the words of TYPES' title_words: every one of
 * them starts with 均 (E5 9D 87), 普 (E6 99 AE), 两 (E4 B8 A4) or 控 (E6 8E
 * A7), and sixteen positions at a time are tested for a lead byte of one
 * of them followed by a second and a third byte of one of them (any
 * pairing: a filter, not a match).  True, the words to be looked for,
 * where one may stand, and always without SSE2.  Most titles hold none:
 * one pass instead of a strstr() of each of the five words. */
static bool title_may_name_a_type(const char *title, size_t n)
{
#if WALK16
    for (size_t i = 0; i < n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(title + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(title + i + 1));
        __m128i z = _mm_loadu_si128((const __m128i *)(const void *)(title + i + 2));
#define EQ(v, b) _mm_cmpeq_epi8((v), _mm_set1_epi8((char)(b)))
        __m128i lead = _mm_or_si128(_mm_or_si128(EQ(x, 0xE5), EQ(x, 0xE6)), EQ(x, 0xE4));
        __m128i second = _mm_or_si128(_mm_or_si128(EQ(y, 0x9D), EQ(y, 0x99)),
                                      _mm_or_si128(EQ(y, 0xB8), EQ(y, 0x8E)));
        __m128i third = _mm_or_si128(_mm_or_si128(EQ(z, 0x87), EQ(z, 0xAE)),
                                     _mm_or_si128(EQ(z, 0xA4), EQ(z, 0xA7)));
#undef EQ
        if (_mm_movemask_epi8(_mm_and_si128(_mm_and_si128(lead, second), third)))
            return true;
    }
    return false;
#else
    (void)title, (void)n;
    return true;
#endif
}

static bool check_missing(ctx *c)
{
    char title[TITLE_CAP + TITLE_SLACK];
    if (c->r->title) {
        /* As snprintf("%s") would, without its cost per call. */
        size_t n = strnlen(c->r->title, TITLE_CAP - 1);
        memcpy(title, c->r->title, n);
        title[n] = '\0';
    }
    else if (c->w) {
        copy_text(c, c->lo, stretch_end(c, c->lo, REACH_PARAGRAPH), title, TITLE_CAP);
    } else {
        title[0] = '\0';
    }
    size_t tn = strlen(title);
    memset(title + tn + 1, 0, TITLE_SLACK);
    if (!title_may_name_a_type(title, tn))
        return true;   /* (no report type: no core to miss) */
    for (size_t t = 0; t < sizeof TYPES / sizeof TYPES[0]; t++) {
        if (!has_any(title, TYPES[t].title_words))
            continue;
        for (size_t k = 0; k < TYPES[t].ncores; k++) {
            const core *co = &TYPES[t].cores[k];
            if (report_states(c, co))
                continue;
            char msg[300];
            msg_format(c, msg, sizeof msg,
                     "A %s report is expected to state %s (%s), but this one gives no value "
                     "for it.",
                     TYPES[t].kind, co->label, co->id);
            if (!add(c, "missing_core_indicator", SEV_INFO, NULL, 0, NULL, msg))
                return false;
        }
    }
    return true;
}

static int cmp_by_start(const void *pa, const void *pb)
{
    const by_start *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Sort a[0, n), given in index order, by start and then index, as qsort()
 * with cmp_by_start() does: a radix sort by start, eight bits a pass, which
 * keeps the index order among equal starts.  False when out of memory. */
static bool sort_by_start(by_start *a, size_t n)
{
    /* The matcher's order is mostly right (a figure or two out of place):
     * insertion by (start, index) first, as long as it moves few entries
     * (so a badly shuffled list stays linear).  Past that budget, entries
     * of equal start are still in index order (an entry never passes one
     * of its start), so the stable radix sort below still gives the
     * (start, index) order. */
    size_t budget = 4 * n + 64, done = 1;
    for (; done < n; done++) {
        by_start x = a[done];
        size_t at = done;
        while (at > 0 && cmp_by_start(&a[at - 1], &x) > 0 && budget > 0) {
            a[at] = a[at - 1];
            at--;
            budget--;
        }
        a[at] = x;
        if (!budget)
            break;
    }
    if (done >= n)
        return true;
    by_start *tmp = malloc((n ? n : 1) * sizeof *tmp), *from = a, *to = tmp;
    if (!tmp)
        return false;
    size_t bits = 0;
    for (size_t k = 0; k < n; k++)
        bits |= a[k].start;
    for (unsigned shift = 0; shift < sizeof bits * 8 && bits >> shift; shift += 8) {
        size_t at[257] = {0};
        for (size_t k = 0; k < n; k++)
            at[((from[k].start >> shift) & 0xFF) + 1]++;
        for (size_t v = 0; v < 256; v++)
            at[v + 1] += at[v];
        for (size_t k = 0; k < n; k++)
            to[at[(from[k].start >> shift) & 0xFF]++] = from[k];
        by_start *t = from;
        from = to;
        to = t;
    }
    if (from != a)
        memcpy(a, from, n * sizeof *a);
    free(tmp);
    return true;
}

/* List the figures in c->by_start: ordinary spans sorted by start, then
 * the inverted ones (end before start), which any stretch may hold.  Made
 * when parts_in() first needs it: most reports search no stretch. */
static void list_by_start(ctx *c)
{
    /* The matcher reads the text forwards, so the figures usually come
     * in order already: sorted only when they do not.  Whether they do is
     * told while they are listed: entries are listed in index order, so
     * cmp_by_start() puts one before the next exactly when its start is
     * not greater.  The inverted spans are rare: listed by a second walk
     * only when the first saw one. */
    const report *r = c->r;
    size_t n = r->nfigures, m = 0, ninverted = 0;
    bool sorted = true;
    for (size_t i = 0; i < n; i++) {
        size_t start = r->figures[i].span.start;
        if (r->figures[i].span.end < start) {
            ninverted++;
            continue;
        }
        if (m && c->by_start[m - 1].start > start)
            sorted = false;
        c->by_start[m++] = (by_start){start, i};
    }
    c->nby_start = m;
    if (!sorted && !sort_by_start(c->by_start, m))
        qsort(c->by_start, m, sizeof *c->by_start, cmp_by_start);
    for (size_t i = 0; i < n && ninverted; i++)
        if (r->figures[i].span.end < r->figures[i].span.start) {
            c->by_start[m++] = (by_start){r->figures[i].span.start, i};
            ninverted--;
        }
    c->by_start_made = true;
}

/* A scratch block larger than this is freed after its report instead of
 * kept: room for about 340 figures, far more than most reports hold, so
 * that what a worker keeps stays small whatever reports went before. */
#define AUDIT_SCRATCH_KEEP ((size_t)256 << 10)

void audit_scratch_free(audit_scratch *s)
{
    if (!s)
        return;
    free(s->block);
    s->block = NULL;
    s->cap = 0;
}

/* The per-report arrays (memo with its flags zeroed, labels, subjects,
 * blooms, by_start and the room of the predicate lists for n figures) and
 * pc, carved from one block c->block:
 * one block instead of six, and most reports are small.  The block is s's
 * when s is given (grown when too small), else malloc()'d for the report
 * and freed by release_per_report(); nothing in it is read before it is
 * written for this report (the memo flags are zeroed here, pc's counts by
 * the caller), so a block that held an earlier report's arrays gives the
 * same checks as a new one.  False when out of memory. */
static bool alloc_per_report(ctx *c, audit_scratch *s, size_t n)
{
    size_t m = n ? n : 1;
    if (m > SIZE_MAX / 4 / sizeof *c->labels)
        return false;
    size_t at_memo = aligned(sizeof *c->pc);
    size_t at_blooms = at_memo + aligned(m * sizeof *c->memo);
    size_t at_by_start = at_blooms + aligned(m * sizeof *c->blooms);
    size_t at_subjects = at_by_start + aligned(m * sizeof *c->by_start);
    size_t at_labels = at_subjects + aligned(m * sizeof *c->subjects);
    size_t at_plists = at_labels + aligned(m * sizeof *c->labels);
    size_t size = at_plists + NPREDS * m * sizeof *c->plist_room;
    char *b;
    if (s && s->cap >= size) {
        b = s->block;
    } else {
        b = malloc(size);
        if (!b)
            return false;
        if (s) {
            free(s->block);
            s->block = b;
            s->cap = size;
        }
    }
    c->block = b;
    c->pc = (parts_caches *)(void *)b;
    c->memo = (fmemo *)(void *)(b + at_memo);
    c->blooms = (uint64_t(*)[4])(void *)(b + at_blooms);
    c->by_start = (by_start *)(void *)(b + at_by_start);
    c->subjects = (label_buf *)(void *)(b + at_subjects);
    c->labels = (label_buf *)(void *)(b + at_labels);
    c->plist_room = (size_t *)(void *)(b + at_plists);
    for (size_t j = 0; j < m; j++)
        memset(&c->memo[j], 0, CLEARED_MEMO);
    return true;
}

/* Give back what alloc_per_report() took: s keeps its block unless it
 * grew beyond AUDIT_SCRATCH_KEEP; without s the block is freed. */
static void release_per_report(ctx *c, audit_scratch *s)
{
    if (!s)
        free(c->block);
    else if (s->cap > AUDIT_SCRATCH_KEEP)
        audit_scratch_free(s);
    c->block = NULL;
}

/* ----- the extractor's table ----- */

static const char *const *const WORD_LISTS[WL_COUNT] = {
    [WL_NOT_WHOLE] = NOT_WHOLE, [WL_TEACHER_SUBSETS] = TEACHER_SUBSETS,
    [WL_TARGET_WORDS] = TARGET_WORDS};

/* What the audit makes once per extractor instead of once per report that
 * asks: the indexes of WORD_LISTS (about 40 words each), and the class of
 * each of the rules' indicator ids by the id's address (figures borrow
 * the rules' ids), which fig_id_class() otherwise works out by string
 * comparisons once per id and report (seven ids a report).  Read-only
 * once made: worker threads share it. */
struct audit_table {
    word_index lists[WL_COUNT];   /* all made */
    /* Open addressing over mask + 1 slots, id NULL when empty; slots from
     * the top bits of a multiplicative hash of the address, under the
     * shift that gives every id a slot of its own (direct) when one does
     * in a table this sparse, so that a lookup compares one slot.  mask 0
     * and no ids: every id is classed by id_class_of(). */
    size_t mask;
    unsigned shift;
    bool direct;
    const char **ids;
    unsigned char *cls;
};

static size_t id_slot(const audit_table *t, const char *id)
{
    return (size_t)(((uint64_t)(uintptr_t)id * UINT64_C(0x9E3779B97F4A7C15)) >> t->shift) &
           t->mask;
}

/* The slot of id in t: its own, or the empty one it would take. */
static size_t id_probe(const audit_table *t, const char *id)
{
    size_t h = id_slot(t, id);
    while (t->ids[h] && t->ids[h] != id)
        h = (h + 1) & t->mask;
    return h;
}

/* fig_id_class() from the table: the class it holds for id, else (an id
 * not of the rules: other_*, or a caller's own) as id_class_of() tells,
 * which is what the table holds for an id of the rules. */
static id_class table_id_class(const audit_table *t, const char *id)
{
    if (!t->mask)
        return id_class_of(id);
    size_t h = t->direct ? id_slot(t, id) : id_probe(t, id);
    return t->ids[h] == id ? (id_class)t->cls[h] : id_class_of(id);
}

/* Fill t's id slots with the n ids under shift: true when each lies in
 * its first slot (a repeated address once). */
static bool place_ids(audit_table *t, const indicator *ind, size_t n, unsigned shift)
{
    t->shift = shift;
    memset(t->ids, 0, (t->mask + 1) * sizeof *t->ids);
    bool direct = true;
    for (size_t i = 0; i < n; i++) {
        size_t h = id_probe(t, ind[i].id);
        direct = direct && h == id_slot(t, ind[i].id);
        t->ids[h] = ind[i].id;
        t->cls[h] = (unsigned char)id_class_of(ind[i].id);
    }
    return direct;
}

/* Slots for n ids, at least 16 n: sparse enough that some shift most
 * likely gives each its own (the 59 ids of the catalogue: a few tries). */
static size_t id_slots(size_t n)
{
    size_t slots = 16;
    while (slots < 16 * n)
        slots *= 2;
    return slots;
}

audit_table *audit_table_new(const rules *ru)
{
    audit_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    for (size_t k = 0; k < WL_COUNT; k++)
        index_words(&t->lists[k], WORD_LISTS[k]);
    size_t n = ru ? ru->nindicators : 0;
    if (!n)
        return t;
    size_t slots = id_slots(n);
    t->ids = malloc(slots * sizeof *t->ids);
    t->cls = malloc(slots);
    if (!t->ids || !t->cls) {
        audit_table_free(t);
        return NULL;
    }
    t->mask = slots - 1;
    unsigned bits = 0;
    while (((size_t)1 << bits) < slots)
        bits++;
    /* The shifts that keep the product's top bits first; the last tried
     * (with probing) when none gives every id its own slot. */
    for (unsigned shift = 64 - bits; shift > 64 - bits - 32 && !t->direct; shift--)
        t->direct = place_ids(t, ru->indicators, n, shift);
    return t;
}

void audit_table_free(audit_table *t)
{
    if (!t)
        return;
    free(t->ids);
    free(t->cls);
    free(t);
}

/* The index of word list k: the table's, else the report's, made when
 * first asked. */
static const word_index *list_index(const ctx *c, word_list k)
{
    if (c->table)
        return &c->table->lists[k];
    word_index *x = &c->lists[k];
    if (!x->made)
        index_words(x, WORD_LISTS[k]);
    return x;
}

bool audit_report(const rules *ru, const doc *d, report *r)
{
    return audit_report_in(NULL, NULL, ru, d, r);
}

bool audit_report_in(const audit_table *t, audit_scratch *s, const rules *ru, const doc *d,
                     report *r)
{
    break_index bi = {{false, false, false},
                      {{NULL, 0, NULL, 0}, {NULL, 0, NULL, 0}, {NULL, 0, NULL, 0}}};
    ctx c = {.ru = ru, .d = d, .r = r, .w = d && d->work ? d->work : NULL,
             .lo = r->extent.start, .hi = r->extent.end, .bi = &bi,
             .avx2 = d && d->use_avx2, .table = t};
    if (c.w && (c.hi > d->work_len || c.hi <= c.lo)) {
        c.hi = d->work_len;
        if (c.lo > c.hi)
            c.lo = 0;
    }
    /* Checks are appended while figures are read: figures do not move. */
    size_t n = r->nfigures;
    bool ok = false;
    if (!alloc_per_report(&c, s, n))
        goto out;
    if (c.w)
        scan_text(&c);   /* (sets text_has_nul) */
    word_index lists[WL_COUNT];   /* (made when first asked, without a table) */
    for (size_t k = 0; k < WL_COUNT && !t; k++)
        lists[k].made = false;
    c.lists = lists;
    signed char point_is_dot = -1;
    c.point_is_dot = &point_is_dot;
    stage_scan scan = {false, 0, 0, 0, -1, 0};
    id_memo ids = {{NULL}, {0}};
    c.ids = &ids;
    c.scan = &scan;
    c.pc->nnear = c.pc->next_near = c.pc->nwide = c.pc->next_wide = 0;
    size_t redacted = 0, valued = 0;   /* (for check_placeholders()) */
    for (size_t i = 0; i < n; i++) {
        if (r->figures[i].redacted)
            redacted++;
        else if (r->figures[i].has_value)
            valued++;
    }
    for (size_t i = 0; i < n; i++) {
        bool impossible;
        if (!check_impossible(&c, i, &impossible))
            goto out;
        if (!impossible && (!check_range(&c, i) || !check_recompute(&c, i)))
            goto out;
        if (!check_claim(&c, i) || !check_conflict(&c, i))
            goto out;
    }
    ok = check_placeholders(&c, redacted, valued) && check_missing(&c);
out:
    free_breaks(&c);
    free_groups(c.groups);
    release_per_report(&c, s);
    return ok;
}
