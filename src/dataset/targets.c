/* targets.c - measures for the target table and its output (targets.h). */
#include "spotgen/dataset/targets.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/model/category.h"
#include "spotgen/dataset/schema.h"

typedef enum {
  MEAN, SD, MEDIAN, SKEW, MEAN_MINUS_MEDIAN, CORR, ABS_CORR, CORR_TARGET, GAP, BAND, BAND_LEAD,
  YEARS_MIN, YEARS_RATIO, FOLLOWERS_SKEW, ARTIST_TOP1, ARTIST_GINI, TRACK_SPEARMAN,
  MIN, QUANTILE, ZERO_SHARE, PEAK, CAT_CORR_TARGET, ARTIST_EFFECT
} measure;

typedef struct target {
  const char *name;
  measure what;
  const char *a, *b, *c;
  double lo, hi;
} target;

#define INF INFINITY
static const target TARGETS[] = {
#define T(name, what, a, b, c, lo, hi) {name, what, a, b, c, lo, hi},
#include "tables/targets.def"
#undef T
};
#define NTARGETS (int)(sizeof TARGETS / sizeof TARGETS[0])

/* The numeric-statistics index of the column called `name`. */
static int stat_of(const char *name)
{
  const sg_column *c = sg_schema_find(name);
  if (!c || c->stat < 0)
    abort(); /* targets.def names a column that is not numeric */
  return c->stat;
}

/* Category mean of column j over the categories listed in `names`
 * ("workout,party"): the lowest (want_min) or the highest. */
static double group_mean(const sg_stats *s, int j, const char *names, int want_min)
{
  double best = want_min ? INF : -INF;
  for (int c = 0; c < SG_NCAT; c++) {
    const char *n = sg_category_name(c), *p = names;
    size_t len = strlen(n);
    int listed = 0;
    while (*p) {
      const char *end = strchr(p, ',');
      size_t l = end ? (size_t)(end - p) : strlen(p);
      listed |= l == len && strncmp(p, n, len) == 0;
      p += l + (end ? 1 : 0);
    }
    if (!listed || s->cat_rows[c] == 0)
      continue;
    double mean = s->cat_sum[c][j] / (double)s->cat_rows[c];
    best = want_min ? fmin(best, mean) : fmax(best, mean);
  }
  return best;
}

/* Share of rows whose popularity is in lo .. hi (its histogram is exact). */
static double band(const sg_stats *s, int lo, int hi)
{
  uint64_t hist[SG_HIST_MAX], n = 0;
  sg_stats_hist(s, stat_of("popularity_score"), hist);
  for (int v = lo; v <= hi; v++)
    n += hist[v];
  return s->rows ? (double)n / (double)s->rows : 0;
}

static double band_lead(const sg_stats *s, int lo, int hi)
{
  static const int BANDS[][2] = {{0, 9}, {10, 40}, {41, 69}, {70, 89}, {90, 100}};
  double other = 0;
  for (size_t i = 0; i < sizeof BANDS / sizeof BANDS[0]; i++)
    if (BANDS[i][0] != lo || BANDS[i][1] != hi)
      other = fmax(other, band(s, BANDS[i][0], BANDS[i][1]));
  return band(s, lo, hi) - other;
}

static double years_share(const sg_stats *s, int from, int to)
{
  uint64_t n = 0;
  for (int y = from; y <= to; y++)
    n += s->year_rows[y - SG_FIRST_YEAR];
  return s->rows ? (double)n / (double)s->rows : 0;
}

/* Rows of category c with column j in [lo, hi), from its histogram (whose
 * bin edges the range must fall on). */
static double cat_rows_in(const sg_stats *s, int c, int j, double lo, double hi)
{
  const sg_column *col = sg_schema_numeric(j);
  double n = 0;
  for (int b = 0; b < col->bins; b++) {
    double at = sg_schema_bin_lo(col, b);
    if (at >= lo - 1e-9 && at < hi - 1e-9)
      n += (double)s->hist[c][j][b];
  }
  return n;
}

/* How many times more of category c's rows have column j in the 8 units
 * from `at` than, on average, in the 8 units on either side. */
