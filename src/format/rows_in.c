/* rows_in.c - every row of a table's data files (rows_in.h). */
#include "spotgen/format/rows_in.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "spotgen/format/csv_read.h"
#include "spotgen/format/format.h"
#include "spotgen/format/parquet_read.h"

/* A name in a folder that a reader of data skips: any part starting with _ or . */
static int hidden(const char *name)
{
  for (const char *p = name; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL)
    if (*p == '_' || *p == '.')
      return 1;
  return 0;
}

int sg_file_list_add(sg_file_list *l, const char *name)
{
  if (l->n == l->cap) {
    int cap = l->cap ? 2 * l->cap : 64;
    void *p = realloc(l->names, (size_t)cap * sizeof *l->names);
    if (!p)
      return -1;
    l->names = p;
    l->cap = cap;
  }
  snprintf(l->names[l->n++], 256, "%s", name);
  return 0;
}

/* A listed name: every data file a reader of data would read. */
static int list_one(const char *name, void *ctx)
{
  return !hidden(name) && sg_format_of_file(name) && strlen(name) < 256 ? sg_file_list_add(ctx, name) : 0;
}

static int by_name(const void *a, const void *b) { return strcmp(a, b); }

/* Reads one table file from `fd`: its header to `head`, then each record
 * to `fn`. A Parquet file's header is its columns' names. */
static sg_err read_table(void *s, int fd, const char *name, int parquet, sg_record_fn head,
                         sg_record_fn fn)
{
  sg_csv_reader csv;
  sg_pq_reader pq;
  sg_record rec = {0, NULL, NULL, 1};
  size_t *lens = NULL;
  int got;
  sg_err e = parquet ? sg_pq_open_any(&pq, fd, name) : sg_csv_open_fd(&csv, fd, name);
  if (e == SG_OK && parquet) {
    lens = malloc(((size_t)pq.nfields + 1) * sizeof *lens);
    for (int i = 0; lens && i < pq.nfields; i++)
      lens[i] = strlen(pq.names[i]);
    rec = (sg_record){pq.nfields, pq.names, lens, 1};
    e = lens ? head(s, &rec, name) : sg_seterr(SG_ENOMEM, "out of memory reading %s", name);
    rec = (sg_record){pq.nfields, pq.field, pq.flen, 1};
    got = 1;
    while (e == SG_OK && (got = sg_pq_next(&pq)) == 1) {
      rec.record = pq.record + 1;
      e = fn(s, &rec, name);
    }
  } else if (e == SG_OK) {
    got = sg_csv_next(&csv);
    rec = (sg_record){csv.nfields, csv.field, csv.flen, csv.record};
    if (got == 0)
      e = sg_seterr(SG_EUSAGE, "%s: empty; a CSV with a header line was expected", name);
    if (got == 1)
      e = head(s, &rec, name);
    while (e == SG_OK && got == 1 && (got = sg_csv_next(&csv)) == 1) {
      rec = (sg_record){csv.nfields, csv.field, csv.flen, csv.record};
      e = fn(s, &rec, name);
    }
  }
  if (e == SG_OK && got < 0 && parquet && pq.err == SG_ENOMEM) {
    e = SG_ENOMEM; /* memory ran out: the message says so */
  } else if (e == SG_OK && got < 0) { /* the reader's message names the file and record */
    char why[1024];
    snprintf(why, sizeof why, "%s", sg_errmsg(SG_EDATA));
    e = sg_seterr(SG_EUSAGE, "%s", why);
  } else if (e == SG_EDATA) { /* not a Parquet file: the reader said why */
    char why[1024];
    snprintf(why, sizeof why, "%s", sg_errmsg(SG_EDATA));
    e = sg_seterr(SG_EUSAGE, "%s", why);
  }
  free(lens);
  if (parquet)
    sg_pq_close(&pq);
  else
    sg_csv_close(&csv);
  return e;
}

sg_err sg_rows_read_list(sg_source *src, const char *where, sg_file_list *l, void *s,
                         sg_record_fn head, sg_record_fn fn)
{
  qsort(l->names, (size_t)l->n, sizeof *l->names, by_name);
  sg_err e = SG_OK;
  for (int i = 0; e == SG_OK && i < l->n; i++) {
    char name[4400];
    snprintf(name, sizeof name, "%s/%s", where, l->names[i]);
    sg_read_stream *st = NULL;
    int fd = -1;
    e = sg_source_stream(src, l->names[i], &st, &fd);
    if (e == SG_OK)
      e = read_table(s, fd, name, sg_format_of_file(l->names[i])->pages, head, fn);
    sg_err end = st ? sg_source_stream_end(st) : SG_OK;
    if (e == SG_OK)
      e = end;
  }
  return e;
}

void sg_file_list_free(sg_file_list *l)
{
  free(l->names);
  l->names = NULL;
  l->n = l->cap = 0;
}

sg_err sg_rows_read(const char *where, const sg_s3_options *so, const char *what, const char *verb,
                    void *ctx, sg_record_fn head, sg_record_fn row)
{
  struct stat st;
  char dir[4096];
  sg_file_list l = {NULL, 0, 0};
  int local = strncmp(where, "s3://", 5) != 0;
  if (local && stat(where, &st) != 0)
    return sg_seterr(SG_EUSAGE, "%s: no such file or folder; give the %s as a CSV file or a folder of them",
                     where, what);
  if (local && S_ISREG(st.st_mode)) { /* one file: its folder, that name */
    const char *slash = strrchr(where, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - where) : 1, slash ? where : ".");
    if (list_one(slash ? slash + 1 : where, &l) != 0 || l.n == 0) {
      sg_file_list_free(&l);
      return sg_seterr(SG_EUSAGE, "%s: %s reads a %s written as CSV (.csv, .csv.gz, .csv.zst) or Parquet "
                       "(.parquet)", where, verb, what);
    }
  } else {
    snprintf(dir, sizeof dir, "%s", where);
  }
  sg_source *src = NULL;
  sg_err e = sg_source_open(dir, so, &src);
  if (e == SG_OK && l.n == 0 && sg_source_list(src, list_one, &l) != SG_OK)
    e = sg_seterr(SG_EUSAGE, "%s: cannot list it", where);
  if (e == SG_OK && l.n == 0)
    e = sg_seterr(SG_EUSAGE, "%s: no CSV (.csv, .csv.gz, .csv.zst) or Parquet (.parquet) files to %s", where, verb);
  if (e == SG_OK)
    e = sg_rows_read_list(src, dir, &l, ctx, head, row);
  sg_file_list_free(&l);
  sg_source_close(src);
  return e;
}
