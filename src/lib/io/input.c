/*
 * input.c - framing of input files into units.
 *
 * With writer.c, the only files of reprint that include the codecs'
 * headers (<zstd.h>, <zlib.h>, <lzma.h>, <bzlib.h>).
 *
 *   file list ──> source (FILE* + decoder: none | zstd | gzip | xz | bzip2,
 *             │            told by the first bytes, not the name)
 *             ──> window buf[start, end)  (decompressed bytes)
 *             ──> sniff: the first 512 bytes of a JSON Lines file; a known
 *             │          other format (Parquet, WARC, CSV, a JSON array,
 *             │          an archive, UTF-16) is refused by name
 *             ──> unit = bytes up to '\n' (CR stripped), or a whole .txt
 *
 * A folder is walked recursively (hidden entries skipped) for *.jsonl,
 * *.ndjson, *.json (each also .gz .zst .xz .bz2) and *.txt, in bytewise
 * order of the relative paths; a folder with none is an error.
 *
 * The window grows to at most max_record_len + one read chunk: a longer
 * line is skipped up to its newline and reported as RP_ETOOBIG, so memory
 * stays bounded whatever the input (a decompression bomb is read in
 * chunks like any stream; xz's decoder memory is capped at 256 MiB, as
 * zstd's decoder refuses windows over 128 MiB, and bzip2's is fixed). A
 * stream that ends inside a frame, member or block is reported as
 * truncated: zstd when ZSTD_decompressStream's hint is non-zero at EOF,
 * gzip when inflate has not reached Z_STREAM_END, xz when lzma_code
 * returns LZMA_BUF_ERROR on LZMA_FINISH, bzip2 without BZ_STREAM_END.
 */
#include "reprint/input.h"

#include "../common/error.h"
#include "folder.h"
#include "reader.h"
#include "sniff.h"
#include "../../util/buf.h"
#include "../../util/str.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <bzlib.h>
#include <lzma.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define CHUNK ((size_t)1 << 18)
/* xz's decoder refuses a stream that needs more (xz -9 needs 65 MiB):
 * a hostile header cannot make it allocate gigabytes, as zstd's decoder
 * refuses windows over 128 MiB by default */
#define XZ_MEMLIMIT ((uint64_t)256 << 20)

enum { COMP_NONE, COMP_ZSTD, COMP_GZIP, COMP_XZ, COMP_BZ2 };

typedef struct input_file {
    char *path;  /* to open; NULL = stdin */
    char *name;  /* to show */
    char *rel;   /* .txt in a folder: relative path; else NULL */
    int is_text; /* a .txt document rather than JSON Lines */
    uint64_t disk_size;
} input_file;

struct rp_reader {
    rp_reader_options opts;
    input_file *files;
    size_t nfiles, files_cap;
    size_t cur;       /* index of the open file, nfiles if none */
    int open;         /* a source is open */
    FILE *f;
    int comp;
    ZSTD_DStream *zs;
    z_stream gz;
    int gz_init;
    size_t zret; /* last zstd hint: 0 = at a frame boundary */
    int gz_end;  /* inflate reached Z_STREAM_END for the last member */
    lzma_stream xz;
    int xz_init;
    int xz_end;  /* lzma_code returned LZMA_STREAM_END */
    bz_stream bz;
    int bz_init;
    int bz_end;  /* the last bzip2 stream reached BZ_STREAM_END */
    unsigned char *in;
    size_t in_pos, in_len;
    int in_eof;
    rp_buf win;        /* decompressed window */
    size_t start;      /* first unconsumed byte in win */
    uint64_t win_base; /* stream offset of win.data[0] */
    uint64_t line;     /* lines consumed in the current file */
    int any_data;      /* current file had a non-blank byte */
    int sniffed;       /* current file's first bytes looked at */
    uint64_t bytes;    /* decompressed bytes consumed, all files */
    uint64_t disk_total;
};

/* ---- file list ----------------------------------------------------------- */

