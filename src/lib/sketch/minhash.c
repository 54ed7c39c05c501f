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
 * Two kernels give identical results: AVX2 intrinsics (picked at
 * rp_minhash_init() when the CPU has AVX2) and portable C. The estimator's error is checked against sqrt(J(1-J)/k) in
 * tests/unit/test_minhash.c.
 */
#include "reprint/sys/minhash.h"

#include "../../util/hash.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RP_HAVE_AVX2_KERNEL 1
#endif

int rp_minhash_init(rp_minhash *m, uint32_t num_perm, uint64_t seed)
{
    if (num_perm < 32 || num_perm > RP_MINHASH_MAX_PERM || num_perm % 32)
        return RP_EINVAL;
    m->num_perm = num_perm;
#ifdef RP_HAVE_AVX2_KERNEL
    m->avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    m->avx2 = 0;
#endif
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

/* Portable kernel: plain C the compiler may vectorise. */
static void update_c(const rp_minhash *m, uint32_t *sig, const uint64_t *h,
                     size_t n)
{
    for (uint32_t base = 0; base < m->num_perm; base += 32) {
        uint32_t acc[32];
        memcpy(acc, sig + base, sizeof acc);
        const uint32_t *a = m->a + base, *b = m->b + base;
        for (size_t j = 0; j < n; j++) {
            uint32_t x = (uint32_t)h[j] ^ (uint32_t)(h[j] >> 32);
            for (int i = 0; i < 32; i++) {
                uint32_t v = (x ^ b[i]) * a[i];
                acc[i] = v < acc[i] ? v : acc[i];
            }
        }
        memcpy(sig + base, acc, sizeof acc);
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* AVX2 kernel: a block's 32 minima, multipliers and keys stay in 12 ymm
 * registers while the shingle hashes stream past. */
__attribute__((target("avx2"))) static void
update_avx2(const rp_minhash *m, uint32_t *sig, const uint64_t *h, size_t n)
{
    for (uint32_t base = 0; base < m->num_perm; base += 32) {
        __m256i acc[4], a[4], b[4];
        for (int k = 0; k < 4; k++) {
            acc[k] = _mm256_loadu_si256((const __m256i *)(sig + base + 8 * k));
            a[k] = _mm256_loadu_si256((const __m256i *)(m->a + base + 8 * k));
            b[k] = _mm256_loadu_si256((const __m256i *)(m->b + base + 8 * k));
        }
        for (size_t j = 0; j < n; j++) {
            __m256i x = _mm256_set1_epi32(
                (int)((uint32_t)h[j] ^ (uint32_t)(h[j] >> 32)));
            for (int k = 0; k < 4; k++)
                acc[k] = _mm256_min_epu32(
                    acc[k],
                    _mm256_mullo_epi32(_mm256_xor_si256(x, b[k]), a[k]));
        }
        for (int k = 0; k < 4; k++)
            _mm256_storeu_si256((__m256i *)(sig + base + 8 * k), acc[k]);
    }
}
#endif

void rp_minhash_update(const rp_minhash *m, uint32_t *sig,
                       const uint64_t *hashes, size_t n)
{
    if (n == 0)
        return;
#ifdef RP_HAVE_AVX2_KERNEL
    if (m->avx2) {
        update_avx2(m, sig, hashes, n);
        return;
    }
#endif
    update_c(m, sig, hashes, n);
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
