/* Gathering a report's data from a results database: recognising the file
 * (with messages that say what it is instead: missing, empty, not SQLite,
 * another SQLite database), the cell summaries, the scenario the sweep ran
 * (checked against the database's fingerprint, so that a report never shows
 * a scenario other than the one swept), the fan-chart quantiles from the
 * stored series, the representative run, and the sensitivity ranking. */
#include "report_internal.h"

#include "core/alloc.h"
#include "parley/metrics.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define APP_ID 0x50524c59 /* "PRLY", as src/montecarlo/db.c writes it */
#define DEFAULT_FAN_RUNS 200u

static const char *const chart_names[PARLEY_CHART_COUNT] = {
    "positions", "forecasts", "outcomes", "trust", "support", "convergence", "sensitivity"};

const char *parley_chart_name(parley_chart_kind kind)
{
    return (unsigned)kind < PARLEY_CHART_COUNT ? chart_names[kind] : NULL;
}

bool parley_chart_from_name(const char *name, parley_chart_kind *out)
{
    for (int k = 0; k < PARLEY_CHART_COUNT; k++)
        if (name && strcmp(name, chart_names[k]) == 0) {
            *out = (parley_chart_kind)k;
            return true;
        }
    return false;
}

void parley_report_options_default(parley_report_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->fan_runs = DEFAULT_FAN_RUNS;
    opt->bargain_model = "bdm";
}

void parley_report_buffer_free(char *buf) { parley__free(buf); }

uint64_t parley__report_fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

void parley__report_cell_short(const char *label, char *out, size_t size)
{
    if (size == 0)
        return;
    size_t n = strlen(label), o = 0;
    for (size_t i = 0; i < n && o + 1 < size;) {
        /* Every lever is a policy.* path; the prefix only costs width. */
        if ((i == 0 || label[i - 1] == ',') && strncmp(label + i, "policy.", 7) == 0) {
            i += 7;
            continue;
        }
        out[o++] = label[i] == ',' ? ' ' : label[i];
        i++;
    }
    out[o] = '\0';
}

bool parley__report_note(parley_report_data *d, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **grown = parley__realloc_array(d->notes, d->n_notes + 1, sizeof *grown);
    if (grown)
        d->notes = grown;
    if (!grown || !(d->notes[d->n_notes] = parley__strdup(buf))) {
        d->notes_lost = true; /* a page without its "why" would mislead */
        return false;
    }
    d->n_notes++;
    return true;
}

static void free_strings(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        parley__free(s[i]);
    parley__free(s);
}

static void free_fans(parley__fan *f, size_t n)
{
    if (!f)
        return;
    for (size_t i = 0; i < n; i++) {
        parley__free(f[i].actor);
        parley__free(f[i].other);
        parley__free(f[i].q);
    }
    parley__free(f);
}

void parley_report_data_free(parley_report_data *d)
{
    if (!d)
        return;
    parley__free(d->db_path);
    parley__free(d->scenario_name);
    parley__free(d->parley_version);
    parley__free(d->command);
    parley_scenario_free(d->sc);
    parley__free(d->title);
    parley__free(d->start_label);
    free_strings(d->actor_ids, d->n_actors);
    free_strings(d->actor_names, d->n_actors);
    parley__free(d->actor_kind);
    free_strings(d->issue_ids, d->n_issues);
    free_strings(d->issue_names, d->n_issues);
    parley__free(d->scale_lo);
    parley__free(d->scale_hi);
    parley__free(d->status_quo);
    parley__free(d->position);
    parley__free(d->salience);
    parley__free(d->forecast);
    parley__free(d->trace_model);
    parley__free(d->trace_positions);
    parley__free(d->trace_median);
    parley_summary_set_free(d->summary);
    parley__free(d->fan_source);
    free_fans(d->support, d->n_support);
    free_fans(d->trust, d->n_trust);
    parley__free(d->rep_outcome);
    parley__free(d->timeline);
    parley__free(d->run_summary);
    parley__free(d->sens_method);
    parley__free(d->sens_output);
    parley__free(d->sens_source);
    if (d->sens)
        for (size_t i = 0; i < d->n_sens; i++)
            parley__free(d->sens[i].param);
    parley__free(d->sens);
    free_strings(d->notes, d->n_notes);
    parley__free(d);
}

bool parley_report_has_chart(const parley_report_data *d, parley_chart_kind kind)
{
    switch (kind) {
    case PARLEY_CHART_POSITIONS:
        return d->n_actors > 0 && d->n_issues > 0;
    case PARLEY_CHART_FORECASTS:
        return d->has_forecasts;
    case PARLEY_CHART_OUTCOMES:
        return d->summary && d->summary->n_cells > 0;
    case PARLEY_CHART_TRUST:
        return d->n_trust > 0 && d->fan_runs > 0;
    case PARLEY_CHART_SUPPORT:
        return d->n_support > 0 && d->fan_runs > 0;
    case PARLEY_CHART_CONVERGENCE:
        return d->trace_positions && d->trace_rounds > 0;
    case PARLEY_CHART_SENSITIVITY:
        return d->n_sens > 0;
    default:
        return false;
    }
}

