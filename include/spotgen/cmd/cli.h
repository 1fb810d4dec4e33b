/* cli.h - command-line parsing for the subcommands. Pure: no I/O but the
 * returned error message, so unit tests call it directly and every rank
 * parses identically. */
#ifndef SPOTGEN_CLI_H
#define SPOTGEN_CLI_H

#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/gen/generate.h"
#include "spotgen/s3/s3.h"

#define SG_DEFAULT_SEED 42
#define SG_DEFAULT_ROWS_PER_PART 1000000
#define SG_MAX_ROWS 1000000000000000ull /* 10^15 */
/* The most parts a run writes. Each costs its rank about 3 KB until the
 * end (its entry and the head of its statistics; 5 entries with --tables),
 * rank 0 a manifest entry, and its journal a line; the journal is written
 * again whole with each part, so parts by the hundred thousand on one rank
 * cost minutes of I/O. 100,000 parts of the default 1,000,000 rows are
 * 10^11 rows; more rows take larger parts. */
#define SG_MAX_PARTS 100000ull
#define SG_DEFAULT_PART_SIZE (16ull << 20)
#define SG_DEFAULT_INFLIGHT 4
#define SG_MAX_SEED 9007199254740991ull /* 2^53 - 1: exact in every JSON reader */


typedef struct sg_verify_options {
  const char *dir;           /* a directory or s3://bucket/prefix */
  sg_s3_flags s3;            /* --s3-endpoint, --s3-region, ... */
  int json;
  int help;
} sg_verify_options;

typedef struct sg_report_options {
  sg_verify_options dataset; /* the dataset and how to reach S3 (json unused) */
  const char *output;        /* -o FILE, "-" for stdout, or NULL: DIR/_report.html */
  int verify;                /* --verify: read the parts back, show verify's checks */
  int overwrite;             /* --overwrite: -o FILE may replace a file that is there */
  int help;
} sg_report_options;

typedef struct sg_score_options {
  const char *cleaned;       /* the user's cleaning: a CSV file or a folder of them, or s3:// */
  const char *truth;         /* --truth DIR: the dirty dataset (its manifest and ledger) */
  sg_s3_flags s3;
  int json;
  int help;
} sg_score_options;

typedef struct sg_fit_options {
  const char *sample;        /* a CSV or Parquet file, or a folder (or s3:// prefix) of them */
  const char *output;        /* -o FILE.json, or "-" for standard output */
  const char *group;         /* --group COL, or NULL: the sample is one group */
  const char *config;        /* --config BASE.json: what the sample does not say, or NULL */
  int overwrite;             /* -o FILE may replace a file that is there */
  sg_s3_flags s3;
  int help;
} sg_fit_options;

typedef struct sg_schema_options {
  int ddl;
  int tables;               /* the five tables' DDL */
  const char *partition_by; /* --partition-by, as generate takes it, or NULL */
  sg_partitioning partition;/* and parsed */
  const char *table_format; /* --table-format iceberg, or NULL */
  const char *format;       /* base format: csv or parquet */
  const char *table;
  const char *location;
  int help;
} sg_schema_options;

/*! sg_cli_generate() : parses the arguments after "generate".
 *  @return : SG_OK, or SG_EUSAGE with a one-line message naming the problem
 *            and the fix. */
sg_err sg_cli_generate(int argc, char **argv, sg_gen_options *o);

/*! sg_cli_verify() : parses the arguments after "verify". */
sg_err sg_cli_verify(int argc, char **argv, sg_verify_options *o);

/*! sg_cli_report() : parses the arguments after "report". */
sg_err sg_cli_report(int argc, char **argv, sg_report_options *o);

/*! sg_cli_score() : parses the arguments after "score". */
sg_err sg_cli_score(int argc, char **argv, sg_score_options *o);

/*! sg_cli_fit() : parses the arguments after "fit". */
sg_err sg_cli_fit(int argc, char **argv, sg_fit_options *o);

/*! sg_cli_schema() : parses the arguments after "schema". */
sg_err sg_cli_schema(int argc, char **argv, sg_schema_options *o);

/*! sg_cli_answer() : what a subcommand says when its arguments are refused
 *  (the message, on stderr) or ask for --help (`usage`, on stdout).
 *  @return : the exit status, 2 or 0. */
int sg_cli_answer(sg_err e, const char *usage);

/*! sg_parse_size() : bytes, with an optional K, M or G suffix (2^10, 2^20,
 *  2^30): "16M" is 16 MiB. @return : 0 and *v, or -1. */
int sg_parse_size(const char *s, uint64_t *v);

/*! sg_parse_count() : a non-negative integer with optional '_' separators and
 *  an optional K, M, G or B suffix (10^3, 10^6, 10^9, 10^9).
 *  @return : 0 and *v on success, -1 on anything else or overflow. */
int sg_parse_count(const char *s, uint64_t *v);

extern const char sg_usage_main[];
extern const char sg_usage_generate[];
extern const char sg_usage_schema[];
extern const char sg_usage_verify[];
extern const char sg_usage_report[];
extern const char sg_usage_score[];
extern const char sg_usage_fit[];

#endif
