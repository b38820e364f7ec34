/* `parley summary` and `parley compare`: per-cell outcome probabilities with
 * intervals, and paired policy contrasts, read from a sweep's database. */
#include "cli.h"
#include "mc_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char cli_summary_usage[] =
    "usage: parley summary RESULTS.sqlite [--format table|csv] [--min-extent X]\n"
    "\n"
    "One row per policy cell of a `parley sweep` database. --format csv prints the\n"
    "header\n"
    "  cell,runs,p_treaty,p_treaty_lo,p_treaty_hi,p_collapse,p_collapse_lo,\n"
    "  p_collapse_hi,median_months_to_treaty,mean_cbm_rungs,median_treaty_extent\n"
    "followed by one column per varied path. p_treaty counts treaties signed and\n"
    "ratified within the horizon, whatever their extent: median_treaty_extent (the\n"
    "table's 'extent') says how far they replace the armistice, 0-100; a treaty near\n"
    "0 is one in name, carried by its other terms. --min-extent X (0-100) counts\n"
    "as treaties only those whose extent reaches X (50: more than halfway from the\n"
    "armistice to a permanent treaty); months and extents are then theirs.\n"
    "The interval [lo, hi] is 95% for the probability over all draws and runs: a\n"
    "Wilson interval on the effective sample size, which the spread between draws\n"
    "shrinks (docs/SWEEPS.md). The table also shows that spread: the 5%, 50% and\n"
    "95% quantiles of P(outcome | draw) over the draws.\n"
    "A database still being written (or interrupted) is summarised as far as it goes.\n";

const char cli_compare_usage[] =
    "usage: parley compare RESULTS.sqlite CELL_A CELL_B [--format table|csv]\n"
    "                      [--min-extent X]\n"
    "\n"
    "Paired differences A - B in P(treaty), P(collapse) and mean CBM rungs over the\n"
    "(draw, run) pairs both cells ran: the cells share their random numbers, so the\n"
    "difference is the policy's effect on the same histories. Cells are named by\n"
    "number or by label (`parley summary` lists both). 95% intervals: Newcombe's\n"
    "paired interval with one draw, a Student t interval over the per-draw\n"
    "differences with several. --min-extent X counts as treaties only those whose\n"
    "peace-regime extent reaches X (as in `parley summary`). --format csv prints\n"
    "the header\n"
    "  metric,cell_a,cell_b,mean_a,mean_b,diff,diff_lo,diff_hi,pairs\n";

static bool parse_format(const char *cmd, const char *f, bool *csv)
{
    if (strcmp(f, "csv") == 0)
        *csv = true;
    else if (strcmp(f, "table") == 0)
        *csv = false;
    else {
        cli_usage_error(cmd, "--format must be table or csv, got '%s'", f);
        return false;
    }
    return true;
}

static bool parse_min_extent(const char *cmd, const char *v, double *out)
{
    char *end = NULL;
    *out = strtod(v, &end);
    if (end == v || *end || !(*out >= 0.0 && *out <= 100.0)) {
        cli_usage_error(cmd, "--min-extent must be a number in [0, 100], got '%s'", v);
        return false;
    }
    return true;
}

static void print_num(double x, int width, int prec)
{
    if (isnan(x))
        printf(" %*s", width, "-");
    else
        printf(" %*.*f", width, prec, x);
}

