/* Calibration by pattern filtering (approximate Bayesian computation by
 * rejection; Grimm et al. 2005 on pattern-oriented modelling, Beaumont et al.
 * 2002 on ABC): parameter vectors are drawn by Latin hypercube from their
 * priors (the simulator's free parameters and the scenario's declared
 * uncertainties), each is run N times, and a vector is kept when, for every
 * pattern, its N runs place the historical value inside the pattern's band.
 * The kept vectors are the ensemble that `parley sweep --ensemble` uses.
 * Patterns files and ensembles are JSON (docs/SWEEPS.md). */
#include "mc_internal.h"

#include "core/alloc.h"
#include "core/atomic_file.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef enum missing_rule { MISSING_EXCLUDE, MISSING_HIGH, MISSING_LOW } missing_rule;

typedef struct pattern {
    parley_metric metric;
    double historical;
    bool fixed;        /* band is [lo, hi] on a quantile of the draw's runs */
    double lo, hi;     /* fixed band (infinite where the file gives null) */
    double at;         /* the quantile the band judges: 0.5, the median, unless given */
    double q_lo, q_hi; /* quantile band */
    missing_rule missing;
    /* "given": only runs whose given_metric exceeds given_above count; the
     * others are missing (the rule above applies), so that a pattern of the
     * record can be stated conditionally (the plenaries' count where they met). */
    bool given;
    parley_metric given_metric;
    double given_above;
    char *text;        /* one line describing it */
} pattern;

struct parley_patterns {
    size_t n;
    pattern *p;
};

void parley_patterns_free(parley_patterns *ps)
{
    if (!ps)
        return;
    for (size_t i = 0; i < ps->n; i++)
        parley__free(ps->p[i].text);
    parley__free(ps->p);
    parley__free(ps);
}

size_t parley_patterns_count(const parley_patterns *ps) { return ps->n; }
const char *parley_pattern_describe(const parley_patterns *ps, size_t i)
{
    return i < ps->n ? ps->p[i].text : NULL;
}

/* A band's ends: numbers, or null for an open end (a share of runs that must
 * reach a month, however late). */
static bool get_band(json_t *v, double *a, double *b)
{
    if (!json_is_array(v) || json_array_size(v) != 2)
        return false;
    json_t *x = json_array_get(v, 0), *y = json_array_get(v, 1);
    if ((!json_is_number(x) && !json_is_null(x)) || (!json_is_number(y) && !json_is_null(y)))
        return false;
    *a = json_is_null(x) ? -INFINITY : json_number_value(x);
    *b = json_is_null(y) ? INFINITY : json_number_value(y);
    return *a <= *b; /* JSON numbers are finite, so only null gives an infinity */
}

/* Quantiles: both ends numbers. */
static bool get_pair(json_t *v, double *a, double *b)
{
    return get_band(v, a, b) && isfinite(*a) && isfinite(*b);
}

/* A file larger than `limit` is refused before jansson reads it into memory
 * (a hostile or mistaken path must not take the machine). */
static parley_status check_file_size(const char *path, long long limit, const char *what,
                                     parley_error *err)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (long long)sb.st_size > limit)
        return parley_error_add(err, PARLEY_ELIMIT, path,
                                "the %s file has %lld bytes; at most %lld (docs/ROBUSTNESS.md)",
                                what, (long long)sb.st_size, limit);
    return PARLEY_OK;
}

