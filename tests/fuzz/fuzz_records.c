/* libFuzzer: the records a run reads back from a location it did not make
 * itself. Each input is, by its first byte, one of:
 * - a journal or a manifest given to --resume (sg_journal_add_text, which
 *   checks its parameters' line against this run's and records its parts);
 * - a manifest given to verify (sg_verify_collect over a folder holding
 *   only that _manifest.json: every part it names is missing).
 * Every input is read to an answer or a refusal, never a crash, an
 * overflow or a hang. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_text.h"
#include "spotgen/base/err.h"
#include "spotgen/cmd/verify.h"
#include "spotgen/dataset/journal.h"
#include "spotgen/model/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The parameters' line of a run of 3,000 rows in parts of 1,000. */
static const char *params(void)
{
  static char *p;
  if (!p) {
    static sg_config cfg;
    sg_config_default(&cfg);
    sg_dataset_info d = {42, 3000, 1000, 3, 100, 11133, 0, "csv", "none", 0, 0, NULL, 0, NULL, NULL, NULL, NULL};
    p = sg_journal_params(&d, &cfg);
  }
  return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = fuzz_text(data, size, 1u << 20);
  if (!text)
    return 0;
  if (data[0] % 3 < 2) { /* a journal (0) or a manifest (1) given to --resume */
    sg_journal jr;
    if (params() && sg_journal_init(&jr, 3) == SG_OK) {
      sg_journal_add_text(&jr, text, data[0] % 3 == 1, params(), "fuzz");
      sg_journal_free(&jr);
    }
  } else { /* a manifest given to verify */
    static char dir[64];
    if (!dir[0]) {
      snprintf(dir, sizeof dir, "/tmp/fuzz_records.XXXXXX");
      if (!mkdtemp(dir))
        abort();
    }
    char path[128];
    snprintf(path, sizeof path, "%s/_manifest.json", dir);
    FILE *f = fopen(path, "wb");
    if (f) {
      fwrite(text, 1, size - 1, f);
      fclose(f);
      sg_verify_options o;
      memset(&o, 0, sizeof o);
      o.dir = dir;
      o.s3.retries = 1;
      o.s3.timeout = 1;
      cJSON *result = NULL;
      sg_verify_collect(&o, &result);
      cJSON_Delete(result);
    }
  }
  free(text);
  return 0;
}
