/* The tables of numeric fields (name, range, default, role) and the path
 * resolver built on them: one statement of each field, read by the loader, the
 * dumper, `--set` and event effects alike. Also the "did you mean" helper. */
#include "internal.h"

#include "core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INF HUGE_VAL

static const psc_numspec actor_nums[] = {
    {"capability", offsetof(psc_actor, capability), 0, INF, NF_PRIM, 1},
    {"risk", offsetof(psc_actor, risk), -1, 1, NF_PRIM, 0},
    {"type_prior", offsetof(psc_actor, type_prior), 0, 1, NF_PRIM, 0.5},
    {"discount", offsetof(psc_actor, discount), 0, 1, 0, 0.9},
    {"need", offsetof(psc_actor, need), 0, 1, NF_PRIM, 0},
    {"contact_cost", offsetof(psc_actor, contact_cost), 0, INF, NF_PRIM, 0},
    {"support", offsetof(psc_actor, support), 0, 1, NF_PRIM, 0.5},
};

static const psc_numspec issue_nums[] = {
    {"status_quo", offsetof(psc_issue, status_quo), 0, 100, NF_PRIM | NF_REQUIRED, 0},
    {"reversible", offsetof(psc_issue, reversible), 0, 1, NF_PRIM, 0},
    {"verification.detection", offsetof(psc_issue, verification.detection), 0, 1,
     NF_PRIM | NF_INHERIT, 0},
    {"verification.false_alarm", offsetof(psc_issue, verification.false_alarm), 0, 1,
     NF_PRIM | NF_INHERIT, 0},
};

static const psc_numspec forum_nums[] = {
    {"cadence_months", offsetof(psc_forum, cadence_months), 0, 120, NF_LO_OPEN | NF_INHERIT, 0},
    {"side_payments", offsetof(psc_forum, side_payments), 0, 1000, NF_PRIM | NF_INHERIT, 0},
};

static const psc_numspec term_nums[] = {
    {"level", offsetof(psc_term, level), 0, 100, NF_REQUIRED, 0},
};

static const psc_numspec obligation_nums[] = {
    {"level", offsetof(psc_obligation, level), 0, 100, NF_REQUIRED, 0},
};

static const psc_numspec stance_nums[] = {
    {"position", offsetof(psc_stance, position), 0, 100, NF_PRIM | NF_REQUIRED, 0},
    {"salience", offsetof(psc_stance, salience), 0, 1, NF_PRIM | NF_REQUIRED, 0},
};

static const psc_numspec trust_nums[] = {
    {"alpha", offsetof(psc_trust, alpha), 0, 1e6, NF_LO_OPEN | NF_PRIM | NF_LOADER, 0},
    {"beta", offsetof(psc_trust, beta), 0, 1e6, NF_LO_OPEN | NF_PRIM | NF_LOADER, 0},
    {"mean", 0, 0, 1, NF_LO_OPEN | NF_HI_OPEN | NF_DERIVED | NF_LOADER, 0},
    {"strength", 0, 0, 1e6, NF_LO_OPEN | NF_DERIVED | NF_LOADER, 0},
};

static const psc_numspec event_nums[] = {
    {"probability", offsetof(psc_event, probability), 0, 1, NF_LOADER, 1},
    {"hazard.rate", offsetof(psc_event, hazard.rate), 0, 10, NF_REQUIRED, 0},
    {"condition.above", offsetof(psc_event, condition.threshold), -INF, INF, NF_LOADER, 0},
    {"condition.below", offsetof(psc_event, condition.threshold), -INF, INF, NF_LOADER, 0},
};

static const psc_numspec effect_nums[] = {
    {"set", offsetof(psc_effect, value), -INF, INF, NF_LOADER, 0},
    {"add", offsetof(psc_effect, value), -INF, INF, NF_LOADER, 0},
    {"multiply", offsetof(psc_effect, value), -INF, INF, NF_LOADER, 0},
};

