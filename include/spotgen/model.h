/* model.h - global row index -> one row.
 *
 * sg_model_row() is a pure function of (seed, catalog shape, row): the model
 * keeps caches (the playlist layout cursor, the current playlist) that make
 * consecutive rows cheap, never state that changes a value. */
#ifndef SPOTGEN_MODEL_H
#define SPOTGEN_MODEL_H

#include <stdint.h>

#include "spotgen/catalog.h"
#include "spotgen/row.h"

typedef struct sg_model {
  sg_catalog catalog;
  sg_layout layout;
  sg_playlist playlist; /* cache: the playlist of the last row */
  int have_playlist;
} sg_model;

/*! sg_model_init() : a model for a dataset of `rows` rows under `seed`. */
void sg_model_init(sg_model *m, uint64_t seed, uint64_t rows);

/*! sg_model_row() : fills `out` with global row `row`. */
void sg_model_row(sg_model *m, uint64_t row, sg_row *out);

#endif
