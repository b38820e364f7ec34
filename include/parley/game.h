/* Repeated games for confidence building: 2x2 stage games, table-driven
 * strategies, imperfect verification, matches you can step one round at a time,
 * exact expected payoffs (Markov chain and finite-horizon dynamic programming),
 * N-party pairwise games and round-robin tournaments.
 *
 * The process simulator uses this module for compliance: it holds one
 * parley_pair (two players, their channels and their random stream) per pair
 * of parties, or one parley_ngame for all of them, and steps them a round at a
 * time. Tournaments and `parley match` sit on the same step function, so what
 * the simulator sees is exactly what the tournament commands measure.
 *
 * Actions: PARLEY_C = 0 (cooperate), PARLEY_D = 1 (defect). An outcome index
 * is a1 * 2 + a2 from player 1's view: CC = 0, CD = 1, DC = 2, DD = 3.
 * docs/GAMES.md documents the strategies as tables, the channel semantics, the
 * exact methods and the conventions shared with the Axelrod library. */
#ifndef PARLEY_GAME_H
#define PARLEY_GAME_H

#include "parley/error.h"
#include "parley/rng.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum parley_action { PARLEY_C = 0, PARLEY_D = 1 } parley_action;

/* ---------------------------------------------------------------- stage games */

/* A 2x2 game. payoff[p][a1][a2] is what player p (0 = row, 1 = column) gets when
 * the row player plays a1 and the column player a2. */
typedef struct parley_stage_game {
    double payoff[2][2][2];
} parley_stage_game;

/* The symmetric game with reward R, sucker S, temptation T, punishment P. */
void parley_stage_game_symmetric(parley_stage_game *g, double R, double S, double T, double P);

/* Parses a game: "pd" (or "prisoners-dilemma": 3,0,5,1), "stag-hunt" (4,0,3,2),
 * "chicken" (3,1,5,0), "R,S,T,P" (symmetric) or eight numbers
 * "r_CC,r_CD,r_DC,r_DD,c_CC,c_CD,c_DC,c_DD" (row then column player's payoffs by
 * outcome). Errors: PARLEY_EINPUT (unknown name, bad number, not finite). */
parley_status parley_stage_game_parse(const char *text, parley_stage_game *g, parley_error *err);

/* Whether the game is symmetric and a prisoner's dilemma: T > R > P > S and
 * 2R > T + S. When it is, R, S, T, P are stored in *rstp (may be NULL). */
bool parley_stage_game_is_pd(const parley_stage_game *g, double rstp[4]);

/* --------------------------------------------------------------- strategies */

/* A compiled strategy: immutable once made, shared freely between threads and
 * between any number of players. */
typedef struct parley_strategy parley_strategy;

/* Parses a strategy spec such as "TitForTat", "GTFT:0.3333333333", "ZD:2",
 * "Random:0.3", "MemoryOne:1:0:1:0:C", "Hedger:0.6:2:1" (names as in
 * docs/GAMES.md; case-insensitive; short aliases TFT, WSLS, ...). `game` resolves
 * game-dependent parameters (GTFT's default, ZD's table) and may be NULL only
 * for specs that need none. On success *out is a new strategy the caller frees
 * with parley_strategy_free. Errors: PARLEY_EINPUT (unknown name, bad or
 * out-of-range parameter, ZD or default GTFT on a game that is not a
 * prisoner's dilemma), PARLEY_ENOMEM. Cost O(length of spec). */
parley_status parley_strategy_parse(const char *spec, const parley_stage_game *game,
                                    parley_strategy **out, parley_error *err);

/* A finite-state strategy given as data (what a scenario file defines).
 * State s cooperates with probability p_cooperate[s]; after a round in which it
 * played `own` and observed `seen`, it moves to next[s][own * 2 + seen].
 * Play starts in state `start`. */
typedef struct parley_strategy_table {
    const char *name;
    uint32_t nstates; /* 1 .. PARLEY_STRATEGY_MAX_STATES */
    uint32_t start;
    const double *p_cooperate;     /* nstates probabilities in [0, 1] */
    const uint32_t (*next)[4];     /* nstates rows of 4 states < nstates */
} parley_strategy_table;

#define PARLEY_STRATEGY_MAX_STATES 65536u

