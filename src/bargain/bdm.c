/* Bueno de Mesquita's expected utility model as unravelled by Scholz, Calbert &
 * Smith (2011), with the choices of Scholz's own code as defaults so that the
 * EC car-emission example reproduces their Table 2. One issue at a time; the
 * probability term, naively O(n) per pair over an O(n^3) denominator, is
 * computed from prefix sums over the sorted positions (see prob_fast). */
#include "parley/bargain_bdm.h"

#include "core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void parley_bdm_options_default(parley_bdm_options *options)
{
    if (!options)
        return;
    options->rounds = PARLEY_BDM_DEFAULT_ROUNDS;
    options->Q = 1.0;
    options->T = PARLEY_BDM_T_SIDE;
    options->mu = PARLEY_BDM_MU_MEDIAN;
    options->probability = PARLEY_BDM_PROB_SCHOLZ_CODE;
    options->voter_risk = PARLEY_BDM_VOTER_OWN;
    options->pair_risk = PARLEY_BDM_PAIR_EVALUATOR;
    options->range = PARLEY_BDM_RANGE_INITIAL;
    options->selection = PARLEY_BDM_SELECT_SCHOLZ;
    options->capitulation = true;
    options->forecast = PARLEY_BDM_FORECAST_MEDIAN;
    options->algorithm = PARLEY_BDM_FAST;
}

const char *parley_bdm_offer_kind_name(parley_bdm_offer_kind kind)
{
    switch (kind) {
    case PARLEY_BDM_OFFER_NONE: return "none";
    case PARLEY_BDM_OFFER_CONFLICT: return "conflict";
    case PARLEY_BDM_OFFER_COMPROMISE: return "compromise";
    case PARLEY_BDM_OFFER_CAPITULATION: return "capitulation";
    }
    return "unknown";
}

void parley_bdm_details_free(parley_bdm_details *details)
{
    if (!details)
        return;
    parley__free(details->risk);
    parley__free(details->security);
    parley__free(details->offer_kind);
    parley__free(details->offer_from);
    parley__free(details->eu_own);
    parley__free(details->eu_other);
    memset(details, 0, sizeof *details);
}

/* ------------------------------------------------------------------------ */
/* Per-issue working state. Actors are held in a canonical order (by initial
 * position, capability, salience, then input index) so that permuting the
 * input actors gives bit-identical arithmetic. */

typedef struct bdm_key {
    double x, c, s;
    size_t k;
} bdm_key;

typedef struct bdm_work {
    const parley_bdm_options *opt;
    size_t n;       /* actors with a position on this issue */
    size_t *actor;  /* canonical slot -> input actor index */
    double *x, *c, *s, *w; /* position, capability, salience, weight c*s */
    double *r;      /* risk exponents of this round */
    double *rv;     /* exponents the voters use in the probability */
    double *sec;    /* security levels */
    double *newx;   /* positions after the round */
    size_t *order;  /* slots sorted by current position */
    double *xs;     /* current positions in sorted order */
    bdm_key *keys;
    double *P;      /* n x n: P[i*n+j] = probability that x_i beats x_j */
    double *aux;    /* FAST: n x (n+1) prefix sums; NAIVE: n x n vote utilities */
    double *dist;   /* n: one voter's sorted distances */
    int *kind;
    size_t *from;
    double *eu_own, *eu_other;
    double R;       /* the range that normalises distances */
    double mu;      /* the round's reference point for U_b, U_w, T */
} bdm_work;

static void work_free(bdm_work *wk)
{
    parley__free(wk->actor);
    parley__free(wk->x);
    parley__free(wk->c);
    parley__free(wk->s);
    parley__free(wk->w);
    parley__free(wk->r);
    parley__free(wk->rv);
    parley__free(wk->sec);
    parley__free(wk->newx);
    parley__free(wk->order);
    parley__free(wk->xs);
    parley__free(wk->keys);
    parley__free(wk->P);
    parley__free(wk->aux);
    parley__free(wk->dist);
    parley__free(wk->kind);
    parley__free(wk->from);
    parley__free(wk->eu_own);
    parley__free(wk->eu_other);
}

