/* entities.h - the rows of --tables' entity tables, part by part.
 *
 * Part k of an entity table holds the entities part k owns, computed from
 * their ids alone (no row is exchanged between ranks): the k-th of P even
 * slices of the artists' and of the catalogue's ids (albums with their
 * artists), and the playlists that start in part k's rows. So every entity
 * is in exactly one part, whatever the number of ranks; playlist_tracks'
 * part k is part k's rows (sg_model_rows). generate writes these rows
 * (gen/tables.c), and verify compares what it reads with them. */
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
  uint32_t b;          /* albums: the next album of artist i */
  sg_artist a;         /* albums: artist i */
  int have_artist;
  sg_layout l;         /* playlists */
} sg_entities;

/*! sg_entities_start() : a cursor over part k (of plan p's parts) of entity
 *  table `t` (artists, albums, tracks or playlists). */
void sg_entities_start(sg_entities *it, sg_model *m, const sg_plan *p, sg_table_id t, uint64_t k);

/*! sg_entities_next() : the next entity's row into *r (the table's
 *  columns set, the rest untouched). @return : 1, or 0 after the last. */
int sg_entities_next(sg_entities *it, sg_row *r);

/*! sg_entities_playlist() : playlist p's row of the playlists table into
 *  *r, with `followers` (the day's: days.h). */
void sg_entities_playlist(const sg_model *m, const sg_playlist *p, int64_t followers, sg_row *r);

#endif
