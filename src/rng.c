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
}
