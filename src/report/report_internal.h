/* The report's data, shared by the files of src/report/: gathered by
 * report_data.c (the database), report_scenario.c (the scenario and the
 * bargaining models) and report_rerun.c (runs replayed from their seeds), and
 * read by the charts, the JSON block and the HTML page. */
#ifndef PARLEY_REPORT_INTERNAL_H
#define PARLEY_REPORT_INTERNAL_H

#include "parley/bargain.h"
#include "parley/montecarlo.h"
#include "parley/report.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Quantiles of one quantity over runs, per round: the fan of a fan chart. */
#define PARLEY__FAN_Q 5 /* 5%, 25%, 50%, 75%, 95% */
typedef struct parley__fan {
    char *actor, *other; /* other NULL for support */
    double *q;           /* rounds x PARLEY__FAN_Q */
} parley__fan;

typedef struct parley__sens_row {
    char *param;
    double value, lo, hi; /* mu* (Morris) or total index (Sobol), interval NAN when none */
} parley__sens_row;

struct parley_report_data {
    /* source */
    char *db_path;      /* NULL for a scenario-only report */
    char *scenario_name;
    char *parley_version, *command;
    int64_t runs, draws, n_cells;
    uint64_t seed;

    /* the scenario (may be NULL when it could not be loaded) */
    parley_scenario *sc;
    char *title, *start_label; /* e.g. "1996-04" */
    size_t n_actors, n_issues;
    char **actor_ids, **actor_names;
    int *actor_kind;         /* parley_actor_kind */
    char **issue_ids, **issue_names;
    double *scale_lo, *scale_hi, *status_quo; /* per issue */
    double *position, *salience;              /* actors x issues, NAN/0 without a stance */

    /* the bargaining models */
    double *forecast; /* PARLEY_MODEL_COUNT x issues */
    char *trace_model;
    size_t trace_rounds;
    double *trace_positions; /* (rounds + 1) x actors x issues */
    double *trace_median;    /* (rounds + 1) x issues, or NULL */

    /* outcomes */
    parley_summary_set *summary;

    /* fan charts */
    int64_t fan_cell;
    char *fan_source; /* "series" or "rerun" */
    size_t fan_runs, fan_rounds;
    size_t n_support, n_trust;
    parley__fan *support, *trust;

    /* representative run */
    int64_t rep_cell, rep_draw, rep_run;
    char *rep_outcome;
    char *timeline, *run_summary;

    /* sensitivity */
    char *sens_method, *sens_output, *sens_source;
    size_t n_sens;
    parley__sens_row *sens;

    /* why sections are missing, for the page */
    size_t n_notes;
    char **notes;

    /* the small members last, so the struct packs (clang-analyzer's Padding) */
    int round_months;
    bool has_db;
    bool notes_lost; /* a note could not be kept (no memory): the data must not pass */
    bool scenario_matches; /* its fingerprint is the database's */
    bool has_forecasts;
    bool model_ok[PARLEY_MODEL_COUNT];
    bool has_timeline;
    bool rep_reproduced;
};

/* Adds a note (printf-style); false on no memory. */
bool parley__report_note(parley_report_data *d, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* report_scenario.c: fills the scenario part of `d` from d->sc. */
parley_status parley__report_scenario_part(parley_report_data *d, const char *model,
                                           parley_error *err);

/* report_rerun.c: replays runs of the database's plan (d->sc must match). */
typedef struct parley__replay parley__replay;
parley_status parley__replay_new(const parley_report_data *d, const char *db_path,
                                 parley__replay **out, parley_error *err);
void parley__replay_free(parley__replay *r);
/* Runs (cell, draw, run); metrics out (PARLEY_METRIC_COUNT) when not NULL. */
parley_status parley__replay_run(parley__replay *r, int64_t cell, int64_t draw, int64_t run,
                                 double *metrics, parley_error *err);
const parley_sim *parley__replay_sim(const parley__replay *r);

/* report_rerun.c: fan quantiles and the timeline by replaying runs. */
parley_status parley__report_fans_by_rerun(parley_report_data *d, parley__replay *r,
                                           uint32_t max_runs, parley_error *err);
parley_status parley__report_timeline(parley_report_data *d, parley__replay *r, int64_t draw,
                                      int64_t run, const double *stored_metrics,
                                      const bool *held, parley_error *err);
/* Whether a replay's metrics equal the stored ones on every column the
 * database holds (held[m]); a column an older database predates cannot
 * disagree. */
bool parley__report_same_metrics(const double *now, const double *stored, const bool *held);

/* Allocates the fans for the principals' support and, per unordered pair of
 * principals, their beliefs in both directions (A->B then B->A). */
parley_status parley__report_alloc_fans(parley_report_data *d, size_t rounds, parley_error *err);

/* Fills fan quantiles from per-run values v[run] (NAN skipped). */
void parley__fan_quantiles(double *v, size_t n, double q[PARLEY__FAN_Q]);

/* chart.c: renders through PLplot. */
parley_status parley__chart_render(const parley_report_data *d, parley_chart_kind kind,
                                   parley_image_format format, char **out, size_t *len,
                                   parley_error *err);

/* report_data.c: opens a parley results database that holds runs, saying
 * exactly what the file is when it is not one (missing, empty, not SQLite,
 * another SQLite database). Errors: PARLEY_EINPUT. */
parley_status parley__report_open_db(const char *path, bool writable, sqlite3 **out,
                                    parley_error *err);

/* report_data.c: what a replay of single runs needs of a results database:
 * its meta (seed, scenario, command) and the scenario, loaded and checked
 * as for the report. Errors: as parley__report_open_db; PARLEY_EINPUT when
 * the scenario cannot be loaded or no longer matches the fingerprint.
 * *out (parley_report_data_free) and *db (sqlite3_close) owned by the caller. */
parley_status parley__report_data_for_replay(const char *path, parley_report_data **out,
                                             sqlite3 **db, parley_error *err);
/* report_data.c: whether the runs table has the column (older schemas lack some). */
bool parley__report_runs_have(sqlite3 *db, const char *column);
/* report_data.c: writes ", m1, m2, ..." for every metric in metric order, NULL
 * for a column the database predates (held[m] false then, when held is not
 * NULL), to follow a SELECT list; returns the characters written (sql must
 * hold PARLEY_METRIC_COUNT column names). */
int parley__report_metric_columns(sqlite3 *db, char *sql, size_t size, bool *held);

/* 64-bit FNV-1a, as the sweep fingerprints scenarios. */
uint64_t parley__report_fnv1a(const char *s, size_t n);

/* A short label for a cell into out[size]: its label without "policy."
 * prefixes, commas as spaces, cut to fit. */
void parley__report_cell_short(const char *label, char *out, size_t size);

#endif
