/*
 * fuzz_common.h - helpers shared by the fuzz targets. Each target defines
 * LLVMFuzzerTestOneInput; libFuzzer (clang, tools/fuzz.sh) or the plain-C
 * regression_driver.c (any compiler, ctest) calls it.
 */
#ifndef RP_FUZZ_COMMON_H
#define RP_FUZZ_COMMON_H

#include "reprint/reprint.h"
#include "reprint/sys/align.h"
#include "reprint/sys/fingerprint.h"
#include "reprint/sys/quote.h"
#include "reprint/sys/shingle.h"
#include "reprint/sys/sigfile.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The longest prefix of data that is valid UTF-8 (the text APIs' contract:
 * the record parser checks UTF-8 before any of them sees text). */
static inline size_t fuzz_utf8_prefix(const uint8_t *data, size_t size)
{
    return rp_utf8_valid_prefix((const char *)data, size);
}

/* A NUL-terminated copy (callers free). */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Write data to a per-process file; its path. */
static inline const char *fuzz_file(const uint8_t *data, size_t size,
                                    const char *suffix)
{
    static char path[256];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/rp-fuzz-%ld%s",
             dir && *dir ? dir : "/tmp", (long)getpid(), suffix);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    return path;
}

#endif
