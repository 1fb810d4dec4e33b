/* journal.c - see journal.h. */
#include "spotgen/dataset/journal.h"
#include "spotgen/base/json.h"
#include "spotgen/base/signals.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "spotgen-journal 1 "

/* The three sections that decide a dataset's bytes. */
static cJSON *params_json(const sg_dataset_info *d, const sg_config *cfg)
{
  cJSON *m = sg_manifest_new(d);
  if (!m)
    return NULL;
  cJSON *p = cJSON_CreateObject();
  if (p) {
    cJSON_AddItemToObject(p, "generator", cJSON_DetachItemFromObjectCaseSensitive(m, "generator"));
    cJSON_AddItemToObject(p, "dataset", cJSON_DetachItemFromObjectCaseSensitive(m, "dataset"));
    cJSON_AddItemToObject(p, "config", sg_config_json(cfg));
  }
  cJSON_Delete(m);
  return p;
}

char *sg_journal_params(const sg_dataset_info *d, const sg_config *cfg)
{
  cJSON *p = params_json(d, cfg);
  char *s = p ? cJSON_PrintUnformatted(p) : NULL;
  cJSON_Delete(p);
  return s;
}

size_t sg_journal_header(char *out, size_t cap, const char *params)
{
  int n = snprintf(out, cap, MAGIC "%s\n", params);
  return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

size_t sg_journal_line(char *out, size_t cap, const sg_part_entry *p)
{
  int n = snprintf(out, cap, "part %" PRIu64 " %" PRIu64 " %" PRIu64 " crc32:%08x %s\n", p->index, p->rows,
                   p->bytes, p->crc32, p->etag[0] ? p->etag : "-");
  return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

size_t sg_journal_file_line(char *out, size_t cap, const sg_part_file *f)
{
  const sg_part_entry *p = &f->entry;
  int n = snprintf(out, cap, "file %" PRIu64 " %" PRIu64 " %" PRIu64 " crc32:%08x %s %s\n", p->index, p->rows,
                   p->bytes, p->crc32, p->etag[0] ? p->etag : "-", f->key);
  return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

size_t sg_journal_pending_line(char *out, size_t cap, uint64_t index, const char *key)
{
  int n = snprintf(out, cap, "pending %" PRIu64 " %s\n", index, key);
  return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

sg_err sg_journal_init(sg_journal *jr, uint64_t parts)
{
  memset(jr, 0, sizeof *jr);
  jr->parts = parts;
  jr->entry = calloc(parts ? parts : 1, sizeof *jr->entry);
  jr->have = calloc(parts ? parts : 1, 1);
  if (!jr->entry || !jr->have) {
    sg_journal_free(jr);
    return sg_seterr(SG_ENOMEM, "out of memory for the record of %" PRIu64 " parts", parts);
  }
  return SG_OK;
}

void sg_journal_free(sg_journal *jr)
{
  free(jr->entry);
  free(jr->have);
  free(jr->files);
  jr->entry = NULL;
  jr->have = NULL;
  jr->files = NULL;
  jr->nfiles = jr->cap_files = 0;
}

static int file_order(const void *a, const void *b)
{
  const sg_part_file *x = a, *y = b;
  if (x->entry.index != y->entry.index)
    return x->entry.index < y->entry.index ? -1 : 1;
  return strcmp(x->key, y->key);
}

void sg_journal_sort(sg_journal *jr)
{
  if (!jr->nfiles)
    return;
  qsort(jr->files, jr->nfiles, sizeof *jr->files, file_order);
  /* a file listed twice (by two records, or written again: the same bytes) is kept once */
  size_t n = 1;
  for (size_t i = 1; i < jr->nfiles; i++)
    if (file_order(&jr->files[i], &jr->files[n - 1]) != 0)
      jr->files[n++] = jr->files[i];
  jr->nfiles = n;
}

const sg_part_file *sg_journal_files(const sg_journal *jr, uint64_t o, size_t *n)
{
  size_t lo = 0, hi = jr->nfiles;
  while (lo < hi) { /* the first of index >= o */
    size_t mid = lo + (hi - lo) / 2;
    if (jr->files[mid].entry.index < o)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < jr->nfiles && jr->files[end].entry.index == o)
    end++;
  *n = end - lo;
  return jr->files + lo;
}

/* The option a dataset key comes from, for the message. */
static const char *option_of(const char *key)
{
  static const char *const MAP[][2] = {
    {"seed", "--seed"}, {"rows", "--rows"}, {"rows_per_part", "--rows-per-part"},
    {"parts", "--parts or --rows-per-part"}, {"part_sizing", "--parts or --rows-per-part"},
    {"artists", "--artists"}, {"format", "--format"}, {"compression", "--format or --parquet-codec"},
    {"compression_level", "--compression-level"}, {"row_group_size", "--row-group-size"},
    {"parquet_bloom", "--parquet-bloom"},
    {"dirty", "--dirty"}, {"partition_by", "--partition-by"},
  };
  for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++)
    if (strcmp(MAP[i][0], key) == 0)
      return MAP[i][1];
  return key;
}

/* SG_OK when `was` (the recorded sections) equals this run's; otherwise a
 * message naming the first difference. */
static sg_err same_params(const cJSON *was, const char *params, const char *name)
{
  cJSON *now = sg_json_parse(params, NULL);
  if (!now)
    return sg_seterr(SG_ENOMEM, "out of memory comparing parameters");
  char what[200] = "";
  const cJSON *wv = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(was, "generator"), "version");
  const cJSON *nv = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(now, "generator"), "version");
  if (!cJSON_Compare(wv, nv, 1)) {
    snprintf(what, sizeof what, "it was written by spotgen %s, this is %s",
             cJSON_IsString(wv) ? wv->valuestring : "(unknown)", SPOTGEN_VERSION);
  } else {
    const cJSON *wd = cJSON_GetObjectItemCaseSensitive(was, "dataset");
    const cJSON *nd = cJSON_GetObjectItemCaseSensitive(now, "dataset");
    const cJSON *item;
    const cJSON *wdirty = cJSON_GetObjectItemCaseSensitive(wd, "dirty");
    const cJSON *ndirty = cJSON_GetObjectItemCaseSensitive(nd, "dirty");
    if ((wdirty || ndirty) && !cJSON_Compare(wdirty, ndirty, 1)) { /* a profile's name, not its rates */
      const char *wp = wdirty ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(wdirty, "profile")) : "(none)";
      const char *np = ndirty ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ndirty, "profile")) : "(none)";
      if (wp && np && strcmp(wp, np) == 0) /* the same file, its rates changed */
        snprintf(what, sizeof what, "it was started with --dirty %s holding other rates (the file changed since)", wp);
      else
        snprintf(what, sizeof what, "it was started with --dirty %s, not %s", wp ? wp : "?", np ? np : "?");
    }
    const cJSON *first = what[0] ? NULL : nd;
    cJSON_ArrayForEach(item, first)
    {
      const cJSON *w = cJSON_GetObjectItemCaseSensitive(wd, item->string);
      if (!cJSON_Compare(w, item, 1)) {
        char *a = w ? cJSON_PrintUnformatted(w) : NULL, *b = cJSON_PrintUnformatted(item);
        snprintf(what, sizeof what, "it was started with %s %s (%s), not %s", item->string,
                 a ? a : "(none)", option_of(item->string), b ? b : "?");
        free(a);
        free(b);
        break;
      }
    }
    if (!what[0] && cJSON_GetArraySize(wd) != cJSON_GetArraySize(nd))
      snprintf(what, sizeof what, "it was started with other dataset options");
    if (!what[0] && !cJSON_Compare(cJSON_GetObjectItemCaseSensitive(was, "config"),
                                   cJSON_GetObjectItemCaseSensitive(now, "config"), 1))
      snprintf(what, sizeof what, "it was started with another model configuration (--config, --playlist-size)");
  }
  cJSON_Delete(now);
  if (!what[0])
    return SG_OK;
  return sg_seterr(SG_EUSAGE, "cannot resume: %s says %s; give the same options to resume, or --overwrite to start again",
                   name, what);
}

