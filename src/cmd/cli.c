/* cli.c - table-driven option parsing (see cli.h). */
#include "spotgen/cmd/cli.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/base/numfmt.h"
#include "spotgen/format/format.h"
#include "spotgen/lake/iceberg.h"
#include "spotgen/model/days.h"
#include "spotgen/model/plan.h"
#include "spotgen/s3/s3.h"

const char sg_usage_main[] =
  "usage: spotgen <command> [options]\n"
  "\n"
  "Generates a realistic synthetic Spotify-style dataset (tracks in playlists,\n"
  "24 columns) as sharded part files, with MPI: mpirun -np N spotgen generate ...\n"
  "\n"
  "commands:\n"
  "  generate   write the dataset (spotgen generate --help)\n"
  "  verify     read a dataset back and check it against its manifest and the targets\n"
  "  schema     print the Spark schema, or the Athena DDL with --ddl\n"
  "  report     write an HTML page of a dataset's charts and checks\n"
  "  score      score a cleaning of a dataset made with generate --dirty\n"
  "  fit        learn a model (a --config file) from a sample of real tracks\n"
  "\n"
  "  --version  print the version\n"
  "  --help     this text\n";

const char sg_usage_generate[] =
  "usage: [mpirun -np N] spotgen generate --rows N (--out DIR | --out null: | --output FILE.csv) [options]\n"
  "\n"
  "  --rows N            rows to generate (1_000_000, 5M and 2G are accepted)\n"
  "  --seed N            seed, 0 .. 2^53-1 (default 42); same seed, same bytes\n"
  "  --rows-per-part N   rows in each part file (default 1,000,000); alias --chunk-size\n"
  "  --parts N           or: this many parts of near-equal size\n"
  "  --out DIR           write part-NNNNN.csv, _manifest.json and _SUCCESS into DIR\n"
  "  --out s3://B/P      the same under an S3 bucket and prefix (multipart uploads)\n"
  "  --out null:         generate and discard (benchmarks)\n"
  "  --output FILE.csv   write one single CSV file instead of parts (- for stdout)\n"
  "  --format F          csv (default), csv.gz (gzip), csv.zst (zstd): compressed\n"
  "                      part by part as it is written; or parquet\n"
  "  --compression-level N  gzip 1 .. 9 (default 1), zstd 1 .. 19 (default 3)\n"
  "  --parquet-codec C   parquet pages: zstd (default), snappy or none\n"
  "  --row-group-size SIZE  parquet row groups of about SIZE, PLAIN-encoded (default 64M)\n"
  "  --parquet-bloom COLS  parquet bloom filters on these columns: names, ids (every id\n"
  "                      column's dictionary-encoded chunks; the default) or none\n"
  "  --config FILE.json  override the model: category mix and profiles, correlation\n"
  "                      targets, catalog sizes, popularity (see examples/config.json)\n"
  "  --artists N         number of artists (default: 300K x (rows / 66.3M)^0.6, >= 100)\n"
  "  --tracks N          tracks in the catalogue (default: 4.5M x (rows / 66.3M)^0.6)\n"
  "  --playlist-size N   median tracks per playlist (default 50)\n"
  "  --tables            write the normalised dataset instead: artists/, albums/, tracks/,\n"
  "                      playlists/ and playlist_tracks/, whose join is the flat one\n"
  "  --partition-by SPEC[,SPEC]  Hive-style folders: playlist_category, release_date:year\n"
  "                      or release_date:month (with --tables: albums by the date,\n"
  "                      playlists by category); one file per partition in each part\n"
  "  --table-format iceberg  DIR becomes an Apache Iceberg v2 table (with --tables, one\n"
  "                      per table): data/ and metadata/, committed by rank 0 (parquet)\n"
  "  --manifest-size SIZE  iceberg: a manifest lists about SIZE of entries (default 8M)\n"
  "  --dirty PROFILE     data to clean: light, realistic or hostile corruption (or a\n"
  "                      FILE.json of rates), a row_key column, and the ledger of\n"
  "                      every change in _dirty/ (Parquet: a missing value is a\n"
  "                      null, and only values of the column's type are made)\n"
  "  --days N            a world that changes: the snapshot of day 0, then each day's\n"
  "                      changes in _changes/batch_date=YYYY-MM-DD/ (op, change_ts,\n"
  "                      then the 24 columns; with --tables, each changing table's\n"
  "                      in _changes/TABLE/) for days 1 .. N (docs/days.md)\n"
  "  --day D             day D's changes alone: the same bytes as in a --days run\n"
  "  --as-of D           the dataset as it stands at the end of day D (with --days N:\n"
  "                      the state of day D, then the changes of days D+1 .. N)\n"
  "  --start DATE        day 0's date, YYYY-MM-DD (default 2024-01-01)\n"
  "  --overwrite         replace an existing dataset in DIR\n"
  "  --resume            finish an interrupted run of the same command: keep the parts\n"
  "                      it recorded that are intact, generate the rest\n"
  "  --progress          show progress on stderr (default: when it is a terminal)\n"
  "  --no-progress       never show progress\n"
  "  --help              this text\n"
  "\n"
  "S3 (--out s3://bucket/prefix):\n"
  "  --part-size SIZE    multipart part size, 5M .. 5G (default 16M)\n"
  "  --s3-inflight N     parts uploading at once per rank (default 4)\n"
  "  --s3-endpoint URL   an S3-compatible endpoint (MinIO, Ceph); default AWS_ENDPOINT_URL_S3,\n"
  "                      AWS_ENDPOINT_URL, or AWS's own for the region\n"
  "  --s3-region REGION  default AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1\n"
  "  --s3-ca-bundle FILE certificates to trust for HTTPS (a private CA)\n"
  "  --s3-retries N      attempts per request before giving up (default 10)\n"
  "  --s3-timeout S      a request without progress for S seconds is retried (default 30)\n";

