/* pq_others - writes small Parquet files the way other writers make them,
 * each with what DuckDB's writer does not make, for the reader's tests
 * (tests/e2e_parquet.sh): OUT.parquet, and OUT.tsv holding its rows as
 * tests/pq_dump must print them (the values written here, spelt here).
 *
 * usage: pq_others KIND OUT.parquet
 *   lz4-hadoop    LZ4 pages (codec 5) in Hadoop's framing, two blocks a page
 *                 (parquet-mr, Arrow)
 *   lz4-block     LZ4 pages (codec 5) as one bare block (older Arrow)
 *   gzip-members  gzip pages of two members back to back
 *   v2-empty      an OPTIONAL column in v2 pages, one of them all nulls and
 *                 with no value bytes at all (snappy)
 *   v2-rle-bool   OPTIONAL booleans RLE-encoded in a v2 page whose
 *                 repetition levels (of a flat column: all 0) are there
 *   bss-fixed     BYTE_STREAM_SPLIT on FLOAT16, a DECIMAL(9,2) of 4 bytes,
 *                 INT32 and INT64
 *   zero-rows     a row group of no rows, then one of three
 *   crc           pages (a dictionary page among them) with their CRC-32
 *   crc-bad       the same with one byte of a data page changed after (both
 *                 uncompressed, so that the change is still a value)
 *   nested        a struct column (refused: only flat tables are read)
 * The first three and the last four hold columns n (INT64) and s (STRING). */
#include <libdeflate.h>
#include <lz4.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/base/buf.h"
#include "spotgen/format/format.h"
#include "spotgen/format/thrift.h"
#include "pq_hand.h"

enum { BOOLEAN = 0, INT32 = 1, INT64 = 2, BYTE_ARRAY = 6, FIXED = 7 };
enum { PLAIN = 0, PLAIN_DICT = 2, RLE = 3, RLE_DICT = 8, BSS = 9 };
enum { GZIP = 2, LZ4 = 5 };

/* A column: its schema and its chunk in the row group being written. */
typedef struct col {
  const char *name;
  int type, width, optional;
  int logical;                /* 0, or LogicalType's field: 1 STRING, 5 DECIMAL, 15 FLOAT16 */
  int encoding, codec;
  int64_t start, data, dict;
} col;

static sg_buf file, tsv;

