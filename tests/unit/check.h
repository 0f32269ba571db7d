/* check.h -- a small TAP harness for the unit tests.
 *
 *   static void outline_should_skip_sanshi_trap(void) { CHECK(x == 1); }
 *   int main(void) { RUN(outline_should_skip_sanshi_trap); return check_done(); }
 *
 * Each RUN is one TAP test point named by the function (a sentence); a
 * failed CHECK prints the expression, file and line as a TAP comment. */
#ifndef EDX_CHECK_H
#define EDX_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_points;
static int check_failed_points;
static int check_current_failed;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            printf("#   %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);      \
            check_current_failed = 1;                                                 \
        }                                                                             \
    } while (0)

#define CHECK_STR(a, b)                                                               \
    do {                                                                              \
        const char *check_a_ = (a), *check_b_ = (b);                                  \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {              \
            printf("#   %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__,              \
                   check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)");   \
            check_current_failed = 1;                                                 \
        }                                                                             \
    } while (0)

#define CHECK_NUM(a, b)                                                               \
    do {                                                                              \
        double check_x_ = (a), check_y_ = (b);                                        \
        if (!(fabs(check_x_ - check_y_) <= 1e-9 * (fabs(check_y_) + 1))) {            \
            printf("#   %s:%d: %s = %.17g, expected %.17g\n", __FILE__, __LINE__, #a, \
                   check_x_, check_y_);                                               \
            check_current_failed = 1;                                                 \
        }                                                                             \
    } while (0)

#define RUN(fn)                                                                       \
    do {                                                                              \
        check_current_failed = 0;                                                     \
        fn();                                                                         \
        check_points++;                                                               \
        if (check_current_failed)                                                     \
            check_failed_points++;                                                    \
        printf("%s %d - %s\n", check_current_failed ? "not ok" : "ok", check_points, #fn); \
        fflush(stdout);                                                               \
    } while (0)

static inline int check_done(void)
{
    printf("1..%d\n", check_points);
    if (check_failed_points)
        printf("# %d of %d failed\n", check_failed_points, check_points);
    return check_failed_points ? 1 : 0;
}

#endif
