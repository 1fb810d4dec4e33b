/* source.c - datasets in a directory or under an S3 prefix (source.h). */
#include "spotgen/store/source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spotgen/base/buf.h"
#include "spotgen/base/layout.h"
#include "spotgen/base/readfile.h"

struct sg_source {
  char where[1200];
  sg_s3 *s3;                 /* NULL for a directory */
  char bucket[64], prefix[1024];
};

struct sg_read_stream {
  sg_source *src;
  char key[1200];
  int fd[2];                 /* the pipe; fd[1] is the thread's */
  pthread_t thread;
  int threaded;
  sg_err result;
  char error[600];
};

sg_err sg_source_open(const char *where, const sg_s3_options *o, sg_source **out)
{
  *out = NULL;
  sg_source *s = calloc(1, sizeof *s);
  if (!s)
    return sg_seterr(SG_ENOMEM, "out of memory");
  snprintf(s->where, sizeof s->where, "%s", where);
  if (strncmp(where, "s3://", 5) == 0) {
    if (sg_s3_parse_url(where, s->bucket, sizeof s->bucket, s->prefix, sizeof s->prefix) != 0) {
      free(s);
      return sg_seterr(SG_EUSAGE, "'%s' is not an S3 location like s3://bucket/prefix", where);
    }
    sg_err e = sg_s3_new(o, &s->s3);
    if (e != SG_OK) {
      free(s);
      return e;
    }
    signal(SIGPIPE, SIG_IGN); /* a reader that stops early closes the pipe */
  } else {
    struct stat st;
    if (stat(where, &st) != 0 || !S_ISDIR(st.st_mode)) {
      free(s);
      return sg_seterr(SG_EUSAGE, "%s is not a directory; give the dataset's directory or s3:// location, e.g. spotgen verify data/spotify", where);
    }
  }
  *out = s;
  return SG_OK;
}

void sg_source_close(sg_source *s)
{
  if (!s)
    return;
  sg_s3_free(s->s3);
  free(s);
}

typedef struct text_buf {
  sg_buf b;
  size_t max;
} text_buf;

static size_t append(const void *data, size_t len, void *ctx)
{
  text_buf *t = ctx;
  if (t->b.len + len > t->max)
    return 0;
  sg_buf_put(&t->b, data, len);
  return t->b.failed ? 0 : len;
}

sg_err sg_source_read_text(sg_source *s, const char *name, size_t max, char **text)
{
  size_t len;
  return sg_source_read(s, name, max, text, &len);
}

sg_err sg_source_read(sg_source *s, const char *name, size_t max, char **text, size_t *len)
{
  *text = NULL;
  *len = 0;
  if (!s->s3) {
    char path[2400];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", s->where, name);
    if (lstat(path, &st) != 0 && errno == ENOENT)
      return sg_seterr(SG_EUSAGE, "%s has no %s", s->where, name);
    return sg_read_bytes(path, max, name, text, len);
  }
  char key[1200];
  sg_s3_key(s->prefix, name, key, sizeof key);
  text_buf t = {{0}, max};
  sg_err e = sg_s3_get(s->s3, s->bucket, key, append, &t);
  if (e != SG_OK) {
    sg_buf_free(&t.b);
    if (strstr(sg_errmsg(e), "NoSuchKey") || strstr(sg_errmsg(e), "HTTP 404"))
      return sg_seterr(SG_EUSAGE, "%s has no %s", s->where, name);
    return e;
  }
  sg_buf_put(&t.b, "", 0); /* an empty object is an empty string */
  if (t.b.failed) {
    sg_buf_free(&t.b);
    return sg_seterr(SG_ENOMEM, "out of memory");
  }
  *text = (char *)t.b.p;
  *len = t.b.len;
  return SG_OK;
}

static size_t to_pipe(const void *data, size_t len, void *ctx)
{
  sg_read_stream *st = ctx;
  const char *p = data;
  for (size_t left = len; left > 0;) {
    ssize_t w = write(st->fd[1], p, left);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return 0; /* the reader stopped */
    p += w;
    left -= (size_t)w;
  }
  return len;
}

static void *download(void *arg)
{
  sg_read_stream *st = arg;
  st->result = sg_s3_get(st->src->s3, st->src->bucket, st->key, to_pipe, st);
  if (st->result != SG_OK)
    snprintf(st->error, sizeof st->error, "%s", sg_errmsg(st->result));
  close(st->fd[1]);
  st->fd[1] = -1;
  return NULL;
}

