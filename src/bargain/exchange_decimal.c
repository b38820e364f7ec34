/* Stokman's exchange model in Decide's own arithmetic: Python decimals with 28
 * significant digits, rounded half-even after every operation. Decide decides
 * some exchanges by comparing a position with a recomputed compromise that
 * differs from it only by rounding residue (~1e-26); the sign of that residue
 * lets the exchange go ahead or blocks it, so only the same arithmetic in the
 * same order reproduces all of Decide's rounds. This file is a second
 * implementation of the model (exchange.c is the binary floating-point one),
 * written operation by operation after Decide (ModelLoop.loop,
 * EqualGainExchange.calculate, AbstractExchangeActor.check_nbs,
 * AbstractExchange.recalculate), with a small decimal type of its own: Debian 12
 * ships no libmpdec, and the model needs only +, -, x, / and comparisons. */
#include "parley/bargain_exchange.h"

#include "core/alloc.h"
#include "internal.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- 28-digit decimals ---- */

#define DEC_BASE 1000000000u
#define DEC_LIMBS 40               /* base 1e9: 360 digits */
#define DEC_MAXD (9 * DEC_LIMBS)
#define DEC_PREC 28                /* Python's default context */
#define DEC_OPERAND_MAXD 150       /* operands are rounded to this before an exact product */

/* value = (-1)^neg x coefficient x 10^exp; coefficient in base-1e9 limbs, least
 * significant first, n of them used (n = 0 is zero, never negative). */
typedef struct dec {
    uint32_t d[DEC_LIMBS];
    int n;
    int exp;
    bool neg;
} dec;

static const uint32_t pow10_small[10] = {1u,      10u,      100u,      1000u,      10000u,
                                         100000u, 1000000u, 10000000u, 100000000u, 1000000000u};

static void dec_trim(dec *x)
{
    while (x->n > 0 && x->d[x->n - 1] == 0)
        x->n--;
    if (x->n == 0)
        x->neg = false;
}

static int limb_digits(uint32_t v)
{
    int k = 1;
    while (k < 10 && v >= pow10_small[k])
        k++;
    return k;
}

static int dec_digits(const dec *x)
{
    return x->n == 0 ? 0 : 9 * (x->n - 1) + limb_digits(x->d[x->n - 1]);
}

static dec dec_zero(void)
{
    dec z;
    memset(&z, 0, sizeof z);
    return z;
}

static dec dec_int(uint32_t v)
{
    dec z = dec_zero();
    if (v >= DEC_BASE) {
        z.d[0] = v % DEC_BASE;
        z.d[1] = v / DEC_BASE;
        z.n = 2;
    } else {
        z.d[0] = v;
        z.n = 1;
    }
    dec_trim(&z);
    return z;
}

/* coefficient *= m (m <= 1e9); the caller keeps it within DEC_LIMBS. */
static void mul_small(dec *x, uint32_t m)
{
    uint64_t carry = 0;
    for (int k = 0; k < x->n; k++) {
        uint64_t t = (uint64_t)x->d[k] * m + carry;
        x->d[k] = (uint32_t)(t % DEC_BASE);
        carry = t / DEC_BASE;
    }
    while (carry && x->n < DEC_LIMBS) {
        x->d[x->n++] = (uint32_t)(carry % DEC_BASE);
        carry /= DEC_BASE;
    }
    dec_trim(x);
}

/* coefficient /= m (1 <= m <= 1e9), returns the remainder. */
static uint32_t div_small(dec *x, uint32_t m)
{
    uint64_t rem = 0;
    for (int k = x->n - 1; k >= 0; k--) {
        uint64_t t = rem * DEC_BASE + x->d[k];
        x->d[k] = (uint32_t)(t / m);
        rem = t % m;
    }
    dec_trim(x);
    return (uint32_t)rem;
}

/* coefficient *= 10^k, exp -= k (value unchanged); k + digits <= DEC_MAXD. */
static void shift_up(dec *x, int k)
{
    if (x->n == 0 || k <= 0) {
        x->exp -= k > 0 ? k : 0;
        return;
    }
    int limbs = k / 9;
    if (limbs) {
        memmove(x->d + limbs, x->d, (size_t)x->n * sizeof x->d[0]);
        memset(x->d, 0, (size_t)limbs * sizeof x->d[0]);
        x->n += limbs;
    }
    mul_small(x, pow10_small[k % 9]);
    x->exp -= k;
}

/* Drops the k lowest digits (exp += k); returns the first dropped digit and sets
 * *sticky when any later dropped digit is non-zero. */
static int drop_digits(dec *x, int k, bool *sticky)
{
    int limbs = k / 9, rest = k % 9, round_digit = 0;
    *sticky = false;
    if (limbs > x->n)
        limbs = x->n;
    if (limbs > 0) {
        for (int m = 0; m < limbs - 1; m++)
            if (x->d[m])
                *sticky = true;
        uint32_t top = x->d[limbs - 1];
        if (rest == 0) {
            round_digit = (int)(top / 100000000u);
            if (top % 100000000u)
                *sticky = true;
        } else if (top) {
            *sticky = true;
        }
        memmove(x->d, x->d + limbs, (size_t)(x->n - limbs) * sizeof x->d[0]);
        x->n -= limbs;
    }
    if (rest > 0) {
        uint32_t r = div_small(x, pow10_small[rest]);
        round_digit = (int)(r / pow10_small[rest - 1]);
        if (r % pow10_small[rest - 1])
            *sticky = true;
    }
    dec_trim(x);
    x->exp += k;
    return round_digit;
}

