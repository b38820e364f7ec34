/* Stokman's exchange model, equal-gain form, as Decide implements it
 * (foarsitter/decide-exchange-model: ModelLoop.loop, EqualGainExchange.calculate,
 * AbstractExchangeActor.check_nbs, AbstractExchange.recalculate). The model runs
 * on positions rescaled to 0-100 as Decide does, so that its thresholds (a move
 * must stay inside [0, 100], moves below 1e-10 do not count) mean the same thing
 * on every issue; results are scaled back. Decide's bookkeeping is reproduced
 * where it changes numbers: each candidate exchange keeps its own view of the
 * other actors' moves ("updates") and a history of its own moves, whose signs
 * must agree, and the candidate list is re-sorted stably before each choice so
 * that equal gains are ordered as in Decide. docs/MODELS.md explains the model. */
#include "parley/bargain_exchange.h"

#include "core/alloc.h"
#include "internal.h"
#include "parley/rng.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define EXCHANGE_ROUNDS_MAX ((size_t)100000)
/* Positions are compared with this slack on the 0-100 scale: Decide computes in
 * 28-digit decimals, where a compromise can equal an actor's position exactly. */
#define EXCHANGE_EPS 1e-9
/* Decide's "no move" and "no gain" thresholds. */
#define EXCHANGE_MIN_MOVE 1e-10
#define EXCHANGE_MIN_GAIN 1e-10

/* One actor's side of a candidate exchange. It supplies (moves on) `sup` and
 * demands the other side's supply issue. */
typedef struct xside {
    size_t actor;
    size_t sup;
    double start;  /* round-start preference on sup */
    double spos;   /* current supply position (moved by executed exchanges) */
    double move;   /* signed move of this exchange */
    double y;      /* voting position spos + move */
    double eu;     /* this side's gain */
    /* Decide's list of this side's moves: earlier ones summarised, plus the current. */
    size_t hist_n;
    double hist_sum, hist_min, hist_max;
    bool has_cur;
} xside;

/* The exchange's view of another actor's voting position on one of its issues. */
typedef struct xupdate {
    size_t issue;
    size_t actor;
    double pos;
} xupdate;

typedef struct xchg {
    xside s[2]; /* s[0] is Decide's i (supplies the pair's second issue), s[1] its j */
    double gain;
    bool valid;
    unsigned version; /* bumped at each recomputation; older heap entries are stale */
    size_t stamp;
    size_t n_upd, cap_upd;
    xupdate *upd;
} xchg;

typedef struct ctx {
    const parley_exchange_options *opt;
    size_t na, ni;
    const double *w;   /* c s, 0 where absent */
    const double *sal; /* salience */
    double *pref;      /* round-start preferences, 0-100 */
    double *den, *num; /* per issue: sum w, sum w x over pref */
    parley_rng rate_rng;
    bool oom;
} ctx;

static size_t ix(const ctx *c, size_t a, size_t i) { return a * c->ni + i; }

/* ---- Decide's move history ---- */

static void hist_push(xside *s, double m)
{
    if (s->has_cur) {
        s->hist_sum += s->move;
        s->hist_min = s->hist_n ? fmin(s->hist_min, s->move) : s->move;
        s->hist_max = s->hist_n ? fmax(s->hist_max, s->move) : s->move;
        s->hist_n++;
    }
    s->move = m;
    s->has_cur = true;
}

/* Decide's is_move_valid: a real move inside [0, 100], moves summing to at most
 * 100, and every move of this side in one direction. */
static bool move_valid(const xside *s)
{
    double m = s->move;
    if (fabs(m) > 100.0 || fabs(m) <= EXCHANGE_MIN_MOVE)
        return false;
    if (s->spos + m < -EXCHANGE_EPS || s->spos + m > 100.0 + EXCHANGE_EPS)
        return false;
    if (s->hist_sum + m > 100.0 + EXCHANGE_EPS)
        return false;
    double lo = s->hist_n ? fmin(s->hist_min, m) : m;
    double hi = s->hist_n ? fmax(s->hist_max, m) : m;
    return hi < 0.0 || lo > 0.0;
}

/* ---- Compromise on an issue as an exchange sees it ---- */

/* The compromise on `issue` with the round's preferences, the exchange's updates,
 * and `actor` at `pos` (Decide's adjusted_nbs). */
static double view_nbs(const ctx *c, const xchg *e, size_t issue, size_t actor, double pos)
{
    if (!(c->den[issue] > 0.0))
        return 0.0;
    double num = c->num[issue];
    double own = c->pref[ix(c, actor, issue)];
    for (size_t k = 0; k < e->n_upd; k++) {
        const xupdate *u = &e->upd[k];
        if (u->issue != issue)
            continue;
        num += c->w[ix(c, u->actor, issue)] * (u->pos - c->pref[ix(c, u->actor, issue)]);
        if (u->actor == actor)
            own = u->pos;
    }
    num += c->w[ix(c, actor, issue)] * (pos - own);
    return num / c->den[issue];
}

/* How far `actor`, standing at `pos`, must move for the compromise on `issue` to
 * be `target` (Decide's adjusted_nbs_by_position; its updates are applied after
 * the actor's own position, as there). */
