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
  sg_marginal beta = {.kind = SG_DIST_BETA, .mean = 0.8, .sd = 0.15, .lo = 0, .hi = 1};
  check_table(&beta, 0.8, 0.15, 2e-4);
  sg_marginal skewed = {.kind = SG_DIST_BETA, .mean = 0.04, .sd = 0.12, .lo = 0, .hi = 1}; /* shape a < 0.1: heavy right skew */
  check_table(&skewed, 0.04, 0.12, 2e-3);
  sg_marginal tempo = {.kind = SG_DIST_TNORMAL, .mean = 120, .sd = 26, .lo = 40, .hi = 220}; /* truncation 3 sd away: nearly normal */
  check_table(&tempo, 120, 26, 0.5);
  /* the median of Beta(2, 3) solves I_x(2,3) = 1/2 */
  static sg_qtable t;
  double a, b;
  assert_int_equal(sg_beta_shape(0.4, 0.2, &a, &b), 0);
  assert_float_equal(a, 2.0, 1e-12);
  assert_float_equal(b, 3.0, 1e-12);
  sg_marginal b23 = {.kind = SG_DIST_BETA, .mean = 0.4, .sd = 0.2, .lo = 0, .hi = 1};
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
    sg_marginal m = {.kind = SG_DIST_BETA, .mean = MOMENTS[k][0], .sd = MOMENTS[k][1], .lo = 0, .hi = 1};
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

/* The fine structure: a zero share puts exactly that share of the latent
 * mass at 0, a floor is the least value, a peak adds its share near its
 * centre, and 0 dB minus a log-normal is skewed left; the whole keeps the
 * configured mean and sd in every case. */
static void fine_structure_keeps_the_moments_and_shows_its_shape(void **state)
{
  (void)state;
  static sg_qtable t;
  sg_marginal inst = {.kind = SG_DIST_BETA, .mean = 0.14, .sd = 0.25, .lo = 0, .hi = 1, .zero = 0.3};
  check_table(&inst, 0.14, 0.25, 2e-3);
  sg_qtable_build(&inst, &t);
  for (int i = 0; i <= SG_QT_N; i++) {
    double p = sg_norm_cdf(sg_qtable_z(i));
    if (p < 0.3 - 1e-12)
      assert_true(t.x[i] == 0);
    if (p > 0.3 + 1e-12)
      assert_true(t.x[i] > 0);
  }
  sg_marginal speech = {.kind = SG_DIST_BETA, .mean = 0.09, .sd = 0.055, .lo = 0, .hi = 1, .floor = 0.022};
  check_table(&speech, 0.09, 0.055, 1e-3);
  sg_qtable_build(&speech, &t);
  assert_true(t.x[0] >= 0.022 && t.x[0] < 0.0221);
  sg_marginal tempo = {.kind = SG_DIST_TNORMAL, .mean = 122, .sd = 26, .lo = 40, .hi = 220,
                       .peak = 0.3, .peak_at = 124, .peak_sd = 2.5};
  check_table(&tempo, 122, 26, 0.7); /* the rest's wider normal (sd 31) loses a little at 40 BPM */
  sg_qtable_build(&tempo, &t);
  double in = 0, w = 0; /* latent mass mapped into 120 .. 128 */
  for (int i = 0; i < SG_QT_N; i++) {
    double z = sg_qtable_z(i), p = exp(-0.5 * z * z);
    w += p;
    in += p * (t.x[i] >= 120 && t.x[i] < 128);
  }
  assert_true(in / w > 0.3 * 0.85 + 0.7 * 0.12 - 0.02); /* the peak's mass there and the rest's */
  sg_marginal loud = {.kind = SG_DIST_RLOGNORMAL, .mean = -8, .sd = 4.4, .lo = -60, .hi = 0};
  check_table(&loud, -8, 4.4, 0.05);
  sg_qtable_build(&loud, &t);
  assert_true(t.x[SG_QT_N] <= 0 && t.x[0] >= -60);
  double q10 = sg_qtable_eval(&t, sg_norm_quantile(0.1)), q50 = sg_qtable_eval(&t, 0.0),
         q90 = sg_qtable_eval(&t, sg_norm_quantile(0.9));
  assert_true(q50 - q10 > 1.5 * (q90 - q50)); /* the quiet side reaches further */
  sg_marginal bad = {.kind = SG_DIST_TNORMAL, .mean = 120, .sd = 26, .lo = 40, .hi = 220, .zero = 0.1};
  assert_non_null(sg_marginal_check(&bad));
  bad = (sg_marginal){.kind = SG_DIST_BETA, .mean = 0.1, .sd = 0.1, .lo = 0, .hi = 1, .peak = 0.2};
  assert_non_null(sg_marginal_check(&bad));
  bad = (sg_marginal){.kind = SG_DIST_BETA, .mean = 0.03, .sd = 0.02, .lo = 0, .hi = 1, .floor = 0.04};
  assert_non_null(sg_marginal_check(&bad));
}