/* Buffers for up to `cap` actors; false when out of memory (the caller frees). */
static bool work_alloc(bdm_work *wk, size_t cap)
{
    size_t m = cap ? cap : 1;
    wk->actor = PARLEY_NEW_ARRAY(size_t, m);
    wk->x = PARLEY_NEW_ARRAY(double, m);
    wk->c = PARLEY_NEW_ARRAY(double, m);
    wk->s = PARLEY_NEW_ARRAY(double, m);
    wk->w = PARLEY_NEW_ARRAY(double, m);
    wk->r = PARLEY_NEW_ARRAY(double, m);
    wk->rv = PARLEY_NEW_ARRAY(double, m);
    wk->sec = PARLEY_NEW_ARRAY(double, m);
    wk->newx = PARLEY_NEW_ARRAY(double, m);
    wk->order = PARLEY_NEW_ARRAY(size_t, m);
    wk->xs = PARLEY_NEW_ARRAY(double, m);
    wk->keys = PARLEY_NEW_ARRAY(bdm_key, m);
    wk->dist = PARLEY_NEW_ARRAY(double, m);
    wk->kind = PARLEY_NEW_ARRAY(int, m);
    wk->from = PARLEY_NEW_ARRAY(size_t, m);
    wk->eu_own = PARLEY_NEW_ARRAY(double, m);
    wk->eu_other = PARLEY_NEW_ARRAY(double, m);
    if (!wk->actor || !wk->x || !wk->c || !wk->s || !wk->w || !wk->r || !wk->rv || !wk->sec ||
        !wk->newx || !wk->order || !wk->xs || !wk->keys || !wk->dist || !wk->kind ||
        !wk->from || !wk->eu_own || !wk->eu_other)
        return false;
    if (m > ((size_t)-1) / sizeof(double) / m / 2)
        return false;
    wk->P = PARLEY_NEW_ARRAY(double, m * m);
    if (wk->opt->algorithm == PARLEY_BDM_NAIVE)
        wk->aux = PARLEY_NEW_ARRAY(double, m * m);
    else
        wk->aux = PARLEY_NEW_ARRAY(double, m * (m + 1));
    return wk->P && wk->aux;
}

static int cmp_key_canonical(const void *pa, const void *pb)
{
    const bdm_key *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->c != b->c)
        return a->c < b->c ? -1 : 1;
    if (a->s != b->s)
        return a->s < b->s ? -1 : 1;
    return a->k < b->k ? -1 : (a->k > b->k);
}

/* Orders by position, then slot: the slot order is canonical already. */
static int cmp_key_position(const void *pa, const void *pb)
{
    const bdm_key *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return a->k < b->k ? -1 : (a->k > b->k);
}

static void sort_positions(bdm_work *wk)
{
    for (size_t k = 0; k < wk->n; k++) {
        wk->keys[k].x = wk->x[k];
        wk->keys[k].k = k;
    }
    qsort(wk->keys, wk->n, sizeof *wk->keys, cmp_key_position);
    for (size_t m = 0; m < wk->n; m++) {
        wk->order[m] = wk->keys[m].k;
        wk->xs[m] = wk->keys[m].x;
    }
}

/* The median voter position: the Condorcet winner of the c*s-weighted votes
 * with linear utilities, which in one dimension is the lower weighted median
 * (the first sorted position where the cumulative weight reaches half).
 * Requires sort_positions. NAN when no actor has weight. */
static double bdm_median(const bdm_work *wk)
{
    double total = 0.0;
    for (size_t m = 0; m < wk->n; m++)
        total += wk->w[wk->order[m]];
    if (!(total > 0.0))
        return NAN;
    double cum = 0.0;
    for (size_t m = 0; m < wk->n; m++) {
        size_t k = wk->order[m];
        if (wk->w[k] <= 0.0)
            continue;
        cum += wk->w[k];
        if (2.0 * cum >= total)
            return wk->x[k];
    }
    return wk->xs[wk->n - 1];
}

static double bdm_mean(const bdm_work *wk)
{
    double sw = 0.0, swx = 0.0;
    for (size_t k = 0; k < wk->n; k++) {
        sw += wk->w[k];
        swx += wk->w[k] * wk->x[k];
    }
    return sw > 0.0 ? swx / sw : NAN;
}

static double rpow(double base, double r)
{
    if (r == 1.0)
        return base;
    if (base <= 0.0)
        return 0.0;
    return pow(base, r);
}

/* ------------------------------------------------------------------------ */
/* The probability that i's position beats j's.
 *
 * Voter k's vote for x_i over x_j is w_k (u_k(j) - u_k(i)) with
 * u_k(a) = (|x_k - x_a| / R)^{rv_k}; only positive votes count in the
 * numerator N(i,j). Scholz's code divides by D = sum_k w_k sum_{a,b} |u_k(a) -
 * u_k(b)| over all ordered pairs of actors (a constant of the round); eq. 31
 * divides by N(i,j) + N(j,i). */

