/* creds.c - the credential chain (creds.h). */
#include "spotgen/s3/creds.h"
#include "spotgen/base/json.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REFRESH_MARGIN 300.0 /* seconds before expiry */
#define HTTP_TIMEOUT_MS 2000L
#define BODY_MAX 65536

static const char *env(const char *name)
{
  const char *v = getenv(name);
  return v && *v ? v : NULL;
}

const char *sg_creds_source_name(const sg_creds_provider *p)
{
  switch (p->source) {
  case SG_CREDS_ENV: return "environment";
  case SG_CREDS_FILE: return "shared credentials file";
  case SG_CREDS_ECS: return "ECS container credentials";
  case SG_CREDS_IMDS: return "EC2 instance role (IMDSv2)";
  }
  return "?";
}

/* ---- INI files ----------------------------------------------------------- */

static void trim(char *s)
{
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
    s[--n] = '\0';
  size_t k = strspn(s, " \t");
  memmove(s, s + k, strlen(s + k) + 1);
}

/* `key` in section `section` of the INI file at `path`. */
static int ini_value(const char *path, const char *section, const char *key, char *out, size_t cap)
{
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  char line[4096];
  int in = 0, found = -1;
  while (found && fgets(line, sizeof line, f)) {
    trim(line);
    if (line[0] == '#' || line[0] == ';' || !line[0])
      continue;
    if (line[0] == '[') {
      char *end = strchr(line, ']');
      if (end)
        *end = '\0';
      char *name = line + 1;
      trim(name);
      in = strcmp(name, section) == 0;
      continue;
    }
    char *eq = strchr(line, '=');
    if (!in || !eq)
      continue;
    *eq = '\0';
    char *k = line, *v = eq + 1;
    trim(k);
    trim(v);
    if (strcmp(k, key) == 0 && strlen(v) < cap) {
      strcpy(out, v);
      found = 0;
    }
  }
  fclose(f);
  return found;
}

static void home_file(const char *var, const char *name, char *out, size_t cap)
{
  const char *v = env(var), *home = env("HOME");
  if (v)
    snprintf(out, cap, "%s", v);
  else
    snprintf(out, cap, "%s/.aws/%s", home ? home : "", name);
}

static int aws_config_value(const char *profile, const char *key, char *out, size_t cap)
{
  char path[1024], section[160];
  home_file("AWS_CONFIG_FILE", "config", path, sizeof path);
  if (strcmp(profile, "default") == 0)
    snprintf(section, sizeof section, "default");
  else
    snprintf(section, sizeof section, "profile %s", profile);
  return ini_value(path, section, key, out, cap);
}

static int from_files(sg_creds_provider *p)
{
  char path[1024];
  sg_creds *c = &p->creds;
  home_file("AWS_SHARED_CREDENTIALS_FILE", "credentials", path, sizeof path);
  if (ini_value(path, p->profile, "aws_access_key_id", c->access_key, sizeof c->access_key) == 0 &&
      ini_value(path, p->profile, "aws_secret_access_key", c->secret_key, sizeof c->secret_key) == 0) {
    ini_value(path, p->profile, "aws_session_token", c->session_token, sizeof c->session_token);
    return 0;
  }
  /* The config file may hold keys too. */
  if (aws_config_value(p->profile, "aws_access_key_id", c->access_key, sizeof c->access_key) == 0 &&
      aws_config_value(p->profile, "aws_secret_access_key", c->secret_key, sizeof c->secret_key) == 0) {
    aws_config_value(p->profile, "aws_session_token", c->session_token, sizeof c->session_token);
    return 0;
  }
  return -1;
}

/* ---- HTTP for ECS and IMDS ---------------------------------------------- */

typedef struct body {
  char buf[BODY_MAX];
  size_t len;
} body;

static size_t collect(char *data, size_t size, size_t n, void *ctx)
{
  body *b = ctx;
  size_t len = size * n;
  if (b->len + len >= sizeof b->buf)
    return 0;
  memcpy(b->buf + b->len, data, len);
  b->len += len;
  b->buf[b->len] = '\0';
  return len;
}

/* One short HTTP request. @return : the status, or -1 when unreachable. */
static long http(const char *method, const char *url, const char *header, body *out)
{
  CURL *c = curl_easy_init();
  if (!c)
    return -1;
  struct curl_slist *h = header ? curl_slist_append(NULL, header) : NULL;
  out->len = 0;
  out->buf[0] = '\0';
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, HTTP_TIMEOUT_MS);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, HTTP_TIMEOUT_MS / 2);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*"); /* metadata endpoints are local */
  long status = -1;
  if (curl_easy_perform(c) == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  return status;
}

/* "2026-11-24T18:00:00Z" -> unix time, 0 when absent or malformed. */
static double iso8601(const char *s)
{
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                   &tm.tm_min, &tm.tm_sec) != 6)
    return 0;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return (double)timegm(&tm);
}