/* Inside each category, a pair it sets itself has that Pearson r among its
 * tracks; the model's prediction for its playlists' rows includes the
 * crossover and matches a sample of such rows. */
static void sampled_categories_meet_their_own_correlations(void **state)
{
  (void)state;
  const sg_config *cfg = test_config();
  const sg_copula *cp = test_copula();
  enum { N = 200000 };
  sg_rng r;
  sg_rng_init(&r, 9, 98, 0);
  int pairs = 0;
  for (int c = 0; c < SG_NCAT; c++)
    for (int f = 0; f < SG_NFEAT; f++)
      for (int g = f + 1; g < SG_NFEAT; g++) {
        double target = cfg->cat_corr[c][f][g];
        if (isnan(target))
          continue;
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < N; i++) {
          double eps[SG_NFEAT], x[SG_NFEAT];
          for (int k = 0; k < SG_NFEAT; k++)
            eps[k] = sg_norm_quantile(sg_rng_u01(&r));
          sg_copula_draw(cp, c, eps, x);
          sx += x[f], sy += x[g], sxx += x[f] * x[f], syy += x[g] * x[g], sxy += x[f] * x[g];
        }
        double cov = sxy / N - sx / N * sy / N;
        double rr = cov / sqrt((sxx / N - sx / N * sx / N) * (syy / N - sy / N * sy / N));
        if (fabs(rr - target) > 0.012)
          fail_msg("%s: r(%s, %s) = %.4f, want %.4f", sg_category_name(c), sg_features()[f].name,
                   sg_features()[g].name, rr, target);
        pairs++;
      }
  assert_true(pairs >= 5);
  /* and a shared pair differs between categories only through their marginals */
  assert_true(cp->latent[0][SG_F_ENERGY][SG_F_LOUDNESS] == cp->latent[1][SG_F_ENERGY][SG_F_LOUDNESS]);
  assert_true(cp->latent[1][SG_F_ACOUSTICNESS][SG_F_INSTRUMENTALNESS] !=
              cp->latent[0][SG_F_ACOUSTICNESS][SG_F_INSTRUMENTALNESS]);
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
  a.profile[1][SG_F_SPEECHINESS].floor = 0.0251;
  a.profile[3][SG_F_TEMPO].peak = 0.0777;
  a.cat_corr[4][SG_F_VALENCE][SG_F_TEMPO] = a.cat_corr[4][SG_F_TEMPO][SG_F_VALENCE] = -0.0123;
  a.cat_corr[1][SG_F_ACOUSTICNESS][SG_F_INSTRUMENTALNESS] = NAN;
  a.cat_corr[1][SG_F_INSTRUMENTALNESS][SG_F_ACOUSTICNESS] = NAN;
  for (int i = 0; i < SG_QKNOTS; i++) { /* empirical marginals, loudness's too */
    a.knots[2][SG_F_ENERGY][i] = 0.1 + 0.8 * i / (SG_QKNOTS - 1.0) + 1e-7 * (i % 3);
    a.knots[0][SG_F_LOUDNESS][i] = -30.0 + 29.0 * pow(i / (SG_QKNOTS - 1.0), 0.3);
  }
  a.quantiles[2][SG_F_ENERGY] = a.quantiles[0][SG_F_LOUDNESS] = 1;
  sg_knots_moments(a.knots[2][SG_F_ENERGY], &a.profile[2][SG_F_ENERGY].mean, &a.profile[2][SG_F_ENERGY].sd);
  sg_knots_moments(a.knots[0][SG_F_LOUDNESS], &a.profile[0][SG_F_LOUDNESS].mean,
                   &a.profile[0][SG_F_LOUDNESS].sd);
  cJSON *doc = sg_config_json(&a);
  sg_config_default(&b);
  assert_int_equal(sg_config_apply(&b, doc, "test"), SG_OK);
  cJSON_Delete(doc);
  assert_memory_equal(&a, &b, sizeof a); /* (NAN's bits included: one NAN is written) */
}

