/* commit.c - after the verdict: the statistics gathered in part order, the
 * target checks, and the dataset's end (manifest, _SUCCESS, summary). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "job.h"
#include "spotgen/base/err.h"
#include "spotgen/base/layout.h"
#include "spotgen/base/numfmt.h"

/* A partitioned file's manifest entry: its key, and the values its folders
 * name ("partition": {"playlist_category": "party", "release_year": "2023"}). */
static void add_file(job *j, const sg_part_file *f)
{
  cJSON *e = sg_manifest_add_part(j->manifest, &f->entry, f->key);
  const sg_partitioning *p = sg_shape_partitioning(&j->shape, f->entry.index);
  cJSON *values = e ? cJSON_AddObjectToObject(e, "partition") : NULL;
  const char *folders = sg_shape_file_folders(&j->shape, f->entry.index, f->key);
  for (int i = 0; values && i < p->n; i++) {
    char v[SG_PARTITION_FOLDERS];
    if (sg_partition_value(p, i, folders, v, sizeof v) >= 0)
      cJSON_AddStringToObject(values, p->f[i].name, v);
  }
}

/* --table-format iceberg: a rank's tables' manifest entries go to rank 0,
 * after its parts, each table's head, then its entries, their lengths and keys;
 * rank 0 appends them after the ranks' before (so in object order). */
static void send_iceberg(job *j)
{
  for (int t = 0; j->opt.table_format && t <= SG_TABLE_FLAT; t++) {
    const sg_iceberg_files *f = &j->ice_files[t];
    MPI_Send(&f->head, (int)sizeof f->head, MPI_BYTE, 0, TAG_PART, MPI_COMM_WORLD);
    if (f->head.files) {
      MPI_Send(f->entries.p, (int)f->entries.len, MPI_BYTE, 0, TAG_PART, MPI_COMM_WORLD);
      MPI_Send(f->lens.p, (int)f->lens.len, MPI_BYTE, 0, TAG_PART, MPI_COMM_WORLD);
      MPI_Send(f->keys.p, (int)f->keys.len, MPI_BYTE, 0, TAG_PART, MPI_COMM_WORLD);
    }
  }
}

