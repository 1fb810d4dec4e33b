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
  memset(m, 0, offsetof(sg_model, chosen)); /* the caches' pages stay untouched */
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

/* The artist of rank a: kept in the cache when it is among the most
 * played, else built into m->cold. */
static const sg_artist *artist_of(sg_model *m, uint64_t a)
{
  if (a >= SG_ARTIST_CACHE) {
    sg_catalog_artist(&m->catalog, a, &m->cold);
    return &m->cold;
  }
  if (!m->artist_built[a]) {
    sg_catalog_artist(&m->catalog, a, &m->artists[a]);
    m->artist_built[a] = 1;
  }
  return &m->artists[a];
}

/* Track t from its own stream. The draws, in this order: the artist's
 * normal, the album, the name, the features, key, mode, meter, the
 * popularity noise. */
static void build_track(sg_model *m, uint64_t t, sg_track *out)
{
  const sg_catalog *c = &m->catalog;
  sg_rng r;
  sg_rng_init(&r, c->seed, SG_STREAM_TRACK, t);
  uint64_t rank;
  int cat = sg_catalog_track_home(c, t, &rank);
  double position = sg_catalog_track_position(c, t);
  const sg_artist *artist = artist_of(m, sg_catalog_track_artist(c, position, sg_rng_normal(&r)));
  uint32_t a = sg_rng_below(&r, artist->albums);
  sg_album album;
  sg_catalog_album(c, artist, a, &album);

  out->index = t;
  out->artist = artist->index;
  out->album = sg_catalog_album_id(artist->index, a);
  out->category = (uint8_t)cat;
  sg_make_id(out->id, c->seed, SG_STREAM_TRACK, t);
  memcpy(out->artist_id, artist->id, sizeof out->artist_id);
  sg_text_pick(&sg_track_templates, &r, &out->name);
  sg_text_copy(&out->artist_name, &artist->name);
  sg_text_copy(&out->album_name, &album.name);
  out->release_date = album.release_date;
  out->release_year = album.year;

  double eps[SG_NFEAT], x[SG_NFEAT];
  for (int f = 0; f < SG_NFEAT; f++)
    eps[f] = sg_rng_normal(&r);
  sg_copula_draw(m->copula, cat, eps, x);
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

  double pop = sg_catalog_popularity(c, position) +
               m->pop_per_danceability * (x[SG_F_DANCEABILITY] - POP_CENTRE_DANCE) +
               m->pop_per_energy * (x[SG_F_ENERGY] - POP_CENTRE_ENERGY) +
               m->pop_per_year * (album.year - POP_CENTRE_YEAR) +
               m->pop_noise_sd * sg_rng_normal(&r);
  out->popularity_score = round_i32(clamp(pop, 0.0, 100.0));
}

const sg_track *sg_model_track(sg_model *m, uint64_t t)
{
  size_t slot = (size_t)((t * 0x9E3779B97F4A7C15ull) >> 49);
  _Static_assert(SG_TRACK_CACHE == 1 << 15, "the track hash keeps 15 bits");
  if (m->track_key[slot] != t + 1) {
    build_track(m, t, &m->tracks[slot]);
    m->track_key[slot] = t + 1;
  }
  return &m->tracks[slot];
}

/* ---- the tracks of a playlist ------------------------------------------ */

#define MAX_REDRAWS 64 /* then a playlist longer than its catalogue repeats a track */

static size_t set_slot(uint64_t t) { return (size_t)((t * 0x9E3779B97F4A7C15ull) >> 47); }
_Static_assert(SG_PLAYLIST_SET == 1 << 17, "the playlist set's hash keeps 17 bits");

/* Whether t is in the playlist's set; `insert` adds it when it is not. */
static int set_has(sg_model *m, uint64_t t, int insert)
{
  for (size_t i = set_slot(t);; i = (i + 1) & (SG_PLAYLIST_SET - 1)) {
    if (m->set[i] == t + 1)
      return 1;
    if (m->set[i] == 0) {
      if (insert)
        m->set[i] = t + 1;
      return 0;
    }
  }
}

static void set_clear(sg_model *m)
{
  for (uint64_t i = 0; i < m->placed; i++)
    for (size_t s = set_slot(m->chosen[i]); m->set[s]; s = (s + 1) & (SG_PLAYLIST_SET - 1))
      m->set[s] = 0;
  m->placed = 0;
}

/* The track row `row` places: drawn from the row's stream until it is not
 * yet in its playlist. */
static uint64_t place(sg_model *m, uint64_t row, int category)
{
  sg_rng r;
  sg_rng_init(&r, m->catalog.seed, SG_STREAM_ROW, row);
  uint64_t t = 0;
  for (int i = 0; i < MAX_REDRAWS; i++) {
    t = sg_catalog_place(&m->catalog, category, &r);
    if (!set_has(m, t, 1))
      return t;
  }
  return t;
}

/* The track of `row`: the playlist's tracks are placed in order from its
 * first row, so a row's track depends only on its playlist's earlier rows. */
static uint64_t track_of_row(sg_model *m, uint64_t row)
{
  const sg_catalog *c = &m->catalog;
  uint64_t pi = sg_layout_find(c, &m->layout, row);
  if (!m->have_playlist || m->playlist.index != pi) {
    set_clear(m);
    sg_catalog_playlist(c, pi, &m->playlist);
    m->have_playlist = 1;
  }
  uint64_t at = row - m->layout.start;
  if (at < m->placed)
    return m->chosen[at];
  while (m->placed <= at) {
    m->chosen[m->placed] = place(m, m->layout.start + m->placed, m->playlist.category);
    m->placed++;
  }
  return m->chosen[at];
}

static void model_row(sg_model *m, uint64_t row, sg_row *out)
{
  uint64_t t = track_of_row(m, row);
  const sg_playlist *p = &m->playlist;
  const sg_track *k = sg_model_track(m, t);

  out->row = row;
  out->track = t;
  out->position = (uint32_t)(row - m->layout.start);
  out->artist = k->artist;
  out->album = k->album;
  out->playlist = p->index;
  out->category = (uint8_t)p->category;
  out->playlist_first = row == m->layout.start;
  out->release_year = k->release_year;
  memcpy(out->track_id, k->id, sizeof out->track_id);
  memcpy(out->artist_id, k->artist_id, sizeof out->artist_id);
  memcpy(out->playlist_id, p->id, sizeof out->playlist_id);
  sg_text_copy(&out->track_name, &k->name);
  sg_text_copy(&out->artist_name, &k->artist_name);
  sg_text_copy(&out->album_name, &k->album_name);
  sg_text_copy(&out->playlist_name, &p->name);
  out->playlist_category = &m->category_name[p->category];
  out->release_date = k->release_date;
  out->num_followers = p->followers;
  out->popularity_score = k->popularity_score;
  out->energy = k->energy;
  out->loudness = k->loudness;
  out->danceability = k->danceability;
  out->valence = k->valence;
  out->tempo = k->tempo;
  out->acousticness = k->acousticness;
  out->instrumentalness = k->instrumentalness;
  out->speechiness = k->speechiness;
  out->liveness = k->liveness;
  out->duration_ms = k->duration_ms;
  out->key = k->key;
  out->mode = k->mode;
  out->time_signature = k->time_signature;
}

void sg_model_rows(sg_model *m, uint64_t first, size_t n, sg_row *out)
{
  for (size_t i = 0; i < n; i++)
    model_row(m, first + i, &out[i]);
}

void sg_model_row(sg_model *m, uint64_t row, sg_row *out) { sg_model_rows(m, row, 1, out); }
