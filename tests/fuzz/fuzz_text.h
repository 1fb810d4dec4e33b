/* fuzz_text.h - the harnesses' input as a choice and a text: the first byte
 * picks what the rest is given to, the rest is copied and NUL-terminated. */
#ifndef SPOTGEN_FUZZ_TEXT_H
#define SPOTGEN_FUZZ_TEXT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The bytes after the first as a malloc'ed string, or NULL when there are
 * none or more than `max`. */
static inline char *fuzz_text(const uint8_t *data, size_t size, size_t max)
{
  if (size < 1 || size > max)
    return NULL;
  char *text = malloc(size);
  if (!text)
    return NULL;
  memcpy(text, data + 1, size - 1);
  text[size - 1] = '\0';
  return text;
}

#endif