static double peak_ratio(const sg_stats *s, int j, double at, int c)
{
  double in = cat_rows_in(s, c, j, at, at + 8);
  double side = 0.5 * (cat_rows_in(s, c, j, at - 8, at) + cat_rows_in(s, c, j, at + 8, at + 16));
  return side > 0 ? in / side : INF;
}

/* The nine audio features of the published popularity models. */
static const char *const AUDIO[] = {"danceability", "energy", "loudness", "speechiness", "acousticness",
                                    "instrumentalness", "liveness", "valence", "tempo"};
#define NAUDIO (int)(sizeof AUDIO / sizeof AUDIO[0])

double sg_audio_r2(const sg_stats *s)
{
  /* R^2 = r' R^-1 r from the correlations: r of popularity with each
   * feature, R among the features (Gauss-Jordan on [R | r]). */
  double a[NAUDIO][NAUDIO + 1];
  const int y = stat_of("popularity_score");
  for (int i = 0; i < NAUDIO; i++) {
    for (int j = 0; j < NAUDIO; j++)
      a[i][j] = sg_stats_corr(s, stat_of(AUDIO[i]), stat_of(AUDIO[j]));
    a[i][NAUDIO] = sg_stats_corr(s, stat_of(AUDIO[i]), y);
  }
  double r[NAUDIO];
  for (int i = 0; i < NAUDIO; i++)
    r[i] = a[i][NAUDIO];
  for (int i = 0; i < NAUDIO; i++) {
    int p = i;
    for (int j = i + 1; j < NAUDIO; j++)
      if (fabs(a[j][i]) > fabs(a[p][i]))
        p = j;
    for (int k = 0; k <= NAUDIO; k++) {
      double t = a[i][k];
      a[i][k] = a[p][k];
      a[p][k] = t;
    }
    if (!(fabs(a[i][i]) > 1e-12))
      return NAN;
    for (int j = 0; j < NAUDIO; j++) {
      if (j == i)
        continue;
      double f = a[j][i] / a[i][i];
      for (int k = i; k <= NAUDIO; k++)
        a[j][k] -= f * a[i][k];
    }
  }
  double r2 = 0;
  for (int i = 0; i < NAUDIO; i++)
    r2 += r[i] * a[i][NAUDIO] / a[i][i];
  return r2;
}

/* Measures target t; *skip gets a reason when it cannot be measured. */
static double measure_one(const sg_measures *m, const target *t, const char **skip)
{
  const sg_stats *s = m->stats;
  switch (t->what) {
  case MEAN: return s->mean[stat_of(t->a)];
  case SD: return sg_stats_std(s, stat_of(t->a));
  case MEDIAN: return sg_stats_quantile(s, stat_of(t->a), 0.5);
  case SKEW: return sg_stats_skewness(s, stat_of(t->a));
  case MEAN_MINUS_MEDIAN: return s->mean[stat_of(t->a)] - sg_stats_quantile(s, stat_of(t->a), 0.5);
  case CORR:
  case CORR_TARGET: return sg_stats_corr(s, stat_of(t->a), stat_of(t->b));
  case ABS_CORR: return fabs(sg_stats_corr(s, stat_of(t->a), stat_of(t->b)));
  case GAP: {
    int j = stat_of(t->a);
    return group_mean(s, j, t->b, 1) - group_mean(s, j, t->c, 0);
  }
  case BAND: return band(s, atoi(t->a), atoi(t->b));
  case BAND_LEAD: return band_lead(s, atoi(t->a), atoi(t->b));
  case YEARS_MIN: {
    uint64_t least = UINT64_MAX;
    for (int y = 0; y < SG_NYEARS; y++)
      least = s->year_rows[y] < least ? s->year_rows[y] : least;
    return (double)least;
  }
  case YEARS_RATIO: {
    double early = years_share(s, 2010, 2013);
    return early > 0 ? years_share(s, 2020, 2023) / early : INF;
  }
  case FOLLOWERS_SKEW: return sg_moments_skewness(&s->log_followers);
  case MIN: return s->min[stat_of(t->a)];
  case QUANTILE: return sg_stats_quantile(s, stat_of(t->a), atof(t->b));
  case ZERO_SHARE: return s->rows ? (double)s->zeros[stat_of(t->a)] / (double)s->rows : NAN;
  case PEAK: return peak_ratio(s, stat_of(t->a), atof(t->b), sg_category_find(t->c));
  case ARTIST_EFFECT: {
    double r = sg_pair_moments_corr(&s->artist_pop), audio = sg_audio_r2(s);
    if (s->artist_pop.n == 0 || !isfinite(r)) {
      *skip = "only generate sees each row's artist popularity (--tables writes it in artists)";
      return NAN;
    }
    return audio > 0 ? r * r / audio : INF;
  }
  case CAT_CORR_TARGET:
    return sg_stats_cat_corr(s, sg_category_find(t->c), sg_feature_find(t->a), sg_feature_find(t->b));
  case ARTIST_TOP1:
  case ARTIST_GINI:
    if (!m->have_artists) {
      *skip = "rows per artist not counted (more artists than spotgen counts while generating)";
      return NAN;
    }
    return t->what == ARTIST_TOP1 ? m->artist_top1 : m->artist_gini;
  case TRACK_SPEARMAN:
    if (!m->have_tracks) {
      *skip = m->tracks_note;
      return NAN;
    }
    return m->track_spearman;
  }
  return NAN;
}

