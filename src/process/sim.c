/* The simulator's life cycle and its monthly round: events, delegations'
 * coordination, meetings (negotiate.c), implementation and verification
 * (comply.c), domestic support, and the endings. docs/MODEL.md describes the
 * model in the ODD protocol; the step numbers below are the design's. */
#include "sim_internal.h"

#include "core/alloc.h"
#include "mechanisms.h"
#include "scenario/model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void parley_sim_params_default(parley_sim_params *params)
{
    params->participation_precision = 0.24;
    params->need_weight = 2.8;
    params->sucker_loss = 1.0;
    params->support_sensitivity = 0.05;
    params->expectation_adaptation = 0.05;
    params->implementation_noise = 0.02;
    params->loss_aversion = 2.25;
    params->political_cost = 0.5;
    params->mediator_credibility = 0.3;
    params->hedge_value = 1.0;
    params->inspection_cost = 10.0;
    params->exit_cost = 5.0;
    params->collapse_windows = 8;
    params->ablate = 0;
    params->null_model = false;
}

static const char *const ablation_names[PARLEY_ABLATION_COUNT] = {
    "contact_cost", "aid",     "agenda_consent", "peace_package", "sucker_loss",
    "veto_factions", "inspections", "beliefs",   "support",       "procedure_first",
    "amendments",    "record",  "convening"};

const char *parley_ablation_name(unsigned index)
{
    return index < PARLEY_ABLATION_COUNT ? ablation_names[index] : NULL;
}

parley_status parley_ablation_parse(const char *list, unsigned *mask, parley_error *err)
{
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        unsigned k = 0;
        while (k < PARLEY_ABLATION_COUNT &&
               !(strlen(ablation_names[k]) == len && strncmp(ablation_names[k], p, len) == 0))
            k++;
        if (k == PARLEY_ABLATION_COUNT)
            return parley_error_add(err, PARLEY_EUSAGE, "--ablate",
                                    "unknown mechanism '%.*s' (known: contact_cost, aid, "
                                    "agenda_consent, peace_package, sucker_loss, veto_factions, "
                                    "inspections, beliefs, support, procedure_first, "
                                    "amendments, record, convening)",
                                    (int)(len > 64 ? 64 : len), p);
        *mask |= 1u << k;
        p += len;
        if (*p == ',')
            p++;
    }
    return PARLEY_OK;
}

const char *parley_outcome_name(parley_outcome outcome)
{
    switch (outcome) {
    case PARLEY_OUTCOME_TREATY: return "treaty";
    case PARLEY_OUTCOME_COLLAPSE: return "collapse";
    case PARLEY_OUTCOME_NONE: break;
    }
    return "none";
}

/* ------------------------------------------------------------ small helpers */

void sim_log(parley_sim *sim, parley_log_kind kind, int forum, int actor, int other, int issue,
             int index, double value, double value2)
{
    if (!sim->logging)
        return;
    if (sim->n_log == sim->cap_log) {
        size_t cap = sim->cap_log ? 2 * sim->cap_log : 256;
        parley_log_entry *grown = parley__realloc_array(sim->log, cap, sizeof *grown);
        if (!grown) {
            sim->out_of_memory = true; /* a truncated timeline must not pass for a whole one */
            return;
        }
        sim->log = grown;
        sim->cap_log = cap;
    }
    long month = sim->start_month + (long)sim->round * sim->m->meta.round_months;
    parley_log_entry *e = &sim->log[sim->n_log++];
    e->round = sim->round;
    e->date = (parley_date){(int)(month / 12), (int)(month % 12) + 1, 0};
    e->kind = kind;
    e->forum = forum;
    e->actor = actor;
    e->other = other;
    e->issue = issue;
    e->index = index;
    e->value = value;
    e->value2 = value2;
    e->value3 = NAN;
}

void sim_log_participation(parley_sim *sim, bool attends, int forum, int actor, double chance,
                           double gain, double pull)
{
    size_t before = sim->n_log;
    sim_log(sim, attends ? PARLEY_LOG_ATTENDS : PARLEY_LOG_ABSENT, forum, actor, -1, -1, -1,
            chance, gain);
    if (sim->n_log > before)
        sim->log[sim->n_log - 1].value3 = pull;
}

void sim_rng(const parley_sim *sim, parley_rng *rng, uint32_t mechanism, uint32_t actor)
{
    parley_stream_id id = {.seed = sim->seed, .draw = sim->draw, .run = sim->run,
                           .mechanism = mechanism, .actor = actor, .round = sim->round};
    parley_rng_init(rng, &id);
}

bool sim_is_principal(const parley_sim *sim, int actor)
{
    return sim->m->actors[actor].kind == PARLEY_ACTOR_PRINCIPAL;
}