const char sg_usage_verify[] =
  "usage: spotgen verify DIR|s3://bucket/prefix [--json] [--s3-endpoint URL] [--s3-region R]\n"
  "\n"
  "Reads every part of the dataset in DIR back, recomputes its statistics from the\n"
  "files, compares rows, bytes, checksums and statistics with _manifest.json, and\n"
  "checks every target of the model. Exit 0 when all pass, 5 when any fails.\n"
  "\n"
  "  --json   print the result as JSON instead of a table\n"
  "  --s3-endpoint, --s3-region, --s3-ca-bundle, --s3-retries, --s3-timeout: as for generate\n";

const char sg_usage_score[] =
  "usage: spotgen score CLEANED --truth DIR [--json]\n"
  "\n"
  "Scores a cleaning of a dataset written by generate --dirty against the truth\n"
  "generate kept: DIR's manifest and its ledger (DIR/_dirty/). CLEANED is a CSV\n"
  "(.csv, .csv.gz, .csv.zst) or Parquet (.parquet) file, or a folder (or\n"
  "s3://bucket/prefix) of them, rows in any order, with the row_key column and\n"
  "any of the 24. Prints, per kind and\n"
  "column, the dirty cells, how many the cleaning fixed (recall) and how many of\n"
  "its changes were right (precision); the clean cells it broke; the cells still\n"
  "wrong; and the precision and recall of the rows it removed as duplicates.\n"
  "Exit 0 when it could score, 2 when the input cannot be read, 1 when memory\n"
  "runs out.\n"
  "\n"
  "  --truth DIR  the dirty dataset: a directory or s3://bucket/prefix\n"
  "  --json       print the scores as JSON\n"
  "  --s3-endpoint, --s3-region, --s3-ca-bundle, --s3-retries, --s3-timeout: as for generate\n";

const char sg_usage_fit[] =
  "usage: spotgen fit SAMPLE -o MODEL.json [--group COL] [--config BASE.json] [--overwrite]\n"
  "\n"
  "Learns spotgen's model from a sample of tracks: SAMPLE is a CSV (.csv,\n"
  ".csv.gz, .csv.zst) or Parquet (.parquet) file, or a folder (or\n"
  "s3://bucket/prefix) of them, with the nine audio features' columns\n"
  "(danceability, energy, loudness, speechiness, acousticness,\n"
  "instrumentalness, liveness, valence, tempo) and, when present, duration_ms\n"
  "and popularity (or popularity_score). Writes a --config file for generate:\n"
  "each feature's distribution (its quantiles) and the features' correlations\n"
  "in each category, the categories' shares, popularity. Prints a report: the\n"
  "sample's quantiles and correlations beside those of rows drawn from the\n"
  "model. Exit 0 when it wrote the model, 2 when the sample cannot be fitted\n"
  "(the message says why), 1 when memory runs out.\n"
  "\n"
  "  -o FILE.json   where to write the model (- for standard output, the\n"
  "                 report then going to standard error)\n"
  "  --group COL    the column that says each track's group (a category or a\n"
  "                 genre): groups named workout, sleep, party, chill, focus\n"
  "                 are those categories; other groups each join the category\n"
  "                 whose built-in profile is nearest theirs. Without it the\n"
  "                 sample is one group that every category takes.\n"
  "  --config BASE.json  the model's other parts (catalog, popularity's artist\n"
  "                 share, duration_ms when the sample has none) from this\n"
  "                 --config file instead of the built-in ones\n"
  "  --overwrite    replace FILE.json if it is there\n"
  "  --s3-endpoint, --s3-region, --s3-ca-bundle, --s3-retries, --s3-timeout: as for generate\n";

const char sg_usage_report[] =
  "usage: spotgen report DIR|s3://bucket/prefix [-o FILE.html] [--verify]\n"
  "\n"
  "Writes one self-contained HTML page (inline SVG, nothing fetched) of the\n"
  "dataset's charts and target checks, from _manifest.json alone: instant at\n"
  "any size. Exit 0, or 5 when a target fails (the page is written and says so).\n"
  "\n"
  "  -o, --output FILE  where to write it (default DIR/_report.html: the '_' keeps\n"
  "                     Spark and Athena from reading it as data); - for stdout\n"
  "  --overwrite        replace FILE when it is there (only a regular file)\n"
  "  --verify           first read every part back as 'spotgen verify' does, and\n"
  "                     show its checks instead of those made while generating\n"
  "  --s3-endpoint, --s3-region, --s3-ca-bundle, --s3-retries, --s3-timeout: as for generate\n";

const char sg_usage_schema[] =
  "usage: spotgen schema [--ddl [--tables] [--format F] [--table NAME] [--location s3://bucket/prefix/]]\n"
  "\n"
  "  (no option)      the Spark StructType JSON of the 24 columns\n"
  "  --ddl            an Athena/Glue CREATE EXTERNAL TABLE for the parts\n"
  "  --format F       the parts' format, as given to generate (default csv)\n"
  "  --tables         the DDL of --tables' five tables, NAME_artists ... in their folders\n"
  "  --partition-by SPEC  the tables as generate --partition-by SPEC writes them:\n"
  "                   PARTITIONED BY, with Athena partition projection\n"
  "  --table-format iceberg  how to register the Iceberg tables generate\n"
  "                   --table-format iceberg writes (Glue, Athena, Spark on EMR)\n"
  "  --table NAME     table name for --ddl (default spotify_tracks; with --tables, the\n"
  "                   tables' prefix, default spotify)\n"
  "  --location URL   table location for --ddl (default s3://YOUR-BUCKET/spotify/)\n";

int sg_cli_answer(sg_err e, const char *usage)
{
  if (e != SG_OK)
    fprintf(stderr, "spotgen: %s\n", sg_errmsg(e));
  else
    fputs(usage, stdout);
  return sg_exit_status(e);
}

