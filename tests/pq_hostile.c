/* pq_hostile - writes small Parquet files made to take far more memory to
 * read than they hold, one per bound of the reader (parquet_read.h): each
 * is well-formed Parquet, so only the bound refuses it. tests/e2e_bounds.sh
 * reads them with score, verify and pq_dump under a memory limit; the
 * fuzzer's corpus starts from them too.
 *
 * usage: pq_hostile KIND OUT.parquet
 *   zeros   4 zstd pages of 64 MiB of zeros each (about 10 KB stored)
 *   rle     one dictionary value repeated by RLE over 2^25 rows (1 KB)
 *   wide    4,096 columns like rle's (about 2 TB to hold; 1 MB stored)
 *   prefix  65,536 DELTA_BYTE_ARRAY strings, each the last plus a byte
 *           (2 GiB of text from 70 KB)
 *   short   a row group of 2^25 rows whose one page holds 10 values */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "spotgen/base/buf.h"
#include "spotgen/format/format.h"
#include "spotgen/format/thrift.h"
#include "pq_hand.h"

enum { INT64 = 2, BYTE_ARRAY = 6, DICT_PAGE = 2, PLAIN_DICT = 2, RLE_DICT = 8, DELTA_BYTE_ARRAY = 7 };

/* A column chunk being written: where it starts, its first data page. */
typedef struct chunk {
  int type, encoding, codec;
  int64_t start, dict, data, rows;
} chunk;

/* One page: its header, then `packed` bytes of body (`raw` decompressed). */
static void page(sg_buf *f, int type, int encoding, int32_t count, int32_t raw, const void *body, size_t packed)
{
  pq_hand_page pg = {.type = type, .encoding = encoding, .count = count, .raw = raw};
  pq_hand_page_put(f, &pg, body, packed);
}

/* An unsigned LEB128 varint appended to b. */
static void varint(sg_buf *b, uint64_t v)
{
  unsigned char x[10];
  sg_buf_put(b, x, sg_uleb128(x, v));
}

/* DELTA_BINARY_PACKED of n integers from `first` by `step` (all deltas
 * equal: every miniblock 0 bits wide). */
static void delta_run(sg_buf *b, uint64_t n, int64_t first, int64_t step)
{
  varint(b, 128);
  varint(b, 4);
  varint(b, n);
  varint(b, (uint64_t)((first << 1) ^ (first >> 63)));
  for (uint64_t left = n ? n - 1 : 0; left > 0; left -= left < 128 ? left : 128) {
    varint(b, (uint64_t)((step << 1) ^ (step >> 63)));
    sg_buf_put(b, "\0\0\0\0", 4);
  }
}

/* One column of one dictionary value, `pages` RLE pages of 2^22 rows. */
static void rle_column(sg_buf *f, chunk *c, int pages)
{
  static const unsigned char dict[] = {1, 0, 0, 0, 'x'};
  *c = (chunk){BYTE_ARRAY, RLE_DICT, SG_PQ_UNCOMPRESSED, (int64_t)f->len, (int64_t)f->len, 0, 0};
  page(f, DICT_PAGE, PLAIN_DICT, 1, sizeof dict, dict, sizeof dict);
  c->data = (int64_t)f->len;
  sg_buf run = {0};
  sg_buf_put(&run, "\1", 1); /* bit width 1, then one run of 0s */
  varint(&run, (uint64_t)1 << 23);
  sg_buf_put(&run, "\0", 1);
  for (int k = 0; k < pages; k++)
    page(f, SG_PQ_DATA_PAGE, RLE_DICT, 1 << 22, (int32_t)run.len, run.p, run.len);
  c->rows = (int64_t)pages << 22;
  sg_buf_free(&run);
}

/* The footer of one row group of `rows` over the chunks. The columns are
 * row_key (so that score reads on past a cleaning's header), c1, c2 ... */
static void column_name(char *out, size_t n, int i)
{
  if (i == 0)
    snprintf(out, n, "row_key");
  else
    snprintf(out, n, "c%d", i);
}

static void footer(sg_buf *f, const chunk *c, int n, int64_t rows)
{
  sg_thrift_out w;
  sg_thrift_out_init(&w);
  sg_thrift_i32(&w, 1, 1);
  sg_thrift_list(&w, 2, SG_TT_STRUCT, (uint32_t)n + 1);
  sg_thrift_elem_begin(&w);
  sg_thrift_string(&w, 4, "schema");
  sg_thrift_i32(&w, 5, n);
  sg_thrift_struct_end(&w);
  char name[16];
  for (int i = 0; i < n; i++) {
    column_name(name, sizeof name, i);
    sg_thrift_elem_begin(&w);
    sg_thrift_i32(&w, 1, c[i].type);
    sg_thrift_i32(&w, 3, 0);
    sg_thrift_string(&w, 4, name);
    sg_thrift_struct_end(&w);
  }
  sg_thrift_i64(&w, 3, rows);
  sg_thrift_list(&w, 4, SG_TT_STRUCT, 1);
  sg_thrift_elem_begin(&w);
  sg_thrift_list(&w, 1, SG_TT_STRUCT, (uint32_t)n);
  int64_t total = 0;
  for (int i = 0; i < n; i++) {
    int64_t size = (i + 1 < n ? c[i + 1].start : (int64_t)f->len) - c[i].start;
    column_name(name, sizeof name, i);
    pq_hand_chunk(&w, name, c[i].type, c[i].encoding, c[i].codec, rows, c[i].start, size, c[i].data, c[i].dict);
    total += size;
  }
  sg_thrift_i64(&w, 2, total);
  sg_thrift_i64(&w, 3, rows);
  sg_thrift_struct_end(&w);
  pq_hand_footer(f, &w);
  sg_thrift_out_free(&w);
}

