/* SMP options by name, so that the CLI and scenario files can use KTAB's own
 * parameter names and values (as in KTAB's XML <ModelParameters>). */
#include "parley/bargain_smp.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

typedef struct smp_enum_option {
    const char *name;
    size_t offset; /* of the enum field in parley_smp_options */
    const char *const *values;
    int count;
} smp_enum_option;

static const char *const vpm_names[] = {"Linear", "Square", "Quartic", "Octic", "Binary"};
static const char *const pce_names[] = {"Conditional", "MarkovIncentive", "MarkovUniform"};
static const char *const stm_names[] = {"Deterministic", "Stochastic"};
static const char *const vr_names[] = {"Binary", "PropBin", "Proportional",
                                       "PropCbc", "Cubic",   "ASymProsp"};
static const char *const ra_names[] = {"None", "OneThird", "Half", "TwoThirds", "Full"};
static const char *const rr_names[] = {"Min", "Mid", "Max"};
static const char *const tpc_names[] = {"NoCommit", "SemiCommit", "FullCommit"};
static const char *const ivb_names[] = {"S1P1", "S2P2", "S2PMax"};
static const char *const bm_names[] = {"InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"};
static const char *const fc_names[] = {"WeightedMean", "Expected", "MostProbable"};

#define SMP_ENUM(n, field, names)                                                             \
    {n, offsetof(parley_smp_options, field), names, (int)(sizeof(names) / sizeof((names)[0]))}

static const smp_enum_option enum_options[] = {
    SMP_ENUM("VictoryProbModel", victory_prob, vpm_names),
    SMP_ENUM("PCEModel", pce, pce_names),
    SMP_ENUM("StateTransitions", transition, stm_names),
    SMP_ENUM("VotingRule", voting_rule, vr_names),
    SMP_ENUM("BigRAdjust", risk_adjust, ra_names),
    SMP_ENUM("BigRRange", risk_range, rr_names),
    SMP_ENUM("ThirdPartyCommit", third_party, tpc_names),
    SMP_ENUM("InterVecBrgn", interp, ivb_names),
    SMP_ENUM("BargnModel", bargain_model, bm_names),
    SMP_ENUM("Forecast", forecast, fc_names),
};

#define N_ENUM_OPTIONS (sizeof enum_options / sizeof enum_options[0])

static const smp_enum_option *find_enum(const char *name)
{
    for (size_t i = 0; i < N_ENUM_OPTIONS; i++) {
        if (strcasecmp(name, enum_options[i].name) == 0) {
            return &enum_options[i];
        }
    }
    return NULL;
}

const char *parley_smp_option_value_name(const char *option, int value)
{
    const smp_enum_option *e = option ? find_enum(option) : NULL;
    if (e == NULL || value < 0 || value >= e->count) {
        return NULL;
    }
    return e->values[value];
}

/* Enum types may differ in size, so each field is assigned through its own type. */
static void set_enum_field(parley_smp_options *o, size_t offset, int v)
{
    switch (offset) {
    case offsetof(parley_smp_options, victory_prob):
        o->victory_prob = (parley_smp_victory_prob)v;
        break;
    case offsetof(parley_smp_options, pce):
        o->pce = (parley_smp_pce)v;
        break;
    case offsetof(parley_smp_options, transition):
        o->transition = (parley_smp_transition)v;
        break;
    case offsetof(parley_smp_options, voting_rule):
        o->voting_rule = (parley_smp_voting_rule)v;
        break;
    case offsetof(parley_smp_options, risk_adjust):
        o->risk_adjust = (parley_smp_risk_adjust)v;
        break;
    case offsetof(parley_smp_options, risk_range):
        o->risk_range = (parley_smp_risk_range)v;
        break;
    case offsetof(parley_smp_options, third_party):
        o->third_party = (parley_smp_third_party)v;
        break;
    case offsetof(parley_smp_options, interp):
        o->interp = (parley_smp_interp)v;
        break;
    case offsetof(parley_smp_options, bargain_model):
        o->bargain_model = (parley_smp_bargain_model)v;
        break;
    default:
        o->forecast = (parley_smp_forecast)v;
        break;
    }
}

