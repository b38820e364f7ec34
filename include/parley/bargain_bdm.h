/* Bueno de Mesquita's expected utility ("challenge") model, as unravelled by
 * Scholz, Calbert & Smith (2011): every actor weighs challenging every other,
 * offers of conflict, compromise and capitulation follow, and all actors move
 * at once, round after round. Each point where the literature disagrees is an
 * option below; the defaults reproduce Scholz's Table 2 (BDM 1994's EC
 * car-emission example). docs/MODELS.md gives the equations. */
#ifndef PARLEY_BARGAIN_BDM_H
#define PARLEY_BARGAIN_BDM_H

#include "parley/bargain.h"
#include "parley/error.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Scholz's Table 2 reports 8 rounds; the model does not converge (positions
 * oscillate), so the round count is part of the forecast. */
#define PARLEY_BDM_DEFAULT_ROUNDS 8
#define PARLEY_BDM_MAX_ROUNDS 100000

/* The probability that i's position beats j's in a contest. Both count the
 * c*s-weighted votes of every actor k for i over j (k's utility loss from x_j
 * minus that from x_i, each distance over the range R raised to k's exponent). */
typedef enum parley_bdm_probability {
    /* Scholz's own code: divide by the absolute votes summed over every ordered
     * pair of actors' positions (one constant per round), so P is small and
     * P_ij + P_ji < 1. Reproduces Table 2. */
    PARLEY_BDM_PROB_SCHOLZ_CODE = 0,
    /* The paper's eq. 31: divide by the absolute votes on this pair only, so
     * P_ij + P_ji = 1 (0.5 each when nobody with weight cares). */
    PARLEY_BDM_PROB_EQ31
} parley_bdm_probability;

/* Which exponent a voter k uses in the probability's votes. */
typedef enum parley_bdm_voter_risk {
    PARLEY_BDM_VOTER_OWN = 0, /* k's own risk exponent r_k (Scholz's code) */
    PARLEY_BDM_VOTER_NEUTRAL  /* exponent 1: distances as in eq. 31 as printed */
} parley_bdm_voter_risk;

/* Whose exponent enters the basic utilities when actor e evaluates a pair. */
typedef enum parley_bdm_pair_risk {
    PARLEY_BDM_PAIR_EVALUATOR = 0, /* e's own r for both sides (Scholz; BDM's "perception") */
    PARLEY_BDM_PAIR_OWN            /* each side's utilities with that side's own r */
} parley_bdm_pair_risk;

/* T in eq. 25a (matters only when Q < 1): whether j's uncoerced move toward the
 * median helps i. */
typedef enum parley_bdm_t_rule {
    PARLEY_BDM_T_SIDE = 0, /* T = 1 when |x_i - mu| < |x_i - x_j| (mu nearer i than j is) */
    PARLEY_BDM_T_ONE,      /* T = 1 always (dmasad's replication default) */
    PARLEY_BDM_T_ZERO      /* T = 0 always */
} parley_bdm_t_rule;

/* The reference point mu in U_b, U_w and the T rule. */
typedef enum parley_bdm_mu {
    PARLEY_BDM_MU_MEDIAN = 0, /* the round's median voter position */
    PARLEY_BDM_MU_MEAN        /* the round's c*s-weighted mean */
} parley_bdm_mu;

/* The range R that normalises every distance. */
typedef enum parley_bdm_range {
    PARLEY_BDM_RANGE_INITIAL = 0, /* max - min of the input positions, fixed (Scholz, jmckib) */
    PARLEY_BDM_RANGE_EACH_ROUND,  /* max - min of the current positions */
    PARLEY_BDM_RANGE_SCALE        /* the issue's scale_max - scale_min */
} parley_bdm_range;

/* How an actor picks among the offers it received. The kind always has
 * priority: conflict lost, then compromise, then capitulation. */
typedef enum parley_bdm_selection {
    /* Scholz's code: the conflict or capitulation that moves it least; among
     * compromises the smallest (|E_ij| x_i + |E_ji| x_j) / (|E_ij| + |E_ji|). */
    PARLEY_BDM_SELECT_SCHOLZ = 0,
    /* The paper's text: within the best kind, the offer that moves it least. */
    PARLEY_BDM_SELECT_LEAST_MOVE
} parley_bdm_selection;

/* The per-issue number reported in result->forecast. */
typedef enum parley_bdm_forecast {
    PARLEY_BDM_FORECAST_MEDIAN = 0, /* median voter position after the last round */
    PARLEY_BDM_FORECAST_MEAN        /* c*s-weighted mean position after the last round */
} parley_bdm_forecast;

/* How the probabilities are summed; both give the same numbers (to rounding). */
typedef enum parley_bdm_algorithm {
    PARLEY_BDM_FAST = 0, /* sorted positions + prefix sums: O(n^2 log n) a round */
    PARLEY_BDM_NAIVE     /* the sums as written: O(n^3) a round (kept to test FAST) */
} parley_bdm_algorithm;

