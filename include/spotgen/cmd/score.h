/* score.h - the `score` subcommand: how well a cleaning of a dirty dataset
 * did, against the ground truth generate --dirty wrote.
 *
 * The truth is the dirty dataset's manifest (seed, rows, model) and its
 * ledger (_dirty/): the clean value of every row comes from the model again
 * (a row is a pure function of its index), the dirty value of every cell the
 * ledger names from the ledger, and which rows were copies from their keys.
 * The cleaning is read as CSV (csv, csv.gz, csv.zst; one file or every
 * part under a folder, in any order), by its header: row_key and any of the
 * 24 columns. Values are compared as their column's type: numbers by value
 * (to the column's decimals: 5582.0 is 5582), dates by day (2019-03-04 and
 * 2019-03-04 00:00:00), text exactly; an empty field is a null.
 *
 * For each kind and column of the ledger: the dirty cells of the dataset's
 * rows, how many the cleaning made right (recall), how many it gave another
 * value and how many of those became right (precision), how many it left
 * null (marked missing: neither right nor a wrong value); per column, the
 * clean cells it broke and the cells still wrong. For duplicates: which removed
 * rows were copies (precision) and which copies were removed (recall). */
#ifndef SPOTGEN_SCORE_H
#define SPOTGEN_SCORE_H

/*! sg_score_main() : runs `spotgen score` with the arguments after
 *  "score". @return : 0 when it could score (whatever the score), 2 when
 *  the input cannot be read or is not a cleaning of the truth. */
int sg_score_main(int argc, char **argv);

#endif
