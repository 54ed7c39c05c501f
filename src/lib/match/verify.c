/*
 * verify.c - exact checks behind every removal: Jaccard of sorted shingle
 * sets by a linear merge, and the range of shared shingles for the log.
 */
#include "reprint/sys/verify.h"

#include "../../util/sort.h"

#include <stdlib.h>

size_t rp_set_make(uint64_t *h, size_t n)
{
    return rp_sort_unique_u64(h, n);
}

double rp_set_jaccard(const uint64_t *a, size_t na, const uint64_t *b,
                      size_t nb, size_t *inter)
{
    size_t i = 0, j = 0, c = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else {
            c++;
            i++;
            j++;
        }
    }
    if (inter)
        *inter = c;
    size_t uni = na + nb - c;
    return uni ? (double)c / (double)uni : 0.0;
}

int rp_set_shared_range(size_t *first, size_t *last, const uint64_t *seq,
                        size_t n, const uint64_t *set, size_t nset)
{
    size_t i = 0;
    while (i < n && !rp_sorted_has_u64(set, nset, seq[i]))
        i++;
    if (i == n)
        return 0;
    size_t j = n - 1;
    while (j > i && !rp_sorted_has_u64(set, nset, seq[j]))
        j--;
    *first = i;
    *last = j;
    return 1;
}
