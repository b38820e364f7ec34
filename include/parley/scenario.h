/* Scenarios: the JSON description of a negotiation (docs/FORMAT.md), loaded,
 * validated and normalised into an opaque parley_scenario. Everything a run
 * needs is read through the accessors below (the process simulator reads the
 * full model through the internal src/scenario/model.h). Fields are addressed by
 * paths such as `actors.DPRK.capability` for `--set`, event effects and the
 * uncertainty side table that sweeps draw from. */
#ifndef PARLEY_SCENARIO_H
#define PARLEY_SCENARIO_H

#include "parley/error.h"
#include "parley/game.h"
#include "parley/rng.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Documented limits (docs/FORMAT.md); exceeding one is a PARLEY_ELIMIT error. */
#define PARLEY_SCENARIO_MAX_BYTES ((size_t)16 * 1024 * 1024)
#define PARLEY_SCENARIO_MAX_DEPTH 64
#define PARLEY_SCENARIO_MAX_ACTORS 1000
#define PARLEY_SCENARIO_MAX_ISSUES 500
#define PARLEY_SCENARIO_MAX_FORUMS 100
#define PARLEY_SCENARIO_MAX_AGREEMENTS 500
#define PARLEY_SCENARIO_MAX_EVENTS 10000
#define PARLEY_SCENARIO_MAX_ITEMS 1000 /* effects, terms, obligations, sources, overrides */
#define PARLEY_SCENARIO_MAX_ROUNDS 1200
#define PARLEY_SCENARIO_MAX_ID 64
#define PARLEY_SCENARIO_MAX_STATES 1000 /* states of one strategy defined in games.strategies */

typedef struct parley_scenario parley_scenario;

typedef enum parley_actor_kind {
    PARLEY_ACTOR_PRINCIPAL,
    PARLEY_ACTOR_OBSERVER,
    PARLEY_ACTOR_HOST,
    PARLEY_ACTOR_MEDIATOR,
    PARLEY_ACTOR_FACTION
} parley_actor_kind;

typedef enum parley_issue_kind {
    PARLEY_ISSUE_PEACE_REGIME,
    PARLEY_ISSUE_CBM,
    PARLEY_ISSUE_DENUCLEARISATION,
    PARLEY_ISSUE_ECONOMIC,
    PARLEY_ISSUE_POLITICAL,
    PARLEY_ISSUE_PROCEDURAL
} parley_issue_kind;

/* A calendar date; day is 0 when only "YYYY-MM" was written. */
typedef struct parley_date {
    int year;
    int month; /* 1..12 */
    int day;   /* 0 or 1..31 */
} parley_date;

/* Months since year 0 (year * 12 + month - 1): the round arithmetic's unit. */
long parley_date_month_index(parley_date d);

/* ---- loading ---------------------------------------------------------- */

/* Loads and validates a scenario file. `path` names a file; see
 * parley_scenario_open for built-in names. On success *out owns a new scenario
 * (free with parley_scenario_free). On failure *out is NULL and `err` holds every
 * problem found, each located as "path:line:col" (syntax) or "path: json.path"
 * (semantics). Errors: PARLEY_EIO (cannot read), PARLEY_EINPUT (invalid),
 * PARLEY_ELIMIT (a documented limit), PARLEY_ENOMEM. Cost: O(file size +
 * actors x issues + events x effects). */
parley_status parley_scenario_load_file(const char *path, parley_scenario **out,
                                        parley_error *err);

/* Same as parley_scenario_load_file for `len` bytes of JSON text in memory;
 * `display_name` prefixes every diagnostic (e.g. the file name). */
parley_status parley_scenario_load_string(const char *text, size_t len,
                                          const char *display_name, parley_scenario **out,
                                          parley_error *err);

/* Resolves a scenario argument to a file path: anything containing '/' or ending
 * in ".json" is a path; a bare name like `four-party-1997` becomes
 * `<dir>/four-party-1997.json`, with dir the environment variable
 * PARLEY_SCENARIO_PATH if set, else the build's PARLEY_SCENARIO_DIR. *out is a
 * new string owned by the caller (free with parley_scenario_string_free).
 * Errors: PARLEY_EINPUT (a bare name that is not a valid id, or no such built-in),
 * PARLEY_ENOMEM. */
parley_status parley_scenario_resolve(const char *name_or_path, char **out, parley_error *err);