void parley__fan_quantiles(double *v, size_t n, double q[PARLEY__FAN_Q])
{
    static const double at[PARLEY__FAN_Q] = {0.05, 0.25, 0.5, 0.75, 0.95};
    /* parley_quantile moves the finite values to the front of v and leaves
     * the tail as it was, so the NANs are dropped once, here, and every call
     * sees only the m finite values. */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            v[m++] = v[i];
    for (int k = 0; k < PARLEY__FAN_Q; k++)
        q[k] = parley_quantile(v, m, at[k]);
}

/* ---- the database ---------------------------------------------------------- */

/* The meta value of `key` in place (NULL when absent), valid until *st, which
 * the caller finalizes, is. */
static const char *meta_value(sqlite3 *db, const char *key, sqlite3_stmt **st)
{
    *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(*st, 1, key, -1, SQLITE_STATIC);
    return sqlite3_step(*st) == SQLITE_ROW ? (const char *)sqlite3_column_text(*st, 0) : NULL;
}

/* The meta value of `key` (a copy), NULL when absent; *oom set (when oom is
 * not NULL) if it is present but could not be copied. */
static char *meta_text_oom(sqlite3 *db, const char *key, bool *oom)
{
    sqlite3_stmt *st;
    const char *t = meta_value(db, key, &st);
    char *out = t ? parley__strdup(t) : NULL;
    if (t && !out && oom)
        *oom = true;
    sqlite3_finalize(st);
    return out;
}

/* Whether meta `key` equals `value`, without copying it. */
static bool meta_is(sqlite3 *db, const char *key, const char *value)
{
    sqlite3_stmt *st;
    const char *t = meta_value(db, key, &st);
    bool yes = t && strcmp(t, value) == 0;
    sqlite3_finalize(st);
    return yes;
}

/* Read in place: a copy could fail for want of memory, and a count read as 0
 * would then pass for the database's. */
static uint64_t meta_number(sqlite3 *db, const char *key)
{
    sqlite3_stmt *st;
    const char *t = meta_value(db, key, &st);
    uint64_t v = t ? strtoull(t, NULL, 10) : 0;
    sqlite3_finalize(st);
    return v;
}

/* The meta every reader of the database needs; false when out of memory. */
static bool read_meta(parley_report_data *d, sqlite3 *db, const char *path)
{
    bool oom = false;
    d->has_db = true;
    d->db_path = parley__strdup(path);
    d->scenario_name = meta_text_oom(db, "scenario", &oom);
    d->parley_version = meta_text_oom(db, "parley_version", &oom);
    d->command = meta_text_oom(db, "command", &oom);
    d->runs = (int64_t)meta_number(db, "runs");
    d->draws = (int64_t)meta_number(db, "draws");
    d->n_cells = (int64_t)meta_number(db, "cells");
    d->seed = meta_number(db, "seed");
    return !oom && d->db_path;
}

static int64_t query_int(sqlite3 *db, const char *sql, int64_t bind, bool has_bind)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (has_bind)
            sqlite3_bind_int64(st, 1, bind);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

static bool has_table(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    bool yes = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        yes = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return yes;
}

/* Opens `path` (read-only unless `writable`) after saying exactly what it is when it is not a
 * parley results database: the messages a user needs to fix the command. */
parley_status parley__report_open_db(const char *path, bool writable, sqlite3 **out,
                                    parley_error *err)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return parley_error_add(err, PARLEY_EINPUT, path, "no such results database (%s)",
                                strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return parley_error_add(err, PARLEY_EINPUT, path,
                                "is a directory, not a parley results database");
    if (sb.st_size == 0)
        return parley_error_add(err, PARLEY_EINPUT, path,
                                "empty file, not a parley results database (write one with "
                                "`parley sweep SCENARIO --runs N --out FILE`)");
    FILE *f = fopen(path, "rb");
    if (!f)
        return parley_error_add(err, PARLEY_EINPUT, path, "cannot open (%s)", strerror(errno));
    char head[16] = {0};
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    if (got < 16 || memcmp(head, "SQLite format 3", 16) != 0)
        return parley_error_add(err, PARLEY_EINPUT, path,
                                "not a parley results database (not an SQLite file)");
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY,
                        NULL) != SQLITE_OK) {
        parley_error_add(err, PARLEY_EINPUT, path, "cannot open the database: %s",
                         db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return err->status;
    }
    sqlite3_busy_timeout(db, 10000);
    int64_t app = query_int(db, "PRAGMA application_id", 0, false);
    bool ok = app == APP_ID && has_table(db, "meta") && meta_is(db, "format", "parley-sweep") &&
              has_table(db, "runs") && has_table(db, "cells");
    if (!ok) {
        sqlite3_close(db);
        return parley_error_add(err, PARLEY_EINPUT, path,
                                "an SQLite database, but not a parley results database (no "
                                "parley sweep schema)");
    }
    if (query_int(db, "SELECT count(*) FROM runs", 0, false) <= 0) {
        sqlite3_close(db);
        return parley_error_add(err, PARLEY_EINPUT, path,
                                "a parley results database without runs: nothing to report "
                                "(finish the sweep first)");
    }
    *out = db;
    return PARLEY_OK;
}

/* ---- the scenario the sweep ran ------------------------------------------- */

/* The scenario argument and the --set options of a recorded sweep command
 * ("parley sweep SCENARIO --runs N ... --set P=V ..."). Arguments were joined
 * with spaces, so a value with a space cannot be recovered: the fingerprint
 * check below catches that case. */
typedef struct sweep_command {
    char *buf;
    char *scenario;
    const char *sets[256];
    size_t n_sets;
} sweep_command;

