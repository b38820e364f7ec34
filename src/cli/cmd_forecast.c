/* `parley forecast FILE`: where the bargaining lands, by every model (or the
 * ones chosen), as an aligned table, tidy CSV (model,issue,forecast; with
 * --trace model,round,actor,issue,position) or JSON. */
#include "bargain_cli.h"
#include "cli.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OUT_TABLE, OUT_CSV, OUT_JSON };

const char cli_forecast_usage[] =
    "usage: parley forecast FILE [--model NAME|all] [--rounds N] [--format table|csv|json]\n"
    "                       [--trace] [--input-format F] [--seed S] [model options]\n\n"
    "Forecasts where bargaining lands on each issue of FILE: a parley scenario, a Decide\n"
    "file (#A/#P/#M/#D), a KTAB SMP CSV, an Actor,Capability,Position,Salience CSV or the\n"
    "DEU III TSV (detected from the content). Positions are on the input's own scale.\n\n"
    "  --format table|csv|json  table (default); csv: model,issue,forecast;\n"
    "                           with --trace: model,round,actor,issue,position (round 0 is\n"
    "                           the input; BDM adds actors *median* and *mean*)\n"
    "  --trace                  the per-round positions of the dynamic models\n"
    BARGAIN_CLI_OPTIONS_HELP
    "\nModels that reject the input are skipped with a message when several run.\n"
    "docs/MODELS.md gives every model's equations and defaults.\n";

/* One model's outcome on the problem. */
typedef struct run {
    parley_bargain_model model;
    bool ok;
    parley_bargain_result result;
} run;

static double trace_position(const parley_bargain_problem *p, const parley_bargain_result *r,
                             size_t round, size_t a, size_t i)
{
    if (!r->trace.positions)
        return p->position[a * p->n_issues + i];
    return r->trace.positions[(round * p->n_actors + a) * p->n_issues + i];
}

static size_t trace_rounds(const parley_bargain_result *r)
{
    return r->trace.positions ? r->trace.rounds : 0;
}

static void print_csv(const parley_bargain_problem *p, const run *runs, size_t n, bool trace)
{
    if (!trace) {
        printf("model,issue,forecast\n");
        for (size_t m = 0; m < n; m++) {
            if (!runs[m].ok)
                continue;
            for (size_t i = 0; i < p->n_issues; i++) {
                printf("%s,", parley_bargain_model_name(runs[m].model));
                bargain_cli_csv_field(stdout, p->issue_ids[i]);
                putchar(',');
                bargain_cli_csv_number(stdout, runs[m].result.forecast[i]);
                putchar('\n');
            }
        }
        return;
    }
    printf("model,round,actor,issue,position\n");
    for (size_t m = 0; m < n; m++) {
        if (!runs[m].ok)
            continue;
        const parley_bargain_result *r = &runs[m].result;
        const char *name = parley_bargain_model_name(runs[m].model);
        for (size_t t = 0; t <= trace_rounds(r); t++)
            for (size_t i = 0; i < p->n_issues; i++) {
                for (size_t a = 0; a < p->n_actors; a++) {
                    double x = trace_position(p, r, t, a, i);
                    if (!isfinite(x))
                        continue;
                    printf("%s,%zu,", name, t);
                    bargain_cli_csv_field(stdout, p->actor_ids[a]);
                    putchar(',');
                    bargain_cli_csv_field(stdout, p->issue_ids[i]);
                    putchar(',');
                    bargain_cli_csv_number(stdout, x);
                    putchar('\n');
                }
                const double *extra[2] = {r->trace.positions ? r->trace.median : NULL,
                                          r->trace.positions ? r->trace.mean : NULL};
                const char *label[2] = {"*median*", "*mean*"};
                for (int e = 0; e < 2; e++) {
                    if (!extra[e] || !isfinite(extra[e][t * p->n_issues + i]))
                        continue;
                    printf("%s,%zu,%s,", name, t, label[e]);
                    bargain_cli_csv_field(stdout, p->issue_ids[i]);
                    putchar(',');
                    bargain_cli_csv_number(stdout, extra[e][t * p->n_issues + i]);
                    putchar('\n');
                }
            }
    }
}

