/* partition.c - Hive-style partitions: the tables' partition fields, the
 * spec parsed, a row's folders (see partition.h). */
#include "spotgen/lake/partition.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "spotgen/base/numfmt.h"
#include "spotgen/model/catalog.h"
#include "spotgen/model/category.h"

/* What each table may be partitioned by: low-cardinality columns only (a
 * category; a date by year or month), so that a partition holds many rows. */
enum { IDENTITY = 1 << SG_TRANSFORM_IDENTITY, YEAR = 1 << SG_TRANSFORM_YEAR, MONTH = 1 << SG_TRANSFORM_MONTH };
static const struct {
  sg_table_id table;
  const char *column;
  unsigned transforms;
} MAY[] = {
    {SG_TABLE_FLAT, "playlist_category", IDENTITY},
    {SG_TABLE_FLAT, "release_date", YEAR | MONTH},
    {SG_TABLE_ALBUMS, "release_date", YEAR | MONTH},
    {SG_TABLE_PLAYLISTS, "playlist_category", IDENTITY},
};
#define NMAY (sizeof MAY / sizeof MAY[0])

static const char *const TRANSFORM[] = {"identity", "year", "month"};

static int may(sg_table_id t, const sg_partition_field *f)
{
  for (size_t i = 0; i < NMAY; i++)
    if (MAY[i].table == t && strcmp(MAY[i].column, f->source->name) == 0 && (MAY[i].transforms >> f->transform & 1))
      return 1;
  return 0;
}

/* The fields that may be given, for messages. */
static void allowed(int tables, char *out, size_t cap)
{
  size_t n = 0;
  out[0] = '\0';
  for (size_t i = 0; i < NMAY; i++) {
    if ((MAY[i].table == SG_TABLE_FLAT) == (tables != 0))
      continue;
    for (int t = 0; t <= SG_TRANSFORM_MONTH; t++) {
      if (!(MAY[i].transforms >> t & 1))
        continue;
      char one[80];
      snprintf(one, sizeof one, "%s%s%s", MAY[i].column, t ? ":" : "", t ? TRANSFORM[t] : "");
      if (strstr(out, one))
        continue;
      int w = snprintf(out + n, cap - n, "%s%s", n ? ", " : "", one);
      n += w > 0 && (size_t)w < cap - n ? (size_t)w : 0;
    }
  }
}

/* The folder's name of a field: the column's for identity; a date's year
 * or month takes the column's stem ("release_date" -> "release_year"). */
static void field_name(sg_partition_field *f)
{
  const char *col = f->source->name;
  if (f->transform == SG_TRANSFORM_IDENTITY) {
    snprintf(f->name, sizeof f->name, "%s", col);
    return;
  }
  const char *what = f->transform == SG_TRANSFORM_YEAR ? "year" : "month";
  size_t stem = strlen(col);
  if (stem > 5 && strcmp(col + stem - 5, "_date") == 0)
    stem -= 5;
  snprintf(f->name, sizeof f->name, "%.*s_%s", (int)stem, col, what);
}

sg_err sg_partition_parse(const char *spec, int tables, sg_partitioning *out)
{
  char ok[256];
  memset(out, 0, sizeof *out);
  allowed(tables, ok, sizeof ok);
  const char *p = spec;
  while (1) {
    size_t len = strcspn(p, ",");
    char one[80];
    if (len == 0 || len >= sizeof one)
      return sg_seterr(SG_EUSAGE, "--partition-by '%s': an empty or overlong field; give COLUMN or COLUMN:year "
                       "or COLUMN:month, separated by commas (%s)", spec, ok);
    memcpy(one, p, len);
    one[len] = '\0';
    char *colon = strchr(one, ':');
    sg_partition_field f = {NULL, SG_TRANSFORM_IDENTITY, ""};
    if (colon) {
      *colon = '\0';
      if (strcmp(colon + 1, "year") == 0)
        f.transform = SG_TRANSFORM_YEAR;
      else if (strcmp(colon + 1, "month") == 0)
        f.transform = SG_TRANSFORM_MONTH;
      else
        return sg_seterr(SG_EUSAGE, "--partition-by: unknown transform '%s' of %s; a date takes :year or :month "
                         "(%s)", colon + 1, one, ok);
    }
    f.source = sg_schema_find(one);
    int fits = 0;
    for (int t = 0; f.source && t <= SG_TABLE_FLAT; t++)
      fits |= (t == SG_TABLE_FLAT) != (tables != 0) && may((sg_table_id)t, &f);
    if (!fits)
      return sg_seterr(SG_EUSAGE, "--partition-by: %s%s%s cannot partition %s; the fields that can are %s",
                       one, colon ? ":" : "", colon ? colon + 1 : "",
                       tables ? "any of --tables' tables" : "the dataset", ok);
    for (int i = 0; i < out->n; i++)
      if (out->f[i].source == f.source)
        return sg_seterr(SG_EUSAGE, "--partition-by: %s is given twice; partition by a column once", one);
    if (out->n == SG_PARTITION_MAX)
      return sg_seterr(SG_EUSAGE, "--partition-by: at most %d fields", SG_PARTITION_MAX);
    field_name(&f);
    out->f[out->n++] = f;
    p += len;
    if (!*p)
      return SG_OK;
    p++;
  }
}