/* False only when out of memory (an absent command parses to nothing). */
static bool parse_command(const char *command, sweep_command *c)
{
    memset(c, 0, sizeof *c);
    if (!command)
        return true;
    if (!(c->buf = parley__strdup(command)))
        return false;
    static const char *const with_value[] = {"--runs", "--draws", "--ensemble", "--vary",
                                             "--threads", "--seed", "--out", "--set"};
    char *save = NULL;
    char *tok = strtok_r(c->buf, " ", &save);
    int pos = 0;
    bool is_sweep = false;
    while (tok) {
        if (pos == 1)
            is_sweep = strcmp(tok, "sweep") == 0;
        else if (pos >= 2 && is_sweep) {
            bool takes = false;
            for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
                takes = takes || strcmp(tok, with_value[k]) == 0;
            if (takes) {
                char *value = strtok_r(NULL, " ", &save);
                if (value && strcmp(tok, "--set") == 0 && c->n_sets < 256)
                    c->sets[c->n_sets++] = value;
                tok = strtok_r(NULL, " ", &save);
                pos++;
                continue;
            }
            if (tok[0] != '-' && !c->scenario)
                c->scenario = tok;
        }
        tok = strtok_r(NULL, " ", &save);
        pos++;
    }
    return true;
}

static parley_status apply_sets(parley_scenario *sc, const char *const *sets, size_t n,
                                parley_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(sets[i], '=');
        if (!eq)
            return parley_error_add(err, PARLEY_EINPUT, sets[i], "--set needs PATH=VALUE");
        char *path = parley__strndup(sets[i], (size_t)(eq - sets[i]));
        if (!path)
            return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
        parley_status st = parley_scenario_set(sc, path, eq + 1, err);
        parley__free(path);
        if (st != PARLEY_OK)
            return st;
    }
    return PARLEY_OK;
}

/* The scenario's fingerprint; *ok false when it cannot be dumped, with the
 * reason left in e (out of memory must not read as "another scenario"). */
static uint64_t scenario_hash(const parley_scenario *sc, bool *ok, parley_error *e)
{
    char *dump = NULL;
    *ok = parley_scenario_dump(sc, 0, &dump, e) == PARLEY_OK;
    uint64_t h = *ok ? parley__report_fnv1a(dump, strlen(dump)) : 0;
    parley_scenario_string_free(dump);
    return h;
}

/* Tries the scenario argument of the command, then the recorded name; keeps
 * the first whose fingerprint matches, else the last that loaded (marked as
 * not matching). Never fails on a scenario problem: the report says so. */
static parley_status load_scenario(parley_report_data *d, sqlite3 *db,
                                   const parley_report_options *opt, parley_error *err)
{
    sweep_command c;
    if (!parse_command(d->command, &c))
        /* Out of memory is not "the scenario is gone". */
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
    bool oom = false;
    char *want_hex = meta_text_oom(db, "scenario_hash", &oom);
    if (oom) {
        parley__free(c.buf);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
    }
    uint64_t want = want_hex ? strtoull(want_hex, NULL, 16) : 0;
    const char *candidates[2] = {c.scenario, d->scenario_name};
    for (int k = 0; k < 2 && !d->scenario_matches; k++) {
        if (!candidates[k] || (k == 1 && c.scenario && strcmp(c.scenario, candidates[k]) == 0))
            continue;
        parley_error e;
        parley_error_init(&e);
        parley_scenario *sc = NULL;
        if (parley_scenario_open(candidates[k], &sc, &e) == PARLEY_OK &&
            apply_sets(sc, opt->n_sets ? opt->sets : c.sets, opt->n_sets ? opt->n_sets : c.n_sets,
                       &e) == PARLEY_OK) {
            bool ok;
            uint64_t h = scenario_hash(sc, &ok, &e);
            parley_scenario_free(d->sc);
            d->sc = sc;
            sc = NULL;
            d->scenario_matches = ok && want_hex && h == want;
        }
        parley_scenario_free(sc);
        if (e.status == PARLEY_ENOMEM) {
            /* Out of memory is not "the scenario is gone". */
            parley_error_append(err, &e);
            parley__free(want_hex);
            parley__free(c.buf);
            return err->status;
        }
        parley_error_clear(&e);
    }
    parley__free(want_hex);
    parley__free(c.buf);
    if (!d->sc)
        parley__report_note(d, "The scenario '%s' could not be loaded: the scenario, forecast, "
                               "convergence, fan and timeline sections are left out.",
                            d->scenario_name ? d->scenario_name : "?");
    else if (!d->scenario_matches)
        parley__report_note(d, "The scenario file has changed since this sweep (its fingerprint "
                               "differs from the database's): the scenario sections show the "
                               "current file, and runs are not replayed.");
    return PARLEY_OK;
}

/* ---- fan charts from the stored series ------------------------------------ */

static bool is_principal(const parley_report_data *d, size_t a)
{
    return d->actor_kind[a] == PARLEY_ACTOR_PRINCIPAL;
}

