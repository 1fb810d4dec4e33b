/* The days: the permutations are permutations; day 0's playlists are the
 * layout's, numbered densely; and a day's events, found by runs of slots,
 * are exactly those each playlist's own schedule gives (each playlist's
 * death, edits and counts computed alone, O(1)): at most one a playlist a
 * day, deletions once, none after. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/dataset/changes.h"
#include "spotgen/dataset/locate.h"
#include "spotgen/model/catalog.h"
#include "spotgen/model/days.h"
#include "spotgen/model/model.h"
#include "spotgen/model/plan.h"
#include "support.h"

static void permutations_are_bijections(void **state)
{
  (void)state;
  const uint64_t sizes[] = {1, 2, 3, 5, 16, 17, 1000, 4097, 65536, 100003};
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    uint64_t n = sizes[k];
    sg_perm p;
    sg_perm_init(&p, 7, SG_PERM_DEATH, k, n);
    uint8_t *seen = calloc(n, 1);
    uint64_t fixed = 0;
    for (uint64_t s = 0; s < n; s++) {
      uint64_t x = sg_perm_fwd(&p, s);
      assert_true(x < n);
      assert_false(seen[x]);
      seen[x] = 1;
      assert_int_equal(sg_perm_inv(&p, x), s);
      fixed += x == s;
    }
    free(seen);
    if (n >= 1000) /* not the identity, nor close to it */
      assert_true(fixed < n / 100);
  }
  /* another cohort, another purpose: another order */
  sg_perm a, b, c;
  sg_perm_init(&a, 7, SG_PERM_DEATH, 0, 1000);
  sg_perm_init(&b, 7, SG_PERM_DEATH, 1, 1000);
  sg_perm_init(&c, 7, SG_PERM_EDIT, 0, 1000);
  int same_b = 0, same_c = 0;
  for (uint64_t s = 0; s < 1000; s++) {
    same_b += sg_perm_fwd(&a, s) == sg_perm_fwd(&b, s);
    same_c += sg_perm_fwd(&a, s) == sg_perm_fwd(&c, s);
  }
  assert_true(same_b < 10 && same_c < 10);
}

/* High rates, so that a few days of a small world see every kind of event. */
static sg_days_rates busy(void)
{
  sg_days_rates r = test_config()->days;
  r.births = 0.02;
  r.deaths = 0.01;
  r.edited = 0.5;
  r.edit_removal = 0.2;
  r.follower_noise = 0.05;
  return r;
}

static void day0_playlists_are_the_layouts(void **state)
{
  (void)state;
  const uint64_t rows = 3 * SG_LAYOUT_BLOCK + 1234;
  sg_catalog cat;
  sg_catalog_init(&cat, 11, rows, test_config());
  sg_days w;
  sg_days_rates r = busy();
  assert_int_equal(sg_days_init(&w, &cat, rows, &r), SG_OK);
  sg_layout l, l2;
  sg_layout_reset(&l);
  sg_layout_reset(&l2);
  uint64_t count = 0, prev = UINT64_MAX;
  for (uint64_t row = 0; row < rows; row++) {
    uint64_t index = sg_layout_find(&cat, &l, row);
    uint64_t local = sg_days_playlist_of_row(&w, &l2, row);
    if (index != prev) {
      assert_int_equal(local, count); /* dense, in layout order */
      sg_day_playlist p;
      sg_days_playlist(&w, 0, local, 1, &p);
      assert_int_equal(p.index, index);
      assert_int_equal(p.first_row, row);
      uint64_t end = l.end < rows ? l.end : rows;
      assert_int_equal(p.size, end - row);
      sg_playlist pl;
      sg_catalog_playlist(&cat, index, &pl);
      assert_int_equal(sg_days_followers(&w, &p, 0), pl.followers); /* day 0 as it was */
      assert_int_equal(p.category, pl.category);
      count++;
      prev = index;
    }
  }
  assert_int_equal(w.playlists0, count);
  assert_true(w.births >= 1);
  sg_days_free(&w);
}

/* Every playlist's events on days 1..D, from its schedule alone, against
 * the days' enumeration. */
