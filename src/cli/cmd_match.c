/* `parley match A B`: one repeated game between two strategies, simulated
 * (seeded, optionally repeated) or computed exactly (finite horizon or long
 * run), printed as a table, one CSV row or JSON. With --scenario FILE the
 * strategies may be ones the scenario defines, on its stage game. */
#include "cli.h"
#include "core/alloc.h"
#include "game_cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct match_out {
    const char *method; /* "simulation", "exact", "exact-long-run" */
    uint32_t repetitions;
    double payoff[2], cooperation[2], outcome[4];
    double payoff_se[2]; /* simulation with repetitions > 1 */
    char *actions[2];    /* one simulated match */
} match_out;

static void print_csv(const parley_strategy *s1, const parley_strategy *s2,
                      const game_cli_common *c, const match_out *m, bool long_run)
{
    printf("player1,player2,turns,noise,payoff_per_turn1,payoff_per_turn2,cooperation1,"
           "cooperation2\n");
    printf("%s,%s,", parley_strategy_name(s1), parley_strategy_name(s2));
    if (long_run)
        printf("inf,");
    else
        printf("%u,", c->turns);
    printf("%.10g,%.10g,%.10g,%.10g,%.10g\n", c->channel.noise, m->payoff[0], m->payoff[1],
           m->cooperation[0], m->cooperation[1]);
}

static void print_json(const parley_strategy *s1, const parley_strategy *s2,
                       const game_cli_common *c, const match_out *m, bool long_run)
{
    printf("{\"player1\": ");
    game_cli_json_string(parley_strategy_name(s1));
    printf(", \"player2\": ");
    game_cli_json_string(parley_strategy_name(s2));
    if (long_run)
        printf(", \"turns\": null");
    else
        printf(", \"turns\": %u", c->turns);
    printf(", \"noise\": %.10g, \"detect\": %.10g, \"false_alarm\": %.10g", c->channel.noise,
           c->channel.detect, c->channel.false_alarm);
    printf(", \"method\": \"%s\"", m->method);
    if (m->repetitions)
        printf(", \"repetitions\": %u, \"seed\": %llu", m->repetitions,
               (unsigned long long)c->seed);
    printf(", \"payoff_per_turn\": [%.10g, %.10g]", m->payoff[0], m->payoff[1]);
    if (m->repetitions > 1)
        printf(", \"payoff_per_turn_se\": [%.10g, %.10g]", m->payoff_se[0], m->payoff_se[1]);
    printf(", \"cooperation\": [%.10g, %.10g]", m->cooperation[0], m->cooperation[1]);
    printf(", \"outcomes\": {\"CC\": %.10g, \"CD\": %.10g, \"DC\": %.10g, \"DD\": %.10g}",
           m->outcome[0], m->outcome[1], m->outcome[2], m->outcome[3]);
    if (m->actions[0])
        printf(", \"actions\": [\"%.*s\", \"%.*s\"]", (int)c->turns, m->actions[0],
               (int)c->turns, m->actions[1]);
    printf("}\n");
}

static void print_table(const parley_strategy *s1, const parley_strategy *s2,
                        const game_cli_common *c, const match_out *m, bool long_run)
{
    printf("%s v %s: ", parley_strategy_name(s1), parley_strategy_name(s2));
    if (long_run)
        printf("long run");
    else
        printf("%u turns", c->turns);
    printf(", noise %g, detection %g, false alarms %g\n", c->channel.noise, c->channel.detect,
           c->channel.false_alarm);
    if (strcmp(m->method, "simulation") == 0)
        printf("simulated: %u match(es), seed %llu\n", m->repetitions,
               (unsigned long long)c->seed);
    else
        printf("%s\n", long_run ? "exact: stationary Markov chain"
                                : "exact: expectation over the joint states");
    printf("\n%-28s %14s %14s\n", "player", "payoff/turn", "cooperation");
    const parley_strategy *s[2] = {s1, s2};
    for (int i = 0; i < 2; i++) {
        printf("%-28s %14.6f %14.6f", parley_strategy_name(s[i]), m->payoff[i], m->cooperation[i]);
        if (m->repetitions > 1)
            printf("   (se %.6f)", m->payoff_se[i]);
        printf("\n");
    }
    printf("\noutcomes: CC %.6f  CD %.6f  DC %.6f  DD %.6f\n", m->outcome[0], m->outcome[1],
           m->outcome[2], m->outcome[3]);
    if (m->actions[0])
        printf("\n%.*s\n%.*s\n", (int)c->turns, m->actions[0], (int)c->turns, m->actions[1]);
}

