/* score.c - `spotgen score CLEANED --truth DIR` (see score.h). */
#include "spotgen/cmd/score.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spotgen/base/buf.h"
#include "spotgen/base/err.h"
#include "spotgen/lake/shape.h"
#include "spotgen/base/numfmt.h"
#include "spotgen/cmd/cli.h"
#include "spotgen/dataset/dirty.h"
#include "spotgen/dataset/manifest.h"
#include "spotgen/format/rows_in.h"
#include "spotgen/format/format.h"
#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/model/model.h"
#include "spotgen/store/source.h"

#define MANIFEST_MAX (64u << 20)
#define NO_COLUMN SG_NCOLS

/* A dirty cell of one of the dataset's rows (not of a copy), from the ledger. */
typedef struct cell {
  uint64_t key;     /* the row's key */
  uint32_t clean;   /* offsets of its texts in the arena */
  uint32_t dirty;
  uint8_t col;
  uint8_t kind;
  uint8_t used;
} cell;

/* What each kind and column came to. */
typedef struct tally {
  uint64_t dirty;   /* cells the ledger names, of the dataset's rows */
  uint64_t fixed;   /* of them, right in the cleaning */
  uint64_t changed; /* of them, given a value other than the dirty one */
  uint64_t nulled;  /* of them, left empty (a null: marked missing, not a value) */
} tally;

typedef struct scorer {
  const sg_score_options *o;
  cJSON *manifest;
  uint64_t rows, seed;
  sg_config cfg;
  sg_copula copula;
  sg_model *model;
  cell *cells;
  size_t cap, n;
  sg_buf arena;
  uint8_t *copies;  /* per row: bit 1, a duplicate exists; bit 2, a near duplicate */
  uint8_t *seen;    /* per row: bit c, copy c is in the cleaning */
  tally t[SG_DIRTY_KINDS][SG_NCOLS];
  uint64_t broken[SG_NCOLS]; /* clean cells the cleaning made wrong */
  uint64_t wrong[SG_NCOLS];  /* cells wrong in the cleaning, every row it kept */
  int have[SG_NCOLS];        /* the cleaning has the column */
  int key_at;                /* the cleaning's row_key field */
  int field_at[SG_NCOLS];    /* each column's field, or -1 */
  uint64_t lines, kept, bad_keys, unknown_keys, repeated, disagree;
  uint64_t copies_of[3];     /* copies of kind 1 (duplicate) and 2 (near) */
  char files[4096];          /* the cleaning's files read, for messages */
  int nfiles;
} scorer;

/* ---- the truth ------------------------------------------------------------ */

static uint64_t slot_of(uint64_t key, int col, size_t cap)
{
  uint64_t h = (key ^ (uint64_t)col * 0x9e3779b97f4a7c15ull) * 0xff51afd7ed558ccdull;
  return (h ^ h >> 29) & (cap - 1);
}

static cell *find(const scorer *s, uint64_t key, int col)
{
  for (uint64_t i = slot_of(key, col, s->cap);; i = (i + 1) & (s->cap - 1)) {
    cell *c = &s->cells[i];
    if (!c->used || (c->key == key && c->col == col))
      return c;
  }
}

static uint32_t keep_text(scorer *s, const char *p, size_t n)
{
  uint32_t at = (uint32_t)s->arena.len;
  sg_buf_put(&s->arena, p, n);
  sg_buf_put(&s->arena, "", 1);
  return at;
}

static sg_err add_cell(scorer *s, uint64_t key, int col, int kind, const char *clean, size_t cn,
                       const char *dirty, size_t dn)
{
  if (2 * (s->n + 1) > s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 1u << 16;
    cell *old = s->cells;
    size_t ocap = s->cap;
    if (!(s->cells = calloc(cap, sizeof *s->cells)))
      return sg_seterr(SG_ENOMEM, "out of memory reading the ledger");
    s->cap = cap;
    for (size_t i = 0; i < ocap; i++)
      if (old[i].used)
        *find(s, old[i].key, old[i].col) = old[i];
    free(old);
  }
  cell *c = find(s, key, col);
  if (c->used)
    return sg_seterr(SG_EUSAGE, "the ledger names row %016llx's %s twice; it is damaged: generate the dataset again",
                     (unsigned long long)key, sg_schema_columns()[col].name);
  *c = (cell){key, keep_text(s, clean, cn), keep_text(s, dirty, dn), (uint8_t)col, (uint8_t)kind, 1};
  s->n++;
  s->t[kind][col].dirty++;
  return s->arena.failed ? sg_seterr(SG_ENOMEM, "out of memory reading the ledger") : SG_OK;
}

