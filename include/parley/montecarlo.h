/* Policy experiments at scale: sweeps over policy cells with two loops (an
 * outer loop of parameter draws, an inner loop of seeded runs; Helton & Davis
 * 2003), their SQLite results, the intervals reported on them, pattern-filtering
 * calibration and Morris/Sobol sensitivity analysis. docs/SWEEPS.md describes
 * the commands, the schema and the statistics.
 *
 * Every run draws from the streams of (seed, draw, run) and never of the policy
 * cell (docs/RNG.md), so a result is a pure function of (cell, draw, run): the
 * executor may hand work to any number of threads or MPI ranks, in any order,
 * and the database holds the same rows. The library never prints and never
 * reads the clock; progress is reported through a callback. */
#ifndef PARLEY_MONTECARLO_H
#define PARLEY_MONTECARLO_H

#include "parley/error.h"
#include "parley/metrics.h"
#include "parley/process.h"
#include "parley/rng.h"
#include "parley/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- statistics (stats.c) ---------------------------------------------- */

/* The z value of a two-sided 95% interval. */
#define PARLEY_Z95 1.959963984540054

typedef struct parley_interval {
    double estimate, lo, hi;
} parley_interval;

/* Wilson score interval (Wilson 1927) for `successes` out of `n` (real numbers,
 * so that an effective sample size can be passed); z is e.g. PARLEY_Z95.
 * n <= 0 gives {NAN, 0, 1}. Cost O(1). */
parley_interval parley_wilson(double successes, double n, double z);

/* The q-quantile (0 <= q <= 1) of x[0..n-1] by linear interpolation between
 * order statistics (Hyndman & Fan type 7, R's default). NANs are skipped; NAN
 * when none is left. Sorts x in place. Cost O(n log n). */
double parley_quantile(double *x, size_t n, double q);

/* Two-sided Student t quantile t_{1-alpha/2, df} for df >= 1, by bisection on
 * the t CDF (through the regularised incomplete beta) to 1e-12 relative. */
double parley_t_quantile(double alpha, double df);

/* A proportion estimated by M draws (clusters) of n_j runs each: the overall
 * P = sum(successes) / sum(n) and its 95% interval, a Wilson interval on the
 * effective sample size n / deff where the design effect deff = (variance of the
 * cluster means around P, as a ratio estimator) / (binomial variance), floored
 * at 1 (Kish 1965; Korn & Graubard 1998). With one draw it is the Wilson
 * interval. `succ` and `n` hold the per-draw counts. Cost O(M). */
parley_interval parley_clustered_proportion(const double *succ, const double *n, size_t m);

/* Paired difference of two proportions on the same n pairs (Newcombe 1998,
 * method 10): `both` pairs where A and B succeed, `a_only`, `b_only`, `neither`.
 * Estimate (a_only - b_only) / n. Cost O(1). */
parley_interval parley_paired_difference(double both, double a_only, double b_only,
                                         double neither);

/* Mean of x[0..n-1] with a Student t 95% interval; n = 1 gives lo = hi = NAN. */
parley_interval parley_mean_t(const double *x, size_t n);

/* ---- Latin hypercube and inverse CDFs (lhs.c) --------------------------- */

/* An m x k Latin hypercube on [0,1)^k (McKay, Beckman & Conover 1979): in each
 * column, exactly one point lies in each of the m strata [i/m, (i+1)/m).
 * Column j is permuted and jittered from the stream (seed, 0, 0,
 * PARLEY_MECH_SAMPLING, j, 0), so it does not depend on k. out is row-major
 * m x k, caller-allocated. Cost O(m k). */
void parley_lhs(uint64_t seed, size_t m, size_t k, double *out);

/* The value of uncertainty `u` at probability p in [0,1): its inverse CDF
 * (uniform, triangular in closed form; truncated normal and beta by bisection on
 * their CDFs to 1e-12 of the range). Always in [u->lo, u->hi]. */
double parley_uncertainty_quantile(const parley_uncertainty *u, double p);

/* ---- the simulator's free parameters ------------------------------------ */

