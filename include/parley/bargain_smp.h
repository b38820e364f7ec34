/* KTAB's Spatial Model of Politics (SMP): every issue of a bargaining problem is
 * one dimension of a common policy space; actors challenge one another, third
 * parties join the side they prefer, challengers propose interpolated bargains,
 * and each actor resolves the queue of bargains that involve it by a
 * probabilistic Condorcet election, turn after turn, until the latest move is
 * below 2% of the first. Re-implemented from KAPSARC's KTAB (MIT) so that the
 * default options reproduce KTAB's `smpc` position histories; docs/MODELS.md
 * gives every equation, option and default, and where parley departs. */
#ifndef PARLEY_BARGAIN_SMP_H
#define PARLEY_BARGAIN_SMP_H

#include "parley/bargain.h"
#include "parley/error.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The enums keep KTAB's order, so that the integer codes equal KTAB's. */

/* How coalition strengths become a victory probability (KTAB VPModel). */
typedef enum parley_smp_victory_prob {
    PARLEY_SMP_VPM_LINEAR, /* default: C_ab / (C_ab + C_ba) */
    PARLEY_SMP_VPM_SQUARE,
    PARLEY_SMP_VPM_QUARTIC,
    PARLEY_SMP_VPM_OCTIC,
    PARLEY_SMP_VPM_BINARY,
    PARLEY_SMP_VPM_COUNT
} parley_smp_victory_prob;

/* Probabilistic Condorcet election (KTAB PCEModel). */
typedef enum parley_smp_pce {
    PARLEY_SMP_PCE_CONDITIONAL, /* default */
    PARLEY_SMP_PCE_MARKOV_INCENTIVE,
    PARLEY_SMP_PCE_MARKOV_UNIFORM,
    PARLEY_SMP_PCE_COUNT
} parley_smp_pce;

/* How each actor picks from its queue of bargains (KTAB StateTransitions). */
typedef enum parley_smp_transition {
    PARLEY_SMP_DETERMINISTIC, /* default: the most probable bargain, first on ties */
    PARLEY_SMP_STOCHASTIC,    /* drawn from the PCE probabilities with parley's RNG */
    PARLEY_SMP_TRANSITION_COUNT
} parley_smp_transition;

/* An actor's vote between two options from its utility difference (KTAB VotingRule). */
typedef enum parley_smp_voting_rule {
    PARLEY_SMP_VR_BINARY,
    PARLEY_SMP_VR_PROP_BIN,
    PARLEY_SMP_VR_PROPORTIONAL, /* default */
    PARLEY_SMP_VR_PROP_CUBIC,
    PARLEY_SMP_VR_CUBIC,
    PARLEY_SMP_VR_ASYM_PROSPECT,
    PARLEY_SMP_VR_COUNT
} parley_smp_voting_rule;

/* h's estimate of i's risk attitude from r_h and r_i (KTAB BigRAdjust). */
typedef enum parley_smp_risk_adjust {
    PARLEY_SMP_RA_NONE,       /* r_h */
    PARLEY_SMP_RA_ONE_THIRD,  /* default: (2 r_h + r_i) / 3 */
    PARLEY_SMP_RA_HALF,       /* (r_h + r_i) / 2 */
    PARLEY_SMP_RA_TWO_THIRDS, /* (r_h + 2 r_i) / 3 */
    PARLEY_SMP_RA_FULL,       /* r_i */
    PARLEY_SMP_RA_COUNT
} parley_smp_risk_adjust;

/* The range of inferred risk attitudes (KTAB BigRRange). */
typedef enum parley_smp_risk_range {
    PARLEY_SMP_RR_MIN, /* [0, 1] */
    PARLEY_SMP_RR_MID, /* default: [-1/2, 1] */
    PARLEY_SMP_RR_MAX, /* [-1, 1] */
    PARLEY_SMP_RR_COUNT
} parley_smp_risk_range;

