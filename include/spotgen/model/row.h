/* row.h - one generated row: the 24 columns plus the facts statistics need.
 *
 * Doubles are held as fixed-point integers with the number of decimals the
 * schema gives (energy 0.6543 is 6543 with 4 decimals). What is written is
 * then exactly what was generated: CSV prints the digits, Parquet stores
 * value / 10^decimals, and statistics are computed on that same value.
 */
#ifndef SPOTGEN_ROW_H
#define SPOTGEN_ROW_H

#include <stdint.h>
#include <string.h>

#define SG_ID_LEN 22     /* base62 characters of a Spotify-style id */
#define SG_NAME_CAP 64   /* bytes for a name, terminating NUL included (the
                            longest any template can make is 56; a test checks) */

/* A generated name with what writers need to know of it, found once when
 * the name is made (once per artist, album or playlist, not per row). */
typedef struct sg_text {
  char s[SG_NAME_CAP]; /* NUL-terminated */
  uint8_t len;         /* strlen(s) */
  uint8_t quote;       /* CSV must quote it: it holds , " CR or LF */
} sg_text;

_Static_assert(SG_NAME_CAP >= 32, "names are copied 32 bytes at a time");

/*! sg_text_copy() : *dst = *src, copying only the bytes in use (bytes of
 *  dst->s past its NUL are left as they were). */
static inline void sg_text_copy(sg_text *dst, const sg_text *src)
{
  memcpy(dst->s, src->s, 32); /* most names, and their NUL */
  if (src->len >= 32)
    memcpy(dst->s + 32, src->s + 32, src->len - 31u);
  dst->len = src->len;
  dst->quote = src->quote;
}

typedef struct sg_row {
  char track_id[SG_ID_LEN + 1];
  char artist_id[SG_ID_LEN + 1];
  char playlist_id[SG_ID_LEN + 1];
  char album_id[SG_ID_LEN + 1];  /* not one of the 24: the albums table's key (--tables) */
  /* not among the 24 either: the artists table's attributes (--tables) */
  const sg_text *artist_genre;
  int32_t artist_popularity;
  int64_t artist_followers;
  /* not among the 24 either: a change's (--days) */
  const sg_text *op;             /* insert, delete, update_before, update_after */
  int64_t change_ts;             /* seconds since 1970-01-01 00:00:00 UTC */
  sg_text track_name;
  sg_text artist_name;
  sg_text album_name;
  sg_text playlist_name;
  const sg_text *playlist_category; /* the category's name, held by the model */
  int32_t release_date;          /* days since 1970-01-01 */
  int64_t num_followers;
  int32_t popularity_score;
  int32_t energy;           /* 4 decimals */
  int32_t loudness;         /* 3 decimals, dB */
  int32_t danceability;     /* 4 decimals */
  int32_t valence;          /* 4 decimals */
  int32_t tempo;            /* 3 decimals, BPM */
  int32_t acousticness;     /* 4 decimals */
  int32_t instrumentalness; /* 4 decimals */
  int32_t speechiness;      /* 4 decimals */
  int32_t liveness;         /* 4 decimals */
  int32_t duration_ms;
  int32_t key;
  int32_t mode;
  int32_t time_signature;
  /* Not columns: facts the statistics group by. */
  uint64_t row;          /* global row index */
  uint64_t track;        /* numeric track id (catalog.h) */
  int32_t position;      /* 0-based, within its playlist (playlist_tracks' column) */
  uint64_t artist;       /* numeric artist id */
  uint64_t album;        /* numeric album id (sg_catalog_album_id) */
  uint64_t playlist;     /* numeric playlist id */
  int32_t release_year;
  uint8_t category;      /* index into the category table */
  uint8_t playlist_first;/* the first row of its playlist */
} sg_row;

#endif
