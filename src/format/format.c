/* format.c - the format registry, the shared output buffer, and the
 * compressed streams (gzip by libdeflate, zstd by libzstd) of csv.gz and
 * csv.zst. */
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "spotgen/format/format.h"
#include "spotgen/dataset/schema.h"

static const sg_format_ops *const FORMATS[] = {&sg_format_csv, &sg_format_csv_gz, &sg_format_csv_zst,
                                                &sg_format_parquet};

#define ZOUT (1u << 20) /* zstd hands compressed bytes to the sink in blocks of this */

struct sg_zstream {
  sg_codec codec;
  int level;
  struct libdeflate_compressor *gz;
  int members;       /* gzip members written to the part so far */
  ZSTD_CCtx *zc;
  unsigned char *out;
  size_t out_cap;
};

static const sg_page_codec PAGE_CODECS[] = {
  {"zstd", SG_PQ_ZSTD, SG_CODEC_ZSTD},
  {"snappy", SG_PQ_SNAPPY, SG_CODEC_NONE},
  {"none", SG_PQ_UNCOMPRESSED, SG_CODEC_NONE},
};

const sg_page_codec *sg_page_codec_find(const char *name)
{
  for (size_t i = 0; i < sizeof PAGE_CODECS / sizeof PAGE_CODECS[0]; i++)
    if (strcmp(name, PAGE_CODECS[i].name) == 0)
      return &PAGE_CODECS[i];
  return NULL;
}

const char *sg_codec_name(sg_codec c)
{
  return c == SG_CODEC_GZIP ? "gzip" : c == SG_CODEC_ZSTD ? "zstd" : "none";
}

void sg_codec_levels(sg_codec c, int *lo, int *hi, int *dflt)
{
  /* zstd stops at 19: 20-22 need 0.2-0.8 GiB per rank */
  *lo = c == SG_CODEC_NONE ? 0 : 1;
  *hi = c == SG_CODEC_GZIP ? 9 : c == SG_CODEC_ZSTD ? 19 : 0;
  *dflt = c == SG_CODEC_GZIP ? 1 : c == SG_CODEC_ZSTD ? 3 : 0;
}

static void zstream_free(struct sg_zstream *z)
{
  if (!z)
    return;
  libdeflate_free_compressor(z->gz);
  ZSTD_freeCCtx(z->zc);
  free(z->out);
  free(z);
}

/* gzip: each flush of the buffer (`buffer` bytes) is one gzip
 * member (RFC 1952 lets a file hold several, read as their concatenation:
 * gzip -d, zlib, Java's GZIPInputStream, Hadoop's codecs, DuckDB), by
 * libdeflate (2-3x zlib's speed at a level, and smaller). Its output is the
 * same on every CPU: ISA-L's igzip, which wrote levels 1-3 until 0.13.0,
 * picks its code by the CPU's features and wrote other bytes on AVX-512
 * than on AVX2. No file name and a zero time in the header, so equal input
 * gives equal bytes. zstd: with a checksum of the content, single-threaded,
 * so the same holds. */
static struct sg_zstream *zstream_new(sg_codec codec, int level, size_t buffer)
{
  struct sg_zstream *z = calloc(1, sizeof *z);
  if (!z)
    return NULL;
  z->codec = codec;
  z->level = level;
  z->out_cap = ZOUT;
  if (codec == SG_CODEC_GZIP) {
    z->gz = libdeflate_alloc_compressor(level);
    z->out_cap = z->gz ? libdeflate_gzip_compress_bound(z->gz, buffer) : 0;
  }
  z->out = z->out_cap ? malloc(z->out_cap) : NULL;
  int ok = z->out != NULL;
  if (ok && codec == SG_CODEC_ZSTD)
    ok = (z->zc = ZSTD_createCCtx()) != NULL &&
         !ZSTD_isError(ZSTD_CCtx_setParameter(z->zc, ZSTD_c_compressionLevel, level)) &&
         !ZSTD_isError(ZSTD_CCtx_setParameter(z->zc, ZSTD_c_checksumFlag, 1));
  if (!ok) {
    zstream_free(z);
    return NULL;
  }
  return z;
}

