/* verify.c - see verify.h. */
#include "spotgen/cmd/verify.h"
#include "spotgen/dataset/changes.h"

#include <errno.h>
#include <math.h>
#include <libdeflate.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/cmd/cli.h"
#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/format/format.h"
#include "spotgen/base/group.h"
#include "spotgen/base/keymap.h"
#include "spotgen/base/layout.h"
#include "spotgen/lake/deletes.h"
#include "spotgen/lake/shape.h"
#include "spotgen/base/numfmt.h"
#include "spotgen/dataset/entities.h"
#include "spotgen/dataset/manifest.h"
#include "spotgen/format/reader.h"
#include "spotgen/store/source.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/dataset/stats.h"
#include "spotgen/dataset/targets.h"

#define BATCH 512
/* track_ids checked per pass over the data: about 1 GiB of hash map. */
#define IDS_PER_PASS (16ull << 20)
#define REL_TOL 1e-9
/* Parts read by each rank between two merges at rank 0 (see run). */
#define PARTS_PER_MERGE 4
#define NO_PART UINT64_MAX
/* Keys counted this many at a time, their slots asked for meanwhile: the
 * maps are read at random, far larger than a cache. */
#define PENDING 128

/* Problems found, by kind: a count and the first one's description. */
enum problem {
  P_MISSING, P_ROWS, P_BYTES, P_CRC, P_CSV, P_RANGE, P_STRAY, P_SUCCESS, P_STATS,
  P_PARTITION, P_ARTIST, P_PLAYLIST, P_ALBUM, P_TRACK, P_KEY, P_FK, P_JOIN, P_MODEL,
  P_ICEBERG, /* shown for an Iceberg dataset only */
  P_CHANGES, /* shown for a dataset of days only */
  P_REPLAY,  /* ... with its snapshot */
  NPROBLEMS
};
static const char *const PROBLEM_NAMES[NPROBLEMS] = {
  "parts listed in the manifest are present",
  "parts' rows match the manifest",
  "parts' bytes match the manifest",
  "parts' CRC-32 match the manifest",
  "parts are well-formed CSV with the 24 columns",
  "values are within their columns' ranges",
  "no data files beside the manifest's parts",
  "_SUCCESS is present",
  "recomputed statistics match the manifest's",
  "every row is in its partition's folder",
  "one name per artist_id",
  "one name, category and follower count per playlist_id",
  "one release date per album (artist_id, album_name)",
  "one set of attributes per track_id (name, artist, album, features, popularity)",
  "one row per key in every table",
  "every foreign key has its row in the table it references",
  "playlist_tracks holds the dataset's rows (the join's row count)",
  "every table's rows are what the manifest's seed and configuration make",
  "Iceberg metadata lists every data file once, with its rows, counts, bounds and partition",
  "every day's changes are what the manifest's seed and configuration make (ops, times, before-images)",
  "the snapshot with every day's changes applied is the model's state of the last day (1 playlist in 64)",
};

/* What reading a part gave that rank 0 merges in part order: its
 * statistics, and its first run of rows of one playlist, whose followers
 * count only if that playlist did not begin in the part before. */
typedef struct part_rec {
  uint64_t index;
  int rows;                  /* it had data rows */
  int first_pl_logf_set;
  double first_pl_logf;
  sg_key first_pl, last_pl;
  sg_stats stats;
} part_rec;

/* A key to count in a map, and what to say if its attribute differs. */
typedef struct pending_key {
  sg_keymap *m;
  sg_key k;
  uint64_t attr;
  enum problem p;
  const char *what;
  char text[SG_NAME_CAP];     /* the key as written, for the message */
} pending_key;

typedef struct verifier {
  const char *dir;           /* as given: a directory or s3://bucket/prefix */
  char wellformed[64];       /* P_CSV's check, named by the parts' format */
  sg_group *group;           /* the ranks sharing the parts (one, without mpirun) */
  sg_source *src;
  int have_success;
  cJSON *manifest;
  sg_config cfg;
  uint64_t problems[NPROBLEMS];
  uint64_t first_part[NPROBLEMS]; /* the part where the first was found, or NO_PART */
  char first[NPROBLEMS][256];
  uint64_t cur_part;         /* the part being read, or NO_PART */
  /* this part's playlist runs: the last one's key, the first one's followers */
  int part_rows;
  sg_key last_pl;
  int first_pl_logf_set;
  double first_pl_logf;
  sg_key first_pl;
  /* parts read since the last merge, and what the merges carry over */
  part_rec *recs;
  size_t nrecs, recs_cap;
  int have_prev_pl;
  sg_key prev_pl;
  sg_stats *total, *part;
  /* the batch of parsed rows not yet added to `part` */
  double x[BATCH][SG_NNUM];
  uint8_t cat[BATCH];
  int32_t year[BATCH];
  double logf[BATCH];
  size_t nx, nlogf;
  sg_keymap ids, artists, playlists, albums;
  pending_key pend[PENDING];
  size_t npend;
  /* every track's rows and popularity, gathered pass by pass */
  uint32_t *track_rows;
  uint8_t *track_pop;
  size_t ntracks, tracks_cap;
  int tracks_lost;           /* out of memory: rows per track not measured */
  uint64_t passes, pass;
  uint64_t rows;
  /* --tables datasets: keys, and the distinct values of foreign keys */
  int tables;
  sg_keymap keys[SG_NTABLES];
  sg_keymap refs[SG_NTABLES][3];
  uint64_t table_rows[SG_NTABLES];
  /* and the rows the model makes of the manifest's seed and configuration,
   * which every part's rows must be: the entities part k owns, and part
   * k's rows of the join (whose 24 fields then go through row(), as a flat
   * dataset's: its statistics, targets and consistency are checked) */
  sg_copula *copula;
  /* --days: the world's days, the events of the day last read, and the
     model's rows of the change object being read */
  int have_days;
  sg_days days;
  sg_day_event *events;
  size_t nevents;
  int32_t events_day;
  sg_world_rows changes;
  int changes_on;
  int only_new;              /* an Iceberg data file: the changes' new rows alone */
  sg_row change;
  /* --days --table-format iceberg: a delete file's rows, as the model
     locates them, and the next one */
  sg_locator locate[SG_NTABLES + 1];
  int located[SG_NTABLES + 1];
  sg_deletes deletes;
  int deletes_on;
  size_t del_run, del_i;
  /* --days with a snapshot: for the playlists of the sample (replay_sampled),
     each key's rows summed (sg_keymap_sum): + its hash for a row of the
     snapshot or one a day adds, - its hash for one a day removes; the
     model's state of the last day is taken away at the end, leaving 0 */
  sg_keymap replay;
  int replay_changes;        /* the part being read is a day's changes */
  sg_model *model;
  sg_shape shape;           /* the objects the manifest's dataset is made of (shape.h) */
  int last_year;            /* the last a track may be released in (sg_shape_last_year) */
  /* --partition-by: the file being read holds its table's columns less those
     its folders name (wide[c] < 0: column c's value is folder[c]), and its
     rows' dates fall in its folders' years or months */
  const sg_partitioning *parting; /* the file's table's partitioning, or NULL */
  const sg_table *file_table;    /* the columns its file holds */
  int wide[SG_TABLE_MAX_COLS];
  char folder[SG_TABLE_MAX_COLS][SG_PARTITION_FOLDERS];
  char folders[SG_PARTITION_FOLDERS];  /* the file's, as sg_partition_folders writes them */
  sg_keymap followers;           /* flat and partitioned: each playlist's followers, once */
  /* --table-format iceberg: each table's data files as its metadata lists
     them (every rank's copy), the file being read's entry, and what its
     rows hold of each column (single-value bounds, counts) */
  sg_iceberg_tables ice;
  sg_iceberg_listing listing[SG_TABLE_FLAT + 1];
  sg_iceberg_listed *ice_file;
  const sg_table *ice_table;     /* its columns, as the reader hands them */
  sg_column_metrics got[SG_TABLE_MAX_COLS];
  enum { READ_ROWS, READ_CHANGES, READ_DELETES } reading; /* what the part being read holds:
                                the dataset's rows, a day's changes (or an Iceberg data
                                file of its new rows), an Iceberg delete file's */
  sg_table_id expect;        /* the table of the part being read, or SG_TABLE_FLAT */
  sg_entities ent;
  sg_world_rows state;       /* --as-of D: the model's rows of the part, as of D */
  int state_on;
  uint64_t exp_row, exp_end; /* playlist_tracks: the next row of the part, and its end */
  int differs;               /* the part being read has shown a row unlike the model's */
  sg_row want;
} verifier;

