/* From a JSON tree to the model, checking every rule of docs/FORMAT.md and
 * reporting every problem (not just the first) located by JSON path. Loading
 * runs in two passes: the ids of every id-keyed array first (so references may
 * point forward), then all fields; rules that need the whole model (faction
 * parents, event cycles, effect paths) run last. */
#include "internal.h"

#include "core/alloc.h"
#include "parley/game.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P PARLEY_WHERE_MAX

typedef struct ident {
    const char *id;
    int index;
} ident;

/* The ids of one array, sorted for lookup. */
typedef struct idtab {
    const char *what;   /* "actor" */
    const char *array;  /* "actors" */
    const char **names; /* by index (NULL where invalid) */
    size_t n;
    ident *sorted;
    size_t n_sorted;
} idtab;

typedef struct lctx {
    parley_error *err;
    const char *file;
    psc_model *m;
    size_t annot_cap;
    idtab actors, issues, forums, agreements, events;
    int *mark; /* scratch for duplicate checks: stamp per index */
    int *mark_pos;
    size_t mark_n;
    int stamp;
} lctx;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 4, 5)))
#endif
static void diag(lctx *c, parley_status st, const char *jpath, const char *fmt, ...)
{
    if (c->err->count >= PARLEY_DIAGNOSTICS_MAX) {
        parley_error_add(c->err, st, NULL, "%s", "");
        return;
    }
    char where[P], what[PARLEY_WHAT_MAX];
    if (jpath && jpath[0])
        snprintf(where, sizeof where, "%s: %s", c->file, jpath);
    else
        snprintf(where, sizeof where, "%s", c->file);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    parley_error_add(c->err, st, where, "%s", what);
}

static void nomem(lctx *c, const char *jpath) { diag(c, PARLEY_ENOMEM, jpath, "out of memory"); }

static bool full(const lctx *c) { return c->err->count >= PARLEY_DIAGNOSTICS_MAX; }

static char *xstrdup(lctx *c, const char *s, const char *jpath)
{
    char *d = parley__strdup(s);
    if (!d)
        nomem(c, jpath);
    return d;
}

static void join(char *out, const char *base, const char *key);

/* A compliance strategy must be one the game engine can play: a strategy
 * the scenario defines in games.strategies, a built-in name, or a spec that
 * defines one inline (MemoryOne:pCC:pCD:pDC:pDD:first, GTFT:p, ZD:chi,
 * Hedger:threshold...), checked against the scenario's stage game (the
 * prisoner's dilemma 3, 0, 5, 1 by default) as the simulator will use it. */
static void check_strategy(lctx *c, const char *p, const char *spec)
{
    if (!spec || !spec[0])
        return; /* read_str has reported it */
    int k = parley__scenario_strategy_find(c->m, spec);
    if (k >= 0 && !c->m->games.strategies[k].valid)
        return; /* the definition's problems are reported at games.strategies */
    parley_error e;
    parley_error_init(&e);
    parley_strategy *s = NULL;
    if (parley__scenario_strategy(c->m, spec, NULL, &s, &e) == PARLEY_OK) {
        parley_strategy_free(s);
        return;
    }
    char q[P];
    join(q, p, "compliance_strategy");
    diag(c, e.status == PARLEY_ENOMEM ? PARLEY_ENOMEM : PARLEY_EINPUT, q, "'%s': %s", spec,
         e.count ? e.items[0].what : "not a strategy the game engine knows");
    parley_error_clear(&e);
}

static void join(char *out, const char *base, const char *key)
{
    if (base && base[0])
        snprintf(out, P, "%s.%s", base, key);
    else
        snprintf(out, P, "%s", key);
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

/* Words naming decisions and outcomes: an event may never set them. */
static const char *const decision_words[] = {"particip", "attend",   "accept",   "outcome",
                                             "treaty",   "collapse", "ending",   "decision",
                                             "decide",   "ratif",    "agreement", "walkout",
                                             NULL};

static const char *decision_word_in(const char *s)
{
    char low[256];
    size_t n = 0;
    for (; s[n] && n + 1 < sizeof low; n++)
        low[n] = (char)tolower((unsigned char)s[n]);
    low[n] = '\0';
    for (size_t i = 0; decision_words[i]; i++)
        if (strstr(low, decision_words[i]))
            return decision_words[i];
    return NULL;
}

/* Reports keys of `obj` not in `known`. In events, a key that names a decision
 * or outcome gets the rule instead of a spelling hint. */
static void check_keys(lctx *c, json_t *obj, const char *jpath, const char *const *known,
                       bool event_rule)
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
        if (event_rule && decision_word_in(key)) {
            diag(c, PARLEY_EINPUT, p,
                 "events change primitives only, never decisions or outcomes: '%s' is not "
                 "allowed",
                 key);
            continue;
        }
        const char *near = parley__closest_in_list(key, known);
        if (near)
            diag(c, PARLEY_EINPUT, p, "unknown field (did you mean '%s'?)", near);
        else
            diag(c, PARLEY_EINPUT, p, "unknown field");
    }
}

static json_t *need_object(lctx *c, json_t *v, const char *jpath)
{
    if (json_is_object(v))
        return v;
    diag(c, PARLEY_EINPUT, jpath, "must be an object (got %s)", jtype(v));
    return NULL;
}

static void missing(lctx *c, const char *jpath, const char *key)
{
    diag(c, PARLEY_EINPUT, jpath, "missing required field '%s'", key);
}

/* ---- scalar readers: each reads obj[key] into *out, reports, returns ok --- */

static bool read_str(lctx *c, json_t *obj, const char *jp, const char *key, bool required,
                     bool nonempty, const char *def, char **out)
{
    json_t *v = json_object_get(obj, key);
    char p[P];
    join(p, jp, key);
    if (!v) {
        if (required) {
            missing(c, jp, key);
            return false;
        }
        *out = def ? xstrdup(c, def, p) : NULL;
        return !def || *out;
    }
    if (!json_is_string(v)) {
        diag(c, PARLEY_EINPUT, p, "must be a string (got %s)", jtype(v));
        return false;
    }
    if (nonempty && json_string_length(v) == 0) {
        diag(c, PARLEY_EINPUT, p, "must not be empty");
        return false;
    }
    *out = xstrdup(c, json_string_value(v), p);
    return *out != NULL;
}

static bool valid_id(const char *s, size_t len)
{
    if (len == 0 || len > PARLEY_SCENARIO_MAX_ID || strlen(s) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
            return false;
    return true;
}

/* Checks the value of an id or a reference to one. */
static bool check_id_value(lctx *c, json_t *v, const char *p)
{
    if (!json_is_string(v)) {
        diag(c, PARLEY_EINPUT, p, "must be a string id (got %s)", jtype(v));
        return false;
    }
    if (!valid_id(json_string_value(v), json_string_length(v))) {
        diag(c, PARLEY_EINPUT, p,
             "'%.80s' is not a valid id (1 to %d characters from A-Z a-z 0-9 _ -)",
             json_string_value(v), PARLEY_SCENARIO_MAX_ID);
        return false;
    }
    return true;
}

static bool read_id(lctx *c, json_t *obj, const char *jp, const char *key, char **out)
{
    json_t *v = json_object_get(obj, key);
    char p[P];
    join(p, jp, key);
    if (!v) {
        missing(c, jp, key);
        return false;
    }
    if (!check_id_value(c, v, p))
        return false;
    *out = xstrdup(c, json_string_value(v), p);
    return *out != NULL;
}

static bool parse_date(const char *s, parley_date *d)
{
    size_t n = strlen(s);
    if (n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    }
    d->year = atoi(s);
    d->month = (s[5] - '0') * 10 + (s[6] - '0');
    d->day = n == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : 0;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static bool read_date(lctx *c, json_t *obj, const char *jp, const char *key, bool required,
                      parley_date *out)
{
    json_t *v = json_object_get(obj, key);
    char p[P];
    join(p, jp, key);
    *out = (parley_date){0, 0, 0};
    if (!v) {
        if (required)
            missing(c, jp, key);
        return !required;
    }
    parley_date d;
    if (!json_is_string(v)) {
        diag(c, PARLEY_EINPUT, p, "must be a date string \"YYYY-MM\" or \"YYYY-MM-DD\" (got %s)",
             jtype(v));
        return false;
    }
    const char *s = json_string_value(v);
    if (!parse_date(s, &d)) {
        diag(c, PARLEY_EINPUT, p, "must be a date \"YYYY-MM\" or \"YYYY-MM-DD\" (got '%.40s')",
             s);
        return false;
    }
    if (d.year < 1000 || d.month < 1 || d.month > 12 ||
        (d.day != 0 && (d.day < 1 || d.day > days_in_month(d.year, d.month)))) {
        diag(c, PARLEY_EINPUT, p, "'%s' is not a calendar date", s);
        return false;
    }
    *out = d;
    return true;
}

static bool read_enum(lctx *c, json_t *obj, const char *jp, const char *key,
                      const char *const *names, int def, int *out)
{
    json_t *v = json_object_get(obj, key);
    char p[P];
    join(p, jp, key);
    if (!v) {
        if (def < 0) {
            missing(c, jp, key);
            return false;
        }
        *out = def;
        return true;
    }
    char list[256] = "";
    size_t used = 0;
    for (size_t i = 0; names[i]; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s'%s'", i ? ", " : "", names[i]);
        if (w > 0 && (size_t)w < sizeof list - used)
            used += (size_t)w;
    }
    if (!json_is_string(v)) {
        diag(c, PARLEY_EINPUT, p, "must be one of %s (got %s)", list, jtype(v));
        return false;
    }
    const char *s = json_string_value(v);
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0) {
            *out = i;
            return true;
        }
    const char *near = parley__closest_in_list(s, names);
    if (near)
        diag(c, PARLEY_EINPUT, p, "must be one of %s (got '%.60s'; did you mean '%s'?)", list, s,
             near);
    else
        diag(c, PARLEY_EINPUT, p, "must be one of %s (got '%.60s')", list, s);
    return false;
}

static bool read_bool(lctx *c, json_t *obj, const char *jp, const char *key, bool def,
                      bool *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        *out = def;
        return true;
    }
    if (!json_is_boolean(v)) {
        char p[P];
        join(p, jp, key);
        diag(c, PARLEY_EINPUT, p, "must be true or false (got %s)", jtype(v));
        return false;
    }
    *out = json_is_true(v);
    return true;
}

