/* avro.c - Avro's binary encoding and object container files (see avro.h). */
#include "spotgen/lake/avro.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

void sg_avro_long(sg_buf *b, int64_t v)
{
  uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
  unsigned char p[10];
  size_t n = 0;
  while (z >= 0x80) {
    p[n++] = (unsigned char)(z | 0x80);
    z >>= 7;
  }
  p[n++] = (unsigned char)z;
  sg_buf_put(b, p, n);
}

void sg_avro_bytes(sg_buf *b, const void *p, size_t n)
{
  sg_avro_long(b, (int64_t)n);
  sg_buf_put(b, p, n);
}

void sg_avro_string(sg_buf *b, const char *s) { sg_avro_bytes(b, s, strlen(s)); }

void sg_avro_boolean(sg_buf *b, int v)
{
  unsigned char c = v != 0;
  sg_buf_put(b, &c, 1);
}

void sg_avro_branch(sg_buf *b, int i) { sg_avro_long(b, i); }

/* One block: its records' count, its deflated size, the bytes, the marker. */
static void block(sg_buf *out, struct libdeflate_compressor *z, sg_buf *scratch, const unsigned char *data,
                  size_t len, uint64_t count, const unsigned char sync[16])
{
  size_t bound = libdeflate_deflate_compress_bound(z, len);
  scratch->len = 0;
  if (sg_buf_reserve(scratch, bound) != 0) {
    out->failed = 1;
    return;
  }
  size_t n = libdeflate_deflate_compress(z, data, len, scratch->p, bound);
  if (n == 0) {
    out->failed = 1;
    return;
  }
  sg_avro_long(out, (int64_t)count);
  sg_avro_bytes(out, scratch->p, n);
  sg_buf_put(out, sync, 16);
}

int sg_avro_file(sg_buf *out, const char *schema, const char *const *meta, const unsigned char *data,
                 const uint32_t *lens, uint64_t count, const unsigned char sync[16])
{
  size_t nmeta = 2;
  for (const char *const *m = meta; m && m[0]; m += 2)
    nmeta++;
  sg_buf_put(out, "Obj\x01", 4);
  sg_avro_long(out, (int64_t)nmeta); /* the metadata: one block of a map of bytes */
  sg_avro_string(out, "avro.schema");
  sg_avro_string(out, schema);
  sg_avro_string(out, "avro.codec");
  sg_avro_string(out, "deflate");
  for (const char *const *m = meta; m && m[0]; m += 2) {
    sg_avro_string(out, m[0]);
    sg_avro_string(out, m[1]);
  }
  sg_avro_long(out, 0);
  sg_buf_put(out, sync, 16);
  struct libdeflate_compressor *z = libdeflate_alloc_compressor(6);
  sg_buf scratch = {0};
  if (!z)
    return -1;
  size_t at = 0, len = 0;
  uint64_t n = 0;
  for (uint64_t i = 0; i < count && !out->failed; i++) {
    if (n && len + lens[i] > SG_AVRO_BLOCK) {
      block(out, z, &scratch, data + at, len, n, sync);
      at += len;
      len = 0;
      n = 0;
    }
    len += lens[i];
    n++;
  }
  if (n && !out->failed)
    block(out, z, &scratch, data + at, len, n, sync);
  libdeflate_free_compressor(z);
  sg_buf_free(&scratch);
  return out->failed ? -1 : 0;
}

/* ---- reading ------------------------------------------------------------------ */

typedef struct cursor {
  const unsigned char *p, *end;
  int bad;
  size_t empty;   /* array or map items of no bytes read so far, in this record */
} cursor;

#define MAX_DEPTH 32      /* a schema nests at most this deep */
#define MAX_EMPTY 65536   /* items of no bytes a record may have */

static int64_t get_long(cursor *c)
{
  uint64_t z = 0;
  for (int shift = 0; c->p < c->end && shift < 64; shift += 7) {
    unsigned b = *c->p++;
    z |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80))
      return (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
  }
  c->bad = 1;
  return 0;
}

