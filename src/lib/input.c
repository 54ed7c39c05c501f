/*
 * input.c - framing of input files into units, and atomic outputs.
 *
 * The only file of reprint that includes <zstd.h> and <zlib.h>.
 *
 *   file list ──> source (FILE* + decoder: none | zstd | gzip)
 *             ──> window buf[start, end)  (decompressed bytes)
 *             ──> unit = bytes up to '\n' (CR stripped), or a whole .txt
 *
 * The window grows to at most max_record_len + one read chunk: a longer
 * line is skipped up to its newline and reported as RP_ETOOBIG, so memory
 * stays bounded whatever the input. A zstd stream that ends inside a frame
 * is reported as truncated (ZSTD_decompressStream's hint is non-zero at
 * EOF); a gzip stream likewise when inflate has not reached Z_STREAM_END.
 */
#include "reprint/input.h"

#include "error.h"
#include "../util/buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define CHUNK ((size_t)1 << 18)

enum { COMP_NONE, COMP_ZSTD, COMP_GZIP };

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
    unsigned char *in;
    size_t in_pos, in_len;
    int in_eof;
    rp_buf win;        /* decompressed window */
    size_t start;      /* first unconsumed byte in win */
    uint64_t win_base; /* stream offset of win.data[0] */
    uint64_t line;     /* lines consumed in the current file */
    int any_data;      /* current file had a non-blank byte */
    uint64_t bytes;    /* decompressed bytes consumed, all files */
    uint64_t disk_total;
};

/* ---- file list ----------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = malloc(la + lb + 2);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    p[la] = '/';
    memcpy(p + la + 1, b, lb + 1);
    return p;
}

static int add_file(rp_reader *r, const char *path, const char *name,
                    const char *rel, int is_text, uint64_t size)
{
    input_file f = {0};
    f.path = path ? dup_str(path) : NULL;
    f.name = dup_str(name);
    f.rel = rel ? dup_str(rel) : NULL;
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

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Folders walked, by device and inode: a loop or a second way into one
 * folder is seen, whatever links lead there. */
typedef struct walked {
    dev_t dev;
    ino_t ino;
} walked;

typedef struct walk_ctx {
    const rp_reader_options *o;
    walked *seen;
    size_t nseen, seen_cap;
    char **list;
    size_t n, cap;
} walk_ctx;

/* 1: first visit of the folder (now recorded), 0: seen before, <0 error */
static int first_visit(walk_ctx *c, const struct stat *st)
{
    for (size_t i = 0; i < c->nseen; i++)
        if (c->seen[i].dev == st->st_dev && c->seen[i].ino == st->st_ino)
            return 0;
    walked w = {st->st_dev, st->st_ino};
    if (RP_VEC_PUSH(c->seen, c->nseen, c->seen_cap, w))
        return RP_ENOMEM;
    return 1;
}

static void skipped(walk_ctx *c, const char *path, const char *why)
{
    if (c->o->skipped)
        c->o->skipped(c->o->ctx, path, why);
}

/*
 * Collect relative paths of *.txt below root/rel into a list. Entries are
 * looked at with lstat(): a symbolic link to a folder is not followed
 * unless asked (a link to / would walk the whole filesystem), and no
 * folder is walked twice (a link loop read each file 41 times).
 */
