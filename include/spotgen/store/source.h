/* source.h - where verify reads a dataset from: a local directory or an S3
 * prefix, behind one small interface. An object is read as a stream of
 * bytes from a file descriptor: a file, or the read end of a pipe that a
 * thread fills from an S3 GET, so memory stays small whatever the size. */
#ifndef SPOTGEN_SOURCE_H
#define SPOTGEN_SOURCE_H

#include <stddef.h>

#include "spotgen/base/err.h"
#include "spotgen/s3/s3.h"

typedef struct sg_source sg_source;
typedef struct sg_read_stream sg_read_stream;

/*! sg_source_open() : `where` is a directory or s3://bucket/prefix.
 *  @return : SG_OK, or SG_EUSAGE naming what is wrong. */
sg_err sg_source_open(const char *where, const sg_s3_options *o, sg_source **out);
void sg_source_close(sg_source *s);

/*! sg_source_read_text() : object `name` whole (at most `max` bytes),
 *  NUL-terminated, malloc'ed. @return : SG_OK, SG_EUSAGE when it is missing. */
sg_err sg_source_read_text(sg_source *s, const char *name, size_t max, char **text);

/*! sg_source_read() : the same for bytes: *len gets how many (the NUL
 *  after them not counted). */
sg_err sg_source_read(sg_source *s, const char *name, size_t max, char **text, size_t *len);

/*! sg_source_stream() : starts reading object `name`; *fd gives its bytes. */
sg_err sg_source_stream(sg_source *s, const char *name, sg_read_stream **st, int *fd);

/*! sg_source_stream_end() : stops reading (the caller has read what it wants
 *  from fd) and says whether the whole object could be read. */
sg_err sg_source_stream_end(sg_read_stream *st);

/*! sg_source_list() : calls `fn` with every object's name under the dataset
 *  (relative: "part-00000.csv", "_SUCCESS", "sub/x"): on S3 every key under
 *  the prefix; locally every file in every folder below, to
 *  SG_SOURCE_DEPTH levels, so a directory and a prefix of the same files
 *  list the same names. */
#define SG_SOURCE_DEPTH 16
sg_err sg_source_list(sg_source *s, int (*fn)(const char *name, void *ctx), void *ctx);

#endif
