/* sigv4.h - AWS Signature Version 4 for S3, written for spotgen.
 *
 * sg_sigv4_sign() builds the canonical request (method, URI, sorted and
 * encoded query, sorted lower-case headers, signed header list, payload
 * hash), the string to sign (AWS4-HMAC-SHA256, time, scope, hash of the
 * canonical request), and the signature with a signing key derived as
 * HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), "s3"), "aws4_request").
 * The key depends only on (secret, date, region): a cache keeps the last one,
 * so a day's requests derive it once. */
#ifndef SPOTGEN_SIGV4_H
#define SPOTGEN_SIGV4_H

#include <stddef.h>

#define SG_SHA256_HEX 65 /* 64 hex digits and a NUL */
#define SG_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

typedef struct sg_kv {
  const char *name, *value;
} sg_kv;

typedef struct sg_creds {
  char access_key[128];
  char secret_key[128];
  char session_token[4096]; /* empty when none */
  double expires;           /* unix time; 0 for credentials that do not expire */
} sg_creds;

typedef struct sg_sigv4_cache {
  char date[9];             /* YYYYMMDD */
  char region[64];
  unsigned char secret_id[32]; /* SHA-256 of the secret: the cache never holds it twice */
  unsigned char key[32];
  int valid;
} sg_sigv4_cache;

typedef struct sg_sigv4_request {
  const char *method;       /* "GET", "PUT", ... */
  const char *host;         /* the Host header: "bucket.s3.us-east-1.amazonaws.com", "127.0.0.1:9000" */
  const char *uri;          /* the path, already encoded (sg_uri_encode with '/' kept) */
  const sg_kv *query;       /* raw names and values; encoded here */
  int nquery;
  const sg_kv *headers;     /* further headers to sign (Date, Content-MD5, Range ...) */
  int nheaders;
  const char *payload_hash; /* hex SHA-256 of the body, or SG_UNSIGNED_PAYLOAD */
  const char *amz_date;     /* "YYYYMMDDTHHMMSSZ" */
  const char *region;
} sg_sigv4_request;

/*! sg_uri_encode() :
 *  Percent-encodes every byte of `s` but A-Z a-z 0-9 - _ . ~ (and '/' when
 *  `keep_slash`), hex in upper case, into `out` (`cap` bytes).
 *  @return : the length, or -1 when it does not fit. */
int sg_uri_encode(const char *s, int keep_slash, char *out, size_t cap);

/*! sg_hex() : the n bytes at d as 2n lowercase hex digits and a NUL at out. */
void sg_hex(const unsigned char *d, size_t n, char *out);

/*! sg_sha256_hex() : the hex SHA-256 of `len` bytes. */
void sg_sha256_hex(const void *data, size_t len, char out[SG_SHA256_HEX]);

/*! sg_sigv4_sign() :
 *  Signs `r` with `c`. Writes the Authorization header's value into `auth`
 *  and, when not NULL, the canonical request into `canonical` (for tests).
 *  The headers sent must include host, x-amz-date, x-amz-content-sha256
 *  (= r->payload_hash) and, with a session token, x-amz-security-token;
 *  they are signed here whether or not they are in r->headers.
 *  @return : 0, or -1 when a buffer is too small. */
int sg_sigv4_sign(const sg_sigv4_request *r, const sg_creds *c, sg_sigv4_cache *cache,
                  char *auth, size_t auth_cap, char *canonical, size_t canonical_cap);

#endif
