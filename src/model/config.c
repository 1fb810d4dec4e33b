/* config.c - defaults, --config overrides and their checks (config.h). */
#include "spotgen/model/config.h"
#include "spotgen/base/json.h"
#include "spotgen/base/numfmt.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_MIN_ARTISTS 100         /* artists grow with the rows from at least this many */
#define LOUD_CV 0.55                    /* loudness sd / depth below 0 dB */

void sg_config_default(sg_config *c)
{
  memset(c, 0, sizeof *c);
  for (int k = 0; k < SG_NCAT; k++) {
    const sg_category_defaults *d = sg_category_defaults_of(k);
    c->share[k] = d->share;
    memcpy(c->profile[k], d->profile, sizeof d->profile);
    memcpy(c->cat_corr[k], d->corr, sizeof d->corr);
  }
  /* Loudness rises about 10 dB from the quietest to the most energetic
   * music, around Spotify's typical -8 dB; within a category it spreads
   * over a log-normal depth below 0 dB, so quiet music reaches far down
   * (the 114K-track dataset: mean -8.3 dB, sd 5.0, skewness -2.0). */
  c->loud_intercept_db = -14.5;
  c->loud_slope_db = 10.0;
  c->loud_cv = LOUD_CV;
  for (int f = 0; f < SG_NFEAT; f++)
    for (int g = 0; g < SG_NFEAT; g++)
      c->corr[f][g] = sg_default_correlation(f, g);
  c->artists = 0;
  c->artists_growth = 0.6;
  c->artist_exponent = 0.85;
  c->artist_fame = 0.9;
  c->artist_followers_median = 2000;
  c->artist_followers_sigma = 2.5;
  c->albums_mean = 4.2;
  /* Spotify's playlists went from "over 2 billion" (May 2018) to "over 4
   * billion" (2021): about 0.08% more a day, births less deaths. */
  c->days.births = 0.001;
  c->days.deaths = 0.0002;
  c->days.edited = 0.25;
  c->days.edit_tracks = 2.0;
  c->days.edit_removal = 0.02;
  c->days.follower_growth = 0.0005;
  c->days.follower_growth_sd = 0.001;
  c->days.follower_noise = 0.01;
  c->days.follower_rise_days = 60;
  /* About 120,000 new tracks reach the streaming services a day, in a
   * catalogue of about 184 million (Luminate's 2023 year-end report):
   * 0.065% a day. Most come out on Fridays, the industry's Global Release
   * Day since July 2015. "Current" music (released in the last 18 months)
   * is about a quarter of on-demand audio streams (Luminate, 2023). */
  c->days.releases = 0.00065;
  c->days.release_friday = 0.8;
  c->days.release_lift = 25;
  c->days.release_rise_days = 3;
  c->days.release_decay_days = 45;
  c->days.new_share = 0.25;
  c->days.start = sg_days_from_civil(2024, 1, 1);
  c->playlist_median = 50;
  c->playlist_sigma = 0.9;
  c->playlist_max = 10000;
  c->followers_median = 400;
  c->followers_sigma = 2.0;
  c->tracks = 0;
  c->tracks_growth = 0.6;
  c->track_exponent = 1.3;
  c->track_offset = 100;
  c->crossover = 0.1;
  c->artist_link = 0.8;
  c->pop_track_a = 2.0;
  c->pop_track_b = 4.5;
  c->pop_artist_share = 0.5;
  c->pop_noise_sd = 8.0;
  c->pop_per_danceability = 10.0;
  c->pop_per_energy = 8.0;
  c->pop_per_year = 0.6;
}

sg_profile sg_config_loudness(const sg_config *c, int cat)
{
  double mean = c->loud_intercept_db + c->loud_slope_db * c->profile[cat][SG_F_ENERGY].mean;
  sg_profile p = {mean, c->loud_cv * (sg_features()[SG_F_LOUDNESS].hi - mean), 0, 0, 0, 0, 0};
  return p;
}

