/* Stokman's exchange model as Decide implements it (Stokman & Van Oosten 1994;
 * foarsitter/decide-exchange-model, the "equal gain" model): actors who stand on
 * opposite sides of the compromise on two issues trade votes, each moving on the
 * issue it cares less about; the exchange with the highest (equal) utility gain
 * is executed first and the others are recomputed; voting positions then pull the
 * actors' preferences for the next round. docs/MODELS.md, "Stokman's exchange
 * model", gives every equation and parameter. */
#ifndef PARLEY_BARGAIN_EXCHANGE_H
#define PARLEY_BARGAIN_EXCHANGE_H

#include "parley/bargain.h"
#include "parley/error.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Which of several exchanges with the same highest gain is executed. */
typedef enum parley_exchange_ties {
    /* The first created (default): exchanges are created per pair of issues in
     * input order, A-D pairs before B-C pairs, actors in input order. This is
     * Decide's order (ALLOW_RANDOM = False; it re-sorts its list stably) except
     * when a recomputed exchange's new gain exactly equals another's, where Decide
     * keeps the order of their earlier gains. Permuting actors therefore changes
     * results only through exact ties of gains. */
    PARLEY_EXCHANGE_TIES_FIRST,
    /* Uniformly among all tied exchanges, from the seeded stream (seed, draw, run,
     * PARLEY_MECH_BARGAIN, actor 0, round r). */
    PARLEY_EXCHANGE_TIES_RANDOM
} parley_exchange_ties;

typedef enum parley_exchange_variant {
    /* Both partners gain the same utility (default). */
    PARLEY_EXCHANGE_EQUAL_GAIN,
    /* Random rate: after the equal-gain terms are found, one partner (chosen with
     * probability 1/2) has its gain moved, with probability 1/2 towards the most it
     * could get without the other losing, else towards 0, by a share
     * random_rate * U(0, 1) (Decide's randomized equal gain, `--p`). Draws come from
     * the stream (seed, draw, run, PARLEY_MECH_BARGAIN, actor 1, round r). */
    PARLEY_EXCHANGE_RANDOM_RATE
} parley_exchange_variant;

/* The arithmetic the model runs in. */
typedef enum parley_exchange_arithmetic {
    /* Binary double precision (default). Matches Decide while no decision hangs
     * on rounding residue: on decide_sample_data.txt, rounds 1-3. */
    PARLEY_EXCHANGE_DOUBLE,
    /* Decide's own: decimals of 28 significant digits rounded half-even after
     * every operation (Python's default decimal context), in Decide's order of
     * operations. Reproduces Decide's rounds where it lets an exchange go ahead
     * or not on the sign of a ~1e-26 residue. Inputs are read as the shortest
     * decimal that gives back the double (0.95, not the binary 0.95), the
     * preference-update weights exactly (Decide's Decimal(0.4)). Only with
     * PARLEY_EXCHANGE_TIES_FIRST and PARLEY_EXCHANGE_EQUAL_GAIN; tie_tolerance is
     * not used (gains are compared exactly, as Decide does). Slower than
     * double (software decimals, candidates re-sorted as Decide's list is). */
    PARLEY_EXCHANGE_DECIMAL28
} parley_exchange_arithmetic;

typedef struct parley_exchange_options {
    size_t rounds;                   /* rounds of exchanges; default 10; at most 100000 */
    parley_exchange_ties ties;       /* default PARLEY_EXCHANGE_TIES_FIRST */
    parley_exchange_variant variant; /* default PARLEY_EXCHANGE_EQUAL_GAIN */
    double random_rate;              /* p in [0, 1] for RANDOM_RATE; default 1 */
    /* Preference update after a round for an actor that traded on an issue:
     * x' = (1 - w) x + w y with w = (1 - s) salience_weight + fixed_weight,
     * y the voting position, s the actor's salience. Defaults 0.4 and 0.1
     * (Decide's SALIENCE_WEIGHT, FIXED_WEIGHT); 0 and 0 keep preferences fixed. */
    double salience_weight;
    double fixed_weight;
    /* Gains within tie_tolerance x max(|gains|) count as equal. Default 1e-12. */
    double tie_tolerance;
    parley_exchange_arithmetic arithmetic; /* default PARLEY_EXCHANGE_DOUBLE */
    uint64_t seed; /* stream coordinates for the random choices; default 0 */
    uint32_t draw;
    uint32_t run;
} parley_exchange_options;

/* Fills `options` with the defaults above. */
void parley_exchange_options_default(parley_exchange_options *options);

/* One executed exchange. Side 0 is Decide's actor i, side 1 its actor j: side s
 * moves (supplies) on supply_issue[s] and gains on the other side's supply issue. */
typedef struct parley_exchange_record {
    size_t round;           /* 1-based */
    size_t actor[2];
    size_t supply_issue[2];
    double start[2];        /* position on the supply issue before this exchange */
    double voting[2];       /* position on the supply issue after it */
    double gain[2];         /* utility gains (equal unless RANDOM_RATE), on the 0-100 scale
                               times salience */
} parley_exchange_record;

/* Everything a run computes. Positions are on each issue's own scale, actor-major
 * blocks of n_actors x n_issues; an actor absent from an issue (no weight) keeps its
 * input position. */
typedef struct parley_exchange_history {
    size_t rounds;
    size_t n_actors;
    size_t n_issues;
    /* rounds + 1 blocks: block r holds the preferences at the start of round r + 1
     * (block 0 is the input, block `rounds` follows the last update). */
    double *preference;
    /* rounds + 1 blocks: block 0 is the input, block r the voting positions after
     * round r's exchanges. */
    double *voting;
    /* (rounds + 1) x n_issues compromises (sum c s x / sum c s) of the blocks above;
     * NAN where no actor has weight. voting_mds[rounds] is the forecast. */
    double *preference_mds;
    double *voting_mds;
    size_t n_exchanges;
    parley_exchange_record *exchanges; /* in order of execution */
} parley_exchange_history;

/* Runs the exchange model on all issues of `problem` together (exchanges pair
 * issues). `options` NULL = defaults. Fills `history` (caller frees it with
 * parley_exchange_history_free; left empty on failure). Errors: PARLEY_EINPUT
 * (problem fails parley_bargain_problem_validate, a weighted position outside its
 * issue's scale, bad option), PARLEY_ELIMIT (rounds), PARLEY_ENOMEM. Cost per
 * round O(E (n_actors + R)) with E <= n_issues^2 n_actors^2 / 8 candidate exchanges
 * and R executed ones; memory O(E + rounds n_actors n_issues). */
parley_status parley_exchange_run_history(const parley_bargain_problem *problem,
                                          const parley_exchange_options *options,
                                          parley_exchange_history *history,
                                          parley_error *err);

void parley_exchange_history_free(parley_exchange_history *history);

/* The model as a forecaster: result->forecast[i] is the compromise of the voting
 * positions after the last round (rounds = 1 gives the classic exchange-model
 * forecast; rounds = 0 the compromise of the input). result->trace has rounds + 1
 * blocks of voting positions (block 0 the input) and trace.mean the compromise of
 * each block; trace.median stays NULL. Errors as parley_exchange_run_history. */
parley_status parley_exchange_run(const parley_bargain_problem *problem,
                                  const parley_exchange_options *options,
                                  parley_bargain_result *result, parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
