/* entities.c - see entities.h. */
#include "spotgen/dataset/entities.h"

#include <string.h>

#include "spotgen/model/ids.h"
#include "spotgen/model/rng.h"

/* The first id of slice k of `n` ids cut into `parts` (128-bit products:
 * n may be large). */
static uint64_t slice(uint64_t n, uint64_t k, uint64_t parts)
{
  return (uint64_t)((unsigned __int128)n * k / parts);
}

void sg_entities_start(sg_entities *it, sg_model *m, const sg_plan *p, sg_table_id t, uint64_t k, int32_t day)
{
  memset(it, 0, sizeof *it);
  it->model = m;
  it->table = t;
  it->day = day;
  const sg_catalog *c = &m->catalog;
  if (t == SG_TABLE_PLAYLISTS) {
    it->first = it->i = sg_plan_part_first_row(p, k);
    it->end = it->first + sg_plan_part_rows(p, k);
    sg_layout_reset(&it->l);
    return;
  }
  uint64_t released = sg_catalog_released(c, day);
  uint64_t n = t == SG_TABLE_TRACKS ? c->tracks + released : c->artists;
  it->i = slice(n, k, p->parts);
  it->end = slice(n, k + 1, p->parts);
  it->single = slice(released, k, p->parts);
  it->single_end = slice(released, k + 1, p->parts);
}

static int artist(sg_entities *it, sg_row *r)
{
  if (it->i >= it->end)
    return 0;
  sg_artist a;
  sg_catalog_artist(&it->model->catalog, it->i++, &a);
  memcpy(r->artist_id, a.id, sizeof r->artist_id);
  sg_text_copy(&r->artist_name, &a.name);
  r->artist_genre = a.genre;
  r->artist_popularity = a.popularity;
  r->artist_followers = a.followers;
  return 1;
}

void sg_entities_single(const sg_model *m, const sg_track *k, sg_row *r)
{
  sg_make_id(r->album_id, m->catalog.seed, SG_STREAM_ALBUM, k->album);
  memcpy(r->artist_id, k->artist_id, sizeof r->artist_id);
  sg_text_copy(&r->album_name, &k->album_name);
  r->release_date = k->release_date;
}

static int album(sg_entities *it, sg_row *r)
{
  const sg_catalog *c = &it->model->catalog;
  for (;;) {
    if (it->i >= it->end) {
      if (it->single >= it->single_end)
        return 0;
      sg_entities_single(it->model, sg_model_track(it->model, c->tracks + it->single++), r);
      return 1;
    }
    if (!it->have_artist) {
      sg_catalog_artist(c, it->i, &it->a);
      it->have_artist = 1;
      it->b = 0;
    }
    if (it->b < it->a.albums)
      break;
    it->i++;
    it->have_artist = 0;
  }
  sg_album al;
  sg_catalog_album(c, &it->a, it->b, &al);
  sg_make_id(r->album_id, c->seed, SG_STREAM_ALBUM, sg_catalog_album_id(it->i, it->b));
  memcpy(r->artist_id, it->a.id, sizeof r->artist_id);
  sg_text_copy(&r->album_name, &al.name);
  r->release_date = al.release_date;
  it->b++;
  return 1;
}

void sg_entities_track(const sg_model *m, const sg_track *tr, int32_t day, sg_row *r)
{
  memcpy(r->track_id, tr->id, sizeof r->track_id);
  sg_text_copy(&r->track_name, &tr->name);
  memcpy(r->artist_id, tr->artist_id, sizeof r->artist_id);
  sg_make_id(r->album_id, m->catalog.seed, SG_STREAM_ALBUM, tr->album);
  r->popularity_score = sg_model_popularity(m, tr, day);
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
}

static int track(sg_entities *it, sg_row *r)
{
  if (it->i >= it->end)
    return 0;
  sg_entities_track(it->model, sg_model_track(it->model, it->i++), it->day, r);
  return 1;
}

void sg_entities_playlist(const sg_model *m, const sg_playlist *p, int64_t followers, sg_row *r)
{
  memcpy(r->playlist_id, p->id, sizeof r->playlist_id);
  sg_text_copy(&r->playlist_name, &p->name);
  r->playlist_category = &m->category_name[p->category];
  r->num_followers = followers;
}

/* The playlists that start in the part's rows, found by the layout alone. */
static int playlist(sg_entities *it, sg_row *r)
{
  const sg_catalog *c = &it->model->catalog;
  while (it->i < it->end) {
    uint64_t pi = sg_layout_find(c, &it->l, it->i);
    it->i = it->l.end;
    if (it->l.start >= it->first) {
      sg_playlist p;
      sg_catalog_playlist(c, pi, &p);
      sg_entities_playlist(it->model, &p, p.followers, r);
      return 1;
    }
  }
  return 0;
}

int sg_entities_next(sg_entities *it, sg_row *r)
{
  switch (it->table) {
  case SG_TABLE_ARTISTS: return artist(it, r);
  case SG_TABLE_ALBUMS: return album(it, r);
  case SG_TABLE_TRACKS: return track(it, r);
  case SG_TABLE_PLAYLISTS: return playlist(it, r);
  default: return 0;
  }
}
