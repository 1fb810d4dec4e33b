/* pq_hand.h - writing Parquet metadata by hand, for the tests' hand-made
 * files (test_parquet.c's Spark-style file, pq_hostile.c's hostile ones,
 * pq_others.c's files as other writers make them). */
#ifndef SPOTGEN_TEST_PQ_HAND_H
#define SPOTGEN_TEST_PQ_HAND_H

#include <stdint.h>

#include "spotgen/base/buf.h"
#include "spotgen/format/thrift.h"

/* One ColumnChunk element of a row group's list: a chunk of `size` bytes
 * from `start`, its first data page at `data` (and its dictionary page at
 * `dict`, when it has one: dict < data), `rows` values of physical `type`
 * in `encoding`, pages compressed by `codec`. */
static inline void pq_hand_chunk(sg_thrift_out *w, const char *name, int type, int encoding, int codec, int64_t rows,
                                 int64_t start, int64_t size, int64_t data, int64_t dict)
{
  sg_thrift_elem_begin(w);
  sg_thrift_i64(w, 2, start);
  sg_thrift_struct_begin(w, 3);
  sg_thrift_i32(w, 1, type);
  sg_thrift_list(w, 2, SG_TT_I32, 1);
  sg_thrift_elem_i32(w, encoding);
  sg_thrift_list(w, 3, SG_TT_BINARY, 1);
  sg_thrift_elem_string(w, name);
  sg_thrift_i32(w, 4, codec);
  sg_thrift_i64(w, 5, rows);
  sg_thrift_i64(w, 6, size);
  sg_thrift_i64(w, 7, size);
  sg_thrift_i64(w, 9, data);
  if (dict < data)
    sg_thrift_i64(w, 11, dict);
  sg_thrift_struct_end(w);
  sg_thrift_struct_end(w);
}

/* A page as written: its header, then `packed` bytes of body. */
typedef struct pq_hand_page {
  int type;               /* 0 data page, 2 dictionary page, 3 data page v2 */
  int encoding;
  int32_t count, raw;     /* values (nulls included); bytes decompressed */
  int32_t nulls, rows;    /* v2 */
  int32_t def_bytes, rep_bytes; /* v2: the levels' bytes, before the values */
  int compressed;         /* v2: its values compressed */
  int with_crc;           /* the header carries the body's CRC-32 */
  uint32_t crc;
} pq_hand_page;

/* Appends page `pg`'s header and its body to f. */
static inline void pq_hand_page_put(sg_buf *f, const pq_hand_page *pg, const void *body, size_t packed)
{
  sg_thrift_out w;
  sg_thrift_out_init(&w);
  sg_thrift_i32(&w, 1, pg->type);
  sg_thrift_i32(&w, 2, pg->raw);
  sg_thrift_i32(&w, 3, (int32_t)packed);
  if (pg->with_crc)
    sg_thrift_i32(&w, 4, (int32_t)pg->crc);
  sg_thrift_struct_begin(&w, pg->type == 2 ? 7 : pg->type == 3 ? 8 : 5);
  sg_thrift_i32(&w, 1, pg->count);
  if (pg->type == 3) {
    sg_thrift_i32(&w, 2, pg->nulls);
    sg_thrift_i32(&w, 3, pg->rows);
    sg_thrift_i32(&w, 4, pg->encoding);
    sg_thrift_i32(&w, 5, pg->def_bytes);
    sg_thrift_i32(&w, 6, pg->rep_bytes);
    sg_thrift_bool(&w, 7, pg->compressed);
  } else {
    sg_thrift_i32(&w, 2, pg->encoding);
    if (pg->type == 0) { /* the levels' encodings */
      sg_thrift_i32(&w, 3, 3);
      sg_thrift_i32(&w, 4, 3);
    }
  }
  sg_thrift_struct_end(&w);
  sg_thrift_end(&w);
  sg_buf_put(f, w.out.p, w.out.len);
  sg_buf_put(f, body, packed);
  sg_thrift_out_free(&w);
}

/* Appends the footer `w` (its struct ended by the caller, not yet
 * sg_thrift_end'ed: this does it) to f, then its length and "PAR1". */
static inline void pq_hand_footer(sg_buf *f, sg_thrift_out *w)
{
  sg_thrift_end(w);
  uint32_t len = (uint32_t)w->out.len;
  unsigned char tail[8] = {(unsigned char)len, (unsigned char)(len >> 8), (unsigned char)(len >> 16),
                           (unsigned char)(len >> 24), 'P', 'A', 'R', '1'};
  sg_buf_put(f, w->out.p, w->out.len);
  sg_buf_put(f, tail, 8);
}

#endif