typedef struct parley_bdm_options {
    size_t rounds;                     /* default 8; 0 reports the input's median */
    double Q;                          /* probability of the status quo, [0, 1]; default 1 */
    parley_bdm_t_rule T;               /* default PARLEY_BDM_T_SIDE */
    parley_bdm_mu mu;                  /* default PARLEY_BDM_MU_MEDIAN */
    parley_bdm_probability probability; /* default PARLEY_BDM_PROB_SCHOLZ_CODE */
    parley_bdm_voter_risk voter_risk;  /* default PARLEY_BDM_VOTER_OWN */
    parley_bdm_pair_risk pair_risk;    /* default PARLEY_BDM_PAIR_EVALUATOR */
    parley_bdm_range range;            /* default PARLEY_BDM_RANGE_INITIAL */
    parley_bdm_selection selection;    /* default PARLEY_BDM_SELECT_SCHOLZ */
    /* Capitulation: E_ji > 0 > E_ij with |E_ij| >= E_ji moves i all the way to
     * x_j. Default true. false drops those offers, which is what jmckib's
     * replication does in effect (its test for this case can never be true). */
    bool capitulation;
    parley_bdm_forecast forecast;      /* default PARLEY_BDM_FORECAST_MEDIAN */
    parley_bdm_algorithm algorithm;    /* default PARLEY_BDM_FAST */
} parley_bdm_options;

/* Fills `options` with the defaults above (those that reproduce Scholz's Table 2). */
void parley_bdm_options_default(parley_bdm_options *options);

/* What an actor did in a round, from its own point of view. */
typedef enum parley_bdm_offer_kind {
    PARLEY_BDM_OFFER_NONE = 0,     /* stalemate / status quo: it keeps its position */
    PARLEY_BDM_OFFER_CONFLICT,     /* it expects to lose a conflict and moves to x_j */
    PARLEY_BDM_OFFER_COMPROMISE,   /* it moves |E_ij / E_ji| of the way to x_j */
    PARLEY_BDM_OFFER_CAPITULATION  /* it gives in and moves to x_j */
} parley_bdm_offer_kind;

/* "none", "conflict", "compromise", "capitulation"; never NULL. */
const char *parley_bdm_offer_kind_name(parley_bdm_offer_kind kind);

#define PARLEY_BDM_NO_ACTOR ((size_t)-1)

/* Per-round internals, for `--trace` and for tests. Every array has `rounds`
 * blocks of n_actors x n_issues (actor-major, like the problem's matrices);
 * round t (1-based) is block t - 1: index ((t - 1) * n_actors + a) * n_issues + i.
 * Actors without a position on an issue hold NAN / NONE / PARLEY_BDM_NO_ACTOR.
 * Owned by the caller; free with parley_bdm_details_free. */
typedef struct parley_bdm_details {
    size_t rounds;
    size_t n_actors;
    size_t n_issues;
    double *risk;       /* r_i used for the round's offers, in [0.5, 2] */
    double *security;   /* Sec_i = sum over j != i of E^j(U_ji), all r = 1 */
    int *offer_kind;    /* parley_bdm_offer_kind of the accepted offer */
    size_t *offer_from; /* the actor whose offer was accepted */
    double *eu_own;     /* E^i(U_ij) of the accepted offer (i challenging j) */
    double *eu_other;   /* E^i(U_ji) of the accepted offer (j challenging i) */
} parley_bdm_details;

/* Runs the model on each issue of `problem` independently.
 * problem: positions finite or NAN (NAN = no stance: the actor is left out of
 *   that issue); capability finite and >= 0; salience in [0, 1] (it is the
 *   probability that a challenged actor resists). Actors with salience 0 take
 *   part but carry no weight in votes, the median or the mean.
 * options: NULL means the defaults.
 * result: overwritten; on success holds model PARLEY_MODEL_BDM, one forecast
 *   per issue (NAN when no actor with weight takes part) and the trace
 *   (positions of rounds 0..rounds, median and mean per round, round 0 = the
 *   input). Free with parley_bargain_result_free. On failure it is left empty.
 * Errors: PARLEY_EINPUT (bad problem or options, every problem reported),
 *   PARLEY_ELIMIT (rounds above PARLEY_BDM_MAX_ROUNDS), PARLEY_ENOMEM.
 * Cost: O(rounds x issues x n^2 log n) time and O(n^2) memory with the default
 *   FAST algorithm, n = actors with a position on the issue. */
parley_status parley_bdm_run(const parley_bargain_problem *problem,
                             const parley_bdm_options *options, parley_bargain_result *result,
                             parley_error *err);

/* As parley_bdm_run, and also fills `details` (when not NULL; overwritten,
 * left empty on failure). Extra cost O(rounds x actors x issues) memory. */
parley_status parley_bdm_run_detailed(const parley_bargain_problem *problem,
                                      const parley_bdm_options *options,
                                      parley_bargain_result *result,
                                      parley_bdm_details *details, parley_error *err);

/* Frees the arrays and empties `details`; NULL is allowed. */
void parley_bdm_details_free(parley_bdm_details *details);

#ifdef __cplusplus
}
#endif
#endif