static double prob_from(const bdm_work *wk, double num_ij, double num_ji, double denom)
{
    if (wk->opt->probability == PARLEY_BDM_PROB_EQ31) {
        double d = num_ij + num_ji;
        return d > 0.0 ? num_ij / d : 0.5;
    }
    return denom > 0.0 ? num_ij / denom : 0.0;
}

/* Direct summation: O(n) per numerator, O(n^3) for Scholz's denominator. */
static void prob_naive(bdm_work *wk)
{
    size_t n = wk->n;
    double *U = wk->aux;
    for (size_t k = 0; k < n; k++)
        for (size_t a = 0; a < n; a++)
            U[k * n + a] = rpow(fabs(wk->x[k] - wk->x[a]) / wk->R, wk->rv[k]);
    double denom = 0.0;
    if (wk->opt->probability == PARLEY_BDM_PROB_SCHOLZ_CODE) {
        for (size_t k = 0; k < n; k++) {
            double sk = 0.0;
            for (size_t a = 0; a < n; a++)
                for (size_t b = 0; b < n; b++)
                    sk += fabs(U[k * n + a] - U[k * n + b]);
            denom += wk->w[k] * sk;
        }
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            if (wk->x[i] == wk->x[j]) {
                wk->P[i * n + j] = 0.0;
                continue;
            }
            double nij = 0.0, nji = 0.0;
            for (size_t k = 0; k < n; k++) {
                double v = wk->w[k] * (U[k * n + j] - U[k * n + i]);
                if (v > 0.0)
                    nij += v;
                else
                    nji -= v;
            }
            wk->P[i * n + j] = prob_from(wk, nij, nji, denom);
        }
    }
}

