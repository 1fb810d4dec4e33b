/* pq_hand.h - writing Parquet metadata by hand, for the tests' hand-made
 * files (test_parquet.c's Spark-style file, pq_hostile.c's hostile ones). */
#ifndef SPOTGEN_TEST_PQ_HAND_H
#define SPOTGEN_TEST_PQ_HAND_H

#include <stdint.h>

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

#endif