static bool read_int(lctx *c, json_t *obj, const char *jp, const char *key, int lo, int hi,
                     int def, int *out)
{
    json_t *v = json_object_get(obj, key);
    char p[P];
    join(p, jp, key);
    if (!v) {
        *out = def;
        return true;
    }
    if (!json_is_integer(v)) {
        diag(c, PARLEY_EINPUT, p, "must be an integer (got %s)",
             json_is_real(v) ? "a fractional number" : jtype(v));
        return false;
    }
    json_int_t x = json_integer_value(v);
    if (x < lo || x > hi) {
        diag(c, PARLEY_EINPUT, p, "must be in [%d, %d] (got %lld)", lo, hi, (long long)x);
        return false;
    }
    *out = (int)x;
    return true;
}

/* ---- ids and references ----------------------------------------------------- */

static int ident_cmp(const void *a, const void *b)
{
    const ident *x = a, *y = b;
    int r = strcmp(x->id, y->id);
    return r ? r : (x->index > y->index) - (x->index < y->index);
}

static int ident_key_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const ident *)elem)->id);
}

/* Sorts the ids of `t` and reports duplicates (in file order). */
static void idtab_build(lctx *c, idtab *t)
{
    if (t->n == 0)
        return;
    t->sorted = PARLEY_NEW_ARRAY(ident, t->n);
    int *first = PARLEY_NEW_ARRAY(int, t->n);
    if (!t->sorted || !first) {
        parley__free(first);
        nomem(c, t->array);
        return;
    }
    for (size_t i = 0; i < t->n; i++)
        if (t->names[i])
            t->sorted[t->n_sorted++] = (ident){t->names[i], (int)i};
    qsort(t->sorted, t->n_sorted, sizeof *t->sorted, ident_cmp);
    for (size_t i = 0; i < t->n; i++)
        first[i] = -1;
    for (size_t k = 1; k < t->n_sorted; k++)
        if (strcmp(t->sorted[k].id, t->sorted[k - 1].id) == 0)
            first[t->sorted[k].index] = first[t->sorted[k - 1].index] >= 0
                                            ? first[t->sorted[k - 1].index]
                                            : t->sorted[k - 1].index;
    for (size_t i = 0; i < t->n; i++)
        if (first[i] >= 0) {
            char p[P];
            snprintf(p, sizeof p, "%s[%zu].id", t->array, i);
            diag(c, PARLEY_EINPUT, p, "duplicate id '%s' (first at %s[%d])", t->names[i],
                 t->array, first[i]);
        }
    parley__free(first);
}

static int idtab_find(const idtab *t, const char *id)
{
    if (!t->sorted)
        return -1;
    const ident *hit = bsearch(id, t->sorted, t->n_sorted, sizeof *t->sorted, ident_key_cmp);
    if (!hit)
        return -1;
    while (hit > t->sorted && strcmp(hit[-1].id, id) == 0)
        hit--;
    return hit->index;
}

static const char *idtab_get(const void *ctx, size_t i) { return ((const idtab *)ctx)->names[i]; }

enum { REF_ABSENT = -1, REF_BAD = -2 };

/* Resolves the id in `v` against `t`: an index, or REF_BAD (reported). */
static int resolve_ref(lctx *c, json_t *v, const char *p, const idtab *t)
{
    if (!check_id_value(c, v, p))
        return REF_BAD;
    const char *id = json_string_value(v);
    int i = idtab_find(t, id);
    if (i >= 0)
        return i;
    const char *near = full(c) ? NULL : parley__closest(id, t->n, idtab_get, t);
    if (near)
        diag(c, PARLEY_EINPUT, p, "unknown %s '%s' (did you mean '%s'?)", t->what, id, near);
    else
        diag(c, PARLEY_EINPUT, p, "unknown %s '%s'", t->what, id);
    return REF_BAD;
}

static int read_ref(lctx *c, json_t *obj, const char *jp, const char *key, const idtab *t,
                    bool required)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            missing(c, jp, key);
        return required ? REF_BAD : REF_ABSENT;
    }
    char p[P];
    join(p, jp, key);
    return resolve_ref(c, v, p, t);
}

/* Starts a duplicate check over indices < n. */
static void mark_begin(lctx *c) { c->stamp++; }

/* Marks index i seen at position pos; returns the earlier position or -1. */
static int mark_seen(lctx *c, int i, int pos)
{
    if (i < 0 || (size_t)i >= c->mark_n)
        return -1;
    if (c->mark[i] == c->stamp)
        return c->mark_pos[i];
    c->mark[i] = c->stamp;
    c->mark_pos[i] = pos;
    return -1;
}

static bool read_reflist(lctx *c, json_t *obj, const char *jp, const char *key, const idtab *t,
                         bool required, size_t min, int **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    json_t *v = json_object_get(obj, key);
    char p[P];
    join(p, jp, key);
    if (!v) {
        if (required)
            missing(c, jp, key);
        return !required;
    }
    if (!json_is_array(v)) {
        diag(c, PARLEY_EINPUT, p, "must be an array of %s ids (got %s)", t->what, jtype(v));
        return false;
    }
    size_t len = json_array_size(v);
    if (len < min) {
        diag(c, PARLEY_EINPUT, p, "must list at least %zu %s%s (got %zu)", min, t->what,
             min == 1 ? "" : "s", len);
        return false;
    }
    int *ids = PARLEY_NEW_ARRAY(int, len);
    if (!ids) {
        nomem(c, p);
        return false;
    }
    bool ok = true;
    mark_begin(c);
    for (size_t i = 0; i < len; i++) {
        char q[P];
        snprintf(q, sizeof q, "%s[%zu]", p, i);
        ids[i] = resolve_ref(c, json_array_get(v, i), q, t);
        if (ids[i] < 0) {
            ok = false;
            continue;
        }
        int prev = mark_seen(c, ids[i], (int)i);
        if (prev >= 0) {
            diag(c, PARLEY_EINPUT, q, "'%s' is listed twice (first at %s[%d])",
                 t->names[ids[i]], p, prev);
            ok = false;
        }
    }
    *out = ids;
    *n = len;
    return ok;
}

/* ---- numbers -------------------------------------------------------------------- */

static bool push_annot(lctx *c, const char *ap, const char *jp, psc_annot *a)
{
    psc_model *m = c->m;
    if (m->n_annots == c->annot_cap) {
        size_t cap = c->annot_cap ? c->annot_cap * 2 : 16;
        psc_annot *grown = parley__realloc_array(m->annots, cap, sizeof *grown);
        if (!grown) {
            parley__free(a->source);
            nomem(c, jp);
            return false;
        }
        m->annots = grown;
        c->annot_cap = cap;
    }
    a->path = parley__strdup(ap);
    if (!a->path) {
        parley__free(a->source);
        nomem(c, jp);
        return false;
    }
    a->u.path = a->path;
    a->u.source = a->source;
    m->annots[m->n_annots++] = *a;
    return true;
}

static bool plain_number(lctx *c, json_t *v, const char *p, double *x)
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

static const char *const numobj_keys[] = {"value", "source", "dist", "range", "sd",
                                          "mode",  "a",      "b",    NULL};

