/* format.c - the format registry and the shared output buffer. */
#include <stdlib.h>
#include <string.h>

#include "spotgen/format.h"

static const sg_format_ops *const FORMATS[] = {&sg_format_csv};

const sg_format_ops *sg_format_find(const char *name)
{
  for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++)
    if (strcmp(FORMATS[i]->name, name) == 0)
      return FORMATS[i];
  return NULL;
}

const char *sg_format_names(void)
{
  static char names[128];
  if (!names[0])
    for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++) {
      if (i)
        strcat(names, ", ");
      strcat(names, FORMATS[i]->name);
    }
  return names;
}

sg_format *sg_format_create(const sg_format_ops *ops, sg_sink *sink)
{
  sg_format *f = calloc(1, sizeof *f);
  if (!f)
    return NULL;
  f->buf = malloc(SG_FORMAT_BUFFER);
  if (!f->buf) {
    free(f);
    return NULL;
  }
  f->ops = ops;
  f->sink = sink;
  return f;
}

void sg_format_destroy(sg_format *f)
{
  if (!f)
    return;
  free(f->buf);
  free(f);
}

sg_err sg_format_flush(sg_format *f)
{
  sg_err e = f->len ? sg_sink_write(f->sink, f->buf, f->len) : SG_OK;
  f->len = 0;
  return e;
}
