/* output.c - where the parts go: the storage backend or the --output
 * file's segments, the parts' names, the format's options, and the
 * assembly of --output FILE. */
#define _GNU_SOURCE /* copy_file_range */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job.h"
#include "spotgen/base/err.h"
#include "spotgen/base/layout.h"
#include "spotgen/base/signals.h"
#include "spotgen/s3/s3.h"
#include "spotgen/store/outdir.h"

/* The codec of a paged format's pages (--parquet-codec), or NULL. */
static const sg_page_codec *page_codec(const job *j)
{
  return j->fmt_ops->pages ? sg_page_codec_find(j->opt.parquet_codec) : NULL;
}

/* The codec whose level --compression-level sets: the stream's of csv.gz
 * and csv.zst, or parquet's pages' when they are zstd. */
static sg_codec level_codec(const job *j)
{
  const sg_page_codec *pc = page_codec(j);
  return pc ? pc->level : j->fmt_ops->codec;
}

/* The compression level the parts are written at (the codec's default
 * unless --compression-level), 0 when there is none. */
static int codec_level(const job *j)
{
  int lo, hi, dflt;
  sg_codec_levels(level_codec(j), &lo, &hi, &dflt);
  return j->opt.compression_level ? (int)j->opt.compression_level : dflt;
}

/* The manifest's name for the compression: the stream's, or the pages'. */
static const char *compression_name(const job *j)
{
  const sg_page_codec *pc = page_codec(j);
  return pc ? pc->name : sg_codec_name(j->fmt_ops->codec);
}

sg_format_options gen_format_options(const job *j)
{
  const sg_page_codec *pc = page_codec(j);
  sg_format_options o = {codec_level(j), pc ? pc->parquet : SG_PQ_ZSTD, j->opt.row_group_size, j->opt.parquet_bloom,
                         NULL, 0, 0};
  return o;
}

/* What the manifest says of the dataset; `artists` from its catalog. */
sg_dataset_info gen_dataset_info(const job *j, const sg_plan *plan, const sg_catalog *cat)
{
  sg_dataset_info info = {j->opt.seed, plan->rows, plan->rows_per_part, plan->parts, cat->artists, cat->tracks,
                          plan->even, j->fmt_ops->base, compression_name(j), codec_level(j),
                          j->fmt_ops->pages ? j->opt.row_group_size : 0, j->opt.parquet_bloom, j->opt.tables,
                          j->dirty, j->partition_by[0] ? j->partition_by : NULL, j->opt.table_format,
                          j->opt.days || j->opt.day || j->opt.as_of ? &j->shape.days : NULL};
  return info;
}

void gen_segment_key(const job *j, int rank, char *out, size_t cap)
{
  snprintf(out, cap, ".%s.seg-%05d", j->base, rank);
}

/* A write to `path` that failed with `err` (0: a short write). */
static sg_err write_failed(const char *path, int err)
{
  if (err == EPIPE)
    return sg_seterr(SG_EIO, "cannot write %s: its reader closed it before the end (the rest of the data is lost; "
                     "nothing is left behind)", path);
  return sg_seterr(SG_EIO, "cannot write %s: %s", path, err ? strerror(err) : "short write");
}

/* Copies `len` bytes of `in` to `out` at `off`, or, when `off` is -1, where
 * `out` is (a stream: standard output). */
