/*
 * group.c - the ranks `mpirun -n N reprint ...` (or srun) started: whether
 * to join MPI, the group every command sees, and the one agreement of the
 * ranks' statuses before a distributed job (reprint/sys/dist.h).
 *
 * MPI is joined only when a launcher's variables say this process is one
 * rank of a job: MPI_Init without a launcher (a singleton) costs about
 * half a second on this machine, on every run. REPRINT_MPI=1 joins anyway
 * (a launcher these variables miss), REPRINT_MPI=0 never.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static rp_dist *group;
static int agreed;

static int launched(void)
{
    const char *force = getenv("REPRINT_MPI");
    if (force && *force)
        return strcmp(force, "0") != 0;
    /* Open MPI's mpirun; PMIx (srun --mpi=pmix, Open MPI 5); PMI-1/2
     * (MPICH's hydra, srun --mpi=pmi2) */
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK",
                                       "PMI_RANK", "PMI_SIZE"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

int cli_group_open(int *argc, char ***argv)
{
    rp_error err = {0};
    int rc = rp_dist_open(&group, argc, argv, launched(), &err);
    if (rc != RP_OK) {
        cli_print_error(rc, &err);
        return -1;
    }
    return 0;
}

rp_dist *cli_group(void)
{
    return group;
}

int cli_group_size(void)
{
    return group ? rp_dist_size(group) : 1;
}

int cli_group_rank(void)
{
    return group ? rp_dist_rank(group) : 0;
}

int cli_agree(int status)
{
    if (cli_group_size() == 1 || agreed)
        return status;
    agreed = 1;
    return rp_dist_agree(group, status);
}

void cli_group_close(void)
{
    rp_dist_close(group);
    group = NULL;
}

/* The folder of path ("." for a bare name), into buf. */
static const char *folder_of(const char *path, char *buf, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ".";
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    if (n >= cap)
        return NULL;
    memcpy(buf, path, n);
    buf[n] = '\0';
    return buf;
}

const char *cli_tmp_dir(const cli_job *job, char *buf, size_t cap)
{
    if (job->tmp_dir)
        return job->tmp_dir;
    const char *outs[] = {job->outs.records, job->outs.log,
                          job->outs.clusters, job->outs.pairs};
    for (size_t i = 0; i < sizeof outs / sizeof *outs; i++)
        if (outs[i] && strcmp(outs[i], "-") != 0)
            return folder_of(outs[i], buf, cap);
    if (job->opts.against && job->opts.update && !job->outs.records) {
        /* index add: beside the index (a folder; a trailing / dropped) */
        char path[4096];
        size_t n = strlen(job->opts.against);
        while (n > 1 && job->opts.against[n - 1] == '/')
            n--;
        if (n < sizeof path) {
            memcpy(path, job->opts.against, n);
            path[n] = '\0';
            return folder_of(path, buf, cap);
        }
    }
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}
