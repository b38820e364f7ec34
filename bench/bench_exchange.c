/* Times the exchange model (10 rounds, defaults) on every DEU III proposal at
 * once (tests/anchors/bargaining/deu3.tsv; each proposal is an issue group, so
 * exchanges pair issues of one proposal), and on a generated 200-actor x
 * 20-issue problem. The goal: all DEU proposals at least 500 times faster than
 * Decide's Python (over two minutes), i.e. well under 0.24 s.
 * Usage: bench_exchange [deu3.tsv [repetitions]]   (prints the best time). */
#include "core/alloc.h"
#include "parley/bargain.h"
#include "parley/bargain_exchange.h"
#include "parley/rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef PARLEY_ANCHORS_DIR
#define PARLEY_ANCHORS_DIR "tests/anchors"
#endif

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double best_time(const parley_bargain_problem *p, int reps, size_t *n_exchanges)
{
    parley_exchange_options opt;
    parley_exchange_options_default(&opt);
    double best = INFINITY;
    for (int r = 0; r < reps; r++) {
        parley_exchange_history h;
        parley_error err;
        parley_error_init(&err);
        double t0 = now_seconds();
        parley_status st = parley_exchange_run_history(p, &opt, &h, &err);
        double t = now_seconds() - t0;
        if (st != PARLEY_OK) {
            fprintf(stderr, "bench_exchange: %s: %s\n", parley_strerror(st),
                    err.count ? err.items[0].what : "");
            parley_error_clear(&err);
            return NAN;
        }
        *n_exchanges = h.n_exchanges;
        parley_exchange_history_free(&h);
        parley_error_clear(&err);
        if (t < best)
            best = t;
    }
    return best;
}

static parley_bargain_problem *generated(size_t na, size_t ni, uint64_t seed)
{
    parley_bargain_problem *p = NULL;
    parley_error err;
    parley_error_init(&err);
    if (parley_bargain_problem_new(na, ni, &p, &err) != PARLEY_OK) {
        parley_error_clear(&err);
        return NULL;
    }
    parley_rng rng;
    parley_rng_seed(&rng, seed);
    static char id[16];
    for (size_t a = 0; a < na; a++) {
        snprintf(id, sizeof id, "a%zu", a);
        p->actor_ids[a] = parley__strdup(id);
        p->actor_names[a] = parley__strdup(id);
    }
    for (size_t i = 0; i < ni; i++) {
        snprintf(id, sizeof id, "i%zu", i);
        p->issue_ids[i] = parley__strdup(id);
    }
    for (size_t k = 0; k < na * ni; k++) {
        p->position[k] = floor(100.0 * parley_rng_uniform(&rng) + 0.5);
        p->salience[k] = 0.05 + 0.95 * parley_rng_uniform(&rng);
        p->capability[k] = 0.05 + 0.95 * parley_rng_uniform(&rng);
    }
    return p;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : PARLEY_ANCHORS_DIR "/bargaining/deu3.tsv";
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    if (reps < 1)
        reps = 1;
    parley_bargain_problem *p = NULL;
    parley_error err;
    parley_error_init(&err);
    if (parley_bargain_read_file(path, PARLEY_FORMAT_DEU, &p, &err) != PARLEY_OK) {
        fprintf(stderr, "bench_exchange: cannot read %s: %s\n", path,
                err.count ? err.items[0].what : "");
        parley_error_clear(&err);
        return 1;
    }
    size_t groups = 0;
    for (size_t i = 0; i < p->n_issues; i++) {
        size_t j = 0;
        while (j < i && !(p->issue_group && p->issue_group[j] == p->issue_group[i]))
            j++;
        groups += j == i;
    }
    size_t n_ex = 0;
    double t = best_time(p, reps, &n_ex);
    printf("DEU III: %zu actors, %zu issues in %zu proposals, 10 rounds: %.4f s "
           "(%zu exchanges; Decide's Python: > 120 s, so %.0fx)\n",
           p->n_actors, p->n_issues, groups, t, n_ex, 120.0 / t);
    fflush(stdout);
    parley_bargain_problem_free(p);
    parley_error_clear(&err);
    p = generated(200, 20, 1);
    if (!p)
        return 1;
    t = best_time(p, 1, &n_ex);
    printf("generated 200 actors x 20 issues, 10 rounds: %.3f s (%zu exchanges)\n", t, n_ex);
    parley_bargain_problem_free(p);
    return 0;
}
