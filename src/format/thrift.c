/* thrift.c - the Thrift compact protocol (see thrift.h). */
#include "spotgen/format/thrift.h"

#include <stdlib.h>
#include <string.h>

/* ---- writing ------------------------------------------------------------ */

void sg_thrift_out_init(sg_thrift_out *w) { memset(w, 0, sizeof *w); }

void sg_thrift_out_free(sg_thrift_out *w)
{
  sg_buf_free(&w->out);
  memset(w, 0, sizeof *w);
}

static void put(sg_thrift_out *w, const void *data, size_t n) { sg_buf_put(&w->out, data, n); }

size_t sg_uleb128(unsigned char out[10], uint64_t v)
{
  size_t n = 0;
  while (v >= 0x80) {
    out[n++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  out[n++] = (unsigned char)v;
  return n;
}

static void varint(sg_thrift_out *w, uint64_t v)
{
  unsigned char b[10];
  put(w, b, sg_uleb128(b, v));
}

static uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }

static void field(sg_thrift_out *w, int16_t id, int type)
{
  int16_t *last = &w->last[w->depth];
  int delta = id - *last;
  if (delta > 0 && delta <= 15) {
    unsigned char b = (unsigned char)(delta << 4 | type);
    put(w, &b, 1);
  } else {
    unsigned char b = (unsigned char)type;
    put(w, &b, 1);
    varint(w, zigzag(id));
  }
  *last = id;
}

/* i16, i32 and i64 are all zigzag varints; only the type differs. */
static void int_field(sg_thrift_out *w, int16_t id, int type, int64_t v)
{
  field(w, id, type);
  varint(w, zigzag(v));
}

void sg_thrift_i16(sg_thrift_out *w, int16_t id, int16_t v) { int_field(w, id, SG_TT_I16, v); }
void sg_thrift_i32(sg_thrift_out *w, int16_t id, int32_t v) { int_field(w, id, SG_TT_I32, v); }
void sg_thrift_i64(sg_thrift_out *w, int16_t id, int64_t v) { int_field(w, id, SG_TT_I64, v); }

void sg_thrift_byte(sg_thrift_out *w, int16_t id, int8_t v)
{
  field(w, id, SG_TT_BYTE);
  put(w, &v, 1);
}

void sg_thrift_bool(sg_thrift_out *w, int16_t id, int v) { field(w, id, v ? SG_TT_TRUE : SG_TT_FALSE); }

void sg_thrift_binary(sg_thrift_out *w, int16_t id, const void *data, size_t len)
{
  field(w, id, SG_TT_BINARY);
  varint(w, len);
  put(w, data, len);
}

void sg_thrift_string(sg_thrift_out *w, int16_t id, const char *s) { sg_thrift_binary(w, id, s, strlen(s)); }

static void open_struct(sg_thrift_out *w)
{
  if (w->depth + 1 >= SG_THRIFT_DEPTH) {
    w->out.failed = 1;
    return;
  }
  w->last[++w->depth] = 0;
}

void sg_thrift_struct_begin(sg_thrift_out *w, int16_t id)
{
  field(w, id, SG_TT_STRUCT);
  open_struct(w);
}

void sg_thrift_elem_begin(sg_thrift_out *w) { open_struct(w); }

void sg_thrift_struct_end(sg_thrift_out *w)
{
  unsigned char stop = SG_TT_STOP;
  put(w, &stop, 1);
  if (w->depth > 0)
    w->depth--;
}

void sg_thrift_end(sg_thrift_out *w)
{
  unsigned char stop = SG_TT_STOP;
  put(w, &stop, 1);
}

void sg_thrift_list(sg_thrift_out *w, int16_t id, int elem, uint32_t n)
{
  field(w, id, SG_TT_LIST);
  if (n < 15) {
    unsigned char b = (unsigned char)(n << 4 | (unsigned)elem);
    put(w, &b, 1);
  } else {
    unsigned char b = (unsigned char)(0xF0 | elem);
    put(w, &b, 1);
    varint(w, n);
  }
}

void sg_thrift_elem_i32(sg_thrift_out *w, int32_t v) { varint(w, zigzag(v)); }

void sg_thrift_elem_i64(sg_thrift_out *w, int64_t v) { varint(w, zigzag(v)); }

void sg_thrift_elem_binary(sg_thrift_out *w, const void *data, size_t len)
{
  varint(w, len);
  put(w, data, len);
}

void sg_thrift_elem_string(sg_thrift_out *w, const char *s) { sg_thrift_elem_binary(w, s, strlen(s)); }

void sg_thrift_elem_bool(sg_thrift_out *w, int v)
{
  unsigned char b = v ? SG_TT_TRUE : SG_TT_FALSE;
  put(w, &b, 1);
}

/* ---- reading ------------------------------------------------------------ */

void sg_thrift_in_init(sg_thrift_in *r, const void *data, size_t len)
{
  memset(r, 0, sizeof *r);
  r->p = data;
  r->end = r->p + len;
}

static int byte_in(sg_thrift_in *r)
{
  if (r->failed || r->p >= r->end) {
    r->failed = 1;
    return 0;
  }
  return *r->p++;
}

size_t sg_uleb128_read(const unsigned char *p, const unsigned char *end, uint64_t *v)
{
  *v = 0;
  for (size_t i = 0; i < 10 && p + i < end; i++) {
    *v |= (uint64_t)(p[i] & 0x7F) << (7 * i);
    if (!(p[i] & 0x80))
      return i + 1;
  }
  *v = 0;
  return 0;
}

static uint64_t varint_in(sg_thrift_in *r)
{
  uint64_t v;
  size_t n = r->failed ? 0 : sg_uleb128_read(r->p, r->end, &v);
  if (!n) {
    r->failed = 1;
    return 0;
  }
  r->p += n;
  return v;
}

static int64_t unzigzag(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

int sg_thrift_field(sg_thrift_in *r, int16_t *id, int *type)
{
  int b = byte_in(r);
  if (b == SG_TT_STOP || r->failed)
    return 0;
  *type = b & 0x0F;
  int16_t *last = &r->last[r->depth];
  *id = (b >> 4) ? (int16_t)(*last + (b >> 4)) : (int16_t)unzigzag(varint_in(r));
  *last = *id;
  return !r->failed;
}

int64_t sg_thrift_read_int(sg_thrift_in *r, int type)
{
  if (type == SG_TT_BYTE)
    return (int8_t)byte_in(r);
  if (type == SG_TT_I16 || type == SG_TT_I32 || type == SG_TT_I64)
    return unzigzag(varint_in(r));
  r->failed = 1;
  return 0;
}

int sg_thrift_read_bool(sg_thrift_in *r, int type)
{
  if (type != SG_TT_TRUE && type != SG_TT_FALSE)
    r->failed = 1;
  return type == SG_TT_TRUE;
}

const unsigned char *sg_thrift_read_binary(sg_thrift_in *r, size_t *len)
{
  uint64_t n = varint_in(r);
  if (r->failed || n > (uint64_t)(r->end - r->p)) {
    r->failed = 1;
    *len = 0;
    return NULL;
  }
  const unsigned char *p = r->p;
  r->p += n;
  *len = (size_t)n;
  return p;
}

void sg_thrift_enter(sg_thrift_in *r)
{
  if (r->depth + 1 >= SG_THRIFT_DEPTH) {
    r->failed = 1;
    return;
  }
  r->last[++r->depth] = 0;
}

void sg_thrift_leave(sg_thrift_in *r)
{
  if (r->depth > 0)
    r->depth--;
}

uint32_t sg_thrift_read_list(sg_thrift_in *r, int *elem)
{
  int b = byte_in(r);
  *elem = b & 0x0F;
  uint64_t n = (b >> 4) == 15 ? varint_in(r) : (uint64_t)(b >> 4);
  if (n > (uint64_t)(r->end - r->p)) /* every element takes at least a byte */
    r->failed = 1;
  return r->failed ? 0 : (uint32_t)n;
}

void sg_thrift_skip(sg_thrift_in *r, int type)
{
  size_t len;
  int16_t id;
  int t, elem;
  /* containers nest like structs: the same depth limit bounds the recursion */
  int container = type == SG_TT_LIST || type == SG_TT_SET || type == SG_TT_MAP;
  if (container && ++r->depth >= SG_THRIFT_DEPTH) {
    r->failed = 1;
    r->depth--;
    return;
  }
  if (container)
    r->last[r->depth] = 0;
  switch (type) {
  case SG_TT_TRUE:
  case SG_TT_FALSE: break;
  case SG_TT_BYTE: byte_in(r); break;
  case SG_TT_I16:
  case SG_TT_I32:
  case SG_TT_I64: varint_in(r); break;
  case SG_TT_DOUBLE:
    for (int i = 0; i < 8; i++)
      byte_in(r);
    break;
  case SG_TT_BINARY: sg_thrift_read_binary(r, &len); break;
  case SG_TT_LIST:
  case SG_TT_SET: {
    uint32_t n = sg_thrift_read_list(r, &elem);
    for (uint32_t i = 0; i < n && !r->failed; i++)
      sg_thrift_skip(r, elem == SG_TT_TRUE || elem == SG_TT_FALSE ? SG_TT_BYTE : elem);
    break;
  }
  case SG_TT_MAP: {
    uint64_t n = varint_in(r);
    int kv = n ? byte_in(r) : 0;
    if (n > (uint64_t)(r->end - r->p)) /* every entry takes at least a byte */
      r->failed = 1;
    /* inside containers a bool is a byte of its own */
    int kt = kv >> 4, vt = kv & 0x0F;
    kt = kt == SG_TT_TRUE || kt == SG_TT_FALSE ? SG_TT_BYTE : kt;
    vt = vt == SG_TT_TRUE || vt == SG_TT_FALSE ? SG_TT_BYTE : vt;
    for (uint64_t i = 0; i < n && !r->failed; i++) {
      sg_thrift_skip(r, kt);
      sg_thrift_skip(r, vt);
    }
    break;
  }
  case SG_TT_STRUCT:
    sg_thrift_enter(r);
    while (!r->failed && sg_thrift_field(r, &id, &t))
      sg_thrift_skip(r, t);
    sg_thrift_leave(r);
    break;
  default: r->failed = 1;
  }
  if (container)
    r->depth--;
}
