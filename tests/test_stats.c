/* Statistics merged part by part equal statistics computed in one pass over
 * all rows, and both equal a plain two-pass computation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/model/category.h"
#include "spotgen/model/model.h"
#include "support.h"
#include "spotgen/dataset/stats.h"

#define N 30000

static sg_row *make_rows(void)
{
  sg_row *rows = malloc(N * sizeof *rows);
  static sg_model m;
  test_model_init(&m, 7, N);
  for (uint64_t r = 0; r < N; r++)
    sg_model_row(&m, r, &rows[r]);
  return rows;
}

/* The rows of make_rows() and their statistics in one pass. */
static sg_row *rows_and_stats(sg_stats *s)
{
  sg_row *rows = make_rows();
  sg_stats_init(s);
  sg_stats_add(s, rows, N);
  return rows;
}

static void assert_close(double a, double b, double tol)
{
  if (!(fabs(a - b) <= tol * (1.0 + fabs(b))))
    fail_msg("%.17g differs from %.17g", a, b);
}

static void merged_parts_equal_one_pass_and_naive_two_pass(void **state)
{
  (void)state;
  sg_stats one, merged;
  sg_row *rows = rows_and_stats(&one);

  /* uneven parts, each added in small irregular batches */
  static const size_t CUTS[] = {0, 1, 777, 5000, 5001, 17000, 29999, N};
  sg_stats_init(&merged);
  for (size_t p = 0; p + 1 < sizeof CUTS / sizeof CUTS[0]; p++) {
    sg_stats part;
    sg_stats_init(&part);
    for (size_t i = CUTS[p]; i < CUTS[p + 1]; i += 333)
      sg_stats_add(&part, rows + i, CUTS[p + 1] - i < 333 ? CUTS[p + 1] - i : 333);
    sg_stats_merge(&merged, &part);
  }

  assert_int_equal(merged.rows, N);
  for (int j = 0; j < SG_NNUM; j++) {
    const sg_column *c = sg_schema_numeric(j);
    double sum = 0, lo = INFINITY, hi = -INFINITY;
    for (int r = 0; r < N; r++) {
      double v = sg_schema_value(c, &rows[r]);
      sum += v;
      lo = fmin(lo, v);
      hi = fmax(hi, v);
    }
    double mean = sum / N, m2 = 0, m3 = 0;
    for (int r = 0; r < N; r++) {
      double d = sg_schema_value(c, &rows[r]) - mean;
      m2 += d * d;
      m3 += d * d * d;
    }
    assert_close(merged.mean[j], mean, 1e-12);
    assert_close(one.mean[j], mean, 1e-12);
    assert_close(merged.comoment[j][j], m2, 1e-10);
    assert_close(one.comoment[j][j], m2, 1e-10);
    assert_close(merged.m3[j], m3, 1e-8 * (1 + fabs(m2)));
    assert_true(merged.min[j] == lo && merged.max[j] == hi);
    /* Pearson's r by the textbook's two passes, not by sg_stats_corr */
    for (int i = 0; i < SG_NNUM; i++) {
      const sg_column *ci = sg_schema_numeric(i);
      double si = 0, sij = 0, sii = 0;
      for (int r = 0; r < N; r++)
        si += sg_schema_value(ci, &rows[r]);
      for (int r = 0; r < N; r++) {
        double di = sg_schema_value(ci, &rows[r]) - si / N, dj = sg_schema_value(c, &rows[r]) - mean;
        sij += di * dj;
        sii += di * di;
      }
      if (sii == 0 || m2 == 0)
        continue;
      double want = sij / sqrt(sii * m2);
      assert_close(merged.comoment[i][j], sij, 1e-9 * (1 + sqrt(sii * m2)));
      assert_close(sg_stats_corr(&merged, i, j), want, 1e-10);
      assert_close(sg_stats_corr(&one, i, j), want, 1e-10);
    }
  }
  assert_memory_equal(merged.hist, one.hist, sizeof one.hist);
  assert_memory_equal(merged.cat_rows, one.cat_rows, sizeof one.cat_rows);
  assert_memory_equal(merged.year_rows, one.year_rows, sizeof one.year_rows);
  free(rows);
}

/* A category's correlations and the zero counts equal a plain two-pass
 * computation over that category's rows, merged or not; and the copula's
 * features are the numeric columns from SG_STAT_FEATURE on. */
static void per_category_correlations_and_zeros_equal_two_pass(void **state)
{
  (void)state;
  sg_stats one, merged;
  sg_row *rows = rows_and_stats(&one);
  sg_stats_init(&merged);
  for (size_t i = 0; i < N; i += 4999) {
    sg_stats part;
    sg_stats_init(&part);
    sg_stats_add(&part, rows + i, N - i < 4999 ? N - i : 4999);
    sg_stats_merge(&merged, &part);
  }
  for (int f = 0; f < SG_NFEAT; f++)
    assert_string_equal(sg_schema_numeric(SG_STAT_FEATURE + f)->name, sg_features()[f].name);
  for (int j = 0; j < SG_NNUM; j++) {
    uint64_t zeros = 0;
    for (int r = 0; r < N; r++)
      zeros += sg_schema_value(sg_schema_numeric(j), &rows[r]) == 0;
    assert_int_equal(merged.zeros[j], zeros);
  }
  assert_true(one.zeros[SG_STAT_FEATURE + SG_F_INSTRUMENTALNESS] > N / 10);
  for (int c = 0; c < SG_NCAT; c++)
    for (int f = 0; f < SG_NFEAT; f++)
      for (int g = 0; g < SG_NFEAT; g++) {
        const sg_column *cf = sg_schema_numeric(SG_STAT_FEATURE + f), *cg = sg_schema_numeric(SG_STAT_FEATURE + g);
        double n = 0, sf = 0, sg = 0;
        for (int r = 0; r < N; r++)
          if (rows[r].category == c) {
            n++;
            sf += sg_schema_value(cf, &rows[r]);
            sg += sg_schema_value(cg, &rows[r]);
          }
        double sfg = 0, sff = 0, sgg = 0;
        for (int r = 0; r < N; r++)
          if (rows[r].category == c) {
            double a = sg_schema_value(cf, &rows[r]) - sf / n, b = sg_schema_value(cg, &rows[r]) - sg / n;
            sfg += a * b;
            sff += a * a;
            sgg += b * b;
          }
        double want = sfg / sqrt(sff * sgg);
        assert_close(sg_stats_cat_corr(&one, c, f, g), want, 1e-9);
        assert_close(sg_stats_cat_corr(&merged, c, f, g), want, 1e-9);
      }
  free(rows);
}

