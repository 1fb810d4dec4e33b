/* The dataset's shape (lake/shape.h) and the writing of one object
 * (lake/object.h), without MPI: which objects a run writes and their keys,
 * that the ranks' shares cover them once, and that an object's bytes and
 * statistics are a function of the object alone (written in another
 * order, by another writer, they are the same; kept by --resume, its
 * statistics are those it was written with). Avro (lake/avro.h) and
 * Iceberg's tables (lake/iceberg.h): values and container files written and
 * read back, damage refused, a table committed and loaded back with what
 * each data file's Parquet writer measured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spotgen/base/json.h"
#include "spotgen/dataset/entities.h"
#include "spotgen/lake/avro.h"
#include "spotgen/lake/iceberg.h"
#include "spotgen/lake/object.h"
#include "spotgen/lake/shape.h"
#include "spotgen/model/copula.h"
#include "spotgen/store/source.h"

static char *slurp(const char *path, size_t *n)
{
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *p = malloc((size_t)len + 1);
  assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
  fclose(f);
  *n = (size_t)len;
  return p;
}

/* The model of seed 42 for `rows` rows, with the default configuration. */
static sg_model *model_of(uint64_t rows)
{
  static sg_config cfg;
  static sg_copula cop;
  static sg_model model;
  sg_config_default(&cfg);
  assert_int_equal(sg_copula_build(&cop, &cfg, "test"), SG_OK);
  sg_model_init(&model, 42, rows, &cfg, &cop);
  return &model;
}

static void keys_name_each_kind_of_object(void **state)
{
  (void)state;
  sg_plan plan = sg_plan_make(1000, 300, 0); /* 4 parts */
  char key[256];
  sg_shape flat;
  sg_shape_make(&flat, &plan, 0, 0, ".csv", NULL);
  assert_int_equal(sg_shape_objects(&flat), 4);
  sg_shape_key(&flat, 3, key, sizeof key);
  assert_string_equal(key, "part-00003.csv");
  sg_object x = sg_shape_object(&flat, 3);
  assert_int_equal(x.kind, SG_OBJECT_ROWS);
  assert_int_equal(x.table, SG_TABLE_FLAT);
  assert_int_equal(x.first_row, 900);
  assert_int_equal(x.rows, 100);

  sg_shape dirty;
  sg_shape_make(&dirty, &plan, 0, 1, ".parquet", NULL);
  assert_int_equal(sg_shape_objects(&dirty), 8);
  sg_shape_key(&dirty, 4, key, sizeof key);
  assert_string_equal(key, "part-00002.parquet");
  sg_shape_key(&dirty, 5, key, sizeof key);
  assert_string_equal(key, "_dirty/part-00002.parquet");
  assert_int_equal(sg_shape_object(&dirty, 4).table, SG_TABLE_DIRTY);
  assert_int_equal(sg_shape_object(&dirty, 5).kind, SG_OBJECT_LEDGER);
  assert_int_equal(sg_shape_object(&dirty, 5).first_row, 600);

  sg_shape tables;
  sg_shape_make(&tables, &plan, 1, 0, ".csv.zst", NULL);
  assert_int_equal(sg_shape_objects(&tables), 4 * SG_NTABLES);
  const char *want[] = {"artists", "albums", "tracks", "playlists", "playlist_tracks"};
  for (int t = 0; t < SG_NTABLES; t++) {
    char expect[64];
    snprintf(expect, sizeof expect, "%s/part-00001.csv.zst", want[t]);
    sg_shape_key(&tables, SG_NTABLES + (uint64_t)t, key, sizeof key);
    assert_string_equal(key, expect);
    x = sg_shape_object(&tables, SG_NTABLES + (uint64_t)t);
    assert_int_equal(x.part, 1);
    assert_int_equal(x.table, (sg_table_id)t);
    assert_int_equal(x.kind, t == SG_TABLE_PLAYLIST_TRACKS ? SG_OBJECT_ROWS : SG_OBJECT_ENTITIES);
  }
}

