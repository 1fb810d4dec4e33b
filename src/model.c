/* model.c - audio features and metadata of one row. */
#include "spotgen/model.h"

#include <math.h>
#include <string.h>

#include "spotgen/category.h"
#include "spotgen/ids.h"
#include "spotgen/words.h"

static double clamp(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

/* Fixed point with `scale` units per 1, rounded to nearest. */
static int32_t fixed(double x, double scale) { return (int32_t)lround(x * scale); }

/* A right-skewed value in (0,1): most mass near zero, a long tail. */
static double skewed(sg_rng *r, double median, double sigma)
{
  return clamp(median * exp(sigma * sg_rng_normal(r)), 0.0, 1.0);
}

void sg_model_init(sg_model *m, uint64_t seed, uint64_t rows)
{
  memset(m, 0, sizeof *m);
  sg_catalog_init(&m->catalog, seed, rows);
  sg_layout_reset(&m->layout);
}

void sg_model_row(sg_model *m, uint64_t row, sg_row *out)
{
  const sg_catalog *c = &m->catalog;
  uint64_t pl = sg_layout_find(c, &m->layout, row);
  if (!m->have_playlist || m->playlist.index != pl) {
    sg_catalog_playlist(c, pl, &m->playlist);
    m->have_playlist = 1;
  }
  const sg_playlist *p = &m->playlist;
  const sg_category *cat = &sg_categories()[p->category];

  sg_rng r;
  sg_rng_init(&r, c->seed, SG_STREAM_ROW, row);
  sg_artist artist;
  sg_album album;
  sg_catalog_artist(c, sg_catalog_artist_rank(c, sg_rng_u01(&r)), &artist);
  uint32_t album_of_artist = sg_rng_below(&r, artist.albums);
  sg_catalog_album(c, artist.index, album_of_artist, &album);

  out->row = row;
  out->artist = artist.index;
  out->album = sg_catalog_album_id(artist.index, album_of_artist);
  out->playlist = p->index;
  out->category = (uint8_t)p->category;
  out->release_year = album.year;
  sg_make_id(out->track_id, c->seed, SG_STREAM_ROW, row);
  memcpy(out->artist_id, artist.id, sizeof out->artist_id);
  memcpy(out->playlist_id, p->id, sizeof out->playlist_id);
  sg_name_pick(&sg_track_templates, &r, out->track_name, sizeof out->track_name);
  memcpy(out->artist_name, artist.name, sizeof out->artist_name);
  memcpy(out->album_name, album.name, sizeof out->album_name);
  memcpy(out->playlist_name, p->name, sizeof out->playlist_name);
  out->playlist_category = cat->name;
  out->release_date = album.release_date;
  out->num_followers = p->followers;

  /* Audio features around the category's profile. Loudness and acousticness
   * follow energy, valence follows danceability. */
  double ze = sg_rng_normal(&r), zd = sg_rng_normal(&r);
  double energy = clamp(cat->energy.mean + cat->energy.sd * ze, 0.0, 1.0);
  double dance = clamp(cat->danceability.mean + cat->danceability.sd * zd, 0.0, 1.0);
  double valence = clamp(cat->valence.mean + cat->valence.sd * (0.5 * zd + 0.85 * sg_rng_normal(&r)),
                         0.0, 1.0);
  double acoustic = clamp(cat->acousticness.mean +
                              cat->acousticness.sd * (-0.6 * ze + 0.8 * sg_rng_normal(&r)),
                          0.0, 1.0);
  double loud = clamp(-22.0 + 20.0 * energy + 2.5 * sg_rng_normal(&r), -60.0, 0.0);
  double tempo = clamp(cat->tempo.mean + cat->tempo.sd * sg_rng_normal(&r), 40.0, 220.0);

  out->energy = fixed(energy, 1e4);
  out->danceability = fixed(dance, 1e4);
  out->valence = fixed(valence, 1e4);
  out->acousticness = fixed(acoustic, 1e4);
  out->loudness = fixed(loud, 1e3);
  out->tempo = fixed(tempo, 1e3);
  out->instrumentalness = fixed(skewed(&r, 0.002, 2.5), 1e4);
  out->speechiness = fixed(skewed(&r, 0.05, 0.7), 1e4);
  out->liveness = fixed(skewed(&r, 0.13, 0.6), 1e4);
  out->duration_ms = (int32_t)clamp(210000.0 * exp(0.28 * sg_rng_normal(&r)), 30000, 600000);
  out->key = (int32_t)sg_rng_below(&r, 12);
  out->mode = sg_rng_u01(&r) < 0.63;
  double ts = sg_rng_u01(&r);
  out->time_signature = ts < 0.88 ? 4 : ts < 0.96 ? 3 : ts < 0.985 ? 5 : 2;
  double pop = artist.popularity + 12.0 * sg_rng_normal(&r) + 8.0 * (dance - 0.5) + 6.0 * (energy - 0.5);
  out->popularity_score = (int32_t)clamp(lround(pop), 0, 100);
}
