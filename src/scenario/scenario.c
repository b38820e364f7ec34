/* The parley_scenario object: its lifetime, the accessors the CLI and the
 * bargaining converter use, built-in name resolution, and the two setters
 * (`--set` by edit-and-reload, and the fast numeric setter sweeps use). */
#include "internal.h"

#include "core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void free_actor(psc_actor *a)
{
    parley__free(a->id);
    parley__free(a->name);
    parley__free(a->contact_with);
    parley__free(a->compliance_strategy);
    parley__free(a->source);
}

void parley__model_free(psc_model *m)
{
    if (!m)
        return;
    parley__free(m->meta.name);
    parley__free(m->meta.description);
    for (size_t i = 0; i < m->meta.n_sources; i++) {
        parley__free(m->meta.sources[i].id);
        parley__free(m->meta.sources[i].citation);
        parley__free(m->meta.sources[i].url);
    }
    parley__free(m->meta.sources);
    for (size_t i = 0; i < m->n_actors; i++)
        free_actor(&m->actors[i]);
    parley__free(m->actors);
    for (size_t i = 0; i < m->n_issues; i++) {
        psc_issue *is = &m->issues[i];
        parley__free(is->id);
        parley__free(is->name);
        parley__free(is->label_0);
        parley__free(is->label_100);
        parley__free(is->source);
    }
    parley__free(m->issues);
    for (size_t i = 0; i < m->n_forums; i++) {
        psc_forum *f = &m->forums[i];
        parley__free(f->id);
        parley__free(f->name);
        parley__free(f->members);
        parley__free(f->issues);
        parley__free(f->chair.order);
        parley__free(f->location);
        parley__free(f->source);
    }
    parley__free(m->forums);
    for (size_t i = 0; i < m->n_agreements; i++) {
        psc_agreement *ag = &m->agreements[i];
        parley__free(ag->id);
        parley__free(ag->name);
        parley__free(ag->parties);
        parley__free(ag->terms);
        for (size_t k = 0; k < ag->n_obligations; k++)
            parley__free(ag->obligations[k].description);
        parley__free(ag->obligations);
        parley__free(ag->source);
    }
    parley__free(m->agreements);
    for (size_t i = 0; i < m->n_stances; i++)
        parley__free(m->stances[i].source);
    parley__free(m->stances);
    for (size_t i = 0; i < m->n_trust; i++)
        parley__free(m->trust[i].source);
    parley__free(m->trust);
    for (size_t i = 0; i < m->n_events; i++) {
        psc_event *e = &m->events[i];
        parley__free(e->id);
        parley__free(e->name);
        parley__free(e->condition.path);
        for (size_t k = 0; k < e->n_effects; k++)
            parley__free(e->effects[k].path);
        parley__free(e->effects);
        parley__free(e->narrative);
        parley__free(e->source);
    }
    parley__free(m->events);
    for (size_t i = 0; i < m->policy.n_overrides; i++)
        parley__free(m->policy.overrides[i].source);
    parley__free(m->policy.overrides);
    parley__free(m->stance_at);
    for (size_t i = 0; i < m->n_annots; i++) {
        parley__free(m->annots[i].path);
        parley__free(m->annots[i].source);
    }
    parley__free(m->annots);
    parley__games_free(&m->games);
    memset(m, 0, sizeof *m);
}

parley_status parley__scenario_index(parley_scenario *sc)
{
    parley__free(sc->unc);
    sc->unc = NULL;
    sc->n_unc = 0;
    size_t n = 0;
    for (size_t i = 0; i < sc->m.n_annots; i++)
        n += sc->m.annots[i].uncertain;
    if (!n)
        return PARLEY_OK;
    if (!(sc->unc = PARLEY_NEW_ARRAY(size_t, n)))
        return PARLEY_ENOMEM;
    for (size_t i = 0; i < sc->m.n_annots; i++)
        if (sc->m.annots[i].uncertain)
            sc->unc[sc->n_unc++] = i;
    return PARLEY_OK;
}

void parley_scenario_free(parley_scenario *sc)
{
    if (!sc)
        return;
    parley__model_free(&sc->m);
    parley__free(sc->unc);
    parley__free(sc->display);
    parley__free(sc);
}