static void events_are_the_schedules(void **state)
{
  (void)state;
  const uint64_t rows = 2 * SG_LAYOUT_BLOCK;
  const int32_t D = 45;
  sg_catalog cat;
  sg_catalog_init(&cat, 5, rows, test_config());
  sg_days w;
  sg_days_rates r = busy();
  assert_int_equal(sg_days_init(&w, &cat, rows, &r), SG_OK);
  uint64_t deleted = 0, edits = 0, counts = 0, births = 0;
  for (int32_t d = 1; d <= D; d++) {
    sg_day_event *ev;
    size_t n;
    assert_int_equal(sg_days_events(&w, d, &ev, &n), SG_OK);
    /* what each playlist's schedule says of day d, by cohort and local */
    size_t expect = 0;
    for (int32_t c = 0; c <= d; c++) {
      uint64_t size = sg_days_cohort(&w, c);
      for (uint64_t i = 0; i < size; i++) {
        sg_day_playlist p;
        sg_days_playlist(&w, c, i, 0, &p);
        int kind = -1;
        if (c == d)
          kind = SG_DAY_BIRTH;
        else if (p.dies == d)
          kind = SG_DAY_DELETE;
        else if (p.dies > d && sg_days_edits(&p, d) > sg_days_edits(&p, d - 1))
          kind = SG_DAY_EDIT;
        else if (p.dies > d && sg_days_followers(&w, &p, d) != sg_days_followers(&w, &p, d - 1))
          kind = SG_DAY_COUNT;
        if (kind < 0)
          continue;
        expect++;
        size_t found = 0;
        for (size_t e = 0; e < n; e++)
          if (ev[e].cohort == c && ev[e].local == i) {
            assert_int_equal(ev[e].kind, kind);
            found++;
          }
        assert_int_equal(found, 1); /* once: one event a playlist a day */
        deleted += kind == SG_DAY_DELETE && c == 0;
        edits += kind == SG_DAY_EDIT;
        counts += kind == SG_DAY_COUNT;
        births += kind == SG_DAY_BIRTH;
      }
    }
    assert_int_equal(n, expect); /* and nothing else */
    /* in their order: deletions, edits, counts, births */
    for (size_t e = 1; e < n; e++)
      assert_true(ev[e - 1].kind <= ev[e].kind);
    free(ev);
  }
  /* about the rates: 1% of day 0's playlists deleted a day, 2% as many born */
  double expect_deleted = (double)w.playlists0 * (1 - pow(1 - r.deaths, D));
  assert_true(fabs((double)deleted - expect_deleted) < 0.3 * expect_deleted + 10);
  assert_int_equal(births, (uint64_t)D * w.births);
  assert_true(edits > 0 && counts > 0);
  sg_days_free(&w);
}

/* A placement: in its playlist from the edit that placed it until the edit
 * that removes it, and not after its playlist's death. */
static void placements_live_between_their_edits(void **state)
{
  (void)state;
  const uint64_t rows = SG_LAYOUT_BLOCK;
  sg_catalog cat;
  sg_catalog_init(&cat, 9, rows, test_config());
  sg_days w;
  sg_days_rates r = busy();
  assert_int_equal(sg_days_init(&w, &cat, rows, &r), SG_OK);
  int edited = 0, removed = 0;
  for (uint64_t i = 0; i < w.playlists0; i++) {
    sg_day_playlist p;
    sg_days_playlist(&w, 0, i, 1, &p);
    if (!p.edit_every)
      continue;
    edited++;
    for (uint32_t pos = 0; pos < sg_days_positions(&p, 60); pos++) {
      uint32_t at = sg_days_added_at(&p, pos), gone = sg_days_removed_at(&w, &p, pos);
      assert_true(gone > at);
      removed += gone <= sg_days_edits(&p, 60);
      for (int32_t d = 0; d <= 60; d++) {
        uint32_t e = sg_days_edits(&p, d);
        int live = d < p.dies && at <= e && e < gone;
        assert_int_equal(sg_days_live(&w, &p, pos, d), live);
      }
    }
    assert_true(p.edit_first >= 1 && p.edit_first <= p.edit_every);
    assert_int_equal(sg_days_edit_day(&p, 1), p.edit_first);
  }
  assert_true(edited > 0 && removed > 0);
  sg_days_free(&w);
}

