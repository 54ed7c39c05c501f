/*
 * reprint/sys/dist.h - runs over many processes (MPI ranks): the process
 * group, and dedup with its first stage spread over the ranks.
 *
 * A library built with MPI (CMake RP_MPI, src/lib/dist/dist_mpi.c) joins
 * the job mpirun or srun started; one built without it (dist_local.c) is
 * always one process. Either way the library reads no environment: the
 * caller says whether to join MPI (the reprint command does when a
 * launcher's variables are set).
 *
 * What a distributed dedup spreads today (rp_dedup_run_dist): stage 1,
 * reading, normalising and MinHash, each rank over its shard of the
 * input files. The rest (LSH candidates, verification, clustering,
 * writing) runs on rank 0 over the ranks' .rps files, which gives byte
 * for byte what rp_dedup_run gives over the inputs.
 */
#ifndef REPRINT_SYS_DIST_H
#define REPRINT_SYS_DIST_H

#include "../dedup.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A process group: this process's rank among `size`. Opaque. */
typedef struct rp_dist rp_dist;

/** 1 if this library was built with MPI, else 0. */
RP_API int rp_dist_has_mpi(void);

/**
 * Join the process group: with use_mpi, MPI_Init (once per process;
 * argc/argv as MPI_Init takes them, may be NULL); without, a group of one.
 * @return RP_OK; RP_EINVAL (err says so) for use_mpi in a build without
 *         MPI; RP_ENOMEM.
 * Thread-safety: call from the main thread, once.
 */
RP_API int rp_dist_open(rp_dist **out, int *argc, char ***argv, int use_mpi,
                        rp_error *err);

/** This process's rank, 0 .. size-1. */
RP_API int rp_dist_rank(const rp_dist *d);
/** The number of processes in the group. */
RP_API int rp_dist_size(const rp_dist *d);

/**
 * Collective: every rank passes its status (0 = ok); every rank gets the
 * first non-zero status in rank order, or 0. For checks each rank makes
 * before a job, so that all go on or all stop.
 */
RP_API int rp_dist_agree(rp_dist *d, int status);

/**
 * End the whole job at once with `code` (MPI_Abort), for a failure that the
 * other ranks cannot learn of through a collective call. The caller prints
 * its message first. Returns only in a group of one (the caller exits).
 */
RP_API void rp_dist_abort(rp_dist *d, int code);

/** Leave the group (MPI_Finalize after the last collective); NULL is ok. */
RP_API void rp_dist_close(rp_dist *d);

/**
 * Collective: rp_dedup_run over `inputs` by all ranks of d. Each rank signs
 * its shard (rank of size, as rp_sign_run with opts->shard/shards) into a
 * .rps in a new folder made by rank 0 inside tmp_dir, which every rank
 * must reach (a shared filesystem on a cluster); then rank 0 runs
 * rp_dedup_run over those files in rank order and writes `outs`; the
 * temporary files are removed. Inputs that are .rps files are used as they
 * are, by rank 0. Standard input ("-") and outs->signatures are not
 * supported (RP_EINVAL).
 *
 * @param tmp_dir  an existing folder every rank can read and write.
 * @param cb       used on every rank (bad_record: records of its shard);
 *                 progress functions are the caller's to pass on rank 0
 *                 only.
 * @param stats    on rank 0, the run's, with files_in, fields_found and
 *                 bad_records summed over the ranks' shards, sec_sign the
 *                 slowest rank's stage 1 and sec_total the whole run; on
 *                 other ranks, their stage 1's.
 * @return on every rank the same code: RP_OK, or the error of the first
 *         rank that failed (rank 0's own for the later stages). On rank 0,
 *         err describes it, its message starting "rank K of N: " when rank
 *         K != 0 failed; no output is written then.
 */
RP_API int rp_dedup_run_dist(rp_dist *d, const char *tmp_dir,
                             const char *const *inputs, size_t ninputs,
                             const rp_dedup_options *opts,
                             const rp_dedup_outputs *outs,
                             const rp_dedup_callbacks *cb,
                             rp_dedup_stats *stats, rp_error *err);

#ifdef __cplusplus
}
#endif
#endif