sg_marginal sg_config_marginal(const sg_config *c, int cat, int f)
{
  const sg_feature_info *fi = &sg_features()[f];
  if (c->quantiles[cat][f]) {
    sg_marginal m = {.kind = fi->kind, .lo = fi->lo, .hi = fi->hi, .knots = c->knots[cat][f]};
    sg_knots_moments(m.knots, &m.mean, &m.sd);
    return m;
  }
  sg_profile p = f == SG_F_LOUDNESS ? sg_config_loudness(c, cat) : c->profile[cat][f];
  sg_marginal m = {fi->kind, p.mean, p.sd, fi->lo, fi->hi, p.zero, p.floor,
                   p.peak, p.peak_at, p.peak_sd, NULL};
  return m;
}

int sg_config_pair_shared(const sg_config *c, int f, int g)
{
  int n = 0;
  for (int k = 0; k < SG_NCAT; k++)
    n += isnan(c->cat_corr[k][f][g]);
  return n;
}

int sg_config_fitted(const sg_config *c)
{
  for (int k = 0; k < SG_NCAT; k++)
    for (int f = 0; f < SG_NFEAT; f++)
      if (c->quantiles[k][f])
        return 1;
  return 0;
}

uint64_t sg_config_artists(const sg_config *c, uint64_t rows)
{
  if (c->artists)
    return c->artists;
  double n = SG_MPD_ARTISTS * pow((double)rows / SG_MPD_ROWS, c->artists_growth);
  return n < DEFAULT_MIN_ARTISTS ? DEFAULT_MIN_ARTISTS : n > 1e12 ? (uint64_t)1e12 : (uint64_t)n;
}

uint64_t sg_config_tracks(const sg_config *c, uint64_t rows)
{
  if (c->tracks)
    return c->tracks;
  double n = SG_MPD_TRACKS * pow((double)rows / SG_MPD_ROWS, c->tracks_growth);
  return n < 100 ? 100 : n > 1e15 ? (uint64_t)1e15 : (uint64_t)n;
}

/* ---- scalar keys --------------------------------------------------------- */

typedef enum { T_DOUBLE, T_U64, T_U32 } scalar_type;

typedef struct scalar_key {
  const char *section, *key;
  size_t offset;
  scalar_type type;
  double lo, hi; /* inclusive */
} scalar_key;

