/* support.h - helpers shared by the unit tests. */
#ifndef SPOTGEN_TEST_SUPPORT_H
#define SPOTGEN_TEST_SUPPORT_H

#include <stdlib.h>

#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/model/model.h"

/* The default configuration and its copula, built once per test program. */
static inline const sg_config *test_config(void)
{
  static sg_config cfg;
  static int ready;
  if (!ready) {
    sg_config_default(&cfg);
    ready = 1;
  }
  return &cfg;
}

static inline const sg_copula *test_copula(void)
{
  static sg_copula *cp;
  if (!cp) {
    cp = malloc(sizeof *cp);
    if (!cp || sg_copula_build(cp, test_config(), NULL) != SG_OK)
      abort();
  }
  return cp;
}

/* A model of the default configuration, as a rank would build it. */
static inline void test_model_init(sg_model *m, uint64_t seed, uint64_t rows)
{
  sg_model_init(m, seed, rows, test_config(), test_copula());
}

#endif
