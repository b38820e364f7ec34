/* The engine against the Axelrod library (tests/anchors/games): the 81
 * deterministic 200-turn matches exactly (totals, outcome counts, both action
 * strings), and the noisy memory-one pairs: exact long-run payoffs, stationary
 * distributions and 200-turn expectations to 1e-6, and our seeded simulation
 * agreeing with the exact values within 4 standard errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/game.h"

#define MAX_FIELDS 32

static int split(char *line, char **fields)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    char *p = line;
    for (;;) {
        fields[n++] = p;
        char *c = strchr(p, ',');
        if (!c || n == MAX_FIELDS)
            break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

static FILE *open_anchor(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/games/%s", PARLEY_ANCHORS_DIR, name);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    return f;
}

/* Anchor names to specs: GTFT without a parameter is exactly 1/3 on 3,0,5,1. */
static parley_strategy *strategy(const char *anchor_name, const parley_stage_game *g)
{
    const char *spec = strcmp(anchor_name, "GTFT_p1/3") == 0 ? "GTFT" : anchor_name;
    parley_strategy *s = NULL;
    parley_error err = {0};
    if (parley_strategy_parse(spec, g, &s, &err) != PARLEY_OK)
        fail_msg("cannot parse %s: %s", spec, err.count ? err.items[0].what : "");
    parley_error_clear(&err);
    return s;
}

static void test_deterministic_matches(void **state)
{
    (void)state;
    parley_stage_game g;
    parley_stage_game_symmetric(&g, 3, 0, 5, 1);
    FILE *fm = open_anchor("a_deterministic_matches.csv");
    FILE *fa = open_anchor("a_deterministic_actions.csv");
    char lm[4096], la[4096];
    char *fmv[MAX_FIELDS], *fav[MAX_FIELDS];
    assert_non_null(fgets(lm, sizeof lm, fm));
    assert_non_null(fgets(la, sizeof la, fa));
    int rows = 0;
    parley_channel perfect = PARLEY_CHANNEL_PERFECT;
    while (fgets(lm, sizeof lm, fm)) {
        assert_non_null(fgets(la, sizeof la, fa));
        assert_int_equal(split(lm, fmv), 14);
        assert_int_equal(split(la, fav), 4);
        assert_string_equal(fmv[0], fav[0]);
        assert_string_equal(fmv[1], fav[1]);
        parley_strategy *s1 = strategy(fmv[0], &g), *s2 = strategy(fmv[1], &g);
        uint32_t turns = (uint32_t)atoi(fmv[4]);
        assert_int_equal(turns, 200);
        char a1[256] = {0}, a2[256] = {0};
        parley_stream_id id = {.seed = 1, .mechanism = PARLEY_MECH_GAME};
        parley_match_result r;
        parley_match_play(s1, s2, &g, &perfect, turns, &id, &r, a1, a2);
        if (strcmp(a1, fav[2]) != 0 || strcmp(a2, fav[3]) != 0)
            fail_msg("%s v %s: actions differ\n ours %s\n      %s", fmv[0], fmv[1], a1, a2);
        assert_int_equal((int)r.score[0], atoi(fmv[5]));
        assert_int_equal((int)r.score[1], atoi(fmv[6]));
        for (int o = 0; o < 4; o++)
            assert_int_equal(r.outcomes[o], (uint32_t)atoi(fmv[7 + o]));
        assert_int_equal(r.cooperations[0], (uint32_t)atoi(fmv[11]));
        assert_int_equal(r.cooperations[1], (uint32_t)atoi(fmv[12]));
        const char *winner = r.score[0] > r.score[1] ? "p1" : r.score[0] < r.score[1] ? "p2" : "tie";
        assert_string_equal(winner, fmv[13]);

        /* Deterministic strategies, no noise: the exact finite horizon is the match. */
        parley_expectation ex;
        parley_error err = {0};
        assert_int_equal(parley_exact_finite(s1, s2, &g, &perfect, turns, &ex, &err), PARLEY_OK);
        assert_true(fabs(ex.payoff[0] * turns - r.score[0]) < 1e-9);
        assert_true(fabs(ex.payoff[1] * turns - r.score[1]) < 1e-9);
        parley_strategy_free(s1);
        parley_strategy_free(s2);
        rows++;
    }
    assert_int_equal(rows, 81);
    fclose(fm);
    fclose(fa);
}

