/* dirty_row.c - see dirty_row.h. */
#include "spotgen/format/dirty_row.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/base/numfmt.h"
#include "spotgen/format/format.h"
#include "spotgen/model/rng.h"

/* ---- the corruptions ------------------------------------------------------- */

static const char *const MISSING[] = {"", "NA", "null", "N/A", "-"};

enum { TRACK_NAME = 1 }; /* the column a near duplicate re-lists (schema.c's order; unit_dirty checks) */

/* Out of the column's range: above it or below it (loudness only above
 * 0 dB; tempo below it is 0; a duration below it is the negative; a date
 * is before 1900 or in the future). `v`: random bits. */
static void out_of_range(const sg_column *c, const sg_row *r, uint32_t v, char *out)
{
  const char *p = (const char *)r + c->offset;
  if (c->kind == SG_KIND_DATE) {
    int y = v & 1 ? 2030 + (int)(v >> 1) % 60 : 1800 + (int)(v >> 1) % 99;
    out[sg_fmt_date(out, sg_days_from_civil(y, 1 + (v >> 8) % 12, 1 + (v >> 12) % 28))] = '\0';
    return;
  }
  int64_t x = c->kind == SG_KIND_I64 ? *(const int64_t *)p : *(const int32_t *)p;
  double scale = pow(10.0, c->decimals);
  int64_t lo = (int64_t)llround(c->lo * scale), hi = (int64_t)llround(c->hi * scale);
  int64_t half = (hi - lo) / 2 > 1 ? (hi - lo) / 2 : 1;
  int above = v & 1;
  if (strcmp(c->name, "loudness") == 0)
    above = 1;
  if (strcmp(c->name, "num_followers") == 0)
    above = 0;
  int64_t y = above ? hi + 1 + (int64_t)((v >> 1) % (uint64_t)half) : lo - 1 - (int64_t)((v >> 1) % (uint64_t)half);
  if (!above && strcmp(c->name, "tempo") == 0)
    y = 0;
  if (!above && (strcmp(c->name, "duration_ms") == 0 || strcmp(c->name, "num_followers") == 0))
    y = x > 0 ? -x : -1;
  size_t n = c->kind == SG_KIND_FIXED ? sg_fmt_fixed(out, y, c->decimals) : sg_fmt_i64(out, y);
  out[n] = '\0';
}

/* 0.6543 -> 0,6543 and 1234567 -> 1,234,567; 0 when it would not change. */
static int number_format(const sg_column *c, const char *clean, char *out)
{
  if (c->kind == SG_KIND_FIXED) {
    strcpy(out, clean);
    *strchr(out, '.') = ',';
    return 1;
  }
  const char *digits = clean + (clean[0] == '-');
  size_t nd = strlen(digits);
  if (nd < 4)
    return 0;
  size_t n = 0;
  if (clean[0] == '-')
    out[n++] = '-';
  for (size_t i = 0; i < nd; i++) {
    if (i && (nd - i) % 3 == 0)
      out[n++] = ',';
    out[n++] = digits[i];
  }
  out[n] = '\0';
  return 1;
}

static void bad_date(int32_t days, uint32_t v, char *out)
{
  int y;
  unsigned m, d;
  sg_civil_from_days(days, &y, &m, &d);
  switch (v % 5) {
  case 0: snprintf(out, SG_DIRTY_CELL_MAX, "%04d", y); break;
  case 1: snprintf(out, SG_DIRTY_CELL_MAX, "%04d/%02u/%02u", y, m, d); break;
  case 2: snprintf(out, SG_DIRTY_CELL_MAX, "%02u-%02u-%04d", d, m, y); break;
  case 3: snprintf(out, SG_DIRTY_CELL_MAX, "%02u/%02u/%04d", m, d, y); break;
  default: snprintf(out, SG_DIRTY_CELL_MAX, "%04d-%02u", y, m); break;
  }
}

/* out = before, then the first n bytes of text, then after (names are under
 * SG_NAME_CAP bytes, so this fits in SG_DIRTY_CELL_MAX). */
