/*
 * lsh.c - band keys, parameter choice, and candidate pairs.
 *
 *   P(candidate | s) = 1 - (1 - s^r)^b     (Leskovec, Rajaraman, Ullman,
 *                                           Mining of Massive Datasets, 3.4)
 *      s     b=18,r=7   b=39,r=3
 *     0.3      0.004      0.66
 *     0.5      0.13       0.995
 *     0.7      0.79       1.00
 *     0.8      0.986      1.00
 *
 * Candidates: per band, sort (key, unit) and pair units inside each run of
 * equal keys; sort that band's pairs (in parallel with other bands) and
 * merge them into the list so far, dropping repeats. Work is O(n b + pairs
 * per band x b); the max_bucket cap keeps a bucket of m units to O(m)
 * pairs.
 */
#include "reprint/sys/lsh.h"
#include "lsh_band.h"

#include "../../util/buf.h"
#include "../../util/hash.h"
#include "../../util/parallel.h"
#include "../../util/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double rp_lsh_probability(const rp_lsh_params *p, double s)
{
    return 1.0 - pow(1.0 - pow(s, (double)p->rows), (double)p->bands);
}

static double integrate(const rp_lsh_params *p, double lo, double hi, int fn)
{
    const int steps = 200;
    double h = (hi - lo) / steps, sum = 0;
    for (int i = 0; i < steps; i++) {
        double s = lo + (i + 0.5) * h;
        double v = rp_lsh_probability(p, s);
        sum += (fn ? 1.0 - v : v) * h;
    }
    return sum;
}

int rp_lsh_choose(rp_lsh_params *out, double threshold, uint32_t num_perm,
                  double fn_weight)
{
    if (!(threshold > 0.0 && threshold <= 1.0) || num_perm == 0)
        return RP_EINVAL;
    double best = INFINITY;
    for (uint32_t b = 1; b <= num_perm; b++) {
        for (uint32_t r = 1; b * r <= num_perm; r++) {
            rp_lsh_params p = {b, r};
            double cost = (1.0 - fn_weight) * integrate(&p, 0, threshold, 0) +
                          fn_weight * integrate(&p, threshold, 1, 1);
            if (cost < best - 1e-12) {
                best = cost;
                *out = p;
            }
        }
    }
    return RP_OK;
}

uint64_t rp_lsh_band_key(const uint32_t *sig, uint32_t band, uint32_t rows)
{
    return rp_hash64(sig + (size_t)band * rows, rows * sizeof *sig, band);
}

/* A band entry: the key, and the unit's keep rank << 32 | unit (so
 * entries in rank order also sort by value). */
typedef rp_keyed keyed;

static uint32_t unit_of(const keyed *e)
{
    return (uint32_t)e->val;
}

/* Pairs packed as a << 32 | b: (a, b) order is numeric order. */
static uint64_t pack(uint32_t a, uint32_t b)
{
    return (uint64_t)a << 32 | b;
}

/*
 * out = the union of the ascending, repeat-free lists x and y, ascending
 * and repeat-free; returns its length. out holds nx + ny.
 */
static size_t merge_unique(uint64_t *out, const uint64_t *x, size_t nx,
                           const uint64_t *y, size_t ny)
{
    size_t i = 0, k = 0, w = 0;
    while (i < nx && k < ny) {
        uint64_t a = x[i], b = y[k];
        out[w++] = a < b ? a : b;
        i += a <= b;
        k += b <= a;
    }
    while (i < nx)
        out[w++] = x[i++];
    while (k < ny)
        out[w++] = y[k++];
    return w;
}

/* One band's work: its own scratch and its own pair list. */
typedef struct band_job {
    const rp_lsh_source *src; /* keys from here when set (streamed) */
    const uint64_t *keys;
    const uint8_t *skip;
    const uint32_t *order; /* units in rank order */
    size_t n;
    uint32_t bands;
    size_t max_bucket;
    uint32_t first;        /* band of task 0 in this round */
    keyed *tmp[RP_LSH_MAX_THREADS], *tmp2[RP_LSH_MAX_THREADS];
    uint64_t *pairs[RP_LSH_MAX_THREADS]; /* per task: packed, sorted */
    size_t np[RP_LSH_MAX_THREADS], cap[RP_LSH_MAX_THREADS];
    size_t capped[RP_LSH_MAX_THREADS];
    int failed[RP_LSH_MAX_THREADS]; /* an RP_E* code */
    const uint32_t *rank;
} band_job;

/* The pairs of one bucket, g[0..m) in rank order: all of them, or with
 * more than max_bucket members each paired with the first RP_LSH_STAR;
 * appended to *pairs (packed, unsorted). */
