/* `parley calibrate`: pattern filtering of parameter draws into an ensemble. */
#include "cli.h"
#include "mc_cli.h"

#include <stdlib.h>
#include <string.h>

const char cli_calibrate_usage[] =
    "usage: parley calibrate SCENARIO --patterns FILE --out ENSEMBLE.json\n"
    "                        [--draws M] [--runs N] [--seed S] [--threads T]\n"
    "                        [--fixed-scenario] [--set PATH=VALUE]... [--quiet]\n"
    "\n"
    "Approximate Bayesian computation by rejection (pattern filtering): draws M\n"
    "parameter vectors (default 200) by Latin hypercube from the priors of the\n"
    "simulator's free parameters (docs/SWEEPS.md) and the scenario's uncertain\n"
    "numbers (--fixed-scenario keeps the scenario's values), runs each N times\n"
    "(default 100) and keeps the vectors whose runs reproduce every pattern of\n"
    "FILE: the historical value lies between the pattern's quantiles of the runs\n"
    "(default the central 90%), or the runs' median lies in the pattern's band.\n"
    "Prints how many draws met each pattern and writes the accepted ensemble,\n"
    "which `parley sweep --ensemble ENSEMBLE.json` then uses as its draws.\n"
    "Exit 1 when no draw is accepted (nothing is written).\n"
    "\n"
    "       parley calibrate SCENARIO --patterns FILE --check [--runs N]\n"
    "                        [--ensemble ENSEMBLE.json] [--param sim.NAME=VALUE]...\n"
    "                        [--ablate LIST] [--null-model] [--set PATH=VALUE]...\n"
    "                        [--seed S] [--threads T] [--format csv]\n"
    "\n"
    "--check runs the scenario N times (default 1000) at fixed parameters (the\n"
    "defaults, changed by --param) and prints, for every pattern, the runs'\n"
    "quantiles, where history falls among them and whether it holds. With\n"
    "--ensemble the runs are spread evenly over its members (N rounded up to a\n"
    "multiple of them): the posterior predictive check of docs/MODEL.md; a\n"
    "--param the ensemble also sets is refused. --ablate switches mechanisms\n"
    "off (contact_cost, aid, agenda_consent, peace_package, sucker_loss,\n"
    "veto_factions, inspections, beliefs, support, procedure_first,\n"
    "amendments, record, convening; comma-separated); --null-model makes participation\n"
    "and acceptance coin tosses.\n";

/* What --check reads besides the scenario and the patterns. */
typedef struct check_options {
    const char *ensemble_file;  /* NULL: fixed parameters */
    const char *const *param_args; /* the --param NAME=VALUE arguments */
    int n_param_args;
} check_options;

/* A --param the ensemble also sets would be silently overridden: refuse it. */
static bool ensemble_overrides(const parley_ensemble *ens, const check_options *o,
                               parley_error *err)
{
    for (int i = 0; i < o->n_param_args; i++) {
        const char *arg = o->param_args[i];
        size_t len = (size_t)(strchr(arg, '=') - arg);
        for (size_t j = 0; j < ens->n_params; j++)
            if (strncmp(arg, ens->params[j], len) == 0 && ens->params[j][len] == '\0') {
                parley_error_add(err, PARLEY_EUSAGE, o->ensemble_file,
                                 "--param %s: the ensemble sets this parameter for every run",
                                 arg);
                return true;
            }
    }
    return false;
}

