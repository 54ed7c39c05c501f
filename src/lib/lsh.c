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

static int cmp_keyed(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return a->unit < b->unit ? -1 : a->unit > b->unit;
}

static int cmp_pair(const void *x, const void *y)
{
    const rp_pair *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static size_t compact(rp_pair *pairs, size_t np)
{
    if (np > 1)
        qsort(pairs, np, sizeof *pairs, cmp_pair);
    size_t w = 0;
    for (size_t i = 0; i < np; i++)
        if (w == 0 || pairs[i].a != pairs[w - 1].a ||
            pairs[i].b != pairs[w - 1].b)
            pairs[w++] = pairs[i];
    return w;
}

int rp_lsh_candidates(rp_pair **out, size_t *count, const uint64_t *keys,
                      const uint8_t *skip, const uint32_t *rank, size_t n,
                      uint32_t bands, size_t max_bucket, size_t *capped)
{
    *out = NULL;
    *count = 0;
    if (capped)
        *capped = 0;
    keyed *tmp = malloc((n ? n : 1) * sizeof *tmp);
    rp_pair *pairs = NULL;
    size_t np = 0, cap = 0, last = 0;
    if (!tmp)
        return RP_ENOMEM;
    for (uint32_t band = 0; band < bands; band++) {
        size_t m = 0;
        for (size_t u = 0; u < n; u++) {
            if (skip && skip[u])
                continue;
            tmp[m].key = keys[u * bands + band];
            tmp[m].rank = rank ? rank[u] : (uint32_t)u;
            tmp[m].unit = (uint32_t)u;
            m++;
        }
        if (m > 1)
            qsort(tmp, m, sizeof *tmp, cmp_keyed);
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
                        free(tmp);
                        free(pairs);
                        return RP_ENOMEM;
                    }
                }
            }
            i = j;
        }
        /* compact when the list has doubled: memory stays within twice
         * the distinct pairs, and sorting stays O(total log total) */
        if (np > 2 * last) {
            np = compact(pairs, np);
            last = np;
        }
    }
    np = compact(pairs, np);
    free(tmp);
    *out = pairs;
    *count = np;
    return RP_OK;
}
