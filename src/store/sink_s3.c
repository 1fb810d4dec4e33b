/* sink_s3.c - objects in S3: PutObject for small ones, streaming multipart
 * uploads for the rest (see sg_sink_s3 in sink.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/base/layout.h"
#include "spotgen/s3/s3.h"
#include "spotgen/store/lock.h"
#include "spotgen/store/sink.h"

#define MAX_INFLIGHT 64

typedef struct s3_sink {
  sg_s3 *s3;
  char url[1200];
  char bucket[64], prefix[1024];
  char key[1200];                 /* of the open object */
  size_t part_size;
  int nbuf;                       /* parts in flight + the one being filled */
  unsigned char *buf[MAX_INFLIGHT + 1];
  sg_s3_part slot[MAX_INFLIGHT + 1];
  int busy[MAX_INFLIGHT + 1];
  int cur;
  size_t fill;
  int multipart;
  char upload_id[512];
  int parts;                      /* parts started so far */
  sg_s3_sent *done;               /* by part number - 1 */
  int done_cap;
} s3_sink;

static sg_err s3_open(sg_sink *s, const char *name)
{
  s3_sink *f = s->impl;
  sg_s3_key(f->prefix, name, f->key, sizeof f->key);
  f->fill = 0;
  f->multipart = 0;
  f->parts = 0;
  f->cur = 0;
  if (!f->buf[0] && !(f->buf[0] = malloc(f->part_size)))
    return sg_seterr(SG_ENOMEM, "out of memory for a %zu-byte S3 part buffer", f->part_size);
  return SG_OK;
}

/* Records the parts that finished. @return : the first failure, if any. */
static sg_err reap(s3_sink *f)
{
  sg_err e = SG_OK;
  for (int i = 0; i < f->nbuf; i++) {
    sg_s3_part *p = &f->slot[i];
    if (!f->busy[i] || !p->done)
      continue;
    f->busy[i] = 0;
    if (p->result != SG_OK) {
      if (!e)
        e = sg_seterr(p->result, "%s", p->error);
      continue;
    }
    f->done[p->number - 1] = p->sent;
  }
  return e;
}

static int busy_count(const s3_sink *f)
{
  int n = 0;
  for (int i = 0; i < f->nbuf; i++)
    n += f->busy[i];
  return n;
}

/* Sends the buffer being filled as the next part. */
static sg_err send_part(s3_sink *f)
{
  sg_err e;
  if (!f->multipart) {
    e = sg_s3_create_upload(f->s3, f->bucket, f->key, f->upload_id, sizeof f->upload_id);
    if (e != SG_OK)
      return e;
    f->multipart = 1;
  }
  if (f->parts == SG_S3_MAX_PARTS)
    return sg_seterr(SG_EUSAGE,
                     "s3://%s/%s would need more than %d parts of %zu MiB; give a larger "
                     "--part-size or fewer --rows-per-part",
                     f->bucket, f->key, SG_S3_MAX_PARTS, f->part_size >> 20);
  if (f->parts == f->done_cap) {
    int cap = f->done_cap ? f->done_cap * 2 : 64;
    sg_s3_sent *d = realloc(f->done, (size_t)cap * sizeof *d);
    if (!d)
      return sg_seterr(SG_ENOMEM, "out of memory");
    f->done = d;
    f->done_cap = cap;
  }
  sg_s3_part *p = &f->slot[f->cur];
  memset(p, 0, sizeof *p);
  p->number = ++f->parts;
  p->data = f->buf[f->cur];
  p->len = f->fill;
  e = sg_s3_part_start(f->s3, f->bucket, f->key, f->upload_id, p);
  if (e != SG_OK)
    return e;
  f->busy[f->cur] = 1;
  f->fill = 0;
  return SG_OK;
}

/* Waits until a buffer is free and makes it the one being filled. */
static sg_err next_buffer(s3_sink *f)
{
  for (;;) {
    sg_err e = reap(f);
    if (e != SG_OK)
      return e;
    for (int i = 0; i < f->nbuf; i++)
      if (!f->busy[i]) {
        if (!f->buf[i] && !(f->buf[i] = malloc(f->part_size)))
          return sg_seterr(SG_ENOMEM, "out of memory for a %zu-byte S3 part buffer", f->part_size);
        f->cur = i;
        return SG_OK;
      }
    if ((e = sg_s3_wait(f->s3, 1.0)) != SG_OK)
      return e;
  }
}

