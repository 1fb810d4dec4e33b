/* object.c - writing one object of a run: a part's rows, its --dirty
 * ledger, or an entity table's part (see object.h). */
#include "spotgen/lake/object.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/dataset/entities.h"
#include "spotgen/lake/partition.h"

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

/* A partition's file's output buffer (a CSV one's; and so its gzip
 * members): a part has many open at once. */
#define PARTITION_BUFFER (256u << 10)

/* Rows a partition's Parquet file takes at once: its format's work on a
 * batch (a column at a time, each value's slot fetched ahead) pays only
 * for more than a handful. */
#define PARTITION_BATCH 256
/* The least row group (PLAIN bytes) of a partition's Parquet file. */
#define PARTITION_MIN_GROUP (4u << 20)

/* A partitioned object's file being written. */
typedef struct sg_output {
  char folders[SG_PARTITION_FOLDERS];
  sg_sink *sink;   /* kept from object to object, as are fmt and batch */
  sg_format *fmt;
  sg_row *batch;   /* its rows not yet given to fmt (PARTITION_BATCH) */
  int nbatch;
  int open;        /* written to in this object */
  uint64_t rows;   /* of this object, so far */
} output;

static void drop_outputs(sg_writer *w)
{
  for (int i = 0; i < w->cap_out; i++) {
    sg_format_destroy(w->out[i].fmt);
    sg_sink_destroy(w->out[i].sink);
    free(w->out[i].batch);
  }
  free(w->out);
  free(w->keys);
  w->out = NULL;
  w->keys = NULL;
  w->nout = w->cap_out = w->nkeys = w->cap_keys = 0;
}

void sg_writer_free(sg_writer *w)
{
  drop_outputs(w);
  for (int t = 0; t <= SG_NTABLES; t++)
    if (w->located[t])
      sg_locator_free(&w->locate[t]);
  free(w->events);
  free(w->files);
  free(w->rows);
  free(w->stats);
  free(w->lines);
  free(w->words);
  memset(w, 0, sizeof *w);
}

static sg_err poll(sg_writer *w) { return w->poll ? w->poll(w->ctx) : SG_OK; }

/* A data file written whole: with --table-format iceberg, its table's
 * manifest entry, from its format's metrics. */
static sg_err file_written(sg_writer *w, const sg_object *x, const char *key, const char *folders,
                           const sg_part_entry *e)
{
  const int t = w->iceberg ? sg_shape_iceberg_of(w->shape, x) : -1;
  if (t < 0)
    return SG_OK;
  const int day = x->kind == SG_OBJECT_ICEBERG_DATA || x->kind == SG_OBJECT_ICEBERG_DELETES;
  sg_iceberg_file f = {key, folders, sg_shape_file_table(w->shape, x->index), e->rows, e->bytes, &w->metrics,
                       day ? (uint32_t)(x->day - w->shape->days.as_of) : 0, x->kind == SG_OBJECT_ICEBERG_DELETES};
  return sg_iceberg_add(&w->iceberg_files[t], &w->iceberg[t], w->root, &f);
}

/* ---- a partitioned object: a file per partition -------------------------- */

/* A key's slot in the writer's table of keys: its partition's output. */
typedef struct keyslot {
  sg_partition_key key;
  int out; /* -1: empty */
} keyslot;

static size_t key_hash(const sg_partition_key *k)
{
  uint64_t h = 0;
  for (int i = 0; i < SG_PARTITION_MAX; i++)
    h = (h ^ k->v[i]) * 0x9E3779B97F4A7C15ull;
  return (size_t)(h >> 32);
}

/* Room for one key more (the table at most half full). */
static sg_err grow_keys(sg_writer *w)
{
  if (2 * (w->nkeys + 1) <= w->cap_keys)
    return SG_OK;
  int cap = w->cap_keys ? 2 * w->cap_keys : 64;
  keyslot *t = malloc((size_t)cap * sizeof *t);
  if (!t)
    return sg_seterr(SG_ENOMEM, "out of memory for a part's partitions");
  for (int i = 0; i < cap; i++)
    t[i].out = -1;
  for (int i = 0; i < w->cap_keys; i++) {
    if (w->keys[i].out < 0)
      continue;
    size_t k = key_hash(&w->keys[i].key) & (size_t)(cap - 1);
    while (t[k].out >= 0)
      k = (k + 1) & (size_t)(cap - 1);
    t[k] = w->keys[i];
  }
  free(w->keys);
  w->keys = t;
  w->cap_keys = cap;
  return SG_OK;
}

