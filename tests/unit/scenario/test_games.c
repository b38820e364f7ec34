/* The scenario's "games" section: a stage game and strategies defined as data
 * (memory-one, state tables, Axelrod-style finite-state machines, named
 * specs), checked by playing them against built-ins whose behaviour is known
 * (a machine written as TitForTat plays TitForTat's actions move for move,
 * Fortress3 against Defector alternates DDC as its table says), the dump
 * round trip, name resolution for compliance strategies, and every
 * validation rule with its JSON path. */
#include "parley/game.h"
#include "parley/scenario.h"
#include "scenario/model.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GAMES PARLEY_SOURCE_DIR "/tests/data/games.json"
#define MINIMAL PARLEY_SOURCE_DIR "/tests/data/minimal.json"

static parley_scenario *load_ok(const char *path)
{
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    parley_status st = parley_scenario_load_file(path, &sc, &err);
    for (size_t i = 0; i < err.count; i++)
        fprintf(stderr, "%s: %s\n", err.items[i].where, err.items[i].what);
    assert_int_equal(st, PARLEY_OK);
    parley_error_clear(&err);
    return sc;
}

static parley_strategy *resolve(const parley_scenario *sc, const char *spec)
{
    parley_error err;
    parley_error_init(&err);
    parley_strategy *s = NULL;
    if (parley_scenario_strategy(sc, spec, NULL, &s, &err) != PARLEY_OK)
        fail_msg("%s: %s", spec, err.count ? err.items[0].what : "?");
    parley_error_clear(&err);
    return s;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Replaces the first occurrence of `from` in `text` by `to` (a new string). */
static char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at)
        fail_msg("'%s' not in the test scenario", from);
    size_t n = strlen(text) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    assert_non_null(out);
    size_t head = (size_t)(at - text);
    memcpy(out, text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

static char *with_games(const char *games);

static void test_load_and_resolve(void **state)
{
    (void)state;
    parley_scenario *sc = load_ok(GAMES);
    assert_int_equal(parley_scenario_strategy_count(sc), 6);
    assert_string_equal(parley_scenario_strategy_name(sc, 0), "Cautious");
    assert_string_equal(parley_scenario_strategy_name(sc, 5), "DPRKHedge");
    assert_null(parley_scenario_strategy_name(sc, 6));
    parley_stage_game g;
    parley_scenario_stage_game(sc, &g);
    double rstp[4];
    assert_true(parley_stage_game_is_pd(&g, rstp));
    assert_true(rstp[0] == 3 && rstp[1] == 0 && rstp[2] == 5 && rstp[3] == 1);

    /* Names resolve case-insensitively, under the scenario's name. */
    parley_strategy *s = resolve(sc, "cautious");
    assert_string_equal(parley_strategy_name(s), "Cautious");
    assert_false(parley_strategy_is_deterministic(s));
    assert_true(parley_strategy_is_finite(s));
    parley_strategy_free(s);
    s = resolve(sc, "DPRKHedge");
    assert_string_equal(parley_strategy_name(s), "DPRKHedge");
    assert_false(parley_strategy_is_finite(s)); /* a counting rule, as Hedger */
    parley_strategy_free(s);
    /* Built-ins still resolve, against the scenario's game. */
    s = resolve(sc, "GTFT");
    assert_string_equal(parley_strategy_name(s), "GTFT:0.3333333333");
    parley_strategy_free(s);

    /* The model keeps the memory-one definition as written. */
    const psc_model *m = parley__scenario_model(sc);
    assert_int_equal(parley__scenario_strategy_find(m, "WARY"), 4);
    s = resolve(sc, "Wary");
    double p[4], first;
    assert_true(parley_strategy_as_memory_one(s, p, &first));
    assert_true(p[0] == 1 && p[1] == 0.1 && p[2] == 0.9 && p[3] == 0 && first == 0);
    parley_strategy_free(s);
    parley_scenario_free(sc);
}

static void play(const parley_strategy *a, const parley_strategy *b, double noise,
                 uint32_t turns, char *acts1, char *acts2)
{
    parley_stage_game g;
    parley_stage_game_symmetric(&g, 3, 0, 5, 1);
    parley_channel ch = {noise, 1, 0};
    parley_stream_id id = {7, 0, 0, PARLEY_MECH_GAME, 0, 0};
    parley_match_result r;
    parley_match_play(a, b, &g, &ch, turns, &id, &r, acts1, acts2);
    acts1[turns] = acts2[turns] = '\0';
}

static void test_machines_play_as_written(void **state)
{
    (void)state;
    parley_scenario *sc = load_ok(GAMES);
    parley_stage_game g;
    parley_stage_game_symmetric(&g, 3, 0, 5, 1);
    /* A machine written as TitForTat is TitForTat, move for move, also under
     * noise (both tables are deterministic, so they draw alike). */
    parley_strategy *mtft = resolve(sc, "MachineTFT"), *tft = NULL;
    parley_error err = {0};
    assert_int_equal(parley_strategy_parse("TitForTat", &g, &tft, &err), PARLEY_OK);
    const char *opponents[] = {"Cooperator", "Defector", "Alternator", "WSLS", "Grudger",
                               "TF2T",       "STFT",     "Random:0.3", "GoByMajority"};
    char a1[201], a2[201], b1[201], b2[201];
    for (size_t k = 0; k < sizeof opponents / sizeof opponents[0]; k++) {
        parley_strategy *o = NULL;
        assert_int_equal(parley_strategy_parse(opponents[k], &g, &o, &err), PARLEY_OK);
        for (int noisy = 0; noisy < 2; noisy++) {
            play(mtft, o, noisy ? 0.05 : 0, 200, a1, a2);
            play(tft, o, noisy ? 0.05 : 0, 200, b1, b2);
            assert_string_equal(a1, b1);
            assert_string_equal(a2, b2);
        }
        parley_strategy_free(o);
    }
    /* Fortress3 (the Axelrod library's table): against Defector D, D, C and
     * again; against itself two defections, then cooperation for good. */
    parley_strategy *f3 = resolve(sc, "Fortress3"), *alld = NULL;
    assert_int_equal(parley_strategy_parse("Defector", &g, &alld, &err), PARLEY_OK);
    play(f3, alld, 0, 9, a1, a2);
    assert_string_equal(a1, "DDCDDCDDC");
    play(f3, f3, 0, 6, a1, a2);
    assert_string_equal(a1, "DDCCCC");
    assert_string_equal(a2, "DDCCCC");
    /* Pavlov2, WinStayLoseShift written as a table on (own, observed), has
     * WinStayLoseShift's exact long-run values under noise and false alarms. */
    parley_strategy *pav = resolve(sc, "Pavlov2"), *wsls = NULL, *gtft = NULL;
    assert_int_equal(parley_strategy_parse("WSLS", &g, &wsls, &err), PARLEY_OK);
    assert_int_equal(parley_strategy_parse("GTFT", &g, &gtft, &err), PARLEY_OK);
    parley_channel ch = {0.05, 0.9, 0.02};
    parley_expectation x, y;
    assert_int_equal(parley_exact_long_run(pav, gtft, &g, &ch, &x, &err), PARLEY_OK);
    assert_int_equal(parley_exact_long_run(wsls, gtft, &g, &ch, &y, &err), PARLEY_OK);
    for (int i = 0; i < 2; i++) {
        assert_true(fabs(x.payoff[i] - y.payoff[i]) < 1e-12);
        assert_true(fabs(x.cooperation[i] - y.cooperation[i]) < 1e-12);
    }
    /* Cautious cooperates half the time in its wary state: against Defector
     * it goes calm (C), wary (C or D), then angry (D) for good. */
    parley_strategy *cau = resolve(sc, "Cautious");
    assert_int_equal(parley_exact_finite(cau, alld, &g, &PARLEY_CHANNEL_PERFECT, 3, &x, &err),
                     PARLEY_OK);
    assert_true(fabs(x.cooperation[0] - 1.5 / 3) < 1e-12);
    parley_strategy *strategies[] = {mtft, tft, f3, alld, pav, wsls, gtft, cau};
    for (size_t k = 0; k < sizeof strategies / sizeof strategies[0]; k++)
        parley_strategy_free(strategies[k]);
    parley_scenario_free(sc);
}

static void test_dump_round_trip(void **state)
{
    (void)state;
    parley_scenario *sc = load_ok(GAMES);
    parley_error err;
    parley_error_init(&err);
    char *one = NULL, *two = NULL;
    assert_int_equal(parley_scenario_dump(sc, 2, &one, &err), PARLEY_OK);
    assert_non_null(strstr(one, "\"games\""));
    assert_non_null(strstr(one, "\"initial_state\": 1"));
    assert_non_null(strstr(one, "\"payoffs\""));
    parley_scenario *back = NULL;
    assert_int_equal(parley_scenario_load_string(one, strlen(one), "dump", &back, &err),
                     PARLEY_OK);
    assert_int_equal(parley_scenario_dump(back, 2, &two, &err), PARLEY_OK);
    assert_string_equal(one, two);
    parley_scenario_string_free(two);
    /* A clone resolves the same strategies. */
    parley_scenario *copy = NULL;
    assert_int_equal(parley_scenario_clone(sc, &copy, &err), PARLEY_OK);
    parley_strategy *s = resolve(copy, "Fortress3");
    parley_strategy_free(s);
    parley_scenario_free(copy);
    parley_scenario_free(back);
    parley_scenario_free(sc);
    parley_scenario_string_free(one);

    /* Without a games section, the dump has none and the game is the PD. */
    parley_scenario *min = load_ok(MINIMAL);
    assert_int_equal(parley_scenario_dump(min, 2, &one, &err), PARLEY_OK);
    assert_null(strstr(one, "\"games\""));
    parley_scenario_string_free(one);
    parley_stage_game g;
    parley_scenario_stage_game(min, &g);
    assert_true(g.payoff[0][0][0] == 3 && g.payoff[0][0][1] == 0 && g.payoff[0][1][0] == 5 &&
                g.payoff[0][1][1] == 1 && g.payoff[1][0][1] == 5);
    assert_int_equal(parley_scenario_strategy_count(min), 0);
    parley_scenario_free(min);

    /* Each stage-game form survives the round trip, in the form written. */
    const char *forms[] = {"{\"stage_game\": {\"preset\": \"stag-hunt\"}}",
                           "{\"stage_game\": {\"R\": 4, \"S\": 0, \"T\": 6, \"P\": 1}}",
                           ("{\"stage_game\": {\"payoffs\": {\"CC\": [3, 2], \"CD\": [0, 1], "
                            "\"DC\": [1, 0], \"DD\": [2, 3]}}}"),
                           "{}"};
    const char *kept[] = {"\"preset\": \"stag-hunt\"", "\"T\": 6", "\"payoffs\"", "\"R\": 3"};
    const double row_cd[] = {0, 0, 0, 0}, col_cc[] = {4, 4, 2, 3};
    for (int k = 0; k < 4; k++) {
        char *t = with_games(forms[k]);
        parley_scenario *a = NULL, *b = NULL;
        assert_int_equal(parley_scenario_load_string(t, strlen(t), "t", &a, &err), PARLEY_OK);
        parley_stage_game sg;
        parley_scenario_stage_game(a, &sg);
        assert_true(sg.payoff[0][0][1] == row_cd[k] && sg.payoff[1][0][0] == col_cc[k]);
        assert_int_equal(parley_scenario_dump(a, 2, &one, &err), PARLEY_OK);
        assert_non_null(strstr(one, kept[k]));
        assert_int_equal(parley_scenario_load_string(one, strlen(one), "d", &b, &err), PARLEY_OK);
        assert_int_equal(parley_scenario_dump(b, 2, &two, &err), PARLEY_OK);
        assert_string_equal(one, two);
        parley_scenario_string_free(one);
        parley_scenario_string_free(two);
        parley_scenario_free(a);
        parley_scenario_free(b);
        free(t);
    }
    parley_error_clear(&err);
}

/* Loads `text` and checks the first diagnostic's location ends with `path`
 * and its message contains `needle`. */
static void rejects(const char *text, const char *path, const char *needle)
{
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    parley_status st = parley_scenario_load_string(text, strlen(text), "t.json", &sc, &err);
    if (st == PARLEY_OK)
        fail_msg("accepted; expected '%s' at %s", needle, path);
    assert_null(sc);
    assert_true(err.count >= 1);
    char where[600];
    snprintf(where, sizeof where, "t.json: %s", path);
    if (strcmp(err.items[0].where, where) != 0 || !strstr(err.items[0].what, needle))
        fail_msg("got '%s: %s'; expected '%s' with '%s'", err.items[0].where,
                 err.items[0].what, where, needle);
    assert_int_equal(parley_status_exit_code(err.status), 2);
    parley_error_clear(&err);
}

/* The minimal scenario's text with a games section `games` added. */
static char *with_games(const char *games)
{
    char *text = read_text(MINIMAL);
    char *tail = strrchr(text, '}');
    assert_non_null(tail);
    *tail = '\0';
    size_t n = strlen(text) + strlen(games) + 32;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%s, \"games\": %s}", text, games);
    free(text);
    return out;
}

