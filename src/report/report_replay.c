/* One run of a sweep, replayed with its event log so that a person can read
 * the history behind a number in `parley summary` (`parley replay`). A run is
 * a pure function of its scenario, cell, draw and seed (docs/SWEEPS.md), so
 * the database's plan is enough to rebuild it; the stored metrics say whether
 * the replay is the run the sweep made or today's simulator on its seed. */
#include "report_internal.h"

#include "core/alloc.h"
#include "parley/metrics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct parley_replay {
    parley_report_data *data; /* meta and the checked scenario */
    sqlite3 *db;
    parley__replay *plan;
    int64_t cell, draw, run; /* the run held, or -1 */
};

parley_status parley_replay_open(const char *db_path, parley_replay **out, parley_error *err)
{
    *out = NULL;
    parley_replay *r = parley__calloc(1, sizeof *r);
    if (!r)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
    r->cell = r->draw = r->run = -1;
    if (parley__report_data_for_replay(db_path, &r->data, &r->db, err) != PARLEY_OK ||
        parley__replay_new(r->data, db_path, &r->plan, err) != PARLEY_OK) {
        parley_replay_free(r);
        return err->status;
    }
    *out = r;
    return PARLEY_OK;
}

void parley_replay_free(parley_replay *r)
{
    if (!r)
        return;
    parley__replay_free(r->plan);
    parley_report_data_free(r->data);
    sqlite3_close(r->db);
    parley__free(r);
}

/* The stored metrics of (cell, draw, run); *found false when there is no such
 * row; stored[m] false for a metric an older database does not hold. */
static parley_status stored_row(parley_replay *r, int64_t cell, int64_t draw, int64_t run,
                                double *metrics, bool *stored, bool *found, parley_error *err)
{
    char sql[4096];
    int n = snprintf(sql, sizeof sql, "SELECT 1");
    n += parley__report_metric_columns(r->db, sql + n, sizeof sql - (size_t)n, stored);
    snprintf(sql + n, sizeof sql - (size_t)n,
             " FROM runs WHERE cell = ?1 AND draw = ?2 AND run = ?3");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK)
        return parley_error_add(err, PARLEY_EIO, NULL, "cannot read the runs: %s",
                                sqlite3_errmsg(r->db));
    sqlite3_bind_int64(st, 1, cell);
    sqlite3_bind_int64(st, 2, draw);
    sqlite3_bind_int64(st, 3, run);
    *found = sqlite3_step(st) == SQLITE_ROW;
    for (int m = 0; *found && m < PARLEY_METRIC_COUNT; m++)
        metrics[m] = sqlite3_column_type(st, 1 + m) == SQLITE_NULL
                         ? NAN
                         : sqlite3_column_double(st, 1 + m);
    sqlite3_finalize(st);
    return PARLEY_OK;
}

parley_status parley_replay_run(parley_replay *r, int64_t cell, int64_t draw, int64_t run,
                                bool *reproduced, parley_error *err)
{
    double stored[PARLEY_METRIC_COUNT], now[PARLEY_METRIC_COUNT];
    bool held[PARLEY_METRIC_COUNT];
    bool found = false;
    r->cell = r->draw = r->run = -1;
    if (stored_row(r, cell, draw, run, stored, held, &found, err) != PARLEY_OK)
        return err->status;
    if (!found)
        return parley_error_add(err, PARLEY_EINPUT, r->data->db_path,
                                "holds no run %lld of draw %lld in cell %lld (`parley summary` "
                                "shows its cells, draws and runs)",
                                (long long)run, (long long)draw, (long long)cell);
    if (parley__replay_run(r->plan, cell, draw, run, now, err) != PARLEY_OK)
        return err->status;
    r->cell = cell;
    r->draw = draw;
    r->run = run;
    /* What the database holds must match; what it predates cannot. */
    *reproduced = parley__report_same_metrics(now, stored, held);
    return PARLEY_OK;
}

parley_status parley_replay_find(parley_replay *r, int64_t cell, int64_t draw, const char *outcome,
                                 int64_t *draw_out, int64_t *run_out, parley_error *err)
{
    if (strcmp(outcome, "treaty") != 0 && strcmp(outcome, "collapse") != 0 &&
        strcmp(outcome, "none") != 0)
        return parley_error_add(err, PARLEY_EINPUT, "--outcome",
                                "expected treaty, collapse or none, got '%s'", outcome);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT draw, run FROM runs WHERE cell = ?1 AND outcome = ?2 "
                           "AND (?3 < 0 OR draw = ?3) AND draw >= 0 AND run >= 0 "
                           "ORDER BY draw, run LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return parley_error_add(err, PARLEY_EIO, NULL, "cannot read the runs: %s",
                                sqlite3_errmsg(r->db));
    sqlite3_bind_int64(st, 1, cell);
    sqlite3_bind_text(st, 2, outcome, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, draw);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        *draw_out = sqlite3_column_int64(st, 0);
        *run_out = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (!found) {
        char within[64] = "";
        if (draw >= 0)
            snprintf(within, sizeof within, " of draw %lld", (long long)draw);
        return parley_error_add(err, PARLEY_EINPUT, r->data->db_path,
                                "holds no run%s in cell %lld whose outcome is %s", within,
                                (long long)cell, outcome);
    }
    return PARLEY_OK;
}

const parley_sim *parley_replay_sim(const parley_replay *r)
{
    return r->run >= 0 ? parley__replay_sim(r->plan) : NULL;
}

uint64_t parley_replay_seed(const parley_replay *r) { return r->data->seed; }

bool parley_replay_cell_label(const parley_replay *r, int64_t cell, char *buf, size_t size)
{
    if (size)
        buf[0] = '\0';
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(r->db, "SELECT label FROM cells WHERE cell = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, cell);
        const unsigned char *t = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
        if (t && size) {
            snprintf(buf, size, "%s", (const char *)t);
            found = true;
        }
    }
    sqlite3_finalize(st);
    return found;
}
