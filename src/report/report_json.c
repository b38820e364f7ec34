/* The report's numbers as JSON: the page embeds this document in a
 * <script type="application/json" id="parley-data"> block so that scripts
 * and tests can read back exactly what the charts show. Numbers that do
 * not exist (NAN) are null. docs/REPORTS.md lists the fields. */
#include "report_internal.h"

#include "core/alloc.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static json_t *num(double x) { return isnan(x) || isinf(x) ? json_null() : json_real(x); }

static json_t *str(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *num_array(const double *x, size_t n, size_t stride)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, num(x[i * stride]));
    return a;
}

static json_t *scenario_json(const parley_report_data *d)
{
    json_t *o = json_object(), *actors = json_array(), *issues = json_array(),
           *pos = json_array();
    json_object_set_new(o, "name", str(d->scenario_name));
    json_object_set_new(o, "start", str(d->start_label));
    json_object_set_new(o, "round_months", json_integer(d->round_months));
    json_object_set_new(o, "fingerprint_matches", json_boolean(d->scenario_matches));
    for (size_t a = 0; a < d->n_actors; a++)
        json_array_append_new(actors, json_pack("{s:s, s:s, s:s}", "id", d->actor_ids[a], "name",
                                                d->actor_names[a], "kind",
                                                parley_actor_kind_name(
                                                    (parley_actor_kind)d->actor_kind[a])));
    for (size_t i = 0; i < d->n_issues; i++) {
        json_t *is = json_pack("{s:s, s:s}", "id", d->issue_ids[i], "name", d->issue_names[i]);
        json_object_set_new(is, "scale_lo", num(d->scale_lo[i]));
        json_object_set_new(is, "scale_hi", num(d->scale_hi[i]));
        json_object_set_new(is, "status_quo", num(d->status_quo[i]));
        json_array_append_new(issues, is);
    }
    for (size_t a = 0; a < d->n_actors; a++)
        for (size_t i = 0; i < d->n_issues; i++) {
            double x = d->position[a * d->n_issues + i];
            if (isnan(x))
                continue;
            json_t *p = json_pack("{s:s, s:s}", "actor", d->actor_ids[a], "issue",
                                  d->issue_ids[i]);
            json_object_set_new(p, "position", num(x));
            json_object_set_new(p, "salience", num(d->salience[a * d->n_issues + i]));
            json_array_append_new(pos, p);
        }
    json_object_set_new(o, "actors", actors);
    json_object_set_new(o, "issues", issues);
    json_object_set_new(o, "positions", pos);
    return o;
}

static json_t *forecasts_json(const parley_report_data *d)
{
    json_t *o = json_object();
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++) {
        if (!d->model_ok[m])
            continue;
        json_t *per = json_object();
        for (size_t i = 0; i < d->n_issues; i++)
            json_object_set_new(per, d->issue_ids[i],
                                num(d->forecast[(size_t)m * d->n_issues + i]));
        json_object_set_new(o, parley_bargain_model_name((parley_bargain_model)m), per);
    }
    return o;
}