static void check(const char *games, const char *path, const char *needle)
{
    char *t = with_games(games);
    rejects(t, path, needle);
    free(t);
}

static void test_validation(void **state)
{
    (void)state;
    check("[]", "games", "must be an object");
    check("{\"stage_gam\": {}}", "games.stage_gam", "unknown field (did you mean 'stage_game'?)");
    check("{\"stage_game\": {}}", "games.stage_game", "exactly one of 'preset'");
    check("{\"stage_game\": {\"preset\": \"pd\", \"R\": 3}}", "games.stage_game",
          "exactly one of");
    check("{\"stage_game\": {\"preset\": \"stag_hunt\"}}", "games.stage_game.preset",
          "did you mean 'stag-hunt'?");
    check("{\"stage_game\": {\"R\": 3, \"S\": 0, \"T\": 5}}", "games.stage_game",
          "missing required field 'P'");
    check("{\"stage_game\": {\"R\": 3, \"S\": \"0\", \"T\": 5, \"P\": 1}}", "games.stage_game.S",
          "must be a number");
    check("{\"stage_game\": {\"payoffs\": {\"CC\": [3, 3], \"CD\": [0, 5], \"DC\": [5, 0]}}}",
          "games.stage_game.payoffs", "missing required field 'DD'");
    check("{\"stage_game\": {\"payoffs\": {\"CC\": [3, 3], \"CD\": [0], \"DC\": [5, 0], "
          "\"DD\": [1, 1]}}}",
          "games.stage_game.payoffs.CD", "two numbers");
    check("{\"strategies\": []}", "games.strategies", "must be an object keyed by name");
    check("{\"strategies\": {\"TFT\": {\"spec\": \"Cooperator\"}}}", "games.strategies.TFT",
          "built-in strategy (TitForTat)");
    check("{\"strategies\": {\"pavlov\": {\"spec\": \"Cooperator\"}}}",
          "games.strategies.pavlov", "built-in strategy (WinStayLoseShift)");
    check("{\"strategies\": {\"A b\": {\"spec\": \"Cooperator\"}}}", "games.strategies.A b",
          "not a valid strategy name");
    check("{\"strategies\": {\"Mine\": {\"spec\": \"TFT\"}, \"MINE\": {\"spec\": \"TFT\"}}}",
          "games.strategies.MINE", "only by case");
    check("{\"strategies\": {\"Mine\": {}}}", "games.strategies.Mine", "exactly one of 'spec'");
    check("{\"strategies\": {\"Mine\": {\"spec\": \"TFT\", \"memory_one\": {}}}}",
          "games.strategies.Mine", "(got 2)");
    check("{\"strategies\": {\"Mine\": {\"spec\": \"GTFT:1.5\"}}}",
          "games.strategies.Mine.spec", "must be in [0, 1]");
    check("{\"strategies\": {\"Mine\": {\"spec\": \"Other\"}}}", "games.strategies.Mine.spec",
          "unknown strategy");
    check("{\"strategies\": {\"Mine\": {\"spec\": \"TFT\", \"first\": 1}}}",
          "games.strategies.Mine.first", "does not apply to a strategy defined by 'spec'");
    check("{\"strategies\": {\"Mine\": {\"memory_one\": {\"CC\": 1, \"CD\": 1.2, \"DC\": 1, "
          "\"DD\": 0}}}}",
          "games.strategies.Mine.memory_one.CD", "probability and must be in [0, 1]");
    check("{\"strategies\": {\"Mine\": {\"memory_one\": {\"CC\": 1, \"CD\": 0, \"DC\": 1}}}}",
          "games.strategies.Mine.memory_one", "missing required field 'DD'");
    check("{\"strategies\": {\"Mine\": {\"memory_one\": {\"CC\": 1, \"CD\": 0, \"DC\": 1, "
          "\"DD\": 0}, \"first\": \"X\"}}}",
          "games.strategies.Mine.first", "must be \"C\" or \"D\"");
    check("{\"strategies\": {\"Mine\": {\"states\": {}}}}", "games.strategies.Mine.states",
          "non-empty object");
    check("{\"strategies\": {\"Mine\": {\"states\": {\"a\": {\"cooperate\": -0.1, \"next\": "
          "{\"C\": \"a\", \"D\": \"a\"}}}}}}",
          "games.strategies.Mine.states.a.cooperate", "must be in [0, 1]");
    check("{\"strategies\": {\"Mine\": {\"states\": {\"calm\": {\"cooperate\": 1, \"next\": "
          "{\"C\": \"calm\", \"D\": \"clam2\"}}, \"calm2\": {\"cooperate\": 0, \"next\": "
          "{\"C\": \"calm\", \"D\": \"calm2\"}}}}}}",
          "games.strategies.Mine.states.calm.next.D", "unknown state 'clam2' (did you mean 'calm2'?)");
    check("{\"strategies\": {\"Mine\": {\"states\": {\"a\": {\"cooperate\": 1, \"next\": "
          "{\"C\": \"a\", \"DD\": \"a\"}}}}}}",
          "games.strategies.Mine.states.a.next", "not both");
    check("{\"strategies\": {\"Mine\": {\"states\": {\"a\": {\"cooperate\": 1, \"next\": "
          "{\"C\": \"a\"}}}}}}",
          "games.strategies.Mine.states.a.next", "missing required field 'D'");
    check("{\"strategies\": {\"Mine\": {\"states\": {\"a\": {\"cooperate\": 1}}}}}",
          "games.strategies.Mine.states.a", "missing required field 'next'");
    check("{\"strategies\": {\"Mine\": {\"states\": {\"a\": {\"cooperate\": 1, \"next\": "
          "{\"C\": \"a\", \"D\": \"a\"}}}, \"start\": \"b\"}}}",
          "games.strategies.Mine.start", "unknown state 'b'");
    check("{\"strategies\": {\"Mine\": {\"transitions\": [[1, \"C\", 1, \"C\"], [1, \"D\", 2, "
          "\"D\"]], \"initial_state\": 1, \"initial_action\": \"C\"}}}",
          "games.strategies.Mine.transitions[1][2]", "unknown state '2': no transition leaves it");
    check("{\"strategies\": {\"Mine\": {\"transitions\": [[1, \"C\", 1, \"C\"]], "
          "\"initial_state\": 1, \"initial_action\": \"C\"}}}",
          "games.strategies.Mine.transitions", "state '1' has no transition on observed D");
    check("{\"strategies\": {\"Mine\": {\"transitions\": [[1, \"C\", 1, \"C\"], [1, \"D\", 1, "
          "\"D\"], [1, \"D\", 1, \"C\"]], \"initial_state\": 1, \"initial_action\": \"C\"}}}",
          "games.strategies.Mine.transitions[2]",
          "a second transition from state '1' on observed D (first at "
          "games.strategies.Mine.transitions[1])");
    check("{\"strategies\": {\"Mine\": {\"transitions\": [[1, \"C\", 1, \"C\"], [1, \"X\", 1, "
          "\"D\"]], \"initial_state\": 1, \"initial_action\": \"C\"}}}",
          "games.strategies.Mine.transitions[1][1]", "must be \"C\" or \"D\"");
    check("{\"strategies\": {\"Mine\": {\"transitions\": [[1, \"C\", 1, \"C\"], [\"1\", \"D\", 1, "
          "\"D\"]], \"initial_state\": 1, \"initial_action\": \"C\"}}}",
          "games.strategies.Mine.transitions[1][0]", "all integers or all names");
    check("{\"strategies\": {\"Mine\": {\"transitions\": [[1, \"C\", 1]], "
          "\"initial_state\": 1, \"initial_action\": \"C\"}}}",
          "games.strategies.Mine.transitions[0]", "must be [state, observed action");
    check("{\"strategies\": {\"Mine\": {\"transitions\": [[1, \"C\", 1, \"C\"], [1, \"D\", 1, "
          "\"D\"]], \"initial_state\": 3, \"initial_action\": \"C\"}}}",
          "games.strategies.Mine.initial_state", "unknown state '3'");
    check("{\"strategies\": {\"Mine\": {\"transitions\": [[1, \"C\", 1, \"C\"], [1, \"D\", 1, "
          "\"D\"]], \"initial_state\": 1}}}",
          "games.strategies.Mine", "missing required field 'initial_action'");
    check("{\"strategies\": {\"Mine\": {\"transitions\": [[1, \"C\", 1, \"C\"], [1, \"D\", 1, "
          "\"D\"]], \"initial_state\": 1, \"initial_action\": \"C\", \"start\": 1}}}",
          "games.strategies.Mine.start", "does not apply to a strategy defined by 'transitions'");
    check("{\"strategies\": {\"Mine\": {\"spec\": \"TFT\", \"sorce\": \"x\"}}}",
          "games.strategies.Mine.sorce", "unknown field (did you mean 'source'?)");
}

