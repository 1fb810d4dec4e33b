/* layout.c - the names of a dataset's files (see layout.h). */
#include "spotgen/base/layout.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

void sg_layout_part(char *out, size_t cap, uint64_t k, const char *extension)
{
  snprintf(out, cap, SG_LAYOUT_PART_PREFIX "%05llu%s", (unsigned long long)k, extension);
}

void sg_layout_journal(char *out, size_t cap, int rank)
{
  snprintf(out, cap, SG_LAYOUT_JOURNAL_PREFIX "%05d.txt", rank);
}

static int starts(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

int sg_layout_is_journal(const char *name) { return starts(name, SG_LAYOUT_JOURNAL_PREFIX); }

int sg_layout_tmp(char *out, size_t cap, const char *dir, const char *name)
{
  int n = snprintf(out, cap, "%s/.%s.%ld.tmp", dir, name, (long)getpid());
  return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int sg_layout_is_ours(const char *name)
{
  if (strcmp(name, SG_LAYOUT_SUCCESS) == 0 || strcmp(name, SG_LAYOUT_MANIFEST) == 0 ||
      strcmp(name, SG_LAYOUT_REPORT) == 0 || sg_layout_is_journal(name) ||
      starts(name, SG_LAYOUT_PART_PREFIX))
    return 1;
  /* temporary files: ".part-00001.csv.<pid>.tmp", "._manifest.json.<pid>.tmp" */
  size_t n = strlen(name);
  return name[0] == '.' && n > 4 && strcmp(name + n - 4, ".tmp") == 0 &&
         (starts(name + 1, SG_LAYOUT_PART_PREFIX) || name[1] == '_');
}