static json_t *json_num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static int print_json(const char *path, const parley_bargain_problem *p, const run *runs, size_t n,
                      bool trace)
{
    json_t *root = json_object();
    json_t *issues = json_array(), *actors = json_array(), *fc = json_array();
    json_object_set_new(root, "input", json_string(path));
    json_object_set_new(root, "title", p->title ? json_string(p->title) : json_null());
    for (size_t a = 0; a < p->n_actors; a++)
        json_array_append_new(actors, json_string(p->actor_ids[a]));
    for (size_t i = 0; i < p->n_issues; i++)
        json_array_append_new(issues, json_string(p->issue_ids[i]));
    json_object_set_new(root, "actors", actors);
    json_object_set_new(root, "issues", issues);
    for (size_t m = 0; m < n; m++)
        for (size_t i = 0; runs[m].ok && i < p->n_issues; i++) {
            json_t *row = json_object();
            json_object_set_new(row, "model", json_string(parley_bargain_model_name(runs[m].model)));
            json_object_set_new(row, "issue", json_string(p->issue_ids[i]));
            json_object_set_new(row, "forecast", json_num(runs[m].result.forecast[i]));
            json_array_append_new(fc, row);
        }
    json_object_set_new(root, "forecasts", fc);
    if (trace) {
        json_t *tr = json_array();
        for (size_t m = 0; m < n; m++) {
            if (!runs[m].ok)
                continue;
            const parley_bargain_result *r = &runs[m].result;
            for (size_t t = 0; t <= trace_rounds(r); t++)
                for (size_t i = 0; i < p->n_issues; i++) {
                    for (size_t a = 0; a < p->n_actors; a++) {
                        double x = trace_position(p, r, t, a, i);
                        if (!isfinite(x))
                            continue;
                        json_t *row = json_object();
                        json_object_set_new(row, "model",
                                            json_string(parley_bargain_model_name(runs[m].model)));
                        json_object_set_new(row, "round", json_integer((json_int_t)t));
                        json_object_set_new(row, "actor", json_string(p->actor_ids[a]));
                        json_object_set_new(row, "issue", json_string(p->issue_ids[i]));
                        json_object_set_new(row, "position", json_real(x));
                        json_array_append_new(tr, row);
                    }
                }
        }
        json_object_set_new(root, "trace", tr);
    }
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10) | JSON_ENSURE_ASCII);
    json_decref(root);
    if (!text) {
        fprintf(stderr, "parley forecast: out of memory writing JSON\n");
        return CLI_EXIT_FAILURE;
    }
    printf("%s\n", text);
    free(text);
    return CLI_EXIT_OK;
}

static void print_table(const char *path, const parley_bargain_problem *p, const run *runs,
                        size_t n, bool trace)
{
    int w = 5;
    for (size_t i = 0; i < p->n_issues; i++) {
        int l = (int)strlen(p->issue_ids[i]);
        w = l > w ? l : w;
    }
    w = w > 40 ? 40 : w;
    bool outcome = false;
    for (size_t i = 0; i < p->n_issues; i++)
        outcome = outcome || isfinite(p->outcome[i]);
    printf("%s%s%zu actor(s), %zu issue(s) (%s)\n\n", p->title ? p->title : "",
           p->title ? ": " : "", p->n_actors, p->n_issues, path);
    printf("%-*s", w, "issue");
    for (size_t m = 0; m < n; m++)
        if (runs[m].ok)
            printf("  %10s", parley_bargain_model_name(runs[m].model));
    if (outcome)
        printf("  %10s", "outcome");
    printf("\n");
    for (size_t i = 0; i < p->n_issues; i++) {
        int d = bargain_cli_decimals(p->scale_max[i] - p->scale_min[i]);
        printf("%-*.*s", w, w, p->issue_ids[i]);
        for (size_t m = 0; m < n; m++) {
            if (!runs[m].ok)
                continue;
            double v = runs[m].result.forecast[i];
            if (isfinite(v))
                printf("  %10.*f", d, v);
            else
                printf("  %10s", "-");
        }
        if (outcome) {
            if (isfinite(p->outcome[i]))
                printf("  %10.*f", d, p->outcome[i]);
            else
                printf("  %10s", "-");
        }
        printf("\n");
    }
    if (!trace)
        return;
    int aw = 5;
    for (size_t a = 0; a < p->n_actors; a++) {
        int l = (int)strlen(p->actor_ids[a]);
        aw = l > aw ? l : aw;
    }
    aw = aw > 30 ? 30 : aw;
    for (size_t m = 0; m < n; m++) {
        const parley_bargain_result *r = &runs[m].result;
        if (!runs[m].ok || !r->trace.positions)
            continue;
        for (size_t i = 0; i < p->n_issues; i++) {
            int d = bargain_cli_decimals(p->scale_max[i] - p->scale_min[i]);
            printf("\n%s, issue %s: positions by round\n", parley_bargain_model_name(runs[m].model),
                   p->issue_ids[i]);
            printf("%-*s", aw, "actor");
            for (size_t t = 0; t <= r->trace.rounds; t++)
                printf("  %8zu", t);
            printf("\n");
            for (size_t a = 0; a < p->n_actors + 2; a++) {
                const double *extra = a == p->n_actors ? r->trace.median
                                      : a > p->n_actors ? r->trace.mean
                                                        : NULL;
                if (a >= p->n_actors && !extra)
                    continue;
                if (a < p->n_actors && !isfinite(trace_position(p, r, 0, a, i)))
                    continue;
                printf("%-*.*s", aw, aw,
                       a < p->n_actors ? p->actor_ids[a] : a == p->n_actors ? "*median*" : "*mean*");
                for (size_t t = 0; t <= r->trace.rounds; t++) {
                    double x = extra ? extra[t * p->n_issues + i] : trace_position(p, r, t, a, i);
                    if (isfinite(x))
                        printf("  %8.*f", d, x);
                    else
                        printf("  %8s", "-");
                }
                printf("\n");
            }
        }
    }
}

