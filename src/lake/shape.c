/* shape.c - which objects a run writes, their keys, which rank writes each
 * (see shape.h). */
#include "spotgen/lake/shape.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "spotgen/base/layout.h"
#include "spotgen/base/numfmt.h"
#include "spotgen/format/format.h"
#include "spotgen/model/catalog.h"

void sg_shape_make(sg_shape *s, const sg_plan *plan, int tables, int dirty, const char *extension,
                   const sg_partitioning *spec)
{
  memset(s, 0, sizeof *s);
  s->plan = *plan;
  s->tables = tables != 0;
  s->dirty = dirty != 0;
  s->per_part = tables ? SG_NTABLES : dirty ? 2 : 1;
  s->extension = extension;
  s->nchange = tables ? 4 : 1;
  s->change[0] = tables ? SG_TABLE_PLAYLISTS_CHANGES : SG_TABLE_CHANGES;
  s->change[1] = SG_TABLE_PLAYLIST_TRACKS_CHANGES;
  s->change[2] = SG_TABLE_ALBUMS_CHANGES;
  s->change[3] = SG_TABLE_TRACKS_CHANGES;
  s->chunk_objects = s->nchange;
  if (spec)
    s->spec = *spec;
  for (int t = 0; t <= SG_TABLE_LAST; t++) {
    s->by[t] = sg_partition_for_table(spec, (sg_table_id)t);
    sg_partition_file_table(&s->by[t], sg_schema_table((sg_table_id)t), &s->file_table[t]);
  }
}

int sg_shape_last_year(const sg_shape *s)
{
  const sg_days_span *d = &s->days;
  int32_t last = d->last >= d->first ? d->last : d->as_of;
  int y;
  unsigned m, day;
  sg_civil_from_days(d->start + last, &y, &m, &day);
  return last > 0 && y > SG_LAST_YEAR ? y : SG_LAST_YEAR;
}

void sg_shape_iceberg(sg_shape *s)
{
  s->iceberg = 1;
  s->chunk_objects = 3 * s->nchange;
  for (int t = 0; t <= SG_TABLE_LAST; t++)
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

sg_err sg_shape_set_days(sg_shape *s, const sg_days_span *d, const uint64_t *events)
{
  sg_shape_free(s);
  s->days = *d;
  size_t n = d->last >= d->first ? (size_t)(d->last - d->first + 1) : 0;
  s->days.events = malloc((n ? n : 1) * sizeof *s->days.events);
  s->days.end = malloc((n ? n : 1) * sizeof *s->days.end);
  if (!s->days.events || !s->days.end) {
    sg_shape_free(s);
    return sg_seterr(SG_ENOMEM, "out of memory for the days' changes");
  }
  uint64_t sum = 0, per = d->events_per_part ? d->events_per_part : 1;
  for (size_t i = 0; i < n; i++) {
    s->days.events[i] = events[i];
    sum += events[i] ? (events[i] + per - 1) / per : 1;
    s->days.end[i] = sum;
  }
  return SG_OK;
}

void sg_shape_free(sg_shape *s)
{
  free(s->days.events);
  free(s->days.end);
  s->days.events = s->days.end = NULL;
}

static size_t ndays(const sg_shape *s)
{
  return s->days.end && s->days.last >= s->days.first ? (size_t)(s->days.last - s->days.first + 1) : 0;
}

uint64_t sg_shape_snapshot_objects(const sg_shape *s)
{
  return s->days.changes_only ? 0 : s->plan.parts * (uint64_t)s->per_part;
}

uint64_t sg_shape_objects(const sg_shape *s)
{
  size_t n = ndays(s);
  return sg_shape_snapshot_objects(s) + (n ? s->days.end[n - 1] * (uint64_t)s->chunk_objects : 0);
}

/* Without changes, a rank writes its plan's parts; with them, an even
 * share of all the objects, in order. */
uint64_t sg_shape_rank_first(const sg_shape *s, int r, int nranks)
{
  if (!ndays(s))
    return sg_plan_rank_first_part(&s->plan, r, nranks) * (uint64_t)s->per_part;
  return (uint64_t)((unsigned __int128)sg_shape_objects(s) * (unsigned)r / (unsigned)nranks);
}

/* Change object o (past the snapshot's): a day's chunks' changes (and
 * with Iceberg their data files), chunk by chunk, then (Iceberg) their
 * delete files. */
static sg_object change_object(const sg_shape *s, uint64_t o)
{
  const uint64_t c = o - sg_shape_snapshot_objects(s), per_chunk = (uint64_t)s->chunk_objects;
  size_t lo = 0, hi = ndays(s) - 1; /* the day whose objects end past c */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (s->days.end[mid] * per_chunk > c)
      hi = mid;
    else
      lo = mid + 1;
  }
  const uint64_t before = lo ? s->days.end[lo - 1] : 0, chunks = s->days.end[lo] - before;
  const uint64_t nchange = (uint64_t)s->nchange, a = nchange * (s->iceberg ? 2 : 1);
  uint64_t r = c - before * per_chunk, part, table, kind;
  if (r < chunks * a) { /* chunk by chunk: each table's changes, then (Iceberg) its data files */
    part = r / a;
    table = r % a % nchange;
    kind = r % a / nchange;
  } else { /* the delete files */
    r -= chunks * a;
    part = r / nchange;
    table = r % nchange;
    kind = 2;
  }
  uint64_t per = s->days.events_per_part ? s->days.events_per_part : 1;
  uint64_t first = part * per, events = s->days.events[lo];
  static const sg_object_kind KIND[3] = {SG_OBJECT_CHANGES, SG_OBJECT_ICEBERG_DATA, SG_OBJECT_ICEBERG_DELETES};
  const sg_table_id changes = s->change[table];
  sg_object x = {o, part, kind == 0 ? changes : kind == 1 ? (sg_table_id)sg_schema_changed(changes)
                                                          : SG_TABLE_POSITION_DELETES,
                 KIND[kind], first, events > first + per ? per : events - first, s->days.first + (int32_t)lo,
                 (int)table};
  return x;
}

