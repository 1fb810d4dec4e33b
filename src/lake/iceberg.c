/* iceberg.c - Iceberg v2 tables: a data file's manifest entry, the
 * manifest, the manifest list and the table's metadata (see iceberg.h). */
#define _GNU_SOURCE /* realpath */
#include "spotgen/lake/iceberg.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spotgen/base/layout.h"
#include "spotgen/lake/avro.h"
#include "spotgen/store/source.h"

/* ---- types and ids -------------------------------------------------------- */

#define PARTITION_FIELD_ID 1000 /* the spec's first partition field id */

static const char *type_of(const sg_column *c)
{
  switch (c->kind) {
  case SG_KIND_DATE: return "date";
  case SG_KIND_TIMESTAMP: return "timestamptz";
  case SG_KIND_I32: return "int";
  case SG_KIND_I64: return "long";
  case SG_KIND_FIXED: return "double";
  default: return "string";
  }
}

static const char *transform_of(const sg_partition_field *f)
{
  return f->transform == SG_TRANSFORM_YEAR ? "year" : f->transform == SG_TRANSFORM_MONTH ? "month" : "identity";
}

/* A partition field's type: identity keeps its source's, year and month are ints. */
static int field_is_int(const sg_partition_field *f)
{
  return f->transform != SG_TRANSFORM_IDENTITY || type_of(f->source)[0] != 's';
}

void sg_iceberg_schema_json(sg_buf *b, const sg_table *t)
{
  sg_buf_puts(b, "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[");
  for (int i = 0; i < t->ncols; i++)
    sg_buf_printf(b, "%s{\"id\":%d,\"name\":\"%s\",\"required\":%s,\"type\":\"%s\"}", i ? "," : "",
                  sg_schema_field_id(t->cols[i]), t->cols[i]->name, t->nullable ? "false" : "true",
                  type_of(t->cols[i]));
  sg_buf_puts(b, "]}");
}

void sg_iceberg_register(sg_buf *b, const sg_iceberg_table *t, const char *database, const char *name)
{
  sg_buf_printf(b, "-- %s: an Apache Iceberg v2 table; register its metadata file (no data is copied).\n", name);
  sg_buf_printf(b, "-- The AWS Glue Data Catalog (then Athena, EMR and Glue jobs read it):\n"
                   "--   aws glue create-table --database-name %s --table-input '{\"Name\":\"%s\","
                   "\"TableType\":\"EXTERNAL_TABLE\",\"Parameters\":{\"table_type\":\"ICEBERG\","
                   "\"metadata_location\":\"%s/" SG_LAYOUT_METADATA "/v1.metadata.json\"},"
                   "\"StorageDescriptor\":{\"Location\":\"%s\",\"Columns\":[",
                database, name, t->location, t->location);
  for (int i = 0; i < t->table->ncols; i++)
    sg_buf_printf(b, "%s{\"Name\":\"%s\",\"Type\":\"%s\"}", i ? "," : "", t->table->cols[i]->name,
                  t->table->cols[i]->athena);
  sg_buf_printf(b, "]}}'\n"
                   "-- Spark on EMR, with Iceberg's Glue catalog (spark.sql.catalog.glue_catalog ="
                   " org.apache.iceberg.spark.SparkCatalog):\n"
                   "CALL glue_catalog.system.register_table(table => '%s.%s', metadata_file => "
                   "'%s/" SG_LAYOUT_METADATA "/v1.metadata.json');\n"
                   "-- or by its location, without a catalog: spark.read.format(\"iceberg\").load(\"%s\")\n"
                   "-- Then, in Athena or Spark:\n"
                   "SELECT count(*) FROM %s.%s;\n",
                database, name, t->location, t->location, database, name);
}

/* The partition spec's fields, as a manifest's metadata and the table's
 * spec hold them. */
static void spec_fields_json(sg_buf *b, const sg_partitioning *p)
{
  sg_buf_puts(b, "[");
  for (int i = 0; i < p->n; i++)
    sg_buf_printf(b, "%s{\"name\":\"%s\",\"transform\":\"%s\",\"source-id\":%d,\"field-id\":%d}", i ? "," : "",
                  p->f[i].name, transform_of(&p->f[i]), sg_schema_field_id(p->f[i].source), PARTITION_FIELD_ID + i);
  sg_buf_puts(b, "]");
}

int sg_iceberg_root(const char *where, char *out, size_t cap)
{
  size_t n = strlen(where);
  while (n > 1 && where[n - 1] == '/')
    n--;
  char real[PATH_MAX];
  int w = strncmp(where, "s3://", 5) == 0 ? snprintf(out, cap, "%.*s", (int)n, where)
          : realpath(where, real)          ? snprintf(out, cap, "file://%s", real)
                                           : -1;
  return w < 0 || (size_t)w >= cap ? -1 : 0;
}

/* ---- a data file's manifest entry ------------------------------------------ */

/* Field i's value in `folders` in single-value form: a string's bytes, or
 * the year's or month's int (years or months since 1970) little-endian.
 * @return : its length, or -1 when the folders do not name it. */
static int partition_value(const sg_partitioning *p, int i, const char *folders, unsigned char *out)
{
  char v[SG_PARTITION_FOLDERS];
  int n = sg_partition_value(p, i, folders, v, sizeof v);
  if (n < 0)
    return -1;
  if (!field_is_int(&p->f[i])) {
    if (n > SG_ICEBERG_VALUE_MAX)
      return -1;
    memcpy(out, v, (size_t)n);
    return n;
  }
  int year = 0, month = 1;
  if (p->f[i].transform == SG_TRANSFORM_MONTH ? sscanf(v, "%d-%d", &year, &month) != 2 : sscanf(v, "%d", &year) != 1)
    return -1;
  int32_t x = p->f[i].transform == SG_TRANSFORM_MONTH ? (year - 1970) * 12 + (month - 1) : year - 1970;
  for (int k = 0; k < 4; k++)
    out[k] = (unsigned char)((uint32_t)x >> (8 * k));
  return 4;
}

