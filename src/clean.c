/* clean.c -- drop boilerplate from the working text, keeping the map. */
#include "clean.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "normalize.h"

static const char *const PATTERN_KEYS[] = {"pattern", "scope", "note", NULL};

/* ----- a literal prefilter per pattern ----- */

/* Most patterns start with something that can match anywhere (^.{0,120},
 * \s*, \d*), so the regex engine tries every position of the text, ~50
 * patterns over every text.  A literal that every match holds (小编,
 * 下载后可任意编辑) tells where a match can be: none after the literal's
 * last occurrence, and, when what comes before the literal is bounded (or
 * cannot cross a line), none far before its next occurrence.  The analysis
 * reads the top-level sequence of the pattern only and gives up on anything
 * it does not know (alternatives, lookarounds, \Q, options): then there is
 * no prefilter and the pattern runs as before. */

typedef struct prefilter {
    const char *lit;
    size_t lit_len, reach;
    bool same_line, space_tail;
    size_t ns_reach;   /* nonspace_max() of what precedes the literal */
} prefilter;

/* Length of the bracketed construct starting at p (a class or a group),
 * or 0 when it does not close. */
static size_t bracket_len(const char *p)
{
    char open = p[0], close = open == '[' ? ']' : open == '(' ? ')' : '}';
    int depth = 0;
    bool in_class = false;
    for (size_t i = 0; p[i]; i++) {
        char c = p[i];
        if (c == '\\') {
            if (!p[i + 1])
                return 0;
            i++;
            continue;
        }
        if (open == '(' && in_class) {
            if (c == ']')
                in_class = false;
            continue;
        }
        if (open == '(' && c == '[') {
            in_class = true;
            if (p[i + 1] == '^')
                i++;
            if (p[i + 1] == ']')
                i++;
            continue;
        }
        if (open == '[' && i == 1 && c == ']')
            continue;
        if (open == '[' && i == 1 && c == '^' && p[2] == ']') {
            i++;
            continue;
        }
        if (c == open && open != '[')
            depth++;
        else if (c == close && (open == '[' || --depth == 0))
            return i + 1;
    }
    return 0;
}

/* Whether the text of a construct may match a line break: \s, \n, \D,
 * \S, \W, \R, \v, \h or a negated class (. does not, without (?s)). */
static bool may_cross_line(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\\' && i + 1 < n) {
            if (strchr("snDSWRvhNXC", p[i + 1]))
                return true;
            i++;
        } else if (p[i] == '[' && i + 1 < n && p[i + 1] == '^') {
            return true;
        }
    }
    return false;
}

/* The most bytes of characters that \s does not match that p[0..n) (a
 * sequence of items, alternatives allowed) can match, or CLEAN_REACH_ANY.
 * Every item but \s counts with its longest match (four bytes a character),
 * so the bound is safe, not tight: it bounds where a match starts even when
 * \s items before the literal may cross lines ("2023年 \n 5月 下载后..."). */
static size_t nonspace_max(const char *p, size_t n)
{
    size_t best = 0, sum = 0;
    for (size_t i = 0; i <= n;) {
        if (i == n || p[i] == '|') {
            if (sum > best)
                best = sum;
            sum = 0;
            i++;
            continue;
        }
        char c = p[i];
        size_t item, max;
        if (c == '^' || c == '$') {
            item = 1;
            max = 0;
        } else if (c == '(') {
            item = bracket_len(p + i);
            if (item < 2 || item > n - i)
                return CLEAN_REACH_ANY;
            size_t open = 1;
            if (p[i + 1] == '?') {
                if (item < 4 || p[i + 2] != ':')
                    return CLEAN_REACH_ANY;   /* lookarounds, options, names */
                open = 3;
            }
            max = nonspace_max(p + i + open, item - open - 1);
        } else if (c == '[') {
            item = bracket_len(p + i);
            if (!item || item > n - i)
                return CLEAN_REACH_ANY;
            max = 4;
        } else if (c == '\\') {
            if (i + 1 >= n)
                return CLEAN_REACH_ANY;
            char e = p[i + 1];
            if (strchr("pPxXgkNoQEcu", e) || (e >= '0' && e <= '9'))
                return CLEAN_REACH_ANY;
            item = 2;
            max = (e == 's' || strchr("bBAzZGK", e)) ? 0 : 4;
        } else if (c == '.') {
            item = 1;
            max = 4;
        } else if (c == '*' || c == '+' || c == '?' || c == '{' || c == ')') {
            return CLEAN_REACH_ANY;
        } else {
            item = utf8_seq_len((unsigned char)c);
            max = item;
        }
        size_t j = i + item, rep = 1;
        if (j < n && (p[j] == '*' || p[j] == '+')) {
            rep = CLEAN_REACH_ANY;
            j++;
        } else if (j < n && p[j] == '?') {
            j++;
        } else if (j < n && p[j] == '{') {
            size_t m = 0, k = j + 1, hi = 0;
            bool comma = false, has_hi = false;
            while (k < n && p[k] >= '0' && p[k] <= '9' && m < 100000)
                m = m * 10 + (size_t)(p[k++] - '0');
            if (k < n && p[k] == ',') {
                comma = true;
                k++;
                while (k < n && p[k] >= '0' && p[k] <= '9' && hi < 100000) {
                    hi = hi * 10 + (size_t)(p[k++] - '0');
                    has_hi = true;
                }
            }
            if (k >= n || p[k] != '}' || k == j + 1)
                return CLEAN_REACH_ANY;
            rep = comma ? (has_hi ? hi : CLEAN_REACH_ANY) : m;
            j = k + 1;
        }
        if (j > i + item && j < n && (p[j] == '?' || p[j] == '+'))
            j++;
        if (max == CLEAN_REACH_ANY)
            return CLEAN_REACH_ANY;
        if (max > 0) {
            if (rep == CLEAN_REACH_ANY || rep > 100000 || sum + max * rep > 1000000)
                return CLEAN_REACH_ANY;
            sum += max * rep;
        }
        i = j;
    }
    return best;
}

/* A lookaround group opens at p: (?= (?! (?<= (?<! */
static bool lookaround_at(const char *p)
{
    return p[0] == '(' && p[1] == '?' &&
           (p[2] == '=' || p[2] == '!' || (p[2] == '<' && (p[3] == '=' || p[3] == '!')));
}

/* With `lookarounds`, a lookaround at the top level counts as what it is to
 * a match's extent: nothing (a lookbehind may look before the start, which
 * the search from a later start offset sees all the same). */
static prefilter analyse_pattern(const char *pat, bool lookarounds)
{
    prefilter none = {NULL, 0, CLEAN_REACH_ANY, false, false, CLEAN_REACH_ANY};
    if (strstr(pat, "\\Q") || strstr(pat, "(?") != NULL) {
        /* Options and names stop the analysis; (?: groups are fine. */
        for (const char *q = strstr(pat, "(?"); q; q = strstr(q + 2, "(?"))
            if ((q[2] != ':' && !(lookarounds && lookaround_at(q))) ||
                (q > pat && q[-1] == '\\'))
                return none;
        if (strstr(pat, "\\Q"))
            return none;
    }
    prefilter best = none;
    size_t reach = 0;          /* bytes a match can hold before item i */
    bool bounded = true;
    int crosses = 0;           /* 0 no item crosses a line, 1 only a tail of \s, 2 any */
    const char *run = NULL;    /* the current run of plain literal characters */
    size_t run_len = 0, run_reach = 0;
    bool run_bounded = true;
    int run_crosses = 0;
    for (size_t i = 0; pat[i];) {
        char c = pat[i];
        size_t item = 0, max = 0;
        bool literal = false, item_crosses = false;
        if (c == '|' || c == ')')
            return none;
        if (c == '^' || c == '$') {
            item = 1;
            max = 0;
        } else if (c == '(' || c == '[') {
            item = bracket_len(pat + i);
            if (!item)
                return none;
            if (c == '(' && memchr(pat + i, '|', item)) {
                /* An alternative inside a group: any of its branches. */
            }
            max = c == '[' ? 4 : CLEAN_REACH_ANY;
            item_crosses = may_cross_line(pat + i, item);
            if (c == '(') {
                /* A group's length is bounded only when its text has no
                 * repeat; a plain bound is not worth the parsing. */
                max = CLEAN_REACH_ANY;
            }
            if (lookaround_at(pat + i)) {
                max = 0;
                item_crosses = false;
            }
        } else if (c == '\\') {
            if (!pat[i + 1])
                return none;
            char e = pat[i + 1];
            if (strchr("pPxgkNo", e)) {
                return none;
            }
            if ((e >= '0' && e <= '9') || strchr("bBAzZGK", e))
                return none;   /* back references and assertions: not worth it */
            item = 2;
            max = 4;
            item_crosses = may_cross_line(pat + i, 2);
        } else if (c == '.') {
            item = 1;
            max = 4;
        } else if (c == '*' || c == '+' || c == '?' || c == '{') {
            return none;       /* a quantifier with nothing before it */
        } else {
            item = utf8_seq_len((unsigned char)c);
            max = item;
            literal = true;
        }
        size_t j = i + item;
        /* Its quantifier, if any. */
        size_t rep_max = 1;
        bool optional = false;
        if (pat[j] == '*' || pat[j] == '+') {
            rep_max = CLEAN_REACH_ANY;
            optional = pat[j] == '*';
            j++;
        } else if (pat[j] == '?') {
            optional = true;
            j++;
        } else if (pat[j] == '{') {
            size_t m = 0, n = 0, k = j + 1;
            bool has_n = false, comma = false;
            while (pat[k] >= '0' && pat[k] <= '9')
                m = m * 10 + (size_t)(pat[k++] - '0');
            if (pat[k] == ',') {
                comma = true;
                k++;
                while (pat[k] >= '0' && pat[k] <= '9') {
                    n = n * 10 + (size_t)(pat[k++] - '0');
                    has_n = true;
                }
            }
            if (pat[k] != '}' || k == j + 1)
                return none;   /* a literal brace: not worth it */
            rep_max = comma ? (has_n ? n : CLEAN_REACH_ANY) : m;
            optional = m == 0;
            j = k + 1;
            if (rep_max != CLEAN_REACH_ANY && rep_max > 1000)
                rep_max = CLEAN_REACH_ANY;
        }
        if (j > i + item && (pat[j] == '?' || pat[j] == '+'))
            j++;   /* lazy or possessive: the same bounds */
        bool plain = literal && j == i + item;
        (void)optional;
        if (plain) {
            if (!run) {
                run = pat + i;
                run_len = 0;
                run_reach = reach;
                run_bounded = bounded;
                run_crosses = crosses;
            }
            run_len += item;
            /* A bounded reach first (it narrows the search), then a literal
             * kept to its line, then the longest. */
            int rank = run_bounded ? 3 : run_crosses == 0 ? 2 : run_crosses == 1 ? 1 : 0;
            int best_rank = !best.lit ? -1
                            : best.reach != CLEAN_REACH_ANY ? 3
                            : best.same_line ? 2 : best.space_tail ? 1 : 0;
            if (rank > best_rank || (rank == best_rank && run_len > best.lit_len)) {
                best.lit = run;
                best.lit_len = run_len;
                best.reach = run_bounded ? run_reach : CLEAN_REACH_ANY;
                best.same_line = run_crosses == 0;
                best.space_tail = run_crosses == 1;
            }
        } else {
            run = NULL;
        }
        /* What this item adds to the reach of the items after it. */
        if (max == CLEAN_REACH_ANY || rep_max == CLEAN_REACH_ANY)
            bounded = false;
        else
            reach += max * rep_max;
        bool space = c == '\\' && pat[i + 1] == 's';
        if (item_crosses)
            crosses = space && crosses < 2 ? 1 : 2;
        else if (crosses == 1)
            crosses = 2;   /* something after the spaces: they are no tail */
        i = j;
    }
    if (best.lit)
        best.ns_reach = nonspace_max(pat, (size_t)(best.lit - pat));
    return best;
}

