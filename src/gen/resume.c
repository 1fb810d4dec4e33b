/* resume.c - the journal's parameters, and what --resume finds recorded. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"
#include "spotgen/base/err.h"
#include "spotgen/base/json.h"
#include "spotgen/base/layout.h"
#include "spotgen/model/catalog.h"
#include "spotgen/store/source.h"

/* --resume: rank 0 reads what the run being resumed recorded (its journals,
 * or the manifest of a finished run) and checks it was written with these
 * parameters; every rank gets the record. Nothing is changed here, so a
 * refusal leaves the output as it was. Every run computes the parameters'
 * line, which heads the journal it keeps. */
typedef struct names {
  char (*name)[64];
  int n, cap;
  int manifest;
} names;

static int collect_name(const char *name, uint64_t size, void *ctx)
{
  (void)size;
  names *l = ctx;
  if (strcmp(name, SG_LAYOUT_MANIFEST) == 0)
    l->manifest = 1;
  if (!sg_layout_is_journal(name) || strlen(name) >= 64)
    return 0;
  if (l->n == l->cap) {
    int cap = l->cap ? 2 * l->cap : 16;
    void *p = realloc(l->name, (size_t)cap * sizeof *l->name);
    if (!p)
      return 1;
    l->name = p;
    l->cap = cap;
  }
  snprintf(l->name[l->n++], 64, "%s", name);
  return 0;
}

static sg_err read_records(job *j)
{
  const sg_gen_options *o = &j->opt;
  names l = {NULL, 0, 0, 0};
  sg_err e = sg_sink_list(j->sink, collect_name, &l);
  j->old_journals = l.name;
  j->nold = l.n;
  if (e != SG_OK)
    return sg_seterr(SG_EUSAGE, "cannot resume: %s", sg_errmsg(e));
  if (!l.manifest && l.n == 0)
    return SG_OK; /* nothing there yet: a resume from the start */
  sg_s3_options so = sg_s3_options_from(&o->s3);
  sg_source *src;
  e = sg_source_open(o->out, &so, &src);
  for (int i = -1; e == SG_OK && i < l.n; i++) {
    if (i < 0 && !l.manifest)
      continue;
    const char *name = i < 0 ? SG_LAYOUT_MANIFEST : l.name[i];
    char *text = NULL;
    e = sg_source_read_text(src, name, 256u << 20, &text);
    if (e == SG_OK) {
      char where[2200];
      snprintf(where, sizeof where, "%s/%s", o->out, name);
      e = sg_journal_add_text(&j->rec, text, i < 0, j->params, where);
      if (e == SG_EDATA) /* damaged: its parts are generated again */
        fprintf(stderr, "spotgen: %s; its parts will be generated again\n", sg_errmsg(e));
      e = e == SG_EDATA ? SG_OK : e;
    }
    free(text);
  }
  sg_source_close(src);
  /* a signal stays a signal (exit 143 for SIGTERM) */
  return e == SG_OK || e == SG_EUSAGE || e == SG_ESIGNAL ? e : sg_seterr(SG_EUSAGE, "cannot resume: %s", sg_errmsg(e));
}

