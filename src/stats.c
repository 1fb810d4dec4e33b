/* stats.c - mergeable statistics (see stats.h). */
#include "spotgen/stats.h"

#include <math.h>
#include <string.h>

#define BATCH 1024 /* rows held as doubles at once by sg_stats_add */

void sg_stats_init(sg_stats *s)
{
  memset(s, 0, sizeof *s);
  for (int j = 0; j < SG_NNUM; j++) {
    s->min[j] = INFINITY;
    s->max[j] = -INFINITY;
  }
}

void sg_stats_merge(sg_stats *a, const sg_stats *b)
{
  if (b->rows == 0)
    return;
  if (a->rows == 0) {
    *a = *b;
    return;
  }
  const double na = (double)a->rows, nb = (double)b->rows, n = na + nb;
  double delta[SG_NNUM];
  for (int i = 0; i < SG_NNUM; i++)
    delta[i] = b->mean[i] - a->mean[i];
  for (int i = 0; i < SG_NNUM; i++) {
    const double d = delta[i];
    a->m3[i] += b->m3[i] + d * d * d * na * nb * (na - nb) / (n * n) +
                3.0 * d * (na * b->comoment[i][i] - nb * a->comoment[i][i]) / n;
  }
  for (int i = 0; i < SG_NNUM; i++)
    for (int j = 0; j < SG_NNUM; j++)
      a->comoment[i][j] += b->comoment[i][j] + delta[i] * delta[j] * na * nb / n;
  for (int i = 0; i < SG_NNUM; i++) {
    a->mean[i] += delta[i] * nb / n;
    if (b->min[i] < a->min[i])
      a->min[i] = b->min[i];
    if (b->max[i] > a->max[i])
      a->max[i] = b->max[i];
    for (int k = 0; k < SG_HIST_MAX; k++)
      a->hist[i][k] += b->hist[i][k];
  }
  for (int c = 0; c < SG_NCAT; c++) {
    a->cat_rows[c] += b->cat_rows[c];
    for (int i = 0; i < SG_NNUM; i++)
      a->cat_sum[c][i] += b->cat_sum[c][i];
  }
  for (int y = 0; y < SG_NYEARS; y++)
    a->year_rows[y] += b->year_rows[y];
  sg_moments_merge(&a->log_followers, &b->log_followers);
  a->rows += b->rows;
}

/* Per column, what binning needs, computed once: the histogram maps
 * [lo, hi] (of log10(1 + x) for log_hist columns) onto bins. */
typedef struct binning {
  double lo, scale;
  int bins, log;
} binning;

static const binning *binnings(void)
{
  static binning b[SG_NNUM];
  static int ready;
  if (!ready) {
    for (int j = 0; j < SG_NNUM; j++) {
      const sg_column *c = sg_schema_numeric(j);
      double lo = c->log_hist ? 0.0 : c->lo, hi = c->log_hist ? log10(1.0 + c->hi) : c->hi;
      b[j] = (binning){lo, c->bins / (hi - lo), c->bins, c->log_hist};
    }
    ready = 1;
  }
  return b;
}

static int bin_of(const binning *b, double v)
{
  double f = ((b->log ? log10(1.0 + v) : v) - b->lo) * b->scale;
  if (!(f >= 0))
    return 0;
  return f >= b->bins ? b->bins - 1 : (int)f;
}

static void add_batch(sg_stats *s, const double (*x)[SG_NNUM], const uint8_t *category,
                      const int32_t *year, size_t n)
{
  const binning *bins = binnings();
  sg_stats b;
  sg_stats_init(&b);
  b.rows = n;
  double last_log_v = NAN;
  int last_log_bin = 0;
  for (size_t r = 0; r < n; r++) {
    for (int j = 0; j < SG_NNUM; j++) {
      double v = x[r][j];
      b.mean[j] += v;
      b.min[j] = v < b.min[j] ? v : b.min[j];
      b.max[j] = v > b.max[j] ? v : b.max[j];
      int bin;
      if (bins[j].log) { /* follower counts repeat along a playlist: log10 once */
        if (v != last_log_v) {
          last_log_v = v;
          last_log_bin = bin_of(&bins[j], v);
        }
        bin = last_log_bin;
      } else {
        bin = bin_of(&bins[j], v);
      }
      b.hist[j][bin]++;
      b.cat_sum[category[r]][j] += v;
    }
    b.cat_rows[category[r]]++;
    int y = year[r] - SG_FIRST_YEAR;
    if (y >= 0 && y < SG_NYEARS)
      b.year_rows[y]++;
  }
  for (int j = 0; j < SG_NNUM; j++)
    b.mean[j] /= (double)n;
  for (size_t r = 0; r < n; r++) {
    double d[SG_NNUM];
    for (int j = 0; j < SG_NNUM; j++)
      d[j] = x[r][j] - b.mean[j];
    for (int i = 0; i < SG_NNUM; i++) {
      b.m3[i] += d[i] * d[i] * d[i];
      for (int j = i; j < SG_NNUM; j++)
        b.comoment[i][j] += d[i] * d[j];
    }
  }
  for (int i = 0; i < SG_NNUM; i++)
    for (int j = 0; j < i; j++)
      b.comoment[i][j] = b.comoment[j][i];
  sg_stats_merge(s, &b);
}