/* parley_scenario_resolve followed by parley_scenario_load_file. */
parley_status parley_scenario_open(const char *name_or_path, parley_scenario **out,
                                   parley_error *err);

/* A deep copy (sweeps modify copies). Errors: PARLEY_ENOMEM. Cost: O(size). */
parley_status parley_scenario_clone(const parley_scenario *sc, parley_scenario **out,
                                    parley_error *err);

void parley_scenario_free(parley_scenario *sc);

/* The normalised scenario as JSON text (every default written, uncertainties
 * and sources in number-object form); loading it gives an identical scenario and
 * dumping that gives identical text. `indent` 0 is compact. *out is owned by
 * the caller (parley_scenario_string_free). Errors: PARLEY_ENOMEM. */
parley_status parley_scenario_dump(const parley_scenario *sc, int indent, char **out,
                                   parley_error *err);

/* Frees a string returned by this module. */
void parley_scenario_string_free(char *s);

/* The name diagnostics are prefixed with (the file name as given). */
const char *parley_scenario_display_name(const parley_scenario *sc);

/* ---- paths: --set, event effects, uncertainty keys ---------------------- */

/* Replaces the field at `path` (docs/FORMAT.md, "Paths") with `value` and
 * validates the whole scenario again, as if the file had said so. `value` is
 * parsed as JSON when it is valid JSON, else taken as a string. Any uncertainty on
 * that field is dropped (the value is pinned). On error `sc` is unchanged and
 * `err` holds diagnostics located at "--set PATH=VALUE: json.path".
 * Errors: PARLEY_EINPUT (unknown path, bad value), PARLEY_ELIMIT, PARLEY_ENOMEM.
 * Cost: O(scenario size). */
parley_status parley_scenario_set(parley_scenario *sc, const char *path, const char *value,
                                  parley_error *err);

/* Fast setter for a numeric field (what sweeps call per draw): checks the
 * field's legal range and stores. Uncertainties are kept. Errors: PARLEY_EINPUT
 * (unknown path, not a number field, out of range). Cost: O(path length + ids). */
parley_status parley_scenario_set_number(parley_scenario *sc, const char *path, double value,
                                         parley_error *err);

/* Reads a numeric field by path. Fields that inherit a policy value and are not
 * set read as the policy value. Errors: PARLEY_EINPUT (unknown path). */
parley_status parley_scenario_get_number(const parley_scenario *sc, const char *path,
                                         double *out, parley_error *err);

/* ---- uncertainty -------------------------------------------------------- */

typedef enum parley_dist {
    PARLEY_DIST_UNIFORM,
    PARLEY_DIST_NORMAL,     /* truncated to [lo, hi] */
    PARLEY_DIST_TRIANGULAR,
    PARLEY_DIST_BETA        /* Beta(a, b) mapped to [lo, hi] */
} parley_dist;

/* One uncertain number. [lo, hi] is always finite: the declared range
 * intersected with the field's legal range (for a normal without a declared
 * range, the field's legal range, with infinite ends replaced by value -/+ 10 sd). */
typedef struct parley_uncertainty {
    const char *path;   /* the field, e.g. "actors.DPRK.capability" */
    parley_dist dist;
    double value;       /* the single-run value */
    double lo, hi;
    double sd;          /* normal */
    double mode;        /* triangular */
    double a, b;        /* beta */
    const char *source; /* NULL when none */
} parley_uncertainty;

/* Number of uncertain numbers; entries are in file order. */
size_t parley_scenario_uncertainty_count(const parley_scenario *sc);
/* The i-th uncertainty (NULL if i is out of range); valid until sc changes. */
const parley_uncertainty *parley_scenario_uncertainty(const parley_scenario *sc, size_t i);

/* One draw from `u`, always in [u->lo, u->hi]. Cost O(1) (beta: two gammas). */
double parley_uncertainty_draw(const parley_uncertainty *u, parley_rng *rng);

/* "uniform", "normal", "triangular", "beta". */
const char *parley_dist_name(parley_dist dist);

/* The source attached to a single number (its number-object form), or NULL. */
const char *parley_scenario_number_source(const parley_scenario *sc, const char *path);

/* ---- meta ---------------------------------------------------------------- */

