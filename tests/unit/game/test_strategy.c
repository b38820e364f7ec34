/* Strategy specs, tables and games: names, parameters and their errors, the
 * zero-determinant construction, the one-round step API, N-party games and the
 * thread-independence of tournaments. */
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
    if (parley_strategy_parse(spec, &g, &s, &err) != PARLEY_OK)
        fail_msg("%s: %s", spec, err.count ? err.items[0].what : "?");
    return s;
}

/* The spec fails with EINPUT and a message containing `needle`. */
static void rejects(const char *spec, const parley_stage_game *g, const char *needle)
{
    parley_strategy *s = NULL;
    parley_error err = {0};
    parley_status st = parley_strategy_parse(spec, g, &s, &err);
    if (st != PARLEY_EINPUT)
        fail_msg("%s: status %d, expected EINPUT", spec, (int)st);
    assert_null(s);
    assert_true(err.count >= 1);
    if (!strstr(err.items[0].what, needle))
        fail_msg("%s: message '%s' lacks '%s'", spec, err.items[0].what, needle);
    assert_int_equal(parley_status_exit_code(err.status), 2);
    parley_error_clear(&err);
}

static void test_names(void **state)
{
    (void)state;
    const char *pairs[][2] = {
        {"TitForTat", "TitForTat"},         {"tft", "TitForTat"},
        {"WSLS", "WinStayLoseShift"},       {"GTFT", "GTFT:0.3333333333"},
        {"GTFT:0.3333333333", "GTFT:0.3333333333"}, {"ZD:2", "ZD:2"},
        {"Random", "Random:0.5"},           {"grudger", "Grudger"},
        {"MemoryOne:1:0:1:0:D", "MemoryOne:1:0:1:0:0"}, {"Hedger", "Hedger:0.5:1:1"},
        {"GoByMajority", "GoByMajority"},   {"STFT", "SuspiciousTitForTat"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        parley_strategy *s = make(pairs[i][0]);
        assert_string_equal(parley_strategy_name(s), pairs[i][1]);
        parley_strategy_free(s);
    }
    char buf[2048];
    size_t n = parley_strategy_list(buf, sizeof buf);
    assert_true(n > 0 && n < sizeof buf);
    assert_non_null(strstr(buf, "WinStayLoseShift"));
    assert_non_null(strstr(buf, "Hedger"));
}

static void test_bad_specs(void **state)
{
    (void)state;
    parley_stage_game g = pd(), chicken, stag;
    parley_error err = {0};
    assert_int_equal(parley_stage_game_parse("chicken", &chicken, &err), PARLEY_OK);
    assert_int_equal(parley_stage_game_parse("stag-hunt", &stag, &err), PARLEY_OK);
    rejects("TitForTwoTats", &g, "unknown strategy");
    rejects("", &g, "empty");
    rejects("Random:1.5", &g, "[0, 1]");
    rejects("GTFT:-0.1", &g, "[0, 1]");
    rejects("MemoryOne:1:0:1", &g, "needs 4");
    rejects("MemoryOne:1:0:1:2", &g, "[0, 1]");
    rejects("Random:abc", &g, "not a number");
    rejects("TitForTat:1", &g, "at most 0");
    rejects("ZD:0.5", &g, "at least 1");
    rejects("ZD:2", &chicken, "prisoner's dilemma");
    rejects("GTFT", &stag, "prisoner's dilemma");
    rejects("ZD:2", NULL, "prisoner's dilemma");
    /* An explicit GTFT parameter needs no particular game. */
    parley_strategy *s = NULL;
    assert_int_equal(parley_strategy_parse("GTFT:0.2", &chicken, &s, &err), PARLEY_OK);
    parley_strategy_free(s);
}

static void test_games(void **state)
{
    (void)state;
    parley_stage_game g;
    parley_error err = {0};
    double rstp[4];
    assert_int_equal(parley_stage_game_parse("pd", &g, &err), PARLEY_OK);
    assert_true(parley_stage_game_is_pd(&g, rstp));
    assert_true(rstp[0] == 3 && rstp[1] == 0 && rstp[2] == 5 && rstp[3] == 1);
    assert_int_equal(parley_stage_game_parse("4,0,3,2", &g, &err), PARLEY_OK);
    assert_false(parley_stage_game_is_pd(&g, NULL));
    assert_int_equal(parley_stage_game_parse("3,0,5,1,3,5,0,1", &g, &err), PARLEY_OK);
    assert_true(parley_stage_game_is_pd(&g, NULL));
    assert_true(g.payoff[1][PARLEY_C][PARLEY_D] == 5);
    assert_int_equal(parley_stage_game_parse("3,0,5", &g, &err), PARLEY_EINPUT);
    assert_int_equal(parley_stage_game_parse("war", &g, &err), PARLEY_EINPUT);
    parley_error_clear(&err);
    parley_channel bad = {0.1, 1.2, -0.1};
    assert_int_equal(parley_channel_check(&bad, "x", &err), PARLEY_EINPUT);
    assert_int_equal(err.count, 2); /* both problems reported */
    parley_error_clear(&err);
}

/* Press & Dyson's extortionate strategies: ZD:3 is (11/13, 1/2, 7/26, 0), and
 * against any opponent the long-run scores satisfy s_X - P = chi (s_Y - P). */
static void test_zero_determinant(void **state)
{
    (void)state;
    parley_strategy *zd3 = make("ZD:3"), *zd2 = make("ZD:2");
    double p[4], first;
    assert_true(parley_strategy_as_memory_one(zd3, p, &first));
    assert_true(fabs(p[0] - 11.0 / 13) < 1e-12 && fabs(p[1] - 0.5) < 1e-12 &&
                fabs(p[2] - 7.0 / 26) < 1e-12 && p[3] == 0 && first == 1);
    assert_true(parley_strategy_as_memory_one(zd2, p, &first));
    assert_true(fabs(p[0] - 8.0 / 9) < 1e-12 && fabs(p[1] - 0.5) < 1e-12 &&
                fabs(p[2] - 1.0 / 3) < 1e-12);
    parley_stage_game g = pd();
    parley_channel c = PARLEY_CHANNEL_PERFECT;
    const char *opponents[] = {"Random:0.5", "GTFT:0.4", "MemoryOne:0.9:0.1:0.7:0.3"};
    for (int i = 0; i < 3; i++) {
        parley_strategy *o = make(opponents[i]);
        parley_expectation ex;
        parley_error err = {0};
        assert_int_equal(parley_exact_long_run(zd3, o, &g, &c, &ex, &err), PARLEY_OK);
        assert_true(fabs((ex.payoff[0] - 1) - 3 * (ex.payoff[1] - 1)) < 1e-9);
        parley_strategy_free(o);
    }
    parley_strategy_free(zd3);
    parley_strategy_free(zd2);
}

static void test_tables(void **state)
{
    (void)state;
    /* A scenario-defined "forgive after two rounds of peace" strategy. */
    static const double p[3] = {1, 0, 0};
    static const uint32_t next[3][4] = {{0, 1, 0, 1}, {2, 1, 2, 1}, {0, 1, 0, 1}};
    parley_strategy_table t = {"SlowForgiver", 3, 0, p, next};
    parley_strategy *s = NULL;
    parley_error err = {0};
    assert_int_equal(parley_strategy_from_table(&t, "scenario.json: strategies[0]", &s, &err),
                     PARLEY_OK);
    assert_true(parley_strategy_is_deterministic(s));
    assert_true(parley_strategy_is_finite(s));
    parley_strategy_free(s);
    static const double badp[2] = {1.5, 0};
    static const uint32_t badnext[2][4] = {{0, 1, 2, 1}, {0, 0, 0, 0}};
    parley_strategy_table bad = {"Bad", 2, 3, badp, badnext};
    assert_int_equal(parley_strategy_from_table(&bad, "t", &s, &err), PARLEY_EINPUT);
    assert_int_equal(err.count, 3); /* start, probability and transition */
    parley_error_clear(&err);
}

/* Stepping a pair round by round is the match, draw for draw. */
static void test_pair_steps_are_the_match(void **state)
{
    (void)state;
    parley_stage_game g = pd();
    parley_strategy *a = make("GTFT:0.3"), *b = make("GoByMajority");
    parley_channel c = {0.05, 0.9, 0.05};
    parley_stream_id id = {.seed = 99, .run = 3, .mechanism = PARLEY_MECH_GAME};
    char a1[100], a2[100];
    parley_match_result m;
    parley_match_play(a, b, &g, &c, 100, &id, &m, a1, a2);
    parley_pair pair;
    parley_pair_init(&pair, a, b, &c, &c, &id);
    double score[2] = {0, 0};
    for (int t = 0; t < 100; t++) {
        parley_round r;
        parley_pair_step(&pair, &g, &r);
        assert_int_equal(r.actual[0] == PARLEY_C ? 'C' : 'D', a1[t]);
        assert_int_equal(r.actual[1] == PARLEY_C ? 'C' : 'D', a2[t]);
        score[0] += r.payoff[0];
        score[1] += r.payoff[1];
    }
    assert_true(score[0] == m.score[0] && score[1] == m.score[1]);
    assert_int_equal(pair.round, 100);
    assert_int_equal(pair.player[1].seen_c + pair.player[1].seen_d, 100);
    parley_strategy_free(a);
    parley_strategy_free(b);
}

/* The match loop's variants (recording actions or not; perfect or imperfect
 * observation; tables or counting strategies) play the same match from the
 * same stream, and long matches cross the loop's 2^20-round chunks. */
static void test_loop_variants_agree(void **state)
{
    (void)state;
    parley_stage_game g = pd();
    const char *specs[] = {"TitForTat", "GTFT:0.3", "WinStayLoseShift", "GoByMajority",
                           "Random:0.4", "TitFor2Tats"};
    const parley_channel channels[] = {{0.05, 1, 0}, {0.05, 0.8, 0.1}, {0, 1, 0}};
    static char a1[3000], a2[3000];
    for (int c = 0; c < 3; c++)
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++) {
                parley_strategy *x = make(specs[i]), *y = make(specs[j]);
                parley_stream_id id = {.seed = 7, .run = (uint32_t)(i * 6 + j)};
                parley_match_result plain, recorded;
                parley_match_play(x, y, &g, &channels[c], 3000, &id, &plain, NULL, NULL);
                parley_match_play(x, y, &g, &channels[c], 3000, &id, &recorded, a1, a2);
                assert_true(plain.score[0] == recorded.score[0] &&
                            plain.score[1] == recorded.score[1]);
                assert_memory_equal(plain.outcomes, recorded.outcomes, sizeof plain.outcomes);
                uint32_t coop = 0;
                for (int t = 0; t < 3000; t++)
                    coop += a1[t] == 'C';
                assert_int_equal(coop, plain.cooperations[0]);
                parley_strategy_free(x);
                parley_strategy_free(y);
            }
    parley_strategy *c = make("Cooperator"), *w = make("WinStayLoseShift");
    parley_channel noisy = {0.01, 1, 0};
    parley_stream_id id = {.seed = 8};
    parley_match_result r;
    uint32_t turns = (1u << 20) * 2 + 12345;
    parley_match_play(c, w, &g, &noisy, turns, &id, &r, NULL, NULL);
    assert_int_equal(r.outcomes[0] + r.outcomes[1] + r.outcomes[2] + r.outcomes[3], turns);
    /* Cooperator's cooperation rate is 1 - noise: within 4 standard errors. */
    double rate = (double)r.cooperations[0] / turns;
    assert_true(fabs(rate - 0.99) < 4 * sqrt(0.99 * 0.01 / turns));
    parley_strategy_free(c);
    parley_strategy_free(w);
}