/* In PSC_LEVER_* order: a lever's spec is policy_nums[lever]. */
static const psc_numspec policy_nums[] = {
    {"verify_months", offsetof(psc_policy, verify_months), 0, 120, NF_PRIM, 6},
    {"expectations", offsetof(psc_policy, expectations), 0, 1, NF_PRIM, 0.5},
    {"coordination", offsetof(psc_policy, coordination), 0, 1, NF_PRIM, 0.5},
    {"end_state_clarity", offsetof(psc_policy, end_state_clarity), 0, 1, NF_PRIM, 0.5},
    {"cadence_months", offsetof(psc_policy, cadence_months), 0, 120, NF_LO_OPEN | NF_PRIM, 3},
    {"side_payments", offsetof(psc_policy, side_payments), 0, 1000, NF_PRIM, 0},
    {"spoilers", offsetof(psc_policy, spoilers), 0, 1, NF_PRIM, 0},
    {"verification.detection", offsetof(psc_policy, verification.detection), 0, 1, NF_PRIM,
     0.5},
    {"verification.false_alarm", offsetof(psc_policy, verification.false_alarm), 0, 1,
     NF_PRIM, 0.05},
};

static const psc_numspec override_nums[] = {
    {"value", offsetof(psc_override, value), -INF, INF, NF_LOADER, 0},
};

#define TABLE(t) {(t), sizeof(t) / sizeof((t)[0])}
const psc_numtable parley__numtables[] = {
    [PSC_SEC_META] = {NULL, 0},
    [PSC_SEC_ACTORS] = TABLE(actor_nums),
    [PSC_SEC_ISSUES] = TABLE(issue_nums),
    [PSC_SEC_FORUMS] = TABLE(forum_nums),
    [PSC_SEC_AGREEMENT_TERMS] = TABLE(term_nums),
    [PSC_SEC_AGREEMENT_OBLIGATIONS] = TABLE(obligation_nums),
    [PSC_SEC_STANCES] = TABLE(stance_nums),
    [PSC_SEC_TRUST] = TABLE(trust_nums),
    [PSC_SEC_EVENTS] = TABLE(event_nums),
    [PSC_SEC_EFFECTS] = TABLE(effect_nums),
    [PSC_SEC_POLICY] = TABLE(policy_nums),
    [PSC_SEC_OVERRIDES] = TABLE(override_nums),
};

const char *const parley__lever_names[PSC_LEVER_COUNT + 1] = {
    "verify_months", "expectations", "coordination", "end_state_clarity", "cadence_months",
    "side_payments", "spoilers", "verification.detection", "verification.false_alarm", NULL};

const psc_numspec *parley__lever_spec(int lever) { return &policy_nums[lever]; }

const char *const parley__actor_kinds[] = {"principal", "observer", "host", "mediator",
                                           "faction", NULL};
const char *const parley__issue_kinds[] = {"peace_regime", "cbm",       "denuclearisation",
                                           "economic",     "political", "procedural",
                                           NULL};
const char *const parley__chair_rotations[] = {"lot", "fixed", "alphabetical", NULL};
const char *const parley__agendas[] = {"consensus", "chair", NULL};
const char *const parley__convenings[] = {"cadence", "initiative", NULL};
const char *const parley__linkages[] = {"separate", "linked", NULL};
const char *const parley__sequencings[] = {"step_by_step", "treaty_first", NULL};
const char *const parley__dists[] = {"uniform", "normal", "triangular", "beta", NULL};
const char *const parley__veto_names[] = {"ratification", "implementation", NULL};

/* ---- suggestions ---------------------------------------------------------- */

size_t parley__edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    if (la > 64 || lb > 64)
        return cap + 1; /* ids and field names are short; long words never match */
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t row_min = cap + 1;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > cap)
            return cap + 1;
    }
    return d[la][lb] > cap ? cap + 1 : d[la][lb];
}

const char *parley__closest(const char *word, size_t n,
                            const char *(*get)(const void *ctx, size_t i), const void *ctx)
{
    size_t len = strlen(word);
    size_t cap = len <= 2 ? (len ? len - 1 : 0) : 2;
    const char *best = NULL;
    size_t best_d = cap + 1;
    for (size_t i = 0; i < n; i++) {
        const char *cand = get(ctx, i);
        if (!cand)
            continue;
        size_t d = parley__edit_distance(word, cand, cap);
        if (d < best_d && d > 0) {
            best = cand;
            best_d = d;
        }
    }
    return best;
}

static const char *list_get(const void *ctx, size_t i) { return ((const char *const *)ctx)[i]; }

const char *parley__closest_in_list(const char *word, const char *const *list)
{
    size_t n = 0;
    while (list[n])
        n++;
    return parley__closest(word, n, list_get, list);
}

