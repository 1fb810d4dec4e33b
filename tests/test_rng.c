/* Philox4x32 known answers (Random123 kat_vectors, VECTORS.md) and the
 * properties of the helpers built on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "spotgen/model/dist.h"
#include "spotgen/model/rng.h"

typedef struct kat {
  unsigned rounds;
  uint32_t ctr[4], key[2], out[4];
} kat;

static const kat KATS[] = {
  {7, {0, 0, 0, 0}, {0, 0}, {0x5f6fb709, 0x0d893f64, 0x4f121f81, 0x4f730a48}},
  {7, {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
   {0x5207ddc2, 0x45165e59, 0x4d8ee751, 0x8c52f662}},
  {7, {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
   {0x4dfccaba, 0x190a87f0, 0xc47362ba, 0xb6b5242a}},
  {10, {0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
  {10, {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
   {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
  {10, {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
   {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

static void philox_matches_all_six_published_vectors(void **state)
{
  (void)state;
  for (size_t i = 0; i < sizeof KATS / sizeof KATS[0]; i++) {
    uint32_t out[4];
    sg_philox4x32(KATS[i].rounds, KATS[i].ctr, KATS[i].key, out);
    for (int w = 0; w < 4; w++)
      assert_int_equal(out[w], KATS[i].out[w]);
  }
}

static void rng_block_is_philox10_of_draw_stream_id(void **state)
{
  (void)state;
  uint64_t seed = 0x299f31d0a4093822ull, id = 0x0370734413198a2eull;
  uint32_t out[4];
  /* counter {draw, stream, id lo, id hi} = the third KAT row's counter */
  sg_rng_block(seed, 0x85a308d3u, id, 0x243f6a88u, out);
  assert_int_equal(out[0], 0xd16cfe09);
  assert_int_equal(out[3], 0x24126ea1);
}

static void sequential_reader_walks_draws_in_order(void **state)
{
  (void)state;
  sg_rng r;
  sg_rng_init(&r, 42, SG_STREAM_ROW, 12345);
  for (uint32_t draw = 0; draw < 3; draw++) {
    uint32_t block[4];
    sg_rng_block(42, SG_STREAM_ROW, 12345, draw, block);
    for (int w = 0; w < 4; w++)
      assert_int_equal(sg_rng_u32(&r), block[w]);
  }
}

static void uniforms_stay_in_open_interval_and_normals_are_standard(void **state)
{
  (void)state;
  sg_rng r;
  sg_normal_init();
  sg_rng_init(&r, 7, SG_STREAM_ROW, 1);
  double sum = 0, sum2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; i++) {
    double u = sg_rng_u01(&r);
    assert_true(u > 0.0 && u < 1.0);
    assert_true(sg_rng_below(&r, 12) < 12);
    double z = sg_rng_normal(&r);
    sum += z;
    sum2 += z * z;
  }
  double mean = sum / n, var = sum2 / n - mean * mean;
  assert_true(mean > -0.01 && mean < 0.01);
  assert_true(var > 0.98 && var < 1.02);
}

static void different_seeds_streams_and_ids_give_different_blocks(void **state)
{
  (void)state;
  uint32_t a[4], b[4], c[4], d[4];
  sg_rng_block(42, SG_STREAM_ROW, 5, 0, a);
  sg_rng_block(43, SG_STREAM_ROW, 5, 0, b);
  sg_rng_block(42, SG_STREAM_ARTIST, 5, 0, c);
  sg_rng_block(42, SG_STREAM_ROW, 5ull << 32, 0, d);
  assert_memory_not_equal(a, b, sizeof a);
  assert_memory_not_equal(a, c, sizeof a);
  assert_memory_not_equal(a, d, sizeof a);
}

static void rows_of_blocks_in_simd_lanes_equal_blocks_one_by_one(void **state)
{
  (void)state;
  const uint64_t seed = 0x299f31d0a4093822ull, first = 0xfffffff0ull; /* ids cross 2^32 */
  for (unsigned blocks = 1; blocks <= SG_RNG_BUF; blocks++) {
    for (unsigned n = 1; n <= 37; n += 9) { /* lane groups full and partial */
      uint32_t many[4 * 37 * SG_RNG_BUF];
      sg_philox_rows(seed, 7, first, n, blocks, many);
      for (unsigned i = 0; i < n; i++)
        for (uint32_t b = 0; b < blocks; b++) {
          uint32_t one[4];
          sg_rng_block(seed, 7, first + i, b, one);
          assert_memory_equal(one, many + 4 * (i * blocks + b), sizeof one);
        }
      /* a reader started from the words goes on where they end */
      sg_rng a, r;
      sg_rng_init(&a, seed, 7, first + n - 1);
      sg_rng_init_words(&r, seed, 7, first + n - 1, many + 4 * (n - 1) * blocks, blocks);
      for (int i = 0; i < 100; i++)
        assert_int_equal(sg_rng_u32(&a), sg_rng_u32(&r));
    }
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(rows_of_blocks_in_simd_lanes_equal_blocks_one_by_one),
    cmocka_unit_test(philox_matches_all_six_published_vectors),
    cmocka_unit_test(rng_block_is_philox10_of_draw_stream_id),
    cmocka_unit_test(sequential_reader_walks_draws_in_order),
    cmocka_unit_test(uniforms_stay_in_open_interval_and_normals_are_standard),
    cmocka_unit_test(different_seeds_streams_and_ids_give_different_blocks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
