/* Argument parsing: every spelling the README promises is accepted, and
 * every bad input is refused with one line naming the problem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "spotgen/cmd/cli.h"
#include "spotgen/store/outdir.h"

#define ARGV(...) (char *[]){__VA_ARGS__}, (int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *))

static sg_err parse_schema(char **argv, int argc, sg_schema_options *o)
{
  sg_clearerr();
  return sg_cli_schema(argc, argv, o);
}

static sg_err parse(char **argv, int argc, sg_gen_options *o)
{
  sg_clearerr();
  return sg_cli_generate(argc, argv, o);
}

static void defaults_and_spellings_are_accepted(void **state)
{
  (void)state;
  sg_gen_options o;
  assert_int_equal(parse(ARGV("--rows", "1000000", "--out", "d"), &o), SG_OK);
  assert_int_equal(o.rows, 1000000);
  assert_int_equal(o.seed, 42);
  assert_int_equal(o.rows_per_part, 1000000);
  assert_int_equal(o.parts, 0);
  assert_string_equal(o.format, "csv");
  assert_int_equal(o.progress, -1);

  assert_int_equal(parse(ARGV("--rows=5M", "--seed=7", "--chunk-size", "250_000", "--output",
                              "x.csv", "--no-progress", "--overwrite"), &o), SG_OK);
  assert_int_equal(o.rows, 5000000);
  assert_int_equal(o.seed, 7);
  assert_int_equal(o.rows_per_part, 250000);
  assert_string_equal(o.output_file, "x.csv");
  assert_int_equal(o.progress, 0);
  assert_int_equal(o.overwrite, 1);

  assert_int_equal(parse(ARGV("--rows", "2G", "--parts", "16", "--out", "null:", "--progress",
                              "--format", "csv"), &o), SG_OK);
  assert_int_equal(o.rows, 2000000000ull);
  assert_int_equal(o.parts, 16);
  assert_int_equal(o.rows_per_part, 0);
  assert_int_equal(o.progress, 1);

  assert_int_equal(parse(ARGV("--help"), &o), SG_OK);
  assert_int_equal(o.help, 1);
}

static void each_bad_input_is_one_line_naming_the_option(void **state)
{
  (void)state;
  struct { char *argv[8]; int argc; const char *mentions; } cases[] = {
    {{"--rows", "0", "--out", "d"}, 4, "--rows"},
    {{"--rows", "-5", "--out", "d"}, 4, "--rows"},
    {{"--rows", "abc", "--out", "d"}, 4, "--rows"},
    {{"--rows", "12x", "--out", "d"}, 4, "--rows"},
    {{"--rows", "99999999999999999999999", "--out", "d"}, 4, "--rows"},
    {{"--out", "d"}, 2, "--rows"},
    {{"--rows", "10", "--out", "d", "--bogus"}, 5, "--bogus"},
    {{"--rows", "10", "--out", "d", "--format", "xlsx"}, 6, "--format"},
    {{"--rows", "10", "--out", "d", "--rows-per-part", "0"}, 6, "--rows-per-part"},
    {{"--rows", "10", "--out", "d", "--parts", "0"}, 6, "--parts"},
    {{"--rows", "10", "--out", "d", "--parts", "2", "--rows-per-part", "5"}, 8, "--parts"},
    {{"--rows", "10"}, 2, "--out"},
    {{"--rows", "10", "--out", "d", "--output", "f.csv"}, 6, "--output"},
    {{"--rows", "10", "--out"}, 3, "--out"},
    {{"--rows", "10", "--out", "d", "--seed", "9007199254740992"}, 6, "--seed"},
    {{"--rows", "10", "--out", "d", "stray"}, 5, "stray"},
    {{"--rows", "10", "--out", "d", "--overwrite=yes"}, 5, "--overwrite"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sg_gen_options o;
    sg_err e = parse(cases[i].argv, cases[i].argc, &o);
    assert_int_equal(e, SG_EUSAGE);
    assert_int_equal(sg_exit_status(e), 2);
    const char *msg = sg_errmsg(e);
    assert_null(strchr(msg, '\n'));
    if (!strstr(msg, cases[i].mentions))
      fail_msg("case %zu: '%s' does not name '%s'", i, msg, cases[i].mentions);
  }
}

static void counts_accept_separators_and_suffixes_only(void **state)
{
  (void)state;
  uint64_t v;
  assert_int_equal(sg_parse_count("1_000_000", &v), 0);
  assert_int_equal(v, 1000000);
  assert_int_equal(sg_parse_count("3k", &v), 0);
  assert_int_equal(v, 3000);
  assert_int_equal(sg_parse_count("50M", &v), 0);
  assert_int_equal(v, 50000000);
  assert_int_equal(sg_parse_count("1B", &v), 0);
  assert_int_equal(v, 1000000000);
  assert_int_equal(sg_parse_count("", &v), -1);
  assert_int_equal(sg_parse_count("_1", &v), -1);
  assert_int_equal(sg_parse_count("1.5M", &v), -1);
  assert_int_equal(sg_parse_count("1MM", &v), -1);
  assert_int_equal(sg_parse_count("18446744073709551616", &v), -1);
  assert_int_equal(sg_parse_count("20000000000G", &v), -1);
}

static void schema_options_validate_table_and_location(void **state)
{
  (void)state;
  sg_schema_options o;
  assert_int_equal(parse_schema(ARGV("--ddl", "--table", "t_1", "--location", "s3://b/p/"), &o), SG_OK);
  assert_int_equal(o.ddl, 1);
  assert_string_equal(o.table, "t_1");
  assert_int_equal(parse_schema(ARGV("--table", "bad-name"), &o), SG_EUSAGE);
  assert_int_equal(parse_schema(ARGV("--location", "s3://x'y"), &o), SG_EUSAGE);
  assert_int_equal(parse_schema(ARGV("--nope"), &o), SG_EUSAGE);
}

static sg_err parse_fit(char **argv, int argc, sg_fit_options *o)
{
  sg_clearerr();
  return sg_cli_fit(argc, argv, o);
}

/* fit: the sample anywhere among the options, -o required, --group and
 * --config take a value. */
