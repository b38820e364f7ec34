/* Imperfect verification: cases derived on paper, and seeded simulation
 * agreeing with the exact chain (long run) and the exact dynamic programme
 * (finite horizon) within 4 standard errors for several (noise, detection,
 * false-alarm) settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/game.h"

static parley_stage_game pd(void)
{
    parley_stage_game g;
    parley_stage_game_symmetric(&g, 3, 0, 5, 1);
    return g;
}

static parley_strategy *make(const char *spec)
{
    parley_stage_game g = pd();
    parley_strategy *s = NULL;
    parley_error err = {0};
    assert_int_equal(parley_strategy_parse(spec, &g, &s, &err), PARLEY_OK);
    return s;
}

static void exact_pair(const char *a, const char *b, parley_channel c, uint32_t turns,
                       parley_expectation *lr, parley_expectation *fh)
{
    parley_stage_game g = pd();
    parley_strategy *s1 = make(a), *s2 = make(b);
    parley_error err = {0};
    if (lr)
        assert_int_equal(parley_exact_long_run(s1, s2, &g, &c, lr, &err), PARLEY_OK);
    if (fh)
        assert_int_equal(parley_exact_finite(s1, s2, &g, &c, turns, fh, &err), PARLEY_OK);
    parley_strategy_free(s1);
    parley_strategy_free(s2);
}

#define NEAR(x, y) assert_true(fabs((x) - (y)) < 1e-12)

/* TitForTat v Cooperator, false alarms at rate f, no noise: TitForTat plays C
 * after seeing C, i.e. with probability 1 - f each round after the first. */
static void test_tft_cooperator_false_alarm(void **state)
{
    (void)state;
    double f = 0.15;
    parley_channel c = {0, 1, f};
    parley_expectation lr, fh;
    exact_pair("TitForTat", "Cooperator", c, 50, &lr, &fh);
    NEAR(lr.cooperation[0], 1 - f);
    NEAR(lr.cooperation[1], 1);
    NEAR(lr.payoff[0], (1 - f) * 3 + f * 5);
    NEAR(lr.payoff[1], (1 - f) * 3 + f * 0);
    NEAR(fh.cooperation[0], (1 + 49 * (1 - f)) / 50);
}

/* TitForTat v Defector with noise e, detection d, false alarms f: TitForTat
 * sees D with q = (1-e) d + e f and then intends D; its actual cooperation is
 * (1-q)(1-e) + q e in the long run. */
static void test_tft_defector_all_errors(void **state)
{
    (void)state;
    double e = 0.07, d = 0.8, f = 0.1;
    parley_channel c = {e, d, f};
    parley_expectation lr;
    exact_pair("TitForTat", "Defector", c, 0, &lr, NULL);
    double q = (1 - e) * d + e * f;
    double coop = (1 - q) * (1 - e) + q * e;
    NEAR(lr.cooperation[0], coop);
    NEAR(lr.cooperation[1], e);
    NEAR(lr.outcome[0], coop * e);
    NEAR(lr.payoff[1], coop * (e * 3 + (1 - e) * 5) + (1 - coop) * (e * 0 + (1 - e) * 1));
}

/* Grudger v Cooperator: cooperates until its first false alarm, so in round t
 * with probability (1-f)^(t-1); never in the long run. */
static void test_grudger_false_alarm(void **state)
{
    (void)state;
    double f = 0.03;
    uint32_t T = 40;
    parley_channel c = {0, 1, f};
    parley_expectation lr, fh;
    exact_pair("Grudger", "Cooperator", c, T, &lr, &fh);
    NEAR(lr.cooperation[0], 0);
    assert_true(fabs(fh.cooperation[0] - (1 - pow(1 - f, T)) / (f * T)) < 1e-12);
}

/* TitForTat v TitForTat: any false alarm with perfect detection locks both
 * into mutual defection; missed defections without false alarms lead back to
 * mutual cooperation and stay there. */
static void test_tft_pairs_absorb(void **state)
{
    (void)state;
    parley_expectation lr;
    exact_pair("TitForTat", "TitForTat", (parley_channel){0, 1, 0.01}, 0, &lr, NULL);
    NEAR(lr.outcome[3], 1);
    NEAR(lr.payoff[0], 1);
    exact_pair("TitForTat", "SuspiciousTitForTat", (parley_channel){0, 0.5, 0}, 0, &lr, NULL);
    NEAR(lr.outcome[0], 1);
    /* Perfect channel, no noise: TFT v STFT alternate CD/DC forever, a
     * periodic closed class that the Cesaro limit averages. */
    exact_pair("TitForTat", "SuspiciousTitForTat", (parley_channel){0, 1, 0}, 0, &lr, NULL);
    NEAR(lr.outcome[1], 0.5);
    NEAR(lr.outcome[2], 0.5);
    NEAR(lr.payoff[0], 2.5);
}

/* Exact values are repeatable; what a Cooperator and a Defector observe
 * changes nothing they do. */
