/* The bargaining problem every model reads: allocation with defaults, the
 * model names, validation with located diagnostics, and results. */
#include "internal.h"

#include "core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const model_names[PARLEY_MODEL_COUNT] = {
    "compromise", "median", "nbs", "bdm", "exchange", "smp",
};

const char *parley_bargain_model_name(parley_bargain_model model)
{
    if ((int)model < 0 || model >= PARLEY_MODEL_COUNT)
        return "unknown";
    return model_names[model];
}

bool parley_bargain_model_from_name(const char *name, parley_bargain_model *out)
{
    if (!name)
        return false;
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++)
        if (strcmp(name, model_names[m]) == 0) {
            if (out)
                *out = (parley_bargain_model)m;
            return true;
        }
    return false;
}

void parley_bargain_problem_free(parley_bargain_problem *p)
{
    if (!p)
        return;
    if (p->actor_ids)
        for (size_t a = 0; a < p->n_actors; a++)
            parley__free(p->actor_ids[a]);
    if (p->actor_names)
        for (size_t a = 0; a < p->n_actors; a++)
            parley__free(p->actor_names[a]);
    if (p->issue_ids)
        for (size_t i = 0; i < p->n_issues; i++)
            parley__free(p->issue_ids[i]);
    parley__free(p->title);
    parley__free(p->actor_ids);
    parley__free(p->actor_names);
    parley__free(p->issue_ids);
    parley__free(p->capability);
    parley__free(p->position);
    parley__free(p->salience);
    parley__free(p->scale_min);
    parley__free(p->scale_max);
    parley__free(p->status_quo);
    parley__free(p->outcome);
    parley__free(p->risk);
    parley__free(p->issue_group);
    parley__free(p);
}

parley_status parley_bargain_problem_new(size_t n_actors, size_t n_issues,
                                         parley_bargain_problem **out, parley_error *err)
{
    *out = NULL;
    /* Each failure returns its status literally rather than parley_error_add's
     * echo of it: the analyser cannot see into error.c, and callers rely on
     * "PARLEY_OK means *out is set". */
    if (n_actors == 0 || n_issues == 0) {
        parley_error_add(err, PARLEY_EINPUT, NULL,
                         "a bargaining problem needs at least one actor and one issue "
                         "(got %zu actors, %zu issues)",
                         n_actors, n_issues);
        return PARLEY_EINPUT;
    }
    if (n_actors > ((size_t)-1) / sizeof(double) / n_issues) {
        parley_error_add(err, PARLEY_ELIMIT, NULL, "%zu actors x %zu issues is too large",
                         n_actors, n_issues);
        return PARLEY_ELIMIT;
    }
    size_t cells = n_actors * n_issues;
    parley_bargain_problem *p = parley__calloc(1, sizeof *p);
    if (!p) {
        parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory for a bargaining problem");
        return PARLEY_ENOMEM;
    }
    p->n_actors = n_actors;
    p->n_issues = n_issues;
    p->actor_ids = PARLEY_NEW_ARRAY(char *, n_actors);
    p->actor_names = PARLEY_NEW_ARRAY(char *, n_actors);
    p->issue_ids = PARLEY_NEW_ARRAY(char *, n_issues);
    p->capability = PARLEY_NEW_ARRAY(double, cells);
    p->position = PARLEY_NEW_ARRAY(double, cells);
    p->salience = PARLEY_NEW_ARRAY(double, cells);
    p->scale_min = PARLEY_NEW_ARRAY(double, n_issues);
    p->scale_max = PARLEY_NEW_ARRAY(double, n_issues);
    p->status_quo = PARLEY_NEW_ARRAY(double, n_issues);
    p->outcome = PARLEY_NEW_ARRAY(double, n_issues);
    if (!p->actor_ids || !p->actor_names || !p->issue_ids || !p->capability || !p->position ||
        !p->salience || !p->scale_min || !p->scale_max || !p->status_quo || !p->outcome) {
        parley_bargain_problem_free(p);
        parley_error_add(err, PARLEY_ENOMEM, NULL,
                         "out of memory for a bargaining problem of %zu x %zu", n_actors,
                         n_issues);
        return PARLEY_ENOMEM;
    }
    for (size_t k = 0; k < cells; k++) {
        p->capability[k] = 1.0;
        p->position[k] = NAN;
        p->salience[k] = 0.0;
    }
    for (size_t i = 0; i < n_issues; i++) {
        p->scale_min[i] = 0.0;
        p->scale_max[i] = 100.0;
        p->status_quo[i] = NAN;
        p->outcome[i] = NAN;
    }
    *out = p;
    return PARLEY_OK;
}

