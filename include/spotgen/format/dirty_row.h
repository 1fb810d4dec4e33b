/* dirty_row.h - generate --dirty's rows as text: a row's line, its copies'
 * lines, and its ledger lines, by the rates of dataset/dirty.h and the
 * row's random words (Philox stream SG_STREAM_DIRTY). CSV only: a dirty
 * value is text (0,6543 or 2019/03/04 has no typed column to go to). */
#ifndef SPOTGEN_DIRTY_ROW_H
#define SPOTGEN_DIRTY_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "spotgen/dataset/dirty.h"
#include "spotgen/model/row.h"

/* Room sg_dirty_row needs: the longest text a cell may hold (a name of 63
 * bytes in mojibake is at most 189), three lines of 25 such fields, each at
 * most doubled by quoting, and the ledger lines of three copies of every cell. */
#define SG_DIRTY_CELL_MAX 256
#define SG_DIRTY_DATA_MAX (3 * (2 * SG_DIRTY_CELL_MAX + 3) * (SG_NCOLS + 1))
#define SG_DIRTY_LEDGER_MAX (3 * (SG_NCOLS + 2) * 6 * (2 * SG_DIRTY_CELL_MAX + 3))

/*! sg_dirty_header() : the data's header line, row_key first, into out
 *  (SG_CSV_ROW_MAX bytes are ample). */
size_t sg_dirty_header(char *out);

/*! sg_dirty_ledger_header() : the ledger's header line into out. */
size_t sg_dirty_ledger_header(char *out);

/* Random words a row needs: Philox blocks of stream SG_STREAM_DIRTY. */
#define SG_DIRTY_WORDS 56

/*! sg_dirty_words() : the words of rows first .. first+n-1, SG_DIRTY_WORDS
 *  a row, into out (computed in AVX2 lanes where the CPU has them). */
void sg_dirty_words(uint64_t seed, uint64_t first, unsigned n, uint32_t *out);

/*! sg_dirty_row() : row `r` as the dirty dataset has it, by its words `w`:
 *  its line, then the lines of its copies, into `data` (SG_DIRTY_DATA_MAX
 *  bytes), and what was done as ledger lines into `ledger`
 *  (SG_DIRTY_LEDGER_MAX bytes), both CSV with '\n' ends; their lengths into
 *  *data_len and *ledger_len; what was made added to `counts`. Either
 *  buffer may be NULL (its length is then 0): the counts are the same. */
void sg_dirty_row(const sg_dirty *d, const sg_row *r, const uint32_t *w, char *data, size_t *data_len,
                  char *ledger, size_t *ledger_len, sg_dirty_counts *counts);

#endif
