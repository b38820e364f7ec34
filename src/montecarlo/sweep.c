/* Plans (policy cells x parameter draws x seeded runs) and their execution on
 * threads. A run's result depends only on (cell, draw, run): the cell's values
 * are applied with parley_scenario_set, the draw's with
 * parley_scenario_set_number and the simulator's parameters, and the run's
 * random numbers come from the streams of (seed, draw, run). So the work can be
 * split into blocks handed to any thread or process in any order. */
#include "mc_internal.h"

#include "core/alloc.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CELLS 65536u
#define BLOCK_RUNS 32u
#define MAX_PENDING 64u

struct parley_plan {
    parley_scenario *base;
    uint64_t seed;
    uint32_t runs, draws;
    parley_draw_mode mode;
    size_t n_vary;
    char **vary_paths;
    size_t *n_values;
    char ***values;
    size_t n_cells;
    char **labels;
    size_t n_params;
    char **params;
    bool *is_sim;
    double *draw_values; /* draws x n_params */
    bool same_streams, series;
    parley_sim_params base_params;
    bool has_base_params;
    uint64_t scen_hash, cmd_hash;
};

static void free_strings(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        parley__free(s[i]);
    parley__free(s);
}

void parley_plan_free(parley_plan *p)
{
    if (!p)
        return;
    parley_scenario_free(p->base);
    for (size_t v = 0; v < p->n_vary; v++)
        free_strings(p->values ? p->values[v] : NULL, p->n_values ? p->n_values[v] : 0);
    parley__free(p->values);
    parley__free(p->n_values);
    free_strings(p->vary_paths, p->n_vary);
    free_strings(p->labels, p->n_cells);
    free_strings(p->params, p->n_params);
    parley__free(p->is_sim);
    parley__free(p->draw_values);
    parley__free(p);
}

size_t parley_plan_cells(const parley_plan *p) { return p->n_cells; }
uint32_t parley_plan_draws(const parley_plan *p) { return p->draws; }
uint32_t parley_plan_runs(const parley_plan *p) { return p->runs; }
uint64_t parley_plan_seed(const parley_plan *p) { return p->seed; }
size_t parley_plan_vary_count(const parley_plan *p) { return p->n_vary; }
const char *parley_plan_vary_path(const parley_plan *p, size_t v) { return p->vary_paths[v]; }
const char *parley_plan_cell_label(const parley_plan *p, size_t c) { return p->labels[c]; }
size_t parley_plan_param_count(const parley_plan *p) { return p->n_params; }
const char *parley_plan_param(const parley_plan *p, size_t j) { return p->params[j]; }
const parley_scenario *parley_plan_scenario(const parley_plan *p) { return p->base; }
bool parley_plan_has_series(const parley_plan *p) { return p->series; }
uint64_t parley_plan_scenario_hash(const parley_plan *p) { return p->scen_hash; }
uint64_t parley_plan_command_hash(const parley_plan *p) { return p->cmd_hash; }

double parley_plan_draw_value(const parley_plan *p, uint32_t draw, size_t j)
{
    return p->draw_values[(size_t)draw * p->n_params + j];
}

uint64_t parley_plan_total_runs(const parley_plan *p)
{
    return (uint64_t)p->n_cells * p->draws * p->runs;
}

/* Index of varied path v's value in cell c: the first --vary varies slowest. */
static size_t cell_index(const parley_plan *p, size_t cell, size_t v)
{
    size_t stride = 1;
    for (size_t w = v + 1; w < p->n_vary; w++)
        stride *= p->n_values[w];
    return (cell / stride) % p->n_values[v];
}

const char *parley_plan_cell_value(const parley_plan *p, size_t cell, size_t v)
{
    return p->values[v][cell_index(p, cell, v)];
}

/* Re-adds the diagnostics of `tmp` to `err` with `prefix` before each place. */
static void relocate(parley_error *err, parley_error *tmp, const char *prefix)
{
    for (size_t i = 0; i < tmp->count; i++) {
        const parley_diagnostic *d = &tmp->items[i];
        parley_error_add(err, d->status, prefix, "%s%s%s", d->where, d->where[0] ? ": " : "",
                         d->what);
    }
    if (tmp->count == 0 && tmp->status != PARLEY_OK)
        parley_error_add(err, tmp->status, prefix, "%s", parley_strerror(tmp->status));
    parley_error_clear(tmp);
}

