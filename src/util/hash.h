/*
 * hash.h - the one place that includes <xxhash.h>. Inlined (XXH_INLINE_ALL,
 * as xxHash recommends for short keys): tokens are a few bytes long.
 */
#ifndef RP_UTIL_HASH_H
#define RP_UTIL_HASH_H

#define XXH_INLINE_ALL
#include <xxhash.h>
#include <stddef.h>
#include <stdint.h>

static inline uint64_t rp_hash64(const void *data, size_t len, uint64_t seed)
{
    return XXH3_64bits_withSeed(data, len, seed);
}

/* A fixed 64-bit mixer (the SplitMix64 finaliser) for deriving parameters. */
static inline uint64_t rp_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

#endif
