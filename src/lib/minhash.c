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

static inline __attribute__((always_inline)) v8u load8(const uint32_t *p)
{
    v8u v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline __attribute__((always_inline)) v8u vmin(v8u a, v8u b)
{
    v8u m = (v8u)(a < b);
    return (a & m) | (b & ~m);
}

RP_CLONES
void rp_minhash_update(const rp_minhash *m, uint32_t *sig,
                       const uint64_t *hashes, size_t n)
{
    if (n == 0)
        return;
    for (uint32_t base = 0; base < m->num_perm; base += 32) {
        v8u acc0 = load8(sig + base), acc1 = load8(sig + base + 8),
            acc2 = load8(sig + base + 16), acc3 = load8(sig + base + 24);
        const v8u a0 = load8(m->a + base), a1 = load8(m->a + base + 8),
                  a2 = load8(m->a + base + 16), a3 = load8(m->a + base + 24);
        const v8u b0 = load8(m->b + base), b1 = load8(m->b + base + 8),
                  b2 = load8(m->b + base + 16), b3 = load8(m->b + base + 24);
        for (size_t j = 0; j < n; j++) {
            uint32_t x32 = (uint32_t)hashes[j] ^ (uint32_t)(hashes[j] >> 32);
            v8u x = {x32, x32, x32, x32, x32, x32, x32, x32};
            acc0 = vmin(acc0, (x ^ b0) * a0);
            acc1 = vmin(acc1, (x ^ b1) * a1);
            acc2 = vmin(acc2, (x ^ b2) * a2);
            acc3 = vmin(acc3, (x ^ b3) * a3);
        }
        memcpy(sig + base, &acc0, sizeof acc0);
        memcpy(sig + base + 8, &acc1, sizeof acc1);
        memcpy(sig + base + 16, &acc2, sizeof acc2);
        memcpy(sig + base + 24, &acc3, sizeof acc3);
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
