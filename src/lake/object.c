/* object.c - writing one object of a run: a part's rows, its --dirty
 * ledger, or an entity table's part (see object.h). */
#include "spotgen/lake/object.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/dataset/entities.h"

sg_err sg_writer_init(sg_writer *w, const sg_shape *shape, sg_model *model, uint64_t seed, const sg_dirty *dirty,
                      const sg_format_ops *ops, sg_format *fmt, sg_sink *sink)
{
  memset(w, 0, sizeof *w);
  w->shape = shape;
  w->model = model;
  w->seed = seed;
  w->dirty = dirty;
  w->ops = ops;
  w->fmt = fmt;
  w->sink = sink;
  w->rows = malloc(SG_WRITER_CHUNK * sizeof *w->rows);
  w->stats = malloc(sizeof *w->stats);
  if (dirty) {
    w->lines = malloc(sizeof *w->lines);
    w->words = malloc(SG_WRITER_CHUNK * SG_DIRTY_WORDS * sizeof *w->words);
  }
  if (!w->rows || !w->stats || (dirty && (!w->lines || !w->words)))
    return sg_seterr(SG_ENOMEM, "out of memory while starting");
  sg_stats_init(w->stats);
  return SG_OK;
}

void sg_writer_free(sg_writer *w)
{
  free(w->rows);
  free(w->stats);
  free(w->lines);
  free(w->words);
  memset(w, 0, sizeof *w);
}

static sg_err poll(sg_writer *w) { return w->poll ? w->poll(w->poll_ctx) : SG_OK; }

/* --dirty: the rows' lines (`want` SG_DIRTY_DATA), or what was done to them
 * (SG_DIRTY_LEDGER), go to the format as cells; 0 only counts them. */
static sg_err write_dirty(sg_writer *w, size_t m, int want)
{
  sg_dirty_lines *x = w->lines;
  sg_dirty_words(w->seed, w->rows[0].row, (unsigned)m, w->words);
  for (size_t i = 0; i < m; i++) {
    sg_dirty_row(w->dirty, w->ops->typed, &w->rows[i], w->words + i * SG_DIRTY_WORDS, want, x, &w->counts);
    sg_err e = x->ndata ? w->ops->cells(w->fmt, x->data, x->ndata)
               : x->nledger ? w->ops->cells(w->fmt, x->ledger, x->nledger)
                            : SG_OK;
    if (e != SG_OK)
      return e;
  }
  return SG_OK;
}

/* Object x's rows, made a chunk at a time: a ROWS object's are counted
 * into the statistics and, when `write`, written; a LEDGER object's lines
 * of what they were given are written. */
static sg_err make_rows(sg_writer *w, const sg_object *x, int write)
{
  const int ledger = x->kind == SG_OBJECT_LEDGER;
  for (uint64_t done = 0; done < x->rows;) {
    size_t m = x->rows - done < SG_WRITER_CHUNK ? (size_t)(x->rows - done) : SG_WRITER_CHUNK;
    sg_model_rows(w->model, x->first_row + done, m, w->rows);
    if (!ledger) {
      sg_stats_add(w->stats, w->rows, m);
      if (w->artist_rows)
        for (size_t i = 0; i < m; i++)
          w->artist_rows[w->rows[i].artist]++;
      if (w->track_rows)
        for (size_t i = 0; i < m; i++) {
          w->track_rows[w->rows[i].track]++;
          w->track_pop[w->rows[i].track] = (uint8_t)(w->rows[i].popularity_score + 1);
        }
    }
    int want = !write ? 0 : ledger ? SG_DIRTY_LEDGER : SG_DIRTY_DATA;
    sg_err e = w->dirty ? write_dirty(w, m, want) : write ? w->ops->rows(w->fmt, w->rows, m) : SG_OK;
    if (e != SG_OK)
      return e;
    done += m;
    if (!ledger)
      w->done_rows += m;
    e = poll(w);
    if (e != SG_OK)
      return e;
  }
  return SG_OK;
}

/* An ENTITIES object: the entities its part owns, a chunk at a time;
 * *rows counts them. */
static sg_err make_entities(sg_writer *w, const sg_object *x, uint64_t *rows)
{
  sg_entities it;
  sg_entities_start(&it, w->model, &w->shape->plan, x->table, x->part);
  size_t n = 0;
  sg_err e = SG_OK;
  *rows = 0;
  while (e == SG_OK && sg_entities_next(&it, &w->rows[n])) {
    (*rows)++;
    if (++n < SG_WRITER_CHUNK)
      continue;
    n = 0;
    e = w->ops->rows(w->fmt, w->rows, SG_WRITER_CHUNK);
    if (e == SG_OK)
      e = poll(w);
  }
  if (e == SG_OK && n > 0)
    e = w->ops->rows(w->fmt, w->rows, n);
  return e;
}

/* An object's statistics and counts start empty. */
static void start(sg_writer *w)
{
  sg_stats_init(w->stats);
  memset(&w->counts, 0, sizeof w->counts);
}

sg_err sg_object_write(sg_writer *w, uint64_t o, sg_part_entry *entry)
{
  const sg_object x = sg_shape_object(w->shape, o);
  char key[256];
  sg_err e = SG_OK;
  sg_shape_key(w->shape, o, key, sizeof key);
  if (!w->single)
    e = sg_sink_open(w->sink, key);
  uint64_t bytes0 = w->sink->bytes;
  memset(entry, 0, sizeof *entry);
  entry->index = o;
  entry->rows = x.rows;
  start(w);
  w->fmt->table = sg_schema_table(x.table);
  if (e == SG_OK)
    e = w->ops->begin(w->fmt, !w->single || x.part == 0);
  if (e == SG_OK)
    e = x.kind == SG_OBJECT_ENTITIES ? make_entities(w, &x, &entry->rows) : make_rows(w, &x, 1);
  if (w->dirty)
    entry->rows = x.kind == SG_OBJECT_LEDGER ? w->counts.ledger : w->counts.rows;
  if (x.kind == SG_OBJECT_LEDGER)
    memset(&w->counts, 0, sizeof w->counts); /* the data's part counts them */
  if (e == SG_OK)
    e = w->ops->end(w->fmt);
  entry->bytes = w->sink->bytes - bytes0;
  entry->crc32 = w->sink->crc32;
  if (e == SG_OK && !w->single)
    e = sg_sink_commit(w->sink);
  if (e == SG_OK)
    snprintf(entry->etag, sizeof entry->etag, "%s", w->sink->etag);
  return e;
}

sg_err sg_object_replay(sg_writer *w, uint64_t o)
{
  const sg_object x = sg_shape_object(w->shape, o);
  start(w);
  return x.kind == SG_OBJECT_ROWS ? make_rows(w, &x, 0) : SG_OK;
}
