/* The scenario model as plain structs: what the process simulator reads. Every
 * reference is resolved to an index (-1 = none); every array comes with its
 * count; numbers are plain doubles (uncertainties and per-number sources live in
 * the side table `annots`, keyed by path). Field meanings, ranges and defaults
 * are those of docs/FORMAT.md, which this mirrors name for name.
 *
 * Conventions: NAN in a number documented as "inherits" means "use the policy
 * value" (use the psc_*_effective helpers). A date with year 0 is "not given". */
#ifndef PARLEY_SCENARIO_MODEL_H
#define PARLEY_SCENARIO_MODEL_H

#include "parley/game.h"
#include "parley/scenario.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct psc_source {
    char *id;
    char *citation;
    char *url; /* NULL when absent */
    parley_date date;
} psc_source;

typedef struct psc_meta {
    char *name;
    char *description;
    psc_source *sources;
    size_t n_sources;
    parley_date start;
    parley_date horizon;
    int round_months;
} psc_meta;

enum { PSC_VETO_RATIFICATION = 1, PSC_VETO_IMPLEMENTATION = 2 };

typedef struct psc_actor {
    char *id;
    char *name;
    int kind;   /* parley_actor_kind */
    int parent; /* factions: index of a principal; else -1 */
    double capability;
    double risk;
    bool at_table;
    unsigned veto; /* PSC_VETO_* bits */
    double type_prior;
    char *compliance_strategy;
    double discount;
    double need;
    double contact_cost;
    int *contact_with; /* actor indices whose presence costs contact_cost; NULL: any forum */
    size_t n_contact_with;
    double support;
    int leans_toward; /* mediators: actor index or -1 */
    char *source;     /* NULL when absent */
} psc_actor;

typedef struct psc_verification {
    double detection;   /* NAN: policy.verification.detection */
    double false_alarm; /* NAN: policy.verification.false_alarm */
    bool inspectable;
} psc_verification;

typedef struct psc_issue {
    char *id;
    char *name;
    char *label_0;
    char *label_100;
    double status_quo;
    int kind; /* parley_issue_kind */
    int rung;
    double reversible; /* share of a concession recovered once the other side's defection shows */
    psc_verification verification;
    char *source;
} psc_issue;

enum { PSC_CHAIR_LOT, PSC_CHAIR_FIXED, PSC_CHAIR_ALPHABETICAL };
enum { PSC_AGENDA_CONSENSUS, PSC_AGENDA_CHAIR };
enum { PSC_CONVENING_CADENCE, PSC_CONVENING_INITIATIVE };

typedef struct psc_chair {
    int rotation; /* PSC_CHAIR_* */
    int *order;   /* actor indices */
    size_t n_order;
} psc_chair;

typedef struct psc_forum {
    char *id;
    char *name;
    int *members; /* actor indices */
    size_t n_members;
    psc_chair chair;
    double cadence_months; /* NAN: policy.cadence_months */
    double side_payments;  /* NAN: the actor's side_payments lever (override or policy) */
    int agenda;            /* PSC_AGENDA_* */
    int convening;         /* PSC_CONVENING_* */
    char *location;
    parley_date start; /* year 0: from meta.start */
    int *issues;       /* the mandate (issue indices); NULL: every issue whose
                          stakeholders all sit in the forum */
    size_t n_issues;
    char *source;
} psc_forum;

typedef struct psc_term {
    int issue;
    double level;
} psc_term;

typedef struct psc_obligation {
    int actor;
    int issue;
    double level;
    char *description;
} psc_obligation;

typedef struct psc_agreement {
    char *id;
    char *name;
    parley_date in_force;
    int *parties;
    size_t n_parties;
    psc_term *terms;
    size_t n_terms;
    psc_obligation *obligations;
    size_t n_obligations;
    char *source;
} psc_agreement;

typedef struct psc_stance {
    int actor;
    int issue;
    double position;
    double salience;
    char *source;
} psc_stance;

typedef struct psc_trust {
    int from;
    int to;
    double alpha;
    double beta;
    bool by_mean;    /* written as mean + strength: those two are kept as written */
    double mean;     /* by_mean only: alpha / (alpha + beta) */
    double strength; /* by_mean only: alpha + beta */
    char *source;
} psc_trust;

typedef struct psc_hazard {
    double rate;      /* per month; NAN when the event is scheduled */
    parley_date from; /* year 0: meta.start (see psc_hazard_window) */
    parley_date to;   /* year 0: meta.horizon */
} psc_hazard;

enum { PSC_COND_NONE, PSC_COND_AFTER, PSC_COND_ABOVE, PSC_COND_BELOW };
enum { PSC_OP_SET, PSC_OP_ADD, PSC_OP_MULTIPLY };

/* A resolved path to a number in the model (see psc_target_ptr). */
typedef struct psc_target {
    int section; /* PSC_SEC_* */
    int index;   /* the actor, issue, stance, trust pair, forum, event... (-1: none) */
    int sub;     /* second index (term, obligation, effect, override), -1 if none */
    int field;   /* index into the section's number table */
} psc_target;