/* ----- line-start patterns and their first characters ----- */

/* True when pat has an alternative at its top level (or cannot be read):
 * then a leading ^ anchors one branch only. */
static bool top_level_alternative(const char *pat)
{
    if (strstr(pat, "\\Q"))
        return true;
    for (size_t i = 0; pat[i];) {
        if (pat[i] == '|')
            return true;
        if (pat[i] == '\\') {
            if (!pat[i + 1])
                return true;
            i += 2;
        } else if (pat[i] == '(' || pat[i] == '[') {
            size_t n = bracket_len(pat + i);
            if (!n)
                return true;
            i += n;
        } else {
            i++;
        }
    }
    return false;
}

/* The first character of a match that is neither whitespace (\s) nor an
 * ASCII digit (its "first visible character"): ASCII ones by bit, others
 * listed, or whole kinds.  A superset is always safe (a line is tried for
 * nothing); anything the reader does not know sets `fail`.  Whitespace and
 * digits are left out: a line is judged by its first character after ASCII
 * whitespace and digits (a \s* at the start of a pattern may cross lines;
 * "2015年", "1、" and "3/7" start with digits, as do many report lines). */
#define FSET_MAX 48
typedef struct fset {
    uint64_t ascii[2];
    bool nonascii;   /* any character from U+0080 */
    bool digit;      /* any non-ASCII character that may be a decimal digit */
    uint32_t cps[FSET_MAX];
    size_t n;
    bool space;      /* a character passed over may be whitespace */
    bool fail;
} fset;