/* Compiles a table; `where` names it in diagnostics (may be NULL). Errors:
 * PARLEY_EINPUT (every problem found: counts, probabilities, transitions),
 * PARLEY_ENOMEM. Cost O(nstates). */
parley_status parley_strategy_from_table(const parley_strategy_table *table, const char *where,
                                         parley_strategy **out, parley_error *err);

/* A memory-one strategy: cooperates with p[0..3] after CC, CD, DC, DD (own
 * action, observed action of the other) and with p_first in round 1. */
parley_status parley_strategy_memory_one(const char *name, const double p[4], double p_first,
                                         parley_strategy **out, parley_error *err);

void parley_strategy_free(parley_strategy *s);

/* When `name` (no parameters; case-insensitive) names a built-in strategy or
 * one of its aliases, returns the built-in's canonical name ("TFT" ->
 * "TitForTat"); NULL otherwise. Scenarios use it to keep their own strategy
 * names apart from the built-ins. O(number of built-ins). */
const char *parley_strategy_builtin(const char *name);

/* Renames a strategy just made (before it is shared): a scenario's definition
 * by spec plays under the scenario's name. Errors: PARLEY_EINPUT (empty, or
 * 128 bytes or more). */
parley_status parley_strategy_rename(parley_strategy *s, const char *name, parley_error *err);

/* Canonical name with parameters ("GTFT:0.3333333333"); valid while s lives. */
const char *parley_strategy_name(const parley_strategy *s);
/* True when the strategy never randomises. */
bool parley_strategy_is_deterministic(const parley_strategy *s);
/* True when the strategy has finitely many states (everything but the
 * counting strategies GoByMajority and Hedger). */
bool parley_strategy_is_finite(const parley_strategy *s);
/* When the strategy is memory-one, fills p[0..3] (after CC, CD, DC, DD) and
 * *p_first and returns true. */
bool parley_strategy_as_memory_one(const parley_strategy *s, double p[4], double *p_first);

/* Writes the built-in strategy names, one per line, to buf (like snprintf). */
size_t parley_strategy_list(char *buf, size_t size);

/* ------------------------------------------------ imperfect verification */

/* What happens between an intention and an observation. The player's intended
 * action is flipped with probability `noise` (implementation error); the other
 * player then sees the realised action through a channel that reports a
 * defection as a defection with probability `detect` and a cooperation as a
 * defection with probability `false_alarm`. A perfect channel is
 * {noise, 1, 0}. */
typedef struct parley_channel {
    double noise;
    double detect;
    double false_alarm;
} parley_channel;

#define PARLEY_CHANNEL_PERFECT ((parley_channel){0.0, 1.0, 0.0})

/* Errors: PARLEY_EINPUT when a probability is outside [0, 1] or not finite. */
parley_status parley_channel_check(const parley_channel *c, const char *where, parley_error *err);

/* ------------------------------------------------------ players, one step */

/* One player's memory in a repeated game: a table state, or the counts of
 * observed cooperations and defections for counting strategies. Plain data:
 * copy it, store millions of them. */
typedef struct parley_player {
    uint32_t state;
    uint32_t seen_c;
    uint32_t seen_d;
} parley_player;

void parley_player_init(const parley_strategy *s, parley_player *p);
/* Probability that the player intends to cooperate this round. */
double parley_player_p_cooperate(const parley_strategy *s, const parley_player *p);
/* The intended action this round; draws from rng only when the probability
 * is strictly between 0 and 1 (one 32-bit word). */
parley_action parley_player_intend(const parley_strategy *s, const parley_player *p,
                                   parley_rng *rng);
/* Updates the memory after a round in which the player actually played `own`
 * and observed `seen` of the other. O(1). */
void parley_player_update(const parley_strategy *s, parley_player *p, parley_action own,
                          parley_action seen);

/* One channel draw: flips `intended` with the channel's noise, and
 * parley_channel_observe reports what an observer sees of `actual`. Both draw
 * one word from rng when their probability is strictly between 0 and 1. */
parley_action parley_channel_implement(const parley_channel *c, parley_action intended,
                                       parley_rng *rng);
parley_action parley_channel_observe(const parley_channel *c, parley_action actual,
                                     parley_rng *rng);

/* ------------------------------------------------- a pair, stepped in rounds */

