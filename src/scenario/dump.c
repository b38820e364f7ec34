/* The normalised scenario: a JSON tree with every default written, in a fixed
 * key order, and numbers printed in their shortest round-trip form, so that
 * load -> dump -> load gives the identical model and dumps are byte-stable. The
 * same tree is what `--set` edits and reloads. */
#include "internal.h"

#include "core/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dctx {
    const psc_model *m;
    const psc_annot **sorted; /* annotations by path */
    size_t n;
    bool fail;
} dctx;

static int annot_cmp(const void *a, const void *b)
{
    return strcmp((*(const psc_annot *const *)a)->path, (*(const psc_annot *const *)b)->path);
}

static int annot_key_cmp(const void *key, const void *elem)
{
    return strcmp(key, (*(const psc_annot *const *)elem)->path);
}

static const psc_annot *find_annot(const dctx *d, const char *path)
{
    if (!d->n)
        return NULL;
    const psc_annot *const *hit = bsearch(path, d->sorted, d->n, sizeof(const psc_annot *), annot_key_cmp);
    return hit ? *hit : NULL;
}

static void put(dctx *d, json_t *obj, const char *key, json_t *v)
{
    if (!v || json_object_set_new(obj, key, v) != 0)
        d->fail = true;
}

static void push(dctx *d, json_t *arr, json_t *v)
{
    if (!v || json_array_append_new(arr, v) != 0)
        d->fail = true;
}

static json_t *str(const char *s) { return json_string(s ? s : ""); }

static json_t *date(parley_date dt)
{
    char buf[32];
    if (dt.day)
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", dt.year, dt.month, dt.day);
    else
        snprintf(buf, sizeof buf, "%04d-%02d", dt.year, dt.month);
    return json_string(buf);
}

static json_t *range(dctx *d, double lo, double hi)
{
    json_t *r = json_array();
    if (r) {
        push(d, r, json_real(lo));
        push(d, r, json_real(hi));
    }
    return r;
}

/* A number, in object form when its path carries a source or an uncertainty. */
static json_t *num(dctx *d, double v, const char *path)
{
    const psc_annot *a = path ? find_annot(d, path) : NULL;
    if (!a)
        return json_real(v);
    json_t *o = json_object();
    if (!o)
        return NULL;
    put(d, o, "value", json_real(v));
    if (a->source)
        put(d, o, "source", str(a->source));
    if (a->uncertain) {
        const parley_uncertainty *u = &a->u;
        put(d, o, "dist", str(parley__dists[u->dist]));
        if (u->dist != PARLEY_DIST_NORMAL || a->has_range)
            put(d, o, "range", range(d, u->lo, u->hi));
        if (u->dist == PARLEY_DIST_NORMAL)
            put(d, o, "sd", json_real(u->sd));
        if (u->dist == PARLEY_DIST_TRIANGULAR)
            put(d, o, "mode", json_real(u->mode));
        if (u->dist == PARLEY_DIST_BETA) {
            put(d, o, "a", json_real(u->a));
            put(d, o, "b", json_real(u->b));
        }
    }
    return o;
}

/* Writes the numbers of `tab` named prefix + key (skipping NF_LOADER ones and,
 * when absent, inherited ones). `ap` is the owner's path. */
static void nums(dctx *d, json_t *o, const psc_numtable *tab, const char *prefix,
                 const void *base, const char *ap)
{
    size_t plen = strlen(prefix);
    for (size_t i = 0; i < tab->n; i++) {
        const psc_numspec *ns = &tab->f[i];
        if ((ns->flags & NF_LOADER) || strncmp(ns->name, prefix, plen) != 0 ||
            strchr(ns->name + plen, '.'))
            continue;
        double v;
        memcpy(&v, (const char *)base + ns->off, sizeof v);
        if ((ns->flags & NF_INHERIT) && isnan(v))
            continue;
        char path[PARLEY_WHERE_MAX];
        snprintf(path, sizeof path, "%s.%s", ap, ns->name);
        put(d, o, ns->name + plen, num(d, v, path));
    }
}

/* The ids of actors (issues false) or issues (true) given by index. */
static json_t *ref_list(dctx *d, const int *idx, size_t n, bool issues)
{
    json_t *a = json_array();
    if (!a)
        return NULL;
    for (size_t i = 0; i < n; i++)
        push(d, a, str(issues ? d->m->issues[idx[i]].id : d->m->actors[idx[i]].id));
    return a;
}

static json_t *id_list(dctx *d, const int *idx, size_t n) { return ref_list(d, idx, n, false); }