static void test_exact_repeatable_and_blind_strategies(void **state)
{
    (void)state;
    parley_expectation a, b;
    exact_pair("WinStayLoseShift", "GTFT", (parley_channel){0.05, 1, 0}, 100, NULL, &a);
    exact_pair("WinStayLoseShift", "GTFT", (parley_channel){0.05, 1, 0}, 100, NULL, &b);
    assert_memory_equal(&a, &b, sizeof a);
    exact_pair("Cooperator", "Defector", (parley_channel){0, 0.3, 0.4}, 10, &a, NULL);
    NEAR(a.payoff[0], 0);
    NEAR(a.payoff[1], 5);
}

/* TitForTat v TitForTat is a doubly stochastic chain for any noise e > 0, so
 * its long run is uniform over CC, CD, DC, DD (payoff 2.25) however small e
 * is; the stationary solve must not lose that to cancellation. */
static void test_tiny_noise_long_run(void **state)
{
    (void)state;
    const double noises[] = {1e-3, 1e-8, 1e-12, 1e-15};
    for (int i = 0; i < 4; i++) {
        parley_expectation lr;
        exact_pair("TitForTat", "TitForTat", (parley_channel){noises[i], 1, 0}, 0, &lr, NULL);
        for (int o = 0; o < 4; o++)
            assert_true(fabs(lr.outcome[o] - 0.25) < 1e-12);
        exact_pair("WinStayLoseShift", "TitForTat", (parley_channel){noises[i], 1, 0}, 0, &lr,
                   NULL);
        assert_true(lr.payoff[0] > 0 && lr.payoff[0] < 5);
        /* Grudger leaves its cooperative start only by a rare false alarm:
         * absorbed into defection with probability 1, however rare. */
        exact_pair("Grudger", "Cooperator", (parley_channel){0, 1, noises[i]}, 0, &lr, NULL);
        assert_true(fabs(lr.cooperation[0]) < 1e-12 && fabs(lr.payoff[0] - 5) < 1e-12);
    }
}

/* Per-turn payoff and cooperation means of `reps` seeded matches. */
typedef struct stats {
    double mean[4], se[4]; /* payoff 1, payoff 2, cooperation 1, cooperation 2 */
} stats;

static stats simulate(const parley_strategy *s1, const parley_strategy *s2,
                      const parley_channel *c, uint32_t turns, uint32_t reps, uint64_t seed)
{
    parley_stage_game g = pd();
    double sum[4] = {0}, sq[4] = {0};
    for (uint32_t r = 0; r < reps; r++) {
        parley_stream_id id = {.seed = seed, .run = r, .mechanism = PARLEY_MECH_GAME};
        parley_match_result m;
        parley_match_play(s1, s2, &g, c, turns, &id, &m, NULL, NULL);
        double x[4] = {m.score[0] / turns, m.score[1] / turns,
                       (double)m.cooperations[0] / turns, (double)m.cooperations[1] / turns};
        for (int k = 0; k < 4; k++) {
            sum[k] += x[k];
            sq[k] += x[k] * x[k];
        }
    }
    stats s;
    for (int k = 0; k < 4; k++) {
        s.mean[k] = sum[k] / reps;
        double var = (sq[k] - reps * s.mean[k] * s.mean[k]) / (reps - 1);
        s.se[k] = sqrt(var > 0 ? var / reps : 0);
    }
    return s;
}

static void agree(const char *what, const stats *s, const parley_expectation *ex, double slack)
{
    double want[4] = {ex->payoff[0], ex->payoff[1], ex->cooperation[0], ex->cooperation[1]};
    for (int k = 0; k < 4; k++) {
        double tol = 4 * s->se[k] + slack;
        if (!(fabs(s->mean[k] - want[k]) <= tol + 1e-12))
            fail_msg("%s: quantity %d simulated %.6f (se %.6f), exact %.6f", what, k, s->mean[k],
                     s->se[k], want[k]);
    }
}

