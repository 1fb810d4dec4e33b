/* shape.h - the dataset's shape: which objects a run writes, their keys, and
 * which rank writes each. The one place that answers it: generate writes
 * the objects, --resume and --overwrite find them again, verify reads them.
 *
 * A run's parts are the plan's (plan.h). A part makes `per_part` objects,
 * numbered o = part * per_part + i:
 *   flat         1: the part's rows                       part-00003.csv
 *   --dirty      2: the rows' lines, then their ledger    part-00003.csv, _dirty/part-00003.csv
 *   --tables     5: one part of each table, in schema     artists/part-00003.csv ...
 *                   order (the entity tables hold the entities part 3 owns,
 *                   playlist_tracks part 3's rows)
 * Rank r writes the objects of the plan's parts of rank r, in order.
 *
 * With --partition-by (partition.h) an object of a partitioned table is
 * one file per partition its rows fall in, under the partition's folders:
 *   playlist_category=party/part-00003.parquet, albums/release_year=2023/part-00003.csv
 * The set of files and their bytes are a function of the object alone.
 *
 * With --days (dataset/changes.h) the snapshot's objects (day 0's rows, or
 * with --as-of D the state of day D, cut as day 0's parts) are followed by
 * each day's changes, day by day: a day's events cut into chunks of
 * `events_per_part` events (one chunk, empty, for a day without any), each
 * chunk an object of the flat dataset's changes, or with --tables one for
 * each table that changes (playlists, playlist_tracks, albums, tracks, in
 * that order), numbered by chunk within the day:
 *   _changes/batch_date=2024-01-02/part-00000.csv
 *   _changes/playlists/batch_date=2024-01-02/part-00000.csv, _changes/playlist_tracks/...
 * With --table-format iceberg, each chunk of a changing table is also the
 * Iceberg table's data file of the rows it writes and its position delete
 * file of the rows it deletes; a day's objects are its chunks' changes and
 * data files, chunk by chunk, then its chunks' delete files (so that a
 * table's files come in the order of its snapshots, data then deletes):
 *   data/batch_date=2024-01-02/part-00000.parquet, data/batch_date=2024-01-02/part-00000-deletes.parquet
 * --day D writes day D's changes alone, as the same objects. */
#ifndef SPOTGEN_LAKE_SHAPE_H
#define SPOTGEN_LAKE_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "spotgen/base/err.h"
#include "spotgen/dataset/locate.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/lake/iceberg.h"
#include "spotgen/lake/partition.h"
#include "spotgen/model/days.h"
#include "spotgen/model/plan.h"

/* What an object holds. */
typedef enum sg_object_kind {
  SG_OBJECT_ROWS,     /* the dataset's rows (flat, --dirty's data, playlist_tracks):
                         the statistics are made of them */
  SG_OBJECT_LEDGER,   /* --dirty: what its part's rows were given */
  SG_OBJECT_ENTITIES, /* --tables: the entities a part owns (dataset/entities.h) */
  SG_OBJECT_CHANGES,  /* --days: events of a day (dataset/changes.h) */
  SG_OBJECT_ICEBERG_DATA,   /* --days --table-format iceberg: the rows a chunk of a day's
                               events writes to its table (inserts, update_afters) */
  SG_OBJECT_ICEBERG_DELETES /* ... and the positions of those it deletes (locate.h) */
} sg_object_kind;

typedef struct sg_shape {
  sg_plan plan;
  int tables;             /* --tables */
  int dirty;              /* --dirty */
  int per_part;           /* objects a part makes: 1, 2 or SG_NTABLES */
  const char *extension;  /* of the format's files: ".csv" */
  sg_partitioning spec;   /* --partition-by (n == 0: none) */
  int iceberg;            /* --table-format iceberg: each table's files under its data/
                             (iceberg.h), every column in each (sg_shape_iceberg) */
  sg_partitioning by[SG_TABLE_LAST + 1];   /* each table's share of it */
  sg_table file_table[SG_TABLE_LAST + 1];  /* the columns its files hold */
  sg_days_span days;      /* --days, --day, --as-of (all zero: none) */
  int nchange;            /* the tables a day's changes are written to: the flat */
  sg_table_id change[4];  /* dataset's, or --tables' playlists', playlist_tracks', albums'
                             and tracks' */
  int chunk_objects;      /* objects a chunk of a day's events makes: nchange, or with
                             iceberg 3 nchange (changes, data file, delete file) */
} sg_shape;

typedef struct sg_object {
  uint64_t index;         /* o */
  uint64_t part;          /* the plan's part it belongs to */
  sg_table_id table;      /* the table whose columns it holds */
  sg_object_kind kind;
  uint64_t first_row;     /* the plan's rows it is made from (ROWS, LEDGER); CHANGES: its
                             first event */
  uint64_t rows;          /* CHANGES: its events */
  int32_t day;            /* CHANGES: its day */
  int change;             /* CHANGES: its table's index in the shape's change[] */
} sg_object;

/*! sg_shape_make() : into *s, the shape of a run of plan `plan`, with
 *  --tables and --dirty as given, writing files ending in `extension`,
 *  partitioned by `spec` (NULL: not partitioned). */
void sg_shape_make(sg_shape *s, const sg_plan *plan, int tables, int dirty, const char *extension,
                   const sg_partitioning *spec);

