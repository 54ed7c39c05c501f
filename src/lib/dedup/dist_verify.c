/*
 * dist_verify.c - dedup's verification over the ranks of a process group
 * (issue 12): rank r verifies the candidate pairs whose first unit is in
 * its shard. It reads its own shard's documents again, and the partners
 * in later shards from the shared filesystem, one shard at a time (each
 * shard's .rps names its files and records): no rank holds another's
 * tables, and rank 0 verifies only its own share.
 *
 *   rank 0 (a level's verification)             every rank
 *   bcast     the level                      -->
 *   bcast     each shard's first document and unit
 *   scatterv  the pairs, by the shard of their first unit (they come
 *             sorted by it, so each rank's are one run)  -->
 *                             its shard's tables (its .rps) and the details
 *                             of its documents in a pair; for each later
 *                             shard with partners, that shard's tables and
 *                             the partners' details; the pairs verified
 *   gather    status                        <--
 *   gatherv   the verified pairs, in the order sent  <--
 *
 * Each pair is verified from the same details by the same function as in
 * one process (rp__dedup_verify_pair), so the results are the same, and
 * they come back in the order of the pairs.
 */
#include "dist_stage.h"

#include "../../util/parallel.h"
#include "../common/error.h"

#include <stdlib.h>
#include <string.h>

/* The pairs of one shard against one shard: [idx[k]] of pairs and out. */
typedef struct vjob {
    const job *ja, *jb;
    const rp_pair *pairs;
    const uint32_t *idx;
    verified *out;
    int units;
    uint64_t base_a, base_b; /* the shards' first unit */
} vjob;

static void verify_task(void *ctx, size_t k, size_t wid)
{
    (void)wid;
    const vjob *c = ctx;
    size_t i = c->idx[k];
    const rp_pair *p = &c->pairs[i];
    verified *v = &c->out[i];
    v->a = p->a;
    v->b = p->b;
    rp__dedup_verify_pair(c->ja, (uint32_t)(p->a - c->base_a), c->jb,
                          (uint32_t)(p->b - c->base_b), c->units, v);
}

