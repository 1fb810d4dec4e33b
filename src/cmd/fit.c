/* fit.c - `spotgen fit SAMPLE -o MODEL.json [--group COL]` (fit.h). */
#include "spotgen/cmd/fit.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spotgen/base/err.h"
#include "spotgen/base/readfile.h"
#include "spotgen/cmd/cli.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/format/rows_in.h"
#include "spotgen/model/catalog.h"
#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/model/model.h"
#include "spotgen/store/outdir.h"

#define COL_POP SG_NFEAT /* the columns read: the features, then popularity */
#define NCOL (SG_NFEAT + 1)
#define GROUP_SLOTS 2048 /* the groups' hash table: twice SG_FIT_MAX_GROUPS, a power of 2 */
#define DRAWN_ROWS 200000 /* rows the report draws from the fitted model */
#define ALL SG_NCAT       /* the report's line for the whole sample */
#define CONFIG_MAX (1 << 20) /* bytes of a --config file, as generate reads it */

static const double REPORT_P[] = {0.01, 0.10, 0.25, 0.50, 0.75, 0.90, 0.99};
#define NREPORT_P (int)(sizeof REPORT_P / sizeof REPORT_P[0])

typedef struct sample {
  const sg_fit_options *o;
  size_t n, cap;
  double *x[NCOL];
  uint16_t *grp;
  int at[NCOL];              /* the current file's field of each column, or -1 */
  int group_at;
  int have[NCOL];            /* the first file's columns: every file must have them */
  int files;
  uint64_t outside[NCOL];    /* values taken as the range's nearest end */
  char (*gname)[64];
  int ngroups;
  int slot[GROUP_SLOTS];     /* group index + 1, by hash of the name */
  int cat_of[SG_FIT_MAX_GROUPS];
  size_t *rows_of;           /* per group */
} sample;

static const char *col_name(int c) { return c == COL_POP ? "popularity" : sg_features()[c].name; }

static int required(int c) { return c != COL_POP && c != SG_F_DURATION; }

/* ---- reading ----------------------------------------------------------- */

/* Whether header field i is `name`, in any case (a UTF-8 byte order mark
 * before the first is skipped, as spreadsheets write one). */
static int field_is(const sg_record *r, int i, const char *name)
{
  const char *p = r->field[i];
  size_t n = r->flen[i];
  if (i == 0 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    p += 3, n -= 3;
  return n == strlen(name) && strncasecmp(p, name, n) == 0;
}

static sg_err sample_head(void *ctx, const sg_record *r, const char *name)
{
  sample *s = ctx;
  for (int c = 0; c < NCOL; c++)
    s->at[c] = -1;
  s->group_at = -1;
  for (int i = 0; i < r->nfields; i++) {
    for (int c = 0; c < NCOL; c++)
      if (field_is(r, i, col_name(c)) || (c == COL_POP && field_is(r, i, "popularity_score")))
        s->at[c] = i;
    if (s->o->group && field_is(r, i, s->o->group))
      s->group_at = i;
  }
  for (int c = 0; c < NCOL; c++) {
    if (required(c) && s->at[c] < 0)
      return sg_seterr(SG_EUSAGE, "%s: no column %s; fit needs the nine audio features (danceability, energy, "
                       "loudness, speechiness, acousticness, instrumentalness, liveness, valence, tempo)",
                       name, col_name(c));
    if (s->files > 0 && s->have[c] != (s->at[c] >= 0))
      return sg_seterr(SG_EUSAGE, "%s: %s the column %s that the sample's first file %s; give files of one table",
                       name, s->have[c] ? "lacks" : "has", col_name(c), s->have[c] ? "has" : "lacks");
    s->have[c] = s->at[c] >= 0;
  }
  if (s->o->group && s->group_at < 0)
    return sg_seterr(SG_EUSAGE, "%s: no column %s, which --group names; give the column of each track's category "
                     "or genre", name, s->o->group);
  s->files++;
  return SG_OK;
}

static uint32_t hash_text(const char *p, size_t n)
{
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)p[i]) * 16777619u;
  return h;
}

/* The index of the group called p[0 .. n-1], added if new. @return -1 when
 * there are too many. */
static int group_index(sample *s, const char *p, size_t n)
{
  if (n > 63)
    n = 63;
  for (uint32_t h = hash_text(p, n) & (GROUP_SLOTS - 1);; h = (h + 1) & (GROUP_SLOTS - 1)) {
    int g = s->slot[h] - 1;
    if (g < 0) {
      if (s->ngroups == SG_FIT_MAX_GROUPS)
        return -1;
      g = s->ngroups++;
      memcpy(s->gname[g], p, n);
      s->gname[g][n] = '\0';
      s->slot[h] = g + 1;
      return g;
    }
    if (strlen(s->gname[g]) == n && memcmp(s->gname[g], p, n) == 0)
      return g;
  }
}

