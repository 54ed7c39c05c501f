/*
 * reprint/sys/shingle.h - k-shingles over tokens.
 *
 * Shingle i covers tokens [i, i+k); its hash is XXH3-64 over the k token
 * hashes (8 bytes each, little-endian in memory order). A run of n tokens
 * gives n-k+1 shingles, or one shingle of all n when 0 < n < k, so a short
 * text still has a fingerprint.
 */
#ifndef REPRINT_SHINGLE_H
#define REPRINT_SHINGLE_H

#include "normalize.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Number of shingles rp_shingle_hashes() writes for n tokens. */
static inline size_t rp_shingle_count(size_t n, uint32_t k)
{
    return n == 0 ? 0 : n < k ? 1 : n - k + 1;
}

/**
 * Hash the shingles of tokens [0, n) into out (room for
 * rp_shingle_count(n, k) values). k >= 1.
 */
RP_API void rp_shingle_hashes(uint64_t *out, const rp_token *tokens, size_t n,
                              uint32_t k);

#ifdef __cplusplus
}
#endif
#endif
