/* sink_null.c - discards everything: generation speed without storage. */
#include <stdlib.h>

#include "spotgen/store/sink.h"

static sg_err null_open(sg_sink *s, const char *key) { (void)s; (void)key; return SG_OK; }
static sg_err null_write(sg_sink *s, const void *d, size_t n) { (void)s; (void)d; (void)n; return SG_OK; }
static sg_err null_commit(sg_sink *s) { (void)s; return SG_OK; }
static void null_abort(sg_sink *s) { (void)s; }
static void null_destroy(sg_sink *s) { free(s); }
static sg_err null_prepare(sg_sink *s, int overwrite, int resume, const sg_owned *owned, struct sg_runlock *lock)
{
  (void)s, (void)overwrite, (void)resume, (void)owned, (void)lock;
  return SG_OK;
}
static sg_err null_stat(sg_sink *s, const char *name, sg_object_info *info)
{
  (void)s, (void)info;
  return sg_seterr(SG_EIO, "null: keeps nothing, so it has no %s", name);
}
static sg_err null_list(sg_sink *s, sg_sink_list_fn fn, void *ctx)
{
  (void)s, (void)fn, (void)ctx;
  return SG_OK; /* holds nothing */
}
static sg_err null_remove(sg_sink *s, const char *name) { (void)s, (void)name; return SG_OK; }

static const sg_sink_ops NULL_OPS = {
  .name = "null",
  .checksums = 0,
  .keeps = 0,
  .prepare = null_prepare,
  .open = null_open,
  .write = null_write,
  .commit = null_commit,
  .abort = null_abort,
  .list = null_list,
  .stat = null_stat,
  .remove = null_remove,
  .destroy = null_destroy,
};

sg_sink *sg_sink_null(void)
{
  sg_sink *s = calloc(1, sizeof *s);
  if (s)
    s->ops = &NULL_OPS;
  return s;
}
