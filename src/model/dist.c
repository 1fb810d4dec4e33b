/* dist.c - inverse CDFs solved numerically, and quantile tables (dist.h).
 *
 * Each table point is the exact quantile at Phi(z). Lower halves are solved
 * from the lower tail and upper halves from the upper tail, so neither end
 * loses precision to 1 - p. */
#include "spotgen/model/dist.h"

#include <math.h>
#include <stddef.h>

#define SQRT1_2 0.70710678118654752440
#define SQRT2PI 2.50662827463100050242

double sg_norm_cdf(double x) { return 0.5 * erfc(-x * SQRT1_2); }

/* Phi^-1(p) for p <= 0.5: a rational first guess (Abramowitz and Stegun
 * 26.2.23, error below 4.5e-4), then Halley steps on erfc, which is accurate
 * deep in the lower tail. */
static double norm_lower_quantile(double p)
{
  double t = sqrt(-2.0 * log(p));
  double x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                       (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (int i = 0; i < 4; i++) {
    double e = sg_norm_cdf(x) - p;
    double u = e * SQRT2PI * exp(0.5 * x * x);
    x -= u / (1.0 + 0.5 * x * u);
  }
  return x;
}

/* The x with Phi(x) = p and 1 - Phi(x) = q (p + q = 1), from the smaller. */
static double norm_quantile_pq(double p, double q)
{
  return p <= 0.5 ? norm_lower_quantile(p) : -norm_lower_quantile(q);
}

double sg_norm_quantile(double p) { return norm_quantile_pq(p, 1.0 - p); }

#define NORMAL_BITS 14
#define NORMAL_N (1u << NORMAL_BITS)
#define NORMAL_TAIL (NORMAL_N >> 10) /* bins solved exactly at either end */

static double normal_table[NORMAL_N + 1];
static int normal_ready;

void sg_normal_init(void)
{
  if (normal_ready)
    return;
  for (unsigned i = 1; i < NORMAL_N; i++) {
    double p = (double)i / NORMAL_N;
    normal_table[i] = norm_quantile_pq(p, (double)(NORMAL_N - i) / NORMAL_N);
  }
  normal_ready = 1;
}

double sg_normal_u32(uint32_t u)
{
  uint32_t bin = u >> (32 - NORMAL_BITS);
  if (bin < NORMAL_TAIL || bin >= NORMAL_N - NORMAL_TAIL) {
    double p = ((double)u + 0.5) * (1.0 / 4294967296.0);
    return norm_quantile_pq(p, ((double)(UINT32_MAX - u) + 0.5) * (1.0 / 4294967296.0));
  }
  double f = ((double)(u & ((1u << (32 - NORMAL_BITS)) - 1)) + 0.5) * (1.0 / (1u << (32 - NORMAL_BITS)));
  return normal_table[bin] + f * (normal_table[bin + 1] - normal_table[bin]);
}

/* Continued fraction of the incomplete beta (modified Lentz). */
static double beta_cf(double a, double b, double x)
{
  const double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  d = 1.0 / (fabs(d) < tiny ? tiny : d);
  double h = d;
  for (int m = 1; m <= 1000; m++) {
    double aa = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1.0 + aa * d;
    c = 1.0 + aa / c;
    d = 1.0 / (fabs(d) < tiny ? tiny : d);
    c = fabs(c) < tiny ? tiny : c;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1.0 + aa * d;
    c = 1.0 + aa / c;
    d = 1.0 / (fabs(d) < tiny ? tiny : d);
    c = fabs(c) < tiny ? tiny : c;
    double del = d * c;
    h *= del;
    if (fabs(del - 1.0) < 1e-15)
      break;
  }
  return h;
}

static double lbeta(double a, double b) { return lgamma(a) + lgamma(b) - lgamma(a + b); }

/* I_x(a, b) given lb = log B(a, b); *front = x^a (1-x)^b / B(a, b). */
static double beta_cdf_front(double x, double a, double b, double lb, double *front)
{
  *front = 0;
  if (x <= 0)
    return 0;
  if (x >= 1)
    return 1;
  *front = exp(a * log(x) + b * log1p(-x) - lb);
  if (x < (a + 1.0) / (a + b + 2.0))
    return *front * beta_cf(a, b, x) / a;
  return 1.0 - *front * beta_cf(b, a, 1.0 - x) / b;
}

double sg_beta_cdf(double x, double a, double b)
{
  double front;
  return beta_cdf_front(x, a, b, lbeta(a, b), &front);
}

/* Where the previous table point's solve ended: its y, p, dI/dy and
 * d2I/dy2 / dI/dy. */
typedef struct beta_hint {
  double y, p, slope, bend;
} beta_hint;

/* The x with I_x(a, b) = p, for p <= 0.5, solved in y = log x: the lower
 * quantiles of a Beta with a < 1 are astronomically small, and I_x grows
 * like x^a, nearly linear in log x. The start is the second-order Taylor
 * step off the previous table point; Halley's steps follow, kept inside a
 * shrinking bracket by bisection. A step under 1e-6 leaves an error of the
 * order of its cube, below the rounding of I_x itself, so one evaluation
 * of I_x usually does. */
static double beta_lower_quantile(double p, double a, double b, double lb, beta_hint *hint)
{
  double ylo = -745.0, yhi = 0.0;
  double y = 1.0;
  if (hint->slope > 0) {
    double dp = p - hint->p, dy = dp / hint->slope;
    y = hint->y + dy - 0.5 * hint->bend * dy * dy;
  }
  if (!(y > ylo && y < yhi)) {
    /* I_x ~ x^a / (a B(a,b)) for small x */
    y = (log(p) + log(a) + lb) / a;
    if (!(y > ylo && y < yhi))
      y = log(a / (a + b));
  }
  double slope = 0, bend = 0;
  for (int i = 0; i < 200; i++) {
    double x = exp(y), front;
    double f = beta_cdf_front(x, a, b, lb, &front) - p;
    if (f < 0)
      ylo = y;
    else
      yhi = y;
    slope = front / (1.0 - x);           /* dI/dy = x^a (1-x)^(b-1) / B */
    bend = a - (b - 1.0) * x / (1.0 - x); /* d log(dI/dy) / dy */
    double step = f / slope;
    step /= 1.0 - 0.5 * step * bend;
    if (fabs(step) < 1e-6) { /* the last step: what it leaves is of the order of its cube */
      y -= step;
      break;
    }
    double next = y - step;
    if (!(next > ylo && next < yhi))
      next = 0.5 * (ylo + yhi);
    y = next;
    if (yhi - ylo < 1e-13)
      break;
  }
  *hint = (beta_hint){y, p, slope, bend};
  return exp(y);
}

int sg_beta_shape(double mean, double sd, double *a, double *b)
{
  if (!(mean > 0 && mean < 1 && sd > 0))
    return -1;
  double nu = mean * (1.0 - mean) / (sd * sd) - 1.0;
  if (!(nu > 0))
    return -1;
  *a = mean * nu;
  *b = (1.0 - mean) * nu;
  return 0;
}

/* The family's own mean and sd, from the whole distribution's (see
 * sg_marginal): what remains once the point mass at zero, the floor or
 * the peak is taken out. @return 0, or -1 when nothing remains. */
static int family_moments(const sg_marginal *m, double *mean, double *sd)
{
  double m2 = m->sd * m->sd + m->mean * m->mean, fm = m->mean, fv = m->sd * m->sd;
  if (m->kind == SG_DIST_BETA) {
    fm = m->mean / (1.0 - m->zero);                /* of the values above zero */
    fv = m2 / (1.0 - m->zero) - fm * fm;
    fm = (fm - m->floor) / (1.0 - m->floor);       /* stretched back onto [0, 1] */
    fv /= (1.0 - m->floor) * (1.0 - m->floor);
  } else if (m->kind == SG_DIST_TNORMAL && m->peak > 0) {
    double q = m->peak;
    fm = (m->mean - q * m->peak_at) / (1.0 - q);
    fv = (m2 - q * (m->peak_sd * m->peak_sd + m->peak_at * m->peak_at)) / (1.0 - q) - fm * fm;
  }
  if (!(fv > 0) || !isfinite(fm))
    return -1;
  *mean = fm;
  *sd = sqrt(fv);
  return 0;
}

double sg_knot_p(int i)
{
  if (i <= 0)
    return 0.0;
  if (i >= SG_QKNOTS - 1)
    return 1.0;
  return sg_norm_cdf(-SG_QKNOT_Z + 2.0 * SG_QKNOT_Z * i / (SG_QKNOTS - 1));
}

void sg_knots_moments(const double *q, double *mean, double *sd)
{
  double s1 = 0, s2 = 0; /* of a + (b - a) t over each interval, by its width in p */
  for (int i = 0; i + 1 < SG_QKNOTS; i++) {
    double a = q[i], b = q[i + 1], w = sg_knot_p(i + 1) - sg_knot_p(i);
    s1 += w * 0.5 * (a + b);
    s2 += w * (a * a + a * b + b * b) / 3.0;
  }
  *mean = s1;
  *sd = sqrt(fmax(0.0, s2 - s1 * s1));
}

double sg_knots_at(const double *q, double p, double z)
{
  double u = (z + SG_QKNOT_Z) * ((SG_QKNOTS - 1) / (2.0 * SG_QKNOT_Z));
  int i = !(u > 0) ? 0 : u >= SG_QKNOTS - 2 ? SG_QKNOTS - 2 : (int)u;
  double lo = sg_knot_p(i), hi = sg_knot_p(i + 1);
  double f = (p - lo) / (hi - lo);
  f = f < 0 ? 0 : f > 1 ? 1 : f;
  return q[i] + f * (q[i + 1] - q[i]);
}

/* A sample's quantiles: finite, in order, inside the column's range, not all one value. */
static const char *knots_check(const sg_marginal *m)
{
  for (int i = 0; i < SG_QKNOTS; i++) {
    double x = m->knots[i];
    if (!isfinite(x) || x < m->lo || x > m->hi)
      return "every quantile must be a number inside the column's range";
    if (i > 0 && x < m->knots[i - 1])
      return "the quantiles must not decrease";
  }
  if (!(m->knots[SG_QKNOTS - 1] > m->knots[0]))
    return "the quantiles are all one value (the sd must be positive)";
  return NULL;
}

const char *sg_marginal_check(const sg_marginal *m)
{
  double a, b, fm, fs;
  if (m->knots)
    return knots_check(m);
  if (!isfinite(m->mean) || !isfinite(m->sd) || !(m->sd > 0))
    return "the sd must be positive";
  if (!(m->zero >= 0 && m->zero <= 0.95) || !(m->floor >= 0 && m->floor <= 0.5) ||
      !(m->peak >= 0 && m->peak <= 0.9))
    return "zero must lie in 0 .. 0.95, floor in 0 .. 0.5 and peak in 0 .. 0.9";
  if (m->kind != SG_DIST_BETA && (m->zero > 0 || m->floor > 0))
    return "zero and floor apply to the 0 .. 1 features only";
  if (m->kind != SG_DIST_TNORMAL && m->peak > 0)
    return "a peak applies to tempo only";
  if (m->peak > 0 && !(m->peak_sd > 0 && m->peak_at > m->lo && m->peak_at < m->hi))
    return "a peak needs peak_sd > 0 and peak_at inside the column's range";
  switch (m->kind) {
  case SG_DIST_BETA:
    if (!(m->mean > 0 && m->mean < 1))
      return "the mean must lie strictly between 0 and 1";
    if (family_moments(m, &fm, &fs) != 0 || sg_beta_shape(fm, fs, &a, &b) != 0)
      return m->zero > 0 || m->floor > 0
                 ? "no Beta above the zero share and floor has this mean and sd (lower the sd, "
                   "the zero share or the floor)"
                 : "the sd must be positive and below sqrt(mean * (1 - mean))";
    if (a < 0.01 || b < 0.01)
      return "the sd is too close to sqrt(mean * (1 - mean)) (a Beta shape below 0.01)";
    return NULL;
  case SG_DIST_TNORMAL:
  case SG_DIST_TLOGNORMAL:
  case SG_DIST_RLOGNORMAL:
    if (m->kind == SG_DIST_TLOGNORMAL && !(m->mean > 0))
      return "the mean must be positive";
    if (!(m->mean > m->lo && m->mean < m->hi))
      return "the mean must lie inside the column's range";
    if (family_moments(m, &fm, &fs) != 0)
      return "the peak leaves no spread for the rest (lower the peak's share or sd, or raise the sd)";
    return NULL;
  }
  return "unknown distribution";
}

/* Truncated normal (mu, sigma) on [lo, hi] at latent z. */
static double tnormal_at(double mu, double sigma, double lo, double hi, double z)
{
  double pa = sg_norm_cdf((lo - mu) / sigma), qb = sg_norm_cdf(-(hi - mu) / sigma);
  double mass = 1.0 - pa - qb;
  double p = pa + sg_norm_cdf(z) * mass, q = qb + sg_norm_cdf(-z) * mass;
  double x = mu + sigma * norm_quantile_pq(p, q);
  return x < lo ? lo : x > hi ? hi : x;
}

/* A mixture of two normals, share w of (mu1, s1), truncated to [lo, hi]. */
typedef struct mix2 {
  double w, mu1, s1, mu2, s2, lo, hi;
} mix2;

/* Its lower (or, `upper`, upper) tail mass at x before truncation, and
 * its density there. */
static double mix2_tail(const mix2 *k, double x, int upper, double *density)
{
  double u1 = (x - k->mu1) / k->s1, u2 = (x - k->mu2) / k->s2;
  *density = (k->w * exp(-0.5 * u1 * u1) / k->s1 + (1.0 - k->w) * exp(-0.5 * u2 * u2) / k->s2) /
             SQRT2PI;
  if (upper)
    return k->w * sg_norm_cdf(-u1) + (1.0 - k->w) * sg_norm_cdf(-u2);
  return k->w * sg_norm_cdf(u1) + (1.0 - k->w) * sg_norm_cdf(u2);
}

/* The mixture's quantile at latent z: Newton's steps on the tail that is
 * small there (so neither end loses precision to 1 - p), kept inside a
 * shrinking bracket by bisection, from `*hint` (the previous point's x). */
static double mix2_at(const mix2 *k, double z, double *hint)
{
  double d, below = mix2_tail(k, k->lo, 0, &d), above = mix2_tail(k, k->hi, 1, &d);
  double mass = 1.0 - below - above;
  int upper = z > 0;
  double want = upper ? above + sg_norm_cdf(-z) * mass : below + sg_norm_cdf(z) * mass;
  double lo = k->lo, hi = k->hi, x = *hint > lo && *hint < hi ? *hint : 0.5 * (lo + hi);
  for (int i = 0; i < 200 && hi - lo > 1e-12 * (k->hi - k->lo); i++) {
    double f = mix2_tail(k, x, upper, &d) - want; /* rises with x below, falls above */
    if (upper)
      f = -f;
    if (f < 0)
      lo = x;
    else
      hi = x;
    double next = d > 0 ? x - f / d : 0.5 * (lo + hi);
    if (fabs(next - x) < 1e-10 * (k->hi - k->lo)) {
      x = next;
      break;
    }
    x = next > lo && next < hi ? next : 0.5 * (lo + hi);
  }
  x = x < k->lo ? k->lo : x > k->hi ? k->hi : x;
  *hint = x;
  return x;
}

/* Beta quantile tables with a share `zero` at 0 and the rest stretched over
 * [floor, 1]: the point at (p, q = 1 - p), solving from the smaller tail of
 * the rest. The lower half's points always solve from below; the upper
 * half's from above, or from below (with its own hint) where the zero share
 * moves them under the middle. */
typedef struct beta_table {
  double a, b, lb, zero, floor;
  beta_hint lo, hi, mid;
} beta_table;

static double beta_table_at(beta_table *t, double p, double q, int upper_half)
{
  if (p <= t->zero)
    return 0.0;
  double pr = (p - t->zero) / (1.0 - t->zero), qr = q / (1.0 - t->zero), x;
  if (pr <= 0.5)
    x = beta_lower_quantile(pr, t->a, t->b, t->lb, upper_half ? &t->mid : &t->lo);
  else
    x = 1.0 - beta_lower_quantile(qr, t->b, t->a, t->lb, &t->hi);
  return t->floor + (1.0 - t->floor) * x;
}

void sg_qtable_build(const sg_marginal *m, sg_qtable *t)
{
  if (m->knots) {
    for (int i = 0; i <= SG_QT_N; i++)
      t->x[i] = sg_knots_at(m->knots, sg_norm_cdf(sg_qtable_z(i)), sg_qtable_z(i));
    return;
  }
  double fm = m->mean, fs = m->sd, mu = 0, sigma = 0, lo_hint = 0, hi_hint = 0;
  family_moments(m, &fm, &fs);
  beta_table bt = {0, 0, 0, m->zero, m->floor, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
  mix2 mix = {m->peak, m->peak_at, m->peak_sd, fm, fs, m->lo, m->hi};
  if (m->kind == SG_DIST_BETA) {
    sg_beta_shape(fm, fs, &bt.a, &bt.b);
    bt.lb = lbeta(bt.a, bt.b);
  }
  if (m->kind == SG_DIST_TLOGNORMAL) {
    sigma = sqrt(log1p(fs * fs / (fm * fm)));
    mu = log(fm) - 0.5 * sigma * sigma;
  }
  if (m->kind == SG_DIST_RLOGNORMAL) { /* of the depth below hi */
    double depth = m->hi - fm;
    sigma = sqrt(log1p(fs * fs / (depth * depth)));
    mu = log(depth) - 0.5 * sigma * sigma;
  }
  /* Lower half upward and upper half downward, so each solve starts from
   * its neighbour's answer. */
  for (int i = 0; i <= SG_QT_N / 2; i++) {
    int up = SG_QT_N - i;
    double zl = sg_qtable_z(i), zu = sg_qtable_z(up);
    switch (m->kind) {
    case SG_DIST_BETA:
      t->x[i] = beta_table_at(&bt, sg_norm_cdf(zl), sg_norm_cdf(-zl), 0);
      t->x[up] = beta_table_at(&bt, sg_norm_cdf(zu), sg_norm_cdf(-zu), 1);
      break;
    case SG_DIST_TNORMAL:
      if (m->peak > 0) {
        t->x[i] = mix2_at(&mix, zl, &lo_hint);
        t->x[up] = mix2_at(&mix, zu, &hi_hint);
      } else {
        t->x[i] = tnormal_at(fm, fs, m->lo, m->hi, zl);
        t->x[up] = tnormal_at(fm, fs, m->lo, m->hi, zu);
      }
      break;
    case SG_DIST_TLOGNORMAL:
      t->x[i] = exp(tnormal_at(mu, sigma, log(m->lo), log(m->hi), zl));
      t->x[up] = exp(tnormal_at(mu, sigma, log(m->lo), log(m->hi), zu));
      break;
    case SG_DIST_RLOGNORMAL: /* a high latent value is a small depth */
      t->x[i] = m->hi - exp(tnormal_at(mu, sigma, -INFINITY, log(m->hi - m->lo), -zl));
      t->x[up] = m->hi - exp(tnormal_at(mu, sigma, -INFINITY, log(m->hi - m->lo), -zu));
      break;
    }
  }
}