static bool is_sim_path(const char *path) { return strncmp(path, "sim.", 4) == 0; }

/* Sets a varied path to one of its values: a simulator parameter ("sim.NAME")
 * in sp, anything else in sc; errors located at "--vary PATH=VALUE". */
static parley_status set_varied(const char *path, const char *value, parley_scenario *sc,
                                parley_sim_params *sp, parley_error *err)
{
    parley_error tmp;
    parley_error_init(&tmp);
    parley_status st = is_sim_path(path) ? parley_sim_param_set_text(sp, path, value, &tmp)
                                         : parley_scenario_set(sc, path, value, &tmp);
    if (st == PARLEY_OK)
        return PARLEY_OK;
    char where[PARLEY_WHERE_MAX];
    snprintf(where, sizeof where, "--vary %s=%s", path, value);
    relocate(err, &tmp, where);
    return err->status;
}

/* Applies cell `cell`'s values to `sc`; its simulator parameters ("sim.*")
 * wait for apply_draw. */
static parley_status apply_cell(const parley_plan *p, parley_scenario *sc, size_t cell,
                                parley_error *err)
{
    for (size_t v = 0; v < p->n_vary; v++)
        if (!is_sim_path(p->vary_paths[v]) &&
            set_varied(p->vary_paths[v], parley_plan_cell_value(p, cell, v), sc, NULL, err) !=
                PARLEY_OK)
            return err->status;
    return PARLEY_OK;
}

/* Applies draw `draw`'s values to `sc` and `sp`, then the simulator
 * parameters cell `cell` varies (a parameter is varied or drawn, never both:
 * parley_plan_new refuses that). */
static parley_status apply_draw(const parley_plan *p, parley_scenario *sc, parley_sim_params *sp,
                                size_t cell, uint32_t draw, parley_error *err)
{
    if (p->has_base_params)
        *sp = p->base_params;
    else
        parley_sim_params_default(sp);
    for (size_t j = 0; j < p->n_params; j++) {
        double x = parley_plan_draw_value(p, draw, j);
        parley_status st = p->is_sim[j] ? parley_sim_param_set(sp, p->params[j], x, err)
                                        : parley_scenario_set_number(sc, p->params[j], x, err);
        if (st != PARLEY_OK)
            return st;
    }
    for (size_t v = 0; v < p->n_vary; v++)
        if (is_sim_path(p->vary_paths[v]) &&
            set_varied(p->vary_paths[v], parley_plan_cell_value(p, cell, v), NULL, sp, err) !=
                PARLEY_OK)
            return err->status;
    return PARLEY_OK;
}

static bool path_is_varied(const parley_plan_spec *s, const char *path)
{
    for (size_t v = 0; v < s->n_vary; v++)
        if (strcmp(s->vary[v].path, path) == 0)
            return true;
    return false;
}

static void hash_str(uint64_t *h, const char *s)
{
    *h = parley__fnv1a(*h, s, strlen(s) + 1);
}

static void hash_u64(uint64_t *h, uint64_t x)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(x >> (8 * i));
    *h = parley__fnv1a(*h, b, 8);
}

static parley_status plan_hashes(parley_plan *p, parley_error *err)
{
    char *dump = NULL;
    if (parley_scenario_dump(p->base, 0, &dump, err) != PARLEY_OK)
        return err->status;
    p->scen_hash = parley__fnv1a(PARLEY__FNV_INIT, dump, strlen(dump));
    parley_scenario_string_free(dump);
    uint64_t h = PARLEY__FNV_INIT;
    hash_u64(&h, p->seed);
    hash_u64(&h, p->runs);
    hash_u64(&h, p->draws);
    hash_u64(&h, (uint64_t)p->mode);
    hash_u64(&h, p->same_streams);
    hash_u64(&h, p->series);
    if (p->has_base_params) { /* a database of other parameters is another command */
        const parley_sim_params *b = &p->base_params;
        const double fields[] = {b->participation_precision, b->need_weight, b->sucker_loss,
                                 b->support_sensitivity, b->expectation_adaptation,
                                 b->implementation_noise, b->loss_aversion, b->political_cost,
                                 b->mediator_credibility, b->hedge_value, b->inspection_cost,
                                 b->exit_cost};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
            uint64_t bits;
            memcpy(&bits, &fields[k], sizeof bits);
            hash_u64(&h, bits);
        }
        hash_u64(&h, (uint64_t)b->collapse_windows);
        hash_u64(&h, b->ablate);
        hash_u64(&h, b->null_model);
    }
    for (size_t v = 0; v < p->n_vary; v++) {
        hash_str(&h, p->vary_paths[v]);
        for (size_t i = 0; i < p->n_values[v]; i++)
            hash_str(&h, p->values[v][i]);
        hash_u64(&h, 0xffu);
    }
    for (size_t j = 0; j < p->n_params; j++)
        hash_str(&h, p->params[j]);
    for (size_t k = 0; k < (size_t)p->draws * p->n_params; k++) {
        uint64_t bits;
        memcpy(&bits, &p->draw_values[k], sizeof bits);
        hash_u64(&h, bits);
    }
    p->cmd_hash = h;
    return PARLEY_OK;
}