typedef struct psc_condition {
    int kind;     /* PSC_COND_* */
    int after;    /* AFTER: event index */
    char *path;   /* ABOVE/BELOW: the number watched */
    psc_target target;
    double threshold;
} psc_condition;

typedef struct psc_effect {
    char *path;
    psc_target target;
    int op; /* PSC_OP_* */
    double value;
} psc_effect;

typedef struct psc_event {
    char *id;
    char *name;
    parley_date date; /* year 0 when the event has a hazard */
    psc_hazard hazard;
    double probability; /* scheduled events; 1 otherwise */
    psc_condition condition;
    psc_effect *effects;
    size_t n_effects;
    char *narrative;
    char *source;
} psc_event;

enum { PSC_LINK_SEPARATE, PSC_LINK_LINKED };
enum { PSC_SEQ_STEP_BY_STEP, PSC_SEQ_TREATY_FIRST };

typedef struct psc_policy_verification {
    double detection;
    double false_alarm;
    bool inspections;
} psc_policy_verification;

/* Numeric levers that may be overridden per actor (order is the file order of
 * PSC_LEVER names in scenario_fields.c). */
enum {
    PSC_LEVER_VERIFY_MONTHS,
    PSC_LEVER_EXPECTATIONS,
    PSC_LEVER_COORDINATION,
    PSC_LEVER_END_STATE_CLARITY,
    PSC_LEVER_CADENCE_MONTHS,
    PSC_LEVER_SIDE_PAYMENTS,
    PSC_LEVER_SPOILERS,
    PSC_LEVER_DETECTION,
    PSC_LEVER_FALSE_ALARM,
    PSC_LEVER_COUNT
};

typedef struct psc_override {
    int actor;
    int lever; /* PSC_LEVER_* */
    double value;
    char *source;
} psc_override;

typedef struct psc_policy {
    int linkage;    /* PSC_LINK_* */
    int sequencing; /* PSC_SEQ_* */
    double verify_months;
    double expectations;
    double coordination;
    bool inform_observers;
    double end_state_clarity;
    double cadence_months;
    psc_policy_verification verification;
    double side_payments;
    double spoilers;
    psc_override *overrides;
    size_t n_overrides;
} psc_policy;

/* ---- games: the scenario's stage game and its own strategies ------------- */

/* How games.stage_game was written (the dump keeps the form). */
enum { PSC_STAGE_DEFAULT, PSC_STAGE_PRESET, PSC_STAGE_RSTP, PSC_STAGE_PAYOFFS };

typedef struct psc_stage {
    int form;               /* PSC_STAGE_* */
    char *preset;           /* PRESET: "pd", "stag-hunt", "chicken" */
    parley_stage_game game; /* DEFAULT: the prisoner's dilemma 3, 0, 5, 1 */
    char *source;           /* NULL when absent */
} psc_stage;

/* The forms of a strategy definition (games.strategies.NAME). */
enum { PSC_STRAT_SPEC, PSC_STRAT_MEMORY_ONE, PSC_STRAT_STATES, PSC_STRAT_MACHINE };

/* One row of a finite-state machine in the Axelrod library's form: in `state`,
 * having observed `seen` of the counterpart, move to `next` and play `action`. */
typedef struct psc_machine_rule {
    char *state;
    int seen; /* parley_action */
    char *next;
    int action; /* parley_action */
} psc_machine_rule;

typedef struct psc_strategy_def {
    char *name;
    char *description; /* "" when absent */
    char *source;      /* NULL when absent */
    int form;          /* PSC_STRAT_* */
    char *spec;        /* SPEC: a built-in spec such as "Hedger:0.6:2:1" */
    double p[4];       /* MEMORY_ONE: after CC, CD, DC, DD (own, observed) */
    double first;      /* MEMORY_ONE: probability of C in round 1 */
    /* STATES and MACHINE: the engine's table (parley_strategy_table). For
     * MACHINE, table state 2k + a is "in machine state k, about to play a". */
    uint32_t n_states;
    uint32_t start;
    double *p_cooperate;
    uint32_t (*next)[4];
    char **state_names; /* STATES: n_states names in file order */
    bool *four_way;     /* STATES: per state, whether `next` was written by (own, observed) */
    /* MACHINE: the rules as written, the machine's states in order of first
     * appearance, and whether their labels were JSON integers */
    psc_machine_rule *rules;
    size_t n_rules;
    char **machine_states;
    size_t n_machine_states;
    bool numeric_labels;
    char *initial_state;
    int initial_action;
    bool valid; /* loaded without a problem (always true in a loaded scenario) */
} psc_strategy_def;

typedef struct psc_games {
    bool present; /* a "games" object was written: the dump writes one only then */
    psc_stage stage;
    psc_strategy_def *strategies;
    size_t n_strategies;
} psc_games;

/* A number's annotation: a source and/or an uncertainty, keyed by path. */
typedef struct psc_annot {
    char *path;
    char *source;   /* NULL when none */
    bool uncertain; /* u is meaningful */
    bool has_range; /* a normal's truncation range was written (for the dump) */
    parley_uncertainty u; /* u.path and u.source alias path and source */
} psc_annot;

