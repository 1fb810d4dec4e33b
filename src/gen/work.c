/* work.c - the work phase: this rank's parts, each written and committed
 * (or, on --resume, kept as recorded), and the journal after each. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"
#include "spotgen/base/err.h"
#include "spotgen/base/layout.h"
#include "spotgen/base/signals.h"

/* Rows per artist are counted (for the power-law checks in the manifest)
 * up to this many artists: 16 MiB of counts per rank. */
#define MAX_COUNTED_ARTISTS 2000000
/* Rows per track (for the popularity-placement check) up to this many
 * tracks in the catalogue (about 10M rows): 7.5 MiB of counts per rank, so the
 * memory per rank stays under 64 MiB at any size. */
#define MAX_COUNTED_TRACKS 1500000

/* ---- the work: this rank's parts -------------------------------------- */

/* What write_rows does with the rows it makes. */
typedef enum rows_mode {
  ROWS_WRITE,  /* count them into the statistics, and write them */
  ROWS_REPLAY, /* only count them (a part kept from the run being resumed) */
  ROWS_LEDGER  /* --dirty: write the ledger of what their lines were given */
} rows_mode;

/* --dirty: the rows' lines (or, for the ledger, what was done to them) go
 * to the format as cells; what was made is added to `counts`. */
static sg_err write_dirty(job *j, size_t m, rows_mode mode, sg_dirty_counts *counts)
{
  int want = mode == ROWS_WRITE ? SG_DIRTY_DATA : mode == ROWS_LEDGER ? SG_DIRTY_LEDGER : 0;
  sg_dirty_lines *x = j->dirty_lines;
  sg_dirty_words(j->opt.seed, j->rows[0].row, (unsigned)m, j->dirty_words);
  for (size_t i = 0; i < m; i++) {
    sg_dirty_row(j->dirty, j->fmt_ops->typed, &j->rows[i], j->dirty_words + i * SG_DIRTY_WORDS, want, x, counts);
    sg_err e = x->ndata ? j->fmt_ops->cells(j->fmt, x->data, x->ndata)
               : x->nledger ? j->fmt_ops->cells(j->fmt, x->ledger, x->nledger)
                            : SG_OK;
    if (e != SG_OK)
      return e;
  }
  return SG_OK;
}

/* Generates rows first .. first+n-1 and does with them what `mode` says;
 * counts them into j->part_stats and j->part_dirty. */
static sg_err write_rows(job *j, uint64_t first, uint64_t n, rows_mode mode)
{
  for (uint64_t done = 0; done < n;) {
    size_t m = n - done < CHUNK ? (size_t)(n - done) : CHUNK;
    sg_model_rows(&j->model, first + done, m, j->rows);
    if (mode != ROWS_LEDGER) {
      sg_stats_add(j->part_stats, j->rows, m);
      if (j->artist_rows)
        for (size_t i = 0; i < m; i++)
          j->artist_rows[j->rows[i].artist]++;
      if (j->track_rows)
        for (size_t i = 0; i < m; i++) {
          j->track_rows[j->rows[i].track]++;
          j->track_pop[j->rows[i].track] = (uint8_t)(j->rows[i].popularity_score + 1);
        }
    }
    sg_err e = j->dirty        ? write_dirty(j, m, mode, &j->part_dirty)
               : mode == ROWS_WRITE ? j->fmt_ops->rows(j->fmt, j->rows, m)
                                    : SG_OK;
    if (e != SG_OK)
      return e;
    done += m;
    if (mode != ROWS_LEDGER)
      j->done_rows += m;
    e = gen_poll_control(j);
    if (e != SG_OK)
      return e;
  }
  return SG_OK;
}

/* --dirty: whether object o is a part of the ledger (_dirty/). */
static int is_ledger(const job *j, uint64_t o) { return j->dirty && o % 2 == 1; }

/* The table object o holds rows of: one of --tables', --dirty's data or
 * ledger, or SG_TABLE_FLAT. */
static sg_table_id table_of(const job *j, uint64_t o)
{
  if (j->dirty)
    return is_ledger(j, o) ? SG_TABLE_DIRTY_LEDGER : SG_TABLE_DIRTY;
  return j->nobj == SG_NTABLES ? (sg_table_id)(o % SG_NTABLES) : SG_TABLE_FLAT;
}

/* Whether object o holds the dataset's rows (the flat part, or the part of
 * playlist_tracks): the ones the statistics are made of. */
static int holds_rows(const job *j, uint64_t o)
{
  sg_table_id t = table_of(j, o);
  return t == SG_TABLE_FLAT || t == SG_TABLE_DIRTY || t == SG_TABLE_PLAYLIST_TRACKS;
}

