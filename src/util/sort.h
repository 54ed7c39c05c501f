/*
 * sort.h - stable merge sort of 32-bit indices under a caller's order
 * (qsort_r is not C11, and qsort is not stable). O(n log n), tmp holds n.
 */
#ifndef RP_UTIL_SORT_H
#define RP_UTIL_SORT_H

#include <stddef.h>
#include <stdint.h>

/* before(ctx, a, b): nonzero when a must come before b */
typedef int (*rp_before_fn)(const void *ctx, uint32_t a, uint32_t b);

void rp_sort_indices(uint32_t *v, uint32_t *tmp, size_t n, rp_before_fn before,
                     const void *ctx);

#endif
