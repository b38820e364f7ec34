/* KTAB's Spatial Model of Politics: the turn logic. Each turn (KTAB's doBCN)
 * infers risk attitudes from a risk-neutral election over the actors'
 * positions, lets every actor pick the challenge with the best expected gain,
 * interpolates a proposal for it, puts the proposal in both parties' queues and
 * resolves every queue by a probabilistic Condorcet election among all actors.
 * Written from KTAB's smp.cpp, smpbcn.cpp and kmodel.cpp (KAPSARC, MIT): the
 * arithmetic runs in KTAB's order so that its histories are reproduced.
 * Unlike KTAB, only the perspectives the model uses are evaluated (KTAB also
 * computes every actor's view of every challenge for its database), so a turn
 * costs O(N^3) instead of O(N^4), on one thread. */
#include "parley/bargain_smp.h"

#include "bargain/smp_internal.h"
#include "core/alloc.h"
#include "parley/rng.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* KTAB's constants. */
#define SMP_MIN_SIG_GAIN 1e-5   /* smallest expected gain worth a challenge */
#define SMP_MIN_CLTN 1e-10      /* empty coalition strength in a challenge */
#define SMP_POS_TOL 1e-3        /* positions closer than this are one option */
#define SMP_INTERP_MIN_W 1e-6   /* keeps the interpolation defined at 0 weight */

void parley_smp_options_default(parley_smp_options *options)
{
    memset(options, 0, sizeof *options);
    options->victory_prob = PARLEY_SMP_VPM_LINEAR;
    options->pce = PARLEY_SMP_PCE_CONDITIONAL;
    options->transition = PARLEY_SMP_DETERMINISTIC;
    options->voting_rule = PARLEY_SMP_VR_PROPORTIONAL;
    options->risk_adjust = PARLEY_SMP_RA_ONE_THIRD;
    options->risk_range = PARLEY_SMP_RR_MID;
    options->third_party = PARLEY_SMP_TPC_SEMI_COMMIT;
    options->interp = PARLEY_SMP_IVB_S2P2;
    options->bargain_model = PARLEY_SMP_BM_INIT_ONLY;
    options->forecast = PARLEY_SMP_FORECAST_EXPECTED;
    options->max_turns = 100;
    options->min_turns = 2;
    options->stop_ratio = 0.02;
    options->stop_min_delta = 1e-4;
    options->seed = 0;
    options->draw = 0;
    options->run = 0;
    options->threads = 0;
    options->accommodation = NULL;
}

