/* Morris and Sobol on functions with known answers: a linear function (exact
 * elementary effects) and the Ishigami function (analytic indices; Ishigami &
 * Homma 1990, Saltelli et al. 2008, a = 7, b = 0.1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "parley/montecarlo.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) < (tol))
static const double PI = 3.14159265358979323846;

static void test_ishigami_analytic(void **state)
{
    (void)state;
    double s1[3], st[3];
    parley_ishigami_indices(7, 0.1, s1, st);
    /* Published values (Saltelli et al. 2008, Table 4.?; also SALib docs). */
    NEAR(s1[0], 0.3139, 1e-4);
    NEAR(s1[1], 0.4424, 1e-4);
    NEAR(s1[2], 0.0, 1e-12);
    NEAR(st[0], 0.5576, 1e-4);
    NEAR(st[1], 0.4424, 1e-4);
    NEAR(st[2], 0.2437, 1e-4);
}

static void test_sobol_ishigami(void **state)
{
    (void)state;
    const size_t k = 3, n = 20000;
    double *x = malloc(sizeof(double) * n * (k + 2) * k), *y = malloc(sizeof(double) * n * (k + 2));
    assert_non_null(x);
    assert_non_null(y);
    parley_sobol_design(11, k, n, x);
    for (size_t r = 0; r < n * (k + 2); r++) {
        double z[3];
        for (size_t j = 0; j < k; j++)
            z[j] = -PI + 2 * PI * x[r * k + j];
        y[r] = parley_ishigami(z, 7, 0.1);
    }
    double s1[3], lo[3], hi[3], st[3], tlo[3], thi[3], a1[3], at[3];
    double var = parley_sobol_indices(y, k, n, 11, 200, s1, lo, hi, st, tlo, thi);
    parley_ishigami_indices(7, 0.1, a1, at);
    NEAR(var, 13.8446, 0.5); /* V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 */
    for (size_t j = 0; j < k; j++) {
        NEAR(s1[j], a1[j], 0.03);
        NEAR(st[j], at[j], 0.03);
        assert_true(lo[j] <= s1[j] && s1[j] <= hi[j]);
        assert_true(tlo[j] <= st[j] && st[j] <= thi[j]);
        assert_true(hi[j] - lo[j] < 0.1);
    }
    free(x);
    free(y);
}

static void test_morris(void **state)
{
    (void)state;
    const size_t k = 3, r = 20;
    double *x = malloc(sizeof(double) * r * (k + 1) * k), *y = malloc(sizeof(double) * r * (k + 1));
    assert_non_null(x);
    assert_non_null(y);
    parley_morris_design(3, k, r, 4, x);
    /* Each step of a trajectory moves one coordinate by Delta = 2/3. */
    for (size_t t = 0; t < r; t++)
        for (size_t s = 0; s < k; s++) {
            int moved = 0;
            for (size_t j = 0; j < k; j++) {
                double d = x[(t * (k + 1) + s + 1) * k + j] - x[(t * (k + 1) + s) * k + j];
                if (d != 0) {
                    moved++;
                    NEAR(fabs(d), 2.0 / 3.0, 1e-12);
                }
            }
            assert_int_equal(moved, 1);
        }
    /* Linear: elementary effects are the coefficients, exactly. */
    for (size_t i = 0; i < r * (k + 1); i++)
        y[i] = 1.0 * x[i * k] - 2.0 * x[i * k + 1] + 0.0 * x[i * k + 2];
    double ms[3], mu[3], sg[3];
    parley_morris_indices(x, y, k, r, ms, mu, sg);
    NEAR(mu[0], 1, 1e-9);
    NEAR(mu[1], -2, 1e-9);
    NEAR(ms[1], 2, 1e-9);
    NEAR(ms[2], 0, 1e-12);
    NEAR(sg[0], 0, 1e-9);
    /* Ishigami: x3 acts only through its interaction with x1, so its mu is
     * near zero while mu* and sigma are not; all three matter. */
    for (size_t i = 0; i < r * (k + 1); i++) {
        double z[3];
        for (size_t j = 0; j < k; j++)
            z[j] = -PI + 2 * PI * x[i * k + j];
        y[i] = parley_ishigami(z, 7, 0.1);
    }
    parley_morris_indices(x, y, k, r, ms, mu, sg);
    for (size_t j = 0; j < k; j++)
        assert_true(ms[j] > 1.0);
    assert_true(sg[2] > 1.0);
    free(x);
    free(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ishigami_analytic),
        cmocka_unit_test(test_sobol_ishigami),
        cmocka_unit_test(test_morris),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
