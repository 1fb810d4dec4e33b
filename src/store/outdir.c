/* outdir.c - output location checks (see outdir.h). */
#include "spotgen/store/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>

#include "spotgen/base/layout.h"
#include "spotgen/store/lock.h"
#include "spotgen/store/sink.h"

int sg_split_path(const char *path, char *dir, size_t dircap, char *base, size_t basecap)
{
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  size_t dlen = !slash ? 1 : slash == path ? 1 : (size_t)(slash - path);
  if (strlen(name) >= basecap || dlen >= dircap)
    return -1;
  strcpy(base, name);
  if (!slash)
    strcpy(dir, ".");
  else if (slash == path)
    strcpy(dir, "/");
  else
    snprintf(dir, dircap, "%.*s", (int)dlen, path);
  return 0;
}

int sg_mkdir_p(const char *path)
{
  char buf[PATH_MAX];
  if (strlen(path) >= sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  strcpy(buf, path);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
      return -1;
    *p = '/';
  }
  if (mkdir(buf, 0755) != 0 && errno != EEXIST)
    return -1;
  return 0;
}

static sg_err probe_writable(const char *dir, const char *flag)
{
  char probe[PATH_MAX];
  sg_layout_tmp(probe, sizeof probe, dir, "spotgen-probe");
  int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return sg_seterr(SG_EUSAGE, "cannot write to %s: %s; choose a writable %s", dir,
                     strerror(errno), flag);
  close(fd);
  unlink(probe);
  return SG_OK;
}

/* Calls fn(name, path, regular, ctx) for each entry of `dir` and, in
 * spotgen's folders (--tables' and _dirty at the top; partitions' at the top
 * or in a table's, and in each other), for each of theirs (name
 * "tracks/part-00000.csv", "release_year=2001/part-00000.csv"), after the
 * folder's own. Stops when fn returns non-zero. @return : 0, the non-zero
 * fn returned, or -1 (errno set). */
typedef int (*entry_fn)(const char *name, const char *path, int regular, void *ctx);

/* Whether a walk goes into folder `name` at `depth` (0: the top). */
static int ours_below(const char *name, int depth) { return sg_layout_is_folder(name, depth); }

static int walk_at(const char *dir, const char *folder, int depth, entry_fn fn, void *ctx)
{
  DIR *d = opendir(dir);
  if (!d)
    return -1;
  struct dirent *e;
  struct stat st;
  int rc = 0;
  while (rc == 0 && (e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    char name[PATH_MAX], path[PATH_MAX];
    int nn = snprintf(name, sizeof name, "%s%s%s", folder ? folder : "", folder ? "/" : "", e->d_name);
    int np = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (nn < 0 || (size_t)nn >= sizeof name || np < 0 || (size_t)np >= sizeof path) {
      errno = ENAMETOOLONG;
      rc = -1;
      break;
    }
    int regular = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
    if (S_ISDIR(st.st_mode) && ours_below(e->d_name, depth)) {
      rc = walk_at(path, name, depth + 1, fn, ctx);
      continue;
    }
    rc = fn(name, path, regular, ctx);
  }
  closedir(d);
  return rc;
}

static int walk(const char *dir, entry_fn fn, void *ctx) { return walk_at(dir, NULL, 0, fn, ctx); }

/* Removes the folders a walk goes into that are empty once their files are
 * gone, deepest first (one that holds something else fails, and is left). */
static void prune(const char *dir, int depth)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  char path[PATH_MAX];
  while (d && (e = readdir(d)) != NULL)
    if (ours_below(e->d_name, depth) && snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path) {
      prune(path, depth + 1);
      rmdir(path);
    }
  if (d)
    closedir(d);
}

/* What a walk found: the entries, and the first that may not be removed. */
typedef struct census {
  int n;
  int overwrite;         /* what may go is what `owned` says; else (--resume) spotgen's names */
  const sg_owned *owned;
  char bad[PATH_MAX];
  const char *why;
} census;

static int count(const char *name, const char *path, int regular, void *ctx)
{
  (void)path;
  census *c = ctx;
  if (strcmp(name, SG_LAYOUT_LOCK) == 0) /* this run's own */
    return 0;
  c->n++;
  if (c->bad[0])
    return 0;
  if (!regular)
    c->why = "is not a regular file";
  else if (c->overwrite ? !sg_owned_may_remove(c->owned, name) : !sg_layout_is_ours(name))
    c->why = c->overwrite ? "no manifest or journal of spotgen there lists" : "spotgen did not write";
  else
    return 0;
  snprintf(c->bad, sizeof c->bad, "%s", name);
  return 0;
}

/* Removes what a walk passes: every file, or with `temporaries` only the
 * temporary ones a killed run left. */
