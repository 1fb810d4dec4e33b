/* generate --dirty's pieces, on real rows: row keys map back to their row
 * and copy; each kind, at rate 1, does what its name says and the ledger
 * line says what was done; the rates of a FILE.json are refused in one
 * line when they are wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "spotgen/dataset/dirty.h"
#include "spotgen/format/dirty_row.h"
#include "spotgen/format/format.h"
#include "spotgen/store/sink.h"
#include "support.h"

static void test_row_keys_map_back_to_row_and_copy(void **state)
{
  (void)state;
  for (uint64_t row = 0; row < 200000; row += 7)
    for (unsigned copy = 0; copy < 3; copy++) {
      unsigned got;
      assert_int_equal(sg_dirty_key_row(sg_dirty_key(row, copy), &got), row);
      assert_int_equal(got, copy);
    }
  unsigned c;
  uint64_t big = (1ull << 50) + 12345;
  assert_int_equal(sg_dirty_key_row(sg_dirty_key(big, 2), &c), big);
  assert_int_not_equal(sg_dirty_key(0, 0), 0); /* no key of zeros */
  assert_int_not_equal(sg_dirty_key(0, 1), sg_dirty_key(1, 0));
}

static sg_row ROW;

static void one_row(void)
{
  static sg_model model;
  static int made;
  if (!made) {
    test_model_init(&model, 11, 1000);
    made = 1;
  }
  sg_model_rows(&model, 5, 1, &ROW);
}

/* Lines of table `t` as the CSV format writes them (no header), into out. */
static void as_csv(sg_table_id t, const sg_cells *lines, size_t n, char *out, size_t cap)
{
  char dir[] = "/tmp/unit_dirty_XXXXXX", path[64];
  assert_non_null(mkdtemp(dir));
  sg_sink *sink = sg_sink_file(dir);
  sg_format_options o = {0};
  sg_format *f = sg_format_create(&sg_format_csv, sink, &o);
  assert_non_null(f);
  f->table = sg_schema_table(t);
  assert_int_equal(sg_sink_open(sink, "x.csv"), SG_OK);
  assert_int_equal(sg_format_csv.begin(f, 0), SG_OK);
  assert_int_equal(sg_format_csv.cells(f, lines, n), SG_OK);
  assert_int_equal(sg_format_csv.end(f), SG_OK);
  assert_int_equal(sg_sink_commit(sink), SG_OK);
  sg_format_destroy(f);
  sg_sink_destroy(sink);
  snprintf(path, sizeof path, "%s/x.csv", dir);
  FILE *in = fopen(path, "rb");
  assert_non_null(in);
  out[fread(out, 1, cap - 1, in)] = '\0';
  fclose(in);
  unlink(path);
  rmdir(dir);
}

static sg_dirty_lines LINES;

/* Row ROW under the rates of `json`, for a text format or a typed one: its
 * lines in LINES, and its data lines and ledger lines as CSV. */
static void dirty_as(int typed, const char *json, char *data, char *ledger, sg_dirty_counts *n)
{
  static sg_dirty d;
  static uint32_t w[SG_DIRTY_WORDS];
  assert_int_equal(sg_dirty_apply_json(&d, json, "test.json"), SG_OK);
  sg_dirty_words(11, ROW.row, 1, w);
  memset(n, 0, sizeof *n);
  sg_dirty_row(&d, typed, &ROW, w, SG_DIRTY_DATA | SG_DIRTY_LEDGER, &LINES, n);
  as_csv(SG_TABLE_DIRTY, LINES.data, LINES.ndata, data, 1 << 16);
  as_csv(SG_TABLE_DIRTY_LEDGER, LINES.ledger, LINES.nledger, ledger, 1 << 16);
}

static void dirty(const char *json, char *data, char *ledger, sg_dirty_counts *n)
{
  dirty_as(0, json, data, ledger, n);
}

static char DATA[1 << 16], LEDGER[1 << 16];

