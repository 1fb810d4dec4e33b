/* The report page, built from a manifest made in-process from real rows:
 * one figure per chart, balanced SVG, escaped names, no script, and no NaN
 * or infinity drawn when sections are missing or empty (the browser test,
 * e2e_report, checks what the marks show). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/dataset/manifest.h"
#include "spotgen/cmd/report.h"
#include "spotgen/dataset/targets.h"
#include "support.h"

#define N 20000
#define CHARTS 21 /* 12 features, correlation, within categories, profiles, popularity, years, duration, followers, artists, tracks */

static cJSON *make_manifest(void)
{
  static sg_model model;
  static sg_row rows[N];
  static sg_stats s;
  test_model_init(&model, 3, N);
  sg_model_rows(&model, 0, N, rows);
  sg_stats_init(&s);
  sg_stats_add(&s, rows, N);
  uint64_t *counts = calloc(model.catalog.artists, sizeof *counts);
  assert_non_null(counts);
  for (int r = 0; r < N; r++)
    counts[rows[r].artist]++;
  sg_measures me = {&s, test_config(), 1, 0, 0, 0, 0, "not here", test_copula()};
  sg_artist_summary(counts, model.catalog.artists, &me.artist_top1, &me.artist_gini);
  sg_dataset_info info = {3, N, N, 1, model.catalog.artists, model.catalog.tracks, 0, "csv", "none", 0, 0, NULL, 0, NULL, NULL, NULL, NULL};
  cJSON *m = sg_manifest_new(&info);
  cJSON *stats = sg_stats_json(&s);
  cJSON_AddItemToObject(stats, "artists", sg_artists_json(counts, model.catalog.artists));
  uint32_t *placed = calloc(model.catalog.tracks, sizeof *placed);
  uint8_t *pop = calloc(model.catalog.tracks, 1);
  assert_true(placed && pop);
  for (int r = 0; r < N; r++) {
    placed[rows[r].track]++;
    pop[rows[r].track] = (uint8_t)rows[r].popularity_score;
  }
  me.have_tracks = 1;
  me.track_spearman = sg_track_spearman(placed, pop, model.catalog.tracks);
  cJSON_AddItemToObject(stats, "tracks", sg_tracks_json(placed, model.catalog.tracks, me.track_spearman));
  free(placed);
  free(pop);
  cJSON_AddItemToObject(m, "config", sg_config_json(test_config()));
  cJSON_AddItemToObject(m, "stats", stats);
  static sg_check checks[SG_MAX_CHECKS];
  int n = sg_targets_run(&me, checks);
  cJSON_AddItemToObject(m, "targets", sg_checks_json(checks, n));
  free(counts);
  return m;
}

static int count(const char *hay, const char *needle)
{
  int n = 0;
  for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
    n++;
  return n;
}

static char *page_of(const cJSON *m, const char *where, int *charts)
{
  sg_buf b = {0};
  *charts = sg_report_html(&b, m, where, NULL);
  assert_false(b.failed);
  return (char *)b.p; /* NUL-terminated */
}

/* Nothing on the page is NaN or infinite: a coordinate or label that is
 * would break the chart silently. */
static void assert_all_finite(const char *p)
{
  static const char *const BAD[] = {"nan\"", "nan<", "nan,", "nan ", "inf\"", "inf<", "inf,", "inf "};
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
    if (strstr(p, BAD[i]))
      fail_msg("the page draws a non-finite number: ...%.80s", strstr(p, BAD[i]) - 40);
}

static void a_full_manifest_gives_one_figure_per_chart(void **state)
{
  (void)state;
  cJSON *m = make_manifest();
  int charts;
  char *p = page_of(m, "data/spotify", &charts);
  assert_int_equal(charts, CHARTS);
  assert_int_equal(count(p, "<figure class=\"chart\""), CHARTS);
  assert_int_equal(count(p, "data-missing"), 0);
  assert_int_equal(count(p, "<svg"), count(p, "</svg>"));
  assert_int_equal(count(p, "<g"), count(p, "</g>"));
  assert_int_equal(count(p, "<script"), 0);
  assert_int_equal(count(p, "polyline class=\"cat\""), 13 * SG_NCAT); /* 12 features and duration */
  assert_true(count(p, "rect class=\"target pass\"") >= 2 * 10);
  assert_all_finite(p);
  free(p);
  cJSON_Delete(m);
}