/* null in a category's correlations hands the pair back to the whole
 * dataset's target. */
static void a_category_pair_set_to_null_follows_the_whole(void **state)
{
  (void)state;
  sg_config c;
  sg_config_default(&c);
  assert_false(isnan(c.cat_corr[1][SG_F_ACOUSTICNESS][SG_F_INSTRUMENTALNESS]));
  assert_int_equal(sg_config_apply_json(&c, "{\"categories\": {\"sleep\": {\"correlations\": "
                                            "{\"acousticness\": {\"instrumentalness\": null}}}}}", "t.json"),
                   SG_OK);
  assert_true(isnan(c.cat_corr[1][SG_F_ACOUSTICNESS][SG_F_INSTRUMENTALNESS]));
  assert_true(isnan(c.cat_corr[1][SG_F_INSTRUMENTALNESS][SG_F_ACOUSTICNESS]));
}

/* An empirical marginal (fit's): a share exactly 0 and a uniform rest,
 * given as quantiles at the knots' p, comes out of the copula as that. */
static void knots_give_their_distribution(void **state)
{
  (void)state;
  double q[SG_QKNOTS];
  for (int i = 0; i < SG_QKNOTS; i++) { /* 30% at 0, the rest uniform on 0.2 .. 1 */
    double p = sg_knot_p(i);
    q[i] = p <= 0.3 ? 0.0 : 0.2 + 0.8 * (p - 0.3) / 0.7;
  }
  double mean, sd;
  sg_knots_moments(q, &mean, &sd);
  assert_float_equal(mean, 0.7 * 0.6, 1e-3);
  double second = 0.7 * (0.6 * 0.6 + 0.64 / 12);
  assert_float_equal(sd, sqrt(second - 0.42 * 0.42), 2e-3);
  sg_marginal m = {.kind = SG_DIST_BETA, .lo = 0, .hi = 1, .knots = q};
  assert_null(sg_marginal_check(&m));
  static sg_qtable t;
  sg_qtable_build(&m, &t);
  enum { N = 400000 };
  static double x[N];
  sg_rng r;
  sg_rng_init(&r, 5, 77, 0);
  sg_normal_init();
  size_t zeros = 0;
  for (int i = 0; i < N; i++) {
    x[i] = sg_qtable_eval(&t, sg_rng_normal(&r));
    zeros += x[i] == 0.0;
  }
  assert_float_equal((double)zeros / N, 0.3, 0.006); /* a knot's p apart, at most */
  size_t below = 0;
  for (int i = 0; i < N; i++)
    below += x[i] <= 0.6;
  assert_float_equal((double)below / N, 0.3 + 0.7 * 0.5, 0.005);
  /* out of order, out of range, all one value: refused */
  q[200] = q[199] - 0.01;
  assert_non_null(strstr(sg_marginal_check(&m), "must not decrease"));
  q[200] = 1.5;
  assert_non_null(strstr(sg_marginal_check(&m), "inside the column's range"));
  for (int i = 0; i < SG_QKNOTS; i++)
    q[i] = 0.5;
  assert_non_null(strstr(sg_marginal_check(&m), "all one value"));
}

/* sg_copula_fit: reachable Pearson r are met exactly; one beyond the
 * copula's reach goes to its end; a set that is no correlation matrix
 * together is moved until it is, and then builds. */