/* The object form of a number: value plus source and/or an uncertainty. */
static bool read_number_object(lctx *c, json_t *v, const char *jp, const char *ap,
                               const psc_numspec *ns, double *dst)
{
    char p[P], rt[96];
    bool ok = true;
    check_keys(c, v, jp, numobj_keys, false);
    parley__range_text(ns, rt, sizeof rt);
    double value = 0;
    json_t *jv = json_object_get(v, "value");
    join(p, jp, "value");
    if (!jv) {
        missing(c, jp, "value");
        ok = false;
    } else if (!plain_number(c, jv, p, &value)) {
        ok = false;
    } else if (!parley__in_range(ns, value)) {
        diag(c, PARLEY_EINPUT, p, "%s (got %g)", rt, value);
        ok = false;
    }
    psc_annot a;
    memset(&a, 0, sizeof a);
    json_t *js = json_object_get(v, "source");
    if (js && !json_is_string(js)) {
        join(p, jp, "source");
        diag(c, PARLEY_EINPUT, p, "must be a string (got %s)", jtype(js));
        ok = false;
    }
    int dist = -1;
    if (json_object_get(v, "dist") && !read_enum(c, v, jp, "dist", parley__dists, 0, &dist))
        ok = false;
    double lo = 0, hi = 1, sd = 0, mode = value, pa = 0, pb = 0;
    bool has_range = false;
    json_t *jr = json_object_get(v, "range");
    if (jr) {
        join(p, jp, "range");
        if (!json_is_array(jr) || json_array_size(jr) != 2 ||
            !json_is_number(json_array_get(jr, 0)) || !json_is_number(json_array_get(jr, 1))) {
            diag(c, PARLEY_EINPUT, p, "must be an array [lo, hi] of two numbers");
            ok = false;
        } else {
            lo = json_number_value(json_array_get(jr, 0));
            hi = json_number_value(json_array_get(jr, 1));
            has_range = true;
            if (!(lo < hi)) {
                diag(c, PARLEY_EINPUT, p, "must have lo < hi (got [%g, %g])", lo, hi);
                ok = false;
            } else if (!parley__in_range(ns, lo) || !parley__in_range(ns, hi)) {
                diag(c, PARLEY_EINPUT, p, "[%g, %g] must lie inside the field's range (%s)", lo,
                     hi, rt);
                ok = false;
            }
        }
    }
    static const char *const params[] = {"sd", "mode", "a", "b"};
    double *slots[] = {&sd, &mode, &pa, &pb};
    bool has[4] = {false, false, false, false};
    for (int k = 0; k < 4; k++) {
        json_t *jp2 = json_object_get(v, params[k]);
        if (!jp2)
            continue;
        join(p, jp, params[k]);
        if (!plain_number(c, jp2, p, slots[k])) {
            ok = false;
            continue;
        }
        has[k] = true;
        if (k != 1 && !(*slots[k] > 0)) {
            diag(c, PARLEY_EINPUT, p, "must be > 0 (got %g)", *slots[k]);
            ok = false;
        }
    }
    if (dist < 0 && has_range)
        dist = PARLEY_DIST_UNIFORM;
    /* Which parameters each distribution takes: sd, mode, a, b. */
    static const bool takes[4][4] = {
        {false, false, false, false}, /* uniform */
        {true, false, false, false},  /* normal */
        {false, true, false, false},  /* triangular */
        {false, false, true, true},   /* beta */
    };
    for (int k = 0; k < 4; k++) {
        if (!has[k])
            continue;
        if (dist < 0 || !takes[dist][k]) {
            join(p, jp, params[k]);
            diag(c, PARLEY_EINPUT, p, "does not apply to %s%s%s",
                 dist < 0 ? "a number without 'dist'" : "dist '",
                 dist < 0 ? "" : parley__dists[dist], dist < 0 ? "" : "'");
            ok = false;
        }
    }
    if (dist >= 0 && ok) {
        static const char *const needs[] = {"range", "sd", "range", "a"};
        bool missing_param = false;
        if ((dist == PARLEY_DIST_UNIFORM || dist == PARLEY_DIST_TRIANGULAR) && !has_range)
            missing_param = true;
        if (dist == PARLEY_DIST_NORMAL && !has[0])
            missing_param = true;
        if (dist == PARLEY_DIST_BETA && (!has[2] || !has[3]))
            missing_param = true;
        if (missing_param) {
            diag(c, PARLEY_EINPUT, jp, "dist '%s' needs '%s'%s", parley__dists[dist],
                 dist == PARLEY_DIST_BETA && has[2] ? "b" : needs[dist],
                 dist == PARLEY_DIST_BETA && !has[2] && !has[3] ? " and 'b'" : "");
            ok = false;
        }
    }
    if (dist >= 0 && ok) {
        if (dist == PARLEY_DIST_BETA && !has_range) {
            lo = 0;
            hi = 1;
            if (!parley__in_range(ns, lo) || !parley__in_range(ns, hi)) {
                diag(c, PARLEY_EINPUT, jp,
                     "dist 'beta' needs a 'range' inside the field's range (%s)", rt);
                ok = false;
            }
        }
        if (dist == PARLEY_DIST_NORMAL && !has_range) {
            lo = isinf(ns->lo) ? value - 10 * sd : ns->lo;
            hi = isinf(ns->hi) ? value + 10 * sd : ns->hi;
            if (ns->flags & NF_LO_OPEN)
                lo = nextafter(lo, HUGE_VAL);
            if (ns->flags & NF_HI_OPEN)
                hi = nextafter(hi, -HUGE_VAL);
        }
        if (ok && dist == PARLEY_DIST_TRIANGULAR && !(mode >= lo && mode <= hi)) {
            join(p, jp, "mode");
            diag(c, PARLEY_EINPUT, p, "must lie in the range [%g, %g] (got %g)", lo, hi, mode);
            ok = false;
        }
        if (ok && !(value >= lo && value <= hi)) {
            join(p, jp, "value");
            diag(c, PARLEY_EINPUT, p, "must lie in the range [%g, %g] (got %g)", lo, hi, value);
            ok = false;
        }
    }
    if (!ok)
        return false;
    *dst = value;
    if (dist < 0 && !js)
        return true;
    a.uncertain = dist >= 0;
    a.has_range = has_range;
    a.u = (parley_uncertainty){NULL, dist >= 0 ? (parley_dist)dist : PARLEY_DIST_UNIFORM,
                               value, lo, hi, sd, mode, pa, pb, NULL};
    if (js && !(a.source = xstrdup(c, json_string_value(js), jp)))
        return false;
    if (!ap)
        {
            parley__free(a.source);
            return true;
        }
    return push_annot(c, ap, jp, &a);
}

/* A number in plain or object form at JSON path jp; ap is its path for the
 * side tables (NULL when the owner's id is invalid: nothing is recorded). */
static bool read_number_value(lctx *c, json_t *v, const char *jp, const char *ap,
                              const psc_numspec *ns, double *dst)
{
    if (json_is_object(v))
        return read_number_object(c, v, jp, ap, ns, dst);
    if (!json_is_number(v)) {
        diag(c, PARLEY_EINPUT, jp, "must be a number (got %s)", jtype(v));
        return false;
    }
    double x;
    if (!plain_number(c, v, jp, &x))
        return false;
    if (!parley__in_range(ns, x)) {
        char rt[96];
        parley__range_text(ns, rt, sizeof rt);
        diag(c, PARLEY_EINPUT, jp, "%s (got %g)", rt, x);
        return false;
    }
    *dst = x;
    return true;
}

/* Reads the numbers of `tab` whose names are `prefix` + a key of obj. */
static bool read_nums(lctx *c, json_t *obj, const char *jp, const char *ap,
                      const psc_numtable *tab, const char *prefix, void *base)
{
    bool ok = true;
    size_t plen = strlen(prefix);
    for (size_t i = 0; i < tab->n; i++) {
        const psc_numspec *ns = &tab->f[i];
        if ((ns->flags & NF_LOADER) || strncmp(ns->name, prefix, plen) != 0 ||
            strchr(ns->name + plen, '.'))
            continue;
        const char *key = ns->name + plen;
        /* ns->off is the offsetof of a double member of *base */
        double *dst = (void *)((char *)base + ns->off);
        json_t *v = json_object_get(obj, key);
        if (!v) {
            if (ns->flags & NF_REQUIRED) {
                missing(c, jp, key);
                ok = false;
            }
            *dst = (ns->flags & NF_INHERIT) ? NAN : ns->def;
            continue;
        }
        char p[P], a[P];
        join(p, jp, key);
        if (ap)
            join(a, ap, ns->name);
        ok &= read_number_value(c, v, p, ap ? a : NULL, ns, dst);
    }
    return ok;
}

/* ---- sections ------------------------------------------------------------------ */

/* Fetches a top-level array (NULL when absent), checking its type and limit. */
static json_t *section_array(lctx *c, json_t *root, const char *key, size_t max, bool required,
                             bool *bad)
{
    json_t *v = json_object_get(root, key);
    if (!v) {
        if (required) {
            missing(c, "", key);
            *bad = true;
        }
        return NULL;
    }
    if (!json_is_array(v)) {
        diag(c, PARLEY_EINPUT, key, "must be an array (got %s)", jtype(v));
        *bad = true;
        return NULL;
    }
    if (json_array_size(v) > max) {
        diag(c, PARLEY_ELIMIT, key, "has %zu entries; at most %zu", json_array_size(v), max);
        *bad = true;
        return NULL;
    }
    if (required && json_array_size(v) == 0) {
        diag(c, PARLEY_EINPUT, key, "must have at least one entry");
        *bad = true;
    }
    return v;
}