static json_t *outcomes_json(const parley_report_data *d)
{
    json_t *a = json_array();
    const parley_summary_set *s = d->summary;
    for (size_t c = 0; c < s->n_cells; c++) {
        const parley_cell_summary *x = &s->cells[c];
        json_t *o = json_object();
        json_object_set_new(o, "cell", json_integer(x->cell));
        json_object_set_new(o, "label", str(x->label));
        json_object_set_new(o, "runs", json_integer(x->runs));
        json_object_set_new(o, "draws", json_integer(x->draws));
        json_object_set_new(o, "p_treaty", num(x->p_treaty.estimate));
        json_object_set_new(o, "p_treaty_lo", num(x->p_treaty.lo));
        json_object_set_new(o, "p_treaty_hi", num(x->p_treaty.hi));
        json_object_set_new(o, "p_collapse", num(x->p_collapse.estimate));
        json_object_set_new(o, "p_collapse_lo", num(x->p_collapse.lo));
        json_object_set_new(o, "p_collapse_hi", num(x->p_collapse.hi));
        json_object_set_new(o, "median_months_to_treaty", num(x->median_months_to_treaty));
        json_object_set_new(o, "mean_cbm_rungs", num(x->mean_cbm_rungs));
        json_object_set_new(o, "median_treaty_extent", num(x->median_treaty_extent));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *fan_json(const parley__fan *f, size_t rounds)
{
    static const char *const names[PARLEY__FAN_Q] = {"q05", "q25", "q50", "q75", "q95"};
    json_t *o = json_object();
    json_object_set_new(o, "actor", str(f->actor));
    if (f->other)
        json_object_set_new(o, "other", str(f->other));
    for (int k = 0; k < PARLEY__FAN_Q; k++)
        json_object_set_new(o, names[k], num_array(f->q + k, rounds, PARLEY__FAN_Q));
    return o;
}

static json_t *fans_json(const parley_report_data *d)
{
    json_t *o = json_object(), *sup = json_array(), *tr = json_array(), *months = json_array();
    json_object_set_new(o, "cell", json_integer(d->fan_cell));
    json_object_set_new(o, "source", str(d->fan_source));
    json_object_set_new(o, "runs", json_integer((json_int_t)d->fan_runs));
    for (size_t t = 0; t < d->fan_rounds; t++)
        json_array_append_new(months, json_integer((json_int_t)t * d->round_months));
    json_object_set_new(o, "months", months);
    for (size_t k = 0; k < d->n_support; k++)
        json_array_append_new(sup, fan_json(&d->support[k], d->fan_rounds));
    for (size_t k = 0; k < d->n_trust; k++)
        json_array_append_new(tr, fan_json(&d->trust[k], d->fan_rounds));
    json_object_set_new(o, "support", sup);
    json_object_set_new(o, "trust", tr);
    return o;
}

static json_t *convergence_json(const parley_report_data *d)
{
    json_t *o = json_object(), *issues = json_array();
    size_t R = d->trace_rounds + 1, na = d->n_actors, ni = d->n_issues;
    json_object_set_new(o, "model", str(d->trace_model));
    json_object_set_new(o, "rounds", json_integer((json_int_t)d->trace_rounds));
    for (size_t i = 0; i < ni; i++) {
        json_t *is = json_object(), *pos = json_object();
        json_object_set_new(is, "issue", str(d->issue_ids[i]));
        if (d->trace_median)
            json_object_set_new(is, "median", num_array(d->trace_median + i, R, ni));
        for (size_t a = 0; a < na; a++)
            if (d->salience[a * ni + i] > 0)
                json_object_set_new(pos, d->actor_ids[a],
                                    num_array(d->trace_positions + a * ni + i, R, na * ni));
        json_object_set_new(is, "positions", pos);
        json_array_append_new(issues, is);
    }
    json_object_set_new(o, "issues", issues);
    return o;
}

static json_t *sens_json(const parley_report_data *d)
{
    json_t *o = json_object(), *rows = json_array();
    json_object_set_new(o, "method", str(d->sens_method));
    json_object_set_new(o, "output", str(d->sens_output));
    json_object_set_new(o, "source", str(d->sens_source));
    for (size_t i = 0; i < d->n_sens; i++) {
        json_t *r = json_object();
        json_object_set_new(r, "param", str(d->sens[i].param));
        json_object_set_new(r, "value", num(d->sens[i].value));
        json_object_set_new(r, "lo", num(d->sens[i].lo));
        json_object_set_new(r, "hi", num(d->sens[i].hi));
        json_array_append_new(rows, r);
    }
    json_object_set_new(o, "ranking", rows);
    return o;
}

parley_status parley_report_json(const parley_report_data *d, char **out, parley_error *err)
{
    *out = NULL;
    json_t *root = json_object();
    if (!root)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the report's data");
    json_object_set_new(root, "format", json_string("parley-report"));
    json_object_set_new(root, "version", json_integer(1));
    json_t *src = json_object();
    json_object_set_new(src, "database", str(d->db_path));
    json_object_set_new(src, "scenario", str(d->scenario_name));
    json_object_set_new(src, "parley_version", str(d->parley_version));
    json_object_set_new(src, "command", str(d->command));
    json_object_set_new(src, "runs_per_cell_draw", json_integer(d->runs));
    json_object_set_new(src, "draws", json_integer(d->draws));
    json_object_set_new(src, "cells", json_integer(d->n_cells));
    json_object_set_new(src, "seed", json_integer((json_int_t)d->seed));
    json_object_set_new(root, "source", src);
    json_t *charts = json_array();
    for (int k = 0; k < PARLEY_CHART_COUNT; k++)
        if (parley_report_has_chart(d, (parley_chart_kind)k))
            json_array_append_new(charts, json_string(parley_chart_name((parley_chart_kind)k)));
    json_object_set_new(root, "charts", charts);
    if (d->n_actors)
        json_object_set_new(root, "scenario", scenario_json(d));
    if (d->has_forecasts)
        json_object_set_new(root, "forecasts", forecasts_json(d));
    if (d->summary)
        json_object_set_new(root, "outcomes", outcomes_json(d));
    if (d->fan_runs)
        json_object_set_new(root, "fans", fans_json(d));
    if (parley_report_has_chart(d, PARLEY_CHART_CONVERGENCE))
        json_object_set_new(root, "convergence", convergence_json(d));
    if (d->has_timeline) {
        json_t *t = json_object();
        json_object_set_new(t, "cell", json_integer(d->rep_cell));
        json_object_set_new(t, "draw", json_integer(d->rep_draw));
        json_object_set_new(t, "run", json_integer(d->rep_run));
        json_object_set_new(t, "seed", json_integer((json_int_t)d->seed));
        json_object_set_new(t, "outcome", str(d->rep_outcome));
        json_object_set_new(t, "reproduced", json_boolean(d->rep_reproduced));
        json_object_set_new(root, "timeline", t);
    }
    if (d->n_sens)
        json_object_set_new(root, "sensitivity", sens_json(d));
    json_t *notes = json_array();
    for (size_t i = 0; i < d->n_notes; i++)
        json_array_append_new(notes, json_string(d->notes[i]));
    json_object_set_new(root, "notes", notes);
    /* 17 significant digits: the numbers read back equal the doubles shown. */
    char *text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (!text)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the report's data");
    *out = parley__strdup(text);
    free(text);
    if (!*out)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the report's data");
    return PARLEY_OK;
}
