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
#include <stdint.h>
#include <stdio.h>
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

/* The job cannot go on: the other ranks are inside the collective. */
static void fail(rp_dist *d, const char *what)
{
    fprintf(stderr, "reprint: rank %d of %d: %s\n", d->rank, d->size, what);
    rp_dist_abort(d, 1);
}

/* counts of items as MPI's ints, and the displacements they give */
static void int_counts(rp_dist *d, const size_t *counts, int *c, int *displ)
{
    size_t at = 0;
    for (int r = 0; r < d->size; r++) {
        if (counts[r] > INT_MAX || at > INT_MAX)
            fail(d, "more than 2^31 items to exchange with one rank");
        c[r] = (int)counts[r];
        displ[r] = (int)at;
        at += counts[r];
    }
}

/* an item of `item` bytes as one MPI element */
static MPI_Datatype item_type(size_t item)
{
    MPI_Datatype t;
    MPI_Type_contiguous((int)item, MPI_BYTE, &t);
    MPI_Type_commit(&t);
    return t;
}

/* int arrays of size entries, or the job ends */
static int *ints(rp_dist *d, size_t n)
{
    int *p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        fail(d, "out of memory");
    return p;
}

static void *bytes(rp_dist *d, size_t n, size_t item)
{
    void *p = n > SIZE_MAX / item ? NULL : malloc(n ? n * item : 1);
    if (!p)
        fail(d, "out of memory for the items received");
    return p;
}

void rp__dist_scatterv(rp_dist *d, const void *send, const size_t *counts,
                       size_t item, void *recv, size_t mine, int root)
{
    if (d->size == 1) {
        if (mine)
            memcpy(recv, send, mine * item);
        return;
    }
    int *c = NULL, *displ = NULL;
    if (d->rank == root) {
        c = ints(d, (size_t)d->size);
        displ = ints(d, (size_t)d->size);
        int_counts(d, counts, c, displ);
    }
    if (mine > INT_MAX)
        fail(d, "more than 2^31 items to receive");
    MPI_Datatype t = item_type(item);
    MPI_Scatterv(send, c, displ, t, recv, (int)mine, t, root, d->comm);
    MPI_Type_free(&t);
    free(c);
    free(displ);
}

int rp__dist_gatherv(rp_dist *d, const void *mine, size_t n, size_t item,
                     void **all, size_t *counts, int root)
{
    *all = NULL;
    uint64_t n64 = n, *all_n = NULL;
    if (d->rank == root)
        all_n = bytes(d, (size_t)d->size, sizeof *all_n);
    MPI_Gather(&n64, 1, MPI_UINT64_T, all_n, 1, MPI_UINT64_T, root, d->comm);
    int *c = NULL, *displ = NULL;
    size_t total = 0;
    if (d->rank == root) {
        for (int r = 0; r < d->size; r++) {
            counts[r] = (size_t)all_n[r];
            total += counts[r];
        }
        c = ints(d, (size_t)d->size);
        displ = ints(d, (size_t)d->size);
        int_counts(d, counts, c, displ);
        *all = bytes(d, total, item);
    }
    if (n > INT_MAX)
        fail(d, "more than 2^31 items to send");
    MPI_Datatype t = item_type(item);
    MPI_Gatherv(mine, (int)n, t, *all, c, displ, t, root, d->comm);
    MPI_Type_free(&t);
    free(all_n);
    free(c);
    free(displ);
    return RP_OK;
}

int rp__dist_alltoallv(rp_dist *d, const void *send, const size_t *scounts,
                       size_t item, void **recv, size_t *rcounts)
{
    size_t n = (size_t)d->size;
    uint64_t *sn = bytes(d, n, sizeof *sn), *rn = bytes(d, n, sizeof *rn);
    for (size_t r = 0; r < n; r++)
        sn[r] = scounts[r];
    MPI_Alltoall(sn, 1, MPI_UINT64_T, rn, 1, MPI_UINT64_T, d->comm);
    size_t total = 0;
    for (size_t r = 0; r < n; r++) {
        rcounts[r] = (size_t)rn[r];
        total += rcounts[r];
    }
    int *sc = ints(d, n), *sd = ints(d, n), *rc = ints(d, n), *rd = ints(d, n);
    int_counts(d, scounts, sc, sd);
    int_counts(d, rcounts, rc, rd);
    *recv = bytes(d, total, item);
    MPI_Datatype t = item_type(item);
    MPI_Alltoallv(send, sc, sd, t, *recv, rc, rd, t, d->comm);
    MPI_Type_free(&t);
    free(sn);
    free(rn);
    free(sc);
    free(sd);
    free(rc);
    free(rd);
    return RP_OK;
}
