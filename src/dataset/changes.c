/* changes.c - a day's changes, and the dataset as of a day (see changes.h). */
#include "spotgen/dataset/changes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/dataset/entities.h"
#include "spotgen/model/rng.h"
#include "spotgen/model/words.h"

#define MAX_REDRAWS 64 /* as the model's: then a track may come twice */

enum { OP_INSERT, OP_DELETE, OP_BEFORE, OP_AFTER };
static const char *const OP_NAMES[4] = {"insert", "delete", "update_before", "update_after"};

static void start(sg_world_rows *it, sg_model *m, const sg_days *w, int32_t day, sg_table_id table)
{
  memset(it, 0, sizeof *it);
  it->model = m;
  it->days = w;
  it->day = day;
  it->table = table;
  sg_layout_reset(&it->layout);
  for (int i = 0; i < 4; i++) {
    snprintf(it->op[i].s, sizeof it->op[i].s, "%s", OP_NAMES[i]);
    sg_text_done(&it->op[i]);
  }
}

/* Whether a playlist starts in part k's rows. */
static int has_start(const sg_days *w, const sg_plan *plan, uint64_t k)
{
  sg_layout l;
  sg_layout_reset(&l);
  uint64_t first = sg_plan_part_first_row(plan, k), last = first + sg_plan_part_rows(plan, k) - 1;
  sg_layout_find(w->cat, &l, last);
  return l.start >= first;
}

void sg_world_asof(sg_world_rows *it, sg_model *m, const sg_days *w, sg_table_id table, const sg_plan *plan,
                   uint64_t k, int32_t D)
{
  start(it, m, w, D, table);
  it->asof = 1;
  it->row = sg_plan_part_first_row(plan, k);
  it->end = it->row + sg_plan_part_rows(plan, k);
  it->born_end = (uint64_t)D * w->births;
  it->parts = plan->parts;
  it->last_part = k + 1 == plan->parts;
  /* the classes of the parts since the last one with a playlist's start */
  it->class_hi = k;
  it->class_lo = k;
  while (it->class_lo > 0 && !has_start(w, plan, it->class_lo - 1))
    it->class_lo--;
  if (!it->born_end || (!has_start(w, plan, k) && !it->last_part))
    it->born_phase = 2; /* none, or a later part writes them */
}

/* The next playlist born since day 0 that this part writes, or 0 when
 * there is none left. */
static int next_born(sg_world_rows *it, uint64_t *g)
{
  while (it->born < it->born_end) {
    uint64_t c = it->born % it->parts;
    if (c >= it->class_lo && c <= it->class_hi) {
      *g = it->born++;
      return 1;
    }
    it->born += c < it->class_lo ? it->class_lo - c : it->parts - c; /* the next of a class */
  }
  return 0;
}

void sg_world_changes(sg_world_rows *it, sg_model *m, const sg_days *w, sg_table_id table, int32_t d,
                      const sg_day_event *ev, size_t n)
{
  start(it, m, w, d, table);
  it->ev = ev;
  it->n = n;
}

void sg_world_asof_of(sg_world_rows *it, sg_model *m, const sg_days *w, sg_table_id table, int32_t D,
                      const sg_day_event *ev, size_t n)
{
  start(it, m, w, D, table);
  it->asof = 1;
  it->ev = ev;
  it->n = n;
}

void sg_world_free(sg_world_rows *it)
{
  free(it->q);
  free(it->base);
  free(it->set);
  free(it->track);
  free(it->need);
  it->q = it->base = NULL;
  it->set = it->track = NULL;
  it->need = NULL;
}

static int reserve(void *pp, size_t *cap, size_t n, size_t size)
{
  if (n <= *cap)
    return 0;
  size_t c = *cap ? *cap : 256;
  while (c < n)
    c *= 2;
  void *p = realloc(*(void **)pp, c * size);
  if (!p)
    return -1;
  *(void **)pp = p;
  *cap = c;
  return 0;
}

/* Whether track t is in the set (mask + 1 slots), adding it when not. */
static int seen(uint64_t *set, size_t mask, uint64_t t)
{
  for (size_t i = (size_t)((t * 0x9E3779B97F4A7C15ull) >> 40) & mask;; i = (i + 1) & mask) {
    if (set[i] == t + 1)
      return 1;
    if (set[i] == 0) {
      set[i] = t + 1;
      return 0;
    }
  }
}

/* The tracks of p's positions [0, npos) into it->track: day 0's the
 * model's, the others each drawn from the position's own stream on the
 * day it was placed (new releases among them), again while the playlist
 * has had the track. */
