/* Meetings: who sits down (step 2), what enters the agenda (step 4), what the
 * chair proposes (step 5) and who accepts (step 6), including the win-sets of
 * veto factions and the mediator's credibility. Utilities are on the one
 * scale of sim_internal.h: an actor loses SIM_UTILITY_SCALE * salience per
 * full width of an issue's scale between the outcome and its position. */
#include "sim_internal.h"

#include "mechanisms.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define ITEM_MAX_ISSUES 4
/* The proposal search: a grid over the item's issues, then refinements
 * around the best point. The coarse step grows with the number of issues so
 * that one search costs about as much whatever the package (judgement: a
 * feasible set thinner than the coarse step can be missed; the acceptance
 * sets are convex, so the refinement cannot leave a better region unseen). */
static const double GRID_COARSE_STEP[ITEM_MAX_ISSUES] = {0.5, 2.0, 5.0, 10.0};
#define GRID_REFINEMENTS 4
#define MIN_MOVE 0.5 /* a proposal must move an issue at least this far */
/* An amendment must move some term at least this far, and the treaty the
 * peace regime's extent (judgement: a twentieth of the scale; reopening a
 * signed text costs a round of talks and a defence at home, which no one pays
 * for a point, and a point of the armistice replaced is not a peace). */
#define AMENDMENT_MIN_STEP 5.0
/* Items one meeting can work through (judgement: a plenary of a few days
 * settles its agenda and one or two items); the chair sets the order. */
#define AGENDA_CAPACITY 2

typedef struct agenda_item {
    int n;
    int issue[ITEM_MAX_ISSUES]; /* a package: the peace regime's issues, and
                                   denuclearisation under linkage */
} agenda_item;

/* ------------------------------------------------------ utilities, step 6 */

/* One actor's view of a set of terms, gathered once so that a proposal
 * search can evaluate thousands of points without looking stances up again.
 * Actor a's utility of level x on issue i is -100 s |x - p| / 100 (the one
 * scale of sim_internal.h).
 *
 * The scenario's first issue of kind peace_regime is the regime's extent (how
 * far it replaces the armistice); every other peace-regime issue is one of the
 * regime's terms (who signs it, what it says of forces) and matters only as
 * far as there is a regime to carry it: weighted by the extent's level / 100
 * when the extent is among the terms. Without this a treaty could leave its
 * contested terms at the armistice's values and pass unopposed, which no party
 * of 1997 would have read as a treaty. */
typedef struct actor_terms {
    int n;
    double s[SIM_MAX_TERMS], p[SIM_MAX_TERMS];
    bool cbm[SIM_MAX_TERMS];  /* mutual measure: see terms_eval */
    bool term[SIM_MAX_TERMS]; /* a peace-regime term, weighted by the extent */
    double exposed[SIM_MAX_TERMS]; /* share of a concession lost if the others defect */
    int extent;               /* index of the extent among the terms, or -1 */
    double political;         /* political cost per util conceded, at current support */
    double sucker;            /* sucker's loss per util exposed, at the risk attitude */
} actor_terms;

static void terms_init(const parley_sim *sim, int actor, int n_items, const int *issue,
                       actor_terms *t)
{
    memset(t, 0, sizeof *t); /* terms past n stay defined (clang-analyzer follows them) */
    t->n = n_items < SIM_MAX_TERMS ? n_items : SIM_MAX_TERMS;
    t->extent = -1;
    for (int k = 0; k < t->n; k++) {
        t->p[k] = sim_position(sim, actor, issue[k], &t->s[k]);
        int kind = sim->m->issues[issue[k]].kind;
        t->cbm[k] = kind == PARLEY_ISSUE_CBM;
        t->exposed[k] = 1.0 - sim->m->issues[issue[k]].reversible;
        t->term[k] = kind == PARLEY_ISSUE_PEACE_REGIME && sim->peace_extent >= 0 &&
                     issue[k] != sim->peace_extent;
        if (issue[k] == sim->peace_extent)
            t->extent = k;
    }
    int principal = sim->delegation[actor] >= 0 ? sim->delegation[actor] : actor;
    /* Domestic support enters here, and only here: a weakly supported
     * government pays a political cost for every util of concession. */
    t->political = sim->p.political_cost * (1.0 - sim->support[principal]);
    t->sucker = sim_sucker_loss(sim, actor);
}

static double term_utility(const actor_terms *t, const double *x, int k)
{
    double u = -SIM_UTILITY_SCALE * t->s[k] * fabs(x[k] - t->p[k]) / 100.0;
    return t->term[k] && t->extent >= 0 ? u * x[t->extent] / 100.0 : u;
}

/* The gain of x over before, the stake and the exposure. The stake is what
 * the actor gives up, the utility it loses on the terms that move away from
 * its position: what domestic critics attack. The exposure is the part of the
 * stake it forfeits if it implements and the others do not (the sucker's
 * loss): all of it, less the share an issue's `reversible` says it recovers
 * once the defection shows (sanctions reimposed, a moratorium ended, a
 * liaison office closed; a dismantled reactor stays dismantled). A
 * confidence-building measure is mutual: each side opens its own forces to
 * the same measure it asks of the others, so on a CBM issue what a party puts
 * in is worth what it expects to get out (a hotline needs two ends). */
static void terms_eval(const actor_terms *t, const double *x, const double *before, double *gain,
                       double *stake, double *exposure)
{
    double g = 0.0, given = 0.0, exposed = 0.0;
    for (int k = 0; k < t->n; k++) {
        double d = term_utility(t, x, k) - term_utility(t, before, k);
        double gives = t->cbm[k] ? fabs(d) : (d < 0.0 ? -d : 0.0);
        g += d;
        given += gives;
        exposed += gives * t->exposed[k];
    }
    *gain = g;
    *stake = given;
    *exposure = exposed;
}

/* Step 6: accept x iff q u(x) + (1 - q)(u(SQ) - L) >= u(SQ) + political cost,
 * with L the sucker's loss on the exposure and the political cost on the
 * whole stake. The political cost is paid whether or not the others comply
 * (critics attack a concession, the more so when it was made for nothing),
 * so signing is worth gain - P when they comply and -L - P when they do not. exit_cost is added
 * to u(x) when the question is whether to stay. */