static int walk(walk_ctx *c, const char *root, const char *rel, rp_error *err)
{
    char *dir = rel[0] ? join(root, rel) : dup_str(root);
    if (!dir)
        return RP_ENOMEM;
    DIR *d = opendir(dir);
    if (!d) {
        int rc = rp__error_set(err, RP_EIO, dir, 0, 0, "cannot open folder: %s",
                               strerror(errno));
        free(dir);
        return rc;
    }
    /* entries in name order: which of two ways into a folder is walked
     * (and which skipped) does not depend on readdir's order */
    int rc = RP_OK;
    struct dirent *e;
    char **names = NULL;
    size_t nn = 0, ncap = 0;
    while (rc == RP_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* hidden files and . .. */
        char *nm = dup_str(e->d_name);
        if (!nm || RP_VEC_PUSH(names, nn, ncap, nm)) {
            free(nm);
            rc = RP_ENOMEM;
        }
    }
    closedir(d);
    if (rc == RP_OK && nn)
        qsort(names, nn, sizeof *names, cmp_str);
    for (size_t k = 0; k < nn && rc == RP_OK; k++) {
        const char *name = names[k];
        char *r2 = rel[0] ? join(rel, name) : dup_str(name);
        char *full = r2 ? join(root, r2) : NULL;
        struct stat lst, st;
        if (!r2 || !full) {
            rc = RP_ENOMEM;
        } else if (lstat(full, &lst) != 0) {
            /* gone since readdir: nothing to read */
        } else if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (S_ISLNK(lst.st_mode) && !c->o->follow_symlinks) {
                skipped(c, full, "a symbolic link to a folder, not followed "
                                 "(--follow-symlinks follows)");
            } else {
                int first = first_visit(c, &st);
                if (first < 0)
                    rc = first;
                else if (!first)
                    skipped(c, full, "a folder already read (a symbolic "
                                     "link loop or a second way in)");
                else
                    rc = walk(c, root, r2, err);
            }
        } else if (ends_with(name, ".txt")) {
            if (RP_VEC_PUSH(c->list, c->n, c->cap, r2))
                rc = RP_ENOMEM;
            else
                r2 = NULL;
        }
        free(r2);
        free(full);
    }
    for (size_t k = 0; k < nn; k++)
        free(names[k]);
    free(names);
    free(dir);
    return rc;
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
            walk_ctx c;
            memset(&c, 0, sizeof c);
            c.o = &r->opts;
            rc = first_visit(&c, &st) < 0 ? RP_ENOMEM : RP_OK;
            if (rc == RP_OK)
                rc = walk(&c, paths[i], "", err);
            free(c.seen);
            char **list = c.list;
            size_t n = c.n;
            if (rc == RP_OK)
                qsort(list, n, sizeof *list, cmp_str);
            for (size_t j = 0; j < n; j++) {
                if (rc == RP_OK) {
                    char *full = join(paths[i], list[j]);
                    char *shown = join(name, list[j]);
                    struct stat fs;
                    uint64_t size = full && stat(full, &fs) == 0
                                        ? (uint64_t)fs.st_size
                                        : 0;
                    rc = full && shown
                             ? add_file(r, full, shown, list[j], 1, size)
                             : RP_ENOMEM;
                    free(full);
                    free(shown);
                }
                free(list[j]);
            }
            free(list);
        } else {
            rc = add_file(r, paths[i], name, NULL, ends_with(paths[i], ".txt"),
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
    }
    return RP_OK;
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

/* ---- writer --------------------------------------------------------------- */

struct rp_writer {
    FILE *f;
    char *path;
    char *tmp;
    char *bak; /* commit_set: the old file kept as a hard link */
    int comp;
    ZSTD_CStream *zs;
    z_stream gz;
    int gz_init;
    unsigned char *out;
    int failed;
    int finished; /* flushed, synced and closed: only the rename is left */
    int renamed;  /* commit_set: renamed over path */
    int had_old;  /* commit_set: path existed before the rename */
    char why[160]; /* the first failure's cause, for the error message */
};

/* The first failure's cause, kept for the message (errno is gone later). */
static int fail(rp_writer *w, const char *why)
{
    if (!w->failed)
        snprintf(w->why, sizeof w->why, "%s", why);
    w->failed = 1;
    return RP_EIO;
}

/*
 * w->tmp: a new file beside path, renamed over it on commit. Named
 * PATH.tmp.PID so a signal handler can remove it without asking anyone;
 * O_EXCL refuses a name that exists (a stale temporary, a symlink), and
 * mode 0666 lets the umask decide, as for any file the user creates.
 */
static int open_temporary(rp_writer *w, const char *path, rp_error *err)
{
    w->path = dup_str(path);
    size_t n = strlen(path) + 48;
    w->tmp = malloc(n);
    if (!w->path || !w->tmp)
        return RP_ENOMEM;
    int fd = -1;
    for (unsigned k = 0; fd < 0 && k < 100; k++) {
        if (k == 0)
            snprintf(w->tmp, n, "%s.tmp.%ld", path, (long)getpid());
        else
            snprintf(w->tmp, n, "%s.tmp.%ld.%u", path, (long)getpid(), k);
        fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int e = errno;
        free(w->tmp);
        w->tmp = NULL;
        return rp__error_set(err, RP_EIO, path, 0, 0,
                             "cannot create temporary output: %s",
                             strerror(e));
    }
    w->f = fdopen(fd, "wb");
    if (!w->f) {
        close(fd);
        return RP_ENOMEM;
    }
    return RP_OK;
}

int rp_writer_new(rp_writer **out, const char *path, rp_error *err)
{
    *out = NULL;
    rp_writer *w = calloc(1, sizeof *w);
    if (!w)
        return RP_ENOMEM;
    int rc = RP_OK;
    w->out = malloc(CHUNK);
    struct stat st;
    if (!w->out) {
        rc = RP_ENOMEM;
    } else if (strcmp(path, "-") == 0) {
        w->f = stdout;
    } else if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or a pipe: a file renamed over it would replace it */
        w->path = dup_str(path);
        w->f = w->path ? fopen(path, "wb") : NULL;
        if (!w->path)
            rc = RP_ENOMEM;
        else if (!w->f)
            rc = rp__error_set(err, RP_EIO, path, 0, 0,
                               "cannot open output: %s", strerror(errno));
    } else {
        rc = open_temporary(w, path, err);
    }
    if (rc == RP_OK && w->path && ends_with(path, ".zst")) {
        w->comp = COMP_ZSTD;
        w->zs = ZSTD_createCStream();
        if (!w->zs || ZSTD_isError(ZSTD_initCStream(w->zs, 3)))
            rc = RP_ENOMEM;
    } else if (rc == RP_OK && w->path && ends_with(path, ".gz")) {
        w->comp = COMP_GZIP;
        if (deflateInit2(&w->gz, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY) != Z_OK)
            rc = RP_ENOMEM;
        else
            w->gz_init = 1;
    }
    if (rc != RP_OK) {
        rp_writer_abort(w);
        return rc;
    }
    *out = w;
    return RP_OK;
}

