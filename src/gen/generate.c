/* generate.c - the MPI driver of `spotgen generate` (see generate.h): the
 * steps of job.h in order (plan, prepare, work, gather, commit), each in
 * its own file of src/gen/, the only folder that uses MPI. */
#include "spotgen/gen/generate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "job.h"
#include "spotgen/base/err.h"
#include "spotgen/base/readfile.h"
#include "spotgen/base/signals.h"

#define CONFIG_MAX (1 << 20) /* bytes of a --config file */

/* Alone, argument errors are printed without starting MPI; under a
 * launcher every rank must start it (sg_generate_main). */
int sg_generate_launched(void)
{
  static const char *const VARS[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"};
  for (size_t i = 0; i < sizeof VARS / sizeof VARS[0]; i++) {
    const char *v = getenv(VARS[i]);
    if (v && *v)
      return 1;
  }
  return 0;
}

/* The text of a file given on the command line (`what`: "--config"):
 * rank 0 reads it and sends it to every rank, so it need only exist where
 * rank 0 runs. *text is malloc'ed on every rank. */
static sg_err read_everywhere(job *j, const char *path, const char *what, char **text)
{
  long len = 0;
  int status = SG_OK;
  *text = NULL;
  if (j->rank == 0) {
    status = sg_read_text(path, CONFIG_MAX, what, text);
    len = *text ? (long)strlen(*text) : 0;
  }
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (status != SG_OK)
    return (sg_err)status;
  MPI_Bcast(&len, 1, MPI_LONG, 0, MPI_COMM_WORLD);
  if (j->rank != 0 && !(*text = calloc((size_t)len + 1, 1)))
    return sg_seterr(SG_ENOMEM, "out of memory reading %s", what);
  MPI_Bcast(*text, (int)len, MPI_CHAR, 0, MPI_COMM_WORLD);
  return SG_OK;
}

/* --dirty: a built-in profile, or the rates of a FILE.json. */
static sg_err load_dirty(job *j)
{
  if (!(j->dirty = malloc(sizeof *j->dirty)))
    return sg_seterr(SG_ENOMEM, "out of memory while starting");
  const char *arg = j->opt.dirty;
  if (sg_dirty_is_profile(arg) || (!strchr(arg, '/') && !strchr(arg, '.'))) /* not a file's name */
    return sg_dirty_profile(j->dirty, arg);
  char *text;
  sg_err e = read_everywhere(j, arg, "--dirty", &text);
  if (e == SG_OK)
    e = sg_dirty_apply_json(j->dirty, text, arg);
  free(text);
  return e;
}

/* The model's configuration: every rank applies the --config file's text
 * and builds the same copula. */
static sg_err load_model(job *j)
{
  sg_config_default(&j->cfg);
  if (j->opt.config) {
    char *text;
    sg_err e = read_everywhere(j, j->opt.config, "--config", &text);
    if (e == SG_OK)
      e = sg_config_apply_json(&j->cfg, text, j->opt.config);
    free(text);
    if (e != SG_OK)
      return e;
  }
  j->cfg.days.start = j->opt.start;
  if (j->opt.artists)
    j->cfg.artists = j->opt.artists;
  if (j->opt.tracks)
    j->cfg.tracks = j->opt.tracks;
  if (j->opt.playlist_size)
    j->cfg.playlist_median = (double)j->opt.playlist_size;
  j->copula = malloc(sizeof *j->copula);
  if (!j->copula)
    return sg_seterr(SG_ENOMEM, "out of memory while starting");
  return sg_copula_build(j->copula, &j->cfg, j->opt.config);
}

/* --days, --day, --as-of: the days the run writes, each day's events
 * counted (every rank alike), so that the shape knows its objects. */
static sg_err load_days(job *j)
{
  const sg_gen_options *o = &j->opt;
  if (!o->days && !o->day && !o->as_of)
    return SG_OK;
  j->have_days = 1;
  sg_catalog_init(&j->days_catalog, o->seed, o->rows, &j->cfg);
  sg_err e = sg_days_init(&j->days, &j->days_catalog, o->rows, &j->cfg.days);
  if (e != SG_OK)
    return e;
  j->days.catalogue = o->tables;
  /* a flat change part holds about as many rows as a snapshot's part: an
     event is a playlist's rows, some 64 on the average; with --tables, the
     playlists' changes are one or two rows an event (the placements'
     fewer) */
  uint64_t rpp = j->plan.rows_per_part ? j->plan.rows_per_part : j->plan.rows / j->plan.parts;
  uint64_t per = o->tables ? rpp / 2 : rpp / 64;
  sg_days_span d = {o->start, (int32_t)o->as_of, o->day != 0, o->day ? (int32_t)o->day : (int32_t)o->as_of + 1,
                    o->day ? (int32_t)o->day : (int32_t)o->days, per ? per : 1, NULL, NULL};
  size_t n = d.last >= d.first ? (size_t)(d.last - d.first + 1) : 0;
  uint64_t *events = calloc(n + 1, sizeof *events);
  j->day_counts = calloc((n + 1) * (size_t)j->shape.nchange, sizeof *j->day_counts);
  if (!events || !j->day_counts)
    e = sg_seterr(SG_ENOMEM, "out of memory for the days' changes");
  for (size_t i = 0; e == SG_OK && i < n; i++) {
    sg_day_event *ev;
    size_t k;
    e = sg_days_events(&j->days, d.first + (int32_t)i, &ev, &k);
    for (size_t x = 0; e == SG_OK && x < k; x++)
      j->day_counts[i * (size_t)j->shape.nchange].events[ev[x].kind]++;
    if (e == SG_OK)
      free(ev);
    events[i] = k;
  }
  if (e == SG_OK)
    e = sg_shape_set_days(&j->shape, &d, events);
  free(events);
  return e;
}

/* plan: the model, the output's backend, and what a run being resumed
 * recorded. Nothing is written yet. */
static sg_err plan(job *j)
{
  j->plan = sg_plan_make(j->opt.rows, j->opt.rows_per_part, j->opt.parts);
  j->fmt_ops = sg_format_find(j->opt.format);
  sg_partition_describe(&j->opt.partition, j->partition_by, sizeof j->partition_by);
  sg_shape_make(&j->shape, &j->plan, j->opt.tables, j->opt.dirty != NULL, j->fmt_ops->extension, &j->opt.partition);
  if (j->opt.table_format)
    sg_shape_iceberg(&j->shape);
  sg_err e = load_model(j);
  if (e == SG_OK)
    e = load_days(j);
  if (e == SG_OK && j->opt.dirty)
    e = load_dirty(j);
  if (e == SG_OK)
    e = gen_open_output(j);
  if (e == SG_OK)
    e = gen_load_records(j);
  return e;
}

/* The rows progress counts to: the snapshot's, and with --days an
 * estimate of the changes' (an event is about 3/4 of a playlist's rows:
 * deletions and births a playlist's, counts twice as many, edits a few;
 * with --tables, about two rows: most are counts, two rows of playlists). */
static uint64_t progress_total(const job *j)
{
  const sg_days_span *d = &j->shape.days;
  uint64_t total = d->changes_only ? 0 : j->plan.rows, events = 0;
  for (int32_t day = d->first; j->have_days && day <= d->last; day++)
    events += d->events[day - d->first];
  double per = !j->have_days || !j->days.playlists0 ? 0
               : j->opt.tables                      ? 2
                                                    : 0.75 * (double)j->plan.rows / (double)j->days.playlists0;
  return total + (uint64_t)((double)events * per);
}

/* work: each rank its parts; the verdict is common to all. `*mine` is
 * this rank's own outcome. */
static sg_err work(job *j, sg_err *mine)
{
  *mine = gen_setup(j);
  gen_watch_others(j);
  if (j->rank == 0)
    sg_progress_init(&j->progress, stderr, j->opt.progress, progress_total(j), j->t0);
  if (*mine == SG_OK)
    *mine = gen_do_work(j);
  gen_local_failure(j, *mine);
  sg_err verdict = gen_finish_work(j, *mine);
  if (j->rank == 0)
    sg_progress_end(&j->progress);
  return verdict;
}

/* Rank 0 says what a failed run means for the dataset. */
static void report_failure(const job *j, sg_err verdict, sg_err mine)
{
  if (verdict == SG_ESIGNAL || mine == SG_ESIGNAL)
    fprintf(stderr, "spotgen: %s; temporary files removed, no _SUCCESS written\n",
            mine == SG_ESIGNAL ? sg_errmsg(mine) : "interrupted");
  else if (verdict != SG_OK)
    fprintf(stderr, "spotgen: rank %d failed; temporary files removed, no _SUCCESS written\n",
            j->failed_rank);
}

static void teardown(job *j)
{
  for (int i = 0; j->hosts && i < j->nhosts; i++)
    free(j->hosts[i]);
  free(j->hosts);
  cJSON_Delete(j->manifest);
  free(j->total);
  sg_format_destroy(j->fmt);
  if (j->sink)
    sg_lock_release(j->sink, &j->lock);
  sg_sink_destroy(j->sink);
  sg_writer_free(&j->w);
  sg_writer_free(&j->measure);
  sg_format_destroy(j->null_fmt);
  sg_sink_destroy(j->null_sink);
  for (int t = 0; t <= SG_TABLE_FLAT; t++)
    sg_iceberg_files_free(&j->ice_files[t]);
  free(j->rank_stats);
  free(j->artist_rows);
  free(j->track_rows);
  free(j->track_pop);
  free(j->copula);
  free(j->dirty);
  sg_days_free(&j->days);
  free(j->day_counts);
  sg_shape_free(&j->shape);
  free(j->results);
  free(j->files);
  free(j->rank_rows);
  free(j->rank_done);
  free(j->rss_mib);
  free(j->params);
  sg_buf_free(&j->journal);
  free(j->old_journals);
  sg_journal_free(&j->rec);
}

int sg_generate_main(const sg_gen_options *o, sg_err parsed, int *argc, char ***argv,
                     int (*answer)(sg_err parsed))
{
  static job jb;
  job *j = &jb;
  j->opt = *o;
  sg_err e = parsed;
  MPI_Init(argc, argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &j->rank);
  MPI_Comm_size(MPI_COMM_WORLD, &j->nranks);
  sg_signals_install();
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  j->start_unix = (double)now.tv_sec + now.tv_nsec / 1e9;
  j->t0 = MPI_Wtime();

  if (e == SG_OK && !j->opt.help)
    e = plan(j);
  if (e == SG_OK && !j->opt.help)
    e = gen_prepare_output(j);
  if (e != SG_OK || j->opt.help) {
    if (j->rank == 0)
      answer(e);
    fflush(NULL);
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    return sg_exit_status(e);
  }

  sg_err mine;
  sg_err verdict = work(j, &mine);
  e = gen_gather(j, verdict);
  e = gen_commit(j, e);
  if (e != SG_OK && j->rank == 0)
    report_failure(j, verdict, mine);
  if (mine != SG_OK)
    e = mine;
  teardown(j);
  MPI_Finalize();
  return sg_exit_status(e);
}
