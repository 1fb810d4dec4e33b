/* format_parquet.c - Apache Parquet, written by spotgen itself (no Arrow).
 *
 * One file per part: "PAR1", row groups, the footer (FileMetaData in the
 * Thrift compact protocol), its length, "PAR1". A row group is gathered
 * column by column until its values reach the row-group size (or the part
 * ends), then written: per column an optional dictionary page and data pages
 * of about 1 MiB, each compressed on its own (ZSTD, SNAPPY or none), and the
 * column chunk's statistics (min, max, null count 0) kept for the footer.
 * A PLAIN column's page is compressed as soon as it is full, so memory holds
 * a row group compressed (and the dictionary columns' indices), not its
 * values: a chunk's pages must lie together in the file, so they wait for
 * the row group's end, but small; the first column's (the ids: the most
 * bytes, the least compressible) go to the file at once, since nothing
 * comes before them in the row group.
 *
 * Columns are REQUIRED (never null), so pages carry no levels, except in a
 * nullable table (generate --dirty's): its columns are OPTIONAL, each page
 * starts with its definition levels (RLE, one bit a value), a DOUBLE is
 * kept as itself (a dirty value need not have its column's decimals), and
 * the values come as cells (format.h): from the row, from text parsed to
 * the column's type, or null. Strings are
 * BYTE_ARRAY with the STRING logical type; release_date INT32 DATE; ints
 * INT32, num_followers INT64; the fixed-point features DOUBLE (the value a
 * CSV reader parses, v / 10^decimals, correctly rounded). The four
 * low-cardinality strings (category, playlist, artist and album names) are
 * dictionary-encoded (RLE_DICTIONARY), falling back to PLAIN for the rest of
 * a row group if the dictionary grows past 2 MiB; the rest is PLAIN.
 * Everything is deterministic: the bytes depend on the rows and the options. */
#include <stdlib.h>
#include <string.h>
#include <snappy-c.h>
#include <zstd.h>

#include "spotgen/base/buf.h"
#include "spotgen/format/format.h"
#include "spotgen/format/reader.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/format/thrift.h"

#define PAGE_BYTES (1u << 20)     /* data pages of about this much, uncompressed */
#define PAGE_INDICES (1u << 17)   /* dictionary indices per data page */
#define DICT_MAX_BYTES (2u << 20) /* a bigger dictionary falls back to PLAIN */

/* sg_buf_put(), as 0 or -1 for the writer's chains of appends. */
static int append(sg_buf *b, const void *data, size_t n)
{
  sg_buf_put(b, data, n);
  return b->failed ? -1 : 0;
}
/* A growable array of 32-bit values. */
typedef struct u32s {
  uint32_t *p;
  size_t n, cap;
} u32s;

static int push_u32(u32s *a, uint32_t v)
{
  if (a->n == a->cap) {
    size_t cap = a->cap ? 2 * a->cap : 1024;
    uint32_t *p = realloc(a->p, cap * sizeof *p);
    if (!p)
      return -1;
    a->p = p;
    a->cap = cap;
  }
  a->p[a->n++] = v;
  return 0;
}

/* The dictionary indices of a chunk: 16 bits each while the dictionary
 * has at most 65536 entries (nearly always), 32 after. */
typedef struct indices {
  void *p;
  size_t n, cap;
  int wide;                   /* 32-bit */
} indices;

static uint32_t index_at(const indices *a, size_t i)
{
  return a->wide ? ((const uint32_t *)a->p)[i] : ((const uint16_t *)a->p)[i];
}

static int push_index(indices *a, uint32_t v)
{
  if (!a->wide && v > 0xFFFF) { /* widen, from the end */
    uint32_t *w = malloc((a->cap ? a->cap : 1) * sizeof *w);
    if (!w)
      return -1;
    for (size_t i = a->n; i-- > 0;)
      w[i] = ((const uint16_t *)a->p)[i];
    free(a->p);
    a->p = w;
    a->wide = 1;
  }
  size_t size = a->wide ? 4 : 2;
  if (a->n == a->cap) {
    size_t cap = a->cap ? 2 * a->cap : 1024;
    void *p = realloc(a->p, cap * size);
    if (!p)
      return -1;
    a->p = p;
    a->cap = cap;
  }
  if (a->wide)
    ((uint32_t *)a->p)[a->n++] = v;
  else
    ((uint16_t *)a->p)[a->n++] = (uint16_t)v;
  return 0;
}

