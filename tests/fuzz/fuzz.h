/* fuzz.h -- shared set-up of the fuzz targets.
 *
 * Each tests/fuzz/fuzz_<entry>.c defines LLVMFuzzerTestOneInput.  Built with
 * -Dfuzzing=true (clang), they are libFuzzer targets; in the normal build the
 * same files link with fuzz_replay.c, whose main() runs every saved input
 * (tests/fuzz/corpus/<entry>/ and tests/fuzz/crashes/<entry>/) once, so each
 * crash ever found stays a regression test. */
#ifndef EDX_FUZZ_H
#define EDX_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