static void ranks_write_every_object_once_and_whole_parts(void **state)
{
  (void)state;
  sg_plan plan = sg_plan_make(1000, 70, 0);
  for (int layout = 0; layout < 3; layout++) {
    sg_shape s;
  sg_shape_make(&s, &plan, layout == 1, layout == 2, ".csv", NULL);
    for (int n = 1; n <= 7; n++) {
      uint64_t next = 0;
      for (int r = 0; r < n; r++) {
        uint64_t a = sg_shape_rank_first(&s, r, n), b = sg_shape_rank_first(&s, r + 1, n);
        assert_int_equal(a, next);
        assert_int_equal(a % (uint64_t)s.per_part, 0); /* a part's objects stay on one rank */
        next = b;
      }
      assert_int_equal(next, sg_shape_objects(&s));
    }
  }
}

static void a_manifests_dataset_section_gives_its_shape(void **state)
{
  (void)state;
  cJSON *ds = sg_json_parse("{\"rows\":1000,\"rows_per_part\":300,\"parts\":4,\"part_sizing\":\"rows_per_part\","
                            "\"format\":\"csv\",\"compression\":\"gzip\",\"layout\":\"tables: ...\"}",
                            NULL);
  sg_shape s;
  assert_int_equal(sg_shape_of_dataset(ds, "m", &s), SG_OK);
  assert_int_equal(s.plan.parts, 4);
  assert_int_equal(s.per_part, SG_NTABLES);
  assert_string_equal(s.extension, ".csv.gz");
  cJSON_ReplaceItemInObject(ds, "format", cJSON_CreateString("orc"));
  assert_int_equal(sg_shape_of_dataset(ds, "m", &s), SG_EUSAGE);
  cJSON_ReplaceItemInObject(ds, "format", cJSON_CreateString("csv"));
  cJSON_ReplaceItemInObject(ds, "rows_per_part", cJSON_CreateNumber(0));
  assert_int_equal(sg_shape_of_dataset(ds, "m", &s), SG_EUSAGE);
  cJSON_Delete(ds);
}

/* Writes every object of `s` into a fresh folder, in order or backwards,
 * each with a writer of its own or one for all; entries[o] and, for ROWS
 * objects, the head of their statistics in heads. */
static void write_all(const sg_shape *s, sg_model *m, const sg_dirty *dirty, const char *format, int backwards,
                      const char *dir, sg_part_entry *entries, sg_stats *heads)
{
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s/_dirty %s/artists %s/albums %s/tracks %s/playlists "
           "%s/playlist_tracks", dir, dir, dir, dir, dir, dir, dir);
  assert_int_equal(system(cmd), 0);
  const sg_format_ops *ops = sg_format_find(format);
  sg_format_options fo = {3, SG_PQ_ZSTD, 128u << 20, NULL, NULL, 0, 0};
  sg_sink *sink = sg_sink_file(dir);
  sg_format *fmt = sg_format_create(ops, sink, &fo);
  sg_writer w;
  assert_int_equal(sg_writer_init(&w, s, m, 42, dirty, ops, fmt, sink), SG_OK);
  uint64_t n = sg_shape_objects(s);
  for (uint64_t i = 0; i < n; i++) {
    uint64_t o = backwards ? n - 1 - i : i;
    assert_int_equal(sg_object_write(&w, o, &entries[o]), SG_OK);
    assert_int_equal(entries[o].index, o);
    memcpy(&heads[o], w.stats, sizeof heads[o]);
  }
  sg_writer_free(&w);
  sg_format_destroy(fmt);
  sg_sink_destroy(sink);
}