static int grow(sample *s)
{
  size_t cap = s->cap ? 2 * s->cap : 65536;
  for (int c = 0; c < NCOL; c++) {
    double *p = realloc(s->x[c], cap * sizeof *p);
    if (!p)
      return -1;
    s->x[c] = p;
  }
  uint16_t *g = realloc(s->grp, cap * sizeof *g);
  if (!g)
    return -1;
  s->grp = g;
  s->cap = cap;
  return 0;
}

static sg_err sample_row(void *ctx, const sg_record *r, const char *name)
{
  sample *s = ctx;
  unsigned long long rec = (unsigned long long)r->record;
  if (s->n == s->cap && grow(s) != 0)
    return sg_seterr(SG_ENOMEM, "out of memory holding the sample's %zu rows", s->n);
  for (int c = 0; c < NCOL; c++) {
    int i = s->at[c];
    if (i < 0)
      continue;
    if (i >= r->nfields || r->flen[i] == 0)
      return sg_seterr(SG_EUSAGE, "%s, record %llu: %s is empty; fit takes numbers only: fill or drop the rows "
                       "with missing values", name, rec, col_name(c));
    char text[64], *end;
    size_t n = r->flen[i] < sizeof text - 1 ? r->flen[i] : sizeof text - 1;
    memcpy(text, r->field[i], n);
    text[n] = '\0';
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || r->flen[i] != n || !isfinite(v))
      return sg_seterr(SG_EUSAGE, "%s, record %llu: %s is '%.20s', not a finite number; fix or drop the row",
                       name, rec, col_name(c), text);
    double lo = c == COL_POP ? 0 : sg_features()[c].lo, hi = c == COL_POP ? 100 : sg_features()[c].hi;
    if (v < lo || v > hi) {
      s->outside[c]++;
      v = v < lo ? lo : hi;
    }
    s->x[c][s->n] = v;
  }
  int g = 0;
  if (s->group_at >= 0) {
    if (s->group_at >= r->nfields || r->flen[s->group_at] == 0)
      return sg_seterr(SG_EUSAGE, "%s, record %llu: the group (%s) is empty; give every row its group", name, rec,
                       s->o->group);
    g = group_index(s, r->field[s->group_at], r->flen[s->group_at]);
    if (g < 0)
      return sg_seterr(SG_EUSAGE, "--group %s: more than %d groups; name a column of categories or genres",
                       s->o->group, SG_FIT_MAX_GROUPS);
  }
  s->grp[s->n++] = (uint16_t)g;
  return SG_OK;
}

/* ---- checks and groups ------------------------------------------------- */

static double mean_of(const double *x, size_t n)
{
  double m = 0;
  for (size_t i = 0; i < n; i++)
    m += x[i];
  return m / (double)n;
}

/* What cannot be fitted: a column in other units, a constant column, a
 * group too small. */
static sg_err sample_check(sample *s)
{
  if (s->n == 0)
    return sg_seterr(SG_EUSAGE, "%s: no rows; fit needs a sample of tracks", s->o->sample);
  for (int c = 0; c < NCOL; c++) {
    if (!s->have[c])
      continue;
    double share = (double)s->outside[c] / (double)s->n;
    if (share > SG_FIT_OUTSIDE)
      return sg_seterr(SG_EUSAGE, "%s: %.1f%% of %s's values are outside %g .. %g, spotgen's range for it; is the "
                       "column in other units?", s->o->sample, 100 * share, col_name(c),
                       c == COL_POP ? 0 : sg_features()[c].lo, c == COL_POP ? 100 : sg_features()[c].hi);
    double lo = s->x[c][0], hi = lo;
    for (size_t i = 1; i < s->n; i++) {
      lo = fmin(lo, s->x[c][i]);
      hi = fmax(hi, s->x[c][i]);
    }
    if (!(hi > lo))
      return sg_seterr(SG_EUSAGE, "%s: %s is %g in every row; fit needs its spread (drop the column to keep "
                       "spotgen's own, where it may: duration_ms, popularity)", s->o->sample, col_name(c), lo);
  }
  s->rows_of = calloc((size_t)(s->ngroups ? s->ngroups : 1), sizeof *s->rows_of);
  if (!s->rows_of)
    return sg_seterr(SG_ENOMEM, "out of memory");
  if (s->ngroups == 0)
    s->ngroups = 1, snprintf(s->gname[0], 64, "(all)");
  for (size_t i = 0; i < s->n; i++)
    s->rows_of[s->grp[i]]++;
  for (int g = 0; g < s->ngroups; g++)
    if (s->rows_of[g] < SG_FIT_MIN_ROWS && !s->o->group)
      return sg_seterr(SG_EUSAGE, "%s: %zu rows; fit needs at least %d", s->o->sample, s->n, SG_FIT_MIN_ROWS);
    else if (s->rows_of[g] < SG_FIT_MIN_ROWS)
      return sg_seterr(SG_EUSAGE, "--group %s: group '%s' has %zu rows; fit needs at least %d a group: drop its "
                       "rows or merge it into another group", s->o->group, s->gname[g], s->rows_of[g],
                       SG_FIT_MIN_ROWS);
  return SG_OK;
}

