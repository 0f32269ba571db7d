/* test_outline_paths.c -- outline_parse() gives the same outline on each of
 * its scan paths: the checked scan (text not known to be well-formed), the
 * plain-character skip for well-formed text, and that skip's AVX2 blocks
 * (taken when the doc says so, d->use_avx2, and the processor has AVX2).
 * The texts are made of every kind of marker, the characters the AVX2
 * filter lets through without being markers (〈 坑), common characters
 * that share bytes with the Chinese digits (不 中 园), digits glued to
 * numbers, digits and x before each separator the blocks' digit test looks
 * for (、 . ． ) ）) and before bytes that share a nibble or a lead byte with
 * them (# / 。 ，), spaces and line breaks, put at every offset by random
 * lengths. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "doc.h"
#include "outline.h"
#include "test_rand.h"
#include "text.h"

/* The outline of text[from, to) on one path, as "level start-end marker-end title|…". */
static char *outline_on(const char *text, size_t from, size_t to, bool valid, bool avx2)
{
    doc *d = doc_new("test");
    char *out = NULL;
    if (!d)
        return NULL;
    d->work = strdup(text);
    d->work_len = strlen(text);
    d->work_valid = valid;
    d->use_avx2 = avx2 && text_avx2_wanted();
    d->reports = calloc(1, sizeof *d->reports);
    if (!d->work || !d->reports)
        goto done;
    d->nreports = 1;
    d->reports[0].extent.start = from;
    d->reports[0].extent.end = to;
    if (!outline_parse(d, &d->reports[0]))
        goto done;
    const report *r = &d->reports[0];
    size_t cap = 64 + r->nsections * 64, n = 0;
    out = malloc(cap);
    if (!out)
        goto done;
    out[0] = '\0';
    for (size_t i = 0; i < r->nsections; i++) {
        const section *s = &r->sections[i];
        int w = snprintf(out + n, cap - n, "%d %zu-%zu %zu %zu-%zu %d|", s->level, s->extent.start,
                         s->extent.end, s->marker.end, s->title.start, s->title.end, s->parent);
        if (w < 0 || (size_t)w >= cap - n)
            break;
        n += (size_t)w;
    }
done:
    doc_free(d);
    return out;
}

static const char *const pieces[] = {
    "一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、", "十一、",
    "二十、", "(一)", "（二）", "(三)、", "〔四〕", "五)", "六.", "1.", "2、", "3．", "4)",
    "（5）", "(6)", "⑴", "⑵", "①", "②", "⒈", "⒛", "x.", "X.", "第一、", "第二章", "第三节",
    "第四部分", "第五项:", "第六条：", "第1,", "指标1:", "指标二：", "指标3、", "一是", "统一",
    "高二、", "初一", "十八届三、四中全会", "2023年", "1.2022年", "12", "3.5", "100%", "1:17.3",
    "如下:", "工作报告", "基本情况", "不", "中", "园", "坑", "〈", "丁", "乌", "卑", "照", "，",
    "。", "；", "！", "？", "：", "、", "”", "）", "·", "\xC3\xA9", "\xF0\x9F\x98\x80", "a", "b",
    "Q", "(", ")", ".", " ", "\t", "\xE3\x80\x80", "\n", "\n", "\n",
    /* digits the AVX2 blocks drop or keep by what follows them */
    "10、", "11.", "12)", "13）", "14．", "123.", "5项", "6院", "7。", "8，", "9/", "0#", "ab1.",
    "1 2.", "(12)", "1", "2", "3", "xx、", "Xx.", "xxx.", "ax.", "x)", "1x.", "x1.", "x", "X",
    "(四)", "(十一)", "(八)、", "(a)", "(不", "(园",
};

/* A small deterministic generator (xorshift), so failures reproduce. */
static uint32_t rng_state = 2463534242u;

static uint32_t rng(void)
{
    return xorshift32(&rng_state);
}

