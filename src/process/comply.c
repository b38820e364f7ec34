/* Agreements once signed: each party's compliance by type (Kydd's thresholds),
 * strategy (the game engine's players) and noise (step 7), veto factions
 * blocking execution, verification through noisy channels and inspections
 * traded for side payments (step 8), channel-aware belief updates (step 9),
 * the CBM ladder, and withdrawal when an agreement no longer passes a party's
 * own acceptance rule. */
#include "sim_internal.h"

#include "core/utf8.h"

#include "mechanisms.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

parley_status sim_add_agreement(parley_sim *sim, int forum, int scenario_index, int n_terms,
                                const int *issue, const double *level, const double *before,
                                int n_parties, const int *party, const bool *obliged,
                                const char *name)
{
    if (sim->n_agreement >= PARLEY_SIM_MAX_AGREEMENTS)
        return PARLEY_ELIMIT;
    size_t g = sim->n_agreement++;
    sim_agreement *ag = &sim->agreement[g];
    memset(ag, 0, sizeof *ag);
    ag->n_terms = n_terms;
    bool procedural = true;
    for (int t = 0; t < n_terms; t++) {
        ag->issue[t] = issue[t];
        ag->level[t] = level[t];
        ag->before[t] = before[t];
        procedural &= sim->m->issues[issue[t]].kind == PARLEY_ISSUE_PROCEDURAL;
        sim->level[issue[t]] = level[t]; /* in force: its terms are the status quo */
    }
    ag->n_parties = n_parties;
    for (int k = 0; k < n_parties; k++) {
        ag->party[k] = party[k];
        ag->obliged[k] = obliged[k];
        ag->last_actual[k] = PARLEY_C;
        /* A party's compliance is seen on the term it gives most on: its
         * obligations in a scenario agreement, its concessions in a new one. */
        ag->watched_issue[k] = issue[0];
        double worst = 0.0;
        for (int t = 0; t < n_terms; t++) {
            double s;
            double p = sim_position(sim, sim->voice[party[k]], issue[t], &s);
            double given = s * (fabs(level[t] - p) - fabs(before[t] - p));
            if (given > worst) {
                worst = given;
                ag->watched_issue[k] = issue[t];
            }
        }
        if (scenario_index >= 0) {
            const psc_agreement *src = &sim->m->agreements[scenario_index];
            for (size_t o = 0; o < src->n_obligations; o++)
                if (src->obligations[o].actor == party[k]) {
                    ag->watched_issue[k] = src->obligations[o].issue;
                    break;
                }
        }
        const parley_strategy *s = sim->strategy[party[k]];
        if (s)
            parley_player_init(s, &ag->player[k]);
    }
    ag->in_force = true;
    parley_agreement_record *r = &sim->record[g];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name ? name : "agreement");
    parley__utf8_trim(r->name); /* a long name stays valid text */
    r->forum = forum;
    r->scenario_index = scenario_index;
    r->signed_round = forum < 0 ? -1 : (int)sim->round;
    r->ended_round = -1;
    r->ended_by = -1;
    r->amended_round = -1;
    r->ratified = forum < 0;
    r->procedural = procedural;
    return PARLEY_OK;
}

/* The least trusted other party of an agreement, as `actor` believes. */
static double party_compliance(const parley_sim *sim, const sim_agreement *ag, int actor)
{
    int own = sim->delegation[actor] >= 0 ? sim->delegation[actor] : actor;
    double q = 1.0;
    for (int k = 0; k < ag->n_parties; k++) {
        if (ag->party[k] == own || !ag->obliged[k])
            continue;
        double qb = sim_believed_compliance(sim, actor, ag->party[k]);
        q = qb < q ? qb : q;
    }
    return q;
}

/* Kydd (2005): a trustworthy type plays an assurance game and complies when
 * its belief clears the threshold. Exploiting a complying partner gains it
 * nothing over the status quo (T = P = 0 < R), so its threshold L / (R + L)
 * is the one its acceptance rule used when it signed: an honest party
 * implements what it signed for as long as the belief it signed on holds
 * (with T > 0 it would sign measures it then would not carry out, which made
 * every mutual CBM fail at once). An untrustworthy type plays a prisoner's
 * dilemma whose temptation includes the value of hedging, and complies only
 * if patient enough. Payoffs are the party's own utils of the agreement. */