static sg_err copy_range(int in, int out, off_t off, uint64_t len, const char *path)
{
  off_t *at = off < 0 ? NULL : &off;
  while (len > 0) {
    ssize_t n = copy_file_range(in, NULL, out, at, len > (1u << 30) ? (1u << 30) : len, 0);
    if (n > 0) {
      len -= (uint64_t)n;
      continue;
    }
    if (n == 0 || (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP && errno != EBADF))
      return write_failed(path, n == 0 ? 0 : errno);
    /* No kernel copy between these files: read and write. */
    static char buf[1 << 20];
    while (len > 0) {
      ssize_t r = read(in, buf, len < sizeof buf ? len : sizeof buf);
      if (r <= 0)
        return sg_seterr(SG_EIO, "cannot read segment for %s: %s", path, r == 0 ? "short read" : strerror(errno));
      for (ssize_t done = 0; done < r;) {
        ssize_t w = at ? pwrite(out, buf + done, (size_t)(r - done), off) : write(out, buf + done, (size_t)(r - done));
        if (w < 0 && errno == EINTR)
          continue;
        if (w <= 0)
          return write_failed(path, w < 0 ? errno : 0);
        done += w;
        if (at)
          off += w;
      }
      len -= (uint64_t)r;
    }
  }
  return SG_OK;
}

/* --output -: rank 0 copies every rank's segment, in rank order, to
 * standard output once all are written (the file system is shared, as for
 * a file), and removes them. */
