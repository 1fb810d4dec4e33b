/* s3.c - the S3 client (s3.h). */
#include "spotgen/s3/s3.h"

#include <curl/curl.h>
#include <math.h>
#include <signal.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <unistd.h>

#include "spotgen/base/buf.h"
#include "spotgen/base/signals.h"
#include "spotgen/s3/sigv4.h"

#define RESP_MAX (1u << 20)   /* bytes of an XML answer kept */
#define BACKOFF_BASE 0.2      /* seconds */
#define BACKOFF_CAP 20.0

typedef enum { DONE_OK, DONE_RETRY, DONE_FATAL } outcome;

typedef struct req {
  sg_s3 *s3;
  const char *method;
  const char *bucket, *key;
  sg_kv query[4];
  int nquery;
  unsigned char md5[16];      /* of the body, when it carries a Content-MD5 */
  char md5_b64[32];
  const char *content_type;
  const char *cond_name, *cond_value; /* a conditional write: If-None-Match or If-Match */
  const unsigned char *body;
  size_t body_len, body_pos;
  char payload_hash[SG_SHA256_HEX];
  sg_s3_data_fn out_fn;
  void *out_ctx;
  uint64_t delivered;        /* bytes handed to out_fn: a retry resumes there */
  sg_buf resp;               /* a body not handed to out_fn: an error's XML, a listing */
  char etag[SG_ETAG_CAP];
  int etag_not_md5;          /* SSE-KMS or SSE-C: the ETag is no MD5 of the bytes */
  uint64_t length;           /* Content-Length of the response, when given */
  long status;
  CURLcode cc;
  char errbuf[CURL_ERROR_SIZE];
  char why[700];             /* why the last attempt failed */
  int attempts, refreshed;
  int ignore_signals;        /* cleanup (abort) goes on after a signal */
  double first_at, next_at;
  CURL *easy;
  struct curl_slist *hdrs;
  sg_s3_part *part;
  char upload_id[512], part_number[16];
  struct req *next;          /* waiting to be retried */
} req;

struct sg_s3 {
  sg_creds_provider creds;
  sg_sigv4_cache cache;
  char scheme[8];
  char authority[256];       /* host[:port] of the endpoint */
  int path_style;
  char region[64];
  char ca_bundle[1024];
  int max_attempts;
  double retry_seconds, stall_seconds;
  CURLM *multi;
  req *waiting;
  uint64_t jitter;
  long last_status;          /* HTTP status of the last request run() ended */
};

