/* verify's own parts: the CSV reader (RFC 4180 quoting, CRLF, malformed
 * input named with its record, bytes and CRC-32 counted, .gz and .zst
 * decompressed on the way) and the key map (counts, attributes, growth). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "spotgen/base/layout.h"
#include "spotgen/dataset/schema.h"
#include <zstd.h>

#include "spotgen/format/csv_read.h"
#include "spotgen/base/keymap.h"

static char path[64];

static void write_file(const char *text)
{
  snprintf(path, sizeof path, "/tmp/sg-reader-%d.csv", (int)getpid());
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void reader_unquotes_fields_and_counts_bytes(void **state)
{
  (void)state;
  const char *text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\"two\nlines\",Café,\"\"\n";
  write_file(text);
  sg_csv_reader r;
  assert_int_equal(sg_csv_open(&r, path), SG_OK);
  assert_int_equal(sg_csv_next(&r), 1);
  assert_int_equal(r.nfields, 3);
  assert_string_equal(r.field[2], "c");
  assert_int_equal(sg_csv_next(&r), 1);
  assert_string_equal(r.field[0], "x, y");
  assert_string_equal(r.field[1], "say \"hi\"");
  assert_int_equal(r.flen[2], 0);
  assert_int_equal(sg_csv_next(&r), 1);
  assert_string_equal(r.field[0], "two\nlines");
  assert_string_equal(r.field[1], "Café");
  assert_int_equal(sg_csv_next(&r), 0);
  assert_int_equal(r.bytes, strlen(text));
  assert_int_equal(r.crc32, (uint32_t)crc32(0, (const Bytef *)text, (uInt)strlen(text)));
  sg_csv_close(&r);
  unlink(path);
}

static void reader_names_malformed_records(void **state)
{
  (void)state;
  static const char *const CASES[][2] = {
    {"a,b\n\"open,c\n", "unterminated"},
    {"a,b\n\"x\"y,c\n", "after the closing quote"},
    {"a,b\nx,y", "no line ending"},
    {"a,b\nx\"y,z\n", "quote inside an unquoted"},
    {"a,b\nx\ry\n", "carriage return"},
  };
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    write_file(CASES[i][0]);
    sg_csv_reader r;
    assert_int_equal(sg_csv_open(&r, path), SG_OK);
    assert_int_equal(sg_csv_next(&r), 1);
    sg_clearerr();
    assert_int_equal(sg_csv_next(&r), -1);
    const char *msg = sg_errmsg(SG_EDATA);
    if (!strstr(msg, CASES[i][1]) || !strstr(msg, "record 2"))
      fail_msg("'%s': message '%s'", CASES[i][0], msg);
    sg_csv_close(&r);
  }
  unlink(path);
}

/* gzip `n` bytes as one member (RFC 1952) into out; @return its size. */
static size_t gzip_member(const char *in, size_t n, unsigned char *out, size_t cap)
{
  z_stream z = {0};
  assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  z.next_in = (Bytef *)(uintptr_t)in;
  z.avail_in = (uInt)n;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  size_t len = cap - z.avail_out;
  deflateEnd(&z);
  return len;
}

/* A text compressed as two members (gzip) or two frames (zstd), split in
 * the middle of a quoted field, reads as the one text; bytes and CRC-32 are
 * of the file as stored; the same file cut short is an error that says so. */
