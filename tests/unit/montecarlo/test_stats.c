/* The statistics of src/montecarlo/stats.c against published and hand values,
 * and the coverage of the draw-clustered interval on synthetic two-loop data
 * (where a plain Wilson interval is falsely tight). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "parley/montecarlo.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) < (tol))

static void test_wilson(void **state)
{
    (void)state;
    /* Newcombe (1998a), example: 81/263 -> 0.2553 to 0.3662. */
    parley_interval w = parley_wilson(81, 263, PARLEY_Z95);
    NEAR(w.estimate, 81.0 / 263.0, 1e-15);
    NEAR(w.lo, 0.2552885198782742, 1e-12);
    NEAR(w.hi, 0.3662095769828000, 1e-12);
    /* 0/10: lower bound exactly 0, upper z^2/(n+z^2) = 0.27753... */
    w = parley_wilson(0, 10, PARLEY_Z95);
    assert_true(w.lo == 0.0);
    NEAR(w.hi, 0.2775327998628892, 1e-12);
    w = parley_wilson(10, 10, PARLEY_Z95);
    assert_true(w.hi == 1.0);
    NEAR(w.lo, 0.7224672001371107, 1e-12);
    w = parley_wilson(5, 10, PARLEY_Z95);
    NEAR(w.lo, 0.236593090512564, 1e-12);
    NEAR(w.hi, 0.7634069094874361, 1e-12);
    w = parley_wilson(0, 0, PARLEY_Z95);
    assert_true(isnan(w.estimate));
}

static void test_quantile_and_t(void **state)
{
    (void)state;
    /* R: quantile(c(1, 2, 3, 4, 10), c(0, .3, .5, 1)) = 1, 2.2, 3, 10 */
    double x[] = {10, 3, 1, NAN, 4, 2};
    NEAR(parley_quantile(x, 6, 0.3), 2.2, 1e-12);
    NEAR(parley_quantile(x, 5, 0.5), 3.0, 1e-12);
    NEAR(parley_quantile(x, 5, 0.0), 1.0, 1e-12);
    NEAR(parley_quantile(x, 5, 1.0), 10.0, 1e-12);
    double none[] = {NAN, NAN};
    assert_true(isnan(parley_quantile(none, 2, 0.5)));
    /* Student t table values. */
    NEAR(parley_t_quantile(0.05, 1), 12.7062047362, 1e-8);
    NEAR(parley_t_quantile(0.05, 10), 2.2281388520, 1e-8);
    NEAR(parley_t_quantile(0.05, 30), 2.0422724563, 1e-8);
    double y[] = {1, 2, 3, 4};
    parley_interval m = parley_mean_t(y, 4);
    /* mean 2.5, sd 1.2910, se 0.6455, t(3) = 3.1824463 */
    NEAR(m.estimate, 2.5, 1e-12);
    NEAR(m.hi - 2.5, 3.182446305284263 * sqrt(5.0 / 3.0) / 2.0, 1e-8);
}

static void test_paired_difference(void **state)
{
    (void)state;
    /* Newcombe (1998b), method 10 with its continuity-corrected phi, worked
     * from the formula in double precision. */
    parley_interval d = parley_paired_difference(8, 5, 4, 36);
    NEAR(d.estimate, 1.0 / 53.0, 1e-15);
    NEAR(d.lo, -0.09946587322768162, 1e-12);
    NEAR(d.hi, 0.13719576372480408, 1e-12);
    d = parley_paired_difference(30, 12, 3, 55);
    NEAR(d.estimate, 0.09, 1e-15);
    NEAR(d.lo, 0.013566181994669038, 1e-12);
    NEAR(d.hi, 0.16465082203330772, 1e-12);
    /* Swapping A and B negates the interval. */
    parley_interval e = parley_paired_difference(30, 3, 12, 55);
    NEAR(e.lo, -d.hi, 1e-12);
    NEAR(e.hi, -d.lo, 1e-12);
    /* No discordant pairs: difference 0 inside a non-empty interval. */
    e = parley_paired_difference(20, 0, 0, 20);
    assert_true(e.estimate == 0);
    NEAR(e.lo, -0.046803205338226274, 1e-12);
    NEAR(e.hi, 0.046803205338226274, 1e-12);
}

/* Two loops on synthetic data: P(outcome | draw) ~ Beta(2, 3) (mean 0.4), N
 * Bernoulli runs per draw. The clustered interval should cover 0.4 about 95%
 * of the time; a Wilson interval on all runs pooled covers far less. */
static void test_clustered_coverage(void **state)
{
    (void)state;
    enum { M = 20, N = 200, REPS = 400 };
    double succ[M], n[M];
    int cover_c = 0, cover_w = 0;
    for (uint32_t rep = 0; rep < REPS; rep++) {
        parley_rng rng;
        parley_stream_id id = {99, rep, 0, PARLEY_MECH_GENERIC, 0, 0};
        parley_rng_init(&rng, &id);
        double s = 0;
        for (int j = 0; j < M; j++) {
            double p = parley_rng_beta(&rng, 2, 3);
            succ[j] = parley_rng_binomial(&rng, N, p);
            n[j] = N;
            s += succ[j];
        }
        parley_interval c = parley_clustered_proportion(succ, n, M);
        parley_interval w = parley_wilson(s, (double)M * N, PARLEY_Z95);
        NEAR(c.estimate, w.estimate, 1e-15);
        assert_true(c.hi - c.lo >= w.hi - w.lo - 1e-12);
        cover_c += c.lo <= 0.4 && 0.4 <= c.hi;
        cover_w += w.lo <= 0.4 && 0.4 <= w.hi;
    }
    /* 95% nominal; with 400 replications and M = 20 clusters, 0.90 is a
     * generous floor (a binomial 3-sigma band is +-0.033). */
    assert_true(cover_c >= (int)(0.90 * REPS));
    assert_true(cover_w <= (int)(0.60 * REPS));
    /* Identical draws: the design effect floors at 1 and Wilson comes back. */
    for (int j = 0; j < M; j++) {
        succ[j] = 80;
        n[j] = N;
    }
    parley_interval c = parley_clustered_proportion(succ, n, M);
    parley_interval w = parley_wilson(80.0 * M, (double)N * M, PARLEY_Z95);
    NEAR(c.lo, w.lo, 1e-12);
    NEAR(c.hi, w.hi, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wilson),
        cmocka_unit_test(test_quantile_and_t),
        cmocka_unit_test(test_paired_difference),
        cmocka_unit_test(test_clustered_coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
