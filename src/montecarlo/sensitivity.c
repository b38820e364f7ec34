/* Global sensitivity analysis: Morris (1991) elementary effects for screening,
 * then Saltelli's (2010) first-order and Jansen's (1999) total Sobol indices,
 * with percentile bootstrap intervals. The functions work on [0,1]^k designs
 * and a vector of outputs, so the same code is checked on the Ishigami function
 * (known indices) and applied to P(outcome | parameters) of the simulator. */
#include "mc_internal.h"

#include "core/alloc.h"

#include <math.h>
#include <string.h>

void parley_morris_design(uint64_t seed, size_t k, size_t r, unsigned levels, double *out)
{
    if (levels < 2)
        levels = 4;
    if (levels % 2)
        levels++;
    double step = 1.0 / (double)(levels - 1);
    unsigned half = levels / 2;
    parley_rng rng;
    parley_stream_id id = {seed, 0, 0, PARLEY_MECH_SAMPLING, 0, 1};
    parley_rng_init(&rng, &id);
    uint32_t *order = PARLEY_NEW_ARRAY(uint32_t, k ? k : 1);
    int *dir = PARLEY_NEW_ARRAY(int, k ? k : 1);
    for (size_t t = 0; t < r; t++) {
        double *x = &out[t * (k + 1) * k];
        for (size_t i = 0; i < k; i++) {
            unsigned l = parley_rng_below(&rng, levels);
            x[i] = l * step;
            /* Move up from the lower half of the grid and down from the upper
             * half, so that every step of Delta stays inside [0, 1]. */
            if (dir)
                dir[i] = l < half ? 1 : -1;
        }
        if (order)
            parley__permutation(&rng, order, k);
        for (size_t s = 0; s < k; s++) {
            double *prev = &x[s * k], *next = &x[(s + 1) * k];
            memcpy(next, prev, k * sizeof *next);
            size_t i = order ? order[s] : s;
            int d = dir ? dir[i] : 1;
            next[i] = prev[i] + d * (double)half * step;
            if (next[i] < 0)
                next[i] = 0;
            if (next[i] > 1)
                next[i] = 1;
        }
    }
    parley__free(order);
    parley__free(dir);
}

