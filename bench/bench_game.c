/* Times the repeated-game engine on the two workloads the Axelrod library was
 * timed on (tests/anchors/games/README.md), single-threaded and on T threads:
 *   A: 10,000 noisy (0.05) 200-turn TitForTat v WinStayLoseShift matches
 *      (Axelrod 4.13: 11.95 s, about 167,000 turns/s);
 *   B: the 9-strategy round robin (the nine deterministic anchor strategies,
 *      45 matches with self-play), 200 turns, 100 repetitions, noise 0.05
 *      (Axelrod: 12.3 s, about 73,000 turns/s).
 * Usage: bench_game [repeats [max_threads]]  (defaults 7 and 2; each timing is
 * the best of `repeats`, each repeat runs the workload enough times to last
 * at least 0.2 s). */
#include "parley/game.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define AXELROD_A_TURNS_PER_S (2.0e6 / 11.95)
#define AXELROD_B_TURNS_PER_S (9.0e5 / 12.3)

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Wall time, and the process's CPU time: on a shared machine the CPU time of a
 * single-threaded run is the better measure (others' jobs do not inflate it). */
static double now_seconds(void) { return clock_seconds(CLOCK_MONOTONIC); }
static double cpu_seconds(void) { return clock_seconds(CLOCK_PROCESS_CPUTIME_ID); }

static parley_strategy *make(const char *spec, const parley_stage_game *g)
{
    parley_strategy *s = NULL;
    parley_error err;
    parley_error_init(&err);
    if (parley_strategy_parse(spec, g, &s, &err) != PARLEY_OK) {
        fprintf(stderr, "bench_game: cannot make %s\n", spec);
        exit(1);
    }
    return s;
}

/* Workload A split over threads by match index; the sums are a checksum so the
 * compiler cannot drop the work. */
typedef struct a_job {
    const parley_strategy *s1, *s2;
    const parley_stage_game *g;
    const parley_channel *c;
    uint32_t first, last, seed;
    double checksum;
} a_job;

static void *a_worker(void *arg)
{
    a_job *j = arg;
    double sum = 0;
    for (uint32_t m = j->first; m < j->last; m++) {
        parley_stream_id id = {.seed = j->seed, .run = m, .mechanism = PARLEY_MECH_GAME};
        parley_match_result r;
        parley_match_play(j->s1, j->s2, j->g, j->c, 200, &id, &r, NULL, NULL);
        sum += r.score[0] + r.score[1];
    }
    j->checksum = sum;
    return NULL;
}

static double run_a(const parley_strategy *s1, const parley_strategy *s2,
                    const parley_stage_game *g, const parley_channel *c, unsigned threads,
                    uint32_t seed, double *checksum)
{
    enum { MATCHES = 10000 };
    a_job jobs[64];
    pthread_t tid[64];
    double t0 = now_seconds();
    for (unsigned t = 0; t < threads; t++) {
        jobs[t] = (a_job){s1, s2, g, c, (uint32_t)(MATCHES * t / threads),
                          (uint32_t)(MATCHES * (t + 1) / threads), seed, 0};
        if (t > 0 && pthread_create(&tid[t], NULL, a_worker, &jobs[t]) != 0) {
            fprintf(stderr, "bench_game: pthread_create failed\n");
            exit(1);
        }
    }
    a_worker(&jobs[0]);
    for (unsigned t = 1; t < threads; t++)
        pthread_join(tid[t], NULL);
    double dt = now_seconds() - t0;
    for (unsigned t = 0; t < threads; t++)
        *checksum += jobs[t].checksum;
    return dt;
}

static double run_b(parley_tournament_config *cfg, uint32_t seed, double *checksum)
{
    parley_tournament_result r;
    parley_error err;
    parley_error_init(&err);
    cfg->seed = seed;
    double t0 = now_seconds();
    if (parley_tournament_run(cfg, &r, &err) != PARLEY_OK) {
        fprintf(stderr, "bench_game: tournament failed\n");
        exit(1);
    }
    double dt = now_seconds() - t0;
    *checksum += r.mean_score[0];
    if (r.total_turns != 900000u) {
        fprintf(stderr, "bench_game: workload B played %llu turns\n",
                (unsigned long long)r.total_turns);
        exit(1);
    }
    parley_tournament_result_free(&r);
    return dt;
}

static void report(const char *what, unsigned threads, double wall, double cpu, double turns,
                   double axelrod)
{
    printf("%-40s %3u  %9.5f %9.5f  %9.3g %9.3g  %7.0f %7.0f\n", what, threads, wall, cpu,
           turns / wall, turns / cpu, turns / wall / axelrod, turns / cpu / axelrod);
}

int main(int argc, char **argv)
{
    int repeats = argc > 1 ? atoi(argv[1]) : 7;
    unsigned max_threads = argc > 2 ? (unsigned)atoi(argv[2]) : 2;
    if (repeats < 1 || max_threads < 1 || max_threads > 64) {
        fprintf(stderr, "usage: bench_game [repeats >= 1 [max_threads 1..64]]\n");
        return 2;
    }
    parley_stage_game g;
    parley_stage_game_symmetric(&g, 3, 0, 5, 1);
    parley_channel noisy = {0.05, 1.0, 0.0};
    parley_strategy *tft = make("TitForTat", &g), *wsls = make("WinStayLoseShift", &g);
    static const char *nine[9] = {"Cooperator",   "Defector",            "TitForTat",
                                  "Grudger",      "WinStayLoseShift",    "TitFor2Tats",
                                  "SuspiciousTitForTat", "Alternator",   "GoByMajority"};
    parley_strategy *players[9];
    for (int i = 0; i < 9; i++)
        players[i] = make(nine[i], &g);
    double checksum = 0;
    printf("%-40s %3s  %9s %9s  %9s %9s  %7s %7s\n", "workload (best of repeats)", "thr",
           "wall s", "cpu s/thr", "turns/s", "(cpu)", "xAxelrod", "(cpu)");
    for (unsigned threads = 1; threads <= max_threads; threads++) {
        double best = 1e30, best_cpu = 1e30;
        uint32_t seed = 1;
        for (int rep = 0; rep < repeats; rep++) {
            /* enough runs to last 0.2 s, so the clock's resolution does not matter */
            double t = 0, c0 = cpu_seconds();
            int runs = 0;
            while (t < 0.2) {
                t += run_a(tft, wsls, &g, &noisy, threads, seed++, &checksum);
                runs++;
            }
            double c = (cpu_seconds() - c0) / threads;
            if (t / runs < best)
                best = t / runs;
            if (c / runs < best_cpu)
                best_cpu = c / runs;
        }
        report("A: 10,000 x 200 turns TFT v WSLS, e=0.05", threads, best, best_cpu, 2.0e6,
               AXELROD_A_TURNS_PER_S);
    }
    for (unsigned threads = 1; threads <= max_threads; threads++) {
        parley_tournament_config cfg = {.nplayers = 9,
                                        .players = (const parley_strategy *const *)players,
                                        .game = g, .channel = noisy, .turns = 200,
                                        .repetitions = 100, .threads = threads};
        double best = 1e30, best_cpu = 1e30;
        uint32_t seed = 1;
        for (int rep = 0; rep < repeats; rep++) {
            double t = 0, c0 = cpu_seconds();
            int runs = 0;
            while (t < 0.2) {
                t += run_b(&cfg, seed++, &checksum);
                runs++;
            }
            double c = (cpu_seconds() - c0) / threads;
            if (t / runs < best)
                best = t / runs;
            if (c / runs < best_cpu)
                best_cpu = c / runs;
        }
        report("B: 9-player round robin x100, e=0.05", threads, best, best_cpu, 9.0e5,
               AXELROD_B_TURNS_PER_S);
    }
    printf("(checksum %.6g)\n", checksum);
    parley_strategy_free(tft);
    parley_strategy_free(wsls);
    for (int i = 0; i < 9; i++)
        parley_strategy_free(players[i]);
    return 0;
}
