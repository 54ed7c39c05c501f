/*
 * reprint/common.h - types shared by every reprint module: error codes,
 * byte spans, the caller-owned error detail, version macros.
 *
 * Conventions (apply to the whole public API):
 *  - Functions that can fail return int: RP_OK (0) or a negative RP_E* code.
 *  - Out-parameters come first and are named `out`.
 *  - Pointers returned by a function are borrowed unless its name says
 *    new/copy/take; each function says how long they stay valid.
 *  - A handle is used by one thread at a time unless its header says
 *    otherwise. The library keeps no mutable global state, never prints,
 *    never exits and never reads the environment.
 */
#ifndef REPRINT_COMMON_H
#define REPRINT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define RP_VERSION_MAJOR 0
#define RP_VERSION_MINOR 1
#define RP_VERSION_PATCH 0
#define RP_VERSION_NUMBER \
    (RP_VERSION_MAJOR * 10000 + RP_VERSION_MINOR * 100 + RP_VERSION_PATCH)
#define RP_VERSION_STRING "0.1.0"

#if defined(__GNUC__)
#define RP_API __attribute__((visibility("default")))
#else
#define RP_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Return codes. Pinned: values never change between releases. */
enum {
    RP_OK = 0,
    RP_DONE = 1,        /* iteration finished (not an error) */
    RP_ENOMEM = -1,     /* allocation failed */
    RP_EINVAL = -2,     /* invalid argument (a programmer or usage error) */
    RP_EIO = -3,        /* read/write failure, truncated or corrupt stream */
    RP_EFORMAT = -4,    /* malformed input record or file */
    RP_ETOOBIG = -5,    /* an explicit size limit was exceeded */
    RP_EVERSION = -6,   /* file written by an incompatible format version */
    RP_EMISMATCH = -7   /* inputs differ from what an artifact recorded */
};

/** A run of bytes inside a caller's original buffer. */
typedef struct rp_span {
    uint64_t offset; /* bytes from the start of the buffer */
    uint32_t len;    /* bytes */
} rp_span;

/**
 * Detail about a failure at the input boundary. Caller-owned; every
 * function taking one fills it on failure when it is non-NULL.
 */
typedef struct rp_error {
    int code;           /* the RP_E* code also returned */
    char path[512];     /* input file ("-" for stdin), "" if none */
    uint64_t line;      /* 1-based line (record) number, 0 if none */
    uint64_t offset;    /* byte offset in the decompressed stream */
    char message[256];  /* what is wrong, in words */
} rp_error;

/** Static text for an RP_* code. Never NULL. */
RP_API const char *rp_strerror(int code);

/** RP_VERSION_NUMBER of the library actually linked. */
RP_API unsigned rp_version_number(void);

#ifdef __cplusplus
}
#endif
#endif /* REPRINT_COMMON_H */
