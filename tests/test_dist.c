/* Distributions, quantile tables, the copula's calibration and the config:
 * known answers for the normal and Beta functions, tables that are monotone
 * and have the configured moments, sampled correlations that meet the
 * whole-dataset targets, and config errors that name their key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/model/dist.h"
#include "spotgen/model/rng.h"
#include "support.h"

static void normal_quantile_matches_known_values(void **state)
{
  (void)state;
  assert_float_equal(sg_norm_quantile(0.975), 1.959963984540054, 1e-12);
  assert_float_equal(sg_norm_quantile(0.5), 0.0, 1e-14);
  assert_float_equal(sg_norm_quantile(1e-10), -6.361340902404056, 1e-10);
  assert_float_equal(sg_norm_quantile(0.9999), 3.719016485455709, 1e-9);
  for (double p = 0.001; p < 1; p += 0.0173)
    assert_float_equal(sg_norm_cdf(sg_norm_quantile(p)), p, 1e-13);
}

static void beta_cdf_matches_closed_forms(void **state)
{
  (void)state;
  assert_float_equal(sg_beta_cdf(0.5, 2, 3), 0.6875, 1e-13);  /* sum of binomial terms */
  assert_float_equal(sg_beta_cdf(0.3, 1, 1), 0.3, 1e-14);
  assert_float_equal(sg_beta_cdf(0.3, 0.5, 0.5), 2.0 / M_PI * asin(sqrt(0.3)), 1e-12); /* arcsine */
  assert_float_equal(sg_beta_cdf(0.2, 1, 4), 1 - pow(0.8, 4), 1e-13);
  assert_float_equal(sg_beta_cdf(0.9, 3, 0.2) + sg_beta_cdf(0.1, 0.2, 3), 1.0, 1e-12); /* symmetry */
}

/* The table's values under the latent normal: monotone, with the marginal's mean and sd. */
static void check_table(const sg_marginal *m, double want_mean, double want_sd, double tol)
{
  static sg_qtable t;
  sg_qtable_build(m, &t);
  double w = 0, s1 = 0, s2 = 0;
  for (int i = 0; i <= SG_QT_N; i++) {
    if (i > 0)
      assert_true(t.x[i] >= t.x[i - 1]);
    double z = sg_qtable_z(i), p = exp(-0.5 * z * z);
    w += p;
    s1 += p * t.x[i];
    s2 += p * t.x[i] * t.x[i];
  }
  double mean = s1 / w, sd = sqrt(s2 / w - mean * mean);
  assert_float_equal(mean, want_mean, tol);
  assert_float_equal(sd, want_sd, tol);
  assert_true(t.x[0] >= m->lo - 1e-12 || m->kind == SG_DIST_BETA);
}

static void quantile_tables_are_monotone_with_the_configured_moments(void **state)
{
  (void)state;
  sg_marginal beta = {SG_DIST_BETA, 0.8, 0.15, 0, 1};
  check_table(&beta, 0.8, 0.15, 2e-4);
  sg_marginal skewed = {SG_DIST_BETA, 0.04, 0.12, 0, 1}; /* shape a < 0.1: heavy right skew */
  check_table(&skewed, 0.04, 0.12, 2e-3);
  sg_marginal tempo = {SG_DIST_TNORMAL, 120, 26, 40, 220}; /* truncation 3 sd away: nearly normal */
  check_table(&tempo, 120, 26, 0.5);
  /* the median of Beta(2, 3) solves I_x(2,3) = 1/2 */
  static sg_qtable t;
  double a, b;
  assert_int_equal(sg_beta_shape(0.4, 0.2, &a, &b), 0);
  assert_float_equal(a, 2.0, 1e-12);
  assert_float_equal(b, 3.0, 1e-12);
  sg_marginal b23 = {SG_DIST_BETA, 0.4, 0.2, 0, 1};
  sg_qtable_build(&b23, &t);
  assert_float_equal(sg_beta_cdf(sg_qtable_eval(&t, 0.0), 2, 3), 0.5, 1e-10);
  assert_float_equal(sg_beta_cdf(sg_qtable_eval(&t, sg_qtable_z(100)), 2, 3), sg_norm_cdf(sg_qtable_z(100)), 1e-10);
}

/* Every point of a Beta table is the quantile at Phi(z): I_x(a, b) = Phi(z)
 * to 1e-10 of the tail's mass, about what rounding x itself allows where the
 * upper half is stored as 1 - q (0.3.0's solver missed by 3e-9; rows
 * interpolate linearly between points, which is coarser: about 1e-5). */
static void every_beta_table_point_is_the_quantile_at_its_z(void **state)
{
  (void)state;
  static const double MOMENTS[][2] = {{0.8, 0.15}, {0.04, 0.12}, {0.4, 0.2}, {0.5, 0.05}, {0.2, 0.3}};
  static sg_qtable t;
  for (size_t k = 0; k < sizeof MOMENTS / sizeof MOMENTS[0]; k++) {
    sg_marginal m = {SG_DIST_BETA, MOMENTS[k][0], MOMENTS[k][1], 0, 1};
    double a, b;
    assert_int_equal(sg_beta_shape(m.mean, m.sd, &a, &b), 0);
    sg_qtable_build(&m, &t);
    for (int i = 0; i <= SG_QT_N; i++) {
      double z = sg_qtable_z(i), p = sg_norm_cdf(z), tail = p < 0.5 ? p : 1.0 - p;
      double x = t.x[i];
      if (x <= 1e-300 || 1.0 - x <= 1e-6)
        continue; /* x too near 0 or 1 for a double to resolve its tail */
      if (!(fabs(sg_beta_cdf(x, a, b) - p) <= 1e-10 * tail + 4e-16)) /* and p's own rounding */
        fail_msg("Beta(%g, %g) point %d: I(%.17g) = %.17g, want %.17g", a, b, i, x,
                 sg_beta_cdf(x, a, b), p);
    }
  }
}

