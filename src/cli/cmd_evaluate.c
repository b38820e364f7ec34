/* `parley evaluate FILE`: runs the models on every issue with a known outcome
 * and reports, per model, the mean and median absolute error and the share of
 * issues within 10 points, on the 0-100 scale (docs/MODELS.md, "Evaluation on
 * DEU III"). */
#include "bargain_cli.h"
#include "cli.h"

#include <math.h>
#include <string.h>

const char cli_evaluate_usage[] =
    "usage: parley evaluate FILE [--capability gdp|equal] [--format table|csv]\n"
    "                       [--model NAME|all] [model options]\n\n"
    "Runs every model (or those chosen) on every issue of FILE that has a known outcome\n"
    "and prints, per model, the number of issues scored, the mean absolute error, the\n"
    "median absolute error and the share of issues within 10 points, all on the 0-100\n"
    "scale. FILE is the DEU III TSV or any TSV in its layout (docs/MODELS.md, \"Input\n"
    "formats\"): columns pX and sX per actor X, rp (status quo), out (outcome).\n\n"
    "  --format table|csv       table (default); csv: model,n,mae,median_ae,within10\n"
    BARGAIN_CLI_OPTIONS_HELP;

int cli_cmd_evaluate(int argc, char **argv)
{
    bargain_cli_options o;
    bargain_cli_options_init(&o);
    const char *path = NULL;
    bool csv = false;
    for (int i = 1; i < argc; i++) {
        int r = bargain_cli_parse_option("evaluate", argc, argv, &i, &o);
        if (r < 0)
            return CLI_EXIT_BAD_INPUT;
        if (r > 0)
            continue;
        const char *a = argv[i];
        if (strncmp(a, "--format", 8) == 0 && (a[8] == '\0' || a[8] == '=')) {
            const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v)
                return cli_usage_error("evaluate", "--format needs a value");
            if (strcmp(v, "csv") == 0)
                csv = true;
            else if (strcmp(v, "table") == 0)
                csv = false;
            else
                return cli_usage_error("evaluate", "--format: '%s' is not table or csv", v);
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("evaluate", "unknown option '%s'", a);
        } else if (!path) {
            path = a;
        } else {
            return cli_usage_error("evaluate", "one FILE only ('%s' is a second)", a);
        }
    }
    if (!path)
        return cli_usage_error("evaluate", "missing FILE");
    if (!o.model_given)
        for (int m = 0; m < PARLEY_MODEL_COUNT; m++)
            o.models[m] = true;

    parley_bargain_problem *p;
    int code = bargain_cli_load(path, &o, &p);
    if (code != CLI_EXIT_OK)
        return code;
    size_t with_outcome = 0;
    for (size_t i = 0; i < p->n_issues; i++)
        with_outcome += isfinite(p->outcome[i]) != 0;
    if (with_outcome == 0) {
        fprintf(stderr, "parley: %s: no issue has a known outcome to evaluate against\n", path);
        parley_bargain_problem_free(p);
        return CLI_EXIT_BAD_INPUT;
    }
    if (csv)
        printf("model,n,mae,median_ae,within10\n");
    else
        printf("%s: %zu issues with a known outcome; errors on the 0-100 scale\n\n"
               "%-12s %5s %8s %10s %10s\n",
               path, with_outcome, "model", "n", "MAE", "median AE", "within 10");
    int status = CLI_EXIT_OK;
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++) {
        if (!o.models[m])
            continue;
        parley_error err;
        parley_error_init(&err);
        parley_bargain_result r;
        parley_bargain_score s;
        parley_status st = parley_bargain_forecast(p, (parley_bargain_model)m, &o.settings, &r, &err);
        if (st == PARLEY_OK) {
            st = parley_bargain_score_forecast(p, r.forecast, &s, &err);
            parley_bargain_result_free(&r);
        }
        if (st != PARLEY_OK) {
            fprintf(stderr, "parley evaluate: model %s failed:\n",
                    parley_bargain_model_name((parley_bargain_model)m));
            int c = cli_report_error(stderr, &err);
            if (status == CLI_EXIT_OK)
                status = c;
            parley_error_clear(&err);
            continue;
        }
        parley_error_clear(&err);
        const char *name = parley_bargain_model_name((parley_bargain_model)m);
        if (csv) {
            printf("%s,%zu,", name, s.n);
            bargain_cli_csv_number(stdout, s.mae);
            putchar(',');
            bargain_cli_csv_number(stdout, s.median_ae);
            putchar(',');
            bargain_cli_csv_number(stdout, s.within10);
            putchar('\n');
        } else {
            printf("%-12s %5zu %8.2f %10.2f %9.1f%%\n", name, s.n, s.mae, s.median_ae,
                   100.0 * s.within10);
        }
    }
    if (!csv) {
        /* The naive baseline: nothing changes. */
        parley_bargain_score s;
        parley_error err;
        parley_error_init(&err);
        if (parley_bargain_score_forecast(p, p->status_quo, &s, &err) == PARLEY_OK && s.n > 0)
            printf("\nbaseline: the status quo (rp) on the %zu issues that give one: MAE %.2f, "
                   "median AE %.2f, within 10 %.1f%%\n",
                   s.n, s.mae, s.median_ae, 100.0 * s.within10);
        parley_error_clear(&err);
    }
    parley_bargain_problem_free(p);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "parley evaluate: error writing the output\n");
        return CLI_EXIT_FAILURE;
    }
    return status;
}
