/* sink_file.c - objects as files in a local directory.
 *
 * Each object is written to a temporary ".<key>.<pid>.tmp" (layout.h;
 * hidden: Spark, Hive and Athena skip names starting with '.' or '_'),
 * fsynced, renamed to <key>, and the directory fsynced, so a visible part is
 * always a complete part. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spotgen/base/layout.h"
#include "spotgen/store/lock.h"
#include "spotgen/store/outdir.h"
#include "spotgen/base/signals.h"
#include "spotgen/store/sink.h"

typedef struct file_sink {
  char dir[PATH_MAX];
  char final[PATH_MAX];
  char tmp[PATH_MAX];
  int fd;
  int slot;
} file_sink;

static sg_err io_error(const char *what, const char *path)
{
  int e = errno;
  const char *hint = e == ENOSPC ? "; free some space or choose another --out"
                   : e == EACCES || e == EROFS ? "; choose a writable --out"
                   : "";
  return sg_seterr(SG_EIO, "cannot %s %s: %s%s", what, path, strerror(e), hint);
}

/* The path of object `name` in the directory. @return : 0, or -1 when it
 * does not fit in `out`. */
static int path_of(const file_sink *f, const char *name, char *out, size_t cap)
{
  int n = snprintf(out, cap, "%s/%s", f->dir, name);
  return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static sg_err file_open(sg_sink *s, const char *key)
{
  file_sink *f = s->impl;
  if (path_of(f, key, f->final, sizeof f->final) != 0 ||
      sg_layout_tmp(f->tmp, sizeof f->tmp, f->dir, key) != 0)
    return sg_seterr(SG_EUSAGE, "output path too long: %s/%s; choose a shorter --out", f->dir, key);
  /* a table's and partitions' folders, made by the first part written there */
  for (const char *slash = strchr(key, '/'); slash; slash = strchr(slash + 1, '/')) {
    char folder[PATH_MAX];
    int n = snprintf(folder, sizeof folder, "%s/%.*s", f->dir, (int)(slash - key), key);
    if (n < 0 || (size_t)n >= sizeof folder)
      return sg_seterr(SG_EUSAGE, "output path too long: %s/%s; choose a shorter --out", f->dir, key);
    if (mkdir(folder, 0755) != 0 && errno != EEXIST)
      return io_error("create directory", folder);
  }
  f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (f->fd < 0)
    return io_error("create", f->tmp);
  f->slot = sg_tmpfile_register(f->tmp);
  return SG_OK;
}

static sg_err file_write(sg_sink *s, const void *data, size_t len)
{
  file_sink *f = s->impl;
  const char *p = data;
  while (len > 0) {
    ssize_t w = write(f->fd, p, len);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      return io_error("write", f->final);
    }
    p += w;
    len -= (size_t)w;
  }
  return SG_OK;
}

static sg_err fsync_dir(const char *dir)
{
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return io_error("open directory", dir);
  int rc = fsync(fd);
  close(fd);
  return rc == 0 || errno == EINVAL ? SG_OK : io_error("sync directory", dir);
}

static sg_err file_commit(sg_sink *s)
{
  file_sink *f = s->impl;
  if (fsync(f->fd) != 0)
    return io_error("sync", f->final);
  int rc = close(f->fd);
  f->fd = -1;
  if (rc != 0)
    return io_error("close", f->final);
  if (rename(f->tmp, f->final) != 0)
    return io_error("rename into place", f->final);
  sg_tmpfile_forget(f->slot);
  f->slot = -1;
  f->tmp[0] = '\0';
  /* the rename is durable once the folder it was made in is synced */
  char folder[PATH_MAX];
  snprintf(folder, sizeof folder, "%.*s", (int)(strrchr(f->final, '/') - f->final), f->final);
  return fsync_dir(folder);
}

static void file_abort(sg_sink *s)
{
  file_sink *f = s->impl;
  if (f->fd >= 0)
    close(f->fd);
  f->fd = -1;
  if (f->tmp[0])
    unlink(f->tmp);
  f->tmp[0] = '\0';
  sg_tmpfile_forget(f->slot);
  f->slot = -1;
}

static void file_destroy(sg_sink *s)
{
  free(s->impl);
  free(s);
}

/* The directory is made if missing and checked (outdir.c). */
static sg_err file_prepare(sg_sink *s, int overwrite, int resume, const sg_owned *owned, sg_runlock *lock)
{
  file_sink *f = s->impl;
  return sg_outdir_prepare(f->dir, overwrite, resume, owned, s, lock);
}

/* ---- the run's lock: a file made with O_EXCL, replaced by rename ---- */

/* A lock file's version: its inode and change time (a rename puts a new
 * inode in place). @return : 0, 1 (no such file), -1 (message set). */
static int lock_version(const char *path, int fd, char *version, size_t vcap)
{
  struct stat st;
  if ((fd >= 0 ? fstat(fd, &st) : lstat(path, &st)) != 0) {
    if (errno == ENOENT)
      return 1;
    sg_seterr(SG_EIO, "cannot read %s: %s", path, strerror(errno));
    return -1;
  }
  snprintf(version, vcap, "%llu:%lld.%09ld", (unsigned long long)st.st_ino, (long long)st.st_ctim.tv_sec,
           (long)st.st_ctim.tv_nsec);
  return 0;
}

