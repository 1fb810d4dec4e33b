/* The Parquet writer and verify's reader: rows written by one read back by
 * the other as exactly the CSV's fields (several row groups, each codec);
 * the Thrift compact protocol round trip; and damaged files (bytes flipped
 * all over, cut at every kind of place) give an error or rows, never a
 * crash or a read out of bounds (CI runs this under ASan and UBSan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spotgen/base/buf.h"
#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/format/format.h"
#include "spotgen/model/model.h"
#include "spotgen/format/parquet_read.h"
#include "spotgen/store/sink.h"
#include "spotgen/format/thrift.h"
#include "pq_hand.h"

#define ROWS 6000

static char dir[64];
static sg_row rows[ROWS];

static int setup(void **state)
{
  (void)state;
  static sg_config cfg;
  static sg_copula cp;
  static sg_model m;
  sg_config_default(&cfg);
  if (sg_copula_build(&cp, &cfg, NULL) != SG_OK)
    return -1;
  sg_model_init(&m, 7, ROWS, &cfg, &cp);
  sg_model_rows(&m, 0, ROWS, rows);
  snprintf(dir, sizeof dir, "/tmp/sg-parquet-%d", (int)getpid());
  return mkdir(dir, 0700) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd) == 0 ? 0 : -1;
}

/* Writes the rows as one part file with `codec` and 1 MiB row groups. */
static void write_part(const char *key, int codec)
{
  sg_sink *sink = sg_sink_file(dir);
  assert_non_null(sink);
  sg_format_options o = {3, codec, 1u << 20, NULL, NULL, 0, 0};
  sg_format *f = sg_format_create(&sg_format_parquet, sink, &o);
  assert_non_null(f);
  assert_int_equal(sg_sink_open(sink, key), SG_OK);
  assert_int_equal(sg_format_parquet.begin(f, 1), SG_OK);
  for (size_t r = 0; r < ROWS; r += 1000)
    assert_int_equal(sg_format_parquet.rows(f, rows + r, 1000), SG_OK);
  assert_int_equal(sg_format_parquet.end(f), SG_OK);
  assert_int_equal(sg_sink_commit(sink), SG_OK);
  sg_format_destroy(f);
  sg_sink_destroy(sink);
}

static unsigned char *slurp(const char *key, size_t *n)
{
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, key);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  *n = (size_t)ftell(f);
  rewind(f);
  unsigned char *p = malloc(*n);
  assert_non_null(p);
  assert_int_equal(fread(p, 1, *n, f), *n);
  fclose(f);
  return p;
}

/* Reads `data` as a Parquet file; @return rows read, or -1 on an error. */
static long read_bytes(const unsigned char *data, size_t n, int compare)
{
  char path[128];
  snprintf(path, sizeof path, "%s/probe.parquet", dir);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fwrite(data, 1, n, f);
  fclose(f);
  int fd = open(path, O_RDONLY);
  assert_true(fd >= 0);
  sg_pq_reader r;
  long got = -1;
  if (sg_pq_open_fd(&r, fd, "probe.parquet", NULL, 0) == SG_OK) {
    int st;
    got = 0;
    char line[SG_CSV_ROW_MAX];
    while ((st = sg_pq_next(&r)) == 1) {
      if (compare) { /* the fields, as CSV, are the CSV writer's line */
        char mine[SG_CSV_ROW_MAX * 2];
        size_t k = 0;
        for (int c = 0; c < SG_NCOLS; c++) {
          if (c)
            mine[k++] = ',';
          k += sg_csv_field(mine + k, r.field[c]);
        }
        mine[k++] = '\n';
        size_t len = sg_csv_row(line, &rows[got]);
        assert_int_equal(k, len);
        assert_memory_equal(mine, line, len);
      }
      got++;
    }
    if (st < 0)
      got = -1;
  }
  sg_pq_close(&r);
  close(fd);
  return got;
}

static void rows_written_read_back_as_the_csv_fields(void **state)
{
  (void)state;
  static const int CODECS[] = {SG_PQ_ZSTD, SG_PQ_SNAPPY, SG_PQ_UNCOMPRESSED};
  for (int c = 0; c < 3; c++) {
    write_part("p.parquet", CODECS[c]);
    size_t n;
    unsigned char *data = slurp("p.parquet", &n);
    assert_int_equal(read_bytes(data, n, 1), ROWS);
    free(data);
  }
}