static double mono(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static double wall(void)
{
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static const char *env(const char *name)
{
  const char *v = getenv(name);
  return v && *v ? v : NULL;
}

int sg_s3_parse_url(const char *url, char *bucket, size_t bcap, char *prefix, size_t pcap)
{
  if (strncmp(url, "s3://", 5) != 0)
    return -1;
  const char *b = url + 5, *slash = strchr(b, '/');
  size_t blen = slash ? (size_t)(slash - b) : strlen(b);
  if (blen < 3 || blen >= bcap || blen > 63)
    return -1;
  for (size_t i = 0; i < blen; i++)
    if (!((b[i] >= 'a' && b[i] <= 'z') || (b[i] >= '0' && b[i] <= '9') || b[i] == '-' || b[i] == '.'))
      return -1;
  memcpy(bucket, b, blen);
  bucket[blen] = '\0';
  const char *p = slash ? slash + 1 : "";
  size_t plen = strlen(p);
  while (plen && p[plen - 1] == '/')
    plen--;
  if (plen >= pcap)
    return -1;
  memcpy(prefix, p, plen);
  prefix[plen] = '\0';
  return strstr(prefix, "//") ? -1 : 0;
}

void sg_s3_key(const char *prefix, const char *name, char *out, size_t cap)
{
  snprintf(out, cap, "%s%s%s", prefix, prefix[0] ? "/" : "", name);
}

sg_err sg_s3_new(const sg_s3_options *o, sg_s3 **out)
{
  static int curl_ready;
  if (!curl_ready) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    curl_ready = 1;
  }
  *out = NULL;
  sg_s3 *s = calloc(1, sizeof *s);
  if (!s)
    return sg_seterr(SG_ENOMEM, "out of memory");
  sg_err e = sg_creds_find(&s->creds);
  if (e != SG_OK) {
    free(s);
    return e;
  }
  const char *region = o->region ? o->region : env("AWS_REGION");
  if (!region)
    region = env("AWS_DEFAULT_REGION");
  if (!region && s->creds.region[0])
    region = s->creds.region;
  snprintf(s->region, sizeof s->region, "%s", region ? region : "us-east-1");
  const char *endpoint = o->endpoint ? o->endpoint : env("AWS_ENDPOINT_URL_S3");
  if (!endpoint)
    endpoint = env("AWS_ENDPOINT_URL");
  if (endpoint) {
    const char *rest = strncmp(endpoint, "https://", 8) == 0 ? endpoint + 8
                     : strncmp(endpoint, "http://", 7) == 0  ? endpoint + 7
                                                              : NULL;
    size_t alen = rest ? strcspn(rest, "/") : 0;
    if (!rest || alen == 0 || alen >= sizeof s->authority || rest[alen + strspn(rest + alen, "/")]) {
      free(s);
      return sg_seterr(SG_EUSAGE, "S3 endpoint '%s' must look like https://host[:port]", endpoint);
    }
    snprintf(s->scheme, sizeof s->scheme, "%s", rest == endpoint + 8 ? "https" : "http");
    memcpy(s->authority, rest, alen);
    s->authority[alen] = '\0';
    s->path_style = 1; /* S3-compatible stores: MinIO, Ceph, moto */
  } else {
    snprintf(s->scheme, sizeof s->scheme, "https");
    snprintf(s->authority, sizeof s->authority, "s3.%s.amazonaws.com", s->region);
  }
  if (o->ca_bundle && access(o->ca_bundle, R_OK) != 0) { /* else every request fails, and only then */
    int err = errno;
    free(s);
    return sg_seterr(SG_EUSAGE, "--s3-ca-bundle %s: cannot read it: %s; give the PEM file of the endpoint's CA",
                     o->ca_bundle, strerror(err));
  }
  if (o->ca_bundle)
    snprintf(s->ca_bundle, sizeof s->ca_bundle, "%s", o->ca_bundle);
  s->max_attempts = o->max_attempts > 0 ? o->max_attempts : 10;
  s->retry_seconds = o->retry_seconds > 0 ? o->retry_seconds : 300;
  s->stall_seconds = o->stall_seconds > 0 ? o->stall_seconds : 30;
  s->multi = curl_multi_init();
  s->jitter = (uint64_t)getpid() * 0x9E3779B97F4A7C15ull ^ (uint64_t)(wall() * 1e6);
  *out = s;
  return SG_OK;
}

void sg_s3_free(sg_s3 *s)
{
  if (!s)
    return;
  if (s->multi)
    curl_multi_cleanup(s->multi);
  memset(&s->creds, 0, sizeof s->creds); /* no secret outlives the client */
  free(s);
}


/* ---- one request ------------------------------------------------------- */

/* The body's MD5, sent as Content-MD5 and compared with the ETag S3 answers. */
static void body_md5(req *r)
{
  unsigned int n = 0;
  EVP_Digest(r->body, r->body_len, r->md5, &n, EVP_md5(), NULL);
  EVP_EncodeBlock((unsigned char *)r->md5_b64, r->md5, 16);
}

/* Whether S3 stored other bytes than were sent: the ETag of a PutObject or
 * an UploadPart is the MD5 of what S3 received, unless the object is
 * encrypted with KMS or a customer's key. S3 itself refuses a body that does
 * not match its Content-MD5; servers that do not check (moto, some
 * S3-compatible stores) are caught here. A conditional write is not retried
 * over its own object, so it is left to the server. */
static int altered(const req *r)
{
  if (!r->md5_b64[0] || r->cond_name || r->etag_not_md5 || strlen(r->etag) != 34 || r->etag[0] != '"')
    return 0;
  char hex[33];
  sg_hex(r->md5, 16, hex);
  return strncasecmp(r->etag + 1, hex, 32) != 0;
}

static size_t on_read(char *buf, size_t size, size_t n, void *ctx)
{
  req *r = ctx;
  size_t len = size * n, left = r->body_len - r->body_pos;
  if (len > left)
    len = left;
  memcpy(buf, r->body + r->body_pos, len);
  r->body_pos += len;
  return len;
}

/* curl rewinds the body to send it again on a fresh connection. */
static int on_seek(void *ctx, curl_off_t offset, int origin)
{
  req *r = ctx;
  if (origin != SEEK_SET || offset < 0 || (size_t)offset > r->body_len)
    return CURL_SEEKFUNC_CANTSEEK;
  r->body_pos = (size_t)offset;
  return CURL_SEEKFUNC_OK;
}

/* The response body as text (sg_buf keeps a NUL after it), or NULL. */
static const char *resp_text(const req *r) { return (const char *)r->resp.p; }

static size_t on_write(char *data, size_t size, size_t n, void *ctx)
{
  req *r = ctx;
  size_t len = size * n;
  long status = 0;
  curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
  if (r->out_fn && (status == 200 || status == 206)) {
    if (r->out_fn(data, len, r->out_ctx) != len)
      return 0;
    r->delivered += len;
    return len;
  }
  if (r->resp.len + len > RESP_MAX)
    return len; /* an error body this long says nothing more */
  sg_buf_put(&r->resp, data, len);
  return r->resp.failed ? 0 : len;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx)
{
  req *r = ctx;
  size_t len = size * n;
  if (len > 15 && strncasecmp(data, "content-length:", 15) == 0)
    r->length = strtoull(data + 15, NULL, 10);
  if (len > 5 && strncasecmp(data, "etag:", 5) == 0) {
    const char *v = data + 5;
    while (*v == ' ')
      v++;
    size_t vl = strcspn(v, "\r\n");
    if (vl < sizeof r->etag) {
      memcpy(r->etag, v, vl);
      r->etag[vl] = '\0';
    }
  }
  if ((len > 30 && strncasecmp(data, "x-amz-server-side-encryption:", 29) == 0 &&
       strncasecmp(data + 29 + strspn(data + 29, " "), "aws:kms", 7) == 0) ||
      (len > 47 && strncasecmp(data, "x-amz-server-side-encryption-customer-algorithm:", 48) == 0))
    r->etag_not_md5 = 1;
  return len;
}

/* The text of the first <tag>...</tag> at or after `from`, XML entities decoded. */
const char *sg_s3_xml_text(const char *from, const char *tag, char *out, size_t cap)
{
  char open[64], close[64];
  snprintf(open, sizeof open, "<%s>", tag);
  snprintf(close, sizeof close, "</%s>", tag);
  const char *a = from ? strstr(from, open) : NULL;
  const char *b = a ? strstr(a, close) : NULL;
  if (!b)
    return NULL;
  a += strlen(open);
  size_t n = 0;
  for (const char *p = a; p < b && n + 1 < cap; p++) {
    static const char *const ENT[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
                                         {"&quot;", "\""}, {"&apos;", "'"}, {"&#13;", "\r"}};
    int done = 0;
    for (size_t k = 0; k < sizeof ENT / sizeof ENT[0] && !done; k++)
      if (strncmp(p, ENT[k][0], strlen(ENT[k][0])) == 0) {
        out[n++] = ENT[k][1][0];
        p += strlen(ENT[k][0]) - 1;
        done = 1;
      }
    if (!done)
      out[n++] = *p;
  }
  out[n] = '\0';
  return b + strlen(close);
}

static void add_header(req *r, const char *name, const char *value)
{
  char line[4200];
  snprintf(line, sizeof line, "%s: %s", name, value);
  r->hdrs = curl_slist_append(r->hdrs, line);
}

/* Builds the URL, signs, and sets up r->easy for one attempt. */
static sg_err prepare(req *r)
{
  sg_s3 *s = r->s3;
  const sg_creds *c;
  sg_err e = sg_creds_get(&s->creds, wall(), &c);
  if (e != SG_OK)
    return e;
  char host[512], path[4096], enc_key[3400];
  if (sg_uri_encode(r->key ? r->key : "", 1, enc_key, sizeof enc_key) < 0)
    return sg_seterr(SG_EUSAGE, "S3 key too long: %s", r->key);
  if (s->path_style || strchr(r->bucket, '.')) {
    snprintf(host, sizeof host, "%s", s->authority);
    snprintf(path, sizeof path, "/%s/%s", r->bucket, enc_key);
  } else {
    snprintf(host, sizeof host, "%s.%s", r->bucket, s->authority);
    snprintf(path, sizeof path, "/%s", enc_key);
  }
  char url[16384], amz_date[20];
  int n = snprintf(url, sizeof url, "%s://%s%s", s->scheme, host, path);
  for (int i = 0; i < r->nquery; i++) {
    char name[256], value[3200];
    sg_uri_encode(r->query[i].name, 0, name, sizeof name);
    sg_uri_encode(r->query[i].value, 0, value, sizeof value);
    n += snprintf(url + n, sizeof url - (size_t)n, "%c%s=%s", i ? '&' : '?', name, value);
  }
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
  if (!r->payload_hash[0]) {
    if (strcmp(s->scheme, "https") == 0)
      snprintf(r->payload_hash, sizeof r->payload_hash, "%s", SG_UNSIGNED_PAYLOAD);
    else
      sg_sha256_hex(r->body ? (const void *)r->body : "", r->body_len, r->payload_hash);
  }
  sg_kv signed_headers[4];
  int nh = 0;
  if (r->cond_name)
    signed_headers[nh++] = (sg_kv){r->cond_name, r->cond_value};
  if (r->md5_b64[0])
    signed_headers[nh++] = (sg_kv){"Content-MD5", r->md5_b64};
  if (r->content_type)
    signed_headers[nh++] = (sg_kv){"Content-Type", r->content_type};
  char range[48];
  if (r->delivered) {
    snprintf(range, sizeof range, "bytes=%llu-", (unsigned long long)r->delivered);
    signed_headers[nh++] = (sg_kv){"Range", range};
  }
  sg_sigv4_request sr = {r->method, host, path, r->query, r->nquery, signed_headers, nh,
                         r->payload_hash, amz_date, s->region};
  char auth[1024];
  if (sg_sigv4_sign(&sr, c, &s->cache, auth, sizeof auth, NULL, 0) != 0)
    return sg_seterr(SG_EUSAGE, "cannot sign the request for s3://%s/%s", r->bucket, r->key);

  if (!r->easy && !(r->easy = curl_easy_init()))
    return sg_seterr(SG_ENOMEM, "out of memory");
  curl_easy_reset(r->easy);
  curl_slist_free_all(r->hdrs);
  r->hdrs = NULL;
  add_header(r, "Host", host);
  add_header(r, "x-amz-date", amz_date);
  add_header(r, "x-amz-content-sha256", r->payload_hash);
  if (c->session_token[0])
    add_header(r, "x-amz-security-token", c->session_token);
  for (int i = 0; i < nh; i++)
    add_header(r, signed_headers[i].name, signed_headers[i].value);
  add_header(r, "Authorization", auth);
  r->hdrs = curl_slist_append(r->hdrs, "Expect:");
  CURL *h = r->easy;
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, r->hdrs);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)ceil(s->stall_seconds));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->errbuf);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
  curl_easy_setopt(h, CURLOPT_PRIVATE, r);
  if (s->ca_bundle[0])
    curl_easy_setopt(h, CURLOPT_CAINFO, s->ca_bundle);
  r->body_pos = 0;
  if (strcmp(r->method, "PUT") == 0) {
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, r);
    curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, on_seek);
    curl_easy_setopt(h, CURLOPT_SEEKDATA, r);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)r->body_len);
  } else if (strcmp(r->method, "POST") == 0) {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, r->body ? (const char *)r->body : "");
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
  } else if (strcmp(r->method, "HEAD") == 0) {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (strcmp(r->method, "GET") != 0) {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r->method);
  }
  sg_buf_free(&r->resp);
  r->etag[0] = r->errbuf[0] = '\0';
  r->etag_not_md5 = 0;
  r->length = 0;
  r->status = 0;
  if (!r->attempts++)
    r->first_at = mono();
  return SG_OK;
}

