/* iceberg.h - a dataset's tables as Apache Iceberg v2 tables (generate
 * --table-format iceberg), from the Iceberg table spec (format/spec.md).
 *
 * A table is a location holding data/ (its Parquet files, in the
 * partitions' folders) and metadata/:
 *
 *   metadata/<uuid>-m0.avro            the manifests: every data file with its
 *   (-m1.avro ...)                     partition tuple, counts and bounds
 *   metadata/snap-<id>-1-<uuid>.avro   the snapshot's manifest list
 *   metadata/v1.metadata.json          schema (ids = the Parquet field ids),
 *                                      partition spec, sort order, properties,
 *                                      the snapshot and its summary
 *   metadata/version-hint.text         "1", for Hadoop-catalog readers
 *
 * Who does what: the rank that writes a data file encodes its manifest
 * entry (sg_iceberg_add: the format's sg_file_metrics give its counts and
 * bounds), so rank 0 only gathers the ranks' entries in object order
 * (sg_iceberg_append) and writes the four files (sg_iceberg_commit), the
 * metadata file last: a table is visible once it is in place, and a run
 * that fails before leaves none. Nothing is read back.
 *
 * The table's uuid and snapshot id are made from the run's parameters
 * (`identity`): the same parameters make the same table. Its timestamps
 * are the commit's time, or SOURCE_DATE_EPOCH's when set. */
#ifndef SPOTGEN_LAKE_ICEBERG_H
#define SPOTGEN_LAKE_ICEBERG_H

#include <stdint.h>

#include "spotgen/base/buf.h"
#include "spotgen/base/err.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/format/format.h"
#include "spotgen/lake/partition.h"
#include "spotgen/store/sink.h"

#define SG_ICEBERG_VALUE_MAX 64 /* bytes of a partition value's bound */

/* One table: its columns, its partitions, where it lives. */
typedef struct sg_iceberg_table {
  const char *name;      /* "spotify_tracks", or --tables' "artists" ... */
  const sg_table *table;
  const sg_partitioning *by;
  const char *location;  /* the table's URI: "s3://bucket/spotify/artists", "file:///data/spotify" */
  const char *folder;    /* its folder under the dataset's root, with its '/' ("artists/"), or "" */
} sg_iceberg_table;

/* The least and greatest value of a partition field over some files, in
 * Iceberg's single-value form (an int's 4 bytes little-endian, a string's
 * bytes). */
typedef struct sg_iceberg_bound {
  uint8_t have, lo_len, hi_len;
  unsigned char lo[SG_ICEBERG_VALUE_MAX], hi[SG_ICEBERG_VALUE_MAX];
} sg_iceberg_bound;

/* What a table's manifest lists so far, as counts: what a rank sends
 * before the entries themselves. */
typedef struct sg_iceberg_head {
  uint64_t files, rows, bytes;
  uint64_t delete_files;  /* of files: position delete files */
  uint64_t entries_len;   /* bytes of the encoded entries */
  uint64_t keys_len;      /* bytes of their keys */
  sg_iceberg_bound part[SG_PARTITION_MAX];
} sg_iceberg_head;

/* A table's data files, each as its manifest entry (a manifest_entry
 * record, Avro-encoded), back to back, with their lengths, and what the
 * manifest list counts of each (its rows, its partition's values), so
 * that rank 0 can cut them into manifests without decoding them. */
typedef struct sg_iceberg_files {
  sg_iceberg_head head;
  sg_buf entries;
  sg_buf lens;            /* a uint32_t per entry */
  sg_buf keys;            /* per entry: its rows and bytes (uint64_t), its snapshot
                             (uint32_t) and content (a byte), then each partition
                             field's value: a length byte and its bytes */
} sg_iceberg_files;

#define SG_ICEBERG_MANIFEST_SIZE (8u << 20) /* Iceberg's commit.manifest.target-size-bytes */

/*! sg_iceberg_root() : the URI of the dataset at `where` (--out): an
 *  s3:// URL as it is, a directory as file:// and its absolute path (it
 *  must exist). @return : 0, or -1 when it cannot be made. */
int sg_iceberg_root(const char *where, char *out, size_t cap);

/* A file of a table, as its manifest entry says it. */
typedef struct sg_iceberg_file {
  const char *key;          /* under the dataset's root, as the sink stores it */
  const char *folders;      /* its partition's folders, "" when unpartitioned */
  const sg_table *cols;     /* the columns it holds: its table's, or a position
                               delete file's (file_path, pos) */
  uint64_t rows, bytes;     /* rows: a delete file's deletes */
  const sg_file_metrics *m; /* its columns' */
  uint32_t snapshot;        /* the snapshot that adds it: 0, or (--days) its day */
  int content;              /* 0 data, 1 position deletes */
} sg_iceberg_file;

/*! sg_iceberg_add() : file x of table `t` at `root` (the dataset's URI)
 *  joins `f`. A table's files join in the order of their snapshots, and
 *  within a snapshot its data files before its delete files.
 *  @return : SG_OK, SG_EDATA (its folders do not name its partition), or
 *            SG_ENOMEM. */