/* Pass 1 for an id-keyed array of structs: allocates them and reads ids. */
#define ID_PASS(c, arr, tab, type, field_arr, field_n)                                          \
    do {                                                                                       \
        size_t n_ = (arr) ? json_array_size(arr) : 0;                                          \
        (c)->m->field_arr = PARLEY_NEW_ARRAY(type, n_);                                        \
        (tab)->names = PARLEY_NEW_ARRAY(const char *, n_);                                     \
        if (!(c)->m->field_arr || !(tab)->names) {                                             \
            nomem((c), (tab)->array);                                                          \
            break;                                                                             \
        }                                                                                      \
        (c)->m->field_n = n_;                                                                  \
        (tab)->n = n_;                                                                         \
        for (size_t i_ = 0; i_ < n_; i_++) {                                                   \
            char p_[P];                                                                        \
            snprintf(p_, sizeof p_, "%s[%zu]", (tab)->array, i_);                              \
            json_t *o_ = json_array_get((arr), i_);                                            \
            if (!json_is_object(o_)) {                                                         \
                diag((c), PARLEY_EINPUT, p_, "must be an object (got %s)", jtype(o_));         \
                continue;                                                                      \
            }                                                                                  \
            if (read_id((c), o_, p_, "id", &(c)->m->field_arr[i_].id))                         \
                (tab)->names[i_] = (c)->m->field_arr[i_].id;                                   \
        }                                                                                      \
        idtab_build((c), (tab));                                                               \
    } while (0)

static const char *const meta_keys[] = {"name",  "description", "sources",      "start",
                                        "horizon", "round_months", NULL};
static const char *const source_keys[] = {"id", "citation", "url", "date", NULL};

static void parse_meta(lctx *c, json_t *v)
{
    psc_meta *mt = &c->m->meta;
    if (!v) {
        missing(c, "", "meta");
        return;
    }
    if (!need_object(c, v, "meta"))
        return;
    check_keys(c, v, "meta", meta_keys, false);
    read_str(c, v, "meta", "name", true, true, NULL, &mt->name);
    read_str(c, v, "meta", "description", false, false, "", &mt->description);
    bool start_ok = read_date(c, v, "meta", "start", true, &mt->start);
    bool horizon_ok = read_date(c, v, "meta", "horizon", true, &mt->horizon);
    bool rm_ok = read_int(c, v, "meta", "round_months", 1, 12, 1, &mt->round_months);
    if (start_ok && horizon_ok && mt->start.year && mt->horizon.year) {
        long s = parley_date_month_index(mt->start), h = parley_date_month_index(mt->horizon);
        if (h <= s)
            diag(c, PARLEY_EINPUT, "meta.horizon", "must be a later month than meta.start");
        else if (rm_ok) {
            long rounds = (h - s + 1 + mt->round_months - 1) / mt->round_months;
            if (rounds > PARLEY_SCENARIO_MAX_ROUNDS)
                diag(c, PARLEY_ELIMIT, "meta.horizon", "the scenario spans %ld rounds; at most %d",
                     rounds, PARLEY_SCENARIO_MAX_ROUNDS);
        }
    }
    json_t *src = json_object_get(v, "sources");
    if (!src)
        return;
    if (!json_is_array(src)) {
        diag(c, PARLEY_EINPUT, "meta.sources", "must be an array (got %s)", jtype(src));
        return;
    }
    size_t n = json_array_size(src);
    if (n > PARLEY_SCENARIO_MAX_ITEMS) {
        diag(c, PARLEY_ELIMIT, "meta.sources", "has %zu entries; at most %d", n,
             PARLEY_SCENARIO_MAX_ITEMS);
        return;
    }
    if (!(mt->sources = PARLEY_NEW_ARRAY(psc_source, n))) {
        nomem(c, "meta.sources");
        return;
    }
    mt->n_sources = n;
    for (size_t i = 0; i < n; i++) {
        char p[P];
        snprintf(p, sizeof p, "meta.sources[%zu]", i);
        json_t *o = need_object(c, json_array_get(src, i), p);
        if (!o)
            continue;
        psc_source *s = &mt->sources[i];
        check_keys(c, o, p, source_keys, false);
        if (read_id(c, o, p, "id", &s->id))
            for (size_t j = 0; j < i; j++)
                if (mt->sources[j].id && strcmp(mt->sources[j].id, s->id) == 0) {
                    char q[P];
                    join(q, p, "id");
                    diag(c, PARLEY_EINPUT, q, "duplicate id '%s' (first at meta.sources[%zu])",
                         s->id, j);
                    break;
                }
        read_str(c, o, p, "citation", true, true, NULL, &s->citation);
        read_str(c, o, p, "url", false, false, NULL, &s->url);
        read_date(c, o, p, "date", false, &s->date);
    }
}

static const char *const actor_keys[] = {
    "id",         "name",     "kind",     "parent",  "capability",   "risk",
    "at_table",   "veto",     "type_prior", "compliance_strategy", "discount", "need",
    "contact_cost", "contact_with", "support", "leans_toward", "source", NULL};