/* How far a third party that joins a side expects to be dragged (KTAB ThirdPartyCommit). */
typedef enum parley_smp_third_party {
    PARLEY_SMP_TPC_NO_COMMIT,
    PARLEY_SMP_TPC_SEMI_COMMIT, /* default */
    PARLEY_SMP_TPC_FULL_COMMIT,
    PARLEY_SMP_TPC_COUNT
} parley_smp_third_party;

/* How a challenger interpolates the proposal (KTAB InterVecBrgn). */
typedef enum parley_smp_interp {
    PARLEY_SMP_IVB_S1P1,
    PARLEY_SMP_IVB_S2P2, /* default: weights salience^2 x probability^2 */
    PARLEY_SMP_IVB_S2PMAX,
    PARLEY_SMP_IVB_COUNT
} parley_smp_interp;

/* Which proposals enter the queues (KTAB BargnModel). */
typedef enum parley_smp_bargain_model {
    PARLEY_SMP_BM_INIT_ONLY, /* default: the initiator's interpolation only */
    PARLEY_SMP_BM_INIT_RCVR, /* both the initiator's and the target's */
    PARLEY_SMP_BM_PW_COMP,   /* their capability x salience weighted compromise */
    PARLEY_SMP_BM_COUNT
} parley_smp_bargain_model;

/* parley's single-number reading of the final state (KTAB gives none). The
 * win probabilities are KTAB's: a probabilistic Condorcet election among the
 * final state's distinct positions (closer than 0.1 on 0-100 count as one),
 * voted by every actor with its own risk-aware utilities. */
typedef enum parley_smp_forecast {
    /* sum_i c_i s_id x_id / sum_i c_i s_id over the final positions (the
     * compromise model of the final state) */
    PARLEY_SMP_FORECAST_WEIGHTED_MEAN,
    /* default: the expected outcome, sum over the distinct final positions of
     * win probability x position */
    PARLEY_SMP_FORECAST_EXPECTED,
    /* the distinct final position with the highest win probability */
    PARLEY_SMP_FORECAST_MOST_PROBABLE,
    PARLEY_SMP_FORECAST_COUNT
} parley_smp_forecast;

typedef struct parley_smp_options {
    parley_smp_victory_prob victory_prob;
    parley_smp_pce pce;
    parley_smp_transition transition;
    parley_smp_voting_rule voting_rule;
    parley_smp_risk_adjust risk_adjust;
    parley_smp_risk_range risk_range;
    parley_smp_third_party third_party;
    parley_smp_interp interp;
    parley_smp_bargain_model bargain_model;
    parley_smp_forecast forecast;
    unsigned max_turns;    /* 100: stop after this many turns */
    unsigned min_turns;    /* 2: never stop by the ratio test before this turn */
    double stop_ratio;     /* 0.02: stop when the latest move < ratio x first move */
    double stop_min_delta; /* 1e-4: added to the first move (guards 0/0) */
    /* Stochastic transitions draw from the stream (seed, draw, run,
     * PARLEY_MECH_BARGAIN, actor, turn): a run is reproducible from these. */
    uint64_t seed;
    uint32_t draw;
    uint32_t run;
    /* Threads for the challenge search, the O(N^3) part: 0 (default) picks
     * one per online processor, at most 16 and at most N/16; 1 runs on the
     * calling thread. Results never depend on it. */
    unsigned threads;
    /* KTAB's ideal-accommodation matrix, n_actors x n_actors row-major with
     * entries in [0,1] and row sums <= 1, or NULL for the identity (ideals
     * follow positions, as in every KTAB CSV run). Borrowed, not copied. */
    const double *accommodation;
} parley_smp_options;

/* Fills `options` with KTAB's defaults (listed above). */
void parley_smp_options_default(parley_smp_options *options);