/* Number of named simulator parameters addressable as "sim.NAME" (the six free
 * parameters of docs/MODEL.md first, then the fixed ones). */
size_t parley_sim_param_count(void);
/* Name (without "sim."), e.g. "participation_precision"; NULL when out of range. */
const char *parley_sim_param_name(size_t i);
/* The prior range calibration draws from (docs/SWEEPS.md); free ones only. */
bool parley_sim_param_prior(size_t i, double *lo, double *hi);
/* Number of free parameters (the first ones). */
size_t parley_sim_param_free_count(void);
/* Sets or reads a parameter by name (with or without the "sim." prefix).
 * Errors: PARLEY_EINPUT (unknown name, or a non-finite value). */
parley_status parley_sim_param_set(parley_sim_params *p, const char *name, double value,
                                   parley_error *err);
/* As parley_sim_param_set, from text that must be one whole number ("2", "0.5",
 * "1e-2"): what a command line or a stored cell value gives. */
parley_status parley_sim_param_set_text(parley_sim_params *p, const char *name,
                                        const char *text, parley_error *err);
bool parley_sim_param_get(const parley_sim_params *p, const char *name, double *out);

/* ---- plans: cells x draws x runs ---------------------------------------- */

/* A varied lever: `path` takes each of `values` (strings as --set reads them). */
typedef struct parley_vary {
    const char *path;
    const char *const *values;
    size_t n_values;
} parley_vary;

typedef struct parley_plan parley_plan;

/* What a plan's draws are. */
typedef enum parley_draw_mode {
    PARLEY_DRAWS_NOMINAL, /* one draw: the scenario's values, default parameters */
    PARLEY_DRAWS_LHS,     /* Latin hypercube over the scenario's uncertainties */
    PARLEY_DRAWS_MATRIX   /* explicit values (an ensemble, a design) */
} parley_draw_mode;

typedef struct parley_plan_spec {
    const parley_scenario *scenario; /* cloned by the plan */
    uint64_t seed;
    uint32_t runs;        /* N > 0 runs per (cell, draw) */
    parley_draw_mode mode;
    uint32_t draws;       /* M: LHS draws; for MATRIX the rows of `values` */
    const parley_vary *vary;
    size_t n_vary;
    /* MATRIX: draws x n_params values for `params` (scenario paths or "sim.NAME"). */
    const char *const *params;
    size_t n_params;
    const double *values;
    /* true: every draw uses RNG draw coordinate 0 (common random numbers across
     * design points, for sensitivity analysis); false: draw d uses d. */
    bool same_streams;
    bool series;          /* keep per-round series for each run */
    /* The simulator's parameters before a draw's values apply (ablations, the
     * null model, fixed constants); NULL: parley_sim_params_default. Copied. */
    const parley_sim_params *base_params;
} parley_plan_spec;

/* Validates and builds a plan: every varied path and value is applied to a
 * clone (so an unknown path or an illegal value fails here, located at
 * "--vary PATH=VALUE"), empty value lists and N = 0 are rejected, parameters
 * are checked, and the LHS is drawn. Varied paths that carry an uncertainty are
 * pinned by the cell and left out of the draws. Errors: PARLEY_EINPUT,
 * PARLEY_ELIMIT (more than 2^31 runs in all), PARLEY_ENOMEM. *out is owned by
 * the caller (parley_plan_free). Cost O(cells x scenario size + M x params). */
parley_status parley_plan_new(const parley_plan_spec *spec, parley_plan **out, parley_error *err);
void parley_plan_free(parley_plan *plan);

