/* dirty.h - generate --dirty: data to clean, with the ground truth.
 *
 * A dirty dataset is the clean one with cells and rows corrupted the ways
 * real exports are: missing values, duplicates, out-of-range numbers,
 * malformed dates, comma decimals, stray whitespace, mojibake, category
 * spellings, swapped fields. Each corruption is a pure function of (seed,
 * row, column): Philox words of stream SG_STREAM_DIRTY decide whether a
 * cell is hit, by which kind and how, so the bytes are the same for any
 * number of ranks and after --resume, like the clean rows they start from.
 *
 * The rates, profiles and counts are here; a row's lines are made by
 * format/dirty_row.h.
 *
 * Every row carries a row key (the first column, `row_key`): 16 hex digits of
 * a bijection of (row, copy), so a duplicate's key tells nothing by its look,
 * and spotgen score maps any key back to its row. What was done goes to the
 * ledger, a table of its own (_dirty/part-NNNNN.<ext>): row key, column,
 * kind, the clean value, the dirty value, and for a copy the key it copies.
 *
 * Rates are per cell the kind can apply to (a comma decimal only to a
 * number with decimals or of four digits or more, mojibake only to a name
 * with letters outside ASCII), and per row for the row kinds (duplicate,
 * near_duplicate, swap). A cell takes at most one kind: its word falls in
 * one kind's share of the range or in none, so the kinds' rates of a cell
 * add up to 1 at most.
 */
#ifndef SPOTGEN_DIRTY_H
#define SPOTGEN_DIRTY_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "spotgen/base/err.h"
#include "spotgen/dataset/schema.h"
#include "spotgen/model/category.h"
#include "spotgen/model/row.h"

typedef enum sg_dirty_kind {
  SG_DIRTY_MISSING,        /* "", NA, null, N/A or - */
  SG_DIRTY_OUT_OF_RANGE,   /* popularity 101, loudness above 0 dB, tempo 0, negative duration ... */
  SG_DIRTY_NUMBER_FORMAT,  /* 0,6543 or 1,234,567 */
  SG_DIRTY_BAD_DATE,       /* 2019, 2019/03/04, 04-03-2019, 03/04/2019, 2019-03 */
  SG_DIRTY_WHITESPACE,     /* leading, trailing or doubled spaces in a name */
  SG_DIRTY_MOJIBAKE,       /* UTF-8 read as Windows-1252 and written again: Café -> CafÃ© */
  SG_DIRTY_CATEGORY,       /* category_variant: Workout, WORKOUT, wrkout */
  SG_DIRTY_SWAP,           /* two adjacent fields exchanged (per row) */
  SG_DIRTY_DUPLICATE,      /* the row again, exactly, with its own key (per row) */
  SG_DIRTY_NEAR_DUPLICATE, /* the row again with its track's name re-listed:
                              "Name ", "NAME", "Name (Remastered)" (per row) */
  SG_DIRTY_KINDS
} sg_dirty_kind;

#define SG_DIRTY_CELL_KINDS SG_DIRTY_SWAP /* the kinds before it act on one cell */
#define SG_DIRTY_ROW_COLUMN SG_NCOLS      /* counts' column of a row kind */

/* What --dirty asks for: a rate per kind and column (row kinds: column 0),
 * and factors by playlist category (missingness that depends on the row). */
typedef struct sg_dirty {
  char profile[64];                          /* "realistic", or the file's name */
  double rate[SG_DIRTY_KINDS][SG_NCOLS];      /* as given */
  double factor[SG_DIRTY_KINDS][SG_NCOLS][SG_NCAT];
  uint64_t threshold[SG_DIRTY_KINDS][SG_NCOLS][SG_NCAT]; /* a 32-bit word below it hits */
} sg_dirty;

/* How many of each kind were made, by column (SG_DIRTY_ROW_COLUMN for a
 * duplicate), and the rows written with the copies. Sums are the same in
 * any order. */
typedef struct sg_dirty_counts {
  uint64_t n[SG_DIRTY_KINDS][SG_NCOLS + 1];
  uint64_t rows;    /* lines of data written, copies included */
  uint64_t ledger;  /* lines of the ledger */
} sg_dirty_counts;

/*! sg_dirty_kind_name() : "missing", "out_of_range", ... */
const char *sg_dirty_kind_name(int kind);

/*! sg_dirty_kind_find() : the kind named by the `n` bytes at `name`, or -1. */
int sg_dirty_kind_find(const char *name, size_t n);

/*! sg_dirty_profile() : the built-in profile `name` (light, realistic,
 *  hostile) into d. @return : SG_EUSAGE naming the profiles for another. */
sg_err sg_dirty_profile(sg_dirty *d, const char *name);

/*! sg_dirty_is_profile() : whether `arg` of --dirty names a built-in profile
 *  rather than a file. */
int sg_dirty_is_profile(const char *arg);

/*! sg_dirty_apply_json() : the rates of a --dirty FILE.json (its text),
 *  over the profile its "base" names (none: every rate 0). Refused with
 *  SG_EUSAGE and one line naming the key and the fix. */
sg_err sg_dirty_apply_json(sg_dirty *d, const char *text, const char *source);

/*! sg_dirty_json() : the rates as the manifest keeps them (and the journal:
 *  they decide the bytes). */
cJSON *sg_dirty_json(const sg_dirty *d);

/*! sg_dirty_counts_json() : the counts, by kind then column, without zeros. */
cJSON *sg_dirty_counts_json(const sg_dirty_counts *c);

/*! sg_dirty_counts_merge() : into += from. */
void sg_dirty_counts_merge(sg_dirty_counts *into, const sg_dirty_counts *from);

/*! sg_dirty_key() : the row key of copy `copy` (0: the row itself, 1: its
 *  duplicate, 2: its near duplicate) of row `row`: a bijection of row * 4 + copy
 *  (splitmix64's finaliser after a Weyl step). */
uint64_t sg_dirty_key(uint64_t row, unsigned copy);

/*! sg_dirty_key_row() : the inverse: the row and copy of `key`. */
uint64_t sg_dirty_key_row(uint64_t key, unsigned *copy);

#endif
