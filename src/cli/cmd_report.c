/* `parley report`: one self-contained HTML page from a results database, or
 * from a scenario swept first with the sweep machinery (docs/REPORTS.md). */
#include "cli.h"
#include "mc_cli.h"

#include "parley/metrics.h"
#include "parley/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_OPTS 256

const char cli_report_usage[] =
    "usage: parley report RESULTS.sqlite -o FILE.html [--cell N] [--fan-runs N]\n"
    "                     [--model bdm|exchange|smp] [--sensitivity FILE.csv]\n"
    "       parley report SCENARIO --runs N -o FILE.html [--draws M] [--vary PATH=V1,V2]...\n"
    "                     [--set PATH=VALUE]... [--seed S] [--threads T] [--series]\n"
    "                     [--db FILE.sqlite] [--param PATH=LO:HI]... [--trajectories R]\n"
    "                     [--quiet] [the options above]\n"
    "\n"
    "Writes one HTML file that opens offline: the scenario at a glance (positions\n"
    "per issue), every bargaining model's forecast, outcome probabilities per policy\n"
    "cell with 95% intervals, trust and domestic support over time as fan charts\n"
    "(median, 50% and 90% bands), position convergence, a representative run's\n"
    "timeline, and the sensitivity ranking when there is one. Its numbers are also\n"
    "embedded as JSON (<script type=\"application/json\" id=\"parley-data\">).\n"
    "  -o, --out FILE      the page (written atomically: never a partial file)\n"
    "  --cell N            the policy cell of the fan charts and the timeline (default 0)\n"
    "  --fan-runs N        runs replayed for the fan charts when the database holds no\n"
    "                      series (default 200; sweep with --series to store them)\n"
    "  --model M           the dynamic model of the convergence chart (default bdm)\n"
    "  --sensitivity FILE  `parley sensitivity --format csv` output to rank, when the\n"
    "                      database has no sensitivity table\n"
    "With --runs, SCENARIO is swept first (options as `parley help sweep`) into\n"
    "--db FILE, or into a temporary database that is removed afterwards. Each\n"
    "--param PATH=LO:HI (a scenario number or sim.NAME) adds a Morris screening of\n"
    "P(treaty) and P(collapse) on the scenario (R trajectories, default 10; N runs\n"
    "per point), stored in the database's sensitivity table and ranked in the report.\n"
    "Exit status 2 for a missing, empty or foreign database (no file is written).\n";

typedef struct report_args {
    const char *source, *out, *db, *model, *sens;
    int64_t cell;
    uint32_t fan_runs, runs, draws;
    bool have_runs, have_draws, series, quiet;
    uint64_t seed;
    unsigned threads;
    char *sets[MAX_OPTS];
    int n_sets;
    char *vary_args[MAX_OPTS];
    int n_vary;
    char *params[MAX_OPTS];
    int n_params;
    uint32_t trajectories;
} report_args;