/* The next object's partitions start afresh; the outputs' sinks, formats
 * and batches stay for them. */
static void forget_keys(sg_writer *w)
{
  w->nout = 0;
  w->nkeys = 0;
  for (int i = 0; i < w->cap_keys; i++)
    w->keys[i].out = -1;
}

/* Room for one output more. */
static sg_err grow_outputs(sg_writer *w)
{
  if (w->nout < w->cap_out)
    return SG_OK;
  int cap = w->cap_out ? 2 * w->cap_out : 16;
  output *out = realloc(w->out, (size_t)cap * sizeof *out);
  if (!out)
    return sg_seterr(SG_ENOMEM, "out of memory for a part's partitions");
  memset(out + w->cap_out, 0, (size_t)(cap - w->cap_out) * sizeof *out);
  w->out = out;
  w->cap_out = cap;
  return SG_OK;
}

/* Opens the file of object x in partition `folders`: a sink and a format
 * of its own, kept for the next objects. */
static sg_err open_output(sg_writer *w, const sg_object *x, output *out)
{
  sg_err e = SG_OK;
  if (!out->sink && (e = sg_sink_for_url(w->url, &w->sink_config, &out->sink)) != SG_OK)
    return e;
  sg_format_options fo = w->format_options;
  fo.buffer = PARTITION_BUFFER;
  fo.quick = 1;
  if ((!out->fmt && !(out->fmt = sg_format_create(w->ops, out->sink, &fo))) ||
      (w->ops->pages && !out->batch && !(out->batch = malloc(PARTITION_BATCH * sizeof *out->batch))))
    return sg_seterr(SG_ENOMEM, "out of memory for a part's partitions");
  char key[256];
  sg_shape_file_key(w->shape, x->index, out->folders, key, sizeof key);
  if ((e = sg_sink_open(out->sink, key)) != SG_OK)
    return e;
  out->open = 1;
  out->fmt->table = sg_shape_file_table(w->shape, x->index);
  out->fmt->metrics = w->iceberg ? &w->metrics : NULL;
  return w->ops->begin(out->fmt, 1);
}

/* The output of row's partition (by its key; a key seen first by its
 * folders), opened on first use. */
static sg_err find_output(sg_writer *w, const sg_object *x, const sg_partitioning *p, const sg_row *row, int *at)
{
  sg_partition_key key;
  sg_partition_key_of(p, row, &key);
  size_t mask = (size_t)w->cap_keys - 1, k = w->cap_keys ? key_hash(&key) & mask : 0;
  for (; w->cap_keys && w->keys[k].out >= 0; k = (k + 1) & mask)
    if (memcmp(&w->keys[k].key, &key, sizeof key) == 0) {
      *at = w->keys[k].out;
      return SG_OK;
    }
  sg_err e = grow_keys(w);
  if (e == SG_OK)
    e = grow_outputs(w);
  if (e != SG_OK)
    return e;
  char folders[SG_PARTITION_FOLDERS];
  sg_partition_folders(p, row, folders);
  int id = 0;
  while (id < w->nout && strcmp(w->out[id].folders, folders) != 0)
    id++;
  if (id == w->nout) { /* a partition not seen yet in this object */
    snprintf(w->out[id].folders, sizeof w->out[id].folders, "%s", folders);
    w->nout++;
    if ((e = open_output(w, x, &w->out[id])) != SG_OK)
      return e;
  }
  mask = (size_t)w->cap_keys - 1;
  for (k = key_hash(&key) & mask; w->keys[k].out >= 0;)
    k = (k + 1) & mask;
  w->keys[k].key = key;
  w->keys[k].out = id;
  w->nkeys++;
  *at = id;
  return SG_OK;
}

/* A partition's rows so far go to its format. A Parquet file's row groups
 * are sized so that the object's files being written hold together about
 * what one unpartitioned file would (its --row-group-size), each at least
 * PARTITION_MIN_GROUP: the sizes follow the rows' order alone, so the
 * bytes are the object's whatever rank writes it. */
static sg_err drain(sg_writer *w, output *o)
{
  if (!o->nbatch)
    return SG_OK;
  uint64_t group = w->format_options.row_group_bytes / (uint64_t)w->nout;
  o->fmt->opt.row_group_bytes = group < PARTITION_MIN_GROUP ? PARTITION_MIN_GROUP : group;
  o->rows += (uint64_t)o->nbatch;
  sg_err e = w->ops->rows(o->fmt, o->batch, (size_t)o->nbatch);
  o->nbatch = 0;
  return e;
}

