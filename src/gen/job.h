/* job.h - the generate driver's one job, shared by the files of src/gen/
 * (private: nothing outside this folder includes it, and MPI is used only
 * here).
 *
 * The driver (generate.c) runs the steps in order, every rank the same:
 *   plan     the model (load_model), the output (output.c), and what a run
 *            being resumed recorded (resume.c)
 *   prepare  rank 0 readies the location (output.c)
 *   work     each rank its parts (work.c), under the control protocol
 *            (control.c) that ends in one verdict for every rank
 *   gather   statistics in part order, target checks, hosts (commit.c)
 *   commit   the --output file, manifest, _SUCCESS (commit.c)
 *
 * Control messages, all small:
 *   worker -> 0  TAG_PROGRESS  rows done so far (at most every 0.2 s)
 *   worker -> 0  TAG_DONE      final status and rows, once
 *   0 -> worker  TAG_ABORT     stop: another rank failed (only before its DONE)
 *   0 -> worker  TAG_VERDICT   the job's outcome, once, after every DONE
 *   worker -> 0  TAG_PART      one part's entry and statistics, after a good verdict
 * Every message sent is received, so the job also ends cleanly when it fails.
 */
#ifndef SPOTGEN_GEN_JOB_H
#define SPOTGEN_GEN_JOB_H

#include <mpi.h>
#include <stdint.h>

#include "spotgen/base/buf.h"
#include "spotgen/dataset/dirty.h"
#include "spotgen/format/dirty_row.h"
#include "spotgen/store/outdir.h"
#include "spotgen/dataset/journal.h"
#include "spotgen/dataset/manifest.h"
#include "spotgen/dataset/progress.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/dataset/stats.h"
#include "spotgen/dataset/targets.h"
#include "spotgen/format/format.h"
#include "spotgen/gen/generate.h"
#include "spotgen/lake/object.h"
#include "spotgen/lake/shape.h"
#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/model/days.h"
#include "spotgen/model/model.h"
#include "spotgen/model/plan.h"
#include "spotgen/store/lock.h"
#include "spotgen/store/sink.h"

enum { TAG_PROGRESS = 101, TAG_DONE, TAG_ABORT, TAG_VERDICT, TAG_PART };

/* What a rank keeps of an object it wrote until rank 0 has it: its entry
 * and, for an object of the dataset's rows, the head of its statistics,
 * which rank 0 merges in part order (stats.h). The histograms and --dirty's
 * counts, integers, are summed per rank as the objects are written, so an
 * object costs about 3 KB, not the 64 KB of whole statistics. */
typedef struct part_result {
  sg_part_entry entry;
  sg_change_counts changes;  /* a day's changes object: its rows by op */
  uint32_t nfiles;         /* a partitioned object's files (in the rank's files, in order) */
  double head[(SG_STATS_HEAD + sizeof(double) - 1) / sizeof(double)];
} part_result;

typedef struct job {
  sg_gen_options opt;
  sg_plan plan;
  int rank, nranks;
  const sg_format_ops *fmt_ops;
  int single;              /* --output FILE: one file, no manifest */
  int stream;              /* --output -: to standard output */
  sg_outfile outfile;      /* --output: the file's permissions (rank 0's) */
  sg_shape shape;          /* the objects the run writes, their keys (lake/shape.h) */
  char partition_by[160];  /* --partition-by's fields as the manifest says them, or "" */
  char dir[2048];          /* where objects are written */
  char base[256];          /* --output: the file's name within dir */
  sg_runlock lock;         /* rank 0: the run's lock at its location (lock.h) */
  char lock_name[300];     /* _spotgen_lock, or --output's .NAME.spotgen-lock beside the segments */
  sg_sink *sink;
  sg_s3_options s3_options;  /* the sinks' (--out s3://) */
  sg_sink_config sink_config;/* as the sink was made, for a partition's file's (lake/object.h) */
  sg_format *fmt;
  sg_config cfg;
  sg_copula *copula;
  sg_dirty *dirty;         /* --dirty's rates, or NULL */
  sg_dirty_counts dirty_total; /* rank 0: every part's, summed */
  sg_writer w;             /* writes one object at a time (lake/object.h) */
  /* --table-format iceberg: the tables (by table id: --tables' five, or the
     flat one), their locations, and their files' manifest entries (this
     rank's; rank 0's gathers every rank's) */
  char root[2048];         /* the dataset's URI: rank 0's, broadcast */
  sg_iceberg_tables ice;   /* the tables at root */
  sg_iceberg_files ice_files[SG_TABLE_FLAT + 1];
  double commit_seconds;   /* rank 0: writing the tables' metadata */
  sg_writer measure;       /* --resume: writes a kept object again to the null sink, for its entries */
  sg_sink *null_sink;
  sg_format *null_fmt;
  sg_stats *rank_stats;    /* the histograms of this rank's objects, summed */
  sg_dirty_counts rank_dirty; /* and their --dirty counts */
  sg_model model;
  /* --days, --day, --as-of: the world's days (days.h) over a catalogue of
     their own (the model's is built later), and rank 0's counts by day */
  int have_days;
  sg_catalog days_catalog;
  sg_days days;
  sg_change_counts *day_counts; /* each day's, for each table of its changes (gen_day_counts) */
  uint64_t snapshot_rows;  /* rank 0: the snapshot's rows (the state's, with --as-of) */
  uint64_t *artist_rows;   /* rows per artist on this rank, or NULL */
  size_t ntracks;          /* the catalogue's tracks, and the new releases of the snapshot's day */
  uint32_t *track_rows;    /* rows per track on this rank, or NULL */
  uint8_t *track_pop;      /* a placed track's popularity + 1, else 0 (with track_rows) */
  double track_spearman;   /* rank 0: sg_track_spearman over every rank's rows */
  part_result *results;    /* this rank's objects (parts, or parts of tables), in order */
  sg_part_file *files;     /* their files, when partitioned, in order */
  size_t nfiles, cap_files;
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
  /* --resume, and the journal every run keeps */
  int journaled;           /* the store keeps a dataset (not --output, not null:): a journal and a manifest */
  char *params;            /* the parameters' line (sg_journal_params) */
  sg_buf journal;          /* this rank's journal so far */
  size_t pending_at;       /* where its pending lines start (a partitioned object's files), or 0 */
  sg_journal rec;          /* what a resumed run found recorded */
  char (*old_journals)[64];/* rank 0: the journal objects it read */
  int nold;
  uint64_t kept;           /* parts kept as recorded, on this rank */
  /* gathered after a good verdict (rank 0) */
  sg_stats *total;         /* every part's statistics, merged in part order */
  cJSON *manifest;         /* the dataset's manifest, when journaled */
  uint64_t bytes;          /* of every part */
  uint64_t files_written;  /* data files: an object's, or a partitioned one's each */
  uint64_t table_rows[SG_NTABLES]; /* --tables: rows of each table */
  sg_check checks[SG_MAX_CHECKS];
  int nchecks;
  char **hosts;            /* the distinct hosts the ranks ran on */
  int nhosts;
  double *rss_mib;         /* every rank's peak RSS */
} job;