static void change_times_follow_the_day(void **state)
{
  (void)state;
  sg_catalog cat;
  sg_catalog_init(&cat, 9, SG_LAYOUT_BLOCK, test_config());
  sg_days w;
  sg_days_rates r = busy();
  assert_int_equal(sg_days_init(&w, &cat, SG_LAYOUT_BLOCK, &r), SG_OK);
  int hours[24] = {0};
  for (uint64_t i = 0; i < 20000; i++) {
    int32_t t = sg_days_change_ts(&w, i, 3);
    assert_true(t >= 0 && t < 86400);
    hours[t / 3600]++;
  }
  assert_true(hours[19] > 5 * hours[4]); /* evening busy, early morning quiet */
  sg_days_free(&w);
}

/* A row as the invariant compares it: its key and what changes. The key
 * is its playlist (the first bytes of its id, which a row of the playlists
 * table has too) and its position; a row of the playlists table has
 * position 0 and no track, one of playlist_tracks no followers. */
typedef struct fact {
  uint64_t playlist;
  int64_t position; /* (no padding: facts are compared as bytes) */
  uint64_t track;
  int64_t followers;
} fact;

static int by_key(const void *a, const void *b)
{
  const fact *x = a, *y = b;
  if (x->playlist != y->playlist)
    return x->playlist < y->playlist ? -1 : 1;
  return x->position < y->position ? -1 : x->position > y->position;
}

static fact fact_of(sg_table_id t, const sg_row *r)
{
  uint64_t p;
  if (t == SG_TABLE_TRACKS) { /* a track: its id, and its popularity */
    memcpy(&p, r->track_id, sizeof p);
    return (fact){p, 0, 0, r->popularity_score};
  }
  memcpy(&p, r->playlist_id, sizeof p);
  if (t == SG_TABLE_PLAYLISTS)
    return (fact){p, 0, 0, r->num_followers};
  return (fact){p, r->position, r->track, t == SG_TABLE_FLAT ? r->num_followers : 0};
}

/* The state of table t on day D over all parts of `plan`, sorted by key;
 * the flat dataset's playlists' rows are one run each, through the parts
 * in order, and its first row says so (what counts its followers). */
static fact *state(sg_model *m, const sg_days *w, sg_table_id t, const sg_plan *plan, int32_t D, size_t *n)
{
  size_t cap = 1024, runs = 0;
  fact *f = malloc(cap * sizeof *f);
  uint64_t prev = UINT64_MAX;
  *n = 0;
  for (uint64_t k = 0; k < plan->parts; k++) {
    sg_world_rows it;
    sg_world_asof(&it, m, w, t, plan, k, D);
    sg_row r;
    while (sg_world_next(&it, &r) == 1) {
      if (*n == cap)
        f = realloc(f, (cap *= 2) * sizeof *f);
      f[(*n)++] = fact_of(t, &r);
      if (t != SG_TABLE_PLAYLISTS)
        assert_int_equal(r.playlist_first, r.playlist != prev);
      runs += r.playlist != prev;
      prev = r.playlist;
    }
    sg_world_free(&it);
  }
  qsort(f, *n, sizeof *f, by_key);
  size_t playlists = *n > 0;
  for (size_t i = 1; i < *n; i++) { /* a key once */
    assert_true(by_key(&f[i - 1], &f[i]) < 0);
    playlists += f[i].playlist != f[i - 1].playlist;
  }
  if (t != SG_TABLE_PLAYLISTS)
    assert_int_equal(runs, playlists);
  return f;
}

/* The playlists table's state is the flat state's playlists, each with
 * its followers. */
static void playlists_of_flat(const fact *flat, size_t nflat, const fact *pl, size_t npl)
{
  size_t j = 0;
  for (size_t i = 0; i < nflat; i++) {
    if (i > 0 && flat[i].playlist == flat[i - 1].playlist)
      continue;
    assert_true(j < npl);
    assert_int_equal(pl[j].playlist, flat[i].playlist);
    assert_int_equal(pl[j].followers, flat[i].followers);
    j++;
  }
  assert_int_equal(j, npl);
}

/* Day d's changes of table t applied to `before` (n0 facts, sorted): the
 * deletes and before-images must be its rows as they were, each once;
 * the state after, sorted, into *n. */