/* --check: the patterns at fixed parameters or over an ensemble, one line each. */
static int check_patterns(const char *file, const char *patterns_file, char **sets, int n_sets,
                          const parley_sim_params *params, const check_options *o,
                          uint32_t runs, uint64_t seed, unsigned threads, bool quiet, bool csv)
{
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    parley_patterns *pats = NULL;
    parley_ensemble *ens = NULL;
    parley_pattern_result *res = NULL;
    int code = CLI_EXIT_OK;
    if (mc_load_scenario(file, sets, n_sets, &sc, &err) != PARLEY_OK ||
        parley_patterns_load(patterns_file, &pats, &err) != PARLEY_OK)
        goto fail;
    if (o->ensemble_file && (parley_ensemble_load(o->ensemble_file, &ens, &err) != PARLEY_OK ||
                             ensemble_overrides(ens, o, &err)))
        goto fail;
    size_t np = parley_patterns_count(pats);
    res = calloc(np ? np : 1, sizeof *res);
    if (!res) {
        parley_error_add(&err, PARLEY_ENOMEM, NULL, "no memory");
        goto fail;
    }
    mc_progress bar;
    mc_progress_init(&bar, !quiet, 0, runs);
    parley_pattern_check_spec spec = {sc,    pats, params, seed, runs, threads, mc_progress_cb,
                                      &bar, ens};
    parley_status st = parley_patterns_check(&spec, res, &err);
    mc_progress_end(&bar);
    if (st != PARLEY_OK)
        goto fail;
    size_t held = 0;
    unsigned long total = np ? (unsigned long)res[0].runs : (unsigned long)runs;
    if (csv)
        printf("pattern,historical,lo,median,hi,share_below,runs,missing,holds\n");
    else if (ens)
        printf("patterns of %s over %lu runs, %lu for each of the %zu members of %s (seed %llu)\n",
               parley_scenario_name(sc), total, (unsigned long)(total / ens->n_members),
               ens->n_members, o->ensemble_file, (unsigned long long)seed);
    else
        printf("patterns of %s over %lu runs (seed %llu)\n", parley_scenario_name(sc), total,
               (unsigned long long)seed);
    if (!csv)
        printf("%-5s %8s %8s %8s %8s %7s %7s  %s\n", "holds", "history", "lo", "median", "hi",
               "below", "missing", "pattern");
    for (size_t k = 0; k < np; k++) {
        const parley_pattern_result *r = &res[k];
        held += r->holds;
        if (csv)
            printf("\"%s\",%.17g,%.17g,%.17g,%.17g,%.17g,%lu,%lu,%d\n",
                   parley_pattern_describe(pats, k), r->historical, r->lo, r->median, r->hi,
                   r->share_below, (unsigned long)r->runs, (unsigned long)r->missing, r->holds);
        else
            printf("%-5s %8.3g %8.3g %8.3g %8.3g %7.3f %7lu  %s\n", r->holds ? "yes" : "NO",
                   r->historical, r->lo, r->median, r->hi, r->share_below,
                   (unsigned long)r->missing, parley_pattern_describe(pats, k));
    }
    if (!csv)
        printf("%zu of %zu patterns hold (history inside the band of the runs)\n", held, np);
    goto done;
fail:
    code = cli_report_error(stderr, &err);
done:
    free(res);
    parley_ensemble_free(ens);
    parley_patterns_free(pats);
    parley_scenario_free(sc);
    parley_error_clear(&err);
    return code;
}

