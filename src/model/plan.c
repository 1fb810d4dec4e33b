/* plan.c - the static plan (see plan.h). */
#include "spotgen/model/plan.h"

sg_plan sg_plan_make(uint64_t rows, uint64_t rows_per_part, uint64_t parts)
{
  sg_plan p;
  p.rows = rows;
  p.even = parts != 0;
  if (p.even) {
    p.parts = parts < rows ? parts : rows;
    p.rows_per_part = rows / p.parts + (rows % p.parts != 0); /* the largest part */
  } else {
    p.rows_per_part = rows_per_part < rows ? rows_per_part : rows;
    p.parts = rows / p.rows_per_part + (rows % p.rows_per_part != 0);
  }
  return p;
}

/* floor(a * b / c) for a <= c, without overflowing 64 bits. */
static uint64_t muldiv(uint64_t a, uint64_t b, uint64_t c)
{
  uint64_t q = b / c, r = b % c;
  return a * q + a * r / c;
}

uint64_t sg_plan_part_first_row(const sg_plan *p, uint64_t k)
{
  if (k >= p->parts)
    return p->rows;
  return p->even ? muldiv(k, p->rows, p->parts) : k * p->rows_per_part;
}

uint64_t sg_plan_part_rows(const sg_plan *p, uint64_t k)
{
  return sg_plan_part_first_row(p, k + 1) - sg_plan_part_first_row(p, k);
}

uint64_t sg_plan_part_of_row(const sg_plan *p, uint64_t row)
{
  if (!p->even)
    return row / p->rows_per_part;
  uint64_t lo = 0, hi = p->parts; /* the last k with first(k) <= row */
  while (hi - lo > 1) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (sg_plan_part_first_row(p, mid) <= row)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

uint64_t sg_plan_rank_first_part(const sg_plan *p, int r, int nranks)
{
  return muldiv((uint64_t)r, p->parts, (uint64_t)nranks);
}

uint64_t sg_plan_rank_rows(const sg_plan *p, int r, int nranks)
{
  return sg_plan_part_first_row(p, sg_plan_rank_first_part(p, r + 1, nranks)) -
         sg_plan_part_first_row(p, sg_plan_rank_first_part(p, r, nranks));
}
