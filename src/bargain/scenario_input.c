/* A parley scenario as a bargaining problem: every actor with its capability
 * and risk attitude, every issue with its status quo on the 0-100 scale, and
 * the stances (a missing stance is salience 0, position NAN). Actors of every
 * kind are kept; one without stances carries no weight in any model. */
#include "internal.h"

#include "core/alloc.h"
#include "parley/scenario.h"

#include <math.h>

parley_status parley_bargain_problem_from_scenario(const parley_scenario *sc,
                                                   parley_bargain_problem **out,
                                                   parley_error *err)
{
    *out = NULL;
    size_t na = parley_scenario_actor_count(sc), ni = parley_scenario_issue_count(sc);
    parley_bargain_problem *p;
    parley_status st = parley_bargain_problem_new(na, ni, &p, err);
    if (st != PARLEY_OK)
        return st;
    bool ok = (p->risk = PARLEY_NEW_ARRAY(double, na)) != NULL;
    const char *name = parley_scenario_name(sc);
    if (ok && name)
        ok = (p->title = parley__strdup(name)) != NULL;
    for (size_t a = 0; ok && a < na; a++) {
        ok = (p->actor_ids[a] = parley__strdup(parley_scenario_actor_id(sc, a))) != NULL &&
             (p->actor_names[a] = parley__strdup(parley_scenario_actor_name(sc, a))) != NULL;
        p->risk[a] = parley_scenario_actor_risk(sc, a);
    }
    for (size_t i = 0; ok && i < ni; i++) {
        ok = (p->issue_ids[i] = parley__strdup(parley_scenario_issue_id(sc, i))) != NULL;
        parley_scenario_issue_scale(sc, i, &p->scale_min[i], &p->scale_max[i]);
        p->status_quo[i] = parley_scenario_issue_status_quo(sc, i);
    }
    if (!ok) {
        parley_bargain_problem_free(p);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory converting a scenario");
    }
    for (size_t a = 0; a < na; a++) {
        double c = parley_scenario_actor_capability(sc, a);
        for (size_t i = 0; i < ni; i++) {
            size_t k = a * ni + i;
            double x = NAN, s = 0.0;
            if (!parley_scenario_stance(sc, a, i, &x, &s)) {
                x = NAN;
                s = 0.0;
            }
            p->capability[k] = c;
            p->position[k] = x;
            p->salience[k] = s;
        }
    }
    *out = p;
    return PARLEY_OK;
}

parley_status parley__bargain_read_scenario(const char *text, size_t len, const char *source,
                                            parley_bargain_problem **out, parley_error *err)
{
    *out = NULL;
    parley_scenario *sc;
    parley_status st = parley_scenario_load_string(text, len, source, &sc, err);
    if (st != PARLEY_OK)
        return st;
    st = parley_bargain_problem_from_scenario(sc, out, err);
    parley_scenario_free(sc);
    return st;
}