static void receive_iceberg(job *j, int r)
{
  for (int t = 0; j->opt.table_format && t <= SG_TABLE_FLAT; t++) {
    sg_iceberg_head h;
    MPI_Recv(&h, (int)sizeof h, MPI_BYTE, r, TAG_PART, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (!h.files)
      continue;
    void *entries = malloc(h.entries_len), *keys = malloc(h.keys_len);
    uint32_t *lens = malloc(h.files * sizeof *lens);
    if (!entries || !lens || !keys) { /* the message cannot be taken: the job ends, without _SUCCESS */
      fprintf(stderr, "spotgen: out of memory while gathering the Iceberg manifest's entries\n");
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Recv(entries, (int)h.entries_len, MPI_BYTE, r, TAG_PART, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Recv(lens, (int)(h.files * sizeof *lens), MPI_BYTE, r, TAG_PART, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Recv(keys, (int)h.keys_len, MPI_BYTE, r, TAG_PART, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (sg_iceberg_append(&j->ice_files[t], &j->ice.t[t], &h, entries, lens, keys) != 0) {
      fprintf(stderr, "spotgen: out of memory while gathering the Iceberg manifest's entries\n");
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    free(entries);
    free(lens);
    free(keys);
  }
}

/* Rank 0 merges the parts' statistics' heads strictly in part order: the
 * same floating-point operations whatever the number of ranks; then each
 * rank's histograms and --dirty counts, sums of integers (stats.h). A
 * rank's partitioned files follow its parts. */
static sg_err merge_parts(job *j)
{
  const uint64_t mine = sg_shape_rank_first(&j->shape, j->rank, j->nranks);
  if (j->rank != 0) {
    const sg_part_file *f = j->files;
    for (uint64_t o = mine; o < sg_shape_rank_first(&j->shape, j->rank + 1, j->nranks); o++) {
      const part_result *p = &j->results[o - mine];
      MPI_Send(p, (int)sizeof *p, MPI_BYTE, 0, TAG_PART, MPI_COMM_WORLD);
      if (p->nfiles)
        MPI_Send(f, (int)(p->nfiles * sizeof *f), MPI_BYTE, 0, TAG_PART, MPI_COMM_WORLD);
      f += p->nfiles;
    }
    MPI_Send(j->rank_stats, (int)sizeof *j->rank_stats, MPI_BYTE, 0, TAG_PART, MPI_COMM_WORLD);
    MPI_Send(&j->rank_dirty, (int)sizeof j->rank_dirty, MPI_BYTE, 0, TAG_PART, MPI_COMM_WORLD);
    send_iceberg(j);
    return SG_OK;
  }
  part_result *tmp = malloc(sizeof *tmp);
  sg_stats *head = malloc(sizeof *head);
  sg_part_file *files = NULL; /* another rank's object's */
  size_t cap_files = 0;
  if (!tmp || !head) {
    free(tmp);
    free(head);
    return sg_seterr(SG_ENOMEM, "out of memory while merging statistics");
  }
  sg_stats_init(j->total);
  sg_stats_init(head);
  for (int r = 0; r < j->nranks; r++) {
    uint64_t a = sg_shape_rank_first(&j->shape, r, j->nranks);
    uint64_t b = sg_shape_rank_first(&j->shape, r + 1, j->nranks);
    const sg_part_file *f = j->files; /* rank 0's */
    for (uint64_t o = a; o < b; o++) {
      const part_result *p = tmp;
      if (r == 0)
        p = &j->results[o - a];
      else
        MPI_Recv(tmp, (int)sizeof *tmp, MPI_BYTE, r, TAG_PART, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (r > 0 && p->nfiles) {
        if (p->nfiles > cap_files) {
          sg_part_file *grown = realloc(files, p->nfiles * sizeof *files);
          if (!grown) { /* the message cannot be taken: the job ends, without _SUCCESS */
            fprintf(stderr, "spotgen: out of memory while merging the files' records\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
          }
          files = grown;
          cap_files = p->nfiles;
        }
        MPI_Recv(files, (int)(p->nfiles * sizeof *files), MPI_BYTE, r, TAG_PART, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        f = files;
      }
      memcpy(head, p->head, SG_STATS_HEAD);
      sg_stats_merge_head(j->total, head);
      const sg_object x = sg_shape_object(&j->shape, o);
      if (x.kind == SG_OBJECT_ROWS)
        j->snapshot_rows += p->entry.rows;
      if (x.kind == SG_OBJECT_CHANGES) {
        sg_change_counts *c = gen_day_counts(j, x.day, x.change);
        c->inserts += p->changes.inserts;
        c->deletes += p->changes.deletes;
        c->updates += p->changes.updates;
      }
      j->bytes += p->entry.bytes;
      const int partitioned = sg_shape_partitioning(&j->shape, o)->n > 0;
      j->files_written += partitioned ? p->nfiles : 1;
      if (j->opt.tables && (x.kind == SG_OBJECT_ROWS || x.kind == SG_OBJECT_ENTITIES)) /* the snapshot's tables */
        j->table_rows[x.table] += p->entry.rows;
      for (uint32_t i = 0; j->manifest && partitioned && i < p->nfiles; i++)
        add_file(j, &f[i]);
      if (j->manifest && !partitioned) {
        char key[256];
        sg_shape_key(&j->shape, o, key, sizeof key);
        sg_manifest_add_part(j->manifest, &p->entry, key);
      }
      f += p->nfiles;
    }
    if (r > 0) { /* after its parts, the rank's sums (in order: MPI does not overtake) */
      MPI_Recv(j->rank_stats, (int)sizeof *j->rank_stats, MPI_BYTE, r, TAG_PART, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      MPI_Recv(&j->rank_dirty, (int)sizeof j->rank_dirty, MPI_BYTE, r, TAG_PART, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      receive_iceberg(j, r);
    }
    sg_stats_add_hist(j->total, j->rank_stats);
    sg_dirty_counts_merge(&j->dirty_total, &j->rank_dirty);
  }
  free(tmp);
  free(head);
  free(files);
  return SG_OK;
}

static char **gather_hosts(const job *j, int *nhosts)
{
  char name[MPI_MAX_PROCESSOR_NAME] = {0};
  int len;
  MPI_Get_processor_name(name, &len);
  char *all = j->rank == 0 ? calloc((size_t)j->nranks, MPI_MAX_PROCESSOR_NAME) : NULL;
  MPI_Gather(name, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, all, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, 0,
             MPI_COMM_WORLD);
  *nhosts = 0;
  if (j->rank != 0 || !all)
    return NULL;
  char **hosts = calloc((size_t)j->nranks, sizeof *hosts);
  for (int r = 0; hosts && r < j->nranks; r++) {
    char *h = all + (size_t)r * MPI_MAX_PROCESSOR_NAME;
    int seen = 0;
    for (int i = 0; i < *nhosts; i++)
      seen |= strcmp(hosts[i], h) == 0;
    if (!seen)
      hosts[(*nhosts)++] = strdup(h);
  }
  free(all);
  return hosts;
}

/* Peak resident memory of every rank so far, in MiB (rank 0 gets them). */
static double *gather_rss(const job *j)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double mine = (double)ru.ru_maxrss / 1024.0; /* KiB on Linux */
  double *all = j->rank == 0 ? calloc((size_t)j->nranks, sizeof *all) : NULL;
  MPI_Gather(&mine, 1, MPI_DOUBLE, all, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  return all;
}

/* Rows of changes by op, into o. */
static void change_counts_json(cJSON *o, const sg_change_counts *c)
{
  cJSON_AddNumberToObject(o, "inserts", (double)c->inserts);
  cJSON_AddNumberToObject(o, "deletes", (double)c->deletes);
  cJSON_AddNumberToObject(o, "updates", (double)c->updates);
  cJSON_AddNumberToObject(o, "rows", (double)(c->inserts + c->deletes + 2 * c->updates));
}

/* --days: the snapshot's day and rows, and each day's date, events by
 * kind and rows by op (with --tables, summed over the tables that change,
 * and each table's). */
static cJSON *days_json(const job *j)
{
  const sg_days_span *d = &j->shape.days;
  cJSON *o = cJSON_CreateObject();
  char date[16];
  date[sg_fmt_date(date, d->start + d->as_of)] = '\0';
  if (!d->changes_only) { /* the snapshot: day 0's rows, or the state of a later day */
    cJSON_AddNumberToObject(o, "as_of", d->as_of);
    cJSON_AddStringToObject(o, "as_of_date", date);
    cJSON_AddNumberToObject(o, "rows", (double)j->snapshot_rows);
  }
  cJSON_AddStringToObject(o, "changes", j->opt.tables ? SG_LAYOUT_CHANGES "/TABLE/batch_date=YYYY-MM-DD/"
                                                      : SG_LAYOUT_CHANGES "/batch_date=YYYY-MM-DD/");
  cJSON_AddStringToObject(o, "ops", "insert (the row added), delete (the row as it was), update_before and "
                                    "update_after (an update's row before, then after)");
  cJSON *list = cJSON_AddArrayToObject(o, "days");
  for (int32_t day = d->first; day <= d->last; day++) {
    const sg_change_counts *c = gen_day_counts(j, day, 0);
    sg_change_counts sum = {0};
    cJSON *one = cJSON_CreateObject(), *tables = j->opt.tables ? cJSON_CreateObject() : NULL;
    for (int t = 0; t < j->shape.nchange; t++) { /* --tables: each table's, and their sums */
      const sg_change_counts *ct = gen_day_counts(j, day, t);
      sum.inserts += ct->inserts;
      sum.deletes += ct->deletes;
      sum.updates += ct->updates;
      if (tables)
        change_counts_json(cJSON_AddObjectToObject(
                               tables, sg_schema_table((sg_table_id)sg_schema_changed(j->shape.change[t]))->name),
                           ct);
    }
    date[sg_fmt_date(date, d->start + day)] = '\0';
    cJSON_AddNumberToObject(one, "day", day);
    cJSON_AddStringToObject(one, "batch_date", date);
    cJSON_AddNumberToObject(one, "events", (double)d->events[day - d->first]);
    cJSON_AddNumberToObject(one, "playlists_born", (double)c->events[SG_DAY_BIRTH]);
    cJSON_AddNumberToObject(one, "playlists_deleted", (double)c->events[SG_DAY_DELETE]);
    cJSON_AddNumberToObject(one, "playlists_edited", (double)c->events[SG_DAY_EDIT]);
    cJSON_AddNumberToObject(one, "followers_changed", (double)c->events[SG_DAY_COUNT]);
    const sg_catalog *cat = &j->model.catalog; /* the catalogue grows, flat or not */
    cJSON_AddNumberToObject(one, "tracks_released",
                            (double)(sg_catalog_released(cat, day) - sg_catalog_released(cat, day - 1)));
    if (tables)
      cJSON_AddNumberToObject(one, "popularity_recounted", (double)c->events[SG_DAY_RECOUNT]);
    change_counts_json(one, &sum);
    if (tables)
      cJSON_AddItemToObject(one, "tables", tables);
    cJSON_AddItemToArray(list, one);
  }
  return o;
}

/* --dirty: what the data holds besides its rows, and where the ledger is. */
static cJSON *dirty_json(const job *j)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "ledger", SG_LAYOUT_DIRTY "/");
  cJSON_AddNumberToObject(o, "rows_written", (double)j->dirty_total.rows);
  cJSON_AddNumberToObject(o, "ledger_rows", (double)j->dirty_total.ledger);
  cJSON_AddItemToObject(o, "counts", sg_dirty_counts_json(&j->dirty_total));
  return o;
}

/* --table-format iceberg: each table's manifest, manifest list and
 * metadata file, from the entries gathered (nothing read back), before the
 * dataset's manifest, which names them. */
static sg_err commit_tables(job *j)
{
  if (!j->opt.table_format)
    return SG_OK;
  double t0 = MPI_Wtime();
  cJSON *ds = cJSON_GetObjectItemCaseSensitive(j->manifest, "dataset");
  char *identity = cJSON_PrintUnformatted(ds);
  cJSON *list = cJSON_AddArrayToObject(j->manifest, "iceberg");
  const sg_page_codec *pc = sg_page_codec_find(j->opt.parquet_codec);
  /* the codec as Iceberg's write.parquet.compression-codec names it */
  const char *codec = !pc ? "zstd" : strcmp(pc->name, "none") == 0 ? "uncompressed" : pc->name;
  /* with --days, a snapshot for each day, at the end of its date (so a
     time travel to a date reads that day's state): day 0's, then each
     day's changes */
  const sg_days_span *d = &j->shape.days;
  const int days = j->have_days && d->last >= d->first ? d->last - d->first + 1 : 0;
  int64_t *ms = days ? malloc((size_t)(days + 1) * sizeof *ms) : NULL;
  for (int s = 0; ms && s <= days; s++)
    ms[s] = ((int64_t)d->start + d->as_of + s + 1) * 86400000 - 1;
  sg_iceberg_history history = {days + 1, ms};
  sg_err e = identity && list && (ms || !days) ? SG_OK
                                               : sg_seterr(SG_ENOMEM, "out of memory committing the Iceberg tables");
  for (int t = 0; e == SG_OK && t <= SG_TABLE_FLAT; t++) {
    if (!j->ice.t[t].table)
      continue;
    char key[512];
    e = sg_iceberg_commit(j->sink, &j->ice.t[t], &j->ice_files[t], &history, identity, SPOTGEN_VERSION, codec,
                          j->opt.manifest_size, key, sizeof key);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "table", j->ice.t[t].name);
    cJSON_AddStringToObject(o, "location", j->ice.t[t].location);
    cJSON_AddStringToObject(o, "metadata", key);
    const sg_iceberg_head *h = &j->ice_files[t].head;
    cJSON_AddNumberToObject(o, "data_files", (double)(h->files - h->delete_files));
    if (history.n > 1) {
      cJSON_AddNumberToObject(o, "delete_files", (double)h->delete_files);
      cJSON_AddNumberToObject(o, "snapshots", history.n);
    }
    cJSON_AddItemToArray(list, o);
  }
  cJSON_free(identity);
  free(ms);
  j->commit_seconds = MPI_Wtime() - t0;
  return e;
}

static sg_err write_dataset_end(job *j, double seconds)
{
  cJSON *manifest = j->manifest;
  sg_run_info run = {j->nranks, (const char *const *)j->hosts, j->nhosts, j->start_unix, seconds,
                     j->plan.rows, j->rss_mib};
  cJSON_AddItemToObject(manifest, "config", sg_config_json(&j->cfg));
  cJSON *stats = sg_stats_json(j->total);
  if (j->artist_rows) /* sorted by run_targets */
    cJSON_AddItemToObject(stats, "artists", sg_artists_json(j->artist_rows, j->model.catalog.artists));
  cJSON *tracks = j->track_rows ? sg_tracks_json(j->track_rows, j->ntracks, j->track_spearman) : NULL;
  if (tracks)
    cJSON_AddItemToObject(stats, "tracks", tracks);
  if (j->opt.tables)
    cJSON_AddItemToObject(manifest, "tables", sg_tables_json(j->table_rows));
  if (j->dirty)
    cJSON_AddItemToObject(manifest, "dirty", dirty_json(j));
  if (j->have_days)
    cJSON_AddItemToObject(manifest, "days", days_json(j));
  if (j->shape.days.changes_only) { /* --day D: no snapshot to describe */
    cJSON_Delete(stats);
  } else {
    cJSON_AddItemToObject(manifest, "stats", stats);
    cJSON_AddItemToObject(manifest, "targets", sg_checks_json(j->checks, j->nchecks));
  }
  cJSON_AddItemToObject(manifest, "run", sg_run_json(&run));
  sg_err e = commit_tables(j);
  if (e == SG_OK)
    e = sg_manifest_write(manifest, j->sink);
  if (e == SG_OK)
    e = sg_sink_open(j->sink, SG_LAYOUT_SUCCESS);
  if (e == SG_OK)
    e = sg_sink_commit(j->sink);
  return e;
}

static void print_summary(const job *j, double seconds)
{
  char size[32], rate[32], where[1024];
  int kept = j->sink->ops->checksums;
  /* a name is shown, never obeyed: its control characters escaped */
  sg_escape_controls(where, sizeof where, j->stream ? "standard output" : j->single ? j->opt.output_file : j->opt.out);
  const sg_days_span *d = &j->shape.days;
  uint64_t snapshot = j->have_days ? j->snapshot_rows : j->plan.rows, changed = 0, parts = j->plan.parts;
  for (int32_t day = d->first; j->have_days && day <= d->last; day++)
    for (int t = 0; t < j->shape.nchange; t++) {
      const sg_change_counts *c = gen_day_counts(j, day, t);
      changed += c->inserts + c->deletes + 2 * c->updates;
    }
  char what[160], n[32];
  if (d->changes_only)
    snprintf(what, sizeof what, "day %d's changes, %s rows in %llu part%s", (int)d->first, sg_fmt_group(n, changed),
             (unsigned long long)sg_shape_objects(&j->shape), sg_shape_objects(&j->shape) == 1 ? "" : "s");
  else if (d->as_of)
    snprintf(what, sizeof what, "the state of day %d, %s rows in %llu part%s%s", (int)d->as_of,
             sg_fmt_group(n, snapshot), (unsigned long long)parts, parts == 1 ? "" : "s",
             j->opt.tables ? " of 5 linked tables" : "");
  else
    snprintf(what, sizeof what, "%s rows in %llu part%s%s", sg_fmt_group(n, snapshot), (unsigned long long)parts,
             parts == 1 ? "" : "s", j->opt.tables ? " of 5 linked tables" : j->dirty ? " with their ledger" : "");
  fprintf(stderr, "spotgen: %s %s (%s) %s %s in %.2f s: %s rows/s on %d rank%s\n", kept ? "wrote" : "generated",
          what, sg_human_bytes(size, sizeof size, (double)j->bytes), kept ? "to" : "and discarded them:", where,
          seconds, sg_human_count(rate, sizeof rate, seconds > 0 ? (double)(snapshot + changed) / seconds : 0),
          j->nranks, j->nranks == 1 ? "" : "s");
  if (j->have_days && !d->changes_only && d->last >= d->first)
    fprintf(stderr, "spotgen: and the changes of days %d .. %d: %s rows in %llu parts under %s/\n", (int)d->first,
            (int)d->last, sg_fmt_group(n, changed),
            (unsigned long long)(sg_shape_objects(&j->shape) - sg_shape_snapshot_objects(&j->shape)),
            SG_LAYOUT_CHANGES);
  int tables = 0;
  uint64_t data = 0, deletes = 0;
  for (int t = 0; j->opt.table_format && t <= SG_TABLE_FLAT; t++) {
    tables += j->ice.t[t].table != NULL;
    data += j->ice_files[t].head.files - j->ice_files[t].head.delete_files;
    deletes += j->ice_files[t].head.delete_files;
  }
  char files[64];
  snprintf(files, sizeof files, deletes ? "%llu data files, %llu delete files" : "%llu data files",
           (unsigned long long)data, (unsigned long long)deletes);
  if (tables)
    fprintf(stderr, "spotgen: committed %d Iceberg table%s (%s) in %.3f s: %s/%smetadata/v1.metadata.json\n", tables,
            tables == 1 ? "" : "s", files, j->commit_seconds, j->root, tables == 1 ? "" : "TABLE/");
  if (!j->opt.partition.n)
    return;
  /* a partitioned run's files: many small ones are slow to read */
  double mean = j->files_written ? (double)j->bytes / (double)j->files_written : 0;
  char avg[32];
  sg_human_bytes(avg, sizeof avg, mean);
  fprintf(stderr, "spotgen: %llu data files (partitioned by %s), %s on average%s\n",
          (unsigned long long)j->files_written, j->partition_by, avg,
          mean < 32.0 * 1048576 ? "; files under 32 MiB are slow to query: give larger parts (--rows-per-part, "
                                  "--parts) so that each partition's file grows (docs/partitions.md)"
                                : "");
}

/* Rank 0: the target checks over the merged statistics and the rows per
 * artist summed over ranks (integers: the sum is the same for any -np). */
static void run_targets(job *j)
{
  sg_measures m = {j->total, &j->cfg, 0, 0, 0, 0, 0,
                   "rows per track not counted (more tracks than spotgen counts while "
                   "generating); spotgen verify counts them", j->copula};
  if (j->track_rows) {
    m.have_tracks = 1;
    m.track_spearman = j->track_spearman;
  }
  if (j->artist_rows) {
    m.have_artists = 1;
    sg_artist_summary(j->artist_rows, j->model.catalog.artists, &m.artist_top1, &m.artist_gini);
  }
  j->nchecks = sg_targets_run(&m, j->checks);
}

sg_err gen_gather(job *j, sg_err e)
{
  sg_err verdict = e;
  if (e == SG_OK && j->rank == 0) {
    sg_dataset_info info = gen_dataset_info(j, &j->plan, &j->model.catalog);
    if (j->journaled)
      j->manifest = sg_manifest_new(&info);
    if (j->manifest && (j->opt.partition.n || j->opt.table_format ||
                        (j->have_days && j->shape.days.last >= j->shape.days.first))) {
      /* the tables as partitioned, with partition projection; Iceberg's registered where they are; the
         days' changes by batch_date */
      char *ddl = sg_shape_ddl(&j->shape, j->opt.tables ? "spotify" : "spotify_tracks",
                               j->opt.table_format ? j->root : "s3://YOUR-BUCKET/spotify/", j->fmt_ops->base);
      cJSON *sc = cJSON_GetObjectItemCaseSensitive(j->manifest, "schema");
      if (ddl)
        cJSON_ReplaceItemInObjectCaseSensitive(sc, "athena_ddl", cJSON_CreateString(ddl));
      free(ddl);
    }
    j->total = malloc(sizeof *j->total);
    if (!j->total)
      e = gen_local_failure(j, sg_seterr(SG_ENOMEM, "out of memory while merging statistics"));
  }
  if (e == SG_OK)
    e = gen_local_failure(j, merge_parts(j));
  if (verdict == SG_OK)
    e = gen_agree(e);
  if (e == SG_OK && j->artist_rows) {
    size_t n = j->model.catalog.artists;
    MPI_Reduce(j->rank == 0 ? MPI_IN_PLACE : j->artist_rows, j->artist_rows, (int)n,
               MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  }
  if (e == SG_OK && j->track_rows) {
    size_t n = j->ntracks;
    MPI_Reduce(j->rank == 0 ? MPI_IN_PLACE : j->track_rows, j->track_rows, (int)n, MPI_UINT32_T,
               MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(j->rank == 0 ? MPI_IN_PLACE : j->track_pop, j->track_pop, (int)n, MPI_UINT8_T,
               MPI_MAX, 0, MPI_COMM_WORLD);
    for (size_t t = 0; j->rank == 0 && t < n; t++)
      j->track_pop[t] = j->track_pop[t] ? (uint8_t)(j->track_pop[t] - 1) : 0;
    if (j->rank == 0)
      j->track_spearman = sg_track_spearman(j->track_rows, j->track_pop, n);
  }
  if (e == SG_OK && j->rank == 0 && !j->shape.days.changes_only)
    run_targets(j);
  j->hosts = gather_hosts(j, &j->nhosts);
  j->rss_mib = gather_rss(j);
  return e;
}

sg_err gen_commit(job *j, sg_err e)
{
  /* a run whose location another run took over commits nothing */
  sg_err mine = e == SG_OK && j->rank == 0 ? gen_local_failure(j, sg_lock_check(j->sink, &j->lock)) : SG_OK;
  if (e == SG_OK)
    e = gen_agree(mine);
  if (e == SG_OK && j->single)
    e = gen_local_failure(j, gen_assemble(j));
  double seconds = MPI_Wtime() - j->t0;
  if (e == SG_OK && j->rank == 0 && j->manifest)
    e = gen_local_failure(j, write_dataset_end(j, seconds));
  uint64_t kept = 0;
  MPI_Reduce(&j->kept, &kept, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  if (e == SG_OK && j->rank == 0 && j->manifest)
    gen_remove_journals(j);
  if (e == SG_OK && j->rank == 0 && j->opt.resume)
    fprintf(stderr, "spotgen: resumed: %llu of %llu parts kept as recorded, %llu generated\n",
            (unsigned long long)kept, (unsigned long long)sg_shape_objects(&j->shape),
            (unsigned long long)(sg_shape_objects(&j->shape) - kept));
  if (e == SG_OK && j->rank == 0)
    print_summary(j, seconds);
  return e;
}