/* Threads for n participants (see parley_smp_options.threads). */
static size_t smp_thread_count(unsigned requested, size_t n)
{
    if (requested > 0) {
        return requested;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t t = cpus > 0 ? (size_t)cpus : 1;
    t = t > 16 ? 16 : t;
    t = t > n / 16 ? n / 16 : t;
    return t > 0 ? t : 1;
}

/* One proposal: the initiator's and the receiver's new positions. */
typedef struct smp_bargain {
    size_t init;
    size_t rcvr;
    double *pos_init; /* d coordinates in [0,1] */
    double *pos_rcvr;
} smp_bargain;

typedef struct smp smp;

/* One actor h's view of the challenges against position i: for every t,
 * ui = U^h(t, i), ud = U^h(t, t), and t's values of the two outcomes in which
 * i wins (joining i and winning, or i winning after t joined j), which depend
 * only on i's position. Each thread has its own. */
typedef struct smp_view {
    double *ui;
    double *ud;
    double *win_with; /* t joined i, i won */
    double *win_against; /* t joined j, i won */
} smp_view;

/* A possible target and an upper bound on the gain from challenging it. */
typedef struct smp_cand {
    double bound;
    size_t j;
} smp_cand;

/* One thread of the target search (see smp_find_targets). */
typedef struct smp_worker {
    const smp *m;
    size_t first;
    size_t stride;
    smp_view view;
    smp_cand *cand;
    long *best_j;
    double *best_p;
    double *best_eu;
} smp_worker;

/* The model's working state. Indices are over participating actors. */
struct smp {
    const parley_smp_options *opt;
    size_t n;    /* participating actors */
    size_t d;    /* dimensions */
    size_t *idx; /* participant -> problem actor */
    double *cap;
    double *stot; /* total salience */
    double *wsc;  /* salience x capability */
    double *sal;  /* n x d */
    double *accom; /* n x n or NULL (identity) */
    double *x;    /* n x d current positions */
    double *y;    /* n x d ideals */
    double *xn;   /* n x d next positions */
    double *delta; /* n x n: distance from i's ideal to j's position */
    double *delta_t; /* its transpose */
    size_t n_threads;
    smp_worker *workers;
    pthread_t *threads;
    double *view_pool;
    smp_cand *cand_pool;
    double *util;  /* n x n scratch utilities */
    double *risk;  /* n */
    double *rh;    /* n x n: h's estimate of a's risk attitude */
    double *uown;  /* n x n: a's own utility of b's position */
    double *uown_t; /* its transpose */
    double *prob;  /* qcap */
    double *scratch;
    size_t qcap;
    smp_bargain *brg; /* up to 2n bargains per turn */
    double *brg_pos;  /* 4 n d */
    size_t n_brg;
    long *queue;   /* n x qcap: bargain index or -1 for the status quo */
    size_t *qlen;
    double *v_brg; /* 2n x n: value of the state after bargain b to actor a */
    double *v_sq;  /* n */
    size_t *uniq;  /* n: indices of distinct positions */
    /* this turn's challenges, for the history */
    long *target;
    double *target_prob;
    double *target_gain;
    double *proposal; /* n x d */
};

static void smp_free(smp *m)
{
    parley__free(m->idx);
    parley__free(m->cap);
    parley__free(m->stot);
    parley__free(m->wsc);
    parley__free(m->sal);
    parley__free(m->accom);
    parley__free(m->x);
    parley__free(m->y);
    parley__free(m->xn);
    parley__free(m->delta);
    parley__free(m->delta_t);
    parley__free(m->view_pool);
    parley__free(m->cand_pool);
    parley__free(m->workers);
    parley__free(m->threads);
    parley__free(m->util);
    parley__free(m->risk);
    parley__free(m->rh);
    parley__free(m->uown);
    parley__free(m->uown_t);
    parley__free(m->prob);
    parley__free(m->scratch);
    parley__free(m->brg);
    parley__free(m->brg_pos);
    parley__free(m->queue);
    parley__free(m->qlen);
    parley__free(m->v_brg);
    parley__free(m->v_sq);
    parley__free(m->uniq);
    parley__free(m->target);
    parley__free(m->target_prob);
    parley__free(m->target_gain);
    parley__free(m->proposal);
    memset(m, 0, sizeof *m);
}

static int smp_alloc(smp *m)
{
    const size_t n = m->n;
    const size_t d = m->d;
    m->qcap = 2 * n + 2;
    m->cap = PARLEY_NEW_ARRAY(double, n);
    m->stot = PARLEY_NEW_ARRAY(double, n);
    m->wsc = PARLEY_NEW_ARRAY(double, n);
    m->sal = PARLEY_NEW_ARRAY(double, n * d);
    m->x = PARLEY_NEW_ARRAY(double, n * d);
    m->y = PARLEY_NEW_ARRAY(double, n * d);
    m->xn = PARLEY_NEW_ARRAY(double, n * d);
    m->delta = PARLEY_NEW_ARRAY(double, n * n);
    m->delta_t = PARLEY_NEW_ARRAY(double, n * n);
    m->workers = PARLEY_NEW_ARRAY(smp_worker, m->n_threads);
    m->threads = PARLEY_NEW_ARRAY(pthread_t, m->n_threads);
    m->view_pool = PARLEY_NEW_ARRAY(double, 4 * n * m->n_threads + 1);
    m->cand_pool = PARLEY_NEW_ARRAY(smp_cand, n * m->n_threads + 1);
    if (m->workers && m->view_pool && m->cand_pool) {
        for (size_t w = 0; w < m->n_threads; w++) {
            double *b = m->view_pool + 4 * n * w;
            m->workers[w].view.ui = b;
            m->workers[w].view.ud = b + n;
            m->workers[w].view.win_with = b + 2 * n;
            m->workers[w].view.win_against = b + 3 * n;
            m->workers[w].cand = m->cand_pool + n * w;
        }
    }
    m->util = PARLEY_NEW_ARRAY(double, n * m->qcap);
    m->risk = PARLEY_NEW_ARRAY(double, n);
    m->rh = PARLEY_NEW_ARRAY(double, n * n);
    m->uown = PARLEY_NEW_ARRAY(double, n * n);
    m->uown_t = PARLEY_NEW_ARRAY(double, n * n);
    m->prob = PARLEY_NEW_ARRAY(double, m->qcap);
    m->scratch = PARLEY_NEW_ARRAY(double, parley__smp_pce_scratch(n, m->qcap));
    m->brg = PARLEY_NEW_ARRAY(smp_bargain, 2 * n);
    m->brg_pos = PARLEY_NEW_ARRAY(double, 4 * n * d);
    m->queue = PARLEY_NEW_ARRAY(long, n * m->qcap);
    m->qlen = PARLEY_NEW_ARRAY(size_t, n);
    m->v_brg = PARLEY_NEW_ARRAY(double, 2 * n * n);
    m->v_sq = PARLEY_NEW_ARRAY(double, n);
    m->uniq = PARLEY_NEW_ARRAY(size_t, n);
    m->target = PARLEY_NEW_ARRAY(long, n);
    m->target_prob = PARLEY_NEW_ARRAY(double, n);
    m->target_gain = PARLEY_NEW_ARRAY(double, n);
    m->proposal = PARLEY_NEW_ARRAY(double, n * d);
    return m->cap && m->stot && m->wsc && m->sal && m->x && m->y && m->xn && m->delta &&
           m->delta_t && m->workers && m->threads && m->view_pool && m->cand_pool &&
           m->util && m->risk && m->rh && m->uown && m->uown_t && m->prob && m->scratch && m->brg &&
           m->brg_pos && m->queue && m->qlen && m->v_brg && m->v_sq && m->uniq && m->target &&
           m->target_prob && m->target_gain && m->proposal;
}

/* KTAB SMPModel::bvDiff: salience-weighted distance between a and b, in [0,1]. */
static double smp_distance(const double *a, const double *b, const double *s, size_t d)
{
    double ds_sqr = 0;
    double ss_sqr = 0;
    for (size_t k = 0; k < d; k++) {
        const double ds = (a[k] - b[k]) * s[k];
        ds_sqr = ds_sqr + (ds * ds);
        ss_sqr = ss_sqr + (s[k] * s[k]);
    }
    return sqrt(ds_sqr / ss_sqr);
}

/* KTAB KBase::norm of a - b: the plain Euclidean distance on [0,1]^d. */
static double smp_distance_plain(const double *a, const double *b, size_t d)
{
    double s = 0.0;
    for (size_t k = 0; k < d; k++) {
        const double x = a[k] - b[k];
        s = s + (x * x);
    }
    return sqrt(s);
}

/* Per-state setup (KTAB setAllAUtil): distances, the risk-neutral election
 * over all positions, inferred risk attitudes, and everyone's estimates. */
static parley_status smp_setup(smp *m)
{
    const size_t n = m->n;
    const size_t d = m->d;
    const parley_smp_options *o = m->opt;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            m->delta[i * n + j] =
                smp_distance(m->y + i * d, m->x + j * d, m->sal + i * d, d);
            m->util[i * n + j] = parley__smp_util(m->delta[i * n + j], 0.0);
        }
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            m->delta_t[j * n + i] = m->delta[i * n + j];
        }
    }
    parley_status st = parley__smp_pce(n, n, m->cap, m->util, n, o->voting_rule,
                                       o->victory_prob, o->pce, m->prob, m->scratch);
    if (st != PARLEY_OK) {
        return st;
    }
    parley__smp_risk_from_prob(m->prob, n, o->risk_range, m->risk);
    for (size_t h = 0; h < n; h++) {
        for (size_t a = 0; a < n; a++) {
            m->rh[h * n + a] = parley__smp_est_risk(m->risk[h], m->risk[a], o->risk_adjust);
        }
    }
    for (size_t a = 0; a < n; a++) {
        const double ra = m->rh[a * n + a];
        for (size_t b = 0; b < n; b++) {
            m->uown[a * n + b] = parley__smp_util(m->delta[a * n + b], ra);
            m->uown_t[b * n + a] = m->uown[a * n + b];
        }
    }
    return PARLEY_OK;
}


/* The third parties t in [lo, hi) of a challenge of i against j (the loop of
 * KTAB's probEduChlg): each weighs its little contest with the principals,
 * then votes for the side whose victory it values more. dj[t] is the distance
 * from t's ideal to j's position, rh[t] the view's risk attitude for t. */
static inline void smp_third_parties(const double *wsc, size_t lo, size_t hi,
                                     const smp_view *v, const double *dj, const double *rh,
                                     parley_smp_voting_rule vr, parley_smp_third_party tpc,
                                     double c0i, double c0j, double *chij_io, double *chji_io)
{
    double chij = *chij_io;
    double chji = *chji_io;
    for (size_t t = lo; t < hi; t++) {
        const double wn = wsc[t];
        const double uni = v->ui[t];
        const double unj = parley__smp_util(dj[t], rh[t]);
        const double unn = v->ud[t];
        const double v0 = parley__smp_vote(vr, wn, uni, unj);
        /* Branch-free forms of KTAB's conditional additions: adding 0 is exact,
         * and so is adding -v instead of subtracting v. */
        const double nv0 = -v0;
        const double cni = c0i + (v0 > 0 ? v0 : 0.0);
        const double cnj = c0j + (nv0 > 0 ? nv0 : 0.0);
        const double pin = cni / (cni + cnj);
        const double pjn = 1.0 - pin;
        /* t's values when j wins: against t (3 u_tj under full or semi
         * commitment) or with t (t moves only partly unless fully committed). */
        const double u_j_def_ik =
            tpc == PARLEY_SMP_TPC_NO_COMMIT ? unj + unj + unn : unj + unj + unj;
        const double u_jk_def_i =
            tpc == PARLEY_SMP_TPC_FULL_COMMIT ? unj + unj + unj : unj + unj + unn;
        const double u_join_i = (pin * v->win_with[t]) + (pjn * u_j_def_ik);
        const double u_join_j = (pin * v->win_against[t]) + (pjn * u_jk_def_i);
        const double vt = parley__smp_vote(vr, wn, u_join_i, u_join_j);
        const double nvt = -vt;
        chij = chij + (vt > 0 ? vt : 0.0);
        chji = chji + (nvt > 0 ? nvt : 0.0);
    }
    *chij_io = chij;
    *chji_io = chji;
}

