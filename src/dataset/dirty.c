/* dirty.c - see dirty.h. */
#include "spotgen/dataset/dirty.h"
#include "spotgen/base/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


static const char *const KIND_NAMES[SG_DIRTY_KINDS] = {
  "missing", "out_of_range", "number_format", "bad_date", "whitespace", "mojibake",
  "category_variant", "swap", "duplicate", "near_duplicate"};

const char *sg_dirty_kind_name(int kind) { return KIND_NAMES[kind]; }

int sg_dirty_kind_find(const char *name, size_t n)
{
  for (int k = 0; k < SG_DIRTY_KINDS; k++)
    if (strlen(KIND_NAMES[k]) == n && memcmp(KIND_NAMES[k], name, n) == 0)
      return k;
  return -1;
}

static int row_kind(int kind) { return kind >= SG_DIRTY_CELL_KINDS; }

/* Whether kind `k` can act on column `c` at all (the row kinds: column 0). */
static int applies(int k, int c)
{
  const sg_column *col = &sg_schema_columns()[c];
  switch (k) {
  case SG_DIRTY_MISSING: return 1;
  case SG_DIRTY_OUT_OF_RANGE:
    return col->kind == SG_KIND_I32 || col->kind == SG_KIND_I64 || col->kind == SG_KIND_FIXED ||
           col->kind == SG_KIND_DATE;
  case SG_DIRTY_NUMBER_FORMAT:
    return col->kind == SG_KIND_FIXED || col->kind == SG_KIND_I64 || strcmp(col->name, "duration_ms") == 0;
  case SG_DIRTY_BAD_DATE: return col->kind == SG_KIND_DATE;
  case SG_DIRTY_WHITESPACE:
  case SG_DIRTY_MOJIBAKE: return col->kind == SG_KIND_STR;
  case SG_DIRTY_CATEGORY: return col->kind == SG_KIND_TEXT_REF;
  default: return c == 0;
  }
}

/* ---- rates ----------------------------------------------------------------- */

static void set_rate(sg_dirty *d, int k, int c, double rate)
{
  d->rate[k][c] = rate;
  for (int g = 0; g < SG_NCAT; g++)
    d->factor[k][c][g] = 1.0;
}

/* Every cell the kind applies to at `rate`. */
static void set_kind(sg_dirty *d, int k, double rate)
{
  for (int c = 0; c < SG_NCOLS; c++)
    if (applies(k, c))
      set_rate(d, k, c, rate);
}

/* The thresholds of the words; the cell kinds of a cell share one word, so
 * their rates (times the category's factor) may add up to 1 at most. */
static sg_err thresholds(sg_dirty *d, const char *source)
{
  for (int c = 0; c < SG_NCOLS; c++)
    for (int g = 0; g < SG_NCAT; g++) {
      double sum = 0;
      for (int k = 0; k < SG_DIRTY_KINDS; k++) {
        double p = d->rate[k][c] * d->factor[k][c][g];
        sum += k < SG_DIRTY_CELL_KINDS ? p : 0;
        d->threshold[k][c][g] = p >= 1.0 ? (uint64_t)1 << 32 : (uint64_t)llround(p * 4294967296.0);
      }
      if (sum > 1.0 + 1e-9)
        return sg_seterr(SG_EUSAGE, "--dirty %s: the rates of column %s add up to %.4g in %s playlists; "
                         "a cell takes one kind at most, so they may add up to 1", source,
                         sg_schema_columns()[c].name, sum, sg_category_name(g));
    }
  return SG_OK;
}

/* The built-in profiles: a rate per kind, and tempo missing four times as
 * often in sleep playlists (quiet tracks defeat beat trackers). */
static const struct {
  const char *name;
  double rate[SG_DIRTY_KINDS];
} PROFILES[] = {
  /*                missing oor    numfmt bad_date space  mojibake categ  swap    dup    near */
  {"light",        {0.002, 0.0005, 0.001, 0.005, 0.002, 0.002, 0.002, 0.0005, 0.002, 0.001}},
  {"realistic",    {0.01,  0.002,  0.005, 0.02,  0.01,  0.01,  0.01,  0.002,  0.01,  0.005}},
  {"hostile",      {0.05,  0.01,   0.03,  0.10,  0.05,  0.05,  0.05,  0.01,   0.04,  0.02}},
};
#define NPROFILES (sizeof PROFILES / sizeof PROFILES[0])
#define SLEEP_TEMPO_FACTOR 4.0

int sg_dirty_is_profile(const char *arg)
{
  for (size_t i = 0; i < NPROFILES; i++)
    if (strcmp(PROFILES[i].name, arg) == 0)
      return 1;
  return 0;
}