sg_err gen_load_records(job *j)
{
  const sg_gen_options *o = &j->opt;
  j->journaled = !j->single && sg_sink_keeps(j->sink);
  if (!j->journaled)
    return SG_OK;
  sg_catalog cat;
  sg_catalog_init(&cat, o->seed, o->rows, &j->cfg);
  sg_dataset_info info = gen_dataset_info(j, &j->plan, &cat);
  j->params = sg_journal_params(&info, &j->cfg);
  if (!j->params)
    return sg_seterr(SG_ENOMEM, "out of memory while starting");
  if (!o->resume)
    return SG_OK;
  /* every rank holds the record, empty when nothing was there yet */
  uint64_t objects = sg_shape_objects(&j->shape);
  int status = (int)sg_journal_init(&j->rec, objects);
  if (status == SG_OK && j->rank == 0)
    status = (int)read_records(j);
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (status != SG_OK)
    return (sg_err)status;
  MPI_Bcast(j->rec.have, (int)objects, MPI_BYTE, 0, MPI_COMM_WORLD);
  MPI_Bcast(j->rec.entry, (int)(objects * sizeof *j->rec.entry), MPI_BYTE, 0, MPI_COMM_WORLD);
  /* partitioned objects' files, in order of object and key */
  if (j->rank == 0)
    sg_journal_sort(&j->rec);
  uint64_t nfiles = j->rec.nfiles;
  MPI_Bcast(&nfiles, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  if (j->rank != 0 && nfiles) {
    j->rec.files = malloc(nfiles * sizeof *j->rec.files);
    status = j->rec.files ? SG_OK : sg_seterr(SG_ENOMEM, "out of memory for the record of %llu files",
                                               (unsigned long long)nfiles);
    j->rec.nfiles = j->rec.files ? nfiles : 0;
  }
  status = (int)gen_agree((sg_err)status);
  if (status != SG_OK)
    return (sg_err)status;
  for (uint64_t at = 0; at < nfiles;) { /* in pieces under MPI's int count */
    uint64_t n = nfiles - at < 100000 ? nfiles - at : 100000;
    MPI_Bcast(j->rec.files + at, (int)(n * sizeof *j->rec.files), MPI_BYTE, 0, MPI_COMM_WORLD);
    at += n;
  }
  return SG_OK;
}

/* What a journal names: its parts, by its run's shape. */
typedef struct owner {
  sg_owned *owned;
  sg_shape shape;
  int failed; /* out of memory */
} owner;

static int own(void *ctx, const sg_part_entry *p, const char *file, int pending)
{
  (void)pending; /* a pending file may be there: it is the run's */
  owner *o = ctx;
  char key[256];
  if (!file && sg_shape_partitioning(&o->shape, p->index)->n)
    return 0; /* its files have lines of their own */
  snprintf(key, sizeof key, "%s", file ? file : "");
  if (!file)
    sg_shape_key(&o->shape, p->index, key, sizeof key);
  o->failed = sg_owned_add(o->owned, key) != 0;
  return o->failed;
}

/* The objects a record (a manifest or a journal, its text) names, added to
 * `owned`: a manifest's parts by their keys; a journal's by their indexes,
 * named as the run that wrote it names them (its parameters' format and
 * layout). A text that is neither names nothing. */
static int owned_of(const char *text, int is_manifest, sg_owned *owned)
{
  if (is_manifest) {
    cJSON *m = sg_json_parse(text, NULL);
    const cJSON *p;
    int rc = 0;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(m, "parts"))
    {
      const char *key = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "key"));
      if (key && rc == 0)
        rc = sg_owned_add(owned, key);
    }
    cJSON_Delete(m);
    return rc;
  }
  cJSON *params;
  const char *records;
  if (sg_journal_head(text, "journal", &params, &records) != SG_OK) {
    cJSON_Delete(params);
    return 0; /* not a journal: it names nothing */
  }
  owner o;
  memset(&o, 0, sizeof o);
  o.owned = owned;
  int known = sg_shape_of_dataset(cJSON_GetObjectItemCaseSensitive(params, "dataset"), "journal", &o.shape) == SG_OK;
  cJSON_Delete(params);
  /* a malformed line ends what it names: the parts after it are refused, not removed */
  if (known)
    sg_journal_records(records, "journal", own, &o);
  sg_shape_free(&o.shape);
  return o.failed;
}

sg_err gen_owned(job *j, sg_owned *owned)
{
  names l = {NULL, 0, 0, 0};
  sg_err e = sg_sink_list(j->sink, collect_name, &l);
  sg_source *src = NULL;
  if (e == SG_OK && (l.manifest || l.n)) {
    sg_s3_options so = sg_s3_options_from(&j->opt.s3);
    e = sg_source_open(j->opt.out, &so, &src);
  }
  for (int i = -1; e == SG_OK && src && i < l.n; i++) {
    if (i < 0 && !l.manifest)
      continue;
    char *text = NULL;
    /* a record that cannot be read names nothing: what it would have named is refused, not removed */
    if (sg_source_read_text(src, i < 0 ? SG_LAYOUT_MANIFEST : l.name[i], 256u << 20, &text) == SG_OK &&
        owned_of(text, i < 0, owned) != 0)
      e = sg_seterr(SG_ENOMEM, "out of memory reading the dataset at %s", j->opt.out);
    free(text);
  }
  sg_source_close(src);
  free(l.name);
  sg_owned_sort(owned);
  return e;
}

/* After _SUCCESS: the journals are not needed any more (rank 0). */
void gen_remove_journals(job *j)
{
  for (int i = -j->nranks; i < j->nold; i++) {
    char name[64];
    if (i < 0)
      sg_layout_journal(name, sizeof name, i + j->nranks);
    else
      snprintf(name, sizeof name, "%s", j->old_journals[i]);
    sg_sink_remove(j->sink, name);
  }
}
