/* thrift.h - the Thrift compact protocol, as much as Parquet's metadata needs.
 *
 * Writing: a growable buffer and one call per field, with structs and lists
 * nested by begin/end calls; each struct remembers its last field id, since
 * the protocol writes field ids as deltas. Reading: a cursor over a buffer
 * that yields each field's id and type, and can skip what it does not know.
 * Types and the wire format follow the Thrift compact protocol
 * specification (thrift/doc/specs/thrift-compact-protocol.md). */
#ifndef SPOTGEN_THRIFT_H
#define SPOTGEN_THRIFT_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/buf.h"

enum {
  SG_TT_STOP = 0, SG_TT_TRUE = 1, SG_TT_FALSE = 2, SG_TT_BYTE = 3, SG_TT_I16 = 4,
  SG_TT_I32 = 5, SG_TT_I64 = 6, SG_TT_DOUBLE = 7, SG_TT_BINARY = 8, SG_TT_LIST = 9,
  SG_TT_SET = 10, SG_TT_MAP = 11, SG_TT_STRUCT = 12
};

#define SG_THRIFT_DEPTH 16

typedef struct sg_thrift_out {
  sg_buf out;                      /* the bytes; out.failed: out of memory or too
                                      deep, everything after is dropped */
  int depth;
  int16_t last[SG_THRIFT_DEPTH];   /* last field id of each open struct */
} sg_thrift_out;

/*! sg_uleb128() : `v` as an unsigned LEB128 varint (Thrift's and Parquet's)
 *  at `out`. @return : its length, 1 .. 10. */
size_t sg_uleb128(unsigned char out[10], uint64_t v);

/*! sg_uleb128_read() : the varint at [p, end) into *v. @return : its
 *  length, or 0 when it runs past `end` or past 10 bytes. */
size_t sg_uleb128_read(const unsigned char *p, const unsigned char *end, uint64_t *v);

void sg_thrift_out_init(sg_thrift_out *w);
void sg_thrift_out_free(sg_thrift_out *w);

void sg_thrift_i16(sg_thrift_out *w, int16_t id, int16_t v);
void sg_thrift_i32(sg_thrift_out *w, int16_t id, int32_t v);
void sg_thrift_i64(sg_thrift_out *w, int16_t id, int64_t v);
void sg_thrift_byte(sg_thrift_out *w, int16_t id, int8_t v);
void sg_thrift_bool(sg_thrift_out *w, int16_t id, int v);
void sg_thrift_binary(sg_thrift_out *w, int16_t id, const void *data, size_t len);
void sg_thrift_string(sg_thrift_out *w, int16_t id, const char *s);
/*! a struct field: the fields that follow are its own until sg_thrift_struct_end() */
void sg_thrift_struct_begin(sg_thrift_out *w, int16_t id);
void sg_thrift_struct_end(sg_thrift_out *w);
/*! a list field of n elements of type `elem`; SG_TT_STRUCT elements are each
 *  written between sg_thrift_elem_begin() and sg_thrift_struct_end() */
void sg_thrift_list(sg_thrift_out *w, int16_t id, int elem, uint32_t n);
void sg_thrift_elem_begin(sg_thrift_out *w);
/*! list elements that are not structs */
void sg_thrift_elem_i32(sg_thrift_out *w, int32_t v);
void sg_thrift_elem_i64(sg_thrift_out *w, int64_t v);
void sg_thrift_elem_string(sg_thrift_out *w, const char *s);
void sg_thrift_elem_binary(sg_thrift_out *w, const void *data, size_t len);
/*! a bool of a list (of element type SG_TT_TRUE): one byte, 1 true, 2 false */
void sg_thrift_elem_bool(sg_thrift_out *w, int v);
/*! the end of the outermost struct (its STOP) */
void sg_thrift_end(sg_thrift_out *w);

typedef struct sg_thrift_in {
  const unsigned char *p, *end;
  int failed;                      /* truncated or malformed: every read gives 0 */
  int depth;
  int16_t last[SG_THRIFT_DEPTH];
} sg_thrift_in;

void sg_thrift_in_init(sg_thrift_in *r, const void *data, size_t len);
/*! the next field of the current struct: its id and type; 0 at its STOP */
int sg_thrift_field(sg_thrift_in *r, int16_t *id, int *type);
int64_t sg_thrift_read_int(sg_thrift_in *r, int type);        /* byte, i16, i32, i64 */
int sg_thrift_read_bool(sg_thrift_in *r, int type);
/*! a binary's bytes (pointing into the buffer) and length */
const unsigned char *sg_thrift_read_binary(sg_thrift_in *r, size_t *len);
/*! enters a struct (field or list element) / leaves it after its STOP */
void sg_thrift_enter(sg_thrift_in *r);
void sg_thrift_leave(sg_thrift_in *r);
/*! a list header: its element type and count */
uint32_t sg_thrift_read_list(sg_thrift_in *r, int *elem);
/*! skips a value of `type` */
void sg_thrift_skip(sg_thrift_in *r, int type);

#endif
