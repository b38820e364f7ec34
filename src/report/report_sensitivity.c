/* Sensitivity for the report: Morris screening of an outcome probability on
 * the sweep machinery (the design and indices of src/montecarlo/sensitivity.c,
 * every design point run on the same streams), and the `sensitivity` table
 * that lets a results database carry its ranking (docs/REPORTS.md). The table
 * is an addition to the sweep schema: no other table is touched. */
#include "report_internal.h"

#include "core/alloc.h"
#include "parley/metrics.h"

#include <math.h>
#include <string.h>

typedef struct morris_acc {
    const int *metrics;
    size_t n_metrics, points;
    double *sum, *cnt; /* metric x design point */
} morris_acc;

/* Runs arrive on the calling thread of parley_plan_execute: no lock needed. */
static parley_status morris_sink(void *user, const parley_run_row *rows, size_t n,
                                 parley_error *err)
{
    (void)err;
    morris_acc *a = user;
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < a->n_metrics; m++) {
            double x = rows[i].metric[a->metrics[m]];
            if (isnan(x))
                continue;
            a->sum[m * a->points + rows[i].draw] += x;
            a->cnt[m * a->points + rows[i].draw] += 1;
        }
    return PARLEY_OK;
}

parley_status parley_report_morris(const parley_morris_request *req, parley_sensitivity_row *rows,
                                   parley_error *err)
{
    size_t k = req->k, r = req->trajectories ? req->trajectories : 10;
    unsigned levels = req->levels ? req->levels : 4;
    bool metrics_ok = req->n_metrics > 0;
    for (size_t m = 0; m < req->n_metrics; m++)
        metrics_ok = metrics_ok && req->metrics[m] >= 0 && req->metrics[m] < PARLEY_METRIC_COUNT;
    if (k == 0 || !metrics_ok || levels % 2)
        return parley_error_add(err, PARLEY_EINPUT, NULL,
                                "Morris screening needs parameters, metrics and an even number "
                                "of levels");
    for (size_t j = 0; j < k; j++)
        if (!(req->lo[j] < req->hi[j]))
            return parley_error_add(err, PARLEY_EINPUT, req->params[j],
                                    "the range needs LO < HI");
    size_t points = r * (k + 1);
    double *design = PARLEY_NEW_ARRAY(double, points * k);
    double *values = PARLEY_NEW_ARRAY(double, points * k);
    double *y = PARLEY_NEW_ARRAY(double, points);
    size_t nm = req->n_metrics;
    morris_acc acc = {req->metrics, nm, points, PARLEY_NEW_ARRAY(double, nm * points),
                      PARLEY_NEW_ARRAY(double, nm * points)};
    double *mu_star = PARLEY_NEW_ARRAY(double, k), *mu = PARLEY_NEW_ARRAY(double, k),
           *sigma = PARLEY_NEW_ARRAY(double, k);
    parley_plan *plan = NULL;
    parley_status st = PARLEY_OK;
    if (!design || !values || !y || !acc.sum || !acc.cnt || !mu_star || !mu || !sigma) {
        st = parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the Morris design");
        goto done;
    }
    parley_morris_design(req->seed, k, r, levels, design);
    for (size_t p = 0; p < points; p++)
        for (size_t j = 0; j < k; j++)
            values[p * k + j] = req->lo[j] + design[p * k + j] * (req->hi[j] - req->lo[j]);
    parley_plan_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.scenario = req->scenario;
    spec.seed = req->seed;
    spec.runs = req->runs;
    spec.mode = PARLEY_DRAWS_MATRIX;
    spec.draws = (uint32_t)points;
    spec.params = req->params;
    spec.n_params = k;
    spec.values = values;
    /* Common random numbers across design points: their differences measure
     * the parameters, not the luck of the draw. */
    spec.same_streams = true;
    if ((st = parley_plan_new(&spec, &plan, err)) != PARLEY_OK)
        goto done;
    parley_exec_options opt;
    memset(&opt, 0, sizeof opt);
    opt.threads = req->threads ? req->threads : 1;
    opt.sink = morris_sink;
    opt.sink_user = &acc;
    if ((st = parley_plan_execute(plan, &opt, err)) != PARLEY_OK)
        goto done;
    for (size_t m = 0; m < nm; m++) {
        for (size_t p = 0; p < points; p++) {
            double c = acc.cnt[m * points + p];
            y[p] = c > 0 ? acc.sum[m * points + p] / c : NAN;
        }
        parley_morris_indices(design, y, k, r, mu_star, mu, sigma);
        for (size_t j = 0; j < k; j++) {
            parley_sensitivity_row *row = &rows[m * k + j];
            row->param = req->params[j];
            row->mu_star = mu_star[j];
            row->mu = mu[j];
            row->sigma = sigma[j];
            row->s1 = row->s1_lo = row->s1_hi = row->st = row->st_lo = row->st_hi = NAN;
        }
    }
done:
    parley_plan_free(plan);
    parley__free(design);
    parley__free(values);
    parley__free(y);
    parley__free(acc.sum);
    parley__free(acc.cnt);
    parley__free(mu_star);
    parley__free(mu);
    parley__free(sigma);
    return st;
}

