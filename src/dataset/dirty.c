/* dirty.c - see dirty.h. */
#include "spotgen/dataset/dirty.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "spotgen/base/numfmt.h"
#include "spotgen/format/format.h"
#include "spotgen/model/rng.h"

static const char *const KIND_NAMES[SG_DIRTY_KINDS] = {
  "missing", "out_of_range", "number_format", "bad_date", "whitespace", "mojibake",
  "category_variant", "swap", "duplicate", "near_duplicate"};

const char *sg_dirty_kind_name(int kind) { return KIND_NAMES[kind]; }

static int kind_find(const char *name)
{
  for (int k = 0; k < SG_DIRTY_KINDS; k++)
    if (strcmp(KIND_NAMES[k], name) == 0)
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
    const sg_column *tempo = sg_schema_find("tempo");
    d->factor[SG_DIRTY_MISSING][tempo - sg_schema_columns()][sg_category_find("sleep")] = SLEEP_TEMPO_FACTOR;
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
  const sg_column *c = sg_schema_find(col->valuestring);
  int g = sg_category_find(cat->valuestring);
  if (!c || c - sg_schema_columns() >= SG_NCOLS || !applies(k, (int)(c - sg_schema_columns())))
    return bad(source, key, "its column is not one this kind applies to");
  if (g < 0)
    return bad(source, key, "no such category; the categories are workout, sleep, party, chill, focus");
  if (!(f->valuedouble >= 0.0 && f->valuedouble <= 1000.0))
    return bad(source, key, "factor must be from 0 to 1000");
  d->factor[k][c - sg_schema_columns()][g] = f->valuedouble;
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
        const sg_column *c = sg_schema_find(cr->string);
        double r = 0;
        if (!c || c - sg_schema_columns() >= SG_NCOLS || !applies(k, (int)(c - sg_schema_columns())))
          return bad(source, key, "not a column this kind applies to");
        sg_err e = get_rate(cr, source, key, &r);
        if (e)
          return e;
        set_rate(d, k, (int)(c - sg_schema_columns()), r);
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
  const char *end = NULL;
  cJSON *doc = cJSON_ParseWithOpts(text, &end, 1);
  if (!doc) {
    int line = 1;
    for (const char *p = text; end && p < end; p++)
      line += *p == '\n';
    return sg_seterr(SG_EUSAGE, "--dirty %s: not valid JSON, or more than one value (near line %d); check the syntax",
                     source, line);
  }
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
    int k = kind_find(v->string);
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

/* ---- the corruptions ------------------------------------------------------- */

/* One row's cells: the clean text of each column, and the dirty text and
 * kind of those hit (kind -1: clean). */
typedef struct cells {
  char clean[SG_NCOLS][SG_DIRTY_CELL_MAX];
  char dirty[SG_NCOLS][SG_DIRTY_CELL_MAX];
  int kind[SG_NCOLS];
} cells;

static const char *const MISSING[] = {"", "NA", "null", "N/A", "-"};

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

/* Cell kind k on column c: its dirty text into out. 0 when the kind cannot
 * act on this value (nothing would change). */
static int corrupt(int k, int c, const sg_row *r, const cells *x, uint32_t v, char *out)
{
  const sg_column *col = &sg_schema_columns()[c];
  const char *clean = x->clean[c];
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

/* Appends `s` as one CSV field after a comma (none when first). */
static size_t field(char *out, const char *s, int first)
{
  size_t n = 0;
  if (!first)
    out[n++] = ',';
  return n + sg_csv_field(out + n, s);
}

static size_t ledger_line(char *out, uint64_t key, const char *column, int kind, const char *clean,
                          const char *dirty, uint64_t of, int copy, sg_dirty_counts *counts, int c)
{
  char k[17], o[17] = "";
  hex_key(k, key);
  if (copy)
    hex_key(o, of);
  size_t n = field(out, k, 1);
  n += field(out + n, column, 0);
  n += field(out + n, KIND_NAMES[kind], 0);
  n += field(out + n, clean, 0);
  n += field(out + n, dirty, 0);
  n += field(out + n, o, 0);
  out[n++] = '\n';
  counts->n[kind][c]++;
  counts->ledger++;
  return n;
}

/* One line of data: the key, then each cell, dirty where hit; copy `copy`
 * of the row, whose track name is `name` when not NULL. Its cells go to
 * the ledger. */
static void emit(const cells *x, uint64_t row, unsigned copy, const char *name, char *data, size_t *dn,
                 char *ledger, size_t *ln, sg_dirty_counts *counts)
{
  uint64_t key = sg_dirty_key(row, copy), of = sg_dirty_key(row, 0);
  char k[17];
  hex_key(k, key);
  size_t n = *dn;
  n += field(data + n, k, 1);
  for (int c = 0; c < SG_NCOLS; c++) {
    const char *v = x->kind[c] >= 0 ? x->dirty[c] : x->clean[c];
    if (name && c == 1)
      v = name;
    n += field(data + n, v, 0);
    if (x->kind[c] >= 0 && !(name && c == 1))
      *ln += ledger_line(ledger + *ln, key, sg_schema_columns()[c].name, x->kind[c], x->clean[c], v, of,
                         copy != 0, counts, c);
  }
  data[n++] = '\n';
  *dn = n;
  counts->rows++;
}

/* A row's words (sg_dirty_words): one per cell, deciding which kind hits it
 * if any; the row kinds' (swap, duplicate, near duplicate, the swap's
 * pair); one per cell choosing how; the near duplicate's choice. */
enum { W_CELL = 0, W_ROW = SG_NCOLS, W_HOW = SG_NCOLS + 4, W_NEAR = 2 * SG_NCOLS + 4 };
_Static_assert(W_NEAR < SG_DIRTY_WORDS, "SG_DIRTY_WORDS holds every word");

void sg_dirty_row(const sg_dirty *d, const sg_row *r, const uint32_t *w, char *data, size_t *data_len,
                  char *ledger, size_t *ledger_len, sg_dirty_counts *counts)
{
  static __thread cells x;
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
  if (!any) { /* most rows: the clean line, after its key */
    hex_key(data, sg_dirty_key(r->row, 0));
    data[16] = ',';
    *data_len = 17 + sg_csv_row(data + 17, r);
    *ledger_len = 0;
    counts->rows++;
    return;
  }
  for (int c = 0; c < SG_NCOLS; c++) {
    sg_csv_value(&sg_schema_columns()[c], r, x.clean[c]);
    x.kind[c] = hit[c] >= 0 && corrupt(hit[c], c, r, &x, w[W_HOW + c], x.dirty[c]) ? hit[c] : -1;
  }
  /* swap: two adjacent fields, both clean and different */
  if (w[W_ROW] < d->threshold[SG_DIRTY_SWAP][0][g]) {
    int c = (int)(w[W_ROW + 3] % (SG_NCOLS - 1));
    if (x.kind[c] < 0 && x.kind[c + 1] < 0 && strcmp(x.clean[c], x.clean[c + 1]) != 0) {
      strcpy(x.dirty[c], x.clean[c + 1]);
      strcpy(x.dirty[c + 1], x.clean[c]);
      x.kind[c] = x.kind[c + 1] = SG_DIRTY_SWAP;
    }
  }
  *data_len = *ledger_len = 0;
  emit(&x, r->row, 0, NULL, data, data_len, ledger, ledger_len, counts);
  const int dup = SG_DIRTY_DUPLICATE, near = SG_DIRTY_NEAR_DUPLICATE;
  if (w[W_ROW + 1] < d->threshold[dup][0][g]) {
    emit(&x, r->row, 1, NULL, data, data_len, ledger, ledger_len, counts);
    *ledger_len += ledger_line(ledger + *ledger_len, sg_dirty_key(r->row, 1), "", dup, "", "",
                               sg_dirty_key(r->row, 0), 1, counts, SG_DIRTY_ROW_COLUMN);
  }
  if (w[W_ROW + 2] < d->threshold[near][0][g]) {
    char name[SG_DIRTY_CELL_MAX];
    relisted(x.clean[1], w[W_NEAR], name);
    emit(&x, r->row, 2, name, data, data_len, ledger, ledger_len, counts);
    *ledger_len += ledger_line(ledger + *ledger_len, sg_dirty_key(r->row, 2), "track_name", near, x.clean[1],
                               name, sg_dirty_key(r->row, 0), 1, counts, 1);
  }
}

size_t sg_dirty_header(char *out)
{
  size_t n = (size_t)sprintf(out, "row_key");
  for (int c = 0; c < SG_NCOLS; c++)
    n += (size_t)sprintf(out + n, ",%s", sg_schema_columns()[c].name);
  out[n++] = '\n';
  return n;
}

size_t sg_dirty_ledger_header(char *out)
{
  return (size_t)sprintf(out, "row_key,column,kind,clean_value,dirty_value,duplicate_of\n");
}
