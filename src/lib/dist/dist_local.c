/*
 * dist_local.c - the process group of a build without MPI (RP_MPI=OFF):
 * always one process, rank 0 of 1. Broadcasts are nothing, gathers a copy.
 */
#include "dist.h"

#include "../common/error.h"

#include <stdlib.h>
#include <string.h>

struct rp_dist {
    int unused;
};

int rp_dist_has_mpi(void)
{
    return 0;
}

int rp_dist_open(rp_dist **out, int *argc, char ***argv, int use_mpi,
                 rp_error *err)
{
    *out = NULL;
    if (use_mpi)
        return rp__error_set(err, RP_EINVAL, "", 0, 0,
                             "this reprint was built without MPI "
                             "(-DRP_MPI=OFF): run it without mpirun or "
                             "srun, or build it with MPI");
    *out = calloc(1, sizeof **out);
    return *out ? RP_OK : RP_ENOMEM;
}

int rp_dist_rank(const rp_dist *d)
{
    return 0;
}

int rp_dist_size(const rp_dist *d)
{
    return 1;
}

int rp_dist_agree(rp_dist *d, int status)
{
    return status;
}

void rp_dist_abort(rp_dist *d, int code)
{
}

void rp_dist_close(rp_dist *d)
{
    free(d);
}

void rp__dist_bcast(rp_dist *d, void *buf, size_t len, int root)
{
}

void rp__dist_gather(rp_dist *d, const void *mine, size_t len, void *all,
                     int root)
{
    if (len)
        memcpy(all, mine, len);
}

void rp__dist_barrier(rp_dist *d)
{
}

void rp__dist_scatterv(rp_dist *d, const void *send, const size_t *counts,
                       size_t item, void *recv, size_t mine, int root)
{
    (void)counts;
    if (mine)
        memcpy(recv, send, mine * item);
}

/* one rank: what a group of one receives is a copy of what it sent */
static int copy_of(void **out, const void *src, size_t len)
{
    *out = malloc(len ? len : 1);
    if (!*out)
        return RP_ENOMEM;
    if (len)
        memcpy(*out, src, len);
    return RP_OK;
}

int rp__dist_gatherv(rp_dist *d, const void *mine, size_t n, size_t item,
                     void **all, size_t *counts, int root)
{
    counts[0] = n;
    return copy_of(all, mine, n * item);
}

int rp__dist_alltoallv(rp_dist *d, const void *send, const size_t *scounts,
                       size_t item, void **recv, size_t *rcounts)
{
    rcounts[0] = scounts[0];
    return copy_of(recv, send, scounts[0] * item);
}
