/* catalog.c - artists, albums, playlists and the playlist layout. */
#include "spotgen/model/catalog.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "spotgen/model/category.h"
#include "spotgen/model/dist.h"
#include "spotgen/model/ids.h"
#include "spotgen/base/numfmt.h"
#include "spotgen/model/words.h"

#define YEAR_GROWTH 1.12 /* each year has 12% more releases than the one before */

void sg_catalog_init(sg_catalog *c, uint64_t seed, uint64_t rows, const sg_config *cfg)
{
  memset(c, 0, sizeof *c);
  sg_normal_init();
  c->seed = seed;
  c->artists = sg_config_artists(cfg, rows);
  sg_powerlaw_init(&c->artist_law, c->artists, cfg->artist_exponent, 1.0);
  c->albums_mean = cfg->albums_mean;
  c->pop_a = cfg->pop_track_a;
  c->pop_b = cfg->pop_track_b;
  /* Each category's run of tracks is its share of the catalogue. */
  c->tracks = 0;
  uint64_t total = sg_config_tracks(cfg, rows);
  for (int k = 0; k < SG_NCAT; k++) {
    double n = floor((double)total * cfg->share[k] + 0.5);
    uint64_t nk = n < 1 ? 1 : (uint64_t)n;
    c->track_first[k] = c->tracks;
    c->tracks += nk;
    sg_powerlaw_init(&c->track_law[k], nk, cfg->track_exponent, cfg->track_offset);
  }
  c->track_first[SG_NCAT] = c->tracks;
  c->crossover = cfg->crossover;
  c->artist_link = cfg->artist_link;
  double acc = 0;
  for (int k = 0; k < SG_NCAT; k++)
    c->cum_share[k] = acc += cfg->share[k];
  c->playlist_mu = log(cfg->playlist_median);
  c->playlist_sigma = cfg->playlist_sigma;
  c->playlist_max = cfg->playlist_max;
  c->followers_mu = log(cfg->followers_median);
  c->followers_sigma = cfg->followers_sigma;
}

static int pick_category(const sg_catalog *c, double u)
{
  int k = 0;
  while (k < SG_NCAT - 1 && !(u < c->cum_share[k]))
    k++;
  return k;
}

uint64_t sg_catalog_place(const sg_catalog *c, int category, sg_rng *r)
{
  if (c->crossover > 0 && sg_rng_u01(r) < c->crossover)
    category = pick_category(c, sg_rng_u01(r));
  return c->track_first[category] + sg_powerlaw_rank(&c->track_law[category], sg_rng_u01(r));
}

int sg_catalog_track_home(const sg_catalog *c, uint64_t t, uint64_t *rank)
{
  int k = 0;
  while (k < SG_NCAT - 1 && t >= c->track_first[k + 1])
    k++;
  *rank = t - c->track_first[k];
  return k;
}

double sg_catalog_track_position(const sg_catalog *c, uint64_t t)
{
  uint64_t rank;
  const sg_powerlaw *law = &c->track_law[sg_catalog_track_home(c, t, &rank)];
  return 1.0 - 0.5 * (sg_powerlaw_share(law, rank) + sg_powerlaw_share(law, rank + 1));
}

uint64_t sg_catalog_track_artist(const sg_catalog *c, double position, double z)
{
  /* The artist's uniform: the track's share of placements above it (small
   * for a hit), through a normal copula; rank 0 is the most played. */
  double rho = c->artist_link;
  double x = rho * sg_norm_quantile(1.0 - position) + sqrt(1.0 - rho * rho) * z;
  double u = 0.5 * erfc(-x / sqrt(2.0));
  u = u < 1e-300 ? 1e-300 : u;
  return sg_powerlaw_rank(&c->artist_law, u);
}

double sg_catalog_popularity(const sg_catalog *c, double position)
{
  return 100.0 * pow(1.0 - pow(1.0 - position, 1.0 / c->pop_b), 1.0 / c->pop_a);
}

void sg_catalog_artist(const sg_catalog *c, uint64_t artist, sg_artist *out)
{
  sg_rng r;
  sg_rng_init(&r, c->seed, SG_STREAM_ARTIST, artist);
  out->index = artist;
  sg_make_id(out->id, c->seed, SG_STREAM_ARTIST, artist);
  sg_text_pick(&sg_artist_templates, &r, &out->name);
  /* The artist's rows lie between these shares of all rows, counted from
   * the most played artist down. */
  double above = sg_powerlaw_share(&c->artist_law, artist);
  double below = sg_powerlaw_share(&c->artist_law, artist + 1);
  /* Popular artists release more albums: the mean grows with the square
   * root of the artist's rows relative to an average artist's. */
  double relative = (below - above) * (double)c->artists;
  double albums = 1.0 + floor(-log(sg_rng_u01(&r)) * c->albums_mean * sqrt(relative));
  out->albums = albums < SG_MAX_ALBUMS ? (uint32_t)albums : SG_MAX_ALBUMS;
  out->album_offset = sg_rng_below(&r, sg_album_templates.n);
  /* The share of rows by less played artists, at the middle of this one's. */
  out->popularity = sg_catalog_popularity(c, 1.0 - 0.5 * (above + below));
}

uint64_t sg_catalog_album_id(uint64_t artist, uint32_t album)
{
  return artist * SG_MAX_ALBUMS + album;
}

void sg_catalog_album(const sg_catalog *c, const sg_artist *a, uint32_t album, sg_album *out)
{
  sg_rng r;
  sg_rng_init(&r, c->seed, SG_STREAM_ALBUM, sg_catalog_album_id(a->index, album));
  const unsigned t = sg_album_templates.n;
  sg_text_expand(sg_album_templates.words[(a->album_offset + album) % t], &r, &out->name);
  if (album >= t) {
    size_t n = out->name.len;
    snprintf(out->name.s + n, sizeof out->name.s - n, " (Vol. %u)", album / t + 1);
    sg_text_done(&out->name);
  }
  /* Year from a truncated exponential growth over the years. */
  const double lambda = log(YEAR_GROWTH), span = SG_NYEARS;
  double y = log1p(sg_rng_u01(&r) * expm1(lambda * span)) / lambda;
  int year = SG_FIRST_YEAR + (int)y;
  if (year > SG_LAST_YEAR)
    year = SG_LAST_YEAR;
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
  int k = pick_category(c, sg_rng_u01(&r));
  out->category = k;
  sg_text_pick(sg_category_playlist_names(k), &r, &out->name);
  double f = exp(c->followers_mu + c->followers_sigma * sg_rng_normal(&r));
  out->followers = f < 1 ? 1 : f < 1e10 ? (int64_t)f : (int64_t)1e10;
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
