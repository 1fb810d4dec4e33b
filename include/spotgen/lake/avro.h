/* avro.h - Avro's binary encoding and its object container files, as
 * Iceberg's manifests and manifest lists are written (the Avro 1.11
 * specification: "Binary Encoding", "Object Container Files").
 *
 *   sg_buf rec = {0};
 *   sg_avro_long(&rec, 1); sg_avro_string(&rec, "s3://b/t/data/part-00000.parquet"); ...
 *   sg_avro_file(&file, schema_json, meta, rec.p, rec.len, count, sync);
 *
 * Numbers are zig-zag varints; a string or bytes is its length then its
 * bytes; a union is its branch's index then the value; an array or a map is
 * one block of n items then 0. A container file is "Obj\1", its metadata
 * (a map of bytes: avro.schema, avro.codec and the caller's), a 16-byte
 * sync marker, then blocks of records, each deflated (codec "deflate",
 * raw RFC 1951) and followed by the marker. The schema is the caller's
 * text, kept as given: its Iceberg attributes (field-id, element-id) stay. */
#ifndef SPOTGEN_LAKE_AVRO_H
#define SPOTGEN_LAKE_AVRO_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "spotgen/base/buf.h"
#include "spotgen/base/err.h"

/*! sg_avro_long() : an int or a long: zig-zag, then a varint. */
void sg_avro_long(sg_buf *b, int64_t v);

/*! sg_avro_bytes() : bytes, or a string's UTF-8. */
void sg_avro_bytes(sg_buf *b, const void *p, size_t n);
void sg_avro_string(sg_buf *b, const char *s);

/*! sg_avro_boolean() : one byte, 0 or 1. */
void sg_avro_boolean(sg_buf *b, int v);

/*! sg_avro_branch() : the index of a union's branch (["null", T]: 0 null,
 *  1 a value that follows). */
void sg_avro_branch(sg_buf *b, int i);

/*! sg_avro_file() : a whole container file into *out: the header with
 *  schema `schema`, codec deflate and the caller's metadata `meta`
 *  (NULL-terminated pairs of key and value), then `count` records
 *  (`data`, `len` bytes, each record encoded back to back) in blocks of
 *  at most SG_AVRO_BLOCK bytes before compression, every block ending with
 *  `sync`. `lens` gives each record's length (count of them),
 *  so that a block holds whole records. Blocks are of Avro Java's size
 *  (the readers in the tests meet that size: hyparquet-compressors' raw
 *  inflate, icebird's, loses the end of a deflate block that inflates to
 *  more than 128 KiB, which a 1 MiB Avro block compressed by libdeflate has).
 *  @return : 0, or -1 when out of memory. */
#define SG_AVRO_BLOCK 64000 /* Avro Java's default sync interval: what readers meet */
int sg_avro_file(sg_buf *out, const char *schema, const char *const *meta, const unsigned char *data,
                 const uint32_t *lens, uint64_t count, const unsigned char sync[16]);

/* ---- reading ---------------------------------------------------------- */

/* A container file being read: its header's schema and metadata, then its
 * records one at a time, each decoded by the writer's schema into JSON
 * (a record an object, an array an array, a map an object, a union's
 * value itself or null, a number a number, a string a string, bytes and
 * fixed their hex digits). What it holds is bounded by its input: a block
 * inflates to at most SG_AVRO_BLOCK_MAX bytes. */
#define SG_AVRO_BLOCK_MAX (64u << 20)
typedef struct sg_avro_reader {
  const unsigned char *p, *end;  /* the file */
  cJSON *schema;                 /* the writer's */
  cJSON *meta;                   /* the header's metadata: key -> string */
  int deflate;                   /* codec */
  unsigned char sync[16];
  unsigned char *block;          /* the block being read, inflated */
  size_t block_len, block_cap, at;
  int64_t left;                  /* records left in it */
} sg_avro_reader;

/*! sg_avro_open() : reads the header of the container file at p (n bytes,
 *  which must outlive the reader). @return : SG_OK, or SG_EDATA naming
 *  what is wrong, for `what`. */
sg_err sg_avro_open(sg_avro_reader *r, const void *p, size_t n, const char *what);

/*! sg_avro_next() : the next record into *out (the caller's to free with
 *  cJSON_Delete), or *out NULL at the end. @return : SG_OK, or SG_EDATA. */
sg_err sg_avro_next(sg_avro_reader *r, cJSON **out, const char *what);

void sg_avro_close(sg_avro_reader *r);

#endif
