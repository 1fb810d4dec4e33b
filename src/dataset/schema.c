/* schema.c - the column table and the schemas derived from it. */
#include "spotgen/dataset/schema.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/base/numfmt.h"

#define STR(f) SG_KIND_STR, offsetof(sg_row, f), 0, "string", "string", -1, 0, 0, 0, 0
#define ID(f) SG_KIND_ID, offsetof(sg_row, f), 0, "string", "string", -1, 0, 0, 0, 0
#define NUM(kind, f, dec, spark, athena, st, lo, hi, bins, lg) \
  kind, offsetof(sg_row, f), dec, spark, athena, st, lo, hi, bins, lg

/* The 24 columns, then the tables' own: album_id, position, and the
 * artists' attributes. */
static const sg_column COLUMNS[SG_NCOLS + SG_NEXTRA] = {
  {"track_id", ID(track_id)},
  {"track_name", STR(track_name)},
  {"artist_name", STR(artist_name)},
  {"album_name", STR(album_name)},
  {"release_date", SG_KIND_DATE, offsetof(sg_row, release_date), 0, "date", "date", -1, 0, 0, 0, 0},
  {"playlist_name", STR(playlist_name)},
  {"playlist_category", SG_KIND_TEXT_REF, offsetof(sg_row, playlist_category), 0, "string", "string", -1, 0, 0, 0, 0},
  {"num_followers", NUM(SG_KIND_I64, num_followers, 0, "long", "bigint", 0, 0, 1e10, 100, 1)},
  {"popularity_score", NUM(SG_KIND_I32, popularity_score, 0, "integer", "int", 1, 0, 100, 101, 0)},
  {"energy", NUM(SG_KIND_FIXED, energy, 4, "double", "double", 2, 0, 1, 100, 0)},
  {"loudness", NUM(SG_KIND_FIXED, loudness, 3, "double", "double", 3, -60, 0, 60, 0)},
  {"danceability", NUM(SG_KIND_FIXED, danceability, 4, "double", "double", 4, 0, 1, 100, 0)},
  {"valence", NUM(SG_KIND_FIXED, valence, 4, "double", "double", 5, 0, 1, 100, 0)},
  {"tempo", NUM(SG_KIND_FIXED, tempo, 3, "double", "double", 6, 40, 220, 90, 0)},
  {"acousticness", NUM(SG_KIND_FIXED, acousticness, 4, "double", "double", 7, 0, 1, 100, 0)},
  {"instrumentalness", NUM(SG_KIND_FIXED, instrumentalness, 4, "double", "double", 8, 0, 1, 100, 0)},
  {"speechiness", NUM(SG_KIND_FIXED, speechiness, 4, "double", "double", 9, 0, 1, 100, 0)},
  {"liveness", NUM(SG_KIND_FIXED, liveness, 4, "double", "double", 10, 0, 1, 100, 0)},
  {"duration_ms", NUM(SG_KIND_I32, duration_ms, 0, "integer", "int", 11, 30000, 600000, 95, 0)},
  {"key", NUM(SG_KIND_I32, key, 0, "integer", "int", 12, 0, 11, 12, 0)},
  {"mode", NUM(SG_KIND_I32, mode, 0, "integer", "int", 13, 0, 1, 2, 0)},
  {"time_signature", NUM(SG_KIND_I32, time_signature, 0, "integer", "int", 14, 2, 5, 4, 0)},
  {"artist_id", ID(artist_id)},
  {"playlist_id", ID(playlist_id)},
  {"album_id", ID(album_id)},
  {"position", NUM(SG_KIND_I32, position, 0, "integer", "int", -1, 0, 65535, 0, 0)},
  {"artist_genre", SG_KIND_TEXT_REF, offsetof(sg_row, artist_genre), 0, "string", "string", -1, 0, 0, 0, 0},
  {"artist_popularity", NUM(SG_KIND_I32, artist_popularity, 0, "integer", "int", -1, 0, 100, 0, 0)},
  {"artist_followers", NUM(SG_KIND_I64, artist_followers, 0, "long", "bigint", -1, 0, 1e10, 0, 0)},
  {"op", SG_KIND_TEXT_REF, offsetof(sg_row, op), 0, "string", "string", -1, 0, 0, 0, 0},
  {"change_ts", SG_KIND_TIMESTAMP, offsetof(sg_row, change_ts), 0, "timestamp", "timestamp", -1, 0, 0, 0, 0},
};