/* Rounds to `prec` significant digits, half to even. */
static void dec_round(dec *x, int prec)
{
    int nd = dec_digits(x);
    if (nd <= prec)
        return;
    bool neg = x->neg, sticky;
    int rd = drop_digits(x, nd - prec, &sticky);
    if (rd > 5 || (rd == 5 && (sticky || (x->n > 0 && (x->d[0] & 1u))))) {
        if (x->n == 0) {
            x->d[0] = 1;
            x->n = 1;
        } else {
            int k = 0;
            while (k < x->n && ++x->d[k] == DEC_BASE)
                x->d[k++] = 0;
            if (k == x->n)
                x->d[x->n++] = 1;
        }
        if (dec_digits(x) > prec) {
            bool s2;
            (void)drop_digits(x, 1, &s2); /* 10^prec: the dropped digit is 0 */
        }
    }
    x->neg = neg && x->n > 0;
}

/* Magnitude comparison of coefficients at the same exponent. */
static int coef_cmp(const dec *a, const dec *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int k = a->n - 1; k >= 0; k--)
        if (a->d[k] != b->d[k])
            return a->d[k] < b->d[k] ? -1 : 1;
    return 0;
}

/* a.coef -= b.coef (a >= b, same exponent). */
static void coef_sub(dec *a, const dec *b)
{
    int64_t borrow = 0;
    for (int k = 0; k < a->n; k++) {
        int64_t t = (int64_t)a->d[k] - (k < b->n ? (int64_t)b->d[k] : 0) - borrow;
        borrow = t < 0;
        a->d[k] = (uint32_t)(t < 0 ? t + DEC_BASE : t);
    }
    dec_trim(a);
}

static void coef_add(dec *a, const dec *b)
{
    uint32_t carry = 0;
    int n = a->n > b->n ? a->n : b->n;
    for (int k = 0; k < n; k++) {
        uint32_t t = (k < a->n ? a->d[k] : 0) + (k < b->n ? b->d[k] : 0) + carry;
        carry = t >= DEC_BASE;
        a->d[k] = carry ? t - DEC_BASE : t;
    }
    a->n = n;
    if (carry && a->n < DEC_LIMBS)
        a->d[a->n++] = 1;
}

/* Brings x and y to a common exponent without changing how their sum rounds:
 * when y lies entirely far below x, its low digits collapse into one sticky digit. */
static void align(dec *x, dec *y)
{
    if (x->exp < y->exp) {
        align(y, x);
        return;
    }
    int shift = x->exp - y->exp, room = DEC_MAXD - 2 - dec_digits(x);
    if (shift > room) {
        bool sticky;
        (void)drop_digits(y, shift - room + 1, &sticky);
        bool nonzero = sticky || y->n > 0;
        bool neg = y->neg;
        mul_small(y, 10);
        if (nonzero) {
            if (y->n == 0) {
                y->d[0] = 1;
                y->n = 1;
            } else {
                y->d[0] += 1;
            }
            y->neg = neg;
        }
        y->exp -= 1;
        shift = x->exp - y->exp;
    }
    shift_up(x, shift);
}

static dec dec_add(dec a, dec b)
{
    if (b.n == 0) {
        dec_round(&a, DEC_PREC);
        return a;
    }
    if (a.n == 0) {
        dec_round(&b, DEC_PREC);
        return b;
    }
    align(&a, &b);
    if (a.neg == b.neg) {
        coef_add(&a, &b);
    } else {
        int c = coef_cmp(&a, &b);
        if (c == 0)
            return dec_zero();
        if (c > 0) {
            coef_sub(&a, &b);
        } else {
            coef_sub(&b, &a);
            a = b;
        }
    }
    dec_round(&a, DEC_PREC);
    return a;
}

static dec dec_neg(dec a)
{
    a.neg = a.n > 0 && !a.neg;
    return a;
}

static dec dec_sub(dec a, dec b) { return dec_add(a, dec_neg(b)); }

static dec dec_abs(dec a)
{
    a.neg = false;
    return a;
}

static dec dec_mul(dec a, dec b)
{
    dec_round(&a, DEC_OPERAND_MAXD);
    dec_round(&b, DEC_OPERAND_MAXD);
    dec r = dec_zero();
    if (a.n == 0 || b.n == 0)
        return r;
    uint32_t acc[2 * DEC_LIMBS];
    memset(acc, 0, sizeof acc);
    for (int i = 0; i < a.n; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < b.n; j++) {
            uint64_t t = (uint64_t)a.d[i] * b.d[j] + acc[i + j] + carry;
            acc[i + j] = (uint32_t)(t % DEC_BASE);
            carry = t / DEC_BASE;
        }
        acc[i + b.n] = (uint32_t)carry;
    }
    r.n = a.n + b.n;
    memcpy(r.d, acc, (size_t)r.n * sizeof r.d[0]);
    r.exp = a.exp + b.exp;
    r.neg = a.neg != b.neg;
    dec_trim(&r);
    dec_round(&r, DEC_PREC);
    return r;
}

/* q = u / v on coefficients (Knuth's algorithm D in base 1e9); returns whether the
 * remainder is non-zero. u->n >= v->n > 0. */
