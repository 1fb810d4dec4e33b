/* generate.c - the MPI driver of `spotgen generate` (see generate.h).
 *
 * Control messages, all small:
 *   worker -> 0  TAG_PROGRESS  rows done so far (at most every 0.2 s)
 *   worker -> 0  TAG_DONE      final status and rows, once
 *   0 -> worker  TAG_ABORT     stop: another rank failed (only before its DONE)
 *   0 -> worker  TAG_VERDICT   the job's outcome, once, after every DONE
 *   worker -> 0  TAG_PART      one part's entry and statistics, after a good verdict
 * Every message sent is received, so the job also ends cleanly when it fails.
 */
#define _GNU_SOURCE /* copy_file_range */
#include "spotgen/gen/generate.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spotgen/base/buf.h"
#include "spotgen/cmd/cli.h"
#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/base/err.h"
#include "spotgen/format/format.h"
#include "spotgen/base/layout.h"
#include "spotgen/dataset/manifest.h"
#include "spotgen/model/model.h"
#include "spotgen/base/numfmt.h"
#include "spotgen/store/outdir.h"
#include "spotgen/model/plan.h"
#include "spotgen/dataset/progress.h"
#include "spotgen/base/readfile.h"
#include "spotgen/s3/s3.h"
#include "spotgen/dataset/journal.h"
#include "spotgen/base/signals.h"
#include "spotgen/store/source.h"
#include "spotgen/store/sink.h"
#include "spotgen/dataset/stats.h"
#include "spotgen/dataset/targets.h"

enum { TAG_PROGRESS = 101, TAG_DONE, TAG_ABORT, TAG_VERDICT, TAG_PART };

#define CHUNK 512            /* rows generated, counted and formatted at once */
#define PROGRESS_PERIOD 0.2  /* seconds between a worker's progress reports */
#define CONFIG_MAX (1 << 20) /* bytes of a --config file */
/* Rows per artist are counted (for the power-law checks in the manifest)
 * up to this many artists: 16 MiB of counts per rank. */
#define MAX_COUNTED_ARTISTS 2000000

typedef struct part_result {
  sg_part_entry entry;
  sg_stats stats;
} part_result;

typedef struct job {
  sg_gen_options opt;
  sg_plan plan;
  int rank, nranks;
  const sg_format_ops *fmt_ops;
  int single;              /* --output FILE: one file, no manifest */
  char dir[2048];          /* where objects are written */
  char base[256];          /* --output: the file's name within dir */
  sg_sink *sink;
  sg_format *fmt;
  sg_config cfg;
  sg_copula *copula;
  sg_model model;
  uint64_t *artist_rows;   /* rows per artist on this rank, or NULL */
  sg_row *rows;
  part_result *results;    /* this rank's parts, in order */
  uint64_t first_part, end_part;
  uint64_t done_rows;
  uint64_t seg_bytes;      /* --output: bytes of this rank's segment */
  int seg_slot;
  /* worker side of the control protocol */
  MPI_Request progress_req;
  uint64_t progress_msg;
  double progress_last;
  /* rank 0 side */
  uint64_t *rank_rows;
  int *rank_done;
  sg_err failure;
  int failed_rank;
  sg_progress progress;
  double t0, start_unix;
  sg_check checks[SG_MAX_CHECKS];
  int nchecks;
  double *rss_mib;         /* rank 0: every rank's peak RSS */
  /* --resume, and the journal every run keeps */
  int journaled;           /* the store keeps a dataset (not --output, not null:): a journal and a manifest */
  char *params;            /* the parameters' line (sg_journal_params) */
  sg_buf journal;          /* this rank's journal so far */
  sg_journal rec;          /* what a resumed run found recorded */
  char (*old_journals)[64];/* rank 0: the journal objects it read */
  int nold;
  uint64_t kept;           /* parts kept as recorded, on this rank */
} job;

/* Whether a launcher (mpirun, srun) started us.  Alone, argument errors are
 * printed without starting MPI; under a launcher every rank must start it, so
 * that rank 0 has printed the one line before any rank exits non-zero and
 * the launcher tears the job down. */