/* Number of sorted positions strictly below v (upper = false) or at most v. */
static size_t count_below(const double *xs, size_t n, double v, bool upper)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (xs[mid] < v || (upper && xs[mid] == v))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A voter k prefers x_i to x_j exactly when it stands on i's side of the
 * midpoint m = (x_i + x_j)/2, and voters at m are indifferent. So with voters
 * sorted by position and, for each candidate a, the prefix sums
 * PS_a(t) = sum over the t leftmost voters of w_k u_k(a), the numerator is a
 * difference of two prefix sums at the cut found by binary search:
 * N(i,j) = PS_j(cut) - PS_i(cut) when x_i < x_j (the suffix when x_i > x_j).
 * Scholz's denominator needs, per voter, the sum of |u_k(a) - u_k(b)| over all
 * pairs: u_k is monotone in the distance to x_k, so merging the sorted
 * positions outward from x_k gives u_k sorted in O(n), and for sorted v the
 * pair sum is sum_t v_(t) (2t - n + 1). A round costs O(n^2) pow calls plus
 * O(n^2 log n) for the cuts, against O(n^3) for direct sums (and O(n^5) if the
 * constant denominator is recomputed for every pair, as Scholz's code did). */
static void prob_fast(bdm_work *wk)
{
    size_t n = wk->n;
    double *PS = wk->aux;
    for (size_t a = 0; a < n; a++) {
        double *ps = PS + a * (n + 1);
        double acc = 0.0;
        ps[0] = 0.0;
        for (size_t t = 0; t < n; t++) {
            size_t k = wk->order[t];
            acc += wk->w[k] * rpow(fabs(wk->x[k] - wk->x[a]) / wk->R, wk->rv[k]);
            ps[t + 1] = acc;
        }
    }
    double denom = 0.0;
    if (wk->opt->probability == PARLEY_BDM_PROB_SCHOLZ_CODE) {
        for (size_t t0 = 0; t0 < n; t0++) {
            size_t k = wk->order[t0];
            double xk = wk->x[k];
            /* Merge outward from k's own slot: left distances grow leftwards,
             * right distances rightwards. */
            size_t left = t0, right = t0 + 1, cnt = 0;
            wk->dist[cnt++] = 0.0;
            while (left > 0 || right < n) {
                double dl = left > 0 ? xk - wk->xs[left - 1] : INFINITY;
                double dr = right < n ? wk->xs[right] - xk : INFINITY;
                if (dl <= dr) {
                    wk->dist[cnt++] = dl;
                    left--;
                } else {
                    wk->dist[cnt++] = dr;
                    right++;
                }
            }
            double sk = 0.0;
            for (size_t t = 0; t < n; t++) {
                double v = rpow(wk->dist[t] / wk->R, wk->rv[k]);
                sk += v * (2.0 * (double)t - (double)n + 1.0);
            }
            denom += wk->w[k] * 2.0 * sk;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const double *psi = PS + i * (n + 1);
        for (size_t j = 0; j < n; j++) {
            double xi = wk->x[i], xj = wk->x[j];
            if (xi == xj) {
                wk->P[i * n + j] = 0.0;
                continue;
            }
            const double *psj = PS + j * (n + 1);
            double mid = xi + 0.5 * (xj - xi);
            size_t lo = count_below(wk->xs, n, mid, false); /* voters left of mid */
            size_t hi = count_below(wk->xs, n, mid, true);  /* ... and at mid */
            double left = psj[lo] - psi[lo];                /* votes of the left voters */
            double right = (psj[n] - psj[hi]) - (psi[n] - psi[hi]);
            /* Voters on i's side of mid vote for i (a positive sum), the others
             * for j (a negative sum). */
            double nij = xi < xj ? left : right;
            double nji = xi < xj ? -right : -left;
            nij = nij > 0.0 ? nij : 0.0;
            nji = nji > 0.0 ? nji : 0.0;
            wk->P[i * n + j] = prob_from(wk, nij, nji, denom);
        }
    }
}

static void prob_matrix(bdm_work *wk)
{
    if (wk->opt->algorithm == PARLEY_BDM_NAIVE)
        prob_naive(wk);
    else
        prob_fast(wk);
}

/* ------------------------------------------------------------------------ */
/* Distance of a and b over the range, capped at 1 (only RANGE_SCALE with
 * positions off the scale can exceed it). */
static double range_distance(const bdm_work *wk, size_t a, size_t b)
{
    double d = fabs(wk->x[a] - wk->x[b]) / wk->R;
    return d > 1.0 ? 1.0 : d;
}

/* Expected utility (eq. 25a) of a challenging b, with risk exponent r and the
 * basic utilities U_s, U_f, U_sq already computed for that r and distance:
 * E = s_b [P U_s + (1-P) U_f] + (1 - s_b) U_s - Q U_sq - (1-Q)[T U_b + (1-T) U_w]. */
static double eu_from(const bdm_work *wk, size_t a, size_t b, double r, double us, double uf,
                      double usq)
{
    const parley_bdm_options *o = wk->opt;
    double p = wk->P[a * wk->n + b];
    double sb = wk->s[b];
    double e = sb * (p * us + (1.0 - p) * uf) + (1.0 - sb) * us - o->Q * usq;
    if (o->Q < 1.0) {
        double dm = fabs(wk->x[a] - wk->mu);
        double h = 0.25 * (dm / wk->R + range_distance(wk, a, b));
        if (h > 0.5)
            h = 0.5;
        double ub = 2.0 - 4.0 * rpow(0.5 - h, r);
        double uw = 2.0 - 4.0 * rpow(0.5 + h, r);
        double t = o->T == PARLEY_BDM_T_ONE    ? 1.0
                   : o->T == PARLEY_BDM_T_ZERO ? 0.0
                   : (dm < fabs(wk->x[a] - wk->x[b]) ? 1.0 : 0.0);
        e -= (1.0 - o->Q) * (t * ub + (1.0 - t) * uw);
    }
    return e;
}

static double eu_challenge(const bdm_work *wk, size_t a, size_t b, double r)
{
    double d = range_distance(wk, a, b);
    double us = 2.0 - 4.0 * rpow(0.5 - 0.5 * d, r);
    double uf = 2.0 - 4.0 * rpow(0.5 + 0.5 * d, r);
    double usq = 2.0 - 4.0 * rpow(0.5, r);
    return eu_from(wk, a, b, r, us, uf, usq);
}

/* E^e(U_ab): actor e's estimate of a's expected utility of challenging b. */
static double eu_seen_by(const bdm_work *wk, size_t e, size_t a, size_t b)
{
    double r = wk->opt->pair_risk == PARLEY_BDM_PAIR_OWN ? wk->r[a] : wk->r[e];
    return eu_challenge(wk, a, b, r);
}

/* Security and risk exponents (Appendix step 6): with every r = 1,
 * Sec_i = sum_{j != i} E^i(U_ji); R_i = (2 Sec_i - max - min) / (max - min);
 * r_i = (1 - R_i/3) / (1 + R_i/3). A spread that is rounding noise (all
 * securities equal) gives r = 1 for everyone. */
static void risk_exponents(bdm_work *wk)
{
    size_t n = wk->n;
    for (size_t k = 0; k < n; k++)
        wk->r[k] = wk->rv[k] = 1.0;
    prob_matrix(wk);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double sec = 0.0;
        for (size_t j = 0; j < n; j++)
            if (j != i)
                sec += eu_seen_by(wk, i, j, i);
        wk->sec[i] = sec;
        lo = sec < lo ? sec : lo;
        hi = sec > hi ? sec : hi;
    }
    double spread = hi - lo;
    double scale = fabs(hi) > fabs(lo) ? fabs(hi) : fabs(lo);
    bool flat = !(spread > 1e-12 * (1.0 + scale));
    for (size_t i = 0; i < n; i++) {
        double big_r = flat ? 0.0 : (2.0 * wk->sec[i] - hi - lo) / spread;
        wk->r[i] = (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0);
    }
}

/* Whether offer (kind, key, eu_other, pos) beats the incumbent for actor i:
 * kind first, then the smaller key, then the proposer's larger expected
 * utility, then the lower position (a rule that does not depend on the order
 * of the actors). */
static bool offer_better(int kind, double key, double euo, double pos, int bkind, double bkey,
                         double beuo, double bpos)
{
    if (kind != bkind)
        return kind > bkind;
    if (key != bkey)
        return key < bkey;
    if (euo != beuo)
        return euo > beuo;
    return pos < bpos;
}

/* Offer priority: conflict lost > compromise > capitulation > none. */
static int kind_rank(int kind)
{
    switch (kind) {
    case PARLEY_BDM_OFFER_CONFLICT: return 3;
    case PARLEY_BDM_OFFER_COMPROMISE: return 2;
    case PARLEY_BDM_OFFER_CAPITULATION: return 1;
    default: return 0;
    }
}

/* Step 7-8 for actor i: classify every pair from i's point of view with i's
 * estimates E^i(U_ij) and E^i(U_ji), and keep the best offer. */
static void best_offer(bdm_work *wk, size_t i)
{
    const parley_bdm_options *o = wk->opt;
    double xi = wk->x[i];
    double ri = wk->r[i];
    double usq = 2.0 - 4.0 * rpow(0.5, ri);
    int bkind = PARLEY_BDM_OFFER_NONE;
    double bkey = INFINITY, beuo = -INFINITY, bpos = xi, beu = NAN, bother = NAN;
    size_t bfrom = PARLEY_BDM_NO_ACTOR;
    for (size_t j = 0; j < wk->n; j++) {
        double xj = wk->x[j];
        if (j == i || xj == xi)
            continue;
        double eij, eji;
        if (o->pair_risk == PARLEY_BDM_PAIR_EVALUATOR) {
            /* Both directions share i's exponent and the distance: the basic
             * utilities are computed once (they are most of the round's pow calls). */
            double d = range_distance(wk, i, j);
            double us = 2.0 - 4.0 * rpow(0.5 - 0.5 * d, ri);
            double uf = 2.0 - 4.0 * rpow(0.5 + 0.5 * d, ri);
            eij = eu_from(wk, i, j, ri, us, uf, usq);
            eji = eu_from(wk, j, i, ri, us, uf, usq);
        } else {
            eij = eu_seen_by(wk, i, i, j);
            eji = eu_seen_by(wk, i, j, i);
        }
        int kind;
        double pos, key;
        if (eji > eij && eij > 0.0) {
            kind = PARLEY_BDM_OFFER_CONFLICT;
            pos = xj;
            key = fabs(xi - pos);
        } else if (eji > 0.0 && eij < 0.0 && eji > -eij) {
            kind = PARLEY_BDM_OFFER_COMPROMISE;
            pos = xi + (xj - xi) * fabs(eij / eji);
            if (o->selection == PARLEY_BDM_SELECT_SCHOLZ)
                key = (fabs(eij) * xi + fabs(eji) * xj) / (fabs(eij) + fabs(eji));
            else
                key = fabs(xi - pos);
        } else if (o->capitulation && eji > 0.0 && eij < 0.0) {
            kind = PARLEY_BDM_OFFER_CAPITULATION;
            pos = xj;
            key = fabs(xi - pos);
        } else {
            continue;
        }
        if (offer_better(kind_rank(kind), key, eji, pos, kind_rank(bkind), bkey, beuo, bpos)) {
            bkind = kind;
            bkey = key;
            beuo = eji;
            bpos = pos;
            beu = eij;
            bother = eji;
            bfrom = j;
        }
    }
    wk->kind[i] = bkind;
    wk->from[i] = bfrom;
    wk->eu_own[i] = beu;
    wk->eu_other[i] = bother;
    wk->newx[i] = bpos;
}

static void current_range(bdm_work *wk)
{
    double lo = wk->xs[0], hi = wk->xs[wk->n - 1];
    wk->R = hi - lo;
}

/* One round: risk exponents, probabilities with them, offers, simultaneous
 * moves. Requires sort_positions; leaves the positions sorted again. */
static void bdm_round(bdm_work *wk)
{
    size_t n = wk->n;
    if (wk->opt->range == PARLEY_BDM_RANGE_EACH_ROUND)
        current_range(wk);
    if (n < 2 || !(wk->R > 0.0)) {
        for (size_t k = 0; k < n; k++) {
            wk->r[k] = 1.0;
            wk->sec[k] = 0.0;
            wk->kind[k] = PARLEY_BDM_OFFER_NONE;
            wk->from[k] = PARLEY_BDM_NO_ACTOR;
            wk->eu_own[k] = wk->eu_other[k] = NAN;
        }
        return;
    }
    wk->mu = wk->opt->mu == PARLEY_BDM_MU_MEAN ? bdm_mean(wk) : bdm_median(wk);
    if (isnan(wk->mu)) /* nobody has weight: mu only feeds the Q < 1 terms */
        wk->mu = wk->xs[0] + 0.5 * (wk->xs[n - 1] - wk->xs[0]);
    risk_exponents(wk);
    for (size_t k = 0; k < n; k++)
        wk->rv[k] = wk->opt->voter_risk == PARLEY_BDM_VOTER_OWN ? wk->r[k] : 1.0;
    prob_matrix(wk);
    for (size_t i = 0; i < n; i++)
        best_offer(wk, i);
    memcpy(wk->x, wk->newx, n * sizeof *wk->x);
    sort_positions(wk);
}

/* ------------------------------------------------------------------------ */

static void result_clear(parley_bargain_result *result)
{
    parley__free(result->forecast);
    parley__free(result->trace.positions);
    parley__free(result->trace.median);
    parley__free(result->trace.mean);
    memset(result, 0, sizeof *result);
}

static const char *name_or(char **names, size_t k, const char *fallback, char *buf, size_t cap)
{
    if (names && names[k])
        return names[k];
    snprintf(buf, cap, "%s%zu", fallback, k);
    return buf;
}

static parley_status validate(const parley_bargain_problem *p, const parley_bdm_options *o,
                              parley_error *err)
{
    parley_status st = PARLEY_OK;
    if (!(o->Q >= 0.0 && o->Q <= 1.0))
        st = parley_error_add(err, PARLEY_EINPUT, "options.Q",
                              "Q = %g: the probability of the status quo must lie in [0, 1]",
                              o->Q);
    if (o->rounds > PARLEY_BDM_MAX_ROUNDS)
        st = parley_error_add(err, PARLEY_ELIMIT, "options.rounds",
                              "%zu rounds: at most %d are allowed", o->rounds,
                              PARLEY_BDM_MAX_ROUNDS);
    if ((unsigned)o->T > PARLEY_BDM_T_ZERO || (unsigned)o->mu > PARLEY_BDM_MU_MEAN ||
        (unsigned)o->probability > PARLEY_BDM_PROB_EQ31 ||
        (unsigned)o->voter_risk > PARLEY_BDM_VOTER_NEUTRAL ||
        (unsigned)o->pair_risk > PARLEY_BDM_PAIR_OWN ||
        (unsigned)o->range > PARLEY_BDM_RANGE_SCALE ||
        (unsigned)o->selection > PARLEY_BDM_SELECT_LEAST_MOVE ||
        (unsigned)o->forecast > PARLEY_BDM_FORECAST_MEAN ||
        (unsigned)o->algorithm > PARLEY_BDM_NAIVE)
        st = parley_error_add(err, PARLEY_EINPUT, "options",
                              "an option holds a value outside its enumeration");
    size_t na = p->n_actors, ni = p->n_issues;
    if (na && ni && (!p->capability || !p->position || !p->salience)) {
        return parley_error_add(err, PARLEY_EINPUT, "problem",
                                "capability, position and salience must all be given");
    }
    if (o->range == PARLEY_BDM_RANGE_SCALE && ni && (!p->scale_min || !p->scale_max))
        return parley_error_add(err, PARLEY_EINPUT, "problem",
                                "the scale range needs scale_min and scale_max");
    char ab[32], ib[32];
    for (size_t a = 0; a < na; a++) {
        for (size_t i = 0; i < ni; i++) {
            size_t m = a * ni + i;
            double x = p->position[m], c = p->capability[m], s = p->salience[m];
            if (isnan(x))
                continue;
            const char *an = name_or(p->actor_ids, a, "actor ", ab, sizeof ab);
            const char *in = name_or(p->issue_ids, i, "issue ", ib, sizeof ib);
            char where[96];
            if (!isfinite(x)) {
                snprintf(where, sizeof where, "position[%zu][%zu]", a, i);
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      "%s on %s: the position must be finite or NAN", an, in);
            }
            if (!(c >= 0.0 && isfinite(c))) {
                snprintf(where, sizeof where, "capability[%zu][%zu]", a, i);
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      "%s on %s: capability %g must be finite and >= 0", an,
                                      in, c);
            }
            if (!(s >= 0.0 && s <= 1.0)) {
                snprintf(where, sizeof where, "salience[%zu][%zu]", a, i);
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      "%s on %s: salience %g must lie in [0, 1] (the "
                                      "probability of resisting a challenge)",
                                      an, in, s);
            }
        }
    }
    if (o->range == PARLEY_BDM_RANGE_SCALE) {
        for (size_t i = 0; i < ni; i++) {
            if (!(p->scale_max[i] > p->scale_min[i]) || !isfinite(p->scale_max[i] - p->scale_min[i])) {
                char where[64];
                snprintf(where, sizeof where, "scale[%zu]", i);
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      "scale %g..%g: the scale range option needs max > min",
                                      p->scale_min[i], p->scale_max[i]);
            }
        }
    }
    return st;
}

