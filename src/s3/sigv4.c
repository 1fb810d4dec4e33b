/* sigv4.c - see sigv4.h. */
#include "spotgen/s3/sigv4.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/base/buf.h"

#define MAX_HEADERS 32
#define MAX_QUERY 32

/* A growing string; `failed` sticks after an allocation failure. */
int sg_uri_encode(const char *s, int keep_slash, char *out, size_t cap)
{
  static const char HEX[] = "0123456789ABCDEF";
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    int plain = isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~' ||
                (keep_slash && *p == '/');
    if (*p >= 0x80)
      plain = 0; /* isalnum may accept bytes of the locale */
    if (n + (plain ? 1 : 3) >= cap)
      return -1;
    if (plain) {
      out[n++] = (char)*p;
    } else {
      out[n++] = '%';
      out[n++] = HEX[*p >> 4];
      out[n++] = HEX[*p & 15];
    }
  }
  out[n] = '\0';
  return (int)n;
}

void sg_hex(const unsigned char *d, size_t n, char *out)
{
  static const char HEX[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = HEX[d[i] >> 4];
    out[2 * i + 1] = HEX[d[i] & 15];
  }
  out[2 * n] = '\0';
}

void sg_sha256_hex(const void *data, size_t len, char out[SG_SHA256_HEX])
{
  unsigned char d[32];
  unsigned int n = 0;
  EVP_Digest(data, len, d, &n, EVP_sha256(), NULL);
  sg_hex(d, 32, out);
}

static void hmac(const void *key, size_t klen, const char *msg, unsigned char out[32])
{
  unsigned int n = 32;
  HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out, &n);
}

typedef struct pair {
  char *name, *value;
} pair;

static int by_pair(const void *a, const void *b)
{
  const pair *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c ? c : strcmp(x->value, y->value);
}

/* A header value as signed: outer spaces trimmed, inner runs of spaces one. */
static char *trimmed(const char *v)
{
  char *out = malloc(strlen(v) + 1), *o = out;
  if (!out)
    return NULL;
  while (*v == ' ' || *v == '\t')
    v++;
  for (; *v; v++) {
    if ((*v == ' ' || *v == '\t') && (v[1] == ' ' || v[1] == '\t' || v[1] == '\0'))
      continue;
    *o++ = *v == '\t' ? ' ' : *v;
  }
  *o = '\0';
  return out;
}

static char *lower(const char *s)
{
  char *out = strdup(s);
  for (char *p = out; p && *p; p++)
    *p = (char)tolower((unsigned char)*p);
  return out;
}

static char *encoded(const char *s)
{
  size_t cap = strlen(s) * 3 + 1;
  char *out = malloc(cap);
  if (out)
    sg_uri_encode(s, 0, out, cap);
  return out;
}

static void signing_key(const sg_sigv4_request *r, const sg_creds *c, sg_sigv4_cache *cache,
                        unsigned char key[32])
{
  unsigned char id[32];
  unsigned int n = 0;
  EVP_Digest(c->secret_key, strlen(c->secret_key), id, &n, EVP_sha256(), NULL);
  if (cache && cache->valid && strncmp(cache->date, r->amz_date, 8) == 0 &&
      strcmp(cache->region, r->region) == 0 && memcmp(cache->secret_id, id, 32) == 0) {
    memcpy(key, cache->key, 32);
    return;
  }
  char date[9], k0[160];
  memcpy(date, r->amz_date, 8);
  date[8] = '\0';
  snprintf(k0, sizeof k0, "AWS4%s", c->secret_key);
  unsigned char k1[32], k2[32], k3[32];
  hmac(k0, strlen(k0), date, k1);
  hmac(k1, 32, r->region, k2);
  hmac(k2, 32, "s3", k3);
  hmac(k3, 32, "aws4_request", key);
  if (cache) {
    memcpy(cache->date, date, sizeof cache->date);
    snprintf(cache->region, sizeof cache->region, "%s", r->region);
    memcpy(cache->secret_id, id, 32);
    memcpy(cache->key, key, 32);
    cache->valid = 1;
  }
}

