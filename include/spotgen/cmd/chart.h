/* chart.h - SVG charts written into a growing HTML buffer, for the report.
 *
 * A chart is a <figure> holding an inline <svg>: axes with "nice" ticks
 * (linear, log10, or log10(1+x) for counts that start at 0), gridlines, and
 * a plot group whose data-* attributes state the mapping from data to
 * pixels, so that a test can read every mark back as the value it shows.
 * No scripts, no fonts, nothing fetched: the page renders offline. */
#ifndef SPOTGEN_CHART_H
#define SPOTGEN_CHART_H

#include <stddef.h>

#include "spotgen/base/buf.h"

/*! sg_buf_html() : appends `s` escaped for HTML text and attribute values. */
void sg_buf_html(sg_buf *b, const char *s);

/*! sg_html() : `s` escaped as sg_buf_html() does, into out (cap bytes,
 *  truncated at a whole character or entity). @return : out. */
const char *sg_html(char *out, size_t cap, const char *s);

typedef enum { SG_SCALE_LINEAR, SG_SCALE_LOG10, SG_SCALE_LOG1P } sg_scale;

typedef struct sg_axis {
  double min, max;        /* the data range shown */
  sg_scale scale;
  double unit;            /* tick labels show value / unit (0 means 1) */
  int percent;            /* tick labels as percentages */
  int no_ticks;           /* the caller labels this axis itself */
  int whole;              /* ticks on whole numbers only */
  const char *label;      /* the axis title, or NULL */
  double px0, px1;        /* set by sg_chart_begin(): pixels of min and max */
} sg_axis;

typedef struct sg_chart {
  sg_buf *b;
  double width, height;            /* the viewBox, or the panel's size */
  double left, right, top, bottom; /* margins around the plot area */
  double ox, oy;                   /* a panel's origin within its figure */
  sg_axis x, y;
} sg_chart;

/*! sg_figure_begin() : opens <figure data-chart=id> with a caption (`title`
 *  in bold, then `note`, both plain text) and an <svg> of w x h units. */
void sg_figure_begin(sg_buf *b, const char *id, const char *title, const char *note, double w,
                     double h);

/*! sg_figure_end() : closes what sg_figure_begin() opened. */
void sg_figure_end(sg_buf *b);

/*! sg_chart_begin() : a figure with c->x and c->y drawn as axes (ticks,
 *  gridlines, titles), then an open plot group carrying the mapping. */
void sg_chart_begin(sg_chart *c, const char *id, const char *title, const char *note);

/*! sg_chart_end() : closes the plot group and the figure. */
void sg_chart_end(sg_chart *c);

/*! sg_chart_panel() : c's axes and an open plot group (close it with
 *  "</g>") at c->ox, c->oy inside a figure already begun: small multiples. */
void sg_chart_panel(sg_chart *c);

/*! sg_axis_px() : the pixel position of data value v on axis a. */
double sg_axis_px(const sg_axis *a, double v);

#endif