sg_err sg_dirty_profile(sg_dirty *d, const char *name)
{
  memset(d, 0, sizeof *d);
  for (size_t i = 0; i < NPROFILES; i++) {
    if (strcmp(PROFILES[i].name, name) != 0)
      continue;
    snprintf(d->profile, sizeof d->profile, "%s", name);
    for (int k = 0; k < SG_DIRTY_KINDS; k++)
      set_kind(d, k, PROFILES[i].rate[k]);
    d->factor[SG_DIRTY_MISSING][sg_schema_index("tempo", 5)][sg_category_find("sleep")] = SLEEP_TEMPO_FACTOR;
    return thresholds(d, name);
  }
  return sg_seterr(SG_EUSAGE, "--dirty %s: no such profile; give light, realistic, hostile or a FILE.json", name);
}

static sg_err bad(const char *source, const char *key, const char *why)
{
  return sg_seterr(SG_EUSAGE, "--dirty %s: %s: %s", source, key, why);
}

static sg_err get_rate(const cJSON *v, const char *source, const char *key, double *out)
{
  if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0.0 && v->valuedouble <= 1.0))
    return bad(source, key, "must be a number from 0 to 1");
  *out = v->valuedouble;
  return SG_OK;
}

/* {"column": C, "category": G, "factor": F}: kind k hits column C F times
 * as often in rows of playlists of category G. */
static sg_err apply_when(sg_dirty *d, int k, const cJSON *w, const char *source)
{
  char key[96];
  snprintf(key, sizeof key, "%s.when", KIND_NAMES[k]);
  const cJSON *col = cJSON_GetObjectItemCaseSensitive(w, "column");
  const cJSON *cat = cJSON_GetObjectItemCaseSensitive(w, "category");
  const cJSON *f = cJSON_GetObjectItemCaseSensitive(w, "factor");
  if (!cJSON_IsObject(w) || cJSON_GetArraySize(w) != 3 || !cJSON_IsString(col) || !cJSON_IsString(cat) ||
      !cJSON_IsNumber(f))
    return bad(source, key, "each entry is {\"column\": NAME, \"category\": NAME, \"factor\": NUMBER}");
  int c = sg_schema_index(col->valuestring, strlen(col->valuestring));
  int g = sg_category_find(cat->valuestring);
  if (c < 0 || !applies(k, c))
    return bad(source, key, "its column is not one this kind applies to");
  if (g < 0)
    return bad(source, key, "no such category; the categories are workout, sleep, party, chill, focus");
  if (!(f->valuedouble >= 0.0 && f->valuedouble <= 1000.0))
    return bad(source, key, "factor must be from 0 to 1000");
  d->factor[k][c][g] = f->valuedouble;
  return SG_OK;
}

/* One kind's object: {"rate": R, "columns": {NAME: R, ...}, "when": [...]}. */
static sg_err apply_kind(sg_dirty *d, int k, const cJSON *o, const char *source)
{
  if (!cJSON_IsObject(o))
    return bad(source, KIND_NAMES[k], "must be an object such as {\"rate\": 0.01}");
  const cJSON *v;
  cJSON_ArrayForEach(v, o) {
    char key[96];
    snprintf(key, sizeof key, "%s.%s", KIND_NAMES[k], v->string);
    if (strcmp(v->string, "rate") == 0) {
      double r = 0;
      sg_err e = get_rate(v, source, key, &r);
      if (e)
        return e;
      set_kind(d, k, r);
    } else if (strcmp(v->string, "columns") == 0 && !row_kind(k)) {
      if (!cJSON_IsObject(v))
        return bad(source, key, "must be an object of column names and rates");
      const cJSON *cr;
      cJSON_ArrayForEach(cr, v) {
        snprintf(key, sizeof key, "%s.columns.%s", KIND_NAMES[k], cr->string);
        int c = sg_schema_index(cr->string, strlen(cr->string));
        double r = 0;
        if (c < 0 || !applies(k, c))
          return bad(source, key, "not a column this kind applies to");
        sg_err e = get_rate(cr, source, key, &r);
        if (e)
          return e;
        set_rate(d, k, c, r);
      }
    } else if (strcmp(v->string, "when") == 0 && !row_kind(k)) {
      if (!cJSON_IsArray(v))
        return bad(source, key, "must be a list of {\"column\", \"category\", \"factor\"}");
      const cJSON *w;
      cJSON_ArrayForEach(w, v) {
        sg_err e = apply_when(d, k, w, source);
        if (e)
          return e;
      }
    } else {
      return bad(source, key, row_kind(k) ? "unknown key; a row kind takes only \"rate\""
                                          : "unknown key; the keys are rate, columns, when");
    }
  }
  return SG_OK;
}

