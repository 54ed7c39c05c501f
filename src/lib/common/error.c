/* error.c - error texts, version, and filling a caller's rp_error. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *rp_strerror(int code)
{
    switch (code) {
    case RP_OK: return "success";
    case RP_DONE: return "done";
    case RP_ENOMEM: return "out of memory";
    case RP_EINVAL: return "invalid argument";
    case RP_EIO: return "input/output error";
    case RP_EFORMAT: return "malformed input";
    case RP_ETOOBIG: return "size limit exceeded";
    case RP_EVERSION: return "unsupported format version";
    case RP_EMISMATCH: return "inputs do not match the artifact";
    default: return "unknown error";
    }
}

unsigned rp_version_number(void)
{
    return RP_VERSION_NUMBER;
}

int rp__error_set(rp_error *err, int code, const char *path, uint64_t line,
                  uint64_t offset, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->path, sizeof err->path, "%s", path ? path : "");
    err->line = line;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

void rp__error_name_rank(rp_error *err, int rank, int size)
{
    if (!err)
        return;
    char msg[sizeof err->message];
    int n = snprintf(msg, sizeof msg, "rank %d of %d: ", rank, size);
    size_t at = n > 0 ? (size_t)n : 0;
    if (at >= sizeof msg)
        at = sizeof msg - 1;
    size_t len = strnlen(err->message, sizeof msg);
    if (len > sizeof msg - 1 - at)
        len = sizeof msg - 1 - at;
    memcpy(msg + at, err->message, len);
    msg[at + len] = '\0';
    memcpy(err->message, msg, sizeof msg);
}