/* The report draws each category's histogram: every one of them holds
 * exactly that category's rows, bin by bin where the bins are values. */
static void per_category_histograms_count_each_categorys_rows(void **state)
{
  (void)state;
  sg_stats s;
  sg_row *rows = rows_and_stats(&s);
  const int pop = 1; /* popularity_score: one bin per value */
  assert_string_equal(sg_schema_numeric(pop)->name, "popularity_score");
  uint64_t want[SG_NCAT][101] = {{0}};
  for (int r = 0; r < N; r++)
    want[rows[r].category][rows[r].popularity_score]++;
  for (int c = 0; c < SG_NCAT; c++) {
    assert_memory_equal(s.hist[c][pop], want[c], sizeof want[c]);
    for (int j = 0; j < SG_NNUM; j++) {
      uint64_t n = 0;
      for (int b = 0; b < SG_HIST_MAX; b++)
        n += s.hist[c][j][b];
      assert_int_equal(n, s.cat_rows[c]);
    }
  }
  uint64_t all[SG_HIST_MAX];
  sg_stats_hist(&s, pop, all);
  for (int v = 0; v <= 100; v++) {
    uint64_t n = 0;
    for (int c = 0; c < SG_NCAT; c++)
      n += want[c][v];
    assert_int_equal(all[v], n);
  }
  free(rows);
}

static void correlation_of_a_column_with_itself_is_one(void **state)
{
  (void)state;
  sg_stats s;
  sg_row *rows = rows_and_stats(&s);
  for (int j = 0; j < SG_NNUM; j++)
    if (s.comoment[j][j] > 0)
      assert_close(sg_stats_corr(&s, j, j), 1.0, 1e-12);
  free(rows);
}

static void integer_quantiles_are_exact(void **state)
{
  (void)state;
  sg_stats s;
  sg_row *rows = rows_and_stats(&s);
  /* popularity's median by counting */
  int count[101] = {0};
  for (int r = 0; r < N; r++)
    count[rows[r].popularity_score]++;
  int cum = 0, median = 0;
  for (int v = 0; v <= 100; v++) {
    cum += count[v];
    if (cum >= N / 2) {
      median = v;
      break;
    }
  }
  assert_true(sg_stats_quantile(&s, 1, 0.5) == median);
  free(rows);
}

/* verify sums what it parses; the generator sums the rows it holds: the
 * same statistics, bit for bit. */
static void stats_of_parsed_values_equal_stats_of_rows_exactly(void **state)
{
  (void)state;
  sg_stats from_rows, from_values;
  sg_row *rows = rows_and_stats(&from_rows);
  double (*x)[SG_NNUM] = malloc(N * sizeof *x);
  uint8_t *cat = malloc(N);
  int32_t *year = malloc(N * sizeof *year);
  for (int r = 0; r < N; r++) {
    for (int j = 0; j < SG_NNUM; j++)
      x[r][j] = sg_schema_value(sg_schema_numeric(j), &rows[r]);
    cat[r] = rows[r].category;
    year[r] = rows[r].release_year;
  }
  sg_stats_init(&from_values);
  sg_stats_add_values(&from_values, (const double(*)[SG_NNUM])x, cat, year, N);
  assert_memory_equal(from_values.mean, from_rows.mean, sizeof from_rows.mean);
  assert_memory_equal(from_values.comoment, from_rows.comoment, sizeof from_rows.comoment);
  assert_memory_equal(from_values.m3, from_rows.m3, sizeof from_rows.m3);
  assert_memory_equal(from_values.min, from_rows.min, sizeof from_rows.min);
  assert_memory_equal(from_values.max, from_rows.max, sizeof from_rows.max);
  assert_memory_equal(from_values.hist, from_rows.hist, sizeof from_rows.hist);
  assert_memory_equal(from_values.cat_sum, from_rows.cat_sum, sizeof from_rows.cat_sum);
  free(x);
  free(cat);
  free(year);
  free(rows);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(merged_parts_equal_one_pass_and_naive_two_pass),
    cmocka_unit_test(correlation_of_a_column_with_itself_is_one),
    cmocka_unit_test(per_category_correlations_and_zeros_equal_two_pass),
    cmocka_unit_test(per_category_histograms_count_each_categorys_rows),
    cmocka_unit_test(integer_quantiles_are_exact),
    cmocka_unit_test(stats_of_parsed_values_equal_stats_of_rows_exactly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