size_t parley_plan_cells(const parley_plan *plan);
uint32_t parley_plan_draws(const parley_plan *plan);
uint32_t parley_plan_runs(const parley_plan *plan);
uint64_t parley_plan_seed(const parley_plan *plan);
size_t parley_plan_vary_count(const parley_plan *plan);
const char *parley_plan_vary_path(const parley_plan *plan, size_t v);
/* The value of varied path v in cell c (as given on the command line). */
const char *parley_plan_cell_value(const parley_plan *plan, size_t cell, size_t v);
/* "path=value,path=value" ("baseline" without --vary). Owned by the plan. */
const char *parley_plan_cell_label(const parley_plan *plan, size_t cell);
size_t parley_plan_param_count(const parley_plan *plan);
const char *parley_plan_param(const parley_plan *plan, size_t j);
double parley_plan_draw_value(const parley_plan *plan, uint32_t draw, size_t j);
const parley_scenario *parley_plan_scenario(const parley_plan *plan);
/* Whether runs keep per-round series (spec.series). */
bool parley_plan_has_series(const parley_plan *plan);
/* 64-bit FNV-1a of the normalised scenario dump (with the draws' parameters). */
uint64_t parley_plan_scenario_hash(const parley_plan *plan);
/* Hash of everything else that determines the rows: seed, runs, draws, varied
 * paths and values, parameter values, series flag. */
uint64_t parley_plan_command_hash(const parley_plan *plan);

/* ---- execution ----------------------------------------------------------- */

/* One finished run. */
typedef struct parley_run_row {
    uint32_t cell, draw, run;
    parley_outcome outcome;
    double metric[PARLEY_METRIC_COUNT];
    /* With spec.series: rounds x n_actors support values, then rounds x n_actors
     * x n_actors belief means, in one array owned by the executor (valid during
     * the sink call). NULL otherwise. */
    uint32_t series_rounds, series_actors;
    const double *series;
} parley_run_row;

/* Receives finished runs on the calling thread of parley_plan_execute, in
 * batches, in no particular order. Returning non-OK stops the execution (the
 * status is returned). */
typedef parley_status (*parley_row_sink)(void *user, const parley_run_row *rows, size_t n,
                                         parley_error *err);
/* Called after each batch: runs finished so far in this execution and in all. */
typedef void (*parley_progress_fn)(void *user, uint64_t done, uint64_t total);

typedef struct parley_exec_options {
    unsigned threads;      /* >= 1 */
    /* Work partition for several processes (MPI ranks): this one runs the work
     * blocks b with b % part_count == part_index. 0/0 means all. */
    unsigned part_index, part_count;
    /* Runs to skip (already in a database): bit (cell*draws + draw)*runs + run.
     * NULL: none. */
    const uint8_t *done;
    parley_row_sink sink;
    void *sink_user;
    parley_progress_fn progress;
    void *progress_user;
} parley_exec_options;

/* Runs every (cell, draw, run) of the plan not marked done and in this part,
 * each on a simulator of its thread (a scenario clone with the cell's and the
 * draw's values, rebuilt when they change), and hands the rows to the sink.
 * Errors: the first error of a run or of the sink (the others stop soon after),
 * PARLEY_ENOMEM, PARLEY_EINTERNAL (a thread could not start). Cost: the runs. */
parley_status parley_plan_execute(const parley_plan *plan, const parley_exec_options *opt,
                                  parley_error *err);

/* Total runs of the plan: cells x draws x runs. */
uint64_t parley_plan_total_runs(const parley_plan *plan);

/* ---- results databases (db.c) -------------------------------------------- */

typedef struct parley_results_db parley_results_db;

/* Opens the results database `path` for `plan`: creates it with the schema when
 * it does not exist; otherwise checks that it is a parley results database of
 * the same scenario and the same command and loads which runs it holds (resume).
 * Never writes to an existing database that does not match. Errors:
 * PARLEY_EINPUT (not a parley database, another scenario or command, an
 * unwritable path), PARLEY_EIO, PARLEY_ENOMEM. Cost O(rows held). */
parley_status parley_results_db_open(const char *path, const parley_plan *plan,
                                     const char *command_line, parley_results_db **out,
                                     parley_error *err);
/* The done bitmap for parley_exec_options.done (owned by the db). */
const uint8_t *parley_results_db_done(const parley_results_db *db);
uint64_t parley_results_db_done_count(const parley_results_db *db);
/* A parley_row_sink that inserts rows (user = the db); commits every 1000
 * rows (see below), so a kill loses at most the uncommitted batch. */
