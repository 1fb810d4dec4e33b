/* partition.h - Hive-style partitions (--partition-by): which columns may
 * partition which table, the spec parsed, and the folders a row goes to.
 *
 *   --partition-by playlist_category,release_date:year
 *     part-00003's rows of category party released in 2023 go to
 *     playlist_category=party/release_year=2023/part-00003.parquet
 *
 * A field is a source column and a transform: identity (the column's value;
 * the column then leaves the file, as Hive expects: its value is the
 * folder's), year or month of a date (release_year=2023,
 * release_month=2023-04; the date stays in the file). A table declares the
 * fields it may be partitioned by (partition.c): the flat dataset and
 * --tables' albums by release_date's year or month, the flat dataset and
 * playlists by playlist_category. A value is written as Hive writes a path
 * name: the characters "#%'*\/:=?\\{[]^ space, DEL and the controls as
 * %XX (Hive does not escape a space; its readers unescape it all the same). */
#ifndef SPOTGEN_LAKE_PARTITION_H
#define SPOTGEN_LAKE_PARTITION_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/base/layout.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/model/row.h"

#define SG_PARTITION_MAX SG_LAYOUT_PARTITION_DEPTH /* fields in --partition-by */
#define SG_PARTITION_FOLDERS 192  /* room for a row's folders */

typedef enum sg_transform { SG_TRANSFORM_IDENTITY, SG_TRANSFORM_YEAR, SG_TRANSFORM_MONTH } sg_transform;

typedef struct sg_partition_field {
  const sg_column *source;
  sg_transform transform;
  char name[40];                  /* the folder's: "playlist_category", "release_year" */
} sg_partition_field;

/* --partition-by as given, or a table's share of it. */
typedef struct sg_partitioning {
  int n;
  sg_partition_field f[SG_PARTITION_MAX];
} sg_partitioning;

/*! sg_partition_parse() : --partition-by's SPEC[,SPEC] (a column, or
 *  column:year or column:month), for the flat dataset or, with `tables`,
 *  --tables' (a field some table may be partitioned by).
 *  @return : SG_OK, or SG_EUSAGE with one line naming the problem and the
 *            fields that may be used. */
sg_err sg_partition_parse(const char *spec, int tables, sg_partitioning *out);

/*! sg_partition_for_table() : the fields of `spec` that table `t` may be
 *  partitioned by, in the spec's order (n == 0: the table is not
 *  partitioned). */
sg_partitioning sg_partition_for_table(const sg_partitioning *spec, sg_table_id t);

/*! sg_partition_file_table() : the columns a partitioned file of table `t`
 *  holds: t's, less the sources of identity fields. */
void sg_partition_file_table(const sg_partitioning *p, const sg_table *t, sg_table *out);

/* A row's partition as numbers, cheap to make per row: a category its
 * text's place in memory (the model holds one text a category; any other
 * text by its hash), a date its year or month. Rows of equal keys have the
 * same folders (rows of unequal keys may too: compare their folders). */
typedef struct sg_partition_key {
  uint64_t v[SG_PARTITION_MAX];
} sg_partition_key;

/*! sg_partition_key_of() : row's key under `p` into *k. */
void sg_partition_key_of(const sg_partitioning *p, const sg_row *row, sg_partition_key *k);

/*! sg_partition_folders() : the folders `row` goes to under its table:
 *  "playlist_category=party/release_year=2023/" (with the '/'), into out
 *  (SG_PARTITION_FOLDERS bytes). @return : its length. */
size_t sg_partition_folders(const sg_partitioning *p, const sg_row *row, char *out);

/*! sg_partition_folders_of() : the folders of the partition whose fields'
 *  values (unescaped, as sg_partition_value gives them) are `values`, into
 *  out (SG_PARTITION_FOLDERS bytes). @return : its length. */
size_t sg_partition_folders_of(const sg_partitioning *p, const char *const *values, char *out);

/*! sg_partition_value() : the value field i of `folders` (as
 *  sg_partition_folders wrote them) names, unescaped, into out.
 *  @return : its length, or -1 when the folders do not name field i. */
int sg_partition_value(const sg_partitioning *p, int i, const char *folders, char *out, size_t cap);

/*! sg_partition_ddl() : the partition columns of a table partitioned by
 *  `p`, for its DDL (schema.h), each with Athena's partition projection:
 *  an enum of the categories, an integer range of years, a date range of
 *  months (yyyy-MM), over the years the model releases albums in, through
 *  `last_year` (--days: new releases come out until the run's last day). */
void sg_partition_ddl(const sg_partitioning *p, int last_year, sg_ddl_partitions *out);

/*! sg_partition_describe() : --partition-by's fields as given, for
 *  messages and the manifest ("playlist_category,release_date:year"). */
void sg_partition_describe(const sg_partitioning *p, char *out, size_t cap);

#endif