static int playlist_tracks(sg_world_rows *it, const sg_day_playlist *p, uint32_t npos)
{
  sg_model *m = it->model;
  size_t slots = 64;
  while (slots < 2 * (size_t)npos)
    slots *= 2;
  if (reserve(&it->track, &it->tcap, npos, sizeof *it->track) || reserve(&it->set, &it->setcap, slots, sizeof *it->set))
    return -1;
  memset(it->set, 0, slots * sizeof *it->set);
  uint32_t made = p->born == 0 ? (p->size < npos ? p->size : npos) : 0;
  for (uint32_t i = 0; i < made; i++)
    seen(it->set, slots - 1, it->track[i] = sg_model_track_at(m, p->first_row + i));
  for (uint32_t pos = made; pos < npos; pos++) {
    sg_rng r;
    sg_rng_init(&r, m->catalog.seed, sg_stream_at(SG_STREAM_PLACED, pos), p->index);
    uint64_t t = 0;
    for (int i = 0; i < MAX_REDRAWS; i++) {
      t = sg_catalog_place_on(&m->catalog, p->category, sg_days_placed_on(p, pos), &r);
      if (!seen(it->set, slots - 1, t))
        break;
    }
    it->track[pos] = t;
  }
  return 0;
}

/* The rows of the positions it->need marks into it->base: day 0's from the
 * model, a run at a time; the others placing their tracks. */
static int playlist_rows(sg_world_rows *it, const sg_day_playlist *p, const sg_playlist *pl, uint32_t npos)
{
  sg_model *m = it->model;
  if (reserve(&it->base, &it->bcap, npos, sizeof *it->base))
    return -1;
  uint32_t made = p->born == 0 ? (p->size < npos ? p->size : npos) : 0;
  for (uint32_t a = 0; a < made;) {
    if (!it->need[a]) {
      a++;
      continue;
    }
    uint32_t b = a;
    while (b < made && it->need[b])
      b++;
    sg_model_rows(m, p->first_row + a, b - a, it->base + a);
    a = b;
  }
  for (uint32_t pos = made; pos < npos; pos++)
    if (it->need[pos])
      sg_model_place(m, pl, pos, it->track[pos], &it->base[pos]);
  return 0;
}

/* Queues position pos's row as op `op`, with `followers` and time `ts`. */
static int queue(sg_world_rows *it, uint32_t pos, int op, int64_t followers, int64_t ts)
{
  if (reserve(&it->q, &it->qcap, it->qn + 1, sizeof *it->q))
    return -1;
  sg_row *r = &it->q[it->qn++];
  *r = it->base[pos];
  r->num_followers = followers;
  r->op = it->asof ? NULL : &it->op[op];
  r->change_ts = ts;
  r->playlist_first = 0;
  switch (op) {
  case OP_INSERT: it->counts.inserts++; break;
  case OP_DELETE: it->counts.deletes++; break;
  case OP_AFTER: it->counts.updates++; break;
  default: break;
  }
  return 0;
}

enum { NONE, INSERT = 1, DELETE = 2, UPDATE = 4 };

/* What becomes of a row on the day, from whether it is in the world at the
 * end of the day before (l0) and of the day (l1), and (when in at both)
 * whether its followers changed. */
static uint8_t change_op(int l0, int l1, int changed)
{
  return l0 && !l1 ? DELETE : !l0 && l1 ? INSERT : l0 && changed ? UPDATE : NONE;
}

/* What becomes of position pos of p on day d: live at the end of the day
 * before and of the day (one removal draw), and whether its playlist's
 * followers moved (when the table holds them). */
static uint8_t position_change(const sg_days *w, const sg_day_playlist *p, uint32_t pos, int32_t d, int moved)
{
  uint32_t added = sg_days_added_at(p, pos), gone = sg_days_removed_at(w, p, pos);
  return change_op(sg_days_placed(p, added, gone, d - 1), sg_days_placed(p, added, gone, d), moved);
}

/* What becomes of p's row of the playlists table on day d. */
static uint8_t playlist_change(const sg_days *w, const sg_day_playlist *p, int32_t d, int64_t *f0, int64_t *f1)
{
  int l1 = sg_days_alive(p, d), l0 = sg_days_alive(p, d - 1);
  *f1 = sg_days_followers(w, p, d);
  *f0 = l0 ? sg_days_followers(w, p, d - 1) : *f1;
  return change_op(l0, l1, *f0 != *f1);
}

int sg_world_removes(const sg_world_rows *it, const sg_row *r)
{
  return r->op == &it->op[OP_DELETE] || r->op == &it->op[OP_BEFORE];
}

size_t sg_world_gone(const sg_days *w, sg_table_id table, int32_t d, const sg_day_playlist *p, uint32_t *pos)
{
  int64_t f0, f1;
  if (table == SG_TABLE_PLAYLISTS) {
    uint8_t op = playlist_change(w, p, d, &f0, &f1);
    pos[0] = 0;
    return op == DELETE || op == UPDATE;
  }
  f1 = sg_days_followers(w, p, d);
  f0 = d > p->born ? sg_days_followers(w, p, d - 1) : f1;
  const int moved = f0 != f1 && table == SG_TABLE_FLAT;
  size_t n = 0;
  for (uint32_t i = 0, npos = sg_days_positions(p, d); i < npos; i++) {
    uint8_t op = position_change(w, p, i, d, moved);
    if (op == DELETE || op == UPDATE)
      pos[n++] = i;
  }
  return n;
}

