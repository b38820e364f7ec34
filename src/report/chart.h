/* A thin layer over PLplot for the report's charts (chart.c): a page rendered
 * into memory as SVG or PNG, the colour-blind-safe palette (Okabe & Ito 2008)
 * with a line style and a marker per series so that charts survive greyscale,
 * panels, legends and text escaping. The chart kinds are in chart_kinds.c. */
#ifndef PARLEY_REPORT_CHART_H
#define PARLEY_REPORT_CHART_H

#include "parley/error.h"
#include "parley/report.h"

#include <stdbool.h>
#include <stddef.h>

/* cmap0 indices: background, ink, the seven Okabe-Ito hues, greys, then the
 * seven hues at two transparencies for the fan bands. */
enum {
    CH_BG = 0,
    CH_INK = 1,
    CH_HUE0 = 2, /* 7 hues: 2..8 */
    CH_GREY = 9,
    CH_LIGHT = 10,
    CH_FAINT0 = 11, /* 7 hues at alpha 0.18: 11..17 (90% bands) */
    CH_SHADE0 = 18, /* 7 hues at alpha 0.35: 18..24 (50% bands) */
    CH_GREY_FAINT = 25,
    CH_GREY_SHADE = 26,
    CH_NCOL = 27
};
#define CH_SERIES 7

/* Series k's colour index, line style (1..8) and marker (a PLplot string). */
int parley__chart_series_colour(size_t k);
int parley__chart_series_faint(size_t k);
int parley__chart_series_shade(size_t k);
int parley__chart_series_style(size_t k);
const char *parley__chart_series_marker(size_t k);

typedef struct parley__chart_page parley__chart_page;

/* Starts a page of width x height points (PLplot geometry). Errors: PARLEY_EIO,
 * PARLEY_ENOMEM. */
parley_status parley__chart_begin(parley__chart_page **out, parley_image_format format, int width,
                                  int height, parley_error *err);
/* Ends the page and hands its bytes (*out, *len, parley's heap) to the caller;
 * always releases the page. */
parley_status parley__chart_end(parley__chart_page *page, char **out, size_t *len,
                                parley_error *err);

/* `text` with PLplot's escape character '#' doubled, in `buf`. */
const char *parley__chart_text(const char *text, char *buf, size_t size);

/* The page title, top centre, and a subtitle under it (NULL: none). */
void parley__chart_title(const parley__chart_page *pg, const char *title, const char *subtitle);

/* The viewport with margins in points from the page's edges. */
void parley__chart_vpor(const parley__chart_page *pg, double left, double right, double bottom,
                        double top);

/* Viewport of panel (row, col) of a rows x cols grid filling the page below
 * `top` and above `bottom` points, with room for each panel's labels. */
void parley__chart_panel(const parley__chart_page *pg, int rows, int cols, int row, int col,
                         double top, double bottom);

/* One legend entry. */
typedef struct parley__chart_legend_entry {
    const char *text;
    int colour;
    int style;          /* 0: no line */
    const char *marker; /* NULL: no marker */
    bool box;           /* a filled box (a band) instead */
} parley__chart_legend_entry;

/* A legend outside the current viewport on its right, top-aligned. */
void parley__chart_legend(const parley__chart_legend_entry *e, size_t n, double text_scale);

/* A legend in one row, centred in the page strip [y0, y1] (normalised). */
void parley__chart_legend_row(const parley__chart_legend_entry *e, size_t n, double text_scale,
                              double y0, double y1);

/* Draws an x-y series as a line (style > 0) and/or markers. */
void parley__chart_line(const double *x, const double *y, size_t n, int colour, int style,
                        double width);
void parley__chart_markers(const double *x, const double *y, size_t n, int colour,
                           const char *marker, double scale);
/* A band between lo and hi (NANs split it). scratch holds 4n doubles: the
 * caller allocates it, where running out of memory can still be reported. */
void parley__chart_band(const double *x, const double *lo, const double *hi, size_t n, int colour,
                        double *scratch);

#endif