static void an_objects_bytes_are_a_function_of_the_object(void **state)
{
  (void)state;
  sg_model *model = model_of(3000);
  sg_plan plan = sg_plan_make(3000, 1100, 0);
  static sg_dirty dirty;
  assert_int_equal(sg_dirty_profile(&dirty, "hostile"), SG_OK);
  static const struct {
    int tables, dirty;
    const char *format;
  } RUNS[] = {{0, 0, "csv"}, {1, 0, "parquet"}, {0, 1, "csv.gz"}, {0, 1, "parquet"}};
  char dir[2][64];
  snprintf(dir[0], sizeof dir[0], "/tmp/test_lake.%d.a", (int)getpid());
  snprintf(dir[1], sizeof dir[1], "/tmp/test_lake.%d.b", (int)getpid());
  for (size_t r = 0; r < sizeof RUNS / sizeof RUNS[0]; r++) {
    const sg_format_ops *ops = sg_format_find(RUNS[r].format);
    sg_shape s;
  sg_shape_make(&s, &plan, RUNS[r].tables, RUNS[r].dirty, ops->extension, NULL);
    uint64_t n = sg_shape_objects(&s);
    sg_part_entry *e[2] = {calloc(n, sizeof **e), calloc(n, sizeof **e)};
    sg_stats *h[2] = {calloc(n, sizeof **h), calloc(n, sizeof **h)};
    const sg_dirty *d = RUNS[r].dirty ? &dirty : NULL;
    write_all(&s, model, d, RUNS[r].format, 0, dir[0], e[0], h[0]);
    write_all(&s, model, d, RUNS[r].format, 1, dir[1], e[1], h[1]);
    for (uint64_t o = 0; o < n; o++) {
      char key[256], path[2][400];
      sg_shape_key(&s, o, key, sizeof key);
      size_t len[2];
      char *bytes[2];
      for (int i = 0; i < 2; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", dir[i], key);
        bytes[i] = slurp(path[i], &len[i]);
      }
      assert_int_equal(len[0], len[1]);
      assert_memory_equal(bytes[0], bytes[1], len[0]);
      assert_int_equal(e[0][o].bytes, len[0]);
      assert_int_equal(e[0][o].rows, e[1][o].rows);
      assert_int_equal(e[0][o].crc32, e[1][o].crc32);
      sg_object x = sg_shape_object(&s, o);
      if (x.kind == SG_OBJECT_ROWS && !RUNS[r].dirty)
        assert_int_equal(e[0][o].rows, x.rows);
      if (x.kind == SG_OBJECT_ENTITIES) { /* as many rows as the entities its part owns */
        sg_entities it;
        sg_row row;
        uint64_t count = 0;
        sg_entities_start(&it, model, &plan, x.table, x.part, 0);
        while (sg_entities_next(&it, &row))
          count++;
        assert_int_equal(e[0][o].rows, count);
      }
      if (x.kind == SG_OBJECT_ROWS)
        assert_memory_equal(&h[0][o], &h[1][o], SG_STATS_HEAD);
      free(bytes[0]);
      free(bytes[1]);
    }
    /* a kept object's statistics are what writing it counted */
    sg_writer w;
    assert_int_equal(sg_writer_init(&w, &s, model, 42, d, ops, NULL, NULL), SG_OK);
    for (uint64_t o = 0; o < n; o++) {
      assert_int_equal(sg_object_replay(&w, o), SG_OK);
      if (sg_shape_object(&s, o).kind == SG_OBJECT_ROWS) {
        assert_memory_equal(w.stats, &h[0][o], SG_STATS_HEAD);
        if (d)
          assert_int_equal(w.counts.rows, e[0][o].rows);
      }
    }
    sg_writer_free(&w);
    for (int i = 0; i < 2; i++) {
      free(e[i]);
      free(h[i]);
    }
  }
  char cmd[200];
  snprintf(cmd, sizeof cmd, "rm -rf %s %s", dir[0], dir[1]);
  assert_int_equal(system(cmd), 0);
}

static void partition_specs_parse_or_say_what_may_be_given(void **state)
{
  (void)state;
  sg_partitioning p;
  assert_int_equal(sg_partition_parse("playlist_category,release_date:year", 0, &p), SG_OK);
  assert_int_equal(p.n, 2);
  assert_string_equal(p.f[0].name, "playlist_category");
  assert_string_equal(p.f[1].name, "release_year");
  char text[128];
  sg_partition_describe(&p, text, sizeof text);
  assert_string_equal(text, "playlist_category,release_date:year");
  assert_int_equal(sg_partition_parse("release_date:month", 1, &p), SG_OK);
  assert_string_equal(p.f[0].name, "release_month");
  /* only the albums take it among --tables' tables */
  assert_int_equal(sg_partition_for_table(&p, SG_TABLE_ALBUMS).n, 1);
  assert_int_equal(sg_partition_for_table(&p, SG_TABLE_TRACKS).n, 0);
  static const char *const BAD[] = {"track_id", "release_date:week", "release_date", "playlist_category:year",
                                    "", "playlist_category,", "playlist_category,playlist_category"};
  for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++)
    assert_int_equal(sg_partition_parse(BAD[i], 0, &p), SG_EUSAGE);
}

