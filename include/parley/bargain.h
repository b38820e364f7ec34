/* Forecasting where bargaining lands: the established static and dynamic
 * bargaining models on one shared input, the bargaining problem (actors x
 * issues with capability, position and salience). Scenarios and the peer table
 * formats (Decide, KTAB SMP CSV, BDM CSV, DEU TSV) all convert to it.
 * docs/MODELS.md gives every equation, parameter and default. */
#ifndef PARLEY_BARGAIN_H
#define PARLEY_BARGAIN_H

#include "parley/error.h"
#include "parley/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A bargaining problem. Matrices are actor-major: m[a * n_issues + i].
 * A missing stance has salience 0 and position NAN (it carries no weight).
 * Owned by whoever created it; free with parley_bargain_problem_free. */
typedef struct parley_bargain_problem {
    size_t n_actors;
    size_t n_issues;
    char *title;          /* may be NULL */
    char **actor_ids;     /* n_actors short ids */
    char **actor_names;   /* n_actors descriptions (may equal the ids) */
    char **issue_ids;     /* n_issues ids (dimension names for KTAB files) */
    double *capability;   /* n_actors x n_issues, >= 0 (the same row repeated when
                             capability does not vary by issue) */
    double *position;     /* n_actors x n_issues, on the issue's own scale */
    double *salience;     /* n_actors x n_issues, in [0, 1] (inputs on 0-100 are scaled) */
    double *scale_min;    /* n_issues: the issue's scale, e.g. 0 and 100 */
    double *scale_max;    /* n_issues */
    double *status_quo;   /* n_issues, NAN when unknown */
    double *outcome;      /* n_issues, the known outcome (evaluation), NAN when unknown */
    double *risk;         /* n_actors risk attitudes in [-1, 1] (0 neutral), or NULL:
                             carried between scenario files and peer tables; no
                             model reads it (BDM and SMP derive their own risk
                             terms, as published) */
    size_t *issue_group;  /* n_issues, or NULL: issues with equal numbers are negotiated
                             together (DEU: one legislative proposal). The multi-issue
                             models (exchange, SMP) run once per group; NULL = one group */
} parley_bargain_problem;

/* Allocates a problem with every array sized and filled with defaults
 * (capability 1, position NAN, salience 0, scale 0..100, status quo and
 * outcome NAN, ids NULL). Caller owns the result. */
parley_status parley_bargain_problem_new(size_t n_actors, size_t n_issues,
                                         parley_bargain_problem **out, parley_error *err);
void parley_bargain_problem_free(parley_bargain_problem *problem);

/* The models. */
typedef enum parley_bargain_model {
    PARLEY_MODEL_COMPROMISE,
    PARLEY_MODEL_MEDIAN,
    PARLEY_MODEL_NBS,
    PARLEY_MODEL_BDM,
    PARLEY_MODEL_EXCHANGE,
    PARLEY_MODEL_SMP,
    PARLEY_MODEL_COUNT
} parley_bargain_model;

/* "compromise", "median", "nbs", "bdm", "exchange", "smp". */
const char *parley_bargain_model_name(parley_bargain_model model);
/* Returns false when `name` is not a model name. */
bool parley_bargain_model_from_name(const char *name, parley_bargain_model *out);

/* Per-round history of a dynamic model. positions has (rounds + 1) blocks of
 * n_actors x n_issues (block 0 is the input). median and mean, when not NULL,
 * have (rounds + 1) x n_issues entries (BDM's per-round median and mean). */
typedef struct parley_bargain_trace {
    size_t rounds;
    size_t n_actors;
    size_t n_issues;
    double *positions;
    double *median;
    double *mean;
} parley_bargain_trace;

/* The result of one model on one problem: one forecast per issue (NAN where
 * the model gives none, e.g. no salient actor) and, for dynamic models, the
 * trace. Caller owns it; free with parley_bargain_result_free. */