const char *parley_scenario_name(const parley_scenario *sc);
const char *parley_scenario_description(const parley_scenario *sc);
parley_date parley_scenario_start(const parley_scenario *sc);
parley_date parley_scenario_horizon(const parley_scenario *sc);
int parley_scenario_round_months(const parley_scenario *sc);
/* Rounds from start to horizon inclusive: months / round_months, rounded up. */
size_t parley_scenario_rounds(const parley_scenario *sc);

/* ---- actors -------------------------------------------------------------- */

size_t parley_scenario_actor_count(const parley_scenario *sc);
/* Index of actor `id`; false when there is none. */
bool parley_scenario_actor_find(const parley_scenario *sc, const char *id, size_t *index);
/* For i < actor count; the strings live as long as sc. */
const char *parley_scenario_actor_id(const parley_scenario *sc, size_t i);
const char *parley_scenario_actor_name(const parley_scenario *sc, size_t i);
parley_actor_kind parley_scenario_actor_kind(const parley_scenario *sc, size_t i);
double parley_scenario_actor_capability(const parley_scenario *sc, size_t i);
double parley_scenario_actor_risk(const parley_scenario *sc, size_t i);
bool parley_scenario_actor_at_table(const parley_scenario *sc, size_t i);
/* The faction's principal; false for non-factions. */
bool parley_scenario_actor_parent(const parley_scenario *sc, size_t i, size_t *parent);
/* "principal", "observer", "host", "mediator", "faction". */
const char *parley_actor_kind_name(parley_actor_kind kind);

/* ---- issues -------------------------------------------------------------- */

size_t parley_scenario_issue_count(const parley_scenario *sc);
bool parley_scenario_issue_find(const parley_scenario *sc, const char *id, size_t *index);
const char *parley_scenario_issue_id(const parley_scenario *sc, size_t i);
const char *parley_scenario_issue_name(const parley_scenario *sc, size_t i);
parley_issue_kind parley_scenario_issue_kind(const parley_scenario *sc, size_t i);
double parley_scenario_issue_status_quo(const parley_scenario *sc, size_t i);
/* The issue's scale: always 0 and 100 in this format, with their labels. */
void parley_scenario_issue_scale(const parley_scenario *sc, size_t i, double *lo, double *hi);
const char *parley_scenario_issue_label(const parley_scenario *sc, size_t i, bool high);
/* "peace_regime", "cbm", "denuclearisation", "economic", "political", "procedural". */
const char *parley_issue_kind_name(parley_issue_kind kind);

/* ---- stances ------------------------------------------------------------- */

/* The stance of actor a on issue i: true and position (0..100) and salience
 * (0..1) when the scenario gives one; false (and position NAN, salience 0) when
 * it does not. Either out pointer may be NULL. Cost O(1). */
bool parley_scenario_stance(const parley_scenario *sc, size_t actor, size_t issue,
                            double *position, double *salience);

/* ---- games: the stage game and the strategies the scenario defines ------- */

/* The scenario's stage game: games.stage_game, else the prisoner's dilemma
 * R, S, T, P = 3, 0, 5, 1. What compliance strategies are resolved against
 * (GTFT's default, ZD's table). */
void parley_scenario_stage_game(const parley_scenario *sc, parley_stage_game *out);

/* The strategies defined in games.strategies, in file order. */
size_t parley_scenario_strategy_count(const parley_scenario *sc);
/* The i-th definition's name (NULL when i is out of range); lives as long as sc. */
const char *parley_scenario_strategy_name(const parley_scenario *sc, size_t i);

/* Actor i's compliance_strategy as written (a name or a spec; NULL when i is
 * out of range). */
const char *parley_scenario_actor_strategy(const parley_scenario *sc, size_t i);

/* Compiles `spec` in the scenario's context: the name of a strategy defined in
 * games.strategies (case-insensitive), else any built-in spec
 * (parley_strategy_parse), resolved against `game` or, when game is NULL, the
 * scenario's stage game. This is how a compliance_strategy is meant to be
 * read. *out is new (parley_strategy_free). Errors: PARLEY_EINPUT (unknown
 * name or bad spec; the message lists the scenario's own names too),
 * PARLEY_ENOMEM. Cost O(states of the strategy). */
parley_status parley_scenario_strategy(const parley_scenario *sc, const char *spec,
                                       const parley_stage_game *game, parley_strategy **out,
                                       parley_error *err);

#ifdef __cplusplus
}
#endif
#endif
