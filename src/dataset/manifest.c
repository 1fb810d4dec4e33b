/* manifest.c - building and writing _manifest.json (see manifest.h). */
#include "spotgen/dataset/manifest.h"
#include "spotgen/base/numfmt.h"
#include "spotgen/base/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spotgen/model/category.h"
#include "spotgen/base/layout.h"
#include "spotgen/dataset/dirty.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/dataset/targets.h"

cJSON *sg_manifest_new(const sg_dataset_info *d)
{
  cJSON *m = cJSON_CreateObject();
  cJSON *g = cJSON_AddObjectToObject(m, "generator");
  cJSON_AddStringToObject(g, "name", "spotgen");
  cJSON_AddStringToObject(g, "version", SPOTGEN_VERSION);

  cJSON *ds = cJSON_AddObjectToObject(m, "dataset");
  cJSON_AddNumberToObject(ds, "seed", (double)d->seed);
  cJSON_AddNumberToObject(ds, "rows", (double)d->rows);
  cJSON_AddNumberToObject(ds, "rows_per_part", (double)d->rows_per_part);
  cJSON_AddNumberToObject(ds, "parts", (double)d->parts);
  cJSON_AddNumberToObject(ds, "artists", (double)d->artists);
  cJSON_AddNumberToObject(ds, "tracks", (double)d->tracks);
  cJSON_AddStringToObject(ds, "track_id", "one per track: a track recurs across playlists, with the same attributes on every row");
  cJSON_AddStringToObject(ds, "part_sizing", d->even_parts ? "parts" : "rows_per_part");
  cJSON_AddStringToObject(ds, "format", d->format);
  cJSON_AddStringToObject(ds, "compression", d->compression);
  if (d->compression_level > 0)
    cJSON_AddNumberToObject(ds, "compression_level", d->compression_level);
  if (d->row_group_bytes) {
    cJSON_AddNumberToObject(ds, "row_group_size", (double)d->row_group_bytes);
    cJSON_AddStringToObject(ds, "parquet_bloom", d->parquet_bloom ? d->parquet_bloom : "ids");
  }
  cJSON_AddBoolToObject(ds, "header", strcmp(d->format, "csv") == 0);
  if (d->partition_by)
    cJSON_AddStringToObject(ds, "partition_by", d->partition_by);
  if (d->table_format)
    cJSON_AddStringToObject(ds, "table_format", d->table_format);
  if (d->tables)
    cJSON_AddStringToObject(ds, "layout", "tables: artists, albums, tracks, playlists, playlist_tracks; "
                                          "their join is the flat dataset of the same seed and rows");
  int text = strcmp(d->format, "parquet") != 0; /* a dirty dataset's columns are text */
  if (d->dirty) {
    cJSON_AddStringToObject(ds, "layout", text ? "dirty: row_key, then the 24 columns as text, corrupted as "
                                                 "dirty.rates says; the ledger of every change in _dirty/"
                                               : "dirty: row_key, then the 24 columns, nullable (a missing value is "
                                                 "a null), corrupted as dirty.rates says where the column's type "
                                                 "can hold it; the ledger of every change in _dirty/");
    cJSON_AddItemToObject(ds, "dirty", sg_dirty_json(d->dirty));
  }

  if (d->days && (d->days->last >= d->days->first || d->days->as_of > 0)) {
    const sg_days_span *y = d->days;
    cJSON *o = cJSON_AddObjectToObject(ds, "days");
    char date[16];
    date[sg_fmt_date(date, y->start)] = '\0';
    cJSON_AddStringToObject(o, "start", date);
    cJSON_AddNumberToObject(o, "as_of", y->as_of);
    cJSON_AddBoolToObject(o, "snapshot", !y->changes_only);
    if (y->last >= y->first) {
      cJSON_AddNumberToObject(o, "first", y->first);
      cJSON_AddNumberToObject(o, "last", y->last);
      cJSON_AddNumberToObject(o, "events_per_part", (double)y->events_per_part);
      cJSON *ev = cJSON_AddArrayToObject(o, "events");
      for (int32_t i = 0; i <= y->last - y->first; i++)
        cJSON_AddItemToArray(ev, cJSON_CreateNumber((double)y->events[i]));
    }
  }

  cJSON *sc = cJSON_AddObjectToObject(m, "schema");
  char *spark = d->dirty ? sg_schema_spark_json_dirty(text) : sg_schema_spark_json();
  cJSON_AddItemToObject(sc, "spark", cJSON_Parse(spark));
  free(spark);
  char *ddl = d->dirty ? sg_schema_athena_ddl_dirty("spotify_dirty", "s3://YOUR-BUCKET/spotify-dirty/", d->format)
                       : sg_schema_athena_ddl("spotify_tracks", "s3://YOUR-BUCKET/spotify/", d->format);
  cJSON_AddStringToObject(sc, "athena_ddl", ddl);
  free(ddl);

  cJSON_AddArrayToObject(m, "parts");
  return m;
}

