/* `parley tournament [STRATEGY...]`: a seeded round robin with repetitions,
 * noise and imperfect verification, on any number of threads with identical
 * results; standings (median and mean payoff per turn), the payoff matrix and
 * cooperation rates as a table, CSV or JSON. */
#include "cli.h"
#include "core/alloc.h"
#include "game_cli.h"

#include <stdio.h>
#include <string.h>

/* The nine deterministic strategies of the Axelrod anchors. */
static const char *const default_players[] = {
    "Cooperator",   "Defector",            "TitForTat",  "Grudger",     "WinStayLoseShift",
    "TitFor2Tats", "SuspiciousTitForTat", "Alternator", "GoByMajority"};

enum { TABLE_STANDINGS, TABLE_PAYOFF, TABLE_COOPERATION };

static void print_matrix_csv(const parley_tournament_result *r, parley_strategy *const *s,
                             const double *m)
{
    size_t n = r->nplayers;
    printf("player");
    for (size_t j = 0; j < n; j++)
        printf(",%s", parley_strategy_name(s[j]));
    printf("\n");
    for (size_t i = 0; i < n; i++) {
        printf("%s", parley_strategy_name(s[i]));
        for (size_t j = 0; j < n; j++)
            printf(",%.10g", m[i * n + j]);
        printf("\n");
    }
}

static void print_json_matrix(const parley_tournament_result *r, const double *m)
{
    size_t n = r->nplayers;
    printf("[");
    for (size_t i = 0; i < n; i++) {
        printf("%s[", i ? ", " : "");
        for (size_t j = 0; j < n; j++)
            printf("%s%.10g", j ? ", " : "", m[i * n + j]);
        printf("]");
    }
    printf("]");
}

static void print_json(const parley_tournament_config *cfg, const parley_tournament_result *r,
                       parley_strategy *const *s)
{
    size_t n = r->nplayers;
    printf("{\"players\": [");
    for (size_t i = 0; i < n; i++) {
        printf("%s", i ? ", " : "");
        game_cli_json_string(parley_strategy_name(s[i]));
    }
    printf("], \"turns\": %u, \"prob_end\": %.10g, \"repetitions\": %u, \"seed\": %llu",
           cfg->turns, cfg->prob_end, cfg->repetitions, (unsigned long long)cfg->seed);
    printf(", \"noise\": %.10g, \"detect\": %.10g, \"false_alarm\": %.10g", cfg->channel.noise,
           cfg->channel.detect, cfg->channel.false_alarm);
    printf(", \"total_turns\": %llu", (unsigned long long)r->total_turns);
    printf(", \"standings\": [");
    for (size_t k = 0; k < n; k++) {
        size_t i = r->ranking[k];
        printf("%s{\"rank\": %zu, \"player\": ", k ? ", " : "", k + 1);
        game_cli_json_string(parley_strategy_name(s[i]));
        printf(", \"median_score_per_turn\": %.10g, \"mean_score_per_turn\": %.10g, "
               "\"cooperation_rate\": %.10g}",
               r->median_score[i], r->mean_score[i], r->cooperation_rate[i]);
    }
    printf("], \"payoff_matrix\": ");
    print_json_matrix(r, r->payoff);
    printf(", \"cooperation_matrix\": ");
    print_json_matrix(r, r->cooperation);
    printf("}\n");
}

static void print_table(const parley_tournament_config *cfg, const parley_tournament_result *r,
                        parley_strategy *const *s)
{
    size_t n = r->nplayers;
    printf("round robin: %zu players, %u repetition(s), ", n, cfg->repetitions);
    if (cfg->prob_end > 0)
        printf("ending with probability %g per turn (at most %u turns)", cfg->prob_end,
               cfg->turns);
    else
        printf("%u turns", cfg->turns);
    printf(", noise %g, detection %g, false alarms %g, seed %llu\n\n", cfg->channel.noise,
           cfg->channel.detect, cfg->channel.false_alarm, (unsigned long long)cfg->seed);
    printf("%4s  %-28s %12s %12s %12s\n", "rank", "player", "median/turn", "mean/turn",
           "cooperation");
    for (size_t k = 0; k < n; k++) {
        size_t i = r->ranking[k];
        printf("%4zu  %-28s %12.6f %12.6f %12.6f\n", k + 1, parley_strategy_name(s[i]),
               r->median_score[i], r->mean_score[i], r->cooperation_rate[i]);
    }
    const char *titles[2] = {"payoff per turn (row against column)",
                             "cooperation rate (row against column)"};
    const double *mats[2] = {r->payoff, r->cooperation};
    for (int t = 0; t < 2; t++) {
        printf("\n%s\n%-6s", titles[t], "");
        for (size_t j = 0; j < n; j++)
            printf(" %7zu", j + 1);
        printf("\n");
        for (size_t i = 0; i < n; i++) {
            printf("%4zu  ", i + 1);
            for (size_t j = 0; j < n; j++)
                printf(" %7.3f", mats[t][i * n + j]);
            printf("  %s\n", parley_strategy_name(s[i]));
        }
    }
}

