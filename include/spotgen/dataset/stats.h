/* stats.h - mergeable partial statistics of rows.
 *
 * Each part's rows are summed into one sg_stats; rank 0 merges the parts'
 * stats in part order, so the result depends only on the parts, never on
 * how many ranks produced them. Moments are exact-merge (Chan et al.):
 * count, mean, co-moments (for the correlation matrix) and third moments
 * (for skewness); plus min, max, fixed-bin histograms per category,
 * per-category counts and sums, and release-year counts. */
#ifndef SPOTGEN_STATS_H
#define SPOTGEN_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/model/catalog.h"
#include "spotgen/model/category.h"
#include "spotgen/model/row.h"
#include "spotgen/dataset/schema.h"

__extension__ typedef __int128 sg_i128;
#define SG_NPAIRS (SG_NFEAT * (SG_NFEAT + 1) / 2)

/* Count, mean and second and third central moments of one variable. */
typedef struct sg_moments {
  uint64_t n;
  double mean, m2, m3;
} sg_moments;

/* Count, means and co-moments of a pair of variables. */
typedef struct sg_pair_moments {
  uint64_t n;
  double mx, my, cxx, cyy, cxy;
} sg_pair_moments;

typedef struct sg_stats {
  uint64_t rows;
  double mean[SG_NNUM];
  double comoment[SG_NNUM][SG_NNUM]; /* sum of (x_i - mean_i)(x_j - mean_j) */
  double m3[SG_NNUM];                /* sum of (x_i - mean_i)^3 */
  double min[SG_NNUM], max[SG_NNUM];
  uint64_t cat_rows[SG_NCAT];
  double cat_sum[SG_NCAT][SG_NNUM];
  uint64_t year_rows[SG_NYEARS];
  sg_moments log_followers; /* over playlists, each counted at its first row */
  /* a row's popularity_score and its artist's popularity (the artist
   * effect): only generate sees the artist's, so verify leaves it empty */
  sg_pair_moments artist_pop;
  /* Last, integers: a batch's are counted straight into them, the fields
   * above through a merge. A column's histogram is the sum over categories. */
  uint64_t hist[SG_NCAT][SG_NNUM][SG_HIST_MAX];
  uint64_t zeros[SG_NNUM];  /* rows whose value is exactly 0 */
  /* Per category, sums of products of the copula's features (numeric
   * columns SG_STAT_FEATURE + f) in raw units, sum x_f x_g for f <= g
   * (sg_stats_pair): exact, for the correlations within a category. */
  sg_i128 cat_cross[SG_NCAT][SG_NPAIRS];
} sg_stats;

/*! sg_stats_pair() : the index of features f <= g in cat_cross. */
static inline int sg_stats_pair(int f, int g)
{
  return f * SG_NFEAT - f * (f - 1) / 2 + (g - f);
}

/* The numeric column of the copula's first feature (energy); the others
 * follow in the copula's order (a unit test holds the two orders together). */
#define SG_STAT_FEATURE 2

/*! sg_stats_init() : empty statistics. */
void sg_stats_init(sg_stats *s);

/*! sg_stats_add() : adds a batch of `n` rows (two passes over the batch,
 *  then one merge), deterministic for a given sequence of batches. */
void sg_stats_add(sg_stats *s, const sg_row *rows, size_t n);

/*! sg_stats_add_values() :
 *  Adds `n` rows given as their SG_NNUM numeric values (as readers see
 *  them), categories and release years: how verify feeds what it parsed. */
void sg_stats_add_values(sg_stats *s, const double (*x)[SG_NNUM], const uint8_t *category,
                         const int32_t *year, size_t n);

/*! sg_moments_add() : adds `n` values (two passes, then one merge). */
void sg_moments_add(sg_moments *m, const double *x, size_t n);

/*! sg_moments_merge() : `into` becomes the moments of its values followed by `from`'s. */
void sg_moments_merge(sg_moments *into, const sg_moments *from);

/*! sg_pair_moments_merge() : `into` becomes the co-moments of its pairs
 *  followed by `from`'s. */
void sg_pair_moments_merge(sg_pair_moments *into, const sg_pair_moments *from);

/*! sg_pair_moments_corr() : Pearson r of the pairs (NAN without spread). */
double sg_pair_moments_corr(const sg_pair_moments *m);

/*! sg_moments_skewness() : sample skewness (g1). */
double sg_moments_skewness(const sg_moments *m);

/*! sg_stats_merge() : `into` becomes the statistics of its rows followed by
 *  those of `from`. */
void sg_stats_merge(sg_stats *into, const sg_stats *from);

/* The two halves of a merge. The fields before the histograms (the head,
 * SG_STATS_HEAD bytes: about 3 KB) merge by more than addition, so their
 * bits depend on the order of the merges; the histograms and the other
 * integers after them (70 KB) are sums, the same in any order. generate keeps only a part's head
 * until rank 0 merges the heads in part order, and each rank sums its
 * parts' histograms as it goes. */
#define SG_STATS_HEAD offsetof(sg_stats, hist)

/*! sg_stats_merge_head() : sg_stats_merge of the head only. */
void sg_stats_merge_head(sg_stats *into, const sg_stats *from);

/*! sg_stats_add_hist() : adds `from`'s histograms and other integers to `into`'s. */
void sg_stats_add_hist(sg_stats *into, const sg_stats *from);

/*! sg_stats_std() : sample standard deviation of numeric column `j`. */
double sg_stats_std(const sg_stats *s, int j);

/*! sg_stats_skewness() : sample skewness (g1) of numeric column `j`. */
double sg_stats_skewness(const sg_stats *s, int j);

/*! sg_stats_corr() : Pearson correlation of numeric columns `i` and `j`. */
double sg_stats_corr(const sg_stats *s, int i, int j);

/*! sg_stats_cat_corr() : Pearson correlation of features `f` and `g` (copula
 *  order) over the rows of category `c`'s playlists; NAN without spread. */
double sg_stats_cat_corr(const sg_stats *s, int c, int f, int g);

/*! sg_stats_hist() : the histogram of column `j` over all categories into
 *  `out` (SG_HIST_MAX bins). */
void sg_stats_hist(const sg_stats *s, int j, uint64_t *out);

/*! sg_stats_quantile() : quantile `p` of column `j` from its histogram
 *  (exact for integer columns with one bin per value, interpolated otherwise). */
double sg_stats_quantile(const sg_stats *s, int j, double p);

#endif