static int put_out(rp_writer *w, size_t n)
{
    if (n && fwrite(w->out, 1, n, w->f) != n)
        return fail(w, strerror(errno));
    return RP_OK;
}

static int zflush(rp_writer *w, const void *data, size_t len, int end)
{
    if (w->comp == COMP_ZSTD) {
        ZSTD_inBuffer ib = {data, len, 0};
        for (;;) {
            ZSTD_outBuffer ob = {w->out, CHUNK, 0};
            size_t ret = end ? ZSTD_endStream(w->zs, &ob)
                             : ZSTD_compressStream(w->zs, &ob, &ib);
            if (ZSTD_isError(ret))
                return fail(w, ZSTD_getErrorName(ret)); /* not errno */
            RP_TRY(put_out(w, ob.pos));
            if (end ? ret == 0 : ib.pos == ib.size)
                return RP_OK;
        }
    }
    w->gz.next_in = (Bytef *)(uintptr_t)data;
    w->gz.avail_in = (uInt)len;
    for (;;) {
        w->gz.next_out = w->out;
        w->gz.avail_out = (uInt)CHUNK;
        int zr = deflate(&w->gz, end ? Z_FINISH : Z_NO_FLUSH);
        if (zr == Z_STREAM_ERROR)
            return fail(w, "gzip stream error");
        RP_TRY(put_out(w, CHUNK - w->gz.avail_out));
        if (end ? zr == Z_STREAM_END : w->gz.avail_in == 0)
            return RP_OK;
    }
}

int rp_writer_write(rp_writer *w, const void *data, size_t len)
{
    if (w->failed)
        return RP_EIO;
    int rc = RP_OK;
    if (w->comp == COMP_NONE) {
        if (len && fwrite(data, 1, len, w->f) != len)
            rc = fail(w, strerror(errno));
    } else {
        const char *p = data;
        while (len && rc == RP_OK) { /* keep avail_in within uInt */
            size_t n = len > ((size_t)1 << 30) ? ((size_t)1 << 30) : len;
            rc = zflush(w, p, n, 0);
            p += n;
            len -= n;
        }
    }
    return rc;
}

static int report(const rp_writer *w, rp_error *err)
{
    return rp__error_set(err, RP_EIO, w->path ? w->path : "-", 0, 0,
                         "cannot write output: %s",
                         w->why[0] ? w->why : "write failed");
}

