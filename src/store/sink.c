/* sink.c - the generic layer over the sink backends (see sink.h). */
#include "spotgen/store/sink.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>

#include "spotgen/base/layout.h"
#include "spotgen/base/signals.h"

/* A backend's failure after a signal is the signal's: the handler removes
 * the temporary file being written, so a rename or write may fail first. */
static sg_err outcome(sg_err e)
{
  sg_err sig = e == SG_OK || e == SG_ESIGNAL ? SG_OK : sg_signal_error();
  return sig != SG_OK ? sig : e;
}

sg_err sg_sink_open(sg_sink *s, const char *key)
{
  s->bytes = 0;
  s->etag[0] = '\0';
  s->crc32 = 0;
  sg_err e = outcome(s->ops->open(s, key));
  s->is_open = e == SG_OK;
  return e;
}

sg_err sg_sink_write(sg_sink *s, const void *data, size_t len)
{
  if (len == 0) /* libdeflate_crc32(crc, NULL, 0) is the initial CRC, not crc */
    return SG_OK;
  if (s->ops->checksums)
    s->crc32 = libdeflate_crc32(s->crc32, data, len); /* zlib's CRC-32, with PCLMUL */
  s->bytes += len;
  return outcome(s->ops->write(s, data, len));
}

sg_err sg_sink_commit(sg_sink *s)
{
  sg_err e = outcome(s->ops->commit(s));
  if (e != SG_OK)
    s->ops->abort(s);
  s->is_open = 0;
  return e;
}

void sg_sink_abort(sg_sink *s)
{
  if (s->is_open)
    s->ops->abort(s);
  s->is_open = 0;
}

void sg_sink_destroy(sg_sink *s)
{
  if (!s)
    return;
  sg_sink_abort(s);
  s->ops->destroy(s);
}

sg_err sg_sink_for_url(const char *url, const sg_sink_config *c, sg_sink **out)
{
  *out = NULL;
  if (strncmp(url, "s3://", 5) == 0)
    return sg_sink_s3(url, c->s3, c->part_size, c->inflight, out);
  *out = strcmp(url, "null:") == 0 ? sg_sink_null() : sg_sink_file(url);
  if (*out)
    return SG_OK;
  if (strlen(url) >= PATH_MAX) /* sg_sink_file's limit */
    return sg_seterr(SG_EUSAGE, "output path too long (%zu bytes); choose a shorter one", strlen(url));
  return sg_seterr(SG_ENOMEM, "out of memory");
}

sg_err sg_sink_prepare(sg_sink *s, int overwrite, int resume, const sg_owned *owned, struct sg_runlock *lock)
{
  return s->ops->prepare(s, overwrite, resume, owned, lock);
}

int sg_owned_add(sg_owned *o, const char *name)
{
  if (o->n == o->cap) {
    size_t cap = o->cap ? 2 * o->cap : 64;
    char **p = realloc(o->name, cap * sizeof *p);
    if (!p)
      return -1;
    o->name = p;
    o->cap = cap;
  }
  if (!(o->name[o->n] = strdup(name)))
    return -1;
  o->n++;
  return 0;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void sg_owned_sort(sg_owned *o)
{
  if (o->n)
    qsort(o->name, o->n, sizeof *o->name, by_name);
}

int sg_owned_may_remove(const sg_owned *o, const char *name)
{
  const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
  if (strcmp(name, SG_LAYOUT_SUCCESS) == 0 || strcmp(name, SG_LAYOUT_MANIFEST) == 0 ||
      strcmp(name, SG_LAYOUT_REPORT) == 0 || sg_layout_is_journal(name) || sg_layout_is_table_metadata(name))
    return 1; /* spotgen's fixed files (an Iceberg table's metadata are named by it alone) */
  size_t n = strlen(base);
  if (base[0] == '.' && n > 4 && strcmp(base + n - 4, ".tmp") == 0 && sg_layout_is_ours(name))
    return 1; /* a temporary file of spotgen's writes */
  return o && o->n && bsearch(&name, o->name, o->n, sizeof *o->name, by_name) != NULL;
}

void sg_owned_free(sg_owned *o)
{
  for (size_t i = 0; i < o->n; i++)
    free(o->name[i]);
  free(o->name);
  memset(o, 0, sizeof *o);
}

sg_err sg_sink_stat(sg_sink *s, const char *name, sg_object_info *info)
{
  memset(info, 0, sizeof *info);
  return s->ops->stat(s, name, info);
}

sg_err sg_sink_list(sg_sink *s, sg_sink_list_fn fn, void *ctx)
{
  return outcome(s->ops->list(s, fn, ctx));
}

sg_err sg_sink_remove(sg_sink *s, const char *name) { return s->ops->remove(s, name); }

int sg_sink_keeps(const sg_sink *s) { return s->ops->keeps; }

int sg_sink_multipart(const sg_sink *s) { return s->ops->multipart; }