void parley_morris_indices(const double *design, const double *y, size_t k, size_t r,
                           double *mu_star, double *mu, double *sigma)
{
    for (size_t i = 0; i < k; i++)
        mu_star[i] = mu[i] = sigma[i] = 0;
    /* Two passes per factor keep it simple: means first, then spread. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t t = 0; t < r; t++) {
            const double *x = &design[t * (k + 1) * k];
            const double *yt = &y[t * (k + 1)];
            for (size_t s = 0; s < k; s++) {
                for (size_t i = 0; i < k; i++) {
                    double delta = x[(s + 1) * k + i] - x[s * k + i];
                    if (delta == 0)
                        continue;
                    double ee = (yt[s + 1] - yt[s]) / delta;
                    if (pass == 0) {
                        mu[i] += ee / (double)r;
                        mu_star[i] += fabs(ee) / (double)r;
                    } else if (r > 1) {
                        sigma[i] += (ee - mu[i]) * (ee - mu[i]) / (double)(r - 1);
                    }
                }
            }
        }
    }
    for (size_t i = 0; i < k; i++)
        sigma[i] = sqrt(sigma[i]);
}

void parley_sobol_design(uint64_t seed, size_t k, size_t n, double *out)
{
    double *a = out, *b = out + n * k;
    parley_lhs(seed, n, k, a);
    parley_lhs(seed + 1, n, k, b);
    for (size_t i = 0; i < k; i++) {
        double *ab = out + (2 + i) * n * k;
        memcpy(ab, a, n * k * sizeof *ab);
        for (size_t j = 0; j < n; j++)
            ab[j * k + i] = b[j * k + i];
    }
}

/* Indices from the rows listed in idx (a bootstrap resample or 0..n-1). */
static double sobol_from(const double *y, size_t k, size_t n, const uint32_t *idx, double *s1,
                         double *st)
{
    const double *fa = y, *fb = y + n;
    double mean = 0;
    for (size_t j = 0; j < n; j++)
        mean += fa[idx[j]] + fb[idx[j]];
    mean /= 2.0 * (double)n;
    double var = 0;
    for (size_t j = 0; j < n; j++) {
        double da = fa[idx[j]] - mean, db = fb[idx[j]] - mean;
        var += da * da + db * db;
    }
    var /= 2.0 * (double)n - 1.0;
    for (size_t i = 0; i < k; i++) {
        const double *fab = y + (2 + i) * n;
        double first = 0, total = 0;
        for (size_t j = 0; j < n; j++) {
            size_t q = idx[j];
            first += fb[q] * (fab[q] - fa[q]);
            total += (fa[q] - fab[q]) * (fa[q] - fab[q]);
        }
        s1[i] = var > 0 ? first / (double)n / var : NAN;
        st[i] = var > 0 ? total / (2.0 * (double)n) / var : NAN;
    }
    return var;
}

double parley_sobol_indices(const double *y, size_t k, size_t n, uint64_t seed, unsigned boot,
                            double *s1, double *s1_lo, double *s1_hi, double *st,
                            double *st_lo, double *st_hi)
{
    uint32_t *idx = PARLEY_NEW_ARRAY(uint32_t, n ? n : 1);
    if (!idx) {
        for (size_t i = 0; i < k; i++)
            s1[i] = st[i] = NAN;
        return NAN;
    }
    for (size_t j = 0; j < n; j++)
        idx[j] = (uint32_t)j;
    double var = sobol_from(y, k, n, idx, s1, st);
    bool want = boot > 1 && (s1_lo || s1_hi || st_lo || st_hi);
    double *bs1 = want ? PARLEY_NEW_ARRAY(double, (size_t)boot * k) : NULL;
    double *bst = want ? PARLEY_NEW_ARRAY(double, (size_t)boot * k) : NULL;
    double *col = want ? PARLEY_NEW_ARRAY(double, boot) : NULL;
    if (want && bs1 && bst && col) {
        parley_rng rng;
        parley_stream_id id = {seed, 0, 0, PARLEY_MECH_SAMPLING, 0, 2};
        parley_rng_init(&rng, &id);
        for (unsigned b = 0; b < boot; b++) {
            for (size_t j = 0; j < n; j++)
                idx[j] = parley_rng_below(&rng, (uint32_t)n);
            sobol_from(y, k, n, idx, &bs1[(size_t)b * k], &bst[(size_t)b * k]);
        }
        for (size_t i = 0; i < k; i++) {
            double *bounds[4] = {s1_lo, s1_hi, st_lo, st_hi};
            for (int w = 0; w < 4; w++) {
                if (!bounds[w])
                    continue;
                const double *src = w < 2 ? bs1 : bst;
                for (unsigned b = 0; b < boot; b++)
                    col[b] = src[(size_t)b * k + i];
                bounds[w][i] = parley_quantile(col, boot, (w % 2) ? 0.975 : 0.025);
            }
        }
    } else {
        for (size_t i = 0; i < k; i++) {
            if (s1_lo) s1_lo[i] = NAN;
            if (s1_hi) s1_hi[i] = NAN;
            if (st_lo) st_lo[i] = NAN;
            if (st_hi) st_hi[i] = NAN;
        }
    }
    parley__free(bs1);
    parley__free(bst);
    parley__free(col);
    parley__free(idx);
    return var;
}

double parley_ishigami(const double x[3], double a, double b)
{
    double s = sin(x[0]), s2 = sin(x[1]);
    double x3 = x[2] * x[2];
    return s + a * s2 * s2 + b * x3 * x3 * s;
}

void parley_ishigami_indices(double a, double b, double s1[3], double st[3])
{
    const double pi = 3.14159265358979323846;
    double pi4 = pi * pi * pi * pi, pi8 = pi4 * pi4;
    double v1 = 0.5 * (1.0 + b * pi4 / 5.0) * (1.0 + b * pi4 / 5.0);
    double v2 = a * a / 8.0;
    double v13 = b * b * pi8 * 8.0 / 225.0;
    double v = v1 + v2 + v13;
    s1[0] = v1 / v;
    s1[1] = v2 / v;
    s1[2] = 0.0;
    st[0] = (v1 + v13) / v;
    st[1] = v2 / v;
    st[2] = v13 / v;
}
