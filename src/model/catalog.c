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
  c->artist_s = 1.0 - cfg->artist_exponent;
  c->artist_span = pow((double)c->artists + 1.0, c->artist_s) - 1.0;
  /* x(u) = (1 + span u)^kx, kx = 1/s > 1: a chord is within h^2/8 max|x''|
   * of it, and x'' is monotone, so largest at one end of the segment. */
  const double kx = 1.0 / c->artist_s, h = 1.0 / SG_RANK_N;
  double d2[SG_RANK_N + 1];
  for (int i = 0; i <= SG_RANK_N; i++) {
    double base = 1.0 + i * h * c->artist_span;
    c->rank_x[i] = pow(base, kx);
    d2[i] = fabs(kx * (kx - 1.0) * c->artist_span * c->artist_span * pow(base, kx - 2.0));
  }
  for (int i = 0; i < SG_RANK_N; i++)
    c->rank_err[i] = 1.001 * h * h / 8.0 * (d2[i] > d2[i + 1] ? d2[i] : d2[i + 1]);
  c->albums_mean = cfg->albums_mean;
  c->pop_a = cfg->pop_artist_a;
  c->pop_b = cfg->pop_artist_b;
  double acc = 0;
  for (int k = 0; k < SG_NCAT; k++)
    c->cum_share[k] = acc += cfg->share[k];
  c->playlist_mu = log(cfg->playlist_median);
  c->playlist_sigma = cfg->playlist_sigma;
  c->playlist_max = cfg->playlist_max;
  c->followers_mu = log(cfg->followers_median);
  c->followers_sigma = cfg->followers_sigma;
}

/* Ranks 0 .. n-1 stand for x in [1, n+1) with density ~ x^-exponent; the
 * rank is floor(x) - 1 with x = (1 + span u)^(1/s). Read off the table when
 * the chord's error bound cannot change the floor (nearly always), else
 * computed. */
uint64_t sg_catalog_artist_rank(const sg_catalog *c, double u)
{
  double t = u * SG_RANK_N;
  int i = (int)t;
  i = i < SG_RANK_N ? i : SG_RANK_N - 1;
  double x = c->rank_x[i] + (t - i) * (c->rank_x[i + 1] - c->rank_x[i]);
  double e = c->rank_err[i] + 1e-13 * x; /* and the table's own rounding */
  if (floor(x - e) != floor(x + e))
    x = pow(1.0 + u * c->artist_span, 1.0 / c->artist_s);
  uint64_t a = x < 1.0 ? 0 : (uint64_t)x - 1;
  return a < c->artists ? a : c->artists - 1;
}

double sg_catalog_artist_share(const sg_catalog *c, uint64_t rank)
{
  return (pow((double)rank + 1.0, c->artist_s) - 1.0) / c->artist_span;
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
  double above = sg_catalog_artist_share(c, artist), below = sg_catalog_artist_share(c, artist + 1);
  /* Popular artists release more albums: the mean grows with the square
   * root of the artist's rows relative to an average artist's. */
  double relative = (below - above) * (double)c->artists;
  double albums = 1.0 + floor(-log(sg_rng_u01(&r)) * c->albums_mean * sqrt(relative));
  out->albums = albums < SG_MAX_ALBUMS ? (uint32_t)albums : SG_MAX_ALBUMS;
  out->album_offset = sg_rng_below(&r, sg_album_templates.n);
  /* The share of rows by less played artists, at the middle of this one's. */
  double v = 1.0 - 0.5 * (above + below);
  out->popularity = 100.0 * pow(1.0 - pow(1.0 - v, 1.0 / c->pop_b), 1.0 / c->pop_a);
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
  double u = sg_rng_u01(&r);
  int k = 0;
  while (k < SG_NCAT - 1 && !(u < c->cum_share[k]))
    k++;
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