static bool terms_accept(const actor_terms *t, const double *x, const double *before, double q,
                         double exit_cost)
{
    double gain, stake, exposure;
    terms_eval(t, x, before, &gain, &stake, &exposure);
    double political = t->political * stake;
    return parley__accepts(q, gain + exit_cost - political, 0.0,
                           t->sucker * exposure + political);
}

double sim_gain(const parley_sim *sim, int actor, int n_items, const int *issue, const double *x,
                const double *before)
{
    actor_terms t;
    terms_init(sim, actor, n_items, issue, &t);
    double gain, stake, exposure;
    terms_eval(&t, x, before, &gain, &stake, &exposure);
    return gain;
}

double sim_stake(const parley_sim *sim, int actor, int n_items, const int *issue, const double *x,
                 const double *before, double *exposure)
{
    actor_terms t;
    terms_init(sim, actor, n_items, issue, &t);
    double gain, stake, exposed;
    terms_eval(&t, x, before, &gain, &stake, &exposed);
    if (exposure)
        *exposure = exposed;
    return stake;
}

bool sim_accepts(const parley_sim *sim, int actor, int n_items, const int *issue, const double *x,
                 const double *before, double q)
{
    actor_terms t;
    terms_init(sim, actor, n_items, issue, &t);
    return terms_accept(&t, x, before, q, 0.0);
}

/* Leaving an agreement costs what breaking a public commitment costs at home
 * and abroad (audience costs: Fearon 1994; Tomz 2007): a party leaves only
 * when the agreement fails its acceptance test by more than that. Without it
 * an agreement proposed at the edge of a party's acceptance set (where the
 * Nash solution often lies) would end at the first dip in belief. */
bool sim_stays(const parley_sim *sim, int actor, int n_items, const int *issue, const double *x,
               const double *before, double q)
{
    actor_terms t;
    terms_init(sim, actor, n_items, issue, &t);
    return terms_accept(&t, x, before, q, sim->p.exit_cost);
}

/* Believed compliance of the counterparts: the least trusted principal of the
 * forum other than the actor's own delegation (an agreement fails if any
 * party defects). A mediator chairing lends credibility to the side it leans
 * toward (Kydd 2003). */
static double counterpart_compliance(const parley_sim *sim, int forum, int actor, int chair)
{
    const psc_forum *fo = &sim->m->forums[forum];
    int own = sim->delegation[actor] >= 0 ? sim->delegation[actor] : actor;
    double q = 1.0;
    for (size_t k = 0; k < fo->n_members; k++) {
        int b = fo->members[k];
        if (b == own || !sim_is_principal(sim, b))
            continue;
        double qb = sim_believed_compliance(sim, actor, b);
        q = qb < q ? qb : q;
    }
    if (chair >= 0 && sim->m->actors[chair].leans_toward == own)
        q += sim->p.mediator_credibility * (1.0 - q);
    return q;
}

/* Every actor whose acceptance an agreement in this forum needs: the voices
 * of the principal members and their factions with a ratification veto. */
static int veto_players(const parley_sim *sim, int forum, int *out, int cap)
{
    const psc_forum *fo = &sim->m->forums[forum];
    int n = 0;
    for (size_t k = 0; k < fo->n_members && n < cap; k++) {
        int p = fo->members[k];
        if (!sim_is_principal(sim, p))
            continue;
        out[n++] = sim->voice[p];
        for (size_t a = 0; a < sim->n_actors && n < cap; a++)
            if (sim->m->actors[a].kind == PARLEY_ACTOR_FACTION && sim->m->actors[a].parent == p &&
                (sim->m->actors[a].veto & PSC_VETO_RATIFICATION) && (int)a != sim->voice[p] &&
                !(sim->p.ablate & PARLEY_ABLATE_VETO_FACTIONS))
                out[n++] = (int)a;
    }
    return n;
}

/* ------------------------------------------------------------- step 4 */

/* The index of an issue among an agreement's terms, -1 when it has none on it. */
static int term_index(const sim_agreement *ag, int issue)
{
    for (int t = 0; t < ag->n_terms; t++)
        if (ag->issue[t] == issue)
            return t;
    return -1;
}

/* The level an agreement in force sets for an issue, NAN when none holds it. */
static double held_level(const parley_sim *sim, int issue)
{
    for (size_t g = 0; g < sim->n_agreement; g++) {
        const sim_agreement *ag = &sim->agreement[g];
        int t = ag->in_force ? term_index(ag, issue) : -1;
        if (t >= 0)
            return ag->level[t];
    }
    return NAN;
}

static bool under_agreement(const parley_sim *sim, int issue)
{
    return !isnan(held_level(sim, issue));
}

/* What terms on an issue are measured against: the level an agreement in
 * force sets for it (what its parties are entitled to, even in a month it
 * lapses), else the status quo. */
static double reference_level(const parley_sim *sim, int issue)
{
    double held = held_level(sim, issue);
    return isnan(held) ? sim_status_quo(sim, issue) : held;
}

/* Whether sequencing lets the issue be negotiated now: step by step, rung
 * k + 1 waits for rung k to be verified and the peace regime for the first
 * rung; treaty first opens everything (a standing body works the ladder). */
static bool sequencing_allows(const parley_sim *sim, const psc_issue *is)
{
    if (sim->m->policy.sequencing == PSC_SEQ_TREATY_FIRST)
        return true;
    if (is->kind == PARLEY_ISSUE_CBM && is->rung > 1)
        return (int)sim->rungs >= is->rung - 1;
    if (is->kind == PARLEY_ISSUE_PEACE_REGIME)
        return sim->rungs >= 1;
    return true;
}

static bool is_member(const psc_forum *fo, int actor)
{
    for (size_t k = 0; k < fo->n_members; k++)
        if (fo->members[k] == actor)
            return true;
    return false;
}

static bool in_mandate(const psc_forum *fo, int issue)
{
    for (size_t k = 0; k < fo->n_issues; k++)
        if (fo->issues[k] == issue)
            return true;
    return false;
}

/* Whether every party of the agreements in force that hold the issue sits in
 * the forum. */
