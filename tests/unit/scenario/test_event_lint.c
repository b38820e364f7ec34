/* The lint of the design's third principle: events change primitives, never
 * decisions or outcomes. Every event effect of every built-in scenario
 * (every .json file in scenarios/) must resolve to a field an event may change, and no
 * path may name a decision or an outcome. The loader enforces the same rule;
 * this test reads the built-in files independently, so a scenario that slips
 * past a loosened loader still fails here. */
#include "parley/scenario.h"
#include "scenario/model.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* What a decision or an outcome is called in a path (lower case). */
static const char *const decision_words[] = {"particip", "attend", "accept", "reject",
                                             "propos",   "outcome", "treaty", "collapse",
                                             "decision", "comply",  "complian", "withdraw",
                                             NULL};

static bool names_a_decision(const char *path)
{
    char lower[512];
    size_t n = strlen(path) < sizeof lower - 1 ? strlen(path) : sizeof lower - 1;
    for (size_t i = 0; i < n; i++)
        lower[i] = (char)tolower((unsigned char)path[i]);
    lower[n] = '\0';
    for (size_t i = 0; decision_words[i]; i++)
        if (strstr(lower, decision_words[i]))
            return true;
    return false;
}

static void lint_file(const char *path, size_t *n_effects)
{
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    if (parley_scenario_load_file(path, &sc, &err) != PARLEY_OK)
        fail_msg("%s does not load", path);
    const psc_model *m = parley__scenario_model(sc);
    for (size_t e = 0; e < m->n_events; e++)
        for (size_t j = 0; j < m->events[e].n_effects; j++) {
            const char *p = m->events[e].effects[j].path;
            psc_target t;
            bool primitive = false;
            char why[256];
            if (!parley__scenario_resolve_number(m, p, &t, NULL, NULL, &primitive, why, sizeof why))
                fail_msg("%s: event %s: '%s' does not resolve: %s", path, m->events[e].id, p, why);
            if (!primitive)
                fail_msg("%s: event %s sets '%s', which is not a primitive", path,
                         m->events[e].id, p);
            if (names_a_decision(p))
                fail_msg("%s: event %s sets '%s', a decision or an outcome", path,
                         m->events[e].id, p);
            ++*n_effects;
        }
    parley_scenario_free(sc);
    parley_error_clear(&err);
}

static void no_event_sets_a_decision_or_an_outcome(void **state)
{
    (void)state;
    DIR *dir = opendir(PARLEY_SOURCE_DIR "/scenarios");
    assert_non_null(dir);
    size_t files = 0, effects = 0;
    const struct dirent *d;
    while ((d = readdir(dir)) != NULL) {
        size_t len = strlen(d->d_name);
        if (len < 6 || strcmp(d->d_name + len - 5, ".json") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/scenarios/%s", PARLEY_SOURCE_DIR, d->d_name);
        lint_file(path, &effects);
        files++;
    }
    closedir(dir);
    assert_true(files >= 2);    /* four-party-1997 and panmunjom-2018 at least */
    assert_true(effects >= 50); /* the lint saw the events, not an empty list */
}

static void the_lint_catches_a_decision(void **state)
{
    (void)state;
    assert_true(names_a_decision("forums.four_party.participation"));
    assert_true(names_a_decision("actors.DPRK.Accepts"));
    assert_true(names_a_decision("outcome"));
    assert_false(names_a_decision("actors.DPRK.need"));
    assert_false(names_a_decision("issues.denuclearisation.verification.false_alarm"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_event_sets_a_decision_or_an_outcome),
        cmocka_unit_test(the_lint_catches_a_decision),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
