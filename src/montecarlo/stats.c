/* The statistics sweeps report: Wilson intervals (alone and with a design
 * effect for draws), quantiles, Newcombe's paired difference, Student t, and the
 * special functions they rest on. docs/SWEEPS.md, "Intervals", says which is
 * used where and why. */
#include "mc_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

parley_interval parley_wilson(double successes, double n, double z)
{
    if (!(n > 0))
        return (parley_interval){NAN, 0.0, 1.0};
    double p = successes / n;
    if (p < 0)
        p = 0;
    if (p > 1)
        p = 1;
    double z2 = z * z;
    double denom = 1.0 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denom;
    double half = z * sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom;
    double lo = centre - half, hi = centre + half;
    /* At p = 0 or 1 the bound equals p exactly; rounding must not hide that. */
    if (p == 0.0 || lo < 0)
        lo = 0.0;
    if (p == 1.0 || hi > 1)
        hi = 1.0;
    return (parley_interval){p, lo, hi};
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double parley_quantile(double *x, size_t n, double q)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            x[m++] = x[i];
    if (m == 0)
        return NAN;
    qsort(x, m, sizeof *x, cmp_double);
    if (q <= 0)
        return x[0];
    if (q >= 1)
        return x[m - 1];
    double h = (double)(m - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= m)
        return x[m - 1];
    double a = x[lo], b = x[lo + 1], f = h - (double)lo;
    if (f == 0.0 || a == b)
        return a; /* also keeps inf - inf out of the interpolation */
    if (isinf(a))
        return a;
    if (isinf(b))
        return b; /* any positive share of the way to an infinity is infinite */
    return a + f * (b - a);
}

/* Continued fraction of the incomplete beta (Numerical Recipes, 6.4). */
static double betacf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-15;
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 500; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < eps)
            break;
    }
    return h;
}

double parley__betainc(double a, double b, double x)
{
    if (x <= 0)
        return 0.0;
    if (x >= 1)
        return 1.0;
    double lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
    double bt = exp(lbt);
    if (x < (a + 1.0) / (a + b + 2.0))
        return bt * betacf(a, b, x) / a;
    return 1.0 - bt * betacf(b, a, 1.0 - x) / b;
}

double parley__normal_cdf(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }

/* P(T <= t) for Student's t with df degrees of freedom. */
static double t_cdf(double t, double df)
{
    double tail = 0.5 * parley__betainc(df / 2.0, 0.5, df / (df + t * t));
    return t >= 0 ? 1.0 - tail : tail;
}

double parley_t_quantile(double alpha, double df)
{
    double target = 1.0 - alpha / 2.0;
    if (!(df >= 1))
        return NAN;
    /* Bisection is slow but exact and only ever called a few times per table. */
    double lo = 0.0, hi = 1.0;
    while (t_cdf(hi, df) < target && hi < 1e12)
        hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (t_cdf(mid, df) < target)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

parley_interval parley_clustered_proportion(const double *succ, const double *n, size_t m)
{
    double s = 0, t = 0;
    for (size_t j = 0; j < m; j++) {
        s += succ[j];
        t += n[j];
    }
    if (!(t > 0))
        return (parley_interval){NAN, 0.0, 1.0};
    double p = s / t;
    double deff = 1.0;
    if (m >= 2 && p > 0 && p < 1) {
        double ss = 0;
        for (size_t j = 0; j < m; j++) {
            double r = succ[j] - p * n[j];
            ss += r * r;
        }
        double var_cluster = (double)m / (double)(m - 1) * ss / (t * t);
        double var_binom = p * (1.0 - p) / t;
        deff = var_cluster / var_binom;
        if (!(deff > 1.0))
            deff = 1.0;
    }
    double n_eff = t / deff;
    parley_interval w = parley_wilson(p * n_eff, n_eff, PARLEY_Z95);
    w.estimate = p;
    return w;
}

parley_interval parley_paired_difference(double both, double a_only, double b_only,
                                         double neither)
{
    double n = both + a_only + b_only + neither;
    if (!(n > 0))
        return (parley_interval){NAN, -1.0, 1.0};
    double p1 = (both + a_only) / n, p2 = (both + b_only) / n;
    double theta = (a_only - b_only) / n;
    parley_interval w1 = parley_wilson(both + a_only, n, PARLEY_Z95);
    parley_interval w2 = parley_wilson(both + b_only, n, PARLEY_Z95);
    double r1 = both + a_only, r2 = b_only + neither, c1 = both + b_only, c2 = a_only + neither;
    double denom = r1 * r2 * c1 * c2;
    /* Newcombe's continuity-corrected phi: without it, pairs that never
     * disagree give phi = 1 and an interval of width zero. */
    double num = both * neither - a_only * b_only;
    if (num > 0)
        num = num - n / 2.0 > 0 ? num - n / 2.0 : 0.0;
    double phi = denom > 0 ? num / sqrt(denom) : 0.0;
    double dl1 = p1 - w1.lo, du1 = w1.hi - p1, dl2 = p2 - w2.lo, du2 = w2.hi - p2;
    double lo2 = dl1 * dl1 - 2.0 * phi * dl1 * du2 + du2 * du2;
    double hi2 = du1 * du1 - 2.0 * phi * du1 * dl2 + dl2 * dl2;
    double lo = theta - sqrt(lo2 > 0 ? lo2 : 0), hi = theta + sqrt(hi2 > 0 ? hi2 : 0);
    if (lo < -1)
        lo = -1;
    if (hi > 1)
        hi = 1;
    return (parley_interval){theta, lo, hi};
}

parley_interval parley_mean_t(const double *x, size_t n)
{
    if (n == 0)
        return (parley_interval){NAN, NAN, NAN};
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)n;
    if (n < 2)
        return (parley_interval){mean, NAN, NAN};
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    double se = sqrt(ss / (double)(n - 1) / (double)n);
    double t = parley_t_quantile(0.05, (double)(n - 1));
    return (parley_interval){mean, mean - t * se, mean + t * se};
}

void parley__append(char *buf, size_t *len, const char *s)
{
    size_t n = strlen(s);
    memcpy(buf + *len, s, n + 1);
    *len += n;
}

uint64_t parley__fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
