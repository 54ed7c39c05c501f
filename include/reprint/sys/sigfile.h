/*
 * reprint/sys/sigfile.h - the signature file (.rps): every document's and
 * paragraph's fingerprints, written by `reprint sign`, read by `dedup`
 * (and later by the incremental index and MPI ranks, one file per shard).
 *
 * Byte layout, all integers little-endian:
 *
 *   header
 *     0   8  magic "RPSIG\r\n\x1a" (catches text-mode mangling)
 *     8   4  format version (RP_SIGFILE_VERSION = 1)
 *    12   4  header length H in bytes, from offset 0, checksum included
 *    16   4  shingle k                      (rp_sign_options.shingle)
 *    20   4  char_mode
 *    24   4  num_perm
 *    28   4  min_para_tokens
 *    32   8  seed
 *    40   4  paragraphs (1: unit signatures present)
 *    44   4  number of input files F
 *    48   .  F times: u32 name length, name bytes, u64 size in bytes
 *     .   .  5 times (text, id, date, source, url field names):
 *            u32 length (0xffffffff = default list), bytes
 *   H-8   8  XXH3-64 of bytes [0, H-8)
 *
 *   blocks, each
 *     0   4  magic "RPBK"
 *     4   4  raw length R
 *     8   4  compressed length C
 *    12   4  documents in the block
 *    16   8  XXH3-64 of the R raw bytes
 *    24   C  zstd frame holding R bytes of document records:
 *              u32 file index, u64 line, u64 byte offset of the record
 *              i64 date start (UTC s), u32 millis, u8 precision, u8 flags,
 *              u8 date_bad, u8 0
 *              u32 text length, u32 tokens, u32 shingles
 *              u64 content hash, u32 first token start, u32 last token end
 *              u32 id length, id bytes
 *              u32 paragraphs P; P times: u32 offset, len, cut_offset,
 *                  cut_len, first_token, ntokens, first_shingle,
 *                  nshingles, unit, tok_begin, tok_end; u64 content
 *              num_perm x u32 document signature
 *              (units) x num_perm x u32 unit signatures, in paragraph order
 *
 *   trailer
 *     0   8  magic "RPSEND\0\0"
 *     8   8  documents
 *    16   8  blocks
 *
 * Documents appear in input order; their numbers are their positions.
 */
#ifndef REPRINT_SIGFILE_H
#define REPRINT_SIGFILE_H

#include "../date.h"
#include "fingerprint.h"
#include "../input.h"
#include "../record.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RP_SIGFILE_VERSION 1

/** One document's entry. Pointers borrowed until the next read/added. */
typedef struct rp_sigfile_doc {
    uint32_t file;       /* index into the file table */
    uint64_t line;       /* 1-based line in that file */
    uint64_t offset;     /* byte offset of the record (decompressed) */
    rp_date date;
    uint32_t date_bad;
    uint32_t text_len, ntokens, nshingles;
    uint64_t content;          /* XXH3-64 of the shingle sequence */
    uint32_t tok_begin, tok_end; /* first token start, last token end */
    const char *id;
    uint32_t id_len;
    uint32_t npara;
    const rp_para_fp *paras;
    uint32_t nunits;
    const uint32_t *sig;       /* num_perm lanes */
    const uint32_t *unit_sigs; /* nunits * num_perm lanes */
} rp_sigfile_doc;

typedef struct rp_sigfile_writer rp_sigfile_writer;
typedef struct rp_sigfile_reader rp_sigfile_reader;

RP_API int rp_sigfile_writer_new(rp_sigfile_writer **out, const char *path,
                                 const rp_sign_options *opts,
                                 const rp_fields *fields,
                                 const char *const *files,
                                 const uint64_t *sizes, uint32_t nfiles,
                                 rp_error *err);
RP_API int rp_sigfile_writer_add(rp_sigfile_writer *w,
                                 const rp_sigfile_doc *d);
/** Write the trailer and rename into place; frees w either way. */
RP_API int rp_sigfile_writer_commit(rp_sigfile_writer *w, rp_error *err);
RP_API void rp_sigfile_writer_abort(rp_sigfile_writer *w);
/**
 * Write the trailer and hand over the underlying output, not yet renamed,
 * for rp_writer_commit_set() with the other outputs of a run. Frees w
 * either way; *out is set even on failure (to be aborted by the set).
 */
RP_API int rp_sigfile_writer_finish(rp_sigfile_writer *w, rp_writer **out);

/** Open and check the header. RP_EFORMAT, RP_EVERSION, RP_EIO. */
RP_API int rp_sigfile_reader_new(rp_sigfile_reader **out, const char *path,
                                 rp_error *err);
RP_API const rp_sign_options *rp_sigfile_options(const rp_sigfile_reader *r);
/** Field names recorded (NULL members: the default lists). */
RP_API const rp_fields *rp_sigfile_fields(const rp_sigfile_reader *r);
RP_API uint32_t rp_sigfile_file_count(const rp_sigfile_reader *r);
RP_API const char *rp_sigfile_file_name(const rp_sigfile_reader *r,
                                        uint32_t i);
RP_API uint64_t rp_sigfile_file_size(const rp_sigfile_reader *r, uint32_t i);
/** Next document: RP_OK, RP_DONE, or RP_EIO/RP_EFORMAT (corrupt block). */
RP_API int rp_sigfile_reader_next(rp_sigfile_reader *r, rp_sigfile_doc *out,
                                  rp_error *err);
RP_API void rp_sigfile_reader_free(rp_sigfile_reader *r);

#ifdef __cplusplus
}
#endif
#endif
