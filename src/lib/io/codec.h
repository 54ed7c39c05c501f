/*
 * codec.h - block compression for artifacts, implemented in input.c so
 * that one file alone includes <zstd.h>.
 */
#ifndef RP_LIB_CODEC_H
#define RP_LIB_CODEC_H

#include "../../util/buf.h"

/* Append the zstd compression of src to out. RP_OK or RP_ENOMEM/RP_EIO. */
int rp__block_compress(rp_buf *out, const void *src, size_t len, int level);
/* Decompress exactly dst_len bytes. RP_OK or RP_EIO (corrupt/short). */
int rp__block_decompress(void *dst, size_t dst_len, const void *src,
                         size_t len);

#endif