static sg_err s3_write(sg_sink *s, const void *data, size_t len)
{
  s3_sink *f = s->impl;
  const unsigned char *p = data;
  while (len > 0) {
    size_t n = f->part_size - f->fill < len ? f->part_size - f->fill : len;
    memcpy(f->buf[f->cur] + f->fill, p, n);
    f->fill += n;
    p += n;
    len -= n;
    if (f->fill == f->part_size) {
      sg_err e = send_part(f);
      if (e == SG_OK)
        e = next_buffer(f);
      if (e != SG_OK)
        return e;
    }
  }
  /* Keep the uploads in flight moving while rows are generated. */
  sg_err e = busy_count(f) ? sg_s3_wait(f->s3, 0) : SG_OK;
  return e == SG_OK ? reap(f) : e;
}

static sg_err s3_commit(sg_sink *s)
{
  s3_sink *f = s->impl;
  sg_err e;
  if (!f->multipart)
    return sg_s3_put(f->s3, f->bucket, f->key, f->buf[f->cur], f->fill, s->etag);
  if (f->fill > 0 && (e = send_part(f)) != SG_OK)
    return e;
  while (busy_count(f)) {
    if ((e = sg_s3_wait(f->s3, 1.0)) != SG_OK || (e = reap(f)) != SG_OK)
      return e;
  }
  char want[SG_ETAG_CAP];
  sg_s3_multipart_etag(f->done, f->parts, want);
  int of_md5s = 1;
  e = sg_s3_complete_upload(f->s3, f->bucket, f->key, f->upload_id, f->done, f->parts, s->etag, &of_md5s);
  if (e != SG_OK)
    return e;
  f->multipart = 0; /* complete: nothing to abort any more */
  if (of_md5s && strcmp(want, s->etag) != 0) {
    sg_s3_delete(f->s3, f->bucket, f->key);
    return sg_seterr(SG_EIO, "s3://%s/%s: S3 reports ETag %s, but the parts sent give %s; the object was deleted",
                     f->bucket, f->key, s->etag, want);
  }
  return SG_OK;
}

static void s3_abort(sg_sink *s)
{
  s3_sink *f = s->impl;
  for (int i = 0; i < f->nbuf; i++)
    if (f->busy[i]) {
      sg_s3_part_cancel(f->s3, &f->slot[i]);
      f->busy[i] = 0;
    }
  if (f->multipart && sg_s3_abort_upload(f->s3, f->bucket, f->key, f->upload_id) != SG_OK)
    fprintf(stderr, "spotgen: could not abort the multipart upload of s3://%s/%s (%s); a bucket "
                    "lifecycle rule AbortIncompleteMultipartUpload removes it\n",
            f->bucket, f->key, sg_errmsg(SG_EIO));
  f->multipart = 0;
  f->fill = 0;
}

static void s3_destroy(sg_sink *s)
{
  s3_sink *f = s->impl;
  for (int i = 0; i <= MAX_INFLIGHT; i++)
    free(f->buf[i]);
  free(f->done);
  sg_s3_free(f->s3);
  free(f);
  free(s);
}

static const sg_sink_ops S3_OPS;

sg_err sg_sink_s3(const char *url, const struct sg_s3_options *o, size_t part_size, int inflight,
                  sg_sink **out)
{
  *out = NULL;
  sg_sink *s = calloc(1, sizeof *s);
  s3_sink *f = calloc(1, sizeof *f);
  if (!s || !f) {
    free(s);
    free(f);
    return sg_seterr(SG_ENOMEM, "out of memory");
  }
  if (sg_s3_parse_url(url, f->bucket, sizeof f->bucket, f->prefix, sizeof f->prefix) != 0) {
    free(s);
    free(f);
    return sg_seterr(SG_EUSAGE, "'%s' is not an S3 location like s3://bucket/prefix", url);
  }
  sg_err e = sg_s3_new(o, &f->s3);
  if (e != SG_OK) {
    free(s);
    free(f);
    return e;
  }
  snprintf(f->url, sizeof f->url, "%s", url);
  f->part_size = part_size;
  f->nbuf = (inflight < 1 ? 1 : inflight > MAX_INFLIGHT ? MAX_INFLIGHT : inflight) + 1;
  s->ops = &S3_OPS;
  s->impl = f;
  *out = s;
  return SG_OK;
}

/* ---- the prefix before a run ------------------------------------------ */

typedef struct listing {
  s3_sink *f;
  char (*keys)[1200];
  int n, cap;
  char foreign[1200];
  int overwrite;           /* what may go is what `owned` says; else spotgen's names */
  const sg_owned *owned;
} listing;

