/* outline.h -- stage 5: the numbered-heading tree of one report.
 *
 * Marker families: 一、  (一) (一)、  一)  〔一〕  1、 1. 1． x.  (1) ⑴  1)  ①
 * 第一、 第一,  第一部分 第一章 第一节  第一项: 第一条  指标1: 指标一:
 * (一是/二是 are list items, never sections).  A candidate is a heading only
 * when it continues the open section of its family (n = previous + 1) or,
 * its family not being open, has number 1 and nests under the innermost open
 * section; so levels follow the order in which the report opens families.
 * This rejects traps such as 十八届三、四中全会 and 高二、初二; page-chunk
 * numbers (1、 2、 … at line starts that cut sentences) are dropped.  Headings
 * are found at line starts and inline.  docs/OUTLINE.md has every rule.
 *
 *   "一、基本情况\n(一)师资队伍\n…" → sections: 一、 level 1 "基本情况",
 *                                    (一) level 2 "师资队伍", parent 0 */
#ifndef EDX_OUTLINE_H
#define EDX_OUTLINE_H

#include <stdbool.h>

#include "doc.h"

/* Parse the headings of report r (its extent in d->work) into r->sections,
 * in text order with parent links, levels 1..DOC_MAX_DEPTH.  Linear in the
 * report's length.  At DOC_MAX_SECTIONS it stops adding headings (the caller
 * adds the check "section_limit").  False only when memory ran out. */
bool outline_parse(const doc *d, report *r);

/* Innermost section of r that holds working offset w, or -1.  O(log n):
 * a binary search over the section starts, then up the parents. */
int outline_section_at(const report *r, size_t w);

#endif
