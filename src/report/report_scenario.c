/* The scenario part of a report: actors, issues and stances for the strip
 * chart, every bargaining model's forecast on the scenario (the same problem
 * `parley forecast` builds), and one dynamic model's per-round positions for
 * the convergence chart. */
#include "report_internal.h"

#include "core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static parley_status nomem(parley_error *err)
{
    return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the report");
}

static parley_status scenario_tables(parley_report_data *d, parley_error *err)
{
    const parley_scenario *sc = d->sc;
    size_t na = parley_scenario_actor_count(sc), ni = parley_scenario_issue_count(sc);
    d->n_actors = na;
    d->n_issues = ni;
    d->actor_ids = PARLEY_NEW_ARRAY(char *, na + 1);
    d->actor_names = PARLEY_NEW_ARRAY(char *, na + 1);
    d->actor_kind = PARLEY_NEW_ARRAY(int, na + 1);
    d->issue_ids = PARLEY_NEW_ARRAY(char *, ni + 1);
    d->issue_names = PARLEY_NEW_ARRAY(char *, ni + 1);
    d->scale_lo = PARLEY_NEW_ARRAY(double, ni + 1);
    d->scale_hi = PARLEY_NEW_ARRAY(double, ni + 1);
    d->status_quo = PARLEY_NEW_ARRAY(double, ni + 1);
    d->position = PARLEY_NEW_ARRAY(double, na * ni + 1);
    d->salience = PARLEY_NEW_ARRAY(double, na * ni + 1);
    if (!d->actor_ids || !d->actor_names || !d->actor_kind || !d->issue_ids || !d->issue_names ||
        !d->scale_lo || !d->scale_hi || !d->status_quo || !d->position || !d->salience)
        return nomem(err);
    for (size_t a = 0; a < na; a++) {
        d->actor_ids[a] = parley__strdup(parley_scenario_actor_id(sc, a));
        d->actor_names[a] = parley__strdup(parley_scenario_actor_name(sc, a));
        d->actor_kind[a] = (int)parley_scenario_actor_kind(sc, a);
        if (!d->actor_ids[a] || !d->actor_names[a])
            return nomem(err);
    }
    for (size_t i = 0; i < ni; i++) {
        d->issue_ids[i] = parley__strdup(parley_scenario_issue_id(sc, i));
        d->issue_names[i] = parley__strdup(parley_scenario_issue_name(sc, i));
        if (!d->issue_ids[i] || !d->issue_names[i])
            return nomem(err);
        parley_scenario_issue_scale(sc, i, &d->scale_lo[i], &d->scale_hi[i]);
        d->status_quo[i] = parley_scenario_issue_status_quo(sc, i);
    }
    for (size_t a = 0; a < na; a++)
        for (size_t i = 0; i < ni; i++)
            parley_scenario_stance(sc, a, i, &d->position[a * ni + i], &d->salience[a * ni + i]);
    const char *desc = parley_scenario_description(sc);
    d->title = parley__strdup(desc ? desc : "");
    parley_date start = parley_scenario_start(sc);
    char label[32];
    snprintf(label, sizeof label, "%04d-%02d", start.year, start.month);
    d->start_label = parley__strdup(label);
    d->round_months = parley_scenario_round_months(sc);
    if (!d->title || !d->start_label)
        return nomem(err);
    return PARLEY_OK;
}

parley_status parley__report_scenario_part(parley_report_data *d, const char *model,
                                           parley_error *err)
{
    parley_bargain_model trace_model = PARLEY_MODEL_BDM;
    if (model && (!parley_bargain_model_from_name(model, &trace_model) ||
                  (trace_model != PARLEY_MODEL_BDM && trace_model != PARLEY_MODEL_EXCHANGE &&
                   trace_model != PARLEY_MODEL_SMP)))
        return parley_error_add(err, PARLEY_EINPUT, model,
                                "the convergence chart needs a dynamic model: bdm, exchange or "
                                "smp");
    if (scenario_tables(d, err) != PARLEY_OK)
        return err->status;
    parley_bargain_problem *p = NULL;
    if (parley_bargain_problem_from_scenario(d->sc, &p, err) != PARLEY_OK)
        return err->status;
    d->forecast = PARLEY_NEW_ARRAY(double, PARLEY_MODEL_COUNT * d->n_issues + 1);
    if (!d->forecast) {
        parley_bargain_problem_free(p);
        return nomem(err);
    }
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++) {
        for (size_t i = 0; i < d->n_issues; i++)
            d->forecast[(size_t)m * d->n_issues + i] = NAN;
        if (!parley_bargain_model_available((parley_bargain_model)m))
            continue;
        parley_bargain_result r;
        memset(&r, 0, sizeof r);
        parley_error e;
        parley_error_init(&e);
        /* A model that refuses this problem is left out of the chart, with a
         * note, rather than failing the whole report. */
        if (parley_bargain_forecast(p, (parley_bargain_model)m, NULL, &r, &e) == PARLEY_OK) {
            d->model_ok[m] = true;
            d->has_forecasts = true;
            for (size_t i = 0; i < d->n_issues && i < r.n_issues; i++)
                d->forecast[(size_t)m * d->n_issues + i] = r.forecast[i];
            if ((parley_bargain_model)m == trace_model && r.trace.positions && r.trace.rounds) {
                size_t n = (r.trace.rounds + 1) * d->n_actors * d->n_issues;
                d->trace_positions = PARLEY_NEW_ARRAY(double, n);
                if (r.trace.median)
                    d->trace_median =
                        PARLEY_NEW_ARRAY(double, (r.trace.rounds + 1) * d->n_issues);
                d->trace_model = parley__strdup(parley_bargain_model_name(trace_model));
                if (!d->trace_positions || (r.trace.median && !d->trace_median) ||
                    !d->trace_model) {
                    parley_bargain_result_free(&r);
                    parley_bargain_problem_free(p);
                    return nomem(err);
                }
                memcpy(d->trace_positions, r.trace.positions, n * sizeof *d->trace_positions);
                if (r.trace.median)
                    memcpy(d->trace_median, r.trace.median,
                           (r.trace.rounds + 1) * d->n_issues * sizeof *d->trace_median);
                d->trace_rounds = r.trace.rounds;
            }
        } else if (e.status == PARLEY_ENOMEM) {
            parley_error_append(err, &e);
            parley_bargain_result_free(&r);
            parley_bargain_problem_free(p);
            return err->status;
        } else {
            parley__report_note(d, "The %s model gave no forecast on this scenario: %s",
                                parley_bargain_model_name((parley_bargain_model)m),
                                e.count ? e.items[0].what : parley_strerror(e.status));
        }
        parley_bargain_result_free(&r);
        parley_error_clear(&e);
    }
    parley_bargain_problem_free(p);
    return PARLEY_OK;
}
