/* lock.h - one writer at a location at a time: the run's lock.
 *
 * Two runs writing the same --out would mix their parts under one
 * manifest. So rank 0 takes a lock object there before anything at the
 * location is removed or written, and:
 *
 *   take       creates SG_LAYOUT_LOCK exclusively (a local file with
 *              O_EXCL; an S3 object with If-None-Match: *). When one is
 *              there, the run that holds it is alive and the new run is
 *              refused in one line naming it (host, pid, since when) -
 *              unless it is stale: its process is gone (same host), or it
 *              was not refreshed for SG_LOCK_LEASE seconds; then it is
 *              taken over, replaced only if it is still the stale one.
 *   refresh    every SG_LOCK_REFRESH seconds while the run works, again
 *              only if it is still this run's.
 *   check      before the manifest and _SUCCESS: a run whose lock was
 *              taken over does not commit.
 *   seen       on every rank, after rank 0 took it: a rank whose --out
 *              does not hold this run's lock does not share rank 0's
 *              location (a node's own /tmp), and the run is refused.
 *   release    at the end, if it is still this run's.
 *
 * The lock's text is one JSON line: {"run":"<32 hex>","host":...,"pid":...,
 * "started":<unix s>,"refreshed":<unix s>}. Its version (a local file's
 * inode and time, an S3 object's ETag) is what "still this run's" compares.
 * The backend's part is four functions of sg_sink_ops (sink.h); null:
 * keeps nothing and needs no lock. */
#ifndef SPOTGEN_LOCK_H
#define SPOTGEN_LOCK_H

#include <stddef.h>

#include "spotgen/base/err.h"

#define SG_LOCK_LEASE 60.0   /* seconds without a refresh after which a lock is stale */
#define SG_LOCK_REFRESH 10.0 /* seconds between refreshes */
#define SG_LOCK_TEXT_MAX 512

struct sg_sink;

typedef struct sg_runlock {
  const char *name;      /* the lock object's name at the location */
  const char *where;     /* the location, for messages */
  char run[33];          /* this run's id: 128 random bits in hex */
  char host[128];
  long pid;
  double started, refreshed;
  char version[96];      /* of the lock as this run last wrote it */
  int held;
} sg_runlock;

/*! sg_lock_init() : a new run's lock (its id, host, pid, time), not taken:
 *  object `name` at location `where` (for messages). */
void sg_lock_init(sg_runlock *l, const char *name, const char *where);

/*! sg_lock_take() : takes the lock (see the top).
 *  @return : SG_OK (held), or SG_EUSAGE: another run holds it (the
 *            message names it and what to do), or the location cannot
 *            hold a lock (the backend's reason). */
sg_err sg_lock_take(struct sg_sink *s, sg_runlock *l);

/*! sg_lock_refresh() : refreshes a held lock when SG_LOCK_REFRESH seconds
 *  have passed since the last time. @return : SG_OK, or SG_EIO when it is
 *  no longer this run's (the message says whose it is). */
sg_err sg_lock_refresh(struct sg_sink *s, sg_runlock *l);

/*! sg_lock_check() : whether the lock is still this run's. @return : SG_OK
 *  or SG_EIO (taken over, or gone: the message says so). */
sg_err sg_lock_check(struct sg_sink *s, sg_runlock *l);

/*! sg_lock_seen() : whether the location, as this process sees it, holds
 *  the lock of run `run`. @return : 1 yes, 0 no. */
int sg_lock_seen(struct sg_sink *s, const char *name, const char *run);

/*! sg_lock_release() : removes the lock if it is still this run's. */
void sg_lock_release(struct sg_sink *s, sg_runlock *l);

#endif
