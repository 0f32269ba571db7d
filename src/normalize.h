/* normalize.h -- stage 2: fold the decoded original into the working text.
 *
 * Character folds (one original character to one working character, or to
 * nothing):
 *   - full-width ASCII digits, letters and punctuation (０-９ ％ ： ． （ ） ，)
 *     become ASCII; ratio colons ∶ (U+2236), ︰ and ︓ become ':';
 *   - U+3000, NBSP, the other Unicode spaces and tabs become ' ';
 *   - CRLF, CR, NEL, U+2028/2029 become '\n';
 *   - zero-width characters, soft hyphens, BOMs, NULs and other controls are
 *     dropped;
 *   - traditional characters become simplified ones through the data of
 *     rules/charmap.conf (入學率 -> 入学率, 師生比 -> 师生比), when a charmap
 *     is given.
 * Then two drops over the folded text (see docs/INPUT.md):
 *   - pinyin annotations after a Han character: "學(xué)校" -> "学校";
 *   - the single spaces of text spaced out character by character, as a PDF
 *     copy leaves it: "学 历 合 格 率 达 100 %" -> "学历合格率达100%";
 *   - a space after the decimal point of a number that follows a Han
 *     character: "面积3. 1平方米" -> "面积3.1平方米".
 * A text_map keeps every working offset tied to its original offset. */
#ifndef EDX_NORMALIZE_H
#define EDX_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "diag.h"
#include "doc.h"

/* Traditional -> simplified single-character folds, sorted by `from`. */
typedef struct norm_charmap {
    uint32_t *from;
    uint32_t *to;
    size_t n;
    uint8_t *bmp;  /* bit cp set for each `from` below U+10000 (NULL: none built;
                    * normalize then searches `from`) */
    uint64_t *keep3; /* bit cp & 63 of word cp >> 6 set for each three-byte
                      * character (U+0800..U+FFFF, not a surrogate) that
                      * normalization leaves as it is: the fold walk's fast
                      * path (NULL: not built, fold() decides); the words
                      * below 0x20 (cp < U+0800) are 0 */
    uint16_t *lead2; /* by a character's first two bytes (as memcpy reads them
                      * into a uint16_t): 1 for ASCII that stays, cp >> 6
                      * (0x20..0x3FF) for the lead and first continuation
                      * byte of a three-byte character that is not an
                      * overlong form, 0 for any other (built with keep3) */
    uint16_t *fold3; /* by code point: for a three-byte character (U+0800..
                      * U+FFFF, not a surrogate) that fold() turns into one
                      * other character below U+10000 that is no surrogate,
                      * that character; else 0 (built with keep3) */
    uint16_t *to_bmp; /* by code point below U+10000: the `to` of a `from`
                       * whose `to` is also below U+10000 and not NUL, else 0
                       * (NULL: not built; normalize then searches `from`) */
} norm_charmap;

/* Load rules/charmap.conf (already read into f): a [t2s] section whose
 * `pairs` entries list two-character items FROM TO separated by spaces.
 * Errors go to d with file:line:col; returns the number of errors. */
size_t normalize_charmap_load(const conf_file *f, norm_charmap *out, diag *d);
void normalize_charmap_free(norm_charmap *m);
/* The simplified form of cp, or cp itself ('學' -> '学', '学' -> '学'). */
uint32_t normalize_charmap_fold(const norm_charmap *m, uint32_t cp);

/* Build d->work and d->map from d->orig, without traditional folding.  False
 * when memory ran out. */
bool normalize_doc(doc *d);
/* The same with the traditional -> simplified folds of cm (NULL for none). */
bool normalize_doc_with(const norm_charmap *cm, doc *d);

/* What normalize can note for a later stage on its own walk over the text:
 * the characters of the working text that stop a later walk (for clean:
 * '\n' and the last characters of its literals).  The fold walk's tables
 * with those characters taken out, so that its runs stop at them as they
 * stop at a character to fold. */
typedef struct norm_marks {
    const norm_charmap *cm;  /* the charmap these tables were made from */
    uint16_t *lead2;         /* cm->lead2, but 0 for an ASCII mark */
    uint64_t *keep3;         /* cm->keep3 less the three-byte marks */
    uint64_t *mark3;         /* bit cp & 63 of word cp >> 6: a three-byte mark */
    uint64_t *kept_mark3;    /* the same for those that fold to themselves */
    bool ascii[128];         /* the ASCII marks */
    bool kept_ascii[256];    /* those that fold to themselves (by byte) */
    bool other;              /* every two- and four-byte character is one */
    uint64_t *keep_any;      /* keep3 with word 1 all ones: by lead2's entry,
                              * ASCII that stays (1) passes the test of a
                              * three-byte character too (the block walk) */
} norm_marks;

/* Make mk for the charmap cm (which must have its fold tables: cm->keep3)
 * and the marks: ascii[c] for ASCII, bit cp & 7 of mark3_bits[cp >> 3] for
 * U+0800..U+FFFF, `other` for all the rest.  False (mk then empty) when
 * memory ran out or cm has no fold tables. */
bool norm_marks_init(norm_marks *mk, const norm_charmap *cm, const bool ascii[128],
                     const uint8_t *mark3_bits, bool other);
void norm_marks_free(norm_marks *mk);

/* Ascending working-text offsets (the marks' first bytes).  v may start as
 * the caller's buffer `inline_v` (never freed here). */
typedef struct norm_mark_list {
    size_t *v;
    size_t n, cap;
    size_t *inline_v;
    bool failed;
} norm_mark_list;

/* normalize_doc_with(mk->cm, d), listing in *ml (appended to, in order) the
 * offset of every character of the working text it makes that is a mark of
 * mk.  False when memory ran out for the text; memory for the list running
 * out sets ml->failed instead (the list is then of no use). */
bool normalize_doc_marked(const norm_marks *mk, doc *d, norm_mark_list *ml);

/* Remove the sorted, non-overlapping byte ranges rs[0..n) of d->work,
 * composing d->map so that it stays exact.  Shared by normalize and clean.
 * False when memory ran out (d is then unchanged). */
bool norm_drop_ranges(doc *d, const wspan *rs, size_t n);

/* Sort rs[0..n) by start, like qsort() by start (the order of spans with
 * the same start aside).  The lists of the drops are a few ascending runs
 * one after the other (one per finder or pattern): they are merged.
 * Shared by normalize and clean. */
void norm_sort_spans(wspan *rs, size_t n);

/* True for a Han (CJK ideograph) code point. */
bool norm_is_han(uint32_t cp);

#endif