static void reader_decompresses_gz_and_zst_across_members(void **state)
{
  (void)state;
  const char *text = "a,b\n1,\"x, y\"\n2,\"z\"\n";
  size_t half = 8, n = strlen(text); /* splits "x, y" */
  static unsigned char file[4096];
  for (int zst = 0; zst <= 1; zst++) {
    size_t len;
    if (zst) {
      len = ZSTD_compress(file, sizeof file, text, half, 3);
      len += ZSTD_compress(file + len, sizeof file - len, text + half, n - half, 3);
    } else {
      len = gzip_member(text, half, file, sizeof file);
      len += gzip_member(text + half, n - half, file + len, sizeof file - len);
    }
    for (int cut = 0; cut <= 1; cut++) {
      snprintf(path, sizeof path, "/tmp/sg-reader-%d.csv.%s", (int)getpid(), zst ? "zst" : "gz");
      FILE *f = fopen(path, "wb");
      assert_non_null(f);
      size_t stored = cut ? len - 6 : len;
      fwrite(file, 1, stored, f);
      fclose(f);
      sg_csv_reader r;
      assert_int_equal(sg_csv_open(&r, path), SG_OK);
      assert_int_equal(sg_csv_next(&r), 1);
      assert_int_equal(sg_csv_next(&r), 1);
      assert_string_equal(r.field[1], "x, y");
      if (cut) {
        int st;
        while ((st = sg_csv_next(&r)) == 1)
          ;
        assert_int_equal(st, -1);
        assert_non_null(strstr(sg_errmsg(SG_EDATA), "cut short"));
      } else {
        assert_int_equal(sg_csv_next(&r), 1);
        assert_string_equal(r.field[1], "z");
        assert_int_equal(sg_csv_next(&r), 0);
        assert_int_equal(r.bytes, stored);
        assert_int_equal(r.crc32, (uint32_t)crc32(0, file, (uInt)stored));
      }
      sg_csv_close(&r);
      unlink(path);
    }
  }
}

static void keymap_counts_keys_and_notices_changed_attributes(void **state)
{
  (void)state;
  sg_keymap m;
  sg_keymap_init(&m);
  char key[32];
  int first, same;
  for (int round = 0; round < 3; round++)
    for (int i = 0; i < 5000; i++) { /* grows well past its first 1024 slots */
      snprintf(key, sizeof key, "artist-%d", i);
      sg_keyslot *s = sg_keymap_add(&m, sg_key_of(key, strlen(key)), (uint64_t)i, &first, &same);
      assert_non_null(s);
      assert_int_equal(first, round == 0);
      assert_true(same);
      assert_int_equal(s->count, (uint64_t)round + 1);
    }
  assert_int_equal(m.used, 5000);
  sg_keyslot *s = sg_keymap_add(&m, sg_key_of("artist-7", 8), 8, &first, &same);
  assert_false(first);
  assert_false(same);
  /* a mixed key is reported once, its rows still counted */
  sg_keymap_add(&m, sg_key_of("artist-7", 8), 9, &first, &same);
  assert_true(same);
  assert_int_equal(sg_keyslot_rows(s), 5);
  /* merged from two maps: reported where it became mixed, and only there */
  sg_keymap other, all;
  sg_keymap_init(&other);
  sg_keymap_init(&all);
  sg_keymap_add(&other, sg_key_of("artist-7", 8), 7, &first, &same);
  sg_keymap_add(&other, sg_key_of("artist-8", 8), 1, &first, &same);
  assert_non_null(sg_keymap_add_slot(&all, sg_keymap_get(&other, sg_key_of("artist-7", 8)), &first, &same));
  assert_true(first && same);
  sg_keymap_add_slot(&all, sg_keymap_get(&m, sg_key_of("artist-7", 8)), &first, &same);
  assert_true(same); /* mixed in m already: m reported it */
  sg_keymap_add_slot(&all, sg_keymap_get(&m, sg_key_of("artist-8", 8)), &first, &same);
  sg_keymap_add_slot(&all, sg_keymap_get(&other, sg_key_of("artist-8", 8)), &first, &same);
  assert_false(same); /* 8 in one map, 1 in the other: mixed only now */
  assert_int_equal(sg_keyslot_rows(sg_keymap_get(&all, sg_key_of("artist-7", 8))), 6);
  /* a map of sums (verify's replay): a key's deltas add up, modulo 2^64,
     whatever their order; added and taken away, it is 0 again */
  sg_keymap sums;
  sg_keymap_init(&sums);
  for (int i = 0; i < 3000; i++) {
    snprintf(key, sizeof key, "row-%d", i % 1500);
    assert_non_null(sg_keymap_sum(&sums, sg_key_of(key, strlen(key)), (uint64_t)(i < 1500 ? 1 : -1) * 12345, 1));
  }
  assert_int_equal(sums.used, 1500);
  assert_int_equal(sg_keymap_get(&sums, sg_key_of("row-7", 5))->attr, 0);
  assert_int_equal(sg_keymap_get(&sums, sg_key_of("row-7", 5))->count, 2);
  sg_keymap_sum(&sums, sg_key_of("row-7", 5), 5, 1);
  assert_int_equal(sg_keymap_get(&sums, sg_key_of("row-7", 5))->attr, 5);
  sg_keymap_free(&sums);
  sg_keymap_free(&other);
  sg_keymap_free(&all);
  sg_keymap_free(&m);
}

