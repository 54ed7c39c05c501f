/* shingle.c - k-shingle hashes over token hashes; see reprint/shingle.h. */
#include "reprint/shingle.h"

#include "../util/hash.h"

#define MAX_K 64

void rp_shingle_hashes(uint64_t *out, const rp_token *tokens, size_t n,
                       uint32_t k)
{
    if (n == 0)
        return;
    if (k > MAX_K)
        k = MAX_K;
    uint64_t win[MAX_K];
    if (n < k) {
        for (size_t i = 0; i < n; i++)
            win[i] = tokens[i].hash;
        out[0] = rp_hash64(win, n * sizeof *win, 0);
        return;
    }
    for (size_t i = 0; i + k <= n; i++) {
        for (uint32_t j = 0; j < k; j++)
            win[j] = tokens[i + j].hash;
        out[i] = rp_hash64(win, k * sizeof *win, 0);
    }
}