double sim_believed_compliance(const parley_sim *sim, int actor, int other)
{
    size_t k = (size_t)actor * sim->n_actors + (size_t)other;
    return sim->alpha[k] / (sim->alpha[k] + sim->beta[k]);
}

double sim_status_quo(const parley_sim *sim, int issue)
{
    double level = sim->level[issue];
    return isnan(level) ? sim->m->issues[issue].status_quo : level;
}

double sim_position(const parley_sim *sim, int actor, int issue, double *salience)
{
    int k = sim->m->stance_at[(size_t)actor * sim->n_issues + (size_t)issue];
    if (k < 0) {
        *salience = 0.0;
        return sim_status_quo(sim, issue);
    }
    *salience = sim->m->stances[k].salience;
    return sim->m->stances[k].position;
}

/* A policy lever for one actor: its override if the scenario gives one. */
double sim_lever(const parley_sim *sim, int actor, int lever)
{
    const psc_policy *pol = &sim->m->policy;
    for (size_t i = 0; i < pol->n_overrides; i++)
        if (pol->overrides[i].actor == actor && pol->overrides[i].lever == lever)
            return pol->overrides[i].value;
    switch (lever) {
    case PSC_LEVER_VERIFY_MONTHS: return pol->verify_months;
    case PSC_LEVER_EXPECTATIONS: return pol->expectations;
    case PSC_LEVER_COORDINATION: return pol->coordination;
    case PSC_LEVER_END_STATE_CLARITY: return pol->end_state_clarity;
    case PSC_LEVER_CADENCE_MONTHS: return pol->cadence_months;
    case PSC_LEVER_SIDE_PAYMENTS: return pol->side_payments;
    case PSC_LEVER_SPOILERS: return pol->spoilers;
    case PSC_LEVER_DETECTION: return pol->verification.detection;
    default: return pol->verification.false_alarm;
    }
}

/* The sucker's loss per util exposed. An actor's risk attitude enters the
 * model here and only here: acceptance and Kydd's compliance game are
 * lotteries between the others complying and being caught complying alone,
 * and a risk-averse delegation (risk < 0) weighs the bad branch by 1 - risk
 * (the DPRK's risk-averse regime with no picture of the end game, seed). */
double sim_sucker_loss(const parley_sim *sim, int actor)
{
    int principal = sim->delegation[actor] >= 0 ? sim->delegation[actor] : actor;
    return sim->p.sucker_loss * (1.0 - sim->m->actors[principal].risk);
}

/* Aid offered to an actor for taking part: only an actor in need is paid. */
double sim_side_payment(const parley_sim *sim, int actor, int forum)
{
    if (sim->m->actors[actor].need <= 0.0)
        return 0.0;
    double tied = forum >= 0 ? sim->m->forums[forum].side_payments : NAN;
    return isnan(tied) ? sim_lever(sim, actor, PSC_LEVER_SIDE_PAYMENTS) : tied;
}

parley_status sim_push_inspection(parley_sim *sim, const sim_inspection *ins)
{
    for (size_t i = 0; i < sim->n_pending; i++)
        if (sim->pending[i].observer == ins->observer && sim->pending[i].suspect == ins->suspect &&
            sim->pending[i].agreement == ins->agreement)
            return PARLEY_OK; /* one request per suspicion is enough */
    if (sim->n_pending == sim->cap_pending) {
        size_t cap = sim->cap_pending ? 2 * sim->cap_pending : 8;
        sim_inspection *grown = parley__realloc_array(sim->pending, cap, sizeof *grown);
        if (!grown)
            return PARLEY_ENOMEM;
        sim->pending = grown;
        sim->cap_pending = cap;
    }
    sim->pending[sim->n_pending++] = *ins;
    return PARLEY_OK;
}

/* ------------------------------------------------------------ construction */

static parley_status build_delegations(parley_sim *sim, parley_error *err)
{
    const psc_model *m = sim->m;
    for (size_t a = 0; a < sim->n_actors; a++) {
        const psc_actor *ac = &m->actors[a];
        sim->delegation[a] = ac->kind == PARLEY_ACTOR_PRINCIPAL ? (int)a
                             : ac->kind == PARLEY_ACTOR_FACTION ? ac->parent
                                                                : -1;
        sim->voice[a] = (int)a;
    }
    /* A faction marked at_table speaks for its principal when the principal is
     * not itself at the table (the DPRK Foreign Ministry). */
    for (size_t a = 0; a < sim->n_actors; a++) {
        const psc_actor *ac = &m->actors[a];
        if (ac->kind == PARLEY_ACTOR_FACTION && ac->at_table && !m->actors[ac->parent].at_table)
            sim->voice[ac->parent] = (int)a;
    }
    for (size_t a = 0; a < sim->n_actors; a++) {
        if (sim->delegation[a] < 0 && m->actors[a].kind != PARLEY_ACTOR_MEDIATOR)
            continue;
        char where[96];
        snprintf(where, sizeof where, "actors[%zu].compliance_strategy", a);
        /* A strategy the scenario defines (games.strategies) or a built-in
         * spec, on the scenario's stage game. */
        parley_status st = parley__scenario_strategy(m, m->actors[a].compliance_strategy,
                                                     &sim->pd, &sim->strategy[a], err);
        if (st != PARLEY_OK) {
            parley_error_add(err, st, where, "the game engine cannot use strategy '%s'",
                             m->actors[a].compliance_strategy);
            return st;
        }
    }
    return PARLEY_OK;
}

