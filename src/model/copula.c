/* copula.c - quantile tables, calibration of the latent correlations, and
 * their Cholesky factor (copula.h). */
#include "spotgen/model/copula.h"

#include <math.h>
#include <string.h>

#include "spotgen/model/category.h"

#define HERMITE_TERMS 64
#define R_LIMIT 0.999

/* Moments and normalised Hermite coefficients of one marginal, integrated
 * over the table's own grid (trapezoid with weight phi(z)). */
typedef struct expansion {
  double mean, var;
  double a[HERMITE_TERMS + 1];
} expansion;

typedef struct mixture {
  expansion ex[SG_NCAT][SG_NFEAT];
} mixture;

/* Covariance of features f and g within category c at latent r. */
static double within_cov(const mixture *m, int c, int f, int g, double r)
{
  const expansion *x = &m->ex[c][f], *y = &m->ex[c][g];
  double cov = 0, rk = 1;
  for (int k = 1; k <= HERMITE_TERMS; k++) {
    rk *= r;
    cov += rk * x->a[k] * y->a[k];
  }
  return cov;
}

/* Pearson r of f and g over a mixture of the categories in shares w[],
 * category c's latent correlation being r[c]. */
static double mixture_corr(const mixture *m, const double w[SG_NCAT], int f, int g,
                           const double r[SG_NCAT])
{
  double mf = 0, mg = 0, vf = 0, vg = 0, cov = 0;
  for (int c = 0; c < SG_NCAT; c++) {
    mf += w[c] * m->ex[c][f].mean;
    mg += w[c] * m->ex[c][g].mean;
  }
  for (int c = 0; c < SG_NCAT; c++) {
    const expansion *x = &m->ex[c][f], *y = &m->ex[c][g];
    double df = x->mean - mf, dg = y->mean - mg;
    vf += w[c] * (x->var + df * df);
    vg += w[c] * (y->var + dg * dg);
    cov += w[c] * (within_cov(m, c, f, g, r[c]) + df * dg);
  }
  return cov / sqrt(vf * vg);
}

/* The expansions of n tables, in one pass over the grid: the weights and
 * Hermite polynomials at a point serve every table. */
static void expand_tables(const sg_qtable *const *tab, int n, expansion *out)
{
  const double h = 2.0 * SG_QT_ZMAX / SG_QT_N;
  double c1[HERMITE_TERMS + 1], c2[HERMITE_TERMS + 1], he[HERMITE_TERMS + 1];
  for (int k = 1; k <= HERMITE_TERMS; k++) {
    c1[k] = 1.0 / sqrt((double)k + 1.0);
    c2[k] = sqrt((double)k) / sqrt((double)k + 1.0);
  }
  double w_sum = 0;
  memset(out, 0, (size_t)n * sizeof *out);
  for (int i = 0; i <= SG_QT_N; i++) {
    double z = sg_qtable_z(i);
    double w = h * exp(-0.5 * z * z) / sqrt(2.0 * M_PI) * (i == 0 || i == SG_QT_N ? 0.5 : 1.0);
    w_sum += w;
    he[0] = 1.0; /* normalised: h_{k+1} = (z h_k - sqrt(k) h_{k-1}) / sqrt(k + 1) */
    he[1] = z;
    for (int k = 1; k < HERMITE_TERMS; k++)
      he[k + 1] = z * he[k] * c1[k] - he[k - 1] * c2[k];
    for (int j = 0; j < n; j++) {
      double x = tab[j]->x[i], wx = w * x;
      double *a = out[j].a;
      out[j].mean += wx; /* the sums of x and x^2 until the end */
      out[j].var += wx * x;
      for (int k = 1; k <= HERMITE_TERMS; k++)
        a[k] += wx * he[k];
    }
  }
  for (int j = 0; j < n; j++) {
    expansion *e = &out[j];
    e->mean /= w_sum;
    e->var = e->var / w_sum - e->mean * e->mean;
    for (int k = 1; k <= HERMITE_TERMS; k++)
      e->a[k] /= w_sum;
  }
}

/* The expansions of every category's marginals. */
static void expand_all(const sg_copula *cp, mixture *m)
{
  const sg_qtable *tab[SG_NCAT * SG_NFEAT];
  for (int c = 0; c < SG_NCAT; c++)
    for (int f = 0; f < SG_NFEAT; f++)
      tab[c * SG_NFEAT + f] = &cp->table[c][f];
  expand_tables(tab, SG_NCAT * SG_NFEAT, &m->ex[0][0]);
}

/* In place: R = L L^T, L in the lower triangle. @return 0, or -1 when a
 * pivot is at or below `least`. */