sg_partitioning sg_partition_for_table(const sg_partitioning *spec, sg_table_id t)
{
  sg_partitioning p;
  memset(&p, 0, sizeof p);
  for (int i = 0; spec && i < spec->n; i++)
    if (may(t, &spec->f[i]))
      p.f[p.n++] = spec->f[i];
  return p;
}

void sg_partition_file_table(const sg_partitioning *p, const sg_table *t, sg_table *out)
{
  *out = *t;
  out->ncols = 0;
  for (int c = 0; c < t->ncols; c++) {
    int dropped = 0;
    for (int i = 0; i < p->n; i++)
      dropped |= p->f[i].transform == SG_TRANSFORM_IDENTITY && p->f[i].source == t->cols[c];
    if (!dropped)
      out->cols[out->ncols++] = t->cols[c];
  }
}

/* Hive's escaping of a path name's characters (FileUtils.escapePathName). */
static int escaped(unsigned char ch)
{
  return ch <= 0x20 || ch == 0x7f || strchr("\"#%'*/:=?\\{[]^", ch) != NULL;
}

/* Appends `s` (n bytes), escaped, at out + *len. */
static void put_escaped(char *out, size_t *len, const char *s, size_t n)
{
  static const char HEX[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n && *len + 4 < SG_PARTITION_FOLDERS; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (escaped(ch)) {
      out[(*len)++] = '%';
      out[(*len)++] = HEX[ch >> 4];
      out[(*len)++] = HEX[ch & 15];
    } else {
      out[(*len)++] = (char)ch;
    }
  }
}

/* Appends field f's folder, of value `v` (n bytes), at out + *len. */
static void put_folder(const sg_partition_field *f, const char *v, size_t n, char *out, size_t *len)
{
  size_t name = strlen(f->name);
  if (*len + name + 2 >= SG_PARTITION_FOLDERS)
    return;
  memcpy(out + *len, f->name, name);
  *len += name;
  out[(*len)++] = '=';
  put_escaped(out, len, v, n);
  out[(*len)++] = '/';
  out[*len] = '\0';
}

size_t sg_partition_folders(const sg_partitioning *p, const sg_row *row, char *out)
{
  size_t len = 0;
  out[0] = '\0';
  for (int i = 0; i < p->n; i++) {
    const sg_partition_field *f = &p->f[i];
    const char *at = (const char *)row + f->source->offset;
    if (f->transform == SG_TRANSFORM_IDENTITY) {
      const sg_text *t = f->source->kind == SG_KIND_TEXT_REF ? *(const sg_text *const *)at : (const sg_text *)at;
      put_folder(f, t->s, t->len, out, &len);
      continue;
    }
    int32_t days;
    memcpy(&days, at, sizeof days);
    int y;
    unsigned m, d;
    sg_civil_from_days(days, &y, &m, &d);
    char v[16]; /* YYYY or YYYY-MM, by hand: this is per row */
    size_t n = 0;
    if (y < 0 || y > 9999) {
      n = (size_t)snprintf(v, sizeof v, "%d", y);
    } else {
      for (int place = 1000; place >= 1; place /= 10)
        v[n++] = (char)('0' + y / place % 10);
    }
    if (f->transform == SG_TRANSFORM_MONTH) {
      v[n++] = '-';
      v[n++] = (char)('0' + m / 10);
      v[n++] = (char)('0' + m % 10);
    }
    put_folder(f, v, n, out, &len);
  }
  return len;
}

