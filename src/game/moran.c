/* The Moran process (Moran 1958; Nowak 2006, ch. 6) on repeated games, as the
 * Axelrod library's MoranProcess without mutation: each generation every
 * pair of individuals plays one match, an individual's fitness is its total
 * payoff, one individual is chosen to reproduce with probability proportional
 * to fitness and one, uniformly among all N (the parent included), is
 * replaced by its offspring, until one type holds the whole population.
 *
 * Streams: run r draws its selections from (seed, 0, r, PARLEY_MECH_GAME,
 * PARLEY_MORAN_SELECTION_ACTOR, 0) and the match of pair k in generation g
 * from (seed, 0, r, PARLEY_MECH_GAME, k, g + 1); so a run is recomputable
 * alone and the thread count never changes a result. When every type is
 * deterministic and the channel is perfect, a match's payoffs depend only on
 * the two types and are computed once. */
#include "game_internal.h"

#include "core/alloc.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#define MAX_THREADS 256u
#define DEFAULT_GENERATIONS 1000000u

typedef struct moran_ctx {
    const parley_moran_config *cfg;
    uint32_t n; /* population */
    bool cached;
    double *pay; /* cached: [a * ntypes + b] a's total payoff against b */
} moran_ctx;

static parley_status check_config(const parley_moran_config *cfg, uint32_t *population,
                                  parley_error *err)
{
    const char *w = "moran";
    parley_status st = PARLEY_OK;
    if (cfg->ntypes < 1 || !cfg->types || !cfg->initial)
        return parley_error_add(err, PARLEY_EINPUT, w, "a Moran process needs strategies and "
                                                       "their initial counts");
    uint64_t total = 0;
    for (size_t i = 0; i < cfg->ntypes; i++)
        total += cfg->initial[i];
    if (total < 2 || total > PARLEY_MORAN_MAX_POPULATION)
        st = parley_error_add(err, PARLEY_EINPUT, w,
                              "the population must hold 2 to %u individuals, not %llu",
                              PARLEY_MORAN_MAX_POPULATION, (unsigned long long)total);
    if (cfg->turns < 1)
        st = parley_error_add(err, PARLEY_EINPUT, w, "turns must be at least 1");
    if (parley_channel_check(&cfg->channel, w, err) != PARLEY_OK)
        st = PARLEY_EINPUT;
    for (int p = 0; p < 2; p++)
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++)
                if (!(cfg->game.payoff[p][a][b] >= 0) || !isfinite(cfg->game.payoff[p][a][b])) {
                    /* fitness is a total payoff and chooses parents in proportion */
                    return parley_error_add(err, PARLEY_EINPUT, w,
                                            "fitness is the total payoff, so a Moran process "
                                            "needs finite payoffs >= 0 (got %g)",
                                            cfg->game.payoff[p][a][b]);
                }
    *population = (uint32_t)total;
    return st;
}

static parley_status ctx_init(moran_ctx *c, const parley_moran_config *cfg, parley_error *err)
{
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    parley_status st = check_config(cfg, &c->n, err);
    if (st != PARLEY_OK)
        return st;
    bool det = cfg->channel.noise == 0 && cfg->channel.detect == 1 &&
               cfg->channel.false_alarm == 0;
    for (size_t i = 0; i < cfg->ntypes && det; i++)
        det = parley_strategy_is_deterministic(cfg->types[i]);
    if (!det)
        return PARLEY_OK;
    size_t k = cfg->ntypes;
    c->pay = PARLEY_NEW_ARRAY(double, k * k);
    if (!c->pay)
        return parley_error_add(err, PARLEY_ENOMEM, "moran", "out of memory");
    parley_stream_id id = {cfg->seed, 0, 0, PARLEY_MECH_GAME, 0, 0};
    for (size_t a = 0; a < k; a++)
        for (size_t b = a; b < k; b++) {
            parley_match_result r;
            parley_match_play(cfg->types[a], cfg->types[b], &cfg->game, &cfg->channel,
                              cfg->turns, &id, &r, NULL, NULL);
            c->pay[a * k + b] = r.score[0];
            c->pay[b * k + a] = r.score[1];
        }
    c->cached = true;
    return PARLEY_OK;
}

/* Scratch for one run: who is of which type, and their fitness. */
typedef struct moran_work {
    uint32_t *type;
    double *fitness;
    uint32_t *count;
} moran_work;

static bool work_init(moran_work *w, uint32_t n, size_t ntypes)
{
    w->type = PARLEY_NEW_ARRAY(uint32_t, n);
    w->fitness = PARLEY_NEW_ARRAY(double, n);
    w->count = PARLEY_NEW_ARRAY(uint32_t, ntypes);
    return w->type && w->fitness && w->count;
}

static void work_free(moran_work *w)
{
    parley__free(w->type);
    parley__free(w->fitness);
    parley__free(w->count);
}