sg_err sg_dirty_apply_json(sg_dirty *d, const char *text, const char *source)
{
  cJSON *doc = sg_json_parse(text, NULL);
  if (!doc)
    return sg_seterr(SG_EUSAGE, "--dirty %s: %s; check the syntax", source, sg_json_error());
  sg_err e = SG_OK;
  memset(d, 0, sizeof *d);
  if (!cJSON_IsObject(doc))
    e = bad(source, "(top)", "must be an object of kinds, e.g. {\"base\": \"light\", \"missing\": {\"rate\": 0.02}}");
  const cJSON *base = cJSON_GetObjectItemCaseSensitive(doc, "base");
  if (e == SG_OK && base)
    e = cJSON_IsString(base) && sg_dirty_is_profile(base->valuestring)
            ? sg_dirty_profile(d, base->valuestring)
            : bad(source, "base", "must name a profile: light, realistic or hostile");
  snprintf(d->profile, sizeof d->profile, "%s", source);
  const cJSON *v;
  cJSON_ArrayForEach(v, doc) {
    if (e != SG_OK)
      break;
    if (strcmp(v->string, "base") == 0)
      continue;
    int k = sg_dirty_kind_find(v->string, strlen(v->string));
    e = k < 0 ? bad(source, v->string,
                    "unknown key; the kinds are missing, out_of_range, number_format, bad_date, whitespace, "
                    "mojibake, category_variant, swap, duplicate, near_duplicate (and base)")
              : apply_kind(d, k, v, source);
    if (e)
      break;
  }
  cJSON_Delete(doc);
  return e == SG_OK ? thresholds(d, source) : e;
}

cJSON *sg_dirty_json(const sg_dirty *d)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "profile", d->profile);
  cJSON *rates = cJSON_AddObjectToObject(o, "rates");
  for (int k = 0; k < SG_DIRTY_KINDS; k++) {
    cJSON *kr = cJSON_AddObjectToObject(rates, KIND_NAMES[k]);
    if (row_kind(k)) {
      cJSON_AddNumberToObject(kr, "rate", d->rate[k][0]);
      continue;
    }
    cJSON *cols = cJSON_AddObjectToObject(kr, "columns");
    cJSON *when = cJSON_AddArrayToObject(kr, "when");
    for (int c = 0; c < SG_NCOLS; c++) {
      if (!applies(k, c))
        continue;
      cJSON_AddNumberToObject(cols, sg_schema_columns()[c].name, d->rate[k][c]);
      for (int g = 0; g < SG_NCAT; g++) {
        if (d->factor[k][c][g] == 1.0 || d->rate[k][c] == 0.0)
          continue;
        cJSON *w = cJSON_CreateObject();
        cJSON_AddStringToObject(w, "column", sg_schema_columns()[c].name);
        cJSON_AddStringToObject(w, "category", sg_category_name(g));
        cJSON_AddNumberToObject(w, "factor", d->factor[k][c][g]);
        cJSON_AddItemToArray(when, w);
      }
    }
  }
  return o;
}

cJSON *sg_dirty_counts_json(const sg_dirty_counts *n)
{
  cJSON *o = cJSON_CreateObject();
  for (int k = 0; k < SG_DIRTY_KINDS; k++) {
    cJSON *kc = cJSON_AddObjectToObject(o, KIND_NAMES[k]);
    for (int c = 0; c <= SG_NCOLS; c++)
      if (n->n[k][c])
        cJSON_AddNumberToObject(kc, c == SG_DIRTY_ROW_COLUMN ? "rows" : sg_schema_columns()[c].name,
                                (double)n->n[k][c]);
  }
  return o;
}

void sg_dirty_counts_merge(sg_dirty_counts *into, const sg_dirty_counts *from)
{
  for (int k = 0; k < SG_DIRTY_KINDS; k++)
    for (int c = 0; c <= SG_NCOLS; c++)
      into->n[k][c] += from->n[k][c];
  into->rows += from->rows;
  into->ledger += from->ledger;
}

/* ---- row keys: a bijection of 64 bits ------------------------------------ */

#define WEYL 0x9e3779b97f4a7c15ull /* so that row 0 has no key of zeros */
#define MIX1 0xbf58476d1ce4e5b9ull
#define MIX2 0x94d049bb133111ebull

static uint64_t inverse_odd(uint64_t a) /* a * x == 1 mod 2^64 (Newton) */
{
  uint64_t x = a;
  for (int i = 0; i < 6; i++)
    x *= 2 - a * x;
  return x;
}

static uint64_t unshift(uint64_t y, int s) /* the x with x ^ (x >> s) == y */
{
  for (int k = s; k < 64; k *= 2)
    y ^= y >> k;
  return y;
}

uint64_t sg_dirty_key(uint64_t row, unsigned copy)
{
  uint64_t x = row * 4 + copy + WEYL;
  x ^= x >> 30;
  x *= MIX1;
  x ^= x >> 27;
  x *= MIX2;
  x ^= x >> 31;
  return x;
}

uint64_t sg_dirty_key_row(uint64_t key, unsigned *copy)
{
  uint64_t x = unshift(key, 31);
  x *= inverse_odd(MIX2);
  x = unshift(x, 27);
  x *= inverse_odd(MIX1);
  x = unshift(x, 30) - WEYL;
  *copy = (unsigned)(x & 3);
  return x >> 2;
}