static void parse_actor(lctx *c, json_t *o, size_t i)
{
    psc_actor *a = &c->m->actors[i];
    char p[P], ap[P];
    snprintf(p, sizeof p, "actors[%zu]", i);
    snprintf(ap, sizeof ap, "actors.%s", a->id ? a->id : "?");
    a->parent = a->leans_toward = -1;
    check_keys(c, o, p, actor_keys, false);
    read_str(c, o, p, "name", false, false, a->id ? a->id : "", &a->name);
    a->kind = -1;
    read_enum(c, o, p, "kind", parley__actor_kinds, -1, &a->kind);
    read_nums(c, o, p, a->id ? ap : NULL, &parley__numtables[PSC_SEC_ACTORS], "", a);
    read_bool(c, o, p, "at_table", a->kind == PARLEY_ACTOR_PRINCIPAL ||
                                       a->kind == PARLEY_ACTOR_MEDIATOR, &a->at_table);
    read_str(c, o, p, "compliance_strategy", false, true, "TitForTat", &a->compliance_strategy);
    check_strategy(c, p, a->compliance_strategy);
    read_str(c, o, p, "source", false, false, NULL, &a->source);
    a->parent = read_ref(c, o, p, "parent", &c->actors, false);
    a->leans_toward = read_ref(c, o, p, "leans_toward", &c->actors, false);
    if (read_reflist(c, o, p, "contact_with", &c->actors, false, 1, &a->contact_with,
                     &a->n_contact_with))
        for (size_t k = 0; k < a->n_contact_with; k++)
            if (a->contact_with[k] == (int)i) {
                char r[P];
                snprintf(r, sizeof r, "%s.contact_with[%zu]", p, k);
                diag(c, PARLEY_EINPUT, r, "an actor cannot be its own counterpart");
            }
    json_t *veto = json_object_get(o, "veto");
    if (veto) {
        char q[P];
        join(q, p, "veto");
        if (!json_is_array(veto) || json_array_size(veto) > 2) {
            diag(c, PARLEY_EINPUT, q,
                 "must be an array of \"ratification\" and/or \"implementation\"");
        } else {
            for (size_t k = 0; k < json_array_size(veto); k++) {
                char r[P];
                snprintf(r, sizeof r, "%s[%zu]", q, k);
                json_t *e = json_array_get(veto, k);
                int bit = -1;
                if (json_is_string(e) && strcmp(json_string_value(e), "ratification") == 0)
                    bit = PSC_VETO_RATIFICATION;
                else if (json_is_string(e) && strcmp(json_string_value(e), "implementation") == 0)
                    bit = PSC_VETO_IMPLEMENTATION;
                if (bit < 0) {
                    const char *near =
                        json_is_string(e)
                            ? parley__closest_in_list(json_string_value(e), parley__veto_names)
                            : NULL;
                    diag(c, PARLEY_EINPUT, r,
                         "must be \"ratification\" or \"implementation\"%s%s%s",
                         near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
                } else if (a->veto & (unsigned)bit) {
                    diag(c, PARLEY_EINPUT, r, "'%s' is listed twice", json_string_value(e));
                } else {
                    a->veto |= (unsigned)bit;
                }
            }
        }
    }
}

/* Rules between actors, once every kind is known. */
static void check_actor_links(lctx *c, json_t *arr)
{
    psc_model *m = c->m;
    for (size_t i = 0; i < m->n_actors; i++) {
        psc_actor *a = &m->actors[i];
        char p[P], q[P];
        snprintf(p, sizeof p, "actors[%zu]", i);
        if (!json_is_object(json_array_get(arr, i)) || a->kind < 0)
            continue;
        const char *kind = parley__actor_kinds[a->kind];
        join(q, p, "parent");
        if (a->kind == PARLEY_ACTOR_FACTION) {
            if (a->parent == REF_ABSENT)
                diag(c, PARLEY_EINPUT, p,
                     "missing required field 'parent' (a faction belongs to a principal)");
            else if (a->parent >= 0 && m->actors[a->parent].kind != PARLEY_ACTOR_PRINCIPAL &&
                     m->actors[a->parent].kind >= 0)
                diag(c, PARLEY_EINPUT, q, "parent '%s' must be a principal (it is a %s)",
                     m->actors[a->parent].id, parley__actor_kinds[m->actors[a->parent].kind]);
        } else if (a->parent != REF_ABSENT) {
            diag(c, PARLEY_EINPUT, q, "only a faction has a parent (this actor is a %s)", kind);
        }
        join(q, p, "leans_toward");
        /* China in 1997 was a principal acting as an honest broker: a principal
         * may lean as a mediator does (its proposals credible to one side). */
        if (a->leans_toward != REF_ABSENT && a->kind != PARLEY_ACTOR_MEDIATOR &&
            a->kind != PARLEY_ACTOR_PRINCIPAL)
            diag(c, PARLEY_EINPUT, q,
                 "only a mediator or a principal leans toward a side (this actor is a %s)", kind);
        else if (a->leans_toward == (int)i)
            diag(c, PARLEY_EINPUT, q, "an actor cannot lean toward itself");
        if (a->parent < 0)
            a->parent = -1;
        if (a->leans_toward < 0)
            a->leans_toward = -1;
    }
}

static const char *const issue_keys[] = {"id",   "name",       "label_0",      "label_100",
                                         "status_quo", "kind", "rung", "reversible",
                                         "verification", "source", NULL};
static const char *const verification_keys[] = {"detection", "false_alarm", "inspectable", NULL};

static void parse_issue(lctx *c, json_t *o, size_t i)
{
    psc_issue *is = &c->m->issues[i];
    char p[P], ap[P];
    snprintf(p, sizeof p, "issues[%zu]", i);
    snprintf(ap, sizeof ap, "issues.%s", is->id ? is->id : "?");
    const char *a = is->id ? ap : NULL;
    check_keys(c, o, p, issue_keys, false);
    read_str(c, o, p, "name", false, false, is->id ? is->id : "", &is->name);
    read_str(c, o, p, "label_0", true, true, NULL, &is->label_0);
    read_str(c, o, p, "label_100", true, true, NULL, &is->label_100);
    const psc_numtable *tab = &parley__numtables[PSC_SEC_ISSUES];
    read_nums(c, o, p, a, tab, "", is);
    bool kind_ok = read_enum(c, o, p, "kind", parley__issue_kinds, PARLEY_ISSUE_POLITICAL,
                             &is->kind);
    if (read_int(c, o, p, "rung", 0, 100, 0, &is->rung) && kind_ok && is->rung > 0 &&
        is->kind != PARLEY_ISSUE_CBM) {
        char q[P];
        join(q, p, "rung");
        diag(c, PARLEY_EINPUT, q,
             "only a 'cbm' issue is on the ladder (this issue's kind is '%s')",
             parley__issue_kinds[is->kind]);
    }
    is->verification = (psc_verification){NAN, NAN, true};
    read_str(c, o, p, "source", false, false, NULL, &is->source);
    json_t *ver = json_object_get(o, "verification");
    if (ver) {
        char q[P];
        join(q, p, "verification");
        if (need_object(c, ver, q)) {
            check_keys(c, ver, q, verification_keys, false);
            read_nums(c, ver, q, a, tab, "verification.", is);
            read_bool(c, ver, q, "inspectable", true, &is->verification.inspectable);
        }
    }
}

static bool date_in_run(lctx *c, parley_date d, const char *p)
{
    const psc_meta *mt = &c->m->meta;
    if (!d.year || !mt->start.year || !mt->horizon.year)
        return true;
    long x = parley_date_month_index(d);
    if (x < parley_date_month_index(mt->start) || x > parley_date_month_index(mt->horizon)) {
        diag(c, PARLEY_EINPUT, p, "must lie between meta.start and meta.horizon");
        return false;
    }
    return true;
}

static const char *const forum_keys[] = {"id",     "name",     "members", "chair",
                                         "cadence_months", "side_payments", "agenda",
                                         "convening", "location", "start", "issues",
                                         "source", NULL};
static const char *const chair_keys[] = {"rotation", "order", NULL};

static void parse_forum(lctx *c, json_t *o, size_t i)
{
    psc_forum *f = &c->m->forums[i];
    char p[P], ap[P], q[P];
    snprintf(p, sizeof p, "forums[%zu]", i);
    snprintf(ap, sizeof ap, "forums.%s", f->id ? f->id : "?");
    check_keys(c, o, p, forum_keys, false);
    read_str(c, o, p, "name", false, false, f->id ? f->id : "", &f->name);
    read_reflist(c, o, p, "members", &c->actors, true, 2, &f->members, &f->n_members);
    read_reflist(c, o, p, "issues", &c->issues, false, 1, &f->issues, &f->n_issues);
    read_nums(c, o, p, f->id ? ap : NULL, &parley__numtables[PSC_SEC_FORUMS], "", f);
    read_enum(c, o, p, "agenda", parley__agendas, PSC_AGENDA_CONSENSUS, &f->agenda);
    read_enum(c, o, p, "convening", parley__convenings, PSC_CONVENING_CADENCE, &f->convening);
    read_str(c, o, p, "location", false, false, "", &f->location);
    read_str(c, o, p, "source", false, false, NULL, &f->source);
    join(q, p, "start");
    if (read_date(c, o, p, "start", false, &f->start))
        date_in_run(c, f->start, q);
    f->chair.rotation = PSC_CHAIR_LOT;
    json_t *ch = json_object_get(o, "chair");
    join(q, p, "chair");
    if (ch && need_object(c, ch, q)) {
        check_keys(c, ch, q, chair_keys, false);
        bool rot_ok = read_enum(c, ch, q, "rotation", parley__chair_rotations, PSC_CHAIR_LOT,
                                &f->chair.rotation);
        read_reflist(c, ch, q, "order", &c->actors, false, 0, &f->chair.order, &f->chair.n_order);
        for (size_t k = 0; k < f->chair.n_order; k++) {
            bool member = false;
            for (size_t j = 0; j < f->n_members; j++)
                member |= f->members[j] == f->chair.order[k];
            if (!member && f->chair.order[k] >= 0) {
                char r[P];
                snprintf(r, sizeof r, "%s.order[%zu]", q, k);
                diag(c, PARLEY_EINPUT, r, "'%s' is not a member of this forum",
                     c->m->actors[f->chair.order[k]].id);
            }
        }
        if (rot_ok && f->chair.rotation == PSC_CHAIR_FIXED && f->chair.n_order == 0)
            diag(c, PARLEY_EINPUT, q, "a fixed chair needs 'order' (its first entry chairs)");
    }
}

static const char *const agreement_keys[] = {"id",    "name",        "in_force", "parties",
                                             "terms", "obligations", "source",   NULL};
static const char *const term_keys[] = {"issue", "level", NULL};
static const char *const obligation_keys[] = {"actor", "issue", "level", "description", NULL};

static json_t *item_array(lctx *c, json_t *o, const char *p, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v)
        return NULL;
    char q[P];
    join(q, p, key);
    if (!json_is_array(v)) {
        diag(c, PARLEY_EINPUT, q, "must be an array (got %s)", jtype(v));
        return NULL;
    }
    if (json_array_size(v) > PARLEY_SCENARIO_MAX_ITEMS) {
        diag(c, PARLEY_ELIMIT, q, "has %zu entries; at most %d", json_array_size(v),
             PARLEY_SCENARIO_MAX_ITEMS);
        return NULL;
    }
    return v;
}

static void parse_agreement(lctx *c, json_t *o, size_t i)
{
    psc_agreement *ag = &c->m->agreements[i];
    char p[P], q[P];
    snprintf(p, sizeof p, "agreements[%zu]", i);
    check_keys(c, o, p, agreement_keys, false);
    read_str(c, o, p, "name", false, false, ag->id ? ag->id : "", &ag->name);
    read_str(c, o, p, "source", false, false, NULL, &ag->source);
    if (read_date(c, o, p, "in_force", true, &ag->in_force) && ag->in_force.year &&
        c->m->meta.start.year &&
        parley_date_month_index(ag->in_force) > parley_date_month_index(c->m->meta.start)) {
        join(q, p, "in_force");
        diag(c, PARLEY_EINPUT, q,
             "must not be after meta.start (this section lists agreements in force at the "
             "start)");
    }
    read_reflist(c, o, p, "parties", &c->actors, true, 2, &ag->parties, &ag->n_parties);
    json_t *terms = item_array(c, o, p, "terms");
    size_t nt = terms ? json_array_size(terms) : 0;
    if (nt && !(ag->terms = PARLEY_NEW_ARRAY(psc_term, nt))) {
        nomem(c, p);
        return;
    }
    ag->n_terms = nt;
    mark_begin(c);
    for (size_t k = 0; k < nt; k++) {
        psc_term *t = &ag->terms[k];
        snprintf(q, sizeof q, "%s.terms[%zu]", p, k);
        t->issue = -1;
        json_t *to = need_object(c, json_array_get(terms, k), q);
        if (!to)
            continue;
        check_keys(c, to, q, term_keys, false);
        t->issue = read_ref(c, to, q, "issue", &c->issues, true);
        char ap[P];
        if (ag->id && t->issue >= 0)
            snprintf(ap, sizeof ap, "agreements.%s.terms.%s", ag->id, c->m->issues[t->issue].id);
        read_nums(c, to, q, ag->id && t->issue >= 0 ? ap : NULL,
                  &parley__numtables[PSC_SEC_AGREEMENT_TERMS], "", t);
        int prev = mark_seen(c, t->issue, (int)k);
        if (prev >= 0) {
            char r[P];
            join(r, q, "issue");
            diag(c, PARLEY_EINPUT, r, "a second term on '%s' (first at %s.terms[%d])",
                 c->m->issues[t->issue].id, p, prev);
        }
    }
    json_t *obl = item_array(c, o, p, "obligations");
    size_t no = obl ? json_array_size(obl) : 0;
    if (no && !(ag->obligations = PARLEY_NEW_ARRAY(psc_obligation, no))) {
        nomem(c, p);
        return;
    }
    ag->n_obligations = no;
    for (size_t k = 0; k < no; k++) {
        psc_obligation *ob = &ag->obligations[k];
        snprintf(q, sizeof q, "%s.obligations[%zu]", p, k);
        ob->actor = ob->issue = -1;
        json_t *oo = need_object(c, json_array_get(obl, k), q);
        if (!oo)
            continue;
        check_keys(c, oo, q, obligation_keys, false);
        ob->actor = read_ref(c, oo, q, "actor", &c->actors, true);
        ob->issue = read_ref(c, oo, q, "issue", &c->issues, true);
        read_str(c, oo, q, "description", false, false, "", &ob->description);
        char ap[P];
        snprintf(ap, sizeof ap, "agreements.%s.obligations.%zu", ag->id ? ag->id : "?", k);
        read_nums(c, oo, q, ag->id ? ap : NULL, &parley__numtables[PSC_SEC_AGREEMENT_OBLIGATIONS],
                  "", ob);
        if (ob->actor >= 0 && ag->parties) {
            bool party = false;
            for (size_t j = 0; j < ag->n_parties; j++)
                party |= ag->parties[j] == ob->actor;
            if (!party) {
                char r[P];
                join(r, q, "actor");
                diag(c, PARLEY_EINPUT, r, "'%s' is not a party to this agreement",
                     c->m->actors[ob->actor].id);
            }
        }
    }
}

