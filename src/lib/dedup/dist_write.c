/*
 * dist_write.c - dedup's kept records written over the ranks of a process
 * group (issue 12): each rank writes the kept records of its own shard,
 * as one process writes them, and rank 0 joins the parts in rank order
 * into the output. The bytes rank 0's writer takes are those one process
 * gives it, so the output (compressed or not) is the same, byte for byte.
 *
 *   rank 0 (writing the records)                 every rank
 *   bcast     the command                     -->
 *   bcast     each shard's first document and unit
 *   scatterv  what is kept: a byte a document (kept, not emptied), a
 *             byte a paragraph unit             -->
 *                             its shard's records again: the kept ones,
 *                             less their removed paragraphs; rank 0 into
 *                             the output, the others into a part file
 *                             (DIR/part-RANK.jsonl, beside the .rps)
 *   gather    status, records written           <--
 *   the parts appended to the output in rank order, and removed
 */
#include "dist_stage.h"

#include "../common/error.h"
#include "../io/writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* rank r's part: beside its .rps, which ends in "NNNNNN.rps" */
static int part_path(char *out, size_t cap, const char *rps, size_t rank)
{
    const char *slash = strrchr(rps, '/');
    int dir = slash ? (int)(slash - rps) : 1;
    int n = snprintf(out, cap, "%.*s/part-%06zu.jsonl", dir, slash ? rps : ".",
                     rank);
    return n > 0 && (size_t)n < cap;
}

/*
 * This rank's shard written to w: its job's decisions are the kept marks
 * received (RP_KEPT or not, all that writing reads). *records: how many.
 */
static int write_shard(rp__ranks *x, const uint64_t *bounds,
                       const uint8_t *doc_kept, const uint8_t *unit_kept,
                       rp_writer *w, uint64_t *records, rp_error *err)
{
    size_t size = (size_t)rp_dist_size(x->d);
    job *own = NULL;
    int rc = rp__dist_own(x, bounds, bounds + size + 1, &own, err);
    if (rc != RP_OK)
        return rc;
    size_t nd = own->ndocs, nu = own->nunits;
    free(own->doc_leader); /* freed with the job */
    free(own->unit_leader);
    free(own->emptied);
    own->doc_leader = malloc((nd + 1) * sizeof *own->doc_leader);
    own->unit_leader = malloc((nu + 1) * sizeof *own->unit_leader);
    own->emptied = calloc(nd + 1, 1);
    if (!own->doc_leader || !own->unit_leader || !own->emptied)
        return RP_ENOMEM;
    for (size_t d = 0; d < nd; d++)
        own->doc_leader[d] = doc_kept[d] ? RP_KEPT : 0;
    for (size_t u = 0; u < nu; u++)
        own->unit_leader[u] = unit_kept[u] ? RP_KEPT : 0;
    uint64_t before = own->st->records_out;
    rc = rp__dedup_write_records(own, w, err);
    *records = own->st->records_out - before;
    return rc;
}

/* Every rank's part, rank 0's included: the marks, then its shard into w
 * (rank 0) or into its part file (the others). */
static void part(rp__ranks *x, uint64_t *bounds, const uint8_t *dk,
                 const uint8_t *uk, rp_writer *w, rp__dist_status *st,
                 uint64_t *records)
{
    rp_dist *d = x->d;
    size_t size = (size_t)rp_dist_size(d), me = (size_t)rp_dist_rank(d);
    rp__dist_bcast(d, bounds, 2 * (size + 1) * sizeof *bounds, 0);
    const uint64_t *docs = bounds, *ub = bounds + size + 1;
    size_t *dc = rp__dist_need(d, malloc(size * sizeof *dc));
    size_t *uc = rp__dist_need(d, malloc(size * sizeof *uc));
    for (size_t r = 0; r < size; r++) {
        dc[r] = (size_t)(docs[r + 1] - docs[r]);
        uc[r] = (size_t)(ub[r + 1] - ub[r]);
    }
    uint8_t *mdk = rp__dist_need(d, malloc(dc[me] + 1));
    uint8_t *muk = rp__dist_need(d, malloc(uc[me] + 1));
    rp__dist_scatterv(d, dk, dc, 1, mdk, dc[me], 0);
    rp__dist_scatterv(d, uk, uc, 1, muk, uc[me], 0);
    rp_writer *pw = w;
    char path[4200];
    if (me != 0) {
        if (!part_path(path, sizeof path, x->rps[me], me))
            st->rc = rp__error_set(&st->err, RP_EINVAL, x->rps[me], 0, 0,
                                   "temporary folder name too long");
        else if ((st->rc = rp_writer_new(&pw, path, &st->err)) == RP_OK)
            rp__writer_scratch(pw);
    }
    if (st->rc == RP_OK)
        st->rc = write_shard(x, bounds, mdk, muk, pw, records, &st->err);
    if (me != 0 && pw) /* renamed, or removed; a failed write named */
        st->rc = rp_writer_commit_set(&pw, 1, st->rc, &st->err);
    free(mdk);
    free(muk);
    free(dc);
    free(uc);
}

