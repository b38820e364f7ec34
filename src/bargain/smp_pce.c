/* KTAB's collective-choice primitives for SMP: votes, coalitions, victory
 * probabilities and the three probabilistic Condorcet elections (conditional,
 * Markov with uniform challenges, Markov with incentive-driven challenges).
 * Written from KTAB's kmodel.cpp; sums and products run in KTAB's order so
 * that results agree to the last bits that matter for its tie-breaking. */
#include "bargain/smp_internal.h"

#include <math.h>

size_t parley__smp_pce_scratch(size_t n_act, size_t n_opt)
{
    return 4 * n_opt * n_opt + n_opt + n_opt * n_act;
}

/* Strength transform of a coalition for the power-law victory models. */
static double vpm_power(parley_smp_victory_prob vpm, double s)
{
    switch (vpm) {
    case PARLEY_SMP_VPM_SQUARE:
        return s * s;
    case PARLEY_SMP_VPM_QUARTIC:
        return (s * s) * (s * s);
    case PARLEY_SMP_VPM_OCTIC: {
        const double q = (s * s) * (s * s);
        return q * q;
    }
    default:
        return s;
    }
}

/* KTAB Model::vProb(vpm, s1, s2): P[1 beats 2]. */
static void victory_pair(parley_smp_victory_prob vpm, double s1, double s2, double *p1,
                         double *p2)
{
    double x1;
    double x2;
    if (vpm == PARLEY_SMP_VPM_BINARY) {
        /* A 10% edge either way decides; in between, a linear ramp so that
         * round-off cannot flip the outcome. */
        const double thresh = 1.10;
        const double min_x = 1e-6;
        if (s1 >= thresh * s2) {
            x1 = 1.0;
            x2 = min_x;
        } else if (s2 >= thresh * s1) {
            x1 = min_x;
            x2 = 1.0;
        } else {
            const double r12 = s1 / (s1 + s2);
            const double p12 = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0);
            x1 = p12;
            x2 = 1 - p12;
        }
    } else {
        x1 = vpm_power(vpm, s1);
        x2 = vpm_power(vpm, s2);
    }
    *p1 = x1 / (x1 + x2);
    *p2 = x2 / (x1 + x2);
}

