/* progress.h - the progress line rank 0 shows on stderr: rows done across
 * all ranks, rows/s and ETA, at most four updates a second. */
#ifndef SPOTGEN_PROGRESS_H
#define SPOTGEN_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

typedef struct sg_progress {
  FILE *out;
  int enabled;
  int tty;        /* redraw one line in place; otherwise one line per update */
  uint64_t total;
  double start;   /* seconds, any monotonic origin */
  double last;
  int drawn;
} sg_progress;

/*! sg_progress_init() : `enabled` < 0 means: when `out` is a terminal. */
void sg_progress_init(sg_progress *p, FILE *out, int enabled, uint64_t total, double now);

/*! sg_progress_update() : redraws when enabled and due (every 0.25 s on a
 *  terminal, 2 s otherwise). */
void sg_progress_update(sg_progress *p, uint64_t done, double now);

/*! sg_progress_end() : clears the progress line. */
void sg_progress_end(sg_progress *p);

/*! sg_progress_line() : the text of one update into `buf`. */
void sg_progress_line(char *buf, size_t cap, uint64_t done, uint64_t total, double elapsed);

/*! sg_human_rate() / sg_human_bytes() : "3.1M", "247.1 MB" into `buf`. */
char *sg_human_count(char *buf, size_t cap, double v);
char *sg_human_bytes(char *buf, size_t cap, double v);

#endif