/* ---- ranges ---------------------------------------------------------------- */

bool parley__in_range(const psc_numspec *ns, double v)
{
    if (isnan(v) || isinf(v))
        return false;
    if ((ns->flags & NF_LO_OPEN) ? !(v > ns->lo) : !(v >= ns->lo))
        return false;
    if ((ns->flags & NF_HI_OPEN) ? !(v < ns->hi) : !(v <= ns->hi))
        return false;
    return true;
}

void parley__range_text(const psc_numspec *ns, char *buf, size_t size)
{
    bool lo = !isinf(ns->lo), hi = !isinf(ns->hi);
    if (lo && hi)
        snprintf(buf, size, "must be in %c%g, %g%c", (ns->flags & NF_LO_OPEN) ? '(' : '[',
                 ns->lo, ns->hi, (ns->flags & NF_HI_OPEN) ? ')' : ']');
    else if (lo)
        snprintf(buf, size, "must be %s %g", (ns->flags & NF_LO_OPEN) ? ">" : ">=", ns->lo);
    else if (hi)
        snprintf(buf, size, "must be %s %g", (ns->flags & NF_HI_OPEN) ? "<" : "<=", ns->hi);
    else
        snprintf(buf, size, "must be a finite number");
}

/* ---- the resolver ----------------------------------------------------------- */

#define MAX_SEGS 12

typedef struct segs {
    char buf[512];
    char *s[MAX_SEGS];
    size_t n;
} segs;

static bool split(const char *path, segs *sg)
{
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof sg->buf)
        return false;
    memcpy(sg->buf, path, len + 1);
    sg->n = 0;
    char *p = sg->buf;
    for (;;) {
        if (sg->n == MAX_SEGS)
            return false;
        sg->s[sg->n++] = p;
        char *dot = strchr(p, '.');
        if (!dot)
            break;
        *dot = '\0';
        p = dot + 1;
    }
    for (size_t i = 0; i < sg->n; i++)
        if (!sg->s[i][0])
            return false;
    return true;
}

/* Joins segments k.. with dots into out. */
static void join_from(const segs *sg, size_t k, char *out, size_t size)
{
    out[0] = '\0';
    size_t used = 0;
    for (size_t i = k; i < sg->n; i++) {
        int w = snprintf(out + used, size - used, "%s%s", i > k ? "." : "", sg->s[i]);
        if (w < 0 || (size_t)w >= size - used)
            return;
        used += (size_t)w;
    }
}

static const char *actor_id_get(const void *ctx, size_t i)
{
    return ((const psc_model *)ctx)->actors[i].id;
}
static const char *issue_id_get(const void *ctx, size_t i)
{
    return ((const psc_model *)ctx)->issues[i].id;
}
static const char *forum_id_get(const void *ctx, size_t i)
{
    return ((const psc_model *)ctx)->forums[i].id;
}
static const char *agreement_id_get(const void *ctx, size_t i)
{
    return ((const psc_model *)ctx)->agreements[i].id;
}
static const char *event_id_get(const void *ctx, size_t i)
{
    return ((const psc_model *)ctx)->events[i].id;
}

typedef struct idspace {
    const char *what;
    size_t n;
    const char *(*get)(const void *ctx, size_t i);
} idspace;

static int find_id(const psc_model *m, const idspace *sp, const char *id, char *why, size_t wsize)
{
    for (size_t i = 0; i < sp->n; i++) {
        const char *cand = sp->get(m, i);
        if (cand && strcmp(cand, id) == 0)
            return (int)i;
    }
    const char *near = parley__closest(id, sp->n, sp->get, m);
    if (near)
        snprintf(why, wsize, "unknown %s '%s' (did you mean '%s'?)", sp->what, id, near);
    else
        snprintf(why, wsize, "unknown %s '%s'", sp->what, id);
    return -1;
}

static const char *spec_name_get(const void *ctx, size_t i)
{
    const psc_numtable *t = ctx;
    return t->f[i].name;
}

static int find_field(const psc_numtable *t, const char *name, const char *what, char *why,
                      size_t wsize)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->f[i].name, name) == 0)
            return (int)i;
    const char *near = parley__closest(name, t->n, spec_name_get, t);
    if (near)
        snprintf(why, wsize, "'%s' is not a number field of %s (did you mean '%s'?)", name,
                 what, near);
    else
        snprintf(why, wsize, "'%s' is not a number field of %s", name, what);
    return -1;
}

