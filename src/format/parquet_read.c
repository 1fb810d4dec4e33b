/* parquet_read.c - see parquet_read.h. */
#include "spotgen/format/parquet_read.h"

#include <errno.h>
#include <math.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <brotli/decode.h>
#include <libdeflate.h>
#include <lz4.h>
#include <zstd.h>

#include "spotgen/format/format.h"
#include "spotgen/base/numfmt.h"
#include "spotgen/format/reader.h"
#include "spotgen/format/thrift.h"

#define MAX_GROUP_ROWS (1 << 25)
#define MAX_PAGE_VALUES (1 << 22)
#define MAX_COLUMNS 4096
#define MIB ((uint64_t)1 << 20) /* the bounds' unit in messages (SG_PQ_*, parquet_read.h) */
#define TEXT_ROOM 72 /* a field's text: a number, a date, or verify's string cut short */

/* Parquet's numbers that format.h does not need (parquet.thrift). */
enum {
  PQ_BOOLEAN = 0, PQ_INT96 = 3, PQ_FLOAT = 4, PQ_FIXED = 7,
  PQ_PLAIN_DICTIONARY = 2, PQ_DELTA_BINARY_PACKED = 5, PQ_DELTA_LENGTH_BYTE_ARRAY = 6,
  PQ_DELTA_BYTE_ARRAY = 7, PQ_BYTE_STREAM_SPLIT = 9,
  PQ_DATA_PAGE_V2 = 3, PQ_GZIP = 2, PQ_BROTLI = 4, PQ_LZ4 = 5, PQ_LZ4_RAW = 7
};

/* How a column's values read as text (its logical or converted type). */
typedef enum meaning { M_PLAIN, M_DATE, M_MILLIS, M_MICROS, M_NANOS, M_DECIMAL, M_FLOAT16, M_TEXT } meaning;

/* A column of the schema: a leaf of the flat root. */
typedef struct leaf {
  char *name;
  int type, optional, width; /* width: FIXED_LEN_BYTE_ARRAY's bytes */
  meaning as;
  int scale;                 /* M_DECIMAL */
} leaf;

typedef struct chunk {
  int type, codec;
  int64_t num_values, compressed, data_offset, dict_offset;
} chunk;

typedef struct group {
  int64_t rows;
  chunk *col;
} group;

typedef struct strv {
  const unsigned char *p;
  uint32_t len;
} strv;

/* Values of one type: strings, integers (booleans, INT32, INT64, INT96 as
 * nanoseconds since 1970) or doubles (FLOAT, DOUBLE). */
typedef struct vals {
  strv *s;
  int64_t *i;
  double *d;
} vals;

/* A column's values in the current row group: the non-null ones in order,
 * and, OPTIONAL, whether each row has one. */
typedef struct values {
  vals v;
  unsigned char *def;        /* NULL: REQUIRED */
  size_t at;                 /* the next value */
  unsigned char **keep;      /* decompressed pages and made strings the values point into */
  size_t nkeep, capkeep;
} values;

struct pq_file {
  unsigned char *file;
  size_t size;
  int ncols;
  leaf *leaves;
  const char **names;
  unsigned char *binary;     /* per column: bytes without a text meaning */
  group *groups;
  size_t ngroups, group;     /* the loaded row group is groups[group - 1] */
  int64_t row;               /* within it */
  values *v;
  const char **field;
  size_t *flen;
  char *text;                /* TEXT_ROOM bytes a field */
  uint64_t allowed, spent;   /* bytes the loaded row group may hold, and holds */
};

static sg_err bad(const sg_pq_reader *r, const char *why)
{
  if (r->table)
    return sg_seterr(SG_EDATA, "%s: not a readable Parquet file of the %d columns: %s", r->path, r->table->ncols, why);
  return sg_seterr(SG_EDATA, "%s: not a readable Parquet file: %s", r->path, why);
}

static int fail_col(sg_pq_reader *r, int col, const char *why)
{
  struct pq_file *p = r->impl;
  r->err = sg_seterr(SG_EDATA, "%s: row group %zu: column %s: %s", r->path, p->group, p->leaves[col].name, why);
  return -1;
}

/* Memory that could not be had, said as such (exit 1, not a bad file). */
static int fail_mem(sg_pq_reader *r, int col)
{
  struct pq_file *p = r->impl;
  r->err = sg_seterr(SG_ENOMEM, "%s: row group %zu: column %s: out of memory (the row group holds %llu MiB so far)",
                     r->path, p->group, p->leaves[col].name, (unsigned long long)(p->spent / MIB));
  return -1;
}

/* Counts `n` more bytes against the row group's allowance. */
static int spend(sg_pq_reader *r, int col, uint64_t n)
{
  struct pq_file *p = r->impl;
  p->spent += n;
  if (p->spent <= p->allowed)
    return 0;
  char why[200];
  snprintf(why, sizeof why, "its values would take more than the %llu MiB this row group may hold "
           "(a file made to exhaust memory, or row groups too large: rewrite it with smaller ones)",
           (unsigned long long)(p->allowed / MIB));
  return fail_col(r, col, why);
}

/* ---- the footer ------------------------------------------------------------- */

/* LogicalType (a union): the meaning of DATE, TIMESTAMP and DECIMAL. */
static void parse_logical(sg_thrift_in *in, leaf *l)
{
  int16_t id, uid;
  int t, ut;
  sg_thrift_enter(in);
  while (sg_thrift_field(in, &id, &t)) {
    if (id == 6 && t == SG_TT_STRUCT) {
      l->as = M_DATE;
      sg_thrift_skip(in, t);
    } else if ((id == 1 || id == 4 || id == 12) && t == SG_TT_STRUCT) { /* STRING, ENUM, JSON */
      l->as = M_TEXT;
      sg_thrift_skip(in, t);
    } else if (id == 15 && t == SG_TT_STRUCT) {
      l->as = M_FLOAT16;
      sg_thrift_skip(in, t);
    } else if (id == 5 && t == SG_TT_STRUCT) { /* DECIMAL: scale, precision */
      sg_thrift_enter(in);
      while (sg_thrift_field(in, &uid, &ut)) {
        if (uid == 1)
          l->scale = (int)sg_thrift_read_int(in, ut);
        else
          sg_thrift_skip(in, ut);
      }
      sg_thrift_leave(in);
      l->as = M_DECIMAL;
    } else if (id == 8 && t == SG_TT_STRUCT) { /* TIMESTAMP: isAdjustedToUTC, unit */
      sg_thrift_enter(in);
      while (sg_thrift_field(in, &uid, &ut)) {
        if (uid == 2 && ut == SG_TT_STRUCT) {
          int16_t k;
          int kt;
          sg_thrift_enter(in);
          while (sg_thrift_field(in, &k, &kt)) {
            l->as = k == 1 ? M_MILLIS : k == 2 ? M_MICROS : M_NANOS;
            sg_thrift_skip(in, kt);
          }
          sg_thrift_leave(in);
        } else {
          sg_thrift_skip(in, ut);
        }
      }
      sg_thrift_leave(in);
    } else {
      sg_thrift_skip(in, t);
    }
  }
  sg_thrift_leave(in);
}

/* The schema: the root, then its leaves (a nested column is refused).
 * @return : 0, -1 (malformed: *why may say how), or 1 + the index of the
 * first column that is not `table`'s as spotgen writes it. */