/* Everything but the rename: flush, fsync a temporary, close. */
static int finish(rp_writer *w, rp_error *err)
{
    if (w->finished)
        return RP_OK;
    if (!w->failed && w->comp != COMP_NONE)
        zflush(w, "", 0, 1);
    if (!w->failed && fflush(w->f) != 0)
        fail(w, strerror(errno));
    /* data on disk before the name points at it (a crash after the
     * rename must not leave an empty file under the old name) */
    if (!w->failed && w->tmp && fsync(fileno(w->f)) != 0)
        fail(w, strerror(errno));
    if (w->f != stdout) {
        if (fclose(w->f) != 0 && !w->failed)
            fail(w, strerror(errno));
        w->f = NULL;
    }
    w->finished = 1;
    return w->failed ? report(w, err) : RP_OK;
}

/* The folder of path, fsynced so the renames in it are durable. */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? malloc((size_t)(slash - path) + 2) : NULL;
    if (slash && !dir)
        return;
    if (dir) {
        size_t n = slash == path ? 1 : (size_t)(slash - path);
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    int fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

int rp_writer_commit(rp_writer *w, rp_error *err)
{
    return rp_writer_commit_set(&w, 1, RP_OK, err);
}

int rp_writer_commit_set(rp_writer *const *w, size_t count, int rc,
                         rp_error *err)
{
    /* a write that failed earlier is why rc is RP_EIO: name it */
    for (size_t i = 0; i < count && rc == RP_EIO; i++)
        if (w[i] && w[i]->failed) {
            report(w[i], err);
            break;
        }
    /* 1. every output complete, or none is renamed */
    for (size_t i = 0; i < count && rc == RP_OK; i++)
        if (w[i])
            rc = finish(w[i], err);
    /* 2. rename each; the old file kept as a hard link until all are */
    size_t done = 0;
    int saved = 0;
    for (; rc == RP_OK && done < count; done++) {
        rp_writer *x = w[done];
        if (!x || !x->tmp)
            continue;
        size_t n = strlen(x->path) + 48;
        x->bak = malloc(n);
        if (!x->bak) {
            rc = RP_ENOMEM;
            break;
        }
        snprintf(x->bak, n, "%s.old.%ld", x->path, (long)getpid());
        unlink(x->bak);
        struct stat old;
        x->had_old = lstat(x->path, &old) == 0;
        if (!x->had_old || link(x->path, x->bak) != 0) {
            free(x->bak); /* no old file (or no hard links here) */
            x->bak = NULL;
        }
        if (rename(x->tmp, x->path) != 0) {
            saved = errno;
            rc = rp__error_set(err, RP_EIO, x->path, 0, 0,
                               "cannot rename the output into place: %s",
                               strerror(saved));
            break;
        }
        free(x->tmp); /* renamed: nothing to remove */
        x->tmp = NULL;
        x->renamed = 1;
    }
    /* 3. a failed rename puts back the outputs already renamed */
    for (size_t i = 0; rc != RP_OK && i < done && i < count; i++) {
        rp_writer *x = w[i];
        if (!x || !x->renamed)
            continue;
        if (x->bak) {
            rename(x->bak, x->path);
            free(x->bak);
            x->bak = NULL;
        } else if (!x->had_old) {
            unlink(x->path); /* it did not exist before */
        } /* else: an old file that could not be kept is gone */
    }
    for (size_t i = 0; i < count; i++) {
        if (!w[i])
            continue;
        if (w[i]->bak) {
            unlink(w[i]->bak);
            free(w[i]->bak);
            w[i]->bak = NULL;
        }
        if (rc == RP_OK && w[i]->renamed)
            sync_dir(w[i]->path);
        rp_writer_abort(w[i]);
    }
    return rc;
}

void rp_writer_abort(rp_writer *w)
{
    if (!w)
        return;
    if (w->f && w->f != stdout)
        fclose(w->f);
    if (w->tmp) {
        unlink(w->tmp);
        free(w->tmp);
    }
    free(w->bak);
    if (w->zs)
        ZSTD_freeCStream(w->zs);
    if (w->gz_init)
        deflateEnd(&w->gz);
    free(w->out);
    free(w->path);
    free(w);
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