/* The dirty tables' own columns: always text (sg_cells), never from a row. */
#define TEXT SG_KIND_STR, 0, 0, "string", "string", -1, 0, 0, 0, 0
static const sg_column DIRTY_COLUMNS[] = {
  {"row_key", TEXT}, {"column", TEXT}, {"kind", TEXT}, {"clean_value", TEXT}, {"dirty_value", TEXT},
  {"duplicate_of", TEXT},
};
#undef TEXT

/* An Iceberg position delete file's columns, with the ids the Iceberg spec
 * reserves for them (sg_schema_field_id); written as cells. */
static const sg_column DELETE_COLUMNS[] = {
  {"file_path", SG_KIND_STR, 0, 0, "string", "string", -1, 0, 0, 0, 0},
  {"pos", SG_KIND_I64, 0, 0, "long", "bigint", -1, 0, 9.2e18, 0, 0},
};
#define DELETE_FILE_PATH_ID 2147483546
#define DELETE_POS_ID 2147483545

enum {
  C_TRACK_ID, C_TRACK_NAME, C_ARTIST_NAME, C_ALBUM_NAME, C_RELEASE_DATE, C_PLAYLIST_NAME,
  C_PLAYLIST_CATEGORY, C_NUM_FOLLOWERS, C_POPULARITY, C_ENERGY, C_LOUDNESS, C_DANCEABILITY,
  C_VALENCE, C_TEMPO, C_ACOUSTICNESS, C_INSTRUMENTALNESS, C_SPEECHINESS, C_LIVENESS, C_DURATION,
  C_KEY, C_MODE, C_TIME_SIGNATURE, C_ARTIST_ID, C_PLAYLIST_ID, C_ALBUM_ID, C_POSITION,
  C_ARTIST_GENRE, C_ARTIST_POPULARITY, C_ARTIST_FOLLOWERS, C_OP, C_CHANGE_TS
};
#define C(i) &COLUMNS[C_##i]

#define FLAT_COLUMNS \
  C(TRACK_ID), C(TRACK_NAME), C(ARTIST_NAME), C(ALBUM_NAME), C(RELEASE_DATE), C(PLAYLIST_NAME), \
  C(PLAYLIST_CATEGORY), C(NUM_FOLLOWERS), C(POPULARITY), C(ENERGY), C(LOUDNESS), C(DANCEABILITY), \
  C(VALENCE), C(TEMPO), C(ACOUSTICNESS), C(INSTRUMENTALNESS), C(SPEECHINESS), C(LIVENESS), \
  C(DURATION), C(KEY), C(MODE), C(TIME_SIGNATURE), C(ARTIST_ID), C(PLAYLIST_ID)
#define D(i) &DIRTY_COLUMNS[i]

