/* Exact expected payoffs of a match under noise and imperfect verification.
 *
 * Both methods walk the same object: the joint state (x1, x2) of the two
 * players' memories. From a joint state each player intends C with its state's
 * probability, noise flips each intention, each player observes the other's
 * actual action through its channel, and each memory moves on (own actual,
 * observed). Payoffs follow the actual actions; memories follow observations.
 *
 * Long run: the chain on reachable joint states, split into strongly connected
 * components (Tarjan). Each closed class has a unique stationary distribution
 * (a direct solve by Grassmann-Taksar-Heyman elimination, stable without
 * subtractions); the start's probabilities of being absorbed into
 * each class weight them (one more solve on the transient states). Without
 * noise several closed classes may exist, and this still gives the Cesaro
 * limit from the start, which is what a long match averages to.
 *
 * Finite horizon: the distribution over joint states pushed forward round by
 * round, summing the expected outcome distribution of each round. */
#include "game_internal.h"

#include "core/alloc.h"

#include <math.h>
#include <string.h>

#define LONG_RUN_MAX_STATES 1024u
#define FINITE_MAX_STATES (1u << 22)

/* One side's view of one round: the distribution of its actual action given
 * its intention probability, and of what it observes given the other's action. */
typedef struct side {
    double noise;
    double seen_d[2]; /* P(observe D | other's actual a) */
} side;

static void side_init(side *sd, const parley_channel *c)
{
    sd->noise = c->noise;
    sd->seen_d[PARLEY_C] = c->false_alarm;
    sd->seen_d[PARLEY_D] = c->detect;
}

/* P(actual = a) from P(intend C), each computed without cancellation so that
 * tiny noise keeps its relative accuracy. */
static void actual(const side *sd, double p, double out[2])
{
    out[PARLEY_C] = p * (1 - sd->noise) + (1 - p) * sd->noise;
    out[PARLEY_D] = p * sd->noise + (1 - p) * (1 - sd->noise);
}

/* The 16 (a1, a2, o1, o2) branches out of a round with intention
 * probabilities p1, p2. prob[a1][a2][o1][o2]. */
static void branches(const side *s1, const side *s2, double p1, double p2,
                     double prob[2][2][2][2])
{
    double A1[2], A2[2];
    actual(s1, p1, A1);
    actual(s2, p2, A2);
    for (int a1 = 0; a1 < 2; a1++)
        for (int a2 = 0; a2 < 2; a2++) {
            double pa = A1[a1] * A2[a2];
            double O1[2] = {1 - s1->seen_d[a2], s1->seen_d[a2]};
            double O2[2] = {1 - s2->seen_d[a1], s2->seen_d[a1]};
            for (int o1 = 0; o1 < 2; o1++)
                for (int o2 = 0; o2 < 2; o2++)
                    prob[a1][a2][o1][o2] = pa * O1[o1] * O2[o2];
        }
}

static void fill_expectation(parley_expectation *out, const double outcome[4],
                             const parley_stage_game *g)
{
    double total = outcome[0] + outcome[1] + outcome[2] + outcome[3];
    for (int o = 0; o < 4; o++)
        out->outcome[o] = total > 0 ? outcome[o] / total : 0;
    for (int i = 0; i < 2; i++) {
        out->payoff[i] = 0;
        for (int o = 0; o < 4; o++)
            out->payoff[i] += out->outcome[o] * g->payoff[i][o >> 1][o & 1];
    }
    out->cooperation[0] = out->outcome[0] + out->outcome[1];
    out->cooperation[1] = out->outcome[0] + out->outcome[2];
}

/* Solves A x = b in place (A n x n row-major) by Gaussian elimination with
 * partial pivoting. Returns false when a pivot vanishes. */