static json_t *dump_meta(dctx *d)
{
    const psc_meta *mt = &d->m->meta;
    json_t *o = json_object(), *src = json_array();
    if (!o || !src) {
        json_decref(o);
        json_decref(src);
        return NULL;
    }
    put(d, o, "name", str(mt->name));
    put(d, o, "description", str(mt->description));
    for (size_t i = 0; i < mt->n_sources; i++) {
        const psc_source *s = &mt->sources[i];
        json_t *so = json_object();
        if (!so) {
            d->fail = true;
            break;
        }
        put(d, so, "id", str(s->id));
        put(d, so, "citation", str(s->citation));
        if (s->url)
            put(d, so, "url", str(s->url));
        if (s->date.year)
            put(d, so, "date", date(s->date));
        push(d, src, so);
    }
    put(d, o, "sources", src);
    put(d, o, "start", date(mt->start));
    put(d, o, "horizon", date(mt->horizon));
    put(d, o, "round_months", json_integer(mt->round_months));
    return o;
}

static json_t *dump_actor(dctx *d, const psc_actor *a)
{
    const psc_model *m = d->m;
    json_t *o = json_object();
    if (!o)
        return NULL;
    char ap[PARLEY_WHERE_MAX];
    snprintf(ap, sizeof ap, "actors.%s", a->id);
    put(d, o, "id", str(a->id));
    put(d, o, "name", str(a->name));
    put(d, o, "kind", str(parley__actor_kinds[a->kind]));
    if (a->parent >= 0)
        put(d, o, "parent", str(m->actors[a->parent].id));
    put(d, o, "at_table", json_boolean(a->at_table));
    json_t *veto = json_array();
    if (veto) {
        if (a->veto & PSC_VETO_RATIFICATION)
            push(d, veto, str("ratification"));
        if (a->veto & PSC_VETO_IMPLEMENTATION)
            push(d, veto, str("implementation"));
    }
    put(d, o, "veto", veto);
    nums(d, o, &parley__numtables[PSC_SEC_ACTORS], "", a, ap);
    put(d, o, "compliance_strategy", str(a->compliance_strategy));
    if (a->leans_toward >= 0)
        put(d, o, "leans_toward", str(m->actors[a->leans_toward].id));
    if (a->n_contact_with)
        put(d, o, "contact_with", id_list(d, a->contact_with, a->n_contact_with));
    if (a->source)
        put(d, o, "source", str(a->source));
    return o;
}

static json_t *dump_issue(dctx *d, const psc_issue *is)
{
    json_t *o = json_object(), *v = json_object();
    if (!o || !v) {
        json_decref(o);
        json_decref(v);
        return NULL;
    }
    char ap[PARLEY_WHERE_MAX];
    snprintf(ap, sizeof ap, "issues.%s", is->id);
    const psc_numtable *tab = &parley__numtables[PSC_SEC_ISSUES];
    put(d, o, "id", str(is->id));
    put(d, o, "name", str(is->name));
    put(d, o, "kind", str(parley__issue_kinds[is->kind]));
    put(d, o, "rung", json_integer(is->rung));
    put(d, o, "label_0", str(is->label_0));
    put(d, o, "label_100", str(is->label_100));
    nums(d, o, tab, "", is, ap);
    nums(d, v, tab, "verification.", is, ap);
    put(d, v, "inspectable", json_boolean(is->verification.inspectable));
    put(d, o, "verification", v);
    if (is->source)
        put(d, o, "source", str(is->source));
    return o;
}

static json_t *dump_forum(dctx *d, const psc_forum *f)
{
    json_t *o = json_object(), *ch = json_object();
    if (!o || !ch) {
        json_decref(o);
        json_decref(ch);
        return NULL;
    }
    char ap[PARLEY_WHERE_MAX];
    snprintf(ap, sizeof ap, "forums.%s", f->id);
    put(d, o, "id", str(f->id));
    put(d, o, "name", str(f->name));
    put(d, o, "members", id_list(d, f->members, f->n_members));
    put(d, ch, "rotation", str(parley__chair_rotations[f->chair.rotation]));
    if (f->chair.n_order)
        put(d, ch, "order", id_list(d, f->chair.order, f->chair.n_order));
    put(d, o, "chair", ch);
    nums(d, o, &parley__numtables[PSC_SEC_FORUMS], "", f, ap);
    put(d, o, "agenda", str(parley__agendas[f->agenda]));
    put(d, o, "convening", str(parley__convenings[f->convening]));
    put(d, o, "location", str(f->location));
    if (f->start.year)
        put(d, o, "start", date(f->start));
    if (f->n_issues)
        put(d, o, "issues", ref_list(d, f->issues, f->n_issues, true));
    if (f->source)
        put(d, o, "source", str(f->source));
    return o;
}

