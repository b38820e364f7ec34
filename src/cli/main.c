/* Entry point and subcommand dispatch, git-style: `parley COMMAND [ARGS]`.
 * Adding a command: write cmd_<name>.c, declare it in cli.h, add a row below. */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

static const cli_command commands[] = {
    {"validate", cli_cmd_validate, "check scenario files and report every problem",
     "usage: parley validate SCENARIO...\n"
     "\n"
     "Loads each scenario (a file, or a built-in name such as four-party-1997)\n"
     "and prints 'FILE: ok', or every problem found as 'parley: WHERE: WHAT':\n"
     "file:line:column for syntax errors, file: json.path for the rest (unknown\n"
     "fields, out-of-range values, unknown or duplicate ids, cycles, limits).\n"
     "Exit status 2 when any file is invalid. docs/FORMAT.md is the format.\n"},
    {"show", cli_cmd_show, "print a scenario as tables, or normalised JSON",
     "usage: parley show SCENARIO [--format text|json] [--set PATH=VALUE]...\n"
     "\n"
     "Prints the scenario (a file, or a built-in name such as four-party-1997)\n"
     "as tables: actors, issues, the stance grid (position/salience), forums,\n"
     "agreements, trust, events with dates and narratives, policy, and the\n"
     "uncertain numbers sweeps draw. --format json prints the normalised\n"
     "scenario (every default written), which loads back to the same scenario.\n"
     "--set PATH=VALUE changes a field first (docs/FORMAT.md, Paths), e.g.\n"
     "--set policy.linkage=linked --set actors.DPRK.capability=40.\n"
     "Built-in names are looked up in $PARLEY_SCENARIO_PATH if set.\n"},
    {"run", cli_cmd_run, "simulate the negotiation month by month: timeline and summary",
     "usage: parley run SCENARIO [--seed N] [--set PATH=VALUE]... [--format text|json] [--quiet]\n"
     "                  [--ablate LIST] [--null-model]\n"
     "\n"
     "Plays one history of the scenario (a path or a built-in name such as\n"
     "four-party-1997) in monthly rounds: events, participation, agenda,\n"
     "proposals, acceptance, implementation, verification, beliefs, support.\n"
     "Prints a dated timeline and a summary; --quiet prints only the summary;\n"
     "--format json writes the full event log and per-round state.\n"
     "--seed N (default 1) reproduces a run bit for bit. --set PATH=VALUE\n"
     "overrides a scenario field or policy lever (docs/FORMAT.md, Paths), e.g.\n"
     "--set policy.linkage=linked --set actors.DPRK.capability=40; --set sim.NAME=V\n"
     "sets a simulator parameter (sim.participation_precision, sim.exit_cost, ...).\n"
     "--ablate switches mechanisms off for validation (contact_cost, aid,\n"
     "agenda_consent, peace_package, sucker_loss, veto_factions, inspections,\n"
     "beliefs, support, procedure_first, amendments, record, convening;\n"
     "comma-separated);\n"
     "--null-model makes participation and acceptance coin tosses.\n"
     "docs/MODEL.md describes the model and its validation.\n"},
    {"forecast", cli_cmd_forecast, "forecast where bargaining lands (six models)",
     cli_forecast_usage},
    {"evaluate", cli_cmd_evaluate, "score the bargaining models on known outcomes",
     cli_evaluate_usage},
    {"import", cli_cmd_import, "convert a Decide, KTAB, BDM or DEU table to a scenario",
     cli_import_usage},
    {"match", cli_cmd_match, "play or solve one repeated game between two strategies",
     "usage: parley match A B [--turns N] [--noise E] [--detect D] [--false-alarm F]\n"
     "                    [--game G] [--exact [--long-run]] [--repetitions K] [--actions]\n"
     "                    [--seed S] [--format table|csv|json]\n\n"
     "Plays strategy A (player 1) against B for N turns (default 200). Each intended\n"
     "action is flipped with probability E (noise, default 0); each player sees the\n"
     "other's actual action through a channel that reports a defection with\n"
     "probability D (--detect, default 1) and a cooperation as a defection with\n"
     "probability F (--false-alarm, default 0). Strategies react to what they saw;\n"
     "payoffs follow what happened.\n\n"
     "  --exact          expected values over the N turns (dynamic programming over\n"
     "                   the joint states), instead of a simulation\n"
     "  --long-run       with --exact: the stationary long-run values (Markov chain;\n"
     "                   finite-state strategies only)\n"
     "  --repetitions K  simulate K matches (streams seed/0..K-1) and print means\n"
     "  --actions        print the two action strings of one simulated match\n"
     "  --game G         pd (3,0,5,1, the default), stag-hunt, chicken, R,S,T,P, or\n"
     "                   eight numbers: row then column payoffs for CC,CD,DC,DD\n"
     "  --seed S         random seed (default 1)\n"
     "  --scenario FILE  a scenario (file or built-in name): its stage game (unless\n"
     "                   --game) and the strategies it defines in games.strategies\n"
     "  --format F       table (default), csv or json; csv prints the header\n"
     "                   player1,player2,turns,noise,payoff_per_turn1,payoff_per_turn2,\n"
     "                   cooperation1,cooperation2 and one row (turns is inf in the long run)\n\n"
     "Strategies (case-insensitive; parameters after colons):\n"
     "  Cooperator Defector TitForTat TitFor2Tats SuspiciousTitForTat WinStayLoseShift\n"
     "  Grudger Alternator GoByMajority  GTFT[:p]  Random[:p]  ZD:chi[:phi]\n"
     "  MemoryOne:pCC:pCD:pDC:pDD[:first]  Hedger[:threshold[:alpha:beta]]\n"
     "  ZD and GTFT without p need a prisoner's dilemma. docs/GAMES.md has the tables.\n\n"
     "Example: parley match TitForTat WinStayLoseShift --noise 0.05 --exact --format csv\n"
     "Exit status: 0 success, 2 bad input (unknown strategy, probability outside\n"
     "[0, 1], a game that is not a prisoner's dilemma when a strategy needs one).\n"},
    {"tournament", cli_cmd_tournament, "round-robin tournament of repeated-game strategies",
     "usage: parley tournament [STRATEGY...] [--turns N] [--prob-end P] [--repetitions K]\n"
     "                         [--noise E] [--detect D] [--false-alarm F] [--game G]\n"
     "                         [--seed S] [--threads T] [--format table|csv|json]\n"
     "                         [--table standings|payoff|cooperation] [--scenario FILE]\n"
     "       parley tournament --moran STRATEGY STRATEGY... [--population N] [--mutants K]\n"
     "                         [--counts C1,C2,...] [--runs R] [--max-generations G] ...\n\n"
     "Every pair of strategies (and each against itself) plays once per repetition\n"
     "(K, default 10). Without strategies, the nine deterministic Axelrod ones:\n"
     "Cooperator Defector TitForTat Grudger WinStayLoseShift TitFor2Tats\n"
     "SuspiciousTitForTat Alternator GoByMajority. Strategy names, --noise, --detect,\n"
     "--false-alarm, --game and --seed as in `parley help match`.\n\n"
     "  --turns N        match length (default 200), or the cap with --prob-end\n"
     "  --prob-end P     each match ends after each turn with probability P\n"
     "  --threads T      worker threads (default 1); results are identical for any T\n"
     "  --format F       table (default), csv or json (json holds everything)\n"
     "  --table X        which table --format csv prints: standings (default;\n"
     "                   rank,player,median_score_per_turn,mean_score_per_turn,\n"
     "                   cooperation_rate), payoff or cooperation (row v column)\n\n"
     "Standings rank by the median over repetitions of each player's mean payoff per\n"
     "turn against the others (self-play excluded), as the Axelrod library does.\n\n"
     "  --scenario FILE  play on the scenario's stage game; strategy names may be the\n"
     "                   scenario's own; without names, its own strategies and those\n"
     "                   its actors use\n"
     "  --moran          a Moran process instead: each generation every pair plays a\n"
     "                   match, one individual reproduces in proportion to its total\n"
     "                   payoff and replaces one chosen uniformly, until one strategy\n"
     "                   holds the population; prints each strategy's fixation\n"
     "                   frequency over R runs (--runs, default 1000), its standard\n"
     "                   error, the birth-death formula on expected payoffs (two\n"
     "                   strategies; exact for deterministic play) and the neutral\n"
     "                   value (initial share)\n"
     "  --population N   individuals (default 10, at most 1000); with two strategies\n"
     "  --mutants K      K of the first invade N - K of the second (default 1);\n"
     "                   with more, N is split evenly unless --counts gives each\n"
     "  --max-generations G  stop a run still mixed after G births (default 1000000)\n"},
    {"sweep", cli_cmd_sweep, "policy cells x parameter draws x seeded runs into SQLite",
     cli_sweep_usage},
    {"summary", cli_cmd_summary, "per-cell outcome probabilities of a sweep, with intervals",
     cli_summary_usage},
    {"compare", cli_cmd_compare, "paired policy contrast between two cells of a sweep",
     cli_compare_usage},
    {"calibrate", cli_cmd_calibrate, "keep the parameter draws that reproduce the patterns",
     cli_calibrate_usage},
    {"sensitivity", cli_cmd_sensitivity, "Morris screening and Sobol indices of P(outcome)",
     cli_sensitivity_usage},
    {"report", cli_cmd_report, "one self-contained HTML report of a sweep, with charts",
     cli_report_usage},
    {"plot", cli_cmd_plot, "one chart of the report as SVG or PNG", cli_plot_usage},
    {"replay", cli_cmd_replay, "one run of a sweep replayed from its seed: timeline, summary",
     cli_replay_usage},
    {"help", cli_cmd_help, "show help for a command", "usage: parley help [COMMAND]\n"},
    {"version", cli_cmd_version, "print parley's version", "usage: parley version\n"},
};

