/* Fuzz target: the scenario JSON loader and validator. Any input may be
 * rejected, but only with located diagnostics; an accepted scenario must dump,
 * the dump must load again, and dumping that must give the same text (the
 * round trip docs/FORMAT.md promises for `parley show --format json`). */
#include "fuzz_common.h"

#include "parley/scenario.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = (parley_scenario *)&err; /* the loader must reset it */
    parley_status st = parley_scenario_load_string((const char *)data, size, "fuzz.json", &sc, &err);
    if (st != PARLEY_OK) {
        FUZZ_CHECK(sc == NULL, "a failed load returned a scenario");
        fuzz_check_failure(st, &err);
        parley_error_clear(&err);
        return 0;
    }
    FUZZ_CHECK(sc != NULL, "a successful load returned no scenario");
    FUZZ_CHECK(err.status == PARLEY_OK, "a successful load recorded an error");
    FUZZ_CHECK(parley_scenario_rounds(sc) <= PARLEY_SCENARIO_MAX_ROUNDS, "rounds over the limit");
    FUZZ_CHECK(parley_scenario_actor_count(sc) <= PARLEY_SCENARIO_MAX_ACTORS, "actors over the limit");
    FUZZ_CHECK(parley_scenario_issue_count(sc) <= PARLEY_SCENARIO_MAX_ISSUES, "issues over the limit");

    char *text = NULL;
    st = parley_scenario_dump(sc, 2, &text, &err);
    FUZZ_CHECK(st == PARLEY_OK && text != NULL, "an accepted scenario does not dump");

    parley_scenario *again = NULL;
    st = parley_scenario_load_string(text, strlen(text), "dump.json", &again, &err);
    if (st != PARLEY_OK) {
        for (size_t i = 0; i < err.count; i++)
            fprintf(stderr, "%s: %s\n", err.items[i].where, err.items[i].what);
        fprintf(stderr, "--- dump ---\n%s\n", text);
    }
    FUZZ_CHECK(st == PARLEY_OK, "the normalised dump does not load back");

    char *text2 = NULL;
    st = parley_scenario_dump(again, 2, &text2, &err);
    FUZZ_CHECK(st == PARLEY_OK && text2 != NULL, "the reloaded scenario does not dump");
    if (strcmp(text, text2) != 0)
        fprintf(stderr, "--- first dump ---\n%s\n--- second dump ---\n%s\n", text, text2);
    FUZZ_CHECK(strcmp(text, text2) == 0, "dump(load(dump(x))) differs from dump(x)");

    parley_scenario_string_free(text2);
    parley_scenario_string_free(text);
    parley_scenario_free(again);
    parley_scenario_free(sc);
    parley_error_clear(&err);
    return 0;
}
