/* report.h - the `report` subcommand: one HTML page of a dataset.
 *
 * Everything on the page comes from _manifest.json (or, with --verify, the
 * checks of reading the files back): the facts of the run, the target
 * table, a histogram per audio feature overall and per category, the
 * correlation heatmap with the targets marked, the category profiles,
 * popularity, release years, duration, followers on a log axis and the
 * artists' rank-frequency curve on log-log axes. The page is
 * self-contained: inline CSS and SVG, no script, nothing fetched. */
#ifndef SPOTGEN_REPORT_H
#define SPOTGEN_REPORT_H

#include <cjson/cJSON.h>

#include "spotgen/cmd/chart.h"

/*! sg_report_html() :
 *  The page for `manifest` of the dataset at `where`, appended to `out`.
 *  `checks` is verify's result (its "results" are shown) or NULL for the
 *  manifest's own targets. @return : the number of charts drawn. */
int sg_report_html(sg_buf *out, const cJSON *manifest, const char *where, const cJSON *checks);

/*! sg_report_main() : runs `spotgen report` with the arguments after
 *  "report". @return : the process exit status (0, 2, or 5). */
int sg_report_main(int argc, char **argv);

#endif
