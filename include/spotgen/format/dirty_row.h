/* dirty_row.h - generate --dirty's rows: a row's line, its copies' lines,
 * and its ledger lines, by the rates of dataset/dirty.h and the row's
 * random words (Philox stream SG_STREAM_DIRTY), as lines of cells
 * (format.h) that any format writes: text where a cell is not its column's
 * value in the row, null where it is missing.
 *
 * For a typed format (Parquet) a dirty value its column's type cannot
 * hold (0,6543 in a double, 2019/03/04 in a date, a swap of a name into a
 * number) is not made: the cell stays clean and the ledger does not name
 * it. A missing value is a null there, its token in the text formats. */
#ifndef SPOTGEN_DIRTY_ROW_H
#define SPOTGEN_DIRTY_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/dataset/dirty.h"
#include "spotgen/format/format.h"
#include "spotgen/model/row.h"

/* The longest text a cell may hold: a name of 63 bytes in mojibake is at
 * most 189. */
#define SG_DIRTY_CELL_MAX SG_CELL_TEXT_MAX

/* Lines of the ledger a row may make: each cell of three copies, and the
 * two copies themselves. */
#define SG_DIRTY_LEDGER_LINES (3 * SG_NCOLS + 2)

/* A row's lines, and the texts they point into. */
typedef struct sg_dirty_lines {
  sg_cells data[3];          /* the row, its duplicate, its near duplicate */
  size_t ndata;
  sg_cells ledger[SG_DIRTY_LEDGER_LINES];
  size_t nledger;
  char key[3][17], of[17];   /* the copies' row keys, and the key they copy */
  char clean[SG_NCOLS][SG_DIRTY_CELL_MAX];
  char dirty[SG_NCOLS][SG_DIRTY_CELL_MAX];
  char name[SG_DIRTY_CELL_MAX]; /* the near duplicate's track name */
  int kind[SG_NCOLS];        /* the kind that hit each cell, or -1 */
} sg_dirty_lines;

/* Random words a row needs: Philox blocks of stream SG_STREAM_DIRTY. */
#define SG_DIRTY_WORDS 56

/*! sg_dirty_words() : the words of rows first .. first+n-1, SG_DIRTY_WORDS
 *  a row, into out (computed in AVX2 lanes where the CPU has them). */
void sg_dirty_words(uint64_t seed, uint64_t first, unsigned n, uint32_t *out);

/* What sg_dirty_row makes: the data's lines, the ledger's, or neither (the
 * counts only); the counts are the same whichever. */
enum { SG_DIRTY_DATA = 1, SG_DIRTY_LEDGER = 2 };

/*! sg_dirty_row() : row `r` as the dirty dataset has it, by its words `w`:
 *  its line, then the lines of its copies (of table SG_TABLE_DIRTY), and
 *  what was done (lines of SG_TABLE_DIRTY_LEDGER), as `want` says, into
 *  `out`; what was made added to `counts`. `typed`: for a typed format
 *  (see the top). The lines point into `out` and `r`. */
void sg_dirty_row(const sg_dirty *d, int typed, const sg_row *r, const uint32_t *w, int want,
                  sg_dirty_lines *out, sg_dirty_counts *counts);

#endif