parley_status parley__smp_pce(size_t n_act, size_t n_opt, const double *w, const double *u,
                              size_t u_stride, parley_smp_voting_rule rule,
                              parley_smp_victory_prob vpm, parley_smp_pce pce, double *prob,
                              double *scratch)
{
    double *c = scratch;              /* n_opt x n_opt coalition strengths */
    double *pv = c + n_opt * n_opt;   /* n_opt x n_opt P[i beats j] */
    double *chlg = pv + n_opt * n_opt; /* Markov incentive: P[i challenges j] */
    double *ct = chlg + n_opt * n_opt;
    double *q = ct + n_opt * n_opt;
    const double min_c = 1e-8;

    /* Model::coalitions: for each pair i > j, every voter's vote goes to the
     * side it favours, summed over voters in order. The utilities are first
     * transposed so that each sum reads two contiguous rows, and two pairs are
     * summed at once to overlap the additions; adding 0, or -v instead of
     * subtracting v, is exact where KTAB skips or subtracts. */
    double *ut = q + n_opt; /* n_opt x n_act */
    for (size_t k = 0; k < n_act; k++) {
        for (size_t m = 0; m < n_opt; m++) {
            ut[m * n_act + k] = u[k * u_stride + m];
        }
    }
#define SMP_VOTE_INTO(cij, cji, v)                                                            \
    do {                                                                                      \
        const double nv_ = -(v);                                                              \
        (cij) = (cij) + ((v) > 0 ? (v) : 0.0);                                                \
        (cji) = (cji) + (nv_ > 0 ? nv_ : 0.0);                                                \
    } while (0)
    for (size_t i = 0; i < n_opt; i++) {
        const double *ui = ut + i * n_act;
        size_t j = 0;
        for (; j + 1 < i; j += 2) {
            const double *u0 = ut + j * n_act;
            const double *u1 = u0 + n_act;
            double a0 = min_c;
            double b0 = min_c;
            double a1 = min_c;
            double b1 = min_c;
            if (rule == PARLEY_SMP_VR_PROPORTIONAL) {
                for (size_t k = 0; k < n_act; k++) {
                    const double v0 = w[k] * (ui[k] - u0[k]);
                    const double v1 = w[k] * (ui[k] - u1[k]);
                    SMP_VOTE_INTO(a0, b0, v0);
                    SMP_VOTE_INTO(a1, b1, v1);
                }
            } else {
                for (size_t k = 0; k < n_act; k++) {
                    const double v0 = parley__smp_vote(rule, w[k], ui[k], u0[k]);
                    const double v1 = parley__smp_vote(rule, w[k], ui[k], u1[k]);
                    SMP_VOTE_INTO(a0, b0, v0);
                    SMP_VOTE_INTO(a1, b1, v1);
                }
            }
            c[i * n_opt + j] = a0;
            c[j * n_opt + i] = b0;
            c[i * n_opt + j + 1] = a1;
            c[(j + 1) * n_opt + i] = b1;
        }
        for (; j < i; j++) {
            const double *u0 = ut + j * n_act;
            double a0 = min_c;
            double b0 = min_c;
            for (size_t k = 0; k < n_act; k++) {
                const double v0 = parley__smp_vote(rule, w[k], ui[k], u0[k]);
                SMP_VOTE_INTO(a0, b0, v0);
            }
            c[i * n_opt + j] = a0;
            c[j * n_opt + i] = b0;
        }
        c[i * n_opt + i] = min_c;
    }
#undef SMP_VOTE_INTO
    for (size_t i = 0; i < n_opt; i++) {
        for (size_t j = 0; j < i; j++) {
            victory_pair(vpm, c[i * n_opt + j], c[j * n_opt + i], &pv[i * n_opt + j],
                         &pv[j * n_opt + i]);
        }
        pv[i * n_opt + i] = 0.5;
    }

    if (pce == PARLEY_SMP_PCE_CONDITIONAL) {
        double total = 0.0;
        for (size_t i = 0; i < n_opt; i++) {
            double pi = 1.0;
            for (size_t j = 0; j < n_opt; j++) {
                pi = pi * pv[i * n_opt + j];
            }
            prob[i] = pi;
        }
        for (size_t i = 0; i < n_opt; i++) {
            total = total + prob[i];
        }
        for (size_t i = 0; i < n_opt; i++) {
            prob[i] = prob[i] / total;
        }
        return PARLEY_OK;
    }

    const unsigned max_iter = 1000;
    unsigned iter = 0;
    double change = 1.0;
    for (size_t i = 0; i < n_opt; i++) {
        prob[i] = 1.0 / (double)n_opt;
    }
    if (pce == PARLEY_SMP_PCE_MARKOV_UNIFORM) {
        const double tol = 1e-6;
        while (tol < change) {
            if (iter >= max_iter) {
                return PARLEY_ENUMERIC;
            }
            change = 0;
            for (size_t i = 0; i < n_opt; i++) {
                double pi = 0.0;
                for (size_t j = 0; j < n_opt; j++) {
                    pi = pi + pv[i * n_opt + j] * (prob[i] + prob[j]);
                }
                q[i] = pi / (double)n_opt;
                const double d = fabs(q[i] - prob[i]);
                change = d > change ? d : change;
            }
            for (size_t i = 0; i < n_opt; i++) {
                prob[i] = (prob[i] + q[i]) / 2.0;
            }
            iter++;
        }
        /* KTAB also rejects a run that needed the full 1,000 iterations. */
        return iter >= max_iter ? PARLEY_ENUMERIC : PARLEY_OK;
    }

    /* Markov incentive: the incentive for i to challenge j is the strength of
     * i's coalition times its chance; challengers of j are drawn in proportion. */
    const double eps_support = 1e-10;
    for (size_t i = 0; i < n_opt; i++) {
        for (size_t j = 0; j < n_opt; j++) {
            double inc = c[i * n_opt + j] * pv[i * n_opt + j];
            if (i == j) {
                inc = inc + eps_support;
            }
            ct[i * n_opt + j] = inc; /* ct holds the incentives until the loop */
        }
    }
    for (size_t j = 0; j < n_opt; j++) {
        double sum = 0.0;
        for (size_t k = 0; k < n_opt; k++) {
            sum = sum + ct[k * n_opt + j];
        }
        for (size_t i = 0; i < n_opt; i++) {
            chlg[i * n_opt + j] = ct[i * n_opt + j] / sum;
        }
    }
    const double tol = 1e-8;
    while (tol < change) {
        if (iter >= max_iter) {
            return PARLEY_ENUMERIC;
        }
        for (size_t i = 0; i < n_opt; i++) {
            for (size_t j = 0; j < n_opt; j++) {
                ct[i * n_opt + j] = prob[i] * chlg[j * n_opt + i];
            }
        }
        change = 0.0;
        for (size_t i = 0; i < n_opt; i++) {
            double qi = 0.0;
            for (size_t j = 0; j < n_opt; j++) {
                qi = qi + pv[i * n_opt + j] * (ct[i * n_opt + j] + ct[j * n_opt + i]);
            }
            q[i] = qi;
            const double d = fabs(qi - prob[i]);
            change = d > change ? d : change;
        }
        for (size_t i = 0; i < n_opt; i++) {
            prob[i] = (prob[i] + q[i]) / 2.0;
        }
        iter++;
    }
    return iter >= max_iter ? PARLEY_ENUMERIC : PARLEY_OK;
}

void parley__smp_risk_from_prob(const double *prob, size_t n, parley_smp_risk_range range,
                                double *risk)
{
    double p_min = 1.0;
    double p_max = 0.0;
    for (size_t i = 0; i < n; i++) {
        p_min = prob[i] < p_min ? prob[i] : p_min;
        p_max = prob[i] > p_max ? prob[i] : p_max;
    }
    if (!(p_max > p_min)) {
        for (size_t i = 0; i < n; i++) {
            risk[i] = 0.0;
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        switch (range) {
        case PARLEY_SMP_RR_MIN:
            risk[i] = (prob[i] - p_min) / (p_max - p_min);
            break;
        case PARLEY_SMP_RR_MAX:
            risk[i] = (2 * prob[i] - (p_max + p_min)) / (p_max - p_min);
            break;
        case PARLEY_SMP_RR_MID:
        case PARLEY_SMP_RR_COUNT:
        default:
            risk[i] = (3 * prob[i] - (p_max + 2 * p_min)) / (2 * (p_max - p_min));
            break;
        }
    }
}

double parley__smp_est_risk(double rh, double ri, parley_smp_risk_adjust adjust)
{
    switch (adjust) {
    case PARLEY_SMP_RA_FULL:
        return ri;
    case PARLEY_SMP_RA_TWO_THIRDS:
        return (rh + (2.0 * ri)) / 3.0;
    case PARLEY_SMP_RA_HALF:
        return (rh + ri) / 2;
    case PARLEY_SMP_RA_NONE:
        return rh;
    case PARLEY_SMP_RA_ONE_THIRD:
    case PARLEY_SMP_RA_COUNT:
    default:
        return ((2.0 * rh) + ri) / 3.0;
    }
}