#define D(sec, key, field, lo, hi) {sec, key, offsetof(sg_config, field), T_DOUBLE, lo, hi}
static const scalar_key SCALARS[] = {
  D("loudness", "intercept_db", loud_intercept_db, -60, 0),
  D("loudness", "slope_db", loud_slope_db, -60, 60),
  D("loudness", "cv", loud_cv, 0.01, 3),
  {"catalog", "artists", offsetof(sg_config, artists), T_U64, 0, 1e12},
  D("catalog", "artists_growth", artists_growth, 0.1, 1),
  D("catalog", "artist_exponent", artist_exponent, 0.01, 0.99),
  D("catalog", "artist_fame", artist_fame, 0, 1),
  D("catalog", "artist_followers_median", artist_followers_median, 1, 1e9),
  D("catalog", "artist_followers_sigma", artist_followers_sigma, 0, 5),
  D("catalog", "albums_mean", albums_mean, 0, 63),
  D("catalog", "playlist_median", playlist_median, 1, 10000),
  D("catalog", "playlist_sigma", playlist_sigma, 0, 3),
  {"catalog", "playlist_max", offsetof(sg_config, playlist_max), T_U32, 1, 1000000},
  D("catalog", "followers_median", followers_median, 1, 1e9),
  D("catalog", "followers_sigma", followers_sigma, 0, 4),
  {"catalog", "tracks", offsetof(sg_config, tracks), T_U64, 0, 1e15},
  D("catalog", "tracks_growth", tracks_growth, 0.1, 1),
  D("catalog", "track_exponent", track_exponent, 1.05, 3),
  D("catalog", "track_offset", track_offset, 1, 1e6),
  D("catalog", "crossover", crossover, 0, 0.8),
  D("catalog", "artist_link", artist_link, 0, 0.99),
  D("popularity", "track_a", pop_track_a, 0.1, 50),
  D("popularity", "track_b", pop_track_b, 0.1, 50),
  D("popularity", "artist_share", pop_artist_share, 0, 1),
  D("popularity", "noise_sd", pop_noise_sd, 0, 50),
  D("popularity", "per_danceability", pop_per_danceability, -100, 100),
  D("popularity", "per_energy", pop_per_energy, -100, 100),
  D("popularity", "per_year", pop_per_year, -10, 10),
  D("days", "births", days.births, 0, 0.1),
  D("days", "deaths", days.deaths, 0, 0.1),
  D("days", "edited", days.edited, 0, 1),
  D("days", "edit_tracks", days.edit_tracks, 1, 50),
  D("days", "edit_removal", days.edit_removal, 0, 1),
  D("days", "follower_growth", days.follower_growth, -0.01, 0.01),
  D("days", "follower_growth_sd", days.follower_growth_sd, 0, 0.01),
  D("days", "follower_noise", days.follower_noise, 0, 1),
  D("days", "follower_rise_days", days.follower_rise_days, 1, 3650),
  D("days", "releases", days.releases, 0, 0.01),
  D("days", "release_friday", days.release_friday, 0, 1),
  D("days", "release_lift", days.release_lift, 0, 100),
  D("days", "release_rise_days", days.release_rise_days, 0.1, 365),
  D("days", "release_decay_days", days.release_decay_days, 1, 3650),
  D("days", "new_share", days.new_share, 0, 1),
};
#undef D
#define NSCALARS (sizeof SCALARS / sizeof SCALARS[0])

static sg_err bad(const char *source, const char *key, const char *problem)
{
  return sg_seterr(SG_EUSAGE, "--config %s: %s: %s", source, key, problem);
}

static int ignored(const char *key) { return key[0] == '_'; }

static sg_err set_scalar(sg_config *c, const scalar_key *k, const cJSON *v, const char *source)
{
  char path[128], why[160];
  snprintf(path, sizeof path, "%s.%s", k->section, k->key);
  if (!cJSON_IsNumber(v))
    return bad(source, path, "must be a number");
  double x = v->valuedouble;
  if (!(x >= k->lo && x <= k->hi)) {
    snprintf(why, sizeof why, "%g is outside %g .. %g", x, k->lo, k->hi);
    return bad(source, path, why);
  }
  char *field = (char *)c + k->offset;
  if (k->type == T_DOUBLE) {
    *(double *)field = x;
    return SG_OK;
  }
  if (x != floor(x))
    return bad(source, path, "must be a whole number");
  if (k->type == T_U64)
    *(uint64_t *)field = (uint64_t)x;
  else
    *(uint32_t *)field = (uint32_t)x;
  return SG_OK;
}

static sg_err apply_section(sg_config *c, const cJSON *obj, const char *section, const char *source)
{
  char path[128];
  if (!cJSON_IsObject(obj))
    return bad(source, section, "must be an object");
  for (const cJSON *v = obj->child; v; v = v->next) {
    if (ignored(v->string))
      continue;
    const scalar_key *k = NULL;
    for (size_t i = 0; i < NSCALARS; i++)
      if (strcmp(SCALARS[i].section, section) == 0 && strcmp(SCALARS[i].key, v->string) == 0)
        k = &SCALARS[i];
    snprintf(path, sizeof path, "%s.%s", section, v->string);
    if (!k && strcmp(section, "loudness") == 0 && strcmp(v->string, "sd_db") == 0)
      return bad(source, path,
                 "replaced in 0.12.0 by loudness.cv, the sd as a share of the depth below 0 dB "
                 "(a category of mean -8 dB and cv 0.55 has sd 4.4 dB)");
    if (!k) {
      char keys[256] = "";
      for (size_t i = 0; i < NSCALARS; i++)
        if (strcmp(SCALARS[i].section, section) == 0)
          snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s%s", keys[0] ? ", " : "",
                   SCALARS[i].key);
      char why[320];
      snprintf(why, sizeof why, "unknown key; the keys of %s are %s", section, keys);
      return bad(source, path, why);
    }
    sg_err e = set_scalar(c, k, v, source);
    if (e)
      return e;
  }
  return SG_OK;
}