static void test_counting_strategies(void **state)
{
    (void)state;
    parley_stage_game g = pd();
    parley_channel c = PARLEY_CHANNEL_PERFECT;
    parley_strategy *h = make("Hedger:0.6:1:1"), *d = make("Defector"), *m = make("GoByMajority");
    parley_stream_id id = {.seed = 1};
    char a1[8], a2[8];
    parley_match_result r;
    /* Prior mean 1/2 is below 0.6: the hedger opens with D. */
    parley_match_play(h, d, &g, &c, 4, &id, &r, a1, a2);
    assert_memory_equal(a1, "DDDD", 4);
    /* Beta(1,1) against threshold 0.5: C first, D after one defection seen. */
    parley_strategy *h5 = make("Hedger:0.5");
    parley_match_play(h5, d, &g, &c, 4, &id, &r, a1, a2);
    assert_memory_equal(a1, "CDDD", 4);
    parley_expectation ex;
    parley_error err = {0};
    assert_int_equal(parley_exact_long_run(m, d, &g, &c, &ex, &err), PARLEY_EINPUT);
    parley_error_clear(&err);
    assert_false(parley_strategy_is_finite(m));
    parley_strategy_free(h);
    parley_strategy_free(h5);
    parley_strategy_free(d);
    parley_strategy_free(m);
}

