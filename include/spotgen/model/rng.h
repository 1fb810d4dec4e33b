/* rng.h - Philox4x32 counter-based random numbers.
 *
 * Every random value in spotgen is a pure function of
 *   (seed, stream, id, draw)
 * where the stream names the kind of entity (a row, an artist, a playlist...),
 * id is the entity's id or the global row index, and draw counts the blocks
 * of four 32-bit words taken for that entity. Philox's counter is
 *   { draw, stream, id low 32 bits, id high 32 bits }
 * and its key is the 64-bit seed. Any row or entity can thus be computed
 * alone, in any order, on any rank, with the same result.
 */
#ifndef SPOTGEN_RNG_H
#define SPOTGEN_RNG_H

#include <stdint.h>

/* Streams: one per kind of entity; never reuse or renumber (the bytes change). */
enum sg_stream {
  SG_STREAM_ROW = 1,      /* per global row: the track it places */
  SG_STREAM_ARTIST = 2,   /* per artist id */
  SG_STREAM_ALBUM = 3,    /* per album id */
  SG_STREAM_PLAYLIST = 4, /* per playlist id */
  SG_STREAM_LAYOUT = 5,   /* per block of rows: playlist sizes */
  SG_STREAM_ID = 6,       /* 22-character ids */
  SG_STREAM_TRACK = 7,    /* per track id: its artist, album, name, features */
  SG_STREAM_DIRTY = 8,    /* per global row: what generate --dirty does to it (dirty.h) */
  /* --days (days.h). Those marked | x << 8 carry a second index in the
   * stream word's upper 24 bits. */
  SG_STREAM_DAYS = 9,     /* per playlist: its growth, tracks an edit adds */
  SG_STREAM_PLACED = 10,  /* | position << 8, per playlist: the track placed there after day 0 */
  SG_STREAM_COUNT = 11,   /* | day << 8, per playlist: its followers counted that day, the time */
  SG_STREAM_PERM = 12,    /* per purpose << 40 | cohort: a permutation's keys */
  SG_STREAM_KEEP = 13,    /* | position << 8, per playlist: when a placement is removed */
  SG_STREAM_RELEASE = 14  /* per new release (track id): its artist, its popularity's luck */
};

/*! sg_stream_at() : stream `s` with its second index `x` (< 2^24). */
static inline uint32_t sg_stream_at(uint32_t s, uint32_t x) { return s | x << 8; }

/*! sg_philox4x32() :
 *  The Philox4x32 bijection of Salmon et al. (SC'11) with `rounds` rounds
 *  (10 is the standard; 7 only for the published known answers).
 *  Writes four words to `out`; `out` may alias `ctr`. */
void sg_philox4x32(unsigned rounds, const uint32_t ctr[4], const uint32_t key[2],
                   uint32_t out[4]);

/*! sg_rng_block() :
 *  Philox4x32-10 of counter {draw, stream, id, id>>32} under key `seed`. */
void sg_rng_block(uint64_t seed, uint32_t stream, uint64_t id, uint32_t draw,
                  uint32_t out[4]);

/* A sequential reader over one entity's blocks: draws 0, 1, 2 ... of
 * (seed, stream, id). Cheap to create; lives on the stack; may be copied. */
#define SG_RNG_BUF 8 /* most blocks held at once */

typedef struct sg_rng {
  uint32_t key[2];
  uint32_t ctr[4];          /* the next block to compute */
  uint32_t buf[4 * SG_RNG_BUF];
  unsigned pos, len;        /* buf[pos .. len) not yet used */
  unsigned blocks;          /* computed per refill */
} sg_rng;

/*! sg_philox_rows() :
 *  Blocks 0 .. blocks-1 of (seed, stream, id) for the `n` ids first,
 *  first+1 ...: block b of id first+i is out[4 * (i * blocks + b) ..].
 *  The same words as sg_rng_block, computed eight blocks at a time in AVX2
 *  lanes when the CPU has them (the integers are the same either way). */
void sg_philox_rows(uint64_t seed, uint32_t stream, uint64_t first, unsigned n, unsigned blocks,
                    uint32_t *out);

/*! sg_rng_init() : positions `r` at draw 0 of (seed, stream, id). */
void sg_rng_init(sg_rng *r, uint64_t seed, uint32_t stream, uint64_t id);

/*! sg_rng_init_words() :
 *  The same reader, starting from the entity's first `blocks` (<= SG_RNG_BUF)
 *  blocks already computed (by sg_philox_rows): they are read first, and
 *  later draws are computed as usual. */
void sg_rng_init_words(sg_rng *r, uint64_t seed, uint32_t stream, uint64_t id,
                       const uint32_t *words, unsigned blocks);

/*! sg_rng_refill() : computes the next blocks (sg_rng_u32 calls it). */
void sg_rng_refill(sg_rng *r);

/*! sg_rng_u32() : the next 32 random bits. */
static inline uint32_t sg_rng_u32(sg_rng *r)
{
  if (r->pos == r->len)
    sg_rng_refill(r);
  return r->buf[r->pos++];
}

/*! sg_rng_u64() : the next 64 random bits. */
static inline uint64_t sg_rng_u64(sg_rng *r)
{
  uint64_t hi = sg_rng_u32(r);
  return hi << 32 | sg_rng_u32(r);
}

/*! sg_u01() : random word `w` as a uniform on the open interval (0, 1). */
static inline double sg_u01(uint32_t w) { return ((double)w + 0.5) * (1.0 / 4294967296.0); }

/*! sg_below() : random word `w` as a uniform integer in [0, n), n >= 1
 *  (Lemire's method without rejection: bias below 2^-32 * n, fixed cost). */
static inline uint32_t sg_below(uint32_t w, uint32_t n) { return (uint32_t)(((uint64_t)w * n) >> 32); }

/*! sg_rng_u01() : the next uniform on (0, 1), 32-bit resolution. */
static inline double sg_rng_u01(sg_rng *r) { return sg_u01(sg_rng_u32(r)); }

/*! sg_rng_below() : the next uniform integer in [0, n). */
static inline uint32_t sg_rng_below(sg_rng *r, uint32_t n) { return sg_below(sg_rng_u32(r), n); }

/* Normal deviates: sg_rng_normal() in dist.h. */

#endif