static bool ascii_space(uint32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Whitespace or an ASCII digit: passed over when a line is judged. */
static bool ascii_skip(uint32_t c)
{
    return ascii_space(c) || (c >= '0' && c <= '9');
}

/* A non-ASCII character that \d may match with PCRE2_UCP (category Nd):
 * all such lie below U+3000, in U+A600..U+ABFF, at the full-width digits or
 * beyond the BMP; CJK text is none of them. */
static bool maybe_digit(uint32_t cp)
{
    return cp < 0x3000 || (cp >= 0xA600 && cp < 0xAC00) || (cp >= 0xFF10 && cp <= 0xFF19) ||
           cp >= 0x10000;
}

/* Add character c; true when it is passed over (whitespace or an ASCII
 * digit, not added). */
static bool fset_cp(fset *f, uint32_t cp)
{
    if (cp < 0x80) {
        if (ascii_skip(cp)) {
            f->space |= ascii_space(cp);
            return true;
        }
        f->ascii[cp >> 6] |= (uint64_t)1 << (cp & 63);
    } else if (f->n < FSET_MAX) {
        f->cps[f->n++] = cp;
    } else {
        f->nonascii = true;
    }
    return false;
}

/* An escape \e as one character; true when it may match a character passed
 * over.  With PCRE2_UCP, \d matches non-ASCII digits too (maybe_digit). */
static bool fset_escape(fset *f, char e)
{
    switch (e) {
    case 's': case 'h': case 'v':
        f->space = true;
        return true;   /* whitespace only */
    case 'd':
        f->digit = true;
        return true;   /* an ASCII digit is passed over */
    default:
        /* An escaped ASCII punctuation character stands for itself. */
        if ((unsigned char)e < 0x80 && e > ' ' && !(e >= '0' && e <= '9') &&
            !(e >= 'a' && e <= 'z') && !(e >= 'A' && e <= 'Z') && e != '_')
            return fset_cp(f, (unsigned char)e);
        f->fail = true;
        return true;
    }
}

/* The characters of a class p[0..n) (p[0] == '['); true when it may match
 * a character passed over. */
static bool fset_class(fset *f, const char *p, size_t n)
{
    if (n < 3 || p[1] == '^') {
        f->fail = true;   /* negated: nearly anything */
        return true;
    }
    bool ws = false;
    size_t k = 1;
    if (p[k] == ']') {
        fset_cp(f, ']');
        k++;
    }
    while (k < n - 1 && !f->fail) {
        if (p[k] == '\\') {
            ws |= fset_escape(f, p[k + 1]);
            k += 2;
            continue;
        }
        if (p[k] == '[') {
            f->fail = true;   /* [:posix:] */
            break;
        }
        uint32_t a = utf8_next(p, n - 1, &k);
        if (k + 1 < n - 1 && p[k] == '-') {
            size_t k2 = k + 1;
            uint32_t b = p[k2] == '\\' ? 0 : utf8_next(p, n - 1, &k2);
            if (a < 0x80 && b < 0x80 && a <= b) {
                for (uint32_t c = a; c <= b; c++)
                    ws |= fset_cp(f, c);
            } else {
                f->fail = true;
            }
            k = k2;
            continue;
        }
        ws |= fset_cp(f, a);
    }
    return ws;
}

static bool fset_alternatives(fset *f, const char *p, size_t n);

/* Add the first visible characters of the sequence p[0..n) to f; true when
 * the sequence can match nothing or characters passed over only (then
 * whatever follows it counts too). */
static bool fset_sequence(fset *f, const char *p, size_t n)
{
    for (size_t i = 0; i < n && !f->fail;) {
        char c = p[i];
        size_t item = 1;
        bool pass = false;   /* the item can match nothing or passed-over characters */
        if (c == '^' || c == '$') {
            pass = true;     /* assertions consume nothing */
        } else if (c == '(') {
            item = bracket_len(p + i);
            if (item < 2 || item > n - i) {
                f->fail = true;
                break;
            }
            size_t open = 1;
            if (p[i + 1] == '?') {
                if (item < 4 || p[i + 2] != ':') {
                    f->fail = true;   /* lookarounds, options, names */
                    break;
                }
                open = 3;
            }
            pass = fset_alternatives(f, p + i + open, item - open - 1);
        } else if (c == '[') {
            item = bracket_len(p + i);
            if (!item || item > n - i) {
                f->fail = true;
                break;
            }
            pass = fset_class(f, p + i, item);
        } else if (c == '\\') {
            if (i + 1 >= n) {
                f->fail = true;
                break;
            }
            item = 2;
            pass = fset_escape(f, p[i + 1]);
        } else if (c == '.') {
            f->ascii[0] = f->ascii[1] = ~(uint64_t)0;
            f->nonascii = true;
            f->space = true;
            pass = true;
        } else if (c == '*' || c == '+' || c == '?' || c == '{' || c == ')' || c == '|') {
            f->fail = true;
            break;
        } else {
            size_t k = i;
            pass = fset_cp(f, utf8_next(p, n, &k));
            item = k - i;
        }
        size_t j = i + item;
        if (j < n && (p[j] == '*' || p[j] == '?')) {
            pass = true;
            j++;
        } else if (j < n && p[j] == '+') {
            j++;
        } else if (j < n && p[j] == '{') {
            size_t k = j + 1, m = 0;
            while (k < n && p[k] >= '0' && p[k] <= '9' && m < 100000)
                m = m * 10 + (size_t)(p[k++] - '0');
            if (k == j + 1) {
                f->fail = true;   /* a literal brace */
                break;
            }
            while (k < n && (p[k] == ',' || (p[k] >= '0' && p[k] <= '9')))
                k++;
            if (k >= n || p[k] != '}') {
                f->fail = true;
                break;
            }
            pass |= m == 0;
            j = k + 1;
        }
        if (j > i + item && j < n && (p[j] == '?' || p[j] == '+'))
            j++;   /* lazy or possessive */
        if (!pass)
            return false;
        i = j;
    }
    return true;
}

/* The same for alternatives separated by top-level '|'. */
static bool fset_alternatives(fset *f, const char *p, size_t n)
{
    bool pass = false;
    size_t a = 0;
    for (size_t i = 0; i <= n && !f->fail;) {
        if (i == n || p[i] == '|') {
            pass |= fset_sequence(f, p + a, i - a);
            a = ++i;
            continue;
        }
        if (p[i] == '\\') {
            if (i + 1 >= n) {
                f->fail = true;
                break;
            }
            i += 2;
        } else if (p[i] == '(' || p[i] == '[') {
            size_t l = bracket_len(p + i);
            if (!l || l > n - i) {
                f->fail = true;
                break;
            }
            i += l;
        } else {
            i++;
        }
    }
    return pass;
}

static int cmp_first_cp(const void *x, const void *y)
{
    const clean_first_cp *p = x, *q = y;
    return p->cp < q->cp ? -1 : p->cp > q->cp;
}

/* The first visible characters of a line_start pattern, or false when they
 * are not known.  pat[0] is the ^.  A pattern that may match only characters
 * passed over (whitespace, ASCII digits) has no first visible character. */
static bool first_chars(const char *pat, fset *f)
{
    memset(f, 0, sizeof *f);
    bool pass = fset_sequence(f, pat + 1, strlen(pat + 1));
    return !f->fail && !pass;
}

/* The first visible characters of what follows a pattern's literal: the
 * rest of the pattern text after it (rest), which is the rest of the
 * pattern's top-level sequence (analyse_pattern takes a literal from a
 * sequence without top-level alternatives).  False when not known or when
 * the rest may match characters passed over only (or nothing). */
static bool next_chars(const char *rest, clean_pattern *p)
{
    fset f;
    memset(&f, 0, sizeof f);
    bool pass = fset_sequence(&f, rest, strlen(rest));
    if (f.fail || pass)
        return false;
    p->next_cps = malloc((f.n ? f.n : 1) * sizeof *p->next_cps);
    if (!p->next_cps)
        return false;
    memcpy(p->next_cps, f.cps, f.n * sizeof *f.cps);
    for (size_t i = 1; i < f.n; i++)   /* a few: insertion sort */
        for (size_t k = i; k > 0 && p->next_cps[k - 1] > p->next_cps[k]; k--) {
            uint32_t t = p->next_cps[k];
            p->next_cps[k] = p->next_cps[k - 1];
            p->next_cps[k - 1] = t;
        }
    p->n_next_cps = f.n;
    p->next_ascii[0] = f.ascii[0];
    p->next_ascii[1] = f.ascii[1];
    p->next_nonascii = f.nonascii;
    return true;
}

/* Give pattern p (a line_start pattern) first_slot `slot` and add its first
 * visible characters fs to r's tables. */
static bool add_first_slot(clean_rules *r, clean_pattern *p, const fset *fs, int slot)
{
    const fset f = *fs;
    if (slot >= CLEAN_FIRST_SLOTS)
        return false;
    clean_first_cp *q = realloc(r->first_cps, (r->n_first_cps + f.n + 1) * sizeof *q);
    if (!q)
        return false;
    r->first_cps = q;
    uint64_t bit = (uint64_t)1 << slot;
    for (unsigned c = 0; c < 128; c++)
        if (f.ascii[c >> 6] >> (c & 63) & 1)
            r->first_ascii[c] |= bit;
    if (f.nonascii)
        r->first_nonascii |= bit;
    if (f.digit)
        r->first_digit |= bit;
    if (!f.space)
        r->first_nospace |= bit;
    for (size_t i = 0; i < f.n; i++) {
        size_t k = 0;
        while (k < r->n_first_cps && r->first_cps[k].cp != f.cps[i])
            k++;
        if (k == r->n_first_cps)
            r->first_cps[r->n_first_cps++] = (clean_first_cp){f.cps[i], 0};
        r->first_cps[k].mask |= bit;
    }
    qsort(r->first_cps, r->n_first_cps, sizeof *r->first_cps, cmp_first_cp);
    r->first_all |= bit;
    p->first_slot = slot;
    return true;
}

static void build_literal_index(clean_rules *r);

size_t clean_rules_load(const conf_file *f, clean_rules *out, diag *d)
{
    size_t errors = conf_check_unique(f, d);
    memset(out, 0, sizeof *out);
    if (f->n == 0)
        return errors;
    int slots = 0;   /* first_slot bits given so far */
    out->patterns = calloc(f->n, sizeof *out->patterns);
    if (!out->patterns) {
        diag_error(d, f->path, 0, 0, "out of memory");
        return errors + 1;
    }
    for (size_t i = 0; i < f->n; i++) {
        const conf_section *s = &f->sections[i];
        if (!s->name[0]) {
            diag_error(d, f->path, s->line, s->col, "entries must follow a [section]");
            errors++;
            continue;
        }
        errors += conf_check_keys(f, s, PATTERN_KEYS, d);
        const conf_entry *pe = conf_get(s, "pattern");
        if (!pe) {
            diag_error(d, f->path, s->line, s->col, "[%s] has no pattern", s->name);
            errors++;
            continue;
        }
        int scope = CLEAN_MATCH;
        const conf_entry *se = conf_get(s, "scope");
        if (se) {
            static const char *const SCOPES[] = {"match", "line", "rest", "join", "chunk"};
            scope = -1;
            for (int k = 0; k < (int)(sizeof SCOPES / sizeof *SCOPES); k++)
                if (strcmp(se->value, SCOPES[k]) == 0)
                    scope = k;
            if (scope < 0) {
                diag_error(d, f->path, se->line, se->value_col,
                           "scope must be match, line, rest, join or chunk, not '%s'",
                           se->value);
                errors++;
                continue;
            }
        }
        clean_pattern *p = &out->patterns[out->n];
        prefilter pf = analyse_pattern(pe->value, false);
        /* With a literal, a search is told not to start past it.  A
         * line-start pattern (^ means "after '\n'" only when '\n' is
         * PCRE2's sole newline) without one, whose first visible characters
         * are known, is tried at the line starts that may begin a match
         * only, one at a time: anchored there. */
        uint32_t newline = 0;
        pcre2_config(PCRE2_CONFIG_NEWLINE, &newline);
        bool anchored = pe->value[0] == '^' && !top_level_alternative(pe->value) &&
                        newline == PCRE2_NEWLINE_LF;
        fset fs;
        bool known = anchored && slots < CLEAN_FIRST_SLOTS && first_chars(pe->value, &fs);
        bool slotted = known && !pf.lit;
        if (!pf.lit && !slotted)
            pf = analyse_pattern(pe->value, true);   /* (?<=\s)阅读 ... */
        /* Such a search tries a few start positions only: PCRE2's start
         * optimizations (looking ahead for a character every match needs,
         * maybe far past the line) cost more than they save there, and
         * without (*COMMIT), (*MARK) or callouts they never change a match. */
        unsigned short_search = pf.lit || slotted ? PCRE2_NO_START_OPTIMIZE : 0u;
        if (!rx_compile(&p->re, pe->value,
                        PCRE2_MULTILINE | (pf.lit || anchored ? PCRE2_USE_OFFSET_LIMIT : 0u) |
                            (slotted ? PCRE2_ANCHORED : 0u) | short_search,
                        f->path, pe->line, pe->value_col, d)) {
            errors++;
            continue;
        }
        if (scope == CLEAN_CHUNK) {
            uint32_t groups = 0;
            pcre2_pattern_info(p->re.code, PCRE2_INFO_CAPTURECOUNT, &groups);
            if (groups < 1) {
                diag_error(d, f->path, pe->line, pe->value_col,
                           "a chunk pattern needs a group capturing the chunk number");
                errors++;
                rx_free(&p->re);
                continue;
            }
        }
        p->id = strdup(s->name);
        p->scope = scope;
        p->literal = pf.lit ? strndup(pf.lit, pf.lit_len) : NULL;
        p->literal_len = p->literal ? pf.lit_len : 0;
        p->reach = pf.reach;
        p->same_line = pf.same_line;
        p->space_tail = pf.space_tail;
        p->ns_bounded = pf.lit && pf.ns_reach != CLEAN_REACH_ANY;
        p->ns_reach = pf.ns_reach;
        p->line_start = anchored;
        p->first_slot = -1;
        p->next_known = p->literal && p->reach != CLEAN_REACH_ANY &&
                        next_chars(pf.lit + pf.lit_len, p);
        if (slotted) {
            if (!p->literal && add_first_slot(out, p, &fs, slots)) {
                slots++;
            } else {
                /* No memory for it (or no literal after all): compiled
                 * anchored, the pattern must still be tried line by line. */
                diag_error(d, f->path, 0, 0, "out of memory");
                errors++;
                rx_free(&p->re);
                free(p->id);
                free(p->literal);
                free(p->next_cps);
                continue;
            }
            out->first_cand |= (uint64_t)1 << p->first_slot;
        } else if (known && p->literal && add_first_slot(out, p, &fs, slots)) {
            /* A line pattern with a literal: its first visible characters
             * only check the line start before the literal. */
            slots++;
        }
        out->n++;
    }
    build_literal_index(out);
    return errors;
}

static int cmp_literal(const void *x, const void *y)
{
    const struct clean_literal *p = x, *q = y;
    if (p->last != q->last)
        return p->last < q->last ? -1 : 1;
    if (p->len != q->len)
        return p->len < q->len ? -1 : 1;
    return memcmp(p->text, q->text, p->len);
}

/* The pattern masks of r (see clean_rules.pats_masked): may_match()'s
 * three cases as bits, made once the literals have their indexes. */
static void build_pattern_masks(clean_rules *r)
{
    r->pats_masked = false;
    if (r->n > 64 || r->n_lits > 64)
        return;
    r->plain_pats = 0;
    memset(r->lit_pats, 0, sizeof r->lit_pats);
    memset(r->slot_pats, 0, sizeof r->slot_pats);
    for (size_t i = 0; i < r->n; i++) {
        const clean_pattern *p = &r->patterns[i];
        uint64_t bit = (uint64_t)1 << i;
        if (p->literal)
            r->lit_pats[p->lit_id] |= bit;
        else if (p->first_slot >= 0)
            r->slot_pats[p->first_slot] |= bit;
        else
            r->plain_pats |= bit;
    }
    r->pats_masked = true;
}

/* The distinct literals of r's patterns and the tables of their last
 * characters.  Without memory the index stays off. */
static void build_literal_index(clean_rules *r)
{
    r->lits = malloc((r->n + 1) * sizeof *r->lits);
    r->lit_end3 = calloc(0x10000 / 8, 1);
    r->lit_step = malloc(0x10000);
    uint8_t *block = calloc(0x10000 / 64, 1);   /* a character of cp >> 6 ends one */
    if (!r->lits || !r->lit_end3 || !r->lit_step || !block) {
        free(r->lits);
        free(r->lit_end3);
        free(r->lit_step);
        free(block);
        r->lits = NULL;
        r->lit_end3 = NULL;
        r->lit_step = NULL;
        return;
    }
    for (size_t i = 0; i < r->n; i++) {
        const clean_pattern *p = &r->patterns[i];
        if (!p->literal)
            continue;
        size_t st;
        uint32_t last = utf8_prev(p->literal, p->literal_len, &st);
        r->lits[r->n_lits++] =
            (struct clean_literal){p->literal, p->literal_len, last, CLEAN_REACH_ANY,
                                   CLEAN_REACH_ANY, false, {0, 0, 0, 0}};
    }
    qsort(r->lits, r->n_lits, sizeof *r->lits, cmp_literal);
    size_t m = 0;
    for (size_t i = 0; i < r->n_lits; i++)
        if (m == 0 || cmp_literal(&r->lits[m - 1], &r->lits[i]) != 0)
            r->lits[m++] = r->lits[i];
    r->n_lits = m;
    for (size_t i = 0; i < r->n_lits; i++) {
        uint32_t c = r->lits[i].last;
        if (c < 0x80)
            r->lit_ascii[c] = true;
        else if (c >= 0x800 && c < 0x10000) {
            r->lit_end3[c >> 3] |= (uint8_t)(1u << (c & 7));
            block[c >> 6] = 1;
        }
        else
            r->lit_other = true;
    }
    /* Direct indexes by character, when they fit a byte. */
    if (r->n_lits < 255)
        r->lit_idx = calloc(0x10000, 1);
    for (size_t k = r->n_lits; r->lit_idx && k-- > 0;)
        if (r->lits[k].last < 0x10000)
            r->lit_idx[r->lits[k].last] = (uint8_t)(k + 1);
    if (r->n_first_cps < 255)
        r->first_idx = calloc(0x10000, 1);
    for (size_t k = 0; r->first_idx && k < r->n_first_cps; k++)
        if (r->first_cps[k].cp < 0x10000)
            r->first_idx[r->first_cps[k].cp] = (uint8_t)(k + 1);
    for (unsigned b = 0; b < 0x10000; b++) {
        /* Indexed by the two bytes b0 b1 as memcpy reads them into a
         * uint16_t, whatever the byte order. */
        unsigned char b0 = (unsigned char)(b & 0xFF), b1 = (unsigned char)(b >> 8);
        uint16_t w;
        memcpy(&w, (const unsigned char[2]){b0, b1}, 2);
        uint8_t step = 0;
        if (b0 < 0x80)
            step = r->lit_ascii[b0] || b0 == '\n' ? 0 : 1;   /* the walk notes lines */
        else if (b0 >= 0xE0 && b0 <= 0xEF && (b1 & 0xC0) == 0x80 &&
                 !block[(b0 & 0x0Fu) << 6 | (b1 & 0x3Fu)])
            step = 3;
        r->lit_step[w] = step;
    }
    /* The blocks where a literal ends get a word of lit_bits each, found
     * through lit_blk by their characters' first two bytes, so the walk
     * steps over those that end none at once.  Without memory (or with
     * more than 255 blocks) the walk decodes them one at a time. */
    size_t nblocks = 0;
    for (unsigned b = 0; b < 0x10000 / 64; b++)
        nblocks += block[b] != 0;
    if (nblocks) {
        r->lit_bits = calloc(nblocks, sizeof *r->lit_bits);
        r->lit_blk = calloc(0x10000, 1);
        if (!r->lit_bits || !r->lit_blk) {
            free(r->lit_bits);
            free(r->lit_blk);
            r->lit_bits = NULL;
            r->lit_blk = NULL;
        }
    }
    for (unsigned b = 0, k = 0; r->lit_blk && b < 0x10000 / 64; b++) {
        if (!block[b] || k >= 255)
            continue;
        for (unsigned c = 0; c < 64; c++) {
            uint32_t cp = b << 6 | c;
            if (r->lit_end3[cp >> 3] >> (cp & 7) & 1u)
                r->lit_bits[k] |= (uint64_t)1 << c;
        }
        /* The block's characters start with the lead byte E0 | b >> 6 and
         * the continuation byte 80 | (b & 63). */
        uint16_t w;
        memcpy(&w, (const unsigned char[2]){(unsigned char)(0xE0 | b >> 6),
                                            (unsigned char)(0x80 | (b & 63))}, 2);
        r->lit_blk[w] = (uint8_t)(k + 1);
        k++;
    }
    free(block);
    for (size_t i = 0; i < r->n; i++) {
        clean_pattern *p = &r->patterns[i];
        if (!p->literal)
            continue;
        for (size_t k = 0; k < r->n_lits; k++)
            if (r->lits[k].len == p->literal_len &&
                memcmp(r->lits[k].text, p->literal, p->literal_len) == 0)
                p->lit_id = k;
    }
    build_pattern_masks(r);
    /* A line pattern that cannot cross a line and reaches at most `reach`
     * bytes before its literal starts its search at least reach bytes back
     * (three more to a character start): from there up to the literal there
     * must be a line start, or apply_pattern skips the occurrence.  A
     * literal whose every pattern is such a one keeps only occurrences that
     * near their line start (the largest reach); any other pattern keeps
     * them all. */
    for (size_t k = 0; k < r->n_lits; k++) {
        size_t most = 0;
        for (size_t i = 0; i < r->n && most != CLEAN_REACH_ANY; i++) {
            const clean_pattern *p = &r->patterns[i];
            if (!p->literal || p->lit_id != k)
                continue;
            if (p->line_start && p->same_line && p->reach < CLEAN_REACH_ANY - 4)
                most = p->reach + 4 > most ? p->reach + 4 : most;
            else
                most = CLEAN_REACH_ANY;
        }
        r->lits[k].line_reach = most;
    }
    for (size_t g = 0, k = 0; k < r->n_lits; k++) {
        if (r->lits[k].last != r->lits[g].last)
            g = k;
        size_t e = r->lits[k].line_reach;
        e = e >= CLEAN_REACH_ANY - r->lits[k].len ? CLEAN_REACH_ANY : e + r->lits[k].len;
        if (g == k || e > r->lits[g].end_reach)
            r->lits[g].end_reach = e;
        size_t st;
        utf8_prev(r->lits[k].text, r->lits[k].len, &st);
        if (st == 0) {
            r->lits[g].one_char = true;
        } else {
            unsigned char b = (unsigned char)r->lits[k].text[st - 1];
            r->lits[g].before[b >> 6] |= (uint64_t)1 << (b & 63);
        }
    }
}

void clean_rules_free(clean_rules *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->patterns[i].id);
        free(r->patterns[i].literal);
        free(r->patterns[i].next_cps);
        rx_free(&r->patterns[i].re);
    }
    free(r->patterns);
    free(r->first_cps);
    free(r->lits);
    free(r->lit_end3);
    free(r->lit_step);
    free(r->lit_bits);
    free(r->lit_blk);
    free(r->lit_idx);
    free(r->first_idx);
    norm_marks_free(&r->marks);
    memset(r, 0, sizeof *r);
}