static const char *const section_names[] = {"meta",   "actors", "issues", "forums",
                                            "agreements", "stances", "trust", "events",
                                            "policy", NULL};

static bool resolve(const psc_model *m, const char *path, psc_target *t,
                    const psc_numspec **spec, char *why, size_t wsize)
{
    segs sg;
    char rest[512];
    *t = (psc_target){-1, -1, -1, -1};
    if (!split(path, &sg)) {
        snprintf(why, wsize, "'%s' is not a path (dot-separated names, e.g. "
                             "actors.ID.capability)", path);
        return false;
    }
    const char *sec = sg.s[0];
    int section = -1, index = -1, sub = -1;
    size_t k = 0; /* first segment of the field name */
    const char *what = "";
    idspace actors = {"actor", m->n_actors, actor_id_get};
    idspace issues = {"issue", m->n_issues, issue_id_get};
    if (strcmp(sec, "actors") == 0 || strcmp(sec, "issues") == 0 ||
        strcmp(sec, "forums") == 0 || strcmp(sec, "events") == 0) {
        idspace sp;
        if (sec[0] == 'a') {
            sp = actors;
            section = PSC_SEC_ACTORS;
            what = "an actor";
        } else if (sec[0] == 'i') {
            sp = issues;
            section = PSC_SEC_ISSUES;
            what = "an issue";
        } else if (sec[0] == 'f') {
            sp = (idspace){"forum", m->n_forums, forum_id_get};
            section = PSC_SEC_FORUMS;
            what = "a forum";
        } else {
            sp = (idspace){"event", m->n_events, event_id_get};
            section = PSC_SEC_EVENTS;
            what = "an event";
        }
        if (sg.n < 3) {
            snprintf(why, wsize, "'%s' is incomplete: expected %s.ID.FIELD", path, sec);
            return false;
        }
        if ((index = find_id(m, &sp, sg.s[1], why, wsize)) < 0)
            return false;
        k = 2;
        if (section == PSC_SEC_EVENTS && strcmp(sg.s[2], "effects") == 0) {
            const psc_event *e = &m->events[index];
            char *end = NULL;
            unsigned long j = sg.n > 3 ? strtoul(sg.s[3], &end, 10) : 0;
            if (sg.n != 5 || !end || *end || j >= e->n_effects) {
                snprintf(why, wsize, "'%s': expected events.%s.effects.N.OP with N < %zu", path,
                         e->id, e->n_effects);
                return false;
            }
            sub = (int)j;
            section = PSC_SEC_EFFECTS;
            what = "an effect";
            k = 4;
            static const char *const ops[] = {"set", "add", "multiply"};
            if (strcmp(sg.s[4], ops[e->effects[j].op]) != 0) {
                snprintf(why, wsize, "'%s': this effect's operation is '%s'", path,
                         ops[e->effects[j].op]);
                return false;
            }
        } else if (section == PSC_SEC_EVENTS && strncmp(sg.s[2], "condition", 9) == 0 &&
                   sg.n == 4) {
            const psc_condition *c = &m->events[index].condition;
            const char *want = c->kind == PSC_COND_ABOVE   ? "above"
                               : c->kind == PSC_COND_BELOW ? "below"
                                                           : NULL;
            if (!want || strcmp(sg.s[3], want) != 0) {
                snprintf(why, wsize, "'%s': event '%s' has no such condition threshold", path,
                         m->events[index].id);
                return false;
            }
        }
    } else if (strcmp(sec, "agreements") == 0) {
        idspace sp = {"agreement", m->n_agreements, agreement_id_get};
        if (sg.n != 5 ||
            (strcmp(sg.s[2], "terms") != 0 && strcmp(sg.s[2], "obligations") != 0)) {
            snprintf(why, wsize, "'%s': expected agreements.ID.terms.ISSUE.level or "
                                 "agreements.ID.obligations.N.level", path);
            return false;
        }
        if ((index = find_id(m, &sp, sg.s[1], why, wsize)) < 0)
            return false;
        const psc_agreement *ag = &m->agreements[index];
        if (sg.s[2][0] == 't') {
            int is = find_id(m, &issues, sg.s[3], why, wsize);
            if (is < 0)
                return false;
            for (size_t j = 0; j < ag->n_terms; j++)
                if (ag->terms[j].issue == is)
                    sub = (int)j;
            if (sub < 0) {
                snprintf(why, wsize, "agreement '%s' has no term on issue '%s'", ag->id,
                         sg.s[3]);
                return false;
            }
            section = PSC_SEC_AGREEMENT_TERMS;
            what = "a term";
        } else {
            char *end = NULL;
            unsigned long j = strtoul(sg.s[3], &end, 10);
            if (!end || *end || j >= ag->n_obligations) {
                snprintf(why, wsize, "agreement '%s' has no obligation '%s' (it has %zu)",
                         ag->id, sg.s[3], ag->n_obligations);
                return false;
            }
            sub = (int)j;
            section = PSC_SEC_AGREEMENT_OBLIGATIONS;
            what = "an obligation";
        }
        k = 4;
    } else if (strcmp(sec, "stances") == 0 || strcmp(sec, "trust") == 0) {
        bool st = sec[0] == 's';
        if (sg.n != 4) {
            snprintf(why, wsize, st ? "'%s': expected stances.ACTOR.ISSUE.FIELD"
                                    : "'%s': expected trust.FROM.TO.FIELD", path);
            return false;
        }
        int a = find_id(m, &actors, sg.s[1], why, wsize);
        if (a < 0)
            return false;
        int b = find_id(m, st ? &issues : &actors, sg.s[2], why, wsize);
        if (b < 0)
            return false;
        if (st) {
            index = m->stance_at ? m->stance_at[(size_t)a * m->n_issues + (size_t)b] : -1;
            if (index < 0) {
                snprintf(why, wsize, "there is no stance of '%s' on '%s'", sg.s[1], sg.s[2]);
                return false;
            }
            section = PSC_SEC_STANCES;
            what = "a stance";
        } else {
            for (size_t j = 0; j < m->n_trust; j++)
                if (m->trust[j].from == a && m->trust[j].to == b)
                    index = (int)j;
            if (index < 0) {
                snprintf(why, wsize, "there is no trust entry from '%s' to '%s'", sg.s[1],
                         sg.s[2]);
                return false;
            }
            section = PSC_SEC_TRUST;
            what = "a trust entry";
        }
        k = 3;
    } else if (strcmp(sec, "policy") == 0) {
        section = PSC_SEC_POLICY;
        what = "the policy";
        k = 1;
        if (sg.n >= 2 && strcmp(sg.s[1], "overrides") == 0) {
            if (sg.n < 4) {
                snprintf(why, wsize, "'%s': expected policy.overrides.ACTOR.LEVER", path);
                return false;
            }
            int a = find_id(m, &actors, sg.s[2], why, wsize);
            if (a < 0)
                return false;
            join_from(&sg, 3, rest, sizeof rest);
            int lever = -1;
            for (int l = 0; l < PSC_LEVER_COUNT; l++)
                if (strcmp(parley__lever_names[l], rest) == 0)
                    lever = l;
            if (lever < 0) {
                const char *near = parley__closest_in_list(rest, parley__lever_names);
                snprintf(why, wsize, "'%s' is not a lever%s%s%s", rest, near ? " (did you mean '" : "",
                         near ? near : "", near ? "'?)" : "");
                return false;
            }
            for (size_t j = 0; j < m->policy.n_overrides; j++)
                if (m->policy.overrides[j].actor == a && m->policy.overrides[j].lever == lever)
                    sub = (int)j;
            if (sub < 0) {
                snprintf(why, wsize, "there is no override of '%s' for '%s'", rest, sg.s[2]);
                return false;
            }
            *t = (psc_target){PSC_SEC_OVERRIDES, -1, sub, 0};
            *spec = parley__lever_spec(lever);
            return true;
        }
    } else if (strcmp(sec, "meta") == 0) {
        snprintf(why, wsize, "'%s': meta has no number fields", path);
        return false;
    } else {
        const char *near = parley__closest_in_list(sec, section_names);
        snprintf(why, wsize, "unknown section '%s'%s%s%s", sec, near ? " (did you mean '" : "",
                 near ? near : "", near ? "'?)" : "");
        return false;
    }
    if (k >= sg.n) {
        snprintf(why, wsize, "'%s' names %s, not one of its fields", path, what);
        return false;
    }
    join_from(&sg, k, rest, sizeof rest);
    const psc_numtable *tab = &parley__numtables[section];
    int f = find_field(tab, rest, what, why, wsize);
    if (f < 0)
        return false;
    if (section == PSC_SEC_EVENTS) {
        const psc_event *e = &m->events[index];
        if (strcmp(rest, "probability") == 0 && e->date.year == 0) {
            snprintf(why, wsize, "event '%s' has a hazard, not a probability", e->id);
            return false;
        }
        if (strcmp(rest, "hazard.rate") == 0 && e->date.year != 0) {
            snprintf(why, wsize, "event '%s' is scheduled; it has no hazard", e->id);
            return false;
        }
    }
    *t = (psc_target){section, index, sub, f};
    *spec = &tab->f[f];
    return true;
}

