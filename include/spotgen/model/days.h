/* days.h - a world that changes day by day, as pure functions of
 * (seed, day, entity).
 *
 * Day 0 is the dataset generate writes without --days. On each later day
 * playlists are born (with their first tracks) and deleted, some are edited
 * (tracks added, tracks removed), and followers are counted again. Nothing
 * is replayed: every fact below is computed from the seed, the day and the
 * entity alone, so any day's changes, or the state of any day, can be
 * computed on any rank without the days before it.
 *
 * Playlists come in cohorts: day 0's (its layout's playlists, numbered
 * densely in layout order) and, for each day c >= 1, the playlists born
 * that day. Three permutations of a cohort (Feistel networks keyed by the
 * seed, the purpose and the cohort, sg_perm) give each playlist a slot for
 * each purpose:
 *   deaths   a cohort loses floor(N (1 - (1 - h)^a)) playlists by age a:
 *            the slots below that number; so the playlists deleted on a day
 *            are a run of slots, and a playlist's death day is found from
 *            its slot in O(1);
 *   edits    the first `edited` share of slots are playlists their owners
 *            keep editing, each on a cadence (every 1, 3, 7, 14 or 30
 *            days, by slot mod 16) from a phase (slot / 16 mod cadence):
 *            a day's edits are arithmetic runs of slots, and a playlist's
 *            n-th edit day is closed-form;
 *   counts   every playlist's followers are counted again on a cadence
 *            (weekly, monthly or quarterly, by slot mod 16) in the same way.
 * So a day's events are found in time proportional to their number (plus
 * O(days) scalars for the cohorts), and a playlist's state on any day in
 * O(1).
 *
 * An edit adds `tracks` placements after the playlist's last position
 * (positions size + (n - 1) tracks + j at the n-th edit: a stable key that
 * sorts in the order added, never renumbered), and removes the placements
 * whose removal edit it is: each placement is removed at the
 * geometric(`edit_removal`)-th edit after it was placed, or never for a
 * playlist that is not edited.
 *
 * The catalogue grows too: new tracks are released every day, most on
 * Fridays (catalog.h), and an edit or a new playlist places a new release
 * with a chance that grows as the run's releases accumulate
 * (sg_catalog_place_on). A release's popularity rises and decays; the
 * catalogue counts it again at ages 7, 14, 28, 56, 112 and 224 days
 * (sg_recount_age), a change of the tracks table when the count moved.
 * Those are events of the days whose tables hold tracks (`catalogue`: with
 * --tables); the flat dataset's rows show a release's level, the
 * popularity it settles to (model.h). */
#ifndef SPOTGEN_DAYS_H
#define SPOTGEN_DAYS_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/model/catalog.h"

#define SG_DAYS_NEVER INT32_MAX
#define SG_DAYS_MAX 36500 /* --days at most: a century */

/* The days a run writes (generate --days, --day, --as-of): none when
 * last < first. */
typedef struct sg_days_span {
  int32_t start;             /* day 0's date, days since 1970-01-01 */
  int32_t as_of;             /* the snapshot is the state at the end of this day */
  int changes_only;          /* --day D: no snapshot, only the changes */
  int32_t first, last;       /* the days whose changes follow the snapshot */
  uint64_t events_per_part;  /* a change object holds this many of its day's events */
  uint64_t *events;          /* each day's events, first .. last (malloc'ed) */
  uint64_t *end;             /* change objects up to the end of each day, summed (malloc'ed) */
} sg_days_span;

/* A permutation of [0, n): a 4-round Feistel network on the smallest even
 * number of bits that holds n, cycle-walked back into [0, n). */
typedef struct sg_perm {
  uint64_t n;
  unsigned half;  /* bits of each half */
  uint64_t mask;  /* (1 << half) - 1 */
  uint64_t key[4];
} sg_perm;

/*! sg_perm_init() : the permutation of purpose `purpose` (SG_PERM_*) of
 *  cohort `cohort`, over n elements, under `seed`. */
void sg_perm_init(sg_perm *p, uint64_t seed, uint32_t purpose, uint64_t cohort, uint64_t n);
uint64_t sg_perm_fwd(const sg_perm *p, uint64_t slot); /* slot -> element */
uint64_t sg_perm_inv(const sg_perm *p, uint64_t x);    /* element -> slot */

enum { SG_PERM_DEATH = 1, SG_PERM_EDIT = 2, SG_PERM_COUNT = 3 };

typedef struct sg_days {
  const sg_catalog *cat;
  uint64_t seed;
  uint64_t rows;             /* day 0's */
  sg_days_rates r;
  int32_t start;             /* day 0's date, days since 1970-01-01 */
  uint64_t blocks;           /* day 0's layout blocks */
  uint64_t *block_first;     /* day 0's playlists before block b, b = 0 .. blocks */
  uint64_t playlists0;       /* day 0's playlists */
  uint64_t births;           /* playlists born each day */
  uint64_t new_first;        /* the catalogue index of the first playlist born after day 0 */
  int catalogue;             /* a day's events include the catalogue's releases and recounts */
} sg_days;

/* A playlist in time. */
typedef struct sg_day_playlist {
  uint64_t index;            /* sg_catalog_playlist's index */
  int32_t born;              /* its cohort: 0, or the day it was born */
  uint64_t local;            /* its number within its cohort */
  int category;              /* sg_catalog_playlist's */
  uint64_t first_row;        /* day 0's: its rows [first_row, first_row + size) */
  uint32_t size;             /* the tracks it was made with (day 0's: 0 unless asked) */
  int32_t dies;              /* the day it is deleted, or SG_DAYS_NEVER */
  int32_t edit_first;        /* its first edit's day; edit_every 0: never edited */
  int32_t edit_every;
  uint32_t edit_tracks;      /* tracks added at each edit */
  int32_t count_first;       /* its followers' first count after birth, and cadence */
  int32_t count_every;
  int64_t followers;         /* at birth: day 0's count, or 1 */
  int64_t level;             /* a new playlist's followers tend to this */
  double growth;             /* of a day 0 playlist's log followers a day */
} sg_day_playlist;