/* The keys of a profile, in sg_profile, and which features take them. */
typedef enum { FOR_ALL, FOR_UNIT, FOR_TEMPO } profile_for;

typedef struct profile_key {
  const char *key;
  size_t offset;
  profile_for takes; /* FOR_UNIT: the 0 .. 1 features (Beta); FOR_TEMPO: tempo */
} profile_key;

static const profile_key PROFILE_KEYS[] = {
  {"mean", offsetof(sg_profile, mean), FOR_ALL},     {"sd", offsetof(sg_profile, sd), FOR_ALL},
  {"zero", offsetof(sg_profile, zero), FOR_UNIT},    {"floor", offsetof(sg_profile, floor), FOR_UNIT},
  {"peak", offsetof(sg_profile, peak), FOR_TEMPO},   {"peak_at", offsetof(sg_profile, peak_at), FOR_TEMPO},
  {"peak_sd", offsetof(sg_profile, peak_sd), FOR_TEMPO},
};
#define NPROFILE_KEYS (sizeof PROFILE_KEYS / sizeof PROFILE_KEYS[0])

/* Whether feature f takes key k. */
static int takes(int f, const profile_key *k)
{
  return k->takes == FOR_ALL || (k->takes == FOR_UNIT && sg_features()[f].kind == SG_DIST_BETA) ||
         (k->takes == FOR_TEMPO && f == SG_F_TEMPO);
}

/* "quantiles": SG_QKNOTS numbers, the feature's empirical marginal, or null
 * for none. Their order and range are checked with the whole (check()). */
static sg_err apply_quantiles(sg_config *c, int cat, int f, const cJSON *v, const char *path,
                              const char *source)
{
  char why[160];
  if (cJSON_IsNull(v)) {
    c->quantiles[cat][f] = 0;
    return SG_OK;
  }
  snprintf(why, sizeof why,
           "must be an array of %d numbers, the quantiles at p = 0, Phi(-4 + 8 i / %d) .. 1 (or null)",
           SG_QKNOTS, SG_QKNOTS - 1);
  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != SG_QKNOTS)
    return bad(source, path, why);
  int i = 0;
  for (const cJSON *x = v->child; x; x = x->next, i++) {
    if (!cJSON_IsNumber(x) || !isfinite(x->valuedouble))
      return bad(source, path, why);
    c->knots[cat][f][i] = x->valuedouble;
  }
  c->quantiles[cat][f] = 1;
  return SG_OK;
}

static sg_err apply_profile(sg_config *c, int cat, int f, const cJSON *obj, const char *path,
                            const char *source)
{
  char sub[512];
  sg_profile *p = &c->profile[cat][f];
  if (!cJSON_IsObject(obj))
    return bad(source, path, "must be an object like {\"mean\": 0.5, \"sd\": 0.1}");
  for (const cJSON *v = obj->child; v; v = v->next) {
    if (ignored(v->string))
      continue;
    snprintf(sub, sizeof sub, "%s.%s", path, v->string);
    if (strcmp(v->string, "quantiles") == 0) {
      sg_err e = apply_quantiles(c, cat, f, v, sub, source);
      if (e)
        return e;
      continue;
    }
    if (f == SG_F_LOUDNESS)
      return bad(source, sub,
                 "a category's loudness follows energy (set loudness.intercept_db, slope_db "
                 "and cv); it takes \"quantiles\" only");
    const profile_key *k = NULL;
    for (size_t i = 0; i < NPROFILE_KEYS; i++)
      if (strcmp(PROFILE_KEYS[i].key, v->string) == 0)
        k = &PROFILE_KEYS[i];
    if (!k)
      return bad(source, sub,
                 "unknown key; a profile has \"mean\" and \"sd\", and may have \"zero\" and "
                 "\"floor\" (0 .. 1 features), \"peak\", \"peak_at\" and \"peak_sd\" (tempo) "
                 "or \"quantiles\"");
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
      return bad(source, sub, "must be a number");
    *(double *)((char *)p + k->offset) = v->valuedouble;
  }
  return SG_OK;
}

