/* The Moran process against its analytic fixation probabilities: neutral
 * drift (a mutant among identical residents fixes with probability 1/N, i/N
 * from i mutants), constant relative fitness r (a game whose payoff depends
 * only on one's own action: rho = (1 - r^-i) / (1 - r^-N), computed by hand
 * below), and frequency-dependent fitness (TitForTat invading Defector),
 * where the birth-death formula is exact for deterministic play. Simulated
 * frequencies must fall within 4 standard errors (seeded, so deterministic);
 * results must not depend on the thread count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/game.h"

static parley_strategy *make(const char *spec, const parley_stage_game *g)
{
    parley_strategy *s = NULL;
    parley_error err = {0};
    if (parley_strategy_parse(spec, g, &s, &err) != PARLEY_OK)
        fail_msg("%s: %s", spec, err.count ? err.items[0].what : "?");
    return s;
}

/* Fixation frequency of type 0 over `runs` runs. */
static double simulate(const parley_moran_config *cfg, uint32_t runs, unsigned threads,
                       uint32_t *unfixed)
{
    parley_moran_summary s;
    parley_error err = {0};
    if (parley_moran_estimate(cfg, runs, threads, &s, &err) != PARLEY_OK)
        fail_msg("moran: %s", err.count ? err.items[0].what : "?");
    assert_int_equal(s.runs, runs);
    assert_int_equal(s.fixations[0] + s.fixations[1] + s.unfixed, runs);
    double p = (double)s.fixations[0] / runs;
    if (unfixed)
        *unfixed = s.unfixed;
    parley_moran_summary_free(&s);
    return p;
}

static void within_4se(double observed, double expected, uint32_t runs)
{
    double se = sqrt(expected * (1 - expected) / runs);
    if (!(fabs(observed - expected) <= 4 * se))
        fail_msg("observed %.5f, expected %.5f (4 SE = %.5f)", observed, expected, 4 * se);
}

static void test_neutral_drift(void **state)
{
    (void)state;
    parley_stage_game g;
    parley_stage_game_symmetric(&g, 3, 0, 5, 1);
    /* Two copies of Cooperator under different names: identical fitness in
     * every population, so fixation is pure drift. */
    parley_strategy *a = make("Cooperator", &g), *b = make("MemoryOne:1:1:1:1:C", &g);
    double exact;
    parley_error err = {0};
    for (uint32_t n = 2; n <= 20; n += 6)
        for (uint32_t i = 1; i < n; i += 3) {
            assert_int_equal(
                parley_moran_fixation_exact(a, b, &g, &PARLEY_CHANNEL_PERFECT, 10, n, i, &exact, &err),
                PARLEY_OK);
            assert_true(fabs(exact - (double)i / n) < 1e-12);
        }
    const parley_strategy *types[2] = {a, b};
    uint32_t initial[2] = {1, 9};
    parley_moran_config cfg = {.ntypes = 2, .types = types, .initial = initial, .game = g,
                               .channel = PARLEY_CHANNEL_PERFECT, .turns = 5, .seed = 11};
    uint32_t unfixed = 1;
    double p = simulate(&cfg, 20000, 2, &unfixed);
    assert_int_equal(unfixed, 0);
    within_4se(p, 0.1, 20000);
    /* three mutants in ten: 3/10 */
    initial[0] = 3;
    initial[1] = 7;
    within_4se(simulate(&cfg, 20000, 1, NULL), 0.3, 20000);
    /* Noise on every move does not break neutrality (both always intend C):
     * the simulated process plays every match. */
    cfg.channel.noise = 0.1;
    initial[0] = 1;
    initial[1] = 4;
    within_4se(simulate(&cfg, 4000, 2, NULL), 0.2, 4000);
    parley_strategy_free(a);
    parley_strategy_free(b);
}

static void test_constant_fitness(void **state)
{
    (void)state;
    /* Payoff 2 for playing C and 1 for D whatever the other does (R = S = 2,
     * T = P = 1): a Cooperator's fitness is twice a Defector's in every
     * population, r = 2. By hand, N = 4, one mutant:
     *   rho = (1 - 1/2) / (1 - 1/16) = (1/2) / (15/16) = 8/15;
     * two mutants: (1 - 1/4) / (15/16) = 12/15 = 4/5. Reversed (a Defector
     * invading Cooperators, r = 1/2): (1 - 2) / (1 - 16) = 1/15. */
    parley_stage_game g;
    parley_stage_game_symmetric(&g, 2, 2, 1, 1);
    parley_strategy *c = make("Cooperator", &g), *d = make("Defector", &g);
    parley_error err = {0};
    double exact;
    struct {
        parley_strategy *mutant, *resident;
        uint32_t i;
        double rho;
    } cases[] = {{c, d, 1, 8.0 / 15}, {c, d, 2, 4.0 / 5}, {d, c, 1, 1.0 / 15}};
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(parley_moran_fixation_exact(cases[k].mutant, cases[k].resident, &g,
                                                     &PARLEY_CHANNEL_PERFECT, 7, 4, cases[k].i,
                                                     &exact, &err),
                         PARLEY_OK);
        assert_true(fabs(exact - cases[k].rho) < 1e-12);
        const parley_strategy *types[2] = {cases[k].mutant, cases[k].resident};
        uint32_t initial[2] = {cases[k].i, 4 - cases[k].i};
        parley_moran_config cfg = {.ntypes = 2, .types = types, .initial = initial, .game = g,
                                   .channel = PARLEY_CHANNEL_PERFECT, .turns = 7,
                                   .seed = 5 + k};
        within_4se(simulate(&cfg, 20000, 2, NULL), cases[k].rho, 20000);
    }
    parley_strategy_free(c);
    parley_strategy_free(d);
}