static json_t *dump_agreement(dctx *d, const psc_agreement *ag)
{
    const psc_model *m = d->m;
    json_t *o = json_object(), *terms = json_array(), *obl = json_array();
    if (!o || !terms || !obl) {
        json_decref(o);
        json_decref(terms);
        json_decref(obl);
        return NULL;
    }
    put(d, o, "id", str(ag->id));
    put(d, o, "name", str(ag->name));
    put(d, o, "in_force", date(ag->in_force));
    put(d, o, "parties", id_list(d, ag->parties, ag->n_parties));
    char ap[PARLEY_WHERE_MAX];
    for (size_t k = 0; k < ag->n_terms; k++) {
        const psc_term *t = &ag->terms[k];
        json_t *to = json_object();
        if (!to) {
            d->fail = true;
            break;
        }
        snprintf(ap, sizeof ap, "agreements.%s.terms.%s", ag->id, m->issues[t->issue].id);
        put(d, to, "issue", str(m->issues[t->issue].id));
        nums(d, to, &parley__numtables[PSC_SEC_AGREEMENT_TERMS], "", t, ap);
        push(d, terms, to);
    }
    put(d, o, "terms", terms);
    for (size_t k = 0; k < ag->n_obligations; k++) {
        const psc_obligation *ob = &ag->obligations[k];
        json_t *oo = json_object();
        if (!oo) {
            d->fail = true;
            break;
        }
        snprintf(ap, sizeof ap, "agreements.%s.obligations.%zu", ag->id, k);
        put(d, oo, "actor", str(m->actors[ob->actor].id));
        put(d, oo, "issue", str(m->issues[ob->issue].id));
        nums(d, oo, &parley__numtables[PSC_SEC_AGREEMENT_OBLIGATIONS], "", ob, ap);
        put(d, oo, "description", str(ob->description));
        push(d, obl, oo);
    }
    put(d, o, "obligations", obl);
    if (ag->source)
        put(d, o, "source", str(ag->source));
    return o;
}

static json_t *dump_stance(dctx *d, const psc_stance *s)
{
    const psc_model *m = d->m;
    json_t *o = json_object();
    if (!o)
        return NULL;
    char ap[PARLEY_WHERE_MAX];
    snprintf(ap, sizeof ap, "stances.%s.%s", m->actors[s->actor].id, m->issues[s->issue].id);
    put(d, o, "actor", str(m->actors[s->actor].id));
    put(d, o, "issue", str(m->issues[s->issue].id));
    nums(d, o, &parley__numtables[PSC_SEC_STANCES], "", s, ap);
    if (s->source)
        put(d, o, "source", str(s->source));
    return o;
}

static json_t *dump_trust(dctx *d, const psc_trust *t)
{
    const psc_model *m = d->m;
    json_t *o = json_object();
    if (!o)
        return NULL;
    char ap[PARLEY_WHERE_MAX], p[PARLEY_WHERE_MAX];
    snprintf(ap, sizeof ap, "trust.%s.%s", m->actors[t->from].id, m->actors[t->to].id);
    put(d, o, "from", str(m->actors[t->from].id));
    put(d, o, "to", str(m->actors[t->to].id));
    const char *k1 = t->by_mean ? "mean" : "alpha", *k2 = t->by_mean ? "strength" : "beta";
    snprintf(p, sizeof p, "%s.%s", ap, k1);
    put(d, o, k1, num(d, t->by_mean ? t->mean : t->alpha, p));
    snprintf(p, sizeof p, "%s.%s", ap, k2);
    put(d, o, k2, num(d, t->by_mean ? t->strength : t->beta, p));
    if (t->source)
        put(d, o, "source", str(t->source));
    return o;
}