/* Writes `text` to a new file at `path` (O_EXCL: it must not exist). */
static int write_new(const char *path, const char *text, char *version, size_t vcap)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST)
    return 1;
  size_t len = strlen(text);
  int ok = fd >= 0 && write(fd, text, len) == (ssize_t)len && fsync(fd) == 0 &&
           lock_version(path, fd, version, vcap) == 0;
  if (!ok)
    sg_seterr(SG_EIO, "cannot write %s: %s", path, strerror(errno));
  if (fd >= 0)
    close(fd);
  if (!ok && fd >= 0)
    unlink(path);
  return ok ? 0 : -1;
}

static int file_lock_create(sg_sink *s, const char *name, const char *text, char *version, size_t vcap)
{
  char path[PATH_MAX];
  if (path_of(s->impl, name, path, sizeof path) != 0) {
    sg_seterr(SG_EUSAGE, "output path too long: %s; choose a shorter --out", name);
    return -1;
  }
  int rc = write_new(path, text, version, vcap);
  return rc == 0 && fsync_dir(((file_sink *)s->impl)->dir) != SG_OK ? -1 : rc;
}

static int file_lock_read(sg_sink *s, const char *name, char *text, size_t cap, char *version, size_t vcap)
{
  char path[PATH_MAX];
  if (path_of(s->impl, name, path, sizeof path) != 0)
    return 1;
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT)
    return 1;
  if (fd < 0) {
    sg_seterr(SG_EIO, "cannot read %s: %s", path, strerror(errno));
    return -1;
  }
  ssize_t n = read(fd, text, cap - 1);
  int rc = n < 0 ? -1 : lock_version(path, fd, version, vcap);
  if (n < 0)
    sg_seterr(SG_EIO, "cannot read %s: %s", path, strerror(errno));
  text[n > 0 ? n : 0] = '\0';
  close(fd);
  return rc;
}

static int file_lock_replace(sg_sink *s, const char *name, const char *text, const char *version, char *now,
                             size_t vcap)
{
  file_sink *f = s->impl;
  char path[PATH_MAX], tmp[PATH_MAX], was[96];
  if (path_of(f, name, path, sizeof path) != 0 || sg_layout_tmp(tmp, sizeof tmp, f->dir, name) != 0)
    return 1;
  int rc = lock_version(path, -1, was, sizeof was);
  if (rc != 0 || strcmp(was, version) != 0)
    return rc < 0 ? -1 : 1;
  unlink(tmp);
  if ((rc = write_new(tmp, text, now, vcap)) != 0)
    return -1;
  if (rename(tmp, path) != 0) {
    sg_seterr(SG_EIO, "cannot replace %s: %s", path, strerror(errno));
    unlink(tmp);
    return -1;
  }
  return lock_version(path, -1, now, vcap) == 0 ? 0 : -1;
}

static void file_lock_remove(sg_sink *s, const char *name, const char *version)
{
  char path[PATH_MAX], was[96];
  if (path_of(s->impl, name, path, sizeof path) == 0 && lock_version(path, -1, was, sizeof was) == 0 &&
      strcmp(was, version) == 0)
    unlink(path);
}

/* A directory not made yet (prepare makes it) holds nothing. */
static sg_err file_list(sg_sink *s, sg_sink_list_fn fn, void *ctx)
{
  file_sink *f = s->impl;
  DIR *d = opendir(f->dir);
  if (!d)
    return errno == ENOENT ? SG_OK : io_error("list", f->dir);
  struct dirent *e;
  struct stat st;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    uint64_t size = fstatat(dirfd(d), e->d_name, &st, 0) == 0 ? (uint64_t)st.st_size : 0;
    if (fn(e->d_name, size, ctx))
      break;
  }
  closedir(d);
  return SG_OK;
}

/* A file has no ETag: its size and the CRC-32 of its content, read whole. */
static sg_err file_stat(sg_sink *s, const char *name, sg_object_info *info)
{
  file_sink *f = s->impl;
  char path[PATH_MAX];
  if (path_of(f, name, path, sizeof path) != 0)
    return sg_seterr(SG_EUSAGE, "output path too long: %s/%s; choose a shorter --out", f->dir, name);
  if (sg_file_crc32(path, &info->size, &info->crc32) != 0)
    return sg_seterr(SG_EIO, "cannot read %s: %s", path, strerror(errno));
  return SG_OK;
}

static sg_err file_remove(sg_sink *s, const char *name)
{
  file_sink *f = s->impl;
  char path[PATH_MAX];
  if (path_of(f, name, path, sizeof path) != 0)
    return sg_seterr(SG_EUSAGE, "output path too long: %s/%s; choose a shorter --out", f->dir, name);
  if (unlink(path) != 0 && errno != ENOENT)
    return sg_seterr(SG_EIO, "cannot remove %s: %s", path, strerror(errno));
  return SG_OK;
}

static const sg_sink_ops FILE_OPS = {
  .name = "file",
  .checksums = 1,
  .keeps = 1,
  .prepare = file_prepare,
  .open = file_open,
  .write = file_write,
  .commit = file_commit,
  .abort = file_abort,
  .list = file_list,
  .stat = file_stat,
  .remove = file_remove,
  .destroy = file_destroy,
  .lock_create = file_lock_create,
  .lock_read = file_lock_read,
  .lock_replace = file_lock_replace,
  .lock_remove = file_lock_remove,
};

sg_sink *sg_sink_file(const char *dir)
{
  sg_sink *s = calloc(1, sizeof *s);
  file_sink *f = calloc(1, sizeof *f);
  if (!s || !f || strlen(dir) >= sizeof f->dir) {
    free(s);
    free(f);
    return NULL;
  }
  strcpy(f->dir, dir);
  f->fd = -1;
  f->slot = -1;
  s->ops = &FILE_OPS;
  s->impl = f;
  return s;
}