/* Runs one issue, writing its trace and details. */
static void run_issue(bdm_work *wk, const parley_bargain_problem *p, size_t issue,
                      parley_bargain_result *res, parley_bdm_details *det)
{
    const parley_bdm_options *o = wk->opt;
    size_t na = p->n_actors, ni = p->n_issues, rounds = o->rounds;
    size_t n = 0;
    for (size_t a = 0; a < na; a++) {
        size_t m = a * ni + issue;
        if (isnan(p->position[m]))
            continue;
        wk->keys[n].x = p->position[m];
        wk->keys[n].c = p->capability[m];
        wk->keys[n].s = p->salience[m];
        wk->keys[n].k = a;
        n++;
    }
    qsort(wk->keys, n, sizeof *wk->keys, cmp_key_canonical);
    wk->n = n;
    for (size_t k = 0; k < n; k++) {
        wk->actor[k] = wk->keys[k].k;
        wk->x[k] = wk->keys[k].x;
        wk->c[k] = wk->keys[k].c;
        wk->s[k] = wk->keys[k].s;
        wk->w[k] = wk->c[k] * wk->s[k];
    }
    for (size_t t = 0; t <= rounds; t++)
        for (size_t a = 0; a < na; a++)
            res->trace.positions[(t * na + a) * ni + issue] = NAN;
    if (det) {
        for (size_t t = 0; t < rounds; t++) {
            for (size_t a = 0; a < na; a++) {
                size_t m = (t * na + a) * ni + issue;
                det->risk[m] = det->security[m] = det->eu_own[m] = det->eu_other[m] = NAN;
                det->offer_kind[m] = PARLEY_BDM_OFFER_NONE;
                det->offer_from[m] = PARLEY_BDM_NO_ACTOR;
            }
        }
    }
    if (n > 0) {
        sort_positions(wk);
        wk->R = o->range == PARLEY_BDM_RANGE_SCALE ? p->scale_max[issue] - p->scale_min[issue]
                                                    : wk->xs[n - 1] - wk->xs[0];
    }
    for (size_t t = 0;; t++) {
        if (t > 0 && n > 0) {
            bdm_round(wk);
            if (det) {
                for (size_t k = 0; k < n; k++) {
                    size_t m = ((t - 1) * na + wk->actor[k]) * ni + issue;
                    det->risk[m] = wk->r[k];
                    det->security[m] = wk->sec[k];
                    det->offer_kind[m] = wk->kind[k];
                    det->offer_from[m] =
                        wk->from[k] == PARLEY_BDM_NO_ACTOR ? PARLEY_BDM_NO_ACTOR
                                                           : wk->actor[wk->from[k]];
                    det->eu_own[m] = wk->eu_own[k];
                    det->eu_other[m] = wk->eu_other[k];
                }
            }
        }
        for (size_t k = 0; k < n; k++)
            res->trace.positions[(t * na + wk->actor[k]) * ni + issue] = wk->x[k];
        res->trace.median[t * ni + issue] = n ? bdm_median(wk) : NAN;
        res->trace.mean[t * ni + issue] = n ? bdm_mean(wk) : NAN;
        if (t == rounds)
            break;
    }
    res->forecast[issue] = o->forecast == PARLEY_BDM_FORECAST_MEAN
                               ? res->trace.mean[rounds * ni + issue]
                               : res->trace.median[rounds * ni + issue];
}

