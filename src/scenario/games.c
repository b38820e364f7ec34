/* The scenario's optional "games" section: its own stage game and its own
 * strategy tables, which compliance_strategy may then name. Strategies are
 * compiled by the game engine (parley_strategy_from_table and friends), so a
 * definition that loads is one the engine plays; this file only turns JSON
 * into the engine's table form and reports every problem by JSON path. It
 * also writes the section back (the dump keeps the form that was written) and
 * resolves strategy names for the simulator and the game commands. */
#include "internal.h"

#include "core/alloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define P PARLEY_WHERE_MAX

typedef struct gctx {
    parley_error *err;
    const char *file;
    psc_games *g;
} gctx;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 4, 5)))
#endif
static void diag(gctx *c, parley_status st, const char *jpath, const char *fmt, ...)
{
    /* Past the cap only the count grows, as in the rest of the loader. */
    if (c->err->count >= PARLEY_DIAGNOSTICS_MAX) {
        parley_error_add(c->err, st, NULL, "%s", "");
        return;
    }
    char where[P], what[PARLEY_WHAT_MAX];
    snprintf(where, sizeof where, "%s: %s", c->file, jpath);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    parley_error_add(c->err, st, where, "%s", what);
}

static void nomem(gctx *c, const char *jpath) { diag(c, PARLEY_ENOMEM, jpath, "out of memory"); }

static void join(char *out, const char *base, const char *key)
{
    snprintf(out, P, "%s.%s", base, key);
}

static const char *jtype(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static char *dup_or_report(gctx *c, const char *s, const char *jpath)
{
    char *d = parley__strdup(s);
    if (!d)
        nomem(c, jpath);
    return d;
}

static void check_keys(gctx *c, json_t *obj, const char *jpath, const char *const *known)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (size_t i = 0; known[i] && !ok; i++)
            ok = strcmp(known[i], key) == 0;
        if (ok)
            continue;
        char p[P];
        join(p, jpath, key);
        const char *near = parley__closest_in_list(key, known);
        if (near)
            diag(c, PARLEY_EINPUT, p, "unknown field (did you mean '%s'?)", near);
        else
            diag(c, PARLEY_EINPUT, p, "unknown field");
    }
}

/* Names (strategies, states) follow the id rule, so that a JSON path built
 * from them stays readable and a name can never carry a ':' parameter. */
static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > PARLEY_SCENARIO_MAX_ID)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
            return false;
    return true;
}

static bool number(gctx *c, json_t *v, const char *p, double *x)
{
    if (!json_is_number(v)) {
        diag(c, PARLEY_EINPUT, p, "must be a number (got %s)", jtype(v));
        return false;
    }
    *x = json_number_value(v);
    if (!isfinite(*x)) {
        diag(c, PARLEY_EINPUT, p, "must be a finite number");
        return false;
    }
    if (*x == 0)
        *x = 0; /* no negative zero: it would not survive a dump */
    return true;
}

static bool probability(gctx *c, json_t *v, const char *p, double *x)
{
    if (!number(c, v, p, x))
        return false;
    if (!(*x >= 0 && *x <= 1)) {
        diag(c, PARLEY_EINPUT, p, "is a probability and must be in [0, 1] (got %g)", *x);
        return false;
    }
    return true;
}

/* "C" or "D" into *a. */
static bool action(gctx *c, json_t *v, const char *p, int *a)
{
    const char *s = json_string_value(v);
    if (s && strcmp(s, "C") == 0)
        *a = PARLEY_C;
    else if (s && strcmp(s, "D") == 0)
        *a = PARLEY_D;
    else {
        diag(c, PARLEY_EINPUT, p, "must be \"C\" or \"D\" (got %s%s%.20s%s)",
             s ? "" : jtype(v), s ? "'" : "", s ? s : "", s ? "'" : "");
        return false;
    }
    return true;
}

/* ---- the stage game ------------------------------------------------------ */

static const char *const stage_keys[] = {"preset", "R", "S", "T", "P", "payoffs", "source",
                                         NULL};
static const char *const outcome_keys[] = {"CC", "CD", "DC", "DD", NULL};
static const char *const presets[] = {"pd", "stag-hunt", "chicken", NULL};