/* An object's statistics start empty. */
static void start_result(job *j)
{
  sg_stats_init(j->part_stats);
  memset(&j->part_dirty, 0, sizeof j->part_dirty);
}

/* An object's statistics end: its head is kept for rank 0, its histograms
 * and --dirty counts summed into the rank's. */
static void end_result(job *j, part_result *res)
{
  memcpy(res->head, j->part_stats, SG_STATS_HEAD);
  sg_stats_add_hist(j->rank_stats, j->part_stats);
  sg_dirty_counts_merge(&j->rank_dirty, &j->part_dirty);
}

/* Writes object o: part k = o / nobj of its table. */
static sg_err write_part(job *j, uint64_t o, part_result *res)
{
  char key[64];
  sg_err e = SG_OK;
  uint64_t k = o / (uint64_t)j->nobj;
  gen_part_key(j, o, key, sizeof key);
  if (!j->single)
    e = sg_sink_open(j->sink, key);
  uint64_t bytes0 = j->sink->bytes;
  res->entry.index = o;
  res->entry.rows = holds_rows(j, o) ? sg_plan_part_rows(&j->plan, k) : 0;
  start_result(j);
  j->fmt->table = sg_schema_table(table_of(j, o));
  if (e == SG_OK)
    e = j->fmt_ops->begin(j->fmt, !j->single || k == 0);
  if (e == SG_OK && (holds_rows(j, o) || is_ledger(j, o)))
    e = write_rows(j, sg_plan_part_first_row(&j->plan, k), sg_plan_part_rows(&j->plan, k),
                   is_ledger(j, o) ? ROWS_LEDGER : ROWS_WRITE);
  else if (e == SG_OK)
    e = gen_write_entities(j, table_of(j, o), k, &res->entry.rows);
  if (j->dirty)
    res->entry.rows = is_ledger(j, o) ? j->part_dirty.ledger : j->part_dirty.rows;
  if (is_ledger(j, o))
    memset(&j->part_dirty, 0, sizeof j->part_dirty); /* the data's part counts them */
  end_result(j, res);
  if (e == SG_OK)
    e = j->fmt_ops->end(j->fmt);
  res->entry.bytes = j->sink->bytes - bytes0;
  res->entry.crc32 = j->sink->crc32;
  if (e == SG_OK && !j->single)
    e = sg_sink_commit(j->sink);
  snprintf(res->entry.etag, sizeof res->entry.etag, "%s", e == SG_OK ? j->sink->etag : "");
  return e;
}

/* ---- the journal, and parts kept by --resume ----------------------------- */

/* Appends a committed part to this rank's journal and writes it out whole
 * (a journal object is rewritten, never appended to: S3 cannot append). */
static sg_err journal_part(job *j, const sg_part_entry *p)
{
  sg_buf *b = &j->journal;
  if (sg_buf_reserve(b, 256 + (b->len ? 0 : strlen(j->params))) != 0)
    return sg_seterr(SG_ENOMEM, "out of memory keeping the journal");
  if (b->len == 0)
    b->len = sg_journal_header((char *)b->p, b->cap, j->params);
  b->len += sg_journal_line((char *)b->p + b->len, b->cap - b->len, p);
  char name[64];
  sg_layout_journal(name, sizeof name, j->rank);
  sg_err e = sg_sink_open(j->sink, name);
  if (e == SG_OK)
    e = sg_sink_write(j->sink, b->p, b->len);
  return e == SG_OK ? sg_sink_commit(j->sink) : e;
}

/* Whether object o is there as the journal recorded it: its size, and its
 * ETag where the store has one (S3, by HEAD), else its CRC-32 (read). */
static int part_matches(job *j, uint64_t o)
{
  const sg_part_entry *want = &j->rec.entry[o];
  char key[64];
  gen_part_key(j, o, key, sizeof key);
  sg_object_info got;
  if (sg_sink_stat(j->sink, key, &got) != SG_OK || got.size != want->bytes)
    return 0;
  return got.etag[0] ? strcmp(got.etag, want->etag) == 0 : got.crc32 == want->crc32;
}

/* A kept object: the statistics (and rows per artist and track) of one
 * holding the dataset's rows come from its rows, computed again without
 * formatting or writing them; the rest from the record. */
static sg_err keep_part(job *j, uint64_t o, part_result *res)
{
  start_result(j);
  res->entry = j->rec.entry[o];
  uint64_t k = o / (uint64_t)j->nobj;
  sg_err e = holds_rows(j, o) ? write_rows(j, sg_plan_part_first_row(&j->plan, k), sg_plan_part_rows(&j->plan, k),
                                           ROWS_REPLAY)
                              : SG_OK;
  end_result(j, res);
  return e;
}

