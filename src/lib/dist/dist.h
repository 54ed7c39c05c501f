/*
 * dist.h - the communication module: what the library's jobs use of the
 * process group (reprint/sys/dist.h declares the public part). Two
 * implementations, one chosen at build time (CMake RP_MPI):
 *
 *   dist_mpi.c    MPI-3 on MPI_COMM_WORLD (Open MPI, MPICH); the only
 *                 file of reprint that includes <mpi.h>
 *   dist_local.c  one process: broadcasts and gathers are copies
 *
 * Every call here is collective: all ranks make it, in the same order,
 * with the same sizes and root. MPI errors end the job (MPI's default
 * handler), so a collective returns only when it worked.
 * Library-internal.
 */
#ifndef RP_LIB_DIST_H
#define RP_LIB_DIST_H

#include "reprint/sys/dist.h"

#include <stddef.h>

/* Root's len bytes at buf to every rank's buf. */
void rp__dist_bcast(rp_dist *d, void *buf, size_t len, int root);

/* Every rank's len bytes at mine to root's all, in rank order (all holds
 * size * len bytes on root; ignored elsewhere). */
void rp__dist_gather(rp_dist *d, const void *mine, size_t len, void *all,
                     int root);

/* Wait until every rank is here. */
void rp__dist_barrier(rp_dist *d);

#endif
