/* libFuzzer: the S3 XML answers spotgen parses (ListObjectsV2 and
 * ListMultipartUploads pages, error bodies, the text of a tag with its
 * entities) with hostile input: never a crash or a read out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/s3/s3.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_object(const char *name, uint64_t size, void *ctx)
{
  (void)size;
  *(size_t *)ctx += strlen(name);
  return 0;
}

static int on_upload(const char *key, const char *id, void *ctx)
{
  *(size_t *)ctx += strlen(key) + strlen(id);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 65536)
    return 0;
  char *xml = malloc(size + 1);
  if (!xml)
    return 0;
  memcpy(xml, data, size);
  xml[size] = '\0';
  static const char *const TAGS[] = {"Code", "Message", "UploadId", "ETag", "Key", "Size"};
  char out[64];
  for (size_t i = 0; i < sizeof TAGS / sizeof TAGS[0]; i++)
    for (const char *p = xml; p;)
      p = sg_s3_xml_text(p, TAGS[i], out, sizeof out);
  size_t seen = 0;
  char token[128], marker[128];
  sg_s3_parse_list(xml, "", on_object, &seen, token, sizeof token);
  sg_s3_parse_list(xml, "data/run", on_object, &seen, token, sizeof token);
  sg_s3_parse_uploads(xml, "data/", on_upload, &seen, token, sizeof token, marker, sizeof marker);
  free(xml);
  return 0;
}
