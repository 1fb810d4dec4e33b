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
#define FOLLOWERS_FAME 0.9 /* an artist's log followers: this much its fame, the rest luck */

void sg_catalog_init(sg_catalog *c, uint64_t seed, uint64_t rows, const sg_config *cfg)
{
  memset(c, 0, sizeof *c);
  sg_normal_init();
  c->seed = seed;
  /* Each category's run of artists is its share of them (cut at the
   * rounded cumulative shares, so the runs add up to the artists asked
   * for), at least one. */
  uint64_t artists = sg_config_artists(cfg, rows);
  double cum = 0;
  c->artist_first[0] = 0;
  for (int k = 0; k < SG_NCAT; k++) {
    cum += cfg->share[k];
    double end = k == SG_NCAT - 1 ? (double)artists : floor((double)artists * cum + 0.5);
    uint64_t first = c->artist_first[k], nk = end > (double)first ? (uint64_t)end - first : 0;
    nk = nk < 1 ? 1 : nk;
    c->artist_first[k + 1] = first + nk;
    sg_powerlaw_init(&c->artist_law[k], nk, cfg->artist_exponent, 1.0);
  }
  c->artists = c->artist_first[SG_NCAT];
  c->artist_fame = cfg->artist_fame;
  c->artist_followers_mu = log(cfg->artist_followers_median);
  c->artist_followers_sigma = cfg->artist_followers_sigma;
  /* A track's popularity weighs its own place (a) and its artist's fame
   * (b), two standard normals over rows correlated about artist_link x
   * artist_fame (the track's place picks its artist through the link, the
   * artist's place makes its fame). */
  double b = cfg->pop_artist_share, a = 1.0 - b, rho = cfg->artist_link * cfg->artist_fame;
  c->pop_artist_share = b;
  c->pop_norm = sqrt(a * a + b * b + 2.0 * a * b * rho);
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
  /* new releases: a week's days weighed by their weekday (1970-01-01 was a
     Thursday), from the day after day 0 */
  const sg_days_rates *d = &cfg->days;
  c->release_start = d->start;
  c->release_per_day = (double)c->tracks * d->releases;
  double friday = 7.0 * d->release_friday, other = 7.0 * (1.0 - d->release_friday) / 6.0;
  for (int j = 0; j < 7; j++)
    c->release_weight[j] = ((int64_t)d->start + j + 4) % 7 == 5 ? friday : other;
  c->release_week[0] = 0;
  for (int j = 1; j <= 7; j++)
    c->release_week[j] = c->release_week[j - 1] + c->release_weight[j % 7];
  for (int j = 0; j < 7; j++) /* a placement on a day j mod 7: s days back, by weight and decay */
    for (int s = 0; s < 7; s++)
      c->release_pick[j][s] = (s ? c->release_pick[j][s - 1] : 0) +
                              c->release_weight[(j - s + 7) % 7] * exp(-s / d->release_decay_days);
  c->release_lift = d->release_lift;
  c->release_rise = d->release_rise_days;
  c->release_decay = d->release_decay_days;
  c->new_share = d->new_share;
  c->pop_per_year = cfg->pop_per_year;
  c->pop_noise_sd = cfg->pop_noise_sd;
  /* a day of weight w has at most P w + 1 releases, P w share + 2 of a
     category's: the most that bound is over its weight, for either weight */
  for (int k = 0; k < SG_NCAT; k++) {
    c->release_bound[k] = 0;
    for (int f = 0; f < 2; f++) {
      double w = f ? friday : other;
      if (w > 0)
        c->release_bound[k] = fmax(c->release_bound[k], ((c->release_per_day * w + 1) * cfg->share[k] + 1) / w);
    }
  }
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

/* ---- new releases ------------------------------------------------------- */

const int32_t sg_recount_age[SG_RECOUNTS] = {7, 14, 28, 56, 112, 224};

uint64_t sg_catalog_released(const sg_catalog *c, int32_t d)
{
  if (d <= 0)
    return 0;
  double w = 7.0 * (double)(d / 7) + c->release_week[d % 7];
  return (uint64_t)floor(c->release_per_day * w);
}

/* Category k's cut of a day's n releases: [*lo, *hi). */
static void release_cut(const sg_catalog *c, uint64_t n, int k, uint64_t *lo, uint64_t *hi)
{
  *lo = k == 0 ? 0 : (uint64_t)floor((double)n * c->cum_share[k - 1]);
  *hi = k == SG_NCAT - 1 ? n : (uint64_t)floor((double)n * c->cum_share[k]);
  if (*hi < *lo)
    *hi = *lo;
}

/* The share of placements above rank i of n, log-uniformly: the middle of
 * its own, as a position in (0, 1) (near 1 for the hit). */
static double release_position(uint64_t i, uint64_t n)
{
  return 1.0 - 0.5 * (log((double)i + 1) + log((double)i + 2)) / log((double)n + 1);
}

void sg_catalog_release(const sg_catalog *c, uint64_t t, sg_release *out)
{
  uint64_t j = t - c->tracks;
  int32_t lo = 1, hi = 1; /* the first day whose releases pass j */
  while (sg_catalog_released(c, hi) <= j && hi < (1 << 30))
    hi *= 2;
  while (lo < hi) {
    int32_t mid = lo + (hi - lo) / 2;
    if (sg_catalog_released(c, mid) > j)
      hi = mid;
    else
      lo = mid + 1;
  }
  uint64_t first = sg_catalog_released(c, lo - 1), n = sg_catalog_released(c, lo) - first, i = j - first;
  out->day = lo;
  int k = 0;
  uint64_t a, b;
  for (;; k++) {
    release_cut(c, n, k, &a, &b);
    if (i < b || k == SG_NCAT - 1)
      break;
  }
  out->category = k;
  out->zt = sg_catalog_latent(release_position(i - a, b - a));
  sg_rng r;
  sg_rng_init(&r, c->seed, SG_STREAM_RELEASE, t);
  out->artist = sg_catalog_track_artist(c, k, out->zt, sg_rng_normal(&r));
  out->luck = sg_rng_normal(&r);
}

double sg_catalog_release_level(const sg_catalog *c, const sg_release *rel, const sg_artist *a)
{
  int y;
  unsigned m, d;
  sg_civil_from_days(c->release_start + rel->day, &y, &m, &d);
  return sg_catalog_track_popularity(c, rel->zt, a) + c->pop_per_year * (y - SG_POP_CENTRE_YEAR) +
         c->pop_noise_sd * rel->luck;
}

int32_t sg_catalog_release_popularity(const sg_catalog *c, double level, int32_t age)
{
  double p = (level + c->release_lift * exp(-age / c->release_decay)) * -expm1(-(age + 1) / c->release_rise);
  return p <= 0 ? 0 : p >= 100 ? 100 : (int32_t)(p + 0.5);
}

int sg_catalog_recount_moves(const sg_catalog *c, double level, int i)
{
  return sg_catalog_release_popularity(c, level, sg_recount_age[i]) !=
         sg_catalog_release_popularity(c, level, i ? sg_recount_age[i - 1] : 0);
}

int32_t sg_catalog_release_shown(const sg_catalog *c, double level, int32_t age)
{
  int32_t at = 0;
  for (int i = 0; i < SG_RECOUNTS && sg_recount_age[i] <= age; i++)
    at = sg_recount_age[i];
  return sg_catalog_release_popularity(c, level, at);
}

uint64_t sg_catalog_single_id(const sg_catalog *c, uint64_t t)
{
  return c->artists * SG_MAX_ALBUMS + (t - c->tracks);
}

uint64_t sg_catalog_place_on(const sg_catalog *c, int category, int32_t day, sg_rng *r)
{
  if (c->crossover > 0 && sg_rng_u01(r) < c->crossover)
    category = pick_category(c, sg_rng_u01(r));
  double window = -expm1(-day / c->release_decay);
  if (c->release_per_day > 0 && sg_rng_u01(r) < c->new_share * window) {
    /* The release day d = day - s - 7 q: q weeks back (geometric, cut at
       the first week), s days back within the week (by the weekdays'
       weights and the decay); d kept in proportion to its releases of the
       category over its weekday's weight, so that a day is drawn in
       proportion to its releases times e^(-age / decay). */
    const int32_t weeks = (day - 1) / 7;
    const double tail = -expm1(-7.0 * (weeks + 1) / c->release_decay);
    const double *pick = c->release_pick[day % 7];
    for (int tries = 0; tries < 64; tries++) {
      int32_t q = (int32_t)(-c->release_decay / 7.0 * log1p(-sg_rng_u01(r) * tail));
      double u = sg_rng_u01(r) * pick[6];
      int s = 0;
      while (s < 6 && !(u < pick[s]))
        s++;
      int32_t d = day - s - 7 * (q < weeks ? q : weeks);
      if (d < 1)
        continue;
      uint64_t first = sg_catalog_released(c, d - 1), n = sg_catalog_released(c, d) - first, lo, hi;
      release_cut(c, n, category, &lo, &hi);
      if (!(sg_rng_u01(r) * c->release_weight[d % 7] * c->release_bound[category] < (double)(hi - lo)))
        continue;
      uint64_t i = (uint64_t)(exp(sg_rng_u01(r) * log((double)(hi - lo) + 1)) - 1);
      return c->tracks + first + lo + (i < hi - lo ? i : hi - lo - 1);
    }
  }
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

double sg_catalog_latent(double position)
{
  const double eps = 1e-12;
  return sg_norm_quantile(position < eps ? eps : position > 1 - eps ? 1 - eps : position);
}

uint64_t sg_catalog_track_artist(const sg_catalog *c, int category, double zt, double z)
{
  /* The artist's uniform: the track's share of placements above it (small
   * for a hit), through a normal copula; rank 0 is the most played. */
  double rho = c->artist_link;
  double x = -rho * zt + sqrt(1.0 - rho * rho) * z;
  double u = 0.5 * erfc(-x / sqrt(2.0));
  u = u < 1e-300 ? 1e-300 : u;
  return c->artist_first[category] + sg_powerlaw_rank(&c->artist_law[category], u);
}

int sg_catalog_artist_home(const sg_catalog *c, uint64_t a, uint64_t *rank)
{
  int k = 0;
  while (k < SG_NCAT - 1 && a >= c->artist_first[k + 1])
    k++;
  *rank = a - c->artist_first[k];
  return k;
}

double sg_catalog_popularity(const sg_catalog *c, double position)
{
  return 100.0 * sg_kumaraswamy_quantile(c->pop_a, c->pop_b, position);
}

double sg_catalog_track_popularity(const sg_catalog *c, double zt, const sg_artist *a)
{
  double b = c->pop_artist_share;
  double z = ((1.0 - b) * zt + b * a->fame) / c->pop_norm;
  return sg_catalog_popularity(c, sg_norm_cdf(z));
}

void sg_catalog_artist(const sg_catalog *c, uint64_t artist, sg_artist *out)
{
  sg_rng r;
  sg_rng_init(&r, c->seed, SG_STREAM_ARTIST, artist);
  uint64_t rank;
  int k = sg_catalog_artist_home(c, artist, &rank);
  const sg_powerlaw *law = &c->artist_law[k];
  out->index = artist;
  out->category = (uint8_t)k;
  sg_make_id(out->id, c->seed, SG_STREAM_ARTIST, artist);
  sg_text_pick(&sg_artist_templates, &r, &out->name);
  /* The artist's rows lie between these shares of its category's rows,
   * counted from the most played artist down. */
  double above = sg_powerlaw_share(law, rank);
  double below = sg_powerlaw_share(law, rank + 1);
  /* Popular artists release more albums: the mean grows with the square
   * root of the artist's rows relative to an average artist's. */
  double relative = (below - above) * (double)law->n;
  double albums = 1.0 + floor(-log(sg_rng_u01(&r)) * c->albums_mean * sqrt(relative));
  out->albums = albums < SG_MAX_ALBUMS ? (uint32_t)albums : SG_MAX_ALBUMS;
  out->album_offset = sg_rng_below(&r, sg_album_templates.n);
  out->genre = sg_category_genre(k, sg_rng_below(&r, sg_category_genres(k)));
  /* Fame: its place (the share of its category's rows by less played
   * artists, at the middle of its own), and luck. */
  double f = c->artist_fame;
  out->fame = f * sg_catalog_latent(1.0 - 0.5 * (above + below)) + sqrt(1.0 - f * f) * sg_rng_normal(&r);
  double pop = sg_catalog_popularity(c, sg_norm_cdf(out->fame));
  out->popularity = (int32_t)(pop + 0.5);
  const double w = FOLLOWERS_FAME;
  double lf = w * out->fame + sqrt(1.0 - w * w) * sg_rng_normal(&r);
  double followers = exp(c->artist_followers_mu + c->artist_followers_sigma * lf);
  out->followers = followers < 1e10 ? (int64_t)followers : (int64_t)1e10;
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

uint32_t sg_catalog_playlist_size(const sg_catalog *c, sg_rng *r)
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
    l->end = l->start + sg_catalog_playlist_size(c, &l->rng);
  }
  while (row >= l->end) {
    l->playlist++;
    l->start = l->end;
    l->end = l->start + sg_catalog_playlist_size(c, &l->rng);
  }
  /* The block's last playlist is cut at the block's end. */
  uint64_t block_end = (block + 1) * SG_LAYOUT_BLOCK;
  if (l->end > block_end)
    l->end = block_end;
  return l->playlist;
}

uint64_t sg_layout_block_playlists(const sg_catalog *c, uint64_t block, uint64_t rows)
{
  uint64_t start = block * SG_LAYOUT_BLOCK, end = (block + 1) * SG_LAYOUT_BLOCK, n = 0;
  if (rows < end)
    end = rows;
  sg_rng r;
  sg_rng_init(&r, c->seed, SG_STREAM_LAYOUT, block);
  while (start < end) {
    start += sg_catalog_playlist_size(c, &r);
    n++;
  }
  return n;
}

void sg_layout_playlist_rows(const sg_catalog *c, uint64_t index, uint64_t rows, uint64_t *start,
                             uint64_t *end)
{
  uint64_t block = index / SG_LAYOUT_BLOCK, cut = (block + 1) * SG_LAYOUT_BLOCK;
  sg_rng r;
  sg_rng_init(&r, c->seed, SG_STREAM_LAYOUT, block);
  uint64_t s = block * SG_LAYOUT_BLOCK, e = s + sg_catalog_playlist_size(c, &r);
  for (uint64_t i = block * SG_LAYOUT_BLOCK; i < index; i++) {
    s = e;
    e = s + sg_catalog_playlist_size(c, &r);
  }
  if (rows < cut)
    cut = rows;
  *start = s;
  *end = e < cut ? e : cut;
}