static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    if (*s == '-' || *s == '\0') {
        return 0;
    }
    errno = 0;
    const unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max) {
        return 0;
    }
    *out = v;
    return 1;
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    const double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= 0) || v > 1e300) {
        return 0;
    }
    *out = v;
    return 1;
}

parley_status parley_smp_options_set(parley_smp_options *options, const char *name,
                                     const char *value, parley_error *err)
{
    if (name == NULL || value == NULL) {
        return parley_error_add(err, PARLEY_EINPUT, "smp options", "missing name or value");
    }
    const smp_enum_option *e = find_enum(name);
    if (e != NULL) {
        for (int v = 0; v < e->count; v++) {
            if (strcasecmp(value, e->values[v]) == 0) {
                set_enum_field(options, e->offset, v);
                return PARLEY_OK;
            }
        }
        char list[256] = "";
        for (int v = 0; v < e->count; v++) {
            strncat(list, v ? ", " : "", sizeof list - strlen(list) - 1);
            strncat(list, e->values[v], sizeof list - strlen(list) - 1);
        }
        return parley_error_add(err, PARLEY_EINPUT, e->name,
                                "unknown value \"%s\"; expected one of %s", value, list);
    }
    unsigned long long u;
    double x;
    if (strcasecmp(name, "MaxTurns") == 0 || strcasecmp(name, "MinTurns") == 0) {
        if (!parse_u64(value, 1000000, &u) || (u == 0 && strcasecmp(name, "MaxTurns") == 0)) {
            return parley_error_add(err, PARLEY_EINPUT, name,
                                    "expected a whole number of turns (max 1000000), got \"%s\"",
                                    value);
        }
        if (strcasecmp(name, "MaxTurns") == 0) {
            options->max_turns = (unsigned)u;
        } else {
            options->min_turns = (unsigned)u;
        }
        return PARLEY_OK;
    }
    if (strcasecmp(name, "StopRatio") == 0 || strcasecmp(name, "StopMinDelta") == 0) {
        if (!parse_double(value, &x)) {
            return parley_error_add(err, PARLEY_EINPUT, name,
                                    "expected a finite number >= 0, got \"%s\"", value);
        }
        if (strcasecmp(name, "StopRatio") == 0) {
            options->stop_ratio = x;
        } else {
            options->stop_min_delta = x;
        }
        return PARLEY_OK;
    }
    if (strcasecmp(name, "Seed") == 0) {
        if (!parse_u64(value, UINT64_MAX, &u)) {
            return parley_error_add(err, PARLEY_EINPUT, name,
                                    "expected an unsigned 64-bit integer, got \"%s\"", value);
        }
        options->seed = (uint64_t)u;
        return PARLEY_OK;
    }
    if (strcasecmp(name, "Threads") == 0) {
        if (!parse_u64(value, 1024, &u)) {
            return parley_error_add(err, PARLEY_EINPUT, name,
                                    "expected 0 (automatic) to 1024, got \"%s\"", value);
        }
        options->threads = (unsigned)u;
        return PARLEY_OK;
    }
    if (strcasecmp(name, "Draw") == 0 || strcasecmp(name, "Run") == 0) {
        if (!parse_u64(value, UINT32_MAX, &u)) {
            return parley_error_add(err, PARLEY_EINPUT, name,
                                    "expected an unsigned 32-bit integer, got \"%s\"", value);
        }
        if (strcasecmp(name, "Draw") == 0) {
            options->draw = (uint32_t)u;
        } else {
            options->run = (uint32_t)u;
        }
        return PARLEY_OK;
    }
    return parley_error_add(err, PARLEY_EINPUT, "smp options",
                            "unknown SMP option \"%s\"; expected VictoryProbModel, PCEModel, "
                            "StateTransitions, VotingRule, BigRAdjust, BigRRange, "
                            "ThirdPartyCommit, InterVecBrgn, BargnModel, Forecast, MaxTurns, "
                            "MinTurns, StopRatio, StopMinDelta, Seed, Draw, Run or Threads",
                            name);
}
