/* The weighted median (Black 1948): the position that a c x s weighted majority
 * prefers to every other when utilities fall linearly with distance. Two
 * routes to it: sorting and accumulating weight (the sources' rule, cumulative
 * share >= 0.5), and the Condorcet winner of the pairwise votes among the
 * actors' positions as inside the BDM model. In one dimension they agree; they
 * differ only in how an exact tie (a cumulative share of exactly one half) is
 * resolved, which the tie option fixes for both. */
#include "internal.h"

#include "core/alloc.h"

#include <math.h>
#include <stdlib.h>

/* Relative tolerance under which a cumulative share counts as exactly 0.5 and
 * two pairwise margins count as equal. */
#define TIE_EPS 1e-12

typedef struct stance {
    double x;
    double w;
} stance;

static int by_position(const void *pa, const void *pb)
{
    const stance *a = pa, *b = pb;
    return (a->x > b->x) - (a->x < b->x);
}

void parley_median_options_default(parley_median_options *o)
{
    o->tie = PARLEY_MEDIAN_TIE_LOWER;
    o->method = PARLEY_MEDIAN_SORTED;
}

/* Merges equal positions, so that a tie is only ever between distinct positions. */
static size_t merge_equal(stance *s, size_t n)
{
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        if (m > 0 && s[m - 1].x == s[k].x)
            s[m - 1].w += s[k].w;
        else
            s[m++] = s[k];
    }
    return m;
}

static double resolve_tie(double lower, double upper, parley_median_tie tie)
{
    switch (tie) {
    case PARLEY_MEDIAN_TIE_UPPER:
        return upper;
    case PARLEY_MEDIAN_TIE_MIDPOINT:
        return 0.5 * (lower + upper);
    case PARLEY_MEDIAN_TIE_LOWER:
    default:
        return lower;
    }
}

static double sorted_median(const stance *s, size_t n, double total, parley_median_tie tie)
{
    double cum = 0.0;
    for (size_t k = 0; k < n; k++) {
        cum += s[k].w;
        double share = cum / total;
        if (share >= 0.5 - TIE_EPS) {
            if (share <= 0.5 + TIE_EPS && k + 1 < n)
                return resolve_tie(s[k].x, s[k + 1].x, tie);
            return s[k].x;
        }
    }
    return s[n - 1].x;
}

/* F(y) = sum_i w_i |x_i - y|: the pairwise vote of j against k is F(k) - F(j)
 * (Scholz et al. 2011, step 3, up to the common factor 1/range), so j beats
 * every k exactly when it minimises F. Ties among minimisers are resolved by
 * the tie convention over the lowest and highest of them. */
static double pairwise_median(const stance *s, size_t n, parley_median_tie tie)
{
    double best = INFINITY, scale = 0.0;
    double *f = parley__malloc(n * sizeof *f);
    if (!f)
        return NAN;
    for (size_t j = 0; j < n; j++) {
        double fj = 0.0;
        for (size_t i = 0; i < n; i++)
            fj += s[i].w * fabs(s[i].x - s[j].x);
        f[j] = fj;
        best = fmin(best, fj);
        scale = fmax(scale, fj);
    }
    double tol = TIE_EPS * (scale > 0.0 ? scale : 1.0) * (double)n;
    double lower = NAN, upper = NAN;
    for (size_t j = 0; j < n; j++)
        if (f[j] <= best + tol) {
            if (isnan(lower))
                lower = s[j].x;
            upper = s[j].x;
        }
    parley__free(f);
    return resolve_tie(lower, upper, tie);
}

parley_status parley_median_run(const parley_bargain_problem *p, const parley_median_options *options,
                                parley_bargain_result *result, parley_error *err)
{
    parley_median_options o;
    parley_median_options_default(&o);
    if (options)
        o = *options;
    parley_status st = parley__bargain_result_init(result, PARLEY_MODEL_MEDIAN, p->n_issues, err);
    if (st != PARLEY_OK)
        return st;
    stance *s = PARLEY_NEW_ARRAY(stance, p->n_actors);
    if (!s) {
        parley_bargain_result_free(result);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory for the weighted median");
    }
    for (size_t i = 0; i < p->n_issues; i++) {
        size_t n = 0;
        double total = 0.0;
        for (size_t a = 0; a < p->n_actors; a++) {
            double w = parley__bargain_weight(p, a, i);
            if (w <= 0.0)
                continue;
            s[n].x = p->position[a * p->n_issues + i];
            s[n].w = w;
            total += w;
            n++;
        }
        if (n == 0)
            continue;
        qsort(s, n, sizeof *s, by_position);
        n = merge_equal(s, n);
        double f = o.method == PARLEY_MEDIAN_PAIRWISE ? pairwise_median(s, n, o.tie)
                                                      : sorted_median(s, n, total, o.tie);
        if (isnan(f)) {
            parley__free(s);
            parley_bargain_result_free(result);
            return parley_error_add(err, PARLEY_ENOMEM, NULL,
                                    "out of memory for the pairwise median");
        }
        result->forecast[i] = f;
    }
    parley__free(s);
    return PARLEY_OK;
}