static int32_t le32s(const unsigned char *p)
{
  return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* a < b for values of field f in single-value form */
static int value_less(const sg_partition_field *f, const unsigned char *a, size_t na, const unsigned char *b,
                      size_t nb)
{
  if (field_is_int(f))
    return le32s(a) < le32s(b);
  int d = memcmp(a, b, na < nb ? na : nb);
  return d < 0 || (d == 0 && na < nb);
}

static void bound_add(sg_iceberg_bound *b, const sg_partition_field *f, const unsigned char *v, size_t n)
{
  if (!b->have || value_less(f, v, n, b->lo, b->lo_len)) {
    memcpy(b->lo, v, n);
    b->lo_len = (uint8_t)n;
  }
  if (!b->have || value_less(f, b->hi, b->hi_len, v, n)) {
    memcpy(b->hi, v, n);
    b->hi_len = (uint8_t)n;
  }
  b->have = 1;
}

static void bound_merge(sg_iceberg_bound *b, const sg_partition_field *f, const sg_iceberg_bound *o)
{
  if (!o->have)
    return;
  bound_add(b, f, o->lo, o->lo_len);
  bound_add(b, f, o->hi, o->hi_len);
}

/* A metric map of the file's columns (map<int, long> as Avro's array of
 * key-value records): which = 0 sizes, 1 values, 2 nulls, 3 NaNs (doubles only). */
static void count_map(sg_buf *b, const sg_table *t, const sg_file_metrics *m, int which)
{
  int n = 0;
  for (int i = 0; i < m->ncols; i++)
    n += which != 3 || t->cols[i]->kind == SG_KIND_FIXED;
  sg_avro_branch(b, 1);
  if (n) {
    sg_avro_long(b, n);
    for (int i = 0; i < m->ncols; i++) {
      if (which == 3 && t->cols[i]->kind != SG_KIND_FIXED)
        continue;
      const sg_column_metrics *c = &m->col[i];
      sg_avro_long(b, sg_schema_field_id(t->cols[i]));
      sg_avro_long(b, which == 0 ? c->bytes : which == 1 ? c->values : which == 2 ? c->nulls : 0);
    }
  }
  sg_avro_long(b, 0);
}

/* The bounds' map (map<int, binary>): upper (1) or lower (0). */
static void bounds_map(sg_buf *b, const sg_table *t, const sg_file_metrics *m, int upper)
{
  int n = 0;
  for (int i = 0; i < m->ncols; i++)
    n += (upper ? m->col[i].upper_len : m->col[i].lower_len) > 0;
  sg_avro_branch(b, 1);
  if (n) {
    sg_avro_long(b, n);
    for (int i = 0; i < m->ncols; i++) {
      const sg_column_metrics *c = &m->col[i];
      size_t len = upper ? c->upper_len : c->lower_len;
      if (!len)
        continue;
      sg_avro_long(b, sg_schema_field_id(t->cols[i]));
      sg_avro_bytes(b, upper ? c->upper : c->lower, len);
    }
  }
  sg_avro_long(b, 0);
}

sg_err sg_iceberg_add(sg_iceberg_files *f, const sg_iceberg_table *t, const char *root, const sg_iceberg_file *x)
{
  sg_buf *b = &f->entries;
  size_t start = b->len;
  const sg_partitioning *p = t->by;
  const uint64_t rows = x->rows;
  const uint8_t content = (uint8_t)x->content;
  sg_avro_long(b, 1);      /* status: ADDED */
  sg_avro_branch(b, 0);    /* snapshot_id, sequence_number, file_sequence_number: */
  sg_avro_branch(b, 0);    /*   inherited from the manifest list (v2) */
  sg_avro_branch(b, 0);
  sg_avro_long(b, x->content); /* data_file.content: DATA, or POSITION DELETES */
  size_t r = strlen(root);
  sg_avro_long(b, (int64_t)(r + 1 + strlen(x->key)));
  sg_buf_put(b, root, r);
  sg_buf_put(b, "/", 1);
  sg_buf_put(b, x->key, strlen(x->key));
  sg_avro_string(b, "PARQUET");
  /* what the commit cuts the manifests by and counts: rows, bytes, snapshot, content, partition */
  sg_buf_put(&f->keys, &rows, sizeof rows);
  sg_buf_put(&f->keys, &x->bytes, sizeof x->bytes);
  sg_buf_put(&f->keys, &x->snapshot, sizeof x->snapshot);
  sg_buf_put(&f->keys, &content, 1);
  for (int i = 0; i < p->n; i++) { /* the partition tuple */
    unsigned char v[SG_ICEBERG_VALUE_MAX];
    int n = partition_value(p, i, x->folders, v);
    if (n < 0)
      return sg_seterr(SG_EDATA, "%s: its folders do not name its partition's %s", x->key, p->f[i].name);
    sg_avro_branch(b, 1);
    if (field_is_int(&p->f[i]))
      sg_avro_long(b, le32s(v));
    else
      sg_avro_bytes(b, v, (size_t)n);
    bound_add(&f->head.part[i], &p->f[i], v, (size_t)n);
    unsigned char len = (unsigned char)n;
    sg_buf_put(&f->keys, &len, 1);
    sg_buf_put(&f->keys, v, (size_t)n);
  }
  const sg_file_metrics *m = x->m;
  sg_avro_long(b, (int64_t)rows);
  sg_avro_long(b, (int64_t)x->bytes);
  for (int which = 0; which < 4; which++)
    count_map(b, x->cols, m, which);
  bounds_map(b, x->cols, m, 0);
  bounds_map(b, x->cols, m, 1);
  sg_avro_branch(b, 0);    /* key_metadata */
  if (m->nsplits) {        /* split_offsets: the row groups' */
    sg_avro_branch(b, 1);
    sg_avro_long(b, m->nsplits);
    for (int g = 0; g < m->nsplits; g++)
      sg_avro_long(b, m->splits[g]);
    sg_avro_long(b, 0);
  } else {
    sg_avro_branch(b, 0);
  }
  sg_avro_branch(b, 0);    /* equality_ids */
  sg_avro_branch(b, 0);    /* sort_order_id: unsorted */
  uint32_t len = (uint32_t)(b->len - start);
  sg_buf_put(&f->lens, &len, sizeof len);
  if (b->failed || f->lens.failed || f->keys.failed)
    return sg_seterr(SG_ENOMEM, "out of memory for the Iceberg manifest's entries");
  f->head.files++;
  f->head.delete_files += x->content == 1;
  f->head.rows += rows;
  f->head.bytes += x->bytes;
  f->head.entries_len = b->len;
  f->head.keys_len = f->keys.len;
  return SG_OK;
}

int sg_iceberg_append(sg_iceberg_files *f, const sg_iceberg_table *t, const sg_iceberg_head *h,
                      const void *entries, const uint32_t *lens, const void *keys)
{
  sg_buf_put(&f->entries, entries, h->entries_len);
  sg_buf_put(&f->lens, lens, h->files * sizeof *lens);
  sg_buf_put(&f->keys, keys, h->keys_len);
  f->head.files += h->files;
  f->head.delete_files += h->delete_files;
  f->head.rows += h->rows;
  f->head.bytes += h->bytes;
  f->head.entries_len = f->entries.len;
  f->head.keys_len = f->keys.len;
  for (int i = 0; i < t->by->n; i++)
    bound_merge(&f->head.part[i], &t->by->f[i], &h->part[i]);
  return f->entries.failed || f->lens.failed || f->keys.failed ? -1 : 0;
}

void sg_iceberg_files_free(sg_iceberg_files *f)
{
  sg_buf_free(&f->entries);
  sg_buf_free(&f->lens);
  sg_buf_free(&f->keys);
  memset(f, 0, sizeof *f);
}

/* ---- the Avro schemas of the spec ----------------------------------------- */

/* map<int, T> as Avro's array of key-value records with the map logical type */
static void map_schema(sg_buf *b, const char *name, int id, int key, int value, const char *type)
{
  sg_buf_printf(b,
                ",{\"name\":\"%s\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":\"record\","
                "\"name\":\"k%d_v%d\",\"fields\":[{\"name\":\"key\",\"type\":\"int\",\"field-id\":%d},"
                "{\"name\":\"value\",\"type\":\"%s\",\"field-id\":%d}]},\"logicalType\":\"map\"}],"
                "\"default\":null,\"field-id\":%d}",
                name, key, value, key, type, value, id);
}

/* manifest_entry (v2) of a table partitioned by p */
static void entry_schema(sg_buf *b, const sg_partitioning *p)
{
  sg_buf_puts(b, "{\"type\":\"record\",\"name\":\"manifest_entry\",\"fields\":["
                 "{\"name\":\"status\",\"type\":\"int\",\"field-id\":0},"
                 "{\"name\":\"snapshot_id\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":1},"
                 "{\"name\":\"sequence_number\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":3},"
                 "{\"name\":\"file_sequence_number\",\"type\":[\"null\",\"long\"],\"default\":null,\"field-id\":4},"
                 "{\"name\":\"data_file\",\"type\":{\"type\":\"record\",\"name\":\"r2\",\"fields\":["
                 "{\"name\":\"content\",\"type\":\"int\",\"field-id\":134},"
                 "{\"name\":\"file_path\",\"type\":\"string\",\"field-id\":100},"
                 "{\"name\":\"file_format\",\"type\":\"string\",\"field-id\":101},"
                 "{\"name\":\"partition\",\"type\":{\"type\":\"record\",\"name\":\"r102\",\"fields\":[");
  for (int i = 0; i < p->n; i++)
    sg_buf_printf(b, "%s{\"name\":\"%s\",\"type\":[\"null\",\"%s\"],\"default\":null,\"field-id\":%d}", i ? "," : "",
                  p->f[i].name, field_is_int(&p->f[i]) ? "int" : "string", PARTITION_FIELD_ID + i);
  sg_buf_puts(b, "]},\"field-id\":102},"
                 "{\"name\":\"record_count\",\"type\":\"long\",\"field-id\":103},"
                 "{\"name\":\"file_size_in_bytes\",\"type\":\"long\",\"field-id\":104}");
  map_schema(b, "column_sizes", 108, 117, 118, "long");
  map_schema(b, "value_counts", 109, 119, 120, "long");
  map_schema(b, "null_value_counts", 110, 121, 122, "long");
  map_schema(b, "nan_value_counts", 137, 138, 139, "long");
  map_schema(b, "lower_bounds", 125, 126, 127, "bytes");
  map_schema(b, "upper_bounds", 128, 129, 130, "bytes");
  sg_buf_puts(b, ",{\"name\":\"key_metadata\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":131},"
                 "{\"name\":\"split_offsets\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"long\","
                 "\"element-id\":133}],\"default\":null,\"field-id\":132},"
                 "{\"name\":\"equality_ids\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"int\","
                 "\"element-id\":136}],\"default\":null,\"field-id\":135},"
                 "{\"name\":\"sort_order_id\",\"type\":[\"null\",\"int\"],\"default\":null,\"field-id\":140}"
                 "]},\"field-id\":2}]}");
}

