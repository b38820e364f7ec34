/* Strategies as data. Every strategy is either a table (states, each with a
 * cooperation probability and four transitions on (own action, observed
 * action)) or a counting rule on the observed cooperations and defections
 * (GoByMajority, Hedger). The built-ins below are such tables, so a scenario
 * can define its own with parley_strategy_from_table and the engine never
 * dispatches on a strategy's name. */
#include "game_internal.h"

#include "core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

uint64_t parley__threshold(double p)
{
    if (!(p > 0.0))
        return 0;
    if (p >= 1.0)
        return (uint64_t)1 << 32;
    return (uint64_t)llround(p * 4294967296.0);
}

static parley_strategy *strategy_new(const char *name, int kind, uint32_t nstates)
{
    parley_strategy *s = parley__calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (nstates) {
        s->states = PARLEY_NEW_ARRAY(parley__state, nstates);
        s->code = PARLEY_NEW_ARRAY(uint32_t, (size_t)nstates * 4);
        if (!s->states || !s->code) {
            parley__free(s->states);
            parley__free(s->code);
            parley__free(s);
            return NULL;
        }
    }
    snprintf(s->name, sizeof s->name, "%s", name);
    s->kind = kind;
    s->nstates = nstates;
    return s;
}

static void set_state(parley__state *st, double p, const uint32_t next[4])
{
    st->p = p;
    st->threshold = parley__threshold(p);
    st->fixed = st->threshold == 0 ? PARLEY_D : st->threshold == ((uint64_t)1 << 32) ? PARLEY_C : 2;
    memcpy(st->next, next, sizeof st->next);
}

static void finish(parley_strategy *s)
{
    for (uint32_t i = 0; i < s->nstates; i++)
        for (int k = 0; k < 4; k++) {
            uint32_t to = s->states[i].next[k];
            s->code[i * 4 + (uint32_t)k] = to << 2 | s->states[to].fixed;
        }
    s->start_code = s->start << 2 | s->states[s->start].fixed;
    s->deterministic = true;
    for (uint32_t i = 0; i < s->nstates; i++)
        if (s->states[i].fixed == 2)
            s->deterministic = false;
}

void parley_strategy_free(parley_strategy *s)
{
    if (!s)
        return;
    parley__free(s->states);
    parley__free(s->code);
    parley__free(s);
}

const char *parley_strategy_name(const parley_strategy *s) { return s->name; }
bool parley_strategy_is_deterministic(const parley_strategy *s) { return s->deterministic; }
bool parley_strategy_is_finite(const parley_strategy *s) { return s->kind == PARLEY__KIND_TABLE; }

bool parley_strategy_as_memory_one(const parley_strategy *s, double p[4], double *p_first)
{
    if (!s->memory_one)
        return false;
    for (int k = 0; k < 4; k++)
        p[k] = s->states[1 + k].p;
    *p_first = s->states[0].p;
    return true;
}

parley_status parley_strategy_from_table(const parley_strategy_table *t, const char *where,
                                         parley_strategy **out, parley_error *err)
{
    *out = NULL;
    const char *w = where ? where : "strategy table";
    parley_status st = PARLEY_OK;
    if (!t->name || !t->name[0] || strlen(t->name) >= sizeof ((parley_strategy *)0)->name)
        st = parley_error_add(err, PARLEY_EINPUT, w, "a strategy needs a name of 1 to 127 bytes");
    if (t->nstates < 1 || t->nstates > PARLEY_STRATEGY_MAX_STATES)
        return parley_error_add(err, PARLEY_EINPUT, w, "a table has 1 to %u states, not %u",
                                PARLEY_STRATEGY_MAX_STATES, t->nstates);
    if (!t->p_cooperate || !t->next)
        return parley_error_add(err, PARLEY_EINPUT, w, "a table needs probabilities and transitions");
    if (t->start >= t->nstates)
        st = parley_error_add(err, PARLEY_EINPUT, w, "start state %u is not below %u states",
                              t->start, t->nstates);
    for (uint32_t i = 0; i < t->nstates; i++) {
        double p = t->p_cooperate[i];
        if (!(p >= 0.0 && p <= 1.0))
            st = parley_error_add(err, PARLEY_EINPUT, w,
                                  "state %u: cooperation probability %g is outside [0, 1]", i, p);
        for (int k = 0; k < 4; k++)
            if (t->next[i][k] >= t->nstates)
                st = parley_error_add(err, PARLEY_EINPUT, w,
                                      "state %u: transition %d goes to state %u of %u", i, k,
                                      t->next[i][k], t->nstates);
    }
    if (st != PARLEY_OK)
        return st;
    parley_strategy *s = strategy_new(t->name, PARLEY__KIND_TABLE, t->nstates);
    if (!s)
        return parley_error_add(err, PARLEY_ENOMEM, w, "no memory for the strategy table");
    s->start = t->start;
    for (uint32_t i = 0; i < t->nstates; i++)
        set_state(&s->states[i], t->p_cooperate[i], t->next[i]);
    finish(s);
    *out = s;
    return PARLEY_OK;
}

