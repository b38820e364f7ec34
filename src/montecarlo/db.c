/* Results databases: the SQLite schema of docs/SWEEPS.md, resume, and the
 * summaries and paired comparisons read back from it.
 *
 * Crash safety: a new database is built in a temporary file beside the
 * destination and renamed into place once its schema is committed, so the path
 * only ever holds a complete parley database; rows are then added in SQLite
 * transactions, so a kill loses at most the rows of the open transaction and
 * leaves a valid database. A rerun of the same command reads which (cell, draw,
 * run) are present and runs only the others; the primary key makes a duplicate
 * impossible. An existing file is written only after it has been recognised as
 * a database of the same scenario and command. */
#include "mc_internal.h"

#include "core/alloc.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define APP_ID 0x50524c59 /* "PRLY" */
#define SCHEMA_VERSION 2 /* 2: runs.treaty_extent, cell_summary.median_treaty_extent */
#define COMMIT_EVERY 1000

struct parley_results_db {
    sqlite3 *db;
    sqlite3_stmt *ins_run, *ins_support, *ins_belief;
    const parley_plan *plan;
    uint8_t *done;
    uint64_t n_done;
    size_t uncommitted, commit_every;
    bool in_tx;
    char *path;
};

/* A copy of a text column; a NULL (possible in a hand-edited database) reads
 * as "", so that NULL from here means only "out of memory". */
static char *column_copy(sqlite3_stmt *st, int col)
{
    const unsigned char *text = sqlite3_column_text(st, col);
    return parley__strdup(text ? (const char *)text : "");
}

static parley_status sql_error(parley_error *err, sqlite3 *db, const char *path, const char *what)
{
    return parley_error_add(err, PARLEY_EIO, path, "%s: %s", what,
                            db ? sqlite3_errmsg(db) : "cannot open");
}

static int exec(sqlite3 *db, const char *sql) { return sqlite3_exec(db, sql, NULL, NULL, NULL); }

static parley_status set_meta(sqlite3 *db, const char *key, const char *value)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", -1, &st,
                           NULL) != SQLITE_OK)
        return PARLEY_EIO;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? PARLEY_OK : PARLEY_EIO;
}

/* Value of meta `key` (new string, NULL when absent). */
/* A meta value (new, owned by the caller), or NULL when there is none. When
 * `nomem` is given it says whether NULL came from a failed allocation (in
 * SQLite or here) rather than from a missing key. */
static char *get_meta_checked(sqlite3 *db, const char *key, bool *nomem)
{
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    bool oom = false;
    int rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_text(st, 0)) {
            out = parley__strdup((const char *)sqlite3_column_text(st, 0));
            oom = out == NULL;
        }
    }
    oom = oom || rc == SQLITE_NOMEM;
    sqlite3_finalize(st);
    if (nomem)
        *nomem = oom;
    return out;
}


static char *runs_table_sql(void)
{
    size_t len = 512;
    for (int m = 0; m < PARLEY_METRIC_COUNT; m++)
        len += strlen(parley_metric_name((parley_metric)m)) + 8;
    char *sql = parley__malloc(len);
    if (!sql)
        return NULL;
    size_t n = 0;
    sql[0] = '\0';
    parley__append(sql, &n, "CREATE TABLE runs(cell INTEGER NOT NULL, draw INTEGER NOT NULL, "
                            "run INTEGER NOT NULL, seed INTEGER NOT NULL, outcome TEXT NOT NULL");
    for (int m = 0; m < PARLEY_METRIC_COUNT; m++) {
        parley__append(sql, &n, ", ");
        parley__append(sql, &n, parley_metric_name((parley_metric)m));
        parley__append(sql, &n, " REAL");
    }
    parley__append(sql, &n, ", PRIMARY KEY(cell, draw, run)) WITHOUT ROWID");
    return sql;
}

static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE vary(idx INTEGER PRIMARY KEY, path TEXT NOT NULL);"
    "CREATE TABLE cells(cell INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE);"
    "CREATE TABLE cell_values(cell INTEGER NOT NULL, idx INTEGER NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY(cell, idx)) WITHOUT ROWID;"
    "CREATE TABLE params(idx INTEGER PRIMARY KEY, path TEXT NOT NULL);"
    "CREATE TABLE draws(draw INTEGER NOT NULL, idx INTEGER NOT NULL, value REAL,"
    " PRIMARY KEY(draw, idx)) WITHOUT ROWID;"
    "CREATE TABLE series(cell INTEGER NOT NULL, draw INTEGER NOT NULL, run INTEGER NOT NULL,"
    " round INTEGER NOT NULL, actor TEXT NOT NULL, support REAL,"
    " PRIMARY KEY(cell, draw, run, round, actor)) WITHOUT ROWID;"
    "CREATE TABLE series_belief(cell INTEGER NOT NULL, draw INTEGER NOT NULL,"
    " run INTEGER NOT NULL, round INTEGER NOT NULL, actor TEXT NOT NULL, other TEXT NOT NULL,"
    " belief REAL, PRIMARY KEY(cell, draw, run, round, actor, other)) WITHOUT ROWID;"
    "CREATE TABLE cell_summary(cell INTEGER PRIMARY KEY, runs INTEGER, draws INTEGER,"
    " p_treaty REAL, p_treaty_lo REAL, p_treaty_hi REAL,"
    " p_treaty_draw_q05 REAL, p_treaty_draw_q50 REAL, p_treaty_draw_q95 REAL,"
    " p_collapse REAL, p_collapse_lo REAL, p_collapse_hi REAL,"
    " p_collapse_draw_q05 REAL, p_collapse_draw_q50 REAL, p_collapse_draw_q95 REAL,"
    " median_months_to_treaty REAL, mean_cbm_rungs REAL, median_treaty_extent REAL);";

static void hex64(char out[17], uint64_t x) { snprintf(out, 17, "%016llx", (unsigned long long)x); }