/* Two players in one repeated game, with their channels and random stream.
 * Channel events are drawn as geometric waiting times (one draw per event, not
 * per round), which is what makes a 200-round match cost well under a
 * microsecond at small noise; the distribution is exactly that of independent
 * per-round draws. Plain data (about 200 bytes); no heap. */
typedef struct parley__countdown {
    uint64_t left;      /* trials until and including the next event */
    double inv_log1m;   /* 1 / log(1 - p) when 0 < p < 1 */
    uint8_t mode;       /* 0 never, 1 always, 2 random */
} parley__countdown;

typedef struct parley_pair {
    const parley_strategy *strategy[2];
    parley_player player[2];
    /* Per player i: [0] noise on i's action, [1] i misses a defection,
     * [2] i sees a false alarm. Treat as private. */
    parley__countdown event[2][3];
    parley_rng rng;
    uint32_t round; /* rounds played */
} parley_pair;

/* What one round did. */
typedef struct parley_round {
    parley_action intended[2];
    parley_action actual[2];
    parley_action seen[2]; /* seen[i]: what player i observed of the other */
    double payoff[2];
} parley_round;

/* Starts a game between s1 (row) and s2 (column). c1 governs player 1's noise
 * and player 1's observation of player 2; c2 likewise for player 2 (pass the
 * same channel twice for a symmetric setting). The stream `id` seeds all
 * draws. Channels must be valid (parley_channel_check). O(1). */
void parley_pair_init(parley_pair *pair, const parley_strategy *s1, const parley_strategy *s2,
                      const parley_channel *c1, const parley_channel *c2,
                      const parley_stream_id *id);

/* Plays one round; fills *out when out is not NULL. O(1). */
void parley_pair_step(parley_pair *pair, const parley_stage_game *game, parley_round *out);

/* ------------------------------------------------------------------ matches */

typedef struct parley_match_result {
    uint32_t turns;
    double score[2];       /* totals */
    uint32_t cooperations[2];
    uint32_t outcomes[4];  /* CC, CD, DC, DD counts (actual actions) */
} parley_match_result;

/* Plays `turns` rounds from a fresh pair. actions1/actions2, when not NULL,
 * receive the actual actions as 'C'/'D' (turns bytes each, no terminator).
 * O(turns); no heap. */
void parley_match_play(const parley_strategy *s1, const parley_strategy *s2,
                       const parley_stage_game *game, const parley_channel *channel,
                       uint32_t turns, const parley_stream_id *id, parley_match_result *out,
                       char *actions1, char *actions2);

/* A match length under probabilistic ending: after every round the match
 * ends with probability prob_end (so 1 + Geometric(prob_end) rounds), capped
 * at max_turns. Draws from rng. */
uint32_t parley_match_length(double prob_end, uint32_t max_turns, parley_rng *rng);

/* ----------------------------------------------------------- exact methods */

/* Expected per-turn quantities of a match. */
typedef struct parley_expectation {
    double payoff[2];      /* expected payoff per turn */
    double cooperation[2]; /* expected fraction of turns cooperating (actual) */
    double outcome[4];     /* distribution of actual (a1, a2): CC, CD, DC, DD */
} parley_expectation;

/* Long-run (stationary) averages of two finite-state strategies: the Markov
 * chain on their joint states, split into closed classes (each solved by a
 * direct linear solve of pi (I - P) = 0, sum pi = 1, by Grassmann-Taksar-Heyman
 * elimination, accurate at tiny noise) weighted by the
 * probability of being absorbed into each from the start, so it is exact
 * also without noise. Errors: PARLEY_EINPUT (a counting strategy, whose state
 * is unbounded), PARLEY_ELIMIT (more than 1024 reachable joint states), PARLEY_ENOMEM,
 * PARLEY_ENUMERIC (singular system). Cost O(n^3) in joint states n (25 for two
 * memory-one strategies). */
parley_status parley_exact_long_run(const parley_strategy *s1, const parley_strategy *s2,
                                    const parley_stage_game *game,
                                    const parley_channel *channel, parley_expectation *out,
                                    parley_error *err);