static const unsigned char *get_bytes(cursor *c, size_t *n)
{
  int64_t len = get_long(c);
  if (c->bad || len < 0 || len > c->end - c->p) {
    c->bad = 1;
    return NULL;
  }
  const unsigned char *s = c->p;
  c->p += len;
  *n = (size_t)len;
  return s;
}

/* An array's, a map's or the metadata's block count: a negative one is
 * followed by the block's size in bytes (skipped); the least long, which
 * has no positive, is damage. */
static int64_t block_count(cursor *c)
{
  int64_t count = get_long(c);
  if (count == INT64_MIN)
    c->bad = 1;
  if (count < 0 && !c->bad) {
    count = -count;
    get_long(c);
  }
  return c->bad ? 0 : count;
}

static cJSON *text(const unsigned char *s, size_t n, int hex)
{
  char *t = malloc(hex ? 2 * n + 1 : n + 1);
  if (!t)
    return NULL;
  if (hex)
    for (size_t i = 0; i < n; i++)
      snprintf(t + 2 * i, 3, "%02x", s[i]);
  else
    memcpy(t, s, n);
  t[hex ? 2 * n : n] = 0;
  cJSON *j = cJSON_CreateString(t);
  free(t);
  return j;
}

/* The definition of the named type `name` in schema `root`, or NULL. */
static const cJSON *named(const cJSON *root, const char *name, int depth)
{
  if (!root || depth > MAX_DEPTH)
    return NULL;
  if (cJSON_IsObject(root)) {
    const char *n = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "name"));
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(root, "type");
    if (n && strcmp(n, name) == 0 && cJSON_IsString(type) &&
        (!strcmp(type->valuestring, "record") || !strcmp(type->valuestring, "enum") || !strcmp(type->valuestring, "fixed")))
      return root;
  }
  const cJSON *x;
  cJSON_ArrayForEach(x, root)
  {
    const cJSON *found = named(x, name, depth + 1);
    if (found)
      return found;
  }
  return NULL;
}

static cJSON *decode(cursor *c, const cJSON *root, const cJSON *s, int depth);

/* An array's or a map's blocks: each item by `items` (a map's after its key). */
static cJSON *blocks(cursor *c, const cJSON *root, const cJSON *items, int map, int depth, size_t *empty)
{
  cJSON *out = map ? cJSON_CreateObject() : cJSON_CreateArray();
  for (int64_t count; out && !c->bad && (count = block_count(c)) != 0;) {
    if (count > c->end - c->p) { /* every item takes a byte at least */
      c->bad = 1;
      break;
    }
    for (int64_t i = 0; i < count && !c->bad; i++) {
      size_t kn = 0;
      const unsigned char *at = c->p;
      const unsigned char *k = map ? get_bytes(c, &kn) : NULL;
      cJSON *v = c->bad ? NULL : decode(c, root, items, depth + 1);
      if (c->p == at && ++*empty > MAX_EMPTY) { /* items of no bytes (nulls) would cost memory, not input */
        cJSON_Delete(v);
        v = NULL;
      }
      if (!v) {
        c->bad = 1;
        break;
      }
      if (map) {
        char key[256];
        snprintf(key, sizeof key, "%.*s", (int)(kn < 255 ? kn : 255), (const char *)k);
        cJSON_AddItemToObject(out, key, v);
      } else {
        cJSON_AddItemToArray(out, v);
      }
    }
  }
  return out;
}

