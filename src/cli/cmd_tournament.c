/* `parley tournament [STRATEGY...]`: a seeded round robin with repetitions,
 * noise and imperfect verification, on any number of threads with identical
 * results; standings (median and mean payoff per turn), the payoff matrix and
 * cooperation rates as a table, CSV or JSON. With --scenario FILE it plays the
 * scenario's own strategies on its stage game; with --moran, a Moran process
 * among the strategies instead of a round robin. */
#include "cli.h"
#include "core/alloc.h"
#include "game_cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
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

typedef struct moran_opts {
    bool on;
    uint32_t population, mutants, runs, max_generations;
    const char *counts;
    bool population_given, mutants_given;
} moran_opts;

/* Parses "a,b,c" into n counts. */
static bool parse_counts(const char *text, size_t n, uint32_t *out)
{
    const char *p = text;
    for (size_t k = 0; k < n; k++) {
        char *end = NULL;
        errno = 0;
        unsigned long v = *p == '-' ? 0 : strtoul(p, &end, 10);
        if (*p == '-' || !end || end == p || errno || v > PARLEY_MORAN_MAX_POPULATION)
            return false;
        out[k] = (uint32_t)v;
        if (k + 1 < n ? *end != ',' : *end != '\0')
            return false;
        p = end + 1;
    }
    return true;
}

