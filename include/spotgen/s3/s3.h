/* s3.h - a small S3 client on libcurl and OpenSSL, signed with sigv4.h.
 *
 * Blocking calls for the few control requests (PutObject, Create/Complete/
 * AbortMultipartUpload, List, Get, Delete) and non-blocking part uploads on
 * curl's multi interface, so parts go up while the next ones are generated.
 *
 * Every request is retried with exponential backoff and full jitter on 500,
 * 502, 503 (SlowDown), 504, RequestTimeout, InternalError and connection
 * errors, bounded by attempts and time; a request that stalls (no progress
 * for the stall time) counts as a connection error. CompleteMultipartUpload's
 * body is parsed: it can carry an error inside a 200. Messages name the
 * object and S3's error code, never a secret. */
#ifndef SPOTGEN_S3_H
#define SPOTGEN_S3_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/s3/creds.h"
#include "spotgen/base/err.h"

#define SG_ETAG_CAP 80
#define SG_S3_MIN_PART (5u << 20)
#define SG_S3_MAX_PARTS 10000

typedef struct sg_s3_options {
  const char *endpoint;     /* NULL: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, or AWS's own */
  const char *region;       /* NULL: AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1 */
  const char *ca_bundle;    /* NULL: the system's */
  int max_attempts;         /* per request (default 10) */
  double retry_seconds;     /* retrying one request stops after this long (default 300) */
  double stall_seconds;     /* a request without progress this long fails (default 30) */
} sg_s3_options;

/* How to reach S3 as the command line gives it (generate, verify and report
 * share these flags), before sg_s3_options_from() makes the client's options. */
typedef struct sg_s3_flags {
  const char *endpoint;  /* --s3-endpoint URL, or NULL */
  const char *region;    /* --s3-region, or NULL */
  const char *ca_bundle; /* --s3-ca-bundle FILE, or NULL */
  uint64_t retries;      /* --s3-retries: attempts per request (default 10) */
  uint64_t timeout;      /* --s3-timeout: seconds without progress before a retry (default 30) */
} sg_s3_flags;

/*! sg_s3_options_from() : the S3 client's options from the flags. */
sg_s3_options sg_s3_options_from(const sg_s3_flags *f);

typedef struct sg_s3 sg_s3;

/* A part that went up: what CompleteMultipartUpload and the ETag check need. */
typedef struct sg_s3_sent {
  char etag[SG_ETAG_CAP];
  unsigned char md5[16];
} sg_s3_sent;

/* One part of a multipart upload in flight (owned by the caller). */
typedef struct sg_s3_part {
  int number;                  /* 1 .. 10,000 */
  const unsigned char *data;
  size_t len;
  int done;                    /* set when finished, well or not */
  sg_err result;
  sg_s3_sent sent;             /* its ETag and MD5, once done */
  char error[600];             /* why it failed */
  void *req;                   /* internal */
} sg_s3_part;

typedef int (*sg_s3_list_fn)(const char *key, uint64_t size, void *ctx);
typedef size_t (*sg_s3_data_fn)(const void *data, size_t len, void *ctx);

/*! sg_s3_parse_url() : "s3://bucket/some/prefix/" -> "bucket", "some/prefix"
 *  (no trailing slash; empty for the bucket's root). @return : 0 or -1. */
int sg_s3_parse_url(const char *url, char *bucket, size_t bcap, char *prefix, size_t pcap);

/*! sg_s3_new() : a client: finds credentials, region and endpoint.
 *  @return : SG_OK, or SG_EUSAGE (no credentials, bad endpoint). */
sg_err sg_s3_new(const sg_s3_options *o, sg_s3 **out);
void sg_s3_free(sg_s3 *s);

/*! sg_s3_key() : the key of object `name` under `prefix` ("prefix/name",
 *  or "name" at the bucket's root). */
void sg_s3_key(const char *prefix, const char *name, char *out, size_t cap);

sg_err sg_s3_put(sg_s3 *s, const char *bucket, const char *key, const void *data, size_t len,
                 char etag[SG_ETAG_CAP]);
/*! sg_s3_put_if() : a conditional PutObject: with If-Match `if_match` (an
 *  ETag), or with If-None-Match: * when `if_match` is NULL (only if no such
 *  object). @return : SG_OK and *refused = 0 (written, etag set), SG_OK and
 *  *refused = 1 (the condition does not hold), or an error. */
sg_err sg_s3_put_if(sg_s3 *s, const char *bucket, const char *key, const void *data, size_t len,
                    const char *if_match, char etag[SG_ETAG_CAP], int *refused);