static void test_frequency_dependent(void **state)
{
    (void)state;
    /* TitForTat invading Defector in the PD over 10 rounds: a TFT earns 9
     * against a Defector (0 then 1 x 9) and 30 against TFT; a Defector 14
     * against TFT (5 + 9) and 10 against a Defector. With N = 4 and one
     * mutant: f_1 = 3 x 9 = 27, g_1 = 14 + 2 x 10 = 34; f_2 = 30 + 18 = 48,
     * g_2 = 28 + 10 = 38; f_3 = 60 + 9 = 69, g_3 = 42; so
     * rho = 1 / (1 + 34/27 + (34/27)(38/48) + (34/27)(38/48)(42/69)). */
    parley_stage_game g;
    parley_stage_game_symmetric(&g, 3, 0, 5, 1);
    parley_strategy *tft = make("TitForTat", &g), *alld = make("Defector", &g);
    double g1 = 34.0 / 27, g2 = 38.0 / 48, g3 = 42.0 / 69;
    double rho = 1 / (1 + g1 + g1 * g2 + g1 * g2 * g3), exact;
    parley_error err = {0};
    assert_int_equal(parley_moran_fixation_exact(tft, alld, &g, &PARLEY_CHANNEL_PERFECT, 10, 4,
                                                 1, &exact, &err),
                     PARLEY_OK);
    assert_true(fabs(exact - rho) < 1e-12);
    const parley_strategy *types[2] = {tft, alld};
    uint32_t initial[2] = {1, 3};
    parley_moran_config cfg = {.ntypes = 2, .types = types, .initial = initial, .game = g,
                               .channel = PARLEY_CHANNEL_PERFECT, .turns = 10, .seed = 3};
    within_4se(simulate(&cfg, 20000, 2, NULL), rho, 20000);
    /* A Cooperator among Defectors earns nothing (S = 0): it never
     * reproduces, so it cannot fix. */
    parley_strategy *allc = make("Cooperator", &g);
    assert_int_equal(parley_moran_fixation_exact(allc, alld, &g, &PARLEY_CHANNEL_PERFECT, 10, 5,
                                                 1, &exact, &err),
                     PARLEY_OK);
    assert_true(exact == 0);
    parley_strategy_free(allc);
    parley_strategy_free(tft);
    parley_strategy_free(alld);
}

static void test_seeds_threads_and_errors(void **state)
{
    (void)state;
    parley_stage_game g;
    parley_stage_game_symmetric(&g, 3, 0, 5, 1);
    parley_strategy *a = make("WSLS", &g), *b = make("GTFT:0.3", &g), *c = make("ALLD", &g);
    const parley_strategy *types[3] = {a, b, c};
    uint32_t initial[3] = {3, 3, 2};
    parley_moran_config cfg = {.ntypes = 3, .types = types, .initial = initial, .game = g,
                               .channel = {0.05, 0.9, 0.02}, .turns = 20, .seed = 9};
    parley_moran_summary s1, s2;
    parley_error err = {0};
    assert_int_equal(parley_moran_estimate(&cfg, 60, 1, &s1, &err), PARLEY_OK);
    assert_int_equal(parley_moran_estimate(&cfg, 60, 3, &s2, &err), PARLEY_OK);
    for (int t = 0; t < 3; t++)
        assert_int_equal(s1.fixations[t], s2.fixations[t]);
    assert_true(s1.mean_generations == s2.mean_generations);
    /* run r alone gives what the estimate counted */
    parley_moran_outcome o;
    uint32_t counted[3] = {0, 0, 0};
    for (uint32_t r = 0; r < 60; r++) {
        assert_int_equal(parley_moran_run(&cfg, r, &o, &err), PARLEY_OK);
        assert_true(o.fixed >= 0);
        counted[o.fixed]++;
    }
    for (int t = 0; t < 3; t++)
        assert_int_equal(counted[t], s1.fixations[t]);
    parley_moran_summary_free(&s1);
    parley_moran_summary_free(&s2);
    /* a cap of one generation leaves runs unfixed */
    cfg.max_generations = 1;
    assert_int_equal(parley_moran_run(&cfg, 0, &o, &err), PARLEY_OK);
    assert_int_equal(o.fixed, -1);
    assert_int_equal(o.generations, 1);
    cfg.max_generations = 0;
    /* bad input */
    initial[0] = 1001;
    assert_int_equal(parley_moran_run(&cfg, 0, &o, &err), PARLEY_EINPUT);
    initial[0] = 3;
    cfg.game.payoff[0][0][1] = -1;
    assert_int_equal(parley_moran_run(&cfg, 0, &o, &err), PARLEY_EINPUT);
    parley_error_clear(&err);
    double rho;
    assert_int_equal(parley_moran_fixation_exact(a, b, &g, &PARLEY_CHANNEL_PERFECT, 5, 4, 4, &rho,
                                                 &err),
                     PARLEY_EINPUT);
    parley_error_clear(&err);
    parley_strategy_free(a);
    parley_strategy_free(b);
    parley_strategy_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_neutral_drift),
        cmocka_unit_test(test_constant_fitness),
        cmocka_unit_test(test_frequency_dependent),
        cmocka_unit_test(test_seeds_threads_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