parley_status parley_patterns_load(const char *path, parley_patterns **out, parley_error *err)
{
    *out = NULL;
    if (check_file_size(path, PARLEY_PATTERNS_MAX_BYTES, "patterns", err) != PARLEY_OK)
        return err->status;
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        FILE *f = fopen(path, "rb");
        if (!f)
            return parley_error_add(err, PARLEY_EINPUT, path, "cannot read the patterns file (%s)",
                                    strerror(errno)); /* a path that names no file: bad input */
        fclose(f);
        return parley_error_add(err, PARLEY_EINPUT, path, "line %d, column %d: %s", je.line,
                                je.column, je.text);
    }
    json_t *list = json_object_get(root, "patterns");
    if (!json_is_array(list) || json_array_size(list) == 0) {
        json_decref(root);
        return parley_error_add(err, PARLEY_EINPUT, path,
                                "patterns: expected a non-empty array of patterns");
    }
    parley_patterns *ps = parley__calloc(1, sizeof *ps);
    size_t n = json_array_size(list);
    if (ps)
        ps->p = PARLEY_NEW_ARRAY(pattern, n);
    if (!ps || !ps->p) {
        parley_patterns_free(ps);
        json_decref(root);
        return parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
    }
    static const char *const known[] = {"metric",  "historical", "band",   "band_quantile",
                                        "quantiles", "missing",  "given", "source",
                                        "note",    NULL};
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(list, i);
        char where[PARLEY_WHERE_MAX];
        snprintf(where, sizeof where, "%s: patterns[%zu]", path, i);
        if (!json_is_object(o)) {
            parley_error_add(err, PARLEY_EINPUT, where, "expected an object");
            continue;
        }
        const char *key;
        json_t *val;
        json_object_foreach(o, key, val) {
            bool ok = false;
            for (size_t k = 0; known[k]; k++)
                ok = ok || strcmp(known[k], key) == 0;
            if (!ok)
                parley_error_add(err, PARLEY_EINPUT, where,
                                 "unknown field '%s' (metric, historical, band, band_quantile, "
                                 "quantiles, missing, given, source, note)",
                                 key);
        }
        pattern *p = &ps->p[ps->n];
        const char *mname = json_string_value(json_object_get(o, "metric"));
        if (!mname || !parley_metric_from_name(mname, &p->metric)) {
            parley_error_add(err, PARLEY_EINPUT, where,
                             "metric: '%s' is not a metric of include/parley/metrics.h",
                             mname ? mname : "(missing)");
            continue;
        }
        json_t *h = json_object_get(o, "historical");
        if (!json_is_number(h) || !isfinite(json_number_value(h))) {
            parley_error_add(err, PARLEY_EINPUT, where, "historical: expected a number");
            continue;
        }
        p->historical = json_number_value(h);
        json_t *band = json_object_get(o, "band"), *q = json_object_get(o, "quantiles");
        p->q_lo = 0.05;
        p->q_hi = 0.95;
        if (band && q) {
            parley_error_add(err, PARLEY_EINPUT, where, "give band or quantiles, not both");
            continue;
        }
        json_t *at = json_object_get(o, "band_quantile");
        p->at = 0.5;
        if (at && (!band || !json_is_number(at) || !(json_number_value(at) >= 0.0) ||
                   json_number_value(at) > 1.0)) {
            parley_error_add(err, PARLEY_EINPUT, where,
                             "band_quantile: expected a number in [0, 1], with band");
            continue;
        }
        if (band) {
            p->fixed = true;
            if (at)
                p->at = json_number_value(at);
            if (!get_band(band, &p->lo, &p->hi)) {
                parley_error_add(err, PARLEY_EINPUT, where,
                                 "band: expected [lo, hi], numbers or null (open), lo <= hi");
                continue;
            }
        } else if (q && (!get_pair(q, &p->q_lo, &p->q_hi) || p->q_lo < 0 || p->q_hi > 1)) {
            parley_error_add(err, PARLEY_EINPUT, where,
                             "quantiles: expected [qlo, qhi] with 0 <= qlo <= qhi <= 1");
            continue;
        }
        const char *miss = json_string_value(json_object_get(o, "missing"));
        p->missing = MISSING_EXCLUDE;
        if (json_object_get(o, "missing")) {
            if (miss && strcmp(miss, "high") == 0)
                p->missing = MISSING_HIGH;
            else if (miss && strcmp(miss, "low") == 0)
                p->missing = MISSING_LOW;
            else if (!miss || strcmp(miss, "exclude") != 0) {
                parley_error_add(err, PARLEY_EINPUT, where,
                                 "missing: expected \"exclude\", \"high\" or \"low\"");
                continue;
            }
        }
        json_t *given = json_object_get(o, "given");
        p->given = given != NULL;
        const char *gname = json_string_value(json_object_get(given, "metric"));
        json_t *above = json_object_get(given, "above");
        if (given && (!json_is_object(given) || json_object_size(given) != 2 || !gname ||
                      !parley_metric_from_name(gname, &p->given_metric) ||
                      !json_is_number(above) || !isfinite(json_number_value(above)))) {
            parley_error_add(err, PARLEY_EINPUT, where,
                             "given: expected {\"metric\": NAME, \"above\": NUMBER}, NAME a "
                             "metric of include/parley/metrics.h");
            continue;
        }
        p->given_above = given ? json_number_value(above) : 0.0;
        char text[512], cond[160] = "";
        if (p->given)
            snprintf(cond, sizeof cond, " where %s > %g", gname, p->given_above);
        char which[48] = "median";
        if (p->at != 0.5)
            snprintf(which, sizeof which, "%g quantile", p->at);
        if (p->fixed)
            snprintf(text, sizeof text, "%s: %s over runs%s in [%g, %g] (history %g)", mname,
                     which, cond, p->lo, p->hi, p->historical);
        else
            snprintf(text, sizeof text, "%s: history %g between the %g and %g quantiles of runs%s",
                     mname, p->historical, p->q_lo, p->q_hi, cond);
        if (!(p->text = parley__strdup(text))) {
            parley_error_add(err, PARLEY_ENOMEM, where, "no memory");
            break;
        }
        ps->n++;
    }
    json_decref(root);
    if (err->status != PARLEY_OK) {
        parley_patterns_free(ps);
        return err->status;
    }
    *out = ps;
    return PARLEY_OK;
}