static void a_rows_folders_are_hive_escaped_and_read_back(void **state)
{
  (void)state;
  sg_partitioning p;
  assert_int_equal(sg_partition_parse("playlist_category,release_date:month", 0, &p), SG_OK);
  sg_text cat = {"a=b/c d%", 8, 0};
  sg_row row;
  memset(&row, 0, sizeof row);
  row.playlist_category = &cat;
  row.release_date = 19000; /* 2022-01-08 */
  char folders[SG_PARTITION_FOLDERS], v[64];
  sg_partition_folders(&p, &row, folders);
  assert_string_equal(folders, "playlist_category=a%3Db%2Fc%20d%25/release_month=2022-01/");
  assert_int_equal(sg_partition_value(&p, 0, folders, v, sizeof v), 8);
  assert_string_equal(v, "a=b/c d%");
  assert_int_equal(sg_partition_value(&p, 1, folders, v, sizeof v), 7);
  assert_string_equal(v, "2022-01");
  const char *values[] = {"a=b/c d%", "2022-01"};
  char again[SG_PARTITION_FOLDERS];
  sg_partition_folders_of(&p, values, again);
  assert_string_equal(again, folders);
  assert_int_equal(sg_partition_value(&p, 1, "playlist_category=x/", v, sizeof v), -1);
  /* the identity column leaves the file; the date stays */
  sg_table t;
  sg_partition_file_table(&p, sg_schema_table(SG_TABLE_FLAT), &t);
  assert_int_equal(t.ncols, SG_NCOLS - 1);
  for (int c = 0; c < t.ncols; c++)
    assert_string_not_equal(t.cols[c]->name, "playlist_category");
}

