/* numbers.h -- stage 6: the number and quantity grammar.
 *
 * Reads every way these reports write a figure and returns its value, unit
 * and qualifier, or says it is not a figure.  Works on the working text
 * (already normalized: full-width digits and ％ are ASCII there, but the
 * parser also accepts them raw so it can be used on any UTF-8 text).
 *
 *   "98.6%"            → value 98.6, unit "%"
 *   "百分之九十八点六"  → value 98.6, unit "%"
 *   "千分之五", "5‰"    → value 5, unit "‰" (per mille stays per mille)
 *   "5368万元"          → value 53680000, unit "元"
 *   "1.2万平方米"       → value 12000, unit "平方米"
 *   "1:17.3"            → ratio {1, 17.3}, value 17.3
 *   "近400余名"         → value 400, unit "名", qualifier over
 *   "148~207分"         → range: value 148, value_hi 207, unit "分"
 *   "提高2.3个百分点"    → value 2.3, unit "个百分点", change
 *   "35920xx元"         → redacted, no value
 *   "2018年5月15日"     → not a figure (num_next skips it)
 *
 * The full grammar, with every decision it takes, is in docs/NUMBERS.md.
 * Units are data (rules/units.conf), loaded by num_units_load(). */
#ifndef EDX_NUMBERS_H
#define EDX_NUMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "doc.h"

/* What a unit measures; the matcher uses it to choose a figure's kind. */
typedef enum unit_dim {
    DIM_NONE = 0,
    DIM_PERCENT,   /* %  百分之 */
    DIM_PERMILLE,  /* ‰  千分之 */
    DIM_POINTS,    /* 个百分点: a change, never a level */
    DIM_COUNT,     /* 人 名 所 个 间 台 册 … */
    DIM_MONEY,     /* 元 万元 亿元 */
    DIM_AREA,      /* 平方米 ㎡ 亩 公顷 */
    DIM_LENGTH,    /* 米 千米 公里 */
    DIM_TIME,      /* 天 小时 学时 */
    DIM_SCORE,     /* 分 */
    DIM_AGE,       /* 岁 */
    DIM_OTHER
} unit_dim;

typedef struct num_unit {
    char *surface;   /* as written: "万元", "㎡", "m²" */
    char *norm;      /* normalized unit written out: "元", "平方米" */
    double mult;     /* factor to the normalized unit: 万元 → 10000 */
    unit_dim dim;
    size_t len;      /* strlen(surface) */
    size_t norm_len; /* strlen(norm), less than sizeof quantity.unit_norm */
} num_unit;