static int add_file(rp_reader *r, const char *path, const char *name,
                    const char *rel, int is_text, uint64_t size)
{
    input_file f = {0};
    f.path = path ? rp_str_dup(path) : NULL;
    f.name = rp_str_dup(name);
    f.rel = rel ? rp_str_dup(rel) : NULL;
    f.is_text = is_text;
    f.disk_size = size;
    if ((path && !f.path) || !f.name || (rel && !f.rel) ||
        RP_VEC_PUSH(r->files, r->nfiles, r->files_cap, f)) {
        free(f.path);
        free(f.name);
        free(f.rel);
        return RP_ENOMEM;
    }
    r->disk_total += size;
    return RP_OK;
}

int rp_reader_new(rp_reader **out, const char *const *paths,
                  const char *const *names, size_t count,
                  const rp_reader_options *opts, rp_error *err)
{
    *out = NULL;
    if (!opts || opts->version < 1 || opts->version > RP_READER_OPTIONS_VERSION)
        return RP_EINVAL;
    rp_reader *r = calloc(1, sizeof *r);
    if (!r)
        return RP_ENOMEM;
    if (opts->version == 1) {
        r->opts.version = 1;
        r->opts.max_record_len = opts->max_record_len;
    } else {
        r->opts = *opts;
    }
    if (r->opts.max_record_len == 0)
        r->opts.max_record_len = (size_t)64 << 20;
    int rc = RP_OK;
    for (size_t i = 0; i < count && rc == RP_OK; i++) {
        const char *name = names && names[i] ? names[i] : paths[i];
        if (strcmp(paths[i], "-") == 0) {
            rc = add_file(r, NULL, "-", NULL, 0, 0);
            continue;
        }
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            rc = rp__error_set(err, RP_EIO, name, 0, 0, "cannot open: %s",
                               strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            char **list = NULL;
            size_t n = 0, other = 0;
            rc = rp__folder_list(&list, &n, &other, paths[i], &st, &r->opts,
                                 err);
            if (rc == RP_OK && n == 0)
                rc = rp__error_set(
                    err, RP_EFORMAT, name, 0, 0,
                    "no input file in this folder (%zu other files; read "
                    "are *.jsonl, *.ndjson, *.json, each also .gz, .zst, "
                    ".xz or .bz2, and *.txt)", other);
            for (size_t j = 0; j < n; j++) {
                if (rc == RP_OK) {
                    char *full = rp_str_join(paths[i], list[j]);
                    char *shown = rp_str_join(name, list[j]);
                    struct stat fs;
                    uint64_t size = full && stat(full, &fs) == 0
                                        ? (uint64_t)fs.st_size
                                        : 0;
                    int txt = rp_str_ends_with(list[j], ".txt");
                    rc = full && shown ? add_file(r, full, shown,
                                                  txt ? list[j] : NULL, txt,
                                                  size)
                                       : RP_ENOMEM;
                    free(full);
                    free(shown);
                }
                free(list[j]);
            }
            free(list);
        } else {
            rc = add_file(r, paths[i], name, NULL, rp_str_ends_with(paths[i], ".txt"),
                          (uint64_t)st.st_size);
        }
    }
    r->in = malloc(CHUNK);
    if (rc == RP_OK && !r->in)
        rc = RP_ENOMEM;
    if (rc != RP_OK) {
        rp_reader_free(r);
        return rc;
    }
    r->cur = 0;
    *out = r;
    return RP_OK;
}

