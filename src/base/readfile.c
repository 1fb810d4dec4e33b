/* readfile.c - see readfile.h. */
#include "spotgen/base/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

sg_err sg_open_regular(const char *path, const char *what, int *fd, size_t *size)
{
  *fd = -1;
  int f = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (f < 0)
    return sg_seterr(SG_EUSAGE, "%s %s: cannot read it: %s", what, path, strerror(errno));
  struct stat st;
  if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
    int err = errno;
    close(f);
    if (S_ISDIR(st.st_mode))
      return sg_seterr(SG_EUSAGE, "%s %s is a directory, not a file", what, path);
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISSOCK(st.st_mode))
      return sg_seterr(SG_EUSAGE, "%s %s is %s, not a regular file; it is not read", what, path,
                       S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket" : "a device");
    return sg_seterr(SG_EUSAGE, "%s %s: cannot read it: %s", what, path, strerror(err));
  }
  int flags = fcntl(f, F_GETFL);
  if (flags >= 0)
    fcntl(f, F_SETFL, flags & ~O_NONBLOCK);
  *fd = f;
  if (size)
    *size = (size_t)st.st_size;
  return SG_OK;
}

sg_err sg_read_text(const char *path, size_t max, const char *what, char **out)
{
  size_t len;
  return sg_read_bytes(path, max, what, out, &len);
}

sg_err sg_read_bytes(const char *path, size_t max, const char *what, char **out, size_t *len)
{
  *out = NULL;
  *len = 0;
  int fd;
  size_t size;
  sg_err e = sg_open_regular(path, what, &fd, &size);
  if (e != SG_OK)
    return e;
  if (size > max) {
    close(fd);
    return sg_seterr(SG_EUSAGE, "%s %s is %zu bytes, larger than the %zu it may be; is it the right file?", what,
                     path, size, max);
  }
  char *buf = malloc(max + 1);
  if (!buf) {
    close(fd);
    return sg_seterr(SG_ENOMEM, "out of memory reading %s", path);
  }
  size_t n = 0;
  ssize_t got = 0;
  while (n <= max && ((got = read(fd, buf + n, max + 1 - n)) > 0 || (got < 0 && errno == EINTR)))
    if (got > 0)
      n += (size_t)got;
  int failed = got < 0;
  close(fd);
  if (failed || n > max) {
    free(buf);
    return failed ? sg_seterr(SG_EUSAGE, "%s %s: cannot read it", what, path)
                  : sg_seterr(SG_EUSAGE, "%s %s: larger than %zu bytes; is it the right file?", what, path, max);
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return SG_OK;
}
