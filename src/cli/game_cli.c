/* Option parsing shared by the repeated-game commands (match, tournament):
 * one place for the game, channel, length, seed and format options, so both
 * commands accept and reject exactly the same values with the same messages. */
#include "game_cli.h"

#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void game_cli_defaults(game_cli_common *c)
{
    memset(c, 0, sizeof *c);
    parley_stage_game_symmetric(&c->game, 3, 0, 5, 1);
    c->channel = PARLEY_CHANNEL_PERFECT;
    c->turns = 200;
    c->seed = 1;
    c->format = GAME_CLI_TABLE;
}

int game_cli_option(const char *command, int argc, char **argv, int *i, const char *name,
                    const char **value)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return 0;
    if (arg[n] == '=') {
        *value = arg + n + 1;
        return 1;
    }
    if (arg[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        cli_usage_error(command, "%s needs a value", name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}

bool game_cli_u32(const char *command, const char *option, const char *text, uint32_t min,
                  uint32_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = text[0] == '-' ? 0 : strtoull(text, &end, 10);
    if (text[0] == '-' || !end || end == text || *end || errno || v > UINT32_MAX || v < min) {
        cli_usage_error(command, "%s must be an integer from %u to %u, not '%s'", option, min,
                        UINT32_MAX, text);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

bool game_cli_u64(const char *command, const char *option, const char *text, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = text[0] == '-' ? 0 : strtoull(text, &end, 10);
    if (text[0] == '-' || !end || end == text || *end || errno) {
        cli_usage_error(command, "%s must be a non-negative integer, not '%s'", option, text);
        return false;
    }
    *out = (uint64_t)v;
    return true;
}

bool game_cli_probability(const char *command, const char *option, const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end || errno || !(v >= 0.0 && v <= 1.0)) {
        cli_usage_error(command, "%s must be a probability in [0, 1], not '%s'", option, text);
        return false;
    }
    *out = v;
    return true;
}

int game_cli_common_option(const char *command, int argc, char **argv, int *i,
                           game_cli_common *c)
{
    static const char *const names[] = {"--turns", "--noise", "--detect",  "--false-alarm",
                                        "--seed",  "--game",  "--format", "--scenario"};
    for (int k = 0; k < (int)(sizeof names / sizeof names[0]); k++) {
        const char *v = NULL;
        int r = game_cli_option(command, argc, argv, i, names[k], &v);
        if (r < 0)
            return -CLI_EXIT_BAD_INPUT;
        if (r == 0)
            continue;
        bool ok = true;
        switch (k) {
        case 0: ok = game_cli_u32(command, names[k], v, 1, &c->turns); break;
        case 1: ok = game_cli_probability(command, names[k], v, &c->channel.noise); break;
        case 2: ok = game_cli_probability(command, names[k], v, &c->channel.detect); break;
        case 3: ok = game_cli_probability(command, names[k], v, &c->channel.false_alarm); break;
        case 4: ok = game_cli_u64(command, names[k], v, &c->seed); break;
        case 5: c->game_text = v; break;
        case 7: c->scenario_text = v; break;
        default:
            if (strcmp(v, "table") == 0)
                c->format = GAME_CLI_TABLE;
            else if (strcmp(v, "csv") == 0)
                c->format = GAME_CLI_CSV;
            else if (strcmp(v, "json") == 0)
                c->format = GAME_CLI_JSON;
            else
                ok = !cli_usage_error(command, "--format is table, csv or json, not '%s'", v);
        }
        return ok ? 1 : -CLI_EXIT_BAD_INPUT;
    }
    return 0;
}

int game_cli_finish(game_cli_common *c)
{
    parley_error err;
    parley_error_init(&err);
    if (c->scenario_text) {
        if (parley_scenario_open(c->scenario_text, &c->scenario, &err) != PARLEY_OK) {
            int code = cli_report_error(stderr, &err);
            parley_error_clear(&err);
            return code;
        }
        parley_scenario_stage_game(c->scenario, &c->game);
    }
    if (c->game_text && parley_stage_game_parse(c->game_text, &c->game, &err) != PARLEY_OK) {
        int code = cli_report_error(stderr, &err);
        parley_error_clear(&err);
        return code;
    }
    return 0;
}

void game_cli_release(game_cli_common *c)
{
    parley_scenario_free(c->scenario);
    c->scenario = NULL;
}

parley_strategy *game_cli_strategy(const char *spec, const game_cli_common *c, int *exit_code)
{
    parley_error err;
    parley_error_init(&err);
    parley_strategy *s = NULL;
    parley_status st = c->scenario ? parley_scenario_strategy(c->scenario, spec, &c->game, &s, &err)
                                   : parley_strategy_parse(spec, &c->game, &s, &err);
    if (st != PARLEY_OK) {
        *exit_code = cli_report_error(stderr, &err);
        fprintf(stderr, "(`parley help match` lists the strategies)\n");
        parley_error_clear(&err);
        return NULL;
    }
    return s;
}

void game_cli_json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch < 0x20)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}