static int run_moran(const game_cli_common *c, const moran_opts *mo, unsigned threads,
                     parley_strategy *const *s, size_t n)
{
    const char *cmd = "tournament";
    uint32_t *initial = parley__calloc(n, sizeof *initial);
    if (!initial) {
        fprintf(stderr, "parley tournament: out of memory\n");
        return CLI_EXIT_FAILURE;
    }
    int code = CLI_EXIT_OK;
    if (mo->counts) {
        if (mo->population_given || mo->mutants_given) {
            code = cli_usage_error(cmd, "--counts replaces --population and --mutants");
            goto done;
        }
        if (!parse_counts(mo->counts, n, initial)) {
            code = cli_usage_error(cmd, "--counts takes %zu comma-separated counts (one per "
                                        "strategy, at most %u each), not '%s'",
                                   n, PARLEY_MORAN_MAX_POPULATION, mo->counts);
            goto done;
        }
    } else if (n == 2) {
        /* the first strategy invades the second */
        if (mo->mutants >= mo->population) {
            code = cli_usage_error(cmd, "--mutants (%u) must be below --population (%u)",
                                   mo->mutants, mo->population);
            goto done;
        }
        initial[0] = mo->mutants;
        initial[1] = mo->population - mo->mutants;
    } else {
        if (mo->mutants_given) {
            code = cli_usage_error(cmd, "--mutants is for two strategies; use --counts");
            goto done;
        }
        if (mo->population % n) {
            code = cli_usage_error(cmd, "--population %u does not split evenly among %zu "
                                        "strategies; use --counts",
                                   mo->population, n);
            goto done;
        }
        for (size_t k = 0; k < n; k++)
            initial[k] = mo->population / (uint32_t)n;
    }
    parley_moran_config cfg = {.ntypes = n, .types = (const parley_strategy *const *)s,
                               .initial = initial, .game = c->game, .channel = c->channel,
                               .turns = c->turns, .max_generations = mo->max_generations,
                               .seed = c->seed};
    parley_moran_summary sum;
    parley_error err;
    parley_error_init(&err);
    if (parley_moran_estimate(&cfg, mo->runs, threads, &sum, &err) != PARLEY_OK) {
        code = cli_report_error(stderr, &err);
        parley_error_clear(&err);
        goto done;
    }
    uint32_t population = 0;
    for (size_t k = 0; k < n; k++)
        population += initial[k];
    /* With two types, the birth-death formula on expected payoffs: exact for
     * deterministic play, the mean-fitness approximation under noise. */
    double exact[2] = {NAN, NAN};
    if (n == 2 && initial[0] > 0 && initial[1] > 0) {
        if (parley_moran_fixation_exact(s[0], s[1], &c->game, &c->channel, c->turns, population,
                                        initial[0], &exact[0], &err) != PARLEY_OK ||
            parley_moran_fixation_exact(s[1], s[0], &c->game, &c->channel, c->turns, population,
                                        initial[1], &exact[1], &err) != PARLEY_OK)
            exact[0] = exact[1] = NAN; /* e.g. too many joint states: print none */
        parley_error_clear(&err);
    }
    if (c->format == GAME_CLI_CSV) {
        printf("strategy,initial,population,runs,fixations,fixation_probability,"
               "standard_error,formula,neutral\n");
    } else if (c->format == GAME_CLI_JSON) {
        printf("{\"population\": %u, \"runs\": %u, \"turns\": %u, \"noise\": %.10g, "
               "\"detect\": %.10g, \"false_alarm\": %.10g, \"seed\": %llu, \"unfixed\": %u, "
               "\"mean_generations\": ",
               population, mo->runs, c->turns, c->channel.noise, c->channel.detect,
               c->channel.false_alarm, (unsigned long long)c->seed, sum.unfixed);
        if (isnan(sum.mean_generations))
            printf("null");
        else
            printf("%.10g", sum.mean_generations);
        printf(", \"strategies\": [");
    } else {
        printf("Moran process: population %u, %u run(s), %u turns per match, noise %g, "
               "detection %g, false alarms %g, seed %llu\n\n",
               population, mo->runs, c->turns, c->channel.noise, c->channel.detect,
               c->channel.false_alarm, (unsigned long long)c->seed);
        printf("%-28s %8s %10s %12s %10s %10s %10s\n", "strategy", "initial", "fixations",
               "probability", "se", "formula", "neutral");
    }
    for (size_t k = 0; k < n; k++) {
        double p = (double)sum.fixations[k] / mo->runs;
        double se = sqrt(p * (1 - p) / mo->runs);
        double neutral = (double)initial[k] / population;
        double f = n == 2 ? exact[k] : NAN;
        const char *name = parley_strategy_name(s[k]);
        if (c->format == GAME_CLI_CSV) {
            printf("%s,%u,%u,%u,%u,%.10g,%.10g,", name, initial[k], population, mo->runs,
                   sum.fixations[k], p, se);
            if (isnan(f))
                printf(",");
            else
                printf("%.10g,", f);
            printf("%.10g\n", neutral);
        } else if (c->format == GAME_CLI_JSON) {
            printf("%s{\"strategy\": ", k ? ", " : "");
            game_cli_json_string(name);
            printf(", \"initial\": %u, \"fixations\": %u, \"fixation_probability\": %.10g, "
                   "\"standard_error\": %.10g, \"formula\": ",
                   initial[k], sum.fixations[k], p, se);
            if (isnan(f))
                printf("null");
            else
                printf("%.10g", f);
            printf(", \"neutral\": %.10g}", neutral);
        } else {
            printf("%-28s %8u %10u %12.6f %10.6f ", name, initial[k], sum.fixations[k], p, se);
            if (isnan(f))
                printf("%10s", "-");
            else
                printf("%10.6f", f);
            printf(" %10.6f\n", neutral);
        }
    }
    if (c->format == GAME_CLI_JSON)
        printf("]}\n");
    else if (c->format == GAME_CLI_TABLE) {
        printf("\n%u run(s) still mixed after the generation cap", sum.unfixed);
        if (!isnan(sum.mean_generations))
            printf("; %.1f generations to fixation on average", sum.mean_generations);
        printf("\nformula: the birth-death fixation probability on expected payoffs (exact "
               "for deterministic play); neutral: initial share\n");
    }
    parley_moran_summary_free(&sum);
done:
    parley__free(initial);
    return code;
}

/* The players a scenario brings: its own strategies, then the compliance
 * strategies its actors use that are not among them. */
static size_t scenario_players(const parley_scenario *sc, const char **names, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < parley_scenario_strategy_count(sc) && n < cap; i++)
        names[n++] = parley_scenario_strategy_name(sc, i);
    for (size_t a = 0; a < parley_scenario_actor_count(sc) && n < cap; a++) {
        const char *spec = parley_scenario_actor_strategy(sc, a);
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = strcasecmp(names[k], spec) == 0;
        if (!seen)
            names[n++] = spec;
    }
    return n;
}