static int parse_schema(sg_pq_reader *r, sg_thrift_in *in, const char **why)
{
  struct pq_file *p = r->impl;
  int elem;
  uint32_t n = sg_thrift_read_list(in, &elem);
  if (elem != SG_TT_STRUCT || n < 2 || n > MAX_COLUMNS + 1)
    return -1;
  p->ncols = (int)n - 1;
  p->leaves = calloc(n, sizeof *p->leaves);
  if (!p->leaves)
    return -1;
  for (uint32_t i = 0; i < n && !in->failed; i++) {
    int16_t id;
    int t, type = -1, rep = -1, conv = -1, children = 0, width = 0, scale = 0;
    const unsigned char *name = NULL;
    size_t nlen = 0;
    leaf l = {0};
    sg_thrift_enter(in);
    while (sg_thrift_field(in, &id, &t)) {
      switch (id) {
      case 1: type = (int)sg_thrift_read_int(in, t); break;
      case 2: width = (int)sg_thrift_read_int(in, t); break;
      case 3: rep = (int)sg_thrift_read_int(in, t); break;
      case 4: name = sg_thrift_read_binary(in, &nlen); break;
      case 5: children = (int)sg_thrift_read_int(in, t); break;
      case 6: conv = (int)sg_thrift_read_int(in, t); break;
      case 7: scale = (int)sg_thrift_read_int(in, t); break;
      case 10:
        if (t == SG_TT_STRUCT) {
          parse_logical(in, &l);
          break;
        }
        sg_thrift_skip(in, t);
        break;
      default: sg_thrift_skip(in, t);
      }
    }
    sg_thrift_leave(in);
    if (i == 0) {
      if (children != (int)n - 1) {
        *why = "a nested column (a struct, list or map): only flat tables are read";
        return -1;
      }
      continue;
    }
    if (children > 0 || rep == 2 || type < 0 || type > PQ_FIXED || (type == PQ_FIXED && width <= 0)) {
      *why = "a nested, repeated or untyped column: only flat tables are read";
      return -1;
    }
    if (l.as == M_PLAIN) { /* the converted type, from writers before LogicalType */
      l.as = conv == 6 ? M_DATE : conv == 9 ? M_MILLIS : conv == 10 ? M_MICROS : conv == 5 ? M_DECIMAL
           : conv == 0 || conv == 4 || conv == 19 ? M_TEXT : M_PLAIN; /* UTF8, ENUM, JSON */
      if (conv == 5)
        l.scale = scale;
    }
    if (l.as == M_DECIMAL && (l.scale < 0 || l.scale > (type == SG_PQ_INT32 || type == SG_PQ_INT64 ? 18 : 38)))
      l.as = M_PLAIN;
    if (l.as == M_FLOAT16 && (type != PQ_FIXED || width != 2))
      l.as = M_PLAIN;
    l.type = type;
    l.optional = rep == 1;
    l.width = width;
    l.name = malloc(nlen + 1);
    if (!l.name)
      return -1;
    memcpy(l.name, name ? (const char *)name : "", nlen);
    l.name[nlen] = '\0';
    p->leaves[i - 1] = l;
    if (r->table) {
      const sg_column *c = i - 1 < (uint32_t)r->table->ncols ? r->table->cols[i - 1] : NULL;
      if (!c || strcmp(l.name, c->name) != 0 || type != sg_parquet_physical_type(c) || rep != 0)
        return (int)i;
    }
  }
  if (r->table && p->ncols != r->table->ncols)
    return p->ncols + 1;
  return in->failed ? -1 : 0;
}

static void parse_meta(sg_thrift_in *in, chunk *c)
{
  int16_t id;
  int t;
  sg_thrift_enter(in);
  while (sg_thrift_field(in, &id, &t)) {
    switch (id) {
    case 1: c->type = (int)sg_thrift_read_int(in, t); break;
    case 4: c->codec = (int)sg_thrift_read_int(in, t); break;
    case 5: c->num_values = sg_thrift_read_int(in, t); break;
    case 7: c->compressed = sg_thrift_read_int(in, t); break;
    case 9: c->data_offset = sg_thrift_read_int(in, t); break;
    case 11: c->dict_offset = sg_thrift_read_int(in, t); break;
    default: sg_thrift_skip(in, t);
    }
  }
  sg_thrift_leave(in);
}

static int parse_group(sg_thrift_in *in, group *g, int want)
{
  int16_t id;
  int t, elem, ncols = -1;
  g->rows = 0;
  if (!(g->col = calloc((size_t)want, sizeof *g->col)))
    return -1;
  sg_thrift_enter(in);
  while (sg_thrift_field(in, &id, &t)) {
    if (id == 1 && t == SG_TT_LIST) {
      uint32_t n = sg_thrift_read_list(in, &elem);
      ncols = (int)n;
      for (uint32_t i = 0; i < n && !in->failed; i++) {
        chunk scratch, *c = i < (uint32_t)want ? &g->col[i] : &scratch;
        memset(c, 0, sizeof *c);
        c->dict_offset = -1;
        int16_t cid;
        int ct;
        sg_thrift_enter(in);
        while (sg_thrift_field(in, &cid, &ct)) {
          if (cid == 3 && ct == SG_TT_STRUCT)
            parse_meta(in, c);
          else
            sg_thrift_skip(in, ct);
        }
        sg_thrift_leave(in);
      }
    } else if (id == 3) {
      g->rows = sg_thrift_read_int(in, t);
    } else {
      sg_thrift_skip(in, t);
    }
  }
  sg_thrift_leave(in);
  return in->failed || ncols != want ? -1 : 0;
}

static sg_err parse_footer(sg_pq_reader *r)
{
  struct pq_file *p = r->impl;
  if (p->size < 12 || memcmp(p->file, "PAR1", 4) != 0 || memcmp(p->file + p->size - 4, "PAR1", 4) != 0)
    return bad(r, "no PAR1 magic at its start and end");
  const unsigned char *t = p->file + p->size - 8;
  uint32_t len = sg_le32(t);
  if (len > p->size - 12)
    return bad(r, "the footer's length is larger than the file");
  sg_thrift_in in;
  sg_thrift_in_init(&in, p->file + p->size - 8 - len, len);
  int16_t id;
  int type, elem, schema_ok = 0;
  uint32_t ngroups = 0;
  const unsigned char *groups_at = NULL;
  while (sg_thrift_field(&in, &id, &type)) {
    if (id == 2 && type == SG_TT_LIST && !p->leaves) {
      const char *why = NULL;
      int k = parse_schema(r, &in, &why);
      if (k > 0) {
        char text[160];
        snprintf(text, sizeof text, "schema column %d is not %s as spotgen writes it", k,
                 k <= r->table->ncols ? r->table->cols[k - 1]->name : "(none: there are more columns)");
        return bad(r, text);
      }
      if (why)
        return bad(r, why);
      schema_ok = k == 0;
    } else if (id == 3) {
      r->rows = (uint64_t)sg_thrift_read_int(&in, type);
    } else if (id == 4 && type == SG_TT_LIST) {
      /* the row groups come after the schema in every writer's footer, but
       * are parsed once the schema is known, whatever the order */
      groups_at = in.p;
      ngroups = sg_thrift_read_list(&in, &elem);
      for (uint32_t i = 0; i < ngroups && !in.failed; i++)
        sg_thrift_skip(&in, SG_TT_STRUCT);
    } else {
      sg_thrift_skip(&in, type);
    }
  }
  if (in.failed || !schema_ok)
    return bad(r, "the footer (FileMetaData) is malformed or has no schema");
  if (groups_at) {
    sg_thrift_in gin = in;
    gin.p = groups_at;
    gin.failed = 0;
    sg_thrift_read_list(&gin, &elem);
    p->groups = calloc(ngroups ? ngroups : 1, sizeof *p->groups);
    if (!p->groups)
      return sg_seterr(SG_ENOMEM, "out of memory reading %s", r->path);
    for (uint32_t i = 0; i < ngroups; i++) {
      p->ngroups = i + 1; /* freed by sg_pq_close, even when malformed */
      if (parse_group(&gin, &p->groups[i], p->ncols))
        return bad(r, "a row group's metadata is malformed");
    }
  }
  uint64_t sum = 0;
  for (size_t g = 0; g < p->ngroups; g++) {
    /* row groups of up to 2 GiB: far fewer rows than this, which bounds
     * what a damaged footer can ask for */
    if (p->groups[g].rows < 0 || p->groups[g].rows > MAX_GROUP_ROWS)
      return bad(r, "a row group's row count is out of range");
    sum += (uint64_t)p->groups[g].rows;
    for (int c = 0; c < p->ncols; c++)
      if (p->groups[g].col[c].num_values != p->groups[g].rows)
        return bad(r, "a column chunk's value count is not its row group's row count");
  }
  if (sum != r->rows)
    return bad(r, "the row groups' rows do not add up to the file's");
  return SG_OK;
}

