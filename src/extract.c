/* extract.c -- the public API: the pipeline from bytes to records.
 *
 *   decode → normalize → clean → split → (per report) metadata → outline →
 *   match (numbers, rules) → audit → emit
 *
 * Each input is processed on its own doc, turned into records and freed, so
 * memory is bounded by the largest single input.  A report's record is kept
 * as its JSON text (written directly, see emit_record_json()); error records
 * as cJSON trees.  The records go to a sink: a result that keeps them all
 * (edx_extract_file/_buffer), or a callback that gets each in a one-record
 * result as it is made (edx_extract_*_each), so that a volume of thousands
 * of reports never holds all its records.  Pretty JSON and CSV parse the
 * text back: cJSON prints what it parses the same way. */
#include "eduextract.h"

#include <assert.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <locale.h>
#include <unistd.h>

#include "audit.h"
#include "clean.h"
#include "decode.h"
#include "diag.h"
#include "doc.h"
#include "emit.h"
#include "extract.h"
#include "match.h"
#include "normalize.h"
#include "outline.h"
#include "rules.h"
#include "split.h"
#include "text.h"

/* What the pipeline needs for one input besides the document's own text:
 * the pattern matcher's match data, the doc (its reports array, and a
 * report's first block and sections array: see doc_lend_block(); the
 * buffers of its working text, offset map, code-point index and clean's
 * arrays: see doc_kept), the split's line array and the audit's scratch
 * block.  Made once and kept by the extractor between inputs
 * (see workspace_take()): they cost some mallocs and frees per input
 * otherwise, about a twentieth of the work on a one-line file. */
typedef struct workspace {
    rx_scratch rx;
    doc d;
    split_lines lines;
    size_t line_cap;  /* room in lines.v */
    audit_scratch audit;
} workspace;

/* Workspaces kept by an extractor: one per thread that extracts at once, up
 * to this many; more threads than that make a workspace per input, as
 * before.  A line array kept holds at most WORKSPACE_KEEP_LINES lines (the
 * doc bounds its reports array likewise, see doc_close()), so that the
 * memory kept stays small whatever inputs went before. */
#define WORKSPACE_SLOTS 8
#define WORKSPACE_KEEP_LINES 1024

/* A slot of the pool: busy while a thread holds it (claimed with an atomic
 * exchange, given back with a release store, so the holder's writes to ws
 * are seen by the next one), padded to a cache line so that threads holding
 * neighbouring slots do not share one. */
typedef struct workspace_slot {
    workspace *ws;  /* NULL until the slot's first holder makes it */
    atomic_bool busy;
    char pad[64 - sizeof(workspace *) - sizeof(atomic_bool)];
} workspace_slot;
_Static_assert(sizeof(workspace_slot) == 64, "a pool slot fills one cache line");

struct edx_extractor {
    rules *rules;
    decode_tables *decode;  /* NULL when they could not be made: iconv alone */
    locale_t c_locale;   /* "C", for c_numbers_begin() */
    bool clean_whole_chars; /* no boilerplate pattern uses \C (see work_is_valid()) */
    bool avx2;           /* text_avx2_wanted(), asked once */
    emit_table *emit;    /* NULL when it could not be made: emit writes the text */
    audit_table *audit;  /* NULL when it could not be made: audit makes its own */
    /* The one part of an extractor that changes once it is made, under
     * the atomic busy flags: what a workspace holds is never read across
     * inputs, so no record depends on which workspace an input got. */
    workspace_slot pool[WORKSPACE_SLOTS];
};

/* strtod() and snprintf() follow the calling thread's LC_NUMERIC: under a
 * host's comma-decimal locale the rules would read "80,5" and the records
 * would hold "3,5", which is not JSON.  Every entry point that reads rules
 * or writes numbers switches the calling thread alone to the "C" locale
 * (uselocale(): POSIX 2008, per thread, no lock) and gives the host's back
 * when it returns.  With a NULL locale (newlocale failed) nothing changes. */
static locale_t c_numbers_begin(locale_t c)
{
    return c ? uselocale(c) : (locale_t)0;
}

static void c_numbers_end(locale_t c, locale_t host)
{
    if (c && host)
        uselocale(host);
}