/* Expected per-turn averages over exactly `turns` rounds, by propagating the
 * distribution over joint states round by round (dynamic programming over the
 * joint states; a counting strategy's state at round t is its count of
 * observed cooperations, at most t + 1 values). Any strategies, stochastic or
 * not. Errors: PARLEY_EINPUT (turns = 0), PARLEY_ELIMIT (joint state space
 * above 2^22), PARLEY_ENOMEM. Cost O(turns * n1 * n2) with n the states of each
 * side (turns + 1 for counting strategies). */
parley_status parley_exact_finite(const parley_strategy *s1, const parley_strategy *s2,
                                  const parley_stage_game *game, const parley_channel *channel,
                                  uint32_t turns, parley_expectation *out, parley_error *err);

/* --------------------------------------------------------- N-party games */

typedef enum parley_ngame_mode {
    /* each party keeps one memory and chooses one action per counterpart */
    PARLEY_NGAME_PER_COUNTERPART = 0,
    /* each party chooses one action for all counterparts; its memory sees
     * "defection" when at least `quorum` counterparts were seen defecting */
    PARLEY_NGAME_ONE_FOR_ALL = 1
} parley_ngame_mode;

typedef struct parley_ngame parley_ngame;

/* N parties play the stage game between every ordered pair (i, j): i earns
 * game->payoff[0][a_ij][a_ji] where a_ij is i's action towards j. `channels`
 * has n entries (party i's noise and i's observations) or is NULL for perfect.
 * quorum (ONE_FOR_ALL only) is in 1..n-1; 0 means a strict majority of the
 * counterparts. Party i draws from stream `base` with actor = i. Errors:
 * PARLEY_EINPUT (n < 2, bad channel or quorum), PARLEY_ENOMEM. Cost O(n^2). */
parley_status parley_ngame_create(size_t n, const parley_strategy *const *strategies,
                                  const parley_stage_game *game,
                                  const parley_channel *channels, parley_ngame_mode mode,
                                  uint32_t quorum, const parley_stream_id *base,
                                  parley_ngame **out, parley_error *err);
void parley_ngame_free(parley_ngame *g);
/* Plays one round; payoffs (n entries, may be NULL) receive each party's
 * total over its counterparts this round. O(n^2). */
void parley_ngame_step(parley_ngame *g, double *payoffs);
/* Last round: party i's actual action towards j, and what i saw of j's. */
parley_action parley_ngame_action(const parley_ngame *g, size_t i, size_t j);
parley_action parley_ngame_seen(const parley_ngame *g, size_t i, size_t j);
/* Party i's memory towards j (PER_COUNTERPART) or its single memory. */
const parley_player *parley_ngame_player(const parley_ngame *g, size_t i, size_t j);

/* -------------------------------------------------------------- tournaments */

typedef struct parley_tournament_config {
    size_t nplayers;
    const parley_strategy *const *players;
    parley_stage_game game;
    parley_channel channel;
    uint32_t turns;        /* fixed length, or the cap when prob_end > 0 */
    double prob_end;       /* 0: fixed length */
    uint32_t repetitions;  /* >= 1 */
    uint64_t seed;
    unsigned threads;      /* 0 or 1: serial; results do not depend on it */
} parley_tournament_config;

/* Round robin, every unordered pair once per repetition including each
 * player against itself (as the Axelrod library), so n(n+1)/2 matches. Match
 * (rep r, pair k) draws from stream {seed, 0, r, PARLEY_MECH_GAME, k, 0}. */
typedef struct parley_tournament_result {
    size_t nplayers;
    uint32_t repetitions;
    /* [r * n + i]: player i's mean payoff per turn against the others (self
     * excluded) in repetition r */
    double *score_per_turn;
    double *median_score; /* [i] median over repetitions */
    double *mean_score;   /* [i] mean over repetitions */
    double *payoff;       /* [i * n + j] i's mean payoff per turn against j */
    double *cooperation;  /* [i * n + j] i's cooperation rate against j */
    double *cooperation_rate; /* [i] against the others, self excluded */
    size_t *ranking;      /* players by median score, best first (ties: mean, index) */
    uint64_t total_turns;
} parley_tournament_result;

/* Runs the tournament. Results are bit-identical for any thread count.
 * Errors: PARLEY_EINPUT (no players, repetitions or turns 0, bad channel or
 * prob_end), PARLEY_ENOMEM, PARLEY_EINTERNAL (thread creation failed).
 * Cost O(repetitions * n^2 * turns / threads). Free with
 * parley_tournament_result_free. */
