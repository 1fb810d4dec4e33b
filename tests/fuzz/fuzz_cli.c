/* libFuzzer: the command-line parsers (generate, verify, schema, report, score),
 * the --config JSON parser and the --dirty one with hostile input. The first
 * byte picks which; the
 * rest is split at newlines into arguments, or taken whole as JSON. Every
 * input must come back SG_OK or an error with a message, never a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_text.h"
#include "spotgen/cmd/cli.h"
#include "spotgen/dataset/dirty.h"
#include "spotgen/model/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = fuzz_text(data, size, 8192);
  if (!text)
    return 0;
  int which = data[0] % 7;
  if (which == 3) {
    static sg_config cfg;
    sg_config_default(&cfg);
    sg_config_apply_json(&cfg, text, "fuzz.json");
  } else if (which == 5) {
    static sg_dirty d;
    sg_dirty_apply_json(&d, text, "fuzz.json");
  } else {
    char *argv[64];
    int argc = 0;
    argv[argc++] = which == 0 ? "generate" : which == 1 ? "verify" : which == 2 ? "schema"
                   : which == 4 ? "report" : "score";
    for (char *p = text; argc < 63;) {
      argv[argc++] = p;
      char *nl = strchr(p, '\n');
      if (!nl)
        break;
      *nl = '\0';
      p = nl + 1;
    }
    argv[argc] = NULL;
    if (which == 0) {
      sg_gen_options o;
      sg_cli_generate(argc, argv, &o);
    } else if (which == 1) {
      sg_verify_options o;
      sg_cli_verify(argc, argv, &o);
    } else if (which == 2) {
      sg_schema_options o;
      sg_cli_schema(argc, argv, &o);
    } else if (which == 4) {
      sg_report_options o;
      sg_cli_report(argc, argv, &o);
    } else {
      sg_score_options o;
      sg_cli_score(argc, argv, &o);
    }
  }
  free(text);
  return 0;
}
