/* Options shared by `parley match` and `parley tournament`: the game, the
 * verification channel, lengths, seeds and output formats. */
#ifndef PARLEY_CLI_GAME_CLI_H
#define PARLEY_CLI_GAME_CLI_H

#include "parley/game.h"
#include "parley/scenario.h"

#include <stdbool.h>
#include <stdint.h>

enum { GAME_CLI_TABLE = 0, GAME_CLI_CSV = 1, GAME_CLI_JSON = 2 };

typedef struct game_cli_common {
    parley_stage_game game;
    const char *game_text;
    /* --scenario: its stage game (unless --game) and its strategies by name */
    const char *scenario_text;
    parley_scenario *scenario; /* owned; game_cli_release frees it */
    parley_channel channel;
    uint32_t turns;
    uint64_t seed;
    int format;
} game_cli_common;

void game_cli_defaults(game_cli_common *c);

/* If argv[*i] is option `name` ("--turns N" or "--turns=N"), sets *value and
 * returns 1 (advancing *i past a separate value); returns 0 when it is not
 * that option and -1 (after printing) when its value is missing. */
int game_cli_option(const char *command, int argc, char **argv, int *i, const char *name,
                    const char **value);

/* Parses one of the common options at argv[*i]. Returns 1 when consumed, 0 when
 * not a common option, or -(exit code) on a bad value (message printed). */
int game_cli_common_option(const char *command, int argc, char **argv, int *i,
                           game_cli_common *c);

/* Number parsers; print a usage error and return false on bad input. */
bool game_cli_u32(const char *command, const char *option, const char *text, uint32_t min,
                  uint32_t *out);
bool game_cli_u64(const char *command, const char *option, const char *text, uint64_t *out);
bool game_cli_probability(const char *command, const char *option, const char *text, double *out);

/* Loads the scenario (if any) and takes its stage game, then parses the game
 * text (if any), which overrides it; prints diagnostics and returns the exit
 * code on failure, 0 on success. */
int game_cli_finish(game_cli_common *c);

/* Frees what game_cli_finish loaded. */
void game_cli_release(game_cli_common *c);

/* Parses a strategy against c->game (with --scenario, a name the scenario
 * defines first), printing diagnostics; NULL on failure. */
parley_strategy *game_cli_strategy(const char *spec, const game_cli_common *c, int *exit_code);

/* Writes s as a JSON string literal. */
void game_cli_json_string(const char *s);

#endif