/* A new scenario from a tree; `display` prefixes diagnostics. */
static parley_status from_tree(json_t *root, const char *display, parley_scenario **out,
                               parley_error *err)
{
    *out = NULL;
    parley_scenario *sc = PARLEY_NEW_ARRAY(parley_scenario, 1);
    if (!sc || !(sc->display = parley__strdup(display))) {
        parley__free(sc);
        parley_error_add(err, PARLEY_ENOMEM, display, "out of memory");
        /* The literal status: the analyser cannot see that parley_error_add
         * echoes it, and callers rely on "OK means *out is set". */
        return PARLEY_ENOMEM;
    }
    parley_status st = parley__scenario_from_json(root, display, &sc->m, err);
    if (st == PARLEY_OK && parley__scenario_index(sc) != PARLEY_OK)
        st = parley_error_add(err, PARLEY_ENOMEM, display, "out of memory");
    if (st != PARLEY_OK) {
        parley_scenario_free(sc);
        return st;
    }
    *out = sc;
    return PARLEY_OK;
}

parley_status parley_scenario_load_string(const char *text, size_t len, const char *display_name,
                                          parley_scenario **out, parley_error *err)
{
    *out = NULL;
    const char *display = display_name ? display_name : "<scenario>";
    json_t *root = NULL;
    parley_status st = parley__scenario_parse_text(text, len, display, &root, err);
    if (st != PARLEY_OK)
        return st;
    st = from_tree(root, display, out, err);
    json_decref(root);
    return st;
}

parley_status parley_scenario_clone(const parley_scenario *sc, parley_scenario **out,
                                    parley_error *err)
{
    *out = NULL;
    json_t *root = parley__scenario_to_json(&sc->m);
    if (!root)
        return parley_error_add(err, PARLEY_ENOMEM, sc->display, "out of memory");
    parley_status st = from_tree(root, sc->display, out, err);
    json_decref(root);
    return st;
}

parley_status parley_scenario_dump(const parley_scenario *sc, int indent, char **out,
                                   parley_error *err)
{
    *out = NULL;
    json_t *root = parley__scenario_to_json(&sc->m);
    char *text = root ? parley__json_emit(root, indent < 0 ? 0 : indent > 8 ? 8 : indent) : NULL;
    json_decref(root);
    if (!text)
        return parley_error_add(err, PARLEY_ENOMEM, sc->display, "out of memory");
    *out = text;
    return PARLEY_OK;
}

void parley_scenario_string_free(char *s) { parley__free(s); }

const char *parley_scenario_display_name(const parley_scenario *sc) { return sc->display; }

const psc_model *parley__scenario_model(const parley_scenario *sc) { return &sc->m; }
psc_model *parley__scenario_model_mut(parley_scenario *sc) { return &sc->m; }

/* ---- built-in names ------------------------------------------------------------ */

static bool is_bare_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > PARLEY_SCENARIO_MAX_ID)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
        if (!ok)
            return false;
    }
    return true;
}

parley_status parley_scenario_resolve(const char *name_or_path, char **out, parley_error *err)
{
    *out = NULL;
    size_t n = strlen(name_or_path);
    bool is_path = strchr(name_or_path, '/') != NULL ||
                   (n >= 5 && strcmp(name_or_path + n - 5, ".json") == 0);
    if (is_path || !is_bare_name(name_or_path)) {
        if (!is_path) {
            /* not a valid name: maybe a file in the current directory */
            struct stat st;
            if (stat(name_or_path, &st) != 0)
                return parley_error_add(err, PARLEY_EINPUT, name_or_path,
                                        "no such file, and not a built-in scenario name");
        }
        *out = parley__strdup(name_or_path);
        return *out ? PARLEY_OK : parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory");
    }
    const char *dir = getenv("PARLEY_SCENARIO_PATH");
    if (!dir || !dir[0])
        dir = PARLEY_SCENARIO_DIR;
    size_t len = strlen(dir) + 1 + n + 5 + 1;
    char *path = parley__malloc(len);
    if (!path)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory");
    snprintf(path, len, "%s/%s.json", dir, name_or_path);
    struct stat st;
    if (stat(path, &st) != 0) {
        /* a file of that name in the current directory is taken as a path */
        if (stat(name_or_path, &st) == 0 && S_ISREG(st.st_mode)) {
            parley__free(path);
            *out = parley__strdup(name_or_path);
            return *out ? PARLEY_OK : parley_error_add(err, PARLEY_ENOMEM, NULL, "out of memory");
        }
        parley_error_add(err, PARLEY_EINPUT, name_or_path,
                         "no built-in scenario of that name (looked for %s)", path);
        parley__free(path);
        return PARLEY_EINPUT;
    }
    *out = path;
    return PARLEY_OK;
}