static const char *object(const req *r, char *out, size_t cap)
{
  if (r->part)
    snprintf(out, cap, "s3://%s/%s (part %d)", r->bucket, r->key, r->part->number);
  else
    snprintf(out, cap, "s3://%s/%s", r->bucket, r->key ? r->key : "");
  return out;
}

static const char *hint(const char *code)
{
  if (!strcmp(code, "SignatureDoesNotMatch"))
    return "; check AWS_SECRET_ACCESS_KEY (or the profile's secret), and the region (--s3-region or AWS_REGION): "
           "the signature covers both";
  if (!strcmp(code, "InvalidAccessKeyId"))
    return "; check AWS_ACCESS_KEY_ID (or the profile's key)";
  if (!strcmp(code, "AccessDenied"))
    return "; the credentials may not write to this bucket and prefix";
  if (!strcmp(code, "NoSuchBucket"))
    return "; create the bucket or fix the --out URL";
  if (!strcmp(code, "ExpiredToken") || !strcmp(code, "TokenRefreshRequired"))
    return "; refresh the session credentials";
  if (!strcmp(code, "InvalidToken"))
    return "; check AWS_SESSION_TOKEN (or the profile's token): it must belong to the access key";
  if (!strcmp(code, "AuthorizationHeaderMalformed") || !strcmp(code, "PermanentRedirect") ||
      !strcmp(code, "IllegalLocationConstraintException"))
    return "; the bucket may be in another region: give --s3-region or AWS_REGION";
  return "";
}

