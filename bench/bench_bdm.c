/* Times the BDM model (8 rounds, defaults) on random one-issue problems of
 * 50 to 800 actors, with the fast probability sums and with the direct ones,
 * to show the goal "200 actors in well under a second" and how each grows.
 * Usage: bench_bdm [repetitions]   (default 5; prints the best time of each). */
#include "parley/bargain.h"
#include "parley/bargain_bdm.h"
#include "parley/rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static parley_bargain_problem *random_problem(size_t n, uint64_t seed)
{
    parley_bargain_problem *p = NULL;
    parley_error err;
    parley_error_init(&err);
    if (parley_bargain_problem_new(n, 1, &p, &err) != PARLEY_OK) {
        parley_error_clear(&err);
        return NULL;
    }
    parley_rng rng;
    parley_rng_seed(&rng, seed);
    for (size_t a = 0; a < n; a++) {
        p->capability[a] = 0.05 + parley_rng_uniform(&rng);
        p->position[a] = 100.0 * parley_rng_uniform(&rng);
        p->salience[a] = 0.05 + 0.95 * parley_rng_uniform(&rng);
    }
    return p;
}

/* Best wall time of `reps` runs, or a negative number on failure. */
static double time_run(const parley_bargain_problem *p, const parley_bdm_options *o, int reps,
                       double *forecast)
{
    double best = INFINITY;
    for (int k = 0; k < reps; k++) {
        parley_bargain_result res;
        parley_error err;
        parley_error_init(&err);
        double t0 = now_seconds();
        parley_status st = parley_bdm_run(p, o, &res, &err);
        double t1 = now_seconds();
        parley_error_clear(&err);
        if (st != PARLEY_OK)
            return -1.0;
        *forecast = res.forecast[0];
        parley_bargain_result_free(&res);
        best = t1 - t0 < best ? t1 - t0 : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    if (reps < 1)
        reps = 1;
    static const size_t sizes[] = {50, 100, 200, 400, 800};
    printf("actors  rounds  fast_s     naive_s    forecast_fast  forecast_naive\n");
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        parley_bargain_problem *p = random_problem(sizes[z], 2011);
        if (!p)
            return 1;
        parley_bdm_options o;
        parley_bdm_options_default(&o);
        double ff = NAN, fn = NAN;
        double tf = time_run(p, &o, reps, &ff);
        o.algorithm = PARLEY_BDM_NAIVE;
        double tn = sizes[z] <= 400 ? time_run(p, &o, reps, &fn) : NAN;
        printf("%6zu  %6zu  %9.6f  %9.6f  %13.6f  %14.6f\n", sizes[z], o.rounds, tf, tn, ff, fn);
        parley_bargain_problem_free(p);
        if (tf < 0.0)
            return 1;
    }
    return 0;
}
