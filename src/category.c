/* category.c - the category table (data) and its one lookup. */
#include "spotgen/category.h"

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

static const sg_category CATEGORIES[SG_NCAT] = {
  /* name     share  names                    energy       tempo         acoustic     dance        valence */
  {"workout", 0.22, LIST("workout", WORKOUT_N), {0.82, 0.12}, {138, 20}, {0.08, 0.08}, {0.63, 0.12}, {0.52, 0.20}},
  {"sleep",   0.14, LIST("sleep", SLEEP_N),     {0.22, 0.12}, {92, 18},  {0.82, 0.14}, {0.36, 0.12}, {0.20, 0.12}},
  {"party",   0.22, LIST("party", PARTY_N),     {0.80, 0.12}, {122, 18}, {0.10, 0.09}, {0.76, 0.10}, {0.68, 0.18}},
  {"chill",   0.24, LIST("chill", CHILL_N),     {0.48, 0.15}, {112, 20}, {0.58, 0.20}, {0.56, 0.13}, {0.46, 0.18}},
  {"focus",   0.18, LIST("focus", FOCUS_N),     {0.45, 0.15}, {110, 20}, {0.42, 0.20}, {0.42, 0.12}, {0.32, 0.16}},
};

const sg_category *sg_categories(void) { return CATEGORIES; }

int sg_category_pick(double u)
{
  double acc = 0;
  for (int i = 0; i < SG_NCAT - 1; i++) {
    acc += CATEGORIES[i].share;
    if (u < acc)
      return i;
  }
  return SG_NCAT - 1;
}
