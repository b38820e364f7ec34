/* The report's seven charts, drawn with the PLplot layer of chart.c: every
 * chart has labelled axes with units, a title saying what is shown and a
 * legend; series differ in colour (Okabe-Ito), line style and marker. */
#include "chart.h"
#include "report_internal.h"

#include "core/alloc.h"
#include "core/atomic_file.h"

#include <math.h>
#include <plplot/plplot.h>
#include <stdio.h>
#include <string.h>

#define MAX_LEGEND 32

static double fmax_or(double a, double b) { return a > b ? a : b; }

/* Which series index principal actor a gets (its order among principals). */
static long principal_rank(const parley_report_data *d, size_t a)
{
    if (d->actor_kind[a] != PARLEY_ACTOR_PRINCIPAL)
        return -1;
    long r = 0;
    for (size_t b = 0; b < a; b++)
        r += d->actor_kind[b] == PARLEY_ACTOR_PRINCIPAL;
    return r;
}

/* Issue rows, the first on top: the window, guides, box and row labels. */
static void issue_rows(const parley_report_data *d, const char *xlabel)
{
    size_t ni = d->n_issues;
    char buf[256];
    plwind(0.0, 100.0, -0.5, (double)ni - 0.5);
    plcol0(CH_LIGHT);
    for (size_t i = 0; i < ni; i++)
        pljoin(0.0, (double)i, 100.0, (double)i);
    plcol0(CH_INK);
    plbox("bcnst", 10.0, 2, "bc", 1.0, 0);
    plschr(0, 0.8);
    for (size_t i = 0; i < ni; i++) {
        double y = (double)(ni - 1 - i);
        plmtex("lv", 0.8, (y + 0.5) / (double)ni, 1.0,
               parley__chart_text(d->issue_ids[i], buf, sizeof buf));
    }
    plschr(0, 0.85);
    plmtex("b", 3.0, 0.5, 0.5, xlabel);
}

static double row_y(const parley_report_data *d, size_t i) { return (double)(d->n_issues - 1 - i); }

static parley_status chart_positions(const parley_report_data *d, parley_image_format f, char **out,
                                     size_t *len, parley_error *err)
{
    int h = 150 + 32 * (int)d->n_issues;
    parley__chart_page *pg;
    if (parley__chart_begin(&pg, f, 960, h, err) != PARLEY_OK)
        return err->status;
    char sub[256];
    snprintf(sub, sizeof sub,
             "%s: each actor's position on each issue; marker size grows with "
             "salience",
             d->scenario_name ? d->scenario_name : "scenario");
    parley__chart_title(pg, "Positions at the start, issue by issue", sub);
    parley__chart_vpor(pg, 225, 200, 60, 70);
    issue_rows(d, "position on the issue's scale (0 to 100; 0 = the low end, as the scenario "
                  "labels it)");
    parley__chart_legend_entry leg[MAX_LEGEND];
    size_t nl = 0;
    for (size_t a = 0; a < d->n_actors; a++) {
        long r = principal_rank(d, a);
        int colour = r >= 0 ? parley__chart_series_colour((size_t)r) : CH_GREY;
        const char *marker = r >= 0 ? parley__chart_series_marker((size_t)r) : "#(850)";
        for (size_t i = 0; i < d->n_issues; i++) {
            double x = d->position[a * d->n_issues + i], y = row_y(d, i);
            double s = d->salience[a * d->n_issues + i];
            if (!isnan(x))
                parley__chart_markers(&x, &y, 1, colour, marker, 0.6 + 1.0 * s);
        }
        if (r >= 0 && nl < MAX_LEGEND - 2)
            leg[nl++] = (parley__chart_legend_entry){d->actor_ids[a], colour, 0, marker, false};
    }
    leg[nl++] = (parley__chart_legend_entry){"other actors", CH_GREY, 0, "#(850)", false};
    for (size_t i = 0; i < d->n_issues; i++) {
        double x = d->status_quo[i], y = row_y(d, i);
        parley__chart_markers(&x, &y, 1, CH_INK, "#(227)", 1.0);
    }
    leg[nl++] = (parley__chart_legend_entry){"status quo", CH_INK, 0, "#(227)", false};
    parley__chart_legend(leg, nl, 0.75);
    return parley__chart_end(pg, out, len, err);
}

