/* `parley sweep`: policy cells x parameter draws x seeded runs into a SQLite
 * results database, on threads (and, in an MPI build under mpirun, on ranks),
 * resumable after a kill. docs/SWEEPS.md. */
#include "cli.h"
#include "mc_cli.h"
#include "sweep_mpi.h"

#include <stdlib.h>
#include <string.h>

#define MAX_OPTS 256

const char cli_sweep_usage[] =
    "usage: parley sweep SCENARIO --runs N [--draws M] [--ensemble FILE]\n"
    "                    [--vary PATH=V1,V2,...]... [--set PATH=VALUE]...\n"
    "                    [--threads T] [--seed S] [--series] [--quiet] --out FILE.sqlite\n"
    "\n"
    "Runs the scenario N times (seeds (S, draw, run)) for each parameter draw and\n"
    "each policy cell, and stores every run's metrics in FILE.sqlite.\n"
    "  --vary PATH=V1,V2   a lever and its values, or a simulator parameter\n"
    "                      (sim.sucker_loss=1,2); the cross product of all --vary\n"
    "                      options forms the policy cells (the first varies slowest)\n"
    "  --draws M           M parameter draws: a Latin hypercube over the numbers the\n"
    "                      scenario declares uncertain (default: one draw, the\n"
    "                      scenario's own values)\n"
    "  --ensemble FILE     the draws are the members of a calibrated ensemble\n"
    "                      (written by `parley calibrate`; the Four-Party one is\n"
    "                      scenarios/ensembles/four-party-1997.json); with --draws M\n"
    "                      too, draw d pairs member d mod (members) with row d of\n"
    "                      a Latin hypercube over the scenario's other uncertainties\n"
    "  --threads T         worker threads (default: the processors online); results\n"
    "                      are identical for any T, and any number of MPI ranks\n"
    "  --seed S            base seed (default 1)\n"
    "  --series            also store per-round support and beliefs of every run\n"
    "  --quiet             no progress bar (it is drawn only on a terminal anyway)\n"
    "Every run draws from streams keyed by (seed, draw, run), never by the cell:\n"
    "cells are compared on common random numbers (`parley compare`).\n"
    "Rerunning the same command on an interrupted database continues it; a\n"
    "database of another scenario or command is refused (exit 2) and left intact.\n"
    "Then: `parley summary FILE --format csv`, `parley compare FILE A B`.\n";

