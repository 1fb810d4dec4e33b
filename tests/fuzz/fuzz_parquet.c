/* libFuzzer: the Parquet reader with hostile files (footer, schema, row
 * groups, page headers, compressed pages, dictionaries, RLE runs, levels,
 * delta encodings), opened both ways: as verify does (the 24 columns) and
 * as score does (any flat schema). Every input is read to an error or to
 * its last row, never a crash. */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "spotgen/format/parquet_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  int fd = memfd_create("fuzz.parquet", 0);
  if (fd < 0)
    return 0;
  for (int any = 0; any < 2; any++) {
    if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0 || write(fd, data, size) != (ssize_t)size ||
        lseek(fd, 0, SEEK_SET) != 0)
      break;
    sg_pq_reader r;
    sg_err e = any ? sg_pq_open_any(&r, fd, "fuzz.parquet") : sg_pq_open_fd(&r, fd, "fuzz.parquet", NULL, 0);
    if (e == SG_OK)
      for (long rows = 0; rows < 100000 && sg_pq_next(&r) == 1; rows++)
        ;
    sg_pq_close(&r);
  }
  close(fd);
  return 0;
}