/* The main forum is the first whose members include every principal: its
 * collapse ends the talks. Without one, the first forum. */
static int find_main_forum(const psc_model *m)
{
    for (size_t f = 0; f < m->n_forums; f++) {
        size_t principals_in = 0, principals = 0;
        for (size_t a = 0; a < m->n_actors; a++) {
            if (m->actors[a].kind != PARLEY_ACTOR_PRINCIPAL)
                continue;
            principals++;
            for (size_t k = 0; k < m->forums[f].n_members; k++)
                if (m->forums[f].members[k] == (int)a)
                    principals_in++;
        }
        if (principals > 0 && principals_in == principals)
            return (int)f;
    }
    return m->n_forums ? 0 : -1;
}

parley_status parley_sim_new(const parley_scenario *sc, const parley_sim_params *params,
                             parley_sim **out, parley_error *err)
{
    *out = NULL;
    parley_sim *sim = parley__calloc(1, sizeof *sim);
    if (!sim)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory building the simulator");
    sim->base = sc;
    sim->logging = true;
    if (params)
        sim->p = *params;
    else
        parley_sim_params_default(&sim->p);
    if (sim->p.ablate & PARLEY_ABLATE_SUCKER_LOSS)
        sim->p.sucker_loss = 0.0;
    parley_status st = parley_scenario_clone(sc, &sim->work, err);
    if (st != PARLEY_OK) {
        parley__free(sim);
        return st;
    }
    sim->m = parley__scenario_model_mut(sim->work);
    const psc_model *m = sim->m;
    sim->n_actors = m->n_actors;
    sim->n_issues = m->n_issues;
    sim->n_forums = m->n_forums;
    sim->rounds = parley_scenario_rounds(sc);
    sim->start_month = parley_date_month_index(m->meta.start);
    sim->pd = *psc_stage_game(m); /* the prisoner's dilemma 3, 0, 5, 1 unless the file says */

    size_t n = sim->n_actors, n_effects = 0;
    for (size_t e = 0; e < m->n_events; e++)
        n_effects += m->events[e].n_effects;
    sim->strategy = PARLEY_NEW_ARRAY(parley_strategy *, n);
    sim->delegation = PARLEY_NEW_ARRAY(int, n);
    sim->voice = PARLEY_NEW_ARRAY(int, n);
    sim->effect_lo = PARLEY_NEW_ARRAY(double, n_effects);
    sim->effect_hi = PARLEY_NEW_ARRAY(double, n_effects);
    sim->effect_base = PARLEY_NEW_ARRAY(size_t, m->n_events);
    sim->type_trustworthy = PARLEY_NEW_ARRAY(bool, n);
    sim->alpha = PARLEY_NEW_ARRAY(double, n * n);
    sim->beta = PARLEY_NEW_ARRAY(double, n * n);
    sim->support = PARLEY_NEW_ARRAY(double, n);
    sim->expectation = PARLEY_NEW_ARRAY(double, n);
    sim->alarms_seen = PARLEY_NEW_ARRAY(double, n);
    sim->gain_by_actor = PARLEY_NEW_ARRAY(double, (sim->n_forums ? sim->n_forums : 1) * n);
    sim->event_fired = PARLEY_NEW_ARRAY(bool, m->n_events);
    size_t forum_issues = (sim->n_forums ? sim->n_forums : 1) * (sim->n_issues ? sim->n_issues : 1);
    sim->issue_news = PARLEY_NEW_ARRAY(uint32_t, sim->n_issues ? sim->n_issues : 1);
    sim->forum_news = PARLEY_NEW_ARRAY(uint32_t, sim->n_forums ? sim->n_forums : 1);
    sim->participation_before =
        PARLEY_NEW_ARRAY(double, 3 * (sim->n_forums ? sim->n_forums : 1) * n);
    sim->tabled_empty = PARLEY_NEW_ARRAY(uint32_t, forum_issues);
    sim->tabled_mark = PARLEY_NEW_ARRAY(double, forum_issues);
    sim->undated_level = PARLEY_NEW_ARRAY(double, forum_issues);
    sim->forum = PARLEY_NEW_ARRAY(sim_forum_state, sim->n_forums);
    sim->level = PARLEY_NEW_ARRAY(double, sim->n_issues);
    sim->rung_clean = PARLEY_NEW_ARRAY(uint32_t, sim->n_issues);
    sim->sum_meetings = PARLEY_NEW_ARRAY(uint32_t, sim->n_forums);
    sim->sum_first = PARLEY_NEW_ARRAY(int, sim->n_forums);
    sim->sum_participation = PARLEY_NEW_ARRAY(uint32_t, sim->n_forums);
    sim->sum_belief = PARLEY_NEW_ARRAY(double, n * n);
    sim->series_support = PARLEY_NEW_ARRAY(double, sim->rounds * n);
    sim->series_belief = PARLEY_NEW_ARRAY(double, sim->rounds * n * n);
    bool ok = sim->strategy && sim->delegation && sim->voice && sim->effect_lo &&
              sim->effect_hi && sim->effect_base && sim->type_trustworthy && sim->alpha &&
              sim->beta && sim->support && sim->expectation && sim->alarms_seen && sim->gain_by_actor &&
              sim->event_fired && sim->issue_news && sim->forum_news &&
              sim->participation_before && sim->tabled_empty && sim->tabled_mark &&
              sim->undated_level &&
              sim->forum && sim->level && sim->rung_clean &&
              sim->sum_meetings && sim->sum_first && sim->sum_participation &&
              sim->sum_belief && sim->series_support && sim->series_belief;
    for (size_t f = 0; ok && f < sim->n_forums; f++) {
        sim->forum[f].chair_order = PARLEY_NEW_ARRAY(int, m->forums[f].n_members);
        ok = sim->forum[f].chair_order != NULL;
    }
    if (!ok) {
        parley_sim_free(sim);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory building the simulator");
    }
    size_t k = 0;
    for (size_t e = 0; e < m->n_events; e++) {
        sim->effect_base[e] = k;
        for (size_t j = 0; j < m->events[e].n_effects; j++, k++) {
            psc_target t;
            bool primitive;
            char why[160];
            if (!parley__scenario_resolve_number(m, m->events[e].effects[j].path, &t,
                                                 &sim->effect_lo[k], &sim->effect_hi[k],
                                                 &primitive, why, sizeof why)) {
                sim->effect_lo[k] = -INFINITY; /* the loader resolved it: cannot happen */
                sim->effect_hi[k] = INFINITY;
            }
        }
    }
    st = build_delegations(sim, err);
    if (st != PARLEY_OK) {
        parley_sim_free(sim);
        return st;
    }
    sim->main_forum = find_main_forum(m);
    sim->peace_extent = -1;
    for (size_t i = 0; i < sim->n_issues && sim->peace_extent < 0 &&
                       !(sim->p.ablate & PARLEY_ABLATE_PEACE_PACKAGE);
         i++)
        if (m->issues[i].kind == PARLEY_ISSUE_PEACE_REGIME)
            sim->peace_extent = (int)i;
    *out = sim;
    return PARLEY_OK;
}

