/* Reports people would rather look at: one self-contained HTML page per results
 * database (the scenario at a glance, the bargaining models' forecasts, outcome
 * probabilities with intervals, fan charts of trust and support, position
 * convergence, a representative run's timeline, the sensitivity ranking) and
 * any of its charts alone as SVG or PNG. Charts are drawn by PLplot
 * (docs/REPORTS.md says why); every number shown is also embedded as JSON in
 * the page (<script type="application/json" id="parley-data">).
 *
 * Rendering uses PLplot, whose streams are process-global: call the
 * rendering functions from one thread at a time. Gathering the data
 * (parley_report_data_*) has no such restriction. */
#ifndef PARLEY_REPORT_H
#define PARLEY_REPORT_H

#include "parley/error.h"
#include "parley/process.h"
#include "parley/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The charts a report holds, in page order. */
typedef enum parley_chart_kind {
    PARLEY_CHART_POSITIONS,   /* actors' positions per issue (strip chart) */
    PARLEY_CHART_FORECASTS,   /* each bargaining model's forecast per issue */
    PARLEY_CHART_OUTCOMES,    /* P(treaty), P(collapse) per policy cell, 95% intervals */
    PARLEY_CHART_TRUST,       /* believed compliance between principals over time (fans) */
    PARLEY_CHART_SUPPORT,     /* domestic support of the principals over time (fans) */
    PARLEY_CHART_CONVERGENCE, /* positions per issue over the dynamic model's rounds */
    PARLEY_CHART_SENSITIVITY, /* parameters ranked by their effect on P(outcome) */
    PARLEY_CHART_COUNT
} parley_chart_kind;

/* "positions", "forecasts", "outcomes", "trust", "support", "convergence",
 * "sensitivity"; NULL when out of range. */
const char *parley_chart_name(parley_chart_kind kind);
/* false when `name` is not a chart name. */
bool parley_chart_from_name(const char *name, parley_chart_kind *out);

typedef enum parley_image_format { PARLEY_IMAGE_SVG, PARLEY_IMAGE_PNG } parley_image_format;

/* What a report shows, gathered once and rendered many ways. Opaque. */
typedef struct parley_report_data parley_report_data;

typedef struct parley_report_options {
    int64_t cell;            /* the policy cell of the fan charts and the timeline */
    uint32_t fan_runs;       /* re-runs for the fan charts when the database has no
                                series (0 = 200) */
    const char *bargain_model; /* the dynamic model of the convergence chart: "bdm"
                                  (default), "exchange" or "smp" */
    const char *sensitivity_csv; /* optional: `parley sensitivity --format csv` output,
                                    used when the database holds no sensitivity table */
    const char *const *sets; /* --set PATH=VALUE the sweep applied (when the database's
                                command line cannot be trusted to hold them); NULL */
    size_t n_sets;
} parley_report_options;

void parley_report_options_default(parley_report_options *opt);

/* Reads a results database (docs/SWEEPS.md) read-only and gathers everything
 * the report shows: per-cell summaries; the scenario (loaded by the name the
 * database records, with the --set options of its command line, and checked
 * against its fingerprint); the forecasts and the convergence trace of the
 * bargaining models on it; fan-chart quantiles from the `series` tables, or
 * from re-running up to opt->fan_runs runs of the cell (bit-reproducible from
 * their seeds) when the database has none; the representative run of the
 * cell re-run for its timeline; the `sensitivity` table (docs/REPORTS.md) or
 * opt->sensitivity_csv. What cannot be shown is left out with a note saying
 * why (e.g. the scenario changed since the sweep). opt NULL = defaults.
 * Errors: PARLEY_EINPUT (missing, empty or foreign file, a database without
 * runs, an unknown cell, a malformed sensitivity CSV), PARLEY_EIO,
 * PARLEY_ENOMEM. *out owned by the caller (parley_report_data_free).
 * Cost: reading the runs and series once, plus fan_runs simulator runs. */
