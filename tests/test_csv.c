/* CSV: RFC 4180 quoting survives a round trip through an independent parser;
 * hand-written number and date formatting equals printf and the C library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spotgen/format/format.h"
#include "spotgen/model/model.h"
#include "support.h"
#include "spotgen/base/numfmt.h"
#include "spotgen/dataset/schema.h"

/* A strict RFC 4180 reader for one line: fields into out[], returns count. */
static int parse_line(const char *s, size_t len, char out[][512], int max)
{
  int n = 0;
  size_t i = 0;
  for (;;) {
    size_t o = 0;
    if (i < len && s[i] == '"') {
      i++;
      for (;;) {
        assert_true(i < len); /* an opened quote must close */
        if (s[i] == '"') {
          if (i + 1 < len && s[i + 1] == '"') {
            out[n][o++] = '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        out[n][o++] = s[i++];
      }
    } else {
      while (i < len && s[i] != ',' && s[i] != '\n') {
        assert_true(s[i] != '"'); /* a bare quote inside an unquoted field */
        out[n][o++] = s[i++];
      }
    }
    out[n][o] = '\0';
    n++;
    assert_true(n <= max);
    if (i >= len || s[i] == '\n')
      return n;
    assert_int_equal(s[i], ',');
    i++;
  }
}

static void awkward_fields_round_trip_through_rfc4180_parser(void **state)
{
  (void)state;
  static const char *const CASES[] = {
    "plain", "", "a,b", "say \"hi\"", "\"", "\"\"", "line\nbreak", "cr\rhere", "Don't Stop",
    "Café del Mar, Vol. 2", "Björk \"Live\", São Paulo", ",", "trailing,", "Zoë's \"Mix\"\n2",
  };
  const int n = (int)(sizeof CASES / sizeof CASES[0]);
  char line[4096];
  size_t len = 0;
  for (int i = 0; i < n; i++) {
    if (i)
      line[len++] = ',';
    len += sg_csv_field(line + len, CASES[i]);
  }
  line[len++] = '\n';
  char (*fields)[512] = calloc(64, 512);
  assert_int_equal(parse_line(line, len, fields, 64), n);
  for (int i = 0; i < n; i++)
    assert_string_equal(fields[i], CASES[i]);
  free(fields);
}

static void fields_are_quoted_only_when_needed(void **state)
{
  (void)state;
  char out[64];
  size_t n = sg_csv_field(out, "Naïve Heart");
  assert_int_equal(n, strlen("Naïve Heart"));
  assert_memory_equal(out, "Naïve Heart", n);
  n = sg_csv_field(out, "a,b");
  assert_int_equal(n, 5);
  assert_memory_equal(out, "\"a,b\"", 5);
}

/* verify reads numbers with sg_parse_decimal: the very double strtod
 * gives, bit for bit, for whatever sg_fmt_fixed and sg_fmt_i64 write; and
 * it declines what is not a plain decimal (strtod then decides). */
static void decimal_parsing_equals_strtod_bit_for_bit(void **state)
{
  (void)state;
  char a[64];
  uint64_t x = 88172645463325252ull;
  for (int i = 0; i < 2000000; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    int64_t v = (int64_t)(x % 2000000001ull) - 1000000000;
    int d = (int)(x >> 40) % 6;
    size_t n = d ? sg_fmt_fixed(a, v, d) : sg_fmt_i64(a, v);
    a[n] = '\0';
    double got, want = strtod(a, NULL);
    assert_true(sg_parse_decimal(a, n, &got));
    assert_memory_equal(&got, &want, sizeof got);
  }
  static const char *const NOT_PLAIN[] = {"", "-", ".", "1.", ".5", "-.5", "1e3", "0x10", "1,5", " 1",
                                          "1.2.3", "nan", "inf", "1234567890123456"};
  for (size_t i = 0; i < sizeof NOT_PLAIN / sizeof NOT_PLAIN[0]; i++) {
    double got;
    assert_false(sg_parse_decimal(NOT_PLAIN[i], strlen(NOT_PLAIN[i]), &got));
  }
}

static void fixed_and_integer_formatting_equal_printf(void **state)
{
  (void)state;
  static const int64_t V[] = {0, 1, -1, 9, 10, 99, 100, 12345, -12345, 6543, -5883, 120047,
                              INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN + 1};
  static const double P10[] = {1, 10, 100, 1000, 10000};
  char a[64], b[64];
  for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
    size_t n = sg_fmt_i64(a, V[i]);
    a[n] = '\0';
    snprintf(b, sizeof b, "%lld", (long long)V[i]);
    assert_string_equal(a, b);
    if (V[i] > INT32_MAX || V[i] < INT32_MIN)
      continue;
    for (int d = 1; d <= 4; d++) {
      n = sg_fmt_fixed(a, V[i], d);
      a[n] = '\0';
      /* exact decimal: sign, integer part, d digits */
      long long iv = V[i] < 0 ? -V[i] : V[i];
      long long p = (long long)P10[d];
      snprintf(b, sizeof b, "%s%lld.%0*lld", V[i] < 0 ? "-" : "", iv / p, d, iv % p);
      assert_string_equal(a, b);
    }
  }
  /* every width the short paths for 3 and 4 decimals take, and past them */
  for (int64_t v = -1000999; v <= 1000999; v += 7)
    for (int d = 3; d <= 4; d++) {
      size_t n = sg_fmt_fixed(a, v, d);
      a[n] = '\0';
      long long iv = v < 0 ? -v : v, p = (long long)P10[d];
      snprintf(b, sizeof b, "%s%lld.%0*lld", v < 0 ? "-" : "", iv / p, d, iv % p);
      assert_string_equal(a, b);
    }
}

static void dates_equal_the_c_library_from_1970_to_2100(void **state)
{
  (void)state;
  char a[16], b[16];
  for (int32_t d = 0; d < 47482; d += 7) {
    time_t t = (time_t)d * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(b, sizeof b, "%Y-%m-%d", &tm);
    sg_fmt_date(a, d);
    a[10] = '\0';
    assert_string_equal(a, b);
    assert_int_equal(sg_days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday), d);
  }
}

