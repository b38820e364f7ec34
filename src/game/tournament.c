/* Round-robin tournaments. Every match (repetition r, pair k) has its own
 * stream, named by (seed, r, k), and its own slot for results, so the threads
 * only decide who computes a match, never what it computes: any thread count
 * gives bit-identical standings. Reductions run serially afterwards in a fixed
 * order for the same reason. */
#include "game_internal.h"

#include "core/alloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 256u

typedef struct slot {
    double score[2];
    uint32_t turns;
    uint32_t coop[2];
} slot;

typedef struct job {
    const parley_tournament_config *cfg;
    const uint32_t *pair_i, *pair_j;
    size_t npairs;
    slot *slots;
    size_t first, stride, total;
} job;

static void run_one(const job *jb, size_t item)
{
    const parley_tournament_config *cfg = jb->cfg;
    uint32_t rep = (uint32_t)(item / jb->npairs);
    uint32_t k = (uint32_t)(item % jb->npairs);
    parley_stream_id id = {.seed = cfg->seed, .draw = 0, .run = rep,
                           .mechanism = PARLEY_MECH_GAME, .actor = k, .round = 0};
    uint32_t turns = cfg->turns;
    if (cfg->prob_end > 0) {
        parley_stream_id lid = id;
        lid.round = 1; /* the length has its own stream: the play does not shift it */
        parley_rng rng;
        parley_rng_init(&rng, &lid);
        turns = parley_match_length(cfg->prob_end, cfg->turns, &rng);
    }
    parley_match_result r;
    parley_match_play(cfg->players[jb->pair_i[k]], cfg->players[jb->pair_j[k]], &cfg->game,
                      &cfg->channel, turns, &id, &r, NULL, NULL);
    slot *s = &jb->slots[item];
    s->score[0] = r.score[0];
    s->score[1] = r.score[1];
    s->turns = r.turns;
    s->coop[0] = r.cooperations[0];
    s->coop[1] = r.cooperations[1];
}

static void *worker(void *arg)
{
    const job *jb = arg;
    for (size_t item = jb->first; item < jb->total; item += jb->stride)
        run_one(jb, item);
    return NULL;
}