/* What an attempt's end means; sets r->why, and the message when fatal. */
static outcome classify(req *r)
{
  char where[1400], code[128] = "", message[400] = "";
  object(r, where, sizeof where);
  if (r->cc != CURLE_OK) {
    snprintf(r->why, sizeof r->why, "%s", r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->cc));
    switch (r->cc) {
    case CURLE_COULDNT_CONNECT: case CURLE_COULDNT_RESOLVE_HOST: case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR: case CURLE_OPERATION_TIMEDOUT: case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE: case CURLE_SSL_CONNECT_ERROR: case CURLE_HTTP2_STREAM:
    case CURLE_SEND_FAIL_REWIND:
      return DONE_RETRY;
    default:
      sg_seterr(SG_EIO, "cannot reach %s: %s (curl error %d)%s", where, r->why, (int)r->cc,
                r->cc == CURLE_PEER_FAILED_VERIFICATION
                    ? "; for an endpoint with a private CA, give --s3-ca-bundle FILE"
                    : "");
      return DONE_FATAL;
    }
  }
  curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
  const char *body = resp_text(r);
  if (body) {
    sg_s3_xml_text(body, "Code", code, sizeof code);
    sg_s3_xml_text(body, "Message", message, sizeof message);
    size_t n = strlen(message); /* a hint may follow: "...invalid; check ..." */
    while (n && message[n - 1] == '.')
      message[--n] = '\0';
  }
  int error_in_200 = r->status == 200 && body && strstr(body, "<Error>");
  if (r->status >= 200 && r->status < 300 && !error_in_200) {
    if (!altered(r))
      return DONE_OK;
    snprintf(r->why, sizeof r->why, "S3 answered ETag %s, which is not the MD5 of the bytes sent: they were altered "
             "on the way", r->etag);
    return DONE_RETRY;
  }
  snprintf(r->why, sizeof r->why, "HTTP %ld%s%s%s%s", r->status, code[0] ? " " : "", code,
           message[0] ? ": " : "", message);
  if (r->status == 500 || r->status == 502 || r->status == 503 || r->status == 504 ||
      !strcmp(code, "RequestTimeout") || !strcmp(code, "InternalError") || !strcmp(code, "SlowDown"))
    return DONE_RETRY;
  if ((!strcmp(code, "ExpiredToken") || !strcmp(code, "TokenRefreshRequired")) && !r->refreshed &&
      sg_creds_refresh(&r->s3->creds) == SG_OK) {
    r->refreshed = 1;
    return DONE_RETRY;
  }
  sg_seterr(SG_EIO, "%s: %s%s", where, r->why, hint(code));
  return DONE_FATAL;
}

