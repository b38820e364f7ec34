/* The simulator's state, shared by the files of the process module:
 * sim.c (life cycle, the monthly round, events, support, endings),
 * negotiate.c (participation, agenda, proposal, acceptance, ratification) and
 * comply.c (implementation, verification, beliefs, inspections, withdrawal).
 * Everything that varies within a run lives here; the scenario clone holds the
 * primitives that events change, reset from the scenario at the start of each run. */
#ifndef PARLEY_PROCESS_SIM_INTERNAL_H
#define PARLEY_PROCESS_SIM_INTERNAL_H

#include "parley/game.h"
#include "parley/process.h"
#include "parley/rng.h"
#include "scenario/model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Utils of a fully salient issue from one end of the scale to the other: the
 * one utility scale on which positions, aid, costs and support are traded. */
#define SIM_UTILITY_SCALE 100.0
/* Monthly share of the gap to its baseline that domestic support closes. */
#define SIM_SUPPORT_REVERSION 0.05
/* Share of the expectations lever that press hype adds at a first meeting. */
#define SIM_HYPE_SHARE 0.3
/* Share of an actor's contact cost it pays again at each meeting once the
 * forum has met (judgement: the taboo is broken at the first meeting, the
 * domestic criticism of each later one is smaller). */
#define SIM_RECURRING_CONTACT_SHARE 0.25
#define SIM_MAX_TERMS 8
#define SIM_MAX_PARTIES 16

/* An agreement during a run: terms, parties, and each party's compliance
 * player (the game engine's memory of what it saw of the others). */
typedef struct sim_agreement {
    int n_terms;
    int issue[SIM_MAX_TERMS];
    double level[SIM_MAX_TERMS];
    double before[SIM_MAX_TERMS]; /* the status quo the terms replaced */
    int n_parties;
    int party[SIM_MAX_PARTIES];
    bool obliged[SIM_MAX_PARTIES];
    int watched_issue[SIM_MAX_PARTIES]; /* the issue whose channel shows this party's compliance */
    parley_player player[SIM_MAX_PARTIES];
    parley_action last_actual[SIM_MAX_PARTIES];
    bool blocked_logged[SIM_MAX_PARTIES];
    bool in_force;
    uint32_t clean_months; /* consecutive months with no alarm and full compliance */
} sim_agreement;

typedef struct sim_inspection {
    int observer;
    int suspect;
    int agreement;
    bool violated; /* what actually happened (the inspection reveals it) */
} sim_inspection;

typedef struct sim_forum_state {
    int next_round;      /* next plenary window */
    uint32_t meetings;
    int first_round;     /* -1 before the first meeting */
    uint32_t missed;     /* consecutive windows without participation */
    uint32_t months_participation;
    int chair_cursor;    /* position in chair_order */
    int *chair_order;    /* member indices, drawn by lot at the first meeting */
    bool back_burner;
    bool collapsed;
    bool settled_procedural; /* its procedural items are agreed */
    /* Convening by initiative: a window failed and no news bearing on the
     * forum has come since, so no one has a reason to propose a date. */
    bool undated;
    uint32_t undated_news;  /* the forum's news count when it lost its date */
} sim_forum_state;

struct parley_sim {
    const parley_scenario *base;
    parley_scenario *work; /* clone that events change; reset at each run start */
    psc_model *m;          /* the clone's model */
    parley_sim_params p;
    bool logging;

    size_t n_actors, n_issues, n_forums, rounds;
    long start_month;

    /* Fixed per scenario. */
    parley_strategy **strategy; /* per actor (principals and factions) */
    parley_stage_game pd;
    int *delegation;  /* per actor: its principal (itself for principals), -1 otherwise */
    int *voice;       /* per principal: the actor whose stance speaks (at_table) */
    int main_forum;   /* the forum whose collapse ends the run */
    int peace_extent; /* the first issue of kind peace_regime, -1 without one */
    double *effect_lo, *effect_hi; /* per event effect, flattened */
    size_t *effect_base;          /* per event: index of its first effect */