/* The third parties of a challenge, in KTAB's order (every t but i and j).
 * The default rules get their own copy of the loop, specialised by the
 * compiler, because this is the model's O(N^3) part. */
static void smp_all_third_parties(const smp *m, size_t i, size_t j, const smp_view *v,
                                  const double *dj, const double *rh, double c0i, double c0j,
                                  double *chij, double *chji)
{
    const size_t a = i < j ? i : j;
    const size_t b = i < j ? j : i;
    const parley_smp_voting_rule vr = m->opt->voting_rule;
    const parley_smp_third_party tpc = m->opt->third_party;
    if (vr == PARLEY_SMP_VR_PROPORTIONAL && tpc == PARLEY_SMP_TPC_SEMI_COMMIT) {
        smp_third_parties(m->wsc, 0, a, v, dj, rh, PARLEY_SMP_VR_PROPORTIONAL,
                          PARLEY_SMP_TPC_SEMI_COMMIT, c0i, c0j, chij, chji);
        smp_third_parties(m->wsc, a + 1, b, v, dj, rh, PARLEY_SMP_VR_PROPORTIONAL,
                          PARLEY_SMP_TPC_SEMI_COMMIT, c0i, c0j, chij, chji);
        smp_third_parties(m->wsc, b + 1, m->n, v, dj, rh, PARLEY_SMP_VR_PROPORTIONAL,
                          PARLEY_SMP_TPC_SEMI_COMMIT, c0i, c0j, chij, chji);
        return;
    }
    smp_third_parties(m->wsc, 0, a, v, dj, rh, vr, tpc, c0i, c0j, chij, chji);
    smp_third_parties(m->wsc, a + 1, b, v, dj, rh, vr, tpc, c0i, c0j, chij, chji);
    smp_third_parties(m->wsc, b + 1, m->n, v, dj, rh, vr, tpc, c0i, c0j, chij, chji);
}

/* Fills `v` with h's view of everyone's utilities for i's position. */
static void smp_fill_view(const smp *m, size_t h, size_t i, const smp_view *v)
{
    const size_t n = m->n;
    const double *rh = m->rh + h * n;
    const parley_smp_third_party tpc = m->opt->third_party;
    for (size_t t = 0; t < n; t++) {
        const double uni = parley__smp_util(m->delta[t * n + i], rh[t]);
        const double unn = parley__smp_util(m->delta[t * n + t], rh[t]);
        v->ui[t] = uni;
        v->ud[t] = unn;
        v->win_with[t] = tpc == PARLEY_SMP_TPC_FULL_COMMIT ? uni + uni + uni : uni + uni + unn;
        v->win_against[t] = tpc == PARLEY_SMP_TPC_NO_COMMIT ? uni + uni + unn : uni + uni + uni;
    }
}

/* KTAB SMPState::probEduChlg(h, k, i, j): h's estimate of the probability that
 * i beats j (third parties joining by their little-contest votes) and of the
 * expected change in k's utility when i challenges j. `v` comes from
 * smp_fill_view(m, h, i, v). */
static void smp_challenge(const smp *m, size_t h, size_t k, size_t i, size_t j,
                          const smp_view *v, double *p_out, double *du_out)
{
    const size_t n = m->n;
    const double *rh = m->rh + h * n;
    const double *dj = m->delta_t + j * n;
    const parley_smp_voting_rule vr = m->opt->voting_rule;
    const double uii = v->ud[i];
    const double uij = parley__smp_util(dj[i], rh[i]);
    const double uji = v->ui[j];
    const double ujj = v->ud[j];
    const double uki = v->ui[k];
    const double ukj = parley__smp_util(dj[k], rh[k]);
    const double eu_sq = uki + ukj;
    const double u_vict = uki + uki;
    const double u_lose = ukj + ukj;
    const double sj = m->stot[j];

    const double contrib_i = parley__smp_vote(vr, m->stot[i] * m->cap[i], uii, uij);
    const double contrib_j = parley__smp_vote(vr, sj * m->cap[j], uji, ujj);
    double chij = SMP_MIN_CLTN;
    double chji = SMP_MIN_CLTN;
    if (contrib_i > 0.0) {
        chij = chij + contrib_i;
    }
    if (contrib_i < 0.0) {
        chji = chji - contrib_i;
    }
    if (contrib_j > 0.0) {
        chij = chij + contrib_j;
    }
    if (contrib_j < 0.0) {
        chji = chji - contrib_j;
    }
    smp_all_third_parties(m, i, j, v, dj, rh, chij, chji, &chij, &chji);
    const double phij = chij / (chij + chji);
    const double phji = chji / (chij + chji);
    const double eu_contest = phij * u_vict + phji * u_lose;
    const double eu_chlg = (1 - sj) * u_vict + sj * eu_contest;
    *p_out = phij;
    *du_out = eu_chlg - eu_sq;
}


/* Decreasing bound, then increasing j. */
static int smp_cand_cmp(const void *a, const void *b)
{
    const smp_cand *x = a;
    const smp_cand *y = b;
    if (x->bound != y->bound) {
        return x->bound > y->bound ? -1 : 1;
    }
    return x->j < y->j ? -1 : (x->j > y->j);
}

/* KTAB bestChallenge over probEduChlg(i, i, i, j): i's most advantageous
 * target, the first (lowest j) of the largest expected gains above 1e-5, or
 * none. The gain is linear in the victory probability p, so its value at
 * p = 0 or p = 1 bounds it without the O(N) third-party sum; targets are
 * tried in decreasing order of that bound until no bound can reach the best
 * gain found. The 1e-12 margin exceeds the rounding of the gain's
 * few operations, so the result is exactly KTAB's. */
