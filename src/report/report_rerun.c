/* Replaying runs of a sweep from their seeds. A run is a pure function of
 * (scenario, cell values, draw values, seed, draw, run) (docs/SWEEPS.md), so
 * what the database does not store (the per-round series when the sweep ran
 * without --series, a run's timeline) is recomputed here exactly: the cell's
 * levers applied with parley_scenario_set, the draw's numbers with
 * parley_scenario_set_number and the simulator's parameters, as the sweep's
 * executor applies them. The representative run's metrics are compared with
 * the stored row, so the report says whether the replay reproduced it. */
#include "report_internal.h"

#include "core/alloc.h"
#include "parley/metrics.h"
#include "parley/output.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parley__replay {
    const parley_scenario *base;
    uint64_t seed;
    size_t n_vary, n_cells;
    char **vary_paths;
    char **cell_values; /* cells x n_vary */
    size_t n_params, n_draws;
    char **params;
    double *draw_values; /* draws x n_params */
    parley_scenario *sc;
    parley_sim *sim;
    int64_t cell, draw;
};

void parley__replay_free(parley__replay *r)
{
    if (!r)
        return;
    for (size_t v = 0; v < r->n_vary; v++)
        parley__free(r->vary_paths[v]);
    parley__free(r->vary_paths);
    if (r->cell_values)
        for (size_t k = 0; k < r->n_cells * r->n_vary; k++)
            parley__free(r->cell_values[k]);
    parley__free(r->cell_values);
    for (size_t j = 0; j < r->n_params; j++)
        parley__free(r->params[j]);
    parley__free(r->params);
    parley__free(r->draw_values);
    parley_sim_free(r->sim);
    parley_scenario_free(r->sc);
    parley__free(r);
}

const parley_sim *parley__replay_sim(const parley__replay *r) { return r->sim; }

static char *text_copy(sqlite3_stmt *st, int c)
{
    const unsigned char *t = sqlite3_column_text(st, c);
    return parley__strdup(t ? (const char *)t : "");
}

static int64_t count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Reads the plan's levers, cells, parameters and draws back from the
 * database; *oom says whether a failure was for want of memory. */
static bool read_plan(parley__replay *r, sqlite3 *db, bool *oom)
{
    int64_t nv = count(db, "SELECT count(*) FROM vary");
    int64_t nc = count(db, "SELECT count(*) FROM cells");
    int64_t np = count(db, "SELECT count(*) FROM params");
    int64_t nd = count(db, "SELECT coalesce(max(draw) + 1, 0) FROM draws");
    if (nv < 0 || nc < 0 || np < 0 || nd < 0)
        return false;
    r->n_vary = (size_t)nv;
    r->n_cells = (size_t)nc;
    r->n_params = (size_t)np;
    r->n_draws = (size_t)nd;
    r->vary_paths = PARLEY_NEW_ARRAY(char *, r->n_vary + 1);
    r->cell_values = PARLEY_NEW_ARRAY(char *, r->n_cells * r->n_vary + 1);
    r->params = PARLEY_NEW_ARRAY(char *, r->n_params + 1);
    r->draw_values = PARLEY_NEW_ARRAY(double, r->n_draws * r->n_params + 1);
    if (!r->vary_paths || !r->cell_values || !r->params || !r->draw_values) {
        *oom = true;
        return false;
    }
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(db, "SELECT idx, path FROM vary ORDER BY idx", -1, &st, NULL) ==
              SQLITE_OK;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        int64_t v = sqlite3_column_int64(st, 0);
        if (v >= 0 && (size_t)v < r->n_vary && !r->vary_paths[v])
            *oom = !(ok = (r->vary_paths[v] = text_copy(st, 1)) != NULL);
    }
    sqlite3_finalize(st);
    st = NULL;
    ok = ok && sqlite3_prepare_v2(db, "SELECT cell, idx, value FROM cell_values", -1, &st,
                                  NULL) == SQLITE_OK;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        int64_t c = sqlite3_column_int64(st, 0), v = sqlite3_column_int64(st, 1);
        if (c >= 0 && (size_t)c < r->n_cells && v >= 0 && (size_t)v < r->n_vary) {
            size_t k = (size_t)c * r->n_vary + (size_t)v;
            parley__free(r->cell_values[k]);
            *oom = !(ok = (r->cell_values[k] = text_copy(st, 2)) != NULL);
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    ok = ok && sqlite3_prepare_v2(db, "SELECT idx, path FROM params ORDER BY idx", -1, &st,
                                  NULL) == SQLITE_OK;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        int64_t j = sqlite3_column_int64(st, 0);
        if (j >= 0 && (size_t)j < r->n_params && !r->params[j])
            *oom = !(ok = (r->params[j] = text_copy(st, 1)) != NULL);
    }
    sqlite3_finalize(st);
    st = NULL;
    for (size_t k = 0; k < r->n_draws * r->n_params; k++)
        r->draw_values[k] = NAN;
    ok = ok && sqlite3_prepare_v2(db, "SELECT draw, idx, value FROM draws", -1, &st, NULL) ==
                   SQLITE_OK;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        int64_t dr = sqlite3_column_int64(st, 0), j = sqlite3_column_int64(st, 1);
        if (dr >= 0 && (size_t)dr < r->n_draws && j >= 0 && (size_t)j < r->n_params &&
            sqlite3_column_type(st, 2) != SQLITE_NULL)
            r->draw_values[(size_t)dr * r->n_params + (size_t)j] = sqlite3_column_double(st, 2);
    }
    sqlite3_finalize(st);
    for (size_t v = 0; ok && v < r->n_vary; v++)
        ok = r->vary_paths[v] != NULL;
    for (size_t j = 0; ok && j < r->n_params; j++)
        ok = r->params[j] != NULL;
    return ok;
}