/* A sentence ends here: after it a line break is a real break. */
static bool sentence_end(uint32_t cp)
{
    switch (cp) {
    case 0x3002: /* 。 */ case '!': case '?': case ';': case ':': case 0x2026: /* … */
    case 0xFF01: case 0xFF1F: case 0xFF1B: case 0xFF1A: case 0x3001: /* 、 */
        return true;
    default:
        return false;
    }
}

/* Chinese numerals as heading numbers use. */
static bool cn_digit(uint32_t cp)
{
    static const char DIGITS[] = "一二三四五六七八九十百零";
    for (size_t i = 0; i < sizeof DIGITS - 1; i += 3) {
        size_t k = i;
        if (utf8_next(DIGITS, sizeof DIGITS - 1, &k) == cp)
            return true;
    }
    return false;
}

/* True when s[a..b) starts with a heading marker: 一、 (一) 1、 1. (1) 第一. */
static bool starts_with_marker(const char *s, size_t a, size_t b)
{
    while (a < b && s[a] == ' ')
        a++;
    if (a >= b)
        return false;
    size_t i = a;
    uint32_t c = utf8_next(s, b, &i);
    if (c == '(') {
        if (i >= b)
            return false;
        c = utf8_next(s, b, &i);
        return cn_digit(c) || (c >= '0' && c <= '9');
    }
    if (c == 0x7B2C) /* 第 */
        return i < b && (cn_digit(utf8_next(s, b, &i)));
    if (cn_digit(c) || (c >= '0' && c <= '9')) {
        while (i < b) {
            size_t j = i;
            uint32_t n = utf8_next(s, b, &j);
            if (!(cn_digit(n) || (n >= '0' && n <= '9')))
                return n == 0x3001 || n == '.' || n == 0xFF0E;
            i = j;
        }
    }
    return false;
}

