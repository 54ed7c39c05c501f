/*
 * dist_lsh.c - dedup's candidate stage over the ranks of a process group
 * (issue 12): the band keys are made where the documents were signed and
 * each bucket is formed on the rank that owns its key; no rank holds all
 * the keys.
 *
 *   rank 0 (rp_dedup_run, at a level's candidates)    every rank
 *   bcast     the level, n, bands, rows, max_bucket -->
 *   scatterv  rank r's slice of the units and the keep
 *             rank of each (or "skip")               -->
 *                                        its .rps read: its units' keys
 *   for each band:                       (key, keep rank << 32 | unit) to
 *     alltoallv                          the rank that owns key % size;
 *                                        buckets there, in keep order:
 *                                        their pairs (sketch/lsh_band.h),
 *                                        merged into the rank's list
 *   gather    status: rc, error, capped buckets  <--
 *   gatherv   each rank's pairs                   <--
 *   merged: ascending, without repeats
 *   ... and after the run, bcast the end.
 *
 * A bucket lies whole on one rank with its members in keep order, so it
 * gives the pairs it gives in one process, and the union of the ranks'
 * lists is rp_lsh_candidates' list, byte for byte. A rank that fails
 * (its .rps unreadable) still makes every collective, sending nothing,
 * and its error comes back to rank 0, which fails the run with it. Memory
 * that cannot be had inside a collective ends the job (dist.h).
 */
#include "dist_stage.h"

#include "../sketch/lsh_band.h"

#include "../common/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SKIPPED UINT32_MAX /* a unit that takes no part */

/* Rank r's units of a level: [base, base + count). */
typedef struct slice {
    uint64_t base, count;
} slice;

/* The band keys of this rank's units of the level, read from its .rps. */
static int own_keys(const rp__dist_cmd *c, const char *rps, const slice *me,
                    uint64_t **out, rp_error *err)
{
    *out = NULL;
    size_t n = (size_t)me->count;
    uint64_t *keys = malloc((n ? n : 1) * c->bands * sizeof *keys);
    if (!keys)
        return RP_ENOMEM;
    rp_sigfile_reader *r = NULL;
    int rc = rp_sigfile_reader_new(&r, rps, err);
    uint32_t np = rc == RP_OK ? rp_sigfile_options(r)->num_perm : 0;
    if (rc == RP_OK && (uint64_t)c->bands * c->rows > np)
        rc = rp__error_set(err, RP_EFORMAT, rps, 0, 0,
                           "%u lanes, fewer than %u bands of %u", np, c->bands,
                           c->rows);
    size_t i = 0;
    while (rc == RP_OK) {
        rp_sigfile_doc d;
        int r2 = rp_sigfile_reader_next(r, &d, err);
        if (r2 == RP_DONE)
            break;
        if ((rc = r2) != RP_OK)
            break;
        uint32_t m = c->units ? d.nunits : 1;
        if (i + m > n) {
            i += m;
            break;
        }
        for (uint32_t u = 0; u < m; u++, i++) {
            const uint32_t *sig =
                c->units ? d.unit_sigs + (size_t)u * np : d.sig;
            for (uint32_t b = 0; b < c->bands; b++)
                keys[i * c->bands + b] = rp_lsh_band_key(sig, b, c->rows);
        }
    }
    rp_sigfile_reader_free(r);
    if (rc == RP_OK && i != n)
        rc = rp__error_set(err, RP_EMISMATCH, rps, 0, 0,
                           "holds %zu %s where rank 0 loaded %zu", i,
                           c->units ? "paragraphs" : "documents", n);
    if (rc == RP_OK)
        *out = keys;
    else
        free(keys);
    return rc;
}

static int by_val(const void *x, const void *y)
{
    const rp_keyed *a = x, *b = y;
    return (a->val > b->val) - (a->val < b->val);
}

/* e[0..m) by key (radix), then each bucket by val: keep rank order */
static int sort_buckets(rp_keyed *e, size_t m)
{
    rp_keyed *tmp = malloc((m ? m : 1) * sizeof *tmp);
    if (!tmp)
        return RP_ENOMEM;
    rp_sort_keyed(e, tmp, m);
    free(tmp);
    for (size_t i = 0; i < m;) {
        size_t k = i + 1;
        while (k < m && e[k].key == e[i].key)
            k++;
        if (k - i > 1)
            qsort(e + i, k - i, sizeof *e, by_val);
        i = k;
    }
    return RP_OK;
}