static double move_to_nbs(const ctx *c, const xchg *e, size_t issue, size_t actor, double pos,
                          double target)
{
    double wa = c->w[ix(c, actor, issue)];
    double num = c->num[issue] + wa * (pos - c->pref[ix(c, actor, issue)]);
    for (size_t k = 0; k < e->n_upd; k++) {
        const xupdate *u = &e->upd[k];
        if (u->issue != issue)
            continue;
        double from = u->actor == actor ? pos : c->pref[ix(c, u->actor, issue)];
        num += c->w[ix(c, u->actor, issue)] * (u->pos - from);
    }
    return (target * c->den[issue] - num) / wa;
}

/* ---- Computing one exchange ---- */

/* Decide's check_nbs for side a: if a's move would carry the compromise on its
 * supply issue past the position its partner demands there, shrink the move so
 * the compromise lands exactly on that position and rederive the partner's move. */
static void check_nbs(const ctx *c, xchg *e, int ai)
{
    xside *a = &e->s[ai], *b = &e->s[1 - ai];
    size_t A = a->sup, B = b->sup;
    double nbs0 = view_nbs(c, e, A, a->actor, a->spos);
    double nbs1 = view_nbs(c, e, A, a->actor, a->y);
    double x = c->pref[ix(c, b->actor, A)];
    double d0 = x - nbs0, d1 = x - nbs1;
    if (fabs(d0) <= EXCHANGE_EPS && fabs(d1) > EXCHANGE_EPS) {
        /* The compromise already stands on x (an earlier exchange was clipped
         * there): any move would push it past, so there is none. Decide reaches
         * this through rounding noise in its decimals, computing a move of ~1e-26. */
        a->move = b->move = 0.0;
        a->y = a->spos;
        b->y = b->spos;
        e->gain = a->eu = b->eu = 0.0;
        return;
    }
    if ((d0 >= -EXCHANGE_EPS && d1 >= -EXCHANGE_EPS) || (d0 <= EXCHANGE_EPS && d1 <= EXCHANGE_EPS))
        return;
    double delta = fabs(move_to_nbs(c, e, A, a->actor, a->spos, x));
    double da = delta * c->w[ix(c, a->actor, A)] / c->den[A];
    double db = (c->sal[ix(c, a->actor, A)] + c->sal[ix(c, b->actor, A)]) /
                (c->sal[ix(c, a->actor, B)] + c->sal[ix(c, b->actor, B)]) * da;
    double mb = fabs(db * c->den[B] / c->w[ix(c, b->actor, B)]);
    double ma = delta;
    if (b->spos > c->pref[ix(c, a->actor, B)])
        mb = -mb;
    if (a->spos > x)
        ma = -ma;
    b->move = mb;
    a->move = ma;
    b->y = b->spos + mb;
    a->y = a->spos + ma;
    e->gain = fabs(db * c->sal[ix(c, b->actor, B)] - da * c->sal[ix(c, b->actor, A)]);
    a->eu = b->eu = e->gain;
}

/* The random-rate variant: shift the split of the gain between the partners.
 * The partner `b` keeps its move (so the compromise shift dB on a's demand issue
 * stays); a's gain becomes g and its move follows from g. */
static void random_rate(ctx *c, xchg *e)
{
    double u = parley_rng_uniform(&c->rate_rng);
    double v = parley_rng_uniform(&c->rate_rng);
    double z = parley_rng_uniform(&c->rate_rng);
    xside *a = &e->s[u < 0.5 ? 0 : 1], *b = &e->s[u < 0.5 ? 1 : 0];
    size_t A = a->sup, B = b->sup;
    double waA = c->w[ix(c, a->actor, A)], wbB = c->w[ix(c, b->actor, B)];
    double saA = c->sal[ix(c, a->actor, A)], saB = c->sal[ix(c, a->actor, B)];
    double sbA = c->sal[ix(c, b->actor, A)], sbB = c->sal[ix(c, b->actor, B)];
    double dB = fabs(b->move) * wbB / c->den[B];
    double g = e->gain;
    /* The most a can gain while b does not lose: b's gain dA sbA - dB sbB = 0. */
    double gmax = fmax(g, dB * saB - dB * sbB / sbA * saA);
    double ga = v < 0.5 ? g + c->opt->random_rate * z * (gmax - g) : g - c->opt->random_rate * z * g;
    double dA = (dB * saB - ga) / saA;
    double ma = dA * c->den[A] / waA;
    /* a may move at most to b's demanded position, and not push the compromise past it. */
    double target = c->pref[ix(c, b->actor, A)];
    double room = fabs(target - a->spos);
    double nbs0 = view_nbs(c, e, A, a->actor, a->spos);
    double nbs_full = view_nbs(c, e, A, a->actor, target);
    if ((target - nbs0) * (target - nbs_full) < 0.0)
        room = fmin(room, fabs(move_to_nbs(c, e, A, a->actor, a->spos, target)));
    if (ma > room) {
        ma = room;
        dA = ma * waA / c->den[A];
        dB = (ga + dA * saA) / saB;
        double mb = dB * c->den[B] / wbB;
        b->move = b->move < 0.0 ? -mb : mb;
        b->y = b->spos + b->move;
    }
    a->move = a->spos > target ? -ma : ma;
    a->y = a->spos + a->move;
    a->eu = ga;
    b->eu = dA * sbA - dB * sbB;
    e->valid = move_valid(a) && move_valid(b);
}

/* Decide's EqualGainExchange.calculate: first let j move all the way to i's
 * position on j's supply issue P and derive i's move on Q from equal gains; if
 * i would overshoot j's position on Q, let i move all the way instead. */
