/* generate.h - the `generate` subcommand: the MPI driver.
 *
 * The only module that calls MPI. Every rank parses the same arguments, rank 0
 * prepares the output location, each rank writes the parts the static plan
 * gives it, and rank 0 merges the parts' statistics in part order, then writes
 * _manifest.json and _SUCCESS once every rank has committed every part.
 *
 * While working, ranks report to rank 0 (progress, then done or failed);
 * when one fails, rank 0 tells the others to stop, every rank removes what it
 * had begun, and the job exits non-zero without _SUCCESS. */
#ifndef SPOTGEN_GENERATE_H
#define SPOTGEN_GENERATE_H

#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/lake/partition.h"
#include "spotgen/s3/s3.h"

/* What `spotgen generate` was asked to do (cli.c parses it). */
typedef struct sg_gen_options {
  uint64_t rows;
  uint64_t seed;
  uint64_t rows_per_part;  /* 0 when --parts was given */
  uint64_t parts;          /* 0 unless --parts was given */
  const char *out;         /* directory, or "null:"; NULL with --output */
  const char *output_file; /* --output FILE.csv: one single file */
  const char *format;
  uint64_t compression_level; /* --compression-level; 0: the codec's default */
  int resume;                 /* --resume */
  const char *parquet_codec;  /* --parquet-codec: zstd, snappy or none (parquet only) */
  const char *parquet_bloom;  /* --parquet-bloom: column names, ids or none; NULL: ids (parquet only) */
  uint64_t row_group_size;    /* --row-group-size, bytes */
  const char *config;      /* --config FILE.json, or NULL */
  uint64_t artists;        /* --artists N, 0 unless given */
  uint64_t tracks;         /* --tracks N, 0 unless given */
  int tables;              /* --tables: the normalised dataset, five linked tables */
  const char *partition_by;   /* --partition-by SPEC[,SPEC], or NULL */
  sg_partitioning partition;  /* and parsed (n == 0: not partitioned) */
  const char *table_format;   /* --table-format: "iceberg", or NULL (part files) */
  uint64_t manifest_size;     /* --manifest-size: an Iceberg manifest's entries, bytes */
  const char *dirty;       /* --dirty PROFILE or FILE.json (dirty.h), or NULL */
  uint64_t playlist_size;  /* --playlist-size N (median tracks), 0 unless given */
  uint64_t days;           /* --days N: the snapshot, then the changes of days 1 .. N (0: none) */
  uint64_t day;            /* --day D: the changes of day D alone (0: none) */
  uint64_t as_of;          /* --as-of D: the state at the end of day D (0: day 0's) */
  int32_t start;           /* --start DATE: day 0's date, days since 1970-01-01 */
  uint64_t part_size;      /* --part-size: bytes of an S3 multipart part */
  uint64_t s3_inflight;    /* --s3-inflight: parts uploading at once per rank */
  sg_s3_flags s3;          /* --s3-endpoint, --s3-region, ... */
  int overwrite;
  int progress;            /* -1: when stderr is a terminal; 0 off; 1 on */
  int help;
} sg_gen_options;

/*! sg_generate_launched() : whether a launcher (mpirun, srun) started us. */
int sg_generate_launched(void);

/*! sg_generate_main() :
 *  Runs `spotgen generate` with the options the command line gave, every
 *  rank the same. `parsed` is the parsing's outcome: when it failed (or on
 *  --help) under a launcher, every rank starts MPI, rank 0 calls
 *  answer(parsed) to print the one line (or the help), and all exit with
 *  its status, so the launcher sees that line before it tears the job down.
 *  @return : the process exit status. */
int sg_generate_main(const sg_gen_options *o, sg_err parsed, int *argc, char ***argv,
                     int (*answer)(sg_err parsed));

#endif