static void join(char *out, const char *before, const char *text, size_t n, const char *after)
{
  size_t b = strlen(before), a = strlen(after);
  memcpy(out, before, b);
  memcpy(out + b, text, n);
  memcpy(out + b + n, after, a + 1);
}

static void whitespace(const char *clean, uint32_t v, char *out)
{
  const char *space = strchr(clean, ' ');
  size_t n = strlen(clean);
  switch (v % 4) {
  case 0: join(out, " ", clean, n, ""); break;
  case 1: join(out, "", clean, n, " "); break;
  case 2: join(out, "  ", clean, n, "  "); break;
  default:
    if (!space) {
      join(out, "", clean, n, "  ");
    } else { /* the first space doubled */
      join(out, "", clean, (size_t)(space - clean), " ");
      strcat(out, space);
    }
  }
}

/* The characters Windows-1252 gives bytes 0x80-0x9F (0: undefined there,
 * read as in Latin-1); bytes 0xA0-0xFF are Latin-1's. */
static const uint16_t CP1252[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
  0x0153, 0, 0x017E, 0x0178};

/* UTF-8 text decoded as Windows-1252 and encoded as UTF-8 again: Café ->
 * CafÃ©. 0 when it has no byte outside ASCII (nothing would change). */
static int mojibake(const char *clean, char *out)
{
  size_t n = 0;
  int changed = 0;
  for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
    unsigned u = *p;
    if (u < 0x80) {
      out[n++] = (char)u;
      continue;
    }
    changed = 1;
    if (u < 0xA0 && CP1252[u - 0x80])
      u = CP1252[u - 0x80];
    if (u < 0x800) {
      out[n++] = (char)(0xC0 | u >> 6);
      out[n++] = (char)(0x80 | (u & 0x3F));
    } else {
      out[n++] = (char)(0xE0 | u >> 12);
      out[n++] = (char)(0x80 | (u >> 6 & 0x3F));
      out[n++] = (char)(0x80 | (u & 0x3F));
    }
  }
  out[n] = '\0';
  return changed;
}

/* workout -> Workout, WORKOUT or wrkout (a letter dropped). */
static void category(const char *clean, uint32_t v, char *out)
{
  size_t len = strlen(clean);
  strcpy(out, clean);
  if (v % 3 == 0) {
    out[0] = (char)toupper((unsigned char)out[0]);
  } else if (v % 3 == 1) {
    for (size_t i = 0; i < len; i++)
      out[i] = (char)toupper((unsigned char)out[i]);
  } else if (len > 2) {
    size_t at = 1 + (v >> 2) % (len - 2);
    memmove(out + at, out + at + 1, len - at);
  }
}

/* A track re-listed: "Name ", "NAME", "Name (Remastered)" or "Name - Remastered". */
static void relisted(const char *clean, uint32_t v, char *out)
{
  switch (v % 4) {
  case 0: join(out, "", clean, strlen(clean), " "); break;
  case 1:
    strcpy(out, clean);
    for (char *p = out; *p; p++)
      *p = (char)toupper((unsigned char)*p);
    break;
  case 2: join(out, "", clean, strlen(clean), " (Remastered)"); break;
  default: join(out, "", clean, strlen(clean), " - Remastered"); break;
  }
}

/* Whether a typed format's column `c` can hold `text`. */
static int holds(int c, const char *text)
{
  int64_t i;
  double d;
  return sg_schema_parse(&sg_schema_columns()[c], text, strlen(text), &i, &d);
}

/* Cell kind k on column c: its dirty text into out. 0 when the kind cannot
 * act on this value (nothing would change). */
static int make_dirty(int k, int c, const sg_row *r, const char *clean, uint32_t v, char *out)
{
  const sg_column *col = &sg_schema_columns()[c];
  switch (k) {
  case SG_DIRTY_MISSING: strcpy(out, MISSING[v % 5]); return 1;
  case SG_DIRTY_OUT_OF_RANGE: out_of_range(col, r, v, out); return 1;
  case SG_DIRTY_NUMBER_FORMAT: return number_format(col, clean, out);
  case SG_DIRTY_BAD_DATE: bad_date(r->release_date, v, out); return 1;
  case SG_DIRTY_WHITESPACE: whitespace(clean, v, out); return 1;
  case SG_DIRTY_MOJIBAKE: return mojibake(clean, out);
  case SG_DIRTY_CATEGORY: category(clean, v, out); return strcmp(out, clean) != 0;
  default: return 0;
  }
}