static void calculate(ctx *c, xchg *e)
{
    xside *i = &e->s[0], *j = &e->s[1];
    size_t Q = i->sup, P = j->sup;
    double xiP = c->pref[ix(c, i->actor, P)], xjQ = c->pref[ix(c, j->actor, Q)];
    double wiQ = c->w[ix(c, i->actor, Q)], wjP = c->w[ix(c, j->actor, P)];
    double siP = c->sal[ix(c, i->actor, P)], siQ = c->sal[ix(c, i->actor, Q)];
    double sjP = c->sal[ix(c, j->actor, P)], sjQ = c->sal[ix(c, j->actor, Q)];
    double dist_j = fabs(xiP - j->spos), dist_i = fabs(xjQ - i->spos);
    double dp = dist_j * wjP / c->den[P];
    double dq = (sjP + siP) / (sjQ + siQ) * dp;
    double mi = dq * c->den[Q] / wiQ, mj = dist_j;
    if (fabs(mi) > dist_i) {
        dq = dist_i * wiQ / c->den[Q];
        dp = (siQ + sjQ) / (siP + sjP) * dq;
        mi = dist_i;
        mj = dp * c->den[P] / wjP;
    }
    if (i->spos > xjQ)
        mi = -mi;
    if (j->spos > xiP)
        mj = -mj;
    hist_push(i, mi);
    hist_push(j, mj);
    i->y = i->spos + mi;
    j->y = j->spos + mj;
    e->gain = fabs(dq * siQ - dp * siP);
    i->eu = j->eu = e->gain;
    e->valid = move_valid(i) && move_valid(j) && !(e->gain < EXCHANGE_MIN_GAIN);
    if (!e->valid)
        return;
    check_nbs(c, e, 0);
    check_nbs(c, e, 1);
    e->valid = move_valid(i) && move_valid(j);
    if (e->valid && c->opt->variant == PARLEY_EXCHANGE_RANDOM_RATE && c->opt->random_rate > 0.0)
        random_rate(c, e);
}

/* ---- Recomputing after an exchange is executed ---- */

static void set_update(ctx *c, xchg *e, size_t issue, const xside *r)
{
    for (size_t k = 0; k < e->n_upd; k++) {
        xupdate *u = &e->upd[k];
        if (u->issue == issue && u->actor == r->actor) {
            /* Decide's update_updates. */
            double old = u->pos;
            if (r->start <= old)
                u->pos = old < r->y ? old : r->y;
            else
                u->pos = old > r->y ? old : r->y;
            return;
        }
    }
    if (e->n_upd == e->cap_upd) {
        size_t cap = e->cap_upd ? 2 * e->cap_upd : 4;
        xupdate *grown = parley__realloc_array(e->upd, cap, sizeof *grown);
        if (!grown) {
            c->oom = true;
            return;
        }
        e->upd = grown;
        e->cap_upd = cap;
    }
    e->upd[e->n_upd++] = (xupdate){.issue = issue, .actor = r->actor, .pos = r->y};
}

static size_t demand_of(const xchg *e, int s) { return e->s[1 - s].sup; }

/* Decide's AbstractExchange.recalculate of e after r was executed. */
static void recalculate(ctx *c, xchg *e, const xchg *r)
{
    bool matched[2] = {false, false};
    for (int s = 0; s < 2; s++)
        for (int t = 0; t < 2 && !matched[s]; t++)
            if (e->s[s].actor == r->s[t].actor && e->s[s].sup == r->s[t].sup) {
                e->s[s].spos = r->s[t].y;
                matched[s] = true;
            }
    bool recalc = matched[0] || matched[1];
    if (recalc)
        for (int s = 0; s < 2; s++)
            if (!matched[s])
                e->s[s].has_cur = false;
    /* r's j demands the issue r's i moved on; r's i demands the issue r's j moved on. */
    for (int t = 1; t >= 0; t--) {
        const xside *demander = &r->s[t], *mover = &r->s[1 - t];
        bool hit = false;
        for (int s = 1; s >= 0; s--)
            if (e->s[s].actor == demander->actor && demand_of(e, s) == mover->sup)
                hit = true;
        if (!hit)
            continue;
        set_update(c, e, mover->sup, mover);
        if (!recalc) {
            e->s[0].has_cur = e->s[1].has_cur = false;
            recalc = true;
        }
    }
    if (recalc) {
        calculate(c, e);
        e->version++;
    }
}

/* ---- The list of candidate exchanges ---- */

static bool gain_gt(const ctx *c, double a, double b)
{
    return a - b > c->opt->tie_tolerance * fmax(fabs(a), fabs(b));
}

/* The candidates by gain, highest first, as a binary heap with lazy deletion:
 * a recomputed exchange is pushed again and its older entries are skipped.
 * Decide re-sorts its list stably before each choice, so among equal gains the
 * earlier-created exchange comes first; the heap orders equal gains the same
 * way. (Decide's list would differ only when a recomputed exchange's new gain
 * exactly equals another's: it then keeps the order of their earlier gains.) */
typedef struct hent {
    double gain;
    size_t idx;
    unsigned version;
} hent;

static bool hent_before(const ctx *c, const hent *a, const hent *b)
{
    if (gain_gt(c, a->gain, b->gain))
        return true;
    if (gain_gt(c, b->gain, a->gain))
        return false;
    return a->idx < b->idx;
}

