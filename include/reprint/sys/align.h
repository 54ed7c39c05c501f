/*
 * reprint/sys/align.h - where two texts share passages: aligned runs of
 * shingles, tolerant of small edits.
 *
 * Shingles that occur in both sequences are anchors (i in A, j in B).
 * Anchors on one diagonal (i - j constant) within `max_gap` positions of
 * each other join into one run; so a changed word, which breaks k
 * consecutive shingles, does not split a passage. Runs are then chained in
 * order when both the gap in A and the gap in B stay within `max_gap` (an
 * inserted or dropped word shifts the diagonal). Each segment reports the
 * shingle ranges in A and B and how many anchors it holds.
 */
#ifndef REPRINT_ALIGN_H
#define REPRINT_ALIGN_H

#include "../common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rp_segment {
    uint32_t a_first, a_last; /* shingle indices in A, inclusive */
    uint32_t b_first, b_last; /* shingle indices in B, inclusive */
    uint32_t anchors;         /* matching shingles inside */
} rp_segment;

/**
 * Align shingle sequences a[0, na) and b[0, nb). Segments with fewer than
 * min_anchors anchors are dropped; the rest come back in order of a_first,
 * in *out (malloc'ed; free()), count in *count.
 * @return RP_OK or RP_ENOMEM.
 */
RP_API int rp_align(rp_segment **out, size_t *count, const uint64_t *a,
                    size_t na, const uint64_t *b, size_t nb, uint32_t max_gap,
                    uint32_t min_anchors);

/** A sequence's shingles sorted by value, for aligning it many times. */
typedef struct rp_align_entry {
    uint64_t h;
    uint32_t pos;
} rp_align_entry;

/** Build the index of s[0, n) in *out (malloc'ed; free()). */
RP_API int rp_align_index(rp_align_entry **out, const uint64_t *s, size_t n);

/**
 * rp_align() with prebuilt indices (either may be NULL, not both): the
 * shorter sequence is looked up in the longer one's index, so aligning a
 * short text with a book costs the short text's length, not the book's.
 * A shingle repeated in the indexed sequence anchors at its first 4
 * places there, as in rp_align() (where B is indexed).
 */
RP_API int rp_align_indexed(rp_segment **out, size_t *count,
                            const uint64_t *a, size_t na,
                            const rp_align_entry *ai, const uint64_t *b,
                            size_t nb, const rp_align_entry *bi,
                            uint32_t max_gap, uint32_t min_anchors);

/**
 * Align two indexed sequences by walking their indices together (a merge
 * join, galloping through the longer when one is much longer): anchors
 * are the values both hold, at their first 4 places in each, so two texts
 * that share little cost little beyond the walk. Values for which skip()
 * (may be NULL) returns non-zero are not anchors. *shared (may be NULL)
 * gets the number of distinct values both hold, skipped ones excepted.
 */
RP_API int rp_align_join(rp_segment **out, size_t *count, size_t *shared,
                         const rp_align_entry *ai, size_t na,
                         const rp_align_entry *bi, size_t nb,
                         int (*skip)(uint64_t), uint32_t max_gap,
                         uint32_t min_anchors);

#ifdef __cplusplus
}
#endif
#endif
