/* reader.h - reading a part back, whatever its format.
 *
 * The other half of a format (format.h): each format's entry in the registry
 * names its reader, so verify reads every part through this one interface.
 * A reader hands out the rows as the 24 fields in the CSV's spelling (the
 * Parquet reader converts), so the checks above it are the same for every
 * format, and counts the size and CRC-32 of the stored bytes as they pass.
 * The readers are written apart from the writers on purpose: verify must
 * read what is in the files, not what the writer meant to put there. */
#ifndef SPOTGEN_READER_H
#define SPOTGEN_READER_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/format/csv_read.h"
#include "spotgen/base/err.h"
#include "spotgen/format/parquet_read.h"

typedef struct sg_reader sg_reader;

typedef struct sg_reader_ops {
  /* Reads from `fd` (not closed); `name` names the part in messages. Sets
   * r->opened once the bytes can be counted; an error after that (a CSV
   * without the header, a Parquet file that is not one of ours) is the
   * content's. */
  sg_err (*open)(sg_reader *r, int fd, const char *name);
  /* 1: a row in field/flen; 0: the end; -1: malformed, reading stops;
   * 2: a record that is not a row (wrong field count), reading goes on.
   * The message says where and why for -1 and 2. */
  int (*next)(sg_reader *r);
  void (*close)(sg_reader *r);
} sg_reader_ops;

struct sg_reader {
  const sg_reader_ops *ops;
  const sg_table *table;  /* the columns expected, set before open (NULL: the flat 24) */
  uint64_t expect_bytes;  /* the stored size expected, set before open (0: any); a Parquet part
                           * of another size is counted but not decoded */
  int opened;
  uint64_t record;        /* the row's record number, counted as in a CSV file (the header is 1) */
  const char *const *field;
  const size_t *flen;
  uint64_t bytes;         /* of the stored part, read so far */
  uint32_t crc32;
  union {
    sg_csv_reader csv;
    sg_pq_reader pq;
  } u;
};

extern const sg_reader_ops sg_csv_reader_ops;     /* csv_read.c: csv, csv.gz, csv.zst */
extern const sg_reader_ops sg_parquet_reader_ops; /* parquet_read.c */

#endif