static sg_err open_fd(sg_pq_reader *r, int fd, const char *name, const sg_table *table, uint64_t expect)
{
  memset(r, 0, sizeof *r);
  r->path = name;
  r->table = table;
  r->crc32 = 0;
  struct pq_file *p = r->impl = calloc(1, sizeof *p);
  if (!p)
    return sg_seterr(SG_ENOMEM, "out of memory reading %s", name);
  size_t cap = 1 << 20;
  if (!(p->file = malloc(cap)))
    return sg_seterr(SG_ENOMEM, "out of memory reading %s", name);
  for (;;) {
    /* past the size expected, the bytes are counted, not kept */
    int keeping = !expect || r->bytes < expect;
    if (keeping && p->size == cap) {
      unsigned char *q = realloc(p->file, cap * 2);
      if (!q)
        return sg_seterr(SG_ENOMEM, "out of memory reading %s (%llu MiB)", name, (unsigned long long)(cap >> 20));
      p->file = q;
      cap *= 2;
    }
    unsigned char *into = keeping ? p->file + p->size : p->file;
    ssize_t n = read(fd, into, keeping ? cap - p->size : cap);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return sg_seterr(SG_EIO, "cannot read %s: %s", name, strerror(errno));
    if (n == 0)
      break;
    r->crc32 = libdeflate_crc32(r->crc32, into, (size_t)n);
    r->bytes += (uint64_t)n;
    if (keeping)
      p->size += (size_t)n;
  }
  if (expect && r->bytes != expect)
    return r->err = sg_seterr(SG_EDATA, "%s: %llu bytes, not the %llu expected: not decoded", name,
                              (unsigned long long)r->bytes, (unsigned long long)expect);
  sg_err e = parse_footer(r);
  if (e != SG_OK)
    return e;
  size_t n = (size_t)p->ncols;
  p->v = calloc(n, sizeof *p->v);
  p->names = calloc(n, sizeof *p->names);
  p->field = calloc(n, sizeof *p->field);
  p->flen = calloc(n, sizeof *p->flen);
  p->text = malloc(n * TEXT_ROOM);
  p->binary = calloc(n, 1);
  if (!p->v || !p->names || !p->field || !p->flen || !p->text || !p->binary)
    return sg_seterr(SG_ENOMEM, "out of memory reading %s", name);
  for (size_t c = 0; c < n; c++) {
    const leaf *l = &p->leaves[c];
    p->names[c] = l->name;
    p->binary[c] = (l->type == SG_PQ_BYTE_ARRAY || l->type == PQ_FIXED) && l->as == M_PLAIN;
  }
  r->binary = p->binary;
  r->nfields = p->ncols;
  r->names = p->names;
  r->field = p->field;
  r->flen = p->flen;
  return SG_OK;
}

sg_err sg_pq_open_fd(sg_pq_reader *r, int fd, const char *name, const sg_table *table, uint64_t expect_bytes)
{
  return open_fd(r, fd, name, table ? table : sg_schema_table(SG_TABLE_FLAT), expect_bytes);
}

sg_err sg_pq_open_any(sg_pq_reader *r, int fd, const char *name) { return open_fd(r, fd, name, NULL, 0); }

/* ---- pages ---------------------------------------------------------------------- */

static void vals_free(vals *v)
{
  free(v->s);
  free(v->i);
  free(v->d);
  memset(v, 0, sizeof *v);
}

static void values_free(values *v)
{
  vals_free(&v->v);
  free(v->def);
  for (size_t k = 0; k < v->nkeep; k++)
    free(v->keep[k]);
  free(v->keep);
  memset(v, 0, sizeof *v);
}

/* Room for n values of a column of physical type t. */
static int vals_alloc(vals *v, int t, size_t n)
{
  size_t m = n ? n : 1;
  if (t == SG_PQ_BYTE_ARRAY || t == PQ_FIXED)
    return (v->s = malloc(m * sizeof *v->s)) ? 0 : -1;
  if (t == PQ_FLOAT || t == SG_PQ_DOUBLE)
    return (v->d = malloc(m * sizeof *v->d)) ? 0 : -1;
  return (v->i = malloc(m * sizeof *v->i)) ? 0 : -1;
}

static int keep(values *v, unsigned char *buf)
{
  if (v->nkeep == v->capkeep) {
    size_t cap = v->capkeep ? 2 * v->capkeep : 16;
    unsigned char **k = realloc(v->keep, cap * sizeof *k);
    if (!k)
      return -1;
    v->keep = k;
    v->capkeep = cap;
  }
  v->keep[v->nkeep++] = buf;
  return 0;
}

/* gzip: one member or several back to back (RFC 1952 allows them; some
 * writers make pages that way), together `raw` bytes. */
static int gunzip(const unsigned char *src, size_t n, unsigned char *out, size_t raw)
{
  struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
  size_t in = 0, got = 0;
  int ok = d != NULL && n > 0;
  while (ok && in < n) {
    size_t used, made;
    ok = libdeflate_gzip_decompress_ex(d, src + in, n - in, out + got, raw - got, &used, &made) == LIBDEFLATE_SUCCESS;
    in += used;
    got += made;
  }
  libdeflate_free_decompressor(d);
  return ok && got == raw;
}