static void put_le32(unsigned char *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

/* A column chunk's description, kept from its row group to the footer. */
typedef struct chunk_meta {
  int64_t num_values, uncompressed, compressed, data_offset, dict_offset, start;
  int dict;                   /* dictionary-encoded */
  int64_t nulls;
  int have;                   /* a value to bound (not every one null) */
  unsigned char min[64], max[64];
  size_t min_len, max_len;
} chunk_meta;

typedef struct column {
  const sg_column *c;
  int ptype;                  /* SG_PQ_INT32, ... */
  int optional;               /* of a nullable table: pages carry definition levels */
  int wide;                   /* a DOUBLE kept as itself, not as its fixed-point int32 */
  sg_buf levels;              /* OPTIONAL: 1 (a value) or 0 (null) of each value not
                                 yet in a page (dictionary columns: the row group's) */
  int64_t nulls;              /* of the chunk so far */
  int wants_dict;
  sg_buf plain;               /* PLAIN values of the page being filled (a DOUBLE
                                 column's as their int32 fixed-point: half the room) */
  size_t plain_total;         /* PLAIN bytes of the row group, pages made included */
  sg_buf pages;               /* the chunk's data pages made so far: headers and bodies */
  int64_t pages_raw, pages_packed; /* their sizes, uncompressed and as stored */
  /* the dictionary: entries PLAIN-encoded back to back, their offsets, a hash */
  int dict;
  sg_buf entries;
  u32s offset;                /* of each entry in `entries` */
  uint32_t *slot, nslots;     /* entry + 1, 0 when empty */
  indices idx;                /* the entry of each value */
  /* statistics of the chunk so far */
  int have;
  int64_t imin, imax;
  double dmin, dmax;
  unsigned char smin[64], smax[64];
  size_t smin_len, smax_len;
} column;

/* A written row group, kept for the footer. */
typedef struct group_meta {
  int64_t rows;
  chunk_meta col[SG_TABLE_MAX_COLS];
} group_meta;

typedef struct pq_state {
  const sg_table *table;      /* of the part being written */
  const sg_format_options *opt;
  int ncols;
  column col[SG_TABLE_MAX_COLS];
  uint64_t rows;              /* in the row group being filled */
  int64_t offset;             /* bytes written to the file */
  int64_t group_start;        /* the offset of the row group being filled */
  sg_buf page, packed, chunk;
  uint32_t run[PAGE_INDICES];  /* a data page's indices, 32-bit */
  ZSTD_CCtx *zc;
  group_meta *groups;         /* written so far */
  size_t ngroups, cap_groups;
} pq_state;

static const char *const DICT_COLUMNS[] = {"playlist_category", "playlist_name", "artist_name", "album_name"};

static int physical(const sg_column *c)
{
  switch (c->kind) {
  case SG_KIND_STR:
  case SG_KIND_ID:
  case SG_KIND_TEXT_REF: return SG_PQ_BYTE_ARRAY;
  case SG_KIND_DATE:
  case SG_KIND_I32: return SG_PQ_INT32;
  case SG_KIND_I64: return SG_PQ_INT64;
  case SG_KIND_FIXED: return SG_PQ_DOUBLE;
  }
  return SG_PQ_BYTE_ARRAY;
}

int sg_parquet_physical_type(const sg_column *c) { return physical(c); }

/* ---- values --------------------------------------------------------------- */

static void string_of(const sg_column *c, const sg_row *row, const char **s, size_t *n)
{
  const char *p = (const char *)row + c->offset;
  if (c->kind == SG_KIND_ID) {
    *s = p;
    *n = SG_ID_LEN;
  } else {
    const sg_text *t = c->kind == SG_KIND_TEXT_REF ? *(const sg_text *const *)p : (const sg_text *)p;
    *s = t->s;
    *n = t->len;
  }
}

static int bytes_less(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
  int d = memcmp(a, b, na < nb ? na : nb);
  return d < 0 || (d == 0 && na < nb);
}

static void stat_string(column *k, const char *s, size_t n)
{
  if (n > sizeof k->smin)
    n = sizeof k->smin; /* names are under 64 bytes; a cut bound is still a bound */
  if (!k->have || bytes_less((const unsigned char *)s, n, k->smin, k->smin_len)) {
    memcpy(k->smin, s, n);
    k->smin_len = n;
  }
  if (!k->have || bytes_less(k->smax, k->smax_len, (const unsigned char *)s, n)) {
    memcpy(k->smax, s, n);
    k->smax_len = n;
  }
  k->have = 1;
}

static uint32_t hash_bytes(const char *s, size_t n)
{
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static int dict_rehash(column *k, uint32_t nslots)
{
  uint32_t *slot = calloc(nslots, sizeof *slot);
  if (!slot)
    return -1;
  for (uint32_t e = 0; e < (uint32_t)k->offset.n; e++) {
    const unsigned char *p = k->entries.p + k->offset.p[e];
    uint32_t n = sg_le32(p);
    uint32_t i = hash_bytes((const char *)p + 4, n) & (nslots - 1);
    while (slot[i])
      i = (i + 1) & (nslots - 1);
    slot[i] = e + 1;
  }
  free(k->slot);
  k->slot = slot;
  k->nslots = nslots;
  return 0;
}

static int plain_string(sg_buf *b, const char *s, size_t n)
{
  unsigned char len[4];
  put_le32(len, (uint32_t)n);
  return append(b, len, 4) || append(b, s, n);
}

/* Leaves the dictionary for PLAIN: the values so far are written out plain. */
static int dict_fallback(column *k)
{
  for (size_t i = 0; i < k->idx.n; i++) {
    const unsigned char *p = k->entries.p + k->offset.p[index_at(&k->idx, i)];
    uint32_t n = sg_le32(p);
    if (append(&k->plain, p, 4 + (size_t)n))
      return -1;
  }
  k->dict = 0;
  k->idx.n = 0;
  return 0;
}

static int dict_add(column *k, const char *s, size_t n)
{
  if (k->nslots == 0 && dict_rehash(k, 1024))
    return -1;
  uint32_t i = hash_bytes(s, n) & (k->nslots - 1), e;
  while ((e = k->slot[i]) != 0) {
    const unsigned char *p = k->entries.p + k->offset.p[e - 1];
    if (sg_le32(p) == n && memcmp(p + 4, s, n) == 0)
      break;
    i = (i + 1) & (k->nslots - 1);
  }
  if (!e) {
    if (k->entries.len + 4 + n > DICT_MAX_BYTES)
      return dict_fallback(k) || plain_string(&k->plain, s, n);
    if (push_u32(&k->offset, (uint32_t)k->entries.len) || plain_string(&k->entries, s, n))
      return -1;
    e = (uint32_t)k->offset.n;
    k->slot[i] = e;
    if (2 * k->offset.n > k->nslots && dict_rehash(k, 2 * k->nslots))
      return -1;
  }
  return push_index(&k->idx, e - 1);
}

static int add_int(column *k, int64_t v)
{
  k->imin = !k->have || v < k->imin ? v : k->imin;
  k->imax = !k->have || v > k->imax ? v : k->imax;
  k->have = 1;
  unsigned char b[8];
  for (int i = 0; i < 8; i++)
    b[i] = (unsigned char)((uint64_t)v >> (8 * i));
  return append(&k->plain, b, k->ptype == SG_PQ_INT64 ? 8 : 4);
}

static void stat_double(column *k, double v)
{
  k->dmin = !k->have || v < k->dmin ? v : k->dmin;
  k->dmax = !k->have || v > k->dmax ? v : k->dmax;
  k->have = 1;
}

/* Adds row's value of column k: to the statistics, and to its dictionary
 * or its PLAIN values. */
static int add_to(column *k, const sg_row *row)
{
  const sg_column *c = k->c;
  const char *p = (const char *)row + c->offset;
  switch (k->ptype) {
  case SG_PQ_BYTE_ARRAY: {
    const char *s;
    size_t n;
    string_of(c, row, &s, &n);
    stat_string(k, s, n);
    return k->dict ? dict_add(k, s, n) : plain_string(&k->plain, s, n);
  }
  case SG_PQ_INT32:
  case SG_PQ_INT64: return add_int(k, k->ptype == SG_PQ_INT64 ? *(const int64_t *)p : *(const int32_t *)p);
  default: { /* DOUBLE: kept as the fixed-point int32 until its page is made */
    int32_t raw = *(const int32_t *)p;
    double v = sg_schema_fixed(c, raw);
    stat_double(k, v);
    return k->wide ? append(&k->plain, &v, 8) : append(&k->plain, &raw, 4);
  }
  }
}

/* Adds a value of column k spelt `s` (a cell's text, format.h): parsed to
 * the column's type. -1 when out of memory, 1 when the type cannot hold
 * the text (the caller made a value that is not one). */
static int add_text(column *k, const char *s)
{
  size_t n = strlen(s);
  int64_t i;
  double d;
  if (!sg_schema_parse(k->c, s, n, &i, &d))
    return 1;
  switch (k->ptype) {
  case SG_PQ_BYTE_ARRAY:
    stat_string(k, s, n);
    return k->dict ? dict_add(k, s, n) : plain_string(&k->plain, s, n);
  case SG_PQ_INT32:
  case SG_PQ_INT64: return add_int(k, i);
  default:
    stat_double(k, d);
    return append(&k->plain, &d, 8); /* k->wide: only nullable tables have text */
  }
}

/* Uncompressed bytes of the row group so far (dictionary columns counted
 * as their indices and dictionary). */
static size_t buffered(const pq_state *st)
{
  size_t n = 0;
  for (int i = 0; i < st->ncols; i++) {
    const column *k = &st->col[i];
    n += k->plain_total + k->entries.len + k->idx.n * 4 + k->levels.len; /* 4 bytes an index, however kept */
  }
  return n;
}

/* ---- pages ------------------------------------------------------------------ */

static int bit_width(uint32_t max)
{
  int w = 1;
  while (w < 32 && (max >> w))
    w++;
  return w;
}

static void varint(sg_buf *b, uint64_t v, int *err)
{
  unsigned char tmp[10];
  *err |= append(b, tmp, sg_uleb128(tmp, v));
}

/* Value i of an array of 1-byte (definition levels) or 4-byte (indices) values. */
static inline uint32_t value_at(const void *v, int size, size_t i)
{
  return size == 1 ? ((const unsigned char *)v)[i] : ((const uint32_t *)v)[i];
}

/* The RLE / bit-packing hybrid of `n` values of `size` bytes (Parquet's
 * Encodings.md): a run of 8 or more equal values is one RLE run; the rest
 * go in bit-packed groups of 8 (the last group padded with zeros). */
static int rle_hybrid(sg_buf *out, const void *vals, int size, size_t n, int width)
{
#define v(i) value_at(vals, size, (i))
  int err = 0;
  size_t i = 0, vbytes = (size_t)(width + 7) / 8;
  while (i < n && !err) {
    size_t run = 1;
    while (i + run < n && v(i + run) == v(i))
      run++;
    if (run >= 8) {
      varint(out, (uint64_t)run << 1, &err);
      unsigned char b[4];
      put_le32(b, v(i));
      err |= append(out, b, vbytes);
      i += run;
      continue;
    }
    /* literals: groups of 8 until a run of 8 starts at a group boundary */
    size_t j = i;
    while (j < n) {
      size_t r = 1;
      while (j + r < n && v(j + r) == v(j) && r < 8)
        r++;
      if (j > i && r >= 8)
        break;
      j += 8;
    }
    size_t groups = (j - i + 7) / 8;
    varint(out, (uint64_t)groups << 1 | 1, &err);
    if (err || sg_buf_reserve(out, groups * (size_t)width))
      return -1;
    unsigned char *p = out->p + out->len;
    memset(p, 0, groups * (size_t)width);
    uint64_t bit = 0;
    for (size_t k = i; k < i + groups * 8; k++, bit += (uint64_t)width) {
      uint32_t x = k < n ? v(k) : 0;
      for (int b = 0; b < width; b++)
        if (x >> b & 1)
          p[(bit + (uint64_t)b) >> 3] |= (unsigned char)(1u << ((bit + (uint64_t)b) & 7));
    }
    out->len += groups * (size_t)width;
    i = j < n ? j : n;
  }
  return err ? -1 : 0;
#undef v
}

/* The definition levels of a page of OPTIONAL column k: from k->levels at
 * *at, those up to its n-th value (`last`: every one left), appended to
 * `page` after their length. @return : how many (the page's values, nulls
 * included), or -1 when out of memory. */
static int64_t page_levels(column *k, size_t *at, uint32_t n, int last, sg_buf *page)
{
  const unsigned char *lv = k->levels.p;
  size_t i = *at;
  if (last)
    i = k->levels.len;
  else
    for (uint32_t seen = 0; seen < n;)
      seen += lv[i++];
  size_t start = page->len;
  unsigned char len[4] = {0};
  if (append(page, len, 4) || rle_hybrid(page, lv + *at, 1, i - *at, 1))
    return -1;
  put_le32(page->p + start, (uint32_t)(page->len - start - 4));
  int64_t count = (int64_t)(i - *at);
  *at = i;
  return count;
}

/* Compresses n bytes at src into st->packed with the file's codec. */
static int compress_page(pq_state *st, const unsigned char *src, size_t n)
{
  const sg_format_options *o = st->opt;
  st->packed.len = 0;
  if (o->parquet_codec == SG_PQ_UNCOMPRESSED)
    return append(&st->packed, src, n);
  if (o->parquet_codec == SG_PQ_SNAPPY) {
    size_t cap = snappy_max_compressed_length(n);
    if (sg_buf_reserve(&st->packed, cap))
      return -1;
    size_t len = cap;
    if (snappy_compress((const char *)src, n, (char *)st->packed.p, &len) != SNAPPY_OK)
      return -1;
    st->packed.len = len;
    return 0;
  }
  size_t cap = ZSTD_compressBound(n);
  if (sg_buf_reserve(&st->packed, cap))
    return -1;
  size_t len = ZSTD_compressCCtx(st->zc, st->packed.p, cap, src, n, o->level);
  if (ZSTD_isError(len))
    return -1;
  st->packed.len = len;
  return 0;
}

/* Appends one page of the n bytes at src to `out`: its header, then its
 * bytes compressed; adds its sizes, uncompressed and as stored, to *raw and
 * *packed. */
static int make_page(pq_state *st, int type, uint32_t num_values, int encoding,
                     const unsigned char *src, size_t n, sg_buf *out, int64_t *raw, int64_t *packed)
{
  if (compress_page(st, src, n))
    return -1;
  sg_thrift_out w;
  sg_thrift_out_init(&w);
  sg_thrift_i32(&w, 1, type);
  sg_thrift_i32(&w, 2, (int32_t)n);
  sg_thrift_i32(&w, 3, (int32_t)st->packed.len);
  if (type == SG_PQ_DICTIONARY_PAGE) {
    sg_thrift_struct_begin(&w, 7);
    sg_thrift_i32(&w, 1, (int32_t)num_values);
    sg_thrift_i32(&w, 2, SG_PQ_PLAIN);
    sg_thrift_struct_end(&w);
  } else {
    sg_thrift_struct_begin(&w, 5);
    sg_thrift_i32(&w, 1, (int32_t)num_values);
    sg_thrift_i32(&w, 2, encoding);
    sg_thrift_i32(&w, 3, SG_PQ_RLE); /* levels: none for REQUIRED columns, RLE-encoded for OPTIONAL */
    sg_thrift_i32(&w, 4, SG_PQ_RLE);
    sg_thrift_struct_end(&w);
  }
  sg_thrift_end(&w);
  int err = w.out.failed || append(out, w.out.p, w.out.len) ||
            append(out, st->packed.p, st->packed.len);
  *raw += (int64_t)(w.out.len + n);
  *packed += (int64_t)(w.out.len + st->packed.len);
  sg_thrift_out_free(&w);
  return err ? -1 : 0;
}

/* Bytes of PLAIN values per byte kept (a DOUBLE is kept as 4 of its 8,
 * unless wide). */
static size_t plain_unit(const column *k) { return k->ptype == SG_PQ_DOUBLE && !k->wide ? 2 : 1; }

/* Makes data pages of column k's PLAIN values waiting: each full one (the
 * values up to the first that takes it to PAGE_BYTES), and when `last` the
 * rest too. The values left wait for the next. */
static int plain_pages(pq_state *st, column *k, int last)
{
  const unsigned char *p = k->plain.p, *end = p + k->plain.len;
  const size_t unit = plain_unit(k);
  size_t fixed = k->ptype == SG_PQ_BYTE_ARRAY ? 0 : k->ptype == SG_PQ_INT64 || k->wide ? 8 : 4;
  size_t at = 0; /* levels used */
  while (p < end || (last && at < k->levels.len)) {
    const unsigned char *q = p;
    uint32_t n = 0;
    while (q < end && (size_t)(q - p) * unit < PAGE_BYTES) {
      q += fixed ? fixed : 4 + (size_t)sg_le32(q);
      n++;
    }
    if (!last && (size_t)(q - p) * unit < PAGE_BYTES)
      break;
    const unsigned char *src = p;
    size_t len = (size_t)(q - p);
    int64_t count = n;
    st->page.len = 0;
    if (k->optional && (count = page_levels(k, &at, n, last && q == end, &st->page)) < 0)
      return -1;
    if (k->ptype == SG_PQ_DOUBLE && !k->wide) { /* the doubles readers see, little-endian (x86-64, arm64) */
      if (sg_buf_reserve(&st->page, (size_t)n * 8))
        return -1;
      for (uint32_t i = 0; i < n; i++) {
        int32_t raw;
        memcpy(&raw, p + 4 * (size_t)i, 4);
        double d = sg_schema_fixed(k->c, raw);
        memcpy(st->page.p + st->page.len, &d, 8);
        st->page.len += 8;
      }
    } else if (st->page.len && append(&st->page, p, len)) { /* the values after the levels */
      return -1;
    }
    if (st->page.len) {
      src = st->page.p;
      len = st->page.len;
    }
    if (make_page(st, SG_PQ_DATA_PAGE, (uint32_t)count, SG_PQ_PLAIN, src, len, &k->pages, &k->pages_raw,
                  &k->pages_packed))
      return -1;
    p = q;
  }
  k->plain.len = (size_t)(end - p);
  memmove(k->plain.p, p, k->plain.len);
  if (at) { /* OPTIONAL: the levels of the values left wait with them */
    k->levels.len -= at;
    memmove(k->levels.p, k->levels.p + at, k->levels.len);
  }
  return 0;
}

/* The first column's pages made so far, to the file (see the top). */
static sg_err stream_pages(sg_format *f, pq_state *st, column *k)
{
  if (k != st->col || k->wants_dict || k->pages.len == 0)
    return SG_OK;
  st->offset += (int64_t)k->pages.len;
  sg_err e = sg_sink_write(f->sink, k->pages.p, k->pages.len);
  k->pages.len = 0;
  return e;
}

/* Adds column k's value: `text` (parsed to the column's type) when not
 * NULL, else its value in `row`; or, `null`, a null. A full page is
 * compressed at once. */
static sg_err add_value(sg_format *f, pq_state *st, column *k, const sg_row *row, const char *text, int null)
{
  size_t before = k->plain.len;
  int rc = null ? 0 : text ? add_text(k, text) : add_to(k, row);
  if (rc == 1)
    return sg_seterr(SG_EDATA, "parquet column %s cannot hold '%s'", k->c->name, text ? text : "");
  if (k->optional) {
    unsigned char level = !null;
    k->nulls += null;
    rc |= append(&k->levels, &level, 1);
  }
  if (rc)
    return sg_seterr(SG_ENOMEM, "out of memory buffering a parquet row group");
  k->plain_total += (k->plain.len - before) * plain_unit(k);
  if (k->plain.len * plain_unit(k) < PAGE_BYTES)
    return SG_OK;
  if (plain_pages(st, k, 0))
    return sg_seterr(SG_ENOMEM, "out of memory compressing a parquet page");
  return stream_pages(f, st, k);
}

/* The statistics of a chunk, PLAIN-encoded as the footer wants them. */
static void chunk_stats(const column *k, chunk_meta *m)
{
  m->nulls = k->nulls;
  m->have = k->have;
  if (!k->have)
    return;
  if (k->ptype == SG_PQ_BYTE_ARRAY) {
    memcpy(m->min, k->smin, k->smin_len);
    memcpy(m->max, k->smax, k->smax_len);
    m->min_len = k->smin_len;
    m->max_len = k->smax_len;
  } else if (k->ptype == SG_PQ_DOUBLE) {
    /* the spec's rule for zeros: min -0.0, max +0.0 */
    double lo = k->dmin == 0 ? -0.0 : k->dmin, hi = k->dmax == 0 ? 0.0 : k->dmax;
    memcpy(m->min, &lo, 8);
    memcpy(m->max, &hi, 8);
    m->min_len = m->max_len = 8;
  } else {
    size_t n = k->ptype == SG_PQ_INT64 ? 8 : 4;
    for (size_t i = 0; i < n; i++) {
      m->min[i] = (unsigned char)((uint64_t)k->imin >> (8 * i));
      m->max[i] = (unsigned char)((uint64_t)k->imax >> (8 * i));
    }
    m->min_len = m->max_len = n;
  }
}

static sg_err write_pages(sg_format *f, pq_state *st, const sg_buf *pages)
{
  st->offset += (int64_t)pages->len;
  return sg_sink_write(f->sink, pages->p, pages->len);
}

/* Writes column k's chunk of the row group: the dictionary page and the
 * indices' pages, or the PLAIN pages made so far and the last. */
static sg_err write_chunk(sg_format *f, pq_state *st, column *k, chunk_meta *m)
{
  memset(m, 0, sizeof *m);
  m->start = k == st->col ? st->group_start : st->offset;
  m->data_offset = m->start;
  m->dict_offset = -1;
  m->num_values = (int64_t)st->rows;
  m->dict = k->dict;
  chunk_stats(k, m);
  const sg_buf *out = &k->pages;
  int err = 0;
  if (k->dict) {
    st->chunk.len = 0;
    uint32_t entries = (uint32_t)k->offset.n;
    m->dict_offset = st->offset;
    err = make_page(st, SG_PQ_DICTIONARY_PAGE, entries, SG_PQ_PLAIN, k->entries.p, k->entries.len,
                    &st->chunk, &m->uncompressed, &m->compressed);
    m->data_offset = st->offset + (int64_t)st->chunk.len;
    int width = bit_width(entries ? entries - 1 : 0);
    size_t i = 0, at = 0; /* indices and levels used */
    do { /* a page at least: an OPTIONAL chunk may hold only nulls */
      size_t n = k->idx.n - i < PAGE_INDICES ? k->idx.n - i : PAGE_INDICES;
      int64_t count = (int64_t)n;
      st->page.len = 0;
      if (k->optional)
        err |= (count = page_levels(k, &at, (uint32_t)n, i + n == k->idx.n, &st->page)) < 0;
      unsigned char w = (unsigned char)width;
      for (size_t j = 0; j < n; j++)
        st->run[j] = index_at(&k->idx, i + j);
      err = err || append(&st->page, &w, 1) || rle_hybrid(&st->page, st->run, 4, n, width) ||
            make_page(st, SG_PQ_DATA_PAGE, (uint32_t)count, SG_PQ_RLE_DICTIONARY, st->page.p, st->page.len,
                      &st->chunk, &m->uncompressed, &m->compressed);
      i += n;
    } while (!err && i < k->idx.n);
    out = &st->chunk;
  } else {
    err = plain_pages(st, k, 1);
    m->uncompressed = k->pages_raw;
    m->compressed = k->pages_packed;
  }
  if (err)
    return sg_seterr(SG_ENOMEM, "out of memory writing parquet");
  if (out == &k->pages)
    return k == st->col ? stream_pages(f, st, k) : write_pages(f, st, &k->pages);
  return write_pages(f, st, out);
}

static void column_reset(column *k)
{
  k->plain.len = 0;
  k->plain_total = 0;
  k->pages.len = 0;
  k->pages_raw = k->pages_packed = 0;
  k->entries.len = 0;
  k->offset.n = 0;
  k->idx.n = 0;
  if (k->slot)
    memset(k->slot, 0, k->nslots * sizeof *k->slot);
  k->dict = k->wants_dict;
  k->have = 0;
  k->levels.len = 0;
  k->nulls = 0;
}

static sg_err flush_group(sg_format *f, pq_state *st)
{
  if (st->rows == 0)
    return SG_OK;
  if (st->ngroups == st->cap_groups) {
    size_t cap = st->cap_groups ? 2 * st->cap_groups : 8;
    group_meta *g = realloc(st->groups, cap * sizeof *g);
    if (!g)
      return sg_seterr(SG_ENOMEM, "out of memory writing parquet");
    st->groups = g;
    st->cap_groups = cap;
  }
  group_meta *g = &st->groups[st->ngroups];
  g->rows = (int64_t)st->rows;
  sg_err e = SG_OK;
  for (int i = 0; e == SG_OK && i < st->ncols; i++) {
    e = write_chunk(f, st, &st->col[i], &g->col[i]);
    column_reset(&st->col[i]);
  }
  st->ngroups++;
  st->rows = 0;
  return e;
}

/* ---- the footer --------------------------------------------------------------- */

static void schema_element(sg_thrift_out *w, const sg_column *c, int optional)
{
  int t = physical(c);
  sg_thrift_elem_begin(w);
  sg_thrift_i32(w, 1, t);
  sg_thrift_i32(w, 3, optional); /* REQUIRED 0, OPTIONAL 1 */
  sg_thrift_string(w, 4, c->name);
  if (t == SG_PQ_BYTE_ARRAY) {
    sg_thrift_i32(w, 6, 0); /* converted type UTF8 */
    sg_thrift_struct_begin(w, 10);
    sg_thrift_struct_begin(w, 1); /* STRING */
    sg_thrift_struct_end(w);
    sg_thrift_struct_end(w);
  } else if (c->kind == SG_KIND_DATE) {
    sg_thrift_i32(w, 6, 6); /* converted type DATE */
    sg_thrift_struct_begin(w, 10);
    sg_thrift_struct_begin(w, 6); /* DATE */
    sg_thrift_struct_end(w);
    sg_thrift_struct_end(w);
  }
  sg_thrift_struct_end(w);
}

static void column_chunk(sg_thrift_out *w, const sg_column *c, const chunk_meta *m, int codec)
{
  int t = physical(c);
  sg_thrift_elem_begin(w);
  sg_thrift_i64(w, 2, m->start); /* file_offset: where the chunk starts */
  sg_thrift_struct_begin(w, 3);
  sg_thrift_i32(w, 1, t);
  sg_thrift_list(w, 2, SG_TT_I32, m->dict ? 2 : 1);
  sg_thrift_elem_i32(w, SG_PQ_PLAIN);
  if (m->dict)
    sg_thrift_elem_i32(w, SG_PQ_RLE_DICTIONARY);
  sg_thrift_list(w, 3, SG_TT_BINARY, 1);
  sg_thrift_elem_string(w, c->name);
  sg_thrift_i32(w, 4, codec);
  sg_thrift_i64(w, 5, m->num_values);
  sg_thrift_i64(w, 6, m->uncompressed);
  sg_thrift_i64(w, 7, m->compressed);
  sg_thrift_i64(w, 9, m->data_offset);
  if (m->dict)
    sg_thrift_i64(w, 11, m->dict_offset);
  sg_thrift_struct_begin(w, 12);
  sg_thrift_i64(w, 3, m->nulls); /* null_count */
  if (m->have) {
    sg_thrift_binary(w, 5, m->max, m->max_len);
    sg_thrift_binary(w, 6, m->min, m->min_len);
  }
  if (t == SG_PQ_DOUBLE)
    sg_thrift_i64(w, 9, 0); /* nan_count */
  sg_thrift_struct_end(w);
  sg_thrift_struct_end(w);
  sg_thrift_struct_end(w);
}

static sg_err write_footer(sg_format *f, pq_state *st, const sg_format_options *o)
{
  const sg_column *const *cols = st->table->cols;
  const int ncols = st->ncols;
  sg_thrift_out w;
  sg_thrift_out_init(&w);
  sg_thrift_i32(&w, 1, 1); /* version */
  sg_thrift_list(&w, 2, SG_TT_STRUCT, (uint32_t)ncols + 1);
  sg_thrift_elem_begin(&w);
  sg_thrift_string(&w, 4, st->table->id == SG_TABLE_FLAT ? "spotify_tracks" : st->table->name);
  sg_thrift_i32(&w, 5, ncols);
  sg_thrift_struct_end(&w);
  for (int i = 0; i < ncols; i++)
    schema_element(&w, cols[i], st->table->nullable);
  int64_t rows = 0;
  for (size_t g = 0; g < st->ngroups; g++)
    rows += st->groups[g].rows;
  sg_thrift_i64(&w, 3, rows);
  sg_thrift_list(&w, 4, SG_TT_STRUCT, (uint32_t)st->ngroups);
  for (size_t g = 0; g < st->ngroups; g++) {
    const group_meta *gm = &st->groups[g];
    int64_t raw = 0, packed = 0;
    sg_thrift_elem_begin(&w);
    sg_thrift_list(&w, 1, SG_TT_STRUCT, (uint32_t)ncols);
    for (int i = 0; i < ncols; i++) {
      column_chunk(&w, cols[i], &gm->col[i], o->parquet_codec);
      raw += gm->col[i].uncompressed;
      packed += gm->col[i].compressed;
    }
    sg_thrift_i64(&w, 2, raw);
    sg_thrift_i64(&w, 3, gm->rows);
    sg_thrift_i64(&w, 5, gm->col[0].start);
    sg_thrift_i64(&w, 6, packed);
    sg_thrift_i16(&w, 7, (int16_t)g); /* ordinal */
    sg_thrift_struct_end(&w);
  }
  sg_thrift_string(&w, 6, "spotgen version " SPOTGEN_VERSION);
  sg_thrift_list(&w, 7, SG_TT_STRUCT, (uint32_t)ncols);
  for (int i = 0; i < ncols; i++) {
    sg_thrift_elem_begin(&w);
    sg_thrift_struct_begin(&w, 1); /* TYPE_ORDER */
    sg_thrift_struct_end(&w);
    sg_thrift_struct_end(&w);
  }
  sg_thrift_end(&w);
  sg_err e = w.out.failed ? sg_seterr(SG_ENOMEM, "out of memory writing parquet") : SG_OK;
  unsigned char tail[8];
  put_le32(tail, (uint32_t)w.out.len);
  memcpy(tail + 4, "PAR1", 4);
  if (e == SG_OK)
    e = sg_sink_write(f->sink, w.out.p, w.out.len);
  if (e == SG_OK)
    e = sg_sink_write(f->sink, tail, 8);
  st->offset += (int64_t)w.out.len + 8;
  sg_thrift_out_free(&w);
  return e;
}

/* ---- the format ------------------------------------------------------------------ */

static void pq_free(void *p)
{
  pq_state *st = p;
  if (!st)
    return;
  for (int i = 0; i < SG_TABLE_MAX_COLS; i++) {
    column *k = &st->col[i];
    sg_buf_free(&k->plain);
    sg_buf_free(&k->levels);
    sg_buf_free(&k->pages);
    sg_buf_free(&k->entries);
    free(k->offset.p);
    free(k->slot);
    free(k->idx.p);
  }
  sg_buf_free(&st->page);
  sg_buf_free(&st->packed);
  sg_buf_free(&st->chunk);
  ZSTD_freeCCtx(st->zc);
  free(st->groups);
  free(st);
}

static sg_err pq_begin(sg_format *f, int header)
{
  (void)header; /* the schema is in the footer */
  pq_state *st = f->state;
  if (!st) {
    st = calloc(1, sizeof *st);
    if (!st || !(st->zc = ZSTD_createCCtx())) {
      free(st);
      return sg_seterr(SG_ENOMEM, "out of memory starting a parquet file");
    }
    f->state = st;
    f->free_state = pq_free;
  }
  /* The part's table: its columns, each with its type and encoding. */
  st->table = f->table;
  st->opt = &f->opt;
  st->ncols = f->table->ncols;
  for (int i = 0; i < st->ncols; i++) {
    column *k = &st->col[i];
    k->c = st->table->cols[i];
    k->ptype = physical(k->c);
    k->optional = st->table->nullable;
    k->wide = k->optional && k->ptype == SG_PQ_DOUBLE;
    k->wants_dict = 0;
    for (size_t d = 0; d < sizeof DICT_COLUMNS / sizeof DICT_COLUMNS[0]; d++)
      k->wants_dict |= strcmp(k->c->name, DICT_COLUMNS[d]) == 0;
    column_reset(k);
    /* a page's values at once: the buffer never moves */
    if (sg_buf_reserve(&k->plain, PAGE_BYTES + SG_CSV_ROW_MAX))
      return sg_seterr(SG_ENOMEM, "out of memory starting a parquet file");
  }
  st->rows = 0;
  st->ngroups = 0;
  st->offset = 4;
  return sg_sink_write(f->sink, "PAR1", 4);
}

/* A row added: the row group ends when it is big enough. The size is
 * checked every 1024 rows: a row group ends within a few hundred KiB of the
 * target. */
static sg_err row_added(sg_format *f, pq_state *st)
{
  st->rows++;
  if ((st->rows & 1023) == 0 && buffered(st) >= f->opt.row_group_bytes)
    return flush_group(f, st);
  return SG_OK;
}

static sg_err pq_rows(sg_format *f, const sg_row *rows, size_t n)
{
  pq_state *st = f->state;
  for (size_t r = 0; r < n; r++) {
    if (st->rows == 0)
      st->group_start = st->offset;
    for (int i = 0; i < st->ncols; i++) {
      sg_err e = add_value(f, st, &st->col[i], &rows[r], NULL, 0);
      if (e != SG_OK)
        return e;
    }
    sg_err e = row_added(f, st);
    if (e != SG_OK)
      return e;
  }
  return SG_OK;
}

static sg_err pq_cells(sg_format *f, const sg_cells *lines, size_t n)
{
  pq_state *st = f->state;
  for (size_t r = 0; r < n; r++) {
    const sg_cells *l = &lines[r];
    if (st->rows == 0)
      st->group_start = st->offset;
    for (int i = 0; i < st->ncols; i++) {
      sg_err e = add_value(f, st, &st->col[i], l->row, l->text[i], (int)(l->null >> i & 1));
      if (e != SG_OK)
        return e;
    }
    sg_err e = row_added(f, st);
    if (e != SG_OK)
      return e;
  }
  return SG_OK;
}

static sg_err pq_end(sg_format *f)
{
  pq_state *st = f->state;
  sg_err e = flush_group(f, st);
  return e == SG_OK ? write_footer(f, st, &f->opt) : e;
}

const sg_format_ops sg_format_parquet = {
  .name = "parquet", .extension = ".parquet", .base = "parquet", .codec = SG_CODEC_NONE,
  .pages = 1, .reader = &sg_parquet_reader_ops,
  .typed = 1, .begin = pq_begin, .rows = pq_rows, .cells = pq_cells, .end = pq_end,
};
