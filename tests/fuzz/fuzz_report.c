/* libFuzzer: the report page from hostile manifests (wrong types, missing
 * or empty sections, huge or non-finite numbers, markup in names): every
 * JSON object gives a page, never a crash, an overflow or a hang. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/cmd/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > (1u << 20))
    return 0;
  char *text = malloc(size + 1);
  if (!text)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  cJSON *m = cJSON_Parse(text);
  if (cJSON_IsObject(m)) {
    sg_buf page = {0};
    sg_report_html(&page, m, "fuzz", NULL);
    sg_buf_free(&page);
  }
  cJSON_Delete(m);
  free(text);
  return 0;
}