int sg_part_files_reserve(sg_part_file **files, size_t *cap, size_t need)
{
  if (need <= *cap)
    return 0;
  size_t n = *cap ? 2 * *cap : 64;
  while (n < need)
    n *= 2;
  sg_part_file *f = realloc(*files, n * sizeof *f);
  if (!f)
    return -1;
  *files = f;
  *cap = n;
  return 0;
}

cJSON *sg_manifest_add_part(cJSON *m, const sg_part_entry *p, const char *key)
{
  char crc[24];
  snprintf(crc, sizeof crc, "crc32:%08x", p->crc32);
  cJSON *e = cJSON_CreateObject();
  cJSON_AddNumberToObject(e, "index", (double)p->index);
  cJSON_AddStringToObject(e, "key", key);
  cJSON_AddNumberToObject(e, "rows", (double)p->rows);
  cJSON_AddNumberToObject(e, "bytes", (double)p->bytes);
  cJSON_AddStringToObject(e, "checksum", crc);
  if (p->etag[0])
    cJSON_AddStringToObject(e, "etag", p->etag);
  cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(m, "parts"), e);
  return e;
}

static cJSON *counts_json(const uint64_t *counts, int n)
{
  cJSON *a = cJSON_CreateArray();
  for (int b = 0; b < n; b++)
    cJSON_AddItemToArray(a, cJSON_CreateNumber((double)counts[b]));
  return a;
}

static cJSON *histogram_json(const sg_stats *s, int j)
{
  const sg_column *c = sg_schema_numeric(j);
  uint64_t counts[SG_HIST_MAX];
  sg_stats_hist(s, j, counts);
  cJSON *h = cJSON_CreateObject();
  cJSON_AddStringToObject(h, "scale", c->log_hist ? "log10(1+x)" : "linear");
  cJSON_AddNumberToObject(h, "lo", c->lo);
  cJSON_AddNumberToObject(h, "hi", c->hi);
  cJSON_AddItemToObject(h, "counts", counts_json(counts, c->bins));
  return h;
}

cJSON *sg_tables_json(const uint64_t *rows)
{
  cJSON *all = cJSON_CreateObject();
  for (int i = 0; i < SG_NTABLES; i++) {
    const sg_table *t = sg_schema_table((sg_table_id)i);
    cJSON *o = cJSON_AddObjectToObject(all, t->name);
    cJSON *cols = cJSON_AddArrayToObject(o, "columns");
    for (int c = 0; c < t->ncols; c++) {
      cJSON *col = cJSON_CreateObject();
      cJSON_AddStringToObject(col, "name", t->cols[c]->name);
      cJSON_AddStringToObject(col, "type", t->cols[c]->spark);
      cJSON_AddItemToArray(cols, col);
    }
    cJSON *key = cJSON_AddArrayToObject(o, "key");
    for (int c = 0; c < t->nkey; c++)
      cJSON_AddItemToArray(key, cJSON_CreateString(t->cols[c]->name));
    cJSON *fks = cJSON_AddArrayToObject(o, "foreign_keys");
    for (int f = 0; f < t->nfk; f++) {
      cJSON *fk = cJSON_CreateObject();
      const sg_table *to = sg_schema_table(t->fk[f].table);
      cJSON_AddStringToObject(fk, "column", t->fk[f].column);
      cJSON_AddStringToObject(fk, "references", to->name);
      cJSON_AddItemToArray(fks, fk);
    }
    cJSON_AddNumberToObject(o, "rows", (double)rows[i]);
  }
  return all;
}

/* Into `a`: how many entities have rows (k), and the rank-frequency curve:
 * the rows of the ranks 1..10, then 20 per decade; rows(r) gives the rows
 * of the r-th most (rows asked for in increasing r). */
static void rank_curve(cJSON *a, size_t k, uint64_t (*rows_at)(const void *ctx, size_t r),
                       const void *ctx)
{
  cJSON_AddNumberToObject(a, "with_rows", (double)k);
  cJSON *ranks = cJSON_AddArrayToObject(a, "rank");
  cJSON *rows = cJSON_AddArrayToObject(a, "rows");
  size_t last = 0;
  for (int step = 0; last < k; step++) {
    size_t r = step < 10 ? (size_t)step + 1 : (size_t)llround(pow(10.0, 1.0 + (step - 10) / 20.0));
    if (r > k)
      r = k;
    if (r == last)
      continue;
    cJSON_AddItemToArray(ranks, cJSON_CreateNumber((double)r));
    cJSON_AddItemToArray(rows, cJSON_CreateNumber((double)rows_at(ctx, r)));
    last = r;
  }
}

