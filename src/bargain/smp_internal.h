/* Shared between the SMP files: KTAB's voting and probabilistic Condorcet
 * election primitives (smp_pce.c), used by the turn logic in smp.c. The
 * arithmetic follows KTAB's order of operations term by term, because the
 * reference histories are reproduced to the printed digit and ties are broken
 * by the first maximum. */
#ifndef PARLEY_BARGAIN_SMP_INTERNAL_H
#define PARLEY_BARGAIN_SMP_INTERNAL_H

#include "parley/bargain_smp.h"

#include <stddef.h>

/* KTAB Model::vote: the vote of an actor of weight w (> 0) for option 1 over
 * option 2, given its utilities u1 and u2. Inline because the challenge loop
 * calls it N^3 times a turn. */
static inline double parley__smp_vote(parley_smp_voting_rule rule, double w, double u1,
                                      double u2)
{
    const double du = u1 - u2;
    if (rule == PARLEY_SMP_VR_PROPORTIONAL) {
        return w * du;
    }
    const double s_tol = 1e-8;
    double r_bin = du / s_tol;
    r_bin = r_bin > 1.0 ? 1.0 : r_bin;
    r_bin = r_bin < -1.0 ? -1.0 : r_bin;
    /* The hybrids' mixing weights, as KTAB writes them (0.8 = 1 - 0.2). */
    const double rbp = 0.2;
    const double rpc = 0.5;
    switch (rule) {
    case PARLEY_SMP_VR_BINARY:
        return w * r_bin;
    case PARLEY_SMP_VR_PROP_BIN:
        return w * ((1 - rbp) * du + rbp * r_bin);
    case PARLEY_SMP_VR_PROP_CUBIC:
        return w * ((1 - rpc) * du + rpc * (du * du * du));
    case PARLEY_SMP_VR_CUBIC:
        return w * (du * du * du);
    case PARLEY_SMP_VR_ASYM_PROSPECT:
        if (du < 0.0) {
            return w * du;
        }
        if (du > 0.0) {
            return (2.0 * w * du) / 3.0;
        }
        return 0.0;
    case PARLEY_SMP_VR_PROPORTIONAL:
    case PARLEY_SMP_VR_COUNT:
    default:
        return w * du;
    }
}

/* KTAB SMPModel::bsUtil: utility of a normalised distance d for risk attitude r. */
static inline double parley__smp_util(double d, double r)
{
    return d <= 1.0 ? (1.0 - d) * (1.0 + d * r) : (1.0 - d) * (1.0 + r);
}

/* Scratch doubles parley__smp_pce needs for `n_act` voters and `n_opt` options. */
size_t parley__smp_pce_scratch(size_t n_act, size_t n_opt);

/* KTAB Model::scalarPCE: voters a = 0..n_act-1 with weights w[a] and utilities
 * u[a * u_stride + m] for options m = 0..n_opt-1 vote on every pair; the
 * coalitions give victory probabilities, and the PCE model gives prob[m]
 * (sums to 1). `scratch` holds parley__smp_pce_scratch(n_act, n_opt) doubles.
 * Returns PARLEY_ENUMERIC when a Markov model does not converge in 1,000
 * iterations (prob is then left as the last iterate). */
parley_status parley__smp_pce(size_t n_act, size_t n_opt, const double *w, const double *u,
                              size_t u_stride, parley_smp_voting_rule rule,
                              parley_smp_victory_prob vpm, parley_smp_pce pce, double *prob,
                              double *scratch);

/* KTAB Model::bigRfromProb: risk attitudes from win probabilities. When all
 * probabilities are equal (KTAB divides 0 by 0) every actor is risk neutral. */
void parley__smp_risk_from_prob(const double *prob, size_t n, parley_smp_risk_range range,
                                double *risk);

/* KTAB Model::estNRA: h's estimate of i's risk attitude. */
double parley__smp_est_risk(double rh, double ri, parley_smp_risk_adjust adjust);

#endif