typedef struct record {
    char *json;            /* the record as unformatted JSON text */
    size_t len;
    emit_counts counts;    /* a report's counts */
    cJSON *tree;           /* an error record's tree (NULL for a report) */
} record;

struct edx_result {
    record *records;       /* &one, or an array of cap records */
    size_t n, cap;
    int failed;
    record one;            /* most inputs make one record: no array for it */
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
    [EDX_ERR_STOPPED] = "stopped by the record callback",
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
    [EDX_ERR_STOPPED] = "stopped",
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

/* Whether every match of the boilerplate patterns starts and ends between
 * characters: PCRE2 in UTF mode matches whole characters, but for \C (one
 * code unit), which PCRE2 says whether a pattern holds. */
static bool clean_whole_chars(const clean_rules *cr)
{
    for (size_t i = 0; i < cr->n; i++) {
        uint32_t has_c = 1;
        if (pcre2_pattern_info(cr->patterns[i].re.code, PCRE2_INFO_HASBACKSLASHC, &has_c) != 0 ||
            has_c)
            return false;
    }
    return true;
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
    ex->c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    diag d = DIAG_INIT;
    locale_t host = c_numbers_begin(ex->c_locale);
    ex->rules = rules_load(rules_dir, &d);
    c_numbers_end(ex->c_locale, host);
    if (!ex->rules) {
        if (ex->c_locale)
            freelocale(ex->c_locale);
        edx_status st = d.errors ? EDX_ERR_RULES : EDX_ERR_NOMEM;
        if (diagnostics)
            *diagnostics = buf_take(&d.text);
        diag_free(&d);
        free(ex);
        return st;
    }
    diag_free(&d);
    ex->clean_whole_chars = clean_whole_chars(&ex->rules->clean);
    ex->avx2 = text_avx2_wanted();
    ex->decode = decode_tables_new();
    ex->emit = emit_table_new(ex->rules);
    ex->audit = audit_table_new(ex->rules);
    *out = ex;
    return EDX_OK;
}

static void workspace_free(workspace *ws);

void edx_extractor_free(edx_extractor *ex)
{
    if (!ex)
        return;
    for (size_t i = 0; i < WORKSPACE_SLOTS; i++)
        workspace_free(ex->pool[i].ws);
    emit_table_free(ex->emit);
    audit_table_free(ex->audit);
    rules_free(ex->rules);
    decode_tables_free(ex->decode);
    if (ex->c_locale)
        freelocale(ex->c_locale);
    free(ex);
}

const char *edx_extractor_rules_dir(const edx_extractor *ex)
{
    return ex && ex->rules ? ex->rules->dir : NULL;
}

/* ----- results ----- */

static edx_result *result_new(void)
{
    /* Not calloc(), which takes no block from the thread's cache (see
     * doc_new()): a result is made per input. */
    edx_result *res = malloc(sizeof(edx_result));
    if (res) {
        memset(res, 0, sizeof *res);
        res->records = &res->one;
        res->cap = 1;
    }
    return res;
}

static bool result_push_record(edx_result *res, record rec)
{
    if (!rec.json && !rec.tree)
        return false;
    if (res->n == res->cap) {
        /* Past the first record: an array, doubled as it fills. */
        size_t cap = res->cap * 2;
        bool inline_one = res->records == &res->one;
        record *p = inline_one ? malloc(cap * sizeof *p) : realloc(res->records, cap * sizeof *p);
        if (!p) {
            free(rec.json);
            cJSON_Delete(rec.tree);
            return false;
        }
        if (inline_one)
            memcpy(p, res->records, res->n * sizeof *p);
        res->records = p;
        res->cap = cap;
    }
    res->records[res->n++] = rec;
    return true;
}

/* An error record: its tree, and its compact text printed once, so that
 * every record has text to lend (edx_result_json_view).  Neither (and the
 * tree deleted) when memory ran out. */
static record error_record_of(cJSON *tree)
{
    char *json = tree ? cJSON_PrintUnformatted(tree) : NULL;
    if (!json) {
        cJSON_Delete(tree);
        return (record){0};
    }
    return (record){.json = json, .len = strlen(json), .tree = tree};
}

static void result_clear(edx_result *res)
{
    for (size_t i = 0; i < res->n; i++) {
        free(res->records[i].json);
        cJSON_Delete(res->records[i].tree);
    }
    res->n = 0;
}

void edx_result_free(edx_result *res)
{
    if (!res)
        return;
    result_clear(res);
    if (res->records != &res->one)
        free(res->records);
    free(res);
}

/* Record i as a cJSON tree: its own, or parsed from its text (*owned is
 * then set and the caller deletes it). */
static cJSON *record_tree(const edx_result *res, size_t i, bool *owned)
{
    const record *r = &res->records[i];
    *owned = r->tree == NULL;
    return r->tree ? r->tree : cJSON_ParseWithLength(r->json, r->len);
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
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(res->records[0].tree, "error");
    const cJSON *msg = err ? cJSON_GetObjectItemCaseSensitive(err, "message") : NULL;
    return cJSON_IsString(msg) ? msg->valuestring : NULL;
}

char *edx_result_json(const edx_result *res, size_t i, int flags)
{
    if (!res || i >= res->n)
        return NULL;
    const record *r = &res->records[i];
    if (r->json && !(flags & EDX_JSON_PRETTY)) {
        char *t = malloc(r->len + 1);
        if (t)
            memcpy(t, r->json, r->len + 1);
        return t;
    }
    bool owned;
    cJSON *tree = record_tree(res, i, &owned);
    if (!tree)
        return NULL;
    char *t = (flags & EDX_JSON_PRETTY) ? cJSON_Print(tree) : cJSON_PrintUnformatted(tree);
    if (owned)
        cJSON_Delete(tree);
    return t;
}

const char *edx_result_json_view(const edx_result *res, size_t i, size_t *len)
{
    if (!res || i >= res->n)
        return NULL;
    if (len)
        *len = res->records[i].len;
    return res->records[i].json;
}

char *edx_result_json_take(edx_result *res, size_t i, size_t *len)
{
    if (!res || i >= res->n || !res->records[i].json)
        return NULL;
    record *r = &res->records[i];
    char *t = r->json;
    if (len)
        *len = r->len;
    r->json = NULL;
    r->len = 0;
    return t;
}

const char *edx_csv_header(void)
{
    return emit_csv_header;
}

char *edx_result_csv(const edx_result *res)
{
    buf out = BUF_INIT;
    /* numbers are printed again here (see c_numbers_begin()) */
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t host = c_numbers_begin(c);
    bool ok = true;
    for (size_t i = 0; ok && res && i < res->n; i++) {
        bool owned;
        cJSON *tree = record_tree(res, i, &owned);
        if (!tree) {
            ok = false;
            break;
        }
        emit_csv_rows(tree, &out);
        if (owned)
            cJSON_Delete(tree);
    }
    c_numbers_end(c, host);
    if (c)
        freelocale(c);
    if (!ok) {
        buf_free(&out);
        return NULL;
    }
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
        const record *r = &res->records[i];
        if (!r->tree) {
            out->reports++;
            out->figures += r->counts.figures;
            out->checks += r->counts.checks;
            out->sections += r->counts.sections;
            out->redacted += r->counts.redacted;
            continue;
        }
        const cJSON *rec = r->tree;
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

/* ----- where the records go ----- */

/* The records of one input go either into a result that keeps them (the
 * collecting calls) or, one at a time, to the caller's fn (the _each
 * calls): one pipeline for both, so both give the same records. */
typedef struct sink {
    edx_result *res;     /* collecting; NULL when fn is set */
    edx_record_fn fn;
    void *user;
    locale_t c, host;    /* set by extract(): fn runs under the host's locale */
    bool stopped;        /* fn returned nonzero */
} sink;

/* Keep rec, or lend it to fn in a one-record result and free it after.
 * failed: rec is an error record.  False when memory ran out (rec is freed)
 * or fn asked to stop (s->stopped). */
static bool sink_put(sink *s, record rec, bool failed)
{
    if (s->res) {
        if (failed)
            s->res->failed = 1;
        return result_push_record(s->res, rec);
    }
    if (!rec.json && !rec.tree)
        return false;
    /* On the stack: the renderers only read a result, and a record is all
     * that the call holds while fn writes it. */
    edx_result one;
    memset(&one, 0, sizeof one);
    one.records = &one.one;
    one.cap = one.n = 1;
    one.one = rec;
    one.failed = failed;
    /* The caller's locale while fn runs (it may print numbers of its own);
     * the "C" one again for the records after. */
    c_numbers_end(s->c, s->host);
    int stop = s->fn(s->user, &one);
    (void)c_numbers_begin(s->c);
    result_clear(&one);
    s->stopped = stop != 0;
    return !s->stopped;
}

/* ----- workspaces ----- */

/* A new workspace; NULL when memory ran out. */
static workspace *workspace_new(void)
{
    workspace *ws = malloc(sizeof *ws);
    if (!ws)
        return NULL;
    memset(ws, 0, sizeof *ws);
    if (!rx_scratch_init(&ws->rx)) {
        free(ws);
        return NULL;
    }
    return ws;
}

static void workspace_free(workspace *ws)
{
    if (!ws)
        return;
    rx_scratch_free(&ws->rx);
    doc_discard(&ws->d);
    split_lines_free(&ws->lines);
    audit_scratch_free(&ws->audit);
    free(ws);
}

/* A workspace for one input, *slot set to the pool slot it came from
 * (NULL for one made for this input alone: all slots busy, or memory ran
 * out for a slot's first one).  NULL when memory ran out. */
static workspace *workspace_take(const edx_extractor *ex, workspace_slot **slot)
{
    /* The pool is the extractor's only mutable part (see above). */
    workspace_slot *pool = ((edx_extractor *)ex)->pool;
    for (size_t i = 0; i < WORKSPACE_SLOTS; i++) {
        workspace_slot *sl = &pool[i];
        if (atomic_load_explicit(&sl->busy, memory_order_relaxed) ||
            atomic_exchange_explicit(&sl->busy, true, memory_order_acquire))
            continue;
        if (!sl->ws)
            sl->ws = workspace_new();
        if (sl->ws) {
            *slot = sl;
            return sl->ws;
        }
        atomic_store_explicit(&sl->busy, false, memory_order_release);
        break;
    }
    *slot = NULL;
    return workspace_new();
}

/* Give back a workspace that workspace_take() gave, its doc closed. */
static void workspace_give(workspace *ws, workspace_slot *slot)
{
    if (!slot) {
        workspace_free(ws);
        return;
    }
    ws->rx.limit_hits = 0;
    if (ws->line_cap > WORKSPACE_KEEP_LINES) {
        split_lines_free(&ws->lines);
        ws->line_cap = 0;
    }
    atomic_store_explicit(&slot->busy, false, memory_order_release);
}

/* ----- the pipeline ----- */

static edx_status fail_with(sink *s, const char *path, edx_status st, const char *detail)
{
    char msg[1024];
    if (detail)
        snprintf(msg, sizeof msg, "%s: %s: %s", path, edx_strerror(st), detail);
    else
        snprintf(msg, sizeof msg, "%s: %s", path, edx_strerror(st));
    if (!sink_put(s, error_record_of(emit_error_record(path, STATUS_CODE[st], msg)), true))
        return s->stopped ? EDX_ERR_STOPPED : EDX_ERR_NOMEM;
    return st;
}

/* Per-report stages after the split. */
static bool process_report(const rules *ru, const audit_table *audit, workspace *ws,
                           doc *d, report *r)
{
    rx_scratch *scratch = &ws->rx;
    const split_lines *lines = &ws->lines;
    if (!split_metadata_in(d, lines, r) || !outline_parse(d, r) || !match_report(ru, scratch, d, r))
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
    if (d->reports_cut && r == &d->reports[d->nreports - 1] &&
        !report_add_check(r, "report_limit", SEV_WARNING,
                          "More than %d reports in the file: this last one runs to the end "
                          "of the file and may hold several.", DOC_MAX_REPORTS))
        return false;
    if (!audit_report_in(audit, &ws->audit, ru, d, r))
        return false;
    if (d->limit_hits &&
        !report_add_check(r, "regex_limit", SEV_WARNING,
                          "%zu pattern match(es) were stopped by the match limit.", d->limit_hits))
        return false;
    if (d->tail_orig != SIZE_MAX && r == &d->reports[d->nreports - 1]) {
        size_t dropped = cp_index_of(&d->cpix, d->orig_len) - cp_index_of(&d->cpix, d->tail_orig);
        if (!report_add_check(r, "tail_dropped", SEV_INFO,
                              "The last %zu characters, from the page-end marker matched by "
                              "boilerplate rule '%s', were set aside as the web page's tail "
                              "and not read.",
                              dropped, d->tail_rule ? d->tail_rule : "?"))
            return false;
    }
    return true;
}

/* Whether the working text of d, just cleaned, is well-formed UTF-8 (the
 * doc's work_valid), known without reading it:
 *  - the original is, when decode says so (d->orig_valid: valid input as it
 *    is, any other with each bad sequence replaced by U+FFFD, converted
 *    text written from code points or checked; see finish() in decode.c);
 *  - normalize writes whole characters: runs of the original's characters
 *    copied as they are, or utf8_encode() of what fold() returns (ASCII, a
 *    code point utf8_next() read from the original, or a charmap target read
 *    from a rules file checked to be UTF-8); its drops are ASCII bytes
 *    (spaces, line breaks) or "(pinyin)" walked character by character;
 *  - clean drops whole lines, the text from a line start or a match to the
 *    end, matches, and the spaces and line breaks around them: every bound
 *    is a line bound, an ASCII byte or a bound of a match, which lies
 *    between characters when no pattern uses \C (clean_whole_chars()).
 * Builds with assertions check the claim on every document. */
static bool work_is_valid(const edx_extractor *ex, const doc *d)
{
    bool valid = d->orig_valid && ex->clean_whole_chars;
    assert(!valid || utf8_valid(d->work, d->work_len));
    return valid;
}

/* The records of data (arguments checked) to s.  own: NULL, or data itself,
 * malloc'd with a NUL at data[len], which this call takes: the doc keeps it
 * as the text when it can (see decode_input()).  lent: data has a NUL at
 * data[len] and stays the caller's: the doc reads it where it lies. */
static edx_status extract_c(const edx_extractor *ex, const char *path, const void *data,
                            size_t len, const edx_options *opt, sink *s, char *own, bool lent);

static edx_status extract(const edx_extractor *ex, const char *path, const void *data,
                          size_t len, const edx_options *opt, sink *s, char *own, bool lent)
{
    s->c = ex->c_locale;
    s->host = c_numbers_begin(s->c);
    edx_status st = extract_c(ex, path, data, len, opt, s, own, lent);
    c_numbers_end(s->c, s->host);
    return st;
}

/* extract() under the "C" numeric locale. */
static edx_status extract_c(const edx_extractor *ex, const char *path, const void *data,
                            size_t len, const edx_options *opt, sink *s, char *own, bool lent)
{
    if (!path)
        path = "-";
    size_t max = opt && opt->max_bytes ? opt->max_bytes : EDX_DEFAULT_MAX_BYTES;
    if (len > max) {
        free(own);
        char detail[128];
        snprintf(detail, sizeof detail, "%zu bytes, over the limit of %zu", len, max);
        return fail_with(s, path, EDX_ERR_LIMIT, detail);
    }
    workspace_slot *slot;
    workspace *ws = workspace_take(ex, &slot);
    if (!ws) {
        free(own);
        return EDX_ERR_NOMEM; /* no record: the collecting call gives no result */
    }
    doc *d = &ws->d;
    rx_scratch *scratch = &ws->rx;
    doc_open(d, path);
    if (lent) {
        d->orig = (char *)data; /* read, never written nor freed */
        d->orig_borrowed = true;
    } else if (own) {
        d->orig = own; /* the doc's from here on, whatever happens */
    }
    d->use_avx2 = ex->avx2; /* decode's check of the input takes it too */
    edx_status st =
        decode_input_with(ex->decode, data ? data : "", len, opt ? opt->encoding : NULL, d);
    if (st != EDX_OK) {
        char detail[160];
        snprintf(detail, sizeof detail, "encoding %s",
                 opt && opt->encoding ? opt->encoding : "auto");
        doc_close(d);
        workspace_give(ws, slot);
        return fail_with(s, path, st, st == EDX_ERR_ENCODING ? detail : NULL);
    }
    split_lines *lines = &ws->lines;
    bool ok = clean_normalize_doc(&ex->rules->clean, &ex->rules->charmap, scratch, d);
    if (ok)
        d->work_valid = work_is_valid(ex, d);
    ok = ok && doc_index_map(d) && split_doc_lines_into(d, lines, &ws->line_cap);
    /* One report at a time, from the split to its record, its figures and
     * sections freed before the next: a volume of thousands of reports
     * holds one report's working data at once, not all of them. */
    for (size_t i = 0; ok && i < d->nreports; i++) {
        doc_lend_block(d, &d->reports[i]);
        ok = process_report(ex->rules, ex->audit, ws, d, &d->reports[i]);
        buf b = BUF_INIT;
        record rec = {0};
        ok = ok && emit_record_json(ex->emit, d, i, &b, &rec.counts);
        rec.len = b.len;
        /* emit reserves room from the counts, often twice what it writes:
         * a record kept in the result beside others (a volume's reports)
         * gives the rest back.  A file's only record, or one handed to fn,
         * is written and freed soon after, so its slack (at most what emit
         * reserved) is left. */
        bool slack = s->res && b.data && !b.failed && b.cap - b.len > b.len / 4 + 256 &&
                     (d->nreports > 1 || b.cap - b.len > ((size_t)1 << 16));
        rec.json = buf_take(&b);
        if (slack) {
            char *fit = realloc(rec.json, rec.len + 1);
            rec.json = fit ? fit : rec.json;
        }
        if (ok)
            ok = sink_put(s, rec, false);
        else
            free(rec.json);
        doc_clear_report(d, &d->reports[i]);
    }
    lines->n = 0;
    doc_close(d);
    workspace_give(ws, slot);
    if (s->stopped)
        return EDX_ERR_STOPPED;
    if (!ok) {
        /* A result holds one error record in place of the records; records
         * handed to fn are out already, and the error record follows. */
        if (s->res)
            result_clear(s->res);
        return fail_with(s, path, EDX_ERR_NOMEM, NULL);
    }
    return EDX_OK;
}

/* A collecting call's sink: a new result. */
static bool collect_begin(sink *s)
{
    memset(s, 0, sizeof *s);
    s->res = result_new();
    return s->res != NULL;
}

/* The collecting call's result from its sink: *out, but for a bad argument
 * or memory that ran out before any record was tried (no result then, as
 * documented). */
static edx_status collect_end(sink *s, edx_status st, edx_result **out)
{
    if (st == EDX_ERR_ARG || (st == EDX_ERR_NOMEM && !s->res->failed)) {
        edx_result_free(s->res);
        return st;
    }
    *out = s->res;
    return st;
}

edx_status edx_extract_buffer(const edx_extractor *ex, const char *path, const void *data,
                              size_t len, const edx_options *opt, edx_result **out)
{
    if (out)
        *out = NULL;
    if (!ex || !out || (!data && len))
        return EDX_ERR_ARG;
    sink s;
    if (!collect_begin(&s))
        return EDX_ERR_NOMEM;
    return collect_end(&s, extract(ex, path, data, len, opt, &s, NULL, false), out);
}

edx_status edx_extract_buffer_each(const edx_extractor *ex, const char *path, const void *data,
                                   size_t len, const edx_options *opt, edx_record_fn fn,
                                   void *user)
{
    if (!ex || !fn || (!data && len))
        return EDX_ERR_ARG;
    sink s = {.fn = fn, .user = user};
    return extract(ex, path, data, len, opt, &s, NULL, false);
}

edx_status edx_extract_lent(const edx_extractor *ex, const char *path, const char *data,
                            size_t len, const edx_options *opt, edx_record_fn fn, void *user,
                            edx_result **out)
{
    if (out)
        *out = NULL;
    if (!ex || !data || !fn == !out || data[len] != '\0')
        return EDX_ERR_ARG;
    if (fn) {
        sink s = {.fn = fn, .user = user};
        return extract(ex, path, data, len, opt, &s, NULL, true);
    }
    sink s;
    if (!collect_begin(&s))
        return EDX_ERR_NOMEM;
    return collect_end(&s, extract(ex, path, data, len, opt, &s, NULL, true), out);
}

/* Read up to cap bytes from fd into p, until cap, the end of the file, or
 * a read that ends at byte `end` (the size fstat() gave a regular file: a
 * short read of a regular file is its end, so no further read is made to
 * see 0; SIZE_MAX for none); *got receives how many.  False on a read
 * error. */
static bool read_into(int fd, char *p, size_t cap, size_t end, size_t *got)
{
    size_t n = 0;
    while (n < cap) {
        ssize_t r = read(fd, p + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return false;
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == end)
            break;
    }
    *got = n;
    return true;
}

/* Read path and extract it to s (arguments checked). */
static edx_status extract_file(const edx_extractor *ex, const char *path, const edx_options *opt,
                               sink *s)
{
    size_t max = opt && opt->max_bytes ? opt->max_bytes : EDX_DEFAULT_MAX_BYTES;
    /* open/read rather than stdio: no FILE to set up and no copy out of a
     * stream buffer for each file of a batch. */
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return fail_with(s, path, EDX_ERR_IO, strerror(errno));
    struct stat sb;
    bool have_stat = fstat(fd, &sb) == 0;
    if (have_stat && S_ISDIR(sb.st_mode)) {
        close(fd);
        return fail_with(s, path, EDX_ERR_IO, "is a directory");
    }
    buf b = BUF_INIT;
    /* A regular file's size is known: refuse an oversized one without
     * reading it, and read the others into one allocation with a byte to
     * spare (and its NUL): a read short of that byte is the end, else the
     * file grew meanwhile and is read on to its end. */
    bool regular = have_stat && S_ISREG(sb.st_mode);
    bool too_big = regular && (unsigned long long)sb.st_size > max;
    bool ioerr = false, at_end = false;
    if (regular && !too_big && buf_reserve(&b, (size_t)sb.st_size + 2)) {
        size_t size = (size_t)sb.st_size;
        ioerr = !read_into(fd, b.data, size + 1, size, &b.len);
        at_end = b.len <= size;
    }
    char chunk[65536];
    while (!at_end && !too_big && !ioerr && !b.failed) {
        size_t n;
        if (!read_into(fd, chunk, sizeof chunk, SIZE_MAX, &n)) {
            ioerr = true;
            break;
        }
        if (n == 0)
            break;
        if (b.len + n > max) {
            too_big = true;
            break;
        }
        buf_append(&b, chunk, n);
    }
    if (b.data)
        b.data[b.len] = '\0';
    close(fd);
    if (too_big || ioerr || b.failed) {
        buf_free(&b);
        if (too_big) {
            char detail[128];
            snprintf(detail, sizeof detail, "over the limit of %zu bytes", max);
            return fail_with(s, path, EDX_ERR_LIMIT, detail);
        }
        return fail_with(s, path, ioerr ? EDX_ERR_IO : EDX_ERR_NOMEM, ioerr ? "read error" : NULL);
    }
    /* The buffer goes to the document, which keeps it as the text when the
     * file is valid UTF-8 (no copy of the file). */
    return extract(ex, path, b.data, b.len, opt, s, b.data, false);
}

edx_status edx_extract_file(const edx_extractor *ex, const char *path, const edx_options *opt,
                            edx_result **out)
{
    if (out)
        *out = NULL;
    if (!ex || !path || !out)
        return EDX_ERR_ARG;
    sink s;
    if (!collect_begin(&s))
        return EDX_ERR_NOMEM;
    return collect_end(&s, extract_file(ex, path, opt, &s), out);
}

edx_status edx_extract_file_each(const edx_extractor *ex, const char *path,
                                 const edx_options *opt, edx_record_fn fn, void *user)
{
    if (!ex || !path || !fn)
        return EDX_ERR_ARG;
    sink s = {.fn = fn, .user = user};
    return extract_file(ex, path, opt, &s);
}