parley_status parley_bdm_run_detailed(const parley_bargain_problem *problem,
                                      const parley_bdm_options *options,
                                      parley_bargain_result *result,
                                      parley_bdm_details *details, parley_error *err)
{
    if (result)
        memset(result, 0, sizeof *result);
    if (details)
        memset(details, 0, sizeof *details);
    if (!problem || !result)
        return parley_error_add(err, PARLEY_EINPUT, "",
                                "parley_bdm_run needs a problem and a result");
    parley_bdm_options defaults;
    parley_bdm_options_default(&defaults);
    const parley_bdm_options *o = options ? options : &defaults;
    parley_error local;
    parley_error_init(&local);
    parley_status st = validate(problem, o, &local);
    if (st != PARLEY_OK) {
        parley_error_append(err, &local);
        return st;
    }
    size_t na = problem->n_actors, ni = problem->n_issues, rounds = o->rounds;
    size_t block = na * ni; /* the problem's own matrices have this size */
    bdm_work wk;
    memset(&wk, 0, sizeof wk);
    wk.opt = o;
    st = PARLEY_ENOMEM;
    result->model = PARLEY_MODEL_BDM;
    result->n_issues = ni;
    result->trace.rounds = rounds;
    result->trace.n_actors = na;
    result->trace.n_issues = ni;
    if (block && (rounds + 1) > ((size_t)-1) / block)
        goto fail;
    result->forecast = PARLEY_NEW_ARRAY(double, ni);
    result->trace.positions = PARLEY_NEW_ARRAY(double, (rounds + 1) * block);
    result->trace.median = PARLEY_NEW_ARRAY(double, (rounds + 1) * ni);
    result->trace.mean = PARLEY_NEW_ARRAY(double, (rounds + 1) * ni);
    if (!result->forecast || !result->trace.positions || !result->trace.median ||
        !result->trace.mean)
        goto fail;
    if (details) {
        details->rounds = rounds;
        details->n_actors = na;
        details->n_issues = ni;
        details->risk = PARLEY_NEW_ARRAY(double, rounds * block);
        details->security = PARLEY_NEW_ARRAY(double, rounds * block);
        details->offer_kind = PARLEY_NEW_ARRAY(int, rounds * block);
        details->offer_from = PARLEY_NEW_ARRAY(size_t, rounds * block);
        details->eu_own = PARLEY_NEW_ARRAY(double, rounds * block);
        details->eu_other = PARLEY_NEW_ARRAY(double, rounds * block);
        if (!details->risk || !details->security || !details->offer_kind ||
            !details->offer_from || !details->eu_own || !details->eu_other)
            goto fail;
    }
    if (!work_alloc(&wk, na))
        goto fail;
    for (size_t i = 0; i < ni; i++)
        run_issue(&wk, problem, i, result, details);
    work_free(&wk);
    return PARLEY_OK;

fail:
    work_free(&wk);
    result_clear(result);
    parley_bdm_details_free(details);
    return parley_error_add(err, st, "", "out of memory for the BDM model (%zu actors, %zu "
                                         "issues, %zu rounds)",
                            na, ni, rounds);
}

parley_status parley_bdm_run(const parley_bargain_problem *problem,
                             const parley_bdm_options *options, parley_bargain_result *result,
                             parley_error *err)
{
    return parley_bdm_run_detailed(problem, options, result, NULL, err);
}
