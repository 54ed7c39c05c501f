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
