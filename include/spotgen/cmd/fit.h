/* fit.h - the `fit` subcommand: spotgen's model learnt from a sample of
 * tracks, written as a --config file.
 *
 * The sample (CSV or Parquet, read by format/rows_in.h) holds the nine
 * audio features and, when present, duration_ms and popularity. Every
 * value must be a number; a few outside a column's range (real data has
 * tracks over 10 minutes and loudness above 0 dB) are taken as the
 * range's nearest end and counted, but more than 1% of a column is
 * refused as a column in other units.
 *
 * With --group COL each track belongs to a group: a category of the same
 * name, or else the category whose built-in profile is nearest the
 * group's means (in sd units over the nine audio features). For each
 * category its tracks give:
 *   - each feature's marginal: SG_QKNOTS quantiles (config "quantiles"),
 *     so zeros, floors and peaks come out as the sample has them;
 *   - the Pearson r of every pair, as categories.NAME.correlations, which
 *     the copula meets exactly where it can (sg_copula_fit says how the
 *     rest are moved);
 *   - its share of playlists: its share of the sample's rows.
 * A category no group joins takes the whole sample with share 0. Without
 * --group every category takes the whole sample and keeps its share.
 * popularity: the slopes on danceability and energy by least squares, and
 * the Kumaraswamy curve of what is left, its spread less the model's
 * noise. The report then draws rows from the fitted model and prints them
 * beside the sample. */
#ifndef SPOTGEN_FIT_H
#define SPOTGEN_FIT_H

#define SG_FIT_MIN_ROWS 100   /* the fewest rows of a group */
#define SG_FIT_MAX_GROUPS 1000
#define SG_FIT_OUTSIDE 0.01   /* the largest share of a column outside its range */

/*! sg_fit_main() : runs `spotgen fit` with the arguments after "fit".
 *  @return : 0 when the model was written, 2 when the sample cannot be
 *            read or fitted (one line says why), 1 out of memory. */
int sg_fit_main(int argc, char **argv);

#endif
