/* catalog.h - tracks, artists, albums and playlists as pure functions of
 * (seed, id).
 *
 * Nothing here is stored: an artist's name, an album's release date or a
 * playlist's followers are recomputed from the seed and the entity's id
 * wherever a row needs them, so every rank agrees without communicating and
 * memory stays flat at any scale.
 *
 * Tracks form a catalogue whose size grows sublinearly with the rows
 * (sg_config_tracks), cut into one run of ids per category, the category
 * the track's features fit. A row places a track in a playlist: from the
 * playlist's category, or, for a `crossover` share, from a category drawn
 * by the categories' shares; within it by a Zipf-Mandelbrot power law over
 * the run (powerlaw.h), so a hit sits in thousands of playlists and most
 * tracks in one or two. A track's id within its run is its rank: 0 is the
 * most placed.
 *
 * Artists, like tracks, form one run per category (the genre family they
 * make music in; their primary genre is one of the category's), and follow
 * a power law within it. A track's artist is drawn from its category's
 * artists through a normal copula with the track's own rank (artist_link),
 * so hits tend to be by the most played artists. The number of artists
 * grows sublinearly with the rows, as tracks do (sg_config_artists). An
 * artist's fame is a latent normal: its place among its category's artists
 * by expected rows (artist_fame of it) and the artist's own luck; its
 * popularity (the Kumaraswamy quantile of it) and its followers
 * (log-normal in it) follow, and a track's popularity draws on it
 * (popularity.artist_share).
 *
 * New releases (generate --days) grow the catalogue past its `tracks`:
 * the ids from `tracks` on, in the order released, day by day. By the end
 * of day d, floor(P W(d)) have been released, P being the catalogue times
 * days.releases and W(d) the days 1 .. d weighted by their weekday (a
 * week's weights sum to 7, its Friday's 7 x release_friday), so a day's
 * releases are a run of ids and a release's day is found by bisection.
 * A day's run is cut by the categories' shares; within a category's cut a
 * release's rank (0: the day's hit) gives its place, log-uniformly (rank i
 * is placed in proportion to log((i + 2) / (i + 1))), its artist (through
 * the same copula as the catalogue's) and its popularity: its level (as a
 * catalogue track's: its place, its artist's fame, the year, luck) plus a
 * lift that decays, the whole rising after release (sg_catalog_release_
 * popularity). A release is a single: an album of its own, named after it.
 *
 * Playlists own contiguous runs of rows. Rows are cut into layout blocks of
 * SG_LAYOUT_BLOCK rows; each block is filled with playlists whose sizes are
 * drawn from the block's own stream, so finding the playlist of a row only
 * needs its block. */
#ifndef SPOTGEN_CATALOG_H
#define SPOTGEN_CATALOG_H

#include <stdint.h>

#include "spotgen/model/config.h"
#include "spotgen/model/powerlaw.h"
#include "spotgen/model/rng.h"
#include "spotgen/model/row.h"

#define SG_LAYOUT_BLOCK 65536u
#define SG_MAX_ALBUMS 64u
#define SG_FIRST_YEAR 2010
#define SG_LAST_YEAR 2023
#define SG_NYEARS (SG_LAST_YEAR - SG_FIRST_YEAR + 1)
#define SG_POP_CENTRE_YEAR 2016 /* popularity.per_year counts the years from this one */

typedef struct sg_catalog {
  uint64_t seed;
  uint64_t artists;        /* number of artists */
  uint64_t artist_first[SG_NCAT + 1]; /* category k's artists: [first[k], first[k+1]) */
  sg_powerlaw artist_law[SG_NCAT];    /* rows per artist ~ (rank + 1)^-exponent */
  double artist_fame;      /* weight of an artist's place in its fame */
  double artist_followers_mu, artist_followers_sigma;
  double pop_artist_share; /* weight of the artist's fame in a track's popularity */
  double pop_norm;         /* sd of the weighted sum, over rows */
  double albums_mean;
  uint64_t tracks;         /* in the catalogue */
  uint64_t track_first[SG_NCAT + 1]; /* category k's tracks: [first[k], first[k+1]) */
  sg_powerlaw track_law[SG_NCAT];    /* placements of a category's tracks by rank */
  double crossover;
  double artist_link;      /* normal-copula correlation of track and artist ranks */
  double pop_a, pop_b;     /* Kumaraswamy shape of popularity over rows */
  double cum_share[SG_NCAT];
  double playlist_mu;      /* log of the median playlist size */
  double playlist_sigma;   /* spread of log playlist size */
  uint32_t playlist_max;   /* longest playlist */
  double followers_mu;     /* log of the median followers */
  double followers_sigma;
  /* new releases (--days) */
  int32_t release_start;   /* day 0's date, days since 1970-01-01 */
  double release_per_day;  /* tracks released on an average day */
  double release_weight[7]; /* a day d's weight (a week's sum to 7) by d mod 7 */
  double release_week[8];  /* the weights of days 1 .. j of each week from day 0, summed */
  double release_pick[7][7]; /* a placement on day j mod 7: the weights of s = 0 .. 6 days
                                back (weight x e^(-s / decay)), summed */
  double release_lift, release_rise, release_decay, new_share;
  double pop_per_year, pop_noise_sd;
  double release_bound[SG_NCAT]; /* a day's releases of the category are at most
                                    its weight times this */
} sg_catalog;