static void fit_options_parse_and_need_an_output(void **state)
{
  (void)state;
  sg_fit_options o;
  assert_int_equal(parse_fit(ARGV("--group", "track_genre", "tracks.csv", "-o", "m.json", "--config", "b.json"), &o),
                   SG_OK);
  assert_string_equal(o.sample, "tracks.csv");
  assert_string_equal(o.output, "m.json");
  assert_string_equal(o.group, "track_genre");
  assert_string_equal(o.config, "b.json");
  assert_int_equal(o.overwrite, 0);
  assert_int_equal(parse_fit(ARGV("tracks.csv"), &o), SG_EUSAGE);
  assert_non_null(strstr(sg_errmsg(SG_EUSAGE), "missing -o FILE.json"));
  assert_int_equal(parse_fit(ARGV("-o", "m.json"), &o), SG_EUSAGE);
  assert_non_null(strstr(sg_errmsg(SG_EUSAGE), "missing the sample"));
  assert_int_equal(parse_fit(ARGV("t.csv", "-o", "m.json", "--group="), &o), SG_EUSAGE);
  assert_non_null(strstr(sg_errmsg(SG_EUSAGE), "--group needs a non-empty value"));
  assert_int_equal(parse_fit(ARGV("a.csv", "b.csv", "-o", "m.json"), &o), SG_EUSAGE);
  assert_int_equal(parse_fit(ARGV("t.csv", "-o", "m.json", "--rows", "5"), &o), SG_EUSAGE);
  assert_int_equal(parse_fit(ARGV("t.csv", "-o", "m.json", "--s3-endpoint", "http://h:9000"), &o), SG_EUSAGE);
  assert_int_equal(parse_fit(ARGV("--help"), &o), SG_OK);
  assert_int_equal(o.help, 1);
}

static sg_err parse_report(char **argv, int argc, sg_report_options *o)
{
  sg_clearerr();
  return sg_cli_report(argc, argv, o);
}

/* report: the dataset anywhere among the options, -o and --output, S3
 * options as for verify; S3 needs -o (there is no directory to write into). */
static void report_options_parse_and_s3_needs_an_output(void **state)
{
  (void)state;
  sg_report_options o;
  assert_int_equal(parse_report(ARGV("-o", "r.html", "data/x", "--verify"), &o), SG_OK);
  assert_string_equal(o.dataset.dir, "data/x");
  assert_string_equal(o.output, "r.html");
  assert_int_equal(o.verify, 1);
  assert_int_equal(parse_report(ARGV("data/x"), &o), SG_OK);
  assert_null(o.output);
  assert_int_equal(o.verify, 0);
  assert_int_equal(parse_report(ARGV("s3://b/p", "--output=r.html", "--s3-endpoint", "http://h:9000",
                                     "--s3-retries", "3"), &o), SG_OK);
  assert_string_equal(o.dataset.s3.endpoint, "http://h:9000");
  assert_int_equal(o.dataset.s3.retries, 3);
  assert_int_equal(parse_report(ARGV("s3://b/p"), &o), SG_EUSAGE);
  assert_non_null(strstr(sg_errmsg(SG_EUSAGE), "-o FILE"));
  /* the S3 flags are bounded for report and verify as for generate */
  assert_int_equal(parse_report(ARGV("s3://b/p", "-o", "r.html", "--s3-retries", "0"), &o), SG_EUSAGE);
  assert_non_null(strstr(sg_errmsg(SG_EUSAGE), "--s3-retries must be 1 .. 100"));
  assert_int_equal(parse_report(ARGV("data/x", "--s3-timeout", "4000"), &o), SG_EUSAGE);
  assert_int_equal(parse_report(ARGV("a", "b"), &o), SG_EUSAGE);
  assert_int_equal(parse_report(ARGV("--verify"), &o), SG_EUSAGE);
  assert_int_equal(parse_report(ARGV("a", "-o"), &o), SG_EUSAGE);
  assert_int_equal(parse_report(ARGV("a", "--json"), &o), SG_EUSAGE);
  assert_int_equal(parse_report(ARGV("--help"), &o), SG_OK);
  assert_int_equal(o.help, 1);
}

