/*
 * dist_stage.h - the stages of dedup that rank 0 runs with the other ranks
 * of a process group (a run over ranks, dist_run.c): rank 0 sends a
 * command, every rank does its part, rank 0 gathers. The other ranks wait
 * for commands in rp__dist_serve until the end. Library-internal.
 *
 *   dist_lsh.c     candidates: band keys bucketed on the ranks
 *   dist_verify.c  verification: each rank the pairs of its documents
 *   dist_write.c   the kept records: each rank its shard's, joined
 */
#ifndef RP_LIB_DEDUP_DIST_STAGE_H
#define RP_LIB_DEDUP_DIST_STAGE_H

#include "job.h"

#include "../dist/dist.h"

enum { RP_CMD_END = 0, RP_CMD_LSH = 1, RP_CMD_VERIFY = 2, RP_CMD_WRITE = 3 };

/* What rank 0 broadcasts to start a stage of one level. */
typedef struct rp__dist_cmd {
    int32_t op;
    int32_t units;
    uint32_t bands, rows; /* RP_CMD_LSH */
    uint64_t max_bucket;
} rp__dist_cmd;

/* What each rank tells rank 0 after its part. */
typedef struct rp__dist_status {
    int rc;
    rp_error err;
    uint64_t count; /* over-full buckets (LSH), records written (write) */
    uint64_t sent;  /* bytes sent to other ranks */
    int peer;       /* rc follows from another rank's failure */
} rp__dist_status;

/* The ranks' parts, called by rp__dist_serve on the command. */
void rp__dist_lsh_part(rp__ranks *x, const rp__dist_cmd *c);
void rp__dist_verify_part(rp__ranks *x, const rp__dist_cmd *c);
void rp__dist_write_part(rp__ranks *x, const rp__dist_cmd *c);

/* Rank 0: start a stage on every rank (command c sent); returns,
 * malloc'ed, each shard's first document (size + 1), then each shard's
 * first unit (size + 1), as rank 0 loaded them. */
uint64_t *rp__dist_begin(job *j, const rp__dist_cmd *c);

/* This rank's shard's tables (a job over its .rps, without keys), opened
 * at the first call and checked against what rank 0 loaded of it: docs
 * and units, the shards' first documents and units (size + 1 each).
 * Details loaded in it are the caller's to drop. */
int rp__dist_own(rp__ranks *x, const uint64_t *docs, const uint64_t *units,
                 job **out, rp_error *err);
void rp__dist_close_own(rp__ranks *x);

/* p, or, when it is NULL (memory a collective cannot go on without), the
 * end of the job with a message (rp_dist_abort). */
void *rp__dist_need(rp_dist *d, void *p);

/* Rank 0: the first failing rank's status into err and its code (RP_OK
 * when none failed), a rank that failed of itself before one that failed
 * for want of another's part; every rank's sent bytes added to *sent. */
int rp__dist_first_failure(const rp__dist_status *all, size_t size,
                           uint64_t *sent, rp_error *err);

#endif