static const sg_table TABLES[SG_TABLE_LAST + 1] = {
  {SG_TABLE_ARTISTS, "artists", 5,
   {C(ARTIST_ID), C(ARTIST_NAME), C(ARTIST_GENRE), C(ARTIST_POPULARITY), C(ARTIST_FOLLOWERS)}, 1, 0, {{0}}, 0},
  {SG_TABLE_ALBUMS, "albums", 4, {C(ALBUM_ID), C(ARTIST_ID), C(ALBUM_NAME), C(RELEASE_DATE)}, 1, 1,
   {{"artist_id", SG_TABLE_ARTISTS}}, 0},
  {SG_TABLE_TRACKS, "tracks", 18,
   {C(TRACK_ID), C(TRACK_NAME), C(ARTIST_ID), C(ALBUM_ID), C(POPULARITY), C(ENERGY), C(LOUDNESS),
    C(DANCEABILITY), C(VALENCE), C(TEMPO), C(ACOUSTICNESS), C(INSTRUMENTALNESS), C(SPEECHINESS),
    C(LIVENESS), C(DURATION), C(KEY), C(MODE), C(TIME_SIGNATURE)},
   1, 2, {{"artist_id", SG_TABLE_ARTISTS}, {"album_id", SG_TABLE_ALBUMS}}, 0},
  {SG_TABLE_PLAYLISTS, "playlists", 4, {C(PLAYLIST_ID), C(PLAYLIST_NAME), C(PLAYLIST_CATEGORY), C(NUM_FOLLOWERS)},
   1, 0, {{0}}, 0},
  {SG_TABLE_PLAYLIST_TRACKS, "playlist_tracks", 3, {C(PLAYLIST_ID), C(POSITION), C(TRACK_ID)}, 2, 2,
   {{"playlist_id", SG_TABLE_PLAYLISTS}, {"track_id", SG_TABLE_TRACKS}}, 0},
  {SG_TABLE_FLAT, "spotify", SG_NCOLS, {FLAT_COLUMNS}, 0, 0, {{0}}, 0},
  {SG_TABLE_DIRTY, "spotify_dirty", SG_NCOLS + 1, {D(0), FLAT_COLUMNS}, 0, 0, {{0}}, 1},
  {SG_TABLE_DIRTY_LEDGER, "dirty_ledger", 6, {D(0), D(1), D(2), D(3), D(4), D(5)}, 0, 0, {{0}}, 1},
  {SG_TABLE_CHANGES, "spotify_changes", SG_NCOLS + 2, {C(OP), C(CHANGE_TS), FLAT_COLUMNS}, 0, 0, {{0}}, 0},
  {SG_TABLE_PLAYLISTS_CHANGES, "playlists_changes", 6,
   {C(OP), C(CHANGE_TS), C(PLAYLIST_ID), C(PLAYLIST_NAME), C(PLAYLIST_CATEGORY), C(NUM_FOLLOWERS)}, 0, 0, {{0}}, 0},
  {SG_TABLE_PLAYLIST_TRACKS_CHANGES, "playlist_tracks_changes", 5,
   {C(OP), C(CHANGE_TS), C(PLAYLIST_ID), C(POSITION), C(TRACK_ID)}, 0, 0, {{0}}, 0},
  {SG_TABLE_POSITION_DELETES, "position_deletes", 2, {&DELETE_COLUMNS[0], &DELETE_COLUMNS[1]}, 0, 0, {{0}}, 0},
  {SG_TABLE_ALBUMS_CHANGES, "albums_changes", 6,
   {C(OP), C(CHANGE_TS), C(ALBUM_ID), C(ARTIST_ID), C(ALBUM_NAME), C(RELEASE_DATE)}, 0, 0, {{0}}, 0},
  {SG_TABLE_TRACKS_CHANGES, "tracks_changes", 20,
   {C(OP), C(CHANGE_TS), C(TRACK_ID), C(TRACK_NAME), C(ARTIST_ID), C(ALBUM_ID), C(POPULARITY), C(ENERGY),
    C(LOUDNESS), C(DANCEABILITY), C(VALENCE), C(TEMPO), C(ACOUSTICNESS), C(INSTRUMENTALNESS), C(SPEECHINESS),
    C(LIVENESS), C(DURATION), C(KEY), C(MODE), C(TIME_SIGNATURE)},
   0, 0, {{0}}, 0},
};
#undef C
#undef D
#undef FLAT_COLUMNS

const sg_table *sg_schema_table(sg_table_id id) { return &TABLES[id]; }

/* The tables that change, and the tables of their changes. */
static const sg_table_id CHANGED[][2] = {
  {SG_TABLE_FLAT, SG_TABLE_CHANGES},
  {SG_TABLE_PLAYLISTS, SG_TABLE_PLAYLISTS_CHANGES},
  {SG_TABLE_PLAYLIST_TRACKS, SG_TABLE_PLAYLIST_TRACKS_CHANGES},
  {SG_TABLE_ALBUMS, SG_TABLE_ALBUMS_CHANGES},
  {SG_TABLE_TRACKS, SG_TABLE_TRACKS_CHANGES},
};

int sg_schema_changed(sg_table_id changes)
{
  for (size_t i = 0; i < sizeof CHANGED / sizeof *CHANGED; i++)
    if (CHANGED[i][1] == changes)
      return (int)CHANGED[i][0];
  return -1;
}

int sg_schema_catalogue(sg_table_id t) { return t == SG_TABLE_ALBUMS || t == SG_TABLE_TRACKS; }

int sg_schema_changes_of(sg_table_id t)
{
  for (size_t i = 0; i < sizeof CHANGED / sizeof *CHANGED; i++)
    if (CHANGED[i][0] == t)
      return (int)CHANGED[i][1];
  return -1;
}

