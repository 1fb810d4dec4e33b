/* XXH64 and Parquet's split-block bloom filters (bloom.h).
 *
 * XXH64's known answers: "" and "abc" as xxHash publishes them, and bytes
 * (37 i + 11) mod 256 of every length class (the 32-byte stripes, the 8-,
 * 4- and 1-byte tails) as hyparquet's independent xxhash64 computes them.
 * A filter folded down is bit for bit the filter of that size filled with
 * the same values; it holds every value inserted and about 1% of others at
 * the size sg_bloom_bytes_for gives; its distinct-value estimate is close. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "spotgen/format/bloom.h"

static void test_xxh64_known_answers(void **state)
{
  (void)state;
  static const struct { size_t n; uint64_t h; } WANT[] = {
    {0, 0xef46db3751d8e999ull},  {1, 0xf592c0c7639c4cb6ull},  {3, 0x22c08528601d4f27ull},
    {4, 0xfb1e5cf2f1ae4d95ull},  {7, 0x5613ac510496c04eull},  {8, 0x57cb2b7521f3e21aull},
    {12, 0x2f53b00266039e64ull}, {31, 0xe4a0e629e519a4aeull}, {32, 0xcc6b8aaada790b2dull},
    {33, 0x35ec49850475a832ull}, {63, 0xbf9f0ba3cf95b28aull}, {64, 0x155ccce4bf32befcull},
    {100, 0x4826e367566ea023ull},
  };
  unsigned char b[100];
  for (int i = 0; i < 100; i++)
    b[i] = (unsigned char)(i * 37 + 11);
  for (size_t i = 0; i < sizeof WANT / sizeof WANT[0]; i++)
    assert_true(sg_xxh64(b, WANT[i].n, 0) == WANT[i].h);
  assert_true(sg_xxh64("abc", 3, 0) == 0x44bc2cf5ad770999ull);
}

static uint64_t value_hash(uint64_t i) { return sg_xxh64(&i, 8, 0); }

static void test_fold_is_the_smaller_filter(void **state)
{
  (void)state;
  sg_bloom big, small;
  assert_int_equal(sg_bloom_init(&big, SG_BLOOM_MAX_BYTES), 0);
  assert_int_equal(sg_bloom_init(&small, 4096), 0);
  for (uint64_t i = 0; i < 3000; i++) {
    sg_bloom_insert(&big, value_hash(i));
    sg_bloom_insert(&small, value_hash(i));
  }
  sg_bloom_fold(&big, 4096);
  assert_int_equal(sg_bloom_bytes(&big), 4096);
  unsigned char a[4096], b[4096];
  sg_bloom_store(&big, a);
  sg_bloom_store(&small, b);
  assert_memory_equal(a, b, 4096);
  sg_bloom_free(&big);
  sg_bloom_free(&small);
}

static void test_sized_filter_holds_values_and_few_others(void **state)
{
  (void)state;
  const uint64_t n = 20000;
  sg_bloom b;
  assert_int_equal(sg_bloom_init(&b, SG_BLOOM_MAX_BYTES), 0);
  for (uint64_t i = 0; i < n; i++)
    for (int twice = 0; twice < 2; twice++) /* a value seen again sets nothing new */
      sg_bloom_insert(&b, value_hash(i));
  double ndv = sg_bloom_distinct(&b);
  assert_true(ndv > 0.97 * n && ndv < 1.03 * n);
  size_t bytes = sg_bloom_bytes_for(ndv, SG_BLOOM_FPP);
  assert_int_equal(bytes, 32768); /* 20000 / -ln(1 - 0.01^(1/8)) = 24.2 KB, rounded up */
  sg_bloom_fold(&b, bytes);
  uint64_t hits = 0;
  for (uint64_t i = 0; i < n; i++)
    assert_true(sg_bloom_contains(&b, value_hash(i)));
  for (uint64_t i = n; i < 11 * n; i++)
    hits += (uint64_t)sg_bloom_contains(&b, value_hash(i));
  assert_true(hits < 10 * n / 100); /* under 1% */
  sg_bloom_free(&b);
}

static void test_bounds_of_size(void **state)
{
  (void)state;
  assert_int_equal(sg_bloom_bytes_for(0, SG_BLOOM_FPP), SG_BLOOM_MIN_BYTES);
  assert_int_equal(sg_bloom_bytes_for(1e9, SG_BLOOM_FPP), SG_BLOOM_MAX_BYTES);
  sg_bloom b;
  assert_int_equal(sg_bloom_init(&b, 64), 0);
  assert_true(sg_bloom_distinct(&b) == 0);
  sg_bloom_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_xxh64_known_answers),
    cmocka_unit_test(test_fold_is_the_smaller_filter),
    cmocka_unit_test(test_sized_filter_holds_values_and_few_others),
    cmocka_unit_test(test_bounds_of_size),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