parley_status parley_strategy_memory_one(const char *name, const double p[4], double p_first,
                                         parley_strategy **out, parley_error *err)
{
    /* State 0 is the first move; state 1 + outcome is "after outcome", so the
     * transitions do not depend on the state. */
    double probs[5] = {p_first, p[0], p[1], p[2], p[3]};
    uint32_t next[5][4];
    for (int i = 0; i < 5; i++)
        for (int k = 0; k < 4; k++)
            next[i][k] = 1 + (uint32_t)k;
    parley_strategy_table t = {name, 5, 0, probs, (const uint32_t(*)[4])next};
    parley_status st = parley_strategy_from_table(&t, name, out, err);
    if (st == PARLEY_OK)
        (*out)->memory_one = true;
    return st;
}

static parley_status counting(const char *name, double prior_c, double prior_d, double threshold,
                              parley_strategy **out, parley_error *err)
{
    parley_strategy *s = strategy_new(name, PARLEY__KIND_COUNT, 0);
    if (!s)
        return parley_error_add(err, PARLEY_ENOMEM, name, "no memory for the strategy");
    s->prior_c = prior_c;
    s->prior_d = prior_d;
    s->count_threshold = threshold;
    s->deterministic = true;
    *out = s;
    return PARLEY_OK;
}

/* ------------------------------------------------------------ the built-ins */

typedef struct spec_args {
    const char *spec;
    const parley_stage_game *game;
    int n;
    double v[6];
    bool first_given;  /* MemoryOne's 5th parameter */
} spec_args;

typedef parley_status (*builder)(const spec_args *a, parley_strategy **out, parley_error *err);

static parley_status mem1(const char *name, double a, double b, double c, double d, double first,
                          parley_strategy **out, parley_error *err)
{
    double p[4] = {a, b, c, d};
    return parley_strategy_memory_one(name, p, first, out, err);
}

static parley_status b_cooperator(const spec_args *a, parley_strategy **o, parley_error *e)
{
    (void)a;
    return mem1("Cooperator", 1, 1, 1, 1, 1, o, e);
}
static parley_status b_defector(const spec_args *a, parley_strategy **o, parley_error *e)
{
    (void)a;
    return mem1("Defector", 0, 0, 0, 0, 0, o, e);
}
static parley_status b_tft(const spec_args *a, parley_strategy **o, parley_error *e)
{
    (void)a;
    return mem1("TitForTat", 1, 0, 1, 0, 1, o, e);
}
static parley_status b_stft(const spec_args *a, parley_strategy **o, parley_error *e)
{
    (void)a;
    return mem1("SuspiciousTitForTat", 1, 0, 1, 0, 0, o, e);
}
static parley_status b_wsls(const spec_args *a, parley_strategy **o, parley_error *e)
{
    (void)a;
    return mem1("WinStayLoseShift", 1, 0, 0, 1, 1, o, e);
}
static parley_status b_alternator(const spec_args *a, parley_strategy **o, parley_error *e)
{
    (void)a;
    /* Plays the opposite of its own last (actual) action. */
    return mem1("Alternator", 0, 0, 1, 1, 1, o, e);
}

