/* ids.c - base62 ids (see ids.h). */
#include "spotgen/ids.h"

static const char B62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static uint64_t splitmix(uint64_t x)
{
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t sg_mix64(uint64_t x, uint64_t key)
{
  /* Each step is invertible: adding a constant, xor with a right shift of
   * itself, multiplying by an odd constant. */
  x += key;
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 29;
  x += splitmix(key);
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 32;
  return x;
}

void sg_base62_128(char out[SG_ID_LEN + 1], uint64_t hi, uint64_t lo)
{
  /* Long division of the 128-bit number, four 32-bit limbs, by 62^5 (which
   * fits in 32 bits): five digits per pass. 2^128 < 62^22. */
  uint32_t limb[4] = {(uint32_t)(hi >> 32), (uint32_t)hi, (uint32_t)(lo >> 32), (uint32_t)lo};
  const uint64_t d5 = 62ull * 62 * 62 * 62 * 62;
  int pos = SG_ID_LEN;
  out[SG_ID_LEN] = '\0';
  while (pos > 0) {
    uint64_t rem = 0;
    for (int i = 0; i < 4; i++) {
      uint64_t cur = rem << 32 | limb[i];
      limb[i] = (uint32_t)(cur / d5);
      rem = cur % d5;
    }
    for (int k = 0; k < 5 && pos > 0; k++) {
      out[--pos] = B62[rem % 62];
      rem /= 62;
    }
  }
}

void sg_make_id(char out[SG_ID_LEN + 1], uint64_t seed, uint32_t kind, uint64_t id)
{
  uint64_t key = splitmix(seed ^ ((uint64_t)kind << 56));
  uint64_t lo = sg_mix64(id, key);
  uint64_t hi = splitmix(lo ^ key);
  sg_base62_128(out, hi, lo);
}
