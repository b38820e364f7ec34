/* Fuzz targets for the two files of calibration (docs/SWEEPS.md): a patterns
 * file (`parley calibrate --patterns`, parley_patterns_load) and an ensemble
 * (`parley sweep --ensemble`, parley_ensemble_load), one binary each
 * (FUZZ_ENSEMBLE selects). Both loaders read a path and have no in-memory
 * entry point, so the input is written to a temporary file first, as
 * fuzz_results_db does.
 *
 * Checks beyond "no crash, no UB, no leak, no hang": a refusal has a
 * diagnostic and is not "out of memory"; an accepted patterns file has at
 * least one pattern, each with a description; an accepted ensemble has
 * members and named parameters, and parley_draw_matrix on it and the embedded
 * minimal.json (whose uncertainties fill the columns the ensemble does not
 * set) gives a draws x params matrix whose ensemble columns repeat the
 * members. */
#include "fuzz_common.h"

#include "parley/montecarlo.h"
#include "parley/scenario.h"

#include <string.h>
#include <unistd.h>

/* The input as a file; NULL-terminated path in `path` (a mkstemp template). */
static int write_input(char *path, const uint8_t *data, size_t size)
{
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    close(fd);
    if (done != size) {
        unlink(path);
        return 0;
    }
    return 1;
}

#ifndef FUZZ_ENSEMBLE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/parley-fuzz-patterns-XXXXXX";
    if (!write_input(path, data, size))
        return 0;
    parley_error err;
    parley_error_init(&err);
    parley_patterns *ps = NULL;
    parley_status st = parley_patterns_load(path, &ps, &err);
    if (st != PARLEY_OK) {
        fuzz_check_failure(st, &err);
        FUZZ_CHECK(ps == NULL, "a refused patterns file returned patterns");
    } else {
        FUZZ_CHECK(ps != NULL, "an accepted patterns file returned nothing");
        size_t n = parley_patterns_count(ps);
        FUZZ_CHECK(n > 0, "an accepted patterns file without patterns");
        for (size_t i = 0; i < n; i++) {
            const char *text = parley_pattern_describe(ps, i);
            FUZZ_CHECK(text != NULL && text[0] != '\0', "a pattern without a description");
        }
        FUZZ_CHECK(parley_pattern_describe(ps, n) == NULL, "a description past the end");
    }
    parley_patterns_free(ps);
    parley_error_clear(&err);
    unlink(path);
    return 0;
}

#else

/* minimal.json, loaded once: it declares uncertainties, so the draw matrix
 * has hypercube columns beside the ensemble's. */
static const parley_scenario *seed_scenario(void)
{
    static parley_scenario *sc;
    static int tried;
    if (!tried) {
        tried = 1;
        parley_error err;
        parley_error_init(&err);
        if (parley_scenario_load_string((const char *)fuzz_seed_scenario, fuzz_seed_scenario_len,
                                        "minimal.json", &sc, &err) != PARLEY_OK)
            sc = NULL;
        parley_error_clear(&err);
    }
    return sc;
}

static void check_draw_matrix(const parley_ensemble *e)
{
    const parley_scenario *sc = seed_scenario();
    FUZZ_CHECK(sc != NULL, "the embedded minimal.json does not load");
    /* Every member once and a few wrapped around; at most 64 draws. */
    uint32_t draws = (uint32_t)(e->n_members < 60 ? e->n_members + 3 : 64);
    const char *const pinned[] = {"actors.DPRK.capability"};
    parley_error err;
    parley_error_init(&err);
    char **params = NULL;
    size_t n_params = 0;
    double *values = NULL;
    parley_status st = parley_draw_matrix(sc, e, draws, 7, pinned, 1, &params, &n_params,
                                          &values, &err);
    if (st != PARLEY_OK) {
        fuzz_check_failure(st, &err);
    } else {
        FUZZ_CHECK(n_params >= e->n_params, "the draw matrix lost ensemble columns");
        FUZZ_CHECK(params != NULL && values != NULL, "an empty draw matrix");
        for (size_t j = 0; j < n_params; j++)
            FUZZ_CHECK(params[j] != NULL, "an unnamed column in the draw matrix");
        for (size_t j = 0; j < e->n_params; j++)
            FUZZ_CHECK(strcmp(params[j], e->params[j]) == 0, "an ensemble column renamed");
        for (uint32_t d = 0; d < draws; d++)
            for (size_t j = 0; j < e->n_params; j++) {
                double want = e->values[(d % e->n_members) * e->n_params + j];
                double got = values[(size_t)d * n_params + j];
                FUZZ_CHECK(memcmp(&want, &got, sizeof want) == 0,
                           "a draw does not repeat its ensemble member");
            }
    }
    parley_draw_matrix_free(params, n_params, values);
    parley_error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/parley-fuzz-ensemble-XXXXXX";
    if (!write_input(path, data, size))
        return 0;
    parley_error err;
    parley_error_init(&err);
    parley_ensemble *e = NULL;
    parley_status st = parley_ensemble_load(path, &e, &err);
    if (st != PARLEY_OK) {
        fuzz_check_failure(st, &err);
        FUZZ_CHECK(e == NULL, "a refused ensemble returned an ensemble");
    } else {
        FUZZ_CHECK(e != NULL, "an accepted ensemble returned nothing");
        FUZZ_CHECK(e->n_members > 0, "an accepted ensemble without members");
        for (size_t j = 0; j < e->n_params; j++)
            FUZZ_CHECK(e->params[j] != NULL, "an unnamed ensemble parameter");
        check_draw_matrix(e);
    }
    parley_ensemble_free(e);
    parley_error_clear(&err);
    unlink(path);
    return 0;
}

#endif
