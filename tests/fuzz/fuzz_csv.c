/* libFuzzer: the CSV reader (verify's and score's) with hostile files, as
 * plain CSV, gzip or zstd: the first byte picks which (its name's ending
 * says how the reader decompresses), the rest is the file. Every input is
 * read to an error or to its last record, never a crash, and never held
 * past the reader's bound on a record (SG_CSV_MAX_RECORD): the harness runs
 * under -malloc_limit_mb and -rss_limit_mb (scripts/test.sh), so a record
 * of gigabytes from a small compressed input is a failure. */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "spotgen/format/csv_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const NAMES[] = {"fuzz.csv", "fuzz.csv.gz", "fuzz.csv.zst"};
  if (size < 1)
    return 0;
  int fd = memfd_create("fuzz.csv", 0);
  if (fd < 0)
    return 0;
  if (write(fd, data + 1, size - 1) == (ssize_t)(size - 1) && lseek(fd, 0, SEEK_SET) == 0) {
    sg_csv_reader r;
    if (sg_csv_open_fd(&r, fd, NAMES[data[0] % 3]) == SG_OK) {
      for (long records = 0; records < 1000000 && sg_csv_next(&r) == 1; records++)
        ;
      sg_csv_close(&r);
    }
  }
  close(fd);
  return 0;
}
