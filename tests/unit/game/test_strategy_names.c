/* Which names are the built-ins' (scenarios may not reuse them in any
 * spelling) and renaming a strategy just made (a scenario's definition by
 * spec plays under the scenario's name, with the built-in's behaviour). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parley/game.h"

static void test_builtin_names(void **state)
{
    (void)state;
    const char *pairs[][2] = {
        {"TitForTat", "TitForTat"}, {"tft", "TitForTat"},           {"PAVLOV", "WinStayLoseShift"},
        {"allc", "Cooperator"},     {"GrimTrigger", "Grudger"},     {"zdextortion", "ZD"},
        {"Hedger", "Hedger"},       {"GenerousTitForTat", "GTFT"},  {"memoryone", "MemoryOne"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const char *b = parley_strategy_builtin(pairs[i][0]);
        assert_non_null(b);
        assert_string_equal(b, pairs[i][1]);
    }
    const char *not_builtin[] = {"Cautious", "TitForTats", "GTFT:0.3", "", "Fortress3"};
    for (size_t i = 0; i < sizeof not_builtin / sizeof not_builtin[0]; i++)
        assert_null(parley_strategy_builtin(not_builtin[i]));
    assert_null(parley_strategy_builtin(NULL));
}

static void test_rename(void **state)
{
    (void)state;
    parley_stage_game g;
    parley_stage_game_symmetric(&g, 3, 0, 5, 1);
    parley_strategy *s = NULL;
    parley_error err = {0};
    assert_int_equal(parley_strategy_parse("Hedger:0.6:2:1", &g, &s, &err), PARLEY_OK);
    assert_int_equal(parley_strategy_rename(s, "DPRKHedge", &err), PARLEY_OK);
    assert_string_equal(parley_strategy_name(s), "DPRKHedge");
    assert_false(parley_strategy_is_finite(s)); /* still the counting rule */
    char longname[200];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(parley_strategy_rename(s, longname, &err), PARLEY_EINPUT);
    assert_int_equal(parley_strategy_rename(s, "", &err), PARLEY_EINPUT);
    assert_string_equal(parley_strategy_name(s), "DPRKHedge");
    parley_error_clear(&err);
    parley_strategy_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_names),
        cmocka_unit_test(test_rename),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
