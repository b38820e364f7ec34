/* `parley sensitivity`: Morris screening or Sobol indices of outcome
 * probabilities P(outcome | parameters), each estimated from N seeded runs per
 * design point (common random numbers across points), per policy cell and for
 * the contrast of each cell with the first. */
#include "cli.h"
#include "mc_cli.h"

#include "parley/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 64

const char cli_sensitivity_usage[] =
    "usage: parley sensitivity SCENARIO --param PATH=LO:HI... [--method morris|sobol]\n"
    "                          [--runs N] [--trajectories R] [--levels P] [--samples S]\n"
    "                          [--metric NAME]... [--vary PATH=V1,V2,...]...\n"
    "                          [--set PATH=VALUE]... [--seed S] [--threads T]\n"
    "                          [--format table|csv] [--db RESULTS.sqlite] [--quiet]\n"
    "\n"
    "Global sensitivity of P(outcome | parameters), not of single runs: each design\n"
    "point is run N times (default 200) on the same streams, and the output is the\n"
    "mean of the metric (default: treaty and collapse, i.e. their probabilities).\n"
    "PATH is a scenario number (docs/FORMAT.md, Paths) or sim.NAME, a simulator\n"
    "parameter such as sim.participation_precision; each varies uniformly on [LO, HI].\n"
    "  --method morris  R trajectories (default 10) on a P-level grid (default 4):\n"
    "                   mu* (mean |elementary effect|, per unit of the range), mu, sigma\n"
    "  --method sobol   Saltelli's design with S base samples (default 64; S(k+2)\n"
    "                   points): first-order (Saltelli 2010) and total (Jansen 1999)\n"
    "                   indices with 95% bootstrap intervals\n"
    "With --vary, the analysis is repeated per policy cell and for each cell's\n"
    "contrast with cell 0 (P in the cell minus P in cell 0).\n"
    "CSV header: output,param,mu_star,mu,sigma (morris) or\n"
    "output,param,s1,s1_lo,s1_hi,st,st_lo,st_hi (sobol).\n"
    "--db stores the indices as the `sensitivity` table of a `parley sweep` database of\n"
    "the same scenario (earlier rows of the same method and outputs replaced, in one\n"
    "transaction), where `parley report` ranks them (docs/REPORTS.md). The database is\n"
    "checked before the runs start.\n";

typedef struct sens_acc {
    size_t n_metrics;
    const parley_metric *metrics;
    size_t points;
    double *sum, *cnt; /* cells x metrics x points */
} sens_acc;

static parley_status sens_sink(void *user, const parley_run_row *rows, size_t n, parley_error *err)
{
    (void)err;
    sens_acc *a = user;
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < a->n_metrics; m++) {
            double x = rows[i].metric[a->metrics[m]];
            if (isnan(x))
                continue;
            size_t k = ((size_t)rows[i].cell * a->n_metrics + m) * a->points + rows[i].draw;
            a->sum[k] += x;
            a->cnt[k] += 1;
        }
    return PARLEY_OK;
}