void sg_partition_key_of(const sg_partitioning *p, const sg_row *row, sg_partition_key *k)
{
  memset(k, 0, sizeof *k);
  for (int i = 0; i < p->n; i++) {
    const sg_partition_field *f = &p->f[i];
    const char *at = (const char *)row + f->source->offset;
    if (f->transform == SG_TRANSFORM_IDENTITY && f->source->kind == SG_KIND_TEXT_REF) {
      const sg_text *t;
      memcpy(&t, at, sizeof t);
      k->v[i] = (uint64_t)(uintptr_t)t;
    } else if (f->transform == SG_TRANSFORM_IDENTITY) { /* a text in the row: its FNV-1a */
      const sg_text *t = (const sg_text *)at;
      uint64_t h = 1469598103934665603ull;
      for (int c = 0; c < t->len; c++)
        h = (h ^ (unsigned char)t->s[c]) * 1099511628211ull;
      k->v[i] = h;
    } else {
      int32_t days;
      memcpy(&days, at, sizeof days);
      int y;
      unsigned m, d;
      sg_civil_from_days(days, &y, &m, &d);
      k->v[i] = (uint64_t)(int64_t)(f->transform == SG_TRANSFORM_YEAR ? y : y * 12 + (int)m - 1);
    }
  }
}

size_t sg_partition_folders_of(const sg_partitioning *p, const char *const *values, char *out)
{
  size_t len = 0;
  out[0] = '\0';
  for (int i = 0; i < p->n; i++)
    put_folder(&p->f[i], values[i], strlen(values[i]), out, &len);
  return len;
}

static int hex(char c)
{
  return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int sg_partition_value(const sg_partitioning *p, int i, const char *folders, char *out, size_t cap)
{
  const char *s = folders;
  for (int k = 0; k < i; k++) { /* skip the folders before field i */
    s = strchr(s, '/');
    if (!s)
      return -1;
    s++;
  }
  size_t name = strlen(p->f[i].name);
  if (strncmp(s, p->f[i].name, name) != 0 || s[name] != '=')
    return -1;
  s += name + 1;
  size_t n = 0;
  for (; *s && *s != '/' && n + 1 < cap; s++) {
    if (*s == '%' && hex(s[1]) >= 0 && hex(s[2]) >= 0) {
      out[n++] = (char)(hex(s[1]) << 4 | hex(s[2]));
      s += 2;
    } else {
      out[n++] = *s;
    }
  }
  out[n] = '\0';
  return *s == '/' ? (int)n : -1;
}

void sg_partition_describe(const sg_partitioning *p, char *out, size_t cap)
{
  size_t n = 0;
  out[0] = '\0';
  for (int i = 0; i < p->n && n < cap; i++) {
    int w = snprintf(out + n, cap - n, "%s%s%s%s", i ? "," : "", p->f[i].source->name,
                     p->f[i].transform ? ":" : "", p->f[i].transform ? TRANSFORM[p->f[i].transform] : "");
    n += w > 0 ? (size_t)w : 0;
  }
}

void sg_partition_ddl(const sg_partitioning *p, int last_year, sg_ddl_partitions *out)
{
  memset(out, 0, sizeof *out);
  for (int i = 0; i < p->n; i++) {
    const sg_partition_field *f = &p->f[i];
    char *pr = out->f[i].projection;
    size_t cap = sizeof out->f[i].projection;
    out->f[i].name = f->name;
    if (f->transform == SG_TRANSFORM_IDENTITY) { /* a category: its names */
      out->f[i].type = "string";
      size_t n = (size_t)snprintf(pr, cap, "'projection.%s.type' = 'enum',\n  'projection.%s.values' = '", f->name,
                                  f->name);
      for (int c = 0; c < SG_NCAT && n < cap; c++)
        n += (size_t)snprintf(pr + n, cap - n, "%s%s", c ? "," : "", sg_category_name(c));
      snprintf(pr + n, cap - n, "'");
      continue;
    }
    /* the years the model releases albums in (release_date is the one date) */
    const int y0 = SG_FIRST_YEAR, y1 = last_year > SG_LAST_YEAR ? last_year : SG_LAST_YEAR;
    const unsigned m0 = 1, m1 = 12;
    if (f->transform == SG_TRANSFORM_YEAR) {
      out->f[i].type = "int";
      snprintf(pr, cap, "'projection.%s.type' = 'integer',\n  'projection.%s.range' = '%d,%d'", f->name, f->name, y0, y1);
    } else {
      out->f[i].type = "string";
      snprintf(pr, cap,
               "'projection.%s.type' = 'date',\n  'projection.%s.format' = 'yyyy-MM',\n  'projection.%s.range' = "
               "'%04d-%02u,%04d-%02u',\n  'projection.%s.interval' = '1',\n  'projection.%s.interval.unit' = 'MONTHS'",
               f->name, f->name, f->name, y0, m0, y1, m1, f->name, f->name);
    }
  }
  out->n = p->n;
}
