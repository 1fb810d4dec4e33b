/* copula.h - correlated audio features through a Gaussian copula.
 *
 * A track's features are one draw of SG_NFEAT latent standard normals with
 * correlation matrix R, each mapped through its category's marginal (a
 * quantile table). R is the same in every category; the categories differ
 * in their marginals.
 *
 * The user's correlation targets hold over the whole dataset, a mixture of
 * categories whose different means add correlation of their own. For each
 * pair, sg_copula_build() therefore solves for the latent correlation r that
 * makes the mixture's Pearson correlation equal the target:
 *
 *   Cov(X,Y) = sum_c w_c [ sum_k r^k a_k(c,X) a_k(c,Y) + (mu_cX - mu_X)(mu_cY - mu_Y) ]
 *
 * where a_k(c,X) are the Hermite coefficients of category c's marginal of X
 * (Lancaster's expansion of a Gaussian copula's covariance). Then one
 * Cholesky factor of R serves every row. */
#ifndef SPOTGEN_COPULA_H
#define SPOTGEN_COPULA_H

#include "spotgen/model/config.h"
#include "spotgen/model/dist.h"
#include "spotgen/base/err.h"

typedef struct sg_copula {
  sg_qtable table[SG_NCAT][SG_NFEAT];
  double latent[SG_NFEAT][SG_NFEAT]; /* R, solved */
  double chol[SG_NFEAT][SG_NFEAT];   /* lower triangle: R = L L^T */
  double mean[SG_NFEAT];             /* of the whole mixture, predicted */
  double sd[SG_NFEAT];
} sg_copula;

/*! sg_copula_build() :
 *  Quantile tables for every category and feature of `c`, the latent
 *  correlations that meet `c`'s targets, and their Cholesky factor.
 *  @return : SG_OK, or SG_EUSAGE naming the correlation that cannot be met
 *            (`source` names the config in the message). */
sg_err sg_copula_build(sg_copula *cp, const sg_config *c, const char *source);

/*! sg_copula_draw() :
 *  The features of a track of category `cat` from SG_NFEAT independent
 *  standard normals `eps`. */
static inline void sg_copula_draw(const sg_copula *cp, int cat, const double eps[SG_NFEAT],
                                  double out[SG_NFEAT])
{
  for (int f = 0; f < SG_NFEAT; f++) {
    double z = 0;
    for (int g = 0; g <= f; g++)
      z += cp->chol[f][g] * eps[g];
    out[f] = sg_qtable_eval(&cp->table[cat][f], z);
  }
}

#endif