int cli_cmd_tournament(int argc, char **argv)
{
    const char *cmd = "tournament";
    game_cli_common c;
    game_cli_defaults(&c);
    parley_tournament_config cfg = {.repetitions = 10, .threads = 1};
    int table = TABLE_STANDINGS;
    size_t ndefault = sizeof default_players / sizeof default_players[0];
    /* Room for the positional names or, without any, the defaults. */
    const char **names = parley__calloc((size_t)argc + ndefault, sizeof *names);
    if (!names) {
        fprintf(stderr, "parley tournament: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    size_t n = 0;
    int code = CLI_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int r = game_cli_common_option(cmd, argc, argv, &i, &c);
        if (r < 0) {
            code = -r;
            goto early;
        }
        if (r > 0)
            continue;
        if ((r = game_cli_option(cmd, argc, argv, &i, "--repetitions", &v)) != 0) {
            if (r < 0 || !game_cli_u32(cmd, "--repetitions", v, 1, &cfg.repetitions))
                goto bad;
        } else if ((r = game_cli_option(cmd, argc, argv, &i, "--threads", &v)) != 0) {
            uint32_t t;
            if (r < 0 || !game_cli_u32(cmd, "--threads", v, 1, &t))
                goto bad;
            if (t > 256) {
                cli_usage_error(cmd, "--threads is at most 256");
                goto bad;
            }
            cfg.threads = t;
        } else if ((r = game_cli_option(cmd, argc, argv, &i, "--prob-end", &v)) != 0) {
            if (r < 0 || !game_cli_probability(cmd, "--prob-end", v, &cfg.prob_end))
                goto bad;
        } else if ((r = game_cli_option(cmd, argc, argv, &i, "--table", &v)) != 0) {
            if (r < 0)
                goto bad;
            if (strcmp(v, "standings") == 0)
                table = TABLE_STANDINGS;
            else if (strcmp(v, "payoff") == 0)
                table = TABLE_PAYOFF;
            else if (strcmp(v, "cooperation") == 0)
                table = TABLE_COOPERATION;
            else {
                cli_usage_error(cmd, "--table is standings, payoff or cooperation, not '%s'", v);
                goto bad;
            }
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            cli_usage_error(cmd, "unknown option '%s'", argv[i]);
            goto bad;
        } else {
            names[n++] = argv[i];
        }
    }
    if (n == 0)
        for (size_t k = 0; k < ndefault; k++)
            names[n++] = default_players[k];
    if ((code = game_cli_finish(&c)) != 0)
        goto early;
    parley_strategy **s = parley__calloc(n, sizeof(parley_strategy *));
    if (!s) {
        code = CLI_EXIT_FAILURE;
        goto early;
    }
    for (size_t k = 0; k < n; k++)
        if (!(s[k] = game_cli_strategy(names[k], &c, &code)))
            goto done;
    cfg.nplayers = n;
    cfg.players = (const parley_strategy *const *)s;
    cfg.game = c.game;
    cfg.channel = c.channel;
    cfg.turns = c.turns;
    cfg.seed = c.seed;
    parley_tournament_result r;
    parley_error err;
    parley_error_init(&err);
    if (parley_tournament_run(&cfg, &r, &err) != PARLEY_OK) {
        code = cli_report_error(stderr, &err);
        parley_error_clear(&err);
        goto done;
    }
    if (c.format == GAME_CLI_CSV) {
        if (table == TABLE_STANDINGS) {
            printf("rank,player,median_score_per_turn,mean_score_per_turn,cooperation_rate\n");
            for (size_t k = 0; k < n; k++) {
                size_t i = r.ranking[k];
                printf("%zu,%s,%.10g,%.10g,%.10g\n", k + 1, parley_strategy_name(s[i]),
                       r.median_score[i], r.mean_score[i], r.cooperation_rate[i]);
            }
        } else {
            print_matrix_csv(&r, s, table == TABLE_PAYOFF ? r.payoff : r.cooperation);
        }
    } else if (c.format == GAME_CLI_JSON) {
        print_json(&cfg, &r, s);
    } else {
        print_table(&cfg, &r, s);
    }
    parley_tournament_result_free(&r);
    code = CLI_EXIT_OK;
done:
    for (size_t k = 0; k < n; k++)
        parley_strategy_free(s[k]);
    parley__free(s);
early:
    parley__free(names);
    return code;
bad:
    parley__free(names);
    return CLI_EXIT_BAD_INPUT;
}
