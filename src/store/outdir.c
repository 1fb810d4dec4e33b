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

/* Lists what is in `dir`: *ours counts spotgen's files, *first_foreign names
 * the first other one. @return : entries, or -1 with errno set. */
static int scan(const char *dir, int *ours, char *first_foreign, size_t cap)
{
  DIR *d = opendir(dir);
  if (!d)
    return -1;
  int n = 0;
  *ours = 0;
  first_foreign[0] = '\0';
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    n++;
    if (sg_layout_is_ours(e->d_name))
      (*ours)++;
    else if (!first_foreign[0])
      snprintf(first_foreign, cap, "%s", e->d_name);
  }
  closedir(d);
  return n;
}

/* A table's folder: its parts and temporary files (only the temporary
 * ones with `temporaries_only`), then the folder when it is empty. A file
 * spotgen did not write is left, and so is the folder. */
static sg_err remove_table(const char *folder, const char *table, int temporaries_only)
{
  DIR *d = opendir(folder);
  if (!d)
    return errno == ENOTDIR ? SG_OK : sg_seterr(SG_EUSAGE, "cannot read %s: %s", folder, strerror(errno));
  struct dirent *e;
  char name[PATH_MAX], path[PATH_MAX];
  sg_err err = SG_OK;
  while ((e = readdir(d)) != NULL) {
    int nn = snprintf(name, sizeof name, "%s/%s", table, e->d_name);
    if (nn < 0 || (size_t)nn >= sizeof name || !sg_layout_is_ours(name) ||
        (temporaries_only && e->d_name[0] != '.'))
      continue;
    int np = snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
    if (np < 0 || (size_t)np >= sizeof path)
      continue;
    if (unlink(path) != 0 && errno != ENOENT) {
      err = sg_seterr(SG_EUSAGE, "cannot remove %s: %s; check permissions of --out", path, strerror(errno));
      break;
    }
  }
  closedir(d);
  if (err == SG_OK && !temporaries_only)
    rmdir(folder); /* fails, and is left, when something else is in it */
  return err;
}

/* Removes _SUCCESS first (from then on the directory never looks complete),
 * then the dataset's other files, or with `temporaries_only` (a resume) only
 * the temporary files a killed run left. */
static sg_err remove_dataset(const char *dir, int temporaries_only)
{
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/_SUCCESS", dir);
  if (unlink(path) != 0 && errno != ENOENT)
    return sg_seterr(SG_EUSAGE, "cannot remove %s: %s; check permissions of --out", path, strerror(errno));
  DIR *d = opendir(dir);
  if (!d)
    return sg_seterr(SG_EUSAGE, "cannot read %s: %s", dir, strerror(errno));
  struct dirent *e;
  sg_err err = SG_OK;
  while ((e = readdir(d)) != NULL) {
    if (sg_layout_is_table(e->d_name)) { /* --tables: its folder's files, then the folder */
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      err = remove_table(path, e->d_name, temporaries_only);
      if (err != SG_OK)
        break;
      continue;
    }
    if (!sg_layout_is_ours(e->d_name) || (temporaries_only && e->d_name[0] != '.'))
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (unlink(path) != 0 && errno != ENOENT) {
      err = sg_seterr(SG_EUSAGE, "cannot remove %s: %s; check permissions of --out", path,
                      strerror(errno));
      break;
    }
  }
  closedir(d);
  return err;
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

sg_err sg_outdir_prepare(const char *dir, int overwrite, int resume)
{
  struct stat st;
  if (stat(dir, &st) == 0) {
    if (!S_ISDIR(st.st_mode))
      return sg_seterr(SG_EUSAGE, "--out %s exists and is not a directory; choose a directory path", dir);
    int ours;
    char foreign[256];
    int n = scan(dir, &ours, foreign, sizeof foreign);
    if (n < 0)
      return sg_seterr(SG_EUSAGE, "cannot read %s: %s; choose a readable --out", dir, strerror(errno));
    if (n > 0 && !overwrite && !resume)
      return sg_seterr(SG_EUSAGE,
                       "output directory %s is not empty; add --overwrite to replace the dataset in it, or choose another --out",
                       dir);
    if (n > ours)
      return sg_seterr(SG_EUSAGE,
                       "output directory %s holds files spotgen did not write (such as '%s'); choose an empty or new --out",
                       dir, foreign);
    sg_err e = probe_writable(dir, "--out");
    if (e != SG_OK)
      return e;
    if (resume) /* keep the parts to check them; not complete until the end */
      return remove_dataset(dir, 1);
    return n > 0 ? remove_dataset(dir, 0) : SG_OK;
  }
  if (errno != ENOENT)
    return sg_seterr(SG_EUSAGE, "cannot use --out %s: %s", dir, strerror(errno));
  if (sg_mkdir_p(dir) != 0)
    return sg_seterr(SG_EUSAGE, "cannot create output directory %s: %s; choose a writable --out", dir,
                     strerror(errno));
  return probe_writable(dir, "--out");
}

sg_err sg_outfile_prepare(const char *file, int overwrite)
{
  struct stat st;
  if (stat(file, &st) == 0) {
    if (S_ISDIR(st.st_mode))
      return sg_seterr(SG_EUSAGE, "--output %s is a directory; use --out %s for parts, or give a file name", file, file);
    if (!overwrite)
      return sg_seterr(SG_EUSAGE, "--output %s already exists; add --overwrite to replace it", file);
  }
  char parent[2048], name[PATH_MAX];
  if (sg_split_path(file, parent, sizeof parent, name, sizeof name) != 0)
    return sg_seterr(SG_EUSAGE, "--output path too long; choose a shorter one");
  if (stat(parent, &st) != 0) {
    if (sg_mkdir_p(parent) != 0)
      return sg_seterr(SG_EUSAGE, "cannot create directory %s: %s; choose a writable --output", parent,
                       strerror(errno));
  } else if (!S_ISDIR(st.st_mode)) {
    return sg_seterr(SG_EUSAGE, "%s is not a directory; choose another --output", parent);
  }
  return probe_writable(parent, "--output");
}
