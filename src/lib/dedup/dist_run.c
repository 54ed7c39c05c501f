/*
 * dist_run.c - dedup over the ranks of a process group (rp_dedup_run_dist,
 * reprint/sys/dist.h): signing, LSH, verification and the kept records
 * on every rank; clustering, log, pairs and clusters on rank 0.
 *
 *   rank 0          rank 1 .. N-1
 *   mkdtemp TMP/reprint-XXXXXX  --bcast (status, folder)-->
 *   sign shard 0    sign shard r        rp_sign_run, shard r of N
 *     -> TMP/.../r.rps
 *   <--gather (status, error, counts) of every rank--
 *   --bcast go-->
 *   rp_dedup_run over the N .rps in rank order (= one run over the
 *   inputs, byte for byte: rp__dedup_pass1_load), without band keys:
 *   each level's candidates   <-->  the keys of shard r, bucketed by
 *                                   key over the ranks (dist_lsh.c)
 *   each level's verification <-->  the pairs whose first unit is in
 *                                   shard r, on rank r; shingles of
 *                                   units another rank's pairs need, sent
 *                                   to it (dist_verify.c)
 *   writing the kept records  <-->  shard r's, by rank r; rank 0 joins
 *                                   them (dist_write.c)
 *   --bcast end-->                  (rp__dist_serve: dist_stage.h)
 *   --bcast (status, failed rank)-->
 *   each rank removes its .rps; barrier; rank 0 removes the folder
 *
 * A rank that fails, in stage 1 or in a later stage, makes every rank
 * return an error before anything is written; rank 0's err names it.
 * Every collective call is made by every rank in the same order, whatever
 * failed: a failure is carried in the messages, never by leaving a
 * collective out.
 */
#include "dist_stage.h"

#include "../common/error.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { DIR_MAX = 4096 };

/* What rank 0 tells every rank: a status and which rank it came from. */
typedef struct verdict {
    int rc;
    int rank;
    char dir[DIR_MAX]; /* the temporary folder (first message only) */
} verdict;

/* What every rank tells rank 0 after stage 1. */
typedef struct shard_report {
    int rc;
    rp_error err;
    uint64_t files_in, bad_records, bytes_in, fields_found[6];
    double sec;
} shard_report;

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The rank's .rps in dir. */
static int shard_path(char *out, size_t cap, const char *dir, int rank)
{
    int n = snprintf(out, cap, "%s/%06d.rps", dir, rank);
    return n > 0 && (size_t)n < cap;
}

/* Rank 0: the first failing rank's error, as its own, named. */
static int first_failure(const shard_report *all, int size, verdict *v,
                         rp_error *err)
{
    for (int r = 0; r < size; r++) {
        if (all[r].rc == RP_OK)
            continue;
        v->rc = all[r].rc;
        v->rank = r;
        if (err) {
            *err = all[r].err;
            rp__error_name_rank(err, r, size);
        }
        return 1;
    }
    return 0;
}

/* Stage 1's counts, which a run over .rps files does not have, summed. */
static void add_shard_counts(rp_dedup_stats *st, const shard_report *all,
                             int size, double t0)
{
    double slowest = 0;
    st->files_in = 0;
    st->bytes_in = 0;
    for (int k = 0; k < 6; k++)
        st->fields_found[k] = 0;
    for (int r = 0; r < size; r++) {
        st->files_in += all[r].files_in;
        st->bad_records += all[r].bad_records;
        st->bytes_in += all[r].bytes_in;
        for (int k = 0; k < 6; k++)
            st->fields_found[k] += all[r].fields_found[k];
        if (all[r].sec > slowest)
            slowest = all[r].sec;
    }
    st->sec_sign = slowest;
    st->sec_total = now_sec() - t0;
}

/* ---- the stages rank 0 runs with the others (dist_stage.h) --------------- */

void *rp__dist_need(rp_dist *d, void *p)
{
    if (!p) {
        fprintf(stderr, "reprint: rank %d of %d: out of memory\n",
                rp_dist_rank(d), rp_dist_size(d));
        rp_dist_abort(d, 1);
        abort(); /* MPI_Abort returns only if it could not end the job */
    }
    return p;
}

int rp__dist_first_failure(const rp__dist_status *all, size_t size,
                           uint64_t *sent, rp_error *err)
{
    size_t pick = size;
    for (size_t r = 0; r < size; r++) {
        *sent += all[r].sent;
        if (all[r].rc != RP_OK &&
            (pick == size || (all[pick].peer && !all[r].peer)))
            pick = r;
    }
    if (pick == size)
        return RP_OK;
    if (err) {
        *err = all[pick].err;
        if (!err->message[0])
            snprintf(err->message, sizeof err->message, "%s",
                     rp_strerror(all[pick].rc));
        rp__error_name_rank(err, (int)pick, (int)size);
    }
    return all[pick].rc;
}

