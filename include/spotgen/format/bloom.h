/* bloom.h - Parquet's split-block bloom filters and the hash they use.
 *
 * A filter (parquet-format BloomFilter.md) is a power of two of 32-byte
 * blocks, each eight little-endian 32-bit words. A value is hashed with
 * XXH64 (seed 0) over its PLAIN encoding (a string's bytes without their
 * length); the hash's high 32 bits pick a block, its low 32 bits, times
 * eight fixed odd salts, one bit in each of the block's words. A value
 * absent from a row group is then found absent with probability 1 - fpp.
 *
 * A filter is filled at its largest size and folded down once its values
 * are known: a block's index is the top bits of (hash >> 32) * blocks, so
 * block i of a filter of 2n blocks is half of block i/2 of the filter of n,
 * and OR-ing blocks 2i and 2i+1 gives exactly the filter that n blocks
 * filled from the start would be. Its number of distinct values is
 * estimated from the bits set (linear counting), deterministically. */
#ifndef SPOTGEN_BLOOM_H
#define SPOTGEN_BLOOM_H

#include <stddef.h>
#include <stdint.h>

#define SG_BLOOM_MIN_BYTES 32u          /* one block */
#define SG_BLOOM_MAX_BYTES (1u << 20)  /* parquet-mr's default bound */
#define SG_BLOOM_FPP 0.01              /* the false-positive rate sized for */

/*! sg_xxh64() : XXH64 of the n bytes at p with `seed` (xxHash's spec). */
uint64_t sg_xxh64(const void *p, size_t n, uint64_t seed);

typedef struct sg_bloom {
  uint32_t *words;   /* 8 per block, in the machine's order (written little-endian) */
  uint32_t blocks;   /* a power of two */
} sg_bloom;

/*! sg_bloom_init() : an empty filter of `bytes` (a power of two, 32 ..
 *  SG_BLOOM_MAX_BYTES). @return : 0, -1 when out of memory. */
int sg_bloom_init(sg_bloom *b, size_t bytes);
void sg_bloom_free(sg_bloom *b);
void sg_bloom_clear(sg_bloom *b);

/*! sg_bloom_insert(), sg_bloom_contains() : by a value's XXH64. */
void sg_bloom_insert(sg_bloom *b, uint64_t hash);
int sg_bloom_contains(const sg_bloom *b, uint64_t hash);

/*! sg_bloom_distinct() : the values inserted, estimated from the bits set. */
double sg_bloom_distinct(const sg_bloom *b);

/*! sg_bloom_bytes_for() : the size, a power of two in 32 .. SG_BLOOM_MAX_BYTES,
 *  that holds `ndv` distinct values at false-positive rate `fpp`. */
size_t sg_bloom_bytes_for(double ndv, double fpp);

/*! sg_bloom_fold() : halves the filter until it is `bytes` (no larger than
 *  it is); the same filter as one of `bytes` filled with the same values. */
void sg_bloom_fold(sg_bloom *b, size_t bytes);

/*! sg_bloom_bytes() : its size; sg_bloom_store() writes it little-endian
 *  into `out` (sg_bloom_bytes() bytes). */
size_t sg_bloom_bytes(const sg_bloom *b);
void sg_bloom_store(const sg_bloom *b, unsigned char *out);

#endif