static void parse_stage(gctx *c, json_t *v)
{
    const char *jp = "games.stage_game";
    psc_stage *sg = &c->g->stage;
    if (!json_is_object(v)) {
        diag(c, PARLEY_EINPUT, jp, "must be an object (got %s)", jtype(v));
        return;
    }
    check_keys(c, v, jp, stage_keys);
    char p[P];
    json_t *src = json_object_get(v, "source");
    if (src) {
        join(p, jp, "source");
        if (!json_is_string(src))
            diag(c, PARLEY_EINPUT, p, "must be a string (got %s)", jtype(src));
        else
            sg->source = dup_or_report(c, json_string_value(src), p);
    }
    bool has_preset = json_object_get(v, "preset") != NULL;
    bool has_payoffs = json_object_get(v, "payoffs") != NULL;
    int n_rstp = 0;
    for (int k = 1; k <= 4; k++)
        n_rstp += json_object_get(v, stage_keys[k]) != NULL;
    if (has_preset + has_payoffs + (n_rstp > 0) != 1) {
        diag(c, PARLEY_EINPUT, jp,
             "give exactly one of 'preset', the four numbers R, S, T, P, or 'payoffs'");
        return;
    }
    if (has_preset) {
        sg->form = PSC_STAGE_PRESET;
        join(p, jp, "preset");
        json_t *pv = json_object_get(v, "preset");
        const char *s = json_string_value(pv);
        int hit = -1;
        for (int k = 0; s && presets[k]; k++)
            if (strcmp(presets[k], s) == 0)
                hit = k;
        if (hit < 0) {
            const char *near = s ? parley__closest_in_list(s, presets) : NULL;
            diag(c, PARLEY_EINPUT, p,
                 "must be one of 'pd', 'stag-hunt', 'chicken' (got %s%.40s%s)%s%s%s",
                 s ? "'" : jtype(pv), s ? s : "", s ? "'" : "", near ? "; did you mean '" : "",
                 near ? near : "", near ? "'?" : "");
            return;
        }
        parley_error e;
        parley_error_init(&e);
        if (parley_stage_game_parse(presets[hit], &sg->game, &e) != PARLEY_OK)
            diag(c, PARLEY_EINTERNAL, p, "the game engine rejects preset '%s'", presets[hit]);
        parley_error_clear(&e);
        sg->preset = dup_or_report(c, presets[hit], p);
        return;
    }
    if (n_rstp) {
        sg->form = PSC_STAGE_RSTP;
        double x[4] = {0, 0, 0, 0};
        bool ok = true;
        for (int k = 0; k < 4; k++) {
            json_t *e = json_object_get(v, stage_keys[1 + k]);
            join(p, jp, stage_keys[1 + k]);
            if (!e) {
                diag(c, PARLEY_EINPUT, jp, "missing required field '%s' (R, S, T and P go together)",
                     stage_keys[1 + k]);
                ok = false;
            } else if (!number(c, e, p, &x[k])) {
                ok = false;
            }
        }
        if (ok)
            parley_stage_game_symmetric(&sg->game, x[0], x[1], x[2], x[3]);
        return;
    }
    sg->form = PSC_STAGE_PAYOFFS;
    char q[P];
    join(q, jp, "payoffs");
    json_t *po = json_object_get(v, "payoffs");
    if (!json_is_object(po)) {
        diag(c, PARLEY_EINPUT, q, "must be an object {\"CC\": [row, column], \"CD\": ..., "
                                  "\"DC\": ..., \"DD\": ...} (got %s)",
             jtype(po));
        return;
    }
    check_keys(c, po, q, outcome_keys);
    for (int k = 0; k < 4; k++) {
        json_t *e = json_object_get(po, outcome_keys[k]);
        join(p, q, outcome_keys[k]);
        if (!e) {
            diag(c, PARLEY_EINPUT, q, "missing required field '%s' (every outcome needs its payoffs)",
                 outcome_keys[k]);
            continue;
        }
        if (!json_is_array(e) || json_array_size(e) != 2) {
            if (json_is_array(e))
                diag(c, PARLEY_EINPUT, p,
                     "must be [row payoff, column payoff], two numbers (got an array of %zu)",
                     json_array_size(e));
            else
                diag(c, PARLEY_EINPUT, p,
                     "must be [row payoff, column payoff], two numbers (got %s)", jtype(e));
            continue;
        }
        for (int w = 0; w < 2; w++) {
            char r[P];
            snprintf(r, sizeof r, "%s[%d]", p, w);
            double x;
            if (number(c, json_array_get(e, (size_t)w), r, &x))
                sg->game.payoff[w][k >> 1][k & 1] = x;
        }
    }
}

/* ---- strategies ------------------------------------------------------------ */

static const char *const strategy_keys[] = {
    "description", "source", "spec", "memory_one", "first", "states", "start", "transitions",
    "initial_state", "initial_action", NULL};
static const char *const state_keys[] = {"cooperate", "next", NULL};
static const char *const next2_keys[] = {"C", "D", NULL};
static const char *const form_keys[] = {"spec", "memory_one", "states", "transitions"};

/* Which optional keys go with which form (the form keys themselves excluded). */
static bool applies(const char *key, int form)
{
    if (strcmp(key, "first") == 0)
        return form == PSC_STRAT_MEMORY_ONE;
    if (strcmp(key, "start") == 0)
        return form == PSC_STRAT_STATES;
    if (strcmp(key, "initial_state") == 0 || strcmp(key, "initial_action") == 0)
        return form == PSC_STRAT_MACHINE;
    return true;
}