int sg_sigv4_sign(const sg_sigv4_request *r, const sg_creds *c, sg_sigv4_cache *cache,
                  char *auth, size_t auth_cap, char *canonical, size_t canonical_cap)
{
  pair h[MAX_HEADERS], q[MAX_QUERY];
  int nh = 0, nq = 0, rc = -1;
  static const char *const OWN[] = {"host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"};
  const char *own_values[] = {r->host, r->payload_hash, r->amz_date, c->session_token};
  for (int i = 0; i < 4; i++)
    if (own_values[i][0] && nh < MAX_HEADERS)
      h[nh++] = (pair){strdup(OWN[i]), trimmed(own_values[i])};
  for (int i = 0; i < r->nheaders && nh < MAX_HEADERS; i++) {
    char *name = lower(r->headers[i].name);
    int dup = 0;
    for (int k = 0; k < 4; k++)
      dup |= name && strcmp(name, OWN[k]) == 0;
    if (dup) {
      free(name);
      continue;
    }
    h[nh++] = (pair){name, trimmed(r->headers[i].value)};
  }
  for (int i = 0; i < r->nquery && nq < MAX_QUERY; i++)
    q[nq++] = (pair){encoded(r->query[i].name), encoded(r->query[i].value ? r->query[i].value : "")};
  sg_buf cr = {0}, signed_headers = {0}, sts = {0};
  for (int i = 0; i < nh; i++)
    if (!h[i].name || !h[i].value)
      goto done;
  for (int i = 0; i < nq; i++)
    if (!q[i].name || !q[i].value)
      goto done;
  qsort(h, (size_t)nh, sizeof *h, by_pair);
  qsort(q, (size_t)nq, sizeof *q, by_pair);

  sg_buf_puts(&cr, r->method);
  sg_buf_puts(&cr, "\n");
  sg_buf_puts(&cr, r->uri);
  sg_buf_puts(&cr, "\n");
  for (int i = 0; i < nq; i++) {
    sg_buf_puts(&cr, i ? "&" : "");
    sg_buf_puts(&cr, q[i].name);
    sg_buf_puts(&cr, "=");
    sg_buf_puts(&cr, q[i].value);
  }
  sg_buf_puts(&cr, "\n");
  for (int i = 0; i < nh; i++) {
    sg_buf_puts(&cr, h[i].name);
    sg_buf_puts(&cr, ":");
    sg_buf_puts(&cr, h[i].value);
    sg_buf_puts(&cr, "\n");
    sg_buf_puts(&signed_headers, i ? ";" : "");
    sg_buf_puts(&signed_headers, h[i].name);
  }
  sg_buf_puts(&cr, "\n");
  sg_buf_puts(&cr, signed_headers.p ? (const char *)signed_headers.p : "");
  sg_buf_puts(&cr, "\n");
  sg_buf_puts(&cr, r->payload_hash);
  if (cr.failed || signed_headers.failed)
    goto done;

  char date[9], scope[128], cr_hash[SG_SHA256_HEX];
  memcpy(date, r->amz_date, 8);
  date[8] = '\0';
  snprintf(scope, sizeof scope, "%s/%s/s3/aws4_request", date, r->region);
  sg_sha256_hex(cr.p, cr.len, cr_hash);
  sg_buf_puts(&sts, "AWS4-HMAC-SHA256\n");
  sg_buf_puts(&sts, r->amz_date);
  sg_buf_puts(&sts, "\n");
  sg_buf_puts(&sts, scope);
  sg_buf_puts(&sts, "\n");
  sg_buf_puts(&sts, cr_hash);
  if (sts.failed)
    goto done;

  unsigned char key[32], sig[32];
  char sig_hex[65];
  signing_key(r, c, cache, key);
  hmac(key, 32, (const char *)sts.p, sig);
  sg_hex(sig, 32, sig_hex);
  int n = snprintf(auth, auth_cap, "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                   c->access_key, scope, (const char *)signed_headers.p, sig_hex);
  if (n < 0 || (size_t)n >= auth_cap)
    goto done;
  if (canonical) {
    if (cr.len + 1 > canonical_cap)
      goto done;
    memcpy(canonical, cr.p, cr.len + 1);
  }
  rc = 0;
done:
  for (int i = 0; i < nh; i++) {
    free(h[i].name);
    free(h[i].value);
  }
  for (int i = 0; i < nq; i++) {
    free(q[i].name);
    free(q[i].value);
  }
  sg_buf_free(&cr);
  sg_buf_free(&signed_headers);
  sg_buf_free(&sts);
  return rc;
}