static void heap_push(const ctx *c, hent *heap, size_t *n, hent x)
{
    size_t k = (*n)++;
    while (k > 0) {
        size_t parent = (k - 1) / 2;
        if (!hent_before(c, &x, &heap[parent]))
            break;
        heap[k] = heap[parent];
        k = parent;
    }
    heap[k] = x;
}

static hent heap_pop(const ctx *c, hent *heap, size_t *n)
{
    hent top = heap[0], x = heap[--(*n)];
    size_t k = 0;
    for (;;) {
        size_t child = 2 * k + 1;
        if (child >= *n)
            break;
        if (child + 1 < *n && hent_before(c, &heap[child + 1], &heap[child]))
            child++;
        if (!hent_before(c, &heap[child], &x))
            break;
        heap[k] = heap[child];
        k = child;
    }
    if (*n > 0)
        heap[k] = x;
    return top;
}

static bool hent_current(const xchg *ex, const hent *h)
{
    return ex[h->idx].valid && ex[h->idx].version == h->version;
}

/* ---- Rounds ---- */

static double norm_pos(const parley_bargain_problem *p, size_t i, double x)
{
    double step = 100.0 / (p->scale_max[i] - p->scale_min[i]);
    return (x - p->scale_min[i]) * step;
}

static double denorm_pos(const parley_bargain_problem *p, size_t i, double v)
{
    double step = 100.0 / (p->scale_max[i] - p->scale_min[i]);
    return v / step + p->scale_min[i];
}

static void compromise(const parley_bargain_problem *p, const double *w, const double *pos,
                       double *out)
{
    for (size_t i = 0; i < p->n_issues; i++) {
        double num = 0.0, den = 0.0, lo = INFINITY, hi = -INFINITY;
        for (size_t a = 0; a < p->n_actors; a++) {
            double wa = w[a * p->n_issues + i];
            if (!(wa > 0.0))
                continue;
            double x = pos[a * p->n_issues + i];
            num += wa * x;
            den += wa;
            lo = fmin(lo, x);
            hi = fmax(hi, x);
        }
        out[i] = den > 0.0 ? fmin(hi, fmax(lo, num / den)) : NAN;
    }
}

typedef struct round_work {
    xchg *ex;
    size_t n_ex, cap_ex;
    hent *heap, *tied;
    size_t n_heap, cap_heap, cap_tied;
    size_t *by_actor_start, *by_actor; /* exchanges of each actor (CSR) */
    size_t *group;                     /* actor lists of the four groups */
    unsigned char *left;
    unsigned char *traded;
    double *last_y, *last_start;
    size_t *issues; /* the issues of the group being run */
    size_t step;    /* executed exchanges so far (stamps for recomputation) */
} round_work;

static void free_exchanges(round_work *rw)
{
    for (size_t k = 0; k < rw->n_ex; k++)
        parley__free(rw->ex[k].upd);
    rw->n_ex = 0;
}

static parley_status add_exchange(ctx *c, round_work *rw, size_t ai, size_t aj, size_t p, size_t q,
                                  parley_error *err)
{
    if (rw->n_ex == rw->cap_ex) {
        size_t cap = rw->cap_ex ? 2 * rw->cap_ex : 64;
        xchg *grown = parley__realloc_array(rw->ex, cap, sizeof *grown);
        if (!grown)
            return parley_error_add(err, PARLEY_ENOMEM, NULL,
                                    "out of memory for %zu candidate exchanges", cap);
        rw->ex = grown;
        rw->cap_ex = cap;
    }
    xchg *e = &rw->ex[rw->n_ex];
    memset(e, 0, sizeof *e);
    /* The actor with the larger salience ratio s_p / s_q demands p. */
    double ri = c->sal[ix(c, ai, p)] / c->sal[ix(c, ai, q)];
    double rj = c->sal[ix(c, aj, p)] / c->sal[ix(c, aj, q)];
    size_t d_p = ri < rj ? aj : ai, d_q = ri < rj ? ai : aj;
    e->s[0].actor = d_p;
    e->s[0].sup = q;
    e->s[1].actor = d_q;
    e->s[1].sup = p;
    for (int s = 0; s < 2; s++) {
        e->s[s].start = e->s[s].spos = c->pref[ix(c, e->s[s].actor, e->s[s].sup)];
    }
    calculate(c, e);
    if (e->valid)
        rw->n_ex++;
    return PARLEY_OK;
}

static parley_status record_exchange(parley_exchange_history *h, size_t *cap,
                                     const parley_bargain_problem *p, const xchg *r, size_t round,
                                     parley_error *err)
{
    if (h->n_exchanges == *cap) {
        size_t ncap = *cap ? 2 * *cap : 64;
        parley_exchange_record *grown = parley__realloc_array(h->exchanges, ncap, sizeof *grown);
        if (!grown)
            return parley_error_add(err, PARLEY_ENOMEM, NULL,
                                    "out of memory for %zu exchange records", ncap);
        h->exchanges = grown;
        *cap = ncap;
    }
    parley_exchange_record *rec = &h->exchanges[h->n_exchanges++];
    rec->round = round;
    for (int t = 0; t < 2; t++) {
        rec->actor[t] = r->s[t].actor;
        rec->supply_issue[t] = r->s[t].sup;
        rec->start[t] = denorm_pos(p, r->s[t].sup, r->s[t].spos);
        rec->voting[t] = denorm_pos(p, r->s[t].sup, r->s[t].y);
        rec->gain[t] = r->s[t].eu;
    }
    return PARLEY_OK;
}