parley_status parley__replay_new(const parley_report_data *d, const char *db_path,
                                 parley__replay **out, parley_error *err)
{
    *out = NULL;
    parley__replay *r = parley__calloc(1, sizeof *r);
    if (!r)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
    r->base = d->sc;
    r->seed = d->seed;
    r->cell = r->draw = -1;
    sqlite3 *db = NULL;
    bool oom = false;
    bool ok = sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
              read_plan(r, db, &oom);
    if (oom)
        parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
    else if (!ok)
        parley_error_add(err, PARLEY_EIO, db_path, "cannot read the sweep's plan: %s",
                         db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    if (!ok) {
        parley__replay_free(r);
        return err->status;
    }
    *out = r;
    return PARLEY_OK;
}

static bool is_sim_param(const char *path) { return strncmp(path, "sim.", 4) == 0; }

/* Rebuilds the simulator when (cell, draw) changes, exactly as the sweep's
 * worker does: clone, cell values, then draw values, then a new simulator. */
static parley_status setup(parley__replay *r, int64_t cell, int64_t draw, parley_error *err)
{
    if (r->sim && r->cell == cell && r->draw == draw)
        return PARLEY_OK;
    parley_sim_free(r->sim);
    r->sim = NULL;
    parley_scenario_free(r->sc);
    r->sc = NULL;
    r->cell = r->draw = -1;
    if (cell < 0 || (size_t)cell >= r->n_cells || draw < 0 ||
        (r->n_params && (size_t)draw >= r->n_draws))
        return parley_error_add(err, PARLEY_EINPUT, NULL, "no cell %lld / draw %lld to replay",
                                (long long)cell, (long long)draw);
    if (parley_scenario_clone(r->base, &r->sc, err) != PARLEY_OK)
        return err->status;
    for (size_t v = 0; v < r->n_vary; v++) {
        const char *value = r->cell_values[(size_t)cell * r->n_vary + v];
        if (!value)
            return parley_error_add(err, PARLEY_EINPUT, NULL, "cell %lld has no value of %s",
                                    (long long)cell, r->vary_paths[v]);
        if (!is_sim_param(r->vary_paths[v]) &&
            parley_scenario_set(r->sc, r->vary_paths[v], value, err) != PARLEY_OK)
            return err->status;
    }
    parley_sim_params sp;
    parley_sim_params_default(&sp);
    for (size_t j = 0; j < r->n_params; j++) {
        double x = r->draw_values[(size_t)draw * r->n_params + j];
        parley_status st = is_sim_param(r->params[j])
                               ? parley_sim_param_set(&sp, r->params[j], x, err)
                               : parley_scenario_set_number(r->sc, r->params[j], x, err);
        if (st != PARLEY_OK)
            return st;
    }
    /* The cell's simulator parameters last, as the sweep's worker sets them. */
    for (size_t v = 0; v < r->n_vary; v++) {
        if (!is_sim_param(r->vary_paths[v]))
            continue;
        const char *value = r->cell_values[(size_t)cell * r->n_vary + v];
        if (parley_sim_param_set_text(&sp, r->vary_paths[v], value, err) != PARLEY_OK)
            return err->status;
    }
    if (parley_sim_new(r->sc, &sp, &r->sim, err) != PARLEY_OK)
        return err->status;
    parley_sim_set_logging(r->sim, true);
    r->cell = cell;
    r->draw = draw;
    return PARLEY_OK;
}

parley_status parley__replay_run(parley__replay *r, int64_t cell, int64_t draw, int64_t run,
                                 double *metrics, parley_error *err)
{
    if (setup(r, cell, draw, err) != PARLEY_OK)
        return err->status;
    if (parley_sim_run(r->sim, r->seed, (uint32_t)draw, (uint32_t)run, err) != PARLEY_OK)
        return err->status;
    if (metrics)
        parley_run_metrics(r->sim, metrics);
    return PARLEY_OK;
}

parley_status parley__report_fans_by_rerun(parley_report_data *d, parley__replay *r,
                                           uint32_t max_runs, parley_error *err)
{
    size_t R = parley_scenario_rounds(d->sc);
    size_t draws = r->n_draws ? r->n_draws : 1, runs = d->runs > 0 ? (size_t)d->runs : 1;
    /* The runs k < K of the order "run 0 of every draw, then run 1, ...", so
     * that a capped sample still spans the parameter draws; they are replayed
     * draw by draw, so that the simulator is rebuilt once per draw. */
    size_t total = draws * runs, K = total < max_runs ? total : max_runs;
    if (K == 0)
        return PARLEY_OK;
    if (parley__report_alloc_fans(d, R, err) != PARLEY_OK)
        return err->status;
    size_t nf = d->n_support + d->n_trust, na = d->n_actors;
    double *v = PARLEY_NEW_ARRAY(double, nf * K * R + 1);
    long *idx = PARLEY_NEW_ARRAY(long, 2 * nf + 1);
    if (!v || !idx) {
        parley__free(v);
        parley__free(idx);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the fan charts");
    }
    for (size_t f = 0; f < nf; f++) {
        const parley__fan *fan = f < d->n_support ? &d->support[f] : &d->trust[f - d->n_support];
        idx[2 * f] = idx[2 * f + 1] = -1;
        for (size_t a = 0; a < na; a++) {
            if (strcmp(d->actor_ids[a], fan->actor) == 0)
                idx[2 * f] = (long)a;
            if (fan->other && strcmp(d->actor_ids[a], fan->other) == 0)
                idx[2 * f + 1] = (long)a;
        }
    }
    for (size_t i = 0; i < nf * K * R; i++)
        v[i] = NAN;
    parley_status status = PARLEY_OK;
    for (size_t k = 0, dr = 0, ru = 0; k < K && status == PARLEY_OK; k++, ru++) {
        if (ru * draws + dr >= K) {
            dr++;
            ru = 0;
        }
        int64_t draw = (int64_t)dr, run = (int64_t)ru;
        status = parley__replay_run(r, d->fan_cell, draw, run, NULL, err);
        if (status != PARLEY_OK)
            break;
        const parley_sim_series *s = parley_sim_get_series(r->sim);
        for (size_t f = 0; f < nf; f++) {
            double *dst = &v[(f * K + k) * R];
            long a = idx[2 * f], o = idx[2 * f + 1];
            for (size_t t = 0; t < R; t++) {
                /* Past the run's end it keeps its last value (see report_data.c). */
                size_t tt = t < s->rounds ? t : s->rounds - 1;
                if (s->rounds == 0 || a < 0)
                    break;
                dst[t] = f < d->n_support
                             ? s->support[tt * s->n_actors + (size_t)a]
                             : s->belief_mean[(tt * s->n_actors + (size_t)a) * s->n_actors +
                                              (size_t)o];
            }
        }
    }
    double *col = status == PARLEY_OK ? PARLEY_NEW_ARRAY(double, K + 1) : NULL;
    if (status == PARLEY_OK && !col)
        status = parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the fan charts");
    for (size_t f = 0; col && status == PARLEY_OK && f < nf; f++) {
        parley__fan *fan = f < d->n_support ? &d->support[f] : &d->trust[f - d->n_support];
        for (size_t t = 0; t < R; t++) {
            for (size_t k = 0; k < K; k++)
                col[k] = v[(f * K + k) * R + t];
            parley__fan_quantiles(col, K, &fan->q[t * PARLEY__FAN_Q]);
        }
    }
    parley__free(col);
    parley__free(v);
    parley__free(idx);
    if (status == PARLEY_OK) {
        d->fan_runs = K;
        if (!(d->fan_source = parley__strdup("rerun")))
            status = parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
        if (K < total)
            parley__report_note(d, "The fan charts replay %zu of the cell's %zu runs (the "
                                   "database holds no per-round series; sweep with --series to "
                                   "store them).",
                                K, total);
    }
    return status;
}

/* Everything written to a FILE* by `fn`, as a string owned by the caller
 * (*out). A temporary file keeps the text on parley's heap (open_memstream's
 * buffer would come from libc's). PARLEY_EIO when the file fails, PARLEY_ENOMEM
 * when the copy does: the report leaves the timeline out for the first but
 * must not for the second. */
static parley_status capture(const parley_sim *sim, uint64_t seed, bool summary, char **out)
{
    *out = NULL;
    FILE *f = tmpfile();
    if (!f)
        return PARLEY_EIO;
    bool ok = summary ? parley_write_summary(sim, seed, f) : parley_write_timeline(sim, f);
    long n = ok && fflush(f) == 0 ? ftell(f) : -1;
    if (n < 0) {
        fclose(f);
        return PARLEY_EIO;
    }
    char *s = parley__malloc((size_t)n + 1);
    if (s) {
        rewind(f);
        size_t got = fread(s, 1, (size_t)n, f);
        s[got] = '\0';
    }
    fclose(f);
    *out = s;
    return s ? PARLEY_OK : PARLEY_ENOMEM;
}

bool parley__report_same_metrics(const double *now, const double *stored, const bool *held)
{
    for (int m = 0; m < PARLEY_METRIC_COUNT; m++) {
        if (!held[m])
            continue;
        if (isnan(now[m]) != isnan(stored[m]))
            return false;
        if (!isnan(now[m]) && now[m] != stored[m])
            return false;
    }
    return true;
}

parley_status parley__report_timeline(parley_report_data *d, parley__replay *r, int64_t draw,
                                      int64_t run, const double *stored, const bool *held,
                                      parley_error *err)
{
    double now[PARLEY_METRIC_COUNT];
    for (int m = 0; m < PARLEY_METRIC_COUNT; m++)
        now[m] = NAN;
    if (parley__replay_run(r, d->rep_cell, draw, run, now, err) != PARLEY_OK)
        return err->status;
    d->rep_draw = draw;
    d->rep_run = run;
    d->rep_reproduced = parley__report_same_metrics(now, stored, held);
    parley_status st = capture(r->sim, d->seed, false, &d->timeline);
    if (st == PARLEY_OK)
        st = capture(r->sim, d->seed, true, &d->run_summary);
    if (st != PARLEY_OK)
        return parley_error_add(err, st, NULL,
                                st == PARLEY_ENOMEM ? "no memory for the run's timeline"
                                                    : "cannot render the run's timeline");
    d->has_timeline = true;
    if (!d->rep_reproduced)
        parley__report_note(d, "Replaying run %lld of draw %lld did not reproduce the stored "
                               "metrics: the simulator has changed since the sweep, so the "
                               "timeline shows today's model on that seed.",
                            (long long)run, (long long)draw);
    return PARLEY_OK;
}
