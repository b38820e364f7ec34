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
    "Exit 1 when no draw is accepted (nothing is written).\n";

int cli_cmd_calibrate(int argc, char **argv)
{
    const char *file = NULL, *patterns_file = NULL, *out = NULL;
    uint64_t seed = 1;
    uint32_t draws = 200, runs = 100;
    unsigned threads = mc_default_threads();
    bool fixed = false, quiet = false;
    char *sets[256];
    int n_sets = 0;
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