parley_status parley_results_db_sink(void *user, const parley_run_row *rows, size_t n,
                                     parley_error *err);
/* Commit interval in rows (default 1000; >= 1). Smaller loses less to a kill
 * and costs a sync per commit; tests use it to simulate interruptions. */
void parley_results_db_set_commit_every(parley_results_db *db, size_t rows);
/* Commits pending rows and, when every run is present, recomputes the cell
 * summaries (one transaction). Errors: PARLEY_EIO. */
parley_status parley_results_db_finish(parley_results_db *db, parley_error *err);
/* Closes (rolling back anything uncommitted). NULL allowed. */
void parley_results_db_close(parley_results_db *db);

/* ---- reading results ----------------------------------------------------- */

/* One cell's summary as `parley summary` prints it. */
typedef struct parley_cell_summary {
    int64_t cell;
    char *label;       /* owned by the summary set */
    int64_t runs;
    int64_t draws;
    parley_interval p_treaty;   /* clustered by draw (see parley_clustered_proportion) */
    parley_interval p_collapse;
    /* The spread of P(outcome | draw) over draws: its 5%, 50% and 95% quantiles. */
    double p_treaty_draw_q05, p_treaty_draw_q50, p_treaty_draw_q95;
    double p_collapse_draw_q05, p_collapse_draw_q50, p_collapse_draw_q95;
    double median_months_to_treaty; /* over runs with a treaty; NAN without */
    double median_treaty_extent;    /* the treaties' peace-regime extent (0-100), over runs
                                       with a treaty; NAN without (or in a database
                                       written before parley recorded it) */
    double mean_cbm_rungs;
    char **values;     /* one per varied path */
} parley_cell_summary;

typedef struct parley_summary_set {
    size_t n_cells, n_vary;
    char **vary_paths;
    parley_cell_summary *cells;
    char *scenario;    /* the scenario's name */
    int64_t runs_per_cell_draw, draws;
    bool complete;     /* every planned run present */
    double min_treaty_extent; /* treaties counted only from this extent on (0: all) */
} parley_summary_set;

/* Reads the per-cell summaries of a results database (computed from its runs,
 * so a partial database is summarised as far as it goes). Opens read-only.
 * Errors: PARLEY_EINPUT (missing, not a parley results database), PARLEY_EIO,
 * PARLEY_ENOMEM. *out owned by the caller (parley_summary_set_free). */
parley_status parley_results_summary(const char *path, parley_summary_set **out,
                                     parley_error *err);
/* The same, counting as treaties only those whose peace-regime extent is at
 * least min_extent (0-100; 0 counts every treaty); the months to treaty and
 * the extents are then those treaties' too. Errors as above, and
 * PARLEY_EUSAGE for min_extent outside [0, 100], PARLEY_EINPUT for a database
 * of results schema 1 (no extents) when min_extent > 0. */
parley_status parley_results_summary_min_extent(const char *path, double min_extent,
                                                parley_summary_set **out, parley_error *err);
void parley_summary_set_free(parley_summary_set *s);

/* One row of a paired comparison between cells. */
typedef struct parley_contrast {
    const char *metric;       /* "treaty", "collapse", "cbm_rungs" */
    double a, b;              /* the two cells' means */
    parley_interval diff;     /* a - b, paired on (draw, run) */
    int64_t pairs;
} parley_contrast;

#define PARLEY_CONTRASTS 3
/* Paired differences A - B of P(treaty), P(collapse) and mean CBM rungs over
 * the (draw, run) pairs both cells hold (common random numbers). Interval: with
 * one draw, Newcombe's paired interval for proportions and Student t for the
 * mean; with several, a t interval on the per-draw mean differences (the draws
 * are the independent units). Cells are named by number or label.
 * Errors: PARLEY_EINPUT (unknown cell, no common pairs, not a results database). */
parley_status parley_results_compare(const char *path, const char *cell_a, const char *cell_b,
                                     parley_contrast out[PARLEY_CONTRASTS], char **label_a,
                                     char **label_b, parley_error *err);
