/* parquet_stage - the Parquet stage alone: rows made by the model (not
 * timed), written as one Parquet part to a file (timed: the format's rows()
 * and end(), the sink's writes), as DuckDB's COPY of a table already in
 * memory is timed. Run by bench/parquet.sh; not a test.
 *
 * usage: spotgen_parquet_stage ROWS DIR zstd|snappy|none [ROW_GROUP_BYTES [BLOOM]]
 * prints: seconds of the stage, and the file's path and bytes */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "spotgen/format/format.h"
#include "spotgen/model/model.h"
#include "spotgen/store/sink.h"
#include "model.h"

#define BATCH 1024

int main(int argc, char **argv)
{
  if (argc < 4)
    return 2;
  long rows = atol(argv[1]);
  const char *dir = argv[2], *codec_name = argv[3];
  int codec = !strcmp(codec_name, "snappy") ? SG_PQ_SNAPPY : !strcmp(codec_name, "none") ? SG_PQ_UNCOMPRESSED
                                                                                        : SG_PQ_ZSTD;
  uint64_t group = argc > 4 ? strtoull(argv[4], NULL, 10) : (uint64_t)64 << 20; /* the default */
  static sg_model m;
  if (bench_model(&m, (uint64_t)rows) != 0)
    return 1;
  sg_row *batch = malloc(BATCH * sizeof *batch);
  sg_sink *sink = sg_sink_file(dir);
  sg_format_options o = {3, codec, group, argc > 5 ? argv[5] : NULL, NULL, 0, 0}; /* bloom filters as spotgen's default */
  sg_format *f = batch && sink ? sg_format_create(&sg_format_parquet, sink, &o) : NULL;
  char key[64];
  snprintf(key, sizeof key, "stage-%s.parquet", codec_name);
  if (!f || sg_sink_open(sink, key) != SG_OK)
    return 1;
  double t = 0, a = bench_now();
  sg_err e = sg_format_parquet.begin(f, 1);
  t += bench_now() - a;
  for (long r = 0; e == SG_OK && r < rows; r += BATCH) {
    size_t n = rows - r < BATCH ? (size_t)(rows - r) : BATCH;
    sg_model_rows(&m, (uint64_t)r, n, batch);
    a = bench_now();
    e = sg_format_parquet.rows(f, batch, n);
    t += bench_now() - a;
  }
  a = bench_now();
  if (e == SG_OK)
    e = sg_format_parquet.end(f);
  t += bench_now() - a;
  uint64_t bytes = sink->bytes;
  if (e == SG_OK)
    e = sg_sink_commit(sink);
  if (e != SG_OK) {
    fprintf(stderr, "parquet_stage: %s\n", sg_errmsg(e));
    return 1;
  }
  printf("%.3f %s/%s %llu\n", t, dir, key, (unsigned long long)bytes);
  sg_format_destroy(f);
  sg_sink_destroy(sink);
  free(batch);
  return 0;
}