typedef struct parley_bargain_result {
    parley_bargain_model model;
    size_t n_issues;
    double *forecast;
    parley_bargain_trace trace; /* rounds == 0 and NULL arrays for static models */
} parley_bargain_result;

void parley_bargain_result_free(parley_bargain_result *result);

/* Checks that `problem` is usable by every model: at least one actor and one
 * issue, ids present, capability finite and >= 0, salience finite in [0, 1],
 * a finite position wherever salience > 0, scale_min < scale_max, and finite or
 * NAN status quo and outcome. Reports every problem found, located as
 * "`source`: actor 'ID', issue 'ID': salience" (source may be NULL).
 * Returns PARLEY_OK or PARLEY_EINPUT. Cost O(n_actors x n_issues). */
parley_status parley_bargain_problem_validate(const parley_bargain_problem *problem,
                                              const char *source, parley_error *err);

/* A new problem holding the issues `issues[0..n)` of `problem` (in that order),
 * every actor kept. Caller owns *out. Errors: PARLEY_EINPUT (n == 0 or an index
 * out of range), PARLEY_ENOMEM. Cost O(n_actors x n). */
parley_status parley_bargain_problem_subset(const parley_bargain_problem *problem,
                                            const size_t *issues, size_t n,
                                            parley_bargain_problem **out, parley_error *err);

/* Sets every capability to 1, so that weights become saliences alone
 * (`--capability equal`). Cost O(n_actors x n_issues). */
void parley_bargain_problem_equal_capability(parley_bargain_problem *problem);

/* ---- Input formats (src/bargain/formats.c; docs/MODELS.md "Input formats") ---- */

typedef enum parley_bargain_format {
    PARLEY_FORMAT_AUTO,     /* detect from the content */
    PARLEY_FORMAT_SCENARIO, /* a parley scenario (include/parley/scenario.h) */
    PARLEY_FORMAT_DECIDE,   /* Decide's #A/#P/#M/#D lines */
    PARLEY_FORMAT_KTAB,     /* KTAB's SMP CSV */
    PARLEY_FORMAT_BDM,      /* Actor,Capability,Position,Salience CSV */
    PARLEY_FORMAT_DEU,      /* the DEU III TSV (positions p??, saliences s??, rp, out) */
    PARLEY_FORMAT_COUNT
} parley_bargain_format;

/* "auto", "scenario", "decide", "ktab", "bdm", "deu". */
const char *parley_bargain_format_name(parley_bargain_format format);
/* Returns false when `name` is not a format name. */
bool parley_bargain_format_from_name(const char *name, parley_bargain_format *out);

/* Guesses the format of `text` (len bytes) from its first lines; returns
 * PARLEY_FORMAT_AUTO when nothing matches. Cost O(first lines). */
parley_bargain_format parley_bargain_detect_format(const char *text, size_t len);

/* Parses `text` (len bytes, need not be NUL-terminated) in `format` (AUTO
 * detects) into a new problem. `source` names the input in diagnostics
 * ("file:line:column: what"). Every problem found is reported (missing column,
 * non-number, unknown actor or issue in a #D line, out-of-range value...);
 * then PARLEY_EINPUT; more than 1000 actors or 500 issues (the scenario
 * limits, docs/FORMAT.md): PARLEY_ELIMIT, located where the first one past
 * the limit is declared. PARLEY_FORMAT_SCENARIO needs the scenario loader and
 * goes through parley_bargain_problem_from_scenario. *out is set only on
 * success; the caller owns it. Cost O(len + n_actors x n_issues). */
parley_status parley_bargain_read_buffer(const char *text, size_t len, const char *source,
                                         parley_bargain_format format,
                                         parley_bargain_problem **out, parley_error *err);

/* Reads the file at `path` (at most PARLEY_BARGAIN_FILE_MAX bytes, else
 * PARLEY_ELIMIT; unreadable: PARLEY_EIO) and parses it as
 * parley_bargain_read_buffer does, with the path as the source. */