static fact *apply_day(sg_model *m, const sg_days *w, sg_table_id t, int32_t d, const fact *before, size_t n0,
                       size_t *n, sg_change_counts *total)
{
  sg_day_event *ev;
  size_t nev;
  assert_int_equal(sg_days_events(w, d, &ev, &nev), SG_OK);
  sg_world_rows it;
  sg_world_changes(&it, m, w, t, d, ev, nev);
  size_t cap = n0 + 4096, k = n0;
  fact *next = malloc(cap * sizeof *next);
  memcpy(next, before, n0 * sizeof *next);
  uint8_t *gone = calloc(cap, 1);
  sg_row got;
  while (sg_world_next(&it, &got) == 1) {
    fact f = fact_of(t, &got);
    assert_int_equal(got.change_ts / 1000000 / 86400, w->start + d); /* on its day */
    if (strcmp(got.op->s, "delete") == 0 || strcmp(got.op->s, "update_before") == 0) {
      const fact *at = bsearch(&f, before, n0, sizeof *before, by_key);
      assert_non_null(at);
      assert_memory_equal(at, &f, sizeof f); /* the row as it was */
      assert_false(gone[at - before]);
      gone[at - before] = 1;
    } else {
      assert_true(strcmp(got.op->s, "insert") == 0 || strcmp(got.op->s, "update_after") == 0);
      if (k == cap) {
        next = realloc(next, (cap *= 2) * sizeof *next);
        gone = realloc(gone, cap);
      }
      gone[k] = 0;
      next[k++] = f;
    }
  }
  total->inserts += it.counts.inserts;
  total->deletes += it.counts.deletes;
  total->updates += it.counts.updates;
  sg_world_free(&it);
  free(ev);
  *n = 0;
  for (size_t j = 0; j < k; j++)
    if (j >= n0 || !gone[j])
      next[(*n)++] = next[j];
  free(gone);
  qsort(next, *n, sizeof *next, by_key);
  return next;
}

/* The busy world the days' invariants are checked on: a layout block and
 * 5000 rows more, cut in parts of 20000 rows, day 0 on 2024-01-01 (a Monday). */
#define BUSY_ROWS (SG_LAYOUT_BLOCK + 5000)
static void busy_world(sg_model *m, sg_days *w, sg_plan *plan)
{
  test_model_init(m, 21, BUSY_ROWS);
  sg_days_rates r = busy();
  assert_int_equal(sg_days_init(w, &m->catalog, BUSY_ROWS, &r), SG_OK);
  *plan = sg_plan_make(BUSY_ROWS, 20000, 0);
}

/* As of day 0 is day 0's dataset, row for row; and every day's changes
 * applied to the state of the day before give the state of the day: for
 * the flat dataset, and for --tables' playlists and playlist_tracks, whose
 * states are the flat one's playlists and placements. */
