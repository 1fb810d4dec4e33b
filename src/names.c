/* names.c - template expansion for generated names (see words.h). */
#include <string.h>

#include "spotgen/words.h"

const sg_wordlist *sg_words_find(const char *name, size_t len)
{
  for (unsigned i = 0; i < sg_word_lists_n; i++)
    if (strlen(sg_word_lists[i].name) == len && memcmp(sg_word_lists[i].name, name, len) == 0)
      return &sg_word_lists[i];
  return NULL;
}

static size_t append(char *out, size_t n, size_t cap, const char *s, size_t len)
{
  if (n + len >= cap) {
    len = cap - 1 - n;
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
      len--; /* never cut a UTF-8 character in two */
  }
  memcpy(out + n, s, len);
  return n + len;
}

size_t sg_name_expand(const char *tmpl, sg_rng *r, char *out, size_t cap)
{
  size_t n = 0;
  const char *p = tmpl;
  while (*p && n + 1 < cap) {
    const char *open = strchr(p, '{');
    const char *close = open ? strchr(open, '}') : NULL;
    if (!close) {
      n = append(out, n, cap, p, strlen(p));
      break;
    }
    n = append(out, n, cap, p, (size_t)(open - p));
    const sg_wordlist *list = sg_words_find(open + 1, (size_t)(close - open - 1));
    if (list) {
      const char *w = list->words[sg_rng_below(r, list->n)];
      n = append(out, n, cap, w, strlen(w));
    } else {
      n = append(out, n, cap, open, (size_t)(close - open + 1));
    }
    p = close + 1;
  }
  out[n] = '\0';
  return n;
}

size_t sg_name_pick(const sg_wordlist *templates, sg_rng *r, char *out, size_t cap)
{
  return sg_name_expand(templates->words[sg_rng_below(r, templates->n)], r, out, cap);
}