static parley_status chart_forecasts(const parley_report_data *d, parley_image_format f, char **out,
                                     size_t *len, parley_error *err)
{
    int h = 150 + 40 * (int)d->n_issues;
    parley__chart_page *pg;
    if (parley__chart_begin(&pg, f, 960, h, err) != PARLEY_OK)
        return err->status;
    parley__chart_title(pg, "Where bargaining lands: each model's forecast per issue",
                        "six bargaining models on the same actors, capabilities, positions and "
                        "saliences");
    parley__chart_vpor(pg, 225, 200, 60, 70);
    issue_rows(d, "forecast position on the issue's scale (0 to 100)");
    parley__chart_legend_entry leg[MAX_LEGEND];
    size_t nl = 0, k = 0;
    for (int m = 0; m < PARLEY_MODEL_COUNT; m++, k++) {
        if (!d->model_ok[m])
            continue;
        int colour = parley__chart_series_colour(k);
        const char *marker = parley__chart_series_marker(k);
        for (size_t i = 0; i < d->n_issues; i++) {
            /* Each model on its own sub-row, so that equal forecasts stay visible. */
            double x = d->forecast[(size_t)m * d->n_issues + i];
            double y = row_y(d, i) + 0.3 - 0.12 * (double)m;
            parley__chart_markers(&x, &y, 1, colour, marker, 0.9);
        }
        leg[nl++] = (parley__chart_legend_entry){parley_bargain_model_name((parley_bargain_model)m),
                                                 colour, 0, marker, false};
    }
    for (size_t i = 0; i < d->n_issues; i++) {
        double x = d->status_quo[i], y = row_y(d, i);
        parley__chart_markers(&x, &y, 1, CH_GREY, "#(227)", 1.0);
    }
    leg[nl++] = (parley__chart_legend_entry){"status quo", CH_GREY, 0, "#(227)", false};
    parley__chart_legend(leg, nl, 0.75);
    return parley__chart_end(pg, out, len, err);
}

static parley_status chart_outcomes(const parley_report_data *d, parley_image_format f, char **out,
                                    size_t *len, parley_error *err)
{
    const parley_summary_set *s = d->summary;
    /* Beyond this many rows a chart is unreadable (and a PNG enormous); the
     * page's table and the JSON hold every cell. */
    enum { MAX_ROWS = 60 };
    size_t n = s->n_cells < MAX_ROWS ? s->n_cells : MAX_ROWS;
    int h = 160 + 46 * (int)n;
    parley__chart_page *pg;
    if (parley__chart_begin(&pg, f, 960, h, err) != PARLEY_OK)
        return err->status;
    char sub[320], more[64] = "";
    if (n < s->n_cells)
        snprintf(more, sizeof more, "; the first %zu of %zu cells", n, s->n_cells);
    snprintf(sub, sizeof sub,
             "%s: %lld run(s) per draw x %lld draw(s) per cell; dots are "
             "estimates, bars 95%% intervals (clustered by draw)%s",
             s->scenario ? s->scenario : "", (long long)s->runs_per_cell_draw, (long long)s->draws,
             more);
    parley__chart_title(pg, "Outcome probabilities per policy cell", sub);
    parley__chart_vpor(pg, 290, 200, 60, 70);
    plwind(0.0, 1.0, -0.5, (double)n - 0.5);
    plcol0(CH_LIGHT);
    for (size_t c = 0; c < n; c++)
        pljoin(0.0, (double)c, 1.0, (double)c);
    plcol0(CH_INK);
    plbox("bcgnst", 0.1, 2, "bc", 1.0, 0);
    char buf[512];
    plschr(0, 0.75);
    for (size_t c = 0; c < n; c++) {
        double y = (double)(n - 1 - c);
        char short_label[360], lab[400];
        parley__report_cell_short(s->cells[c].label, short_label, sizeof short_label);
        snprintf(lab, sizeof lab, "%lld: %s", (long long)s->cells[c].cell, short_label);
        plmtex("lv", 0.8, (y + 0.5) / (double)n, 1.0, parley__chart_text(lab, buf, sizeof buf));
    }
    plschr(0, 0.85);
    plmtex("b", 3.0, 0.5, 0.5, "probability over the cell's runs (0 to 1)");
    for (int o = 0; o < 2; o++) {
        int colour = parley__chart_series_colour((size_t)o);
        const char *marker = parley__chart_series_marker((size_t)(o ? 1 : 0));
        for (size_t c = 0; c < n; c++) {
            const parley_interval *iv = o ? &s->cells[c].p_collapse : &s->cells[c].p_treaty;
            double y = (double)(n - 1 - c) + (o ? -0.15 : 0.15);
            double lo = iv->lo, hi = iv->hi, x = iv->estimate;
            if (!isnan(lo) && !isnan(hi)) {
                plcol0(colour);
                pllsty(o ? 2 : 1);
                plwidth(1.6);
                plerrx(1, &lo, &hi, &y);
                pllsty(1);
                plwidth(1.0);
            }
            parley__chart_markers(&x, &y, 1, colour, marker, 1.1);
        }
    }
    parley__chart_legend_entry leg[3] = {
        {"P(treaty)", parley__chart_series_colour(0), 1, parley__chart_series_marker(0), false},
        {"P(collapse)", parley__chart_series_colour(1), 2, parley__chart_series_marker(1), false}};
    parley__chart_legend(leg, 2, 0.75);
    return parley__chart_end(pg, out, len, err);
}