/* Full jitter: uniform in [0, min(cap, base 2^attempt)). */
static double backoff(sg_s3 *s, int attempt)
{
  s->jitter ^= s->jitter << 13;
  s->jitter ^= s->jitter >> 7;
  s->jitter ^= s->jitter << 17;
  double ceiling = fmin(BACKOFF_CAP, BACKOFF_BASE * pow(2.0, attempt));
  return ceiling * (double)(s->jitter >> 11) / 9007199254740992.0;
}

/* After a failed attempt: may it be tried again? Sets the message if not. */
static int may_retry(req *r)
{
  sg_s3 *s = r->s3;
  if (r->attempts < s->max_attempts && mono() - r->first_at < s->retry_seconds)
    return 1;
  char where[1400];
  sg_seterr(SG_EIO, "%s: gave up after %d attempts in %.0f s: %s", object(r, where, sizeof where),
            r->attempts, mono() - r->first_at, r->why);
  return 0;
}

static void req_free(req *r)
{
  if (r->easy)
    curl_easy_cleanup(r->easy);
  curl_slist_free_all(r->hdrs);
  sg_buf_free(&r->resp);
}

/* Runs `r` to the end, retrying as needed. */
static sg_err run(req *r)
{
  for (;;) {
    sg_err e = prepare(r);
    if (e != SG_OK)
      return e;
    r->cc = curl_easy_perform(r->easy);
    outcome o = classify(r);
    r->s3->last_status = r->status;
    if (o == DONE_OK)
      return SG_OK;
    if (o == DONE_FATAL || !may_retry(r))
      return SG_EIO; /* the message is set */
    for (double until = mono() + backoff(r->s3, r->attempts); mono() < until;) {
      if (!r->ignore_signals && (e = sg_stop_check()) != SG_OK)
        return e;
      usleep(20000);
    }
  }
}

/* ---- blocking calls --------------------------------------------------- */

static req new_req(sg_s3 *s, const char *method, const char *bucket, const char *key)
{
  req r;
  memset(&r, 0, sizeof r);
  r.s3 = s;
  r.method = method;
  r.bucket = bucket;
  r.key = key;
  return r;
}

sg_err sg_s3_put(sg_s3 *s, const char *bucket, const char *key, const void *data, size_t len,
                 char etag[SG_ETAG_CAP])
{
  req r = new_req(s, "PUT", bucket, key);
  r.body = data;
  r.body_len = len;
  body_md5(&r);
  sg_err e = run(&r);
  if (e == SG_OK && etag)
    snprintf(etag, SG_ETAG_CAP, "%s", r.etag);
  req_free(&r);
  return e;
}

