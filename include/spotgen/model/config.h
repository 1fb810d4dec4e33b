/* config.h - the model's parameters: category mix and profiles, loudness,
 * correlation targets, catalog sizes and shapes, popularity.
 *
 * sg_config_default() gives the built-in values (the .def tables);
 * sg_config_apply_json() overrides any subset from a --config file, and
 * sg_config_json() writes the whole effective configuration, which is itself
 * a valid --config file (the manifest records it). Everything generated is a
 * function of (seed, config, rows, rows per part, format). */
#ifndef SPOTGEN_CONFIG_H
#define SPOTGEN_CONFIG_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "spotgen/model/category.h"
#include "spotgen/base/err.h"

/* The rates of the world's change, day by day (generate --days, days.h). */
typedef struct sg_days_rates {
  double births;             /* playlists born a day, as a share of day 0's */
  double deaths;             /* chance a day that a playlist is deleted */
  double edited;             /* share of playlists their owners keep editing */
  double edit_tracks;        /* mean tracks added at an edit (1 + Poisson) */
  double edit_removal;       /* chance a placement is removed at an edit */
  double follower_growth;    /* mean daily growth of log followers of day 0's playlists */
  double follower_growth_sd; /* its spread between playlists */
  double follower_noise;     /* sd of log followers at a count */
  double follower_rise_days; /* a new playlist reaches 63% of its level in this many days */
  double releases;           /* new tracks released a day, as a share of the catalogue */
  double release_friday;     /* share of a week's releases that come out on its Friday */
  double release_lift;       /* popularity points a new release has above its level, at first */
  double release_rise_days;  /* a new release's popularity rises with this time constant */
  double release_decay_days; /* and its lift decays with this one */
  double new_share;          /* share of the tracks placed after day 0 that are new releases,
                                once the run's releases are older than release_decay_days */
  int32_t start;             /* day 0's date (days since 1970-01-01): set from --start, not by
                                --config (it fixes the releases' weekdays) */
} sg_days_rates;

typedef struct sg_config {
  double share[SG_NCAT];                 /* of playlists; sum to 1 */
  sg_profile profile[SG_NCAT][SG_NFEAT]; /* loudness: see sg_config_loudness() */
  /* an empirical marginal (`spotgen fit`) where quantiles[k][f]: the
   * feature's quantiles at p = i / (SG_QKNOTS - 1), in place of the family
   * (the profile's mean and sd are then the knots') */
  uint8_t quantiles[SG_NCAT][SG_NFEAT];
  double knots[SG_NCAT][SG_NFEAT][SG_QKNOTS];
  double loud_intercept_db;              /* a category's loudness mean is */
  double loud_slope_db;                  /*   intercept + slope * its energy mean, */
  double loud_cv;                        /*   its sd cv x (0 dB - mean) */
  double corr[SG_NFEAT][SG_NFEAT];       /* whole-dataset Pearson targets */
  /* Pearson r within a category's tracks, NAN where the category takes the
   * pair's shared latent correlation (solved for the target above) */
  double cat_corr[SG_NCAT][SG_NFEAT][SG_NFEAT];
  /* catalog */
  uint64_t artists;           /* 0: grow with the rows (sg_config_artists) */
  double artists_growth;      /* the artists grow as rows^growth */
  double artist_exponent;     /* rows of the artist of rank r ~ r^-exponent, in (0, 1) */
  double artist_fame;         /* weight of an artist's place in its fame (the rest: luck) */
  double artist_followers_median;
  double artist_followers_sigma; /* of log followers, per unit of fame */
  double albums_mean;         /* extra albums of an average artist (more for popular ones) */
  double playlist_median;     /* tracks */
  double playlist_sigma;      /* of log size */
  uint32_t playlist_max;
  double followers_median;
  double followers_sigma;     /* of log followers */
  /* tracks: a catalogue of tracks, placed in playlists (catalog.h) */
  uint64_t tracks;            /* 0: grow with the rows (sg_config_tracks) */
  double tracks_growth;       /* the catalogue grows as rows^growth */
  double track_exponent;      /* placements of the track of rank r ~ (r + offset)^-exponent */
  double track_offset;
  double crossover;           /* share of a playlist's tracks from other categories */
  double artist_link;         /* normal-copula correlation of a track's and its artist's ranks */
  /* popularity: a track's base from a Kumaraswamy(a, b) over rows, plus effects */
  double pop_track_a, pop_track_b;
  double pop_artist_share;    /* weight of the artist's fame in a track's (the rest: its place) */
  double pop_noise_sd;
  double pop_per_danceability, pop_per_energy; /* points per unit of the feature */
  double pop_per_year;                         /* points per year after 2016 */
  sg_days_rates days;         /* --days */
} sg_config;

/*! sg_config_default() : the built-in configuration. */
void sg_config_default(sg_config *c);

/*! sg_config_apply_json() :
 *  Overrides `c` with the keys of the JSON document `text`, then checks the
 *  whole. `source` names the document in messages (a file name).
 *  @return : SG_OK, or SG_EUSAGE with one line naming the key and the problem
 *            (`c` is then unspecified). */
sg_err sg_config_apply_json(sg_config *c, const char *text, const char *source);

/*! sg_config_apply() : the same, from a parsed document. */
sg_err sg_config_apply(sg_config *c, const cJSON *doc, const char *source);

/*! sg_config_loudness() : the loudness profile of category `cat`. */
sg_profile sg_config_loudness(const sg_config *c, int cat);

/*! sg_config_marginal() : the distribution of feature `f` in category `cat`. */
sg_marginal sg_config_marginal(const sg_config *c, int cat, int f);

/*! sg_config_pair_shared() : how many categories take the shared latent
 *  correlation of features f and g (0: every category sets its own, and the
 *  whole dataset's target is not one). */
int sg_config_pair_shared(const sg_config *c, int f, int g);

/*! sg_config_fitted() : whether any marginal is empirical (quantiles):
 *  a model `spotgen fit` made, which follows its sample rather than the
 *  built-in figures verify's targets describe. */
int sg_config_fitted(const sg_config *c);

/*! sg_config_artists() : the number of artists for a dataset of `rows`:
 *  artists, else SG_MPD_ARTISTS x (rows / SG_MPD_ROWS)^artists_growth, at
 *  least 100. */
uint64_t sg_config_artists(const sg_config *c, uint64_t rows);

/*! sg_config_tracks() : the number of tracks in the catalogue of a
 *  dataset of `rows`: tracks, else SG_MPD_TRACKS x (rows / SG_MPD_ROWS)^growth,
 *  at least 100. */
uint64_t sg_config_tracks(const sg_config *c, uint64_t rows);

/* The Million Playlist Dataset's size, to which the catalogue's default
 * growth is calibrated: 66.3M placements hold 2.26M distinct tracks; a
 * catalogue of 4.5M placed by the default law shows about 2.7M of them. */
#define SG_MPD_ROWS 66.3e6
#define SG_MPD_TRACKS 4.5e6
/* Its 295,860 artists (and 734,684 albums) hold those tracks; artists
 * placed by the default laws show about as many of them (docs/model.md). */
#define SG_MPD_ARTISTS 300e3

/*! sg_config_json() : the whole configuration as a --config document. */
cJSON *sg_config_json(const sg_config *c);

#endif
