/* The model: every row is a pure function of (seed, row); entities, tracks
 * included, agree on every row that refers to them; tracks recur across
 * playlists but not within one; values are in their ranges; ids are unique
 * per entity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/model/ids.h"
#include "spotgen/model/model.h"
#include "support.h"
#include "spotgen/dataset/schema.h"

#define N 200000

static void base62_matches_known_spellings(void **state)
{
  (void)state;
  char id[SG_ID_LEN + 1];
  sg_base62_128(id, 0, 0);
  assert_string_equal(id, "0000000000000000000000");
  sg_base62_128(id, UINT64_MAX, UINT64_MAX);
  /* floor((2^64 - 1) * 62^11 / 2^64), twice (Python's integers agree) */
  assert_string_equal(id, "zzzzzzzzzzxzzzzzzzzzzx");
  sg_base62_128(id, 0x0123456789abcdefull, 0xfedcba9876543210ull);
  assert_string_equal(id, "0H5EbTU2CfpziulOWVxnK7");
}

static int cmp_id(const void *a, const void *b) { return memcmp(a, b, SG_ID_LEN); }

static void track_ids_are_unique_per_track_and_22_base62_chars(void **state)
{
  (void)state;
  char (*ids)[SG_ID_LEN + 1] = malloc((size_t)N * sizeof *ids);
  for (uint64_t r = 0; r < N; r++) {
    sg_make_id(ids[r], 42, SG_STREAM_TRACK, r);
    assert_int_equal(strlen(ids[r]), SG_ID_LEN);
    assert_int_equal(strspn(ids[r], "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"), SG_ID_LEN);
  }
  qsort(ids, N, sizeof *ids, cmp_id);
  for (uint64_t r = 1; r < N; r++)
    assert_true(memcmp(ids[r - 1], ids[r], SG_ID_LEN) != 0);
  free(ids);
}

static void any_row_computed_alone_equals_the_sequential_row(void **state)
{
  (void)state;
  static sg_model seq;
  test_model_init(&seq, 42, 1000000);
  static const uint64_t PROBES[] = {0, 1, 65535, 65536, 65537, 131071, 200000, 999999};
  uint64_t next = 0;
  for (size_t i = 0; i < sizeof PROBES / sizeof PROBES[0]; i++) {
    sg_row a, b;
    for (; next <= PROBES[i]; next++)
      sg_model_row(&seq, next, &a);
    static sg_model alone; /* a fresh model, as another rank would have */
    test_model_init(&alone, 42, 1000000);
    sg_model_row(&alone, PROBES[i], &b);
    assert_memory_equal(a.track_id, b.track_id, sizeof a.track_id);
    assert_string_equal(a.track_name.s, b.track_name.s);
    assert_string_equal(a.playlist_name.s, b.playlist_name.s);
    assert_int_equal(a.energy, b.energy);
    assert_int_equal(a.popularity_score, b.popularity_score);
    assert_int_equal(a.playlist, b.playlist);
    assert_int_equal(a.track, b.track);
    assert_int_equal(a.position, b.position);
  }
}

typedef struct seen {
  uint64_t key;
  char text[SG_NAME_CAP * 3];
  int64_t num;
  int used;
} seen;

/* Open addressing: the first value seen for a key must be seen every time. */
static void agree(seen *tab, size_t cap, uint64_t key, const char *text, int64_t num)
{
  size_t h = (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) % cap;
  while (tab[h].used && tab[h].key != key)
    h = (h + 1) % cap;
  if (!tab[h].used) {
    tab[h].used = 1;
    tab[h].key = key;
    strcpy(tab[h].text, text);
    tab[h].num = num;
    return;
  }
  assert_string_equal(tab[h].text, text);
  assert_int_equal(tab[h].num, num);
}

