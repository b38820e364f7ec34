/* The report as one self-contained HTML page: inline CSS, the charts as
 * inline SVG, tables of the numbers behind them, the representative run's
 * timeline, and the JSON data block. Nothing is fetched: the page opens
 * offline and can be mailed as one file. Written atomically, so a failure
 * never leaves a partial page. */
#include "report_internal.h"

#include "core/alloc.h"
#include "core/atomic_file.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void number(FILE *f, double x, int digits)
{
    if (isnan(x))
        fputs("&ndash;", f);
    else
        fprintf(f, "%.*f", digits, x);
}

static const char css[] =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1000px;margin:1.5em auto;"
    "padding:0 1em;color:#111;line-height:1.45}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;font-size:.85em;margin:.6em 0}"
    "td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "th{background:#f2f2f2}figure.chart{margin:1em 0}"
    "figure.chart svg{width:100%;height:auto;display:block}"
    "figcaption{font-size:.85em;color:#444}"
    "pre.timeline{background:#f8f8f8;border:1px solid #ddd;padding:.8em;font-size:.8em;"
    "white-space:pre-wrap;max-height:40em;overflow:auto}"
    ".note{background:#fff6e0;border-left:4px solid #E69F00;padding:.4em .8em;margin:.4em 0}"
    ".meta{color:#444;font-size:.9em}code{font-size:.9em}";

/* Inlines an SVG document: drops the XML prolog and doctype, and prefixes
 * every id (PLplot numbers its clip paths from 0 in each file, so two charts
 * on one page would otherwise share ids). */
static void inline_svg(FILE *f, const char *svg, int chart, const char *label)
{
    const char *p = strstr(svg, "<svg");
    if (!p)
        return;
    char prefix[24];
    snprintf(prefix, sizeof prefix, "c%d-", chart);
    fputs("<svg role=\"img\" aria-label=\"", f);
    esc(f, label);
    fputs("\"", f);
    p += 4;
    while (*p) {
        if (strncmp(p, "id=\"", 4) == 0) {
            fprintf(f, "id=\"%s", prefix);
            p += 4;
        } else if (strncmp(p, "url(#", 5) == 0) {
            fprintf(f, "url(#%s", prefix);
            p += 5;
        } else if (strncmp(p, "href=\"#", 7) == 0) {
            fprintf(f, "href=\"#%s", prefix);
            p += 7;
        } else if (*p == ' ' || *p == '\n') {
            /* PLplot indents every attribute on its own line; one blank
             * keeps the markup valid at two thirds of the size. Its text is
             * written as character references, so no text loses a space. */
            bool newline = false;
            while (*p == ' ' || *p == '\n')
                newline |= *p++ == '\n';
            fputc(newline ? '\n' : ' ', f);
        } else {
            fputc(*p++, f);
        }
    }
    fputc('\n', f);
}

static parley_status figure(FILE *f, const parley_report_data *d, parley_chart_kind kind,
                            const char *caption, parley_error *err)
{
    if (!parley_report_has_chart(d, kind))
        return PARLEY_OK;
    char *svg = NULL;
    size_t len = 0;
    if (parley__chart_render(d, kind, PARLEY_IMAGE_SVG, &svg, &len, err) != PARLEY_OK)
        return err->status;
    fprintf(f, "<figure class=\"chart\" id=\"chart-%s\" data-chart=\"%s\">\n",
            parley_chart_name(kind), parley_chart_name(kind));
    inline_svg(f, svg, (int)kind, caption);
    fputs("<figcaption>", f);
    esc(f, caption);
    /* The command that writes this chart alone, for a paper. */
    fprintf(f, " <code>parley plot %s ", parley_chart_name(kind));
    esc(f, d->db_path ? d->db_path : d->scenario_name);
    fprintf(f, " -o %s.svg</code></figcaption>\n</figure>\n", parley_chart_name(kind));
    parley__free(svg);
    return PARLEY_OK;
}

static void scenario_tables(FILE *f, const parley_report_data *d)
{
    fputs("<table><tr><th>actor</th><th>name</th><th>kind</th></tr>\n", f);
    for (size_t a = 0; a < d->n_actors; a++) {
        fputs("<tr><td>", f);
        esc(f, d->actor_ids[a]);
        fputs("</td><td>", f);
        esc(f, d->actor_names[a]);
        fputs("</td><td>", f);
        esc(f, parley_actor_kind_name((parley_actor_kind)d->actor_kind[a]));
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<table><tr><th>issue</th><th>name</th><th>status quo</th></tr>\n", f);
    for (size_t i = 0; i < d->n_issues; i++) {
        fputs("<tr><td>", f);
        esc(f, d->issue_ids[i]);
        fputs("</td><td>", f);
        esc(f, d->issue_names[i]);
        fputs("</td><td class=\"n\">", f);
        number(f, d->status_quo[i], 0);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void forecast_table(FILE *f, const parley_report_data *d)
{
    fputs("<table><tr><th>issue</th>", f);
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++)
        if (d->model_ok[m])
            fprintf(f, "<th>%s</th>", parley_bargain_model_name((parley_bargain_model)m));
    fputs("</tr>\n", f);
    for (size_t i = 0; i < d->n_issues; i++) {
        fputs("<tr><td>", f);
        esc(f, d->issue_ids[i]);
        fputs("</td>", f);
        for (int m = 0; m < PARLEY_MODEL_COUNT; m++)
            if (d->model_ok[m]) {
                fputs("<td class=\"n\">", f);
                number(f, d->forecast[(size_t)m * d->n_issues + i], 1);
                fputs("</td>", f);
            }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void outcome_table(FILE *f, const parley_report_data *d)
{
    const parley_summary_set *s = d->summary;
    fputs("<table><tr><th>cell</th><th>policy</th><th>runs</th><th>P(treaty)</th>"
          "<th>95% interval</th><th>P(collapse)</th><th>95% interval</th>"
          "<th>median months to treaty</th><th>median treaty extent (0-100)</th>"
          "<th>mean CBM rungs</th></tr>\n",
          f);
    for (size_t c = 0; c < s->n_cells; c++) {
        const parley_cell_summary *x = &s->cells[c];
        fprintf(f, "<tr><td class=\"n\">%lld</td><td>", (long long)x->cell);
        esc(f, x->label);
        fprintf(f, "</td><td class=\"n\">%lld</td><td class=\"n\">", (long long)x->runs);
        number(f, x->p_treaty.estimate, 3);
        fputs("</td><td class=\"n\">", f);
        number(f, x->p_treaty.lo, 3);
        fputs(" &ndash; ", f);
        number(f, x->p_treaty.hi, 3);
        fputs("</td><td class=\"n\">", f);
        number(f, x->p_collapse.estimate, 3);
        fputs("</td><td class=\"n\">", f);
        number(f, x->p_collapse.lo, 3);
        fputs(" &ndash; ", f);
        number(f, x->p_collapse.hi, 3);
        fputs("</td><td class=\"n\">", f);
        number(f, x->median_months_to_treaty, 1);
        fputs("</td><td class=\"n\">", f);
        number(f, x->median_treaty_extent, 1);
        fputs("</td><td class=\"n\">", f);
        number(f, x->mean_cbm_rungs, 2);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void sensitivity_table(FILE *f, const parley_report_data *d)
{
    bool sobol = d->sens_method && strcmp(d->sens_method, "sobol") == 0;
    fprintf(f, "<table><tr><th>rank</th><th>parameter</th><th>%s</th>%s</tr>\n",
            sobol ? "S<sub>T</sub>" : "&mu;*", sobol ? "<th>95% interval</th>" : "");
    for (size_t i = 0; i < d->n_sens; i++) {
        fprintf(f, "<tr><td class=\"n\">%zu</td><td>", i + 1);
        esc(f, d->sens[i].param);
        fputs("</td><td class=\"n\">", f);
        number(f, d->sens[i].value, 4);
        if (sobol) {
            fputs("</td><td class=\"n\">", f);
            number(f, d->sens[i].lo, 4);
            fputs(" &ndash; ", f);
            number(f, d->sens[i].hi, 4);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

/* The JSON data inside <script>: '<' is written as \u003c (valid JSON, and
 * it cannot close the script element whatever the strings hold). */
static void json_block(FILE *f, const char *json)
{
    fputs("<script type=\"application/json\" id=\"parley-data\">", f);
    for (const char *p = json; *p; p++) {
        if (*p == '<')
            fputs("\\u003c", f);
        else
            fputc(*p, f);
    }
    fputs("</script>\n", f);
}

static parley_status write_page(FILE *f, const parley_report_data *d, const char *json,
                                parley_error *err)
{
    const char *name = d->scenario_name ? d->scenario_name : "scenario";
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    fputs("parley report: ", f);
    esc(f, name);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>parley report: ", css);
    esc(f, name);
    fputs("</h1>\n<p class=\"meta\">", f);
    if (d->title && d->title[0]) {
        esc(f, d->title);
        fputs("<br>", f);
    }
    if (d->has_db) {
        fputs("Results database <code>", f);
        esc(f, d->db_path);
        fprintf(f, "</code>: %lld policy cell(s) &times; %lld parameter draw(s) &times; %lld "
                   "seeded run(s), base seed %llu",
                (long long)d->n_cells, (long long)d->draws, (long long)d->runs,
                (unsigned long long)d->seed);
        if (d->parley_version) {
            fputs(", written by parley ", f);
            esc(f, d->parley_version);
        }
        fputs(".<br>Command: <code>", f);
        esc(f, d->command);
        fputs("</code>", f);
    }
    fputs("<br>The simulator is calibrated to a few coarse patterns of the Four-Party record "
          "and validated by a null model, ablations and counterfactual checks "
          "(docs/MODEL.md, section 7, with its limits): read these numbers as the model's "
          "answer under its stated assumptions, not as a forecast.</p>\n",
          f);
    for (size_t i = 0; i < d->n_notes; i++) {
        fputs("<p class=\"note\">", f);
        esc(f, d->notes[i]);
        fputs("</p>\n", f);
    }
    if (d->n_actors) {
        fputs("<h2 id=\"scenario\">The scenario at a glance</h2>\n", f);
        if (figure(f, d, PARLEY_CHART_POSITIONS,
                   "Each actor's position on each issue at the start; marker size grows with "
                   "salience, the cross marks the status quo.",
                   err) != PARLEY_OK)
            return err->status;
        scenario_tables(f, d);
    }
    if (d->has_forecasts) {
        fputs("<h2 id=\"forecasts\">Where bargaining lands: the models side by side</h2>\n", f);
        if (figure(f, d, PARLEY_CHART_FORECASTS,
                   "Each bargaining model's forecast per issue (docs/MODELS.md).", err) !=
            PARLEY_OK)
            return err->status;
        forecast_table(f, d);
    }
    if (d->summary) {
        fputs("<h2 id=\"outcomes\">Outcome probabilities per policy cell</h2>\n", f);
        if (figure(f, d, PARLEY_CHART_OUTCOMES,
                   "P(treaty) and P(collapse) per policy cell with 95% intervals, clustered by "
                   "parameter draw (docs/SWEEPS.md, Intervals).",
                   err) != PARLEY_OK)
            return err->status;
        outcome_table(f, d);
    }
    if (d->fan_runs) {
        fputs("<h2 id=\"trust\">Trust and support over time</h2>\n", f);
        if (figure(f, d, PARLEY_CHART_TRUST,
                   "Mean believed compliance of each principal about each other, over the runs "
                   "of the cell: median, 50% and 90% bands.",
                   err) != PARLEY_OK ||
            figure(f, d, PARLEY_CHART_SUPPORT,
                   "Domestic support of each principal over the runs of the cell: median, 50% "
                   "and 90% bands.",
                   err) != PARLEY_OK)
            return err->status;
    }
    if (parley_report_has_chart(d, PARLEY_CHART_CONVERGENCE)) {
        fputs("<h2 id=\"convergence\">Position convergence per issue</h2>\n", f);
        if (figure(f, d, PARLEY_CHART_CONVERGENCE,
                   "How the dynamic bargaining model moves the actors' positions round by "
                   "round.",
                   err) != PARLEY_OK)
            return err->status;
    }
    if (d->has_timeline) {
        fprintf(f, "<h2 id=\"timeline\">A representative run</h2>\n<p>Cell %lld, draw %lld, "
                   "run %lld (seed %llu): the run of the cell's most frequent outcome (",
                (long long)d->rep_cell, (long long)d->rep_draw, (long long)d->rep_run,
                (unsigned long long)d->seed);
        esc(f, d->rep_outcome);
        fprintf(f, ") nearest to the median agreements, CBM rungs, meetings, beliefs and "
                   "support. Replayed from its seed: %s.</p>\n",
                d->rep_reproduced ? "the replay reproduced the stored metrics"
                                  : "the replay did <strong>not</strong> reproduce the stored "
                                    "metrics");
        fputs("<pre class=\"timeline\" id=\"run-summary\">", f);
        esc(f, d->run_summary);
        fputs("</pre>\n<pre class=\"timeline\" id=\"timeline-text\">", f);
        esc(f, d->timeline);
        fputs("</pre>\n", f);
    }
    if (d->n_sens) {
        fputs("<h2 id=\"sensitivity\">Sensitivity: which parameters matter</h2>\n", f);
        if (figure(f, d, PARLEY_CHART_SENSITIVITY,
                   "Parameters ranked by their effect on the outcome probability.", err) !=
            PARLEY_OK)
            return err->status;
        sensitivity_table(f, d);
    }
    fputs("<p class=\"meta\">Charts drawn with PLplot; colours from the Okabe-Ito palette, "
          "with line styles and markers that survive greyscale. The numbers are embedded "
          "below as JSON (id <code>parley-data</code>).</p>\n",
          f);
    json_block(f, json);
    fputs("</body>\n</html>\n", f);
    return PARLEY_OK;
}

parley_status parley_report_write_html(const parley_report_data *d, const char *path,
                                       parley_error *err)
{
    char *json = NULL;
    if (parley_report_json(d, &json, err) != PARLEY_OK)
        return err->status;
    parley__atomic_file *af = NULL;
    if (parley__atomic_open(path, &af, err) != PARLEY_OK) {
        parley__free(json);
        return err->status;
    }
    parley_status st = write_page(parley__atomic_stream(af), d, json, err);
    parley__free(json);
    if (st != PARLEY_OK) {
        parley__atomic_abort(af);
        return st;
    }
    return parley__atomic_commit(af, err);
}
