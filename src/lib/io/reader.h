/*
 * reader.h - what the library adds to the public reader (reprint/input.h).
 * Library-internal.
 */
#ifndef RP_LIB_IO_READER_H
#define RP_LIB_IO_READER_H

#include "reprint/input.h"

/*
 * Keep only part `shard` (0-based) of `shards` equal parts of the reader's
 * expanded file list, in order: files [F*shard/shards, F*(shard+1)/shards).
 * Before the first rp_reader_next(). Standard input cannot be sharded.
 */
int rp__reader_shard(rp_reader *r, uint32_t shard, uint32_t shards,
                     rp_error *err);

#endif