static const char MANIFEST_FILE_SCHEMA[] =
  "{\"type\":\"record\",\"name\":\"manifest_file\",\"fields\":["
  "{\"name\":\"manifest_path\",\"type\":\"string\",\"field-id\":500},"
  "{\"name\":\"manifest_length\",\"type\":\"long\",\"field-id\":501},"
  "{\"name\":\"partition_spec_id\",\"type\":\"int\",\"field-id\":502},"
  "{\"name\":\"content\",\"type\":\"int\",\"field-id\":517},"
  "{\"name\":\"sequence_number\",\"type\":\"long\",\"field-id\":515},"
  "{\"name\":\"min_sequence_number\",\"type\":\"long\",\"field-id\":516},"
  "{\"name\":\"added_snapshot_id\",\"type\":\"long\",\"field-id\":503},"
  "{\"name\":\"added_files_count\",\"type\":\"int\",\"field-id\":504},"
  "{\"name\":\"existing_files_count\",\"type\":\"int\",\"field-id\":505},"
  "{\"name\":\"deleted_files_count\",\"type\":\"int\",\"field-id\":506},"
  "{\"name\":\"added_rows_count\",\"type\":\"long\",\"field-id\":512},"
  "{\"name\":\"existing_rows_count\",\"type\":\"long\",\"field-id\":513},"
  "{\"name\":\"deleted_rows_count\",\"type\":\"long\",\"field-id\":514},"
  "{\"name\":\"partitions\",\"type\":[\"null\",{\"type\":\"array\",\"items\":{\"type\":\"record\","
  "\"name\":\"r508\",\"fields\":["
  "{\"name\":\"contains_null\",\"type\":\"boolean\",\"field-id\":509},"
  "{\"name\":\"contains_nan\",\"type\":[\"null\",\"boolean\"],\"default\":null,\"field-id\":518},"
  "{\"name\":\"lower_bound\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":510},"
  "{\"name\":\"upper_bound\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":511}]},"
  "\"element-id\":508}],\"default\":null,\"field-id\":507},"
  "{\"name\":\"key_metadata\",\"type\":[\"null\",\"bytes\"],\"default\":null,\"field-id\":519}]}";

/* ---- the commit -------------------------------------------------------------- */

