/* verify.h - the `verify` subcommand: reads a dataset back and checks it.
 *
 * Every part listed in _manifest.json is read with spotgen's own CSV reader
 * (not the writer's code), its bytes and CRC-32 counted as they pass, every
 * value parsed and range-checked, and the statistics recomputed from the
 * values alone. Then: rows, bytes and checksums against the manifest; the
 * recomputed statistics against the manifest's; every target of
 * TARGETS.md; and, over the whole dataset, one name per artist_id, one
 * name, category and follower count per playlist_id, one release date per
 * album, one set of attributes per track_id, and Spearman's r of a
 * track's popularity and its rows.
 *
 * Under mpirun the ranks share the parts (`group`, group.h): each reads
 * its own, and rank 0 merges their statistics in part order, the keys'
 * maps and the problems, then answers alone; the result is the same for
 * any number of ranks. This file calls no MPI itself. */
#ifndef SPOTGEN_VERIFY_H
#define SPOTGEN_VERIFY_H

#include <cjson/cJSON.h>

#include "spotgen/base/group.h"
#include "spotgen/cmd/cli.h"

#define SG_VERIFY_FAILED 5 /* exit status when a check fails */

/*! sg_verify_collect() :
 *  Runs every check of `spotgen verify` on o->dir, printing only errors.
 *  *result gets what `verify --json` prints (the caller frees it), or NULL
 *  when the dataset could not be read. @return : the exit status verify
 *  gives (0, 2, or 5). Not reentrant: one verification at a time. */
int sg_verify_collect(const sg_verify_options *o, cJSON **result);

/*! sg_verify_main() : runs `spotgen verify` with the arguments after
 *  "verify", as one rank of `group` (sg_group_single() alone).
 *  @return : the process exit status (0, 2, or 5), the same on every rank. */
int sg_verify_main(int argc, char **argv, sg_group *group);

#endif