/* The category called `name` in any case, or -1. */
static int category_named(const char *name)
{
  for (int k = 0; k < SG_NCAT; k++)
    if (strcasecmp(name, sg_category_name(k)) == 0)
      return k;
  return -1;
}

/* Each group's category: the one it is named after, else the one whose
 * built-in profile is nearest its means, in sds of the sample over the
 * nine audio features. */
static sg_err assign_groups(sample *s, const sg_config *base)
{
  if (!s->o->group) {
    s->cat_of[0] = -1; /* one group: every category */
    return SG_OK;
  }
  double (*sum)[SG_NFEAT] = calloc((size_t)s->ngroups, sizeof *sum);
  if (!sum)
    return sg_seterr(SG_ENOMEM, "out of memory");
  double sd[SG_NFEAT];
  for (int f = 0; f < SG_NFEAT; f++) {
    double m = mean_of(s->x[f], s->n), v = 0;
    for (size_t i = 0; i < s->n; i++) {
      v += (s->x[f][i] - m) * (s->x[f][i] - m);
      sum[s->grp[i]][f] += s->x[f][i];
    }
    sd[f] = sqrt(v / (double)s->n);
  }
  for (int g = 0; g < s->ngroups; g++) {
    int named = category_named(s->gname[g]), nearest = 0;
    double best = INFINITY;
    for (int k = 0; named < 0 && k < SG_NCAT; k++) {
      double d = 0;
      for (int f = 0; f < SG_NFEAT; f++) {
        if (f == SG_F_DURATION || !(sd[f] > 0))
          continue;
        double want = sg_config_marginal(base, k, f).mean;
        double z = (sum[g][f] / (double)s->rows_of[g] - want) / sd[f];
        d += z * z;
      }
      if (d < best)
        best = d, nearest = k;
    }
    s->cat_of[g] = named >= 0 ? named : nearest;
  }
  free(sum);
  return SG_OK;
}

/* ---- one category's fit -------------------------------------------------- */

/* A double's bits as an unsigned key in the same order (finite values;
 * -0 is 0), and back. */
static uint64_t order_key(double x)
{
  uint64_t u;
  x = x == 0 ? 0.0 : x;
  memcpy(&u, &x, sizeof u);
  return u >> 63 ? ~u : u | (1ull << 63);
}

static double key_value(uint64_t k)
{
  uint64_t u = k >> 63 ? k & ~(1ull << 63) : ~k;
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}

typedef struct ranked {
  uint64_t key;
  size_t i;
} ranked;

/* Sorts a[0 .. n-1] by key, stably: least significant byte first, skipping
 * a byte all keys share (tmp: n more). Eight passes of n, where qsort's
 * comparisons took two thirds of a fit. */
static void radix_sort(ranked *a, ranked *tmp, size_t n)
{
  for (int shift = 0; shift < 64; shift += 8) {
    size_t count[257] = {0};
    for (size_t i = 0; i < n; i++)
      count[((a[i].key >> shift) & 0xff) + 1]++;
    if (n && count[((a[0].key >> shift) & 0xff) + 1] == n)
      continue;
    for (int b = 0; b < 256; b++)
      count[b + 1] += count[b];
    for (size_t i = 0; i < n; i++)
      tmp[count[(a[i].key >> shift) & 0xff]++] = a[i];
    memcpy(a, tmp, n * sizeof *a);
  }
}

/* v[0 .. n-1] in order (work: 2n ranked). */
static void sort_values(double *v, size_t n, ranked *work)
{
  for (size_t i = 0; i < n; i++)
    work[i] = (ranked){order_key(v[i]), i};
  radix_sort(work, work + n, n);
  for (size_t i = 0; i < n; i++)
    v[i] = key_value(work[i].key);
}

/* The quantile at p of sorted v[0 .. n-1], between order statistics. */
static double quantile(const double *v, size_t n, double p)
{
  double h = p * (double)(n - 1);
  size_t i = (size_t)h;
  return i + 1 < n ? v[i] + (h - (double)i) * (v[i + 1] - v[i]) : v[n - 1];
}

/* Normal scores of x over the rows idx: Phi^-1 of the mid-rank (ties
 * share theirs). tmp: 2n. */
static void normal_scores(const double *x, const size_t *idx, size_t n, ranked *tmp, double *out)
{
  for (size_t i = 0; i < n; i++)
    tmp[i] = (ranked){order_key(x[idx[i]]), i};
  radix_sort(tmp, tmp + n, n);
  for (size_t a = 0; a < n;) {
    size_t b = a;
    while (b + 1 < n && tmp[b + 1].key == tmp[a].key)
      b++;
    double score = sg_norm_quantile((0.5 * (double)(a + b) + 0.5) / (double)n);
    for (size_t j = a; j <= b; j++)
      out[tmp[j].i] = score;
    a = b + 1;
  }
}