static size_t line_start_of(const size_t *lines, size_t n, size_t at);

/* Extend the drop [*a, *b) of a page or chunk marker (see CLEAN_JOIN);
 * lines[0..nlines) are the line starts of d->work. */
static void join_extent(const doc *d, const size_t *lines, size_t nlines, size_t *a,
                        size_t *b)
{
    const char *s = d->work;
    size_t len = d->work_len;
    size_t x = *a, y = *b;
    while (x > 0 && s[x - 1] == ' ')
        x--;
    while (y < len && s[y] == ' ')
        y++;
    /* The visible text before and after, across line breaks. */
    size_t p = x;
    while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\n'))
        p--;
    size_t q = y;
    while (q < len && (s[q] == ' ' || s[q] == '\n'))
        q++;
    bool breaks_after = y < q;
    if (p == 0 || q == len) {
        /* At the start or end of the text: nothing to join. */
        *a = x;
        *b = q;
        return;
    }
    size_t ps;
    uint32_t last = utf8_prev(s, p, &ps);
    size_t line_start = line_start_of(lines, nlines, ps);
    bool heading_before = starts_with_marker(s, line_start, p) &&
                          utf8_count(s + line_start, p - line_start) <= CLEAN_HEADING_MAX_CHARS;
    const char *nl = memchr(s + q, '\n', len - q);
    size_t next_eol = nl ? (size_t)(nl - s) : len;
    bool heading_after = breaks_after && starts_with_marker(s, q, next_eol);
    if (!sentence_end(last) && !heading_before && !heading_after) {
        *a = p;      /* one sentence: read through */
        *b = q;
        return;
    }
    if (p < x && breaks_after) {
        /* A real break and the marker on a line of its own: keep the line
         * break that ends the text before, drop the rest up to the next text. */
        size_t k = p;
        while (k < x && s[k] != '\n')
            k++;
        *a = k < x ? k + 1 : x;
        *b = q;
    } else {
        *a = x;
        *b = y;
    }
}

/* Chunk markers: keep the matches only when they count 1, 2, 3 ... */
static void add_chunks(const doc *d, const size_t *lines, size_t nlines, const wspan *m,
                       const long *num, size_t n, wspan_list *out)
{
    if (n < 2)
        return;
    for (size_t i = 0; i < n; i++)
        if (num[i] != (long)i + 1)
            return;
    for (size_t i = 0; i + 1 < n; i++) {
        if (utf8_count(d->work + m[i].end, m[i + 1].start - m[i].end) < CLEAN_CHUNK_MIN_CHARS)
            return;
        /* Two chunks only: the first must be cut in mid-sentence. */
        size_t p = m[i + 1].start, st;
        while (p > m[i].end && (d->work[p - 1] == '\n' || d->work[p - 1] == ' '))
            p--;
        if (n == 2 && sentence_end(utf8_prev(d->work, p, &st)))
            return;
    }
    for (size_t i = 0; i < n; i++) {
        size_t a = m[i].start, b = m[i].end;
        join_extent(d, lines, nlines, &a, &b);
        wspan_list_add(out, a, b);
    }
}

/* A character from U+0080 that \s may match (PCRE2 with UCP): the Unicode
 * spaces, with a few more to be safe. */