static void a_partitioned_objects_files_sum_to_the_object(void **state)
{
  (void)state;
  sg_model *model = model_of(4000);
  sg_plan plan = sg_plan_make(4000, 1500, 0);
  sg_partitioning spec;
  assert_int_equal(sg_partition_parse("playlist_category,release_date:year", 0, &spec), SG_OK);
  static sg_shape s, whole;
  sg_shape_make(&s, &plan, 0, 0, ".csv", &spec);
  sg_shape_make(&whole, &plan, 0, 0, ".csv", NULL);
  char dir[64], cmd[200];
  snprintf(dir, sizeof dir, "/tmp/test_lake.%d.p", (int)getpid());
  snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s", dir, dir);
  assert_int_equal(system(cmd), 0);
  const sg_format_ops *ops = sg_format_find("csv");
  sg_format_options fo = {3, SG_PQ_ZSTD, 128u << 20, NULL, NULL, 0, 0};
  sg_sink *sink = sg_sink_file(dir);
  sg_format *fmt = sg_format_create(ops, sink, &fo);
  sg_writer w, ww;
  assert_int_equal(sg_writer_init(&w, &s, model, 42, NULL, ops, fmt, sink), SG_OK);
  assert_int_equal(sg_writer_init(&ww, &whole, model, 42, NULL, ops, NULL, NULL), SG_OK);
  w.url = dir;
  w.format_options = fo;
  for (uint64_t o = 0; o < sg_shape_objects(&s); o++) {
    sg_part_entry e;
    assert_int_equal(sg_object_write(&w, o, &e), SG_OK);
    assert_true(w.nfiles > 1);
    uint64_t rows = 0, bytes = 0;
    for (int i = 0; i < w.nfiles; i++) {
      if (i)
        assert_true(strcmp(w.files[i - 1].key, w.files[i].key) < 0); /* in the order of their keys */
      char path[400];
      snprintf(path, sizeof path, "%s/%s", dir, w.files[i].key);
      size_t len;
      free(slurp(path, &len));
      assert_int_equal(len, w.files[i].entry.bytes);
      assert_non_null(strstr(w.files[i].key, "/release_year="));
      rows += w.files[i].entry.rows;
      bytes += w.files[i].entry.bytes;
    }
    assert_int_equal(rows, sg_shape_object(&s, o).rows);
    assert_int_equal(e.rows, rows);
    assert_int_equal(e.bytes, bytes);
    /* the statistics are the object's rows', as if it were whole */
    assert_int_equal(sg_object_replay(&ww, o), SG_OK);
    assert_memory_equal(w.stats, ww.stats, SG_STATS_HEAD);
  }
  sg_writer_free(&w);
  sg_writer_free(&ww);
  sg_format_destroy(fmt);
  sg_sink_destroy(sink);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

/* Avro: the binary encoding's edge values, and a container of several
 * blocks, read back by its writer's schema (kept as given: field-id too). */
static void avro_values_and_containers_read_back(void **state)
{
  (void)state;
  static const int64_t longs[] = {0, -1, 1, 63, -64, 64, -65, 1234567890123, INT64_MIN, INT64_MAX};
  const char *schema = "{\"type\":\"record\",\"name\":\"r\",\"fields\":["
                       "{\"name\":\"n\",\"type\":\"long\",\"field-id\":7},"
                       "{\"name\":\"s\",\"type\":[\"null\",\"string\"],\"field-id\":8},"
                       "{\"name\":\"b\",\"type\":\"bytes\"},{\"name\":\"t\",\"type\":\"boolean\"},"
                       "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"int\"}}]}";
  const int n = 3000; /* records of about 40 bytes: several 64,000-byte blocks */
  sg_buf data = {0}, file = {0};
  uint32_t *lens = malloc((size_t)n * sizeof *lens);
  for (int i = 0; i < n; i++) {
    size_t at = data.len;
    sg_avro_long(&data, longs[i % 10]);
    sg_avro_branch(&data, i % 2);
    if (i % 2)
      sg_avro_string(&data, "some text, \"quoted\"");
    sg_avro_bytes(&data, "\x00\x01\xff", 3);
    sg_avro_boolean(&data, i % 3 == 0);
    sg_avro_long(&data, 2); /* an array block of two, then its end */
    sg_avro_long(&data, i);
    sg_avro_long(&data, -i);
    sg_avro_long(&data, 0);
    lens[i] = (uint32_t)(data.len - at);
  }
  const char *meta[] = {"content", "data", NULL};
  static const unsigned char sync[16] = "0123456789abcdef";
  assert_int_equal(sg_avro_file(&file, schema, meta, data.p, lens, (uint64_t)n, sync), 0);
  sg_avro_reader r;
  assert_int_equal(sg_avro_open(&r, file.p, file.len, "test"), SG_OK);
  assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r.meta, "content")), "data");
  assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r.meta, "avro.schema")), "\"field-id\":7"));
  int blocks = 0;
  for (size_t at = 0; at + 16 <= file.len; at++)
    blocks += memcmp(file.p + at, sync, 16) == 0;
  assert_true(blocks > 2); /* the header's marker, and one a block */
  for (int i = 0; i < n; i++) {
    cJSON *rec;
    assert_int_equal(sg_avro_next(&r, &rec, "test"), SG_OK);
    assert_non_null(rec);
    double want = (double)longs[i % 10];
    assert_true(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rec, "n")) == want);
    const cJSON *str = cJSON_GetObjectItemCaseSensitive(rec, "s");
    if (i % 2)
      assert_string_equal(cJSON_GetStringValue(str), "some text, \"quoted\"");
    else
      assert_true(cJSON_IsNull(str));
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "b")), "0001ff");
    assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "t")), i % 3 == 0);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(rec, "a");
    assert_int_equal(cJSON_GetArraySize(a), 2);
    assert_int_equal(cJSON_GetArrayItem(a, 1)->valuedouble, -i);
    cJSON_Delete(rec);
  }
  cJSON *end;
  assert_int_equal(sg_avro_next(&r, &end, "test"), SG_OK);
  assert_null(end);
  sg_avro_close(&r);
  /* damage: another magic, a cut, another block marker: refused, never read past */
  file.p[0] = 'X';
  assert_int_equal(sg_avro_open(&r, file.p, file.len, "test"), SG_EDATA);
  file.p[0] = 'O';
  assert_int_equal(sg_avro_open(&r, file.p, 40, "test"), SG_EDATA);
  assert_int_equal(sg_avro_open(&r, file.p, file.len - 1, "test"), SG_OK);
  cJSON *rec = NULL;
  sg_err e = SG_OK;
  for (int i = 0; i <= n && e == SG_OK; i++) {
    cJSON_Delete(rec);
    e = sg_avro_next(&r, &rec, "test");
  }
  assert_int_equal(e, SG_EDATA); /* the last block's marker is cut */
  sg_avro_close(&r);
  free(lens);
  sg_buf_free(&data);
  sg_buf_free(&file);
}

