/* journal.h - what a run has committed, so that --resume keeps it.
 *
 * Every rank keeps a journal object, _spotgen-journal-RRRRR.txt, next to the
 * parts (a `_` name: Spark, Athena and verify skip it), rewritten whole after
 * each part it commits:
 *
 *   spotgen-journal 1 {"generator":{...},"dataset":{...},"config":{...}}
 *   part 3 100000 23451234 crc32:0a1b2c3d "9b2cf535f27731c974343645a3985328-2"
 *   file 4 2113 531002 crc32:1e2d3c4b - release_year=2001/part-00004.parquet
 *   part 4 100000 23012110 crc32:00000000 -
 *   pending 5 release_year=2001/part-00005.parquet
 *
 * The first line holds the parameters that decide the bytes (the manifest's
 * generator and dataset sections and the model's configuration); each other
 * line one committed part: index, rows, bytes, CRC-32 and S3 ETag (or -).
 * A partitioned object (--partition-by) is a file line per file it made,
 * then its part line, which sums their rows and bytes; before its files are
 * committed their names are pending lines (what --overwrite may remove
 * after a crash), which those lines then replace.
 * A finished run's _manifest.json says the same, so a resume reads either. */
#ifndef SPOTGEN_JOURNAL_H
#define SPOTGEN_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/model/config.h"
#include "spotgen/base/err.h"
#include "spotgen/dataset/manifest.h"

/*! sg_journal_params() : the parameters' line of JSON (malloc'ed), or NULL. */
char *sg_journal_params(const sg_dataset_info *d, const sg_config *cfg);

/*! sg_journal_header() / sg_journal_line() : the journal's first line, and
 *  the line of one committed part, each with its '\n', into out. @return :
 *  bytes written (the line is cut if it does not fit; callers give room). */
size_t sg_journal_header(char *out, size_t cap, const char *params);
size_t sg_journal_line(char *out, size_t cap, const sg_part_entry *p);
size_t sg_journal_file_line(char *out, size_t cap, const sg_part_file *f);
size_t sg_journal_pending_line(char *out, size_t cap, uint64_t index, const char *key);

/* What a resume found recorded, part by part. */
typedef struct sg_journal {
  uint64_t parts;
  sg_part_entry *entry;      /* [parts] */
  uint8_t *have;             /* [parts]: 1 when entry[k] was recorded */
  sg_part_file *files;       /* partitioned objects' files, by index then key (sg_journal_sort) */
  size_t nfiles, cap_files;
} sg_journal;

/*! sg_journal_init() : an empty record of `parts` parts. */
sg_err sg_journal_init(sg_journal *jr, uint64_t parts);
void sg_journal_free(sg_journal *jr);

/*! sg_journal_add_text() :
 *  Adds what a journal object (is_manifest 0) or a finished run's
 *  _manifest.json (1) records. `params` is this run's line: when the text
 *  was written with other parameters, SG_EUSAGE names the first that
 *  differs and how to go on. Malformed text is SG_EDATA, naming `name`. */
sg_err sg_journal_add_text(sg_journal *jr, const char *text, int is_manifest, const char *params,
                           const char *name);

/*! sg_journal_head() : the parameters' line of journal `text`, parsed
 *  (*params, the caller deletes it), and where its records start.
 *  @return : SG_OK; SG_EDATA naming `name` (not a journal, cut short, a
 *            malformed first line); SG_ENOMEM. */
sg_err sg_journal_head(const char *text, const char *name, cJSON **params, const char **records);

/*! sg_journal_sort() : the files in order of index, then key (once all
 *  are added); sg_journal_files() : object o's, and how many. */
void sg_journal_sort(sg_journal *jr);
const sg_part_file *sg_journal_files(const sg_journal *jr, uint64_t o, size_t *n);

/*! sg_journal_records() : fn(ctx, part, key) for each whole record line from
 *  `records` (a last line cut short was never committed: it is ignored),
 *  in linear time, stopping on SIGTERM; key is a file line's or a pending
 *  line's (`pending`: only its index and key are set), NULL for a part line.
 *  @return : SG_OK; SG_EDATA (a malformed line, or one fn refuses with
 *            non-zero); the signal's error. */
sg_err sg_journal_records(const char *records, const char *name,
                          int (*fn)(void *ctx, const sg_part_entry *p, const char *key, int pending),
                          void *ctx);

#endif