static void test_ngame(void **state)
{
    (void)state;
    parley_stage_game g = pd();
    parley_strategy *tft = make("TitForTat"), *alld = make("Defector");
    const parley_strategy *parties[4] = {tft, tft, tft, alld};
    parley_stream_id base = {.seed = 3};
    parley_ngame *ng = NULL;
    parley_error err = {0};
    assert_int_equal(parley_ngame_create(4, parties, &g, NULL, PARLEY_NGAME_PER_COUNTERPART, 0,
                                         &base, &ng, &err),
                     PARLEY_OK);
    double pay[4];
    parley_ngame_step(ng, pay);
    assert_true(pay[0] == 3 + 3 + 0 && pay[3] == 15);
    parley_ngame_step(ng, pay);
    /* TFTs now punish only the defector. */
    assert_true(pay[0] == 3 + 3 + 1 && pay[3] == 3);
    assert_int_equal(parley_ngame_action(ng, 0, 3), PARLEY_D);
    assert_int_equal(parley_ngame_action(ng, 0, 1), PARLEY_C);
    assert_int_equal(parley_ngame_seen(ng, 0, 3), PARLEY_D);
    parley_ngame_free(ng);

    /* One action for all, quorum 1: one defector makes every TFT defect on all. */
    assert_int_equal(parley_ngame_create(4, parties, &g, NULL, PARLEY_NGAME_ONE_FOR_ALL, 1, &base,
                                         &ng, &err),
                     PARLEY_OK);
    parley_ngame_step(ng, pay);
    parley_ngame_step(ng, pay);
    assert_int_equal(parley_ngame_action(ng, 0, 1), PARLEY_D);
    assert_true(pay[0] == 3 && pay[3] == 3);
    parley_ngame_free(ng);
    /* Majority quorum (2 of 3): a single defector is tolerated. */
    assert_int_equal(parley_ngame_create(4, parties, &g, NULL, PARLEY_NGAME_ONE_FOR_ALL, 0, &base,
                                         &ng, &err),
                     PARLEY_OK);
    parley_ngame_step(ng, pay);
    parley_ngame_step(ng, pay);
    assert_int_equal(parley_ngame_action(ng, 0, 3), PARLEY_C);
    parley_ngame_free(ng);
    assert_int_equal(parley_ngame_create(4, parties, &g, NULL, PARLEY_NGAME_ONE_FOR_ALL, 4, &base,
                                         &ng, &err),
                     PARLEY_EINPUT);
    parley_error_clear(&err);
    parley_strategy_free(tft);
    parley_strategy_free(alld);
}