static cJSON *decode(cursor *c, const cJSON *root, const cJSON *s, int depth)
{
  if (depth > MAX_DEPTH || c->bad || !s)
    return NULL;
  if (cJSON_IsArray(s)) { /* a union */
    int64_t i = get_long(c);
    const cJSON *branch = c->bad || i < 0 ? NULL : cJSON_GetArrayItem(s, (int)i);
    return branch ? decode(c, root, branch, depth + 1) : NULL;
  }
  const cJSON *type = cJSON_IsObject(s) ? cJSON_GetObjectItemCaseSensitive(s, "type") : s;
  if (!cJSON_IsString(type))
    return decode(c, root, type, depth + 1);
  const char *t = type->valuestring;
  size_t n;
  const unsigned char *b;
  if (!strcmp(t, "null"))
    return cJSON_CreateNull();
  if (!strcmp(t, "boolean")) {
    if (c->p >= c->end)
      return NULL;
    return cJSON_CreateBool(*c->p++ != 0);
  }
  if (!strcmp(t, "int") || !strcmp(t, "long")) {
    int64_t v = get_long(c);
    return c->bad ? NULL : cJSON_CreateNumber((double)v);
  }
  if (!strcmp(t, "float") || !strcmp(t, "double")) {
    size_t w = t[0] == 'f' ? 4 : 8;
    if ((size_t)(c->end - c->p) < w)
      return NULL;
    double v;
    float f;
    if (w == 4)
      memcpy(&f, c->p, 4), v = f;
    else
      memcpy(&v, c->p, 8);
    c->p += w;
    return cJSON_CreateNumber(v);
  }
  if (!strcmp(t, "string") || !strcmp(t, "bytes"))
    return (b = get_bytes(c, &n)) ? text(b, n, t[0] == 'b') : NULL;
  if (!strcmp(t, "record")) {
    cJSON *out = cJSON_CreateObject();
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(s, "fields"))
    {
      const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "name"));
      cJSON *v = name ? decode(c, root, cJSON_GetObjectItemCaseSensitive(f, "type"), depth + 1) : NULL;
      if (!v || !out) {
        cJSON_Delete(v);
        cJSON_Delete(out);
        return NULL;
      }
      cJSON_AddItemToObject(out, name, v);
    }
    return out;
  }
  if (!strcmp(t, "array") || !strcmp(t, "map")) {
    cJSON *out = blocks(c, root, cJSON_GetObjectItemCaseSensitive(s, t[0] == 'a' ? "items" : "values"), t[0] == 'm',
                        depth, &c->empty);
    if (c->bad) {
      cJSON_Delete(out);
      return NULL;
    }
    return out;
  }
  if (!strcmp(t, "enum")) {
    int64_t i = get_long(c);
    const cJSON *sym = c->bad || i < 0 ? NULL : cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(s, "symbols"), (int)i);
    return cJSON_IsString(sym) ? cJSON_CreateString(sym->valuestring) : NULL;
  }
  if (!strcmp(t, "fixed")) {
    double size = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(s, "size"));
    if (!(size >= 0 && size <= (double)(c->end - c->p)))
      return NULL;
    c->p += (size_t)size;
    return text(c->p - (size_t)size, (size_t)size, 1);
  }
  return decode(c, root, named(root, t, 0), depth + 1); /* a named type, by its name */
}

sg_err sg_avro_open(sg_avro_reader *r, const void *p, size_t n, const char *what)
{
  memset(r, 0, sizeof *r);
  cursor c = {p, (const unsigned char *)p + n, 0, 0};
  if (n < 4 || memcmp(p, "Obj\x01", 4) != 0)
    return sg_seterr(SG_EDATA, "%s is not an Avro container file (no Obj\\1 at its start)", what);
  c.p += 4;
  r->meta = cJSON_CreateObject(); /* a map of bytes, whose values are text here */
  for (int64_t count; !c.bad && (count = block_count(&c)) != 0;) {
    for (int64_t i = 0; i < count && !c.bad; i++) {
      size_t kn, vn;
      const unsigned char *k = get_bytes(&c, &kn), *v = c.bad ? NULL : get_bytes(&c, &vn);
      if (c.bad)
        break;
      char key[128];
      snprintf(key, sizeof key, "%.*s", (int)(kn < 127 ? kn : 127), (const char *)k);
      cJSON *val = text(v, vn, 0);
      if (val)
        cJSON_AddItemToObject(r->meta, key, val);
    }
  }
  if (c.bad || c.end - c.p < 16) {
    sg_avro_close(r);
    return sg_seterr(SG_EDATA, "%s: its Avro header is cut short or damaged", what);
  }
  memcpy(r->sync, c.p, 16);
  c.p += 16;
  r->p = c.p;
  r->end = c.end;
  const char *codec = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r->meta, "avro.codec"));
  const char *schema = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r->meta, "avro.schema"));
  r->deflate = codec && strcmp(codec, "deflate") == 0;
  if (codec && !r->deflate && strcmp(codec, "null") != 0) {
    sg_err e = sg_seterr(SG_EDATA, "%s: Avro codec '%.40s' is not one spotgen reads (null, deflate)", what, codec);
    sg_avro_close(r); /* (after the message: the codec's name is the header's) */
    return e;
  }
  if (!schema || !(r->schema = cJSON_Parse(schema))) {
    sg_avro_close(r);
    return sg_seterr(SG_EDATA, "%s: its Avro header has no valid avro.schema", what);
  }
  return SG_OK;
}

