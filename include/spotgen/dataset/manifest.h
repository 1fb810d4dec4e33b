/* manifest.h - _manifest.json: what a dataset is, how it was made, and its
 * statistics, for readers (Spark schema, Athena DDL) and for verify.
 *
 *   generator  name, version
 *   dataset    seed, rows, rows_per_part, parts, format, compression
 *   schema     Spark StructType JSON and Athena DDL
 *   parts      index, key, rows, bytes, checksum (crc32 of the file)
 *   config     the model's whole configuration (a valid --config file)
 *   stats      per numeric column, correlation matrix, categories (with their
 *              histograms), years, playlists, artists by rank
 *   targets    the checks of TARGETS.md on these stats: range, measured, result
 *   run        ranks, hosts, start, seconds, rows_per_second
 *
 * Everything but `run` is a function of the dataset's parameters: it is the
 * same whatever number of ranks wrote it. */
#ifndef SPOTGEN_MANIFEST_H
#define SPOTGEN_MANIFEST_H

#include <cjson/cJSON.h>

#include "spotgen/model/days.h"
#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/store/sink.h"
#include "spotgen/store/source.h"
#include "spotgen/dataset/stats.h"

typedef struct sg_dataset_info {
  uint64_t seed, rows, rows_per_part, parts;
  uint64_t artists;       /* in the catalog */
  uint64_t tracks;        /* in the catalogue */
  int even_parts;         /* sized by --parts rather than --rows-per-part */
  const char *format;     /* "csv" */
  const char *compression;/* "none", "gzip" or "zstd" */
  int compression_level;  /* of gzip or zstd; 0 for none or snappy */
  uint64_t row_group_bytes; /* parquet's --row-group-size; 0 for CSV */
  const char *parquet_bloom; /* parquet's --parquet-bloom (NULL: ids); unused for CSV */
  int tables;             /* --tables: the five linked tables, not the flat one */
  const struct sg_dirty *dirty; /* --dirty's rates (dirty.h), or NULL */
  const char *partition_by;     /* --partition-by's fields, or NULL */
  const char *table_format;     /* --table-format: "iceberg", or NULL */
  const sg_days_span *days;     /* --days, --day, --as-of, or NULL */
} sg_dataset_info;

typedef struct sg_part_entry {
  uint64_t index, rows, bytes;
  uint32_t crc32;
  char etag[80];          /* S3's ETag of the object, or empty */
} sg_part_entry;

/* One file of a partitioned object (--partition-by): its key, and its
 * entry (index: the object's). */
typedef struct sg_part_file {
  char key[256];
  sg_part_entry entry;
} sg_part_file;

/*! sg_part_files_reserve() : room for `need` files in *files (of *cap),
 *  grown by doubling. @return : 0, or -1 when out of memory (*files kept). */
int sg_part_files_reserve(sg_part_file **files, size_t *cap, size_t need);

typedef struct sg_run_info {
  int ranks;
  const char *const *hosts;
  int nhosts;
  double start_unix;  /* seconds since 1970 */
  double seconds;
  uint64_t rows;
  const double *rss_mib;  /* per rank, or NULL */
} sg_run_info;

/*! sg_manifest_new() : generator, dataset and schema sections, empty parts. */
cJSON *sg_manifest_new(const sg_dataset_info *d);

/*! sg_manifest_add_part() : appends one part (in part order) under file
 *  name `key`. @return : its entry, to which a partitioned file's
 *  "partition" is added, or NULL when out of memory. */
cJSON *sg_manifest_add_part(cJSON *m, const sg_part_entry *p, const char *key);

/*! sg_stats_json() : the `stats` section for `s`. */
cJSON *sg_stats_json(const sg_stats *s);

/*! sg_tables_json() : the `tables` section of a --tables dataset: each
 *  table's columns, key, foreign keys and `rows` (SG_NTABLES entries). */
cJSON *sg_tables_json(const uint64_t *rows);

/*! sg_tracks_json() : the `stats.tracks` section: Spearman's r of the
 *  tracks' popularity and rows, how many of the `n` tracks have rows, and
 *  their rank-frequency curve, as sg_artists_json's. NULL when out of memory. */
cJSON *sg_tracks_json(const uint32_t *rows, size_t n, double spearman);

/*! sg_artists_json() :
 *  The `stats.artists` section: how many artists have rows, and the rows of
 *  the artists ranked by rows at ranks 1..10 and then 20 per decade (the
 *  rank-frequency curve). `counts` (n entries, zeros allowed) must be
 *  sorted ascending, as sg_artist_summary() leaves them. */
cJSON *sg_artists_json(const uint64_t *counts, size_t n);

/*! sg_run_json() : the `run` section. */
cJSON *sg_run_json(const sg_run_info *r);

/*! sg_manifest_read() :
 *  Reads and parses _manifest.json of the dataset `src` opened at `where`.
 *  @return : SG_OK and *out (the caller deletes it), or SG_EUSAGE naming
 *            what is missing or damaged and what to do. */
sg_err sg_manifest_read(sg_source *src, const char *where, cJSON **out);

/*! sg_manifest_write() : writes `m` as "_manifest.json" through `sink`
 *  (temporary name, then rename: never seen half-written). */
sg_err sg_manifest_write(const cJSON *m, sg_sink *sink);

#endif