static bool coef_divmod(const dec *u, const dec *v, dec *q)
{
    *q = dec_zero();
    int vn = v->n, un = u->n;
    if (vn == 1) {
        *q = *u;
        q->neg = false;
        q->exp = 0;
        return div_small(q, v->d[0]) != 0;
    }
    /* V is zeroed for cppcheck: its vn limbs are written before any read. */
    uint32_t U[DEC_LIMBS + 1], V[DEC_LIMBS] = {0};
    uint32_t f = DEC_BASE / (v->d[vn - 1] + 1);
    uint64_t carry = 0;
    for (int k = 0; k < un; k++) {
        uint64_t t = (uint64_t)u->d[k] * f + carry;
        U[k] = (uint32_t)(t % DEC_BASE);
        carry = t / DEC_BASE;
    }
    U[un] = (uint32_t)carry;
    carry = 0;
    for (int k = 0; k < vn; k++) {
        uint64_t t = (uint64_t)v->d[k] * f + carry;
        V[k] = (uint32_t)(t % DEC_BASE);
        carry = t / DEC_BASE;
    }
    for (int j = un - vn; j >= 0; j--) {
        uint64_t num = (uint64_t)U[j + vn] * DEC_BASE + U[j + vn - 1];
        uint64_t qhat = num / V[vn - 1], rhat = num % V[vn - 1];
        while (qhat >= DEC_BASE || qhat * V[vn - 2] > rhat * DEC_BASE + U[j + vn - 2]) {
            qhat--;
            rhat += V[vn - 1];
            if (rhat >= DEC_BASE)
                break;
        }
        int64_t borrow = 0;
        carry = 0;
        for (int k = 0; k < vn; k++) {
            uint64_t p = qhat * V[k] + carry;
            carry = p / DEC_BASE;
            int64_t t = (int64_t)U[j + k] - (int64_t)(p % DEC_BASE) - borrow;
            borrow = t < 0;
            U[j + k] = (uint32_t)(t < 0 ? t + DEC_BASE : t);
        }
        int64_t t = (int64_t)U[j + vn] - (int64_t)carry - borrow;
        if (t < 0) {
            U[j + vn] = (uint32_t)(t + DEC_BASE);
            qhat--;
            uint32_t c = 0;
            for (int k = 0; k < vn; k++) {
                uint32_t s = U[j + k] + V[k] + c;
                c = s >= DEC_BASE;
                U[j + k] = c ? s - DEC_BASE : s;
            }
            U[j + vn] = (U[j + vn] + c) % DEC_BASE;
        } else {
            U[j + vn] = (uint32_t)t;
        }
        q->d[j] = (uint32_t)qhat;
    }
    q->n = un - vn + 1;
    dec_trim(q);
    for (int k = 0; k < vn; k++)
        if (U[k])
            return true;
    return false;
}

/* a / b correctly rounded; *div0 is set (and 0 returned) when b is zero. */
static dec dec_div(dec a, dec b, bool *div0)
{
    if (b.n == 0) {
        *div0 = true;
        return dec_zero();
    }
    if (a.n == 0)
        return dec_zero();
    dec_round(&a, DEC_OPERAND_MAXD);
    dec_round(&b, DEC_OPERAND_MAXD);
    int s = dec_digits(&b) + DEC_PREC + 11 - dec_digits(&a);
    if (s < 0)
        s = 0;
    shift_up(&a, s);
    dec q;
    bool rem = coef_divmod(&a, &b, &q);
    q.exp = a.exp - b.exp;
    q.neg = a.neg != b.neg;
    if (rem) {
        mul_small(&q, 10);
        q.d[0] += 1;
        q.exp -= 1;
    }
    dec_trim(&q);
    dec_round(&q, DEC_PREC);
    return q;
}

static int dec_cmp(const dec *a, const dec *b)
{
    dec d = dec_sub(*a, *b);
    return d.n == 0 ? 0 : d.neg ? -1 : 1;
}

static bool dec_lt(dec a, dec b) { return dec_cmp(&a, &b) < 0; }
static bool dec_gt(dec a, dec b) { return dec_cmp(&a, &b) > 0; }
static bool dec_le(dec a, dec b) { return dec_cmp(&a, &b) <= 0; }
static bool dec_ge(dec a, dec b) { return dec_cmp(&a, &b) >= 0; }

/* Parses [-]digits[point digits][e[+-]digits] where the point is any single
 * non-digit other than 'e' (the C locale's or another's decimal separator). */
static bool dec_parse(const char *s, dec *out)
{
    dec x = dec_zero();
    bool neg = false, any = false;
    int frac = 0, e = 0;
    bool after_point = false;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s >= '0' && *s <= '9') {
            if (dec_digits(&x) >= DEC_MAXD - 2)
                return false;
            mul_small(&x, 10);
            if (*s != '0') {
                if (x.n == 0) {
                    x.d[0] = 0;
                    x.n = 1;
                }
                x.d[0] += (uint32_t)(*s - '0');
            }
            frac += after_point;
            any = true;
        } else if (!after_point) {
            after_point = true;
        } else {
            return false;
        }
    }
    if (*s == 'e' || *s == 'E') {
        char *end;
        long v = strtol(s + 1, &end, 10);
        if (*end || v < -100000 || v > 100000)
            return false;
        e = (int)v;
    }
    if (!any)
        return false;
    x.exp = e - frac;
    x.neg = neg;
    dec_trim(&x);
    *out = x;
    return true;
}

