/* Named per-run metrics: the numbers a sweep stores for every run, patterns
 * are checked against, and calibration filters on. Each is computed from a
 * finished run of the simulator (its summary and log); NAN means "did not
 * happen" (e.g. the month of a treaty in a run without one). Names are
 * stable: results databases and pattern files refer to them. */
#ifndef PARLEY_METRICS_H
#define PARLEY_METRICS_H

#include "parley/process.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum parley_metric {
    PARLEY_METRIC_TREATY,              /* 1 if a treaty was signed and ratified, else 0 */
    PARLEY_METRIC_TREATY_MONTH,        /* months from the start to the treaty */
    PARLEY_METRIC_TREATY_EXTENT,       /* the treaty's peace-regime extent, 0-100 */
    PARLEY_METRIC_COLLAPSE,            /* 1 if the main forum collapsed */
    PARLEY_METRIC_COLLAPSE_MONTH,
    PARLEY_METRIC_CBM_RUNGS,           /* highest CBM rung implemented and verified */
    PARLEY_METRIC_AGREEMENTS,          /* agreements signed during the run */
    PARLEY_METRIC_FIRST_AGREEMENT_PROCEDURAL, /* 1/0 for the main forum's first agreement; NAN without one */
    PARLEY_METRIC_FIRST_AGREEMENT_MONTH,      /* the first agreement signed in any forum */
    PARLEY_METRIC_MAIN_FIRST_MEETING_MONTH,   /* the main forum's first meeting */
    PARLEY_METRIC_MAIN_MEETINGS,              /* meetings of the main forum */
    PARLEY_METRIC_MAIN_MEETINGS_FIRST_20_MONTHS, /* in the 20 months from its first */
    PARLEY_METRIC_MAIN_MAX_GAP_FIRST_6,       /* longest gap (months) among its first six meetings */
    PARLEY_METRIC_MAIN_LAST_MEETING_MONTH,
    PARLEY_METRIC_OTHER_MEETINGS,             /* meetings of every other forum */
    PARLEY_METRIC_OTHER_LAST_MEETING_MONTH,
    PARLEY_METRIC_ALARMS_TRUE,
    PARLEY_METRIC_ALARMS_FALSE,
    PARLEY_METRIC_INSPECTIONS,
    PARLEY_METRIC_INSPECTIONS_PAID,           /* inspections with a side payment > 0 */
    PARLEY_METRIC_INITIAL_AGREEMENT_END_MONTH, /* when the first agreement in force at the start ended */
    PARLEY_METRIC_BELIEF_MEAN_END,            /* mean believed compliance over principal pairs */
    PARLEY_METRIC_BELIEF_MIN_END,             /* the lowest such belief */
    PARLEY_METRIC_SUPPORT_MEAN_END,           /* mean support of the principals */
    PARLEY_METRIC_COUNT
} parley_metric;

/* "treaty", "treaty_month", ... (snake_case, as stored in databases). */
const char *parley_metric_name(parley_metric metric);
/* false when `name` is not a metric. */
bool parley_metric_from_name(const char *name, parley_metric *out);

/* Fills out[PARLEY_METRIC_COUNT] from the simulator's last run. Needs the
 * run's log for the meeting metrics (parley_sim_set_logging on, the default);
 * without it those are NAN. Cost O(log entries + actors^2). */
void parley_run_metrics(const parley_sim *sim, double *out);

#ifdef __cplusplus
}
#endif
#endif