/* 16 hex digits, either case (a spreadsheet may have upper-cased them):
 * the key; -1 for anything else. */
static int parse_key(const char *p, size_t n, uint64_t *key)
{
  if (n != 16)
    return -1;
  uint64_t k = 0;
  for (size_t i = 0; i < 16; i++) {
    char ch = p[i];
    int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
          : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
    if (d < 0)
      return -1;
    k = k << 4 | (uint64_t)d;
  }
  *key = k;
  return 0;
}

/* One ledger line: row_key, column, kind, clean_value, dirty_value, duplicate_of. */
static sg_err ledger_line(void *ctx, const sg_record *r, const char *name)
{
  scorer *s = ctx;
  uint64_t key;
  unsigned copy;
  int kind = r->nfields == 6 ? sg_dirty_kind_find(r->field[2], r->flen[2]) : -1;
  int col = r->nfields == 6 && r->flen[1] ? sg_schema_index(r->field[1], r->flen[1]) : NO_COLUMN;
  if (kind < 0 || col < 0 || parse_key(r->field[0], r->flen[0], &key) != 0)
    return sg_seterr(SG_EUSAGE, "%s, record %llu: not a line of spotgen's ledger; the truth is damaged",
                     name, (unsigned long long)r->record);
  uint64_t row = sg_dirty_key_row(key, &copy);
  if (row >= s->rows || copy > 2)
    return sg_seterr(SG_EUSAGE, "%s, record %llu: row key %016llx is not of this dataset's %llu rows", name,
                     (unsigned long long)r->record, (unsigned long long)key, (unsigned long long)s->rows);
  if (kind == SG_DIRTY_DUPLICATE || kind == SG_DIRTY_NEAR_DUPLICATE) {
    s->copies[row] |= (uint8_t)(1u << copy);
    s->copies_of[copy]++;
    return SG_OK;
  }
  if (copy != 0 || col == NO_COLUMN) /* a copy's cells are its row's: scored through its row */
    return SG_OK;
  return add_cell(s, key, col, kind, r->field[3], r->flen[3], r->field[4], r->flen[4]);
}

static sg_err ledger_head(void *ctx, const sg_record *r, const char *name)
{
  (void)ctx;
  static const char *const WANT[] = {"row_key", "column", "kind", "clean_value", "dirty_value", "duplicate_of"};
  int ok = r->nfields == 6;
  for (int i = 0; ok && i < 6; i++)
    ok = r->flen[i] == strlen(WANT[i]) && memcmp(r->field[i], WANT[i], r->flen[i]) == 0;
  return ok ? SG_OK : sg_seterr(SG_EUSAGE, "%s: not spotgen's ledger (its header is not row_key,column,kind,...)", name);
}