int rp__reader_shard(rp_reader *r, uint32_t shard, uint32_t shards,
                     rp_error *err)
{
    if (shards <= 1)
        return RP_OK;
    if (shard >= shards || r->open || r->cur != 0)
        return RP_EINVAL;
    size_t n = r->nfiles;
    size_t lo = (size_t)((uint64_t)n * shard / shards);
    size_t hi = (size_t)((uint64_t)n * (shard + 1) / shards);
    for (size_t i = 0; i < n; i++)
        if (!r->files[i].path)
            return rp__error_set(err, RP_EINVAL, "-", 0, 0,
                                 "standard input cannot be split into "
                                 "shards: shard a folder or a list of "
                                 "files");
    r->disk_total = 0;
    for (size_t i = 0; i < n; i++) {
        if (i >= lo && i < hi) {
            r->disk_total += r->files[i].disk_size;
            continue;
        }
        free(r->files[i].path);
        free(r->files[i].name);
        free(r->files[i].rel);
    }
    memmove(r->files, r->files + lo, (hi - lo) * sizeof *r->files);
    r->nfiles = hi - lo;
    return RP_OK;
}

uint32_t rp_reader_file_count(const rp_reader *r)
{
    return (uint32_t)r->nfiles;
}

const char *rp_reader_file_name(const rp_reader *r, uint32_t i)
{
    return i < r->nfiles ? r->files[i].name : "";
}

uint64_t rp_reader_file_size(const rp_reader *r, uint32_t i)
{
    return i < r->nfiles ? r->files[i].disk_size : 0;
}

uint64_t rp_reader_bytes(const rp_reader *r)
{
    return r->bytes;
}

uint64_t rp_reader_disk_bytes(const rp_reader *r)
{
    uint64_t b = 0;
    if (r->open && r->f)
        b = (uint64_t)ftello(r->f);
    for (size_t i = 0; i < r->cur && i < r->nfiles; i++)
        b += r->files[i].disk_size;
    return b;
}

uint64_t rp_reader_total_bytes(const rp_reader *r)
{
    return r->disk_total;
}

/* ---- sources -------------------------------------------------------------- */

static void close_source(rp_reader *r)
{
    if (r->f && r->f != stdin)
        fclose(r->f);
    r->f = NULL;
    if (r->zs)
        ZSTD_freeDStream(r->zs);
    r->zs = NULL;
    if (r->gz_init)
        inflateEnd(&r->gz);
    r->gz_init = 0;
    if (r->xz_init)
        lzma_end(&r->xz);
    r->xz_init = 0;
    if (r->bz_init)
        BZ2_bzDecompressEnd(&r->bz);
    r->bz_init = 0;
    r->open = 0;
    r->win.len = 0;
    r->start = 0;
    r->win_base = 0;
    r->in_pos = r->in_len = 0;
    r->in_eof = 0;
}

static int fill_in(rp_reader *r)
{
    if (r->in_pos < r->in_len || r->in_eof)
        return 0;
    r->in_len = fread(r->in, 1, CHUNK, r->f);
    r->in_pos = 0;
    if (r->in_len < CHUNK) {
        if (ferror(r->f))
            return -1;
        r->in_eof = 1;
    }
    return 0;
}