void parley_sim_free(parley_sim *sim)
{
    if (!sim)
        return;
    if (sim->strategy)
        for (size_t a = 0; a < sim->n_actors; a++)
            parley_strategy_free(sim->strategy[a]);
    if (sim->forum)
        for (size_t f = 0; f < sim->n_forums; f++)
            parley__free(sim->forum[f].chair_order);
    void *arrays[] = {sim->strategy, sim->delegation, sim->voice, sim->effect_lo, sim->effect_hi,
                      sim->effect_base, sim->type_trustworthy, sim->alpha, sim->beta,
                      sim->support, sim->expectation, sim->alarms_seen, sim->gain_by_actor,
                      sim->event_fired, sim->issue_news, sim->forum_news,
                      sim->participation_before, sim->tabled_empty, sim->tabled_mark,
                      sim->undated_level,
                      sim->forum, sim->level, sim->rung_clean, sim->pending, sim->log,
                      sim->sum_meetings, sim->sum_first, sim->sum_participation,
                      sim->sum_belief, sim->series_support, sim->series_belief};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
        parley__free(arrays[i]);
    parley_scenario_free(sim->work);
    parley__free(sim);
}

void parley_sim_set_logging(parley_sim *sim, bool on) { sim->logging = on; }

/* ------------------------------------------------------------- run start */

/* Copies every number an event may change from the scenario back into the
 * working clone, so each run starts from the file's values. */