static void paths_split_into_directory_and_name(void **state)
{
  (void)state;
  char dir[16], base[8];
  assert_int_equal(sg_split_path("a.csv", dir, sizeof dir, base, sizeof base), 0);
  assert_string_equal(dir, ".");
  assert_string_equal(base, "a.csv");
  assert_int_equal(sg_split_path("/a.csv", dir, sizeof dir, base, sizeof base), 0);
  assert_string_equal(dir, "/");
  assert_int_equal(sg_split_path("x/y/a.csv", dir, sizeof dir, base, sizeof base), 0);
  assert_string_equal(dir, "x/y");
  assert_string_equal(base, "a.csv");
  assert_int_equal(sg_split_path("x/toolongname.csv", dir, sizeof dir, base, sizeof base), -1);
  assert_int_equal(sg_split_path("a/very/long/directory/a.csv", dir, sizeof dir, base, sizeof base), -1);
}

static void s3_and_model_options_parse_and_are_bounded(void **state)
{
  (void)state;
  uint64_t v;
  assert_int_equal(sg_parse_size("16M", &v), 0);
  assert_int_equal(v, 16u << 20);
  assert_int_equal(sg_parse_size("64MiB", &v), 0);
  assert_int_equal(v, 64u << 20);
  assert_int_equal(sg_parse_size("1G", &v), 0);
  assert_int_equal(v, 1u << 30);
  assert_int_equal(sg_parse_size("5242880", &v), 0);
  assert_int_equal(v, 5u << 20);
  assert_int_equal(sg_parse_size("16X", &v), -1);
  assert_int_equal(sg_parse_size("M", &v), -1);

  sg_gen_options o;
  assert_int_equal(parse(ARGV("--rows", "10", "--out", "s3://my-bucket/a/b/", "--part-size", "8M",
                              "--s3-inflight", "2", "--s3-endpoint", "http://127.0.0.1:9000",
                              "--config", "c.json", "--artists", "500", "--playlist-size", "20"), &o),
                   SG_OK);
  assert_int_equal(o.part_size, 8u << 20);
  assert_int_equal(o.s3_inflight, 2);
  assert_int_equal(o.artists, 500);
  assert_int_equal(o.playlist_size, 20);
  assert_string_equal(o.config, "c.json");
  assert_int_equal(parse(ARGV("--rows", "10", "--out", "s3://bkt/p"), &o), SG_OK);
  assert_int_equal(o.part_size, 16u << 20); /* the default */
  static const char *const BAD[][3] = {
    {"--part-size", "4M", "--part-size"}, {"--s3-inflight", "0", "--s3-inflight"},
    {"--artists", "0", "--artists"},      {"--playlist-size", "0", "--playlist-size"},
    {"--out", "s3://BadBucket/p", "not an S3 location"},
  };
  /* an option, or its alias, given twice is ambiguous: refused */
  assert_int_equal(parse(ARGV("--rows", "10", "--out", "a", "--rows", "20"), &o), SG_EUSAGE);
  assert_non_null(strstr(sg_errmsg(SG_EUSAGE), "--rows is given twice"));
  assert_int_equal(parse(ARGV("--rows", "10", "--out", "a", "--chunk-size", "5", "--rows-per-part", "5"), &o),
                   SG_EUSAGE);
  assert_non_null(strstr(sg_errmsg(SG_EUSAGE), "the same option, given twice"));
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
    /* each option once: a second --out would be refused as given twice */
    int own_out = strcmp(BAD[i][0], "--out") == 0;
    char *argv[] = {"--rows", "10", "--out", "s3://bkt/p", (char *)BAD[i][0], (char *)BAD[i][1]};
    if (own_out)
      argv[3] = (char *)BAD[i][1];
    assert_int_equal(parse(argv, own_out ? 4 : 6, &o), SG_EUSAGE);
    if (!strstr(sg_errmsg(SG_EUSAGE), BAD[i][2]))
      fail_msg("%s %s: '%s'", BAD[i][0], BAD[i][1], sg_errmsg(SG_EUSAGE));
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(defaults_and_spellings_are_accepted),
    cmocka_unit_test(s3_and_model_options_parse_and_are_bounded),
    cmocka_unit_test(each_bad_input_is_one_line_naming_the_option),
    cmocka_unit_test(counts_accept_separators_and_suffixes_only),
    cmocka_unit_test(schema_options_validate_table_and_location),
    cmocka_unit_test(paths_split_into_directory_and_name),
    cmocka_unit_test(report_options_parse_and_s3_needs_an_output),
    cmocka_unit_test(fit_options_parse_and_need_an_output),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