static int open_source(rp_reader *r, rp_error *err)
{
    input_file *f = &r->files[r->cur];
    r->f = f->path ? fopen(f->path, "rb") : stdin;
    if (!r->f)
        return rp__error_set(err, RP_EIO, f->name, 0, 0, "cannot open: %s",
                             strerror(errno));
    r->open = 1;
    r->line = 0;
    r->any_data = 0;
    r->sniffed = 0;
    r->comp = COMP_NONE;
    if (fill_in(r))
        return rp__error_set(err, RP_EIO, f->name, 0, 0, "read error: %s",
                             strerror(errno));
    if (r->in_len >= 4 && r->in[0] == 0x28 && r->in[1] == 0xb5 &&
        r->in[2] == 0x2f && r->in[3] == 0xfd) {
        r->comp = COMP_ZSTD;
        r->zs = ZSTD_createDStream();
        if (!r->zs)
            return RP_ENOMEM;
        ZSTD_initDStream(r->zs);
        r->zret = 1;
    } else if (r->in_len >= 2 && r->in[0] == 0x1f && r->in[1] == 0x8b) {
        r->comp = COMP_GZIP;
        memset(&r->gz, 0, sizeof r->gz);
        if (inflateInit2(&r->gz, 16 + MAX_WBITS) != Z_OK)
            return RP_ENOMEM;
        r->gz_init = 1;
        r->gz_end = 0;
    } else if (r->in_len >= 6 && memcmp(r->in, "\xfd" "7zXZ\0", 6) == 0) {
        r->comp = COMP_XZ;
        lzma_stream init = LZMA_STREAM_INIT;
        r->xz = init;
        /* LZMA_CONCATENATED: xz files joined with cat are one input */
        if (lzma_stream_decoder(&r->xz, XZ_MEMLIMIT, LZMA_CONCATENATED) !=
            LZMA_OK)
            return RP_ENOMEM;
        r->xz_init = 1;
        r->xz_end = 0;
    } else if (r->in_len >= 4 && memcmp(r->in, "BZh", 3) == 0 &&
               r->in[3] >= '1' && r->in[3] <= '9') {
        r->comp = COMP_BZ2;
        memset(&r->bz, 0, sizeof r->bz);
        if (BZ2_bzDecompressInit(&r->bz, 0, 0) != BZ_OK)
            return RP_ENOMEM;
        r->bz_init = 1;
        r->bz_end = 0;
    }
    return RP_OK;
}

static const char *xz_why(lzma_ret x)
{
    switch (x) {
    case LZMA_MEMLIMIT_ERROR:
        return "needs more than 256 MiB of memory to decompress";
    case LZMA_FORMAT_ERROR:
        return "not an xz stream";
    case LZMA_OPTIONS_ERROR:
        return "unsupported options";
    case LZMA_DATA_ERROR:
        return "corrupt data";
    case LZMA_BUF_ERROR:
        return "ends early";
    case LZMA_MEM_ERROR:
        return "out of memory";
    default:
        return "decoder error";
    }
}

/* xz: up to CHUNK bytes into dst. >0 bytes, 0 at the end, or RP_E*. */
static long read_xz(rp_reader *r, char *dst, const char *name, uint64_t at,
                    rp_error *err)
{
    for (;;) {
        if (fill_in(r))
            return rp__error_set(err, RP_EIO, name, r->line + 1, at,
                                 "read error: %s", strerror(errno));
        int last = r->in_pos >= r->in_len && r->in_eof;
        if (r->xz_end)
            return 0;
        r->xz.next_in = r->in + r->in_pos;
        r->xz.avail_in = r->in_len - r->in_pos;
        r->xz.next_out = (uint8_t *)dst;
        r->xz.avail_out = CHUNK;
        lzma_ret x = lzma_code(&r->xz, last ? LZMA_FINISH : LZMA_RUN);
        r->in_pos = r->in_len - r->xz.avail_in;
        size_t got = CHUNK - r->xz.avail_out;
        if (x == LZMA_STREAM_END)
            r->xz_end = 1;
        else if (x == LZMA_BUF_ERROR && last)
            return rp__error_set(err, RP_EIO, name, r->line + 1, at,
                                 "truncated xz stream");
        else if (x != LZMA_OK)
            return rp__error_set(err, RP_EIO, name, r->line + 1, at,
                                 "corrupt xz stream: %s", xz_why(x));
        r->win.len += got;
        if (got)
            return (long)got;
    }
}