static int collect(const char *name, uint64_t size, void *ctx)
{
  (void)size;
  listing *l = ctx;
  char key[1200];
  if (strcmp(name, SG_LAYOUT_LOCK) == 0) /* this run's own */
    return 0;
  sg_s3_key(l->f->prefix, name, key, sizeof key);
  if (l->overwrite ? !sg_owned_may_remove(l->owned, name) : !sg_layout_is_ours(name)) {
    if (!l->foreign[0])
      snprintf(l->foreign, sizeof l->foreign, "%s", key);
    return 0;
  }
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 64;
    void *k = realloc(l->keys, (size_t)cap * sizeof *l->keys);
    if (!k)
      return 1;
    l->keys = k;
    l->cap = cap;
  }
  snprintf(l->keys[l->n++], sizeof l->keys[0], "%s", key);
  return 0;
}

static sg_err s3_list(sg_sink *s, sg_sink_list_fn fn, void *ctx)
{
  s3_sink *f = s->impl;
  return sg_s3_list(f->s3, f->bucket, f->prefix, fn, ctx);
}

static sg_err s3_stat(sg_sink *s, const char *name, sg_object_info *info)
{
  s3_sink *f = s->impl;
  char key[1200];
  sg_s3_key(f->prefix, name, key, sizeof key);
  return sg_s3_head(f->s3, f->bucket, key, &info->size, info->etag);
}

static sg_err s3_remove(sg_sink *s, const char *name)
{
  s3_sink *f = s->impl;
  char key[1200];
  sg_s3_key(f->prefix, name, key, sizeof key);
  return sg_s3_delete(f->s3, f->bucket, key);
}

/* An upload that a killed run left incomplete: aborted (S3 would keep its
 * parts, and bill them, until the bucket's lifecycle rule runs). */
typedef struct stale {
  s3_sink *f;
  sg_err e;
  int n;
} stale;

static int abort_stale(const char *key, const char *upload_id, void *ctx)
{
  stale *st = ctx;
  const char *name = strrchr(key, '/') ? strrchr(key, '/') + 1 : key;
  if (!sg_layout_is_ours(name))
    return 0;
  st->e = sg_s3_abort_upload(st->f->s3, st->f->bucket, key, upload_id);
  st->n += st->e == SG_OK;
  return st->e != SG_OK;
}

static sg_err prepare_locked(sg_sink *s, int overwrite, int resume, const sg_owned *owned);

/* The run's lock first (lock.h), then the checks and removals under it. */
static sg_err s3_prepare(sg_sink *s, int overwrite, int resume, const sg_owned *owned, sg_runlock *lock)
{
  sg_err e = lock ? sg_lock_take(s, lock) : SG_OK;
  if (e == SG_OK)
    e = prepare_locked(s, overwrite, resume, owned);
  if (e != SG_OK && lock)
    sg_lock_release(s, lock);
  return e;
}

static sg_err prepare_locked(sg_sink *s, int overwrite, int resume, const sg_owned *owned)
{
  s3_sink *f = s->impl;
  listing l = {f, NULL, 0, 0, "", overwrite, owned};
  sg_err e = sg_s3_list(f->s3, f->bucket, f->prefix, collect, &l);
  char why[1024];
  if (e != SG_OK) {
    free(l.keys);
    snprintf(why, sizeof why, "%s", sg_errmsg(e));
    return sg_seterr(e == SG_ESIGNAL ? e : SG_EUSAGE, "cannot list %s: %s", f->url, why);
  }
  if ((l.n || l.foreign[0]) && !overwrite && !resume) {
    free(l.keys);
    return sg_seterr(SG_EUSAGE, "%s already holds objects; add --overwrite to replace the dataset there, or choose another --out", f->url);
  }
  if (l.foreign[0]) { /* checked whole before anything goes: nothing is half deleted */
    free(l.keys);
    if (overwrite)
      return sg_seterr(SG_EUSAGE, "%s holds s3://%s/%s, which no manifest or journal of spotgen there lists; "
                       "--overwrite removes only what a spotgen dataset's manifest or journals list: move it, or "
                       "choose another --out", f->url, f->bucket, l.foreign);
    return sg_seterr(SG_EUSAGE, "%s holds s3://%s/%s, which spotgen did not write; --resume only continues a spotgen dataset: choose another --out", f->url, f->bucket, l.foreign);
  }
  /* _SUCCESS first, so readers never see a half-deleted dataset as
   * complete; a resume keeps the rest to check it part by part. */
  for (int pass = 0; pass < (resume ? 1 : 2) && e == SG_OK; pass++)
    for (int i = 0; i < l.n && e == SG_OK; i++) {
      const char *name = strrchr(l.keys[i], '/') ? strrchr(l.keys[i], '/') + 1 : l.keys[i];
      if ((strcmp(name, SG_LAYOUT_SUCCESS) == 0) == (pass == 0))
        e = sg_s3_delete(f->s3, f->bucket, l.keys[i]);
    }
  free(l.keys);
  stale st = {f, SG_OK, 0};
  if (e == SG_OK && (overwrite || resume)) {
    e = sg_s3_list_uploads(f->s3, f->bucket, f->prefix, abort_stale, &st);
    e = e == SG_OK ? st.e : e;
  }
  if (e != SG_OK) {
    snprintf(why, sizeof why, "%s", sg_errmsg(e));
    return sg_seterr(SG_EUSAGE, "cannot replace the dataset at %s: %s", f->url, why);
  }
  if (st.n)
    fprintf(stderr, "spotgen: aborted %d incomplete multipart upload%s left under %s by an earlier run\n",
            st.n, st.n == 1 ? "" : "s", f->url);
  return SG_OK;
}