static const char *const stance_keys[] = {"actor", "issue", "position", "salience", "source",
                                          NULL};

static void parse_stances(lctx *c, json_t *arr)
{
    psc_model *m = c->m;
    size_t n = json_array_size(arr);
    size_t cells = m->n_actors * m->n_issues;
    m->stance_at = PARLEY_NEW_ARRAY(int, cells ? cells : 1);
    if (!m->stance_at) {
        nomem(c, "stances");
        return;
    }
    for (size_t k = 0; k < cells; k++)
        m->stance_at[k] = -1;
    if (n == 0)
        return;
    if (!(m->stances = PARLEY_NEW_ARRAY(psc_stance, n))) {
        nomem(c, "stances");
        return;
    }
    m->n_stances = n;
    for (size_t k = 0; k < n; k++) {
        psc_stance *s = &m->stances[k];
        char p[P], ap[P];
        snprintf(p, sizeof p, "stances[%zu]", k);
        s->actor = s->issue = -1;
        json_t *o = need_object(c, json_array_get(arr, k), p);
        if (!o)
            continue;
        check_keys(c, o, p, stance_keys, false);
        s->actor = read_ref(c, o, p, "actor", &c->actors, true);
        s->issue = read_ref(c, o, p, "issue", &c->issues, true);
        bool ok = s->actor >= 0 && s->issue >= 0;
        if (ok)
            snprintf(ap, sizeof ap, "stances.%s.%s", m->actors[s->actor].id,
                     m->issues[s->issue].id);
        read_nums(c, o, p, ok ? ap : NULL, &parley__numtables[PSC_SEC_STANCES], "", s);
        read_str(c, o, p, "source", false, false, NULL, &s->source);
        if (!ok)
            continue;
        int *cell = &m->stance_at[(size_t)s->actor * m->n_issues + (size_t)s->issue];
        if (*cell >= 0)
            diag(c, PARLEY_EINPUT, p, "a second stance of '%s' on '%s' (first at stances[%d])",
                 m->actors[s->actor].id, m->issues[s->issue].id, *cell);
        else
            *cell = (int)k;
    }
}

static const char *const trust_keys[] = {"from", "to",       "alpha",  "beta",
                                         "mean", "strength", "source", NULL};

static void parse_trust(lctx *c, json_t *arr)
{
    psc_model *m = c->m;
    size_t n = json_array_size(arr);
    if (n == 0)
        return;
    if (!(m->trust = PARLEY_NEW_ARRAY(psc_trust, n))) {
        nomem(c, "trust");
        return;
    }
    m->n_trust = n;
    const psc_numtable *tab = &parley__numtables[PSC_SEC_TRUST];
    int *seen = PARLEY_NEW_ARRAY(int, m->n_actors * m->n_actors + 1);
    if (!seen) {
        nomem(c, "trust");
        return;
    }
    for (size_t k = 0; k < n; k++) {
        psc_trust *t = &m->trust[k];
        char p[P], ap[P];
        snprintf(p, sizeof p, "trust[%zu]", k);
        t->from = t->to = -1;
        json_t *o = need_object(c, json_array_get(arr, k), p);
        if (!o)
            continue;
        check_keys(c, o, p, trust_keys, false);
        t->from = read_ref(c, o, p, "from", &c->actors, true);
        t->to = read_ref(c, o, p, "to", &c->actors, true);
        read_str(c, o, p, "source", false, false, NULL, &t->source);
        bool ok = t->from >= 0 && t->to >= 0;
        if (ok)
            snprintf(ap, sizeof ap, "trust.%s.%s", m->actors[t->from].id, m->actors[t->to].id);
        bool has[4];
        double val[4] = {0, 0, 0, 0};
        bool vals_ok = true;
        for (int f = 0; f < 4; f++) {
            json_t *v = json_object_get(o, tab->f[f].name);
            has[f] = v != NULL;
            if (!v)
                continue;
            char q[P], a[P];
            join(q, p, tab->f[f].name);
            if (ok)
                join(a, ap, tab->f[f].name);
            vals_ok &= read_number_value(c, v, q, ok ? a : NULL, &tab->f[f], &val[f]);
        }
        bool ab = has[0] || has[1], ms = has[2] || has[3];
        if (ab && ms)
            diag(c, PARLEY_EINPUT, p, "give either alpha and beta, or mean and strength, not both");
        else if (!ab && !ms)
            diag(c, PARLEY_EINPUT, p, "missing required fields 'alpha' and 'beta' (or 'mean' and "
                                      "'strength')");
        else if (ab && !(has[0] && has[1]))
            missing(c, p, has[0] ? "beta" : "alpha");
        else if (ms && !(has[2] && has[3]))
            missing(c, p, has[2] ? "strength" : "mean");
        else if (vals_ok) {
            t->by_mean = ms;
            t->mean = val[2];
            t->strength = val[3];
            t->alpha = ms ? val[2] * val[3] : val[0];
            t->beta = ms ? (1 - val[2]) * val[3] : val[1];
        }
        if (!ok)
            continue;
        if (t->from == t->to) {
            char q[P];
            join(q, p, "to");
            diag(c, PARLEY_EINPUT, q, "an actor's belief about itself is not a trust entry");
            continue;
        }
        int *cell = &seen[(size_t)t->from * m->n_actors + (size_t)t->to];
        if (*cell > 0)
            diag(c, PARLEY_EINPUT, p, "a second entry from '%s' to '%s' (first at trust[%d])",
                 m->actors[t->from].id, m->actors[t->to].id, *cell - 1);
        else
            *cell = (int)k + 1;
    }
    parley__free(seen);
}

static const char *const event_keys[] = {"id",        "name",    "date",      "hazard",
                                         "probability", "condition", "effects", "narrative",
                                         "source",    NULL};
static const char *const hazard_keys[] = {"rate", "from", "to", NULL};
static const char *const condition_keys[] = {"after", "path", "above", "below", NULL};
static const char *const effect_keys[] = {"path", "set", "add", "multiply", NULL};