uint64_t *rp__dist_begin(job *j, const rp__dist_cmd *c)
{
    rp_dist *d = j->remote->d;
    size_t size = (size_t)rp_dist_size(d);
    if (j->nload != size) { /* a run over ranks loads one .rps a rank */
        fprintf(stderr,
                "reprint: rank 0 loaded %zu signature files for "
                "%zu ranks\n",
                j->nload, size);
        rp_dist_abort(d, 1);
        abort();
    }
    rp__dist_cmd sent = *c;
    rp__dist_bcast(d, &sent, sizeof sent, 0);
    uint64_t *b = rp__dist_need(d, malloc(2 * (size + 1) * sizeof *b));
    for (size_t r = 0; r <= size; r++) {
        b[r] = j->load_doc_at[r];
        b[size + 1 + r] = j->load_unit_at[r];
    }
    return b;
}

int rp__dist_own(rp__ranks *x, const uint64_t *docs, const uint64_t *units,
                 job **out, rp_error *err)
{
    size_t me = (size_t)rp_dist_rank(x->d);
    *out = NULL;
    if (!x->own) {
        int rc = rp__dedup_shard_open(&x->own, x->rps[me], x->o, err);
        if (rc != RP_OK)
            return rc;
    }
    job *j = x->own;
    if (j->ndocs != docs[me + 1] - docs[me] ||
        j->nunits != units[me + 1] - units[me])
        return rp__error_set(err, RP_EMISMATCH, x->rps[me], 0, 0,
                             "holds %zu documents, %zu paragraphs; rank 0 "
                             "loaded %llu, %llu",
                             j->ndocs, j->nunits,
                             (unsigned long long)(docs[me + 1] - docs[me]),
                             (unsigned long long)(units[me + 1] - units[me]));
    *out = j;
    return RP_OK;
}

void rp__dist_close_own(rp__ranks *x)
{
    rp__dedup_shard_close(x->own);
    x->own = NULL;
}

void rp__dist_serve(rp__ranks *x)
{
    for (;;) {
        rp__dist_cmd c;
        rp__dist_bcast(x->d, &c, sizeof c, 0);
        if (c.op == RP_CMD_LSH)
            rp__dist_lsh_part(x, &c);
        else if (c.op == RP_CMD_VERIFY)
            rp__dist_verify_part(x, &c);
        else if (c.op == RP_CMD_WRITE)
            rp__dist_write_part(x, &c);
        else
            return;
    }
}

void rp__dist_end(rp_dist *d)
{
    rp__dist_cmd c;
    memset(&c, 0, sizeof c);
    c.op = RP_CMD_END;
    rp__dist_bcast(d, &c, sizeof c, 0);
}

