/* Scoring against known outcomes, and the DEU III evaluation the issue names:
 * the compromise model with GDP capability gives a mean absolute error of 23.2
 * (within 0.05) on the 353 issues with an outcome, as computed independently
 * (docs/MODELS.md, "Evaluation on DEU III"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/bargain.h"

#define DEU PARLEY_ANCHORS_DIR "/bargaining/deu3.tsv"

/* Errors 5, 10, 20, 40 on the 0-100 scale (the scale is 0..10, so the
 * raw errors are a tenth); a fifth issue has no outcome, a sixth no forecast. */
static void test_score_hand(void **state)
{
    (void)state;
    parley_bargain_problem *p;
    parley_error err = {0};
    assert_int_equal(parley_bargain_problem_new(1, 6, &p, &err), PARLEY_OK);
    const double outcome[] = {5, 5, 5, 5, NAN, 5}, forecast[] = {5.5, 4, 7, 1, 3, NAN};
    for (size_t i = 0; i < 6; i++) {
        p->scale_min[i] = 0;
        p->scale_max[i] = 10;
        p->outcome[i] = outcome[i];
    }
    parley_bargain_score s;
    assert_int_equal(parley_bargain_score_forecast(p, forecast, &s, &err), PARLEY_OK);
    assert_int_equal(s.n, 4);
    assert_float_equal(s.mae, 18.75, 1e-12);
    assert_float_equal(s.median_ae, 15.0, 1e-12);
    assert_float_equal(s.within10, 0.5, 0);
    /* Nothing to score. */
    for (size_t i = 0; i < 6; i++)
        p->outcome[i] = NAN;
    assert_int_equal(parley_bargain_score_forecast(p, forecast, &s, &err), PARLEY_OK);
    assert_int_equal(s.n, 0);
    assert_true(isnan(s.mae));
    parley_bargain_problem_free(p);
    parley_error_clear(&err);
}

static parley_bargain_score deu_score(parley_bargain_model m, bool equal)
{
    parley_bargain_problem *p;
    parley_error err = {0};
    assert_int_equal(parley_bargain_read_file(DEU, PARLEY_FORMAT_AUTO, &p, &err), PARLEY_OK);
    if (equal)
        parley_bargain_problem_equal_capability(p);
    parley_bargain_result r;
    assert_int_equal(parley_bargain_forecast(p, m, NULL, &r, &err), PARLEY_OK);
    parley_bargain_score s;
    assert_int_equal(parley_bargain_score_forecast(p, r.forecast, &s, &err), PARLEY_OK);
    parley_bargain_result_free(&r);
    parley_bargain_problem_free(p);
    parley_error_clear(&err);
    return s;
}

/* The acceptance number, and the other static baselines recomputed
 * independently (Python, same rules: GDP row / max as capability, blank or zero
 * salience and blank positions dropped). */
static void test_deu_compromise(void **state)
{
    (void)state;
    parley_bargain_score s = deu_score(PARLEY_MODEL_COMPROMISE, false);
    assert_int_equal(s.n, 353);
    assert_float_equal(s.mae, 23.2, 0.05);
    assert_float_equal(s.mae, 23.22368094, 1e-6);
    assert_float_equal(s.median_ae, 18.79790370, 1e-6);
    assert_float_equal(s.within10, 117.0 / 353.0, 1e-12);
    s = deu_score(PARLEY_MODEL_COMPROMISE, true);
    assert_float_equal(s.mae, 23.68077744, 1e-6);
    assert_float_equal(s.median_ae, 18.51351351, 1e-6);
}

static void test_deu_median_nbs(void **state)
{
    (void)state;
    parley_bargain_score s = deu_score(PARLEY_MODEL_MEDIAN, false);
    assert_int_equal(s.n, 353);
    assert_float_equal(s.mae, 27.57507082, 1e-6);
    s = deu_score(PARLEY_MODEL_NBS, false);
    assert_int_equal(s.n, 353);
    assert_float_equal(s.mae, 30.61379736, 1e-6);
}

/* The status quo baseline: 253 of the 353 issues give a reference point. */
static void test_deu_status_quo(void **state)
{
    (void)state;
    parley_bargain_problem *p;
    parley_error err = {0};
    assert_int_equal(parley_bargain_read_file(DEU, PARLEY_FORMAT_AUTO, &p, &err), PARLEY_OK);
    parley_bargain_score s;
    assert_int_equal(parley_bargain_score_forecast(p, p->status_quo, &s, &err), PARLEY_OK);
    assert_int_equal(s.n, 253);
    assert_float_equal(s.mae, 51.11067194, 1e-6);
    parley_bargain_problem_free(p);
    parley_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_hand),
        cmocka_unit_test(test_deu_compromise),
        cmocka_unit_test(test_deu_median_nbs),
        cmocka_unit_test(test_deu_status_quo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