static uint32_t be32(const unsigned char *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* LZ4 (codec 5) as Hadoop frames it, which parquet-mr and Arrow write:
 * blocks, each its decompressed and compressed sizes (32-bit big-endian)
 * then an LZ4 block. */
static int lz4_hadoop(const unsigned char *src, size_t n, unsigned char *out, size_t raw)
{
  size_t got = 0;
  while (n >= 8) {
    uint32_t want = be32(src), len = be32(src + 4);
    src += 8;
    n -= 8;
    if (len > n || want > raw - got || len > INT32_MAX || want > INT32_MAX)
      return 0;
    if (LZ4_decompress_safe((const char *)src, (char *)out + got, (int)len, (int)want) != (int)want)
      return 0;
    src += len;
    n -= len;
    got += want;
  }
  return n == 0 && got == raw;
}

/* One LZ4 block: LZ4_RAW, and codec 5 as older writers made it (unframed). */
static int lz4_block(const unsigned char *src, size_t n, unsigned char *out, size_t raw)
{
  return n <= INT32_MAX && raw <= INT32_MAX &&
         LZ4_decompress_safe((const char *)src, (char *)out, (int)n, (int)raw) == (int)raw;
}

/* The page's bytes, decompressed into a new buffer of `raw` bytes (NULL:
 * they do not decompress to it, or *oom when memory ran out). An empty
 * page (a v2 page of nulls only) holds nothing to decompress. */
static unsigned char *inflate_page(int codec, const unsigned char *src, size_t n, size_t raw, int *oom)
{
  unsigned char *out = malloc(raw ? raw : 1);
  if (!out) {
    *oom = 1;
    return NULL;
  }
  int ok;
  if (raw == 0 && n == 0) {
    ok = 1;
  } else if (codec == SG_PQ_UNCOMPRESSED) {
    ok = n == raw;
    if (ok)
      memcpy(out, src, n);
  } else if (codec == SG_PQ_ZSTD) {
    size_t got = ZSTD_decompress(out, raw, src, n);
    ok = !ZSTD_isError(got) && got == raw;
  } else if (codec == SG_PQ_SNAPPY) {
    size_t got = raw;
    ok = snappy_uncompress((const char *)src, n, (char *)out, &got) == SNAPPY_OK && got == raw;
  } else if (codec == PQ_GZIP) {
    ok = gunzip(src, n, out, raw);
  } else if (codec == PQ_LZ4) {
    ok = lz4_hadoop(src, n, out, raw) || lz4_block(src, n, out, raw);
  } else if (codec == PQ_LZ4_RAW) {
    ok = lz4_block(src, n, out, raw);
  } else if (codec == PQ_BROTLI) {
    size_t got = raw;
    ok = BrotliDecoderDecompress(n, src, &got, out) == BROTLI_DECODER_RESULT_SUCCESS && got == raw;
  } else {
    ok = 0;
  }
  if (!ok) {
    free(out);
    return NULL;
  }
  return out;
}

/* `width` bits (at most 64) at bit `bit` of p, least significant first;
 * the caller knows they are there. */
static uint64_t bits_at(const unsigned char *p, uint64_t bit, int width)
{
  uint64_t v = 0;
  size_t at = (size_t)(bit >> 3);
  int shift = (int)(bit & 7), got = 0;
  while (got < width) {
    v |= (uint64_t)(p[at++] >> shift) << got;
    got += 8 - shift;
    shift = 0;
  }
  return width == 64 ? v : v & ((1ull << width) - 1);
}

/* The RLE / bit-packing hybrid: `n` values of `width` bits. @return : the
 * end of what was read, or NULL. */
static const unsigned char *hybrid(const unsigned char *p, const unsigned char *end, int width, size_t n,
                                   uint32_t *out)
{
  size_t got = 0, vbytes = (size_t)(width + 7) / 8;
  while (got < n) {
    uint64_t h;
    size_t hl = sg_uleb128_read(p, end, &h);
    if (!hl)
      return NULL;
    p += hl;
    if (h & 1) { /* bit-packed groups of 8 */
      uint64_t count = (h >> 1) * 8;
      if (count > (uint64_t)MAX_PAGE_VALUES * 8 || (uint64_t)(end - p) * 8 < count * (uint64_t)width)
        return NULL;
      for (uint64_t k = 0; k < count && got < n; k++)
        out[got++] = width ? (uint32_t)bits_at(p, k * (uint64_t)width, width) : 0;
      p += (count * (uint64_t)width + 7) / 8;
    } else { /* a run */
      uint64_t count = h >> 1;
      if ((size_t)(end - p) < vbytes || count == 0)
        return NULL;
      uint32_t x = 0;
      for (size_t b = 0; b < vbytes; b++)
        x |= (uint32_t)p[b] << (8 * b);
      p += vbytes;
      for (uint64_t k = 0; k < count && got < n; k++)
        out[got++] = x;
    }
  }
  return p;
}

/* INT96 (Spark's old timestamps): nanoseconds of the day, then the Julian day. */
static int64_t int96_nanos(const unsigned char *p)
{
  uint64_t ns = 0;
  for (int b = 0; b < 8; b++)
    ns |= (uint64_t)p[b] << (8 * b);
  int64_t julian = (int64_t)sg_le32(p + 8);
  return (julian - 2440588) * 86400000000000LL + (int64_t)ns;
}

/* `n` PLAIN values of type t (FIXED: `width` bytes each) from [p, end)
 * into out at `at`. @return : the end of what was read, or NULL. */
static const unsigned char *plain(int t, int width, const unsigned char *p, const unsigned char *end, size_t n,
                                  vals *out, size_t at)
{
  if (t == SG_PQ_BYTE_ARRAY) {
    for (size_t i = 0; i < n; i++) {
      if (end - p < 4)
        return NULL;
      uint32_t len = sg_le32(p);
      p += 4;
      if ((size_t)(end - p) < len)
        return NULL;
      out->s[at + i] = (strv){p, len};
      p += len;
    }
    return p;
  }
  if (t == PQ_BOOLEAN) {
    if ((size_t)(end - p) * 8 < n)
      return NULL;
    for (size_t i = 0; i < n; i++)
      out->i[at + i] = p[i >> 3] >> (i & 7) & 1;
    return p + (n + 7) / 8;
  }
  size_t w = t == PQ_FIXED ? (size_t)width : t == SG_PQ_INT32 || t == PQ_FLOAT ? 4 : t == PQ_INT96 ? 12 : 8;
  if ((size_t)(end - p) / w < n)
    return NULL;
  for (size_t i = 0; i < n; i++, p += w) {
    if (t == PQ_FIXED) {
      out->s[at + i] = (strv){p, (uint32_t)w};
      continue;
    }
    if (t == PQ_INT96) {
      out->i[at + i] = int96_nanos(p);
      continue;
    }
    uint64_t x = 0;
    for (size_t b = 0; b < w; b++)
      x |= (uint64_t)p[b] << (8 * b);
    if (t == SG_PQ_INT32) {
      out->i[at + i] = (int32_t)(uint32_t)x;
    } else if (t == SG_PQ_INT64) {
      out->i[at + i] = (int64_t)x;
    } else if (t == PQ_FLOAT) {
      float f;
      uint32_t y = (uint32_t)x;
      memcpy(&f, &y, 4);
      out->d[at + i] = f;
    } else {
      memcpy(&out->d[at + i], &x, 8);
    }
  }
  return p;
}

/* DELTA_BINARY_PACKED: `n` integers (at most the page's count) into out.
 * @return : the end of the encoded values, or NULL. */
static const unsigned char *delta_ints(const unsigned char *p, const unsigned char *end, size_t n, int64_t *out)
{
  uint64_t block, minis, total, first;
  size_t l;
  if (!(l = sg_uleb128_read(p, end, &block)) || !(p += l, l = sg_uleb128_read(p, end, &minis)) ||
      !(p += l, l = sg_uleb128_read(p, end, &total)) || !(p += l, l = sg_uleb128_read(p, end, &first)))
    return NULL;
  p += l;
  if (block == 0 || block % 128 || minis == 0 || block % minis || (block / minis) % 32 || block > (1u << 20) ||
      total > MAX_PAGE_VALUES || total < n)
    return NULL;
  uint64_t per = block / minis, v = (first >> 1) ^ (0 - (first & 1));
  size_t got = 0;
  if (total > 0 && n > 0)
    out[got++] = (int64_t)v;
  uint64_t left = total ? total - 1 : 0;
  while (left > 0) {
    uint64_t zz;
    if (!(l = sg_uleb128_read(p, end, &zz)) || (uint64_t)(end - p - (ptrdiff_t)l) < minis)
      return NULL;
    p += l;
    uint64_t min = (zz >> 1) ^ (0 - (zz & 1));
    const unsigned char *widths = p;
    p += minis;
    for (uint64_t m = 0; m < minis && left > 0; m++) {
      int w = widths[m];
      if (w > 64 || (uint64_t)(end - p) * 8 < per * (uint64_t)w)
        return NULL;
      for (uint64_t k = 0; k < per && left > 0; k++, left--) {
        v += min + (w ? bits_at(p, k * (uint64_t)w, w) : 0);
        if (got < n)
          out[got++] = (int64_t)v;
      }
      p += per * (uint64_t)w / 8;
    }
  }
  return got == n ? p : NULL;
}

/* DELTA_LENGTH_BYTE_ARRAY: the lengths (delta-packed), then the bytes. */
static const unsigned char *delta_strings(const unsigned char *p, const unsigned char *end, size_t n, strv *out)
{
  int64_t *len = malloc((n ? n : 1) * sizeof *len);
  const unsigned char *q = len ? delta_ints(p, end, n, len) : NULL;
  for (size_t i = 0; q && i < n; i++) {
    if (len[i] < 0 || len[i] > end - q) {
      q = NULL;
      break;
    }
    out[i] = (strv){q, (uint32_t)len[i]};
    q += len[i];
  }
  free(len);
  return q;
}

/* DELTA_BYTE_ARRAY: prefix lengths, then suffixes (DELTA_LENGTH_BYTE_ARRAY);
 * each value is the previous one's prefix and its suffix, made in a new
 * buffer that `v` keeps, counted against the row group's allowance.
 * @return : 0, or -1 with the failure reported (malformed, past the
 * allowance, or out of memory). */
static int delta_prefixed(sg_pq_reader *r, int col, values *v, const unsigned char *p, const unsigned char *end,
                          size_t n, strv *out)
{
  int64_t *pre = malloc((n ? n : 1) * sizeof *pre);
  strv *suf = malloc((n ? n : 1) * sizeof *suf);
  const unsigned char *q = pre && suf ? delta_ints(p, end, n, pre) : NULL;
  q = q ? delta_strings(q, end, n, suf) : NULL;
  uint64_t total = 0;
  for (size_t i = 0; q && i < n; i++) {
    uint64_t prev = i ? (uint64_t)pre[i - 1] + suf[i - 1].len : 0;
    if (pre[i] < 0 || (uint64_t)pre[i] > prev || (uint64_t)pre[i] + suf[i].len > UINT32_MAX)
      q = NULL;
    else
      total += (uint64_t)pre[i] + suf[i].len;
  }
  if (q && spend(r, col, total)) {
    free(pre);
    free(suf);
    return -1;
  }
  unsigned char *buf = q ? malloc(total ? total : 1) : NULL;
  if (!buf || keep(v, buf) != 0) {
    int oom = !pre || !suf || q;
    free(buf);
    free(pre);
    free(suf);
    return oom ? fail_mem(r, col) : fail_col(r, col, "DELTA_BYTE_ARRAY values are malformed");
  }
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t len = (uint32_t)pre[i] + suf[i].len;
    if (pre[i])
      memcpy(buf + at, out[i - 1].p, (size_t)pre[i]);
    memcpy(buf + at + pre[i], suf[i].p, suf[i].len);
    out[i] = (strv){buf + at, len};
    at += len;
  }
  free(pre);
  free(suf);
  return 0;
}

