/* error.h - library-internal helpers for rp_error. */
#ifndef RP_LIB_ERROR_H
#define RP_LIB_ERROR_H

#include "reprint/common.h"

#if defined(__GNUC__)
#define RP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RP_PRINTF(a, b)
#endif

/* Fill err (if non-NULL) and return code, so callers can `return` it. */
int rp__error_set(rp_error *err, int code, const char *path, uint64_t line,
                  uint64_t offset, const char *fmt, ...) RP_PRINTF(6, 7);

/* Put "rank R of N: " before err's message (cut to fit). */
void rp__error_name_rank(rp_error *err, int rank, int size);

/* Forward a failing call's code (zstd FORWARD_IF_ERROR). */
#define RP_TRY(expr)                                                          \
    do {                                                                      \
        int rp_try_rc_ = (expr);                                              \
        if (rp_try_rc_ < 0)                                                   \
            return rp_try_rc_;                                                \
    } while (0)

#endif