/*
 * This rank's part of a level: its units' entries to the ranks owning
 * their keys, band by band, and the pairs of the buckets it owns. Called
 * by every rank, failed or not (a failed one sends nothing): *pairs are
 * ascending, without repeats.
 */
static int level_pairs(rp_dist *d, const rp__dist_cmd *c, const char *rps,
                       const slice *me, const uint32_t *rank_of,
                       uint64_t **pairs, size_t *np, size_t *capped,
                       uint64_t *sent, rp_error *err)
{
    size_t size = (size_t)rp_dist_size(d), n = (size_t)me->count;
    uint64_t *keys = NULL;
    int rc = own_keys(c, rps, me, &keys, err);
    size_t *scount = rp__dist_need(d, calloc(size, sizeof *scount));
    size_t *at = rp__dist_need(d, calloc(size, sizeof *at));
    size_t *rcount = rp__dist_need(d, calloc(size, sizeof *rcount));
    rp_keyed *send = rp__dist_need(d, malloc((n ? n : 1) * sizeof *send));
    uint64_t *acc = NULL, *next = NULL, *band = NULL;
    size_t nacc = 0, nband = 0, band_cap = 0;
    *pairs = NULL;
    *np = 0;
    for (uint32_t b = 0; b < c->bands; b++) {
        memset(scount, 0, size * sizeof *scount);
        for (size_t i = 0; rc == RP_OK && i < n; i++)
            if (rank_of[i] != SKIPPED)
                scount[keys[i * c->bands + b] % size]++;
        for (size_t r = 0, sum = 0; r < size; r++) {
            at[r] = sum;
            sum += scount[r];
        }
        for (size_t i = 0; rc == RP_OK && i < n; i++) {
            if (rank_of[i] == SKIPPED)
                continue;
            uint64_t key = keys[i * c->bands + b];
            rp_keyed e = {key, (uint64_t)rank_of[i] << 32 |
                                   (uint32_t)(me->base + i)};
            send[at[key % size]++] = e;
        }
        for (size_t r = 0; r < size; r++)
            if (r != (size_t)rp_dist_rank(d))
                *sent += scount[r] * sizeof *send;
        void *got = NULL;
        (void)rp__dist_alltoallv(d, send, scount, sizeof *send, &got, rcount);
        rp_keyed *recv = got;
        size_t m = 0;
        for (size_t r = 0; r < size; r++)
            m += rcount[r];
        if (rc == RP_OK && recv) {
            nband = 0;
            rc = sort_buckets(recv, m);
        }
        if (rc == RP_OK && recv) {
            rc = rp__lsh_band_pairs(recv, m, (size_t)c->max_bucket, &band,
                                    &nband, &band_cap, capped);
        }
        free(recv);
        if (rc == RP_OK && nband) {
            next = malloc((nacc + nband) * sizeof *next);
            if (!next) {
                rc = RP_ENOMEM;
            } else {
                nacc = rp__lsh_merge_unique(next, acc, nacc, band, nband);
                free(acc);
                acc = next;
                next = NULL;
            }
        }
    }
    free(keys);
    free(scount);
    free(at);
    free(rcount);
    free(send);
    free(band);
    if (rc == RP_OK) {
        *pairs = acc;
        *np = nacc;
    } else {
        free(acc);
    }
    return rc;
}

