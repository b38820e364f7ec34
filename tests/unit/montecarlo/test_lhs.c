/* Latin hypercube stratification and the inverse CDFs of the uncertainty
 * distributions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parley/montecarlo.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) < (tol))

static void test_stratified(void **state)
{
    (void)state;
    enum { M = 97, K = 7 };
    double *x = malloc(sizeof(double) * M * K);
    assert_non_null(x);
    parley_lhs(5, M, K, x);
    for (int j = 0; j < K; j++) {
        int seen[M] = {0};
        for (int i = 0; i < M; i++) {
            double u = x[i * K + j];
            assert_true(u >= 0 && u < 1);
            int s = (int)floor(u * M);
            assert_true(s >= 0 && s < M);
            seen[s]++;
        }
        for (int s = 0; s < M; s++)
            assert_int_equal(seen[s], 1);
    }
    /* Columns do not depend on how many there are. */
    double *y = malloc(sizeof(double) * M * 3);
    assert_non_null(y);
    parley_lhs(5, M, 3, y);
    for (int i = 0; i < M; i++)
        for (int j = 0; j < 3; j++)
            assert_true(y[i * 3 + j] == x[i * K + j]);
    /* Another seed, another hypercube. */
    parley_lhs(6, M, 3, y);
    int same = 0;
    for (int i = 0; i < M; i++)
        same += y[i * 3] == x[i * K];
    assert_true(same < M / 4);
    free(x);
    free(y);
}

static void test_quantiles(void **state)
{
    (void)state;
    parley_uncertainty u;
    memset(&u, 0, sizeof u);
    u.dist = PARLEY_DIST_UNIFORM;
    u.lo = 20;
    u.hi = 40;
    NEAR(parley_uncertainty_quantile(&u, 0.25), 25, 1e-12);
    u.dist = PARLEY_DIST_TRIANGULAR;
    u.mode = 30; /* symmetric: median at the mode; F(25) = 0.125 */
    NEAR(parley_uncertainty_quantile(&u, 0.5), 30, 1e-9);
    NEAR(parley_uncertainty_quantile(&u, 0.125), 25, 1e-9);
    u.mode = 20; /* F(x) = 1 - ((40 - x)/20)^2; F(30) = 0.75 */
    NEAR(parley_uncertainty_quantile(&u, 0.75), 30, 1e-9);
    u.dist = PARLEY_DIST_NORMAL;
    u.value = 0;
    u.sd = 1;
    u.lo = -50;
    u.hi = 50;
    NEAR(parley_uncertainty_quantile(&u, 0.975), 1.959963984540054, 1e-8);
    NEAR(parley_uncertainty_quantile(&u, 0.5), 0, 1e-8);
    u.lo = 0; /* truncated at the mean: the median is the 75% point, 0.6744897502 */
    NEAR(parley_uncertainty_quantile(&u, 0.5), 0.6744897501960817, 1e-8);
    u.dist = PARLEY_DIST_BETA;
    u.a = 2;
    u.b = 1; /* F(x) = x^2 on [0,1] */
    u.lo = 0;
    u.hi = 1;
    NEAR(parley_uncertainty_quantile(&u, 0.25), 0.5, 1e-9);
    u.lo = 10;
    u.hi = 20;
    NEAR(parley_uncertainty_quantile(&u, 0.25), 15, 1e-8);
    u.a = 3;
    u.b = 7; /* monotone, inside the range */
    double prev = 10;
    for (int i = 0; i <= 20; i++) {
        double q = parley_uncertainty_quantile(&u, i / 20.0);
        assert_true(q >= prev - 1e-12 && q <= 20);
        prev = q;
    }
}

static void test_sim_params(void **state)
{
    (void)state;
    parley_sim_params p;
    parley_sim_params_default(&p);
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_sim_param_set(&p, "sim.need_weight", 4.5, &err), PARLEY_OK);
    assert_true(p.need_weight == 4.5);
    assert_int_equal(parley_sim_param_set(&p, "collapse_windows", 5, &err), PARLEY_OK);
    assert_int_equal(p.collapse_windows, 5);
    double v;
    assert_true(parley_sim_param_get(&p, "sim.collapse_windows", &v) && v == 5);
    assert_int_equal(parley_sim_param_set(&p, "sim.nonsense", 1, &err), PARLEY_EINPUT);
    parley_error_clear(&err);
    /* From text: one whole finite number, nothing after it. */
    assert_int_equal(parley_sim_param_set_text(&p, "sim.sucker_loss", "1e-2", &err), PARLEY_OK);
    assert_true(p.sucker_loss == 0.01);
    static const char *const bad[] = {"", "2x", "x", "nan", "inf", "-1", " ", "1,5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parley_sim_param_set_text(&p, "sim.sucker_loss", bad[i], &err),
                         PARLEY_EINPUT);
        assert_true(p.sucker_loss == 0.01); /* untouched by a refusal */
        parley_error_clear(&err);
    }
    assert_int_equal(parley_sim_param_free_count(), 6);
    for (size_t i = 0; i < parley_sim_param_free_count(); i++) {
        double lo, hi, def;
        assert_true(parley_sim_param_prior(i, &lo, &hi));
        parley_sim_params_default(&p);
        assert_true(parley_sim_param_get(&p, parley_sim_param_name(i), &def));
        assert_true(lo <= def && def <= hi); /* the prior brackets the default */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stratified),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_sim_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