static int cholesky_above(double a[SG_NFEAT][SG_NFEAT], double least)
{
  for (int j = 0; j < SG_NFEAT; j++) {
    double d = a[j][j];
    for (int k = 0; k < j; k++)
      d -= a[j][k] * a[j][k];
    if (!(d > least))
      return -1;
    a[j][j] = sqrt(d);
    for (int i = j + 1; i < SG_NFEAT; i++) {
      double s = a[i][j];
      for (int k = 0; k < j; k++)
        s -= a[i][k] * a[j][k];
      a[i][j] = s / a[j][j];
    }
    for (int k = j + 1; k < SG_NFEAT; k++)
      a[j][k] = 0;
  }
  return 0;
}

/* In place: R = L L^T, L in the lower triangle. @return 0, or -1 when R is
 * not positive definite (a pivot at or below 1e-10). */
static int cholesky(double a[SG_NFEAT][SG_NFEAT])
{
  return cholesky_above(a, 1e-10);
}

/* A pair's correlation over a mixture as the latent r of some of its
 * categories (`moving`) varies together. */
typedef struct pair_solve {
  const mixture *m;
  const double *w; /* the mixture's shares */
  int f, g;
  double r[SG_NCAT];
  int moving[SG_NCAT];
} pair_solve;

static double pair_corr_at(pair_solve *p, double x)
{
  for (int k = 0; k < SG_NCAT; k++)
    if (p->moving[k])
      p->r[k] = x;
  return mixture_corr(p->m, p->w, p->f, p->g, p->r);
}

/* Moves the r that makes the pair's correlation `target` into p->r[] (it
 * rises with r: bisection). @return 0, or -1 when the target lies outside
 * the reachable *rlo .. *rhi. */
static int pair_solve_for(pair_solve *p, double target, double *rlo, double *rhi)
{
  double lo = -R_LIMIT, hi = R_LIMIT;
  *rlo = pair_corr_at(p, lo);
  *rhi = pair_corr_at(p, hi);
  if (!(target >= *rlo && target <= *rhi))
    return -1;
  for (int it = 0; it < 60; it++) {
    double mid = 0.5 * (lo + hi);
    if (pair_corr_at(p, mid) < target)
      lo = mid;
    else
      hi = mid;
  }
  pair_corr_at(p, 0.5 * (lo + hi));
  return 0;
}

/* The latent correlations of pair (f, g) in every category: first each
 * category's that sets its own, then the one the others share. */
static sg_err solve_pair(sg_copula *cp, const mixture *m, const sg_config *c, int f, int g,
                         const char *src)
{
  const char *fn = sg_features()[f].name, *gn = sg_features()[g].name;
  double r[SG_NCAT] = {0}, rlo, rhi;
  for (int k = 0; k < SG_NCAT; k++) {
    double target = c->cat_corr[k][f][g], alone[SG_NCAT] = {0};
    if (isnan(target))
      continue;
    alone[k] = 1;
    pair_solve p = {m, alone, f, g, {0}, {0}};
    p.moving[k] = 1;
    if (pair_solve_for(&p, target, &rlo, &rhi) != 0)
      return sg_seterr(SG_EUSAGE,
                       "--config %s: categories.%s.correlations.%s.%s: %g cannot be reached with "
                       "the category's profiles (reachable: %.2f .. %.2f)",
                       src, sg_category_name(k), fn, gn, target, rlo, rhi);
    r[k] = p.r[k];
  }
  if (sg_config_pair_shared(c, f, g) > 0) {
    pair_solve p = {m, c->share, f, g, {0}, {0}};
    memcpy(p.r, r, sizeof r);
    for (int k = 0; k < SG_NCAT; k++)
      p.moving[k] = isnan(c->cat_corr[k][f][g]);
    if (pair_solve_for(&p, c->corr[f][g], &rlo, &rhi) != 0)
      return sg_seterr(SG_EUSAGE,
                       "--config %s: correlations.%s.%s: %g cannot be reached with these "
                       "category profiles and the categories' own correlations (reachable: "
                       "%.2f .. %.2f)",
                       src, fn, gn, c->corr[f][g], rlo, rhi);
    memcpy(r, p.r, sizeof r);
  }
  for (int k = 0; k < SG_NCAT; k++)
    cp->latent[k][f][g] = cp->latent[k][g][f] = r[k];
  return SG_OK;
}