/* A new release: what the catalogue says of track `tracks` + j. */
typedef struct sg_release {
  int32_t day;             /* the day it is released (>= 1) */
  int category;
  double zt;               /* its place among its day's releases of the category, as a latent normal */
  uint64_t artist;
  double luck;             /* a standard normal: its popularity's noise */
} sg_release;

/* The ages (days after release) at which a release's popularity is counted
 * again: the catalogue shows the count of the last (0: its release day's). */
#define SG_RECOUNTS 6
extern const int32_t sg_recount_age[SG_RECOUNTS];

typedef struct sg_artist {
  uint64_t index;          /* within its category's run, its rank: the lower, the more played */
  char id[SG_ID_LEN + 1];
  sg_text name;
  uint32_t albums;         /* 1 .. SG_MAX_ALBUMS */
  uint32_t album_offset;   /* rotates the album-name templates (see sg_catalog_album) */
  uint8_t category;        /* the run it is in */
  const sg_text *genre;    /* its primary genre, one of its category's */
  double fame;             /* latent standard normal (over rows) */
  int32_t popularity;      /* 0 .. 100 */
  int64_t followers;
} sg_artist;

typedef struct sg_album {
  sg_text name;
  int32_t release_date;    /* days since 1970-01-01 */
  int32_t year;
} sg_album;

typedef struct sg_playlist {
  uint64_t index;
  char id[SG_ID_LEN + 1];
  sg_text name;
  int category;
  int64_t followers;
} sg_playlist;

/* Where the layout cursor stands: the playlist covering rows [start, end). */
typedef struct sg_layout {
  uint64_t block;          /* UINT64_MAX before the first lookup */
  uint64_t playlist;       /* index of the current playlist */
  uint64_t start, end;
  sg_rng rng;              /* the block's size stream, positioned after `playlist` */
} sg_layout;

/*! sg_catalog_init() : the catalog of a dataset of `rows` rows under `seed`
 *  and configuration `cfg` (artists scale with the rows unless set). */
void sg_catalog_init(sg_catalog *c, uint64_t seed, uint64_t rows, const sg_config *cfg);

/*! sg_catalog_place() : the track a row of a playlist of `category`
 *  places, drawn from `r` (two or three draws). */
uint64_t sg_catalog_place(const sg_catalog *c, int category, sg_rng *r);

/*! sg_catalog_place_on() : the track a placement on day `day` (>= 1) of
 *  a playlist of `category` places, drawn from `r`: a new release with
 *  chance new_share (1 - e^(-day / release_decay)), the day of release
 *  drawn with weight e^(-age / release_decay) by the day's releases of the
 *  category, and within them by rank; else (or when no release is found in
 *  64 draws) as sg_catalog_place. */
uint64_t sg_catalog_place_on(const sg_catalog *c, int category, int32_t day, sg_rng *r);

/*! sg_catalog_released() : the new releases by the end of day d (0 for d <= 0). */
uint64_t sg_catalog_released(const sg_catalog *c, int32_t d);

/*! sg_catalog_release() : what the catalogue says of new release t
 *  (t >= c->tracks, released by some day). */
void sg_catalog_release(const sg_catalog *c, uint64_t t, sg_release *out);

/*! sg_catalog_release_level() : the popularity a release settles to: a
 *  catalogue track's (sg_catalog_track_popularity) of its place and artist,
 *  plus popularity.per_year for its year, plus its luck. */
double sg_catalog_release_level(const sg_catalog *c, const sg_release *rel, const sg_artist *a);

/*! sg_catalog_release_popularity() : a release's popularity (0 .. 100) at
 *  `age` days after release, its level `level`: (level + lift e^(-age /
 *  decay)) (1 - e^(-(age + 1) / rise)), rounded. */
int32_t sg_catalog_release_popularity(const sg_catalog *c, double level, int32_t age);