static void reset_primitives(parley_sim *sim)
{
    const psc_model *b = parley__scenario_model(sim->base);
    psc_model *m = sim->m;
    for (size_t a = 0; a < m->n_actors; a++) {
        psc_actor *w = &m->actors[a];
        const psc_actor *o = &b->actors[a];
        w->capability = o->capability;
        w->risk = o->risk;
        w->need = o->need;
        w->support = o->support;
        w->contact_cost = o->contact_cost;
        w->type_prior = o->type_prior;
    }
    for (size_t i = 0; i < m->n_issues; i++) {
        m->issues[i].status_quo = b->issues[i].status_quo;
        m->issues[i].verification = b->issues[i].verification;
    }
    for (size_t s = 0; s < m->n_stances; s++) {
        m->stances[s].position = b->stances[s].position;
        m->stances[s].salience = b->stances[s].salience;
    }
    for (size_t t = 0; t < m->n_trust; t++) {
        m->trust[t].alpha = b->trust[t].alpha;
        m->trust[t].beta = b->trust[t].beta;
    }
    psc_override *keep = m->policy.overrides;
    m->policy = b->policy;
    m->policy.overrides = keep;
    for (size_t o = 0; o < m->policy.n_overrides; o++)
        keep[o].value = b->policy.overrides[o].value;
    for (size_t f = 0; f < m->n_forums; f++) {
        m->forums[f].cadence_months = b->forums[f].cadence_months;
        m->forums[f].side_payments = b->forums[f].side_payments;
    }
}

static int date_round(const parley_sim *sim, parley_date d)
{
    long months = parley_date_month_index(d) - sim->start_month;
    if (months < 0)
        return -1;
    return (int)(months / sim->m->meta.round_months);
}

static parley_status start_run(parley_sim *sim)
{
    psc_model *m = sim->m;
    size_t n = sim->n_actors;
    reset_primitives(sim);
    sim->round = 0;
    sim->ended = false;
    sim->out_of_memory = false;
    sim->n_log = 0;
    sim->n_pending = 0;
    sim->n_agreement = 0;
    sim->rungs = 0;
    memset(&sim->summary, 0, sizeof sim->summary);
    sim->summary.outcome_round = -1;
    sim->summary.treaty_extent = NAN;
    for (size_t e = 0; e < m->n_events; e++)
        sim->event_fired[e] = false;
    for (size_t i = 0; i < sim->n_issues; i++) {
        sim->level[i] = NAN;
        sim->rung_clean[i] = 0;
        sim->issue_news[i] = 0;
    }
    for (size_t k = 0; k < sim->n_forums * sim->n_issues; k++) {
        sim->tabled_empty[k] = 0;
        sim->tabled_mark[k] = 0.0;
    }
    /* Types are drawn once per run from the priors (Kydd 2005): the others
     * never see them, only what the channel shows of their behaviour. */
    for (size_t a = 0; a < n; a++) {
        parley_rng rng;
        sim_rng(sim, &rng, PARLEY_MECH_TYPES, (uint32_t)a);
        sim->type_trustworthy[a] = parley_rng_bernoulli(&rng, m->actors[a].type_prior);
        sim->support[a] = m->actors[a].support;
        sim->expectation[a] = 0.0; /* hype arrives with the first meeting */
        sim->alarms_seen[a] = 0.0;
    }
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++) {
            double prior = m->actors[b].type_prior;
            sim->alpha[a * n + b] = 2.0 * prior;
            sim->beta[a * n + b] = 2.0 * (1.0 - prior);
        }
    for (size_t t = 0; t < m->n_trust; t++) {
        size_t k = (size_t)m->trust[t].from * n + (size_t)m->trust[t].to;
        sim->alpha[k] = m->trust[t].alpha;
        sim->beta[k] = m->trust[t].beta;
    }
    /* Factions without beliefs of their own share their principal's. */
    for (size_t a = 0; a < n; a++) {
        if (m->actors[a].kind != PARLEY_ACTOR_FACTION)
            continue;
        size_t p = (size_t)m->actors[a].parent;
        for (size_t b = 0; b < n; b++) {
            bool own = false;
            for (size_t t = 0; t < m->n_trust; t++)
                own |= m->trust[t].from == (int)a && m->trust[t].to == (int)b;
            if (!own) {
                sim->alpha[a * n + b] = sim->alpha[p * n + b];
                sim->beta[a * n + b] = sim->beta[p * n + b];
            }
        }
    }
    for (size_t f = 0; f < sim->n_forums; f++) {
        sim_forum_state *fs = &sim->forum[f];
        int open = m->forums[f].start.year ? date_round(sim, m->forums[f].start) : 0;
        fs->next_round = open < 0 ? 0 : open;
        fs->meetings = 0;
        fs->first_round = -1;
        fs->missed = 0;
        fs->months_participation = 0;
        fs->chair_cursor = -1;
        fs->back_burner = false;
        fs->collapsed = false;
        fs->settled_procedural = false;
        fs->undated = false;
        fs->undated_news = 0;
        sim->forum_news[f] = 0;
    }
    /* Agreements in force at the start: their terms are the implemented level. */
    for (size_t g = 0; g < m->n_agreements; g++) {
        const psc_agreement *ag = &m->agreements[g];
        int issue[SIM_MAX_TERMS], party[SIM_MAX_PARTIES];
        double level[SIM_MAX_TERMS], before[SIM_MAX_TERMS];
        bool obliged[SIM_MAX_PARTIES];
        int nt = 0, np = 0;
        for (size_t t = 0; t < ag->n_terms && nt < SIM_MAX_TERMS; t++, nt++) {
            issue[nt] = ag->terms[t].issue;
            level[nt] = ag->terms[t].level;
            before[nt] = m->issues[issue[nt]].status_quo;
        }
        for (size_t q = 0; q < ag->n_parties && np < SIM_MAX_PARTIES; q++, np++) {
            party[np] = ag->parties[q];
            obliged[np] = ag->n_obligations == 0;
            for (size_t o = 0; o < ag->n_obligations; o++)
                obliged[np] |= ag->obligations[o].actor == party[np];
        }
        parley_status st = sim_add_agreement(sim, -1, (int)g, nt, issue, level, before, np, party,
                                             obliged, ag->name);
        if (st != PARLEY_OK)
            return st;
    }
    return PARLEY_OK;
}

