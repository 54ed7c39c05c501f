/*
 * reprint/index.h - the persistent index: the documents and paragraphs
 * kept by earlier runs, that new batches are deduplicated against
 * (rp_dedup_options.against, .update, .window_days).
 *
 * An index is a directory: `manifest`, immutable `run-<id>.rpr` files, and
 * `lock`. A commit writes its run and then a new manifest, each to a
 * temporary file that is fsynced and renamed: after a crash at any moment
 * the index opens at its last committed generation. Readers beside the one
 * writer (others wait on `lock`) see one generation throughout. It holds
 * only kept units, so running days 1..N one at a time against it (update
 * on) removes what one run over all N days removes with RP_KEEP_FIRST
 * (reprint/sys/cluster.h: a unit is removed only in favour of a kept one).
 * The store was chosen by measurement against LMDB and RocksDB
 * (bench/README.md).
 *
 * Byte layout (format version 1; integers little-endian):
 *
 *   manifest
 *      0   8  "RPIXMAN\0"
 *      8   4  version (1), u32 runs R
 *     16  84  params: u32 shingle, char_mode, num_perm, min_para_tokens,
 *             paragraphs; u64 seed; per level (document, paragraph): u32
 *             bands, u32 rows; per level: f64 threshold; u32 verify; 12
 *             zero bytes; u64 XXH3-64 of these 76 bytes
 *    100  48  state: u64 generation (commits since create), u64 next entry
 *             number, u64 documents, u64 paragraphs, i32 newest day, i32
 *             window days of the last update, u64 XXH3-64 (seed 1) of
 *             these 40 bytes
 *    148  72  R times, in entry-number order: u64 run id, u64 size, u64
 *             header checksum, u64 first and u64 last entry number, u64
 *             documents, u64 paragraphs, i32 oldest and i32 newest dated
 *             day (INT32_MIN: none), u64 0
 *      .   8  XXH3-64 (seed 7) of everything before
 *
 *   run-<id as 16 hex digits>.rpr
 *      0   8  "RPIXRUN\0", u32 version (1), u32 0
 *     16   8  entries N, u64 offset T of the entry table
 *     32  32  per level: u64 postings P, u64 offset of the block index
 *     64   8  i32 oldest, i32 newest dated day
 *     72  16  u64 documents, u64 paragraphs
 *     88   8  XXH3-64 (seed 3) of bytes [0, 88) (also in the manifest)
 *     96   .  the N entries, each:
 *               0  u64 XXH3-64 (seed 2) of bytes [8, end)
 *               8  u32 level (0 document, 1 paragraph)
 *              12  i32 window day (days since 1970-01-01 of the record's
 *                  date; for an undated record the newest day seen when it
 *                  was added)
 *              16  i64 date start (UTC s), u32 millis, u8 precision, u8
 *                  flags, u16 0
 *              32  u64 content hash (XXH3 of the shingle sequence)
 *              40  u64 line, u64 byte offset of the record in its file
 *              56  u32 paragraph number (level 1), u32 first token byte,
 *                  u32 last token end byte of the unit in its text
 *              68  u32 id length I, u32 file name length F, u32 set size
 *                  S, u32 signature lanes L (0 when the index verifies:
 *                  only estimates need them), u32 band keys B
 *              88  I id bytes, F file name bytes, S x u64 shingle set
 *                  (sorted), L x u32 signature, B x u64 band keys
 *      T   .  N x (u64 entry number, u64 offset), u64 end of the entries,
 *             u64 XXH3-64 (seed 4) of the table
 *      .   .  per level: blocks of up to 256 postings (u64 band key, u64
 *             entry number; sorted), then the block index: per block u64
 *             first key, u64 offset, u32 postings, u32 0, u64 XXH3-64
 *             (seed 6) of the block; u64 XXH3-64 (seed 5) of the index
 */
#ifndef REPRINT_INDEX_H
#define REPRINT_INDEX_H

#include "dedup.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rp_index_info {
    unsigned version;         /* RP_INDEX_INFO_VERSION, set by the caller */
    uint64_t generation;      /* commits since it was made */
    uint64_t docs, paras;     /* units held */
    uint64_t disk_bytes;      /* data file on disk */
    uint64_t checked;         /* entries read by a check */
    int64_t newest;           /* newest window day (days since 1970-01-01),
                                 or INT64_MIN when nothing was dated */
    uint32_t window_days;     /* the window of the last update; 0 = none */
    rp_sign_options sign;     /* the parameters it was made with */
    double threshold, para_threshold;
    unsigned level;           /* rp_level: the levels it holds */
    unsigned verify;
    uint32_t doc_bands, doc_rows, para_bands, para_rows;
} rp_index_info;

#define RP_INDEX_INFO_VERSION 1
#define RP_INDEX_INFO_INIT {.version = RP_INDEX_INFO_VERSION}

/**
 * Make an empty index at `path` (a directory that must not exist) for
 * runs with the fingerprint options, thresholds, level and verify of o.
 */
RP_API int rp_index_create(const char *path, const rp_dedup_options *o,
                           rp_error *err);

/**
 * Read an index's generation, counts and parameters; with check, also
 * read every entry and posting (checksums, counts, postings that name no
 * entry): RP_EIO naming the index when something is damaged.
 */
RP_API int rp_index_info_read(const char *path, int check,
                              rp_index_info *out, rp_error *err);

/** Set o's fingerprint options, thresholds, level and verify to the
 * index's, so a run can be made against it. */
RP_API int rp_index_options(const char *path, rp_dedup_options *o,
                            rp_error *err);

/**
 * Merge the index's runs into one (an add makes one run, and a lookup
 * reads every run), leaving out the units dated before the window of the
 * last update. One commit; waits for a writer. *dropped: units left out.
 */
RP_API int rp_index_compact(const char *path, uint64_t *dropped,
                            rp_error *err);

#ifdef __cplusplus
}
#endif
#endif