/*! sg_catalog_recount_moves() : whether recount i (of sg_recount_age)
 *  of a release of level `level` moves its popularity from the count
 *  before (its release day's for the first). */
int sg_catalog_recount_moves(const sg_catalog *c, double level, int i);

/*! sg_catalog_release_shown() : the popularity the catalogue shows `age`
 *  days after release: its count at the last recount age (or at release). */
int32_t sg_catalog_release_shown(const sg_catalog *c, double level, int32_t age);

/*! sg_catalog_single_id() : the numeric album id of new release t's single. */
uint64_t sg_catalog_single_id(const sg_catalog *c, uint64_t t);

/*! sg_catalog_track_home() : the category whose tracks' run holds track
 *  `t`; *rank is its rank there (0: the most placed). */
int sg_catalog_track_home(const sg_catalog *c, uint64_t t, uint64_t *rank);

/*! sg_catalog_track_position() : the expected share of its category's
 *  placements held by tracks placed less than track `t`, at the middle of
 *  its own (near 1 for the category's hit, near 0 for its rarest track). */
double sg_catalog_track_position(const sg_catalog *c, uint64_t t);

/*! sg_catalog_latent() : the standard normal at a position in (0, 1)
 *  (Phi^-1, kept off the ends): a track's place as a latent value,
 *  computed once per track for the two functions below. */
double sg_catalog_latent(double position);

/*! sg_catalog_track_artist() : the artist of a track of `category` whose
 *  place is `zt` (sg_catalog_latent of its sg_catalog_track_position),
 *  given a standard normal `z` of the track's. */
uint64_t sg_catalog_track_artist(const sg_catalog *c, int category, double zt, double z);

/*! sg_catalog_artist_home() : the category whose artists' run holds artist
 *  `a`; *rank is its rank there. */
int sg_catalog_artist_home(const sg_catalog *c, uint64_t a, uint64_t *rank);

/*! sg_catalog_popularity() : the base popularity (0 .. 100) at a position
 *  among rows: the Kumaraswamy quantile, so the base over rows follows it. */
double sg_catalog_popularity(const sg_catalog *c, double position);

/*! sg_catalog_track_popularity() : a track's base popularity (0 .. 100)
 *  from its place `zt` (as for sg_catalog_track_artist) and its artist's fame: the Kumaraswamy quantile of
 *  their weighted latent sum, scaled back to a standard normal over rows,
 *  so the base over rows keeps its distribution. */
double sg_catalog_track_popularity(const sg_catalog *c, double zt, const sg_artist *a);

/*! sg_catalog_album_id() : the numeric id of album `album` (0 .. albums-1) of `artist`. */
uint64_t sg_catalog_album_id(uint64_t artist, uint32_t album);

void sg_catalog_artist(const sg_catalog *c, uint64_t artist, sg_artist *out);

/*! sg_catalog_album() :
 *  Album `album` of artist `a`. Its name is unique within the artist: album j
 *  takes template (offset + j) mod T of a list whose templates produce
 *  disjoint sets of names, and rounds past T add " (Vol. k)". */
void sg_catalog_album(const sg_catalog *c, const sg_artist *a, uint32_t album, sg_album *out);

void sg_catalog_playlist(const sg_catalog *c, uint64_t playlist, sg_playlist *out);

/*! sg_catalog_playlist_size() : a playlist's tracks, drawn from `r` (one
 *  draw): log-normal, 1 .. playlist_max. */
uint32_t sg_catalog_playlist_size(const sg_catalog *c, sg_rng *r);

/*! sg_layout_reset() : forgets the cursor's position. */
void sg_layout_reset(sg_layout *l);

/*! sg_layout_find() :
 *  Moves the cursor to the playlist holding global row `row` and returns its
 *  index. Cheap for increasing rows; any row works. */
uint64_t sg_layout_find(const sg_catalog *c, sg_layout *l, uint64_t row);

/*! sg_layout_block_playlists() : how many playlists layout block `block`
 *  holds in a dataset of `rows` rows (the last is cut at the block's end,
 *  or at the dataset's). */
uint64_t sg_layout_block_playlists(const sg_catalog *c, uint64_t block, uint64_t rows);

/*! sg_layout_playlist_rows() : the rows [*start, *end) of playlist `index`
 *  (block * SG_LAYOUT_BLOCK + its number in the block) of a dataset of
 *  `rows` rows. */
void sg_layout_playlist_rows(const sg_catalog *c, uint64_t index, uint64_t rows, uint64_t *start,
                             uint64_t *end);

#endif
