/* The compromise model: the capability x salience weighted mean of the actors'
 * positions (Achen 2006; Decide's "NBS", Scholz et al.'s mean). Actors with no
 * weight (salience 0 or a missing stance) drop out. */
#include "internal.h"

#include <math.h>

parley_status parley_compromise_run(const parley_bargain_problem *p,
                                    parley_bargain_result *result, parley_error *err)
{
    parley_status st = parley__bargain_result_init(result, PARLEY_MODEL_COMPROMISE, p->n_issues, err);
    if (st != PARLEY_OK)
        return st;
    for (size_t i = 0; i < p->n_issues; i++) {
        double num = 0.0, den = 0.0, lo = INFINITY, hi = -INFINITY;
        for (size_t a = 0; a < p->n_actors; a++) {
            double w = parley__bargain_weight(p, a, i);
            if (w <= 0.0)
                continue;
            double x = p->position[a * p->n_issues + i];
            num += w * x;
            den += w;
            lo = fmin(lo, x);
            hi = fmax(hi, x);
        }
        if (den > 0.0) {
            /* Rounding can put the mean an ulp outside the positions; keep it in. */
            result->forecast[i] = fmin(hi, fmax(lo, num / den));
        }
    }
    return PARLEY_OK;
}