/* A record of part p (or, with `key`, of one of its files), kept: a part
 * of this dataset, or refused (-1). */
static int record_entry(void *ctx, const sg_part_entry *p, const char *key, int pending)
{
  sg_journal *jr = ctx;
  if (p->index >= jr->parts)
    return -1;
  if (pending) /* not committed, maybe not there: nothing to keep */
    return 0;
  if (!key) {
    jr->entry[p->index] = *p;
    jr->have[p->index] = 1;
    return 0;
  }
  if (strlen(key) >= sizeof jr->files->key)
    return -1;
  if (sg_part_files_reserve(&jr->files, &jr->cap_files, jr->nfiles + 1) != 0)
    return -1;
  sg_part_file *f = &jr->files[jr->nfiles++];
  snprintf(f->key, sizeof f->key, "%s", key);
  f->entry = *p;
  return 0;
}

/* A manifest's part entry: its checksum "crc32:..." and ETag as text; a
 * partitioned file's (`key`) is recorded as its file, and adds its rows
 * and bytes to its object's. */
static int record(sg_journal *jr, uint64_t index, uint64_t rows, uint64_t bytes, const char *crc,
                  const char *etag, const char *key)
{
  sg_part_entry p = {index, rows, bytes, 0, ""};
  unsigned crc32;
  if (!crc || sscanf(crc, "crc32:%8x", &crc32) != 1 || (etag && strlen(etag) >= sizeof p.etag))
    return -1;
  p.crc32 = crc32;
  snprintf(p.etag, sizeof p.etag, "%s", etag && strcmp(etag, "-") != 0 ? etag : "");
  if (!key)
    return record_entry(jr, &p, NULL, 0);
  if (!key[0] || record_entry(jr, &p, key, 0) != 0)
    return -1;
  sg_part_entry sum = {index, rows, bytes, 0, ""};
  if (jr->have[index]) {
    sum.rows += jr->entry[index].rows;
    sum.bytes += jr->entry[index].bytes;
  }
  return record_entry(jr, &sum, NULL, 0);
}

