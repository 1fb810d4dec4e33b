/* buf.c - a growing buffer (see buf.h). */
#include "spotgen/base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sg_buf_reserve(sg_buf *b, size_t n)
{
  if (b->failed)
    return -1;
  if (b->len + n < b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap <= b->len + n)
    cap *= 2;
  unsigned char *p = realloc(b->p, cap);
  if (!p) {
    b->failed = 1;
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

void sg_buf_put(sg_buf *b, const void *data, size_t n)
{
  if (sg_buf_reserve(b, n) != 0)
    return;
  if (n) /* data may be NULL when there is nothing (an empty sg_buf's p) */
    memcpy(b->p + b->len, data, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void sg_buf_puts(sg_buf *b, const char *s)
{
  sg_buf_put(b, s, strlen(s));
}

/* Formats into the room there is, and again after growing when it did
 * not fit: most pieces are short, so most are formatted once. */
void sg_buf_printf(sg_buf *b, const char *fmt, ...)
{
  if (sg_buf_reserve(b, 0) != 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf((char *)b->p + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  if (n >= 0 && (size_t)n >= b->cap - b->len && sg_buf_reserve(b, (size_t)n) == 0) {
    va_start(ap, fmt);
    vsnprintf((char *)b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
  }
  if (n < 0 || b->len + (size_t)n >= b->cap) { /* an encoding error, or no room */
    b->failed = 1;
    b->p[b->len] = '\0';
    return;
  }
  b->len += (size_t)n;
}

void sg_buf_free(sg_buf *b)
{
  free(b->p);
  *b = (sg_buf){0};
}
