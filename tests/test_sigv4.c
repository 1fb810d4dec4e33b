/* SigV4: every published S3 example of VECTORS.md (canonical request,
 * signing key, signature), the encoding rules, and the key cache. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "spotgen/s3/sigv4.h"

#define EMPTY_SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define HOST "examplebucket.s3.amazonaws.com"

static const sg_creds CREDS = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", 0};

static void sign(const sg_sigv4_request *r, const char *want_sig, const char *want_canonical_hash,
                 const char *want_canonical)
{
  char auth[1024], canonical[4096], hash[SG_SHA256_HEX];
  sg_sigv4_cache cache = {0};
  assert_int_equal(sg_sigv4_sign(r, &CREDS, &cache, auth, sizeof auth, canonical, sizeof canonical), 0);
  if (want_canonical)
    assert_string_equal(canonical, want_canonical);
  sg_sha256_hex(canonical, strlen(canonical), hash);
  assert_string_equal(hash, want_canonical_hash);
  const char *sig = strstr(auth, "Signature=");
  assert_non_null(sig);
  assert_string_equal(sig + 10, want_sig);
  assert_non_null(strstr(auth, "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "));
  char key[65];
  static const char HEX[] = "0123456789abcdef";
  for (int i = 0; i < 32; i++)
    key[2 * i] = HEX[cache.key[i] >> 4], key[2 * i + 1] = HEX[cache.key[i] & 15];
  key[64] = '\0';
  assert_string_equal(key, "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378");
}

static void get_object_with_range(void **state)
{
  (void)state;
  sg_kv h[] = {{"Range", "bytes=0-9"}};
  sg_sigv4_request r = {"GET", HOST, "/test.txt", NULL, 0, h, 1, EMPTY_SHA, "20130524T000000Z", "us-east-1"};
  sign(&r, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
       "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
       "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
       "x-amz-content-sha256:" EMPTY_SHA "\nx-amz-date:20130524T000000Z\n\n"
       "host;range;x-amz-content-sha256;x-amz-date\n" EMPTY_SHA);
}

static void put_object(void **state)
{
  (void)state;
  char uri[64];
  assert_int_equal(sg_uri_encode("/test$file.text", 1, uri, sizeof uri), 17);
  assert_string_equal(uri, "/test%24file.text");
  sg_kv h[] = {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
  char payload[SG_SHA256_HEX];
  sg_sha256_hex("Welcome to Amazon S3.", 21, payload);
  assert_string_equal(payload, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  sg_sigv4_request r = {"PUT", HOST, uri, NULL, 0, h, 2, payload, "20130524T000000Z", "us-east-1"};
  sign(&r, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
       "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d", NULL);
}

static void get_bucket_lifecycle(void **state)
{
  (void)state;
  sg_kv q[] = {{"lifecycle", ""}};
  sg_sigv4_request r = {"GET", HOST, "/", q, 1, NULL, 0, EMPTY_SHA, "20130524T000000Z", "us-east-1"};
  sign(&r, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
       "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca", NULL);
}

static void list_objects(void **state)
{
  (void)state;
  sg_kv q[] = {{"prefix", "J"}, {"max-keys", "2"}}; /* sorted by the signer */
  sg_sigv4_request r = {"GET", HOST, "/", q, 2, NULL, 0, EMPTY_SHA, "20130524T000000Z", "us-east-1"};
  sign(&r, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
       "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7", NULL);
}

static void encoding_follows_the_rules(void **state)
{
  (void)state;
  char out[128];
  sg_uri_encode("a b+c=d/e%f~g_h.i-jé", 0, out, sizeof out);
  assert_string_equal(out, "a%20b%2Bc%3Dd%2Fe%25f~g_h.i-j%C3%A9");
  sg_uri_encode("/dir/a b", 1, out, sizeof out);
  assert_string_equal(out, "/dir/a%20b");
  assert_int_equal(sg_uri_encode("abc", 0, out, 3), -1); /* does not fit */
}

static void session_token_is_signed_and_cache_follows_the_secret(void **state)
{
  (void)state;
  sg_creds c = CREDS;
  snprintf(c.session_token, sizeof c.session_token, "token/with+chars=");
  sg_sigv4_request r = {"GET", HOST, "/", NULL, 0, NULL, 0, EMPTY_SHA, "20130524T000000Z", "us-east-1"};
  char a1[1024], a2[1024], canonical[2048];
  sg_sigv4_cache cache = {0};
  assert_int_equal(sg_sigv4_sign(&r, &c, &cache, a1, sizeof a1, canonical, sizeof canonical), 0);
  assert_non_null(strstr(a1, "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"));
  assert_non_null(strstr(canonical, "x-amz-security-token:token/with+chars=\n"));
  snprintf(c.secret_key, sizeof c.secret_key, "another-secret");
  assert_int_equal(sg_sigv4_sign(&r, &c, &cache, a2, sizeof a2, NULL, 0), 0);
  assert_string_not_equal(strstr(a1, "Signature="), strstr(a2, "Signature="));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(get_object_with_range),
    cmocka_unit_test(put_object),
    cmocka_unit_test(get_bucket_lifecycle),
    cmocka_unit_test(list_objects),
    cmocka_unit_test(encoding_follows_the_rules),
    cmocka_unit_test(session_token_is_signed_and_cache_follows_the_secret),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
