/* words.h - word lists and name templates, kept as data (words.c).
 *
 * A template is a string with {list} placeholders, e.g. "{adj} {noun}";
 * sg_text_expand() replaces each placeholder with a word drawn from the
 * list of that name. Names are thus a pure function of the rng draws. */
#ifndef SPOTGEN_WORDS_H
#define SPOTGEN_WORDS_H

#include <stddef.h>

#include "spotgen/model/rng.h"
#include "spotgen/model/row.h"

typedef struct sg_wordlist {
  const char *name;
  const char *const *words;
  unsigned n;
} sg_wordlist;

/* The named lists ({adj}, {noun}, ...) and template sets. */
extern const sg_wordlist sg_word_lists[];
extern const unsigned sg_word_lists_n;

extern const sg_wordlist sg_track_templates;
extern const sg_wordlist sg_artist_templates;
extern const sg_wordlist sg_album_templates;

/*! sg_words_find() : the list called `name` (`len` bytes), or NULL. */
const sg_wordlist *sg_words_find(const char *name, size_t len);

/*! sg_text_expand() :
 *  Writes `tmpl` into `t` with every {list} replaced by a word drawn from
 *  `r` (truncated at a UTF-8 character boundary to fit, NUL-terminated),
 *  with its length and whether CSV must quote it. Unknown placeholders are
 *  copied as written. */
void sg_text_expand(const char *tmpl, sg_rng *r, sg_text *t);

/*! sg_text_pick() : expands a template drawn from `templates`. */
void sg_text_pick(const sg_wordlist *templates, sg_rng *r, sg_text *t);

/*! sg_text_done() : sets t->len and t->quote from t->s, after changing it. */
void sg_text_done(sg_text *t);

#endif
