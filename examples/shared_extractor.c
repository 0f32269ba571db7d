/* shared_extractor.c -- one extractor, many threads.
 *
 *   shared_extractor RULES_DIR THREADS FILE...
 *
 * An edx_extractor is immutable once made: any number of threads may call
 * edx_extract_* on it at once, each getting results of its own.  This program
 * extracts every FILE once in the main thread, then again from THREADS
 * threads at the same time (each thread does every file, starting at a
 * different one), and checks that every thread rendered exactly the same
 * JSON.  Every other thread takes the records one at a time from
 * edx_extract_file_each() instead of a result.  It prints "same output
 * from N threads" and exits 0, or names the first difference and exits 1.
 * The test suite runs it. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eduextract.h>

typedef struct job {
    const edx_extractor *ex;
    char **files;
    int nfiles, first;
    bool each;     /* through edx_extract_file_each() */
    char **json;   /* one text per file: all its records, one per line */
} job;

/* All records of one file as one text (malloc'd), or NULL (also when the
 * borrowed text of a record is not the text edx_result_json copies). */
static char *render(const edx_extractor *ex, const char *path)
{
    edx_result *res = NULL;
    edx_extract_file(ex, path, NULL, &res);
    if (!res)
        return NULL;
    size_t len = 0;
    char *all = calloc(1, 1);
    for (size_t r = 0; all && r < edx_result_count(res); r++) {
        char *js = edx_result_json(res, r, 0);
        size_t n = js ? strlen(js) : 0, vn = 0;
        const char *view = edx_result_json_view(res, r, &vn);
        bool same = js && view && vn == n && memcmp(view, js, n) == 0;
        char *q = same ? realloc(all, len + n + 2) : NULL;
        if (!q) {
            free(all);
            all = NULL;
        } else {
            all = q;
            memcpy(all + len, js, n);
            len += n;
            all[len++] = '\n';
            all[len] = '\0';
        }
        edx_free(js);
    }
    edx_result_free(res);
    return all;
}

typedef struct text {
    char *p;
    size_t len;
} text;

/* edx_extract_file_each's callback: append the record's compact JSON and a
 * newline to the text; nonzero (stop) when memory ran out. */
static int append_record(void *user, edx_result *one)
{
    text *t = user;
    size_t n = 0;
    const char *view = edx_result_json_view(one, 0, &n);
    char *q = view ? realloc(t->p, t->len + n + 2) : NULL;
    if (!q)
        return 1;
    t->p = q;
    memcpy(t->p + t->len, view, n);
    t->len += n;
    t->p[t->len++] = '\n';
    t->p[t->len] = '\0';
    return 0;
}

/* render()'s text, each record taken as it is made. */
static char *render_each(const edx_extractor *ex, const char *path)
{
    text t = {calloc(1, 1), 0};
    if (t.p && edx_extract_file_each(ex, path, NULL, append_record, &t) == EDX_ERR_STOPPED) {
        free(t.p);
        return NULL;
    }
    return t.p;
}

static void *run(void *arg)
{
    job *j = arg;
    for (int k = 0; k < j->nfiles; k++) {
        int i = (j->first + k) % j->nfiles;
        j->json[i] = j->each ? render_each(j->ex, j->files[i]) : render(j->ex, j->files[i]);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s RULES_DIR THREADS FILE...\n", argv[0]);
        return 2;
    }
    int nthreads = atoi(argv[2]);
    if (nthreads < 1 || nthreads > 64) {
        fprintf(stderr, "THREADS: 1 to 64\n");
        return 2;
    }
    edx_extractor *ex = NULL;
    if (edx_extractor_new(argv[1], &ex, NULL) != EDX_OK) {
        fprintf(stderr, "%s: cannot load the rules\n", argv[1]);
        return 2;
    }
    int nfiles = argc - 3;
    job *jobs = calloc((size_t)nthreads + 1, sizeof *jobs);
    pthread_t *tid = calloc((size_t)nthreads, sizeof *tid);
    int rc = jobs && tid ? 0 : 2;
    for (int t = 0; rc == 0 && t <= nthreads; t++) {
        jobs[t] = (job){ex, argv + 3, nfiles, t % nfiles, t < nthreads && t % 2 == 1,
                        calloc((size_t)nfiles, sizeof(char *))};
        if (!jobs[t].json)
            rc = 2;
    }
    if (rc == 0) {
        run(&jobs[nthreads]); /* the reference, made alone */
        int started = 0;
        while (started < nthreads && pthread_create(&tid[started], NULL, run, &jobs[started]) == 0)
            started++;
        for (int t = 0; t < started; t++)
            pthread_join(tid[t], NULL);
        if (started < nthreads)
            rc = 2;
    }
    for (int t = 0; rc == 0 && t < nthreads; t++) {
        for (int i = 0; i < nfiles; i++) {
            const char *a = jobs[t].json[i], *b = jobs[nthreads].json[i];
            if (!a || !b || strcmp(a, b) != 0) {
                fprintf(stderr, "thread %d%s: %s differs from the single-threaded output\n", t,
                        jobs[t].each ? " (edx_extract_file_each)" : "", argv[3 + i]);
                rc = 1;
                break;
            }
        }
    }
    if (rc == 0)
        printf("same output from %d threads over %d file(s)\n", nthreads, nfiles);
    for (int t = 0; jobs && t <= nthreads; t++) {
        for (int i = 0; jobs[t].json && i < nfiles; i++)
            free(jobs[t].json[i]);
        free(jobs[t].json);
    }
    free(jobs);
    free(tid);
    edx_extractor_free(ex);
    return rc;
}
