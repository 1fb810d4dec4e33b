/* format_parquet.c - Apache Parquet, written by spotgen itself (no Arrow).
 *
 * One file per part: "PAR1", row groups, the page index (every chunk's
 * ColumnIndex, then every OffsetIndex), the footer (FileMetaData in the
 * Thrift compact protocol), its length, "PAR1". A row group is gathered
 * column by column until its values, PLAIN-encoded, reach the row-group
 * size (or the part ends), then written: per column an optional dictionary
 * page and the data pages, each compressed on its own (ZSTD, SNAPPY or
 * none) as soon as it is full, and the chunk's statistics kept for the
 * footer and its pages' bounds for the page index. Memory holds a row group
 * compressed, the pages being filled and the dictionaries.
 *
 * Every column chunk starts dictionary-encoded, whatever its type: a data
 * page holds the RLE / bit-packed indices (RLE_DICTIONARY) of up to 64 Ki
 * values or 1 MiB of their PLAIN size, and the dictionary page (PLAIN)
 * comes first in the chunk. The chunk's first page decides: when its
 * dictionary entries and indices take as much as its values PLAIN (ids seen
 * once), the chunk is PLAIN instead. When the dictionary passes 8 MiB, the
 * rest of the chunk is PLAIN (its dictionary-encoded pages stay: a chunk may
 * hold both, as parquet-mr writes). A data page of PLAIN values ends at the
 * same bounds.
 *
 * Columns are REQUIRED (never null), so pages carry no levels, except in a
 * nullable table (generate --dirty's): its columns are OPTIONAL, each page
 * starts with its definition levels (RLE, one bit a value), a DOUBLE is
 * kept as itself (a dirty value need not have its column's decimals), and
 * the values come as cells (format.h): from the row, from text parsed to
 * the column's type, or null. Strings are BYTE_ARRAY with the STRING
 * logical type; release_date INT32 DATE; ints INT32, num_followers INT64;
 * the fixed-point features DOUBLE (the value a CSV reader parses,
 * v / 10^decimals, correctly rounded). Every schema element carries its
 * column's field id (sg_schema_field_id). A chunk --parquet-bloom asks for
 * (every chunk of a column it names; by default the id columns'
 * dictionary-encoded ones) gets a split-block bloom filter (bloom.h), sized
 * for its distinct values: made from its dictionary at its end, or, for a
 * chunk that left its dictionary, filled as values come and folded down;
 * written after the row group's chunks. Everything is deterministic: the
 * bytes depend on the rows and the options. */
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <snappy-c.h>
#include <zstd.h>

#include "spotgen/base/buf.h"
#include "spotgen/format/bloom.h"
#include "spotgen/format/format.h"
#include "spotgen/format/reader.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/format/thrift.h"

#define PAGE_BYTES (1u << 20)     /* a data page ends at this much PLAIN-equivalent data */
#define PAGE_VALUES (1u << 16)    /* or at this many values */
#define DICT_MAX_BYTES (8u << 20) /* a bigger dictionary: the rest of the chunk PLAIN */
#define BOUND_MAX SG_METRIC_BOUND  /* bytes of a string's min or max kept */

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