sg_err sg_copula_build(sg_copula *cp, const sg_config *c, const char *source)
{
  static _Thread_local mixture m;
  memset(cp, 0, sizeof *cp);
  memset(&m, 0, sizeof m);
  for (int k = 0; k < SG_NCAT; k++)
    for (int f = 0; f < SG_NFEAT; f++) {
      sg_marginal mg = sg_config_marginal(c, k, f);
      sg_qtable_build(&mg, &cp->table[k][f]);
    }
  expand_all(cp, &m);
  for (int f = 0; f < SG_NFEAT; f++) {
    for (int k = 0; k < SG_NCAT; k++)
      cp->mean[f] += c->share[k] * m.ex[k][f].mean;
    double var = 0;
    for (int k = 0; k < SG_NCAT; k++) {
      double d = m.ex[k][f].mean - cp->mean[f];
      var += c->share[k] * (m.ex[k][f].var + d * d);
    }
    cp->sd[f] = sqrt(var);
  }

  const char *src = source ? source : "(built-in)";
  for (int f = 0; f < SG_NFEAT; f++)
    for (int k = 0; k < SG_NCAT; k++)
      cp->latent[k][f][f] = 1.0;
  for (int f = 0; f < SG_NFEAT; f++)
    for (int g = f + 1; g < SG_NFEAT; g++) {
      sg_err e = solve_pair(cp, &m, c, f, g, src);
      if (e)
        return e;
    }
  for (int k = 0; k < SG_NCAT; k++) {
    memcpy(cp->chol[k], cp->latent[k], sizeof cp->chol[k]);
    if (cholesky(cp->chol[k]) != 0)
      return sg_seterr(SG_EUSAGE,
                       "--config %s: the correlations of category %s (its own and the shared "
                       "ones) cannot all hold at once with these profiles (the latent "
                       "correlation matrix is not positive definite); move some toward 0",
                       src, sg_category_name(k));
  }
  /* what the rows will show: the whole, and each category's playlists */
  for (int f = 0; f < SG_NFEAT; f++)
    for (int g = 0; g < SG_NFEAT; g++) {
      double r[SG_NCAT];
      for (int k = 0; k < SG_NCAT; k++)
        r[k] = cp->latent[k][f][g];
      cp->pooled[f][g] = f == g ? 1.0 : mixture_corr(&m, c->share, f, g, r);
      for (int k = 0; k < SG_NCAT; k++) {
        double w[SG_NCAT];
        for (int j = 0; j < SG_NCAT; j++)
          w[j] = c->crossover * c->share[j] + (j == k ? 1.0 - c->crossover : 0.0);
        cp->placed[k][f][g] = f == g ? 1.0 : mixture_corr(&m, w, f, g, r);
      }
    }
  return SG_OK;
}

/* Whether `r` is a correlation matrix with room to spare: sg_copula_build
 * solves it again from the Pearson r it gives, to about 1e-12. */
static int comfortably_definite(const double r[SG_NFEAT][SG_NFEAT])
{
  double a[SG_NFEAT][SG_NFEAT];
  memcpy(a, r, sizeof a);
  return cholesky_above(a, 1e-4) == 0;
}

int sg_copula_fit(const sg_qtable t[SG_NFEAT], const double want[SG_NFEAT][SG_NFEAT],
                  const double scores[SG_NFEAT][SG_NFEAT], double got[SG_NFEAT][SG_NFEAT])
{
  static _Thread_local mixture mx; /* the category alone, as category 0 of a mixture */
  static const double alone[SG_NCAT] = {1};
  const sg_qtable *tab[SG_NFEAT];
  double lat[SG_NFEAT][SG_NFEAT], m[SG_NFEAT][SG_NFEAT], rlo, rhi;
  memset(&mx, 0, sizeof mx);
  for (int f = 0; f < SG_NFEAT; f++)
    tab[f] = &t[f];
  expand_tables(tab, SG_NFEAT, mx.ex[0]);
  for (int f = 0; f < SG_NFEAT; f++) {
    lat[f][f] = 1;
    for (int g = f + 1; g < SG_NFEAT; g++) {
      pair_solve p = {&mx, alone, f, g, {0}, {1}};
      if (pair_solve_for(&p, want[f][g], &rlo, &rhi) != 0) /* the nearest end */
        p.r[0] = want[f][g] < rlo ? -R_LIMIT : R_LIMIT;
      lat[f][g] = lat[g][f] = p.r[0];
    }
  }
  /* toward the normal scores' matrix, then (should it not be one) toward
   * independence, in steps of 5%, until it is a correlation matrix */
  for (int step = 0; step <= 40; step++) {
    double s = step <= 20 ? step / 20.0 : 1.0, u = step <= 20 ? 0.0 : (step - 20) / 20.0;
    for (int f = 0; f < SG_NFEAT; f++)
      for (int g = 0; g < SG_NFEAT; g++)
        m[f][g] = f == g ? 1.0 : (1.0 - u) * ((1.0 - s) * lat[f][g] + s * scores[f][g]);
    if (comfortably_definite(m))
      break;
  }
  int moved = 0;
  for (int f = 0; f < SG_NFEAT; f++) {
    got[f][f] = 1;
    for (int g = f + 1; g < SG_NFEAT; g++) {
      pair_solve p = {&mx, alone, f, g, {0}, {1}};
      got[f][g] = got[g][f] = pair_corr_at(&p, m[f][g]);
      moved += fabs(got[f][g] - want[f][g]) > 0.005;
    }
  }
  return moved;
}
