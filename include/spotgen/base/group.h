/* group.h - the processes that share one job (the ranks of mpirun), for
 * code that does not call MPI itself: a single process is a group of one.
 * gen/group_mpi.c makes the group of an MPI run. */
#ifndef SPOTGEN_GROUP_H
#define SPOTGEN_GROUP_H

#include <stddef.h>

typedef struct sg_group sg_group;
struct sg_group {
  int rank, size;
  /* Every rank calls it with its `len` bytes; rank 0 gets them all, rank
   * after rank, in *all (malloc'ed; the caller frees it) with each rank's
   * length in lens[0 .. size-1]; the others get *all = NULL.
   * @return : 0, or -1 (out of memory, or a payload past 2 GiB). */
  int (*gather)(sg_group *g, const void *data, size_t len, unsigned char **all, size_t *lens);
  /* Every rank gets rank 0's *v. */
  void (*bcast_int)(sg_group *g, int *v);
};

/*! sg_group_single() : the group of this process alone. */
sg_group *sg_group_single(void);

#endif
