/* category.h - playlist categories and their audio profiles (category.c).
 *
 * One row of the table per category: its share of playlists, the templates
 * its playlist names are drawn from, and the centre and spread of the audio
 * features its tracks are drawn around. */
#ifndef SPOTGEN_CATEGORY_H
#define SPOTGEN_CATEGORY_H

#include "spotgen/words.h"

#define SG_NCAT 5

typedef struct sg_profile {
  double mean, sd;
} sg_profile;

typedef struct sg_category {
  const char *name;
  double share;             /* of playlists; the shares sum to 1 */
  sg_wordlist playlist_names;
  sg_profile energy, tempo, acousticness, danceability, valence;
} sg_category;

/*! sg_categories() : the SG_NCAT categories, in a fixed order. */
const sg_category *sg_categories(void);

/*! sg_category_pick() : the category whose cumulative share covers u in (0,1). */
int sg_category_pick(double u);

#endif
