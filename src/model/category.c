/* category.c - the category and feature tables and their lookups. */
#include "spotgen/model/category.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define LIST(name, arr) {name, arr, (unsigned)(sizeof arr / sizeof arr[0])}

static const char *const WORKOUT_N[] = {
  "Beast Mode", "{adj} Workout", "Cardio {noun}", "Gym {nouns}", "Run, {first}, Run",
  "HIIT the {noun}", "Power Hour", "{adj} Lifting", "Workout Twerkout", "{first}'s Gym Mix",
  "Motivation Mix", "Running {noun}", "Pump It Up", "Spin Class: {adj} {noun}",
};
static const char *const SLEEP_N[] = {
  "Deep Sleep", "Sleepy {noun}", "{adj} Night", "Lullabies for {first}", "Sleep & Rain",
  "Night {noun}", "Peaceful {noun}", "Dreamland", "Calm Before Bed", "{first}'s Sleep Mix",
  "White Noise, Soft Piano", "Goodnight, {place}",
};
static const char *const PARTY_N[] = {
  "Party {nouns}", "Friday Night {noun}", "{adj} Party Hits", "Pregame {noun}",
  "Dance Floor {noun}", "Saturday Night Fever", "{first}'s Birthday Bash", "Fiesta Latina",
  "Club {noun}", "House Party: {place}", "Throwback Party", "Songs to Sing in the Car",
};
static const char *const CHILL_N[] = {
  "Chill {nouns}", "Lazy Sunday", "Sunday {noun}", "Chill Vibes", "{adj} Afternoon",
  "Coffee & {noun}", "Lo-Fi {noun}", "Rainy Day {noun}", "Café del {noun}",
  "{first}'s Chill Mix", "Évasion", "Easy {noun}", "Acoustic {noun}",
};
static const char *const FOCUS_N[] = {
  "Deep Focus", "Study {noun}", "Brain Food", "Coding {noun}", "Concentration {noun}",
  "Focus Flow", "Peaceful Piano", "Reading {noun}", "Work From Home", "{adj} Focus",
  "Exam Season", "{first}'s Study Session", "Intense Studying",
};

/* The genres of each category's artists (Spotify's genre names), in the
 * order of categories.def: an artist's primary genre is one of its
 * category's. */
#define GENRES_MAX 5
static const char *const GENRES[SG_NCAT][GENRES_MAX] = {
  {"edm", "hip hop", "rock", "trap", "metal"},
  {"ambient", "classical", "new age", "piano", "sleep"},
  {"dance pop", "edm", "house", "reggaeton", "pop"},
  {"indie", "acoustic", "r&b", "soul", "lo-fi"},
  {"lo-fi", "classical", "piano", "ambient", "jazz"},
};

unsigned sg_category_genres(int c)
{
  (void)c;
  return GENRES_MAX;
}

const sg_text *sg_category_genre(int c, unsigned i)
{
  static sg_text text[SG_NCAT][GENRES_MAX];
  static int ready;
  if (!ready) {
    for (int k = 0; k < SG_NCAT; k++)
      for (unsigned j = 0; j < GENRES_MAX; j++) {
        snprintf(text[k][j].s, sizeof text[k][j].s, "%s", GENRES[k][j]);
        sg_text_done(&text[k][j]);
      }
    ready = 1;
  }
  return &text[c][i];
}

/* In the order of categories.def. */
static const sg_wordlist PLAYLIST_NAMES[SG_NCAT] = {
  LIST("workout", WORKOUT_N), LIST("sleep", SLEEP_N), LIST("party", PARTY_N),
  LIST("chill", CHILL_N),     LIST("focus", FOCUS_N),
};

static const sg_feature_info FEATURES[SG_NFEAT] = {
#define FEATURE(id, name, family, lo, hi) [id] = {name, family, lo, hi},
#include "spotgen/model/features.def"
#undef FEATURE
};