/* Compresses `len` bytes into the sink; `finish` ends the part's stream and
 * readies the codec for the next. */
static sg_err zstream_write(sg_format *f, const void *data, size_t len, int finish)
{
  struct sg_zstream *z = f->z;
  sg_err e = SG_OK;
  if (z->codec == SG_CODEC_GZIP) {
    /* a member per flush; an empty part still gets one (a valid gzip file) */
    if (len > 0 || (finish && z->members == 0)) {
      size_t n = libdeflate_gzip_compress(z->gz, data, len, z->out, z->out_cap);
      if (n == 0)
        return sg_seterr(SG_EIO, "gzip compression failed");
      e = sg_sink_write(f->sink, z->out, n);
      z->members++;
    }
    if (finish)
      z->members = 0;
    return e;
  }
  ZSTD_inBuffer in = {data, len, 0};
  for (;;) {
    ZSTD_outBuffer out = {z->out, ZOUT, 0};
    size_t left = ZSTD_compressStream2(z->zc, &out, &in, finish ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(left))
      return sg_seterr(SG_EIO, "zstd compression failed: %s", ZSTD_getErrorName(left));
    if (out.pos && (e = sg_sink_write(f->sink, z->out, out.pos)) != SG_OK)
      return e;
    if (finish ? left == 0 : in.pos == in.size)
      return SG_OK;
  }
}

const sg_format_ops *sg_format_find(const char *name)
{
  for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++)
    if (strcmp(FORMATS[i]->name, name) == 0)
      return FORMATS[i];
  return NULL;
}

const sg_format_ops *sg_format_of(const char *base, const char *compression)
{
  for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++)
    if (strcmp(FORMATS[i]->base, base) == 0 && (FORMATS[i]->pages || strcmp(sg_codec_name(FORMATS[i]->codec), compression) == 0))
      return FORMATS[i];
  return NULL;
}

const sg_format_ops *sg_format_of_file(const char *name)
{
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++) {
    size_t m = strlen(FORMATS[i]->extension);
    if (n > m && strcmp(name + n - m, FORMATS[i]->extension) == 0)
      return FORMATS[i];
  }
  return NULL;
}

const char *sg_format_names(void)
{
  static char names[128];
  if (!names[0])
    for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++) {
      if (i)
        strcat(names, ", ");
      strcat(names, FORMATS[i]->name);
    }
  return names;
}

sg_format *sg_format_create(const sg_format_ops *ops, sg_sink *sink, const sg_format_options *o)
{
  sg_format *f = calloc(1, sizeof *f);
  if (!f)
    return NULL;
  f->opt = *o;
  f->table = o->table ? o->table : sg_schema_table(SG_TABLE_FLAT);
  f->cap = !o->buffer ? SG_FORMAT_BUFFER : o->buffer < SG_FORMAT_BUFFER_MIN ? SG_FORMAT_BUFFER_MIN : o->buffer;
  f->buf = ops->pages ? NULL : malloc(f->cap); /* a paged format writes its own pages */
  if (f->buf && ops->codec != SG_CODEC_NONE)
    f->z = zstream_new(ops->codec, o->level, f->cap);
  f->ops = ops;
  f->sink = sink;
  if ((!f->buf && !ops->pages) || (ops->codec != SG_CODEC_NONE && !f->z)) {
    sg_format_destroy(f);
    return NULL;
  }
  return f;
}

void sg_format_destroy(sg_format *f)
{
  if (!f)
    return;
  zstream_free(f->z);
  if (f->free_state)
    f->free_state(f->state);
  free(f->buf);
  free(f);
}

static sg_err flush(sg_format *f, int finish)
{
  sg_err e = SG_OK;
  if (f->z)
    e = zstream_write(f, f->buf, f->len, finish);
  else if (f->len)
    e = sg_sink_write(f->sink, f->buf, f->len);
  f->len = 0;
  return e;
}

sg_err sg_format_flush(sg_format *f) { return flush(f, 0); }

sg_err sg_format_finish(sg_format *f) { return flush(f, 1); }