/* Rank 0: the level's pairs from every rank, one list. */
int rp__dist_lsh_candidates(job *j, int units, const uint8_t *skip,
                            rp_pair **out, size_t *count, size_t *capped,
                            rp_error *err)
{
    rp_dist *d = j->remote->d;
    size_t size = (size_t)rp_dist_size(d);
    size_t n = units ? j->nunits : j->ndocs;
    const size_t *first = units ? j->load_unit_at : j->load_doc_at;
    const uint32_t *rank = units ? j->unit_rank : j->doc_rank;
    *out = NULL;
    *count = 0;
    rp__dist_cmd c = {RP_CMD_LSH, units, units ? j->pl.bands : j->dl.bands,
                      units ? j->pl.rows : j->dl.rows, j->o->max_bucket};
    free(rp__dist_begin(j, &c)); /* the shards' bounds are j's, here */
    slice *sl = rp__dist_need(d, malloc(size * sizeof *sl));
    size_t *ones = rp__dist_need(d, malloc(size * sizeof *ones));
    size_t *counts = rp__dist_need(d, malloc(size * sizeof *counts));
    for (size_t r = 0; r < size; r++) {
        sl[r].base = first[r];
        sl[r].count = first[r + 1] - first[r];
        counts[r] = (size_t)sl[r].count;
        ones[r] = 1;
    }
    slice me;
    rp__dist_scatterv(d, sl, ones, sizeof me, &me, 1, 0);
    uint32_t *rank_of = rp__dist_need(d, malloc((n ? n : 1) * sizeof *rank_of));
    for (size_t u = 0; u < n; u++)
        rank_of[u] = skip[u] ? SKIPPED : rank[u];
    uint32_t *mine =
        rp__dist_need(d, malloc((me.count ? me.count : 1) * sizeof *mine));
    rp__dist_scatterv(d, rank_of, counts, sizeof *mine, mine, (size_t)me.count,
                      0);
    free(rank_of);

    rp__dist_status st;
    memset(&st, 0, sizeof st);
    uint64_t *pairs = NULL;
    size_t np = 0, cap0 = 0;
    st.rc = level_pairs(d, &c, j->remote->rps[0], &me, mine, &pairs, &np, &cap0,
                        &st.sent, &st.err);
    st.count = cap0;
    free(mine);
    rp__dist_status *all = rp__dist_need(d, malloc(size * sizeof *all));
    rp__dist_gather(d, &st, sizeof st, all, 0);
    void *got = NULL;
    (void)rp__dist_gatherv(d, pairs, st.rc == RP_OK ? np : 0, sizeof *pairs,
                           &got, counts, 0);
    free(pairs);
    uint64_t *p = got;
    size_t total = 0;
    for (size_t r = 0; r < size; r++) {
        total += counts[r];
        *capped += (size_t)all[r].count;
        j->st->exchanged_bytes += r ? counts[r] * sizeof *p : 0;
    }
    int rc = rp__dist_first_failure(all, size, &j->st->exchanged_bytes, err);
    /* each rank's list is sorted; together they are sorted once more */
    if (rc == RP_OK)
        total = rp_sort_unique_u64(p, total);
    rp_pair *pr = rc == RP_OK ? malloc((total ? total : 1) * sizeof *pr) : NULL;
    if (rc == RP_OK && !pr)
        rc = RP_ENOMEM;
    for (size_t i = 0; rc == RP_OK && i < total; i++) {
        pr[i].a = (uint32_t)(p[i] >> 32);
        pr[i].b = (uint32_t)p[i];
    }
    if (rc == RP_OK) {
        *out = pr;
        *count = total;
    }
    free(p);
    free(all);
    free(sl);
    free(ones);
    free(counts);
    return rc;
}

void rp__dist_lsh_part(rp__ranks *x, const rp__dist_cmd *c)
{
    rp_dist *d = x->d;
    slice me;
    rp__dist_scatterv(d, NULL, NULL, sizeof me, &me, 1, 0);
    uint32_t *mine =
        rp__dist_need(d, malloc((me.count ? me.count : 1) * sizeof *mine));
    rp__dist_scatterv(d, NULL, NULL, sizeof *mine, mine, (size_t)me.count, 0);
    rp__dist_status st;
    memset(&st, 0, sizeof st);
    uint64_t *pairs = NULL;
    size_t np = 0, capped = 0;
    st.rc = level_pairs(d, c, x->rps[rp_dist_rank(d)], &me, mine, &pairs, &np,
                        &capped, &st.sent, &st.err);
    st.count = capped;
    free(mine);
    rp__dist_gather(d, &st, sizeof st, NULL, 0);
    void *none = NULL;
    (void)rp__dist_gatherv(d, pairs, st.rc == RP_OK ? np : 0, sizeof *pairs,
                           &none, NULL, 0);
    free(pairs);
}