static void changes_take_each_day_to_the_next(void **state_)
{
  (void)state_;
  const uint64_t rows = BUSY_ROWS;
  static sg_model m;
  sg_days w;
  sg_plan plan;
  busy_world(&m, &w, &plan);
  /* day 0 */
  sg_row *day0 = malloc(rows * sizeof *day0), got;
  sg_model_rows(&m, 0, rows, day0);
  uint64_t i = 0;
  for (uint64_t k = 0; k < plan.parts; k++) {
    sg_world_rows it;
    sg_world_asof(&it, &m, &w, SG_TABLE_FLAT, &plan, k, 0);
    while (sg_world_next(&it, &got) == 1) {
      assert_true(i < rows);
      assert_int_equal(got.playlist, day0[i].playlist);
      assert_int_equal(got.position, day0[i].position);
      assert_int_equal(got.track, day0[i].track);
      assert_int_equal(got.num_followers, day0[i].num_followers);
      assert_int_equal(got.playlist_first, day0[i].playlist_first);
      assert_string_equal(got.track_name.s, day0[i].track_name.s);
      i++;
    }
    sg_world_free(&it);
  }
  assert_int_equal(i, rows);
  free(day0);
  static const sg_table_id T[3] = {SG_TABLE_FLAT, SG_TABLE_PLAYLIST_TRACKS, SG_TABLE_PLAYLISTS};
  fact *before[3];
  size_t n0[3];
  sg_change_counts total[3] = {{0}};
  for (int t = 0; t < 3; t++)
    before[t] = state(&m, &w, T[t], &plan, 0, &n0[t]);
  playlists_of_flat(before[0], n0[0], before[2], n0[2]);
  for (int32_t d = 1; d <= 12; d++) {
    for (int t = 0; t < 3; t++) {
      size_t n, nd;
      fact *next = apply_day(&m, &w, T[t], d, before[t], n0[t], &n, &total[t]);
      fact *want = state(&m, &w, T[t], &plan, d, &nd);
      assert_int_equal(n, nd);
      for (size_t j = 0; j < nd; j++)
        assert_memory_equal(&next[j], &want[j], sizeof want[j]);
      free(next);
      free(before[t]);
      before[t] = want;
      n0[t] = nd;
    }
    assert_int_equal(n0[1], n0[0]); /* the placements are the flat rows */
    playlists_of_flat(before[0], n0[0], before[2], n0[2]);
  }
  /* cut into parts smaller than playlists (in many of which no playlist
     starts), the state is the same rows, each playlist still one run, and
     the same playlists */
  sg_plan small = sg_plan_make(rows, 37, 0);
  for (int t = 0; t < 3; t += 2) {
    size_t ns;
    fact *cut = state(&m, &w, T[t], &small, 12, &ns);
    assert_int_equal(ns, n0[t]);
    for (size_t j = 0; j < ns; j++)
      assert_memory_equal(&cut[j], &before[t][j], sizeof cut[j]);
    free(cut);
  }
  for (int t = 0; t < 3; t++) {
    free(before[t]);
    assert_true(total[t].inserts > 0 && total[t].deletes > 0);
  }
  assert_true(total[0].updates > 0 && total[2].updates > 0);
  assert_int_equal(total[1].updates, 0); /* a placement is never updated */
  assert_int_equal(total[1].inserts, total[0].inserts);
  assert_int_equal(total[1].deletes, total[0].deletes);
  sg_days_free(&w);
}

/* A table's files as an Iceberg table of its days holds them: day 0's
 * parts, then each day's chunks' inserts and update_afters. */
typedef struct files {
  fact **f;
  size_t *n;
  size_t count;
} files;

static void files_add(files *x, sg_model *m, const sg_days *w, sg_table_id t, sg_world_rows *it)
{
  x->f = realloc(x->f, (x->count + 1) * sizeof *x->f);
  x->n = realloc(x->n, (x->count + 1) * sizeof *x->n);
  size_t cap = 64, n = 0;
  fact *f = malloc(cap * sizeof *f);
  sg_row r;
  (void)m;
  (void)w;
  while (sg_world_next(it, &r) == 1) {
    if (r.op && (strcmp(r.op->s, "delete") == 0 || strcmp(r.op->s, "update_before") == 0))
      continue;
    if (n == cap)
      f = realloc(f, (cap *= 2) * sizeof *f);
    f[n++] = fact_of(t, &r);
  }
  sg_world_free(it);
  x->f[x->count] = f;
  x->n[x->count++] = n;
}

/* Every row a day deletes or updates is, in the table's files, where the
 * locator says its current version is: for the flat dataset, playlists,
 * playlist_tracks and (the catalogue's recounts) tracks, through days
 * whose changes are cut in chunks of 7 events. And each chunk's file
 * holds the rows the locator counts. */