static void smp_best_target(const smp *m, size_t i, const smp_view *v, smp_cand *cand,
                            long *best_j, double *best_p, double *best_eu)
{
    const size_t n = m->n;
    const double *rh = m->rh + i * n;
    const double margin = 1e-12;
    *best_j = -1;
    *best_p = 0;
    *best_eu = -1.00;
    smp_fill_view(m, i, i, v);
    size_t nc = 0;
    const double uki = v->ui[i];
    for (size_t j = 0; j < n; j++) {
        if (j == i) {
            continue;
        }
        const double ukj = parley__smp_util(m->delta_t[j * n + i], rh[i]);
        const double sj = m->stot[j];
        const double eu_sq = uki + ukj;
        const double at_one = (uki + uki) - eu_sq;
        const double at_zero = ((1 - sj) * (uki + uki) + sj * (ukj + ukj)) - eu_sq;
        cand[nc].bound = at_one > at_zero ? at_one : at_zero;
        cand[nc].j = j;
        nc++;
    }
    qsort(cand, nc, sizeof *cand, smp_cand_cmp);
    for (size_t c = 0; c < nc; c++) {
        const double bound = cand[c].bound + margin;
        if (bound < *best_eu || bound <= SMP_MIN_SIG_GAIN) {
            break;
        }
        const size_t j = cand[c].j;
        double p;
        double du;
        smp_challenge(m, i, i, i, j, v, &p, &du);
        if ((SMP_MIN_SIG_GAIN < du) &&
            (*best_eu < du || (*best_eu == du && (long)j < *best_j))) {
            *best_j = (long)j;
            *best_p = p;
            *best_eu = du;
        }
    }
}

/* The target search spread over threads: actor i goes to thread i mod T, and
 * each result lands in its own slot, so the outcome never depends on T. */
static void *smp_worker_run(void *arg)
{
    smp_worker *w = arg;
    for (size_t i = w->first; i < w->m->n; i += w->stride) {
        smp_best_target(w->m, i, &w->view, w->cand, &w->best_j[i], &w->best_p[i], &w->best_eu[i]);
    }
    return NULL;
}

static void smp_find_targets(smp *m)
{
    const size_t nt = m->n_threads;
    for (size_t w = 0; w < nt; w++) {
        m->workers[w].m = m;
        m->workers[w].first = w;
        m->workers[w].stride = nt;
        m->workers[w].best_j = m->target;
        m->workers[w].best_p = m->target_prob;
        m->workers[w].best_eu = m->target_gain;
    }
    size_t started = 0;
    for (size_t w = 1; w < nt; w++) {
        if (pthread_create(&m->threads[w], NULL, smp_worker_run, &m->workers[w]) != 0) {
            break;
        }
        started = w;
    }
    /* Work of threads that could not start is done here. */
    for (size_t w = started + 1; w < nt; w++) {
        smp_worker_run(&m->workers[w]);
    }
    smp_worker_run(&m->workers[0]);
    for (size_t w = 1; w <= started; w++) {
        pthread_join(m->threads[w], NULL);
    }
}

/* KTAB SMPActor::interpBrgnSnPm's rounding to 4 decimals on [0,1]. */
static double round4(double x)
{
    const double s = 10000.0;
    const int y = (int)(0.5 + (x * s));
    return (double)y / s;
}

/* KTAB SMPActor::interpolateBrgn: i's and j's positions under the proposal,
 * given the victory probabilities prb_i and prb_j. */
static void smp_interpolate(const smp *m, size_t i, size_t j, double prb_i, double prb_j,
                            double *bi, double *bj)
{
    const size_t d = m->d;
    for (size_t k = 0; k < d; k++) {
        const double tik = m->x[i * d + k];
        const double sik = m->sal[i * d + k];
        const double tjk = m->x[j * d + k];
        const double sjk = m->sal[j * d + k];
        if (m->opt->interp == PARLEY_SMP_IVB_S2PMAX) {
            const double di = (prb_j > prb_i) ? (prb_j - prb_i) : 0;
            const double dj = (prb_i > prb_j) ? (prb_i - prb_j) : 0;
            const double sik2 = sik * sik;
            const double sjk2 = sjk * sjk;
            const double dik = (di * sjk2) / ((di * sjk2) + SMP_INTERP_MIN_W + ((1 - di) * sik2));
            const double djk = (dj * sik2) / ((dj * sik2) + SMP_INTERP_MIN_W + ((1 - dj) * sjk2));
            bi[k] = tik + dik * (tjk - tik);
            bj[k] = tjk + djk * (tik - tjk);
        } else {
            const double e = m->opt->interp == PARLEY_SMP_IVB_S1P1 ? 1.0 : 2.0;
            const double wik = pow(sik, e) * pow(prb_i, e);
            const double wjk = pow(sjk, e) * pow(prb_j, e);
            const double mw = SMP_INTERP_MIN_W;
            bi[k] = round4(((wik + mw) * tik + wjk * tjk) / (wik + mw + wjk));
            bj[k] = round4((wik * tik + (mw + wjk) * tjk) / (wik + mw + wjk));
        }
    }
}

static smp_bargain *smp_new_bargain(smp *m, size_t i, size_t j)
{
    smp_bargain *b = &m->brg[m->n_brg];
    b->init = i;
    b->rcvr = j;
    b->pos_init = m->brg_pos + (2 * m->n_brg) * m->d;
    b->pos_rcvr = b->pos_init + m->d;
    m->n_brg++;
    return b;
}

static void smp_push(smp *m, size_t k, long b)
{
    m->queue[k * m->qcap + m->qlen[k]] = b;
    m->qlen[k]++;
}

/* KTAB SMPActor::posUtil: a's utility for position p, judged from a's current
 * position with a's own risk attitude. */
static double smp_pos_util(const smp *m, size_t a, const double *p)
{
    const size_t d = m->d;
    const double dist = smp_distance(m->x + a * d, p, m->sal + a * d, d);
    return parley__smp_util(dist, m->risk[a]);
}

/* Picks an index from `prob` (sums to 1): the first maximum, or a draw. */
static size_t smp_choose(const smp *m, const double *prob, size_t nb, size_t actor_id,
                         size_t turn)
{
    if (m->opt->transition == PARLEY_SMP_STOCHASTIC) {
        parley_stream_id id = {m->opt->seed, m->opt->draw, m->opt->run, PARLEY_MECH_BARGAIN,
                               (uint32_t)actor_id, (uint32_t)turn};
        parley_rng rng;
        parley_rng_init(&rng, &id);
        const double u = parley_rng_uniform(&rng);
        double cum = 0.0;
        for (size_t b = 0; b < nb; b++) {
            cum += prob[b];
            if (u < cum) {
                return b;
            }
        }
        return nb - 1;
    }
    double best = -1.0;
    size_t ib = 0;
    for (size_t b = 0; b < nb; b++) {
        const double a = fabs(prob[b]);
        if (best < a) {
            best = a;
            ib = b;
        }
    }
    return ib;
}

/* One turn (KTAB doBCN): from m->x to m->xn, then ideals. `turn` numbers the
 * turn from 0 (for the random streams). */