parley_status parley_tournament_run(const parley_tournament_config *cfg,
                                    parley_tournament_result *out, parley_error *err);
void parley_tournament_result_free(parley_tournament_result *r);

/* ------------------------------------------------------------ Moran process */

/* The Moran process without mutation, as the Axelrod library's MoranProcess:
 * each generation every pair of the N individuals plays one match of `turns`
 * rounds; fitness is an individual's total payoff; one individual reproduces
 * with probability proportional to fitness (uniformly when all are 0) and
 * its offspring replaces one chosen uniformly among all N, the parent
 * included; until one type holds the whole population. */
#define PARLEY_MORAN_MAX_POPULATION 1000u
/* The stream actor of a run's selection draws (above any pair index). */
#define PARLEY_MORAN_SELECTION_ACTOR 1048575u

typedef struct parley_moran_config {
    size_t ntypes;
    const parley_strategy *const *types;
    const uint32_t *initial;  /* individuals of each type at the start; 2..1000 in all */
    parley_stage_game game;   /* payoffs finite and >= 0 (fitness chooses parents) */
    parley_channel channel;
    uint32_t turns;           /* rounds per match, >= 1 */
    uint32_t max_generations; /* 0: 1,000,000; a run still mixed then is "unfixed" */
    uint64_t seed;
} parley_moran_config;

typedef struct parley_moran_outcome {
    int32_t fixed;        /* the type that took over, or -1 when stopped at the cap */
    uint32_t generations; /* births (one per generation) until then */
} parley_moran_outcome;

/* One run. Run r draws its selections from stream (seed, 0, r,
 * PARLEY_MECH_GAME, PARLEY_MORAN_SELECTION_ACTOR, 0) and the match of pair k
 * (individuals i < j in row-major order) in generation g from (seed, 0, r,
 * PARLEY_MECH_GAME, k, g + 1). With deterministic strategies and a perfect
 * channel the type-pair payoffs are computed once. Errors: PARLEY_EINPUT (no
 * types, population outside 2..1000, turns 0, bad channel, a negative
 * payoff), PARLEY_ENOMEM. Cost O(generations * N^2 * turns), or
 * O(generations * N * types) when cached. */
parley_status parley_moran_run(const parley_moran_config *cfg, uint32_t run,
                               parley_moran_outcome *out, parley_error *err);

typedef struct parley_moran_summary {
    size_t ntypes;
    uint32_t runs;
    uint32_t *fixations;     /* [type]: runs that type took over */
    uint32_t unfixed;        /* runs stopped at max_generations */
    double mean_generations; /* over the fixed runs (NAN when none) */
} parley_moran_summary;

/* Runs 0..runs-1 on `threads` threads (0 or 1: serial); the result does not
 * depend on the thread count. Errors: as parley_moran_run, PARLEY_EINTERNAL
 * (thread creation). Free with parley_moran_summary_free. */
parley_status parley_moran_estimate(const parley_moran_config *cfg, uint32_t runs,
                                    unsigned threads, parley_moran_summary *out,
                                    parley_error *err);
void parley_moran_summary_free(parley_moran_summary *s);

/* The fixation probability of `mutants` mutants among `population` - mutants
 * residents, from the birth-death chain of the process above with each
 * type's fitness its expected total payoff (parley_exact_finite over `turns`
 * rounds): rho = sum_{k<i} prod_{j<=k} g_j/f_j / sum_{k<N} prod_{j<=k} g_j/f_j
 * (Nowak 2006, ch. 6). Exact for the process when play is deterministic
 * (deterministic strategies, perfect channel); with noise the simulated
 * fitness is random and this is its mean-fitness approximation. Neutral
 * types give mutants / population. Errors: PARLEY_EINPUT (population outside
 * 2..1000, mutants outside 1..population-1), errors of parley_exact_finite,
 * PARLEY_ENOMEM. Cost O(turns * states^2 + population). */
parley_status parley_moran_fixation_exact(const parley_strategy *mutant,
                                          const parley_strategy *resident,
                                          const parley_stage_game *game,
                                          const parley_channel *channel, uint32_t turns,
                                          uint32_t population, uint32_t mutants, double *out,
                                          parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
