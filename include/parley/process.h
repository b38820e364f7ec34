/* The peace-process simulator: a negotiation played out month by month from a
 * scenario (docs/MODEL.md). Each run draws from the RNG streams of its
 * (seed, draw, run), so a run reproduces bit for bit whatever else runs beside
 * it. A simulator object is made once per scenario and reused for many runs;
 * one object per thread. */
#ifndef PARLEY_PROCESS_H
#define PARLEY_PROCESS_H

#include "parley/error.h"
#include "parley/scenario.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The model's own constants. The first six are the free parameters that
 * calibration draws (docs/MODEL.md, "Free parameters"); the rest are fixed
 * from the literature or by stated judgement. */
typedef struct parley_sim_params {
    double participation_precision; /* lambda of the logit choice, 1/utils */
    double need_weight;             /* how much need multiplies the value of aid */
    double sucker_loss;             /* loss when complying alone, per util of concession */
    double support_sensitivity;     /* kappa: support change per unit of surprise */
    double expectation_adaptation;  /* eta: share of the gap expectations close monthly */
    double implementation_noise;    /* e: chance an intended action is flipped */
    double loss_aversion;           /* 2.25 (Tversky & Kahneman 1992) */
    double political_cost;          /* utils lost per unit of missing support */
    double mediator_credibility;    /* share of doubt a leaning mediator removes */
    double hedge_value;             /* untrustworthy type's premium on keeping its concessions */
    double inspection_cost;         /* utils an inspected party gives up */
    double exit_cost;               /* utils a party loses by leaving an agreement */
    int collapse_windows;           /* K: plenary windows without participation */
    unsigned ablate;                /* PARLEY_ABLATE_* bits: mechanisms switched off */
    bool null_model;                /* random participation and acceptance (validation) */
} parley_sim_params;

/* Mechanisms that can be switched off one at a time, for ablation studies
 * (docs/MODEL.md, "Validation"): each bit removes one mechanism and keeps the
 * rest. The null model instead replaces every decision of steps 2-6 by a coin:
 * participation with probability 1/2, the chair proposing its own position,
 * each veto player accepting with probability 1/2. */
typedef enum parley_ablation {
    PARLEY_ABLATE_CONTACT_COST = 1u << 0,    /* sitting down costs nothing */
    PARLEY_ABLATE_AID = 1u << 1,             /* side payments draw no one to the table */
    PARLEY_ABLATE_AGENDA_CONSENT = 1u << 2,  /* every item reaches the agenda */
    PARLEY_ABLATE_PEACE_PACKAGE = 1u << 3,   /* peace-regime issues one by one, unweighted */
    PARLEY_ABLATE_SUCKER_LOSS = 1u << 4,     /* acceptance ignores complying alone */
    PARLEY_ABLATE_VETO_FACTIONS = 1u << 5,   /* factions neither ratify nor block */
    PARLEY_ABLATE_INSPECTIONS = 1u << 6,     /* no inspection is ever requested */
    PARLEY_ABLATE_BELIEFS = 1u << 7,         /* beliefs never move from their priors */
    PARLEY_ABLATE_SUPPORT = 1u << 8,         /* domestic support never moves */
    PARLEY_ABLATE_PROCEDURE_FIRST = 1u << 9, /* procedure waits its turn like any item */
    PARLEY_ABLATE_AMENDMENTS = 1u << 10,     /* an agreement in force is never renegotiated */
    PARLEY_ABLATE_RECORD = 1u << 11,         /* a forum's failures teach its members nothing */
    PARLEY_ABLATE_CONVENING = 1u << 12       /* every forum is invited at every cadence window */
} parley_ablation;
#define PARLEY_ABLATION_COUNT 13

/* The name of ablation bit 1 << index ("contact_cost", ...), NULL past the end. */
const char *parley_ablation_name(unsigned index);
/* Parses a comma-separated list of ablation names into *mask (ORed in).
 * Errors: PARLEY_EUSAGE naming the unknown word and listing the known ones. */
parley_status parley_ablation_parse(const char *list, unsigned *mask, parley_error *err);

void parley_sim_params_default(parley_sim_params *params);

/* How a run ended. */
typedef enum parley_outcome {
    PARLEY_OUTCOME_NONE,     /* the horizon came first */
    PARLEY_OUTCOME_TREATY,   /* a peace-regime agreement accepted and ratified */
    PARLEY_OUTCOME_COLLAPSE, /* the main forum lost participation for K windows */
} parley_outcome;

const char *parley_outcome_name(parley_outcome outcome);