/* Whether a target is one of TARGETS.md's figures of the built-in model's
 * features and popularity, which a fitted model does not follow: it
 * follows its sample. A mean or sd of a copula feature is then held to
 * the model's own prediction instead (fitted_range); the catalogue's
 * checks, and the correlations already held to the model, stay. */
static int of_the_built_in_features(const target *t)
{
  switch (t->what) {
  case MEAN: case SD: case MEDIAN: case SKEW: case MEAN_MINUS_MEDIAN: case CORR: case ABS_CORR:
  case GAP: case BAND: case BAND_LEAD: case MIN: case QUANTILE: case ZERO_SHARE: case PEAK:
    return 1;
  default:
    return 0;
  }
}

/* A fitted model's range for a mean (within 0.15 sd) or sd (within 10%)
 * of copula feature f, around the model's prediction: as wide, in sds, as
 * TARGETS.md's energy mean, since 100,000 rows of the default catalogue
 * repeat its hits and their mean moves by 0.1 sd between seeds.
 * @return 0, or -1 when t is not such a check. */
static int fitted_range(const sg_measures *m, const target *t, double *lo, double *hi)
{
  int f = t->a ? sg_feature_find(t->a) : -1;
  if (f < 0 || !m->copula || (t->what != MEAN && t->what != SD))
    return -1;
  double mean = m->copula->mean[f], sd = m->copula->sd[f];
  *lo = t->what == MEAN ? mean - 0.15 * sd : 0.9 * sd;
  *hi = t->what == MEAN ? mean + 0.15 * sd : 1.1 * sd;
  return 0;
}

int sg_targets_run(const sg_measures *m, sg_check *out)
{
  int fitted = sg_config_fitted(m->cfg);
  int n = 0;
  for (int i = 0; i < NTARGETS && n < SG_MAX_CHECKS; i++) {
    const target *t = &TARGETS[i];
    sg_check *c = &out[n++];
    memset(c, 0, sizeof *c);
    c->name = t->name;
    c->lo = t->lo;
    c->hi = t->hi;
    const char *skip = NULL;
    if (t->what == CORR_TARGET || t->what == CAT_CORR_TARGET) {
      /* around the configured whole-dataset target, or the model's
       * prediction where there is none (every category sets the pair) and
       * for a category's playlists (its tracks and the crossover's) */
      int f = sg_feature_find(t->a), g = sg_feature_find(t->b);
      double want = m->cfg->corr[f][g];
      if (t->what == CAT_CORR_TARGET || sg_config_pair_shared(m->cfg, f, g) == 0) {
        if (!m->copula)
          skip = "the model's prediction is not at hand";
        else
          want = round(1000 * (t->what == CAT_CORR_TARGET
                                   ? m->copula->placed[sg_category_find(t->c)][f][g]
                                   : m->copula->pooled[f][g])) / 1000;
      }
      c->lo = want + t->lo;
      c->hi = want + t->hi;
    }
    if (t->what == CORR || t->what == CORR_TARGET || t->what == ABS_CORR) { /* (whole dataset) */
      c->cols[0] = t->a;
      c->cols[1] = t->b;
      c->absolute = t->what == ABS_CORR;
    }
    if (fitted && of_the_built_in_features(t) && fitted_range(m, t, &c->lo, &c->hi) != 0)
      skip = "the model was fitted (spotgen fit): it follows its sample, not the built-in model's figures";
    if (t->what == CAT_CORR_TARGET && !(m->cfg->share[sg_category_find(t->c)] > 0))
      skip = "the category has no playlists (its share is 0)";
    c->value = NAN;
    if (!skip)
      c->value = measure_one(m, t, &skip);
    if (skip) {
      c->status = SG_CHECK_SKIP;
      c->note = skip;
    } else {
      c->status = c->value >= c->lo && c->value <= c->hi ? SG_CHECK_PASS : SG_CHECK_FAIL;
    }
  }
  return n;
}

