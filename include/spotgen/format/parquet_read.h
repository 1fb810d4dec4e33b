/* parquet_read.h - a Parquet reader for verify: spotgen's own files, read
 * the way any reader would (footer, schema, row groups, pages), not trusted.
 *
 * Written apart from the writer (format_parquet.c) on purpose, like the CSV
 * reader. It reads a whole part into memory (a part is tens of MB), counts
 * its bytes and CRC-32 as they arrive, parses the footer, checks the schema
 * against the 24 columns, and then hands out rows one by one as text fields
 * in the CSV's spelling (dates YYYY-MM-DD, the features with their fixed
 * decimals), so verify checks Parquet and CSV with the same code. Pages may
 * be PLAIN or RLE_DICTIONARY, compressed by ZSTD or SNAPPY or not at all.
 * Anything else, and any structure out of bounds, is an error naming the
 * file, and the row group or row. */
#ifndef SPOTGEN_PARQUET_READ_H
#define SPOTGEN_PARQUET_READ_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/dataset/schema.h"

typedef struct sg_pq_reader {
  const char *path;
  const sg_table *table;     /* the columns expected (sg_pq_open_fd's) */
  uint64_t bytes;            /* of the file as stored */
  uint32_t crc32;
  uint64_t rows;             /* the footer's row count */
  uint64_t record;           /* rows returned so far */
  int nfields;
  const char *field[SG_NCOLS];
  size_t flen[SG_NCOLS];
  struct pq_file *impl;
} sg_pq_reader;

/*! sg_pq_open_fd() : reads `fd` to its end and parses the footer, which
 *  must hold the columns of `table` (NULL: the flat 24).
 *  @return : SG_OK; SG_EIO (read error), SG_EDATA (not a Parquet file of
 *            those columns: the message says why), SG_ENOMEM. */
sg_err sg_pq_open_fd(sg_pq_reader *r, int fd, const char *name, const sg_table *table);

/*! sg_pq_next() : the next row into r->field / r->flen.
 *  @return : 1 for a row, 0 after the last, -1 on malformed data (the
 *            message says where and why). */
int sg_pq_next(sg_pq_reader *r);

void sg_pq_close(sg_pq_reader *r);

#endif