static double num(const cJSON *o, const char *k)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* The manifest, the model it names, and the ledger. */
static sg_err load_truth(scorer *s)
{
  const char *dir = s->o->truth;
  sg_s3_options so = sg_s3_options_from(&s->o->s3);
  sg_source *src = NULL;
  sg_err e = sg_source_open(dir, &so, &src);
  if (e == SG_OK)
    e = sg_manifest_read(src, dir, &s->manifest);
  const cJSON *ds = e == SG_OK ? cJSON_GetObjectItemCaseSensitive(s->manifest, "dataset") : NULL;
  if (e == SG_OK && !cJSON_GetObjectItemCaseSensitive(ds, "dirty"))
    e = sg_seterr(SG_EUSAGE, "--truth %s: not a dirty dataset (no dataset.dirty in its manifest); give the folder "
                  "generate --dirty wrote", dir);
  if (e == SG_OK) {
    double rows = num(ds, "rows"), seed = num(ds, "seed");
    if (!(rows >= 1 && rows <= 1e12 && seed >= 0 && seed <= 9007199254740991.0))
      e = sg_seterr(SG_EUSAGE, "--truth %s: its manifest has no valid rows and seed; generate it again", dir);
    s->rows = (uint64_t)rows;
    s->seed = (uint64_t)seed;
  }
  sg_config_default(&s->cfg);
  const cJSON *cfg = e == SG_OK ? cJSON_GetObjectItemCaseSensitive(s->manifest, "config") : NULL;
  if (cfg && sg_config_apply(&s->cfg, cfg, "(the truth's manifest)") != SG_OK)
    e = sg_seterr(SG_EUSAGE, "--truth %s: its config section is invalid: %s", dir, sg_errmsg(SG_EUSAGE));
  if (e == SG_OK)
    e = sg_copula_build(&s->copula, &s->cfg, "(the truth's manifest)");
  if (e == SG_OK) {
    s->model = malloc(sizeof *s->model);
    s->copies = calloc(s->rows, 1);
    s->seen = calloc(s->rows, 1);
    if (!s->model || !s->copies || !s->seen)
      e = sg_seterr(SG_ENOMEM, "out of memory for %llu rows", (unsigned long long)s->rows);
    else
      sg_model_init(s->model, s->seed, s->rows, &s->cfg, &s->copula);
  }
  /* the ledger's parts: the objects of the truth's shape that are ledgers */
  sg_file_list l = {NULL, 0, 0};
  sg_shape shape = {0};
  if (e == SG_OK)
    e = sg_shape_of_dataset(ds, dir, &shape);
  for (uint64_t o = 0; e == SG_OK && o < sg_shape_objects(&shape); o++) {
    char key[256];
    sg_shape_key(&shape, o, key, sizeof key);
    if (sg_shape_object(&shape, o).kind == SG_OBJECT_LEDGER && sg_file_list_add(&l, key) != 0)
      e = sg_seterr(SG_ENOMEM, "out of memory reading the ledger");
  }
  if (e == SG_OK)
    e = sg_rows_read_list(src, dir, &l, s, ledger_head, ledger_line);
  sg_file_list_free(&l);
  sg_shape_free(&shape);
  sg_source_close(src);
  return e;
}

/* ---- the cleaning ---------------------------------------------------------- */

static sg_err cleaning_head(void *ctx, const sg_record *r, const char *name)
{
  scorer *s = ctx;
  int key = -1, at[SG_NCOLS];
  for (int c = 0; c < SG_NCOLS; c++)
    at[c] = -1;
  for (int i = 0; i < r->nfields; i++) {
    const char *h = r->field[i];
    size_t n = r->flen[i];
    if (i == 0 && n >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0) { /* a byte-order mark (Excel's UTF-8) */
      h += 3;
      n -= 3;
    }
    int c = sg_schema_index(h, n);
    if ((n == 7 && memcmp(h, "row_key", 7) == 0 && key >= 0) || (c >= 0 && at[c] >= 0))
      return sg_seterr(SG_EUSAGE, "%s has two columns named %.*s; give each column once", name, (int)n, h);
    if (n == 7 && memcmp(h, "row_key", 7) == 0)
      key = i;
    if (c >= 0)
      at[c] = i;
  }
  if (key < 0)
    return sg_seterr(SG_EUSAGE, "%s has no row_key column: keep generate --dirty's row_key through the cleaning", name);
  if (s->nfiles++ == 0) {
    s->key_at = key;
    memcpy(s->field_at, at, sizeof at);
    for (int c = 0; c < SG_NCOLS; c++)
      s->have[c] = at[c] >= 0;
  } else if (key != s->key_at || memcmp(at, s->field_at, sizeof at) != 0) {
    return sg_seterr(SG_EUSAGE, "%s has other columns than %s; give every file of the cleaning the same header",
                     name, s->files);
  }
  if (!s->files[0])
    snprintf(s->files, sizeof s->files, "%.4000s", name);
  return SG_OK;
}