/* The shortest decimal that reads back as v: what Decide parsed from the text
 * the input came from (D('0.95') rather than the binary 0.95). */
static dec dec_from_input(double v)
{
    char buf[64];
    dec x = dec_zero();
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, v);
        if (strtod(buf, NULL) == v || p == 17)
            break;
    }
    (void)dec_parse(buf, &x);
    return x;
}

/* v exactly, as Python's Decimal(float) (Decide's Decimal(0.4)). */
static dec dec_from_double(double v)
{
    dec x = dec_zero();
    if (v == 0.0 || !isfinite(v))
        return x;
    int e2;
    double m = frexp(fabs(v), &e2);
    uint64_t mant = (uint64_t)ldexp(m, 53);
    e2 -= 53;
    while (mant && !(mant & 1u)) {
        mant >>= 1;
        e2++;
    }
    x.d[0] = (uint32_t)(mant % DEC_BASE);
    x.d[1] = (uint32_t)((mant / DEC_BASE) % DEC_BASE);
    x.d[2] = (uint32_t)(mant / DEC_BASE / DEC_BASE);
    x.n = 3;
    dec_trim(&x);
    for (; e2 > 0; e2--) {
        mul_small(&x, 2);
        dec_round(&x, DEC_OPERAND_MAXD);
    }
    for (; e2 < 0; e2++) {
        mul_small(&x, 5);
        x.exp -= 1;
        dec_round(&x, DEC_OPERAND_MAXD);
    }
    x.neg = v < 0.0;
    return x;
}

static double dec_to_double(const dec *x)
{
    char buf[DEC_MAXD + 32], *p = buf;
    if (x->n == 0)
        return 0.0;
    if (x->neg)
        *p++ = '-';
    p += sprintf(p, "%u", (unsigned)x->d[x->n - 1]);
    for (int k = x->n - 2; k >= 0; k--)
        p += sprintf(p, "%09u", (unsigned)x->d[k]);
    sprintf(p, "e%d", x->exp);
    return strtod(buf, NULL);
}

/* ---- The model ---- */

/* Declared here and in exchange.c, its one caller: rounds 1..h->rounds in Decide's
 * decimals. Block 0 of h->voting and h->preference is the input; this fills the
 * later blocks (positions on each issue's scale, converted to double) and
 * h->exchanges; *rec_cap is the capacity of h->exchanges. */
parley_status parley__exchange_decimal_rounds(const parley_bargain_problem *p,
                                              const parley_exchange_options *o,
                                              parley_exchange_history *h, size_t *rec_cap,
                                              parley_error *err);

/* One actor's side (Decide's AbstractExchangeActor): it supplies (moves on) sup
 * and demands dem. */
typedef struct dxa {
    size_t actor, sup, dem;
    dec spos;  /* supply position, moved by executed exchanges */
    dec dpos;  /* position on the demand issue (round start) */
    dec start; /* round-start position on sup */
    dec move, y;
    dec *moves; /* Decide's list of this side's moves */
    size_t n_moves, cap_moves;
} dxa;

typedef struct dupd {
    size_t issue, actor;
    dec pos;
} dupd;

typedef struct dex {
    dxa s[2]; /* Decide's i and j */
    dec gain;
    bool valid;
    dupd *upd;
    size_t n_upd, cap_upd;
} dex;

typedef struct dctx {
    size_t na, ni;
    const double *w; /* c s: present where > 0 */
    dec *pos, *sal, *pow; /* cells; pos is Decide's ai.position */
    dec *den;             /* per issue, sum s c */
    dec zero, hundred, min_move, min_gain;
    bool oom, div0;
} dctx;

static size_t dix(const dctx *c, size_t a, size_t i) { return a * c->ni + i; }

static dec ddiv(dctx *c, dec a, dec b) { return dec_div(a, b, &c->div0); }

static void moves_push(dctx *c, dxa *x, dec m)
{
    if (x->n_moves == x->cap_moves) {
        size_t cap = x->cap_moves ? 2 * x->cap_moves : 4;
        dec *g = parley__realloc_array(x->moves, cap, sizeof *g);
        if (!g) {
            c->oom = true;
            return;
        }
        x->moves = g;
        x->cap_moves = cap;
    }
    x->moves[x->n_moves++] = m;
}

static void moves_pop(dxa *x)
{
    if (x->n_moves > 0)
        x->n_moves--;
}

static dec moves_last(const dxa *x) { return x->n_moves ? x->moves[x->n_moves - 1] : dec_zero(); }

/* Decide's is_move_valid. */
static bool dvalid(const dctx *c, const dxa *x, dec move)
{
    dec a = dec_abs(move);
    if (dec_gt(a, c->hundred) || dec_le(a, c->min_move))
        return false;
    dec to = dec_add(x->spos, move);
    if (dec_lt(to, c->zero) || dec_gt(to, c->hundred))
        return false;
    if (x->n_moves == 0)
        return false;
    dec sum = c->zero, mn = x->moves[0], mx = x->moves[0];
    for (size_t k = 0; k < x->n_moves; k++) {
        sum = dec_add(sum, x->moves[k]);
        if (dec_lt(x->moves[k], mn))
            mn = x->moves[k];
        if (dec_gt(x->moves[k], mx))
            mx = x->moves[k];
    }
    if (dec_gt(sum, c->hundred))
        return false;
    return (dec_lt(mn, c->zero) && dec_lt(mx, c->zero)) ||
           (dec_gt(mn, c->zero) && dec_gt(mx, c->zero));
}