static void problem(verifier *v, enum problem p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static double num(const cJSON *o, const char *k);

/* Whether the n bytes at s are UTF-8: no stray continuation byte, no
 * overlong form, no surrogate, nothing past U+10FFFF. */
static int utf8_valid(const char *s, size_t n)
{
  const unsigned char *p = (const unsigned char *)s, *end = p + n;
  while (p < end) {
    unsigned c = *p++;
    if (c < 0x80)
      continue;
    int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : -1;
    if (more < 0 || c > 0xF4 || end - p < more)
      return 0;
    unsigned cp = c & (0x3Fu >> more);
    for (int k = 0; k < more; k++, p++) {
      if ((*p & 0xC0) != 0x80)
        return 0;
      cp = cp << 6 | (*p & 0x3Fu);
    }
    if ((more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (more == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return 0;
  }
  return 1;
}

static void problem(verifier *v, enum problem p, const char *fmt, ...)
{
  if (v->problems[p]++ == 0) {
    v->first_part[p] = v->cur_part;
    char raw[sizeof v->first[p]];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    sg_escape_controls(v->first[p], sizeof v->first[p], raw); /* a value is shown, never obeyed */
  }
}

static void flush(verifier *v)
{
  sg_stats_add_values(v->part, (const double(*)[SG_NNUM])v->x, v->cat, v->year, v->nx);
  sg_moments_add(&v->part->log_followers, v->logf, v->nlogf);
  v->nx = v->nlogf = 0;
}

/* The value of n decimal digits at s, or -1 when one is not a digit. */
static int digits(const char *s, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/* "YYYY-MM-DD" -> year, or -1. */
static int date_year(const char *s, size_t n)
{
  if (n != 10 || s[4] != '-' || s[7] != '-')
    return -1;
  int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
  return y < 0 || m < 1 || m > 12 || d < 1 || d > 31 ? -1 : y;
}

static int is_id(const char *s, size_t n)
{
  if (n != 22)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
      return 0;
  return 1;
}

static int col(const char *name) { return (int)(sg_schema_find(name) - sg_schema_columns()); }

/* Counts the keys waiting, in the order they came. */
static void count_pending(verifier *v)
{
  for (size_t i = 0; i < v->npend; i++) {
    const pending_key *q = &v->pend[i];
    int first, same;
    if (!sg_keymap_add(q->m, q->k, q->attr, &first, &same))
      problem(v, q->p == NPROBLEMS ? P_PLAYLIST : q->p, "out of memory counting %s", q->what ? q->what : "keys");
    else if (!same && q->p != NPROBLEMS) /* NPROBLEMS: another map reports it */
      problem(v, q->p, "%s %s differs between rows", q->what, q->text);
  }
  v->npend = 0;
}

/* Counts key k (written as the n bytes at `text`) with `attr` in m: a
 * problem p when attr differs from the key's first. Counted PENDING keys
 * later (count_pending), its slot fetched meanwhile. */
static void count_key(verifier *v, sg_keymap *m, sg_key k, uint64_t attr, enum problem p,
                      const char *what, const char *text, size_t n)
{
  if (v->npend == PENDING)
    count_pending(v);
  sg_keymap_prefetch(m, k);
  pending_key *q = &v->pend[v->npend++];
  q->m = m;
  q->k = k;
  q->attr = attr;
  q->p = p;
  q->what = what;
  n = n < sizeof q->text - 1 ? n : sizeof q->text - 1;
  memcpy(q->text, text, n);
  q->text[n] = '\0';
}

/* A numeric field of column c: parsed, and a problem when it is not a
 * number within the column's range. @return : the value. */
static double number(verifier *v, const sg_column *c, const char *s, size_t n, uint64_t record,
                     const char *key)
{
  double d;
  int bad = !sg_parse_decimal(s, n, &d);
  if (bad) { /* not plain [-]digits[.digits]: strtod decides */
    char *end;
    errno = 0;
    d = strtod(s, &end);
    bad = n == 0 || *end || errno;
  }
  if (bad || !(d >= c->lo && d <= c->hi))
    problem(v, P_RANGE, "%s row %llu: %s = '%s' is outside %g .. %g", key,
            (unsigned long long)record - 1, c->name, s, c->lo, c->hi);
  return d;
}

/* A hash of fields first..last: of their bytes as the readers keep them,
 * one after another with a NUL after each, in one pass (the CSV and the
 * Parquet readers both do; fields kept otherwise are hashed one by one). */
static uint64_t fields_hash(const char *const *f, const size_t *len, int first, int last, uint64_t seed)
{
  int together = 1;
  for (int i = first; i < last && together; i++)
    together = f[i] + len[i] + 1 == f[i + 1];
  if (together)
    return sg_hash64(f[first], (size_t)(f[last] + len[last] - f[first]), seed);
  uint64_t h = seed;
  for (int i = first; i <= last; i++)
    h = h * 31 + sg_hash64(f[i], len[i], seed + (uint64_t)i);
  return h;
}

/* One data row of a part: values, then the whole-dataset keys. */
static void row(verifier *v, const char *const *f, const size_t *len, uint64_t record, const char *key)
{
  static int c_track = -1, c_artist, c_artist_name, c_album, c_date, c_plid, c_plname, c_cat, c_fol,
      c_pop;
  static int runs, run_first[SG_NCOLS], run_last[SG_NCOLS]; /* the track's columns, in runs */
  if (c_track < 0) {
    c_track = col("track_id"), c_artist = col("artist_id"), c_artist_name = col("artist_name");
    c_album = col("album_name"), c_date = col("release_date"), c_plid = col("playlist_id");
    c_plname = col("playlist_name"), c_cat = col("playlist_category"), c_fol = col("num_followers");
    c_pop = col("popularity_score");
    for (int i = 0; i < SG_NCOLS; i++) {
      int track = i != c_track && i != c_plid && i != c_plname && i != c_cat && i != c_fol;
      if (track && (runs == 0 || run_last[runs - 1] != i - 1))
        run_first[runs++] = i;
      if (track)
        run_last[runs - 1] = i;
    }
  }
  if (!is_id(f[c_track], len[c_track]))
    problem(v, P_RANGE, "%s row %llu: track_id '%s' is not 22 base62 characters", key,
            (unsigned long long)record - 1, f[c_track]);
  /* Pass p checks the tracks whose id's hash is p modulo the number of
   * passes: every column but the playlist's is the track's, the same on
   * every row that places it. The attribute keeps the popularity in its
   * low byte, for the placement check. */
  sg_key id = sg_key_of(f[c_track], len[c_track]);
  if (id.a % v->passes == v->pass) {
    uint64_t h = 0;
    for (int k = 0; k < runs; k++)
      h = h * 31 + fields_hash(f, len, run_first[k], run_last[k], 16 + (uint64_t)k);
    long pop = strtol(f[c_pop], NULL, 10);
    count_key(v, &v->ids, id, h << 8 | (uint64_t)(pop < 0 ? 0 : pop > 100 ? 100 : pop), P_TRACK,
              "attributes of track_id", f[c_track], len[c_track]);
  }
  if (v->pass > 0)
    return;

  const sg_column *cols = sg_schema_columns();
  double *x = v->x[v->nx];
  for (int i = 0; i < SG_NCOLS; i++) {
    const sg_column *c = &cols[i];
    if (c->stat >= 0)
      x[c->stat] = number(v, c, f[i], len[i], record, key);
  }
  for (int i = 0; i < SG_NCOLS; i++)
    if ((cols[i].kind == SG_KIND_STR || cols[i].kind == SG_KIND_TEXT_REF) && !utf8_valid(f[i], len[i]))
      problem(v, P_RANGE, "%s row %llu: %s is not valid UTF-8", key, (unsigned long long)record - 1, cols[i].name);
  int year = date_year(f[c_date], len[c_date]);
  if (year < SG_FIRST_YEAR || year > v->last_year)
    problem(v, P_RANGE, "%s row %llu: release_date '%s' is outside 2010-01-01 .. %d-12-31", key,
            (unsigned long long)record - 1, f[c_date], v->last_year);
  int cat = sg_category_find(f[c_cat]);
  if (cat < 0) {
    problem(v, P_RANGE, "%s row %llu: unknown playlist_category '%s'", key,
            (unsigned long long)record - 1, f[c_cat]);
    cat = 0;
  }
  v->cat[v->nx] = (uint8_t)cat;
  v->year[v->nx] = year;
  v->nx++;

  count_key(v, &v->artists, sg_key_of(f[c_artist], len[c_artist]),
            sg_hash64(f[c_artist_name], len[c_artist_name], 1), P_ARTIST, "artist_name of artist_id",
            f[c_artist], len[c_artist]);
  /* A playlist's name, category and followers, as one attribute. */
  uint64_t pl_attr = sg_hash64(f[c_plname], len[c_plname], 2) ^
                     sg_hash64(f[c_cat], len[c_cat], 3) * 3 ^ sg_hash64(f[c_fol], len[c_fol], 4) * 5;
  sg_key pl = sg_key_of(f[c_plid], len[c_plid]);
  count_key(v, &v->playlists, pl, pl_attr, P_PLAYLIST, "name, category or followers of playlist_id",
            f[c_plid], len[c_plid]);
  /* Followers count once per playlist, at its first row: a playlist's rows
   * are one run, so at each run's start, but for the part's first run,
   * which may go on from the part before (the merge decides). A partition's
   * file holds runs cut short: there each playlist's followers are kept
   * once in a map, and counted when every file is read (partitioned_followers). */
  if (v->parting && v->pass == 0) {
    double fol = x[sg_schema_columns()[c_fol].stat];
    uint64_t bits;
    memcpy(&bits, &fol, sizeof bits);
    count_key(v, &v->followers, pl, bits, NPROBLEMS, NULL, f[c_plid], len[c_plid]);
  } else if (!v->parting && (!v->part_rows || pl.a != v->last_pl.a || pl.b != v->last_pl.b)) {
    double logf = log(x[sg_schema_columns()[c_fol].stat]);
    if (!v->part_rows) {
      v->first_pl = pl;
      v->first_pl_logf = logf;
      v->first_pl_logf_set = 1;
    } else {
      v->logf[v->nlogf++] = logf;
    }
  }
  v->last_pl = pl;
  v->part_rows = 1;
  /* An album is its artist and its name. */
  char album[SG_NAME_CAP + 32];
  size_t an = len[c_album] < SG_NAME_CAP ? len[c_album] : SG_NAME_CAP;
  memcpy(album, f[c_artist], 22);
  album[22] = '\n';
  memcpy(album + 23, f[c_album], an);
  count_key(v, &v->albums, sg_key_of(album, 23 + an), sg_hash64(f[c_date], len[c_date], 5),
            P_ALBUM, "release_date of album", f[c_album], len[c_album]);
  if (v->nx == BATCH)
    flush(v);
}

/* ---- --tables datasets ------------------------------------------------------ */

/* The row the model makes for the next row of the part being read, into
 * v->want. @return : 0 when the model makes no more rows for the part. */
static int expected_row(verifier *v)
{
  char folders[SG_PARTITION_FOLDERS];
  for (;;) {
    int r;
    if (v->state_on) {
      r = sg_world_next(&v->state, &v->want);
      if (r < 0)
        problem(v, P_MODEL, "%s", sg_errmsg(SG_ENOMEM));
    } else if (v->expect != SG_TABLE_PLAYLIST_TRACKS) {
      r = sg_entities_next(&v->ent, &v->want);
    } else {
      r = v->exp_row < v->exp_end;
      if (r)
        sg_model_rows(v->model, v->exp_row++, 1, &v->want);
    }
    if (r <= 0)
      return 0;
    /* a partition's file holds its part's rows of that partition */
    if (!v->parting || (sg_partition_folders(v->parting, &v->want, folders), strcmp(folders, v->folders) == 0))
      return 1;
  }
}

/* A --tables row against the model's: in pass 0 every field is compared
 * (the first difference of a part is the problem's example); a row of
 * playlist_tracks then goes through row() as the join's row, whose 24
 * fields it is (the model's, which its own fields and its tables' rows are
 * checked to be), in every pass. */
static void model_row(verifier *v, const sg_table *t, const char *const *f, const size_t *len, uint64_t record,
                      const char *key)
{
  if (!v->model || v->expect != t->id)
    return;
  if (!expected_row(v)) {
    if (v->pass == 0 && !v->differs++)
      problem(v, P_MODEL, "%s row %llu: the model makes no more rows for this part (rows moved between parts?)",
              key, (unsigned long long)record - 1);
    return;
  }
  char text[SG_NCOLS][SG_NAME_CAP + 32];
  for (int i = 0; v->pass == 0 && !v->differs && i < t->ncols; i++) {
    size_t n = sg_csv_value(t->cols[i], &v->want, text[0]);
    if (n != len[i] || memcmp(text[0], f[i], n) != 0) {
      problem(v, P_MODEL, "%s row %llu: %s is '%.*s'; the manifest's seed and configuration make '%.*s'", key,
              (unsigned long long)record - 1, t->cols[i]->name, (int)(len[i] < 40 ? len[i] : 40), f[i],
              (int)(n < 40 ? n : 40), text[0]);
      v->differs = 1;
    }
  }
  if (t->id != SG_TABLE_PLAYLIST_TRACKS)
    return;
  const char *field[SG_NCOLS];
  size_t flen[SG_NCOLS];
  const sg_column *cols = sg_schema_columns();
  for (int c = 0; c < SG_NCOLS; c++) {
    flen[c] = sg_csv_value(&cols[c], &v->want, text[c]);
    text[c][flen[c]] = '\0';
    field[c] = text[c];
  }
  row(v, field, flen, record, key);
}

/* One row of table t: against the model's (model_row), its values' ranges,
 * its key (unique in its table; in passes for playlist_tracks, whose keys
 * are as many as the rows), and the values of its foreign keys (resolved
 * by check_references). */
static void table_row(verifier *v, const sg_table *t, const char *const *f, const size_t *len,
                      uint64_t record, const char *key)
{
  model_row(v, t, f, len, record, key);
  if (t->id != SG_TABLE_PLAYLIST_TRACKS && v->pass > 0)
    return;
  for (int i = 0; v->pass == 0 && i < t->ncols; i++) {
    const sg_column *c = t->cols[i];
    if (c->kind == SG_KIND_ID && !is_id(f[i], len[i]))
      problem(v, P_RANGE, "%s row %llu: %s '%s' is not 22 base62 characters", key,
              (unsigned long long)record - 1, c->name, f[i]);
    if (c->kind == SG_KIND_I32 || c->kind == SG_KIND_I64 || c->kind == SG_KIND_FIXED)
      number(v, c, f[i], len[i], record, key);
  }
  /* The key: the first nkey columns, joined by a newline. */
  char k[64];
  size_t kn = 0;
  for (int i = 0; i < t->nkey; i++) {
    size_t n = len[i] < 30 ? len[i] : 30;
    memcpy(k + kn, f[i], n);
    kn += n;
    k[kn++] = '\n';
  }
  sg_key id = sg_key_of(k, kn);
  if (t->id != SG_TABLE_PLAYLIST_TRACKS || id.a % v->passes == v->pass) {
    int first, same;
    if (!sg_keymap_add(&v->keys[t->id], id, 0, &first, &same))
      problem(v, P_KEY, "out of memory checking the keys of %s", t->name);
    else if (!first)
      problem(v, P_KEY, "%s row %llu: %s's key %.*s appears twice", key,
              (unsigned long long)record - 1, t->name, (int)len[0], f[0]);
  }
  for (int r = 0; v->pass == 0 && r < t->nfk; r++) {
    int c = 0;
    while (c < t->ncols && strcmp(t->cols[c]->name, t->fk[r].column) != 0)
      c++;
    int first, same;
    char value[32];
    snprintf(value, sizeof value, "%.*s", (int)(len[c] < 30 ? len[c] : 30), f[c]);
    /* the same key as the referenced table's (one column, then '\n') */
    size_t vn = strlen(value);
    value[vn++] = '\n';
    sg_keyslot *s = sg_keymap_add(&v->refs[t->id][r], sg_key_of(value, vn), 0, &first, &same);
    if (!s)
      problem(v, P_FK, "out of memory checking the foreign keys of %s", t->name);
  }
}

/* Every foreign key's distinct values against the referenced table's keys. */
static void check_references(verifier *v)
{
  for (int i = 0; i < SG_NTABLES; i++) {
    const sg_table *t = sg_schema_table((sg_table_id)i);
    for (int r = 0; r < t->nfk; r++) {
      const sg_keymap *refs = &v->refs[i][r], *keys = &v->keys[t->fk[r].table];
      uint64_t missing = 0;
      for (size_t s = 0; s < refs->cap; s++)
        missing += refs->slots[s].count && !sg_keymap_get(keys, refs->slots[s].key);
      if (missing)
        problem(v, P_FK, "%llu value%s of %s.%s %s no row in %s", (unsigned long long)missing,
                missing == 1 ? "" : "s", t->name, t->fk[r].column, missing == 1 ? "has" : "have",
                sg_schema_table(t->fk[r].table)->name);
    }
  }
}

/* What reading one part found: rows, and the size and CRC-32 of its bytes. */
typedef struct part_read {
  int opened;
  uint64_t rows, bytes;
  uint32_t crc32;
} part_read;

/* Reads the rows of a part through its format's reader; Parquet rows come
 * as the CSV's text fields, so the same checks apply. */
static void table_row(verifier *v, const sg_table *t, const char *const *f, const size_t *len,
                      uint64_t record, const char *key);

/* A partition's file's row (the reader hands out only rows of the file's
 * columns) as its table's: the columns its folders name put back, and its
 * dates checked to be in its folders' years or months. */
static void widen(verifier *v, const sg_table *table, const sg_reader *r, const char *key, const char **wf,
                  size_t *wl)
{
  const sg_table *t = table ? table : sg_schema_table(SG_TABLE_FLAT);
  for (int c = 0; c < t->ncols; c++) {
    wf[c] = v->wide[c] < 0 ? v->folder[c] : r->field[v->wide[c]];
    wl[c] = v->wide[c] < 0 ? strlen(v->folder[c]) : r->flen[v->wide[c]];
  }
  for (int i = 0; v->pass == 0 && i < v->parting->n; i++) {
    const sg_partition_field *pf = &v->parting->f[i];
    if (pf->transform == SG_TRANSFORM_IDENTITY && !v->shape.iceberg)
      continue; /* Hive's: the folder is the value (an Iceberg file keeps the column) */
    int c = 0;
    while (c < t->ncols && t->cols[c] != pf->source)
      c++;
    char want[SG_PARTITION_FOLDERS];
    int n = sg_partition_value(v->parting, i, v->folders, want, sizeof want);
    if (c == t->ncols || n < 0 || wl[c] < (size_t)n || memcmp(wf[c], want, (size_t)n) != 0 ||
        (pf->transform == SG_TRANSFORM_IDENTITY && wl[c] != (size_t)n))
      problem(v, P_PARTITION, "%s row %llu: %s %.*s is not in its folder's %s %s", key,
              (unsigned long long)r->record - 1, pf->source->name, (int)(c < t->ncols ? wl[c] : 0),
              c < t->ncols ? wf[c] : "", pf->name, want);
  }
}

/* An Iceberg data file's row: each value joins its column's count and
 * bounds (single-value form), as the table's manifest keeps them. */
static void measure(verifier *v, const sg_table *t, const char *const *f, const size_t *len)
{
  for (int c = 0; c < t->ncols; c++) {
    sg_column_metrics *g = &v->got[c];
    unsigned char x[SG_METRIC_BOUND];
    int n = sg_iceberg_single(t->cols[c], f[c], len[c], x);
    g->values++;
    if (n < 0)
      continue; /* not of its type: the range checks say so */
    if (!g->lower_len || sg_iceberg_compare(t->cols[c], x, (size_t)n, g->lower, g->lower_len) < 0) {
      memcpy(g->lower, x, (size_t)n);
      g->lower_len = (uint8_t)n;
    }
    if (!g->upper_len || sg_iceberg_compare(t->cols[c], x, (size_t)n, g->upper, g->upper_len) > 0) {
      memcpy(g->upper, x, (size_t)n);
      g->upper_len = (uint8_t)n;
    }
    /* a string whose first SG_METRIC_BOUND bytes are the maximum's may be longer: its bound was cut */
    g->bytes |= n == SG_METRIC_BOUND && len[c] > SG_METRIC_BOUND;
  }
}

/* What the Iceberg manifest says of the file just read (`rows` rows,
 * `bytes` bytes, in the partition of v->folders) against what it holds. */
static void check_iceberg_file(verifier *v, const sg_table *t, const char *key, uint64_t rows, uint64_t bytes)
{
  const sg_iceberg_listed *l = v->ice_file;
  if ((uint64_t)l->rows != rows || (uint64_t)l->bytes != bytes) {
    problem(v, P_ICEBERG, "%s: the Iceberg manifest says %lld rows in %lld bytes; it holds %llu in %llu", key,
            (long long)l->rows, (long long)l->bytes, (unsigned long long)rows, (unsigned long long)bytes);
    return;
  }
  for (int i = 0; v->parting && i < v->parting->n; i++) {
    char want[SG_PARTITION_FOLDERS];
    if (sg_partition_value(v->parting, i, v->folders, want, sizeof want) < 0 || strcmp(want, l->value[i]) != 0)
      problem(v, P_ICEBERG, "%s: the Iceberg manifest's partition has %s = %s; its folder says %s", key,
              v->parting->f[i].name, l->value[i], want);
  }
  for (int c = 0; c < t->ncols; c++) {
    const sg_column_metrics *g = &v->got[c], *m = &l->m.col[c];
    const sg_column *col = t->cols[c];
    const char *what = NULL;
    if (m->values != (int64_t)rows || m->nulls != 0)
      what = "value or null count";
    else if (rows && (!m->lower_len || sg_iceberg_compare(col, m->lower, m->lower_len, g->lower, g->lower_len) != 0))
      what = "lower bound";
    else if (rows && (m->upper_len ? sg_iceberg_compare(col, m->upper, m->upper_len, g->upper, g->upper_len) != 0
                                   : !(g->bytes || g->upper_len >= SG_METRIC_BOUND)))
      what = "upper bound";
    else if (m->bytes < (rows ? 1 : 0) || (uint64_t)m->bytes >= bytes) /* (an empty file has no column chunk) */
      what = "column size";
    if (what) {
      problem(v, P_ICEBERG, "%s: the Iceberg manifest's %s of %s is not what the file holds", key, what, col->name);
      return;
    }
  }
}

/* ---- the days replayed on a sample ------------------------------------------- */

static sg_keyslot *gather_slots(verifier *v, sg_keymap *m, size_t *n, int *unsent, int *bad);

#define REPLAY_SAMPLE 64 /* one playlist in this many */

/* Whether playlist `id`'s rows are in the sample. */
static int replay_sampled(const char *id, size_t n) { return sg_hash64(id, n, 64) % REPLAY_SAMPLE == 0; }

static int replay_on(const verifier *v)
{
  return v->have_days && !v->shape.days.changes_only && v->pass == 0;
}

/* A row of table t (the flat dataset, playlists, playlist_tracks, albums
 * or tracks: its columns' fields f, len), counted `sign` times (+1 in the
 * state after, -1 taken out of it) when its playlist (albums, tracks: its
 * id) is in the sample. Its key is the table's: (playlist_id, track_id),
 * playlist_id, (playlist_id, position), album_id, track_id. */
static void replay_row(verifier *v, sg_table_id t, const char *const *f, const size_t *len, int sign)
{
  const sg_table *tab = sg_schema_table(t);
  int id = 0, second = -1;
  for (int i = 0; i < tab->ncols; i++) {
    if (strcmp(tab->cols[i]->name, "playlist_id") == 0)
      id = i;
    if (strcmp(tab->cols[i]->name, t == SG_TABLE_FLAT ? "track_id" : "position") == 0)
      second = i;
  }
  if (!replay_sampled(f[id], len[id]))
    return;
  char key[80];
  size_t kn = 0;
  key[kn++] = (char)t;
  for (int k = 0; k < 2; k++) {
    int c = k ? second : id;
    if (c < 0)
      continue;
    size_t n = len[c] < 30 ? len[c] : 30;
    memcpy(key + kn, f[c], n);
    kn += n;
    key[kn++] = '\n';
  }
  /* odd: k more rows added than removed, of whatever values, never sum to 0 alone */
  uint64_t h = 0;
  for (int i = 0; i < tab->ncols; i++)
    h = h * 31 + sg_hash64(f[i], len[i], 99 + (uint64_t)i);
  if (!sg_keymap_sum(&v->replay, sg_key_of(key, kn), (uint64_t)sign * (h | 1), 1))
    problem(v, P_REPLAY, "out of memory replaying the days on a sample");
}

/* A change row (op, change_ts, then its table's columns) replayed. */
static void replay_change(verifier *v, const sg_table *t, const char *const *f, const size_t *len)
{
  const int removes = (len[0] == 6 && memcmp(f[0], "delete", 6) == 0) ||
                      (len[0] == 13 && memcmp(f[0], "update_before", 13) == 0);
  replay_row(v, (sg_table_id)sg_schema_changed(t->id), f + 2, len + 2, removes ? -1 : 1);
}

/* The model's row r of table t taken out of the replay. */
static void replay_model_row(verifier *v, sg_table_id t, const sg_row *r)
{
  const sg_table *tab = sg_schema_table(t);
  char text[SG_TABLE_MAX_COLS][SG_NAME_CAP + 32];
  const char *f[SG_TABLE_MAX_COLS];
  size_t len[SG_TABLE_MAX_COLS];
  for (int c = 0; c < tab->ncols; c++) {
    len[c] = sg_csv_value(tab->cols[c], r, text[c]);
    f[c] = text[c];
  }
  replay_row(v, t, f, len, -1);
}

/* Rank 0, the ranks' sums merged: the model's state of the last day taken
 * away from them, key by key; what is left is what the snapshot and the
 * days' changes do not make of it. */
static void replay_check(verifier *v)
{
  const int32_t last = v->shape.days.last >= v->shape.days.first ? v->shape.days.last : v->shape.days.as_of;
  static const sg_table_id FLAT[] = {SG_TABLE_FLAT}, TABLES[] = {SG_TABLE_PLAYLISTS, SG_TABLE_PLAYLIST_TRACKS};
  const sg_table_id *ts = v->tables ? TABLES : FLAT;
  const int nt = v->tables ? 2 : 1;
  /* the playlists of the sample: day 0's, and those born since, up to the last day */
  size_t n = 0, cap = 0;
  sg_day_event *ev = NULL;
  for (int32_t c = 0; c <= last; c++) {
    for (uint64_t local = 0; local < sg_days_cohort(&v->days, c); local++) {
      sg_day_playlist p;
      sg_playlist pl;
      sg_days_playlist(&v->days, c, local, 0, &p);
      sg_catalog_playlist(v->days.cat, p.index, &pl);
      if (!replay_sampled(pl.id, SG_ID_LEN) || !sg_days_alive(&p, last))
        continue;
      if (n == cap) {
        sg_day_event *grown = realloc(ev, (cap = cap ? 2 * cap : 256) * sizeof *ev);
        if (!grown) {
          free(ev);
          problem(v, P_REPLAY, "out of memory replaying the days on a sample");
          return;
        }
        ev = grown;
      }
      ev[n++] = (sg_day_event){SG_DAY_BIRTH, c, local};
    }
  }
  for (int k = 0; k < nt; k++) {
    sg_world_rows it;
    sg_row r;
    sg_world_asof_of(&it, v->model, &v->days, ts[k], last, ev, n);
    while (sg_world_next(&it, &r) > 0)
      replay_model_row(v, ts[k], &r);
    sg_world_free(&it);
  }
  free(ev);
  /* the albums and tracks of the last day: the whole catalogue's, the
     sample's kept */
  for (int k = 0; v->tables && k < 2; k++) {
    const sg_table_id t = k ? SG_TABLE_TRACKS : SG_TABLE_ALBUMS;
    for (uint64_t part = 0; part < v->shape.plan.parts; part++) {
      sg_entities it;
      sg_row r;
      sg_entities_start(&it, v->model, &v->shape.plan, t, part, last);
      while (sg_entities_next(&it, &r))
        replay_model_row(v, t, &r);
    }
  }
  uint64_t left = 0;
  for (size_t i = 0; i < v->replay.cap; i++)
    left += v->replay.slots[i].count && v->replay.slots[i].attr != 0;
  if (left)
    problem(v, P_REPLAY, "%llu row%s of the sample differ%s between the snapshot with days %d .. %d applied and "
            "the model's state of day %d (a row removed that was not there, added twice, or missing)",
            (unsigned long long)left, left == 1 ? "" : "s", left == 1 ? "s" : "", (int)v->shape.days.first,
            (int)last, (int)last);
}

/* Every rank's sums to rank 0's. */
static void replay_merge(verifier *v)
{
  size_t n;
  int unsent, bad;
  sg_keyslot *s = gather_slots(v, &v->replay, &n, &unsent, &bad);
  for (size_t i = 0; i < n && !bad; i++)
    bad = !sg_keymap_sum(&v->replay, s[i].key, s[i].attr, s[i].count);
  if (bad || unsent)
    problem(v, P_REPLAY, "out of memory merging the ranks' replays of the days");
  free(s);
}

/* A change object: the model's rows of its events, which its rows are
 * compared with (change_row). */
static void expect_changes(verifier *v, const sg_object *x)
{
  if (v->events_day != x->day) {
    free(v->events);
    v->events = NULL;
    v->events_day = 0;
    if (sg_days_events(&v->days, x->day, &v->events, &v->nevents) != SG_OK) {
      problem(v, P_CHANGES, "day %d: %s", (int)x->day, sg_errmsg(SG_ENOMEM));
      return;
    }
    v->events_day = x->day;
  }
  if (x->first_row + x->rows > v->nevents) {
    problem(v, P_CHANGES, "day %d has %zu events in the model; the manifest's dataset.days says more",
            (int)x->day, v->nevents);
    return;
  }
  const sg_table_id t = (sg_table_id)sg_schema_changed(v->shape.change[x->change]);
  if (x->kind == SG_OBJECT_ICEBERG_DELETES) {
    if (!v->located[t]) {
      sg_locator_init(&v->locate[t], &v->days, t, &v->shape.plan, v->shape.days.events_per_part);
      v->located[t] = 1;
    }
    if (sg_deletes_find(&v->shape, &v->days, &v->locate[t], v->ice.root, x, v->events + x->first_row,
                        &v->deletes) != SG_OK)
      problem(v, P_CHANGES, "day %d: %s", (int)x->day, sg_errmsg(SG_ENOMEM));
    else
      v->deletes_on = 1;
    v->del_run = v->del_i = 0;
    return;
  }
  sg_world_changes(&v->changes, v->model, &v->days, t, x->day, v->events + x->first_row, (size_t)x->rows);
  v->changes_on = 1;
  v->only_new = x->kind == SG_OBJECT_ICEBERG_DATA;
}

/* The model's next row of the part being read, into v->change: a day's
 * change, or of an Iceberg data file a new row. @return : sg_world_next's. */
static int next_change(verifier *v)
{
  int r;
  do
    r = sg_world_next(&v->changes, &v->change);
  while (r > 0 && v->only_new && sg_world_removes(&v->changes, &v->change));
  return r;
}

/* A row of an Iceberg delete file against the model's next one (its file's
 * path and its position in it). */
static void delete_row(verifier *v, const char *const *f, const size_t *len, uint64_t record, const char *key)
{
  if (!v->deletes_on || v->differs)
    return;
  const sg_deletes *c = &v->deletes;
  if (v->del_run == c->runs) {
    v->differs = 1;
    problem(v, P_CHANGES, "%s row %llu: the model deletes no more rows for this part", key,
            (unsigned long long)record - 1);
    return;
  }
  const sg_delete_run *run = &c->run[v->del_run];
  const sg_deleted *d = &c->d[run->first + v->del_i];
  char pos[24];
  snprintf(pos, sizeof pos, "%llu", (unsigned long long)d->offset);
  if (len[0] != strlen(run->path) || memcmp(f[0], run->path, len[0]) || len[1] != strlen(pos) ||
      memcmp(f[1], pos, len[1])) {
    v->differs = 1;
    problem(v, P_CHANGES, "%s row %llu: deletes %.*s at %.*s; the model deletes %s at %s", key,
            (unsigned long long)record - 1, (int)(len[0] < 200 ? len[0] : 200), f[0], (int)(len[1] < 20 ? len[1] : 20),
            f[1], run->path, pos);
    return;
  }
  if (run->first + ++v->del_i == c->n || c->d[run->first + v->del_i].object != d->object) {
    v->del_run++;
    v->del_i = 0;
  }
}

/* A row of a day's changes against the model's next one, field by field;
 * the first difference of a part is the problem's example. */
static void change_row(verifier *v, const sg_table *t, const char *const *f, const size_t *len, uint64_t record,
                       const char *key)
{
  if (!v->changes_on || v->differs)
    return;
  int r = next_change(v);
  if (r <= 0) {
    v->differs = 1;
    if (r < 0)
      problem(v, P_CHANGES, "%s: %s", key, sg_errmsg(SG_ENOMEM));
    else
      problem(v, P_CHANGES, "%s row %llu: the model makes no more changes for this part", key,
              (unsigned long long)record - 1);
    return;
  }
  char text[SG_NAME_CAP + 32];
  for (int i = 0; i < t->ncols; i++) {
    size_t n = sg_csv_value(t->cols[i], &v->change, text);
    if (n != len[i] || memcmp(text, f[i], n) != 0) {
      problem(v, P_CHANGES, "%s row %llu: %s is '%.*s'; the manifest's seed and configuration make '%.*s'", key,
              (unsigned long long)record - 1, t->cols[i]->name, (int)(len[i] < 40 ? len[i] : 40), f[i],
              (int)(n < 40 ? n : 40), text);
      v->differs = 1;
      return;
    }
  }
}

static void read_rows(verifier *v, const sg_reader_ops *ops, const sg_table *table, const char *key,
                      uint64_t want_bytes, int fd, part_read *out)
{
  sg_reader r = {.ops = ops, .table = v->parting ? v->file_table : table, .expect_bytes = want_bytes};
  sg_err e = ops->open(&r, fd, key);
  out->opened = r.opened;
  if (!r.opened) {
    if (v->pass == 0)
      problem(v, P_MISSING, "%s", sg_errmsg(e));
    return;
  }
  int st = e == SG_OK ? 1 : 0;
  if (e != SG_OK && v->pass == 0)
    problem(v, P_CSV, "%s", sg_errmsg(e));
  while (e == SG_OK && (st = ops->next(&r)) > 0) {
    if (st == 2) {
      problem(v, P_CSV, "%s", sg_errmsg(SG_EDATA));
      continue;
    }
    const char *const *f = r.field;
    const size_t *len = r.flen;
    if (v->ice_file)
      measure(v, v->ice_table, f, len);
    const char *wf[SG_TABLE_MAX_COLS];
    size_t wl[SG_TABLE_MAX_COLS];
    if (v->parting) {
      widen(v, table, &r, key, wf, wl);
      f = wf;
      len = wl;
    }
    if (v->reading == READ_DELETES)
      delete_row(v, f, len, r.record, key);
    else if (v->reading == READ_CHANGES)
      change_row(v, table, f, len, r.record, key);
    else if (table)
      table_row(v, table, f, len, r.record, key);
    else
      row(v, f, len, r.record, key);
    if (replay_on(v) && (v->reading == READ_ROWS || v->replay_changes)) {
      if (v->replay_changes)
        replay_change(v, table, f, len);
      else if (!table || table->id != SG_TABLE_ARTISTS)
        replay_row(v, table ? table->id : SG_TABLE_FLAT, f, len, 1);
    }
    out->rows++;
  }
  if (st < 0 && v->pass == 0)
    problem(v, P_CSV, "%s", sg_errmsg(SG_EDATA));
  if (st < 0 || e != SG_OK) { /* content that cannot be read: the size and CRC-32 are still the whole object's */
    static unsigned char rest[1 << 16];
    ssize_t n;
    while ((n = read(fd, rest, sizeof rest)) > 0 || (n < 0 && errno == EINTR))
      if (n > 0) {
        r.bytes += (uint64_t)n;
        r.crc32 = libdeflate_crc32(r.crc32, rest, (size_t)n);
      }
  }
  count_pending(v); /* the part's keys, counted while it is the part being read */
  out->bytes = r.bytes;
  out->crc32 = r.crc32;
  ops->close(&r);
}

/* Keeps what part `index` gave for the next merge (pass 0). */
static void keep_part(verifier *v, uint64_t index)
{
  if (v->nrecs == v->recs_cap) {
    size_t cap = v->recs_cap ? 2 * v->recs_cap : PARTS_PER_MERGE;
    part_rec *r = realloc(v->recs, cap * sizeof *r);
    if (!r) {
      problem(v, P_STATS, "out of memory keeping a part's statistics");
      return;
    }
    v->recs = r;
    v->recs_cap = cap;
  }
  part_rec *r = &v->recs[v->nrecs++];
  memset(r, 0, offsetof(part_rec, stats));
  r->index = index;
  r->rows = v->part_rows;
  r->first_pl = v->first_pl;
  r->last_pl = v->last_pl;
  r->first_pl_logf_set = v->first_pl_logf_set;
  r->first_pl_logf = v->first_pl_logf;
  r->stats = *v->part;
}

/* --tables: the rows the model makes for object `index` (shape.h) are
 * what its rows must be (with --as-of D, those of day D's state:
 * playlist_tracks' and the playlists'). */
static void expect_part(verifier *v, const sg_table *table, uint64_t index)
{
  v->expect = SG_TABLE_FLAT;
  v->differs = 0;
  if (!v->model || !table)
    return;
  const sg_object x = sg_shape_object(&v->shape, index);
  v->expect = table->id;
  if (v->shape.days.as_of > 0 && (x.kind == SG_OBJECT_ROWS || table->id == SG_TABLE_PLAYLISTS)) {
    sg_world_asof(&v->state, v->model, &v->days, table->id, &v->shape.plan, x.part, v->shape.days.as_of);
    v->state_on = 1;
  } else if (x.kind == SG_OBJECT_ROWS) {
    v->exp_row = x.first_row;
    v->exp_end = x.first_row + x.rows;
  } else {
    sg_entities_start(&v->ent, v->model, &v->shape.plan, table->id, x.part, v->shape.days.as_of);
  }
}

/* Reads part `key` (the index-th of the manifest) whole; compares its
 * size, checksum and rows. */
/* Entry `at`'s object (its index; a dataset without partitions lists one
 * entry an object, in order) and the key the shape gives it (a partition's
 * file's from the entry's partition values). Sets what reading the file
 * needs: its partitioning, columns and folders' values. @return : the
 * object, or NO_PART (the key is not its object's: a problem). */
static uint64_t entry_object(verifier *v, const cJSON *entry, uint64_t at, const char *key)
{
  double index = num(entry, "index");
  uint64_t o = !v->shape.spec.n ? at : index >= 0 && index < 9e15 ? (uint64_t)index : NO_PART;
  char want_key[256] = "";
  const sg_partitioning *p = o < sg_shape_objects(&v->shape) ? sg_shape_partitioning(&v->shape, o) : NULL;
  const cJSON *values = cJSON_GetObjectItemCaseSensitive(entry, "partition");
  v->parting = NULL;
  v->folders[0] = '\0';
  if (p && p->n) {
    const char *value[SG_PARTITION_MAX];
    for (int i = 0; i < p->n; i++)
      value[i] = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(values, p->f[i].name));
    int have = 1;
    for (int i = 0; i < p->n; i++)
      have &= value[i] != NULL && strlen(value[i]) < SG_PARTITION_FOLDERS / 2;
    if (have) {
      sg_partition_folders_of(p, value, v->folders);
      sg_shape_file_key(&v->shape, o, v->folders, want_key, sizeof want_key);
    }
  } else if (p && !values) {
    sg_shape_key(&v->shape, o, want_key, sizeof want_key);
  }
  if (!key || strcmp(key, want_key) != 0) {
    problem(v, P_MISSING, "part entry %llu's key is %s; the dataset's shape names it %s", (unsigned long long)at,
            key ? key : "missing", want_key[0] ? want_key : "nothing (an entry too many, or its index or partition)");
    return NO_PART;
  }
  if (p->n) { /* a column its folders name: its value is the folder's */
    const sg_table *t = sg_schema_table(sg_shape_object(&v->shape, o).table);
    v->parting = p;
    v->file_table = sg_shape_file_table(&v->shape, o);
    for (int c = 0, k = 0; c < t->ncols; c++) {
      v->wide[c] = k < v->file_table->ncols && v->file_table->cols[k] == t->cols[c] ? k++ : -1;
      for (int i = 0; v->wide[c] < 0 && i < p->n; i++)
        if (p->f[i].source == t->cols[c])
          sg_partition_value(p, i, v->folders, v->folder[c], sizeof v->folder[c]);
    }
  }
  return o;
}

/* Reads the file of manifest entry `at` whole; compares its size,
 * checksum and rows. */
static void read_part(verifier *v, const cJSON *entry, uint64_t at)
{
  v->cur_part = at;
  v->part_rows = 0;
  v->first_pl_logf_set = 0;
  const char *key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "key"));
  uint64_t index = entry_object(v, entry, at, key);
  if (index == NO_PART) {
    v->cur_part = NO_PART;
    return;
  }
  /* --tables: the table's columns are read and checked; flat, the 24; a
     day's changes, op and change_ts then the 24 */
  const sg_object x = sg_shape_object(&v->shape, index);
  const int changes = x.kind == SG_OBJECT_CHANGES || x.kind == SG_OBJECT_ICEBERG_DATA ||
                      x.kind == SG_OBJECT_ICEBERG_DELETES; /* a day's: not the snapshot's rows */
  const sg_table *table = v->tables || changes ? sg_schema_table(x.table) : NULL;
  v->reading = x.kind == SG_OBJECT_ICEBERG_DELETES ? READ_DELETES : changes ? READ_CHANGES : READ_ROWS;
  v->replay_changes = x.kind == SG_OBJECT_CHANGES;
  double want_bytes = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(entry, "bytes"));
  sg_read_stream *stream;
  int fd;
  part_read part = {0, 0, 0, 0};
  sg_stats_init(v->part);
  v->changes_on = 0;
  if (changes) {
    v->differs = 0;
    if (v->pass == 0)
      expect_changes(v, &x);
  } else {
    expect_part(v, table, index);
  }
  v->ice_file = NULL;
  const int ice = sg_shape_iceberg_of(&v->shape, &x);
  if (ice >= 0 && v->pass == 0) {
    const sg_iceberg_listing *l = &v->listing[ice];
    v->ice_file = sg_iceberg_find(l, key);
    v->ice_table = sg_shape_file_table(&v->shape, index); /* an Iceberg file holds its table's every column */
    memset(v->got, 0, sizeof v->got);
    if (!v->ice_file && l->n) /* (a table whose metadata cannot be read is said once, at rank 0) */
      problem(v, P_ICEBERG, "%s is not in its table's Iceberg manifest", key);
  }
  sg_err e = sg_source_stream(v->src, key, &stream, &fd);
  if (e == SG_OK) {
    const sg_format_ops *fmt = sg_format_of_file(key);
    /* the manifest's size, which a part must have before it is decoded */
    uint64_t want = want_bytes >= 1 && want_bytes < 9e15 ? (uint64_t)want_bytes : 0;
    read_rows(v, fmt ? fmt->reader : &sg_csv_reader_ops, table, key, want, fd, &part);
    e = sg_source_stream_end(stream);
  }
  if (v->pass == 0 && v->model && table && !changes && part.opened && !v->differs && expected_row(v))
    problem(v, P_MODEL, "%s has %llu rows; the manifest's seed and configuration make more", key,
            (unsigned long long)part.rows);
  if (((v->changes_on && next_change(v) != 0) || (v->deletes_on && v->del_run < v->deletes.runs)) &&
      part.opened && !v->differs)
    problem(v, P_CHANGES, "%s has %llu rows; the manifest's seed and configuration make more", key,
            (unsigned long long)part.rows);
  if (v->changes_on)
    sg_world_free(&v->changes);
  if (v->deletes_on)
    sg_deletes_free(&v->deletes);
  v->deletes_on = 0;
  if (v->state_on)
    sg_world_free(&v->state);
  v->changes_on = v->state_on = 0;
  v->expect = SG_TABLE_FLAT;
  if (e != SG_OK && v->pass == 0)
    problem(v, P_MISSING, "%s", sg_errmsg(e));
  if (!part.opened) {
    v->cur_part = NO_PART;
    return;
  }
  uint64_t rows = part.rows;
  if (v->pass == 0) {
    flush(v);
    keep_part(v, at);
    if (!changes)
      v->rows += rows;
    if (table && !changes)
      v->table_rows[table->id] += rows;
    double want_rows = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(entry, "rows"));
    const char *want_crc = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(entry, "checksum"));
    char crc[24];
    snprintf(crc, sizeof crc, "crc32:%08x", part.crc32);
    if ((double)rows != want_rows)
      problem(v, P_ROWS, "%s has %llu rows; the manifest says %.0f", key, (unsigned long long)rows, want_rows);
    if ((double)part.bytes != want_bytes)
      problem(v, P_BYTES, "%s has %llu bytes; the manifest says %.0f", key,
              (unsigned long long)part.bytes, want_bytes);
    if (v->ice_file)
      check_iceberg_file(v, v->ice_table, key, rows, part.bytes);
    if (!want_crc || strcmp(crc, want_crc) != 0)
      problem(v, P_CRC, "%s has %s; the manifest says %s", key, crc, want_crc ? want_crc : "none");
  }
  v->cur_part = NO_PART;
}

