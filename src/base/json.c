/* json.c - see json.h. */
#include "spotgen/base/json.h"

#include <stdio.h>
#include <string.h>

static _Thread_local char g_why[200];

/* The first key that an object of `o` (at any depth) holds twice, or NULL. */
static const char *duplicate(const cJSON *o)
{
  for (const cJSON *c = o ? o->child : NULL; c; c = c->next) {
    if (cJSON_IsObject(o) && c->string)
      for (const cJSON *d = c->next; d; d = d->next)
        if (d->string && strcmp(c->string, d->string) == 0)
          return c->string;
    const char *inner = duplicate(c);
    if (inner)
      return inner;
  }
  return NULL;
}

cJSON *sg_json_parse(const char *text, int *line)
{
  const char *end = NULL;
  cJSON *doc = cJSON_ParseWithOpts(text, &end, 1);
  int at = 1;
  const char *twice = doc ? duplicate(doc) : NULL;
  if (!doc) {
    for (const char *p = text; end && *p && p < end; p++)
      at += *p == '\n';
    snprintf(g_why, sizeof g_why, "not valid JSON, or more than one value (near line %d)", at);
  } else if (twice) { /* which of the two counts is anyone's guess: neither */
    snprintf(g_why, sizeof g_why, "the key \"%.120s\" is given twice in one object", twice);
    cJSON_Delete(doc);
    doc = NULL;
    at = 0;
  }
  if (!doc && line)
    *line = at;
  return doc;
}

const char *sg_json_error(void) { return g_why; }
