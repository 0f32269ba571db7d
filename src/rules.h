/* rules.h -- stage 7: the rule set, loaded from a rules directory at run time.
 *
 *   rules/indicators.conf  the indicator catalogue (one [id] per indicator)
 *   rules/units.conf       units and their normalization (numbers.h)
 *   rules/boilerplate.conf page noise to drop (clean.h)
 *   rules/phrases.conf     words around figures: standards, claims, stages
 *   rules/charmap.conf     traditional -> simplified characters (normalize.h)
 *
 * Loading validates everything and reports file:line:col errors; patterns
 * are compiled once (PCRE2 JIT) and shared read-only by all threads. */
#ifndef EDX_RULES_H
#define EDX_RULES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "clean.h"
#include "conf.h"
#include "doc.h"
#include "normalize.h"
#include "numbers.h"
#include "rx.h"

typedef struct threshold {
    const char *stage;   /* borrowed from the conf text: "小学", "初中", NULL for any */
    double value;
} threshold;

typedef struct indicator {
    char *id;
    char *name;           /* canonical Chinese name */
    char **terms;         /* surface terms, longest first, including name */
    size_t nterms;
    size_t *term_lens;    /* strlen of each term (NULL: not known, ask strlen) */
    fig_kind kind;
    char *unit;           /* expected normalized unit, NULL for any */
    double range_lo, range_hi; /* plausible range; lo > hi when none */
    int direction;        /* +1 higher better, -1 lower better, 0 neutral */
    bool gross;           /* may exceed 100% (毛入学率) */
    threshold *thresholds;
    size_t nthresholds;
    size_t line;          /* where it is defined */
} indicator;

/* Items grouped by a key (their first bytes), so that a search tries at a
 * position only the items that can match there: an open-addressing table
 * of mask + 1 slots, slot h holding key[h] and a group of n[h] items whose
 * indexes are idx[start[h] .. + n[h]), in item order (n[h] 0: an empty
 * slot).  mask is 0 when the table is not built.  Used for the phrase
 * lists (first three bytes). */
typedef struct key_groups {
    uint64_t *key;
    size_t *start, *n, *idx;
    size_t mask;
} key_groups;

/* The slot of key: its group's, or the empty slot where it would go. */
static inline size_t key_groups_slot(const key_groups *g, uint64_t key)
{
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15u) >> 40) & g->mask;
    while (g->n[h] && g->key[h] != key)
        h = (h + 1) & g->mask;
    return h;
}

/* Whether a[0..n) and b[0..n) are the same bytes, compared from the end:
 * for the few bytes of a word after a filter or a group has matched its
 * other bytes, where a call to memcmp() would cost more than the test. */
static inline bool bytes_same_back(const char *a, const char *b, size_t n)
{
    while (n) {
        n--;
        if (a[n] != b[n])
            return false;
    }
    return true;
}

