/* report.c - `spotgen report` (see report.h).
 *
 * Every chart reads its numbers from the manifest: histograms share the
 * manifest's bins, a category's curve is its own histogram divided by its
 * rows, so nothing is re-estimated and the page costs the same at 100
 * thousand rows or ten billion. */
#include "spotgen/cmd/report.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spotgen/cmd/cli.h"
#include "spotgen/base/err.h"
#include "spotgen/base/layout.h"
#include "spotgen/dataset/manifest.h"
#include "spotgen/base/numfmt.h"
#include "spotgen/store/outdir.h"
#include "spotgen/dataset/progress.h"
#include "spotgen/store/source.h"
#include "spotgen/cmd/verify.h"

/* Okabe and Ito's palette, told apart with every common colour-vision
 * deficiency; each category also has its own dash pattern, for greyscale. */
static const char *const COLOURS[] = {"#E69F00", "#56B4E9", "#009E73", "#CC79A7",
                                      "#0072B2", "#D55E00", "#F0E442", "#000000"};
static const char *const DASHES[] = {"none", "7 3", "2 2", "9 3 2 3", "4 2 1 2", "12 3", "1 3", "6 2 2 2"};
#define NSTYLES 8
#define PASS_COLOUR "#0072B2"
#define FAIL_COLOUR "#D55E00"

/* The audio features' histograms, in the order shown. */
static const struct feature {
  const char *col, *title, *axis;
} FEATURES[] = {
  {"energy", "Energy", "energy"},
  {"danceability", "Danceability", "danceability"},
  {"valence", "Valence", "valence (musical positiveness)"},
  {"acousticness", "Acousticness", "acousticness"},
  {"instrumentalness", "Instrumentalness", "instrumentalness"},
  {"speechiness", "Speechiness", "speechiness"},
  {"liveness", "Liveness", "liveness"},
  {"loudness", "Loudness", "loudness (dB)"},
  {"tempo", "Tempo", "tempo (BPM)"},
  {"key", "Key", "key (0 = C, 1 = C#, ... 11 = B)"},
  {"mode", "Mode", "mode (0 = minor, 1 = major)"},
  {"time_signature", "Time signature", "beats per bar"},
};

/* The category profile's panels. */
static const char *const PROFILE[] = {"energy", "tempo", "acousticness", "danceability", "valence"};

/* Popularity bands named by the description's targets. */
static const struct band {
  int lo, hi;
} BANDS[] = {{10, 40}, {70, 89}, {90, 100}};

typedef struct report {
  sg_buf *b;
  const cJSON *m, *stats, *columns, *cats, *targets;
  double rows;
  int ncat;
  const char *cat_name[NSTYLES];
  double cat_rows[NSTYLES];
  int charts;
} report;

static const cJSON *get(const cJSON *o, const char *k)
{
  return cJSON_GetObjectItemCaseSensitive(o, k);
}

