/* chart.c - SVG charts for the report (see chart.h). */
#include "spotgen/cmd/chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TICKS 24

/* The entity for c, or NULL when c stands for itself. */
static const char *entity(char c)
{
  switch (c) {
  case '&': return "&amp;";
  case '<': return "&lt;";
  case '>': return "&gt;";
  case '"': return "&quot;";
  case '\'': return "&#39;";
  default: return NULL;
  }
}

void sg_buf_html(sg_buf *b, const char *s)
{
  for (; s && *s; s++) {
    const char *e = entity(*s);
    if (e)
      sg_buf_puts(b, e);
    else
      sg_buf_put(b, s, 1);
  }
}

const char *sg_html(char *out, size_t cap, const char *s)
{
  size_t n = 0;
  for (; s && *s; s++) {
    const char *e = entity(*s);
    size_t len = e ? strlen(e) : 1;
    if (n + len >= cap)
      break;
    memcpy(out + n, e ? e : s, len);
    n += len;
  }
  out[n] = '\0';
  return out;
}

static double scaled(sg_scale s, double v)
{
  switch (s) {
  case SG_SCALE_LOG10: return log10(v);
  case SG_SCALE_LOG1P: return log10(1.0 + v);
  default: return v;
  }
}

static const char *scale_name(sg_scale s)
{
  return s == SG_SCALE_LOG10 ? "log10" : s == SG_SCALE_LOG1P ? "log1p" : "linear";
}

double sg_axis_px(const sg_axis *a, double v)
{
  double lo = scaled(a->scale, a->min), hi = scaled(a->scale, a->max);
  return a->px0 + (scaled(a->scale, v) - lo) / (hi - lo) * (a->px1 - a->px0);
}

/* Tick values: multiples of 1, 2 or 5 x 10^k in the axis' units on a linear
 * axis, powers of ten on a log one (and 0 on log10(1+x)). */
static int ticks(const sg_axis *a, double *out)
{
  int n = 0;
  if (a->scale != SG_SCALE_LINEAR) {
    if (a->scale == SG_SCALE_LOG1P && a->min <= 0)
      out[n++] = 0;
    double first = a->scale == SG_SCALE_LOG1P ? 1 : ceil(log10(a->min) - 1e-9);
    for (double k = first; n < MAX_TICKS && pow(10, k) <= a->max * (1 + 1e-9); k++)
      out[n++] = pow(10, k);
    return n;
  }
  const double unit = a->unit > 0 ? a->unit : 1;
  const double lo = a->min / unit, hi = a->max / unit, raw = (hi - lo) / 5;
  if (!(raw > 0))
    return 0;
  const double mag = pow(10, floor(log10(raw)));
  double step = 10 * mag;
  if (raw <= mag)
    step = mag;
  else if (raw <= 2 * mag)
    step = 2 * mag;
  else if (raw <= 5 * mag)
    step = 5 * mag;
  if (a->whole && step < 1)
    step = 1;
  for (double t = ceil(lo / step - 1e-9) * step; n < MAX_TICKS && t <= hi + step * 1e-9; t += step)
    out[n++] = (fabs(t) < step * 1e-9 ? 0 : t) * unit;
  return n;
}

/* A tick's label: as many decimals as the step between ticks needs. */
static void tick_label(const sg_axis *a, double v, double step, char *out, size_t cap)
{
  const double unit = a->unit > 0 ? a->unit : 1;
  double x = v / unit * (a->percent ? 100 : 1);
  double s = step / unit * (a->percent ? 100 : 1);
  const char *pct = a->percent ? "%" : "";
  if (fabs(x) >= 1e9)
    snprintf(out, cap, "%gG", x / 1e9);
  else if (fabs(x) >= 1e6)
    snprintf(out, cap, "%gM", x / 1e6);
  else if (fabs(x) >= 1e4)
    snprintf(out, cap, "%gk", x / 1e3);
  else {
    int decimals = a->scale == SG_SCALE_LINEAR && s > 0 && s < 1 ? (int)ceil(-log10(s) - 1e-9) : 0;
    snprintf(out, cap, "%.*f%s", decimals, x, pct);
  }
}