/* bzip2: likewise; streams joined with cat (pbzip2's output) are read on. */
static long read_bz2(rp_reader *r, char *dst, const char *name, uint64_t at,
                     rp_error *err)
{
    for (;;) {
        if (fill_in(r))
            return rp__error_set(err, RP_EIO, name, r->line + 1, at,
                                 "read error: %s", strerror(errno));
        int last = r->in_pos >= r->in_len && r->in_eof;
        if (r->bz_end) {
            if (last)
                return 0;
            if (r->in[r->in_pos] != 'B')
                return rp__error_set(err, RP_EIO, name, r->line + 1, at,
                                     "trailing garbage after bzip2 stream");
            BZ2_bzDecompressEnd(&r->bz);
            r->bz_init = 0;
            memset(&r->bz, 0, sizeof r->bz);
            if (BZ2_bzDecompressInit(&r->bz, 0, 0) != BZ_OK)
                return RP_ENOMEM;
            r->bz_init = 1;
            r->bz_end = 0;
        }
        r->bz.next_in = (char *)r->in + r->in_pos;
        r->bz.avail_in = (unsigned)(r->in_len - r->in_pos);
        r->bz.next_out = dst;
        r->bz.avail_out = (unsigned)CHUNK;
        int b = BZ2_bzDecompress(&r->bz);
        r->in_pos = r->in_len - r->bz.avail_in;
        size_t got = CHUNK - r->bz.avail_out;
        if (b == BZ_STREAM_END)
            r->bz_end = 1;
        else if (b != BZ_OK)
            return rp__error_set(err, RP_EIO, name, r->line + 1, at,
                                 "corrupt bzip2 stream: %s",
                                 b == BZ_MEM_ERROR ? "out of memory"
                                 : b == BZ_DATA_ERROR_MAGIC
                                     ? "not a bzip2 stream"
                                     : "corrupt data");
        r->win.len += got;
        if (got)
            return (long)got;
        if (last && !r->bz_end)
            return rp__error_set(err, RP_EIO, name, r->line + 1, at,
                                 "truncated bzip2 stream");
    }
}

/*
 * Append up to CHUNK decompressed bytes to the window.
 * Returns bytes added (>0), 0 at a clean end of stream, or an RP_E code.
 */
static long read_more(rp_reader *r, rp_error *err)
{
    const char *name = r->files[r->cur].name;
    uint64_t at = r->win_base + r->win.len;
    /* drop consumed bytes first so the window stays bounded */
    if (r->start > 0) {
        memmove(r->win.data, r->win.data + r->start, r->win.len - r->start);
        r->win.len -= r->start;
        r->win_base += r->start;
        r->start = 0;
    }
    if (rp_buf_reserve(&r->win, CHUNK))
        return RP_ENOMEM;
    char *dst = r->win.data + r->win.len;
    if (r->comp == COMP_XZ)
        return read_xz(r, dst, name, at, err);
    if (r->comp == COMP_BZ2)
        return read_bz2(r, dst, name, at, err);
    for (;;) {
        if (fill_in(r))
            return rp__error_set(err, RP_EIO, name, r->line + 1, at,
                                 "read error: %s", strerror(errno));
        if (r->comp == COMP_NONE) {
            size_t n = r->in_len - r->in_pos;
            memcpy(dst, r->in + r->in_pos, n);
            r->in_pos = r->in_len;
            r->win.len += n;
            if (n == 0 && r->in_eof)
                return 0;
            if (n)
                return (long)n;
        } else if (r->comp == COMP_ZSTD) {
            if (r->in_pos >= r->in_len && r->in_eof) {
                if (r->zret != 0)
                    return rp__error_set(
                        err, RP_EIO, name, r->line + 1, at,
                        "truncated zstd stream (ends inside a frame)");
                return 0;
            }
            ZSTD_inBuffer ib = {r->in, r->in_len, r->in_pos};
            ZSTD_outBuffer ob = {dst, CHUNK, 0};
            size_t ret = ZSTD_decompressStream(r->zs, &ob, &ib);
            r->in_pos = ib.pos;
            if (ZSTD_isError(ret))
                return rp__error_set(err, RP_EIO, name, r->line + 1, at,
                                     "corrupt zstd stream: %s",
                                     ZSTD_getErrorName(ret));
            r->zret = ret;
            r->win.len += ob.pos;
            if (ob.pos)
                return (long)ob.pos;
        } else {
            if (r->in_pos >= r->in_len && r->in_eof) {
                if (!r->gz_end)
                    return rp__error_set(err, RP_EIO, name, r->line + 1, at,
                                         "truncated gzip stream");
                return 0;
            }
            if (r->gz_end) {
                /* concatenated gzip members */
                if (r->in[r->in_pos] != 0x1f) {
                    return rp__error_set(err, RP_EIO, name, r->line + 1, at,
                                         "trailing garbage after gzip stream");
                }
                inflateReset(&r->gz);
                r->gz_end = 0;
            }
            r->gz.next_in = r->in + r->in_pos;
            r->gz.avail_in = (uInt)(r->in_len - r->in_pos);
            r->gz.next_out = (Bytef *)dst;
            r->gz.avail_out = (uInt)CHUNK;
            int zr = inflate(&r->gz, Z_NO_FLUSH);
            r->in_pos = r->in_len - r->gz.avail_in;
            size_t got = CHUNK - r->gz.avail_out;
            if (zr == Z_STREAM_END)
                r->gz_end = 1;
            else if (zr != Z_OK && zr != Z_BUF_ERROR)
                return rp__error_set(err, RP_EIO, name, r->line + 1, at,
                                     "corrupt gzip stream: %s",
                                     r->gz.msg ? r->gz.msg : "inflate failed");
            r->win.len += got;
            if (got)
                return (long)got;
        }
    }
}

