/* `parley validate FILE...`: loads each scenario and reports "FILE: ok" or every
 * problem found in it. Exit 2 when any file is invalid. */
#include "cli.h"

#include "parley/scenario.h"

#include <string.h>

int cli_cmd_validate(int argc, char **argv)
{
    int files = 0, worst = CLI_EXIT_OK;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!options_done && strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        if (!options_done && arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error("validate", "unknown option '%s'", arg);
        files++;
        parley_error err;
        parley_error_init(&err);
        parley_scenario *sc = NULL;
        if (parley_scenario_open(arg, &sc, &err) == PARLEY_OK) {
            printf("%s: ok\n", arg);
        } else {
            fflush(stdout);
            int code = cli_report_error(stderr, &err);
            if (code == CLI_EXIT_BAD_INPUT || worst == CLI_EXIT_OK)
                worst = code;
        }
        parley_scenario_free(sc);
        parley_error_clear(&err);
    }
    if (files == 0)
        return cli_usage_error("validate", "give at least one scenario file");
    return worst;
}