uint64_t sg_shape_object_at(const sg_shape *s, int change, const sg_location *loc)
{
  const sg_table_id t = (sg_table_id)sg_schema_changed(s->change[change]);
  if (loc->day == s->days.as_of)
    return loc->part * (uint64_t)s->per_part + (s->tables ? (uint64_t)t : 0);
  const size_t i = (size_t)(loc->day - s->days.first);
  const uint64_t before = i ? s->days.end[i - 1] : 0, a = 2 * (uint64_t)s->nchange;
  return sg_shape_snapshot_objects(s) + before * (uint64_t)s->chunk_objects + loc->part * a +
         (uint64_t)s->nchange + (uint64_t)change;
}

int sg_shape_iceberg_of(const sg_shape *s, const sg_object *x)
{
  if (!s->iceberg || x->kind == SG_OBJECT_CHANGES || x->kind == SG_OBJECT_LEDGER)
    return -1;
  return x->kind == SG_OBJECT_ICEBERG_DELETES ? sg_schema_changed(s->change[x->change]) : (int)x->table;
}

sg_object sg_shape_object(const sg_shape *s, uint64_t o)
{
  if (o >= sg_shape_snapshot_objects(s))
    return change_object(s, o);
  sg_object x = {o, o / (uint64_t)s->per_part, SG_TABLE_FLAT, SG_OBJECT_ROWS, 0, 0, 0, 0};
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

/* The folder of object x under the dataset, with its '/' (into buf; ""
 * at its top): its table's (--tables', --dirty's ledger), and for an
 * Iceberg table's file its data/ in it; a day's changes' batch
 * (_changes/batch_date=2024-01-02/, with --tables _changes/playlists/...), a
 * day's Iceberg files' data/batch_date=2024-01-02/. Partitions' folders
 * follow it. */
static const char *object_folder(const sg_shape *s, const sg_object *x, char *buf, size_t cap)
{
  const int day = x->kind == SG_OBJECT_CHANGES || x->kind == SG_OBJECT_ICEBERG_DATA ||
                  x->kind == SG_OBJECT_ICEBERG_DELETES;
  const int ice = sg_shape_iceberg_of(s, x) >= 0;
  sg_table_id t = x->table;
  if (day)
    t = (sg_table_id)sg_schema_changed(s->change[x->change]);
  const char *table = t == SG_TABLE_FLAT || t == SG_TABLE_DIRTY   ? ""
                      : t == SG_TABLE_DIRTY_LEDGER                ? SG_LAYOUT_DIRTY
                      : !s->tables                                ? ""
                                                                  : sg_schema_table(t)->name;
  char date[16] = "";
  if (day)
    date[sg_fmt_date(date, s->days.start + x->day)] = '\0';
  snprintf(buf, cap, "%s%s%s%s%s%s%s", x->kind == SG_OBJECT_CHANGES ? SG_LAYOUT_CHANGES "/" : "", table,
           *table ? "/" : "", ice ? SG_LAYOUT_DATA "/" : "", day ? "batch_date=" : "", date, day ? "/" : "");
  return buf;
}

void sg_shape_file_key(const sg_shape *s, uint64_t o, const char *folders, char *out, size_t cap)
{
  sg_object x = sg_shape_object(s, o);
  char base[64], folder[128];
  sg_layout_part(base, sizeof base, x.part, x.kind == SG_OBJECT_ICEBERG_DELETES ? "-deletes" : "");
  snprintf(out, cap, "%s%s%s%s", object_folder(s, &x, folder, sizeof folder), folders, base, s->extension);
}

const char *sg_shape_file_folders(const sg_shape *s, uint64_t o, const char *key)
{
  sg_object x = sg_shape_object(s, o);
  char folder[128];
  return key + strlen(object_folder(s, &x, folder, sizeof folder));
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

/* Appends `one` (freed) to *all (*len bytes), a blank line between.
 * @return : 0, or -1 out of memory (*all freed). */
static int ddl_append(char **all, size_t *len, char *one)
{
  char *grown = one ? realloc(*all, *len + strlen(one) + 2) : NULL;
  if (!grown) {
    free(one);
    free(*all);
    *all = NULL;
    return -1;
  }
  *all = grown;
  *len += (size_t)sprintf(*all + *len, "%s%s", *len ? "\n" : "", one);
  free(one);
  return 0;
}

/* --days: the days' changes, a table for each table that changes, at
 * _changes/ (--tables: _changes/TABLE/), partitioned by batch_date with a
 * projection of the run's days; appended to *all. */
static char *changes_ddl(const sg_shape *s, const char *table, const char *location, const char *format, char *all,
                         size_t len)
{
  if (!s->days.end || s->days.last < s->days.first)
    return all;
  size_t l = strlen(location);
  const char *slash = l && location[l - 1] == '/' ? "" : "/";
  char first[16], last[16];
  first[sg_fmt_date(first, s->days.start + s->days.first)] = '\0';
  last[sg_fmt_date(last, s->days.start + s->days.last)] = '\0';
  for (int i = 0; all && i < s->nchange; i++) {
    const char *base = sg_schema_table((sg_table_id)sg_schema_changed(s->change[i]))->name;
    char name[256], where[2048];
    snprintf(name, sizeof name, "%s%s%s_changes", table, s->tables ? "_" : "", s->tables ? base : "");
    snprintf(where, sizeof where, "%s%s" SG_LAYOUT_CHANGES "/%s%s", location, slash, s->tables ? base : "",
             s->tables ? "/" : "");
    sg_ddl_partitions pp = {1, {{"batch_date", "date", ""}}};
    snprintf(pp.f[0].projection, sizeof pp.f[0].projection,
             "'projection.batch_date.type' = 'date',\n  'projection.batch_date.format' = 'yyyy-MM-dd',\n"
             "  'projection.batch_date.range' = '%s,%s',\n  'projection.batch_date.interval' = '1',\n"
             "  'projection.batch_date.interval.unit' = 'DAYS'", first, last);
    if (ddl_append(&all, &len, sg_schema_table_ddl(&s->file_table[s->change[i]], name, where, format, &pp)) != 0)
      return NULL;
  }
  return all;
}

char *sg_shape_ddl(const sg_shape *s, const char *table, const char *location, const char *format)
{
  if (s->iceberg) {
    char *ice = iceberg_ddl(s, table, location);
    return ice ? changes_ddl(s, table, location, format, ice, strlen(ice)) : NULL;
  }
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
    sg_partition_ddl(&s->by[t], sg_shape_last_year(s), &pp);
    if (ddl_append(&all, &len, sg_schema_table_ddl(&s->file_table[t], name, where, format, &pp)) != 0)
      return NULL;
  }
  return changes_ddl(s, table, location, format, all, len);
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

/* The days a dataset section's `days` says (none without one). */
static sg_err days_of_dataset(const cJSON *o, const char *where, sg_shape *out)
{
  if (!o)
    return SG_OK;
  sg_days_span d = {0};
  const char *start = text(o, "start");
  const cJSON *snap = cJSON_GetObjectItemCaseSensitive(o, "snapshot");
  const cJSON *events = cJSON_GetObjectItemCaseSensitive(o, "events");
  double as_of = num(o, "as_of"), first = num(o, "first"), last = num(o, "last"), per = num(o, "events_per_part");
  int changes = cJSON_IsArray(events);
  int n = changes ? cJSON_GetArraySize(events) : 0;
  if (!start || !sg_parse_date(start, strlen(start), &d.start) || !cJSON_IsBool(snap) ||
      !(as_of >= 0 && as_of <= SG_DAYS_MAX) ||
      (changes && !(first >= 1 && last >= first && last <= SG_DAYS_MAX && n == (int)(last - first) + 1 &&
                    per >= 1 && per <= 1e12)))
    return sg_seterr(SG_EUSAGE, "%s: its dataset.days is not one this spotgen writes; the dataset is damaged, or "
                     "another version wrote it", where);
  d.as_of = (int32_t)as_of;
  d.changes_only = cJSON_IsFalse(snap);
  d.first = changes ? (int32_t)first : 1;
  d.last = changes ? (int32_t)last : 0;
  d.events_per_part = changes ? (uint64_t)per : 1;
  uint64_t *ev = malloc(((size_t)n + 1) * sizeof *ev);
  if (!ev)
    return sg_seterr(SG_ENOMEM, "out of memory reading %s", where);
  int i = 0, bad = 0;
  const cJSON *e;
  cJSON_ArrayForEach(e, events)
  {
    bad |= !cJSON_IsNumber(e) || !(e->valuedouble >= 0 && e->valuedouble <= 1e15);
    ev[i++] = bad ? 0 : (uint64_t)e->valuedouble;
  }
  sg_err r = bad ? sg_seterr(SG_EUSAGE, "%s: its dataset.days.events holds a count that is not one; the dataset "
                             "is damaged", where)
                 : sg_shape_set_days(out, &d, ev);
  free(ev);
  return r;
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
  return days_of_dataset(cJSON_GetObjectItemCaseSensitive(ds, "days"), where, out);
}
