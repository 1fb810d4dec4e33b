/* deletes.h - the rows an Iceberg position delete file of a day deletes
 * (generate --days --table-format iceberg): its chunk's deletes and
 * before-images of its table, each located in the data file that holds
 * its current version (dataset/locate.h), as the Iceberg spec asks them
 * sorted. generate writes them (lake/object.c); verify compares a delete
 * file's rows with them. */
#ifndef SPOTGEN_LAKE_DELETES_H
#define SPOTGEN_LAKE_DELETES_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/base/err.h"
#include "spotgen/dataset/locate.h"
#include "spotgen/lake/shape.h"
#include "spotgen/model/days.h"

/* The rows an Iceberg delete file deletes (SG_OBJECT_ICEBERG_DELETES): each
 * row's file (its object) and position in it; by file, in the order of
 * the files' paths (`run`), then by position, as the Iceberg spec asks. */
typedef struct sg_deleted {
  uint64_t object, offset;
} sg_deleted;

typedef struct sg_delete_run {
  char *path;             /* the file's, as its manifest entry names it (malloc'ed) */
  size_t first;           /* its first row among d */
} sg_delete_run;

typedef struct sg_deletes {
  sg_deleted *d;
  size_t n;
  sg_delete_run *run;
  size_t runs;
} sg_deletes;

/*! sg_deletes_find() : the rows delete file x of shape s deletes (its
 *  chunk's deletes and before-images of its table, located by `l`, a
 *  locator of that table; paths under `root`), into *out; `ev` are the
 *  chunk's events (x->rows of them).
 *  @return : SG_OK, or SG_ENOMEM. */
sg_err sg_deletes_find(const sg_shape *s, const sg_days *days, sg_locator *l, const char *root, const sg_object *x,
                       const sg_day_event *ev, sg_deletes *out);
void sg_deletes_free(sg_deletes *c);

#endif