static int bucket_pairs_to(const keyed *g, size_t m, size_t max_bucket,
                           uint64_t **pairs, size_t *np, size_t *cap,
                           size_t *capped)
{
    int over = m > max_bucket;
    *capped += over;
    for (size_t x = 1; x < m; x++) {
        size_t ylim = over && x > RP_LSH_STAR ? RP_LSH_STAR : x;
        for (size_t y = 0; y < ylim; y++) {
            uint32_t a = unit_of(&g[y]), b = unit_of(&g[x]);
            uint64_t p = a < b ? pack(a, b) : pack(b, a);
            if (RP_VEC_PUSH(*pairs, *np, *cap, p))
                return RP_ENOMEM;
        }
    }
    return RP_OK;
}

static int bucket_pairs(band_job *bj, size_t task, const keyed *g, size_t m)
{
    return bucket_pairs_to(g, m, bj->max_bucket, &bj->pairs[task],
                           &bj->np[task], &bj->cap[task], &bj->capped[task]);
}

int rp__lsh_band_pairs(const rp_keyed *e, size_t n, size_t max_bucket,
                       uint64_t **pairs, size_t *np, size_t *cap,
                       size_t *capped)
{
    for (size_t i = 0; i < n;) {
        size_t k = i + 1;
        while (k < n && e[k].key == e[i].key)
            k++;
        if (bucket_pairs_to(e + i, k - i, max_bucket, pairs, np, cap, capped))
            return RP_ENOMEM;
        i = k;
    }
    *np = rp_sort_unique_u64(*pairs, *np);
    return RP_OK;
}

size_t rp__lsh_merge_unique(uint64_t *out, const uint64_t *x, size_t nx,
                            const uint64_t *y, size_t ny)
{
    return merge_unique(out, x, nx, y, ny);
}

static int by_rank(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    return (a->val > b->val) - (a->val < b->val);
}

/* A band streamed from bj->src: buckets come in key order, and each is put
 * in rank order before pairing, as the in-memory sort leaves it. */
static int band_stream(band_job *bj, size_t task, uint32_t band)
{
    void *cur = NULL;
    int rc = bj->src->open(bj->src->ctx, band, &cur);
    keyed *g = NULL;
    size_t m = 0, cap = 0;
    uint64_t key = 0, unit = 0;
    int got = rc == RP_OK ? bj->src->next(cur, &key, &unit) : rc;
    while (got > 0) {
        uint64_t k0 = key;
        m = 0;
        while (got > 0 && key == k0) {
            if (unit >= bj->n) {
                got = RP_EINVAL;
                break;
            }
            if (!(bj->skip && bj->skip[unit])) {
                uint64_t r = bj->rank ? bj->rank[unit] : unit;
                keyed e = {key, r << 32 | unit};
                if (RP_VEC_PUSH(g, m, cap, e)) {
                    got = RP_ENOMEM;
                    break;
                }
            }
            got = bj->src->next(cur, &key, &unit);
        }
        if (got < 0)
            break;
        if (m > 1)
            qsort(g, m, sizeof *g, by_rank);
        if (bucket_pairs(bj, task, g, m) != RP_OK)
            got = RP_ENOMEM;
    }
    if (cur)
        bj->src->close(cur);
    free(g);
    return got < 0 ? got : RP_OK;
}

static void band_task(void *ctx, size_t task, size_t wid)
{
    band_job *bj = ctx;
    uint32_t band = bj->first + (uint32_t)task;
    if (bj->src) {
        bj->failed[task] = band_stream(bj, task, band);
    } else {
        keyed *tmp = bj->tmp[wid];
        size_t m = 0;
        for (size_t r = 0; r < bj->n; r++) {
            uint32_t u = bj->order[r];
            if (bj->skip && bj->skip[u])
                continue;
            tmp[m].key = bj->keys[(size_t)u * bj->bands + band];
            tmp[m].val = (uint64_t)r << 32 | u;
            m++;
        }
        rp_sort_keyed(tmp, bj->tmp2[wid], m); /* stable: rank order */
        for (size_t i = 0; i < m && !bj->failed[task];) {
            size_t j = i + 1;
            while (j < m && tmp[j].key == tmp[i].key)
                j++;
            bj->failed[task] = bucket_pairs(bj, task, tmp + i, j - i);
            i = j;
        }
    }
    /* sorted here, in parallel, so that joining the bands is a merge */
    if (!bj->failed[task])
        bj->np[task] = rp_sort_unique_u64(bj->pairs[task], bj->np[task]);
}

/*
 * Bands run in parallel, each with its own scratch of 2 x n keyed entries
 * (32 bytes a unit). So that memory does not grow with threads x units,
 * the bands in flight share a budget: as many as fit in RP_LSH_SCRATCH
 * bytes, and at least one. Up to 32M units 2 threads run as before; at
 * 100M units one band runs at a time (3.2 GB). Output does not depend on
 * it.
 */
#define RP_LSH_SCRATCH ((uint64_t)1 << 31)