/* Mean and standard error of the per-turn payoffs of `reps` seeded matches. */
static void simulate(const parley_strategy *s1, const parley_strategy *s2,
                     const parley_stage_game *g, const parley_channel *c, uint32_t turns,
                     uint32_t reps, uint64_t seed, double mean[2], double se[2])
{
    double sum[2] = {0, 0}, sq[2] = {0, 0};
    for (uint32_t r = 0; r < reps; r++) {
        parley_stream_id id = {.seed = seed, .run = r, .mechanism = PARLEY_MECH_GAME};
        parley_match_result m;
        parley_match_play(s1, s2, g, c, turns, &id, &m, NULL, NULL);
        for (int i = 0; i < 2; i++) {
            double x = m.score[i] / turns;
            sum[i] += x;
            sq[i] += x * x;
        }
    }
    for (int i = 0; i < 2; i++) {
        mean[i] = sum[i] / reps;
        double var = (sq[i] - reps * mean[i] * mean[i]) / (reps - 1);
        se[i] = sqrt(var > 0 ? var / reps : 0);
    }
}

static void test_noisy_memory_one(void **state)
{
    (void)state;
    parley_stage_game g;
    parley_stage_game_symmetric(&g, 3, 0, 5, 1);
    FILE *f = open_anchor("b_noisy_memoryone.csv");
    char line[4096];
    char *v[MAX_FIELDS];
    assert_non_null(fgets(line, sizeof line, f));
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        assert_int_equal(split(line, v), 26);
        parley_strategy *s1 = strategy(v[0], &g), *s2 = strategy(v[1], &g);
        parley_channel c = {atof(v[2]), 1.0, 0.0};
        parley_expectation lr, fh;
        parley_error err = {0};
        assert_int_equal(parley_exact_long_run(s1, s2, &g, &c, &lr, &err), PARLEY_OK);
        assert_int_equal(parley_exact_finite(s1, s2, &g, &c, 200, &fh, &err), PARLEY_OK);
        double tol = 1e-6 + 5e-7; /* the anchor is rounded to 6 decimals */
        assert_true(fabs(lr.payoff[0] - atof(v[3])) < tol);
        assert_true(fabs(lr.payoff[1] - atof(v[4])) < tol);
        for (int o = 0; o < 4; o++)
            if (fabs(lr.outcome[o] - atof(v[5 + o])) >= tol)
                fail_msg("%s v %s: stationary[%d] %.9f, anchor %s", v[0], v[1], o, lr.outcome[o],
                         v[5 + o]);
        assert_true(fabs(fh.payoff[0] - atof(v[9])) < tol);
        assert_true(fabs(fh.payoff[1] - atof(v[10])) < tol);

        /* 10,000 seeded matches of 200 turns: within 4 standard errors of the
         * exact expectation and of the Axelrod library's own simulated mean. */
        double mean[2], se[2];
        simulate(s1, s2, &g, &c, 200, 10000, 20240601u + (uint64_t)rows, mean, se);
        for (int i = 0; i < 2; i++) {
            double z = (mean[i] - fh.payoff[i]) / se[i];
            if (!(fabs(z) < 4))
                fail_msg("%s v %s: player %d sim %.6f se %.6f exact %.6f (z %.2f)", v[0], v[1],
                         i + 1, mean[i], se[i], fh.payoff[i], z);
            double their = atof(v[12 + 2 * i]), their_se = atof(v[13 + 2 * i]);
            assert_true(fabs(mean[i] - their) < 4 * sqrt(se[i] * se[i] + their_se * their_se));
        }
        /* One long match of 200,000 turns against the long-run values. */
        double lmean[2], lse[2];
        simulate(s1, s2, &g, &c, 10000, 20, 777u + (uint64_t)rows, lmean, lse);
        for (int i = 0; i < 2; i++)
            if (!(fabs(lmean[i] - lr.payoff[i]) < 4 * lse[i] + 1e-3))
                fail_msg("%s v %s long run: %.6f se %.6f exact %.6f", v[0], v[1], lmean[i],
                         lse[i], lr.payoff[i]);
        parley_strategy_free(s1);
        parley_strategy_free(s2);
        rows++;
    }
    assert_int_equal(rows, 15);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic_matches),
        cmocka_unit_test(test_noisy_memory_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
