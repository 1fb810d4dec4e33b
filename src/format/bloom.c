/* bloom.c - split-block bloom filters (parquet-format BloomFilter.md) and
 * XXH64 (xxHash's xxhash_spec.md), both written from their specifications. */
#include "spotgen/format/bloom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/format/format.h" /* sg_le32 */

/* ---- XXH64 ---------------------------------------------------------------------- */

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull
#define P4 0x85EBCA77C2B2AE63ull
#define P5 0x27D4EB2F165667C5ull

static uint64_t rotl(uint64_t x, int r) { return x << r | x >> (64 - r); }

static uint64_t le64(const unsigned char *p)
{
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--)
    v = v << 8 | p[i];
  return v;
}

static uint64_t round64(uint64_t acc, uint64_t lane)
{
  acc += lane * P2;
  return rotl(acc, 31) * P1;
}

static uint64_t merge(uint64_t acc, uint64_t lane)
{
  acc ^= round64(0, lane);
  return acc * P1 + P4;
}

uint64_t sg_xxh64(const void *data, size_t n, uint64_t seed)
{
  const unsigned char *p = data;
  size_t left = n;
  uint64_t h;
  if (left >= 32) { /* four lanes over 32-byte stripes */
    uint64_t v[4] = {seed + P1 + P2, seed + P2, seed, seed - P1};
    for (; left >= 32; p += 32, left -= 32)
      for (int i = 0; i < 4; i++)
        v[i] = round64(v[i], le64(p + 8 * i));
    h = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18);
    for (int i = 0; i < 4; i++)
      h = merge(h, v[i]);
  } else {
    h = seed + P5;
  }
  h += (uint64_t)n;
  for (; left >= 8; p += 8, left -= 8)
    h = rotl(h ^ round64(0, le64(p)), 27) * P1 + P4;
  if (left >= 4) {
    h = rotl(h ^ (uint64_t)sg_le32(p) * P1, 23) * P2 + P3;
    p += 4;
    left -= 4;
  }
  for (; left > 0; p++, left--)
    h = rotl(h ^ *p * P5, 11) * P1;
  h ^= h >> 33; /* the avalanche */
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  return h ^ h >> 32;
}

/* ---- the filter --------------------------------------------------------------------- */

static const uint32_t SALT[8] = {0x47b6137bu, 0x44974d91u, 0x8824ad5bu, 0xa2b7289du,
                                 0x705495c7u, 0x2df1424bu, 0x9efc4947u, 0x5c6bfb31u};

int sg_bloom_init(sg_bloom *b, size_t bytes)
{
  b->blocks = (uint32_t)(bytes / 32);
  b->words = calloc(bytes / 4, 4);
  return b->words ? 0 : -1;
}

void sg_bloom_free(sg_bloom *b)
{
  free(b->words);
  b->words = NULL;
  b->blocks = 0;
}

void sg_bloom_clear(sg_bloom *b) { memset(b->words, 0, (size_t)b->blocks * 32); }

static uint32_t *block_of(const sg_bloom *b, uint64_t hash)
{
  return b->words + 8 * (size_t)(((hash >> 32) * b->blocks) >> 32);
}

void sg_bloom_insert(sg_bloom *b, uint64_t hash)
{
  uint32_t *w = block_of(b, hash), key = (uint32_t)hash;
  for (int i = 0; i < 8; i++)
    w[i] |= 1u << ((key * SALT[i]) >> 27);
}

int sg_bloom_contains(const sg_bloom *b, uint64_t hash)
{
  const uint32_t *w = block_of(b, hash);
  uint32_t key = (uint32_t)hash;
  for (int i = 0; i < 8; i++)
    if (!(w[i] & 1u << ((key * SALT[i]) >> 27)))
      return 0;
  return 1;
}

/* A value sets one bit of each of its block's words: a given bit of the
 * filter stays clear after n values with probability (1 - 1/(32 blocks))^n,
 * so n = ln(clear fraction) / ln(1 - 1/(32 blocks)). */
double sg_bloom_distinct(const sg_bloom *b)
{
  uint64_t set = 0, bits = (uint64_t)b->blocks * 256;
  for (size_t i = 0; i < (size_t)b->blocks * 8; i++)
    set += (uint64_t)__builtin_popcount(b->words[i]);
  if (set == bits)
    return INFINITY;
  return log((double)(bits - set) / (double)bits) / log1p(-1.0 / (32.0 * b->blocks));
}

/* The bits for ndv values at rate fpp: a value is a false positive when all
 * 8 of its bits are set, each with probability 1 - exp(-8 ndv / bits)
 * roughly, so bits = -8 ndv / ln(1 - fpp^(1/8)) (as parquet-mr sizes). */
size_t sg_bloom_bytes_for(double ndv, double fpp)
{
  double bytes = -8.0 * ndv / log(1.0 - pow(fpp, 1.0 / 8)) / 8;
  size_t n = SG_BLOOM_MIN_BYTES;
  while (n < SG_BLOOM_MAX_BYTES && (double)n < bytes)
    n *= 2;
  return n;
}

void sg_bloom_fold(sg_bloom *b, size_t bytes)
{
  while ((size_t)b->blocks * 32 > bytes && b->blocks > 1) {
    uint32_t half = b->blocks / 2;
    for (uint32_t i = 0; i < half; i++)
      for (int j = 0; j < 8; j++)
        b->words[8 * i + j] = b->words[16 * i + j] | b->words[16 * i + 8 + j];
    b->blocks = half;
  }
}

size_t sg_bloom_bytes(const sg_bloom *b) { return (size_t)b->blocks * 32; }

void sg_bloom_store(const sg_bloom *b, unsigned char *out)
{
  for (size_t i = 0; i < (size_t)b->blocks * 8; i++)
    for (int j = 0; j < 4; j++)
      out[4 * i + j] = (unsigned char)(b->words[i] >> (8 * j));
}