static const dupd *find_upd(const dex *e, size_t issue, size_t actor)
{
    for (size_t k = 0; k < e->n_upd; k++)
        if (e->upd[k].issue == issue && e->upd[k].actor == actor)
            return &e->upd[k];
    return NULL;
}

/* sum (x s) c over the issue's actors in input order, x from the round's positions
 * with the exchange's updates and `actor` at `at`; own_last: the actor's own
 * position wins over an update (adjusted_nbs) or not (adjusted_nbs_by_position). */
static dec view_num(const dctx *c, const dex *e, size_t issue, size_t actor, dec at, bool own_last)
{
    dec num = c->zero;
    for (size_t a = 0; a < c->na; a++) {
        size_t k = dix(c, a, issue);
        if (!(c->w[k] > 0.0))
            continue;
        dec x = c->pos[k];
        const dupd *u = find_upd(e, issue, a);
        if (a == actor && (own_last || !u))
            x = at;
        else if (u)
            x = u->pos;
        num = dec_add(num, dec_mul(dec_mul(x, c->sal[k]), c->pow[k]));
    }
    return num;
}

static void dcheck_nbs(dctx *c, dex *e, int side)
{
    dxa *s = &e->s[side], *o = &e->s[1 - side];
    size_t S = s->sup, D = s->dem;
    dec nbs0 = c->zero, nbs1 = c->zero;
    if (c->den[S].n) {
        nbs0 = ddiv(c, view_num(c, e, S, s->actor, s->spos, true), c->den[S]);
        nbs1 = ddiv(c, view_num(c, e, S, s->actor, s->y, true), c->den[S]);
    }
    dec x = o->dpos;
    dec d0 = dec_sub(x, nbs0), d1 = dec_sub(x, nbs1);
    if ((dec_ge(d0, c->zero) && dec_ge(d1, c->zero)) || (dec_le(d0, c->zero) && dec_le(d1, c->zero)))
        return;
    size_t sS = dix(c, s->actor, S), sD = dix(c, s->actor, D);
    size_t oS = dix(c, o->actor, S), oD = dix(c, o->actor, D);
    dec nom = view_num(c, e, S, s->actor, s->spos, false);
    dec left = dec_sub(dec_mul(x, c->den[S]), nom);
    dec delta = dec_abs(ddiv(c, left, dec_mul(c->sal[sS], c->pow[sS])));
    dec dp = ddiv(c, dec_mul(dec_mul(delta, c->sal[sS]), c->pow[sS]), c->den[S]);
    dec dq = dec_mul(ddiv(c, dec_add(c->sal[sS], c->sal[oS]), dec_add(c->sal[sD], c->sal[oD])), dp);
    o->move = dec_abs(ddiv(c, dec_mul(dq, c->den[D]), dec_mul(c->pow[oD], c->sal[oD])));
    s->move = delta;
    if (dec_gt(o->spos, s->dpos))
        o->move = dec_neg(o->move);
    if (dec_gt(s->spos, x))
        s->move = dec_neg(s->move);
    moves_pop(o);
    moves_pop(s);
    moves_push(c, o, o->move);
    moves_push(c, s, s->move);
    o->y = dec_add(o->spos, o->move);
    s->y = dec_add(s->spos, s->move);
    e->gain = dec_abs(dec_sub(dec_mul(dq, c->sal[oD]), dec_mul(dp, c->sal[oS])));
}

/* (|target - from| s c) / sum s c on the mover's supply issue (Decide's by_absolute_move). */
static dec by_abs(dctx *c, dec target, const dxa *mover)
{
    size_t k = dix(c, mover->actor, mover->sup);
    return ddiv(c, dec_mul(dec_mul(dec_abs(dec_sub(target, mover->spos)), c->sal[k]), c->pow[k]),
                c->den[mover->sup]);
}

/* Decide's by_exchange_ratio for side sa (partner d) and shift r. */
static dec by_er(dctx *c, const dxa *sa, const dxa *d, dec r)
{
    dec a = dec_add(c->sal[dix(c, sa->actor, sa->sup)], c->sal[dix(c, d->actor, sa->sup)]);
    dec b = dec_add(c->sal[dix(c, sa->actor, sa->dem)], c->sal[dix(c, d->actor, sa->dem)]);
    return dec_mul(ddiv(c, a, b), r);
}

/* Decide's reverse_move: the move of x that shifts its supply issue's compromise by r. */
static dec rev_move(dctx *c, const dxa *x, dec r)
{
    size_t k = dix(c, x->actor, x->sup);
    return ddiv(c, dec_mul(r, c->den[x->sup]), dec_mul(c->pow[k], c->sal[k]));
}

