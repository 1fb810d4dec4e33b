/* group_mpi.h - the group of an MPI run (group.h), for subcommands other
 * than generate that can share their work between ranks (verify). */
#ifndef SPOTGEN_GROUP_MPI_H
#define SPOTGEN_GROUP_MPI_H

#include "spotgen/base/group.h"

/*! sg_group_mpi_start() : under mpirun (sg_generate_launched), starts MPI
 *  and returns the group of MPI_COMM_WORLD; otherwise the single group,
 *  without MPI. */
sg_group *sg_group_mpi_start(int *argc, char ***argv);

/*! sg_group_mpi_end() : ends what sg_group_mpi_start started. */
void sg_group_mpi_end(sg_group *g);

#endif