void parley_tournament_result_free(parley_tournament_result *r)
{
    parley__free(r->score_per_turn);
    parley__free(r->median_score);
    parley__free(r->mean_score);
    parley__free(r->payoff);
    parley__free(r->cooperation);
    parley__free(r->cooperation_rate);
    parley__free(r->ranking);
    memset(r, 0, sizeof *r);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct rank_key {
    double median, mean;
    size_t index;
} rank_key;

static int cmp_rank(const void *a, const void *b)
{
    const rank_key *x = a, *y = b;
    if (x->median != y->median)
        return x->median > y->median ? -1 : 1;
    if (x->mean != y->mean)
        return x->mean > y->mean ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

parley_status parley_tournament_run(const parley_tournament_config *cfg,
                                    parley_tournament_result *out, parley_error *err)
{
    memset(out, 0, sizeof *out);
    const char *where = "tournament";
    parley_status st = PARLEY_OK;
    if (cfg->nplayers < 1 || !cfg->players)
        st = parley_error_add(err, PARLEY_EINPUT, where, "a tournament needs players");
    if (cfg->repetitions < 1)
        st = parley_error_add(err, PARLEY_EINPUT, where, "repetitions must be at least 1");
    if (cfg->turns < 1)
        st = parley_error_add(err, PARLEY_EINPUT, where, "turns must be at least 1");
    if (!(cfg->prob_end >= 0 && cfg->prob_end <= 1))
        st = parley_error_add(err, PARLEY_EINPUT, where,
                              "the ending probability must be in [0, 1], not %g", cfg->prob_end);
    if (parley_channel_check(&cfg->channel, where, err) != PARLEY_OK)
        st = PARLEY_EINPUT;
    if (cfg->nplayers > 4096)
        st = parley_error_add(err, PARLEY_ELIMIT, where, "at most 4096 players, not %zu",
                              cfg->nplayers);
    if (st != PARLEY_OK)
        return st;
    size_t n = cfg->nplayers, reps = cfg->repetitions;
    size_t npairs = n * (n + 1) / 2;
    uint32_t *pi = PARLEY_NEW_ARRAY(uint32_t, npairs);
    uint32_t *pj = PARLEY_NEW_ARRAY(uint32_t, npairs);
    slot *slots = parley__calloc(reps * npairs, sizeof *slots);
    out->score_per_turn = PARLEY_NEW_ARRAY(double, reps * n);
    out->median_score = PARLEY_NEW_ARRAY(double, n);
    out->mean_score = PARLEY_NEW_ARRAY(double, n);
    out->payoff = PARLEY_NEW_ARRAY(double, n * n);
    out->cooperation = PARLEY_NEW_ARRAY(double, n * n);
    out->cooperation_rate = PARLEY_NEW_ARRAY(double, n);
    out->ranking = PARLEY_NEW_ARRAY(size_t, n);
    double *column = PARLEY_NEW_ARRAY(double, reps);
    rank_key *keys = PARLEY_NEW_ARRAY(rank_key, n);
    double *coop_n = PARLEY_NEW_ARRAY(double, n * n), *turn_n = PARLEY_NEW_ARRAY(double, n * n);
    if (!pi || !pj || !slots || !out->score_per_turn || !out->median_score || !out->mean_score ||
        !out->payoff || !out->cooperation || !out->cooperation_rate || !out->ranking || !column ||
        !keys || !coop_n || !turn_n) {
        st = parley_error_add(err, PARLEY_ENOMEM, where, "no memory for the tournament");
        goto done;
    }
    out->nplayers = n;
    out->repetitions = cfg->repetitions;
    for (size_t i = 0, k = 0; i < n; i++)
        for (size_t j = i; j < n; j++, k++) {
            pi[k] = (uint32_t)i;
            pj[k] = (uint32_t)j;
        }

    unsigned threads = cfg->threads < 1 ? 1 : cfg->threads > MAX_THREADS ? MAX_THREADS : cfg->threads;
    size_t total = reps * npairs;
    if (threads > total)
        threads = (unsigned)total; /* total >= 1: players and repetitions were checked */
    job jobs[MAX_THREADS];
    pthread_t tids[MAX_THREADS];
    unsigned started = 0;
    unsigned w = 0;
    do /* at least jobs[0], which this thread runs */
        jobs[w] = (job){cfg, pi, pj, npairs, slots, w, threads, total};
    while (++w < threads);
    for (unsigned t = 1; t < threads; t++) {
        if (pthread_create(&tids[t], NULL, worker, &jobs[t]) != 0)
            break;
        started = t;
    }
    /* This thread takes stripe 0 and, if a thread failed to start, its stripes. */
    worker(&jobs[0]);
    for (unsigned t = started + 1; t < threads; t++)
        worker(&jobs[t]);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(tids[t], NULL);

    /* Serial reductions in a fixed order. */
    for (size_t r = 0; r < reps; r++) {
        double *row = out->score_per_turn + r * n;
        for (size_t k = 0; k < npairs; k++) {
            const slot *s = &slots[r * npairs + k];
            size_t i = pi[k], j = pj[k];
            double t = s->turns;
            if (i != j) {
                row[i] += s->score[0] / t;
                row[j] += s->score[1] / t;
            } else if (n == 1) {
                row[i] += (s->score[0] + s->score[1]) / (2 * t);
            }
            if (i == j) {
                out->payoff[i * n + i] += (s->score[0] + s->score[1]) / (2 * t);
                coop_n[i * n + i] += (s->coop[0] + s->coop[1]) / 2.0;
                turn_n[i * n + i] += t;
            } else {
                out->payoff[i * n + j] += s->score[0] / t;
                out->payoff[j * n + i] += s->score[1] / t;
                coop_n[i * n + j] += s->coop[0];
                coop_n[j * n + i] += s->coop[1];
                turn_n[i * n + j] += t;
                turn_n[j * n + i] += t;
            }
            out->total_turns += s->turns;
        }
        if (n > 1)
            for (size_t i = 0; i < n; i++)
                row[i] /= (double)(n - 1);
    }
    for (size_t i = 0; i < n; i++) {
        double sum = 0, c = 0, tt = 0;
        for (size_t r = 0; r < reps; r++) {
            column[r] = out->score_per_turn[r * n + i];
            sum += column[r];
        }
        qsort(column, reps, sizeof *column, cmp_double);
        out->median_score[i] =
            reps % 2 ? column[reps / 2] : (column[reps / 2 - 1] + column[reps / 2]) / 2;
        out->mean_score[i] = sum / (double)reps;
        for (size_t j = 0; j < n; j++) {
            out->payoff[i * n + j] /= (double)reps;
            out->cooperation[i * n + j] = coop_n[i * n + j] / turn_n[i * n + j];
            if (j != i || n == 1) {
                c += coop_n[i * n + j];
                tt += turn_n[i * n + j];
            }
        }
        out->cooperation_rate[i] = c / tt;
        keys[i] = (rank_key){out->median_score[i], out->mean_score[i], i};
    }
    qsort(keys, n, sizeof *keys, cmp_rank);
    for (size_t i = 0; i < n; i++)
        out->ranking[i] = keys[i].index;
done:
    parley__free(pi);
    parley__free(pj);
    parley__free(slots);
    parley__free(column);
    parley__free(keys);
    parley__free(coop_n);
    parley__free(turn_n);
    if (st != PARLEY_OK)
        parley_tournament_result_free(out);
    return st;
}