static void dcalculate(dctx *c, dex *e)
{
    dxa *i = &e->s[0], *j = &e->s[1];
    dec dp = by_abs(c, i->dpos, j);
    dec dq = by_er(c, j, i, dp);
    i->move = rev_move(c, i, dq);
    j->move = dec_abs(dec_sub(i->dpos, j->spos));
    if (dec_gt(dec_abs(i->move), dec_abs(dec_sub(j->dpos, i->spos)))) {
        dq = by_abs(c, j->dpos, i);
        dp = by_er(c, i, j, dq);
        i->move = dec_abs(dec_sub(j->dpos, i->spos));
        j->move = rev_move(c, j, dp);
    }
    if (dec_gt(i->spos, j->dpos))
        i->move = dec_neg(i->move);
    if (dec_gt(j->spos, i->dpos))
        j->move = dec_neg(j->move);
    moves_push(c, i, i->move);
    moves_push(c, j, j->move);
    i->y = dec_add(i->spos, i->move);
    j->y = dec_add(j->spos, j->move);
    e->gain = dec_abs(dec_sub(dec_mul(dq, c->sal[dix(c, i->actor, i->sup)]),
                              dec_mul(dp, c->sal[dix(c, i->actor, i->dem)])));
    e->valid = dvalid(c, i, i->move) && dvalid(c, j, j->move);
    if (dec_lt(e->gain, c->min_gain))
        e->valid = false;
    if (e->valid) {
        dcheck_nbs(c, e, 0);
        dcheck_nbs(c, e, 1);
        e->valid = dvalid(c, i, i->move) && dvalid(c, j, j->move);
    }
}

static void set_upd(dctx *c, dex *e, size_t issue, size_t actor, dec pos)
{
    for (size_t k = 0; k < e->n_upd; k++)
        if (e->upd[k].issue == issue && e->upd[k].actor == actor) {
            e->upd[k].pos = pos;
            return;
        }
    if (e->n_upd == e->cap_upd) {
        size_t cap = e->cap_upd ? 2 * e->cap_upd : 4;
        dupd *g = parley__realloc_array(e->upd, cap, sizeof *g);
        if (!g) {
            c->oom = true;
            return;
        }
        e->upd = g;
        e->cap_upd = cap;
    }
    e->upd[e->n_upd++] = (dupd){.issue = issue, .actor = actor, .pos = pos};
}

/* Decide's update of the exchange's view of mover's position on issue di. */
static void note_move(dctx *c, dex *e, const dxa *mover, size_t di)
{
    const dupd *u = find_upd(e, di, mover->actor);
    if (!u) {
        set_upd(c, e, di, mover->actor, mover->y);
        return;
    }
    dec up = u->pos, v;
    if (dec_le(mover->start, up))
        v = dec_lt(up, mover->y) ? up : mover->y;
    else
        v = dec_gt(up, mover->y) ? up : mover->y;
    set_upd(c, e, di, mover->actor, v);
}

static bool same_supply(const dxa *a, const dxa *b) { return a->actor == b->actor && a->sup == b->sup; }
static bool same_demand(const dxa *a, const dxa *b) { return a->actor == b->actor && a->dem == b->dem; }

/* Decide's recalculate of e after r was executed. */
static void drecalc(dctx *c, dex *e, const dex *r)
{
    bool a = false, b = false;
    for (int t = 0; t < 2 && !a; t++)
        if (same_supply(&e->s[0], &r->s[t])) {
            e->s[0].spos = r->s[t].y;
            moves_push(c, &e->s[0], moves_last(&r->s[t]));
            a = true;
        }
    for (int t = 0; t < 2 && !b; t++)
        if (same_supply(&e->s[1], &r->s[t])) {
            e->s[1].spos = r->s[t].y;
            moves_push(c, &e->s[1], moves_last(&r->s[t]));
            b = true;
        }
    bool re = a || b;
    if (re) {
        moves_pop(&e->s[0]);
        moves_pop(&e->s[1]);
    }
    for (int t = 1; t >= 0; t--) {
        const dxa *demander = &r->s[t], *mover = &r->s[1 - t];
        if (!same_demand(demander, &e->s[1]) && !same_demand(demander, &e->s[0]))
            continue;
        note_move(c, e, mover, demander->dem);
        if (!re) {
            moves_pop(&e->s[0]);
            moves_pop(&e->s[1]);
            re = true;
        }
    }
    if (re)
        dcalculate(c, e);
}

static void free_dex(dex *e)
{
    parley__free(e->s[0].moves);
    parley__free(e->s[1].moves);
    parley__free(e->upd);
}

static void dinit_side(const dctx *c, dxa *x, size_t actor, size_t dem, size_t sup)
{
    memset(x, 0, sizeof *x);
    x->actor = actor;
    x->sup = sup;
    x->dem = dem;
    x->spos = x->start = c->pos[dix(c, actor, sup)];
    x->dpos = c->pos[dix(c, actor, dem)];
}

static void calc_den(dctx *c, dec *nbs)
{
    for (size_t i = 0; i < c->ni; i++) {
        dec den = c->zero, num = c->zero;
        for (size_t a = 0; a < c->na; a++) {
            size_t k = dix(c, a, i);
            if (!(c->w[k] > 0.0))
                continue;
            den = dec_add(den, dec_mul(c->sal[k], c->pow[k]));
            num = dec_add(num, dec_mul(dec_mul(c->pos[k], c->sal[k]), c->pow[k]));
        }
        c->den[i] = den;
        nbs[i] = den.n ? ddiv(c, num, den) : c->zero;
    }
}

typedef struct dround {
    dex *ex;
    size_t n_ex, cap_ex;
    size_t *order;
    unsigned char *left;
    dec *nbs;
    size_t *group;
} dround;