/* Writes the schema and the plan's description into the open, empty db. */
static parley_status write_schema(sqlite3 *db, const parley_plan *p, const char *cmdline)
{
    char *runs_sql = runs_table_sql();
    if (!runs_sql)
        return PARLEY_ENOMEM;
    char buf[64];
    bool ok = exec(db, "PRAGMA application_id = 1347570777; PRAGMA user_version = 1;") ==
                  SQLITE_OK &&
              exec(db, "BEGIN") == SQLITE_OK && exec(db, schema_sql) == SQLITE_OK &&
              exec(db, runs_sql) == SQLITE_OK;
    parley__free(runs_sql);
    ok = ok && set_meta(db, "format", "parley-sweep") == PARLEY_OK;
    snprintf(buf, sizeof buf, "%d", SCHEMA_VERSION);
    ok = ok && set_meta(db, "schema_version", buf) == PARLEY_OK;
    ok = ok && set_meta(db, "parley_version", PARLEY_VERSION) == PARLEY_OK;
    ok = ok && set_meta(db, "scenario", parley_scenario_name(parley_plan_scenario(p))) == PARLEY_OK;
    hex64(buf, parley_plan_scenario_hash(p));
    ok = ok && set_meta(db, "scenario_hash", buf) == PARLEY_OK;
    hex64(buf, parley_plan_command_hash(p));
    ok = ok && set_meta(db, "command_hash", buf) == PARLEY_OK;
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)parley_plan_seed(p));
    ok = ok && set_meta(db, "seed", buf) == PARLEY_OK;
    snprintf(buf, sizeof buf, "%lu", (unsigned long)parley_plan_runs(p));
    ok = ok && set_meta(db, "runs", buf) == PARLEY_OK;
    snprintf(buf, sizeof buf, "%lu", (unsigned long)parley_plan_draws(p));
    ok = ok && set_meta(db, "draws", buf) == PARLEY_OK;
    snprintf(buf, sizeof buf, "%zu", parley_plan_cells(p));
    ok = ok && set_meta(db, "cells", buf) == PARLEY_OK;
    ok = ok && set_meta(db, "command", cmdline ? cmdline : "") == PARLEY_OK;
    sqlite3_stmt *st = NULL;
    if (ok && sqlite3_prepare_v2(db, "INSERT INTO vary(idx, path) VALUES(?, ?)", -1, &st, NULL) ==
                  SQLITE_OK) {
        for (size_t v = 0; ok && v < parley_plan_vary_count(p); v++) {
            sqlite3_bind_int64(st, 1, (sqlite3_int64)v);
            sqlite3_bind_text(st, 2, parley_plan_vary_path(p, v), -1, SQLITE_STATIC);
            ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_reset(st) == SQLITE_OK;
        }
    } else {
        ok = false;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (ok && sqlite3_prepare_v2(db, "INSERT INTO cells(cell, label) VALUES(?, ?)", -1, &st,
                                 NULL) == SQLITE_OK) {
        for (size_t c = 0; ok && c < parley_plan_cells(p); c++) {
            sqlite3_bind_int64(st, 1, (sqlite3_int64)c);
            sqlite3_bind_text(st, 2, parley_plan_cell_label(p, c), -1, SQLITE_STATIC);
            ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_reset(st) == SQLITE_OK;
        }
    } else {
        ok = false;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (ok && sqlite3_prepare_v2(db, "INSERT INTO cell_values(cell, idx, value) VALUES(?, ?, ?)",
                                 -1, &st, NULL) == SQLITE_OK) {
        for (size_t c = 0; ok && c < parley_plan_cells(p); c++)
            for (size_t v = 0; ok && v < parley_plan_vary_count(p); v++) {
                sqlite3_bind_int64(st, 1, (sqlite3_int64)c);
                sqlite3_bind_int64(st, 2, (sqlite3_int64)v);
                sqlite3_bind_text(st, 3, parley_plan_cell_value(p, c, v), -1, SQLITE_STATIC);
                ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_reset(st) == SQLITE_OK;
            }
    } else {
        ok = false;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (ok && sqlite3_prepare_v2(db, "INSERT INTO params(idx, path) VALUES(?, ?)", -1, &st,
                                 NULL) == SQLITE_OK) {
        for (size_t j = 0; ok && j < parley_plan_param_count(p); j++) {
            sqlite3_bind_int64(st, 1, (sqlite3_int64)j);
            sqlite3_bind_text(st, 2, parley_plan_param(p, j), -1, SQLITE_STATIC);
            ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_reset(st) == SQLITE_OK;
        }
    } else {
        ok = false;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (ok && sqlite3_prepare_v2(db, "INSERT INTO draws(draw, idx, value) VALUES(?, ?, ?)", -1,
                                 &st, NULL) == SQLITE_OK) {
        for (uint32_t d = 0; ok && d < parley_plan_draws(p); d++)
            for (size_t j = 0; ok && j < parley_plan_param_count(p); j++) {
                sqlite3_bind_int64(st, 1, d);
                sqlite3_bind_int64(st, 2, (sqlite3_int64)j);
                sqlite3_bind_double(st, 3, parley_plan_draw_value(p, d, j));
                ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_reset(st) == SQLITE_OK;
            }
    } else {
        ok = false;
    }
    sqlite3_finalize(st);
    ok = ok && exec(db, "COMMIT") == SQLITE_OK;
    return ok ? PARLEY_OK : PARLEY_EIO;
}

/* The process umask without changing it (as src/core/atomic_file.c reads it:
 * umask() would race with other threads); 022 where /proc is absent. */
static mode_t current_umask(void)
{
    mode_t mask = 022;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return mask;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "Umask:", 6) == 0) {
            char *end = NULL;
            unsigned long v = strtoul(line + 6, &end, 8);
            if (end != line + 6 && v <= 0777)
                mask = (mode_t)v;
            break;
        }
    }
    fclose(f);
    return mask;
}

