/* Shared between the files of the game module: the compiled strategy layout
 * (laid out for the match loop: one 32-byte row per state) and the geometric
 * waiting-time draws behind parley_pair. */
#ifndef PARLEY_GAME_INTERNAL_H
#define PARLEY_GAME_INTERNAL_H

#include "parley/game.h"

enum { PARLEY__KIND_TABLE = 0, PARLEY__KIND_COUNT = 1 };

/* One state of a table strategy. `threshold` is the cooperation probability as
 * a 32-bit threshold (a word w < threshold cooperates): 0 never, 2^32 always;
 * `fixed` is the action when the state never randomises, else 2. */
typedef struct parley__state {
    uint64_t threshold;
    uint32_t next[4];
    double p;
    uint8_t fixed;
} parley__state;

struct parley_strategy {
    char name[128];
    int kind;
    uint32_t nstates;
    uint32_t start;
    parley__state *states; /* owned; nstates rows (TABLE) */
    /* owned; [s * 4 + own * 2 + seen] = next << 2 | next's `fixed`: the match
     * loop's one load per round and player (the state and, when the state never
     * randomises, its action) */
    uint32_t *code;
    uint32_t start_code;
    /* COUNT: cooperate iff (prior_c + seen_c) >= threshold * (prior_c + prior_d + seen) */
    double prior_c, prior_d, count_threshold;
    bool deterministic;
    bool memory_one; /* TABLE laid out as state 0 first move, 1 + outcome after */
};

/* Converts a probability to a 32-bit threshold (p in [0, 1]). */
uint64_t parley__threshold(double p);

/* Whether a counting strategy cooperates after seeing c cooperations and d
 * defections. */
static inline bool parley__count_cooperates(const parley_strategy *s, uint32_t c, uint32_t d)
{
    double have = s->prior_c + (double)c;
    double all = s->prior_c + s->prior_d + (double)c + (double)d;
    return have >= s->count_threshold * all;
}

/* Rounds until and including the next event of probability p. */
void parley__countdown_init(parley__countdown *cd, double p, parley_rng *rng);
uint64_t parley__countdown_draw(const parley__countdown *cd, parley_rng *rng);

/* Integer parsing/format helpers used by the strategy and game parsers. */
bool parley__parse_double(const char *text, size_t len, double *out);

#endif
