/* deletes.c - the rows an Iceberg delete file deletes (see deletes.h). */
#include "spotgen/lake/deletes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/dataset/changes.h"

void sg_deletes_free(sg_deletes *c)
{
  for (size_t r = 0; r < c->runs; r++)
    free(c->run[r].path);
  free(c->run);
  free(c->d);
  memset(c, 0, sizeof *c);
}

static int by_object(const void *a, const void *b)
{
  const sg_deleted *x = a, *y = b;
  return x->object != y->object ? (x->object < y->object ? -1 : 1) : (x->offset > y->offset) - (x->offset < y->offset);
}

static int by_path(const void *a, const void *b)
{
  return strcmp(((const sg_delete_run *)a)->path, ((const sg_delete_run *)b)->path);
}

/* Appends a row located at `at` to c (its capacity *cap). */
static sg_err add_row(const sg_shape *s, const sg_object *x, const sg_location *at, sg_deletes *c, size_t *cap)
{
  if (c->n == *cap) {
    size_t grown_cap = *cap ? 2 * *cap : 1024;
    sg_deleted *grown = realloc(c->d, grown_cap * sizeof *grown);
    if (!grown)
      return sg_seterr(SG_ENOMEM, "out of memory locating day %d's deletes", (int)x->day);
    c->d = grown;
    *cap = grown_cap;
  }
  c->d[c->n++] = (sg_deleted){sg_shape_object_at(s, x->change, at), at->offset};
  return SG_OK;
}

/* The rows of p's positions `pos` (n of them) located as of the end of
 * day d - 1, appended to c (its capacity *cap). */
static sg_err locate_rows(const sg_shape *s, const sg_object *x, sg_locator *l, const sg_day_playlist *p,
                          const uint32_t *pos, size_t n, sg_deletes *c, size_t *cap)
{
  for (size_t g = 0; g < n; g++) {
    sg_location at;
    sg_err e = sg_locate(l, p, pos[g], x->day - 1, &at);
    if (e == SG_OK)
      e = add_row(s, x, &at, c, cap);
    if (e != SG_OK)
      return e;
  }
  return SG_OK;
}

sg_err sg_deletes_find(const sg_shape *s, const sg_days *days, sg_locator *l, const char *root, const sg_object *x,
                       const sg_day_event *ev, sg_deletes *c)
{
  const sg_table_id t = (sg_table_id)sg_schema_changed(s->change[x->change]);
  memset(c, 0, sizeof *c);
  sg_err e = SG_OK;
  size_t cap = 0, pcap = 0;
  uint32_t *pos = NULL;
  const int catalogue = sg_schema_catalogue(t);
  for (uint64_t i = 0; e == SG_OK && i < x->rows; i++) {
    if (catalogue || ev[i].kind >= SG_DAY_RELEASE) {
      /* a recount's before-image, in the tracks table; nothing else of the
         catalogue's removes a row (an album, a release is only inserted) */
      sg_location at;
      if (ev[i].kind == SG_DAY_RECOUNT && t == SG_TABLE_TRACKS) {
        e = sg_locate_release(l, ev[i].local, x->day - 1, &at);
        if (e == SG_OK)
          e = add_row(s, x, &at, c, &cap);
      }
      continue;
    }
    sg_day_playlist p;
    sg_days_playlist(days, ev[i].cohort, ev[i].local, 1, &p);
    size_t np = sg_days_positions(&p, x->day) + 1;
    if (np > pcap) {
      free(pos);
      if (!(pos = malloc((pcap = np) * sizeof *pos)))
        e = sg_seterr(SG_ENOMEM, "out of memory locating day %d's deletes", (int)x->day);
    }
    if (e == SG_OK)
      e = locate_rows(s, x, l, &p, pos, sg_world_gone(days, t, x->day, &p, pos), c, &cap);
  }
  free(pos);
  /* by file and position; then the files' runs in the order of their paths
     (none: albums', whose rows are never removed, have no array) */
  if (e == SG_OK && c->n)
    qsort(c->d, c->n, sizeof *c->d, by_object);
  for (size_t i = 0; e == SG_OK && i < c->n; i++) {
    if (i > 0 && c->d[i].object == c->d[i - 1].object)
      continue;
    sg_delete_run *grown = realloc(c->run, (c->runs + 1) * sizeof *grown);
    char path[2304], key[256];
    sg_shape_key(s, c->d[i].object, key, sizeof key);
    snprintf(path, sizeof path, "%s/%s", root, key);
    if (grown)
      c->run = grown;
    if (!grown || !(grown[c->runs].path = strdup(path)))
      e = sg_seterr(SG_ENOMEM, "out of memory sorting day %d's deletes", (int)x->day);
    else
      grown[c->runs++].first = i;
  }
  if (e == SG_OK && c->runs)
    qsort(c->run, c->runs, sizeof *c->run, by_path);
  if (e != SG_OK)
    sg_deletes_free(c);
  return e;
}