static void sampled_copula_meets_the_whole_dataset_correlation_targets(void **state)
{
  (void)state;
  const sg_config *cfg = test_config();
  const sg_copula *cp = test_copula();
  enum { N = 400000 };
  static const int PAIRS[][2] = {{SG_F_ENERGY, SG_F_LOUDNESS}, {SG_F_ENERGY, SG_F_ACOUSTICNESS},
                                 {SG_F_DANCEABILITY, SG_F_VALENCE}, {SG_F_ENERGY, SG_F_TEMPO}};
  double sx[4] = {0}, sy[4] = {0}, sxx[4] = {0}, syy[4] = {0}, sxy[4] = {0};
  sg_rng r;
  sg_rng_init(&r, 9, 99, 0);
  for (int i = 0; i < N; i++) {
    double u = sg_rng_u01(&r), acc = 0, eps[SG_NFEAT], x[SG_NFEAT];
    int cat = 0;
    while (cat < SG_NCAT - 1 && u >= (acc += cfg->share[cat]))
      cat++;
    for (int f = 0; f < SG_NFEAT; f++)
      eps[f] = sg_norm_quantile(sg_rng_u01(&r));
    sg_copula_draw(cp, cat, eps, x);
    for (int k = 0; k < 4; k++) {
      double a = x[PAIRS[k][0]], b = x[PAIRS[k][1]];
      sx[k] += a, sy[k] += b, sxx[k] += a * a, syy[k] += b * b, sxy[k] += a * b;
    }
  }
  for (int k = 0; k < 4; k++) {
    double cov = sxy[k] / N - sx[k] / N * sy[k] / N;
    double rr = cov / sqrt((sxx[k] / N - pow(sx[k] / N, 2)) * (syy[k] / N - pow(sy[k] / N, 2)));
    assert_float_equal(rr, cfg->corr[PAIRS[k][0]][PAIRS[k][1]], 0.01);
  }
}

static void config_json_round_trips_exactly(void **state)
{
  (void)state;
  sg_config a, b;
  sg_config_default(&a);
  a.profile[2][SG_F_TEMPO].mean = 123.456;
  a.corr[SG_F_ENERGY][SG_F_VALENCE] = a.corr[SG_F_VALENCE][SG_F_ENERGY] = 0.123456789;
  a.artists = 31337;
  cJSON *doc = sg_config_json(&a);
  sg_config_default(&b);
  assert_int_equal(sg_config_apply(&b, doc, "test"), SG_OK);
  cJSON_Delete(doc);
  assert_memory_equal(&a, &b, sizeof a);
}

static void config_errors_name_the_key(void **state)
{
  (void)state;
  static const char *const CASES[][2] = {
    {"{\"catalog\": {\"artists\": -1}}", "catalog.artists"},
    {"{\"catalog\": {\"artists\": 1.5}}", "whole number"},
    {"{\"categories\": {\"jazz\": {}}}", "categories.jazz: unknown category"},
    {"{\"categories\": {\"party\": {\"loudness\": {\"mean\": -5}}}}", "loudness follows energy"},
    {"{\"categories\": {\"party\": {\"tempo\": {\"mean\": 300}}}}", "categories.party.tempo"},
    {"{\"correlations\": {\"energy\": {\"energy\": 0.5}}}", "with itself"},
    {"{\"correlations\": {\"energy\": {\"valence\": 1.0}}}", "strictly between -1 and 1"},
    {"{\"loudness\": {\"intercept_db\": -5, \"slope_db\": 20}}", "loudness"},
    {"[1, 2]", "must be a JSON object"},
    {"{\"popularity\": {\"noise\": 3}}", "popularity.noise: unknown key"},
  };
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    sg_config c;
    sg_config_default(&c);
    sg_clearerr();
    assert_int_equal(sg_config_apply_json(&c, CASES[i][0], "t.json"), SG_EUSAGE);
    if (!strstr(sg_errmsg(SG_EUSAGE), CASES[i][1]) || !strstr(sg_errmsg(SG_EUSAGE), "t.json"))
      fail_msg("%s gives '%s', expected it to name '%s'", CASES[i][0], sg_errmsg(SG_EUSAGE), CASES[i][1]);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(normal_quantile_matches_known_values),
    cmocka_unit_test(beta_cdf_matches_closed_forms),
    cmocka_unit_test(quantile_tables_are_monotone_with_the_configured_moments),
    cmocka_unit_test(every_beta_table_point_is_the_quantile_at_its_z),
    cmocka_unit_test(sampled_copula_meets_the_whole_dataset_correlation_targets),
    cmocka_unit_test(config_json_round_trips_exactly),
    cmocka_unit_test(config_errors_name_the_key),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
