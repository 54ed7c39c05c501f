/*
 * pairs.h - pairs of items that share keys (an inverted index, sorted).
 * Leaf helper: knows nothing of reprint.
 */
#ifndef RP_UTIL_PAIRS_H
#define RP_UTIL_PAIRS_H

#include "sort.h"

#include <stddef.h>
#include <stdint.h>

/* a key and the item holding it (val: an item number under 2^32) */
typedef rp_keyed rp_posting;

/*
 * Sort n pair values and keep, once each, those that occur at least `min`
 * times; returns how many are kept (at the front, sorted).
 */
size_t rp_pairs_counted(uint64_t *pairs, size_t n, size_t min);

/*
 * Sort postings by key, keeping the input order of equal keys (so postings
 * appended item by item come out sorted by (key, item)); rp_sort_keyed,
 * qsort by (key, item) when scratch cannot be had.
 */
void rp_postings_sort(rp_posting *p, size_t n);

/*
 * Sort the n postings of p (distinct (key, item) pairs) and return in *out
 * (malloc'ed; free()) the item pairs, as lo << 32 | hi with lo < hi, that
 * share at least min_shared keys, counting only keys held by at most
 * max_df items; sorted and distinct, count in *count. *over (may be NULL)
 * gets the number of keys held by more. Returns 0, or -1 on ENOMEM.
 */
int rp_pairs_sharing(rp_posting *p, size_t n, size_t max_df,
                     size_t min_shared, uint64_t **out, size_t *count,
                     uint64_t *over);

#endif
