/* extract.c -- the public API: the pipeline from bytes to records.
 *
 *   decode → normalize → clean → split → (per report) metadata → outline →
 *   match (numbers, rules) → audit → emit
 *
 * Each input is processed on its own doc, turned into cJSON records and
 * freed, so memory is bounded by the largest single input. */
#include "eduextract.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit.h"
#include "clean.h"
#include "decode.h"
#include "diag.h"
#include "doc.h"
#include "emit.h"
#include "match.h"
#include "normalize.h"
#include "outline.h"
#include "rules.h"
#include "split.h"

struct edx_extractor {
    rules *rules;
};

struct edx_result {
    cJSON **records;
    size_t n;
    int failed;
};

static const char *const STATUS_TEXT[EDX_STATUS_COUNT] = {
    [EDX_OK] = "success",
    [EDX_ERR_NOMEM] = "out of memory",
    [EDX_ERR_IO] = "cannot read the input",
    [EDX_ERR_ENCODING] = "unsupported or unknown character encoding",
    [EDX_ERR_RULES] = "the rules have errors",
    [EDX_ERR_LIMIT] = "the input exceeds a limit",
    [EDX_ERR_ARG] = "invalid argument",
    [EDX_ERR_BINARY] = "the input is binary data, not text",
};

/* Stable codes of error records, one per status. */
static const char *const STATUS_CODE[EDX_STATUS_COUNT] = {
    [EDX_OK] = "ok",
    [EDX_ERR_NOMEM] = "out_of_memory",
    [EDX_ERR_IO] = "io_error",
    [EDX_ERR_ENCODING] = "bad_encoding",
    [EDX_ERR_RULES] = "rules_error",
    [EDX_ERR_LIMIT] = "too_large",
    [EDX_ERR_ARG] = "bad_argument",
    [EDX_ERR_BINARY] = "binary_input",
};

const char *edx_strerror(edx_status st)
{
    if ((unsigned)st >= EDX_STATUS_COUNT)
        return "unknown status";
    return STATUS_TEXT[st];
}

void edx_free(void *p)
{
    free(p);
}

const char *edx_version(void)
{
    return EDX_VERSION;
}

edx_status edx_extractor_new(const char *rules_dir, edx_extractor **out, char **diagnostics)
{
    if (out)
        *out = NULL;
    if (diagnostics)
        *diagnostics = NULL;
    if (!rules_dir || !out)
        return EDX_ERR_ARG;
    edx_extractor *ex = calloc(1, sizeof *ex);
    if (!ex)
        return EDX_ERR_NOMEM;
    diag d = DIAG_INIT;
    ex->rules = rules_load(rules_dir, &d);
    if (!ex->rules) {
        edx_status st = d.errors ? EDX_ERR_RULES : EDX_ERR_NOMEM;
        if (diagnostics)
            *diagnostics = buf_take(&d.text);
        diag_free(&d);
        free(ex);
        return st;
    }
    diag_free(&d);
    *out = ex;
    return EDX_OK;
}

void edx_extractor_free(edx_extractor *ex)
{
    if (!ex)
        return;
    rules_free(ex->rules);
    free(ex);
}

const char *edx_extractor_rules_dir(const edx_extractor *ex)
{
    return ex && ex->rules ? ex->rules->dir : NULL;
}

/* ----- results ----- */

static edx_result *result_new(void)
{
    return calloc(1, sizeof(edx_result));
}

static bool result_push(edx_result *res, cJSON *rec)
{
    if (!rec)
        return false;
    cJSON **p = realloc(res->records, (res->n + 1) * sizeof *p);
    if (!p) {
        cJSON_Delete(rec);
        return false;
    }
    res->records = p;
    res->records[res->n++] = rec;
    return true;
}

void edx_result_free(edx_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n; i++)
        cJSON_Delete(res->records[i]);
    free(res->records);
    free(res);
}

size_t edx_result_count(const edx_result *res)
{
    return res ? res->n : 0;
}

int edx_result_failed(const edx_result *res)
{
    return res ? res->failed : 1;
}

