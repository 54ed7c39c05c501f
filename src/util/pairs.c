/* pairs.c - pairs of items that share keys (see pairs.h). */
#include "pairs.h"

#include "buf.h"
#include "sort.h"

#include <stdlib.h>
#include <string.h>

static int cmp_posting(const void *x, const void *y)
{
    const rp_posting *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->item < b->item ? -1 : a->item > b->item;
}

void rp_postings_sort(rp_posting *p, size_t n)
{
    rp_posting *tmp = n > 256 ? malloc(n * sizeof *tmp) : NULL;
    if (!tmp) {
        if (n > 1)
            qsort(p, n, sizeof *p, cmp_posting);
        return;
    }
    /* LSD radix on the key, a byte a pass (passes where every key has the
       same byte are skipped); stable, so items stay in input order */
    rp_posting *src = p, *dst = tmp;
    for (unsigned shift = 0; shift < 64; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[(src[i].key >> shift) & 255]++;
        if (count[(src[0].key >> shift) & 255] == n)
            continue;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i].key >> shift) & 255]++] = src[i];
        rp_posting *t = src;
        src = dst;
        dst = t;
    }
    if (src != p)
        memcpy(p, src, n * sizeof *p);
    free(tmp);
}

size_t rp_pairs_counted(uint64_t *pairs, size_t n, size_t min)
{
    rp_sort_u64(pairs, n);
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        size_t k = i + 1;
        while (k < n && pairs[k] == pairs[i])
            k++;
        if (k - i >= min)
            pairs[w++] = pairs[i];
        i = k;
    }
    return w;
}

int rp_pairs_sharing(rp_posting *p, size_t n, size_t max_df,
                     size_t min_shared, uint64_t **out, size_t *count,
                     uint64_t *over)
{
    uint64_t *pairs = NULL;
    size_t np = 0, cap = 0;
    *out = NULL;
    *count = 0;
    if (over)
        *over = 0;
    if (n > 1)
        qsort(p, n, sizeof *p, cmp_posting);
    for (size_t i = 0; i < n;) {
        size_t k = i + 1;
        while (k < n && p[k].key == p[i].key)
            k++;
        if (k - i > max_df) {
            if (over)
                (*over)++;
        } else {
            for (size_t a = i; a < k; a++)
                for (size_t b = a + 1; b < k; b++) {
                    uint64_t x = (uint64_t)p[a].item << 32 | p[b].item;
                    if (RP_VEC_PUSH(pairs, np, cap, x)) {
                        free(pairs);
                        return -1;
                    }
                }
        }
        i = k;
    }
    *out = pairs;
    *count = rp_pairs_counted(pairs, np, min_shared);
    return 0;
}
