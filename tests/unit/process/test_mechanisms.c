/* Each mechanism of the process model against a hand computation (the numbers
 * in the comments are worked on paper; docs/MODEL.md states the equations). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "process/mechanisms.h"

#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void test_hazard(void **state)
{
    (void)state;
    CLOSE(parley__hazard_probability(0.0), 0.0);
    CLOSE(parley__hazard_probability(-1.0), 0.0);
    CLOSE(parley__hazard_probability(log(2.0)), 0.5); /* 1 - exp(-ln 2) */
}

static void test_participation_logit(void **state)
{
    (void)state;
    /* utility = 1 + (1 + 2 * 0.5) * 1 - 2.5 = 0.5; 1 / (1 + e^-0.5) = 0.6224593312 */
    CLOSE(parley__participation_probability(1.0, 1.0, 1.0, 0.5, 2.0, 2.5), 0.62245933120185456);
    /* need raises the weight of aid: same offer, no famine, utility = -0.5 */
    CLOSE(parley__participation_probability(1.0, 1.0, 1.0, 0.0, 2.0, 2.5), 0.37754066879814544);
    /* extreme utilities do not overflow */
    CLOSE(parley__participation_probability(1.0, -1e6, 0, 0, 0, 0), 0.0);
    CLOSE(parley__participation_probability(1.0, 1e6, 0, 0, 0, 0), 1.0);
}

static void test_coordination(void **state)
{
    (void)state;
    CLOSE(parley__coordinate(80.0, 40.0, 0.25), 70.0);
    CLOSE(parley__coordinate(80.0, 40.0, 2.0), 40.0); /* weight clamped to 1 */
}

static void test_acceptance(void **state)
{
    (void)state;
    /* q = 0.6: 0.6 * 10 + 0.4 * (0 - 10) = 2 >= 0, accept; q = 0.4: 4 - 6 < 0 */
    assert_true(parley__accepts(0.6, 10.0, 0.0, 10.0));
    assert_false(parley__accepts(0.4, 10.0, 0.0, 10.0));
    CLOSE(parley__acceptance_threshold(10.0, 0.0, 10.0), 0.5);
    assert_true(parley__accepts(0.5, 10.0, 0.0, 10.0)); /* at the threshold: accept */
    assert_true(isinf(parley__acceptance_threshold(-1.0, 0.0, 10.0)));
    CLOSE(parley__acceptance_threshold(5.0, 0.0, 0.0), 0.0); /* nothing to lose */
}

static void test_kydd_thresholds(void **state)
{
    (void)state;
    /* assurance R, S, T, P = 3, 0, 2, 1: (1 - 0) / ((3 - 2) + (1 - 0)) = 1/2 */
    CLOSE(parley__assurance_threshold(3, 0, 2, 1), 0.5);
    /* R, S, T, P = 4, 0, 1, 2: 2 / (3 + 2) = 0.4 */
    CLOSE(parley__assurance_threshold(4, 0, 1, 2), 0.4);
    /* prisoner's dilemma 3, 0, 5, 1 is no assurance game */
    assert_true(isinf(parley__assurance_threshold(3, 0, 5, 1)));
    /* PD: (5 - 3) / (5 - 1) = 0.5 */
    CLOSE(parley__patience_threshold(3, 5, 1), 0.5);
    CLOSE(parley__patience_threshold(3, 2, 1), 0.0);
}

static void test_channel_aware_beta_update(void **state)
{
    (void)state;
    /* Beta(2, 2), d = 0.8, f = 0.1, alarm: w = 0.5*0.8 / (0.5*0.8 + 0.5*0.1) = 8/9 */
    double a = 2.0, b = 2.0;
    parley__belief_update(&a, &b, true, 0.8, 0.1);
    CLOSE(b, 2.0 + 8.0 / 9.0);
    CLOSE(a, 2.0 + 1.0 / 9.0);
    /* clean signal: w = 0.5*0.2 / (0.5*0.2 + 0.5*0.9) = 2/11 */
    a = 2.0, b = 2.0;
    parley__belief_update(&a, &b, false, 0.8, 0.1);
    CLOSE(b, 2.0 + 2.0 / 11.0);
    CLOSE(a, 2.0 + 9.0 / 11.0);
    /* an uninformative channel (d == f) adds the current mean: the mean stays */
    a = 3.0, b = 1.0;
    parley__belief_update(&a, &b, true, 0.3, 0.3);
    CLOSE(a / (a + b), 0.75);
    /* a perfect channel: an alarm is a certain violation */
    a = 5.0, b = 5.0;
    parley__belief_update(&a, &b, true, 1.0, 0.0);
    CLOSE(b, 6.0);
    CLOSE(a, 5.0);
    /* with many false alarms an alarm says little: compare f = 0.4 with f = 0.05 */
    double a1 = 4, b1 = 4, a2 = 4, b2 = 4;
    parley__belief_update(&a1, &b1, true, 0.8, 0.4);
    parley__belief_update(&a2, &b2, true, 0.8, 0.05);
    assert_true(a1 / (a1 + b1) > a2 / (a2 + b2));
}

static void test_support_loss_aversion(void **state)
{
    (void)state;
    /* gain of 0.1 over expectations with kappa 0.5: +0.05 */
    CLOSE(parley__support_update(0.5, 0.5, 2.25, 0.6, 0.5, 0.0, 0.0), 0.55);
    /* the same shortfall weighs 2.25 times: 0.5 - 0.5 * 2.25 * 0.1 = 0.3875 */
    CLOSE(parley__support_update(0.5, 0.5, 2.25, 0.4, 0.5, 0.0, 0.0), 0.3875);
    /* spoilers publicising two alarms at strength 0.05 */
    CLOSE(parley__support_update(0.5, 0.5, 2.25, 0.5, 0.5, 0.05, 2.0), 0.4);
    CLOSE(parley__support_update(0.05, 1.0, 2.0, 0.0, 1.0, 0.0, 0.0), 0.0); /* clamped */
    CLOSE(parley__expectation_update(0.2, 0.5, 0.6, 0.1), 0.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hazard),           cmocka_unit_test(test_participation_logit),
        cmocka_unit_test(test_coordination),     cmocka_unit_test(test_acceptance),
        cmocka_unit_test(test_kydd_thresholds),  cmocka_unit_test(test_channel_aware_beta_update),
        cmocka_unit_test(test_support_loss_aversion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
