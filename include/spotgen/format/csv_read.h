/* csv_read.h - a streaming RFC 4180 reader, for verify.
 *
 * Written apart from the CSV writer on purpose: verify must read what is in
 * the files, not what the writer meant to put there. It also counts the
 * bytes and their CRC-32 as they pass, so one read of a part checks its
 * size, checksum and content. A file whose name ends in .gz or .zst is
 * decompressed as it is read (gzip by zlib, zstd by libzstd); the size and
 * checksum are of the stored, compressed bytes. */
#ifndef SPOTGEN_CSV_READ_H
#define SPOTGEN_CSV_READ_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"

#define SG_CSV_MAX_FIELDS 64
/* The longest record read: a bound on memory, far above any row spotgen
 * writes (under 2 KB) or a cleaning of one. */
#define SG_CSV_MAX_RECORD (1u << 20)
#define SG_CSV_MAX_RECORD_TEXT "1 MiB"

typedef struct sg_csv_reader {
  const char *path;
  int fd;
  int own_fd;                /* close fd at the end */
  unsigned char *buf;        /* the CSV text */
  size_t len, pos;
  int eof;
  const char *why;           /* of the last read error */
  struct sg_unzip *unzip;    /* the decompressor of a .gz or .zst file */
  uint64_t bytes;            /* read so far */
  uint32_t crc32;            /* of the bytes read so far */
  uint64_t record;           /* 1-based number of the last record returned */
  char *rec;                 /* the current record's fields, unescaped, NUL-separated */
  size_t rec_cap;
  int nfields;
  const char *field[SG_CSV_MAX_FIELDS];
  size_t flen[SG_CSV_MAX_FIELDS];
} sg_csv_reader;

/*! sg_csv_open() : @return SG_OK or SG_EIO (message names the file). */
sg_err sg_csv_open(sg_csv_reader *r, const char *path);

/*! sg_csv_open_fd() : reads from `fd` (not closed at the end); `name`
 *  names it in messages, and its ending (.gz, .zst) says how it is compressed. */
sg_err sg_csv_open_fd(sg_csv_reader *r, int fd, const char *name);

/*! sg_csv_next() :
 *  Reads the next record into r->field / r->flen / r->nfields.
 *  @return : 1 for a record, 0 at the end of the file, -1 on malformed CSV
 *            or a read error (the message says which record and why). */
int sg_csv_next(sg_csv_reader *r);

void sg_csv_close(sg_csv_reader *r);

#endif