static int parse(int argc, char **argv, report_args *a)
{
    memset(a, 0, sizeof *a);
    a->seed = 1;
    a->threads = mc_default_threads();
    a->model = "bdm";
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        bool has = i + 1 < argc;
        if ((strcmp(s, "-o") == 0 || strcmp(s, "--out") == 0) && has) {
            a->out = argv[++i];
        } else if (strcmp(s, "--cell") == 0 && has) {
            uint32_t c;
            if (!mc_parse_u32(argv[++i], UINT32_MAX, &c))
                return cli_usage_error("report", "--cell needs a cell number, got '%s'",
                                       argv[i]);
            a->cell = c;
        } else if (strcmp(s, "--fan-runs") == 0 && has) {
            if (!mc_parse_u32(argv[++i], 1000000, &a->fan_runs) || a->fan_runs == 0)
                return cli_usage_error("report", "--fan-runs needs 1 to 1000000, got '%s'",
                                       argv[i]);
        } else if (strcmp(s, "--model") == 0 && has) {
            a->model = argv[++i];
        } else if (strcmp(s, "--sensitivity") == 0 && has) {
            a->sens = argv[++i];
        } else if (strcmp(s, "--db") == 0 && has) {
            a->db = argv[++i];
        } else if (strcmp(s, "--runs") == 0 && has) {
            if (!mc_parse_u32(argv[++i], UINT32_MAX, &a->runs) || a->runs == 0)
                return cli_usage_error("report", "--runs needs a whole number >= 1, got '%s'",
                                       argv[i]);
            a->have_runs = true;
        } else if (strcmp(s, "--draws") == 0 && has) {
            if (!mc_parse_u32(argv[++i], UINT32_MAX, &a->draws) || a->draws == 0)
                return cli_usage_error("report", "--draws needs a whole number >= 1, got '%s'",
                                       argv[i]);
            a->have_draws = true;
        } else if (strcmp(s, "--seed") == 0 && has) {
            if (!mc_parse_u64(argv[++i], &a->seed))
                return cli_usage_error("report", "--seed needs a non-negative integer, got '%s'",
                                       argv[i]);
        } else if (strcmp(s, "--threads") == 0 && has) {
            uint32_t t;
            if (!mc_parse_u32(argv[++i], 1024, &t) || t == 0)
                return cli_usage_error("report", "--threads needs 1 to 1024, got '%s'", argv[i]);
            a->threads = t;
        } else if (strcmp(s, "--set") == 0 && has) {
            if (a->n_sets == MAX_OPTS)
                return cli_usage_error("report", "at most %d --set options", MAX_OPTS);
            a->sets[a->n_sets++] = argv[++i];
        } else if (strcmp(s, "--vary") == 0 && has) {
            if (a->n_vary == MAX_OPTS)
                return cli_usage_error("report", "at most %d --vary options", MAX_OPTS);
            a->vary_args[a->n_vary++] = argv[++i];
        } else if (strcmp(s, "--param") == 0 && has) {
            if (a->n_params == MAX_OPTS)
                return cli_usage_error("report", "at most %d --param options", MAX_OPTS);
            a->params[a->n_params++] = argv[++i];
        } else if (strcmp(s, "--trajectories") == 0 && has) {
            if (!mc_parse_u32(argv[++i], 100000, &a->trajectories) || a->trajectories == 0)
                return cli_usage_error("report", "--trajectories needs 1 to 100000, got '%s'",
                                       argv[i]);
        } else if (strcmp(s, "--series") == 0) {
            a->series = true;
        } else if (strcmp(s, "--quiet") == 0 || strcmp(s, "-q") == 0) {
            a->quiet = true;
        } else if (s[0] == '-' && s[1]) {
            return cli_usage_error("report", "unknown option '%s' (or a missing value)", s);
        } else if (!a->source) {
            a->source = s;
        } else {
            return cli_usage_error("report", "one database or scenario at a time ('%s' is extra)",
                                   s);
        }
    }
    if (!a->source)
        return cli_usage_error("report", "which results database? e.g. `parley report "
                                         "results.sqlite -o report.html`");
    if (!a->out || !a->out[0])
        return cli_usage_error("report", "-o FILE.html is required");
    if (!a->have_runs &&
        (a->have_draws || a->n_vary || a->n_sets || a->series || a->db || a->n_params))
        return cli_usage_error("report", "--draws, --vary, --set, --series, --param and --db "
                                         "sweep a scenario first: they need --runs N");
    return CLI_EXIT_OK;
}

/* Appends " OPT VALUE" to a command line being built. */
static void append(char *buf, size_t size, const char *opt, const char *value)
{
    size_t n = strlen(buf);
    snprintf(buf + n, size - n, " %s%s%s", opt, value ? " " : "", value ? value : "");
}

/* Sweeps the scenario into `db_path` as `parley sweep` would, recording the
 * equivalent sweep command so that the report can find the scenario again. */
