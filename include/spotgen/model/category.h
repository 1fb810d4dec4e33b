/* category.h - playlist categories, the copula's features, and their
 * default profiles (category.c, from the .def tables).
 *
 * A category is a name, a share of playlists, the templates its playlist
 * names are drawn from, and a profile: the mean and sd of every feature over
 * its tracks. The run's values (defaults or a --config file) live in
 * sg_config; this file only knows the fixed parts and the defaults. */
#ifndef SPOTGEN_CATEGORY_H
#define SPOTGEN_CATEGORY_H

#include "spotgen/model/dist.h"
#include "spotgen/model/words.h"

#define SG_NCAT 5

/* The features drawn through the copula, in its order. */
typedef enum sg_feature {
#define FEATURE(id, name, family, lo, hi) id,
#include "spotgen/model/features.def"
#undef FEATURE
  SG_NFEAT
} sg_feature;

typedef struct sg_feature_info {
  const char *name;   /* the column's name */
  sg_dist_kind kind;
  double lo, hi;      /* the column's range */
} sg_feature_info;

/* A feature's distribution in one category: the mean and sd of the whole,
 * and its fine structure (sg_marginal: zero and floor for the 0 .. 1
 * features, peak for tempo; 0 for none). */
typedef struct sg_profile {
  double mean, sd;
  double zero, floor;
  double peak, peak_at, peak_sd;
} sg_profile;

typedef struct sg_category_defaults {
  const char *name;
  double share;
  sg_profile profile[SG_NFEAT]; /* loudness left zero: it follows energy */
  /* Pearson r within the category's tracks, NAN where the category follows
   * the whole dataset's targets (correlations.def's CAT_CORR lines) */
  double corr[SG_NFEAT][SG_NFEAT];
} sg_category_defaults;

/*! sg_features() : the SG_NFEAT features in copula order. */
const sg_feature_info *sg_features(void);

/*! sg_feature_find() : the feature whose column is `name`, or -1. */
int sg_feature_find(const char *name);

/*! sg_category_name() : the name of category `c` (0 .. SG_NCAT-1). */
const char *sg_category_name(int c);

/*! sg_category_find() : the category called `name`, or -1. */
int sg_category_find(const char *name);

/*! sg_category_playlist_names() : the playlist-name templates of category `c`. */
const sg_wordlist *sg_category_playlist_names(int c);

/*! sg_category_genres() : how many genres category `c`'s artists make. */
unsigned sg_category_genres(int c);

/*! sg_category_genre() : genre `i` (below sg_category_genres(c)) of category `c`. */
const sg_text *sg_category_genre(int c, unsigned i);

/*! sg_category_defaults() : the default table row of category `c`. */
const sg_category_defaults *sg_category_defaults_of(int c);

/*! sg_default_correlation() : the default whole-dataset correlation of
 *  features `f` and `g` (1 on the diagonal, 0 for pairs not listed). */
double sg_default_correlation(int f, int g);

#endif
