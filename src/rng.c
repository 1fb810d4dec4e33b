/* rng.c - Philox4x32 (Random123's algorithm, written for spotgen). */
#include "spotgen/rng.h"

#include <string.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

void sg_philox4x32(unsigned rounds, const uint32_t ctr[4], const uint32_t key[2],
                   uint32_t out[4])
{
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  uint32_t k0 = key[0], k1 = key[1];
  for (unsigned i = 0; i < rounds; i++) {
    if (i) {
      k0 += PHILOX_W0;
      k1 += PHILOX_W1;
    }
    uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
    uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
    uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    c0 = n0;
    c1 = (uint32_t)p1;
    c2 = n2;
    c3 = (uint32_t)p0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/* Philox4x32-10 in eight lanes: c[w][lane] is word w of a lane's counter,
 * replaced by the lane's output. The 32x32->64 products are written on
 * 64-bit vector lanes whose high halves are zero, which compilers turn into
 * pmuludq (two products per 128 bits, four with AVX2). */
typedef uint32_t v8u32 __attribute__((vector_size(32)));
typedef uint64_t v4u64 __attribute__((vector_size(32)));

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
static void philox_lanes(uint32_t c[4][8], uint32_t k0, uint32_t k1)
{
  const uint64_t LO = 0xFFFFFFFFull;
  v8u32 c0, c1, c2, c3;
  memcpy(&c0, c[0], sizeof c0);
  memcpy(&c1, c[1], sizeof c1);
  memcpy(&c2, c[2], sizeof c2);
  memcpy(&c3, c[3], sizeof c3);
  for (int i = 0; i < 10; i++) {
    if (i) {
      k0 += PHILOX_W0;
      k1 += PHILOX_W1;
    }
    /* even lanes' products, then odd lanes' */
    v4u64 e0 = ((v4u64)c0 & LO) * PHILOX_M0, o0 = ((v4u64)c0 >> 32) * PHILOX_M0;
    v4u64 e2 = ((v4u64)c2 & LO) * PHILOX_M1, o2 = ((v4u64)c2 >> 32) * PHILOX_M1;
    v8u32 hi0 = (v8u32)((e0 >> 32) | (o0 & ~LO)), lo0 = (v8u32)((e0 & LO) | (o0 << 32));
    v8u32 hi2 = (v8u32)((e2 >> 32) | (o2 & ~LO)), lo2 = (v8u32)((e2 & LO) | (o2 << 32));
    c0 = hi2 ^ c1 ^ k0;
    c1 = lo2;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
  }
  memcpy(c[0], &c0, sizeof c0);
  memcpy(c[1], &c1, sizeof c1);
  memcpy(c[2], &c2, sizeof c2);
  memcpy(c[3], &c3, sizeof c3);
}

void sg_philox_rows(uint64_t seed, uint32_t stream, uint64_t first, unsigned n, unsigned blocks,
                    uint32_t *out)
{
  const unsigned total = n * blocks;
  uint32_t c[4][8];
  for (unsigned l0 = 0; l0 < total; l0 += 8) {
    const unsigned lanes = total - l0 < 8 ? total - l0 : 8;
    for (unsigned l = 0; l < 8; l++) {
      unsigned lane = l0 + (l < lanes ? l : 0);
      uint64_t id = first + lane / blocks;
      c[0][l] = lane % blocks;
      c[1][l] = stream;
      c[2][l] = (uint32_t)id;
      c[3][l] = (uint32_t)(id >> 32);
    }
    philox_lanes(c, (uint32_t)seed, (uint32_t)(seed >> 32));
    for (unsigned l = 0; l < lanes; l++)
      for (int w = 0; w < 4; w++)
        out[4 * (l0 + l) + (unsigned)w] = c[w][l];
  }
}

void sg_rng_block(uint64_t seed, uint32_t stream, uint64_t id, uint32_t draw,
                  uint32_t out[4])
{
  const uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
  const uint32_t ctr[4] = {draw, stream, (uint32_t)id, (uint32_t)(id >> 32)};
  sg_philox4x32(10, ctr, key, out);
}

void sg_rng_init(sg_rng *r, uint64_t seed, uint32_t stream, uint64_t id)
{
  r->key[0] = (uint32_t)seed;
  r->key[1] = (uint32_t)(seed >> 32);
  r->ctr[0] = 0;
  r->ctr[1] = stream;
  r->ctr[2] = (uint32_t)id;
  r->ctr[3] = (uint32_t)(id >> 32);
  r->pos = r->len = 0;
  r->blocks = 1;
}

void sg_rng_init_words(sg_rng *r, uint64_t seed, uint32_t stream, uint64_t id,
                       const uint32_t *words, unsigned blocks)
{
  sg_rng_init(r, seed, stream, id);
  blocks = blocks > SG_RNG_BUF ? SG_RNG_BUF : blocks;
  memcpy(r->buf, words, 16 * (size_t)blocks);
  r->ctr[0] = blocks;
  r->len = 4 * blocks;
  r->blocks = 2; /* an entity that wants more rarely wants many more */
}

void sg_rng_refill(sg_rng *r)
{
  for (unsigned b = 0; b < r->blocks; b++) {
    uint32_t ctr[4] = {r->ctr[0] + b, r->ctr[1], r->ctr[2], r->ctr[3]};
    sg_philox4x32(10, ctr, r->key, r->buf + 4 * b);
  }
  r->ctr[0] += r->blocks;
  r->pos = 0;
  r->len = 4 * r->blocks;
}