int cli_cmd_match(int argc, char **argv)
{
    const char *cmd = "match";
    game_cli_common c;
    game_cli_defaults(&c);
    const char *names[2] = {NULL, NULL};
    int npos = 0;
    bool exact = false, long_run = false, turns_given = false, actions = false;
    uint32_t reps = 1;
    bool reps_given = false;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--turns") == 0 || strncmp(argv[i], "--turns=", 8) == 0)
            turns_given = true;
        int r = game_cli_common_option(cmd, argc, argv, &i, &c);
        if (r < 0)
            return -r;
        if (r > 0)
            continue;
        if (strcmp(argv[i], "--exact") == 0) {
            exact = true;
        } else if (strcmp(argv[i], "--long-run") == 0) {
            long_run = true;
        } else if (strcmp(argv[i], "--actions") == 0) {
            actions = true;
        } else if ((r = game_cli_option(cmd, argc, argv, &i, "--repetitions", &v)) != 0) {
            if (r < 0 || !game_cli_u32(cmd, "--repetitions", v, 1, &reps))
                return CLI_EXIT_BAD_INPUT;
            reps_given = true;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
        } else if (npos < 2) {
            names[npos++] = argv[i];
        } else {
            return cli_usage_error(cmd, "takes two strategies, got a third: '%s'", argv[i]);
        }
    }
    if (npos != 2)
        return cli_usage_error(cmd, "needs two strategies, e.g. `parley match TitForTat "
                                    "WinStayLoseShift`");
    if (long_run && !exact)
        return cli_usage_error(cmd, "--long-run is a mode of --exact");
    if (long_run && turns_given)
        return cli_usage_error(cmd, "--long-run has no --turns");
    if (exact && (reps_given || actions))
        return cli_usage_error(cmd, "--repetitions and --actions are for simulated matches");
    if (actions && reps > 1)
        return cli_usage_error(cmd, "--actions shows one match: drop --repetitions");
    int code = game_cli_finish(&c);
    if (code) {
        game_cli_release(&c);
        return code;
    }
    parley_strategy *s1 = game_cli_strategy(names[0], &c, &code);
    parley_strategy *s2 = s1 ? game_cli_strategy(names[1], &c, &code) : NULL;
    if (!s1 || !s2) {
        parley_strategy_free(s1);
        game_cli_release(&c);
        return code;
    }
    match_out m = {.method = "simulation"};
    parley_error err;
    parley_error_init(&err);
    if (exact) {
        parley_expectation ex;
        parley_status st = long_run
                               ? parley_exact_long_run(s1, s2, &c.game, &c.channel, &ex, &err)
                               : parley_exact_finite(s1, s2, &c.game, &c.channel, c.turns, &ex, &err);
        if (st != PARLEY_OK) {
            code = cli_report_error(stderr, &err);
            goto done;
        }
        m.method = long_run ? "exact-long-run" : "exact";
        memcpy(m.payoff, ex.payoff, sizeof m.payoff);
        memcpy(m.cooperation, ex.cooperation, sizeof m.cooperation);
        memcpy(m.outcome, ex.outcome, sizeof m.outcome);
    } else {
        m.repetitions = reps;
        if (actions) {
            m.actions[0] = parley__malloc(c.turns);
            m.actions[1] = parley__malloc(c.turns);
            if (!m.actions[0] || !m.actions[1]) {
                fprintf(stderr, "parley match: out of memory for %u actions\n", c.turns);
                code = CLI_EXIT_FAILURE;
                goto done;
            }
        }
        double sum[2] = {0, 0}, sq[2] = {0, 0}, coop[2] = {0, 0}, out[4] = {0, 0, 0, 0};
        for (uint32_t r = 0; r < reps; r++) {
            parley_stream_id id = {.seed = c.seed, .run = r, .mechanism = PARLEY_MECH_GAME};
            parley_match_result res;
            parley_match_play(s1, s2, &c.game, &c.channel, c.turns, &id, &res, m.actions[0],
                              m.actions[1]);
            for (int i = 0; i < 2; i++) {
                double x = res.score[i] / c.turns;
                sum[i] += x;
                sq[i] += x * x;
                coop[i] += (double)res.cooperations[i] / c.turns;
            }
            for (int o = 0; o < 4; o++)
                out[o] += (double)res.outcomes[o] / c.turns;
        }
        for (int i = 0; i < 2; i++) {
            m.payoff[i] = sum[i] / reps;
            m.cooperation[i] = coop[i] / reps;
            if (reps > 1) {
                double var = (sq[i] - reps * m.payoff[i] * m.payoff[i]) / (reps - 1);
                m.payoff_se[i] = sqrt(var > 0 ? var / reps : 0);
            }
        }
        for (int o = 0; o < 4; o++)
            m.outcome[o] = out[o] / reps;
    }
    if (c.format == GAME_CLI_CSV)
        print_csv(s1, s2, &c, &m, long_run);
    else if (c.format == GAME_CLI_JSON)
        print_json(s1, s2, &c, &m, long_run);
    else
        print_table(s1, s2, &c, &m, long_run);
    code = CLI_EXIT_OK;
done:
    parley__free(m.actions[0]);
    parley__free(m.actions[1]);
    parley_error_clear(&err);
    parley_strategy_free(s1);
    parley_strategy_free(s2);
    game_cli_release(&c);
    return code;
}
