/* `parley run`: one simulated history of a scenario, as a dated timeline and a
 * summary, or as JSON. */
#include "cli.h"

#include "parley/montecarlo.h"
#include "parley/output.h"
#include "parley/process.h"
#include "parley/scenario.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool parse_seed(const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!text[0] || text[0] == '-')
        return false;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

int cli_cmd_run(int argc, char **argv)
{
    const char *file = NULL, *format = "text";
    uint64_t seed = 1;
    bool quiet = false, null_model = false;
    const char *ablate = NULL;
    const char *sets[256];
    int n_sets = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
            if (!parse_seed(argv[++i], &seed))
                return cli_usage_error("run", "--seed needs a non-negative integer, got '%s'", argv[i]);
        } else if (strcmp(a, "--set") == 0 && i + 1 < argc) {
            if (n_sets == 256)
                return cli_usage_error("run", "at most 256 --set options");
            sets[n_sets++] = argv[++i];
        } else if (strcmp(a, "--format") == 0 && i + 1 < argc) {
            format = argv[++i];
            if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
                return cli_usage_error("run", "--format must be text or json, got '%s'", format);
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = true;
        } else if (strcmp(a, "--ablate") == 0 && i + 1 < argc) {
            ablate = argv[++i];
        } else if (strcmp(a, "--null-model") == 0) {
            null_model = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("run", "unknown option '%s'", a);
        } else if (!file) {
            file = a;
        } else {
            return cli_usage_error("run", "one scenario at a time ('%s' is extra)", a);
        }
    }
    if (!file)
        return cli_usage_error("run", "which scenario? e.g. `parley run four-party-1997`");

    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    parley_sim *sim = NULL;
    int code = CLI_EXIT_OK;
    parley_sim_params params;
    parley_sim_params_default(&params);
    params.null_model = null_model;
    if (ablate && parley_ablation_parse(ablate, &params.ablate, &err) != PARLEY_OK)
        goto fail;
    if (parley_scenario_open(file, &sc, &err) != PARLEY_OK)
        goto fail;
    for (int k = 0; k < n_sets; k++) {
        const char *eq = strchr(sets[k], '=');
        if (!eq || eq == sets[k]) {
            parley_error_add(&err, PARLEY_EUSAGE, "--set", "expected PATH=VALUE, got '%s'", sets[k]);
            goto fail;
        }
        char path[512];
        size_t len = (size_t)(eq - sets[k]);
        if (len >= sizeof path) {
            parley_error_add(&err, PARLEY_EUSAGE, "--set", "path too long");
            goto fail;
        }
        memcpy(path, sets[k], len);
        path[len] = '\0';
        if (strncmp(path, "sim.", 4) == 0) { /* a simulator parameter (docs/MODEL.md) */
            if (parley_sim_param_set_text(&params, path, eq + 1, &err) != PARLEY_OK)
                goto fail;
            continue;
        }
        if (parley_scenario_set(sc, path, eq + 1, &err) != PARLEY_OK)
            goto fail;
    }
    if (parley_sim_new(sc, &params, &sim, &err) != PARLEY_OK)
        goto fail;
    if (parley_sim_run(sim, seed, 0, 0, &err) != PARLEY_OK)
        goto fail;
    bool ok;
    if (strcmp(format, "json") == 0)
        ok = parley_write_run_json(sim, seed, stdout);
    else
        ok = (quiet || parley_write_timeline(sim, stdout)) && parley_write_summary(sim, seed, stdout);
    if (!ok || fflush(stdout) != 0) {
        fprintf(stderr, "parley: run: cannot write the output\n");
        code = CLI_EXIT_FAILURE;
    }
    goto done;
fail:
    code = cli_report_error(stderr, &err);
done:
    parley_sim_free(sim);
    parley_scenario_free(sc);
    parley_error_clear(&err);
    return code;
}