static parley_status smp_turn(smp *m, size_t turn)
{
    const size_t n = m->n;
    const size_t d = m->d;
    const parley_smp_options *o = m->opt;
    m->n_brg = 0;
    for (size_t k = 0; k < n; k++) {
        m->qlen[k] = 0;
    }
    smp_find_targets(m);
    for (size_t i = 0; i < n; i++) {
        smp_push(m, i, -1);
        for (size_t k = 0; k < d; k++) {
            m->proposal[i * d + k] = NAN;
        }
        const long best_j = m->target[i];
        const double best_p = m->target_prob[i];
        const double best_eu = m->target_gain[i];
        if (!(0 < best_eu)) {
            m->target[i] = -1;
            m->target_prob[i] = NAN;
            m->target_gain[i] = NAN;
            continue;
        }
        const size_t j = (size_t)best_j;
        smp_bargain *bii = smp_new_bargain(m, i, j);
        smp_interpolate(m, i, j, best_p, 1 - best_p, bii->pos_init, bii->pos_rcvr);
        memcpy(m->proposal + i * d, bii->pos_init, d * sizeof(double));
        if (o->bargain_model == PARLEY_SMP_BM_INIT_ONLY) {
            smp_push(m, i, (long)(m->n_brg - 1));
            smp_push(m, j, (long)(m->n_brg - 1));
            continue;
        }
        /* The target's view: j's estimate that i beats j. */
        double pj;
        double duj;
        smp_fill_view(m, j, i, &m->workers[0].view);
        smp_challenge(m, j, i, i, j, &m->workers[0].view, &pj, &duj);
        smp_bargain *bji = smp_new_bargain(m, i, j);
        smp_interpolate(m, i, j, pj, 1 - pj, bji->pos_init, bji->pos_rcvr);
        if (o->bargain_model == PARLEY_SMP_BM_INIT_RCVR) {
            smp_push(m, i, (long)(m->n_brg - 2));
            smp_push(m, i, (long)(m->n_brg - 1));
            smp_push(m, j, (long)(m->n_brg - 2));
            smp_push(m, j, (long)(m->n_brg - 1));
            continue;
        }
        /* Power-weighted compromise of the two, kept in the first slot. */
        const double wi = m->cap[i] * m->stot[i];
        const double wj = m->cap[j] * m->stot[j];
        for (size_t k = 0; k < d; k++) {
            bii->pos_init[k] = (wi * bii->pos_init[k] + wj * bji->pos_init[k]) / (wi + wj);
            bii->pos_rcvr[k] = (wi * bii->pos_rcvr[k] + wj * bji->pos_rcvr[k]) / (wi + wj);
        }
        m->n_brg--;
        smp_push(m, i, (long)(m->n_brg - 1));
        smp_push(m, j, (long)(m->n_brg - 1));
    }

    /* Value to each actor of the state after each bargain: the mean of its
     * utilities for all positions, the two parties' replaced by the deal's.
     * Each actor's sum runs over positions in KTAB's order; the actors' sums
     * advance together (uown_t is position-major) so they vectorise. */
    double *acc = m->v_sq;
    for (size_t a = 0; a < n; a++) {
        acc[a] = 0.0;
    }
    for (size_t t = 0; t < n; t++) {
        const double *col = m->uown_t + t * n;
        for (size_t a = 0; a < n; a++) {
            acc[a] = acc[a] + col[a];
        }
    }
    for (size_t a = 0; a < n; a++) {
        acc[a] = acc[a] / (double)n;
    }
    for (size_t b = 0; b < m->n_brg; b++) {
        const smp_bargain *bg = &m->brg[b];
        double *vb = m->v_brg + b * n;
        for (size_t a = 0; a < n; a++) {
            double u = 0.0;
            u = u + smp_pos_util(m, a, bg->pos_init);
            vb[a] = u + smp_pos_util(m, a, bg->pos_rcvr);
        }
        for (size_t t = 0; t < n; t++) {
            if (t == bg->init || t == bg->rcvr) {
                continue;
            }
            const double *col = m->uown_t + t * n;
            for (size_t a = 0; a < n; a++) {
                vb[a] = vb[a] + col[a];
            }
        }
        for (size_t a = 0; a < n; a++) {
            vb[a] = vb[a] / (double)n;
        }
    }

    for (size_t k = 0; k < n; k++) {
        const size_t nb = m->qlen[k];
        const long *q = m->queue + k * m->qcap;
        for (size_t a = 0; a < n; a++) {
            for (size_t b = 0; b < nb; b++) {
                m->util[a * nb + b] = q[b] < 0 ? m->v_sq[a] : m->v_brg[(size_t)q[b] * n + a];
            }
        }
        parley_status st = parley__smp_pce(n, nb, m->cap, m->util, nb, o->voting_rule,
                                           o->victory_prob, o->pce, m->prob, m->scratch);
        if (st != PARLEY_OK) {
            return st;
        }
        const size_t c = smp_choose(m, m->prob, nb, m->idx[k], turn);
        const double *src = m->x + k * d;
        if (q[c] >= 0) {
            const smp_bargain *bg = &m->brg[q[c]];
            src = bg->init == k ? bg->pos_init : bg->pos_rcvr;
        }
        memcpy(m->xn + k * d, src, d * sizeof(double));
    }
    memcpy(m->x, m->xn, n * d * sizeof(double));

    /* New ideals (KTAB newIdeals): with the identity they are the positions. */
    if (m->accom == NULL) {
        memcpy(m->y, m->x, n * d * sizeof(double));
    } else {
        for (size_t i = 0; i < n; i++) {
            double si = 0.0;
            for (size_t k = 0; k < d; k++) {
                m->xn[i * d + k] = 0.0;
            }
            for (size_t j = 0; j < n; j++) {
                const double aij = m->accom[i * n + j];
                si = si + aij;
                for (size_t k = 0; k < d; k++) {
                    m->xn[i * d + k] = m->xn[i * d + k] + (aij * m->x[j * d + k]);
                }
            }
            si = (1.0 < si) ? 1.0 : si;
            const double lag = 1.0 - si;
            for (size_t k = 0; k < d; k++) {
                m->xn[i * d + k] = m->xn[i * d + k] + (lag * m->y[i * d + k]);
            }
        }
        memcpy(m->y, m->xn, n * d * sizeof(double));
    }
    return PARLEY_OK;
}

/* KTAB's "prob" of each actor's position in the current state (pDist(-1) and
 * posProb): distinct positions (within 1e-3) are the options, each actor's own
 * risk-aware utilities vote with the proportional rule. Positions are grouped
 * in the order of `order` (n participant indices), or KTAB's actor order when
 * NULL, the first of a group standing for it. Fills prob_actor[n]
 * and, for the forecasts, returns the number of distinct positions with their
 * indices in m->uniq and probabilities in m->prob. */
static parley_status smp_win_prob(smp *m, const size_t *order, double *prob_actor,
                                  size_t *n_uniq)
{
    const size_t n = m->n;
    const size_t d = m->d;
    size_t nu = 0;
    for (size_t r = 0; r < n; r++) {
        const size_t i = order ? order[r] : r;
        int found = 0;
        for (size_t u = 0; !found && u < nu; u++) {
            if (smp_distance_plain(m->x + i * d, m->x + m->uniq[u] * d, d) < SMP_POS_TOL) {
                found = 1;
            }
        }
        if (!found) {
            m->uniq[nu++] = i;
        }
    }
    for (size_t a = 0; a < n; a++) {
        for (size_t u = 0; u < nu; u++) {
            m->util[a * nu + u] = m->uown[a * n + m->uniq[u]];
        }
    }
    parley_status st =
        parley__smp_pce(n, nu, m->cap, m->util, nu, PARLEY_SMP_VR_PROPORTIONAL,
                        m->opt->victory_prob, m->opt->pce, m->prob, m->scratch);
    if (st != PARLEY_OK) {
        return st;
    }
    if (prob_actor != NULL) {
        for (size_t i = 0; i < n; i++) {
            size_t k = 0;
            for (size_t u = 0; u < nu; u++) {
                if (smp_distance_plain(m->x + i * d, m->x + m->uniq[u] * d, d) < SMP_POS_TOL) {
                    k = u;
                }
            }
            prob_actor[i] = m->prob[k];
        }
    }
    *n_uniq = nu;
    return PARLEY_OK;
}