typedef struct sorted {
  const uint64_t *counts;
  size_t n;
} sorted;

static uint64_t sorted_at(const void *ctx, size_t r)
{
  const sorted *s = ctx;
  return s->counts[s->n - r];
}

cJSON *sg_artists_json(const uint64_t *counts, size_t n)
{
  size_t zeros = 0;
  while (zeros < n && counts[zeros] == 0)
    zeros++;
  sorted s = {counts, n};
  cJSON *a = cJSON_CreateObject();
  rank_curve(a, n - zeros, sorted_at, &s);
  return a;
}

static uint64_t order_at(const void *ctx, size_t r) { return sg_track_order_at(ctx, r); }

cJSON *sg_tracks_json(const uint32_t *rows, size_t n, double spearman)
{
  sg_track_order o;
  if (sg_track_order_init(&o, rows, n) != 0)
    return NULL;
  cJSON *t = cJSON_CreateObject();
  cJSON_AddNumberToObject(t, "spearman_popularity_rows", spearman);
  rank_curve(t, (size_t)o.placed, order_at, &o);
  sg_track_order_free(&o);
  return t;
}

cJSON *sg_stats_json(const sg_stats *s)
{
  static const double QS[] = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
  static const char *const QN[] = {"p01", "p05", "p25", "p50", "p75", "p95", "p99"};
  cJSON *st = cJSON_CreateObject();
  cJSON_AddNumberToObject(st, "rows", (double)s->rows);

  cJSON *cols = cJSON_AddObjectToObject(st, "columns");
  for (int j = 0; j < SG_NNUM; j++) {
    cJSON *c = cJSON_AddObjectToObject(cols, sg_schema_numeric(j)->name);
    cJSON_AddNumberToObject(c, "count", (double)s->rows);
    cJSON_AddNumberToObject(c, "mean", s->mean[j]);
    cJSON_AddNumberToObject(c, "std", sg_stats_std(s, j));
    cJSON_AddNumberToObject(c, "min", s->min[j]);
    cJSON_AddNumberToObject(c, "max", s->max[j]);
    cJSON_AddNumberToObject(c, "skewness", sg_stats_skewness(s, j));
    cJSON_AddNumberToObject(c, "zeros", (double)s->zeros[j]);
    cJSON *q = cJSON_AddObjectToObject(c, "quantiles");
    for (size_t k = 0; k < sizeof QS / sizeof QS[0]; k++)
      cJSON_AddNumberToObject(q, QN[k], sg_stats_quantile(s, j, QS[k]));
    cJSON_AddItemToObject(c, "histogram", histogram_json(s, j));
  }

  cJSON *corr = cJSON_AddObjectToObject(st, "correlation");
  cJSON *names = cJSON_AddArrayToObject(corr, "columns");
  cJSON *matrix = cJSON_AddArrayToObject(corr, "matrix");
  for (int i = 0; i < SG_NNUM; i++) {
    cJSON_AddItemToArray(names, cJSON_CreateString(sg_schema_numeric(i)->name));
    cJSON *row = cJSON_CreateArray();
    for (int j = 0; j < SG_NNUM; j++)
      cJSON_AddItemToArray(row, cJSON_CreateNumber(sg_stats_corr(s, i, j)));
    cJSON_AddItemToArray(matrix, row);
  }

  cJSON *cats = cJSON_AddObjectToObject(st, "categories");
  for (int c = 0; c < SG_NCAT; c++) {
    cJSON *o = cJSON_AddObjectToObject(cats, sg_category_name(c));
    double n = (double)s->cat_rows[c];
    cJSON_AddNumberToObject(o, "rows", n);
    cJSON_AddNumberToObject(o, "share", s->rows ? n / (double)s->rows : 0.0);
    cJSON *means = cJSON_AddObjectToObject(o, "means");
    for (int j = 0; j < SG_NNUM; j++)
      cJSON_AddNumberToObject(means, sg_schema_numeric(j)->name, n > 0 ? s->cat_sum[c][j] / n : 0.0);
    cJSON *corr_c = cJSON_AddObjectToObject(o, "correlation"); /* of the copula's features */
    cJSON *names_c = cJSON_AddArrayToObject(corr_c, "columns");
    cJSON *matrix_c = cJSON_AddArrayToObject(corr_c, "matrix");
    for (int f = 0; f < SG_NFEAT; f++) {
      cJSON_AddItemToArray(names_c, cJSON_CreateString(sg_features()[f].name));
      cJSON *row = cJSON_CreateArray();
      for (int g = 0; g < SG_NFEAT; g++) {
        double r = f == g ? 1.0 : sg_stats_cat_corr(s, c, f, g);
        cJSON_AddItemToArray(row, isfinite(r) ? cJSON_CreateNumber(r) : cJSON_CreateNull());
      }
      cJSON_AddItemToArray(matrix_c, row);
    }
    cJSON *hists = cJSON_AddObjectToObject(o, "histograms"); /* the bins of `columns` */
    for (int j = 0; j < SG_NNUM; j++)
      cJSON_AddItemToObject(hists, sg_schema_numeric(j)->name,
                            counts_json(s->hist[c][j], sg_schema_numeric(j)->bins));
  }

  cJSON *years = cJSON_AddObjectToObject(st, "release_years");
  for (int y = 0; y < SG_NYEARS; y++) {
    char name[12]; /* room for any int: -O1 cannot see y's range */
    snprintf(name, sizeof name, "%d", SG_FIRST_YEAR + y);
    cJSON_AddNumberToObject(years, name, (double)s->year_rows[y]);
  }

  /* popularity explained: by the artist (where the rows' artists are
   * known), by the audio features */
  cJSON *pe = cJSON_AddObjectToObject(st, "popularity_explained");
  cJSON_AddNumberToObject(pe, "audio_r2", sg_audio_r2(s));
  double ra = sg_pair_moments_corr(&s->artist_pop);
  if (s->artist_pop.n && isfinite(ra))
    cJSON_AddNumberToObject(pe, "artist_r2", ra * ra);

  cJSON *pl = cJSON_AddObjectToObject(st, "playlists");
  const sg_moments *lf = &s->log_followers;
  cJSON_AddNumberToObject(pl, "count", (double)lf->n);
  cJSON_AddNumberToObject(pl, "log_followers_mean", lf->mean);
  cJSON_AddNumberToObject(pl, "log_followers_std", lf->n > 1 ? sqrt(lf->m2 / (double)(lf->n - 1)) : 0.0);
  cJSON_AddNumberToObject(pl, "log_followers_skewness", sg_moments_skewness(lf));
  return st;
}