static void fitness(const moran_ctx *c, moran_work *w, uint32_t run, uint32_t generation)
{
    const parley_moran_config *cfg = c->cfg;
    uint32_t n = c->n;
    size_t k = cfg->ntypes;
    if (c->cached) {
        for (uint32_t i = 0; i < n; i++) {
            size_t a = w->type[i];
            double f = 0;
            for (size_t b = 0; b < k; b++)
                f += (double)(w->count[b] - (a == b)) * c->pay[a * k + b];
            w->fitness[i] = f;
        }
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        w->fitness[i] = 0;
    uint32_t pair = 0;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = i + 1; j < n; j++, pair++) {
            parley_stream_id id = {cfg->seed, 0, run, PARLEY_MECH_GAME, pair, generation + 1};
            parley_match_result r;
            parley_match_play(cfg->types[w->type[i]], cfg->types[w->type[j]], &cfg->game,
                              &cfg->channel, cfg->turns, &id, &r, NULL, NULL);
            w->fitness[i] += r.score[0];
            w->fitness[j] += r.score[1];
        }
}

/* Index drawn with probability proportional to fitness (uniformly when
 * every fitness is 0, as the Axelrod library does). */
static uint32_t draw_parent(const moran_work *w, uint32_t n, parley_rng *rng)
{
    double total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += w->fitness[i];
    if (!(total > 0))
        return parley_rng_below(rng, n);
    double u = parley_rng_uniform(rng) * total, acc = 0;
    uint32_t last = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (w->fitness[i] <= 0)
            continue;
        acc += w->fitness[i];
        last = i;
        if (u < acc)
            return i;
    }
    return last; /* rounding: u landed on the total */
}

static void run_one(const moran_ctx *c, moran_work *w, uint32_t run, parley_moran_outcome *out)
{
    const parley_moran_config *cfg = c->cfg;
    uint32_t n = c->n, i = 0;
    size_t k = cfg->ntypes;
    for (size_t t = 0; t < k; t++) {
        w->count[t] = cfg->initial[t];
        for (uint32_t m = 0; m < cfg->initial[t]; m++)
            w->type[i++] = (uint32_t)t;
    }
    parley_stream_id sid = {cfg->seed, 0, run, PARLEY_MECH_GAME, PARLEY_MORAN_SELECTION_ACTOR, 0};
    parley_rng rng;
    parley_rng_init(&rng, &sid);
    uint32_t cap = cfg->max_generations ? cfg->max_generations : DEFAULT_GENERATIONS;
    out->fixed = -1;
    out->generations = 0;
    for (;;) {
        for (size_t t = 0; t < k; t++)
            if (w->count[t] == n) {
                out->fixed = (int32_t)t;
                return;
            }
        if (out->generations == cap)
            return;
        fitness(c, w, run, out->generations);
        uint32_t parent = draw_parent(w, n, &rng);
        uint32_t dead = parley_rng_below(&rng, n);
        w->count[w->type[dead]]--;
        w->type[dead] = w->type[parent];
        w->count[w->type[dead]]++;
        out->generations++;
    }
}

parley_status parley_moran_run(const parley_moran_config *cfg, uint32_t run,
                               parley_moran_outcome *out, parley_error *err)
{
    moran_ctx c;
    parley_status st = ctx_init(&c, cfg, err);
    if (st != PARLEY_OK)
        return st;
    moran_work w;
    if (!work_init(&w, c.n, cfg->ntypes)) {
        work_free(&w);
        parley__free(c.pay);
        return parley_error_add(err, PARLEY_ENOMEM, "moran", "out of memory");
    }
    run_one(&c, &w, run, out);
    work_free(&w);
    parley__free(c.pay);
    return PARLEY_OK;
}

typedef struct moran_job {
    const moran_ctx *c;
    parley_moran_outcome *slots;
    uint32_t first, stride, runs;
    bool failed;
} moran_job;

static void *moran_worker(void *arg)
{
    moran_job *jb = arg;
    moran_work w;
    if (!work_init(&w, jb->c->n, jb->c->cfg->ntypes)) {
        jb->failed = true;
    } else {
        for (uint64_t r = jb->first; r < jb->runs; r += jb->stride)
            run_one(jb->c, &w, (uint32_t)r, &jb->slots[r]);
    }
    work_free(&w);
    return NULL;
}