static void run_tournament(unsigned threads, double prob_end, parley_tournament_result *r)
{
    static const char *names[] = {"Cooperator", "Defector", "TitForTat", "Grudger",
                                  "WinStayLoseShift", "TitFor2Tats", "GTFT", "Random:0.5"};
    enum { N = sizeof names / sizeof names[0] };
    parley_strategy *s[N];
    for (int i = 0; i < N; i++)
        s[i] = make(names[i]);
    parley_tournament_config cfg = {.nplayers = N, .players = (const parley_strategy *const *)s,
                                    .game = pd(), .channel = {0.05, 0.9, 0.02}, .turns = 50,
                                    .prob_end = prob_end, .repetitions = 7, .seed = 11,
                                    .threads = threads};
    parley_error err = {0};
    assert_int_equal(parley_tournament_run(&cfg, r, &err), PARLEY_OK);
    for (int i = 0; i < N; i++)
        parley_strategy_free(s[i]);
}

static void test_tournament_threads_identical(void **state)
{
    (void)state;
    for (int e = 0; e < 2; e++) {
        parley_tournament_result a, b, c;
        run_tournament(1, e ? 0.1 : 0, &a);
        run_tournament(2, e ? 0.1 : 0, &b);
        run_tournament(5, e ? 0.1 : 0, &c);
        size_t n = a.nplayers;
        assert_memory_equal(a.score_per_turn, b.score_per_turn, 7 * n * sizeof(double));
        assert_memory_equal(a.score_per_turn, c.score_per_turn, 7 * n * sizeof(double));
        assert_memory_equal(a.payoff, c.payoff, n * n * sizeof(double));
        assert_memory_equal(a.cooperation, c.cooperation, n * n * sizeof(double));
        assert_memory_equal(a.ranking, c.ranking, n * sizeof(size_t));
        if (e == 0)
            assert_true(a.total_turns == 7u * 36u * 50u);
        else
            assert_true(a.total_turns < 7u * 36u * 50u);
        parley_tournament_result_free(&a);
        parley_tournament_result_free(&b);
        parley_tournament_result_free(&c);
    }
}