static int launched(void)
{
  static const char *const VARS[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"};
  for (size_t i = 0; i < sizeof VARS / sizeof VARS[0]; i++) {
    const char *v = getenv(VARS[i]);
    if (v && *v)
      return 1;
  }
  return 0;
}

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

static sg_format_options format_options(const job *j)
{
  const sg_page_codec *pc = page_codec(j);
  sg_format_options o = {codec_level(j), pc ? pc->parquet : SG_PQ_ZSTD, j->opt.row_group_size};
  return o;
}

/* What the manifest says of the dataset; `artists` from its catalog. */
static sg_dataset_info dataset_info(const job *j, const sg_plan *plan, uint64_t artists)
{
  sg_dataset_info info = {j->opt.seed, plan->rows, plan->rows_per_part, plan->parts, artists,
                          plan->even, j->fmt_ops->base, compression_name(j), codec_level(j),
                          j->fmt_ops->pages ? j->opt.row_group_size : 0};
  return info;
}

static void part_key(const job *j, uint64_t k, char *out, size_t cap)
{
  sg_layout_part(out, cap, k, j->fmt_ops->extension);
}

static void segment_key(const job *j, int rank, char *out, size_t cap)
{
  snprintf(out, cap, ".%s.seg-%05d", j->base, rank);
}

/* ---- control protocol ------------------------------------------------- */

static void abort_workers(job *j)
{
  int reason = (int)j->failure;
  for (int r = 1; r < j->nranks; r++)
    if (!j->rank_done[r])
      MPI_Send(&reason, 1, MPI_INT, r, TAG_ABORT, MPI_COMM_WORLD);
}

static void note_failure(job *j, int rank, sg_err e)
{
  if (j->failure != SG_OK)
    return;
  j->failure = e;
  j->failed_rank = rank;
  abort_workers(j);
}

static uint64_t total_done(const job *j)
{
  uint64_t t = j->done_rows;
  for (int r = 1; r < j->nranks; r++)
    t += j->rank_rows[r];
  return t;
}

/* Rank 0: takes every pending progress and done message. */
static void drain(job *j)
{
  for (;;) {
    int flag;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (!flag)
      return;
    if (st.MPI_TAG == TAG_PROGRESS) {
      MPI_Recv(&j->rank_rows[st.MPI_SOURCE], 1, MPI_UINT64_T, st.MPI_SOURCE, TAG_PROGRESS,
               MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else if (st.MPI_TAG == TAG_DONE) {
      uint64_t msg[2];
      MPI_Recv(msg, 2, MPI_UINT64_T, st.MPI_SOURCE, TAG_DONE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      j->rank_done[st.MPI_SOURCE] = 1;
      j->rank_rows[st.MPI_SOURCE] = msg[1];
      if (msg[0] != SG_OK)
        note_failure(j, st.MPI_SOURCE, (sg_err)msg[0]);
    } else {
      return; /* not a work-phase message: leave it for its receiver */
    }
  }
}

/* Between chunks: signals, rank 0's orders, progress. Cheap when idle. */
static sg_err poll_control(job *j)
{
  sg_err e = sg_signal_error();
  if (e != SG_OK)
    return e;
  double now = MPI_Wtime();
  if (j->rank == 0) {
    drain(j);
    sg_progress_update(&j->progress, total_done(j), now);
    if (j->failure != SG_OK)
      return sg_seterr(SG_EMPI, "stopped: rank %d failed", j->failed_rank);
    return SG_OK;
  }
  int flag;
  MPI_Iprobe(0, TAG_ABORT, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
  if (flag) {
    int reason;
    MPI_Recv(&reason, 1, MPI_INT, 0, TAG_ABORT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return sg_seterr(SG_EMPI, "stopped: another rank failed");
  }
  if (now - j->progress_last >= PROGRESS_PERIOD) {
    int idle = 1;
    if (j->progress_req != MPI_REQUEST_NULL)
      MPI_Test(&j->progress_req, &idle, MPI_STATUS_IGNORE);
    if (idle) {
      j->progress_msg = j->done_rows;
      MPI_Isend(&j->progress_msg, 1, MPI_UINT64_T, 0, TAG_PROGRESS, MPI_COMM_WORLD, &j->progress_req);
      j->progress_last = now;
    }
  }
  return SG_OK;
}

/* Ends the work phase: every rank reports, rank 0 decides. @return : the verdict. */
static sg_err finish_work(job *j, sg_err mine)
{
  if (j->rank != 0) {
    if (j->progress_req != MPI_REQUEST_NULL)
      MPI_Wait(&j->progress_req, MPI_STATUS_IGNORE);
    uint64_t msg[2] = {(uint64_t)mine, j->done_rows};
    MPI_Send(msg, 2, MPI_UINT64_T, 0, TAG_DONE, MPI_COMM_WORLD);
    for (;;) {
      int v;
      MPI_Status st;
      MPI_Recv(&v, 1, MPI_INT, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      if (st.MPI_TAG == TAG_VERDICT)
        return (sg_err)v;
    }
  }
  if (mine != SG_OK)
    note_failure(j, 0, mine);
  for (;;) {
    drain(j);
    int all = 1;
    for (int r = 1; r < j->nranks; r++)
      all &= j->rank_done[r];
    if (all)
      break;
    int sig = sg_interrupted();
    if (sig) {
      sg_set_signal_exit(sig);
      note_failure(j, 0, SG_ESIGNAL);
    }
    sg_progress_update(&j->progress, total_done(j), MPI_Wtime());
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
  int v = (int)j->failure;
  for (int r = 1; r < j->nranks; r++)
    MPI_Send(&v, 1, MPI_INT, r, TAG_VERDICT, MPI_COMM_WORLD);
  return j->failure;
}

/* ---- the work: this rank's parts -------------------------------------- */

/* Generates rows first .. first+n-1 into the statistics and, unless
 * `replay` (a part kept from the run being resumed), the format. */
static sg_err write_rows(job *j, uint64_t first, uint64_t n, sg_stats *stats, int replay)
{
  for (uint64_t done = 0; done < n;) {
    size_t m = n - done < CHUNK ? (size_t)(n - done) : CHUNK;
    sg_model_rows(&j->model, first + done, m, j->rows);
    sg_stats_add(stats, j->rows, m);
    if (j->artist_rows)
      for (size_t i = 0; i < m; i++)
        j->artist_rows[j->rows[i].artist]++;
    sg_err e = replay ? SG_OK : j->fmt_ops->rows(j->fmt, j->rows, m);
    if (e != SG_OK)
      return e;
    done += m;
    j->done_rows += m;
    e = poll_control(j);
    if (e != SG_OK)
      return e;
  }
  return SG_OK;
}

static sg_err write_part(job *j, uint64_t k, part_result *res)
{
  char key[64];
  sg_err e = SG_OK;
  part_key(j, k, key, sizeof key);
  if (!j->single)
    e = sg_sink_open(j->sink, key);
  uint64_t bytes0 = j->sink->bytes;
  res->entry.index = k;
  res->entry.rows = sg_plan_part_rows(&j->plan, k);
  sg_stats_init(&res->stats);
  if (e == SG_OK)
    e = j->fmt_ops->begin(j->fmt, !j->single || k == 0);
  if (e == SG_OK)
    e = write_rows(j, sg_plan_part_first_row(&j->plan, k), res->entry.rows, &res->stats, 0);
  if (e == SG_OK)
    e = j->fmt_ops->end(j->fmt);
  res->entry.bytes = j->sink->bytes - bytes0;
  res->entry.crc32 = j->sink->crc32;
  if (e == SG_OK && !j->single)
    e = sg_sink_commit(j->sink);
  snprintf(res->entry.etag, sizeof res->entry.etag, "%s", e == SG_OK ? j->sink->etag : "");
  return e;
}

/* ---- the journal, and parts kept by --resume ----------------------------- */

/* Appends a committed part to this rank's journal and writes it out whole
 * (a journal object is rewritten, never appended to: S3 cannot append). */
static sg_err journal_part(job *j, const sg_part_entry *p)
{
  sg_buf *b = &j->journal;
  if (sg_buf_reserve(b, 256 + (b->len ? 0 : strlen(j->params))) != 0)
    return sg_seterr(SG_ENOMEM, "out of memory keeping the journal");
  if (b->len == 0)
    b->len = sg_journal_header((char *)b->p, b->cap, j->params);
  b->len += sg_journal_line((char *)b->p + b->len, b->cap - b->len, p);
  char name[64];
  sg_layout_journal(name, sizeof name, j->rank);
  sg_err e = sg_sink_open(j->sink, name);
  if (e == SG_OK)
    e = sg_sink_write(j->sink, b->p, b->len);
  return e == SG_OK ? sg_sink_commit(j->sink) : e;
}

/* Whether part k is there as the journal recorded it: its size, and its
 * ETag where the store has one (S3, by HEAD), else its CRC-32 (read). */
static int part_matches(job *j, uint64_t k)
{
  const sg_part_entry *want = &j->rec.entry[k];
  char key[64];
  part_key(j, k, key, sizeof key);
  sg_object_info got;
  if (sg_sink_stat(j->sink, key, &got) != SG_OK || got.size != want->bytes)
    return 0;
  return got.etag[0] ? strcmp(got.etag, want->etag) == 0 : got.crc32 == want->crc32;
}

/* A kept part: its statistics (and rows per artist) come from its rows,
 * computed again without formatting or writing them; the rest from the
 * record. */
static sg_err keep_part(job *j, uint64_t k, part_result *res)
{
  sg_stats_init(&res->stats);
  res->entry = j->rec.entry[k];
  return write_rows(j, sg_plan_part_first_row(&j->plan, k), res->entry.rows, &res->stats, 1);
}

static sg_err do_work(job *j)
{
  uint64_t n = j->end_part - j->first_part;
  if (n == 0)
    return SG_OK;
  j->results = calloc((size_t)n, sizeof *j->results);
  if (!j->results)
    return sg_seterr(SG_ENOMEM, "out of memory for %llu part records", (unsigned long long)n);
  sg_err e = SG_OK;
  if (j->single) {
    char key[512];
    segment_key(j, j->rank, key, sizeof key);
    e = sg_sink_open(j->sink, key);
  }
  for (uint64_t k = j->first_part; e == SG_OK && k < j->end_part; k++) {
    part_result *res = &j->results[k - j->first_part];
    if (j->rec.have && j->rec.have[k] && part_matches(j, k)) {
      e = keep_part(j, k, res);
      j->kept++;
    } else {
      e = write_part(j, k, res);
    }
    if (e == SG_OK && j->journaled)
      e = journal_part(j, &res->entry);
  }
  if (j->single && e == SG_OK) {
    j->seg_bytes = j->sink->bytes;
    e = sg_sink_commit(j->sink);
    if (e == SG_OK) {
      char path[PATH_MAX], key[512];
      segment_key(j, j->rank, key, sizeof key);
      snprintf(path, sizeof path, "%s/%s", j->dir, key);
      j->seg_slot = sg_tmpfile_register(path);
    }
  }
  if (e != SG_OK)
    sg_sink_abort(j->sink);
  return e;
}

/* ---- after a good verdict --------------------------------------------- */

/* Rank 0 merges the parts' statistics strictly in part order: the same
 * floating-point operations whatever the number of ranks. */
static sg_err gather(job *j, sg_stats *total, cJSON *manifest, uint64_t *bytes)
{
  if (j->rank != 0) {
    for (uint64_t k = j->first_part; k < j->end_part; k++)
      MPI_Send(&j->results[k - j->first_part], (int)sizeof(part_result), MPI_BYTE, 0, TAG_PART,
               MPI_COMM_WORLD);
    return SG_OK;
  }
  part_result *tmp = malloc(sizeof *tmp);
  if (!tmp)
    return sg_seterr(SG_ENOMEM, "out of memory while merging statistics");
  sg_stats_init(total);
  for (int r = 0; r < j->nranks; r++) {
    uint64_t a = sg_plan_rank_first_part(&j->plan, r, j->nranks);
    uint64_t b = sg_plan_rank_first_part(&j->plan, r + 1, j->nranks);
    for (uint64_t k = a; k < b; k++) {
      const part_result *p = tmp;
      if (r == 0)
        p = &j->results[k - j->first_part];
      else
        MPI_Recv(tmp, (int)sizeof *tmp, MPI_BYTE, r, TAG_PART, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      sg_stats_merge(total, &p->stats);
      *bytes += p->entry.bytes;
      if (manifest) {
        char key[64];
        part_key(j, k, key, sizeof key);
        sg_manifest_add_part(manifest, &p->entry, key);
      }
    }
  }
  free(tmp);
  return SG_OK;
}

static sg_err copy_range(int in, int out, off_t off, uint64_t len, const char *path)
{
  while (len > 0) {
    ssize_t n = copy_file_range(in, NULL, out, &off, len > (1u << 30) ? (1u << 30) : len, 0);
    if (n > 0) {
      len -= (uint64_t)n;
      continue;
    }
    if (n == 0 || (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP))
      return sg_seterr(SG_EIO, "cannot write %s: %s", path, n == 0 ? "short copy" : strerror(errno));
    /* No kernel copy between these files: read and write. */
    static char buf[1 << 20];
    while (len > 0) {
      ssize_t r = read(in, buf, len < sizeof buf ? len : sizeof buf);
      if (r <= 0)
        return sg_seterr(SG_EIO, "cannot read segment for %s: %s", path, r == 0 ? "short read" : strerror(errno));
      if (pwrite(out, buf, (size_t)r, off) != r)
        return sg_seterr(SG_EIO, "cannot write %s: %s", path, strerror(errno));
      off += r;
      len -= (uint64_t)r;
    }
  }
  return SG_OK;
}

/* --output FILE: every rank's segment is copied to its offset in one file. */
static sg_err assemble(job *j)
{
  uint64_t offset = 0, total = 0;
  MPI_Exscan(&j->seg_bytes, &offset, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (j->rank == 0)
    offset = 0;
  MPI_Allreduce(&j->seg_bytes, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  char target[PATH_MAX], seg[PATH_MAX], key[512], final[PATH_MAX];
  snprintf(target, sizeof target, "%s/.%s.assembly.tmp", j->dir, j->base);
  segment_key(j, j->rank, key, sizeof key);
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
    if (fd < 0 || ftruncate(fd, (off_t)total) != 0)
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

static char **gather_hosts(job *j, int *nhosts)
{
  char name[MPI_MAX_PROCESSOR_NAME] = {0};
  int len;
  MPI_Get_processor_name(name, &len);
  char *all = j->rank == 0 ? calloc((size_t)j->nranks, MPI_MAX_PROCESSOR_NAME) : NULL;
  MPI_Gather(name, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, all, MPI_MAX_PROCESSOR_NAME, MPI_CHAR, 0,
             MPI_COMM_WORLD);
  *nhosts = 0;
  if (j->rank != 0 || !all)
    return NULL;
  char **hosts = calloc((size_t)j->nranks, sizeof *hosts);
  for (int r = 0; hosts && r < j->nranks; r++) {
    char *h = all + (size_t)r * MPI_MAX_PROCESSOR_NAME;
    int seen = 0;
    for (int i = 0; i < *nhosts; i++)
      seen |= strcmp(hosts[i], h) == 0;
    if (!seen)
      hosts[(*nhosts)++] = strdup(h);
  }
  free(all);
  return hosts;
}

/* Peak resident memory of every rank so far, in MiB (rank 0 gets them). */
static double *gather_rss(job *j)
{
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double mine = (double)ru.ru_maxrss / 1024.0; /* KiB on Linux */
  double *all = j->rank == 0 ? calloc((size_t)j->nranks, sizeof *all) : NULL;
  MPI_Gather(&mine, 1, MPI_DOUBLE, all, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  return all;
}

static sg_err write_dataset_end(job *j, const sg_stats *total, cJSON *manifest, char **hosts,
                                int nhosts, double seconds)
{
  sg_run_info run = {j->nranks, (const char *const *)hosts, nhosts, j->start_unix, seconds,
                     j->plan.rows, j->rss_mib};
  cJSON_AddItemToObject(manifest, "config", sg_config_json(&j->cfg));
  cJSON *stats = sg_stats_json(total);
  if (j->artist_rows) /* sorted by run_targets */
    cJSON_AddItemToObject(stats, "artists", sg_artists_json(j->artist_rows, j->model.catalog.artists));
  cJSON_AddItemToObject(manifest, "stats", stats);
  cJSON_AddItemToObject(manifest, "targets", sg_checks_json(j->checks, j->nchecks));
  cJSON_AddItemToObject(manifest, "run", sg_run_json(&run));
  sg_err e = sg_manifest_write(manifest, j->sink);
  if (e == SG_OK)
    e = sg_sink_open(j->sink, SG_LAYOUT_SUCCESS);
  if (e == SG_OK)
    e = sg_sink_commit(j->sink);
  return e;
}

static void print_summary(const job *j, uint64_t bytes, double seconds)
{
  char rows[32], size[32], rate[32];
  int kept = j->sink->ops->checksums;
  fprintf(stderr, "spotgen: %s %s rows in %llu part%s (%s) %s %s in %.2f s: %s rows/s on %d rank%s\n",
          kept ? "wrote" : "generated", sg_fmt_group(rows, j->plan.rows),
          (unsigned long long)j->plan.parts, j->plan.parts == 1 ? "" : "s",
          sg_human_bytes(size, sizeof size, (double)bytes), kept ? "to" : "and discarded them:",
          j->single ? j->opt.output_file : j->opt.out, seconds,
          sg_human_count(rate, sizeof rate, seconds > 0 ? (double)j->plan.rows / seconds : 0),
          j->nranks, j->nranks == 1 ? "" : "s");
}

/* ---- setup and the whole run ------------------------------------------ */

/* Every rank learns the worst outcome (collective). */
static sg_err agree(sg_err e)
{
  int mine = (int)e, worst;
  MPI_Allreduce(&mine, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return (sg_err)worst;
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

/* The S3 client's options from the command line's. */
/* --out: every rank makes its storage backend (an S3 client each); nothing
 * is read or written yet. */
static sg_err open_store(job *j)
{
  const sg_gen_options *o = &j->opt;
  sg_s3_options so = sg_cli_s3_options(&o->s3);
  uint64_t part_size = part_size_for(o);
  sg_sink_config c = {&so, (size_t)part_size, (int)o->s3_inflight};
  sg_err mine = sg_sink_for_url(o->out, &c, &j->sink);
  sg_err e = agree(mine);
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

/* --resume: rank 0 reads what the run being resumed recorded (its journals,
 * or the manifest of a finished run) and checks it was written with these
 * parameters; every rank gets the record. Nothing is changed here, so a
 * refusal leaves the output as it was. Every run computes the parameters'
 * line, which heads the journal it keeps. */
typedef struct names {
  char (*name)[64];
  int n, cap;
  int manifest;
} names;

static int collect_name(const char *name, void *ctx)
{
  names *l = ctx;
  if (strcmp(name, SG_LAYOUT_MANIFEST) == 0)
    l->manifest = 1;
  if (!sg_layout_is_journal(name) || strlen(name) >= 64)
    return 0;
  if (l->n == l->cap) {
    int cap = l->cap ? 2 * l->cap : 16;
    void *p = realloc(l->name, (size_t)cap * sizeof *l->name);
    if (!p)
      return 1;
    l->name = p;
    l->cap = cap;
  }
  snprintf(l->name[l->n++], 64, "%s", name);
  return 0;
}

static sg_err read_records(job *j)
{
  const sg_gen_options *o = &j->opt;
  struct stat st;
  if (strncmp(o->out, "s3://", 5) != 0 && stat(o->out, &st) != 0)
    return SG_OK; /* nothing there yet: a resume from the start */
  sg_s3_options so = sg_cli_s3_options(&o->s3);
  sg_source *src;
  sg_err e = sg_source_open(o->out, &so, &src);
  names l = {NULL, 0, 0, 0};
  if (e == SG_OK)
    e = sg_source_list(src, collect_name, &l);
  for (int i = -1; e == SG_OK && i < l.n; i++) {
    if (i < 0 && !l.manifest)
      continue;
    const char *name = i < 0 ? SG_LAYOUT_MANIFEST : l.name[i];
    char *text = NULL;
    e = sg_source_read_text(src, name, 256u << 20, &text);
    if (e == SG_OK) {
      char where[2200];
      snprintf(where, sizeof where, "%s/%s", o->out, name);
      e = sg_journal_add_text(&j->rec, text, i < 0, j->params, where);
      if (e == SG_EDATA) /* damaged: its parts are generated again */
        fprintf(stderr, "spotgen: %s; its parts will be generated again\n", sg_errmsg(e));
      e = e == SG_EDATA ? SG_OK : e;
    }
    free(text);
  }
  j->old_journals = l.name;
  j->nold = l.n;
  sg_source_close(src);
  return e == SG_OK || e == SG_EUSAGE ? e : sg_seterr(SG_EUSAGE, "cannot resume: %s", sg_errmsg(e));
}

static sg_err load_records(job *j)
{
  const sg_gen_options *o = &j->opt;
  j->journaled = !j->single && sg_sink_keeps(j->sink);
  if (!j->journaled)
    return SG_OK;
  j->fmt_ops = sg_format_find(o->format);
  sg_plan plan = sg_plan_make(o->rows, o->rows_per_part, o->parts);
  sg_catalog cat;
  sg_catalog_init(&cat, o->seed, o->rows, &j->cfg);
  sg_dataset_info info = dataset_info(j, &plan, cat.artists);
  j->params = sg_journal_params(&info, &j->cfg);
  if (!j->params)
    return sg_seterr(SG_ENOMEM, "out of memory while starting");
  if (!o->resume)
    return SG_OK;
  /* every rank holds the record, empty when nothing was there yet */
  int status = (int)sg_journal_init(&j->rec, plan.parts);
  if (status == SG_OK && j->rank == 0)
    status = (int)read_records(j);
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (status != SG_OK)
    return (sg_err)status;
  MPI_Bcast(j->rec.have, (int)plan.parts, MPI_BYTE, 0, MPI_COMM_WORLD);
  MPI_Bcast(j->rec.entry, (int)(plan.parts * sizeof *j->rec.entry), MPI_BYTE, 0, MPI_COMM_WORLD);
  return SG_OK;
}

/* After _SUCCESS: the journals are not needed any more (rank 0). */
static void remove_journals(job *j)
{
  for (int i = -j->nranks; i < j->nold; i++) {
    char name[64];
    if (i < 0)
      sg_layout_journal(name, sizeof name, i + j->nranks);
    else
      snprintf(name, sizeof name, "%s", j->old_journals[i]);
    sg_sink_remove(j->sink, name);
  }
}

/* --output FILE: every rank writes its segment beside the file (a file
 * sink on its directory), and they are assembled into it at the end. */
static sg_err open_single(job *j)
{
  const char *path = j->opt.output_file;
  j->single = 1;
  if (strlen(path) >= sizeof j->dir ||
      sg_split_path(path, j->dir, sizeof j->dir, j->base, sizeof j->base) != 0)
    return sg_seterr(SG_EUSAGE, "output path too long (%zu bytes); choose a shorter one", strlen(path));
  if (!(j->sink = sg_sink_file(j->dir)))
    return sg_seterr(SG_ENOMEM, "out of memory");
  return SG_OK;
}

static sg_err open_output(job *j)
{
  return j->opt.output_file ? open_single(j) : open_store(j);
}

/* Rank 0 prepares the location before anything is written: refused,
 * replaced (--overwrite) or kept (--resume); every rank learns the outcome. */
static sg_err prepare_output(job *j)
{
  int status = SG_OK;
  if (j->rank == 0)
    status = j->single ? sg_outfile_prepare(j->opt.output_file, j->opt.overwrite)
                       : sg_sink_prepare(j->sink, j->opt.overwrite, j->opt.resume);
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return (sg_err)status;
}

/* The model's configuration: rank 0 reads the --config file and sends its
 * text to every rank (the file need only exist where rank 0 runs); every
 * rank then applies it and builds the same copula. */
static sg_err load_model(job *j)
{
  sg_config_default(&j->cfg);
  char *text = NULL;
  long len = 0;
  int status = SG_OK;
  if (j->opt.config) {
    if (j->rank == 0) {
      status = sg_read_text(j->opt.config, CONFIG_MAX, "--config", &text);
      len = text ? (long)strlen(text) : 0;
    }
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (status != SG_OK)
      return (sg_err)status;
    MPI_Bcast(&len, 1, MPI_LONG, 0, MPI_COMM_WORLD);
    if (j->rank != 0 && !(text = calloc((size_t)len + 1, 1)))
      return sg_seterr(SG_ENOMEM, "out of memory reading --config");
    MPI_Bcast(text, (int)len, MPI_CHAR, 0, MPI_COMM_WORLD);
    sg_err e = sg_config_apply_json(&j->cfg, text, j->opt.config);
    free(text);
    if (e != SG_OK)
      return e;
  }
  if (j->opt.artists)
    j->cfg.artists = j->opt.artists;
  if (j->opt.playlist_size)
    j->cfg.playlist_median = (double)j->opt.playlist_size;
  j->copula = malloc(sizeof *j->copula);
  if (!j->copula)
    return sg_seterr(SG_ENOMEM, "out of memory while starting");
  return sg_copula_build(j->copula, &j->cfg, j->opt.config);
}

/* Rank 0: the target checks over the merged statistics and the rows per
 * artist summed over ranks (integers: the sum is the same for any -np). */
static void run_targets(job *j, const sg_stats *total)
{
  sg_measures m = {total, &j->cfg, 0, 0, 0, 0, 0,
                   "not measured while generating: ids are unique by construction; "
                   "spotgen verify checks the files"};
  if (j->artist_rows) {
    m.have_artists = 1;
    sg_artist_summary(j->artist_rows, j->model.catalog.artists, &m.artist_top1, &m.artist_gini);
  }
  j->nchecks = sg_targets_run(&m, j->checks);
}

static sg_err setup(job *j)
{
  j->plan = sg_plan_make(j->opt.rows, j->opt.rows_per_part, j->opt.parts);
  j->fmt_ops = sg_format_find(j->opt.format);
  j->first_part = sg_plan_rank_first_part(&j->plan, j->rank, j->nranks);
  j->end_part = sg_plan_rank_first_part(&j->plan, j->rank + 1, j->nranks);
  j->progress_req = MPI_REQUEST_NULL;
  j->seg_slot = -1;
  sg_format_options fo = format_options(j);
  j->fmt = j->sink ? sg_format_create(j->fmt_ops, j->sink, &fo) : NULL;
  j->rows = malloc(CHUNK * sizeof *j->rows);
  if (j->rank == 0) {
    j->rank_rows = calloc((size_t)j->nranks, sizeof *j->rank_rows);
    j->rank_done = calloc((size_t)j->nranks, sizeof *j->rank_done);
  }
  if (!j->sink || !j->fmt || !j->rows || (j->rank == 0 && (!j->rank_rows || !j->rank_done)))
    return sg_seterr(SG_ENOMEM, "out of memory while starting");
  sg_model_init(&j->model, j->opt.seed, j->opt.rows, &j->cfg, j->copula);
  if (j->model.catalog.artists <= MAX_COUNTED_ARTISTS) {
    j->artist_rows = calloc(j->model.catalog.artists, sizeof *j->artist_rows);
    if (!j->artist_rows)
      return sg_seterr(SG_ENOMEM, "out of memory while starting");
  }
  return SG_OK;
}

static void teardown(job *j)
{
  sg_format_destroy(j->fmt);
  sg_sink_destroy(j->sink);
  free(j->rows);
  free(j->artist_rows);
  free(j->copula);
  free(j->results);
  free(j->rank_rows);
  free(j->rank_done);
  free(j->rss_mib);
  free(j->params);
  sg_buf_free(&j->journal);
  free(j->old_journals);
  sg_journal_free(&j->rec);
}

/* A rank that fails on its own says why, once; a rank that was only told to
 * stop says nothing; rank 0 adds what it means for the dataset. */
static sg_err local_failure(const job *j, sg_err e)
{
  if (e != SG_OK && e != SG_EMPI && e != SG_ESIGNAL) {
    if (j->nranks > 1)
      fprintf(stderr, "spotgen: rank %d: %s\n", j->rank, sg_errmsg(e));
    else
      fprintf(stderr, "spotgen: %s\n", sg_errmsg(e));
  }
  return e;
}


int sg_generate_main(int argc, char **argv)
{
  static job jb;
  job *j = &jb;
  sg_err e = sg_cli_generate(argc, argv, &j->opt);
  if ((e != SG_OK || j->opt.help) && !launched())
    return sg_cli_answer(e, sg_usage_generate);

  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &j->rank);
  MPI_Comm_size(MPI_COMM_WORLD, &j->nranks);
  sg_signals_install();
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  j->start_unix = (double)now.tv_sec + now.tv_nsec / 1e9;
  j->t0 = MPI_Wtime();

  if (e == SG_OK && !j->opt.help)
    e = load_model(j);
  if (e == SG_OK && !j->opt.help)
    e = open_output(j);
  if (e == SG_OK && !j->opt.help)
    e = load_records(j);
  if (e == SG_OK && !j->opt.help)
    e = prepare_output(j);
  if (e != SG_OK || j->opt.help) {
    if (j->rank == 0)
      sg_cli_answer(e, sg_usage_generate);
    fflush(NULL);
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    return sg_exit_status(e);
  }

  /* Work phase: each rank its parts; the verdict is common to all. */
  sg_err mine = setup(j);
  if (j->rank == 0)
    sg_progress_init(&j->progress, stderr, j->opt.progress, j->plan.rows, j->t0);
  if (mine == SG_OK)
    mine = do_work(j);
  local_failure(j, mine);
  sg_err verdict = finish_work(j, mine);
  if (j->rank == 0)
    sg_progress_end(&j->progress);

  /* Commit phase: statistics, the single file, manifest, _SUCCESS. */
  sg_stats *total = NULL;
  cJSON *manifest = NULL;
  uint64_t bytes = 0;
  e = verdict;
  if (e == SG_OK && j->rank == 0) {
    sg_dataset_info info = dataset_info(j, &j->plan, j->model.catalog.artists);
    if (j->journaled)
      manifest = sg_manifest_new(&info);
    total = malloc(sizeof *total);
    if (!total)
      e = local_failure(j, sg_seterr(SG_ENOMEM, "out of memory while merging statistics"));
  }
  if (e == SG_OK)
    e = local_failure(j, gather(j, total, manifest, &bytes));
  if (verdict == SG_OK)
    e = agree(e);
  if (e == SG_OK && j->artist_rows) {
    size_t n = j->model.catalog.artists;
    MPI_Reduce(j->rank == 0 ? MPI_IN_PLACE : j->artist_rows, j->artist_rows, (int)n,
               MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    if (j->rank == 0)
      run_targets(j, total);
  } else if (e == SG_OK && j->rank == 0) {
    run_targets(j, total);
  }
  int nhosts = 0;
  char **hosts = gather_hosts(j, &nhosts);
  j->rss_mib = gather_rss(j);
  if (e == SG_OK && j->single)
    e = local_failure(j, assemble(j));
  double seconds = MPI_Wtime() - j->t0;
  if (e == SG_OK && j->rank == 0 && manifest)
    e = local_failure(j, write_dataset_end(j, total, manifest, hosts, nhosts, seconds));
  uint64_t kept = 0;
  MPI_Reduce(&j->kept, &kept, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  if (e == SG_OK && j->rank == 0 && manifest && j->journaled)
    remove_journals(j);
  if (e == SG_OK && j->rank == 0 && j->opt.resume)
    fprintf(stderr, "spotgen: resumed: %llu of %llu parts kept as recorded, %llu generated\n",
            (unsigned long long)kept, (unsigned long long)j->plan.parts,
            (unsigned long long)(j->plan.parts - kept));
  if (e == SG_OK && j->rank == 0)
    print_summary(j, bytes, seconds);

  if (e != SG_OK && j->rank == 0) {
    if (verdict == SG_ESIGNAL || mine == SG_ESIGNAL)
      fprintf(stderr, "spotgen: %s; temporary files removed, no _SUCCESS written\n",
              mine == SG_ESIGNAL ? sg_errmsg(mine) : "interrupted");
    else if (verdict != SG_OK)
      fprintf(stderr, "spotgen: rank %d failed; temporary files removed, no _SUCCESS written\n",
              j->failed_rank);
  }
  if (mine != SG_OK)
    e = mine;
  for (int i = 0; hosts && i < nhosts; i++)
    free(hosts[i]);
  free(hosts);
  cJSON_Delete(manifest);
  free(total);
  teardown(j);
  MPI_Finalize();
  return sg_exit_status(e);
}
