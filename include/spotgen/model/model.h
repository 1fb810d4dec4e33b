/* model.h - global row index -> one row.
 *
 * sg_model_row() is a pure function of (seed, config, rows, row): the model
 * keeps caches (the playlist layout cursor, the current playlist, tracks and
 * artists) that make consecutive rows cheap, never state that changes a
 * value.
 *
 * A row is a track placed in a playlist. The playlist (and so the category)
 * comes from the layout; the track from the catalogue (sg_catalog_place),
 * drawn again while it is already in the playlist, so a playlist holds a
 * track once (unless it is longer than the tracks it can draw from). A
 * track is a pure function of (seed, track id), the same on every row that
 * places it: its artist (catalog.h), one of the artist's albums, its name,
 * its audio features from the copula with its category's marginals, key,
 * mode and time signature from tables of their frequencies, and popularity
 * from its position among rows plus small effects of danceability, energy
 * and recency, and noise.
 *
 * A new release (a track past the catalogue's, --days) is built from the
 * same stream in the same way, but its category, place and artist are the
 * catalogue's release's (catalog.h), its album is its single (named after
 * it, dated its day of release), and its popularity is its level's curve
 * (sg_catalog_release_popularity), which the tracks table shows day by day
 * (sg_model_popularity); a row placing it (the flat dataset's) shows its
 * level, the popularity it settles to, as a catalogue track's row shows
 * its own: the same on every row that places it, whatever the day. */
#ifndef SPOTGEN_MODEL_H
#define SPOTGEN_MODEL_H

#include <stdint.h>

#include "spotgen/model/catalog.h"
#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/model/row.h"

/* One track: every column a row takes from it. */
typedef struct sg_track {
  uint64_t index;
  uint64_t artist;          /* rank */
  uint64_t album;           /* sg_catalog_album_id */
  char id[SG_ID_LEN + 1];
  char artist_id[SG_ID_LEN + 1];
  uint8_t category;         /* the category its features fit */
  sg_text name;
  sg_text artist_name;
  sg_text album_name;
  int32_t release_date, release_year;
  int32_t popularity_score; /* a new release's: its level, rounded (the curve: sg_model_popularity) */
  int32_t released;         /* a new release's day of release (catalog.h), else 0 */
  double level;             /* a new release's popularity level (sg_catalog_release_level) */
  const sg_text *artist_genre;
  int32_t artist_popularity;
  int64_t artist_followers;
  int32_t energy, loudness, danceability, valence, tempo, acousticness, instrumentalness,
      speechiness, liveness, duration_ms, key, mode, time_signature;
} sg_track;

/* Caches. Entities are pure functions of their ids, so the rows never
 * depend on what the caches hold. The most placed tracks of each category
 * (the lowest ranks: about 80% of rows) and the most played artists are
 * kept once built, each in its own slot (artists interleaved by category:
 * rank x SG_NCAT + category); the other tracks and artists are built when
 * needed, and albums direct-mapped by a hash of their id. Only the pages
 * used count toward memory (376 bytes a track, 144 an artist, 76 an album:
 * at most 21, 5.6 and 1.2 MiB). New releases are direct-mapped. */
#define SG_ARTIST_CACHE (8192 * SG_NCAT) /* 8,192 most played artists per category */
#define SG_TRACK_HEAD 8192   /* ranks kept per category */
#define SG_TRACK_CACHE 16384 /* direct-mapped, for the rest */
#define SG_ALBUM_CACHE 16384
/* A track's popularity is its place's and artist's, plus popularity's
 * per_danceability, per_energy and per_year times the track's distance
 * from these centres (the year's: catalog.h), plus noise. */
#define SG_POP_CENTRE_DANCE 0.6
#define SG_POP_CENTRE_ENERGY 0.65

#define SG_MODEL_BATCH 64 /* rows computed together by sg_model_rows */
/* The tracks of the current playlist so far, a hash set sized to the
 * playlist: a playlist never crosses a layout block, so it holds at most
 * SG_LAYOUT_BLOCK rows. */
#define SG_PLAYLIST_SET (2 * SG_LAYOUT_BLOCK)

typedef struct sg_model {
  sg_catalog catalog;
  const sg_copula *copula;  /* shared, read-only */
  double pop_per_danceability, pop_per_energy, pop_per_year, pop_noise_sd;
  sg_layout layout;
  sg_playlist playlist;     /* cache: the playlist of the last row */
  int have_playlist;
  uint64_t placed;          /* rows of the playlist whose tracks are in `chosen` */
  sg_text category_name[SG_NCAT];
  uint8_t artist_built[SG_ARTIST_CACHE];
  uint8_t head_built[SG_NCAT][SG_TRACK_HEAD];
  uint64_t track_key[SG_TRACK_CACHE]; /* track id + 1; 0 when empty */
  uint64_t album_key[SG_ALBUM_CACHE]; /* album id + 1; 0 when empty */
  size_t set_mask;                    /* the set's size - 1, for the current playlist */
  /* not cleared by sg_model_init: valid where the fields above say so */
  uint64_t set[SG_PLAYLIST_SET];      /* the playlist's tracks as a hash set of id + 1 */
  uint64_t chosen[SG_LAYOUT_BLOCK];   /* the playlist's tracks, in order */
  sg_artist artists[SG_ARTIST_CACHE];
  sg_album albums[SG_ALBUM_CACHE];
  sg_track head[SG_NCAT][SG_TRACK_HEAD];
  sg_track tracks[SG_TRACK_CACHE];
} sg_model;

/*! sg_model_init() :
 *  A model for a dataset of `rows` rows under `seed` and `cfg`, drawing
 *  features through `copula` (built from the same `cfg`; the caller keeps
 *  it alive and may share it between models). */
void sg_model_init(sg_model *m, uint64_t seed, uint64_t rows, const sg_config *cfg,
                   const sg_copula *copula);

/*! sg_model_track() : track `t` (a pointer into the cache, valid until the
 *  next call). */
const sg_track *sg_model_track(sg_model *m, uint64_t t);

/*! sg_model_popularity() : the popularity track k shows at the end of day
 *  d (--days): a catalogue track's own; a new release's last count
 *  (sg_catalog_release_shown), from its release on. */
int32_t sg_model_popularity(const sg_model *m, const sg_track *k, int32_t d);

/*! sg_model_rows() : fills out[0 .. n-1] with global rows first .. first+n-1. */
void sg_model_rows(sg_model *m, uint64_t first, size_t n, sg_row *out);

/*! sg_model_row() : fills `out` with global row `row`. */
void sg_model_row(sg_model *m, uint64_t row, sg_row *out);

/*! sg_model_track_at() : the track global row `row` places (its id only:
 *  cheap, the track is not built). */
uint64_t sg_model_track_at(sg_model *m, uint64_t row);

/*! sg_model_place() : the row placing `track` at `position` of playlist
 *  `p`, a placement not among the dataset's rows (--days: added after day
 *  0); its `row` is UINT64_MAX. */
void sg_model_place(sg_model *m, const sg_playlist *p, uint32_t position, uint64_t track, sg_row *out);

#endif