void parley_bargain_problem_equal_capability(parley_bargain_problem *p)
{
    for (size_t k = 0; k < p->n_actors * p->n_issues; k++)
        p->capability[k] = 1.0;
}

parley_status parley_bargain_problem_subset(const parley_bargain_problem *src,
                                            const size_t *issues, size_t n,
                                            parley_bargain_problem **out, parley_error *err)
{
    *out = NULL;
    for (size_t j = 0; j < n; j++)
        if (issues[j] >= src->n_issues)
            return parley_error_add(err, PARLEY_EINPUT, NULL,
                                    "issue index %zu is out of range (%zu issues)", issues[j],
                                    src->n_issues);
    parley_bargain_problem *p;
    parley_status st = parley_bargain_problem_new(src->n_actors, n, &p, err);
    if (st != PARLEY_OK)
        return st;
    bool ok = true;
    if (src->title)
        ok = (p->title = parley__strdup(src->title)) != NULL;
    for (size_t a = 0; ok && a < src->n_actors; a++) {
        if (src->actor_ids[a])
            ok = ok && (p->actor_ids[a] = parley__strdup(src->actor_ids[a])) != NULL;
        if (src->actor_names && src->actor_names[a])
            ok = ok && (p->actor_names[a] = parley__strdup(src->actor_names[a])) != NULL;
    }
    if (ok && src->risk) {
        p->risk = PARLEY_NEW_ARRAY(double, src->n_actors);
        ok = p->risk != NULL;
        for (size_t a = 0; ok && a < src->n_actors; a++)
            p->risk[a] = src->risk[a];
    }
    if (ok && src->issue_group) {
        p->issue_group = PARLEY_NEW_ARRAY(size_t, n);
        ok = p->issue_group != NULL;
    }
    for (size_t j = 0; ok && j < n; j++) {
        size_t i = issues[j];
        if (src->issue_ids[i])
            ok = (p->issue_ids[j] = parley__strdup(src->issue_ids[i])) != NULL;
        p->scale_min[j] = src->scale_min[i];
        p->scale_max[j] = src->scale_max[i];
        p->status_quo[j] = src->status_quo[i];
        p->outcome[j] = src->outcome[i];
        /* Test the source: p's field was allocated exactly when src's is set,
         * and the analyser cannot see that parley__calloc left it NULL otherwise. */
        if (src->issue_group)
            p->issue_group[j] = src->issue_group[i];
        for (size_t a = 0; a < src->n_actors; a++) {
            p->capability[a * n + j] = src->capability[a * src->n_issues + i];
            p->position[a * n + j] = src->position[a * src->n_issues + i];
            p->salience[a * n + j] = src->salience[a * src->n_issues + i];
        }
    }
    if (!ok) {
        parley_bargain_problem_free(p);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory copying a problem");
    }
    *out = p;
    return PARLEY_OK;
}

double parley__bargain_weight(const parley_bargain_problem *p, size_t a, size_t i)
{
    size_t k = a * p->n_issues + i;
    double w = p->capability[k] * p->salience[k];
    if (!(w > 0.0) || !isfinite(w) || !isfinite(p->position[k]))
        return 0.0;
    return w;
}

/* "source: actor 'X', issue 'Y'" into buf. */
static const char *cell_where(char *buf, size_t size, const char *source,
                              const parley_bargain_problem *p, size_t a, size_t i)
{
    const char *actor = p->actor_ids[a] ? p->actor_ids[a] : "?";
    const char *issue = p->issue_ids[i] ? p->issue_ids[i] : "?";
    snprintf(buf, size, "%s%sactor '%s', issue '%s'", source ? source : "", source ? ": " : "",
             actor, issue);
    return buf;
}