/* Objects that look like data but are not listed, and _SUCCESS. */
typedef struct strays {
  verifier *v;
  const cJSON *parts;
} strays;

static int stray(const char *name, void *ctx)
{
  strays *s = ctx;
  if (strcmp(name, SG_LAYOUT_SUCCESS) == 0)
    s->v->have_success = 1;
  const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
  if (base[0] == '.' || base[0] == '_' || (s->v->shape.iceberg && sg_layout_is_table_metadata(name)))
    return 0;
  int listed = 0;
  const cJSON *p;
  cJSON_ArrayForEach(p, s->parts)
  {
    const char *key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "key"));
    listed |= key && strcmp(key, name) == 0;
  }
  if (!listed)
    problem(s->v, P_STRAY, "%s is not in the manifest (Spark would read it as data)", name);
  return 0;
}

static void find_strays(verifier *v, const cJSON *parts)
{
  strays s = {v, parts};
  sg_err e = sg_source_list(v->src, stray, &s);
  if (e != SG_OK)
    problem(v, P_STRAY, "cannot list the dataset: %s", sg_errmsg(e));
}

static int close_enough(double a, double b)
{
  if (isnan(a) || isnan(b))
    return isnan(a) && isnan(b);
  return fabs(a - b) <= REL_TOL * fmax(1.0, fmax(fabs(a), fabs(b)));
}

