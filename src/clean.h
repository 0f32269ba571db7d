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
#include <stdint.h>

#include "conf.h"
#include "doc.h"
#include "normalize.h"
#include "rx.h"

typedef struct clean_pattern {
    char *id;
    rx re;
    int scope;    /* one of the CLEAN_ scopes below */
    /* A prefilter worked out from the pattern text (clean_rules_load): a
     * literal every match holds, and how far before it a match can start
     * (CLEAN_REACH_ANY: no bound; same_line: not before its line). */
    char *literal;        /* NULL when none was found */
    size_t literal_len;
    size_t reach;
    bool same_line;
    bool space_tail;      /* what can cross a line before it is a run of \s
                           * right before it: a match starts on the line
                           * where that run of spaces starts */
    bool ns_bounded;      /* what comes before the literal holds at most
                           * ns_reach bytes of characters \s does not match
                           * (its \s items may be any long) */
    size_t ns_reach;
    /* Every match starts at a line start: the pattern opens with ^ (PCRE2
     * multiline, newline LF) and has no alternative at its top level. */
    bool line_start;
    /* >= 0 for a line_start pattern whose possible first visible characters
     * are known: its bit in the clean_rules first-character tables (only
     * lines that may start a match are tried).  -1 otherwise. */
    int first_slot;
    size_t lit_id;        /* index of `literal` in clean_rules.lits */
    /* With a literal and a bounded reach: the first visible characters of
     * what a match holds right after the literal (as first_slot's, for the
     * rest of the pattern), so that an occurrence that no occurrence within
     * reach after it can go on from is passed over without a search.
     * next_known false: not known. */
    bool next_known;
    bool next_nonascii;       /* any character from U+0080 */
    uint64_t next_ascii[2];
    uint32_t *next_cps;       /* the others, sorted */
    size_t n_next_cps;
} clean_pattern;

#define CLEAN_REACH_ANY ((size_t)-1)

/* What a match drops:
 *   CLEAN_MATCH  the match itself;
 *   CLEAN_LINE   the whole line holding it, with its line break;
 *   CLEAN_REST   from the match to the end of the text;
 *   CLEAN_JOIN   the match and the spaces around it; when the text before it
 *                does not end a sentence (。!?;: …) and is not a short
 *                heading line, also the line breaks around it, so that
 *                "组织学\n第2页共7页\n生参加" reads "组织学生参加";
 *   CLEAN_CHUNK  like JOIN, for numbered doc-viewer chunk markers: group 1
 *                of the pattern is a number, and the matches are dropped only
 *                when together they count 1, 2, 3 ... and every chunk but the
 *                last is at least CLEAN_CHUNK_MIN_CHARS long; with only two
 *                chunks the first must also end in mid-sentence. */
enum { CLEAN_MATCH = 0, CLEAN_LINE = 1, CLEAN_REST = 2, CLEAN_JOIN = 3, CLEAN_CHUNK = 4 };

#define CLEAN_CHUNK_MIN_CHARS 120
/* A line of at most this many characters that starts with a heading marker
 * is a heading: a marker after it never joins it to the next line. */
#define CLEAN_HEADING_MAX_CHARS 40

/* A first character of a line and the first_slot bits of the patterns a
 * match of which may start with it. */
typedef struct clean_first_cp {
    uint32_t cp;
    uint64_t mask;
} clean_first_cp;

#define CLEAN_FIRST_SLOTS 64

