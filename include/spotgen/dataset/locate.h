/* locate.h - where a row of a table with days lives: the file and the
 * position in it of the version of a row current at the end of a day, as
 * an Iceberg table of the days holds them (--days --table-format iceberg).
 *
 * The table's files are day 0's parts (its snapshot), then for each day w
 * and each chunk of its events (shape.h) one data file of the rows the
 * chunk's events write: the changes' inserts and update_afters
 * (changes.h), in event order, each event's by position. A row's current
 * version is in the file of the last day that wrote it: the day it was
 * placed (day 0, the day its playlist was born, or of the edit that added
 * it); for the flat dataset and the playlists table, later, the last day
 * its playlist's followers changed (which rewrites every live row of it).
 * A new release's row of the tracks table (--tables) is in the file of its
 * release day, or of the last recount that moved its popularity.
 * Those days are closed-form (days.h); the position in a day's file is its
 * event's rows before it in the chunk (a prefix sum over the day's events,
 * computed once per day and kept) plus its rank among its event's rows.
 *
 * So a day's position deletes (Iceberg's delete files: a file and a
 * position for every row a day deletes or updates) are found without
 * reading anything back, on any rank. */
#ifndef SPOTGEN_LOCATE_H
#define SPOTGEN_LOCATE_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/model/days.h"
#include "spotgen/model/plan.h"

/* Where a row is: in day 0's part `part`, or (day >= 1) in the data file
 * of chunk `part` of that day; at `offset` rows from the file's start. */
typedef struct sg_location {
  int32_t day;
  uint64_t part;
  uint64_t offset;
} sg_location;

/* A day's events, as the locator keeps them: looked up by playlist, with
 * the rows each writes before it (prefix[i]: events 0 .. i-1's). */
typedef struct sg_day_index {
  size_t n;
  uint64_t *key;     /* sorted: cohort << 44 | local */
  uint32_t *event;   /* key[i]'s event number in the day's order */
  uint64_t *prefix;  /* n + 1 */
} sg_day_index;

typedef struct sg_locator {
  const sg_days *days;
  sg_table_id table;        /* FLAT, PLAYLISTS, PLAYLIST_TRACKS, ALBUMS or TRACKS */
  sg_plan plan;             /* day 0's parts */
  uint64_t per;             /* events a chunk holds */
  sg_day_index *day;        /* day w's at day[w - 1], built when first asked */
  int32_t ndays;
} sg_locator;

/*! sg_locator_init() : a locator of table `table` (FLAT, PLAYLISTS or
 *  PLAYLIST_TRACKS) of the world `w`, whose day 0 is cut by `plan` and
 *  whose days' events are cut in chunks of `per`. */
void sg_locator_init(sg_locator *l, const sg_days *w, sg_table_id table, const sg_plan *plan, uint64_t per);
void sg_locator_free(sg_locator *l);

/*! sg_locate() : where the version of position `pos` of playlist p (its
 *  rows known: sg_days_playlist with rows) current at the end of day d
 *  lives (the playlists table: p's row, pos ignored). The row must be in
 *  the table then.
 *  @return : SG_OK, or SG_ENOMEM. */
sg_err sg_locate(sg_locator *l, const sg_day_playlist *p, uint32_t pos, int32_t d, sg_location *out);

/*! sg_locate_release() : where the version of new release j's row of
 *  the tracks table current at the end of day d lives: the data file of
 *  its release day, or of its last recount by then that moved its
 *  popularity (an event of the day, w->catalogue).
 *  @return : SG_OK, SG_ENOMEM, or SG_EDATA. */
sg_err sg_locate_release(sg_locator *l, uint64_t j, int32_t d, sg_location *out);

/*! sg_locate_written() : the rows event `e` of day w writes to the day's
 *  data file (its inserts and update_afters in table l->table). */
uint64_t sg_locate_written(const sg_locator *l, const sg_day_event *e, int32_t w);

#endif