/* BYTE_STREAM_SPLIT: byte b of value i is at b * n + i. Numbers are put
 * together into v's values; FIXED_LEN_BYTE_ARRAY values (FLOAT16,
 * decimals) into a buffer of their own, counted against the row group. */
static int stream_split(sg_pq_reader *r, int col, values *v, const unsigned char *p, const unsigned char *end,
                        size_t n, size_t at)
{
  const leaf *l = &((struct pq_file *)r->impl)->leaves[col];
  int t = l->type;
  size_t w = t == PQ_FIXED ? (size_t)l->width : t == SG_PQ_INT32 || t == PQ_FLOAT ? 4 : 8;
  if ((t != SG_PQ_INT32 && t != SG_PQ_INT64 && t != PQ_FLOAT && t != SG_PQ_DOUBLE && t != PQ_FIXED) ||
      (size_t)(end - p) / w < n)
    return fail_col(r, col, "BYTE_STREAM_SPLIT values are malformed");
  if (t == PQ_FIXED) {
    if (spend(r, col, n * w))
      return -1;
    unsigned char *buf = malloc(n * w);
    if (!buf || keep(v, buf)) {
      free(buf);
      return fail_mem(r, col);
    }
    for (size_t i = 0; i < n; i++) {
      for (size_t b = 0; b < w; b++)
        buf[i * w + b] = p[b * n + i];
      v->v.s[at + i] = (strv){buf + i * w, (uint32_t)w};
    }
    return 0;
  }
  unsigned char one[8];
  for (size_t i = 0; i < n; i++) {
    for (size_t b = 0; b < w; b++)
      one[b] = p[b * n + i];
    plain(t, 0, one, one + w, 1, &v->v, at + i);
  }
  return 0;
}

/* The dictionary's entries, of the column's type. */
typedef struct dictionary {
  vals v;
  size_t n;
} dictionary;

/* `n` values at [p, end) in encoding `enc` into v->v at `at`. */
static int decode(sg_pq_reader *r, int col, values *v, const dictionary *dict, int enc, const unsigned char *p,
                  const unsigned char *end, size_t n, size_t at)
{
  const leaf *l = &((struct pq_file *)r->impl)->leaves[col];
  int t = l->type;
  if (n == 0) /* every value of the page null */
    return 0;
  if (enc == SG_PQ_PLAIN)
    return plain(t, l->width, p, end, n, &v->v, at) ? 0 : fail_col(r, col, "PLAIN values run past their page");
  if (enc == SG_PQ_RLE_DICTIONARY || enc == PQ_PLAIN_DICTIONARY) {
    uint32_t *idx = malloc(n * sizeof *idx);
    int width = end > p ? *p : -1;
    int ok = idx && dict->n > 0 && width >= 0 && width <= 32 && hybrid(p + 1, end, width, n, idx);
    for (size_t i = 0; ok && i < n; i++) {
      ok = idx[i] < dict->n;
      if (!ok)
        break;
      if (v->v.s)
        v->v.s[at + i] = dict->v.s[idx[i]];
      else if (v->v.i)
        v->v.i[at + i] = dict->v.i[idx[i]];
      else
        v->v.d[at + i] = dict->v.d[idx[i]];
    }
    free(idx);
    return ok ? 0 : fail_col(r, col, "dictionary indices are malformed or out of range");
  }
  if (enc == SG_PQ_RLE && t == PQ_BOOLEAN) { /* the length, then the hybrid of 1-bit values */
    uint32_t *b = malloc(n * sizeof *b);
    int ok = b && end - p >= 4 && sg_le32(p) <= (size_t)(end - p - 4) && hybrid(p + 4, p + 4 + sg_le32(p), 1, n, b);
    for (size_t i = 0; ok && i < n; i++)
      v->v.i[at + i] = b[i];
    free(b);
    return ok ? 0 : fail_col(r, col, "RLE booleans are malformed");
  }
  if (enc == PQ_DELTA_BINARY_PACKED && (t == SG_PQ_INT32 || t == SG_PQ_INT64)) {
    if (!delta_ints(p, end, n, v->v.i + at))
      return fail_col(r, col, "DELTA_BINARY_PACKED values are malformed");
    if (t == SG_PQ_INT32)
      for (size_t i = 0; i < n; i++)
        v->v.i[at + i] = (int32_t)(uint32_t)(uint64_t)v->v.i[at + i];
    return 0;
  }
  if (enc == PQ_DELTA_LENGTH_BYTE_ARRAY && t == SG_PQ_BYTE_ARRAY)
    return delta_strings(p, end, n, v->v.s + at) ? 0 : fail_col(r, col, "DELTA_LENGTH_BYTE_ARRAY values are malformed");
  if (enc == PQ_DELTA_BYTE_ARRAY && (t == SG_PQ_BYTE_ARRAY || t == PQ_FIXED))
    return delta_prefixed(r, col, v, p, end, n, v->v.s + at);
  if (enc == PQ_BYTE_STREAM_SPLIT)
    return stream_split(r, col, v, p, end, n, at);
  char why[96];
  snprintf(why, sizeof why, "encoding %d, which this reader does not know for its type", enc);
  return fail_col(r, col, why);
}

