/* Times every bargaining model through parley_bargain_forecast, with its
 * defaults, on (a) all DEU III issues (tests/anchors/bargaining/deu3.tsv: 30
 * actors x 364 issues; exchange and SMP per proposal as the dispatcher runs
 * them) and (b) a generated problem of 200 actors x 20 issues (seeded Philox
 * stream, one issue group; saliences are shares of each actor's attention so
 * that SMP accepts them). Each case runs until 0.5 s have passed (at least once,
 * at most 1000 times) and prints the best and mean time per run.
 * Usage: bench_bargain [deu3.tsv] [--model NAME] [--quick]   (bench/README.md) */
#include "parley/bargain.h"
#include "parley/rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef PARLEY_ANCHORS_DIR
#define PARLEY_ANCHORS_DIR "tests/anchors" /* run from the source tree */
#endif

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static char *copy(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = malloc(n);
    if (c)
        memcpy(c, s, n);
    return c;
}

/* 200 x 20: positions uniform on 0..100, capability uniform on (0.1, 10.1),
 * each actor's saliences a uniform draw normalised to sum to 1, status quo
 * uniform. Stream (seed 2024, mechanism BARGAIN). */
static parley_bargain_problem *generated(size_t na, size_t ni)
{
    parley_bargain_problem *p;
    parley_error err;
    parley_error_init(&err);
    if (parley_bargain_problem_new(na, ni, &p, &err) != PARLEY_OK) {
        parley_error_clear(&err);
        return NULL;
    }
    parley_stream_id id = {.seed = 2024, .mechanism = PARLEY_MECH_BARGAIN};
    parley_rng rng;
    parley_rng_init(&rng, &id);
    char buf[32];
    for (size_t i = 0; i < ni; i++) {
        snprintf(buf, sizeof buf, "issue%zu", i + 1);
        p->issue_ids[i] = copy(buf);
        p->status_quo[i] = 100.0 * parley_rng_uniform(&rng);
    }
    for (size_t a = 0; a < na; a++) {
        snprintf(buf, sizeof buf, "actor%zu", a + 1);
        p->actor_ids[a] = copy(buf);
        p->actor_names[a] = copy(buf);
        double c = 0.1 + 10.0 * parley_rng_uniform(&rng), total = 0.0;
        for (size_t i = 0; i < ni; i++) {
            size_t k = a * ni + i;
            p->capability[k] = c;
            p->position[k] = 100.0 * parley_rng_uniform(&rng);
            p->salience[k] = 0.05 + parley_rng_uniform(&rng);
            total += p->salience[k];
        }
        for (size_t i = 0; i < ni; i++)
            p->salience[a * ni + i] /= total;
    }
    parley_error_clear(&err);
    return p;
}

static void bench(const char *label, const parley_bargain_problem *p, parley_bargain_model m,
                  double budget)
{
    double best = INFINITY, total = 0.0;
    int runs = 0;
    while (runs < 1000 && (runs == 0 || total < budget)) {
        parley_bargain_result r;
        parley_error err;
        parley_error_init(&err);
        double t0 = now_seconds();
        parley_status st = parley_bargain_forecast(p, m, NULL, &r, &err);
        double t = now_seconds() - t0;
        if (st != PARLEY_OK) {
            printf("%-10s %-12s failed: %s\n", label, parley_bargain_model_name(m),
                   err.count ? err.items[0].what : parley_strerror(st));
            parley_error_clear(&err);
            return;
        }
        parley_bargain_result_free(&r);
        parley_error_clear(&err);
        best = t < best ? t : best;
        total += t;
        runs++;
    }
    printf("%-10s %-12s %12.3f %12.3f %6d\n", label, parley_bargain_model_name(m), 1e3 * best,
           1e3 * total / runs, runs);
}

int main(int argc, char **argv)
{
    const char *deu = PARLEY_ANCHORS_DIR "/bargaining/deu3.tsv";
    int only = -1;
    double budget = 0.5;
    for (int i = 1; i < argc; i++) {
        parley_bargain_model m;
        if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
            if (!parley_bargain_model_from_name(argv[++i], &m)) {
                fprintf(stderr, "bench_bargain: unknown model %s\n", argv[i]);
                return 2;
            }
            only = (int)m;
        } else if (strcmp(argv[i], "--quick") == 0) {
            budget = 0.0;
        } else {
            deu = argv[i];
        }
    }
    parley_bargain_problem *d;
    parley_error err;
    parley_error_init(&err);
    if (parley_bargain_read_file(deu, PARLEY_FORMAT_AUTO, &d, &err) != PARLEY_OK) {
        fprintf(stderr, "bench_bargain: %s: %s\n", err.count ? err.items[0].where : deu,
                err.count ? err.items[0].what : "cannot read");
        parley_error_clear(&err);
        return 1;
    }
    parley_error_clear(&err);
    parley_bargain_problem *g = generated(200, 20);
    if (!g) {
        parley_bargain_problem_free(d);
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("%-10s %-12s %12s %12s %6s\n", "case", "model", "best ms", "mean ms", "runs");
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++)
        if (only < 0 || only == m)
            bench("deu3", d, (parley_bargain_model)m, budget);
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++)
        if (only < 0 || only == m)
            bench("gen200x20", g, (parley_bargain_model)m, budget);
    parley_bargain_problem_free(d);
    parley_bargain_problem_free(g);
    return 0;
}