typedef struct phrase_list {
    char **items;         /* words, longest first */
    size_t n;
    rx *patterns;         /* "pattern =" lines (PCRE2), tried after the words */
    size_t npatterns;
    /* Index by first byte, built when the rules load: items[order[k]] for k
     * in [first[b], first[b + 1]) are the words starting with byte b, in
     * list order, and lens their lengths.  order is NULL in a list built by
     * hand: then every word is tried. */
    size_t *order;
    size_t *lens;
    size_t first[257];
    /* The same by last byte (words ending with byte b, for a lookup
     * backwards from a position): items[order_last[k]] for k in
     * [last[b], last[b + 1]); empty words are left out.  NULL with order. */
    size_t *order_last;
    size_t last[257];
    /* By the last three bytes, when every word ends with a character of
     * three bytes led by E0..EF (NULL otherwise, and without order): bit
     * (b2 & 63) of last3[(b0 & 15) << 6 | (b1 & 63)] is set when some word
     * ends with b0 b1 b2 (masked as first3 masks a word's first three), and
     * l3 groups the words by those three bytes (the key: b0 << 16 | b1 << 8
     * | b2), in list order.  A clear bit, or a byte before the last two
     * that is no such lead, means no word ends there; else only the words
     * of the text's group can. */
    uint64_t *last3;
    key_groups l3;
    /* A filter on the first two bytes of the words led by E0..EF (most
     * Chinese): bit (b1 & 63) of lead2[b0 & 15] is set when some word may
     * start with b0 b1.  Set with order (lead2_ok); a clear bit means no
     * word starts there. */
    bool lead2_ok;
    uint64_t lead2[16];
    /* A bit per code point U+4E00..U+9FFF (PHRASE_CJK_BITS of them): set
     * when some word starts with that character.  A word matching at a
     * position starts with the same bytes, so a text character in that range
     * with its bit clear starts no word.  Built with order; NULL without. */
    unsigned char *first_cjk;
    /* Finer, for those characters: short_cjk has the bit of the ones that
     * start a word shorter than six bytes, and pair a bit per hash
     * (phrase_pair_hash) of the first six bytes of every longer word.  At
     * a position with six bytes left, a character with its short_cjk bit
     * clear whose six bytes hash to a clear pair bit starts no word. */
    unsigned char *short_cjk;
    unsigned char *pair;
    /* A bit per three-byte sequence led by E0..EF, masked as cp_at-style
     * code points: word (b0 & 15) << 6 | (b1 & 63), bit b2 & 63, set when
     * some word starts with such three bytes (a row all set for a word of
     * one or two bytes led there).  A clear bit means no word starts at a
     * position with those bytes, whatever follows: one lookup per Chinese
     * character in a scan.  Built with order; NULL without. */
    uint64_t *first3;
    /* The words led by E0..EF grouped by their first three bytes (the key:
     * b0 << 16 | b1 << 8 | b2), when all of them have three bytes or more
     * (g3_ok), so word_after tries only the words with the text's first
     * three bytes, in list order.  Built with order. */
    bool g3_ok;
    key_groups g3;
} phrase_list;

#define PHRASE_CJK_LO 0x4E00
#define PHRASE_CJK_BITS (0xA000 - PHRASE_CJK_LO)
#define PHRASE_PAIR_BITS 4096

/* Hash of the six bytes at s into bits bits (a power of two up to 65536),
 * for the pair filters of phrase lists.  The bytes are
 * read as one word in memory order (built and looked up alike, so any
 * order serves the filters). */
static inline uint32_t phrase_pair_hash(const char *s, uint32_t bits)
{
    uint64_t v = 0;
    memcpy(&v, s, 6);
    return (uint32_t)((v * 0x9E3779B97F4A7C15u) >> 48) & (bits - 1);
}

/* The catalogue terms in a trie read from their last character back, so
 * that one walk back from a position finds the longest term ending there.
 * A step is a unit: the three bytes of a lead E0..EF and two continuation
 * bytes when they end at the position, else one byte (term_unit_before);
 * the edge from node v by unit code u (the unit's bytes as a number, below
 * 1 << 24) sits in an open-addressing table of mask + 1 slots keyed
 * v << 24 | u (0: an empty slot; no term holds a NUL byte).  Node 0 is the
 * root; ind[v] is the indicator whose term is spelled by the path to v, the
 * first in catalogue order when two share a term, NULL when none.
 *
 * The root's edges are also kept as a filter, so that most positions of a
 * text are passed without a probe: bit term_root_bit(u) of root is set
 * when some term ends with the unit u; a clear bit means none does (a set
 * one may be another unit's: the probe decides). */
#define TERM_ROOT_BITS 65536

typedef struct term_trie {
    uint64_t *key;
    uint32_t *child;
    size_t mask;
    const indicator **ind;
    size_t nnodes;
    uint64_t root[TERM_ROOT_BITS / 64];
} term_trie;

