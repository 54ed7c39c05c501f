/*
 * shingle.c - k-shingle hashes over token hashes; see reprint/sys/shingle.h.
 *
 * A rolling polynomial over the token hashes, modulo 2^64, finalised by the
 * SplitMix64 mixer:
 *
 *   P_i = h_i * B^(k-1) + h_{i+1} * B^(k-2) + ... + h_{i+k-1}
 *   P_{i+1} = (P_i - h_i * B^(k-1)) * B + h_{i+k}
 *   shingle_i = mix64(P_i ^ k)
 *
 * with B odd. Three multiplications per shingle whatever k is; the token
 * hashes are XXH3-64 values, so P_i of two different token sequences
 * collide only when a random-looking polynomial difference vanishes.
 */
#include "reprint/sys/shingle.h"

#include "../../util/hash.h"

#define BASE 0x9e3779b97f4a7c15ULL

void rp_shingle_hashes(uint64_t *out, const rp_token *tokens, size_t n,
                       uint32_t k)
{
    if (n == 0)
        return;
    size_t w = n < k ? n : k; /* tokens in the first window */
    uint64_t p = 0, top = 1;  /* top = BASE^(w-1) */
    for (size_t i = 0; i < w; i++) {
        p = p * BASE + tokens[i].hash;
        if (i)
            top *= BASE;
    }
    out[0] = rp_mix64(p ^ w);
    for (size_t i = 1; i + k <= n; i++) {
        p = (p - tokens[i - 1].hash * top) * BASE + tokens[i + k - 1].hash;
        out[i] = rp_mix64(p ^ k);
    }
}
