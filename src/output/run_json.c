/* A run as JSON for machines: the summary, every log entry with names
 * resolved, and the monthly series of support and beliefs. */
#include "parley/output.h"

#include "scenario/model.h"

#include <jansson.h>
#include <math.h>

static const char *const kind_names[] = {
    "event",     "meeting",  "absent",   "agenda",      "refused",     "proposal",
    "no_proposal", "agreement", "ratified", "blocked",  "alarm",       "inspection",
    "refused_inspection", "rung", "withdrawal", "back_burner", "resumed", "collapse", "treaty",
    "rejected", "amended", "attends", "undated"};

_Static_assert(sizeof kind_names / sizeof kind_names[0] == PARLEY_LOG_UNDATED + 1,
               "one name per log kind");

static json_t *id_or_null(const char *id) { return id ? json_string(id) : json_null(); }
static json_t *number_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *entry_json(const psc_model *m, const parley_log_entry *e)
{
    char date[16];
    snprintf(date, sizeof date, "%04d-%02d", e->date.year, e->date.month);
    json_t *o = json_object();
    json_object_set_new(o, "round", json_integer(e->round));
    json_object_set_new(o, "date", json_string(date));
    json_object_set_new(o, "kind", json_string(kind_names[e->kind]));
    json_object_set_new(o, "forum", id_or_null(e->forum >= 0 ? m->forums[e->forum].id : NULL));
    json_object_set_new(o, "actor", id_or_null(e->actor >= 0 ? m->actors[e->actor].id : NULL));
    json_object_set_new(o, "other", id_or_null(e->other >= 0 ? m->actors[e->other].id : NULL));
    json_object_set_new(o, "issue", id_or_null(e->issue >= 0 ? m->issues[e->issue].id : NULL));
    if (e->kind == PARLEY_LOG_EVENT)
        json_object_set_new(o, "event", json_string(m->events[e->index].id));
    json_object_set_new(o, "value", number_or_null(e->value));
    json_object_set_new(o, "value2", number_or_null(e->value2));
    if (e->kind == PARLEY_LOG_ATTENDS || e->kind == PARLEY_LOG_ABSENT)
        json_object_set_new(o, "value3", number_or_null(e->value3));
    return o;
}

bool parley_write_run_json(const parley_sim *sim, uint64_t seed, FILE *out)
{
    const psc_model *m = parley__scenario_model(parley_sim_scenario(sim));
    const parley_run_summary *s = parley_sim_summary(sim);
    const parley_sim_series *series = parley_sim_get_series(sim);
    size_t n = m->n_actors;
    json_t *root = json_object();
    json_object_set_new(root, "scenario", json_string(m->meta.name));
    json_object_set_new(root, "seed", json_integer((json_int_t)seed));
    uint64_t ran_seed;
    uint32_t draw, run;
    parley_sim_stream(sim, &ran_seed, &draw, &run);
    json_object_set_new(root, "draw", json_integer((json_int_t)draw));
    json_object_set_new(root, "run", json_integer((json_int_t)run));
    json_t *sum = json_object();
    json_object_set_new(sum, "outcome", json_string(parley_outcome_name(s->outcome)));
    json_object_set_new(sum, "outcome_round", s->outcome_round >= 0 ? json_integer(s->outcome_round) : json_null());
    json_object_set_new(sum, "treaty_extent",
                        isnan(s->treaty_extent) ? json_null() : json_real(s->treaty_extent));
    json_object_set_new(sum, "rounds", json_integer(s->rounds));
    json_object_set_new(sum, "cbm_rungs", json_integer(s->cbm_rungs));
    json_object_set_new(sum, "agreements_signed", json_integer(s->agreements));
    json_object_set_new(sum, "alarms_true", json_integer(s->alarms_true));
    json_object_set_new(sum, "alarms_false", json_integer(s->alarms_false));
    json_object_set_new(sum, "inspections", json_integer(s->inspections));
    json_object_set_new(sum, "inspections_refused", json_integer(s->inspections_refused));
    json_t *agreements = json_array();
    for (size_t g = 0; g < s->n_agreements; g++) {
        const parley_agreement_record *r = &s->agreement[g];
        json_t *a = json_object();
        json_object_set_new(a, "name", json_string(r->name));
        json_object_set_new(a, "forum", id_or_null(r->forum >= 0 ? m->forums[r->forum].id : NULL));
        json_object_set_new(a, "signed_round", r->signed_round >= 0 ? json_integer(r->signed_round) : json_null());
        json_object_set_new(a, "ended_round", r->ended_round >= 0 ? json_integer(r->ended_round) : json_null());
        json_object_set_new(a, "ended_by", id_or_null(r->ended_by >= 0 ? m->actors[r->ended_by].id : NULL));
        json_object_set_new(a, "amended_round", r->amended_round >= 0 ? json_integer(r->amended_round) : json_null());
        json_object_set_new(a, "replaced", json_boolean(r->replaced));
        json_object_set_new(a, "procedural", json_boolean(r->procedural));
        json_object_set_new(a, "months_implemented", json_integer(r->months_implemented));
        json_array_append_new(agreements, a);
    }
    json_object_set_new(sum, "agreements", agreements);
    json_t *forums = json_array();
    for (size_t f = 0; f < m->n_forums; f++) {
        json_t *o = json_object();
        json_object_set_new(o, "forum", json_string(m->forums[f].id));
        json_object_set_new(o, "meetings", json_integer(s->meetings[f]));
        json_object_set_new(o, "first_meeting_round", s->first_meeting_round[f] >= 0 ? json_integer(s->first_meeting_round[f]) : json_null());
        json_object_set_new(o, "months_participation", json_integer(s->months_participation[f]));
        json_array_append_new(forums, o);
    }
    json_object_set_new(sum, "forums", forums);
    json_object_set_new(root, "summary", sum);
    json_t *log = json_array();
    for (size_t i = 0; i < parley_sim_log_count(sim); i++)
        json_array_append_new(log, entry_json(m, parley_sim_log(sim, i)));
    json_object_set_new(root, "log", log);
    json_t *rounds = json_array();
    for (size_t r = 0; r < series->rounds; r++) {
        json_t *o = json_object(), *support = json_object(), *beliefs = json_object();
        for (size_t a = 0; a < n; a++) {
            if (m->actors[a].kind != PARLEY_ACTOR_PRINCIPAL)
                continue;
            json_object_set_new(support, m->actors[a].id, json_real(series->support[r * n + a]));
            json_t *row = json_object();
            for (size_t b = 0; b < n; b++)
                if (b != a && m->actors[b].kind == PARLEY_ACTOR_PRINCIPAL)
                    json_object_set_new(row, m->actors[b].id,
                                        json_real(series->belief_mean[(r * n + a) * n + b]));
            json_object_set_new(beliefs, m->actors[a].id, row);
        }
        json_object_set_new(o, "round", json_integer((json_int_t)r));
        json_object_set_new(o, "support", support);
        json_object_set_new(o, "belief", beliefs);
        json_array_append_new(rounds, o);
    }
    json_object_set_new(root, "series", rounds);
    int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_REAL_PRECISION(6));
    json_decref(root);
    fputc('\n', out);
    return rc == 0 && !ferror(out);
}