/* Compliance strategies are resolved in the scenario's context. */
static void test_compliance_strategies(void **state)
{
    (void)state;
    char *text = read_text(GAMES);
    /* a typo of a scenario name: the message lists the scenario's names */
    char *t = replace(text, "\"compliance_strategy\": \"Cautious\"",
                      "\"compliance_strategy\": \"Cautous\"");
    rejects(t, "actors[2].compliance_strategy", "the scenario defines: Cautious, Pavlov2");
    free(t);
    /* GTFT's default parameter needs a prisoner's dilemma; the scenario's
     * own game is the one checked */
    t = replace(text, "\"payoffs\": {", "\"payoffs_old\": {");
    char *t2 = replace(t, "\"source\": \"seed\"\n    },\n    \"strategies\"",
                       "\"source\": \"seed\", \"preset\": \"stag-hunt\"\n    },\n    \"strategies\"");
    free(t);
    char *t3 = replace(t2, "\"payoffs_old\": {\n        \"CC\": [\n          3,\n          3\n        ],\n"
                           "        \"CD\": [\n          0,\n          5\n        ],\n"
                           "        \"DC\": [\n          5,\n          0\n        ],\n"
                           "        \"DD\": [\n          1,\n          1\n        ]\n      },",
                       "");
    free(t2);
    char *t4 = replace(t3, "\"compliance_strategy\": \"Cautious\"", "\"compliance_strategy\": \"GTFT\"");
    free(t3);
    rejects(t4, "actors[2].compliance_strategy", "needs a prisoner's dilemma");
    free(t4);
    free(text);

    /* --set may name a defined strategy, and edits definitions by path. */
    parley_scenario *sc = load_ok(GAMES);
    parley_error err;
    parley_error_init(&err);
    assert_int_equal(parley_scenario_set(sc, "actors.DPRK.compliance_strategy", "Wary", &err),
                     PARLEY_OK);
    assert_int_equal(parley_scenario_set(sc, "games.strategies.Wary.memory_one.CD", "0.25", &err),
                     PARLEY_OK);
    parley_strategy *s = resolve(sc, "Wary");
    double p[4], first;
    assert_true(parley_strategy_as_memory_one(s, p, &first));
    assert_true(p[1] == 0.25);
    parley_strategy_free(s);
    assert_int_equal(parley_scenario_set(sc, "games.strategies.Wary.memory_one.CD", "1.5", &err),
                     PARLEY_EINPUT);
    assert_non_null(strstr(err.items[0].where, "games.strategies.Wary.memory_one.CD"));
    parley_error_clear(&err);
    assert_int_equal(parley_scenario_set(sc, "games.stage_game.payoffs.DD", "[2, 2]", &err),
                     PARLEY_OK);
    parley_stage_game g;
    parley_scenario_stage_game(sc, &g);
    assert_true(g.payoff[0][1][1] == 2 && g.payoff[1][1][1] == 2);
    parley_error_clear(&err);
    parley_scenario_free(sc);
}