static void test_tournament_small(void **state)
{
    (void)state;
    parley_strategy *s[2] = {make("Cooperator"), make("Defector")};
    parley_tournament_config cfg = {.nplayers = 2, .players = (const parley_strategy *const *)s,
                                    .game = pd(), .channel = PARLEY_CHANNEL_PERFECT, .turns = 10,
                                    .repetitions = 3, .seed = 1};
    parley_tournament_result r;
    parley_error err = {0};
    assert_int_equal(parley_tournament_run(&cfg, &r, &err), PARLEY_OK);
    assert_true(r.median_score[1] == 5 && r.median_score[0] == 0);
    assert_true(r.payoff[0 * 2 + 0] == 3 && r.payoff[1 * 2 + 1] == 1);
    assert_true(r.cooperation_rate[0] == 1 && r.cooperation_rate[1] == 0);
    assert_int_equal(r.ranking[0], 1);
    parley_tournament_result_free(&r);
    cfg.repetitions = 0;
    cfg.channel.noise = 2;
    assert_int_equal(parley_tournament_run(&cfg, &r, &err), PARLEY_EINPUT);
    assert_int_equal(err.count, 2);
    parley_error_clear(&err);
    parley_strategy_free(s[0]);
    parley_strategy_free(s[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_bad_specs),
        cmocka_unit_test(test_games),
        cmocka_unit_test(test_zero_determinant),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_pair_steps_are_the_match),
        cmocka_unit_test(test_loop_variants_agree),
        cmocka_unit_test(test_counting_strategies),
        cmocka_unit_test(test_ngame),
        cmocka_unit_test(test_tournament_threads_identical),
        cmocka_unit_test(test_tournament_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