typedef struct num_units {
    num_unit *units; /* sorted longest surface first (greedy matching) */
    size_t n;
    /* Index by first byte: units[first[b] .. first[b] + nfirst[b]) of a
     * second array `byfirst` holds the indexes of the units whose surface
     * starts with byte b, longest first.  Built by num_units_load. */
    size_t *byfirst;
    size_t first[256], nfirst[256];
    /* Index by first character, built by num_units_load so that
     * num_unit_at() tries only the units that can match: an open-addressing
     * table of the first characters' bytes (packed as in unit_char_key) with
     * bychar[char_start[h] .. char_start[h] + char_n[h]) the indexes of the
     * units starting with that character, longest first.  char_mask + 1 is
     * the table size (a power of two, 2 to the 32 - char_shift); 0 when the
     * index was not built (then the units with the same first byte are
     * tried). */
    uint32_t *char_key;
    size_t *char_start, *char_n, *bychar;
    size_t char_mask;
    unsigned char_shift;
    /* Bit per code point U+4E00..U+9FFF that may start a number (一 十 两 壹
     * 百 千 …), so num_next skips other Chinese characters with one lookup.
     * Built by num_units_load. */
    unsigned char cjk_start[(0xA000 - 0x4E00) / 8];
    /* For every three-byte sequence (lead E0..EF, two more bytes read as
     * cp_at() reads them) a bit that is clear when num_next may pass it
     * without calling candidate(): word start3_word() of the first two
     * bytes, bit third & 0x3F.  Over U+4000..U+9FFF the bits of cjk_start
     * (zero below U+4E00); over U+2000..U+3FFF and U+F000..U+FFFF
     * (punctuation, full-width forms) candidate()'s own answer; elsewhere
     * all set (candidate() decides).  The word is indexed by the two bytes
     * as one little-endian 16-bit value masked with 0x3F0F (the lead's low
     * nibble, the second byte's low six bits) so the scan takes it with a
     * load and an AND; START3_WORDS words, of which 16 * 64 are used.
     * Built by num_units_load (NULL when out of memory: then every lead
     * byte goes to candidate()). */
    uint64_t *start3;
    /* What may follow a number and be read by the grammar after it (a
     * ratio or range separator, a decimal point, a blank, 余/多, a
     * multiplier, a suffix qualifier or the first character of a unit):
     * cont3 as start3 for the three-byte sequences, then START3_WORDS more
     * words, the same for the separators alone (ratio, range, decimal
     * point, blank); cont1 for the other bytes, bit 1 anything, bit 2 a
     * separator (all set but ASCII, which is by the byte).  A clear bit
     * proves parse() reads nothing (no separator) after the number.  Built
     * by num_units_load (NULL when out of memory: then anything may
     * follow). */
    uint64_t *cont3;
    unsigned char cont1[256];
    /* The area and money units of six bytes or more, which match's
     * take_bare_units looks for after a name with no number: bare_lead
     * marks their third bytes, bare_cp lists their distinct first three
     * bytes (packed big-endian; nbare_cp is SIZE_MAX when more than 32),
     * bare_third the distinct
     * bytes of bare_lead (nbare_third of them, the first repeated to fill
     * 8; the count goes one past 8 when there are more).  They depend on
     * the units alone, so num_units_load builds them once. */
    bool bare_lead[256];
    uint32_t bare_cp[32];
    size_t nbare_cp;
    unsigned char bare_third[8];
    size_t nbare_third;
    /* A nibble-table filter of the same keys (when nbare_cp is no more
     * than 32), read with pshufb: bare_nib[0][b & 15] & bare_nib[1][b >> 4]
     * are the class bits of a byte b in the second place,
     * bare_nib[2][b & 15] & bare_nib[3][b >> 4] in the third; key k has
     * bit k in both places (the ninth and later keys share bit 7).  Two
     * bytes whose class bits meet are those of a key's second and third
     * bytes when there are at most eight keys (a few more pairs pass when
     * there are more; no key's pair ever fails).  bare_avx2 says the
     * processor runs AVX2 and the tables are built, so take_bare_units may
     * scan 32 positions at a time with them.  Built once by
     * num_units_load. */
    unsigned char bare_nib[4][16];
    /* Bit third & 63 of word second & 63 set for the second and third
     * bytes of every listed key: most positions that pass the nibble
     * filter fail this one test before the list is searched. */
    uint64_t bare_pair[64];
    /* Bit s[5] & 63 of word s[4] & 63 set for the fifth and sixth bytes s[4],
     * s[5] of every unit that take_bare_units looks for: where no unit's
     * pair is, none of them starts. */
    uint64_t bare_tail[64];
    bool bare_avx2;
    /* The processor runs AVX2 and EDUEXTRACT_NO_AVX2=1 does not ask for
     * the other code: decided once by num_units_load (always false where
     * EDX_AVX2_DISPATCH is 0), for bare_avx2 and scan_avx2. */
    bool avx2;
    /* A filter of the positions where num_next's walk over the text may
     * stop (see scan_filter_at() in numbers.c), read 32 bytes at a time
     * with AVX2: the bytes that stop it whatever follows, by scan_nib[0]
     * (low nibble) and [1] (high nibble), and groups of the three-byte
     * characters start3 lets through, by [2] (the lead byte's low nibble;
     * [3] is not used) and [4] .. [7] (the second and the third byte's
     * nibbles).
     * scan_filter_holds says every start3 bit was found in the groups;
     * scan_avx2 that, avx2 and start3 (num_next may then walk with the
     * filter).  Built by num_units_load. */
    unsigned char scan_nib[8][16];
    bool scan_filter_holds;
    bool scan_avx2;
} num_units;

