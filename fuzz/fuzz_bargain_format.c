/* Fuzz target for the peer table readers (src/bargain/formats.c): built once
 * per format with FUZZ_FORMAT set to PARLEY_FORMAT_DECIDE, _KTAB, _BDM, _DEU or
 * _AUTO (fuzz/CMakeLists.txt). A rejected table must say why; an accepted one
 * must be a well-formed problem, and when it is also valid every model compiled
 * in must run on it without a crash, a hang, undefined behaviour or an infinite
 * forecast (a few rounds, small problems only, to keep the target fast). */
#include "fuzz_common.h"

#include "parley/bargain.h"

#include <math.h>
#include <string.h>

#ifndef FUZZ_FORMAT
#error "define FUZZ_FORMAT"
#endif

/* Models run only on small problems: SMP's rounds cost about actors^3, and a
 * 160-actor anchor takes seconds under the sanitizers. */
#define MODEL_ACTORS_MAX 20
#define MODEL_CELLS_MAX 100

static void run_models(const parley_bargain_problem *p)
{
    parley_bargain_settings settings;
    parley_bargain_settings_default(&settings);
    settings.rounds = 3;
    settings.seed = 1;
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++) {
        if (!parley_bargain_model_available((parley_bargain_model)m))
            continue;
        parley_error err;
        parley_error_init(&err);
        parley_bargain_result result;
        parley_status st = parley_bargain_forecast(p, (parley_bargain_model)m, &settings, &result, &err);
        if (st == PARLEY_OK) {
            FUZZ_CHECK(result.n_issues == p->n_issues, "forecast of the wrong size");
            /* A forecast is a number or NAN (no forecast), never infinite. */
            for (size_t i = 0; i < result.n_issues; i++)
                FUZZ_CHECK(!isinf(result.forecast[i]), "an infinite forecast");
        } else {
            fuzz_check_failure(st, &err);
        }
        parley_bargain_result_free(&result);
        parley_error_clear(&err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parley_error err;
    parley_error_init(&err);
    parley_bargain_format format = FUZZ_FORMAT;
    if (format == PARLEY_FORMAT_AUTO) {
        parley_bargain_format guess = parley_bargain_detect_format((const char *)data, size);
        FUZZ_CHECK((int)guess >= 0 && guess < PARLEY_FORMAT_COUNT, "detected format out of range");
    }
    parley_bargain_problem *p = (parley_bargain_problem *)&err; /* must be reset */
    parley_status st = parley_bargain_read_buffer((const char *)data, size, "fuzz", format, &p, &err);
    if (st != PARLEY_OK) {
        fuzz_check_failure(st, &err);
        parley_error_clear(&err);
        return 0;
    }
    FUZZ_CHECK(p != NULL && p != (parley_bargain_problem *)&err, "no problem returned");
    FUZZ_CHECK(p->n_actors > 0 && p->n_issues > 0, "an empty problem was accepted");
    for (size_t a = 0; a < p->n_actors; a++)
        FUZZ_CHECK(p->actor_ids[a] != NULL, "an actor without an id");
    for (size_t i = 0; i < p->n_issues; i++)
        FUZZ_CHECK(p->issue_ids[i] != NULL, "an issue without an id");
    parley_error_clear(&err);
    if (parley_bargain_problem_validate(p, "fuzz", &err) == PARLEY_OK &&
        p->n_actors <= MODEL_ACTORS_MAX && p->n_actors * p->n_issues <= MODEL_CELLS_MAX)
        run_models(p);
    parley_error_clear(&err);
    parley_bargain_problem_free(p);
    return 0;
}