static parley_status add_dex(dctx *c, dround *rw, size_t ai, size_t aj, size_t p, size_t q)
{
    if (rw->n_ex == rw->cap_ex) {
        size_t cap = rw->cap_ex ? 2 * rw->cap_ex : 64;
        dex *g = parley__realloc_array(rw->ex, cap, sizeof *g);
        if (!g)
            return PARLEY_ENOMEM;
        rw->ex = g;
        rw->cap_ex = cap;
    }
    dex *e = &rw->ex[rw->n_ex];
    memset(e, 0, sizeof *e);
    dec ri = ddiv(c, c->sal[dix(c, ai, p)], c->sal[dix(c, ai, q)]);
    dec rj = ddiv(c, c->sal[dix(c, aj, p)], c->sal[dix(c, aj, q)]);
    if (dec_lt(ri, rj)) {
        dinit_side(c, &e->s[0], aj, p, q);
        dinit_side(c, &e->s[1], ai, q, p);
    } else {
        dinit_side(c, &e->s[0], ai, p, q);
        dinit_side(c, &e->s[1], aj, q, p);
    }
    dcalculate(c, e);
    if (e->valid && !c->oom)
        rw->n_ex++;
    else
        free_dex(e);
    return c->oom ? PARLEY_ENOMEM : PARLEY_OK;
}

static dec to_scale(dctx *c, const parley_bargain_problem *p, size_t i, dec v)
{
    dec lo = dec_from_input(p->scale_min[i]), hi = dec_from_input(p->scale_max[i]);
    dec step = ddiv(c, c->hundred, dec_sub(hi, lo));
    return dec_add(ddiv(c, v, step), lo);
}

static parley_status record(dctx *c, const parley_bargain_problem *p, parley_exchange_history *h,
                            size_t *cap, const dex *r, size_t round)
{
    if (h->n_exchanges == *cap) {
        size_t ncap = *cap ? 2 * *cap : 64;
        parley_exchange_record *g = parley__realloc_array(h->exchanges, ncap, sizeof *g);
        if (!g)
            return PARLEY_ENOMEM;
        h->exchanges = g;
        *cap = ncap;
    }
    parley_exchange_record *rec = &h->exchanges[h->n_exchanges++];
    rec->round = round;
    for (int t = 0; t < 2; t++) {
        const dxa *x = &r->s[t];
        rec->actor[t] = x->actor;
        rec->supply_issue[t] = x->sup;
        dec a = to_scale(c, p, x->sup, x->spos), b = to_scale(c, p, x->sup, x->y);
        rec->start[t] = dec_to_double(&a);
        rec->voting[t] = dec_to_double(&b);
        rec->gain[t] = dec_to_double(&r->gain);
    }
    return PARLEY_OK;
}

static void free_round(dround *rw)
{
    for (size_t k = 0; k < rw->n_ex; k++)
        free_dex(&rw->ex[k]);
    rw->n_ex = 0;
}

static parley_status drun_round(dctx *c, dround *rw, const parley_bargain_problem *p,
                                const parley_exchange_options *o, parley_exchange_history *h,
                                size_t *rec_cap, size_t round)
{
    size_t na = c->na, ni = c->ni;
    calc_den(c, rw->nbs);
    for (size_t a = 0; a < na; a++)
        for (size_t i = 0; i < ni; i++)
            rw->left[dix(c, a, i)] = dec_le(c->pos[dix(c, a, i)], rw->nbs[i]);
    free_round(rw);
    for (size_t pi = 0; pi < ni; pi++)
        for (size_t qi = pi + 1; qi < ni; qi++) {
            /* Issue groups (DEU: proposals) never share an exchange. */
            if (p->issue_group && p->issue_group[pi] != p->issue_group[qi])
                continue;
            size_t n_group[4] = {0, 0, 0, 0};
            for (size_t a = 0; a < na; a++) {
                if (!(c->w[dix(c, a, pi)] > 0.0) || !(c->w[dix(c, a, qi)] > 0.0))
                    continue;
                int g = rw->left[dix(c, a, pi)] | (rw->left[dix(c, a, qi)] << 1);
                rw->group[(size_t)g * na + n_group[g]++] = a;
            }
            static const int pairs[2][2] = {{0, 3}, {1, 2}};
            for (int pr = 0; pr < 2; pr++) {
                int gi = pairs[pr][0], gj = pairs[pr][1];
                for (size_t u = 0; u < n_group[gi]; u++)
                    for (size_t v = 0; v < n_group[gj]; v++)
                        if (add_dex(c, rw, rw->group[(size_t)gi * na + u],
                                    rw->group[(size_t)gj * na + v], pi, qi) != PARLEY_OK)
                            return PARLEY_ENOMEM;
            }
        }
    size_t *order = parley__realloc_array(rw->order, 2 * rw->n_ex + 1, sizeof *order);
    if (!order)
        return PARLEY_ENOMEM;
    rw->order = order;
    size_t n_live = rw->n_ex, *done = order + rw->n_ex, n_done = 0;
    for (size_t k = 0; k < n_live; k++)
        order[k] = k;
    while (n_live > 0) {
        /* Decide re-sorts its list stably by gain, highest first, before each choice. */
        for (size_t k = 1; k < n_live; k++) {
            size_t key = order[k], m = k;
            while (m > 0 && dec_lt(rw->ex[order[m - 1]].gain, rw->ex[key].gain)) {
                order[m] = order[m - 1];
                m--;
            }
            order[m] = key;
        }
        const dex *r = &rw->ex[order[0]];
        done[n_done++] = order[0];
        if (record(c, p, h, rec_cap, r, round) != PARLEY_OK)
            return PARLEY_ENOMEM;
        size_t kept = 0;
        for (size_t k = 1; k < n_live; k++) {
            dex *e = &rw->ex[order[k]];
            drecalc(c, e, r);
            if (c->oom)
                return PARLEY_ENOMEM;
            if (e->valid)
                order[kept++] = order[k];
        }
        n_live = kept;
    }
    /* Voting positions: the last executed exchange of each actor on each issue. */
    for (size_t k = 0; k < n_done; k++)
        for (int t = 0; t < 2; t++) {
            const dxa *x = &rw->ex[done[k]].s[t];
            c->pos[dix(c, x->actor, x->sup)] = x->y;
        }
    double *vb = h->voting + round * na * ni;
    for (size_t a = 0; a < na; a++)
        for (size_t i = 0; i < ni; i++) {
            size_t k = dix(c, a, i);
            dec v = to_scale(c, p, i, c->pos[k]);
            vb[k] = c->w[k] > 0.0 ? dec_to_double(&v) : p->position[k];
        }
    /* Decide's new_start_position, in its order of operations. */
    dec one = dec_int(1);
    dec sw = dec_from_double(o->salience_weight), fw = dec_from_double(o->fixed_weight);
    for (size_t k = 0; k < n_done; k++)
        for (int t = 0; t < 2; t++) {
            const dxa *x = &rw->ex[done[k]].s[t];
            dec s = c->sal[dix(c, x->actor, x->sup)];
            dec share = dec_mul(dec_sub(one, s), sw);
            dec moved = dec_add(dec_mul(share, x->y), dec_mul(fw, x->y));
            dec kept = dec_mul(dec_sub(dec_sub(one, share), fw), x->start);
            c->pos[dix(c, x->actor, x->sup)] = dec_add(moved, kept);
        }
    double *pb = h->preference + round * na * ni;
    for (size_t a = 0; a < na; a++)
        for (size_t i = 0; i < ni; i++) {
            size_t k = dix(c, a, i);
            dec v = to_scale(c, p, i, c->pos[k]);
            pb[k] = c->w[k] > 0.0 ? dec_to_double(&v) : p->position[k];
        }
    return c->div0 ? PARLEY_EINPUT : PARLEY_OK;
}

