/*
 * lsh_band.h - LSH pieces for callers that hold one band's entries
 * themselves (a run over ranks: dedup/dist_lsh.c), so that their pairs are
 * those rp_lsh_candidates gives, bucket for bucket. Library-internal.
 */
#ifndef RP_LIB_SKETCH_LSH_BAND_H
#define RP_LIB_SKETCH_LSH_BAND_H

#include "../../util/sort.h" /* rp_keyed */

#include <stddef.h>
#include <stdint.h>

/*
 * The pairs of the buckets of one band: e[0..n) sorted by key, then by
 * val = keep rank << 32 | unit (a bucket in keep order). A bucket of more
 * than max_bucket members pairs each with its first RP_LSH_STAR only
 * (*capped counts such buckets). The pairs (a << 32 | b, a < b) are
 * appended to *pairs, which is then sorted, without repeats. RP_OK or
 * RP_ENOMEM.
 */
int rp__lsh_band_pairs(const rp_keyed *e, size_t n, size_t max_bucket,
                       uint64_t **pairs, size_t *np, size_t *cap,
                       size_t *capped);

/* out = the union of the ascending, repeat-free x and y (out holds
 * nx + ny); returns its length. */
size_t rp__lsh_merge_unique(uint64_t *out, const uint64_t *x, size_t nx,
                            const uint64_t *y, size_t ny);

#endif