static void damaged_files_give_errors_not_crashes(void **state)
{
  (void)state;
  write_part("d.parquet", SG_PQ_ZSTD);
  size_t n;
  unsigned char *good = slurp("d.parquet", &n);
  unsigned char *bad = malloc(n);
  assert_non_null(bad);
  uint64_t x = 88172645463325252ull; /* xorshift: the same damage every run */
  int errors = 0;
  for (int trial = 0; trial < 1000; trial++) {
    memcpy(bad, good, n);
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    size_t len = n;
    if (trial % 4 == 0) {
      len = (size_t)(x % n); /* cut anywhere */
    } else { /* flip bytes, most of them in the footer, where structure is */
      for (int k = 0; k < 1 + trial % 5; k++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t at = trial % 2 ? n - 1 - (size_t)(x % (n < 4096 ? n : 4096)) : (size_t)(x % n);
        bad[at] ^= (unsigned char)(1 + (x >> 32) % 255);
      }
    }
    long got = read_bytes(bad, len, 0);
    errors += got < 0;
    assert_true(got <= ROWS);
  }
  assert_true(errors > 100); /* damage is noticed, not read as data */
  free(bad);
  free(good);
}

static void thrift_compact_fields_read_back(void **state)
{
  (void)state;
  sg_thrift_out w;
  sg_thrift_out_init(&w);
  sg_thrift_i32(&w, 1, -5);
  sg_thrift_i64(&w, 20, (int64_t)1 << 40); /* a jump of more than 15 */
  sg_thrift_struct_begin(&w, 21);
  sg_thrift_string(&w, 1, "spotgen");
  sg_thrift_bool(&w, 2, 1);
  sg_thrift_struct_end(&w);
  sg_thrift_list(&w, 22, SG_TT_I32, 20);
  for (int i = 0; i < 20; i++)
    sg_thrift_elem_i32(&w, i * 1000);
  sg_thrift_i16(&w, 23, -300);
  sg_thrift_end(&w);
  assert_false(w.out.failed);
  sg_thrift_in in;
  sg_thrift_in_init(&in, w.out.p, w.out.len);
  int16_t id;
  int t, elem;
  assert_true(sg_thrift_field(&in, &id, &t) && id == 1 && sg_thrift_read_int(&in, t) == -5);
  assert_true(sg_thrift_field(&in, &id, &t) && id == 20 && sg_thrift_read_int(&in, t) == (int64_t)1 << 40);
  assert_true(sg_thrift_field(&in, &id, &t) && id == 21 && t == SG_TT_STRUCT);
  sg_thrift_enter(&in);
  size_t len;
  assert_true(sg_thrift_field(&in, &id, &t) && id == 1);
  const unsigned char *s = sg_thrift_read_binary(&in, &len);
  assert_int_equal(len, 7);
  assert_memory_equal(s, "spotgen", 7);
  assert_true(sg_thrift_field(&in, &id, &t) && id == 2 && sg_thrift_read_bool(&in, t));
  assert_false(sg_thrift_field(&in, &id, &t));
  sg_thrift_leave(&in);
  assert_true(sg_thrift_field(&in, &id, &t) && id == 22);
  assert_int_equal(sg_thrift_read_list(&in, &elem), 20);
  for (int i = 0; i < 20; i++)
    assert_int_equal(sg_thrift_read_int(&in, elem), i * 1000);
  assert_true(sg_thrift_field(&in, &id, &t) && id == 23 && sg_thrift_read_int(&in, t) == -300);
  assert_false(sg_thrift_field(&in, &id, &t));
  assert_false(in.failed);
  sg_thrift_out_free(&w);
}

/* One column chunk of a hand-made file: a page header and its bytes
 * (uncompressed), appended to `file`; its metadata to `meta`. */
typedef struct hand_chunk {
  int type, encoding, v2, values, nulls, def_bytes;
  const unsigned char *data;
  size_t len;
  int64_t offset, size;
} hand_chunk;

static void hand_page(sg_buf *file, hand_chunk *c)
{
  pq_hand_page pg = {.type = c->v2 ? 3 : SG_PQ_DATA_PAGE, .encoding = c->encoding, .count = c->values,
                     .raw = (int32_t)c->len, .nulls = c->nulls, .rows = c->values, .def_bytes = c->def_bytes,
                     .compressed = 0}; /* v2: the values not compressed */
  c->offset = (int64_t)file->len;
  pq_hand_page_put(file, &pg, c->data, c->len);
  c->size = (int64_t)file->len - c->offset;
}

/* What Spark and parquet-mr write and DuckDB does not: INT96 timestamps,
 * RLE booleans in a v2 page with definition levels, DELTA_BYTE_ARRAY
 * strings (front coding), in a file made by hand, read as score reads it. */
