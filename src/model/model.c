/* model.c - one row: catalog lookups, the copula, the discrete columns and
 * popularity (model.h). */
#include "spotgen/model/model.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "spotgen/model/category.h"
#include "spotgen/model/ids.h"
#include "spotgen/model/words.h"

/* Musical keys C, C#, D ... B: how often each occurs, and how often a track
 * in it is in a major mode (together about 63% major), as in Spotify's
 * catalogue. */
static const double KEY_SHARE[12] = {0.120, 0.090, 0.105, 0.030, 0.075, 0.085,
                                     0.065, 0.115, 0.065, 0.100, 0.070, 0.080};
static const double KEY_MAJOR[12] = {0.75, 0.55, 0.72, 0.60, 0.55, 0.65,
                                     0.55, 0.75, 0.60, 0.60, 0.60, 0.45};
/* Time signatures 2 .. 5: nearly everything is in 4. */
static const double METER_SHARE[4] = {0.010, 0.085, 0.880, 0.025};

#define POP_CENTRE_DANCE 0.6
#define POP_CENTRE_ENERGY 0.65
#define POP_CENTRE_YEAR 2016

static double clamp(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

/* Nearest integer, halves away from zero, inline (lround is a libm call). */
static int32_t round_i32(double x) { return (int32_t)(x < 0 ? x - 0.5 : x + 0.5); }

/* Fixed point with `scale` units per 1, rounded to nearest. */
static int32_t fixed(double x, double scale) { return round_i32(x * scale); }

static int pick(const double *share, int n, double u)
{
  int i = 0;
  while (i < n - 1 && !(u < share[i]))
    u -= share[i++];
  return i;
}

void sg_model_init(sg_model *m, uint64_t seed, uint64_t rows, const sg_config *cfg,
                   const sg_copula *copula)
{
  memset(m, 0, offsetof(sg_model, artists)); /* the caches' pages stay untouched */
  sg_normal_init();
  sg_catalog_init(&m->catalog, seed, rows, cfg);
  m->copula = copula;
  m->pop_per_danceability = cfg->pop_per_danceability;
  m->pop_per_energy = cfg->pop_per_energy;
  m->pop_per_year = cfg->pop_per_year;
  m->pop_noise_sd = cfg->pop_noise_sd;
  sg_layout_reset(&m->layout);
  for (int k = 0; k < SG_NCAT; k++) {
    snprintf(m->category_name[k].s, sizeof m->category_name[k].s, "%s", sg_category_name(k));
    sg_text_done(&m->category_name[k]);
  }
}


/* Blocks of the row stream computed ahead for each row: a row takes about
 * 20 words; the rare row that takes more computes the rest itself. */
#define ROW_BLOCKS 6
#define ROW_WORDS (4 * ROW_BLOCKS)

/* A batch's rows, as far as its first passes got: the artist and album
 * drawn from the row's words 0 and 1. */
typedef struct planned {
  const sg_artist *artist;
  uint64_t album_id;
  uint32_t album;        /* of the artist's albums */
  size_t slot;           /* in the album cache */
} planned;

static void model_row(sg_model *m, uint64_t row, const uint32_t *words, const planned *pl,
                      sg_row *out)
{
  const sg_catalog *c = &m->catalog;
  uint64_t pi = sg_layout_find(c, &m->layout, row);
  if (!m->have_playlist || m->playlist.index != pi) {
    sg_catalog_playlist(c, pi, &m->playlist);
    m->have_playlist = 1;
  }
  const sg_playlist *p = &m->playlist;
  const sg_artist *artist = pl->artist;
  sg_album *album = &m->albums[pl->slot];
  if (m->album_key[pl->slot] != pl->album_id + 1) {
    sg_catalog_album(c, artist, pl->album, album);
    m->album_key[pl->slot] = pl->album_id + 1;
  }

  /* The draws of a row, in this order: artist, album (both taken by
   * sg_model_rows), track name, features, key, mode, meter, popularity
   * noise. */
  sg_rng r;
  sg_rng_init_words(&r, c->seed, SG_STREAM_ROW, row, words, ROW_BLOCKS);
  r.pos = 2; /* words 0 and 1 went to the artist and the album */
  sg_text_pick(&sg_track_templates, &r, &out->track_name);

  out->row = row;
  out->artist = artist->index;
  out->album = pl->album_id;
  out->playlist = p->index;
  out->category = (uint8_t)p->category;
  out->playlist_first = row == m->layout.start;
  out->release_year = album->year;
  sg_make_id(out->track_id, c->seed, SG_STREAM_ROW, row);
  memcpy(out->artist_id, artist->id, sizeof out->artist_id);
  memcpy(out->playlist_id, p->id, sizeof out->playlist_id);
  sg_text_copy(&out->artist_name, &artist->name);
  sg_text_copy(&out->album_name, &album->name);
  sg_text_copy(&out->playlist_name, &p->name);
  out->playlist_category = &m->category_name[p->category];
  out->release_date = album->release_date;
  out->num_followers = p->followers;

  double eps[SG_NFEAT], x[SG_NFEAT];
  for (int f = 0; f < SG_NFEAT; f++)
    eps[f] = sg_rng_normal(&r);
  sg_copula_draw(m->copula, p->category, eps, x);
  out->energy = fixed(x[SG_F_ENERGY], 1e4);
  out->loudness = fixed(x[SG_F_LOUDNESS], 1e3);
  out->danceability = fixed(x[SG_F_DANCEABILITY], 1e4);
  out->valence = fixed(x[SG_F_VALENCE], 1e4);
  out->tempo = fixed(x[SG_F_TEMPO], 1e3);
  out->acousticness = fixed(x[SG_F_ACOUSTICNESS], 1e4);
  out->instrumentalness = fixed(x[SG_F_INSTRUMENTALNESS], 1e4);
  out->speechiness = fixed(x[SG_F_SPEECHINESS], 1e4);
  out->liveness = fixed(x[SG_F_LIVENESS], 1e4);
  out->duration_ms = round_i32(x[SG_F_DURATION]);

  out->key = pick(KEY_SHARE, 12, sg_rng_u01(&r));
  out->mode = sg_rng_u01(&r) < KEY_MAJOR[out->key];
  out->time_signature = 2 + pick(METER_SHARE, 4, sg_rng_u01(&r));

  double pop = artist->popularity +
               m->pop_per_danceability * (x[SG_F_DANCEABILITY] - POP_CENTRE_DANCE) +
               m->pop_per_energy * (x[SG_F_ENERGY] - POP_CENTRE_ENERGY) +
               m->pop_per_year * (album->year - POP_CENTRE_YEAR) +
               m->pop_noise_sd * sg_rng_normal(&r);
  out->popularity_score = round_i32(clamp(pop, 0.0, 100.0));
}

/* The artist of rank a: kept in the cache when it is among the most
 * played, else built into `cold`. */
static const sg_artist *artist_of(sg_model *m, uint64_t a, sg_artist *cold)
{
  if (a >= SG_ARTIST_CACHE) {
    sg_catalog_artist(&m->catalog, a, cold);
    return cold;
  }
  if (!m->artist_built[a]) {
    sg_catalog_artist(&m->catalog, a, &m->artists[a]);
    m->artist_built[a] = 1;
  }
  return &m->artists[a];
}

/* Asks for a record's cache lines (up to three of 64 bytes). */
static void prefetch_record(const void *p, size_t size)
{
  const char *c = p;
  __builtin_prefetch(c);
  __builtin_prefetch(c + size / 2);
  __builtin_prefetch(c + size - 1);
}

void sg_model_rows(sg_model *m, uint64_t first, size_t n, sg_row *out)
{
  uint32_t words[SG_MODEL_BATCH * ROW_WORDS];
  uint64_t rank[SG_MODEL_BATCH];
  planned pl[SG_MODEL_BATCH];
  const sg_catalog *c = &m->catalog;
  for (size_t i = 0; i < n; i += SG_MODEL_BATCH) {
    unsigned k = n - i < SG_MODEL_BATCH ? (unsigned)(n - i) : SG_MODEL_BATCH;
    sg_philox_rows(c->seed, SG_STREAM_ROW, first + i, k, ROW_BLOCKS, words);
    /* Passes over the batch, so that the artists' and albums' records are
     * on their way from memory while other rows are worked on. First the
     * artists, from the power law. */
    for (unsigned r = 0; r < k; r++) {
      rank[r] = sg_catalog_artist_rank(c, sg_u01(words[ROW_WORDS * r]));
      if (rank[r] < SG_ARTIST_CACHE)
        prefetch_record(&m->artists[rank[r]], sizeof m->artists[0]);
    }
    /* then the albums, which need the artist's count of them */
    for (unsigned r = 0; r < k; r++) {
      const sg_artist *a = artist_of(m, rank[r], &m->cold[r]);
      uint32_t album = sg_below(words[ROW_WORDS * r + 1], a->albums);
      uint64_t id = sg_catalog_album_id(rank[r], album);
      _Static_assert(SG_ALBUM_CACHE == 1 << 15, "the album hash keeps 15 bits");
      size_t slot = (size_t)((id * 0x9E3779B97F4A7C15ull) >> 49);
      pl[r] = (planned){a, id, album, slot};
      __builtin_prefetch(&m->album_key[slot]);
      prefetch_record(&m->albums[slot], sizeof m->albums[0]);
    }
    for (unsigned r = 0; r < k; r++)
      model_row(m, first + i + r, words + ROW_WORDS * r, &pl[r], &out[i + r]);
  }
}

void sg_model_row(sg_model *m, uint64_t row, sg_row *out) { sg_model_rows(m, row, 1, out); }