static bool holders_sit(const parley_sim *sim, int forum, int issue)
{
    const psc_forum *fo = &sim->m->forums[forum];
    for (size_t g = 0; g < sim->n_agreement; g++) {
        const sim_agreement *ag = &sim->agreement[g];
        bool holds = ag->in_force && term_index(ag, issue) >= 0;
        for (int k = 0; holds && k < ag->n_parties; k++)
            if (!is_member(fo, ag->party[k]))
                return false;
    }
    return true;
}

/* An issue held by an agreement in force can be renegotiated in a forum whose
 * mandate names it, when every party of that agreement sits in the forum: the
 * parties of the Agreed Framework went on bargaining over its sanctions and
 * liaison-office terms in their own channel (Berlin 1999). */
static bool amendable(const parley_sim *sim, int forum, int issue)
{
    const psc_forum *fo = &sim->m->forums[forum];
    if (fo->n_issues == 0 || !in_mandate(fo, issue) || (sim->p.ablate & PARLEY_ABLATE_AMENDMENTS))
        return false;
    return holders_sit(sim, forum, issue);
}

/* Does a principal who cares about the issue (salience >= 0.25) sit outside
 * the forum? */
static bool stakeholder_absent(const parley_sim *sim, int forum, int issue)
{
    const psc_forum *fo = &sim->m->forums[forum];
    for (size_t a = 0; a < sim->n_actors; a++) {
        if (!sim_is_principal(sim, (int)a) || is_member(fo, (int)a))
            continue;
        double s;
        sim_position(sim, sim->voice[a], issue, &s);
        if (s >= 0.25)
            return true;
    }
    return false;
}

/* An issue belongs in a forum when the forum's mandate lists it, or, for a
 * forum without one, when every principal who cares about it sits there (no
 * peace arrangement behind a stakeholder's back); and some member wants it
 * moved. A mandate is what the parties agreed a channel is for (the 1997
 * plenaries' two baskets; the U.S.-DPRK channel's missiles, sanctions and
 * liaison offices, on which Seoul was consulted but did not sit). */
static bool issue_fits_forum(const parley_sim *sim, int forum, int issue)
{
    const psc_forum *fo = &sim->m->forums[forum];
    if (fo->n_issues > 0 && !in_mandate(fo, issue))
        return false;
    if (fo->n_issues == 0 && stakeholder_absent(sim, forum, issue))
        return false;
    bool someone_wants = false;
    for (size_t a = 0; a < sim->n_actors; a++) {
        if (!sim_is_principal(sim, (int)a) || !is_member(fo, (int)a))
            continue;
        double s, p = sim_position(sim, sim->voice[a], issue, &s);
        if (s > 0.0 && fabs(p - reference_level(sim, issue)) >= MIN_MOVE)
            someone_wants = true;
    }
    return someone_wants;
}

/* The compromise forecast (capability x salience weighted mean) of the
 * forum's principals: what a party expects an item to come to when it decides
 * to put it on the agenda or to sit down at all. */
static double expected_outcome(const parley_sim *sim, int forum, int issue)
{
    const psc_forum *fo = &sim->m->forums[forum];
    double num = 0.0, den = 0.0;
    for (size_t k = 0; k < fo->n_members; k++) {
        int a = fo->members[k];
        if (!sim_is_principal(sim, a))
            continue;
        double s, p = sim_position(sim, sim->voice[a], issue, &s);
        double w = sim->m->actors[a].capability * s;
        num += w * p;
        den += w;
    }
    return den > 0.0 ? num / den : sim_status_quo(sim, issue);
}

/* The agenda's candidate items. The issues of kind peace_regime form one
 * package: a treaty replacing the armistice settles its substance and its
 * signatories in one text (the 1997-99 fight over who would sign was a fight
 * over the treaty itself). Under linkage the first denuclearisation issue
 * joins that package (Sebenius 1983: packages add utilities across issues).
 * With whole_life, sequencing is ignored: the items the forum can reach over
 * its life, which is what a party weighs when it decides to sit down (the
 * step-by-step ladder leads to the peace regime; that is why one climbs it). */
static int candidate_items(const parley_sim *sim, int forum, agenda_item *items, int cap,
                           bool whole_life)
{
    const psc_model *m = sim->m;
    bool linked = m->policy.linkage == PSC_LINK_LINKED;
    agenda_item peace = {0, {0}};
    int denuclear = -1;
    bool peace_open = true, peace_fits = false, peace_blocked = false;
    int n = 0;
    for (size_t i = 0; i < sim->n_issues; i++) {
        const psc_issue *is = &m->issues[i];
        if (is->kind == PARLEY_ISSUE_PEACE_REGIME && !(sim->p.ablate & PARLEY_ABLATE_PEACE_PACKAGE)) {
            /* The whole package waits while any part is settled or sequenced out. */
            if (under_agreement(sim, (int)i) || (!whole_life && !sequencing_allows(sim, is)))
                peace_open = false;
            peace_fits |= issue_fits_forum(sim, forum, (int)i);
            /* A treaty replacing the armistice binds every party that cares
             * about it: a mandate cannot let a channel conclude it behind a
             * stakeholder's back (Clinton's line of April 1996: no separate
             * U.S.-DPRK peace agreement; the Panmunjom Declaration sent the
             * treaty to trilateral or quadrilateral talks). */
            peace_blocked |= stakeholder_absent(sim, forum, (int)i);
            if (peace.n < ITEM_MAX_ISSUES - 1)
                peace.issue[peace.n++] = (int)i;
            continue;
        }
        /* Linkage ties the first denuclearisation issue to the package in
         * whichever forum negotiates the peace regime, mandate or not: a
         * treaty that settles denuclearisation too supersedes the term an
         * agreement in force holds (the AF's freeze) when that agreement's
         * parties sit at the table; otherwise the package would wait for the
         * agreement to end. */
        bool link = linked && is->kind == PARLEY_ISSUE_DENUCLEARISATION && denuclear < 0;
        bool reopened = link ? holders_sit(sim, forum, (int)i) : amendable(sim, forum, (int)i);
        if (n >= cap || (under_agreement(sim, (int)i) && !reopened) ||
            (!whole_life && !sequencing_allows(sim, is)))
            continue;
        if (link) {
            denuclear = (int)i;
            continue;
        }
        if (!issue_fits_forum(sim, forum, (int)i))
            continue;
        items[n].n = 1;
        items[n].issue[0] = (int)i;
        n++;
    }
    if (peace.n > 0 && peace_open && peace_fits && !peace_blocked && n < cap) {
        if (linked && denuclear >= 0)
            peace.issue[peace.n++] = denuclear;
        items[n++] = peace;
    } else if (linked && denuclear >= 0 && n < cap && peace.n == 0 &&
               issue_fits_forum(sim, forum, denuclear)) {
        items[n].n = 1; /* nothing to link it to */
        items[n].issue[0] = denuclear;
        n++;
    }
    return n;
}