static void the_dataset_name_is_escaped(void **state)
{
  (void)state;
  cJSON *m = make_manifest();
  int charts;
  char *p = page_of(m, "d/<b>&\"x'", &charts);
  assert_non_null(strstr(p, "d/&lt;b&gt;&amp;&quot;x&#39;"));
  assert_null(strstr(p, "<b>&"));
  free(p);
  cJSON_Delete(m);
}

/* A manifest is data from elsewhere (an S3 bucket): markup in its names
 * (a category, a year, a column, a format) is shown, never interpreted. */
static void markup_in_the_manifest_is_escaped(void **state)
{
  (void)state;
  cJSON *m = make_manifest();
  cJSON *stats = cJSON_GetObjectItemCaseSensitive(m, "stats");
  cJSON *cats = cJSON_GetObjectItemCaseSensitive(stats, "categories");
  cJSON_AddItemToObject(cats, "<i>c", cJSON_DetachItemFromObjectCaseSensitive(cats, "workout"));
  cJSON *years = cJSON_GetObjectItemCaseSensitive(stats, "release_years");
  cJSON_AddItemToObject(years, "<i>y", cJSON_DetachItemFromObjectCaseSensitive(years, "2015"));
  cJSON *names = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(stats, "correlation"), "columns");
  cJSON_ReplaceItemInArray(names, 0, cJSON_CreateString("<i>n"));
  cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "dataset"), "format",
                                         cJSON_CreateString("<i>f"));
  int charts;
  char *p = page_of(m, "x", &charts);
  assert_null(strstr(p, "<i>"));
  assert_int_equal(count(p, "&lt;i&gt;c"), 1 + 13 + 2 * 5 + 2); /* legend, lines, 5 panels: label and bar; its within panel: title and group */
  assert_true(count(p, "&lt;i&gt;y") == 2 && count(p, "&lt;i&gt;n") == 2 + 2 * 15);
  free(p);
  cJSON_Delete(m);
}

/* Each section taken away in turn: the page says so instead of drawing
 * nothing, or drawing NaN. */
static void missing_sections_are_said_not_drawn(void **state)
{
  (void)state;
  static const char *const SECTIONS[] = {"correlation", "artists", "tracks", "release_years", "categories", "columns"};
  for (size_t i = 0; i < sizeof SECTIONS / sizeof SECTIONS[0]; i++) {
    cJSON *m = make_manifest();
    cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "stats"), SECTIONS[i]);
    int charts;
    char *p = page_of(m, "x", &charts);
    assert_true(charts < CHARTS);
    assert_int_equal(charts + count(p, "data-missing=\"1\""), CHARTS);
    assert_int_equal(count(p, "<svg"), count(p, "</svg>"));
    assert_all_finite(p);
    free(p);
    cJSON_Delete(m);
  }
}

static void a_dataset_of_no_rows_draws_no_nan(void **state)
{
  (void)state;
  cJSON *m = make_manifest();
  cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(m, "stats"), "rows",
                                         cJSON_CreateNumber(0));
  int charts;
  char *p = page_of(m, "x", &charts);
  assert_all_finite(p);
  free(p);
  cJSON_Delete(m);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_full_manifest_gives_one_figure_per_chart),
    cmocka_unit_test(the_dataset_name_is_escaped),
    cmocka_unit_test(markup_in_the_manifest_is_escaped),
    cmocka_unit_test(missing_sections_are_said_not_drawn),
    cmocka_unit_test(a_dataset_of_no_rows_draws_no_nan),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
