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

/* An object's statistics end: its head is kept for rank 0, its histograms
 * and --dirty counts summed into the rank's. */
static void end_result(job *j, const sg_writer *w, part_result *res)
{
  memcpy(res->head, w->stats, SG_STATS_HEAD);
  sg_stats_add_hist(j->rank_stats, w->stats);
  sg_dirty_counts_merge(&j->rank_dirty, &w->counts);
}

/* A partitioned object's files join the rank's. */
static sg_err add_files(job *j, part_result *res, const sg_part_file *f, size_t n)
{
  res->nfiles = (uint32_t)n;
  if (n == 0) /* an unpartitioned object's (no files: nothing to copy, from nowhere) */
    return SG_OK;
  if (sg_part_files_reserve(&j->files, &j->cap_files, j->nfiles + n) != 0)
    return sg_seterr(SG_ENOMEM, "out of memory for the records of partitioned files");
  memcpy(j->files + j->nfiles, f, n * sizeof *f);
  j->nfiles += n;
  return SG_OK;
}

/* Writes object o (lake/object.c). */
static sg_err write_part(job *j, uint64_t o, part_result *res)
{
  sg_err e = sg_object_write(&j->w, o, &res->entry);
  end_result(j, &j->w, res);
  res->changes = j->w.changes;
  return e == SG_OK ? add_files(j, res, j->w.files, (size_t)j->w.nfiles) : e;
}

/* ---- the journal, and parts kept by --resume ----------------------------- */

/* Room for lines of `n` files more in this rank's journal, whose first
 * line it then has. */
static sg_err journal_room(job *j, size_t n)
{
  sg_buf *b = &j->journal;
  if (sg_buf_reserve(b, 256 + 640 * n + (b->len ? 0 : strlen(j->params))) != 0)
    return sg_seterr(SG_ENOMEM, "out of memory keeping the journal");
  if (b->len == 0)
    b->len = sg_journal_header((char *)b->p, b->cap, j->params);
  return SG_OK;
}

/* Writes this rank's journal out whole (a journal object is rewritten,
 * never appended to: S3 cannot append). */
static sg_err journal_write(job *j)
{
  char name[64];
  sg_layout_journal(name, sizeof name, j->rank);
  sg_err e = sg_sink_open(j->sink, name);
  if (e == SG_OK)
    e = sg_sink_write(j->sink, j->journal.p, j->journal.len);
  return e == SG_OK ? sg_sink_commit(j->sink) : e;
}

/* The writer's before_commit: a partitioned object's files, whole but not
 * yet committed, are named in the journal (pending lines), so that a run
 * killed while it commits them leaves no file its records do not list. */
static sg_err journal_pending(void *ctx, const sg_part_file *f, int n)
{
  job *j = ctx;
  if (!j->journaled)
    return SG_OK;
  sg_err e = journal_room(j, (size_t)n);
  if (e != SG_OK)
    return e;
  j->pending_at = j->journal.len;
  for (int i = 0; i < n; i++)
    j->journal.len += sg_journal_pending_line((char *)j->journal.p + j->journal.len, j->journal.cap - j->journal.len,
                                              f[i].entry.index, f[i].key);
  return journal_write(j);
}

/* Appends a committed part (its files, then itself) to this rank's journal,
 * in place of its files' pending lines, and writes it out whole. */
static sg_err journal_part(job *j, const part_result *res)
{
  sg_buf *b = &j->journal;
  const sg_part_file *f = j->files + j->nfiles - res->nfiles;
  sg_err e = journal_room(j, res->nfiles);
  if (e != SG_OK)
    return e;
  if (j->pending_at) /* the files' pending lines give way to their lines */
    b->len = j->pending_at;
  j->pending_at = 0;
  for (uint32_t i = 0; i < res->nfiles; i++)
    b->len += sg_journal_file_line((char *)b->p + b->len, b->cap - b->len, &f[i]);
  b->len += sg_journal_line((char *)b->p + b->len, b->cap - b->len, &res->entry);
  return journal_write(j);
}