static bool wide_space(uint32_t cp)
{
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || cp == 0x180E ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* The character before s[i] may be matched by \s: ASCII spaces and
 * wide_space(). */
static bool space_before(const char *s, size_t i)
{
    unsigned char b = (unsigned char)s[i - 1];
    if (b < 0x80)
        return b == ' ' || (b >= '\t' && b <= '\r');
    size_t st;
    return wide_space(utf8_prev(s, i, &st));
}

/* First occurrence of lit (n > 0 bytes) in s[0..len), or NULL.  Searched
 * by its last byte: in Chinese text a continuation byte is rarer than a
 * lead byte. */
static const char *find_literal(const char *s, size_t len, const char *lit, size_t n)
{
    if (len < n)
        return NULL;
    const char *p = s + n - 1, *end = s + len;
    while (p < end) {
        const char *q = memchr(p, lit[n - 1], (size_t)(end - p));
        if (!q)
            return NULL;
        if (memcmp(q - (n - 1), lit, n - 1) == 0)
            return q - (n - 1);
        p = q + 1;
    }
    return NULL;
}

/* A line start and the first_slot bits of the patterns that may match there. */
typedef struct line_cand {
    size_t at;
    uint64_t mask;
} line_cand;

/* first_mask() for the character at s[at] (at < len): any but ASCII and
 * CJK text (Unicode spaces, letters of other scripts, rare in a report). */
static uint64_t first_mask_other(const clean_rules *r, const char *s, size_t len, size_t at)
{
    size_t k = at;
    uint32_t cp = utf8_next(s, len, &k);
    /* space_before(s, k) of a character from U+0080 (the working text is
     * well-formed: utf8_prev() gives cp back). */
    if (wide_space(cp))
        return r->first_all;
    uint64_t m = r->first_nonascii | (maybe_digit(cp) ? r->first_digit : 0);
    if (r->first_idx && cp < 0x10000) {
        unsigned k1 = r->first_idx[cp];
        return k1 ? m | r->first_cps[k1 - 1].mask : m;
    }
    size_t lo = 0, hi = r->n_first_cps;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->first_cps[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < r->n_first_cps && r->first_cps[lo].cp == cp)
        m |= r->first_cps[lo].mask;
    return m;
}

/* The patterns with a first_slot that may match at the line start `at`:
 * judged by the first character from there that is neither ASCII whitespace
 * nor an ASCII digit (a match holds a visible character, and all before it
 * is passed over).  A character that \s may match (Unicode spaces) gives
 * every pattern.  ASCII and CJK text here, the rest in first_mask_other(). */
static inline uint64_t first_mask(const clean_rules *r, const char *s, size_t len, size_t at)
{
    while (at < len && ascii_skip((unsigned char)s[at]))
        at++;
    if (at == len)
        return 0;
    unsigned char b = (unsigned char)s[at];
    if (b < 0x80)
        return r->first_ascii[b];
    if (b >= 0xE3 && b <= 0xE9 && len - at >= 3 && r->first_idx) {
        /* U+3000..U+9FFF (the working text is well-formed UTF-8): CJK text
         * and punctuation, neither a space (but U+3000) nor a digit to \d. */
        uint32_t c = (uint32_t)(b & 0x0F) << 12 | (uint32_t)((unsigned char)s[at + 1] & 0x3F) << 6 |
                     (uint32_t)((unsigned char)s[at + 2] & 0x3F);
        if (c != 0x3000) {
            unsigned k1 = r->first_idx[c];
            return k1 ? r->first_nonascii | r->first_cps[k1 - 1].mask : r->first_nonascii;
        }
    }
    return first_mask_other(r, s, len, at);
}

/* first_mask() for the line start `at`, without the patterns that cannot
 * match there because the line starts with ASCII whitespace (an empty line
 * too): a match of such a pattern starts at a line start (it begins with
 * ^), its characters before the first visible one match only digits (no
 * item that may match whitespace was passed over: see fset.space), and the
 * first visible ones are no ASCII whitespace (fset_cp() passes those
 * over).  So its first character, here whitespace, can match nothing. */
static inline uint64_t line_mask(const clean_rules *r, const char *s, size_t len, size_t at)
{
    if (at < len && ascii_space((unsigned char)s[at]))
        return first_mask(r, s, len, at) & ~r->first_nospace;
    return first_mask(r, s, len, at);
}

/* Room for this many line starts, candidates and literal occurrences
 * inside clean_doc()'s frame: most reports need no allocation for them. */
#define LINES_INLINE 128
#define CANDS_INLINE 32
#define HITS_INLINE 128
/* ... and the index of the occurrences of this many literals. */
#define LITS_INLINE 63

/* The array p of *cap elements of elem bytes, grown to twice as many: p
 * may be the caller's inline buffer `inline_buf` (then copied out, never
 * reallocated).  NULL when memory ran out (p is then unchanged). */
static void *grow_array(void *p, size_t *cap, size_t elem, const void *inline_buf)
{
    size_t ncap = *cap * 2;
    void *q;
    if (p == inline_buf) {
        q = malloc(ncap * elem);
        if (q)
            memcpy(q, p, *cap * elem);
    } else {
        q = realloc(p, ncap * elem);
    }
    if (q)
        *cap = ncap;
    return q;
}

/* The line starts of a text, and those where some pattern with a
 * first_slot may match (with the bits of those patterns), in order. */
typedef struct line_list {
    size_t *at;           /* every line start (at first at_inline) */
    size_t n, cap;
    line_cand *cand;      /* the candidates among them (at first cand_inline) */
    size_t ncand, capcand;
    size_t at_inline[LINES_INLINE];
    line_cand cand_inline[CANDS_INLINE];
} line_list;

static void line_list_init(line_list *li)
{
    li->at = li->at_inline;
    li->cap = LINES_INLINE;
    li->cand = li->cand_inline;
    li->capcand = CANDS_INLINE;
    li->n = li->ncand = 0;
}

static void line_list_free(line_list *li)
{
    if (li->at != li->at_inline)
        free(li->at);
    if (li->cand != li->cand_inline)
        free(li->cand);
}

/* Add the line start `at` (in order) to li.  An empty text end (after a
 * final '\n') is no candidate: these patterns match a visible character. */
static inline __attribute__((always_inline)) bool line_add(const clean_rules *r, const char *s, size_t len, size_t at,
                            line_list *li)
{
    if (li->n == li->cap) {
        size_t *q = grow_array(li->at, &li->cap, sizeof *q, li->at_inline);
        if (!q)
            return false;
        li->at = q;
    }
    li->at[li->n++] = at;
    if (at >= len)
        return true;
    uint64_t m = r->first_cand ? line_mask(r, s, len, at) & r->first_cand : 0;
    if (m) {
        if (li->ncand == li->capcand) {
            line_cand *q = grow_array(li->cand, &li->capcand, sizeof *q, li->cand_inline);
            if (!q)
                return false;
            li->cand = q;
        }
        li->cand[li->ncand++] = (line_cand){at, m};
    }
    return true;
}

/* One walk over the line starts of the text (when find_literals() does
 * not make the index on its walk). */
static bool line_candidates(const clean_rules *r, const doc *d, line_list *li)
{
    const char *s = d->work;
    size_t len = d->work_len, at = 0;
    for (;;) {
        if (!line_add(r, s, len, at, li))
            return false;
        if (at >= len)
            break;
        const char *nl = memchr(s + at, '\n', len - at);
        if (!nl)
            break;
        at = (size_t)(nl - s) + 1;
    }
    return true;
}

/* Where the literals occur in a document: the start offsets of literal k,
 * in order, are at[first[k] .. first[k + 1]). */
typedef struct lit_hits {
    size_t *at;           /* room when it is large enough, else malloc'd */
    size_t nat;           /* entries at `at` */
    size_t *room;         /* borrowed: the doc's kept array (see clean_run()) */
    size_t roomcap;
    uint64_t occurs;      /* bit l: literal l (< 64) occurs */
    size_t *first;        /* first_inline when the literals fit it */
    size_t first_inline[LITS_INLINE + 1];
} lit_hits;

static void lit_hits_free(lit_hits *h)
{
    if (h->at != h->room)
        free(h->at);
    if (h->first != h->first_inline)
        free(h->first);
}

/* The occurrences find_literals() notes, in the order of the walk: pairs
 * of a literal's index and the start of its occurrence. */
typedef struct hit_list {
    size_t *v;            /* at first v_inline */
    size_t n, cap;
    size_t v_inline[2 * HITS_INLINE];
} hit_list;

/* Record the literals that end with the character ending at e (cp). */
static bool note_literals(const clean_rules *r, const char *s, size_t ls, size_t e,
                          uint32_t cp, hit_list *hl)
{
    size_t lo = 0, hi = r->n_lits;
    if (r->lit_idx && cp < 0x10000) {
        lo = r->lit_idx[cp] ? r->lit_idx[cp] - 1u : r->n_lits;
        hi = lo;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->lits[mid].last < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < r->n_lits && r->lits[lo].last == cp; lo++) {
        const struct clean_literal *l = &r->lits[lo];
        if (l->len > e || (e - l->len >= ls && e - l->len - ls > l->line_reach))
            continue;
        /* The last character is known to match; compare what precedes it. */
        size_t k = l->len, last = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        while (k > last && s[e - l->len + k - last - 1] == l->text[k - last - 1])
            k--;
        if (k > last)
            continue;
        if (hl->n + 2 > hl->cap) {
            size_t *q = grow_array(hl->v, &hl->cap, sizeof *q, hl->v_inline);
            if (!q)
                return false;
            hl->v = q;
        }
        hl->v[hl->n++] = lo;
        hl->v[hl->n++] = e - l->len;
    }
    return true;
}

/* The walk's look at the character at s[i] (i < len), which its fast loop
 * did not pass over: a '\n' starts a line (indexed in li, and the start of
 * the line *ls), a character that ends a literal has its occurrences noted
 * in hl.  Any other character is only stepped over.  Returns the offset
 * after the character; *ok false when memory ran out.  `mark` (a constant
 * at each call) says the character is one of normalize's marks: a
 * three-byte one then ends a literal (the marks' three-byte characters are
 * lit_end3's: see clean_link_charmap()), which is not looked up again. */
static inline __attribute__((always_inline)) size_t
visit_char(const clean_rules *r, const char *s, size_t len, size_t i, size_t *ls, line_list *li,
           hit_list *hl, bool *ok, bool mark)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[i];
    if (c < 0x80) {
        i++;
        if (c == '\n') {
            *ls = i;
            *ok = line_add(r, s, len, i, li);
        }
        if (r->lit_ascii[c] && *ok)
            *ok = note_literals(r, s, *ls, i, c, hl);
    } else if (c - 0xE0u < 0x10u && len - i >= 3) {
        uint32_t cp = (c & 0x0Fu) << 12 | (u[i + 1] & 0x3Fu) << 6 | (u[i + 2] & 0x3Fu);
        i += 3;
        /* Only an occurrence some pattern can use (see line_reach), and
         * only where a literal ending with cp can: cp alone, or after
         * the byte before cp in a longer one (none at the text start). */
        unsigned k1 = r->lit_idx ? r->lit_idx[cp] : 1u;
        const struct clean_literal *g = &r->lits[k1 - 1];
        if ((mark || (r->lit_end3[cp >> 3] >> (cp & 7) & 1u)) &&
            (!r->lit_idx ||
             (i - *ls <= g->end_reach &&
              (g->one_char || (i > 3 && (g->before[u[i - 4] >> 6] >> (u[i - 4] & 63) & 1u))))))
            *ok = note_literals(r, s, *ls, i, cp, hl);
    } else {
        size_t e = i;
        uint32_t cp = utf8_next(s, len, &e);
        i = e;
        if (r->lit_other)
            *ok = note_literals(r, s, *ls, i, cp, hl);
    }
    return i;
}

/* One walk over the characters of the text finds every literal of every
 * pattern: at each character that ends some literal, the literals ending
 * with it are compared.  The working text is well-formed UTF-8 and so is
 * each literal, so an occurrence starts and ends at character boundaries:
 * the walk finds the same occurrences as a byte search.
 * With `marks` (normalize's list of the characters that are a '\n' or end
 * a literal: see clean_link_charmap()), the walk looks at those characters
 * only: the fast loop would pass over every other one, and visit_char()
 * does nothing else at those it stops at but step over them. */
