/*
 * reprint/sys/verify.h - exact similarity of shingle sets, and the shared span.
 */
#ifndef REPRINT_VERIFY_H
#define REPRINT_VERIFY_H

#include "../common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Sort `n` hashes in place and drop repeats; returns the set size. */
RP_API size_t rp_set_make(uint64_t *hashes, size_t n);

/**
 * Exact Jaccard |A∩B| / |A∪B| of two sorted sets (0 when both are empty);
 * *inter (may be NULL) receives |A∩B|.
 */
RP_API double rp_set_jaccard(const uint64_t *a, size_t na, const uint64_t *b,
                             size_t nb, size_t *inter);

/**
 * First and last index i in seq[0, n) with seq[i] in the sorted set.
 * @return 1 if any, else 0.
 */
RP_API int rp_set_shared_range(size_t *first, size_t *last,
                               const uint64_t *seq, size_t n,
                               const uint64_t *set, size_t nset);

#ifdef __cplusplus
}
#endif
#endif
