/* PLplot wrappers for the report's charts: one page per chart, rendered into
 * memory, in a palette that colour-blind readers can tell apart (Okabe & Ito
 * 2008, "Color Universal Design") with a distinct line style and marker per
 * series, so that a greyscale print still separates them.
 *
 * PLplot keeps its streams in process-global state; each page gets its own
 * stream (plmkstrm) and ends it (plend1), restoring the caller's stream, so
 * a host program's own PLplot use is left alone. PLplot writes into a FILE*
 * and closes it at plend1; an open_memstream stream survives that as a
 * buffer, which is then copied onto parley's heap. */
#include "chart.h"

#include "core/alloc.h"

#include <math.h>
#include <plplot/plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Okabe-Ito, ordered so that neighbouring series differ most in lightness:
 * blue, vermillion, bluish green, orange, reddish purple, sky blue, black. */
static const unsigned char hues[CH_SERIES][3] = {
    {0x00, 0x72, 0xB2}, {0xD5, 0x5E, 0x00}, {0x00, 0x9E, 0x73}, {0xE6, 0x9F, 0x00},
    {0xCC, 0x79, 0xA7}, {0x56, 0xB4, 0xE9}, {0x00, 0x00, 0x00}};

/* Geometric shapes (PLplot's Hershey escapes, written as Unicode by the SVG
 * and cairo drivers): circle, filled square, triangle, filled triangle,
 * filled down- and right-pointing triangles, diamond, square. The light hues
 * (orange, sky blue) get filled shapes, which stay visible where a thin
 * outline would fade. */
static const char *const markers[] = {"#(840)", "#(851)", "#(842)", "#(852)",
                                      "#(854)", "#(855)", "#(843)", "#(841)"};

int parley__chart_series_colour(size_t k) { return CH_HUE0 + (int)(k % CH_SERIES); }
int parley__chart_series_faint(size_t k) { return CH_FAINT0 + (int)(k % CH_SERIES); }
int parley__chart_series_shade(size_t k) { return CH_SHADE0 + (int)(k % CH_SERIES); }
int parley__chart_series_style(size_t k) { return 1 + (int)(k % 8); }
const char *parley__chart_series_marker(size_t k)
{
    return markers[k % (sizeof markers / sizeof *markers)];
}

struct parley__chart_page {
    double width, height;
    PLINT old_stream, stream;
    FILE *file;
    char *buf; /* open_memstream's, libc heap */
    size_t len;
};

static void palette(void)
{
    plscmap0n(CH_NCOL);
    plscol0a(CH_BG, 255, 255, 255, 1.0);
    plscol0a(CH_INK, 0, 0, 0, 1.0);
    for (int k = 0; k < CH_SERIES; k++) {
        plscol0a(CH_HUE0 + k, hues[k][0], hues[k][1], hues[k][2], 1.0);
        plscol0a(CH_FAINT0 + k, hues[k][0], hues[k][1], hues[k][2], 0.18);
        plscol0a(CH_SHADE0 + k, hues[k][0], hues[k][1], hues[k][2], 0.38);
    }
    plscol0a(CH_GREY, 0x77, 0x77, 0x77, 1.0);
    plscol0a(CH_LIGHT, 0xCC, 0xCC, 0xCC, 1.0);
    plscol0a(CH_GREY_FAINT, 0x55, 0x55, 0x55, 0.18);
    plscol0a(CH_GREY_SHADE, 0x55, 0x55, 0x55, 0.38);
}

/* Whether PLplot has the driver `name`. Asked first because PLplot, given a
 * device it lacks, falls back to another one (a PNG request would silently
 * produce SVG) or prompts on the terminal. */
static bool device_available(const char *name)
{
    enum { MAXDEV = 128 };
    const char *menu[MAXDEV], *devs[MAXDEV];
    const char **pm = menu, **pd = devs;
    int n = MAXDEV;
    plgDevs(&pm, &pd, &n);
    for (int i = 0; i < n && i < MAXDEV; i++)
        if (pd[i] && strcmp(pd[i], name) == 0)
            return true;
    return false;
}

