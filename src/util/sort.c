/* sort.c - see sort.h. */
#include "sort.h"

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
