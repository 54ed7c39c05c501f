/*
 * reprint/sign.h - how documents are signed: word (or character) shingles
 * and MinHash lanes. Part of dedup's options (reprint/dedup.h) and recorded
 * in every .rps signature file (reprint/sys/sigfile.h); the signer itself
 * is reprint/sys/fingerprint.h.
 */
#ifndef REPRINT_SIGN_H
#define REPRINT_SIGN_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rp_sign_options {
    unsigned version;         /* RP_SIGN_OPTIONS_VERSION */
    uint32_t shingle;         /* tokens per shingle (k); 5 */
    uint32_t char_mode;       /* 1: tokens are characters (char k-grams); 0 */
    uint32_t num_perm;        /* MinHash lanes, multiple of 32; 128 */
    uint32_t min_para_tokens; /* shorter paragraphs are not units; 8
                                 (raised to k if smaller) */
    uint64_t seed;            /* hash seed; 0 */
    uint32_t paragraphs;      /* 1: paragraph signatures too; 1 */
} rp_sign_options;

#define RP_SIGN_OPTIONS_VERSION 1
#define RP_SIGN_OPTIONS_INIT {RP_SIGN_OPTIONS_VERSION, 5, 0, 128, 8, 0, 1}

#ifdef __cplusplus
}
#endif
#endif