/* make_dirty(), and 0 too when `typed` and the column's type could not
 * hold the result (a missing value is a null: any column holds it). */
static int corrupt(int k, int c, const sg_row *r, const char *clean, uint32_t v, int typed, char *out)
{
  return make_dirty(k, c, r, clean, v, out) && (!typed || k == SG_DIRTY_MISSING || holds(c, out));
}

void sg_dirty_words(uint64_t seed, uint64_t first, unsigned n, uint32_t *out)
{
  sg_philox_rows(seed, SG_STREAM_DIRTY, first, n, SG_DIRTY_WORDS / 4, out);
}

/* A row key as written: 16 lower-case hex digits and a NUL. */
static void hex_key(char *out, uint64_t key)
{
  for (int i = 15; i >= 0; i--, key >>= 4)
    out[i] = "0123456789abcdef"[key & 15];
  out[16] = '\0';
}

/* One line of the ledger, counted, and made unless `out` is NULL (the
 * caller wants only the counts). A duplicate's line has no column, values
 * or kind of cell: those fields are null; so is duplicate_of of a line
 * not about a copy, and dirty_value of a missing value. */
static void ledger_line(sg_dirty_lines *out, const char *key, int c, int kind, const char *clean,
                        const char *dirty, int missing, const char *of, sg_dirty_counts *counts)
{
  counts->n[kind][c]++;
  counts->ledger++;
  if (!out)
    return;
  sg_cells *l = &out->ledger[out->nledger++];
  int row = c == SG_DIRTY_ROW_COLUMN;
  l->row = NULL;
  l->text[0] = key;
  l->text[1] = row ? "" : sg_schema_columns()[c].name;
  l->text[2] = sg_dirty_kind_name(kind);
  l->text[3] = row ? "" : clean;
  l->text[4] = row ? "" : dirty;
  l->text[5] = of ? of : "";
  l->null = (row ? 1u << 1 | 1u << 3 | 1u << 4 : 0) | (missing ? 1u << 4 : 0) | (of ? 0 : 1u << 5);
}

/* Copy `copy` of the row, whose track name is `name` when not NULL: its
 * line (unless the data is not wanted), and its dirty cells to the ledger
 * (unless it is not wanted). */
static void emit(sg_dirty_lines *x, const sg_row *r, unsigned copy, const char *name, int want,
                 sg_dirty_counts *counts)
{
  sg_dirty_lines *ledger = want & SG_DIRTY_LEDGER ? x : NULL;
  sg_cells *l = want & SG_DIRTY_DATA ? &x->data[x->ndata++] : NULL;
  hex_key(x->key[copy], sg_dirty_key(r->row, copy));
  if (l) {
    l->row = r;
    l->text[0] = x->key[copy];
    l->null = 0;
  }
  for (int c = 0; c < SG_NCOLS; c++) {
    int near = name && c == TRACK_NAME, kind = x->kind[c];
    if (l) {
      l->text[1 + c] = near ? name : kind >= 0 ? x->dirty[c] : NULL;
      l->null |= (uint32_t)(kind == SG_DIRTY_MISSING && !near) << (1 + c);
    }
    if (kind >= 0 && !near)
      ledger_line(ledger, x->key[copy], c, kind, x->clean[c], x->dirty[c], kind == SG_DIRTY_MISSING,
                  copy ? x->of : NULL, counts);
  }
  counts->rows++;
}

/* Whether text `b` in column c reads as c's value `a` (sg_schema_same_value:
 * popularity 0 beside energy 0.3576 does), so that a swap of them would
 * leave a cell right. */
static int same_in(int c, const char *a, const char *b)
{
  return sg_schema_same_value(&sg_schema_columns()[c], a, strlen(a), b, strlen(b));
}

