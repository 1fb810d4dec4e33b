/* shape.c - which objects a run writes, their keys, which rank writes each
 * (see shape.h). */
#include "spotgen/lake/shape.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "spotgen/base/layout.h"
#include "spotgen/format/format.h"

void sg_shape_make(sg_shape *s, const sg_plan *plan, int tables, int dirty, const char *extension,
                   const sg_partitioning *spec)
{
  memset(s, 0, sizeof *s);
  s->plan = *plan;
  s->tables = tables != 0;
  s->dirty = dirty != 0;
  s->per_part = tables ? SG_NTABLES : dirty ? 2 : 1;
  s->extension = extension;
  if (spec)
    s->spec = *spec;
  for (int t = 0; t <= SG_TABLE_DIRTY_LEDGER; t++) {
    s->by[t] = sg_partition_for_table(spec, (sg_table_id)t);
    sg_partition_file_table(&s->by[t], sg_schema_table((sg_table_id)t), &s->file_table[t]);
  }
}

void sg_shape_iceberg(sg_shape *s)
{
  s->iceberg = 1;
  for (int t = 0; t <= SG_TABLE_DIRTY_LEDGER; t++)
    s->file_table[t] = *sg_schema_table((sg_table_id)t); /* Iceberg's files keep their partitions' sources */
}

void sg_shape_iceberg_tables(const sg_shape *s, const char *root, sg_iceberg_tables *out)
{
  char r[sizeof out->root]; /* (root may be out's own) */
  snprintf(r, sizeof r, "%s", root);
  memset(out, 0, sizeof *out);
  memcpy(out->root, r, sizeof r);
  int first = s->tables ? 0 : SG_TABLE_FLAT, last = s->tables ? SG_NTABLES - 1 : SG_TABLE_FLAT;
  for (int t = first; t <= last; t++) {
    const char *name = s->tables ? sg_schema_table((sg_table_id)t)->name : "";
    snprintf(out->folder[t], sizeof out->folder[t], "%s%s", name, *name ? "/" : "");
    snprintf(out->location[t], sizeof out->location[t], "%s%s%s", r, *name ? "/" : "", name);
    out->t[t].name = s->tables ? name : "spotify_tracks";
    out->t[t].table = &s->file_table[t];
    out->t[t].by = &s->by[t];
    out->t[t].location = out->location[t];
    out->t[t].folder = out->folder[t];
  }
}

uint64_t sg_shape_objects(const sg_shape *s) { return s->plan.parts * (uint64_t)s->per_part; }

uint64_t sg_shape_rank_first(const sg_shape *s, int r, int nranks)
{
  return sg_plan_rank_first_part(&s->plan, r, nranks) * (uint64_t)s->per_part;
}

sg_object sg_shape_object(const sg_shape *s, uint64_t o)
{
  sg_object x = {o, o / (uint64_t)s->per_part, SG_TABLE_FLAT, SG_OBJECT_ROWS, 0, 0};
  unsigned i = (unsigned)(o % (uint64_t)s->per_part);
  if (s->tables)
    x.table = (sg_table_id)i;
  else if (s->dirty)
    x.table = i ? SG_TABLE_DIRTY_LEDGER : SG_TABLE_DIRTY;
  if (x.table == SG_TABLE_DIRTY_LEDGER)
    x.kind = SG_OBJECT_LEDGER;
  else if (s->tables && x.table != SG_TABLE_PLAYLIST_TRACKS)
    x.kind = SG_OBJECT_ENTITIES;
  if (x.kind != SG_OBJECT_ENTITIES) {
    x.first_row = sg_plan_part_first_row(&s->plan, x.part);
    x.rows = sg_plan_part_rows(&s->plan, x.part);
  }
  return x;
}

/* The folder of object x's table under the dataset, or NULL (the flat
 * dataset's and --dirty's data are at its top). */
static const char *table_folder(const sg_object *x)
{
  return x->table == SG_TABLE_FLAT || x->table == SG_TABLE_DIRTY ? NULL
         : x->table == SG_TABLE_DIRTY_LEDGER                    ? SG_LAYOUT_DIRTY
                                                                : sg_schema_table(x->table)->name;
}

void sg_shape_file_key(const sg_shape *s, uint64_t o, const char *folders, char *out, size_t cap)
{
  sg_object x = sg_shape_object(s, o);
  char base[64];
  sg_layout_part(base, sizeof base, x.part, s->extension);
  const char *table = table_folder(&x);
  snprintf(out, cap, "%s%s%s%s%s", table ? table : "", table ? "/" : "", s->iceberg ? SG_LAYOUT_DATA "/" : "",
           folders, base);
}

const char *sg_shape_file_folders(const sg_shape *s, uint64_t o, const char *key)
{
  sg_object x = sg_shape_object(s, o);
  const char *table = table_folder(&x);
  return key + (table ? strlen(table) + 1 : 0) + (s->iceberg ? sizeof SG_LAYOUT_DATA : 0);
}

void sg_shape_key(const sg_shape *s, uint64_t o, char *out, size_t cap) { sg_shape_file_key(s, o, "", out, cap); }