static bool willing(const parley_sim *sim, const sim_agreement *ag, int k)
{
    int a = ag->party[k];
    int voice = sim->voice[a];
    double gain = sim_gain(sim, voice, ag->n_terms, ag->issue, ag->level, ag->before);
    double exposure;
    double stake = sim_stake(sim, voice, ag->n_terms, ag->issue, ag->level, ag->before, &exposure);
    double loss = sim_sucker_loss(sim, voice) * exposure;
    if (stake <= 0.0)
        return true; /* nothing to give up */
    if (sim->type_trustworthy[a]) {
        if (gain <= 0.0)
            return false; /* the agreement no longer pays: even an honest type drags its feet */
        double q = party_compliance(sim, ag, voice);
        return q >= parley__assurance_threshold(gain, -loss, 0.0, 0.0);
    }
    /* Keeping what it promised to give is worth more to an untrustworthy type:
     * the hedge premium scales its concession (the DPRK's nuclear hedge). */
    double temptation = (gain > 0.0 ? gain : 0.0) + (1.0 + sim->p.hedge_value) * loss;
    double threshold = parley__patience_threshold(gain, temptation, 0.0);
    return sim->m->actors[a].discount >= threshold;
}

/* A veto faction blocks execution when the agreement fails its own test. */
static int blocking_faction(const parley_sim *sim, const sim_agreement *ag, int principal)
{
    for (size_t f = 0; f < sim->n_actors; f++) {
        const psc_actor *ac = &sim->m->actors[f];
        if (ac->kind != PARLEY_ACTOR_FACTION || ac->parent != principal ||
            !(ac->veto & PSC_VETO_IMPLEMENTATION) || (sim->p.ablate & PARLEY_ABLATE_VETO_FACTIONS))
            continue;
        double q = party_compliance(sim, ag, (int)f);
        if (!sim_accepts(sim, (int)f, ag->n_terms, ag->issue, ag->level, ag->before, q))
            return (int)f;
    }
    return -1;
}

/* Everyone in an observer's delegation reads the same report. */
void sim_update_beliefs(parley_sim *sim, int observer, int suspect, bool alarm, double detection,
                        double false_alarm)
{
    if (sim->p.ablate & PARLEY_ABLATE_BELIEFS)
        return;
    size_t n = sim->n_actors;
    for (size_t b = 0; b < n; b++) {
        if (sim->delegation[b] != observer)
            continue;
        size_t k = b * n + (size_t)suspect;
        parley__belief_update(&sim->alpha[k], &sim->beta[k], alarm, detection, false_alarm);
    }
}

static void end_agreement(parley_sim *sim, size_t g, int actor)
{
    sim_agreement *ag = &sim->agreement[g];
    ag->in_force = false;
    for (int t = 0; t < ag->n_terms; t++)
        sim->level[ag->issue[t]] = ag->before[t];
    sim->record[g].ended_round = (int)sim->round;
    sim->record[g].ended_by = actor;
    sim_log(sim, PARLEY_LOG_WITHDRAWAL, sim->record[g].forum, actor, -1, ag->issue[0], (int)g, NAN,
            NAN);
}

/* A new agreement on an issue replaces the term an older agreement held on
 * it (the amended text governs); an agreement left with no terms has been
 * replaced as a whole, which is not a withdrawal. Called at the meeting that
 * signs the new agreement, before it is added, so that each replacement is
 * logged with that meeting. */
void sim_supersede(parley_sim *sim, int forum, int n, const int *issue)
{
    for (size_t g = 0; g < sim->n_agreement; g++) {
        sim_agreement *ag = &sim->agreement[g];
        if (!ag->in_force)
            continue;
        int keep = 0;
        for (int t = 0; t < ag->n_terms; t++) {
            bool replaced = false;
            for (int k = 0; k < n; k++)
                replaced |= ag->issue[t] == issue[k];
            if (replaced) {
                sim_log(sim, PARLEY_LOG_AMENDED, forum, -1, -1, ag->issue[t], (int)g, NAN, NAN);
                continue;
            }
            ag->issue[keep] = ag->issue[t];
            ag->level[keep] = ag->level[t];
            ag->before[keep] = ag->before[t];
            keep++;
        }
        if (keep == ag->n_terms)
            continue;
        ag->n_terms = keep;
        sim->record[g].amended_round = (int)sim->round;
        /* A party whose watched term is gone is watched on what remains. */
        for (int k = 0; k < ag->n_parties && keep > 0; k++) {
            bool watched = false;
            for (int t = 0; t < keep; t++)
                watched |= ag->issue[t] == ag->watched_issue[k];
            if (!watched)
                ag->watched_issue[k] = ag->issue[0];
        }
        if (keep == 0) {
            ag->in_force = false;
            sim->record[g].ended_round = (int)sim->round;
            sim->record[g].replaced = true;
        }
    }
}

