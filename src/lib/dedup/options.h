/* options.h - rp_dedup_options of any version (options.c) */
#ifndef RP_DEDUP_OPTIONS_H
#define RP_DEDUP_OPTIONS_H

#include "reprint/dedup.h"

/* The caller's options, of any version this library knows, in the current
 * layout; a member its version lacks gets its default. RP_EINVAL for NULL
 * or another version (out holds the defaults then). */
int rp__dedup_options_read(rp_dedup_options *out, const rp_dedup_options *in);

/* cur written back into the caller's struct, in the size and layout of
 * caller->version (which is kept). */
void rp__dedup_options_write(rp_dedup_options *caller,
                             const rp_dedup_options *cur);

#endif