/* What the timeline records. Fields not meaningful for a kind are -1 / NAN. */
typedef enum parley_log_kind {
    PARLEY_LOG_EVENT,          /* actor -1; index = scenario event */
    PARLEY_LOG_MEETING,        /* forum met; actor = chair; value = meeting number */
    PARLEY_LOG_ABSENT,         /* actor stayed away from forum; values as for ATTENDS */
    PARLEY_LOG_AGENDA,         /* issue entered forum's agenda */
    PARLEY_LOG_REFUSED,        /* actor refused issue on the agenda */
    PARLEY_LOG_PROPOSAL,       /* actor (chair) proposed value on issue */
    PARLEY_LOG_NO_PROPOSAL,    /* no position every party accepts on issue */
    PARLEY_LOG_AGREEMENT,      /* index = agreement; issue, value = level */
    PARLEY_LOG_RATIFIED,       /* agreement ratified by every party */
    PARLEY_LOG_BLOCKED,        /* veto faction actor blocked implementation by other */
    PARLEY_LOG_ALARM,          /* actor saw an alarm about other on issue; value 1 true 0 false */
    PARLEY_LOG_INSPECTION,     /* other inspected by actor; value = side payment; value2 1 violation */
    PARLEY_LOG_REFUSED_INSPECTION, /* other refused actor's inspection */
    PARLEY_LOG_RUNG,           /* CBM rung (value) implemented and verified */
    PARLEY_LOG_WITHDRAWAL,     /* actor left agreement index */
    PARLEY_LOG_BACK_BURNER,    /* forum put on the back burner */
    PARLEY_LOG_RESUMED,        /* forum resumed */
    PARLEY_LOG_COLLAPSE,       /* forum collapsed */
    PARLEY_LOG_TREATY,         /* the run's treaty */
    PARLEY_LOG_REJECTED,       /* actor rejected the proposal (null model only) */
    PARLEY_LOG_AMENDED,        /* a new agreement replaces agreement index's term on issue */
    PARLEY_LOG_ATTENDS         /* actor decided to sit down at forum's window: value = P(attend),
                                  value2 = expected gain from the agenda, value3 = need-weighted
                                  side payment less the cost of sitting down (utils) */,
    PARLEY_LOG_UNDATED         /* a forum convened by initiative failed a window and has no date
                                  until news bears on it; value = windows missed in a row */
} parley_log_kind;

typedef struct parley_log_entry {
    uint32_t round;
    parley_date date;
    parley_log_kind kind;
    int forum;
    int actor;
    int other;
    int issue;
    int index; /* agreement or scenario event */
    double value;
    double value2;
    double value3; /* NaN except for ATTENDS and ABSENT */
} parley_log_entry;

#define PARLEY_SIM_MAX_AGREEMENTS 64

/* One agreement's life in a run. */
typedef struct parley_agreement_record {
    char name[256]; /* forum and issue names, cut at 255 bytes */
    int forum;           /* -1 for agreements in force at the start */
    int scenario_index;  /* index in the scenario's agreements, or -1 */
    int signed_round;    /* -1 for agreements in force at the start */
    int ended_round;     /* -1 while in force */
    int ended_by;        /* actor who withdrew, or -1 */
    int amended_round;   /* last round a later agreement replaced one of its terms, or -1 */
    bool replaced;       /* it ended because later agreements replaced all its terms */
    bool ratified;
    bool procedural;
    uint32_t months_implemented; /* months in which every party complied */
} parley_agreement_record;

/* The run's summary. Arrays are indexed by actor or forum, sized as in the
 * scenario; they belong to the simulator and live until the next run. */
typedef struct parley_run_summary {
    parley_outcome outcome;
    int outcome_round;           /* -1 when none */
    double treaty_extent;        /* the treaty's peace-regime extent (0-100: how far it
                                    replaces the armistice); NAN without a treaty or
                                    when the treaty leaves the extent out */
    uint32_t rounds;
    int main_forum;              /* the forum whose collapse ends a run, -1 if none */
    uint32_t cbm_rungs;          /* highest rung implemented and verified */
    uint32_t agreements;         /* signed during the run */
    uint32_t alarms_true;
    uint32_t alarms_false;
    uint32_t inspections;
    uint32_t inspections_refused;
    const uint32_t *meetings;        /* per forum */
    const int *first_meeting_round;  /* per forum, -1 if never */
    const uint32_t *months_participation; /* per forum: months with every member taking part */
    const double *support;           /* per actor, at the end */
    const double *belief_mean;       /* actor x actor: believed compliance, at the end */
    size_t n_agreements;             /* records below, initial ones first */
    const parley_agreement_record *agreement;
} parley_run_summary;

/* Per-round series for fan charts: belief means and support per round. */
typedef struct parley_sim_series {
    size_t rounds;
    size_t n_actors;
    const double *support;     /* rounds x n_actors */
    const double *belief_mean; /* rounds x n_actors x n_actors */
} parley_sim_series;

typedef struct parley_sim parley_sim;

/* Builds a simulator for `sc`, which must outlive it and not change while it
 * lives (clone it first if you mean to --set between runs). `params` NULL means
 * defaults. Errors: PARLEY_EINPUT (a compliance strategy the game engine does
 * not know, located at actors[i].compliance_strategy), PARLEY_ENOMEM.
 * *out is owned by the caller (parley_sim_free). Cost O(actors^2 + issues). */
parley_status parley_sim_new(const parley_scenario *sc, const parley_sim_params *params,
                             parley_sim **out, parley_error *err);
void parley_sim_free(parley_sim *sim);

/* Whether runs keep the full log (default true). Sweeps turn it off. */
void parley_sim_set_logging(parley_sim *sim, bool on);

/* Runs the scenario once with the streams of (seed, draw, run). Cost
 * O(rounds x (actors^2 + forums x issues x 400)). Errors: PARLEY_ENOMEM. */
parley_status parley_sim_run(parley_sim *sim, uint64_t seed, uint32_t draw, uint32_t run,
                             parley_error *err);

const parley_run_summary *parley_sim_summary(const parley_sim *sim);
/* The stream of the last run: the (seed, draw, run) given to parley_sim_run
 * (a sweep's run r of draw d is stream (seed, d, r); `parley run` is (seed, 0, 0)). */
void parley_sim_stream(const parley_sim *sim, uint64_t *seed, uint32_t *draw, uint32_t *run);
const parley_sim_series *parley_sim_get_series(const parley_sim *sim);
size_t parley_sim_log_count(const parley_sim *sim);
const parley_log_entry *parley_sim_log(const parley_sim *sim, size_t i);
const parley_scenario *parley_sim_scenario(const parley_sim *sim);

#ifdef __cplusplus
}
#endif
#endif