const sg_table *sg_schema_table_find(const char *name)
{
  for (int t = 0; t <= SG_NTABLES; t++)
    if (strcmp(TABLES[t].name, name) == 0)
      return &TABLES[t];
  return NULL;
}

static const double POW10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

const sg_column *sg_schema_columns(void) { return COLUMNS; }

int sg_schema_field_id(const sg_column *c)
{
  const size_t dirty = sizeof DIRTY_COLUMNS / sizeof DIRTY_COLUMNS[0];
  if (c >= COLUMNS && c < COLUMNS + SG_NCOLS + SG_NEXTRA)
    return (int)(c - COLUMNS) + 1;
  if (c >= DIRTY_COLUMNS && c < DIRTY_COLUMNS + dirty)
    return (int)(c - DIRTY_COLUMNS) + 101;
  if (c == &DELETE_COLUMNS[0])
    return DELETE_FILE_PATH_ID;
  if (c == &DELETE_COLUMNS[1])
    return DELETE_POS_ID;
  return 0;
}

const sg_column *sg_schema_find(const char *name)
{
  for (int i = 0; i < SG_NCOLS + SG_NEXTRA; i++)
    if (strcmp(COLUMNS[i].name, name) == 0)
      return &COLUMNS[i];
  return NULL;
}

int sg_schema_index(const char *name, size_t n)
{
  for (int i = 0; i < SG_NCOLS; i++)
    if (strlen(COLUMNS[i].name) == n && memcmp(COLUMNS[i].name, name, n) == 0)
      return i;
  return -1;
}

const sg_column *sg_schema_numeric(int stat)
{
  static const sg_column *by_stat[SG_NNUM];
  if (!by_stat[0])
    for (int i = 0; i < SG_NCOLS; i++)
      if (COLUMNS[i].stat >= 0)
        by_stat[COLUMNS[i].stat] = &COLUMNS[i];
  return by_stat[stat];
}

int sg_schema_parse(const sg_column *c, const char *s, size_t n, int64_t *i, double *d)
{
  double x;
  switch (c->kind) {
  case SG_KIND_DATE: {
    int32_t days;
    if (!sg_parse_date(s, n, &days))
      return 0;
    *i = days;
    return 1;
  }
  case SG_KIND_TIMESTAMP: return sg_parse_timestamp(s, n, i);
  case SG_KIND_I32:
  case SG_KIND_I64:
    if (memchr(s, '.', n) || !sg_parse_decimal(s, n, &x) ||
        (c->kind == SG_KIND_I32 && (x < -2147483648.0 || x > 2147483647.0)))
      return 0;
    *i = (int64_t)x;
    return 1;
  case SG_KIND_FIXED: return sg_parse_decimal(s, n, d);
  default: return 1;
  }
}

double sg_schema_fixed(const sg_column *c, int32_t v) { return (double)v / POW10[c->decimals]; }

double sg_schema_value(const sg_column *c, const sg_row *row)
{
  const char *p = (const char *)row + c->offset;
  switch (c->kind) {
  case SG_KIND_I64:
  case SG_KIND_TIMESTAMP: return (double)*(const int64_t *)p;
  case SG_KIND_I32:
  case SG_KIND_DATE: return (double)*(const int32_t *)p;
  case SG_KIND_FIXED: return sg_schema_fixed(c, *(const int32_t *)p);
  default: return 0.0;
  }
}

double sg_schema_bin_lo(const sg_column *c, int b)
{
  if (c->log_hist)
    return pow(10.0, log10(1.0 + c->hi) * b / c->bins) - 1.0;
  return c->lo + (c->hi - c->lo) * b / c->bins;
}

static void spark_field(cJSON *fields, const char *name, const char *type, int nullable)
{
  cJSON *f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "name", name);
  cJSON_AddStringToObject(f, "type", type);
  cJSON_AddBoolToObject(f, "nullable", nullable);
  cJSON_AddItemToObject(f, "metadata", cJSON_CreateObject());
  cJSON_AddItemToArray(fields, f);
}

/* The 24 columns' schema; `dirty`: row_key first, then every column
 * nullable, as a string when `text` (what a dirty CSV's text holds). */