/* A page's header. */
typedef struct page_head {
  int type, enc, v2_compressed;
  int64_t raw, packed, count, nulls, def_bytes, rep_bytes;
  int has_crc;
  uint32_t crc;               /* CRC-32 of the page's bytes after its header */
} page_head;

static void parse_page_head(sg_thrift_in *in, page_head *h)
{
  int16_t id, hid;
  int ft, ht;
  *h = (page_head){-1, -1, 1, -1, -1, -1, 0, 0, 0, 0, 0};
  while (sg_thrift_field(in, &id, &ft)) {
    if (id == 1)
      h->type = (int)sg_thrift_read_int(in, ft);
    else if (id == 4) {
      h->crc = (uint32_t)sg_thrift_read_int(in, ft);
      h->has_crc = 1;
    }
    else if (id == 2)
      h->raw = sg_thrift_read_int(in, ft);
    else if (id == 3)
      h->packed = sg_thrift_read_int(in, ft);
    else if ((id == 5 || id == 7 || id == 8) && ft == SG_TT_STRUCT) {
      sg_thrift_enter(in);
      while (sg_thrift_field(in, &hid, &ht)) {
        if (hid == 1)
          h->count = sg_thrift_read_int(in, ht);
        else if (hid == 2 && id != 8)
          h->enc = (int)sg_thrift_read_int(in, ht);
        else if (id == 8 && hid == 2)
          h->nulls = sg_thrift_read_int(in, ht);
        else if (id == 8 && hid == 4)
          h->enc = (int)sg_thrift_read_int(in, ht);
        else if (id == 8 && hid == 5)
          h->def_bytes = sg_thrift_read_int(in, ht);
        else if (id == 8 && hid == 6)
          h->rep_bytes = sg_thrift_read_int(in, ht);
        else if (id == 8 && hid == 7)
          h->v2_compressed = sg_thrift_read_bool(in, ht);
        else
          sg_thrift_skip(in, ht);
      }
      sg_thrift_leave(in);
    } else {
      sg_thrift_skip(in, ft);
    }
  }
}

/* The definition levels of `count` values (1 bit each: a flat OPTIONAL
 * column) into def; *nn: how many are not null. NULL when they are
 * malformed, or (*oom set) when memory ran out. */
static const unsigned char *levels(const unsigned char *p, const unsigned char *end, size_t count,
                                   unsigned char *def, size_t *nn, int *oom)
{
  uint32_t *lv = malloc((count ? count : 1) * sizeof *lv);
  *oom = !lv;
  const unsigned char *q = lv ? (count ? hybrid(p, end, 1, count, lv) : p) : NULL;
  *nn = 0;
  for (size_t i = 0; q && i < count; i++) {
    if (lv[i] > 1) {
      q = NULL;
      break;
    }
    def[i] = (unsigned char)lv[i];
    *nn += lv[i];
  }
  free(lv);
  return q;
}

/* Where chunk `c`'s pages start, or -1 (the message says why). */
static int64_t chunk_start(sg_pq_reader *r, const chunk *c, int col)
{
  struct pq_file *p = r->impl;
  int64_t start = c->dict_offset >= 4 && c->dict_offset < c->data_offset ? c->dict_offset : c->data_offset;
  if (start < 4 || c->compressed < 0 || start + c->compressed > (int64_t)p->size - 8)
    return fail_col(r, col, "its chunk lies outside the file");
  return start;
}

/* Where chunk `c`'s pages must end: at its stated size, or up to
 * HEADER_SLACK bytes past it within the file, since some old writers left
 * a dictionary page's header out of the size (readers such as Arrow and
 * DuckDB read those files). */
#define HEADER_SLACK 100
static const unsigned char *chunk_end(const struct pq_file *p, int64_t start, const chunk *c)
{
  int64_t end = start + c->compressed + HEADER_SLACK, limit = (int64_t)p->size - 8;
  return p->file + (end < limit ? end : limit);
}

/* The bytes one value of physical type t takes in memory (vals). */
static uint64_t value_size(int t)
{
  return t == SG_PQ_BYTE_ARRAY || t == PQ_FIXED ? sizeof(strv) : 8;
}

/* Reads one page header at q (before end) into h. @return : its body, or
 * NULL when the header is malformed or its body runs past end. */
static const unsigned char *page_at(const unsigned char *q, const unsigned char *end, page_head *h)
{
  sg_thrift_in in;
  sg_thrift_in_init(&in, q, (size_t)(end - q));
  parse_page_head(&in, h);
  if (in.failed || h->raw < 0 || h->packed < 0 || h->count < 0 || h->packed > end - in.p || h->raw > (1 << 30))
    return NULL;
  return in.p;
}

/* What column chunk `col` of the loaded row group will hold in memory,
 * from its page headers alone (nothing is decompressed): its values, its
 * definition levels, its decompressed pages and its dictionary's entries.
 * The data pages' values must add up to the row group's rows. */
static int chunk_cost(sg_pq_reader *r, const chunk *c, int col, uint64_t *need)
{
  struct pq_file *p = r->impl;
  const leaf *l = &p->leaves[col];
  uint64_t rows = (uint64_t)p->groups[p->group - 1].rows, got = 0;
  int64_t start = chunk_start(r, c, col);
  if (start < 0)
    return -1;
  const unsigned char *q = p->file + start, *end = chunk_end(p, start, c), *stated = q + c->compressed;
  *need += rows * value_size(l->type) + (l->optional ? rows : 0);
  while (got < rows) {
    page_head h;
    const unsigned char *body = page_at(q, end, &h);
    if (!body && q >= stated) /* the chunk's pages end short of its rows */
      break;
    if (!body)
      return fail_col(r, col, "a page header is malformed");
    q = body + h.packed;
    *need += (uint64_t)h.raw;
    if (h.type == SG_PQ_DICTIONARY_PAGE)
      *need += (uint64_t)h.count * value_size(l->type);
    else
      got += (uint64_t)h.count;
  }
  if (got < rows) {
    char why[160];
    snprintf(why, sizeof why, "its pages hold %llu values; the row group has %llu rows", (unsigned long long)got,
             (unsigned long long)rows);
    return fail_col(r, col, why);
  }
  return 0;
}