/* One round: candidate exchanges from the round's preferences, executed by
 * highest gain with recomputation; fills vote (0-100) and updates c->pref. */
static parley_status run_group(ctx *c, round_work *rw, const parley_bargain_problem *p,
                               const size_t *issues, size_t n_issues, size_t round,
                               parley_rng *tie_rng, parley_exchange_history *h, size_t *rec_cap,
                               parley_error *err);

static parley_status run_round(ctx *c, round_work *rw, const parley_bargain_problem *p,
                               size_t round, parley_rng *tie_rng, parley_exchange_history *h,
                               size_t *rec_cap, double *vote, parley_error *err)
{
    size_t na = c->na, ni = c->ni;
    for (size_t i = 0; i < ni; i++) {
        c->den[i] = c->num[i] = 0.0;
        for (size_t a = 0; a < na; a++) {
            double w = c->w[ix(c, a, i)];
            if (w > 0.0) {
                c->den[i] += w;
                c->num[i] += w * c->pref[ix(c, a, i)];
            }
        }
        double nbs = c->den[i] > 0.0 ? c->num[i] / c->den[i] : 0.0;
        for (size_t a = 0; a < na; a++)
            rw->left[ix(c, a, i)] = c->pref[ix(c, a, i)] <= nbs + EXCHANGE_EPS;
    }
    /* Issue groups (DEU: proposals) never share an exchange, so each is run on
     * its own: the same result as one list, at a fraction of the sorting. */
    memset(rw->traded, 0, na * ni);
    for (size_t g = 0; g < ni; g++) {
        size_t n_in = 0;
        bool first = true;
        for (size_t j = 0; j < ni && first; j++) {
            bool same = !p->issue_group || p->issue_group[j] == p->issue_group[g];
            if (same && j < g)
                first = false;
            else if (same)
                rw->issues[n_in++] = j;
        }
        if (!first)
            continue;
        parley_status st = run_group(c, rw, p, rw->issues, n_in, round, tie_rng, h, rec_cap, err);
        if (st != PARLEY_OK)
            return st;
    }
    /* Voting positions, then the preference update (Decide's new_start_position). */
    for (size_t k = 0; k < na * ni; k++)
        vote[k] = rw->traded[k] ? rw->last_y[k] : c->pref[k];
    double sw = c->opt->salience_weight, fw = c->opt->fixed_weight;
    for (size_t k = 0; k < na * ni; k++)
        if (rw->traded[k]) {
            double share = (1.0 - c->sal[k]) * sw + fw;
            c->pref[k] = (1.0 - share) * rw->last_start[k] + share * rw->last_y[k];
        }
    return PARLEY_OK;
}

/* Candidate exchanges among `issues` (one group), executed by highest gain with
 * recomputation; records them and marks what each actor voted. */
