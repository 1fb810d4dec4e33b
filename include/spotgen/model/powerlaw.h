/* powerlaw.h - ranks drawn from a power law, by inverting its CDF.
 *
 * Ranks 0 .. n-1 stand for x in [offset, n + offset) with density
 * ~ x^-exponent; a draw is rank floor(x - offset) with x the inverse CDF at
 * a uniform u. The offset flattens the head (a Zipf-Mandelbrot law): with
 * offset 1 the most drawn rank takes a share set by the exponent alone,
 * with a larger one the first ranks are closer in share. Any exponent but
 * 1 works; below 1 the tail's ranks are all drawn often, above 1 most
 * draws go to the head and the tail is sparse.
 *
 * A draw costs no pow(): the inverse is read off a table of SG_RANK_N
 * chords, whose distance from the curve (and the knots' rounding to float)
 * is bounded, and computed exactly only when the bound cannot decide the
 * floor, so a rank is always the exact inverse's. */
#ifndef SPOTGEN_POWERLAW_H
#define SPOTGEN_POWERLAW_H

#include <stdint.h>

#define SG_RANK_N 4096

typedef struct sg_powerlaw {
  uint64_t n;                   /* ranks */
  double offset;
  double a;                     /* 1 - exponent */
  double lo;                    /* offset^a */
  double span;                  /* (n + offset)^a - offset^a */
  /* The inverse at u = i / SG_RANK_N, and a bound on the chord's distance
   * from it to the next knot: floats beside each other, so that a draw
   * reads one cache line of a table small enough to stay in cache. */
  struct {
    float x, err;
  } knot[SG_RANK_N + 1];
} sg_powerlaw;

/*! sg_powerlaw_init() : the law over `n` ranks (n >= 1) with `exponent`
 *  (> 0, not 1) and `offset` (>= 1). */
void sg_powerlaw_init(sg_powerlaw *p, uint64_t n, double exponent, double offset);

/*! sg_powerlaw_rank() : the rank drawn at uniform `u` in (0, 1). */
uint64_t sg_powerlaw_rank(const sg_powerlaw *p, double u);

/*! sg_powerlaw_share() : the expected share of draws of ranks below `rank`. */
double sg_powerlaw_share(const sg_powerlaw *p, uint64_t rank);

#endif