cJSON *sg_run_json(const sg_run_info *r)
{
  cJSON *run = cJSON_CreateObject();
  cJSON_AddNumberToObject(run, "ranks", r->ranks);
  cJSON *hosts = cJSON_AddArrayToObject(run, "hosts");
  for (int i = 0; i < r->nhosts; i++)
    cJSON_AddItemToArray(hosts, cJSON_CreateString(r->hosts[i]));
  char when[32];
  time_t t = (time_t)r->start_unix;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  cJSON_AddStringToObject(run, "start", when);
  cJSON_AddNumberToObject(run, "seconds", round(r->seconds * 1000) / 1000);
  cJSON_AddNumberToObject(run, "rows_per_second",
                          r->seconds > 0 ? round((double)r->rows / r->seconds) : 0.0);
  if (r->rss_mib) {
    cJSON *rss = cJSON_AddArrayToObject(run, "peak_rss_mib");
    for (int i = 0; i < r->ranks; i++)
      cJSON_AddItemToArray(rss, cJSON_CreateNumber(round(r->rss_mib[i] * 10) / 10));
  }
  return run;
}

sg_err sg_manifest_write(const cJSON *m, sg_sink *sink)
{
  char *text = cJSON_Print(m);
  if (!text)
    return sg_seterr(SG_ENOMEM, "out of memory while writing _manifest.json");
  sg_err e = sg_sink_open(sink, SG_LAYOUT_MANIFEST);
  if (e == SG_OK)
    e = sg_sink_write(sink, text, strlen(text));
  if (e == SG_OK)
    e = sg_sink_write(sink, "\n", 1);
  if (e == SG_OK)
    e = sg_sink_commit(sink);
  else
    sg_sink_abort(sink);
  free(text);
  return e;
}

#define MANIFEST_MAX (64u << 20) /* bytes: far more than any manifest */

sg_err sg_manifest_read(sg_source *src, const char *where, cJSON **out)
{
  char *text;
  *out = NULL;
  sg_err e = sg_source_read_text(src, SG_LAYOUT_MANIFEST, MANIFEST_MAX, &text);
  if (e == SG_EUSAGE && strstr(sg_errmsg(e), " has no ")) /* not there; else it says what is wrong with it */
    return sg_seterr(SG_EUSAGE, "%s has no _manifest.json: not a complete spotgen dataset (an interrupted run leaves none); generate it again", where);
  if (e == SG_EIO) { /* the location cannot be read at all (credentials, region, endpoint): refused, as generate refuses it */
    char why[1024];
    snprintf(why, sizeof why, "%s", sg_errmsg(e));
    return sg_seterr(SG_EUSAGE, "%s", why);
  }
  if (e != SG_OK)
    return e;
  *out = sg_json_parse(text, NULL);
  free(text);
  if (!*out)
    return sg_seterr(SG_EUSAGE, "%s/_manifest.json is not one valid JSON document (%s); the dataset is damaged: "
                     "generate it again", where, sg_json_error());
  return SG_OK;
}