static double num(const cJSON *o, const char *k)
{
  const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

/* Every number of the manifest's stats against the same number recomputed:
 * both are the JSON of sg_stats_json, so they are walked side by side. */
static void compare_json(verifier *v, const cJSON *want, const cJSON *got, const char *path)
{
  char sub[512];
  if (cJSON_IsNumber(got)) {
    if (!cJSON_IsNumber(want) || !close_enough(want->valuedouble, got->valuedouble))
      problem(v, P_STATS, "%s: the files give %.10g, the manifest %.10g", path, got->valuedouble,
              cJSON_IsNumber(want) ? want->valuedouble : NAN);
    return;
  }
  int i = 0;
  const cJSON *g;
  cJSON_ArrayForEach(g, got)
  {
    const cJSON *w = cJSON_IsArray(got) ? cJSON_GetArrayItem(want, i) : cJSON_GetObjectItemCaseSensitive(want, g->string);
    if (cJSON_IsArray(got))
      snprintf(sub, sizeof sub, "%s[%d]", path, i);
    else
      snprintf(sub, sizeof sub, "%s.%s", path, g->string);
    if (!w && !cJSON_IsString(g))
      problem(v, P_STATS, "%s: missing from the manifest", sub);
    else if (!cJSON_IsString(g))
      compare_json(v, w, g, sub);
    i++;
  }
}

/* v->copula from the manifest's configuration, once. */
static sg_err build_copula(verifier *v)
{
  if (v->copula)
    return SG_OK;
  v->copula = malloc(sizeof *v->copula);
  if (!v->copula)
    return sg_seterr(SG_ENOMEM, "out of memory");
  sg_err e = sg_copula_build(v->copula, &v->cfg, "(the manifest's config)");
  if (e != SG_OK) {
    free(v->copula);
    v->copula = NULL;
  }
  return e;
}

/* The model's predictions for the target checks: --tables' model's
 * copula, else one built from the manifest's configuration (NULL, and the
 * checks that need it skipped, when it cannot be). */
static const sg_copula *check_copula(verifier *v)
{
  build_copula(v);
  return v->copula;
}

/* --tables: the model of the manifest's seed, rows and configuration,
 * which every table's rows are checked against. */
static sg_err load_model(verifier *v, const cJSON *ds, const char *path)
{
  double seed = num(ds, "seed");
  if (!(seed >= 0 && seed <= 9007199254740991.0))
    return sg_seterr(SG_EUSAGE, "%s: its dataset section has no valid seed; the dataset is damaged: generate it "
                     "again", path);
  v->model = malloc(sizeof *v->model);
  if (!v->model)
    return sg_seterr(SG_ENOMEM, "out of memory");
  sg_err e = build_copula(v);
  if (e != SG_OK)
    return e;
  sg_model_init(v->model, (uint64_t)seed, v->shape.plan.rows, &v->cfg, v->copula);
  return SG_OK;
}

/* --days: the model and its days, which each day's changes are checked
 * against. */
static sg_err load_days(verifier *v, const cJSON *ds, const char *path)
{
  v->cfg.days.start = v->shape.days.start;
  sg_err e = load_model(v, ds, path);
  if (e == SG_OK)
    e = sg_days_init(&v->days, &v->model->catalog, v->shape.plan.rows, &v->cfg.days);
  v->days.catalogue = v->shape.tables;
  v->have_days = e == SG_OK;
  return e;
}

/* An Iceberg dataset: each table's metadata, read back by every rank (the
 * data files' entries, which the rank that reads a file checks it
 * against); what is wrong with it is rank 0's to say. */
static void load_iceberg(verifier *v)
{
  char root[2048];
  if (sg_iceberg_root(v->dir, root, sizeof root) != 0)
    snprintf(root, sizeof root, "%s", v->dir);
  sg_shape_iceberg_tables(&v->shape, root, &v->ice);
  for (int t = 0; t <= SG_TABLE_FLAT; t++) {
    if (!v->ice.t[t].table)
      continue;
    sg_err e = sg_iceberg_load(v->src, &v->ice.t[t], root, &v->listing[t]);
    if (e != SG_OK && v->group->rank == 0)
      problem(v, P_ICEBERG, "table %s: %s", v->ice.t[t].name, sg_errmsg(e));
  }
}

static sg_err load_manifest(verifier *v, const sg_verify_options *o)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/" SG_LAYOUT_MANIFEST, v->dir);
  sg_s3_options so = sg_s3_options_from(&o->s3);
  sg_err e = sg_source_open(v->dir, &so, &v->src);
  if (e == SG_OK)
    e = sg_manifest_read(v->src, v->dir, &v->manifest);
  if (e != SG_OK)
    return e;
  const cJSON *ds = cJSON_GetObjectItemCaseSensitive(v->manifest, "dataset");
  const char *format = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ds, "format"));
  const sg_format_ops *fmt = format ? sg_format_find(format) : NULL;
  snprintf(v->wellformed, sizeof v->wellformed, "parts are well-formed %s with the 24 columns",
           fmt && fmt->pages ? "Parquet" : "CSV");
  if (!fmt || !fmt->reader)
    return sg_seterr(SG_EUSAGE, "%s: format '%s' cannot be read by this version of verify", path,
                     format ? format : "(none)");
  if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(v->manifest, "parts")))
    return sg_seterr(SG_EUSAGE, "%s lists no parts; the dataset is damaged: generate it again", path);
  if (cJSON_GetObjectItemCaseSensitive(ds, "dirty"))
    return sg_seterr(SG_EUSAGE, "%s: a dirty dataset (generate --dirty): its values are wrong on purpose, so "
                     "verify cannot check them; generate it without --dirty to verify the model", v->dir);
  sg_config_default(&v->cfg);
  const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(v->manifest, "config");
  if (cfg && sg_config_apply(&v->cfg, cfg, "(the manifest's config)") != SG_OK)
    return sg_seterr(SG_EUSAGE, "%s: its config section is invalid: %s", path, sg_errmsg(SG_EUSAGE));
  e = sg_shape_of_dataset(ds, path, &v->shape);
  if (e != SG_OK)
    return e;
  v->last_year = sg_shape_last_year(&v->shape);
  if (v->shape.iceberg)
    load_iceberg(v);
  if (v->shape.days.end || v->shape.days.as_of)
    return load_days(v, ds, path); /* (and the model) */
  return cJSON_GetObjectItemCaseSensitive(v->manifest, "tables") ? load_model(v, ds, path) : SG_OK;
}