static void entities_agree_on_every_row_and_values_are_in_range(void **state)
{
  (void)state;
  const size_t cap = 1 << 19;
  seen *pl = calloc(cap, sizeof *pl), *ar = calloc(cap, sizeof *ar), *al = calloc(cap, sizeof *al);
  seen *tr = calloc(cap, sizeof *tr), *in = calloc(cap, sizeof *in);
  uint64_t tracks = 0;
  static sg_model m;
  test_model_init(&m, 42, N);
  const sg_column *cols = sg_schema_columns();
  uint64_t playlists = 0, last = UINT64_MAX, last_position = 0;
  for (uint64_t r = 0; r < N; r++) {
    sg_row row;
    sg_model_row(&m, r, &row);
    char text[SG_NAME_CAP * 3];
    snprintf(text, sizeof text, "%s|%s|%s", row.playlist_id, row.playlist_name.s, row.playlist_category->s);
    agree(pl, cap, row.playlist, text, row.num_followers);
    snprintf(text, sizeof text, "%s|%s", row.artist_id, row.artist_name.s);
    agree(ar, cap, row.artist, text, 0);
    snprintf(text, sizeof text, "%s|%s", row.artist_id, row.album_name.s);
    agree(al, cap, row.album, text, row.release_date); /* one artist, name and date per album */
    /* one set of attributes per track */
    snprintf(text, sizeof text, "%s|%s|%s|%s|%d|%d|%d", row.track_id, row.track_name.s,
             row.artist_id, row.album_name.s, row.release_date, row.key * 10 + row.mode,
             row.time_signature);
    int64_t features = (int64_t)row.energy * 1000003 + row.tempo * 7919 + row.duration_ms * 31 +
                       row.popularity_score + (int64_t)row.loudness * 131 + row.valence;
    agree(tr, cap, row.track, text, features);
    /* never twice in one playlist: (playlist, track) is new on every row */
    uint64_t pair = row.playlist * 0x100000001B3ull ^ row.track;
    size_t h = (size_t)(pair * 0x9E3779B97F4A7C15ull >> 20) % cap;
    while (in[h].used && (in[h].key != pair || in[h].num != (int64_t)row.playlist))
      h = (h + 1) % cap;
    if (in[h].used)
      fail_msg("row %llu: track %llu twice in playlist %llu", (unsigned long long)r,
               (unsigned long long)row.track, (unsigned long long)row.playlist);
    in[h] = (seen){pair, "", (int64_t)row.playlist, 1};
    /* positions count 0, 1, 2 ... from each playlist's first row */
    assert_int_equal(row.position, row.playlist == last ? last_position + 1 : 0);
    assert_int_equal(row.playlist_first, row.position == 0);
    last_position = row.position;
    if (row.playlist != last) {
      playlists++;
      last = row.playlist;
    }
    for (int c = 0; c < SG_NCOLS; c++) {
      if (cols[c].stat < 0)
        continue;
      double v = sg_schema_value(&cols[c], &row);
      if (v < cols[c].lo || v > cols[c].hi)
        fail_msg("row %llu: %s = %g outside %g..%g", (unsigned long long)r, cols[c].name, v,
                 cols[c].lo, cols[c].hi);
    }
    assert_true(row.release_year >= 2010 && row.release_year <= 2023);
  }
  /* playlists own runs of rows: about 50 per playlist on average here */
  assert_true(playlists > N / 200 && playlists < N / 20);
  for (size_t i = 0; i < cap; i++)
    tracks += tr[i].used;
  /* tracks recur: far fewer distinct tracks than rows, and still many */
  assert_true(tracks < N / 3 && tracks > N / 20);
  free(tr);
  free(in);
  free(pl);
  free(ar);
  free(al);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(base62_matches_known_spellings),
    cmocka_unit_test(track_ids_are_unique_per_track_and_22_base62_chars),
    cmocka_unit_test(any_row_computed_alone_equals_the_sequential_row),
    cmocka_unit_test(entities_agree_on_every_row_and_values_are_in_range),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
