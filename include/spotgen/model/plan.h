/* plan.h - rows -> parts -> ranks: a static plan every rank computes alike.
 *
 * Part k holds global rows [first(k), first(k+1)): first(k) = k * rows_per_part
 * when the parts were sized by rows per part, or floor(k * rows / parts) when
 * a number of parts was asked for (sizes then differ by at most one row).
 * Rank r of n owns the contiguous parts [first_part(r), first_part(r+1)):
 * contiguous so that a rank's output is one contiguous run of the dataset
 * (the single-file mode relies on it), balanced to within one part. */
#ifndef SPOTGEN_PLAN_H
#define SPOTGEN_PLAN_H

#include <stdint.h>

typedef struct sg_plan {
  uint64_t rows;
  uint64_t rows_per_part;
  uint64_t parts;
  int even;  /* split into `parts` near-equal parts */
} sg_plan;

/*! sg_plan_make() : a plan of `rows` rows, cut into parts of `rows_per_part`
 *  rows (the last may be smaller), or, when `parts` is non-zero, into
 *  min(parts, rows) near-equal parts. rows >= 1 and one of the two > 0. */
sg_plan sg_plan_make(uint64_t rows, uint64_t rows_per_part, uint64_t parts);

/*! sg_plan_part_first_row() / sg_plan_part_rows() : where part `k` starts and its size. */
uint64_t sg_plan_part_first_row(const sg_plan *p, uint64_t k);
uint64_t sg_plan_part_rows(const sg_plan *p, uint64_t k);

/*! sg_plan_part_of_row() : the part that holds row `row` (< rows). */
uint64_t sg_plan_part_of_row(const sg_plan *p, uint64_t row);

/*! sg_plan_rank_first_part() : first part owned by rank `r` of `nranks`;
 *  rank r owns [first(r), first(r+1)). */
uint64_t sg_plan_rank_first_part(const sg_plan *p, int r, int nranks);

/*! sg_plan_rank_rows() : rows owned by rank `r` of `nranks`. */
uint64_t sg_plan_rank_rows(const sg_plan *p, int r, int nranks);

#endif