/* The JSON both ECS and IMDS answer with. */
static int parse_temporary(const char *json, sg_creds *c)
{
  cJSON *o = sg_json_parse(json, NULL);
  const char *ak = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "AccessKeyId"));
  const char *sk = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "SecretAccessKey"));
  const char *tk = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "Token"));
  const char *ex = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "Expiration"));
  int ok = ak && sk && strlen(ak) < sizeof c->access_key && strlen(sk) < sizeof c->secret_key &&
           (!tk || strlen(tk) < sizeof c->session_token);
  if (ok) {
    snprintf(c->access_key, sizeof c->access_key, "%s", ak);
    snprintf(c->secret_key, sizeof c->secret_key, "%s", sk);
    snprintf(c->session_token, sizeof c->session_token, "%s", tk ? tk : "");
    c->expires = iso8601(ex);
  }
  cJSON_Delete(o);
  return ok ? 0 : -1;
}

static int from_ecs(sg_creds_provider *p)
{
  char url[1024], auth[2048];
  const char *rel = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  const char *full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  const char *token = env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  if (rel)
    snprintf(url, sizeof url, "http://169.254.170.2%s", rel);
  else if (full)
    snprintf(url, sizeof url, "%s", full);
  else
    return -1;
  snprintf(auth, sizeof auth, "Authorization: %s", token ? token : "");
  static body b;
  if (http("GET", url, token ? auth : NULL, &b) != 200 || parse_temporary(b.buf, &p->creds) != 0)
    return -1;
  return 0;
}

static int from_imds(sg_creds_provider *p)
{
  const char *disabled = env("AWS_EC2_METADATA_DISABLED");
  if (disabled && strcmp(disabled, "true") == 0)
    return -1;
  const char *base = env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (!base)
    base = "http://169.254.169.254";
  char url[1024], hdr[1200];
  static body b;
  snprintf(url, sizeof url, "%s/latest/api/token", base);
  if (http("PUT", url, "X-aws-ec2-metadata-token-ttl-seconds: 21600", &b) != 200)
    return -1;
  snprintf(hdr, sizeof hdr, "X-aws-ec2-metadata-token: %.1024s", b.buf);
  snprintf(url, sizeof url, "%s/latest/meta-data/iam/security-credentials/", base);
  if (http("GET", url, hdr, &b) != 200)
    return -1;
  char role[256];
  snprintf(role, sizeof role, "%.*s", (int)strcspn(b.buf, "\r\n"), b.buf);
  snprintf(url, sizeof url, "%s/latest/meta-data/iam/security-credentials/%s", base, role);
  if (!role[0] || http("GET", url, hdr, &b) != 200 || parse_temporary(b.buf, &p->creds) != 0)
    return -1;
  return 0;
}

sg_err sg_creds_find(sg_creds_provider *p)
{
  memset(p, 0, sizeof *p);
  const char *profile = env("AWS_PROFILE");
  if (!profile)
    profile = env("AWS_DEFAULT_PROFILE");
  snprintf(p->profile, sizeof p->profile, "%s", profile ? profile : "default");
  aws_config_value(p->profile, "region", p->region, sizeof p->region);
  const char *ak = env("AWS_ACCESS_KEY_ID"), *sk = env("AWS_SECRET_ACCESS_KEY");
  if (ak && sk) {
    p->source = SG_CREDS_ENV;
    snprintf(p->creds.access_key, sizeof p->creds.access_key, "%s", ak);
    snprintf(p->creds.secret_key, sizeof p->creds.secret_key, "%s", sk);
    const char *tk = env("AWS_SESSION_TOKEN");
    snprintf(p->creds.session_token, sizeof p->creds.session_token, "%s", tk ? tk : "");
    return SG_OK;
  }
  if (from_files(p) == 0) {
    p->source = SG_CREDS_FILE;
    return SG_OK;
  }
  if (from_ecs(p) == 0) {
    p->source = SG_CREDS_ECS;
    return SG_OK;
  }
  if (from_imds(p) == 0) {
    p->source = SG_CREDS_IMDS;
    return SG_OK;
  }
  return sg_seterr(SG_EUSAGE,
                   "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a "
                   "profile in ~/.aws/credentials (AWS_PROFILE=%s), or run with an ECS task role "
                   "or an EC2 instance role",
                   p->profile);
}

sg_err sg_creds_refresh(sg_creds_provider *p)
{
  int rc = p->source == SG_CREDS_ECS ? from_ecs(p) : p->source == SG_CREDS_IMDS ? from_imds(p) : -1;
  if (rc != 0)
    return sg_seterr(SG_EIO, "cannot refresh the AWS credentials from the %s", sg_creds_source_name(p));
  return SG_OK;
}

sg_err sg_creds_get(sg_creds_provider *p, double now, const sg_creds **out)
{
  if (p->creds.expires > 0 && now > p->creds.expires - REFRESH_MARGIN) {
    sg_err e = sg_creds_refresh(p);
    if (e != SG_OK && now >= p->creds.expires)
      return e; /* keep using credentials that are still valid */
  }
  *out = &p->creds;
  return SG_OK;
}
