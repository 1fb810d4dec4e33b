/* model.c - one row: catalog lookups, the copula, the discrete columns and
 * popularity (model.h). */
#include "spotgen/model/model.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "spotgen/base/numfmt.h"
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

#define HUGE_PAGE (2u << 20)
#define TRACK_BLOCKS 6

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
  memset(m, 0, offsetof(sg_model, set)); /* the caches' pages stay untouched */
  /* The caches are read at random: huge pages spare the TLB (where the
   * kernel gives them on request; nothing changes where it does not). */
  uintptr_t lo = ((uintptr_t)m->set + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
  uintptr_t hi = ((uintptr_t)m + sizeof *m) & ~(uintptr_t)(HUGE_PAGE - 1);
  if (hi > lo)
    madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
  memset(m->set, 0, sizeof m->set); /* set_reset clears only what a playlist used */
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

/* Asks for a record's cache lines. */
static void prefetch_record(const void *p, size_t size)
{
  for (size_t off = 0; off < size; off += 64)
    __builtin_prefetch((const char *)p + off);
}

/* The cache slot of artist a: each category's most played artists have
 * their own, interleaved; -1 for the others. */
static long artist_slot(const sg_model *m, uint64_t a)
{
  uint64_t rank;
  int k = sg_catalog_artist_home(&m->catalog, a, &rank);
  return rank < SG_ARTIST_CACHE / SG_NCAT ? (long)(rank * SG_NCAT + (uint64_t)k) : -1;
}

/* The artist in cache slot `slot` (artist_slot(a)), kept once built. */
static const sg_artist *artist_of(sg_model *m, uint64_t a, long slot)
{
  if (!m->artist_built[slot]) {
    sg_catalog_artist(&m->catalog, a, &m->artists[slot]);
    m->artist_built[slot] = 1;
  }
  return &m->artists[slot];
}

/* A track is built in three stages, so that sg_model_rows can have the
 * records a stage needs (its artist, then its album) on their way from
 * memory while it works on other tracks. The draws of its stream, in this
 * order: the artist's normal, the album, the name, the features, key,
 * mode, meter, the popularity noise. */
typedef struct pending {
  uint64_t t;
  int category;
  double zt;                /* its place among its category's rows, as a latent normal */
  uint64_t artist;          /* numeric id */
  long slot;                /* its cache slot, or -1 */
  const sg_artist *a;       /* once known: in the cache, or `cold` */
  sg_artist cold;
  uint32_t album;           /* of the artist's albums (a new release: none) */
  sg_release rel;           /* a new release's, where t >= the catalogue's tracks */
  sg_rng r;                 /* the track's stream, after the draws so far */
} pending;


/* Stage 1: the track's stream, its place among rows, its artist. */
static void build_begin(sg_model *m, uint64_t t, pending *p)
{
  const sg_catalog *c = &m->catalog;
  /* A track takes about 20 words: its first blocks at once (in AVX2 lanes
   * where the CPU has them), the rare rest as they are needed. */
  uint32_t words[4 * TRACK_BLOCKS];
  sg_philox_rows(c->seed, SG_STREAM_TRACK, t, 1, TRACK_BLOCKS, words);
  sg_rng_init_words(&p->r, c->seed, SG_STREAM_TRACK, t, words, TRACK_BLOCKS);
  uint64_t rank;
  p->t = t;
  if (t >= c->tracks) {
    sg_catalog_release(c, t, &p->rel);
    p->category = p->rel.category;
    p->zt = p->rel.zt;
    p->artist = p->rel.artist;
  } else {
    p->category = sg_catalog_track_home(c, t, &rank);
    p->zt = sg_catalog_latent(sg_catalog_track_position(c, t));
    p->artist = sg_catalog_track_artist(c, p->category, p->zt, sg_rng_normal(&p->r));
  }
  p->slot = artist_slot(m, p->artist);
  if (p->slot >= 0)
    prefetch_record(&m->artists[p->slot], sizeof m->artists[0]);
}

static size_t album_slot(uint64_t id)
{
  _Static_assert(SG_ALBUM_CACHE == 1 << 14, "the album hash keeps 14 bits");
  return (size_t)((id * 0x9E3779B97F4A7C15ull) >> 50);
}

/* Stage 2: the artist (a cold one is kept in `p`), the album. */
static void build_artist(sg_model *m, pending *p)
{
  if (p->slot >= 0) {
    p->a = artist_of(m, p->artist, p->slot);
  } else {
    sg_catalog_artist(&m->catalog, p->artist, &p->cold);
    p->a = &p->cold;
  }
  if (p->t >= m->catalog.tracks)
    return; /* its single */
  p->album = sg_rng_below(&p->r, p->a->albums);
  size_t slot = album_slot(sg_catalog_album_id(p->artist, p->album));
  __builtin_prefetch(&m->album_key[slot]);
  prefetch_record(&m->albums[slot], sizeof m->albums[0]);
}

/* Album `album` of `artist`, direct-mapped by a hash of its id. */
static const sg_album *album_of(sg_model *m, const sg_artist *artist, uint32_t album)
{
  uint64_t id = sg_catalog_album_id(artist->index, album);
  size_t slot = album_slot(id);
  if (m->album_key[slot] != id + 1) {
    sg_catalog_album(&m->catalog, artist, album, &m->albums[slot]);
    m->album_key[slot] = id + 1;
  }
  return &m->albums[slot];
}

/* Stage 3: the rest, into `out`. */
static void build_finish(sg_model *m, pending *p, sg_track *out)
{
  const sg_catalog *c = &m->catalog;
  const sg_artist *artist = p->a;
  const int single = p->t >= c->tracks;
  const sg_album *album = single ? NULL : album_of(m, artist, p->album);
  sg_rng *r = &p->r;

  out->index = p->t;
  out->artist = artist->index;
  out->album = single ? sg_catalog_single_id(c, p->t) : sg_catalog_album_id(artist->index, p->album);
  out->category = (uint8_t)p->category;
  sg_make_id(out->id, c->seed, SG_STREAM_TRACK, p->t);
  memcpy(out->artist_id, artist->id, sizeof out->artist_id);
  sg_text_pick(&sg_track_templates, r, &out->name);
  sg_text_copy(&out->artist_name, &artist->name);
  out->artist_genre = artist->genre;
  out->artist_popularity = artist->popularity;
  out->artist_followers = artist->followers;
  out->released = 0;
  if (single) {
    int y;
    unsigned mo, d;
    out->released = p->rel.day;
    out->release_date = c->release_start + p->rel.day;
    sg_civil_from_days(out->release_date, &y, &mo, &d);
    out->release_year = y;
    sg_text_copy(&out->album_name, &out->name);
  } else {
    sg_text_copy(&out->album_name, &album->name);
    out->release_date = album->release_date;
    out->release_year = album->year;
  }

  double eps[SG_NFEAT], x[SG_NFEAT];
  for (int f = 0; f < SG_NFEAT; f++)
    eps[f] = sg_rng_normal(r);
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

  out->key = pick(KEY_SHARE, 12, sg_rng_u01(r));
  out->mode = sg_rng_u01(r) < KEY_MAJOR[out->key];
  out->time_signature = 2 + pick(METER_SHARE, 4, sg_rng_u01(r));

  if (single) {
    out->level = sg_catalog_release_level(c, &p->rel, artist);
    out->popularity_score = round_i32(clamp(out->level, 0.0, 100.0));
    return;
  }
  double pop = sg_catalog_track_popularity(c, p->zt, artist) +
               m->pop_per_danceability * (x[SG_F_DANCEABILITY] - SG_POP_CENTRE_DANCE) +
               m->pop_per_energy * (x[SG_F_ENERGY] - SG_POP_CENTRE_ENERGY) +
               m->pop_per_year * (out->release_year - SG_POP_CENTRE_YEAR) +
               m->pop_noise_sd * sg_rng_normal(r);
  out->popularity_score = round_i32(clamp(pop, 0.0, 100.0));
}

/* The direct-mapped slot of a track past its category's head. */
static size_t track_dm_slot(uint64_t t)
{
  _Static_assert(SG_TRACK_CACHE == 1 << 14, "the track hash keeps 14 bits");
  return (size_t)((t * 0x9E3779B97F4A7C15ull) >> 50);
}

/* Where track t is cached (its own slot for a category's most placed
 * tracks, else direct-mapped); *held says whether the slot holds it. */
static sg_track *track_slot(sg_model *m, uint64_t t, int *held)
{
  uint64_t rank;
  int cat = sg_catalog_track_home(&m->catalog, t, &rank);
  if (rank < SG_TRACK_HEAD && t < m->catalog.tracks) {
    *held = m->head_built[cat][rank];
    return &m->head[cat][rank];
  }
  size_t slot = track_dm_slot(t);
  *held = m->track_key[slot] == t + 1;
  return &m->tracks[slot];
}

/* Marks `slot` as holding track t. */
static void track_held(sg_model *m, uint64_t t, const sg_track *slot)
{
  if (slot >= m->tracks && slot < m->tracks + SG_TRACK_CACHE) {
    m->track_key[slot - m->tracks] = t + 1;
  } else {
    uint64_t rank;
    int cat = sg_catalog_track_home(&m->catalog, t, &rank);
    m->head_built[cat][rank] = 1;
  }
}

const sg_track *sg_model_track(sg_model *m, uint64_t t)
{
  int held;
  sg_track *slot = track_slot(m, t, &held);
  if (!held) {
    pending p;
    build_begin(m, t, &p);
    build_artist(m, &p);
    build_finish(m, &p, slot);
    track_held(m, t, slot);
  }
  return slot;
}

/* ---- the tracks of a playlist ------------------------------------------ */

#define MAX_REDRAWS 64 /* then a playlist longer than its catalogue repeats a track */

static size_t set_slot(const sg_model *m, uint64_t t)
{
  return (size_t)((t * 0x9E3779B97F4A7C15ull) >> 40) & m->set_mask;
}

/* Whether t is in the playlist's set; `insert` adds it when it is not. */
static int set_has(sg_model *m, uint64_t t, int insert)
{
  for (size_t i = set_slot(m, t);; i = (i + 1) & m->set_mask) {
    if (m->set[i] == t + 1)
      return 1;
    if (m->set[i] == 0) {
      if (insert)
        m->set[i] = t + 1;
      return 0;
    }
  }
}

/* Empties the set and sizes it for a playlist of `rows` rows: at least
 * twice as many slots, so that it stays at most half full. */
static void set_reset(sg_model *m, uint64_t rows)
{
  if (m->set_mask)
    memset(m->set, 0, (m->set_mask + 1) * sizeof m->set[0]);
  size_t size = 64;
  while (size < 2 * rows)
    size *= 2;
  _Static_assert(SG_PLAYLIST_SET >= 2 * SG_LAYOUT_BLOCK, "room for the longest playlist");
  m->set_mask = size - 1;
  m->placed = 0;
}

/* The track row `row` places: drawn from the row's stream until it is not
 * yet in its playlist. `words`, when not NULL, is the stream's first block,
 * computed already. */
static uint64_t place(sg_model *m, uint64_t row, int category, const uint32_t *words)
{
  sg_rng r;
  if (words)
    sg_rng_init_words(&r, m->catalog.seed, SG_STREAM_ROW, row, words, 1);
  else
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
 * first row, so a row's track depends only on its playlist's earlier rows.
 * `words`: the first block of the row's stream, or NULL. */
static uint64_t track_of_row(sg_model *m, uint64_t row, const uint32_t *words)
{
  const sg_catalog *c = &m->catalog;
  uint64_t pi = sg_layout_find(c, &m->layout, row);
  if (!m->have_playlist || m->playlist.index != pi) {
    set_reset(m, m->layout.end - m->layout.start);
    sg_catalog_playlist(c, pi, &m->playlist);
    m->have_playlist = 1;
  }
  uint64_t at = row - m->layout.start;
  if (at < m->placed)
    return m->chosen[at];
  while (m->placed <= at) {
    uint64_t r = m->layout.start + m->placed;
    m->chosen[m->placed] = place(m, r, m->playlist.category, r == row ? words : NULL);
    m->placed++;
  }
  return m->chosen[at];
}

/* A row from its track and its playlist. */
static void fill_row(const sg_model *m, uint64_t row, uint32_t position, const sg_playlist *p,
                     const sg_track *k, sg_row *out)
{
  out->row = row;
  out->track = k->index;
  out->position = (int32_t)position;
  out->artist = k->artist;
  out->album = k->album;
  out->playlist = p->index;
  out->category = (uint8_t)p->category;
  out->playlist_first = position == 0;
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
  out->artist_genre = k->artist_genre;
  out->artist_popularity = k->artist_popularity;
  out->artist_followers = k->artist_followers;
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

/* Asks for the cache lines of track t's slot, where it is or will be built. */
static void prefetch_track(const sg_model *m, uint64_t t)
{
  uint64_t rank;
  int cat = sg_catalog_track_home(&m->catalog, t, &rank);
  const char *p;
  if (rank < SG_TRACK_HEAD && t < m->catalog.tracks) {
    p = (const char *)&m->head[cat][rank];
  } else {
    size_t slot = track_dm_slot(t);
    __builtin_prefetch(&m->track_key[slot]);
    p = (const char *)&m->tracks[slot];
  }
  prefetch_record(p, sizeof(sg_track));
}

/* Rows in passes over a batch, so that the records each pass needs are on
 * their way from memory while the pass before works on other rows: each
 * row's track, playlist and position; the tracks not cached built in their
 * three stages (their artists, then their albums, fetched meanwhile); then
 * the rows, from the tracks. */
void sg_model_rows(sg_model *m, uint64_t first, size_t n, sg_row *out)
{
  uint64_t track[SG_MODEL_BATCH];
  uint32_t position[SG_MODEL_BATCH];
  uint8_t which[SG_MODEL_BATCH];
  sg_playlist playlists[SG_MODEL_BATCH];
  uint32_t words[4 * SG_MODEL_BATCH];
  pending building[SG_MODEL_BATCH];
  for (size_t i = 0; i < n; i += SG_MODEL_BATCH) {
    size_t k = n - i < SG_MODEL_BATCH ? n - i : SG_MODEL_BATCH;
    sg_philox_rows(m->catalog.seed, SG_STREAM_ROW, first + i, (unsigned)k, 1, words);
    int np = 0;
    for (size_t r = 0; r < k; r++) {
      uint64_t row = first + i + r;
      track[r] = track_of_row(m, row, words + 4 * r);
      position[r] = (uint32_t)(row - m->layout.start);
      if (np == 0 || playlists[np - 1].index != m->playlist.index)
        playlists[np++] = m->playlist;
      which[r] = (uint8_t)(np - 1);
      prefetch_track(m, track[r]);
    }
    int nb = 0;
    for (size_t r = 0; r < k; r++) {
      int held, again = 0;
      track_slot(m, track[r], &held);
      for (int b = 0; !held && b < nb; b++)
        again |= building[b].t == track[r];
      if (!held && !again)
        build_begin(m, track[r], &building[nb++]);
    }
    for (int b = 0; b < nb; b++)
      build_artist(m, &building[b]);
    for (int b = 0; b < nb; b++) {
      int held;
      sg_track *slot = track_slot(m, building[b].t, &held);
      build_finish(m, &building[b], slot);
      track_held(m, building[b].t, slot);
    }
    /* (two tracks built in one slot: the first is built again below) */
    for (size_t r = 0; r < k; r++)
      fill_row(m, first + i + r, position[r], &playlists[which[r]], sg_model_track(m, track[r]),
               &out[i + r]);
  }
}

int32_t sg_model_popularity(const sg_model *m, const sg_track *k, int32_t d)
{
  return k->released ? sg_catalog_release_shown(&m->catalog, k->level, d - k->released) : k->popularity_score;
}

void sg_model_row(sg_model *m, uint64_t row, sg_row *out) { sg_model_rows(m, row, 1, out); }

uint64_t sg_model_track_at(sg_model *m, uint64_t row) { return track_of_row(m, row, NULL); }

void sg_model_place(sg_model *m, const sg_playlist *p, uint32_t position, uint64_t track, sg_row *out)
{
  fill_row(m, UINT64_MAX, position, p, sg_model_track(m, track), out);
}