parley_status parley_report_data_from_db(const char *db_path, const parley_report_options *opt,
                                         parley_report_data **out, parley_error *err);

/* The scenario-only part (positions, forecasts, convergence), for `parley plot`
 * of a scenario. The scenario is cloned. Errors: PARLEY_EINPUT (unknown model),
 * PARLEY_ENOMEM. */
parley_status parley_report_data_from_scenario(const parley_scenario *sc,
                                               const parley_report_options *opt,
                                               parley_report_data **out, parley_error *err);

void parley_report_data_free(parley_report_data *data);

/* Whether `data` holds what chart `kind` needs. */
bool parley_report_has_chart(const parley_report_data *data, parley_chart_kind kind);

/* Renders chart `kind` as an SVG or PNG into a new buffer (*out, *len; free
 * with parley_report_buffer_free). Errors: PARLEY_EINPUT (the data has no such
 * chart), PARLEY_EIO (PLplot failed), PARLEY_ENOMEM. Not thread-safe (PLplot). */
parley_status parley_chart_render(const parley_report_data *data, parley_chart_kind kind,
                                  parley_image_format format, char **out, size_t *len,
                                  parley_error *err);
void parley_report_buffer_free(char *buf);

/* parley_chart_render into the file `path`, written atomically (never a
 * partial file). Errors: as parley_chart_render, PARLEY_EIO for the file. */
parley_status parley_chart_write(const parley_report_data *data, parley_chart_kind kind,
                                 parley_image_format format, const char *path,
                                 parley_error *err);

/* The report's numbers as one JSON document (the page's parley-data block).
 * *out owned by the caller (parley_report_buffer_free). Errors: PARLEY_ENOMEM. */
parley_status parley_report_json(const parley_report_data *data, char **out, parley_error *err);

/* Writes the whole report as one self-contained HTML page (inline SVG charts,
 * inline CSS, no script but the JSON data block, nothing fetched) to `path`,
 * atomically. Errors: PARLEY_EIO, PARLEY_ENOMEM. Cost: every chart rendered. */
parley_status parley_report_write_html(const parley_report_data *data, const char *path,
                                       parley_error *err);

/* ---- sensitivity for the report (report_sensitivity.c) ------------------ */

/* One parameter's sensitivity, as the `sensitivity` table stores it
 * (docs/REPORTS.md); NAN where the method gives no such number. */
typedef struct parley_sensitivity_row {
    const char *param;
    double mu_star, mu, sigma;             /* Morris */
    double s1, s1_lo, s1_hi, st, st_lo, st_hi; /* Sobol */
} parley_sensitivity_row;

/* Morris (1991) screening of P(metric) for each of `n_metrics` metrics on a
 * scenario, as `parley sensitivity --method morris` computes it: R
 * trajectories on a P-level grid over the k parameters' [lo, hi] ranges,
 * `runs` runs per design point on the same streams (seed, 0, run) at every
 * point. Fills rows[m * k + j] for metric m and parameter j (param pointing
 * into `params`). Errors: as parley_plan_new and parley_plan_execute,
 * PARLEY_EINPUT, PARLEY_ENOMEM. Cost: R (k + 1) x `runs` simulator runs. */
typedef struct parley_morris_request {
    const parley_scenario *scenario;
    const char *const *params;
    const double *lo, *hi;
    size_t k;
    uint32_t runs, trajectories;
    unsigned levels, threads;
    uint64_t seed;
    const int *metrics;         /* parley_metric values, e.g. PARLEY_METRIC_TREATY */
    size_t n_metrics;
} parley_morris_request;
parley_status parley_report_morris(const parley_morris_request *req, parley_sensitivity_row *rows,
                                   parley_error *err);