/* Appends printf-style text to a growing buffer. */
static void add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof tmp);
    if (*len + (size_t)n + 1 > *cap) {
        *cap = (*cap + (size_t)n + 1) * 2;
        *buf = realloc(*buf, *cap);
        assert_non_null(*buf);
    }
    memcpy(*buf + *len, tmp, (size_t)n + 1);
    *len += (size_t)n;
}

/* Loads minimal.json with `games`: returns the status (diagnostics dropped). */
static parley_status load_games(const char *games, const char **first_what)
{
    char *t = with_games(games);
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    parley_status st = parley_scenario_load_string(t, strlen(t), "t.json", &sc, &err);
    static char what[PARLEY_WHAT_MAX];
    snprintf(what, sizeof what, "%s", err.count ? err.items[0].what : "");
    if (first_what)
        *first_what = what;
    parley_scenario_free(sc);
    parley_error_clear(&err);
    free(t);
    return st;
}

/* Each documented limit loads at the limit and fails one past it. */
static void test_limits(void **state)
{
    (void)state;
    for (int past = 0; past < 2; past++) {
        char *b = NULL;
        size_t len = 0, cap = 0;
        /* strategies */
        add(&b, &len, &cap, "{\"strategies\": {");
        for (int i = 0; i < PARLEY_SCENARIO_MAX_ITEMS + past; i++)
            add(&b, &len, &cap, "%s\"S%d\": {\"spec\": \"TFT\"}", i ? ", " : "", i);
        add(&b, &len, &cap, "}}");
        const char *what = NULL;
        assert_int_equal(load_games(b, &what), past ? PARLEY_ELIMIT : PARLEY_OK);
        if (past)
            assert_non_null(strstr(what, "at most 1000"));
        /* states of one table */
        len = 0;
        add(&b, &len, &cap, "{\"strategies\": {\"Big\": {\"states\": {");
        for (int i = 0; i < PARLEY_SCENARIO_MAX_STATES + past; i++)
            add(&b, &len, &cap, "%s\"s%d\": {\"cooperate\": 1, \"next\": {\"C\": \"s%d\", \"D\": \"s0\"}}",
                i ? ", " : "", i, (i + 1) % (PARLEY_SCENARIO_MAX_STATES + past));
        add(&b, &len, &cap, "}}}}");
        assert_int_equal(load_games(b, &what), past ? PARLEY_ELIMIT : PARLEY_OK);
        /* transitions of one machine: two per state */
        len = 0;
        add(&b, &len, &cap, "{\"strategies\": {\"Big\": {\"transitions\": [");
        int rows = 2 * PARLEY_SCENARIO_MAX_STATES + past;
        for (int i = 0; i < rows; i++)
            add(&b, &len, &cap, "%s[%d, \"%c\", %d, \"%c\"]", i ? ", " : "", i / 2,
                i % 2 ? 'D' : 'C', (i / 2 + 1) % PARLEY_SCENARIO_MAX_STATES, i % 2 ? 'D' : 'C');
        add(&b, &len, &cap, "], \"initial_state\": 0, \"initial_action\": \"C\"}}}");
        assert_int_equal(load_games(b, &what), past ? PARLEY_ELIMIT : PARLEY_OK);
        free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_resolve),
        cmocka_unit_test(test_machines_play_as_written),
        cmocka_unit_test(test_dump_round_trip),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_compliance_strategies),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