static bool solve(double *A, double *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        size_t piv = k;
        for (size_t i = k + 1; i < n; i++)
            if (fabs(A[i * n + k]) > fabs(A[piv * n + k]))
                piv = i;
        /* (I - P_TT)^T is a nonsingular M-matrix when every transient state can
         * leave, and elimination on it is stable; only an exact zero fails. */
        if (!(fabs(A[piv * n + k]) > 0))
            return false;
        if (piv != k) {
            for (size_t j = 0; j < n; j++) {
                double t = A[k * n + j];
                A[k * n + j] = A[piv * n + j];
                A[piv * n + j] = t;
            }
            double t = b[k];
            b[k] = b[piv];
            b[piv] = t;
        }
        for (size_t i = k + 1; i < n; i++) {
            double f = A[i * n + k] / A[k * n + k];
            if (f == 0)
                continue;
            for (size_t j = k; j < n; j++)
                A[i * n + j] -= f * A[k * n + j];
            b[i] -= f * b[k];
        }
    }
    for (size_t k = n; k-- > 0;) {
        double s = b[k];
        for (size_t j = k + 1; j < n; j++)
            s -= A[k * n + j] * b[j];
        b[k] = s / A[k * n + k];
    }
    return true;
}

/* Tarjan's SCC, iterative. comp[v] receives the component id; returns the count. */
static size_t tarjan(size_t n, const double *P, size_t *comp, size_t *work)
{
    size_t *index = work, *low = work + n, *stack = work + 2 * n, *call = work + 3 * n,
           *edge = work + 4 * n;
    uint8_t *on = (uint8_t *)(work + 5 * n);
    const size_t UNSEEN = (size_t)-1;
    for (size_t v = 0; v < n; v++) {
        index[v] = UNSEEN;
        on[v] = 0;
    }
    size_t next_index = 0, sp = 0, ncomp = 0;
    for (size_t root = 0; root < n; root++) {
        if (index[root] != UNSEEN)
            continue;
        size_t depth = 0;
        call[depth] = root;
        edge[depth] = 0;
        index[root] = low[root] = next_index++;
        stack[sp++] = root;
        on[root] = 1;
        while (depth != UNSEEN) {
            size_t v = call[depth];
            bool descended = false;
            while (edge[depth] < n) {
                size_t w = edge[depth]++;
                if (!(P[v * n + w] > 0))
                    continue;
                if (index[w] == UNSEEN) {
                    index[w] = low[w] = next_index++;
                    stack[sp++] = w;
                    on[w] = 1;
                    depth++;
                    call[depth] = w;
                    edge[depth] = 0;
                    descended = true;
                    break;
                }
                if (on[w] && index[w] < low[v])
                    low[v] = index[w];
            }
            if (descended)
                continue;
            if (low[v] == index[v]) {
                size_t w;
                do {
                    w = stack[--sp];
                    on[w] = 0;
                    comp[w] = ncomp;
                } while (w != v);
                ncomp++;
            }
            if (depth == 0) {
                depth = UNSEEN;
            } else {
                depth--;
                size_t u = call[depth];
                if (low[v] < low[u])
                    low[u] = low[v];
            }
        }
    }
    return ncomp;
}