static parley_status check_spec(const parley_plan_spec *s, parley_error *err)
{
    if (!s->scenario)
        parley_error_add(err, PARLEY_EUSAGE, "sweep", "no scenario");
    if (s->runs == 0)
        parley_error_add(err, PARLEY_EUSAGE, "--runs", "needs at least one run per draw (got 0)");
    if (s->mode != PARLEY_DRAWS_NOMINAL && s->draws == 0)
        parley_error_add(err, PARLEY_EUSAGE, "--draws", "needs at least one draw (got 0)");
    uint64_t cells = 1;
    for (size_t v = 0; v < s->n_vary; v++) {
        const parley_vary *vy = &s->vary[v];
        if (!vy->path || !vy->path[0])
            parley_error_add(err, PARLEY_EUSAGE, "--vary", "expected PATH=V1,V2,... (empty path)");
        if (vy->n_values == 0)
            parley_error_add(err, PARLEY_EUSAGE, "--vary", "%s: empty list of values",
                             vy->path ? vy->path : "");
        for (size_t w = 0; w < v; w++)
            if (vy->path && s->vary[w].path && strcmp(vy->path, s->vary[w].path) == 0)
                parley_error_add(err, PARLEY_EUSAGE, "--vary", "%s is varied twice", vy->path);
        for (size_t i = 0; i < vy->n_values; i++) {
            if (!vy->values[i][0])
                parley_error_add(err, PARLEY_EUSAGE, "--vary", "%s: an empty value", vy->path);
            for (size_t k = 0; k < i; k++)
                if (strcmp(vy->values[i], vy->values[k]) == 0)
                    parley_error_add(err, PARLEY_EUSAGE, "--vary", "%s: value '%s' given twice",
                                     vy->path, vy->values[i]);
        }
        cells *= vy->n_values ? vy->n_values : 1;
        if (cells > MAX_CELLS) {
            parley_error_add(err, PARLEY_ELIMIT, "--vary", "more than %u policy cells",
                             MAX_CELLS);
            break;
        }
    }
    if (err->status != PARLEY_OK)
        return err->status;
    uint64_t draws = s->mode == PARLEY_DRAWS_NOMINAL ? 1 : s->draws;
    unsigned long long all = (unsigned long long)cells * draws * s->runs;
    if (all > 1ull << 31)
        return parley_error_add(err, PARLEY_ELIMIT, "sweep", "%llu runs in all; the limit is 2^31",
                                all);
    return PARLEY_OK;
}

static parley_status copy_vary(parley_plan *p, const parley_plan_spec *s)
{
    p->n_vary = s->n_vary;
    if (!s->n_vary)
        return PARLEY_OK;
    p->vary_paths = PARLEY_NEW_ARRAY(char *, s->n_vary);
    p->n_values = PARLEY_NEW_ARRAY(size_t, s->n_vary);
    p->values = PARLEY_NEW_ARRAY(char **, s->n_vary);
    if (!p->vary_paths || !p->n_values || !p->values)
        return PARLEY_ENOMEM;
    for (size_t v = 0; v < s->n_vary; v++) {
        p->vary_paths[v] = parley__strdup(s->vary[v].path);
        p->values[v] = PARLEY_NEW_ARRAY(char *, s->vary[v].n_values);
        if (!p->vary_paths[v] || !p->values[v])
            return PARLEY_ENOMEM;
        p->n_values[v] = s->vary[v].n_values;
        for (size_t i = 0; i < s->vary[v].n_values; i++)
            if (!(p->values[v][i] = parley__strdup(s->vary[v].values[i])))
                return PARLEY_ENOMEM;
    }
    return PARLEY_OK;
}

