/* layout.c - the names of a dataset's files (see layout.h). */
#include "spotgen/base/layout.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

void sg_layout_part(char *out, size_t cap, uint64_t k, const char *extension)
{
  snprintf(out, cap, SG_LAYOUT_PART_PREFIX "%05llu%s", (unsigned long long)k, extension);
}

/* The folders of a dataset's tables: --tables' (schema.c names its tables
 * the same; a test checks), the ledger of generate --dirty, and the
 * changes of --days. */
static const char *const TABLES[] = {"artists", "albums", "tracks", "playlists", "playlist_tracks",
                                     SG_LAYOUT_DIRTY, SG_LAYOUT_CHANGES};

void sg_layout_table_part(char *out, size_t cap, const char *table, uint64_t k,
                          const char *extension)
{
  snprintf(out, cap, "%s/" SG_LAYOUT_PART_PREFIX "%05llu%s", table, (unsigned long long)k, extension);
}

static int is_table_n(const char *name, size_t n)
{
  for (size_t i = 0; i < sizeof TABLES / sizeof TABLES[0]; i++)
    if (strlen(TABLES[i]) == n && strncmp(name, TABLES[i], n) == 0)
      return 1;
  return 0;
}

int sg_layout_is_table(const char *name) { return is_table_n(name, strlen(name)); }

void sg_layout_journal(char *out, size_t cap, int rank)
{
  snprintf(out, cap, SG_LAYOUT_JOURNAL_PREFIX "%05d.txt", rank);
}

static int starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

int sg_layout_is_journal(const char *name) { return starts(name, SG_LAYOUT_JOURNAL_PREFIX); }

int sg_layout_tmp(char *out, size_t cap, const char *dir, const char *name)
{
  const char *slash = strrchr(name, '/');
  int folder = slash ? (int)(slash - name + 1) : 0; /* "tracks/", kept in front of the dot */
  int n = snprintf(out, cap, "%s/%.*s.%s.%ld.tmp", dir, folder, name, name + folder, (long)getpid());
  return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int sg_layout_is_partition(const char *name, size_t n)
{
  size_t i = 0;
  while (i < n && ((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
    i++;
  return i > 0 && i < n && name[i] == '=' && memchr(name, '/', n) == NULL;
}

/* A part, or a part's temporary file, in its folder: "part-00001.csv",
 * ".part-00001.csv.123.tmp". */
static int is_part_file(const char *base)
{
  size_t n = strlen(base);
  return starts(base, SG_LAYOUT_PART_PREFIX) ||
         (base[0] == '.' && starts(base + 1, SG_LAYOUT_PART_PREFIX) && n > 4 && strcmp(base + n - 4, ".tmp") == 0);
}

static int is_n(const char *name, size_t n, const char *word) { return strlen(word) == n && strncmp(name, word, n) == 0; }

/* An Iceberg table's metadata file's name (or its temporary file's):
 * "v1.metadata.json", "version-hint.text", "snap-...avro". */
static int is_metadata_file(const char *base)
{
  size_t n = strlen(base);
  if (base[0] == '.' && n > 4 && strcmp(base + n - 4, ".tmp") == 0) { /* ".v1.metadata.json.123.tmp" */
    const char *dot = base + n - 4;
    while (dot > base + 1 && dot[-1] != '.')
      dot--;
    n = dot > base + 1 ? (size_t)(dot - base - 2) : 0;
    base++;
  }
  if (n == strlen(SG_LAYOUT_HINT) && strncmp(base, SG_LAYOUT_HINT, n) == 0)
    return 1;
  if (n > 5 && strncmp(base + n - 5, ".avro", 5) == 0)
    return 1;
  size_t d = base[0] == 'v' ? strspn(base + 1, "0123456789") : 0;
  return d > 0 && n == 1 + d + strlen(".metadata.json") && strncmp(base + 1 + d, ".metadata.json", n - 1 - d) == 0;
}

int sg_layout_is_table_metadata(const char *name)
{
  const char *slash = strchr(name, '/');
  if (slash && is_table_n(name, (size_t)(slash - name))) /* in --tables' folder */
    name = slash + 1;
  size_t m = strlen(SG_LAYOUT_METADATA);
  return strncmp(name, SG_LAYOUT_METADATA "/", m + 1) == 0 && !strchr(name + m + 1, '/') &&
         is_metadata_file(name + m + 1);
}

int sg_layout_is_folder(const char *name, int depth)
{
  size_t n = strlen(name);
  return (depth <= 1 && sg_layout_is_table(name)) || /* (1: a table's changes, _changes/playlists/) */
         (depth <= 1 && (is_n(name, n, SG_LAYOUT_DATA) || is_n(name, n, SG_LAYOUT_METADATA))) ||
         (depth <= SG_LAYOUT_PARTITION_DEPTH + 1 && sg_layout_is_partition(name, n));
}

int sg_layout_is_ours(const char *name)
{
  const char *slash = strchr(name, '/');
  if (slash && sg_layout_is_table_metadata(name))
    return 1;
  if (slash) { /* in a table's folder, a table's data/, a partition's, or all: parts and their temporary files */
    const char *p = name;
    if (is_table_n(name, (size_t)(slash - name)))
      p = slash + 1;
    if (is_n(name, (size_t)(slash - name), SG_LAYOUT_CHANGES) && (slash = strchr(p, '/')) != NULL &&
        is_table_n(p, (size_t)(slash - p)))
      p = slash + 1; /* --tables' changes: _changes/playlists/batch_date=.../ */
    if ((slash = strchr(p, '/')) != NULL && is_n(p, (size_t)(slash - p), SG_LAYOUT_DATA))
      p = slash + 1;
    for (int depth = 0; (slash = strchr(p, '/')) != NULL; depth++) {
      if (depth == SG_LAYOUT_PARTITION_DEPTH || !sg_layout_is_partition(p, (size_t)(slash - p)))
        return 0;
      p = slash + 1;
    }
    return is_part_file(p);
  }
  if (sg_layout_is_folder(name, 0))
    return 1;
  if (strcmp(name, SG_LAYOUT_SUCCESS) == 0 || strcmp(name, SG_LAYOUT_MANIFEST) == 0 ||
      strcmp(name, SG_LAYOUT_REPORT) == 0 || sg_layout_is_journal(name) ||
      starts(name, SG_LAYOUT_PART_PREFIX))
    return 1;
  /* temporary files: ".part-00001.csv.<pid>.tmp", "._manifest.json.<pid>.tmp" */
  size_t n = strlen(name);
  return name[0] == '.' && n > 4 && strcmp(name + n - 4, ".tmp") == 0 &&
         (starts(name + 1, SG_LAYOUT_PART_PREFIX) || name[1] == '_');
}