static void test_each_kind_changes_the_cell_and_says_so(void **state)
{
  (void)state;
  sg_dirty_counts n;
  char key[17], want[512];
  one_row();
  snprintf(key, sizeof key, "%016llx", (unsigned long long)sg_dirty_key(ROW.row, 0));

  dirty("{}", DATA, LEDGER, &n); /* nothing hit: the clean line after the key */
  char line[SG_CSV_ROW_MAX + 32];
  line[snprintf(line, 18, "%s,", key) + sg_csv_row(line + 17, &ROW)] = '\0';
  assert_string_equal(DATA, line);
  assert_string_equal(LEDGER, "");

  dirty("{\"missing\": {\"columns\": {\"tempo\": 1}}}", DATA, LEDGER, &n);
  assert_int_equal(n.n[SG_DIRTY_MISSING][13], 1);
  assert_int_equal(n.rows, 1);
  snprintf(want, sizeof want, "%s,tempo,missing,", key);
  assert_memory_equal(LEDGER, want, strlen(want));

  strcpy(ROW.track_name.s, "Café Crème");
  ROW.track_name.len = (uint8_t)strlen(ROW.track_name.s);
  dirty("{\"mojibake\": {\"columns\": {\"track_name\": 1}}}", DATA, LEDGER, &n);
  snprintf(want, sizeof want, "%s,track_name,mojibake,Café Crème,CafÃ© CrÃ¨me,\n", key);
  assert_string_equal(LEDGER, want);
  assert_non_null(strstr(DATA, ",CafÃ© CrÃ¨me,"));

  strcpy(ROW.track_name.s, "Plain");
  ROW.track_name.len = 5;
  dirty("{\"mojibake\": {\"columns\": {\"track_name\": 1}}}", DATA, LEDGER, &n);
  assert_string_equal(LEDGER, ""); /* nothing outside ASCII: nothing to garble */

  ROW.energy = 6543;
  dirty("{\"number_format\": {\"columns\": {\"energy\": 1}}}", DATA, LEDGER, &n);
  snprintf(want, sizeof want, "%s,energy,number_format,0.6543,\"0,6543\",\n", key);
  assert_string_equal(LEDGER, want);

  ROW.duration_ms = 1234567;
  dirty("{\"number_format\": {\"columns\": {\"duration_ms\": 1}}}", DATA, LEDGER, &n);
  assert_non_null(strstr(DATA, ",\"1,234,567\","));

  ROW.popularity_score = 40;
  dirty("{\"out_of_range\": {\"columns\": {\"popularity_score\": 1}}}", DATA, LEDGER, &n);
  const char *bad = strstr(LEDGER, ",popularity_score,out_of_range,40,");
  assert_non_null(bad);
  int pop = atoi(bad + strlen(",popularity_score,out_of_range,40,"));
  assert_true(pop > 100 || pop < 0);

  dirty("{\"bad_date\": {\"rate\": 1}}", DATA, LEDGER, &n);
  assert_int_equal(n.n[SG_DIRTY_BAD_DATE][4], 1);

  dirty("{\"duplicate\": {\"rate\": 1}, \"near_duplicate\": {\"rate\": 1}}", DATA, LEDGER, &n);
  assert_int_equal(n.rows, 3);
  char *second = strchr(DATA, '\n') + 1, *third = strchr(second, '\n') + 1;
  size_t rest = (size_t)(second - strchr(DATA, ','));
  assert_memory_equal(strchr(DATA, ','), strchr(second, ','), rest); /* the same line but for its key */
  unsigned copy;
  assert_int_equal(sg_dirty_key_row(strtoull(second, NULL, 16), &copy), ROW.row);
  assert_int_equal(copy, 1);
  assert_int_equal(sg_dirty_key_row(strtoull(third, NULL, 16), &copy), ROW.row);
  assert_int_equal(copy, 2);
  assert_non_null(strstr(LEDGER, ",,duplicate,,,"));
  assert_non_null(strstr(LEDGER, ",track_name,near_duplicate,Plain,"));

  /* whitespace: spaces before, after or around; the name itself intact */
  dirty("{\"whitespace\": {\"columns\": {\"track_name\": 1}}}", DATA, LEDGER, &n);
  char field[5][128];
  assert_int_equal(sscanf(LEDGER, "%*[^,],%127[^,],%127[^,],%127[^,],%127[^,\n]", field[0], field[1], field[2],
                          field[3]), 4);
  assert_string_equal(field[0], "track_name");
  assert_string_equal(field[1], "whitespace");
  assert_string_equal(field[2], "Plain");
  assert_string_not_equal(field[3], "Plain");
  char squeezed[128];
  size_t k = 0;
  for (const char *p = field[3]; *p; p++)
    if (*p != ' ')
      squeezed[k++] = *p;
  squeezed[k] = '\0';
  assert_string_equal(squeezed, "Plain");
  assert_non_null(strstr(DATA, field[3]));

  /* category_variant: the same category, another spelling */
  dirty("{\"category_variant\": {\"rate\": 1}}", DATA, LEDGER, &n);
  assert_int_equal(sscanf(LEDGER, "%*[^,],%127[^,],%127[^,],%127[^,],%127[^,\n]", field[0], field[1], field[2],
                          field[3]), 4);
  assert_string_equal(field[0], "playlist_category");
  assert_string_equal(field[1], "category_variant");
  assert_string_equal(field[2], ROW.playlist_category->s);
  assert_string_not_equal(field[3], field[2]);
  assert_true(strcasecmp(field[3], field[2]) == 0 || strlen(field[3]) + 1 == strlen(field[2]));

  /* swap: two adjacent fields exchanged, each line naming the other's value */
  dirty("{\"swap\": {\"rate\": 1}}", DATA, LEDGER, &n);
  char col2[2][64], clean2[2][128], dirty2[2][128];
  const char *l2 = strchr(LEDGER, '\n');
  assert_non_null(l2);
  assert_int_equal(sscanf(LEDGER, "%*[^,],%63[^,],swap,%127[^,],%127[^,\n]", col2[0], clean2[0], dirty2[0]), 3);
  assert_int_equal(sscanf(l2 + 1, "%*[^,],%63[^,],swap,%127[^,],%127[^,\n]", col2[1], clean2[1], dirty2[1]), 3);
  assert_string_not_equal(col2[0], col2[1]);
  assert_string_equal(dirty2[0], clean2[1]);
  assert_string_equal(dirty2[1], clean2[0]);
  assert_string_not_equal(clean2[0], clean2[1]);
}