int cli_cmd_forecast(int argc, char **argv)
{
    bargain_cli_options o;
    bargain_cli_options_init(&o);
    const char *path = NULL;
    int format = OUT_TABLE;
    bool trace = false;
    for (int i = 1; i < argc; i++) {
        int r = bargain_cli_parse_option("forecast", argc, argv, &i, &o);
        if (r < 0)
            return CLI_EXIT_BAD_INPUT;
        if (r > 0)
            continue;
        const char *a = argv[i];
        if (strcmp(a, "--trace") == 0) {
            trace = true;
        } else if (strncmp(a, "--format", 8) == 0 && (a[8] == '\0' || a[8] == '=')) {
            const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v)
                return cli_usage_error("forecast", "--format needs a value");
            if (strcmp(v, "table") == 0)
                format = OUT_TABLE;
            else if (strcmp(v, "csv") == 0)
                format = OUT_CSV;
            else if (strcmp(v, "json") == 0)
                format = OUT_JSON;
            else
                return cli_usage_error("forecast", "--format: '%s' is not table, csv or json", v);
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("forecast", "unknown option '%s'", a);
        } else if (!path) {
            path = a;
        } else {
            return cli_usage_error("forecast", "one FILE only ('%s' is a second)", a);
        }
    }
    if (!path)
        return cli_usage_error("forecast", "missing FILE");
    if (!o.model_given)
        for (int m = 0; m < PARLEY_MODEL_COUNT; m++)
            o.models[m] = true;
    size_t wanted = 0;
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++)
        wanted += o.models[m];

    parley_bargain_problem *p;
    int code = bargain_cli_load(path, &o, &p);
    if (code != CLI_EXIT_OK)
        return code;
    run runs[PARLEY_MODEL_COUNT];
    size_t n = 0, ok = 0;
    int first_failure = CLI_EXIT_OK;
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++) {
        if (!o.models[m])
            continue;
        run *r = &runs[n++];
        r->model = (parley_bargain_model)m;
        parley_error err;
        parley_error_init(&err);
        r->ok = parley_bargain_forecast(p, r->model, &o.settings, &r->result, &err) == PARLEY_OK;
        if (!r->ok) {
            if (wanted > 1)
                fprintf(stderr, "parley forecast: model %s skipped:\n",
                        parley_bargain_model_name(r->model));
            int c = cli_report_error(stderr, &err);
            if (first_failure == CLI_EXIT_OK)
                first_failure = c;
        } else {
            ok++;
        }
        parley_error_clear(&err);
    }
    if (ok == 0) {
        parley_bargain_problem_free(p);
        return first_failure != CLI_EXIT_OK ? first_failure : CLI_EXIT_FAILURE;
    }
    code = CLI_EXIT_OK;
    if (format == OUT_CSV)
        print_csv(p, runs, n, trace);
    else if (format == OUT_JSON)
        code = print_json(path, p, runs, n, trace);
    else
        print_table(path, p, runs, n, trace);
    for (size_t m = 0; m < n; m++)
        if (runs[m].ok)
            parley_bargain_result_free(&runs[m].result);
    parley_bargain_problem_free(p);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "parley forecast: error writing the output\n");
        return CLI_EXIT_FAILURE;
    }
    /* A model chosen alone that fails is the command's failure. */
    return wanted == 1 ? (ok ? CLI_EXIT_OK : first_failure) : code;
}