/* ----------------------------------------------------------------- step 1 */

static bool condition_holds(const parley_sim *sim, const psc_condition *c)
{
    switch (c->kind) {
    case PSC_COND_AFTER: return sim->event_fired[c->after];
    case PSC_COND_ABOVE: return parley__scenario_target_get(sim->m, &c->target) > c->threshold;
    case PSC_COND_BELOW: return parley__scenario_target_get(sim->m, &c->target) < c->threshold;
    default: return true;
    }
}

static double clamp(double x, double lo, double hi) { return x < lo ? lo : (x > hi ? hi : x); }

/* Whether an effect is news on the terms of every issue (negotiate.c's forum
 * record): a belief, or an actor's weight, risk or support, changes what every
 * party would accept or propose; its need or contact cost changes only who sits. */
static bool news_everywhere(const psc_effect *fx)
{
    if (fx->target.section == PSC_SEC_TRUST)
        return true;
    if (fx->target.section != PSC_SEC_ACTORS)
        return false;
    const char *field = strrchr(fx->path, '.');
    return field && (strcmp(field, ".capability") == 0 || strcmp(field, ".risk") == 0 ||
                     strcmp(field, ".support") == 0);
}

/* What a principal weighs at a forum's window besides the agenda's gain: the
 * aid offered to it there, its need and its cost of sitting down. Only these
 * sections hold them (the forum's own aid, the actor, the policy lever and
 * an actor's override of it). */
static bool touches_participation(const psc_effect *fx)
{
    int s = fx->target.section;
    return s == PSC_SEC_ACTORS || s == PSC_SEC_FORUMS || s == PSC_SEC_POLICY ||
           s == PSC_SEC_OVERRIDES;
}

static void participation_inputs(const parley_sim *sim, double *out)
{
    const psc_model *m = sim->m;
    for (size_t f = 0; f < sim->n_forums; f++)
        for (size_t k = 0; k < m->forums[f].n_members; k++) {
            int a = m->forums[f].members[k];
            double *o = out + 3 * (f * sim->n_actors + (size_t)a);
            o[0] = sim_side_payment(sim, a, (int)f);
            o[1] = m->actors[a].need;
            o[2] = m->actors[a].contact_cost;
        }
}

/* News for convening by initiative (negotiate.c): a change to what a member
 * weighs at the forum's window is a reason to propose a date again. */
static void note_participation_news(parley_sim *sim, const double *before)
{
    const psc_model *m = sim->m;
    for (size_t f = 0; f < sim->n_forums; f++) {
        bool changed = false;
        for (size_t k = 0; k < m->forums[f].n_members && !changed; k++) {
            int a = m->forums[f].members[k];
            if (!sim_is_principal(sim, a))
                continue;
            size_t at = 3 * (f * sim->n_actors + (size_t)a);
            double now[3] = {sim_side_payment(sim, a, (int)f), m->actors[a].need,
                             m->actors[a].contact_cost};
            for (int j = 0; j < 3; j++)
                changed |= now[j] != before[at + (size_t)j];
        }
        sim->forum_news[f] += changed;
    }
}

/* Applies an event's effects to the primitives. Beliefs and support also live
 * in the run's state, so their changes are carried over as differences. */
