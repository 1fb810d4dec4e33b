/* entities.h - the rows of --tables' entity tables, part by part.
 *
 * Part k of an entity table holds the entities part k owns, computed from
 * their ids alone (no row is exchanged between ranks): the k-th of P even
 * slices of the artists' and of the catalogue's ids (albums with their
 * artists), and the playlists that start in part k's rows. So every entity
 * is in exactly one part, whatever the number of ranks; playlist_tracks'
 * part k is part k's rows (sg_model_rows). generate writes these rows
 * (gen/tables.c), and verify compares what it reads with them.
 *
 * As of a day D of --days, the tracks are the catalogue's and the new
 * releases by then (dense ids from the catalogue's tracks on, catalog.h),
 * sliced together, each with its popularity of day D; the albums are the
 * artists' then the singles of the part's slice of the new releases. */
#ifndef SPOTGEN_ENTITIES_H
#define SPOTGEN_ENTITIES_H

#include <stdint.h>

#include "spotgen/dataset/schema.h"
#include "spotgen/model/catalog.h"
#include "spotgen/model/model.h"
#include "spotgen/model/plan.h"

/* A cursor over one part of one entity table. */
typedef struct sg_entities {
  sg_model *model;
  sg_table_id table;
  uint64_t i, end;     /* artists, albums (by artist), tracks: the next id and the slice's end;
                          playlists: the next row and the part's end */
  uint64_t first;      /* playlists: the part's first row */
  uint64_t single, single_end; /* albums: the part's slice of the new releases' singles */
  int32_t day;         /* the state of this day (--as-of; 0: the snapshot) */
  uint32_t b;          /* albums: the next album of artist i */
  sg_artist a;         /* albums: artist i */
  int have_artist;
  sg_layout l;         /* playlists */
} sg_entities;

/*! sg_entities_start() : a cursor over part k (of plan p's parts) of entity
 *  table `t` (artists, albums, tracks or playlists) at the end of day `day`
 *  (0: the snapshot; the playlists are day 0's: see changes.h for theirs). */
void sg_entities_start(sg_entities *it, sg_model *m, const sg_plan *p, sg_table_id t, uint64_t k, int32_t day);

/*! sg_entities_track() : track k's row of the tracks table, with its
 *  popularity of day `day`. */
void sg_entities_track(const sg_model *m, const sg_track *k, int32_t day, sg_row *r);

/*! sg_entities_single() : new release k's single's row of the albums table. */
void sg_entities_single(const sg_model *m, const sg_track *k, sg_row *r);

/*! sg_entities_next() : the next entity's row into *r (the table's
 *  columns set, the rest untouched). @return : 1, or 0 after the last. */
int sg_entities_next(sg_entities *it, sg_row *r);

/*! sg_entities_playlist() : playlist p's row of the playlists table into
 *  *r, with `followers` (the day's: days.h). */
void sg_entities_playlist(const sg_model *m, const sg_playlist *p, int64_t followers, sg_row *r);

#endif