int cli_cmd_summary(int argc, char **argv)
{
    const char *path = NULL;
    bool csv = false;
    double min_extent = 0.0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            if (!parse_format("summary", argv[++i], &csv))
                return CLI_EXIT_BAD_INPUT;
        } else if (strcmp(argv[i], "--min-extent") == 0 && i + 1 < argc) {
            if (!parse_min_extent("summary", argv[++i], &min_extent))
                return CLI_EXIT_BAD_INPUT;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error("summary", "unknown option '%s'", argv[i]);
        } else if (!path) {
            path = argv[i];
        } else {
            return cli_usage_error("summary", "one database at a time ('%s' is extra)", argv[i]);
        }
    }
    if (!path)
        return cli_usage_error("summary", "which results database?");
    parley_error err;
    parley_error_init(&err);
    parley_summary_set *s = NULL;
    if (parley_results_summary_min_extent(path, min_extent, &s, &err) != PARLEY_OK) {
        int code = cli_report_error(stderr, &err);
        parley_error_clear(&err);
        return code;
    }
    if (csv) {
        printf("cell,runs,p_treaty,p_treaty_lo,p_treaty_hi,p_collapse,p_collapse_lo,"
               "p_collapse_hi,median_months_to_treaty,mean_cbm_rungs,median_treaty_extent");
        for (size_t v = 0; v < s->n_vary; v++) {
            putchar(',');
            mc_csv_text(stdout, s->vary_paths[v]);
        }
        putchar('\n');
        for (size_t c = 0; c < s->n_cells; c++) {
            const parley_cell_summary *x = &s->cells[c];
            printf("%lld,%lld", (long long)x->cell, (long long)x->runs);
            double v[] = {x->p_treaty.estimate, x->p_treaty.lo, x->p_treaty.hi,
                          x->p_collapse.estimate, x->p_collapse.lo, x->p_collapse.hi,
                          x->median_months_to_treaty, x->mean_cbm_rungs,
                          x->median_treaty_extent};
            for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
                putchar(',');
                mc_csv_number(stdout, x->runs ? v[k] : NAN);
            }
            for (size_t k = 0; k < s->n_vary; k++) {
                putchar(',');
                mc_csv_text(stdout, x->values[k]);
            }
            putchar('\n');
        }
    } else {
        printf("%s: scenario %s, %lld draw(s) x %lld run(s) per cell%s\n", path,
               s->scenario ? s->scenario : "?", (long long)s->draws,
               (long long)s->runs_per_cell_draw, s->complete ? "" : " (incomplete)");
        if (s->min_treaty_extent > 0.0)
            printf("treaties counted only from peace-regime extent %g of 100\n",
                   s->min_treaty_extent);
        printf("%5s %7s %22s %17s %22s %17s %7s %6s %6s  %s\n", "cell", "runs",
               "P(treaty) [95%]", "draws 5/50/95%", "P(collapse) [95%]", "draws 5/50/95%",
               "months", "extent", "rungs", "label");
        for (size_t c = 0; c < s->n_cells; c++) {
            const parley_cell_summary *x = &s->cells[c];
            printf("%5lld %7lld", (long long)x->cell, (long long)x->runs);
            print_num(x->p_treaty.estimate, 6, 3);
            printf(" [%5.3f,%5.3f]", x->p_treaty.lo, x->p_treaty.hi);
            print_num(x->p_treaty_draw_q05, 5, 2);
            print_num(x->p_treaty_draw_q50, 5, 2);
            print_num(x->p_treaty_draw_q95, 5, 2);
            print_num(x->p_collapse.estimate, 6, 3);
            printf(" [%5.3f,%5.3f]", x->p_collapse.lo, x->p_collapse.hi);
            print_num(x->p_collapse_draw_q05, 5, 2);
            print_num(x->p_collapse_draw_q50, 5, 2);
            print_num(x->p_collapse_draw_q95, 5, 2);
            print_num(x->median_months_to_treaty, 7, 1);
            print_num(x->median_treaty_extent, 6, 1);
            print_num(x->mean_cbm_rungs, 6, 2);
            printf("  %s\n", x->label);
        }
    }
    int code = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
    parley_summary_set_free(s);
    parley_error_clear(&err);
    return code;
}

int cli_cmd_compare(int argc, char **argv)
{
    const char *pos[3] = {NULL, NULL, NULL};
    int n_pos = 0;
    bool csv = false;
    double min_extent = 0.0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            if (!parse_format("compare", argv[++i], &csv))
                return CLI_EXIT_BAD_INPUT;
        } else if (strcmp(argv[i], "--min-extent") == 0 && i + 1 < argc) {
            if (!parse_min_extent("compare", argv[++i], &min_extent))
                return CLI_EXIT_BAD_INPUT;
        } else if (argv[i][0] == '-' && argv[i][1] && !(argv[i][1] >= '0' && argv[i][1] <= '9')) {
            return cli_usage_error("compare", "unknown option '%s'", argv[i]);
        } else if (n_pos < 3) {
            pos[n_pos++] = argv[i];
        } else {
            return cli_usage_error("compare", "'%s' is extra", argv[i]);
        }
    }
    if (n_pos < 3)
        return cli_usage_error("compare", "needs RESULTS.sqlite CELL_A CELL_B");
    parley_error err;
    parley_error_init(&err);
    parley_contrast c[PARLEY_CONTRASTS];
    char *la = NULL, *lb = NULL;
    if (parley_results_compare_min_extent(pos[0], pos[1], pos[2], min_extent, c, &la, &lb,
                                          &err) != PARLEY_OK) {
        int code = cli_report_error(stderr, &err);
        parley_error_clear(&err);
        return code;
    }
    if (csv) {
        printf("metric,cell_a,cell_b,mean_a,mean_b,diff,diff_lo,diff_hi,pairs\n");
        for (int k = 0; k < PARLEY_CONTRASTS; k++) {
            printf("%s,", c[k].metric);
            mc_csv_text(stdout, la);
            putchar(',');
            mc_csv_text(stdout, lb);
            double v[] = {c[k].a, c[k].b, c[k].diff.estimate, c[k].diff.lo, c[k].diff.hi};
            for (size_t i = 0; i < 5; i++) {
                putchar(',');
                mc_csv_number(stdout, v[i]);
            }
            printf(",%lld\n", (long long)c[k].pairs);
        }
    } else {
        printf("A: %s\nB: %s\n%lld paired runs (same draw and run: common random numbers)\n", la,
               lb, (long long)c[0].pairs);
        if (min_extent > 0.0)
            printf("treaties counted only from peace-regime extent %g of 100\n", min_extent);
        printf("%-10s %8s %8s %9s %20s\n", "metric", "A", "B", "A - B", "95% interval");
        for (int k = 0; k < PARLEY_CONTRASTS; k++) {
            printf("%-10s %8.4f %8.4f %+9.4f", c[k].metric, c[k].a, c[k].b, c[k].diff.estimate);
            if (isnan(c[k].diff.lo))
                printf(" %20s\n", "-");
            else
                printf("   [%+8.4f,%+8.4f]\n", c[k].diff.lo, c[k].diff.hi);
        }
    }
    parley_mc_string_free(la);
    parley_mc_string_free(lb);
    parley_error_clear(&err);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}
