/* targets.h - the checks of TARGETS.md (src/tables/targets.def) over a
 * dataset's measurements, and their table and JSON forms.
 *
 * generate runs them on the statistics it gathered and records them in the
 * manifest; verify runs them on what it recomputed from the files. */
#ifndef SPOTGEN_TARGETS_H
#define SPOTGEN_TARGETS_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "spotgen/model/config.h"
#include "spotgen/model/copula.h"
#include "spotgen/dataset/stats.h"

/* What the checks need beyond the statistics. */
typedef struct sg_measures {
  const sg_stats *stats;
  const sg_config *cfg;      /* for the configured correlation targets */
  int have_artists;          /* rows per artist were counted */
  double artist_top1, artist_gini;
  int have_tracks;           /* rows per track were counted */
  double track_spearman;     /* sg_track_spearman */
  const char *tracks_note;   /* why not, when !have_tracks */
  const sg_copula *copula;   /* the model's predictions (built from cfg), or NULL */
} sg_measures;

typedef enum { SG_CHECK_PASS, SG_CHECK_FAIL, SG_CHECK_SKIP } sg_check_status;

typedef struct sg_check {
  const char *name;
  double lo, hi;             /* the range, after configured targets are applied */
  double value;
  sg_check_status status;
  const char *note;          /* why a check was skipped */
  const char *cols[2];       /* the columns of a correlation check, else NULL */
  int absolute;              /* the check is of |r| */
} sg_check;

#define SG_MAX_CHECKS 96

/*! sg_targets_run() : runs every check into `out` (SG_MAX_CHECKS entries).
 *  @return : the number of checks. */
int sg_targets_run(const sg_measures *m, sg_check *out);

/*! sg_targets_failed() : how many of the `n` checks failed. */
int sg_targets_failed(const sg_check *c, int n);

/*! sg_artist_summary() :
 *  The share of rows held by the top 1% of artists and the Gini coefficient
 *  of rows per artist, over artists with at least one row. `counts` (n
 *  entries, zeros allowed) is sorted in place. */
void sg_artist_summary(uint64_t *counts, size_t n, double *top1, double *gini);

/* The tracks' rows in order, without sorting a copy of them: a histogram
 * of the counts below 65,536 (as prefix sums) and the few larger ones,
 * sorted. */
typedef struct sg_track_order {
  uint64_t *below;  /* below[c]: tracks with 1 <= rows < c, for c <= 65,536 */
  uint32_t *big;    /* rows of 65,536 and more, ascending */
  size_t nbig;
  uint64_t placed;  /* tracks with rows */
} sg_track_order;

/*! sg_track_order_init() : the order of the `n` tracks' rows (0: no row).
 *  @return : 0, or -1 when out of memory. */
int sg_track_order_init(sg_track_order *o, const uint32_t *rows, size_t n);
void sg_track_order_free(sg_track_order *o);

/*! sg_track_order_rank() : the mean rank, from 1 for the least placed, of a
 *  track with `rows` rows (ties share it). */
double sg_track_order_rank(const sg_track_order *o, uint32_t rows);

/*! sg_track_order_at() : the rows of the r-th most placed track (1-based). */
uint32_t sg_track_order_at(const sg_track_order *o, uint64_t r);

/*! sg_track_spearman() :
 *  Spearman's r between the rows and the popularity of the tracks with at
 *  least one row (ties take their mean rank): `rows` and `popularity` have
 *  `n` entries, a track without rows has rows 0. NAN with fewer than two
 *  tracks or no spread. Memory: half a MiB and the tracks of 65,536 rows or
 *  more, whatever n. */
double sg_track_spearman(const uint32_t *rows, const uint8_t *popularity, size_t n);

/*! sg_audio_r2() : the share of popularity_score's variance the nine audio
 *  features (danceability, energy, loudness, speechiness, acousticness,
 *  instrumentalness, liveness, valence, tempo) explain together, by least
 *  squares over the rows (from the correlations); NAN when they are
 *  collinear. */
double sg_audio_r2(const sg_stats *s);

/*! sg_checks_json() : the checks as a JSON array. */
cJSON *sg_checks_json(const sg_check *c, int n);

/*! sg_checks_print() : the checks as a table (target, range, measured, result). */
void sg_checks_print(FILE *f, const sg_check *c, int n);

#endif