sg_err sg_s3_put_if(sg_s3 *s, const char *bucket, const char *key, const void *data, size_t len,
                    const char *if_match, char etag[SG_ETAG_CAP], int *refused)
{
  req r = new_req(s, "PUT", bucket, key);
  r.body = data;
  r.body_len = len;
  body_md5(&r);
  r.cond_name = if_match ? "If-Match" : "If-None-Match";
  r.cond_value = if_match ? if_match : "*";
  sg_err e = run(&r);
  /* 412: the condition does not hold; 409: a concurrent write of the same
   * key won; 404: If-Match of an object that is gone */
  *refused = e != SG_OK && (r.status == 412 || r.status == 409 || (if_match && r.status == 404));
  if (e == SG_OK)
    snprintf(etag, SG_ETAG_CAP, "%s", r.etag);
  req_free(&r);
  return *refused ? SG_OK : e;
}

long sg_s3_last_status(const sg_s3 *s) { return s->last_status; }

sg_err sg_s3_create_upload(sg_s3 *s, const char *bucket, const char *key, char *upload_id, size_t cap)
{
  req r = new_req(s, "POST", bucket, key);
  r.query[r.nquery++] = (sg_kv){"uploads", ""};
  sg_err e = run(&r);
  if (e == SG_OK && !sg_s3_xml_text(resp_text(&r), "UploadId", upload_id, cap))
    e = sg_seterr(SG_EIO, "s3://%s/%s: CreateMultipartUpload answered without an UploadId", bucket, key);
  req_free(&r);
  return e;
}

sg_err sg_s3_complete_upload(sg_s3 *s, const char *bucket, const char *key, const char *upload_id,
                             const sg_s3_sent *parts, int n, char etag[SG_ETAG_CAP], int *etag_of_md5s)
{
  size_t cap = 128 + (size_t)n * (64 + SG_ETAG_CAP);
  char *xml = malloc(cap);
  if (!xml)
    return sg_seterr(SG_ENOMEM, "out of memory");
  size_t len = (size_t)snprintf(xml, cap, "<CompleteMultipartUpload>");
  for (int i = 0; i < n; i++)
    len += (size_t)snprintf(xml + len, cap - len, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>",
                            i + 1, parts[i].etag);
  len += (size_t)snprintf(xml + len, cap - len, "</CompleteMultipartUpload>");
  req r = new_req(s, "POST", bucket, key);
  r.query[r.nquery++] = (sg_kv){"uploadId", upload_id};
  r.body = (const unsigned char *)xml;
  r.body_len = len;
  r.content_type = "application/xml";
  sg_err e = run(&r);
  if (e == SG_OK && !sg_s3_xml_text(resp_text(&r), "ETag", etag, SG_ETAG_CAP))
    e = sg_seterr(SG_EIO, "s3://%s/%s: CompleteMultipartUpload answered without an ETag", bucket, key);
  *etag_of_md5s = !r.etag_not_md5;
  req_free(&r);
  free(xml);
  return e;
}

sg_err sg_s3_abort_upload(sg_s3 *s, const char *bucket, const char *key, const char *upload_id)
{
  req r = new_req(s, "DELETE", bucket, key);
  r.query[r.nquery++] = (sg_kv){"uploadId", upload_id};
  r.ignore_signals = 1;
  sg_err e = run(&r);
  if (e != SG_OK && r.status == 404)
    e = SG_OK; /* already gone */
  req_free(&r);
  return e;
}

/* ---- listings' XML ------------------------------------------------------ */

int sg_s3_parse_list(const char *xml, const char *prefix, sg_s3_list_fn fn, void *ctx, char *token,
                     size_t cap)
{
  const char *p = xml;
  char key[2048], size[32], truncated[16] = "";
  size_t plen = strlen(prefix);
  int stop = 0;
  while (!stop && p && (p = strstr(p, "<Contents>"))) {
    const char *end = strstr(p, "</Contents>");
    if (!end || !sg_s3_xml_text(p, "Key", key, sizeof key) || !sg_s3_xml_text(p, "Size", size, sizeof size))
      break;
    if (!plen || (strncmp(key, prefix, plen) == 0 && key[plen] == '/'))
      stop = fn(key + plen + (plen ? 1 : 0), strtoull(size, NULL, 10), ctx);
    p = end;
  }
  sg_s3_xml_text(xml, "IsTruncated", truncated, sizeof truncated);
  return !stop && strcmp(truncated, "true") == 0 && sg_s3_xml_text(xml, "NextContinuationToken", token, cap);
}