static int is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return 0;
    return 1;
}

/* A whole .txt file as one unit. */
static int next_text(rp_reader *r, rp_unit *out, rp_error *err)
{
    const input_file *f = &r->files[r->cur];
    for (;;) {
        long n = read_more(r, err);
        if (n < 0)
            return (int)n;
        if (n == 0)
            break;
        if (r->win.len > r->opts.max_record_len)
            return rp__error_set(err, RP_ETOOBIG, f->name, 1, 0,
                                 "document longer than the limit of %zu bytes "
                                 "(--max-record-bytes)",
                                 r->opts.max_record_len);
    }
    memset(out, 0, sizeof *out);
    out->data = r->win.data ? r->win.data : "";
    out->len = r->win.len;
    out->file = (uint32_t)r->cur;
    out->line = 1;
    out->kind = RP_UNIT_TEXT;
    out->name = f->rel ? f->rel : f->name;
    r->bytes += r->win.len;
    r->start = r->win.len;
    return RP_OK;
}

#define SNIFF_LEN 512

/* Read the first SNIFF_LEN bytes of a JSON Lines file (or all of a shorter
 * one) and refuse a known other format by name. */
static int sniff_file(rp_reader *r, rp_error *err)
{
    r->sniffed = 1;
    if (r->files[r->cur].is_text)
        return RP_OK;
    while (r->win.len < SNIFF_LEN) {
        long got = read_more(r, err);
        if (got < 0)
            return (int)got;
        if (got == 0)
            break;
    }
    if (r->win_base != 0 || r->start != 0 || !r->win.len)
        return RP_OK;
    const char *why =
        rp__sniff((const unsigned char *)r->win.data,
                  r->win.len < SNIFF_LEN ? r->win.len : SNIFF_LEN);
    if (!why)
        return RP_OK;
    return rp__error_set(err, RP_EFORMAT, r->files[r->cur].name, 0, 0,
                         "unsupported format: %s", why);
}