static size_t map_missing(const pattern *p, double *x, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]) && p->missing == MISSING_EXCLUDE)
            continue;
        x[m++] = isnan(x[i]) ? (p->missing == MISSING_HIGH ? INFINITY : -INFINITY) : x[i];
    }
    return m;
}

/* Whether a draw's runs satisfy pattern p; x holds the metric over runs
 * (modified: missing runs are mapped or dropped first, because
 * parley_quantile compacts its array and a second call on the old length
 * would read stale values). */
static bool pattern_holds(const pattern *p, double *x, size_t n)
{
    n = map_missing(p, x, n);
    if (p->fixed) {
        double q = parley_quantile(x, n, p->at);
        return !isnan(q) && q >= p->lo && q <= p->hi;
    }
    double lo = parley_quantile(x, n, p->q_lo);
    double hi = parley_quantile(x, n, p->q_hi);
    return !isnan(lo) && !isnan(hi) && p->historical >= lo && p->historical <= hi;
}

typedef struct collect {
    const parley_patterns *ps;
    uint32_t runs;
    double *values; /* draws x patterns x runs */
} collect;

static parley_status collect_sink(void *user, const parley_run_row *rows, size_t n,
                                  parley_error *err)
{
    (void)err;
    collect *c = user;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < c->ps->n; k++) {
            const pattern *p = &c->ps->p[k];
            bool counted = !p->given || rows[i].metric[p->given_metric] > p->given_above;
            c->values[((size_t)rows[i].draw * c->ps->n + k) * c->runs + rows[i].run] =
                counted ? rows[i].metric[p->metric] : NAN;
        }
    return PARLEY_OK;
}

void parley_calibration_free(parley_calibration *c)
{
    if (!c)
        return;
    if (c->params)
        for (size_t j = 0; j < c->n_params; j++)
            parley__free(c->params[j]);
    parley__free(c->params);
    parley__free(c->members);
    parley__free(c->member_draw);
    parley__free(c->pattern_hits);
    parley__free(c);
}

