/* The outer loop's sampling: Latin hypercubes, the inverse CDFs that map them
 * onto the scenario's declared uncertainties, and the table of the simulator's
 * named parameters ("sim.NAME") that calibration draws and sweeps set. */
#include "mc_internal.h"

#include "core/alloc.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void parley__permutation(parley_rng *rng, uint32_t *perm, size_t m)
{
    for (size_t i = 0; i < m; i++)
        perm[i] = (uint32_t)i;
    for (size_t i = m; i > 1; i--) {
        size_t j = parley_rng_below(rng, (uint32_t)i);
        uint32_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
}

void parley_lhs(uint64_t seed, size_t m, size_t k, double *out)
{
    /* One stream per column, so that adding a column leaves the others as they
     * were; the permutation is made in place in the output column. */
    for (size_t j = 0; j < k; j++) {
        parley_rng rng;
        parley_stream_id id = {seed, 0, 0, PARLEY_MECH_SAMPLING, (uint32_t)j, 0};
        parley_rng_init(&rng, &id);
        for (size_t i = 0; i < m; i++)
            out[i * k + j] = (double)i;
        for (size_t i = m; i > 1; i--) {
            size_t r = parley_rng_below(&rng, (uint32_t)i);
            double t = out[(i - 1) * k + j];
            out[(i - 1) * k + j] = out[r * k + j];
            out[r * k + j] = t;
        }
        for (size_t i = 0; i < m; i++) {
            double u = (out[i * k + j] + parley_rng_uniform(&rng)) / (double)m;
            out[i * k + j] = u < 1.0 ? u : nextafter(1.0, 0.0);
        }
    }
}

/* Smallest x in [lo, hi] with cdf(x) >= target, by bisection. */
static double bisect(double (*cdf)(const parley_uncertainty *, double),
                     const parley_uncertainty *u, double lo, double hi, double target)
{
    for (int i = 0; i < 200 && hi - lo > 1e-12 * (fabs(hi) + fabs(lo) + 1e-300); i++) {
        double mid = 0.5 * (lo + hi);
        if (cdf(u, mid) < target)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

static double normal_cdf_u(const parley_uncertainty *u, double x)
{
    return parley__normal_cdf((x - u->value) / u->sd);
}

static double beta_cdf_u(const parley_uncertainty *u, double x)
{
    return parley__betainc(u->a, u->b, (x - u->lo) / (u->hi - u->lo));
}

double parley_uncertainty_quantile(const parley_uncertainty *u, double p)
{
    if (p < 0)
        p = 0;
    if (p > 1)
        p = 1;
    double lo = u->lo, hi = u->hi, x;
    switch (u->dist) {
    case PARLEY_DIST_TRIANGULAR: {
        double c = u->mode < lo ? lo : u->mode > hi ? hi : u->mode;
        double fc = (c - lo) / (hi - lo);
        x = p < fc ? lo + sqrt(p * (hi - lo) * (c - lo))
                   : hi - sqrt((1.0 - p) * (hi - lo) * (hi - c));
        break;
    }
    case PARLEY_DIST_NORMAL: {
        double fa = normal_cdf_u(u, lo), fb = normal_cdf_u(u, hi);
        x = fb > fa ? bisect(normal_cdf_u, u, lo, hi, fa + p * (fb - fa)) : 0.5 * (lo + hi);
        break;
    }
    case PARLEY_DIST_BETA:
        x = bisect(beta_cdf_u, u, lo, hi, p);
        break;
    case PARLEY_DIST_UNIFORM:
    default:
        x = lo + p * (hi - lo);
        break;
    }
    return x < lo ? lo : x > hi ? hi : x;
}

/* ---- simulator parameters ------------------------------------------------ */

typedef struct sim_param_def {
    const char *name;
    size_t offset;
    bool integer;
    double prior_lo, prior_hi; /* free parameters only */
} sim_param_def;

#define SIM_PARAM(field, lo, hi) {#field, offsetof(parley_sim_params, field), false, lo, hi}
/* The priors (docs/SWEEPS.md, "Calibration") bracket each default of
 * docs/MODEL.md by roughly a factor of three either way, or from zero where
 * zero is meaningful; they are judgement, stated so that they can be argued. */
static const sim_param_def sim_params[] = {
    SIM_PARAM(participation_precision, 0.05, 0.5),
    SIM_PARAM(need_weight, 1.0, 6.0),
    SIM_PARAM(sucker_loss, 0.25, 3.0),
    SIM_PARAM(support_sensitivity, 0.01, 0.2),
    SIM_PARAM(expectation_adaptation, 0.01, 0.2),
    SIM_PARAM(implementation_noise, 0.0, 0.1),
    SIM_PARAM(loss_aversion, NAN, NAN),
    SIM_PARAM(political_cost, NAN, NAN),
    SIM_PARAM(mediator_credibility, NAN, NAN),
    SIM_PARAM(hedge_value, NAN, NAN),
    SIM_PARAM(inspection_cost, NAN, NAN),
    SIM_PARAM(exit_cost, NAN, NAN),
    {"collapse_windows", offsetof(parley_sim_params, collapse_windows), true, NAN, NAN},
};
#define N_SIM_PARAMS (sizeof sim_params / sizeof sim_params[0])
#define N_FREE_PARAMS 6

size_t parley_sim_param_count(void) { return N_SIM_PARAMS; }
size_t parley_sim_param_free_count(void) { return N_FREE_PARAMS; }

const char *parley_sim_param_name(size_t i)
{
    return i < N_SIM_PARAMS ? sim_params[i].name : NULL;
}

bool parley_sim_param_prior(size_t i, double *lo, double *hi)
{
    if (i >= N_FREE_PARAMS)
        return false;
    *lo = sim_params[i].prior_lo;
    *hi = sim_params[i].prior_hi;
    return true;
}

static const sim_param_def *find_param(const char *name)
{
    if (strncmp(name, "sim.", 4) == 0)
        name += 4;
    for (size_t i = 0; i < N_SIM_PARAMS; i++)
        if (strcmp(sim_params[i].name, name) == 0)
            return &sim_params[i];
    return NULL;
}

parley_status parley_sim_param_set(parley_sim_params *p, const char *name, double value,
                                   parley_error *err)
{
    const sim_param_def *d = find_param(name);
    if (!d)
        return parley_error_add(err, PARLEY_EINPUT, name,
                                "unknown simulator parameter (see docs/SWEEPS.md for the list)");
    if (!isfinite(value))
        return parley_error_add(err, PARLEY_EINPUT, name, "needs a finite number");
    char *base = (char *)p + d->offset;
    if (d->integer) {
        if (value < 1 || value > 1000)
            return parley_error_add(err, PARLEY_EINPUT, name, "needs an integer in 1..1000");
        int v = (int)lround(value);
        memcpy(base, &v, sizeof v);
    } else {
        if (value < 0)
            return parley_error_add(err, PARLEY_EINPUT, name, "must not be negative");
        memcpy(base, &value, sizeof value);
    }
    return PARLEY_OK;
}

parley_status parley_sim_param_set_text(parley_sim_params *p, const char *name,
                                        const char *text, parley_error *err)
{
    char *end;
    double value = strtod(text, &end);
    if (end == text || *end)
        return parley_error_add(err, PARLEY_EINPUT, name, "needs a number, got '%s'", text);
    return parley_sim_param_set(p, name, value, err);
}

bool parley_sim_param_get(const parley_sim_params *p, const char *name, double *out)
{
    const sim_param_def *d = find_param(name);
    if (!d)
        return false;
    const char *base = (const char *)p + d->offset;
    if (d->integer) {
        int v;
        memcpy(&v, base, sizeof v);
        *out = v;
    } else {
        memcpy(out, base, sizeof *out);
    }
    return true;
}

static bool listed(const char *path, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], path) == 0)
            return true;
    return false;
}

