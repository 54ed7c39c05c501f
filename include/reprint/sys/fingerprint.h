/*
 * reprint/sys/fingerprint.h - one document's fingerprints: normalise,
 * split into paragraphs, shingle, and MinHash the document and each
 * paragraph.
 *
 * Every shingle is hashed into exactly one signature: a paragraph that is a
 * unit (at least min_para_tokens tokens) gets the shingles lying wholly
 * inside it; the rest (short paragraphs, shingles spanning a paragraph
 * break) go to a remainder signature. The document's signature is the
 * lane-wise minimum of all of them, which equals the MinHash of the whole
 * document's shingle set: paragraph signatures cost nothing extra.
 */
#ifndef REPRINT_FINGERPRINT_H
#define REPRINT_FINGERPRINT_H

#include "../sign.h" /* rp_sign_options */
#include "minhash.h"
#include "normalize.h"
#include "segment.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rp_para_fp {
    rp_paragraph span;     /* byte spans in the original text */
    uint32_t first_token;  /* tokens [first_token, first_token + ntokens) */
    uint32_t ntokens;
    uint32_t first_shingle; /* shingles wholly inside: [first, first+n) */
    uint32_t nshingles;    /* 0 for a paragraph that is not a unit */
    uint32_t unit;         /* 1 when it is a paragraph unit */
    uint32_t tok_begin;    /* bytes from its first token's start ... */
    uint32_t tok_end;      /* ... to its last token's end (0, 0: none) */
    uint64_t content;      /* units: XXH3-64 of its shingle sequence, so
                              equal values mean equal shingle sets */
} rp_para_fp;

/** A document's fingerprint; every pointer borrowed until the next sign. */
typedef struct rp_fingerprint {
    uint32_t num_perm;
    uint32_t ntokens;
    uint32_t nshingles;
    const uint32_t *sig;        /* num_perm lanes */
    size_t npara;
    const rp_para_fp *paras;
    size_t nunits;
    const uint32_t *unit_sigs;  /* num_perm lanes per unit, in order */
    const rp_token *tokens;     /* ntokens */
    const uint64_t *shingles;   /* nshingles; shingle i starts at token i */
    uint64_t content;           /* XXH3-64 of the shingle sequence */
    uint32_t tok_begin, tok_end; /* first token start, last token end */
    int para_rule;              /* rp_para_rule */
} rp_fingerprint;

typedef struct rp_signer rp_signer;

/** A signer: one per thread. */
RP_API int rp_signer_new(rp_signer **out, const rp_sign_options *opts);
RP_API void rp_signer_free(rp_signer *s);

/** Fingerprint `len` bytes of valid UTF-8 text. */
RP_API int rp_signer_sign(rp_signer *s, rp_fingerprint *out, const char *text,
                          size_t len);

/** Options in effect (after defaults and clamping). */
RP_API const rp_sign_options *rp_signer_options(const rp_signer *s);

#ifdef __cplusplus
}
#endif
#endif