static sg_err cleaning_line(void *ctx, const sg_record *r, const char *name)
{
  scorer *s = ctx;
  (void)name;
  s->lines++;
  uint64_t key;
  unsigned copy;
  if (s->key_at >= r->nfields || parse_key(r->field[s->key_at], r->flen[s->key_at], &key) != 0) {
    s->bad_keys++;
    return SG_OK;
  }
  uint64_t row = sg_dirty_key_row(key, &copy);
  if (row >= s->rows || copy > 2 || (copy && !(s->copies[row] & (1u << copy)))) {
    s->unknown_keys++;
    return SG_OK;
  }
  if (s->seen[row] & (1u << copy)) {
    s->repeated++;
    return SG_OK;
  }
  s->seen[row] |= (uint8_t)(1u << copy);
  s->kept++;
  sg_row clean;
  char text[SG_CSV_ROW_MAX];
  sg_model_row(s->model, row, &clean);
  for (int c = 0; c < SG_NCOLS; c++) {
    int f = s->field_at[c];
    if (f < 0)
      continue;
    const sg_column *col = &sg_schema_columns()[c];
    const char *got = f < r->nfields ? r->field[f] : "";
    size_t gn = f < r->nfields ? r->flen[f] : 0;
    size_t cn = sg_csv_value(col, &clean, text);
    int right = sg_schema_same_value(col, got, gn, text, cn);
    s->wrong[c] += !right;
    if (copy)
      continue; /* a copy left in: its cells are counted wrong or right, its removal is scored below */
    cell *d = find(s, key, c);
    if (!d->used) {
      s->broken[c] += !right;
      continue;
    }
    const char *dirty = (const char *)s->arena.p + d->dirty;
    s->disagree += strcmp((const char *)s->arena.p + d->clean, text) != 0;
    tally *t = &s->t[d->kind][c];
    t->fixed += right;
    t->changed += gn > 0 && !sg_schema_same_value(col, got, gn, dirty, strlen(dirty));
    t->nulled += gn == 0;
  }
  return SG_OK;
}

/* Every file of the cleaning (CSV or Parquet): one file, or each under a
 * folder (or prefix). */
static sg_err read_cleaning(scorer *s)
{
  sg_s3_options so = sg_s3_options_from(&s->o->s3);
  sg_err e = sg_rows_read(s->o->cleaned, &so, "cleaning", "score", s, cleaning_head, cleaning_line);
  if (e == SG_OK && s->disagree) {
    const char *version = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(s->manifest, "generator"), "version"));
    if (version && strcmp(version, SPOTGEN_VERSION) == 0) /* this very version: the truth was changed */
      e = sg_seterr(SG_EUSAGE, "--truth %s: %llu ledger cells' clean values differ from what this spotgen's model "
                    "makes of the manifest's seed and configuration: the truth was changed since generate wrote "
                    "it; generate it again", s->o->truth, (unsigned long long)s->disagree);
    else
      e = sg_seterr(SG_EUSAGE, "--truth %s: %llu ledger cells' clean values differ from this spotgen's model (it "
                    "wrote %s, this is %s): score with the version that generated it", s->o->truth,
                    (unsigned long long)s->disagree, version ? version : "(unknown)", SPOTGEN_VERSION);
  }
  return e;
}

/* ---- the scores ------------------------------------------------------------- */

typedef struct dups {
  uint64_t copies, removed, right, lost; /* right: removals of a redundant row */
  uint64_t resolved[3];                  /* copies of each kind no longer beside their row */
} dups;

static dups score_duplicates(const scorer *s)
{
  dups d = {0};
  for (uint64_t row = 0; row < s->rows; row++) {
    unsigned members = 1u | s->copies[row];
    int size = __builtin_popcount(members), kept = __builtin_popcount(s->seen[row] & members);
    d.copies += (uint64_t)(size - 1);
    d.removed += (uint64_t)(size - kept);
    d.right += (uint64_t)(kept ? size - kept : size - 1);
    d.lost += kept == 0;
    for (unsigned c = 1; c < 3; c++)
      if ((members & (1u << c)) && kept && !((s->seen[row] & 1) && (s->seen[row] & (1u << c))))
        d.resolved[c]++;
  }
  return d;
}

static double ratio(uint64_t a, uint64_t b) { return b ? (double)a / (double)b : NAN; }