static parley_status make_cells(parley_plan *p, parley_error *err)
{
    p->n_cells = 1;
    for (size_t v = 0; v < p->n_vary; v++)
        p->n_cells *= p->n_values[v];
    p->labels = PARLEY_NEW_ARRAY(char *, p->n_cells);
    if (!p->labels)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the cells");
    for (size_t c = 0; c < p->n_cells; c++) {
        size_t len = 1;
        for (size_t v = 0; v < p->n_vary; v++)
            len += strlen(p->vary_paths[v]) + strlen(parley_plan_cell_value(p, c, v)) + 2;
        if (p->n_vary == 0)
            len += 8;
        char *s = parley__malloc(len);
        if (!s)
            return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the cells");
        size_t n = 0;
        s[0] = '\0';
        if (p->n_vary == 0)
            parley__append(s, &n, "baseline");
        for (size_t v = 0; v < p->n_vary; v++) {
            if (v)
                parley__append(s, &n, ",");
            parley__append(s, &n, p->vary_paths[v]);
            parley__append(s, &n, "=");
            parley__append(s, &n, parley_plan_cell_value(p, c, v));
        }
        p->labels[c] = s;
    }
    /* Each cell applied to its own clone: an unknown path or illegal value is
     * reported here, before anything is run or written. Each value alone first,
     * so that every bad value is reported once. */
    for (size_t v = 0; v < p->n_vary; v++) {
        for (size_t i = 0; i < p->n_values[v]; i++) {
            parley_scenario *sc = NULL;
            parley_sim_params sp;
            parley_sim_params_default(&sp);
            if (!is_sim_path(p->vary_paths[v]) &&
                parley_scenario_clone(p->base, &sc, err) != PARLEY_OK)
                return err->status;
            set_varied(p->vary_paths[v], p->values[v][i], sc, &sp, err);
            parley_scenario_free(sc);
            if (err->status == PARLEY_ENOMEM)
                return err->status;
        }
    }
    if (err->status != PARLEY_OK)
        return err->status;
    if (p->n_vary > 1) {
        for (size_t c = 0; c < p->n_cells; c++) {
            parley_scenario *sc = NULL;
            if (parley_scenario_clone(p->base, &sc, err) != PARLEY_OK)
                return err->status;
            apply_cell(p, sc, c, err);
            parley_scenario_free(sc);
            if (err->status != PARLEY_OK)
                return err->status;
        }
    }
    return PARLEY_OK;
}

static parley_status make_draws(parley_plan *p, const parley_plan_spec *s, parley_error *err)
{
    if (s->mode == PARLEY_DRAWS_NOMINAL) {
        p->draws = 1;
        return PARLEY_OK;
    }
    p->draws = s->draws;
    if (s->mode == PARLEY_DRAWS_LHS) {
        size_t nu = parley_scenario_uncertainty_count(p->base), k = 0;
        p->params = PARLEY_NEW_ARRAY(char *, nu ? nu : 1);
        p->is_sim = PARLEY_NEW_ARRAY(bool, nu ? nu : 1);
        size_t *which = PARLEY_NEW_ARRAY(size_t, nu ? nu : 1);
        if (!p->params || !p->is_sim || !which) {
            parley__free(which);
            return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the draws");
        }
        for (size_t i = 0; i < nu; i++) {
            const parley_uncertainty *u = parley_scenario_uncertainty(p->base, i);
            if (path_is_varied(s, u->path))
                continue;
            which[k] = i;
            if (!(p->params[k++] = parley__strdup(u->path))) {
                p->n_params = k;
                parley__free(which);
                return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the draws");
            }
        }
        p->n_params = k;
        p->draw_values = PARLEY_NEW_ARRAY(double, (size_t)p->draws * (k ? k : 1));
        if (!p->draw_values) {
            parley__free(which);
            return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the draws");
        }
        parley_lhs(p->seed, p->draws, k, p->draw_values);
        for (size_t d = 0; d < p->draws; d++)
            for (size_t j = 0; j < k; j++) {
                const parley_uncertainty *u = parley_scenario_uncertainty(p->base, which[j]);
                double *x = &p->draw_values[d * k + j];
                *x = parley_uncertainty_quantile(u, *x);
            }
        parley__free(which);
        return PARLEY_OK;
    }
    /* MATRIX: copy and check every value on a clone. */
    size_t k = s->n_params;
    p->params = PARLEY_NEW_ARRAY(char *, k ? k : 1);
    p->is_sim = PARLEY_NEW_ARRAY(bool, k ? k : 1);
    p->draw_values = PARLEY_NEW_ARRAY(double, (size_t)p->draws * (k ? k : 1));
    if (!p->params || !p->is_sim || !p->draw_values)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the draws");
    for (size_t j = 0; j < k; j++) {
        if (!(p->params[j] = parley__strdup(s->params[j])))
            return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the draws");
        p->n_params = j + 1;
        p->is_sim[j] = is_sim_path(s->params[j]);
        if (path_is_varied(s, s->params[j]))
            parley_error_add(err, PARLEY_EINPUT, s->params[j],
                             "is both varied by cell and drawn; choose one");
    }
    if (k)
        memcpy(p->draw_values, s->values, (size_t)p->draws * k * sizeof *p->draw_values);
    if (err->status != PARLEY_OK)
        return err->status;
    parley_scenario *sc = NULL;
    if (parley_scenario_clone(p->base, &sc, err) != PARLEY_OK)
        return err->status;
    parley_sim_params sp;
    for (uint32_t d = 0; d < p->draws && err->status == PARLEY_OK; d++)
        apply_draw(p, sc, &sp, 0, d, err);
    parley_scenario_free(sc);
    return err->status;
}