void rp__dist_write_part(rp__ranks *x, const rp__dist_cmd *c)
{
    (void)c;
    size_t size = (size_t)rp_dist_size(x->d);
    uint64_t *bounds =
        rp__dist_need(x->d, malloc(2 * (size + 1) * sizeof *bounds));
    rp__dist_status st;
    memset(&st, 0, sizeof st);
    uint64_t records = 0;
    part(x, bounds, NULL, NULL, NULL, &st, &records);
    st.count = records;
    rp__dist_gather(x->d, &st, sizeof st, NULL, 0);
    free(bounds);
}

/* Append the file at path to w. */
static int append(rp_writer *w, const char *path, rp_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return rp__error_set(err, RP_EIO, path, 0, 0, "cannot open: %s",
                             strerror(errno));
    enum { BUF = 1 << 16 };
    char *buf = malloc(BUF);
    int rc = buf ? RP_OK : RP_ENOMEM;
    size_t n;
    while (rc == RP_OK && (n = fread(buf, 1, BUF, f)) > 0)
        if (rp_writer_write(w, buf, n))
            rc = rp__error_set(err, RP_EIO, "output", 0, 0,
                               "cannot write records");
    if (rc == RP_OK && ferror(f))
        rc = rp__error_set(err, RP_EIO, path, 0, 0, "cannot read");
    free(buf);
    fclose(f);
    return rc;
}

int rp__dist_write_records(job *j, rp_writer *w, rp_error *err)
{
    rp__ranks *x = j->remote;
    rp_dist *d = x->d;
    size_t size = (size_t)rp_dist_size(d);
    rp__dist_cmd c = {RP_CMD_WRITE, 0, 0, 0, 0};
    uint64_t *bounds = rp__dist_begin(j, &c);
    uint8_t *dk = rp__dist_need(d, malloc(j->ndocs + 1));
    uint8_t *uk = rp__dist_need(d, malloc(j->nunits + 1));
    for (size_t i = 0; i < j->ndocs; i++)
        dk[i] = j->doc_leader[i] == RP_KEPT && !j->emptied[i];
    for (size_t u = 0; u < j->nunits; u++)
        uk[u] = j->unit_leader[u] == RP_KEPT;
    rp__dist_status st;
    memset(&st, 0, sizeof st);
    uint64_t records = 0;
    part(x, bounds, dk, uk, w, &st, &records);
    st.count = records;
    free(dk);
    free(uk);
    rp__dist_status *all = rp__dist_need(d, malloc(size * sizeof *all));
    rp__dist_gather(d, &st, sizeof st, all, 0);
    uint64_t sent = 0;
    int rc = rp__dist_first_failure(all, size, &sent, err);
    /* the parts, in rank order, then removed whatever happened */
    for (size_t r = 1; r < size; r++) {
        char path[4200];
        if (!part_path(path, sizeof path, x->rps[r], r))
            continue;
        if (rc == RP_OK)
            rc = append(w, path, err);
        (void)unlink(path);
    }
    for (size_t r = 0; rc == RP_OK && r < size; r++)
        j->st->records_out += all[r].count;
    free(all);
    free(bounds);
    return rc;
}