sg_err sg_iceberg_add(sg_iceberg_files *f, const sg_iceberg_table *t, const char *root, const sg_iceberg_file *x);

/*! sg_iceberg_append() : another's files (its head, its entries, their
 *  lengths and keys, as sent; head.keys_len bytes of keys) after f's, for
 *  table `t`. @return : 0, or -1 when out of memory. */
int sg_iceberg_append(sg_iceberg_files *f, const sg_iceberg_table *t, const sg_iceberg_head *h,
                      const void *entries, const uint32_t *lens, const void *keys);

void sg_iceberg_files_free(sg_iceberg_files *f);

/* The snapshots a commit makes: one (n 1, ms NULL: at the commit's
 * time), or (--days) one for each day, each at the end of its day: the
 * files of snapshot s are those its entries name s. */
typedef struct sg_iceberg_history {
  int n;
  const int64_t *ms;        /* each snapshot's timestamp-ms, or NULL */
} sg_iceberg_history;

/*! sg_iceberg_commit() : writes table t's manifests (the entries of `f` in
 *  order, a manifest each time the entries pass `manifest_size` bytes
 *  before compression, data and delete files in manifests of their own,
 *  each snapshot's in its own), a manifest list for each snapshot of `h`
 *  (its manifests and those of the snapshots before it), the metadata file
 *  and the version hint through `sink` (under t->folder), the last
 *  snapshot current; `identity` names the run (its uuid and snapshot ids
 *  are made from it and the table's name); `engine` is the writer's
 *  version for the snapshots' summaries, `codec` the Parquet files'. The
 *  metadata file's key goes to `metadata_key` (cap bytes).
 *  @return : SG_OK, or the sink's failure (nothing of the table is
 *            visible then: its metadata file is written last). */
sg_err sg_iceberg_commit(sg_sink *sink, const sg_iceberg_table *t, const sg_iceberg_files *f,
                         const sg_iceberg_history *h, const char *identity, const char *engine, const char *codec,
                         uint64_t manifest_size, char *metadata_key, size_t cap);

/* ---- reading a table back (verify) -------------------------------------- */

/* A data file as its table's manifest lists it. */
typedef struct sg_iceberg_listed {
  char key[512];          /* under the dataset's root */
  int64_t rows, bytes;
  char value[SG_PARTITION_MAX][SG_ICEBERG_VALUE_MAX + 1]; /* its partition's, as Hive's folders name them */
  sg_file_metrics m;      /* col i: the table's column i, or the position delete
                             file's (bytes: column_sizes) */
  int content;            /* 0 data, 1 position deletes */
  int seen;               /* verify: its file was read */
} sg_iceberg_listed;

typedef struct sg_iceberg_listing {
  sg_iceberg_listed *f;
  size_t n, cap;
} sg_iceberg_listing;

struct sg_source;
/*! sg_iceberg_load() : reads table t back from `src` (the dataset's root,
 *  `root` its URI): version hint, metadata file, the current snapshot's
 *  manifest list, its manifests. Checks that they are one table of
 *  spotgen's shape (format v2, t's location, schema and partition spec, a
 *  current snapshot whose summary and manifest list count what its
 *  manifests list, every path under the table) and lists its data and
 *  delete files into *out (sorted by key).
 *  @return : SG_OK, or SG_EDATA naming the first thing wrong. */
sg_err sg_iceberg_load(struct sg_source *src, const sg_iceberg_table *t, const char *root, sg_iceberg_listing *out);

void sg_iceberg_listing_free(sg_iceberg_listing *l);

/*! sg_iceberg_find() : the listed file `key`, or NULL. */
sg_iceberg_listed *sg_iceberg_find(const sg_iceberg_listing *l, const char *key);

/*! sg_iceberg_single() : the n bytes of column c's value `s` (as readers
 *  spell it: sg_schema_parse) in Iceberg's single-value form into out
 *  (SG_METRIC_BOUND bytes), as the Parquet files hold it.
 *  @return : its length, or -1 when the text is not of c's type. */
int sg_iceberg_single(const sg_column *c, const char *s, size_t n, unsigned char *out);

/*! sg_iceberg_compare() : a <=> b, two values of column c in single-value form. */
int sg_iceberg_compare(const sg_column *c, const unsigned char *a, size_t na, const unsigned char *b, size_t nb);

/*! sg_iceberg_register() : how to register table t, named `name` in the
 *  Glue Data Catalog's `database`, by its metadata file (nothing copied):
 *  the AWS CLI's glue create-table (then Athena, EMR and Glue read it),
 *  Spark's register_table on EMR, a path read, and a first query; as SQL
 *  with the commands in comments, appended to b. */
void sg_iceberg_register(sg_buf *b, const sg_iceberg_table *t, const char *database, const char *name);

/*! sg_iceberg_schema_json() : table t's Iceberg schema (schema-id 0; field
 *  ids the Parquet files' field ids) as JSON, into b. */
void sg_iceberg_schema_json(sg_buf *b, const sg_table *t);

#endif