/* A row's words (sg_dirty_words): one per cell, deciding which kind hits it
 * if any; the row kinds' (swap, duplicate, near duplicate, the swap's
 * pair); one per cell choosing how; the near duplicate's choice. */
enum { W_CELL = 0, W_ROW = SG_NCOLS, W_HOW = SG_NCOLS + 4, W_NEAR = 2 * SG_NCOLS + 4 };
_Static_assert(W_NEAR < SG_DIRTY_WORDS, "SG_DIRTY_WORDS holds every word");

void sg_dirty_row(const sg_dirty *d, int typed, const sg_row *r, const uint32_t *w, int want,
                  sg_dirty_lines *x, sg_dirty_counts *counts)
{
  const int g = r->category;
  /* the kinds share a cell's word: kind k takes the k-th slice of its range */
  int hit[SG_NCOLS], any = 0;
  for (int c = 0; c < SG_NCOLS; c++) {
    uint64_t at = 0;
    hit[c] = -1;
    for (int k = 0; k < SG_DIRTY_CELL_KINDS && hit[c] < 0; k++)
      if (w[W_CELL + c] < (at += d->threshold[k][c][g]))
        hit[c] = k;
    any |= hit[c] >= 0;
  }
  for (int k = SG_DIRTY_SWAP; k < SG_DIRTY_KINDS; k++)
    any |= w[W_ROW + k - SG_DIRTY_SWAP] < d->threshold[k][0][g];
  x->ndata = x->nledger = 0;
  if (!any) { /* most rows: the clean line, after its key */
    if (want & SG_DIRTY_DATA) {
      sg_cells *l = &x->data[x->ndata++];
      hex_key(x->key[0], sg_dirty_key(r->row, 0));
      l->row = r;
      l->text[0] = x->key[0];
      for (int c = 0; c < SG_NCOLS; c++)
        l->text[1 + c] = NULL;
      l->null = 0;
    }
    counts->rows++;
    return;
  }
  for (int c = 0; c < SG_NCOLS; c++) {
    sg_csv_value(&sg_schema_columns()[c], r, x->clean[c]);
    x->kind[c] = hit[c] >= 0 && corrupt(hit[c], c, r, x->clean[c], w[W_HOW + c], typed, x->dirty[c]) ? hit[c] : -1;
  }
  /* swap: two adjacent fields, both clean and different as values in both
   * columns (and, typed, each of a type the other's column holds) */
  if (w[W_ROW] < d->threshold[SG_DIRTY_SWAP][0][g]) {
    int c = (int)(w[W_ROW + 3] % (SG_NCOLS - 1));
    if (x->kind[c] < 0 && x->kind[c + 1] < 0 && !same_in(c, x->clean[c], x->clean[c + 1]) &&
        !same_in(c + 1, x->clean[c + 1], x->clean[c]) &&
        (!typed || (holds(c, x->clean[c + 1]) && holds(c + 1, x->clean[c])))) {
      strcpy(x->dirty[c], x->clean[c + 1]);
      strcpy(x->dirty[c + 1], x->clean[c]);
      x->kind[c] = x->kind[c + 1] = SG_DIRTY_SWAP;
    }
  }
  hex_key(x->of, sg_dirty_key(r->row, 0));
  emit(x, r, 0, NULL, want, counts);
  sg_dirty_lines *ledger = want & SG_DIRTY_LEDGER ? x : NULL;
  const int dup = SG_DIRTY_DUPLICATE, near = SG_DIRTY_NEAR_DUPLICATE;
  if (w[W_ROW + 1] < d->threshold[dup][0][g]) {
    emit(x, r, 1, NULL, want, counts);
    ledger_line(ledger, x->key[1], SG_DIRTY_ROW_COLUMN, dup, "", "", 0, x->of, counts);
  }
  if (w[W_ROW + 2] < d->threshold[near][0][g]) {
    relisted(x->clean[TRACK_NAME], w[W_NEAR], x->name);
    emit(x, r, 2, x->name, want, counts);
    ledger_line(ledger, x->key[2], TRACK_NAME, near, x->clean[TRACK_NAME], x->name, 0, x->of, counts);
  }
}