static parley_status need_pd(const spec_args *a, double rstp[4], const char *what,
                             parley_error *err)
{
    if (!a->game || !parley_stage_game_is_pd(a->game, rstp)) {
        parley_error_add(err, PARLEY_EINPUT, a->spec,
                         "%s needs a prisoner's dilemma (symmetric, T > R > P > S and "
                         "2R > T + S); this game is not one",
                         what);
        /* The literal status, not parley_error_add's echo of it: the analyser
         * cannot see into error.c, so it would otherwise follow a "success"
         * path on which rstp was never written. */
        return PARLEY_EINPUT;
    }
    return PARLEY_OK;
}

static parley_status b_gtft(const spec_args *a, parley_strategy **o, parley_error *e)
{
    double p;
    if (a->n == 1) {
        p = a->v[0];
    } else {
        /* The Axelrod library's default (Nowak & Sigmund 1992):
         * min(1 - (T - R)/(R - S), (R - P)/(T - P)), 1/3 for 3,0,5,1. */
        double g[4];
        parley_status st = need_pd(a, g, "GTFT without a parameter", e);
        if (st != PARLEY_OK)
            return st;
        double R = g[0], S = g[1], T = g[2], P = g[3];
        p = fmin(1.0 - (T - R) / (R - S), (R - P) / (T - P));
        if (p < 0)
            p = 0;
    }
    char name[64];
    snprintf(name, sizeof name, "GTFT:%.10g", p);
    return mem1(name, 1, p, 1, p, 1, o, e);
}

static parley_status b_random(const spec_args *a, parley_strategy **o, parley_error *e)
{
    double p = a->n == 1 ? a->v[0] : 0.5;
    char name[64];
    snprintf(name, sizeof name, "Random:%.10g", p);
    return mem1(name, p, p, p, p, p, o, e);
}

static parley_status b_memory_one(const spec_args *a, parley_strategy **o, parley_error *e)
{
    double first = a->n == 5 ? a->v[4] : 1.0;
    char name[128];
    snprintf(name, sizeof name, "MemoryOne:%.10g:%.10g:%.10g:%.10g:%.10g", a->v[0], a->v[1],
             a->v[2], a->v[3], first);
    return mem1(name, a->v[0], a->v[1], a->v[2], a->v[3], first, o, e);
}

static parley_status b_zd(const spec_args *a, parley_strategy **o, parley_error *e)
{
    double g[4];
    parley_status st = need_pd(a, g, "ZD", e);
    if (st != PARLEY_OK)
        return st;
    double R = g[0], S = g[1], T = g[2], P = g[3], chi = a->v[0];
    if (!(chi >= 1.0))
        return parley_error_add(e, PARLEY_EINPUT, a->spec,
                                "ZD's extortion factor chi must be at least 1, not %g", chi);
    /* Press & Dyson (2012): p - (1,1,0,0) = phi [(S_X - P) - chi (S_Y - P)]. */
    double bound1 = (chi - 1) * (R - P), bound2 = (P - S) + chi * (T - P),
           bound3 = (T - P) + chi * (P - S);
    double phi_max = 1.0 / fmax(bound1, fmax(bound2, bound3));
    double phi = phi_max / 2; /* Press & Dyson's and the Axelrod library's choice */
    if (a->n == 2) {
        phi = a->v[1];
        if (!(phi > 0 && phi <= phi_max * (1 + 1e-12)))
            return parley_error_add(e, PARLEY_EINPUT, a->spec,
                                    "ZD's phi must be in (0, %.10g] for chi = %g, not %g",
                                    phi_max, chi, phi);
    }
    double p1 = 1 - phi * bound1, p2 = 1 - phi * bound2, p3 = phi * bound3;
    p1 = fmin(1, fmax(0, p1));
    p2 = fmin(1, fmax(0, p2));
    p3 = fmin(1, fmax(0, p3));
    char name[64];
    if (a->n == 2)
        snprintf(name, sizeof name, "ZD:%.10g:%.10g", chi, phi);
    else
        snprintf(name, sizeof name, "ZD:%.10g", chi);
    return mem1(name, p1, p2, p3, 0, 1, o, e);
}