static int sweep_first(const report_args *a, const char *db_path, parley_error *err)
{
    parley_scenario *sc = NULL;
    parley_plan *plan = NULL;
    parley_results_db *db = NULL;
    parley_vary vary[MAX_OPTS];
    char *vary_copy[MAX_OPTS];
    size_t n_vary = 0;
    int code = CLI_EXIT_BAD_INPUT;
    char *cmd = NULL;
    for (int v = 0; v < a->n_vary; v++) {
        vary_copy[v] = strdup(a->vary_args[v]);
        if (!vary_copy[v] || !mc_parse_vary("report", vary_copy[v], &vary[n_vary])) {
            free(vary_copy[v]);
            goto done;
        }
        n_vary++;
    }
    if (mc_load_scenario(a->source, (char **)a->sets, a->n_sets, &sc, err) != PARLEY_OK)
        goto fail;
    parley_plan_spec spec = {0};
    spec.scenario = sc;
    spec.seed = a->seed;
    spec.runs = a->runs;
    spec.vary = vary;
    spec.n_vary = n_vary;
    spec.series = a->series;
    spec.mode = a->have_draws ? PARLEY_DRAWS_LHS : PARLEY_DRAWS_NOMINAL;
    spec.draws = a->have_draws ? a->draws : 0;
    if (parley_plan_new(&spec, &plan, err) != PARLEY_OK)
        goto fail;
    size_t cap = 4096 + strlen(a->source) + strlen(db_path);
    for (int i = 0; i < a->n_sets; i++)
        cap += strlen(a->sets[i]) + 8;
    for (int v = 0; v < a->n_vary; v++)
        cap += strlen(a->vary_args[v]) + 8;
    if (!(cmd = malloc(cap))) {
        parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory");
        goto fail;
    }
    char num[32];
    snprintf(cmd, cap, "parley sweep %s", a->source);
    snprintf(num, sizeof num, "%lu", (unsigned long)a->runs);
    append(cmd, cap, "--runs", num);
    if (a->have_draws) {
        snprintf(num, sizeof num, "%lu", (unsigned long)a->draws);
        append(cmd, cap, "--draws", num);
    }
    for (int v = 0; v < a->n_vary; v++)
        append(cmd, cap, "--vary", a->vary_args[v]);
    for (int i = 0; i < a->n_sets; i++)
        append(cmd, cap, "--set", a->sets[i]);
    snprintf(num, sizeof num, "%llu", (unsigned long long)a->seed);
    append(cmd, cap, "--seed", num);
    if (a->series)
        append(cmd, cap, "--series", NULL);
    append(cmd, cap, "--out", db_path);
    if (parley_results_db_open(db_path, plan, cmd, &db, err) != PARLEY_OK)
        goto fail;
    mc_progress bar;
    mc_progress_init(&bar, !a->quiet, parley_results_db_done_count(db),
                     parley_plan_total_runs(plan));
    parley_exec_options opt = {0};
    opt.threads = a->threads;
    opt.done = parley_results_db_done(db);
    opt.sink = parley_results_db_sink;
    opt.sink_user = db;
    opt.progress = mc_progress_cb;
    opt.progress_user = &bar;
    parley_status st = parley_plan_execute(plan, &opt, err);
    mc_progress_end(&bar);
    parley_error ferr;
    parley_error_init(&ferr);
    parley_status fst = parley_results_db_finish(db, &ferr);
    parley_error_append(err, &ferr);
    if (st != PARLEY_OK || fst != PARLEY_OK)
        goto fail;
    code = CLI_EXIT_OK;
    goto done;
fail:
    code = cli_report_error(stderr, err);
done:
    parley_results_db_close(db);
    parley_plan_free(plan);
    parley_scenario_free(sc);
    mc_vary_free(vary, n_vary);
    for (size_t v = 0; v < n_vary; v++)
        free(vary_copy[v]);
    free(cmd);
    return code;
}

/* Morris screening of P(treaty) and P(collapse) over the --param ranges,
 * stored in the database the report reads. */
