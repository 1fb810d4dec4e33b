/* csv_read.c - see csv_read.h. */
#include "spotgen/format/csv_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libdeflate.h>
#include <zlib.h>
#include <zstd.h>

#include "spotgen/format/reader.h"
#include "spotgen/dataset/schema.h"

#define READ_BUF (4u << 20)
#define RAW_BUF (1u << 20) /* compressed bytes read at a time */

typedef enum { UNZIP_GZIP, UNZIP_ZSTD } unzip_kind;

struct sg_unzip {
  unzip_kind kind;
  z_stream gz;
  ZSTD_DStream *zd;
  unsigned char *raw;
  size_t raw_len, raw_pos;
  int raw_eof;
  int at_end; /* the last stream (gzip member, zstd frame) ended cleanly */
  uint64_t made; /* text made so far */
  char why[128];
};

static int ends_with(const char *s, const char *end)
{
  size_t n = strlen(s), m = strlen(end);
  return n >= m && strcmp(s + n - m, end) == 0;
}

static void unzip_free(struct sg_unzip *u)
{
  if (!u)
    return;
  if (u->kind == UNZIP_GZIP)
    inflateEnd(&u->gz);
  ZSTD_freeDStream(u->zd);
  free(u->raw);
  free(u);
}

/* A decompressor for `path` by its ending; *u stays NULL for plain CSV.
 * @return : 0, or -1 when out of memory. */
static int unzip_new(const char *path, struct sg_unzip **out)
{
  *out = NULL;
  int gz = ends_with(path, ".gz"), zst = ends_with(path, ".zst");
  if (!gz && !zst)
    return 0;
  struct sg_unzip *u = calloc(1, sizeof *u);
  if (!u)
    return -1;
  u->kind = gz ? UNZIP_GZIP : UNZIP_ZSTD;
  u->at_end = 1;
  u->raw = malloc(RAW_BUF);
  int ok = u->raw != NULL;
  if (ok && gz && inflateInit2(&u->gz, 15 + 16) != Z_OK) { /* gzip framing only */
    u->kind = UNZIP_ZSTD; /* nothing for inflateEnd */
    ok = 0;
  }
  if (ok && zst)
    ok = (u->zd = ZSTD_createDStream()) != NULL && !ZSTD_isError(ZSTD_initDStream(u->zd));
  if (!ok) {
    unzip_free(u);
    return -1;
  }
  *out = u;
  return 0;
}

/* Reads stored bytes from the file, counting them and their CRC-32.
 * @return : bytes read, 0 at the end, -1 on an error (r->why says). */
static ssize_t read_stored(sg_csv_reader *r, unsigned char *into, size_t cap)
{
  ssize_t n;
  do
    n = read(r->fd, into, cap);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    r->why = strerror(errno);
    return -1;
  }
  r->bytes += (uint64_t)n;
  r->crc32 = libdeflate_crc32(r->crc32, into, (size_t)n);
  return n;
}

/* Fills r->buf with decompressed text. Several gzip members or zstd frames
 * one after another read as one (what gzip and zstd themselves do).
 * @return : bytes of text, 0 at a clean end, -1 on an error. */
static ssize_t unzip_fill(sg_csv_reader *r)
{
  struct sg_unzip *u = r->unzip;
  for (;;) {
    if (u->raw_pos == u->raw_len && !u->raw_eof) {
      ssize_t n = read_stored(r, u->raw, RAW_BUF);
      if (n < 0)
        return -1;
      u->raw_len = (size_t)n;
      u->raw_pos = 0;
      u->raw_eof = n == 0;
    }
    if (u->raw_pos == u->raw_len && u->raw_eof) {
      if (u->at_end)
        return 0;
      r->why = u->kind == UNZIP_GZIP ? "the gzip stream is cut short" : "the zstd stream is cut short";
      return -1;
    }
    size_t made;
    if (u->kind == UNZIP_GZIP) {
      if (u->at_end && inflateReset(&u->gz) != Z_OK) {
        r->why = "gzip: cannot start the next member";
        return -1;
      }
      u->gz.next_in = u->raw + u->raw_pos;
      u->gz.avail_in = (uInt)(u->raw_len - u->raw_pos);
      u->gz.next_out = r->buf;
      u->gz.avail_out = READ_BUF;
      int ret = inflate(&u->gz, Z_NO_FLUSH);
      if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) {
        /* at the very start: the file is not gzip at all (a .csv.gz that is plain text) */
        snprintf(u->why, sizeof u->why, "%s%s%s", u->made == 0 ? "not gzip data" : "the gzip data is damaged",
                 u->gz.msg ? ": zlib: " : "", u->gz.msg ? u->gz.msg : "");
        r->why = u->why;
        return -1;
      }
      u->raw_pos = u->raw_len - u->gz.avail_in;
      u->at_end = ret == Z_STREAM_END;
      made = READ_BUF - u->gz.avail_out;
    } else {
      ZSTD_inBuffer in = {u->raw, u->raw_len, u->raw_pos};
      ZSTD_outBuffer out = {r->buf, READ_BUF, 0};
      size_t left = ZSTD_decompressStream(u->zd, &out, &in);
      if (ZSTD_isError(left)) {
        snprintf(u->why, sizeof u->why, "%s: %s", u->made == 0 ? "not zstd data" : "the zstd data is damaged",
                 ZSTD_getErrorName(left));
        r->why = u->why;
        return -1;
      }
      u->raw_pos = in.pos;
      u->at_end = left == 0;
      made = out.pos;
    }
    u->made += made;
    if (made)
      return (ssize_t)made;
  }
}

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
  r->crc32 = 0;
  r->fd = fd;
  r->buf = malloc(READ_BUF);
  r->rec_cap = 4096;
  r->rec = malloc(r->rec_cap);
  if (!r->buf || !r->rec || unzip_new(path, &r->unzip) != 0) {
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
  unzip_free(r->unzip);
  free(r->buf);
  free(r->rec);
  r->unzip = NULL;
  r->buf = NULL;
  r->rec = NULL;
}