parley_status parley_calibrate(const parley_calibrate_spec *s, parley_calibration **out,
                               parley_error *err)
{
    *out = NULL;
    if (s->draws == 0)
        return parley_error_add(err, PARLEY_EUSAGE, "--draws", "needs at least one draw");
    if (s->runs == 0)
        return parley_error_add(err, PARLEY_EUSAGE, "--runs", "needs at least one run");
    size_t nf = s->free_params ? parley_sim_param_free_count() : 0;
    size_t nu = s->scenario_numbers ? parley_scenario_uncertainty_count(s->scenario) : 0;
    size_t k = nf + nu;
    parley_calibration *c = parley__calloc(1, sizeof *c);
    double *design = NULL;
    parley_plan *plan = NULL;
    collect col = {s->patterns, s->runs, NULL};
    if (!c)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
    c->draws = s->draws;
    c->runs = s->runs;
    c->n_patterns = s->patterns->n;
    c->params = PARLEY_NEW_ARRAY(char *, k ? k : 1);
    c->pattern_hits = PARLEY_NEW_ARRAY(uint32_t, c->n_patterns);
    design = PARLEY_NEW_ARRAY(double, (size_t)s->draws * (k ? k : 1));
    col.values = PARLEY_NEW_ARRAY(double, (size_t)s->draws * c->n_patterns * s->runs);
    if (!c->params || !c->pattern_hits || !design || !col.values)
        goto nomem;
    for (size_t j = 0; j < k; j++) {
        char name[600];
        if (j < nf)
            snprintf(name, sizeof name, "sim.%s", parley_sim_param_name(j));
        else
            snprintf(name, sizeof name, "%s",
                     parley_scenario_uncertainty(s->scenario, j - nf)->path);
        if (!(c->params[j] = parley__strdup(name)))
            goto nomem;
        c->n_params = j + 1;
    }
    parley_lhs(s->seed, s->draws, k, design);
    for (uint32_t d = 0; d < s->draws; d++)
        for (size_t j = 0; j < k; j++) {
            double *x = &design[(size_t)d * k + j], lo, hi;
            if (j < nf) {
                parley_sim_param_prior(j, &lo, &hi);
                *x = lo + *x * (hi - lo);
            } else {
                *x = parley_uncertainty_quantile(parley_scenario_uncertainty(s->scenario, j - nf),
                                                 *x);
            }
        }
    parley_plan_spec ps = {0};
    ps.scenario = s->scenario;
    ps.seed = s->seed;
    ps.runs = s->runs;
    ps.mode = PARLEY_DRAWS_MATRIX;
    ps.draws = s->draws;
    ps.params = (const char *const *)c->params;
    ps.n_params = k;
    ps.values = design;
    if (parley_plan_new(&ps, &plan, err) != PARLEY_OK)
        goto fail;
    for (size_t i = 0; i < (size_t)s->draws * c->n_patterns * s->runs; i++)
        col.values[i] = NAN;
    parley_exec_options opt = {0};
    opt.threads = s->threads ? s->threads : 1;
    opt.sink = collect_sink;
    opt.sink_user = &col;
    opt.progress = s->progress;
    opt.progress_user = s->progress_user;
    if (parley_plan_execute(plan, &opt, err) != PARLEY_OK)
        goto fail;
    c->members = PARLEY_NEW_ARRAY(double, (size_t)s->draws * (k ? k : 1));
    c->member_draw = PARLEY_NEW_ARRAY(uint32_t, s->draws);
    if (!c->members || !c->member_draw)
        goto nomem;
    for (uint32_t d = 0; d < s->draws; d++) {
        bool all = true;
        for (size_t p = 0; p < c->n_patterns; p++) {
            double *x = &col.values[((size_t)d * c->n_patterns + p) * s->runs];
            bool ok = pattern_holds(&s->patterns->p[p], x, s->runs);
            c->pattern_hits[p] += ok;
            all = all && ok;
        }
        if (all) {
            memcpy(&c->members[(size_t)c->accepted * k], &design[(size_t)d * k], k * sizeof(double));
            c->member_draw[c->accepted++] = d;
        }
    }
    parley_plan_free(plan);
    parley__free(design);
    parley__free(col.values);
    *out = c;
    return PARLEY_OK;
nomem:
    parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the calibration");
fail:
    parley_plan_free(plan);
    parley__free(design);
    parley__free(col.values);
    parley_calibration_free(c);
    return err->status;
}