parley_status parley_moran_estimate(const parley_moran_config *cfg, uint32_t runs,
                                    unsigned threads, parley_moran_summary *out,
                                    parley_error *err)
{
    memset(out, 0, sizeof *out);
    if (runs < 1)
        return parley_error_add(err, PARLEY_EINPUT, "moran", "runs must be at least 1");
    moran_ctx c;
    parley_status st = ctx_init(&c, cfg, err);
    if (st != PARLEY_OK)
        return st;
    unsigned nt = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
    if (nt > runs)
        nt = runs;
    parley_moran_outcome *slots = PARLEY_NEW_ARRAY(parley_moran_outcome, runs);
    moran_job *jobs = PARLEY_NEW_ARRAY(moran_job, nt);
    pthread_t *tid = PARLEY_NEW_ARRAY(pthread_t, nt);
    out->fixations = PARLEY_NEW_ARRAY(uint32_t, cfg->ntypes);
    if (!slots || !jobs || !tid || !out->fixations) {
        st = parley_error_add(err, PARLEY_ENOMEM, "moran", "out of memory");
        goto done;
    }
    unsigned started = 0;
    for (unsigned t = 0; t < nt; t++) {
        jobs[t] = (moran_job){&c, slots, t, nt, runs, false};
        if (t == 0)
            continue; /* the calling thread does job 0 */
        if (pthread_create(&tid[t], NULL, moran_worker, &jobs[t]) != 0) {
            st = parley_error_add(err, PARLEY_EINTERNAL, "moran", "cannot start a thread");
            break;
        }
        started = t;
    }
    if (st == PARLEY_OK)
        moran_worker(&jobs[0]);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    if (st != PARLEY_OK)
        goto done;
    for (unsigned t = 0; t < nt; t++)
        if (jobs[t].failed) {
            st = parley_error_add(err, PARLEY_ENOMEM, "moran", "out of memory");
            goto done;
        }
    /* Serial reduction in run order: identical for any thread count. */
    out->ntypes = cfg->ntypes;
    out->runs = runs;
    double gen = 0;
    uint32_t fixed = 0;
    for (uint32_t r = 0; r < runs; r++) {
        if (slots[r].fixed < 0) {
            out->unfixed++;
            continue;
        }
        out->fixations[slots[r].fixed]++;
        gen += slots[r].generations;
        fixed++;
    }
    out->mean_generations = fixed ? gen / fixed : NAN;
done:
    if (st != PARLEY_OK) {
        parley__free(out->fixations);
        memset(out, 0, sizeof *out);
    }
    parley__free(slots);
    parley__free(jobs);
    parley__free(tid);
    parley__free(c.pay);
    return st;
}

void parley_moran_summary_free(parley_moran_summary *s)
{
    parley__free(s->fixations);
    memset(s, 0, sizeof *s);
}

/* log(exp(a) + exp(b)) without overflow; -INFINITY is log 0. */
static double log_add(double a, double b)
{
    if (a == -INFINITY)
        return b;
    if (b == -INFINITY)
        return a;
    double hi = a > b ? a : b, lo = a > b ? b : a;
    return hi + log1p(exp(lo - hi));
}

parley_status parley_moran_fixation_exact(const parley_strategy *mutant,
                                          const parley_strategy *resident,
                                          const parley_stage_game *game,
                                          const parley_channel *channel, uint32_t turns,
                                          uint32_t population, uint32_t mutants, double *out,
                                          parley_error *err)
{
    const char *w = "moran";
    *out = NAN;
    if (population < 2 || population > PARLEY_MORAN_MAX_POPULATION || mutants < 1 ||
        mutants >= population)
        return parley_error_add(err, PARLEY_EINPUT, w,
                                "need 2 <= population <= %u and 1 <= mutants < population "
                                "(got %u and %u)",
                                PARLEY_MORAN_MAX_POPULATION, population, mutants);
    const parley_strategy *s[2] = {mutant, resident};
    /* a[x][y]: x's expected total payoff against y over `turns` rounds */
    double a[2][2];
    for (int x = 0; x < 2; x++)
        for (int y = x; y < 2; y++) {
            parley_expectation e;
            parley_status st = parley_exact_finite(s[x], s[y], game, channel, turns, &e, err);
            if (st != PARLEY_OK)
                return st;
            a[x][y] = e.payoff[0] * turns;
            a[y][x] = e.payoff[1] * turns;
        }
    uint32_t n = population;
    /* gamma_j = T-(j) / T+(j) = g_j / f_j, with j mutants: f_j a mutant's
     * fitness, g_j a resident's. A state whose mutants cannot reproduce
     * (f_j = 0 < g_j) can never move up: fixation from at or below it is
     * impossible, and from above it the chain is absorbed there or at N. */
    uint32_t floor_state = 0;
    double *lg = PARLEY_NEW_ARRAY(double, n);
    if (!lg)
        return parley_error_add(err, PARLEY_ENOMEM, w, "out of memory");
    for (uint32_t j = 1; j < n; j++) {
        double f = (double)(j - 1) * a[0][0] + (double)(n - j) * a[0][1];
        double g = (double)j * a[1][0] + (double)(n - j - 1) * a[1][1];
        if (f == 0 && g == 0)
            lg[j] = 0; /* parents chosen uniformly: neutral */
        else if (f == 0)
            lg[j] = INFINITY, floor_state = j;
        else if (g == 0)
            lg[j] = -INFINITY;
        else
            lg[j] = log(g) - log(f);
    }
    if (mutants <= floor_state) {
        parley__free(lg);
        *out = 0;
        return PARLEY_OK;
    }
    /* rho = sum_{k=J}^{i-1} prod_{j=J+1}^{k} gamma_j / sum_{k=J}^{N-1} (same),
     * J the floor state, in logs. */
    double num = -INFINITY, den = -INFINITY, prod = 0;
    for (uint32_t k = floor_state; k < n; k++) {
        if (k > floor_state)
            prod += lg[k];
        if (k < mutants)
            num = log_add(num, prod);
        den = log_add(den, prod);
    }
    parley__free(lg);
    *out = den == INFINITY ? 0 : exp(num - den);
    return PARLEY_OK;
}
