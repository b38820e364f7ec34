/* `parley plot CHART SOURCE -o FILE.svg|FILE.png`: any single chart of the
 * report, for papers (docs/REPORTS.md). */
#include "cli.h"
#include "mc_cli.h"

#include "parley/report.h"

#include <stdio.h>
#include <string.h>

const char cli_plot_usage[] =
    "usage: parley plot CHART SOURCE -o FILE.svg|FILE.png [--format svg|png] [--cell N]\n"
    "                   [--fan-runs N] [--model bdm|exchange|smp] [--sensitivity FILE.csv]\n"
    "\n"
    "Writes one chart of `parley report` as SVG or PNG (by the file's extension or\n"
    "--format). CHART is one of:\n"
    "  positions    actors' positions per issue (strip chart)      SOURCE: scenario or db\n"
    "  forecasts    each bargaining model's forecast per issue     SOURCE: scenario or db\n"
    "  convergence  positions per round of a dynamic model         SOURCE: scenario or db\n"
    "  outcomes     P(treaty), P(collapse) per cell, 95% intervals  SOURCE: results db\n"
    "  trust        believed compliance between principals (fans)  SOURCE: results db\n"
    "  support      domestic support of the principals (fans)      SOURCE: results db\n"
    "  sensitivity  parameters ranked by effect                    SOURCE: results db\n"
    "SOURCE is a results database (`parley sweep --out`) or a scenario (a file or a\n"
    "built-in name). Options as in `parley help report`. The file is written\n"
    "atomically; bad input (exit 2) leaves no file.\n";

static bool is_sqlite(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char head[16] = {0};
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    return got == 16 && memcmp(head, "SQLite format 3", 16) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int cli_cmd_plot(int argc, char **argv)
{
    const char *chart = NULL, *source = NULL, *out = NULL, *format = NULL;
    parley_report_options opt;
    parley_report_options_default(&opt);
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        bool has = i + 1 < argc;
        if ((strcmp(s, "-o") == 0 || strcmp(s, "--out") == 0) && has) {
            out = argv[++i];
        } else if (strcmp(s, "--format") == 0 && has) {
            format = argv[++i];
        } else if (strcmp(s, "--cell") == 0 && has) {
            uint32_t c;
            if (!mc_parse_u32(argv[++i], UINT32_MAX, &c))
                return cli_usage_error("plot", "--cell needs a cell number, got '%s'", argv[i]);
            opt.cell = c;
        } else if (strcmp(s, "--fan-runs") == 0 && has) {
            if (!mc_parse_u32(argv[++i], 1000000, &opt.fan_runs) || opt.fan_runs == 0)
                return cli_usage_error("plot", "--fan-runs needs 1 to 1000000, got '%s'",
                                       argv[i]);
        } else if (strcmp(s, "--model") == 0 && has) {
            opt.bargain_model = argv[++i];
        } else if (strcmp(s, "--sensitivity") == 0 && has) {
            opt.sensitivity_csv = argv[++i];
        } else if (s[0] == '-' && s[1]) {
            return cli_usage_error("plot", "unknown option '%s' (or a missing value)", s);
        } else if (!chart) {
            chart = s;
        } else if (!source) {
            source = s;
        } else {
            return cli_usage_error("plot", "one chart of one source at a time ('%s' is extra)",
                                   s);
        }
    }
    parley_chart_kind kind;
    if (!chart || !parley_chart_from_name(chart, &kind))
        return cli_usage_error("plot", "which chart? one of positions, forecasts, outcomes, "
                                       "trust, support, convergence, sensitivity%s%s%s",
                               chart ? " (not '" : "", chart ? chart : "", chart ? "')" : "");
    if (!source)
        return cli_usage_error("plot", "which results database or scenario?");
    if (!out || !out[0])
        return cli_usage_error("plot", "-o FILE.svg or -o FILE.png is required");
    parley_image_format fmt;
    if (format ? strcmp(format, "png") == 0 : ends_with(out, ".png"))
        fmt = PARLEY_IMAGE_PNG;
    else if (format ? strcmp(format, "svg") == 0 : ends_with(out, ".svg"))
        fmt = PARLEY_IMAGE_SVG;
    else
        return cli_usage_error("plot", "%s", format ? "--format must be svg or png"
                                                    : "-o needs a .svg or .png file name (or "
                                                      "--format svg|png)");
    bool needs_db = kind == PARLEY_CHART_OUTCOMES || kind == PARLEY_CHART_TRUST ||
                    kind == PARLEY_CHART_SUPPORT || kind == PARLEY_CHART_SENSITIVITY;
    parley_error err;
    parley_error_init(&err);
    parley_report_data *data = NULL;
    parley_scenario *sc = NULL;
    int code;
    if (needs_db || is_sqlite(source)) {
        if (parley_report_data_from_db(source, &opt, &data, &err) != PARLEY_OK)
            goto fail;
    } else {
        if (parley_scenario_open(source, &sc, &err) != PARLEY_OK ||
            parley_report_data_from_scenario(sc, &opt, &data, &err) != PARLEY_OK)
            goto fail;
    }
    if (parley_chart_write(data, kind, fmt, out, &err) != PARLEY_OK)
        goto fail;
    code = CLI_EXIT_OK;
    goto done;
fail:
    code = cli_report_error(stderr, &err);
done:
    parley_report_data_free(data);
    parley_scenario_free(sc);
    parley_error_clear(&err);
    return code;
}