bool parley__scenario_resolve_spec(const psc_model *m, const char *path, psc_target *t,
                                   const psc_numspec **spec, char *why, size_t why_size)
{
    return resolve(m, path, t, spec, why, why_size);
}

bool parley__scenario_resolve_number(const psc_model *m, const char *path, psc_target *t,
                                     double *lo, double *hi, bool *primitive, char *why,
                                     size_t why_size)
{
    const psc_numspec *spec = NULL;
    if (!resolve(m, path, t, &spec, why, why_size))
        return false;
    if (lo)
        *lo = spec->lo;
    if (hi)
        *hi = spec->hi;
    if (primitive)
        *primitive = (spec->flags & NF_PRIM) != 0;
    return true;
}

static void *target_base(const psc_model *m, const psc_target *t)
{
    switch (t->section) {
    case PSC_SEC_ACTORS: return &m->actors[t->index];
    case PSC_SEC_ISSUES: return &m->issues[t->index];
    case PSC_SEC_FORUMS: return &m->forums[t->index];
    case PSC_SEC_AGREEMENT_TERMS: return &m->agreements[t->index].terms[t->sub];
    case PSC_SEC_AGREEMENT_OBLIGATIONS: return &m->agreements[t->index].obligations[t->sub];
    case PSC_SEC_STANCES: return &m->stances[t->index];
    case PSC_SEC_TRUST: return &m->trust[t->index];
    case PSC_SEC_EVENTS: return &m->events[t->index];
    case PSC_SEC_EFFECTS: return &m->events[t->index].effects[t->sub];
    case PSC_SEC_POLICY: return (void *)&m->policy;
    case PSC_SEC_OVERRIDES: return &m->policy.overrides[t->sub];
    default: return NULL;
    }
}