typedef struct clean_rules {
    clean_pattern *patterns;
    size_t n;
    /* The first-character tables of the patterns with a first_slot: which
     * patterns a line starting with a given character may match. */
    uint64_t first_ascii[128];
    uint64_t first_nonascii;  /* any character from U+0080 */
    uint64_t first_digit;     /* any non-ASCII character \d may match */
    clean_first_cp *first_cps;  /* other characters, sorted by cp */
    size_t n_first_cps;
    uint64_t first_all;       /* every slot in use */
    uint64_t first_nospace;   /* the slots of patterns whose characters before
                               * the first visible one cannot be whitespace:
                               * none matches at a line starting with it */
    uint64_t first_cand;      /* the slots of patterns without a literal: tried
                               * at the line starts their first characters
                               * allow (the others check the line start
                               * before their literal) */
    /* The distinct literals of the patterns, sorted by their last character,
     * for one walk per document that finds them all (NULL lit_end3: no
     * index, each pattern searches its own). */
    struct clean_literal {
        const char *text;     /* borrowed from a pattern */
        size_t len;
        uint32_t last;        /* its last character */
        size_t line_reach;    /* an occurrence further than this from its line
                               * start is no use to any pattern (all are line
                               * patterns with a bounded reach before it) */
        size_t end_reach;     /* the first literal of those with this last
                               * character: the most line_reach + len of
                               * them (how far from its line start the end
                               * of a useful occurrence may lie) */
        bool one_char;        /* the first of those: one of them is that
                               * character alone */
        uint64_t before[4];   /* the first of those: bit b for the byte b
                               * before the last character of each of the
                               * others */
    } *lits;
    size_t n_lits;
    bool lit_ascii[128];      /* an ASCII character ends a literal */
    uint8_t *lit_end3;        /* bit cp: a three-byte character ends one */
    uint8_t *lit_idx;         /* by a BMP character: 1 + the first of the
                               * literals it ends, 0 for none (NULL: search) */
    uint8_t *first_idx;       /* by a BMP character: 1 + its index in
                               * first_cps, 0 for none (NULL: search) */
    uint8_t *lit_step;        /* by a character's first two bytes (b0 | b1 << 8):
                               * its length when it surely ends no literal, else
                               * 0 (ASCII, and three-byte characters by their
                               * block of 64 code points) */
    uint8_t *lit_blk;         /* by the same two bytes: for a three-byte
                               * character of a block where a literal ends,
                               * 1 + k: lit_bits[k] tells which; else 0 */
    uint64_t *lit_bits;       /* bit cp & 63: the three-byte character cp of
                               * that block ends a literal (lit_end3's bits) */
    bool lit_other;           /* a literal ends in a two- or four-byte one */
    /* Which patterns clean_doc() tries, as bits by pattern index, when there
     * are at most 64 patterns and 64 literals and the literal index is made
     * (pats_masked): those with neither a literal nor a first_slot always,
     * those with literal k when it occurs (lit_pats[k]), those with
     * first_slot s (and no literal) when a candidate line has its bit
     * (slot_pats[s]).  The same choice as asking each pattern. */
    bool pats_masked;
    uint64_t plain_pats;
    uint64_t lit_pats[64];
    uint64_t slot_pats[CLEAN_FIRST_SLOTS];
    /* The characters find_literals() stops at ('\n' and the last characters
     * of the literals), for normalize to note on its fold walk (see
     * clean_link_charmap(); empty until then: marks.cm NULL). */
    norm_marks marks;
} clean_rules;

/* Load rules/boilerplate.conf (already read into f).  Errors go to d with
 * file:line:col; returns the number of errors. */
size_t clean_rules_load(const conf_file *f, clean_rules *out, diag *d);
void clean_rules_free(clean_rules *r);

/* Remove boilerplate from d->work, keeping d->map exact.  False when memory
 * ran out. */
bool clean_doc(const clean_rules *rules, rx_scratch *scratch, doc *d);

/* Let normalize with the charmap cm find the characters clean's literal walk
 * looks at, on its own walk over the text (clean_normalize_doc()): tables
 * made once, when the rules are loaded.  False when that cannot be (no
 * literals, no fold tables, no memory): clean_normalize_doc() then runs the
 * two walks as before. */
bool clean_link_charmap(clean_rules *r, const norm_charmap *cm);

/* normalize_doc_with(cm, d) and then clean_doc(rules, scratch, d), with the
 * same result: when rules were linked to cm, clean's walk over the text is
 * left to normalize's.  False when memory ran out. */
bool clean_normalize_doc(const clean_rules *rules, const norm_charmap *cm, rx_scratch *scratch,
                         doc *d);

#endif