/* Creates a new database at `path` through a temporary file and a rename. */
static parley_status create_db(const char *path, const parley_plan *p, const char *cmdline,
                               parley_error *err)
{
    size_t len = strlen(path);
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    char *tmp = parley__malloc(len + 32);
    if (!tmp)
        return parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
    snprintf(tmp, len + 32, "%.*s.%s.tmp.XXXXXX", (int)dirlen, path, path + dirlen);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        parley_error_add(err, PARLEY_EINPUT, path,
                         "cannot create the output database here (%s)", strerror(errno));
        parley__free(tmp);
        return err->status;
    }
    /* mkstemp makes 0600; a database is an ordinary output file. */
    if (fchmod(fd, 0666 & ~current_umask()) != 0) {
        /* Not fatal: the file is still usable by its owner. */
    }
    close(fd);
    sqlite3 *db = NULL;
    parley_status st = PARLEY_OK;
    if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        st = sql_error(err, db, path, "cannot create the database");
    else if ((st = write_schema(db, p, cmdline)) != PARLEY_OK)
        sql_error(err, db, path, "cannot write the schema");
    if (sqlite3_close(db) != SQLITE_OK && st == PARLEY_OK)
        st = parley_error_add(err, PARLEY_EIO, path, "cannot close the new database");
    if (st == PARLEY_OK && rename(tmp, path) != 0)
        st = parley_error_add(err, PARLEY_EINPUT, path, "cannot create the output database (%s)",
                              strerror(errno));
    if (st != PARLEY_OK)
        remove(tmp);
    parley__free(tmp);
    return st;
}

/* Opens an existing file and checks that it is a parley results database;
 * never writes. `flags` as sqlite3_open_v2. */
static parley_status open_existing(const char *path, int flags, sqlite3 **out, parley_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return parley_error_add(err, PARLEY_EINPUT, path, "cannot open (%s)", strerror(errno));
    char head[16] = {0};
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    if (got < 16 || memcmp(head, "SQLite format 3", 16) != 0)
        return parley_error_add(err, PARLEY_EINPUT, path,
                                "not a parley results database (not an SQLite file); "
                                "choose another --out or remove it");
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        parley_error_add(err, PARLEY_EINPUT, path, "cannot open the database: %s",
                         db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return err->status;
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt *st = NULL;
    int app = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        app = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    bool nomem = false;
    char *fmt = app == APP_ID ? get_meta_checked(db, "format", &nomem) : NULL;
    bool ok = fmt && strcmp(fmt, "parley-sweep") == 0;
    parley__free(fmt);
    if (nomem) { /* out of memory is not a verdict on the file */
        sqlite3_close(db);
        return parley_error_add(err, PARLEY_ENOMEM, path, "out of memory reading the database");
    }
    if (!ok) {
        sqlite3_close(db);
        return parley_error_add(err, PARLEY_EINPUT, path,
                                "not a parley results database (no parley sweep schema)");
    }
    *out = db;
    return PARLEY_OK;
}

static parley_status prepare_inserts(parley_results_db *r, parley_error *err)
{
    size_t len = 256;
    for (int m = 0; m < PARLEY_METRIC_COUNT; m++)
        len += strlen(parley_metric_name((parley_metric)m)) + 8;
    char *sql = parley__malloc(len);
    if (!sql)
        return parley_error_add(err, PARLEY_ENOMEM, r->path, "no memory");
    size_t n = 0;
    sql[0] = '\0';
    parley__append(sql, &n, "INSERT INTO runs(cell, draw, run, seed, outcome");
    for (int m = 0; m < PARLEY_METRIC_COUNT; m++) {
        parley__append(sql, &n, ", ");
        parley__append(sql, &n, parley_metric_name((parley_metric)m));
    }
    parley__append(sql, &n, ") VALUES(?, ?, ?, ?, ?");
    for (int m = 0; m < PARLEY_METRIC_COUNT; m++)
        parley__append(sql, &n, ", ?");
    parley__append(sql, &n, ")");
    int rc = sqlite3_prepare_v2(r->db, sql, -1, &r->ins_run, NULL);
    parley__free(sql);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(r->db,
                                "INSERT INTO series(cell, draw, run, round, actor, support) "
                                "VALUES(?, ?, ?, ?, ?, ?)",
                                -1, &r->ins_support, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(r->db,
                                "INSERT INTO series_belief(cell, draw, run, round, actor, other, "
                                "belief) VALUES(?, ?, ?, ?, ?, ?, ?)",
                                -1, &r->ins_belief, NULL);
    return rc == SQLITE_OK ? PARLEY_OK : sql_error(err, r->db, r->path, "cannot prepare");
}

parley_status parley_results_db_open(const char *path, const parley_plan *plan,
                                     const char *command_line, parley_results_db **out,
                                     parley_error *err)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) == 0) {
        if (!S_ISREG(sb.st_mode))
            return parley_error_add(err, PARLEY_EINPUT, path, "is not a regular file");
    } else if (errno == ENOENT) {
        if (create_db(path, plan, command_line, err) != PARLEY_OK)
            return err->status;
    } else {
        return parley_error_add(err, PARLEY_EINPUT, path, "cannot use as output (%s)",
                                strerror(errno));
    }
    sqlite3 *db = NULL;
    if (open_existing(path, SQLITE_OPEN_READWRITE, &db, err) != PARLEY_OK)
        return err->status;
    /* Out of memory must not read as "another scenario" or "another version". */
    bool oom[5] = {false, false, false, false, false};
    char want[17], *got_scen = get_meta_checked(db, "scenario_hash", &oom[0]);
    char *got_cmd = get_meta_checked(db, "command_hash", &oom[1]);
    char *schema = get_meta_checked(db, "schema_version", &oom[2]);
    snprintf(want, sizeof want, "%d", SCHEMA_VERSION);
    bool same_schema = schema && strcmp(schema, want) == 0;
    parley__free(schema);
    hex64(want, parley_plan_scenario_hash(plan));
    if (oom[0] || oom[1] || oom[2]) {
        parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
    } else if (!same_schema) {
        /* Its runs lack columns this version writes; resuming would mix two kinds. */
        parley_error_add(err, PARLEY_EINPUT, path,
                         "was written by another version of parley (results schema other than "
                         "%d); it is left as it is: choose another --out",
                         SCHEMA_VERSION);
    } else if (!got_scen || strcmp(got_scen, want) != 0) {
        char *name = get_meta_checked(db, "scenario", &oom[3]);
        if (oom[3])
            parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
        else
            parley_error_add(err, PARLEY_EINPUT, path,
                         "holds results of another scenario ('%s', or the same one changed since); "
                         "it is left as it is: choose another --out",
                         name ? name : "?");
        parley__free(name);
    } else {
        hex64(want, parley_plan_command_hash(plan));
        if (!got_cmd || strcmp(got_cmd, want) != 0) {
            char *cmd = get_meta_checked(db, "command", &oom[4]);
            if (oom[4])
                parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
            else
                parley_error_add(err, PARLEY_EINPUT, path,
                             "was made by a different sweep of this scenario (%s); only the same "
                             "command resumes it; it is left as it is: choose another --out",
                             cmd && cmd[0] ? cmd : "other options");
            parley__free(cmd);
        }
    }
    parley__free(got_scen);
    parley__free(got_cmd);
    parley_results_db *r = NULL;
    if (err->status != PARLEY_OK)
        goto fail;
    r = parley__calloc(1, sizeof *r);
    uint64_t total = parley_plan_total_runs(plan);
    if (r) {
        r->path = parley__strdup(path);
        r->done = parley__calloc((size_t)(total / 8 + 1), 1);
    }
    if (!r || !r->path || !r->done) {
        parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
        goto fail;
    }
    r->db = db;
    r->plan = plan;
    r->commit_every = COMMIT_EVERY;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT cell, draw, run FROM runs", -1, &st, NULL) != SQLITE_OK) {
        sql_error(err, db, path, "cannot read runs");
        goto fail;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 c = sqlite3_column_int64(st, 0), d = sqlite3_column_int64(st, 1),
                      n = sqlite3_column_int64(st, 2);
        if (c < 0 || (uint64_t)c >= parley_plan_cells(plan) || d < 0 ||
            d >= parley_plan_draws(plan) || n < 0 || n >= parley_plan_runs(plan))
            continue;
        uint64_t bit = ((uint64_t)c * parley_plan_draws(plan) + (uint64_t)d) *
                           parley_plan_runs(plan) + (uint64_t)n;
        r->done[bit >> 3] |= (uint8_t)(1u << (bit & 7));
        r->n_done++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        sql_error(err, db, path, "cannot read runs");
        goto fail;
    }
    exec(db, "PRAGMA synchronous = NORMAL");
    if (prepare_inserts(r, err) != PARLEY_OK)
        goto fail;
    *out = r;
    return PARLEY_OK;