static int removal(const char *name, const char *path, int regular, void *ctx)
{
  const int *temporaries = ctx;
  const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
  if (!regular || (*temporaries && base[0] != '.') || strcmp(name, SG_LAYOUT_SUCCESS) == 0 ||
      strcmp(name, SG_LAYOUT_LOCK) == 0)
    return 0;
  if (unlink(path) != 0 && errno != ENOENT) {
    sg_seterr(SG_EUSAGE, "cannot remove %s: %s; check permissions of --out", path, strerror(errno));
    return 1;
  }
  return 0;
}

/* Removes _SUCCESS first (from then on the directory never looks complete),
 * then the dataset's other files and its emptied table folders, or with
 * `temporaries` (a resume) only the temporary files a killed run left. */
static sg_err remove_dataset(const char *dir, int temporaries)
{
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/_SUCCESS", dir);
  if (unlink(path) != 0 && errno != ENOENT)
    return sg_seterr(SG_EUSAGE, "cannot remove %s: %s; check permissions of --out", path, strerror(errno));
  int rc = walk(dir, removal, &temporaries);
  if (rc > 0)
    return SG_EUSAGE;
  if (rc < 0)
    return sg_seterr(SG_EUSAGE, "cannot read %s: %s", dir, strerror(errno));
  if (!temporaries)
    prune(dir, 0);
  return SG_OK;
}

int sg_file_crc32(const char *path, uint64_t *size, uint32_t *crc)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  static unsigned char buf[1 << 20];
  uint32_t c = 0;
  uint64_t n = 0;
  ssize_t got;
  while ((got = read(fd, buf, sizeof buf)) > 0 || (got < 0 && errno == EINTR)) {
    if (got < 0)
      continue;
    c = libdeflate_crc32(c, buf, (size_t)got);
    n += (uint64_t)got;
  }
  close(fd);
  *size = n;
  *crc = (uint32_t)c;
  return got < 0 ? -1 : 0;
}

/* The checks and removals of an existing `dir` (found writable), under the
 * run's lock. */
static sg_err prepare_existing(const char *dir, int overwrite, int resume, const sg_owned *owned)
{
  census c = {0, overwrite, owned, "", NULL};
  if (walk(dir, count, &c) < 0)
    return sg_seterr(SG_EUSAGE, "cannot read %s: %s; choose a readable --out", dir, strerror(errno));
  if (c.n > 0 && !overwrite && !resume)
    return sg_seterr(SG_EUSAGE,
                     "output directory %s is not empty; add --overwrite to replace the dataset in it, or choose another --out",
                     dir);
  if (c.bad[0] && overwrite) /* checked whole before anything goes: nothing is half deleted */
    return sg_seterr(SG_EUSAGE, "--out %s holds %s, which %s; --overwrite removes only what a spotgen "
                     "dataset's manifest or journals list: move it, or choose another --out", dir, c.bad, c.why);
  if (c.bad[0])
    return sg_seterr(SG_EUSAGE,
                     "output directory %s holds files spotgen did not write (such as '%s'); choose an empty or new --out",
                     dir, c.bad);
  if (resume) /* keep the parts to check them; not complete until the end */
    return remove_dataset(dir, 1);
  return c.n > 0 ? remove_dataset(dir, 0) : SG_OK;
}

sg_err sg_outdir_prepare(const char *dir, int overwrite, int resume, const sg_owned *owned, sg_sink *sink,
                         sg_runlock *lock)
{
  struct stat st;
  int made = 0;
  if (stat(dir, &st) != 0) {
    if (errno != ENOENT)
      return sg_seterr(SG_EUSAGE, "cannot use --out %s: %s", dir, strerror(errno));
    if (sg_mkdir_p(dir) != 0)
      return sg_seterr(SG_EUSAGE, "cannot create output directory %s: %s; choose a writable --out", dir,
                       strerror(errno));
    made = 1;
  } else if (!S_ISDIR(st.st_mode)) {
    return sg_seterr(SG_EUSAGE, "--out %s exists and is not a directory; choose a directory path", dir);
  }
  sg_err e = probe_writable(dir, "--out");
  if (e == SG_OK && lock)
    e = sg_lock_take(sink, lock);
  if (e == SG_OK && !made)
    e = prepare_existing(dir, overwrite, resume, owned);
  if (e != SG_OK && lock)
    sg_lock_release(sink, lock);
  if (e != SG_OK && made)
    rmdir(dir); /* made here and still empty: nothing is left */
  return e;
}

int sg_outfile_is_stream(const char *path)
{
  return strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0 || strcmp(path, "/dev/fd/1") == 0;
}

/* What a file of mode `m` is, for a message. */
static const char *file_kind(mode_t m)
{
  return S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device" : S_ISFIFO(m) ? "a FIFO"
       : S_ISSOCK(m) ? "a socket" : S_ISLNK(m) ? "a symbolic link" : "not a regular file";
}

/* A new file's permissions: 0644 less the umask, as a part's (open's
 * mode is masked; a file made whole and renamed into place is fchmod'ed). */