/* The x values of the fan charts: months since the start. */
static double *fan_months(const parley_report_data *d)
{
    double *x = PARLEY_NEW_ARRAY(double, d->fan_rounds + 1);
    if (x)
        for (size_t t = 0; t < d->fan_rounds; t++)
            x[t] = (double)t * (d->round_months > 0 ? d->round_months : 1);
    return x;
}

/* One fan: 90% band, 50% band, median. */
static void draw_fan(const parley_report_data *d, const parley__fan *fan, const double *x, size_t k,
                     double *lo, double *hi, double *scratch)
{
    size_t R = d->fan_rounds;
    const int bands[2][2] = {{0, 4}, {1, 3}};
    for (int b = 0; b < 2; b++) {
        for (size_t t = 0; t < R; t++) {
            lo[t] = fan->q[t * PARLEY__FAN_Q + bands[b][0]];
            hi[t] = fan->q[t * PARLEY__FAN_Q + bands[b][1]];
        }
        parley__chart_band(x, lo, hi, R,
                           b ? parley__chart_series_shade(k) : parley__chart_series_faint(k),
                           scratch);
    }
    for (size_t t = 0; t < R; t++)
        lo[t] = fan->q[t * PARLEY__FAN_Q + 2];
    parley__chart_line(x, lo, R, parley__chart_series_colour(k), parley__chart_series_style(k),
                       2.0);
}

static void fan_axes(const parley_report_data *d, const char *panel_title, const char *ylabel)
{
    char buf[256], xl[160];
    double xmax = (double)(d->fan_rounds > 1 ? d->fan_rounds - 1 : 1) *
                  (d->round_months > 0 ? d->round_months : 1);
    plwind(0.0, xmax, 0.0, 1.0);
    plcol0(CH_INK);
    plschr(0, 0.7);
    plbox("bcgnst", 0.0, 0, "bcgnstv", 0.2, 2);
    snprintf(xl, sizeof xl, "months since %s", d->start_label ? d->start_label : "the start");
    plmtex("b", 2.8, 0.5, 0.5, xl);
    plmtex("l", 3.4, 0.5, 0.5, ylabel);
    if (panel_title) {
        plschr(0, 0.8);
        plmtex("t", 1.8, 0.5, 0.5, parley__chart_text(panel_title, buf, sizeof buf));
    }
    plschr(0, 0.85);
}

static void grid_shape(size_t n, int max_cols, int *rows, int *cols)
{
    *cols = n <= 1 ? 1 : (n <= 4 ? 2 : max_cols);
    if ((size_t)*cols > n)
        *cols = (int)(n ? n : 1);
    *rows = (int)((n + (size_t)*cols - 1) / (size_t)*cols);
    if (*rows < 1)
        *rows = 1;
}

