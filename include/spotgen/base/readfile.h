/* readfile.h - opening a file to read only when it is a file, and reading
 * a small text file whole (a config, a manifest). */
#ifndef SPOTGEN_READFILE_H
#define SPOTGEN_READFILE_H

#include <stddef.h>

#include "spotgen/base/err.h"

/*! sg_open_regular() :
 *  Opens `path` to read when it is a regular file (a symbolic link to one
 *  is followed), without blocking on a FIFO and without reading a device:
 *  a FIFO would hang the reader, /dev/zero never end. `what` names it in
 *  messages ("part", "--config"). `*size` (may be NULL) gets its size.
 *  @return : SG_OK and *fd; SG_EUSAGE, one line saying what it is instead
 *            (a directory, a FIFO, a device) or why it cannot be opened. */
sg_err sg_open_regular(const char *path, const char *what, int *fd, size_t *size);

/*! sg_read_text() :
 *  Reads `path` (a regular file of at most `max` bytes) into a
 *  NUL-terminated malloc'ed buffer `*out` that the caller frees. `what`
 *  names the file in messages ("--config", "manifest").
 *  @return : SG_OK, SG_EUSAGE when the file cannot be read, is not a
 *            regular file or is too large (each said as such), or SG_ENOMEM. */
sg_err sg_read_text(const char *path, size_t max, const char *what, char **out);

/*! sg_read_bytes() : the same, for bytes (an Avro file): *len gets how many
 *  (the NUL after them is not counted). */
sg_err sg_read_bytes(const char *path, size_t max, const char *what, char **out, size_t *len);

#endif