static int screen(const report_args *a, const char *db_path, parley_error *err)
{
    const char *paths[MAX_OPTS];
    double lo[MAX_OPTS], hi[MAX_OPTS];
    char *copies[MAX_OPTS];
    int n = 0, code = CLI_EXIT_BAD_INPUT;
    parley_scenario *sc = NULL;
    parley_sensitivity_row rows[2 * MAX_OPTS];
    static const int metrics[2] = {PARLEY_METRIC_TREATY, PARLEY_METRIC_COLLAPSE};
    for (; n < a->n_params; n++) {
        copies[n] = strdup(a->params[n]);
        char *eq = copies[n] ? strchr(copies[n], '=') : NULL;
        char *colon = eq ? strchr(eq, ':') : NULL;
        if (!eq || eq == copies[n] || !colon) {
            cli_usage_error("report", "--param needs PATH=LO:HI, got '%s'", a->params[n]);
            n++;
            goto done;
        }
        *eq = *colon = '\0';
        if (!mc_parse_double(eq + 1, &lo[n]) || !mc_parse_double(colon + 1, &hi[n]) ||
            !(lo[n] < hi[n])) {
            cli_usage_error("report", "--param %s: needs numbers LO < HI", copies[n]);
            n++;
            goto done;
        }
        paths[n] = copies[n];
    }
    if (mc_load_scenario(a->source, (char **)a->sets, a->n_sets, &sc, err) != PARLEY_OK)
        goto fail;
    parley_morris_request req;
    memset(&req, 0, sizeof req);
    req.scenario = sc;
    req.params = paths;
    req.lo = lo;
    req.hi = hi;
    req.k = (size_t)n;
    req.runs = a->runs;
    req.trajectories = a->trajectories ? a->trajectories : 10;
    req.levels = 4;
    req.threads = a->threads;
    req.seed = a->seed;
    req.metrics = metrics;
    req.n_metrics = 2;
    if (parley_report_morris(&req, rows, err) != PARLEY_OK ||
        parley_report_store_sensitivity(db_path, "morris", "treaty", rows, (size_t)n, err) !=
            PARLEY_OK ||
        parley_report_store_sensitivity(db_path, "morris", "collapse", rows + n, (size_t)n,
                                        err) != PARLEY_OK)
        goto fail;
    code = CLI_EXIT_OK;
    goto done;
fail:
    code = cli_report_error(stderr, err);
done:
    for (int i = 0; i < n; i++)
        free(copies[i]);
    parley_scenario_free(sc);
    return code;
}

int cli_cmd_report(int argc, char **argv)
{
    report_args a;
    int code = parse(argc, argv, &a);
    if (code != CLI_EXIT_OK)
        return code;
    parley_error err;
    parley_error_init(&err);
    char tmpdir[4096] = "", tmpdb[4200] = "";
    const char *db_path = a.source;
    if (a.have_runs) {
        if (a.db) {
            db_path = a.db;
        } else {
            const char *t = getenv("TMPDIR");
            snprintf(tmpdir, sizeof tmpdir, "%s/parley-report.XXXXXX", t && *t ? t : "/tmp");
            if (!mkdtemp(tmpdir)) {
                fprintf(stderr, "parley report: cannot create a temporary directory in %s\n",
                        t && *t ? t : "/tmp");
                return CLI_EXIT_FAILURE;
            }
            snprintf(tmpdb, sizeof tmpdb, "%s/sweep.sqlite", tmpdir);
            db_path = tmpdb;
        }
        code = sweep_first(&a, db_path, &err);
        if (code == CLI_EXIT_OK && a.n_params)
            code = screen(&a, db_path, &err);
        if (code != CLI_EXIT_OK)
            goto done;
    }
    parley_report_options opt;
    parley_report_options_default(&opt);
    opt.cell = a.cell;
    if (a.fan_runs)
        opt.fan_runs = a.fan_runs;
    opt.bargain_model = a.model;
    opt.sensitivity_csv = a.sens;
    parley_report_data *data = NULL;
    double t0 = mc_now();
    if (parley_report_data_from_db(db_path, &opt, &data, &err) != PARLEY_OK ||
        parley_report_write_html(data, a.out, &err) != PARLEY_OK) {
        code = cli_report_error(stderr, &err);
    } else {
        if (!a.quiet)
            fprintf(stderr, "%s: report of %s written in %.2f s\n", a.out, db_path,
                    mc_now() - t0);
        code = CLI_EXIT_OK;
    }
    parley_report_data_free(data);
done:
    if (tmpdb[0]) {
        remove(tmpdb);
        char side[4300];
        snprintf(side, sizeof side, "%s-journal", tmpdb);
        remove(side);
        rmdir(tmpdir);
    }
    parley_error_clear(&err);
    return code;
}
