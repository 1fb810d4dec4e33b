/* parquet_read.h - a Parquet reader: footer, schema, row groups, pages,
 * read the way any reader would, not trusted.
 *
 * Written apart from the writer (format_parquet.c) on purpose, like the CSV
 * reader. It reads a whole file into memory (a part is tens of MB), counts
 * its bytes and CRC-32 as they arrive, parses the footer, and then hands
 * out rows one by one as text fields. Two ways to open a file:
 *
 * - sg_pq_open_fd (verify): the schema must be the columns of a table as
 *   spotgen writes them (names, types, REQUIRED), and the fields are in
 *   the CSV's spelling (dates YYYY-MM-DD, the features with their fixed
 *   decimals), so verify checks Parquet and CSV with the same code.
 * - sg_pq_open_any (score, reading a cleaning that pandas, pyarrow, DuckDB
 *   or Spark wrote): any flat schema; r->names are its columns, and each
 *   field is its value as text: integers and decimals in digits, doubles
 *   in the fewest digits that read back the same (FLOAT16 too; NaN as nan),
 *   decimals of any physical type (bytes: up to 16) in digits, DATE as
 *   YYYY-MM-DD, timestamps (INT64 or Spark's INT96) as YYYY-MM-DD
 *   HH:MM:SS[.f], booleans true/false, text as itself and other bytes as
 *   they are (r->binary says which); a null is an empty field.
 *
 * Both read data pages v1 and v2 (a v2 page's repetition levels, which a
 * flat column ignores, skipped); PLAIN, PLAIN_DICTIONARY and
 * RLE_DICTIONARY, RLE booleans, DELTA_BINARY_PACKED,
 * DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT (of any
 * fixed-size type) values; OPTIONAL columns' definition levels; pages
 * compressed by ZSTD, SNAPPY, GZIP (of one member or several), LZ4 (in
 * Hadoop's framing or bare), LZ4_RAW, BROTLI or not at all; row groups of
 * no rows. A page whose header carries a CRC-32 must match it. Anything
 * else (a nested column, another codec), and any structure out of bounds,
 * is an error naming the file, and the row group, column or row.
 * tests/node/corpus_check.mjs runs it over the Apache Parquet project's
 * compatibility corpus (apache/parquet-testing) against DuckDB and
 * hyparquet.
 *
 * Memory is bounded by what the file can honestly hold. The file itself is
 * held whole; then one row group at a time: its decompressed pages and its
 * values. Before a row group is decompressed its page headers are read:
 * their values must add up to its rows, and what it will take in memory
 * (pages, values, levels, dictionaries, and the strings DELTA_BYTE_ARRAY
 * makes, counted as they are made) must stay within SG_PQ_EXPANSION times
 * its chunks' stored size, always allowed up to SG_PQ_GROUP_FREE and never
 * above SG_PQ_GROUP_MAX. A 33 KB file of zstd pages of zeros, or a few
 * bytes of RLE declaring 2^25 rows, is refused before anything is
 * allocated for it. Honest files take far less: spotgen's row groups 9
 * times their stored size with zstd pages (4.5 snappy, 2.3 none), DuckDB's
 * of the same rows 9 times (measured on 1,000,000 rows). When memory runs
 * out all the same, the error is SG_ENOMEM and says so. */
#ifndef SPOTGEN_PARQUET_READ_H
#define SPOTGEN_PARQUET_READ_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/dataset/schema.h"

#define SG_PQ_EXPANSION 64                        /* memory per stored byte of a row group */
#define SG_PQ_GROUP_FREE ((uint64_t)256 << 20)    /* a row group may always take this much */
#define SG_PQ_GROUP_MAX ((uint64_t)2 << 30)       /* and never more than this */

typedef struct sg_pq_reader {
  const char *path;
  const sg_table *table;     /* the columns expected (sg_pq_open_fd's); NULL: any */
  uint64_t bytes;            /* of the file as stored */
  uint32_t crc32;
  uint64_t rows;             /* the footer's row count */
  uint64_t record;           /* rows returned so far */
  int nfields;
  const char *const *names;  /* the columns' names, NUL-terminated */
  const unsigned char *binary; /* per column: 1 when its values are bytes with no
                                  text meaning (BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY
                                  not STRING, ENUM, JSON, DECIMAL or FLOAT16) */
  const char **field;        /* the current row's fields: nfields of them */
  size_t *flen;
  sg_err err;                /* of the last failure: SG_EDATA, or SG_ENOMEM when memory ran out */
  struct pq_file *impl;
} sg_pq_reader;

/*! sg_pq_open_fd() : reads `fd` to its end and parses the footer, which
 *  must hold the columns of `table` (NULL: the flat 24) as spotgen writes them.
 *  `expect_bytes` (0: any) is the size the file must have: a file of another
 *  size is counted (bytes, CRC-32) but not kept nor decoded.
 *  @return : SG_OK; SG_EIO (read error), SG_EDATA (not a Parquet file of
 *            those columns, or not of the size expected: the message says
 *            why), SG_ENOMEM. */
sg_err sg_pq_open_fd(sg_pq_reader *r, int fd, const char *name, const sg_table *table, uint64_t expect_bytes);

/*! sg_pq_open_any() : the same for a Parquet file of any flat schema
 *  (see the top). */
sg_err sg_pq_open_any(sg_pq_reader *r, int fd, const char *name);

/*! sg_pq_next() : the next row into r->field / r->flen.
 *  @return : 1 for a row, 0 after the last, -1 on malformed data or when
 *            memory runs out (r->err says which, the message where and why). */
int sg_pq_next(sg_pq_reader *r);

void sg_pq_close(sg_pq_reader *r);

#endif