/* Whether an object is there as recorded: its size, and its ETag where
 * the store has one (S3, by HEAD), else its CRC-32 (read). */
static int file_matches(job *j, const char *key, const sg_part_entry *want)
{
  sg_object_info got;
  if (sg_sink_stat(j->sink, key, &got) != SG_OK || got.size != want->bytes)
    return 0;
  return got.etag[0] ? strcmp(got.etag, want->etag) == 0 : got.crc32 == want->crc32;
}

/* Whether object o is there as the journal recorded it: its file, or
 * every file a partitioned one made. */
static int part_matches(job *j, uint64_t o)
{
  if (sg_shape_partitioning(&j->shape, o)->n) {
    size_t n;
    const sg_part_file *f = sg_journal_files(&j->rec, o, &n);
    for (size_t i = 0; i < n; i++)
      if (!file_matches(j, f[i].key, &f[i].entry))
        return 0;
    return 1;
  }
  char key[256];
  sg_shape_key(&j->shape, o, key, sizeof key);
  return file_matches(j, key, &j->rec.entry[o]);
}

/* A kept object: the statistics (and rows per artist and track) of one
 * holding the dataset's rows come from its rows, computed again without
 * formatting or writing them; the rest from the record. In an Iceberg
 * table its files' manifest entries are made as they were: by writing it
 * again, to nowhere (the measuring writer: every byte formatted, to the
 * null sink), which gives the statistics too. */
static sg_err keep_part(job *j, uint64_t o, part_result *res)
{
  res->entry = j->rec.entry[o];
  sg_part_entry again;
  sg_writer *w = j->opt.table_format ? &j->measure : &j->w;
  sg_err e = j->opt.table_format ? sg_object_write(w, o, &again) : sg_object_replay(w, o);
  if (e == SG_OK && j->opt.table_format && (again.rows != res->entry.rows || again.bytes != res->entry.bytes))
    e = sg_seterr(SG_EIO, "object %llu written again has %llu rows in %llu bytes; the journal recorded %llu in %llu "
                  "(another spotgen wrote it?): run again with --overwrite", (unsigned long long)o,
                  (unsigned long long)again.rows, (unsigned long long)again.bytes,
                  (unsigned long long)res->entry.rows, (unsigned long long)res->entry.bytes);
  end_result(j, w, res);
  res->changes = w->changes;
  size_t n;
  const sg_part_file *f = sg_journal_files(&j->rec, o, &n);
  return e == SG_OK ? add_files(j, res, f, n) : e;
}