static void ladder(parley_sim *sim, const sim_agreement *ag, bool clean)
{
    for (int t = 0; t < ag->n_terms; t++) {
        const psc_issue *is = &sim->m->issues[ag->issue[t]];
        if (is->kind != PARLEY_ISSUE_CBM || is->rung <= 0)
            continue;
        uint32_t *months = &sim->rung_clean[ag->issue[t]];
        *months = clean ? *months + 1 : 0;
        double needed = sim->m->policy.verify_months;
        if (*months >= (uint32_t)fmax(1.0, needed) && is->rung == (int)sim->rungs + 1) {
            sim->rungs = (uint32_t)is->rung;
            sim_log(sim, PARLEY_LOG_RUNG, -1, -1, -1, ag->issue[t], -1, is->rung, NAN);
        }
    }
}

static void implement_one(parley_sim *sim, size_t g)
{
    sim_agreement *ag = &sim->agreement[g];
    parley_channel noise_only = {sim->p.implementation_noise, 1.0, 0.0};
    bool all_complied = true, any_alarm = false;
    parley_action actual[SIM_MAX_PARTIES] = {PARLEY_C};
    bool saw_alarm[SIM_MAX_PARTIES] = {false};

    for (int k = 0; k < ag->n_parties; k++) {
        actual[k] = PARLEY_C;
        if (!ag->obliged[k])
            continue;
        int a = ag->party[k];
        parley_rng rng;
        sim_rng(sim, &rng, PARLEY_MECH_IMPLEMENTATION, (uint32_t)(a * PARLEY_SIM_MAX_AGREEMENTS + (int)g));
        parley_action intended = PARLEY_D;
        if (willing(sim, ag, k)) {
            const parley_strategy *s = sim->strategy[a];
            intended = s ? parley_player_intend(s, &ag->player[k], &rng) : PARLEY_C;
        }
        int blocker = blocking_faction(sim, ag, a);
        if (blocker >= 0) {
            intended = PARLEY_D; /* involuntary defection */
            if (!ag->blocked_logged[k]) {
                ag->blocked_logged[k] = true;
                sim_log(sim, PARLEY_LOG_BLOCKED, sim->record[g].forum, blocker, a, ag->watched_issue[k], (int)g,
                        NAN, NAN);
            }
        }
        actual[k] = parley_channel_implement(&noise_only, intended, &rng);
        all_complied &= actual[k] == PARLEY_C;
    }

    /* Verification: every other party watches each obliged party. */
    for (int k = 0; k < ag->n_parties; k++) {
        if (!ag->obliged[k])
            continue;
        int suspect = ag->party[k];
        int issue0 = ag->watched_issue[k];
        double detection = psc_issue_detection(sim->m, (size_t)issue0);
        double false_alarm = psc_issue_false_alarm(sim->m, (size_t)issue0);
        parley_channel channel = {0.0, detection, false_alarm};
        for (int j = 0; j < ag->n_parties; j++) {
            if (j == k)
                continue;
            int observer = ag->party[j];
            parley_rng rng;
            sim_rng(sim, &rng, PARLEY_MECH_VERIFICATION,
                    (uint32_t)((observer * 64 + suspect) * PARLEY_SIM_MAX_AGREEMENTS + (int)g));
            bool alarm = parley_channel_observe(&channel, actual[k], &rng) == PARLEY_D;
            sim_update_beliefs(sim, observer, suspect, alarm, detection, false_alarm);
            if (!alarm)
                continue;
            saw_alarm[j] = true;
            any_alarm = true;
            bool true_alarm = actual[k] == PARLEY_D;
            if (true_alarm)
                sim->summary.alarms_true++;
            else
                sim->summary.alarms_false++;
            sim_log(sim, PARLEY_LOG_ALARM, sim->record[g].forum, observer, suspect, issue0, (int)g,
                    true_alarm ? 1.0 : 0.0, NAN);
            for (size_t b = 0; b < sim->n_actors; b++)
                if (sim->delegation[b] == observer)
                    sim->alarms_seen[b] += 1.0; /* what spoilers publicise */
            if (sim->m->issues[issue0].verification.inspectable &&
                sim->m->policy.verification.inspections &&
                !(sim->p.ablate & PARLEY_ABLATE_INSPECTIONS)) {
                sim_inspection ins = {observer, suspect, (int)g, true_alarm};
                if (sim_push_inspection(sim, &ins) != PARLEY_OK)
                    sim->out_of_memory = true; /* a lost request would change the history */
            }
        }
    }

    for (int k = 0; k < ag->n_parties; k++) {
        const parley_strategy *s = sim->strategy[ag->party[k]];
        if (s && ag->obliged[k])
            parley_player_update(s, &ag->player[k], actual[k], saw_alarm[k] ? PARLEY_D : PARLEY_C);
        ag->last_actual[k] = actual[k];
    }
    if (all_complied) {
        sim->record[g].months_implemented++;
        for (int t = 0; t < ag->n_terms; t++)
            sim->level[ag->issue[t]] = ag->level[t];
    } else {
        for (int t = 0; t < ag->n_terms; t++)
            sim->level[ag->issue[t]] = ag->before[t];
    }
    ladder(sim, ag, all_complied && !any_alarm);

    /* Withdrawal: an agreement survives while every party would still sign it,
     * counting what leaving would cost it (sim_stays). */
    for (int k = 0; k < ag->n_parties && ag->in_force; k++) {
        int a = ag->party[k];
        int voice = sim->voice[a];
        double q = party_compliance(sim, ag, voice);
        if (!sim_stays(sim, voice, ag->n_terms, ag->issue, ag->level, ag->before, q))
            end_agreement(sim, g, a);
    }
}