static parley_status b_tf2t(const spec_args *a, parley_strategy **o, parley_error *e)
{
    (void)a;
    /* state = observed consecutive defections, capped at 2; defects in state 2 */
    static const double p[3] = {1, 1, 0};
    static const uint32_t next[3][4] = {{0, 1, 0, 1}, {0, 2, 0, 2}, {0, 2, 0, 2}};
    parley_strategy_table t = {"TitFor2Tats", 3, 0, p, next};
    return parley_strategy_from_table(&t, NULL, o, e);
}

static parley_status b_grudger(const spec_args *a, parley_strategy **o, parley_error *e)
{
    (void)a;
    static const double p[2] = {1, 0};
    static const uint32_t next[2][4] = {{0, 1, 0, 1}, {1, 1, 1, 1}};
    parley_strategy_table t = {"Grudger", 2, 0, p, next};
    return parley_strategy_from_table(&t, NULL, o, e);
}

static parley_status b_majority(const spec_args *a, parley_strategy **o, parley_error *e)
{
    (void)a;
    return counting("GoByMajority", 0, 0, 0.5, o, e);
}

static parley_status b_hedger(const spec_args *a, parley_strategy **o, parley_error *e)
{
    double thr = a->n >= 1 ? a->v[0] : 0.5;
    double pc = a->n >= 3 ? a->v[1] : 1, pd = a->n >= 3 ? a->v[2] : 1;
    if (!(pc >= 0 && pd >= 0))
        return parley_error_add(e, PARLEY_EINPUT, a->spec,
                                "Hedger's Beta prior needs alpha, beta >= 0, not %g, %g", pc, pd);
    char name[96];
    snprintf(name, sizeof name, "Hedger:%.10g:%.10g:%.10g", thr, pc, pd);
    return counting(name, pc, pd, thr, o, e);
}

/* prob_mask: bit i set when parameter i is a probability. */
static const struct builtin {
    const char *name;
    const char *aliases[3];
    int min_params, max_params;
    unsigned prob_mask;
    builder build;
    const char *help;
} builtins[] = {
    {"Cooperator", {"ALLC", "AllC", NULL}, 0, 0, 0, b_cooperator, "always cooperates"},
    {"Defector", {"ALLD", "AllD", NULL}, 0, 0, 0, b_defector, "always defects"},
    {"TitForTat", {"TFT", NULL, NULL}, 0, 0, 0, b_tft, "cooperates, then copies the other"},
    {"TitFor2Tats", {"TF2T", NULL, NULL}, 0, 0, 0, b_tf2t,
     "defects after two consecutive defections"},
    {"SuspiciousTitForTat", {"STFT", NULL, NULL}, 0, 0, 0, b_stft, "TitForTat opening with D"},
    {"GTFT", {"GenerousTitForTat", NULL, NULL}, 0, 1, 1, b_gtft,
     "GTFT[:p] forgives a defection with probability p (default from the game)"},
    {"WinStayLoseShift", {"WSLS", "Pavlov", NULL}, 0, 0, 0, b_wsls,
     "repeats after R or T, switches after S or P"},
    {"Grudger", {"Grim", "GrimTrigger", NULL}, 0, 0, 0, b_grudger,
     "defects forever after the first defection seen"},
    {"Alternator", {NULL, NULL, NULL}, 0, 0, 0, b_alternator, "C, then the opposite of its last"},
    {"GoByMajority", {NULL, NULL, NULL}, 0, 0, 0, b_majority,
     "defects when it has seen more D than C (soft: C on ties)"},
    {"Random", {NULL, NULL, NULL}, 0, 1, 1, b_random, "Random[:p] cooperates with probability p"},
    {"MemoryOne", {NULL, NULL, NULL}, 4, 5, 0x1f, b_memory_one,
     "MemoryOne:pCC:pCD:pDC:pDD[:first]"},
    {"ZD", {"ZDExtortion", NULL, NULL}, 1, 2, 0, b_zd,
     "ZD:chi[:phi] extortionate zero-determinant strategy"},
    {"Hedger", {NULL, NULL, NULL}, 0, 3, 1, b_hedger,
     "Hedger[:threshold[:alpha:beta]] cooperates while its Beta belief's mean >= threshold"},
};

