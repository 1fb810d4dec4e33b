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
 *  previous dataset (_SUCCESS first, then _manifest.json, part-* files and
 *  temporary files) is removed, and files spotgen did not write are refused;
 *  with `resume`, only _SUCCESS is removed (the parts are checked later).
 *  @return : SG_OK or SG_EUSAGE with the message set. */
sg_err sg_outdir_prepare(const char *dir, int overwrite, int resume);

/*! sg_file_crc32() : the size and CRC-32 of the file at `path`. @return 0, or -1. */
int sg_file_crc32(const char *path, uint64_t *size, uint32_t *crc);

/*! sg_outfile_prepare() :
 *  For --output FILE: makes the parent directory if missing, checks it is
 *  writable, and refuses an existing FILE without `overwrite`. */
sg_err sg_outfile_prepare(const char *file, int overwrite);

/*! sg_split_path() : the directory ("." when none, "/" at the root) and the
 *  file name of `path`. @return : 0, or -1 when either does not fit. */
int sg_split_path(const char *path, char *dir, size_t dircap, char *base, size_t basecap);

/*! sg_mkdir_p() : mkdir -p. @return : 0, or -1 with errno set. */
int sg_mkdir_p(const char *path);

#endif
