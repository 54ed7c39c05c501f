/*
 * reprint/input.h - read input files as a stream of raw units, and write
 * outputs atomically.
 *
 * A unit is one JSON Lines record (the line's bytes, line terminator and a
 * trailing CR removed) or one whole .txt file. Compression is detected from
 * the first bytes (zstd, gzip, xz, bzip2), not the name. A folder is
 * walked recursively, hidden entries skipped, for *.jsonl, *.ndjson and
 * *.json files (each also .gz, .zst, .xz, .bz2) and *.txt documents, in
 * byte order of their relative paths. A file whose first bytes show
 * another format (Parquet, WARC, CSV/TSV, a JSON array, pretty-printed
 * JSON, zip/7z/tar, UTF-16, PDF) is refused with RP_EFORMAT naming it.
 * Parsing a unit into a record is a separate, thread-safe step
 * (reprint/record.h), so framing stays sequential and parsing parallel.
 */
#ifndef REPRINT_INPUT_H
#define REPRINT_INPUT_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rp_reader rp_reader;
typedef struct rp_writer rp_writer;

typedef struct rp_reader_options {
    unsigned version;      /* RP_READER_OPTIONS_VERSION (1 is accepted:
                              the fields below max_record_len are 0) */
    size_t max_record_len; /* longest line or .txt file, bytes; 64 MiB */
    /* In a folder, a symbolic link to a folder is skipped unless this is
     * set (0, the default); followed or not, a folder already walked (a
     * loop, a bind mount) is skipped. Links to files are read. */
    int follow_symlinks;
    /* Called once per entry of a folder skipped so (may be NULL), with the
     * entry's path and the reason, while rp_reader_new() walks. */
    void (*skipped)(void *ctx, const char *path, const char *why);
    void *ctx;
} rp_reader_options;

#define RP_READER_OPTIONS_VERSION 2
#define RP_READER_OPTIONS_INIT                                                \
    {RP_READER_OPTIONS_VERSION, (size_t)64 << 20, 0, NULL, NULL}

typedef enum rp_unit_kind { RP_UNIT_JSON = 0, RP_UNIT_TEXT = 1 } rp_unit_kind;

/** One raw unit. Its pointers stay valid until the next rp_reader_next(). */
typedef struct rp_unit {
    const char *data;   /* the bytes */
    size_t len;         /* bytes */
    uint32_t file;      /* index into the expanded file list */
    uint64_t line;      /* 1-based line number (1 for .txt units) */
    uint64_t offset;    /* byte offset of the unit in the decompressed file */
    rp_unit_kind kind;
    const char *name;   /* .txt units: path relative to the named folder */
} rp_unit;

/**
 * Open inputs. `paths` are files, folders or "-" (stdin). `names`, when not
 * NULL, gives the name to show in messages for each path (NULL entries use
 * the path). Folders are expanded now; a missing path fails here.
 * @return RP_OK, RP_ENOMEM, RP_EIO (err says which path), RP_EFORMAT (a
 *         folder with no file to read).
 */
RP_API int rp_reader_new(rp_reader **out, const char *const *paths,
                         const char *const *names, size_t count,
                         const rp_reader_options *opts, rp_error *err);

/**
 * Next unit. Returns RP_OK, RP_DONE at the end, or an error for which err
 * names file, line and offset. After RP_ETOOBIG or RP_EFORMAT (an empty
 * file, or an unsupported format: then with the next file) reading can go
 * on with the next unit; after RP_EIO (unreadable or truncated stream) it
 * goes on with the next file.
 */
RP_API int rp_reader_next(rp_reader *r, rp_unit *out, rp_error *err);

/** Number of files after folder expansion, and the name of file `i`. */
RP_API uint32_t rp_reader_file_count(const rp_reader *r);
RP_API const char *rp_reader_file_name(const rp_reader *r, uint32_t i);
/** Size in bytes of file i on disk when the reader was made (0: stdin). */
RP_API uint64_t rp_reader_file_size(const rp_reader *r, uint32_t i);
/** Decompressed bytes consumed so far (for progress and MB/s). */
RP_API uint64_t rp_reader_bytes(const rp_reader *r);
/** Compressed (on-disk) bytes of all inputs, 0 when unknown (stdin). */
RP_API uint64_t rp_reader_total_bytes(const rp_reader *r);
RP_API uint64_t rp_reader_disk_bytes(const rp_reader *r);

RP_API void rp_reader_free(rp_reader *r);

/**
 * Open an output. "-" writes to stdout; a path that exists and is not a
 * regular file (/dev/null, a FIFO, a terminal) is written in place; any
 * other path is written to a temporary file beside it, PATH.tmp.PID (or
 * PATH.tmp.PID.N when that name is taken), created with mode 0666 less
 * the umask, and renamed by rp_writer_commit() or rp_writer_commit_set().
 * A program that wants no temporary left after SIGINT or SIGTERM removes
 * PATH.tmp.PID in its handler (the library installs none). The
 * compression follows the name: .zst, .gz, .xz, .bz2, else none (and
 * none on standard output).
 */
RP_API int rp_writer_new(rp_writer **out, const char *path, rp_error *err);
/** RP_OK or RP_EIO; after a failure the writer stays failed, and the
 * commit reports the path and the cause (e.g. "No space left on device"). */
RP_API int rp_writer_write(rp_writer *w, const void *data, size_t len);
/** Flush, fsync, close and rename into place. Frees w either way. */
RP_API int rp_writer_commit(rp_writer *w, rp_error *err);
/**
 * Commit a set of outputs all or nothing. `rc` is the caller's result so
 * far: when it is not RP_OK every temporary is removed and rc returned.
 * Otherwise every output is flushed, fsynced and closed first; only when
 * all are complete are they renamed over their paths, and if a rename
 * fails the ones already renamed are put back (the old file, kept as a
 * hard link while the set is renamed, or no file) and the rest removed.
 * NULL members are skipped; every writer is freed either way. A failure
 * of a writer (a write or the close) is reported in err with its path.
 * Not atomic against a crash in the middle of the renames (microseconds).
 */
RP_API int rp_writer_commit_set(rp_writer *const *w, size_t count, int rc,
                                rp_error *err);
/** Discard: remove the temporary file. Accepts NULL. */
RP_API void rp_writer_abort(rp_writer *w);

#ifdef __cplusplus
}
#endif
#endif