static char *spark_json(int dirty, int text)
{
  cJSON *root = cJSON_CreateObject();
  cJSON *fields = cJSON_AddArrayToObject(root, "fields");
  cJSON_AddStringToObject(root, "type", "struct");
  if (dirty)
    spark_field(fields, "row_key", "string", 0);
  for (int i = 0; i < SG_NCOLS; i++)
    spark_field(fields, COLUMNS[i].name, text ? "string" : COLUMNS[i].spark, dirty);
  char *s = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  return s;
}

char *sg_schema_spark_json(void) { return spark_json(0, 0); }

char *sg_schema_spark_json_dirty(int text) { return spark_json(1, text); }

/* "PARTITIONED BY (...)\n" for `pp`, or nothing, at s + *n. */
static void partitioned_by(char *s, size_t cap, size_t *n, const sg_ddl_partitions *pp)
{
  for (int i = 0; pp && i < pp->n; i++)
    *n += (size_t)snprintf(s + *n, cap - *n, "%s`%s` %s%s", i ? ", " : "PARTITIONED BY (", pp->f[i].name,
                           pp->f[i].type, i + 1 < pp->n ? "" : ")\n");
}

/* The projection's table properties of `pp`, each after a ",\n  ". */
static void projection(char *s, size_t cap, size_t *n, const sg_ddl_partitions *pp)
{
  if (!pp || !pp->n)
    return;
  *n += (size_t)snprintf(s + *n, cap - *n, ",\n  'projection.enabled' = 'true'");
  for (int i = 0; i < pp->n; i++)
    *n += (size_t)snprintf(s + *n, cap - *n, ",\n  %s", pp->f[i].projection);
}

/* Parquet carries its types: the table reads the parts as they are. */
static char *parquet_ddl(const sg_table *tb, const char *table, const char *location, const sg_ddl_partitions *pp)
{
  size_t cap = 8192 + strlen(table) + strlen(location);
  char *s = malloc(cap);
  if (!s)
    return NULL;
  size_t n = (size_t)snprintf(s, cap, "CREATE EXTERNAL TABLE IF NOT EXISTS %s (\n", table);
  for (int i = 0; i < tb->ncols; i++)
    n += (size_t)snprintf(s + n, cap - n, "  `%s` %s%s\n", tb->cols[i]->name, tb->cols[i]->athena,
                          i + 1 < tb->ncols ? "," : "");
  n += (size_t)snprintf(s + n, cap - n, ")\n");
  partitioned_by(s, cap, &n, pp);
  n += (size_t)snprintf(s + n, cap - n, "STORED AS PARQUET\nLOCATION '%s'", location);
  if (pp && pp->n) {
    n += (size_t)snprintf(s + n, cap - n, "\nTBLPROPERTIES (\n  'classification' = 'parquet'");
    projection(s, cap, &n, pp);
    n += (size_t)snprintf(s + n, cap - n, "\n)");
  }
  snprintf(s + n, cap - n, ";\n");
  return s;
}

/* Athena's reading of spotgen's CSV: quoted fields, the header skipped. */
#define CSV_SERDE \
  "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'\n" \
  "WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '\"', 'escapeChar' = '\\\\')\n" \
  "STORED AS TEXTFILE\n"