static sg_err assemble_stream(job *j)
{
  uint64_t *bytes = j->rank == 0 ? calloc((size_t)j->nranks, sizeof *bytes) : NULL;
  MPI_Gather(&j->seg_bytes, 1, MPI_UINT64_T, bytes, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  int status = SG_OK;
  if (j->rank == 0) {
    if (!bytes)
      status = sg_seterr(SG_ENOMEM, "out of memory");
    for (int r = 0; r < j->nranks && status == SG_OK; r++) {
      char key[512], seg[PATH_MAX];
      gen_segment_key(j, r, key, sizeof key);
      snprintf(seg, sizeof seg, "%s/%s", j->dir, key);
      if (bytes[r] == 0)
        continue;
      int in = open(seg, O_RDONLY | O_CLOEXEC);
      if (in < 0)
        status = sg_seterr(SG_EIO, "cannot open %s: %s", seg, strerror(errno));
      else
        status = copy_range(in, STDOUT_FILENO, -1, bytes[r], "standard output");
      if (in >= 0)
        close(in);
    }
  }
  free(bytes);
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (j->seg_bytes > 0) {
    char key[512], seg[PATH_MAX];
    gen_segment_key(j, j->rank, key, sizeof key);
    snprintf(seg, sizeof seg, "%s/%s", j->dir, key);
    unlink(seg);
    sg_tmpfile_forget(j->seg_slot);
  }
  return (sg_err)(j->rank == 0 || status == SG_OK ? status : SG_EMPI);
}

/* --output FILE: every rank's segment is copied to its offset in one file. */
sg_err gen_assemble(job *j)
{
  if (j->stream)
    return assemble_stream(j);
  uint64_t offset = 0, total = 0;
  MPI_Exscan(&j->seg_bytes, &offset, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (j->rank == 0)
    offset = 0;
  MPI_Allreduce(&j->seg_bytes, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  char target[PATH_MAX], seg[PATH_MAX], key[512], final[PATH_MAX];
  snprintf(target, sizeof target, "%s/.%s.assembly.tmp", j->dir, j->base);
  gen_segment_key(j, j->rank, key, sizeof key);
  snprintf(seg, sizeof seg, "%s/%s", j->dir, key);
  snprintf(final, sizeof final, "%s/%s", j->dir, j->base);

  int status = SG_OK, slot = -1;
  if (j->rank == 0) {
    /* Rank 0's data starts the file: its segment becomes the target. */
    int fd = -1;
    if (j->seg_bytes > 0 && rename(seg, target) == 0)
      fd = open(target, O_WRONLY | O_CLOEXEC);
    else if (j->seg_bytes == 0)
      fd = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    slot = sg_tmpfile_register(target);
    sg_tmpfile_forget(j->seg_slot);
    /* a file replaced keeps its permissions (0600 stays 0600) */
    if (fd < 0 || fchmod(fd, (mode_t)j->outfile.mode) != 0 || ftruncate(fd, (off_t)total) != 0)
      status = sg_seterr(SG_EIO, "cannot prepare %s: %s", final, strerror(errno));
    if (fd >= 0)
      close(fd);
  }
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (status == SG_OK && j->rank != 0 && j->seg_bytes > 0) {
    int in = open(seg, O_RDONLY | O_CLOEXEC), out = open(target, O_WRONLY | O_CLOEXEC);
    if (in < 0 || out < 0)
      status = sg_seterr(SG_EIO, "cannot open %s: %s", in < 0 ? seg : target, strerror(errno));
    else
      status = copy_range(in, out, (off_t)offset, j->seg_bytes, final);
    if (status == SG_OK && fsync(out) != 0)
      status = sg_seterr(SG_EIO, "cannot sync %s: %s", final, strerror(errno));
    if (in >= 0)
      close(in);
    if (out >= 0)
      close(out);
  }
  if (j->rank != 0 && j->seg_bytes > 0) {
    unlink(seg);
    sg_tmpfile_forget(j->seg_slot);
  }
  int worst = SG_OK;
  MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (j->rank != 0)
    return (sg_err)(status != SG_OK ? status : worst != SG_OK ? SG_EMPI : SG_OK);
  if (worst == SG_OK) {
    int fd = open(target, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0 || rename(target, final) != 0)
      worst = sg_seterr(SG_EIO, "cannot finish %s: %s", final, strerror(errno));
    if (fd >= 0)
      close(fd);
  }
  if (worst != SG_OK) {
    unlink(target);
    if (status == SG_OK)
      status = sg_seterr(SG_EMPI, "stopped: another rank could not write its share of %s", final);
  }
  sg_tmpfile_forget(slot);
  return (sg_err)(worst == SG_OK ? SG_OK : status);
}

/* Rows of the largest part, times a generous row size, must fit in 10,000
 * multipart parts: grow the part size when they would not. */
static uint64_t part_size_for(const sg_gen_options *o)
{
  const uint64_t max_row_bytes = 400;
  uint64_t rows = o->parts ? (o->rows + o->parts - 1) / o->parts : o->rows_per_part;
  if (rows > o->rows)
    rows = o->rows;
  uint64_t need = rows * max_row_bytes / SG_S3_MAX_PARTS + 1;
  if (need <= o->part_size)
    return o->part_size;
  return (need + (1u << 20) - 1) & ~(uint64_t)((1u << 20) - 1);
}

/* --out: every rank makes its storage backend (an S3 client each); nothing
 * is read or written yet. */
static sg_err open_store(job *j)
{
  const sg_gen_options *o = &j->opt;
  j->s3_options = sg_s3_options_from(&o->s3);
  uint64_t part_size = part_size_for(o);
  sg_sink_config c = {&j->s3_options, (size_t)part_size, (int)o->s3_inflight};
  j->sink_config = c;
  sg_err mine = sg_sink_for_url(o->out, &c, &j->sink);
  sg_err e = gen_agree(mine);
  if (e != SG_OK) {
    if (mine != SG_OK && j->rank != 0) /* rank 0 prints its own */
      fprintf(stderr, "spotgen: rank %d: %s\n", j->rank, sg_errmsg(mine));
    if (mine == SG_OK)
      sg_seterr(e, "another rank could not open the output; see its message");
    return e;
  }
  if (part_size != o->part_size && j->rank == 0 && sg_sink_multipart(j->sink))
    fprintf(stderr, "spotgen: parts of up to %llu rows need more than %d S3 parts of %llu MiB; "
                    "using %llu MiB parts\n",
            (unsigned long long)(o->parts ? o->rows / o->parts : o->rows_per_part), SG_S3_MAX_PARTS,
            (unsigned long long)(o->part_size >> 20), (unsigned long long)(part_size >> 20));
  return SG_OK;
}

/* --output FILE: every rank writes its segment beside the file (a file
 * sink on its directory), and they are assembled into it at the end. */
static sg_err open_single(job *j)
{
  const char *path = j->opt.output_file;
  j->single = 1;
  j->stream = sg_outfile_is_stream(path);
  j->outfile = (sg_outfile){j->stream, 0, 0644};
  if (j->stream) { /* the segments wait in the working directory */
    snprintf(j->dir, sizeof j->dir, ".");
    snprintf(j->base, sizeof j->base, "%s", SG_OUTPUT_STREAM_NAME);
  } else if (strlen(path) >= sizeof j->dir ||
             sg_split_path(path, j->dir, sizeof j->dir, j->base, sizeof j->base) != 0) {
    return sg_seterr(SG_EUSAGE, "output path too long (%zu bytes); choose a shorter one", strlen(path));
  }
  if (!(j->sink = sg_sink_file(j->dir)))
    return sg_seterr(SG_ENOMEM, "out of memory");
  return SG_OK;
}

sg_err gen_open_output(job *j)
{
  return j->opt.output_file ? open_single(j) : open_store(j);
}

/* After rank 0 took the run's lock: every rank must see it where it
 * writes, or the location is not one they share (each node's own /tmp),
 * and rank 0's manifest would list parts that are on other nodes. */
static sg_err check_shared(job *j)
{
  char run[sizeof j->lock.run];
  memcpy(run, j->lock.run, sizeof run);
  MPI_Bcast(run, (int)sizeof run, MPI_CHAR, 0, MPI_COMM_WORLD);
  int seen = sg_lock_seen(j->sink, j->lock_name, run), all;
  MPI_Allreduce(&seen, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (all)
    return SG_OK;
  char host[MPI_MAX_PROCESSOR_NAME] = {0}, *hosts = NULL;
  int len, *flags = NULL;
  MPI_Get_processor_name(host, &len);
  if (j->rank == 0) {
    hosts = calloc((size_t)j->nranks, MPI_MAX_PROCESSOR_NAME);
    flags = calloc((size_t)j->nranks, sizeof *flags);
  }
  MPI_Gather(host, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, hosts, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, 0, MPI_COMM_WORLD);
  MPI_Gather(&seen, 1, MPI_INT, flags, 1, MPI_INT, 0, MPI_COMM_WORLD);
  int r = 1;
  while (j->rank == 0 && flags && r < j->nranks - 1 && flags[r]) /* the first that does not see it */
    r++;
  const char *where = j->single ? j->dir : j->opt.out;
  sg_err e = sg_seterr(SG_EUSAGE, "rank %d on host %s does not see %s as rank 0 on host %s made it (this run's "
                       "lock is not there): every rank must write to one location that all nodes share (a "
                       "network or parallel file system, or s3://), not a node's own disk", r,
                       hosts ? hosts + (size_t)r * MPI_MAX_PROCESSOR_NAME : "?", where, host);
  free(hosts);
  free(flags);
  if (j->rank == 0)
    sg_lock_release(j->sink, &j->lock);
  return e;
}

/* Rank 0 prepares the location before anything is written: takes the
 * run's lock there, then refused, replaced (--overwrite) or kept
 * (--resume); every rank learns the outcome, and checks it shares it. */
sg_err gen_prepare_output(job *j)
{
  int status = SG_OK;
  sg_owned owned = {0};
  if (j->single)
    snprintf(j->lock_name, sizeof j->lock_name, ".%.280s.spotgen-lock", j->base);
  else
    snprintf(j->lock_name, sizeof j->lock_name, "%s", SG_LAYOUT_LOCK);
  sg_lock_init(&j->lock, j->lock_name, j->single ? j->dir : j->opt.out);
  if (j->rank == 0 && !j->single && j->opt.overwrite)
    status = gen_owned(j, &owned);
  if (j->rank == 0 && status == SG_OK)
    status = j->single ? sg_outfile_prepare(j->opt.output_file, j->opt.overwrite, &j->outfile, j->sink, &j->lock)
                       : sg_sink_prepare(j->sink, j->opt.overwrite, j->opt.resume, &owned, &j->lock);
  sg_owned_free(&owned);
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (status == SG_OK && j->nranks > 1)
    status = check_shared(j);
  return (sg_err)status;
}
