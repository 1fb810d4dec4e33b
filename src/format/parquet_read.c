/* parquet_read.c - see parquet_read.h. */
#include "spotgen/format/parquet_read.h"

#include <errno.h>
#include <math.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libdeflate.h>
#include <zstd.h>

#include "spotgen/format/format.h"
#include "spotgen/base/numfmt.h"
#include "spotgen/format/reader.h"
#include "spotgen/format/thrift.h"

#define MAX_GROUP_ROWS (1 << 25)
#define MAX_PAGE_VALUES (1 << 22)

typedef struct chunk {
  int type, codec;
  int64_t num_values, compressed, data_offset, dict_offset;
} chunk;

typedef struct group {
  int64_t rows;
  chunk col[SG_NCOLS];
} group;

typedef struct strv {
  const unsigned char *p;
  uint32_t len;
} strv;

/* A column's values in the current row group. */
typedef struct values {
  strv *s;                   /* BYTE_ARRAY */
  int64_t *i;                /* INT32, INT64 */
  double *d;                 /* DOUBLE */
  unsigned char **keep;      /* decompressed pages the strings point into */
  size_t nkeep, capkeep;
} values;

struct pq_file {
  unsigned char *file;
  size_t size;
  group *groups;
  size_t ngroups, group;     /* the loaded row group is groups[group - 1] */
  int64_t row;               /* within it */
  values v[SG_NCOLS];
  char text[SG_NCOLS * 72];  /* the current row's fields, NUL-terminated */
};

static sg_err bad(const sg_pq_reader *r, const char *why)
{
  return sg_seterr(SG_EDATA, "%s: not a readable Parquet file of the 24 columns: %s", r->path, why);
}

static int fail_col(const sg_pq_reader *r, const char *column, const char *why)
{
  struct pq_file *p = r->impl;
  sg_seterr(SG_EDATA, "%s: row group %zu: column %s: %s", r->path, p->group, column, why);
  return -1;
}

/* ---- the footer ------------------------------------------------------------- */

