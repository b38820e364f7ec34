/* Per-run metrics from a finished run's summary and log (see metrics.h). */
#include "parley/metrics.h"

#include "scenario/model.h"

#include <math.h>
#include <string.h>

static const char *const names[PARLEY_METRIC_COUNT] = {
    "treaty", "treaty_month", "treaty_extent", "collapse", "collapse_month", "cbm_rungs",
    "agreements", "first_agreement_procedural", "first_agreement_month", "main_first_meeting_month",
    "main_meetings", "main_meetings_first_20_months", "main_max_gap_first_6",
    "main_last_meeting_month", "other_meetings", "other_last_meeting_month", "alarms_true",
    "alarms_false", "inspections", "inspections_paid", "initial_agreement_end_month",
    "belief_mean_end", "belief_min_end", "support_mean_end"};

const char *parley_metric_name(parley_metric metric)
{
    return (int)metric >= 0 && metric < PARLEY_METRIC_COUNT ? names[metric] : "unknown";
}

bool parley_metric_from_name(const char *name, parley_metric *out)
{
    for (int i = 0; i < PARLEY_METRIC_COUNT; i++)
        if (strcmp(names[i], name) == 0) {
            *out = (parley_metric)i;
            return true;
        }
    return false;
}

void parley_run_metrics(const parley_sim *sim, double *out)
{
    const psc_model *m = parley__scenario_model(parley_sim_scenario(sim));
    const parley_run_summary *s = parley_sim_summary(sim);
    double months_per_round = m->meta.round_months;
    for (int i = 0; i < PARLEY_METRIC_COUNT; i++)
        out[i] = NAN;
    out[PARLEY_METRIC_TREATY] = s->outcome == PARLEY_OUTCOME_TREATY;
    out[PARLEY_METRIC_COLLAPSE] = s->outcome == PARLEY_OUTCOME_COLLAPSE;
    if (s->outcome == PARLEY_OUTCOME_TREATY) {
        out[PARLEY_METRIC_TREATY_MONTH] = s->outcome_round * months_per_round;
        out[PARLEY_METRIC_TREATY_EXTENT] = s->treaty_extent;
    }
    if (s->outcome == PARLEY_OUTCOME_COLLAPSE)
        out[PARLEY_METRIC_COLLAPSE_MONTH] = s->outcome_round * months_per_round;
    out[PARLEY_METRIC_CBM_RUNGS] = s->cbm_rungs;
    out[PARLEY_METRIC_AGREEMENTS] = s->agreements;
    for (size_t g = 0; g < s->n_agreements; g++) {
        const parley_agreement_record *r = &s->agreement[g];
        if (r->signed_round >= 0 && isnan(out[PARLEY_METRIC_FIRST_AGREEMENT_MONTH]))
            out[PARLEY_METRIC_FIRST_AGREEMENT_MONTH] = r->signed_round * months_per_round;
        if (r->signed_round >= 0 && r->forum == s->main_forum &&
            isnan(out[PARLEY_METRIC_FIRST_AGREEMENT_PROCEDURAL]))
            out[PARLEY_METRIC_FIRST_AGREEMENT_PROCEDURAL] = r->procedural;
        if (r->signed_round < 0 && isnan(out[PARLEY_METRIC_INITIAL_AGREEMENT_END_MONTH]) &&
            r->ended_round >= 0 && !r->replaced)
            out[PARLEY_METRIC_INITIAL_AGREEMENT_END_MONTH] = r->ended_round * months_per_round;
    }
    out[PARLEY_METRIC_ALARMS_TRUE] = s->alarms_true;
    out[PARLEY_METRIC_ALARMS_FALSE] = s->alarms_false;
    out[PARLEY_METRIC_INSPECTIONS] = s->inspections;

    int main = s->main_forum;
    double meeting[6];
    int n_meeting = 0, paid = 0, other = 0;
    double first = NAN, last = NAN, other_last = NAN, in20 = 0;
    size_t n_log = parley_sim_log_count(sim);
    for (size_t i = 0; i < n_log; i++) {
        const parley_log_entry *e = parley_sim_log(sim, i);
        double month = e->round * months_per_round;
        if (e->kind == PARLEY_LOG_INSPECTION && e->value > 0.0)
            paid++;
        if (e->kind != PARLEY_LOG_MEETING)
            continue;
        if (e->forum != main) {
            other++;
            other_last = month;
            continue;
        }
        if (isnan(first))
            first = month;
        last = month;
        if (month - first < 20.0)
            in20++;
        if (n_meeting < 6)
            meeting[n_meeting++] = month;
    }
    if (n_log > 0 || s->rounds == 0) {
        out[PARLEY_METRIC_INSPECTIONS_PAID] = paid;
        out[PARLEY_METRIC_MAIN_FIRST_MEETING_MONTH] = first;
        out[PARLEY_METRIC_MAIN_LAST_MEETING_MONTH] = last;
        out[PARLEY_METRIC_MAIN_MEETINGS_FIRST_20_MONTHS] = isnan(first) ? 0.0 : in20;
        out[PARLEY_METRIC_OTHER_MEETINGS] = other;
        out[PARLEY_METRIC_OTHER_LAST_MEETING_MONTH] = other_last;
        if (n_meeting >= 2) {
            double gap = 0.0;
            for (int k = 1; k < n_meeting; k++)
                gap = fmax(gap, meeting[k] - meeting[k - 1]);
            out[PARLEY_METRIC_MAIN_MAX_GAP_FIRST_6] = gap;
        }
    }
    if (main >= 0)
        out[PARLEY_METRIC_MAIN_MEETINGS] = s->meetings[main];

    size_t n = m->n_actors, pairs = 0, principals = 0;
    double sum = 0.0, lowest = INFINITY, support = 0.0;
    for (size_t a = 0; a < n; a++) {
        if (m->actors[a].kind != PARLEY_ACTOR_PRINCIPAL)
            continue;
        principals++;
        support += s->support[a];
        for (size_t b = 0; b < n; b++) {
            if (b == a || m->actors[b].kind != PARLEY_ACTOR_PRINCIPAL)
                continue;
            double q = s->belief_mean[a * n + b];
            sum += q;
            lowest = fmin(lowest, q);
            pairs++;
        }
    }
    if (pairs) {
        out[PARLEY_METRIC_BELIEF_MEAN_END] = sum / (double)pairs;
        out[PARLEY_METRIC_BELIEF_MIN_END] = lowest;
    }
    if (principals)
        out[PARLEY_METRIC_SUPPORT_MEAN_END] = support / (double)principals;
}