/* ------------------------------------------------------ the forum's record
 *
 * Whether a forum can find terms on an item is something its members learn by
 * tabling it. Each tabling without terms is one failure in a Beta(1, 0)
 * belief: an untried item is expected to find terms, and after n failures
 * the chance is 1/(n + 1). News resets the count: an event that changes the
 * item's stances or scale (or beliefs, or a party's weight, risk or support),
 * or a new reference level. Without it, the Four-Party plenaries kept their
 * pull to the horizon by tabling the first CBM rung at every round without
 * terms (docs/MODEL.md 7.1). */

static double item_mark(const parley_sim *sim, const agenda_item *it)
{
    double mark = 0.0;
    for (int k = 0; k < it->n; k++)
        mark += 1000.0 * sim->issue_news[it->issue[k]] + reference_level(sim, it->issue[k]);
    return mark;
}

/* Tablings of the item without terms since the last news on it. */
static uint32_t tabled_empty(const parley_sim *sim, int forum, const agenda_item *it)
{
    size_t k = (size_t)forum * sim->n_issues + (size_t)it->issue[0];
    return sim->tabled_mark[k] == item_mark(sim, it) ? sim->tabled_empty[k] : 0;
}

static void record_tabling(parley_sim *sim, int forum, const agenda_item *it, bool terms)
{
    size_t k = (size_t)forum * sim->n_issues + (size_t)it->issue[0];
    uint32_t before = tabled_empty(sim, forum, it);
    sim->tabled_empty[k] = terms ? 0 : before + 1;
    sim->tabled_mark[k] = item_mark(sim, it);
}

/* The chance that the forum finds terms on an item. Step by step, what lies
 * beyond the next rung waits for that rung, so its chance is the rung's. */
static double chance_of_terms(const parley_sim *sim, int forum, const agenda_item *it)
{
    if (sim->p.ablate & PARLEY_ABLATE_RECORD)
        return 1.0;
    agenda_item gate = *it;
    for (int k = 0; k < it->n; k++) {
        if (sequencing_allows(sim, &sim->m->issues[it->issue[k]]))
            continue;
        for (size_t i = 0; i < sim->n_issues; i++)
            if (sim->m->issues[i].kind == PARLEY_ISSUE_CBM &&
                sim->m->issues[i].rung == (int)sim->rungs + 1) {
                gate.n = 1;
                gate.issue[0] = (int)i;
            }
    }
    return 1.0 / (1.0 + tabled_empty(sim, forum, &gate));
}

/* What an actor expects to gain from an item: the gain at the expected
 * outcome, discounted by its belief that the others would comply, times the
 * chance that the forum finds terms at all. Sitting down commits it to
 * nothing, so the sucker's risk waits for acceptance. */
static double expected_item_gain(const parley_sim *sim, int forum, int actor, const agenda_item *it)
{
    double x[ITEM_MAX_ISSUES] = {0.0}, before[ITEM_MAX_ISSUES] = {0.0};
    for (int k = 0; k < it->n; k++) {
        x[k] = expected_outcome(sim, forum, it->issue[k]);
        before[k] = reference_level(sim, it->issue[k]);
    }
    int voice = sim->voice[actor];
    double q = counterpart_compliance(sim, forum, voice, -1);
    return chance_of_terms(sim, forum, it) * q * sim_gain(sim, voice, it->n, it->issue, x, before);
}

/* Step 4's consent: a principal keeps an item off the agenda when it cannot
 * gain from it at all (it cares, and every issue of the item already sits at
 * its position): the 1997-98 fight over U.S. forces in the ROK. */
static bool can_gain(const parley_sim *sim, int actor, const agenda_item *it)
{
    bool cares = false;
    for (int k = 0; k < it->n; k++) {
        double s, p = sim_position(sim, sim->voice[actor], it->issue[k], &s);
        if (s <= 0.0)
            continue;
        cares = true;
        if (fabs(p - reference_level(sim, it->issue[k])) >= MIN_MOVE)
            return true;
    }
    return !cares;
}

static bool consents(const parley_sim *sim, int forum, const agenda_item *it)
{
    const psc_forum *fo = &sim->m->forums[forum];
    if (fo->agenda != PSC_AGENDA_CONSENSUS || sim->p.null_model ||
        (sim->p.ablate & PARLEY_ABLATE_AGENDA_CONSENT))
        return true;
    for (size_t k = 0; k < fo->n_members; k++)
        if (sim_is_principal(sim, fo->members[k]) && !can_gain(sim, fo->members[k], it))
            return false;
    return true;
}

static void log_refusals(parley_sim *sim, int forum, const agenda_item *it)
{
    const psc_forum *fo = &sim->m->forums[forum];
    for (size_t k = 0; k < fo->n_members; k++)
        if (sim_is_principal(sim, fo->members[k]) && !can_gain(sim, fo->members[k], it))
            sim_log(sim, PARLEY_LOG_REFUSED, forum, fo->members[k], -1, it->issue[0], -1, NAN, NAN);
}

/* ------------------------------------------------------------- step 2 */

/* What each principal member expects to gain from the forum (G of step 2)
 * into by_actor[actor] when by_actor is not NULL; returns their sum. The
 * items are listed once per forum: they are the same for every member. */
static double forum_gains(const parley_sim *sim, int forum, double *by_actor)
{
    const psc_forum *fo = &sim->m->forums[forum];
    agenda_item items[64] = {{0}}; /* every issue slot defined, not only the first n */
    int n = candidate_items(sim, forum, items, 64, true);
    int kept = 0;
    for (int k = 0; k < n; k++)
        if (consents(sim, forum, &items[k])) /* what will not reach the agenda promises nothing */
            items[kept++] = items[k];
    double v = 0.0;
    if (by_actor)
        memset(by_actor, 0, sim->n_actors * sizeof *by_actor); /* non-members gain nothing here */
    for (size_t m = 0; m < fo->n_members; m++) {
        int a = fo->members[m];
        if (!sim_is_principal(sim, a))
            continue;
        double g = 0.0;
        for (int k = 0; k < kept; k++) {
            double gi = expected_item_gain(sim, forum, a, &items[k]);
            g += gi > 0.0 ? gi : 0.0;
        }
        if (by_actor)
            by_actor[a] = g;
        v += g;
    }
    return v;
}