parley_status parley_exact_long_run(const parley_strategy *s1, const parley_strategy *s2,
                                    const parley_stage_game *game,
                                    const parley_channel *channel, parley_expectation *out,
                                    parley_error *err)
{
    const char *where = "exact long run";
    if (!parley_strategy_is_finite(s1) || !parley_strategy_is_finite(s2))
        return parley_error_add(err, PARLEY_EINPUT, where,
                                "the long run needs finite-state strategies; %s has unbounded "
                                "memory (use the finite horizon)",
                                parley_strategy_is_finite(s1) ? s2->name : s1->name);
    if (parley_channel_check(channel, where, err) != PARLEY_OK)
        return PARLEY_EINPUT;
    side sd1, sd2;
    side_init(&sd1, channel);
    side_init(&sd2, channel);
    size_t n2 = s2->nstates;
    size_t joint = (size_t)s1->nstates * n2;

    /* Reachable joint states from the start, numbered in discovery order. */
    size_t *id = parley__malloc(joint * sizeof *id);
    size_t *order = parley__malloc(LONG_RUN_MAX_STATES * sizeof *order);
    double *P = NULL, *A = NULL, *b = NULL, *cw = NULL, *rate = NULL;
    size_t *comp = NULL, *work = NULL;
    parley_status st = PARLEY_OK;
    if (!id || !order) {
        st = parley_error_add(err, PARLEY_ENOMEM, where, "no memory for the chain");
        goto done;
    }
    for (size_t j = 0; j < joint; j++)
        id[j] = (size_t)-1;
    size_t n = 0;
    size_t start = (size_t)s1->start * n2 + s2->start;
    id[start] = n;
    order[n++] = start;
    for (size_t q = 0; q < n; q++) {
        size_t x1 = order[q] / n2, x2 = order[q] % n2;
        double prob[2][2][2][2];
        branches(&sd1, &sd2, s1->states[x1].p, s2->states[x2].p, prob);
        for (int k = 0; k < 16; k++) {
            int a1 = k >> 3, a2 = (k >> 2) & 1, o1 = (k >> 1) & 1, o2 = k & 1;
            if (!(prob[a1][a2][o1][o2] > 0))
                continue;
            size_t y = (size_t)s1->states[x1].next[a1 * 2 + o1] * n2 +
                       s2->states[x2].next[a2 * 2 + o2];
            if (id[y] != (size_t)-1)
                continue;
            if (n == LONG_RUN_MAX_STATES) {
                st = parley_error_add(err, PARLEY_ELIMIT, where,
                                      "more than %u reachable joint states", LONG_RUN_MAX_STATES);
                goto done;
            }
            id[y] = n;
            order[n++] = y;
        }
    }
    P = PARLEY_NEW_ARRAY(double, n * n);
    A = PARLEY_NEW_ARRAY(double, n * n);
    b = PARLEY_NEW_ARRAY(double, n);
    cw = PARLEY_NEW_ARRAY(double, n); /* absorption weight per component */
    rate = PARLEY_NEW_ARRAY(double, n * 4); /* outcome distribution per state */
    comp = PARLEY_NEW_ARRAY(size_t, n);
    work = PARLEY_NEW_ARRAY(size_t, 6 * n + 1);
    if (!P || !A || !b || !cw || !rate || !comp || !work) {
        st = parley_error_add(err, PARLEY_ENOMEM, where, "no memory for the chain");
        goto done;
    }
    for (size_t q = 0; q < n; q++) {
        size_t x1 = order[q] / n2, x2 = order[q] % n2;
        double prob[2][2][2][2];
        branches(&sd1, &sd2, s1->states[x1].p, s2->states[x2].p, prob);
        for (int k = 0; k < 16; k++) {
            int a1 = k >> 3, a2 = (k >> 2) & 1, o1 = (k >> 1) & 1, o2 = k & 1;
            double pr = prob[a1][a2][o1][o2];
            if (!(pr > 0))
                continue;
            size_t y = (size_t)s1->states[x1].next[a1 * 2 + o1] * n2 +
                       s2->states[x2].next[a2 * 2 + o2];
            P[q * n + id[y]] += pr;
            rate[q * 4 + (size_t)a1 * 2 + (size_t)a2] += pr;
        }
    }
    size_t ncomp = tarjan(n, P, comp, work);
    /* A component is closed when no edge leaves it. */
    uint8_t *closed = (uint8_t *)work; /* reuse: tarjan's scratch is no longer needed */
    for (size_t c = 0; c < ncomp; c++)
        closed[c] = 1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (P[i * n + j] > 0 && comp[i] != comp[j])
                closed[comp[i]] = 0;
    /* Absorption weights: the start's expected visits y to transient states
     * solve y (I - P_TT) = e_start; class c then gets sum_t y_t P(t -> c). */
    size_t *tidx = (size_t *)work + n + 1; /* transient index map, disjoint from `closed` bytes */
    size_t nt = 0;
    for (size_t i = 0; i < n; i++)
        tidx[i] = closed[comp[i]] ? (size_t)-1 : nt++;
    if (tidx[0] == (size_t)-1) {
        cw[comp[0]] = 1; /* the start (state 0) is itself recurrent */
    } else {
        for (size_t i = 0; i < n; i++) {
            if (tidx[i] == (size_t)-1)
                continue;
            /* 1 - P_ii as the sum of the other entries of row i: no cancellation
             * when a transient state is left only rarely. */
            double leave = 0;
            for (size_t j = 0; j < n; j++)
                if (j != i)
                    leave += P[i * n + j];
            for (size_t j = 0; j < n; j++)
                if (tidx[j] != (size_t)-1)
                    A[tidx[j] * nt + tidx[i]] = i == j ? leave : -P[i * n + j];
            b[tidx[i]] = i == 0 ? 1.0 : 0.0;
        }
        if (!solve(A, b, nt)) {
            st = parley_error_add(err, PARLEY_ENUMERIC, where, "singular transient system");
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            if (tidx[i] == (size_t)-1)
                continue;
            for (size_t j = 0; j < n; j++)
                if (tidx[j] == (size_t)-1)
                    cw[comp[j]] += b[tidx[i]] * P[i * n + j];
        }
    }
    /* The weights sum to 1 in exact arithmetic; dividing by their sum removes
     * the rounding. */
    double weight_sum = 0;
    for (size_t c = 0; c < ncomp; c++)
        if (closed[c])
            weight_sum += cw[c];
    if (!(weight_sum > 0)) {
        st = parley_error_add(err, PARLEY_ENUMERIC, where, "no closed class reached");
        goto done;
    }
    for (size_t c = 0; c < ncomp; c++)
        cw[c] /= weight_sum;
    double outcome[4] = {0, 0, 0, 0};
    size_t *members = order; /* reachable states are no longer needed by index */
    for (size_t c = 0; c < ncomp; c++) {
        if (!closed[c] || !(cw[c] > 0))
            continue;
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (comp[i] == c)
                members[m++] = i;
        /* pi (I - P_cc) = 0 with sum pi = 1 by Grassmann-Taksar-Heyman
         * elimination: Gaussian elimination that never subtracts (the
         * diagonal is replaced by row sums of the off-diagonal entries), so
         * the stationary distribution keeps full relative accuracy even when
         * noise is tiny and 1 - P_ii would cancel. */
        for (size_t r = 0; r < m; r++)
            for (size_t k = 0; k < m; k++)
                A[r * m + k] = r == k ? 0.0 : P[members[r] * n + members[k]];
        bool ok = true;
        for (size_t k = m; k-- > 1;) {
            double sum = 0;
            for (size_t j = 0; j < k; j++)
                sum += A[k * m + j];
            if (!(sum > 0)) {
                ok = false;
                break;
            }
            for (size_t i = 0; i < k; i++)
                A[i * m + k] /= sum;
            for (size_t i = 0; i < k; i++)
                for (size_t j = 0; j < k; j++)
                    A[i * m + j] += A[i * m + k] * A[k * m + j];
        }
        if (!ok) {
            st = parley_error_add(err, PARLEY_ENUMERIC, where, "singular stationary system");
            goto done;
        }
        b[0] = 1;
        double total = 1;
        for (size_t k = 1; k < m; k++) {
            b[k] = 0;
            for (size_t i = 0; i < k; i++)
                b[k] += b[i] * A[i * m + k];
            total += b[k];
        }
        for (size_t k = 0; k < m; k++)
            b[k] /= total;
        for (size_t k = 0; k < m; k++)
            for (int o = 0; o < 4; o++)
                outcome[o] += cw[c] * b[k] * rate[members[k] * 4 + o];
    }
    fill_expectation(out, outcome, game);
done:
    parley__free(id);
    parley__free(order);
    parley__free(P);
    parley__free(A);
    parley__free(b);
    parley__free(cw);
    parley__free(rate);
    parley__free(comp);
    parley__free(work);
    return st;
}