parley_status parley_plan_new(const parley_plan_spec *s, parley_plan **out, parley_error *err)
{
    *out = NULL;
    if (check_spec(s, err) != PARLEY_OK)
        return err->status;
    parley_plan *p = parley__calloc(1, sizeof *p);
    if (!p)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the plan");
    p->seed = s->seed;
    p->runs = s->runs;
    p->mode = s->mode;
    p->same_streams = s->same_streams;
    p->series = s->series;
    if (s->base_params) {
        p->base_params = *s->base_params;
        p->has_base_params = true;
    }
    if (parley_scenario_clone(s->scenario, &p->base, err) != PARLEY_OK)
        goto fail;
    if (copy_vary(p, s) != PARLEY_OK) {
        parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the plan");
        goto fail;
    }
    if (make_cells(p, err) != PARLEY_OK || make_draws(p, s, err) != PARLEY_OK ||
        plan_hashes(p, err) != PARLEY_OK)
        goto fail;
    *out = p;
    return PARLEY_OK;
fail:
    parley_plan_free(p);
    return err->status;
}

/* ---- execution ------------------------------------------------------------ */

typedef struct batch {
    struct batch *next;
    size_t n;
    parley_run_row rows[BLOCK_RUNS];
    double *series;
} batch;

typedef struct exec_state {
    const parley_plan *plan;
    const parley_exec_options *opt;
    size_t blocks_per; /* blocks per (cell, draw) */
    uint64_t n_items;
    pthread_mutex_t mu;
    pthread_cond_t cv_main, cv_work;
    uint64_t next_item;
    unsigned running;
    size_t pending;
    batch *head, *tail;
    bool stop;
    parley_error err; /* the workers' first error */
} exec_state;

static bool is_done(const parley_plan *p, const uint8_t *done, size_t cell, uint32_t draw,
                    uint32_t run)
{
    if (!done)
        return false;
    uint64_t bit = ((uint64_t)cell * p->draws + draw) * p->runs + run;
    return (done[bit >> 3] >> (bit & 7)) & 1u;
}

static bool in_part(const parley_exec_options *o, uint64_t item)
{
    return o->part_count <= 1 || item % o->part_count == o->part_index;
}

typedef struct worker {
    exec_state *st;
    parley_scenario *sc;
    parley_sim *sim;
    size_t cell;
    uint32_t draw;
    bool have_cell, have_draw;
    parley_sim_params params;
} worker;

static parley_status worker_setup(worker *w, size_t cell, uint32_t draw, parley_error *err)
{
    const parley_plan *p = w->st->plan;
    if (!w->have_cell || w->cell != cell) {
        parley_sim_free(w->sim);
        w->sim = NULL;
        parley_scenario_free(w->sc);
        w->sc = NULL;
        w->have_cell = w->have_draw = false;
        if (parley_scenario_clone(p->base, &w->sc, err) != PARLEY_OK ||
            apply_cell(p, w->sc, cell, err) != PARLEY_OK)
            return err->status;
        w->cell = cell;
        w->have_cell = true;
    }
    if (!w->have_draw || w->draw != draw) {
        parley_sim_free(w->sim);
        w->sim = NULL;
        w->have_draw = false;
        if (apply_draw(p, w->sc, &w->params, cell, draw, err) != PARLEY_OK ||
            parley_sim_new(w->sc, &w->params, &w->sim, err) != PARLEY_OK)
            return err->status;
        /* The meeting metrics are computed from the log, so it stays on. */
        parley_sim_set_logging(w->sim, true);
        w->draw = draw;
        w->have_draw = true;
    }
    return PARLEY_OK;
}

