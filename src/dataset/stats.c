/* stats.c - mergeable statistics (see stats.h). */
#include "spotgen/dataset/stats.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* Rows summed at once, then merged: a batch's deviations fit in L1. */
#define BATCH 256
#define NPAD 16 /* SG_NNUM rounded up to whole vectors of four */

typedef double v4d __attribute__((vector_size(32)));

/* The vector loops, compiled for AVX2 as well as the baseline and chosen at
 * load time; no FMA, so both give the same bits. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define VECTOR_CLONES
#endif


static void init_head(sg_stats *s)
{
  memset(s, 0, SG_STATS_HEAD);
  for (int j = 0; j < SG_NNUM; j++) {
    s->min[j] = INFINITY;
    s->max[j] = -INFINITY;
  }
}

void sg_stats_init(sg_stats *s)
{
  init_head(s);
  memset(s->hist, 0, sizeof *s - SG_STATS_HEAD);
}

void sg_stats_merge_head(sg_stats *a, const sg_stats *b)
{
  if (b->rows == 0)
    return;
  if (a->rows == 0) {
    memcpy(a, b, SG_STATS_HEAD);
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
  }
  for (int c = 0; c < SG_NCAT; c++) {
    a->cat_rows[c] += b->cat_rows[c];
    for (int i = 0; i < SG_NNUM; i++)
      a->cat_sum[c][i] += b->cat_sum[c][i];
  }
  for (int y = 0; y < SG_NYEARS; y++)
    a->year_rows[y] += b->year_rows[y];
  sg_moments_merge(&a->log_followers, &b->log_followers);
  sg_pair_moments_merge(&a->artist_pop, &b->artist_pop);
  a->rows += b->rows;
}

void sg_stats_add_hist(sg_stats *a, const sg_stats *b)
{
  const uint64_t *from = &b->hist[0][0][0];
  uint64_t *to = &a->hist[0][0][0];
  for (size_t k = 0; k < sizeof a->hist / sizeof *from; k++)
    to[k] += from[k];
  for (int j = 0; j < SG_NNUM; j++)
    a->zeros[j] += b->zeros[j];
  for (int c = 0; c < SG_NCAT; c++)
    for (int p = 0; p < SG_NPAIRS; p++)
      a->cat_cross[c][p] += b->cat_cross[c][p];
}

void sg_stats_merge(sg_stats *a, const sg_stats *b)
{
  sg_stats_merge_head(a, b);
  sg_stats_add_hist(a, b);
}

void sg_stats_hist(const sg_stats *s, int j, uint64_t *out)
{
  for (int b = 0; b < SG_HIST_MAX; b++) {
    out[b] = 0;
    for (int c = 0; c < SG_NCAT; c++)
      out[b] += s->hist[c][j][b];
  }
}

/* Batches are summed in raw units, the integers a row holds (energy 0.6543
 * is 6543, a unit of 10^4 per 1): whole numbers, so the generator and
 * verify, which turns what it parses back into them, compute the same
 * bits; and no division per value. A batch's sums are scaled to readers'
 * units once, before the merge. */
typedef struct column_info {
  double unit;      /* raw units per 1 (10^decimals) */
  double lo, scale; /* histogram bin = (raw - lo) * scale, of log10(1 + raw) for log */
  int bins, log;
  size_t offset;    /* of the field in sg_row */
  int wide;         /* int64_t field, else int32_t */
} column_info;

/* The columns, and the same binning as vectors of four columns for
 * first_pass (0 in the log column's lanes: its bins are found apart). */
typedef struct column_table {
  column_info col[SG_NNUM];
  v4d lo[4], scale[4], top[4];
  int log_col; /* or -1 */
} column_table;

static const column_table *columns(void)
{
  static column_table t;
  static int ready;
  if (!ready) {
    static const double POW10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    t.log_col = -1;
    for (int j = 0; j < SG_NNUM; j++) {
      const sg_column *c = sg_schema_numeric(j);
      double u = POW10[c->decimals];
      double lo = c->log_hist ? 0.0 : c->lo * u, hi = c->log_hist ? log10(1.0 + c->hi) : c->hi * u;
      column_info *ci = &t.col[j];
      *ci = (column_info){u, lo, c->bins / (hi - lo), c->bins, c->log_hist, c->offset,
                          c->kind == SG_KIND_I64};
      if (ci->log) {
        t.log_col = j;
        continue;
      }
      t.lo[j / 4][j % 4] = ci->lo;
      t.scale[j / 4][j % 4] = ci->scale;
      t.top[j / 4][j % 4] = ci->bins - 1;
    }
    ready = 1;
  }
  return &t;
}