/* Capability of problem actor a: the row's value, or its mean when it varies. */
static double smp_capability(const parley_bargain_problem *p, size_t a)
{
    const double *row = p->capability + a * p->n_issues;
    int same = 1;
    double sum = 0.0;
    for (size_t k = 0; k < p->n_issues; k++) {
        same = same && row[k] == row[0];
        sum += row[k];
    }
    return same ? row[0] : sum / (double)p->n_issues;
}

static parley_status smp_check(const parley_bargain_problem *p, const parley_smp_options *o,
                               parley_error *err)
{
    parley_status st = PARLEY_OK;
    const size_t na = p->n_actors;
    const size_t ni = p->n_issues;
    if (na == 0 || ni == 0) {
        return parley_error_add(err, PARLEY_EINPUT, "problem",
                                "SMP needs at least one actor and one issue (got %zu x %zu)",
                                na, ni);
    }
    if (na > ((size_t)1 << 20) || ni > ((size_t)1 << 20) || na > SIZE_MAX / 64 / ni) {
        return parley_error_add(err, PARLEY_ELIMIT, "problem",
                                "SMP is limited to 2^20 actors and issues (got %zu x %zu)", na,
                                ni);
    }
    if (o->victory_prob >= PARLEY_SMP_VPM_COUNT || o->pce >= PARLEY_SMP_PCE_COUNT ||
        o->transition >= PARLEY_SMP_TRANSITION_COUNT || o->voting_rule >= PARLEY_SMP_VR_COUNT ||
        o->risk_adjust >= PARLEY_SMP_RA_COUNT || o->risk_range >= PARLEY_SMP_RR_COUNT ||
        o->third_party >= PARLEY_SMP_TPC_COUNT || o->interp >= PARLEY_SMP_IVB_COUNT ||
        o->bargain_model >= PARLEY_SMP_BM_COUNT || o->forecast >= PARLEY_SMP_FORECAST_COUNT) {
        st = parley_error_add(err, PARLEY_EINPUT, "smp options", "an option is out of range");
    }
    if (o->max_turns < 1) {
        st = parley_error_add(err, PARLEY_EINPUT, "smp options.max_turns",
                              "at least one turn is needed");
    }
    if (!(o->stop_ratio >= 0 && isfinite(o->stop_ratio)) ||
        !(o->stop_min_delta >= 0 && isfinite(o->stop_min_delta))) {
        st = parley_error_add(err, PARLEY_EINPUT, "smp options.stop_ratio",
                              "the stopping ratio and minimum delta must be finite and >= 0");
    }
    for (size_t k = 0; k < ni; k++) {
        if (!(isfinite(p->scale_min[k]) && isfinite(p->scale_max[k]) &&
              p->scale_max[k] > p->scale_min[k])) {
            st = parley_error_add(err, PARLEY_EINPUT, "issues", "issue %zu (%s): scale %g..%g is not "
                                  "a finite interval", k, p->issue_ids && p->issue_ids[k] ?
                                  p->issue_ids[k] : "?", p->scale_min[k], p->scale_max[k]);
        }
    }
    char where[64];
    for (size_t a = 0; a < na; a++) {
        const double c = smp_capability(p, a);
        double stot = 0.0;
        if (!(c >= 0 && isfinite(c))) {
            snprintf(where, sizeof where, "actors[%zu].capability", a);
            st = parley_error_add(err, PARLEY_EINPUT, where,
                                  "capability must be finite and >= 0 (got %g)", c);
        }
        for (size_t k = 0; k < ni; k++) {
            const double s = p->salience[a * ni + k];
            if (!(s >= 0 && s <= 1)) {
                snprintf(where, sizeof where, "actors[%zu].salience[%zu]", a, k);
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      "salience must be in [0, 1] (got %g)", s);
            }
            stot += s;
        }
        /* KTAB's limit is 100 on its scale; its own files round to 100.01. */
        if (stot > 1 + 5e-4) {
            snprintf(where, sizeof where, "actors[%zu].salience", a);
            st = parley_error_add(err, PARLEY_EINPUT, where,
                                  "SMP needs an actor's saliences to sum to at most 1 (100 on "
                                  "KTAB's scale); they sum to %g", stot);
        }
        if (!(c > 0 && stot > 0)) {
            continue; /* takes no part: its positions do not matter */
        }
        for (size_t k = 0; k < ni; k++) {
            const double x = p->position[a * ni + k];
            if (!(x >= p->scale_min[k] && x <= p->scale_max[k])) {
                snprintf(where, sizeof where, "actors[%zu].position[%zu]", a, k);
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      "SMP needs every participating actor's position on every "
                                      "issue, within the issue's scale (got %g)", x);
            }
        }
    }
    if (o->accommodation != NULL) {
        for (size_t a = 0; a < na; a++) {
            double row = 0.0;
            for (size_t b = 0; b < na; b++) {
                const double v = o->accommodation[a * na + b];
                if (!(v >= 0 && v <= 1)) {
                    snprintf(where, sizeof where, "smp options.accommodation[%zu][%zu]", a, b);
                    st = parley_error_add(err, PARLEY_EINPUT, where,
                                          "entries must be in [0, 1] (got %g)", v);
                }
                row += v;
            }
            if (row > 1 + 1e-10) {
                snprintf(where, sizeof where, "smp options.accommodation[%zu]", a);
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      "a row must sum to at most 1 (got %g)", row);
            }
        }
    }
    return st;
}

/* Grows *p to hold `count` elements of `size` bytes (doubling). */
static int smp_reserve(void **p, size_t *cap, size_t count, size_t size)
{
    if (count <= *cap) {
        return 1;
    }
    size_t nc = *cap ? *cap : 16;
    while (nc < count) {
        nc *= 2;
    }
    void *q = parley__realloc_array(*p, nc, size);
    if (q == NULL) {
        return 0;
    }
    *p = q;
    *cap = nc;
    return 1;
}

/* The per-state and per-turn records, grown as the run goes. */
typedef struct smp_record {
    double *positions; /* states x na x ni on the issues' scales */
    size_t cap_positions;
    double *risk;
    size_t cap_risk;
    double *win_prob;
    size_t cap_win_prob;
    long *target;
    size_t cap_target;
    double *target_prob;
    size_t cap_target_prob;
    double *target_gain;
    size_t cap_target_gain;
    double *proposal;
    size_t cap_proposal;
} smp_record;

static void smp_record_free(smp_record *r)
{
    parley__free(r->positions);
    parley__free(r->risk);
    parley__free(r->win_prob);
    parley__free(r->target);
    parley__free(r->target_prob);
    parley__free(r->target_gain);
    parley__free(r->proposal);
    memset(r, 0, sizeof *r);
}