fail:
    if (r) {
        r->db = NULL;
        parley_results_db_close(r);
    }
    sqlite3_close(db);
    return err->status;
}

void parley_results_db_set_commit_every(parley_results_db *r, size_t rows)
{
    r->commit_every = rows ? rows : 1;
}

const uint8_t *parley_results_db_done(const parley_results_db *r) { return r->done; }
uint64_t parley_results_db_done_count(const parley_results_db *r) { return r->n_done; }

static void bind_real(sqlite3_stmt *st, int i, double x)
{
    if (isnan(x))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, x);
}

parley_status parley_results_db_sink(void *user, const parley_run_row *rows, size_t n,
                                     parley_error *err)
{
    parley_results_db *r = user;
    if (!r->in_tx) {
        if (exec(r->db, "BEGIN") != SQLITE_OK)
            return sql_error(err, r->db, r->path, "cannot begin a transaction");
        r->in_tx = true;
    }
    const parley_scenario *sc = parley_plan_scenario(r->plan);
    sqlite3_int64 seed = (sqlite3_int64)parley_plan_seed(r->plan);
    for (size_t i = 0; i < n; i++) {
        const parley_run_row *row = &rows[i];
        sqlite3_stmt *st = r->ins_run;
        sqlite3_bind_int64(st, 1, row->cell);
        sqlite3_bind_int64(st, 2, row->draw);
        sqlite3_bind_int64(st, 3, row->run);
        sqlite3_bind_int64(st, 4, seed);
        sqlite3_bind_text(st, 5, parley_outcome_name(row->outcome), -1, SQLITE_STATIC);
        for (int m = 0; m < PARLEY_METRIC_COUNT; m++)
            bind_real(st, 6 + m, row->metric[m]);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_reset(st);
            return sql_error(err, r->db, r->path, "cannot insert a run");
        }
        sqlite3_reset(st);
        if (row->series) {
            size_t na = row->series_actors, full = parley_scenario_rounds(sc);
            for (uint32_t t = 0; t < row->series_rounds; t++)
                for (size_t a = 0; a < na; a++) {
                    sqlite3_stmt *s = r->ins_support;
                    sqlite3_bind_int64(s, 1, row->cell);
                    sqlite3_bind_int64(s, 2, row->draw);
                    sqlite3_bind_int64(s, 3, row->run);
                    sqlite3_bind_int64(s, 4, t);
                    sqlite3_bind_text(s, 5, parley_scenario_actor_id(sc, a), -1, SQLITE_STATIC);
                    bind_real(s, 6, row->series[t * na + a]);
                    int rc = sqlite3_step(s);
                    sqlite3_reset(s);
                    if (rc != SQLITE_DONE)
                        return sql_error(err, r->db, r->path, "cannot insert a series");
                    for (size_t o = 0; o < na; o++) {
                        if (o == a)
                            continue;
                        sqlite3_stmt *b = r->ins_belief;
                        sqlite3_bind_int64(b, 1, row->cell);
                        sqlite3_bind_int64(b, 2, row->draw);
                        sqlite3_bind_int64(b, 3, row->run);
                        sqlite3_bind_int64(b, 4, t);
                        sqlite3_bind_text(b, 5, parley_scenario_actor_id(sc, a), -1,
                                          SQLITE_STATIC);
                        sqlite3_bind_text(b, 6, parley_scenario_actor_id(sc, o), -1,
                                          SQLITE_STATIC);
                        bind_real(b, 7, row->series[full * na + (t * na + a) * na + o]);
                        rc = sqlite3_step(b);
                        sqlite3_reset(b);
                        if (rc != SQLITE_DONE)
                            return sql_error(err, r->db, r->path, "cannot insert a series");
                    }
                }
        }
    }
    r->n_done += n;
    r->uncommitted += n;
    if (r->uncommitted >= r->commit_every) {
        if (exec(r->db, "COMMIT") != SQLITE_OK)
            return sql_error(err, r->db, r->path, "cannot commit");
        r->in_tx = false;
        r->uncommitted = 0;
    }
    return PARLEY_OK;
}