/* ---- output.c: the location, the parts' names, the format's options ---- */

/*! gen_open_output() : every rank makes its storage backend for --out (or
 *  its segment's directory for --output); nothing is read or written. */
sg_err gen_open_output(job *j);

/*! gen_prepare_output() : rank 0 readies the location (refused, replaced
 *  by --overwrite or kept by --resume); every rank learns the outcome. */
sg_err gen_prepare_output(job *j);

/*! gen_assemble() : --output FILE: every rank's segment is copied to its
 *  offset in the one file, which then replaces FILE (collective). */
sg_err gen_assemble(job *j);

void gen_segment_key(const job *j, int rank, char *out, size_t cap);
sg_format_options gen_format_options(const job *j);

/*! gen_dataset_info() : what the manifest says of the dataset, the sizes
 *  from its catalog. */
sg_dataset_info gen_dataset_info(const job *j, const sg_plan *plan, const sg_catalog *cat);

/* ---- resume.c: the journal's parameters, and what a resumed run kept ---- */

/*! gen_owned() : rank 0, for --overwrite: what the location's records (its
 *  manifest and journals) say a previous run wrote there, which may go. */
sg_err gen_owned(job *j, sg_owned *owned);

/*! gen_load_records() : the parameters' line every journaled run keeps;
 *  with --resume, rank 0 reads the record and every rank gets it. */
sg_err gen_load_records(job *j);

/*! gen_remove_journals() : after _SUCCESS, rank 0 removes the journals. */
void gen_remove_journals(job *j);

/* ---- work.c: this rank's parts ------------------------------------------ */

/*! gen_setup() : the plan, this rank's share, the format and the model. */
sg_err gen_setup(job *j);

/*! gen_do_work() : writes (or keeps, on --resume) this rank's parts. */
sg_err gen_do_work(job *j);

/* ---- control.c: the control protocol ------------------------------------ */

/*! gen_watch_others() : for the work phase, the long waits inside the sinks
 *  (S3 uploads, back-off) also stop when another rank failed: the rank then
 *  aborts its uploads at once instead of finishing them. gen_finish_work()
 *  ends it. */
void gen_watch_others(job *j);

/*! gen_poll_control() : between chunks: signals, rank 0's orders,
 *  progress. Cheap when idle. */
sg_err gen_poll_control(job *j);

/*! gen_finish_work() : every rank reports, rank 0 decides.
 *  @return : the verdict, the same on every rank. */
sg_err gen_finish_work(job *j, sg_err mine);

/*! gen_agree() : every rank learns the worst outcome (collective). */
sg_err gen_agree(sg_err e);

/*! gen_local_failure() : a rank that fails on its own says why, once; a
 *  rank that was only told to stop says nothing. @return : e. */
sg_err gen_local_failure(const job *j, sg_err e);

/* ---- commit.c: after the verdict ---------------------------------------- */

/*! gen_gather() : rank 0 merges the statistics in part order and runs the
 *  target checks; every rank's host and memory are gathered (collective).
 *  @return : `e`, or the first failure. */
sg_err gen_gather(job *j, sg_err e);

/*! gen_commit() : the --output file, or the manifest and _SUCCESS; the
 *  summary (collective). @return : `e`, or the first failure. */
sg_err gen_commit(job *j, sg_err e);

/* The counts of day `day`'s changes to the shape's change table `change`
 * (the day's events by kind are change 0's). */
static inline sg_change_counts *gen_day_counts(const job *j, int32_t day, int change)
{
  return &j->day_counts[(size_t)(day - j->shape.days.first) * (size_t)j->shape.nchange + (size_t)change];
}

#endif