/* Decodes column chunk `c` of the loaded row group into v. */
static int load_chunk(sg_pq_reader *r, const chunk *c, int col, values *v)
{
  struct pq_file *p = r->impl;
  const leaf *l = &p->leaves[col];
  int64_t rows = p->groups[p->group - 1].rows;
  int64_t start = chunk_start(r, c, col);
  if (start < 0)
    return -1;
  int t = l->type;
  if (c->type != t)
    return fail_col(r, col, "its chunk's type is not the schema's");
  if (c->codec < SG_PQ_UNCOMPRESSED || c->codec > PQ_LZ4_RAW || c->codec == 3) {
    char why[120];
    snprintf(why, sizeof why, "compressed with codec %d; this reader takes ZSTD, SNAPPY, GZIP, LZ4, LZ4_RAW, "
             "BROTLI or none", c->codec);
    return fail_col(r, col, why);
  }
  size_t n = (size_t)rows;
  if (vals_alloc(&v->v, t, n) || (l->optional && !(v->def = malloc(n ? n : 1))))
    return fail_mem(r, col);
  dictionary dict = {{0}, 0};
  size_t got = 0, nvals = 0; /* rows covered, values decoded */
  const unsigned char *q = p->file + start, *end = chunk_end(p, start, c);
  int rc = 0;
  while (got < n && rc == 0) {
    page_head h;
    const unsigned char *body = page_at(q, end, &h);
    if (!body) {
      rc = fail_col(r, col, "a page header is malformed");
      break;
    }
    q = body + h.packed;
    /* v2: the levels lie before the values, never compressed */
    int64_t lv_bytes = h.type == PQ_DATA_PAGE_V2 ? h.def_bytes + h.rep_bytes : 0;
    if (h.type == PQ_DATA_PAGE_V2 && (h.def_bytes < 0 || h.rep_bytes < 0 || lv_bytes > h.packed || lv_bytes > h.raw)) {
      rc = fail_col(r, col, "a v2 page's level lengths are malformed");
      break;
    }
    if (h.has_crc && libdeflate_crc32(0, body, (size_t)h.packed) != h.crc) {
      rc = fail_col(r, col, "a page's bytes do not match its CRC-32: the file is damaged");
      break;
    }
    int packed = h.type != PQ_DATA_PAGE_V2 || h.v2_compressed;
    int oom = 0;
    unsigned char *page = inflate_page(packed ? c->codec : SG_PQ_UNCOMPRESSED, body + lv_bytes,
                                       (size_t)(h.packed - lv_bytes), (size_t)(h.raw - lv_bytes), &oom);
    if (!page || keep(v, page)) {
      rc = oom || page ? fail_mem(r, col) : fail_col(r, col, "a page does not decompress to its stated size");
      free(page);
      break;
    }
    const unsigned char *pp = page, *pe = page + (h.raw - lv_bytes);
    if (h.type == SG_PQ_DICTIONARY_PAGE) {
      vals_free(&dict.v);
      dict.n = 0;
      if (h.count > (h.raw + 1) * 8 || vals_alloc(&dict.v, t, (size_t)h.count) ||
          !plain(t, l->width, pp, pe, (size_t)h.count, &dict.v, 0)) {
        rc = fail_col(r, col, "the dictionary page is malformed");
        break;
      }
      dict.n = (size_t)h.count;
      continue;
    }
    if ((h.type != SG_PQ_DATA_PAGE && h.type != PQ_DATA_PAGE_V2) || (size_t)h.count > n - got ||
        h.count > MAX_PAGE_VALUES) {
      rc = fail_col(r, col, "a page is not a data page of the chunk's values");
      break;
    }
    size_t k = (size_t)h.count, nn = k;
    if (l->optional && h.type == PQ_DATA_PAGE_V2) { /* after the repetition levels, which a flat column ignores */
      if (!levels(body + h.rep_bytes, body + lv_bytes, k, v->def + got, &nn, &oom))
        rc = oom ? fail_mem(r, col) : fail_col(r, col, "the definition levels are malformed");
    } else if (l->optional) { /* v1: their length, then the levels, in the page */
      uint32_t len = pe - pp >= 4 ? sg_le32(pp) : UINT32_MAX;
      if (len > (size_t)(pe - pp) - 4 || !levels(pp + 4, pp + 4 + len, k, v->def + got, &nn, &oom))
        rc = oom ? fail_mem(r, col) : fail_col(r, col, "the definition levels are malformed");
      else
        pp += 4 + len;
    } else if (h.type == PQ_DATA_PAGE_V2 && h.nulls > 0) {
      rc = fail_col(r, col, "nulls in a REQUIRED column");
    }
    if (rc == 0)
      rc = decode(r, col, v, &dict, h.enc, pp, pe, nn, nvals);
    got += k;
    nvals += nn;
  }
  vals_free(&dict.v);
  if (rc == 0 && got != n)
    rc = fail_col(r, col, "its pages hold fewer values than the row group's rows");
  return rc;
}

static int load_group(sg_pq_reader *r)
{
  struct pq_file *p = r->impl;
  for (int c = 0; c < p->ncols; c++)
    values_free(&p->v[c]);
  p->group++;
  p->row = 0;
  const group *g = &p->groups[p->group - 1];
  /* first what it will cost, from the headers, against what its stored
   * bytes can honestly hold */
  uint64_t need = 0, stored = 0;
  for (int c = 0; c < p->ncols && g->rows > 0; c++) {
    if (chunk_cost(r, &g->col[c], c, &need))
      return -1;
    stored += (uint64_t)g->col[c].compressed;
  }
  p->allowed = stored * SG_PQ_EXPANSION;
  if (p->allowed < SG_PQ_GROUP_FREE)
    p->allowed = SG_PQ_GROUP_FREE;
  if (p->allowed > SG_PQ_GROUP_MAX)
    p->allowed = SG_PQ_GROUP_MAX;
  p->spent = 0;
  if (need > p->allowed) {
    r->err = sg_seterr(SG_EDATA,
                       "%s: row group %zu would take %llu MiB of memory to read from %llu bytes stored; this reader "
                       "allows %d times the stored size, at least %llu MiB and at most %llu MiB (a file made to "
                       "exhaust memory, or row groups too large: rewrite it with smaller ones)",
                       r->path, p->group, (unsigned long long)(need / MIB), (unsigned long long)stored,
                       SG_PQ_EXPANSION, (unsigned long long)(SG_PQ_GROUP_FREE / MIB),
                       (unsigned long long)(SG_PQ_GROUP_MAX / MIB));
    return -1;
  }
  p->spent = need;
  for (int c = 0; c < p->ncols && g->rows > 0; c++) /* a row group of no rows: nothing to read */
    if (load_chunk(r, &g->col[c], c, &p->v[c]))
      return -1;
  return 0;
}

/* ---- rows as text ----------------------------------------------------------- */

/* verify's field of column c: the CSV's spelling of spotgen's column, in
 * `out` (*field points at it); an Iceberg delete file's path, which may be
 * long, where the file holds it (not NUL-terminated). */
static int spotgen_field(sg_pq_reader *r, int c, size_t at, char *out, const char **field, size_t *n)
{
  const values *v = &((struct pq_file *)r->impl)->v[c];
  const sg_column *col = r->table->cols[c];
  *field = out;
  if (v->v.s && r->table->id == SG_TABLE_POSITION_DELETES) {
    *field = (const char *)v->v.s[at].p;
    *n = v->v.s[at].len;
    return 0;
  }
  if (v->v.s) {
    strv s = v->v.s[at];
    *n = s.len < TEXT_ROOM - 1 ? s.len : TEXT_ROOM - 1; /* names are under 64 bytes: longer is wrong anyway */
    memcpy(out, s.p, *n);
  } else if (col->kind == SG_KIND_DATE) {
    int64_t days = v->v.i[at];
    if (days < -719528 || days > 2932896) /* 0000-01-01 .. 9999-12-31 */
      return fail_col(r, c, "a date outside the years 0 .. 9999");
    *n = sg_fmt_date(out, (int32_t)days);
  } else if (col->kind == SG_KIND_TIMESTAMP) {
    int64_t us = v->v.i[at];
    if (us < -62167219200000000ll || us > 253402300799000000ll) /* 0000-01-01 .. 9999-12-31 */
      return fail_col(r, c, "a time outside the years 0 .. 9999");
    *n = sg_fmt_timestamp(out, us);
  } else if (v->v.i) {
    *n = sg_fmt_i64(out, v->v.i[at]);
  } else {
    /* a feature: exactly a value with its fixed decimals, as the CSV has */
    double x = v->v.d[at], scale = pow(10.0, col->decimals);
    double units = nearbyint(x * scale);
    if (!(fabs(units) < 2e9) || units / scale != x) {
      char why[128];
      snprintf(why, sizeof why, "row %llu: %.17g is not a value with %d decimals", (unsigned long long)r->record, x,
               col->decimals);
      return fail_col(r, c, why);
    }
    *n = sg_fmt_fixed(out, (int64_t)units, col->decimals);
  }
  out[*n] = '\0';
  return 0;
}

