/* test_split_paths.c -- split reads the same lines (bounds, characters,
 * title lines), the same reports and the same metadata with its AVX2 line
 * walk as without
 * (line_end_avx2() against line_end()): random lines of ASCII, Han, two-
 * and four-byte characters, spaces and bullets, of every length around the
 * 64-byte blocks, and lines longer than the walk's 127-block count. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decode.h"
#include "doc.h"
#include "normalize.h"
#include "split.h"
#include "test_input_common.h"
#include "test_rand.h"
#include "text.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static unsigned rnd(unsigned n)
{
    return (unsigned)(xorshift64(&rng_state) % n);
}

/* Append one character or word to t at n. */
static size_t put_piece(char *t, size_t n)
{
    static const char *const pieces[] = {"学", "校", "总结", "报告", "篇1", "篇2", "a", "9", " ",
                                         "-", "•", "·", "😀", "，", "。", "2020年5月1日", "教育局"};
    const char *p = pieces[rnd(sizeof pieces / sizeof *pieces)];
    size_t l = strlen(p);
    memcpy(t + n, p, l);
    return n + l;
}

static bool same_split(const char *t, size_t n)
{
    doc *d[2];
    split_lines ls[2];
    bool ok = true;
    for (int w = 0; w < 2; w++) {
        d[w] = doc_new("t");
        d[w]->work = malloc(n + 1);
        memcpy(d[w]->work, t, n);
        d[w]->work[n] = '\0';
        d[w]->work_len = n;
        d[w]->use_avx2 = w == 0 && text_avx2_wanted();
        ok = ok && split_doc_lines(d[w], &ls[w]);
    }
    ok = ok && ls[0].n == ls[1].n && d[0]->nreports == d[1]->nreports;
    for (size_t i = 0; ok && i < ls[0].n; i++) {
        const struct split_line *x = &ls[0].v[i], *y = &ls[1].v[i];
        ok = x->a == y->a && x->b == y->b && x->chars == y->chars && x->title == y->title &&
             x->series == y->series && x->chars == utf8_count(t + x->a, x->b - x->a);
    }
    for (size_t i = 0; ok && i < d[0]->nreports; i++)
        ok = d[0]->reports[i].extent.start == d[1]->reports[i].extent.start &&
             d[0]->reports[i].extent.end == d[1]->reports[i].extent.end;
    for (int w = 0; w < 2; w++) {
        split_lines_free(&ls[w]);
        doc_free(d[w]);
    }
    return ok;
}

static void split_paths_should_read_the_same_lines(void)
{
    size_t cap = 40000;
    char *t = malloc(cap);
    size_t fails = 0;
    for (int round = 0; round < 3000; round++) {
        size_t n = 0, lines = 1 + rnd(12);
        for (size_t k = 0; k < lines && n < cap - 20000; k++) {
            size_t len = rnd(8) == 0 ? rnd(12000) : rnd(200);
            size_t start = n;
            while (n - start < len)
                n = put_piece(t, n);
            if (rnd(6))
                t[n++] = '\n';
        }
        fails += !same_split(t, n);
    }
    CHECK(fails == 0);
    free(t);
}

static void split_paths_should_end_lines_at_every_offset(void)
{
    /* A line break at each offset of three blocks, after Han text and
     * after text with a two-byte character in it. */
    char t[400];
    size_t fails = 0;
    for (int kind = 0; kind < 2; kind++)
        for (size_t at = 0; at < 200; at++) {
            size_t n = 0;
            if (kind)
                n = (size_t)(memcpy(t, "·", 2), 2);
            while (n + 3 <= at) {
                memcpy(t + n, "学", 3);
                n += 3;
            }
            while (n < at)
                t[n++] = 'x';
            t[n++] = '\n';
            while (n + 3 <= 390) {
                memcpy(t + n, "校", 3);
                n += 3;
            }
            fails += !same_split(t, n);
        }
    CHECK(fails == 0);
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The whole of split, metadata too, on a decoded and normalized text. */
static bool same_metadata(const char *text)
{
    doc *d[2];
    split_lines ls[2];
    bool ok = true;
    for (int w = 0; w < 2; w++) {
        d[w] = doc_from(text);
        ok = ok && d[w] && normalize_doc(d[w]);
        if (d[w])
            d[w]->use_avx2 = w == 0 && text_avx2_wanted();
        ls[w] = (split_lines){NULL, 0};
        ok = ok && split_doc_lines(d[w], &ls[w]);
        for (size_t i = 0; ok && i < d[w]->nreports; i++)
            ok = split_metadata_in(d[w], &ls[w], &d[w]->reports[i]);
    }
    ok = ok && d[0]->nreports == d[1]->nreports;
    for (size_t i = 0; ok && i < d[0]->nreports; i++) {
        const report *x = &d[0]->reports[i], *y = &d[1]->reports[i];
        ok = same_str(x->title, y->title) && same_str(x->organization, y->organization) &&
             same_str(x->period, y->period) && same_str(x->date, y->date) && x->year == y->year;
    }
    for (int w = 0; w < 2; w++) {
        split_lines_free(&ls[w]);
        doc_free(d[w]);
    }
    return ok;
}

static void split_paths_should_find_the_same_metadata(void)
{
    static const char *const words[] = {"某县", "教育局", "2021年", "上半年", "学年度", "第一季度",
                                        "工作", "总结", "汇报材料", "报告", "合集", "精选",
                                        "篇", "3", "学校", "，", "。", "(摘要)", "计划",
                                        "2022年3月5日", "全年", "小学", "方案",
                                        "我校认真落实上级部署，扎实推进各项工作，办学条件明显改善"};
    char t[8000];
    size_t fails = 0;
    for (int round = 0; round < 3000; round++) {
        size_t n = 0, k = 1 + rnd(160);
        for (size_t j = 0; j < k && n < sizeof t - 100; j++) {
            if (rnd(12) == 0) {
                t[n++] = '\n';
                continue;
            }
            const char *w = words[rnd(sizeof words / sizeof *words)];
            size_t l = strlen(w);
            memcpy(t + n, w, l);
            n += l;
        }
        t[n] = '\0';
        fails += !same_metadata(t);
    }
    CHECK(fails == 0);
}

int main(void)
{
    RUN(split_paths_should_find_the_same_metadata);
    RUN(split_paths_should_read_the_same_lines);
    RUN(split_paths_should_end_lines_at_every_offset);
    return check_done();
}
