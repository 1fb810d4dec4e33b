/* json.h - one JSON document from a text, and nothing after it: a second
 * pasted object, a comment or stray bytes make the whole text invalid
 * (cJSON_Parse alone stops at the end of the first value). */
#ifndef SPOTGEN_JSON_H
#define SPOTGEN_JSON_H

#include <cjson/cJSON.h>

/*! sg_json_parse() : the document `text` holds, or NULL when it is not
 *  exactly one JSON value (whitespace around it allowed), or when an object
 *  in it holds a key twice (readers disagree on which counts: cJSON takes
 *  the first, Python the last); then *line (may be NULL) is the line, from
 *  1, where it stops making sense (0 for a key given twice). */
cJSON *sg_json_parse(const char *text, int *line);

/*! sg_json_error() : why the last sg_json_parse of this thread failed, as
 *  a phrase: "not valid JSON, or more than one value (near line 3)", "the
 *  key \"rows\" is given twice in one object". */
const char *sg_json_error(void);

#endif
