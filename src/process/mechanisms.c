/* Pure mechanism functions of the process model; see mechanisms.h for the
 * sources and docs/MODEL.md for how the simulator composes them. */
#include "mechanisms.h"

#include <math.h>

static double clamp01(double x) { return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x); }

double parley__hazard_probability(double rate_per_month)
{
    if (!(rate_per_month > 0.0))
        return 0.0;
    return -expm1(-rate_per_month);
}

double parley__participation_pull(double aid, double need, double need_gain, double cost)
{
    return (1.0 + need_gain * need) * aid - cost;
}

double parley__participation_probability(double lambda, double gain, double aid, double need,
                                         double need_gain, double cost)
{
    double utility = gain + parley__participation_pull(aid, need, need_gain, cost);
    double z = lambda * utility;
    /* Evaluated on the side that cannot overflow exp(). */
    if (z >= 0.0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);
    return e / (1.0 + e);
}

double parley__coordinate(double faction_position, double delegation_position, double weight)
{
    return faction_position + clamp01(weight) * (delegation_position - faction_position);
}

bool parley__accepts(double belief_compliance, double utility_proposal, double utility_status_quo,
                     double sucker_loss)
{
    double q = clamp01(belief_compliance);
    double expected = q * utility_proposal + (1.0 - q) * (utility_status_quo - sucker_loss);
    return expected >= utility_status_quo;
}

double parley__acceptance_threshold(double utility_proposal, double utility_status_quo,
                                    double sucker_loss)
{
    double gain = utility_proposal - utility_status_quo;
    double loss = sucker_loss > 0.0 ? sucker_loss : 0.0;
    if (gain < 0.0)
        return INFINITY; /* worse than the status quo even if everyone complies */
    if (gain + loss == 0.0)
        return 0.0; /* indifferent and nothing to lose */
    return loss / (gain + loss);
}

double parley__assurance_threshold(double R, double S, double T, double P)
{
    double denominator = (R - T) + (P - S);
    if (denominator <= 0.0)
        return INFINITY; /* not an assurance game: no belief makes compliance a best reply */
    return clamp01((P - S) / denominator);
}

double parley__patience_threshold(double R, double T, double P)
{
    if (T <= R)
        return 0.0; /* no temptation: complying is already a best reply */
    if (T <= P)
        return INFINITY;
    return (T - R) / (T - P);
}

void parley__belief_update(double *alpha, double *beta, bool alarm, double detection,
                           double false_alarm)
{
    double m = *alpha / (*alpha + *beta); /* believed compliance */
    double p_violation = alarm ? detection : 1.0 - detection;
    double p_compliance = alarm ? false_alarm : 1.0 - false_alarm;
    double numerator = (1.0 - m) * p_violation;
    double denominator = numerator + m * p_compliance;
    if (!(denominator > 0.0))
        return; /* a signal the channel says is impossible carries no information */
    double w = numerator / denominator;
    *beta += w;
    *alpha += 1.0 - w;
}

double parley__support_update(double support, double kappa, double loss_aversion, double result,
                              double expectation, double spoilers, double publicised_alarms)
{
    double gap = result - expectation;
    double felt = gap >= 0.0 ? gap : loss_aversion * gap;
    return clamp01(support + kappa * felt - spoilers * publicised_alarms);
}

double parley__expectation_update(double expectation, double eta, double result, double hype)
{
    return clamp01(expectation + clamp01(eta) * (result - expectation) + hype);
}