size_t parley_strategy_list(char *buf, size_t size)
{
    size_t used = 0;
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        int n = snprintf(used < size ? buf + used : NULL, used < size ? size - used : 0,
                         "%-20s %s\n", builtins[i].name, builtins[i].help);
        if (n > 0)
            used += (size_t)n;
    }
    return used;
}

parley_status parley_strategy_parse(const char *spec, const parley_stage_game *game,
                                    parley_strategy **out, parley_error *err)
{
    *out = NULL;
    if (!spec || !spec[0])
        return parley_error_add(err, PARLEY_EINPUT, "strategy", "empty strategy name");
    char where[160];
    snprintf(where, sizeof where, "strategy '%.120s'", spec);
    const char *colon = strchr(spec, ':');
    size_t name_len = colon ? (size_t)(colon - spec) : strlen(spec);
    const struct builtin *b = NULL;
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0] && !b; i++) {
        const char *names[4] = {builtins[i].name, builtins[i].aliases[0], builtins[i].aliases[1],
                                builtins[i].aliases[2]};
        for (int k = 0; k < 4; k++)
            if (names[k] && strlen(names[k]) == name_len &&
                strncasecmp(names[k], spec, name_len) == 0) {
                b = &builtins[i];
                break;
            }
    }
    if (!b) {
        char names[512];
        size_t used = 0;
        for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
            int n = snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                             builtins[i].name);
            if (n > 0 && (size_t)n < sizeof names - used)
                used += (size_t)n;
        }
        return parley_error_add(err, PARLEY_EINPUT, where, "unknown strategy; known: %s", names);
    }
    spec_args a = {.spec = where, .game = game};
    parley_status st = PARLEY_OK;
    if (colon) {
        const char *p = colon + 1;
        for (;;) {
            const char *next = strchr(p, ':');
            size_t len = next ? (size_t)(next - p) : strlen(p);
            if (a.n >= b->max_params)
                return parley_error_add(err, PARLEY_EINPUT, where,
                                        "%s takes at most %d parameter(s)", b->name,
                                        b->max_params);
            double v;
            if (b->build == b_memory_one && a.n == 4 && len == 1 && (*p == 'C' || *p == 'c'))
                v = 1;
            else if (b->build == b_memory_one && a.n == 4 && len == 1 && (*p == 'D' || *p == 'd'))
                v = 0;
            else if (!parley__parse_double(p, len, &v)) {
                st = parley_error_add(err, PARLEY_EINPUT, where, "parameter %d '%.*s' is not a number",
                                      a.n + 1, (int)(len > 40 ? 40 : len), p);
                v = 0;
            }
            if (((b->prob_mask >> a.n) & 1u) && !(v >= 0.0 && v <= 1.0))
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      "parameter %d is a probability and must be in [0, 1], not %g",
                                      a.n + 1, v);
            a.v[a.n++] = v;
            if (!next)
                break;
            p = next + 1;
        }
    }
    if (st != PARLEY_OK)
        return st;
    if (a.n < b->min_params)
        return parley_error_add(err, PARLEY_EINPUT, where, "%s needs %d parameter(s): %s", b->name,
                                b->min_params, b->help);
    if (b->build == b_hedger && a.n == 2)
        return parley_error_add(err, PARLEY_EINPUT, where,
                                "Hedger takes threshold, or threshold:alpha:beta");
    return b->build(&a, out, err);
}

const char *parley_strategy_builtin(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        if (strcasecmp(builtins[i].name, name) == 0)
            return builtins[i].name;
        for (int k = 0; k < 3; k++)
            if (builtins[i].aliases[k] && strcasecmp(builtins[i].aliases[k], name) == 0)
                return builtins[i].name;
    }
    return NULL;
}

parley_status parley_strategy_rename(parley_strategy *s, const char *name, parley_error *err)
{
    if (!name || !name[0] || strlen(name) >= sizeof s->name)
        return parley_error_add(err, PARLEY_EINPUT, "strategy",
                                "a strategy needs a name of 1 to %zu bytes", sizeof s->name - 1);
    snprintf(s->name, sizeof s->name, "%s", name);
    return PARLEY_OK;
}