static parley_status write_summary_table(sqlite3 *db, const parley_summary_set *s)
{
    sqlite3_stmt *st = NULL;
    if (exec(db, "DELETE FROM cell_summary") != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO cell_summary VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                           " ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return PARLEY_EIO;
    bool ok = true;
    for (size_t c = 0; ok && c < s->n_cells; c++) {
        const parley_cell_summary *x = &s->cells[c];
        double v[] = {x->p_treaty.estimate,  x->p_treaty.lo,          x->p_treaty.hi,
                      x->p_treaty_draw_q05,  x->p_treaty_draw_q50,    x->p_treaty_draw_q95,
                      x->p_collapse.estimate, x->p_collapse.lo,       x->p_collapse.hi,
                      x->p_collapse_draw_q05, x->p_collapse_draw_q50, x->p_collapse_draw_q95,
                      x->median_months_to_treaty, x->mean_cbm_rungs, x->median_treaty_extent};
        sqlite3_bind_int64(st, 1, x->cell);
        sqlite3_bind_int64(st, 2, x->runs);
        sqlite3_bind_int64(st, 3, x->draws);
        for (int i = 0; i < (int)(sizeof v / sizeof v[0]); i++)
            bind_real(st, 4 + i, v[i]);
        ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_reset(st) == SQLITE_OK;
    }
    sqlite3_finalize(st);
    return ok ? PARLEY_OK : PARLEY_EIO;
}

static parley_status summarise(sqlite3 *db, const char *path, double min_extent,
                               parley_summary_set **out, parley_error *err);

parley_status parley_results_db_finish(parley_results_db *r, parley_error *err)
{
    if (r->in_tx) {
        if (exec(r->db, "COMMIT") != SQLITE_OK)
            return sql_error(err, r->db, r->path, "cannot commit");
        r->in_tx = false;
        r->uncommitted = 0;
    }
    if (r->n_done < parley_plan_total_runs(r->plan))
        return PARLEY_OK;
    parley_summary_set *s = NULL;
    if (summarise(r->db, r->path, 0.0, &s, err) != PARLEY_OK)
        return err->status;
    parley_status st = PARLEY_OK;
    if (exec(r->db, "BEGIN") != SQLITE_OK || write_summary_table(r->db, s) != PARLEY_OK ||
        exec(r->db, "COMMIT") != SQLITE_OK) {
        exec(r->db, "ROLLBACK");
        st = sql_error(err, r->db, r->path, "cannot write the cell summaries");
    }
    parley_summary_set_free(s);
    return st;
}

void parley_results_db_close(parley_results_db *r)
{
    if (!r)
        return;
    sqlite3_finalize(r->ins_run);
    sqlite3_finalize(r->ins_support);
    sqlite3_finalize(r->ins_belief);
    if (r->db) {
        if (r->in_tx)
            exec(r->db, "ROLLBACK");
        sqlite3_close(r->db);
    }
    parley__free(r->done);
    parley__free(r->path);
    parley__free(r);
}

/* ---- reading ---------------------------------------------------------------- */

void parley_mc_string_free(char *s) { parley__free(s); }

void parley_summary_set_free(parley_summary_set *s)
{
    if (!s)
        return;
    for (size_t c = 0; s->cells && c < s->n_cells; c++) { /* cells may have failed to allocate */
        parley__free(s->cells[c].label);
        if (s->cells[c].values)
            for (size_t v = 0; v < s->n_vary; v++)
                parley__free(s->cells[c].values[v]);
        parley__free(s->cells[c].values);
    }
    parley__free(s->cells);
    if (s->vary_paths)
        for (size_t v = 0; v < s->n_vary; v++)
            parley__free(s->vary_paths[v]);
    parley__free(s->vary_paths);
    parley__free(s->scenario);
    parley__free(s);
}

/* The median of the values `st` returns in order for `cell` (bound as its
 * first parameter), from the two middle order statistics; NAN without any. */
static double ordered_median(sqlite3_stmt *st, int64_t cell)
{
    sqlite3_bind_int64(st, 1, cell);
    size_t cnt = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        cnt++;
    sqlite3_reset(st);
    if (!cnt)
        return NAN;
    size_t want_lo = (cnt - 1) / 2, want_hi = cnt / 2, i = 0;
    double lo = NAN, hi = NAN;
    while (sqlite3_step(st) == SQLITE_ROW && i <= want_hi) {
        if (i == want_lo)
            lo = sqlite3_column_double(st, 0);
        if (i == want_hi)
            hi = sqlite3_column_double(st, 0);
        i++;
    }
    sqlite3_reset(st);
    return 0.5 * (lo + hi);
}

static int64_t count_of(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* A count from meta, clamped to 0..2^32-1 (what a plan can hold), so that a
 * hand-edited value cannot overflow the arithmetic below. */
static int64_t meta_count(const char *text)
{
    if (!text)
        return 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (end == text || v < 0)
        return 0;
    return v > (long long)UINT32_MAX ? (int64_t)UINT32_MAX : (int64_t)v;
}

/* Whether the runs carry treaty extents: databases of results schema 1 do not. */
static bool runs_have_extent(sqlite3 *db)
{
    return count_of(db, "SELECT count(*) FROM pragma_table_info('runs') "
                        "WHERE name = 'treaty_extent'") > 0;
}

static parley_status open_readonly(const char *path, sqlite3 **db, parley_error *err);

/* Opens a results database read-only for a summary or a comparison that
 * counts treaties from min_extent on (0: all), which must be in [0, 100] and,
 * above 0, needs a database that records extents. */
static parley_status open_for_extent(const char *path, double min_extent, sqlite3 **db,
                                     parley_error *err)
{
    *db = NULL;
    if (!(min_extent >= 0.0 && min_extent <= 100.0))
        return parley_error_add(err, PARLEY_EUSAGE, "--min-extent",
                                "must be a number in [0, 100], got %g", min_extent);
    if (open_readonly(path, db, err) != PARLEY_OK)
        return err->status;
    if (min_extent > 0.0 && !runs_have_extent(*db)) {
        sqlite3_close(*db);
        *db = NULL;
        return parley_error_add(err, PARLEY_EINPUT, path,
                                "has no treaty extents (written before results schema 2), so "
                                "treaties cannot be filtered by extent");
    }
    return PARLEY_OK;
}

/* min_extent > 0 counts as treaties only those whose peace-regime extent
 * reaches it (the months and extents are then theirs too); the caller has
 * checked that the database records extents then. */
static parley_status summarise(sqlite3 *db, const char *path, double min_extent,
                               parley_summary_set **out, parley_error *err)
{
    *out = NULL;
    /* Databases of schema 1 have no treaty_extent: their summary shows none. */
    bool has_extent = runs_have_extent(db);
    bool filter = min_extent > 0.0;
    parley_summary_set *s = parley__calloc(1, sizeof *s);
    if (!s)
        return parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
    s->min_treaty_extent = filter ? min_extent : 0.0;
    bool oom[3] = {false, false, false};
    s->scenario = get_meta_checked(db, "scenario", &oom[0]);
    char *runs = get_meta_checked(db, "runs", &oom[1]), *draws = get_meta_checked(db, "draws", &oom[2]);
    s->runs_per_cell_draw = meta_count(runs);
    s->draws = meta_count(draws);
    parley__free(runs);
    parley__free(draws);
    int64_t nv = count_of(db, "SELECT count(*) FROM vary");
    int64_t nc = count_of(db, "SELECT count(*) FROM cells");
    double *succ_t = NULL, *succ_c = NULL, *n = NULL, *pt = NULL, *pc = NULL, *months = NULL;
    sqlite3_stmt *st = NULL;
    if (oom[0] || oom[1] || oom[2])
        goto nomem;
    if (nv < 0 || nc < 0)
        goto sqlfail;
    s->n_vary = (size_t)nv;
    s->n_cells = (size_t)nc;
    s->vary_paths = PARLEY_NEW_ARRAY(char *, s->n_vary + 1);
    s->cells = PARLEY_NEW_ARRAY(parley_cell_summary, s->n_cells + 1);
    if (!s->vary_paths || !s->cells)
        goto nomem;
    if (sqlite3_prepare_v2(db, "SELECT path FROM vary ORDER BY idx", -1, &st, NULL) != SQLITE_OK)
        goto sqlfail;
    for (size_t v = 0; v < s->n_vary && sqlite3_step(st) == SQLITE_ROW; v++)
        if (!(s->vary_paths[v] = column_copy(st, 0)))
            goto nomem;
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT cell, label FROM cells ORDER BY cell", -1, &st, NULL) !=
        SQLITE_OK)
        goto sqlfail;
    for (size_t c = 0; c < s->n_cells && sqlite3_step(st) == SQLITE_ROW; c++) {
        s->cells[c].cell = sqlite3_column_int64(st, 0);
        if (!(s->cells[c].label = column_copy(st, 1)))
            goto nomem;
        if (!(s->cells[c].values = PARLEY_NEW_ARRAY(char *, s->n_vary + 1)))
            goto nomem;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT cell, idx, value FROM cell_values", -1, &st, NULL) !=
        SQLITE_OK)
        goto sqlfail;
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 c = sqlite3_column_int64(st, 0), v = sqlite3_column_int64(st, 1);
        if (c >= 0 && c < nc && v >= 0 && v < nv && s->cells[c].cell == c &&
            !s->cells[c].values[v])
            if (!(s->cells[c].values[v] =
                      column_copy(st, 2)))
                goto nomem;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* Arrays sized by the draws actually present, never by meta (which a
     * hand-edited database may get wrong). */
    int64_t present = count_of(db, "SELECT count(DISTINCT draw) FROM runs");
    if (present < 0)
        goto sqlfail;
    size_t m = present > 0 ? (size_t)present : 1;
    succ_t = PARLEY_NEW_ARRAY(double, m);
    succ_c = PARLEY_NEW_ARRAY(double, m);
    n = PARLEY_NEW_ARRAY(double, m);
    pt = PARLEY_NEW_ARRAY(double, m);
    pc = PARLEY_NEW_ARRAY(double, m);
    if (!succ_t || !succ_c || !n || !pt || !pc)
        goto nomem;
    /* ?2 is the least extent a treaty must reach; -1 admits every treaty. */
    if (sqlite3_prepare_v2(db,
                           filter ? "SELECT draw, count(*), "
                                    "sum(treaty = 1 AND treaty_extent >= ?2), sum(collapse), "
                                    "sum(cbm_rungs), count(cbm_rungs) FROM runs WHERE cell = ?1 "
                                    "GROUP BY draw ORDER BY draw"
                                  : "SELECT draw, count(*), sum(treaty), sum(collapse), "
                                    "sum(cbm_rungs), count(cbm_rungs) FROM runs WHERE cell = ?1 "
                                    "GROUP BY draw ORDER BY draw",
                           -1, &st, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_stmt *mt = NULL, *et = NULL;
    if (sqlite3_prepare_v2(db,
                           filter ? "SELECT treaty_month FROM runs WHERE cell = ?1 AND treaty = 1 "
                                    "AND treaty_extent >= ?2 AND treaty_month IS NOT NULL "
                                    "ORDER BY treaty_month"
                                  : "SELECT treaty_month FROM runs WHERE cell = ?1 AND treaty = 1 "
                                    "AND treaty_month IS NOT NULL ORDER BY treaty_month",
                           -1, &mt, NULL) != SQLITE_OK)
        goto sqlfail;
    if (has_extent &&
        sqlite3_prepare_v2(db,
                           "SELECT treaty_extent FROM runs WHERE cell = ?1 AND treaty = 1 AND "
                           "treaty_extent IS NOT NULL AND treaty_extent >= ?2 "
                           "ORDER BY treaty_extent",
                           -1, &et, NULL) != SQLITE_OK) {
        sqlite3_finalize(mt);
        goto sqlfail;
    }
    double least = filter ? min_extent : -1.0;
    if (filter) {
        sqlite3_bind_double(st, 2, least);
        sqlite3_bind_double(mt, 2, least);
    }
    if (et)
        sqlite3_bind_double(et, 2, least);
    bool complete = true;
    for (size_t c = 0; c < s->n_cells; c++) {
        parley_cell_summary *x = &s->cells[c];
        sqlite3_bind_int64(st, 1, x->cell);
        size_t k = 0;
        double rungs = 0, rung_n = 0;
        while (sqlite3_step(st) == SQLITE_ROW && k < m) {
            n[k] = (double)sqlite3_column_int64(st, 1);
            succ_t[k] = sqlite3_column_double(st, 2);
            succ_c[k] = sqlite3_column_double(st, 3);
            rungs += sqlite3_column_double(st, 4);
            rung_n += sqlite3_column_double(st, 5);
            pt[k] = succ_t[k] / n[k];
            pc[k] = succ_c[k] / n[k];
            x->runs += (int64_t)n[k];
            k++;
        }
        sqlite3_reset(st);
        x->draws = (int64_t)k;
        if ((uint64_t)x->runs != (uint64_t)s->draws * (uint64_t)s->runs_per_cell_draw)
            complete = false;
        x->p_treaty = parley_clustered_proportion(succ_t, n, k);
        x->p_collapse = parley_clustered_proportion(succ_c, n, k);
        x->p_treaty_draw_q05 = parley_quantile(pt, k, 0.05);
        x->p_treaty_draw_q50 = parley_quantile(pt, k, 0.5);
        x->p_treaty_draw_q95 = parley_quantile(pt, k, 0.95);
        x->p_collapse_draw_q05 = parley_quantile(pc, k, 0.05);
        x->p_collapse_draw_q50 = parley_quantile(pc, k, 0.5);
        x->p_collapse_draw_q95 = parley_quantile(pc, k, 0.95);
        x->mean_cbm_rungs = rung_n > 0 ? rungs / rung_n : NAN;
        x->median_months_to_treaty = ordered_median(mt, x->cell);
        x->median_treaty_extent = et ? ordered_median(et, x->cell) : NAN;
    }
    sqlite3_finalize(mt);
    sqlite3_finalize(et);
    s->complete = complete;
    sqlite3_finalize(st);
    parley__free(succ_t);
    parley__free(succ_c);
    parley__free(n);
    parley__free(pt);
    parley__free(pc);
    parley__free(months);
    *out = s;
    return PARLEY_OK;
nomem:
    parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
    goto fail;
sqlfail:
    sql_error(err, db, path, "cannot read the results");
fail:
    sqlite3_finalize(st);
    parley__free(succ_t);
    parley__free(succ_c);
    parley__free(n);
    parley__free(pt);
    parley__free(pc);
    parley__free(months);
    parley_summary_set_free(s);
    return err->status;
}

static parley_status open_readonly(const char *path, sqlite3 **db, parley_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return parley_error_add(err, PARLEY_EINPUT, path, "no such results database (%s)",
                                strerror(errno));
    return open_existing(path, SQLITE_OPEN_READONLY, db, err);
}

parley_status parley_results_summary(const char *path, parley_summary_set **out,
                                     parley_error *err)
{
    *out = NULL;
    return parley_results_summary_min_extent(path, 0.0, out, err);
}

parley_status parley_results_summary_min_extent(const char *path, double min_extent,
                                                parley_summary_set **out, parley_error *err)
{
    *out = NULL;
    sqlite3 *db = NULL;
    if (open_for_extent(path, min_extent, &db, err) != PARLEY_OK)
        return err->status;
    parley_status st = summarise(db, path, min_extent, out, err);
    sqlite3_close(db);
    return st;
}

/* Finds a cell by number or label. */
static bool find_cell(sqlite3 *db, const char *name, int64_t *cell, char **label)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    char *end;
    long long num = strtoll(name, &end, 10);
    bool numeric = name[0] && !*end;
    if (sqlite3_prepare_v2(db, "SELECT cell, label FROM cells WHERE cell = ? OR label = ?", -1,
                           &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_int64(st, 1, numeric ? num : -1);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *cell = sqlite3_column_int64(st, 0);
        *label = column_copy(st, 1);
        found = *label != NULL;
    }
    sqlite3_finalize(st);
    return found;
}

parley_status parley_results_compare(const char *path, const char *cell_a, const char *cell_b,
                                     parley_contrast out[PARLEY_CONTRASTS], char **label_a,
                                     char **label_b, parley_error *err)
{
    return parley_results_compare_min_extent(path, cell_a, cell_b, 0.0, out, label_a, label_b,
                                             err);
}

parley_status parley_results_compare_min_extent(const char *path, const char *cell_a,
                                                const char *cell_b, double min_extent,
                                                parley_contrast out[PARLEY_CONTRASTS],
                                                char **label_a, char **label_b, parley_error *err)
{
    *label_a = *label_b = NULL;
    sqlite3 *db = NULL;
    if (open_for_extent(path, min_extent, &db, err) != PARLEY_OK)
        return err->status;
    bool filter = min_extent > 0.0;
    int64_t ca = -1, cb = -1;
    if (!find_cell(db, cell_a, &ca, label_a))
        parley_error_add(err, PARLEY_EINPUT, path,
                         "no cell '%s' (name a cell by its number or its label; "
                         "`parley summary` lists them)",
                         cell_a);
    if (!find_cell(db, cell_b, &cb, label_b))
        parley_error_add(err, PARLEY_EINPUT, path,
                         "no cell '%s' (name a cell by its number or its label; "
                         "`parley summary` lists them)",
                         cell_b);
    sqlite3_stmt *st = NULL;
    double *buf = NULL;
    if (err->status != PARLEY_OK)
        goto done;
    /* A treaty below the least extent counts as none (NULL reads as 0 below). */
    if (sqlite3_prepare_v2(db,
                           filter ? "SELECT a.draw, a.treaty = 1 AND a.treaty_extent >= ?3, "
                                    "b.treaty = 1 AND b.treaty_extent >= ?3, a.collapse, "
                                    "b.collapse, a.cbm_rungs, b.cbm_rungs FROM runs a JOIN runs b "
                                    "ON a.draw = b.draw AND a.run = b.run "
                                    "WHERE a.cell = ?1 AND b.cell = ?2 ORDER BY a.draw, a.run"
                                  : "SELECT a.draw, a.treaty, b.treaty, a.collapse, b.collapse, "
                                    "a.cbm_rungs, b.cbm_rungs FROM runs a JOIN runs b "
                                    "ON a.draw = b.draw AND a.run = b.run "
                                    "WHERE a.cell = ?1 AND b.cell = ?2 ORDER BY a.draw, a.run",
                           -1, &st, NULL) != SQLITE_OK) {
        sql_error(err, db, path, "cannot read the runs");
        goto done;
    }
    sqlite3_bind_int64(st, 1, ca);
    sqlite3_bind_int64(st, 2, cb);
    if (filter)
        sqlite3_bind_double(st, 3, min_extent);
    /* Per metric: the 2x2 counts (proportions) and per-draw mean differences. */
    double cnt[2][4] = {{0}}, sum_a[3] = {0}, sum_b[3] = {0};
    size_t cap = 0, n_draws = 0;
    double *draw_diff[3] = {NULL, NULL, NULL}, draw_n = 0, acc[3] = {0};
    int64_t pairs = 0, cur = -1;
    double *rung_diff = NULL;
    size_t rung_cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t d = sqlite3_column_int64(st, 0);
        double v[6];
        for (int i = 0; i < 6; i++)
            v[i] = sqlite3_column_type(st, 1 + i) == SQLITE_NULL ? 0.0
                                                                 : sqlite3_column_double(st, 1 + i);
        if (d != cur) {
            if (cur >= 0) {
                for (int k = 0; k < 3; k++)
                    draw_diff[k][n_draws] = acc[k] / draw_n;
                n_draws++;
            }
            if (n_draws + 1 > cap) {
                size_t ncap = cap ? 2 * cap : 64;
                bool ok = true;
                for (int k = 0; k < 3; k++) {
                    double *g = parley__realloc_array(draw_diff[k], ncap, sizeof *g);
                    if (g)
                        draw_diff[k] = g;
                    else
                        ok = false;
                }
                if (!ok) {
                    parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
                    break;
                }
                cap = ncap;
            }
            cur = d;
            draw_n = 0;
            acc[0] = acc[1] = acc[2] = 0;
        }
        for (size_t k = 0; k < 2; k++) {
            int ya = v[2 * k] != 0, yb = v[2 * k + 1] != 0;
            cnt[k][ya && yb ? 0 : ya ? 1 : yb ? 2 : 3] += 1;
        }
        for (size_t k = 0; k < 3; k++) {
            sum_a[k] += v[2 * k];
            sum_b[k] += v[2 * k + 1];
            acc[k] += v[2 * k] - v[2 * k + 1];
        }
        if ((size_t)pairs + 1 > rung_cap) {
            size_t ncap = rung_cap ? 2 * rung_cap : 1024;
            double *g = parley__realloc_array(rung_diff, ncap, sizeof *g);
            if (!g) {
                parley_error_add(err, PARLEY_ENOMEM, path, "no memory");
                break;
            }
            rung_diff = g;
            rung_cap = ncap;
        }
        rung_diff[pairs] = v[4] - v[5];
        draw_n += 1;
        pairs++;
    }
    if (err->status == PARLEY_OK && rc != SQLITE_DONE)
        sql_error(err, db, path, "cannot read the runs");
    if (err->status == PARLEY_OK && cur >= 0) {
        for (int k = 0; k < 3; k++)
            draw_diff[k][n_draws] = acc[k] / draw_n;
        n_draws++;
    }
    if (err->status == PARLEY_OK && pairs == 0)
        parley_error_add(err, PARLEY_EINPUT, path,
                         "cells '%s' and '%s' share no (draw, run) pair", cell_a, cell_b);
    if (err->status == PARLEY_OK) {
        static const char *const names[3] = {"treaty", "collapse", "cbm_rungs"};
        for (int k = 0; k < 3; k++) {
            out[k].metric = names[k];
            out[k].a = sum_a[k] / (double)pairs;
            out[k].b = sum_b[k] / (double)pairs;
            out[k].pairs = pairs;
            if (n_draws >= 2)
                out[k].diff = parley_mean_t(draw_diff[k], n_draws);
            else if (k < 2)
                out[k].diff =
                    parley_paired_difference(cnt[k][0], cnt[k][1], cnt[k][2], cnt[k][3]);
            else
                out[k].diff = parley_mean_t(rung_diff, (size_t)pairs);
            out[k].diff.estimate = out[k].a - out[k].b;
            if (k < 2) {
                /* A difference of probabilities lies in [-1, 1]; a t interval
                 * over few draws can overshoot, so it is cut to that range. */
                out[k].diff.lo = out[k].diff.lo < -1.0 ? -1.0 : out[k].diff.lo;
                out[k].diff.hi = out[k].diff.hi > 1.0 ? 1.0 : out[k].diff.hi;
            }
        }
    }
    for (int k = 0; k < 3; k++)
        parley__free(draw_diff[k]);
    parley__free(rung_diff);
done:
    sqlite3_finalize(st);
    parley__free(buf);
    sqlite3_close(db);
    if (err->status != PARLEY_OK) {
        parley__free(*label_a);
        parley__free(*label_b);
        *label_a = *label_b = NULL;
    }
    return err->status;
}