static void put_le(unsigned char *p, uint64_t v, int n)
{
  for (int i = 0; i < n; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

static void put_be32(unsigned char *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (24 - 8 * i));
}

/* Appends to the TSV. */
static void text(const char *s) { sg_buf_put(&tsv, s, strlen(s)); }

/* ---- pages ------------------------------------------------------------------ */

/* `raw` compressed by `codec` as the kind makes it, into out. */
static void compress(int codec, const char *kind, const sg_buf *raw, sg_buf *out)
{
  out->len = 0;
  if (codec == SG_PQ_UNCOMPRESSED) {
    sg_buf_put(out, raw->p, raw->len);
    return;
  }
  if (codec == SG_PQ_SNAPPY) {
    size_t n = snappy_max_compressed_length(raw->len);
    if (sg_buf_reserve(out, n) || snappy_compress((const char *)raw->p, raw->len, (char *)out->p, &n) != SNAPPY_OK)
      exit(1);
    out->len = n;
    return;
  }
  int halves = codec == GZIP || strcmp(kind, "lz4-hadoop") == 0 ? 2 : 1;
  for (int h = 0; h < halves; h++) { /* each half its own gzip member or Hadoop block */
    size_t from = raw->len * (size_t)h / (size_t)halves, n = raw->len * (size_t)(h + 1) / (size_t)halves - from;
    size_t cap = codec == GZIP ? libdeflate_gzip_compress_bound(NULL, n) : (size_t)LZ4_compressBound((int)n);
    if (sg_buf_reserve(out, cap + 8))
      exit(1);
    unsigned char *at = out->p + out->len + (halves == 2 && codec == LZ4 ? 8 : 0);
    size_t made;
    if (codec == GZIP) {
      struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
      made = libdeflate_gzip_compress(c, raw->p + from, n, at, cap);
      libdeflate_free_compressor(c);
    } else {
      made = (size_t)LZ4_compress_default((const char *)raw->p + from, (char *)at, (int)n, (int)cap);
    }
    if (made == 0)
      exit(1);
    if (halves == 2 && codec == LZ4) { /* the block's sizes, big-endian */
      put_be32(out->p + out->len, (uint32_t)n);
      put_be32(out->p + out->len + 4, (uint32_t)made);
      out->len += 8;
    }
    out->len += made;
  }
}

/* A v1 page (data or dictionary) of `count` values from `raw`, compressed. */
static void page(const char *kind, col *c, int type, int encoding, int32_t count, const sg_buf *raw)
{
  sg_buf packed = {0};
  compress(c->codec, kind, raw, &packed);
  pq_hand_page pg = {.type = type, .encoding = encoding, .count = count, .raw = (int32_t)raw->len};
  if (strncmp(kind, "crc", 3) == 0) {
    pg.with_crc = 1;
    pg.crc = libdeflate_crc32(0, packed.p, packed.len);
    if (strcmp(kind, "crc-bad") == 0 && c->type == INT64) /* a value of n: still a value */
      packed.p[packed.len / 2] ^= 0x10;
  }
  pq_hand_page_put(&file, &pg, packed.p, packed.len);
  sg_buf_free(&packed);
}

/* A PLAIN string appended to b. */
static void plain_string(sg_buf *b, const char *s)
{
  unsigned char len[4];
  put_le(len, strlen(s), 4);
  sg_buf_put(b, len, 4);
  sg_buf_put(b, s, strlen(s));
}

/* ---- the footer ------------------------------------------------------------------ */

static void schema(sg_thrift_out *w, const col *cols, int n, int nested)
{
  sg_thrift_list(w, 2, SG_TT_STRUCT, (uint32_t)(n + 1 + nested));
  sg_thrift_elem_begin(w);
  sg_thrift_string(w, 4, "schema");
  sg_thrift_i32(w, 5, nested ? 1 : n);
  sg_thrift_struct_end(w);
  if (nested) { /* a struct holding the columns (REQUIRED: no levels) */
    sg_thrift_elem_begin(w);
    sg_thrift_i32(w, 3, 0);
    sg_thrift_string(w, 4, "g");
    sg_thrift_i32(w, 5, n);
    sg_thrift_struct_end(w);
  }
  for (int i = 0; i < n; i++) {
    const col *c = &cols[i];
    sg_thrift_elem_begin(w);
    sg_thrift_i32(w, 1, c->type);
    if (c->width)
      sg_thrift_i32(w, 2, c->width);
    sg_thrift_i32(w, 3, c->optional);
    sg_thrift_string(w, 4, c->name);
    if (c->logical == 5) { /* converted type DECIMAL, scale, precision */
      sg_thrift_i32(w, 6, 5);
      sg_thrift_i32(w, 7, 2);
      sg_thrift_i32(w, 8, 9);
    } else if (c->logical == 1) {
      sg_thrift_i32(w, 6, 0);
    }
    if (c->logical) {
      sg_thrift_struct_begin(w, 10);
      sg_thrift_struct_begin(w, (int16_t)c->logical);
      if (c->logical == 5) {
        sg_thrift_i32(w, 1, 2);
        sg_thrift_i32(w, 2, 9);
      }
      sg_thrift_struct_end(w);
      sg_thrift_struct_end(w);
    }
    sg_thrift_struct_end(w);
  }
}

/* One row group's metadata: its chunks, each from its start to the next's
 * (the last's to `end`). */
static void group(sg_thrift_out *w, const col *cols, int n, int64_t rows, int64_t end)
{
  sg_thrift_elem_begin(w);
  sg_thrift_list(w, 1, SG_TT_STRUCT, (uint32_t)n);
  int64_t total = 0;
  for (int i = 0; i < n; i++) {
    const col *c = &cols[i];
    int64_t size = (i + 1 < n ? cols[i + 1].start : end) - c->start;
    pq_hand_chunk(w, c->name, c->type, c->encoding, c->codec, rows, c->start, size, c->data, c->dict);
    total += size;
  }
  sg_thrift_i64(w, 2, total);
  sg_thrift_i64(w, 3, rows);
  sg_thrift_struct_end(w);
}

/* ---- the kinds ---------------------------------------------------------------------- */

/* Columns n (INT64: 7 i - 3000) and s (STRING: "row i", a dictionary when
 * the kind is crc), `rows` rows, in one row group, or a struct of them. */
static void two_columns(const char *kind, int codec, int rows)
{
  col cols[2] = {{"n", INT64, 0, 0, 0, PLAIN, codec, 0, 0, 0}, {"s", BYTE_ARRAY, 0, 0, 1, PLAIN, codec, 0, 0, 0}};
  int dict = strncmp(kind, "crc", 3) == 0;
  sg_buf raw = {0};
  char s[32];
  cols[0].start = cols[0].data = cols[0].dict = (int64_t)file.len;
  for (int i = 0; i < rows; i++) {
    unsigned char v[8];
    put_le(v, (uint64_t)(7 * (int64_t)i - 3000), 8);
    sg_buf_put(&raw, v, 8);
  }
  page(kind, &cols[0], 0, PLAIN, rows, &raw);
  cols[1].start = cols[1].dict = (int64_t)file.len;
  raw.len = 0;
  if (dict) { /* 10 entries, then 8-bit indices by RLE / bit-packing */
    for (int k = 0; k < 10; k++) {
      snprintf(s, sizeof s, "word %d", k);
      plain_string(&raw, s);
    }
    page(kind, &cols[1], 2, PLAIN_DICT, 10, &raw);
    cols[1].data = (int64_t)file.len;
    cols[1].encoding = RLE_DICT;
    raw.len = 0;
    unsigned char width = 8, head[10];
    sg_buf_put(&raw, &width, 1);
    sg_buf_put(&raw, head, sg_uleb128(head, (uint64_t)((rows + 7) / 8) << 1 | 1));
    for (int i = 0; i < (rows + 7) / 8 * 8; i++) {
      unsigned char k = (unsigned char)(i * i % 10);
      sg_buf_put(&raw, &k, 1);
    }
    page(kind, &cols[1], 0, RLE_DICT, rows, &raw);
  } else {
    cols[1].data = cols[1].start;
    for (int i = 0; i < rows; i++) {
      snprintf(s, sizeof s, "row %d", i);
      plain_string(&raw, s);
    }
    page(kind, &cols[1], 0, PLAIN, rows, &raw);
  }
  sg_buf_free(&raw);
  int nested = strcmp(kind, "nested") == 0;
  sg_thrift_out w;
  sg_thrift_out_init(&w);
  sg_thrift_i32(&w, 1, 1);
  schema(&w, cols, 2, nested);
  sg_thrift_i64(&w, 3, rows);
  sg_thrift_list(&w, 4, SG_TT_STRUCT, 1);
  group(&w, cols, 2, rows, (int64_t)file.len);
  pq_hand_footer(&file, &w);
  sg_thrift_out_free(&w);
  text(nested ? "g.n\tg.s\n" : "n\ts\n");
  for (int i = 0; i < rows; i++) {
    char line[64];
    if (dict)
      snprintf(line, sizeof line, "%d\tword %d\n", 7 * i - 3000, i * i % 10);
    else
      snprintf(line, sizeof line, "%d\trow %d\n", 7 * i - 3000, i);
    text(line);
  }
}

/* The definition levels of `n` rows (1: a value) as RLE / bit-packed runs
 * of bit width 1, one bit-packed run of them. */
static void def_levels(sg_buf *b, const int *def, int n)
{
  unsigned char head[10], byte = 0;
  sg_buf_put(b, head, sg_uleb128(head, (uint64_t)((n + 7) / 8) << 1 | 1));
  for (int i = 0; i < (n + 7) / 8 * 8; i++) {
    if (i < n && def[i])
      byte |= (unsigned char)(1u << (i % 8));
    if (i % 8 == 7) {
      sg_buf_put(b, &byte, 1);
      byte = 0;
    }
  }
}

/* A v2 page of column c: levels (repetition, then definition) as they
 * are, values compressed unless there are none. */
static void page_v2(col *c, int encoding, int rows, int nulls, const sg_buf *rep, const sg_buf *def,
                    const sg_buf *values)
{
  sg_buf body = {0}, packed = {0};
  sg_buf_put(&body, rep->p, rep->len);
  sg_buf_put(&body, def->p, def->len);
  if (values->len)
    compress(c->codec, "", values, &packed);
  sg_buf_put(&body, packed.p, packed.len);
  pq_hand_page pg = {.type = 3, .encoding = encoding, .count = rows, .raw = (int32_t)(rep->len + def->len + values->len),
                     .nulls = nulls, .rows = rows, .def_bytes = (int32_t)def->len, .rep_bytes = (int32_t)rep->len,
                     .compressed = 1};
  pq_hand_page_put(&file, &pg, body.p, body.len);
  sg_buf_free(&body);
  sg_buf_free(&packed);
}

/* x (OPTIONAL INT32, snappy) in three v2 pages of 5, 4 and 3 rows, the
 * second all nulls; or b (OPTIONAL BOOLEAN) RLE-encoded in one v2 page
 * with its (all 0) repetition levels. */
static void v2(const char *kind)
{
  int rle = strcmp(kind, "v2-rle-bool") == 0;
  col c = {rle ? "b" : "x", rle ? BOOLEAN : INT32, 0, 1, 0, rle ? RLE : PLAIN, rle ? SG_PQ_UNCOMPRESSED : SG_PQ_SNAPPY,
           (int64_t)file.len, (int64_t)file.len, (int64_t)file.len};
  int rows = rle ? 68 : 12;
  text(rle ? "b\n" : "x\n");
  sg_buf rep = {0}, def = {0}, values = {0};
  if (rle) {
    int d[68], bits[68], n = 0;
    for (int i = 0; i < rows; i++) {
      d[i] = i % 9 != 4;
      if (d[i])
        bits[n++] = i % 3 == 0 || i > 60;
      text(!d[i] ? "\n" : i % 3 == 0 || i > 60 ? "true\n" : "false\n");
    }
    unsigned char head[10];
    sg_buf_put(&rep, head, sg_uleb128(head, (uint64_t)rows << 1)); /* one run of 0s, bit width 0 */
    def_levels(&def, d, rows);
    sg_buf hybrid = {0};
    def_levels(&hybrid, bits, n); /* the same hybrid, of the values' bits */
    unsigned char len[4];
    put_le(len, hybrid.len, 4);
    sg_buf_put(&values, len, 4);
    sg_buf_put(&values, hybrid.p, hybrid.len);
    sg_buf_free(&hybrid);
    page_v2(&c, RLE, rows, rows - n, &rep, &def, &values);
  } else {
    static const int PAGE_ROWS[3] = {5, 4, 3};
    for (int pg = 0, at = 0; pg < 3; at += PAGE_ROWS[pg++]) {
      int d[5], nulls = 0;
      def.len = values.len = 0;
      for (int i = 0; i < PAGE_ROWS[pg]; i++) {
        d[i] = pg != 1;
        nulls += !d[i];
        char line[32];
        snprintf(line, sizeof line, d[i] ? "%d\n" : "\n", 100 * (at + i) - 555);
        text(line);
        if (d[i]) {
          unsigned char v[4];
          put_le(v, (uint64_t)(100 * (at + i) - 555), 4);
          sg_buf_put(&values, v, 4);
        }
      }
      def_levels(&def, d, PAGE_ROWS[pg]);
      page_v2(&c, PLAIN, PAGE_ROWS[pg], nulls, &rep, &def, &values);
    }
  }
  sg_buf_free(&rep);
  sg_buf_free(&def);
  sg_buf_free(&values);
  sg_thrift_out w;
  sg_thrift_out_init(&w);
  sg_thrift_i32(&w, 1, 2);
  schema(&w, &c, 1, 0);
  sg_thrift_i64(&w, 3, rows);
  sg_thrift_list(&w, 4, SG_TT_STRUCT, 1);
  group(&w, &c, 1, rows, (int64_t)file.len);
  pq_hand_footer(&file, &w);
  sg_thrift_out_free(&w);
}

/* h (FLOAT16), d (DECIMAL(9,2) in 4 bytes), i (INT32), l (INT64), each
 * BYTE_STREAM_SPLIT: byte b of value k at b * rows + k. */
static void bss_fixed(void)
{
  /* halves and the text of their value: normal, subnormal, the largest,
   * negative zero, infinity */
  static const struct { uint16_t bits; const char *text; } HALF[] = {
    {0x3e00, "1.5"}, {0xc080, "-2.25"}, {0x7bff, "65504"}, {0x0200, "3.0517578125e-05"},
    {0x0400, "6.103515625e-05"}, {0x8000, "-0"}, {0x7c00, "inf"}, {0x5640, "100"},
  };
  static const struct { int32_t v; const char *text; } DEC[] = {
    {12345, "123.45"}, {-1, "-0.01"}, {0, "0.00"}, {999999999, "9999999.99"},
    {-999999999, "-9999999.99"}, {5, "0.05"}, {-250, "-2.50"}, {100000, "1000.00"},
  };
  enum { ROWS = 8 };
  col cols[4] = {{"h", FIXED, 2, 0, 15, BSS, SG_PQ_UNCOMPRESSED, 0, 0, 0},
                 {"d", FIXED, 4, 0, 5, BSS, SG_PQ_UNCOMPRESSED, 0, 0, 0},
                 {"i", INT32, 0, 0, 0, BSS, SG_PQ_UNCOMPRESSED, 0, 0, 0},
                 {"l", INT64, 0, 0, 0, BSS, SG_PQ_UNCOMPRESSED, 0, 0, 0}};
  text("h\td\ti\tl\n");
  unsigned char value[4][ROWS][8];
  for (int k = 0; k < ROWS; k++) {
    put_le(value[0][k], HALF[k].bits, 2);
    put_be32(value[1][k], (uint32_t)DEC[k].v); /* a decimal's bytes are big-endian */
    int32_t i = (k - 3) * 1000003;
    int64_t l = ((int64_t)k - 5) * 1234567890123LL;
    put_le(value[2][k], (uint32_t)i, 4);
    put_le(value[3][k], (uint64_t)l, 8);
    char line[160];
    snprintf(line, sizeof line, "%s\t%s\t%d\t%lld\n", HALF[k].text, DEC[k].text, i, (long long)l);
    text(line);
  }
  static const int WIDTH[4] = {2, 4, 4, 8};
  for (int c = 0; c < 4; c++) {
    cols[c].start = cols[c].data = cols[c].dict = (int64_t)file.len;
    sg_buf raw = {0};
    for (int b = 0; b < WIDTH[c]; b++)
      for (int k = 0; k < ROWS; k++)
        sg_buf_put(&raw, &value[c][k][b], 1);
    page("", &cols[c], 0, BSS, ROWS, &raw);
    sg_buf_free(&raw);
  }
  sg_thrift_out w;
  sg_thrift_out_init(&w);
  sg_thrift_i32(&w, 1, 2);
  schema(&w, cols, 4, 0);
  sg_thrift_i64(&w, 3, ROWS);
  sg_thrift_list(&w, 4, SG_TT_STRUCT, 1);
  group(&w, cols, 4, ROWS, (int64_t)file.len);
  pq_hand_footer(&file, &w);
  sg_thrift_out_free(&w);
}

/* x (INT32): a row group of no rows (its chunk empty), then one of 3. */
static void zero_rows(void)
{
  col c = {"x", INT32, 0, 0, 0, PLAIN, SG_PQ_UNCOMPRESSED, (int64_t)file.len, (int64_t)file.len, (int64_t)file.len};
  col empty = c;
  sg_buf raw = {0};
  for (int i = 0; i < 3; i++) {
    unsigned char v[4];
    put_le(v, (uint64_t)(i * 11 - 7), 4);
    sg_buf_put(&raw, v, 4);
  }
  page("", &c, 0, PLAIN, 3, &raw);
  sg_buf_free(&raw);
  text("x\n-7\n4\n15\n");
  sg_thrift_out w;
  sg_thrift_out_init(&w);
  sg_thrift_i32(&w, 1, 1);
  schema(&w, &c, 1, 0);
  sg_thrift_i64(&w, 3, 3);
  sg_thrift_list(&w, 4, SG_TT_STRUCT, 2);
  group(&w, &empty, 1, 0, empty.start);
  group(&w, &c, 1, 3, (int64_t)file.len);
  pq_hand_footer(&file, &w);
  sg_thrift_out_free(&w);
}

int main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: pq_others lz4-hadoop|lz4-block|gzip-members|v2-empty|v2-rle-bool|bss-fixed|zero-rows|"
                    "crc|crc-bad|nested OUT.parquet\n");
    return 2;
  }
  const char *kind = argv[1];
  sg_buf_put(&file, "PAR1", 4);
  if (strncmp(kind, "lz4-", 4) == 0)
    two_columns(kind, LZ4, 1000);
  else if (strcmp(kind, "gzip-members") == 0)
    two_columns(kind, GZIP, 1000);
  else if (strncmp(kind, "crc", 3) == 0) /* uncompressed: a changed byte is still a value */
    two_columns(kind, SG_PQ_UNCOMPRESSED, 100);
  else if (strcmp(kind, "nested") == 0)
    two_columns(kind, SG_PQ_SNAPPY, 100);
  else if (strncmp(kind, "v2-", 3) == 0)
    v2(kind);
  else if (strcmp(kind, "bss-fixed") == 0)
    bss_fixed();
  else if (strcmp(kind, "zero-rows") == 0)
    zero_rows();
  else {
    fprintf(stderr, "pq_others: unknown kind %s\n", kind);
    return 2;
  }
  char path[4096];
  snprintf(path, sizeof path, "%.*s.tsv", (int)(strlen(argv[2]) - strlen(".parquet")), argv[2]);
  FILE *f = fopen(argv[2], "wb"), *t = fopen(path, "wb");
  if (file.failed || tsv.failed || !f || !t || fwrite(file.p, 1, file.len, f) != file.len ||
      fwrite(tsv.p, 1, tsv.len, t) != tsv.len || fclose(f) || fclose(t)) {
    fprintf(stderr, "pq_others: cannot write %s\n", argv[2]);
    return 1;
  }
  sg_buf_free(&file);
  sg_buf_free(&tsv);
  return 0;
}