static json_t *dump_event(dctx *d, const psc_event *e)
{
    const psc_model *m = d->m;
    json_t *o = json_object(), *effects = json_array();
    if (!o || !effects) {
        json_decref(o);
        json_decref(effects);
        return NULL;
    }
    char ap[PARLEY_WHERE_MAX], p[PARLEY_WHERE_MAX];
    snprintf(ap, sizeof ap, "events.%s", e->id);
    put(d, o, "id", str(e->id));
    put(d, o, "name", str(e->name));
    if (e->date.year) {
        put(d, o, "date", date(e->date));
        snprintf(p, sizeof p, "%s.probability", ap);
        put(d, o, "probability", num(d, e->probability, p));
    } else {
        json_t *hz = json_object();
        if (hz) {
            nums(d, hz, &parley__numtables[PSC_SEC_EVENTS], "hazard.", e, ap);
            if (e->hazard.from.year)
                put(d, hz, "from", date(e->hazard.from));
            if (e->hazard.to.year)
                put(d, hz, "to", date(e->hazard.to));
        }
        put(d, o, "hazard", hz);
    }
    const psc_condition *cd = &e->condition;
    if (cd->kind != PSC_COND_NONE) {
        json_t *co = json_object();
        if (co && cd->kind == PSC_COND_AFTER) {
            put(d, co, "after", str(m->events[cd->after].id));
        } else if (co) {
            const char *key = cd->kind == PSC_COND_ABOVE ? "above" : "below";
            put(d, co, "path", str(cd->path));
            snprintf(p, sizeof p, "%s.condition.%s", ap, key);
            put(d, co, key, num(d, cd->threshold, p));
        }
        put(d, o, "condition", co);
    }
    static const char *const ops[] = {"set", "add", "multiply"};
    for (size_t k = 0; k < e->n_effects; k++) {
        const psc_effect *ef = &e->effects[k];
        json_t *eo = json_object();
        if (!eo) {
            d->fail = true;
            break;
        }
        put(d, eo, "path", str(ef->path));
        snprintf(p, sizeof p, "%s.effects.%zu.%s", ap, k, ops[ef->op]);
        put(d, eo, ops[ef->op], num(d, ef->value, p));
        push(d, effects, eo);
    }
    put(d, o, "effects", effects);
    put(d, o, "narrative", str(e->narrative));
    if (e->source)
        put(d, o, "source", str(e->source));
    return o;
}

static json_t *dump_policy(dctx *d)
{
    const psc_model *m = d->m;
    const psc_policy *po = &m->policy;
    const psc_numtable *tab = &parley__numtables[PSC_SEC_POLICY];
    json_t *o = json_object(), *v = json_object(), *ov = json_array();
    if (!o || !v || !ov) {
        json_decref(o);
        json_decref(v);
        json_decref(ov);
        return NULL;
    }
    put(d, o, "linkage", str(parley__linkages[po->linkage]));
    put(d, o, "sequencing", str(parley__sequencings[po->sequencing]));
    put(d, o, "inform_observers", json_boolean(po->inform_observers));
    nums(d, o, tab, "", po, "policy");
    nums(d, v, tab, "verification.", po, "policy");
    put(d, v, "inspections", json_boolean(po->verification.inspections));
    put(d, o, "verification", v);
    for (size_t k = 0; k < po->n_overrides; k++) {
        const psc_override *x = &po->overrides[k];
        json_t *xo = json_object();
        if (!xo) {
            d->fail = true;
            break;
        }
        char p[PARLEY_WHERE_MAX];
        snprintf(p, sizeof p, "policy.overrides.%s.%s", m->actors[x->actor].id,
                 parley__lever_names[x->lever]);
        put(d, xo, "actor", str(m->actors[x->actor].id));
        put(d, xo, "lever", str(parley__lever_names[x->lever]));
        put(d, xo, "value", num(d, x->value, p));
        if (x->source)
            put(d, xo, "source", str(x->source));
        push(d, ov, xo);
    }
    put(d, o, "overrides", ov);
    return o;
}