int sg_s3_parse_uploads(const char *xml, const char *prefix, sg_s3_upload_fn fn, void *ctx,
                        char *key_marker, size_t kcap, char *id_marker, size_t icap)
{
  const char *p = xml;
  char key[1200], id[512], truncated[16] = "";
  int stop = 0;
  while (!stop && p && (p = strstr(p, "<Upload>"))) {
    const char *end = strstr(p, "</Upload>");
    if (!end || !sg_s3_xml_text(p, "Key", key, sizeof key) || !sg_s3_xml_text(p, "UploadId", id, sizeof id))
      break;
    if (strncmp(key, prefix, strlen(prefix)) == 0)
      stop = fn(key, id, ctx);
    p = end;
  }
  sg_s3_xml_text(xml, "IsTruncated", truncated, sizeof truncated);
  return !stop && strcmp(truncated, "true") == 0 &&
         sg_s3_xml_text(xml, "NextKeyMarker", key_marker, kcap) &&
         sg_s3_xml_text(xml, "NextUploadIdMarker", id_marker, icap);
}

sg_err sg_s3_list_uploads(sg_s3 *s, const char *bucket, const char *prefix, sg_s3_upload_fn fn, void *ctx)
{
  char key_marker[1200] = "", id_marker[512] = "", pfx[1200];
  snprintf(pfx, sizeof pfx, "%s%s", prefix, prefix[0] ? "/" : "");
  for (;;) {
    req r = new_req(s, "GET", bucket, "");
    r.query[r.nquery++] = (sg_kv){"uploads", ""};
    /* the prefix without its '/', filtered below, as sg_s3_list does: a
     * query value with an encoded '/' trips moto (getmoto/moto#5948) */
    if (prefix[0])
      r.query[r.nquery++] = (sg_kv){"prefix", prefix};
    if (key_marker[0]) {
      r.query[r.nquery++] = (sg_kv){"key-marker", key_marker};
      r.query[r.nquery++] = (sg_kv){"upload-id-marker", id_marker};
    }
    sg_err e = run(&r);
    if (e != SG_OK) {
      req_free(&r);
      return e;
    }
    int more = sg_s3_parse_uploads(resp_text(&r), pfx, fn, ctx, key_marker, sizeof key_marker, id_marker,
                                   sizeof id_marker);
    req_free(&r);
    if (!more)
      return SG_OK;
  }
}

sg_err sg_s3_head(sg_s3 *s, const char *bucket, const char *key, uint64_t *size, char etag[SG_ETAG_CAP])
{
  req r = new_req(s, "HEAD", bucket, key);
  sg_err e = run(&r);
  *size = r.length;
  snprintf(etag, SG_ETAG_CAP, "%s", r.etag);
  req_free(&r);
  return e;
}

sg_err sg_s3_delete(sg_s3 *s, const char *bucket, const char *key)
{
  req r = new_req(s, "DELETE", bucket, key);
  sg_err e = run(&r);
  req_free(&r);
  return e;
}

sg_err sg_s3_list(sg_s3 *s, const char *bucket, const char *prefix, sg_s3_list_fn fn, void *ctx)
{
  char token[1024] = "";
  for (;;) {
    req r = new_req(s, "GET", bucket, "");
    r.query[r.nquery++] = (sg_kv){"list-type", "2"};
    if (prefix[0])
      r.query[r.nquery++] = (sg_kv){"prefix", prefix};
    if (token[0])
      r.query[r.nquery++] = (sg_kv){"continuation-token", token};
    sg_err e = run(&r);
    if (e != SG_OK) {
      req_free(&r);
      return e;
    }
    int more = sg_s3_parse_list(resp_text(&r), prefix, fn, ctx, token, sizeof token);
    req_free(&r);
    if (!more)
      return SG_OK;
  }
}

sg_err sg_s3_get(sg_s3 *s, const char *bucket, const char *key, sg_s3_data_fn fn, void *ctx)
{
  req r = new_req(s, "GET", bucket, key);
  r.out_fn = fn;
  r.out_ctx = ctx;
  sg_err e = run(&r);
  req_free(&r);
  return e;
}

/* ---- parts in flight ------------------------------------------------- */

