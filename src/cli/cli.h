/* The parley command-line tool: a thin layer over libparley. Each subcommand
 * lives in its own cmd_<name>.c, parses its options, calls the library and
 * prints. Exit codes: 0 success, 2 bad input or usage, 1 any other failure. */
#ifndef PARLEY_CLI_H
#define PARLEY_CLI_H

#include "parley/error.h"

#include <stdio.h>

enum { CLI_EXIT_OK = 0, CLI_EXIT_FAILURE = 1, CLI_EXIT_BAD_INPUT = 2 };

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const char *summary;               /* one line for `parley --help` */
    const char *usage;                 /* full text for `parley help NAME` */
} cli_command;

/* The table of subcommands, in src/cli/main.c. */
const cli_command *cli_find_command(const char *name);

/* Prints every diagnostic of `err` as "parley: where: what" on `out` and
 * returns the exit code for its status. */
int cli_report_error(FILE *out, const parley_error *err);

/* Prints "parley COMMAND: message" plus a hint to use `parley help COMMAND`,
 * returns CLI_EXIT_BAD_INPUT. */
int cli_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Prints the usage text of `command` on stdout; returns CLI_EXIT_OK. */
int cli_print_help(const char *command);

/* Each subcommand; argv[0] is the subcommand's name. */
int cli_cmd_help(int argc, char **argv);
int cli_cmd_version(int argc, char **argv);
int cli_cmd_run(int argc, char **argv);

/* Scenarios: src/cli/cmd_validate.c, cmd_show.c. */
int cli_cmd_validate(int argc, char **argv);
int cli_cmd_show(int argc, char **argv);

/* Bargaining: src/cli/cmd_forecast.c, cmd_evaluate.c, cmd_import.c. */
int cli_cmd_forecast(int argc, char **argv);
int cli_cmd_evaluate(int argc, char **argv);
int cli_cmd_import(int argc, char **argv);
extern const char cli_forecast_usage[];
extern const char cli_evaluate_usage[];
extern const char cli_import_usage[];
int cli_cmd_match(int argc, char **argv);
int cli_cmd_tournament(int argc, char **argv);

/* Monte Carlo: src/cli/cmd_sweep.c, cmd_summary.c (summary, compare),
 * cmd_calibrate.c, cmd_sensitivity.c. */
int cli_cmd_sweep(int argc, char **argv);
int cli_cmd_summary(int argc, char **argv);
int cli_cmd_compare(int argc, char **argv);
int cli_cmd_calibrate(int argc, char **argv);
int cli_cmd_sensitivity(int argc, char **argv);
extern const char cli_sweep_usage[];
extern const char cli_summary_usage[];
extern const char cli_compare_usage[];
extern const char cli_calibrate_usage[];
extern const char cli_sensitivity_usage[];

/* Reports: src/cli/cmd_report.c, cmd_plot.c, cmd_replay.c. */
int cli_cmd_report(int argc, char **argv);
int cli_cmd_plot(int argc, char **argv);
int cli_cmd_replay(int argc, char **argv);
extern const char cli_report_usage[];
extern const char cli_plot_usage[];
extern const char cli_replay_usage[];

#endif