parley_status parley_patterns_check(const parley_pattern_check_spec *s,
                                    parley_pattern_result *out, parley_error *err)
{
    if (s->runs == 0)
        return parley_error_add(err, PARLEY_EUSAGE, "--runs", "needs at least one run");
    const parley_ensemble *ens = s->ensemble;
    if (ens && (ens->n_members == 0 || ens->n_members > UINT32_MAX))
        return parley_error_add(err, PARLEY_EINPUT, "--ensemble", "no members to draw from");
    /* Over an ensemble every member gets the same number of runs, so that the
     * pooled runs weigh the members equally: runs rounded up to a multiple. */
    uint32_t draws = ens ? (uint32_t)ens->n_members : 1;
    uint32_t per = (uint32_t)(((uint64_t)s->runs + draws - 1) / draws);
    size_t total = (size_t)draws * per;
    size_t np = s->patterns->n;
    /* The values through a plain pointer: cppcheck takes &col.values[i] of a
     * brace-initialised struct for the address of a local scalar. */
    double *values = PARLEY_NEW_ARRAY(double, np * total);
    double *pooled = PARLEY_NEW_ARRAY(double, total);
    if (!values || !pooled) {
        parley__free(values);
        parley__free(pooled);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the pattern check");
    }
    collect col = {s->patterns, per, values};
    for (size_t i = 0; i < np * total; i++)
        values[i] = NAN;
    parley_plan_spec ps = {0};
    ps.scenario = s->scenario;
    ps.seed = s->seed;
    ps.runs = per;
    ps.mode = ens ? PARLEY_DRAWS_MATRIX : PARLEY_DRAWS_NOMINAL;
    ps.draws = draws;
    if (ens) {
        ps.params = (const char *const *)ens->params;
        ps.n_params = ens->n_params;
        ps.values = ens->values;
    }
    ps.base_params = s->params;
    parley_plan *plan = NULL;
    if (parley_plan_new(&ps, &plan, err) != PARLEY_OK) {
        parley__free(values);
        parley__free(pooled);
        return err->status;
    }
    parley_exec_options opt = {0};
    opt.threads = s->threads ? s->threads : 1;
    opt.sink = collect_sink;
    opt.sink_user = &col;
    opt.progress = s->progress;
    opt.progress_user = s->progress_user;
    parley_status st = parley_plan_execute(plan, &opt, err);
    parley_plan_free(plan);
    for (size_t k = 0; st == PARLEY_OK && k < np; k++) {
        const pattern *p = &s->patterns->p[k];
        double *x = pooled;
        for (uint32_t d = 0; d < draws; d++)
            memcpy(&x[(size_t)d * per], &values[((size_t)d * np + k) * per], per * sizeof *x);
        parley_pattern_result *r = &out[k];
        memset(r, 0, sizeof *r);
        r->historical = p->historical;
        r->runs = (uint32_t)total;
        double below = 0.0;
        for (size_t i = 0; i < total; i++) {
            r->missing += isnan(x[i]);
            if (isnan(x[i]) && p->missing == MISSING_EXCLUDE)
                continue;
            double v = isnan(x[i]) ? (p->missing == MISSING_HIGH ? INFINITY : -INFINITY) : x[i];
            below += v < p->historical ? 1.0 : v == p->historical ? 0.5 : 0.0;
        }
        size_t counted = p->missing == MISSING_EXCLUDE ? total - r->missing : total;
        r->share_below = counted ? below / (double)counted : NAN;
        size_t m = map_missing(p, x, total);
        r->holds = pattern_holds(p, x, m);
        r->median = parley_quantile(x, m, 0.5);
        r->lo = p->fixed ? p->lo : parley_quantile(x, m, p->q_lo);
        r->hi = p->fixed ? p->hi : parley_quantile(x, m, p->q_hi);
    }
    parley__free(values);
    parley__free(pooled);
    return st;
}