/* Records state t: positions, and with `hist` its risk and win probabilities. */
static parley_status smp_record_state(smp *m, const parley_bargain_problem *p, smp_record *r,
                                      size_t t, int hist)
{
    const size_t na = p->n_actors;
    const size_t ni = p->n_issues;
    if (!smp_reserve((void **)&r->positions, &r->cap_positions, (t + 1) * na * ni,
                     sizeof(double))) {
        return PARLEY_ENOMEM;
    }
    double *blk = r->positions + t * na * ni;
    /* A validated problem has na, ni >= 1; the analyser cannot see that, and
     * for an empty problem smp_reserve would leave r->positions NULL. */
    if (na * ni > 0) {
        memcpy(blk, p->position, na * ni * sizeof(double));
    }
    for (size_t i = 0; i < m->n; i++) {
        const size_t a = m->idx[i];
        for (size_t k = 0; k < ni; k++) {
            const double lo = p->scale_min[k];
            const double span = p->scale_max[k] - lo;
            blk[a * ni + k] = lo + m->x[i * ni + k] * span;
        }
    }
    if (!hist) {
        return PARLEY_OK;
    }
    if (!smp_reserve((void **)&r->risk, &r->cap_risk, (t + 1) * na, sizeof(double)) ||
        !smp_reserve((void **)&r->win_prob, &r->cap_win_prob, (t + 1) * na, sizeof(double))) {
        return PARLEY_ENOMEM;
    }
    double *risk = r->risk + t * na;
    double *wp = r->win_prob + t * na;
    for (size_t a = 0; a < na; a++) {
        risk[a] = NAN;
        wp[a] = NAN;
    }
    if (m->n == 0) {
        return PARLEY_OK;
    }
    /* m->v_sq is free between turns: it holds the participants' probabilities. */
    size_t nu;
    parley_status st = smp_win_prob(m, NULL, m->v_sq, &nu);
    if (st != PARLEY_OK) {
        return st;
    }
    for (size_t i = 0; i < m->n; i++) {
        risk[m->idx[i]] = m->risk[i];
        wp[m->idx[i]] = m->v_sq[i];
    }
    return PARLEY_OK;
}

/* Records turn t's challenges (history only). */
static parley_status smp_record_turn(const smp *m, const parley_bargain_problem *p,
                                     smp_record *r, size_t t)
{
    const size_t na = p->n_actors;
    const size_t ni = p->n_issues;
    if (!smp_reserve((void **)&r->target, &r->cap_target, (t + 1) * na, sizeof(long)) ||
        !smp_reserve((void **)&r->target_prob, &r->cap_target_prob, (t + 1) * na,
                     sizeof(double)) ||
        !smp_reserve((void **)&r->target_gain, &r->cap_target_gain, (t + 1) * na,
                     sizeof(double)) ||
        !smp_reserve((void **)&r->proposal, &r->cap_proposal, (t + 1) * na * ni,
                     sizeof(double))) {
        return PARLEY_ENOMEM;
    }
    for (size_t a = 0; a < na; a++) {
        r->target[t * na + a] = -1;
        r->target_prob[t * na + a] = NAN;
        r->target_gain[t * na + a] = NAN;
        for (size_t k = 0; k < ni; k++) {
            r->proposal[(t * na + a) * ni + k] = NAN;
        }
    }
    for (size_t i = 0; i < m->n; i++) {
        const size_t a = m->idx[i];
        r->target[t * na + a] = m->target[i] < 0 ? -1 : (long)m->idx[m->target[i]];
        r->target_prob[t * na + a] = m->target_prob[i];
        r->target_gain[t * na + a] = m->target_gain[i];
        for (size_t k = 0; k < ni; k++) {
            const double v = m->proposal[i * ni + k];
            r->proposal[(t * na + a) * ni + k] =
                p->scale_min[k] + v * (p->scale_max[k] - p->scale_min[k]);
        }
    }
    return PARLEY_OK;
}

/* A participant's position, for sorting participants by position. */
typedef struct smp_sort_key {
    const double *pos;
    size_t d;
    size_t i;
} smp_sort_key;

/* Lexicographic order of position; equal positions by participant index. */
static int smp_sort_key_cmp(const void *a, const void *b)
{
    const smp_sort_key *x = a;
    const smp_sort_key *y = b;
    for (size_t k = 0; k < x->d; k++) {
        if (x->pos[k] != y->pos[k]) {
            return x->pos[k] < y->pos[k] ? -1 : 1;
        }
    }
    return x->i < y->i ? -1 : (x->i > y->i);
}

/* The forecast of the final state (see parley_smp_forecast). */
static parley_status smp_forecast(smp *m, const parley_bargain_problem *p, double *out)
{
    const size_t ni = p->n_issues;
    for (size_t k = 0; k < ni; k++) {
        out[k] = NAN;
    }
    if (m->n == 0) {
        return PARLEY_OK;
    }
    if (m->opt->forecast == PARLEY_SMP_FORECAST_WEIGHTED_MEAN) {
        for (size_t k = 0; k < ni; k++) {
            double num = 0.0;
            double den = 0.0;
            for (size_t i = 0; i < m->n; i++) {
                const double w = m->cap[i] * m->sal[i * ni + k];
                num += w * m->x[i * ni + k];
                den += w;
            }
            if (den > 0) {
                out[k] = p->scale_min[k] + (num / den) * (p->scale_max[k] - p->scale_min[k]);
            }
        }
        return PARLEY_OK;
    }
    /* Grouping in the order of position, not of the input, so that the
     * forecast does not depend on how the actors are listed. */
    smp_sort_key *keys = PARLEY_NEW_ARRAY(smp_sort_key, m->n);
    size_t *order = PARLEY_NEW_ARRAY(size_t, m->n);
    if (keys == NULL || order == NULL) {
        parley__free(keys);
        parley__free(order);
        return PARLEY_ENOMEM;
    }
    for (size_t i = 0; i < m->n; i++) {
        keys[i].pos = m->x + i * ni;
        keys[i].d = ni;
        keys[i].i = i;
    }
    qsort(keys, m->n, sizeof *keys, smp_sort_key_cmp);
    for (size_t i = 0; i < m->n; i++) {
        order[i] = keys[i].i;
    }
    size_t nu;
    parley_status st = smp_win_prob(m, order, NULL, &nu);
    parley__free(keys);
    parley__free(order);
    if (st != PARLEY_OK) {
        return st;
    }
    size_t best = 0;
    for (size_t u = 1; u < nu; u++) {
        if (m->prob[u] > m->prob[best]) {
            best = u;
        }
    }
    for (size_t k = 0; k < ni; k++) {
        double v = 0.0;
        if (m->opt->forecast == PARLEY_SMP_FORECAST_MOST_PROBABLE) {
            v = m->x[m->uniq[best] * ni + k];
        } else {
            for (size_t u = 0; u < nu; u++) {
                v += m->prob[u] * m->x[m->uniq[u] * ni + k];
            }
        }
        out[k] = p->scale_min[k] + v * (p->scale_max[k] - p->scale_min[k]);
    }
    return PARLEY_OK;
}