static void locator_finds_every_deleted_row(void **state_)
{
  (void)state_;
  const uint64_t per = 7;
  static sg_model m;
  sg_days w;
  sg_plan plan;
  busy_world(&m, &w, &plan);
  w.catalogue = 1;
  static const sg_table_id T[4] = {SG_TABLE_FLAT, SG_TABLE_PLAYLIST_TRACKS, SG_TABLE_PLAYLISTS, SG_TABLE_TRACKS};
  for (int t = 0; t < 4; t++) {
    /* the tracks' through day 16: days 1 .. 2's releases counted again on
       days 8 .. 9 and 15 .. 16, whose before-images are the first count's */
    const int32_t last = T[t] == SG_TABLE_TRACKS ? 16 : 10;
    files base = {0}, day[17] = {{0}};
    for (uint64_t k = 0; T[t] != SG_TABLE_TRACKS && k < plan.parts; k++) {
      sg_world_rows it;
      sg_world_asof(&it, &m, &w, T[t], &plan, k, 0);
      files_add(&base, &m, &w, T[t], &it);
    }
    sg_locator loc;
    sg_locator_init(&loc, &w, T[t], &plan, per);
    uint64_t located = 0, recounted = 0;
    for (int32_t d = 1; d <= last; d++) {
      sg_day_event *ev;
      size_t nev;
      assert_int_equal(sg_days_events(&w, d, &ev, &nev), SG_OK);
      for (size_t i = 0; i < nev; i++) {
        const int catalogue = ev[i].kind >= SG_DAY_RELEASE;
        if (catalogue != (T[t] == SG_TABLE_TRACKS))
          continue;
        sg_day_playlist p;
        if (!catalogue)
          sg_days_playlist(&w, ev[i].cohort, ev[i].local, 1, &p);
        sg_world_rows it;
        sg_world_changes(&it, &m, &w, T[t], d, ev + i, 1);
        sg_row got;
        while (sg_world_next(&it, &got) == 1) {
          if (strcmp(got.op->s, "delete") != 0 && strcmp(got.op->s, "update_before") != 0)
            continue;
          sg_location at;
          if (catalogue)
            assert_int_equal(sg_locate_release(&loc, ev[i].local, d - 1, &at), SG_OK);
          else
            assert_int_equal(sg_locate(&loc, &p, (uint32_t)got.position, d - 1, &at), SG_OK);
          const files *x = at.day == 0 ? &base : &day[at.day];
          recounted += catalogue && at.day > 7; /* a before-image that a recount wrote */
          assert_true(at.part < x->count);
          assert_true(at.offset < x->n[at.part]);
          fact want = fact_of(T[t], &got);
          assert_memory_equal(&x->f[at.part][at.offset], &want, sizeof want);
          located++;
        }
        sg_world_free(&it);
      }
      for (size_t c = 0; c * per < nev || c == 0; c++) { /* the day's files, a chunk each */
        size_t first = c * per, n = nev - first < per ? nev - first : per;
        sg_world_rows it;
        sg_world_changes(&it, &m, &w, T[t], d, ev + first, n);
        files_add(&day[d], &m, &w, T[t], &it);
        uint64_t counted = 0;
        for (size_t i = first; i < first + n; i++)
          counted += sg_locate_written(&loc, &ev[i], d);
        assert_int_equal(counted, day[d].n[c]);
      }
      free(ev);
    }
    assert_true(located > (T[t] == SG_TABLE_TRACKS ? 10 : 100));
    if (T[t] == SG_TABLE_TRACKS)
      assert_true(recounted > 0);
    sg_locator_free(&loc);
    for (int i = 0; i <= last; i++) {
      files *x = i == 0 ? &base : &day[i];
      for (size_t k = 0; k < x->count; k++)
        free(x->f[k]);
      free(x->f);
      free(x->n);
    }
  }
  sg_days_free(&w);
}

/* The catalogue grows day by day: the releases of a run of days are the
 * rate's, 80% of a week's on its Friday; every new id's release is the day
 * whose run holds it, cut by category, the day's hit of a category placed
 * highest; and a release's model track is a single of its day. */
static void releases_come_out_on_fridays(void **state)
{
  (void)state;
  static sg_model m;
  test_model_init(&m, 3, 400000);
  const sg_catalog *c = &m.catalog;
  const int32_t days = 70; /* ten weeks */
  uint64_t friday = 0, total = sg_catalog_released(c, days);
  assert_int_equal(sg_catalog_released(c, 0), 0);
  for (int32_t d = 1; d <= days; d++) {
    uint64_t n = sg_catalog_released(c, d) - sg_catalog_released(c, d - 1);
    if ((c->release_start + d + 4) % 7 == 5)
      friday += n;
  }
  double expect = (double)c->tracks * test_config()->days.releases * days;
  assert_true(fabs((double)total - expect) < 2);
  assert_true(fabs((double)friday / (double)total - 0.8) < 0.01);
  for (uint64_t j = 0; j < sg_catalog_released(c, 15); j++) {
    sg_release rel;
    sg_catalog_release(c, c->tracks + j, &rel);
    assert_true(sg_catalog_released(c, rel.day - 1) <= j && j < sg_catalog_released(c, rel.day));
    if (j == sg_catalog_released(c, rel.day - 1)) { /* a day's first: its first category's hit */
      sg_release next;
      sg_catalog_release(c, c->tracks + j + 1, &next);
      assert_int_equal(rel.category, 0);
      if (next.category == 0 && next.day == rel.day)
        assert_true(rel.zt > next.zt);
    }
  }
  /* the categories' shares of a run of releases */
  uint64_t per[SG_NCAT] = {0}, n = sg_catalog_released(c, days);
  for (uint64_t j = 0; j < n; j++) {
    sg_release rel;
    sg_catalog_release(c, c->tracks + j, &rel);
    per[rel.category]++;
  }
  for (int k = 0; k < SG_NCAT; k++)
    assert_true(fabs((double)per[k] / (double)n - test_config()->share[k]) < 0.02);
  uint64_t t = c->tracks + sg_catalog_released(c, 9);
  sg_release rel;
  sg_catalog_release(c, t, &rel);
  const sg_track *k = sg_model_track(&m, t);
  assert_int_equal(k->released, rel.day);
  assert_int_equal(k->release_date, c->release_start + rel.day);
  assert_int_equal(k->album, sg_catalog_single_id(c, t));
  assert_string_equal(k->album_name.s, k->name.s);
  assert_int_equal(k->category, rel.category);
  assert_int_equal(k->popularity_score, (int32_t)floor(fmin(100, fmax(0, k->level)) + 0.5));
}