static int bin_of(const column_info *c, double v)
{
  double f = ((c->log ? log10(1.0 + v) : v) - c->lo) * c->scale;
  if (!(f >= 0))
    return 0;
  return f >= c->bins ? c->bins - 1 : (int)f;
}

/* Co-moments and third moments of a batch from its deviations, d[j][r]
 * (rows padded with zeros to a multiple of four, columns to NPAD). Four
 * partial sums per product, one per row modulo four, added in a fixed
 * order: the same bits with SSE2 or AVX2. */
VECTOR_CLONES static void comoments(const v4d d[NPAD][BATCH / 4], size_t n4, double co[SG_NNUM][SG_NNUM],
                      double m3[SG_NNUM])
{
  for (int i = 0; i < SG_NNUM; i++) {
    for (int j0 = i & ~3; j0 < NPAD; j0 += 4) { /* four columns at a time: four chains */
      v4d a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
      for (size_t r = 0; r < n4; r++) {
        v4d x = d[i][r];
        a0 += x * d[j0][r];
        a1 += x * d[j0 + 1][r];
        a2 += x * d[j0 + 2][r];
        a3 += x * d[j0 + 3][r];
      }
      const v4d *acc[4] = {&a0, &a1, &a2, &a3};
      for (int k = 0; k < 4; k++) {
        int j = j0 + k;
        if (j >= i && j < SG_NNUM)
          co[i][j] = ((*acc[k])[0] + (*acc[k])[1]) + ((*acc[k])[2] + (*acc[k])[3]);
      }
    }
  }
  for (int i0 = 0; i0 < NPAD; i0 += 4) {
    v4d a[4] = {{0}, {0}, {0}, {0}};
    for (size_t r = 0; r < n4; r++)
      for (int k = 0; k < 4; k++)
        a[k] += d[i0 + k][r] * d[i0 + k][r] * d[i0 + k][r];
    for (int k = 0; k < 4 && i0 + k < SG_NNUM; k++)
      m3[i0 + k] = (a[k][0] + a[k][1]) + (a[k][2] + a[k][3]);
  }
}

/* Sums, extremes and histogram bins of a batch, each row's columns side by
 * side in vector lanes, four at a time (no branch per value). The log
 * column's bins are left to the caller: lo[], scale[] and top[] are 0 there. */
typedef int64_t v4i64 __attribute__((vector_size(32)));
typedef int32_t v4i32 __attribute__((vector_size(16)));

/* lanes of a where mask is set, else of b (a macro: vectors of 32 bytes
 * cross no function boundary) */
#define SELECT4(mask, a, b) ((v4d)(((v4i64)(a) & (mask)) | ((v4i64)(b) & ~(mask))))

VECTOR_CLONES static void first_pass(const double (*x)[NPAD], const uint8_t *category, size_t n,
                       const v4d lo[4], const v4d scale[4], const v4d top[4], v4d sum[4],
                       v4d (*cat_sum)[4], v4d mn[4], v4d mx[4],
                       uint64_t (*hist)[SG_NNUM][SG_HIST_MAX])
{
  const v4d zero = {0, 0, 0, 0};
  for (size_t r = 0; r < n; r++) {
    v4d *cs = cat_sum[category[r]];
    uint64_t (*h)[SG_HIST_MAX] = hist[category[r]];
    int32_t bin[NPAD];
    for (int q = 0; q < 4; q++) {
      v4d v;
      memcpy(&v, x[r] + 4 * q, sizeof v);
      sum[q] += v;
      cs[q] += v;
      mn[q] = SELECT4(v < mn[q], v, mn[q]);
      mx[q] = SELECT4(v > mx[q], v, mx[q]);
      v4d f = (v - lo[q]) * scale[q];
      f = SELECT4(f > zero, f, zero); /* and NaN */
      f = SELECT4(f < top[q], f, top[q]);
      v4i32 b = __builtin_convertvector(f, v4i32);
      memcpy(bin + 4 * q, &b, sizeof b);
    }
    for (int j = 0; j < SG_NNUM; j++)
      h[j][bin[j]]++;
  }
}

/* Adds a batch's products of the copula's features, per category, to s's
 * exact sums. Raw units are whole numbers below 2^20, so a product is below
 * 2^40 and a batch's sum of them below 2^48: exact in a double, summed
 * in vector lanes (the full square, padded to whole vectors), then added
 * to the 128-bit totals once per batch. */
