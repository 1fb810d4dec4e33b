/* model.h - global row index -> one row.
 *
 * sg_model_row() is a pure function of (seed, config, rows, row): the model
 * keeps caches (the playlist layout cursor, the current playlist) that make
 * consecutive rows cheap, never state that changes a value.
 *
 * A row is a track placed in a playlist. The playlist (and so the category)
 * comes from the layout; the artist from the catalog's power law, then one
 * of the artist's albums; the audio features from the copula with the
 * category's marginals; key, mode and time signature from tables of their
 * frequencies; popularity from the artist's popularity plus small effects
 * of danceability, energy and recency, and noise. */
#ifndef SPOTGEN_MODEL_H
#define SPOTGEN_MODEL_H

#include <stdint.h>

#include "spotgen/model/catalog.h"
#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/model/row.h"

/* Caches of artists and albums. Entities are pure functions of their ids,
 * so the rows never depend on what the caches hold. The most played
 * artists (the lowest ranks) are kept once built, each in its own slot: the
 * power law sends most rows to them, and a rarely played artist is built
 * when needed without evicting one. Albums are direct-mapped by a hash of
 * their id. Only the pages used count toward memory (120 and 76 bytes
 * an entry: at most 7.5 and 2.4 MiB, with their keys about 10 MiB). */
#define SG_ARTIST_CACHE 65536
#define SG_ALBUM_CACHE 32768

#define SG_MODEL_BATCH 64 /* rows computed together by sg_model_rows */

typedef struct sg_model {
  sg_catalog catalog;
  const sg_copula *copula;  /* shared, read-only */
  double pop_per_danceability, pop_per_energy, pop_per_year, pop_noise_sd;
  sg_layout layout;
  sg_playlist playlist;     /* cache: the playlist of the last row */
  int have_playlist;
  sg_text category_name[SG_NCAT];
  sg_artist cold[SG_MODEL_BATCH]; /* artists ranked past the cache, for one batch */
  uint8_t artist_built[SG_ARTIST_CACHE];
  uint64_t album_key[SG_ALBUM_CACHE]; /* album id + 1; 0 when empty */
  /* not cleared by sg_model_init: valid where the fields above say so */
  sg_artist artists[SG_ARTIST_CACHE];
  sg_album albums[SG_ALBUM_CACHE];
} sg_model;

/*! sg_model_init() :
 *  A model for a dataset of `rows` rows under `seed` and `cfg`, drawing
 *  features through `copula` (built from the same `cfg`; the caller keeps
 *  it alive and may share it between models). */
void sg_model_init(sg_model *m, uint64_t seed, uint64_t rows, const sg_config *cfg,
                   const sg_copula *copula);

/*! sg_model_rows() : fills out[0 .. n-1] with global rows first .. first+n-1
 *  (the same rows as sg_model_row one by one, computed faster: the random
 *  words of SG_MODEL_BATCH rows at a time). */
void sg_model_rows(sg_model *m, uint64_t first, size_t n, sg_row *out);

/*! sg_model_row() : fills `out` with global row `row`. */
void sg_model_row(sg_model *m, uint64_t row, sg_row *out);

#endif