int rp_reader_next(rp_reader *r, rp_unit *out, rp_error *err)
{
    for (;;) {
        if (!r->open) {
            if (r->cur >= r->nfiles)
                return RP_DONE;
            int rc = open_source(r, err);
            if (rc != RP_OK) {
                close_source(r);
                r->cur++;
                return rc;
            }
            if (r->files[r->cur].is_text) {
                rc = next_text(r, out, err);
                /* the unit stays valid: the window is kept until next call */
                r->open = 2; /* text done: close on next call */
                if (rc != RP_OK) {
                    close_source(r);
                    r->cur++;
                }
                return rc;
            }
        } else if (r->open == 2) {
            close_source(r);
            r->cur++;
            continue;
        }
        const char *name = r->files[r->cur].name;
        if (!r->sniffed) {
            int rc = sniff_file(r, err);
            if (rc != RP_OK) {
                close_source(r);
                r->cur++;
                return rc;
            }
        }
        /* look for the end of the next line in the window */
        /* no pointer arithmetic on a window not yet allocated (NULL + 0
         * is undefined; clang's UBSan stops on it) */
        char *base = r->win.data ? r->win.data + r->start : NULL;
        size_t avail = r->win.len - r->start;
        char *nl = avail ? memchr(base, '\n', avail) : NULL;
        long got = 1;
        if (!nl) {
            if (avail > r->opts.max_record_len) {
                /* too long: skip to the newline, bounded memory */
                uint64_t line = r->line + 1, off = r->win_base + r->start;
                for (;;) {
                    r->bytes += r->win.len - r->start;
                    r->start = r->win.len;
                    long n = read_more(r, err);
                    if (n < 0) {
                        close_source(r);
                        r->cur++;
                        return (int)n;
                    }
                    nl = n ? memchr(r->win.data, '\n', r->win.len) : NULL;
                    if (nl || n == 0)
                        break;
                }
                if (nl) {
                    size_t skip = (size_t)(nl - r->win.data) + 1;
                    r->start = skip;
                    r->bytes += skip;
                }
                r->line = line;
                r->any_data = 1;
                return rp__error_set(err, RP_ETOOBIG, name, line, off,
                                     "record longer than the limit of %zu "
                                     "bytes (--max-record-bytes)",
                                     r->opts.max_record_len);
            }
            got = read_more(r, err);
            if (got < 0) {
                close_source(r);
                r->cur++;
                return (int)got;
            }
            if (got > 0)
                continue;
            /* end of stream: a last line without '\n', or the file's end */
            if (avail == 0 || r->win.len == r->start) {
                int empty = !r->any_data;
                uint64_t end = r->win_base + r->win.len;
                close_source(r);
                r->cur++;
                if (empty)
                    return rp__error_set(err, RP_EFORMAT, name, 0, end,
                                         "empty input: no records");
                continue;
            }
            base = r->win.data + r->start;
            avail = r->win.len - r->start;
            nl = base + avail; /* virtual terminator */
        }
        size_t len = (size_t)(nl - base);
        size_t consumed = len + (nl < r->win.data + r->win.len ? 1 : 0);
        uint64_t off = r->win_base + r->start;
        r->start += consumed;
        r->bytes += consumed;
        r->line++;
        if (len && base[len - 1] == '\r')
            len--;
        if (is_blank(base, len))
            continue;
        r->any_data = 1;
        memset(out, 0, sizeof *out);
        out->data = base;
        out->len = len;
        out->file = (uint32_t)r->cur;
        out->line = r->line;
        out->offset = off;
        out->kind = RP_UNIT_JSON;
        return RP_OK;
    }
}

void rp_reader_free(rp_reader *r)
{
    if (!r)
        return;
    close_source(r);
    for (size_t i = 0; i < r->nfiles; i++) {
        free(r->files[i].path);
        free(r->files[i].name);
        free(r->files[i].rel);
    }
    free(r->files);
    free(r->in);
    rp_buf_dispose(&r->win);
    free(r);
}

/* ---- artifact blocks (codec.h) ------------------------------------------- */

#include "codec.h"

int rp__block_compress(rp_buf *out, const void *src, size_t len, int level)
{
    size_t bound = ZSTD_compressBound(len);
    if (rp_buf_reserve(out, bound))
        return RP_ENOMEM;
    size_t n = ZSTD_compress(out->data + out->len, bound, src, len, level);
    if (ZSTD_isError(n))
        return RP_EIO;
    out->len += n;
    return RP_OK;
}

int rp__block_decompress(void *dst, size_t dst_len, const void *src,
                         size_t len)
{
    size_t n = ZSTD_decompress(dst, dst_len, src, len);
    if (ZSTD_isError(n) || n != dst_len)
        return RP_EIO;
    return RP_OK;
}