/* Iceberg's single-value form is the Parquet statistics' (little-endian
 * numbers, a date's days, a string's bytes), and ordered by type. */
static void single_values_are_icebergs_and_ordered_by_type(void **state)
{
  (void)state;
  unsigned char v[SG_METRIC_BOUND], w[SG_METRIC_BOUND];
  const sg_column *pop = sg_schema_find("popularity_score"), *date = sg_schema_find("release_date");
  const sg_column *fol = sg_schema_find("num_followers"), *energy = sg_schema_find("energy");
  const sg_column *name = sg_schema_find("track_name");
  assert_int_equal(sg_iceberg_single(pop, "42", 2, v), 4);
  assert_memory_equal(v, "\x2a\x00\x00\x00", 4);
  assert_int_equal(sg_iceberg_single(date, "1970-01-03", 10, v), 4);
  assert_memory_equal(v, "\x02\x00\x00\x00", 4);
  assert_int_equal(sg_iceberg_single(fol, "4294967296", 10, v), 8);
  assert_memory_equal(v, "\x00\x00\x00\x00\x01\x00\x00\x00", 8);
  double half = 0.5;
  assert_int_equal(sg_iceberg_single(energy, "0.5000", 6, v), 8);
  assert_memory_equal(v, &half, 8);
  assert_int_equal(sg_iceberg_single(name, "abc", 3, v), 3);
  assert_int_equal(sg_iceberg_single(pop, "4x", 2, v), -1);
  /* -1 < 2 as ints, though not as bytes; "ab" < "abc" */
  sg_iceberg_single(pop, "-1", 2, v);
  sg_iceberg_single(pop, "2", 1, w);
  assert_true(sg_iceberg_compare(pop, v, 4, w, 4) < 0);
  assert_true(sg_iceberg_compare(name, (const unsigned char *)"ab", 2, (const unsigned char *)"abc", 3) < 0);
}

/* A table committed through a sink reads back as written: every data
 * file's entry, with the counts and bounds its Parquet writer measured and
 * its partition's values; and damage to its metadata is refused. */