static void copula_fit_meets_what_it_can(void **state)
{
  (void)state;
  const sg_copula *cp = test_copula();
  double want[SG_NFEAT][SG_NFEAT], ident[SG_NFEAT][SG_NFEAT], got[SG_NFEAT][SG_NFEAT];
  for (int f = 0; f < SG_NFEAT; f++)
    for (int g = 0; g < SG_NFEAT; g++)
      want[f][g] = ident[f][g] = f == g;
  want[SG_F_ENERGY][SG_F_LOUDNESS] = want[SG_F_LOUDNESS][SG_F_ENERGY] = 0.7;
  want[SG_F_ENERGY][SG_F_ACOUSTICNESS] = want[SG_F_ACOUSTICNESS][SG_F_ENERGY] = -0.4;
  assert_int_equal(sg_copula_fit(cp->table[2], want, ident, got), 0);
  for (int f = 0; f < SG_NFEAT; f++)
    for (int g = 0; g < SG_NFEAT; g++)
      assert_float_equal(got[f][g], want[f][g], 1e-6);
  /* beyond reach: instrumentalness (a third exactly 0) cannot follow energy at r = 0.99 */
  want[SG_F_ENERGY][SG_F_INSTRUMENTALNESS] = want[SG_F_INSTRUMENTALNESS][SG_F_ENERGY] = 0.99;
  assert_true(sg_copula_fit(cp->table[2], want, ident, got) >= 1);
  assert_true(got[SG_F_ENERGY][SG_F_INSTRUMENTALNESS] < 0.99);
  assert_true(got[SG_F_ENERGY][SG_F_INSTRUMENTALNESS] > 0.2); /* 0.285: latent r 0.999 */
  /* not a correlation matrix together: energy with loudness and
   * danceability at 0.9, they with each other at -0.9 */
  want[SG_F_ENERGY][SG_F_INSTRUMENTALNESS] = want[SG_F_INSTRUMENTALNESS][SG_F_ENERGY] = 0;
  want[SG_F_ENERGY][SG_F_LOUDNESS] = want[SG_F_LOUDNESS][SG_F_ENERGY] = 0.9;
  want[SG_F_ENERGY][SG_F_DANCEABILITY] = want[SG_F_DANCEABILITY][SG_F_ENERGY] = 0.9;
  want[SG_F_LOUDNESS][SG_F_DANCEABILITY] = want[SG_F_DANCEABILITY][SG_F_LOUDNESS] = -0.9;
  assert_true(sg_copula_fit(cp->table[2], want, ident, got) >= 3);
  sg_config c;
  sg_config_default(&c);
  for (int k = 0; k < SG_NCAT; k++)
    memcpy(c.cat_corr[k], got, sizeof got);
  static sg_copula built;
  assert_int_equal(sg_copula_build(&built, &c, "test"), SG_OK);
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
    {"{\"loudness\": {\"sd_db\": 3.2}}", "loudness.sd_db: replaced in 0.12.0 by loudness.cv"},
    {"{\"categories\": {\"party\": {\"tempo\": {\"zero\": 0.2}}}}", "categories.party.tempo"},
    {"{\"categories\": {\"party\": {\"energy\": {\"peak\": 0.2}}}}", "a peak applies to tempo only"},
    {"{\"categories\": {\"party\": {\"energy\": {\"spike\": 0.2}}}}", "categories.party.energy.spike: unknown key"},
    {"{\"categories\": {\"sleep\": {\"correlations\": {\"energy\": {\"energy\": 0.2}}}}}", "with itself"},
    {"{\"categories\": {\"sleep\": {\"correlations\": {\"energy\": {\"tempo\": 2}}}}}", "categories.sleep.correlations.energy.tempo"},
    {"{\"categories\": {\"sleep\": {\"energy\": {\"quantiles\": [0.1, 0.2]}}}}", "categories.sleep.energy.quantiles: must be an array of 257 numbers"},
    {"{\"categories\": {\"sleep\": {\"energy\": {\"quantiles\": 3}}}}", "must be an array of 257"},
    {"{\"categories\": {\"sleep\": {\"loudness\": {\"quantiles\": [1]}}}}", "categories.sleep.loudness.quantiles"},
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
    cmocka_unit_test(fine_structure_keeps_the_moments_and_shows_its_shape),
    cmocka_unit_test(sampled_categories_meet_their_own_correlations),
    cmocka_unit_test(config_json_round_trips_exactly),
    cmocka_unit_test(a_category_pair_set_to_null_follows_the_whole),
    cmocka_unit_test(knots_give_their_distribution),
    cmocka_unit_test(copula_fit_meets_what_it_can),
    cmocka_unit_test(config_errors_name_the_key),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
