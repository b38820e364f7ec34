/* The asymmetric Nash bargaining solution over the status quo, one issue at a
 * time: x* = argmax_x prod_i (u_i(x) - u_i(q))^{w_i}, u_i(x) = -|x - x_i|^p.
 *
 * Actor i gains from x exactly when |x - x_i| < d_i = |q - x_i|, an open
 * interval with q at one end. The bargaining actors' intervals meet in (L, U)
 * only when they all stand on one side of q; there the log Nash product
 * sum_i w_i log(d_i^p - |x - x_i|^p) is a sum of logs of positive concave
 * functions, hence strictly concave, and its maximiser is where its right
 * derivative changes sign: bisection on that sign finds it to machine
 * precision in at most 200 halvings whatever the kinks of the linear shape.
 * Which actors bargain, and what happens when no x beats q for all of them,
 * are options (include/parley/bargain.h, docs/MODELS.md). */
#include "internal.h"

#include "core/alloc.h"

#include <math.h>

void parley_nbs_options_default(parley_nbs_options *o)
{
    o->utility = PARLEY_NBS_QUADRATIC;
    o->at_status_quo = PARLEY_NBS_EXCLUDE;
    o->split = PARLEY_NBS_SPLIT_STATUS_QUO;
    o->unknown_status_quo = PARLEY_NBS_SQ_WORST;
    o->weight = PARLEY_NBS_WEIGHT_CS;
}

typedef struct bargainer {
    double x; /* ideal point */
    double w; /* bargaining weight */
    double d; /* distance from the ideal to the disagreement outcome */
    double dp; /* d^p: the gain at the ideal point */
} bargainer;

static double power_p(double v, int p) { return p == 2 ? v * v : v; }

/* Right derivative of sum_k w_k log(d_k^p - |y - x_k|^p) at y. */
static double right_slope(const bargainer *b, size_t n, double y, int p)
{
    double g = 0.0;
    for (size_t k = 0; k < n; k++) {
        double dist = y - b[k].x;
        double gain = b[k].dp - power_p(fabs(dist), p);
        double slope = p == 2 ? -2.0 * dist : (dist >= 0.0 ? -1.0 : 1.0);
        g += b[k].w * slope / gain;
    }
    return g;
}

/* The maximiser on the open interval (lo, hi), where every gain is positive. */
static double maximise(const bargainer *b, size_t n, double lo, double hi, int p)
{
    for (int it = 0; it < 200; it++) {
        double mid = 0.5 * (lo + hi);
        if (!(mid > lo && mid < hi))
            break;
        if (right_slope(b, n, mid, p) > 0.0)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

static double nbs_issue(const parley_bargain_problem *p, size_t i, const parley_nbs_options *o,
                        bargainer *b)
{
    int pw = o->utility == PARLEY_NBS_LINEAR ? 1 : 2;
    double q = p->status_quo[i];
    size_t n = 0;
    double lo_pos = INFINITY, hi_pos = -INFINITY;
    for (size_t a = 0; a < p->n_actors; a++) {
        size_t k = a * p->n_issues + i;
        double w = parley__bargain_weight(p, a, i);
        if (w <= 0.0)
            continue;
        b[n].x = p->position[k];
        b[n].w = o->weight == PARLEY_NBS_WEIGHT_C ? p->capability[k] : w;
        lo_pos = fmin(lo_pos, b[n].x);
        hi_pos = fmax(hi_pos, b[n].x);
        n++;
    }
    if (n == 0)
        return NAN;
    if (isnan(q)) {
        if (o->unknown_status_quo == PARLEY_NBS_SQ_NONE)
            return NAN;
        /* Disagreement as each actor's worst outcome on the scale: every actor
         * gains everywhere inside the scale, so all of them bargain. */
        double smin = fmin(p->scale_min[i], lo_pos), smax = fmax(p->scale_max[i], hi_pos);
        for (size_t k = 0; k < n; k++)
            b[k].d = fmax(b[k].x - smin, smax - b[k].x);
    } else {
        size_t kept = 0, below = 0, above = 0, at = 0;
        double w_below = 0.0, w_above = 0.0;
        for (size_t k = 0; k < n; k++) {
            if (b[k].x == q) {
                at++;
                continue;
            }
            if (b[k].x < q) {
                below++;
                w_below += b[k].w;
            } else {
                above++;
                w_above += b[k].w;
            }
            b[kept++] = b[k];
        }
        if (at > 0 && o->at_status_quo == PARLEY_NBS_UNANIMITY)
            return q;
        if (kept == 0)
            return q; /* every salient actor stands at the status quo */
        if (below > 0 && above > 0) {
            if (o->split == PARLEY_NBS_SPLIT_STATUS_QUO)
                return q;
            /* The heavier side bargains alone; equal weights keep q. */
            if (w_below == w_above)
                return q;
            bool keep_above = w_above > w_below;
            size_t m = 0;
            for (size_t k = 0; k < kept; k++)
                if ((b[k].x > q) == keep_above)
                    b[m++] = b[k];
            kept = m;
        }
        n = kept;
        for (size_t k = 0; k < n; k++)
            b[k].d = fabs(q - b[k].x);
    }
    double lo = -INFINITY, hi = INFINITY;
    lo_pos = INFINITY;
    hi_pos = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        b[k].dp = power_p(b[k].d, pw);
        lo = fmax(lo, b[k].x - b[k].d);
        hi = fmin(hi, b[k].x + b[k].d);
        lo_pos = fmin(lo_pos, b[k].x);
        hi_pos = fmax(hi_pos, b[k].x);
    }
    /* The maximiser lies between the bargainers' extreme ideals (the slope is
     * positive below all of them and negative above), and those ideals lie
     * inside (lo, hi); searching there keeps every gain positive. */
    if (lo_pos == hi_pos)
        return lo_pos;
    double x = maximise(b, n, fmax(lo, lo_pos), fmin(hi, hi_pos), pw);
    return fmin(hi_pos, fmax(lo_pos, x));
}

parley_status parley_nbs_run(const parley_bargain_problem *p, const parley_nbs_options *options,
                             parley_bargain_result *result, parley_error *err)
{
    parley_nbs_options o;
    parley_nbs_options_default(&o);
    if (options)
        o = *options;
    parley_status st = parley__bargain_result_init(result, PARLEY_MODEL_NBS, p->n_issues, err);
    if (st != PARLEY_OK)
        return st;
    bargainer *b = PARLEY_NEW_ARRAY(bargainer, p->n_actors);
    if (!b) {
        parley_bargain_result_free(result);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory for the NBS");
    }
    for (size_t i = 0; i < p->n_issues; i++)
        result->forecast[i] = nbs_issue(p, i, &o, b);
    parley__free(b);
    return PARLEY_OK;
}
