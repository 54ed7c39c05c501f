/*
 * reprint/sys/normalize.h - Unicode normalisation and tokenisation, with every
 * token mapped back to the original bytes.
 *
 * Rules, in order (normalize.c has the details):
 *  1. NFKC with case folding (ICU's NFKC_Casefold: compatibility forms,
 *     full-width letters, ligatures, case; default-ignorable characters such
 *     as soft hyphens, zero-width spaces and bidi controls are removed).
 *  2. Typographic quotes, apostrophes and dashes fold to ' " - (this only
 *     matters to rp_normalize_text; all punctuation separates words).
 *  3. A word is a maximal run of letters, digits, marks and '_' (Python's
 *     \w after NFKC_Casefold); everything else separates words, so
 *     punctuation and whitespace runs collapse.
 *  4. Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao,
 *     Khmer, Myanmar) give one token per character, so word shingles become
 *     character n-grams there.
 *  5. In character mode every word character is a token.
 * ASCII letters, digits and separators skip ICU entirely (fast path).
 */
#ifndef REPRINT_NORMALIZE_H
#define REPRINT_NORMALIZE_H

#include "../common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rp_token {
    uint64_t hash;     /* XXH3-64 of the normalised token, seeded */
    uint32_t offset;   /* first original byte */
    uint32_t len;      /* original bytes covered */
    uint32_t norm_off; /* normalised bytes: see rp_normalizer_text() */
    uint32_t norm_len;
} rp_token;

typedef struct rp_normalizer rp_normalizer;

/** @param char_mode 1: every word character is a token. */
RP_API int rp_normalizer_new(rp_normalizer **out, int char_mode,
                             uint64_t seed);
RP_API void rp_normalizer_free(rp_normalizer *n);

/**
 * Tokenise `len` bytes of valid UTF-8 (texts up to 4 GiB). On RP_OK,
 * the tokens and their count are borrowed until the next call on `n`.
 * @return RP_OK, RP_ENOMEM, RP_ETOOBIG (text of 4 GiB or more).
 */
RP_API int rp_normalize(rp_normalizer *n, const rp_token **tokens,
                        size_t *count, const char *text, size_t len);

/** The normalised bytes the tokens' norm_off/norm_len point into. */
RP_API const char *rp_normalizer_text(const rp_normalizer *n);

#ifdef __cplusplus
}
#endif
#endif