static parley_status smp_numeric(parley_error *err, parley_status st, size_t t)
{
    if (st == PARLEY_ENOMEM) {
        return parley_error_add(err, st, "smp", "out of memory in turn %zu", t);
    }
    return parley_error_add(err, st, "smp",
                            "turn %zu: a Markov PCE did not converge in 1,000 iterations", t);
}

parley_status parley_smp_run_history(const parley_bargain_problem *problem,
                                     const parley_smp_options *options,
                                     parley_bargain_result *result,
                                     parley_smp_history *history, parley_error *err)
{
    parley_smp_options defaults;
    if (history != NULL) {
        memset(history, 0, sizeof *history);
    }
    if (result == NULL || problem == NULL) {
        return parley_error_add(err, PARLEY_EINPUT, "smp", "problem and result are required");
    }
    memset(result, 0, sizeof *result);
    result->model = PARLEY_MODEL_SMP;
    if (options == NULL) {
        parley_smp_options_default(&defaults);
        options = &defaults;
    }
    parley_status st = smp_check(problem, options, err);
    if (st != PARLEY_OK) {
        return st;
    }
    const size_t na = problem->n_actors;
    const size_t ni = problem->n_issues;
    smp m;
    smp_record rec;
    memset(&m, 0, sizeof m);
    memset(&rec, 0, sizeof rec);
    double *x_prev = NULL;
    double *forecast = NULL;
    m.opt = options;
    m.d = ni;
    m.idx = PARLEY_NEW_ARRAY(size_t, na);
    if (m.idx == NULL) {
        return parley_error_add(err, PARLEY_ENOMEM, "smp", "out of memory");
    }
    for (size_t a = 0; a < na; a++) {
        double stot = 0.0;
        for (size_t k = 0; k < ni; k++) {
            stot += problem->salience[a * ni + k];
        }
        if (smp_capability(problem, a) > 0 && stot > 0) {
            m.idx[m.n++] = a;
        }
    }
    const size_t n = m.n;
    m.n_threads = smp_thread_count(options->threads, n);
    x_prev = PARLEY_NEW_ARRAY(double, n * ni + 1);
    forecast = PARLEY_NEW_ARRAY(double, ni);
    if (x_prev == NULL || forecast == NULL || !smp_alloc(&m)) {
        st = parley_error_add(err, PARLEY_ENOMEM, "smp", "out of memory");
        goto fail;
    }
    if (options->accommodation != NULL && n > 0) {
        m.accom = PARLEY_NEW_ARRAY(double, n * n);
        if (m.accom == NULL) {
            st = parley_error_add(err, PARLEY_ENOMEM, "smp", "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < n; j++) {
                m.accom[i * n + j] = options->accommodation[m.idx[i] * na + m.idx[j]];
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        const size_t a = m.idx[i];
        m.cap[i] = smp_capability(problem, a);
        double s = 0.0;
        for (size_t k = 0; k < ni; k++) {
            const double lo = problem->scale_min[k];
            m.sal[i * ni + k] = problem->salience[a * ni + k];
            m.x[i * ni + k] =
                (problem->position[a * ni + k] - lo) / (problem->scale_max[k] - lo);
            s = s + m.sal[i * ni + k];
        }
        m.stot[i] = s;
        m.wsc[i] = s * m.cap[i];
    }
    memcpy(m.y, m.x, n * ni * sizeof(double));

    const int hist = history != NULL;
    size_t t = 0;
    if (n > 0 && (st = smp_setup(&m)) != PARLEY_OK) {
        st = smp_numeric(err, st, 0);
        goto fail;
    }
    if ((st = smp_record_state(&m, problem, &rec, 0, hist)) != PARLEY_OK) {
        st = smp_numeric(err, st, 0);
        goto fail;
    }
    double d01 = 0.0;
    for (t = 1; n > 0; t++) {
        memcpy(x_prev, m.x, n * ni * sizeof(double));
        if ((st = smp_turn(&m, t - 1)) != PARLEY_OK ||
            (hist && (st = smp_record_turn(&m, problem, &rec, t - 1)) != PARLEY_OK) ||
            (st = smp_setup(&m)) != PARLEY_OK ||
            (st = smp_record_state(&m, problem, &rec, t, hist)) != PARLEY_OK) {
            st = smp_numeric(err, st, t);
            goto fail;
        }
        /* KTAB smpStopFn: stop once the latest move is below a share of the first. */
        double dist = 0.0;
        for (size_t i = 0; i < n; i++) {
            dist = dist + smp_distance_plain(m.x + i * ni, x_prev + i * ni, ni);
        }
        if (t == 1) {
            d01 = dist + options->stop_min_delta;
        }
        const int too_long = options->max_turns <= t;
        const int long_enough = options->min_turns <= t;
        if (too_long || (long_enough && dist / d01 < options->stop_ratio)) {
            break;
        }
    }
    const size_t rounds = n > 0 ? t : 0;
    if ((st = smp_forecast(&m, problem, forecast)) != PARLEY_OK) {
        st = smp_numeric(err, st, rounds);
        goto fail;
    }
    for (size_t k = 0; k < ni; k++) {
        if (n > 0 && !isfinite(forecast[k]) &&
            options->forecast != PARLEY_SMP_FORECAST_WEIGHTED_MEAN) {
            st = parley_error_add(err, PARLEY_ENUMERIC, "smp", "non-finite forecast on issue %zu", k);
            goto fail;
        }
    }
    result->n_issues = ni;
    result->forecast = forecast;
    result->trace.rounds = rounds;
    result->trace.n_actors = na;
    result->trace.n_issues = ni;
    result->trace.positions = rec.positions;
    rec.positions = NULL;
    if (history != NULL) {
        history->states = rounds + 1;
        history->n_actors = na;
        history->n_issues = ni;
        history->risk = rec.risk;
        history->win_prob = rec.win_prob;
        history->target = rec.target;
        history->target_prob = rec.target_prob;
        history->target_gain = rec.target_gain;
        history->proposal = rec.proposal;
        memset(&rec, 0, sizeof rec);
    }
    smp_record_free(&rec);
    smp_free(&m);
    parley__free(x_prev);
    return PARLEY_OK;

fail:
    smp_record_free(&rec);
    smp_free(&m);
    parley__free(x_prev);
    parley__free(forecast);
    memset(result, 0, sizeof *result);
    result->model = PARLEY_MODEL_SMP;
    return st;
}

parley_status parley_smp_run(const parley_bargain_problem *problem,
                             const parley_smp_options *options,
                             parley_bargain_result *result, parley_error *err)
{
    return parley_smp_run_history(problem, options, result, NULL, err);
}

void parley_smp_history_free(parley_smp_history *history)
{
    if (history == NULL) {
        return;
    }
    parley__free(history->risk);
    parley__free(history->win_prob);
    parley__free(history->target);
    parley__free(history->target_prob);
    parley__free(history->target_gain);
    parley__free(history->proposal);
    memset(history, 0, sizeof *history);
}