int cli_cmd_calibrate(int argc, char **argv)
{
    const char *file = NULL, *patterns_file = NULL, *out = NULL, *ensemble_file = NULL;
    const char *param_args[64];
    int n_param_args = 0;
    uint64_t seed = 1;
    uint32_t draws = 200, runs = 100;
    unsigned threads = mc_default_threads();
    bool fixed = false, quiet = false, check = false, runs_given = false, csv = false;
    char *sets[256];
    int n_sets = 0;
    parley_sim_params params;
    parley_sim_params_default(&params);
    parley_error perr;
    parley_error_init(&perr);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (strcmp(a, "--patterns") == 0 && has) {
            patterns_file = argv[++i];
        } else if (strcmp(a, "--out") == 0 && has) {
            out = argv[++i];
        } else if (strcmp(a, "--draws") == 0 && has) {
            if (!mc_parse_u32(argv[++i], 10000000, &draws) || draws == 0)
                return cli_usage_error("calibrate", "--draws needs a number >= 1, got '%s'",
                                       argv[i]);
        } else if (strcmp(a, "--runs") == 0 && has) {
            if (!mc_parse_u32(argv[++i], 10000000, &runs) || runs == 0)
                return cli_usage_error("calibrate", "--runs needs a number >= 1, got '%s'",
                                       argv[i]);
            runs_given = true;
        } else if (strcmp(a, "--check") == 0) {
            check = true;
        } else if (strcmp(a, "--ensemble") == 0 && has) {
            ensemble_file = argv[++i];
        } else if (strcmp(a, "--null-model") == 0) {
            params.null_model = true;
        } else if (strcmp(a, "--format") == 0 && has) {
            const char *f = argv[++i];
            if (strcmp(f, "csv") != 0 && strcmp(f, "table") != 0)
                return cli_usage_error("calibrate", "--format must be table or csv, got '%s'", f);
            csv = strcmp(f, "csv") == 0;
        } else if (strcmp(a, "--ablate") == 0 && has) {
            if (parley_ablation_parse(argv[++i], &params.ablate, &perr) != PARLEY_OK) {
                int code = cli_report_error(stderr, &perr);
                parley_error_clear(&perr);
                return code;
            }
        } else if (strcmp(a, "--param") == 0 && has) {
            const char *pv = argv[++i], *eq = strchr(pv, '=');
            char name[128], *end;
            double v = eq ? strtod(eq + 1, &end) : 0.0;
            if (!eq || (size_t)(eq - pv) >= sizeof name || end == eq + 1 || *end)
                return cli_usage_error("calibrate", "--param needs sim.NAME=NUMBER, got '%s'", pv);
            memcpy(name, pv, (size_t)(eq - pv));
            name[eq - pv] = '\0';
            if (parley_sim_param_set(&params, name, v, &perr) != PARLEY_OK) {
                int code = cli_report_error(stderr, &perr);
                parley_error_clear(&perr);
                return code;
            }
            if (n_param_args == 64)
                return cli_usage_error("calibrate", "at most 64 --param options");
            param_args[n_param_args++] = pv;
        } else if (strcmp(a, "--seed") == 0 && has) {
            if (!mc_parse_u64(argv[++i], &seed))
                return cli_usage_error("calibrate", "--seed needs a non-negative integer");
        } else if (strcmp(a, "--threads") == 0 && has) {
            uint32_t t;
            if (!mc_parse_u32(argv[++i], 1024, &t) || t == 0)
                return cli_usage_error("calibrate", "--threads needs a number from 1 to 1024");
            threads = t;
        } else if (strcmp(a, "--set") == 0 && has) {
            if (n_sets == 256)
                return cli_usage_error("calibrate", "at most 256 --set options");
            sets[n_sets++] = argv[++i];
        } else if (strcmp(a, "--fixed-scenario") == 0) {
            fixed = true;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("calibrate", "unknown option '%s' (or a missing value)", a);
        } else if (!file) {
            file = a;
        } else {
            return cli_usage_error("calibrate", "one scenario at a time ('%s' is extra)", a);
        }
    }
    if (!file)
        return cli_usage_error("calibrate", "which scenario?");
    if (!patterns_file)
        return cli_usage_error("calibrate", "--patterns FILE is required");
    if (ensemble_file && !check)
        return cli_usage_error("calibrate", "--ensemble goes with --check");
    if (check) {
        check_options o = {ensemble_file, param_args, n_param_args};
        return check_patterns(file, patterns_file, sets, n_sets, &params, &o,
                              runs_given ? runs : 1000, seed, threads, quiet, csv);
    }
    if (!out)
        return cli_usage_error("calibrate", "--out ENSEMBLE.json is required");
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    parley_patterns *pats = NULL;
    parley_calibration *cal = NULL;
    int code = CLI_EXIT_OK;
    if (mc_load_scenario(file, sets, n_sets, &sc, &err) != PARLEY_OK ||
        parley_patterns_load(patterns_file, &pats, &err) != PARLEY_OK)
        goto fail;
    mc_progress bar;
    mc_progress_init(&bar, !quiet, 0, (uint64_t)draws * runs);
    parley_calibrate_spec spec = {0};
    spec.scenario = sc;
    spec.patterns = pats;
    spec.seed = seed;
    spec.draws = draws;
    spec.runs = runs;
    spec.free_params = true;
    spec.scenario_numbers = !fixed;
    spec.threads = threads;
    spec.progress = mc_progress_cb;
    spec.progress_user = &bar;
    parley_status st = parley_calibrate(&spec, &cal, &err);
    mc_progress_end(&bar);
    if (st != PARLEY_OK)
        goto fail;
    printf("calibration of %s: %lu draws x %lu runs, %zu parameters\n", parley_scenario_name(sc),
           (unsigned long)draws, (unsigned long)runs, cal->n_params);
    printf("%8s  %s\n", "draws ok", "pattern");
    for (size_t p = 0; p < cal->n_patterns; p++)
        printf("%8lu  %s\n", (unsigned long)cal->pattern_hits[p],
               parley_pattern_describe(pats, p));
    printf("accepted: %lu of %lu draws (all patterns at once)\n", (unsigned long)cal->accepted,
           (unsigned long)draws);
    if (cal->accepted == 0) {
        fprintf(stderr, "parley calibrate: no draw reproduces every pattern; nothing written "
                        "(try more --draws, or look at the pattern that fewest draws meet)\n");
        code = CLI_EXIT_FAILURE;
        goto done;
    }
    if (parley_calibration_write(cal, sc, out, &err) != PARLEY_OK)
        goto fail;
    printf("wrote %s\n", out);
    goto done;
fail:
    code = cli_report_error(stderr, &err);
done:
    parley_calibration_free(cal);
    parley_patterns_free(pats);
    parley_scenario_free(sc);
    parley_error_clear(&err);
    return code;
}
