/* pairs.c - pairs of items that share keys (see pairs.h). */
#include "pairs.h"

#include "buf.h"
#include "sort.h"

#include <stdlib.h>

static int cmp_posting(const void *x, const void *y)
{
    const rp_posting *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->val < b->val ? -1 : a->val > b->val;
}

void rp_postings_sort(rp_posting *p, size_t n)
{
    rp_posting *tmp = n > 1 ? malloc(n * sizeof *tmp) : NULL;
    if (!tmp) {
        if (n > 1)
            qsort(p, n, sizeof *p, cmp_posting);
        return;
    }
    rp_sort_keyed(p, tmp, n);
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
                    uint64_t x = (uint64_t)p[a].val << 32 | p[b].val;
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