#define FPAD 12
VECTOR_CLONES static void cross_products(sg_stats *s, const double (*x)[NPAD], const uint8_t *category,
                                         size_t n)
{
  _Static_assert(((unsigned long long)BATCH << 40) < (1ull << 53), "a batch's sums are exact");
  static _Thread_local double acc[SG_NCAT][SG_NFEAT][FPAD];
  uint8_t used[SG_NCAT] = {0};
  memset(acc, 0, sizeof acc);
  for (size_t r = 0; r < n; r++) {
    double v[FPAD] = {0};
    memcpy(v, x[r] + SG_STAT_FEATURE, SG_NFEAT * sizeof v[0]);
    double(*a)[FPAD] = acc[category[r]];
    used[category[r]] = 1;
    for (int f = 0; f < SG_NFEAT; f++)
      for (int g = 0; g < FPAD; g++)
        a[f][g] += v[f] * v[g];
  }
  for (int c = 0; c < SG_NCAT; c++)
    for (int f = 0, p = 0; used[c] && f < SG_NFEAT; f++)
      for (int g = f; g < SG_NFEAT; g++)
        s->cat_cross[c][p++] += (int64_t)acc[c][f][g];
}

/* Adds n <= BATCH rows given in raw units: x[r][j]. Its bins go straight
 * into s; the rest is a batch of its own, merged into s. */
static void add_batch(sg_stats *s, const double (*x)[NPAD], const uint8_t *category,
                      const int32_t *year, size_t n)
{
  static _Thread_local v4d d[NPAD][BATCH / 4];
  const column_table *t = columns();
  const column_info *ci = t->col;
  const int log_col = t->log_col;
  sg_stats b; /* its head only */
  init_head(&b);
  b.rows = n;
  /* column j in lane j % 4 of vector j / 4 */
  v4d sum[4], cat_sum[SG_NCAT][4], mn[4], mx[4];
  memset(sum, 0, sizeof sum);
  memset(cat_sum, 0, sizeof cat_sum);
  for (int q = 0; q < 4; q++)
    for (int l = 0; l < 4; l++) {
      mn[q][l] = INFINITY;
      mx[q][l] = -INFINITY;
    }
  first_pass(x, category, n, t->lo, t->scale, t->top, sum, cat_sum, mn, mx, s->hist);
  if (log_col >= 0) { /* follower counts repeat along a playlist: log10 once */
    double last = NAN;
    int bin = 0;
    for (size_t r = 0; r < n; r++) {
      if (x[r][log_col] != last) {
        last = x[r][log_col];
        bin = bin_of(&ci[log_col], last);
      }
      uint64_t *h = s->hist[category[r]][log_col];
      h[0]--; /* first_pass counted it in bin 0 */
      h[bin]++;
    }
  }
  uint64_t zeros[SG_NNUM] = {0};
  for (size_t r = 0; r < n; r++) {
    b.cat_rows[category[r]]++;
    int y = year[r] - SG_FIRST_YEAR;
    if (y >= 0 && y < SG_NYEARS)
      b.year_rows[y]++;
    for (int j = 0; j < SG_NNUM; j++)
      zeros[j] += x[r][j] == 0;
  }
  cross_products(s, x, category, n);
  for (int j = 0; j < SG_NNUM; j++)
    s->zeros[j] += zeros[j];
  double mean[NPAD] = {0};
  for (int j = 0; j < SG_NNUM; j++) {
    mean[j] = sum[j / 4][j % 4] / (double)n;
    b.min[j] = mn[j / 4][j % 4];
    b.max[j] = mx[j / 4][j % 4];
  }
  size_t n4 = (n + 3) / 4;
  for (int j = 0; j < NPAD; j++)
    for (size_t r = 0; r < 4 * n4; r++)
      d[j][r / 4][r % 4] = r < n && j < SG_NNUM ? x[r][j] - mean[j] : 0.0;
  comoments((const v4d(*)[BATCH / 4])d, n4, b.comoment, b.m3);

  /* to readers' units */
  for (int i = 0; i < SG_NNUM; i++) {
    const double u = ci[i].unit;
    b.mean[i] = mean[i] / u;
    b.min[i] /= u;
    b.max[i] /= u;
    b.m3[i] /= u * u * u;
    for (int j = i; j < SG_NNUM; j++)
      b.comoment[i][j] /= u * ci[j].unit;
    for (int j = 0; j < i; j++)
      b.comoment[i][j] = b.comoment[j][i];
    for (int k = 0; k < SG_NCAT; k++)
      b.cat_sum[k][i] = cat_sum[k][i / 4][i % 4] / u;
  }
  sg_stats_merge_head(s, &b);
}

void sg_stats_add_values(sg_stats *s, const double (*x)[SG_NNUM], const uint8_t *category,
                         const int32_t *year, size_t n)
{
  static _Thread_local double raw[BATCH][NPAD];
  const column_info *ci = columns()->col;
  for (size_t i = 0; i < n; i += BATCH) {
    size_t m = n - i < BATCH ? n - i : BATCH;
    for (size_t r = 0; r < m; r++) {
      for (int j = 0; j < SG_NNUM; j++)
        raw[r][j] = nearbyint(x[i + r][j] * ci[j].unit);
      raw[r][SG_NNUM] = 0;
    }
    add_batch(s, (const double(*)[NPAD])raw, category + i, year + i, m);
  }
}

