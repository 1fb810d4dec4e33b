/* powerlaw.c - ranks from a power law (powerlaw.h). */
#include "spotgen/model/powerlaw.h"

#include <math.h>

void sg_powerlaw_init(sg_powerlaw *p, uint64_t n, double exponent, double offset)
{
  p->n = n;
  p->offset = offset;
  p->a = 1.0 - exponent;
  p->lo = pow(offset, p->a);
  p->span = pow((double)n + offset, p->a) - p->lo;
  /* x(u) = (lo + span u)^k, k = 1/a: a chord is within h^2/8 max|x''| of
   * it, and x'' = k (k-1) span^2 base^(k-2) is monotone in u, so largest
   * at one end of the segment. */
  const double k = 1.0 / p->a, h = 1.0 / SG_RANK_N;
  double d2[SG_RANK_N + 1];
  for (int i = 0; i <= SG_RANK_N; i++) {
    double base = p->lo + i * h * p->span;
    p->knot[i].x = (float)pow(base, k);
    d2[i] = fabs(k * (k - 1.0) * p->span * p->span * pow(base, k - 2.0));
  }
  /* The chord's own error, and the knots' rounding to float (half an ulp
   * each, relative 2^-24), rounded up as a float. */
  for (int i = 0; i < SG_RANK_N; i++) {
    double chord = h * h / 8.0 * (d2[i] > d2[i + 1] ? d2[i] : d2[i + 1]);
    double knots = ldexp(fabs(p->knot[i].x) + fabs(p->knot[i + 1].x), -24);
    p->knot[i].err = (float)(1.001 * (chord + knots)) * (1.0f + 0x1p-20f);
  }
  p->knot[SG_RANK_N].err = 0;
}

uint64_t sg_powerlaw_rank(const sg_powerlaw *p, double u)
{
  double t = u * SG_RANK_N;
  int i = (int)t;
  i = i < SG_RANK_N ? i : SG_RANK_N - 1;
  double x0 = p->knot[i].x, x1 = p->knot[i + 1].x;
  double x = x0 + (t - i) * (x1 - x0);
  double e = p->knot[i].err + 1e-13 * x; /* and this sum's rounding */
  if (!isfinite(e) || floor(x - p->offset - e) != floor(x - p->offset + e))
    x = pow(p->lo + u * p->span, 1.0 / p->a);
  double r = x - p->offset;
  uint64_t rank = r < 1.0 ? 0 : (uint64_t)r;
  return rank < p->n ? rank : p->n - 1;
}

double sg_powerlaw_share(const sg_powerlaw *p, uint64_t rank)
{
  return (pow((double)rank + p->offset, p->a) - p->lo) / p->span;
}
