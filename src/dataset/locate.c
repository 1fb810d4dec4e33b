/* locate.c - where a row of a table with days lives (see locate.h). */
#include "spotgen/dataset/locate.h"

#include <stdlib.h>
#include <string.h>

#include "spotgen/model/catalog.h"

void sg_locator_init(sg_locator *l, const sg_days *w, sg_table_id table, const sg_plan *plan, uint64_t per)
{
  memset(l, 0, sizeof *l);
  l->days = w;
  l->table = table;
  l->plan = *plan;
  l->per = per ? per : 1;
}

static void index_free(sg_day_index *x)
{
  free(x->key);
  free(x->event);
  free(x->prefix);
  memset(x, 0, sizeof *x);
}

void sg_locator_free(sg_locator *l)
{
  for (int32_t i = 0; i < l->ndays; i++)
    index_free(&l->day[i]);
  free(l->day);
  l->day = NULL;
  l->ndays = 0;
}

/* Whether p's followers changed on day d (a count that moved them). */
static int followers_changed(const sg_days *w, const sg_day_playlist *p, int32_t d)
{
  return d > p->born && sg_days_followers(w, p, d) != sg_days_followers(w, p, d - 1);
}

/* How many of p's positions below `pos` are in it at the end of day d. */
static uint64_t live_below(const sg_days *w, const sg_day_playlist *p, uint32_t pos, int32_t d)
{
  uint64_t n = 0;
  for (uint32_t i = 0; i < pos; i++)
    n += (uint64_t)sg_days_live(w, p, i, d);
  return n;
}

/* Whether p's event of day w (w > 0) wrote every live row of it (the flat
 * dataset's birth, or a count that moved its followers), or only the
 * rows it added. */
static int writes_all(const sg_locator *l, const sg_day_playlist *p, int32_t w)
{
  return l->table == SG_TABLE_FLAT && (w == p->born || followers_changed(l->days, p, w));
}

uint64_t sg_locate_written(const sg_locator *l, const sg_day_event *e, int32_t w)
{
  const int catalogue = sg_schema_catalogue(l->table);
  if (e->kind >= SG_DAY_RELEASE) /* a track inserted or updated, an album inserted */
    return catalogue && (e->kind == SG_DAY_RELEASE || l->table == SG_TABLE_TRACKS);
  if (e->kind == SG_DAY_DELETE || catalogue)
    return 0;
  sg_day_playlist p;
  sg_days_playlist(l->days, e->cohort, e->local, l->table == SG_TABLE_FLAT, &p);
  if (l->table == SG_TABLE_PLAYLISTS)
    return e->kind == SG_DAY_BIRTH || followers_changed(l->days, &p, w);
  if (e->kind == SG_DAY_BIRTH)
    return p.size;
  if (writes_all(l, &p, w))
    return live_below(l->days, &p, sg_days_positions(&p, w), w);
  return e->kind == SG_DAY_EDIT ? p.edit_tracks : 0;
}

static uint64_t key_of(int32_t cohort, uint64_t local) { return (uint64_t)(uint32_t)cohort << 44 | local; }

typedef struct pair {
  uint64_t key;
  uint32_t event;
} pair;

static int by_pair(const void *a, const void *b)
{
  const pair *x = a, *y = b;
  return x->key < y->key ? -1 : x->key > y->key;
}

/* Day w's events indexed, and the rows each writes summed. */
static sg_err build(sg_locator *l, int32_t w, sg_day_index *x)
{
  sg_day_event *ev;
  size_t n;
  sg_err e = sg_days_events(l->days, w, &ev, &n);
  if (e != SG_OK)
    return e;
  pair *pairs = malloc((n ? n : 1) * sizeof *pairs);
  x->key = malloc((n ? n : 1) * sizeof *x->key);
  x->event = malloc((n ? n : 1) * sizeof *x->event);
  x->prefix = malloc((n + 1) * sizeof *x->prefix);
  if (!pairs || !x->key || !x->event || !x->prefix) {
    free(pairs);
    free(ev);
    index_free(x);
    return sg_seterr(SG_ENOMEM, "out of memory indexing day %d's changes", (int)w);
  }
  x->n = n;
  x->prefix[0] = 0;
  for (size_t i = 0; i < n; i++) {
    x->prefix[i + 1] = x->prefix[i] + sg_locate_written(l, &ev[i], w);
    pairs[i] = (pair){key_of(ev[i].cohort, ev[i].local), (uint32_t)i};
  }
  qsort(pairs, n, sizeof *pairs, by_pair);
  for (size_t i = 0; i < n; i++) {
    x->key[i] = pairs[i].key;
    x->event[i] = pairs[i].event;
  }
  free(pairs);
  free(ev);
  return SG_OK;
}