int rp_dedup_run_dist(rp_dist *d, const char *tmp_dir,
                      const char *const *inputs, size_t ninputs,
                      const rp_dedup_options *opts,
                      const rp_dedup_outputs *outs,
                      const rp_dedup_callbacks *cb, rp_dedup_stats *stats,
                      rp_error *err)
{
    int rank = rp_dist_rank(d), size = rp_dist_size(d);
    rp_dedup_options cur; /* the caller's, of any version: the current */
    if (rp__dedup_options_read(&cur, opts) != RP_OK || !outs || !stats ||
        !inputs || ninputs == 0 || !tmp_dir || outs->signatures ||
        cur.shards > 1)
        return RP_EINVAL; /* the same on every rank: no collective yet */
    opts = &cur;
    for (size_t i = 0; i < ninputs; i++)
        if (strcmp(inputs[i], "-") == 0)
            return rp__error_set(err, RP_EINVAL, "-", 0, 0,
                                 "standard input cannot be spread over "
                                 "ranks: give files");
    if (size == 1)
        return rp_dedup_run(inputs, ninputs, opts, outs, cb, stats, err);

    double t0 = now_sec();
    verdict v = {RP_OK, 0, {0}};
    /* .rps inputs were signed already: rank 0 runs as one process */
    int from_rps = 0;
    if (rank == 0)
        for (size_t i = 0; i < ninputs; i++)
            from_rps |= rp_is_sigfile(inputs[i]);
    rp__dist_bcast(d, &from_rps, sizeof from_rps, 0);
    if (from_rps) {
        if (rank == 0)
            v.rc = rp_dedup_run(inputs, ninputs, opts, outs, cb, stats, err);
        rp__dist_bcast(d, &v.rc, sizeof v.rc, 0);
        if (v.rc != RP_OK && rank != 0)
            rp__error_set(err, v.rc, "", 0, 0, "rank 0 failed");
        return v.rc;
    }

    /* the folder of the shards' .rps, unique, made by rank 0 */
    if (rank == 0) {
        int n = snprintf(v.dir, sizeof v.dir, "%s/reprint-XXXXXX", tmp_dir);
        if (n < 0 || (size_t)n + 16 >= sizeof v.dir)
            v.rc = rp__error_set(err, RP_EINVAL, tmp_dir, 0, 0,
                                 "temporary folder name too long");
        else if (!mkdtemp(v.dir))
            v.rc = rp__error_set(err, RP_EIO, tmp_dir, 0, 0,
                                 "cannot make a temporary folder here: %s",
                                 strerror(errno));
    }
    rp__dist_bcast(d, &v, sizeof v, 0);
    if (v.rc != RP_OK) {
        if (rank != 0)
            rp__error_set(err, v.rc, "", 0, 0, "rank 0 failed");
        return v.rc;
    }

    /* stage 1: this rank's shard */
    char path[DIR_MAX + 32];
    shard_report me;
    memset(&me, 0, sizeof me);
    double t1 = now_sec();
    shard_path(path, sizeof path, v.dir, rank);
    rp_dedup_options o = *opts;
    o.shard = (uint32_t)rank;
    o.shards = (uint32_t)size;
    rp_dedup_outputs so = {NULL, NULL, NULL, NULL, path};
    rp_dedup_stats sst = RP_DEDUP_STATS_INIT;
    me.rc = rp_sign_run(inputs, ninputs, &o, &so, cb, &sst, &me.err);
    if (me.rc != RP_OK && me.err.message[0] == '\0')
        snprintf(me.err.message, sizeof me.err.message, "%s",
                 rp_strerror(me.rc));
    me.files_in = sst.files_in;
    me.bad_records = sst.bad_records;
    me.bytes_in = sst.bytes_in;
    memcpy(me.fields_found, sst.fields_found, sizeof me.fields_found);
    me.sec = now_sec() - t1;

    shard_report *all = NULL;
    if (rank == 0) {
        all = calloc((size_t)size, sizeof *all);
        if (!all)
            rp_dist_abort(d, 1); /* the ranks wait on this gather */
    }
    rp__dist_gather(d, &me, sizeof me, all, 0);

    /* the rest run by rank 0 over the shards in rank order, the other
     * ranks doing their part of candidates, verification and the kept
     * records (serve) */
    int go = rank == 0 && !first_failure(all, size, &v, err);
    rp__dist_bcast(d, &go, sizeof go, 0);
    if (go) {
        /* every rank names every shard (it verifies against the later
         * ones); each name is as long as this rank's, which fit */
        char **paths = rp__dist_need(d, calloc((size_t)size, sizeof *paths));
        for (int r = 0; r < size; r++) {
            paths[r] = rp__dist_need(d, malloc(sizeof path));
            (void)shard_path(paths[r], sizeof path, v.dir, r);
        }
        rp_dedup_options o0 = *opts;
        o0.shard = o0.shards = 0;
        rp__ranks x = {d, (const char *const *)paths, &o0, NULL};
        if (rank == 0) {
            v.rc =
                rp__dedup_run_remote((const char *const *)paths, (size_t)size,
                                     &o0, outs, cb, stats, err, &x);
            if (v.rc == RP_OK)
                add_shard_counts(stats, all, size, t0);
            rp__dist_end(d);
        } else {
            rp__dist_serve(&x);
        }
        rp__dist_close_own(&x);
        for (int r = 0; r < size; r++)
            free(paths[r]);
        free(paths);
    }
    free(all);
    int last[2] = {v.rc, v.rank};
    rp__dist_bcast(d, last, sizeof last, 0);
    v.rc = last[0];
    v.rank = last[1];
    if (rank != 0) {
        if (v.rc != RP_OK && v.rank == rank && err)
            *err = me.err;
        else if (v.rc != RP_OK)
            rp__error_set(err, v.rc, "", 0, 0, "rank %d failed", v.rank);
        unsigned version = stats->version; /* its size: as long as that */
        memcpy(stats, &sst, rp__dedup_stats_size(version));
        stats->version = version;
    }

    /* the temporaries: each rank its own, then rank 0 the folder */
    (void)unlink(path);
    rp__dist_barrier(d);
    if (rank == 0)
        (void)rmdir(v.dir);
    return v.rc;
}