/* The time of playlist p's changes on the day (0 as of it). */
static int64_t change_time(const sg_world_rows *it, const sg_day_playlist *p)
{
  const sg_days *w = it->days;
  return it->asof ? 0 : ((int64_t)(w->start + it->day) * 86400 + sg_days_change_ts(w, p->index, it->day)) * 1000000;
}

/* Queues the row of the playlists table in the place of p's rows: its
 * change on the day, or (as of the day) the playlist when it starts in the
 * part (lo 0) and is in the world. */
static int playlist_row(sg_world_rows *it, const sg_day_playlist *p, uint32_t lo)
{
  const sg_days *w = it->days;
  const int32_t d = it->day;
  int64_t f0, f1;
  uint8_t op = it->asof ? (sg_days_alive(p, d) && lo == 0 ? INSERT : NONE) : playlist_change(w, p, d, &f0, &f1);
  if (it->asof)
    f0 = f1 = sg_days_followers(w, p, d);
  if (op == NONE)
    return 0;
  sg_playlist pl;
  sg_catalog_playlist(w->cat, p->index, &pl);
  if (reserve(&it->base, &it->bcap, 1, sizeof *it->base))
    return -1;
  sg_entities_playlist(it->model, &pl, f1, &it->base[0]);
  int64_t ts = change_time(it, p);
  switch (op) {
  case INSERT: return queue(it, 0, OP_INSERT, f1, ts);
  case DELETE: return queue(it, 0, OP_DELETE, f0, ts);
  default: return queue(it, 0, OP_BEFORE, f0, ts) || queue(it, 0, OP_AFTER, f1, ts);
  }
}

/* Queues what becomes of playlist p (its rows known) on the day: its
 * changes, or (as of the day) its live positions in [lo, hi). A position's
 * op (what it becomes) is found first, and only the rows of the positions
 * that have one are made. The playlists table has one row of p instead
 * (playlist_row); playlist_tracks' rows are the flat ones, less the
 * updates of followers, which it does not hold. */
static int playlist(sg_world_rows *it, const sg_day_playlist *pp, uint32_t lo, uint32_t hi)
{
  if (it->table == SG_TABLE_PLAYLISTS)
    return playlist_row(it, pp, lo);
  const sg_days *w = it->days;
  const int32_t d = it->day;
  const sg_day_playlist p = *pp;
  sg_playlist pl;
  sg_catalog_playlist(w->cat, p.index, &pl);
  uint32_t npos = sg_days_positions(&p, d);
  if (hi > npos)
    hi = npos;
  if (playlist_tracks(it, &p, npos) || reserve(&it->need, &it->ncap, npos, 1))
    return -1;
  int64_t f1 = sg_days_followers(w, &p, d);
  int64_t f0 = !it->asof && d > p.born ? sg_days_followers(w, &p, d - 1) : f1;
  const int moved = f0 != f1 && it->table == SG_TABLE_FLAT;
  int first = 1; /* as of the day: the playlist's first row counts its followers (stats.h) */
  for (uint32_t pos = 0; pos < npos; pos++) {
    uint8_t op = NONE;
    if (it->asof) {
      int l1 = sg_days_live(w, &p, pos, d);
      op = l1 && pos >= lo && pos < hi ? INSERT : NONE;
      if (pos < lo && l1)
        first = 0;
    } else {
      op = position_change(w, &p, pos, d, moved);
    }
    it->need[pos] = op;
  }
  if (playlist_rows(it, &p, &pl, npos))
    return -1;
  int64_t ts = change_time(it, &p);
  for (uint32_t pos = 0; pos < npos; pos++) {
    int e = 0;
    switch (it->need[pos]) {
    case INSERT:
      e = queue(it, pos, OP_INSERT, f1, ts);
      if (!e && it->asof) {
        it->q[it->qn - 1].playlist_first = (uint8_t)first;
        first = 0;
      }
      break;
    case DELETE: e = queue(it, pos, OP_DELETE, f0, ts); break;
    case UPDATE: e = queue(it, pos, OP_BEFORE, f0, ts) || queue(it, pos, OP_AFTER, f1, ts); break;
    default: break;
    }
    if (e)
      return -1;
  }
  return 0;
}

/* Whether event e makes rows of table t: the catalogue's events, of the
 * tracks and albums tables (an album only at a release); the playlists',
 * of the others (a count alone not of playlist_tracks, which holds no
 * followers). */
