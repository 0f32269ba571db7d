/* extract.h -- the library's entry points for its own command-line tool.
 *
 * Not in the installed header: they are exported from the shared library
 * (the tool links it) but no other program should count on them. */
#ifndef EDX_EXTRACT_H
#define EDX_EXTRACT_H

#include <stddef.h>

#include "eduextract.h"

/* edx_extract_buffer_each(ex, path, data, len, opt, fn, user) when fn is
 * set, or edx_extract_buffer(ex, path, data, len, opt, out) when out is
 * (one of the two, the other NULL), for a buffer the caller lends: data[len]
 * is a NUL byte, and the buffer stays as it is until the call returns.
 * The text is then read where it lies when it is valid UTF-8, instead of
 * being copied first (a file the tool has read into its own buffer).  The
 * same records and statuses; EDX_ERR_ARG also when data[len] is not NUL. */
EDX_API edx_status edx_extract_lent(const edx_extractor *ex, const char *path,
                                    const char *data, size_t len, const edx_options *opt,
                                    edx_record_fn fn, void *user, edx_result **out);

#endif
