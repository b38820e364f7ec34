/* Scoring forecasts against known outcomes on the common 0-100 scale, as the
 * DEU literature reports them: mean and median absolute error and the share
 * of issues within 10 points. */
#include "internal.h"

#include "core/alloc.h"

#include <math.h>
#include <stdlib.h>

static int by_value(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

parley_status parley_bargain_score_forecast(const parley_bargain_problem *p, const double *forecast,
                                            parley_bargain_score *score, parley_error *err)
{
    score->n = 0;
    score->mae = score->median_ae = score->within10 = NAN;
    double *e = PARLEY_NEW_ARRAY(double, p->n_issues);
    if (!e)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory for scoring");
    size_t n = 0, within = 0;
    double sum = 0.0;
    for (size_t i = 0; i < p->n_issues; i++) {
        if (!isfinite(p->outcome[i]) || !isfinite(forecast[i]))
            continue;
        double range = p->scale_max[i] - p->scale_min[i];
        double err100 = fabs(forecast[i] - p->outcome[i]) * 100.0 / range;
        e[n++] = err100;
        sum += err100;
        /* Tolerance so that an error of exactly 10 on a rescaled issue counts. */
        if (err100 <= 10.0 + 1e-9)
            within++;
    }
    if (n > 0) {
        qsort(e, n, sizeof *e, by_value);
        score->n = n;
        score->mae = sum / (double)n;
        score->median_ae = n % 2 ? e[n / 2] : 0.5 * (e[n / 2 - 1] + e[n / 2]);
        score->within10 = (double)within / (double)n;
    }
    parley__free(e);
    return PARLEY_OK;
}