/* Every principal member decides to sit down or not (the logit choice of the
 * design's step 2). Returns true when all do. */
static bool participation(parley_sim *sim, int forum, const double *gain_by_actor)
{
    const psc_forum *fo = &sim->m->forums[forum];
    bool all = true;
    for (size_t k = 0; k < fo->n_members; k++) {
        int a = fo->members[k];
        if (!sim_is_principal(sim, a))
            continue;
        const psc_actor *ac = &sim->m->actors[a];
        double gain = gain_by_actor[a];
        /* The cost of sitting down is the cost of breaking a taboo (formal,
         * public contact with the other side): paid in full until the forum
         * first meets, then at SIM_RECURRING_CONTACT_SHARE; only where the
         * counterparts it names sit (the DPRK's taboo was Seoul, not Washington). */
        double cost = ac->contact_cost *
                      (sim->forum[forum].meetings > 0 ? SIM_RECURRING_CONTACT_SHARE : 1.0);
        if (ac->n_contact_with > 0) {
            bool taboo = false;
            for (size_t j = 0; j < ac->n_contact_with; j++)
                taboo |= is_member(fo, ac->contact_with[j]);
            cost = taboo ? cost : 0.0;
        }
        if (sim->p.ablate & PARLEY_ABLATE_CONTACT_COST)
            cost = 0.0;
        double aid = sim->p.ablate & PARLEY_ABLATE_AID ? 0.0 : sim_side_payment(sim, a, forum);
        double p = sim->p.null_model
                       ? 0.5
                       : parley__participation_probability(sim->p.participation_precision, gain,
                                                           aid, ac->need, sim->p.need_weight,
                                                           cost);
        parley_rng rng;
        sim_rng(sim, &rng, PARLEY_MECH_PARTICIPATION, (uint32_t)(a * 64 + forum % 64));
        bool attends = parley_rng_bernoulli(&rng, p);
        all = all && attends;
        sim_log_participation(sim, attends, forum, a, p, gain,
                              parley__participation_pull(aid, ac->need, sim->p.need_weight, cost));
    }
    return all;
}

/* ------------------------------------------------------------- step 5 */

/* The asymmetric Nash bargaining solution (weights capability x salience)
 * over the terms every veto player accepts. */
typedef struct proposal_search {
    const parley_sim *sim;
    const agenda_item *it;
    int players[64];
    int n_players;
    double q[64];
    actor_terms terms[64];
    double weight[64]; /* capability x salience in the Nash product; < 0: constrains only */
    double before[ITEM_MAX_ISSUES];
    int last_veto; /* the player who rejected the last point: asked first next
                      time, since neighbouring points fail for the same one */
} proposal_search;

/* The Nash product's logarithm at x, or -INFINITY when x is not a proposal:
 * it moves nothing, a veto player rejects it, or a principal gains nothing. */
static double nash_value(proposal_search *ps, const double *x)
{
    const agenda_item *it = ps->it;
    double move = 0.0;
    for (int k = 0; k < it->n; k++)
        move = fmax(move, fabs(x[k] - ps->before[k]));
    if (move < MIN_MOVE)
        return -INFINITY;
    int first = ps->last_veto;
    if (ps->n_players > 0 &&
        !terms_accept(&ps->terms[first], x, ps->before, ps->q[first], 0.0))
        return -INFINITY;
    double value = 0.0;
    for (int j = 0; j < ps->n_players; j++) {
        if (j != first && !terms_accept(&ps->terms[j], x, ps->before, ps->q[j], 0.0)) {
            ps->last_veto = j;
            return -INFINITY;
        }
        if (ps->weight[j] < 0.0)
            continue;
        double gain, stake, exposure;
        terms_eval(&ps->terms[j], x, ps->before, &gain, &stake, &exposure);
        if (gain <= 0.0)
            return -INFINITY;
        value += ps->weight[j] * log(gain);
    }
    return value;
}

/* Scans the grid lo[k] + i * step (i = 0 .. points - 1, clipped to the
 * scale) and keeps the best point in best/best_value. */
static void scan_grid(proposal_search *ps, const double *lo, double step, int points,
                      double *best, double *best_value)
{
    int d = ps->it->n, index[ITEM_MAX_ISSUES] = {0};
    double x[ITEM_MAX_ISSUES];
    for (;;) {
        bool inside = true;
        for (int k = 0; k < d; k++) {
            x[k] = lo[k] + index[k] * step;
            inside &= x[k] >= 0.0 && x[k] <= 100.0;
        }
        if (inside) {
            double v = nash_value(ps, x);
            if (v > *best_value) {
                *best_value = v;
                memcpy(best, x, (size_t)d * sizeof *x);
            }
        }
        int k = 0;
        while (k < d && ++index[k] == points)
            index[k++] = 0;
        if (k == d)
            return;
    }
}

/* Returns false when no point of the coarse grid is a proposal: the
 * acceptance sets do not overlap (or overlap more thinly than the grid). */