/* Pearson r of the columns cols[f][0 .. n-1]. */
static void pearson(double *const cols[SG_NFEAT], size_t n, const int use[SG_NFEAT],
                    double r[SG_NFEAT][SG_NFEAT])
{
  double m[SG_NFEAT], v[SG_NFEAT];
  for (int f = 0; f < SG_NFEAT; f++) {
    if (!use[f])
      continue;
    m[f] = mean_of(cols[f], n);
    v[f] = 0;
    for (size_t i = 0; i < n; i++)
      v[f] += (cols[f][i] - m[f]) * (cols[f][i] - m[f]);
  }
  for (int f = 0; f < SG_NFEAT; f++)
    for (int g = f; g < SG_NFEAT; g++) {
      if (!use[f] || !use[g] || f == g) {
        r[f][g] = r[g][f] = f == g ? 1.0 : sg_default_correlation(f, g);
        continue;
      }
      double c = 0;
      for (size_t i = 0; i < n; i++)
        c += (cols[f][i] - m[f]) * (cols[g][i] - m[g]);
      double x = c / sqrt(v[f] * v[g]);
      r[f][g] = r[g][f] = fmax(-0.999, fmin(0.999, x));
    }
}

/* Rounds a knot to a millionth of the column's range: the model file stays
 * short, and a knot is then a number JSON gives back exactly. */
static double round_knot(double x, double range)
{
  double unit = pow(10, floor(log10(range * 1e-6)));
  return round(x / unit) * unit;
}

typedef struct fitted {
  double want[SG_NCAT + 1][SG_NFEAT][SG_NFEAT]; /* the sample's Pearson r; [ALL]: the whole's */
  int moved[SG_NCAT];                          /* pairs sg_copula_fit moved */
  size_t rows[SG_NCAT + 1];
} fitted;

/* Fits category k (ALL: the whole sample, for every category) from the rows idx. */
static sg_err fit_rows(sample *s, sg_config *c, fitted *fit, int k, const size_t *idx, size_t n,
                       int into[SG_NCAT])
{
  double *cols[SG_NFEAT] = {0}, *scores[SG_NFEAT] = {0};
  ranked *tmp = malloc(2 * n * sizeof *tmp);
  double *sorted = malloc(n * sizeof *sorted);
  sg_err e = tmp && sorted ? SG_OK : sg_seterr(SG_ENOMEM, "out of memory");
  for (int f = 0; e == SG_OK && f < SG_NFEAT; f++) {
    if (!s->have[f])
      continue;
    cols[f] = malloc(n * sizeof **cols);
    scores[f] = malloc(n * sizeof **scores);
    if (!cols[f] || !scores[f]) {
      e = sg_seterr(SG_ENOMEM, "out of memory");
      break;
    }
    for (size_t i = 0; i < n; i++)
      cols[f][i] = sorted[i] = s->x[f][idx[i]];
    sort_values(sorted, n, tmp);
    if (!(sorted[n - 1] > sorted[0])) {
      e = sg_seterr(SG_EUSAGE, "%s: %s is %g in every row of category %s's groups; fit needs its spread there "
                    "(give that category more varied tracks)", s->o->sample, col_name(f), sorted[0],
                    sg_category_name(k == ALL ? 0 : k));
      break;
    }
    const sg_feature_info *fi = &sg_features()[f];
    for (int j = 0; j < SG_NCAT; j++) {
      if (!into[j])
        continue;
      for (int q = 0; q < SG_QKNOTS; q++) {
        double x = round_knot(quantile(sorted, n, sg_knot_p(q)), fi->hi - fi->lo);
        c->knots[j][f][q] = fmax(fi->lo, fmin(fi->hi, x));
      }
      c->quantiles[j][f] = 1;
      sg_knots_moments(c->knots[j][f], &c->profile[j][f].mean, &c->profile[j][f].sd);
    }
    normal_scores(s->x[f], idx, n, tmp, scores[f]);
  }
  if (e == SG_OK) {
    double sc[SG_NFEAT][SG_NFEAT];
    pearson(cols, n, s->have, fit->want[k]);
    pearson(scores, n, s->have, sc);
    fit->rows[k] = n;
    for (int j = 0; j < SG_NCAT; j++) {
      if (!into[j])
        continue;
      static sg_qtable t[SG_NFEAT];
      for (int f = 0; f < SG_NFEAT; f++) {
        sg_marginal m = sg_config_marginal(c, j, f);
        sg_qtable_build(&m, &t[f]);
      }
      fit->moved[j] = sg_copula_fit(t, (const double(*)[SG_NFEAT])fit->want[k],
                                    (const double(*)[SG_NFEAT])sc, c->cat_corr[j]);
    }
  }
  for (int f = 0; f < SG_NFEAT; f++) {
    free(cols[f]);
    free(scores[f]);
  }
  free(tmp);
  free(sorted);
  return e;
}

/* ---- popularity ---------------------------------------------------------- */

static double kumaraswamy_misfit(double a, double b, const double want[19])
{
  double e = 0;
  for (int i = 0; i < 19; i++) {
    double d = 100.0 * sg_kumaraswamy_quantile(a, b, 0.05 * (i + 1)) - want[i];
    e += d * d;
  }
  return e;
}