/* --------------------------------------------------------- finite horizon */

/* A side's state count in the DP, and its cooperation probability and
 * successor at a DP coordinate x in round t. */
static size_t dp_size(const parley_strategy *s, uint32_t turns)
{
    return s->kind == PARLEY__KIND_TABLE ? s->nstates : (size_t)turns + 1;
}

static double dp_p(const parley_strategy *s, size_t x, uint32_t t)
{
    if (s->kind == PARLEY__KIND_TABLE)
        return s->states[x].p;
    return parley__count_cooperates(s, (uint32_t)x, t - (uint32_t)x) ? 1.0 : 0.0;
}

static size_t dp_next(const parley_strategy *s, size_t x, int own, int seen)
{
    if (s->kind == PARLEY__KIND_TABLE)
        return s->states[x].next[own * 2 + seen];
    return x + (seen == PARLEY_C);
}

static size_t dp_start(const parley_strategy *s)
{
    return s->kind == PARLEY__KIND_TABLE ? s->start : 0;
}

parley_status parley_exact_finite(const parley_strategy *s1, const parley_strategy *s2,
                                  const parley_stage_game *game, const parley_channel *channel,
                                  uint32_t turns, parley_expectation *out, parley_error *err)
{
    const char *where = "exact finite horizon";
    if (turns == 0)
        return parley_error_add(err, PARLEY_EINPUT, where, "a match needs at least one turn");
    if (parley_channel_check(channel, where, err) != PARLEY_OK)
        return PARLEY_EINPUT;
    size_t m1 = dp_size(s1, turns), m2 = dp_size(s2, turns);
    if (m1 > FINITE_MAX_STATES / m2)
        return parley_error_add(err, PARLEY_ELIMIT, where,
                                "%zu x %zu joint states exceed the limit of %u", m1, m2,
                                FINITE_MAX_STATES);
    side sd1, sd2;
    side_init(&sd1, channel);
    side_init(&sd2, channel);
    double *cur = PARLEY_NEW_ARRAY(double, m1 * m2);
    double *nxt = PARLEY_NEW_ARRAY(double, m1 * m2);
    if (!cur || !nxt) {
        parley__free(cur);
        parley__free(nxt);
        return parley_error_add(err, PARLEY_ENOMEM, where, "no memory for the joint states");
    }
    cur[dp_start(s1) * m2 + dp_start(s2)] = 1.0;
    double outcome[4] = {0, 0, 0, 0};
    for (uint32_t t = 0; t < turns; t++) {
        memset(nxt, 0, m1 * m2 * sizeof *nxt);
        /* A counting side's coordinate never exceeds the round number. */
        size_t lim1 = s1->kind == PARLEY__KIND_TABLE ? m1 : (size_t)t + 1;
        size_t lim2 = s2->kind == PARLEY__KIND_TABLE ? m2 : (size_t)t + 1;
        for (size_t x1 = 0; x1 < lim1; x1++) {
            double p1 = dp_p(s1, x1, t);
            for (size_t x2 = 0; x2 < lim2; x2++) {
                double w = cur[x1 * m2 + x2];
                if (w == 0)
                    continue;
                double prob[2][2][2][2];
                branches(&sd1, &sd2, p1, dp_p(s2, x2, t), prob);
                for (int k = 0; k < 16; k++) {
                    int a1 = k >> 3, a2 = (k >> 2) & 1, o1 = (k >> 1) & 1, o2 = k & 1;
                    double pr = prob[a1][a2][o1][o2];
                    if (pr == 0)
                        continue;
                    pr *= w;
                    outcome[a1 * 2 + a2] += pr;
                    nxt[dp_next(s1, x1, a1, o1) * m2 + dp_next(s2, x2, a2, o2)] += pr;
                }
            }
        }
        double *tmp = cur;
        cur = nxt;
        nxt = tmp;
    }
    parley__free(cur);
    parley__free(nxt);
    fill_expectation(out, outcome, game);
    return PARLEY_OK;
}