/* A timestamp of `per_second` units a second since 1970 as YYYY-MM-DD
 * HH:MM:SS, and its fraction (`digits` long) when it has one. */
static size_t timestamp(char *out, int64_t t, int64_t per_second, int digits)
{
  int64_t secs = t / per_second, frac = t % per_second;
  if (frac < 0) {
    frac += per_second;
    secs--;
  }
  int64_t days = secs / 86400, rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days--;
  }
  if (days < -719528 || days > 2932896)
    return (size_t)snprintf(out, TEXT_ROOM, "%lld", (long long)t);
  size_t n = sg_fmt_date(out, (int32_t)days);
  n += (size_t)snprintf(out + n, TEXT_ROOM - n, " %02d:%02d:%02d", (int)(rem / 3600), (int)(rem / 60 % 60),
                        (int)(rem % 60));
  if (frac)
    n += (size_t)snprintf(out + n, TEXT_ROOM - n, ".%0*lld", digits, (long long)frac);
  return n;
}

/* x in the fewest digits that read back as the same double; NaN as nan. */
static size_t shortest(char *out, double x)
{
  if (isnan(x))
    return (size_t)snprintf(out, TEXT_ROOM, "nan");
  size_t n;
  int digits = 15;
  do
    n = (size_t)snprintf(out, TEXT_ROOM, "%.*g", digits, x);
  while (digits++ < 17 && strtod(out, NULL) != x);
  return n;
}

/* FLOAT16: an IEEE 754 half, little-endian. */
static double half(const unsigned char *p)
{
  unsigned h = (unsigned)p[0] | (unsigned)p[1] << 8;
  int e = (int)(h >> 10 & 31);
  double m = (double)(h & 1023);
  double x = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : ldexp(m + 1024, e - 25);
  return h >> 15 ? -x : x;
}

/* A DECIMAL held as bytes (BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY): a
 * big-endian two's complement integer of up to 16 bytes, as digits with
 * `scale` of them after the point. @return : 0 when it does not fit. */
static int big_decimal(char *out, size_t *n, const unsigned char *p, size_t len, int scale)
{
  if (len == 0 || len > 16)
    return 0;
  unsigned __int128 u = p[0] & 0x80 ? ~(unsigned __int128)0 : 0; /* the sign, extended */
  for (size_t i = 0; i < len; i++)
    u = u << 8 | p[i];
  int neg = (p[0] & 0x80) != 0;
  if (neg)
    u = ~u + 1;
  char digits[48];
  int k = 0;
  do {
    digits[k++] = (char)('0' + (int)(u % 10));
    u /= 10;
  } while (u);
  while (k <= scale) /* a digit before the point at least */
    digits[k++] = '0';
  size_t at = 0;
  if (neg)
    out[at++] = '-';
  while (k > 0) {
    out[at++] = digits[--k];
    if (k == scale && scale > 0)
      out[at++] = '.';
  }
  *n = at;
  return 1;
}

/* score's field of column c: any column's value as text (see the header). */
static void any_field(struct pq_file *p, int c, size_t at, const char **field, size_t *n, char *out)
{
  const leaf *l = &p->leaves[c];
  const vals *v = &p->v[c].v;
  *field = out;
  if (v->s && l->as == M_FLOAT16 && v->s[at].len == 2) {
    *n = shortest(out, half(v->s[at].p));
    return;
  }
  if (v->s && l->as == M_DECIMAL && big_decimal(out, n, v->s[at].p, v->s[at].len, l->scale))
    return;
  if (v->s) {
    *field = (const char *)v->s[at].p;
    *n = v->s[at].len;
    return;
  }
  if (v->d) {
    *n = shortest(out, v->d[at]);
    return;
  }
  int64_t x = v->i[at];
  if (l->type == PQ_BOOLEAN)
    *n = (size_t)snprintf(out, TEXT_ROOM, "%s", x ? "true" : "false");
  else if (l->type == PQ_INT96 || l->as == M_NANOS)
    *n = timestamp(out, x, 1000000000, 9);
  else if (l->as == M_MICROS)
    *n = timestamp(out, x, 1000000, 6);
  else if (l->as == M_MILLIS)
    *n = timestamp(out, x, 1000, 3);
  else if (l->as == M_DATE && x >= -719528 && x <= 2932896)
    *n = sg_fmt_date(out, (int32_t)x);
  else if (l->as == M_DECIMAL && l->scale > 0)
    *n = sg_fmt_fixed(out, x, l->scale);
  else
    *n = sg_fmt_i64(out, x);
}

int sg_pq_next(sg_pq_reader *r)
{
  struct pq_file *p = r->impl;
  while (p->group == 0 || p->row == p->groups[p->group - 1].rows) {
    if (p->group == p->ngroups)
      return 0;
    if (load_group(r))
      return -1;
  }
  for (int c = 0; c < p->ncols; c++) {
    values *v = &p->v[c];
    char *out = p->text + (size_t)c * TEXT_ROOM;
    if (v->def && !v->def[p->row]) { /* a null */
      *out = '\0';
      p->field[c] = out;
      p->flen[c] = 0;
      continue;
    }
    size_t at = v->at++;
    if (r->table) {
      if (spotgen_field(r, c, at, out, &p->field[c], &p->flen[c]))
        return -1;
    } else {
      any_field(p, c, at, &p->field[c], &p->flen[c], out);
    }
  }
  p->row++;
  r->record++;
  return 1;
}

void sg_pq_close(sg_pq_reader *r)
{
  struct pq_file *p = r->impl;
  if (!p)
    return;
  for (int c = 0; p->v && c < p->ncols; c++)
    values_free(&p->v[c]);
  for (size_t g = 0; g < p->ngroups; g++)
    free(p->groups[g].col);
  for (int c = 0; p->leaves && c < p->ncols; c++)
    free(p->leaves[c].name);
  free(p->leaves);
  free(p->names);
  free(p->binary);
  free(p->field);
  free(p->flen);
  free(p->text);
  free(p->v);
  free(p->groups);
  free(p->file);
  free(p);
  r->impl = NULL;
}

/* ---- the format's reader (reader.h) ------------------------------------- */

/* The whole part is read and its footer parsed here; a row's record number
 * is counted as if after a CSV header. */
static sg_err pq_open(sg_reader *r, int fd, const char *name)
{
  sg_pq_reader *p = &r->u.pq;
  sg_err e = sg_pq_open_fd(p, fd, name, r->table, r->expect_bytes);
  r->opened = 1;
  r->bytes = p->bytes;
  r->crc32 = p->crc32;
  r->field = p->field;
  r->flen = p->flen;
  return e;
}

static int pq_next(sg_reader *r)
{
  int st = sg_pq_next(&r->u.pq);
  r->record = r->u.pq.record + 1;
  return st;
}

static void pq_close(sg_reader *r) { sg_pq_close(&r->u.pq); }

const sg_reader_ops sg_parquet_reader_ops = {pq_open, pq_next, pq_close};