parley_status parley_bargain_problem_validate(const parley_bargain_problem *p,
                                              const char *source, parley_error *err)
{
    char where[PARLEY_WHERE_MAX];
    const char *src = source ? source : "";
    if (!p || p->n_actors == 0 || p->n_issues == 0)
        return parley_error_add(err, PARLEY_EINPUT, src,
                                "a bargaining problem needs at least one actor and one issue");
    if (!p->actor_ids || !p->issue_ids || !p->capability || !p->position || !p->salience ||
        !p->scale_min || !p->scale_max || !p->status_quo || !p->outcome)
        return parley_error_add(err, PARLEY_EINPUT, src,
                                "the bargaining problem lacks one of its arrays");
    parley_status st = PARLEY_OK;
    for (size_t a = 0; a < p->n_actors; a++)
        if (!p->actor_ids[a] || !p->actor_ids[a][0]) {
            snprintf(where, sizeof where, "%s%sactors[%zu]", src, source ? ": " : "", a);
            st = parley_error_add(err, PARLEY_EINPUT, where, "actor has no id");
        }
    for (size_t i = 0; i < p->n_issues; i++)
        if (!p->issue_ids[i] || !p->issue_ids[i][0]) {
            snprintf(where, sizeof where, "%s%sissues[%zu]", src, source ? ": " : "", i);
            st = parley_error_add(err, PARLEY_EINPUT, where, "issue has no id");
        }
    if (st != PARLEY_OK)
        return st;
    for (size_t i = 0; i < p->n_issues; i++) {
        snprintf(where, sizeof where, "%s%sissue '%s'", src, source ? ": " : "", p->issue_ids[i]);
        if (!isfinite(p->scale_min[i]) || !isfinite(p->scale_max[i]) ||
            !(p->scale_min[i] < p->scale_max[i]))
            st = parley_error_add(err, PARLEY_EINPUT, where,
                                  "scale %g..%g must be finite with minimum < maximum",
                                  p->scale_min[i], p->scale_max[i]);
        if (isinf(p->status_quo[i]))
            st = parley_error_add(err, PARLEY_EINPUT, where, "status quo must be finite");
        if (isinf(p->outcome[i]))
            st = parley_error_add(err, PARLEY_EINPUT, where, "outcome must be finite");
    }
    if (p->risk)
        for (size_t a = 0; a < p->n_actors; a++)
            if (!(p->risk[a] >= -1.0 && p->risk[a] <= 1.0)) {
                snprintf(where, sizeof where, "%s%sactor '%s'", src, source ? ": " : "",
                         p->actor_ids[a]);
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      "risk attitude %g is outside [-1, 1]", p->risk[a]);
            }
    for (size_t a = 0; a < p->n_actors; a++)
        for (size_t i = 0; i < p->n_issues; i++) {
            size_t k = a * p->n_issues + i;
            double c = p->capability[k], s = p->salience[k], x = p->position[k];
            if (!(isfinite(c) && c >= 0.0)) {
                cell_where(where, sizeof where, source, p, a, i);
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      "capability %g must be a finite number >= 0", c);
            }
            if (!(isfinite(s) && s >= 0.0 && s <= 1.0)) {
                cell_where(where, sizeof where, source, p, a, i);
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      "salience %g must be in [0, 1]", s);
            }
            if (isinf(x) || (isnan(x) && s > 0.0)) {
                cell_where(where, sizeof where, source, p, a, i);
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      "position must be a finite number where salience > 0");
            }
        }
    return st;
}

parley_status parley__bargain_result_init(parley_bargain_result *result,
                                          parley_bargain_model model, size_t n_issues,
                                          parley_error *err)
{
    memset(result, 0, sizeof *result);
    result->model = model;
    result->forecast = PARLEY_NEW_ARRAY(double, n_issues ? n_issues : 1);
    if (!result->forecast)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory for %zu forecasts",
                                n_issues);
    result->n_issues = n_issues;
    for (size_t i = 0; i < n_issues; i++)
        result->forecast[i] = NAN;
    return PARLEY_OK;
}

void parley_bargain_result_free(parley_bargain_result *result)
{
    if (!result)
        return;
    parley__free(result->forecast);
    parley__free(result->trace.positions);
    parley__free(result->trace.median);
    parley__free(result->trace.mean);
    memset(result, 0, sizeof *result);
}
