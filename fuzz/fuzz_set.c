/* Fuzz target: `--set PATH=VALUE` on a valid scenario (tests/data/minimal.json,
 * embedded). The input is up to 8 lines, each PATH=VALUE (split at the first
 * '='; a line without '=' is a path with an empty value), applied in turn as
 * the CLI applies repeated --set options. A rejected set must leave the
 * scenario unchanged (same dump) and say why; an accepted one must leave a
 * scenario that dumps and loads back. */
#include "fuzz_common.h"

#include "parley/scenario.h"

#include <string.h>

#define MAX_SETS 8

static char *dump_or_die(const parley_scenario *sc)
{
    parley_error err;
    parley_error_init(&err);
    char *text = NULL;
    parley_status st = parley_scenario_dump(sc, 0, &text, &err);
    FUZZ_CHECK(st == PARLEY_OK && text != NULL, "a valid scenario does not dump");
    parley_error_clear(&err);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A NUL-terminated copy: paths and values are C strings. */
    char *input = malloc(size + 1);
    if (!input)
        return 0;
    memcpy(input, data, size);
    input[size] = '\0';

    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    parley_status st = parley_scenario_load_string((const char *)fuzz_seed_scenario,
                                                   fuzz_seed_scenario_len, "minimal.json", &sc,
                                                   &err);
    FUZZ_CHECK(st == PARLEY_OK, "the seed scenario does not load");

    char *line = input;
    for (int k = 0; k < MAX_SETS && line && *line; k++) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *eq = strchr(line, '=');
        const char *value = "";
        if (eq) {
            *eq = '\0';
            value = eq + 1;
        }
        char *before = dump_or_die(sc);
        st = parley_scenario_set(sc, line, value, &err);
        char *after = dump_or_die(sc);
        if (st != PARLEY_OK) {
            fuzz_check_failure(st, &err);
            FUZZ_CHECK(strcmp(before, after) == 0, "a rejected --set changed the scenario");
        } else {
            parley_scenario *again = NULL;
            parley_status st2 =
                parley_scenario_load_string(after, strlen(after), "dump.json", &again, &err);
            if (st2 != PARLEY_OK) {
                for (size_t i = 0; i < err.count; i++)
                    fprintf(stderr, "%s: %s\n", err.items[i].where, err.items[i].what);
                fprintf(stderr, "--- after --set %s=%s ---\n%s\n", line, value, after);
            }
            FUZZ_CHECK(st2 == PARLEY_OK, "the scenario after an accepted --set does not reload");
            parley_scenario_free(again);
        }
        parley_scenario_string_free(before);
        parley_scenario_string_free(after);
        parley_error_clear(&err);
        line = next;
    }
    parley_scenario_free(sc);
    parley_error_clear(&err);
    free(input);
    return 0;
}