static parley_status chart_fans(const parley_report_data *d, bool trust, parley_image_format f,
                                char **out, size_t *len, parley_error *err)
{
    size_t panels = trust ? d->n_trust / 2 : d->n_support;
    int rows, cols;
    grid_shape(panels, 3, &rows, &cols);
    int h = 130 + 240 * rows;
    double *x = fan_months(d), *lo = PARLEY_NEW_ARRAY(double, d->fan_rounds + 1),
           *hi = PARLEY_NEW_ARRAY(double, d->fan_rounds + 1),
           *scratch = PARLEY_NEW_ARRAY(double, 4 * d->fan_rounds + 1);
    if (!x || !lo || !hi || !scratch) {
        parley__free(x);
        parley__free(lo);
        parley__free(hi);
        parley__free(scratch);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for a chart");
    }
    parley__chart_page *pg;
    if (parley__chart_begin(&pg, f, 960, h, err) != PARLEY_OK) {
        parley__free(x);
        parley__free(lo);
        parley__free(hi);
        parley__free(scratch);
        return err->status;
    }
    char sub[256];
    snprintf(sub, sizeof sub,
             "policy cell %lld, %zu run(s) (%s); lines: median over runs; "
             "shaded: 50%% and 90%% bands",
             (long long)d->fan_cell, d->fan_runs,
             d->fan_source && strcmp(d->fan_source, "series") == 0 ? "stored series"
                                                                   : "replayed from seeds");
    parley__chart_title(
        pg, trust ? "Trust between the sides over time" : "Domestic support over time", sub);
    char buf[256];
    for (size_t p = 0; p < panels; p++) {
        parley__chart_panel(pg, rows, cols, (int)(p / (size_t)cols), (int)(p % (size_t)cols), 120.0,
                            6.0);
        char title[256];
        if (trust) {
            const parley__fan *ab = &d->trust[2 * p], *ba = &d->trust[2 * p + 1];
            snprintf(title, sizeof title, "%s and %s", ab->actor, ab->other);
            fan_axes(d, title, "belief that the other complies");
            snprintf(title, sizeof title, "%s about %s", ba->actor, ba->other);
            plschr(0, 0.6);
            plcol0(parley__chart_series_colour(1));
            plmtex("t", 0.5, 0.98, 1.0, parley__chart_text(title, buf, sizeof buf));
            plcol0(parley__chart_series_colour(0));
            snprintf(title, sizeof title, "%s about %s", ab->actor, ab->other);
            plmtex("t", 0.5, 0.02, 0.0, parley__chart_text(title, buf, sizeof buf));
            plschr(0, 0.85);
            draw_fan(d, ab, x, 0, lo, hi, scratch);
            draw_fan(d, ba, x, 1, lo, hi, scratch);
        } else {
            snprintf(title, sizeof title, "%s", d->support[p].actor);
            fan_axes(d, title, "support (share, 0 to 1)");
            draw_fan(d, &d->support[p], x, p, lo, hi, scratch);
        }
    }
    parley__chart_legend_entry leg[6];
    size_t nl = 0;
    if (trust) {
        leg[nl++] =
            (parley__chart_legend_entry){"median (left label)", parley__chart_series_colour(0),
                                         parley__chart_series_style(0), NULL, false};
        leg[nl++] =
            (parley__chart_legend_entry){"median (right label)", parley__chart_series_colour(1),
                                         parley__chart_series_style(1), NULL, false};
    } else {
        leg[nl++] = (parley__chart_legend_entry){"median", CH_INK, 1, NULL, false};
    }
    leg[nl++] = (parley__chart_legend_entry){"50% band", CH_GREY_SHADE, 0, NULL, true};
    leg[nl++] = (parley__chart_legend_entry){"90% band", CH_GREY_FAINT, 0, NULL, true};
    parley__chart_legend_row(leg, nl, 0.75, 1.0 - 112.0 / h, 1.0 - 56.0 / h);
    parley__free(x);
    parley__free(lo);
    parley__free(hi);
    parley__free(scratch);
    return parley__chart_end(pg, out, len, err);
}