sg_err sg_source_stream(sg_source *s, const char *name, sg_read_stream **out, int *fd)
{
  *out = NULL;
  sg_read_stream *st = calloc(1, sizeof *st);
  if (!st)
    return sg_seterr(SG_ENOMEM, "out of memory");
  st->src = s;
  st->fd[0] = st->fd[1] = -1;
  if (!s->s3) {
    char path[2400];
    snprintf(path, sizeof path, "%s/%s", s->where, name);
    sg_err e = sg_open_regular(path, "part", &st->fd[0], NULL); /* not a FIFO, not /dev/zero */
    if (e != SG_OK) {
      free(st);
      return e;
    }
  } else {
    sg_s3_key(s->prefix, name, st->key, sizeof st->key);
    sg_err e = SG_OK;
    if (pipe(st->fd) != 0) {
      e = sg_seterr(SG_EIO, "cannot start reading s3://%s/%s: %s", s->bucket, st->key, strerror(errno));
    } else if (pthread_create(&st->thread, NULL, download, st) != 0) {
      e = sg_seterr(SG_EIO, "cannot start reading s3://%s/%s", s->bucket, st->key);
      close(st->fd[0]);
      close(st->fd[1]);
    }
    if (e != SG_OK) {
      free(st);
      return e;
    }
    st->threaded = 1;
  }
  *fd = st->fd[0];
  *out = st;
  return SG_OK;
}

sg_err sg_source_stream_end(sg_read_stream *st)
{
  if (!st)
    return SG_OK;
  if (st->fd[0] >= 0)
    close(st->fd[0]); /* a download still running sees EPIPE and stops */
  sg_err e = SG_OK;
  if (st->threaded) {
    pthread_join(st->thread, NULL);
    if (st->result != SG_OK)
      e = sg_seterr(st->result, "%s", st->error);
  }
  free(st);
  return e;
}

typedef struct lister {
  int (*fn)(const char *name, void *ctx);
  void *ctx;
} lister;

static int relative(const char *name, uint64_t size, void *ctx)
{
  (void)size;
  lister *l = ctx;
  return l->fn(name, l->ctx);
}

/* A directory's entries; a table's folder (--tables) is listed as its
 * files, "tracks/part-00000.csv", as S3 lists them. */
/* Every file under dir/folder, in every folder below (not through
 * symbolic links), named relative to dir: "tracks/part-00000.csv",
 * "playlist_category=sleep/part-0.csv", as an S3 listing names the same
 * objects. `depth` bounds the descent. */
static sg_err list_dir(const char *dir, const char *folder, int depth, int (*fn)(const char *name, void *ctx),
                       void *ctx)
{
  char path[PATH_MAX], name[PATH_MAX];
  int pn = snprintf(path, sizeof path, "%s%s%s", dir, folder ? "/" : "", folder ? folder : "");
  if (pn < 0 || (size_t)pn >= sizeof path)
    return sg_seterr(SG_EIO, "cannot list %s/%s: the path is too long", dir, folder ? folder : "");
  DIR *d = opendir(path);
  if (!d)
    return sg_seterr(SG_EIO, "cannot list %s: %s", path, strerror(errno));
  struct dirent *e;
  struct stat st;
  sg_err err = SG_OK;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    int n = snprintf(name, sizeof name, "%s%s%s", folder ? folder : "", folder ? "/" : "", e->d_name);
    if (n < 0 || (size_t)n >= sizeof name)
      continue;
    int is_dir = e->d_type == DT_DIR ||
                 (e->d_type == DT_UNKNOWN && fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                  S_ISDIR(st.st_mode));
    if (is_dir && depth < SG_SOURCE_DEPTH) {
      if ((err = list_dir(dir, name, depth + 1, fn, ctx)) != SG_OK)
        break;
      continue;
    }
    if (fn(name, ctx))
      break;
  }
  closedir(d);
  return err;
}

sg_err sg_source_list(sg_source *s, int (*fn)(const char *name, void *ctx), void *ctx)
{
  if (s->s3) {
    lister l = {fn, ctx};
    return sg_s3_list(s->s3, s->bucket, s->prefix, relative, &l);
  }
  return list_dir(s->where, NULL, 0, fn, ctx);
}