    /* Per run. */
    uint64_t seed;
    uint32_t draw, run, round;
    bool *type_trustworthy; /* per actor */
    double *alpha, *beta;   /* actor x actor beliefs */
    double *support, *expectation, *alarms_seen; /* per actor; alarms this month */
    double *gain_by_actor;  /* forum x actor: step 2's expected gains, this month */
    uint32_t *issue_news;   /* per issue: events so far that changed its inputs */
    uint32_t *forum_news;   /* per forum: events that changed a member's aid, need or cost there */
    double *participation_before; /* scratch for fire_event: forum x actor x 3 */
    uint32_t *tabled_empty; /* forum x issue: tablings without terms since the last news */
    double *tabled_mark;    /* forum x issue: the item's news and levels at the last one */
    double *undated_level;  /* forum x issue: the reference level when the forum lost its date */
    bool *event_fired;
    sim_forum_state *forum;
    sim_agreement agreement[PARLEY_SIM_MAX_AGREEMENTS];
    parley_agreement_record record[PARLEY_SIM_MAX_AGREEMENTS];
    size_t n_agreement;
    double *level;          /* per issue: the level currently implemented (NAN: status quo) */
    uint32_t *rung_clean;   /* per issue: months verified in a row */
    uint32_t rungs;
    sim_inspection *pending;
    size_t n_pending, cap_pending;
    bool ended;
    bool out_of_memory; /* a log entry or request could not be stored: the run fails */

    parley_log_entry *log;
    size_t n_log, cap_log;

    parley_run_summary summary;
    uint32_t *sum_meetings;
    int *sum_first;
    uint32_t *sum_participation;
    double *sum_belief;

    double *series_support, *series_belief;
    parley_sim_series series;
};

/* sim.c */
/* A principal's participation decision with what went into it: the chance
 * of attending, the expected gain G and the need-weighted side payment less
 * the cost of sitting down (the design's step 2), so that a reader of the log
 * can see why it came or stayed away. */
void sim_log_participation(parley_sim *sim, bool attends, int forum, int actor, double chance,
                           double gain, double pull);
void sim_log(parley_sim *sim, parley_log_kind kind, int forum, int actor, int other, int issue,
             int index, double value, double value2);
void sim_rng(const parley_sim *sim, parley_rng *rng, uint32_t mechanism, uint32_t actor);
double sim_believed_compliance(const parley_sim *sim, int actor, int other);
bool sim_is_principal(const parley_sim *sim, int actor);
double sim_status_quo(const parley_sim *sim, int issue);
double sim_position(const parley_sim *sim, int actor, int issue, double *salience);
/* The side payment offered to `actor` for sitting down in `forum`: the
 * forum's own side_payments where it sets one (aid tied to that forum, as the
 * 1998 pledges were to Geneva), else the actor's lever; 0 without need. */
double sim_side_payment(const parley_sim *sim, int actor, int forum);
double sim_sucker_loss(const parley_sim *sim, int actor);
double sim_lever(const parley_sim *sim, int actor, int lever);
parley_status sim_push_inspection(parley_sim *sim, const sim_inspection *ins);

/* comply.c */
void sim_supersede(parley_sim *sim, int forum, int n, const int *issue);

/* negotiate.c */
void sim_meetings(parley_sim *sim);
/* Would `actor` (speaking for itself) accept terms x on items, with belief q
 * about its counterparts? Used for acceptance, ratification, veto and withdrawal. */
bool sim_accepts(const parley_sim *sim, int actor, int n_items, const int *issue, const double *x,
                 const double *before, double q);
/* Would it stay in an agreement on those terms (acceptance with the exit cost)? */
bool sim_stays(const parley_sim *sim, int actor, int n_items, const int *issue, const double *x,
               const double *before, double q);
/* What the actor gives up on terms x; *exposure (when not NULL) the part it
 * would lose if the others defected: the stake less what reversible issues
 * give back. */
double sim_stake(const parley_sim *sim, int actor, int n_items, const int *issue, const double *x,
                 const double *before, double *exposure);
double sim_gain(const parley_sim *sim, int actor, int n_items, const int *issue, const double *x,
                const double *before);

/* comply.c */
/* A report about `suspect` reaches every member of `observer`'s delegation:
 * the channel-aware Beta update (an alarm, or a clean report). */
void sim_update_beliefs(parley_sim *sim, int observer, int suspect, bool alarm, double detection,
                        double false_alarm);
void sim_implementation(parley_sim *sim);
void sim_inspections_at_meeting(parley_sim *sim, int forum);
parley_status sim_add_agreement(parley_sim *sim, int forum, int scenario_index, int n_terms,
                                const int *issue, const double *level, const double *before,
                                int n_parties, const int *party, const bool *obliged,
                                const char *name);

#endif
