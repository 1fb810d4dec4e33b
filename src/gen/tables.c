/* tables.c - --tables' entity tables (artists, albums, tracks, playlists):
 * part k's rows from dataset/entities.c, to the format a batch at a time;
 * playlist_tracks' part k is part k's rows (work.c). */
#include "job.h"
#include "spotgen/dataset/entities.h"

sg_err gen_write_entities(job *j, sg_table_id table, uint64_t k, uint64_t *rows)
{
  sg_entities it;
  sg_entities_start(&it, &j->model, &j->plan, table, k);
  size_t n = 0;
  sg_err e = SG_OK;
  *rows = 0;
  while (e == SG_OK && sg_entities_next(&it, &j->rows[n])) {
    (*rows)++;
    if (++n < CHUNK)
      continue;
    n = 0;
    e = j->fmt_ops->rows(j->fmt, j->rows, CHUNK);
    if (e == SG_OK)
      e = gen_poll_control(j);
  }
  if (e == SG_OK && n > 0)
    e = j->fmt_ops->rows(j->fmt, j->rows, n);
  return e;
}