parley_status parley__chart_begin(parley__chart_page **out, parley_image_format format, int width,
                                  int height, parley_error *err)
{
    *out = NULL;
    const char *device = format == PARLEY_IMAGE_PNG ? "pngcairo" : "svg";
    if (!device_available(device))
        return parley_error_add(err, PARLEY_EIO, NULL,
                                "PLplot has no '%s' driver (Debian: %s; see docs/REPORTS.md)",
                                device, format == PARLEY_IMAGE_PNG ? "plplot-driver-cairo"
                                                                   : "libplplot17");
    parley__chart_page *p = parley__calloc(1, sizeof *p);
    if (!p)
        return parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for a chart");
    p->file = open_memstream(&p->buf, &p->len);
    if (!p->file) {
        parley__free(p);
        return parley_error_add(err, PARLEY_EIO, NULL, "cannot open a memory stream for a chart");
    }
    plgstrm(&p->old_stream);
    plmkstrm(&p->stream);
    if (p->stream < 0) {
        fclose(p->file);
        free(p->buf);
        parley__free(p);
        return parley_error_add(err, PARLEY_EIO, NULL, "PLplot has no free stream");
    }
    p->width = width;
    p->height = height;
    char geometry[32];
    snprintf(geometry, sizeof geometry, "%dx%d", width, height);
    plsdev(device);
    plsfile(p->file);
    plsetopt("geometry", geometry);
    plscolbg(255, 255, 255);
    plinit();
    palette();
    pladv(0);
    plfont(1);
    plschr(0, 0.85);
    plwidth(1.0);
    *out = p;
    return PARLEY_OK;
}

parley_status parley__chart_end(parley__chart_page *p, char **out, size_t *len, parley_error *err)
{
    *out = NULL;
    *len = 0;
    plend1(); /* closes p->file, which finalises p->buf */
    plsstrm(p->old_stream);
    parley_status st = PARLEY_OK;
    if (!p->buf || p->len == 0) {
        st = parley_error_add(err, PARLEY_EIO, NULL, "PLplot wrote no chart");
    } else if (!(*out = parley__malloc(p->len + 1))) {
        st = parley_error_add(err, PARLEY_ENOMEM, NULL, "no memory for a chart");
    } else {
        memcpy(*out, p->buf, p->len);
        (*out)[p->len] = '\0';
        *len = p->len;
    }
    free(p->buf);
    parley__free(p);
    return st;
}

const char *parley__chart_text(const char *text, char *buf, size_t size)
{
    size_t o = 0;
    for (const char *s = text ? text : ""; *s && o + 2 < size; s++) {
        if (*s == '#')
            buf[o++] = '#';
        buf[o++] = *s;
    }
    buf[o] = '\0';
    return buf;
}

void parley__chart_title(const parley__chart_page *pg, const char *title, const char *subtitle)
{
    char buf[512];
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(0.0, pg->width, 0.0, pg->height);
    plcol0(CH_INK);
    plschr(0, 1.1);
    plptex(pg->width / 2, pg->height - 26.0, 1.0, 0.0, 0.5,
           parley__chart_text(title, buf, sizeof buf));
    if (subtitle) {
        plschr(0, 0.7);
        plptex(pg->width / 2, pg->height - 46.0, 1.0, 0.0, 0.5,
               parley__chart_text(subtitle, buf, sizeof buf));
    }
    plschr(0, 0.85);
}

void parley__chart_vpor(const parley__chart_page *pg, double left, double right, double bottom,
                        double top)
{
    plvpor(left / pg->width, 1.0 - right / pg->width, bottom / pg->height, 1.0 - top / pg->height);
}

void parley__chart_panel(const parley__chart_page *pg, int rows, int cols, int row, int col,
                         double top, double bottom)
{
    double w = pg->width / cols, h = (pg->height - top - bottom) / rows;
    double x0 = col * w, y1 = pg->height - top - row * h;
    /* Room left of each panel for its y label and below it for its x label,
     * above it for its title. */
    plvpor((x0 + 64.0) / pg->width, (x0 + w - 16.0) / pg->width, (y1 - h + 44.0) / pg->height,
           (y1 - 40.0) / pg->height);
}