/* The next block into r->block: inflated (deflate), or as it is (null). */
static sg_err next_block(sg_avro_reader *r, const char *what)
{
  cursor c = {r->p, r->end, 0, 0};
  int64_t count = get_long(&c);
  size_t n = 0;
  const unsigned char *data = c.bad ? NULL : get_bytes(&c, &n);
  if (c.bad || count < 0 || c.end - c.p < 16 || memcmp(c.p, r->sync, 16) != 0)
    return sg_seterr(SG_EDATA, "%s: an Avro block is cut short or damaged", what);
  r->p = c.p + 16;
  r->left = count;
  r->at = r->block_len = 0;
  if (!r->deflate) {
    if (n > r->block_cap) {
      unsigned char *grown = realloc(r->block, n);
      if (!grown)
        return sg_seterr(SG_ENOMEM, "out of memory reading %s", what);
      r->block = grown;
      r->block_cap = n;
    }
    if (n)
      memcpy(r->block, data, n);
    r->block_len = n;
    return SG_OK;
  }
  struct libdeflate_decompressor *z = libdeflate_alloc_decompressor();
  if (!z)
    return sg_seterr(SG_ENOMEM, "out of memory reading %s", what);
  enum libdeflate_result res = LIBDEFLATE_INSUFFICIENT_SPACE;
  size_t cap = r->block_cap > 4 * n + 1024 ? r->block_cap : 4 * n + 1024, got = 0;
  while (res == LIBDEFLATE_INSUFFICIENT_SPACE && cap <= SG_AVRO_BLOCK_MAX) {
    unsigned char *grown = cap > r->block_cap ? realloc(r->block, cap) : r->block;
    if (!grown)
      break;
    r->block = grown;
    r->block_cap = cap > r->block_cap ? cap : r->block_cap;
    res = libdeflate_deflate_decompress(z, data, n, r->block, cap, &got);
    cap *= 2;
  }
  libdeflate_free_decompressor(z);
  if (res != LIBDEFLATE_SUCCESS)
    return sg_seterr(SG_EDATA, "%s: an Avro block does not inflate (or to more than %u MiB)", what,
                     SG_AVRO_BLOCK_MAX >> 20);
  r->block_len = got;
  return SG_OK;
}

sg_err sg_avro_next(sg_avro_reader *r, cJSON **out, const char *what)
{
  *out = NULL;
  while (r->left == 0) {
    if (r->p == r->end)
      return SG_OK;
    sg_err e = next_block(r, what);
    if (e != SG_OK)
      return e;
  }
  cursor c = {r->block + r->at, r->block + r->block_len, 0, 0};
  *out = decode(&c, r->schema, r->schema, 0);
  if (!*out || c.bad) {
    cJSON_Delete(*out);
    *out = NULL;
    return sg_seterr(SG_EDATA, "%s: a record does not decode by its Avro schema", what);
  }
  r->at = (size_t)(c.p - r->block);
  r->left--;
  return SG_OK;
}

void sg_avro_close(sg_avro_reader *r)
{
  cJSON_Delete(r->schema);
  cJSON_Delete(r->meta);
  free(r->block);
  memset(r, 0, sizeof *r);
}
