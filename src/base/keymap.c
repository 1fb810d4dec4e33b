/* keymap.c - open addressing with linear probing, doubled at half full. */
#include "spotgen/base/keymap.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t x)
{
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  return x;
}

uint64_t sg_hash64(const void *p, size_t len, uint64_t seed)
{
  const unsigned char *s = p;
  uint64_t h = mix(seed ^ (len * 0x9e3779b97f4a7c15ull));
  while (len >= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    h = mix(h ^ w) + 0x9e3779b97f4a7c15ull;
    s += 8;
    len -= 8;
  }
  uint64_t tail = 0;
  memcpy(&tail, s, len);
  return mix(h ^ tail ^ ((uint64_t)len << 56));
}

sg_key sg_key_of(const void *p, size_t len)
{
  /* sg_hash64 with two seeds, in one pass: the two lanes' multiplies overlap */
  const unsigned char *s = p;
  uint64_t a = mix(0x243f6a8885a308d3ull ^ (len * 0x9e3779b97f4a7c15ull));
  uint64_t b = mix(0x13198a2e03707344ull ^ (len * 0x9e3779b97f4a7c15ull));
  size_t left = len;
  while (left >= 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    a = mix(a ^ w) + 0x9e3779b97f4a7c15ull;
    b = mix(b ^ w) + 0x9e3779b97f4a7c15ull;
    s += 8;
    left -= 8;
  }
  uint64_t tail = 0;
  memcpy(&tail, s, left);
  sg_key k = {mix(a ^ tail ^ ((uint64_t)left << 56)), mix(b ^ tail ^ ((uint64_t)left << 56))};
  return k;
}

void sg_keymap_init(sg_keymap *m) { memset(m, 0, sizeof *m); }

void sg_keymap_free(sg_keymap *m)
{
  free(m->slots);
  memset(m, 0, sizeof *m);
}

static sg_keyslot *find(sg_keyslot *slots, size_t cap, sg_key k)
{
  size_t i = (size_t)k.a & (cap - 1);
  while (slots[i].count && (slots[i].key.a != k.a || slots[i].key.b != k.b))
    i = (i + 1) & (cap - 1);
  return &slots[i];
}

static int grow(sg_keymap *m)
{
  size_t cap = m->cap ? m->cap * 2 : 1024;
  sg_keyslot *slots = calloc(cap, sizeof *slots);
  if (!slots)
    return -1;
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].count)
      *find(slots, cap, m->slots[i].key) = m->slots[i];
  free(m->slots);
  m->slots = slots;
  m->cap = cap;
  return 0;
}

const sg_keyslot *sg_keymap_get(const sg_keymap *m, sg_key key)
{
  if (m->cap == 0)
    return NULL;
  const sg_keyslot *s = find(m->slots, m->cap, key);
  return s->count ? s : NULL;
}

static sg_keyslot *add(sg_keymap *m, sg_key key, uint64_t attr, uint64_t count, int *first, int *same)
{
  if ((m->used + 1) * 2 > m->cap && grow(m) != 0)
    return NULL;
  sg_keyslot *s = find(m->slots, m->cap, key);
  *first = s->count == 0;
  *same = 1;
  if (*first) {
    s->key = key;
    s->attr = attr;
    s->count = count;
    m->used++;
    return s;
  }
  const uint64_t was = s->count & SG_KEYSLOT_MIXED, came = count & SG_KEYSLOT_MIXED;
  const int differ = s->attr != attr;
  *same = !(differ && !was && !came);
  s->count = (sg_keyslot_rows(s) + (count & ~SG_KEYSLOT_MIXED)) | was | came |
             (differ ? SG_KEYSLOT_MIXED : 0);
  return s;
}

sg_keyslot *sg_keymap_sum(sg_keymap *m, sg_key key, uint64_t delta, uint64_t count)
{
  if ((m->used + 1) * 2 > m->cap && grow(m) != 0)
    return NULL;
  sg_keyslot *s = find(m->slots, m->cap, key);
  if (s->count == 0) {
    s->key = key;
    s->attr = 0;
    m->used++;
  }
  s->attr += delta;
  s->count += count;
  return s;
}

sg_keyslot *sg_keymap_add(sg_keymap *m, sg_key key, uint64_t attr, int *first, int *same)
{
  return add(m, key, attr, 1, first, same);
}

sg_keyslot *sg_keymap_add_slot(sg_keymap *m, const sg_keyslot *s, int *first, int *same)
{
  return add(m, s->key, s->attr, s->count, first, same);
}
