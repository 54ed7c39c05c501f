/*
 * reprint/similarity.h - one call: how similar are these two texts?
 *
 * Both texts are normalised (reprint/sys/normalize.h: NFKC case folding,
 * words), cut into word k-shingles (reprint/sys/shingle.h), compared as
 * sets (Jaccard and containment, reprint/sys/verify.h) and aligned as
 * sequences (shared passages, reprint/sys/align.h) - the measures dedup
 * and trace use, for two texts in memory.
 *
 *   rp_similarity_result r = RP_SIMILARITY_RESULT_INIT;
 *   if (rp_similarity(&r, a, strlen(a), b, strlen(b), NULL) == RP_OK)
 *       printf("%.2f of a is in b\n", r.containment_a);
 */
#ifndef REPRINT_SIMILARITY_H
#define REPRINT_SIMILARITY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rp_similarity_options {
    unsigned version;   /* RP_SIMILARITY_OPTIONS_VERSION */
    uint32_t shingle;   /* words per shingle (k), 1 or more; 3 */
    uint32_t min_words; /* shortest shared passage counted, words; 8 */
    uint32_t max_gap;   /* edits tolerated inside a passage, shingles; 12 */
} rp_similarity_options;

#define RP_SIMILARITY_OPTIONS_VERSION 1
#define RP_SIMILARITY_OPTIONS_INIT {RP_SIMILARITY_OPTIONS_VERSION, 3, 8, 12}

/**
 * The answer. Shingle counts are of distinct shingles; a text shorter than
 * k words is one shingle (all its words). Ratios with a zero denominator
 * (a text without words) are 0.
 */
typedef struct rp_similarity_result {
    unsigned version;          /* RP_SIMILARITY_RESULT_VERSION: set by the
                                  caller (RP_SIMILARITY_RESULT_INIT) */
    uint32_t words_a, words_b; /* words of each text */
    uint32_t shingles_a, shingles_b; /* distinct word k-shingles */
    uint32_t shared_shingles;  /* distinct shingles in both texts */
    double jaccard;            /* shared / (shingles_a + shingles_b -
                                  shared): 1 for the same words in the same
                                  order, 0 for no shared shingle */
    double containment_a;      /* shared / shingles_a: how much of a is in
                                  b (1 when a is an excerpt of b) */
    double containment_b;      /* shared / shingles_b: how much of b is in
                                  a */
    uint32_t passages;         /* shared passages of min_words or more */
    uint32_t covered_a, covered_b; /* words of a (of b) inside them */
    double coverage_a;         /* covered_a / words_a */
    double coverage_b;         /* covered_b / words_b */
} rp_similarity_result;

#define RP_SIMILARITY_RESULT_VERSION 1
#define RP_SIMILARITY_RESULT_INIT {.version = RP_SIMILARITY_RESULT_VERSION}

/**
 * Compare text a (alen bytes) with text b (blen bytes), both UTF-8.
 *
 * @param out   result; its version must be RP_SIMILARITY_RESULT_VERSION.
 *              Filled on RP_OK, zeroed (version kept) otherwise.
 * @param opts  NULL for the defaults (RP_SIMILARITY_OPTIONS_INIT).
 * @return RP_OK; RP_EINVAL (NULL text with a length, unknown version,
 *         shingle 0); RP_EFORMAT (a text is not valid UTF-8); RP_ETOOBIG
 *         (a text of 4 GiB or more); RP_ENOMEM.
 * Thread-safety: reentrant; holds no state between calls.
 */
RP_API int rp_similarity(rp_similarity_result *out, const char *a,
                         size_t alen, const char *b, size_t blen,
                         const rp_similarity_options *opts);

#ifdef __cplusplus
}
#endif
#endif /* REPRINT_SIMILARITY_H */