int sg_parse_count(const char *s, uint64_t *v)
{
  uint64_t x = 0;
  int digits = 0;
  const char *p = s;
  for (; *p; p++) {
    if (*p == '_' && digits && isdigit((unsigned char)p[1])) /* 1_000_000: between digits only */
      continue;
    if (!isdigit((unsigned char)*p))
      break;
    unsigned d = (unsigned)(*p - '0');
    if (x > (UINT64_MAX - d) / 10)
      return -1;
    x = x * 10 + d;
    digits++;
  }
  if (!digits)
    return -1;
  uint64_t mul = 1;
  switch (*p) {
  case '\0': break;
  case 'k': case 'K': mul = 1000; p++; break;
  case 'm': case 'M': mul = 1000000; p++; break;
  case 'g': case 'G': case 'b': case 'B': mul = 1000000000; p++; break;
  default: return -1;
  }
  if (*p || (mul > 1 && x > UINT64_MAX / mul))
    return -1;
  *v = x * mul;
  return 0;
}

int sg_parse_size(const char *s, uint64_t *v)
{
  char *end;
  if (!isdigit((unsigned char)*s))
    return -1;
  unsigned long long x = strtoull(s, &end, 10);
  int shift = 0;
  switch (*end) {
  case '\0': break;
  case 'k': case 'K': shift = 10; end++; break;
  case 'm': case 'M': shift = 20; end++; break;
  case 'g': case 'G': shift = 30; end++; break;
  default: return -1;
  }
  if (*end == 'i' && end[1] == 'B')
    end += 2;
  else if (*end == 'B' && shift)
    end++;
  if (*end || x > (UINT64_MAX >> shift))
    return -1;
  *v = (uint64_t)x << shift;
  return 0;
}

/* One entry per option: its spellings and where the value goes. */
typedef enum { OPT_FLAG, OPT_STRING, OPT_COUNT, OPT_SIZE } opt_type;
typedef struct opt {
  const char *name;
  opt_type type;
  void *dest;     /* int*, const char**, or uint64_t* */
  int value;      /* for flags: the value stored */
  int *seen;
} opt;

static sg_err parse(const char *cmd, const opt *opts, int nopts, int argc, char **argv)
{
  const opt *given[64]; /* the options with values given so far: each once */
  int ngiven = 0;
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "-h") == 0)
      arg = "--help";
    else if (strcmp(arg, "-o") == 0)
      arg = "--output";
    if (strncmp(arg, "--", 2) != 0)
      return sg_seterr(SG_EUSAGE, "unexpected argument '%s' for '%s'; run 'spotgen %s --help'",
                       arg, cmd, cmd);
    const char *eq = strchr(arg, '=');
    size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
    const opt *o = NULL;
    for (int k = 0; k < nopts; k++)
      if (strlen(opts[k].name) == nlen && strncmp(opts[k].name, arg, nlen) == 0)
        o = &opts[k];
    if (!o)
      return sg_seterr(SG_EUSAGE, "unknown option '%.*s' for '%s'; run 'spotgen %s --help' for the list",
                       (int)nlen, arg, cmd, cmd);
    if (o->seen)
      (*o->seen)++;
    for (int k = 0; o->type != OPT_FLAG && k < ngiven; k++)
      if (given[k]->dest == o->dest) /* the same option, or an alias of it */
        return given[k]->name == o->name
                   ? sg_seterr(SG_EUSAGE, "%s is given twice; give it once", o->name)
                   : sg_seterr(SG_EUSAGE, "%s and %s are the same option, given twice; give one", given[k]->name,
                               o->name);
    if (o->type != OPT_FLAG && ngiven < (int)(sizeof given / sizeof *given))
      given[ngiven++] = o;
    if (o->type == OPT_FLAG) {
      if (eq)
        return sg_seterr(SG_EUSAGE, "option %s takes no value; remove '%s'", o->name, eq);
      *(int *)o->dest = o->value;
      continue;
    }
    const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
    if (!val)
      return sg_seterr(SG_EUSAGE, "option %s needs a value; for example %s %s", o->name, o->name,
                       o->type == OPT_COUNT ? "1000000" : "VALUE");
    if (o->type == OPT_STRING) {
      if (!*val)
        return sg_seterr(SG_EUSAGE, "option %s needs a non-empty value", o->name);
      *(const char **)o->dest = val;
    } else if (o->type == OPT_SIZE) {
      if (sg_parse_size(val, (uint64_t *)o->dest) != 0)
        return sg_seterr(SG_EUSAGE, "%s must be a size like 16M or 64MiB (got '%s')", o->name, val);
    } else if (sg_parse_count(val, (uint64_t *)o->dest) != 0) {
      return sg_seterr(SG_EUSAGE, "%s must be a whole number like 1000000 or 5M (got '%s')", o->name, val);
    }
  }
  return SG_OK;
}

/* The S3 flags of generate, verify and report (sg_s3_flags). */
#define S3_FLAG_OPTIONS(f)                                    \
  {"--s3-endpoint", OPT_STRING, &(f)->endpoint, 0, NULL},     \
  {"--s3-region", OPT_STRING, &(f)->region, 0, NULL},         \
  {"--s3-ca-bundle", OPT_STRING, &(f)->ca_bundle, 0, NULL},   \
  {"--s3-retries", OPT_COUNT, &(f)->retries, 0, NULL},        \
  {"--s3-timeout", OPT_COUNT, &(f)->timeout, 0, NULL}

#define S3_RETRIES 10 /* the S3 flags' defaults: a value other than these was given */
#define S3_TIMEOUT 30

static void s3_flags_default(sg_s3_flags *f)
{
  f->retries = S3_RETRIES;
  f->timeout = S3_TIMEOUT;
}

/* Whether `where` is an S3 location. */
static int is_s3(const char *where) { return where && strncmp(where, "s3://", 5) == 0; }

/* The S3 flags are checked, and refused when none of the command's
 * locations (`a`, `b`: either may be NULL) is on S3: they would do nothing. */