static void fire_event(parley_sim *sim, size_t e)
{
    psc_model *m = sim->m;
    const psc_event *ev = &m->events[e];
    sim->event_fired[e] = true;
    sim_log(sim, PARLEY_LOG_EVENT, -1, -1, -1, -1, (int)e, NAN, NAN);
    for (size_t j = 0; j < ev->n_effects; j++) {
        const psc_effect *fx = &ev->effects[j];
        size_t k = sim->effect_base[e] + j;
        double old = parley__scenario_target_get(m, &fx->target);
        double v = fx->op == PSC_OP_SET ? fx->value
                   : fx->op == PSC_OP_ADD ? old + fx->value
                                          : old * fx->value;
        v = clamp(v, sim->effect_lo[k], sim->effect_hi[k]);
        /* Snapshot what the run mirrors before the change. */
        size_t at = (size_t)fx->target.index;
        bool on_trust = fx->target.section == PSC_SEC_TRUST;
        bool on_actor = fx->target.section == PSC_SEC_ACTORS;
        double a_old = on_trust ? m->trust[at].alpha : 0.0;
        double b_old = on_trust ? m->trust[at].beta : 0.0;
        double s_old = on_actor ? m->actors[at].support : 0.0;
        bool participation = touches_participation(fx);
        if (participation)
            participation_inputs(sim, sim->participation_before);
        parley__scenario_target_set(m, &fx->target, v);
        if (participation)
            note_participation_news(sim, sim->participation_before);
        if (v != old) {
            if (fx->target.section == PSC_SEC_STANCES)
                sim->issue_news[m->stances[fx->target.index].issue]++;
            else if (fx->target.section == PSC_SEC_ISSUES)
                sim->issue_news[fx->target.index]++;
            else if (news_everywhere(fx))
                for (size_t i = 0; i < sim->n_issues; i++)
                    sim->issue_news[i]++;
        }
        if (on_trust) {
            const psc_trust *tr = &m->trust[at];
            size_t pair = (size_t)tr->from * sim->n_actors + (size_t)tr->to;
            sim->alpha[pair] = fmax(1e-3, sim->alpha[pair] + tr->alpha - a_old);
            sim->beta[pair] = fmax(1e-3, sim->beta[pair] + tr->beta - b_old);
        }
        if (on_actor)
            sim->support[at] = clamp(sim->support[at] + m->actors[at].support - s_old, 0.0, 1.0);
    }
}

static void step_events(parley_sim *sim)
{
    const psc_model *m = sim->m;
    for (size_t e = 0; e < m->n_events; e++) {
        const psc_event *ev = &m->events[e];
        if (sim->event_fired[e])
            continue;
        bool due;
        double p;
        if (ev->date.year) {
            due = date_round(sim, ev->date) == (int)sim->round;
            p = ev->probability;
        } else {
            int from = date_round(sim, ev->hazard.from), to = date_round(sim, ev->hazard.to);
            due = (int)sim->round >= from && (int)sim->round <= to;
            p = parley__hazard_probability(ev->hazard.rate);
        }
        if (!due || !condition_holds(sim, &ev->condition))
            continue;
        parley_rng rng;
        sim_rng(sim, &rng, PARLEY_MECH_EVENTS, (uint32_t)e);
        if (p >= 1.0 || parley_rng_bernoulli(&rng, p))
            fire_event(sim, e);
    }
}

/* ----------------------------------------------------------------- step 3 */

/* Coordination pulls each faction's positions toward its delegation's voice
 * (DeGroot averaging), by the delegation's coordination lever per month. */
static void step_coordination(parley_sim *sim)
{
    psc_model *m = sim->m;
    for (size_t a = 0; a < sim->n_actors; a++) {
        if (m->actors[a].kind != PARLEY_ACTOR_FACTION)
            continue;
        int principal = m->actors[a].parent;
        int voice = sim->voice[principal];
        if (voice == (int)a)
            continue;
        double weight = 0.1 * sim_lever(sim, principal, PSC_LEVER_COORDINATION);
        for (size_t i = 0; i < sim->n_issues; i++) {
            int k = m->stance_at[a * sim->n_issues + i];
            int kv = m->stance_at[(size_t)voice * sim->n_issues + i];
            if (k < 0 || kv < 0)
                continue;
            m->stances[k].position =
                parley__coordinate(m->stances[k].position, m->stances[kv].position, weight);
        }
    }
}

/* ----------------------------------------------------------------- step 10 */

/* Progress as the actor sees it: the share of its attainable gain that the
 * implemented levels have realised, in [0, 1]. */
static double progress(const parley_sim *sim, int actor)
{
    double got = 0.0, possible = 0.0;
    const psc_model *m = sim->m;
    for (size_t i = 0; i < sim->n_issues; i++) {
        double s, x = sim_position(sim, actor, (int)i, &s);
        if (s <= 0.0)
            continue;
        double start = m->issues[i].status_quo;
        double now = sim_status_quo(sim, (int)i);
        possible += s * fabs(x - start);
        got += s * (fabs(x - start) - fabs(x - now));
    }
    return possible > 0.0 ? clamp(got / possible, 0.0, 1.0) : 0.0;
}

