/* Forecasting where bargaining lands: the established static and dynamic
 * bargaining models on one shared input, the bargaining problem (actors x
 * issues with capability, position and salience). Scenarios and the peer table
 * formats (Decide, KTAB SMP CSV, BDM CSV, DEU TSV) all convert to it.
 * docs/MODELS.md gives every equation, parameter and default. */
#ifndef PARLEY_BARGAIN_H
#define PARLEY_BARGAIN_H

#include "parley/error.h"

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
    double *risk;         /* n_actors risk attitudes in [-1, 1] (0 neutral), or NULL */
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

#ifdef __cplusplus
}
#endif
#endif
