/* layout.h - the names of a dataset's files, in one place.
 *
 * What spotgen writes into a directory or under an S3 prefix, and whether a
 * name found there is one of its own (what --overwrite may remove). The
 * bottom of the house: it includes nothing of spotgen's, so a storage
 * backend asks "is this ours?" without the manifest, statistics or model.
 *
 *   part-00000.csv ...      the data, one object per part (extension by format)
 *   artists/part-00000.csv  with --tables: each table's parts in its folder
 *                           (artists, albums, tracks, playlists, playlist_tracks)
 *   release_year=2023/part-00000.csv  with --partition-by: a part's rows of one
 *                           partition, in its folders (Hive's col=value)
 *   data/part-00000.parquet with --table-format iceberg: a table's data files
 *                           (in its partitions' folders), and its metadata:
 *   metadata/v1.metadata.json, metadata/version-hint.text, metadata/NAME.avro
 *                           (with --tables, in each table's folder)
 *   _dirty/part-00000.csv   with --dirty: the ledger of what was corrupted, a part
 *                           for each part of the data
 *   _manifest.json          what the dataset is; written after every part
 *   _SUCCESS                written last: the dataset is complete
 *   _report.html            spotgen report's default page
 *   _spotgen-journal-00000.txt   rank 0's record of the parts it committed
 *   _spotgen_lock           the run writing there (lock.h), while it runs
 *   .NAME.PID.tmp           a file being written (local disk), renamed when whole
 *
 * Names starting with '_' or '.' are skipped by Spark, Hive, Athena and verify.
 */
#ifndef SPOTGEN_LAYOUT_H
#define SPOTGEN_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#define SG_LAYOUT_SUCCESS "_SUCCESS"
#define SG_LAYOUT_MANIFEST "_manifest.json"
#define SG_LAYOUT_REPORT "_report.html"
#define SG_LAYOUT_JOURNAL_PREFIX "_spotgen-journal-"
#define SG_LAYOUT_PART_PREFIX "part-"
#define SG_LAYOUT_DIRTY "_dirty"
#define SG_LAYOUT_CHANGES "_changes"    /* --days: _changes/batch_date=YYYY-MM-DD/, --tables: _changes/TABLE/batch_date=.../ */
#define SG_LAYOUT_LOCK "_spotgen_lock"
#define SG_LAYOUT_DATA "data"          /* an Iceberg table's data files */
#define SG_LAYOUT_METADATA "metadata"  /* and its metadata */
#define SG_LAYOUT_HINT "version-hint.text"
#define SG_LAYOUT_PARTITION_DEPTH 3 /* partition folders in a row (--partition-by's fields) */

/*! sg_layout_part() : part k's name with the format's extension
 *  (".csv", ".parquet", ...) into out: "part-00007.csv". */
void sg_layout_part(char *out, size_t cap, uint64_t k, const char *extension);

/*! sg_layout_journal() : rank r's journal name into out. */
void sg_layout_journal(char *out, size_t cap, int rank);

/*! sg_layout_is_journal() : whether `name` is a rank's journal. */
int sg_layout_is_journal(const char *name);

/*! sg_layout_table_part() : part k of table `table`: "artists/part-00007.csv". */
void sg_layout_table_part(char *out, size_t cap, const char *table, uint64_t k,
                          const char *extension);

/*! sg_layout_is_table() : whether `name` is one of --tables' folders, the
 *  ledger's (_dirty), or the changes' (--days). */
int sg_layout_is_table(const char *name);

/*! sg_layout_is_partition() : whether the `n` bytes at `name` are a
 *  partition's folder: "col=value" (col of a-z, 0-9, _). */
int sg_layout_is_partition(const char *name, size_t n);

/*! sg_layout_is_folder() : whether a folder `name` met at `depth` (0:
 *  the dataset's top) may be spotgen's: a table's (top), an Iceberg
 *  table's data/ or metadata/ (top, or in a table's), a partition's. */
int sg_layout_is_folder(const char *name, int depth);

/*! sg_layout_is_table_metadata() : whether `name` is a file of an Iceberg
 *  table's metadata/ that spotgen writes (or its temporary file):
 *  "metadata/v1.metadata.json", "artists/metadata/snap-1-1-u.avro". */
int sg_layout_is_table_metadata(const char *name);

/*! sg_layout_tmp() : the temporary path "DIR/.NAME.PID.tmp" that a file
 *  NAME in DIR is written to before it is renamed into place (for a NAME
 *  in a table's folder, "DIR/TABLE/.PART.PID.tmp").
 *  @return : 0, or -1 when it does not fit in out. */
int sg_layout_tmp(char *out, size_t cap, const char *dir, const char *name);

/*! sg_layout_is_ours() : whether a directory entry or object name (without
 *  its prefix) is one spotgen writes: a part, a '_' file above, or a
 *  temporary file of either; a table's or partition's folder, or a part or
 *  temporary file in one, a partition's in a table's, or partitions' in
 *  each other ("tracks/part-00000.csv", "albums/release_year=2001/part-00000.csv"). */
int sg_layout_is_ours(const char *name);

#endif
