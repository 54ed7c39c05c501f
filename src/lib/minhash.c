/*
 * minhash.c - MinHash signatures, 32 lanes at a time.
 *
 * Broder, "On the resemblance and containment of documents", 1997.
 *
 * Lanes are processed in blocks of 32 so a block's minima, multipliers and
 * xor keys stay in vector registers while all shingle hashes stream past:
 *
 *   for block in 0, 32, 64, ...:        acc[32] = sig[block..]
 *       for x in hashes:                v = ((x ^ b[i]) * a[i]) mod 2^32
 *           acc[i] = min(acc[i], v)     (i over the block: 4 AVX2 ops)
 *
 * Compiled twice (AVX2 and baseline) with GCC target_clones; the loader
 * picks one. The estimator's error is checked against sqrt(J(1-J)/k) in
 * tests/unit/test_minhash.c.
 */
#include "reprint/minhash.h"

#include "../util/hash.h"

#include <string.h>

int rp_minhash_init(rp_minhash *m, uint32_t num_perm, uint64_t seed)
{
    if (num_perm < 32 || num_perm > RP_MINHASH_MAX_PERM || num_perm % 32)
        return RP_EINVAL;
    m->num_perm = num_perm;
    uint64_t s = seed ^ 0x5265707269e74d48ULL;
    for (uint32_t i = 0; i < num_perm; i++) {
        s = rp_mix64(s);
        m->a[i] = (uint32_t)(s >> 32) | 1u;
        s = rp_mix64(s);
        m->b[i] = (uint32_t)(s >> 32);
    }
    return RP_OK;
}

void rp_minhash_reset(const rp_minhash *m, uint32_t *sig)
{
    for (uint32_t i = 0; i < m->num_perm; i++)
        sig[i] = UINT32_MAX;
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) &&      \
    !defined(RP_NO_TARGET_CLONES)
#define RP_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define RP_CLONES
#endif

/* 8 lanes of 32 bits; GCC/Clang vector extensions, lowered to AVX2 or SSE2 */
typedef uint32_t v8u __attribute__((vector_size(32)));

/* lane-wise minimum, as a macro: vector arguments would change the ABI */
#define VMIN(a, b) (((a) & (v8u)((a) < (b))) | ((b) & ~(v8u)((a) < (b))))

RP_CLONES
void rp_minhash_update(const rp_minhash *m, uint32_t *sig,
                       const uint64_t *hashes, size_t n)
{
    if (n == 0)
        return;
    for (uint32_t base = 0; base < m->num_perm; base += 32) {
        v8u acc[4], a[4], b[4];
        memcpy(acc, sig + base, sizeof acc);
        memcpy(a, m->a + base, sizeof a);
        memcpy(b, m->b + base, sizeof b);
        v8u acc0 = acc[0], acc1 = acc[1], acc2 = acc[2], acc3 = acc[3];
        const v8u a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        const v8u b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
        for (size_t j = 0; j < n; j++) {
            uint32_t x32 = (uint32_t)hashes[j] ^ (uint32_t)(hashes[j] >> 32);
            v8u x = {x32, x32, x32, x32, x32, x32, x32, x32};
            v8u v0 = (x ^ b0) * a0, v1 = (x ^ b1) * a1;
            v8u v2 = (x ^ b2) * a2, v3 = (x ^ b3) * a3;
            acc0 = VMIN(v0, acc0);
            acc1 = VMIN(v1, acc1);
            acc2 = VMIN(v2, acc2);
            acc3 = VMIN(v3, acc3);
        }
        acc[0] = acc0;
        acc[1] = acc1;
        acc[2] = acc2;
        acc[3] = acc3;
        memcpy(sig + base, acc, sizeof acc);
    }
}

void rp_minhash_merge(uint32_t *dst, const uint32_t *src, uint32_t num_perm)
{
    for (uint32_t i = 0; i < num_perm; i++)
        dst[i] = src[i] < dst[i] ? src[i] : dst[i];
}

double rp_minhash_estimate(const uint32_t *a, const uint32_t *b,
                           uint32_t num_perm)
{
    uint32_t eq = 0;
    for (uint32_t i = 0; i < num_perm; i++)
        eq += a[i] == b[i];
    return num_perm ? (double)eq / num_perm : 0.0;
}