/* --tables: every table of schema.c is a folder the layout knows, its
 * parts and their temporary files are spotgen's, and nothing else is. */
static void tables_are_named_as_the_layout_names_their_folders(void **state)
{
  (void)state;
  char name[128];
  for (int i = 0; i < SG_NTABLES; i++) {
    const sg_table *t = sg_schema_table((sg_table_id)i);
    assert_true(sg_layout_is_table(t->name));
    assert_true(sg_layout_is_ours(t->name));
    assert_ptr_equal(sg_schema_table_find(t->name), t);
    sg_layout_table_part(name, sizeof name, t->name, 7, ".parquet");
    assert_true(sg_layout_is_ours(name));
    char tmp[256];
    assert_int_equal(sg_layout_tmp(tmp, sizeof tmp, "/d", name), 0);
    char want[160];
    snprintf(want, sizeof want, "/d/%s/.part-00007.parquet.", t->name);
    assert_memory_equal(tmp, want, strlen(want));
    assert_true(sg_layout_is_ours(tmp + 3));
    assert_true(t->nkey >= 1 && t->nkey <= t->ncols);
    for (int f = 0; f < t->nfk; f++) /* a foreign key is a column, and the key of its table */
      assert_string_equal(sg_schema_table(t->fk[f].table)->cols[0]->name, t->fk[f].column);
  }
  assert_false(sg_layout_is_table(sg_schema_table(SG_TABLE_FLAT)->name));
  assert_false(sg_layout_is_ours("tracks/notes.txt"));
  assert_false(sg_layout_is_ours("elsewhere/part-00000.csv"));
  assert_false(sg_layout_is_ours("tracks/sub/part-00000.csv"));
  /* an Iceberg table's: data/ (partitions in it) and metadata/'s files, at the
     top or in a table's folder; another name there is not */
  assert_true(sg_layout_is_ours("data/part-00000.parquet"));
  assert_true(sg_layout_is_ours("albums/data/release_year=2019/part-00000.parquet"));
  assert_true(sg_layout_is_ours("metadata/v1.metadata.json"));
  assert_true(sg_layout_is_ours("metadata/version-hint.text"));
  assert_true(sg_layout_is_ours("artists/metadata/snap-12-1-0f3e.avro"));
  assert_true(sg_layout_is_ours("metadata/.v1.metadata.json.123.tmp"));
  assert_true(sg_layout_is_table_metadata("tracks/metadata/0f3e-m0.avro"));
  assert_false(sg_layout_is_table_metadata("metadata/notes.txt"));
  assert_false(sg_layout_is_table_metadata("metadata/.notes.txt.123.tmp"));
  assert_false(sg_layout_is_table_metadata("metadata/v.metadata.json"));
  assert_false(sg_layout_is_table_metadata("metadata/sub/v1.metadata.json"));
  assert_false(sg_layout_is_table_metadata("elsewhere/metadata/v1.metadata.json"));
  assert_false(sg_layout_is_ours("data/notes.txt"));
  /* a day's changes: the flat dataset's, and each table's with --tables */
  assert_true(sg_layout_is_ours("_changes/batch_date=2024-01-02/part-00000.csv"));
  assert_true(sg_layout_is_ours("_changes/playlists/batch_date=2024-01-02/part-00000.csv"));
  assert_true(sg_layout_is_ours("_changes/playlist_tracks/batch_date=2024-01-02/.part-00000.csv.77.tmp"));
  assert_true(sg_layout_is_folder("playlists", 1));
  assert_false(sg_layout_is_ours("_changes/notes/batch_date=2024-01-02/part-00000.csv"));
  assert_false(sg_layout_is_ours("albums/playlists/part-00000.csv"));
  assert_true(sg_layout_is_folder("metadata", 1) && sg_layout_is_folder("data", 0));
  assert_false(sg_layout_is_folder("data", 2));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(reader_unquotes_fields_and_counts_bytes),
    cmocka_unit_test(reader_names_malformed_records),
    cmocka_unit_test(reader_decompresses_gz_and_zst_across_members),
    cmocka_unit_test(keymap_counts_keys_and_notices_changed_attributes),
    cmocka_unit_test(tables_are_named_as_the_layout_names_their_folders),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
