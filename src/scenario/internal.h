/* Declarations shared between the files of the scenario module (not a public
 * or cross-module interface: other modules use model.h). The number tables here
 * are the single statement of every numeric field's name, range and role; the
 * loader, the dumper and the path resolver all read them. */
#ifndef PARLEY_SCENARIO_INTERNAL_H
#define PARLEY_SCENARIO_INTERNAL_H

#include "model.h"

#include <jansson.h>
#include <stddef.h>

struct parley_scenario {
    char *display;  /* the name diagnostics are prefixed with */
    psc_model m;
    size_t *unc;    /* indices into m.annots of the uncertain entries */
    size_t n_unc;
};

enum {
    NF_LO_OPEN = 1u,  /* lo is excluded */
    NF_HI_OPEN = 2u,  /* hi is excluded */
    NF_REQUIRED = 4u, /* no default: must be written */
    NF_PRIM = 8u,     /* an event may change it */
    NF_INHERIT = 16u, /* absent means NAN (inherit a policy value) */
    NF_DERIVED = 32u, /* computed from other fields (trust mean, strength) */
    NF_LOADER = 64u   /* read by hand-written loader code, not generically */
};

/* One numeric field: `name` may be dotted ("verification.detection") when the
 * field sits in a nested object. */
typedef struct psc_numspec {
    const char *name;
    size_t off;
    double lo, hi;
    unsigned flags;
    double def;
} psc_numspec;

typedef struct psc_numtable {
    const psc_numspec *f;
    size_t n;
} psc_numtable;

/* The number table of each PSC_SEC_* section (PSC_SEC_META has none). */
extern const psc_numtable parley__numtables[];
/* The spec of lever PSC_LEVER_* in the policy table. */
const psc_numspec *parley__lever_spec(int lever);

/* Optimal-string-alignment edit distance, capped: returns cap + 1 as soon as
 * the distance exceeds `cap`. */
size_t parley__edit_distance(const char *a, const char *b, size_t cap);
/* The candidate closest to `word` within distance 2 (and less than its length),
 * or NULL. `get` returns the i-th candidate (NULL entries are skipped). */
const char *parley__closest(const char *word, size_t n,
                            const char *(*get)(const void *ctx, size_t i), const void *ctx);
const char *parley__closest_in_list(const char *word, const char *const *list);

/* Like parley__scenario_resolve_number (model.h) but returns the field's spec. */
bool parley__scenario_resolve_spec(const psc_model *m, const char *path, psc_target *t,
                                   const psc_numspec **spec, char *why, size_t why_size);

/* Describes a numeric range for messages: "must be in [0, 1]". */
void parley__range_text(const psc_numspec *ns, char *buf, size_t size);
bool parley__in_range(const psc_numspec *ns, double v);

/* Builds a model from a parsed JSON tree. On failure the model is freed and
 * `err` holds every problem, prefixed with `display`. */
parley_status parley__scenario_from_json(json_t *root, const char *display, psc_model *out,
                                         parley_error *err);
/* The normalised JSON tree of a model (NULL without memory). */
json_t *parley__scenario_to_json(const psc_model *m);
/* Serialises a tree with shortest round-trip numbers; caller frees. */
char *parley__json_emit(const json_t *v, int indent);

void parley__model_free(psc_model *m);

/* The "games" section (games.c). parley__games_from_json reads `v` (NULL when
 * the scenario has none) into *g, appending every problem to err located as
 * "file: games...."; *g is always left freeable. */
void parley__games_default(psc_games *g);
void parley__games_from_json(json_t *v, const char *file, psc_games *g, parley_error *err);
void parley__games_free(psc_games *g);
json_t *parley__games_to_json(const psc_games *g);
/* Compiles one definition against `game`. Errors: as parley_strategy_from_table. */
parley_status parley__scenario_strategy_def(const psc_strategy_def *d,
                                            const parley_stage_game *game,
                                            parley_strategy **out, parley_error *err);

/* Fills sc->unc from sc->m.annots. */
parley_status parley__scenario_index(parley_scenario *sc);

/* Reads a file (at most PARLEY_SCENARIO_MAX_BYTES) and parses it, checking the
 * nesting depth first. */
parley_status parley__scenario_parse_text(const char *text, size_t len, const char *display,
                                          json_t **out, parley_error *err);

#endif