static bool find_literals(const clean_rules *r, const doc *d, const norm_mark_list *marks,
                          lit_hits *h, line_list *li)
{
    h->at = NULL;
    h->occurs = 0;
    if (r->n_lits <= LITS_INLINE) {
        h->first = h->first_inline;
        memset(h->first, 0, (r->n_lits + 1) * sizeof *h->first);
    } else {
        h->first = calloc(r->n_lits + 1, sizeof *h->first);
    }
    if (!h->first)
        return false;
    const char *s = d->work;
    const unsigned char *u = (const unsigned char *)s;
    size_t len = d->work_len, i = 0;
    hit_list hl;
    hl.v = hl.v_inline;
    hl.n = 0;
    hl.cap = 2 * HITS_INLINE;
    bool ok = true;
    const uint8_t *step = r->lit_step;
    const uint8_t *blk = r->lit_blk;
    size_t len3 = len < 2 ? 0 : len - 2;   /* a three-byte character fits before */
    size_t len12 = len3 > 12 ? len3 - 12 : 0;   /* and four of them (12 bytes) before */
    size_t ls = 0;   /* the start of the line of i */
    /* The walk stops at every '\n' (lit_step 0): it indexes the lines too,
     * as line_candidates() would. */
    ok = line_add(r, s, len, 0, li);
    for (size_t k = 0; marks && k < marks->n && ok; k++)
        visit_char(r, s, len, marks->v[k], &ls, li, &hl, &ok, true);
    while (!marks && i < len && ok) {
        /* The common characters in a tight loop: those that surely end no
         * literal, told by their first two bytes. */
        for (;;) {
            uint16_t w;   /* two bytes as the table is indexed (see lit_step) */
            unsigned a;
            while (i < len12) {
                /* Four characters a round: one bound check for them. */
                memcpy(&w, u + i, 2);
                if (!(a = step[w]))
                    goto stopped;
                i += a;
                memcpy(&w, u + i, 2);
                if (!(a = step[w]))
                    goto stopped;
                i += a;
                memcpy(&w, u + i, 2);
                if (!(a = step[w]))
                    goto stopped;
                i += a;
                memcpy(&w, u + i, 2);
                if (!(a = step[w]))
                    goto stopped;
                i += a;
            }
            if (i >= len3)
                break;
            memcpy(&w, u + i, 2);
            if ((a = step[w])) {
                i += a;
                continue;
            }
        stopped:
            /* A three-byte character (i < len3) of a block where a literal
             * ends: one that ends none is stepped over here, as below
             * (lit_bits holds the lit_end3 bits of the block; the third
             * byte is a continuation, cp & 63 in its low bits).  Any other
             * character goes on below. */
            if (blk && blk[w] && !(r->lit_bits[blk[w] - 1] >> (u[i + 2] & 63u) & 1u)) {
                i += 3;
                continue;
            }
            break;
        }
        if (i >= len)
            break;
        i = visit_char(r, s, len, i, &ls, li, &hl, &ok, false);
    }
    /* Group the occurrences by literal, keeping their order: counted into
     * first[l + 1] and summed, first[l] is where literal l's begin; placed
     * with first[l] as the cursor, first[l] ends where l + 1's begin, so
     * the counts move back up by one. */
    size_t n = hl.n;
    if (ok && n) {
        /* Every entry is written below before it is read: the room's old
         * entries do not matter. */
        h->nat = n / 2;
        h->at = h->room && h->roomcap >= h->nat ? h->room : malloc(h->nat * sizeof *h->at);
        ok = h->at != NULL;
    }
    if (ok && n) {   /* (with none, first[] stays all 0) */
        for (size_t k = 0; k < n; k += 2) {
            h->first[hl.v[k] + 1]++;
            h->occurs |= (uint64_t)(hl.v[k] < 64) << (hl.v[k] & 63);
        }
        for (size_t k = 0; k < r->n_lits; k++)
            h->first[k + 1] += h->first[k];
        for (size_t k = 0; k < n; k += 2)
            h->at[h->first[hl.v[k]]++] = hl.v[k + 1];
        memmove(h->first + 1, h->first, r->n_lits * sizeof *h->first);
        h->first[0] = 0;
    }
    if (hl.v != hl.v_inline)
        free(hl.v);
    if (!ok) {
        lit_hits_free(h);
        h->at = h->first = NULL;
    }
    return ok;
}

/* The start of the line holding byte at, from the sorted line starts
 * lines[0..n) of the text (lines[0] == 0). */
static size_t line_start_of(const size_t *lines, size_t n, size_t at)
{
    if (!n)
        return 0;
    /* the first start after at, from lines[1] on; the one before it */
    return lines[offsets_first_from(lines, 1, n, at + 1) - 1];
}

/* The index of line start `at` in lines[0..n) (or of the first after it). */
static size_t line_index(const size_t *lines, size_t n, size_t at)
{
    return offsets_first_from(lines, 0, n, at);
}

/* Whether what follows an occurrence of cp's literal ending at `at` may
 * begin the rest of a match: its first character after ASCII whitespace and
 * digits (passed over, as when a line is judged: see first_mask) is one of
 * next_*, a non-ASCII character \s or \d may match (passed over too), or
 * any one when not known.  The rest needs a visible character: none at the
 * end of the text. */
