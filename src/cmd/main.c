/* main.c - spotgen's entry point: picks the subcommand, nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotgen/cmd/cli.h"
#include "spotgen/base/err.h"
#include "spotgen/gen/generate.h"
#include "spotgen/gen/group_mpi.h"
#include "spotgen/cmd/report.h"
#include "spotgen/cmd/score.h"
#include "spotgen/cmd/fit.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/format/format.h"
#include "spotgen/lake/shape.h"
#include "spotgen/cmd/verify.h"

static int cmd_schema(int argc, char **argv)
{
  sg_schema_options o;
  sg_err e = sg_cli_schema(argc, argv, &o);
  if (e != SG_OK || o.help)
    return sg_cli_answer(e, sg_usage_schema);
  char *text;
  if (o.ddl) { /* the tables as the shape of such a run has them, partitioned or not */
    static sg_shape shape;
    const sg_plan none = {0, 0, 0, 0};
    sg_shape_make(&shape, &none, o.tables, 0, sg_format_find(o.format)->extension, &o.partition);
    if (o.table_format)
      sg_shape_iceberg(&shape);
    text = sg_shape_ddl(&shape, o.table, o.location, o.format);
  } else {
    text = sg_schema_spark_json();
  }
  if (!text) {
    fprintf(stderr, "spotgen: out of memory\n");
    return 1;
  }
  fputs(text, stdout);
  if (!o.ddl)
    fputc('\n', stdout);
  free(text);
  return 0;
}

static int answer_generate(sg_err e) { return sg_cli_answer(e, sg_usage_generate); }

static int cmd_generate(int argc, char **argv)
{
  sg_gen_options o;
  sg_err e = sg_cli_generate(argc, argv, &o);
  if ((e != SG_OK || o.help) && !sg_generate_launched())
    return answer_generate(e);
  return sg_generate_main(&o, e, &argc, &argv, answer_generate);
}

int main(int argc, char **argv)
{
  const char *cmd = argc > 1 ? argv[1] : NULL;
  if (!cmd || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    fputs(sg_usage_main, cmd ? stdout : stderr);
    return cmd ? 0 : 2;
  }
  int version = strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0;
  for (int i = 2; i < argc && !version; i++) /* spotgen generate --version: the same answer, exit 0 */
    version = strcmp(argv[i], "--version") == 0;
  if (version) {
    printf("spotgen %s\n", SPOTGEN_VERSION);
    return 0;
  }
  if (strcmp(cmd, "generate") == 0)
    return cmd_generate(argc - 2, argv + 2);
  if (strcmp(cmd, "verify") == 0) { /* under mpirun the ranks share the parts */
    sg_group *g = sg_group_mpi_start(&argc, &argv);
    int status = sg_verify_main(argc - 2, argv + 2, g);
    sg_group_mpi_end(g);
    return status;
  }
  if (strcmp(cmd, "report") == 0)
    return sg_report_main(argc - 2, argv + 2);
  if (strcmp(cmd, "schema") == 0)
    return cmd_schema(argc - 2, argv + 2);
  if (strcmp(cmd, "score") == 0)
    return sg_score_main(argc - 2, argv + 2);
  if (strcmp(cmd, "fit") == 0)
    return sg_fit_main(argc - 2, argv + 2);
  fprintf(stderr, "spotgen: unknown command '%s'; run 'spotgen --help' for the commands\n", cmd);
  return 2;
}
