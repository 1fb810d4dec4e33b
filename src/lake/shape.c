/* shape.c - which objects a run writes, their keys, which rank writes each
 * (see shape.h). */
#include "spotgen/lake/shape.h"

#include <math.h>
#include <string.h>

#include "spotgen/base/layout.h"
#include "spotgen/format/format.h"

sg_shape sg_shape_make(const sg_plan *plan, int tables, int dirty, const char *extension)
{
  sg_shape s = {*plan, tables != 0, dirty != 0, tables ? SG_NTABLES : dirty ? 2 : 1, extension};
  return s;
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

void sg_shape_key(const sg_shape *s, uint64_t o, char *out, size_t cap)
{
  sg_object x = sg_shape_object(s, o);
  if (x.table == SG_TABLE_FLAT || x.table == SG_TABLE_DIRTY)
    sg_layout_part(out, cap, x.part, s->extension);
  else
    sg_layout_table_part(out, cap, x.table == SG_TABLE_DIRTY_LEDGER ? SG_LAYOUT_DIRTY : sg_schema_table(x.table)->name,
                         x.part, s->extension);
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
  sg_plan plan = sg_plan_make((uint64_t)rows, by_rows ? (uint64_t)rpp : 0, by_rows ? 0 : (uint64_t)parts);
  *out = sg_shape_make(&plan, layout && strncmp(layout, "tables", 6) == 0,
                       cJSON_GetObjectItemCaseSensitive(ds, "dirty") != NULL, fmt->extension);
  return SG_OK;
}