parley_status parley_calibration_write(const parley_calibration *c, const parley_scenario *sc,
                                       const char *path, parley_error *err)
{
    json_t *root = json_object(), *params = json_array(), *members = json_array();
    if (!root || !params || !members) {
        json_decref(root);
        json_decref(params);
        json_decref(members);
        return parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
    }
    json_object_set_new(root, "format", json_string("parley-ensemble"));
    json_object_set_new(root, "version", json_integer(1));
    json_object_set_new(root, "scenario", json_string(parley_scenario_name(sc)));
    json_object_set_new(root, "draws", json_integer(c->draws));
    json_object_set_new(root, "runs", json_integer(c->runs));
    json_object_set_new(root, "accepted", json_integer(c->accepted));
    for (size_t j = 0; j < c->n_params; j++)
        json_array_append_new(params, json_string(c->params[j]));
    json_object_set_new(root, "params", params);
    for (uint32_t m = 0; m < c->accepted; m++) {
        json_t *o = json_object(), *vals = json_array();
        json_object_set_new(o, "draw", json_integer(c->member_draw[m]));
        for (size_t j = 0; j < c->n_params; j++)
            json_array_append_new(vals, json_real(c->members[(size_t)m * c->n_params + j]));
        json_object_set_new(o, "values", vals);
        json_array_append_new(members, o);
    }
    json_object_set_new(root, "members", members);
    char *text = json_dumps(root, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (!text)
        return parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
    parley_status st = parley__atomic_write(path, text, strlen(text), err);
    free(text); /* jansson's allocator, not parley's */
    return st;
}

void parley_ensemble_free(parley_ensemble *e)
{
    if (!e)
        return;
    if (e->params)
        for (size_t j = 0; j < e->n_params; j++)
            parley__free(e->params[j]);
    parley__free(e->params);
    parley__free(e->values);
    parley__free(e);
}

parley_status parley_ensemble_load(const char *path, parley_ensemble **out, parley_error *err)
{
    *out = NULL;
    if (check_file_size(path, PARLEY_ENSEMBLE_MAX_BYTES, "ensemble", err) != PARLEY_OK)
        return err->status;
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        FILE *f = fopen(path, "rb");
        if (!f)
            return parley_error_add(err, PARLEY_EINPUT, path, "cannot read the ensemble file (%s)",
                                    strerror(errno)); /* a path that names no file: bad input */
        fclose(f);
        return parley_error_add(err, PARLEY_EINPUT, path, "line %d, column %d: %s", je.line,
                                je.column, je.text);
    }
    json_t *params = json_object_get(root, "params"), *members = json_object_get(root, "members");
    const char *fmt = json_string_value(json_object_get(root, "format"));
    if (!fmt || strcmp(fmt, "parley-ensemble") != 0 || !json_is_array(params) ||
        !json_is_array(members)) {
        json_decref(root);
        return parley_error_add(err, PARLEY_EINPUT, path,
                                "not a parley ensemble (written by `parley calibrate`)");
    }
    if (json_array_size(members) == 0) {
        json_decref(root);
        return parley_error_add(err, PARLEY_EINPUT, path,
                                "the ensemble has no members (calibration accepted no draw)");
    }
    size_t k = json_array_size(params), m = json_array_size(members);
    /* Every member's shape first: then m x k values are in the file, and the
     * allocation below is bounded by its length, not by two counts in it. */
    for (size_t i = 0; i < m; i++) {
        json_t *vals = json_object_get(json_array_get(members, i), "values");
        if (!json_is_array(vals) || json_array_size(vals) != k) {
            json_decref(root);
            return parley_error_add(err, PARLEY_EINPUT, path,
                                    "members[%zu].values: expected %zu numbers", i, k);
        }
    }
    parley_ensemble *e = parley__calloc(1, sizeof *e);
    if (e) {
        e->params = PARLEY_NEW_ARRAY(char *, k ? k : 1);
        e->values = PARLEY_NEW_ARRAY(double, m * (k ? k : 1));
    }
    if (!e || !e->params || !e->values) {
        parley_ensemble_free(e);
        json_decref(root);
        return parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
    }
    for (size_t j = 0; j < k; j++) {
        const char *s = json_string_value(json_array_get(params, j));
        if (!s) {
            parley_error_add(err, PARLEY_EINPUT, path, "params[%zu]: expected a string", j);
            break;
        }
        if (!(e->params[j] = parley__strdup(s))) {
            parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
            break;
        }
        e->n_params = j + 1;
    }
    for (size_t i = 0; i < m && err->status == PARLEY_OK; i++) {
        json_t *vals = json_object_get(json_array_get(members, i), "values");
        for (size_t j = 0; j < k; j++) {
            json_t *v = json_array_get(vals, j);
            if (!json_is_number(v)) {
                parley_error_add(err, PARLEY_EINPUT, path, "members[%zu].values[%zu]: not a number",
                                 i, j);
                break;
            }
            e->values[i * k + j] = json_number_value(v);
        }
    }
    e->n_members = m;
    json_decref(root);
    if (err->status != PARLEY_OK) {
        parley_ensemble_free(e);
        return err->status;
    }
    *out = e;
    return PARLEY_OK;
}