/* popularity = curve + per_danceability (d - centre) + per_energy (e -
 * centre) + per_year (year - centre) + noise: the slopes by least squares,
 * then the curve's Kumaraswamy (a, b) nearest the quantiles of what is
 * left, its spread narrowed by the model's noise and years. */
static void fit_popularity(const sample *s, sg_config *c)
{
  const double *y = s->x[COL_POP], *d = s->x[SG_F_DANCEABILITY], *en = s->x[SG_F_ENERGY];
  size_t n = s->n;
  double my = mean_of(y, n), md = mean_of(d, n), me = mean_of(en, n);
  double sdd = 0, see = 0, sde = 0, syd = 0, sye = 0;
  for (size_t i = 0; i < n; i++) {
    double a = d[i] - md, b = en[i] - me, t = y[i] - my;
    sdd += a * a, see += b * b, sde += a * b, syd += t * a, sye += t * b;
  }
  double det = sdd * see - sde * sde;
  double bd = det > 0 ? (syd * see - sye * sde) / det : 0, be = det > 0 ? (sye * sdd - syd * sde) / det : 0;
  c->pop_per_danceability = fmax(-100, fmin(100, bd));
  c->pop_per_energy = fmax(-100, fmin(100, be));
  double *left = malloc(n * sizeof *left);
  if (!left)
    return; /* keeps the built-in curve */
  double ml = 0, vl = 0;
  for (size_t i = 0; i < n; i++) {
    left[i] = y[i] - c->pop_per_danceability * (d[i] - SG_POP_CENTRE_DANCE) -
              c->pop_per_energy * (en[i] - SG_POP_CENTRE_ENERGY);
    ml += left[i];
  }
  ml /= (double)n;
  for (size_t i = 0; i < n; i++)
    vl += (left[i] - ml) * (left[i] - ml);
  vl /= (double)n;
  /* the model adds noise and the years' spread (sd about 3.5 years) */
  double extra = c->pop_noise_sd * c->pop_noise_sd + 12.0 * c->pop_per_year * c->pop_per_year;
  double narrow = sqrt(fmax(0.25, 1.0 - extra / fmax(vl, 1e-9)));
  double shift = c->pop_per_year * 2.0; /* the years' mean is about 2018 */
  for (size_t i = 0; i < n; i++)
    left[i] = ml - shift + (left[i] - ml) * narrow;
  ranked *work = malloc(2 * n * sizeof *work);
  if (!work) {
    free(left);
    return;
  }
  sort_values(left, n, work);
  free(work);
  double want[19];
  for (int i = 0; i < 19; i++)
    want[i] = quantile(left, n, 0.05 * (i + 1));
  free(left);
  /* a grid in log a, log b, then finer grids about the best point */
  double la = log(c->pop_track_a), lb = log(c->pop_track_b), step = 0.5;
  double best = kumaraswamy_misfit(c->pop_track_a, c->pop_track_b, want);
  for (int round = 0; round < 40; round++) {
    double ba = la, bb = lb;
    for (int i = -4; i <= 4; i++)
      for (int j = -4; j <= 4; j++) {
        double a = exp(la + i * step), b = exp(lb + j * step);
        if (a < 0.1 || a > 50 || b < 0.1 || b > 50)
          continue;
        double m = kumaraswamy_misfit(a, b, want);
        if (m < best)
          best = m, ba = la + i * step, bb = lb + j * step;
      }
    if (ba == la && bb == lb)
      step *= 0.5;
    la = ba, lb = bb;
  }
  c->pop_track_a = exp(la);
  c->pop_track_b = exp(lb);
}

/* ---- the report -------------------------------------------------------- */

typedef struct drawn {
  size_t n;
  double *x[NCOL];
  uint8_t *cat;
} drawn;

static void drawn_free(drawn *d)
{
  for (int c = 0; c < NCOL; c++)
    free(d->x[c]);
  free(d->cat);
}

/* DRAWN_ROWS rows of a dataset generated with the fitted model, with each
 * row's track's category. */
static sg_err draw_rows(const sg_config *c, const sg_copula *cp, drawn *d)
{
  const sg_column *col[NCOL]; /* each value as a reader of the files sees it */
  for (int k = 0; k < NCOL; k++)
    col[k] = sg_schema_find(k == COL_POP ? "popularity_score" : col_name(k));
  sg_model *m = malloc(sizeof *m);
  sg_row *rows = malloc(SG_MODEL_BATCH * sizeof *rows);
  d->n = DRAWN_ROWS;
  d->cat = malloc(d->n);
  for (int k = 0; k < NCOL; k++)
    d->x[k] = malloc(d->n * sizeof *d->x[k]);
  int ok = m && rows && d->cat;
  for (int k = 0; k < NCOL; k++)
    ok = ok && d->x[k];
  if (ok) {
    sg_model_init(m, 1, d->n, c, cp);
    for (size_t first = 0; first < d->n; first += SG_MODEL_BATCH) {
      size_t got = d->n - first < SG_MODEL_BATCH ? d->n - first : SG_MODEL_BATCH;
      sg_model_rows(m, first, got, rows);
      for (size_t i = 0; i < got; i++) {
        const sg_row *r = &rows[i];
        uint64_t rank;
        for (int k = 0; k < NCOL; k++)
          d->x[k][first + i] = sg_schema_value(col[k], r);
        d->cat[first + i] = (uint8_t)sg_catalog_track_home(&m->catalog, r->track, &rank);
      }
    }
  }
  free(m);
  free(rows);
  return ok ? SG_OK : sg_seterr(SG_ENOMEM, "out of memory drawing rows from the model");
}