static unsigned new_file_mode(void)
{
  mode_t mask = umask(022);
  umask(mask);
  return 0644u & ~(unsigned)mask;
}

sg_err sg_outfile_check(const char *path, const char *flag, int replace, sg_outfile *out)
{
  struct stat st;
  *out = (sg_outfile){sg_outfile_is_stream(path), 0, new_file_mode()};
  if (out->stream)
    return SG_OK;
  if (lstat(path, &st) != 0)
    return errno == ENOENT ? SG_OK : sg_seterr(SG_EUSAGE, "cannot use %s %s: %s", flag, path, strerror(errno));
  if (S_ISDIR(st.st_mode))
    return sg_seterr(SG_EUSAGE, "%s %s is a directory; give a file name in it", flag, path);
  if (!S_ISREG(st.st_mode))
    return sg_seterr(SG_EUSAGE, "%s %s is %s, which writing a file would replace; give a regular file's path, "
                     "or - for standard output%s", flag, path, file_kind(st.st_mode),
                     strcmp(flag, "--output") == 0 ? " (to discard the data: --out null:)" : "");
  if (!replace)
    return sg_seterr(SG_EUSAGE, "%s %s already exists; add --overwrite to replace it", flag, path);
  out->exists = 1;
  out->mode = (unsigned)(st.st_mode & 07777);
  return SG_OK;
}

/* Removes the segments (".NAME.seg-NNNNN", and their temporaries
 * "..NAME.seg-NNNNN.<pid>.tmp") a killed run writing NAME in `dir` left. */
static void remove_segments(const char *dir, const char *name)
{
  DIR *d = opendir(dir);
  if (!d)
    return;
  char prefix[300], path[PATH_MAX];
  if (snprintf(prefix, sizeof prefix, ".%.280s.seg-", name) >= (int)sizeof prefix) {
    closedir(d);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if ((strncmp(e->d_name, prefix, strlen(prefix)) == 0 ||
         (e->d_name[0] == '.' && strncmp(e->d_name + 1, prefix, strlen(prefix)) == 0)) &&
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path)
      unlink(path);
  closedir(d);
}

sg_err sg_outfile_prepare(const char *file, int overwrite, sg_outfile *out, sg_sink *segments, sg_runlock *lock)
{
  sg_err e = sg_outfile_check(file, "--output", overwrite, out);
  if (e != SG_OK)
    return e;
  struct stat st;
  char parent[2048], name[PATH_MAX];
  if (out->stream)
    snprintf(parent, sizeof parent, ".");
  else if (sg_split_path(file, parent, sizeof parent, name, sizeof name) != 0)
    return sg_seterr(SG_EUSAGE, "--output path too long; choose a shorter one");
  if (stat(parent, &st) != 0) {
    if (sg_mkdir_p(parent) != 0)
      return sg_seterr(SG_EUSAGE, "cannot create directory %s: %s; choose a writable --output", parent,
                       strerror(errno));
  } else if (!S_ISDIR(st.st_mode)) {
    return sg_seterr(SG_EUSAGE, "%s is not a directory; choose another --output", parent);
  }
  e = probe_writable(parent, out->stream ? "working directory (the ranks' segments of --output - are kept there)"
                                         : "--output");
  if (e == SG_OK && lock) /* a live run's segments are its own */
    e = sg_lock_take(segments, lock);
  if (e == SG_OK)
    remove_segments(parent, out->stream ? SG_OUTPUT_STREAM_NAME : name);
  return e;
}

sg_err sg_outfile_write(const char *path, const char *flag, const void *data, size_t len, int replace)
{
  sg_outfile out;
  sg_err e = sg_outfile_check(path, flag, replace, &out);
  if (e != SG_OK)
    return e;
  if (out.stream)
    return fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0
               ? SG_OK
               : sg_seterr(SG_EIO, "cannot write to standard output: %s", strerror(errno));
  /* a temporary beside it: hidden, and known to generate as a leftover */
  char dir[PATH_MAX], base[256], tmp[PATH_MAX + 300];
  if (sg_split_path(path, dir, sizeof dir, base, sizeof base) != 0 || !base[0])
    return sg_seterr(SG_EUSAGE, "%s %.60s: not a file name I can write to; choose another %s", flag, path, flag);
  sg_layout_tmp(tmp, sizeof tmp, dir, base);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)out.mode);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
  if (!f) {
    int err = errno;
    if (fd >= 0)
      close(fd);
    return sg_seterr(SG_EUSAGE, "cannot write %s: %s; choose another %s", path, strerror(err), flag);
  }
  int ok = fchmod(fd, (mode_t)out.mode) == 0 && fwrite(data, 1, len, f) == len;
  ok = (fclose(f) == 0) && ok;
  if (!ok || rename(tmp, path) != 0) {
    int err = errno;
    unlink(tmp);
    return sg_seterr(SG_EIO, "cannot write %s: %s", path, strerror(err));
  }
  return SG_OK;
}