/* The checks of the files against the manifest, then the consistency ones. */
static int problem_checks(const verifier *v, sg_check *out, int from, int to)
{
  int n = 0;
  for (int p = from; p < to; p++) {
    sg_check *c = &out[n++];
    memset(c, 0, sizeof *c);
    c->name = p == P_CSV && v->wellformed[0] ? v->wellformed : PROBLEM_NAMES[p];
    c->lo = c->hi = 0;
    c->value = (double)v->problems[p];
    c->status = v->problems[p] ? SG_CHECK_FAIL : SG_CHECK_PASS;
    c->note = v->problems[p] ? v->first[p] : NULL;
  }
  return n;
}

/* After a pass: its tracks' rows and popularity join the earlier passes'. */
static void keep_tracks(verifier *v)
{
  size_t need = v->ntracks + v->ids.used;
  if (v->tracks_lost)
    return;
  if (need > v->tracks_cap) {
    size_t cap = need + need / 2;
    uint32_t *r = realloc(v->track_rows, cap * sizeof *r);
    if (r)
      v->track_rows = r;
    uint8_t *p = r ? realloc(v->track_pop, cap) : NULL;
    if (p)
      v->track_pop = p;
    if (!r || !p) {
      problem(v, P_STATS, "out of memory counting rows per track");
      free(v->track_rows), free(v->track_pop);
      v->track_rows = NULL, v->track_pop = NULL;
      v->ntracks = v->tracks_cap = 0;
      v->tracks_lost = 1;
      return;
    }
    v->tracks_cap = cap;
  }
  for (size_t i = 0; i < v->ids.cap; i++) {
    const sg_keyslot *s = &v->ids.slots[i];
    if (s->count) {
      uint64_t rows = sg_keyslot_rows(s);
      v->track_rows[v->ntracks] = rows > UINT32_MAX ? UINT32_MAX : (uint32_t)rows;
      v->track_pop[v->ntracks++] = (uint8_t)(s->attr & 0xff);
    }
  }
}

