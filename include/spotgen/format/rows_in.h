/* rows_in.h - every row of a table given as data files: one CSV or
 * Parquet file, or every such file under a folder or S3 prefix, in the
 * order of their names (score reads a cleaning this way, fit a sample).
 *
 * A row comes as text fields, whatever the format: a CSV's fields
 * unescaped, a Parquet row's values as parquet_read.h spells them (a null
 * is an empty field). The first record of every file is its header: a
 * CSV's first line, a Parquet file's column names. */
#ifndef SPOTGEN_ROWS_IN_H
#define SPOTGEN_ROWS_IN_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/s3/s3.h"
#include "spotgen/store/source.h"

typedef struct sg_record {
  int nfields;
  const char *const *field;
  const size_t *flen;
  uint64_t record; /* counted as in a CSV file: the header is 1 */
} sg_record;

/* Called with each record; `name` names the file in messages. A status
 * other than SG_OK stops the reading and is returned. */
typedef sg_err (*sg_record_fn)(void *ctx, const sg_record *r, const char *name);

/* Names of objects to read. */
typedef struct sg_file_list {
  char (*names)[256];
  int n, cap;
} sg_file_list;

/*! sg_file_list_add() : @return 0, or -1 out of memory. */
int sg_file_list_add(sg_file_list *l, const char *name);
void sg_file_list_free(sg_file_list *l);

/*! sg_rows_read_list() :
 *  Reads the objects `l` names in `src` (at `where`, for messages), in the
 *  order of their names: each one's header to `head`, then every record to
 *  `row`. A malformed file is SG_EUSAGE (the reader's message, naming the
 *  file and record); memory that runs out, SG_ENOMEM. */
sg_err sg_rows_read_list(sg_source *src, const char *where, sg_file_list *l, void *ctx,
                         sg_record_fn head, sg_record_fn row);

/*! sg_rows_read() :
 *  The same for `where`: one data file (.csv, .csv.gz, .csv.zst, .parquet)
 *  or a folder or S3 prefix, whose data files are read (names starting
 *  with _ or . skipped, as Spark and DuckDB do). `what` and `verb` name the
 *  input and the command in messages ("a sample", "fit"). */
sg_err sg_rows_read(const char *where, const sg_s3_options *so, const char *what, const char *verb,
                    void *ctx, sg_record_fn head, sg_record_fn row);

#endif