static int find_label(char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

static const char *label_get(const void *ctx, size_t i) { return ((char *const *)ctx)[i]; }

static void unknown_state(gctx *c, const char *p, const char *s, char *const *names, size_t n)
{
    const char *near = parley__closest(s, n, label_get, names);
    if (near)
        diag(c, PARLEY_EINPUT, p, "unknown state '%.64s' (did you mean '%s'?)", s, near);
    else
        diag(c, PARLEY_EINPUT, p, "unknown state '%.64s'", s);
}

static bool alloc_table(gctx *c, psc_strategy_def *d, size_t n, const char *p)
{
    d->n_states = (uint32_t)n;
    d->p_cooperate = PARLEY_NEW_ARRAY(double, n);
    d->next = parley__calloc(n, sizeof *d->next);
    if (!d->p_cooperate || !d->next) {
        nomem(c, p);
        return false;
    }
    return true;
}

static bool parse_memory_one(gctx *c, json_t *o, const char *jp, psc_strategy_def *d)
{
    char p[P], q[P];
    join(q, jp, "memory_one");
    json_t *m1 = json_object_get(o, "memory_one");
    if (!json_is_object(m1)) {
        diag(c, PARLEY_EINPUT, q,
             "must be an object {\"CC\": p, \"CD\": p, \"DC\": p, \"DD\": p} (got %s)",
             jtype(m1));
        return false;
    }
    bool ok = true;
    check_keys(c, m1, q, outcome_keys);
    for (int k = 0; k < 4; k++) {
        json_t *e = json_object_get(m1, outcome_keys[k]);
        join(p, q, outcome_keys[k]);
        if (!e) {
            diag(c, PARLEY_EINPUT, q,
                 "missing required field '%s' (the probability of C after own %c, observed %c)",
                 outcome_keys[k], outcome_keys[k][0], outcome_keys[k][1]);
            ok = false;
        } else if (!probability(c, e, p, &d->p[k])) {
            ok = false;
        }
    }
    d->first = 1;
    json_t *f = json_object_get(o, "first");
    join(p, jp, "first");
    if (json_is_string(f)) {
        int a;
        if (action(c, f, p, &a))
            d->first = a == PARLEY_C ? 1 : 0;
        else
            ok = false;
    } else if (f && !probability(c, f, p, &d->first)) {
        ok = false;
    }
    return ok;
}

static bool parse_states(gctx *c, json_t *o, const char *jp, psc_strategy_def *d)
{
    char q[P];
    join(q, jp, "states");
    json_t *st = json_object_get(o, "states");
    if (!json_is_object(st) || json_object_size(st) == 0) {
        diag(c, PARLEY_EINPUT, q, "must be a non-empty object of states (got %s)",
             json_is_object(st) ? "an empty object" : jtype(st));
        return false;
    }
    size_t n = json_object_size(st);
    if (n > PARLEY_SCENARIO_MAX_STATES) {
        diag(c, PARLEY_ELIMIT, q, "has %zu states; at most %d", n, PARLEY_SCENARIO_MAX_STATES);
        return false;
    }
    if (!alloc_table(c, d, n, q))
        return false;
    d->state_names = PARLEY_NEW_ARRAY(char *, n);
    d->four_way = PARLEY_NEW_ARRAY(bool, n);
    if (!d->state_names || !d->four_way) {
        nomem(c, q);
        return false;
    }
    bool ok = true;
    const char *key;
    json_t *v;
    size_t i = 0;
    /* Names first, so transitions may point forward. */
    json_object_foreach(st, key, v)
    {
        char p[P];
        join(p, q, key);
        if (!valid_name(key)) {
            diag(c, PARLEY_EINPUT, p,
                 "'%.80s' is not a valid state name (1 to %d characters from A-Z a-z 0-9 _ -)",
                 key, PARLEY_SCENARIO_MAX_ID);
            ok = false;
        }
        if (!(d->state_names[i++] = dup_or_report(c, key, p)))
            return false;
    }
    i = 0;
    json_object_foreach(st, key, v)
    {
        size_t s = i++;
        char p[P], r[P];
        join(p, q, key);
        if (!json_is_object(v)) {
            diag(c, PARLEY_EINPUT, p,
                 "must be an object {\"cooperate\": p, \"next\": {...}} (got %s)", jtype(v));
            ok = false;
            continue;
        }
        check_keys(c, v, p, state_keys);
        json_t *pc = json_object_get(v, "cooperate");
        join(r, p, "cooperate");
        if (!pc) {
            diag(c, PARLEY_EINPUT, p,
                 "missing required field 'cooperate' (the probability of playing C in this "
                 "state)");
            ok = false;
        } else if (!probability(c, pc, r, &d->p_cooperate[s])) {
            ok = false;
        }
        json_t *nx = json_object_get(v, "next");
        join(r, p, "next");
        if (!json_is_object(nx)) {
            if (!nx)
                diag(c, PARLEY_EINPUT, p, "missing required field 'next'");
            else
                diag(c, PARLEY_EINPUT, r, "must be an object (got %s)", jtype(nx));
            ok = false;
            continue;
        }
        /* {C, D}: on the observed action only; {CC, CD, DC, DD}: on (own,
         * observed), which memory-one rules such as WinStayLoseShift need. */
        bool two = json_object_get(nx, "C") || json_object_get(nx, "D");
        bool four = false;
        for (int k = 0; k < 4; k++)
            four |= json_object_get(nx, outcome_keys[k]) != NULL;
        if (two == four) {
            diag(c, PARLEY_EINPUT, r,
                 "give the next state by the observed action (\"C\", \"D\") or by own and "
                 "observed action (\"CC\", \"CD\", \"DC\", \"DD\"), not %s",
                 two ? "both" : "neither");
            ok = false;
            continue;
        }
        d->four_way[s] = four;
        check_keys(c, nx, r, four ? outcome_keys : next2_keys);
        for (int k = 0; k < (four ? 4 : 2); k++) {
            const char *kk = four ? outcome_keys[k] : next2_keys[k];
            json_t *t = json_object_get(nx, kk);
            char u[P];
            join(u, r, kk);
            if (!t) {
                diag(c, PARLEY_EINPUT, r, "missing required field '%s'", kk);
                ok = false;
                continue;
            }
            if (!json_is_string(t)) {
                diag(c, PARLEY_EINPUT, u, "must be a state name (got %s)", jtype(t));
                ok = false;
                continue;
            }
            int to = find_label(d->state_names, n, json_string_value(t));
            if (to < 0) {
                unknown_state(c, u, json_string_value(t), d->state_names, n);
                ok = false;
                continue;
            }
            if (four)
                d->next[s][k] = (uint32_t)to;
            else
                d->next[s][k] = d->next[s][2 + k] = (uint32_t)to;
        }
    }
    json_t *sv = json_object_get(o, "start");
    char p[P];
    join(p, jp, "start");
    if (sv) {
        if (!json_is_string(sv)) {
            diag(c, PARLEY_EINPUT, p, "must be a state name (got %s)", jtype(sv));
            ok = false;
        } else {
            int k = find_label(d->state_names, n, json_string_value(sv));
            if (k < 0) {
                unknown_state(c, p, json_string_value(sv), d->state_names, n);
                ok = false;
            } else {
                d->start = (uint32_t)k;
            }
        }
    }
    return ok;
}

/* A machine state's label: a string name or a non-negative integer (the
 * Axelrod library numbers its states), kept as text. */
static char *machine_label(gctx *c, json_t *v, const char *p, bool *numeric)
{
    char buf[32];
    if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 1000000000) {
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        *numeric = true;
        return dup_or_report(c, buf, p);
    }
    if (json_is_string(v) && valid_name(json_string_value(v))) {
        *numeric = false;
        return dup_or_report(c, json_string_value(v), p);
    }
    diag(c, PARLEY_EINPUT, p,
         "must be a state: a name (1 to %d characters from A-Z a-z 0-9 _ -) or an integer "
         "from 0 to 1000000000 (got %s)",
         PARLEY_SCENARIO_MAX_ID, jtype(v));
    return NULL;
}

