/* copula.h - correlated audio features through a Gaussian copula.
 *
 * A track's features are one draw of SG_NFEAT latent standard normals with
 * its category's correlation matrix R_c, each mapped through the
 * category's marginal (a quantile table). The categories differ in their
 * marginals and in the pairs they set themselves (config cat_corr: Pearson
 * r within the category's tracks); every other pair takes one latent
 * correlation shared by the categories that do not set it.
 *
 * The whole dataset's targets hold over a mixture of categories whose
 * different means add correlation of their own. With Lancaster's expansion
 * of a Gaussian copula's covariance (a_k(c,X): the Hermite coefficients of
 * category c's marginal of X),
 *
 *   Cov_c(X,Y) = sum_k r_c^k a_k(c,X) a_k(c,Y)
 *   Cov(X,Y)   = sum_c w_c [ Cov_c(X,Y) + (mu_cX - mu_X)(mu_cY - mu_Y) ]
 *
 * sg_copula_build() solves, per pair, each setting category's r_c for its
 * own target, then the shared r that makes the mixture's Pearson r equal
 * the whole dataset's target (both rise with r). One Cholesky factor per
 * category then serves every row. */
#ifndef SPOTGEN_COPULA_H
#define SPOTGEN_COPULA_H

#include "spotgen/model/config.h"
#include "spotgen/model/dist.h"
#include "spotgen/base/err.h"

typedef struct sg_copula {
  sg_qtable table[SG_NCAT][SG_NFEAT];
  double latent[SG_NCAT][SG_NFEAT][SG_NFEAT]; /* R_c, solved */
  double chol[SG_NCAT][SG_NFEAT][SG_NFEAT];   /* lower triangle: R_c = L L^T */
  double mean[SG_NFEAT];                      /* of the whole mixture, predicted */
  double sd[SG_NFEAT];
  double pooled[SG_NFEAT][SG_NFEAT];          /* Pearson r of the whole, predicted */
  /* Pearson r over the rows of a category's playlists, predicted: its own
   * tracks and, catalog.crossover of the time, other categories' */
  double placed[SG_NCAT][SG_NFEAT][SG_NFEAT];
} sg_copula;

/*! sg_copula_build() :
 *  Quantile tables for every category and feature of `c`, the latent
 *  correlations that meet `c`'s targets, and their Cholesky factor.
 *  @return : SG_OK, or SG_EUSAGE naming the correlation that cannot be met
 *            (`source` names the config in the message). */
sg_err sg_copula_build(sg_copula *cp, const sg_config *c, const char *source);

/*! sg_copula_fit() :
 *  The Pearson correlations within one category, whose marginals are the
 *  tables `t`, that its Gaussian copula can give and that are nearest a
 *  sample's (`spotgen fit`): each pair's `want` (the sample's Pearson r)
 *  where a latent r reaches it, else the nearest end; then, if those latent
 *  correlations together are not a correlation matrix, moved toward
 *  `scores` (the sample's normal-scores correlations, which are one) in
 *  steps of 5% until they are. got[][] receives the Pearson r the copula
 *  then gives: the targets to configure, which sg_copula_build() meets.
 *  @return : how many pairs moved more than 0.005 from `want`. */
int sg_copula_fit(const sg_qtable t[SG_NFEAT], const double want[SG_NFEAT][SG_NFEAT],
                  const double scores[SG_NFEAT][SG_NFEAT], double got[SG_NFEAT][SG_NFEAT]);

/*! sg_copula_draw() :
 *  The features of a track of category `cat` from SG_NFEAT independent
 *  standard normals `eps`. */
static inline void sg_copula_draw(const sg_copula *cp, int cat, const double eps[SG_NFEAT],
                                  double out[SG_NFEAT])
{
  const double(*chol)[SG_NFEAT] = cp->chol[cat];
  for (int f = 0; f < SG_NFEAT; f++) {
    double z = 0;
    for (int g = 0; g <= f; g++)
      z += chol[f][g] * eps[g];
    out[f] = sg_qtable_eval(&cp->table[cat][f], z);
  }
}

#endif