static double num(const cJSON *o, const char *k)
{
  const cJSON *x = get(o, k);
  return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static double at(const cJSON *a, int i)
{
  const cJSON *x = cJSON_GetArrayItem(a, i);
  return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

static const char *text(const cJSON *o, const char *k)
{
  const char *s = cJSON_GetStringValue(get(o, k));
  return s ? s : "";
}

/* A count as "1,234,567", or "-" when the manifest's is not one. */
static const char *grouped(char *out, double v)
{
  if (!(v >= 0 && v < 1.8e19))
    return strcpy(out, "-");
  return sg_fmt_group(out, (uint64_t)v);
}

/* A check's result, as one of the words the page styles. */
static const char *result(const cJSON *t)
{
  const char *r = text(t, "result");
  return strcmp(r, "pass") == 0 ? "pass" : strcmp(r, "fail") == 0 ? "fail" : "skip";
}

/* A chart the manifest has no data for: said, not skipped silently. */
static void missing(report *r, const char *id, const char *title, const char *why)
{
  sg_buf_printf(r->b, "<figure class=\"chart missing\" data-chart=\"%s\" data-missing=\"1\"><figcaption><b>", id);
  sg_buf_html(r->b, title);
  sg_buf_printf(r->b, "</b></figcaption><p>");
  sg_buf_html(r->b, why);
  sg_buf_printf(r->b, "</p></figure>\n");
}

/* ---- histograms ---------------------------------------------------------- */

typedef struct bins {
  const cJSON *counts;
  int n;
  double lo, hi;
  int integer; /* one bin per whole value lo .. hi */
  int log1p;   /* bins even in log10(1 + x) */
} bins;

static int bins_of(const cJSON *col, bins *h)
{
  const cJSON *hist = get(col, "histogram");
  const char *scale = text(hist, "scale");
  h->counts = get(hist, "counts");
  h->n = cJSON_GetArraySize(h->counts);
  h->lo = num(hist, "lo");
  h->hi = num(hist, "hi");
  if (!cJSON_IsArray(h->counts) || h->n == 0 || !isfinite(h->lo) || !(h->hi > h->lo))
    return -1;
  h->log1p = strcmp(scale, "log10(1+x)") == 0;
  h->integer = !h->log1p && h->hi - h->lo + 1 == h->n;
  return 0;
}

/* The lower edge of bin b, in data units (b == n: the upper edge of the last). */
static double edge(const bins *h, double b)
{
  if (h->integer)
    return h->lo - 0.5 + b;
  if (h->log1p)
    return pow(10, log10(1 + h->hi) * b / h->n) - 1;
  return h->lo + (h->hi - h->lo) * b / h->n;
}

/* The histograms of one column per category, or NULL for a category
 * without (a manifest older than 0.5.0). */
static const cJSON *category_counts(const report *r, int k, const char *col)
{
  const cJSON *a = get(get(get(r->cats, r->cat_name[k]), "histograms"), col);
  return cJSON_IsArray(a) ? a : NULL;
}

/* Bars of the share of all rows in each bin; with `per_category`, a line per
 * category of the share of its own rows, so the curves compare whatever the
 * categories' sizes; with `bands`, popularity's bands shaded and labelled. */
static void histogram(report *r, const char *id, const char *col, const char *title,
                      const char *note, const char *axis, double unit, int per_category,
                      const struct band *bands, int nbands)
{
  bins h;
  if (bins_of(get(r->columns, col), &h) != 0 || !(r->rows > 0)) {
    missing(r, id, title, "this manifest has no histogram of the column");
    return;
  }
  int last = h.n;
  if (h.log1p) /* a log axis up to the largest value there is */
    while (last > 1 && at(h.counts, last - 1) == 0)
      last--;
  double ymax = 0;
  for (int b = 0; b < last; b++)
    ymax = fmax(ymax, at(h.counts, b) / r->rows);
  for (int k = 0; per_category && k < r->ncat; k++) {
    const cJSON *cc = category_counts(r, k, col);
    for (int b = 0; cc && b < last && r->cat_rows[k] > 0; b++)
      ymax = fmax(ymax, at(cc, b) / r->cat_rows[k]);
  }
  sg_chart c = {.b = r->b, .width = 400, .height = 250, .left = 52, .right = 14, .top = 12, .bottom = 40};
  c.x = (sg_axis){.min = edge(&h, 0), .max = edge(&h, last),
                  .scale = h.log1p ? SG_SCALE_LOG1P : SG_SCALE_LINEAR, .unit = unit,
                  .whole = h.integer, .label = axis};
  c.y = (sg_axis){.max = ymax > 0 ? ymax * 1.12 : 1, .percent = 1, .label = "share of rows"};
  sg_chart_begin(&c, id, title, note);
  const double y0 = sg_axis_px(&c.y, 0);
  for (int i = 0; i < nbands; i++) {
    double share = 0;
    for (int v = bands[i].lo; v <= bands[i].hi; v++) {
      double b = v - h.lo; /* the bin of value v */
      if (h.integer && b >= 0 && b < h.n)
        share += at(h.counts, (int)b) / r->rows;
    }
    double x0 = sg_axis_px(&c.x, bands[i].lo - 0.5), x1 = sg_axis_px(&c.x, bands[i].hi + 0.5);
    sg_buf_printf(r->b,
                  "<rect class=\"band\" data-lo=\"%d\" data-hi=\"%d\" data-share=\"%.6f\" x=\"%.2f\" "
                  "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/><text class=\"band-label\" x=\"%.2f\" "
                  "y=\"%.2f\" text-anchor=\"middle\">%d-%d: %.1f%%</text>\n",
                  bands[i].lo, bands[i].hi, share, x0, c.y.px1, x1 - x0, y0 - c.y.px1,
                  (x0 + x1) / 2, c.y.px1 + 10 + 11 * (i % 2), bands[i].lo, bands[i].hi, 100 * share);
  }
  for (int b = 0; b < last; b++) {
    double n = at(h.counts, b);
    if (!(n > 0))
      continue;
    double x0 = sg_axis_px(&c.x, edge(&h, b)), x1 = sg_axis_px(&c.x, edge(&h, b + 1));
    if (h.integer) { /* a gap between whole values */
      double gap = (x1 - x0) * 0.12;
      x0 += gap;
      x1 -= gap;
    }
    double y = sg_axis_px(&c.y, n / r->rows);
    sg_buf_printf(r->b,
                  "<rect class=\"bar\" data-bin=\"%d\" data-count=\"%.0f\" x=\"%.2f\" y=\"%.2f\" "
                  "width=\"%.2f\" height=\"%.2f\"/>\n",
                  b, n, x0, y, x1 - x0, y0 - y);
  }
  for (int k = 0; per_category && k < r->ncat; k++) {
    const cJSON *cc = category_counts(r, k, col);
    if (!cc || !(r->cat_rows[k] > 0))
      continue;
    sg_buf_printf(r->b, "<polyline class=\"cat\" data-category=\"");
    sg_buf_html(r->b, r->cat_name[k]);
    sg_buf_printf(r->b, "\" stroke=\"%s\" stroke-dasharray=\"%s\" points=\"", COLOURS[k], DASHES[k]);
    for (int b = 0; b < last; b++) {
      double xm = (sg_axis_px(&c.x, edge(&h, b)) + sg_axis_px(&c.x, edge(&h, b + 1))) / 2;
      sg_buf_printf(r->b, "%.2f,%.2f ", xm, sg_axis_px(&c.y, at(cc, b) / r->cat_rows[k]));
    }
    sg_buf_printf(r->b, "\"/>\n");
  }
  sg_chart_end(&c);
  r->charts++;
}

/* ---- the correlation heatmap ------------------------------------------- */

/* White at 0, towards PuOr's purple for -1 and orange for +1. */
static void diverging(double v, char *out, size_t cap)
{
  static const double NEG[3] = {94, 60, 153}, POS[3] = {230, 97, 1}, MID[3] = {247, 247, 247};
  double t = fmin(fabs(isfinite(v) ? v : 0), 1.0);
  const double *end = v < 0 ? NEG : POS;
  int rgb[3];
  for (int i = 0; i < 3; i++)
    rgb[i] = (int)lround(MID[i] + (end[i] - MID[i]) * t);
  snprintf(out, cap, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

static int name_index(const cJSON *names, const char *name)
{
  int i = 0;
  const cJSON *x;
  cJSON_ArrayForEach(x, names)
  {
    if (cJSON_IsString(x) && strcmp(x->valuestring, name) == 0)
      return i;
    i++;
  }
  return -1;
}

static void target_cell(report *r, const cJSON *t, const char *rname, const char *cname, double x,
                        double y, double cell)
{
  const int pass = strcmp(result(t), "pass") == 0;
  char rn[128], cn[128];
  sg_buf_printf(r->b, "<rect class=\"target %s\" data-row=\"%s\" data-col=\"%s\"", pass ? "pass" : "fail",
                sg_html(rn, sizeof rn, rname), sg_html(cn, sizeof cn, cname));
  if (isfinite(num(t, "min"))) /* an open side has no bound */
    sg_buf_printf(r->b, " data-min=\"%.17g\"", num(t, "min"));
  if (isfinite(num(t, "max")))
    sg_buf_printf(r->b, " data-max=\"%.17g\"", num(t, "max"));
  sg_buf_printf(r->b,
                " data-absolute=\"%d\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
                "stroke=\"%s\"%s><title>",
                cJSON_IsTrue(get(t, "absolute")), x + 1.5, y + 1.5, cell - 3, cell - 3,
                pass ? "#000" : FAIL_COLOUR, pass ? "" : " stroke-dasharray=\"4 2\"");
  sg_buf_html(r->b, text(t, "target"));
  char range[128];
  sg_buf_printf(r->b, ": target %s, measured %.3f, %s</title></rect>\n",
                sg_html(range, sizeof range, text(t, "range")), num(t, "measured"), result(t));
}

static void heatmap(report *r)
{
  const cJSON *corr = get(r->stats, "correlation"), *names = get(corr, "columns"),
              *matrix = get(corr, "matrix");
  const int n = cJSON_GetArraySize(names);
  enum { MAX_NAMES = 64 };
  char name[MAX_NAMES][128];
  int ok = n > 0 && n <= MAX_NAMES && cJSON_GetArraySize(matrix) == n;
  for (int i = 0; ok && i < n; i++) {
    const char *s = cJSON_GetStringValue(cJSON_GetArrayItem(names, i));
    ok = s != NULL && cJSON_GetArraySize(cJSON_GetArrayItem(matrix, i)) == n;
    sg_html(name[i], sizeof name[i], s);
  }
  if (!ok) {
    missing(r, "correlation", "Correlations", "this manifest has no correlation matrix");
    return;
  }
  const double cell = 36, left = 124, top = 112, w = left + n * cell + 56, h = top + n * cell + 64;
  sg_figure_begin(r->b, "correlation", "Correlations (Pearson r) between the numeric columns",
                  "outlined: a target of the description, solid when it is met, dashed when not; "
                  "hover a cell for its range",
                  w, h);
  for (int i = 0; i < n; i++) {
    double p = i * cell + cell / 2;
    sg_buf_printf(r->b, "<text class=\"label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>\n",
                  left - 6, top + p, name[i]);
    sg_buf_printf(r->b, "<text class=\"label\" transform=\"translate(%.2f %.2f) rotate(-55)\">%s</text>\n",
                  left + p + 3, top - 6, name[i]);
  }
  sg_buf_printf(r->b, "<g class=\"heatmap\" data-x0=\"%.2f\" data-y0=\"%.2f\" data-cell=\"%.2f\">\n",
                left, top, cell);
  for (int i = 0; i < n; i++) {
    const cJSON *row = cJSON_GetArrayItem(matrix, i);
    for (int j = 0; j < n; j++) {
      double v = at(row, j);
      char fill[8];
      diverging(v, fill, sizeof fill);
      double x = left + j * cell, y = top + i * cell;
      sg_buf_printf(r->b,
                    "<rect class=\"cell\" data-row=\"%s\" data-col=\"%s\" data-r=\"%.17g\" x=\"%.2f\" "
                    "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>"
                    "<text class=\"cell-value\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" "
                    "dominant-baseline=\"middle\" fill=\"%s\">%.2f</text>\n",
                    name[i], name[j],
                    isfinite(v) ? v : 0, x, y, cell, cell, fill, x + cell / 2, y + cell / 2,
                    fabs(v) > 0.55 ? "#fff" : "#222", isfinite(v) && fabs(v) >= 0.005 ? v : 0.0);
    }
  }
  const cJSON *t;
  cJSON_ArrayForEach(t, r->targets)
  {
    const cJSON *cols = get(t, "columns");
    if (cJSON_GetArraySize(cols) != 2)
      continue;
    const char *a = cJSON_GetStringValue(cJSON_GetArrayItem(cols, 0));
    const char *b = cJSON_GetStringValue(cJSON_GetArrayItem(cols, 1));
    int i = a ? name_index(names, a) : -1, j = b ? name_index(names, b) : -1;
    if (i < 0 || j < 0)
      continue;
    target_cell(r, t, a, b, left + j * cell, top + i * cell, cell);
    target_cell(r, t, b, a, left + i * cell, top + j * cell, cell);
  }
  sg_buf_printf(r->b, "</g>\n");
  /* the colour scale */
  const double ly = top + n * cell + 22, lw = n * cell * 0.6, lx = left;
  for (int s = 0; s < 40; s++) {
    char fill[8];
    diverging(-1 + (s + 0.5) / 20.0, fill, sizeof fill);
    sg_buf_printf(r->b, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"10\" fill=\"%s\"/>",
                  lx + s * lw / 40, ly, lw / 40 + 0.3, fill);
  }
  for (int s = 0; s <= 4; s++)
    sg_buf_printf(r->b, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%g</text>",
                  lx + s * lw / 4, ly + 24, -1 + s * 0.5);
  sg_buf_printf(r->b, "\n<text class=\"tick\" x=\"%.2f\" y=\"%.2f\">r</text>\n", lx + lw + 8, ly + 9);
  sg_figure_end(r->b);
  r->charts++;
}

/* ---- category profiles ------------------------------------------------- */

/* Correlations inside each category's playlists, one small heatmap each;
 * outlined: a pair the category sets itself (config: its "correlations"). */
static void within(report *r)
{
  enum { MAX_FEATURES = 16 };
  const cJSON *first = get(get(get(r->cats, r->ncat ? r->cat_name[0] : ""), "correlation"), "columns");
  const int n = cJSON_GetArraySize(first);
  if (r->ncat == 0 || n == 0 || n > MAX_FEATURES) {
    missing(r, "within", "Correlations within each category",
            "this manifest has no correlations per category (spotgen 0.12.0 and later write them)");
    return;
  }
  const double cell = 13, left = 110, top = 100, gap = 18, pw = n * cell;
  const double w = left + r->ncat * (pw + gap), h = top + pw + 16;
  sg_figure_begin(r->b, "within", "Correlations within each category (Pearson r over its playlists' rows)",
                  "outlined: a pair the category sets itself; the others follow the whole dataset's "
                  "targets; hover a cell for its value",
                  w, h);
  char name[MAX_FEATURES][64];
  for (int i = 0; i < n; i++) {
    sg_html(name[i], sizeof name[i], cJSON_GetStringValue(cJSON_GetArrayItem(first, i)));
    sg_buf_printf(r->b, "<text class=\"label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" "
                  "dominant-baseline=\"middle\">%s</text>\n", left - 6, top + i * cell + cell / 2, name[i]);
  }
  const cJSON *want_cats = get(get(r->m, "config"), "categories");
  for (int k = 0; k < r->ncat; k++) {
    const cJSON *corr = get(get(r->cats, r->cat_name[k]), "correlation"), *matrix = get(corr, "matrix");
    const cJSON *own = get(get(want_cats, r->cat_name[k]), "correlations");
    const double x0 = left + k * (pw + gap);
    sg_buf_printf(r->b, "<text class=\"panel-title\" x=\"%.2f\" y=\"%.2f\">", x0, top - 8);
    sg_buf_html(r->b, r->cat_name[k]);
    sg_buf_printf(r->b, "</text>\n<g class=\"within\" data-category=\"");
    sg_buf_html(r->b, r->cat_name[k]);
    sg_buf_printf(r->b, "\">\n");
    for (int i = 0; i < n && cJSON_GetArraySize(matrix) == n; i++)
      for (int j = 0; j < n; j++) {
        double v = at(cJSON_GetArrayItem(matrix, i), j);
        int set = cJSON_IsNumber(get(get(own, name[i]), name[j])) ||
                  cJSON_IsNumber(get(get(own, name[j]), name[i]));
        char fill[8];
        diverging(v, fill, sizeof fill);
        sg_buf_printf(r->b,
                      "<rect class=\"cell%s\" data-row=\"%s\" data-col=\"%s\" data-r=\"%.17g\" "
                      "x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"%s>"
                      "<title>%s, %s: %.2f</title></rect>\n",
                      set ? " own" : "", name[i], name[j], isfinite(v) ? v : 0, x0 + j * cell,
                      top + i * cell, cell, cell, fill, set ? " stroke=\"#000\" stroke-width=\"1.5\"" : "",
                      name[i], name[j], isfinite(v) ? v : 0.0);
      }
    sg_buf_printf(r->b, "</g>\n");
  }
  sg_figure_end(r->b);
  r->charts++;
}

static void profiles(report *r)
{
  const int np = (int)(sizeof PROFILE / sizeof PROFILE[0]);
  const double ph = 38 + 17 * r->ncat;
  if (r->ncat == 0) {
    missing(r, "profiles", "Category profiles", "this manifest has no categories");
    return;
  }
  sg_figure_begin(r->b, "profiles", "Category profiles",
                  "bars: each category's mean; black tick: the mean its profile asks for", 400,
                  np * ph + 4);
  const cJSON *want_cats = get(get(r->m, "config"), "categories");
  for (int p = 0; p < np; p++) {
    const char *col = PROFILE[p];
    double vmax = 0;
    for (int k = 0; k < r->ncat; k++) {
      vmax = fmax(vmax, num(get(get(r->cats, r->cat_name[k]), "means"), col));
      vmax = fmax(vmax, num(get(get(want_cats, r->cat_name[k]), col), "mean"));
    }
    bins h;
    int unit_range = bins_of(get(r->columns, col), &h) == 0 && h.lo == 0 && h.hi == 1;
    sg_chart c = {.b = r->b, .width = 400, .height = ph, .left = 70, .right = 16, .top = 20, .bottom = 18, .ox = 0, .oy = p * ph};
    c.x = (sg_axis){.max = unit_range ? 1 : vmax * 1.15};
    c.y = (sg_axis){.max = r->ncat, .no_ticks = 1};
    sg_chart_panel(&c);
    sg_buf_printf(r->b, "<text class=\"panel-title\" x=\"%.2f\" y=\"%.2f\">%s</text>\n", c.x.px0,
                  c.oy + 13, col);
    for (int k = 0; k < r->ncat; k++) {
      double mean = num(get(get(r->cats, r->cat_name[k]), "means"), col);
      double want = num(get(get(want_cats, r->cat_name[k]), col), "mean");
      double y1 = sg_axis_px(&c.y, r->ncat - k - 0.15), y0 = sg_axis_px(&c.y, r->ncat - k - 0.85);
      double x0 = sg_axis_px(&c.x, 0), x1 = sg_axis_px(&c.x, isfinite(mean) ? mean : 0);
      sg_buf_printf(r->b, "<text class=\"label\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" dominant-baseline=\"middle\">",
                    x0 - 5, (y0 + y1) / 2);
      sg_buf_html(r->b, r->cat_name[k]);
      sg_buf_printf(r->b, "</text><rect class=\"profile\" data-feature=\"%s\" data-category=\"", col);
      sg_buf_html(r->b, r->cat_name[k]);
      sg_buf_printf(r->b, "\" data-mean=\"%.17g\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>",
                    mean, x0, y1, x1 - x0, y0 - y1, COLOURS[k]);
      if (isfinite(want))
        sg_buf_printf(r->b, "<line class=\"want\" data-want=\"%.17g\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.2f\" y2=\"%.2f\"/>",
                      want, sg_axis_px(&c.x, want), sg_axis_px(&c.x, want), y1 - 2, y0 + 2);
      sg_buf_printf(r->b, "<text class=\"value\" x=\"%.2f\" y=\"%.2f\" dominant-baseline=\"middle\">%.*f</text>\n",
                    fmax(x1, isfinite(want) ? sg_axis_px(&c.x, want) : x1) + 4, (y0 + y1) / 2,
                    unit_range ? 2 : 0, mean);
    }
    sg_buf_printf(r->b, "</g>\n");
  }
  sg_figure_end(r->b);
  r->charts++;
}

/* ---- release years, artists -------------------------------------------- */

static void release_years(report *r)
{
  const cJSON *years = get(r->stats, "release_years");
  const int n = cJSON_GetArraySize(years);
  if (n == 0) {
    missing(r, "release-years", "Release years", "this manifest has no release-year counts");
    return;
  }
  double ymax = 0;
  const cJSON *y;
  cJSON_ArrayForEach(y, years) ymax = fmax(ymax, y->valuedouble);
  sg_chart c = {.b = r->b, .width = 400, .height = 250, .left = 58, .right = 14, .top = 12, .bottom = 48};
  c.x = (sg_axis){.max = n, .no_ticks = 1, .label = "release year"};
  c.y = (sg_axis){.max = ymax > 0 ? ymax * 1.1 : 1, .label = "rows"};
  sg_chart_begin(&c, "release-years", "Release years", "rows per year of release_date");
  int i = 0;
  cJSON_ArrayForEach(y, years)
  {
    char year[64];
    sg_html(year, sizeof year, y->string);
    double x0 = sg_axis_px(&c.x, i + 0.14), x1 = sg_axis_px(&c.x, i + 0.86);
    double top = sg_axis_px(&c.y, y->valuedouble), base = sg_axis_px(&c.y, 0);
    sg_buf_printf(r->b,
                  "<rect class=\"bar\" data-year=\"%s\" data-rows=\"%.0f\" x=\"%.2f\" y=\"%.2f\" "
                  "width=\"%.2f\" height=\"%.2f\"/><text class=\"tick\" transform=\"translate(%.2f %.2f) "
                  "rotate(-45)\" text-anchor=\"end\">%s</text>\n",
                  year, y->valuedouble, x0, top, x1 - x0, base - top, (x0 + x1) / 2 + 3,
                  base + 10, year);
    i++;
  }
  sg_chart_end(&c);
  r->charts++;
}

/* A rank-frequency chart: how entities' rows fall with their rank. */
typedef struct ranked {
  const char *section;   /* of stats: "artists" or "tracks" */
  const char *id, *title, *absent;
  const char *noun;      /* "artist", "track" */
} ranked;

/* Rows of the entities by rank on log-log axes, with the least-squares
 * line through the (log-spaced) points: a power law is a straight line. */
static void rank_chart(report *r, const ranked *k)
{
  const cJSON *a = get(r->stats, k->section), *rank = get(a, "rank"), *rows = get(a, "rows");
  const int n = cJSON_GetArraySize(rank);
  if (n < 2 || cJSON_GetArraySize(rows) != n || !(at(rows, n - 1) > 0)) {
    missing(r, k->id, k->title, k->absent);
    return;
  }
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (int i = 0; i < n; i++) {
    double x = log10(at(rank, i)), y = log10(at(rows, i));
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx), icpt = (sy - slope * sx) / n;
  char note[200], count[32], label[48];
  snprintf(note, sizeof note, "rows of the n-th most %s %s; %s %ss have rows; least-squares slope %.2f",
           strcmp(k->noun, "track") == 0 ? "placed" : "played", k->noun,
           grouped(count, num(a, "with_rows")), k->noun, slope);
  snprintf(label, sizeof label, "%s rank (log)", k->noun);
  const double xmax = at(rank, n - 1);
  sg_chart c = {.b = r->b, .width = 400, .height = 250, .left = 58, .right = 14, .top = 12, .bottom = 40};
  c.x = (sg_axis){.min = 1, .max = pow(10, ceil(log10(xmax) - 1e-9)), .scale = SG_SCALE_LOG10,
                  .label = label};
  c.y = (sg_axis){.min = pow(10, floor(log10(at(rows, n - 1)))),
                  .max = pow(10, ceil(log10(at(rows, 0)) + 1e-9)), .scale = SG_SCALE_LOG10,
                  .label = "rows (log)"};
  sg_chart_begin(&c, k->id, k->title, note);
  sg_buf_printf(r->b, "<line class=\"fit\" data-slope=\"%.6f\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n",
                slope, sg_axis_px(&c.x, 1), sg_axis_px(&c.y, pow(10, icpt)), sg_axis_px(&c.x, xmax),
                sg_axis_px(&c.y, pow(10, icpt + slope * log10(xmax))));
  sg_buf_printf(r->b, "<polyline class=\"curve\" points=\"");
  for (int i = 0; i < n; i++)
    sg_buf_printf(r->b, "%.2f,%.2f ", sg_axis_px(&c.x, at(rank, i)), sg_axis_px(&c.y, at(rows, i)));
  sg_buf_printf(r->b, "\"/>\n");
  for (int i = 0; i < n; i++)
    sg_buf_printf(r->b, "<circle class=\"point\" data-rank=\"%.0f\" data-rows=\"%.0f\" cx=\"%.2f\" cy=\"%.2f\" r=\"2.6\"/>\n",
                  at(rank, i), at(rows, i), sg_axis_px(&c.x, at(rank, i)), sg_axis_px(&c.y, at(rows, i)));
  sg_chart_end(&c);
  r->charts++;
}

static void artist_ranks(report *r)
{
  static const ranked k = {"artists", "artist-rank", "Artists by rank: the power law",
                           "rows per artist are not in this manifest: spotgen counts them up to "
                           "2,000,000 artists, from version 0.5.0", "artist"};
  rank_chart(r, &k);
}

/* Placements per track: a few hits in thousands of playlists, most tracks
 * in one or two. */
static void track_ranks(report *r)
{
  static const ranked k = {"tracks", "track-rank", "Tracks by placements: hits and the long tail",
                           "placements per track are not in this manifest: spotgen counts them up "
                           "to 1,500,000 tracks in the catalogue, from version 0.6.0", "track"};
  rank_chart(r, &k);
}

/* ---- the facts and the target table ------------------------------------ */

/* How many of the checks passed, failed, and were not measured. */
static void tally(const cJSON *checks, int *pass, int *fail, int *skip)
{
  *pass = *fail = *skip = 0;
  const cJSON *t;
  cJSON_ArrayForEach(t, checks)
  {
    const char *res = result(t);
    *pass += strcmp(res, "pass") == 0;
    *fail += strcmp(res, "fail") == 0;
    *skip += strcmp(res, "skip") == 0;
  }
}

static void fact(report *r, const char *key, const char *label, const char *value)
{
  sg_buf_printf(r->b, "<tr data-fact=\"%s\"><th>%s</th><td>", key, label);
  sg_buf_html(r->b, value);
  sg_buf_printf(r->b, "</td></tr>\n");
}

static void facts(report *r, const char *where)
{
  const cJSON *d = get(r->m, "dataset"), *run = get(r->m, "run"), *p;
  char v[512], a[64], b[64];
  double bytes = 0;
  cJSON_ArrayForEach(p, get(r->m, "parts")) bytes += num(p, "bytes");
  sg_buf_printf(r->b, "<section data-item=\"facts\"><h2>The dataset</h2>\n<table class=\"facts\">\n");
  fact(r, "location", "Location", where);
  fact(r, "rows", "Rows", grouped(a, num(d, "rows")));
  snprintf(v, sizeof v, "%s", grouped(a, num(d, "parts")));
  if (num(d, "rows_per_part") > 0 && strcmp(text(d, "part_sizing"), "rows_per_part") == 0)
    snprintf(v + strlen(v), sizeof v - strlen(v), " of %s rows", grouped(b, num(d, "rows_per_part")));
  fact(r, "parts", "Parts", v);
  snprintf(v, sizeof v, "%.0f", num(d, "seed"));
  fact(r, "seed", "Seed", v);
  snprintf(v, sizeof v, "%s", text(d, "format"));
  if (*text(d, "compression") && strcmp(text(d, "compression"), "none") != 0)
    snprintf(v + strlen(v), sizeof v - strlen(v), ", %s", text(d, "compression"));
  if (num(d, "compression_level") > 0)
    snprintf(v + strlen(v), sizeof v - strlen(v), " level %.0f", num(d, "compression_level"));
  fact(r, "format", "Format", v);
  snprintf(v, sizeof v, "%s (%s bytes)", sg_human_bytes(a, sizeof a, bytes), grouped(b, bytes));
  fact(r, "size", "Size", v);
  fact(r, "artists", "Artists in the catalog", grouped(a, num(d, "artists")));
  const cJSON *pe = get(r->stats, "popularity_explained");
  if (isfinite(num(pe, "audio_r2"))) {
    snprintf(v, sizeof v, "the nine audio features together R² %.3f", num(pe, "audio_r2"));
    if (isfinite(num(pe, "artist_r2")))
      snprintf(v + strlen(v), sizeof v - strlen(v), "; the artist's popularity r² %.3f (%.0f times as much)",
               num(pe, "artist_r2"), num(pe, "artist_r2") / num(pe, "audio_r2"));
    fact(r, "popularity-explained", "Popularity explained (over rows)", v);
  }
  snprintf(v, sizeof v, "%s by spotgen %s", run ? text(run, "start") : "(not recorded)",
           text(get(r->m, "generator"), "version"));
  fact(r, "generated", "Generated", v);
  if (run) {
    int nh = cJSON_GetArraySize(get(run, "hosts"));
    snprintf(v, sizeof v, "%.2f s on %.0f rank%s, %d host%s", num(run, "seconds"), num(run, "ranks"),
             num(run, "ranks") == 1 ? "" : "s", nh, nh == 1 ? "" : "s");
    fact(r, "time", "Time", v);
    fact(r, "rate", "Rows per second", grouped(a, num(run, "rows_per_second")));
    double rss = 0;
    cJSON_ArrayForEach(p, get(run, "peak_rss_mib")) rss = fmax(rss, p->valuedouble);
    if (rss > 0) {
      snprintf(v, sizeof v, "%.0f MiB", rss);
      fact(r, "memory", "Peak memory of a rank", v);
    }
  }
  int pass, fail, skip;
  tally(r->targets, &pass, &fail, &skip);
  snprintf(v, sizeof v, "%d of %d pass, %d fail, %d not measured", pass, pass + fail + skip, fail, skip);
  sg_buf_printf(r->b, "<tr data-fact=\"targets\"><th>Targets</th><td class=\"%s\"><a href=\"#targets\">%s</a></td></tr>\n",
                fail ? "fail" : "pass", v);
  sg_buf_printf(r->b, "</table>\n</section>\n");
}

static void target_table(report *r, int verified)
{
  int pass, fail, skip;
  const cJSON *t;
  tally(r->targets, &pass, &fail, &skip);
  sg_buf_printf(r->b,
                "<section data-item=\"targets\" id=\"targets\"><h2>Targets</h2>\n<p class=\"summary\" data-pass=\"%d\" "
                "data-fail=\"%d\" data-skip=\"%d\"><b class=\"%s\">%d of %d %s</b>%s",
                pass, fail, skip, fail ? "fail" : "pass", fail ? fail : pass, pass + fail + skip,
                fail ? "fail" : "pass", skip ? "; " : ".");
  if (skip)
    sg_buf_printf(r->b, "%d not measured.", skip);
  sg_buf_printf(r->b, " %s</p>\n",
                verified ? "Checked by <code>spotgen verify</code>, which read every part back."
                         : "Checked on the statistics gathered while generating; "
                           "<code>spotgen verify</code> (or <code>report --verify</code>) reads "
                           "every part back and checks them again.");
  sg_buf_printf(r->b, "<table class=\"targets\">\n<tr><th>target</th><th>range</th><th>measured</th><th>result</th></tr>\n");
  cJSON_ArrayForEach(t, r->targets)
  {
    const char *res = result(t);
    double m = num(t, "measured");
    sg_buf_printf(r->b, "<tr data-target=\"");
    sg_buf_html(r->b, text(t, "target"));
    sg_buf_printf(r->b, "\" data-result=\"%s\"><td>", res);
    sg_buf_html(r->b, text(t, "target"));
    sg_buf_printf(r->b, "</td><td>");
    sg_buf_html(r->b, text(t, "range"));
    if (isfinite(m))
      sg_buf_printf(r->b, "</td><td class=\"num\">%.6g</td>", m);
    else
      sg_buf_printf(r->b, "</td><td class=\"num\">-</td>");
    sg_buf_printf(r->b, "<td class=\"%s\">%s %s", res,
                  strcmp(res, "pass") == 0 ? "&#10003;" : strcmp(res, "fail") == 0 ? "&#10007;" : "&#8211;", res);
    if (*text(t, "note")) {
      sg_buf_printf(r->b, ": <span class=\"note\">");
      sg_buf_html(r->b, text(t, "note"));
      sg_buf_printf(r->b, "</span>");
    }
    sg_buf_printf(r->b, "</td></tr>\n");
  }
  sg_buf_printf(r->b, "</table>\n</section>\n");
}

/* generate --dirty: what the data holds besides its rows, by kind and
 * column, beside the rate asked (the manifest's dirty section). */
static void dirt_table(report *r)
{
  const cJSON *dirty = get(r->m, "dirty"), *asked = get(get(get(r->m, "dataset"), "dirty"), "rates");
  if (!dirty)
    return;
  char a[32], b[32], c[32];
  double rows = num(get(r->m, "dataset"), "rows"), written = num(dirty, "rows_written");
  sg_buf_printf(r->b, "<section data-item=\"dirt\" id=\"dirt\"><h2>Dirt</h2>\n<p>Written with "
                      "<code>generate --dirty ");
  sg_buf_html(r->b, text(get(get(r->m, "dataset"), "dirty"), "profile"));
  sg_buf_printf(r->b, "</code>: %s lines for %s rows (the rest are copies); the ledger in <code>_dirty/</code> "
                      "holds %s lines, one per change, with the clean and the dirty value. "
                      "<code>spotgen score</code> scores a cleaning against it.</p>\n",
                grouped(a, written), grouped(b, rows), grouped(c, num(dirty, "ledger_rows")));
  sg_buf_printf(r->b, "<table class=\"dirt\">\n<tr><th>kind</th><th>column</th><th>rate asked</th>"
                      "<th>made</th><th>per row</th></tr>\n");
  const cJSON *kind, *col;
  cJSON_ArrayForEach(kind, get(dirty, "counts"))
  {
    cJSON_ArrayForEach(col, kind)
    {
      const cJSON *k = get(asked, kind->string);
      double rate = strcmp(col->string, "rows") == 0 ? num(k, "rate") : num(get(k, "columns"), col->string);
      sg_buf_printf(r->b, "<tr data-kind=\"");
      sg_buf_html(r->b, kind->string);
      sg_buf_printf(r->b, "\" data-column=\"");
      sg_buf_html(r->b, col->string);
      sg_buf_printf(r->b, "\" data-count=\"%.0f\"><td>", col->valuedouble);
      sg_buf_html(r->b, kind->string);
      sg_buf_printf(r->b, "</td><td>");
      sg_buf_html(r->b, col->string);
      sg_buf_printf(r->b, "</td><td class=\"num\">%.3g%%</td><td class=\"num\">%s</td><td class=\"num\">%.3f%%</td></tr>\n",
                    100 * rate, grouped(a, col->valuedouble), rows > 0 ? 100 * col->valuedouble / rows : 0);
    }
  }
  sg_buf_printf(r->b, "</table>\n<p class=\"note\">A rate is per cell the kind can act on (mojibake: names with "
                      "letters outside ASCII; comma thousands: numbers of four digits or more), so "
                      "&ldquo;per row&rdquo; may be below it; the row kinds' rate is per row. Tempo goes "
                      "missing more in sleep playlists where the profile says so. The statistics and "
                      "charts above are of the clean rows.</p>\n</section>\n");
}

/* ---- the page ---------------------------------------------------------- */

static const char STYLE[] =
  "body{margin:0;background:#f6f6f4;color:#1b1b1b;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif}\n"
  "main{max-width:1260px;margin:0 auto;padding:18px 24px 40px}\n"
  "h1{font-size:23px;margin:6px 0 2px}h2{font-size:18px;margin:30px 0 10px;padding-bottom:4px;border-bottom:1px solid #d9d9d4}\n"
  "p.sub{margin:0 0 8px;color:#444}code{font-size:13px}\n"
  ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(370px,1fr));gap:14px;align-items:start}\n"
  ".wide{grid-column:span 2}@media(max-width:800px){.wide{grid-column:auto}}\n"
  "figure.chart{margin:0;background:#fff;border:1px solid #e0e0dc;border-radius:6px;padding:8px 10px}\n"
  "figcaption{font-size:13px;margin-bottom:4px}figcaption span{color:#555}\n"
  "figure svg{display:block;width:100%;height:auto}\n"
  "svg text{font-size:11px;fill:#333}svg .tick{fill:#555;font-size:10.5px}svg .axis-title{font-size:11.5px}\n"
  "svg .panel-title{font-weight:600}svg .cell-value{font-size:9.5px}svg .band-label{font-size:10px;fill:#444}\n"
  "line.gridline{stroke:#ececec}line.axis{stroke:#777}rect.bar{fill:#a9a9a9}rect.band{fill:#f1efe6}\n"
  "polyline.cat{fill:none;stroke-width:1.7}line.want{stroke:#000;stroke-width:2}\n"
  "rect.target{fill:none;stroke-width:2.5}line.fit{stroke:#D55E00;stroke-width:1.5;stroke-dasharray:6 3}\n"
  "polyline.curve{fill:none;stroke:#0072B2;stroke-width:1.2}circle.point{fill:#0072B2}\n"
  ".legend{margin:4px 0 12px}.legend span{display:inline-flex;align-items:center;margin-right:16px}\n"
  ".legend svg{width:30px;height:10px;margin-right:6px}\n"
  "table{border-collapse:collapse;background:#fff}th,td{padding:3px 12px;border-bottom:1px solid #ecece8;text-align:left;vertical-align:top}\n"
  "table.facts th{font-weight:500;color:#444}td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
  ".pass{color:" PASS_COLOUR "}.fail{color:" FAIL_COLOUR ";font-weight:600}.skip{color:#666}.note{color:#555;font-weight:400}\n"
  ".missing p{color:#666}footer{margin-top:30px;color:#666;font-size:12.5px}\n";

static void legend(report *r)
{
  sg_buf_printf(r->b, "<div class=\"legend\"><span><svg viewBox=\"0 0 30 10\"><rect width=\"30\" height=\"10\" fill=\"#a9a9a9\"/></svg>all rows</span>");
  for (int k = 0; k < r->ncat; k++) {
    sg_buf_printf(r->b, "<span><svg viewBox=\"0 0 30 10\"><line x1=\"0\" y1=\"5\" x2=\"30\" y2=\"5\" stroke=\"%s\" stroke-width=\"2.5\" stroke-dasharray=\"%s\"/></svg>",
                  COLOURS[k], DASHES[k]);
    sg_buf_html(r->b, r->cat_name[k]);
    sg_buf_printf(r->b, " (%.1f%%)</span>", r->rows > 0 ? 100 * r->cat_rows[k] / r->rows : 0);
  }
  sg_buf_printf(r->b, "</div>\n");
}

/* --days: one series over the days (the state at the end of each day,
 * from the snapshot's and each day's counts), as a line with a point a
 * day carrying its day and value. */
static void day_series(report *r, const char *id, const char *title, const char *note, const char *label,
                       const double *day, const double *v, int n)
{
  double lo = v[0], hi = v[0];
  for (int i = 1; i < n; i++) {
    lo = fmin(lo, v[i]);
    hi = fmax(hi, v[i]);
  }
  double pad = (hi - lo) * 0.1 + 1;
  sg_chart c = {.b = r->b, .width = 400, .height = 250, .left = 70, .right = 14, .top = 12, .bottom = 40};
  c.x = (sg_axis){.min = day[0], .max = day[n - 1] > day[0] ? day[n - 1] : day[0] + 1, .whole = 1, .label = "day"};
  c.y = (sg_axis){.min = fmax(0, lo - pad), .max = hi + pad, .label = label};
  sg_chart_begin(&c, id, title, note);
  sg_buf_printf(r->b, "<polyline class=\"curve\" points=\"");
  for (int i = 0; i < n; i++)
    sg_buf_printf(r->b, "%.2f,%.2f ", sg_axis_px(&c.x, day[i]), sg_axis_px(&c.y, v[i]));
  sg_buf_printf(r->b, "\"/>\n");
  for (int i = 0; i < n; i++)
    sg_buf_printf(r->b, "<circle class=\"point\" data-day=\"%.0f\" data-value=\"%.0f\" cx=\"%.2f\" cy=\"%.2f\" r=\"%s\"/>\n",
                  day[i], v[i], sg_axis_px(&c.x, day[i]), sg_axis_px(&c.y, v[i]), n > 60 ? "1.2" : "2.6");
  sg_chart_end(&c);
  r->charts++;
}

/* --days: the world over time (its rows and playlists at the end of each
 * day) and each day's changes, stacked by op. */
static void days(report *r)
{
  const cJSON *dd = get(r->m, "days"), *list = get(dd, "days");
  const int n = cJSON_GetArraySize(list);
  if (n == 0)
    return;
  sg_buf_printf(r->b, "<section data-item=\"days\"><h2>Days</h2>\n<p>The changes under <code>_changes/</code>, day "
                      "by day (with --tables, the rows of every table's changes together), and the tracks released; "
                      "with a snapshot, the state it leads to (the snapshot's rows and playlists, plus each day's "
                      "inserts and births, less its deletes and deletions).</p>\n<div class=\"charts\">\n");
  double *day = malloc(((size_t)n + 1) * sizeof *day), *rows = malloc(((size_t)n + 1) * sizeof *rows);
  double *pls = malloc(((size_t)n + 1) * sizeof *pls);
  if (day && rows) { /* the catalogue's growth: each day's releases, most on Fridays */
    int i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, list)
    {
      day[i] = num(x, "day");
      rows[i++] = num(x, "tracks_released");
    }
    day_series(r, "days-releases", "New releases", "tracks released each day (most on Fridays)", "tracks", day,
               rows, n);
  }
  if (day && rows && pls && get(dd, "rows")) {
    day[0] = num(dd, "as_of");
    rows[0] = num(dd, "rows");
    pls[0] = num(get(r->stats, "playlists"), "count");
    int i = 1;
    const cJSON *x;
    cJSON_ArrayForEach(x, list)
    {
      const cJSON *placed = get(get(x, "tables"), "playlist_tracks"); /* --tables: the placements' */
      day[i] = num(x, "day");
      rows[i] = rows[i - 1] + num(placed ? placed : x, "inserts") - num(placed ? placed : x, "deletes");
      pls[i] = pls[i - 1] + num(x, "playlists_born") - num(x, "playlists_deleted");
      i++;
    }
    day_series(r, "days-rows", "Rows over time", "tracks in playlists at the end of each day", "rows", day, rows,
               n + 1);
    day_series(r, "days-playlists", "Playlists over time", "playlists at the end of each day", "playlists", day,
               pls, n + 1);
  }
  free(day);
  free(rows);
  free(pls);
  /* each day's rows of changes, by op: inserts, deletes, updates (two rows each) */
  static const char *const OPS[3] = {"inserts", "deletes", "updates"};
  double ymax = 0;
  const cJSON *x;
  cJSON_ArrayForEach(x, list) ymax = fmax(ymax, num(x, "rows"));
  sg_chart c = {.b = r->b, .width = 400, .height = 250, .left = 70, .right = 14, .top = 12, .bottom = 40};
  c.x = (sg_axis){.min = num(cJSON_GetArrayItem(list, 0), "day") - 0.5, .max = num(cJSON_GetArrayItem(list, n - 1), "day") + 0.5,
                  .whole = 1, .label = "day"};
  c.y = (sg_axis){.max = ymax > 0 ? ymax * 1.1 : 1, .label = "rows of changes"};
  sg_chart_begin(&c, "days-changes", "Changes per day",
                 "rows by op: inserts (orange), deletes (blue), updates (green: a row before and after)");
  cJSON_ArrayForEach(x, list)
  {
    double d = num(x, "day"), base = 0;
    for (int k = 0; k < 3; k++) {
      double v = num(x, OPS[k]) * (k == 2 ? 2 : 1);
      double x0 = sg_axis_px(&c.x, d - 0.4), x1 = sg_axis_px(&c.x, d + 0.4);
      double top = sg_axis_px(&c.y, base + v), bottom = sg_axis_px(&c.y, base);
      sg_buf_printf(r->b, "<rect class=\"bar\" data-day=\"%.0f\" data-op=\"%s\" data-rows=\"%.0f\" x=\"%.2f\" "
                          "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" style=\"fill:%s\"/>\n",
                    d, OPS[k], v, x0, top, x1 - x0, bottom - top, COLOURS[k]);
      base += v;
    }
  }
  sg_chart_end(&c);
  r->charts++;
  sg_buf_printf(r->b, "</div>\n</section>\n");
}

int sg_report_html(sg_buf *out, const cJSON *manifest, const char *where, const cJSON *checks)
{
  report r = {out, manifest, get(manifest, "stats"), NULL, NULL, NULL, 0, 0, {0}, {0}, 0};
  r.columns = get(r.stats, "columns");
  r.cats = get(r.stats, "categories");
  r.rows = num(r.stats, "rows");
  r.targets = checks ? get(checks, "results") : get(manifest, "targets");
  const cJSON *c;
  cJSON_ArrayForEach(c, r.cats)
  {
    if (r.ncat == NSTYLES)
      break;
    r.cat_name[r.ncat] = c->string;
    r.cat_rows[r.ncat++] = num(c, "rows");
  }
  const cJSON *d = get(manifest, "dataset");
  char rows[32];
  sg_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>spotgen report: ");
  sg_buf_html(out, where);
  sg_buf_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n<h1>spotgen report</h1>\n<p class=\"sub\"><code>", STYLE);
  sg_buf_html(out, where);
  char format[64], version[64];
  sg_buf_printf(out, "</code>: %s rows of tracks in playlists, seed %.0f, %s. Every chart is drawn from "
                     "the statistics in <code>_manifest.json</code>.</p>\n",
                grouped(rows, num(d, "rows")), num(d, "seed"),
                sg_html(format, sizeof format, text(d, "format")));
  facts(&r, where);

  sg_buf_printf(out, "<section data-item=\"features\"><h2>Audio features</h2>\n"
                     "<p>Grey bars: the share of all rows in each bin. Lines: the share of each "
                     "playlist category's own rows, so categories of any size compare.</p>\n");
  legend(&r);
  sg_buf_printf(out, "<div class=\"charts\">\n");
  for (size_t i = 0; i < sizeof FEATURES / sizeof FEATURES[0]; i++) {
    char id[64];
    snprintf(id, sizeof id, "feature-%s", FEATURES[i].col);
    histogram(&r, id, FEATURES[i].col, FEATURES[i].title, NULL, FEATURES[i].axis, 0, 1, NULL, 0);
  }
  sg_buf_printf(out, "</div>\n</section>\n<section data-item=\"relations\"><h2>Correlations and category profiles</h2>\n<div class=\"charts\">\n<div class=\"wide\">\n");
  heatmap(&r);
  sg_buf_printf(out, "</div>\n<div class=\"wide\">\n");
  within(&r);
  sg_buf_printf(out, "</div>\n");
  profiles(&r);
  sg_buf_printf(out, "</div>\n</section>\n<section data-item=\"distributions\"><h2>Popularity, release years, duration, followers, artists, tracks</h2>\n<div class=\"charts\">\n");
  histogram(&r, "popularity", "popularity_score", "Popularity",
            "shaded: the bands the description sets targets for", "popularity_score", 0, 0,
            BANDS, (int)(sizeof BANDS / sizeof BANDS[0]));
  release_years(&r);
  histogram(&r, "duration", "duration_ms", "Track duration", "per category as above",
            "duration (minutes)", 60000, 1, NULL, 0);
  char note[128];
  snprintf(note, sizeof note, "per row, on a log axis; over playlists, log(followers) has skewness %.2f",
           num(get(r.stats, "playlists"), "log_followers_skewness"));
  histogram(&r, "followers", "num_followers", "Playlist followers", note, "followers (log axis)",
            0, 0, NULL, 0);
  artist_ranks(&r);
  track_ranks(&r);
  sg_buf_printf(out, "</div>\n</section>\n");
  days(&r);
  target_table(&r, checks != NULL);
  dirt_table(&r);
  sg_buf_printf(out, "<footer>Written by <code>spotgen report</code> %s from the manifest of spotgen %s. "
                     "Colours: Okabe and Ito's palette, with a dash pattern per category.</footer>\n"
                     "</main>\n</body>\n</html>\n",
                SPOTGEN_VERSION, sg_html(version, sizeof version, text(get(manifest, "generator"), "version")));
  return r.charts;
}