static void add_ratio(cJSON *o, const char *k, uint64_t a, uint64_t b)
{
  if (b)
    cJSON_AddNumberToObject(o, k, ratio(a, b));
  else
    cJSON_AddNullToObject(o, k);
}

static void add_numbers(cJSON *o, const char *const *names, const uint64_t *v, int n)
{
  for (int i = 0; i < n; i++)
    cJSON_AddNumberToObject(o, names[i], (double)v[i]);
}

static cJSON *score_json(const scorer *s, const dups *d)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "cleaned", s->o->cleaned);
  cJSON_AddStringToObject(o, "truth", s->o->truth);
  static const char *const ROWS[] = {"dataset", "dirty", "cleaned", "without_key", "unknown_key", "repeated_key"};
  const uint64_t rows[] = {s->rows, s->rows + d->copies, s->lines, s->bad_keys, s->unknown_keys, s->repeated};
  add_numbers(cJSON_AddObjectToObject(o, "rows"), ROWS, rows, 6);
  static const char *const DUPS[] = {"copies", "removed", "removed_right", "rows_lost"};
  const uint64_t removals[] = {d->copies, d->removed, d->right, d->lost};
  cJSON *dj = cJSON_AddObjectToObject(o, "duplicates");
  add_numbers(dj, DUPS, removals, 4);
  add_ratio(dj, "precision", d->right, d->removed);
  add_ratio(dj, "recall", d->right, d->copies);
  for (unsigned c = 1; c < 3; c++)
    add_ratio(dj, c == 1 ? "recall_duplicate" : "recall_near_duplicate", d->resolved[c], s->copies_of[c]);
  cJSON *kinds = cJSON_AddArrayToObject(o, "cells");
  uint64_t fixed = 0, changed = 0, dirty = 0, broken = 0, wrong = 0;
  for (int k = 0; k <= SG_DIRTY_SWAP; k++) /* the kinds of cells */
    for (int c = 0; c < SG_NCOLS; c++) {
      const tally *t = &s->t[k][c];
      if (!t->dirty || !s->have[c])
        continue;
      cJSON *e = cJSON_CreateObject();
      cJSON_AddStringToObject(e, "kind", sg_dirty_kind_name(k));
      cJSON_AddStringToObject(e, "column", sg_schema_columns()[c].name);
      static const char *const TALLY[] = {"dirty", "fixed", "changed", "nulled"};
      const uint64_t counts[] = {t->dirty, t->fixed, t->changed, t->nulled};
      add_numbers(e, TALLY, counts, 4);
      add_ratio(e, "precision", t->fixed, t->changed);
      add_ratio(e, "recall", t->fixed, t->dirty);
      cJSON_AddItemToArray(kinds, e);
      fixed += t->fixed;
      changed += t->changed;
      dirty += t->dirty;
    }
  cJSON *cols = cJSON_AddObjectToObject(o, "columns");
  for (int c = 0; c < SG_NCOLS; c++) {
    cJSON *e = cJSON_AddObjectToObject(cols, sg_schema_columns()[c].name);
    if (!s->have[c]) {
      cJSON_AddFalseToObject(e, "in_cleaning");
      continue;
    }
    cJSON_AddNumberToObject(e, "broken", (double)s->broken[c]);
    cJSON_AddNumberToObject(e, "still_wrong", (double)s->wrong[c]);
    broken += s->broken[c];
    wrong += s->wrong[c];
  }
  cJSON *all = cJSON_AddObjectToObject(o, "overall");
  cJSON_AddNumberToObject(all, "dirty_cells", (double)dirty);
  cJSON_AddNumberToObject(all, "fixed", (double)fixed);
  cJSON_AddNumberToObject(all, "clean_cells_broken", (double)broken);
  cJSON_AddNumberToObject(all, "cells_still_wrong", (double)wrong);
  add_ratio(all, "precision", fixed, changed + broken);
  add_ratio(all, "recall", fixed, dirty);
  return o;
}

static void print_ratio(double r)
{
  if (isnan(r))
    printf("  %9s", "-");
  else
    printf("  %9.4f", r);
}