int cli_cmd_sensitivity(int argc, char **argv)
{
    const char *file = NULL, *method = "morris", *db_path = NULL;
    char *param_args[MAX_PARAMS];
    size_t k = 0, n_metrics = 0;
    parley_metric metrics[PARLEY_METRIC_COUNT];
    uint32_t runs = 200, traj = 10, levels = 4, samples = 64;
    uint64_t seed = 1;
    unsigned threads = mc_default_threads();
    bool csv = false, quiet = false;
    char *sets[256];
    int n_sets = 0;
    parley_vary vary[16];
    size_t n_vary = 0;
    int code = CLI_EXIT_BAD_INPUT;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (strcmp(a, "--param") == 0 && has) {
            if (k == MAX_PARAMS) {
                cli_usage_error("sensitivity", "at most %d --param options", MAX_PARAMS);
                goto done;
            }
            param_args[k++] = argv[++i];
        } else if (strcmp(a, "--method") == 0 && has) {
            method = argv[++i];
            if (strcmp(method, "morris") != 0 && strcmp(method, "sobol") != 0) {
                cli_usage_error("sensitivity", "--method must be morris or sobol, got '%s'",
                                method);
                goto done;
            }
        } else if ((strcmp(a, "--runs") == 0 || strcmp(a, "--trajectories") == 0 ||
                    strcmp(a, "--levels") == 0 || strcmp(a, "--samples") == 0) && has) {
            uint32_t v;
            if (!mc_parse_u32(argv[++i], 1000000, &v) || v == 0) {
                cli_usage_error("sensitivity", "%s needs a number >= 1, got '%s'", a, argv[i]);
                goto done;
            }
            if (a[2] == 'r')
                runs = v;
            else if (a[2] == 't')
                traj = v;
            else if (a[2] == 'l')
                levels = v;
            else
                samples = v;
        } else if (strcmp(a, "--metric") == 0 && has) {
            if (!parley_metric_from_name(argv[++i], &metrics[n_metrics])) {
                cli_usage_error("sensitivity", "unknown metric '%s' (see include/parley/metrics.h)",
                                argv[i]);
                goto done;
            }
            if (n_metrics < PARLEY_METRIC_COUNT)
                n_metrics++;
        } else if (strcmp(a, "--vary") == 0 && has) {
            if (n_vary == 16) {
                cli_usage_error("sensitivity", "at most 16 --vary options");
                goto done;
            }
            if (!mc_parse_vary("sensitivity", argv[++i], &vary[n_vary]))
                goto done;
            n_vary++;
        } else if (strcmp(a, "--set") == 0 && has) {
            if (n_sets == 256) {
                cli_usage_error("sensitivity", "at most 256 --set options");
                goto done;
            }
            sets[n_sets++] = argv[++i];
        } else if (strcmp(a, "--seed") == 0 && has) {
            if (!mc_parse_u64(argv[++i], &seed)) {
                cli_usage_error("sensitivity", "--seed needs a non-negative integer");
                goto done;
            }
        } else if (strcmp(a, "--threads") == 0 && has) {
            uint32_t t;
            if (!mc_parse_u32(argv[++i], 1024, &t) || t == 0) {
                cli_usage_error("sensitivity", "--threads needs a number from 1 to 1024");
                goto done;
            }
            threads = t;
        } else if (strcmp(a, "--format") == 0 && has) {
            const char *f = argv[++i];
            if (strcmp(f, "csv") != 0 && strcmp(f, "table") != 0) {
                cli_usage_error("sensitivity", "--format must be table or csv, got '%s'", f);
                goto done;
            }
            csv = strcmp(f, "csv") == 0;
        } else if (strcmp(a, "--db") == 0 && has) {
            db_path = argv[++i];
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            cli_usage_error("sensitivity", "unknown option '%s' (or a missing value)", a);
            goto done;
        } else if (!file) {
            file = a;
        } else {
            cli_usage_error("sensitivity", "one scenario at a time ('%s' is extra)", a);
            goto done;
        }
    }
    if (!file) {
        cli_usage_error("sensitivity", "which scenario?");
        goto done;
    }
    if (k == 0) {
        cli_usage_error("sensitivity", "at least one --param PATH=LO:HI is needed");
        goto done;
    }
    if (n_metrics == 0) {
        metrics[n_metrics++] = PARLEY_METRIC_TREATY;
        metrics[n_metrics++] = PARLEY_METRIC_COLLAPSE;
    }
    const char *paths[MAX_PARAMS];
    double lo[MAX_PARAMS], hi[MAX_PARAMS];
    for (size_t j = 0; j < k; j++) {
        char *eq = strchr(param_args[j], '='), *colon = eq ? strchr(eq, ':') : NULL;
        if (!eq || eq == param_args[j] || !colon) {
            cli_usage_error("sensitivity", "--param needs PATH=LO:HI, got '%s'", param_args[j]);
            goto done;
        }
        *eq = *colon = '\0';
        if (!mc_parse_double(eq + 1, &lo[j]) || !mc_parse_double(colon + 1, &hi[j]) ||
            !(lo[j] < hi[j])) {
            cli_usage_error("sensitivity", "--param %s: needs numbers LO < HI", param_args[j]);
            goto done;
        }
        paths[j] = param_args[j];
    }
    bool sobol = strcmp(method, "sobol") == 0;
    size_t points = sobol ? (size_t)samples * (k + 2) : (size_t)traj * (k + 1);
    if (points > 10000000) {
        cli_usage_error("sensitivity", "%zu design points is too many", points);
        goto done;
    }
    parley_error err;
    parley_error_init(&err);
    parley_scenario *sc = NULL;
    parley_plan *plan = NULL;
    double *design = calloc(points * k, sizeof *design);
    double *values = calloc(points * k, sizeof *values);
    sens_acc acc = {n_metrics, metrics, points, NULL, NULL};
    size_t n_outputs = 0;
    parley_sensitivity_row *stored = NULL; /* --db: the rows, output by output */
    const char **stored_output = NULL;
    char **output_names = NULL;
    double *y = calloc(points, sizeof *y);
    if (!design || !values || !y) {
        parley_error_add(&err, PARLEY_ENOMEM, NULL, "no memory for the design");
        goto fail;
    }
    if (sobol)
        parley_sobol_design(seed, k, samples, design);
    else
        parley_morris_design(seed, k, traj, levels, design);
    for (size_t p = 0; p < points; p++)
        for (size_t j = 0; j < k; j++)
            values[p * k + j] = lo[j] + design[p * k + j] * (hi[j] - lo[j]);
    if (mc_load_scenario(file, sets, n_sets, &sc, &err) != PARLEY_OK)
        goto fail;
    if (db_path && parley_report_check_sensitivity_db(db_path, parley_scenario_name(sc), &err) !=
                       PARLEY_OK)
        goto fail;
    parley_plan_spec spec = {0};
    spec.scenario = sc;
    spec.seed = seed;
    spec.runs = runs;
    spec.mode = PARLEY_DRAWS_MATRIX;
    spec.draws = (uint32_t)points;
    spec.params = paths;
    spec.n_params = k;
    spec.values = values;
    spec.vary = vary;
    spec.n_vary = n_vary;
    spec.same_streams = true;
    if (parley_plan_new(&spec, &plan, &err) != PARLEY_OK)
        goto fail;
    size_t cells = parley_plan_cells(plan);
    acc.sum = calloc(cells * n_metrics * points, sizeof *acc.sum);
    acc.cnt = calloc(cells * n_metrics * points, sizeof *acc.cnt);
    if (!acc.sum || !acc.cnt) {
        parley_error_add(&err, PARLEY_ENOMEM, NULL, "no memory for the results");
        goto fail;
    }
    mc_progress bar;
    mc_progress_init(&bar, !quiet, 0, parley_plan_total_runs(plan));
    parley_exec_options opt = {0};
    opt.threads = threads;
    opt.sink = sens_sink;
    opt.sink_user = &acc;
    opt.progress = mc_progress_cb;
    opt.progress_user = &bar;
    parley_status st = parley_plan_execute(plan, &opt, &err);
    mc_progress_end(&bar);
    if (st != PARLEY_OK)
        goto fail;
    n_outputs = (cells > 1 ? 2 * cells - 1 : 1) * n_metrics;
    if (db_path) {
        stored = calloc(n_outputs * k, sizeof *stored);
        stored_output = calloc(n_outputs * k, sizeof *stored_output);
        output_names = calloc(n_outputs, sizeof *output_names);
        if (!stored || !stored_output || !output_names) {
            parley_error_add(&err, PARLEY_ENOMEM, NULL, "no memory for the results");
            goto fail;
        }
    }
    if (csv)
        printf(sobol ? "output,param,s1,s1_lo,s1_hi,st,st_lo,st_hi\n"
                     : "output,param,mu_star,mu,sigma\n");
    else
        printf("%s on %zu parameter(s): %zu points x %lu runs (same streams at every point)\n",
               sobol ? "Sobol indices" : "Morris screening", k, points, (unsigned long)runs);
    /* Outputs: each metric in each cell, then each cell's contrast with cell 0. */
    for (size_t c = 0; c < (cells > 1 ? 2 * cells - 1 : 1); c++) {
        for (size_t m = 0; m < n_metrics; m++) {
            size_t cell = c < cells ? c : c - cells + 1;
            for (size_t p = 0; p < points; p++) {
                size_t i = (cell * n_metrics + m) * points + p, i0 = m * points + p;
                double v = acc.cnt[i] > 0 ? acc.sum[i] / acc.cnt[i] : NAN;
                if (c >= cells)
                    v -= acc.cnt[i0] > 0 ? acc.sum[i0] / acc.cnt[i0] : NAN;
                y[p] = v;
            }
            char name[1200];
            const char *mn = parley_metric_name(metrics[m]);
            if (c < cells)
                snprintf(name, sizeof name, "%s%s%s", mn, cells > 1 ? "@" : "",
                         cells > 1 ? parley_plan_cell_label(plan, cell) : "");
            else
                snprintf(name, sizeof name, "%s@%s-minus-%s", mn, parley_plan_cell_label(plan, cell),
                         parley_plan_cell_label(plan, 0));
            double r1[MAX_PARAMS], r2[MAX_PARAMS], r3[MAX_PARAMS], r4[MAX_PARAMS],
                r5[MAX_PARAMS], r6[MAX_PARAMS];
            if (!csv)
                printf("\n%s\n", name);
            size_t out = c * n_metrics + m;
            if (db_path && !(output_names[out] = strdup(name))) {
                parley_error_add(&err, PARLEY_ENOMEM, NULL, "no memory for the results");
                goto fail;
            }
            if (sobol) {
                double var = parley_sobol_indices(y, k, samples, seed, 500, r1, r2, r3, r4, r5, r6);
                for (size_t j = 0; db_path && j < k; j++)
                    stored[out * k + j] = (parley_sensitivity_row){
                        paths[j], NAN, NAN, NAN, r1[j], r2[j], r3[j], r4[j], r5[j], r6[j]};
                if (!csv)
                    printf("  (variance of the output over the design: %.6g)\n"
                           "  %-44s %7s %17s %7s %17s\n", var, "param", "S1", "95%", "ST", "95%");
                for (size_t j = 0; j < k; j++) {
                    if (csv) {
                        mc_csv_text(stdout, name);
                        putchar(',');
                        mc_csv_text(stdout, paths[j]);
                        double v[] = {r1[j], r2[j], r3[j], r4[j], r5[j], r6[j]};
                        for (int q = 0; q < 6; q++) {
                            putchar(',');
                            mc_csv_number(stdout, v[q]);
                        }
                        putchar('\n');
                    } else {
                        printf("  %-44s %7.3f [%6.3f,%6.3f] %7.3f [%6.3f,%6.3f]\n", paths[j],
                               r1[j], r2[j], r3[j], r4[j], r5[j], r6[j]);
                    }
                }
            } else {
                parley_morris_indices(design, y, k, traj, r1, r2, r3);
                for (size_t j = 0; db_path && j < k; j++)
                    stored[out * k + j] = (parley_sensitivity_row){
                        paths[j], r1[j], r2[j], r3[j], NAN, NAN, NAN, NAN, NAN, NAN};
                if (!csv)
                    printf("  %-44s %9s %9s %9s\n", "param", "mu*", "mu", "sigma");
                for (size_t j = 0; j < k; j++) {
                    if (csv) {
                        mc_csv_text(stdout, name);
                        putchar(',');
                        mc_csv_text(stdout, paths[j]);
                        double v[] = {r1[j], r2[j], r3[j]};
                        for (int q = 0; q < 3; q++) {
                            putchar(',');
                            mc_csv_number(stdout, v[q]);
                        }
                        putchar('\n');
                    } else {
                        printf("  %-44s %9.4f %9.4f %9.4f\n", paths[j], r1[j], r2[j], r3[j]);
                    }
                }
            }
        }
    }
    if (db_path) {
        for (size_t i = 0; i < n_outputs * k; i++)
            stored_output[i] = output_names[i / k];
        if (parley_report_store_sensitivity_set(db_path, parley_scenario_name(sc), method, NULL,
                                                stored_output, stored, n_outputs * k,
                                                &err) != PARLEY_OK)
            goto fail;
    }
    code = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
    goto cleanup;
fail:
    code = cli_report_error(stderr, &err);
cleanup:
    parley_plan_free(plan);
    parley_scenario_free(sc);
    parley_error_clear(&err);
    free(design);
    free(values);
    free(acc.sum);
    free(acc.cnt);
    free(y);
    for (size_t i = 0; output_names && i < n_outputs; i++)
        free(output_names[i]);
    free(output_names);
    free((void *)stored_output);
    free(stored);
done:
    mc_vary_free(vary, n_vary);
    return code;
}