/* The next byte, or -1 at the end; -2 on a read or decompression error
 * (r->why says which). */
static int next_byte(sg_csv_reader *r)
{
  if (r->pos == r->len) {
    if (r->eof)
      return -1;
    ssize_t n = r->unzip ? unzip_fill(r) : read_stored(r, r->buf, READ_BUF);
    if (n < 0)
      return -2;
    if (n == 0) {
      r->eof = 1;
      return -1;
    }
    r->len = (size_t)n;
    r->pos = 0;
  }
  return r->buf[r->pos++];
}

/* Room for `more` bytes of the record after its first n. @return : 0, or
 * -1 with r->why set: past SG_CSV_MAX_RECORD, or out of memory. */
static int room(sg_csv_reader *r, size_t n, size_t more)
{
  if (n + more >= SG_CSV_MAX_RECORD) {
    r->why = "a record longer than " SG_CSV_MAX_RECORD_TEXT " (spotgen's rows are under 2 KB): not a CSV "
             "this reader takes";
    return -1;
  }
  while (n + more >= r->rec_cap) {
    char *p = realloc(r->rec, r->rec_cap * 2);
    if (!p) {
      r->why = "out of memory";
      return -1;
    }
    r->rec = p;
    r->rec_cap *= 2;
  }
  return 0;
}

static int put(sg_csv_reader *r, size_t *n, char c)
{
  if (room(r, *n, 1))
    return -1;
  r->rec[(*n)++] = c;
  return 0;
}

/* The bytes that end an unquoted field, or are not allowed in one. */
static int special(unsigned char c) { return c == ',' || c == '\n' || c == '\r' || c == '"'; }

/* An unquoted field's bytes from the one next_byte just gave on, as far as
 * they lie in the buffer, in one copy. @return : the byte after them (as
 * next_byte), or -3 out of memory. */
static int span(sg_csv_reader *r, size_t *n)
{
  size_t from = r->pos - 1, to = r->pos;
  while (to < r->len && !special(r->buf[to]))
    to++;
  if (room(r, *n, to - from))
    return -3;
  memcpy(r->rec + *n, r->buf + from, to - from);
  *n += to - from;
  r->pos = to;
  return next_byte(r);
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
      return malformed(r, "more than 64 fields, the most this reader takes");
    start[nf] = n;
    if (c == '"') { /* quoted: "" is a quote; the closing quote ends the field */
      for (;;) {
        c = next_byte(r);
        if (c < 0)
          return malformed(r, c == -2 ? r->why : "unterminated quoted field");
        if (c == '"') {
          c = next_byte(r);
          if (c != '"')
            break;
        }
        if (put(r, &n, (char)c))
          return malformed(r, r->why);
      }
    } else {
      while (c >= 0 && !special((unsigned char)c)) /* a buffer's worth at a time */
        if ((c = span(r, &n)) == -3)
          return malformed(r, r->why);
      if (c == '"')
        return malformed(r, "a quote inside an unquoted field");
    }
    r->flen[nf] = n - start[nf];
    if (put(r, &n, '\0'))
      return malformed(r, r->why);
    nf++;
    if (c == ',') {
      c = next_byte(r);
      continue;
    }
    if (c == '\r' && (c = next_byte(r)) != '\n')
      return malformed(r, "a carriage return not followed by a line feed");
    if (c == -2)
      return malformed(r, r->why);
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

/* ---- the format's reader (reader.h) ------------------------------------- */

static void csv_sync(sg_reader *r)
{
  r->record = r->u.csv.record;
  r->bytes = r->u.csv.bytes;
  r->crc32 = r->u.csv.crc32;
}

/* Opens the part and reads its first line, which must be the header. */
static sg_err csv_open(sg_reader *r, int fd, const char *name)
{
  sg_csv_reader *c = &r->u.csv;
  sg_err e = sg_csv_open_fd(c, fd, name);
  if (e != SG_OK)
    return e;
  r->opened = 1;
  r->field = c->field;
  r->flen = c->flen;
  int st = sg_csv_next(c);
  csv_sync(r);
  if (!r->table)
    r->table = sg_schema_table(SG_TABLE_FLAT);
  const sg_table *t = r->table;
  int header = st == 1 && c->nfields == t->ncols;
  for (int i = 0; header && i < t->ncols; i++)
    header = strcmp(c->field[i], t->cols[i]->name) == 0;
  if (header)
    return SG_OK;
  if (st < 0) /* unreadable (a .csv.gz that is not gzip): the reader's message says where and why */
    return SG_EDATA;
  if (t->id == SG_TABLE_FLAT)
    return sg_seterr(SG_EDATA, "%s: the first line is not the header of the 24 columns", name);
  return sg_seterr(SG_EDATA, "%s: the first line is not the header of table %s", name, t->name);
}

static int csv_next(sg_reader *r)
{
  sg_csv_reader *c = &r->u.csv;
  int st = sg_csv_next(c);
  csv_sync(r);
  if (st == 1 && c->nfields != r->table->ncols) {
    sg_seterr(SG_EDATA, "%s: record %llu has %d fields, not %d", c->path, (unsigned long long)c->record,
              c->nfields, r->table->ncols);
    return 2;
  }
  return st;
}

static void csv_close(sg_reader *r) { sg_csv_close(&r->u.csv); }

const sg_reader_ops sg_csv_reader_ops = {csv_open, csv_next, csv_close};