#define PARLEY_BARGAIN_FILE_MAX ((size_t)256 * 1024 * 1024)
parley_status parley_bargain_read_file(const char *path, parley_bargain_format format,
                                       parley_bargain_problem **out, parley_error *err);

/* A scenario's actors, issues and stances as a problem (src/bargain/scenario_input.c):
 * capability and risk per actor, each issue's status quo and 0..100 scale, a
 * missing stance as salience 0 and position NAN; title = the scenario's name;
 * no outcomes. Caller owns *out. Errors: PARLEY_ENOMEM. Cost O(actors x issues). */
parley_status parley_bargain_problem_from_scenario(const parley_scenario *scenario,
                                                   parley_bargain_problem **out,
                                                   parley_error *err);

/* ---- The simple models (one file each, one issue at a time) ---- */

/* Compromise model (src/bargain/compromise.c): per issue the weighted mean
 * sum c s x / sum c s over actors with c s > 0; NAN when no actor has weight.
 * Fills `result` (caller frees it). Errors: PARLEY_ENOMEM. Cost O(n_actors x n_issues). */
parley_status parley_compromise_run(const parley_bargain_problem *problem,
                                    parley_bargain_result *result, parley_error *err);

/* Weighted median (src/bargain/median.c). Weights c s; the forecast is the
 * smallest actor position at which the cumulative normalised weight, in order
 * of position, reaches 0.5 (PARLEY_MEDIAN_TIE_LOWER). When it reaches 0.5
 * exactly (within 1e-12), the tie convention decides between that position and
 * the next one. */
typedef enum parley_median_tie {
    PARLEY_MEDIAN_TIE_LOWER,    /* cumulative >= 0.5 (the sources' rule; default) */
    PARLEY_MEDIAN_TIE_UPPER,    /* cumulative > 0.5 */
    PARLEY_MEDIAN_TIE_MIDPOINT  /* the mean of the two tied positions */
} parley_median_tie;

typedef enum parley_median_method {
    PARLEY_MEDIAN_SORTED,  /* sort and accumulate (default), O(n log n) per issue */
    PARLEY_MEDIAN_PAIRWISE /* Condorcet winner of the c s-weighted pairwise votes among
                              the actors' positions (Scholz et al. 2011, step 3), O(n^2) */
} parley_median_method;

typedef struct parley_median_options {
    parley_median_tie tie;
    parley_median_method method;
} parley_median_options;

void parley_median_options_default(parley_median_options *options);
/* options NULL = defaults. Errors: PARLEY_ENOMEM. */
parley_status parley_median_run(const parley_bargain_problem *problem,
                                const parley_median_options *options,
                                parley_bargain_result *result, parley_error *err);

/* Asymmetric Nash bargaining solution over the status quo (src/bargain/nbs.c):
 * x* = argmax prod_i (u_i(x) - u_i(q))^{w_i} with u_i(x) = -|x - x_i|^p over the
 * actors that bargain. docs/MODELS.md gives the derivation and every choice. */
typedef enum parley_nbs_utility {
    PARLEY_NBS_QUADRATIC, /* p = 2 (default) */
    PARLEY_NBS_LINEAR     /* p = 1 */
} parley_nbs_utility;

/* Actors standing at the status quo (x_i == q) gain from no agreement. */
typedef enum parley_nbs_at_status_quo {
    PARLEY_NBS_EXCLUDE,  /* they do not bargain (default) */
    PARLEY_NBS_UNANIMITY /* they veto: the forecast is q */
} parley_nbs_at_status_quo;

/* Bargaining actors on both sides of q: no x makes all of them gain. */
typedef enum parley_nbs_split {
    PARLEY_NBS_SPLIT_STATUS_QUO, /* disagreement: the forecast is q (default) */
    PARLEY_NBS_SPLIT_MAJORITY    /* only the side of q with more weight bargains */
} parley_nbs_split;

