/* generate.h - the `generate` subcommand: the MPI driver.
 *
 * The only module that calls MPI. Every rank parses the same arguments, rank 0
 * prepares the output location, each rank writes the parts the static plan
 * gives it, and rank 0 merges the parts' statistics in part order, then writes
 * _manifest.json and _SUCCESS once every rank has committed every part.
 *
 * While working, ranks report to rank 0 (progress, then done or failed);
 * when one fails, rank 0 tells the others to stop, every rank removes what it
 * had begun, and the job exits non-zero without _SUCCESS. */
#ifndef SPOTGEN_GENERATE_H
#define SPOTGEN_GENERATE_H

/*! sg_generate_main() : runs `spotgen generate` with the arguments after
 *  "generate". @return : the process exit status. */
int sg_generate_main(int argc, char **argv);

#endif