/* A release's popularity rises over its first days and decays to its
 * level; the catalogue shows the count of its last recount. */
static void release_popularity_rises_and_decays(void **state)
{
  (void)state;
  static sg_model m;
  test_model_init(&m, 3, 400000);
  const sg_catalog *c = &m.catalog;
  for (double level = 5; level <= 80; level += 15) {
    int32_t p0 = sg_catalog_release_popularity(c, level, 0), p3 = sg_catalog_release_popularity(c, level, 3);
    int32_t p7 = sg_catalog_release_popularity(c, level, 7), p224 = sg_catalog_release_popularity(c, level, 224);
    assert_true(p0 < p3 && p3 <= p7 + 2);
    assert_true(p7 > p224);
    assert_true(abs(p224 - (int32_t)(level + 0.5)) <= 1);
    for (int32_t age = 0; age < 300; age++) {
      int32_t at = 0;
      for (int i = 0; i < SG_RECOUNTS; i++)
        if (sg_recount_age[i] <= age)
          at = sg_recount_age[i];
      assert_int_equal(sg_catalog_release_shown(c, level, age), sg_catalog_release_popularity(c, level, at));
    }
  }
}

/* What is placed after day 0 drifts toward new releases: none of them
 * before the first is out, about new_share (1 - e^(-day / decay)) of the
 * placements later, each released by the day it is placed, most of them
 * recently. */
static void placements_drift_to_new_releases(void **state)
{
  (void)state;
  static sg_model m;
  test_model_init(&m, 3, 400000);
  const sg_catalog *c = &m.catalog;
  const int32_t on[3] = {1, 30, 200};
  for (int i = 0; i < 3; i++) {
    uint64_t fresh = 0;
    double age = 0;
    const int draws = 20000;
    for (int x = 0; x < draws; x++) {
      sg_rng r;
      sg_rng_init(&r, 11, SG_STREAM_PLACED, (uint64_t)x);
      uint64_t t = sg_catalog_place_on(c, x % SG_NCAT, on[i], &r);
      if (t < c->tracks)
        continue;
      sg_release rel;
      sg_catalog_release(c, t, &rel);
      assert_true(rel.day >= 1 && rel.day <= on[i]);
      fresh++;
      age += on[i] - rel.day;
    }
    double want = c->new_share * -expm1(-on[i] / c->release_decay);
    assert_true(fabs((double)fresh / draws - want) < 0.015);
    if (on[i] == 200)
      assert_true(age / (double)fresh < 50);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(permutations_are_bijections),
    cmocka_unit_test(day0_playlists_are_the_layouts),
    cmocka_unit_test(events_are_the_schedules),
    cmocka_unit_test(placements_live_between_their_edits),
    cmocka_unit_test(change_times_follow_the_day),
    cmocka_unit_test(changes_take_each_day_to_the_next),
    cmocka_unit_test(locator_finds_every_deleted_row),
    cmocka_unit_test(releases_come_out_on_fridays),
    cmocka_unit_test(release_popularity_rises_and_decays),
    cmocka_unit_test(placements_drift_to_new_releases),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