static sg_err s3_flags_check(const sg_s3_flags *f, const char *a, const char *b)
{
  if (f->retries < 1 || f->retries > 100 || f->timeout < 1 || f->timeout > 3600)
    return sg_seterr(SG_EUSAGE, "--s3-retries must be 1 .. 100 and --s3-timeout 1 .. 3600 seconds");
  const char *given = f->endpoint ? "--s3-endpoint" : f->region ? "--s3-region" : f->ca_bundle ? "--s3-ca-bundle"
                    : f->retries != S3_RETRIES ? "--s3-retries" : f->timeout != S3_TIMEOUT ? "--s3-timeout" : NULL;
  if (given && !is_s3(a) && !is_s3(b))
    return sg_seterr(SG_EUSAGE, "%s applies to an s3:// location, and %s is local; drop it, or give s3://bucket/prefix",
                     given, a ? a : b ? b : "the output");
  return SG_OK;
}

/* A location (`flag`'s value) that looks like a URL must be one spotgen
 * writes: s3://bucket/prefix (lower case, two slashes) or null:. Others
 * (S3://, s3:/, file://, http://, null:x) would silently become local
 * directories of those names. */
static sg_err check_location(const char *flag, const char *v)
{
  if (!v || is_s3(v) || strcmp(v, "null:") == 0)
    return SG_OK;
  size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
  if (n == 0 || v[n] != ':' || !isalpha((unsigned char)v[0]))
    return SG_OK; /* a path */
  int s3 = n == 2 && strncasecmp(v, "s3", 2) == 0, null = n == 4 && strncasecmp(v, "null", 4) == 0;
  if (!s3 && !null && v[n + 1] != '/' && v[n + 1] != '\0')
    return SG_OK; /* "data:v1" is a path */
  if (s3)
    return sg_seterr(SG_EUSAGE, "%s %s: write an S3 location as s3://bucket/prefix (lower case, two slashes)", flag, v);
  if (null)
    return sg_seterr(SG_EUSAGE, "%s %s: null: takes nothing after the colon; give null: to discard the data", flag, v);
  return sg_seterr(SG_EUSAGE, "%s %s: a %.*s: URL is not a place spotgen writes or reads; give a local path or "
                   "s3://bucket/prefix (an S3-compatible server: --s3-endpoint URL)", flag, v, (int)n, v);
}

/* Whether `name` (n bytes) is a column of a table the run writes. */
static int column_written(const sg_gen_options *o, const char *name, size_t n)
{
  sg_table_id first = o->tables ? SG_TABLE_ARTISTS : o->dirty ? SG_TABLE_DIRTY : SG_TABLE_FLAT;
  sg_table_id last = o->tables ? SG_TABLE_PLAYLIST_TRACKS : o->dirty ? SG_TABLE_DIRTY_LEDGER : SG_TABLE_FLAT;
  for (int t = (int)first; t <= (int)last; t++) {
    const sg_table *tb = sg_schema_table((sg_table_id)t);
    for (int i = 0; i < tb->ncols; i++)
      if (strlen(tb->cols[i]->name) == n && memcmp(tb->cols[i]->name, name, n) == 0)
        return 1;
  }
  return 0;
}

/* --days, --day, --as-of and --start: the days, and what they go with. */
static sg_err days_check(sg_gen_options *o, int days_seen, int day_seen, int as_of_seen, const char *start)
{
  o->start = sg_days_from_civil(2024, 1, 1);
  if (!days_seen && !day_seen && !as_of_seen) {
    if (start)
      return sg_seterr(SG_EUSAGE, "--start sets day 0's date of --days, --day or --as-of; add one of them, or drop "
                       "--start");
    return SG_OK;
  }
  if (start && !sg_parse_date(start, strlen(start), &o->start))
    return sg_seterr(SG_EUSAGE, "--start '%s' is not a date YYYY-MM-DD; for example --start 2024-01-01", start);
  if (o->start < sg_days_from_civil(1970, 1, 1) || o->start > sg_days_from_civil(2200, 1, 1))
    return sg_seterr(SG_EUSAGE, "--start must be between 1970-01-01 and 2200-01-01 (got %s)", start);
  if (days_seen && (o->days < 1 || o->days > SG_DAYS_MAX))
    return sg_seterr(SG_EUSAGE, "--days must be between 1 and %d; for example --days 30", SG_DAYS_MAX);
  if (day_seen && (o->day < 1 || o->day > SG_DAYS_MAX))
    return sg_seterr(SG_EUSAGE, "--day must be between 1 and %d (day 0 is the snapshot: generate without --day)",
                     SG_DAYS_MAX);
  if (as_of_seen && o->as_of > SG_DAYS_MAX)
    return sg_seterr(SG_EUSAGE, "--as-of must be between 0 and %d; for example --as-of 30", SG_DAYS_MAX);
  if (day_seen && (days_seen || as_of_seen))
    return sg_seterr(SG_EUSAGE, "--day D writes day D's changes alone; give it without --days and --as-of");
  if (days_seen && as_of_seen && o->as_of >= o->days)
    return sg_seterr(SG_EUSAGE, "--as-of %llu with --days %llu leaves no day's changes to write; give --as-of "
                     "below --days, or --as-of alone", (unsigned long long)o->as_of, (unsigned long long)o->days);
  const char *what = days_seen ? "--days" : day_seen ? "--day" : "--as-of";
  if (o->dirty || (o->partition_by && o->table_format))
    return sg_seterr(SG_EUSAGE, "%s makes the flat dataset's days, or --tables'; %s is not made with them yet: "
                     "drop it", what, o->dirty ? "--dirty" : "--partition-by with --table-format");
  if (o->table_format && (day_seen || (days_seen && o->as_of)))
    return sg_seterr(SG_EUSAGE, "--table-format iceberg makes a table whose history starts at day 0: give it "
                     "--days N (a snapshot a day) or --as-of D (one snapshot), not %s",
                     day_seen ? "--day D" : "--as-of with --days");
  if (o->output_file)
    return sg_seterr(SG_EUSAGE, "%s writes a dataset of parts (its changes in their own folders); use --out DIR "
                     "(or s3://bucket/prefix), not --output FILE", what);
  return SG_OK;
}