sg_err gen_do_work(job *j)
{
  const uint64_t first = sg_shape_rank_first(&j->shape, j->rank, j->nranks);
  const uint64_t end = sg_shape_rank_first(&j->shape, j->rank + 1, j->nranks);
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
    if (e == SG_OK && j->journaled && (e = journal_part(j, res)) != SG_OK && !kept) {
      /* a part its journal does not list would be a stranger to --overwrite
       * (a user's file): it goes with the run (a kept one is in the journal
       * read back, which stays until the end) */
      char key[256];
      sg_shape_key(&j->shape, o, key, sizeof key);
      sg_sink_remove(j->sink, key);
      for (uint32_t i = 0; i < res->nfiles; i++)
        sg_sink_remove(j->sink, j->files[j->nfiles - res->nfiles + i].key);
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
    sg_writer_abort(&j->w);
  return e;
}

/* The writer's poll: the control protocol, between chunks. */
static sg_err poll_control(void *ctx) { return gen_poll_control(ctx); }

/* --table-format iceberg: the dataset's URI (rank 0's, which every rank
 * then writes into its files' entries) and each table's place under it. */
static void iceberg_root(job *j)
{
  if (j->rank == 0 && sg_iceberg_root(j->opt.out, j->root, sizeof j->root) != 0)
    j->root[0] = 0;
  MPI_Bcast(j->root, (int)sizeof j->root, MPI_CHAR, 0, MPI_COMM_WORLD);
}

/* What a writer of this rank is given besides its objects: the control
 * protocol's poll, the counts kept for the manifest, where a partition's
 * file goes, and (Iceberg) where its files' entries go. */
static void writer_hooks(job *j, sg_writer *w, const char *url, const sg_sink_config *c, sg_format_options fo)
{
  w->poll = poll_control;
  w->ctx = j;
  w->artist_rows = j->artist_rows;
  w->track_rows = j->track_rows;
  w->track_pop = j->track_pop;
  w->days = j->have_days ? &j->days : NULL;
  w->url = url;
  w->sink_config = *c;
  w->format_options = fo;
  if (j->opt.table_format) {
    w->iceberg = j->ice.t;
    w->iceberg_files = j->ice_files;
    w->root = j->root;
  }
}

static sg_err iceberg_setup(job *j, sg_format_options fo)
{
  if (!j->root[0])
    return sg_seterr(SG_EIO, "cannot resolve %s to an absolute path for the Iceberg table's location", j->opt.out);
  sg_shape_iceberg_tables(&j->shape, j->root, &j->ice);
  if (!j->opt.resume)
    return SG_OK;
  /* --resume: the measuring writer (keep_part), to the null sink */
  sg_sink_config null_config = j->sink_config;
  sg_err e = sg_sink_for_url("null:", &null_config, &j->null_sink);
  if (e == SG_OK && !(j->null_fmt = sg_format_create(j->fmt_ops, j->null_sink, &fo)))
    e = sg_seterr(SG_ENOMEM, "out of memory while starting");
  if (e == SG_OK)
    e = sg_writer_init(&j->measure, &j->shape, &j->model, j->opt.seed, NULL, j->fmt_ops, j->null_fmt, j->null_sink);
  writer_hooks(j, &j->measure, "null:", &null_config, fo);
  return e;
}

sg_err gen_setup(job *j)
{
  if (j->opt.table_format) /* first: every rank takes part */
    iceberg_root(j);
  j->progress_req = MPI_REQUEST_NULL;
  j->seg_slot = -1;
  sg_format_options fo = gen_format_options(j);
  j->fmt = j->sink ? sg_format_create(j->fmt_ops, j->sink, &fo) : NULL;
  j->rank_stats = malloc(sizeof *j->rank_stats);
  if (!j->rank_stats)
    return sg_seterr(SG_ENOMEM, "out of memory while starting");
  sg_stats_init(j->rank_stats);
  if (j->rank == 0) {
    j->rank_rows = calloc((size_t)j->nranks, sizeof *j->rank_rows);
    j->rank_done = calloc((size_t)j->nranks, sizeof *j->rank_done);
  }
  if (!j->sink || !j->fmt || (j->rank == 0 && (!j->rank_rows || !j->rank_done)))
    return sg_seterr(SG_ENOMEM, "out of memory while starting");
  sg_model_init(&j->model, j->opt.seed, j->opt.rows, &j->cfg, j->copula);
  if (j->model.catalog.artists <= MAX_COUNTED_ARTISTS) {
    j->artist_rows = calloc(j->model.catalog.artists, sizeof *j->artist_rows);
    if (!j->artist_rows)
      return sg_seterr(SG_ENOMEM, "out of memory while starting");
  }
  j->ntracks = j->model.catalog.tracks + sg_catalog_released(&j->model.catalog, j->shape.days.as_of);
  if (j->ntracks <= MAX_COUNTED_TRACKS) {
    j->track_rows = calloc(j->ntracks, sizeof *j->track_rows);
    j->track_pop = calloc(j->ntracks, sizeof *j->track_pop);
    if (!j->track_rows || !j->track_pop)
      return sg_seterr(SG_ENOMEM, "out of memory while starting");
  }
  sg_err e = sg_writer_init(&j->w, &j->shape, &j->model, j->opt.seed, j->dirty, j->fmt_ops, j->fmt, j->sink);
  if (e == SG_OK && j->opt.table_format)
    e = iceberg_setup(j, fo);
  writer_hooks(j, &j->w, j->opt.out, &j->sink_config, fo);
  j->w.single = j->single;
  j->w.before_commit = journal_pending;
  return e;
}