/* The rows of category k (ALL: every row) of n rows whose categories are
 * cat_of(i). @return how many, into idx. */
static size_t rows_in(size_t n, int k, const uint8_t *cat, const sample *s, size_t *idx)
{
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    int c = cat ? cat[i] : s->cat_of[s->grp[i]];
    if (k == ALL || c == k)
      idx[m++] = i;
  }
  return m;
}

static void print_quantiles(FILE *out, const char *who, const double *x, const size_t *idx, size_t n, double *tmp,
                            ranked *work)
{
  for (size_t i = 0; i < n; i++)
    tmp[i] = x[idx[i]];
  sort_values(tmp, n, work);
  fprintf(out, "    %-7s", who);
  for (int p = 0; p < NREPORT_P; p++) {
    double q = quantile(tmp, n, REPORT_P[p]);
    fprintf(out, fabs(q) >= 1000 ? " %9.0f" : fabs(q) >= 10 ? " %9.2f" : " %9.4f", q);
  }
  fprintf(out, "\n");
}

/* Line i of the report (-1: the whole sample, else category i): its
 * category (ALL or i) and the indices of its rows in the sample (*ns) and
 * in the drawn rows (*nd). @return -1 for a line not shown (a category
 * without --group, or with no rows of the sample). */
static int report_line(const sample *s, const drawn *d, int i, size_t *si, size_t *ns, size_t *di, size_t *nd)
{
  int k = i < 0 ? ALL : i;
  *ns = rows_in(s->n, k, NULL, s, si);
  if (k != ALL && (!s->o->group || *ns == 0))
    return -1;
  *nd = rows_in(d->n, k, d->cat, s, di);
  return k;
}

/* Pearson r of rows idx of the columns x. */
static void pearson_rows(double *const x[NCOL], const size_t *idx, size_t n, const int use[SG_NFEAT],
                         double r[SG_NFEAT][SG_NFEAT])
{
  double *cols[SG_NFEAT] = {0};
  for (int f = 0; f < SG_NFEAT; f++) {
    if (!use[f])
      continue;
    cols[f] = malloc(n * sizeof **cols);
    if (!cols[f]) { /* nothing to show: NAN */
      for (int g = 0; g < SG_NFEAT; g++)
        for (int h = 0; h < SG_NFEAT; h++)
          r[g][h] = NAN;
      for (int g = 0; g < f; g++)
        free(cols[g]);
      return;
    }
    for (size_t i = 0; i < n; i++)
      cols[f][i] = x[f][idx[i]];
  }
  pearson(cols, n, use, r);
  for (int f = 0; f < SG_NFEAT; f++)
    free(cols[f]);
}