static int makes_rows(sg_table_id t, const sg_day_event *e)
{
  if (sg_schema_catalogue(t))
    return e->kind == SG_DAY_RELEASE || (e->kind == SG_DAY_RECOUNT && t == SG_TABLE_TRACKS);
  return e->kind < SG_DAY_RELEASE && !(e->kind == SG_DAY_COUNT && t == SG_TABLE_PLAYLIST_TRACKS);
}

/* Releases come out at midnight; the catalogue counts popularity again at
 * 03:00, nightly. */
#define RECOUNT_HOUR 3

/* Queues the rows of a catalogue event of the day: a release's track (or
 * single) inserted, a recount's track updated. */
static int catalogue_event(sg_world_rows *it, const sg_day_event *e)
{
  sg_model *m = it->model;
  const int32_t d = it->day;
  const sg_track *k = sg_model_track(m, m->catalog.tracks + e->local);
  if (reserve(&it->base, &it->bcap, 2, sizeof *it->base))
    return -1;
  int64_t ts = (int64_t)(it->days->start + d) * 86400;
  if (e->kind == SG_DAY_RELEASE) {
    if (it->table == SG_TABLE_ALBUMS)
      sg_entities_single(m, k, &it->base[0]);
    else
      sg_entities_track(m, k, d, &it->base[0]);
    return queue(it, 0, OP_INSERT, 0, ts * 1000000);
  }
  ts = (ts + RECOUNT_HOUR * 3600) * 1000000;
  sg_entities_track(m, k, d - 1, &it->base[0]);
  sg_entities_track(m, k, d, &it->base[1]);
  return queue(it, 0, OP_BEFORE, 0, ts) || queue(it, 1, OP_AFTER, 0, ts);
}

/* The next playlist's rows into the queue, or 0 when there are none. */
static int refill(sg_world_rows *it)
{
  const sg_days *w = it->days;
  it->qi = it->qn = 0;
  while (it->qn == 0) {
    if (it->asof && it->ev) { /* the listed playlists' states */
      if (it->i == it->n)
        return 0;
      const sg_day_event *e = &it->ev[it->i++];
      if (e->kind >= SG_DAY_RELEASE)
        continue;
      sg_day_playlist p;
      sg_days_playlist(w, e->cohort, e->local, 1, &p);
      if (sg_days_alive(&p, it->day) && playlist(it, &p, 0, UINT32_MAX))
        return -1;
    } else if (!it->asof) {
      if (it->i == it->n)
        return 0;
      const sg_day_event *e = &it->ev[it->i++];
      if (!makes_rows(it->table, e))
        continue;
      if (e->kind >= SG_DAY_RELEASE) {
        if (catalogue_event(it, e))
          return -1;
        continue;
      }
      sg_day_playlist p;
      sg_days_playlist(w, e->cohort, e->local, 1, &p);
      if (playlist(it, &p, 0, UINT32_MAX))
        return -1;
    } else if (it->born_phase == 1) {
      uint64_t g;
      if (!next_born(it, &g)) {
        it->born_phase = 2;
        continue;
      }
      int32_t c = (int32_t)(g / w->births) + 1;
      sg_day_playlist p;
      sg_days_playlist(w, c, g % w->births, 0, &p);
      if (p.dies > it->day && playlist(it, &p, 0, UINT32_MAX))
        return -1;
    } else if (it->row < it->end) {
      /* day 0's playlist at it->row: its rows in the part, and what was
         added to it when its last row is the part's; the playlists born
         since come before the first that starts in the part */
      uint64_t local = sg_days_playlist_of_row(w, &it->layout, it->row);
      uint64_t first = it->layout.start, end = it->layout.end < w->rows ? it->layout.end : w->rows;
      if (first == it->row && it->born_phase == 0) {
        it->born_phase = 1;
        continue;
      }
      uint32_t lo = (uint32_t)(it->row - first);
      uint32_t hi = end <= it->end ? UINT32_MAX : (uint32_t)(it->end - first);
      it->row = end < it->end ? end : it->end;
      sg_day_playlist p;
      sg_days_playlist(w, 0, local, 0, &p);
      p.first_row = first;
      p.size = (uint32_t)(end - first);
      if (p.dies > it->day && playlist(it, &p, lo, hi))
        return -1;
    } else if (it->born_phase == 0) { /* the last part, in which no playlist starts */
      it->born_phase = 1;
    } else {
      return 0;
    }
  }
  return 1;
}

int sg_world_next(sg_world_rows *it, sg_row *out)
{
  if (it->qi == it->qn) {
    int r = refill(it);
    if (r <= 0) {
      if (r < 0)
        sg_seterr(SG_ENOMEM, "out of memory for a playlist's rows");
      return r;
    }
  }
  *out = it->q[it->qi++];
  return 1;
}