static parley_status run_group(ctx *c, round_work *rw, const parley_bargain_problem *p,
                               const size_t *issues, size_t n_issues, size_t round,
                               parley_rng *tie_rng, parley_exchange_history *h, size_t *rec_cap,
                               parley_error *err)
{
    size_t na = c->na;
    free_exchanges(rw);
    for (size_t u0 = 0; u0 < n_issues; u0++)
        for (size_t v0 = u0 + 1; v0 < n_issues; v0++) {
            size_t p0 = issues[u0], q0 = issues[v0];
            size_t n_group[4] = {0, 0, 0, 0};
            for (size_t a = 0; a < na; a++) {
                if (!(c->w[ix(c, a, p0)] > 0.0) || !(c->w[ix(c, a, q0)] > 0.0))
                    continue;
                int g = rw->left[ix(c, a, p0)] | (rw->left[ix(c, a, q0)] << 1);
                rw->group[(size_t)g * na + n_group[g]++] = a;
            }
            static const int pairs[2][2] = {{0, 3}, {1, 2}};
            for (int pr = 0; pr < 2; pr++) {
                int gi = pairs[pr][0], gj = pairs[pr][1];
                for (size_t u = 0; u < n_group[gi]; u++)
                    for (size_t v = 0; v < n_group[gj]; v++) {
                        parley_status st = add_exchange(c, rw, rw->group[(size_t)gi * na + u],
                                                        rw->group[(size_t)gj * na + v], p0, q0, err);
                        if (st != PARLEY_OK)
                            return st;
                        if (c->oom)
                            return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory");
                    }
            }
        }
    size_t n_ex = rw->n_ex;
    if (n_ex == 0)
        return PARLEY_OK;
    size_t *grown = parley__realloc_array(rw->by_actor, 2 * n_ex, sizeof *grown);
    if (!grown)
        goto oom;
    rw->by_actor = grown;
    if (rw->cap_heap < n_ex) {
        hent *hg = parley__realloc_array(rw->heap, n_ex, sizeof *hg);
        if (!hg)
            goto oom;
        rw->heap = hg;
        rw->cap_heap = n_ex;
    }
    /* Index the exchanges by actor, so that an executed exchange touches only its
     * actors' exchanges (the only ones Decide's recalculate changes). */
    memset(rw->by_actor_start, 0, (na + 1) * sizeof *rw->by_actor_start);
    rw->n_heap = 0;
    for (size_t k = 0; k < n_ex; k++) {
        rw->by_actor_start[rw->ex[k].s[0].actor + 1]++;
        rw->by_actor_start[rw->ex[k].s[1].actor + 1]++;
        heap_push(c, rw->heap, &rw->n_heap,
                  (hent){.gain = rw->ex[k].gain, .idx = k, .version = rw->ex[k].version});
    }
    for (size_t a = 0; a < na; a++)
        rw->by_actor_start[a + 1] += rw->by_actor_start[a];
    for (size_t k = 0; k < n_ex; k++)
        for (int s = 0; s < 2; s++) {
            size_t a = rw->ex[k].s[s].actor;
            rw->by_actor[rw->by_actor_start[a]] = k;
            rw->by_actor_start[a]++;
        }
    for (size_t a = na; a > 0; a--)
        rw->by_actor_start[a] = rw->by_actor_start[a - 1];
    rw->by_actor_start[0] = 0;

    for (;;) {
        while (rw->n_heap > 0 && !hent_current(rw->ex, &rw->heap[0]))
            (void)heap_pop(c, rw->heap, &rw->n_heap);
        if (rw->n_heap == 0)
            break;
        hent chosen = heap_pop(c, rw->heap, &rw->n_heap);
        if (c->opt->ties == PARLEY_EXCHANGE_TIES_RANDOM) {
            /* Gather every current entry tied with the best, pick one, put back the rest. */
            size_t n_tied = 0;
            for (;;) {
                if (n_tied == rw->cap_tied) {
                    size_t cap = rw->cap_tied ? 2 * rw->cap_tied : 16;
                    hent *tg = parley__realloc_array(rw->tied, cap, sizeof *tg);
                    if (!tg)
                        goto oom;
                    rw->tied = tg;
                    rw->cap_tied = cap;
                }
                if (n_tied == 0) {
                    rw->tied[n_tied++] = chosen;
                    continue;
                }
                while (rw->n_heap > 0 && !hent_current(rw->ex, &rw->heap[0]))
                    (void)heap_pop(c, rw->heap, &rw->n_heap);
                if (rw->n_heap == 0 || gain_gt(c, chosen.gain, rw->heap[0].gain))
                    break;
                rw->tied[n_tied++] = heap_pop(c, rw->heap, &rw->n_heap);
            }
            size_t pick = n_tied > 1 ? parley_rng_below(tie_rng, (uint32_t)(n_tied > UINT32_MAX
                                                                             ? UINT32_MAX : n_tied))
                                     : 0;
            chosen = rw->tied[pick];
            for (size_t k = 0; k < n_tied; k++)
                if (k != pick)
                    heap_push(c, rw->heap, &rw->n_heap, rw->tied[k]);
        }
        xchg *r = &rw->ex[chosen.idx];
        r->valid = false; /* executed: no longer a candidate */
        parley_status st = record_exchange(h, rec_cap, p, r, round, err);
        if (st != PARLEY_OK)
            return st;
        for (int t = 0; t < 2; t++) {
            size_t k = ix(c, r->s[t].actor, r->s[t].sup);
            rw->traded[k] = 1;
            rw->last_y[k] = r->s[t].y;
            rw->last_start[k] = r->s[t].start;
        }
        rw->step++;
        for (int t = 0; t < 2; t++) {
            size_t a = r->s[t].actor;
            for (size_t m = rw->by_actor_start[a]; m < rw->by_actor_start[a + 1]; m++) {
                size_t idx = rw->by_actor[m];
                xchg *e = &rw->ex[idx];
                if (!e->valid || e->stamp == rw->step)
                    continue;
                e->stamp = rw->step;
                unsigned before = e->version;
                recalculate(c, e, r);
                if (c->oom)
                    return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory");
                if (e->version != before && e->valid) {
                    if (rw->n_heap == rw->cap_heap) {
                        size_t cap = 2 * rw->cap_heap;
                        hent *hg = parley__realloc_array(rw->heap, cap, sizeof *hg);
                        if (!hg)
                            goto oom;
                        rw->heap = hg;
                        rw->cap_heap = cap;
                    }
                    heap_push(c, rw->heap, &rw->n_heap,
                              (hent){.gain = e->gain, .idx = idx, .version = e->version});
                }
            }
        }
    }
    return PARLEY_OK;
oom:
    return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory for %zu exchanges", n_ex);
}

/* ---- Public API ---- */

/* exchange_decimal.c (declared there too): rounds 1..h->rounds in Decide's
 * decimals, filling the voting and preference blocks after block 0 and the
 * exchanges; *rec_cap is the capacity of h->exchanges. */
parley_status parley__exchange_decimal_rounds(const parley_bargain_problem *p,
                                              const parley_exchange_options *o,
                                              parley_exchange_history *h, size_t *rec_cap,
                                              parley_error *err);

void parley_exchange_options_default(parley_exchange_options *options)
{
    memset(options, 0, sizeof *options);
    options->rounds = 10;
    options->ties = PARLEY_EXCHANGE_TIES_FIRST;
    options->variant = PARLEY_EXCHANGE_EQUAL_GAIN;
    options->random_rate = 1.0;
    options->salience_weight = 0.4;
    options->fixed_weight = 0.1;
    options->tie_tolerance = 1e-12;
    options->arithmetic = PARLEY_EXCHANGE_DOUBLE;
}

void parley_exchange_history_free(parley_exchange_history *h)
{
    if (!h)
        return;
    parley__free(h->preference);
    parley__free(h->voting);
    parley__free(h->preference_mds);
    parley__free(h->voting_mds);
    parley__free(h->exchanges);
    memset(h, 0, sizeof *h);
}

