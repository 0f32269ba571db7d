/* fuzz_pipeline.c -- the whole library: bytes to records, every record
 * rendered as JSON and CSV. */
#include <stdlib.h>

#include "eduextract.h"
#include "fuzz.h"

static edx_extractor *ex;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ex && edx_extractor_new(EDX_TEST_RULES, &ex, NULL) != EDX_OK)
        abort();
    edx_result *res = NULL;
    edx_extract_buffer(ex, "fuzz", data, size, NULL, &res);
    if (!res || edx_result_count(res) == 0)
        abort(); /* every input must give at least one record */
    for (size_t i = 0; i < edx_result_count(res); i++)
        edx_free(edx_result_json(res, i, 0));
    edx_free(edx_result_csv(res));
    edx_result_free(res);
    return 0;
}