/* ---- the command ------------------------------------------------------- */

int sg_report_main(int argc, char **argv)
{
  sg_report_options o;
  sg_err e = sg_cli_report(argc, argv, &o);
  if (e != SG_OK || o.help)
    return sg_cli_answer(e, sg_usage_report);
  const sg_verify_options *d = &o.dataset;
  char path[PATH_MAX];
  if (o.output)
    snprintf(path, sizeof path, "%s", o.output);
  else
    snprintf(path, sizeof path, "%s/" SG_LAYOUT_REPORT, d->dir);

  sg_s3_options so = sg_s3_options_from(&d->s3);
  sg_source *src = NULL;
  cJSON *m = NULL, *checks = NULL;
  sg_buf page = {0};
  int status = 0;
  e = sg_source_open(d->dir, &so, &src);
  if (e == SG_OK)
    e = sg_manifest_read(src, d->dir, &m);
  sg_source_close(src);
  if (e == SG_OK && !cJSON_IsObject(get(get(m, "stats"), "columns")))
    e = sg_seterr(SG_EUSAGE, "%s/_manifest.json has no statistics: it was not written by spotgen generate; generate the dataset again", d->dir);
  if (e == SG_OK && o.verify) {
    status = sg_verify_collect(d, &checks);
    if (!checks) {
      cJSON_Delete(m);
      return status;
    }
    char shown[1024];
    sg_escape_controls(shown, sizeof shown, d->dir); /* a name is shown, never obeyed */
    fprintf(stderr, "verify: %s: %.0f rows, %.0f checks, %s\n", shown, num(checks, "rows"),
            num(checks, "checks"), cJSON_IsTrue(get(checks, "pass")) ? "all pass" : "SOME FAILED");
  }
  int charts = 0;
  if (e == SG_OK) {
    charts = sg_report_html(&page, m, d->dir, checks);
    /* the default, DIR/_report.html, is the dataset's own: replaced freely */
    e = page.failed ? sg_seterr(SG_ENOMEM, "out of memory writing the report")
                    : sg_outfile_write(path, "-o", page.p, page.len, o.overwrite || !o.output);
  }
  if (e == SG_OK) {
    int passed, failed, skipped;
    tally(checks ? get(checks, "results") : get(m, "targets"), &passed, &failed, &skipped);
    char dir[1024], to[1024];
    sg_escape_controls(dir, sizeof dir, d->dir);
    sg_escape_controls(to, sizeof to, path);
    if (!sg_outfile_is_stream(path))
      fprintf(stderr, "spotgen: report of %s (%d charts, %d target%s failed) written to %s\n", dir, charts, failed,
              failed == 1 ? "" : "s", to);
    status = failed ? SG_VERIFY_FAILED : status;
  } else {
    fprintf(stderr, "spotgen: %s\n", sg_errmsg(e));
    status = sg_exit_status(e);
  }
  sg_buf_free(&page);
  cJSON_Delete(m);
  cJSON_Delete(checks);
  return status;
}
