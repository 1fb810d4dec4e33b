/* copula.c - quantile tables, calibration of the latent correlations, and
 * their Cholesky factor (copula.h). */
#include "spotgen/model/copula.h"

#include <math.h>
#include <string.h>

#define HERMITE_TERMS 64
#define R_LIMIT 0.999

/* Moments and normalised Hermite coefficients of one marginal, integrated
 * over the table's own grid (trapezoid with weight phi(z)). */
typedef struct expansion {
  double mean, var;
  double a[HERMITE_TERMS + 1];
} expansion;

typedef struct mixture {
  double w[SG_NCAT];
  expansion ex[SG_NCAT][SG_NFEAT];
  double mean[SG_NFEAT], var[SG_NFEAT];
} mixture;

/* Whole-dataset covariance of features f and g at latent correlation r. */
static double mixture_cov(const mixture *m, int f, int g, double r)
{
  double cov = 0;
  for (int c = 0; c < SG_NCAT; c++) {
    const expansion *x = &m->ex[c][f], *y = &m->ex[c][g];
    double within = 0, rk = 1;
    for (int k = 1; k <= HERMITE_TERMS; k++) {
      rk *= r;
      within += rk * x->a[k] * y->a[k];
    }
    cov += m->w[c] * (within + (x->mean - m->mean[f]) * (y->mean - m->mean[g]));
  }
  return cov;
}

/* The expansions of every category's marginals, in one pass over the grid:
 * the weights and Hermite polynomials at a point serve every table. */
static void expand_all(const sg_copula *cp, mixture *m)
{
  const double h = 2.0 * SG_QT_ZMAX / SG_QT_N;
  double c1[HERMITE_TERMS + 1], c2[HERMITE_TERMS + 1], he[HERMITE_TERMS + 1];
  for (int k = 1; k <= HERMITE_TERMS; k++) {
    c1[k] = 1.0 / sqrt((double)k + 1.0);
    c2[k] = sqrt((double)k) / sqrt((double)k + 1.0);
  }
  double w_sum = 0, s1[SG_NCAT][SG_NFEAT] = {{0}}, s2[SG_NCAT][SG_NFEAT] = {{0}};
  memset(m->ex, 0, sizeof m->ex);
  for (int i = 0; i <= SG_QT_N; i++) {
    double z = sg_qtable_z(i);
    double w = h * exp(-0.5 * z * z) / sqrt(2.0 * M_PI) * (i == 0 || i == SG_QT_N ? 0.5 : 1.0);
    w_sum += w;
    he[0] = 1.0; /* normalised: h_{k+1} = (z h_k - sqrt(k) h_{k-1}) / sqrt(k + 1) */
    he[1] = z;
    for (int k = 1; k < HERMITE_TERMS; k++)
      he[k + 1] = z * he[k] * c1[k] - he[k - 1] * c2[k];
    for (int c = 0; c < SG_NCAT; c++)
      for (int f = 0; f < SG_NFEAT; f++) {
        double x = cp->table[c][f].x[i], wx = w * x;
        double *a = m->ex[c][f].a;
        s1[c][f] += wx;
        s2[c][f] += wx * x;
        for (int k = 1; k <= HERMITE_TERMS; k++)
          a[k] += wx * he[k];
      }
  }
  for (int c = 0; c < SG_NCAT; c++)
    for (int f = 0; f < SG_NFEAT; f++) {
      expansion *e = &m->ex[c][f];
      e->mean = s1[c][f] / w_sum;
      e->var = s2[c][f] / w_sum - e->mean * e->mean;
      for (int k = 1; k <= HERMITE_TERMS; k++)
        e->a[k] /= w_sum;
    }
}

static double mixture_corr(const mixture *m, int f, int g, double r)
{
  return mixture_cov(m, f, g, r) / sqrt(m->var[f] * m->var[g]);
}

/* In place: R = L L^T, L in the lower triangle. @return 0, or -1 when R is
 * not positive definite. */
static int cholesky(double a[SG_NFEAT][SG_NFEAT])
{
  for (int j = 0; j < SG_NFEAT; j++) {
    double d = a[j][j];
    for (int k = 0; k < j; k++)
      d -= a[j][k] * a[j][k];
    if (!(d > 1e-10))
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

sg_err sg_copula_build(sg_copula *cp, const sg_config *c, const char *source)
{
  static _Thread_local mixture m;
  memset(cp, 0, sizeof *cp);
  memset(&m, 0, sizeof m);
  for (int k = 0; k < SG_NCAT; k++) {
    m.w[k] = c->share[k];
    for (int f = 0; f < SG_NFEAT; f++) {
      const sg_feature_info *fi = &sg_features()[f];
      sg_profile p = f == SG_F_LOUDNESS ? sg_config_loudness(c, k) : c->profile[k][f];
      sg_marginal mg = {fi->kind, p.mean, p.sd, fi->lo, fi->hi};
      sg_qtable_build(&mg, &cp->table[k][f]);
    }
  }
  expand_all(cp, &m);
  for (int f = 0; f < SG_NFEAT; f++) {
    for (int k = 0; k < SG_NCAT; k++)
      m.mean[f] += m.w[k] * m.ex[k][f].mean;
    for (int k = 0; k < SG_NCAT; k++) {
      double d = m.ex[k][f].mean - m.mean[f];
      m.var[f] += m.w[k] * (m.ex[k][f].var + d * d);
    }
    cp->mean[f] = m.mean[f];
    cp->sd[f] = sqrt(m.var[f]);
  }

  const char *src = source ? source : "(built-in)";
  for (int f = 0; f < SG_NFEAT; f++) {
    cp->latent[f][f] = 1.0;
    for (int g = f + 1; g < SG_NFEAT; g++) {
      double target = c->corr[f][g];
      double lo = -R_LIMIT, hi = R_LIMIT;
      double rlo = mixture_corr(&m, f, g, lo), rhi = mixture_corr(&m, f, g, hi);
      if (!(target >= rlo && target <= rhi))
        return sg_seterr(SG_EUSAGE,
                         "--config %s: correlations.%s.%s: %g cannot be reached with these "
                         "category profiles (reachable: %.2f .. %.2f)",
                         src, sg_features()[f].name, sg_features()[g].name, target, rlo, rhi);
      for (int it = 0; it < 60; it++) {
        double mid = 0.5 * (lo + hi);
        if (mixture_corr(&m, f, g, mid) < target)
          lo = mid;
        else
          hi = mid;
      }
      cp->latent[f][g] = cp->latent[g][f] = 0.5 * (lo + hi);
    }
  }
  memcpy(cp->chol, cp->latent, sizeof cp->chol);
  if (cholesky(cp->chol) != 0)
    return sg_seterr(SG_EUSAGE,
                     "--config %s: correlations: the targets cannot all hold at once with these "
                     "category profiles (the latent correlation matrix is not positive definite); "
                     "move some targets toward 0",
                     src);
  return SG_OK;
}