double parley__scenario_target_get(const psc_model *m, const psc_target *t)
{
    const psc_numspec *ns = &parley__numtables[t->section].f[t->field];
    if (t->section == PSC_SEC_TRUST && (ns->flags & NF_DERIVED)) {
        const psc_trust *tr = &m->trust[t->index];
        if (tr->by_mean)
            return ns->name[0] == 'm' ? tr->mean : tr->strength;
        double s = tr->alpha + tr->beta;
        return ns->name[0] == 'm' ? tr->alpha / s : s;
    }
    const char *base = target_base(m, t);
    double v;
    memcpy(&v, base + ns->off, sizeof v);
    return v;
}

void parley__scenario_target_set(psc_model *m, const psc_target *t, double value)
{
    const psc_numspec *ns = &parley__numtables[t->section].f[t->field];
    if (t->section == PSC_SEC_TRUST) {
        /* keep alpha/beta and mean/strength consistent whichever is set */
        psc_trust *tr = &m->trust[t->index];
        if (!(ns->flags & NF_DERIVED)) {
            if (ns->name[0] == 'a')
                tr->alpha = value;
            else
                tr->beta = value;
            tr->mean = tr->alpha / (tr->alpha + tr->beta);
            tr->strength = tr->alpha + tr->beta;
            return;
        }
        double s = tr->by_mean ? tr->strength : tr->alpha + tr->beta;
        double mean = tr->by_mean ? tr->mean : tr->alpha / (tr->alpha + tr->beta);
        if (ns->name[0] == 'm')
            mean = value;
        else
            s = value;
        tr->mean = mean;
        tr->strength = s;
        tr->alpha = mean * s;
        tr->beta = (1 - mean) * s;
        return;
    }
    char *base = target_base(m, t);
    memcpy(base + ns->off, &value, sizeof value);
}