const char *edx_result_error(const edx_result *res)
{
    if (!res || !res->failed || res->n == 0)
        return NULL;
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(res->records[0], "error");
    const cJSON *msg = err ? cJSON_GetObjectItemCaseSensitive(err, "message") : NULL;
    return cJSON_IsString(msg) ? msg->valuestring : NULL;
}

char *edx_result_json(const edx_result *res, size_t i, int flags)
{
    if (!res || i >= res->n)
        return NULL;
    return (flags & EDX_JSON_PRETTY) ? cJSON_Print(res->records[i])
                                     : cJSON_PrintUnformatted(res->records[i]);
}

const char *edx_csv_header(void)
{
    return emit_csv_header;
}

char *edx_result_csv(const edx_result *res)
{
    buf out = BUF_INIT;
    for (size_t i = 0; res && i < res->n; i++)
        emit_csv_rows(res->records[i], &out);
    return buf_take(&out);
}

static size_t array_size(const cJSON *o, const char *key)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
    return a ? (size_t)cJSON_GetArraySize(a) : 0;
}

void edx_result_counts(const edx_result *res, edx_counts *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; res && i < res->n; i++) {
        const cJSON *rec = res->records[i];
        if (cJSON_GetObjectItemCaseSensitive(rec, "error"))
            continue;
        out->reports++;
        out->figures += array_size(rec, "indicators");
        out->checks += array_size(rec, "checks");
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(rec, "stats");
        const cJSON *v = st ? cJSON_GetObjectItemCaseSensitive(st, "sections") : NULL;
        out->sections += v ? (size_t)v->valuedouble : 0;
        v = st ? cJSON_GetObjectItemCaseSensitive(st, "redacted") : NULL;
        out->redacted += v ? (size_t)v->valuedouble : 0;
    }
}

/* ----- the pipeline ----- */

static edx_status fail_with(edx_result *res, const char *path, edx_status st,
                            const char *detail)
{
    char msg[1024];
    if (detail)
        snprintf(msg, sizeof msg, "%s: %s: %s", path, edx_strerror(st), detail);
    else
        snprintf(msg, sizeof msg, "%s: %s", path, edx_strerror(st));
    res->failed = 1;
    if (!result_push(res, emit_error_record(path, STATUS_CODE[st], msg)))
        return EDX_ERR_NOMEM;
    return st;
}

/* Per-report stages after the split. */
static bool process_report(const rules *ru, rx_scratch *scratch, doc *d, report *r)
{
    if (!split_metadata(d, r) || !outline_parse(d, r) || !match_report(ru, scratch, d, r))
        return false;
    if (d->replaced &&
        !report_add_check(r, "decode_replaced", SEV_WARNING,
                          "%zu invalid byte sequence(s) in the %s input were replaced by U+FFFD.",
                          d->replaced, d->encoding))
        return false;
    if (r->nsections >= DOC_MAX_SECTIONS &&
        !report_add_check(r, "section_limit", SEV_WARNING,
                          "More than %d headings: the outline was cut there.", DOC_MAX_SECTIONS))
        return false;
    if (r->nfigures >= DOC_MAX_FIGURES &&
        !report_add_check(r, "figure_limit", SEV_WARNING,
                          "More than %d figures: the rest were not extracted.", DOC_MAX_FIGURES))
        return false;
    if (!audit_report(ru, d, r))
        return false;
    if (d->limit_hits &&
        !report_add_check(r, "regex_limit", SEV_WARNING,
                          "%zu pattern match(es) were stopped by the match limit.", d->limit_hits))
        return false;
    return true;
}

