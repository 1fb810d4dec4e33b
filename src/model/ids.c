/* ids.c - base62 ids (see ids.h). */
#include "spotgen/model/ids.h"

#include <string.h>

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

/* Two base62 digits for each of 0 .. 62^2 - 1, filled on first use. */
static char pairs[62 * 62][2];

static void pairs_fill(void)
{
  for (unsigned d = 0; d < 62 * 62; d++) {
    pairs[d][0] = B62[d / 62];
    pairs[d][1] = B62[d % 62];
  }
}

/* The 11 base62 digits of floor(x * 62^11 / 2^64): x read as a fraction of
 * 2^64, multiplied out two digits at a time (62^2 per step). 62^11 > 2^64,
 * so distinct x give distinct digits. */
static void base62_11(char *out, uint64_t x)
{
  __extension__ typedef unsigned __int128 u128;
  for (int k = 0; k < 10; k += 2) {
    u128 p = (u128)x * (62 * 62);
    memcpy(out + k, pairs[(unsigned)(p >> 64)], 2);
    x = (uint64_t)p;
  }
  out[10] = B62[(unsigned)(((u128)x * 62) >> 64)];
}

void sg_base62_128(char out[SG_ID_LEN + 1], uint64_t hi, uint64_t lo)
{
  if (!pairs[0][0])
    pairs_fill();
  base62_11(out, hi);
  base62_11(out + 11, lo);
  out[SG_ID_LEN] = '\0';
}

void sg_make_id(char out[SG_ID_LEN + 1], uint64_t seed, uint32_t kind, uint64_t id)
{
  uint64_t key = splitmix(seed ^ ((uint64_t)kind << 56));
  uint64_t lo = sg_mix64(id, key);
  uint64_t hi = splitmix(lo ^ key);
  sg_base62_128(out, hi, lo);
}
