/* Speed of the peace-process simulator, and the spread of its run metrics:
 *   build/bench/bench_process [SCENARIO] [RUNS] [SEED]
 * runs the scenario RUNS times (default four-party-1997, 1000 runs), single
 * threaded, and prints microseconds per run with and without the run log, then
 * the 5%, 50% and 95% quantiles and the mean of every metric (metrics.h). */
#include "parley/metrics.h"
#include "parley/process.h"
#include "parley/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "four-party-1997";
    int runs = argc > 2 ? atoi(argv[2]) : 1000;
    unsigned long long seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
    if (runs <= 0)
        runs = 1000;
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    parley_sim *sim = NULL;
    if (parley_scenario_open(name, &sc, &err) != PARLEY_OK ||
        parley_sim_new(sc, NULL, &sim, &err) != PARLEY_OK) {
        for (size_t i = 0; i < err.count; i++)
            fprintf(stderr, "%s: %s\n", err.items[i].where, err.items[i].what);
        return 2;
    }
    double *values = malloc(sizeof *values * (size_t)runs * PARLEY_METRIC_COUNT);
    if (!values)
        return 1;
    parley_sim_set_logging(sim, false);
    double t0 = now();
    for (int r = 0; r < runs; r++)
        parley_sim_run(sim, seed, 0, (uint32_t)r, &err);
    double quiet = (now() - t0) / runs * 1e6;
    parley_sim_set_logging(sim, true);
    t0 = now();
    for (int r = 0; r < runs; r++) {
        parley_sim_run(sim, seed, 0, (uint32_t)r, &err);
        parley_run_metrics(sim, &values[(size_t)r * PARLEY_METRIC_COUNT]);
    }
    double logged = (now() - t0) / runs * 1e6;
    printf("%s: %d runs, %.1f us/run without the log, %.1f us/run with it (1 thread)\n\n", name,
           runs, quiet, logged);
    printf("%-32s %8s %8s %8s %8s %6s\n", "metric", "q05", "median", "q95", "mean", "n");
    double *column = malloc(sizeof *column * (size_t)runs);
    for (int m = 0; m < PARLEY_METRIC_COUNT && column; m++) {
        int n = 0;
        double sum = 0.0;
        for (int r = 0; r < runs; r++) {
            double v = values[(size_t)r * PARLEY_METRIC_COUNT + (size_t)m];
            if (!isnan(v)) {
                column[n++] = v;
                sum += v;
            }
        }
        if (n == 0) {
            printf("%-32s %8s\n", parley_metric_name((parley_metric)m), "-");
            continue;
        }
        qsort(column, (size_t)n, sizeof *column, compare);
        printf("%-32s %8.2f %8.2f %8.2f %8.2f %6d\n", parley_metric_name((parley_metric)m),
               column[(int)(0.05 * (n - 1))], column[(n - 1) / 2], column[(int)(0.95 * (n - 1))],
               sum / n, n);
    }
    free(column);
    free(values);
    parley_sim_free(sim);
    parley_scenario_free(sc);
    parley_error_clear(&err);
    return 0;
}