/* The shard holding unit u: first[s] <= u < first[s + 1]. */
static size_t shard_of(const uint64_t *first, size_t size, uint64_t u)
{
    size_t lo = 0, hi = size; /* first[lo] <= u < first[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (first[mid] <= u)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Mark unit u of job j (a shard's, local number) as needed. */
static void mark(const job *j, uint32_t u, int units, uint8_t *need,
                 uint8_t *unit_need)
{
    if (units) {
        need[j->unit_doc[u]] = 1;
        unit_need[u] = 1;
    } else {
        need[u] = 1;
    }
}

/* Details of the units of j marked by the caller's fill. */
static int details(job *j, int units, uint8_t **need, uint8_t **unit_need,
                   rp_error *err)
{
    *need = calloc(j->ndocs + 1, 1);
    *unit_need = units ? calloc(j->nunits + 1, 1) : NULL;
    return *need && (!units || *unit_need) ? RP_OK : RP_ENOMEM;
}

/* A shard's job, checked against what rank 0 loaded of it. */
static int open_shard(job **out, const rp__ranks *x, size_t s,
                      const uint64_t *docs, const uint64_t *unitsb,
                      rp_error *err)
{
    int rc = rp__dedup_shard_open(out, x->rps[s], x->o, err);
    if (rc == RP_OK && ((*out)->ndocs != docs[s + 1] - docs[s] ||
                        (*out)->nunits != unitsb[s + 1] - unitsb[s])) {
        rc = rp__error_set(err, RP_EMISMATCH, x->rps[s], 0, 0,
                           "holds %zu documents, %zu paragraphs; rank 0 "
                           "loaded %llu, %llu",
                           (*out)->ndocs, (*out)->nunits,
                           (unsigned long long)(docs[s + 1] - docs[s]),
                           (unsigned long long)(unitsb[s + 1] - unitsb[s]));
        rp__dedup_shard_close(*out);
        *out = NULL;
    }
    return rc;
}

/*
 * This rank's pairs (all with their first unit in its shard), verified
 * into out[0..n). bounds: the shards' first documents (size + 1), then
 * their first units (size + 1).
 */
static int verify_mine(const rp__ranks *x, int units, const uint64_t *bounds,
                       const rp_pair *pairs, size_t n, verified *out,
                       rp_error *err)
{
    if (n == 0)
        return RP_OK;
    size_t size = (size_t)rp_dist_size(x->d), me = (size_t)rp_dist_rank(x->d);
    const uint64_t *docs = bounds, *ub = bounds + size + 1;
    const uint64_t *first = units ? ub : docs;
    unsigned threads = x->o->threads ? x->o->threads : 1;
    size_t *shard = malloc(n * sizeof *shard);
    uint32_t *idx = malloc(n * sizeof *idx);
    job *own = NULL;
    uint8_t *need = NULL, *unit_need = NULL;
    int rc = shard && idx ? RP_OK : RP_ENOMEM;
    if (rc == RP_OK)
        rc = open_shard(&own, x, me, docs, ub, err);
    if (rc == RP_OK)
        rc = details(own, units, &need, &unit_need, err);
    /* this shard's documents in the pairs, partners in it included */
    for (size_t i = 0; rc == RP_OK && i < n; i++) {
        shard[i] = shard_of(first, size, pairs[i].b);
        if (pairs[i].a < first[me] || pairs[i].a >= first[me + 1] ||
            shard[i] < me) {
            rc = RP_EINVAL; /* not this rank's: cannot be */
            break;
        }
        mark(own, (uint32_t)(pairs[i].a - first[me]), units, need, unit_need);
        if (shard[i] == me)
            mark(own, (uint32_t)(pairs[i].b - first[me]), units, need,
                 unit_need);
    }
    if (rc == RP_OK)
        rc = rp__dedup_load_details(
            own, need, unit_need, units ? RP_DETAIL_UNITS : RP_DETAIL_DOC, err);
    free(need);
    free(unit_need);
    need = unit_need = NULL;
    /* then shard by shard: this one, and each later one with partners */
    for (size_t s = me; rc == RP_OK && s < size; s++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (shard[i] == s)
                idx[m++] = (uint32_t)i;
        if (m == 0)
            continue;
        job *other = own;
        if (s != me) {
            rc = open_shard(&other, x, s, docs, ub, err);
            if (rc == RP_OK)
                rc = details(other, units, &need, &unit_need, err);
            for (size_t k = 0; rc == RP_OK && k < m; k++)
                mark(other, (uint32_t)(pairs[idx[k]].b - first[s]), units, need,
                     unit_need);
            if (rc == RP_OK)
                rc = rp__dedup_load_details(
                    other, need, unit_need,
                    units ? RP_DETAIL_UNITS : RP_DETAIL_DOC, err);
            free(need);
            free(unit_need);
            need = unit_need = NULL;
        }
        if (rc == RP_OK) {
            vjob c = {own, other, pairs, idx, out, units, first[me], first[s]};
            rp_parallel_for(threads, m, verify_task, &c);
        }
        if (other != own)
            rp__dedup_shard_close(other);
    }
    rp__dedup_shard_close(own);
    free(shard);
    free(idx);
    return rc;
}

/* Every rank's part after the command: the bounds, its pairs, the rest. */
static int part(const rp__ranks *x, int units, uint64_t *bounds,
                const rp_pair *all_pairs, const size_t *counts, verified **out,
                size_t *n, rp__dist_status *st)
{
    rp_dist *d = x->d;
    size_t size = (size_t)rp_dist_size(d);
    rp__dist_bcast(d, bounds, 2 * (size + 1) * sizeof *bounds, 0);
    uint64_t *c64 = NULL, mine = 0;
    size_t *ones = rp__dist_need(d, malloc(size * sizeof *ones));
    for (size_t r = 0; r < size; r++)
        ones[r] = 1;
    if (rp_dist_rank(d) == 0) {
        c64 = rp__dist_need(d, malloc(size * sizeof *c64));
        for (size_t r = 0; r < size; r++)
            c64[r] = counts[r];
    }
    rp__dist_scatterv(d, c64, ones, sizeof mine, &mine, 1, 0);
    free(c64);
    free(ones);
    rp_pair *pairs =
        rp__dist_need(d, malloc((mine ? mine : 1) * sizeof *pairs));
    rp__dist_scatterv(d, all_pairs, counts, sizeof *pairs, pairs, (size_t)mine,
                      0);
    verified *v = rp__dist_need(d, malloc((mine ? mine : 1) * sizeof *v));
    st->rc = verify_mine(x, units, bounds, pairs, (size_t)mine, v, &st->err);
    free(pairs);
    *out = v;
    *n = (size_t)mine;
    return st->rc;
}

void rp__dist_verify_part(const rp__ranks *x, const rp__dist_cmd *c)
{
    size_t size = (size_t)rp_dist_size(x->d);
    uint64_t *bounds =
        rp__dist_need(x->d, malloc(2 * (size + 1) * sizeof *bounds));
    rp__dist_status st;
    memset(&st, 0, sizeof st);
    verified *v = NULL;
    size_t n = 0;
    part(x, c->units, bounds, NULL, NULL, &v, &n, &st);
    st.sent = st.rc == RP_OK ? n * sizeof *v : 0;
    rp__dist_gather(x->d, &st, sizeof st, NULL, 0);
    void *none = NULL;
    (void)rp__dist_gatherv(x->d, v, st.rc == RP_OK ? n : 0, sizeof *v, &none,
                           NULL, 0);
    free(v);
    free(bounds);
}

int rp__dist_verify(job *j, const rp_pair *p, size_t n, int units,
                    rp_error *err)
{
    const rp__ranks *x = j->remote;
    rp_dist *d = x->d;
    size_t size = (size_t)rp_dist_size(d);
    if (j->nload != size) /* a run over ranks loads one .rps a rank */
        rp_dist_abort(d, 1);
    rp__dist_cmd c;
    memset(&c, 0, sizeof c);
    c.op = RP_CMD_VERIFY;
    c.units = units;
    rp__dist_bcast(d, &c, sizeof c, 0);
    uint64_t *bounds =
        rp__dist_need(d, malloc(2 * (size + 1) * sizeof *bounds));
    for (size_t r = 0; r <= size; r++) {
        bounds[r] = j->load_doc_at[r];
        bounds[size + 1 + r] = j->load_unit_at[r];
    }
    /* the pairs are sorted by their first unit: each rank's are one run */
    const size_t *first = units ? j->load_unit_at : j->load_doc_at;
    size_t *counts = rp__dist_need(d, calloc(size, sizeof *counts));
    for (size_t i = 0, r = 0; i < n; i++) {
        while (r + 1 < size && p[i].a >= first[r + 1])
            r++;
        counts[r]++;
    }
    rp__dist_status st;
    memset(&st, 0, sizeof st);
    verified *mine = NULL;
    size_t nmine = 0;
    part(x, units, bounds, p, counts, &mine, &nmine, &st);
    rp__dist_status *all = rp__dist_need(d, malloc(size * sizeof *all));
    rp__dist_gather(d, &st, sizeof st, all, 0);
    void *got = NULL;
    size_t *back = rp__dist_need(d, malloc(size * sizeof *back));
    (void)rp__dist_gatherv(d, mine, st.rc == RP_OK ? nmine : 0, sizeof *mine,
                           &got, back, 0);
    free(mine);
    uint64_t *sent = &j->st->exchanged_bytes;
    for (size_t r = 1; r < size; r++)
        *sent += counts[r] * sizeof *p;
    int rc = rp__dist_first_failure(all, size, sent, err);
    size_t total = 0;
    for (size_t r = 0; r < size; r++)
        total += back[r];
    if (rc == RP_OK && total != n)
        rc = RP_EINVAL; /* every rank answers all its pairs, or fails */
    free(all);
    free(back);
    free(counts);
    free(bounds);
    if (rc != RP_OK) {
        free(got);
        return rc;
    }
    if (units) {
        j->ppairs = got;
        j->npp = n;
    } else {
        j->dpairs = got;
        j->ndp = n;
    }
    return RP_OK;
}
