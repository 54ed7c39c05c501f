/*
 * reprint/sys/minhash.h - MinHash signatures (Broder 1997).
 *
 * A signature holds num_perm 32-bit minima, one per hash function
 * h_i(x) = ((x_lo ^ x_hi) ^ b_i) * a_i mod 2^32, with a_i odd and a_i, b_i
 * drawn from the seed by SplitMix64. For sets A and B the share of equal
 * lanes estimates J(A,B) without bias, with standard error
 * sqrt(J(1-J)/num_perm): 0.035 at J = 0.8 with 128 lanes.
 */
#ifndef REPRINT_MINHASH_H
#define REPRINT_MINHASH_H

#include "../common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RP_MINHASH_MAX_PERM 1024

typedef struct rp_minhash {
    uint32_t num_perm; /* lanes, a multiple of 32, at most 1024 */
    uint32_t a[RP_MINHASH_MAX_PERM];
    uint32_t b[RP_MINHASH_MAX_PERM];
    uint32_t avx2;     /* 1: use the AVX2 kernel (set by rp_minhash_init) */
} rp_minhash;

/** @return RP_OK or RP_EINVAL (num_perm not a multiple of 32 in 32..1024). */
RP_API int rp_minhash_init(rp_minhash *m, uint32_t num_perm, uint64_t seed);

/** Set every lane of sig to the empty-set value (UINT32_MAX). */
RP_API void rp_minhash_reset(const rp_minhash *m, uint32_t *sig);

/** Fold n shingle hashes into sig. */
RP_API void rp_minhash_update(const rp_minhash *m, uint32_t *sig,
                              const uint64_t *hashes, size_t n);

/** dst[i] = min(dst[i], src[i]): the signature of the union. */
RP_API void rp_minhash_merge(uint32_t *dst, const uint32_t *src,
                             uint32_t num_perm);

/** Share of equal lanes: the estimate of Jaccard similarity. */
RP_API double rp_minhash_estimate(const uint32_t *a, const uint32_t *b,
                                  uint32_t num_perm);

#ifdef __cplusplus
}
#endif
#endif
