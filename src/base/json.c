/* json.c - see json.h. */
#include "spotgen/base/json.h"

cJSON *sg_json_parse(const char *text, int *line)
{
  const char *end = NULL;
  cJSON *doc = cJSON_ParseWithOpts(text, &end, 1);
  if (!doc && line) {
    *line = 1;
    for (const char *p = text; end && *p && p < end; p++)
      *line += *p == '\n';
  }
  return doc;
}
