/* dist.h - distributions for the copula: the normal, Beta, truncated normal
 * and truncated log-normal, and quantile tables that map a latent standard
 * normal value straight to a marginal.
 *
 * The tables are built once at start-up (exact inverse CDFs, solved
 * numerically) and evaluated per row by linear interpolation in the latent
 * z, so no Phi() or incomplete-beta is ever evaluated in the hot loop. */
#ifndef SPOTGEN_DIST_H
#define SPOTGEN_DIST_H

#include <math.h>
#include <stdint.h>

#include "spotgen/model/rng.h"

#define SG_QT_ZMAX 6.0  /* tables span z in [-6, 6]; beyond, the end value */
#define SG_QT_N 2048    /* intervals of the table */
#define SG_QKNOTS 257   /* an empirical marginal's quantiles, at sg_knot_p(i) */
#define SG_QKNOT_Z 4.0  /* the knots' p are Phi of z evenly spaced over [-4, 4] */

typedef enum sg_dist_kind {
  SG_DIST_BETA,       /* Beta on [0, 1] with the given mean and sd */
  SG_DIST_TNORMAL,    /* Normal(mean, sd) truncated to [lo, hi] */
  SG_DIST_TLOGNORMAL, /* log-normal with the given mean and sd, truncated to [lo, hi] */
  SG_DIST_RLOGNORMAL  /* hi minus a log-normal, so skewed left: a long tail toward lo
                         (loudness: most music near its ceiling, quiet music far below) */
} sg_dist_kind;

/* A marginal: its family and the moments of the whole distribution, and
 * the fine structure Spotify's analyser gives some features:
 *   zero     a share of values exactly at lo (instrumentalness: about a
 *            third of tracks are 0.0), the rest from the family;
 *   floor    the lowest value the rest takes: the family is stretched over
 *            [floor, hi] (speechiness never falls below about 0.022);
 *   peak     a share of values from a narrow normal (peak_at, peak_sd),
 *            the rest from the family (tempo: dance music at 120-128 BPM).
 * mean and sd are always of the whole distribution (before truncation to
 * the column's range): the family's own are solved from them. zero and
 * floor apply to BETA, peak to TNORMAL; all 0 gives the plain family.
 *
 * knots, when not NULL, replaces the family: SG_QKNOTS quantiles of the
 * distribution (a sample's, `spotgen fit`) at p = sg_knot_p(i), joined by
 * straight lines in p (a point mass is a run of equal knots); mean and sd
 * are then those of the knots (sg_knots_moments) and the fine structure
 * is ignored. The knots' p are Phi(z) for z evenly spaced over [-4, 4],
 * the first 0 and the last 1 (the least and largest values): 1.2% apart
 * at the median, and 0.004% in the tails, where a linear spread between
 * two far apart knots would otherwise put weight where a real tail has
 * little. */
typedef struct sg_marginal {
  sg_dist_kind kind;
  double mean, sd;
  double lo, hi;      /* the column's range: truncation (TNORMAL, TLOGNORMAL, RLOGNORMAL) */
  double zero, floor;
  double peak, peak_at, peak_sd;
  const double *knots;
} sg_marginal;

typedef struct sg_qtable {
  double x[SG_QT_N + 1]; /* x[i] = F^-1(Phi(-ZMAX + i * 2 ZMAX / N)) */
} sg_qtable;

/*! sg_norm_cdf() : Phi(x). */
double sg_norm_cdf(double x);

/*! sg_norm_quantile() : Phi^-1(p) for p in (0, 1). */
double sg_norm_quantile(double p);

/*! sg_normal_u32() :
 *  The standard normal deviate at uniform 32-bit `u` (the quantile at
 *  (u + 0.5) / 2^32): a table of 2^14 exact quantiles, linearly interpolated,
 *  and the exact quantile in the outer 2^-10 of either tail. One random word
 *  per deviate, no transcendental function on the common path.
 *  sg_normal_init() must have run once (it is cheap and idempotent). */
double sg_normal_u32(uint32_t u);
void sg_normal_init(void);

/*! sg_rng_normal() : the next standard normal deviate of `r` (one word). */
static inline double sg_rng_normal(sg_rng *r) { return sg_normal_u32(sg_rng_u32(r)); }

/*! sg_kumaraswamy_quantile() : Kumaraswamy(a, b)'s quantile at p:
 *  (1 - (1 - p)^(1/b))^(1/a). */
static inline double sg_kumaraswamy_quantile(double a, double b, double p)
{
  return pow(1.0 - pow(1.0 - p, 1.0 / b), 1.0 / a);
}

/*! sg_beta_cdf() : the regularized incomplete beta I_x(a, b). */
double sg_beta_cdf(double x, double a, double b);

/*! sg_beta_shape() : Beta shape parameters with the given mean and sd.
 *  @return : 0, or -1 when no Beta has them (mean outside (0,1) or
 *            sd^2 >= mean (1 - mean)). */
int sg_beta_shape(double mean, double sd, double *a, double *b);

/*! sg_marginal_check() : NULL when `m` describes a distribution, else what is
 *  wrong with it (a static string for an error message). */
const char *sg_marginal_check(const sg_marginal *m);

/*! sg_knot_p() : the p of knot i: 0 for i = 0, 1 for SG_QKNOTS - 1, and
 *  Phi(-4 + 8 i / (SG_QKNOTS - 1)) between. */
double sg_knot_p(int i);

/*! sg_knots_moments() : the mean and sd of the distribution whose quantile
 *  function joins the SG_QKNOTS knots `q` by straight lines. */
void sg_knots_moments(const double *q, double *mean, double *sd);

/*! sg_knots_at() : that quantile function at p in [0, 1], its latent
 *  value being z = Phi^-1(p). */
double sg_knots_at(const double *q, double p, double z);

/*! sg_qtable_build() : the quantile table of `m` (which sg_marginal_check accepts). */
void sg_qtable_build(const sg_marginal *m, sg_qtable *t);

/*! sg_qtable_z() : the latent value of table point i. */
static inline double sg_qtable_z(int i) { return -SG_QT_ZMAX + i * (2.0 * SG_QT_ZMAX / SG_QT_N); }

/*! sg_qtable_eval() : the marginal's value for latent standard normal `z`. */
static inline double sg_qtable_eval(const sg_qtable *t, double z)
{
  double u = (z + SG_QT_ZMAX) * (SG_QT_N / (2.0 * SG_QT_ZMAX));
  if (!(u > 0))
    return t->x[0];
  if (u >= SG_QT_N)
    return t->x[SG_QT_N];
  int i = (int)u;
  double f = u - i;
  return t->x[i] + f * (t->x[i + 1] - t->x[i]);
}

#endif
