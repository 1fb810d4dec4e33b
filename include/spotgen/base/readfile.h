/* readfile.h - reading a small text file whole (a config, a manifest). */
#ifndef SPOTGEN_READFILE_H
#define SPOTGEN_READFILE_H

#include <stddef.h>

#include "spotgen/base/err.h"

/*! sg_read_text() :
 *  Reads `path` (at most `max` bytes) into a NUL-terminated malloc'ed buffer
 *  `*out` that the caller frees. `what` names the file in messages
 *  ("--config", "manifest").
 *  @return : SG_OK, SG_EUSAGE when the file cannot be read or is too large,
 *            or SG_ENOMEM. */
sg_err sg_read_text(const char *path, size_t max, const char *what, char **out);

#endif