/* Stores rows as the `sensitivity` table of the results database `db_path`
 * (created when missing; earlier rows of the same method and output are
 * replaced; every other table is left as it is), in one transaction.
 * Errors: PARLEY_EINPUT (not a parley results database), PARLEY_EIO. */
parley_status parley_report_store_sensitivity(const char *db_path, const char *method,
                                              const char *output,
                                              const parley_sensitivity_row *rows, size_t n,
                                              parley_error *err);

/* As parley_report_store_sensitivity, for rows of several outputs at once
 * (outputs[i] is row i's output; NULL: every row's is `output`), after
 * checking that the database holds the results of `scenario` (its name;
 * NULL: no check). One transaction: either every row is stored or none.
 * Errors: PARLEY_EINPUT (not a parley results database, another scenario),
 * PARLEY_EIO. */
parley_status parley_report_store_sensitivity_set(const char *db_path, const char *scenario,
                                                  const char *method, const char *output,
                                                  const char *const *outputs,
                                                  const parley_sensitivity_row *rows, size_t n,
                                                  parley_error *err);

/* Checks, without changing it, that `db_path` is a writable parley results
 * database of `scenario`: what parley_report_store_sensitivity_set will need,
 * so that a command can refuse bad input before a long computation.
 * Errors: PARLEY_EINPUT. */
parley_status parley_report_check_sensitivity_db(const char *db_path, const char *scenario,
                                                 parley_error *err);

/* ---- one run of a sweep, replayed --------------------------------------- */

/* A results database opened for replaying its runs, with their event logs,
 * from their seeds. Opaque. */
typedef struct parley_replay parley_replay;

/* Opens a results database (read-only) for replays: the scenario is found as
 * parley_report_data_from_db finds it (the sweep's scenario argument, then
 * the recorded name, with the sweep's --set options) and must still match the
 * database's fingerprint. Errors: PARLEY_EINPUT (missing or foreign file; a
 * scenario that cannot be loaded or has changed since the sweep), PARLEY_EIO,
 * PARLEY_ENOMEM. *out owned by the caller (parley_replay_free). */
parley_status parley_replay_open(const char *db_path, parley_replay **out, parley_error *err);
void parley_replay_free(parley_replay *replay);

/* Replays run `run` of draw `draw` in policy cell `cell` as the sweep's worker
 * ran it (the cell's levers, the draw's numbers and parameters over the
 * defaults, stream (seed, draw, run)). *reproduced: whether the replay's
 * metrics equal the stored row's (false when the simulator or its defaults
 * changed since the sweep: the replay is then today's model on that seed).
 * Errors: PARLEY_EINPUT (no such run in the database), PARLEY_EIO,
 * PARLEY_ENOMEM. Cost: one simulator run. */
parley_status parley_replay_run(parley_replay *replay, int64_t cell, int64_t draw, int64_t run,
                                bool *reproduced, parley_error *err);

/* The first run (by draw, then run) of policy cell `cell` whose outcome is
 * `outcome` ("treaty", "collapse" or "none"), within draw `draw` when it is
 * >= 0: what to replay to see one history behind a probability. Errors:
 * PARLEY_EINPUT (another outcome name, or no such run), PARLEY_EIO. */
parley_status parley_replay_find(parley_replay *replay, int64_t cell, int64_t draw,
                                 const char *outcome, int64_t *draw_out, int64_t *run_out,
                                 parley_error *err);

/* The run last replayed (its log is on), owned by the replay and valid until
 * the next parley_replay_run or parley_replay_free; NULL before a replay. */
const parley_sim *parley_replay_sim(const parley_replay *replay);
/* The sweep's seed (the first coordinate of every run's stream). */
uint64_t parley_replay_seed(const parley_replay *replay);
/* The label of policy cell `cell` ("policy.linkage=linked,...", or
 * "baseline") into buf[size], cut to fit; false (buf "") when the database
 * has no such cell. */
bool parley_replay_cell_label(const parley_replay *replay, int64_t cell, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