/* A correlation of features a and b from `v` into r[f][g] and r[g][f]:
 * a number strictly between -1 and 1, or (where `nullable`) null, which
 * stores NAN. seen[][] refuses a pair given twice with two values. */
static sg_err apply_pairs(double r[SG_NFEAT][SG_NFEAT], const cJSON *obj, const char *prefix,
                          int nullable, const char *source)
{
  char path[192];
  int seen[SG_NFEAT][SG_NFEAT] = {{0}};
  if (!cJSON_IsObject(obj))
    return bad(source, prefix, "must be an object like {\"energy\": {\"loudness\": 0.75}}");
  for (const cJSON *a = obj->child; a; a = a->next) {
    if (ignored(a->string))
      continue;
    snprintf(path, sizeof path, "%s.%s", prefix, a->string);
    int f = sg_feature_find(a->string);
    if (f < 0)
      return bad(source, path, "unknown feature");
    if (!cJSON_IsObject(a))
      return bad(source, path, "must be an object of feature: correlation");
    for (const cJSON *b = a->child; b; b = b->next) {
      if (ignored(b->string))
        continue;
      snprintf(path, sizeof path, "%s.%s.%s", prefix, a->string, b->string);
      int g = sg_feature_find(b->string);
      if (g < 0)
        return bad(source, path, "unknown feature");
      if (g == f)
        return bad(source, path, "a feature's correlation with itself is 1");
      double x;
      if (nullable && cJSON_IsNull(b))
        x = NAN;
      else if (cJSON_IsNumber(b) && b->valuedouble > -1 && b->valuedouble < 1)
        x = b->valuedouble;
      else
        return bad(source, path,
                   nullable ? "must be a number strictly between -1 and 1, or null (the "
                              "category then follows the whole dataset's target)"
                            : "must be a number strictly between -1 and 1");
      if (seen[f][g] && !(r[f][g] == x || (isnan(x) && isnan(r[f][g]))))
        return bad(source, path, "given twice with different values");
      seen[f][g] = seen[g][f] = 1;
      r[f][g] = r[g][f] = x;
    }
  }
  return SG_OK;
}

static void category_list(char *out, size_t cap)
{
  out[0] = '\0';
  for (int k = 0; k < SG_NCAT; k++)
    snprintf(out + strlen(out), cap - strlen(out), "%s%s", k ? ", " : "", sg_category_name(k));
}

static sg_err apply_categories(sg_config *c, const cJSON *obj, const char *source)
{
  char path[160], why[256], names[128];
  if (!cJSON_IsObject(obj))
    return bad(source, "categories", "must be an object keyed by category name");
  for (const cJSON *cat = obj->child; cat; cat = cat->next) {
    if (ignored(cat->string))
      continue;
    snprintf(path, sizeof path, "categories.%s", cat->string);
    int k = sg_category_find(cat->string);
    if (k < 0) {
      category_list(names, sizeof names);
      snprintf(why, sizeof why, "unknown category; the categories are %s", names);
      return bad(source, path, why);
    }
    if (!cJSON_IsObject(cat))
      return bad(source, path, "must be an object");
    for (const cJSON *v = cat->child; v; v = v->next) {
      if (ignored(v->string))
        continue;
      snprintf(path, sizeof path, "categories.%s.%s", cat->string, v->string);
      if (strcmp(v->string, "share") == 0) {
        if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= 1))
          return bad(source, path, "must be a number between 0 and 1");
        c->share[k] = v->valuedouble;
        continue;
      }
      if (strcmp(v->string, "correlations") == 0) {
        sg_err e = apply_pairs(c->cat_corr[k], v, path, 1, source);
        if (e)
          return e;
        continue;
      }
      int f = sg_feature_find(v->string);
      if (f < 0)
        return bad(source, path, "unknown key; a category has \"share\", \"correlations\" and the features energy, loudness (quantiles only), tempo, acousticness, danceability, valence, instrumentalness, speechiness, liveness, duration_ms");
      sg_err e = apply_profile(c, k, f, v, path, source);
      if (e)
        return e;
    }
  }
  return SG_OK;
}