void sg_figure_begin(sg_buf *b, const char *id, const char *title, const char *note, double w,
                     double h)
{
  sg_buf_printf(b, "<figure class=\"chart\" id=\"chart-%s\" data-chart=\"%s\">\n<figcaption><b>", id, id);
  sg_buf_html(b, title);
  sg_buf_printf(b, "</b>");
  if (note && *note) {
    sg_buf_printf(b, " <span>");
    sg_buf_html(b, note);
    sg_buf_printf(b, "</span>");
  }
  sg_buf_printf(b, "</figcaption>\n<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", w, h);
  sg_buf_html(b, title);
  sg_buf_printf(b, "\" xmlns=\"http://www.w3.org/2000/svg\">\n");
}

void sg_figure_end(sg_buf *b)
{
  sg_buf_printf(b, "</svg>\n</figure>\n");
}

static void axis_ticks(sg_chart *c, const sg_axis *a, int vertical)
{
  double t[MAX_TICKS];
  int n = a->no_ticks ? 0 : ticks(a, t);
  const double step = n > 1 ? t[1] - t[0] : 0;
  const double x0 = c->x.px0, x1 = c->x.px1, y0 = c->y.px0, y1 = c->y.px1;
  for (int i = 0; i < n; i++) {
    char label[32];
    tick_label(a, t[i], step, label, sizeof label);
    double p = sg_axis_px(a, t[i]);
    if (vertical)
      sg_buf_printf(c->b,
                    "<line class=\"gridline\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>"
                    "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>\n",
                    x0, x1, p, p, x0 - 5, p, label);
    else
      sg_buf_printf(c->b,
                    "<line class=\"gridline\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>"
                    "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s</text>\n",
                    p, p, y0, y1, p, y0 + 15, label);
  }
  if (a->label && vertical)
    sg_buf_printf(c->b, "<text class=\"axis-title\" transform=\"translate(%.2f %.2f) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
                  c->ox + 12, (y0 + y1) / 2, a->label);
  else if (a->label)
    sg_buf_printf(c->b, "<text class=\"axis-title\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s</text>\n",
                  (x0 + x1) / 2, c->oy + c->height - 6, a->label);
}

void sg_chart_panel(sg_chart *c)
{
  c->x.px0 = c->ox + c->left;
  c->x.px1 = c->ox + c->width - c->right;
  c->y.px0 = c->oy + c->height - c->bottom;
  c->y.px1 = c->oy + c->top;
  axis_ticks(c, &c->x, 0);
  axis_ticks(c, &c->y, 1);
  sg_buf_printf(c->b, "<line class=\"axis\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>\n",
                c->x.px0, c->x.px1, c->y.px0, c->y.px0);
  sg_buf_printf(c->b,
                "<g class=\"plot\" data-x-scale=\"%s\" data-x-min=\"%.17g\" data-x-max=\"%.17g\" "
                "data-x-px0=\"%.2f\" data-x-px1=\"%.2f\" data-y-scale=\"%s\" data-y-min=\"%.17g\" "
                "data-y-max=\"%.17g\" data-y-px0=\"%.2f\" data-y-px1=\"%.2f\">\n",
                scale_name(c->x.scale), c->x.min, c->x.max, c->x.px0, c->x.px1,
                scale_name(c->y.scale), c->y.min, c->y.max, c->y.px0, c->y.px1);
}

void sg_chart_begin(sg_chart *c, const char *id, const char *title, const char *note)
{
  sg_figure_begin(c->b, id, title, note, c->width, c->height);
  sg_chart_panel(c);
}

void sg_chart_end(sg_chart *c)
{
  sg_buf_printf(c->b, "</g>\n");
  sg_figure_end(c->b);
}
