/* names.c - template expansion for generated names (see words.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/model/words.h"

const sg_wordlist *sg_words_find(const char *name, size_t len)
{
  for (unsigned i = 0; i < sg_word_lists_n; i++)
    if (strlen(sg_word_lists[i].name) == len && memcmp(sg_word_lists[i].name, name, len) == 0)
      return &sg_word_lists[i];
  return NULL;
}

/* What expansion needs of a list's words, measured once: lengths, and
 * whether CSV must quote a name holding the word. */
typedef struct list_info {
  const sg_wordlist *list;
  char *text;     /* the words one after another, then COPY_BLOCK bytes of padding */
  uint32_t *off;  /* of each word in text */
  uint8_t *len;
  uint8_t *quote;
} list_info;

/* Words are copied COPY_BLOCK bytes at a time, past their end when there is
 * room: from `text`, which is padded, into a name with room to spare. */
#define COPY_BLOCK 32

static int needs_quote(const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
      return 1;
  return 0;
}

/* The measurements of sg_word_lists[k], made on first use (NULL when out
 * of memory: expansion then measures each word as it goes). */
static const list_info *info_of(const sg_wordlist *list)
{
  static list_info info[64];
  size_t k = (size_t)(list - sg_word_lists); /* compile() only meets these lists */
  if (k >= sg_word_lists_n || k >= sizeof info / sizeof info[0])
    return NULL;
  list_info *li = &info[k];
  if (li->list)
    return li;
  size_t total = COPY_BLOCK;
  for (unsigned i = 0; i < list->n; i++) {
    size_t n = strlen(list->words[i]);
    if (n > UINT8_MAX)
      return NULL; /* a length a byte cannot hold: measured as it goes */
    total += n;
  }
  li->off = malloc(list->n * (sizeof *li->off + 2) + total);
  if (!li->off)
    return NULL;
  li->len = (uint8_t *)(li->off + list->n);
  li->quote = li->len + list->n;
  li->text = (char *)(li->quote + list->n);
  size_t at = 0;
  for (unsigned i = 0; i < list->n; i++) {
    size_t n = strlen(list->words[i]);
    memcpy(li->text + at, list->words[i], n);
    li->off[i] = (uint32_t)at;
    li->len[i] = (uint8_t)n;
    li->quote[i] = (uint8_t)needs_quote(list->words[i], n);
    at += n;
  }
  memset(li->text + at, 0, COPY_BLOCK);
  li->list = list;
  return li;
}

/* A template cut once into pieces: literal text, then a list (or none). */
#define MAX_PIECES 12
typedef struct piece {
  const char *lit;
  size_t lit_len;
  int lit_quote;
  const sg_wordlist *list;
  const list_info *info; /* of list */
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
    const sg_wordlist *list = close ? sg_words_find(open + 1, (size_t)(close - open - 1)) : NULL;
    /* an unknown placeholder stays as written */
    size_t len = !close ? strlen(p) : (size_t)((list ? open : close + 1) - p);
    *pc = (piece){p, len, needs_quote(p, len), list, list ? info_of(list) : NULL};
    if (!close)
      break;
    p = close + 1;
  }
  return 0;
}

/* Appends len bytes of s, or what fits in t, never cutting a UTF-8
 * character in two. `s` may be read COPY_BLOCK bytes past its start when
 * `block`. @return : 0 when it all fitted. */
static int append(sg_text *t, size_t *n, const char *s, size_t len, int block)
{
  if (block && len <= COPY_BLOCK && *n + COPY_BLOCK < sizeof t->s) {
    memcpy(t->s + *n, s, COPY_BLOCK);
    *n += len;
    return 0;
  }
  int cut = 0;
  if (*n + len >= sizeof t->s) {
    len = sizeof t->s - 1 - *n;
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
      len--;
    cut = 1;
  }
  for (size_t i = 0; i < len; i++) /* words are short: no call to memcpy */
    t->s[*n + i] = s[i];
  *n += len;
  return cut;
}

void sg_text_expand(const char *tmpl, sg_rng *r, sg_text *t)
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
  int quote = 0, cut = 0;
  for (int i = 0; i < c->n && !cut; i++) {
    const piece *pc = &c->p[i];
    cut = append(t, &n, pc->lit, pc->lit_len, 0);
    quote |= pc->lit_quote;
    if (pc->list && !cut) {
      const list_info *li = pc->info;
      unsigned w = sg_rng_below(r, pc->list->n);
      if (li)
        cut = append(t, &n, li->text + li->off[w], li->len[w], 1);
      else
        cut = append(t, &n, pc->list->words[w], strlen(pc->list->words[w]), 0);
      quote |= li ? li->quote[w] : 1;
    }
  }
  t->s[n] = '\0';
  t->len = (uint8_t)n;
  t->quote = (uint8_t)(cut ? needs_quote(t->s, n) : quote); /* a cut may drop the comma */
}

void sg_text_pick(const sg_wordlist *templates, sg_rng *r, sg_text *t)
{
  sg_text_expand(templates->words[sg_rng_below(r, templates->n)], r, t);
}

void sg_text_done(sg_text *t)
{
  size_t n = strlen(t->s);
  t->len = (uint8_t)n;
  t->quote = (uint8_t)needs_quote(t->s, n);
}