static void print_score(const cJSON *o)
{
  const cJSON *rows = cJSON_GetObjectItemCaseSensitive(o, "rows"), *d = cJSON_GetObjectItemCaseSensitive(o, "duplicates");
  const cJSON *all = cJSON_GetObjectItemCaseSensitive(o, "overall");
  char a[32], b[32], c[32];
  printf("spotgen score: %s against the truth in %s\n", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "cleaned")),
         cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "truth")));
  printf("rows: %s in the dirty data (%s of the dataset and their copies), %s in the cleaning", sg_fmt_group(a, (uint64_t)num(rows, "dirty")),
         sg_fmt_group(b, (uint64_t)num(rows, "dataset")), sg_fmt_group(c, (uint64_t)num(rows, "cleaned")));
  printf("; %.0f without a row key, %.0f of unknown keys, %.0f repeated\n", num(rows, "without_key"), num(rows, "unknown_key"),
         num(rows, "repeated_key"));
  printf("\nduplicates: %.0f copies; %.0f rows removed, %.0f of them redundant; %.0f rows lost with all their copies\n",
         num(d, "copies"), num(d, "removed"), num(d, "removed_right"), num(d, "rows_lost"));
  printf("  precision");
  print_ratio(num(d, "precision"));
  printf("   recall");
  print_ratio(num(d, "recall"));
  printf("   (exact duplicates");
  print_ratio(num(d, "recall_duplicate"));
  printf(", near duplicates");
  print_ratio(num(d, "recall_near_duplicate"));
  printf(")\n\n%-16s %-18s %9s %9s %9s %9s %10s %10s\n", "kind", "column", "dirty", "fixed", "changed", "nulled",
         "precision", "recall");
  const cJSON *e;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "cells")) {
    printf("%-16s %-18s %9.0f %9.0f %9.0f %9.0f", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "kind")),
           cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "column")), num(e, "dirty"), num(e, "fixed"),
           num(e, "changed"), num(e, "nulled"));
    print_ratio(num(e, "precision"));
    print_ratio(num(e, "recall"));
    printf("\n");
  }
  printf("\n%-18s %12s %12s\n", "column", "broken", "still wrong");
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(o, "columns")) {
    if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(e, "in_cleaning")))
      printf("%-18s %25s\n", e->string, "not in the cleaning");
    else
      printf("%-18s %12.0f %12.0f\n", e->string, num(e, "broken"), num(e, "still_wrong"));
  }
  printf("\ncells: %.0f dirty, %.0f fixed, %.0f clean ones broken, %.0f still wrong; precision",
         num(all, "dirty_cells"), num(all, "fixed"), num(all, "clean_cells_broken"), num(all, "cells_still_wrong"));
  print_ratio(num(all, "precision"));
  printf(", recall");
  print_ratio(num(all, "recall"));
  printf("\n");
}

int sg_score_main(int argc, char **argv)
{
  sg_score_options o;
  sg_err e = sg_cli_score(argc, argv, &o);
  if (e != SG_OK || o.help)
    return sg_cli_answer(e, sg_usage_score);
  scorer *s = calloc(1, sizeof *s);
  if (!s)
    return sg_cli_answer(sg_seterr(SG_ENOMEM, "out of memory"), sg_usage_score);
  s->o = &o;
  e = load_truth(s);
  if (e == SG_OK)
    e = read_cleaning(s);
  if (e == SG_OK) {
    dups d = score_duplicates(s);
    cJSON *out = score_json(s, &d);
    if (o.json) {
      char *text = cJSON_Print(out);
      if (text)
        puts(text);
      free(text);
    } else {
      print_score(out);
    }
    cJSON_Delete(out);
  } else {
    fprintf(stderr, "spotgen: %s\n", sg_errmsg(e));
  }
  cJSON_Delete(s->manifest);
  free(s->model);
  free(s->cells);
  free(s->copies);
  free(s->seen);
  sg_buf_free(&s->arena);
  free(s);
  /* memory that ran out and signals keep their own statuses; any other
   * failure is of the input */
  return e == SG_OK ? 0 : e == SG_ENOMEM || e == SG_ESIGNAL ? sg_exit_status(e) : 2;
}