static int answer(verifier *v, const sg_verify_options *o, cJSON **result, const sg_check *checks,
                  int n, cJSON *stats);

/* ---- the ranks' work, merged at rank 0 ----------------------------------------
 *
 * Under mpirun the ranks share the parts: in rounds of PARTS_PER_MERGE
 * parts each, part i read by rank i % size. After each round rank 0 merges
 * the parts' statistics in part order, so the result is the same for any
 * number of ranks (one included: the same code runs). After each pass the
 * keys' maps go to rank 0, and at the end the problems found. */

/* Room for every rank's length in a gather (rank 0's; a dummy elsewhere). */
static size_t *gather_lens(verifier *v)
{
  static size_t one;
  return v->group->rank == 0 ? calloc((size_t)v->group->size, sizeof(size_t)) : &one;
}

static void free_lens(verifier *v, size_t *lens)
{
  if (v->group->rank == 0)
    free(lens);
}

static int by_index(const void *a, const void *b)
{
  uint64_t x = ((const part_rec *)a)->index, y = ((const part_rec *)b)->index;
  return x < y ? -1 : x > y;
}

/* Rank 0: the round's parts' statistics, in part order, into the total. */
static void merge_parts(verifier *v)
{
  unsigned char *all;
  size_t *lens = gather_lens(v);
  /* every rank gathers (a collective), even one that has nothing to send */
  int bad = v->group->gather(v->group, v->recs, v->nrecs * sizeof *v->recs, &all, lens) || !lens;
  v->nrecs = 0;
  if (v->group->rank != 0 || bad) {
    if (bad && v->group->rank == 0)
      problem(v, P_STATS, "out of memory merging the parts' statistics");
    free_lens(v, lens);
    return;
  }
  size_t n = 0;
  for (int r = 0; r < v->group->size; r++)
    n += lens[r] / sizeof(part_rec);
  part_rec *recs = (part_rec *)(void *)all;
  qsort(recs, n, sizeof *recs, by_index);
  for (size_t i = 0; i < n; i++) {
    part_rec *r = &recs[i];
    int goes_on = v->have_prev_pl && r->first_pl.a == v->prev_pl.a && r->first_pl.b == v->prev_pl.b;
    if (r->first_pl_logf_set && !goes_on)
      sg_moments_add(&r->stats.log_followers, &r->first_pl_logf, 1);
    sg_stats_merge(v->total, &r->stats);
    if (r->rows) {
      v->prev_pl = r->last_pl;
      v->have_prev_pl = 1;
    }
  }
  free(all);
  free_lens(v, lens);
}

/* The other ranks' slots of map m, at rank 0 (*n of them; NULL
 * elsewhere, their maps emptied): *unsent when this rank could not send
 * its slots, *bad when rank 0 could not gather them. malloc'ed. */
static sg_keyslot *gather_slots(verifier *v, sg_keymap *m, size_t *n, int *unsent, int *bad)
{
  *n = 0;
  *unsent = *bad = 0;
  if (v->group->size == 1)
    return NULL;
  /* the other ranks send their slots; rank 0's map is the one they join */
  size_t k = 0;
  sg_keyslot *mine = NULL;
  if (v->group->rank != 0) {
    mine = malloc((m->used ? m->used : 1) * sizeof *mine);
    for (size_t i = 0; mine && i < m->cap; i++)
      if (m->slots[i].count)
        mine[k++] = m->slots[i];
    *unsent = !mine;
  }
  unsigned char *all;
  size_t *lens = gather_lens(v);
  *bad = v->group->gather(v->group, mine, k * sizeof *mine, &all, lens) || !lens;
  free(mine);
  if (v->group->rank != 0) {
    sg_keymap_free(m);
    sg_keymap_init(m);
  } else if (!*bad) {
    for (int r = 1; r < v->group->size; r++)
      *n += lens[r] / sizeof *mine;
  }
  free_lens(v, lens);
  if (v->group->rank != 0 || *bad) {
    free(all);
    *n = 0;
    return NULL;
  }
  return (sg_keyslot *)(void *)all;
}

/* Rank 0: every rank's map m in its own; a key another rank also counted
 * with another attribute is problem p (or, for `dup_is_problem`, any key
 * counted twice). Other ranks' maps are emptied. */
static void merge_keys(verifier *v, sg_keymap *m, enum problem p, int dup_is_problem, const char *what)
{
  size_t n;
  int unsent, bad;
  sg_keyslot *s = gather_slots(v, m, &n, &unsent, &bad);
  if (unsent) /* counted at rank 0 by merge_found */
    problem(v, p, "out of memory sending the %s to rank 0", what);
  if (bad && v->group->rank == 0)
    problem(v, p, "out of memory merging the ranks' %s", what);
  for (size_t i = 0; i < n; i++) {
    int first, same;
    if (!sg_keymap_add_slot(m, &s[i], &first, &same))
      problem(v, p, "out of memory merging the ranks' %s", what);
    else if (dup_is_problem ? !first : !same)
      problem(v, p, "%s: a key %s in parts read by different ranks", what,
              dup_is_problem ? "appears twice" : "differs between rows");
  }
  free(s);
}

/* What every rank found, summed at rank 0: problems (each kind's first as
 * found in the earliest part), rows. */