/* Day w's index, built when first asked. */
static sg_err day_index(sg_locator *l, int32_t w, const sg_day_index **out)
{
  if (w > l->ndays) {
    sg_day_index *grown = realloc(l->day, (size_t)w * sizeof *grown);
    if (!grown)
      return sg_seterr(SG_ENOMEM, "out of memory indexing the days' changes");
    memset(grown + l->ndays, 0, (size_t)(w - l->ndays) * sizeof *grown);
    l->day = grown;
    l->ndays = w;
  }
  sg_day_index *x = &l->day[w - 1];
  if (!x->prefix) {
    sg_err e = build(l, w, x);
    if (e != SG_OK)
      return e;
  }
  *out = x;
  return SG_OK;
}

/* Where the rows of the event numbered `key` (key_of) of day w start: its
 * chunk's data file, at the rows its chunk's events before it write;
 * SG_EDATA when the day has no such event. */
static sg_err find_event(sg_locator *l, int32_t w, uint64_t key, sg_location *out)
{
  const sg_day_index *x = NULL;
  sg_err e = day_index(l, w, &x);
  if (e != SG_OK)
    return e;
  size_t lo = 0, hi = x->n; /* the first key >= key */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (x->key[mid] < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == x->n || x->key[lo] != key)
    return SG_EDATA;
  uint64_t i = x->event[lo], chunk = i / l->per;
  memset(out, 0, sizeof *out);
  out->day = w;
  out->part = chunk;
  out->offset = x->prefix[i] - x->prefix[chunk * l->per];
  return SG_OK;
}

sg_err sg_locate_release(sg_locator *l, uint64_t j, int32_t d, sg_location *out)
{
  const sg_catalog *c = l->days->cat;
  sg_release rel;
  double level = sg_days_release_level(l->days, c->tracks + j, &rel);
  int32_t w = rel.day; /* its release, or its last recount by day d that moved it */
  for (int i = SG_RECOUNTS - 1; i >= 0 && w == rel.day; i--)
    if (rel.day + sg_recount_age[i] <= d && sg_catalog_recount_moves(c, level, i))
      w = rel.day + sg_recount_age[i];
  sg_err e = find_event(l, w, key_of(-1, j), out);
  if (e != SG_OK)
    return sg_seterr(e, "release %llu has no change on day %d, where its row was written", (unsigned long long)j,
                     (int)w);
  return SG_OK;
}

/* The dense number of the first day 0 playlist that starts in part k. */
static uint64_t first_local(const sg_locator *l, uint64_t k)
{
  uint64_t first = sg_plan_part_first_row(&l->plan, k);
  sg_layout lay;
  sg_layout_reset(&lay);
  uint64_t local = sg_days_playlist_of_row(l->days, &lay, first);
  return local + (lay.start < first);
}

/* The day whose file holds the row's version current at the end of day d:
 * the day it was placed, or a later count that moved its playlist's
 * followers (which rewrites the flat rows and the playlist's row). */
static int32_t written_on(const sg_locator *l, const sg_day_playlist *p, uint32_t pos, int32_t d)
{
  int32_t placed = l->table != SG_TABLE_PLAYLISTS ? sg_days_placed_on(p, pos) : p->born;
  if (l->table == SG_TABLE_PLAYLIST_TRACKS || d < p->count_first)
    return placed;
  for (int32_t u = p->count_first + (d - p->count_first) / p->count_every * p->count_every;
       u > placed && u >= p->count_first; u -= p->count_every)
    if (followers_changed(l->days, p, u))
      return u;
  return placed;
}

sg_err sg_locate(sg_locator *l, const sg_day_playlist *p, uint32_t pos, int32_t d, sg_location *out)
{
  int32_t w = written_on(l, p, pos, d);
  memset(out, 0, sizeof *out);
  out->day = w;
  if (w == 0) { /* in day 0's parts */
    if (l->table == SG_TABLE_PLAYLISTS) {
      out->part = sg_plan_part_of_row(&l->plan, p->first_row);
      out->offset = p->local - first_local(l, out->part);
    } else {
      uint64_t row = p->first_row + pos;
      out->part = sg_plan_part_of_row(&l->plan, row);
      out->offset = row - sg_plan_part_first_row(&l->plan, out->part);
    }
    return SG_OK;
  }
  sg_err e = find_event(l, w, key_of(p->born, p->local), out);
  if (e != SG_OK)
    return sg_seterr(e, "playlist %llu has no change on day %d, where its row was written",
                     (unsigned long long)p->index, (int)w);
  if (l->table != SG_TABLE_PLAYLISTS) { /* its rank among its event's rows */
    uint32_t a = sg_days_added_at(p, pos);
    out->offset += writes_all(l, p, w) ? live_below(l->days, p, pos, w)
                   : w == p->born      ? pos
                                       : pos - (p->size + (a - 1) * p->edit_tracks);
  }
  return SG_OK;
}