static bool next_ok(const clean_pattern *cp, const char *s, size_t len, size_t at)
{
    while (at < len && ascii_skip((unsigned char)s[at]))
        at++;
    if (at == len)
        return false;
    unsigned char b = (unsigned char)s[at];
    if (b < 0x80)
        return cp->next_ascii[b >> 6] >> (b & 63) & 1u;
    if (cp->next_nonascii)
        return true;
    size_t k = at;
    uint32_t c = utf8_next(s, len, &k);
    if (wide_space(c) || maybe_digit(c))   /* as in first_mask_other() */
        return true;
    size_t lo = 0, hi = cp->n_next_cps;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp->next_cps[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < cp->n_next_cps && cp->next_cps[lo] == c;
}

/* Whether a search for a match of cp starting at or before the occurrence
 * of its literal at[0] (the next ones at[1 .. n)) can find one: a match
 * holds an occurrence of the literal no more than cp->reach bytes after
 * its start, so one of at[0 .. n) up to at[0] + reach, and what follows
 * that occurrence begins the rest of the pattern (next_ok). */
static bool next_near(const clean_pattern *cp, const doc *d, const size_t *at, size_t n)
{
    for (size_t k = 0; k < n && at[k] - at[0] <= cp->reach; k++)
        if (next_ok(cp, d->work, d->work_len, at[k] + cp->literal_len))
            return true;
    return false;
}

/* Collect the drops of one pattern.  For a pattern with a first_slot, lc
 * lists the line starts to try (the others cannot start a match). */
static bool apply_pattern(const clean_rules *rules, const clean_pattern *cp,
                          rx_scratch *scratch, doc *d, const line_cand *lc, size_t nlc,
                          const size_t *lines, size_t nlines, const lit_hits *lh,
                          wspan_list *out)
{
    size_t ci = 0;   /* next entry of lc */
    /* The occurrences of the literal, when the walk found them. */
    size_t oi = 0, oend = 0;
    if (cp->literal && lh) {
        oi = lh->first[cp->lit_id];
        oend = lh->first[cp->lit_id + 1];
    }
    uint64_t bit = cp->first_slot >= 0 ? (uint64_t)1 << cp->first_slot : 0;
    wspan *chunks = NULL;
    long *nums = NULL;
    size_t nchunks = 0, capchunks = 0;
    bool chunks_dead = false;   /* add_chunks() will keep none */
    bool ok = true;
    size_t pos = 0;
    while (pos <= d->work_len) {
        size_t ms, me, from = pos, lit_at = 0;
        if (cp->literal) {
            /* No match without the literal; none starts further before it
             * than the pattern can reach. */
            size_t at;
            if (lh) {
                while (oi < oend && lh->at[oi] < pos)
                    oi++;
                if (oi == oend)
                    break;
                at = lh->at[oi];
                if (cp->next_known && !next_near(cp, d, lh->at + oi, oend - oi)) {
                    /* No search from here can match: as when it finds none. */
                    pos = at;
                    utf8_next(d->work, d->work_len, &pos);
                    continue;
                }
            } else {
                const char *q = find_literal(d->work + pos, d->work_len - pos, cp->literal,
                                             cp->literal_len);
                if (!q)
                    break;
                at = (size_t)(q - d->work);
            }
            lit_at = at;
            if (cp->reach != CLEAN_REACH_ANY && at - pos > cp->reach)
                from = at - cp->reach;
            if (cp->space_tail) {
                /* Back over the spaces before the literal (every character
                 * \s can match, and a few more), then to their line start. */
                size_t ws = at;
                while (ws > from && space_before(d->work, ws))
                    utf8_prev(d->work, ws, &ws);
                while (ws > from && d->work[ws - 1] != '\n')
                    ws--;
                from = ws;
            }
            if (cp->same_line) {
                size_t ls = line_start_of(lines, nlines, at);
                if (ls > from)
                    from = ls;
            }
            /* With no more than ns_reach bytes from `from` to the literal,
             * the walk below cannot stop before `from`. */
            if (cp->ns_bounded && at - from > cp->ns_reach) {
                /* Back over the spaces before the literal freely and over at
                 * most ns_reach bytes of other characters: a match starting
                 * further back would hold more of them. */
                size_t b = at, budget = cp->ns_reach;
                while (b > from) {
                    /* space_before(d->work, b) of the character just
                     * decoded (it decodes the same one, after a test of
                     * its last byte that ascii_space() repeats). */
                    size_t st;
                    uint32_t c = utf8_prev(d->work, b, &st);
                    if (!(c < 0x80 ? ascii_space(c) : wide_space(c))) {
                        if (b - st > budget)
                            break;
                        budget -= b - st;
                    }
                    b = st;
                }
                if (b > from)
                    from = b;
            }
            while (from > pos && ((unsigned char)d->work[from] & 0xC0) == 0x80)
                from--;
            if (cp->line_start) {
                /* The match starts at a line start in [from, lit_at]: at
                 * the first one, and with none there is no match here. */
                if (from > 0 && d->work[from - 1] != '\n') {
                    const char *nl = memchr(d->work + from, '\n', lit_at - from);
                    from = nl ? (size_t)(nl - d->work) + 1 : lit_at + 1;
                }
                /* With known first visible characters, the first line
                 * start in [from, lit_at] whose first one may begin a
                 * match (a match starts at a line start). */
                if (bit && from <= lit_at) {
                    size_t li = line_index(lines, nlines, from);
                    while (li < nlines && lines[li] <= lit_at &&
                           !(line_mask(rules, d->work, d->work_len, lines[li]) & bit))
                        li++;
                    from = li < nlines ? lines[li] : lit_at + 1;
                }
                if (from > lit_at) {
                    pos = lit_at;
                    utf8_next(d->work, d->work_len, &pos);
                    continue;
                }
            }
        } else if (bit) {
            /* The next line start from pos where a match may start: the
             * search there cannot find one starting further on. */
            while (ci < nlc && (lc[ci].at < pos || !(lc[ci].mask & bit)))
                ci++;
            if (ci == nlc)
                break;
            from = lit_at = lc[ci++].at;
        }
        /* A match holding this occurrence of the literal starts at or before
         * it: the search stops there instead of running on through the text
         * (a match further on holds a later occurrence, searched next). */
        bool limited = cp->literal || bit;
        if (limited)
            pcre2_set_offset_limit(scratch->mctx, lit_at);
        rx_result rr = rx_match(&cp->re, scratch, d->work, d->work_len, from, 0, &ms, &me);
        if (limited)
            pcre2_set_offset_limit(scratch->mctx, PCRE2_UNSET);
        if (rr == RX_LIMIT)
            d->limit_hits++;
        if (rr == RX_NOMATCH && cp->literal && lit_at < d->work_len) {
            pos = lit_at;
            utf8_next(d->work, d->work_len, &pos);
            continue;
        }
        if (rr == RX_NOMATCH && bit)
            continue;   /* the next candidate line */
        if (rr != RX_MATCH)
            break;
        size_t a = ms, b = me;
        switch (cp->scope) {
        case CLEAN_LINE:
            while (a > 0 && d->work[a - 1] != '\n')
                a--;
            while (b < d->work_len && d->work[b] != '\n')
                b++;
            if (b < d->work_len)
                b++;
            wspan_list_add(out, a, b);
            break;
        case CLEAN_REST: {
            /* Remember where the tail went, so the record can say how much
             * text was set aside (never a silent loss). */
            size_t ob = doc_orig_byte(d, a);
            if (ob < d->tail_orig) {
                d->tail_orig = ob;
                d->tail_rule = cp->id;
            }
            wspan_list_add(out, a, d->work_len);
            break;
        }
        case CLEAN_JOIN:
            if (b > a) {
                join_extent(d, lines, nlines, &a, &b);
                wspan_list_add(out, a, b);
            }
            break;
        case CLEAN_CHUNK: {
            size_t gs, ge;
            if (b > a && rx_group(scratch, 1, &gs, &ge)) {
                if (nchunks == capchunks) {
                    capchunks = capchunks ? capchunks * 2 : 32;
                    wspan *q = realloc(chunks, capchunks * sizeof *q);
                    long *r = q ? realloc(nums, capchunks * sizeof *r) : NULL;
                    if (q)
                        chunks = q;
                    if (!q || !r) {
                        ok = false;
                        break;
                    }
                    nums = r;
                }
                chunks[nchunks].start = a;
                chunks[nchunks].end = b;
                nums[nchunks] = strtol(d->work + gs, NULL, 10);
                (void)ge;
                nchunks++;
                /* add_chunks() keeps them all only when they count 1, 2,
                 * 3 ... and stand CLEAN_CHUNK_MIN_CHARS characters apart
                 * (so at least as many bytes): after one that does not,
                 * none is kept, whatever the rest of the text holds. */
                if (nums[nchunks - 1] != (long)nchunks ||
                    (nchunks >= 2 &&
                     chunks[nchunks - 1].start - chunks[nchunks - 2].end < CLEAN_CHUNK_MIN_CHARS))
                    chunks_dead = true;
            }
            break;
        }
        default:
            wspan_list_add(out, a, b);
            break;
        }
        if (!ok || chunks_dead)
            break;
        /* Step past an empty match by one whole character. */
        if (me > ms) {
            pos = me;
        } else if (me < d->work_len) {
            pos = me;
            utf8_next(d->work, d->work_len, &pos);
        } else {
            break;
        }
    }
    if (ok && cp->scope == CLEAN_CHUNK)
        add_chunks(d, lines, nlines, chunks, nums, nchunks, out);
    if (chunks) {   /* a chunk pattern's only: no two free(NULL) calls per pattern */
        free(chunks);
        free(nums);   /* set only after chunks */
    }
    return ok && !out->failed;
}

/* False when apply_pattern() would stop before its first search: a pattern
 * with a literal that the walk found nowhere, or one tried only at the
 * candidate lines of its first_slot when no line is one.  (It then adds no
 * drop and counts no limit hit, so it need not run.) */
static bool may_match(const clean_pattern *cp, const lit_hits *lh, uint64_t cand_any)
{
    if (cp->literal)
        return !lh || lh->first[cp->lit_id] < lh->first[cp->lit_id + 1];
    if (cp->first_slot >= 0)
        return cand_any >> cp->first_slot & 1u;
    return true;
}

/* Keep h's array of occurrences in d for the next input (the doc frees
 * it), unless it is the kept one already or too large; h then no longer
 * holds it. */
static void keep_hits(doc *d, lit_hits *h)
{
    if (!h->at || h->at == h->room || h->nat * sizeof *h->at > DOC_KEEP_BYTES)
        return;
    free(d->kept.hits);
    d->kept.hits = h->at;
    d->kept.hits_cap = h->nat;
    h->at = h->room = NULL;
}

/* clean_doc(), with normalize's marks of the text (NULL: none; see
 * find_literals()). */
static bool clean_run(const clean_rules *rules, rx_scratch *scratch, doc *d,
                      const norm_mark_list *marks)
{
    /* The ranges to drop and the literals' occurrences go in the arrays
     * the doc kept from its last input (see keep_hits()), when they
     * are large enough; the drops start empty, and find_literals() writes
     * every occurrence it reads. */
    wspan_list rs = {d->kept.drops, 0, d->kept.drops_cap, false};
    d->kept.drops = NULL;
    d->kept.drops_cap = 0;
    line_list li;
    line_list_init(&li);
    lit_hits lh;
    lh.at = lh.first = NULL;
    lh.nat = 0;
    lh.room = d->kept.hits;
    lh.roomcap = d->kept.hits_cap;
    bool indexed = rules->lit_end3 && find_literals(rules, d, marks, &lh, &li);
    if (!indexed) {
        /* Without the literal walk (or memory for it), a walk of its own. */
        li.n = li.ncand = 0;
    }
    bool ok = indexed || line_candidates(rules, d, &li);
    uint64_t cand_any = 0;   /* the first_slot bits of some candidate line */
    for (size_t c = 0; c < li.ncand; c++)
        cand_any |= li.cand[c].mask;
    if (indexed && rules->pats_masked) {
        /* may_match() of every pattern at once, from the masks: a pattern
         * of each literal that occurs (lh.occurs: those with occurrences,
         * first[k] < first[k + 1]), of each slot some candidate line has,
         * and those tried always; then the chosen ones in order.  Without
         * a branch per pattern (which of them occur varies from report to
         * report). */
        uint64_t may = rules->plain_pats;
        for (uint64_t o = lh.occurs; o; o &= o - 1)   /* (pats_masked: 64 literals at most) */
            may |= rules->lit_pats[__builtin_ctzll(o)];
        for (uint64_t s = cand_any; s; s &= s - 1)
            may |= rules->slot_pats[__builtin_ctzll(s)];
        for (; may && ok; may &= may - 1) {
            size_t p = (size_t)__builtin_ctzll(may);
            ok = apply_pattern(rules, &rules->patterns[p], scratch, d, li.cand, li.ncand,
                               li.at, li.n, &lh, &rs);
        }
    }
    for (size_t p = 0; p < rules->n && ok && !(indexed && rules->pats_masked); p++)
        if (may_match(&rules->patterns[p], indexed ? &lh : NULL, cand_any))
            ok = apply_pattern(rules, &rules->patterns[p], scratch, d, li.cand, li.ncand,
                               li.at, li.n, indexed ? &lh : NULL, &rs);
    line_list_free(&li);
    keep_hits(d, &lh);
    lit_hits_free(&lh);
    if (ok && rs.n) {
        norm_sort_spans(rs.v, rs.n);
        size_t m = 0;
        for (size_t i = 0; i < rs.n; i++) {
            if (m && rs.v[i].start <= rs.v[m - 1].end) {
                if (rs.v[i].end > rs.v[m - 1].end)
                    rs.v[m - 1].end = rs.v[i].end;
            } else {
                rs.v[m++] = rs.v[i];
            }
        }
        ok = norm_drop_ranges(d, rs.v, m);
    }
    if (rs.cap * sizeof *rs.v <= DOC_KEEP_BYTES) {
        d->kept.drops = rs.v;
        d->kept.drops_cap = rs.cap;
    } else {
        free(rs.v);
    }
    return ok;
}

bool clean_doc(const clean_rules *rules, rx_scratch *scratch, doc *d)
{
    return clean_run(rules, scratch, d, NULL);
}

bool clean_link_charmap(clean_rules *r, const norm_charmap *cm)
{
    norm_marks_free(&r->marks);
    if (!r->lit_end3)
        return false;   /* no literal walk to spare */
    bool ascii[128];
    for (unsigned c = 0; c < 128; c++)
        ascii[c] = r->lit_ascii[c] || c == '\n';
    return norm_marks_init(&r->marks, cm, ascii, r->lit_end3, r->lit_other);
}

/* Room for this many of normalize's marks inside clean_normalize_doc()'s
 * frame (a report holds a few dozen lines and literal ends per kilobyte). */
#define MARKS_INLINE 256

bool clean_normalize_doc(const clean_rules *rules, const norm_charmap *cm, rx_scratch *scratch,
                         doc *d)
{
    if (!cm || rules->marks.cm != cm)
        return normalize_doc_with(cm, d) && clean_doc(rules, scratch, d);
    size_t inline_v[MARKS_INLINE];
    norm_mark_list ml = {inline_v, 0, MARKS_INLINE, inline_v, false};
    bool ok = normalize_doc_marked(&rules->marks, d, &ml) &&
              clean_run(rules, scratch, d, ml.failed ? NULL : &ml);
    if (ml.v != inline_v)
        free(ml.v);
    return ok;
}