static parley_status chart_convergence(const parley_report_data *d, parley_image_format f,
                                       char **out, size_t *len, parley_error *err)
{
    size_t ni = d->n_issues, na = d->n_actors, R = d->trace_rounds + 1;
    int rows, cols;
    grid_shape(ni, 4, &rows, &cols);
    if (ni > 4)
        cols = 4, rows = (int)((ni + 3) / 4);
    int h = 120 + 200 * rows;
    double *x = PARLEY_NEW_ARRAY(double, R), *y = PARLEY_NEW_ARRAY(double, R);
    if (!x || !y) {
        parley__free(x);
        parley__free(y);
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for a chart");
    }
    parley__chart_page *pg;
    if (parley__chart_begin(&pg, f, 1000, h, err) != PARLEY_OK) {
        parley__free(x);
        parley__free(y);
        return err->status;
    }
    char sub[256];
    snprintf(sub, sizeof sub,
             "actors' positions per round of the %s model (round 0: the "
             "scenario's stances)",
             d->trace_model ? d->trace_model : "dynamic");
    parley__chart_title(pg, "Position convergence per issue", sub);
    for (size_t t = 0; t < R; t++)
        x[t] = (double)t;
    char buf[256];
    for (size_t i = 0; i < ni; i++) {
        parley__chart_panel(pg, rows, cols, (int)(i / (size_t)cols), (int)(i % (size_t)cols), 110.0,
                            6.0);
        plwind(0.0, (double)(R - 1), 0.0, 100.0);
        plcol0(CH_INK);
        plschr(0, 0.65);
        plbox("bcnst", 0.0, 0, "bcnstv", 50.0, 5);
        plmtex("b", 2.6, 0.5, 0.5, "round of the model");
        plmtex("l", 3.4, 0.5, 0.5, "position (0-100)");
        plschr(0, 0.75);
        plmtex("t", 0.8, 0.5, 0.5, parley__chart_text(d->issue_ids[i], buf, sizeof buf));
        /* Others first, so the principals are drawn over them. */
        for (int pass = 0; pass < 2; pass++)
            for (size_t a = 0; a < na; a++) {
                long r = principal_rank(d, a);
                if ((r >= 0) != (pass == 1) || d->salience[a * ni + i] <= 0)
                    continue;
                for (size_t t = 0; t < R; t++)
                    y[t] = d->trace_positions[(t * na + a) * ni + i];
                if (r >= 0)
                    parley__chart_line(x, y, R, parley__chart_series_colour((size_t)r),
                                       parley__chart_series_style((size_t)r), 1.6);
                else
                    parley__chart_line(x, y, R, CH_LIGHT, 1, 0.8);
            }
        if (d->trace_median) {
            for (size_t t = 0; t < R; t++)
                y[t] = d->trace_median[t * ni + i];
            parley__chart_line(x, y, R, CH_INK, 1, 3.0);
        }
    }
    parley__chart_legend_entry leg[MAX_LEGEND];
    size_t nl = 0;
    for (size_t a = 0; a < na && nl < MAX_LEGEND - 3; a++) {
        long r = principal_rank(d, a);
        if (r >= 0)
            leg[nl++] = (parley__chart_legend_entry){
                d->actor_ids[a], parley__chart_series_colour((size_t)r),
                parley__chart_series_style((size_t)r), NULL, false};
    }
    leg[nl++] = (parley__chart_legend_entry){"other actors", CH_LIGHT, 1, NULL, false};
    if (d->trace_median)
        leg[nl++] = (parley__chart_legend_entry){"weighted median", CH_INK, 1, NULL, false};
    parley__chart_legend_row(leg, nl, 0.75, 1.0 - 104.0 / h, 1.0 - 56.0 / h);
    parley__free(x);
    parley__free(y);
    return parley__chart_end(pg, out, len, err);
}