sg_err sg_s3_part_start(sg_s3 *s, const char *bucket, const char *key, const char *upload_id,
                        sg_s3_part *p)
{
  req *r = calloc(1, sizeof *r);
  if (!r)
    return sg_seterr(SG_ENOMEM, "out of memory");
  *r = new_req(s, "PUT", bucket, key);
  snprintf(r->upload_id, sizeof r->upload_id, "%s", upload_id);
  snprintf(r->part_number, sizeof r->part_number, "%d", p->number);
  r->query[r->nquery++] = (sg_kv){"partNumber", r->part_number};
  r->query[r->nquery++] = (sg_kv){"uploadId", r->upload_id};
  r->body = p->data;
  r->body_len = p->len;
  r->part = p;
  body_md5(r);
  memcpy(p->sent.md5, r->md5, sizeof p->sent.md5);
  p->done = 0;
  p->result = SG_OK;
  p->req = r;
  sg_err e = prepare(r);
  if (e == SG_OK && curl_multi_add_handle(s->multi, r->easy) != CURLM_OK)
    e = sg_seterr(SG_EIO, "cannot start uploading part %d of s3://%s/%s", p->number, bucket, key);
  if (e != SG_OK) {
    p->req = NULL;
    req_free(r);
    free(r);
  }
  return e;
}

/* Ends part `r` with `e`; a failure's message (already set) is kept with
 * the part, since other requests in flight may set theirs meanwhile. */
static void finish(req *r, sg_err e, int cancelled)
{
  sg_s3_part *p = r->part;
  p->result = e;
  if (e == SG_OK)
    snprintf(p->sent.etag, sizeof p->sent.etag, "%s", r->etag);
  else
    snprintf(p->error, sizeof p->error, "%s", cancelled ? "cancelled" : sg_errmsg(e));
  p->done = 1;
  p->req = NULL;
  req_free(r);
  free(r);
}

void sg_s3_part_cancel(sg_s3 *s, sg_s3_part *p)
{
  req *r = p->req;
  if (!r)
    return;
  for (req **w = &s->waiting; *w; w = &(*w)->next)
    if (*w == r) {
      *w = r->next;
      break;
    }
  curl_multi_remove_handle(s->multi, r->easy);
  finish(r, SG_EIO, 1);
}

sg_err sg_s3_wait(sg_s3 *s, double seconds)
{
  double until = mono() + seconds;
  for (;;) {
    int running = 0, finished = 0, left;
    curl_multi_perform(s->multi, &running);
    CURLMsg *m;
    while ((m = curl_multi_info_read(s->multi, &left))) {
      if (m->msg != CURLMSG_DONE)
        continue;
      req *r;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
      r->cc = m->data.result;
      curl_multi_remove_handle(s->multi, r->easy);
      outcome o = classify(r);
      if (o == DONE_OK)
        finish(r, SG_OK, 0);
      else if (o == DONE_FATAL || !may_retry(r))
        finish(r, SG_EIO, 0);
      else {
        r->next_at = mono() + backoff(s, r->attempts);
        r->next = s->waiting;
        s->waiting = r;
        continue;
      }
      finished++;
    }
    /* Retries that are due go back in flight. */
    for (req **w = &s->waiting; *w;) {
      req *r = *w;
      if (mono() < r->next_at) {
        w = &r->next;
        continue;
      }
      *w = r->next;
      sg_err e = prepare(r);
      if (e == SG_OK && curl_multi_add_handle(s->multi, r->easy) != CURLM_OK)
        e = sg_seterr(SG_EIO, "cannot restart part %d of s3://%s/%s", r->part->number, r->bucket, r->key);
      if (e != SG_OK) {
        finish(r, e, 0);
        finished++;
      }
    }
    sg_err e = sg_stop_check();
    if (e != SG_OK)
      return e;
    double now = mono();
    if (finished || now >= until)
      return SG_OK;
    int ms = (int)fmin(100.0, (until - now) * 1000.0);
    curl_multi_poll(s->multi, NULL, 0, ms > 0 ? ms : 1, NULL);
  }
}

void sg_s3_multipart_etag(const sg_s3_sent *parts, int n, char etag[SG_ETAG_CAP])
{
  EVP_MD_CTX *c = EVP_MD_CTX_new();
  unsigned char d[16];
  unsigned int len = 0;
  EVP_DigestInit_ex(c, EVP_md5(), NULL);
  for (int i = 0; i < n; i++)
    EVP_DigestUpdate(c, parts[i].md5, 16);
  EVP_DigestFinal_ex(c, d, &len);
  EVP_MD_CTX_free(c);
  char hex[33];
  sg_hex(d, 16, hex);
  snprintf(etag, SG_ETAG_CAP, "\"%s-%d\"", hex, n);
}

sg_s3_options sg_s3_options_from(const sg_s3_flags *f)
{
  sg_s3_options so = {f->endpoint, f->region, f->ca_bundle, (int)f->retries, 0, (double)f->timeout};
  return so;
}