/* --parquet-bloom: "none", or column names of the tables written and "ids". */
/* --table-format: iceberg, whose data files here are Parquet (or NULL: files) */
static sg_err table_format_check(const char *table_format, const char *format)
{
  if (!table_format)
    return SG_OK;
  if (strcmp(table_format, "iceberg") != 0)
    return sg_seterr(SG_EUSAGE, "unknown --table-format '%s'; the one spotgen writes is iceberg (or leave it out "
                     "for part files)", table_format);
  if (strcmp(format, "parquet") != 0)
    return sg_seterr(SG_EUSAGE, "--table-format iceberg writes its data as Parquet; add --format parquet (not %s)",
                     format);
  return SG_OK;
}

static sg_err bloom_check(const sg_gen_options *o)
{
  const char *spec = o->parquet_bloom;
  if (!spec || strcmp(spec, "none") == 0)
    return SG_OK;
  for (const char *p = spec;; p++) {
    size_t n = strcspn(p, ",");
    if (n == 0)
      return sg_seterr(SG_EUSAGE, "--parquet-bloom '%s' has an empty name; give column names separated by commas, "
                       "ids (every id column) or none", spec);
    if (n == 4 && memcmp(p, "none", 4) == 0)
      return sg_seterr(SG_EUSAGE, "--parquet-bloom none turns bloom filters off; give it alone");
    if (!(n == 3 && memcmp(p, "ids", 3) == 0) && !column_written(o, p, n))
      return sg_seterr(SG_EUSAGE, "--parquet-bloom: '%.*s' is not a column of the %s; give column names (for example "
                       "track_id,artist_name), ids (every id column) or none", (int)n, p,
                       o->tables ? "five tables" : o->dirty ? "dirty table or its ledger" : "dataset");
    p += n;
    if (!*p)
      return SG_OK;
  }
}

