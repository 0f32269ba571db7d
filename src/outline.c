/* outline.c -- numbered-heading tree.
 *
 * First version: line-start headings of the families 一、 and (一), with
 * sequence continuity.  (Issue 4 brings every family and inline headings.) */
#include "outline.h"

#include <string.h>

static int cn_digit(uint32_t cp)
{
    static const uint32_t digits[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                      0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};
    for (int i = 0; i < 10; i++)
        if (digits[i] == cp)
            return i + 1;
    return 0;
}

int outline_section_at(const report *r, size_t w)
{
    int best = -1;
    for (size_t i = 0; i < r->nsections; i++)
        if (r->sections[i].extent.start <= w && w < r->sections[i].extent.end)
            best = (int)i;
    return best;
}

/* Marker at line start: family 0 = 一、, family 1 = (一).  Returns the
 * number (1..10) and the marker end, or 0. */
static int marker_at(const char *s, size_t len, size_t pos, int *family, size_t *mend)
{
    size_t i = pos;
    if (i < len && s[i] == '(') {
        i++;
        int n = cn_digit(utf8_next(s, len, &i));
        if (n && i < len && s[i] == ')') {
            *family = 1;
            *mend = i + 1;
            return n;
        }
        return 0;
    }
    int n = cn_digit(utf8_next(s, len, &i));
    if (n && i + 3 <= len && memcmp(s + i, "、", 3) == 0) {
        *family = 0;
        *mend = i + 3;
        return n;
    }
    return 0;
}

bool outline_parse(const doc *d, report *r)
{
    const char *s = d->work;
    size_t end = r->extent.end;
    int family_level[2] = {0, 0};
    int next_level = 1;
    int last_num[2] = {0, 0};
    int open[DOC_MAX_DEPTH + 1];
    for (int i = 0; i <= DOC_MAX_DEPTH; i++)
        open[i] = -1;
    size_t pos = r->extent.start;
    while (pos < end) {
        size_t i = pos;
        while (i < end && s[i] == ' ')
            i++;
        int fam;
        size_t mend;
        int n = marker_at(s, end, i, &fam, &mend);
        if (n) {
            int lvl = family_level[fam] ? family_level[fam] : next_level;
            bool parent_ok = lvl == 1 || open[lvl - 1] >= 0;
            int prev = last_num[fam];
            if (parent_ok && (n == prev + 1 || n == 1) && lvl <= DOC_MAX_DEPTH) {
                if (!family_level[fam]) {
                    family_level[fam] = lvl;
                    next_level++;
                }
                section *sec = report_add_section(r);
                if (!sec)
                    return r->nsections >= DOC_MAX_SECTIONS;
                int idx = (int)r->nsections - 1;
                sec->level = lvl;
                sec->parent = lvl > 1 ? open[lvl - 1] : -1;
                sec->marker.start = i;
                sec->marker.end = mend;
                size_t t = mend;
                while (t < end && s[t] == ' ')
                    t++;
                size_t te = t;
                while (te < end && s[te] != '\n' && !strchr(";:!?", s[te]) &&
                       memcmp(s + te, "。", 3) != 0 && memcmp(s + te, "；", 3) != 0)
                    te++;
                sec->title.start = t;
                sec->title.end = te;
                sec->extent.start = i;
                sec->extent.end = end;
                for (int l = lvl; l <= DOC_MAX_DEPTH; l++) {
                    if (open[l] >= 0)
                        r->sections[open[l]].extent.end = i;
                    open[l] = -1;
                }
                open[lvl] = idx;
                last_num[fam] = n;
                for (int f = 0; f < 2; f++)
                    if (family_level[f] > lvl)
                        last_num[f] = 0;
            }
        }
        while (pos < end && s[pos] != '\n')
            pos++;
        pos++;
    }
    return true;
}