/* 64 bits of the text s (FNV-1a, then splitmix64's finaliser) */
static uint64_t hash64(const char *s, uint64_t salt)
{
  uint64_t h = 0xcbf29ce484222325ull ^ salt;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

/* The commit's time in milliseconds: SOURCE_DATE_EPOCH's (reproducible
 * builds' convention) when set, else now. */
static int64_t now_ms(void)
{
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  char *end;
  long long s = sde ? strtoll(sde, &end, 10) : -1;
  if (sde && *sde && !*end && s >= 0)
    return (int64_t)s * 1000;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static sg_err put(sg_sink *sink, const char *key, const void *p, size_t n)
{
  sg_err e = sg_sink_open(sink, key);
  if (e == SG_OK)
    e = sg_sink_write(sink, p, n);
  if (e == SG_OK)
    e = sg_sink_commit(sink);
  else
    sg_sink_abort(sink);
  return e;
}

/* One manifest: its entries' counts, and what they are. */
typedef struct manifest_info {
  sg_iceberg_head h;        /* files, rows (a delete manifest's: deletes), entries' bytes, bounds */
  uint64_t bytes;           /* of its files */
  uint32_t snapshot;
  int content;
} manifest_info;

/* the manifest list's one record: the manifest, its counts, its partitions' summary */
static void manifest_file(sg_buf *b, const sg_iceberg_table *t, const manifest_info *x, const char *path,
                          uint64_t length, int64_t snapshot)
{
  const sg_iceberg_head *f = &x->h;
  const int64_t seq = (int64_t)x->snapshot + 1;
  sg_avro_string(b, path);
  sg_avro_long(b, (int64_t)length);
  sg_avro_long(b, 0);                        /* partition_spec_id */
  sg_avro_long(b, x->content);               /* content: data, or deletes */
  sg_avro_long(b, seq);                      /* sequence_number */
  sg_avro_long(b, seq);                      /* min_sequence_number */
  sg_avro_long(b, snapshot);
  sg_avro_long(b, (int64_t)f->files);        /* added */
  sg_avro_long(b, 0);
  sg_avro_long(b, 0);
  sg_avro_long(b, (int64_t)f->rows);
  sg_avro_long(b, 0);
  sg_avro_long(b, 0);
  sg_avro_branch(b, 1);
  if (t->by->n) {
    sg_avro_long(b, t->by->n);
    for (int i = 0; i < t->by->n; i++) {
      const sg_iceberg_bound *bd = &f->part[i];
      sg_avro_boolean(b, 0);                 /* contains_null: a partition value is never null */
      sg_avro_branch(b, 0);                  /* contains_nan: not a float */
      sg_avro_branch(b, bd->have);
      if (bd->have)
        sg_avro_bytes(b, bd->lo, bd->lo_len);
      sg_avro_branch(b, bd->have);
      if (bd->have)
        sg_avro_bytes(b, bd->hi, bd->hi_len);
    }
  }
  sg_avro_long(b, 0);
  sg_avro_branch(b, 0);                      /* key_metadata */
}

/* A snapshot: its id, time, manifest list, and what it adds and holds. */
typedef struct snapshot_info {
  int64_t id, ms;
  char list[2048];
  uint64_t added[2], added_rows[2], added_bytes[2]; /* by content: data, deletes */
  uint64_t total[2], total_rows[2], total_bytes[2];
} snapshot_info;

/* A snapshot's summary; `engine` the writer's version. An added day is an
 * overwrite (rows added and deleted), or an append when it deletes none. */
static void summary_json(sg_buf *b, const snapshot_info *x, const char *engine)
{
  const char *op = x->added[1] ? (x->added[0] ? "overwrite" : "delete") : "append";
  sg_buf_printf(b, "    \"summary\" : {\n      \"operation\" : \"%s\",\n      \"engine-name\" : \"spotgen\",\n"
                   "      \"engine-version\" : \"%s\",\n      \"added-data-files\" : \"%llu\",\n"
                   "      \"added-records\" : \"%llu\",\n      \"added-files-size\" : \"%llu\",\n",
                op, engine, (unsigned long long)x->added[0], (unsigned long long)x->added_rows[0],
                (unsigned long long)(x->added_bytes[0] + x->added_bytes[1]));
  if (x->added[1])
    sg_buf_printf(b, "      \"added-delete-files\" : \"%llu\",\n      \"added-position-delete-files\" : \"%llu\",\n"
                     "      \"added-position-deletes\" : \"%llu\",\n",
                  (unsigned long long)x->added[1], (unsigned long long)x->added[1],
                  (unsigned long long)x->added_rows[1]);
  sg_buf_printf(b, "      \"total-records\" : \"%llu\",\n      \"total-files-size\" : \"%llu\",\n"
                   "      \"total-data-files\" : \"%llu\",\n      \"total-delete-files\" : \"%llu\",\n"
                   "      \"total-position-deletes\" : \"%llu\",\n      \"total-equality-deletes\" : \"0\"\n    },\n",
                (unsigned long long)x->total_rows[0], (unsigned long long)(x->total_bytes[0] + x->total_bytes[1]),
                (unsigned long long)x->total[0], (unsigned long long)x->total[1],
                (unsigned long long)x->total_rows[1]);
}

/* The table's metadata file (Appendix C's JSON): its snapshots, the last
 * one current */
static void metadata_json(sg_buf *b, const sg_iceberg_table *t, const char *uuid, const snapshot_info *snap,
                          int n, const char *engine, const char *codec, uint64_t manifest_size)
{
  int last_id = 0;
  for (int i = 0; i < t->table->ncols; i++)
    if (sg_schema_field_id(t->table->cols[i]) > last_id)
      last_id = sg_schema_field_id(t->table->cols[i]);
  const snapshot_info *cur = &snap[n - 1];
  sg_buf_printf(b, "{\n  \"format-version\" : 2,\n  \"table-uuid\" : \"%s\",\n  \"location\" : \"%s\",\n"
                   "  \"last-sequence-number\" : %d,\n  \"last-updated-ms\" : %lld,\n  \"last-column-id\" : %d,\n"
                   "  \"current-schema-id\" : 0,\n  \"schemas\" : [ ",
                uuid, t->location, n, (long long)cur->ms, last_id);
  sg_iceberg_schema_json(b, t->table);
  sg_buf_puts(b, " ],\n  \"default-spec-id\" : 0,\n  \"partition-specs\" : [ {\"spec-id\":0,\"fields\":");
  spec_fields_json(b, t->by);
  sg_buf_printf(b, "} ],\n  \"last-partition-id\" : %d,\n  \"default-sort-order-id\" : 0,\n"
                   "  \"sort-orders\" : [ {\"order-id\":0,\"fields\":[]} ],\n"
                   "  \"properties\" : {\"write.format.default\":\"parquet\","
                   "\"write.parquet.compression-codec\":\"%s\",\"commit.manifest.target-size-bytes\":\"%llu\"},\n"
                   "  \"current-snapshot-id\" : %lld,\n"
                   "  \"refs\" : {\"main\":{\"snapshot-id\":%lld,\"type\":\"branch\"}},\n  \"snapshots\" : [ ",
                PARTITION_FIELD_ID - 1 + t->by->n, codec, (unsigned long long)manifest_size, (long long)cur->id,
                (long long)cur->id);
  for (int s = 0; s < n; s++) {
    sg_buf_printf(b, "%s{\n    \"sequence-number\" : %d,\n    \"snapshot-id\" : %lld,\n", s ? ", " : "", s + 1,
                  (long long)snap[s].id);
    if (s)
      sg_buf_printf(b, "    \"parent-snapshot-id\" : %lld,\n", (long long)snap[s - 1].id);
    sg_buf_printf(b, "    \"timestamp-ms\" : %lld,\n", (long long)snap[s].ms);
    summary_json(b, &snap[s], engine);
    sg_buf_printf(b, "    \"manifest-list\" : \"%s\",\n    \"schema-id\" : 0\n  }", snap[s].list);
  }
  sg_buf_puts(b, " ],\n  \"statistics\" : [ ],\n  \"partition-statistics\" : [ ],\n  \"snapshot-log\" : [ ");
  for (int s = 0; s < n; s++)
    sg_buf_printf(b, "%s{\"timestamp-ms\":%lld,\"snapshot-id\":%lld}", s ? ", " : "", (long long)snap[s].ms,
                  (long long)snap[s].id);
  sg_buf_puts(b, " ],\n  \"metadata-log\" : [ ]\n}\n");
}

/* Entry i's snapshot and content, its keys starting at byte `key`. */
static void entry_place(const sg_iceberg_files *f, size_t key, uint32_t *snapshot, int *content)
{
  const unsigned char *k = f->keys.p + key + 2 * sizeof(uint64_t);
  memcpy(snapshot, k, sizeof *snapshot);
  *content = k[sizeof *snapshot];
}

/* The next manifest's entries from entry `first` (whose keys start at
 * byte *key): as many as fit in `size` bytes (one at least) of the same
 * snapshot and content, summed into *x (files, rows, bytes, bytes of
 * entries, each partition field's bounds). */
static uint64_t next_manifest(const sg_iceberg_table *t, const sg_iceberg_files *f, uint64_t first, size_t *key,
                              uint64_t size, manifest_info *x)
{
  const uint32_t *lens = (const uint32_t *)f->lens.p;
  const unsigned char *k = f->keys.p;
  memset(x, 0, sizeof *x);
  entry_place(f, *key, &x->snapshot, &x->content);
  uint64_t i = first;
  for (size_t bytes = 0; i < f->head.files && (i == first || bytes + lens[i] <= size); i++) {
    uint32_t snapshot;
    int content;
    entry_place(f, *key, &snapshot, &content);
    if (snapshot != x->snapshot || content != x->content)
      break;
    bytes += lens[i];
    uint64_t rows, fbytes;
    memcpy(&rows, k + *key, sizeof rows);
    memcpy(&fbytes, k + *key + sizeof rows, sizeof fbytes);
    *key += 2 * sizeof rows + sizeof snapshot + 1;
    for (int p = 0; p < t->by->n; p++) {
      size_t n = k[(*key)++];
      bound_add(&x->h.part[p], &t->by->f[p], k + *key, n);
      *key += n;
    }
    x->h.files++;
    x->h.rows += rows;
    x->bytes += fbytes;
    x->h.entries_len += lens[i];
  }
  return i;
}

/* The run's table: its uuid (a version 8, custom, from the run's
 * parameters and the table's name) and the manifests' sync marker. */
static void table_ids(const sg_iceberg_table *t, const char *identity, char uuid[40], unsigned char sync[16])
{
  uint64_t hi = hash64(identity, hash64(t->name, 1)), lo = hash64(identity, hash64(t->name, 2));
  hi = (hi & ~0xF000ull) | 0x8000ull;
  lo = (lo & ~(3ull << 62)) | (2ull << 62);
  snprintf(uuid, 40, "%08llx-%04llx-%04llx-%04llx-%012llx", (unsigned long long)(hi >> 32),
           (unsigned long long)(hi >> 16 & 0xFFFF), (unsigned long long)(hi & 0xFFFF),
           (unsigned long long)(lo >> 48), (unsigned long long)(lo & 0xFFFFFFFFFFFFull));
  for (int i = 0; i < 16; i++)
    sync[i] = (unsigned char)((i < 8 ? hi : lo) >> (8 * (i & 7)));
}

/* The manifests' records of the snapshots so far: each snapshot's list. */
typedef struct manifest_list {
  sg_buf records, lens;
  uint64_t n;
} manifest_list;

/* Snapshot s's manifests (the entries from *i, *at bytes of entries and
 * *key of keys in) written, their records added to `ml`, their counts to
 * x; the manifests numbered from *nm. */
static sg_err write_manifests(sg_sink *sink, const sg_iceberg_table *t, const sg_iceberg_files *f, uint32_t s,
                              const char *uuid, const unsigned char *sync, uint64_t manifest_size, uint64_t *i,
                              size_t *at, size_t *key, uint64_t *nm, manifest_list *ml, snapshot_info *x)
{
  sg_buf avro_schema = {0}, schema = {0}, spec = {0}, file = {0};
  sg_iceberg_schema_json(&schema, t->table);
  spec_fields_json(&spec, t->by);
  entry_schema(&avro_schema, t->by);
  sg_err e = schema.failed || spec.failed || avro_schema.failed
                 ? sg_seterr(SG_ENOMEM, "out of memory writing the Iceberg manifests of %s", t->name)
                 : SG_OK;
  /* its data manifests, then its delete manifests (next_manifest stops
     where the entries' snapshot or content changes); an empty table's
     first snapshot has one manifest, empty */
  while (e == SG_OK) {
    uint32_t es = UINT32_MAX;
    int content = 0;
    if (*i < f->head.files)
      entry_place(f, *key, &es, &content);
    manifest_info m;
    memset(&m, 0, sizeof m);
    uint64_t end = *i;
    if (es == s)
      end = next_manifest(t, f, *i, key, manifest_size, &m);
    else if (s != 0 || *nm != 0)
      break;
    const char *meta[] = {"schema", (const char *)schema.p, "schema-id", "0", "partition-spec",
                          (const char *)spec.p, "partition-spec-id", "0", "format-version", "2",
                          "content", m.content ? "deletes" : "data", NULL};
    char manifest_key[512], manifest_uri[2048];
    snprintf(manifest_key, sizeof manifest_key, "%s" SG_LAYOUT_METADATA "/%s-m%llu.avro", t->folder, uuid,
             (unsigned long long)*nm);
    snprintf(manifest_uri, sizeof manifest_uri, "%s/" SG_LAYOUT_METADATA "/%s-m%llu.avro", t->location, uuid,
             (unsigned long long)*nm);
    file.len = 0;
    if (sg_avro_file(&file, (const char *)avro_schema.p, meta, f->entries.p + *at, (const uint32_t *)f->lens.p + *i,
                     end - *i, sync) != 0)
      e = sg_seterr(SG_ENOMEM, "out of memory writing the Iceberg manifests of %s", t->name);
    if (e == SG_OK)
      e = put(sink, manifest_key, file.p, file.len);
    size_t start = ml->records.len;
    manifest_file(&ml->records, t, &m, manifest_uri, file.len, x->id);
    uint32_t len = (uint32_t)(ml->records.len - start);
    sg_buf_put(&ml->lens, &len, sizeof len);
    ml->n++;
    (*nm)++;
    x->added[m.content] += m.h.files;
    x->added_rows[m.content] += m.h.rows;
    x->added_bytes[m.content] += m.bytes;
    *at += m.h.entries_len;
    *i = end;
  }
  sg_buf_free(&schema);
  sg_buf_free(&spec);
  sg_buf_free(&avro_schema);
  sg_buf_free(&file);
  return e;
}

sg_err sg_iceberg_commit(sg_sink *sink, const sg_iceberg_table *t, const sg_iceberg_files *f,
                         const sg_iceberg_history *h, const char *identity, const char *engine, const char *codec,
                         uint64_t manifest_size, char *metadata_key, size_t cap)
{
  char uuid[40];
  unsigned char sync[16];
  table_ids(t, identity, uuid, sync);
  const int n = h && h->n > 0 ? h->n : 1;
  snapshot_info *snap = calloc((size_t)n, sizeof *snap);
  manifest_list ml = {0};
  sg_buf file = {0}, json = {0};
  sg_err e = snap ? SG_OK : sg_seterr(SG_ENOMEM, "out of memory committing the Iceberg table %s", t->name);
  uint64_t i = 0, nm = 0;
  size_t at = 0, key = 0;
  for (int s = 0; e == SG_OK && s < n; s++) {
    snapshot_info *x = &snap[s];
    /* ids under 2^53, exact as a JSON number in any reader */
    x->id = (int64_t)(hash64(uuid, 3 + (uint64_t)s) >> 11);
    x->ms = h && h->ms ? h->ms[s] : now_ms();
    e = write_manifests(sink, t, f, (uint32_t)s, uuid, sync, manifest_size, &i, &at, &key, &nm, &ml, x);
    for (int c = 0; c < 2; c++) {
      x->total[c] = (s ? snap[s - 1].total[c] : 0) + x->added[c];
      x->total_rows[c] = (s ? snap[s - 1].total_rows[c] : 0) + x->added_rows[c];
      x->total_bytes[c] = (s ? snap[s - 1].total_bytes[c] : 0) + x->added_bytes[c];
    }
    char list_key[512], id[32], parent[32], seq[16];
    snprintf(list_key, sizeof list_key, "%s" SG_LAYOUT_METADATA "/snap-%lld-1-%s.avro", t->folder,
             (long long)x->id, uuid);
    snprintf(x->list, sizeof x->list, "%s/" SG_LAYOUT_METADATA "/snap-%lld-1-%s.avro", t->location,
             (long long)x->id, uuid);
    snprintf(id, sizeof id, "%lld", (long long)x->id);
    snprintf(parent, sizeof parent, s ? "%lld" : "null", s ? (long long)snap[s - 1].id : 0LL);
    snprintf(seq, sizeof seq, "%d", s + 1);
    const char *list_meta[] = {"snapshot-id", id, "parent-snapshot-id", parent, "sequence-number", seq,
                               "format-version", "2", NULL};
    file.len = 0;
    if (e == SG_OK && (ml.records.failed || ml.lens.failed ||
                       sg_avro_file(&file, MANIFEST_FILE_SCHEMA, list_meta, ml.records.p,
                                    (const uint32_t *)ml.lens.p, ml.n, sync) != 0))
      e = sg_seterr(SG_ENOMEM, "out of memory writing the Iceberg manifest list of %s", t->name);
    if (e == SG_OK)
      e = put(sink, list_key, file.p, file.len);
  }
  if (e == SG_OK && i != f->head.files)
    e = sg_seterr(SG_EDATA, "table %s: %llu of its files name no snapshot of the commit", t->name,
                  (unsigned long long)(f->head.files - i));
  snprintf(metadata_key, cap, "%s" SG_LAYOUT_METADATA "/v1.metadata.json", t->folder);
  if (e == SG_OK) {
    metadata_json(&json, t, uuid, snap, n, engine, codec, manifest_size);
    if (json.failed)
      e = sg_seterr(SG_ENOMEM, "out of memory writing the Iceberg metadata of %s", t->name);
  }
  if (e == SG_OK) /* the table appears here, whole */
    e = put(sink, metadata_key, json.p, json.len);
  if (e == SG_OK) {
    char hint_key[512];
    snprintf(hint_key, sizeof hint_key, "%s" SG_LAYOUT_METADATA "/" SG_LAYOUT_HINT, t->folder);
    e = put(sink, hint_key, "1", 1);
  }
  free(snap);
  sg_buf_free(&ml.records);
  sg_buf_free(&ml.lens);
  sg_buf_free(&file);
  sg_buf_free(&json);
  return e;
}

/* ---- reading a table back ------------------------------------------------------ */

#define METADATA_MAX (64u << 20)  /* bytes of a metadata file, a manifest list */
#define MANIFEST_MAX (1u << 30)   /* of a manifest */

int sg_iceberg_single(const sg_column *c, const char *s, size_t n, unsigned char *out)
{
  int64_t i = 0;
  double d = 0;
  if (!sg_schema_parse(c, s, n, &i, &d))
    return -1;
  const char *type = type_of(c);
  if (type[0] == 's') {
    if (n > SG_METRIC_BOUND)
      n = SG_METRIC_BOUND;
    memcpy(out, s, n);
    return (int)n;
  }
  if (c->kind == SG_KIND_FIXED) { /* the double the Parquet file holds: its fixed-point value's */
    double x = sg_schema_fixed(c, (int32_t)llround(d * pow(10.0, c->decimals)));
    memcpy(out, &x, 8);
    return 8;
  }
  int w = c->kind == SG_KIND_I64 ? 8 : 4;
  for (int k = 0; k < w; k++)
    out[k] = (unsigned char)((uint64_t)i >> (8 * k));
  return w;
}

int sg_iceberg_compare(const sg_column *c, const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
  if (type_of(c)[0] == 's') {
    int d = memcmp(a, b, na < nb ? na : nb);
    return d ? (d < 0 ? -1 : 1) : na < nb ? -1 : na > nb;
  }
  if (c->kind == SG_KIND_FIXED) {
    double x, y;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    return x < y ? -1 : x > y;
  }
  int64_t x = 0, y = 0;
  for (size_t k = na; k-- > 0;)
    x = (int64_t)((uint64_t)x << 8 | a[k]);
  for (size_t k = nb; k-- > 0;)
    y = (int64_t)((uint64_t)y << 8 | b[k]);
  if (na == 4)
    x = (int32_t)x;
  if (nb == 4)
    y = (int32_t)y;
  return x < y ? -1 : x > y;
}

static const cJSON *item(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }
static double number(const cJSON *o, const char *k)
{
  const cJSON *x = item(o, k);
  return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}
static const char *string(const cJSON *o, const char *k) { return cJSON_GetStringValue(item(o, k)); }

/* The key under the dataset of `uri`, a file of table t (under its
 * location), into out. @return : 0, or -1 when it is not under it. */
static int key_of(const sg_iceberg_table *t, const char *root, const char *uri, char *out, size_t cap)
{
  size_t r = strlen(root), l = strlen(t->location);
  if (!uri || strncmp(uri, t->location, l) != 0 || uri[l] != '/' || strncmp(uri, root, r) != 0)
    return -1;
  int n = snprintf(out, cap, "%s", uri + r + (uri[r] == '/'));
  return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* The metadata file's schema and spec are t's. */
static sg_err check_metadata(const sg_iceberg_table *t, const cJSON *m, const char *key, const cJSON **snap)
{
  if (number(m, "format-version") != 2)
    return sg_seterr(SG_EDATA, "%s: format-version is not 2", key);
  const char *loc = string(m, "location");
  if (!loc || strcmp(loc, t->location) != 0)
    return sg_seterr(SG_EDATA, "%s: its location is %s, not %s where the table is (Iceberg readers look for its "
                     "files there)", key, loc ? loc : "missing", t->location);
  const cJSON *schema = NULL, *spec = NULL, *x;
  cJSON_ArrayForEach(x, item(m, "schemas")) if (number(x, "schema-id") == number(m, "current-schema-id")) schema = x;
  cJSON_ArrayForEach(x, item(m, "partition-specs")) if (number(x, "spec-id") == number(m, "default-spec-id")) spec = x;
  cJSON_ArrayForEach(x, item(m, "snapshots")) if (number(x, "snapshot-id") == number(m, "current-snapshot-id")) *snap = x;
  if (!schema || !spec || !*snap)
    return sg_seterr(SG_EDATA, "%s: no current schema, partition spec or snapshot", key);
  const cJSON *fields = item(schema, "fields");
  if (cJSON_GetArraySize(fields) != t->table->ncols)
    return sg_seterr(SG_EDATA, "%s: its schema has %d fields; table %s has %d columns", key,
                     cJSON_GetArraySize(fields), t->name, t->table->ncols);
  for (int i = 0; i < t->table->ncols; i++) {
    const cJSON *f = cJSON_GetArrayItem(fields, i);
    const sg_column *c = t->table->cols[i];
    const char *name = string(f, "name"), *type = string(f, "type");
    if (number(f, "id") != sg_schema_field_id(c) || !name || strcmp(name, c->name) || !type || strcmp(type, type_of(c)))
      return sg_seterr(SG_EDATA, "%s: schema field %d is %s (id %.0f, %s); the column is %s (id %d, %s)", key, i,
                       name ? name : "?", number(f, "id"), type ? type : "?", c->name, sg_schema_field_id(c),
                       type_of(c));
  }
  const cJSON *pf = item(spec, "fields");
  if (cJSON_GetArraySize(pf) != t->by->n)
    return sg_seterr(SG_EDATA, "%s: its partition spec has %d fields, not %d", key, cJSON_GetArraySize(pf), t->by->n);
  for (int i = 0; i < t->by->n; i++) {
    const cJSON *f = cJSON_GetArrayItem(pf, i);
    const char *name = string(f, "name"), *tr = string(f, "transform");
    if (!name || strcmp(name, t->by->f[i].name) || !tr || strcmp(tr, transform_of(&t->by->f[i])) ||
        number(f, "source-id") != sg_schema_field_id(t->by->f[i].source) || number(f, "field-id") != PARTITION_FIELD_ID + i)
      return sg_seterr(SG_EDATA, "%s: partition field %d is not %s (%s of field %d)", key, i, t->by->f[i].name,
                       transform_of(&t->by->f[i]), sg_schema_field_id(t->by->f[i].source));
  }
  return SG_OK;
}

static int hexval(int ch) { return ch <= '9' ? ch - '0' : ch - 'a' + 10; }

/* A metric map of a data_file (an array of {key, value}) into m's columns:
 * which 0 sizes, 1 values, 2 nulls, 3 lower, 4 upper. */
static int metric_map(const sg_table *cols, const cJSON *arr, sg_file_metrics *m, int which)
{
  const cJSON *kv;
  cJSON_ArrayForEach(kv, arr)
  {
    int i = 0;
    while (i < cols->ncols && sg_schema_field_id(cols->cols[i]) != number(kv, "key"))
      i++;
    if (i == cols->ncols)
      return -1;
    sg_column_metrics *c = &m->col[i];
    if (which < 3) {
      double v = number(kv, "value");
      *(which == 0 ? &c->bytes : which == 1 ? &c->values : &c->nulls) = (int64_t)v;
      continue;
    }
    const char *hex = string(kv, "value");
    size_t n = hex ? strlen(hex) / 2 : 0;
    if (!hex || n > SG_METRIC_BOUND)
      return -1;
    unsigned char *out = which == 3 ? c->lower : c->upper;
    for (size_t k = 0; k < n; k++)
      out[k] = (unsigned char)(hexval(hex[2 * k]) << 4 | hexval(hex[2 * k + 1]));
    *(which == 3 ? &c->lower_len : &c->upper_len) = (uint8_t)n;
  }
  return 0;
}

/* One manifest entry, of a manifest of `content` (0 data, 1 deletes), into *f. */
static sg_err listed_of(const sg_iceberg_table *t, const char *root, const cJSON *e, const char *what, int content,
                        sg_iceberg_listed *f)
{
  const cJSON *d = item(e, "data_file");
  const sg_table *cols = content ? sg_schema_table(SG_TABLE_POSITION_DELETES) : t->table;
  memset(f, 0, sizeof *f);
  f->m.ncols = cols->ncols;
  f->content = content;
  if (number(e, "status") != 1 || number(d, "content") != content || !string(d, "file_format") ||
      strcmp(string(d, "file_format"), "PARQUET") != 0)
    return sg_seterr(SG_EDATA, "%s: an entry is not an added Parquet %s file", what,
                     content ? "position delete" : "data");
  if (key_of(t, root, string(d, "file_path"), f->key, sizeof f->key) != 0)
    return sg_seterr(SG_EDATA, "%s: data file %s is not under the table's location %s", what,
                     string(d, "file_path") ? string(d, "file_path") : "(none)", t->location);
  f->rows = (int64_t)number(d, "record_count");
  f->bytes = (int64_t)number(d, "file_size_in_bytes");
  for (int i = 0; i < t->by->n; i++) {
    const cJSON *v = item(item(d, "partition"), t->by->f[i].name);
    int y = cJSON_IsNumber(v) ? v->valueint : 0;
    if (cJSON_IsString(v) && strlen(v->valuestring) <= SG_ICEBERG_VALUE_MAX)
      snprintf(f->value[i], sizeof f->value[i], "%s", v->valuestring);
    else if (cJSON_IsNumber(v) && t->by->f[i].transform == SG_TRANSFORM_MONTH)
      snprintf(f->value[i], sizeof f->value[i], "%04d-%02d", 1970 + (y >= 0 ? y / 12 : (y - 11) / 12),
               ((y % 12) + 12) % 12 + 1);
    else if (cJSON_IsNumber(v))
      snprintf(f->value[i], sizeof f->value[i], "%d", 1970 + y);
    else
      return sg_seterr(SG_EDATA, "%s: %s has no %s in its partition", what, f->key, t->by->f[i].name);
  }
  static const char *const maps[] = {"column_sizes", "value_counts", "null_value_counts", "lower_bounds",
                                     "upper_bounds"};
  for (int w = 0; w < 5; w++)
    if (metric_map(cols, item(d, maps[w]), &f->m, w) != 0)
      return sg_seterr(SG_EDATA, "%s: %s's %s names a field the table does not have, or a bound too long", what,
                       f->key, maps[w]);
  return SG_OK;
}

static int by_key(const void *a, const void *b)
{
  return strcmp(((const sg_iceberg_listed *)a)->key, ((const sg_iceberg_listed *)b)->key);
}

/* A manifest's entries, after those of the manifests before it, into *out. */
static sg_err read_manifest(const sg_iceberg_table *t, const char *root, const char *p, size_t n,
                            const char *what, sg_iceberg_listing *out)
{
  sg_avro_reader r;
  sg_err e = sg_avro_open(&r, p, n, what);
  if (e != SG_OK)
    return e;
  const char *content = string(r.meta, "content"), *fv = string(r.meta, "format-version");
  const int deletes = content && strcmp(content, "deletes") == 0;
  if (!content || (strcmp(content, "data") && !deletes) || !fv || strcmp(fv, "2") ||
      !string(r.meta, "partition-spec") || !string(r.meta, "schema"))
    e = sg_seterr(SG_EDATA, "%s: its metadata lacks the spec's keys (content data or deletes, format-version 2, "
                  "schema, partition-spec)", what);
  cJSON *rec = NULL;
  while (e == SG_OK && (e = sg_avro_next(&r, &rec, what)) == SG_OK && rec) {
    if (out->n == out->cap) { /* (the listing holds every manifest's entries) */
      size_t cap = out->cap ? 2 * out->cap : 64;
      sg_iceberg_listed *grown = realloc(out->f, cap * sizeof *grown);
      if (!grown) {
        e = sg_seterr(SG_ENOMEM, "out of memory reading %s", what);
      } else {
        out->f = grown;
        out->cap = cap;
      }
    }
    if (e == SG_OK && (e = listed_of(t, root, rec, what, deletes, &out->f[out->n])) == SG_OK)
      out->n++;
    cJSON_Delete(rec);
  }
  sg_avro_close(&r);
  return e;
}

sg_err sg_iceberg_load(struct sg_source *src, const sg_iceberg_table *t, const char *root, sg_iceberg_listing *out)
{
  memset(out, 0, sizeof *out);
  char key[1024], list_key[1024], man_key[1024];
  char *text = NULL, *list = NULL, *man = NULL;
  size_t n, list_n = 0, man_n = 0;
  cJSON *m = NULL, *rec = NULL;
  const cJSON *snap = NULL;
  sg_avro_reader r = {0};
  snprintf(key, sizeof key, "%s" SG_LAYOUT_METADATA "/" SG_LAYOUT_HINT, t->folder);
  sg_err e = sg_source_read(src, key, 64, &text, &n);
  if (e == SG_OK && strcmp(text, "1") != 0)
    e = sg_seterr(SG_EDATA, "%s says '%.20s'; spotgen writes version 1", key, text);
  free(text);
  text = NULL;
  snprintf(key, sizeof key, "%s" SG_LAYOUT_METADATA "/v1.metadata.json", t->folder);
  if (e == SG_OK)
    e = sg_source_read(src, key, METADATA_MAX, &text, &n);
  if (e == SG_OK && !(m = cJSON_ParseWithLength(text, n)))
    e = sg_seterr(SG_EDATA, "%s is not valid JSON", key);
  if (e == SG_OK)
    e = check_metadata(t, m, key, &snap);
  const cJSON *sum = snap ? item(snap, "summary") : NULL;
  if (e == SG_OK && key_of(t, root, string(snap, "manifest-list"), list_key, sizeof list_key) != 0)
    e = sg_seterr(SG_EDATA, "%s: the manifest list %s is not under the table's location", key,
                  string(snap, "manifest-list") ? string(snap, "manifest-list") : "(none)");
  if (e == SG_OK)
    e = sg_source_read(src, list_key, METADATA_MAX, &list, &list_n);
  if (e == SG_OK)
    e = sg_avro_open(&r, list, list_n, list_key);
  double rows[2] = {0, 0}, files[2] = {0, 0}, bytes = 0; /* data, deletes */
  int manifests = 0;
  while (e == SG_OK && (e = sg_avro_next(&r, &rec, list_key)) == SG_OK && rec) { /* each manifest */
    size_t before = out->n;
    if (key_of(t, root, string(rec, "manifest_path"), man_key, sizeof man_key) != 0)
      e = sg_seterr(SG_EDATA, "%s: a manifest is not under the table's location", list_key);
    if (e == SG_OK)
      e = sg_source_read(src, man_key, MANIFEST_MAX, &man, &man_n);
    if (e == SG_OK && number(rec, "manifest_length") != (double)man_n)
      e = sg_seterr(SG_EDATA, "%s: manifest_length %.0f; %s has %zu bytes", list_key,
                    number(rec, "manifest_length"), man_key, man_n);
    if (e == SG_OK)
      e = read_manifest(t, root, man, man_n, man_key, out);
    double mrows = 0;
    for (size_t i = before; e == SG_OK && i < out->n; i++) {
      mrows += (double)out->f[i].rows;
      bytes += (double)out->f[i].bytes;
      files[out->f[i].content]++;
      rows[out->f[i].content] += (double)out->f[i].rows;
    }
    if (e == SG_OK && number(rec, "content") != (out->n > before ? out->f[before].content : number(rec, "content")))
      e = sg_seterr(SG_EDATA, "%s: %s's content is not its entries'", list_key, man_key);
    if (e == SG_OK && (number(rec, "added_files_count") != (double)(out->n - before) ||
                       number(rec, "added_rows_count") != mrows))
      e = sg_seterr(SG_EDATA, "%s counts %.0f files of %.0f rows in %s; it lists %zu of %.0f", list_key,
                    number(rec, "added_files_count"), number(rec, "added_rows_count"), man_key, out->n - before, mrows);
    manifests++;
    free(man);
    man = NULL;
    cJSON_Delete(rec);
    rec = NULL;
  }
  if (e == SG_OK && manifests == 0)
    e = sg_seterr(SG_EDATA, "%s lists no manifest", list_key);
  static const char *const TOTALS[4] = {"total-data-files", "total-records", "total-delete-files",
                                         "total-position-deletes"};
  const double want[4] = {files[0], rows[0], files[1], rows[1]};
  const char *ts = sum ? string(sum, "total-files-size") : NULL;
  int counted = ts && strtod(ts, NULL) == bytes;
  for (int k = 0; k < 4; k++)
    counted &= sum && string(sum, TOTALS[k]) && strtod(string(sum, TOTALS[k]), NULL) == want[k];
  if (e == SG_OK && !counted)
    e = sg_seterr(SG_EDATA, "%s: the snapshot's summary does not count what its manifests list (%.0f data files, "
                  "%.0f rows, %.0f delete files, %.0f deletes, %.0f bytes)", key, files[0], rows[0], files[1], rows[1],
                  bytes);
  if (e == SG_OK)
    qsort(out->f, out->n, sizeof *out->f, by_key);
  for (size_t i = 1; e == SG_OK && i < out->n; i++)
    if (strcmp(out->f[i - 1].key, out->f[i].key) == 0)
      e = sg_seterr(SG_EDATA, "%s: its manifests list %s twice", list_key, out->f[i].key);
  sg_avro_close(&r);
  cJSON_Delete(rec);
  cJSON_Delete(m);
  free(text);
  free(list);
  free(man);
  if (e != SG_OK)
    sg_iceberg_listing_free(out);
  return e;
}

void sg_iceberg_listing_free(sg_iceberg_listing *l)
{
  free(l->f);
  memset(l, 0, sizeof *l);
}

sg_iceberg_listed *sg_iceberg_find(const sg_iceberg_listing *l, const char *key)
{
  sg_iceberg_listed want;
  snprintf(want.key, sizeof want.key, "%s", key);
  return l->n ? bsearch(&want, l->f, l->n, sizeof *l->f, by_key) : NULL;
}
