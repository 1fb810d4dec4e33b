/* format.h - rows -> bytes, handed to a sink in large blocks.
 *
 * A format is one struct of functions per file (format_csv.c, ...), chosen by
 * name. It owns an output buffer of SG_FORMAT_BUFFER bytes and writes to the
 * sink only when the buffer is nearly full, so the sink sees big blocks. */
#ifndef SPOTGEN_FORMAT_H
#define SPOTGEN_FORMAT_H

#include <stddef.h>

#include "spotgen/err.h"
#include "spotgen/row.h"
#include "spotgen/sink.h"

#define SG_FORMAT_BUFFER (4u << 20)

typedef struct sg_format sg_format;

typedef struct sg_format_ops {
  const char *name;       /* as given to --format */
  const char *extension;  /* of part files, with the dot */
  sg_err (*begin)(sg_format *f, int header);
  sg_err (*rows)(sg_format *f, const sg_row *rows, size_t n);
  sg_err (*end)(sg_format *f);
} sg_format_ops;

struct sg_format {
  const sg_format_ops *ops;
  sg_sink *sink;
  char *buf;
  size_t len;
};

/*! sg_format_find() : the format called `name`, or NULL. */
const sg_format_ops *sg_format_find(const char *name);

/*! sg_format_names() : the accepted names, for messages ("csv"). */
const char *sg_format_names(void);

/*! sg_format_create() : a format writing to `sink`. @return : NULL when out of memory. */
sg_format *sg_format_create(const sg_format_ops *ops, sg_sink *sink);
void sg_format_destroy(sg_format *f);

/*! sg_format_flush() : hands the buffered bytes to the sink. */
sg_err sg_format_flush(sg_format *f);

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

extern const sg_format_ops sg_format_csv;

#endif