/* The DDL of table `tb` named `table` at `location`. */
static char *table_ddl(const sg_table *tb, const char *table, const char *location, const char *format,
                       const sg_ddl_partitions *pp)
{
  if (strcmp(format, "parquet") == 0)
    return parquet_ddl(tb, table, location, pp);
  /* csv, csv.gz, csv.zst: Athena decompresses text files by their extension.
   * OpenCSVSerDe reads quoted fields (names hold commas and quotes) but takes
   * DATE only as days since 1970, so the CSV table keeps release_date as a
   * string and a view casts it. */
  size_t cap = 8192 + 3 * strlen(table) + strlen(location);
  char *s = malloc(cap);
  if (!s)
    return NULL;
  size_t n = (size_t)snprintf(s, cap, "CREATE EXTERNAL TABLE IF NOT EXISTS %s_csv (\n", table);
  for (int i = 0; i < tb->ncols; i++) {
    const sg_column *c = tb->cols[i];
    const char *type = c->kind == SG_KIND_DATE || c->kind == SG_KIND_TIMESTAMP ? "string" : c->athena;
    n += (size_t)snprintf(s + n, cap - n, "  `%s` %s%s\n", c->name, type, i + 1 < tb->ncols ? "," : "");
  }
  n += (size_t)snprintf(s + n, cap - n, ")\n");
  partitioned_by(s, cap, &n, pp);
  n += (size_t)snprintf(s + n, cap - n, CSV_SERDE "LOCATION '%s'\nTBLPROPERTIES (%s'skip.header.line.count' = '1'",
                        location, pp && pp->n ? "\n  " : "");
  projection(s, cap, &n, pp);
  n += (size_t)snprintf(s + n, cap - n, "%s);\n\nCREATE OR REPLACE VIEW %s AS\nSELECT", pp && pp->n ? "\n" : "", table);
  for (int i = 0; i < tb->ncols; i++) {
    const sg_column *c = tb->cols[i];
    const char *sep = i + 1 < tb->ncols || (pp && pp->n) ? "," : "";
    if (c->kind == SG_KIND_DATE || c->kind == SG_KIND_TIMESTAMP)
      n += (size_t)snprintf(s + n, cap - n, "\n  CAST(`%s` AS %s) AS `%s`%s", c->name, c->athena, c->name, sep);
    else
      n += (size_t)snprintf(s + n, cap - n, "\n  `%s`%s", c->name, sep);
  }
  for (int i = 0; pp && i < pp->n; i++)
    n += (size_t)snprintf(s + n, cap - n, "\n  `%s`%s", pp->f[i].name, i + 1 < pp->n ? "," : "");
  snprintf(s + n, cap - n, "\nFROM %s_csv;\n", table);
  return s;
}

char *sg_schema_table_ddl(const sg_table *tb, const char *table, const char *location, const char *format,
                          const sg_ddl_partitions *pp)
{
  return table_ddl(tb, table, location, format, pp);
}

char *sg_schema_athena_ddl(const char *table, const char *location, const char *format)
{
  return table_ddl(&TABLES[SG_TABLE_FLAT], table, location, format, NULL);
}

char *sg_schema_athena_ddl_dirty(const char *table, const char *location, const char *format)
{
  if (strcmp(format, "parquet") == 0)
    return parquet_ddl(&TABLES[SG_TABLE_DIRTY], table, location, NULL);
  size_t cap = 4096 + strlen(table) + strlen(location);
  char *s = malloc(cap);
  if (!s)
    return NULL;
  size_t n = (size_t)snprintf(s, cap, "CREATE EXTERNAL TABLE IF NOT EXISTS %s (\n  `row_key` string", table);
  for (int i = 0; i < SG_NCOLS; i++)
    n += (size_t)snprintf(s + n, cap - n, ",\n  `%s` string", COLUMNS[i].name);
  snprintf(s + n, cap - n, "\n)\n" CSV_SERDE "LOCATION '%s'\nTBLPROPERTIES ('skip.header.line.count' = '1');\n",
           location);
  return s;
}

int sg_schema_same_value(const sg_column *c, const char *a, size_t an, const char *b, size_t bn)
{
  if (an == bn && memcmp(a, b, an) == 0)
    return 1;
  if (!an || !bn)
    return 0;
  if (c->kind == SG_KIND_I32 || c->kind == SG_KIND_I64 || c->kind == SG_KIND_FIXED) {
    char x[64], y[64], *ex, *ey;
    if (an >= sizeof x || bn >= sizeof y)
      return 0;
    memcpy(x, a, an);
    memcpy(y, b, bn);
    x[an] = y[bn] = '\0';
    double u = strtod(x, &ex), v = strtod(y, &ey);
    return *ex == '\0' && *ey == '\0' && fabs(u - v) <= 0.5 * pow(10.0, -c->decimals);
  }
  if (c->kind == SG_KIND_DATE) { /* a day, with a midnight time or not */
    size_t la = an > 10 && (strncmp(a + 10, " 00:00:00", an - 10) == 0 || strncmp(a + 10, "T00:00:00", an - 10) == 0) ? 10 : an;
    size_t lb = bn > 10 && (strncmp(b + 10, " 00:00:00", bn - 10) == 0 || strncmp(b + 10, "T00:00:00", bn - 10) == 0) ? 10 : bn;
    return la == 10 && lb == 10 && memcmp(a, b, 10) == 0;
  }
  return 0;
}