static bool propose(const parley_sim *sim, int forum, int chair, const agenda_item *it, double *best)
{
    proposal_search ps = {.sim = sim, .it = it};
    ps.n_players = veto_players(sim, forum, ps.players, 64);
    for (int k = 0; k < it->n; k++)
        ps.before[k] = reference_level(sim, it->issue[k]);
    for (int j = 0; j < ps.n_players; j++) {
        int a = ps.players[j], principal = sim->delegation[a];
        ps.q[j] = counterpart_compliance(sim, forum, a, chair);
        terms_init(sim, a, it->n, it->issue, &ps.terms[j]);
        /* Factions constrain, principals bargain; an indifferent principal
         * has no say in the product. */
        double salience = 0.0;
        for (int k = 0; k < it->n; k++)
            salience += ps.terms[j].s[k];
        ps.weight[j] = a == sim->voice[principal] && salience > 0.0
                           ? sim->m->actors[principal].capability * salience
                           : -1.0;
    }
    double step = GRID_COARSE_STEP[it->n - 1];
    double lo[ITEM_MAX_ISSUES] = {0.0};
    double best_value = -INFINITY;
    scan_grid(&ps, lo, step, (int)(100.0 / step) + 1, best, &best_value);
    if (best_value == -INFINITY)
        return false;
    if (it->n == 1)
        return true; /* the coarse grid is already as fine as the scale's half unit */
    for (int r = 0; r < GRID_REFINEMENTS; r++) {
        step *= 0.5;
        double centre[ITEM_MAX_ISSUES];
        memcpy(centre, best, (size_t)it->n * sizeof *best);
        for (int k = 0; k < it->n; k++)
            lo[k] = centre[k] - 2.0 * step;
        scan_grid(&ps, lo, step, 5, best, &best_value);
    }
    return true;
}

/* The null model's proposal: the chair's own position on every issue. */
static bool null_proposal(const parley_sim *sim, int chair, const agenda_item *it, double *x)
{
    int voice = sim->delegation[chair] >= 0 ? sim->voice[chair] : chair;
    double move = 0.0;
    for (int k = 0; k < it->n; k++) {
        double s;
        x[k] = sim_position(sim, voice, it->issue[k], &s);
        move = fmax(move, fabs(x[k] - reference_level(sim, it->issue[k])));
    }
    return move >= MIN_MOVE;
}

/* The null model's acceptance: every veto player tosses a fair coin. */
static bool null_acceptance(parley_sim *sim, int forum, const agenda_item *it)
{
    int players[64];
    int n = veto_players(sim, forum, players, 64);
    for (int j = 0; j < n; j++) {
        parley_rng rng;
        sim_rng(sim, &rng, PARLEY_MECH_BARGAIN, (uint32_t)(players[j] * 4096 + it->issue[0]));
        if (!parley_rng_bernoulli(&rng, 0.5)) {
            sim_log(sim, PARLEY_LOG_REJECTED, forum, players[j], -1, it->issue[0], -1, NAN, NAN);
            return false;
        }
    }
    return true;
}

/* ------------------------------------------------------------- meetings */

static void draw_chair_order(parley_sim *sim, int forum)
{
    const psc_forum *fo = &sim->m->forums[forum];
    int *order = sim->forum[forum].chair_order;
    size_t n = fo->n_members;
    if (fo->chair.rotation == PSC_CHAIR_FIXED && fo->chair.n_order > 0) {
        for (size_t k = 0; k < n; k++)
            order[k] = fo->chair.order[0];
        return;
    }
    for (size_t k = 0; k < n; k++)
        order[k] = fo->members[k];
    if (fo->chair.rotation == PSC_CHAIR_ALPHABETICAL) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && strcmp(sim->m->actors[order[j - 1]].id,
                                               sim->m->actors[order[j]].id) > 0; j--) {
                int t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
        return;
    }
    /* By lot, as in 1997: a Fisher-Yates shuffle on the forum's chair stream. */
    parley_rng rng;
    sim_rng(sim, &rng, PARLEY_MECH_CHAIR, (uint32_t)forum);
    for (size_t i = n; i > 1; i--) {
        size_t j = parley_rng_below(&rng, (uint32_t)i);
        int t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
}

/* A forum settles how it works before what it works on (the first plenary
 * of 1997 agreed venue, chair rotation and subcommittees before any
 * substance): procedural items come first, then the chair's own priorities. */
static double chair_priority(const parley_sim *sim, int chair, const agenda_item *it)
{
    if (it->n == 1 && sim->m->issues[it->issue[0]].kind == PARLEY_ISSUE_PROCEDURAL &&
        !(sim->p.ablate & PARLEY_ABLATE_PROCEDURE_FIRST))
        return INFINITY;
    double priority = 0.0;
    int voice = sim->delegation[chair] >= 0 ? sim->voice[chair] : chair;
    for (int k = 0; k < it->n; k++) {
        double s;
        sim_position(sim, voice, it->issue[k], &s);
        priority += s;
    }
    return priority;
}

/* The chair puts the items it cares most about first (a stable insertion
 * sort: ties keep the scenario's order). */
static void order_by_chair(const parley_sim *sim, int chair, agenda_item *items, int n)
{
    for (int i = 1; i < n; i++) {
        agenda_item it = items[i];
        double p = chair_priority(sim, chair, &it);
        int j = i;
        while (j > 0 && chair_priority(sim, chair, &items[j - 1]) < p) {
            items[j] = items[j - 1];
            j--;
        }
        items[j] = it;
    }
}

/* End-state clarity: at a forum's first meeting each principal states what it
 * wants, and the plainer the statement (the lever c in [0, 1]) the more it
 * tells the others about its type. It reaches beliefs as one more report
 * through a channel: a statement reads as evasive with probability
 * (1 + c) / 2 from an untrustworthy type and (1 - c) / 2 from a trustworthy
 * one, and the listener updates by those rates. It narrows uncertainty; it
 * does not make a party trustworthy (Powell 2006: clarity is no guarantee). */
static void state_end_states(parley_sim *sim, int forum)
{
    const psc_forum *fo = &sim->m->forums[forum];
    for (size_t i = 0; i < fo->n_members; i++) {
        int from = fo->members[i];
        double c = sim_lever(sim, from, PSC_LEVER_END_STATE_CLARITY);
        if (!sim_is_principal(sim, from) || !(c > 0.0))
            continue;
        c = c > 1.0 ? 1.0 : c;
        double evasive_if_untrustworthy = 0.5 * (1.0 + c), evasive_if_trustworthy = 0.5 * (1.0 - c);
        for (size_t j = 0; j < fo->n_members; j++) {
            int to = fo->members[j];
            if (to == from || !sim_is_principal(sim, to))
                continue;
            parley_rng rng;
            sim_rng(sim, &rng, PARLEY_MECH_SIGNALS, (uint32_t)(to * 1024 + from));
            bool evasive = parley_rng_bernoulli(&rng, sim->type_trustworthy[from]
                                                          ? evasive_if_trustworthy
                                                          : evasive_if_untrustworthy);
            sim_update_beliefs(sim, to, from, evasive, evasive_if_untrustworthy,
                               evasive_if_trustworthy);
        }
    }
}