/* Load rules/units.conf (already read into f); returns the error count. */
size_t num_units_load(const conf_file *f, num_units *out, diag *d);
void num_units_free(num_units *u);
/* The unit whose surface starts text[pos..len), longest first, or NULL. */
const num_unit *num_unit_at(const num_units *u, const char *text, size_t len, size_t pos);

typedef struct quantity {
    size_t start, end;          /* whole quantity: prefix qualifier .. unit .. suffix qualifier */
    size_t num_start, num_end;  /* the number (or placeholder) itself; for a range or a
                                 * ratio, from the first number to the end of the second */
    bool redacted;              /* a placeholder (xx, ___, 20xx …) stands for the number */
    bool has_value;             /* false when redacted or overflow */
    double value;               /* multipliers (万, 亿, unit mult) applied; 0 without value */
    bool is_range;              /* 148~207, 20%-30%, 1至2: value = low end */
    double value_hi;            /* the high end of a range (multipliers applied) */
    bool is_ratio;              /* 1:17.3, 17.3:1, 1比17.3 */
    double left, right;         /* the ratio's sides; value = the side that is not 1 */
    qualifier qual;             /* combined: infix 余/多 > suffix 以上/左右… > prefix 约/近… */
    const num_unit *unit;       /* borrowed; NULL when no unit follows (or 百分之 with no
                                 * "%" in units.conf) */
    char unit_norm[24];         /* normalized unit ("%" for 百分之), "" when none */
    unit_dim dim;
    bool change;                /* 个百分点 */
    bool chinese;               /* written in Chinese numerals */
    bool overflow;              /* more than NUM_MAX_DIGITS significant digits, or a value
                                 * beyond NUM_MAX_VALUE: has_value false, value 0 */
    /* Added by issue 5 (all zero/false/QUAL_NONE when absent): */
    qualifier qual_pre;         /* prefix as written: 约 近 将近 超过 逾 不足 不到 … */
    qualifier qual_post;        /* infix (余 多) or suffix (以上 以下 以内 左右 上下) */
    double number;              /* the number as written, before 万/亿 and the unit's mult */
    double mult;                /* 万/亿 times the unit's mult (1 when none) */
    size_t unit_start, unit_end;/* the unit's bytes; equal when no unit */
    bool per_prefix;            /* written 百分之… / 千分之… */
} quantity;

/* Out-of-range policy (docs/NUMBERS.md): a number with more significant digits
 * than a double holds exactly, or a value above NUM_MAX_VALUE, is parsed to
 * its end (so scanning stays linear) with overflow set and no value. */
#define NUM_MAX_DIGITS 15
#define NUM_MAX_VALUE 1e15

/* Parse the quantity that starts exactly at text[pos] (a prefix qualifier
 * such as 约 or 近 may start it).  False when none starts there.  This is
 * the grammar only: it does not decide whether the quantity is a figure
 * (a year such as "2018" parses as the number 2018). */
bool num_parse_at(const num_units *u, const char *text, size_t len, size_t pos, quantity *q);

/* Find the first quantity at or after pos that can be a figure, skipping
 * years, dates, times, page markers, ordinals (第五中学, 十八届), heading
 * numbers, document numbers (〔2021〕3号), phone numbers, file sizes and
 * Chinese numerals without a unit (一是, 统一).  A returned quantity may
 * start before pos only by its prefix qualifier.  False when there is none.
 * Linear in the text scanned. */
bool num_next(const num_units *u, const char *text, size_t len, size_t pos, quantity *q);

/* For tests: the positions where num_next's walk stops (a number may
 * start there) from text[0] on, going on after each stop at the next byte
 * and at the next character in turn; with avx2 by the AVX2 filter when
 * u->scan_avx2 allows, else by the plain loop.  At most max positions go
 * to out; returns how many were found. */
size_t num_scan_stops(const num_units *u, const char *text, size_t len, bool avx2, size_t *out,
                      size_t max);

/* Work counter for tests: bytes examined by num_next and num_parse_at
 * since the last reset (not thread-safe; for linear-time tests only). */
size_t num_work_steps(void);
void num_work_reset(void);

#endif