static size_t series_len(const parley_plan *p)
{
    size_t rounds = parley_scenario_rounds(p->base), n = parley_scenario_actor_count(p->base);
    return rounds * n + rounds * n * n;
}

static parley_status run_block(worker *w, uint64_t item, batch *b, parley_error *err)
{
    exec_state *st = w->st;
    const parley_plan *p = st->plan;
    uint64_t per_draw = (uint64_t)p->n_cells * st->blocks_per;
    uint32_t draw = (uint32_t)(item / per_draw);
    size_t cell = (size_t)((item / st->blocks_per) % p->n_cells);
    uint32_t first = (uint32_t)(item % st->blocks_per) * BLOCK_RUNS;
    uint32_t last = first + BLOCK_RUNS < p->runs ? first + BLOCK_RUNS : p->runs;
    b->n = 0;
    size_t slen = p->series ? series_len(p) : 0;
    for (uint32_t r = first; r < last; r++) {
        if (is_done(p, st->opt->done, cell, draw, r))
            continue;
        if (worker_setup(w, cell, draw, err) != PARLEY_OK)
            return err->status;
        if (parley_sim_run(w->sim, p->seed, p->same_streams ? 0 : draw, r, err) != PARLEY_OK)
            return err->status;
        parley_run_row *row = &b->rows[b->n];
        memset(row, 0, sizeof *row);
        row->cell = (uint32_t)cell;
        row->draw = draw;
        row->run = r;
        row->outcome = parley_sim_summary(w->sim)->outcome;
        parley_run_metrics(w->sim, row->metric);
        if (p->series) {
            const parley_sim_series *s = parley_sim_get_series(w->sim);
            size_t full_rounds = parley_scenario_rounds(p->base);
            size_t n = s->n_actors;
            double *dst = &b->series[b->n * slen];
            for (size_t k = 0; k < slen; k++)
                dst[k] = NAN;
            memcpy(dst, s->support, s->rounds * n * sizeof *dst);
            memcpy(dst + full_rounds * n, s->belief_mean, s->rounds * n * n * sizeof *dst);
            row->series_rounds = (uint32_t)s->rounds;
            row->series_actors = (uint32_t)n;
            row->series = dst;
        }
        b->n++;
    }
    return PARLEY_OK;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    exec_state *st = w->st;
    const parley_plan *p = st->plan;
    size_t slen = p->series ? series_len(p) : 0;
    parley_error err;
    parley_error_init(&err);
    for (;;) {
        pthread_mutex_lock(&st->mu);
        while (!st->stop && st->pending >= MAX_PENDING)
            pthread_cond_wait(&st->cv_work, &st->mu);
        uint64_t item = st->next_item;
        while (item < st->n_items && !in_part(st->opt, item))
            item++;
        st->next_item = item < st->n_items ? item + 1 : item;
        bool stop = st->stop || item >= st->n_items;
        pthread_mutex_unlock(&st->mu);
        if (stop)
            break;
        batch *b = parley__calloc(1, sizeof *b);
        if (b && slen)
            b->series = PARLEY_NEW_ARRAY(double, BLOCK_RUNS * slen);
        parley_status status = PARLEY_ENOMEM;
        if (!b || (slen && !b->series))
            parley_error_add(&err, PARLEY_ENOMEM, NULL, "no memory for results");
        else
            status = run_block(w, item, b, &err);
        pthread_mutex_lock(&st->mu);
        if (status != PARLEY_OK) {
            if (st->err.status == PARLEY_OK)
                parley_error_append(&st->err, &err);
            st->stop = true;
            if (b)
                parley__free(b->series);
            parley__free(b);
        } else if (b->n == 0) {
            parley__free(b->series);
            parley__free(b);
        } else {
            if (st->tail)
                st->tail->next = b;
            else
                st->head = b;
            st->tail = b;
            st->pending++;
        }
        pthread_cond_signal(&st->cv_main);
        pthread_mutex_unlock(&st->mu);
        parley_error_clear(&err);
    }
    parley_sim_free(w->sim);
    parley_scenario_free(w->sc);
    w->sim = NULL;
    w->sc = NULL;
    pthread_mutex_lock(&st->mu);
    st->running--;
    pthread_cond_signal(&st->cv_main);
    pthread_mutex_unlock(&st->mu);
    parley_error_clear(&err);
    return NULL;
}

