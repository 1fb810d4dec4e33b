/* csv_read.c - see csv_read.h. */
#include "spotgen/csv_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define READ_BUF (4u << 20)

sg_err sg_csv_open(sg_csv_reader *r, const char *path)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    memset(r, 0, sizeof *r);
    r->fd = -1;
    return sg_seterr(SG_EIO, "cannot open %s: %s", path, strerror(errno));
  }
  sg_err e = sg_csv_open_fd(r, fd, path);
  r->own_fd = 1;
  if (e != SG_OK)
    close(fd);
  return e;
}

sg_err sg_csv_open_fd(sg_csv_reader *r, int fd, const char *path)
{
  memset(r, 0, sizeof *r);
  r->path = path;
  r->crc32 = (uint32_t)crc32(0L, Z_NULL, 0);
  r->fd = fd;
  r->buf = malloc(READ_BUF);
  r->rec_cap = 4096;
  r->rec = malloc(r->rec_cap);
  if (!r->buf || !r->rec) {
    free(r->buf);
    free(r->rec);
    r->buf = NULL;
    r->rec = NULL;
    return sg_seterr(SG_ENOMEM, "out of memory reading %s", path);
  }
  return SG_OK;
}

void sg_csv_close(sg_csv_reader *r)
{
  if (r->fd >= 0 && r->own_fd)
    close(r->fd);
  r->fd = -1;
  free(r->buf);
  free(r->rec);
  r->buf = NULL;
  r->rec = NULL;
}

/* The next byte, or -1 at the end; -2 on a read error. */
static int next_byte(sg_csv_reader *r)
{
  if (r->pos == r->len) {
    if (r->eof)
      return -1;
    ssize_t n;
    do
      n = read(r->fd, r->buf, READ_BUF);
    while (n < 0 && errno == EINTR);
    if (n < 0)
      return -2;
    if (n == 0) {
      r->eof = 1;
      return -1;
    }
    r->len = (size_t)n;
    r->pos = 0;
    r->bytes += (uint64_t)n;
    r->crc32 = (uint32_t)crc32(r->crc32, r->buf, (uInt)n);
  }
  return r->buf[r->pos++];
}

static int put(sg_csv_reader *r, size_t *n, char c)
{
  if (*n + 1 >= r->rec_cap) {
    char *p = realloc(r->rec, r->rec_cap * 2);
    if (!p)
      return -1;
    r->rec = p;
    r->rec_cap *= 2;
  }
  r->rec[(*n)++] = c;
  return 0;
}

static int malformed(sg_csv_reader *r, const char *why)
{
  sg_seterr(SG_EDATA, "%s: record %llu: %s", r->path, (unsigned long long)r->record + 1, why);
  return -1;
}

int sg_csv_next(sg_csv_reader *r)
{
  size_t n = 0, start[SG_CSV_MAX_FIELDS];
  int nf = 0, c = next_byte(r);
  if (c == -1)
    return 0;
  for (;;) {
    if (nf == SG_CSV_MAX_FIELDS)
      return malformed(r, "too many fields");
    start[nf] = n;
    if (c == '"') { /* quoted: "" is a quote; the closing quote ends the field */
      for (;;) {
        c = next_byte(r);
        if (c < 0)
          return malformed(r, c == -2 ? strerror(errno) : "unterminated quoted field");
        if (c == '"') {
          c = next_byte(r);
          if (c != '"')
            break;
        }
        if (put(r, &n, (char)c))
          return malformed(r, "out of memory");
      }
    } else {
      while (c >= 0 && c != ',' && c != '\n' && c != '\r' && c != '"') {
        if (put(r, &n, (char)c))
          return malformed(r, "out of memory");
        c = next_byte(r);
      }
      if (c == '"')
        return malformed(r, "a quote inside an unquoted field");
    }
    r->flen[nf] = n - start[nf];
    if (put(r, &n, '\0'))
      return malformed(r, "out of memory");
    nf++;
    if (c == ',') {
      c = next_byte(r);
      continue;
    }
    if (c == '\r' && (c = next_byte(r)) != '\n')
      return malformed(r, "a carriage return not followed by a line feed");
    if (c == -2)
      return malformed(r, strerror(errno));
    if (c == -1)
      return malformed(r, "the last record has no line ending (truncated file?)");
    if (c != '\n')
      return malformed(r, "text after the closing quote of a field");
    break;
  }
  for (int i = 0; i < nf; i++)
    r->field[i] = r->rec + start[i];
  r->nfields = nf;
  r->record++;
  return 1;
}