sg_err sg_cli_generate(int argc, char **argv, sg_gen_options *o)
{
  memset(o, 0, sizeof *o);
  o->seed = SG_DEFAULT_SEED;
  o->format = "csv";
  o->progress = -1;
  o->part_size = SG_DEFAULT_PART_SIZE;
  o->s3_inflight = SG_DEFAULT_INFLIGHT;
  s3_flags_default(&o->s3);
  o->row_group_size = 64u << 20;
  o->manifest_size = SG_ICEBERG_MANIFEST_SIZE;
  int rows_seen = 0, rpp_seen = 0, parts_seen = 0, artists_seen = 0, tracks_seen = 0, psize_seen = 0, level_seen = 0, rg_seen = 0;
  int manifest_seen = 0, days_seen = 0, day_seen = 0, as_of_seen = 0;
  uint64_t rpp = 0;
  const char *start = NULL;
  const opt opts[] = {
    {"--rows", OPT_COUNT, &o->rows, 0, &rows_seen},
    {"--seed", OPT_COUNT, &o->seed, 0, NULL},
    {"--rows-per-part", OPT_COUNT, &rpp, 0, &rpp_seen},
    {"--chunk-size", OPT_COUNT, &rpp, 0, &rpp_seen},
    {"--parts", OPT_COUNT, &o->parts, 0, &parts_seen},
    {"--out", OPT_STRING, &o->out, 0, NULL},
    {"--output", OPT_STRING, &o->output_file, 0, NULL},
    {"--format", OPT_STRING, &o->format, 0, NULL},
    {"--compression-level", OPT_COUNT, &o->compression_level, 0, &level_seen},
    {"--parquet-codec", OPT_STRING, &o->parquet_codec, 0, NULL},
    {"--row-group-size", OPT_SIZE, &o->row_group_size, 0, &rg_seen},
    {"--parquet-bloom", OPT_STRING, &o->parquet_bloom, 0, NULL},
    {"--config", OPT_STRING, &o->config, 0, NULL},
    {"--artists", OPT_COUNT, &o->artists, 0, &artists_seen},
    {"--tracks", OPT_COUNT, &o->tracks, 0, &tracks_seen},
    {"--playlist-size", OPT_COUNT, &o->playlist_size, 0, &psize_seen},
    {"--part-size", OPT_SIZE, &o->part_size, 0, NULL},
    {"--s3-inflight", OPT_COUNT, &o->s3_inflight, 0, NULL},
    S3_FLAG_OPTIONS(&o->s3),
    {"--overwrite", OPT_FLAG, &o->overwrite, 1, NULL},
    {"--tables", OPT_FLAG, &o->tables, 1, NULL},
    {"--partition-by", OPT_STRING, &o->partition_by, 0, NULL},
    {"--table-format", OPT_STRING, &o->table_format, 0, NULL},
    {"--manifest-size", OPT_SIZE, &o->manifest_size, 0, &manifest_seen},
    {"--dirty", OPT_STRING, &o->dirty, 0, NULL},
    {"--days", OPT_COUNT, &o->days, 0, &days_seen},
    {"--day", OPT_COUNT, &o->day, 0, &day_seen},
    {"--as-of", OPT_COUNT, &o->as_of, 0, &as_of_seen},
    {"--start", OPT_STRING, &start, 0, NULL},
    {"--resume", OPT_FLAG, &o->resume, 1, NULL},
    {"--progress", OPT_FLAG, &o->progress, 1, NULL},
    {"--no-progress", OPT_FLAG, &o->progress, 0, NULL},
    {"--help", OPT_FLAG, &o->help, 1, NULL},
  };
  sg_err e = parse("generate", opts, (int)(sizeof opts / sizeof opts[0]), argc, argv);
  if (e != SG_OK || o->help)
    return e;
  if (!rows_seen)
    return sg_seterr(SG_EUSAGE, "missing --rows; for example --rows 1000000");
  if (o->rows == 0 || o->rows > SG_MAX_ROWS)
    return sg_seterr(SG_EUSAGE, "--rows must be between 1 and 10^15 (got %llu)",
                     (unsigned long long)o->rows);
  if (o->seed > SG_MAX_SEED)
    return sg_seterr(SG_EUSAGE, "--seed must be between 0 and 2^53-1 = %llu (got %llu)",
                     (unsigned long long)SG_MAX_SEED, (unsigned long long)o->seed);
  if (rpp_seen && parts_seen)
    return sg_seterr(SG_EUSAGE, "give either --rows-per-part (or --chunk-size) or --parts, not both");
  if (rpp_seen && rpp == 0)
    return sg_seterr(SG_EUSAGE, "--rows-per-part must be at least 1; for example --rows-per-part 1000000");
  if (parts_seen && o->parts == 0)
    return sg_seterr(SG_EUSAGE, "--parts must be at least 1; for example --parts 8");
  if (parts_seen && o->parts > o->rows)
    return sg_seterr(SG_EUSAGE, "--parts %llu is more than --rows %llu: a part holds one row at least; give at most "
                     "--parts %llu", (unsigned long long)o->parts, (unsigned long long)o->rows,
                     (unsigned long long)o->rows);
  o->rows_per_part = parts_seen ? 0 : rpp_seen ? rpp : SG_DEFAULT_ROWS_PER_PART;
  uint64_t nparts = sg_plan_make(o->rows, o->rows_per_part, o->parts).parts;
  if (nparts > SG_MAX_PARTS) {
    uint64_t least = (o->rows + SG_MAX_PARTS - 1) / SG_MAX_PARTS;
    return sg_seterr(SG_EUSAGE, "%llu rows in %s make %llu parts; spotgen writes at most %llu: give --rows-per-part "
                     "%llu or more (or --parts %llu or fewer)", (unsigned long long)o->rows,
                     parts_seen ? "--parts" : rpp_seen ? "the --rows-per-part given" : "parts of 1,000,000 rows",
                     (unsigned long long)nparts, SG_MAX_PARTS, (unsigned long long)least, SG_MAX_PARTS);
  }
  if (artists_seen && (o->artists == 0 || o->artists > 1000000000000ull))
    return sg_seterr(SG_EUSAGE, "--artists must be between 1 and 10^12; for example --artists 50000");
  if (tracks_seen && (o->tracks == 0 || o->tracks > 1000000000000000ull))
    return sg_seterr(SG_EUSAGE, "--tracks must be between 1 and 10^15; for example --tracks 2000000");
  if (psize_seen && (o->playlist_size == 0 || o->playlist_size > 10000))
    return sg_seterr(SG_EUSAGE, "--playlist-size must be between 1 and 10000; for example --playlist-size 50");
  const sg_format_ops *fmt = sg_format_find(o->format);
  if (!fmt)
    return sg_seterr(SG_EUSAGE, "unknown --format '%s'; choose one of: %s", o->format,
                     sg_format_names());
  if ((o->parquet_codec || rg_seen) && !fmt->pages)
    return sg_seterr(SG_EUSAGE, "--parquet-codec and --row-group-size apply to --format parquet, not %s",
                     o->format);
  if (o->parquet_bloom && !fmt->pages)
    return sg_seterr(SG_EUSAGE, "--parquet-bloom applies to --format parquet, not %s", o->format);
  if (fmt->pages && (e = bloom_check(o)) != SG_OK)
    return e;
  if (fmt->pages && !o->parquet_codec)
    o->parquet_codec = "zstd";
  const sg_page_codec *pc = fmt->pages ? sg_page_codec_find(o->parquet_codec) : NULL;
  if (fmt->pages && !pc)
    return sg_seterr(SG_EUSAGE, "unknown --parquet-codec '%s'; choose one of: zstd, snappy, none",
                     o->parquet_codec);
  if (fmt->pages && (o->row_group_size < (1u << 20) || o->row_group_size > (2ull << 30)))
    return sg_seterr(SG_EUSAGE, "--row-group-size must be between 1M and 2G; for example --row-group-size 128M");
  sg_codec level_codec = pc ? pc->level : fmt->codec;
  if (level_seen) {
    int lo, hi, dflt;
    sg_codec_levels(level_codec, &lo, &hi, &dflt);
    if (level_codec == SG_CODEC_NONE)
      return sg_seterr(SG_EUSAGE, "--compression-level applies to --format csv.gz, csv.zst or parquet "
                       "with --parquet-codec zstd");
    if (o->compression_level < (uint64_t)lo || o->compression_level > (uint64_t)hi)
      return sg_seterr(SG_EUSAGE, "--compression-level for %s must be %d .. %d (default %d)",
                       level_codec == SG_CODEC_ZSTD ? "zstd" : "gzip", lo, hi, dflt);
  }
  if (o->out && o->output_file)
    return sg_seterr(SG_EUSAGE, "give either --out DIR or --output FILE.csv, not both");
  if (!o->out && !o->output_file)
    return sg_seterr(SG_EUSAGE,
                     "no destination; give --out DIR, --out null: or --output FILE.csv");
  if (o->output_file && strcmp(o->format, "csv") != 0)
    return sg_seterr(SG_EUSAGE, "--output writes one CSV file; use --out DIR for --format %s",
                     o->format);
  if (o->tables && o->output_file)
    return sg_seterr(SG_EUSAGE, "--tables writes five tables into a dataset; use --out DIR (or s3://bucket/prefix), not --output FILE.csv");
  if (o->dirty && o->output_file)
    return sg_seterr(SG_EUSAGE, "--dirty writes the data and its ledger (_dirty/) into a dataset; use --out DIR (or s3://bucket/prefix), not --output FILE.csv");
  if (o->dirty && o->tables)
    return sg_seterr(SG_EUSAGE, "--dirty corrupts the flat table; give --dirty or --tables, not both");
  if (o->dirty && !*o->dirty)
    return sg_seterr(SG_EUSAGE, "--dirty needs a profile (light, realistic, hostile) or a FILE.json");
  if (o->partition_by && o->output_file)
    return sg_seterr(SG_EUSAGE, "--partition-by writes folders of parts into a dataset; use --out DIR (or "
                     "s3://bucket/prefix), not --output FILE.csv");
  if (o->partition_by && o->dirty)
    return sg_seterr(SG_EUSAGE, "--partition-by does not go with --dirty: a corrupted value would name a folder; "
                     "partition the cleaned data instead");
  if (o->partition_by && (e = sg_partition_parse(o->partition_by, o->tables, &o->partition)) != SG_OK)
    return e;
  if ((e = table_format_check(o->table_format, o->format)) != SG_OK)
    return e;
  if (o->table_format && (o->output_file || (o->out && strcmp(o->out, "null:") == 0)))
    return sg_seterr(SG_EUSAGE, "--table-format iceberg makes --out a table's folder; give --out DIR or --out "
                     "s3://bucket/prefix");
  if (manifest_seen && !o->table_format)
    return sg_seterr(SG_EUSAGE, "--manifest-size applies to --table-format iceberg; drop it, or add --table-format "
                     "iceberg --format parquet");
  if (o->manifest_size < (64u << 10) || o->manifest_size > (1ull << 30))
    return sg_seterr(SG_EUSAGE, "--manifest-size must be between 64K and 1G (Iceberg's default is 8M); for example "
                     "--manifest-size 8M");
  if (o->table_format && o->dirty)
    return sg_seterr(SG_EUSAGE, "--table-format iceberg does not go with --dirty: a table holds typed values; "
                     "write the corrupted feed as files, and the cleaned data as a table");
  if ((e = days_check(o, days_seen, day_seen, as_of_seen, start)) != SG_OK)
    return e;
  if (o->resume && o->overwrite)
    return sg_seterr(SG_EUSAGE, "give either --resume (keep what an interrupted run wrote) or --overwrite (start again), not both");
  if (o->resume && (o->output_file || (o->out && strcmp(o->out, "null:") == 0)))
    return sg_seterr(SG_EUSAGE, "--resume needs --out DIR or --out s3://bucket/prefix: a single --output file or null: cannot be resumed");
  if (o->part_size < (5u << 20) || o->part_size > (5ull << 30))
    return sg_seterr(SG_EUSAGE, "--part-size must be between 5M and 5G (S3's limits); for example --part-size 16M");
  if ((e = check_location("--out", o->out)) != SG_OK || (e = s3_flags_check(&o->s3, o->out, NULL)) != SG_OK)
    return e;
  if (o->s3_inflight != SG_DEFAULT_INFLIGHT && !is_s3(o->out))
    return sg_seterr(SG_EUSAGE, "--s3-inflight applies to an s3:// --out; drop it, or give --out s3://bucket/prefix");
  if (o->s3_inflight < 1 || o->s3_inflight > 64)
    return sg_seterr(SG_EUSAGE, "--s3-inflight must be between 1 and 64; for example --s3-inflight 4");
  if (o->out && strncmp(o->out, "s3://", 5) == 0) {
    char bucket[64], prefix[1024];
    if (sg_s3_parse_url(o->out, bucket, sizeof bucket, prefix, sizeof prefix) != 0)
      return sg_seterr(SG_EUSAGE, "--out '%s' is not an S3 location like s3://bucket/prefix (bucket: 3-63 lower-case letters, digits, '-' or '.')", o->out);
  }
  return SG_OK;
}

