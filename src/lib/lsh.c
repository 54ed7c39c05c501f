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
 * equal keys; then sort all pairs and drop repeats. Work is O(n b log n +
 * pairs); the max_bucket cap keeps a bucket of m units to m-1 pairs.
 */
#include "reprint/lsh.h"

#include "../util/buf.h"
#include "../util/hash.h"

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

typedef struct keyed {
    uint64_t key;
    uint32_t rank; /* keep order inside a bucket */
    uint32_t unit;
} keyed;

/*
 * LSD radix sort on the 64-bit key, 16 bits a pass (4 passes); stable, so
 * items fed in rank order come out grouped by key and in rank order inside
 * each group. O(n) where qsort's comparisons dominated LSH time.
 */
static void radix_keyed(keyed *v, keyed *tmp, size_t *count, size_t n)
{
    const unsigned bits = 16;
    for (unsigned shift = 0; shift < 64; shift += bits) {
        memset(count, 0, sizeof *count << bits);
        for (size_t i = 0; i < n; i++)
            count[(v[i].key >> shift) & 0xffff]++;
        size_t sum = 0;
        for (size_t d = 0; d < ((size_t)1 << bits); d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(v[i].key >> shift) & 0xffff]++] = v[i];
        memcpy(v, tmp, n * sizeof *v);
    }
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Sort pairs by (a, b) and drop repeats; -1 on ENOMEM. */
static long compact(rp_pair *pairs, size_t np)
{
    uint64_t *k = malloc((np ? np : 1) * sizeof *k);
    if (!k)
        return -1;
    for (size_t i = 0; i < np; i++)
        k[i] = (uint64_t)pairs[i].a << 32 | pairs[i].b;
    if (np > 1)
        qsort(k, np, sizeof *k, cmp_u64);
    size_t w = 0;
    for (size_t i = 0; i < np; i++)
        if (w == 0 || k[i] != k[w - 1])
            k[w++] = k[i];
    for (size_t i = 0; i < w; i++) {
        pairs[i].a = (uint32_t)(k[i] >> 32);
        pairs[i].b = (uint32_t)k[i];
    }
    free(k);
    return (long)w;
}

int rp_lsh_candidates(rp_pair **out, size_t *count_out,
                      const uint64_t *keys, const uint8_t *skip,
                      const uint32_t *rank, size_t n, uint32_t bands,
                      size_t max_bucket, size_t *capped)
{
    *out = NULL;
    *count_out = 0;
    if (capped)
        *capped = 0;
    keyed *tmp = malloc((n ? n : 1) * sizeof *tmp);
    keyed *tmp2 = malloc((n ? n : 1) * sizeof *tmp2);
    uint32_t *order = malloc((n ? n : 1) * sizeof *order);
    size_t *count = malloc(((size_t)1 << 16) * sizeof *count);
    rp_pair *pairs = NULL;
    size_t np = 0, cap = 0, last = 0;
    int rc = RP_OK;
    if (!tmp || !tmp2 || !order || !count) {
        rc = RP_ENOMEM;
        goto done;
    }
    /* units in rank order (ranks are distinct and below n) */
    for (size_t u = 0; u < n; u++)
        order[rank ? rank[u] : u] = (uint32_t)u;
    for (uint32_t band = 0; band < bands; band++) {
        size_t m = 0;
        for (size_t r = 0; r < n; r++) {
            uint32_t u = order[r];
            if (skip && skip[u])
                continue;
            tmp[m].key = keys[(size_t)u * bands + band];
            tmp[m].rank = (uint32_t)r;
            tmp[m].unit = u;
            m++;
        }
        radix_keyed(tmp, tmp2, count, m);
        for (size_t i = 0; i < m;) {
            size_t j = i + 1;
            while (j < m && tmp[j].key == tmp[i].key)
                j++;
            size_t size = j - i;
            int over = size > max_bucket;
            if (over && capped)
                (*capped)++;
            for (size_t x = i + 1; x < j; x++) {
                size_t ylim = over && x - i > RP_LSH_STAR ? i + RP_LSH_STAR : x;
                for (size_t y = i; y < ylim; y++) {
                    uint32_t a = tmp[y].unit, b = tmp[x].unit;
                    rp_pair p = {a < b ? a : b, a < b ? b : a};
                    if (RP_VEC_PUSH(pairs, np, cap, p)) {
                        rc = RP_ENOMEM;
                        goto done;
                    }
                }
            }
            i = j;
        }
        /* compact when the list has doubled: memory stays within twice
         * the distinct pairs, and sorting stays O(total log total) */
        if (np > 2 * last) {
            long w = compact(pairs, np);
            if (w < 0) {
                rc = RP_ENOMEM;
                goto done;
            }
            np = last = (size_t)w;
        }
    }
    long w = compact(pairs, np);
    if (w < 0)
        rc = RP_ENOMEM;
    else
        np = (size_t)w;
done:
    free(tmp);
    free(tmp2);
    free(order);
    free(count);
    if (rc != RP_OK) {
        free(pairs);
        return rc;
    }
    *out = pairs;
    *count_out = np;
    return RP_OK;
}