static void test_simulation_matches_exact(void **state)
{
    (void)state;
    const parley_channel settings[] = {
        {0.05, 0.8, 0.1}, {0.0, 0.6, 0.2}, {0.1, 1.0, 0.05}, {0.02, 0.9, 0.0}, {0.05, 1.0, 0.0},
    };
    const char *pairs[][2] = {
        {"TitForTat", "WinStayLoseShift"}, {"GTFT:0.3", "TitFor2Tats"},
        {"Grudger", "Random:0.7"},         {"GoByMajority", "Hedger:0.6:1:1"},
        {"WinStayLoseShift", "ZD:2"},      {"TitFor2Tats", "SuspiciousTitForTat"},
        {"Alternator", "MemoryOne:0.9:0.2:0.6:0.1:0.5"},
    };
    parley_stage_game g = pd();
    uint64_t seed = 1000;
    for (size_t si = 0; si < sizeof settings / sizeof settings[0]; si++)
        for (size_t pi = 0; pi < sizeof pairs / sizeof pairs[0]; pi++) {
            parley_strategy *s1 = make(pairs[pi][0]), *s2 = make(pairs[pi][1]);
            const parley_channel *c = &settings[si];
            char what[200];
            snprintf(what, sizeof what, "%s v %s at (%g, %g, %g)", pairs[pi][0], pairs[pi][1],
                     c->noise, c->detect, c->false_alarm);
            parley_error err = {0};
            parley_expectation fh;
            assert_int_equal(parley_exact_finite(s1, s2, &g, c, 30, &fh, &err), PARLEY_OK);
            stats s = simulate(s1, s2, c, 30, 4000, seed++);
            agree(what, &s, &fh, 0);
            if (parley_strategy_is_finite(s1) && parley_strategy_is_finite(s2)) {
                parley_expectation lr;
                assert_int_equal(parley_exact_long_run(s1, s2, &g, c, &lr, &err), PARLEY_OK);
                /* Long matches: the start's transient adds O(1/turns) bias. */
                stats l = simulate(s1, s2, c, 20000, 40, seed++);
                agree(what, &l, &lr, 2e-3);
            }
            parley_strategy_free(s1);
            parley_strategy_free(s2);
        }
}

/* Two parties of an N-party game play the same game as a pair: their mean
 * payoffs over many seeded games agree with the exact finite horizon. */
static void test_ngame_matches_exact(void **state)
{
    (void)state;
    parley_stage_game g = pd();
    parley_strategy *a = make("TitForTat"), *b = make("GTFT:0.3");
    parley_channel c = {0.05, 0.8, 0.1};
    parley_channel both[2] = {c, c};
    const parley_strategy *parties[2] = {a, b};
    parley_expectation ex;
    parley_error err = {0};
    assert_int_equal(parley_exact_finite(a, b, &g, &c, 20, &ex, &err), PARLEY_OK);
    for (int mode = 0; mode < 2; mode++) {
        double sum[2] = {0, 0}, sq[2] = {0, 0};
        int reps = 4000;
        for (int r = 0; r < reps; r++) {
            parley_stream_id base = {.seed = 77, .run = (uint32_t)r};
            parley_ngame *ng = NULL;
            assert_int_equal(parley_ngame_create(2, parties, &g, both, (parley_ngame_mode)mode, 1,
                                                 &base, &ng, &err),
                             PARLEY_OK);
            double total[2] = {0, 0}, pay[2];
            for (int t = 0; t < 20; t++) {
                parley_ngame_step(ng, pay);
                total[0] += pay[0];
                total[1] += pay[1];
            }
            for (int i = 0; i < 2; i++) {
                sum[i] += total[i] / 20;
                sq[i] += (total[i] / 20) * (total[i] / 20);
            }
            parley_ngame_free(ng);
        }
        for (int i = 0; i < 2; i++) {
            double mean = sum[i] / reps;
            double se = sqrt((sq[i] / reps - mean * mean) / (reps - 1));
            if (!(fabs(mean - ex.payoff[i]) < 4 * se))
                fail_msg("mode %d party %d: %.6f (se %.6f) v exact %.6f", mode, i, mean, se,
                         ex.payoff[i]);
        }
    }
    parley_strategy_free(a);
    parley_strategy_free(b);
}

/* The low-level channel draws have the documented frequencies. */
static void test_channel_draws(void **state)
{
    (void)state;
    parley_channel c = {0.2, 0.7, 0.1};
    parley_stream_id id = {.seed = 5, .mechanism = PARLEY_MECH_VERIFICATION};
    parley_rng rng;
    parley_rng_init(&rng, &id);
    int n = 200000, flips = 0, seen_d = 0, alarms = 0;
    for (int i = 0; i < n; i++) {
        flips += parley_channel_implement(&c, PARLEY_C, &rng) == PARLEY_D;
        seen_d += parley_channel_observe(&c, PARLEY_D, &rng) == PARLEY_D;
        alarms += parley_channel_observe(&c, PARLEY_C, &rng) == PARLEY_D;
    }
    assert_true(fabs(flips / (double)n - 0.2) < 4 * sqrt(0.2 * 0.8 / n));
    assert_true(fabs(seen_d / (double)n - 0.7) < 4 * sqrt(0.7 * 0.3 / n));
    assert_true(fabs(alarms / (double)n - 0.1) < 4 * sqrt(0.1 * 0.9 / n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tft_cooperator_false_alarm),
        cmocka_unit_test(test_tft_defector_all_errors),
        cmocka_unit_test(test_grudger_false_alarm),
        cmocka_unit_test(test_tft_pairs_absorb),
        cmocka_unit_test(test_exact_repeatable_and_blind_strategies),
        cmocka_unit_test(test_tiny_noise_long_run),
        cmocka_unit_test(test_simulation_matches_exact),
        cmocka_unit_test(test_ngame_matches_exact),
        cmocka_unit_test(test_channel_draws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