parley_status parley_plan_execute(const parley_plan *p, const parley_exec_options *opt,
                                  parley_error *err)
{
    unsigned threads = opt->threads ? opt->threads : 1;
    exec_state st;
    memset(&st, 0, sizeof st);
    st.plan = p;
    st.opt = opt;
    st.blocks_per = (p->runs + BLOCK_RUNS - 1) / BLOCK_RUNS;
    st.n_items = (uint64_t)p->draws * p->n_cells * st.blocks_per;
    parley_error_init(&st.err);
    /* What this execution will do, for the progress callback. */
    uint64_t total = 0;
    for (uint64_t item = 0; item < st.n_items; item++) {
        if (!in_part(opt, item))
            continue;
        uint64_t per_draw = (uint64_t)p->n_cells * st.blocks_per;
        uint32_t draw = (uint32_t)(item / per_draw);
        size_t cell = (size_t)((item / st.blocks_per) % p->n_cells);
        uint32_t first = (uint32_t)(item % st.blocks_per) * BLOCK_RUNS;
        uint32_t last = first + BLOCK_RUNS < p->runs ? first + BLOCK_RUNS : p->runs;
        for (uint32_t r = first; r < last; r++)
            total += !is_done(p, opt->done, cell, draw, r);
    }
    if (total == 0) {
        if (opt->progress)
            opt->progress(opt->progress_user, 0, 0);
        return PARLEY_OK;
    }
    worker *ws = PARLEY_NEW_ARRAY(worker, threads);
    pthread_t *tids = PARLEY_NEW_ARRAY(pthread_t, threads);
    if (!ws || !tids) {
        parley__free(ws);
        parley__free(tids);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the workers");
    }
    pthread_mutex_init(&st.mu, NULL);
    pthread_cond_init(&st.cv_main, NULL);
    pthread_cond_init(&st.cv_work, NULL);
    unsigned started = 0;
    pthread_mutex_lock(&st.mu);
    for (unsigned t = 0; t < threads; t++) {
        ws[t].st = &st;
        st.running++;
        if (pthread_create(&tids[t], NULL, worker_main, &ws[t]) != 0) {
            st.running--;
            break;
        }
        started++;
    }
    pthread_mutex_unlock(&st.mu);
    parley_status status = PARLEY_OK;
    if (started == 0)
        status = parley_error_add(err, PARLEY_EINTERNAL, NULL, "cannot start a worker thread");
    uint64_t done = 0;
    pthread_mutex_lock(&st.mu);
    while (started) {
        while (!st.head && st.running)
            pthread_cond_wait(&st.cv_main, &st.mu);
        if (!st.head && !st.running)
            break;
        batch *b = st.head;
        st.head = b->next;
        if (!st.head)
            st.tail = NULL;
        st.pending--;
        pthread_cond_broadcast(&st.cv_work);
        bool stopping = st.stop;
        pthread_mutex_unlock(&st.mu);
        /* The sink runs outside the lock so the workers keep going. */
        if (status == PARLEY_OK && !stopping) {
            status = opt->sink ? opt->sink(opt->sink_user, b->rows, b->n, err) : PARLEY_OK;
            done += b->n;
            if (status == PARLEY_OK && opt->progress)
                opt->progress(opt->progress_user, done, total);
        }
        parley__free(b->series);
        parley__free(b);
        pthread_mutex_lock(&st.mu);
        if (status != PARLEY_OK) {
            st.stop = true;
            pthread_cond_broadcast(&st.cv_work);
        }
    }
    pthread_mutex_unlock(&st.mu);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    while (st.head) {
        batch *b = st.head;
        st.head = b->next;
        parley__free(b->series);
        parley__free(b);
    }
    if (status == PARLEY_OK && st.err.status != PARLEY_OK)
        status = st.err.status;
    parley_error_append(err, &st.err);
    pthread_cond_destroy(&st.cv_work);
    pthread_cond_destroy(&st.cv_main);
    pthread_mutex_destroy(&st.mu);
    parley__free(ws);
    parley__free(tids);
    return status;
}
