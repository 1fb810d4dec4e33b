/* readfile.c - see readfile.h. */
#include "spotgen/base/readfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sg_err sg_read_text(const char *path, size_t max, const char *what, char **out)
{
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f)
    return sg_seterr(SG_EUSAGE, "%s %s: cannot read it: %s", what, path, strerror(errno));
  char *buf = malloc(max + 1);
  if (!buf) {
    fclose(f);
    return sg_seterr(SG_ENOMEM, "out of memory reading %s", path);
  }
  size_t n = fread(buf, 1, max + 1, f);
  int failed = ferror(f);
  fclose(f);
  if (failed || n > max) {
    free(buf);
    return failed ? sg_seterr(SG_EUSAGE, "%s %s: cannot read it", what, path)
                  : sg_seterr(SG_EUSAGE, "%s %s: larger than %zu bytes; is it the right file?",
                              what, path, max);
  }
  buf[n] = '\0';
  *out = buf;
  return SG_OK;
}
