/* schema.h - the 24 columns: names, types, ranges, and the schemas printed
 * for Spark and Athena. One table (schema.c) drives formatting, statistics
 * and schema output, so a column is described in exactly one place. */
#ifndef SPOTGEN_SCHEMA_H
#define SPOTGEN_SCHEMA_H

#include <stddef.h>
#include <stdio.h>

#include "spotgen/model/row.h"

#define SG_NCOLS 24
#define SG_NEXTRA 7       /* the tables' columns beyond the 24 (schema.c) */
#define SG_NNUM 15        /* numeric columns: statistics are kept for these */
#define SG_HIST_MAX 101   /* bins of the widest histogram */

typedef enum sg_kind {
  SG_KIND_STR,   /* sg_text in the row */
  SG_KIND_ID,    /* char array of SG_ID_LEN base62 characters: never quoted */
  SG_KIND_TEXT_REF, /* const sg_text * in the row */
  SG_KIND_DATE,  /* int32 days since 1970-01-01, printed YYYY-MM-DD */
  SG_KIND_I32,
  SG_KIND_I64,
  SG_KIND_FIXED, /* int32 scaled by 10^decimals, a double to readers */
  SG_KIND_TIMESTAMP /* int64 seconds since 1970-01-01 UTC, printed YYYY-MM-DD HH:MM:SS */
} sg_kind;

typedef struct sg_column {
  const char *name;
  sg_kind kind;
  size_t offset;       /* of the field in sg_row */
  int decimals;        /* SG_KIND_FIXED only */
  const char *spark;   /* Spark SQL type name */
  const char *athena;  /* Athena/Hive type name */
  int stat;            /* index among numeric columns, or -1 */
  double lo, hi;       /* valid range of numeric values */
  int bins;            /* histogram bins over [lo, hi] (log10 when log_hist) */
  int log_hist;        /* histogram over log10(1 + value) */
} sg_column;

/*! sg_schema_columns() : the 24 columns in output order. */
const sg_column *sg_schema_columns(void);

/* A table: the flat dataset's 24 columns, or one of the normalised
 * dataset's tables (generate --tables), each a list of columns of the same
 * catalogue (five not among the 24: album_id, position, and the artists'
 * artist_genre, artist_popularity and artist_followers). The
 * join playlist_tracks x playlists x tracks x artists x albums, projected to
 * the flat table's columns, is the flat dataset. */
typedef enum sg_table_id {
  SG_TABLE_ARTISTS, SG_TABLE_ALBUMS, SG_TABLE_TRACKS, SG_TABLE_PLAYLISTS, SG_TABLE_PLAYLIST_TRACKS,
  SG_NTABLES,
  SG_TABLE_FLAT = SG_NTABLES,
  SG_TABLE_DIRTY,        /* generate --dirty's data: row_key, then the 24, nullable */
  SG_TABLE_DIRTY_LEDGER, /* its ledger: row_key, column, kind, clean_value, dirty_value, duplicate_of */
  SG_TABLE_CHANGES,      /* generate --days: a day's changes, op and change_ts then the 24 */
  SG_TABLE_PLAYLISTS_CHANGES,       /* --days --tables: op, change_ts, then the playlists' */
  SG_TABLE_PLAYLIST_TRACKS_CHANGES, /* ... and playlist_tracks' */
  SG_TABLE_POSITION_DELETES,        /* --days --table-format iceberg: Iceberg's position
                                       delete files (file_path, pos; as cells) */
  SG_TABLE_ALBUMS_CHANGES,          /* --days --tables: op, change_ts, then the albums' */
  SG_TABLE_TRACKS_CHANGES,          /* ... and the tracks' */
  SG_TABLE_LAST = SG_TABLE_TRACKS_CHANGES
} sg_table_id;

#define SG_TABLE_MAX_COLS (SG_NCOLS + 2) /* the changes' */

/* A foreign key: this table's column, and the table whose key it is. */
typedef struct sg_foreign_key {
  const char *column;
  sg_table_id table;
} sg_foreign_key;

typedef struct sg_table {
  sg_table_id id;
  const char *name;             /* its folder under the dataset ("spotify" when flat) */
  int ncols;
  const sg_column *cols[SG_TABLE_MAX_COLS];
  int nkey;                     /* its key: the first nkey columns (0: none, the flat table) */
  int nfk;
  sg_foreign_key fk[3];
  int nullable;                 /* its cells may be null (the dirty tables: a missing
                                   value); the columns of the dirty tables that are
                                   not among the 24 always come as text (format.h's
                                   sg_cells), never from a row */
} sg_table;

/*! sg_schema_table() : table `id` (SG_TABLE_FLAT: the 24 columns). */
const sg_table *sg_schema_table(sg_table_id id);

/*! sg_schema_changed() : the table whose changes table `changes` holds
 *  (SG_TABLE_FLAT for SG_TABLE_CHANGES), or -1 when it holds no changes. */
int sg_schema_changed(sg_table_id changes);