/* The issue's status quo is NAN. */
typedef enum parley_nbs_unknown_sq {
    PARLEY_NBS_SQ_WORST, /* each actor's disagreement utility is that of the scale end
                            farthest from it (default) */
    PARLEY_NBS_SQ_NONE   /* no forecast (NAN) */
} parley_nbs_unknown_sq;

typedef enum parley_nbs_weight {
    PARLEY_NBS_WEIGHT_CS, /* w_i = c_i s_i (default) */
    PARLEY_NBS_WEIGHT_C   /* w_i = c_i for every actor with s_i > 0 */
} parley_nbs_weight;

typedef struct parley_nbs_options {
    parley_nbs_utility utility;
    parley_nbs_at_status_quo at_status_quo;
    parley_nbs_split split;
    parley_nbs_unknown_sq unknown_status_quo;
    parley_nbs_weight weight;
} parley_nbs_options;

void parley_nbs_options_default(parley_nbs_options *options);
/* options NULL = defaults. Errors: PARLEY_ENOMEM. Cost O(n_actors x n_issues x 200)
 * (bisection on the derivative of the concave log Nash product). */
parley_status parley_nbs_run(const parley_bargain_problem *problem,
                             const parley_nbs_options *options,
                             parley_bargain_result *result, parley_error *err);

/* ---- One entry point for every model (src/bargain/forecast.c) ---- */

struct parley_bdm_options;
struct parley_exchange_options;
struct parley_smp_options;

/* What parley_bargain_forecast passes to the models. NULL option pointers mean
 * each model's defaults (include/parley/bargain_bdm.h, bargain_exchange.h,
 * bargain_smp.h). A non-zero `rounds` or `seed` overrides the corresponding
 * field of the model's options (for SMP, rounds caps max_turns: its own
 * stopping rule may end the run earlier). */
typedef struct parley_bargain_settings {
    size_t rounds;  /* BDM, exchange, SMP: rounds to run (0 = the model's default) */
    uint64_t seed;  /* random tie-breaking and stochastic variants */
    const parley_median_options *median;
    const parley_nbs_options *nbs;
    const struct parley_bdm_options *bdm;
    const struct parley_exchange_options *exchange;
    const struct parley_smp_options *smp;
} parley_bargain_settings;

/* Zero rounds, seed 0, every option pointer NULL. */
void parley_bargain_settings_default(parley_bargain_settings *settings);

/* Whether `model` is compiled into this library. */
bool parley_bargain_model_available(parley_bargain_model model);

/* Validates `problem` (parley_bargain_problem_validate) and runs `model`. The
 * multi-issue models (exchange, SMP) run once per issue group when
 * problem->issue_group names more than one; their traces are stitched, a group
 * that stopped early keeping its last positions.
 * settings NULL = defaults. Fills `result` (caller frees it). Errors:
 * PARLEY_EINPUT (invalid problem or model input), PARLEY_EUSAGE (model not in
 * this build), PARLEY_ENOMEM, PARLEY_ENUMERIC. Cost: the model's. */
parley_status parley_bargain_forecast(const parley_bargain_problem *problem,
                                      parley_bargain_model model,
                                      const parley_bargain_settings *settings,
                                      parley_bargain_result *result, parley_error *err);

/* ---- Scoring forecasts against known outcomes (src/bargain/evaluate.c) ---- */

/* Errors on the 0-100 scale: |forecast - outcome| x 100 / (scale_max - scale_min),
 * over the issues with both a finite outcome and a finite forecast. */
typedef struct parley_bargain_score {
    size_t n;         /* issues scored */
    double mae;       /* mean absolute error (NAN when n == 0) */
    double median_ae; /* median absolute error (mean of the middle two when n is even) */
    double within10;  /* share of issues with error <= 10 */
} parley_bargain_score;

/* Scores `forecast` (n_issues values, e.g. result->forecast) against
 * problem->outcome. Errors: PARLEY_ENOMEM. Cost O(n_issues log n_issues). */
parley_status parley_bargain_score_forecast(const parley_bargain_problem *problem,
                                            const double *forecast,
                                            parley_bargain_score *score, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