/* Rows of a partitioned object go to their partitions' files, each
 * partition's in their order, a batch at a time. */
static sg_err route(sg_writer *w, const sg_object *x, const sg_row *rows, size_t m)
{
  const sg_partitioning *p = &w->shape->by[x->table];
  for (size_t i = 0; i < m; i++) {
    int id;
    sg_err e = find_output(w, x, p, &rows[i], &id);
    output *o = &w->out[id];
    if (e == SG_OK && !w->ops->pages) { /* a row at a time costs a stream format nothing more */
      o->rows++;
      e = w->ops->rows(o->fmt, &rows[i], 1);
    } else if (e == SG_OK) {
      o->batch[o->nbatch++] = rows[i];
      if (o->nbatch == PARTITION_BATCH)
        e = drain(w, o);
    }
    if (e != SG_OK)
      return e;
  }
  return SG_OK;
}

static int by_folders(const void *a, const void *b)
{
  return strcmp(((const output *)a)->folders, ((const output *)b)->folders);
}

/* A partitioned object's end: each file ended and committed, listed in
 * w->files in the order of their keys; *entry sums them. */
static sg_err end_outputs(sg_writer *w, const sg_object *x, sg_part_entry *entry)
{
  if (sg_part_files_reserve(&w->files, &w->files_cap, (size_t)w->nout) != 0)
    return sg_seterr(SG_ENOMEM, "out of memory for a part's partitions");
  sg_err e = SG_OK;
  for (int i = 0; e == SG_OK && i < w->nout; i++)
    e = drain(w, &w->out[i]);
  if (e != SG_OK)
    return e;
  w->nfiles = 0;
  qsort(w->out, (size_t)w->nout, sizeof *w->out, by_folders); /* the files in the order of their keys */
  for (int i = 0; e == SG_OK && i < w->nout; i++) { /* every file whole */
    output *o = &w->out[i];
    sg_part_file *f = &w->files[w->nfiles++];
    memset(f, 0, sizeof *f);
    sg_shape_file_key(w->shape, x->index, o->folders, f->key, sizeof f->key);
    f->entry.index = x->index;
    f->entry.rows = o->rows;
    o->rows = 0;
    e = w->ops->end(o->fmt);
    f->entry.bytes = o->sink->bytes;
    f->entry.crc32 = o->sink->crc32;
    if (e == SG_OK)
      e = file_written(w, x, f->key, o->folders, &f->entry);
  }
  if (e == SG_OK && w->before_commit)
    e = w->before_commit(w->ctx, w->files, w->nfiles);
  int committed = 0;
  for (; e == SG_OK && committed < w->nout; committed++) { /* then committed */
    output *o = &w->out[committed];
    sg_part_file *f = &w->files[committed];
    e = sg_sink_commit(o->sink);
    if (e != SG_OK)
      break;
    o->open = 0;
    snprintf(f->entry.etag, sizeof f->entry.etag, "%s", o->sink->etag);
    entry->rows += f->entry.rows;
    entry->bytes += f->entry.bytes;
  }
  if (e != SG_OK) { /* the object fails whole: no file of it is left committed */
    for (int i = 0; i < committed; i++)
      sg_sink_remove(w->out[i].sink, w->files[i].key);
    return e;
  }
  /* the outputs stay, their sinks and formats ready for the next object */
  forget_keys(w);
  return SG_OK;
}

void sg_writer_abort(sg_writer *w)
{
  if (w->sink)
    sg_sink_abort(w->sink);
  for (int i = 0; i < w->cap_out; i++)
    if (w->out[i].open) {
      sg_sink_abort(w->out[i].sink);
      w->out[i].open = 0;
      w->out[i].rows = 0;
      w->out[i].nbatch = 0;
    }
  forget_keys(w);
}

/* A chunk of rows to the object's file, or to its partitions' files. */
static sg_err emit(sg_writer *w, const sg_object *x, const sg_row *rows, size_t m)
{
  return w->shape->by[x->table].n ? route(w, x, rows, m) : w->ops->rows(w->fmt, rows, m);
}

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

/* The statistics of w->rows[0 .. m), the dataset's rows, and their rows
 * per artist and per track. */