/* The same, counting as treaties only those whose peace-regime extent is at
 * least min_extent (0-100; 0 counts every treaty). Errors as above, and those
 * of parley_results_summary_min_extent. */
parley_status parley_results_compare_min_extent(const char *path, const char *cell_a,
                                                const char *cell_b, double min_extent,
                                                parley_contrast out[PARLEY_CONTRASTS],
                                                char **label_a, char **label_b, parley_error *err);
/* Frees strings returned by this module. */
void parley_mc_string_free(char *s);

/* ---- calibration (calibrate.c) ------------------------------------------- */

typedef struct parley_patterns parley_patterns;

/* Largest patterns and ensemble files read (docs/ROBUSTNESS.md): a patterns
 * file is a few hundred bytes per pattern; an ensemble about 150 bytes per
 * member, so 256 MiB holds well over a million members. */
#define PARLEY_PATTERNS_MAX_BYTES (16LL * 1024 * 1024)
#define PARLEY_ENSEMBLE_MAX_BYTES (256LL * 1024 * 1024)

/* Loads a patterns file (docs/SWEEPS.md, "Patterns"). Errors: PARLEY_EINPUT
 * (unreadable, or located at "file: patterns[i].field"), PARLEY_ELIMIT (over
 * PARLEY_PATTERNS_MAX_BYTES), PARLEY_ENOMEM. */
parley_status parley_patterns_load(const char *path, parley_patterns **out, parley_error *err);
void parley_patterns_free(parley_patterns *p);
size_t parley_patterns_count(const parley_patterns *p);
const char *parley_pattern_describe(const parley_patterns *p, size_t i);

typedef struct parley_calibration {
    uint32_t draws, runs, accepted;
    size_t n_patterns;
    uint32_t *pattern_hits; /* per pattern: draws that matched it */
    size_t n_params;
    char **params;          /* sim.* then scenario paths */
    double *members;        /* accepted x n_params */
    uint32_t *member_draw;  /* the draw each member came from */
} parley_calibration;

typedef struct parley_calibrate_spec {
    const parley_scenario *scenario;
    const parley_patterns *patterns;
    uint64_t seed;
    uint32_t draws, runs;
    bool free_params;       /* draw the simulator's free parameters from their priors */
    bool scenario_numbers;  /* draw the scenario's uncertain numbers */
    unsigned threads;
    parley_progress_fn progress;
    void *progress_user;
} parley_calibrate_spec;

/* Pattern filtering by rejection (approximate Bayesian computation): draws
 * `draws` parameter vectors by LHS from the priors, runs each `runs` times and
 * keeps those for which every pattern holds. Errors: as parley_plan_new and
 * parley_plan_execute. *out owned by the caller (parley_calibration_free). */
parley_status parley_calibrate(const parley_calibrate_spec *spec, parley_calibration **out,
                               parley_error *err);
void parley_calibration_free(parley_calibration *c);
/* Writes the accepted ensemble as JSON (atomically). Errors: PARLEY_EIO. */
parley_status parley_calibration_write(const parley_calibration *c, const parley_scenario *sc,
                                       const char *path, parley_error *err);

/* One pattern checked against N runs at fixed parameters. */
typedef struct parley_pattern_result {
    double historical;
    double lo, median, hi; /* the runs' quantiles at the pattern's bounds, and median */
    double share_below;    /* share of runs below history (ties count half) */
    uint32_t runs, missing;/* runs, and those where the metric did not happen */
    bool holds;
} parley_pattern_result;

typedef struct parley_ensemble parley_ensemble;

typedef struct parley_pattern_check_spec {
    const parley_scenario *scenario;
    const parley_patterns *patterns;
    const parley_sim_params *params; /* NULL: the defaults; under an ensemble, its base */
    uint64_t seed;
    uint32_t runs;
    unsigned threads;
    parley_progress_fn progress;
    void *progress_user;
    /* NULL: every run at `params`. Otherwise the runs are spread evenly over
     * the ensemble's members (ceil(runs / members) each, so out[i].runs may
     * exceed `runs`), each member's values set over `params`. */
    const parley_ensemble *ensemble;
} parley_pattern_check_spec;

