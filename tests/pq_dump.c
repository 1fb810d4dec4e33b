/* pq_dump - prints a Parquet file of any flat schema as score's reader
 * (parquet_read.h, sg_pq_open_any) reads it: the columns' names, then each
 * row, tab-separated, a null as an empty field, bytes without a text
 * meaning (r.binary) in hex. tests/node/pq_types_check.mjs
 * compares it with DuckDB's own reading of the same files.
 *
 * usage: pq_dump FILE.parquet */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "spotgen/format/parquet_read.h"

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: pq_dump FILE.parquet\n");
    return 2;
  }
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) {
    perror(argv[1]);
    return 2;
  }
  sg_pq_reader r;
  int st = sg_pq_open_any(&r, fd, argv[1]) == SG_OK ? 1 : -1;
  for (int c = 0; st == 1 && c < r.nfields; c++)
    printf("%s%c", r.names[c], c + 1 < r.nfields ? '\t' : '\n');
  while (st == 1 && (st = sg_pq_next(&r)) == 1)
    for (int c = 0; c < r.nfields; c++) {
      if (r.binary[c]) /* bytes: in hex, as DuckDB's lower(hex(blob)) */
        for (size_t i = 0; i < r.flen[c]; i++)
          printf("%02x", (unsigned char)r.field[c][i]);
      else
        printf("%.*s", (int)r.flen[c], r.field[c]);
      putchar(c + 1 < r.nfields ? '\t' : '\n');
    }
  if (st < 0)
    fprintf(stderr, "pq_dump: %s\n", sg_errmsg(SG_EDATA));
  sg_pq_close(&r);
  close(fd);
  return st < 0 ? 1 : 0;
}