typedef struct psc_model {
    psc_meta meta;
    psc_actor *actors;
    size_t n_actors;
    psc_issue *issues;
    size_t n_issues;
    psc_forum *forums;
    size_t n_forums;
    psc_agreement *agreements;
    size_t n_agreements;
    psc_stance *stances;
    size_t n_stances;
    psc_trust *trust;
    size_t n_trust;
    psc_event *events;
    size_t n_events;
    psc_policy policy;
    psc_games games;
    /* Derived: stance_at[a * n_issues + i] is a stance index or -1. */
    int *stance_at;
    psc_annot *annots;
    size_t n_annots;
} psc_model;

/* The sections a path or target can name. */
enum {
    PSC_SEC_META,
    PSC_SEC_ACTORS,
    PSC_SEC_ISSUES,
    PSC_SEC_FORUMS,
    PSC_SEC_AGREEMENT_TERMS,
    PSC_SEC_AGREEMENT_OBLIGATIONS,
    PSC_SEC_STANCES,
    PSC_SEC_TRUST,
    PSC_SEC_EVENTS,
    PSC_SEC_EFFECTS,
    PSC_SEC_POLICY,
    PSC_SEC_OVERRIDES
};

/* Names as written in the file, indexed by the enum value (NULL-terminated). */
extern const char *const parley__actor_kinds[];
extern const char *const parley__issue_kinds[];
extern const char *const parley__chair_rotations[]; /* PSC_CHAIR_* */
extern const char *const parley__agendas[];         /* PSC_AGENDA_* */
extern const char *const parley__convenings[];      /* PSC_CONVENING_* */
extern const char *const parley__linkages[];        /* PSC_LINK_* */
extern const char *const parley__sequencings[];     /* PSC_SEQ_* */
extern const char *const parley__dists[];           /* parley_dist */
extern const char *const parley__veto_names[];      /* bit k = 1 << k */
extern const char *const parley__lever_names[PSC_LEVER_COUNT + 1];

/* The model inside a scenario (never NULL for a loaded scenario). */
const psc_model *parley__scenario_model(const parley_scenario *sc);
psc_model *parley__scenario_model_mut(parley_scenario *sc);

/* Resolves `path` to a numeric field of `m`: fills *t and, when lo/hi are not
 * NULL, the field's legal range; `primitive` tells whether an event may change
 * it. On failure returns false and writes a one-line reason (with a "did you
 * mean" hint where one is close) into why[why_size]. */
bool parley__scenario_resolve_number(const psc_model *m, const char *path, psc_target *t,
                                     double *lo, double *hi, bool *primitive, char *why,
                                     size_t why_size);

/* The double a resolved target names (never NULL for a target from the resolver
 * on the same model). Trust `mean`/`strength` are derived and cannot be pointed
 * at: the resolver maps them, so use parley__scenario_target_get/set. */
double parley__scenario_target_get(const psc_model *m, const psc_target *t);
void parley__scenario_target_set(psc_model *m, const psc_target *t, double value);

/* The scenario's stage game (the prisoner's dilemma 3, 0, 5, 1 unless
 * games.stage_game says otherwise). */
static inline const parley_stage_game *psc_stage_game(const psc_model *m)
{
    return &m->games.stage.game;
}

/* The defined strategy named `name` (case-insensitive, as built-in names), or
 * -1. O(number of definitions). */
int parley__scenario_strategy_find(const psc_model *m, const char *name);

/* Compiles `spec` as the simulator and the game commands see it: a strategy
 * defined in games.strategies by name, else a built-in spec resolved against
 * `game` (NULL: the scenario's stage game). *out is new (parley_strategy_free).
 * Errors: PARLEY_EINPUT (unknown or bad spec), PARLEY_ENOMEM. Cost O(states). */
parley_status parley__scenario_strategy(const psc_model *m, const char *spec,
                                        const parley_stage_game *game, parley_strategy **out,
                                        parley_error *err);

/* Effective values of fields that inherit policy values. */
static inline double psc_issue_detection(const psc_model *m, size_t i)
{
    double d = m->issues[i].verification.detection;
    return isnan(d) ? m->policy.verification.detection : d;
}
static inline double psc_issue_false_alarm(const psc_model *m, size_t i)
{
    double f = m->issues[i].verification.false_alarm;
    return isnan(f) ? m->policy.verification.false_alarm : f;
}
/* The months (parley_date_month_index) in which a hazard event may happen. */
static inline void psc_hazard_window(const psc_model *m, size_t e, long *from, long *to)
{
    const psc_hazard *h = &m->events[e].hazard;
    *from = parley_date_month_index(h->from.year ? h->from : m->meta.start);
    *to = parley_date_month_index(h->to.year ? h->to : m->meta.horizon);
}
static inline double psc_forum_cadence(const psc_model *m, size_t f)
{
    double c = m->forums[f].cadence_months;
    return isnan(c) ? m->policy.cadence_months : c;
}

#endif