const cli_command *cli_find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int cli_report_error(FILE *out, const parley_error *err)
{
    for (size_t i = 0; i < err->count; i++) {
        const parley_diagnostic *d = &err->items[i];
        if (d->where[0])
            fprintf(out, "parley: %s: %s\n", d->where, d->what);
        else
            fprintf(out, "parley: %s\n", d->what);
    }
    if (err->dropped)
        fprintf(out, "parley: ... and %zu more problem(s) not shown\n", err->dropped);
    if (err->count == 0 && err->status != PARLEY_OK)
        fprintf(out, "parley: %s\n", parley_strerror(err->status));
    return parley_status_exit_code(err->status);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "parley %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see `parley help %s`)\n", command);
    return CLI_EXIT_BAD_INPUT;
}

static void print_overview(FILE *out)
{
    fprintf(out, "usage: parley [--version] [--help] COMMAND [ARGS]\n\n"
                 "parley simulates multi-party peace negotiations: it forecasts where\n"
                 "bargaining lands and runs the negotiation as a process in time.\n\n"
                 "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`parley help COMMAND` explains one command.\n");
}

int cli_print_help(const char *command)
{
    const cli_command *c = cli_find_command(command);
    if (!c)
        return cli_usage_error("help", "unknown command '%s'", command);
    fputs(c->usage, stdout);
    return CLI_EXIT_OK;
}

int cli_cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stdout);
        return CLI_EXIT_OK;
    }
    return cli_print_help(argv[1]);
}

int cli_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("parley %s\n", PARLEY_VERSION);
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return CLI_EXIT_BAD_INPUT;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_overview(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
        return cli_cmd_version(argc - 1, argv + 1);
    const cli_command *c = cli_find_command(name);
    if (!c) {
        fprintf(stderr, "parley: '%s' is not a parley command (see `parley --help`)\n", name);
        return CLI_EXIT_BAD_INPUT;
    }
    /* `parley CMD --help` is the same as `parley help CMD`. */
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return cli_print_help(name);
    return c->run(argc - 1, argv + 1);
}