void sg_stats_add_values(sg_stats *s, const double (*x)[SG_NNUM], const uint8_t *category,
                         const int32_t *year, size_t n)
{
  for (size_t i = 0; i < n; i += BATCH)
    add_batch(s, x + i, category + i, year + i, n - i < BATCH ? n - i : BATCH);
}

void sg_stats_add(sg_stats *s, const sg_row *rows, size_t n)
{
  static _Thread_local double x[BATCH][SG_NNUM], logf[BATCH];
  static _Thread_local uint8_t cat[BATCH];
  static _Thread_local int32_t year[BATCH];
  const sg_column *cols[SG_NNUM];
  for (int j = 0; j < SG_NNUM; j++)
    cols[j] = sg_schema_numeric(j);
  for (size_t i = 0; i < n; i += BATCH) {
    size_t m = n - i < BATCH ? n - i : BATCH, nf = 0;
    for (size_t r = 0; r < m; r++) {
      const sg_row *row = &rows[i + r];
      for (int j = 0; j < SG_NNUM; j++)
        x[r][j] = sg_schema_value(cols[j], row);
      cat[r] = row->category;
      year[r] = row->release_year;
      if (row->playlist_first)
        logf[nf++] = log((double)row->num_followers);
    }
    add_batch(s, x, cat, year, m);
    sg_moments_add(&s->log_followers, logf, nf);
  }
}

void sg_moments_merge(sg_moments *a, const sg_moments *b)
{
  if (b->n == 0)
    return;
  if (a->n == 0) {
    *a = *b;
    return;
  }
  const double na = (double)a->n, nb = (double)b->n, n = na + nb, d = b->mean - a->mean;
  a->m3 += b->m3 + d * d * d * na * nb * (na - nb) / (n * n) + 3.0 * d * (na * b->m2 - nb * a->m2) / n;
  a->m2 += b->m2 + d * d * na * nb / n;
  a->mean += d * nb / n;
  a->n += b->n;
}

void sg_moments_add(sg_moments *m, const double *x, size_t n)
{
  if (n == 0)
    return;
  sg_moments b = {n, 0, 0, 0};
  for (size_t i = 0; i < n; i++)
    b.mean += x[i];
  b.mean /= (double)n;
  for (size_t i = 0; i < n; i++) {
    double d = x[i] - b.mean;
    b.m2 += d * d;
    b.m3 += d * d * d;
  }
  sg_moments_merge(m, &b);
}

double sg_moments_skewness(const sg_moments *m)
{
  double n = (double)m->n, m2 = m->m2 / n;
  return m2 > 0 ? (m->m3 / n) / pow(m2, 1.5) : 0.0;
}

double sg_stats_std(const sg_stats *s, int j)
{
  return s->rows > 1 ? sqrt(s->comoment[j][j] / (double)(s->rows - 1)) : 0.0;
}

double sg_stats_skewness(const sg_stats *s, int j)
{
  double n = (double)s->rows, m2 = s->comoment[j][j] / n;
  return m2 > 0 ? (s->m3[j] / n) / pow(m2, 1.5) : 0.0;
}

double sg_stats_corr(const sg_stats *s, int i, int j)
{
  double d = sqrt(s->comoment[i][i] * s->comoment[j][j]);
  return d > 0 ? s->comoment[i][j] / d : 0.0;
}

double sg_stats_quantile(const sg_stats *s, int j, double p)
{
  const sg_column *c = sg_schema_numeric(j);
  if (s->rows == 0)
    return NAN;
  const int exact = c->kind == SG_KIND_I32 && c->bins == (int)(c->hi - c->lo) + 1;
  const double target = p * (double)s->rows;
  double cum = 0;
  for (int b = 0; b < c->bins; b++) {
    double h = (double)s->hist[j][b];
    if (h > 0 && cum + h >= target) {
      if (exact)
        return c->lo + b;
      double lo = sg_schema_bin_lo(c, b), hi = sg_schema_bin_lo(c, b + 1);
      double q = lo + (hi - lo) * (target - cum) / h;
      return fmin(fmax(q, s->min[j]), s->max[j]);
    }
    cum += h;
  }
  return s->max[j];
}