static void an_iceberg_table_reads_back_as_committed(void **state)
{
  (void)state;
  sg_model *model = model_of(6000);
  sg_plan plan = sg_plan_make(6000, 2000, 0);
  sg_partitioning spec;
  assert_int_equal(sg_partition_parse("release_date:month", 0, &spec), SG_OK);
  static sg_shape s;
  sg_shape_make(&s, &plan, 0, 0, ".parquet", &spec);
  sg_shape_iceberg(&s);
  char dir[64], cmd[200], root[256];
  snprintf(dir, sizeof dir, "/tmp/test_lake.%d.i", (int)getpid());
  snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s", dir, dir);
  assert_int_equal(system(cmd), 0);
  assert_int_equal(sg_iceberg_root(dir, root, sizeof root), 0);
  static sg_iceberg_tables ice;
  sg_shape_iceberg_tables(&s, root, &ice);
  const sg_iceberg_table *t = &ice.t[SG_TABLE_FLAT];
  assert_string_equal(t->location, root);
  const sg_format_ops *ops = sg_format_find("parquet");
  sg_format_options fo = {3, SG_PQ_ZSTD, 1u << 20, NULL, NULL, 0, 0};
  sg_sink *sink = sg_sink_file(dir);
  sg_format *fmt = sg_format_create(ops, sink, &fo);
  static sg_iceberg_files files[SG_TABLE_FLAT + 1];
  sg_writer w;
  assert_int_equal(sg_writer_init(&w, &s, model, 42, NULL, ops, fmt, sink), SG_OK);
  w.url = dir;
  w.format_options = fo;
  w.iceberg = ice.t;
  w.iceberg_files = files;
  w.root = root;
  uint64_t nfiles = 0;
  for (uint64_t o = 0; o < sg_shape_objects(&s); o++) {
    sg_part_entry e;
    assert_int_equal(sg_object_write(&w, o, &e), SG_OK);
    nfiles += (uint64_t)w.nfiles;
    assert_non_null(strstr(w.files[0].key, "data/release_month="));
  }
  assert_int_equal(files[SG_TABLE_FLAT].head.files, nfiles);
  assert_int_equal(files[SG_TABLE_FLAT].head.rows, 6000);
  char key[512];
  /* manifests of 64 KiB of entries: the table's files are cut into several */
  assert_int_equal(sg_iceberg_commit(sink, t, &files[SG_TABLE_FLAT], NULL, "identity", "test", "zstd", 64u << 10, key,
                                     sizeof key), SG_OK);
  snprintf(cmd, sizeof cmd, "test $(ls %s/metadata/*-m*.avro | wc -l) -gt 1", dir);
  assert_int_equal(system(cmd), 0);
  assert_string_equal(key, "metadata/v1.metadata.json");
  sg_source *src;
  assert_int_equal(sg_source_open(dir, NULL, &src), SG_OK);
  sg_iceberg_listing l;
  assert_int_equal(sg_iceberg_load(src, t, root, &l), SG_OK);
  assert_int_equal(l.n, nfiles);
  int64_t rows = 0;
  for (size_t i = 0; i < l.n; i++) {
    const sg_iceberg_listed *f = &l.f[i];
    rows += f->rows;
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, f->key);
    size_t len;
    free(slurp(path, &len));
    assert_int_equal((size_t)f->bytes, len);
    assert_non_null(strstr(f->key, f->value[0])); /* release_month=2019-04/ holds 2019-04's */
    const sg_column_metrics *d = &f->m.col[4];    /* release_date: its bounds in its month */
    assert_int_equal(d->values, f->rows);
    assert_int_equal(d->nulls, 0);
    assert_int_equal(d->lower_len, 4);
    int32_t lo, hi;
    memcpy(&lo, d->lower, 4);
    memcpy(&hi, d->upper, 4);
    assert_true(lo <= hi && hi - lo < 31);
  }
  assert_int_equal(rows, 6000);
  sg_iceberg_listing_free(&l);
  /* a snapshot summary that is not the manifest's is refused */
  char path[200];
  snprintf(path, sizeof path, "%s/metadata/v1.metadata.json", dir);
  size_t len;
  char *text = slurp(path, &len);
  char *at = strstr(text, "\"total-records\" : \"6000\"");
  assert_non_null(at);
  memcpy(at + strlen("\"total-records\" : \""), "6001", 4);
  FILE *f = fopen(path, "wb");
  fwrite(text, 1, len, f);
  fclose(f);
  free(text);
  assert_int_equal(sg_iceberg_load(src, t, root, &l), SG_EDATA);
  assert_non_null(strstr(sg_errmsg(SG_EDATA), "summary"));
  sg_source_close(src);
  sg_writer_free(&w);
  sg_iceberg_files_free(&files[SG_TABLE_FLAT]);
  sg_format_destroy(fmt);
  sg_sink_destroy(sink);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(keys_name_each_kind_of_object),
      cmocka_unit_test(ranks_write_every_object_once_and_whole_parts),
      cmocka_unit_test(a_manifests_dataset_section_gives_its_shape),
      cmocka_unit_test(an_objects_bytes_are_a_function_of_the_object),
      cmocka_unit_test(partition_specs_parse_or_say_what_may_be_given),
      cmocka_unit_test(a_rows_folders_are_hive_escaped_and_read_back),
      cmocka_unit_test(a_partitioned_objects_files_sum_to_the_object),
      cmocka_unit_test(avro_values_and_containers_read_back),
      cmocka_unit_test(single_values_are_icebergs_and_ordered_by_type),
      cmocka_unit_test(an_iceberg_table_reads_back_as_committed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
