/* Option parsing, loading and formatting shared by the bargaining commands
 * (forecast, evaluate, import). */
#include "bargain_cli.h"

#include "parley/scenario.h"

#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>


void bargain_cli_options_init(bargain_cli_options *o)
{
    memset(o, 0, sizeof *o);
    o->input_format = PARLEY_FORMAT_AUTO;
    parley_median_options_default(&o->median);
    parley_nbs_options_default(&o->nbs);
    parley_bdm_options_default(&o->bdm);
    parley_exchange_options_default(&o->exchange);
    parley_smp_options_default(&o->smp);
    parley_bargain_settings_default(&o->settings);
    o->settings.median = &o->median;
    o->settings.nbs = &o->nbs;
    o->settings.bdm = &o->bdm;
    o->settings.exchange = &o->exchange;
    o->settings.smp = &o->smp;
}

/* Matches "--name" or "--name=value" at argv[*i]; sets *value (advancing *i
 * over a separate value). Returns 1 matched, 0 not this option, -1 value missing. */
static int take(const char *command, int argc, char **argv, int *i, const char *name,
                const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        cli_usage_error(command, "%s needs a value", name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}

static int pick(const char *command, const char *option, const char *value,
                const char *const *names, int *out)
{
    for (int k = 0; names[k]; k++)
        if (strcmp(value, names[k]) == 0) {
            *out = k;
            return 1;
        }
    char list[256] = "";
    for (int k = 0; names[k]; k++) {
        strncat(list, k ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, names[k], sizeof list - strlen(list) - 1);
    }
    cli_usage_error(command, "%s: '%s' is not one of %s", option, value, list);
    return -1;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!*s || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno)
        return false;
    *out = (uint64_t)v;
    return true;
}

static int parse_models(const char *command, const char *value, bargain_cli_options *o)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", value);
    o->model_given = true;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        parley_bargain_model m;
        if (strcmp(tok, "all") == 0) {
            for (int k = 0; k < PARLEY_MODEL_COUNT; k++)
                o->models[k] = true;
        } else if (parley_bargain_model_from_name(tok, &m)) {
            o->models[m] = true;
        } else {
            cli_usage_error(command,
                            "--model: '%s' is not a model (compromise, median, nbs, bdm, "
                            "exchange, smp, all)",
                            tok);
            return -1;
        }
    }
    return 1;
}

