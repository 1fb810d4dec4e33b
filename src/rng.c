/* rng.c - Philox4x32 (Random123's algorithm, written for spotgen). */
#include "spotgen/rng.h"

#include <math.h>

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

void sg_philox4x32_10_n(const uint32_t ctr[4], const uint32_t key[2], unsigned n, uint32_t *out)
{
  uint32_t c0[SG_RNG_AHEAD], c1[SG_RNG_AHEAD], c2[SG_RNG_AHEAD], c3[SG_RNG_AHEAD];
  for (unsigned b = 0; b < SG_RNG_AHEAD; b++) {
    c0[b] = ctr[0] + b;
    c1[b] = ctr[1];
    c2[b] = ctr[2];
    c3[b] = ctr[3];
  }
  uint32_t k0 = key[0], k1 = key[1];
  for (unsigned i = 0; i < 10; i++) {
    if (i) {
      k0 += PHILOX_W0;
      k1 += PHILOX_W1;
    }
    for (unsigned b = 0; b < SG_RNG_AHEAD; b++) { /* independent: they overlap */
      uint64_t p0 = (uint64_t)PHILOX_M0 * c0[b];
      uint64_t p1 = (uint64_t)PHILOX_M1 * c2[b];
      uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1[b] ^ k0;
      uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3[b] ^ k1;
      c0[b] = n0;
      c1[b] = (uint32_t)p1;
      c2[b] = n2;
      c3[b] = (uint32_t)p0;
    }
  }
  for (unsigned b = 0; b < n; b++) {
    out[4 * b] = c0[b];
    out[4 * b + 1] = c1[b];
    out[4 * b + 2] = c2[b];
    out[4 * b + 3] = c3[b];
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
  r->left = 0;
  r->blocks = 1;
}

void sg_rng_init_ahead(sg_rng *r, uint64_t seed, uint32_t stream, uint64_t id, unsigned blocks)
{
  sg_rng_init(r, seed, stream, id);
  r->blocks = blocks < 1 ? 1 : blocks > SG_RNG_AHEAD ? SG_RNG_AHEAD : blocks;
}
