/* sigv4_tool - signs requests given one JSON object per line on stdin and
 * prints one Authorization header per line: what e2e_sigv4_botocore.sh
 * compares with botocore's signatures for the same requests.
 *
 * {"method", "host", "key" (raw object path), "query": [[name, value]...],
 *  "headers": [[name, value]...], "payload_hash", "amz_date", "region",
 *  "access_key", "secret_key", "session_token"} */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/s3/sigv4.h"

static const char *str(const cJSON *o, const char *k)
{
  const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
  return s ? s : "";
}

static int pairs(const cJSON *arr, sg_kv *out, int cap)
{
  int n = 0;
  const cJSON *p;
  cJSON_ArrayForEach(p, arr)
  {
    if (n == cap)
      break;
    out[n].name = cJSON_GetStringValue(cJSON_GetArrayItem(p, 0));
    out[n].value = cJSON_GetStringValue(cJSON_GetArrayItem(p, 1));
    n++;
  }
  return n;
}

int main(void)
{
  static char line[1 << 16];
  sg_sigv4_cache cache = {0};
  while (fgets(line, sizeof line, stdin)) {
    cJSON *o = cJSON_Parse(line);
    if (!o)
      return 2;
    sg_creds c = {{0}, {0}, {0}, 0};
    snprintf(c.access_key, sizeof c.access_key, "%s", str(o, "access_key"));
    snprintf(c.secret_key, sizeof c.secret_key, "%s", str(o, "secret_key"));
    snprintf(c.session_token, sizeof c.session_token, "%s", str(o, "session_token"));
    static char uri[8192];
    sg_kv q[32], h[32];
    if (sg_uri_encode(str(o, "key"), 1, uri, sizeof uri) < 0)
      return 2;
    sg_sigv4_request r = {str(o, "method"), str(o, "host"), uri,
                          q, pairs(cJSON_GetObjectItemCaseSensitive(o, "query"), q, 32),
                          h, pairs(cJSON_GetObjectItemCaseSensitive(o, "headers"), h, 32),
                          str(o, "payload_hash"), str(o, "amz_date"), str(o, "region")};
    char auth[2048];
    if (sg_sigv4_sign(&r, &c, &cache, auth, sizeof auth, NULL, 0) != 0)
      return 2;
    puts(auth);
    cJSON_Delete(o);
  }
  return 0;
}
