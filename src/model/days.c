/* days.c - the world's days (see days.h). */
#include "spotgen/model/days.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/base/err.h"
#include "spotgen/model/dist.h"
#include "spotgen/model/rng.h"

/* ---- permutations -------------------------------------------------------- */

static uint64_t mix(uint64_t x) /* splitmix64's finaliser */
{
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

void sg_perm_init(sg_perm *p, uint64_t seed, uint32_t purpose, uint64_t cohort, uint64_t n)
{
  unsigned bits = 2;
  while (bits < 62 && (1ull << bits) < n)
    bits += 2;
  p->n = n;
  p->half = bits / 2;
  p->mask = (1ull << p->half) - 1;
  uint32_t w[8];
  uint64_t id = (uint64_t)purpose << 40 | cohort;
  sg_rng_block(seed, SG_STREAM_PERM, id, 0, w);
  sg_rng_block(seed, SG_STREAM_PERM, id, 1, w + 4);
  for (int i = 0; i < 4; i++)
    p->key[i] = (uint64_t)w[2 * i] << 32 | w[2 * i + 1];
}

static uint64_t encrypt(const sg_perm *p, uint64_t x)
{
  uint64_t l = x >> p->half, r = x & p->mask;
  for (int i = 0; i < 4; i++) {
    uint64_t t = l ^ (mix(r ^ p->key[i]) & p->mask);
    l = r;
    r = t;
  }
  return l << p->half | r;
}

static uint64_t decrypt(const sg_perm *p, uint64_t x)
{
  uint64_t l = x >> p->half, r = x & p->mask;
  for (int i = 3; i >= 0; i--) {
    uint64_t t = r ^ (mix(l ^ p->key[i]) & p->mask);
    r = l;
    l = t;
  }
  return l << p->half | r;
}

/* Cycle-walking: a permutation of the 2^bits values is one of [0, n) when
 * the values past n are walked through. */
uint64_t sg_perm_fwd(const sg_perm *p, uint64_t slot)
{
  uint64_t x = slot;
  do
    x = encrypt(p, x);
  while (x >= p->n);
  return x;
}

uint64_t sg_perm_inv(const sg_perm *p, uint64_t x)
{
  uint64_t s = x;
  do
    s = decrypt(p, s);
  while (s >= p->n);
  return s;
}

/* ---- the schedules ------------------------------------------------------- */

/* Cadences by slot mod 16: an edited playlist is edited every 1 (1 in 16),
 * 3, 7, 14 or 30 days (6 in 16); followers are counted weekly (1 in 16),
 * monthly (3 in 16) or quarterly. */
static const int32_t EDIT_EVERY[16] = {1, 3, 3, 7, 7, 7, 7, 14, 14, 14, 30, 30, 30, 30, 30, 30};
static const int32_t COUNT_EVERY[16] = {7, 30, 30, 30, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90, 90};

/* A cohort of n loses this many playlists by age `age` (deaths h a day). */
static uint64_t dead_by(uint64_t n, double h, int64_t age)
{
  if (age <= 0 || h <= 0)
    return 0;
  double x = floor((double)n * -expm1((double)age * log1p(-h)));
  return x >= (double)n ? n : (uint64_t)x;
}

/* The age at which death slot s of a cohort of n dies: the least a with
 * dead_by(a) > s. */
static int32_t death_age(uint64_t n, double h, uint64_t s)
{
  if (h <= 0 || s + 1 >= n)
    return SG_DAYS_NEVER;
  double a = ceil(log1p(-(double)(s + 1) / (double)n) / log1p(-h));
  if (!(a < SG_DAYS_MAX + 2.0))
    return SG_DAYS_NEVER;
  int64_t k = a < 1 ? 1 : (int64_t)a;
  while (k > 1 && dead_by(n, h, k - 1) > s)
    k--;
  while (dead_by(n, h, k) <= s)
    if (++k > SG_DAYS_MAX + 1)
      return SG_DAYS_NEVER;
  return (int32_t)k;
}

static uint64_t edited_of(const sg_days *w, uint64_t n)
{
  return (uint64_t)floor((double)n * w->r.edited);
}

sg_err sg_days_init(sg_days *w, const sg_catalog *cat, uint64_t rows, const sg_days_rates *r)
{
  memset(w, 0, sizeof *w);
  sg_normal_init();
  w->cat = cat;
  w->seed = cat->seed;
  w->rows = rows;
  w->r = *r;
  w->start = r->start;
  w->blocks = (rows + SG_LAYOUT_BLOCK - 1) / SG_LAYOUT_BLOCK;
  w->block_first = malloc((w->blocks + 1) * sizeof *w->block_first);
  if (!w->block_first)
    return sg_seterr(SG_ENOMEM, "out of memory for the days' playlists");
  w->block_first[0] = 0;
  for (uint64_t b = 0; b < w->blocks; b++)
    w->block_first[b + 1] = w->block_first[b] + sg_layout_block_playlists(cat, b, rows);
  w->playlists0 = w->block_first[w->blocks];
  w->births = (uint64_t)llround((double)w->playlists0 * r->births);
  w->new_first = w->blocks * SG_LAYOUT_BLOCK;
  return SG_OK;
}

void sg_days_free(sg_days *w)
{
  free(w->block_first);
  w->block_first = NULL;
}

uint64_t sg_days_cohort(const sg_days *w, int32_t c) { return c == 0 ? w->playlists0 : w->births; }

/* A uniform word of playlist `index`'s stream `stream`, block `draw`. */
static uint32_t word(const sg_days *w, uint32_t stream, uint64_t index, uint32_t draw, int i)
{
  uint32_t b[4];
  sg_rng_block(w->seed, stream, index, draw, b);
  return b[i];
}

/* Its slot in cohort c's permutation for `purpose`. */
static uint64_t slot_of(const sg_days *w, uint32_t purpose, int32_t c, uint64_t local)
{
  sg_perm p;
  sg_perm_init(&p, w->seed, purpose, (uint64_t)c, sg_days_cohort(w, c));
  return sg_perm_inv(&p, local);
}

static int32_t dies_of(const sg_days *w, int32_t c, uint64_t local)
{
  int32_t age = death_age(sg_days_cohort(w, c), w->r.deaths, slot_of(w, SG_PERM_DEATH, c, local));
  return age == SG_DAYS_NEVER || (int64_t)c + age > SG_DAYS_MAX ? SG_DAYS_NEVER : c + age;
}

/* Its edit cadence and first edit's day, from its slot (every 0: none). */
static void edit_schedule(const sg_days *w, int32_t c, uint64_t local, int32_t *first, int32_t *every)
{
  uint64_t s = slot_of(w, SG_PERM_EDIT, c, local);
  *first = *every = 0;
  if (s >= edited_of(w, sg_days_cohort(w, c)))
    return;
  *every = EDIT_EVERY[s % 16];
  *first = c + 1 + (int32_t)(s / 16 % (uint64_t)*every);
}

void sg_days_playlist(const sg_days *w, int32_t c, uint64_t local, int rows, sg_day_playlist *out)
{
  memset(out, 0, sizeof *out);
  out->born = c;
  out->local = local;
  sg_rng r;
  if (c == 0) {
    uint64_t lo = 0, hi = w->blocks; /* the block b with block_first[b] <= local < block_first[b + 1] */
    while (hi - lo > 1) {
      uint64_t mid = lo + (hi - lo) / 2;
      if (w->block_first[mid] <= local)
        lo = mid;
      else
        hi = mid;
    }
    out->index = lo * SG_LAYOUT_BLOCK + (local - w->block_first[lo]);
    if (rows) {
      uint64_t s, e;
      sg_layout_playlist_rows(w->cat, out->index, w->rows, &s, &e);
      out->first_row = s;
      out->size = (uint32_t)(e - s);
    }
    sg_rng_init(&r, w->seed, SG_STREAM_DAYS, out->index);
  } else {
    out->index = w->new_first + (uint64_t)(c - 1) * w->births + local;
    sg_rng_init(&r, w->seed, SG_STREAM_DAYS, out->index);
    out->size = sg_catalog_playlist_size(w->cat, &r);
  }
  sg_playlist pl;
  sg_catalog_playlist(w->cat, out->index, &pl);
  out->category = pl.category;
  out->growth = w->r.follower_growth + w->r.follower_growth_sd * sg_rng_normal(&r);
  if (c == 0) {
    out->followers = pl.followers;
  } else {
    out->followers = 1;
    out->level = pl.followers;
  }
  /* tracks an edit adds: 1 + Poisson(edit_tracks - 1), at most 50 */
  double u = sg_rng_u01(&r), mean = w->r.edit_tracks - 1, pk = exp(-mean), cdf = pk;
  uint32_t k = 0;
  while (u > cdf && k < 49) {
    k++;
    pk *= mean / k;
    cdf += pk;
  }
  out->edit_tracks = k + 1;
  out->dies = dies_of(w, c, local);
  edit_schedule(w, c, local, &out->edit_first, &out->edit_every);
  uint64_t s = slot_of(w, SG_PERM_COUNT, c, local);
  out->count_every = COUNT_EVERY[s % 16];
  out->count_first = c + 1 + (int32_t)(s / 16 % (uint64_t)out->count_every);
}

uint64_t sg_days_playlist_of_row(const sg_days *w, sg_layout *l, uint64_t row)
{
  uint64_t index = sg_layout_find(w->cat, l, row), block = index / SG_LAYOUT_BLOCK;
  return w->block_first[block] + (index - block * SG_LAYOUT_BLOCK);
}

uint32_t sg_days_edits(const sg_day_playlist *p, int32_t d)
{
  if (p->edit_every == 0 || d < p->edit_first)
    return 0;
  return (uint32_t)((d - p->edit_first) / p->edit_every) + 1;
}

int32_t sg_days_edit_day(const sg_day_playlist *p, uint32_t n)
{
  return p->edit_first + (int32_t)(n - 1) * p->edit_every;
}

uint32_t sg_days_added_at(const sg_day_playlist *p, uint32_t pos)
{
  return pos < p->size ? 0 : (pos - p->size) / p->edit_tracks + 1;
}

int32_t sg_days_placed_on(const sg_day_playlist *p, uint32_t pos)
{
  uint32_t a = sg_days_added_at(p, pos);
  return a == 0 ? p->born : sg_days_edit_day(p, a);
}

uint32_t sg_days_positions(const sg_day_playlist *p, int32_t d)
{
  return p->size + sg_days_edits(p, d) * p->edit_tracks;
}

uint32_t sg_days_removed_at(const sg_days *w, const sg_day_playlist *p, uint32_t pos)
{
  if (p->edit_every == 0 || w->r.edit_removal <= 0)
    return UINT32_MAX;
  double u = sg_u01(word(w, sg_stream_at(SG_STREAM_KEEP, pos), p->index, 0, 0));
  double g = w->r.edit_removal >= 1 ? 1 : 1 + floor(log(u) / log1p(-w->r.edit_removal));
  double at = sg_days_added_at(p, pos) + g;
  return at >= UINT32_MAX - 1.0 ? UINT32_MAX : (uint32_t)at;
}

int sg_days_alive(const sg_day_playlist *p, int32_t d) { return d >= p->born && d < p->dies; }

int sg_days_placed(const sg_day_playlist *p, uint32_t added, uint32_t removed, int32_t d)
{
  uint32_t e = sg_days_edits(p, d);
  return sg_days_alive(p, d) && added <= e && e < removed;
}

int sg_days_live(const sg_days *w, const sg_day_playlist *p, uint32_t pos, int32_t d)
{
  return sg_days_placed(p, sg_days_added_at(p, pos), sg_days_removed_at(w, p, pos), d);
}

int64_t sg_days_followers(const sg_days *w, const sg_day_playlist *p, int32_t d)
{
  if (d < p->count_first)
    return p->followers;
  int32_t u = p->count_first + (d - p->count_first) / p->count_every * p->count_every;
  double z = sg_normal_u32(word(w, sg_stream_at(SG_STREAM_COUNT, (uint32_t)u), p->index, 0, 0));
  double f;
  if (p->born == 0)
    f = (double)p->followers * exp(p->growth * u + w->r.follower_noise * z);
  else
    f = 1 + (double)(p->level - 1) * -expm1(-(u - p->born) / w->r.follower_rise_days) *
                exp(w->r.follower_noise * z);
  f = floor(f + 0.5);
  return f < 1 ? 1 : f > 1e10 ? (int64_t)1e10 : (int64_t)f;
}

/* ---- a day's events ------------------------------------------------------ */

typedef struct events {
  sg_day_event *e;
  size_t n, cap;
  int failed;
} events;

static void push(events *v, sg_day_kind kind, int32_t c, uint64_t local)
{
  if (v->n == v->cap) {
    size_t cap = v->cap ? 2 * v->cap : 1024;
    sg_day_event *e = realloc(v->e, cap * sizeof *e);
    if (!e) {
      v->failed = 1;
      return;
    }
    v->e = e;
    v->cap = cap;
  }
  v->e[v->n++] = (sg_day_event){(uint8_t)kind, c, local};
}

/* The slots s below `limit` of cohort c's permutation (whose slot mod 16
 * sets the cadence from `every`) that come up on day d: for each residue i,
 * i + 16 (phase + every m), the phase being (d - c - 1) mod every. The
 * statement after it runs for each. */
#define FOR_CADENCE_SLOTS(every, c, d, limit, s)                                        \
  for (int i_ = 0; i_ < 16; i_++)                                                       \
    for (uint64_t s = (uint64_t)i_ + 16u * (uint64_t)(((d) - (c) - 1) % (every)[i_]); \
         s < (limit); s += 16u * (uint64_t)(every)[i_])

sg_err sg_days_events(const sg_days *w, int32_t d, sg_day_event **out, size_t *n)
{
  events v = {0};
  for (int32_t c = 0; c < d; c++) {
    uint64_t size = sg_days_cohort(w, c);
    sg_perm p;
    sg_perm_init(&p, w->seed, SG_PERM_DEATH, (uint64_t)c, size);
    for (uint64_t s = dead_by(size, w->r.deaths, d - 1 - c); s < dead_by(size, w->r.deaths, d - c); s++)
      push(&v, SG_DAY_DELETE, c, sg_perm_fwd(&p, s));
  }
  for (int32_t c = 0; c < d; c++) {
    sg_perm p;
    sg_perm_init(&p, w->seed, SG_PERM_EDIT, (uint64_t)c, sg_days_cohort(w, c));
    FOR_CADENCE_SLOTS(EDIT_EVERY, c, d, edited_of(w, p.n), s) {
      uint64_t local = sg_perm_fwd(&p, s);
      if (dies_of(w, c, local) > d)
        push(&v, SG_DAY_EDIT, c, local);
    }
  }
  for (int32_t c = 0; c < d; c++) {
    sg_perm p;
    sg_perm_init(&p, w->seed, SG_PERM_COUNT, (uint64_t)c, sg_days_cohort(w, c));
    FOR_CADENCE_SLOTS(COUNT_EVERY, c, d, p.n, s) {
      uint64_t local = sg_perm_fwd(&p, s);
      sg_day_playlist pl;
      sg_days_playlist(w, c, local, 0, &pl);
      if (pl.dies > d && sg_days_edits(&pl, d) == sg_days_edits(&pl, d - 1) &&
          sg_days_followers(w, &pl, d) != sg_days_followers(w, &pl, d - 1))
        push(&v, SG_DAY_COUNT, c, local);
    }
  }
  for (uint64_t i = 0; i < w->births; i++)
    push(&v, SG_DAY_BIRTH, d, i);
  if (w->catalogue) {
    const sg_catalog *c = w->cat;
    for (uint64_t j = sg_catalog_released(c, d - 1); j < sg_catalog_released(c, d); j++)
      push(&v, SG_DAY_RELEASE, -1, j);
    for (int i = 0; i < SG_RECOUNTS && sg_recount_age[i] < d; i++) {
      int32_t r = d - sg_recount_age[i];
      sg_release rel;
      for (uint64_t j = sg_catalog_released(c, r - 1); j < sg_catalog_released(c, r); j++)
        if (sg_catalog_recount_moves(c, sg_days_release_level(w, c->tracks + j, &rel), i))
          push(&v, SG_DAY_RECOUNT, -1, j);
    }
  }
  if (v.failed) {
    free(v.e);
    return sg_seterr(SG_ENOMEM, "out of memory for day %d's changes", (int)d);
  }
  *out = v.e;
  *n = v.n;
  return SG_OK;
}

double sg_days_release_level(const sg_days *w, uint64_t t, sg_release *rel)
{
  sg_artist a;
  sg_catalog_release(w->cat, t, rel);
  sg_catalog_artist(w->cat, rel->artist, &a);
  return sg_catalog_release_level(w->cat, rel, &a);
}

/* The share of a day's changes made in each hour: quiet from 2 to 6,
 * rising through the day to the evening's peak (18:00-21:00). */
static const double HOURLY[24] = {2.0, 1.2, 0.8, 0.6, 0.5, 0.6, 1.2, 2.4, 3.4, 3.8, 4.0, 4.3,
                                  4.6, 4.7, 4.8, 5.0, 5.3, 5.6, 5.9, 6.1, 6.0, 5.4, 4.3, 3.1};

int32_t sg_days_change_ts(const sg_days *w, uint64_t index, int32_t d)
{
  uint32_t b[4];
  sg_rng_block(w->seed, sg_stream_at(SG_STREAM_COUNT, (uint32_t)d), index, 1, b);
  double total = 0;
  for (int h = 0; h < 24; h++)
    total += HOURLY[h];
  double u = sg_u01(b[0]) * total;
  int h = 0;
  while (h < 23 && u >= HOURLY[h]) {
    u -= HOURLY[h];
    h++;
  }
  return h * 3600 + (int32_t)sg_below(b[1], 3600);
}