/* Sets one option by name, accepting KTAB's parameter names and values
 * case-insensitively: VictoryProbModel (Linear Square Quartic Octic Binary),
 * PCEModel (Conditional MarkovIncentive MarkovUniform), StateTransitions
 * (Deterministic Stochastic), VotingRule (Binary PropBin Proportional PropCbc
 * Cubic ASymProsp), BigRAdjust (None OneThird Half TwoThirds Full), BigRRange
 * (Min Mid Max), ThirdPartyCommit (NoCommit SemiCommit FullCommit),
 * InterVecBrgn (S1P1 S2P2 S2PMax), BargnModel (InitOnlyInterp InitRcvrInterp
 * PWCompInterp), and parley's Forecast (WeightedMean Expected MostProbable),
 * MaxTurns, MinTurns, StopRatio, StopMinDelta, Seed, Draw, Run, Threads.
 * Errors: PARLEY_EINPUT (unknown name or value; the diagnostic lists the
 * accepted ones). Cost O(1). */
parley_status parley_smp_options_set(parley_smp_options *options, const char *name,
                                     const char *value, parley_error *err);

/* Name of an enum value as KTAB spells it ("Linear", "SemiCommit", ...);
 * `option` is one of the enum names accepted by parley_smp_options_set.
 * Returns NULL for an unknown option or value. */
const char *parley_smp_option_value_name(const char *option, int value);

/* Runs SMP on `problem`, every issue a dimension. Positions are mapped from
 * each issue's [scale_min, scale_max] to KTAB's [0, 1] and back, saliences
 * are used as given (KTAB's CSV saliences / 100, not renormalised per actor),
 * and capability is per actor (the mean over issues when a row varies).
 * Actors whose capability or total salience is 0 take no part: they never
 * move and nobody targets them. On success fills `result` (caller frees with
 * parley_bargain_result_free): forecast per issue (options->forecast) and
 * trace.positions, (rounds + 1) blocks of n_actors x n_issues on the issues'
 * own scales, block 0 the input. `options` NULL means the defaults.
 * Errors: PARLEY_EINPUT (a participating actor without a position on some
 * issue, a bad option, a bad scale or accommodation matrix), PARLEY_ELIMIT
 * (sizes overflow), PARLEY_ENOMEM, PARLEY_ENUMERIC (a Markov PCE that does not
 * converge in 1,000 iterations, or a non-finite intermediate).
 * Cost: O(T (N^3 + N^2 D)) time for T turns and N actors, O(N^2 + T N D) memory. */
parley_status parley_smp_run(const parley_bargain_problem *problem,
                             const parley_smp_options *options,
                             parley_bargain_result *result, parley_error *err);

/* What KTAB logs beside positions, per state t = 0..states-1 (and per turn
 * for the challenges, t = 0..states-2). All arrays are owned by the history;
 * free with parley_smp_history_free. */
typedef struct parley_smp_history {
    size_t states;
    size_t n_actors;
    size_t n_issues;
    double *risk;     /* states x n_actors: inferred risk attitude R_i */
    double *win_prob; /* states x n_actors: KTAB's "prob" (its position's PCE probability) */
    long *target;     /* (states-1) x n_actors: the actor challenged in turn t, or -1 */
    double *target_prob; /* (states-1) x n_actors: i's estimate that it beats its target */
    double *target_gain; /* (states-1) x n_actors: i's expected utility gain */
    double *proposal;    /* (states-1) x n_actors x n_issues: the position the
                            initiator's proposal gives the initiator (issue scale),
                            NAN when none */
} parley_smp_history;

/* parley_smp_run that also fills `history` (may be NULL). Same errors and cost. */
parley_status parley_smp_run_history(const parley_bargain_problem *problem,
                                     const parley_smp_options *options,
                                     parley_bargain_result *result,
                                     parley_smp_history *history, parley_error *err);

void parley_smp_history_free(parley_smp_history *history);

#ifdef __cplusplus
}
#endif
#endif
