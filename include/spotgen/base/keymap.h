/* keymap.h - a growing hash map from byte strings to (count, attribute),
 * for verify's whole-dataset checks: duplicate track ids, rows per artist,
 * one name per artist, one category and followers per playlist ...
 *
 * A key is stored as two independent 64-bit hashes of its bytes, 16 bytes
 * whatever its length: two different keys are confused with probability
 * about 2^-128 per pair (below 10^-20 for a billion keys). */
#ifndef SPOTGEN_KEYMAP_H
#define SPOTGEN_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct sg_key {
  uint64_t a, b;
} sg_key;

typedef struct sg_keyslot {
  sg_key key;
  uint64_t count;  /* 0: the slot is empty; the rows (sg_keyslot_rows), and
                      SG_KEYSLOT_MIXED once two of them carried different attributes */
  uint64_t attr;   /* what the first occurrence carried (a hash) */
} sg_keyslot;

#define SG_KEYSLOT_MIXED (1ull << 63)

/*! sg_keyslot_rows() : the occurrences slot `s` counted. */
static inline uint64_t sg_keyslot_rows(const sg_keyslot *s) { return s->count & ~SG_KEYSLOT_MIXED; }

typedef struct sg_keymap {
  sg_keyslot *slots;
  size_t cap, used;
} sg_keymap;

/*! sg_key_of() : the key of `len` bytes at `p`. */
sg_key sg_key_of(const void *p, size_t len);

/*! sg_hash64() : a 64-bit hash of `len` bytes with `seed` (for attributes). */
uint64_t sg_hash64(const void *p, size_t len, uint64_t seed);

void sg_keymap_init(sg_keymap *m);
void sg_keymap_free(sg_keymap *m);

/*! sg_keymap_add() :
 *  Counts one occurrence of `key` carrying `attr`. *first is set when the
 *  key is new; *same is cleared only when this occurrence makes the key
 *  mixed (its attribute differs from the first occurrence's, and no earlier
 *  one did): a key whose rows disagree is reported once, however many of
 *  its rows disagree and in whatever order they come.
 *  @return : the slot, or NULL when out of memory. */
sg_keyslot *sg_keymap_add(sg_keymap *m, sg_key key, uint64_t attr, int *first, int *same);

/*! sg_keymap_add_slot() : adds what another map's slot `s` counted (its
 *  rows, its first attribute, whether it was mixed), as sg_keymap_add does
 *  one row: *same is cleared only when the key becomes mixed here (two
 *  maps' first attributes differ, and neither was mixed already, having
 *  been reported where it was counted). So merging the maps of a dataset's
 *  parts reports what one map of all of them reports, but for a key mixed
 *  within two of the maps, reported by each. */
sg_keyslot *sg_keymap_add_slot(sg_keymap *m, const sg_keyslot *s, int *first, int *same);

/*! sg_keymap_sum() : a map of sums, not of first attributes: adds
 *  `delta` to key's attribute (modulo 2^64) and `count` to its
 *  occurrences (never mixed). @return : the slot, or NULL when out of
 *  memory. */
sg_keyslot *sg_keymap_sum(sg_keymap *m, sg_key key, uint64_t delta, uint64_t count);

/*! sg_keymap_prefetch() : asks for the cache line where `key` is or would
 *  go, ahead of an add. */
static inline void sg_keymap_prefetch(const sg_keymap *m, sg_key key)
{
  if (m->cap)
    __builtin_prefetch(&m->slots[(size_t)key.a & (m->cap - 1)]);
}

/*! sg_keymap_get() : the slot of `key`, or NULL when it was never added. */
const sg_keyslot *sg_keymap_get(const sg_keymap *m, sg_key key);

#endif