static void hold_meeting(parley_sim *sim, int forum)
{
    sim_forum_state *fs = &sim->forum[forum];
    const psc_forum *fo = &sim->m->forums[forum];
    if (fs->meetings == 0) {
        draw_chair_order(sim, forum);
        fs->first_round = (int)sim->round;
        /* Press hype at the start (the article's first lesson). */
        for (size_t k = 0; k < fo->n_members; k++) {
            int a = fo->members[k];
            for (size_t b = 0; b < sim->n_actors; b++)
                if (sim->delegation[b] == a)
                    sim->expectation[b] = parley__expectation_update(
                        sim->expectation[b], 0.0, 0.0,
                        SIM_HYPE_SHARE * sim_lever(sim, a, PSC_LEVER_EXPECTATIONS));
        }
        state_end_states(sim, forum);
    }
    fs->meetings++;
    fs->chair_cursor = (fs->chair_cursor + 1) % (int)fo->n_members;
    int chair = fs->chair_order[fs->chair_cursor];
    sim_log(sim, PARLEY_LOG_MEETING, forum, chair, -1, -1, -1, fs->meetings, NAN);
    sim_inspections_at_meeting(sim, forum);

    agenda_item items[64] = {{0}}; /* every issue slot defined, not only the first n */
    int n = candidate_items(sim, forum, items, 64, false);
    order_by_chair(sim, chair, items, n);
    int worked = 0;
    for (int k = 0; k < n && !sim->ended && worked < AGENDA_CAPACITY; k++) {
        const agenda_item *it = &items[k];
        if (!consents(sim, forum, it)) {
            log_refusals(sim, forum, it);
            continue;
        }
        double x[ITEM_MAX_ISSUES] = {0.0}, before[ITEM_MAX_ISSUES] = {0.0};
        bool proposed = sim->p.null_model ? null_proposal(sim, chair, it, x)
                                          : propose(sim, forum, chair, it, x);
        /* A signed text is reopened only when better terms exist, and better
         * by a real step: the chair does not spend the meeting on an
         * amendment nobody can accept, nor reopen a signed deal to move a
         * term by a point or two as beliefs drift. */
        bool amendment = false;
        double step = 0.0;
        for (int j = 0; j < it->n; j++) {
            amendment |= under_agreement(sim, it->issue[j]);
            step = fmax(step, fabs(x[j] - reference_level(sim, it->issue[j])));
        }
        if (amendment && (!proposed || step < AMENDMENT_MIN_STEP))
            continue;
        worked++;
        sim_log(sim, PARLEY_LOG_AGENDA, forum, -1, -1, it->issue[0], -1, NAN, NAN);
        record_tabling(sim, forum, it, proposed);
        if (!proposed) {
            sim_log(sim, PARLEY_LOG_NO_PROPOSAL, forum, chair, -1, it->issue[0], -1, NAN, NAN);
            continue;
        }
        bool peace = false, procedural = true;
        for (int j = 0; j < it->n; j++) {
            before[j] = reference_level(sim, it->issue[j]);
            sim_log(sim, PARLEY_LOG_PROPOSAL, forum, chair, -1, it->issue[j], -1, x[j], before[j]);
            peace |= sim->m->issues[it->issue[j]].kind == PARLEY_ISSUE_PEACE_REGIME;
            procedural &= sim->m->issues[it->issue[j]].kind == PARLEY_ISSUE_PROCEDURAL;
        }
        /* The treaty replaces some of the armistice: a package that leaves the
         * regime's extent where it was, or moves it by less than a real step,
         * is an agreement on its other terms (weighted by that extent, they
         * carry next to nothing), not the treaty. */
        for (int j = 0; peace && sim->peace_extent >= 0 && j < it->n; j++)
            if (it->issue[j] == sim->peace_extent)
                peace = x[j] >= before[j] + AMENDMENT_MIN_STEP;
        if (sim->p.null_model && !null_acceptance(sim, forum, it))
            continue;
        int party[SIM_MAX_PARTIES];
        bool obliged[SIM_MAX_PARTIES];
        int np = 0;
        for (size_t m = 0; m < fo->n_members && np < SIM_MAX_PARTIES; m++)
            if (sim_is_principal(sim, fo->members[m])) {
                party[np] = fo->members[m];
                /* Only a party that gives something has something to deliver. */
                obliged[np] = !procedural &&
                              sim_stake(sim, sim->voice[party[np]], it->n, it->issue, x, before, NULL) > 0.0;
                np++;
            }
        char name[sizeof sim->record[0].name];
        size_t used = (size_t)snprintf(name, sizeof name, "%s: %s", fo->name,
                                       sim->m->issues[it->issue[0]].name);
        for (int j = 1; j < it->n && used < sizeof name; j++)
            used += (size_t)snprintf(name + used, sizeof name - used, " + %s",
                                     sim->m->issues[it->issue[j]].name);
        if (sim->n_agreement >= PARLEY_SIM_MAX_AGREEMENTS)
            continue; /* no room for more agreements: the talks go on without it */
        sim_supersede(sim, forum, it->n, it->issue);
        if (sim_add_agreement(sim, forum, -1, it->n, it->issue, x, before, np, party, obliged,
                              name) != PARLEY_OK)
            continue;
        size_t g = sim->n_agreement - 1;
        sim->record[g].ratified = true; /* the veto players' win-sets shaped x */
        sim->summary.agreements++;
        sim_log(sim, PARLEY_LOG_AGREEMENT, forum, -1, -1, it->issue[0], (int)g, x[0], NAN);
        if (peace) {
            sim_log(sim, PARLEY_LOG_RATIFIED, forum, -1, -1, it->issue[0], (int)g, NAN, NAN);
            sim_log(sim, PARLEY_LOG_TREATY, forum, -1, -1, it->issue[0], (int)g, NAN, NAN);
            sim->summary.outcome = PARLEY_OUTCOME_TREATY;
            sim->summary.outcome_round = (int)sim->round;
            /* How much of a treaty it is: from a real step up to the whole
             * armistice replaced. */
            for (int j = 0; j < it->n; j++)
                if (it->issue[j] == sim->peace_extent)
                    sim->summary.treaty_extent = x[j];
            sim->ended = true;
        }
    }
}