/* The one positional argument of verify and report, the dataset, may come
 * anywhere; the options go on to parse(). */
static sg_err dataset_argument(const char *cmd, int argc, char **argv, const char **dir,
                               char **rest, int *nrest)
{
  *nrest = 0;
  for (int i = 0; i < argc; i++) {
    if (strncmp(argv[i], "-", 1) != 0) {
      if (*dir)
        return sg_seterr(SG_EUSAGE, "%s takes one dataset; got '%s' and '%s'", cmd, *dir, argv[i]);
      *dir = argv[i];
    } else if (*nrest < 62) {
      rest[(*nrest)++] = argv[i];
      /* an option with its value in the next argument */
      int valued = strncmp(argv[i], "--s3-", 5) == 0 || strcmp(argv[i], "-o") == 0 ||
                   strcmp(argv[i], "--output") == 0 || strcmp(argv[i], "--truth") == 0 ||
                   strcmp(argv[i], "--group") == 0 || strcmp(argv[i], "--config") == 0;
      if (valued && !strchr(argv[i], '=') && i + 1 < argc)
        rest[(*nrest)++] = argv[++i];
    } else {
      return sg_seterr(SG_EUSAGE, "too many options for '%s'", cmd);
    }
  }
  return SG_OK;
}

/* The dataset (or cleaning) argument of `cmd`, then its options. */
static sg_err parse_with_dataset(const char *cmd, const opt *opts, int n, int argc, char **argv,
                                 const char **dir)
{
  char *rest[64];
  int nrest;
  sg_err e = dataset_argument(cmd, argc, argv, dir, rest, &nrest);
  return e == SG_OK ? parse(cmd, opts, n, nrest, rest) : e;
}

sg_err sg_cli_verify(int argc, char **argv, sg_verify_options *o)
{
  memset(o, 0, sizeof *o);
  s3_flags_default(&o->s3);
  const opt opts[] = {
    {"--json", OPT_FLAG, &o->json, 1, NULL},
    S3_FLAG_OPTIONS(&o->s3),
    {"--help", OPT_FLAG, &o->help, 1, NULL},
  };
  sg_err e = parse_with_dataset("verify", opts, (int)(sizeof opts / sizeof opts[0]), argc, argv, &o->dir);
  if (e != SG_OK || o->help)
    return e;
  if (!o->dir)
    return sg_seterr(SG_EUSAGE, "missing the dataset directory; for example: spotgen verify data/spotify");
  sg_err c = check_location("verify", o->dir);
  return c != SG_OK ? c : s3_flags_check(&o->s3, o->dir, NULL);
}

