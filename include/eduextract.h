/*
 * eduextract.h -- extract outlines and indicator figures from Chinese
 * education work reports (教育局/学校 工作总结, 自查报告, 督导评估 汇报材料).
 *
 * One input file may hold several reports; each report becomes one JSON
 * record (see spec/RECORD.md of the project, schema "eduextract.record/1").
 *
 * Ownership, once for the whole API:
 *   - Whoever calls edx_<obj>_new (or a function documented to create an
 *     object) calls the matching edx_<obj>_free.  Every _free accepts NULL.
 *   - A returned `const char *` is borrowed and lives as long as the object
 *     it came from.  A returned `char *` belongs to the caller and is released
 *     with edx_free().
 *   - The library never prints and never exits: it returns an edx_status and,
 *     where there is more to say, a message the caller may print.
 *
 * Threads: an edx_extractor's rules are fixed once it is created, and it may
 * be shared by any number of threads, each calling edx_extract_* at the same
 * time.  Every call has scratch space of its own (match data, iconv state,
 * document): taken from a small pool the extractor keeps, each workspace held
 * by one call at a time under an atomic flag, or made for the call when all
 * are in use; nothing in a workspace carries over from one input to the next.
 * An edx_result belongs to the thread that made it.  The library keeps no
 * global state; edx_extractor_new and _free are the only calls that must
 * not race on the same handle.
 *
 * Locale: whatever locale the host has set (a comma-decimal one included),
 * rules are read and records written as in the "C" locale: edx_extractor_new,
 * edx_extract_* and edx_result_csv switch the calling thread to "C" with
 * uselocale() for the duration of the call and restore the host's locale
 * before returning (tests/py/test_locale.py checks this under de_DE.UTF-8).
 *
 * Building against it:  cc prog.c $(pkg-config --cflags --libs eduextract)
 * examples/extract_files.c is a complete program; examples/shared_extractor.c
 * shares one extractor between threads.  `meson install` installs this
 * header, the library, the eduextract tool and the rules directory
 * (PREFIX/share/eduextract/rules), which is what edx_extractor_new wants.
 */
#ifndef EDUEXTRACT_H
#define EDUEXTRACT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(EDX_BUILDING_LIBRARY) && defined(__GNUC__)
#define EDX_API __attribute__((visibility("default")))
#else
#define EDX_API
#endif

#define EDX_VERSION "0.1.0"
#define EDX_RECORD_SCHEMA "eduextract.record/1"

/* Status of every call that can fail.  Texts: edx_strerror(). */
typedef enum edx_status {
    EDX_OK = 0,
    EDX_ERR_NOMEM,     /* out of memory */
    EDX_ERR_IO,        /* a file could not be opened or read */
    EDX_ERR_ENCODING,  /* the bytes are not text in any supported charset */
    EDX_ERR_RULES,     /* the rules directory has errors (see the message) */
    EDX_ERR_LIMIT,     /* an input exceeds a configured limit */
    EDX_ERR_ARG,       /* a bad argument (NULL where an object is needed ...) */
    EDX_ERR_BINARY,    /* the input looks like binary data, not a text report */
    EDX_ERR_STOPPED,   /* the record callback asked to stop (edx_extract_*_each) */
    EDX_STATUS_COUNT
} edx_status;

/* A static English text for a status, never NULL. */
EDX_API const char *edx_strerror(edx_status status);

/* Release a `char *` returned by this library. */
EDX_API void edx_free(void *p);

/* Library version string, e.g. "0.1.0". */
EDX_API const char *edx_version(void);

/* ------------------------------------------------------------------ */
/* The extractor: compiled rules, shared by all inputs and threads.   */

typedef struct edx_extractor edx_extractor;

/*
 * Load and compile the rules in `rules_dir` (indicators.conf, units.conf,
 * boilerplate.conf, phrases.conf).  On success *out is a new extractor.
 * On EDX_ERR_RULES *diagnostics (if not NULL) receives a newly allocated
 * text of GCC-style lines, "rules/units.conf:12:7: error: unknown key 'x'",
 * one per problem; free it with edx_free().  Either output is set to NULL
 * first.
 */
EDX_API edx_status edx_extractor_new(const char *rules_dir, edx_extractor **out,
                                     char **diagnostics);
EDX_API void edx_extractor_free(edx_extractor *ex);

/* The directory the extractor's rules came from (borrowed). */
EDX_API const char *edx_extractor_rules_dir(const edx_extractor *ex);

/* ------------------------------------------------------------------ */
/* Per-input options.                                                  */

typedef struct edx_options {
    const char *encoding;  /* NULL or "auto": detect; else an iconv name */
    size_t max_bytes;      /* 0: EDX_DEFAULT_MAX_BYTES */
} edx_options;

#define EDX_DEFAULT_MAX_BYTES ((size_t)64 * 1024 * 1024)

/* ------------------------------------------------------------------ */
/* Results: the records of one input file.                             */

typedef struct edx_result edx_result;

/*
 * Extract every report of one input held in memory.  `path` is the label
 * written to source.path ("-" for stdin); `data` need not be terminated.
 * On EDX_OK *out holds one record per report found (at least one).  When the
 * input cannot be processed (bad encoding, over the size limit ...) the
 * status says why and *out still holds one error record naming `path`, so a
 * batch never loses a file.  Only EDX_ERR_NOMEM and EDX_ERR_ARG leave *out
 * NULL.
 *
 *   edx_extract_buffer(ex, "a.txt", "一、基本情况\n入学率100%。", n, NULL, &r)
 *   → one record, sections [{"marker":"一、","title":"基本情况"}],
 *     indicators [{"id":"enrollment_rate","value":100,"unit":"%"}]
 */