parley_status parley__exchange_decimal_rounds(const parley_bargain_problem *p,
                                              const parley_exchange_options *o,
                                              parley_exchange_history *h, size_t *rec_cap,
                                              parley_error *err)
{
    size_t na = p->n_actors, ni = p->n_issues, cells = na * ni;
    dctx c;
    memset(&c, 0, sizeof c);
    c.na = na;
    c.ni = ni;
    c.zero = dec_zero();
    c.hundred = dec_int(100);
    (void)dec_parse("1e-10", &c.min_move);
    c.min_gain = c.min_move;
    dround rw;
    memset(&rw, 0, sizeof rw);
    double *w = PARLEY_NEW_ARRAY(double, cells);
    c.pos = PARLEY_NEW_ARRAY(dec, cells);
    c.sal = PARLEY_NEW_ARRAY(dec, cells);
    c.pow = PARLEY_NEW_ARRAY(dec, cells);
    c.den = PARLEY_NEW_ARRAY(dec, ni);
    rw.nbs = PARLEY_NEW_ARRAY(dec, ni);
    rw.left = PARLEY_NEW_ARRAY(unsigned char, cells);
    rw.group = PARLEY_NEW_ARRAY(size_t, 4 * na);
    parley_status st = PARLEY_OK;
    if (!w || !c.pos || !c.sal || !c.pow || !c.den || !rw.nbs || !rw.left || !rw.group) {
        st = PARLEY_ENOMEM;
        goto done;
    }
    c.w = w;
    for (size_t i = 0; i < ni; i++) {
        /* Decide's (x - lo) x step with step = 100 / (hi - lo). */
        dec lo = dec_from_input(p->scale_min[i]), hi = dec_from_input(p->scale_max[i]);
        dec step = ddiv(&c, c.hundred, dec_sub(hi, lo));
        for (size_t a = 0; a < na; a++) {
            size_t k = a * ni + i;
            w[k] = parley__bargain_weight(p, a, i);
            if (!(w[k] > 0.0))
                continue;
            c.pos[k] = dec_mul(dec_sub(dec_from_input(p->position[k]), lo), step);
            c.sal[k] = dec_from_input(p->salience[k]);
            c.pow[k] = dec_from_input(p->capability[k]);
        }
    }
    for (size_t r = 1; r <= h->rounds && st == PARLEY_OK; r++)
        st = drun_round(&c, &rw, p, o, h, rec_cap, r);
done:
    free_round(&rw);
    parley__free(rw.ex);
    parley__free(rw.order);
    parley__free(rw.nbs);
    parley__free(rw.left);
    parley__free(rw.group);
    parley__free(w);
    parley__free(c.pos);
    parley__free(c.sal);
    parley__free(c.pow);
    parley__free(c.den);
    if (st == PARLEY_ENOMEM)
        return parley_error_add(err, st, NULL,
                                "out of memory for the decimal exchange model (%zu actors x %zu "
                                "issues)", na, ni);
    if (st != PARLEY_OK)
        return parley_error_add(err, st, NULL,
                                "the decimal exchange model met a division by zero");
    return PARLEY_OK;
}
