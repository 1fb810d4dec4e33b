/* catalog.h - artists, albums and playlists as pure functions of (seed, id).
 *
 * Nothing here is stored: an artist's name, an album's release date or a
 * playlist's followers are recomputed from the seed and the entity's id
 * wherever a row needs them, so every rank agrees without communicating and
 * memory stays flat at any scale.
 *
 * Artists follow a power law: the artist of a row is drawn by inverting the
 * continuous CDF of rank^-exponent over ranks 1 .. artists+1 (one pow() per
 * draw, no table), so the top 1% of artists hold a large share of rows. An
 * artist's popularity is a quantile of a Kumaraswamy distribution at the
 * artist's position among rows, which fixes the distribution of popularity
 * over rows, not over artists.
 *
 * Playlists own contiguous runs of rows. Rows are cut into layout blocks of
 * SG_LAYOUT_BLOCK rows; each block is filled with playlists whose sizes are
 * drawn from the block's own stream, so finding the playlist of a row only
 * needs its block. */
#ifndef SPOTGEN_CATALOG_H
#define SPOTGEN_CATALOG_H

#include <stdint.h>

#include "spotgen/model/config.h"
#include "spotgen/model/rng.h"
#include "spotgen/model/row.h"

#define SG_LAYOUT_BLOCK 65536u
#define SG_MAX_ALBUMS 64u
#define SG_FIRST_YEAR 2010
#define SG_LAST_YEAR 2023
#define SG_NYEARS (SG_LAST_YEAR - SG_FIRST_YEAR + 1)

/* Points of the table of the artist power law's inverse (sg_catalog_artist_rank). */
#define SG_RANK_N 4096

typedef struct sg_catalog {
  uint64_t seed;
  uint64_t artists;        /* number of artists */
  double artist_s;         /* 1 - the power law's exponent */
  double artist_span;      /* (artists + 1)^s - 1 */
  double rank_x[SG_RANK_N + 1]; /* the inverse at u = i / SG_RANK_N */
  double rank_err[SG_RANK_N];   /* bound on the chord's distance from it */
  double albums_mean;
  double pop_a, pop_b;     /* Kumaraswamy shape of artist popularity over rows */
  double cum_share[SG_NCAT];
  double playlist_mu;      /* log of the median playlist size */
  double playlist_sigma;   /* spread of log playlist size */
  uint32_t playlist_max;   /* longest playlist */
  double followers_mu;     /* log of the median followers */
  double followers_sigma;
} sg_catalog;

typedef struct sg_artist {
  uint64_t index;          /* rank: 0 is the most played */
  char id[SG_ID_LEN + 1];
  sg_text name;
  uint32_t albums;         /* 1 .. SG_MAX_ALBUMS */
  uint32_t album_offset;   /* rotates the album-name templates (see sg_catalog_album) */
  double popularity;       /* 0 .. 100, the centre of its tracks' popularity */
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

/*! sg_catalog_artist_rank() : the artist of a track, from the power law; `u` in (0,1). */
uint64_t sg_catalog_artist_rank(const sg_catalog *c, double u);

/*! sg_catalog_artist_share() : the expected share of rows of artists ranked below `rank`. */
double sg_catalog_artist_share(const sg_catalog *c, uint64_t rank);

/*! sg_catalog_album_id() : the numeric id of album `album` (0 .. albums-1) of `artist`. */
uint64_t sg_catalog_album_id(uint64_t artist, uint32_t album);

void sg_catalog_artist(const sg_catalog *c, uint64_t artist, sg_artist *out);

/*! sg_catalog_album() :
 *  Album `album` of artist `a`. Its name is unique within the artist: album j
 *  takes template (offset + j) mod T of a list whose templates produce
 *  disjoint sets of names, and rounds past T add " (Vol. k)". */
void sg_catalog_album(const sg_catalog *c, const sg_artist *a, uint32_t album, sg_album *out);

void sg_catalog_playlist(const sg_catalog *c, uint64_t playlist, sg_playlist *out);

/*! sg_layout_reset() : forgets the cursor's position. */
void sg_layout_reset(sg_layout *l);

/*! sg_layout_find() :
 *  Moves the cursor to the playlist holding global row `row` and returns its
 *  index. Cheap for increasing rows; any row works. */
uint64_t sg_layout_find(const sg_catalog *c, sg_layout *l, uint64_t row);

#endif
