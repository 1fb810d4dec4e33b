/* format_csv.c - RFC 4180 CSV: a header line, comma-separated fields, fields
 * quoted only when they must be, '\n' line ends, fixed decimals. */
#include <stdlib.h>
#include <string.h>

#include "spotgen/base/buf.h"

#include "spotgen/format/format.h"
#include "spotgen/base/numfmt.h"
#include "spotgen/format/reader.h"
#include "spotgen/dataset/schema.h"

size_t sg_csv_field(char *out, const char *s)
{
  size_t len = strcspn(s, ",\"\r\n");
  if (s[len] == '\0') { /* the usual field: nothing to quote */
    memcpy(out, s, len);
    return len;
  }
  size_t n = 0;
  out[n++] = '"';
  for (const char *p = s; *p; p++) {
    if (*p == '"')
      out[n++] = '"';
    out[n++] = *p;
  }
  out[n++] = '"';
  return n;
}

/* A name: most need no quotes and are short, so 32 bytes are copied at once
 * whatever the length (the row's room, SG_CSV_ROW_MAX, covers the excess),
 * then the rest of a longer one. */
static size_t csv_text(char *out, const sg_text *t)
{
  if (t->quote)
    return sg_csv_field(out, t->s);
  memcpy(out, t->s, 32);
  if (t->len > 32)
    memcpy(out + 32, t->s + 32, t->len - 32u);
  return t->len;
}

/* A value that is never quoted: an id, a date or a number. */
static inline size_t plain_value(const sg_column *c, const char *p, char *out)
{
  switch (c->kind) {
  case SG_KIND_ID: memcpy(out, p, SG_ID_LEN); return SG_ID_LEN;
  case SG_KIND_DATE: return sg_fmt_date(out, *(const int32_t *)p);
  case SG_KIND_I32: return sg_fmt_i64(out, *(const int32_t *)p);
  case SG_KIND_I64: return sg_fmt_i64(out, *(const int64_t *)p);
  case SG_KIND_TIMESTAMP: return sg_fmt_timestamp(out, *(const int64_t *)p);
  case SG_KIND_FIXED: return sg_fmt_fixed(out, *(const int32_t *)p, c->decimals);
  default: return 0;
  }
}

/* Column c's value in row as one field. */
static inline size_t csv_column(const sg_column *c, const sg_row *row, char *out)
{
  const char *p = (const char *)row + c->offset;
  if (c->kind == SG_KIND_STR)
    return csv_text(out, (const sg_text *)p);
  if (c->kind == SG_KIND_TEXT_REF)
    return csv_text(out, *(const sg_text *const *)p);
  return plain_value(c, p, out);
}

size_t sg_csv_row_of(const sg_table *t, char *out, const sg_row *row)
{
  size_t n = 0;
  for (int i = 0; i < t->ncols; i++) {
    if (i)
      out[n++] = ',';
    n += csv_column(t->cols[i], row, out + n);
  }
  out[n++] = '\n';
  return n;
}

size_t sg_csv_value(const sg_column *c, const sg_row *row, char *out)
{
  const char *p = (const char *)row + c->offset;
  const sg_text *t = c->kind == SG_KIND_STR ? (const sg_text *)p
                     : c->kind == SG_KIND_TEXT_REF ? *(const sg_text *const *)p : NULL;
  size_t n = t ? t->len : plain_value(c, p, out);
  if (t)
    memcpy(out, t->s, n);
  out[n] = '\0';
  return n;
}

size_t sg_csv_row(char *out, const sg_row *row)
{
  return sg_csv_row_of(sg_schema_table(SG_TABLE_FLAT), out, row);
}

static sg_err csv_begin(sg_format *f, int header)
{
  f->len = 0;
  if (!header)
    return SG_OK;
  const sg_table *t = f->table;
  for (int i = 0; i < t->ncols; i++) {
    size_t l = strlen(t->cols[i]->name);
    if (i)
      f->buf[f->len++] = ',';
    memcpy(f->buf + f->len, t->cols[i]->name, l);
    f->len += l;
  }
  f->buf[f->len++] = '\n';
  return SG_OK;
}

static sg_err csv_rows(sg_format *f, const sg_row *rows, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (f->len + SG_CSV_ROW_MAX > f->cap) {
      sg_err e = sg_format_flush(f);
      if (e != SG_OK)
        return e;
    }
    f->len += sg_csv_row_of(f->table, f->buf + f->len, &rows[i]);
  }
  return SG_OK;
}

/* The longest line of cells: every field a text, quoted. */
#define CELLS_LINE_MAX (SG_CELLS_MAX * (2 * SG_CELL_TEXT_MAX + 3) + SG_CSV_ROW_MAX)

/* Lines of cells at `out` (room for n * CELLS_LINE_MAX bytes). A null
 * field is written as its text (the token that stood for the missing
 * value): CSV has no null. @return : bytes written. */
static size_t cells_text(const sg_table *t, const sg_cells *lines, size_t n, char *out)
{
  size_t len = 0;
  for (size_t i = 0; i < n; i++) {
    const sg_cells *l = &lines[i];
    for (int c = 0; c < t->ncols; c++) {
      if (c)
        out[len++] = ',';
      len += l->text[c] ? sg_csv_field(out + len, l->text[c]) : csv_column(t->cols[c], l->row, out + len);
    }
    out[len++] = '\n';
  }
  return len;
}

static void scratch_free(void *p)
{
  sg_buf_free(p);
  free(p);
}

/* The lines of one call stay in one flushed block (with csv.gz, one gzip
 * member): near the buffer's end they are made apart first, and the
 * buffer is flushed only when they do not fit. */
static sg_err csv_cells(sg_format *f, const sg_cells *lines, size_t n)
{
  if (f->len + n * CELLS_LINE_MAX <= f->cap) {
    f->len += cells_text(f->table, lines, n, f->buf + f->len);
    return SG_OK;
  }
  sg_buf *scratch = f->state;
  if (!scratch && (scratch = f->state = calloc(1, sizeof *scratch)) != NULL)
    f->free_state = scratch_free;
  if (!scratch || sg_buf_reserve(scratch, n * CELLS_LINE_MAX))
    return sg_seterr(SG_ENOMEM, "out of memory writing CSV");
  size_t len = cells_text(f->table, lines, n, (char *)scratch->p);
  if (f->len + len > f->cap) {
    sg_err e = sg_format_flush(f);
    if (e != SG_OK)
      return e;
  }
  memcpy(f->buf + f->len, scratch->p, len);
  f->len += len;
  return SG_OK;
}

static sg_err csv_end(sg_format *f) { return sg_format_finish(f); }

const sg_format_ops sg_format_csv = {
  .name = "csv", .extension = ".csv", .base = "csv", .codec = SG_CODEC_NONE, .reader = &sg_csv_reader_ops,
  .begin = csv_begin, .rows = csv_rows, .cells = csv_cells, .end = csv_end,
};

const sg_format_ops sg_format_csv_gz = {
  .name = "csv.gz", .extension = ".csv.gz", .base = "csv", .codec = SG_CODEC_GZIP, .reader = &sg_csv_reader_ops,
  .begin = csv_begin, .rows = csv_rows, .cells = csv_cells, .end = csv_end,
};

const sg_format_ops sg_format_csv_zst = {
  .name = "csv.zst", .extension = ".csv.zst", .base = "csv", .codec = SG_CODEC_ZSTD, .reader = &sg_csv_reader_ops,
  .begin = csv_begin, .rows = csv_rows, .cells = csv_cells, .end = csv_end,
};