static void bind_real(sqlite3_stmt *st, int col, double x)
{
    if (isnan(x))
        sqlite3_bind_null(st, col);
    else
        sqlite3_bind_double(st, col, x);
}

/* The database's scenario must be `scenario` (when not NULL): a sensitivity
 * analysis of one scenario does not belong beside the runs of another. */
static parley_status check_scenario(sqlite3 *db, const char *db_path, const char *scenario,
                                    parley_error *err)
{
    if (!scenario)
        return PARLEY_OK;
    sqlite3_stmt *st = NULL;
    parley_status status = PARLEY_OK;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'scenario'", -1, &st, NULL) !=
        SQLITE_OK)
        return parley_error_add(err, PARLEY_EIO, db_path, "cannot read the database: %s",
                                sqlite3_errmsg(db));
    const unsigned char *got = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    if (!got || strcmp((const char *)got, scenario) != 0)
        status = parley_error_add(err, PARLEY_EINPUT, db_path,
                                  "holds the results of scenario '%s', not '%s'",
                                  got ? (const char *)got : "?", scenario);
    sqlite3_finalize(st);
    return status;
}

parley_status parley_report_check_sensitivity_db(const char *db_path, const char *scenario,
                                                 parley_error *err)
{
    sqlite3 *db = NULL;
    if (parley__report_open_db(db_path, true, &db, err) != PARLEY_OK)
        return err->status;
    parley_status st = check_scenario(db, db_path, scenario, err);
    /* Writable, not only openable: a read-only file would fail after the runs. */
    if (st == PARLEY_OK && sqlite3_db_readonly(db, "main") == 1)
        st = parley_error_add(err, PARLEY_EINPUT, db_path, "the database is not writable");
    sqlite3_close(db);
    return st;
}

parley_status parley_report_store_sensitivity(const char *db_path, const char *method,
                                              const char *output,
                                              const parley_sensitivity_row *rows, size_t n,
                                              parley_error *err)
{
    return parley_report_store_sensitivity_set(db_path, NULL, method, output, NULL, rows, n, err);
}

parley_status parley_report_store_sensitivity_set(const char *db_path, const char *scenario,
                                                  const char *method, const char *output,
                                                  const char *const *outputs,
                                                  const parley_sensitivity_row *rows, size_t n,
                                                  parley_error *err)
{
    sqlite3 *db = NULL;
    if (parley__report_open_db(db_path, true, &db, err) != PARLEY_OK)
        return err->status;
    if (check_scenario(db, db_path, scenario, err) != PARLEY_OK) {
        sqlite3_close(db);
        return err->status;
    }
    sqlite3_stmt *del = NULL, *ins = NULL;
    bool ok =
        sqlite3_exec(db,
                     "BEGIN;"
                     "CREATE TABLE IF NOT EXISTS sensitivity(method TEXT NOT NULL, output TEXT "
                     "NOT NULL, param TEXT NOT NULL, mu_star REAL, mu REAL, sigma REAL, s1 REAL, "
                     "s1_lo REAL, s1_hi REAL, st REAL, st_lo REAL, st_hi REAL)",
                     NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "DELETE FROM sensitivity WHERE method = ? AND output = ?", -1,
                           &del, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db,
                           "INSERT INTO sensitivity(method, output, param, mu_star, mu, sigma, "
                           "s1, s1_lo, s1_hi, st, st_lo, st_hi) "
                           "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &ins, NULL) == SQLITE_OK;
    /* Every output's earlier rows go before any new row goes in. */
    for (size_t i = 0; ok && i < (outputs ? n : 1); i++) {
        sqlite3_bind_text(del, 1, method, -1, SQLITE_STATIC);
        sqlite3_bind_text(del, 2, outputs ? outputs[i] : output, -1, SQLITE_STATIC);
        ok = sqlite3_step(del) == SQLITE_DONE && sqlite3_reset(del) == SQLITE_OK;
    }
    for (size_t i = 0; ok && i < n; i++) {
        const parley_sensitivity_row *r = &rows[i];
        double v[9] = {r->mu_star, r->mu, r->sigma, r->s1, r->s1_lo, r->s1_hi,
                       r->st, r->st_lo, r->st_hi};
        sqlite3_bind_text(ins, 1, method, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, outputs ? outputs[i] : output, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, r->param, -1, SQLITE_STATIC);
        for (int c = 0; c < 9; c++)
            bind_real(ins, 4 + c, v[c]);
        ok = sqlite3_step(ins) == SQLITE_DONE && sqlite3_reset(ins) == SQLITE_OK;
    }
    ok = ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    parley_status st = PARLEY_OK;
    if (!ok) {
        st = parley_error_add(err, PARLEY_EIO, db_path, "cannot store the sensitivity table: %s",
                              sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    sqlite3_close(db);
    return st;
}
