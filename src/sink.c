/* sink.c - the generic layer over the sink backends (see sink.h). */
#include "spotgen/sink.h"

#include <zlib.h>

#include "spotgen/signals.h"

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
  s->crc32 = (uint32_t)crc32(0L, Z_NULL, 0);
  sg_err e = outcome(s->ops->open(s, key));
  s->is_open = e == SG_OK;
  return e;
}

sg_err sg_sink_write(sg_sink *s, const void *data, size_t len)
{
  if (s->ops->checksums) {
    /* zlib's crc32 takes a uInt length: feed it in pieces below 4 GiB. */
    const unsigned char *p = data;
    for (size_t left = len; left > 0;) {
      uInt n = left > (1u << 30) ? (1u << 30) : (uInt)left;
      s->crc32 = (uint32_t)crc32(s->crc32, p, n);
      p += n;
      left -= n;
    }
  }
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