json_t *parley__scenario_to_json(const psc_model *m)
{
    dctx d = {.m = m};
    if (m->n_annots) {
        d.sorted = PARLEY_NEW_ARRAY(const psc_annot *, m->n_annots);
        if (!d.sorted)
            return NULL;
        for (size_t i = 0; i < m->n_annots; i++)
            d.sorted[i] = &m->annots[i];
        d.n = m->n_annots;
        qsort(d.sorted, d.n, sizeof(const psc_annot *), annot_cmp);
    }
    json_t *root = json_object();
    json_t *arrays[7];
    for (int i = 0; i < 7; i++)
        arrays[i] = json_array();
    if (!root)
        d.fail = true;
    put(&d, root, "meta", dump_meta(&d));
    for (size_t i = 0; i < m->n_actors; i++)
        push(&d, arrays[0], dump_actor(&d, &m->actors[i]));
    for (size_t i = 0; i < m->n_issues; i++)
        push(&d, arrays[1], dump_issue(&d, &m->issues[i]));
    for (size_t i = 0; i < m->n_forums; i++)
        push(&d, arrays[2], dump_forum(&d, &m->forums[i]));
    for (size_t i = 0; i < m->n_agreements; i++)
        push(&d, arrays[3], dump_agreement(&d, &m->agreements[i]));
    for (size_t i = 0; i < m->n_stances; i++)
        push(&d, arrays[4], dump_stance(&d, &m->stances[i]));
    for (size_t i = 0; i < m->n_trust; i++)
        push(&d, arrays[5], dump_trust(&d, &m->trust[i]));
    for (size_t i = 0; i < m->n_events; i++)
        push(&d, arrays[6], dump_event(&d, &m->events[i]));
    static const char *const names[] = {"actors",  "issues", "forums", "agreements",
                                        "stances", "trust",  "events"};
    for (int i = 0; i < 7; i++)
        put(&d, root, names[i], arrays[i]);
    put(&d, root, "policy", dump_policy(&d));
    /* Only when written, so scenarios without games dump as they always have. */
    if (m->games.present)
        put(&d, root, "games", parley__games_to_json(&m->games));
    parley__free(d.sorted);
    if (d.fail) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* ---- the emitter ---------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
    bool fail;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t len)
{
    if (b->fail)
        return;
    if (b->n + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + len + 1)
            cap *= 2;
        char *grown = parley__realloc_array(b->p, cap, 1);
        if (!grown) {
            b->fail = true;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_quoted(sbuf *b, const char *s, size_t len)
{
    sb_put(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        const char *esc = NULL;
        char ubuf[8];
        switch (ch) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\t': esc = "\\t"; break;
        case '\r': esc = "\\r"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (ch < 0x20) {
                snprintf(ubuf, sizeof ubuf, "\\u%04x", ch);
                esc = ubuf;
            }
        }
        if (esc) {
            sb_put(b, s + i - run, run);
            run = 0;
            sb_str(b, esc);
        } else {
            run++;
        }
    }
    sb_put(b, s + len - run, run);
    sb_put(b, "\"", 1);
}

/* The shortest decimal that reads back as the same double. */
static void sb_number(sbuf *b, double x)
{
    char buf[40];
    if (x > -9007199254740992.0 && x < 9007199254740992.0 && x == (double)(long long)x) {
        snprintf(buf, sizeof buf, "%lld", (long long)x);
    } else {
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, x);
            if (strtod(buf, NULL) == x)
                break;
        }
    }
    sb_str(b, buf);
}

static bool scalar(const json_t *v) { return !json_is_object(v) && !json_is_array(v); }

static void newline(sbuf *b, int indent, int level)
{
    if (indent <= 0)
        return;
    sb_put(b, "\n", 1);
    for (int i = 0; i < indent * level; i++)
        sb_put(b, " ", 1);
}

static void emit(sbuf *b, const json_t *v, int indent, int level)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        if (json_object_size(v) == 0) {
            sb_str(b, "{}");
            break;
        }
        sb_put(b, "{", 1);
        const char *key;
        json_t *val;
        bool first = true;
        json_object_foreach((json_t *)v, key, val)
        {
            if (!first)
                sb_put(b, ",", 1);
            first = false;
            newline(b, indent, level + 1);
            sb_quoted(b, key, strlen(key));
            sb_str(b, indent > 0 ? ": " : ":");
            emit(b, val, indent, level + 1);
        }
        newline(b, indent, level);
        sb_put(b, "}", 1);
        break;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(v);
        if (n == 0) {
            sb_str(b, "[]");
            break;
        }
        bool flat = true;
        for (size_t i = 0; i < n; i++)
            flat &= scalar(json_array_get(v, i));
        sb_put(b, "[", 1);
        for (size_t i = 0; i < n; i++) {
            if (i)
                sb_str(b, flat && indent > 0 ? ", " : ",");
            if (!flat)
                newline(b, indent, level + 1);
            emit(b, json_array_get(v, i), indent, level + 1);
        }
        if (!flat)
            newline(b, indent, level);
        sb_put(b, "]", 1);
        break;
    }
    case JSON_STRING: sb_quoted(b, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        sb_str(b, buf);
        break;
    }
    case JSON_REAL: sb_number(b, json_real_value(v)); break;
    case JSON_TRUE: sb_str(b, "true"); break;
    case JSON_FALSE: sb_str(b, "false"); break;
    default: sb_str(b, "null"); break;
    }
}

char *parley__json_emit(const json_t *v, int indent)
{
    sbuf b = {NULL, 0, 0, false};
    emit(&b, v, indent, 0);
    if (indent > 0)
        sb_put(&b, "\n", 1);
    if (b.fail) {
        parley__free(b.p);
        return NULL;
    }
    return b.p;
}