edx_status edx_extract_buffer(const edx_extractor *ex, const char *path, const void *data,
                              size_t len, const edx_options *opt, edx_result **out)
{
    if (out)
        *out = NULL;
    if (!ex || !out || (!data && len))
        return EDX_ERR_ARG;
    if (!path)
        path = "-";
    edx_result *res = result_new();
    if (!res)
        return EDX_ERR_NOMEM;
    *out = res;
    size_t max = opt && opt->max_bytes ? opt->max_bytes : EDX_DEFAULT_MAX_BYTES;
    if (len > max) {
        char detail[128];
        snprintf(detail, sizeof detail, "%zu bytes, over the limit of %zu", len, max);
        return fail_with(res, path, EDX_ERR_LIMIT, detail);
    }
    doc *d = doc_new(path);
    rx_scratch scratch;
    bool scratch_ok = rx_scratch_init(&scratch);
    if (!d || !scratch_ok) {
        doc_free(d);
        if (scratch_ok)
            rx_scratch_free(&scratch);
        edx_result_free(res);
        *out = NULL;
        return EDX_ERR_NOMEM;
    }
    edx_status st = decode_input(data ? data : "", len, opt ? opt->encoding : NULL, d);
    if (st != EDX_OK) {
        char detail[160];
        snprintf(detail, sizeof detail, "encoding %s",
                 opt && opt->encoding ? opt->encoding : "auto");
        doc_free(d);
        rx_scratch_free(&scratch);
        return fail_with(res, path, st, st == EDX_ERR_ENCODING ? detail : NULL);
    }
    bool ok = normalize_doc_with(&ex->rules->charmap, d) && clean_doc(&ex->rules->clean, &scratch, d) && doc_index_map(d) && split_doc(d);
    for (size_t i = 0; ok && i < d->nreports; i++)
        ok = process_report(ex->rules, &scratch, d, &d->reports[i]);
    for (size_t i = 0; ok && i < d->nreports; i++)
        ok = result_push(res, emit_record(d, i));
    doc_free(d);
    rx_scratch_free(&scratch);
    if (!ok) {
        for (size_t i = 0; i < res->n; i++)
            cJSON_Delete(res->records[i]);
        res->n = 0;
        return fail_with(res, path, EDX_ERR_NOMEM, NULL);
    }
    return EDX_OK;
}

edx_status edx_extract_file(const edx_extractor *ex, const char *path, const edx_options *opt,
                            edx_result **out)
{
    if (out)
        *out = NULL;
    if (!ex || !path || !out)
        return EDX_ERR_ARG;
    size_t max = opt && opt->max_bytes ? opt->max_bytes : EDX_DEFAULT_MAX_BYTES;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        edx_result *res = result_new();
        if (!res)
            return EDX_ERR_NOMEM;
        *out = res;
        return fail_with(res, path, EDX_ERR_IO, strerror(errno));
    }
    struct stat sb;
    if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(fp);
        edx_result *res = result_new();
        if (!res)
            return EDX_ERR_NOMEM;
        *out = res;
        return fail_with(res, path, EDX_ERR_IO, "is a directory");
    }
    buf b = BUF_INIT;
    char chunk[65536];
    size_t n;
    /* A regular file's size is known: refuse an oversized one without
     * reading it, and read the others into one exact allocation. */
    bool regular = fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode);
    bool too_big = regular && (unsigned long long)sb.st_size > max;
    if (regular && !too_big)
        buf_reserve(&b, (size_t)sb.st_size + 1);
    while (!too_big && (n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (b.len + n > max) {
            too_big = true;
            break;
        }
        buf_append(&b, chunk, n);
    }
    bool ioerr = ferror(fp);
    fclose(fp);
    if (too_big || ioerr || b.failed) {
        buf_free(&b);
        edx_result *res = result_new();
        if (!res)
            return EDX_ERR_NOMEM;
        *out = res;
        if (too_big) {
            char detail[128];
            snprintf(detail, sizeof detail, "over the limit of %zu bytes", max);
            return fail_with(res, path, EDX_ERR_LIMIT, detail);
        }
        return fail_with(res, path, ioerr ? EDX_ERR_IO : EDX_ERR_NOMEM,
                         ioerr ? "read error" : NULL);
    }
    edx_status st = edx_extract_buffer(ex, path, b.data, b.len, opt, out);
    buf_free(&b);
    return st;
}