typedef struct rules {
    char *dir;
    indicator *indicators;
    size_t nindicators;
    num_units units;
    clean_rules clean;
    norm_charmap charmap;
    /* phrases.conf */
    phrase_list claim_met, claim_not_met, standard_words, stage_words,
        connectives, change_words,
        name_stops,       /* words that end a name on its left (现有, 其中 …) */
        per_capita_words, /* a name holding one of these is per_capita (生均, 人均 …) */
        gap_words,        /* a number after these is a shortfall, not a figure (差, 缺口) */
        level_words,      /* after a change verb they make a new level (到, 至) */
        lower_words,      /* standard words meaning "at most" (不超过, 以内, ≤) */
        abstract_nouns,   /* a count of these is not a figure (三个方面, 五项管理) */
        comparison_words; /* 比上年, 同比 …: stripped with the change verb from a change's name */
    bool keep_changes;    /* [policy] changes = keep: emit changes (change: true) */
    /* claim_met.first3 | claim_not_met.first3, word by word (NULL when
     * either is): a clear bit means no word of either list starts there. */
    uint64_t *claim_first3;
    /* By the last three bytes of a claim word (masked as first3 masks a
     * word's first three), a bit set when a word of either claim list ends
     * with them; NULL unless every claim word ends with a character of
     * three bytes (led by E0..EF): then a clear bit, or a byte before them
     * that is no such lead, means no claim word ends there. */
    uint64_t *claim_last3;
    /* The values of (b & 63) for the last bytes b of the claim words, each
     * once, when claim_last3 is built and they are eight or fewer
     * (nclaim_last_byte 1..8; else 0): with claim_last3 (which keys its
     * bit by that value) a position whose byte before, masked so, is none
     * of them ends no claim word.  Row k holds the k-th value sixteen
     * times (a vector to compare blocks with), the rows past the count the
     * last one. */
    unsigned char claim_last_byte[8][16];
    unsigned nclaim_last_byte;
    /* The stage each stage word names, by item: stage_by_item[i] is what
     * rules_stage_named() gives for the surface of stage_words.items[i]
     * (its first lens[i] bytes).  NULL when not built. */
    const char **stage_by_item;
    /* The needles (rx.h) of every claim pattern of both lists together,
     * when each has some and all fit (claim_gate): no claim pattern
     * matches in a stretch where none of them starts. */
    bool claim_gate;
    rx_needles claim_needles;
    /* The name walk (match.c, run_facts_of) asks three lists at every
     * character of a name: name_stops (bit 0), per_capita_words (1) and
     * stage_words (2).  walk3, by the three bytes at a position led by
     * E0..EF masked as first3 masks them ((b0 & 15) << 12 | (b1 & 63) << 6
     * | (b2 & 63)), has bit k set when list k has a word starting with those
     * bytes shorter than six bytes, bit 3 + k when it has only longer ones:
     * then a word of list k starts there only when the six bytes hash
     * (phrase_pair_hash, PHRASE_PAIR_BITS) to a slot of walk_pair with bit k
     * set.  A clear entry: none of the three lists has a word there (their
     * first3 bits are all clear).  NULL when not built. */
    unsigned char *walk3;
    unsigned char *walk_pair;
    /* The same three lists' words led by E0..EF grouped by their first
     * three bytes (the key: b0 << 16 | b1 << 8 | b2), so that one probe at
     * a position gives each list's words with the text's first three bytes:
     * a group holds the words of list 0, then 1, then 2, each in list
     * order, as numbers walk_base[k] + item of list k.  walk_g3_ok when
     * built (every such word of the three has three bytes or more). */
    bool walk_g3_ok;
    key_groups walk_g3;
    size_t walk_base[4];
    /* The catalogue terms read backwards (see term_trie). */
    term_trie terms;
    /* The indicators by the address of their id (rules_find): an
     * open-addressing table of by_id_mask + 1 slots, each 0 (empty) or an
     * indicator's index + 1. */
    size_t *by_id;
    size_t by_id_mask;
} rules;

/* Load every rule file in dir.  Errors go to d (file:line:col); returns
 * NULL when any error was found or memory ran out. */
rules *rules_load(const char *dir, diag *d);
void rules_free(rules *r);

/* The catalogue indicator whose term occurs in name[0..n): the longest term,
 * and among equally long ones the one ending last.  *term_end receives the
 * byte offset in name where that term ends.  NULL when none occurs.
 *   "小学学龄儿童净入学率" → [net_enrollment_rate], term "净入学率" */
const indicator *rules_classify(const rules *r, const char *name, size_t n, size_t *term_end);

/* Length of the longest catalogue term that is exactly s[i..hi) for some i
 * >= lo (a term ending at hi), 0 when none: "现有在校生" → 9 (在校生). */
size_t rules_term_ending(const rules *r, const char *s, size_t lo, size_t hi);

/* The stage the stage word w[0..wl) names, by the items of stage_words
 * ("国小=小学" maps 国小 to 小学): the first item whose surface is the
 * word, NULL when none is or the word holds '='. */
const char *rules_stage_named(const rules *r, const char *w, size_t wl);

/* The indicator with this id, or NULL. */
const indicator *rules_find(const rules *r, const char *id);

/* Text names of kinds ("rate", "ratio" …) and back. */
const char *rules_kind_name(fig_kind k);
bool rules_kind_parse(const char *s, fig_kind *k);

#endif