static void parse_event(lctx *c, json_t *o, size_t i)
{
    psc_model *m = c->m;
    psc_event *e = &m->events[i];
    char p[P], ap[P], q[P];
    snprintf(p, sizeof p, "events[%zu]", i);
    snprintf(ap, sizeof ap, "events.%s", e->id ? e->id : "?");
    const char *a = e->id ? ap : NULL;
    const psc_numtable *tab = &parley__numtables[PSC_SEC_EVENTS];
    e->hazard.rate = NAN;
    e->probability = 1;
    e->condition.kind = PSC_COND_NONE;
    e->condition.after = -1;
    check_keys(c, o, p, event_keys, true);
    read_str(c, o, p, "name", false, false, e->id ? e->id : "", &e->name);
    read_str(c, o, p, "narrative", false, false, "", &e->narrative);
    read_str(c, o, p, "source", false, false, NULL, &e->source);
    json_t *date = json_object_get(o, "date"), *hz = json_object_get(o, "hazard");
    if ((date != NULL) == (hz != NULL))
        diag(c, PARLEY_EINPUT, p, "needs exactly one of 'date' (scheduled) and 'hazard'");
    join(q, p, "date");
    if (date && read_date(c, o, p, "date", true, &e->date))
        date_in_run(c, e->date, q);
    json_t *prob = json_object_get(o, "probability");
    if (prob) {
        join(q, p, "probability");
        if (hz && !date) {
            diag(c, PARLEY_EINPUT, q,
                 "applies only to scheduled events (this event has a hazard)");
        } else {
            char pa[P];
            if (a)
                join(pa, a, "probability");
            read_number_value(c, prob, q, a ? pa : NULL, &tab->f[0], &e->probability);
        }
    }
    join(q, p, "hazard");
    if (hz && need_object(c, hz, q)) {
        check_keys(c, hz, q, hazard_keys, false);
        read_nums(c, hz, q, a, tab, "hazard.", e);
        char r[P];
        bool from_ok = read_date(c, hz, q, "from", false, &e->hazard.from);
        bool to_ok = read_date(c, hz, q, "to", false, &e->hazard.to);
        join(r, q, "from");
        from_ok = from_ok && date_in_run(c, e->hazard.from, r);
        join(r, q, "to");
        to_ok = to_ok && date_in_run(c, e->hazard.to, r);
        parley_date from = e->hazard.from.year ? e->hazard.from : m->meta.start;
        parley_date to = e->hazard.to.year ? e->hazard.to : m->meta.horizon;
        if (from_ok && to_ok && from.year && to.year &&
            parley_date_month_index(from) > parley_date_month_index(to))
            diag(c, PARLEY_EINPUT, r, "must not be before hazard.from");
    }
    json_t *cond = json_object_get(o, "condition");
    join(q, p, "condition");
    if (cond && need_object(c, cond, q)) {
        check_keys(c, cond, q, condition_keys, false);
        json_t *after = json_object_get(cond, "after"), *path = json_object_get(cond, "path");
        json_t *above = json_object_get(cond, "above"), *below = json_object_get(cond, "below");
        psc_condition *cd = &e->condition;
        if (after && !path && !above && !below) {
            cd->kind = PSC_COND_AFTER;
            cd->after = read_ref(c, cond, q, "after", &c->events, true);
            if (cd->after == (int)i) {
                char r[P];
                join(r, q, "after");
                diag(c, PARLEY_EINPUT, r, "an event cannot wait for itself");
                cd->after = REF_BAD;
            }
        } else if (!after && path && (above != NULL) != (below != NULL)) {
            cd->kind = above ? PSC_COND_ABOVE : PSC_COND_BELOW;
            read_str(c, cond, q, "path", true, true, NULL, &cd->path);
            const char *key = above ? "above" : "below";
            char r[P], ra[P];
            join(r, q, key);
            snprintf(ra, sizeof ra, "%s.condition.%s", ap, key);
            read_number_value(c, above ? above : below, r, a ? ra : NULL,
                              &tab->f[above ? 2 : 3], &cd->threshold);
        } else {
            diag(c, PARLEY_EINPUT, q,
                 "must be {\"after\": EVENT} or {\"path\": PATH, \"above\"|\"below\": NUMBER}");
        }
    }
    json_t *eff = item_array(c, o, p, "effects");
    size_t ne = eff ? json_array_size(eff) : 0;
    if (ne && !(e->effects = PARLEY_NEW_ARRAY(psc_effect, ne))) {
        nomem(c, p);
        return;
    }
    e->n_effects = ne;
    const psc_numtable *etab = &parley__numtables[PSC_SEC_EFFECTS];
    for (size_t k = 0; k < ne; k++) {
        psc_effect *ef = &e->effects[k];
        snprintf(q, sizeof q, "%s.effects[%zu]", p, k);
        ef->target = (psc_target){-1, -1, -1, -1};
        json_t *eo = need_object(c, json_array_get(eff, k), q);
        if (!eo)
            continue;
        check_keys(c, eo, q, effect_keys, true);
        read_str(c, eo, q, "path", true, true, NULL, &ef->path);
        int ops = 0;
        for (int op = 0; op < 3; op++) {
            json_t *v = json_object_get(eo, etab->f[op].name);
            if (!v)
                continue;
            ops++;
            ef->op = op;
            char r[P], ra[P];
            join(r, q, etab->f[op].name);
            snprintf(ra, sizeof ra, "%s.effects.%zu.%s", ap, k, etab->f[op].name);
            read_number_value(c, v, r, a ? ra : NULL, &etab->f[op], &ef->value);
        }
        if (ops != 1)
            diag(c, PARLEY_EINPUT, q, "needs exactly one of 'set', 'add', 'multiply'");
    }
}

/* Events waiting on each other through `after` must not form a cycle. Each
 * event waits on at most one other, so following the chain finds any cycle. */
static void check_event_cycles(lctx *c)
{
    psc_model *m = c->m;
    size_t n = m->n_events;
    if (!n)
        return;
    unsigned char *state = PARLEY_NEW_ARRAY(unsigned char, n); /* 0 new, 1 on path, 2 done */
    if (!state) {
        nomem(c, "events");
        return;
    }
    for (size_t s = 0; s < n; s++) {
        size_t i = s;
        while (state[i] == 0) {
            state[i] = 1;
            int next = m->events[i].condition.kind == PSC_COND_AFTER ? m->events[i].condition.after
                                                                   : -1;
            if (next < 0 || next == (int)i)
                break;
            if (state[next] == 1) {
                /* a new cycle through `next`: report it once, at its first member */
                size_t first = (size_t)next;
                for (size_t j = (size_t)m->events[next].condition.after; j != (size_t)next;
                     j = (size_t)m->events[j].condition.after)
                    if (j < first)
                        first = j;
                char chain[256] = "";
                size_t used = 0, j = first;
                do {
                    int w = snprintf(chain + used, sizeof chain - used, "%s -> ",
                                     m->events[j].id);
                    if (w > 0 && (size_t)w < sizeof chain - used)
                        used += (size_t)w;
                    j = (size_t)m->events[j].condition.after;
                } while (j != first);
                snprintf(chain + used, sizeof chain - used, "%s", m->events[first].id);
                char p[P];
                snprintf(p, sizeof p, "events[%zu].condition.after", first);
                diag(c, PARLEY_EINPUT, p, "'after' conditions form a cycle: %s", chain);
                break;
            }
            i = (size_t)next;
        }
        /* everything reached from s is settled */
        for (size_t j = s; state[j] == 1;) {
            state[j] = 2;
            int next = m->events[j].condition.kind == PSC_COND_AFTER ? m->events[j].condition.after
                                                                   : -1;
            if (next < 0)
                break;
            j = (size_t)next;
        }
    }
    parley__free(state);
}

/* Effect and condition paths need the whole model. */
static void check_event_paths(lctx *c)
{
    psc_model *m = c->m;
    for (size_t i = 0; i < m->n_events; i++) {
        psc_event *e = &m->events[i];
        char p[P], why[PARLEY_WHAT_MAX - 64];
        for (size_t k = 0; k < e->n_effects && !full(c); k++) {
            psc_effect *ef = &e->effects[k];
            if (!ef->path)
                continue;
            snprintf(p, sizeof p, "events[%zu].effects[%zu].path", i, k);
            if (decision_word_in(ef->path)) {
                diag(c, PARLEY_EINPUT, p,
                     "events change primitives only, never decisions or outcomes: '%.200s' "
                     "names a decision or outcome",
                     ef->path);
                continue;
            }
            const psc_numspec *ns = NULL;
            if (!parley__scenario_resolve_spec(m, ef->path, &ef->target, &ns, why, sizeof why)) {
                diag(c, PARLEY_EINPUT, p, "%s", why);
                continue;
            }
            if (!(ns->flags & NF_PRIM))
                diag(c, PARLEY_EINPUT, p,
                     "'%.200s' is not a primitive an event may change (docs/FORMAT.md, events)",
                     ef->path);
        }
        psc_condition *cd = &e->condition;
        if ((cd->kind == PSC_COND_ABOVE || cd->kind == PSC_COND_BELOW) && cd->path) {
            snprintf(p, sizeof p, "events[%zu].condition.path", i);
            const psc_numspec *ns = NULL;
            if (!parley__scenario_resolve_spec(m, cd->path, &cd->target, &ns, why, sizeof why))
                diag(c, PARLEY_EINPUT, p, "%s", why);
        }
        if (cd->after < 0)
            cd->after = -1;
    }
}

static const char *const policy_keys[] = {
    "linkage",        "sequencing",   "verify_months", "expectations",  "coordination",
    "inform_observers", "end_state_clarity", "cadence_months", "verification", "side_payments",
    "spoilers",       "overrides",    NULL};
static const char *const policy_verification_keys[] = {"detection", "false_alarm",
                                                       "inspections", NULL};
static const char *const override_keys[] = {"actor", "lever", "value", "source", NULL};

