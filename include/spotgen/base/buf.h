/* buf.h - a buffer that grows as it is appended to: text built piece by
 * piece (the report's HTML, SigV4's canonical request) or bytes (Thrift
 * structures, Parquet pages). The appends leave a NUL after what is held,
 * so text can be used as a C string; a writer may also fill reserved room
 * itself and add to `len`. A failed allocation is remembered in `failed`:
 * later appends do nothing, and the caller tests it once. */
#ifndef SPOTGEN_BUF_H
#define SPOTGEN_BUF_H

#include <stddef.h>

typedef struct sg_buf {
  unsigned char *p; /* NULL until the first append */
  size_t len, cap;
  int failed;
} sg_buf;

/*! sg_buf_reserve() : room for `n` more bytes at p + len (and the NUL).
 *  @return : 0, or -1 with `failed` set. */
int sg_buf_reserve(sg_buf *b, size_t n);

/*! sg_buf_put() : appends `n` bytes. */
void sg_buf_put(sg_buf *b, const void *data, size_t n);

/*! sg_buf_puts() : appends the string `s`. */
void sg_buf_puts(sg_buf *b, const char *s);

/*! sg_buf_printf() : appends formatted text. */
void sg_buf_printf(sg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*! sg_buf_free() : frees the memory; `b` is empty again. */
void sg_buf_free(sg_buf *b);

#endif