/*! sg_schema_catalogue() : whether table t changes with the catalogue
 *  (--days --tables: albums and tracks, by releases and recounts) rather
 *  than with the playlists. */
int sg_schema_catalogue(sg_table_id t);

/*! sg_schema_changes_of() : the table that holds table t's changes, or -1
 *  (t does not change). */
int sg_schema_changes_of(sg_table_id t);

/*! sg_schema_table_find() : the table called `name`, or NULL. */
const sg_table *sg_schema_table_find(const char *name);

/*! sg_schema_find() : the column called `name`, or NULL. */
const sg_column *sg_schema_find(const char *name);

/*! sg_schema_index() : the position among the 24 columns of the column
 *  whose name is the `n` bytes at `name`, or -1. */
int sg_schema_index(const char *name, size_t n);

/*! sg_schema_parse() : the value of column `c` that the `n` bytes at `s`
 *  spell, as a typed format (Parquet) holds it: a string as it is; a date
 *  YYYY-MM-DD as days since 1970 in *i; an integer in the type's range in
 *  *i; a fixed-point column's any decimal [-]D[.D] in *d.
 *  @return : 1, or 0 when the column's type cannot hold the text
 *            (0,6543 in a double, 2019/03/04 in a date). */
int sg_schema_parse(const sg_column *c, const char *s, size_t n, int64_t *i, double *d);

/*! sg_schema_field_id() : column `c`'s field id, the same in every table
 *  and every file that holds it (Parquet's field_id; Iceberg's ids): the 24
 *  columns 1 .. 24 in their order, album_id 25, position 26, the artists'
 *  artist_genre 27, artist_popularity 28, artist_followers 29, the
 *  changes' op 30 and change_ts 31; the dirty
 *  tables' own columns from 101 (row_key 101, column 102, kind 103,
 *  clean_value 104, dirty_value 105, duplicate_of 106). Stable: a column
 *  added later takes the next free id, never one that was used. */
int sg_schema_field_id(const sg_column *c);

/*! sg_schema_numeric() : the column of numeric index `stat` (0..SG_NNUM-1). */
const sg_column *sg_schema_numeric(int stat);

/*! sg_schema_fixed() : the value readers see of fixed-point `v` of column
 *  `c` (SG_KIND_FIXED): v / 10^decimals, correctly rounded. */
double sg_schema_fixed(const sg_column *c, int32_t v);

/*! sg_schema_value() : numeric value of column `c` in `row` (as readers see it). */
double sg_schema_value(const sg_column *c, const sg_row *row);

/*! sg_schema_bin_lo() : lower edge of histogram bin `b` of column `c`,
 *  in the column's units (b == c->bins gives the upper edge). */
double sg_schema_bin_lo(const sg_column *c, int b);

/*! sg_schema_spark_json() :
 *  @return : the Spark StructType JSON of the 24 columns (malloc'ed,
 *            the caller frees), or NULL when out of memory. */
char *sg_schema_spark_json(void);

/*! sg_schema_spark_json_dirty() : the schema of a generate --dirty
 *  dataset: row_key, then the 24 columns, nullable: as strings (`text`: the
 *  CSV formats, whose values are not all of the column's type) or typed
 *  (Parquet). */
char *sg_schema_spark_json_dirty(int text);

/*! sg_schema_athena_ddl_dirty() : CREATE EXTERNAL TABLE of a generate
 *  --dirty dataset's parts of `format` under `location`: row_key and the
 *  24 columns, every one a string in the CSV formats, typed in Parquet. */
char *sg_schema_athena_ddl_dirty(const char *table, const char *location, const char *format);

/*! sg_schema_athena_ddl() :
 *  @return : CREATE EXTERNAL TABLE for the parts of `format` (csv, csv.gz,
 *            csv.zst: the CSV table and a typed view; parquet: a Parquet
 *            table) under `location` (malloc'ed), or NULL when out of memory. */
char *sg_schema_athena_ddl(const char *table, const char *location, const char *format);

/* A partitioned table's partition columns, for its DDL: each one's name,
 * Athena type and partition projection properties ("'projection.x.type' =
 * 'enum', ..."), so the table needs no MSCK REPAIR. */
typedef struct sg_ddl_partitions {
  int n;
  struct {
    const char *name;
    const char *type;
    char projection[1024];
  } f[4];
} sg_ddl_partitions;

/*! sg_schema_table_ddl() : CREATE EXTERNAL TABLE of table `tb`'s columns,
 *  named `table`, at `location`, in `format`; partitioned by `pp` (NULL or
 *  none: not partitioned). malloc'ed, or NULL. */
char *sg_schema_table_ddl(const sg_table *tb, const char *table, const char *location, const char *format,
                          const sg_ddl_partitions *pp);


/*! sg_schema_same_value() : whether texts `a` (`an` bytes) and `b` are the
 *  same value of column `c` as a reader takes them: the same text; numbers
 *  equal to the column's decimals; dates the same day (a midnight time or
 *  none). Empty is a null, the same as nothing but itself. */
int sg_schema_same_value(const sg_column *c, const char *a, size_t an, const char *b, size_t bn);

#endif
