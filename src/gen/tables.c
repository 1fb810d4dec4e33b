/* tables.c - --tables' entity tables: artists, albums, tracks and playlists.
 *
 * Part k of an entity table holds the entities part k owns, computed from
 * their ids alone (no row is exchanged between ranks): the k-th of P even
 * slices of the artists' and the catalogue's ids (albums with their
 * artists), and the playlists that start in part k's rows. So every entity
 * is in exactly one part, whatever the number of ranks; playlist_tracks'
 * part k is part k's rows (work.c). */
#include <string.h>

#include "job.h"
#include "spotgen/model/ids.h"

/* The first id of slice k of `n` ids cut into `parts` (128-bit products:
 * n may be large). */
static uint64_t slice(uint64_t n, uint64_t k, uint64_t parts)
{
  return (uint64_t)((unsigned __int128)n * k / parts);
}

/* Buffers row `*n` of the batch; a full batch goes to the format. */
static sg_err put(job *j, size_t *n, uint64_t *rows)
{
  (*rows)++;
  if (++*n < CHUNK)
    return SG_OK;
  *n = 0;
  sg_err e = j->fmt_ops->rows(j->fmt, j->rows, CHUNK);
  return e == SG_OK ? gen_poll_control(j) : e;
}

static sg_err artists(job *j, uint64_t k, uint64_t *rows, size_t *n)
{
  const sg_catalog *c = &j->model.catalog;
  sg_artist a;
  sg_err e = SG_OK;
  const uint64_t end = slice(c->artists, k + 1, j->plan.parts);
  for (uint64_t i = slice(c->artists, k, j->plan.parts); e == SG_OK && i < end; i++) {
    sg_catalog_artist(c, i, &a);
    sg_row *r = &j->rows[*n];
    memcpy(r->artist_id, a.id, sizeof r->artist_id);
    sg_text_copy(&r->artist_name, &a.name);
    e = put(j, n, rows);
  }
  return e;
}

static sg_err albums(job *j, uint64_t k, uint64_t *rows, size_t *n)
{
  const sg_catalog *c = &j->model.catalog;
  sg_artist a;
  sg_album al;
  sg_err e = SG_OK;
  const uint64_t end = slice(c->artists, k + 1, j->plan.parts);
  for (uint64_t i = slice(c->artists, k, j->plan.parts); e == SG_OK && i < end; i++) {
    sg_catalog_artist(c, i, &a);
    for (uint32_t b = 0; e == SG_OK && b < a.albums; b++) {
      sg_catalog_album(c, &a, b, &al);
      sg_row *r = &j->rows[*n];
      sg_make_id(r->album_id, c->seed, SG_STREAM_ALBUM, sg_catalog_album_id(i, b));
      memcpy(r->artist_id, a.id, sizeof r->artist_id);
      sg_text_copy(&r->album_name, &al.name);
      r->release_date = al.release_date;
      e = put(j, n, rows);
    }
  }
  return e;
}

static sg_err tracks(job *j, uint64_t k, uint64_t *rows, size_t *n)
{
  const sg_catalog *c = &j->model.catalog;
  sg_err e = SG_OK;
  const uint64_t end = slice(c->tracks, k + 1, j->plan.parts);
  for (uint64_t t = slice(c->tracks, k, j->plan.parts); e == SG_OK && t < end; t++) {
    const sg_track *tr = sg_model_track(&j->model, t);
    sg_row *r = &j->rows[*n];
    memcpy(r->track_id, tr->id, sizeof r->track_id);
    sg_text_copy(&r->track_name, &tr->name);
    memcpy(r->artist_id, tr->artist_id, sizeof r->artist_id);
    sg_make_id(r->album_id, c->seed, SG_STREAM_ALBUM, tr->album);
    r->popularity_score = tr->popularity_score;
    r->energy = tr->energy;
    r->loudness = tr->loudness;
    r->danceability = tr->danceability;
    r->valence = tr->valence;
    r->tempo = tr->tempo;
    r->acousticness = tr->acousticness;
    r->instrumentalness = tr->instrumentalness;
    r->speechiness = tr->speechiness;
    r->liveness = tr->liveness;
    r->duration_ms = tr->duration_ms;
    r->key = tr->key;
    r->mode = tr->mode;
    r->time_signature = tr->time_signature;
    e = put(j, n, rows);
  }
  return e;
}

/* The playlists that start in part k's rows, found by the layout alone. */
static sg_err playlists(job *j, uint64_t k, uint64_t *rows, size_t *n)
{
  const sg_catalog *c = &j->model.catalog;
  uint64_t first = sg_plan_part_first_row(&j->plan, k), end = first + sg_plan_part_rows(&j->plan, k);
  sg_layout l;
  sg_layout_reset(&l);
  sg_playlist p;
  sg_err e = SG_OK;
  for (uint64_t row = first; e == SG_OK && row < end;) {
    uint64_t pi = sg_layout_find(c, &l, row);
    if (l.start >= first) {
      sg_catalog_playlist(c, pi, &p);
      sg_row *r = &j->rows[*n];
      memcpy(r->playlist_id, p.id, sizeof r->playlist_id);
      sg_text_copy(&r->playlist_name, &p.name);
      r->playlist_category = &j->model.category_name[p.category];
      r->num_followers = p.followers;
      e = put(j, n, rows);
    }
    row = l.end;
  }
  return e;
}

sg_err gen_write_entities(job *j, sg_table_id table, uint64_t k, uint64_t *rows)
{
  size_t n = 0;
  *rows = 0;
  sg_err e = table == SG_TABLE_ARTISTS   ? artists(j, k, rows, &n)
             : table == SG_TABLE_ALBUMS  ? albums(j, k, rows, &n)
             : table == SG_TABLE_TRACKS  ? tracks(j, k, rows, &n)
                                         : playlists(j, k, rows, &n);
  if (e == SG_OK && n > 0)
    e = j->fmt_ops->rows(j->fmt, j->rows, n);
  return e;
}
