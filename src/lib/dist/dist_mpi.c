/*
 * dist_mpi.c - the process group on MPI (CMake RP_MPI=ON): the ranks of
 * MPI_COMM_WORLD, through a duplicate communicator of the library's own so
 * that its messages never meet a calling program's. Standard MPI-3 calls
 * only (Open MPI, MPICH). The only file of reprint that includes <mpi.h>.
 *
 * Threads: the library's worker threads never call MPI; only the thread
 * that called rp_dist_open does (MPI_THREAD_FUNNELED).
 * Errors: MPI's default handler (MPI_ERRORS_ARE_FATAL) ends the whole job
 * on a failed call, so the collectives below return only when they worked.
 */
#include "dist.h"

#include "../common/error.h"

#include <assert.h>
#include <limits.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

struct rp_dist {
    MPI_Comm comm;
    int rank, size;
    int finalize; /* this library called MPI_Init: it calls MPI_Finalize */
};

int rp_dist_has_mpi(void)
{
    return 1;
}

int rp_dist_open(rp_dist **out, int *argc, char ***argv, int use_mpi,
                 rp_error *err)
{
    rp_dist *d = calloc(1, sizeof *d);
    *out = NULL;
    if (!d)
        return RP_ENOMEM;
    d->comm = MPI_COMM_NULL;
    d->size = 1;
    if (use_mpi) {
        int inited = 0;
        MPI_Initialized(&inited);
        if (!inited) {
            int provided = 0;
            if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED,
                                &provided) != MPI_SUCCESS) {
                free(d);
                return rp__error_set(err, RP_EIO, "", 0, 0,
                                     "MPI_Init failed");
            }
            d->finalize = 1;
        }
        MPI_Comm_dup(MPI_COMM_WORLD, &d->comm);
        MPI_Comm_rank(d->comm, &d->rank);
        MPI_Comm_size(d->comm, &d->size);
    }
    *out = d;
    return RP_OK;
}

int rp_dist_rank(const rp_dist *d)
{
    return d->rank;
}

int rp_dist_size(const rp_dist *d)
{
    return d->size;
}

int rp_dist_agree(rp_dist *d, int status)
{
    if (d->size == 1)
        return status;
    int *all = d->rank == 0 ? calloc((size_t)d->size, sizeof *all) : NULL;
    if (d->rank == 0 && !all)
        rp_dist_abort(d, 1); /* cannot gather: the job cannot go on */
    rp__dist_gather(d, &status, sizeof status, all, 0);
    int first = 0;
    for (int r = 0; d->rank == 0 && r < d->size && !first; r++)
        first = all[r];
    free(all);
    rp__dist_bcast(d, &first, sizeof first, 0);
    return first;
}

void rp_dist_abort(rp_dist *d, int code)
{
    if (d->comm != MPI_COMM_NULL)
        MPI_Abort(d->comm, code);
}

void rp_dist_close(rp_dist *d)
{
    if (!d)
        return;
    if (d->comm != MPI_COMM_NULL)
        MPI_Comm_free(&d->comm);
    if (d->finalize)
        MPI_Finalize();
    free(d);
}

void rp__dist_bcast(rp_dist *d, void *buf, size_t len, int root)
{
    if (d->size == 1)
        return;
    assert(len <= INT_MAX); /* small buffers: statuses, names */
    MPI_Bcast(buf, (int)len, MPI_BYTE, root, d->comm);
}

void rp__dist_gather(rp_dist *d, const void *mine, size_t len, void *all,
                     int root)
{
    if (d->size == 1) {
        if (len)
            memcpy(all, mine, len);
        return;
    }
    assert(len <= INT_MAX / (size_t)d->size);
    MPI_Gather(mine, (int)len, MPI_BYTE, all, (int)len, MPI_BYTE, root,
               d->comm);
}

void rp__dist_barrier(rp_dist *d)
{
    if (d->size > 1)
        MPI_Barrier(d->comm);
}
