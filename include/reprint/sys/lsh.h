/*
 * reprint/sys/lsh.h - locality-sensitive hashing over MinHash signatures.
 *
 * A signature is cut into b bands of r lanes; two units are candidates when
 * any band matches exactly. For Jaccard s,
 *
 *     P(candidate) = 1 - (1 - s^r)^b
 *
 * rp_lsh_choose() picks b and r (b*r <= num_perm) minimising
 *     w_fp * integral_0^t P(s) ds  +  w_fn * integral_t^1 (1 - P(s)) ds
 * A false positive costs one exact verification; a false negative loses a
 * duplicate for good, so reprint weighs misses 99:1 (RP_LSH_FN_WEIGHT).
 * For 128 lanes this gives (see tests/unit/test_lsh.c):
 *
 *    t     b x r    P(t)    P(t+0.05)  P(t-0.2)
 *   0.5   39 x 3   0.995    0.999      0.66
 *   0.8   18 x 7   0.986    0.999      0.40
 *   0.9   11 x 11  0.984    1.000      0.20
 */
#ifndef REPRINT_LSH_H
#define REPRINT_LSH_H

#include "../common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RP_LSH_FN_WEIGHT 0.99

typedef struct rp_lsh_params {
    uint32_t bands;
    uint32_t rows;
} rp_lsh_params;

/** A candidate pair of unit numbers, a < b. */
typedef struct rp_pair {
    uint32_t a;
    uint32_t b;
} rp_pair;

/** @return RP_OK or RP_EINVAL (threshold outside (0,1], num_perm 0). */
RP_API int rp_lsh_choose(rp_lsh_params *out, double threshold,
                         uint32_t num_perm, double fn_weight);

/** 1 - (1 - s^r)^b */
RP_API double rp_lsh_probability(const rp_lsh_params *p, double s);

/** Hash of lanes [band*rows, band*rows+rows) of sig. */
RP_API uint64_t rp_lsh_band_key(const uint32_t *sig, uint32_t band,
                                uint32_t rows);

/** Members of an over-full bucket are paired with this many first ones. */
#define RP_LSH_STAR 8
#define RP_LSH_MAX_THREADS 64

/**
 * Candidate pairs among n units whose band keys are keys[u*bands + band].
 * A bucket of more than max_bucket units (boilerplate repeated thousands of
 * times) is not expanded to all its pairs: its members are ordered by rank
 * (keep order: a permutation of 0..n-1; NULL = unit number) and each is paired with the first
 * RP_LSH_STAR of them only, so the bucket costs O(m) pairs, not O(m^2);
 * *capped counts such buckets. Units with skip[u] != 0 (skip may be NULL)
 * take no part. Bands are worked on `threads` threads at once (at most
 * RP_LSH_MAX_THREADS); the result does not depend on it. Pairs come back
 * sorted by (a, b), without repeats; *out is malloc'ed (free() it).
 */
RP_API int rp_lsh_candidates(rp_pair **out, size_t *count, const uint64_t *keys,
                             const uint8_t *skip, const uint32_t *rank,
                             size_t n, uint32_t bands, size_t max_bucket,
                             unsigned threads, size_t *capped);

/**
 * Where rp_lsh_candidates_stream reads one band's keys: open(ctx, band,
 * &cursor), then next(cursor, &key, &unit) gives the band's (key, unit)
 * entries in ascending key order (1 an entry, 0 the end, < 0 an RP_E*
 * error), close(cursor). Cursors of different bands may be used on
 * different threads at once.
 */
typedef struct rp_lsh_source {
    void *ctx;
    int (*open)(void *ctx, uint32_t band, void **cursor);
    int (*next)(void *cursor, uint64_t *key, uint64_t *unit);
    void (*close)(void *cursor);
} rp_lsh_source;

/**
 * rp_lsh_candidates with the keys read band by band from src instead of
 * held in memory (keys spilled to disk): the same pairs, byte for byte,
 * holding one bucket at a time besides the pairs. Errors of src come back.
 */
RP_API int rp_lsh_candidates_stream(rp_pair **out, size_t *count,
                                    const rp_lsh_source *src,
                                    const uint8_t *skip,
                                    const uint32_t *rank, size_t n,
                                    uint32_t bands, size_t max_bucket,
                                    unsigned threads, size_t *capped);

#ifdef __cplusplus
}
#endif
#endif