/* For Parquet: a missing value is a null, and a dirty value the column's
 * type cannot hold is not made (nor named in the ledger). */
static void test_typed_formats_get_nulls_and_only_values_of_the_type(void **state)
{
  (void)state;
  sg_dirty_counts n;
  one_row();
  ROW.energy = 6543;
  dirty_as(1, "{\"number_format\": {\"columns\": {\"energy\": 1}}}", DATA, LEDGER, &n);
  assert_int_equal(n.n[SG_DIRTY_NUMBER_FORMAT][9], 0);
  assert_int_equal(LINES.nledger, 0);
  assert_null(LINES.data[0].text[1 + 9]); /* the clean value, from the row */
  dirty_as(1, "{\"bad_date\": {\"rate\": 1}}", DATA, LEDGER, &n);
  assert_int_equal(n.n[SG_DIRTY_BAD_DATE][4], 0);
  dirty_as(1, "{\"out_of_range\": {\"columns\": {\"popularity_score\": 1}}}", DATA, LEDGER, &n);
  assert_int_equal(n.n[SG_DIRTY_OUT_OF_RANGE][8], 1);
  dirty_as(1, "{\"missing\": {\"columns\": {\"tempo\": 1}}}", DATA, LEDGER, &n);
  assert_int_equal(n.n[SG_DIRTY_MISSING][13], 1);
  assert_int_equal(LINES.data[0].null, 1u << (1 + 13));
  assert_int_equal(LINES.ledger[0].null, 1u << 4 | 1u << 5); /* dirty_value, duplicate_of */
  dirty_as(0, "{\"missing\": {\"columns\": {\"tempo\": 1}}}", DATA, LEDGER, &n);
  assert_int_equal(LINES.data[0].null, 1u << (1 + 13)); /* the same cells: CSV writes the token */
}

static void refused(const char *json, const char *words)
{
  sg_dirty d;
  assert_int_equal(sg_dirty_apply_json(&d, json, "r.json"), SG_EUSAGE);
  const char *msg = sg_errmsg(SG_EUSAGE);
  if (!strstr(msg, words))
    fail_msg("'%s' gave '%s', which does not say '%s'", json, msg, words);
  assert_null(strchr(msg, '\n'));
}

static void test_bad_rates_are_refused_in_one_line(void **state)
{
  (void)state;
  refused("{\"missing\": {\"rate\": 0.6}, \"bad_date\": {\"rate\": 0.5}}", "release_date add up to 1.1");
  refused("{\"missing\": {\"rate\": 0.1}} trailing", "not valid JSON");
  refused("{\"missing\": {\"rate\": 0.1}}{\"missing\": {\"rate\": 0.2}}", "not valid JSON");
  refused("{\"misssing\": {\"rate\": 0.1}}", "misssing: unknown key");
  refused("{\"missing\": {\"rate\": 1.5}}", "missing.rate: must be a number from 0 to 1");
  refused("{\"bad_date\": {\"columns\": {\"tempo\": 0.1}}}", "not a column this kind applies to");
  refused("{\"duplicate\": {\"columns\": {\"tempo\": 0.1}}}", "a row kind takes only \"rate\"");
  refused("{\"base\": \"filthy\"}", "must name a profile");
  refused("{\"missing\": {\"when\": [{\"column\": \"tempo\", \"category\": \"jazz\", \"factor\": 2}]}}",
          "no such category");
  sg_dirty d;
  assert_int_equal(sg_dirty_profile(&d, "realistic"), SG_OK);
  assert_int_equal(sg_dirty_profile(&d, "grimy"), SG_EUSAGE);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_row_keys_map_back_to_row_and_copy),
    cmocka_unit_test(test_each_kind_changes_the_cell_and_says_so),
    cmocka_unit_test(test_typed_formats_get_nulls_and_only_values_of_the_type),
    cmocka_unit_test(test_bad_rates_are_refused_in_one_line),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
