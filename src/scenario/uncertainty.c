/* Drawing one value from a scenario number's uncertainty. Every draw lands in
 * [lo, hi]: the normal is truncated by inverting its CDF on the truncated
 * interval (no rejection loop, so a narrow window far in a tail costs the same
 * as any other), computed in the upper tail when the window lies above the mean
 * so that precision is kept. */
#include "internal.h"

#include <math.h>

const char *parley_dist_name(parley_dist dist)
{
    return (int)dist >= 0 && dist <= PARLEY_DIST_BETA ? parley__dists[dist] : "?";
}

/* Standard normal CDF. */
static double phi(double z) { return 0.5 * erfc(-z / sqrt(2.0)); }

/* Inverse standard normal CDF: Acklam's rational approximation (relative error
 * 1.15e-9) refined by one Halley step to full double precision. */
static double phi_inv(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                               2.445134137142996e+00, 3.754408661907416e+00};
    if (p <= 0)
        return -HUGE_VAL;
    if (p >= 1)
        return HUGE_VAL;
    double x;
    if (p < 0.02425) {
        double q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - 0.02425) {
        double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        double q = sqrt(-2 * log1p(-p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double e = phi(x) - p;
    double u = e * 2.5066282746310002 * exp(x * x / 2); /* sqrt(2 pi) */
    return x - u / (1 + x * u / 2);
}

static double clamp(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

static double truncated_normal(double mu, double sd, double lo, double hi, parley_rng *rng)
{
    double za = (lo - mu) / sd, zb = (hi - mu) / sd;
    double u = parley_rng_uniform(rng);
    double z;
    if (za > 0) {
        /* window above the mean: work with upper-tail probabilities */
        double qa = 0.5 * erfc(za / sqrt(2.0)), qb = 0.5 * erfc(zb / sqrt(2.0));
        z = -phi_inv(qb + u * (qa - qb));
    } else {
        double pa = phi(za), pb = phi(zb);
        z = phi_inv(pa + u * (pb - pa));
    }
    if (isnan(z))
        z = 0;
    return clamp(mu + sd * z, lo, hi);
}

double parley_uncertainty_draw(const parley_uncertainty *u, parley_rng *rng)
{
    double lo = u->lo, hi = u->hi, x;
    switch (u->dist) {
    case PARLEY_DIST_NORMAL: return truncated_normal(u->value, u->sd, lo, hi, rng);
    case PARLEY_DIST_TRIANGULAR: {
        double r = parley_rng_uniform(rng), w = hi - lo, c = (u->mode - lo) / w;
        x = r < c ? lo + sqrt(r * w * (u->mode - lo)) : hi - sqrt((1 - r) * w * (hi - u->mode));
        break;
    }
    case PARLEY_DIST_BETA: x = lo + (hi - lo) * parley_rng_beta(rng, u->a, u->b); break;
    default: x = lo + (hi - lo) * parley_rng_uniform(rng); break;
    }
    return clamp(x, lo, hi);
}
