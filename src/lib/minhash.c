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

RP_CLONES
void rp_minhash_update(const rp_minhash *m, uint32_t *sig,
                       const uint64_t *hashes, size_t n)
{
    for (uint32_t base = 0; base < m->num_perm; base += 32) {
        uint32_t acc[32], a[32], b[32];
        for (int i = 0; i < 32; i++) {
            acc[i] = sig[base + i];
            a[i] = m->a[base + i];
            b[i] = m->b[base + i];
        }
        for (size_t j = 0; j < n; j++) {
            uint32_t x = (uint32_t)hashes[j] ^ (uint32_t)(hashes[j] >> 32);
            for (int i = 0; i < 32; i++) {
                uint32_t v = (x ^ b[i]) * a[i];
                acc[i] = v < acc[i] ? v : acc[i];
            }
        }
        for (int i = 0; i < 32; i++)
            sig[base + i] = acc[i];
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