void sim_implementation(parley_sim *sim)
{
    for (size_t g = 0; g < sim->n_agreement; g++)
        if (sim->agreement[g].in_force && !sim->record[g].procedural)
            implement_one(sim, g);
}

static bool in_forum(const psc_forum *fo, int actor)
{
    for (size_t k = 0; k < fo->n_members; k++)
        if (fo->members[k] == actor)
            return true;
    return false;
}

/* Inspections are negotiated at meetings (so cadence matters) and traded
 * for side payments (Kumchang-ri for food, 1999). The suspect's price is the
 * intrusion less what the inspection is worth to it: clearing its name keeps
 * half its gain from the agreement (judgement), while a violator caught loses
 * all of it. The observer pays up to what not knowing puts at risk: its own
 * gain from the agreement times its doubt about the suspect. Standing aid to
 * an actor in need counts toward the price. They trade when the observer's
 * limit covers the price; a refusal is read as one more alarm, not as proof. */
void sim_inspections_at_meeting(parley_sim *sim, int forum)
{
    const psc_forum *fo = &sim->m->forums[forum];
    size_t keep = 0;
    for (size_t i = 0; i < sim->n_pending; i++) {
        sim_inspection ins = sim->pending[i];
        if (!in_forum(fo, ins.observer) || !in_forum(fo, ins.suspect) ||
            ins.agreement >= (int)sim->n_agreement) {
            sim->pending[keep++] = ins;
            continue;
        }
        const sim_agreement *ag = &sim->agreement[ins.agreement];
        int suspect_voice = sim->voice[ins.suspect], observer_voice = sim->voice[ins.observer];
        double suspect_gain =
            fmax(0.0, sim_gain(sim, suspect_voice, ag->n_terms, ag->issue, ag->level, ag->before));
        double observer_gain =
            fmax(0.0, sim_gain(sim, observer_voice, ag->n_terms, ag->issue, ag->level, ag->before));
        double worth = ins.violated ? -suspect_gain : 0.5 * suspect_gain;
        double price = fmax(0.0, sim->p.inspection_cost - worth);
        double standing = sim_side_payment(sim, ins.suspect, forum);
        double doubt = 1.0 - sim_believed_compliance(sim, observer_voice, ins.suspect);
        double limit = standing + observer_gain * doubt;
        bool accept = limit >= price;
        double payment = accept ? fmax(standing, price) : standing;
        int issue0 = ag->issue[0];
        for (int k = 0; k < ag->n_parties; k++)
            if (ag->party[k] == ins.suspect)
                issue0 = ag->watched_issue[k];
        if (accept) {
            sim->summary.inspections++;
            sim_log(sim, PARLEY_LOG_INSPECTION, forum, ins.observer, ins.suspect, issue0,
                    ins.agreement, payment, ins.violated ? 1.0 : 0.0);
            /* Inspectors see what happened: a perfect channel. */
            sim_update_beliefs(sim, ins.observer, ins.suspect, ins.violated, 1.0, 0.0);
        } else {
            sim->summary.inspections_refused++;
            sim_log(sim, PARLEY_LOG_REFUSED_INSPECTION, forum, ins.observer, ins.suspect, issue0,
                    ins.agreement, payment, NAN);
            sim_update_beliefs(sim, ins.observer, ins.suspect, true,
                                      psc_issue_detection(sim->m, (size_t)issue0),
                                      psc_issue_false_alarm(sim->m, (size_t)issue0));
        }
    }
    sim->n_pending = keep;
}