static void print_report(FILE *out, const sample *s, const fitted *fit, const sg_config *c, const drawn *d)
{
  size_t cap = s->n > d->n ? s->n : d->n;
  size_t *si = malloc(cap * sizeof *si), *di = malloc(cap * sizeof *di);
  double *tmp = malloc(cap * sizeof *tmp);
  ranked *work = malloc(2 * cap * sizeof *work);
  if (!si || !di || !tmp || !work) {
    fprintf(out, "(no report: out of memory)\n");
    free(si), free(di), free(tmp), free(work);
    return;
  }
  fprintf(out, "\nmarginals: quantiles at p = 0.01 0.10 0.25 0.50 0.75 0.90 0.99 of the sample and of %d rows "
          "drawn from the model\n", DRAWN_ROWS);
  const int *use = s->have; /* the features the sample has */
  for (int col = 0; col < NCOL; col++) {
    if (!s->have[col])
      continue;
    fprintf(out, "  %s\n", col_name(col));
    for (int i = -1; i < SG_NCAT; i++) {
      size_t ns, nd;
      int k = report_line(s, d, i, si, &ns, di, &nd);
      if (k < 0)
        continue;
      fprintf(out, "   %s\n", k == ALL ? "all" : sg_category_name(k));
      print_quantiles(out, "sample", s->x[col], si, ns, tmp, work);
      if (nd)
        print_quantiles(out, "model", d->x[col], di, nd, tmp, work);
    }
  }
  fprintf(out, "\ncorrelations: Pearson r of the sample and of the rows drawn from the model\n");
  for (int i = -1; i < SG_NCAT; i++) {
    size_t ns, nd;
    int k = report_line(s, d, i, si, &ns, di, &nd);
    if (k < 0)
      continue;
    double rs[SG_NFEAT][SG_NFEAT], rd[SG_NFEAT][SG_NFEAT];
    pearson_rows(s->x, si, ns, use, rs);
    pearson_rows(d->x, di, nd, use, rd);
    double gap = 0;
    int gf = 0, gg = 1;
    for (int f = 0; f < SG_NFEAT; f++)
      for (int g = f + 1; g < SG_NFEAT; g++)
        if (use[f] && use[g] && fabs(rs[f][g] - rd[f][g]) > gap)
          gap = fabs(rs[f][g] - rd[f][g]), gf = f, gg = g;
    fprintf(out, "  %-8s largest gap %.3f (%s, %s: sample %.3f, model %.3f)", k == ALL ? "all" : sg_category_name(k),
            gap, col_name(gf), col_name(gg), rs[gf][gg], rd[gf][gg]);
    if (k != ALL && s->o->group && fit->moved[k])
      fprintf(out, "; %d pair%s beyond the copula's reach, moved", fit->moved[k], fit->moved[k] == 1 ? "" : "s");
    fprintf(out, "\n");
    for (int f = 0; f < SG_NFEAT; f++)
      for (int g = f + 1; g < SG_NFEAT; g++)
        if (use[f] && use[g] && fabs(rs[f][g]) >= 0.3)
          fprintf(out, "      %-16s %-16s sample %6.3f  model %6.3f\n", col_name(f), col_name(g), rs[f][g],
                  rd[f][g]);
  }
  if (s->have[COL_POP])
    fprintf(out, "\npopularity: per danceability %.2f, per energy %.2f, curve Kumaraswamy(%.3f, %.3f); the "
            "artist's share of it %.2f\n", c->pop_per_danceability, c->pop_per_energy, c->pop_track_a,
            c->pop_track_b, c->pop_artist_share);
  free(si), free(di), free(tmp), free(work);
}

/* ---- the command ------------------------------------------------------- */

static sg_err fit_sample(sample *s, sg_config *c, fitted *fit)
{
  sg_config base;
  sg_config_default(&base);
  sg_err e = assign_groups(s, &base);
  size_t *idx = e == SG_OK ? malloc(s->n * sizeof *idx) : NULL;
  if (e != SG_OK || !idx)
    return e != SG_OK ? e : sg_seterr(SG_ENOMEM, "out of memory");
  int every[SG_NCAT], empty[SG_NCAT];
  for (int k = 0; k < SG_NCAT; k++)
    every[k] = 1;
  if (!s->o->group) { /* one group: every category takes the sample */
    size_t n = rows_in(s->n, ALL, NULL, s, idx);
    e = fit_rows(s, c, fit, ALL, idx, n, every);
  } else {
    double share[SG_NCAT];
    for (int k = 0; e == SG_OK && k < SG_NCAT; k++) {
      size_t n = rows_in(s->n, k, NULL, s, idx);
      share[k] = (double)n / (double)s->n;
      empty[k] = n == 0;
      int only[SG_NCAT] = {0};
      only[k] = 1;
      if (n)
        e = fit_rows(s, c, fit, k, idx, n, only);
    }
    /* categories no group joined: the whole sample, and no playlists */
    size_t n = rows_in(s->n, ALL, NULL, s, idx);
    if (e == SG_OK)
      e = fit_rows(s, c, fit, ALL, idx, n, empty);
    double sum = 0;
    int last = 0;
    for (int k = 0; k < SG_NCAT; k++)
      if (share[k] > 0)
        last = k, sum += share[k];
    for (int k = 0; k < SG_NCAT; k++)
      c->share[k] = k == last ? share[k] + (1.0 - sum) : share[k];
  }
  /* the whole sample's correlations: the whole dataset's targets (every
   * category sets every pair, so they are not imposed) */
  if (e == SG_OK)
    memcpy(c->corr, fit->want[ALL], sizeof c->corr);
  if (e == SG_OK && s->have[COL_POP])
    fit_popularity(s, c);
  free(idx);
  return e;
}

/* The model as a --config document, with what it was fitted from. */
static char *model_text(const sample *s, const sg_config *c)
{
  cJSON *doc = sg_config_json(c);
  cJSON *about = cJSON_CreateObject();
  cJSON_AddStringToObject(about, "_comment", "what spotgen fit learnt this model from (keys starting with _ are "
                          "not read by generate)");
  cJSON_AddStringToObject(about, "sample", s->o->sample);
  cJSON_AddNumberToObject(about, "rows", (double)s->n);
  if (s->o->group) {
    cJSON_AddStringToObject(about, "group", s->o->group);
    cJSON *g = cJSON_AddObjectToObject(about, "categories");
    for (int k = 0; k < s->ngroups; k++)
      cJSON_AddStringToObject(g, s->gname[k], sg_category_name(s->cat_of[k]));
  }
  cJSON_AddStringToObject(about, "version", SPOTGEN_VERSION);
  cJSON_AddItemToObject(doc, "_fit", about);
  char *text = cJSON_Print(doc);
  cJSON_Delete(doc);
  return text;
}

