/* format.h - rows -> bytes, handed to a sink in large blocks.
 *
 * A format is one struct of functions per file (format_csv.c, ...), chosen by
 * name. It owns an output buffer of SG_FORMAT_BUFFER bytes and writes to the
 * sink only when the buffer is nearly full, so the sink sees big blocks.
 * A format with a codec (csv.gz, csv.zst) compresses each buffer as it is
 * flushed, one stream per part, so no part is ever whole in memory; the sink
 * sees, counts and checksums the compressed bytes, which are what is stored. */
#ifndef SPOTGEN_FORMAT_H
#define SPOTGEN_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/model/row.h"
#include "spotgen/store/sink.h"

#define SG_FORMAT_BUFFER (4u << 20)
#define SG_FORMAT_BUFFER_MIN (64u << 10) /* the least a format takes (sg_format_options.buffer) */

typedef struct sg_format sg_format;

typedef enum sg_codec { SG_CODEC_NONE, SG_CODEC_GZIP, SG_CODEC_ZSTD } sg_codec;

/* Parquet's own numbers (parquet.thrift): physical types, encodings, page
 * types and page codecs. */
enum {
  SG_PQ_INT32 = 1, SG_PQ_INT64 = 2, SG_PQ_DOUBLE = 5, SG_PQ_BYTE_ARRAY = 6,
  SG_PQ_PLAIN = 0, SG_PQ_RLE = 3, SG_PQ_RLE_DICTIONARY = 8,
  SG_PQ_DATA_PAGE = 0, SG_PQ_DICTIONARY_PAGE = 2,
  SG_PQ_UNCOMPRESSED = 0, SG_PQ_SNAPPY = 1, SG_PQ_ZSTD = 6
};