int bargain_cli_parse_option(const char *command, int argc, char **argv, int *i,
                             bargain_cli_options *o)
{
    const char *v = NULL;
    int r, k;
    if ((r = take(command, argc, argv, i, "--model", &v)) != 0)
        return r < 0 ? r : parse_models(command, v, o);
    if ((r = take(command, argc, argv, i, "--input-format", &v)) != 0) {
        if (r < 0)
            return r;
        if (!parley_bargain_format_from_name(v, &o->input_format)) {
            cli_usage_error(command,
                            "--input-format: '%s' is not one of auto, scenario, decide, ktab, "
                            "bdm, deu",
                            v);
            return -1;
        }
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--capability", &v)) != 0) {
        static const char *const names[] = {"file", "gdp", "equal", NULL};
        if (r < 0 || pick(command, "--capability", v, names, &k) < 0)
            return -1;
        o->equal_capability = k == 2;
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--exchange-arithmetic", &v)) != 0) {
        /* decimal28 reproduces Decide's outputs exactly (its 28-digit decimals). */
        static const char *const names[] = {"double", "decimal28", NULL};
        if (r < 0 || pick(command, "--exchange-arithmetic", v, names, &k) < 0)
            return -1;
        o->exchange.arithmetic = k == 1 ? PARLEY_EXCHANGE_DECIMAL28 : PARLEY_EXCHANGE_DOUBLE;
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--rounds", &v)) != 0) {
        uint64_t n;
        if (r < 0)
            return r;
        if (!parse_u64(v, &n) || n == 0 || n > 100000) {
            cli_usage_error(command, "--rounds: '%s' is not a whole number in 1..100000", v);
            return -1;
        }
        o->rounds = o->settings.rounds = (size_t)n;
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--seed", &v)) != 0) {
        if (r < 0)
            return r;
        if (!parse_u64(v, &o->seed)) {
            cli_usage_error(command, "--seed: '%s' is not a whole number >= 0", v);
            return -1;
        }
        o->settings.seed = o->seed;
        o->exchange.seed = o->seed;
        o->smp.seed = o->seed;
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--median-tie", &v)) != 0) {
        static const char *const names[] = {"lower", "upper", "midpoint", NULL};
        if (r < 0 || pick(command, "--median-tie", v, names, &k) < 0)
            return -1;
        o->median.tie = (parley_median_tie)k;
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--median-method", &v)) != 0) {
        static const char *const names[] = {"sorted", "pairwise", NULL};
        if (r < 0 || pick(command, "--median-method", v, names, &k) < 0)
            return -1;
        o->median.method = (parley_median_method)k;
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--nbs-utility", &v)) != 0) {
        static const char *const names[] = {"quadratic", "linear", NULL};
        if (r < 0 || pick(command, "--nbs-utility", v, names, &k) < 0)
            return -1;
        o->nbs.utility = (parley_nbs_utility)k;
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--nbs-at-status-quo", &v)) != 0) {
        static const char *const names[] = {"exclude", "unanimity", NULL};
        if (r < 0 || pick(command, "--nbs-at-status-quo", v, names, &k) < 0)
            return -1;
        o->nbs.at_status_quo = (parley_nbs_at_status_quo)k;
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--nbs-split", &v)) != 0) {
        static const char *const names[] = {"status-quo", "majority", NULL};
        if (r < 0 || pick(command, "--nbs-split", v, names, &k) < 0)
            return -1;
        o->nbs.split = (parley_nbs_split)k;
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--nbs-unknown-sq", &v)) != 0) {
        static const char *const names[] = {"worst", "none", NULL};
        if (r < 0 || pick(command, "--nbs-unknown-sq", v, names, &k) < 0)
            return -1;
        o->nbs.unknown_status_quo = (parley_nbs_unknown_sq)k;
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--nbs-weight", &v)) != 0) {
        static const char *const names[] = {"cs", "c", NULL};
        if (r < 0 || pick(command, "--nbs-weight", v, names, &k) < 0)
            return -1;
        o->nbs.weight = (parley_nbs_weight)k;
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--bdm-q", &v)) != 0) {
        char *end;
        if (r < 0)
            return r;
        double q = strtod(v, &end);
        if (*end || end == v || !(q >= 0.0 && q <= 1.0)) {
            cli_usage_error(command, "--bdm-q: '%s' is not a number in [0, 1]", v);
            return -1;
        }
        o->bdm.Q = q;
        return 1;
    }
    if ((r = take(command, argc, argv, i, "--smp", &v)) != 0) {
        if (r < 0)
            return r;
        const char *eq = strchr(v, '=');
        if (!eq) {
            cli_usage_error(command, "--smp: expected NAME=VALUE, got '%s'", v);
            return -1;
        }
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(eq - v), v);
        parley_error err;
        parley_error_init(&err);
        if (parley_smp_options_set(&o->smp, name, eq + 1, &err) != PARLEY_OK) {
            cli_report_error(stderr, &err);
            parley_error_clear(&err);
            return -1;
        }
        parley_error_clear(&err);
        return 1;
    }
    return 0;
}

int bargain_cli_load(const char *path, const bargain_cli_options *o, parley_bargain_problem **out)
{
    parley_error err;
    parley_error_init(&err);
    *out = NULL;
    /* A bare name such as four-party-1997 is a built-in scenario, as in
     * `parley show` and `parley run`; anything else is a path. */
    char *resolved = NULL;
    if (!strchr(path, '/') && !strchr(path, '.') && parley_scenario_resolve(path, &resolved, &err) == PARLEY_OK)
        path = resolved;
    parley_error_clear(&err);
    parley_status st = parley_bargain_read_file(path, o->input_format, out, &err);
    if (st == PARLEY_OK)
        st = parley_bargain_problem_validate(*out, path, &err);
    if (st != PARLEY_OK) {
        parley_bargain_problem_free(*out);
        *out = NULL;
        int code = cli_report_error(stderr, &err);
        parley_error_clear(&err);
        parley_scenario_string_free(resolved);
        return code;
    }
    parley_error_clear(&err);
    parley_scenario_string_free(resolved);
    if (o->equal_capability)
        parley_bargain_problem_equal_capability(*out);
    return CLI_EXIT_OK;
}

void bargain_cli_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void bargain_cli_csv_number(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.10g", v);
    else
        fputs("NA", out);
}

int bargain_cli_decimals(double range)
{
    if (!(range > 0.0) || !isfinite(range))
        return 2;
    int d = 4 - (int)ceil(log10(range));
    return d < 1 ? 1 : d > 8 ? 8 : d;
}