parley_status parley__report_alloc_fans(parley_report_data *d, size_t rounds, parley_error *err)
{
    size_t np = 0;
    for (size_t a = 0; a < d->n_actors; a++)
        np += is_principal(d, a);
    d->support = PARLEY_NEW_ARRAY(parley__fan, np + 1);
    d->trust = PARLEY_NEW_ARRAY(parley__fan, np * (np - (np > 0)) + 1);
    if (!d->support || !d->trust)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the fan charts");
    d->fan_rounds = rounds;
    for (size_t a = 0; a < d->n_actors; a++) {
        if (!is_principal(d, a))
            continue;
        parley__fan *f = &d->support[d->n_support++];
        f->actor = parley__strdup(d->actor_ids[a]);
        f->q = PARLEY_NEW_ARRAY(double, rounds * PARLEY__FAN_Q + 1);
        if (!f->actor || !f->q)
            return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the fan charts");
        for (size_t b = a + 1; b < d->n_actors; b++) {
            if (!is_principal(d, b))
                continue;
            for (int dir = 0; dir < 2; dir++) {
                parley__fan *t = &d->trust[d->n_trust++];
                t->actor = parley__strdup(d->actor_ids[dir ? b : a]);
                t->other = parley__strdup(d->actor_ids[dir ? a : b]);
                t->q = PARLEY_NEW_ARRAY(double, rounds * PARLEY__FAN_Q + 1);
                if (!t->actor || !t->other || !t->q)
                    return parley_error_add(err, PARLEY_ENOMEM, NULL,
                                            "no memory for the fan charts");
            }
        }
    }
    return PARLEY_OK;
}

/* Index of actor id in the scenario, or -1. */
static long actor_index(const parley_report_data *d, const char *id)
{
    for (size_t a = 0; a < d->n_actors; a++)
        if (strcmp(d->actor_ids[a], id) == 0)
            return (long)a;
    return -1;
}

/* A run that ended before the horizon keeps its last value: the state it
 * ended in (a treaty, a collapse) is where it stays, and dropping it would
 * leave only the runs still going, a biased sample. */
static void carry_forward(double *v, size_t rounds)
{
    for (size_t t = 1; t < rounds; t++)
        if (isnan(v[t]))
            v[t] = v[t - 1];
}