int cli_cmd_tournament(int argc, char **argv)
{
    const char *cmd = "tournament";
    game_cli_common c;
    game_cli_defaults(&c);
    parley_tournament_config cfg = {.repetitions = 10, .threads = 1};
    moran_opts mo = {.population = 10, .mutants = 1, .runs = 1000};
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
    parley_strategy **s = NULL;
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
        } else if (strcmp(argv[i], "--moran") == 0) {
            mo.on = true;
        } else if ((r = game_cli_option(cmd, argc, argv, &i, "--population", &v)) != 0) {
            if (r < 0 || !game_cli_u32(cmd, "--population", v, 2, &mo.population))
                goto bad;
            if (mo.population > PARLEY_MORAN_MAX_POPULATION) {
                cli_usage_error(cmd, "--population is at most %u", PARLEY_MORAN_MAX_POPULATION);
                goto bad;
            }
            mo.population_given = true;
        } else if ((r = game_cli_option(cmd, argc, argv, &i, "--mutants", &v)) != 0) {
            if (r < 0 || !game_cli_u32(cmd, "--mutants", v, 1, &mo.mutants))
                goto bad;
            mo.mutants_given = true;
        } else if ((r = game_cli_option(cmd, argc, argv, &i, "--counts", &v)) != 0) {
            if (r < 0)
                goto bad;
            mo.counts = v;
        } else if ((r = game_cli_option(cmd, argc, argv, &i, "--runs", &v)) != 0) {
            if (r < 0 || !game_cli_u32(cmd, "--runs", v, 1, &mo.runs))
                goto bad;
        } else if ((r = game_cli_option(cmd, argc, argv, &i, "--max-generations", &v)) != 0) {
            if (r < 0 || !game_cli_u32(cmd, "--max-generations", v, 1, &mo.max_generations))
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
    if (!mo.on && (mo.population_given || mo.mutants_given || mo.counts)) {
        cli_usage_error(cmd, "--population, --mutants and --counts are for --moran");
        goto bad;
    }
    if (mo.on && (cfg.prob_end > 0 || table != TABLE_STANDINGS)) {
        cli_usage_error(cmd, "--prob-end and --table are for round robins, not --moran");
        goto bad;
    }
    if ((code = game_cli_finish(&c)) != 0)
        goto early;
    if (n == 0 && c.scenario) {
        const char **more = parley__realloc_array(
            names, (size_t)argc + ndefault + parley_scenario_strategy_count(c.scenario) +
                       parley_scenario_actor_count(c.scenario),
            sizeof *names);
        if (!more) {
            fprintf(stderr, "parley tournament: out of memory\n");
            code = CLI_EXIT_FAILURE;
            goto early;
        }
        names = more;
        n = scenario_players(c.scenario, names, parley_scenario_strategy_count(c.scenario) +
                                                    parley_scenario_actor_count(c.scenario));
    }
    if (n == 0 && !mo.on)
        for (size_t k = 0; k < ndefault; k++)
            names[n++] = default_players[k];
    if (mo.on && n < 2) {
        code = cli_usage_error(cmd, "--moran needs at least two strategies");
        goto early;
    }
    s = parley__calloc(n, sizeof(parley_strategy *));
    if (!s) {
        code = CLI_EXIT_FAILURE;
        goto early;
    }
    for (size_t k = 0; k < n; k++)
        if (!(s[k] = game_cli_strategy(names[k], &c, &code)))
            goto done;
    if (mo.on) {
        code = run_moran(&c, &mo, cfg.threads, s, n);
        goto done;
    }
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
    for (size_t k = 0; k < n && s; k++)
        parley_strategy_free(s[k]);
    parley__free(s);
early:
    parley__free(names);
    game_cli_release(&c);
    return code;
bad:
    parley__free(names);
    game_cli_release(&c);
    return CLI_EXIT_BAD_INPUT;
}