EDX_API edx_status edx_extract_buffer(const edx_extractor *ex, const char *path,
                                      const void *data, size_t len,
                                      const edx_options *opt, edx_result **out);

/* Read `path` and extract it as edx_extract_buffer does.  An unreadable or
 * oversized file gives EDX_ERR_IO / EDX_ERR_LIMIT and an error record. */
EDX_API edx_status edx_extract_file(const edx_extractor *ex, const char *path,
                                    const edx_options *opt, edx_result **out);

/*
 * Records one at a time: the same extraction as edx_extract_buffer() and
 * edx_extract_file(), but each record is handed to fn as soon as it is made
 * instead of being kept, so memory holds one input's text and working data
 * and one record, never all the records of a volume of thousands of
 * reports.  The records come in order, the same bytes as the collecting
 * calls give (report_index and report_count included: the input is split
 * into reports before the first record is made).
 *
 * `one` is a borrowed result holding exactly one record: every call below
 * that takes a const edx_result works on it (edx_result_json_view,
 * edx_result_json, edx_result_csv, edx_result_counts, edx_result_failed,
 * edx_result_error), and it and every text borrowed from it are valid only
 * until fn returns.  Do not free it; to keep the record's text past fn
 * without a copy, take it (edx_result_json_take).  fn runs on the calling thread, under
 * the caller's own locale.  An input that cannot be processed gives its one
 * error record through fn (edx_result_failed(one) is nonzero) and the
 * status says why, as with the collecting calls.  When memory runs out
 * part way through a volume, the records already handed out stay given and
 * an error record (out_of_memory) follows them.
 *
 * fn returns 0 to go on; nonzero stops the extraction at once: no further
 * record is made and the call returns EDX_ERR_STOPPED (also when that was
 * the last record).  EDX_ERR_NOMEM with no record through fn: memory ran
 * out before anything could be made; EDX_ERR_ARG: ex, fn (or path for a
 * file, or data with len > 0) is NULL.  Threads: the extractor rules above
 * (any number of threads may call these at once on one extractor).
 *
 *   static int print(void *user, edx_result *one)
 *   {
 *       size_t n;
 *       const char *t = edx_result_json_view(one, 0, &n);
 *       return fwrite(t, 1, n, user) != n || fputc('\n', user) == EOF;
 *   }
 *   edx_extract_file_each(ex, "volume.txt", NULL, print, stdout)
 *   → one JSON line per report of volume.txt, written as each is made
 */
typedef int (*edx_record_fn)(void *user, edx_result *one);

EDX_API edx_status edx_extract_buffer_each(const edx_extractor *ex, const char *path,
                                           const void *data, size_t len,
                                           const edx_options *opt, edx_record_fn fn,
                                           void *user);
EDX_API edx_status edx_extract_file_each(const edx_extractor *ex, const char *path,
                                         const edx_options *opt, edx_record_fn fn,
                                         void *user);

EDX_API void edx_result_free(edx_result *res);

/* Number of records (reports, or 1 error record). */
EDX_API size_t edx_result_count(const edx_result *res);

/* Nonzero when the result is an error record (the input failed). */
EDX_API int edx_result_failed(const edx_result *res);

/* The message of an error record, e.g. "a.txt: cannot read the input: No
 * such file or directory" (borrowed); NULL when the result did not fail. */
EDX_API const char *edx_result_error(const edx_result *res);

/* Output flags for the renderers below. */
enum {
    EDX_JSON_PRETTY = 1 << 0  /* indented JSON instead of one line */
};

/* Record `i` as JSON text without a trailing newline; NULL when `i` is out
 * of range or memory ran out.  Free with edx_free(). */
EDX_API char *edx_result_json(const edx_result *res, size_t i, int flags);

/* Record `i` as compact JSON text (the text edx_result_json(res, i, 0)
 * returns) borrowed from res, without a copy: valid until edx_result_free().
 * *len, when len is not NULL, receives its length.  NULL when `i` is out of
 * range. */
EDX_API const char *edx_result_json_view(const edx_result *res, size_t i, size_t *len);

/* Record `i`'s compact JSON text (the text edx_result_json_view lends) taken
 * out of res without a copy: the caller owns it (free with edx_free()).  The
 * record keeps its counts, failed state and error message, but not its text:
 * the renderers may give NULL for it afterwards.  *len, when len is not
 * NULL, receives its length.  NULL when `i` is out of range or its text was
 * taken before. */
EDX_API char *edx_result_json_take(edx_result *res, size_t i, size_t *len);

/* The CSV header line (with "\n") for edx_result_csv(), static. */
EDX_API const char *edx_csv_header(void);

/* All figures of all records as CSV rows (RFC 4180, "\n" line ends), one
 * row per figure, the report's fields repeated on each row; a report with no
 * figure and an error record give one row with empty figure fields, so no
 * input disappears from a spreadsheet.  Free with edx_free(). */
EDX_API char *edx_result_csv(const edx_result *res);

/* Counters summed over the records of a result. */
typedef struct edx_counts {
    size_t reports, figures, sections, checks, redacted;
} edx_counts;
EDX_API void edx_result_counts(const edx_result *res, edx_counts *out);

#ifdef __cplusplus
}
#endif

#endif /* EDUEXTRACT_H */