static void put_le32(unsigned char *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

/* The smallest and largest value of a page or a chunk, of its column's type. */
typedef struct bounds {
  int have;                   /* a value (not every one null) */
  int64_t imin, imax;
  double dmin, dmax;
  unsigned char smin[BOUND_MAX], smax[BOUND_MAX];
  size_t smin_len, smax_len;
} bounds;

/* Bounds PLAIN-encoded, as the footer's statistics and the column index
 * hold them. */
typedef struct encoded {
  int have;
  unsigned char min[BOUND_MAX], max[BOUND_MAX];
  size_t min_len, max_len;
} encoded;

/* A data page of the chunk being filled, for the page index. */
typedef struct page_info {
  int64_t offset;             /* in the chunk's data pages */
  int32_t size;               /* header and body, as stored */
  int64_t first_row, nulls;
  encoded b;
} page_info;

/* A column chunk's description, kept from its row group to the footer. */
typedef struct chunk_meta {
  int64_t num_values, uncompressed, compressed, data_offset, dict_offset, start;
  int dict;                   /* has a dictionary page */
  int dict_pages, plain_pages; /* data pages of each encoding */
  int64_t nulls;
  encoded b;
  int64_t column_index, offset_index; /* in pq_state's colidx and offidx */
  int32_t column_index_len, offset_index_len;
  int64_t bloom_offset;       /* its bloom filter, after the row group's chunks */
  int32_t bloom_len;          /* 0: none */
} chunk_meta;

typedef struct column {
  const sg_column *c;
  int ptype;                  /* SG_PQ_INT32, ... */
  int optional;               /* of a nullable table: pages carry definition levels */
  int wide;                   /* a DOUBLE kept as itself, not as its fixed-point int32 */
  int bloom;                  /* --parquet-bloom: 0, SG_PQ_BLOOM_DICT or SG_PQ_BLOOM_ALL */
  sg_bloom filter;            /* the chunk's: filled at its largest as values come
                                 once its dictionary is left (filling), or made
                                 from the dictionary at its end; written after
                                 the row group (has_filter) */
  int filling, has_filter;
  int dict;                   /* values go to the dictionary (else PLAIN) */
  /* the page being filled */
  sg_buf plain;               /* its PLAIN values (a DOUBLE column's as their
                                 int32 fixed-point, unless wide) */
  u32s idx;                   /* or its dictionary indices */
  sg_buf levels;              /* OPTIONAL: 1 (a value) or 0 (null) of each of its values */
  uint32_t page_values;       /* nulls included */
  size_t page_plain;          /* their size PLAIN-encoded */
  int64_t page_nulls;
  bounds page;
  /* the chunk */
  sg_buf pages;               /* its data pages so far: headers and bodies, as stored */
  int64_t pages_raw, pages_packed;
  page_info *info;
  size_t ninfo, cap_info;
  int dict_pages, plain_pages;
  int64_t values, nulls;      /* so far, nulls included in values */
  size_t plain_total;         /* PLAIN size of the row group's values */
  bounds chunk;
  /* the dictionary: entries PLAIN-encoded back to back (a fixed-point
   * DOUBLE's as its int32), their offsets, a hash */
  sg_buf entries;
  u32s offset;
  uint64_t *slot;             /* entry + 1 (0: empty) in the low half, the
                                 value's key (its hash; a 4-byte value
                                 itself) in the high half */
  uint32_t nslots;
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
  sg_buf page, packed, dict, trial;
  sg_buf colidx, offidx;      /* every chunk's ColumnIndex and OffsetIndex, for the end */
  ZSTD_CCtx *zc;
  group_meta *groups;         /* written so far */
  size_t ngroups, cap_groups;
} pq_state;

static int physical(const sg_column *c)
{
  switch (c->kind) {
  case SG_KIND_STR:
  case SG_KIND_ID:
  case SG_KIND_TEXT_REF: return SG_PQ_BYTE_ARRAY;
  case SG_KIND_DATE:
  case SG_KIND_I32: return SG_PQ_INT32;
  case SG_KIND_I64:
  case SG_KIND_TIMESTAMP: return SG_PQ_INT64;
  case SG_KIND_FIXED: return SG_PQ_DOUBLE;
  }
  return SG_PQ_BYTE_ARRAY;
}

int sg_parquet_physical_type(const sg_column *c) { return physical(c); }

int sg_parquet_bloom_on(const char *spec, const sg_column *c)
{
  if (!spec)
    spec = "ids";
  size_t name = strlen(c->name);
  int on = 0;
  for (const char *p = spec; *p;) {
    size_t n = strcspn(p, ",");
    if (n == name && memcmp(p, c->name, n) == 0)
      return SG_PQ_BLOOM_ALL;
    if (n == 3 && memcmp(p, "ids", 3) == 0 && c->kind == SG_KIND_ID)
      on = SG_PQ_BLOOM_DICT;
    p += n + (p[n] == ',');
  }
  return on;
}

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

static void bound_string(bounds *b, const unsigned char *s, size_t n)
{
  if (n > BOUND_MAX)
    n = BOUND_MAX; /* names are under 64 bytes; a cut bound is still a lower bound */
  if (!b->have || bytes_less(s, n, b->smin, b->smin_len)) {
    memcpy(b->smin, s, n);
    b->smin_len = n;
  }
  if (!b->have || bytes_less(b->smax, b->smax_len, s, n)) {
    memcpy(b->smax, s, n);
    b->smax_len = n;
  }
  b->have = 1;
}

static void bound_int(bounds *b, int64_t v)
{
  b->imin = !b->have || v < b->imin ? v : b->imin;
  b->imax = !b->have || v > b->imax ? v : b->imax;
  b->have = 1;
}

static void bound_double(bounds *b, double v)
{
  b->dmin = !b->have || v < b->dmin ? v : b->dmin;
  b->dmax = !b->have || v > b->dmax ? v : b->dmax;
  b->have = 1;
}

/* Bounds `b` of column k PLAIN-encoded. */
static void encode_bounds(const column *k, const bounds *b, encoded *e)
{
  e->have = b->have;
  e->min_len = e->max_len = 0;
  if (!b->have)
    return;
  if (k->ptype == SG_PQ_BYTE_ARRAY) {
    memcpy(e->min, b->smin, b->smin_len);
    memcpy(e->max, b->smax, b->smax_len);
    e->min_len = b->smin_len;
    e->max_len = b->smax_len;
  } else if (k->ptype == SG_PQ_DOUBLE) {
    double lo = b->dmin, hi = b->dmax;
    if (!k->wide) { /* bounded by the fixed-point int (add_to) */
      lo = sg_schema_fixed(k->c, (int32_t)b->imin);
      hi = sg_schema_fixed(k->c, (int32_t)b->imax);
    }
    lo = lo == 0 ? -0.0 : lo; /* the spec's rule for zeros: min -0.0, max +0.0 */
    hi = hi == 0 ? 0.0 : hi;
    memcpy(e->min, &lo, 8);
    memcpy(e->max, &hi, 8);
    e->min_len = e->max_len = 8;
  } else {
    size_t n = k->ptype == SG_PQ_INT64 ? 8 : 4;
    for (size_t i = 0; i < n; i++) {
      e->min[i] = (unsigned char)((uint64_t)b->imin >> (8 * i));
      e->max[i] = (unsigned char)((uint64_t)b->imax >> (8 * i));
    }
    e->min_len = e->max_len = n;
  }
}

/* A hash of n bytes, 8 at a time, mixed to its last bit (the table's slot
 * is its low bits). */
static uint32_t hash_bytes(const unsigned char *s, size_t n)
{
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n, w;
  for (; n >= 8; s += 8, n -= 8) {
    memcpy(&w, s, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  if (n >= 4) { /* the last 1 .. 7 bytes by two loads, which may overlap */
    uint32_t lo, hi;
    memcpy(&lo, s, 4);
    memcpy(&hi, s + n - 4, 4);
    w = (uint64_t)hi << 32 | lo;
  } else {
    w = 0;
    for (size_t i = 0; i < n; i++)
      w |= (uint64_t)s[i] << (8 * i);
  }
  h = (h ^ w) * 0x94D049BB133111EBull; /* splitmix64's finish */
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  return (uint32_t)(h ^ h >> 32);
}

/* Bytes a value of column k takes as kept: a string's are its own (its
 * entry adds their length before them), the rest fixed. */
static size_t fixed_size(const column *k)
{
  return k->ptype == SG_PQ_INT64 || k->wide ? 8 : 4;
}

/* The value of dictionary entry e: its bytes and their count. */
static const unsigned char *entry(const column *k, uint32_t e, size_t *n)
{
  const unsigned char *p = k->entries.p + k->offset.p[e];
  if (k->ptype != SG_PQ_BYTE_ARRAY) {
    *n = fixed_size(k);
    return p;
  }
  *n = sg_le32(p);
  return p + 4;
}

/* The key of a value in the dictionary's table: a 4-byte value itself
 * (equal keys, equal values), else its hash (`known` when not NULL: its
 * hash_bytes, already made). Its slot: the hash's low bits. */
static uint32_t value_key(const column *k, const unsigned char *v, size_t n, const uint32_t *known, uint32_t *hash)
{
  *hash = known ? *known : hash_bytes(v, n);
  if (k->ptype != SG_PQ_BYTE_ARRAY && n == 4) {
    uint32_t x;
    memcpy(&x, v, 4);
    return x;
  }
  return *hash;
}

static int dict_rehash(column *k, uint32_t nslots)
{
  uint64_t *slot = calloc(nslots, sizeof *slot);
  if (!slot)
    return -1;
  for (uint32_t e = 0; e < (uint32_t)k->offset.n; e++) {
    size_t n;
    uint32_t h;
    const unsigned char *v = entry(k, e, &n);
    uint64_t key = value_key(k, v, n, NULL, &h);
    uint32_t i = h & (nslots - 1);
    while (slot[i])
      i = (i + 1) & (nslots - 1);
    slot[i] = key << 32 | (e + 1);
  }
  free(k->slot);
  k->slot = slot;
  k->nslots = nslots;
  return 0;
}

/* Appends a value as kept to `b`: a string after its length. */
static int keep(const column *k, sg_buf *b, const unsigned char *v, size_t n)
{
  if (k->ptype == SG_PQ_BYTE_ARRAY) {
    unsigned char len[4];
    put_le32(len, (uint32_t)n);
    if (append(b, len, 4))
      return -1;
  }
  return append(b, v, n);
}

/* The dictionary entry of value v, added when new. @return : 0, -1 when out
 * of memory, 1 when it is new and the dictionary is full. */
static int dict_index(column *k, const unsigned char *v, size_t n, const uint32_t *known, uint32_t *index)
{
  if (k->nslots == 0 && dict_rehash(k, 1024))
    return -1;
  uint32_t h, key = value_key(k, v, n, known, &h), i = h & (k->nslots - 1), e;
  const int exact = k->ptype != SG_PQ_BYTE_ARRAY && n == 4; /* the key is the value */
  uint64_t sl;
  while ((sl = k->slot[i]) != 0) {
    if ((uint32_t)(sl >> 32) == key) {
      e = (uint32_t)sl;
      size_t en;
      const unsigned char *ev;
      if (exact || ((ev = entry(k, e - 1, &en)) && en == n && memcmp(ev, v, n) == 0)) {
        *index = e - 1;
        return 0;
      }
    }
    i = (i + 1) & (k->nslots - 1);
  }
  if (k->entries.len + 4 + n > DICT_MAX_BYTES)
    return 1;
  if (push_u32(&k->offset, (uint32_t)k->entries.len) || keep(k, &k->entries, v, n))
    return -1;
  e = (uint32_t)k->offset.n;
  k->slot[i] = (uint64_t)key << 32 | e;
  if (2 * k->offset.n > k->nslots && dict_rehash(k, 2 * k->nslots))
    return -1;
  *index = e - 1;
  return 0;
}

/* Leaves the dictionary: the page's values so far are written PLAIN. */
static int dict_to_plain(column *k)
{
  for (size_t i = 0; i < k->idx.n; i++) {
    size_t n;
    const unsigned char *v = entry(k, k->idx.p[i], &n);
    if (keep(k, &k->plain, v, n))
      return -1;
  }
  k->idx.n = 0;
  k->dict = 0;
  return 0;
}

/* The dictionary emptied, its table kept for the next chunk. */
static void dict_clear(column *k)
{
  k->entries.len = 0;
  k->offset.n = 0;
  if (k->slot)
    memset(k->slot, 0, k->nslots * sizeof *k->slot);
}

/* The page being filled emptied: its values, indices, levels, counts, bounds. */
static void page_reset(column *k)
{
  k->plain.len = 0;
  k->idx.n = 0;
  k->levels.len = 0;
  k->page_values = 0;
  k->page_plain = 0;
  k->page_nulls = 0;
  k->page.have = 0;
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
    if (err || sg_buf_reserve(out, groups * (size_t)width + 8))
      return -1;
    unsigned char *p = out->p + out->len;
    uint64_t acc = 0; /* bits not yet stored, the first at bit 0 */
    int have = 0;
    for (size_t k = i; k < i + groups * 8; k++) {
      acc |= (uint64_t)(k < n ? v(k) : 0) << have;
      have += width;
      while (have >= 8) {
        *p++ = (unsigned char)acc;
        acc >>= 8;
        have -= 8;
      }
    }
    out->len += groups * (size_t)width;
    i = j < n ? j : n;
  }
  return err ? -1 : 0;
#undef v
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

/* Appends one page of the n bytes at src to `out`: its header (with the
 * CRC-32 of its bytes as stored, which readers may check), then its bytes
 * compressed; adds its sizes, uncompressed and as stored, to *raw and
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
  sg_thrift_i32(&w, 4, (int32_t)libdeflate_crc32(0, st->packed.p, st->packed.len)); /* of the bytes as stored */
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

/* Appends the n values kept at p (PLAIN, a fixed-point DOUBLE as its
 * int32) to `out` PLAIN-encoded. */
static int plain_values(const column *k, sg_buf *out, const unsigned char *p, size_t len, size_t n)
{
  if (k->ptype != SG_PQ_DOUBLE || k->wide)
    return append(out, p, len);
  if (sg_buf_reserve(out, n * 8))
    return -1;
  for (size_t i = 0; i < n; i++) { /* the doubles readers see, little-endian (x86-64, arm64) */
    int32_t raw;
    memcpy(&raw, p + 4 * i, 4);
    double d = sg_schema_fixed(k->c, raw);
    memcpy(out->p + out->len, &d, 8);
    out->len += 8;
  }
  return 0;
}

/* Whether the dictionary pays for the chunk's first page: its entries and
 * the page's indices take less than the page's values PLAIN. */
static int dict_pays(const column *k)
{
  size_t entries = k->ptype == SG_PQ_DOUBLE && !k->wide ? 8 * k->offset.n : k->entries.len;
  size_t indices = (k->idx.n * (size_t)bit_width(k->offset.n ? (uint32_t)k->offset.n - 1 : 0) + 7) / 8;
  return entries + indices < k->page_plain;
}

static int compress_page(pq_state *st, const unsigned char *src, size_t n);

/* Whether the dictionary still pays for a chunk of one page once
 * compressed: its dictionary page and its indices' page, compressed, take
 * less than its values PLAIN, compressed (a column of runs, such as the
 * artist ids of albums sorted by artist, compresses better PLAIN). Only
 * for a chunk of one page: over more, the dictionary serves every page and
 * the first alone would misjudge it. @return : 1 or 0, -1 when out of
 * memory. */
static int dict_pays_packed(pq_state *st, column *k)
{
  size_t n = k->idx.n, packed;
  sg_buf *b = &st->trial, *out = &st->page; /* the page is made after */
  b->len = out->len = 0;
  for (size_t i = 0; i < n; i++) { /* the page's values as kept, then PLAIN */
    size_t len;
    const unsigned char *v = entry(k, k->idx.p[i], &len);
    if (keep(k, b, v, len))
      return -1;
  }
  if (plain_values(k, out, b->p, b->len, n) || compress_page(st, out->p, out->len))
    return -1;
  packed = st->packed.len;
  out->len = 0;
  if (plain_values(k, out, k->entries.p, k->entries.len, k->offset.n) || compress_page(st, out->p, out->len))
    return -1;
  size_t dict = st->packed.len;
  out->len = 0;
  unsigned char w = (unsigned char)bit_width(k->offset.n ? (uint32_t)k->offset.n - 1 : 0);
  if (append(out, &w, 1) || rle_hybrid(out, k->idx.p, 4, n, w) || compress_page(st, out->p, out->len))
    return -1;
  return dict + st->packed.len < packed;
}

/* The bloom filter's hash of value v (n bytes as kept): XXH64 of its PLAIN
 * bytes, a fixed-point DOUBLE's those of its double. */
static uint64_t plain_hash(const column *k, const unsigned char *v, size_t n)
{
  if (k->ptype != SG_PQ_DOUBLE || k->wide)
    return sg_xxh64(v, n, 0);
  int32_t raw;
  memcpy(&raw, v, 4);
  double d = sg_schema_fixed(k->c, raw);
  return sg_xxh64(&d, 8, 0);
}

/* Inserts every entry of k's dictionary into its filter. */
static void bloom_entries(column *k)
{
  for (size_t e = 0; e < k->offset.n; e++) {
    size_t n;
    const unsigned char *v = entry(k, (uint32_t)e, &n);
    sg_bloom_insert(&k->filter, plain_hash(k, v, n));
  }
}

/* k's filter made anew: empty, of `bytes`. */
static int bloom_fresh(column *k, size_t bytes)
{
  sg_bloom_free(&k->filter);
  return sg_bloom_init(&k->filter, bytes);
}

/* The chunk leaves its dictionary for PLAIN. A column --parquet-bloom names
 * fills a filter at its largest from here on, its dictionary's entries
 * first (every value so far); an id column of the default ("ids") has none
 * for this chunk. */
static int bloom_leave_dict(column *k)
{
  if (k->bloom != SG_PQ_BLOOM_ALL || k->filling)
    return 0;
  if (bloom_fresh(k, SG_BLOOM_MAX_BYTES))
    return -1;
  bloom_entries(k);
  k->filling = 1;
  return 0;
}

/* At the end of k's chunk, before its dictionary is emptied: its filter,
 * sized for its distinct values at SG_BLOOM_FPP. A chunk wholly
 * dictionary-encoded has them in its dictionary: the filter is made from
 * its entries; one that was filling is folded to the size its estimate
 * needs. */
static int bloom_end_chunk(column *k)
{
  k->has_filter = 0;
  if (k->filling)
    sg_bloom_fold(&k->filter, sg_bloom_bytes_for(sg_bloom_distinct(&k->filter), SG_BLOOM_FPP));
  else if (k->bloom && k->plain_pages == 0) {
    if (bloom_fresh(k, sg_bloom_bytes_for((double)k->offset.n, SG_BLOOM_FPP)))
      return -1;
    bloom_entries(k);
  } else {
    return 0;
  }
  k->has_filter = 1;
  return 0;
}

/* Makes the page being filled (`last`: the chunk's last): its levels, then
 * its values PLAIN or its indices; compressed, to the chunk's pages, and
 * described for the page index. The chunk's first page decides whether its
 * dictionary pays, as values (dict_pays), and compressed too when it is the
 * chunk's only page (dict_pays_packed). */
static int end_page(pq_state *st, column *k, int last)
{
  int pays = 1;
  if (k->dict && k->dict_pages == 0 && k->plain_pages == 0)
    pays = !dict_pays(k) ? 0 : last && !st->opt->quick ? dict_pays_packed(st, k) : 1;
  if (pays < 0)
    return -1;
  if (!pays) {
    if (dict_to_plain(k) || bloom_leave_dict(k))
      return -1;
    dict_clear(k);
  }
  int err = 0;
  st->page.len = 0;
  if (k->optional) {
    size_t at = st->page.len;
    unsigned char len[4] = {0};
    err = append(&st->page, len, 4) || rle_hybrid(&st->page, k->levels.p, 1, k->levels.len, 1);
    if (!err)
      put_le32(st->page.p + at, (uint32_t)(st->page.len - at - 4));
  }
  int encoding = SG_PQ_PLAIN;
  if (k->dict) {
    unsigned char w = (unsigned char)bit_width(k->offset.n ? (uint32_t)k->offset.n - 1 : 0);
    err = err || append(&st->page, &w, 1) || rle_hybrid(&st->page, k->idx.p, 4, k->idx.n, w);
    encoding = SG_PQ_RLE_DICTIONARY;
  } else {
    size_t n = (size_t)(k->page_values - (uint32_t)k->page_nulls);
    err = err || plain_values(k, &st->page, k->plain.p, k->plain.len, n);
  }
  page_info *pi = NULL;
  if (!err && k->ninfo == k->cap_info) {
    size_t cap = k->cap_info ? 2 * k->cap_info : 16;
    page_info *p = realloc(k->info, cap * sizeof *p);
    err = !p;
    if (p) {
      k->info = p;
      k->cap_info = cap;
    }
  }
  if (!err) {
    pi = &k->info[k->ninfo++];
    pi->offset = (int64_t)k->pages.len;
    pi->first_row = k->values;
    pi->nulls = k->page_nulls;
    encode_bounds(k, &k->page, &pi->b);
    err = make_page(st, SG_PQ_DATA_PAGE, k->page_values, encoding, st->page.p, st->page.len, &k->pages,
                    &k->pages_raw, &k->pages_packed);
    pi->size = (int32_t)((int64_t)k->pages.len - pi->offset);
  }
  *(k->dict ? &k->dict_pages : &k->plain_pages) += 1;
  k->values += k->page_values;
  page_reset(k);
  return err ? -1 : 0;
}

/* Adds value v (n bytes as kept) of column k to its page: to the
 * dictionary, or PLAIN once the dictionary is full (the page so far is
 * then made first) or does not pay. */
static int add_kept(pq_state *st, column *k, const unsigned char *v, size_t n, const uint32_t *known)
{
  if (k->dict) {
    uint32_t index;
    int rc = dict_index(k, v, n, known, &index);
    if (rc < 0)
      return -1;
    if (rc == 0)
      return push_u32(&k->idx, index);
    if ((k->page_values && end_page(st, k, 0)) || bloom_leave_dict(k))
      return -1;
    k->dict = 0; /* full: the chunk goes on PLAIN, its dictionary pages stay */
  }
  if (k->filling)
    sg_bloom_insert(&k->filter, plain_hash(k, v, n));
  return keep(k, &k->plain, v, n);
}

/* A value (or a null) added to the page being filled: counted, and the
 * page made when full. */
static int value_added(pq_state *st, column *k, size_t plain, int null)
{
  k->page_values++;
  k->page_plain += plain;
  k->plain_total += plain;
  if (k->optional) {
    unsigned char level = !null;
    k->page_nulls += null;
    k->nulls += null;
    if (append(&k->levels, &level, 1))
      return -1;
  }
  return k->page_plain >= PAGE_BYTES || k->page_values >= PAGE_VALUES ? end_page(st, k, 0) : 0;
}

/* Row's value of column k as kept (format: a string's bytes, a number's
 * little-endian, a fixed-point DOUBLE's int32 unless wide): a pointer to
 * them (into `b` for numbers) and their count. */
static const unsigned char *kept_value(const column *k, const sg_row *row, unsigned char b[8], size_t *n)
{
  const char *p = (const char *)row + k->c->offset;
  switch (k->ptype) {
  case SG_PQ_BYTE_ARRAY: {
    const char *s;
    string_of(k->c, row, &s, n);
    return (const unsigned char *)s;
  }
  case SG_PQ_INT32:
  case SG_PQ_INT64: {
    int64_t v = k->ptype == SG_PQ_INT64 ? *(const int64_t *)p : *(const int32_t *)p;
    *n = k->ptype == SG_PQ_INT64 ? 8 : 4;
    for (size_t i = 0; i < *n; i++)
      b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    return b;
  }
  default: {
    int32_t raw = *(const int32_t *)p;
    if (k->wide) {
      double v = sg_schema_fixed(k->c, raw);
      memcpy(b, &v, 8);
    } else {
      memcpy(b, &raw, 4);
    }
    *n = fixed_size(k);
    return b;
  }
  }
}

/* Adds row's value of column k. */
static int add_to(pq_state *st, column *k, const sg_row *row, const uint32_t *known)
{
  const char *p = (const char *)row + k->c->offset;
  unsigned char b[8];
  size_t n, plain;
  const unsigned char *v = kept_value(k, row, b, &n);
  switch (k->ptype) {
  case SG_PQ_BYTE_ARRAY:
    bound_string(&k->page, v, n);
    bound_string(&k->chunk, v, n);
    plain = 4 + n;
    break;
  case SG_PQ_INT32:
  case SG_PQ_INT64: {
    int64_t x = k->ptype == SG_PQ_INT64 ? *(const int64_t *)p : *(const int32_t *)p;
    bound_int(&k->page, x);
    bound_int(&k->chunk, x);
    plain = n;
    break;
  }
  default:
    if (k->wide) {
      double x;
      memcpy(&x, v, 8);
      bound_double(&k->page, x);
      bound_double(&k->chunk, x);
    } else { /* bound by the fixed-point int: the double it gives is monotone in it */
      bound_int(&k->page, *(const int32_t *)p);
      bound_int(&k->chunk, *(const int32_t *)p);
    }
    plain = 8;
  }
  return add_kept(st, k, v, n, known) || value_added(st, k, plain, 0);
}

/* Adds a value of column k spelt `s` (a cell's text, format.h): parsed to
 * the column's type. -1 when out of memory, 1 when the type cannot hold
 * the text (the caller made a value that is not one). */
static int add_text(pq_state *st, column *k, const char *s)
{
  size_t n = strlen(s);
  int64_t i;
  double d;
  unsigned char b[8];
  if (!sg_schema_parse(k->c, s, n, &i, &d))
    return 1;
  switch (k->ptype) {
  case SG_PQ_BYTE_ARRAY:
    bound_string(&k->page, (const unsigned char *)s, n);
    bound_string(&k->chunk, (const unsigned char *)s, n);
    return add_kept(st, k, (const unsigned char *)s, n, NULL) || value_added(st, k, 4 + n, 0) ? -1 : 0;
  case SG_PQ_INT32:
  case SG_PQ_INT64: {
    size_t w = k->ptype == SG_PQ_INT64 ? 8 : 4;
    bound_int(&k->page, i);
    bound_int(&k->chunk, i);
    for (size_t j = 0; j < w; j++)
      b[j] = (unsigned char)((uint64_t)i >> (8 * j));
    return add_kept(st, k, b, w, NULL) || value_added(st, k, w, 0) ? -1 : 0;
  }
  default: /* k->wide: only nullable tables have text */
    bound_double(&k->page, d);
    bound_double(&k->chunk, d);
    memcpy(b, &d, 8);
    return add_kept(st, k, b, 8, NULL) || value_added(st, k, 8, 0) ? -1 : 0;
  }
}

/* PLAIN-equivalent bytes of the row group so far. */
static size_t buffered(const pq_state *st)
{
  size_t n = 0;
  for (int i = 0; i < st->ncols; i++)
    n += st->col[i].plain_total;
  return n;
}

/* Adds column k's value: `text` (parsed to the column's type) when not
 * NULL, else its value in `row`; or, `null`, a null. A full page is
 * compressed at once. */
static sg_err add_value(pq_state *st, column *k, const sg_row *row, const char *text, int null, const uint32_t *known)
{
  int rc = null ? value_added(st, k, 0, 1) : text ? add_text(st, k, text) : add_to(st, k, row, known);
  if (rc == 1)
    return sg_seterr(SG_EDATA, "parquet column %s cannot hold '%s'", k->c->name, text ? text : "");
  if (rc)
    return sg_seterr(SG_ENOMEM, "out of memory buffering a parquet row group");
  return SG_OK;
}

/* ---- the page index ------------------------------------------------------------ */

/* -1, 0 or 1 as a < b, a == b, a > b: encoded bounds of column k's type. */
static int bound_cmp(const column *k, const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
  if (k->ptype == SG_PQ_BYTE_ARRAY)
    return bytes_less(a, na, b, nb) ? -1 : bytes_less(b, nb, a, na) ? 1 : 0;
  if (k->ptype == SG_PQ_DOUBLE) {
    double x, y;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  int64_t x = 0, y = 0;
  for (size_t i = na; i-- > 0;)
    x = x << 8 | a[i];
  for (size_t i = nb; i-- > 0;)
    y = y << 8 | b[i];
  if (na == 4) { /* sign of an INT32 */
    x = (int32_t)(uint32_t)x;
    y = (int32_t)(uint32_t)y;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

/* BoundaryOrder of the chunk's pages: ASCENDING (1) when both their
 * minima and maxima never go down, DESCENDING (2) when never up, else
 * UNORDERED (0). Pages of nulls only are skipped. */
static int boundary_order(const column *k)
{
  int up = 1, down = 1;
  const page_info *last = NULL;
  for (size_t i = 0; i < k->ninfo; i++) {
    const page_info *p = &k->info[i];
    if (!p->b.have)
      continue;
    if (last) {
      int lo = bound_cmp(k, last->b.min, last->b.min_len, p->b.min, p->b.min_len);
      int hi = bound_cmp(k, last->b.max, last->b.max_len, p->b.max, p->b.max_len);
      up &= lo <= 0 && hi <= 0;
      down &= lo >= 0 && hi >= 0;
    }
    last = p;
  }
  return up ? 1 : down ? 2 : 0;
}

/* Column k's ColumnIndex and OffsetIndex for its chunk, whose data pages
 * start at `data`, appended to st->colidx and st->offidx. */
static int page_index(pq_state *st, const column *k, int64_t data, chunk_meta *m)
{
  sg_thrift_out w;
  sg_thrift_out_init(&w);
  uint32_t n = (uint32_t)k->ninfo;
  sg_thrift_list(&w, 1, SG_TT_TRUE, n); /* null_pages */
  for (size_t i = 0; i < n; i++)
    sg_thrift_elem_bool(&w, !k->info[i].b.have);
  sg_thrift_list(&w, 2, SG_TT_BINARY, n);
  for (size_t i = 0; i < n; i++)
    sg_thrift_elem_binary(&w, k->info[i].b.min, k->info[i].b.min_len);
  sg_thrift_list(&w, 3, SG_TT_BINARY, n);
  for (size_t i = 0; i < n; i++)
    sg_thrift_elem_binary(&w, k->info[i].b.max, k->info[i].b.max_len);
  sg_thrift_i32(&w, 4, boundary_order(k));
  sg_thrift_list(&w, 5, SG_TT_I64, n); /* null_counts */
  for (size_t i = 0; i < n; i++)
    sg_thrift_elem_i64(&w, k->info[i].nulls);
  if (k->ptype == SG_PQ_DOUBLE) {
    sg_thrift_list(&w, 8, SG_TT_I64, n); /* nan_counts: spotgen makes no NaN */
    for (size_t i = 0; i < n; i++)
      sg_thrift_elem_i64(&w, 0);
  }
  sg_thrift_end(&w);
  m->column_index = (int64_t)st->colidx.len;
  m->column_index_len = (int32_t)w.out.len;
  int err = w.out.failed || append(&st->colidx, w.out.p, w.out.len);
  sg_thrift_out_free(&w);

  sg_thrift_out_init(&w);
  sg_thrift_list(&w, 1, SG_TT_STRUCT, n);
  for (size_t i = 0; i < n; i++) {
    sg_thrift_elem_begin(&w);
    sg_thrift_i64(&w, 1, data + k->info[i].offset);
    sg_thrift_i32(&w, 2, k->info[i].size);
    sg_thrift_i64(&w, 3, k->info[i].first_row);
    sg_thrift_struct_end(&w);
  }
  sg_thrift_end(&w);
  m->offset_index = (int64_t)st->offidx.len;
  m->offset_index_len = (int32_t)w.out.len;
  err = err || w.out.failed || append(&st->offidx, w.out.p, w.out.len);
  sg_thrift_out_free(&w);
  return err ? -1 : 0;
}

/* ---- chunks and row groups -------------------------------------------------- */

static sg_err write_bytes(sg_format *f, pq_state *st, const sg_buf *b)
{
  st->offset += (int64_t)b->len;
  return sg_sink_write(f->sink, b->p, b->len);
}

/* The dictionary page of column k into st->dict. */
static int dict_page(pq_state *st, column *k, chunk_meta *m)
{
  const sg_buf *src = &k->entries;
  if (k->ptype == SG_PQ_DOUBLE && !k->wide) {
    st->page.len = 0;
    if (plain_values(k, &st->page, k->entries.p, k->entries.len, k->offset.n))
      return -1;
    src = &st->page;
  }
  return make_page(st, SG_PQ_DICTIONARY_PAGE, (uint32_t)k->offset.n, SG_PQ_PLAIN, src->p, src->len, &st->dict,
                   &m->uncompressed, &m->compressed);
}

/* Writes column k's chunk of the row group: its dictionary page when it
 * has dictionary-encoded pages, then its data pages; describes it in m
 * and its pages in the page index. */
static sg_err write_chunk(sg_format *f, pq_state *st, column *k, chunk_meta *m)
{
  memset(m, 0, sizeof *m);
  int err = (k->page_values || k->ninfo == 0) && end_page(st, k, 1); /* a page at least */
  m->start = st->offset;
  m->dict_offset = -1;
  m->num_values = k->values;
  m->nulls = k->nulls;
  m->dict = k->dict_pages > 0;
  m->dict_pages = k->dict_pages;
  m->plain_pages = k->plain_pages;
  encode_bounds(k, &k->chunk, &m->b);
  st->dict.len = 0;
  if (!err && m->dict) {
    m->dict_offset = st->offset;
    err = dict_page(st, k, m);
  }
  m->data_offset = st->offset + (int64_t)st->dict.len;
  m->uncompressed += k->pages_raw;
  m->compressed += k->pages_packed;
  err = err || page_index(st, k, m->data_offset, m);
  if (err)
    return sg_seterr(SG_ENOMEM, "out of memory writing parquet");
  sg_err e = write_bytes(f, st, &st->dict);
  return e == SG_OK ? write_bytes(f, st, &k->pages) : e;
}

/* Every column starts its chunk with a dictionary (it falls back to PLAIN
 * when it does not pay or grows too big). */
static void column_reset(column *k)
{
  page_reset(k);
  k->pages.len = 0;
  k->pages_raw = k->pages_packed = 0;
  k->ninfo = 0;
  k->dict_pages = k->plain_pages = 0;
  k->values = k->nulls = 0;
  k->plain_total = 0;
  k->chunk.have = 0;
  dict_clear(k);
  k->dict = 1;
  k->filling = 0;
}

/* Column k's bloom filter of the row group, after its chunks: its
 * BloomFilterHeader, then its blocks. */
static sg_err write_bloom(sg_format *f, pq_state *st, column *k, chunk_meta *m)
{
  const sg_bloom *b = &k->filter;
  size_t bytes = sg_bloom_bytes(b);
  sg_thrift_out w;
  sg_thrift_out_init(&w);
  sg_thrift_i32(&w, 1, (int32_t)bytes);
  for (int16_t field = 2; field <= 4; field++) { /* BLOCK, XXHASH, UNCOMPRESSED: each a union's first member */
    sg_thrift_struct_begin(&w, field);
    sg_thrift_struct_begin(&w, 1);
    sg_thrift_struct_end(&w);
    sg_thrift_struct_end(&w);
  }
  sg_thrift_end(&w);
  st->page.len = 0;
  int err = w.out.failed || append(&st->page, w.out.p, w.out.len) || sg_buf_reserve(&st->page, bytes);
  sg_thrift_out_free(&w);
  if (err)
    return sg_seterr(SG_ENOMEM, "out of memory writing parquet");
  sg_bloom_store(b, st->page.p + st->page.len);
  st->page.len += bytes;
  m->bloom_offset = st->offset;
  m->bloom_len = (int32_t)st->page.len;
  k->has_filter = 0;
  return write_bytes(f, st, &st->page);
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
    if (e == SG_OK && bloom_end_chunk(&st->col[i]))
      e = sg_seterr(SG_ENOMEM, "out of memory for a bloom filter");
    column_reset(&st->col[i]);
  }
  for (int i = 0; e == SG_OK && i < st->ncols; i++)
    if (st->col[i].has_filter)
      e = write_bloom(f, st, &st->col[i], &g->col[i]);
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
  if (t == SG_PQ_BYTE_ARRAY)
    sg_thrift_i32(w, 6, 0); /* converted type UTF8 */
  else if (c->kind == SG_KIND_DATE)
    sg_thrift_i32(w, 6, 6); /* converted type DATE */
  else if (c->kind == SG_KIND_TIMESTAMP)
    sg_thrift_i32(w, 6, 10); /* converted type TIMESTAMP_MICROS */
  sg_thrift_i32(w, 9, sg_schema_field_id(c));
  if (t == SG_PQ_BYTE_ARRAY || c->kind == SG_KIND_DATE) {
    sg_thrift_struct_begin(w, 10);
    sg_thrift_struct_begin(w, t == SG_PQ_BYTE_ARRAY ? 1 : 6); /* STRING, DATE */
    sg_thrift_struct_end(w);
    sg_thrift_struct_end(w);
  } else if (c->kind == SG_KIND_TIMESTAMP) {
    sg_thrift_struct_begin(w, 10);
    sg_thrift_struct_begin(w, 8); /* TIMESTAMP */
    sg_thrift_bool(w, 1, 1);      /* isAdjustedToUTC */
    sg_thrift_struct_begin(w, 2); /* unit: MICROS */
    sg_thrift_struct_begin(w, 2);
    sg_thrift_struct_end(w);
    sg_thrift_struct_end(w);
    sg_thrift_struct_end(w);
    sg_thrift_struct_end(w);
  }
  sg_thrift_struct_end(w);
}

static void column_chunk(sg_thrift_out *w, const column *k, const chunk_meta *m, int codec, int64_t colidx,
                         int64_t offidx)
{
  sg_thrift_elem_begin(w);
  sg_thrift_i64(w, 2, 0); /* file_offset: deprecated, 0 when no ColumnMetaData is outside the footer */
  sg_thrift_struct_begin(w, 3);
  sg_thrift_i32(w, 1, k->ptype);
  int plain = m->plain_pages > 0 || m->dict; /* the dictionary page is PLAIN */
  sg_thrift_list(w, 2, SG_TT_I32, (uint32_t)(plain + m->dict + k->optional));
  if (plain)
    sg_thrift_elem_i32(w, SG_PQ_PLAIN);
  if (k->optional)
    sg_thrift_elem_i32(w, SG_PQ_RLE); /* the definition levels */
  if (m->dict)
    sg_thrift_elem_i32(w, SG_PQ_RLE_DICTIONARY);
  sg_thrift_list(w, 3, SG_TT_BINARY, 1);
  sg_thrift_elem_string(w, k->c->name);
  sg_thrift_i32(w, 4, codec);
  sg_thrift_i64(w, 5, m->num_values);
  sg_thrift_i64(w, 6, m->uncompressed);
  sg_thrift_i64(w, 7, m->compressed);
  sg_thrift_i64(w, 9, m->data_offset);
  if (m->dict)
    sg_thrift_i64(w, 11, m->dict_offset);
  sg_thrift_struct_begin(w, 12);
  sg_thrift_i64(w, 3, m->nulls); /* null_count */
  if (m->b.have) {
    sg_thrift_binary(w, 5, m->b.max, m->b.max_len);
    sg_thrift_binary(w, 6, m->b.min, m->b.min_len);
  }
  if (k->ptype == SG_PQ_DOUBLE)
    sg_thrift_i64(w, 9, 0); /* nan_count */
  sg_thrift_struct_end(w);
  /* encoding_stats: whether every data page is dictionary-encoded (Spark's
   * vectorized reader asks) */
  sg_thrift_list(w, 13, SG_TT_STRUCT, (uint32_t)(m->dict + (m->dict_pages > 0) + (m->plain_pages > 0)));
  if (m->dict) {
    sg_thrift_elem_begin(w);
    sg_thrift_i32(w, 1, SG_PQ_DICTIONARY_PAGE);
    sg_thrift_i32(w, 2, SG_PQ_PLAIN);
    sg_thrift_i32(w, 3, 1);
    sg_thrift_struct_end(w);
  }
  for (int d = 1; d >= 0; d--) {
    int count = d ? m->dict_pages : m->plain_pages;
    if (!count)
      continue;
    sg_thrift_elem_begin(w);
    sg_thrift_i32(w, 1, SG_PQ_DATA_PAGE);
    sg_thrift_i32(w, 2, d ? SG_PQ_RLE_DICTIONARY : SG_PQ_PLAIN);
    sg_thrift_i32(w, 3, count);
    sg_thrift_struct_end(w);
  }
  if (m->bloom_len) {
    sg_thrift_i64(w, 14, m->bloom_offset);
    sg_thrift_i32(w, 15, m->bloom_len);
  }
  sg_thrift_struct_end(w); /* ColumnMetaData */
  sg_thrift_i64(w, 4, offidx + m->offset_index);
  sg_thrift_i32(w, 5, m->offset_index_len);
  sg_thrift_i64(w, 6, colidx + m->column_index);
  sg_thrift_i32(w, 7, m->column_index_len);
  sg_thrift_struct_end(w);
}

/* The page index (every chunk's ColumnIndex, then every OffsetIndex), the
 * footer, its length and "PAR1". */
static sg_err write_footer(sg_format *f, pq_state *st, const sg_format_options *o)
{
  const sg_column *const *cols = st->table->cols;
  const int ncols = st->ncols;
  int64_t colidx = st->offset, offidx = colidx + (int64_t)st->colidx.len;
  sg_err e = write_bytes(f, st, &st->colidx);
  if (e == SG_OK)
    e = write_bytes(f, st, &st->offidx);
  if (e != SG_OK)
    return e;
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
      column_chunk(&w, &st->col[i], &gm->col[i], o->parquet_codec, colidx, offidx);
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
  e = w.out.failed ? sg_seterr(SG_ENOMEM, "out of memory writing parquet") : SG_OK;
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

/* One zstd context for every Parquet writer of the process: a page is
 * compressed whole (ZSTD_compressCCtx starts afresh each time), one at a
 * time, so the writers of a partitioned part's files (many at once) share
 * its workspace, about 1.5 MiB, instead of each holding its own. */
static ZSTD_CCtx *shared_zc;
static int shared_users;

static ZSTD_CCtx *shared_zstd(void)
{
  if (!shared_zc)
    shared_zc = ZSTD_createCCtx();
  shared_users += shared_zc != NULL;
  return shared_zc;
}

static void shared_zstd_release(void)
{
  if (--shared_users == 0) {
    ZSTD_freeCCtx(shared_zc);
    shared_zc = NULL;
  }
}

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
    free(k->info);
    sg_bloom_free(&k->filter);
  }
  sg_buf_free(&st->page);
  sg_buf_free(&st->packed);
  sg_buf_free(&st->dict);
  sg_buf_free(&st->trial);
  sg_buf_free(&st->colidx);
  sg_buf_free(&st->offidx);
  if (st->zc)
    shared_zstd_release();
  free(st->groups);
  free(st);
}

static sg_err pq_begin(sg_format *f, int header)
{
  (void)header; /* the schema is in the footer */
  pq_state *st = f->state;
  if (!st) {
    st = calloc(1, sizeof *st);
    if (!st || !(st->zc = shared_zstd())) {
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
    k->bloom = sg_parquet_bloom_on(f->opt.bloom, k->c);
    k->has_filter = 0;
    column_reset(k);
  }
  st->rows = 0;
  st->ngroups = 0;
  st->colidx.len = st->offidx.len = 0;
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

/* Rows are added a column at a time, up to the next multiple of 1024 rows
 * (where the row group's size is checked, as row_added does): each value
 * goes to its column in the same order as row by row, so the bytes are the
 * same, while one column's dictionary stays in cache and its slots are
 * fetched ahead (each value hashed once: the hash goes on to its slot). */
static sg_err pq_rows(sg_format *f, const sg_row *rows, size_t n)
{
  pq_state *st = f->state;
  for (size_t r = 0; r < n;) {
    size_t m = 1024 - (size_t)(st->rows & 1023);
    if (m > n - r)
      m = n - r;
    for (int i = 0; i < st->ncols; i++) {
      column *k = &st->col[i];
      uint32_t hash[1024];
      int ahead = k->dict && k->nslots;
      for (size_t j = 0; ahead && j < m; j++) {
        unsigned char b[8];
        size_t len;
        const unsigned char *v = kept_value(k, &rows[r + j], b, &len);
        hash[j] = hash_bytes(v, len);
        __builtin_prefetch(&k->slot[hash[j] & (k->nslots - 1)]);
      }
      for (size_t j = 0; j < m; j++) {
        sg_err e = add_value(st, k, &rows[r + j], NULL, 0, ahead ? &hash[j] : NULL);
        if (e != SG_OK)
          return e;
      }
    }
    st->rows += m;
    r += m;
    if ((st->rows & 1023) == 0 && buffered(st) >= f->opt.row_group_bytes) {
      sg_err e = flush_group(f, st);
      if (e != SG_OK)
        return e;
    }
  }
  return SG_OK;
}

static sg_err pq_cells(sg_format *f, const sg_cells *lines, size_t n)
{
  pq_state *st = f->state;
  for (size_t r = 0; r < n; r++) {
    const sg_cells *l = &lines[r];
    for (int i = 0; i < st->ncols; i++) {
      sg_err e = add_value(st, &st->col[i], l->row, l->text[i], (int)(l->null >> i & 1), NULL);
      if (e != SG_OK)
        return e;
    }
    sg_err e = row_added(f, st);
    if (e != SG_OK)
      return e;
  }
  return SG_OK;
}

/* The file's columns as a table format's manifest counts them: each
 * column's chunks summed, its bounds the least and greatest of its chunks'. */
static void file_metrics(const pq_state *st, sg_file_metrics *m)
{
  m->ncols = st->ncols;
  m->nsplits = st->ngroups <= SG_METRIC_SPLITS ? (int)st->ngroups : 0;
  for (int g = 0; g < m->nsplits; g++)
    m->splits[g] = st->groups[g].col[0].start;
  for (int i = 0; i < st->ncols; i++) {
    const column *k = &st->col[i];
    sg_column_metrics *c = &m->col[i];
    const encoded *lo = NULL, *hi = NULL;
    memset(c, 0, sizeof *c);
    for (size_t g = 0; g < st->ngroups; g++) {
      const chunk_meta *cm = &st->groups[g].col[i];
      c->bytes += cm->compressed;
      c->values += cm->num_values;
      c->nulls += cm->nulls;
      if (!cm->b.have)
        continue;
      if (!lo || bound_cmp(k, cm->b.min, cm->b.min_len, lo->min, lo->min_len) < 0)
        lo = &cm->b;
      if (!hi || bound_cmp(k, cm->b.max, cm->b.max_len, hi->max, hi->max_len) > 0)
        hi = &cm->b;
    }
    if (!lo)
      continue;
    memcpy(c->lower, lo->min, lo->min_len);
    c->lower_len = (uint8_t)lo->min_len;
    if (!(k->ptype == SG_PQ_BYTE_ARRAY && hi->max_len >= BOUND_MAX)) { /* a cut maximum is no bound */
      memcpy(c->upper, hi->max, hi->max_len);
      c->upper_len = (uint8_t)hi->max_len;
    }
  }
}

static sg_err pq_end(sg_format *f)
{
  pq_state *st = f->state;
  sg_err e = flush_group(f, st);
  if (e == SG_OK)
    e = write_footer(f, st, &f->opt);
  if (e == SG_OK && f->metrics)
    file_metrics(st, f->metrics);
  return e;
}

const sg_format_ops sg_format_parquet = {
  .name = "parquet", .extension = ".parquet", .base = "parquet", .codec = SG_CODEC_NONE,
  .pages = 1, .reader = &sg_parquet_reader_ops,
  .typed = 1, .begin = pq_begin, .rows = pq_rows, .cells = pq_cells, .end = pq_end,
};