const sg_partitioning *sg_shape_partitioning(const sg_shape *s, uint64_t o)
{
  return &s->by[sg_shape_object(s, o).table];
}

const sg_table *sg_shape_file_table(const sg_shape *s, uint64_t o)
{
  return &s->file_table[sg_shape_object(s, o).table];
}

/* An Iceberg dataset's tables: how to register each by its metadata. */
static char *iceberg_ddl(const sg_shape *s, const char *table, const char *location)
{
  static sg_iceberg_tables ice;
  char root[2048];
  size_t n = strlen(location);
  while (n > 1 && location[n - 1] == '/')
    n--;
  snprintf(root, sizeof root, "%.*s", (int)n, location);
  sg_shape_iceberg_tables(s, root, &ice);
  sg_buf b = {0};
  for (int t = 0; t <= SG_TABLE_FLAT; t++) {
    if (!ice.t[t].table)
      continue;
    char name[256];
    snprintf(name, sizeof name, "%s%s%s", table, s->tables ? "_" : "", s->tables ? sg_schema_table(t)->name : "");
    sg_buf_puts(&b, b.len ? "\n" : "");
    sg_iceberg_register(&b, &ice.t[t], "default", name);
  }
  if (b.failed) {
    sg_buf_free(&b);
    return NULL;
  }
  return (char *)b.p;
}

char *sg_shape_ddl(const sg_shape *s, const char *table, const char *location, const char *format)
{
  if (s->iceberg)
    return iceberg_ddl(s, table, location);
  char *all = NULL;
  size_t len = 0;
  int first = s->tables ? 0 : SG_TABLE_FLAT, last = s->tables ? SG_NTABLES - 1 : SG_TABLE_FLAT;
  for (int t = first; t <= last; t++) {
    char name[256], where[2048];
    size_t l = strlen(location);
    const char *slash = l && location[l - 1] == '/' ? "" : "/";
    snprintf(name, sizeof name, "%s%s%s", table, s->tables ? "_" : "", s->tables ? sg_schema_table(t)->name : "");
    snprintf(where, sizeof where, "%s%s%s%s", location, s->tables ? slash : "", s->tables ? sg_schema_table(t)->name : "",
             s->tables ? "/" : "");
    sg_ddl_partitions pp;
    sg_partition_ddl(&s->by[t], &pp);
    char *one = sg_schema_table_ddl(&s->file_table[t], name, where, format, &pp);
    char *grown = one ? realloc(all, len + strlen(one) + 2) : NULL;
    if (!grown) {
      free(one);
      free(all);
      return NULL;
    }
    all = grown;
    len += (size_t)sprintf(all + len, "%s%s", len ? "\n" : "", one);
    free(one);
  }
  return all;
}

static double num(const cJSON *o, const char *k)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *text(const cJSON *o, const char *k)
{
  return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

sg_err sg_shape_of_dataset(const cJSON *ds, const char *where, sg_shape *out)
{
  double rows = num(ds, "rows"), rpp = num(ds, "rows_per_part"), parts = num(ds, "parts");
  const char *sizing = text(ds, "part_sizing"), *base = text(ds, "format"), *codec = text(ds, "compression");
  const char *layout = text(ds, "layout");
  int by_rows = sizing && strcmp(sizing, "rows_per_part") == 0;
  if (!(rows >= 1 && rows <= 1e15 && (by_rows ? rpp >= 1 && rpp <= rows : parts >= 1 && parts <= rows)))
    return sg_seterr(SG_EUSAGE, "%s: its dataset section has no valid rows and part sizing; the dataset is "
                     "damaged: generate it again", where);
  const sg_format_ops *fmt = base && codec ? sg_format_of(base, codec) : NULL;
  if (!fmt)
    return sg_seterr(SG_EUSAGE, "%s: its dataset section names no format this spotgen writes (%s, %s); read it "
                     "with the spotgen that wrote it", where, base ? base : "none", codec ? codec : "none");
  int tables = layout && strncmp(layout, "tables", 6) == 0;
  const char *by = text(ds, "partition_by");
  sg_partitioning spec = {0};
  if (by && sg_partition_parse(by, tables, &spec) != SG_OK)
    return sg_seterr(SG_EUSAGE, "%s: its dataset.partition_by '%s' is not one this spotgen writes; read it with "
                     "the spotgen that wrote it", where, by);
  sg_plan plan = sg_plan_make((uint64_t)rows, by_rows ? (uint64_t)rpp : 0, by_rows ? 0 : (uint64_t)parts);
  sg_shape_make(out, &plan, tables, cJSON_GetObjectItemCaseSensitive(ds, "dirty") != NULL, fmt->extension, &spec);
  const char *table_format = text(ds, "table_format");
  if (table_format && strcmp(table_format, "iceberg") != 0)
    return sg_seterr(SG_EUSAGE, "%s: its dataset.table_format '%s' is not one this spotgen writes; read it with "
                     "the spotgen that wrote it", where, table_format);
  if (table_format)
    sg_shape_iceberg(out);
  return SG_OK;
}