static int parse_schema(sg_pq_reader *r, sg_thrift_in *in)
{
  int elem;
  uint32_t n = sg_thrift_read_list(in, &elem);
  if (elem != SG_TT_STRUCT || n != (uint32_t)r->table->ncols + 1)
    return -1;
  const sg_column *const *cols = r->table->cols;
  for (uint32_t i = 0; i < n && !in->failed; i++) {
    int16_t id;
    int t, type = -1, rep = -1;
    const unsigned char *name = NULL;
    size_t nlen = 0;
    sg_thrift_enter(in);
    while (sg_thrift_field(in, &id, &t)) {
      if (id == 1)
        type = (int)sg_thrift_read_int(in, t);
      else if (id == 3)
        rep = (int)sg_thrift_read_int(in, t);
      else if (id == 4)
        name = sg_thrift_read_binary(in, &nlen);
      else
        sg_thrift_skip(in, t);
    }
    sg_thrift_leave(in);
    if (i == 0)
      continue; /* the root */
    const sg_column *c = cols[i - 1];
    if (!name || nlen != strlen(c->name) || memcmp(name, c->name, nlen) != 0 ||
        type != sg_parquet_physical_type(c) || rep != 0)
      return (int)i;
  }
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
  memset(g, 0, sizeof *g);
  sg_thrift_enter(in);
  while (sg_thrift_field(in, &id, &t)) {
    if (id == 1 && t == SG_TT_LIST) {
      uint32_t n = sg_thrift_read_list(in, &elem);
      ncols = (int)n;
      for (uint32_t i = 0; i < n && !in->failed; i++) {
        chunk scratch, *c = i < SG_NCOLS ? &g->col[i] : &scratch;
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
  while (sg_thrift_field(&in, &id, &type)) {
    if (id == 2 && type == SG_TT_LIST) {
      int k = parse_schema(r, &in);
      if (k > 0) {
        char why[96];
        snprintf(why, sizeof why, "schema column %d is not %s as spotgen writes it", k,
                 r->table->cols[k - 1]->name);
        return bad(r, why);
      }
      schema_ok = k == 0;
    } else if (id == 3) {
      r->rows = (uint64_t)sg_thrift_read_int(&in, type);
    } else if (id == 4 && type == SG_TT_LIST) {
      uint32_t n = sg_thrift_read_list(&in, &elem);
      p->groups = calloc(n ? n : 1, sizeof *p->groups);
      if (!p->groups)
        return sg_seterr(SG_ENOMEM, "out of memory reading %s", r->path);
      for (uint32_t i = 0; i < n; i++)
        if (parse_group(&in, &p->groups[i], r->table->ncols))
          return bad(r, "a row group's metadata is malformed");
      p->ngroups = n;
    } else {
      sg_thrift_skip(&in, type);
    }
  }
  if (in.failed || !schema_ok)
    return bad(r, "the footer (FileMetaData) is malformed or has no schema");
  uint64_t sum = 0;
  for (size_t g = 0; g < p->ngroups; g++) {
    /* spotgen's row groups end at --row-group-size (2 GiB at most): far
     * fewer rows than this, which bounds what a damaged footer can ask for */
    if (p->groups[g].rows <= 0 || p->groups[g].rows > MAX_GROUP_ROWS)
      return bad(r, "a row group's row count is out of range");
    sum += (uint64_t)p->groups[g].rows;
    for (int c = 0; c < r->table->ncols; c++)
      if (p->groups[g].col[c].num_values != p->groups[g].rows)
        return bad(r, "a column chunk's value count is not its row group's row count");
  }
  if (sum != r->rows)
    return bad(r, "the row groups' rows do not add up to the file's");
  return SG_OK;
}

sg_err sg_pq_open_fd(sg_pq_reader *r, int fd, const char *name, const sg_table *table)
{
  memset(r, 0, sizeof *r);
  r->path = name;
  r->table = table ? table : sg_schema_table(SG_TABLE_FLAT);
  r->nfields = r->table->ncols;
  r->crc32 = 0;
  struct pq_file *p = r->impl = calloc(1, sizeof *p);
  if (!p)
    return sg_seterr(SG_ENOMEM, "out of memory reading %s", name);
  size_t cap = 1 << 20;
  p->file = malloc(cap);
  for (;;) {
    if (!p->file)
      return sg_seterr(SG_ENOMEM, "out of memory reading %s", name);
    if (p->size == cap) {
      unsigned char *q = realloc(p->file, cap * 2);
      if (!q)
        return sg_seterr(SG_ENOMEM, "out of memory reading %s", name);
      p->file = q;
      cap *= 2;
    }
    ssize_t n = read(fd, p->file + p->size, cap - p->size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return sg_seterr(SG_EIO, "cannot read %s: %s", name, strerror(errno));
    if (n == 0)
      break;
    r->crc32 = libdeflate_crc32(r->crc32, p->file + p->size, (size_t)n);
    p->size += (size_t)n;
  }
  r->bytes = p->size;
  return parse_footer(r);
}

/* ---- pages ---------------------------------------------------------------------- */

static void values_free(values *v)
{
  free(v->s);
  free(v->i);
  free(v->d);
  for (size_t k = 0; k < v->nkeep; k++)
    free(v->keep[k]);
  free(v->keep);
  memset(v, 0, sizeof *v);
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

/* The page's bytes, decompressed into a new buffer of `raw` bytes. */
static unsigned char *inflate_page(int codec, const unsigned char *src, size_t n, size_t raw)
{
  unsigned char *out = malloc(raw ? raw : 1);
  if (!out)
    return NULL;
  int ok;
  if (codec == SG_PQ_UNCOMPRESSED) {
    ok = n == raw;
    if (ok)
      memcpy(out, src, n);
  } else if (codec == SG_PQ_ZSTD) {
    size_t got = ZSTD_decompress(out, raw, src, n);
    ok = !ZSTD_isError(got) && got == raw;
  } else if (codec == SG_PQ_SNAPPY) {
    size_t got = raw;
    ok = snappy_uncompress((const char *)src, n, (char *)out, &got) == SNAPPY_OK && got == raw;
  } else {
    ok = 0;
  }
  if (!ok) {
    free(out);
    return NULL;
  }
  return out;
}

/* PLAIN byte arrays: `n` of them from [p, end) into out. @return 0 or -1. */
static int plain_strings(const unsigned char *p, const unsigned char *end, size_t n, strv *out)
{
  for (size_t i = 0; i < n; i++) {
    if (end - p < 4)
      return -1;
    uint32_t len = sg_le32(p);
    p += 4;
    if ((size_t)(end - p) < len)
      return -1;
    out[i].p = p;
    out[i].len = len;
    p += len;
  }
  return 0;
}

/* The RLE / bit-packing hybrid: `n` values of `width` bits. */
static int hybrid(const unsigned char *p, const unsigned char *end, int width, size_t n, uint32_t *out)
{
  size_t got = 0, vbytes = (size_t)(width + 7) / 8;
  while (got < n) {
    uint64_t h;
    size_t hl = sg_uleb128_read(p, end, &h);
    if (!hl)
      return -1;
    p += hl;
    if (h & 1) { /* bit-packed groups of 8 */
      uint64_t count = (h >> 1) * 8;
      if ((uint64_t)(end - p) * 8 < count * (uint64_t)width)
        return -1;
      for (uint64_t k = 0; k < count; k++) {
        uint32_t x = 0;
        for (int b = 0; b < width; b++) {
          uint64_t bit = k * (uint64_t)width + (uint64_t)b;
          x |= (uint32_t)(p[bit >> 3] >> (bit & 7) & 1) << b;
        }
        if (got < n)
          out[got++] = x;
      }
      p += (count * (uint64_t)width + 7) / 8;
    } else { /* a run */
      uint64_t count = h >> 1;
      if ((size_t)(end - p) < vbytes || count == 0)
        return -1;
      uint32_t x = 0;
      for (size_t b = 0; b < vbytes; b++)
        x |= (uint32_t)p[b] << (8 * b);
      p += vbytes;
      for (uint64_t k = 0; k < count && got < n; k++)
        out[got++] = x;
    }
  }
  return 0;
}

/* Decodes column chunk `c` of the loaded row group into v. */
static int load_chunk(sg_pq_reader *r, const chunk *c, int col, values *v)
{
  struct pq_file *p = r->impl;
  const char *name = r->table->cols[col]->name;
  int64_t rows = p->groups[p->group - 1].rows;
  int64_t start = c->dict_offset >= 0 ? c->dict_offset : c->data_offset;
  if (start < 4 || c->compressed < 0 || start + c->compressed > (int64_t)p->size - 8)
    return fail_col(r, name, "its chunk lies outside the file");
  int t = c->type;
  if (t != sg_parquet_physical_type(r->table->cols[col]))
    return fail_col(r, name, "its chunk's type is not the schema's");
  size_t n = (size_t)rows;
  if ((t == SG_PQ_BYTE_ARRAY && !(v->s = malloc((n ? n : 1) * sizeof *v->s))) ||
      ((t == SG_PQ_INT32 || t == SG_PQ_INT64) && !(v->i = malloc((n ? n : 1) * sizeof *v->i))) ||
      (t == SG_PQ_DOUBLE && !(v->d = malloc((n ? n : 1) * sizeof *v->d))))
    return fail_col(r, name, "out of memory");
  strv *dict = NULL;
  size_t ndict = 0, got = 0;
  const unsigned char *q = p->file + start, *end = q + c->compressed;
  int rc = 0;
  while (got < n && rc == 0) {
    sg_thrift_in in;
    sg_thrift_in_init(&in, q, (size_t)(end - q));
    int16_t id;
    int ft, ptype = -1, enc = -1;
    int64_t raw = -1, packed = -1, count = -1;
    while (sg_thrift_field(&in, &id, &ft)) {
      if (id == 1)
        ptype = (int)sg_thrift_read_int(&in, ft);
      else if (id == 2)
        raw = sg_thrift_read_int(&in, ft);
      else if (id == 3)
        packed = sg_thrift_read_int(&in, ft);
      else if ((id == 5 || id == 7) && ft == SG_TT_STRUCT) {
        int16_t hid;
        int ht;
        sg_thrift_enter(&in);
        while (sg_thrift_field(&in, &hid, &ht)) {
          if (hid == 1)
            count = sg_thrift_read_int(&in, ht);
          else if (hid == 2)
            enc = (int)sg_thrift_read_int(&in, ht);
          else
            sg_thrift_skip(&in, ht);
        }
        sg_thrift_leave(&in);
      } else
        sg_thrift_skip(&in, ft);
    }
    if (in.failed || raw < 0 || packed < 0 || count < 0 || packed > end - in.p || raw > (1 << 30)) {
      rc = fail_col(r, name, "a page header is malformed");
      break;
    }
    unsigned char *page = inflate_page(c->codec, in.p, (size_t)packed, (size_t)raw);
    q = in.p + packed;
    if (!page || keep(v, page)) {
      free(page);
      rc = fail_col(r, name, "a page does not decompress to its stated size");
      break;
    }
    const unsigned char *pp = page, *pe = page + raw;
    if (ptype == SG_PQ_DICTIONARY_PAGE) {
      free(dict);
      dict = NULL;
      if (count > raw / 4) { /* each entry has at least its 4-byte length */
        rc = fail_col(r, name, "the dictionary page is malformed");
        break;
      }
      ndict = (size_t)count;
      dict = malloc((ndict ? ndict : 1) * sizeof *dict);
      if (!dict || t != SG_PQ_BYTE_ARRAY || plain_strings(pp, pe, ndict, dict))
        rc = fail_col(r, name, "the dictionary page is malformed");
      continue;
    }
    if (ptype != SG_PQ_DATA_PAGE || (size_t)count > n - got || count > MAX_PAGE_VALUES) {
      rc = fail_col(r, name, "a page is not a v1 data page of the chunk's values");
      break;
    }
    size_t k = (size_t)count;
    if (enc == SG_PQ_RLE_DICTIONARY) {
      uint32_t *idx = malloc((k ? k : 1) * sizeof *idx);
      int width = pe > pp ? *pp : -1;
      int ok = idx && dict && width >= 0 && width <= 32 && hybrid(pp + 1, pe, width, k, idx) == 0;
      for (size_t i = 0; ok && i < k; i++) {
        ok = idx[i] < ndict;
        if (ok)
          v->s[got + i] = dict[idx[i]];
      }
      free(idx);
      if (!ok)
        rc = fail_col(r, name, "dictionary indices are malformed or out of range");
    } else if (enc == SG_PQ_PLAIN) {
      if (t == SG_PQ_BYTE_ARRAY) {
        if (plain_strings(pp, pe, k, v->s + got))
          rc = fail_col(r, name, "PLAIN strings run past their page");
      } else {
        size_t w = t == SG_PQ_INT32 ? 4 : 8;
        if ((size_t)(pe - pp) < k * w) {
          rc = fail_col(r, name, "PLAIN values run past their page");
        } else {
          for (size_t i = 0; i < k; i++, pp += w) {
            uint64_t x = 0;
            for (size_t b = 0; b < w; b++)
              x |= (uint64_t)pp[b] << (8 * b);
            if (t == SG_PQ_INT32)
              v->i[got + i] = (int32_t)(uint32_t)x;
            else if (t == SG_PQ_INT64)
              v->i[got + i] = (int64_t)x;
            else
              memcpy(&v->d[got + i], &x, 8);
          }
        }
      }
    } else {
      rc = fail_col(r, name, "an encoding other than PLAIN or RLE_DICTIONARY");
    }
    got += k;
  }
  free(dict);
  if (rc == 0 && got != n)
    rc = fail_col(r, name, "its pages hold fewer values than the row group's rows");
  return rc;
}

static int load_group(sg_pq_reader *r)
{
  struct pq_file *p = r->impl;
  for (int c = 0; c < r->table->ncols; c++)
    values_free(&p->v[c]);
  p->group++;
  p->row = 0;
  const group *g = &p->groups[p->group - 1];
  for (int c = 0; c < r->table->ncols; c++)
    if (load_chunk(r, &g->col[c], c, &p->v[c]))
      return -1;
  return 0;
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
  char *out = p->text;
  for (int c = 0; c < r->table->ncols; c++) {
    const values *v = &p->v[c];
    const sg_column *col = r->table->cols[c];
    size_t n;
    if (v->s) {
      strv s = v->s[p->row];
      n = s.len < 71 ? s.len : 71; /* names are under 64 bytes: longer is wrong anyway */
      memcpy(out, s.p, n);
    } else if (col->kind == SG_KIND_DATE) {
      int64_t days = v->i[p->row];
      if (days < -719528 || days > 2932896) /* 0000-01-01 .. 9999-12-31 */
        return fail_col(r, col->name, "a date outside the years 0 .. 9999");
      n = sg_fmt_date(out, (int32_t)days);
    } else if (v->i) {
      n = sg_fmt_i64(out, v->i[p->row]);
    } else {
      /* a feature: exactly a value with its fixed decimals, as the CSV has */
      double x = v->d[p->row], scale = pow(10.0, col->decimals);
      double units = nearbyint(x * scale);
      if (!(fabs(units) < 2e9) || units / scale != x) {
        char why[128];
        snprintf(why, sizeof why, "row %llu: %.17g is not a value with %d decimals",
                 (unsigned long long)r->record, x, col->decimals);
        return fail_col(r, col->name, why);
      }
      n = sg_fmt_fixed(out, (int64_t)units, col->decimals);
    }
    out[n] = '\0';
    r->field[c] = out;
    r->flen[c] = n;
    out += n + 1;
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
  for (int c = 0; c < SG_NCOLS; c++) /* every column: a damaged file may stop anywhere */
    values_free(&p->v[c]);
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
  sg_err e = sg_pq_open_fd(p, fd, name, r->table);
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