unsigned rp__lsh_threads(unsigned threads, size_t n);
unsigned rp__lsh_threads(unsigned threads, size_t n)
{
    if (threads < 1)
        threads = 1;
    if (threads > RP_LSH_MAX_THREADS)
        threads = RP_LSH_MAX_THREADS;
    uint64_t per = 2 * (uint64_t)sizeof(keyed) * (n ? n : 1);
    uint64_t fit = RP_LSH_SCRATCH / per;
    if (fit < 1)
        fit = 1;
    return fit < threads ? (unsigned)fit : threads;
}

static int candidates(rp_pair **out, size_t *count_out,
                      const rp_lsh_source *src, const uint64_t *keys,
                      const uint8_t *skip, const uint32_t *rank, size_t n,
                      uint32_t bands, size_t max_bucket, unsigned threads,
                      size_t *capped)
{
    *out = NULL;
    *count_out = 0;
    if (capped)
        *capped = 0;
    /* streamed bands need no scratch of n entries */
    threads = src ? (threads < 1 ? 1
                     : threads > RP_LSH_MAX_THREADS ? RP_LSH_MAX_THREADS
                                                    : threads)
                  : rp__lsh_threads(threads, n);
    band_job *bj = calloc(1, sizeof *bj);
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    uint64_t *acc = NULL, *next = NULL; /* the pairs so far; merge target */
    size_t np = 0, acc_cap = 0, next_cap = 0;
    int rc = RP_OK;
    if (!bj || !order) {
        rc = RP_ENOMEM;
        goto done;
    }
    for (unsigned t = 0; t < threads && !src; t++) {
        bj->tmp[t] = malloc((n ? n : 1) * sizeof **bj->tmp);
        bj->tmp2[t] = malloc((n ? n : 1) * sizeof **bj->tmp2);
        if (!bj->tmp[t] || !bj->tmp2[t]) {
            rc = RP_ENOMEM;
            goto done;
        }
    }
    /* units in rank order (ranks are distinct and below n) */
    for (size_t u = 0; u < n; u++)
        order[rank ? rank[u] : u] = (uint32_t)u;
    bj->src = src;
    bj->rank = rank;
    bj->keys = keys;
    bj->skip = skip;
    bj->order = order;
    bj->n = n;
    bj->bands = bands;
    bj->max_bucket = max_bucket;
    /* rounds of `threads` bands; each band's sorted pairs are merged in */
    for (uint32_t first = 0; first < bands && rc == RP_OK; first += threads) {
        size_t tasks = bands - first < threads ? bands - first : threads;
        bj->first = first;
        rp_parallel_for(tasks, tasks, band_task, bj);
        for (size_t t = 0; t < tasks && rc == RP_OK; t++) {
            if (bj->failed[t]) {
                rc = bj->failed[t];
                break;
            }
            if (rp_vec_grow((void **)&next, &next_cap, np + bj->np[t] + 1,
                            sizeof *next)) {
                rc = RP_ENOMEM;
                break;
            }
            np = merge_unique(next, acc, np, bj->pairs[t], bj->np[t]);
            uint64_t *sw = acc;
            size_t sc = acc_cap;
            acc = next;
            acc_cap = next_cap;
            next = sw;
            next_cap = sc;
            bj->np[t] = 0;
            if (capped)
                *capped += bj->capped[t];
            bj->capped[t] = 0;
        }
    }
    rp_pair *pairs = NULL;
    if (rc == RP_OK && !(pairs = malloc((np ? np : 1) * sizeof *pairs)))
        rc = RP_ENOMEM;
    for (size_t i = 0; rc == RP_OK && i < np; i++) {
        pairs[i].a = (uint32_t)(acc[i] >> 32);
        pairs[i].b = (uint32_t)acc[i];
    }
    if (rc == RP_OK) {
        *out = pairs;
        *count_out = np;
    }
done:
    if (bj) {
        for (unsigned t = 0; t < RP_LSH_MAX_THREADS; t++) {
            free(bj->tmp[t]);
            free(bj->tmp2[t]);
            free(bj->pairs[t]);
        }
    }
    free(bj);
    free(order);
    free(acc);
    free(next);
    return rc;
}

int rp_lsh_candidates(rp_pair **out, size_t *count, const uint64_t *keys,
                      const uint8_t *skip, const uint32_t *rank, size_t n,
                      uint32_t bands, size_t max_bucket, unsigned threads,
                      size_t *capped)
{
    return candidates(out, count, NULL, keys, skip, rank, n, bands,
                      max_bucket, threads, capped);
}

int rp_lsh_candidates_stream(rp_pair **out, size_t *count,
                             const rp_lsh_source *src, const uint8_t *skip,
                             const uint32_t *rank, size_t n, uint32_t bands,
                             size_t max_bucket, unsigned threads,
                             size_t *capped)
{
    if (!src || !src->open || !src->next || !src->close) {
        *out = NULL;
        *count = 0;
        return RP_EINVAL;
    }
    return candidates(out, count, src, NULL, skip, rank, n, bands,
                      max_bucket, threads, capped);
}
