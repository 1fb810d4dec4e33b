/* outdir.h - checking and preparing a local output location before any
 * data is written, so bad locations fail with exit 2 and leave nothing. */
#ifndef SPOTGEN_OUTDIR_H
#define SPOTGEN_OUTDIR_H

#include <stdint.h>

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"

/*! sg_outdir_prepare() :
 *  Makes `dir` (and its parents) if missing and checks it is writable. A
 *  directory holding anything is refused without `overwrite`; with it, the
 *  previous dataset (_SUCCESS first, then the rest) is removed when every
 *  file there is one `owned` says may go (sink.h's sg_owned), and refused
 *  whole, naming the first file that may not, otherwise; with `resume`,
 *  only _SUCCESS and temporary files are removed (the parts are checked
 *  later), and files not named like spotgen's are refused. Once `dir`
 *  exists, and before anything is checked or removed, the run's `lock`
 *  (lock.h) is taken through `sink` (a file sink on `dir`); a refusal
 *  after that releases it. `lock` may be NULL.
 *  @return : SG_OK or SG_EUSAGE with the message set. */
struct sg_owned;
struct sg_sink;
struct sg_runlock;
sg_err sg_outdir_prepare(const char *dir, int overwrite, int resume, const struct sg_owned *owned,
                         struct sg_sink *sink, struct sg_runlock *lock);

/*! sg_file_crc32() : the size and CRC-32 of the file at `path`. @return 0, or -1. */
int sg_file_crc32(const char *path, uint64_t *size, uint32_t *crc);

/* A single output file (generate --output, report -o) is written whole under
 * a temporary name and renamed over its path, so only a regular file (or
 * nothing) may be there: a rename would replace a device, a FIFO or a
 * symbolic link itself. Standard output is written as a stream. */
typedef struct sg_outfile {
  int stream;      /* standard output: "-", /dev/stdout or /dev/fd/1 */
  int exists;      /* a regular file is there */
  unsigned mode;   /* the permissions to give the file: the existing one's, or 0644 less the umask */
} sg_outfile;

/* The name the ranks' segments of --output - take, in the working directory. */
#define SG_OUTPUT_STREAM_NAME "spotgen-stdout"

/*! sg_outfile_is_stream() : whether `path` names standard output. */
int sg_outfile_is_stream(const char *path);

/*! sg_outfile_check() : what is at `path`, given as `flag` ("--output",
 *  "-o"): refused (SG_EUSAGE, one line naming what it is and the fix) when
 *  it is a directory, a symbolic link or anything but a regular file, and
 *  when it is a file and `replace` is 0. */
sg_err sg_outfile_check(const char *path, const char *flag, int replace, sg_outfile *out);

/*! sg_outfile_write() :
 *  Writes `len` bytes to `path` (given as `flag`) whole: under a temporary
 *  name beside it, then renamed over it, so a reader never sees half of
 *  it. sg_outfile_check() decides what may be replaced (with `replace`);
 *  a replaced file keeps its permissions; standard output is a stream.
 *  @return : SG_OK, SG_EUSAGE (what is there, or a name that cannot be
 *            written), SG_EIO. */
sg_err sg_outfile_write(const char *path, const char *flag, const void *data, size_t len, int replace);

/*! sg_outfile_prepare() :
 *  For --output FILE: sg_outfile_check, then makes the parent directory if
 *  missing, checks it is writable (the working directory for standard
 *  output: the ranks' segments are kept there), takes the run's `lock`
 *  there through `segments` (a file sink on that directory; lock.h: a run
 *  writing the same FILE, or standard output from the same directory, is
 *  alive, and this one is refused), and removes the segments a killed run
 *  of the same FILE left. `lock` may be NULL. */
sg_err sg_outfile_prepare(const char *file, int overwrite, sg_outfile *out, struct sg_sink *segments,
                          struct sg_runlock *lock);

/*! sg_split_path() : the directory ("." when none, "/" at the root) and the
 *  file name of `path`. @return : 0, or -1 when either does not fit. */
int sg_split_path(const char *path, char *dir, size_t dircap, char *base, size_t basecap);

/*! sg_mkdir_p() : mkdir -p. @return : 0, or -1 with errno set. */
int sg_mkdir_p(const char *path);

#endif