static sg_err apply_correlations(sg_config *c, const cJSON *obj, const char *source)
{
  return apply_pairs(c->corr, obj, "correlations", 0, source);
}

/* The whole configuration must describe a model: shares summing to 1 and a
 * distribution for every feature of every category. */
static sg_err check(const sg_config *c, const char *source)
{
  char path[160], why[200];
  double sum = 0;
  for (int k = 0; k < SG_NCAT; k++)
    sum += c->share[k];
  if (fabs(sum - 1.0) > 1e-9) {
    snprintf(why, sizeof why, "the shares sum to %.12g; they must sum to 1 (within 1e-9)", sum);
    return bad(source, "categories.*.share", why);
  }
  for (int k = 0; k < SG_NCAT; k++)
    for (int f = 0; f < SG_NFEAT; f++) {
      const sg_feature_info *fi = &sg_features()[f];
      sg_marginal m = sg_config_marginal(c, k, f);
      const char *problem = sg_marginal_check(&m);
      if (problem && m.knots) {
        snprintf(path, sizeof path, "categories.%s.%s.quantiles", sg_category_name(k), fi->name);
        return bad(source, path, problem);
      }
      if (problem) {
        if (f == SG_F_LOUDNESS) {
          snprintf(path, sizeof path, "loudness");
          snprintf(why, sizeof why, "category %s gets loudness mean %g dB and sd %g: %s",
                   sg_category_name(k), m.mean, m.sd, problem);
        } else {
          snprintf(path, sizeof path, "categories.%s.%s", sg_category_name(k), fi->name);
          snprintf(why, sizeof why, "mean %g, sd %g: %s", m.mean, m.sd, problem);
        }
        return bad(source, path, why);
      }
    }
  return SG_OK;
}

sg_err sg_config_apply(sg_config *c, const cJSON *doc, const char *source)
{
  if (!cJSON_IsObject(doc))
    return bad(source, "(top level)", "must be a JSON object");
  for (const cJSON *v = doc->child; v; v = v->next) {
    sg_err e = SG_OK;
    if (ignored(v->string))
      continue;
    if (strcmp(v->string, "categories") == 0)
      e = apply_categories(c, v, source);
    else if (strcmp(v->string, "correlations") == 0)
      e = apply_correlations(c, v, source);
    else if (strcmp(v->string, "loudness") == 0 || strcmp(v->string, "catalog") == 0 ||
             strcmp(v->string, "popularity") == 0 || strcmp(v->string, "days") == 0)
      e = apply_section(c, v, v->string, source);
    else
      e = bad(source, v->string,
              "unknown key; the keys are categories, loudness, correlations, catalog, popularity, days");
    if (e)
      return e;
  }
  sg_err e = check(c, source);
  for (int k = 0; e == SG_OK && k < SG_NCAT; k++) /* the knots' moments, for whoever reads a profile */
    for (int f = 0; f < SG_NFEAT; f++)
      if (c->quantiles[k][f])
        sg_knots_moments(c->knots[k][f], &c->profile[k][f].mean, &c->profile[k][f].sd);
  return e;
}

sg_err sg_config_apply_json(sg_config *c, const char *text, const char *source)
{
  cJSON *doc = sg_json_parse(text, NULL);
  if (!doc)
    return sg_seterr(SG_EUSAGE, "--config %s: %s; check the syntax", source, sg_json_error());
  sg_err e = sg_config_apply(c, doc, source);
  cJSON_Delete(doc);
  return e;
}