/*! sg_s3_last_status() : the HTTP status of the last request that ended
 *  (a HeadObject's 404 tells a missing object from a failure). */
long sg_s3_last_status(const sg_s3 *s);

sg_err sg_s3_create_upload(sg_s3 *s, const char *bucket, const char *key, char *upload_id,
                           size_t cap);
/*! sg_s3_complete_upload() : completes an upload of parts 1 .. n. Its ETag
 * is the MD5 of the parts' MD5s (*etag_of_md5s = 1) unless S3 says the
 * object is encrypted with KMS or a customer's key (0). */
sg_err sg_s3_complete_upload(sg_s3 *s, const char *bucket, const char *key, const char *upload_id,
                             const sg_s3_sent *parts, int n, char etag[SG_ETAG_CAP], int *etag_of_md5s);
sg_err sg_s3_abort_upload(sg_s3 *s, const char *bucket, const char *key, const char *upload_id);
sg_err sg_s3_delete(sg_s3 *s, const char *bucket, const char *key);

/*! sg_s3_list_uploads() : calls `fn` with the key and upload id of every
 *  incomplete multipart upload under prefix/ (ListMultipartUploads);
 *  `fn` returns non-zero to stop. */
typedef int (*sg_s3_upload_fn)(const char *key, const char *upload_id, void *ctx);
sg_err sg_s3_list_uploads(sg_s3 *s, const char *bucket, const char *prefix, sg_s3_upload_fn fn, void *ctx);

/*! sg_s3_xml_text() : the text of the first <tag>...</tag> at or after
 *  `from`, XML entities decoded, into out (cut to cap - 1 bytes).
 *  @return : just past the closing tag, or NULL when there is none. */
const char *sg_s3_xml_text(const char *from, const char *tag, char *out, size_t cap);

/*! sg_s3_parse_list() / sg_s3_parse_uploads() : one page of a ListObjectsV2
 *  or ListMultipartUploads answer: `fn` for each entry under prefix;
 *  @return : 1 when more pages follow (the markers are set), else 0. */
int sg_s3_parse_list(const char *xml, const char *prefix, sg_s3_list_fn fn, void *ctx, char *token,
                     size_t cap);
int sg_s3_parse_uploads(const char *xml, const char *prefix, sg_s3_upload_fn fn, void *ctx,
                        char *key_marker, size_t kcap, char *id_marker, size_t icap);

/*! sg_s3_head() : the object's size and ETag (HeadObject). */
sg_err sg_s3_head(sg_s3 *s, const char *bucket, const char *key, uint64_t *size, char etag[SG_ETAG_CAP]);

/*! sg_s3_list() :
 *  Calls `fn` with the name relative to `prefix` ("part-00000.csv",
 *  "sub/x") of every object under "prefix/" (every object of the bucket
 *  when `prefix` is empty), all pages; `fn` returning non-zero stops. The
 *  request names the prefix without its '/', since some S3-compatible
 *  servers (moto, getmoto/moto#5948) reject the signature of a query value
 *  holding an encoded '/'; other keys are filtered out here. */
sg_err sg_s3_list(sg_s3 *s, const char *bucket, const char *prefix, sg_s3_list_fn fn, void *ctx);

/*! sg_s3_get() : streams the object to `fn` (which returns `len` to go on). */
sg_err sg_s3_get(sg_s3 *s, const char *bucket, const char *key, sg_s3_data_fn fn, void *ctx);

/*! sg_s3_part_start() : starts uploading `p` (Content-MD5 set, retried as
 *  needed); progress happens in sg_s3_wait(). */
sg_err sg_s3_part_start(sg_s3 *s, const char *bucket, const char *key, const char *upload_id,
                        sg_s3_part *p);

/*! sg_s3_part_cancel() : stops `p` if it is still in flight. */
void sg_s3_part_cancel(sg_s3 *s, sg_s3_part *p);

/*! sg_s3_wait() : drives the uploads in flight for at most `seconds` or
 *  until one finishes. @return : SG_OK, or SG_ESIGNAL when interrupted. */
sg_err sg_s3_wait(sg_s3 *s, double seconds);

/*! sg_s3_multipart_etag() : the ETag S3 gives a multipart object of the `n`
 *  parts (numbered 1 .. n): the MD5 of the parts' binary MD5s, then "-N". */
void sg_s3_multipart_etag(const sg_s3_sent *parts, int n, char etag[SG_ETAG_CAP]);

#endif
