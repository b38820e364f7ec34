/* The RNG: Random123's published known-answer vectors for Philox4x32-10,
 * stream independence and reproducibility, and the moments of each
 * distribution (checked with tolerances of several standard errors, on fixed
 * seeds, so the test is deterministic). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "parley/rng.h"

static void test_philox_known_answers(void **state)
{
    (void)state;
    /* kat_vectors from Random123 1.09 (D. E. Shaw Research). */
    static const uint32_t cases[3][10] = {
        {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d,
         0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
         0x94fdcceb, 0x5001e420, 0x24126ea1},
    };
    for (int c = 0; c < 3; c++) {
        uint32_t out[4];
        parley_philox4x32_10(&cases[c][0], &cases[c][4], out);
        for (int w = 0; w < 4; w++)
            assert_int_equal(out[w], cases[c][6 + w]);
    }
}

static void test_same_stream_same_numbers(void **state)
{
    (void)state;
    parley_stream_id id = {.seed = 42, .draw = 3, .run = 7, .mechanism = PARLEY_MECH_GAME,
                           .actor = 2, .round = 11};
    parley_rng a, b;
    parley_rng_init(&a, &id);
    parley_rng_init(&b, &id);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(parley_rng_u32(&a), parley_rng_u32(&b));
}

/* Streams that differ in any one coordinate must not share numbers: we check
 * that their first 64 words differ and that correlation of their uniforms is
 * within 4 standard errors of zero. */
static double correlation(parley_stream_id *x, parley_stream_id *y, int n)
{
    parley_rng a, b;
    parley_rng_init(&a, x);
    parley_rng_init(&b, y);
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (int i = 0; i < n; i++) {
        double u = parley_rng_uniform(&a), v = parley_rng_uniform(&b);
        sa += u;
        sb += v;
        saa += u * u;
        sbb += v * v;
        sab += u * v;
    }
    double cov = sab / n - (sa / n) * (sb / n);
    double va = saa / n - (sa / n) * (sa / n), vb = sbb / n - (sb / n) * (sb / n);
    return cov / sqrt(va * vb);
}

static void test_streams_independent(void **state)
{
    (void)state;
    const int n = 20000;
    parley_stream_id base = {.seed = 1, .draw = 0, .run = 0, .mechanism = 1, .actor = 0, .round = 0};
    for (int coord = 0; coord < 6; coord++) {
        parley_stream_id other = base;
        switch (coord) {
        case 0: other.seed = 2; break;
        case 1: other.draw = 1; break;
        case 2: other.run = 1; break;
        case 3: other.mechanism = 2; break;
        case 4: other.actor = 1; break;
        default: other.round = 1; break;
        }
        parley_rng a, b;
        parley_rng_init(&a, &base);
        parley_rng_init(&b, &other);
        int equal = 0;
        for (int i = 0; i < 64; i++)
            equal += parley_rng_u32(&a) == parley_rng_u32(&b);
        assert_true(equal <= 1);
        double r = correlation(&base, &other, n);
        assert_true(fabs(r) < 4.0 / sqrt((double)n));
    }
}

static void test_uniform_moments(void **state)
{
    (void)state;
    parley_rng rng;
    parley_rng_seed(&rng, 7);
    const int n = 200000;
    double sum = 0, sumsq = 0;
    for (int i = 0; i < n; i++) {
        double u = parley_rng_uniform(&rng);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
        sumsq += u * u;
    }
    double mean = sum / n, var = sumsq / n - mean * mean;
    assert_true(fabs(mean - 0.5) < 4.0 * sqrt(1.0 / 12.0 / n));
    assert_true(fabs(var - 1.0 / 12.0) < 0.002);
}

static void test_below_is_unbiased(void **state)
{
    (void)state;
    parley_rng rng;
    parley_rng_seed(&rng, 9);
    int counts[6] = {0};
    const int n = 60000;
    for (int i = 0; i < n; i++) {
        uint32_t k = parley_rng_below(&rng, 6);
        assert_true(k < 6);
        counts[k]++;
    }
    double expected = n / 6.0, chi2 = 0;
    for (int k = 0; k < 6; k++)
        chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
    assert_true(chi2 < 20.5); /* chi-square, 5 df, p = 0.001 */
}

static void test_normal_moments(void **state)
{
    (void)state;
    parley_rng rng;
    parley_rng_seed(&rng, 11);
    const int n = 200000;
    double sum = 0, sumsq = 0;
    for (int i = 0; i < n; i++) {
        double z = parley_rng_normal(&rng);
        sum += z;
        sumsq += z * z;
    }
    assert_true(fabs(sum / n) < 4.0 / sqrt((double)n));
    assert_true(fabs(sumsq / n - 1.0) < 4.0 * sqrt(2.0 / n));
}

static void check_beta(double a, double b, uint64_t seed)
{
    parley_rng rng;
    parley_rng_seed(&rng, seed);
    const int n = 100000;
    double sum = 0, sumsq = 0;
    for (int i = 0; i < n; i++) {
        double x = parley_rng_beta(&rng, a, b);
        assert_true(x >= 0.0 && x <= 1.0);
        sum += x;
        sumsq += x * x;
    }
    double mean = a / (a + b), var = a * b / ((a + b) * (a + b) * (a + b + 1));
    double m = sum / n;
    assert_true(fabs(m - mean) < 4.0 * sqrt(var / n));
    assert_true(fabs(sumsq / n - m * m - var) < 0.05 * var + 1e-4);
}

static void test_beta_moments(void **state)
{
    (void)state;
    check_beta(2.0, 5.0, 1);
    check_beta(0.5, 0.5, 2);
    check_beta(30.0, 3.0, 3);
}

static void check_binomial(uint32_t n, double p, uint64_t seed)
{
    parley_rng rng;
    parley_rng_seed(&rng, seed);
    const int draws = 50000;
    double sum = 0, sumsq = 0;
    for (int i = 0; i < draws; i++) {
        uint32_t k = parley_rng_binomial(&rng, n, p);
        assert_true(k <= n);
        sum += k;
        sumsq += (double)k * k;
    }
    double mean = n * p, var = n * p * (1 - p);
    double m = sum / draws;
    assert_true(fabs(m - mean) < 4.0 * sqrt(var / draws) + 1e-9);
    assert_true(fabs(sumsq / draws - m * m - var) < 0.05 * var + 1e-9);
}

static void test_binomial_moments(void **state)
{
    (void)state;
    check_binomial(10, 0.3, 1);     /* inversion */
    check_binomial(1000, 0.25, 2);  /* BTRS */
    check_binomial(500, 0.9, 3);    /* BTRS on the flipped side */
    assert_int_equal(parley_rng_binomial(&(parley_rng){0}, 0, 0.5), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_philox_known_answers), cmocka_unit_test(test_same_stream_same_numbers),
        cmocka_unit_test(test_streams_independent),  cmocka_unit_test(test_uniform_moments),
        cmocka_unit_test(test_below_is_unbiased),    cmocka_unit_test(test_normal_moments),
        cmocka_unit_test(test_beta_moments),         cmocka_unit_test(test_binomial_moments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
