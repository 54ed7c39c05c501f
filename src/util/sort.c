/* sort.c - see sort.h. */
#include "sort.h"

#include <stdlib.h>
#include <string.h>

void rp_sort_indices(uint32_t *v, uint32_t *tmp, size_t n, rp_before_fn before,
                     const void *ctx)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    rp_sort_indices(v, tmp, h, before, ctx);
    rp_sort_indices(v + h, tmp, n - h, before, ctx);
    size_t i = 0, k = h, o = 0;
    while (i < h && k < n)
        tmp[o++] = before(ctx, v[k], v[i]) ? v[k++] : v[i++];
    while (i < h)
        tmp[o++] = v[i++];
    while (k < n)
        tmp[o++] = v[k++];
    memcpy(v, tmp, n * sizeof *v);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static void insertion_u64(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t k = i;
        for (; k > 0 && v[k - 1] > x; k--)
            v[k] = v[k - 1];
        v[k] = x;
    }
}

void rp_sort_u64(uint64_t *v, size_t n)
{
    if (n < 48) {
        insertion_u64(v, n);
        return;
    }
    uint64_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp) {
        qsort(v, n, sizeof *v, cmp_u64);
        return;
    }
    size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (unsigned b = 0; b < 8; b++)
            count[b][(v[i] >> (8 * b)) & 0xff]++;
    uint64_t *src = v, *dst = tmp;
    for (unsigned b = 0; b < 8; b++) {
        size_t *c = count[b];
        if (c[(src[0] >> (8 * b)) & 0xff] == n)
            continue; /* every value has this byte: the pass changes nothing */
        size_t sum = 0;
        for (unsigned d = 0; d < 256; d++) {
            size_t x = c[d];
            c[d] = sum;
            sum += x;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i] >> (8 * b)) & 0xff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
    free(tmp);
}

void rp_sort_keyed(rp_keyed *v, rp_keyed *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (unsigned b = 0; b < 8; b++)
            count[b][(v[i].key >> (8 * b)) & 0xff]++;
    rp_keyed *src = v, *dst = tmp;
    for (unsigned b = 0; b < 8; b++) {
        size_t *c = count[b];
        if (c[(src[0].key >> (8 * b)) & 0xff] == n)
            continue;
        size_t sum = 0;
        for (unsigned d = 0; d < 256; d++) {
            size_t x = c[d];
            c[d] = sum;
            sum += x;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i].key >> (8 * b)) & 0xff]++] = src[i];
        rp_keyed *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof *v);
}

size_t rp_sort_unique_u64(uint64_t *v, size_t n)
{
    if (n == 0)
        return 0;
    rp_sort_u64(v, n);
    size_t w = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[w - 1])
            v[w++] = v[i];
    return w;
}

size_t rp_lower_bound_u32(const uint32_t *a, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int rp_sorted_has_u64(const uint64_t *set, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && set[lo] == x;
}