/*! sg_le32() : the little-endian 32-bit value at p (Parquet's lengths). */
static inline uint32_t sg_le32(const unsigned char *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct sg_table;

/* One line of a table whose cells are not all its columns' values in a row
 * (generate --dirty's data and ledger): field i is text[i] when not NULL,
 * else its column's value in `row`. A field in `null` is missing: text
 * formats write its text (NA, or nothing), Parquet a null. */
#define SG_CELLS_MAX SG_TABLE_MAX_COLS
#define SG_CELL_TEXT_MAX 256 /* bytes of a field's text, its NUL included */
typedef struct sg_cells {
  const sg_row *row;                /* NULL when every field has text */
  const char *text[SG_CELLS_MAX];
  uint32_t null;                    /* bit i: field i is null */
} sg_cells;

typedef struct sg_format_options {
  int level;                /* compression level: gzip or zstd, stream or pages */
  int parquet_codec;        /* SG_PQ_ZSTD, SG_PQ_SNAPPY or SG_PQ_UNCOMPRESSED */
  uint64_t row_group_bytes; /* parquet: a row group ends past this many bytes */
  const char *bloom;        /* parquet: the columns with bloom filters, as
                               --parquet-bloom names them; NULL: "ids" */
  const struct sg_table *table; /* the first part's columns (schema.h); NULL: the 24 */
  size_t buffer;            /* bytes of the output buffer (a stream format's, and so a
                               gzip member's); 0: SG_FORMAT_BUFFER */
  int quick;                /* parquet: a chunk of one page keeps its dictionary when it
                               pays as values, without compressing both ways to see
                               (a partition's file: most of its chunks are one page) */
} sg_format_options;

typedef struct sg_format_ops {
  const char *name;       /* as given to --format */
  const char *extension;  /* of part files, with the dot */
  const char *base;       /* the format under the compression: "csv" */
  sg_codec codec;
  int pages;              /* columnar pages with their own codec (--parquet-codec)
                             in row groups (--row-group-size): Parquet */
  int typed;              /* a value must be of its column's type (Parquet): a dirty
                             value its type cannot hold is not made */
  const struct sg_reader_ops *reader; /* reading its parts back (reader.h) */
  sg_err (*begin)(sg_format *f, int header);
  sg_err (*rows)(sg_format *f, const sg_row *rows, size_t n);
  /* lines of cells of the part's table (a nullable one) */
  sg_err (*cells)(sg_format *f, const sg_cells *lines, size_t n);
  sg_err (*end)(sg_format *f);
} sg_format_ops;

/* What a paged format's file holds of each column, for a table format's
 * manifest (Iceberg's data_file): filled by its end() when the caller set
 * sg_format.metrics. Bounds are PLAIN-encoded as Parquet's statistics
 * (little-endian numbers, a string's bytes), which is also Iceberg's
 * single-value form; a string bound is at most SG_METRIC_BOUND bytes, and
 * an upper one that had to be cut is not kept (`upper_len` 0). */
#define SG_METRIC_BOUND 64
#define SG_METRIC_SPLITS 16 /* row groups whose offsets are kept */
typedef struct sg_column_metrics {
  int64_t bytes;            /* its chunks, as stored (pages, dictionaries) */
  int64_t values, nulls;    /* nulls included in values */
  uint8_t lower_len, upper_len; /* 0: no bound (every value null) */
  unsigned char lower[SG_METRIC_BOUND], upper[SG_METRIC_BOUND];
} sg_column_metrics;

typedef struct sg_file_metrics {
  int ncols;                /* of the file's table, in its order */
  int nsplits;              /* row groups' offsets kept (0: more than SG_METRIC_SPLITS) */
  int64_t splits[SG_METRIC_SPLITS];
  sg_column_metrics col[SG_TABLE_MAX_COLS];
} sg_file_metrics;

struct sg_format {
  const sg_format_ops *ops;
  sg_file_metrics *metrics; /* set by the caller: a paged format's end() fills it */
  sg_sink *sink;
  char *buf;               /* a stream format's output (NULL for a paged one's) */
  size_t len, cap;
  struct sg_zstream *z;   /* the codec's stream, when there is one */
  sg_format_options opt;
  const struct sg_table *table; /* of the next part: may change between parts */
  void *state;            /* the format's own, freed by free_state */
  void (*free_state)(void *state);
};

/*! sg_format_find() : the format called `name`, or NULL. */
const sg_format_ops *sg_format_find(const char *name);

/*! sg_format_of() : the format a manifest names by its base ("csv") and
 *  compression ("gzip"; a paged format's is its pages'), or NULL. */
const sg_format_ops *sg_format_of(const char *base, const char *compression);

/*! sg_format_of_file() : the format whose part files end like `name`, or NULL. */
const sg_format_ops *sg_format_of_file(const char *name);

/*! sg_format_names() : the accepted names, for messages ("csv"). */
const char *sg_format_names(void);

/* A codec of a paged format's pages: its --parquet-codec name (and the
 * manifest's), its number in Parquet, and the codec --compression-level
 * sets for it (SG_CODEC_NONE when it has no level). */
typedef struct sg_page_codec {
  const char *name;
  int parquet;
  sg_codec level;
} sg_page_codec;

/*! sg_page_codec_find() : "zstd", "snappy" or "none"; NULL for another. */
const sg_page_codec *sg_page_codec_find(const char *name);

/*! sg_codec_name() : "gzip", "zstd" or "none", as the manifest says it. */
const char *sg_codec_name(sg_codec c);

/*! sg_codec_levels() : the compression levels `c` accepts and its default. */
void sg_codec_levels(sg_codec c, int *lo, int *hi, int *dflt);

/*! sg_format_create() : a format writing to `sink`, with `o` (its level
 *  already the codec's default when none was given).
 *  @return : NULL when out of memory. */
sg_format *sg_format_create(const sg_format_ops *ops, sg_sink *sink, const sg_format_options *o);
void sg_format_destroy(sg_format *f);

/*! sg_format_flush() : hands the buffered bytes to the sink (compressed, with
 *  a codec). */
sg_err sg_format_flush(sg_format *f);

/*! sg_format_finish() : flushes, then ends the part's compressed stream (a
 *  format's end() calls it); without a codec, the same as a flush. */
sg_err sg_format_finish(sg_format *f);

/*! sg_csv_field() : `s` as one RFC 4180 field at `out` (quoted when it holds
 *  a comma, quote, CR or LF; quotes doubled). `out` needs 2 * strlen(s) + 2
 *  bytes. @return : bytes written. */
size_t sg_csv_field(char *out, const char *s);

/*! sg_csv_row() : one CSV line (with '\n') of `row` at `out`, which must have
 *  SG_CSV_ROW_MAX bytes (the longest row, every name quoted, is under 1,200;
 *  names are copied in blocks that may reach past the line's end).
 *  @return : bytes written. */
#define SG_CSV_ROW_MAX 2048
size_t sg_csv_row(char *out, const sg_row *row);

/*! sg_csv_row_of() : the same for the columns of table `t`. */
size_t sg_csv_row_of(const struct sg_table *t, char *out, const sg_row *row);

struct sg_column;
/*! sg_csv_value() : the text of column `c` of `row` as CSV spells it,
 *  unquoted and NUL-terminated, at `out` (room for SG_CSV_ROW_MAX bytes
 *  is ample). @return : its length. */
size_t sg_csv_value(const struct sg_column *c, const sg_row *row, char *out);

extern const sg_format_ops sg_format_csv, sg_format_csv_gz, sg_format_csv_zst, sg_format_parquet;

/*! sg_parquet_physical_type() : the Parquet physical type of column `c`. */
int sg_parquet_physical_type(const struct sg_column *c);

/*! sg_parquet_bloom_on() : which of column `c`'s chunks get a bloom filter
 *  under --parquet-bloom `spec`, a comma-separated list of column names and
 *  "ids" ("none" names none; NULL is "ids"): every chunk of a column named
 *  (SG_PQ_BLOOM_ALL), the dictionary-encoded chunks of an id column that
 *  "ids" brings (SG_PQ_BLOOM_DICT), or none (0). */
enum { SG_PQ_BLOOM_DICT = 1, SG_PQ_BLOOM_ALL = 2 };
int sg_parquet_bloom_on(const char *spec, const struct sg_column *c);

#endif
