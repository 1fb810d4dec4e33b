/* json.h - one JSON document from a text, and nothing after it: a second
 * pasted object, a comment or stray bytes make the whole text invalid
 * (cJSON_Parse alone stops at the end of the first value). */
#ifndef SPOTGEN_JSON_H
#define SPOTGEN_JSON_H

#include <cjson/cJSON.h>

/*! sg_json_parse() : the document `text` holds, or NULL when it is not
 *  exactly one JSON value (whitespace around it allowed); then *line (may be
 *  NULL) is the line, from 1, where it stops making sense. */
cJSON *sg_json_parse(const char *text, int *line);

#endif