void parley_draw_matrix_free(char **params, size_t n_params, double *values)
{
    if (params)
        for (size_t j = 0; j < n_params; j++)
            parley__free(params[j]);
    parley__free(params);
    parley__free(values);
}

parley_status parley_draw_matrix(const parley_scenario *sc, const parley_ensemble *ens,
                                 uint32_t draws, uint64_t seed, const char *const *pinned,
                                 size_t n_pinned, char ***params, size_t *n_params,
                                 double **values, parley_error *err)
{
    *params = NULL;
    *values = NULL;
    *n_params = 0;
    size_t ke = ens->n_params, nu = parley_scenario_uncertainty_count(sc), ku = 0;
    const parley_uncertainty **unc = PARLEY_NEW_ARRAY(const parley_uncertainty *, nu ? nu : 1);
    if (!unc)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the draws");
    for (size_t i = 0; i < nu; i++) {
        const parley_uncertainty *u = parley_scenario_uncertainty(sc, i);
        if (!listed(u->path, (const char *const *)ens->params, ke) &&
            !listed(u->path, pinned, n_pinned))
            unc[ku++] = u;
    }
    size_t k = ke + ku;
    char **names = PARLEY_NEW_ARRAY(char *, k ? k : 1);
    double *v = PARLEY_NEW_ARRAY(double, (size_t)draws * (k ? k : 1));
    double *design = PARLEY_NEW_ARRAY(double, (size_t)draws * (ku ? ku : 1));
    size_t named = 0;
    bool ok = names && v && design;
    for (size_t j = 0; ok && j < k; j++, named++)
        ok = (names[j] = parley__strdup(j < ke ? ens->params[j] : unc[j - ke]->path)) != NULL;
    if (!ok) {
        parley_draw_matrix_free(names, named, v);
        parley__free(design);
        parley__free(unc);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the draws");
    }
    parley_lhs(seed, draws, ku, design);
    for (uint32_t d = 0; d < draws; d++) {
        const double *member = &ens->values[(d % ens->n_members) * ke];
        for (size_t j = 0; j < ke; j++)
            v[(size_t)d * k + j] = member[j];
        for (size_t j = 0; j < ku; j++)
            v[(size_t)d * k + ke + j] =
                parley_uncertainty_quantile(unc[j], design[(size_t)d * ku + j]);
    }
    parley__free(design);
    parley__free(unc);
    *params = names;
    *n_params = k;
    *values = v;
    return PARLEY_OK;
}