static void count_rows(sg_writer *w, size_t m)
{
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

/* The rows of a --days cursor (changes.h) to the format, a chunk at a
 * time; *rows counts them. `count`: into the statistics too (the
 * snapshot's), and written only when `write`. An Iceberg data file keeps
 * only the rows that are new (the inserts and after-images). */
static sg_err world_rows(sg_writer *w, const sg_object *x, sg_world_rows *it, int count, int write,
                         uint64_t *rows)
{
  sg_err e = SG_OK;
  size_t n = 0;
  int more = 1;
  const int only_new = x->kind == SG_OBJECT_ICEBERG_DATA;
  *rows = 0;
  while (e == SG_OK && more) {
    int r = sg_world_next(it, &w->rows[n]);
    if (r < 0)
      return SG_ENOMEM;
    more = r > 0;
    if (r > 0 && only_new && sg_world_removes(it, &w->rows[n]))
      continue;
    n += (size_t)r;
    if (n < SG_WRITER_CHUNK && more)
      continue;
    if (count)
      count_rows(w, n);
    e = write && n ? emit(w, x, w->rows, n) : SG_OK;
    *rows += n;
    w->done_rows += n; /* (progress: the changes' rows too) */
    n = 0;
    if (e == SG_OK)
      e = poll(w);
  }
  if (x->kind == SG_OBJECT_CHANGES)
    w->changes = it->counts;
  return e;
}

/* Object x's events of its day, the day's found once for all its objects. */
static sg_err day_events(sg_writer *w, const sg_object *x)
{
  if (w->events_day != x->day) {
    free(w->events);
    w->events = NULL;
    w->events_day = 0;
    sg_err e = sg_days_events(w->days, x->day, &w->events, &w->nevents);
    if (e != SG_OK)
      return e;
    w->events_day = x->day;
  }
  if (x->first_row + x->rows > w->nevents)
    return sg_seterr(SG_EDATA, "day %d has %zu changes; its part %llu wants %llu from %llu: the days' counts "
                     "differ from the plan's", (int)x->day, w->nevents, (unsigned long long)x->part,
                     (unsigned long long)x->rows, (unsigned long long)x->first_row);
  return SG_OK;
}

/* A CHANGES object (or an Iceberg data file of its rows that are new):
 * its events of its day; written when `write`, else only counted (a part
 * --resume keeps: its counts by op are the manifest's). */
static sg_err make_changes(sg_writer *w, const sg_object *x, int write, uint64_t *rows)
{
  sg_err e = day_events(w, x);
  if (e != SG_OK)
    return e;
  sg_world_rows it;
  sg_world_changes(&it, w->model, w->days, (sg_table_id)sg_schema_changed(w->shape->change[x->change]), x->day,
                   w->events + x->first_row, (size_t)x->rows);
  e = world_rows(w, x, &it, 0, write, rows);
  sg_world_free(&it);
  return e;
}

/* An Iceberg delete file: its chunk's deletes, as (file_path, pos) cells;
 * *rows counts them. */
static sg_err make_deletes(sg_writer *w, const sg_object *x, int write, uint64_t *rows)
{
  const sg_table_id t = (sg_table_id)sg_schema_changed(w->shape->change[x->change]);
  sg_err e = day_events(w, x);
  if (e != SG_OK)
    return e;
  if (!w->located[t]) {
    sg_locator_init(&w->locate[t], w->days, t, &w->shape->plan, w->shape->days.events_per_part);
    w->located[t] = 1;
  }
  sg_deletes c;
  e = sg_deletes_find(w->shape, w->days, &w->locate[t], w->root, x, w->events + x->first_row, &c);
  if (e != SG_OK)
    return e;
  *rows = c.n;
  char pos[24];
  for (size_t r = 0; write && e == SG_OK && r < c.runs; r++) {
    const uint64_t object = c.d[c.run[r].first].object;
    for (size_t i = c.run[r].first; e == SG_OK && i < c.n && c.d[i].object == object; i++) {
      snprintf(pos, sizeof pos, "%llu", (unsigned long long)c.d[i].offset);
      sg_cells cell = {NULL, {c.run[r].path, pos}, 0};
      e = w->ops->cells(w->fmt, &cell, 1);
    }
    if (e == SG_OK)
      e = poll(w);
  }
  sg_deletes_free(&c);
  return e;
}

/* --as-of D: a ROWS object is part k of the state of day D (the
 * dataset's rows, counted); so is one of the playlists table. */
static sg_err make_state(sg_writer *w, const sg_object *x, int write, uint64_t *rows)
{
  sg_world_rows it;
  const int counted = x->kind == SG_OBJECT_ROWS;
  sg_world_asof(&it, w->model, w->days, counted ? SG_TABLE_FLAT : SG_TABLE_PLAYLISTS, &w->shape->plan, x->part,
                w->shape->days.as_of);
  sg_err e = world_rows(w, x, &it, counted, write, rows);
  sg_world_free(&it);
  return e;
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
    if (!ledger)
      count_rows(w, m);
    int want = !write ? 0 : ledger ? SG_DIRTY_LEDGER : SG_DIRTY_DATA;
    sg_err e = w->dirty ? write_dirty(w, m, want) : write ? emit(w, x, w->rows, m) : SG_OK;
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
  sg_entities_start(&it, w->model, &w->shape->plan, x->table, x->part, w->shape->days.as_of);
  size_t n = 0;
  sg_err e = SG_OK;
  *rows = 0;
  while (e == SG_OK && sg_entities_next(&it, &w->rows[n])) {
    (*rows)++;
    if (++n < SG_WRITER_CHUNK)
      continue;
    n = 0;
    e = emit(w, x, w->rows, SG_WRITER_CHUNK);
    if (e == SG_OK)
      e = poll(w);
  }
  if (e == SG_OK && n > 0)
    e = emit(w, x, w->rows, n);
  return e;
}

/* An object's statistics and counts start empty. */
static void start(sg_writer *w)
{
  sg_stats_init(w->stats);
  memset(&w->counts, 0, sizeof w->counts);
  memset(&w->changes, 0, sizeof w->changes);
}

/* Object x's rows: made, counted, and written when `write`; *rows counts
 * those that vary (the state of a day, a day's changes). */
static sg_err make_object(sg_writer *w, const sg_object *x, int write, uint64_t *rows)
{
  const int state = w->shape->days.as_of > 0 &&
                    (x->kind == SG_OBJECT_ROWS || (x->kind == SG_OBJECT_ENTITIES && x->table == SG_TABLE_PLAYLISTS));
  if (x->kind == SG_OBJECT_CHANGES || x->kind == SG_OBJECT_ICEBERG_DATA)
    return make_changes(w, x, write, rows);
  if (x->kind == SG_OBJECT_ICEBERG_DELETES)
    return make_deletes(w, x, write, rows);
  if (state)
    return write || x->kind == SG_OBJECT_ROWS ? make_state(w, x, write, rows) : SG_OK;
  if (x->kind == SG_OBJECT_ENTITIES)
    return write ? make_entities(w, x, rows) : SG_OK;
  return make_rows(w, x, write);
}

sg_err sg_object_write(sg_writer *w, uint64_t o, sg_part_entry *entry)
{
  const sg_object x = sg_shape_object(w->shape, o);
  const int partitioned = w->shape->by[x.table].n > 0;
  char key[256];
  sg_err e = SG_OK;
  sg_shape_key(w->shape, o, key, sizeof key);
  if (!w->single && !partitioned)
    e = sg_sink_open(w->sink, key);
  uint64_t bytes0 = w->sink->bytes;
  memset(entry, 0, sizeof *entry);
  entry->index = o;
  entry->rows = x.rows;
  w->nfiles = 0;
  start(w);
  w->fmt->table = sg_shape_file_table(w->shape, o);
  w->fmt->metrics = w->iceberg ? &w->metrics : NULL;
  if (e == SG_OK && !partitioned)
    e = w->ops->begin(w->fmt, !w->single || x.part == 0);
  if (e == SG_OK)
    e = make_object(w, &x, 1, &entry->rows);
  if (w->dirty)
    entry->rows = x.kind == SG_OBJECT_LEDGER ? w->counts.ledger : w->counts.rows;
  if (x.kind == SG_OBJECT_LEDGER)
    memset(&w->counts, 0, sizeof w->counts); /* the data's part counts them */
  if (partitioned) {
    entry->rows = 0;
    return e == SG_OK ? end_outputs(w, &x, entry) : e;
  }
  if (e == SG_OK)
    e = w->ops->end(w->fmt);
  entry->bytes = w->sink->bytes - bytes0;
  entry->crc32 = w->sink->crc32;
  if (e == SG_OK)
    e = file_written(w, &x, key, "", entry);
  if (e == SG_OK && !w->single)
    e = sg_sink_commit(w->sink);
  if (e == SG_OK)
    snprintf(entry->etag, sizeof entry->etag, "%s", w->sink->etag);
  return e;
}

sg_err sg_object_replay(sg_writer *w, uint64_t o)
{
  const sg_object x = sg_shape_object(w->shape, o);
  uint64_t rows;
  start(w);
  return x.kind == SG_OBJECT_ROWS || x.kind == SG_OBJECT_CHANGES ? make_object(w, &x, 0, &rows) : SG_OK;
}
