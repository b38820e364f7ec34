/* Times KTAB's SMP (default options) on KTAB's 40-, 80- and 160-actor dummy
 * cases, with the automatic thread count and on one thread, against the
 * goals: a080 at least 1,000 times faster than KTAB's optimised build (138 s,
 * so under 0.138 s) and a160 under a second.
 * Usage: bench_smp [anchors/bargaining directory] [repetitions]
 * (defaults tests/anchors/bargaining and 5; prints the best wall time). */
#include "parley/bargain.h"
#include "parley/bargain_smp.h"

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

/* Best wall time of `reps` runs, or a negative number on failure. */
static double time_run(const parley_bargain_problem *p, const parley_smp_options *o, int reps,
                       size_t *states)
{
    double best = INFINITY;
    for (int k = 0; k < reps; k++) {
        parley_bargain_result res;
        parley_error err;
        parley_error_init(&err);
        const double t0 = now_seconds();
        const parley_status st = parley_smp_run(p, o, &res, &err);
        const double t1 = now_seconds();
        parley_error_clear(&err);
        if (st != PARLEY_OK)
            return -1.0;
        *states = res.trace.rounds + 1;
        parley_bargain_result_free(&res);
        best = t1 - t0 < best ? t1 - t0 : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/anchors/bargaining";
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    if (reps < 1)
        reps = 1;
    static const char *const cases[] = {"a040", "a080", "a160"};
    static const double goal[] = {NAN, 0.138, 1.0};
    printf("case  actors  states  auto_threads_s  one_thread_s  goal_s\n");
    int ok = 1;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/ktab_dummyData-%s.csv", dir, cases[c]);
        parley_bargain_problem *p = NULL;
        parley_error err;
        parley_error_init(&err);
        if (parley_bargain_read_file(path, PARLEY_FORMAT_KTAB, &p, &err) != PARLEY_OK) {
            fprintf(stderr, "bench_smp: cannot read %s\n", path);
            parley_error_clear(&err);
            return 1;
        }
        parley_smp_options o;
        parley_smp_options_default(&o);
        size_t states = 0;
        const double t_auto = time_run(p, &o, reps, &states);
        o.threads = 1;
        const double t_one = time_run(p, &o, reps, &states);
        printf("%s  %6zu  %6zu  %14.4f  %12.4f  %6.3f\n", cases[c], p->n_actors, states, t_auto,
               t_one, goal[c]);
        ok = ok && t_auto >= 0 && t_one >= 0 && !(t_auto > goal[c]);
        parley_bargain_problem_free(p);
    }
    return ok ? 0 : 1;
}