static parley_status fans_from_series(parley_report_data *d, sqlite3 *db, parley_error *err)
{
    int64_t cell = d->fan_cell;
    int64_t nrun = query_int(db,
                             "SELECT count(*) FROM (SELECT DISTINCT draw, run FROM series "
                             "WHERE cell = ?)",
                             cell, true);
    if (nrun <= 0)
        return PARLEY_OK;
    size_t rounds = parley_scenario_rounds(d->sc);
    if (parley__report_alloc_fans(d, rounds, err) != PARLEY_OK)
        return err->status;
    size_t K = (size_t)nrun, R = rounds;
    size_t nsup = d->n_support, ntr = d->n_trust;
    /* (draw, run) -> dense index, in key order. */
    int64_t *keys = PARLEY_NEW_ARRAY(int64_t, 2 * K + 2);
    double *sup = PARLEY_NEW_ARRAY(double, nsup * K * R + 1);
    double *tr = PARLEY_NEW_ARRAY(double, ntr * K * R + 1);
    double *col = PARLEY_NEW_ARRAY(double, K + 1);
    long *fan_of_actor = PARLEY_NEW_ARRAY(long, d->n_actors + 1);
    long *pair = PARLEY_NEW_ARRAY(long, d->n_actors * d->n_actors + 1);
    sqlite3_stmt *st = NULL;
    parley_status status = PARLEY_OK;
    if (!keys || !sup || !tr || !col || !fan_of_actor || !pair) {
        status = parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the fan charts");
        goto done;
    }
    for (size_t i = 0; i < nsup * K * R; i++)
        sup[i] = NAN;
    for (size_t i = 0; i < ntr * K * R; i++)
        tr[i] = NAN;
    for (size_t a = 0; a < d->n_actors; a++)
        fan_of_actor[a] = -1;
    for (size_t i = 0; i < d->n_actors * d->n_actors; i++)
        pair[i] = -1;
    for (size_t f = 0; f < nsup; f++)
        fan_of_actor[actor_index(d, d->support[f].actor)] = (long)f;
    for (size_t f = 0; f < ntr; f++)
        pair[(size_t)actor_index(d, d->trust[f].actor) * d->n_actors +
             (size_t)actor_index(d, d->trust[f].other)] = (long)f;
    if (sqlite3_prepare_v2(db,
                           "SELECT DISTINCT draw, run FROM series WHERE cell = ? "
                           "ORDER BY draw, run",
                           -1, &st, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_int64(st, 1, cell);
    for (size_t k = 0; k < K && sqlite3_step(st) == SQLITE_ROW; k++) {
        keys[2 * k] = sqlite3_column_int64(st, 0);
        keys[2 * k + 1] = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    st = NULL;
    /* Rows come in key order, so the run index advances monotonically. */
    if (sqlite3_prepare_v2(db,
                           "SELECT draw, run, round, actor, support FROM series WHERE cell = ? "
                           "ORDER BY draw, run, round",
                           -1, &st, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_int64(st, 1, cell);
    size_t k = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t dr = sqlite3_column_int64(st, 0), ru = sqlite3_column_int64(st, 1);
        while (k < K && (keys[2 * k] != dr || keys[2 * k + 1] != ru))
            k++;
        int64_t t = sqlite3_column_int64(st, 2);
        const unsigned char *id = sqlite3_column_text(st, 3);
        long a = id ? actor_index(d, (const char *)id) : -1;
        if (k >= K || t < 0 || (size_t)t >= R || a < 0 || fan_of_actor[a] < 0 ||
            sqlite3_column_type(st, 4) == SQLITE_NULL)
            continue;
        sup[((size_t)fan_of_actor[a] * K + k) * R + (size_t)t] = sqlite3_column_double(st, 4);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT draw, run, round, actor, other, belief FROM series_belief "
                           "WHERE cell = ? ORDER BY draw, run, round",
                           -1, &st, NULL) != SQLITE_OK)
        goto sqlfail;
    sqlite3_bind_int64(st, 1, cell);
    k = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t dr = sqlite3_column_int64(st, 0), ru = sqlite3_column_int64(st, 1);
        while (k < K && (keys[2 * k] != dr || keys[2 * k + 1] != ru))
            k++;
        int64_t t = sqlite3_column_int64(st, 2);
        const unsigned char *ia = sqlite3_column_text(st, 3), *io = sqlite3_column_text(st, 4);
        long a = ia ? actor_index(d, (const char *)ia) : -1;
        long o = io ? actor_index(d, (const char *)io) : -1;
        if (k >= K || t < 0 || (size_t)t >= R || a < 0 || o < 0 ||
            sqlite3_column_type(st, 5) == SQLITE_NULL)
            continue;
        long f = pair[(size_t)a * d->n_actors + (size_t)o];
        if (f >= 0)
            tr[((size_t)f * K + k) * R + (size_t)t] = sqlite3_column_double(st, 5);
    }
    sqlite3_finalize(st);
    st = NULL;
    for (size_t f = 0; f < nsup + ntr; f++) {
        double *base = f < nsup ? &sup[f * K * R] : &tr[(f - nsup) * K * R];
        parley__fan *fan = f < nsup ? &d->support[f] : &d->trust[f - nsup];
        for (size_t j = 0; j < K; j++)
            carry_forward(&base[j * R], R);
        for (size_t t = 0; t < R; t++) {
            for (size_t j = 0; j < K; j++)
                col[j] = base[j * R + t];
            parley__fan_quantiles(col, K, &fan->q[t * PARLEY__FAN_Q]);
        }
    }
    d->fan_runs = K;
    if (!(d->fan_source = parley__strdup("series")))
        status = parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
    goto done;
sqlfail:
    status = parley_error_add(err, PARLEY_EIO, d->db_path, "cannot read the series: %s",
                              sqlite3_errmsg(db));
done:
    sqlite3_finalize(st);
    parley__free(keys);
    parley__free(sup);
    parley__free(tr);
    parley__free(col);
    parley__free(fan_of_actor);
    parley__free(pair);
    return status;
}

/* ---- the representative run ------------------------------------------------ */

/* The metrics that characterise a run's story; the representative run is the
 * one of the cell's most frequent outcome nearest to their medians (each
 * scaled by its range), the first in key order on a tie. */
static const parley_metric story[] = {PARLEY_METRIC_AGREEMENTS, PARLEY_METRIC_CBM_RUNGS,
                                      PARLEY_METRIC_MAIN_MEETINGS, PARLEY_METRIC_BELIEF_MEAN_END,
                                      PARLEY_METRIC_SUPPORT_MEAN_END};
#define N_STORY (sizeof story / sizeof story[0])

/* Whether the runs table has the metric's column: databases of an earlier
 * results schema lack the metrics added since (docs/SWEEPS.md). */
bool parley__report_runs_have(sqlite3 *db, const char *column)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('runs') WHERE name = ?", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, column, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

int parley__report_metric_columns(sqlite3 *db, char *sql, size_t size, bool *held)
{
    int n = 0;
    for (int m = 0; m < PARLEY_METRIC_COUNT; m++) {
        const char *name = parley_metric_name((parley_metric)m);
        bool have = parley__report_runs_have(db, name);
        if (held)
            held[m] = have;
        n += snprintf(sql + n, size - (size_t)n, ", %s", have ? name : "NULL");
    }
    return n;
}

static parley_status pick_representative(parley_report_data *d, sqlite3 *db, int64_t *draw,
                                          int64_t *run, double *metrics, bool *held, bool *found,
                                          parley_error *err)
{
    *found = false;
    char sql[4096];
    int n = snprintf(sql, sizeof sql, "SELECT draw, run, outcome");
    n += parley__report_metric_columns(db, sql + n, sizeof sql - (size_t)n, held);
    snprintf(sql + n, sizeof sql - (size_t)n, " FROM runs WHERE cell = ? ORDER BY draw, run");
    int64_t count = query_int(db, "SELECT count(*) FROM runs WHERE cell = ?", d->rep_cell, true);
    if (count <= 0)
        return PARLEY_OK;
    size_t K = (size_t)count, W = 3 + PARLEY_METRIC_COUNT;
    double *rows = PARLEY_NEW_ARRAY(double, K * W + 1);
    double *col = PARLEY_NEW_ARRAY(double, K + 1);
    sqlite3_stmt *st = NULL;
    parley_status status = PARLEY_OK;
    if (!rows || !col) {
        status = parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
        goto done;
    }
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        status = parley_error_add(err, PARLEY_EIO, d->db_path, "cannot read the runs: %s",
                                  sqlite3_errmsg(db));
        goto done;
    }
    sqlite3_bind_int64(st, 1, d->rep_cell);
    size_t k = 0, counts[3] = {0, 0, 0};
    for (; k < K && sqlite3_step(st) == SQLITE_ROW; k++) {
        double *r = &rows[k * W];
        r[0] = (double)sqlite3_column_int64(st, 0);
        r[1] = (double)sqlite3_column_int64(st, 1);
        const unsigned char *o = sqlite3_column_text(st, 2);
        r[2] = o && strcmp((const char *)o, "treaty") == 0     ? 1
               : o && strcmp((const char *)o, "collapse") == 0 ? 2
                                                                : 0;
        counts[(int)r[2]]++;
        for (int m = 0; m < PARLEY_METRIC_COUNT; m++)
            r[3 + m] = sqlite3_column_type(st, 3 + m) == SQLITE_NULL
                           ? NAN
                           : sqlite3_column_double(st, 3 + m);
    }
    K = k;
    int mode = counts[1] > counts[0] ? 1 : 0;
    if (counts[2] > counts[mode])
        mode = 2;
    double med[N_STORY], range[N_STORY];
    for (size_t s = 0; s < N_STORY; s++) {
        size_t nv = 0;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t j = 0; j < K; j++) {
            double x = rows[j * W + 3 + story[s]];
            if ((int)rows[j * W + 2] != mode || isnan(x))
                continue;
            col[nv++] = x;
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
        med[s] = parley_quantile(col, nv, 0.5);
        range[s] = nv && hi > lo ? hi - lo : 1;
    }
    double best = INFINITY;
    size_t pick = 0;
    for (size_t j = 0; j < K; j++) {
        if ((int)rows[j * W + 2] != mode)
            continue;
        double dist = 0;
        for (size_t s = 0; s < N_STORY; s++) {
            double x = rows[j * W + 3 + story[s]];
            dist += isnan(x) || isnan(med[s]) ? 0 : fabs(x - med[s]) / range[s];
        }
        if (dist < best) {
            best = dist;
            pick = j;
        }
    }
    if (best < INFINITY) {
        *draw = (int64_t)rows[pick * W];
        *run = (int64_t)rows[pick * W + 1];
        for (int m = 0; m < PARLEY_METRIC_COUNT; m++)
            metrics[m] = rows[pick * W + 3 + m];
        static const char *const names[3] = {"none", "treaty", "collapse"};
        if (!(d->rep_outcome = parley__strdup(names[mode])))
            status = parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
        *found = true;
    }
done:
    sqlite3_finalize(st);
    parley__free(rows);
    parley__free(col);
    return status;
}

/* ---- sensitivity ----------------------------------------------------------- */

static int cmp_sens(const void *a, const void *b)
{
    const parley__sens_row *x = a, *y = b;
    double vx = isnan(x->value) ? -INFINITY : x->value, vy = isnan(y->value) ? -INFINITY : y->value;
    if (vx != vy)
        return vx > vy ? -1 : 1;
    return strcmp(x->param, y->param);
}

static parley_status add_sens(parley_report_data *d, const char *param, double v, double lo,
                              double hi, parley_error *err)
{
    parley__sens_row *g = parley__realloc_array(d->sens, d->n_sens + 1, sizeof *g);
    if (!g)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
    d->sens = g;
    parley__sens_row *r = &d->sens[d->n_sens];
    if (!(r->param = parley__strdup(param)))
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
    r->value = v;
    r->lo = lo;
    r->hi = hi;
    d->n_sens++;
    return PARLEY_OK;
}

static double col_real(sqlite3_stmt *st, int c)
{
    return sqlite3_column_type(st, c) == SQLITE_NULL ? NAN : sqlite3_column_double(st, c);
}

/* The `sensitivity` table (docs/REPORTS.md): one output's rows, ranked by
 * mu* (Morris) or the total index (Sobol). */
static parley_status sens_from_db(parley_report_data *d, sqlite3 *db, parley_error *err)
{
    if (!has_table(db, "sensitivity"))
        return PARLEY_OK;
    sqlite3_stmt *st = NULL;
    /* The first output (in the order stored) on which some parameter has an
     * effect: a ranking of zeros says nothing (e.g. P(treaty) when no run
     * reaches a treaty), so the next output is shown instead. */
    if (sqlite3_prepare_v2(db,
                           "SELECT method, output FROM sensitivity GROUP BY method, output "
                           "ORDER BY max(coalesce(st, mu_star, 0)) > 0 DESC, min(rowid) LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return PARLEY_OK;
    }
    const unsigned char *m = sqlite3_column_text(st, 0), *o = sqlite3_column_text(st, 1);
    d->sens_method = parley__strdup(m ? (const char *)m : "morris");
    d->sens_output = parley__strdup(o ? (const char *)o : "treaty");
    sqlite3_finalize(st);
    st = NULL;
    if (!d->sens_method || !d->sens_output || !(d->sens_source = parley__strdup("database")))
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
    bool sobol = strcmp(d->sens_method, "sobol") == 0;
    const char *sql = sobol ? "SELECT param, st, st_lo, st_hi FROM sensitivity "
                              "WHERE method = ? AND output = ? ORDER BY rowid"
                            : "SELECT param, mu_star, NULL, NULL FROM sensitivity "
                              "WHERE method = ? AND output = ? ORDER BY rowid";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return parley_error_add(err, PARLEY_EINPUT, d->db_path,
                                "the sensitivity table lacks the columns of docs/REPORTS.md: %s",
                                sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, d->sens_method, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->sens_output, -1, SQLITE_STATIC);
    parley_status status = PARLEY_OK;
    while (status == PARLEY_OK && sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_text(st, 0);
        status = add_sens(d, p ? (const char *)p : "?", col_real(st, 1), col_real(st, 2),
                          col_real(st, 3), err);
    }
    sqlite3_finalize(st);
    if (status == PARLEY_OK && d->n_sens)
        qsort(d->sens, d->n_sens, sizeof *d->sens, cmp_sens);
    return status;
}

/* Splits one CSV line in place (fields without embedded commas or quotes are
 * all `parley sensitivity --format csv` writes for numbers; a quoted name is
 * unquoted). Returns the number of fields. */
static size_t split_csv(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            char *q = ++p, *w = p;
            while (*q && !(*q == '"' && q[1] != '"')) {
                if (*q == '"')
                    q++;
                *w++ = *q++;
            }
            if (*q == '"')
                q++;
            *w = '\0';
            f[n++] = p;
            p = q;
            if (*p == ',')
                p++;
            else
                break;
        } else {
            f[n++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = '\0';
            p = c + 1;
        }
    }
    return n;
}

static double csv_num(const char *s)
{
    if (!s || !*s)
        return NAN;
    char *end;
    double v = strtod(s, &end);
    return end != s ? v : NAN;
}

static parley_status sens_from_csv(parley_report_data *d, const char *path, parley_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return parley_error_add(err, PARLEY_EINPUT, path, "cannot open (%s)", strerror(errno));
    char line[4096];
    parley_status status = PARLEY_OK;
    bool sobol = false;
    size_t lineno = 0;
    while (status == PARLEY_OK && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        char *fld[8];
        size_t n = split_csv(line, fld, 8);
        if (lineno == 1) {
            if (n >= 3 && strcmp(fld[0], "output") == 0 && strcmp(fld[1], "param") == 0 &&
                (strcmp(fld[2], "mu_star") == 0 || strcmp(fld[2], "s1") == 0)) {
                sobol = strcmp(fld[2], "s1") == 0;
                continue;
            }
            status = parley_error_add(err, PARLEY_EINPUT, path,
                                      "not `parley sensitivity --format csv` output (header "
                                      "output,param,mu_star,... or output,param,s1,...)");
            break;
        }
        if (n < (sobol ? 8u : 5u)) {
            char where[PARLEY_WHERE_MAX];
            snprintf(where, sizeof where, "%s:%zu", path, lineno);
            status = parley_error_add(err, PARLEY_EINPUT, where, "expected %d fields",
                                      sobol ? 8 : 5);
            break;
        }
        if (!d->sens_output) {
            d->sens_output = parley__strdup(fld[0]);
            d->sens_method = parley__strdup(sobol ? "sobol" : "morris");
            d->sens_source = parley__strdup(path);
            if (!d->sens_output || !d->sens_method || !d->sens_source) {
                status = parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
                break;
            }
        }
        if (strcmp(fld[0], d->sens_output) != 0)
            continue;
        status = sobol ? add_sens(d, fld[1], csv_num(fld[5]), csv_num(fld[6]), csv_num(fld[7]),
                                  err)
                       : add_sens(d, fld[1], csv_num(fld[2]), NAN, NAN, err);
    }
    fclose(f);
    if (status == PARLEY_OK && lineno == 0)
        status = parley_error_add(err, PARLEY_EINPUT, path, "empty sensitivity file");
    if (status == PARLEY_OK && d->n_sens)
        qsort(d->sens, d->n_sens, sizeof *d->sens, cmp_sens);
    return status;
}

/* The parts that replay runs: fans (when the database has no series) and the
 * representative run. A database this build cannot replay (a hand-edited
 * plan, a metric column an older sweep did not have) costs those sections,
 * with a note, not the whole report; only running out of memory fails it. */
static parley_status replay_part(parley_report_data *d, sqlite3 *db, const char *path,
                                 const parley_report_options *opt, parley_error *err)
{
    parley_error e;
    parley_error_init(&e);
    parley__replay *replay = NULL;
    bool fans_before = d->fan_runs > 0;
    if (parley__replay_new(d, path, &replay, &e) == PARLEY_OK) {
        if (d->fan_runs == 0)
            parley__report_fans_by_rerun(d, replay, opt->fan_runs ? opt->fan_runs
                                                                  : DEFAULT_FAN_RUNS,
                                         &e);
        if (e.status == PARLEY_OK) {
            int64_t draw = 0, run = 0;
            double metrics[PARLEY_METRIC_COUNT];
            bool held[PARLEY_METRIC_COUNT], found = false;
            if (pick_representative(d, db, &draw, &run, metrics, held, &found, &e) ==
                    PARLEY_OK &&
                found)
                parley__report_timeline(d, replay, draw, run, metrics, held, &e);
        }
    }
    parley__replay_free(replay);
    if (e.status == PARLEY_OK)
        return PARLEY_OK;
    if (e.status == PARLEY_ENOMEM) {
        parley_error_append(err, &e);
        return err->status;
    }
    if (!fans_before && !d->fan_source) {
        /* Fans half-filled by a failed replay are not shown. */
        free_fans(d->support, d->n_support);
        free_fans(d->trust, d->n_trust);
        d->support = d->trust = NULL;
        d->n_support = d->n_trust = 0;
        d->fan_runs = 0;
    }
    if (!d->has_timeline) {
        parley__free(d->timeline);
        parley__free(d->run_summary);
        d->timeline = d->run_summary = NULL;
    }
    parley__report_note(d, "Runs could not be replayed (%s%s%s), so %s left out.",
                        e.count && e.items[0].where[0] ? e.items[0].where : "",
                        e.count && e.items[0].where[0] ? ": " : "",
                        e.count ? e.items[0].what : parley_strerror(e.status),
                        d->fan_runs ? "the representative run is" : "sections that need them are");
    parley_error_clear(&e);
    return PARLEY_OK;
}

/* ---- putting it together --------------------------------------------------- */

parley_status parley__report_data_for_replay(const char *path, parley_report_data **out,
                                             sqlite3 **db_out, parley_error *err)
{
    *out = NULL;
    *db_out = NULL;
    sqlite3 *db = NULL;
    if (parley__report_open_db(path, false, &db, err) != PARLEY_OK)
        return err->status;
    parley_report_data *d = parley__calloc(1, sizeof *d);
    bool oom = !d || !read_meta(d, db, path);
    parley_report_options opt;
    parley_report_options_default(&opt);
    const char *name = d && d->scenario_name ? d->scenario_name : "?";
    if (oom)
        parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
    else if (load_scenario(d, db, &opt, err) == PARLEY_OK && !d->sc)
        parley_error_add(err, PARLEY_EINPUT, path,
                         "the scenario '%s' of this database cannot be loaded, so its runs "
                         "cannot be replayed",
                         name);
    else if (err->status == PARLEY_OK && !d->scenario_matches)
        parley_error_add(err, PARLEY_EINPUT, path,
                         "the scenario '%s' has changed since the sweep (its fingerprint "
                         "differs), so a replay would not be the stored run",
                         name);
    if (err->status != PARLEY_OK) {
        parley_report_data_free(d);
        sqlite3_close(db);
        return err->status;
    }
    *out = d;
    *db_out = db;
    return PARLEY_OK;
}

parley_status parley_report_data_from_db(const char *path, const parley_report_options *opt_in,
                                         parley_report_data **out, parley_error *err)
{
    *out = NULL;
    parley_report_options defaults;
    parley_report_options_default(&defaults);
    const parley_report_options *opt = opt_in ? opt_in : &defaults;
    sqlite3 *db = NULL;
    if (parley__report_open_db(path, false, &db, err) != PARLEY_OK)
        return err->status;
    parley_report_data *d = parley__calloc(1, sizeof *d);
    if (!d) {
        parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
        goto fail;
    }
    if (!read_meta(d, db, path)) {
        parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
        goto fail;
    }
    if (parley_results_summary(path, &d->summary, err) != PARLEY_OK)
        goto fail;
    int64_t cell = opt->cell;
    if (cell < 0 || (size_t)cell >= d->summary->n_cells) {
        parley_error_add(err, PARLEY_EINPUT, path, "no cell %lld (the database has %zu: 0..%zu)",
                         (long long)cell, d->summary->n_cells,
                         d->summary->n_cells ? d->summary->n_cells - 1 : 0);
        goto fail;
    }
    d->fan_cell = d->rep_cell = cell;
    if (load_scenario(d, db, opt, err) != PARLEY_OK)
        goto fail;
    if (d->sc && parley__report_scenario_part(d, opt->bargain_model, err) != PARLEY_OK)
        goto fail;
    if (d->sc && has_table(db, "series") && fans_from_series(d, db, err) != PARLEY_OK)
        goto fail;
    if (d->sc && d->scenario_matches && replay_part(d, db, path, opt, err) != PARLEY_OK)
        goto fail;
    if (sens_from_db(d, db, err) != PARLEY_OK)
        goto fail;
    if (d->n_sens == 0 && opt->sensitivity_csv &&
        sens_from_csv(d, opt->sensitivity_csv, err) != PARLEY_OK)
        goto fail;
    if (d->n_sens == 0)
        parley__report_note(d, "No sensitivity analysis: the database holds no `sensitivity` "
                               "table and no --sensitivity file was given (docs/REPORTS.md).");
    if (d->notes_lost) {
        parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the report's notes");
        goto fail;
    }
    sqlite3_close(db);
    *out = d;
    return PARLEY_OK;
fail:
    parley_report_data_free(d);
    sqlite3_close(db);
    return err->status ? err->status : PARLEY_EINTERNAL;
}

parley_status parley_report_data_from_scenario(const parley_scenario *sc,
                                               const parley_report_options *opt,
                                               parley_report_data **out, parley_error *err)
{
    *out = NULL;
    parley_report_data *d = parley__calloc(1, sizeof *d);
    if (!d)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
    d->scenario_matches = true;
    if (parley_scenario_clone(sc, &d->sc, err) != PARLEY_OK ||
        !(d->scenario_name = parley__strdup(parley_scenario_name(sc))) ||
        parley__report_scenario_part(d, opt && opt->bargain_model ? opt->bargain_model : "bdm",
                                     err) != PARLEY_OK) {
        if (err->status == PARLEY_OK)
            parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
        parley_report_data_free(d);
        return err->status;
    }
    if (d->notes_lost) {
        parley_report_data_free(d);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for the report's notes");
    }
    *out = d;
    return PARLEY_OK;
}