static void parse_policy(lctx *c, json_t *v)
{
    psc_model *m = c->m;
    psc_policy *po = &m->policy;
    json_t *empty = NULL;
    if (!v) {
        v = empty = json_object();
        if (!v) {
            nomem(c, "policy");
            return;
        }
    }
    if (!need_object(c, v, "policy")) {
        v = empty = json_object();
        if (!v) {
            nomem(c, "policy");
            return;
        }
    }
    const psc_numtable *tab = &parley__numtables[PSC_SEC_POLICY];
    check_keys(c, v, "policy", policy_keys, false);
    read_enum(c, v, "policy", "linkage", parley__linkages, PSC_LINK_SEPARATE, &po->linkage);
    read_enum(c, v, "policy", "sequencing", parley__sequencings, PSC_SEQ_STEP_BY_STEP,
              &po->sequencing);
    read_bool(c, v, "policy", "inform_observers", true, &po->inform_observers);
    read_nums(c, v, "policy", "policy", tab, "", po);
    json_t *ver = json_object_get(v, "verification");
    json_t *vobj = ver && need_object(c, ver, "policy.verification") ? ver : NULL;
    json_t *vempty = NULL;
    if (!vobj)
        vobj = vempty = json_object();
    if (vobj) {
        if (ver)
            check_keys(c, vobj, "policy.verification", policy_verification_keys, false);
        read_nums(c, vobj, "policy.verification", "policy", tab, "verification.", po);
        read_bool(c, vobj, "policy.verification", "inspections", false,
                  &po->verification.inspections);
    }
    json_decref(vempty);
    json_t *ov = item_array(c, v, "policy", "overrides");
    size_t n = ov ? json_array_size(ov) : 0;
    if (n && !(po->overrides = PARLEY_NEW_ARRAY(psc_override, n))) {
        nomem(c, "policy.overrides");
        json_decref(empty);
        return;
    }
    po->n_overrides = n;
    int *seen = n ? PARLEY_NEW_ARRAY(int, m->n_actors * PSC_LEVER_COUNT + 1) : NULL;
    if (n && !seen)
        nomem(c, "policy.overrides");
    for (size_t k = 0; k < n; k++) {
        psc_override *o = &po->overrides[k];
        char p[P], q[P];
        snprintf(p, sizeof p, "policy.overrides[%zu]", k);
        o->actor = o->lever = -1;
        json_t *oo = need_object(c, json_array_get(ov, k), p);
        if (!oo)
            continue;
        check_keys(c, oo, p, override_keys, false);
        o->actor = read_ref(c, oo, p, "actor", &c->actors, true);
        read_str(c, oo, p, "source", false, false, NULL, &o->source);
        json_t *lv = json_object_get(oo, "lever");
        join(q, p, "lever");
        if (!lv) {
            missing(c, p, "lever");
        } else if (!json_is_string(lv)) {
            diag(c, PARLEY_EINPUT, q, "must be a lever name (got %s)", jtype(lv));
        } else {
            for (int l = 0; l < PSC_LEVER_COUNT; l++)
                if (strcmp(parley__lever_names[l], json_string_value(lv)) == 0)
                    o->lever = l;
            if (o->lever < 0) {
                const char *near =
                    parley__closest_in_list(json_string_value(lv), parley__lever_names);
                diag(c, PARLEY_EINPUT, q, "unknown lever '%.60s'%s%s%s", json_string_value(lv),
                     near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
            }
        }
        json_t *val = json_object_get(oo, "value");
        if (!val) {
            missing(c, p, "value");
        } else if (o->lever >= 0) {
            char ap[P];
            join(q, p, "value");
            if (o->actor >= 0)
                snprintf(ap, sizeof ap, "policy.overrides.%s.%s", m->actors[o->actor].id,
                         parley__lever_names[o->lever]);
            read_number_value(c, val, q, o->actor >= 0 ? ap : NULL,
                              parley__lever_spec(o->lever), &o->value);
        }
        if (seen && o->actor >= 0 && o->lever >= 0) {
            int *cell = &seen[(size_t)o->actor * PSC_LEVER_COUNT + (size_t)o->lever];
            if (*cell > 0)
                diag(c, PARLEY_EINPUT, p,
                     "a second override of '%s' for '%s' (first at policy.overrides[%d])",
                     parley__lever_names[o->lever], m->actors[o->actor].id, *cell - 1);
            else
                *cell = (int)k + 1;
        }
    }
    parley__free(seen);
    json_decref(empty);
}

static const char *const top_keys[] = {"meta",   "actors", "issues", "forums", "agreements",
                                       "stances", "trust",  "events", "policy", "games",
                                       NULL};

static void idtab_free(idtab *t)
{
    parley__free(t->names);
    parley__free(t->sorted);
}

parley_status parley__scenario_from_json(json_t *root, const char *display, psc_model *out,
                                         parley_error *err)
{
    memset(out, 0, sizeof *out);
    parley_error local;
    parley_error_init(&local);
    lctx ctx = {.err = &local, .file = display, .m = out};
    lctx *c = &ctx;
    c->actors = (idtab){.what = "actor", .array = "actors"};
    c->issues = (idtab){.what = "issue", .array = "issues"};
    c->forums = (idtab){.what = "forum", .array = "forums"};
    c->agreements = (idtab){.what = "agreement", .array = "agreements"};
    c->events = (idtab){.what = "event", .array = "events"};
    if (!json_is_object(root)) {
        diag(c, PARLEY_EINPUT, "", "a scenario is a JSON object (got %s)", jtype(root));
        goto done;
    }
    check_keys(c, root, "", top_keys, false);
    bool bad = false;
    json_t *actors = section_array(c, root, "actors", PARLEY_SCENARIO_MAX_ACTORS, true, &bad);
    json_t *issues = section_array(c, root, "issues", PARLEY_SCENARIO_MAX_ISSUES, true, &bad);
    bool core_bad = bad; /* without actors or issues, references cannot be checked */
    json_t *forums = section_array(c, root, "forums", PARLEY_SCENARIO_MAX_FORUMS, false, &bad);
    json_t *agreements =
        section_array(c, root, "agreements", PARLEY_SCENARIO_MAX_AGREEMENTS, false, &bad);
    json_t *events = section_array(c, root, "events", PARLEY_SCENARIO_MAX_EVENTS, false, &bad);
    size_t n_actors = actors ? json_array_size(actors) : 0;
    size_t n_issues = issues ? json_array_size(issues) : 0;
    /* stances and trust are bounded by the file size and by their duplicate rules */
    json_t *stances = section_array(c, root, "stances", (size_t)-1, false, &bad);
    json_t *trust = section_array(c, root, "trust", (size_t)-1, false, &bad);

    c->mark_n = n_actors > n_issues ? n_actors : n_issues;
    c->mark = PARLEY_NEW_ARRAY(int, c->mark_n + 1);
    c->mark_pos = PARLEY_NEW_ARRAY(int, c->mark_n + 1);
    if (!c->mark || !c->mark_pos) {
        nomem(c, "");
        goto done;
    }
    ID_PASS(c, actors, &c->actors, psc_actor, actors, n_actors);
    ID_PASS(c, issues, &c->issues, psc_issue, issues, n_issues);
    ID_PASS(c, forums, &c->forums, psc_forum, forums, n_forums);
    ID_PASS(c, agreements, &c->agreements, psc_agreement, agreements, n_agreements);
    ID_PASS(c, events, &c->events, psc_event, events, n_events);
    if (local.status == PARLEY_ENOMEM)
        goto done;

    parse_meta(c, json_object_get(root, "meta"));
    /* Before the actors: their compliance strategies may name the scenario's
     * own, resolved against its stage game. */
    parley__games_from_json(json_object_get(root, "games"), c->file, &out->games, c->err);
    if (core_bad)
        goto done;
    for (size_t i = 0; i < out->n_actors; i++)
        if (json_is_object(json_array_get(actors, i)))
            parse_actor(c, json_array_get(actors, i), i);
        else
            out->actors[i].kind = -1;
    check_actor_links(c, actors);
    for (size_t i = 0; i < out->n_issues; i++)
        if (json_is_object(json_array_get(issues, i)))
            parse_issue(c, json_array_get(issues, i), i);
    for (size_t i = 0; i < out->n_forums; i++)
        if (json_is_object(json_array_get(forums, i)))
            parse_forum(c, json_array_get(forums, i), i);
    for (size_t i = 0; i < out->n_agreements; i++)
        if (json_is_object(json_array_get(agreements, i)))
            parse_agreement(c, json_array_get(agreements, i), i);
    parse_policy(c, json_object_get(root, "policy"));
    if (out->n_actors == n_actors && out->n_issues == n_issues) {
        parse_stances(c, stances);
        parse_trust(c, trust);
    }
    for (size_t i = 0; i < out->n_events; i++)
        if (json_is_object(json_array_get(events, i)))
            parse_event(c, json_array_get(events, i), i);
    check_event_cycles(c);
    check_event_paths(c);
    (void)bad;
done:
    idtab_free(&c->actors);
    idtab_free(&c->issues);
    idtab_free(&c->forums);
    idtab_free(&c->agreements);
    idtab_free(&c->events);
    parley__free(c->mark);
    parley__free(c->mark_pos);
    parley_status st = local.status;
    if (st != PARLEY_OK) {
        parley__model_free(out);
        memset(out, 0, sizeof *out);
    }
    parley_error_append(err, &local);
    return st;
}

long parley_date_month_index(parley_date d) { return (long)d.year * 12 + d.month - 1; }
