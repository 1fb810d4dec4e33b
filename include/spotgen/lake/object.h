/* object.h - writing one object of a run (shape.h): a part's rows, its
 * --dirty ledger, or an entity table's part, through a format to a sink,
 * with the statistics of what was written. No MPI: generate runs it for
 * each of a rank's objects; the unit tests run it alone.
 *
 *   sg_writer w;
 *   sg_writer_init(&w, &shape, &model, seed, dirty, ops, fmt, sink);
 *   for each object o:  sg_object_write(&w, o, &entry)   (or sg_object_replay)
 *   sg_writer_free(&w);
 *
 * The bytes of an object are a function of the dataset's parameters and o
 * alone: the same whichever rank, in whatever order, writes it. */
#ifndef SPOTGEN_LAKE_OBJECT_H
#define SPOTGEN_LAKE_OBJECT_H

#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/dataset/changes.h"
#include "spotgen/dataset/dirty.h"
#include "spotgen/dataset/locate.h"
#include "spotgen/dataset/manifest.h"
#include "spotgen/dataset/stats.h"
#include "spotgen/format/dirty_row.h"
#include "spotgen/format/format.h"
#include "spotgen/lake/deletes.h"
#include "spotgen/lake/iceberg.h"
#include "spotgen/lake/shape.h"
#include "spotgen/model/model.h"
#include "spotgen/store/sink.h"

#define SG_WRITER_CHUNK 512 /* rows generated, counted and formatted at once */

struct sg_output;

typedef struct sg_writer {
  /* given to sg_writer_init */
  const sg_shape *shape;
  sg_model *model;
  uint64_t seed;
  const sg_dirty *dirty;      /* --dirty's rates, or NULL */
  const sg_format_ops *ops;
  sg_format *fmt;             /* writes to `sink` */
  sg_sink *sink;
  /* set after sg_writer_init when wanted (all zero by default) */
  int single;                 /* --output FILE: every object continues the sink's one
                                 open stream (no open, no commit), the header only
                                 before part 0 */
  sg_err (*poll)(void *ctx);  /* between chunks: a failure stops the object */
  void *ctx;
  /* a partitioned object's files, ended, before any is committed (their
     names for the journal: what --overwrite may remove); NULL: none */
  sg_err (*before_commit)(void *ctx, const sg_part_file *files, int n);
  uint64_t *artist_rows;      /* rows per artist, or NULL: counted from ROWS objects */
  uint32_t *track_rows;       /* rows per track, or NULL */
  uint8_t *track_pop;         /* with track_rows: a placed track's popularity + 1 */
  /* a partitioned object's files each have a sink and a format of their own,
     made from these (not with `single`) */
  const char *url;            /* where the sink writes (sg_sink_for_url) */
  sg_sink_config sink_config;
  sg_format_options format_options;
  /* --table-format iceberg: each data file, once written, joins its table's
     manifest entries (NULL: none); both indexed by table id */
  const sg_iceberg_table *iceberg;
  sg_iceberg_files *iceberg_files;
  const char *root;           /* the dataset's URI, before the files' keys */
  /* --days: the world's days (with --as-of, the snapshot's rows are its
     state; a CHANGES object's rows its day's changes) */
  const sg_days *days;
  /* what was written */
  sg_stats *stats;            /* the last object's statistics (ROWS objects') */
  sg_dirty_counts counts;     /* and, --dirty, what its rows were given */
  sg_change_counts changes;   /* and, a CHANGES object, its rows by op */
  uint64_t done_rows;         /* the dataset's rows made so far (ROWS objects') */
  sg_part_file *files;        /* the last object's files, by key, when partitioned */
  int nfiles;
  /* scratch */
  sg_day_event *events;       /* --days: the events of day events_day (its objects come in order) */
  size_t nevents;
  int32_t events_day;         /* 0: none */
  sg_file_metrics metrics;    /* the last file's (iceberg) */
  sg_locator locate[SG_NTABLES + 1]; /* --days, iceberg: where each changing table's rows are,
                                        by table id (day_index NULL until first used) */
  int located[SG_NTABLES + 1];
  sg_row *rows;               /* SG_WRITER_CHUNK */
  sg_dirty_lines *lines;      /* --dirty: one row's lines */
  uint32_t *words;            /* --dirty: a chunk's random words */
  struct sg_output *out;      /* a partitioned object's files being written */
  int nout, cap_out;
  struct keyslot *keys;       /* rows' partition keys -> their output (lake/partition.h) */
  int nkeys, cap_keys;
  size_t files_cap;
} sg_writer;

/*! sg_writer_init() : a writer of the objects of `shape`, their rows made
 *  by `model` (of seed `seed`), written by format `fmt` (of `ops`) to
 *  `sink`. @return : SG_OK or SG_ENOMEM. */
sg_err sg_writer_init(sg_writer *w, const sg_shape *shape, sg_model *model, uint64_t seed, const sg_dirty *dirty,
                      const sg_format_ops *ops, sg_format *fmt, sg_sink *sink);

void sg_writer_free(sg_writer *w);

/*! sg_object_write() : writes object o and commits it (not with `single`);
 *  *entry gets its index, rows, bytes, CRC-32 and ETag. A partitioned
 *  object (shape.h) is a file per partition its rows fall in, committed
 *  in the order of their keys once every one is whole (and before_commit
 *  has them): w->files lists them, and *entry has their rows and bytes
 *  summed (no CRC-32 or ETag). On failure the files committed are removed
 *  and the rest left open: the caller calls sg_writer_abort. */
sg_err sg_object_write(sg_writer *w, uint64_t o, sg_part_entry *entry);

/*! sg_writer_abort() : after a failure, every file being written is
 *  aborted: nothing is left behind. */
void sg_writer_abort(sg_writer *w);

/*! sg_object_replay() : object o as if written, without formatting or
 *  writing it (a part kept by --resume): the statistics and counts of a
 *  ROWS object, the counts of a CHANGES one; nothing for the others. */
sg_err sg_object_replay(sg_writer *w, uint64_t o);

#endif