typedef struct found {
  uint64_t problems[NPROBLEMS], first_part[NPROBLEMS];
  char first[NPROBLEMS][256];
  uint64_t rows, table_rows[SG_NTABLES];
  int tracks_lost;
} found;

static void merge_found(verifier *v)
{
  if (v->group->size == 1)
    return;
  found mine;
  memcpy(mine.problems, v->problems, sizeof mine.problems);
  memcpy(mine.first_part, v->first_part, sizeof mine.first_part);
  memcpy(mine.first, v->first, sizeof mine.first);
  mine.rows = v->rows;
  memcpy(mine.table_rows, v->table_rows, sizeof mine.table_rows);
  mine.tracks_lost = v->tracks_lost;
  unsigned char *all;
  size_t *lens = gather_lens(v);
  int bad = v->group->gather(v->group, &mine, sizeof mine, &all, lens) || !lens;
  free_lens(v, lens);
  if (v->group->rank != 0 || bad) {
    free(all);
    if (bad && v->group->rank == 0)
      problem(v, P_STATS, "out of memory merging the ranks' findings");
    return;
  }
  const found *f = (const found *)(void *)all;
  memset(v->problems, 0, sizeof v->problems);
  v->rows = 0;
  memset(v->table_rows, 0, sizeof v->table_rows);
  for (int r = 0; r < v->group->size; r++) {
    for (int p = 0; p < NPROBLEMS; p++) {
      if (f[r].problems[p] && (!v->problems[p] || f[r].first_part[p] < v->first_part[p])) {
        v->first_part[p] = f[r].first_part[p];
        memcpy(v->first[p], f[r].first[p], sizeof v->first[p]);
      }
      v->problems[p] += f[r].problems[p];
    }
    v->rows += f[r].rows;
    for (int t = 0; t < SG_NTABLES; t++)
      v->table_rows[t] += f[r].table_rows[t];
    v->tracks_lost |= f[r].tracks_lost;
  }
  free(all);
}

/* Reads this rank's parts among `parts` (those `wanted` names, all when
 * NULL), merging each round's statistics at rank 0 in pass 0. */
static void read_parts(verifier *v, const cJSON *const *parts, size_t nparts, const char *wanted)
{
  const size_t size = (size_t)v->group->size, round = size * PARTS_PER_MERGE;
  for (size_t from = 0; from < nparts; from += round) {
    for (size_t i = from + (size_t)v->group->rank; i < from + round && i < nparts; i += size) {
      const char *key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(parts[i], "key"));
      if (!wanted || (key && strncmp(key, wanted, strlen(wanted)) == 0))
        read_part(v, parts[i], i);
    }
    if (v->pass == 0)
      merge_parts(v);
  }
}

/* The manifest's parts as an array (cJSON's is a list); none, as a
 * problem, when out of memory. */
static const cJSON **part_array(verifier *v, const cJSON *parts, size_t *n)
{
  *n = (size_t)cJSON_GetArraySize(parts);
  const cJSON **a = malloc((*n ? *n : 1) * sizeof *a);
  if (!a) {
    problem(v, P_MISSING, "out of memory listing the parts");
    *n = 0;
    return NULL;
  }
  size_t i = 0;
  const cJSON *p;
  cJSON_ArrayForEach(p, parts) a[i++] = p;
  return a;
}

/* Passes over the data for a dataset of `rows` rows: IDS_PER_PASS keys each. */
static uint64_t passes_for(double rows)
{
  return isfinite(rows) && rows > (double)IDS_PER_PASS ? (uint64_t)ceil(rows / (double)IDS_PER_PASS) : 1;
}

/* After the parts are read: every rank's findings at rank 0, which then
 * looks at the location itself (strays, _SUCCESS). @return : whether this
 * rank goes on to answer (rank 0). */
/* What the manifest says of the whole must be what its parts are: as many
 * entries as dataset.parts says (five a part with --tables), each entry's
 * index its place in the list, and, flat, dataset.rows the rows read (with
 * --tables, playlist_tracks' rows: the join's check). */
/* The rows of the dataset's snapshot, and who says so: the state of a later
 * day (--as-of) has the rows its days leave; --day D has no snapshot. */
static double snapshot_rows(const verifier *v, const char **said)
{
  const cJSON *ds = cJSON_GetObjectItemCaseSensitive(v->manifest, "dataset");
  const cJSON *days = cJSON_GetObjectItemCaseSensitive(v->manifest, "days");
  *said = v->shape.days.changes_only ? "the manifest's --day makes no snapshot, so"
          : v->shape.days.as_of      ? "the manifest's days.rows says"
                                     : "the manifest's dataset.rows says";
  return v->shape.days.changes_only ? 0 : v->shape.days.as_of ? num(days, "rows") : num(ds, "rows");
}

static void check_facts(verifier *v, const cJSON *parts)
{
  const cJSON *ds = cJSON_GetObjectItemCaseSensitive(v->manifest, "dataset");
  int n = cJSON_GetArraySize(parts), per = v->shape.per_part, i = 0;
  double want = num(ds, "parts");
  const cJSON *p;
  if (v->shape.spec.n) { /* partitioned: each object's files in order, an unpartitioned object's one */
    uint64_t next = 0;
    cJSON_ArrayForEach(p, parts)
    {
      double index = num(p, "index");
      int split = index >= 0 && index < (double)sg_shape_objects(&v->shape) &&
                  sg_shape_partitioning(&v->shape, (uint64_t)index)->n > 0;
      while (next < sg_shape_objects(&v->shape) && (double)next < index &&
             sg_shape_partitioning(&v->shape, next)->n > 0)
        next++; /* a partitioned object may have no file (no rows) */
      if (index != (double)next || (!split && cJSON_GetObjectItemCaseSensitive(p, "partition"))) {
        problem(v, P_MISSING, "the manifest's part entry %d has index %.0f; object %llu was due (an object's "
                "files in order, one entry for each object not partitioned)", i, index, (unsigned long long)next);
        break;
      }
      next += split ? 0 : 1;
      i++;
    }
    while (next < sg_shape_objects(&v->shape) && sg_shape_partitioning(&v->shape, next)->n > 0)
      next++;
    if (i == n && next != sg_shape_objects(&v->shape))
      problem(v, P_MISSING, "the manifest lists no file of object %llu of %llu (dataset.parts says %.0f parts)",
              (unsigned long long)next, (unsigned long long)sg_shape_objects(&v->shape), want);
  } else {
    uint64_t objects = sg_shape_objects(&v->shape), snapshot = sg_shape_snapshot_objects(&v->shape);
    if (v->have_days && ((uint64_t)n != objects || (snapshot && want * per != (double)snapshot)))
      problem(v, P_MISSING, "the manifest lists %d part files; its dataset.parts (%.0f) and dataset.days make %llu",
              n, want, (unsigned long long)objects);
    else if (!v->have_days && (want != (double)(n / per) || n % per))
      problem(v, P_MISSING, "the manifest's dataset.parts says %.0f parts; it lists %d part files%s", want, n,
              v->tables ? " (five a part with --tables)" : "");
    cJSON_ArrayForEach(p, parts)
    {
      double index = num(p, "index");
      if (index != (double)i) {
        problem(v, P_MISSING, "the manifest's part entry %d has index %.0f; an entry's index is its place in the list",
                i, index);
        break;
      }
      i++;
    }
  }
  const char *said;
  double rows = snapshot_rows(v, &said);
  if (!v->tables && (double)v->rows != rows)
    problem(v, P_ROWS, "the parts hold %llu rows; %s %.0f", (unsigned long long)v->rows, said, rows);
}

/* Rank 0: each Iceberg table's manifest lists the dataset's files of that
 * table, each once, and nothing else (what each file holds its reader
 * checked). */
static void iceberg_complete(verifier *v, const cJSON *parts)
{
  size_t listed[SG_TABLE_FLAT + 1] = {0};
  const cJSON *p;
  cJSON_ArrayForEach(p, parts)
  {
    double index = num(p, "index");
    const char *key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "key"));
    if (!key || !(index >= 0 && index < (double)sg_shape_objects(&v->shape)))
      continue; /* (the facts' checks say so) */
    const sg_object x = sg_shape_object(&v->shape, (uint64_t)index);
    const int t = sg_shape_iceberg_of(&v->shape, &x);
    if (t < 0)
      continue; /* (a day's changes: not an Iceberg table's) */
    const sg_iceberg_listing *l = &v->listing[t];
    if (!l->n)
      return; /* its metadata could not be read: said already */
    if (sg_iceberg_find(l, key))
      listed[t]++;
    else
      problem(v, P_ICEBERG, "%s is in the dataset's manifest, not in table %s's Iceberg manifest", key,
              v->ice.t[t].name);
  }
  for (int t = 0; t <= SG_TABLE_FLAT; t++)
    if (v->ice.t[t].table && v->listing[t].n != listed[t])
      problem(v, P_ICEBERG, "table %s's Iceberg manifest lists %zu data files; the dataset's manifest has %zu of them",
              v->ice.t[t].name, v->listing[t].n, listed[t]);
}

static int gathered(verifier *v, const cJSON *parts)
{
  const int replay = v->have_days && !v->shape.days.changes_only;
  if (replay)
    replay_merge(v);
  merge_found(v);
  if (v->group->rank != 0)
    return 0;
  if (replay)
    replay_check(v);
  find_strays(v, parts);
  if (v->shape.iceberg)
    iceberg_complete(v, parts);
  check_facts(v, parts);
  if (!v->have_success)
    problem(v, P_SUCCESS, "%s/_SUCCESS is missing: the run did not finish", v->dir);
  return 1;
}

/* After a pass over the data: the pass's slice of track ids at rank 0. */
static void merge_track_ids(verifier *v)
{
  merge_keys(v, &v->ids, P_TRACK, 0, "attributes of track_id");
  if (v->group->rank == 0)
    keep_tracks(v);
  sg_keymap_free(&v->ids); /* the next pass checks other ids */
  sg_keymap_init(&v->ids);
}

/* After every pass: the artists', playlists' and albums' maps at rank 0. */
static void merge_join_keys(verifier *v)
{
  merge_keys(v, &v->artists, P_ARTIST, 0, "artist_name of artist_id");
  merge_keys(v, &v->playlists, P_PLAYLIST, 0, "name, category or followers of playlist_id");
  merge_keys(v, &v->albums, P_ALBUM, 0, "release_date of album");
  merge_keys(v, &v->followers, P_PLAYLIST, 0, "num_followers of playlist_id");
}

/* A partitioned flat dataset: the followers' statistics over its playlists,
 * each once (the map holds a playlist's followers as its attribute). */
static void partitioned_followers(verifier *v)
{
  static double logf[BATCH];
  size_t n = 0;
  memset(&v->total->log_followers, 0, sizeof v->total->log_followers);
  for (size_t i = 0; i < v->followers.cap; i++) {
    if (!v->followers.slots[i].count)
      continue;
    double fol;
    memcpy(&fol, &v->followers.slots[i].attr, sizeof fol);
    logf[n++] = log(fol);
    if (n == BATCH) {
      sg_moments_add(&v->total->log_followers, logf, n);
      n = 0;
    }
  }
  sg_moments_add(&v->total->log_followers, logf, n);
}

/* The join's checks, flat or --tables alike, once every part is read and
 * merged: the statistics recomputed against the manifest's, the targets,
 * and the consistency of the rows (one name per artist ...); with
 * `tables`, the tables' own checks too. @return : the exit status. */