int sg_targets_failed(const sg_check *c, int n)
{
  int failed = 0;
  for (int i = 0; i < n; i++)
    failed += c[i].status == SG_CHECK_FAIL;
  return failed;
}

static int by_count(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

void sg_artist_summary(uint64_t *counts, size_t n, double *top1, double *gini)
{
  qsort(counts, n, sizeof *counts, by_count);
  size_t first = 0;
  while (first < n && counts[first] == 0)
    first++;
  const uint64_t *x = counts + first;
  size_t k = n - first;
  double total = 0, weighted = 0;
  for (size_t i = 0; i < k; i++) {
    total += (double)x[i];
    weighted += (double)(i + 1) * (double)x[i];
  }
  size_t top = (k + 99) / 100;
  double top_rows = 0;
  for (size_t i = k - top; i < k; i++)
    top_rows += (double)x[i];
  *top1 = total > 0 ? top_rows / total : 0;
  *gini = total > 0 ? 2.0 * weighted / ((double)k * total) - ((double)k + 1.0) / (double)k : 0;
}

#define SMALL 65536u /* rows a track has below this: counted in a histogram */

static int by_u32(const void *a, const void *b)
{
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

int sg_track_order_init(sg_track_order *o, const uint32_t *rows, size_t n)
{
  memset(o, 0, sizeof *o);
  o->below = calloc(SMALL + 1, sizeof *o->below);
  if (!o->below)
    return -1;
  for (size_t i = 0; i < n; i++) {
    if (rows[i] == 0)
      continue;
    o->placed++;
    if (rows[i] < SMALL)
      o->below[rows[i] + 1]++;
    else
      o->nbig++;
  }
  for (uint32_t c = 1; c <= SMALL; c++)
    o->below[c] += o->below[c - 1];
  o->big = malloc((o->nbig ? o->nbig : 1) * sizeof *o->big);
  if (!o->big) {
    sg_track_order_free(o);
    return -1;
  }
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (rows[i] >= SMALL)
      o->big[k++] = rows[i];
  qsort(o->big, o->nbig, sizeof *o->big, by_u32);
  return 0;
}

void sg_track_order_free(sg_track_order *o)
{
  free(o->below);
  free(o->big);
  memset(o, 0, sizeof *o);
}

double sg_track_order_rank(const sg_track_order *o, uint32_t rows)
{
  if (rows < SMALL) /* ranks below[rows] + 1 .. below[rows + 1] */
    return ((double)o->below[rows] + 1.0 + (double)o->below[rows + 1]) / 2.0;
  size_t lo = 0, hi = o->nbig;
  while (lo < hi) { /* the first >= rows */
    size_t mid = (lo + hi) / 2;
    if (o->big[mid] < rows)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < o->nbig && o->big[end] == rows)
    end++;
  return (double)o->below[SMALL] + ((double)lo + 1.0 + (double)end) / 2.0;
}

uint32_t sg_track_order_at(const sg_track_order *o, uint64_t r)
{
  uint64_t i = o->placed - r; /* 0-based, ascending */
  if (i >= o->below[SMALL])
    return o->big[i - o->below[SMALL]];
  uint32_t lo = 0, hi = SMALL; /* the c with below[c] <= i < below[c + 1] */
  while (hi - lo > 1) {
    uint32_t mid = (lo + hi) / 2;
    if (o->below[mid] <= i)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

double sg_track_spearman(const uint32_t *rows, const uint8_t *popularity, size_t n)
{
  sg_track_order o;
  if (sg_track_order_init(&o, rows, n) != 0)
    return NAN;
  /* Popularity's ranks by counting (ties: the mean rank of their run). */
  uint64_t at[101] = {0};
  for (size_t i = 0; i < n; i++)
    if (rows[i] > 0)
      at[popularity[i] > 100 ? 100 : popularity[i]]++;
  double prank[101], below = 0;
  for (int v = 0; v <= 100; v++) {
    prank[v] = below + ((double)at[v] + 1.0) / 2.0;
    below += (double)at[v];
  }
  const double mean = ((double)o.placed + 1.0) / 2.0;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; i++) {
    if (rows[i] == 0)
      continue;
    double dx = sg_track_order_rank(&o, rows[i]) - mean;
    double dy = prank[popularity[i] > 100 ? 100 : popularity[i]] - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  uint64_t placed = o.placed;
  sg_track_order_free(&o);
  return placed >= 2 && sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

/* "0.6 .. 0.7", "> 0", "< 0.25" or "0" for a range. */
static void range_text(const sg_check *c, char *out, size_t cap)
{
  if (isinf(c->lo) && isinf(c->hi))
    snprintf(out, cap, "any");
  else if (isinf(c->hi))
    snprintf(out, cap, ">= %.6g", c->lo);
  else if (isinf(c->lo))
    snprintf(out, cap, "<= %.6g", c->hi);
  else if (c->lo == c->hi)
    snprintf(out, cap, "%.6g", c->lo);
  else
    snprintf(out, cap, "%.6g .. %.6g", c->lo, c->hi);
}

static const char *status_name(sg_check_status s)
{
  return s == SG_CHECK_PASS ? "pass" : s == SG_CHECK_FAIL ? "fail" : "skip";
}

cJSON *sg_checks_json(const sg_check *c, int n)
{
  cJSON *arr = cJSON_CreateArray();
  for (int i = 0; i < n; i++) {
    char range[64];
    range_text(&c[i], range, sizeof range);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "target", c[i].name);
    cJSON_AddStringToObject(o, "range", range);
    if (c[i].cols[0]) { /* a correlation: which cell of the matrix, of r or |r| */
      cJSON_AddItemToObject(o, "columns", cJSON_CreateStringArray(c[i].cols, 2));
      cJSON_AddBoolToObject(o, "absolute", c[i].absolute);
    }
    if (!isinf(c[i].lo))
      cJSON_AddNumberToObject(o, "min", c[i].lo);
    if (!isinf(c[i].hi))
      cJSON_AddNumberToObject(o, "max", c[i].hi);
    if (c[i].status == SG_CHECK_SKIP)
      cJSON_AddNullToObject(o, "measured");
    else
      cJSON_AddNumberToObject(o, "measured", c[i].value);
    if (c[i].note)
      cJSON_AddStringToObject(o, "note", c[i].note);
    cJSON_AddStringToObject(o, "result", status_name(c[i].status) );
    cJSON_AddItemToArray(arr, o);
  }
  return arr;
}

void sg_checks_print(FILE *f, const sg_check *c, int n)
{
  fprintf(f, "%-54s %-18s %-14s %s\n", "target", "range", "measured", "result");
  for (int i = 0; i < n; i++) {
    char range[64], value[32];
    range_text(&c[i], range, sizeof range);
    if (c[i].status == SG_CHECK_SKIP)
      snprintf(value, sizeof value, "-");
    else
      snprintf(value, sizeof value, "%.6g", c[i].value);
    fprintf(f, "%-54s %-18s %-14s %s%s%s\n", c[i].name, range, value,
            c[i].status == SG_CHECK_FAIL ? "FAIL" : status_name(c[i].status),
            c[i].note ? ": " : "", c[i].note ? c[i].note : "");
  }
}
