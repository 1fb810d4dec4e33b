/* model.h - the benchmark tools' model: the default configuration, seed 42. */
#ifndef SPOTGEN_BENCH_MODEL_H
#define SPOTGEN_BENCH_MODEL_H

#include <time.h>

#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/model/model.h"

/* bench_model() : `m` for a dataset of `rows` rows under the default
 * configuration and seed 42. @return : 0, or -1 when the copula cannot be
 * built. Not reentrant: the configuration and copula are static. */
static inline int bench_model(sg_model *m, uint64_t rows)
{
  static sg_config cfg;
  static sg_copula cp;
  static int built;
  if (!built) {
    sg_config_default(&cfg);
    if (sg_copula_build(&cp, &cfg, NULL) != SG_OK)
      return -1;
    built = 1;
  }
  sg_model_init(m, 42, rows, &cfg, &cp);
  return 0;
}

/* bench_now() : seconds on the monotonic clock. */
static inline double bench_now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

#endif