/* 4 pages of 2^22 INT64 values, each 64 MiB of zeros compressed by zstd. */
static void zeros(sg_buf *f, chunk *c)
{
  enum { RAW = 64 << 20 };
  *c = (chunk){INT64, SG_PQ_PLAIN, SG_PQ_ZSTD, (int64_t)f->len, (int64_t)f->len, (int64_t)f->len, 4 << 22};
  unsigned char *zero = calloc(1, 1 << 20), *out = malloc(1 << 20);
  ZSTD_CCtx *z = ZSTD_createCCtx();
  if (!zero || !out || !z)
    exit(1);
  for (int k = 0; k < 4; k++) {
    sg_buf packed = {0};
    ZSTD_CCtx_reset(z, ZSTD_reset_session_only);
    ZSTD_CCtx_setPledgedSrcSize(z, RAW);
    for (int m = 0; m < RAW >> 20; m++) {
      ZSTD_inBuffer in = {zero, 1 << 20, 0};
      int last = m == (RAW >> 20) - 1;
      size_t left;
      do {
        ZSTD_outBuffer o = {out, 1 << 20, 0};
        left = ZSTD_compressStream2(z, &o, &in, last ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(left))
          exit(1);
        sg_buf_put(&packed, out, o.pos);
      } while (last ? left != 0 : in.pos < in.size);
    }
    page(f, SG_PQ_DATA_PAGE, SG_PQ_PLAIN, 1 << 22, RAW, packed.p, packed.len);
    sg_buf_free(&packed);
  }
  ZSTD_freeCCtx(z);
  free(zero);
  free(out);
}

/* n strings: "a", "aa", "aaa" ... as prefixes of the last and one byte. */
static void prefix(sg_buf *f, chunk *c)
{
  enum { N = 65536 };
  *c = (chunk){BYTE_ARRAY, DELTA_BYTE_ARRAY, SG_PQ_UNCOMPRESSED, (int64_t)f->len, (int64_t)f->len,
               (int64_t)f->len, N};
  sg_buf body = {0};
  delta_run(&body, N, 0, 1); /* prefix lengths 0, 1, 2 ... */
  delta_run(&body, N, 1, 0); /* suffix lengths 1, 1, 1 ... */
  for (int i = 0; i < N; i++)
    sg_buf_put(&body, "a", 1);
  page(f, SG_PQ_DATA_PAGE, DELTA_BYTE_ARRAY, N, (int32_t)body.len, body.p, body.len);
  sg_buf_free(&body);
}

int main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: pq_hostile zeros|rle|wide|prefix|short OUT.parquet\n");
    return 2;
  }
  const char *kind = argv[1];
  int n = strcmp(kind, "wide") == 0 ? 4096 : 1;
  chunk *c = calloc((size_t)n, sizeof *c);
  sg_buf f = {0};
  sg_buf_put(&f, "PAR1", 4);
  int64_t rows;
  if (strcmp(kind, "zeros") == 0) {
    zeros(&f, c);
  } else if (strcmp(kind, "rle") == 0 || strcmp(kind, "wide") == 0) {
    for (int i = 0; i < n; i++)
      rle_column(&f, &c[i], 8);
  } else if (strcmp(kind, "prefix") == 0) {
    prefix(&f, c);
  } else if (strcmp(kind, "short") == 0) {
    static const unsigned char ten[80];
    c[0] = (chunk){INT64, SG_PQ_PLAIN, SG_PQ_UNCOMPRESSED, 4, 4, 4, 1 << 25};
    page(&f, SG_PQ_DATA_PAGE, SG_PQ_PLAIN, 10, sizeof ten, ten, sizeof ten);
  } else {
    fprintf(stderr, "pq_hostile: no kind '%s'\n", kind);
    return 2;
  }
  rows = c[0].rows;
  footer(&f, c, n, rows);
  FILE *out = fopen(argv[2], "wb");
  if (!out || f.failed || fwrite(f.p, 1, f.len, out) != f.len || fclose(out) != 0) {
    perror(argv[2]);
    return 1;
  }
  sg_buf_free(&f);
  free(c);
  return 0;
}