static void print_groups(FILE *out, const sample *s, const sg_config *c)
{
  fprintf(out, "fit: %zu rows of %s", s->n, s->o->sample);
  if (!s->o->group) {
    fprintf(out, ", one group: every category takes the sample\n");
    return;
  }
  fprintf(out, "; --group %s: %d group%s into the categories\n", s->o->group, s->ngroups,
          s->ngroups == 1 ? "" : "s");
  for (int k = 0; k < SG_NCAT; k++) {
    fprintf(out, "  %-8s share %.3f", sg_category_name(k), c->share[k]);
    int shown = 0;
    for (int g = 0; g < s->ngroups; g++)
      if (s->cat_of[g] == k && shown++ < 12) {
        char name[256]; /* a name is shown, never obeyed */
        sg_escape_controls(name, sizeof name, s->gname[g]);
        fprintf(out, "%s%s", shown == 1 ? ": " : ", ", name);
      }
    if (shown > 12)
      fprintf(out, " and %d more", shown - 12);
    if (!shown)
      fprintf(out, ": no group (the whole sample's profile, no playlists)");
    fprintf(out, "\n");
  }
}

int sg_fit_main(int argc, char **argv)
{
  sg_fit_options o;
  sg_err e = sg_cli_fit(argc, argv, &o);
  if (e != SG_OK || o.help)
    return sg_cli_answer(e, sg_usage_fit);
  FILE *out = sg_outfile_is_stream(o.output) ? stderr : stdout;
  sample *s = calloc(1, sizeof *s);
  sg_config *c = malloc(sizeof *c);
  fitted *fit = calloc(1, sizeof *fit);
  sg_copula *cp = malloc(sizeof *cp);
  char *text = NULL;
  drawn d = {0};
  if (s)
    s->gname = calloc(SG_FIT_MAX_GROUPS, sizeof *s->gname);
  if (!s || !c || !fit || !cp || !s->gname)
    e = sg_seterr(SG_ENOMEM, "out of memory");
  if (e == SG_OK) {
    /* the file's -o is checked before the work, and again when written */
    sg_outfile of;
    e = sg_outfile_check(o.output, "-o", o.overwrite, &of);
  }
  if (e == SG_OK) {
    s->o = &o;
    sg_config_default(c);
    if (o.config) { /* what the sample does not say: the base's */
      char *base = NULL;
      e = sg_read_text(o.config, CONFIG_MAX, "--config", &base);
      if (e == SG_OK)
        e = sg_config_apply_json(c, base, o.config);
      free(base);
    }
  }
  sg_s3_options so = sg_s3_options_from(&o.s3);
  if (e == SG_OK)
    e = sg_rows_read(o.sample, &so, "sample", "fit", s, sample_head, sample_row);
  if (e == SG_OK)
    e = sample_check(s);
  if (e == SG_OK)
    e = fit_sample(s, c, fit);
  if (e == SG_OK) { /* what generate will read: the text, applied again */
    text = model_text(s, c);
    sg_config_default(c);
    e = !text ? sg_seterr(SG_ENOMEM, "out of memory") : sg_config_apply_json(c, text, "(fitted)");
    if (e == SG_OK)
      e = sg_copula_build(cp, c, "(fitted)");
    if (e == SG_EUSAGE) /* a model fit made that does not build: fit's own fault */
      e = sg_seterr(SG_EDATA, "the fitted model does not build (%s); please report it with the sample",
                    sg_errmsg(SG_EUSAGE));
  }
  if (e == SG_OK)
    e = draw_rows(c, cp, &d);
  if (e == SG_OK)
    e = sg_outfile_write(o.output, "-o", text, strlen(text), o.overwrite);
  if (e == SG_OK) {
    print_groups(out, s, c);
    for (int col = 0; col < NCOL; col++)
      if (s->outside[col])
        fprintf(out, "  %s: %llu value%s outside %g .. %g taken as the nearest end\n", col_name(col),
                (unsigned long long)s->outside[col], s->outside[col] == 1 ? "" : "s",
                col == COL_POP ? 0 : sg_features()[col].lo, col == COL_POP ? 100 : sg_features()[col].hi);
    print_report(out, s, fit, c, &d);
    fprintf(out, "\nmodel written to %s; generate with it: spotgen generate --config %s --rows N --out DIR\n",
            sg_outfile_is_stream(o.output) ? "standard output" : o.output,
            sg_outfile_is_stream(o.output) ? "MODEL.json" : o.output);
  } else {
    fprintf(stderr, "spotgen: %s\n", sg_errmsg(e));
  }
  if (s) {
    for (int k = 0; k < NCOL; k++)
      free(s->x[k]);
    free(s->grp);
    free(s->gname);
    free(s->rows_of);
  }
  drawn_free(&d);
  cJSON_free(text);
  free(s);
  free(c);
  free(fit);
  free(cp);
  return e == SG_OK ? 0 : sg_exit_status(e);
}