/*! sg_shape_last_year() : the last year a track of the run may be
 *  released in: the catalogue's, or (--days) its last day's. */
int sg_shape_last_year(const sg_shape *s);

/*! sg_shape_set_days() : the days shape s writes (--days, --day, --as-of):
 *  `d` with its arrays not yet set, and each day's events (d->first ..
 *  d->last), which are copied.
 *  @return : SG_OK, or SG_ENOMEM. */
sg_err sg_shape_set_days(sg_shape *s, const sg_days_span *d, const uint64_t *events);

/*! sg_shape_free() : what sg_shape_set_days took. */
void sg_shape_free(sg_shape *s);

/*! sg_shape_iceberg_of() : the Iceberg table whose file object x is (its
 *  table, or for a delete file the table whose rows it deletes), or -1:
 *  none (a day's changes, --dirty's ledger, a dataset without Iceberg). */
int sg_shape_iceberg_of(const sg_shape *s, const sg_object *x);

/*! sg_shape_object_at() : the object of changing table `change` (its
 *  index in s->change) that holds what `loc` names (locate.h): day 0's
 *  part (the snapshot's object of its table), or a day's chunk's Iceberg
 *  data file. */
uint64_t sg_shape_object_at(const sg_shape *s, int change, const sg_location *loc);

/*! sg_shape_snapshot_objects() : how many of the objects are the
 *  snapshot's (the rest are the days' changes). */
uint64_t sg_shape_snapshot_objects(const sg_shape *s);

/*! sg_shape_iceberg() : makes s's tables Iceberg tables (--table-format
 *  iceberg): a table's files go under its data/ folder, and each holds
 *  every column of its table (Iceberg keeps a partition's source column in
 *  its files, where Hive's folders replace it):
 *    data/playlist_category=party/part-00003.parquet, albums/data/part-00003.parquet */
void sg_shape_iceberg(sg_shape *s);

/* The shape's tables as Iceberg tables at `root` (the dataset's URI):
 * --tables' five in their folders, or the flat one at the root; by table
 * id (t[id].table NULL: not one of the shape's). */
typedef struct sg_iceberg_tables {
  char root[2048];
  char location[SG_TABLE_FLAT + 1][2304];
  char folder[SG_TABLE_FLAT + 1][32];
  sg_iceberg_table t[SG_TABLE_FLAT + 1];
} sg_iceberg_tables;

/*! sg_shape_iceberg_tables() : *out for shape s (sg_shape_iceberg) at root. */
void sg_shape_iceberg_tables(const sg_shape *s, const char *root, sg_iceberg_tables *out);

/*! sg_shape_of_dataset() : the shape a manifest's (or a journal's)
 *  `dataset` section describes: its rows and part sizing, format and
 *  compression, and layout (--tables, --dirty).
 *  @return : SG_OK, or SG_EUSAGE naming the fact missing or invalid (the
 *            message says which, for `where`). */
sg_err sg_shape_of_dataset(const cJSON *ds, const char *where, sg_shape *out);

/*! sg_shape_objects() : how many objects the run writes. */
uint64_t sg_shape_objects(const sg_shape *s);

/*! sg_shape_rank_first() : the first object rank r of n writes; rank r
 *  writes [first(r), first(r + 1)). */
uint64_t sg_shape_rank_first(const sg_shape *s, int r, int nranks);

/*! sg_shape_object() : what object o is. */
sg_object sg_shape_object(const sg_shape *s, uint64_t o);

/*! sg_shape_key() : object o's key (its file's name under the dataset's
 *  location) into out; a function of o and the layout, not of the plan.
 *  An object of a partitioned table has no key of its own: its files' are
 *  sg_shape_file_key's. */
void sg_shape_key(const sg_shape *s, uint64_t o, char *out, size_t cap);

/*! sg_shape_partitioning() : how object o's table is partitioned (n == 0:
 *  it is not; its one file is sg_shape_key's). */
const sg_partitioning *sg_shape_partitioning(const sg_shape *s, uint64_t o);

/*! sg_shape_file_key() : the key of object o's file in the partition
 *  `folders` names ("release_year=2023/", sg_partition_folders). */
void sg_shape_file_key(const sg_shape *s, uint64_t o, const char *folders, char *out, size_t cap);

/*! sg_shape_file_folders() : where in `key` (one sg_shape_file_key made
 *  for object o) its partition's folders start. */
const char *sg_shape_file_folders(const sg_shape *s, uint64_t o, const char *key);

/*! sg_shape_file_table() : the columns object o's files hold: its table's,
 *  less those its partitions' folders name. */
const sg_table *sg_shape_file_table(const sg_shape *s, uint64_t o);

/*! sg_shape_ddl() : the Athena DDL of the shape's tables (the flat one
 *  named `table`, or --tables' five named table_NAME), each of the columns
 *  its files hold, PARTITIONED BY its partitions' folders with partition
 *  projection, at `location`; then, with --days, each changing table's
 *  changes (table_changes, table_NAME_changes) at its _changes/ folder,
 *  PARTITIONED BY batch_date projected over the run's days; for an Iceberg
 *  shape, how to register each
 *  table by its metadata file (sg_iceberg_register). malloc'ed, or NULL. */
char *sg_shape_ddl(const sg_shape *s, const char *table, const char *location, const char *format);

#endif
