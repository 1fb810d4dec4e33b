/* ids.h - 22-character base62 ids, unique by construction.
 *
 * An entity's id spells two 64-bit halves in base62, 11 digits each; the low
 * half is a keyed bijection of the entity's numeric id, so two different
 * numeric ids of one kind can never share an id string, whatever the seed. */
#ifndef SPOTGEN_IDS_H
#define SPOTGEN_IDS_H

#include <stdint.h>

#include "spotgen/model/row.h"

/*! sg_mix64() : a keyed bijection of 64-bit integers (distinct in, distinct out). */
uint64_t sg_mix64(uint64_t x, uint64_t key);

/*! sg_base62_128() : writes 22 base62 digits and a NUL to `out`: 11 for
 *  each half, the digits of floor(half * 62^11 / 2^64) (the half read as a
 *  fraction, so every digit is near uniform; one-to-one since
 *  62^11 > 2^64). */
void sg_base62_128(char out[SG_ID_LEN + 1], uint64_t hi, uint64_t lo);

/*! sg_make_id() : the id string of entity `id` of stream `kind` under `seed`. */
void sg_make_id(char out[SG_ID_LEN + 1], uint64_t seed, uint32_t kind, uint64_t id);

#endif