sg_err gen_do_work(job *j)
{
  const uint64_t first = j->first_part * (uint64_t)j->nobj, end = j->end_part * (uint64_t)j->nobj;
  uint64_t n = end - first;
  if (n == 0)
    return SG_OK;
  j->results = calloc((size_t)n, sizeof *j->results);
  if (!j->results)
    return sg_seterr(SG_ENOMEM, "out of memory for %llu part records", (unsigned long long)n);
  sg_err e = SG_OK;
  if (j->single) {
    char key[512];
    gen_segment_key(j, j->rank, key, sizeof key);
    e = sg_sink_open(j->sink, key);
  }
  for (uint64_t o = first; e == SG_OK && o < end; o++) {
    part_result *res = &j->results[o - first];
    int kept = j->rec.have && j->rec.have[o] && part_matches(j, o);
    if (kept) {
      e = keep_part(j, o, res);
      j->kept++;
    } else {
      e = write_part(j, o, res);
    }
    if (e == SG_OK && j->journaled && (e = journal_part(j, &res->entry)) != SG_OK && !kept) {
      /* a part its journal does not list would be a stranger to --overwrite
       * (a user's file): it goes with the run (a kept one is in the journal
       * read back, which stays until the end) */
      char key[64];
      gen_part_key(j, o, key, sizeof key);
      sg_sink_remove(j->sink, key);
    }
  }
  if (j->single && e == SG_OK) {
    j->seg_bytes = j->sink->bytes;
    e = sg_sink_commit(j->sink);
    if (e == SG_OK) {
      char path[PATH_MAX], key[512];
      gen_segment_key(j, j->rank, key, sizeof key);
      snprintf(path, sizeof path, "%s/%s", j->dir, key);
      j->seg_slot = sg_tmpfile_register(path);
    }
  }
  if (e != SG_OK)
    sg_sink_abort(j->sink);
  return e;
}

sg_err gen_setup(job *j)
{
  j->plan = sg_plan_make(j->opt.rows, j->opt.rows_per_part, j->opt.parts);
  j->fmt_ops = sg_format_find(j->opt.format);
  j->first_part = sg_plan_rank_first_part(&j->plan, j->rank, j->nranks);
  j->end_part = sg_plan_rank_first_part(&j->plan, j->rank + 1, j->nranks);
  j->progress_req = MPI_REQUEST_NULL;
  j->seg_slot = -1;
  sg_format_options fo = gen_format_options(j);
  j->fmt = j->sink ? sg_format_create(j->fmt_ops, j->sink, &fo) : NULL;
  j->rows = malloc(CHUNK * sizeof *j->rows);
  j->part_stats = malloc(sizeof *j->part_stats);
  j->rank_stats = malloc(sizeof *j->rank_stats);
  if (!j->part_stats || !j->rank_stats)
    return sg_seterr(SG_ENOMEM, "out of memory while starting");
  sg_stats_init(j->part_stats);
  sg_stats_init(j->rank_stats);
  if (j->dirty) {
    j->dirty_lines = malloc(sizeof *j->dirty_lines);
    j->dirty_words = malloc(CHUNK * SG_DIRTY_WORDS * sizeof *j->dirty_words);
    if (!j->dirty_lines || !j->dirty_words)
      return sg_seterr(SG_ENOMEM, "out of memory while starting");
  }
  if (j->rank == 0) {
    j->rank_rows = calloc((size_t)j->nranks, sizeof *j->rank_rows);
    j->rank_done = calloc((size_t)j->nranks, sizeof *j->rank_done);
  }
  if (!j->sink || !j->fmt || !j->rows || (j->rank == 0 && (!j->rank_rows || !j->rank_done)))
    return sg_seterr(SG_ENOMEM, "out of memory while starting");
  sg_model_init(&j->model, j->opt.seed, j->opt.rows, &j->cfg, j->copula);
  if (j->model.catalog.artists <= MAX_COUNTED_ARTISTS) {
    j->artist_rows = calloc(j->model.catalog.artists, sizeof *j->artist_rows);
    if (!j->artist_rows)
      return sg_seterr(SG_ENOMEM, "out of memory while starting");
  }
  if (j->model.catalog.tracks <= MAX_COUNTED_TRACKS) {
    j->track_rows = calloc(j->model.catalog.tracks, sizeof *j->track_rows);
    j->track_pop = calloc(j->model.catalog.tracks, sizeof *j->track_pop);
    if (!j->track_rows || !j->track_pop)
      return sg_seterr(SG_ENOMEM, "out of memory while starting");
  }
  return SG_OK;
}