static void spark_encodings_read_as_text(void **state)
{
  (void)state;
  /* nanoseconds of the day, then the Julian day: 2001-02-03 04:05:06.789,
   * 2001-02-04, 2001-02-03 plus 1 ns, 1970-01-01 */
  static const unsigned char ts[] = {
    0x40, 0x23, 0xEF, 0x30, 0x60, 0x0D, 0x00, 0x00, 0xE8, 0x69, 0x25, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xE9, 0x69, 0x25, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xE8, 0x69, 0x25, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x8C, 0x3D, 0x25, 0x00};
  /* v2 levels (1,1,0,1: one bit-packed group), then the RLE values 1,0,1
   * after their 4-byte length */
  static const unsigned char flags[] = {0x03, 0x0B, 0x02, 0x00, 0x00, 0x00, 0x03, 0x05};
  /* apple, applet, apricot, b: prefixes 0,5,2,0 and suffixes apple, t,
   * ricot, b (lengths 5,1,5,1), each list DELTA_BINARY_PACKED */
  static const unsigned char words[] = {
    0x80, 0x01, 0x04, 0x04, 0x00, 0x05, 0x04, 0x00, 0x00, 0x00, 0x08, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0x80, 0x01, 0x04, 0x04, 0x0A, 0x07, 0x04, 0x00, 0x00, 0x00, 0x80, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    'a', 'p', 'p', 'l', 'e', 't', 'r', 'i', 'c', 'o', 't', 'b'};
  hand_chunk col[3] = {
    {3, SG_PQ_PLAIN, 0, 4, 0, 0, ts, sizeof ts, 0, 0},
    {0, SG_PQ_RLE, 1, 4, 1, 2, flags, sizeof flags, 0, 0},
    {SG_PQ_BYTE_ARRAY, 7, 0, 4, 0, 0, words, sizeof words, 0, 0},
  };
  static const char *const NAMES[] = {"ts", "flag", "word"};
  static const char *const WANT[4][3] = {
    {"2001-02-03 04:05:06.789000000", "true", "apple"},
    {"2001-02-04 00:00:00", "false", "applet"},
    {"2001-02-03 00:00:00.000000001", "", "apricot"},
    {"1970-01-01 00:00:00", "true", "b"},
  };
  sg_buf file = {0};
  sg_buf_put(&file, "PAR1", 4);
  for (int c = 0; c < 3; c++)
    hand_page(&file, &col[c]);
  sg_thrift_out w;
  sg_thrift_out_init(&w);
  sg_thrift_i32(&w, 1, 1);
  sg_thrift_list(&w, 2, SG_TT_STRUCT, 4);
  sg_thrift_elem_begin(&w);
  sg_thrift_string(&w, 4, "spark_schema");
  sg_thrift_i32(&w, 5, 3);
  sg_thrift_struct_end(&w);
  for (int c = 0; c < 3; c++) {
    sg_thrift_elem_begin(&w);
    sg_thrift_i32(&w, 1, col[c].type);
    sg_thrift_i32(&w, 3, c == 1); /* flag is OPTIONAL */
    sg_thrift_string(&w, 4, NAMES[c]);
    sg_thrift_struct_end(&w);
  }
  sg_thrift_i64(&w, 3, 4);
  sg_thrift_list(&w, 4, SG_TT_STRUCT, 1);
  sg_thrift_elem_begin(&w);
  sg_thrift_list(&w, 1, SG_TT_STRUCT, 3);
  for (int c = 0; c < 3; c++)
    pq_hand_chunk(&w, NAMES[c], col[c].type, col[c].encoding, SG_PQ_UNCOMPRESSED, 4, col[c].offset, col[c].size,
                  col[c].offset, col[c].offset);
  sg_thrift_i64(&w, 2, 100);
  sg_thrift_i64(&w, 3, 4);
  sg_thrift_struct_end(&w);
  pq_hand_footer(&file, &w);
  sg_thrift_out_free(&w);
  assert_false(file.failed);

  char path[128];
  snprintf(path, sizeof path, "%s/spark.parquet", dir);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(file.p, 1, file.len, f), file.len);
  fclose(f);
  sg_buf_free(&file);
  int fd = open(path, O_RDONLY);
  assert_true(fd >= 0);
  sg_pq_reader r;
  if (sg_pq_open_any(&r, fd, "spark.parquet") != SG_OK)
    fail_msg("%s", sg_errmsg(SG_EDATA));
  assert_int_equal(r.nfields, 3);
  assert_string_equal(r.names[2], "word");
  for (int row = 0; row < 4; row++) {
    if (sg_pq_next(&r) != 1)
      fail_msg("row %d: %s", row, sg_errmsg(SG_EDATA));
    for (int c = 0; c < 3; c++) {
      char got[64];
      snprintf(got, sizeof got, "%.*s", (int)r.flen[c], r.field[c]);
      if (strcmp(got, WANT[row][c]) != 0)
        fail_msg("row %d, %s: '%s', not '%s'", row, NAMES[c], got, WANT[row][c]);
    }
  }
  assert_int_equal(sg_pq_next(&r), 0);
  sg_pq_close(&r);
  close(fd);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(thrift_compact_fields_read_back),
    cmocka_unit_test(rows_written_read_back_as_the_csv_fields),
    cmocka_unit_test(damaged_files_give_errors_not_crashes),
    cmocka_unit_test(spark_encodings_read_as_text),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
