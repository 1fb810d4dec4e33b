/* The catalog: album names cannot repeat within an artist (the templates
 * produce disjoint sets of names), the artist sampler follows its power
 * law, and the artist summary gives known answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/model/catalog.h"
#include "spotgen/model/category.h"
#include "spotgen/dataset/targets.h"
#include "spotgen/model/words.h"
#include "support.h"

typedef struct name {
  char text[SG_NAME_CAP];
  unsigned tmpl;
} name;

static name *names;
static size_t nnames, capnames;

/* Every expansion of `t` from position p, with `prefix` already written. */
static void expand_all(const char *p, char *prefix, size_t n, unsigned tmpl)
{
  const char *open = strchr(p, '{');
  if (!open) {
    if (nnames == capnames) {
      capnames = capnames ? capnames * 2 : 4096;
      names = realloc(names, capnames * sizeof *names);
    }
    snprintf(names[nnames].text, SG_NAME_CAP, "%.*s%s", (int)n, prefix, p);
    names[nnames++].tmpl = tmpl;
    return;
  }
  const char *close = strchr(open, '}');
  const sg_wordlist *l = sg_words_find(open + 1, (size_t)(close - open - 1));
  assert_non_null(l);
  size_t lit = (size_t)(open - p);
  for (unsigned i = 0; i < l->n; i++) {
    size_t w = strlen(l->words[i]);
    memcpy(prefix + n, p, lit);
    memcpy(prefix + n + lit, l->words[i], w);
    expand_all(close + 1, prefix, n + lit + w, tmpl);
  }
}

static int by_text(const void *a, const void *b)
{
  return strcmp(((const name *)a)->text, ((const name *)b)->text);
}

static void album_templates_produce_disjoint_names(void **state)
{
  (void)state;
  char prefix[4 * SG_NAME_CAP];
  for (unsigned t = 0; t < sg_album_templates.n; t++)
    expand_all(sg_album_templates.words[t], prefix, 0, t);
  qsort(names, nnames, sizeof *names, by_text);
  for (size_t i = 1; i < nnames; i++)
    if (strcmp(names[i - 1].text, names[i].text) == 0 && names[i - 1].tmpl != names[i].tmpl)
      fail_msg("'%s' comes from album templates %u and %u", names[i].text, names[i - 1].tmpl,
               names[i].tmpl);
  free(names);
}

static void an_artists_albums_have_distinct_names(void **state)
{
  (void)state;
  sg_catalog c;
  sg_catalog_init(&c, 42, 1000000, test_config());
  for (uint64_t a = 0; a < 300; a++) {
    sg_artist artist;
    sg_catalog_artist(&c, a, &artist);
    artist.albums = SG_MAX_ALBUMS; /* the most any artist has */
    char seen[SG_MAX_ALBUMS][SG_NAME_CAP];
    for (uint32_t j = 0; j < SG_MAX_ALBUMS; j++) {
      sg_album al;
      sg_catalog_album(&c, &artist, j, &al);
      for (uint32_t k = 0; k < j; k++)
        if (strcmp(seen[k], al.name.s) == 0)
          fail_msg("artist %llu: albums %u and %u are both '%s'", (unsigned long long)a, k, j, al.name);
      strcpy(seen[j], al.name.s);
    }
  }
}

static void artist_draws_follow_the_power_law(void **state)
{
  (void)state;
  sg_catalog c;
  sg_catalog_init(&c, 1, 1000000, test_config());
  /* each category's run is its share of sg_config_artists(), in order */
  assert_int_equal(c.artists, sg_config_artists(test_config(), 1000000));
  assert_int_equal(c.artist_first[0], 0);
  assert_int_equal(c.artist_first[SG_NCAT], c.artists);
  for (int k = 0; k < SG_NCAT; k++) {
    const sg_powerlaw *law = &c.artist_law[k];
    uint64_t nk = c.artist_first[k + 1] - c.artist_first[k];
    assert_int_equal(law->n, nk);
    assert_float_equal((double)nk / (double)c.artists, test_config()->share[k], 2.0 / (double)c.artists);
    const int n = 400000;
    uint64_t top = 0, first = 0, last = 0;
    sg_rng r;
    sg_rng_init(&r, 5, 77, (uint64_t)k);
    for (int i = 0; i < n; i++) {
      uint64_t a = sg_powerlaw_rank(law, sg_rng_u01(&r));
      assert_true(a < nk);
      top += a < nk / 100;
      first += a == 0;
      last += a == nk - 1;
    }
    assert_float_equal((double)top / n, sg_powerlaw_share(law, nk / 100), 0.004);
    assert_float_equal((double)first / n, sg_powerlaw_share(law, 1), 0.003);
    assert_true(last > 0); /* the long tail is reached */
    assert_true(sg_powerlaw_share(law, nk / 100) > 0.2);
    /* a track of category k has an artist of k's run, and k's artists make k's genres */
    for (double pos = 0.001; pos < 1; pos += 0.1) {
      uint64_t art = sg_catalog_track_artist(&c, k, pos, 0.3), rank;
      assert_int_equal(sg_catalog_artist_home(&c, art, &rank), k);
      sg_artist a;
      sg_catalog_artist(&c, art, &a);
      assert_int_equal(a.category, k);
      int ok = 0;
      for (unsigned g = 0; g < sg_category_genres(k); g++)
        ok |= a.genre == sg_category_genre(k, g);
      assert_true(ok);
    }
  }
}

/* An artist's popularity and followers follow its fame, which follows its
 * place: the most played artists are the most popular and followed. */
