/*
 * sort.h - stable merge sort of 32-bit indices under a caller's order
 * (qsort_r is not C11, and qsort is not stable). O(n log n), tmp holds n.
 * And ascending sorts of 64-bit values (shingle sets, packed pairs), and of
 * entries by a 64-bit key: LSD radix, 8 bits a pass, passes skipped where
 * all values share the byte.
 */
#ifndef RP_UTIL_SORT_H
#define RP_UTIL_SORT_H

#include <stddef.h>
#include <stdint.h>

/* before(ctx, a, b): nonzero when a must come before b */
typedef int (*rp_before_fn)(const void *ctx, uint32_t a, uint32_t b);

void rp_sort_indices(uint32_t *v, uint32_t *tmp, size_t n, rp_before_fn before,
                     const void *ctx);

/* Sort v[0..n) ascending. Allocates n values of scratch; if that fails it
 * falls back to qsort, so it cannot fail. */
void rp_sort_u64(uint64_t *v, size_t n);

/* A 64-bit key and a value carried with it (LSH band entries). */
typedef struct rp_keyed {
    uint64_t key;
    uint64_t val;
} rp_keyed;

/* Sort v[0..n) by key, stable (equal keys keep their order), with tmp of
 * n entries as scratch: the same LSD radix. */
void rp_sort_keyed(rp_keyed *v, rp_keyed *tmp, size_t n);

/* Sort and drop repeats; returns the number of distinct values kept. */
size_t rp_sort_unique_u64(uint64_t *v, size_t n);

/* Nonzero when the ascending array set[0..n) holds x (binary search). */
int rp_sorted_has_u64(const uint64_t *set, size_t n, uint64_t x);

/* The first i in the ascending a[0..n) with a[i] >= x (n when none). */
size_t rp_lower_bound_u32(const uint32_t *a, size_t n, uint32_t x);

#endif