/* Keeps the first non-OK status, so that a limit is not reported as bad input. */
static parley_status first_error(parley_status st, parley_status added)
{
    return st != PARLEY_OK ? st : added;
}

static parley_status check_options(const parley_exchange_options *o, parley_error *err)
{
    parley_status st = PARLEY_OK;
    if (o->rounds > EXCHANGE_ROUNDS_MAX)
        st = first_error(st, parley_error_add(err, PARLEY_ELIMIT, "exchange options: rounds",
                              "%zu rounds exceed the limit of %zu", o->rounds, EXCHANGE_ROUNDS_MAX));
    if (o->ties != PARLEY_EXCHANGE_TIES_FIRST && o->ties != PARLEY_EXCHANGE_TIES_RANDOM)
        st = first_error(st, parley_error_add(err, PARLEY_EINPUT, "exchange options: ties",
                              "unknown tie-breaking rule %d", (int)o->ties));
    if (o->variant != PARLEY_EXCHANGE_EQUAL_GAIN && o->variant != PARLEY_EXCHANGE_RANDOM_RATE)
        st = first_error(st, parley_error_add(err, PARLEY_EINPUT, "exchange options: variant",
                              "unknown variant %d", (int)o->variant));
    if (!(o->random_rate >= 0.0 && o->random_rate <= 1.0))
        st = first_error(st, parley_error_add(err, PARLEY_EINPUT, "exchange options: random_rate",
                              "random rate %g must be in [0, 1]", o->random_rate));
    if (!(o->salience_weight >= 0.0 && o->fixed_weight >= 0.0 &&
          o->salience_weight + o->fixed_weight <= 1.0))
        st = first_error(st, parley_error_add(err, PARLEY_EINPUT, "exchange options: preference update",
                              "salience_weight %g and fixed_weight %g must be >= 0 with sum <= 1",
                              o->salience_weight, o->fixed_weight));
    if (!(o->tie_tolerance >= 0.0 && o->tie_tolerance < 1.0))
        st = first_error(st, parley_error_add(err, PARLEY_EINPUT, "exchange options: tie_tolerance",
                              "tie tolerance %g must be in [0, 1)", o->tie_tolerance));
    if (o->arithmetic != PARLEY_EXCHANGE_DOUBLE && o->arithmetic != PARLEY_EXCHANGE_DECIMAL28)
        st = first_error(st, parley_error_add(err, PARLEY_EINPUT, "exchange options: arithmetic",
                              "unknown arithmetic %d", (int)o->arithmetic));
    else if (o->arithmetic == PARLEY_EXCHANGE_DECIMAL28 &&
             (o->ties != PARLEY_EXCHANGE_TIES_FIRST || o->variant != PARLEY_EXCHANGE_EQUAL_GAIN))
        st = first_error(st, parley_error_add(err, PARLEY_EINPUT, "exchange options: arithmetic",
                              "the decimal arithmetic runs Decide's deterministic equal-gain "
                              "model only (ties first, equal gain)"));
    return st;
}

