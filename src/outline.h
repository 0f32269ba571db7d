/* outline.h -- stage 5: the numbered-heading tree of one report.
 *
 * Marker families: 一、  (一)/（一）  1、 1. 1．  (1)/（1）  ①  第一/第一部分 …
 * Levels are assigned per report in the order families first appear.  A
 * candidate is a heading only when it continues the sequence at its level
 * or opens a new sub-sequence (its number is 1) under a new parent, which
 * rejects traps such as 十八届三、四中全会 and 高二、初二.
 *
 *   "一、基本情况\n(一)师资队伍\n…" → sections: 一、 level 1 "基本情况",
 *                                    (一) level 2 "师资队伍", parent 0 */
#ifndef EDX_OUTLINE_H
#define EDX_OUTLINE_H

#include <stdbool.h>

#include "doc.h"

/* Parse the headings of report r (its extent in d->work) into r->sections,
 * in text order with parent links.  Hitting DOC_MAX_SECTIONS adds the check
 * "section_limit".  False when memory ran out. */
bool outline_parse(const doc *d, report *r);

/* Innermost section of r that holds working offset w, or -1. */
int outline_section_at(const report *r, size_t w);

#endif