/*! sg_days_init() : the days of the world of `rows` rows of catalogue `cat`
 *  (which the caller keeps alive), day 0 on date r->start; `catalogue`
 *  off (set it for --tables).
 *  @return : SG_OK, or SG_ENOMEM. */
sg_err sg_days_init(sg_days *w, const sg_catalog *cat, uint64_t rows, const sg_days_rates *r);
void sg_days_free(sg_days *w);

/*! sg_days_cohort() : how many playlists cohort c holds (c = 0: day 0's;
 *  else those born on day c). */
uint64_t sg_days_cohort(const sg_days *w, int32_t c);

/*! sg_days_playlist() : playlist `local` of cohort c, and its schedule;
 *  for day 0's, its rows too when `rows` (a walk of its layout block). */
void sg_days_playlist(const sg_days *w, int32_t c, uint64_t local, int rows, sg_day_playlist *out);

/*! sg_days_playlist_of_row() : the day 0 playlist whose rows hold `row`
 *  (its local number in cohort 0). */
uint64_t sg_days_playlist_of_row(const sg_days *w, sg_layout *l, uint64_t row);

/*! sg_days_edits() : how many edits p has had by the end of day d. */
uint32_t sg_days_edits(const sg_day_playlist *p, int32_t d);

/*! sg_days_edit_day() : the day of p's n-th edit (n >= 1). */
int32_t sg_days_edit_day(const sg_day_playlist *p, uint32_t n);

/*! sg_days_added_at() : the edit that placed position `pos` (0: p was made with it). */
uint32_t sg_days_added_at(const sg_day_playlist *p, uint32_t pos);

/*! sg_days_placed_on() : the day position `pos` of p was placed: its
 *  birth's, or its edit's. */
int32_t sg_days_placed_on(const sg_day_playlist *p, uint32_t pos);

/*! sg_days_positions() : the positions p has had by the end of day d
 *  (live or removed): [0, that). */
uint32_t sg_days_positions(const sg_day_playlist *p, int32_t d);

/*! sg_days_removed_at() : the edit that removes position `pos` of p, or
 *  UINT32_MAX (never). */
uint32_t sg_days_removed_at(const sg_days *w, const sg_day_playlist *p, uint32_t pos);

/*! sg_days_alive() : whether p is in the world at the end of day d (born
 *  by then, and not deleted). */
int sg_days_alive(const sg_day_playlist *p, int32_t d);

/*! sg_days_placed() : whether a position of p placed at edit `added` and
 *  removed at edit `removed` is in it at the end of day d (p alive then,
 *  and its edits by then at least `added` and fewer than `removed`). */
int sg_days_placed(const sg_day_playlist *p, uint32_t added, uint32_t removed, int32_t d);

/*! sg_days_live() : whether position `pos` of p is in it at the end of day
 *  d (sg_days_placed, with its own edits). */
int sg_days_live(const sg_days *w, const sg_day_playlist *p, uint32_t pos, int32_t d);

/*! sg_days_followers() : p's followers at the end of day d (d >= p->born). */
int64_t sg_days_followers(const sg_days *w, const sg_day_playlist *p, int32_t d);

/* What happens to a playlist on a day. */
typedef enum sg_day_kind {
  SG_DAY_DELETE,             /* it is deleted, with its tracks */
  SG_DAY_EDIT,               /* tracks added and removed */
  SG_DAY_COUNT,              /* its followers change */
  SG_DAY_BIRTH,              /* it is made, with its tracks */
  /* the catalogue's (w->catalogue): cohort -1, local the release's
     number (its track id less the catalogue's tracks) */
  SG_DAY_RELEASE,            /* a track released, with its single */
  SG_DAY_RECOUNT,            /* a release's popularity counted again, and moved */
  SG_DAY_KINDS
} sg_day_kind;

typedef struct sg_day_event {
  uint8_t kind;              /* sg_day_kind */
  int32_t cohort;
  uint64_t local;
} sg_day_event;

/*! sg_days_release_level() : new release t's popularity level
 *  (sg_catalog_release_level, its artist built), and into *rel what the
 *  catalogue says of it. */
double sg_days_release_level(const sg_days *w, uint64_t t, sg_release *rel);

/*! sg_days_events() : day d's events (d >= 1), in their order: the
 *  deletions, the edits, the counts (each by cohort, then slot), the
 *  births; then, with w->catalogue, the day's releases and the recounts
 *  that moved a release's popularity (by age, then release). A
 *  playlist has at most one event a day: one deleted that day is not
 *  edited or counted, and a count that leaves its followers as they
 *  were is no event. *out is malloc'ed (free it).
 *  @return : SG_OK, or SG_ENOMEM. */
sg_err sg_days_events(const sg_days *w, int32_t d, sg_day_event **out, size_t *n);

/*! sg_days_change_ts() : the time of day (seconds after midnight) of an
 *  event of playlist `index` on day d: drawn by the hour from the day's
 *  rhythm of activity (quiet at night, busiest in the evening). */
int32_t sg_days_change_ts(const sg_days *w, uint64_t index, int32_t d);

#endif
