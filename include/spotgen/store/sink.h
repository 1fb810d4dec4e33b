/* sink.h - where a dataset is stored: one interface, one file per backend.
 *
 * A backend (a directory, S3, or null: which keeps nothing) has a whole
 * life behind this interface, so nothing above it knows which one it has:
 *   sg_sink_for_url(url)                 picks and makes the backend
 *   prepare(overwrite, resume)           rank 0, before anything is written
 *   open(key) -> write(bytes)... -> commit()   the object becomes visible
 *                               -> abort()    nothing is left behind
 *   list(), stat(name), remove(name)     what --resume keeps, and cleanup
 * A local object is written under a hidden temporary name, fsynced and
 * renamed on commit; an aborted one is removed. The generic layer (sink.c)
 * counts bytes and computes the CRC-32 of every object as it is written. */
#ifndef SPOTGEN_SINK_H
#define SPOTGEN_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"

typedef struct sg_sink sg_sink;
struct sg_runlock;

/* What a backend can say of an object it stores. */
typedef struct sg_object_info {
  uint64_t size;
  char etag[80];  /* S3's ETag, or "" where the store has none */
  uint32_t crc32; /* the content's CRC-32, where the store has no ETag */
} sg_object_info;

/* Called by list() for each object: its name relative to the location and
 * its size; returns non-zero to stop. */
typedef int (*sg_sink_list_fn)(const char *name, uint64_t size, void *ctx);

/* What --overwrite may remove at a location: spotgen's fixed files
 * (_SUCCESS, _manifest.json, _report.html, journals), the temporary files
 * of its writes, and the objects the previous run's manifest or journals
 * list, by name ("part-00003.csv", "tracks/part-00001.parquet"). A file
 * named like a part that no record lists is a user's, and is never removed. */
typedef struct sg_owned {
  char **name;  /* sorted by sg_owned_sort */
  size_t n, cap;
} sg_owned;

/*! sg_owned_add() : adds `name`. @return : 0, or -1 when out of memory. */
int sg_owned_add(sg_owned *o, const char *name);

/*! sg_owned_sort() : sorts the names, once all are added. */
void sg_owned_sort(sg_owned *o);

/*! sg_owned_may_remove() : whether `name` may be removed (see above);
 *  `o` may be NULL (no record: the fixed files and temporaries only). */
int sg_owned_may_remove(const sg_owned *o, const char *name);

void sg_owned_free(sg_owned *o);

typedef struct sg_sink_ops {
  const char *name;
  int checksums;  /* compute CRC-32 of what is written */
  int keeps;      /* what is committed is stored (not null:): a dataset, a manifest, a journal */
  int multipart;  /* objects go up in parts of the configured part size (S3) */
  sg_err (*prepare)(sg_sink *s, int overwrite, int resume, const sg_owned *owned, struct sg_runlock *lock);
  sg_err (*open)(sg_sink *s, const char *key);
  sg_err (*write)(sg_sink *s, const void *data, size_t len);
  sg_err (*commit)(sg_sink *s);
  void (*abort)(sg_sink *s);
  sg_err (*list)(sg_sink *s, sg_sink_list_fn fn, void *ctx);
  sg_err (*stat)(sg_sink *s, const char *name, sg_object_info *info);
  sg_err (*remove)(sg_sink *s, const char *name);
  void (*destroy)(sg_sink *s);
  /* The run's lock (lock.h), NULL where nothing is kept (null:). A
   * version is what tells one writing of the lock from another (a local
   * file's inode and change time, an S3 ETag). Each returns 0, 1 (create:
   * it exists; read: it does not; replace: it is not `version` any more),
   * or -1 with the message set. */
  int (*lock_create)(sg_sink *s, const char *name, const char *text, char *version, size_t vcap);
  int (*lock_read)(sg_sink *s, const char *name, char *text, size_t cap, char *version, size_t vcap);
  int (*lock_replace)(sg_sink *s, const char *name, const char *text, const char *version, char *now,
                      size_t vcap);
  void (*lock_remove)(sg_sink *s, const char *name, const char *version);
} sg_sink_ops;

struct sg_sink {
  const sg_sink_ops *ops;
  void *impl;
  uint64_t bytes;   /* of the open object so far */
  uint32_t crc32;   /* of the open object so far (zlib's CRC-32) */
  int is_open;
  char etag[80];    /* of the last object committed, when the backend has one (S3) */
};

struct sg_s3_options;


/* What the backends need beyond the URL. */
typedef struct sg_sink_config {
  const struct sg_s3_options *s3; /* S3: the client's options */
  size_t part_size;               /* S3: multipart part size */
  int inflight;                   /* S3: parts uploading at once */
} sg_sink_config;

/*! sg_sink_for_url() : the backend for `url`: "null:" keeps nothing,
 *  "s3://bucket/prefix" is S3, anything else a local directory (made by
 *  prepare). Nothing is read or written yet.
 *  @return : SG_OK and *out; SG_EUSAGE (bad URL, path too long, no
 *            credentials) or SG_ENOMEM with the message set. */
sg_err sg_sink_for_url(const char *url, const sg_sink_config *c, sg_sink **out);

/*! sg_sink_file() : a sink writing objects as files under directory `dir`,
 *  which must exist (--output FILE's segments). @return : NULL when out of
 *  memory or `dir` is too long. */
sg_sink *sg_sink_file(const char *dir);

/*! sg_sink_null() : a sink that discards everything (benchmarks). */
sg_sink *sg_sink_null(void);

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

/*! sg_sink_prepare() :
 *  Checks the location before anything is written (run once, by rank 0): a
 *  location holding anything is refused, unless `overwrite`, which removes
 *  the previous dataset (_SUCCESS first), or `resume`, which removes only
 *  _SUCCESS (and, on S3, aborts the uploads a killed run left). With
 *  `overwrite`, every object there must be one `owned` says may go (see
 *  sg_owned), and a regular file: otherwise nothing is removed and the
 *  message names the first that may not. With `resume`, objects not named
 *  like spotgen's are refused. A directory is made if missing. First of
 *  all `lock` is taken (lock.h; NULL: none), and released again when
 *  prepare refuses.
 *  @return : SG_OK, or SG_EUSAGE with the message set. */
sg_err sg_sink_prepare(sg_sink *s, int overwrite, int resume, const sg_owned *owned, struct sg_runlock *lock);

/*! sg_sink_list() : calls `fn` for every object at the location; one
 *  that does not exist yet holds none (SG_OK). */
sg_err sg_sink_list(sg_sink *s, sg_sink_list_fn fn, void *ctx);

/*! sg_sink_stat() : the size and ETag or CRC-32 of object `name`. */
sg_err sg_sink_stat(sg_sink *s, const char *name, sg_object_info *info);

/*! sg_sink_remove() : removes object `name`; one that is not there is fine. */
sg_err sg_sink_remove(sg_sink *s, const char *name);

/*! sg_sink_keeps() : whether committed objects are stored (not null:). */
int sg_sink_keeps(const sg_sink *s);

/*! sg_sink_multipart() : whether objects go up in parts of the part size. */
int sg_sink_multipart(const sg_sink *s);

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