parley_status parley_exchange_run_history(const parley_bargain_problem *p,
                                          const parley_exchange_options *options,
                                          parley_exchange_history *h, parley_error *err)
{
    memset(h, 0, sizeof *h);
    parley_exchange_options defaults;
    if (!options) {
        parley_exchange_options_default(&defaults);
        options = &defaults;
    }
    parley_status st = check_options(options, err);
    parley_status vst = parley_bargain_problem_validate(p, NULL, err);
    if (vst != PARLEY_OK)
        return vst;
    if (st != PARLEY_OK)
        return st;
    size_t na = p->n_actors, ni = p->n_issues, cells = na * ni, R = options->rounds;
    if (cells / na != ni || (R + 1) > SIZE_MAX / cells) {
        parley_error_add(err, PARLEY_ELIMIT, NULL,
                         "%zu actors x %zu issues x %zu rounds is too large", na, ni, R);
        /* Literal, not parley_error_add's echo: the analyser cannot see into
         * error.c, and callers rely on "PARLEY_OK means h is filled". */
        return PARLEY_ELIMIT;
    }
    for (size_t a = 0; a < na; a++)
        for (size_t i = 0; i < ni; i++) {
            size_t k = a * ni + i;
            if (parley__bargain_weight(p, a, i) > 0.0 &&
                !(p->position[k] >= p->scale_min[i] && p->position[k] <= p->scale_max[i]))
                st = parley_error_add(err, PARLEY_EINPUT, NULL,
                                      "actor '%s', issue '%s': position %g is outside the issue's "
                                      "scale %g..%g (the exchange model keeps moves inside it)",
                                      p->actor_ids[a], p->issue_ids[i], p->position[k],
                                      p->scale_min[i], p->scale_max[i]);
        }
    if (st != PARLEY_OK)
        return st;

    ctx c = {.opt = options, .na = na, .ni = ni};
    round_work rw;
    memset(&rw, 0, sizeof rw);
    double *w = PARLEY_NEW_ARRAY(double, cells);
    double *pref = PARLEY_NEW_ARRAY(double, cells);
    double *vote = PARLEY_NEW_ARRAY(double, cells);
    double *den = PARLEY_NEW_ARRAY(double, ni);
    double *num = PARLEY_NEW_ARRAY(double, ni);
    rw.by_actor_start = PARLEY_NEW_ARRAY(size_t, na + 1);
    rw.group = PARLEY_NEW_ARRAY(size_t, 4 * na);
    rw.left = PARLEY_NEW_ARRAY(unsigned char, cells);
    rw.issues = PARLEY_NEW_ARRAY(size_t, ni);
    rw.traded = PARLEY_NEW_ARRAY(unsigned char, cells);
    rw.last_y = PARLEY_NEW_ARRAY(double, cells);
    rw.last_start = PARLEY_NEW_ARRAY(double, cells);
    h->preference = PARLEY_NEW_ARRAY(double, (R + 1) * cells);
    h->voting = PARLEY_NEW_ARRAY(double, (R + 1) * cells);
    h->preference_mds = PARLEY_NEW_ARRAY(double, (R + 1) * ni);
    h->voting_mds = PARLEY_NEW_ARRAY(double, (R + 1) * ni);
    if (!w || !pref || !vote || !den || !num || !rw.by_actor_start || !rw.group || !rw.left || !rw.issues ||
        !rw.traded || !rw.last_y || !rw.last_start || !h->preference || !h->voting ||
        !h->preference_mds || !h->voting_mds) {
        st = parley_error_add(err, PARLEY_ENOMEM, NULL,
                              "out of memory for the exchange model (%zu actors x %zu issues)", na, ni);
        goto done;
    }
    h->rounds = R;
    h->n_actors = na;
    h->n_issues = ni;
    for (size_t a = 0; a < na; a++)
        for (size_t i = 0; i < ni; i++) {
            size_t k = a * ni + i;
            w[k] = parley__bargain_weight(p, a, i);
            pref[k] = w[k] > 0.0 ? norm_pos(p, i, p->position[k]) : 0.0;
        }
    c.w = w;
    c.sal = p->salience;
    c.pref = pref;
    c.den = den;
    c.num = num;
    memcpy(h->preference, p->position, cells * sizeof(double));
    memcpy(h->voting, p->position, cells * sizeof(double));
    compromise(p, w, p->position, h->preference_mds);
    compromise(p, w, p->position, h->voting_mds);
    size_t rec_cap = 0;
    if (options->arithmetic == PARLEY_EXCHANGE_DECIMAL28) {
        st = parley__exchange_decimal_rounds(p, options, h, &rec_cap, err);
        if (st != PARLEY_OK)
            goto done;
        for (size_t r = 1; r <= R; r++) {
            compromise(p, w, h->voting + r * cells, h->voting_mds + r * ni);
            compromise(p, w, h->preference + r * cells, h->preference_mds + r * ni);
        }
        goto done;
    }
    for (size_t r = 1; r <= R; r++) {
        parley_stream_id tie_id = {.seed = options->seed, .draw = options->draw,
                                   .run = options->run, .mechanism = PARLEY_MECH_BARGAIN,
                                   .actor = 0, .round = (uint32_t)r};
        parley_stream_id rate_id = tie_id;
        rate_id.actor = 1;
        parley_rng tie_rng;
        parley_rng_init(&tie_rng, &tie_id);
        parley_rng_init(&c.rate_rng, &rate_id);
        st = run_round(&c, &rw, p, r, &tie_rng, h, &rec_cap, vote, err);
        if (st != PARLEY_OK)
            goto done;
        double *vb = h->voting + r * cells, *pb = h->preference + r * cells;
        for (size_t a = 0; a < na; a++)
            for (size_t i = 0; i < ni; i++) {
                size_t k = a * ni + i;
                vb[k] = w[k] > 0.0 ? denorm_pos(p, i, vote[k]) : p->position[k];
                pb[k] = w[k] > 0.0 ? denorm_pos(p, i, pref[k]) : p->position[k];
            }
        compromise(p, w, vb, h->voting_mds + r * ni);
        compromise(p, w, pb, h->preference_mds + r * ni);
    }
done:
    free_exchanges(&rw);
    parley__free(rw.ex);
    parley__free(rw.heap);
    parley__free(rw.tied);
    parley__free(rw.by_actor);
    parley__free(rw.by_actor_start);
    parley__free(rw.group);
    parley__free(rw.left);
    parley__free(rw.issues);
    parley__free(rw.traded);
    parley__free(rw.last_y);
    parley__free(rw.last_start);
    parley__free(w);
    parley__free(pref);
    parley__free(vote);
    parley__free(den);
    parley__free(num);
    if (st != PARLEY_OK)
        parley_exchange_history_free(h);
    return st;
}

parley_status parley_exchange_run(const parley_bargain_problem *p,
                                  const parley_exchange_options *options,
                                  parley_bargain_result *result, parley_error *err)
{
    memset(result, 0, sizeof *result);
    parley_exchange_history h;
    parley_status st = parley_exchange_run_history(p, options, &h, err);
    if (st != PARLEY_OK)
        return st;
    st = parley__bargain_result_init(result, PARLEY_MODEL_EXCHANGE, p->n_issues, err);
    if (st != PARLEY_OK) {
        parley_exchange_history_free(&h);
        return st;
    }
    size_t ni = p->n_issues;
    memcpy(result->forecast, h.voting_mds + h.rounds * ni, ni * sizeof(double));
    /* The trace takes over the history's voting blocks and their compromises. */
    result->trace.rounds = h.rounds;
    result->trace.n_actors = h.n_actors;
    result->trace.n_issues = ni;
    result->trace.positions = h.voting;
    result->trace.mean = h.voting_mds;
    h.voting = NULL;
    h.voting_mds = NULL;
    parley_exchange_history_free(&h);
    return PARLEY_OK;
}
