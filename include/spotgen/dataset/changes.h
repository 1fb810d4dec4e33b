/* changes.h - the rows of generate --days: a day's changes, and the flat
 * dataset as it stands at the end of a day (--as-of).
 *
 * Both come from the same rule, applied to each position a playlist has
 * had (model/days.h says when each is placed and removed, and the
 * playlist's followers on each day): a position live at the end of day
 * d - 1 and not at the end of day d is deleted; one live at neither end is
 * nothing; one live at the end of day d only is inserted; one live at both
 * whose playlist's followers changed is updated. An update is two rows, its
 * before-image (op update_before) then its after-image (update_after), as
 * Iceberg's changelog view and Delta's change data feed give them; a
 * delete carries the row as it was. So a day's batch applied to the state
 * of the day before (remove the rows of deletes and update_befores, add
 * the inserts and update_afters) gives the state of the day, row for row.
 *
 * A change object holds events [first, first + n) of its day (days.h's
 * order); each event's rows are its playlist's, by position, at one time of
 * the day (change_ts). The state of day D is cut as day 0's rows are: part
 * k holds the live rows of day 0's part k with, after a playlist's last
 * day 0 row, the tracks added to it since; and, before the first playlist
 * that starts in the part, the playlists born since day 0 whose birth
 * number is k modulo the parts (with those of the parts before it in which
 * no playlist starts: a playlist's rows stay one run). The state of day 0
 * is day 0's dataset, byte for byte. */
#ifndef SPOTGEN_CHANGES_H
#define SPOTGEN_CHANGES_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/model/days.h"
#include "spotgen/model/model.h"
#include "spotgen/model/plan.h"

/* Rows made, by what they are; and (a day's, summed by generate) its
 * events by kind (sg_day_kind). */
typedef struct sg_change_counts {
  uint64_t inserts, deletes, updates; /* updates: before-and-after pairs */
  uint64_t events[SG_DAY_KINDS];
} sg_change_counts;

typedef struct sg_world_rows {
  sg_model *model;
  const sg_days *days;
  sg_table_id table;  /* the rows': FLAT, PLAYLISTS or PLAYLIST_TRACKS */
  int32_t day;
  int asof;
  /* --as-of: day 0's rows left, and the playlists born since: the next
     birth number, the last, the parts (classes modulo parts) this part
     writes, and whether they are written (0 not yet, 1 now, 2 done) */
  uint64_t row, end;
  uint64_t born, born_end, parts, class_lo, class_hi;
  int born_phase, last_part;
  sg_layout layout;
  /* a day's changes: its events left */
  const sg_day_event *ev;
  size_t i, n;
  /* rows ready, and scratch: a playlist's tracks, what becomes of each
     position, and the rows of those that change, by position */
  sg_row *q;
  size_t qi, qn, qcap;
  sg_row *base;
  size_t bcap;
  uint64_t *set, *track;
  size_t setcap, tcap;
  uint8_t *need;
  size_t ncap;
  sg_change_counts counts;
  sg_text op[4];
} sg_world_rows;

/*! sg_world_asof() : a cursor over part k of plan `plan`'s parts of table
 *  `table` at the end of day D: the flat dataset's rows; playlist_tracks',
 *  the same; the playlists', one row for each playlist in the world whose
 *  rows start in the part (of day 0, or born since and written here). */
void sg_world_asof(sg_world_rows *it, sg_model *m, const sg_days *w, sg_table_id table, const sg_plan *plan,
                   uint64_t k, int32_t D);

/*! sg_world_asof_of() : a cursor over the rows of table `table` (as
 *  sg_world_asof's) of the playlists ev[0 .. n) names (their cohort and
 *  number; their kind unused) at the end of day D, each whole, those in the
 *  world then. */
void sg_world_asof_of(sg_world_rows *it, sg_model *m, const sg_days *w, sg_table_id table, int32_t D,
                      const sg_day_event *ev, size_t n);

/*! sg_world_changes() : a cursor over the changes of table `table` (as
 *  sg_world_asof's) made by events ev[0 .. n) of day d: the flat rows';
 *  playlist_tracks', the same less the updates (its rows hold no
 *  followers: a track is added or removed, never changed); the playlists',
 *  one row for an event's playlist born or deleted, two when its followers
 *  changed, none for an edit alone. */
void sg_world_changes(sg_world_rows *it, sg_model *m, const sg_days *w, sg_table_id table, int32_t d,
                      const sg_day_event *ev, size_t n);

/*! sg_world_removes() : whether row r of cursor `it` takes a row away:
 *  a delete, or an update's before-image. */
int sg_world_removes(const sg_world_rows *it, const sg_row *r);

/*! sg_world_gone() : the positions (ascending) whose rows of table `table`
 *  playlist p's change on day d removes: its deletes and update_befores
 *  (the playlists table: position 0, p's row, or none); into pos, which
 *  holds sg_days_positions(p, d). @return : how many. */
size_t sg_world_gone(const sg_days *w, sg_table_id table, int32_t d, const sg_day_playlist *p, uint32_t *pos);

/*! sg_world_next() : the next row into *out.
 *  @return : 1, 0 after the last, or -1 (SG_ENOMEM recorded). */
int sg_world_next(sg_world_rows *it, sg_row *out);

void sg_world_free(sg_world_rows *it);

#endif