static void famous_artists_are_popular_and_followed(void **state)
{
  (void)state;
  sg_catalog c;
  sg_catalog_init(&c, 3, 10000000, test_config());
  double pop_top = 0, pop_tail = 0, log_top = 0, log_tail = 0;
  const int n = 200;
  for (int k = 0; k < SG_NCAT; k++) {
    uint64_t nk = c.artist_first[k + 1] - c.artist_first[k];
    for (int i = 0; i < n; i++) {
      sg_artist top, tail;
      sg_catalog_artist(&c, c.artist_first[k] + (uint64_t)i, &top);
      sg_catalog_artist(&c, c.artist_first[k] + nk - 1 - (uint64_t)i, &tail);
      assert_true(top.popularity >= 0 && top.popularity <= 100 && tail.followers >= 0);
      pop_top += top.popularity;
      pop_tail += tail.popularity;
      log_top += log10(1.0 + (double)top.followers);
      log_tail += log10(1.0 + (double)tail.followers);
    }
  }
  assert_true(pop_top / (SG_NCAT * n) > pop_tail / (SG_NCAT * n) + 20);
  assert_true(log_top / (SG_NCAT * n) > log_tail / (SG_NCAT * n) + 2); /* a hundred times the followers */
}

/* The longest name a template can make: its text plus the longest word of
 * each list it names. */
static size_t longest(const char *t)
{
  size_t n = 0;
  while (*t) {
    const char *open = strchr(t, '{'), *close = open ? strchr(open, '}') : NULL;
    const sg_wordlist *l = close ? sg_words_find(open + 1, (size_t)(close - open - 1)) : NULL;
    if (!l) {
      n += strlen(t);
      break;
    }
    size_t most = 0;
    for (unsigned i = 0; i < l->n; i++)
      most = strlen(l->words[i]) > most ? strlen(l->words[i]) : most;
    n += (size_t)(open - t) + most;
    t = close + 1;
  }
  return n;
}

/* No name is ever cut short: every template fits, albums with " (Vol. 64)". */
static void every_template_fits_in_a_name(void **state)
{
  (void)state;
  const sg_wordlist *sets[3 + SG_NCAT] = {&sg_track_templates, &sg_artist_templates,
                                          &sg_album_templates};
  for (int c = 0; c < SG_NCAT; c++)
    sets[3 + c] = sg_category_playlist_names(c);
  for (int k = 0; k < 3 + SG_NCAT; k++)
    for (unsigned i = 0; i < sets[k]->n; i++) {
      size_t n = longest(sets[k]->words[i]) + (sets[k] == &sg_album_templates ? 10 : 0);
      if (n >= SG_NAME_CAP)
        fail_msg("\"%s\" can make %zu bytes", sets[k]->words[i], n);
    }
}

/* The rank read off the table is the rank the power law's inverse gives,
 * for exponents where the inverse is nearly straight and steeply curved,
 * below 1 (artists) and above (tracks), with and without an offset. */
static void power_law_rank_from_the_table_equals_the_exact_inverse(void **state)
{
  (void)state;
  static const double EXPONENTS[] = {0.01, 0.3, 0.85, 0.99, 1.05, 1.3, 2.5};
  static const double OFFSETS[] = {1, 100};
  static const uint64_t RANKS[] = {100, 5000, 2000000};
  static sg_powerlaw p;
  for (size_t e = 0; e < sizeof EXPONENTS / sizeof EXPONENTS[0]; e++)
    for (size_t o = 0; o < 2; o++)
      for (size_t k = 0; k < sizeof RANKS / sizeof RANKS[0]; k++) {
        sg_powerlaw_init(&p, RANKS[k], EXPONENTS[e], OFFSETS[o]);
        sg_rng r;
        sg_rng_init(&r, 9, 77, e * 100 + o * 10 + k);
        for (int i = 0; i < 100000; i++) {
          double u = i < 1000 ? (i + 0.5) / 1000.0 : sg_rng_u01(&r);
          double a = 1.0 - EXPONENTS[e], lo = pow(OFFSETS[o], a);
          double span = pow((double)RANKS[k] + OFFSETS[o], a) - lo;
          double x = pow(lo + u * span, 1.0 / a) - OFFSETS[o];
          uint64_t exact = x < 1.0 ? 0 : (uint64_t)x;
          exact = exact < RANKS[k] ? exact : RANKS[k] - 1;
          if (sg_powerlaw_rank(&p, u) != exact)
            fail_msg("exponent %g offset %g ranks %llu u %.17g: %llu, exact %llu", EXPONENTS[e],
                     OFFSETS[o], (unsigned long long)RANKS[k], u,
                     (unsigned long long)sg_powerlaw_rank(&p, u), (unsigned long long)exact);
        }
      }
}

static void artist_summary_gives_known_answers(void **state)
{
  (void)state;
  double top, gini;
  uint64_t equal[100];
  for (int i = 0; i < 100; i++)
    equal[i] = 7;
  sg_artist_summary(equal, 100, &top, &gini);
  assert_float_equal(gini, 0.0, 1e-12);
  assert_float_equal(top, 0.01, 1e-12);
  uint64_t ramp[] = {4, 0, 2, 1, 3}; /* zeros are artists without rows: ignored */
  sg_artist_summary(ramp, 5, &top, &gini);
  assert_float_equal(gini, 0.25, 1e-12); /* Gini of 1, 2, 3, 4 */
  assert_float_equal(top, 0.4, 1e-12);   /* the top 1% of 4 artists is one: 4 of 10 rows */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(album_templates_produce_disjoint_names),
    cmocka_unit_test(an_artists_albums_have_distinct_names),
    cmocka_unit_test(artist_draws_follow_the_power_law),
    cmocka_unit_test(famous_artists_are_popular_and_followed),
    cmocka_unit_test(power_law_rank_from_the_table_equals_the_exact_inverse),
    cmocka_unit_test(every_template_fits_in_a_name),
    cmocka_unit_test(artist_summary_gives_known_answers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
