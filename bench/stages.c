/* stages - where one rank's time goes, per row, stage by stage: the RNG of
 * placing a track, names alone, the whole model (the placement, and the
 * track built when the cache does not hold it), CSV formatting,
 * statistics, and the file sink. Run by bench/run.sh; not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/format/format.h"
#include "spotgen/model/model.h"
#include "spotgen/model/rng.h"
#include "spotgen/store/sink.h"
#include "spotgen/dataset/stats.h"
#include "spotgen/model/words.h"
#include "model.h"

#define BATCH 512

int main(int argc, char **argv)
{
  long rows = argc > 1 ? atol(argv[1]) : 1000000;
  const char *dir = argc > 2 ? argv[2] : "/dev/shm";
  static sg_model m;
  if (bench_model(&m, (uint64_t)rows) != 0)
    return 1;
  sg_row *batch = malloc(BATCH * sizeof *batch);
  char *out = malloc(BATCH * SG_CSV_ROW_MAX);
  sg_stats *st = malloc(sizeof *st);
  sg_stats_init(st);
  volatile uint32_t sink_u = 0;
  double t[6] = {0};

  /* RNG: a row's block of Philox4x32-10, three words of it, as placing a track takes */
  double t0 = bench_now();
  for (long r = 0; r < rows; r++) {
    sg_rng g;
    sg_rng_init(&g, 42, SG_STREAM_ROW, (uint64_t)r);
    sink_u ^= sg_rng_u32(&g) ^ sg_rng_u32(&g) ^ sg_rng_u32(&g);
  }
  t[0] = bench_now() - t0;
  /* names alone: a track name per row */
  t0 = bench_now();
  for (long r = 0; r < rows; r++) {
    sg_rng g;
    sg_text name;
    sg_rng_init(&g, 42, SG_STREAM_ROW, (uint64_t)r);
    sg_text_pick(&sg_track_templates, &g, &name);
    sink_u ^= name.len;
  }
  t[1] = bench_now() - t0;
  /* model, formatting, statistics, sink: the generator's loop, timed apart */
  char path[512];
  snprintf(path, sizeof path, "%s/spotgen-stages.%d.csv", dir, (int)getpid());
  FILE *f = fopen(path, "wb");
  if (!f)
    return 1;
  for (long r = 0; r < rows; r += BATCH) {
    int n = rows - r < BATCH ? (int)(rows - r) : BATCH;
    double a = bench_now();
    sg_model_rows(&m, (uint64_t)r, (size_t)n, batch);
    double b = bench_now();
    size_t len = 0;
    for (int i = 0; i < n; i++)
      len += sg_csv_row(out + len, &batch[i]);
    double c = bench_now();
    sg_stats_add(st, batch, (size_t)n);
    double d = bench_now();
    fwrite(out, 1, len, f);
    double e = bench_now();
    t[2] += b - a, t[3] += c - b, t[4] += d - c, t[5] += e - d;
  }
  fclose(f);
  unlink(path);
  static const char *const NAMES[] = {"RNG (3 words of Philox4x32-10)", "names (one track name)",
                                      "model (whole row: placement, tracks built, names)", "CSV formatting",
                                      "statistics", "sink (write to a file)"};
  printf("| stage | ns per row |\n|---|---|\n");
  for (int i = 0; i < 6; i++)
    printf("| %s | %.0f |\n", NAMES[i], t[i] / (double)rows * 1e9);
  double loop = t[2] + t[3] + t[4] + t[5];
  printf("| **the generator's loop (model + formatting + statistics + sink)** | **%.0f** (%.2fM rows/s) |\n",
         loop / (double)rows * 1e9, (double)rows / loop / 1e6);
  free(batch);
  free(out);
  free(st);
  return sink_u == 0xFFFFFFFF;
}
