/* catalog.c - artists, albums, playlists and the playlist layout. */
#include "spotgen/catalog.h"

#include <math.h>
#include <string.h>

#include "spotgen/category.h"
#include "spotgen/ids.h"
#include "spotgen/numfmt.h"
#include "spotgen/words.h"

#define FIRST_YEAR 2010
#define LAST_YEAR 2023
#define YEAR_GROWTH 1.12 /* each year has 12% more releases than the one before */

void sg_catalog_init(sg_catalog *c, uint64_t seed, uint64_t rows)
{
  memset(c, 0, sizeof *c);
  c->seed = seed;
  c->artists = rows / 200 > 100 ? rows / 200 : 100;
  c->artist_exponent = 5.0;
  c->playlist_mu = log(50.0);
  c->playlist_sigma = 0.9;
  c->playlist_max = 10000;
  c->followers_mu = log(400.0);
  c->followers_sigma = 2.0;
}

uint64_t sg_catalog_artist_rank(const sg_catalog *c, double u)
{
  uint64_t a = (uint64_t)((double)c->artists * pow(u, c->artist_exponent));
  return a < c->artists ? a : c->artists - 1;
}

void sg_catalog_artist(const sg_catalog *c, uint64_t artist, sg_artist *out)
{
  sg_rng r;
  sg_rng_init(&r, c->seed, SG_STREAM_ARTIST, artist);
  out->index = artist;
  sg_make_id(out->id, c->seed, SG_STREAM_ARTIST, artist);
  sg_name_pick(&sg_artist_templates, &r, out->name, sizeof out->name);
  uint32_t albums = 1 + (uint32_t)(-log(sg_rng_u01(&r)) * 3.0);
  out->albums = albums < SG_MAX_ALBUMS ? albums : SG_MAX_ALBUMS;
  /* Rank 0 is the most played artist; popularity falls with log rank. */
  double rel = log1p((double)artist) / log1p((double)c->artists);
  out->popularity = 75.0 - 50.0 * rel;
}

uint64_t sg_catalog_album_id(uint64_t artist, uint32_t album)
{
  return artist * SG_MAX_ALBUMS + album;
}

void sg_catalog_album(const sg_catalog *c, uint64_t artist, uint32_t album, sg_album *out)
{
  sg_rng r;
  sg_rng_init(&r, c->seed, SG_STREAM_ALBUM, sg_catalog_album_id(artist, album));
  sg_name_pick(&sg_album_templates, &r, out->name, sizeof out->name);
  /* Year from a truncated exponential growth over FIRST..LAST_YEAR. */
  const double lambda = log(YEAR_GROWTH), span = LAST_YEAR - FIRST_YEAR + 1;
  double t = log1p(sg_rng_u01(&r) * expm1(lambda * span)) / lambda;
  int year = FIRST_YEAR + (int)t;
  if (year > LAST_YEAR)
    year = LAST_YEAR;
  int32_t jan1 = sg_days_from_civil(year, 1, 1);
  int32_t days = sg_days_from_civil(year + 1, 1, 1) - jan1;
  out->year = year;
  out->release_date = jan1 + (int32_t)sg_rng_below(&r, (uint32_t)days);
}

void sg_catalog_playlist(const sg_catalog *c, uint64_t playlist, sg_playlist *out)
{
  sg_rng r;
  sg_rng_init(&r, c->seed, SG_STREAM_PLAYLIST, playlist);
  out->index = playlist;
  sg_make_id(out->id, c->seed, SG_STREAM_PLAYLIST, playlist);
  out->category = sg_category_pick(sg_rng_u01(&r));
  sg_name_pick(&sg_categories()[out->category].playlist_names, &r, out->name, sizeof out->name);
  double f = exp(c->followers_mu + c->followers_sigma * sg_rng_normal(&r));
  out->followers = f < 1e10 ? (int64_t)f : (int64_t)1e10;
}

void sg_layout_reset(sg_layout *l)
{
  l->block = UINT64_MAX;
  l->start = l->end = 0;
}

static uint32_t playlist_size(const sg_catalog *c, sg_rng *r)
{
  double s = exp(c->playlist_mu + c->playlist_sigma * sg_rng_normal(r));
  if (s < 1)
    return 1;
  return s > c->playlist_max ? c->playlist_max : (uint32_t)s;
}

uint64_t sg_layout_find(const sg_catalog *c, sg_layout *l, uint64_t row)
{
  uint64_t block = row / SG_LAYOUT_BLOCK;
  if (block != l->block || row < l->start) {
    /* Restart at the block's first playlist. */
    l->block = block;
    sg_rng_init(&l->rng, c->seed, SG_STREAM_LAYOUT, block);
    l->playlist = block * SG_LAYOUT_BLOCK;
    l->start = block * SG_LAYOUT_BLOCK;
    l->end = l->start + playlist_size(c, &l->rng);
  }
  while (row >= l->end) {
    l->playlist++;
    l->start = l->end;
    l->end = l->start + playlist_size(c, &l->rng);
  }
  /* The block's last playlist is cut at the block's end. */
  uint64_t block_end = (block + 1) * SG_LAYOUT_BLOCK;
  if (l->end > block_end)
    l->end = block_end;
  return l->playlist;
}
