/* Shared by the fuzz targets: the libFuzzer entry point every target defines,
 * the embedded seed scenario, and the check that stops a run on a broken
 * invariant (a finding, like a sanitizer report). */
#ifndef PARLEY_FUZZ_COMMON_H
#define PARLEY_FUZZ_COMMON_H

#include "parley/error.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tests/data/minimal.json, embedded at configure time (fuzz/CMakeLists.txt) so
 * that a target needs no file at run time. */
extern const unsigned char fuzz_seed_scenario[];
extern const size_t fuzz_seed_scenario_len;

/* A broken invariant: print it and abort, so that libFuzzer saves the input. */
#define FUZZ_CHECK(cond, what)                                                          \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            fprintf(stderr, "fuzz invariant broken at %s:%d: %s (%s)\n", __FILE__,     \
                    __LINE__, what, #cond);                                             \
            abort();                                                                    \
        }                                                                               \
    } while (0)

/* A failed call must say why: a non-OK status, recorded in the error, with at
 * least one diagnostic (or one counted as dropped). It must not be "out of
 * memory": fuzz inputs are small and memory is plentiful, so that means an
 * allocation sized by a number in the input rather than by the input's size. */
static inline void fuzz_check_failure(parley_status st, const parley_error *err)
{
    FUZZ_CHECK(st != PARLEY_OK && (int)st < PARLEY_STATUS_COUNT, "status out of range");
    FUZZ_CHECK(st != PARLEY_ENOMEM, "out of memory on a small input");
    FUZZ_CHECK(err->status != PARLEY_OK, "failure not recorded in the error");
    FUZZ_CHECK(err->count > 0 || err->dropped > 0, "failure without a diagnostic");
    for (size_t i = 0; i < err->count; i++)
        FUZZ_CHECK(err->items[i].what[0] != '\0', "empty diagnostic");
}

#endif