static parley_status chart_sensitivity(const parley_report_data *d, parley_image_format f,
                                       char **out, size_t *len, parley_error *err)
{
    size_t n = d->n_sens > 24 ? 24 : d->n_sens;
    int h = 160 + 34 * (int)n;
    parley__chart_page *pg;
    if (parley__chart_begin(&pg, f, 960, h, err) != PARLEY_OK)
        return err->status;
    bool sobol = d->sens_method && strcmp(d->sens_method, "sobol") == 0;
    char sub[256], xl[200];
    snprintf(sub, sizeof sub, "%s analysis of P(%s), largest effect on top (from %s)",
             sobol ? "Sobol" : "Morris", d->sens_output ? d->sens_output : "?",
             d->sens_source && strcmp(d->sens_source, "database") != 0 ? d->sens_source
                                                                     : "the database");
    parley__chart_title(pg, "Which parameters the outcome depends on", sub);
    snprintf(xl, sizeof xl,
             sobol ? "total-effect index S_T of P(%s) (share of its variance, 0 to 1)"
                   : "\xce\xbc* of P(%s): mean |elementary effect| per whole parameter range",
             d->sens_output ? d->sens_output : "?");
    parley__chart_vpor(pg, 260, 230, 60, 70);
    double xmax = 0;
    for (size_t i = 0; i < n; i++) {
        xmax = fmax_or(xmax, isnan(d->sens[i].value) ? 0 : d->sens[i].value);
        xmax = fmax_or(xmax, isnan(d->sens[i].hi) ? 0 : d->sens[i].hi);
    }
    xmax = xmax > 0 ? xmax * 1.1 : 1.0;
    plwind(0.0, xmax, -0.5, (double)n - 0.5);
    plcol0(CH_INK);
    plbox("bcgnst", 0.0, 0, "bc", 1.0, 0);
    char buf[256];
    plschr(0, 0.8);
    for (size_t i = 0; i < n; i++)
        plmtex("lv", 0.8, ((double)(n - 1 - i) + 0.5) / (double)n, 1.0,
               parley__chart_text(d->sens[i].param, buf, sizeof buf));
    plschr(0, 0.85);
    plmtex("b", 3.0, 0.5, 0.5, xl);
    bool any_interval = false;
    for (size_t i = 0; i < n; i++) {
        double y = (double)(n - 1 - i), v = d->sens[i].value;
        if (isnan(v))
            continue;
        double bx[4] = {0, v, v, 0}, by[4] = {y - 0.3, y - 0.3, y + 0.3, y + 0.3};
        plcol0(parley__chart_series_colour(0));
        plfill(4, bx, by);
        if (!isnan(d->sens[i].lo) && !isnan(d->sens[i].hi)) {
            double lo = d->sens[i].lo, hi = d->sens[i].hi;
            plcol0(CH_INK);
            plerrx(1, &lo, &hi, &y);
            any_interval = true;
        }
    }
    parley__chart_legend_entry leg[2] = {
        {sobol ? "S_T" : "\xce\xbc*", parley__chart_series_colour(0), 0, NULL, true},
        {"95% bootstrap interval", CH_INK, 1, NULL, false}};
    parley__chart_legend(leg, any_interval ? 2 : 1, 0.75);
    return parley__chart_end(pg, out, len, err);
}

parley_status parley__chart_render(const parley_report_data *d, parley_chart_kind kind,
                                   parley_image_format f, char **out, size_t *len,
                                   parley_error *err)
{
    *out = NULL;
    *len = 0;
    if (!parley_report_has_chart(d, kind))
        return parley_error_add(
            err, PARLEY_EINPUT, parley_chart_name(kind), "the data holds nothing for this chart%s",
            kind == PARLEY_CHART_SENSITIVITY ? " (no sensitivity table; see docs/REPORTS.md)"
            : kind == PARLEY_CHART_OUTCOMES  ? " (it needs a results database)"
            : (kind == PARLEY_CHART_TRUST || kind == PARLEY_CHART_SUPPORT)
                ? " (it needs a results database of this scenario)"
                : "");
    switch (kind) {
    case PARLEY_CHART_POSITIONS:
        return chart_positions(d, f, out, len, err);
    case PARLEY_CHART_FORECASTS:
        return chart_forecasts(d, f, out, len, err);
    case PARLEY_CHART_OUTCOMES:
        return chart_outcomes(d, f, out, len, err);
    case PARLEY_CHART_TRUST:
        return chart_fans(d, true, f, out, len, err);
    case PARLEY_CHART_SUPPORT:
        return chart_fans(d, false, f, out, len, err);
    case PARLEY_CHART_CONVERGENCE:
        return chart_convergence(d, f, out, len, err);
    case PARLEY_CHART_SENSITIVITY:
        return chart_sensitivity(d, f, out, len, err);
    default:
        return parley_error_add(err, PARLEY_EINPUT, NULL, "unknown chart");
    }
}

parley_status parley_chart_render(const parley_report_data *d, parley_chart_kind kind,
                                  parley_image_format format, char **out, size_t *len,
                                  parley_error *err)
{
    return parley__chart_render(d, kind, format, out, len, err);
}

parley_status parley_chart_write(const parley_report_data *d, parley_chart_kind kind,
                                 parley_image_format format, const char *path, parley_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    if (parley__chart_render(d, kind, format, &buf, &len, err) != PARLEY_OK)
        return err->status;
    parley_status st = parley__atomic_write(path, buf, len, err);
    parley__free(buf);
    return st;
}