/* Step 11's back burner: a forum waits while another forum that has met and
 * shares at least two of its principals promises those shared principals,
 * together, more than it does (the same actors weigh both channels, so two
 * forums cannot outshine each other). gain is forum x actor. */
static bool outshone(parley_sim *sim, int forum, const double *gain)
{
    const psc_forum *fo = &sim->m->forums[forum];
    size_t n = sim->n_actors;
    for (size_t g = 0; g < sim->n_forums; g++) {
        if ((int)g == forum || sim->forum[g].collapsed || sim->forum[g].meetings == 0)
            continue;
        /* Only a channel among some of this forum's own principals can draw
         * them away from it; the smaller channel meets on the margins of the
         * larger one's sessions and never waits for it. */
        bool inside = true;
        const psc_forum *other = &sim->m->forums[g];
        for (size_t k = 0; k < other->n_members; k++)
            if (sim_is_principal(sim, other->members[k]) && !is_member(fo, other->members[k]))
                inside = false;
        if (!inside)
            continue;
        int shared = 0;
        double here = 0.0, there = 0.0;
        for (size_t k = 0; k < fo->n_members; k++) {
            int a = fo->members[k];
            if (!sim_is_principal(sim, a) || !is_member(&sim->m->forums[g], a))
                continue;
            shared++;
            here += gain[(size_t)forum * n + (size_t)a];
            there += gain[g * n + (size_t)a];
        }
        if (shared >= 2 && there > here)
            return true;
    }
    return false;
}

/* Convening by initiative: what the forum's members would read as a reason
 * to propose a date again. News on an item of its mandate (every issue for a
 * forum without one) as the forum's record counts it, a new reference level
 * on one (an agreement signed, amended or ended anywhere), or a change to what
 * a member weighs at its window (forum_news). mark() records the state when the
 * forum loses its date; news_since_undated() compares against it. */
static size_t mandate_size(const parley_sim *sim, const psc_forum *fo)
{
    return fo->n_issues ? fo->n_issues : sim->n_issues;
}

static int mandate_issue(const psc_forum *fo, size_t k)
{
    return fo->n_issues ? fo->issues[k] : (int)k;
}

static uint32_t convening_news(const parley_sim *sim, int forum)
{
    const psc_forum *fo = &sim->m->forums[forum];
    uint32_t news = sim->forum_news[forum];
    for (size_t k = 0; k < mandate_size(sim, fo); k++)
        news += sim->issue_news[mandate_issue(fo, k)];
    return news;
}

static void mark_undated(parley_sim *sim, int forum)
{
    const psc_forum *fo = &sim->m->forums[forum];
    sim->forum[forum].undated = true;
    sim->forum[forum].undated_news = convening_news(sim, forum);
    for (size_t k = 0; k < mandate_size(sim, fo); k++) {
        int issue = mandate_issue(fo, k);
        sim->undated_level[(size_t)forum * sim->n_issues + (size_t)issue] =
            reference_level(sim, issue);
    }
}

static bool news_since_undated(const parley_sim *sim, int forum)
{
    const psc_forum *fo = &sim->m->forums[forum];
    if (convening_news(sim, forum) != sim->forum[forum].undated_news)
        return true;
    for (size_t k = 0; k < mandate_size(sim, fo); k++) {
        int issue = mandate_issue(fo, k);
        if (reference_level(sim, issue) !=
            sim->undated_level[(size_t)forum * sim->n_issues + (size_t)issue])
            return true;
    }
    return false;
}

void sim_meetings(parley_sim *sim)
{
    size_t nf = sim->n_forums, n = sim->n_actors;
    bool due = false;
    for (size_t f = 0; f < nf; f++)
        due |= !sim->forum[f].collapsed && (int)sim->round >= sim->forum[f].next_round;
    if (!due)
        return; /* no forum meets this month: nothing to weigh */
    for (size_t f = 0; f < nf; f++)
        forum_gains(sim, (int)f, sim->gain_by_actor + f * n);
    for (size_t f = 0; f < nf && !sim->ended; f++) {
        sim_forum_state *fs = &sim->forum[f];
        if (fs->collapsed || (int)sim->round < fs->next_round)
            continue;
        double cadence = psc_forum_cadence(sim->m, f);
        fs->next_round = (int)sim->round + (int)fmax(1.0, round(cadence));
        /* An undated forum has no window until someone has a reason to
         * propose one; the cadence is then how soon the date can be. */
        if (fs->undated && !news_since_undated(sim, (int)f))
            continue;
        fs->undated = false;
        double *gain = sim->gain_by_actor + f * n;
        bool waits = fs->meetings > 0 && outshone(sim, (int)f, sim->gain_by_actor);
        if (waits != fs->back_burner) {
            fs->back_burner = waits;
            sim_log(sim, waits ? PARLEY_LOG_BACK_BURNER : PARLEY_LOG_RESUMED, (int)f, -1, -1, -1,
                    -1, forum_gains(sim, (int)f, NULL), NAN);
        }
        if (waits)
            continue;
        /* Again: an earlier forum's meeting this month may have changed it. */
        forum_gains(sim, (int)f, gain);
        if (!participation(sim, (int)f, gain)) {
            fs->missed++;
            if (fs->missed >= (uint32_t)sim->p.collapse_windows) {
                fs->collapsed = true;
                sim_log(sim, PARLEY_LOG_COLLAPSE, (int)f, -1, -1, -1, -1, fs->missed, NAN);
                if ((int)f == sim->main_forum) {
                    sim->summary.outcome = PARLEY_OUTCOME_COLLAPSE;
                    sim->summary.outcome_round = (int)sim->round;
                    sim->ended = true;
                }
            } else if (sim->m->forums[f].convening == PSC_CONVENING_INITIATIVE &&
                       !(sim->p.ablate & PARLEY_ABLATE_CONVENING)) {
                mark_undated(sim, (int)f);
                sim_log(sim, PARLEY_LOG_UNDATED, (int)f, -1, -1, -1, -1, fs->missed, NAN);
            }
            continue;
        }
        fs->missed = 0;
        fs->months_participation += (uint32_t)fmax(1.0, round(cadence));
        hold_meeting(sim, (int)f);
    }
}
