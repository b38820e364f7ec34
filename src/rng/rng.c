/* Philox4x32-10 streams and the distributions parley draws from. The stream
 * coordinates map onto Philox's key and counter as documented in docs/RNG.md:
 * key = mix(seed, draw); counter = (block index, round, mechanism|actor, run). */
#include "parley/rng.h"

#include <math.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static void mulhilo32(uint32_t a, uint32_t b, uint32_t *hi, uint32_t *lo)
{
    uint64_t product = (uint64_t)a * (uint64_t)b;
    *hi = (uint32_t)(product >> 32);
    *lo = (uint32_t)product;
}

void parley_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        uint32_t hi0, lo0, hi1, lo1;
        mulhilo32(PHILOX_M0, c0, &hi0, &lo0);
        mulhilo32(PHILOX_M1, c2, &hi1, &lo1);
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

/* SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijection that spreads
 * nearby seeds and draws over the whole 64-bit key space. */
static uint64_t mix64(uint64_t z)
{
    z += 0x9E3779B97F4A7C15u;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

void parley_rng_init(parley_rng *rng, const parley_stream_id *id)
{
    uint64_t key = mix64(mix64(id->seed) ^ (uint64_t)id->draw);
    rng->key[0] = (uint32_t)key;
    rng->key[1] = (uint32_t)(key >> 32);
    rng->counter[0] = 0;
    rng->counter[1] = id->round;
    rng->counter[2] = ((id->mechanism & 0xFFFu) << 20) | (id->actor & 0xFFFFFu);
    rng->counter[3] = id->run;
    rng->used = 4;
    rng->has_spare_normal = false;
    rng->spare_normal = 0.0;
}

void parley_rng_seed(parley_rng *rng, uint64_t seed)
{
    parley_stream_id id = {.seed = seed};
    parley_rng_init(rng, &id);
}

uint32_t parley_rng_u32(parley_rng *rng)
{
    if (rng->used == 4) {
        parley_philox4x32_10(rng->counter, rng->key, rng->block);
        rng->counter[0]++;
        rng->used = 0;
    }
    return rng->block[rng->used++];
}

uint64_t parley_rng_u64(parley_rng *rng)
{
    uint64_t hi = parley_rng_u32(rng);
    return (hi << 32) | parley_rng_u32(rng);
}

double parley_rng_uniform(parley_rng *rng)
{
    return (double)(parley_rng_u64(rng) >> 11) * 0x1.0p-53;
}

uint32_t parley_rng_below(parley_rng *rng, uint32_t n)
{
    /* Lemire (2019): multiply-shift with rejection of the biased low zone. */
    uint64_t m = (uint64_t)parley_rng_u32(rng) * n;
    uint32_t low = (uint32_t)m;
    if (low < n) {
        uint32_t threshold = (uint32_t)(-n) % n;
        while (low < threshold) {
            m = (uint64_t)parley_rng_u32(rng) * n;
            low = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

bool parley_rng_bernoulli(parley_rng *rng, double p)
{
    double u = parley_rng_uniform(rng);
    return u < p;
}

double parley_rng_normal(parley_rng *rng)
{
    if (rng->has_spare_normal) {
        rng->has_spare_normal = false;
        return rng->spare_normal;
    }
    double u1 = 1.0 - parley_rng_uniform(rng); /* (0, 1]: log is finite */
    double u2 = parley_rng_uniform(rng);
    double radius = sqrt(-2.0 * log(u1));
    double angle = 2.0 * 3.14159265358979323846 * u2;
    rng->spare_normal = radius * sin(angle);
    rng->has_spare_normal = true;
    return radius * cos(angle);
}

double parley_rng_gamma(parley_rng *rng, double shape)
{
    if (!(shape > 0.0))
        return NAN;
    if (shape < 1.0) {
        /* Boost: Gamma(a) = Gamma(a + 1) * U^(1/a). */
        double u = 1.0 - parley_rng_uniform(rng);
        return parley_rng_gamma(rng, shape + 1.0) * pow(u, 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / sqrt(9.0 * d);
    for (;;) {
        double x, v;
        do {
            x = parley_rng_normal(rng);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = parley_rng_uniform(rng);
        if (u < 1.0 - 0.0331 * x * x * x * x)
            return d * v;
        if (u > 0.0 && log(u) < 0.5 * x * x + d * (1.0 - v + log(v)))
            return d * v;
    }
}

double parley_rng_beta(parley_rng *rng, double a, double b)
{
    double x = parley_rng_gamma(rng, a);
    double y = parley_rng_gamma(rng, b);
    if (x + y == 0.0) /* both underflowed: only possible for tiny shapes */
        return a >= b ? 1.0 : 0.0;
    return x / (x + y);
}

static uint32_t binomial_inversion(parley_rng *rng, uint32_t n, double p)
{
    double q = 1.0 - p;
    double s = p / q;
    double a = (double)(n + 1) * s;
    double r = pow(q, (double)n);
    double u = parley_rng_uniform(rng);
    uint32_t x = 0;
    while (u > r) {
        u -= r;
        x++;
        if (x > n) { /* rounding left mass at the top: restart */
            x = 0;
            r = pow(q, (double)n);
            u = parley_rng_uniform(rng);
            continue;
        }
        r *= (a / (double)x - s);
    }
    return x;
}

/* log(k!) by Stirling's series with a table for small k (Hormann 1993, BTRS). */
static double log_factorial(double k)
{
    static const double table[10] = {0.0,
                                     0.0,
                                     0.69314718055994530942,
                                     1.79175946922805500081,
                                     3.17805383034794561964,
                                     4.78749174278204599424,
                                     6.57925121201010099506,
                                     8.52516136106541430016,
                                     10.60460290274525022841,
                                     12.80182748008146961120};
    if (k < 10.0)
        return table[(int)k];
    double k1 = k + 1.0;
    return (k + 0.5) * log(k1) - k1 + 0.91893853320467274178 +
           (1.0 / 12.0 - 1.0 / (360.0 * k1 * k1)) / k1;
}

static uint32_t binomial_btrs(parley_rng *rng, uint32_t n, double p)
{
    double nd = (double)n;
    double spq = sqrt(nd * p * (1.0 - p));
    double b = 1.15 + 2.53 * spq;
    double a = -0.0873 + 0.0248 * b + 0.01 * p;
    double c = nd * p + 0.5;
    double v_r = 0.92 - 4.2 / b;
    double alpha = (2.83 + 5.1 / b) * spq;
    double lpq = log(p / (1.0 - p));
    double m = floor((nd + 1.0) * p);
    double h = log_factorial(m) + log_factorial(nd - m);
    for (;;) {
        double u = parley_rng_uniform(rng) - 0.5;
        double v = parley_rng_uniform(rng);
        double us = 0.5 - fabs(u);
        double k = floor((2.0 * a / us + b) * u + c);
        if (k < 0.0 || k > nd)
            continue;
        if (us >= 0.07 && v <= v_r)
            return (uint32_t)k;
        v = log(v * alpha / (a / (us * us) + b));
        if (v <= h - log_factorial(k) - log_factorial(nd - k) + (k - m) * lpq)
            return (uint32_t)k;
    }
}

uint32_t parley_rng_binomial(parley_rng *rng, uint32_t n, double p)
{
    if (!(p > 0.0) || n == 0)
        return 0;
    if (p >= 1.0)
        return n;
    bool flipped = p > 0.5;
    double pp = flipped ? 1.0 - p : p;
    uint32_t k = ((double)n * pp < 10.0) ? binomial_inversion(rng, n, pp) : binomial_btrs(rng, n, pp);
    return flipped ? n - k : k;
}
