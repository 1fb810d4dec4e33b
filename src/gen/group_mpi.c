/* group_mpi.c - the group of an MPI run (see group_mpi.h). */
#include "spotgen/gen/group_mpi.h"

#include <limits.h>
#include <mpi.h>
#include <stdlib.h>

#include "spotgen/gen/generate.h"

static int mpi_gather(sg_group *g, const void *data, size_t len, unsigned char **all, size_t *lens)
{
  *all = NULL;
  int bad = len > INT_MAX, any_bad;
  MPI_Allreduce(&bad, &any_bad, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (any_bad)
    return -1;
  int n = (int)len;
  int *counts = g->rank == 0 ? malloc((size_t)g->size * sizeof *counts) : NULL;
  int *displs = g->rank == 0 ? malloc((size_t)g->size * sizeof *displs) : NULL;
  MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
  size_t total = 0;
  if (g->rank == 0 && counts && displs)
    for (int r = 0; r < g->size; r++) {
      lens[r] = (size_t)counts[r];
      total += lens[r];
    }
  /* displacements are ints too: the whole must stay under 2 GiB */
  int fail = g->rank == 0 && (!counts || !displs || total > INT_MAX || !(*all = malloc(total ? total : 1)));
  MPI_Bcast(&fail, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (!fail) {
    if (g->rank == 0)
      for (int r = 0, at = 0; r < g->size; at += counts[r++])
        displs[r] = at;
    MPI_Gatherv(data, n, MPI_BYTE, *all, counts, displs, MPI_BYTE, 0, MPI_COMM_WORLD);
  } else {
    free(*all);
    *all = NULL;
  }
  free(counts);
  free(displs);
  return fail ? -1 : 0;
}

static void mpi_bcast_int(sg_group *g, int *v)
{
  (void)g;
  MPI_Bcast(v, 1, MPI_INT, 0, MPI_COMM_WORLD);
}

sg_group *sg_group_mpi_start(int *argc, char ***argv)
{
  static sg_group world = {0, 1, mpi_gather, mpi_bcast_int};
  if (!sg_generate_launched())
    return sg_group_single();
  MPI_Init(argc, argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &world.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world.size);
  return &world;
}

void sg_group_mpi_end(sg_group *g)
{
  if (g != sg_group_single())
    MPI_Finalize();
}
