/* sink.h - where bytes go: one small interface, one file per backend.
 *
 * A sink writes objects (parts) one at a time:
 *   open(key) -> write(bytes)... -> commit()   the object becomes visible
 *                               -> abort()    nothing is left behind
 * A local object is written under a hidden temporary name, fsynced and
 * renamed on commit; an aborted one is removed. The generic layer (sink.c)
 * counts bytes and computes the CRC-32 of every object as it is written. */
#ifndef SPOTGEN_SINK_H
#define SPOTGEN_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/err.h"

typedef struct sg_sink sg_sink;

typedef struct sg_sink_ops {
  const char *name;
  int checksums;  /* compute CRC-32 of what is written */
  sg_err (*open)(sg_sink *s, const char *key);
  sg_err (*write)(sg_sink *s, const void *data, size_t len);
  sg_err (*commit)(sg_sink *s);
  void (*abort)(sg_sink *s);
  void (*destroy)(sg_sink *s);
} sg_sink_ops;

struct sg_sink {
  const sg_sink_ops *ops;
  void *impl;
  uint64_t bytes;   /* of the open object so far */
  uint32_t crc32;   /* of the open object so far (zlib's CRC-32) */
  int is_open;
  char etag[80];    /* of the last object committed, when the backend has one (S3) */
};

/*! sg_sink_file() : a sink writing objects as files under directory `dir`,
 *  which must exist. @return : NULL when out of memory. */
sg_sink *sg_sink_file(const char *dir);

/*! sg_sink_null() : a sink that discards everything (benchmarks). */
sg_sink *sg_sink_null(void);

struct sg_s3_options;

/*! sg_sink_s3() :
 *  A sink writing objects under `url` (s3://bucket/prefix): an object
 *  smaller than `part_size` goes up with one PutObject, a larger one as a
 *  multipart upload of `part_size` parts with up to `inflight` of them
 *  uploading while the next is filled; each part carries its Content-MD5,
 *  and the object's ETag is checked against the MD5 of the parts' MD5s.
 *  Aborting aborts the multipart upload. Memory: at most
 *  part_size x (inflight + 1) bytes of buffers.
 *  @return : SG_OK and *out, or SG_EUSAGE (bad URL, no credentials). */
sg_err sg_sink_s3(const char *url, const struct sg_s3_options *o, size_t part_size, int inflight,
                  sg_sink **out);

/*! sg_sink_s3_prepare() :
 *  Checks the prefix before anything is written: refused when it holds
 *  objects, unless `overwrite`, which deletes the previous dataset
 *  (_SUCCESS first), or `resume`, which deletes only _SUCCESS; both refuse
 *  objects spotgen did not write. */
sg_err sg_sink_s3_prepare(sg_sink *s, int overwrite, int resume);

/*! sg_sink_s3_stat() : size and ETag of object `name` under the prefix. */
sg_err sg_sink_s3_stat(sg_sink *s, const char *name, uint64_t *size, char etag[80]);

/*! sg_sink_s3_remove() : deletes object `name` under the prefix. */
sg_err sg_sink_s3_remove(sg_sink *s, const char *name);

/*! sg_sink_open() : starts object `key` (a file name relative to the sink). */
sg_err sg_sink_open(sg_sink *s, const char *key);

/*! sg_sink_write() : appends `len` bytes to the open object. */
sg_err sg_sink_write(sg_sink *s, const void *data, size_t len);

/*! sg_sink_commit() : makes the open object visible under its key, durably. */
sg_err sg_sink_commit(sg_sink *s);

/*! sg_sink_abort() : drops the open object, if any; never fails. */
void sg_sink_abort(sg_sink *s);

/*! sg_sink_destroy() : aborts what is open and frees the sink. NULL is fine. */
void sg_sink_destroy(sg_sink *s);

#endif
