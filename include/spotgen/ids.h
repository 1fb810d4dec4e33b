/* ids.h - 22-character base62 ids, unique by construction.
 *
 * An entity's id is the base62 spelling of a 128-bit number whose low 64 bits
 * are a keyed bijection of the entity's numeric id: two different numeric ids
 * of one kind can never share an id string, whatever the seed. */
#ifndef SPOTGEN_IDS_H
#define SPOTGEN_IDS_H

#include <stdint.h>

#include "spotgen/row.h"

/*! sg_mix64() : a keyed bijection of 64-bit integers (distinct in, distinct out). */
uint64_t sg_mix64(uint64_t x, uint64_t key);

/*! sg_base62_128() : writes the 22 base62 digits of hi:lo and a NUL to `out`. */
void sg_base62_128(char out[SG_ID_LEN + 1], uint64_t hi, uint64_t lo);

/*! sg_make_id() : the id string of entity `id` of stream `kind` under `seed`. */
void sg_make_id(char out[SG_ID_LEN + 1], uint64_t seed, uint32_t kind, uint64_t id);

#endif