static sg_err add_manifest(sg_journal *jr, const char *text, const char *params, const char *name)
{
  cJSON *m = sg_json_parse(text, NULL);
  if (!m)
    return sg_seterr(SG_EDATA, "%s is not valid JSON", name);
  sg_err e = same_params(m, params, name);
  const cJSON *p;
  cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(m, "parts"))
  {
    if (e != SG_OK)
      break;
    const cJSON *etag = cJSON_GetObjectItemCaseSensitive(p, "etag");
    const char *key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "key"));
    int partitioned = cJSON_GetObjectItemCaseSensitive(p, "partition") != NULL;
    if (record(jr, (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(p, "index")),
               (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(p, "rows")),
               (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(p, "bytes")),
               cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "checksum")),
               etag ? cJSON_GetStringValue(etag) : NULL, partitioned ? (key ? key : "") : NULL) != 0)
      e = sg_seterr(SG_EDATA, "%s lists a part that does not fit this dataset", name);
  }
  cJSON_Delete(m);
  return e;
}

sg_err sg_journal_head(const char *text, const char *name, cJSON **params, const char **records)
{
  *params = NULL;
  if (strncmp(text, MAGIC, strlen(MAGIC)) != 0)
    return sg_seterr(SG_EDATA, "%s is not a spotgen journal", name);
  const char *line = text + strlen(MAGIC), *nl = strchr(line, '\n');
  if (!nl)
    return sg_seterr(SG_EDATA, "%s is cut short", name);
  char *head = malloc((size_t)(nl - line) + 1);
  if (!head)
    return sg_seterr(SG_ENOMEM, "out of memory reading %s", name);
  memcpy(head, line, (size_t)(nl - line));
  head[nl - line] = '\0';
  *params = sg_json_parse(head, NULL);
  free(head);
  if (!*params)
    return sg_seterr(SG_EDATA, "%s has a malformed first line", name);
  *records = nl + 1;
  return SG_OK;
}

sg_err sg_journal_records(const char *records, const char *name,
                          int (*fn)(void *ctx, const sg_part_entry *p, const char *key, int pending), void *ctx)
{
  for (const char *line = records, *nl; *line; line = nl + 1) {
    nl = strchr(line, '\n');
    if (!nl)
      break; /* a line cut short was never committed: ignore it */
    if (sg_interrupted()) /* a journal of millions of lines: SIGTERM still stops the run */
      return sg_signal_error();
    /* sscanf runs strlen over what it reads: the line alone, or reading
     * a journal would take time quadratic in its length */
    char one[640], crc[24], etag[96], key[300];
    size_t len = (size_t)(nl - line);
    sg_part_entry p;
    unsigned crc32;
    memset(&p, 0, sizeof p);
    if (len < sizeof one) {
      memcpy(one, line, len);
      one[len] = '\0';
    }
    int file = len >= 5 && strncmp(one, "file ", 5) == 0;
    int pending = len >= 8 && strncmp(one, "pending ", 8) == 0;
    if (pending) {
      if (len >= sizeof one || sscanf(one, "pending %" SCNu64 " %299s", &p.index, key) != 2 ||
          fn(ctx, &p, key, 1) != 0)
        return sg_seterr(SG_EDATA, "%s has a malformed line", name);
      continue;
    }
    if (len >= sizeof one ||
        (file ? sscanf(one, "file %" SCNu64 " %" SCNu64 " %" SCNu64 " %23s %95s %299s", &p.index, &p.rows, &p.bytes,
                       crc, etag, key) != 6
              : sscanf(one, "part %" SCNu64 " %" SCNu64 " %" SCNu64 " %23s %95s", &p.index, &p.rows, &p.bytes, crc,
                       etag) != 5) ||
        sscanf(crc, "crc32:%8x", &crc32) != 1 || strlen(etag) >= sizeof p.etag)
      return sg_seterr(SG_EDATA, "%s has a malformed line", name);
    p.crc32 = crc32;
    size_t el = strcmp(etag, "-") != 0 ? strlen(etag) : 0; /* under sizeof p.etag, checked above */
    memcpy(p.etag, etag, el);
    p.etag[el] = '\0';
    if (fn(ctx, &p, file ? key : NULL, 0) != 0)
      return sg_seterr(SG_EDATA, "%s has a malformed line", name);
  }
  return SG_OK;
}

sg_err sg_journal_add_text(sg_journal *jr, const char *text, int is_manifest, const char *params,
                           const char *name)
{
  if (is_manifest)
    return add_manifest(jr, text, params, name);
  cJSON *was;
  const char *records;
  sg_err e = sg_journal_head(text, name, &was, &records);
  if (e == SG_OK)
    e = same_params(was, params, name);
  cJSON_Delete(was);
  return e == SG_OK ? sg_journal_records(records, name, record_entry, jr) : e;
}