/* A profile's keys: those of its fine structure only where the feature
 * takes them. */
static void add_profile(cJSON *obj, const sg_config *c, int cat, int f)
{
  const sg_profile *p = &c->profile[cat][f];
  int knots = c->quantiles[cat][f];
  if (f == SG_F_LOUDNESS && !knots)
    return;
  cJSON *o = cJSON_AddObjectToObject(obj, sg_features()[f].name);
  if (knots) { /* mean and sd for the reader: those of the knots */
    if (f != SG_F_LOUDNESS) {
      cJSON_AddNumberToObject(o, "mean", p->mean);
      cJSON_AddNumberToObject(o, "sd", p->sd);
    }
    cJSON_AddItemToObject(o, "quantiles", cJSON_CreateDoubleArray(c->knots[cat][f], SG_QKNOTS));
    return;
  }
  for (size_t i = 0; i < NPROFILE_KEYS; i++)
    if (takes(f, &PROFILE_KEYS[i]))
      cJSON_AddNumberToObject(o, PROFILE_KEYS[i].key,
                              *(const double *)((const char *)p + PROFILE_KEYS[i].offset));
}

/* The pairs of r[][] into `obj` under `name`: all of them, or (`base` not
 * NULL) those that are set, and null for those unset where `base` sets
 * them, so that the document applied over the defaults gives r[][] again. */
static void add_pairs(cJSON *obj, const char *name, const double r[SG_NFEAT][SG_NFEAT],
                      const double base[SG_NFEAT][SG_NFEAT])
{
  cJSON *corr = NULL;
  for (int f = 0; f < SG_NFEAT; f++) {
    cJSON *o = NULL;
    for (int g = f + 1; g < SG_NFEAT; g++) {
      int unset = base && isnan(r[f][g]);
      if (unset && isnan(base[f][g]))
        continue;
      if (!corr)
        corr = cJSON_AddObjectToObject(obj, name);
      if (!o)
        o = cJSON_AddObjectToObject(corr, sg_features()[f].name);
      cJSON_AddItemToObject(o, sg_features()[g].name,
                            unset ? cJSON_CreateNull() : cJSON_CreateNumber(r[f][g]));
    }
  }
}

cJSON *sg_config_json(const sg_config *c)
{
  cJSON *doc = cJSON_CreateObject();
  cJSON *cats = cJSON_AddObjectToObject(doc, "categories");
  for (int k = 0; k < SG_NCAT; k++) {
    cJSON *o = cJSON_AddObjectToObject(cats, sg_category_name(k));
    cJSON_AddNumberToObject(o, "share", c->share[k]);
    for (int f = 0; f < SG_NFEAT; f++)
      add_profile(o, c, k, f);
    add_pairs(o, "correlations", c->cat_corr[k], sg_category_defaults_of(k)->corr);
  }
  add_pairs(doc, "correlations", c->corr, NULL);
  cJSON *sections[4] = {cJSON_AddObjectToObject(doc, "loudness"), cJSON_AddObjectToObject(doc, "catalog"),
                        cJSON_AddObjectToObject(doc, "popularity"), cJSON_AddObjectToObject(doc, "days")};
  static const char *const NAMES[4] = {"loudness", "catalog", "popularity", "days"};
  for (size_t i = 0; i < NSCALARS; i++) {
    const scalar_key *k = &SCALARS[i];
    const char *field = (const char *)c + k->offset;
    double v = k->type == T_DOUBLE ? *(const double *)field
               : k->type == T_U64  ? (double)*(const uint64_t *)field
                                   : (double)*(const uint32_t *)field;
    for (int s = 0; s < 4; s++)
      if (strcmp(k->section, NAMES[s]) == 0)
        cJSON_AddNumberToObject(sections[s], k->key, v);
  }
  return doc;
}