static void legend_at(const parley__chart_legend_entry *e, size_t n, double text_scale,
                      PLINT position, PLFLT x, PLFLT y, PLINT nrow, PLINT ncol)
{
    enum { MAXE = 32 };
    if (n > MAXE)
        n = MAXE;
    PLINT opt[MAXE], tcol[MAXE], bcol[MAXE], bpat[MAXE], lcol[MAXE], lsty[MAXE], scol[MAXE],
        snum[MAXE];
    PLFLT bscale[MAXE], bwidth[MAXE], lwidth[MAXE], sscale[MAXE];
    char text[MAXE][160];
    const char *tp[MAXE], *sp[MAXE];
    for (size_t i = 0; i < n; i++) {
        opt[i] = e[i].box
                     ? PL_LEGEND_COLOR_BOX
                     : (e[i].style ? PL_LEGEND_LINE : 0) | (e[i].marker ? PL_LEGEND_SYMBOL : 0);
        if (!opt[i])
            opt[i] = PL_LEGEND_NONE;
        tcol[i] = CH_INK;
        bcol[i] = e[i].colour;
        bpat[i] = 0;
        bscale[i] = 0.8;
        bwidth[i] = 1;
        lcol[i] = e[i].colour;
        lsty[i] = e[i].style ? e[i].style : 1;
        lwidth[i] = 1.5;
        scol[i] = e[i].colour;
        sscale[i] = 1.0;
        snum[i] = e[i].style ? 2 : 1;
        sp[i] = e[i].marker ? e[i].marker : "";
        tp[i] = parley__chart_text(e[i].text, text[i], sizeof text[i]);
    }
    PLFLT w, h;
    plschr(0, 0.85);
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, position, x, y, 0.04, CH_BG,
             CH_LIGHT, 1, nrow, ncol, (PLINT)n, opt, 0.8, text_scale, 1.8, 0.0, tcol,
             (PLCHAR_MATRIX)tp, bcol, bpat, bscale, bwidth, lcol, lsty, lwidth, scol, sscale, snum,
             (PLCHAR_MATRIX)sp);
}

void parley__chart_legend(const parley__chart_legend_entry *e, size_t n, double text_scale)
{
    legend_at(e, n, text_scale, PL_POSITION_RIGHT | PL_POSITION_OUTSIDE, 0.01, 0.0, 0, 0);
}

void parley__chart_legend_row(const parley__chart_legend_entry *e, size_t n, double text_scale,
                              double y0, double y1)
{
    plvpor(0.02, 0.98, y0, y1);
    plwind(0.0, 1.0, 0.0, 1.0);
    /* At most three entries a row, so that long texts fit the page. */
    PLINT ncol = n < 3 ? (PLINT)n : 3, nrow = (PLINT)((n + 2) / 3);
    legend_at(e, n, text_scale, PL_POSITION_TOP | PL_POSITION_INSIDE, 0.0, 0.0, nrow, ncol);
}

void parley__chart_line(const double *x, const double *y, size_t n, int colour, int style,
                        double width)
{
    plcol0(colour);
    pllsty(style);
    plwidth(width);
    /* NANs break the line into its finite runs. */
    size_t i = 0;
    while (i < n) {
        while (i < n && (isnan(x[i]) || isnan(y[i])))
            i++;
        size_t j = i;
        while (j < n && !isnan(x[j]) && !isnan(y[j]))
            j++;
        if (j - i >= 2)
            plline((PLINT)(j - i), x + i, y + i);
        i = j;
    }
    pllsty(1);
    plwidth(1.0);
}

void parley__chart_markers(const double *x, const double *y, size_t n, int colour,
                           const char *marker, double scale)
{
    plcol0(colour);
    plschr(0, scale);
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i]))
            plstring(1, &x[i], &y[i], marker);
    plschr(0, 0.85);
}

void parley__chart_band(const double *x, const double *lo, const double *hi, size_t n, int colour,
                        double *scratch)
{
    double *px = scratch, *py = scratch + 2 * n;
    plcol0(colour);
    size_t i = 0;
    while (i < n) {
        while (i < n && (isnan(lo[i]) || isnan(hi[i])))
            i++;
        size_t j = i;
        while (j < n && !isnan(lo[j]) && !isnan(hi[j]))
            j++;
        size_t m = 0;
        for (size_t k = i; k < j; k++, m++) {
            px[m] = x[k];
            py[m] = hi[k];
        }
        for (size_t k = j; k-- > i; m++) {
            px[m] = x[k];
            py[m] = lo[k];
        }
        if (j - i >= 2)
            plfill((PLINT)m, px, py);
        i = j;
    }
}
