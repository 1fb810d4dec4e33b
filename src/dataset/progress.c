/* progress.c - the progress line (see progress.h). */
#include "spotgen/dataset/progress.h"

#include <unistd.h>

#include "spotgen/base/numfmt.h"

char *sg_human_count(char *buf, size_t cap, double v)
{
  if (v >= 1e9)
    snprintf(buf, cap, "%.2fG", v / 1e9);
  else if (v >= 1e6)
    snprintf(buf, cap, "%.2fM", v / 1e6);
  else if (v >= 1e3)
    snprintf(buf, cap, "%.1fK", v / 1e3);
  else
    snprintf(buf, cap, "%.0f", v);
  return buf;
}

char *sg_human_bytes(char *buf, size_t cap, double v)
{
  static const char *const UNITS[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  int u = 0;
  while (v >= 1000 && u < 5) {
    v /= 1000;
    u++;
  }
  snprintf(buf, cap, u ? "%.1f %s" : "%.0f %s", v, UNITS[u]);
  return buf;
}

void sg_progress_line(char *buf, size_t cap, uint64_t done, uint64_t total, double elapsed)
{
  char d[32], t[32], rate[32];
  double rps = elapsed > 0 ? (double)done / elapsed : 0;
  double pct = total && done < total ? 100.0 * (double)done / (double)total : 100.0; /* (an estimate's total) */
  int n = snprintf(buf, cap, "spotgen: %5.1f%%  %s / %s rows  %s rows/s", pct, sg_fmt_group(d, done),
                   sg_fmt_group(t, total), sg_human_count(rate, sizeof rate, rps));
  if (n > 0 && (size_t)n < cap && rps > 0 && done < total) {
    long eta = (long)((double)(total - done) / rps + 0.5);
    snprintf(buf + n, cap - (size_t)n, "  ETA %ld:%02ld:%02ld", eta / 3600, eta / 60 % 60, eta % 60);
  }
}

void sg_progress_init(sg_progress *p, FILE *out, int enabled, uint64_t total, double now)
{
  p->out = out;
  p->tty = isatty(fileno(out));
  p->enabled = enabled < 0 ? p->tty : enabled;
  p->total = total;
  p->start = p->last = now;
  p->drawn = 0;
}

void sg_progress_update(sg_progress *p, uint64_t done, double now)
{
  if (!p->enabled || now - p->last < (p->tty ? 0.25 : 2.0))
    return;
  char line[160];
  sg_progress_line(line, sizeof line, done, p->total, now - p->start);
  if (p->tty)
    fprintf(p->out, "\r\033[K%s", line);
  else
    fprintf(p->out, "%s\n", line);
  fflush(p->out);
  p->last = now;
  p->drawn = 1;
}

void sg_progress_end(sg_progress *p)
{
  if (p->enabled && p->tty && p->drawn)
    fprintf(p->out, "\r\033[K");
  p->drawn = 0;
}