int cli_cmd_sweep(int argc, char **argv)
{
    const char *file = NULL, *out = NULL, *ensemble_file = NULL;
    uint64_t seed = 1;
    uint32_t runs = 0, draws = 0;
    bool have_runs = false, have_draws = false, series = false, quiet = false;
    unsigned threads = mc_default_threads();
    char *sets[MAX_OPTS];
    int n_sets = 0;
    parley_vary vary[MAX_OPTS];
    size_t n_vary = 0;
    int code = CLI_EXIT_BAD_INPUT;
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    parley_plan *plan = NULL;
    parley_results_db *db = NULL;
    parley_ensemble *ens = NULL;
    char **mat_params = NULL;
    size_t mat_n = 0;
    double *mat_values = NULL;
    /* Joined before the options are parsed: --vary splits its argument in
     * place, and the database should record the command as it was typed. */
    char *cmdline = mc_join_args(argc, argv);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (strcmp(a, "--runs") == 0 && has) {
            if (!mc_parse_u32(argv[++i], UINT32_MAX, &runs)) {
                cli_usage_error("sweep", "--runs needs a whole number, got '%s'", argv[i]);
                goto done;
            }
            have_runs = true;
        } else if (strcmp(a, "--draws") == 0 && has) {
            if (!mc_parse_u32(argv[++i], UINT32_MAX, &draws)) {
                cli_usage_error("sweep", "--draws needs a whole number, got '%s'", argv[i]);
                goto done;
            }
            have_draws = true;
        } else if (strcmp(a, "--seed") == 0 && has) {
            if (!mc_parse_u64(argv[++i], &seed)) {
                cli_usage_error("sweep", "--seed needs a non-negative integer, got '%s'", argv[i]);
                goto done;
            }
        } else if (strcmp(a, "--threads") == 0 && has) {
            uint32_t t;
            if (!mc_parse_u32(argv[++i], 1024, &t) || t == 0) {
                cli_usage_error("sweep", "--threads needs a number from 1 to 1024, got '%s'",
                                argv[i]);
                goto done;
            }
            threads = t;
        } else if (strcmp(a, "--vary") == 0 && has) {
            if (n_vary == MAX_OPTS) {
                cli_usage_error("sweep", "at most %d --vary options", MAX_OPTS);
                goto done;
            }
            if (!mc_parse_vary("sweep", argv[++i], &vary[n_vary]))
                goto done;
            n_vary++;
        } else if (strcmp(a, "--set") == 0 && has) {
            if (n_sets == MAX_OPTS) {
                cli_usage_error("sweep", "at most %d --set options", MAX_OPTS);
                goto done;
            }
            sets[n_sets++] = argv[++i];
        } else if (strcmp(a, "--out") == 0 && has) {
            out = argv[++i];
        } else if (strcmp(a, "--ensemble") == 0 && has) {
            ensemble_file = argv[++i];
        } else if (strcmp(a, "--series") == 0) {
            series = true;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            cli_usage_error("sweep", "unknown option '%s' (or a missing value)", a);
            goto done;
        } else if (!file) {
            file = a;
        } else {
            cli_usage_error("sweep", "one scenario at a time ('%s' is extra)", a);
            goto done;
        }
    }
    if (!file) {
        cli_usage_error("sweep", "which scenario? e.g. `parley sweep four-party-1997 --runs 100 "
                                 "--out results.sqlite`");
        goto done;
    }
    if (!have_runs || runs == 0) {
        cli_usage_error("sweep", "--runs N needs N >= 1 (runs per draw and cell)");
        goto done;
    }
    if (have_draws && draws == 0) {
        cli_usage_error("sweep", "--draws M needs M >= 1");
        goto done;
    }
    if (!out || !out[0]) {
        cli_usage_error("sweep", "--out FILE.sqlite is required");
        goto done;
    }
    if (mc_load_scenario(file, sets, n_sets, &sc, &err) != PARLEY_OK)
        goto fail;
    if (ensemble_file && parley_ensemble_load(ensemble_file, &ens, &err) != PARLEY_OK)
        goto fail;
    parley_plan_spec spec = {0};
    spec.scenario = sc;
    spec.seed = seed;
    spec.runs = runs;
    spec.vary = vary;
    spec.n_vary = n_vary;
    spec.series = series;
    if (ens && have_draws) {
        const char *pinned[MAX_OPTS];
        for (size_t v = 0; v < n_vary && v < MAX_OPTS; v++)
            pinned[v] = vary[v].path;
        if (parley_draw_matrix(sc, ens, draws, seed, pinned, n_vary, &mat_params, &mat_n,
                               &mat_values, &err) != PARLEY_OK)
            goto fail;
        spec.mode = PARLEY_DRAWS_MATRIX;
        spec.draws = draws;
        spec.params = (const char *const *)mat_params;
        spec.n_params = mat_n;
        spec.values = mat_values;
    } else if (ens) {
        spec.mode = PARLEY_DRAWS_MATRIX;
        spec.draws = (uint32_t)ens->n_members;
        spec.params = (const char *const *)ens->params;
        spec.n_params = ens->n_params;
        spec.values = ens->values;
    } else if (have_draws) {
        spec.mode = PARLEY_DRAWS_LHS;
        spec.draws = draws;
    } else {
        spec.mode = PARLEY_DRAWS_NOMINAL;
    }
    if (parley_plan_new(&spec, &plan, &err) != PARLEY_OK)
        goto fail;
    if (mc_mpi_active()) {
        code = mc_sweep_mpi(plan, out, cmdline, threads, quiet, &err);
        goto done;
    }
    if (parley_results_db_open(out, plan, cmdline, &db, &err) != PARLEY_OK)
        goto fail;
    uint64_t total = parley_plan_total_runs(plan), before = parley_results_db_done_count(db);
    mc_progress bar;
    mc_progress_init(&bar, !quiet, before, total);
    parley_exec_options opt = {0};
    opt.threads = threads;
    opt.done = parley_results_db_done(db);
    opt.sink = parley_results_db_sink;
    opt.sink_user = db;
    opt.progress = mc_progress_cb;
    opt.progress_user = &bar;
    double t0 = mc_now();
    parley_status st = parley_plan_execute(plan, &opt, &err);
    mc_progress_end(&bar);
    /* Whatever happened, keep what finished. */
    parley_error ferr;
    parley_error_init(&ferr);
    parley_status fst = parley_results_db_finish(db, &ferr);
    if (st != PARLEY_OK || fst != PARLEY_OK) {
        parley_error_append(&err, &ferr);
        goto fail;
    }
    double secs = mc_now() - t0;
    uint64_t now_done = parley_results_db_done_count(db);
    printf("%s: %zu cell(s) x %lu draw(s) x %lu run(s): %llu runs (%llu new",
           out, parley_plan_cells(plan), (unsigned long)parley_plan_draws(plan),
           (unsigned long)parley_plan_runs(plan), (unsigned long long)now_done,
           (unsigned long long)(now_done - before));
    if (now_done > before && secs > 0)
        printf(", %.0f runs/s on %u thread(s)", (double)(now_done - before) / secs, threads);
    printf(")\n");
    code = CLI_EXIT_OK;
    goto done;
fail:
    code = cli_report_error(stderr, &err);
done:
    parley_results_db_close(db);
    parley_plan_free(plan);
    parley_ensemble_free(ens);
    parley_draw_matrix_free(mat_params, mat_n, mat_values);
    parley_scenario_free(sc);
    parley_error_clear(&err);
    mc_vary_free(vary, n_vary);
    free(cmdline);
    return code;
}
