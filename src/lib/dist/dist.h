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

/*
 * Arrays of items of `item` bytes. Counts between two ranks are limited to
 * INT_MAX items (MPI's int counts); more, or memory that cannot be had for
 * what arrives, ends the whole job with a message on standard error
 * (rp_dist_abort): the other ranks are already in the call and cannot be
 * told otherwise. The two that allocate return RP_OK (or, in a group of
 * one, RP_ENOMEM).
 */

/* Root's counts[r] items for each rank r, one after another at send, to
 * rank r's recv (room for its own count, `mine`). */
void rp__dist_scatterv(rp_dist *d, const void *send, const size_t *counts,
                       size_t item, void *recv, size_t mine, int root);

/* Every rank's n items at mine to root: *all (malloc'ed, free() it; NULL
 * elsewhere) holds them in rank order, counts[r] from rank r (counts has
 * size entries on root; ignored elsewhere). */
int rp__dist_gatherv(rp_dist *d, const void *mine, size_t n, size_t item,
                     void **all, size_t *counts, int root);

/* All to all: send holds, in rank order, scounts[r] items for each rank r;
 * *recv (malloc'ed, free() it) gets, in rank order, rcounts[r] items from
 * each rank r. */
int rp__dist_alltoallv(rp_dist *d, const void *send, const size_t *scounts,
                       size_t item, void **recv, size_t *rcounts);

#endif