static void outline_should_be_the_same_on_every_scan_path(void)
{
    char text[8192];
    size_t npieces = sizeof pieces / sizeof pieces[0];
    int differ = 0;
    for (int round = 0; round < 4000 && differ < 5; round++) {
        size_t n = 0, want = rng() % 3000;
        while (n < want) {
            const char *p = pieces[rng() % npieces];
            size_t len = strlen(p);
            if (n + len >= sizeof text)
                break;
            memcpy(text + n, p, len);
            n += len;
        }
        text[n] = '\0';
        /* Every other round, a report that starts and ends at line
         * starts inside the text, as the reports of a volume do. */
        size_t from = 0, to = n;
        if (round % 2) {
            const char *a = strchr(text + rng() % (n + 1), '\n');
            from = a ? (size_t)(a + 1 - text) : 0;
            const char *b = strchr(text + from + rng() % (n - from + 1), '\n');
            to = b ? (size_t)(b + 1 - text) : n;
        }
        char *checked = outline_on(text, from, to, false, false);
        char *plain = outline_on(text, from, to, true, false);
        char *avx2 = outline_on(text, from, to, true, true);
        CHECK(checked && plain && avx2);
        if (checked && plain && avx2 && (strcmp(checked, plain) != 0 || strcmp(plain, avx2) != 0)) {
            printf("#   round %d differs (report %zu-%zu):\n#   text %s\n#   checked %s\n#   plain "
                   "%s\n#   avx2 %s\n",
                   round, from, to, text, checked, plain, avx2);
            check_current_failed = 1;
            differ++;
        }
        free(checked);
        free(plain);
        free(avx2);
    }
}

/* Page chunks: "2、" right after a line of 40 characters or more that
 * stops in mid-sentence is a page number, and takes "1、" with it; after a
 * shorter line both are headings.  The line is made of characters of one
 * to four bytes and spaces of each kind (not counted), so that its length
 * falls on every side of 40 and its bytes on every offset of a block. */
static void outline_should_measure_cut_lines_the_same_on_every_scan_path(void)
{
    static const char *const chars[] = {"教", "育", "a", "7", "\xC3\xA9", "\xF0\x9F\x98\x80", "，",
                                        " ", "\t", "\xE3\x80\x80", "\xC2\xA0", "\xE3\x80\x81"};
    size_t nchars = sizeof chars / sizeof chars[0];
    char text[4096];
    int kept = 0, dropped = 0, differ = 0;
    for (int round = 0; round < 3000 && differ < 5; round++) {
        size_t n = 0;
        const char *head = "一、概况\n前言\n1、学校\n";
        memcpy(text + n, head, strlen(head));
        n += strlen(head);
        for (size_t k = rng() % 40; k > 0; k--) /* the previous line: its offset */
            text[n++] = 'b';
        text[n++] = '\n';
        size_t want = 30 + rng() % 25;
        for (size_t k = 0; k < want; k++) {
            const char *c = chars[rng() % nchars];
            memcpy(text + n, c, strlen(c));
            n += strlen(c);
        }
        const char *tail = "学生\n2、教师\n";
        memcpy(text + n, tail, strlen(tail) + 1);
        n += strlen(tail);
        char *checked = outline_on(text, 0, n, false, false);
        char *plain = outline_on(text, 0, n, true, false);
        char *avx2 = outline_on(text, 0, n, true, true);
        CHECK(checked && plain && avx2);
        if (checked && plain && avx2 && (strcmp(checked, plain) != 0 || strcmp(plain, avx2) != 0)) {
            printf("#   round %d differs:\n#   text %s\n#   checked %s\n#   plain %s\n#   avx2 %s\n",
                   round, text, checked, plain, avx2);
            check_current_failed = 1;
            differ++;
        }
        if (checked && strchr(checked, '|') && strchr(strchr(checked, '|') + 1, '|'))
            kept++;
        else
            dropped++;
        free(checked);
        free(plain);
        free(avx2);
    }
    CHECK(kept > 100 && dropped > 100); /* both sides of the limit were tried */
}

int main(void)
{
    RUN(outline_should_be_the_same_on_every_scan_path);
    RUN(outline_should_measure_cut_lines_the_same_on_every_scan_path);
    return check_done();
}