static bool parse_machine(gctx *c, json_t *o, const char *jp, psc_strategy_def *d)
{
    char q[P];
    join(q, jp, "transitions");
    json_t *tr = json_object_get(o, "transitions");
    size_t n = json_is_array(tr) ? json_array_size(tr) : 0;
    if (n == 0) {
        diag(c, PARLEY_EINPUT, q,
             "must be a non-empty array of [state, observed action, next state, action] "
             "(got %s)",
             json_is_array(tr) ? "an empty array" : jtype(tr));
        return false;
    }
    if (n > 2 * (size_t)PARLEY_SCENARIO_MAX_STATES) {
        diag(c, PARLEY_ELIMIT, q, "has %zu transitions; at most %d", n,
             2 * PARLEY_SCENARIO_MAX_STATES);
        return false;
    }
    d->rules = PARLEY_NEW_ARRAY(psc_machine_rule, n);
    d->machine_states = PARLEY_NEW_ARRAY(char *, 2 * n + 1);
    if (!d->rules || !d->machine_states) {
        nomem(c, q);
        return false;
    }
    d->n_rules = n;
    bool ok = true, kind_known = false;
    for (size_t i = 0; i < n; i++) {
        char p[P];
        snprintf(p, sizeof p, "%s[%zu]", q, i);
        json_t *r = json_array_get(tr, i);
        psc_machine_rule *ru = &d->rules[i];
        ru->seen = ru->action = -1;
        if (!json_is_array(r) || json_array_size(r) != 4) {
            char got[40];
            if (json_is_array(r))
                snprintf(got, sizeof got, "an array of %zu", json_array_size(r));
            else
                snprintf(got, sizeof got, "%s", jtype(r));
            diag(c, PARLEY_EINPUT, p,
                 "must be [state, observed action, next state, action], e.g. [1, \"D\", 2, "
                 "\"D\"] (got %s)",
                 got);
            ok = false;
            continue;
        }
        char e[P];
        bool num[2] = {false, false};
        snprintf(e, sizeof e, "%s[0]", p);
        ru->state = machine_label(c, json_array_get(r, 0), e, &num[0]);
        snprintf(e, sizeof e, "%s[1]", p);
        ok &= action(c, json_array_get(r, 1), e, &ru->seen);
        snprintf(e, sizeof e, "%s[2]", p);
        ru->next = machine_label(c, json_array_get(r, 2), e, &num[1]);
        snprintf(e, sizeof e, "%s[3]", p);
        ok &= action(c, json_array_get(r, 3), e, &ru->action);
        if (!ru->state || !ru->next) {
            ok = false;
            continue;
        }
        for (int k = 0; k < 2; k++) {
            if (!kind_known) {
                d->numeric_labels = num[k];
                kind_known = true;
            } else if (num[k] != d->numeric_labels) {
                snprintf(e, sizeof e, "%s[%d]", p, 2 * k);
                diag(c, PARLEY_EINPUT, e,
                     "states are all integers or all names within one machine");
                ok = false;
            }
        }
        if (find_label(d->machine_states, d->n_machine_states, ru->state) < 0)
            d->machine_states[d->n_machine_states++] = ru->state;
        if (ru->seen < 0)
            continue;
        for (size_t j = 0; j < i; j++)
            if (d->rules[j].state && d->rules[j].seen == ru->seen &&
                strcmp(d->rules[j].state, ru->state) == 0) {
                diag(c, PARLEY_EINPUT, p,
                     "a second transition from state '%s' on observed %c (first at %s[%zu])",
                     ru->state, ru->seen == PARLEY_C ? 'C' : 'D', q, j);
                ok = false;
                break;
            }
    }
    /* Every state a rule leads to must have rules of its own: the machine
     * must say what to do after each observation in every state it reaches. */
    for (size_t i = 0; i < n; i++) {
        const psc_machine_rule *ru = &d->rules[i];
        if (!ru->next || find_label(d->machine_states, d->n_machine_states, ru->next) >= 0)
            continue;
        char p[P];
        snprintf(p, sizeof p, "%s[%zu][2]", q, i);
        const char *near = parley__closest(ru->next, d->n_machine_states, label_get,
                                           d->machine_states);
        diag(c, PARLEY_EINPUT, p,
             "unknown state '%s': no transition leaves it (a machine's states are those its "
             "transitions start from)%s%s%s",
             ru->next, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        ok = false;
    }
    if (!ok)
        return false;
    for (size_t s = 0; s < d->n_machine_states; s++)
        for (int a = 0; a < 2; a++) {
            bool has = false;
            for (size_t i = 0; i < n && !has; i++)
                has = d->rules[i].seen == a && strcmp(d->rules[i].state, d->machine_states[s]) == 0;
            if (!has) {
                diag(c, PARLEY_EINPUT, q,
                     "state '%s' has no transition on observed %c (each state needs one for C "
                     "and one for D)",
                     d->machine_states[s], a == PARLEY_C ? 'C' : 'D');
                ok = false;
            }
        }
    char p[P];
    bool num = false;
    join(p, jp, "initial_state");
    json_t *is = json_object_get(o, "initial_state");
    int start = -1;
    if (!is) {
        diag(c, PARLEY_EINPUT, jp, "missing required field 'initial_state'");
        ok = false;
    } else if ((d->initial_state = machine_label(c, is, p, &num)) != NULL) {
        start = find_label(d->machine_states, d->n_machine_states, d->initial_state);
        if (start < 0) {
            unknown_state(c, p, d->initial_state, d->machine_states, d->n_machine_states);
            ok = false;
        } else if (num != d->numeric_labels) {
            diag(c, PARLEY_EINPUT, p, "states are all integers or all names within one machine");
            ok = false;
        }
    } else {
        ok = false;
    }
    join(p, jp, "initial_action");
    json_t *ia = json_object_get(o, "initial_action");
    if (!ia) {
        diag(c, PARLEY_EINPUT, jp, "missing required field 'initial_action'");
        ok = false;
    } else if (!action(c, ia, p, &d->initial_action)) {
        ok = false;
    }
    if (!ok)
        return false;
    /* The engine's table is a Moore machine (the action belongs to the state);
     * the Axelrod form is a Mealy machine (the action belongs to the
     * transition). Table state 2k + a is "in machine state k, playing a". */
    size_t m = d->n_machine_states;
    if (!alloc_table(c, d, 2 * m, q))
        return false;
    for (size_t k = 0; k < m; k++)
        for (int a = 0; a < 2; a++) {
            size_t t = 2 * k + (size_t)a;
            d->p_cooperate[t] = a == PARLEY_C ? 1 : 0;
            for (size_t i = 0; i < n; i++) {
                const psc_machine_rule *ru = &d->rules[i];
                if (strcmp(ru->state, d->machine_states[k]) != 0)
                    continue;
                int to = find_label(d->machine_states, m, ru->next);
                uint32_t code = (uint32_t)(2 * to + ru->action);
                d->next[t][0 * 2 + ru->seen] = code; /* own C */
                d->next[t][1 * 2 + ru->seen] = code; /* own D */
            }
        }
    d->start = (uint32_t)(2 * start + d->initial_action);
    return true;
}

/* The built-in names are case-insensitive, so a definition may not shadow one
 * in any spelling (aliases included); two definitions may not differ by case. */
static bool check_name(gctx *c, const char *name, const char *jp, size_t index)
{
    if (!valid_name(name)) {
        diag(c, PARLEY_EINPUT, jp,
             "'%.80s' is not a valid strategy name (1 to %d characters from A-Z a-z 0-9 _ -)",
             name, PARLEY_SCENARIO_MAX_ID);
        return false;
    }
    const char *builtin = parley_strategy_builtin(name);
    if (builtin) {
        diag(c, PARLEY_EINPUT, jp,
             "'%s' is the name of a built-in strategy (%s); a scenario's strategies need names "
             "of their own",
             name, builtin);
        return false;
    }
    for (size_t j = 0; j < index; j++)
        if (c->g->strategies[j].name && strcasecmp(c->g->strategies[j].name, name) == 0) {
            diag(c, PARLEY_EINPUT, jp,
                 "'%s' differs from strategy '%s' only by case (strategy names are "
                 "case-insensitive)",
                 name, c->g->strategies[j].name);
            return false;
        }
    return true;
}

static void parse_strategy(gctx *c, json_t *o, size_t index, const char *name)
{
    psc_strategy_def *d = &c->g->strategies[index];
    char jp[P], p[P];
    snprintf(jp, sizeof jp, "games.strategies.%s", name);
    bool ok = check_name(c, name, jp, index);
    if (!(d->name = dup_or_report(c, name, jp)))
        return;
    if (!json_is_object(o)) {
        diag(c, PARLEY_EINPUT, jp, "must be an object (got %s)", jtype(o));
        return;
    }
    check_keys(c, o, jp, strategy_keys);
    json_t *desc = json_object_get(o, "description"), *src = json_object_get(o, "source");
    join(p, jp, "description");
    if (desc && !json_is_string(desc)) {
        diag(c, PARLEY_EINPUT, p, "must be a string (got %s)", jtype(desc));
        ok = false;
    }
    d->description = dup_or_report(c, json_is_string(desc) ? json_string_value(desc) : "", p);
    join(p, jp, "source");
    if (src && !json_is_string(src)) {
        diag(c, PARLEY_EINPUT, p, "must be a string (got %s)", jtype(src));
        ok = false;
    } else if (src) {
        d->source = dup_or_report(c, json_string_value(src), p);
    }
    int forms = 0;
    d->form = -1;
    for (int k = 0; k < 4; k++)
        if (json_object_get(o, form_keys[k])) {
            forms++;
            d->form = k;
        }
    if (forms != 1) {
        diag(c, PARLEY_EINPUT, jp,
             "define the strategy by exactly one of 'spec', 'memory_one', 'states' or "
             "'transitions' (got %d)",
             forms);
        d->form = -1;
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        bool known = false;
        for (size_t k = 0; strategy_keys[k] && !known; k++)
            known = strcmp(strategy_keys[k], key) == 0;
        if (known && !applies(key, d->form)) {
            join(p, jp, key);
            diag(c, PARLEY_EINPUT, p, "does not apply to a strategy defined by '%s'",
                 form_keys[d->form]);
            ok = false;
        }
    }
    switch (d->form) {
    case PSC_STRAT_SPEC: {
        join(p, jp, "spec");
        json_t *s = json_object_get(o, "spec");
        if (!json_is_string(s) || json_string_length(s) == 0) {
            diag(c, PARLEY_EINPUT, p, "must be a built-in strategy spec such as "
                                      "\"Hedger:0.6:2:1\" (got %s)",
                 json_is_string(s) ? "an empty string" : jtype(s));
            return;
        }
        d->spec = dup_or_report(c, json_string_value(s), p);
        break;
    }
    case PSC_STRAT_MEMORY_ONE: ok &= parse_memory_one(c, o, jp, d); break;
    case PSC_STRAT_STATES: ok &= parse_states(c, o, jp, d); break;
    default: ok &= parse_machine(c, o, jp, d); break;
    }
    if (!ok || !d->name || (d->form == PSC_STRAT_SPEC && !d->spec))
        return;
    /* The engine has the last word: what loads is what it plays. */
    parley_error e;
    parley_error_init(&e);
    parley_strategy *s = NULL;
    if (parley__scenario_strategy_def(d, &c->g->stage.game, &s, &e) == PARLEY_OK) {
        parley_strategy_free(s);
        d->valid = true;
    } else {
        if (d->form == PSC_STRAT_SPEC)
            join(p, jp, "spec");
        else
            snprintf(p, sizeof p, "%s", jp);
        for (size_t k = 0; k < e.count; k++)
            diag(c, e.status == PARLEY_ENOMEM ? PARLEY_ENOMEM : PARLEY_EINPUT, p, "%s",
                 e.items[k].what);
    }
    parley_error_clear(&e);
}

static const char *const games_keys[] = {"stage_game", "strategies", NULL};

void parley__games_default(psc_games *g)
{
    memset(g, 0, sizeof *g);
    parley_stage_game_symmetric(&g->stage.game, 3.0, 0.0, 5.0, 1.0);
}

void parley__games_from_json(json_t *v, const char *file, psc_games *g, parley_error *err)
{
    parley__games_default(g);
    if (!v)
        return;
    gctx ctx = {.err = err, .file = file, .g = g};
    gctx *c = &ctx;
    g->present = true;
    if (!json_is_object(v)) {
        diag(c, PARLEY_EINPUT, "games", "must be an object (got %s)", jtype(v));
        return;
    }
    check_keys(c, v, "games", games_keys);
    json_t *sg = json_object_get(v, "stage_game");
    if (sg)
        parse_stage(c, sg);
    json_t *ss = json_object_get(v, "strategies");
    if (!ss)
        return;
    if (!json_is_object(ss)) {
        diag(c, PARLEY_EINPUT, "games.strategies", "must be an object keyed by name (got %s)",
             jtype(ss));
        return;
    }
    size_t n = json_object_size(ss);
    if (n > PARLEY_SCENARIO_MAX_ITEMS) {
        diag(c, PARLEY_ELIMIT, "games.strategies", "has %zu strategies; at most %d", n,
             PARLEY_SCENARIO_MAX_ITEMS);
        return;
    }
    if (n && !(g->strategies = PARLEY_NEW_ARRAY(psc_strategy_def, n))) {
        nomem(c, "games.strategies");
        return;
    }
    g->n_strategies = n;
    const char *key;
    json_t *o;
    size_t i = 0;
    json_object_foreach(ss, key, o)
    {
        g->strategies[i].form = -1;
        parse_strategy(c, o, i, key);
        i++;
    }
}

static void def_free(psc_strategy_def *d)
{
    parley__free(d->name);
    parley__free(d->description);
    parley__free(d->source);
    parley__free(d->spec);
    parley__free(d->p_cooperate);
    parley__free(d->next);
    if (d->state_names)
        for (uint32_t i = 0; i < d->n_states; i++)
            parley__free(d->state_names[i]);
    parley__free(d->state_names);
    parley__free(d->four_way);
    for (size_t i = 0; i < d->n_rules; i++) {
        parley__free(d->rules[i].state);
        parley__free(d->rules[i].next);
    }
    parley__free(d->rules);
    parley__free(d->machine_states); /* aliases the rules' labels */
    parley__free(d->initial_state);
}

void parley__games_free(psc_games *g)
{
    if (!g)
        return;
    parley__free(g->stage.preset);
    parley__free(g->stage.source);
    for (size_t i = 0; i < g->n_strategies; i++)
        def_free(&g->strategies[i]);
    parley__free(g->strategies);
    parley__games_default(g);
}

/* ---- compiling and resolving ------------------------------------------------ */

parley_status parley__scenario_strategy_def(const psc_strategy_def *d,
                                            const parley_stage_game *game,
                                            parley_strategy **out, parley_error *err)
{
    *out = NULL;
    parley_status st;
    switch (d->form) {
    case PSC_STRAT_SPEC:
        st = parley_strategy_parse(d->spec, game, out, err);
        /* Named as the scenario names it, so standings and logs say "Cautious"
         * rather than the spec behind it. */
        if (st == PARLEY_OK && (st = parley_strategy_rename(*out, d->name, err)) != PARLEY_OK) {
            parley_strategy_free(*out);
            *out = NULL;
        }
        return st;
    case PSC_STRAT_MEMORY_ONE: return parley_strategy_memory_one(d->name, d->p, d->first, out, err);
    case PSC_STRAT_STATES:
    case PSC_STRAT_MACHINE: {
        parley_strategy_table t = {d->name, d->n_states, d->start, d->p_cooperate,
                                   (const uint32_t(*)[4])d->next};
        return parley_strategy_from_table(&t, d->name, out, err);
    }
    default: return parley_error_add(err, PARLEY_EINTERNAL, d->name, "strategy without a form");
    }
}

int parley__scenario_strategy_find(const psc_model *m, const char *name)
{
    for (size_t i = 0; i < m->games.n_strategies; i++)
        if (m->games.strategies[i].name && strcasecmp(m->games.strategies[i].name, name) == 0)
            return (int)i;
    return -1;
}

static const char *def_name_get(const void *ctx, size_t i)
{
    return ((const psc_strategy_def *)ctx)[i].name;
}

parley_status parley__scenario_strategy(const psc_model *m, const char *spec,
                                        const parley_stage_game *game, parley_strategy **out,
                                        parley_error *err)
{
    *out = NULL;
    if (!game)
        game = psc_stage_game(m);
    int k = spec ? parley__scenario_strategy_find(m, spec) : -1;
    if (k >= 0 && !m->games.strategies[k].valid)
        return parley_error_add(err, PARLEY_EINPUT, spec,
                                "the definition games.strategies.%s has problems (reported "
                                "there)",
                                m->games.strategies[k].name);
    if (k >= 0)
        return parley__scenario_strategy_def(&m->games.strategies[k], game, out, err);
    parley_error local;
    parley_error_init(&local);
    parley_status st = parley_strategy_parse(spec, game, out, &local);
    /* An unknown name may be a typo of one of the scenario's own. */
    if (st == PARLEY_EINPUT && m->games.n_strategies && spec && !strchr(spec, ':') &&
        local.count && strstr(local.items[0].what, "unknown strategy")) {
        char names[400];
        size_t used = 0;
        for (size_t i = 0; i < m->games.n_strategies; i++) {
            int w = snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                             m->games.strategies[i].name ? m->games.strategies[i].name : "?");
            if (w < 0 || (size_t)w >= sizeof names - used) {
                snprintf(names + (used < sizeof names - 5 ? used : sizeof names - 5), 5, ", ...");
                break;
            }
            used += (size_t)w;
        }
        const char *near = parley__closest(spec, m->games.n_strategies, def_name_get,
                                           m->games.strategies);
        char what[PARLEY_WHAT_MAX];
        snprintf(what, sizeof what, "%.440s; the scenario defines: %s%s%s%s", local.items[0].what,
                 names, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
        snprintf(local.items[0].what, sizeof local.items[0].what, "%s", what);
    }
    parley_error_append(err, &local);
    return st;
}

/* ---- public accessors ---------------------------------------------------------- */

void parley_scenario_stage_game(const parley_scenario *sc, parley_stage_game *out)
{
    *out = *psc_stage_game(parley__scenario_model(sc));
}

size_t parley_scenario_strategy_count(const parley_scenario *sc)
{
    return parley__scenario_model(sc)->games.n_strategies;
}

const char *parley_scenario_strategy_name(const parley_scenario *sc, size_t i)
{
    const psc_model *m = parley__scenario_model(sc);
    return i < m->games.n_strategies ? m->games.strategies[i].name : NULL;
}

const char *parley_scenario_actor_strategy(const parley_scenario *sc, size_t i)
{
    const psc_model *m = parley__scenario_model(sc);
    return i < m->n_actors ? m->actors[i].compliance_strategy : NULL;
}

parley_status parley_scenario_strategy(const parley_scenario *sc, const char *spec,
                                       const parley_stage_game *game, parley_strategy **out,
                                       parley_error *err)
{
    return parley__scenario_strategy(parley__scenario_model(sc), spec, game, out, err);
}

/* ---- the dump ------------------------------------------------------------------ */

typedef struct gdump {
    bool fail;
} gdump;

static void put(gdump *d, json_t *obj, const char *key, json_t *v)
{
    if (!v || json_object_set_new(obj, key, v) != 0)
        d->fail = true;
}

static void push(gdump *d, json_t *arr, json_t *v)
{
    if (!v || json_array_append_new(arr, v) != 0)
        d->fail = true;
}

static json_t *label(gdump *d, const char *s, bool numeric)
{
    (void)d;
    return numeric ? json_integer(strtoll(s, NULL, 10)) : json_string(s);
}

static json_t *act(int a) { return json_string(a == PARLEY_C ? "C" : "D"); }

static json_t *dump_stage(gdump *d, const psc_stage *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (s->form == PSC_STAGE_PRESET) {
        put(d, o, "preset", json_string(s->preset));
    } else if (s->form == PSC_STAGE_PAYOFFS) {
        json_t *po = json_object();
        for (int k = 0; k < 4; k++) {
            json_t *pair = json_array();
            if (pair) {
                push(d, pair, json_real(s->game.payoff[0][k >> 1][k & 1]));
                push(d, pair, json_real(s->game.payoff[1][k >> 1][k & 1]));
            }
            if (po)
                put(d, po, outcome_keys[k], pair);
            else
                json_decref(pair);
        }
        put(d, o, "payoffs", po);
    } else {
        /* R, S, T, P as the row player's CC, CD, DC, DD (also the default) */
        static const char *const names[] = {"R", "S", "T", "P"};
        for (int k = 0; k < 4; k++)
            put(d, o, names[k], json_real(s->game.payoff[0][k >> 1][k & 1]));
    }
    if (s->source)
        put(d, o, "source", json_string(s->source));
    return o;
}

static json_t *dump_strategy(gdump *d, const psc_strategy_def *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    put(d, o, "description", json_string(s->description ? s->description : ""));
    if (s->source)
        put(d, o, "source", json_string(s->source));
    switch (s->form) {
    case PSC_STRAT_SPEC: put(d, o, "spec", json_string(s->spec)); break;
    case PSC_STRAT_MEMORY_ONE: {
        json_t *m1 = json_object();
        for (int k = 0; k < 4 && m1; k++)
            put(d, m1, outcome_keys[k], json_real(s->p[k]));
        put(d, o, "memory_one", m1);
        put(d, o, "first", json_real(s->first));
        break;
    }
    case PSC_STRAT_STATES: {
        json_t *st = json_object();
        for (uint32_t i = 0; i < s->n_states && st; i++) {
            json_t *so = json_object(), *nx = json_object();
            if (!so || !nx) {
                json_decref(so);
                json_decref(nx);
                d->fail = true;
                break;
            }
            put(d, so, "cooperate", json_real(s->p_cooperate[i]));
            if (s->four_way[i])
                for (int k = 0; k < 4; k++)
                    put(d, nx, outcome_keys[k], json_string(s->state_names[s->next[i][k]]));
            else
                for (int k = 0; k < 2; k++)
                    put(d, nx, next2_keys[k], json_string(s->state_names[s->next[i][k]]));
            put(d, so, "next", nx);
            put(d, st, s->state_names[i], so);
        }
        put(d, o, "states", st);
        put(d, o, "start", json_string(s->state_names[s->start]));
        break;
    }
    default: {
        json_t *tr = json_array();
        for (size_t i = 0; i < s->n_rules && tr; i++) {
            const psc_machine_rule *r = &s->rules[i];
            json_t *row = json_array();
            if (row) {
                push(d, row, label(d, r->state, s->numeric_labels));
                push(d, row, act(r->seen));
                push(d, row, label(d, r->next, s->numeric_labels));
                push(d, row, act(r->action));
            }
            push(d, tr, row);
        }
        put(d, o, "transitions", tr);
        put(d, o, "initial_state", label(d, s->initial_state, s->numeric_labels));
        put(d, o, "initial_action", act(s->initial_action));
        break;
    }
    }
    return o;
}

json_t *parley__games_to_json(const psc_games *g)
{
    gdump d = {false};
    json_t *o = json_object();
    if (!o)
        return NULL;
    put(&d, o, "stage_game", dump_stage(&d, &g->stage));
    json_t *ss = json_object();
    for (size_t i = 0; i < g->n_strategies && ss; i++)
        put(&d, ss, g->strategies[i].name, dump_strategy(&d, &g->strategies[i]));
    put(&d, o, "strategies", ss);
    if (d.fail) {
        json_decref(o);
        return NULL;
    }
    return o;
}