sg_err sg_cli_score(int argc, char **argv, sg_score_options *o)
{
  memset(o, 0, sizeof *o);
  s3_flags_default(&o->s3);
  const opt opts[] = {
    {"--truth", OPT_STRING, &o->truth, 0, NULL},
    {"--json", OPT_FLAG, &o->json, 1, NULL},
    S3_FLAG_OPTIONS(&o->s3),
    {"--help", OPT_FLAG, &o->help, 1, NULL},
  };
  sg_err e = parse_with_dataset("score", opts, (int)(sizeof opts / sizeof opts[0]), argc, argv, &o->cleaned);
  if (e != SG_OK || o->help)
    return e;
  if (!o->cleaned)
    return sg_seterr(SG_EUSAGE, "missing the cleaned data; for example: spotgen score cleaned/ --truth data/dirty");
  if (!o->truth)
    return sg_seterr(SG_EUSAGE, "missing --truth DIR: the dataset generate --dirty wrote (its manifest and _dirty/ ledger)");
  if ((e = check_location("score", o->cleaned)) != SG_OK || (e = check_location("--truth", o->truth)) != SG_OK)
    return e;
  return s3_flags_check(&o->s3, o->cleaned, o->truth);
}

sg_err sg_cli_fit(int argc, char **argv, sg_fit_options *o)
{
  memset(o, 0, sizeof *o);
  s3_flags_default(&o->s3);
  const opt opts[] = {
    {"--output", OPT_STRING, &o->output, 0, NULL},
    {"--group", OPT_STRING, &o->group, 0, NULL},
    {"--config", OPT_STRING, &o->config, 0, NULL},
    {"--overwrite", OPT_FLAG, &o->overwrite, 1, NULL},
    S3_FLAG_OPTIONS(&o->s3),
    {"--help", OPT_FLAG, &o->help, 1, NULL},
  };
  sg_err e = parse_with_dataset("fit", opts, (int)(sizeof opts / sizeof opts[0]), argc, argv, &o->sample);
  if (e != SG_OK || o->help)
    return e;
  if (!o->sample)
    return sg_seterr(SG_EUSAGE, "missing the sample; for example: spotgen fit tracks.csv -o model.json");
  if (!o->output)
    return sg_seterr(SG_EUSAGE, "missing -o FILE.json, where to write the model; for example: spotgen fit %s -o model.json",
                     o->sample);
  if ((e = check_location("fit", o->sample)) != SG_OK)
    return e;
  return s3_flags_check(&o->s3, o->sample, NULL);
}

sg_err sg_cli_report(int argc, char **argv, sg_report_options *o)
{
  memset(o, 0, sizeof *o);
  sg_verify_options *d = &o->dataset;
  s3_flags_default(&d->s3);
  const opt opts[] = {
    {"--output", OPT_STRING, &o->output, 0, NULL},
    {"--verify", OPT_FLAG, &o->verify, 1, NULL},
    {"--overwrite", OPT_FLAG, &o->overwrite, 1, NULL},
    S3_FLAG_OPTIONS(&d->s3),
    {"--help", OPT_FLAG, &o->help, 1, NULL},
  };
  sg_err e = parse_with_dataset("report", opts, (int)(sizeof opts / sizeof opts[0]), argc, argv, &d->dir);
  if (e != SG_OK || o->help)
    return e;
  if (!d->dir)
    return sg_seterr(SG_EUSAGE, "missing the dataset; for example: spotgen report data/spotify");
  if (!o->output && strncmp(d->dir, "s3://", 5) == 0)
    return sg_seterr(SG_EUSAGE, "a report of %s needs -o FILE, where to write the HTML; "
                     "for example: spotgen report %s -o report.html", d->dir, d->dir);
  if ((e = check_location("report", d->dir)) != SG_OK)
    return e;
  return s3_flags_check(&d->s3, d->dir, NULL);
}

sg_err sg_cli_schema(int argc, char **argv, sg_schema_options *o)
{
  memset(o, 0, sizeof *o);
  o->table = "spotify_tracks";
  o->location = "s3://YOUR-BUCKET/spotify/";
  o->format = "csv";
  int format_seen = 0;
  const opt opts[] = {
    {"--ddl", OPT_FLAG, &o->ddl, 1, NULL},
    {"--tables", OPT_FLAG, &o->tables, 1, NULL},
    {"--partition-by", OPT_STRING, &o->partition_by, 0, NULL},
    {"--table-format", OPT_STRING, &o->table_format, 0, NULL},
    {"--format", OPT_STRING, &o->format, 0, &format_seen},
    {"--table", OPT_STRING, &o->table, 0, NULL},
    {"--location", OPT_STRING, &o->location, 0, NULL},
    {"--help", OPT_FLAG, &o->help, 1, NULL},
  };
  sg_err e = parse("schema", opts, (int)(sizeof opts / sizeof opts[0]), argc, argv);
  if (e != SG_OK)
    return e;
  if (o->tables && !o->ddl)
    return sg_seterr(SG_EUSAGE, "--tables goes with --ddl: spotgen schema --ddl --tables");
  if (o->partition_by && !o->ddl)
    return sg_seterr(SG_EUSAGE, "--partition-by goes with --ddl: spotgen schema --ddl --partition-by %s", o->partition_by);
  if (o->table_format && !o->ddl)
    return sg_seterr(SG_EUSAGE, "--table-format goes with --ddl: spotgen schema --ddl --table-format %s", o->table_format);
  if (o->table_format && !format_seen)
    o->format = "parquet";
  if ((e = table_format_check(o->table_format, o->format)) != SG_OK)
    return e;
  if (o->partition_by && (e = sg_partition_parse(o->partition_by, o->tables, &o->partition)) != SG_OK)
    return e;
  if (o->tables && strcmp(o->table, "spotify_tracks") == 0)
    o->table = "spotify";
  for (const char *p = o->table; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '_')
      return sg_seterr(SG_EUSAGE, "--table '%s' must be letters, digits and '_' only", o->table);
  if (strchr(o->location, '\''))
    return sg_seterr(SG_EUSAGE, "--location must not contain a quote");
  if (!sg_format_find(o->format))
    return sg_seterr(SG_EUSAGE, "unknown --format '%s'; choose one of: %s", o->format, sg_format_names());
  o->format = sg_format_find(o->format)->base;
  return SG_OK;
}