#define P(m, s) {m, s, 0, 0, 0, 0, 0}
#define CATEGORY(name, share, em, es, tm, ts, am, as, dm, ds, vm, vs, im, is, sm, ss, lm, ls, \
                 um, us)                                                                     \
  {#name, share, {[SG_F_ENERGY] = P(em, es), [SG_F_TEMPO] = P(tm, ts),                       \
                  [SG_F_ACOUSTICNESS] = P(am, as), [SG_F_DANCEABILITY] = P(dm, ds),          \
                  [SG_F_VALENCE] = P(vm, vs), [SG_F_INSTRUMENTALNESS] = P(im, is),           \
                  [SG_F_SPEECHINESS] = P(sm, ss), [SG_F_LIVENESS] = P(lm, ls),               \
                  [SG_F_DURATION] = P(um, us)}, {{0}}},
static const sg_category_defaults TABLE[SG_NCAT] = {
#include "tables/categories.def"
};
#undef CATEGORY
#undef P

typedef struct shape_entry {
  const char *category, *feature;
  double zero, floor, peak, peak_at, peak_sd;
} shape_entry;

static const shape_entry SHAPES[] = {
#define SHAPE(cat, f, zero, floor, peak, at, sd) {#cat, #f, zero, floor, peak, at, sd},
#include "tables/shapes.def"
#undef SHAPE
};

typedef struct cat_corr_entry {
  const char *category, *f, *g;
  double r;
} cat_corr_entry;

static const cat_corr_entry CATEGORY_CORRELATIONS[] = {
#define CORR(f, g, r)
#define CAT_CORR(cat, f, g, r) {#cat, #f, #g, r},
#include "tables/correlations.def"
#undef CAT_CORR
#undef CORR
};

typedef struct corr_entry {
  const char *f, *g;
  double r;
} corr_entry;

static const corr_entry CORRELATIONS[] = {
#define CORR(f, g, r) {#f, #g, r},
#define CAT_CORR(cat, f, g, r)
#include "tables/correlations.def"
#undef CAT_CORR
#undef CORR
};

const sg_feature_info *sg_features(void) { return FEATURES; }

int sg_feature_find(const char *name)
{
  for (int f = 0; f < SG_NFEAT; f++)
    if (strcmp(FEATURES[f].name, name) == 0)
      return f;
  return -1;
}

const char *sg_category_name(int c) { return TABLE[c].name; }

int sg_category_find(const char *name)
{
  for (int c = 0; c < SG_NCAT; c++)
    if (strcmp(TABLE[c].name, name) == 0)
      return c;
  return -1;
}

const sg_wordlist *sg_category_playlist_names(int c) { return &PLAYLIST_NAMES[c]; }

/* The table's rows with shapes.def's fine structure and the categories'
 * own correlations filled in, once. */
static const sg_category_defaults *defaults(void)
{
  static sg_category_defaults d[SG_NCAT];
  static int ready;
  if (ready)
    return d;
  memcpy(d, TABLE, sizeof d);
  for (int c = 0; c < SG_NCAT; c++)
    for (int f = 0; f < SG_NFEAT; f++)
      for (int g = 0; g < SG_NFEAT; g++)
        d[c].corr[f][g] = f == g ? 1.0 : NAN;
  for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++) {
    const shape_entry *e = &SHAPES[i];
    sg_profile *p = &d[sg_category_find(e->category)].profile[sg_feature_find(e->feature)];
    p->zero = e->zero;
    p->floor = e->floor;
    p->peak = e->peak;
    p->peak_at = e->peak_at;
    p->peak_sd = e->peak_sd;
  }
  for (size_t i = 0; i < sizeof CATEGORY_CORRELATIONS / sizeof CATEGORY_CORRELATIONS[0]; i++) {
    const cat_corr_entry *e = &CATEGORY_CORRELATIONS[i];
    int c = sg_category_find(e->category), f = sg_feature_find(e->f), g = sg_feature_find(e->g);
    d[c].corr[f][g] = d[c].corr[g][f] = e->r;
  }
  ready = 1;
  return d;
}

const sg_category_defaults *sg_category_defaults_of(int c) { return &defaults()[c]; }

double sg_default_correlation(int f, int g)
{
  if (f == g)
    return 1.0;
  for (size_t i = 0; i < sizeof CORRELATIONS / sizeof CORRELATIONS[0]; i++) {
    int a = sg_feature_find(CORRELATIONS[i].f), b = sg_feature_find(CORRELATIONS[i].g);
    if ((a == f && b == g) || (a == g && b == f))
      return CORRELATIONS[i].r;
  }
  return 0.0;
}
