/* names.c - template expansion for generated names (see words.h). */
#include <stdint.h>
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

/* A template cut once into pieces: literal text, then a list (or none). */
#define MAX_PIECES 12
typedef struct piece {
  const char *lit;
  size_t lit_len;
  const sg_wordlist *list;
} piece;

typedef struct compiled {
  const char *tmpl; /* the template this is, by address */
  int n;
  piece p[MAX_PIECES];
} compiled;

static int compile(const char *tmpl, compiled *c)
{
  c->tmpl = tmpl;
  c->n = 0;
  const char *p = tmpl;
  while (*p) {
    if (c->n == MAX_PIECES)
      return -1;
    piece *pc = &c->p[c->n++];
    const char *open = strchr(p, '{');
    const char *close = open ? strchr(open, '}') : NULL;
    if (!close) {
      *pc = (piece){p, strlen(p), NULL};
      break;
    }
    const sg_wordlist *list = sg_words_find(open + 1, (size_t)(close - open - 1));
    /* an unknown placeholder stays as written */
    *pc = (piece){p, (size_t)((list ? open : close + 1) - p), list};
    p = close + 1;
  }
  return 0;
}

size_t sg_name_expand(const char *tmpl, sg_rng *r, char *out, size_t cap)
{
  static _Thread_local compiled cache[256];
  compiled *c = &cache[((uintptr_t)tmpl >> 3) & 255];
  compiled local;
  if (c->tmpl != tmpl && compile(tmpl, c) != 0) {
    compile(tmpl, &local); /* too many pieces to cache: cut it each time */
    c->tmpl = NULL;
    c = &local;
  }
  size_t n = 0;
  for (int i = 0; i < c->n && n + 1 < cap; i++) {
    const piece *pc = &c->p[i];
    n = append(out, n, cap, pc->lit, pc->lit_len);
    if (pc->list && n + 1 < cap) {
      const char *w = pc->list->words[sg_rng_below(r, pc->list->n)];
      n = append(out, n, cap, w, strlen(w));
    }
  }
  out[n] = '\0';
  return n;
}

size_t sg_name_pick(const sg_wordlist *templates, sg_rng *r, char *out, size_t cap)
{
  return sg_name_expand(templates->words[sg_rng_below(r, templates->n)], r, out, cap);
}

void sg_text_done(sg_text *t, size_t len)
{
  t->len = (uint8_t)len;
  t->quote = t->s[strcspn(t->s, ",\"\r\n")] != '\0';
}

void sg_text_pick(const sg_wordlist *templates, sg_rng *r, sg_text *t)
{
  sg_text_done(t, sg_name_pick(templates, r, t->s, sizeof t->s));
}
