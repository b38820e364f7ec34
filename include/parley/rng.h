/* parley's only source of randomness: Philox4x32-10 (Salmon et al. 2011), a
 * counter-based generator. A stream is named by (seed, draw, run, mechanism,
 * actor, round) and never by the policy cell, so two policies compared on the
 * same run consume identical random numbers (common random numbers), and any
 * run can be recomputed alone, on any thread or MPI rank, bit for bit.
 * docs/RNG.md explains the choice and the stream layout. */
#ifndef PARLEY_RNG_H
#define PARLEY_RNG_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The coordinates of one independent stream. `mechanism` says which part of the
 * model draws (see PARLEY_MECH_*); unused coordinates stay 0. */
typedef struct parley_stream_id {
    uint64_t seed;
    uint32_t draw;      /* outer-loop parameter draw */
    uint32_t run;       /* inner-loop replication */
    uint32_t mechanism; /* < 4096 */
    uint32_t actor;     /* < 1048576 */
    uint32_t round;
} parley_stream_id;

/* Mechanism tags: stable numbers, never reorder (they are part of every result). */
enum {
    PARLEY_MECH_GENERIC = 0,
    PARLEY_MECH_EVENTS = 1,
    PARLEY_MECH_PARTICIPATION = 2,
    PARLEY_MECH_CHAIR = 3,
    PARLEY_MECH_IMPLEMENTATION = 4,
    PARLEY_MECH_VERIFICATION = 5,
    PARLEY_MECH_SUPPORT = 6,
    PARLEY_MECH_GAME = 7,
    PARLEY_MECH_BARGAIN = 8,
    PARLEY_MECH_SAMPLING = 9,
    PARLEY_MECH_TYPES = 10,
    PARLEY_MECH_SIGNALS = 11 /* stated end states at a first meeting (actor = to x 1024 + from) */
};

/* A stream's state. Plain struct so it can live on the stack; treat fields as
 * private. Each stream yields up to 2^34 32-bit words. */
typedef struct parley_rng {
    uint32_t key[2];
    uint32_t counter[4];
    uint32_t block[4];
    unsigned used; /* words of `block` consumed */
    bool has_spare_normal;
    double spare_normal;
} parley_rng;

/* The raw bijection: out = Philox4x32-10(counter, key). Exposed for test vectors. */
void parley_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4]);

/* Positions `rng` at the start of stream `id`. Cost O(1). */
void parley_rng_init(parley_rng *rng, const parley_stream_id *id);

/* Convenience: stream of a bare seed (all other coordinates 0). */
void parley_rng_seed(parley_rng *rng, uint64_t seed);

uint32_t parley_rng_u32(parley_rng *rng);
uint64_t parley_rng_u64(parley_rng *rng);
/* Uniform on [0, 1) with 53 random bits. */
double parley_rng_uniform(parley_rng *rng);
/* Uniform integer in [0, n) without modulo bias; n > 0. */
uint32_t parley_rng_below(parley_rng *rng, uint32_t n);
/* true with probability p (p <= 0 never, p >= 1 always; consumes one draw either way). */
bool parley_rng_bernoulli(parley_rng *rng, double p);
/* Standard normal (Box-Muller; the second value is kept for the next call). */
double parley_rng_normal(parley_rng *rng);
/* Gamma(shape, 1), shape > 0 (Marsaglia & Tsang 2000). */
double parley_rng_gamma(parley_rng *rng, double shape);
/* Beta(a, b), a, b > 0, from two gammas. */
double parley_rng_beta(parley_rng *rng, double a, double b);
/* Binomial(n, p): inversion when n*min(p,1-p) < 10, else Hormann's BTRS (1993). */
uint32_t parley_rng_binomial(parley_rng *rng, uint32_t n, double p);

#ifdef __cplusplus
}
#endif
#endif