static void generated_rows_parse_back_to_24_fields_equal_to_the_row(void **state)
{
  (void)state;
  static sg_model m;
  test_model_init(&m, 42, 100000);
  char line[SG_CSV_ROW_MAX];
  char (*fields)[512] = calloc(SG_NCOLS, 512);
  const sg_column *cols = sg_schema_columns();
  int quoted = 0;
  for (uint64_t r = 0; r < 20000; r++) {
    sg_row row;
    sg_model_row(&m, r, &row);
    size_t len = sg_csv_row(line, &row);
    assert_true(len < SG_CSV_ROW_MAX);
    assert_int_equal(line[len - 1], '\n');
    quoted += memchr(line, '"', len) != NULL;
    assert_int_equal(parse_line(line, len, fields, SG_NCOLS), SG_NCOLS);
    for (int c = 0; c < SG_NCOLS; c++) {
      const char *p = (const char *)&row + cols[c].offset;
      if (cols[c].kind == SG_KIND_STR || cols[c].kind == SG_KIND_ID)
        assert_string_equal(fields[c], p);
      else if (cols[c].kind == SG_KIND_TEXT_REF)
        assert_string_equal(fields[c], (*(const sg_text *const *)p)->s);
      else if (cols[c].kind != SG_KIND_DATE)
        assert_true(strtod(fields[c], NULL) == sg_schema_value(&cols[c], &row));
    }
  }
  assert_true(quoted > 0); /* the data does exercise quoting */
  free(fields);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(awkward_fields_round_trip_through_rfc4180_parser),
    cmocka_unit_test(fields_are_quoted_only_when_needed),
    cmocka_unit_test(fixed_and_integer_formatting_equal_printf),
    cmocka_unit_test(decimal_parsing_equals_strtod_bit_for_bit),
    cmocka_unit_test(dates_equal_the_c_library_from_1970_to_2100),
    cmocka_unit_test(generated_rows_parse_back_to_24_fields_equal_to_the_row),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