static int join_checks(verifier *v, const sg_verify_options *o, cJSON **result, int tables)
{
  if (v->shape.spec.n && !tables)
    partitioned_followers(v);
  /* Rows per artist, from the artists' map. */
  uint64_t *counts = malloc((v->artists.used + 1) * sizeof *counts);
  size_t na = 0;
  for (size_t i = 0; counts && i < v->artists.cap; i++)
    if (v->artists.slots[i].count)
      counts[na++] = sg_keyslot_rows(&v->artists.slots[i]);
  sg_measures m = {v->total, &v->cfg, counts != NULL, 0, 0, v->track_rows != NULL, 0,
                   "out of memory counting rows per track", check_copula(v)};
  m.track_spearman = sg_track_spearman(v->track_rows, v->track_pop, v->ntracks);
  if (counts)
    sg_artist_summary(counts, na, &m.artist_top1, &m.artist_gini);

  /* What the manifest does not hold is not asked of it: rows per artist
   * when it had too many artists to count, and before 0.5.0 those and the
   * categories' histograms. */
  const cJSON *want = cJSON_GetObjectItemCaseSensitive(v->manifest, "stats");
  cJSON *stats = sg_stats_json(v->total);
  if (counts && cJSON_GetObjectItemCaseSensitive(want, "artists"))
    cJSON_AddItemToObject(stats, "artists", sg_artists_json(counts, na));
  cJSON *tracks = v->track_rows && cJSON_GetObjectItemCaseSensitive(want, "tracks")
                      ? sg_tracks_json(v->track_rows, v->ntracks, m.track_spearman) : NULL;
  if (tracks)
    cJSON_AddItemToObject(stats, "tracks", tracks);
  cJSON *cat;
  cJSON_ArrayForEach(cat, cJSON_GetObjectItemCaseSensitive(stats, "categories"))
  {
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(want, "categories"), cat->string);
    if (w && !cJSON_GetObjectItemCaseSensitive(w, "histograms"))
      cJSON_DeleteItemFromObjectCaseSensitive(cat, "histograms");
  }
  free(counts);
  /* --day D: the changes alone, no snapshot to measure */
  const int snapshot = !v->shape.days.changes_only;
  if (snapshot)
    compare_json(v, want, stats, "stats");

  static sg_check checks[SG_MAX_CHECKS + NPROBLEMS];
  int n = problem_checks(v, checks, 0, snapshot ? P_ARTIST : P_STATS);
  if (snapshot) {
    n += sg_targets_run(&m, checks + n);
    n += problem_checks(v, checks + n, P_ARTIST, tables ? P_ICEBERG : P_KEY);
  }
  if (v->shape.iceberg)
    n += problem_checks(v, checks + n, P_ICEBERG, P_ICEBERG + 1);
  if (v->have_days && v->shape.days.last >= v->shape.days.first)
    n += problem_checks(v, checks + n, P_CHANGES, P_CHANGES + 1);
  if (v->have_days && snapshot)
    n += problem_checks(v, checks + n, P_REPLAY, P_REPLAY + 1);
  return answer(v, o, result, checks, n, stats);
}

/* A --tables dataset: its files against the manifest, every table's keys,
 * its foreign keys and the join's row count; every table's rows against
 * the model's; and the join's rows (playlist_tracks' rows, which are the
 * model's) checked as a flat dataset's: statistics, targets, consistency. */
static int run_tables(verifier *v, const sg_verify_options *o, cJSON **result)
{
  const cJSON *parts = cJSON_GetObjectItemCaseSensitive(v->manifest, "parts");
  const char *said;
  double manifest_rows = snapshot_rows(v, &said);
  v->passes = passes_for(manifest_rows);
  char playlist_tracks[40];
  snprintf(playlist_tracks, sizeof playlist_tracks, "%s/", sg_schema_table(SG_TABLE_PLAYLIST_TRACKS)->name);
  size_t nparts;
  const cJSON **array = part_array(v, parts, &nparts);
  for (v->pass = 0; v->pass < v->passes; v->pass++) {
    read_parts(v, array, nparts, v->pass == 0 ? NULL : playlist_tracks);
    for (int i = 0; i < SG_NTABLES; i++) {
      const sg_table *t = sg_schema_table((sg_table_id)i);
      if (v->pass > 0 && i != SG_TABLE_PLAYLIST_TRACKS)
        continue;
      merge_keys(v, &v->keys[i], P_KEY, 1, t->name);
      for (int r = 0; v->pass == 0 && r < t->nfk; r++)
        merge_keys(v, &v->refs[i][r], P_FK, 0, t->fk[r].column);
    }
    sg_keymap_free(&v->keys[SG_TABLE_PLAYLIST_TRACKS]); /* the next pass checks other keys */
    sg_keymap_init(&v->keys[SG_TABLE_PLAYLIST_TRACKS]);
    merge_track_ids(v);
  }
  free(array);
  merge_join_keys(v);
  if (!gathered(v, parts))
    return 0;
  check_references(v);
  const cJSON *tables = cJSON_GetObjectItemCaseSensitive(v->manifest, "tables");
  for (int i = 0; i < SG_NTABLES; i++) {
    const char *name = sg_schema_table((sg_table_id)i)->name;
    double want = num(cJSON_GetObjectItemCaseSensitive(tables, name), "rows");
    if ((double)v->table_rows[i] != want)
      problem(v, P_ROWS, "table %s has %llu rows; the manifest says %.0f", name,
              (unsigned long long)v->table_rows[i], want);
  }
  if ((double)v->table_rows[SG_TABLE_PLAYLIST_TRACKS] != manifest_rows)
    problem(v, P_JOIN, "playlist_tracks has %llu rows; %s %.0f",
            (unsigned long long)v->table_rows[SG_TABLE_PLAYLIST_TRACKS], said, manifest_rows);
  v->rows = v->table_rows[SG_TABLE_PLAYLIST_TRACKS];
  return join_checks(v, o, result, 1);
}

static int run(verifier *v, const sg_verify_options *o, cJSON **result)
{
  if (v->tables)
    return run_tables(v, o, result);
  const cJSON *parts = cJSON_GetObjectItemCaseSensitive(v->manifest, "parts");
  double manifest_rows = num(cJSON_GetObjectItemCaseSensitive(v->manifest, "dataset"), "rows");
  v->passes = passes_for(manifest_rows);
  size_t nparts;
  const cJSON **array = part_array(v, parts, &nparts);
  for (v->pass = 0; v->pass < v->passes; v->pass++) {
    read_parts(v, array, nparts, NULL);
    merge_track_ids(v);
  }
  free(array);
  merge_join_keys(v);
  if (!gathered(v, parts))
    return 0;
  return join_checks(v, o, result, 0);
}

/* Prints the checks (or hands them over as JSON, with `stats`, which it
 * takes). @return : the exit status. */
static int answer(verifier *v, const sg_verify_options *o, cJSON **result, const sg_check *checks,
                  int n, cJSON *stats)
{
  int failed = sg_targets_failed(checks, n);

  if (o->json || result) {
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "dataset", v->dir);
    cJSON_AddNumberToObject(out, "rows", (double)v->rows);
    cJSON_AddNumberToObject(out, "checks", n);
    cJSON_AddNumberToObject(out, "failed", failed);
    cJSON_AddBoolToObject(out, "pass", failed == 0);
    cJSON_AddItemToObject(out, "results", sg_checks_json(checks, n));
    if (stats)
      cJSON_AddItemToObject(out, "stats", stats);
    stats = NULL;
    if (result) {
      *result = out;
    } else {
      char *text = cJSON_Print(out);
      if (text)
        puts(text);
      free(text);
      cJSON_Delete(out);
    }
  } else {
    sg_checks_print(stdout, checks, n);
    char dir[1024];
    sg_escape_controls(dir, sizeof dir, v->dir); /* a name is shown, never obeyed */
    printf("\nverify: %s: %llu rows, %d checks, %s\n", dir, (unsigned long long)v->rows, n,
           failed ? "SOME FAILED" : "all pass");
    if (failed)
      printf("verify: %d of %d checks failed\n", failed, n);
  }
  cJSON_Delete(stats);
  return failed ? SG_VERIFY_FAILED : 0;
}

/* Whether `ok` holds on every rank (each rank learns rank 0's answer). */
static int all_ranks_ok(verifier *v, int ok)
{
  if (v->group->size == 1)
    return ok;
  unsigned char *all;
  size_t *lens = gather_lens(v);
  int all_ok = !v->group->gather(v->group, &ok, sizeof ok, &all, lens) && lens;
  for (int r = 0; all_ok && all && v->group->rank == 0 && r < v->group->size; r++)
    all_ok = ((const int *)(void *)all)[r];
  free(all);
  free_lens(v, lens);
  v->group->bcast_int(v->group, &all_ok);
  return all_ok;
}

static int verify_dataset(const sg_verify_options *o, sg_group *group, cJSON **result)
{
  static verifier v; /* large: not on the stack */
  memset(&v, 0, sizeof v);
  v.dir = o->dir;
  v.group = group;
  v.cur_part = NO_PART;
  v.last_year = SG_LAST_YEAR;
  v.total = malloc(sizeof *v.total);
  v.part = malloc(sizeof *v.part);
  if (v.total)
    sg_stats_init(v.total);
  sg_keymap_init(&v.ids);
  sg_keymap_init(&v.artists);
  sg_keymap_init(&v.playlists);
  sg_keymap_init(&v.followers);
  sg_keymap_init(&v.albums);
  sg_err e = !v.total || !v.part ? sg_seterr(SG_ENOMEM, "out of memory") : load_manifest(&v, o);
  int failed_here = e != SG_OK;
  if (!all_ranks_ok(&v, !failed_here) && e == SG_OK)
    e = sg_seterr(SG_EIO, "another rank could not read %s's manifest (its own message says why)", v.dir);
  v.tables = e == SG_OK && cJSON_GetObjectItemCaseSensitive(v.manifest, "tables") != NULL;
  int status;
  if (e != SG_OK) {
    if (failed_here || group->rank == 0)
      fprintf(stderr, "spotgen: %s\n", sg_errmsg(e));
    status = sg_exit_status(e);
  } else {
    status = run(&v, o, result);
  }
  group->bcast_int(group, &status); /* rank 0's verdict, the process's on every rank */
  cJSON_Delete(v.manifest);
  for (int t = 0; t <= SG_TABLE_FLAT; t++)
    sg_iceberg_listing_free(&v.listing[t]);
  sg_source_close(v.src);
  sg_keymap_free(&v.ids);
  free(v.track_rows);
  free(v.track_pop);
  sg_keymap_free(&v.artists);
  sg_keymap_free(&v.playlists);
  sg_keymap_free(&v.followers);
  sg_keymap_free(&v.albums);
  for (int i = 0; i < SG_NTABLES; i++) {
    sg_keymap_free(&v.keys[i]);
    for (int r = 0; r < 3; r++)
      sg_keymap_free(&v.refs[i][r]);
  }
  free(v.total);
  free(v.part);
  free(v.model);
  free(v.copula);
  free(v.events);
  sg_keymap_free(&v.replay);
  for (int t = 0; t <= SG_NTABLES; t++)
    if (v.located[t])
      sg_locator_free(&v.locate[t]);
  sg_days_free(&v.days);
  sg_shape_free(&v.shape);
  return status;
}

int sg_verify_collect(const sg_verify_options *o, cJSON **result)
{
  *result = NULL;
  return verify_dataset(o, sg_group_single(), result);
}

int sg_verify_main(int argc, char **argv, sg_group *group)
{
  sg_verify_options o;
  sg_err e = sg_cli_verify(argc, argv, &o);
  if (e != SG_OK || o.help) /* every rank parsed the same: rank 0 answers */
    return group->rank == 0 ? sg_cli_answer(e, sg_usage_verify) : e != SG_OK ? sg_exit_status(e) : 0;
  return verify_dataset(&o, group, NULL);
}