/* Runs the scenario `runs` times, at fixed parameters or over a calibrated
 * ensemble (the posterior predictive check of docs/MODEL.md), and checks
 * every pattern on the pooled runs: out[i] for pattern i. Errors: as
 * parley_plan_new (an ensemble naming an unknown parameter) and
 * parley_plan_execute; PARLEY_EINPUT for an ensemble without members. */
parley_status parley_patterns_check(const parley_pattern_check_spec *spec,
                                    parley_pattern_result *out, parley_error *err);

/* An ensemble file read back: the parameters and the member matrix. */
struct parley_ensemble {
    size_t n_params, n_members;
    char **params;
    double *values; /* n_members x n_params */
};
/* Errors: PARLEY_EINPUT (unreadable, malformed, no members), PARLEY_ELIMIT
 * (over PARLEY_ENSEMBLE_MAX_BYTES), PARLEY_ENOMEM. */
parley_status parley_ensemble_load(const char *path, parley_ensemble **out, parley_error *err);
void parley_ensemble_free(parley_ensemble *e);

/* The two sources of the outer loop together: M draws, draw d pairing
 * ensemble member d mod (members) with row d of a Latin hypercube (seed) over
 * the scenario's declared uncertainties that the ensemble does not set and
 * that are not in `pinned` (the varied paths). Fills a matrix for
 * PARLEY_DRAWS_MATRIX: *params (n_params names: the ensemble's, then the
 * uncertainties') and *values (draws x n_params), both owned by the caller
 * (parley_draw_matrix_free). Errors: PARLEY_ENOMEM. */
parley_status parley_draw_matrix(const parley_scenario *sc, const parley_ensemble *ens,
                                 uint32_t draws, uint64_t seed, const char *const *pinned,
                                 size_t n_pinned, char ***params, size_t *n_params,
                                 double **values, parley_error *err);
void parley_draw_matrix_free(char **params, size_t n_params, double *values);

/* ---- sensitivity (sensitivity.c) ----------------------------------------- */

/* Morris (1991) screening with r trajectories on a p-level grid (p even; step
 * Delta = p / (2(p-1))) in [0,1]^k. The design has r(k+1) rows, row-major in
 * out (caller-allocated, r(k+1) x k), drawn from stream (seed, 0, 0,
 * PARLEY_MECH_SAMPLING, 0, 1). */
void parley_morris_design(uint64_t seed, size_t k, size_t r, unsigned levels, double *out);
/* From the design and y (one output per row): mu* (mean |EE|, Campolongo et
 * al. 2007), mu and sigma of the elementary effects, each in units of y per
 * unit of the [0,1] input. Arrays of k. */
void parley_morris_indices(const double *design, const double *y, size_t k, size_t r,
                           double *mu_star, double *mu, double *sigma);

/* Saltelli (2010) design: n rows of A, n of B, then for each i, n rows of A with
 * column i from B: n(k+2) rows of k, row-major, caller-allocated. A and B are
 * independent Latin hypercubes (seeds seed and seed+1). */
void parley_sobol_design(uint64_t seed, size_t k, size_t n, double *out);
/* First-order indices by Saltelli et al. (2010) and total indices by Jansen
 * (1999) from y on that design, with 95% bootstrap intervals (`boot`
 * resamples of the n base rows, stream (seed, 0, 0, PARLEY_MECH_SAMPLING, 0, 2)).
 * Arrays of k; the *_lo/_hi may be NULL. Returns the output variance. */
double parley_sobol_indices(const double *y, size_t k, size_t n, uint64_t seed, unsigned boot,
                            double *s1, double *s1_lo, double *s1_hi, double *st,
                            double *st_lo, double *st_hi);

/* The Ishigami function (Ishigami & Homma 1990) on x in [-pi, pi]^3, and its
 * analytic first-order and total indices (for tests and documentation). */
double parley_ishigami(const double x[3], double a, double b);
void parley_ishigami_indices(double a, double b, double s1[3], double st[3]);

#ifdef __cplusplus
}
#endif
#endif
