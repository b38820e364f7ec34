/* The process model's mechanisms as small pure functions, one per step of the
 * design's monthly round (docs/MODEL.md). Keeping them free of simulator state
 * lets each be tested against a hand computation, and keeps "each concept
 * enters once" visible: beliefs appear only in acceptance and compliance,
 * spoilers only in support. */
#ifndef PARLEY_PROCESS_MECHANISMS_H
#define PARLEY_PROCESS_MECHANISMS_H

#include <stdbool.h>

/* Step 1. Probability that an event with monthly hazard rate h >= 0 fires in a
 * month: 1 - exp(-h) (constant-hazard survival, Box-Steffensmeier & Jones 2004). */
double parley__hazard_probability(double rate_per_month);

/* Step 2. What sitting down is worth besides the agenda's gain: the aid,
 * weighed 1 + need_gain * need (a hurting stalemate, Zartman), less the
 * cost. */
double parley__participation_pull(double aid, double need, double need_gain, double cost);

/* Step 2. Logit quantal response (McKelvey & Palfrey 1995): probability of
 * sitting down, L(lambda (gain + pull)), pull as above. */
double parley__participation_probability(double lambda, double gain, double aid, double need,
                                         double need_gain, double cost);

/* Step 3. One DeGroot (1974) averaging step pulling a faction's position toward
 * its delegation's: x + weight * (target - x), weight in [0, 1]. */
double parley__coordinate(double faction_position, double delegation_position, double weight);

/* Step 6. Acceptance (Tsebelis 2002 veto logic with Kydd's assurance): accept
 * iff q u(x) + (1 - q)(u(sq) - sucker_loss) >= u(sq). Utilities on the one
 * utility scale; q is the believed compliance of the counterparts. */
bool parley__accepts(double belief_compliance, double utility_proposal, double utility_status_quo,
                     double sucker_loss);

/* The smallest believed compliance at which the proposal is accepted:
 * L / (u(x) - u(sq) + L); INFINITY (never) when the proposal is worse than the
 * status quo. */
double parley__acceptance_threshold(double utility_proposal, double utility_status_quo,
                                    double sucker_loss);

/* Step 7. Kydd (2005) thresholds from stage-game payoffs R, S, T, P.
 * A trustworthy type (assurance game, R > T) complies iff q >= this value:
 * (P - S) / ((R - T) + (P - S)). */
double parley__assurance_threshold(double R, double S, double T, double P);
/* An untrustworthy type (prisoner's dilemma, T > R) complies iff its discount
 * factor delta >= (T - R) / (T - P) (Axelrod 1984, the folk-theorem bound). */
double parley__patience_threshold(double R, double T, double P);

/* Step 9. Channel-aware Beta update (Josang & Ismail 2002) of a belief
 * Beta(alpha, beta) that a counterpart complies, after observing an alarm or a
 * clean signal through a channel with detection d and false-alarm rate f.
 * The posterior probability w that the signal came from a violation moves w to
 * beta and 1 - w to alpha: with m = alpha / (alpha + beta),
 * alarm: w = (1 - m) d / ((1 - m) d + m f); clean: the same with 1 - d, 1 - f.
 * An uninformative channel (d == f) leaves the mean unchanged. */
void parley__belief_update(double *alpha, double *beta, bool alarm, double detection,
                           double false_alarm);

/* Step 10. Domestic support S in [0, 1] moves by kappa g(result - expectation),
 * g loss-averse on shortfalls (Kahneman & Tversky 1979: slope loss_aversion
 * below zero), minus spoilers * publicised alarms; clamped to [0, 1]. */
double parley__support_update(double support, double kappa, double loss_aversion, double result,
                              double expectation, double spoilers, double publicised_alarms);

/* Expectations adapt toward results (adaptive expectations, rate eta in [0,1])
 * and jump with press hype: E + eta (result - E) + hype. */
double parley__expectation_update(double expectation, double eta, double result, double hype);

#endif
