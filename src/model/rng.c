/* rng.c - Philox4x32 (Random123's algorithm, written for spotgen). */
#include "spotgen/model/rng.h"

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
 * replaced by the lane's output. With AVX2, eight lanes at once: vpmuludq
 * makes the 64-bit products of the even lanes, then of the odd ones. */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_LANES 1

__attribute__((target("avx2"))) static void philox_lanes_avx2(uint32_t c[4][8], uint32_t k0,
                                                               uint32_t k1)
{
  __m256i c0 = _mm256_loadu_si256((const __m256i *)c[0]);
  __m256i c1 = _mm256_loadu_si256((const __m256i *)c[1]);
  __m256i c2 = _mm256_loadu_si256((const __m256i *)c[2]);
  __m256i c3 = _mm256_loadu_si256((const __m256i *)c[3]);
  const __m256i m0 = _mm256_set1_epi64x(PHILOX_M0), m1 = _mm256_set1_epi64x(PHILOX_M1);
  for (int i = 0; i < 10; i++) {
    if (i) {
      k0 += PHILOX_W0;
      k1 += PHILOX_W1;
    }
    __m256i e0 = _mm256_mul_epu32(c0, m0), o0 = _mm256_mul_epu32(_mm256_srli_epi64(c0, 32), m0);
    __m256i e2 = _mm256_mul_epu32(c2, m1), o2 = _mm256_mul_epu32(_mm256_srli_epi64(c2, 32), m1);
    /* high and low halves of the eight products, back in lane order */
    __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(e0, 32), o0, 0xAA);
    __m256i lo0 = _mm256_blend_epi32(e0, _mm256_slli_epi64(o0, 32), 0xAA);
    __m256i hi2 = _mm256_blend_epi32(_mm256_srli_epi64(e2, 32), o2, 0xAA);
    __m256i lo2 = _mm256_blend_epi32(e2, _mm256_slli_epi64(o2, 32), 0xAA);
    c0 = _mm256_xor_si256(_mm256_xor_si256(hi2, c1), _mm256_set1_epi32((int)k0));
    c1 = lo2;
    c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32((int)k1));
    c3 = lo0;
  }
  _mm256_storeu_si256((__m256i *)c[0], c0);
  _mm256_storeu_si256((__m256i *)c[1], c1);
  _mm256_storeu_si256((__m256i *)c[2], c2);
  _mm256_storeu_si256((__m256i *)c[3], c3);
}
#endif

static void philox_lanes(uint32_t c[4][8], const uint32_t key[2])
{
#ifdef HAVE_AVX2_LANES
  static int avx2 = -1;
  if (avx2 < 0)
    avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
  if (avx2) {
    philox_lanes_avx2(c, key[0], key[1]);
    return;
  }
#endif
  for (int l = 0; l < 8; l++) {
    uint32_t w[4] = {c[0][l], c[1][l], c[2][l], c[3][l]};
    sg_philox4x32(10, w, key, w);
    for (int k = 0; k < 4; k++)
      c[k][l] = w[k];
  }
}

void sg_philox_rows(uint64_t seed, uint32_t stream, uint64_t first, unsigned n, unsigned blocks,
                    uint32_t *out)
{
  const unsigned total = n * blocks;
  const uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
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
    philox_lanes(c, key);
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