void sg_pair_moments_merge(sg_pair_moments *a, const sg_pair_moments *b)
{
  if (b->n == 0)
    return;
  if (a->n == 0) {
    *a = *b;
    return;
  }
  const double na = (double)a->n, nb = (double)b->n, n = na + nb;
  const double dx = b->mx - a->mx, dy = b->my - a->my, w = na * nb / n;
  a->cxx += b->cxx + dx * dx * w;
  a->cyy += b->cyy + dy * dy * w;
  a->cxy += b->cxy + dx * dy * w;
  a->mx += dx * nb / n;
  a->my += dy * nb / n;
  a->n += b->n;
}

double sg_pair_moments_corr(const sg_pair_moments *m)
{
  return m->cxx > 0 && m->cyy > 0 ? m->cxy / sqrt(m->cxx * m->cyy) : NAN;
}

/* The pairs (popularity_score, artist_popularity) of a batch, two passes. */
static void add_artist_pop(sg_pair_moments *m, const sg_row *rows, size_t n)
{
  if (n == 0)
    return;
  sg_pair_moments b = {n, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < n; i++) {
    b.mx += rows[i].popularity_score;
    b.my += rows[i].artist_popularity;
  }
  b.mx /= (double)n;
  b.my /= (double)n;
  for (size_t i = 0; i < n; i++) {
    double dx = rows[i].popularity_score - b.mx, dy = rows[i].artist_popularity - b.my;
    b.cxx += dx * dx;
    b.cyy += dy * dy;
    b.cxy += dx * dy;
  }
  sg_pair_moments_merge(m, &b);
}

void sg_stats_add(sg_stats *s, const sg_row *rows, size_t n)
{
  static _Thread_local double x[BATCH][NPAD], logf[BATCH];
  static _Thread_local uint8_t cat[BATCH];
  static _Thread_local int32_t year[BATCH];
  const column_info *ci = columns()->col;
  for (size_t i = 0; i < n; i += BATCH) {
    size_t m = n - i < BATCH ? n - i : BATCH, nf = 0;
    for (size_t r = 0; r < m; r++) {
      const sg_row *row = &rows[i + r];
      const char *p = (const char *)row;
      for (int j = 0; j < SG_NNUM; j++)
        x[r][j] = ci[j].wide ? (double)*(const int64_t *)(p + ci[j].offset)
                             : (double)*(const int32_t *)(p + ci[j].offset);
      x[r][SG_NNUM] = 0;
      cat[r] = row->category;
      year[r] = row->release_year;
      if (row->playlist_first)
        logf[nf++] = log((double)row->num_followers);
    }
    add_batch(s, (const double(*)[NPAD])x, cat, year, m);
    sg_moments_add(&s->log_followers, logf, nf);
    add_artist_pop(&s->artist_pop, rows + i, m);
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

double sg_stats_cat_corr(const sg_stats *s, int c, int f, int g)
{
  double n = (double)s->cat_rows[c];
  if (f > g) {
    int t = f;
    f = g;
    g = t;
  }
  const column_info *ci = columns()->col;
  const double uf = ci[SG_STAT_FEATURE + f].unit, ug = ci[SG_STAT_FEATURE + g].unit;
  const double sf = s->cat_sum[c][SG_STAT_FEATURE + f], sg = s->cat_sum[c][SG_STAT_FEATURE + g];
  const sg_i128 *cc = s->cat_cross[c];
  double cov = (double)cc[sg_stats_pair(f, g)] / (uf * ug) - sf * sg / n;
  double vf = (double)cc[sg_stats_pair(f, f)] / (uf * uf) - sf * sf / n;
  double vg = (double)cc[sg_stats_pair(g, g)] / (ug * ug) - sg * sg / n;
  return n > 1 && vf > 0 && vg > 0 ? cov / sqrt(vf * vg) : NAN;
}

double sg_stats_quantile(const sg_stats *s, int j, double p)
{
  const sg_column *c = sg_schema_numeric(j);
  if (s->rows == 0)
    return NAN;
  const int exact = c->kind == SG_KIND_I32 && c->bins == (int)(c->hi - c->lo) + 1;
  const double target = p * (double)s->rows;
  uint64_t hist[SG_HIST_MAX];
  sg_stats_hist(s, j, hist);
  double cum = 0;
  for (int b = 0; b < c->bins; b++) {
    double h = (double)hist[b];
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