static void step_support(parley_sim *sim)
{
    if (sim->p.ablate & PARLEY_ABLATE_SUPPORT)
        return;
    for (size_t a = 0; a < sim->n_actors; a++) {
        if (sim->delegation[a] < 0)
            continue;
        double result = progress(sim, (int)a);
        double spoilers = sim_lever(sim, sim->delegation[a], PSC_LEVER_SPOILERS);
        /* Support drifts back toward its partisan baseline (the scenario's
         * value) and moves with surprises and publicised alarms. */
        double baseline = sim->m->actors[a].support;
        double drifted = sim->support[a] + SIM_SUPPORT_REVERSION * (baseline - sim->support[a]);
        sim->support[a] = parley__support_update(
            drifted, sim->p.support_sensitivity, sim->p.loss_aversion, result,
            sim->expectation[a], 0.1 * spoilers, sim->alarms_seen[a]);
        sim->expectation[a] = parley__expectation_update(
            sim->expectation[a], sim->p.expectation_adaptation, result, 0.0);
        sim->alarms_seen[a] = 0.0;
    }
}

/* ----------------------------------------------------------------- the run */

static void record_series(parley_sim *sim)
{
    size_t n = sim->n_actors, r = sim->round;
    if (r >= sim->rounds)
        return;
    memcpy(&sim->series_support[r * n], sim->support, n * sizeof *sim->support);
    for (size_t k = 0; k < n * n; k++)
        sim->series_belief[r * n * n + k] = sim->alpha[k] / (sim->alpha[k] + sim->beta[k]);
}

static void finish_summary(parley_sim *sim)
{
    parley_run_summary *s = &sim->summary;
    size_t n = sim->n_actors;
    s->rounds = sim->round;
    s->main_forum = sim->main_forum;
    s->cbm_rungs = sim->rungs;
    for (size_t f = 0; f < sim->n_forums; f++) {
        sim->sum_meetings[f] = sim->forum[f].meetings;
        sim->sum_first[f] = sim->forum[f].first_round;
        sim->sum_participation[f] = sim->forum[f].months_participation;
    }
    for (size_t k = 0; k < n * n; k++)
        sim->sum_belief[k] = sim->alpha[k] / (sim->alpha[k] + sim->beta[k]);
    s->meetings = sim->sum_meetings;
    s->first_meeting_round = sim->sum_first;
    s->months_participation = sim->sum_participation;
    s->support = sim->support;
    s->belief_mean = sim->sum_belief;
    s->n_agreements = sim->n_agreement;
    s->agreement = sim->record;
    sim->series.rounds = sim->round < sim->rounds ? sim->round : sim->rounds;
    sim->series.n_actors = n;
    sim->series.support = sim->series_support;
    sim->series.belief_mean = sim->series_belief;
}

void parley_sim_stream(const parley_sim *sim, uint64_t *seed, uint32_t *draw, uint32_t *run)
{
    *seed = sim->seed;
    *draw = sim->draw;
    *run = sim->run;
}

parley_status parley_sim_run(parley_sim *sim, uint64_t seed, uint32_t draw, uint32_t run,
                             parley_error *err)
{
    sim->seed = seed;
    sim->draw = draw;
    sim->run = run;
    parley_status st = start_run(sim);
    if (st != PARLEY_OK)
        return parley_error_add(err, st, NULL, "out of memory starting a run");
    for (sim->round = 0; sim->round < sim->rounds && !sim->ended && !sim->out_of_memory;
         sim->round++) {
        step_events(sim);
        step_coordination(sim);
        sim_meetings(sim);
        if (sim->ended) {
            record_series(sim);
            sim->round++;
            break;
        }
        sim_implementation(sim);
        step_support(sim);
        record_series(sim);
    }
    finish_summary(sim);
    if (sim->out_of_memory)
        return parley_error_add(err, PARLEY_ENOMEM, NULL,
                                "out of memory during the run: its record would be incomplete");
    return PARLEY_OK;
}

const parley_run_summary *parley_sim_summary(const parley_sim *sim) { return &sim->summary; }
const parley_sim_series *parley_sim_get_series(const parley_sim *sim) { return &sim->series; }
size_t parley_sim_log_count(const parley_sim *sim) { return sim->n_log; }
const parley_log_entry *parley_sim_log(const parley_sim *sim, size_t i)
{
    return i < sim->n_log ? &sim->log[i] : NULL;
}
const parley_scenario *parley_sim_scenario(const parley_sim *sim) { return sim->work; }