/* ---- the run's lock: conditional writes (If-None-Match, If-Match) ---- */

/* Writes the lock if it is not there (`if_match` NULL) or is still version
 * `if_match`; its new version into `now`. @return : 0, 1 refused, -1. */
static int put_lock(sg_sink *s, const char *name, const char *text, const char *if_match, char *now, size_t vcap)
{
  s3_sink *f = s->impl;
  char key[1200], etag[SG_ETAG_CAP];
  int refused = 0;
  sg_s3_key(f->prefix, name, key, sizeof key);
  if (sg_s3_put_if(f->s3, f->bucket, key, text, strlen(text), if_match, etag, &refused) != SG_OK)
    return -1;
  if (!refused)
    snprintf(now, vcap, "%s", etag);
  return refused;
}

static int s3_lock_create(sg_sink *s, const char *name, const char *text, char *version, size_t vcap)
{
  return put_lock(s, name, text, NULL, version, vcap);
}

/* Appends what a GetObject streams, up to the buffer's room. */
typedef struct textbuf {
  char *p;
  size_t len, cap;
} textbuf;

static size_t into_text(const void *data, size_t len, void *ctx)
{
  textbuf *t = ctx;
  size_t n = len < t->cap - 1 - t->len ? len : t->cap - 1 - t->len;
  memcpy(t->p + t->len, data, n);
  t->len += n;
  return len;
}

/* The lock object's key and ETag (HeadObject). @return : 0, 1 (no such
 * object), -1 (the message says why). */
static int lock_head(s3_sink *f, const char *name, char key[1200], char etag[SG_ETAG_CAP])
{
  uint64_t size;
  sg_s3_key(f->prefix, name, key, 1200);
  if (sg_s3_head(f->s3, f->bucket, key, &size, etag) == SG_OK)
    return 0;
  return sg_s3_last_status(f->s3) == 404 ? 1 : -1;
}

static int s3_lock_read(sg_sink *s, const char *name, char *text, size_t cap, char *version, size_t vcap)
{
  s3_sink *f = s->impl;
  char key[1200], etag[SG_ETAG_CAP];
  int rc = lock_head(f, name, key, etag);
  if (rc != 0)
    return rc;
  textbuf t = {text, 0, cap};
  if (sg_s3_get(f->s3, f->bucket, key, into_text, &t) != SG_OK)
    return sg_s3_last_status(f->s3) == 404 ? 1 : -1;
  text[t.len] = '\0';
  snprintf(version, vcap, "%s", etag);
  return 0;
}

static int s3_lock_replace(sg_sink *s, const char *name, const char *text, const char *version, char *now,
                           size_t vcap)
{
  return put_lock(s, name, text, version, now, vcap);
}

static void s3_lock_remove(sg_sink *s, const char *name, const char *version)
{
  s3_sink *f = s->impl;
  char key[1200], etag[SG_ETAG_CAP];
  if (lock_head(f, name, key, etag) == 0 && strcmp(etag, version) == 0)
    sg_s3_delete(f->s3, f->bucket, key);
}

static const sg_sink_ops S3_OPS = {
  .name = "s3",
  .checksums = 1,
  .keeps = 1,
  .multipart = 1,
  .prepare = s3_prepare,
  .open = s3_open,
  .write = s3_write,
  .commit = s3_commit,
  .abort = s3_abort,
  .list = s3_list,
  .stat = s3_stat,
  .remove = s3_remove,
  .destroy = s3_destroy,
  .lock_create = s3_lock_create,
  .lock_read = s3_lock_read,
  .lock_replace = s3_lock_replace,
  .lock_remove = s3_lock_remove,
};