parley_status parley_scenario_open(const char *name_or_path, parley_scenario **out,
                                   parley_error *err)
{
    *out = NULL;
    char *path = NULL;
    parley_status st = parley_scenario_resolve(name_or_path, &path, err);
    if (st != PARLEY_OK)
        return st;
    st = parley_scenario_load_file(path, out, err);
    parley__free(path);
    return st;
}

/* ---- --set: edit the normalised tree and reload it --------------------------------- */

static json_t *find_by(json_t *arr, const char *k1, const char *v1, const char *k2,
                       const char *v2)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        const char *a = json_string_value(json_object_get(o, k1));
        const char *b = k2 ? json_string_value(json_object_get(o, k2)) : NULL;
        if (a && strcmp(a, v1) == 0 && (!k2 || (b && strcmp(b, v2) == 0)))
            return o;
    }
    return NULL;
}

static const char *arr_id_get(const void *ctx, size_t i)
{
    return json_string_value(json_object_get(json_array_get((json_t *)ctx, i), "id"));
}

#define SEGS 16

parley_status parley_scenario_set(parley_scenario *sc, const char *path, const char *value,
                                  parley_error *err)
{
    char where[PARLEY_WHERE_MAX];
    snprintf(where, sizeof where, "--set %s=%s", path, value);
    char buf[512];
    size_t plen = strlen(path);
    if (plen == 0 || plen >= sizeof buf)
        return parley_error_add(err, PARLEY_EINPUT, where, "the path must be 1 to %zu characters",
                                sizeof buf - 1);
    memcpy(buf, path, plen + 1);
    char *seg[SEGS];
    size_t n = 0;
    for (char *p = buf;;) {
        if (n == SEGS)
            return parley_error_add(err, PARLEY_EINPUT, where, "the path has too many parts");
        seg[n++] = p;
        char *dot = strchr(p, '.');
        if (!dot)
            break;
        *dot = '\0';
        p = dot + 1;
    }
    for (size_t i = 0; i < n; i++)
        if (!seg[i][0])
            return parley_error_add(err, PARLEY_EINPUT, where, "the path has an empty part");
    /* Paths name fields and ids, which are printable ASCII; anything else
     * (invalid UTF-8 included, which JSON keys cannot hold) cannot match. */
    for (size_t k = 0; k < plen; k++)
        if ((unsigned char)path[k] < 0x21 || (unsigned char)path[k] > 0x7e)
            return parley_error_add(err, PARLEY_EINPUT, where,
                                    "the path holds a character (byte 0x%02x at %zu) that no "
                                    "field or id has",
                                    (unsigned)(unsigned char)path[k], k + 1);

    json_error_t jerr;
    json_t *val = json_loads(value, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (!val && !(val = json_string(value)))
        return parley_error_add(err, PARLEY_EINPUT, where, "the value is not valid UTF-8");
    json_t *root = parley__scenario_to_json(&sc->m);
    if (!root) {
        json_decref(val);
        return parley_error_add(err, PARLEY_ENOMEM, where, "out of memory");
    }
    static const char *const sections[] = {"meta",   "actors", "issues", "forums",
                                           "agreements", "stances", "trust", "events",
                                           "policy", "games", NULL};
    parley_status st = PARLEY_OK;
    json_t *node = json_object_get(root, seg[0]);
    size_t i = 1;
    if (!node) {
        const char *near = parley__closest_in_list(seg[0], sections);
        st = parley_error_add(err, PARLEY_EINPUT, where, "unknown section '%s'%s%s%s", seg[0],
                              near ? " (did you mean '" : "", near ? near : "",
                              near ? "'?)" : "");
        goto done;
    }
    if (json_is_array(node)) {
        bool pair = strcmp(seg[0], "stances") == 0 || strcmp(seg[0], "trust") == 0;
        if (n < (pair ? 4u : 3u)) {
            st = parley_error_add(err, PARLEY_EINPUT, where, "the path names no field of %s",
                                  seg[0]);
            goto done;
        }
        json_t *hit;
        if (pair) {
            bool stance = seg[0][0] == 's';
            hit = find_by(node, stance ? "actor" : "from", seg[1], stance ? "issue" : "to",
                          seg[2]);
            if (!hit) {
                st = parley_error_add(err, PARLEY_EINPUT, where,
                                      stance ? "there is no stance of '%s' on '%s'"
                                             : "there is no trust entry from '%s' to '%s'",
                                      seg[1], seg[2]);
                goto done;
            }
            i = 3;
        } else {
            hit = find_by(node, "id", seg[1], NULL, NULL);
            if (!hit) {
                const char *near = parley__closest(seg[1], json_array_size(node), arr_id_get, node);
                st = parley_error_add(err, PARLEY_EINPUT, where, "%s has no id '%s'%s%s%s",
                                      seg[0], seg[1], near ? " (did you mean '" : "",
                                      near ? near : "", near ? "'?)" : "");
                goto done;
            }
            i = 2;
        }
        node = hit;
    }
    /* Walk down to the parent of the last segment. */
    const char *last = NULL;
    while (i < n - 1) {
        const char *key = seg[i];
        json_t *child = json_object_get(node, key);
        if (json_is_array(child)) {
            json_t *hit = NULL;
            size_t used = 2;
            if (strcmp(key, "terms") == 0) {
                hit = find_by(child, "issue", seg[i + 1], NULL, NULL);
            } else if (strcmp(key, "sources") == 0) {
                hit = find_by(child, "id", seg[i + 1], NULL, NULL);
            } else if (strcmp(key, "overrides") == 0) {
                /* policy.overrides.ACTOR.LEVER: LEVER may contain dots */
                char lever[256] = "";
                for (size_t k = i + 2; k < n; k++) {
                    strncat(lever, seg[k], sizeof lever - strlen(lever) - 1);
                    if (k + 1 < n)
                        strncat(lever, ".", sizeof lever - strlen(lever) - 1);
                }
                if (i + 2 >= n) {
                    st = parley_error_add(err, PARLEY_EINPUT, where,
                                          "expected policy.overrides.ACTOR.LEVER");
                    goto done;
                }
                hit = find_by(child, "actor", seg[i + 1], "lever", lever);
                if (!hit) {
                    hit = json_pack("{s:s, s:s}", "actor", seg[i + 1], "lever", lever);
                    if (!hit || json_array_append_new(child, hit) != 0) {
                        st = parley_error_add(err, PARLEY_ENOMEM, where, "out of memory");
                        goto done;
                    }
                }
                node = hit;
                i = n - 1;
                last = "value";
                break;
            } else {
                char *end = NULL;
                unsigned long k = strtoul(seg[i + 1], &end, 10);
                if (end && !*end && k < json_array_size(child))
                    hit = json_array_get(child, k);
                else if (i + 1 == n - 1) {
                    used = 1; /* the last segment indexes this array: handled below */
                }
            }
            if (used == 1) {
                node = child;
                i++;
                break;
            }
            if (!hit) {
                st = parley_error_add(err, PARLEY_EINPUT, where, "'%s' has no entry '%s'", key,
                                      seg[i + 1]);
                goto done;
            }
            node = hit;
            i += used;
            continue;
        }
        if (!child) {
            if (!json_is_object(node) || !(child = json_object()) ||
                json_object_set_new(node, key, child) != 0) {
                st = parley_error_add(err, PARLEY_EINPUT, where, "the path does not name a field");
                goto done;
            }
        }
        if (!json_is_object(child)) {
            st = parley_error_add(err, PARLEY_EINPUT, where, "'%s' has no fields", key);
            goto done;
        }
        node = child;
        i++;
    }
    if (i != n - 1) {
        st = parley_error_add(err, PARLEY_EINPUT, where, "the path names no single field");
        goto done;
    }
    if (!last)
        last = seg[n - 1];
    if (json_is_array(node)) {
        char *end = NULL;
        unsigned long k = strtoul(last, &end, 10);
        if (!end || *end || k >= json_array_size(node) ||
            json_array_set(node, k, val) != 0) {
            st = parley_error_add(err, PARLEY_EINPUT, where, "no entry '%s' in that list", last);
            goto done;
        }
    } else if (json_is_object(node)) {
        /* A plain number replacing a number object keeps the number's source. */
        json_t *old = json_object_get(node, last);
        json_t *src = json_is_object(old) ? json_object_get(old, "source") : NULL;
        if (src && json_is_number(val)) {
            json_t *wrapped = json_pack("{s:O, s:O}", "value", val, "source", src);
            if (!wrapped || json_object_set_new(node, last, wrapped) != 0) {
                st = parley_error_add(err, PARLEY_ENOMEM, where, "out of memory");
                goto done;
            }
        } else if (json_object_set(node, last, val) != 0) {
            st = parley_error_add(err, PARLEY_ENOMEM, where, "out of memory");
            goto done;
        }
    } else {
        st = parley_error_add(err, PARLEY_EINPUT, where, "the path does not name a field");
        goto done;
    }
    parley_scenario *fresh = NULL;
    st = from_tree(root, where, &fresh, err);
    if (st == PARLEY_OK) {
        /* keep sc's identity: swap contents */
        parley__model_free(&sc->m);
        parley__free(sc->unc);
        sc->m = fresh->m;
        sc->unc = fresh->unc;
        sc->n_unc = fresh->n_unc;
        memset(&fresh->m, 0, sizeof fresh->m);
        fresh->unc = NULL;
        parley_scenario_free(fresh);
    }
done:
    json_decref(val);
    json_decref(root);
    return st;
}

parley_status parley_scenario_set_number(parley_scenario *sc, const char *path, double value,
                                         parley_error *err)
{
    psc_target t;
    const psc_numspec *ns = NULL;
    char why[PARLEY_WHAT_MAX - 64];
    if (!parley__scenario_resolve_spec(&sc->m, path, &t, &ns, why, sizeof why))
        return parley_error_add(err, PARLEY_EINPUT, path, "%s", why);
    if (!parley__in_range(ns, value)) {
        char rt[96];
        parley__range_text(ns, rt, sizeof rt);
        return parley_error_add(err, PARLEY_EINPUT, path, "%s (got %g)", rt, value);
    }
    if (value == 0)
        value = 0;
    parley__scenario_target_set(&sc->m, &t, value);
    /* A value outside its declared uncertainty pins it: drop the uncertainty. */
    for (size_t i = 0; i < sc->m.n_annots; i++) {
        psc_annot *a = &sc->m.annots[i];
        if (a->uncertain && strcmp(a->path, path) == 0 && !(value >= a->u.lo && value <= a->u.hi)) {
            a->uncertain = false;
            if (parley__scenario_index(sc) != PARLEY_OK)
                return parley_error_add(err, PARLEY_ENOMEM, path, "out of memory");
        }
    }
    return PARLEY_OK;
}

parley_status parley_scenario_get_number(const parley_scenario *sc, const char *path, double *out,
                                         parley_error *err)
{
    psc_target t;
    const psc_numspec *ns = NULL;
    char why[PARLEY_WHAT_MAX - 64];
    if (!parley__scenario_resolve_spec(&sc->m, path, &t, &ns, why, sizeof why))
        return parley_error_add(err, PARLEY_EINPUT, path, "%s", why);
    double v = parley__scenario_target_get(&sc->m, &t);
    if (isnan(v) && (ns->flags & NF_INHERIT)) {
        const psc_policy *po = &sc->m.policy;
        if (t.section == PSC_SEC_FORUMS && strcmp(ns->name, "side_payments") == 0)
            v = po->side_payments;
        else if (t.section == PSC_SEC_FORUMS)
            v = po->cadence_months;
        else if (strstr(ns->name, "detection"))
            v = po->verification.detection;
        else
            v = po->verification.false_alarm;
    }
    *out = v;
    return PARLEY_OK;
}

/* ---- uncertainty and sources ------------------------------------------------------- */

size_t parley_scenario_uncertainty_count(const parley_scenario *sc) { return sc->n_unc; }

const parley_uncertainty *parley_scenario_uncertainty(const parley_scenario *sc, size_t i)
{
    return i < sc->n_unc ? &sc->m.annots[sc->unc[i]].u : NULL;
}

const char *parley_scenario_number_source(const parley_scenario *sc, const char *path)
{
    for (size_t i = 0; i < sc->m.n_annots; i++)
        if (strcmp(sc->m.annots[i].path, path) == 0)
            return sc->m.annots[i].source;
    return NULL;
}

/* ---- accessors ------------------------------------------------------------------------ */

const char *parley_scenario_name(const parley_scenario *sc) { return sc->m.meta.name; }
const char *parley_scenario_description(const parley_scenario *sc)
{
    return sc->m.meta.description;
}
parley_date parley_scenario_start(const parley_scenario *sc) { return sc->m.meta.start; }
parley_date parley_scenario_horizon(const parley_scenario *sc) { return sc->m.meta.horizon; }
int parley_scenario_round_months(const parley_scenario *sc) { return sc->m.meta.round_months; }

size_t parley_scenario_rounds(const parley_scenario *sc)
{
    long months = parley_date_month_index(sc->m.meta.horizon) -
                  parley_date_month_index(sc->m.meta.start) + 1;
    long rm = sc->m.meta.round_months;
    return (size_t)((months + rm - 1) / rm);
}

size_t parley_scenario_actor_count(const parley_scenario *sc) { return sc->m.n_actors; }

bool parley_scenario_actor_find(const parley_scenario *sc, const char *id, size_t *index)
{
    for (size_t i = 0; i < sc->m.n_actors; i++)
        if (strcmp(sc->m.actors[i].id, id) == 0) {
            if (index)
                *index = i;
            return true;
        }
    return false;
}

const char *parley_scenario_actor_id(const parley_scenario *sc, size_t i)
{
    return sc->m.actors[i].id;
}
const char *parley_scenario_actor_name(const parley_scenario *sc, size_t i)
{
    return sc->m.actors[i].name;
}
parley_actor_kind parley_scenario_actor_kind(const parley_scenario *sc, size_t i)
{
    return (parley_actor_kind)sc->m.actors[i].kind;
}
double parley_scenario_actor_capability(const parley_scenario *sc, size_t i)
{
    return sc->m.actors[i].capability;
}
double parley_scenario_actor_risk(const parley_scenario *sc, size_t i)
{
    return sc->m.actors[i].risk;
}
bool parley_scenario_actor_at_table(const parley_scenario *sc, size_t i)
{
    return sc->m.actors[i].at_table;
}
bool parley_scenario_actor_parent(const parley_scenario *sc, size_t i, size_t *parent)
{
    int p = sc->m.actors[i].parent;
    if (p < 0)
        return false;
    if (parent)
        *parent = (size_t)p;
    return true;
}

const char *parley_actor_kind_name(parley_actor_kind kind)
{
    return (int)kind >= 0 && kind <= PARLEY_ACTOR_FACTION ? parley__actor_kinds[kind] : "?";
}

size_t parley_scenario_issue_count(const parley_scenario *sc) { return sc->m.n_issues; }

bool parley_scenario_issue_find(const parley_scenario *sc, const char *id, size_t *index)
{
    for (size_t i = 0; i < sc->m.n_issues; i++)
        if (strcmp(sc->m.issues[i].id, id) == 0) {
            if (index)
                *index = i;
            return true;
        }
    return false;
}

const char *parley_scenario_issue_id(const parley_scenario *sc, size_t i)
{
    return sc->m.issues[i].id;
}
const char *parley_scenario_issue_name(const parley_scenario *sc, size_t i)
{
    return sc->m.issues[i].name;
}
parley_issue_kind parley_scenario_issue_kind(const parley_scenario *sc, size_t i)
{
    return (parley_issue_kind)sc->m.issues[i].kind;
}
double parley_scenario_issue_status_quo(const parley_scenario *sc, size_t i)
{
    return sc->m.issues[i].status_quo;
}
void parley_scenario_issue_scale(const parley_scenario *sc, size_t i, double *lo, double *hi)
{
    (void)sc;
    (void)i;
    if (lo)
        *lo = 0;
    if (hi)
        *hi = 100;
}
const char *parley_scenario_issue_label(const parley_scenario *sc, size_t i, bool high)
{
    return high ? sc->m.issues[i].label_100 : sc->m.issues[i].label_0;
}

const char *parley_issue_kind_name(parley_issue_kind kind)
{
    return (int)kind >= 0 && kind <= PARLEY_ISSUE_PROCEDURAL ? parley__issue_kinds[kind] : "?";
}

bool parley_scenario_stance(const parley_scenario *sc, size_t actor, size_t issue,
                            double *position, double *salience)
{
    int k = -1;
    if (actor < sc->m.n_actors && issue < sc->m.n_issues)
        k = sc->m.stance_at[actor * sc->m.n_issues + issue];
    if (position)
        *position = k >= 0 ? sc->m.stances[k].position : NAN;
    if (salience)
        *salience = k >= 0 ? sc->m.stances[k].salience : 0;
    return k >= 0;
}
