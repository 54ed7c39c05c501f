/*
 * writer.c - outputs written atomically, compressed by their name.
 *
 * Split from input.c. An output goes to PATH.tmp.PID and is renamed over
 * PATH on commit (rp_writer_commit_set renames a set all or nothing). The
 * compression follows the name: .zst (zstd level 3), .gz (gzip level 6),
 * .xz (xz preset 6, CRC64), .bz2 (bzip2 level 9), else none; standard
 * output ("-") is never compressed. With input.c, the only file that
 * includes the codecs' headers.
 */
#include "reprint/input.h"
#include "writer.h"

#include "../common/error.h"
#include "../../util/str.h"

#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define CHUNK ((size_t)1 << 18)

enum { COMP_NONE, COMP_ZSTD, COMP_GZIP, COMP_XZ, COMP_BZ2 };

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
    lzma_stream xz;
    int xz_init;
    bz_stream bz;
    int bz_init;
    unsigned char *out;
    int failed;
    int finished; /* flushed, synced and closed: only the rename is left */
    int renamed;  /* commit_set: renamed over path */
    int had_old;  /* commit_set: path existed before the rename */
    int scratch;  /* rp__writer_scratch: no fsync */
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
    w->path = rp_str_dup(path);
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
        w->path = rp_str_dup(path);
        w->f = w->path ? fopen(path, "wb") : NULL;
        if (!w->path)
            rc = RP_ENOMEM;
        else if (!w->f)
            rc = rp__error_set(err, RP_EIO, path, 0, 0,
                               "cannot open output: %s", strerror(errno));
    } else {
        rc = open_temporary(w, path, err);
    }
    if (rc == RP_OK && w->path && rp_str_ends_with(path, ".zst")) {
        w->comp = COMP_ZSTD;
        w->zs = ZSTD_createCStream();
        if (!w->zs || ZSTD_isError(ZSTD_initCStream(w->zs, 3)))
            rc = RP_ENOMEM;
    } else if (rc == RP_OK && w->path && rp_str_ends_with(path, ".gz")) {
        w->comp = COMP_GZIP;
        if (deflateInit2(&w->gz, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY) != Z_OK)
            rc = RP_ENOMEM;
        else
            w->gz_init = 1;
    } else if (rc == RP_OK && w->path && rp_str_ends_with(path, ".xz")) {
        w->comp = COMP_XZ;
        lzma_stream init = LZMA_STREAM_INIT;
        w->xz = init;
        if (lzma_easy_encoder(&w->xz, 6, LZMA_CHECK_CRC64) != LZMA_OK)
            rc = RP_ENOMEM;
        else
            w->xz_init = 1;
    } else if (rc == RP_OK && w->path && rp_str_ends_with(path, ".bz2")) {
        w->comp = COMP_BZ2;
        memset(&w->bz, 0, sizeof w->bz);
        if (BZ2_bzCompressInit(&w->bz, 9, 0, 0) != BZ_OK)
            rc = RP_ENOMEM;
        else
            w->bz_init = 1;
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
    if (w->comp == COMP_XZ) {
        w->xz.next_in = data;
        w->xz.avail_in = len;
        for (;;) {
            w->xz.next_out = w->out;
            w->xz.avail_out = CHUNK;
            lzma_ret xr = lzma_code(&w->xz, end ? LZMA_FINISH : LZMA_RUN);
            if (xr != LZMA_OK && xr != LZMA_STREAM_END)
                return fail(w, xr == LZMA_MEM_ERROR ? "out of memory"
                                                    : "xz stream error");
            RP_TRY(put_out(w, CHUNK - w->xz.avail_out));
            if (end ? xr == LZMA_STREAM_END : w->xz.avail_in == 0)
                return RP_OK;
        }
    }
    if (w->comp == COMP_BZ2) {
        w->bz.next_in = (char *)(uintptr_t)data;
        w->bz.avail_in = (unsigned)len;
        for (;;) {
            w->bz.next_out = (char *)w->out;
            w->bz.avail_out = (unsigned)CHUNK;
            int br = BZ2_bzCompress(&w->bz, end ? BZ_FINISH : BZ_RUN);
            if (br != BZ_RUN_OK && br != BZ_FINISH_OK && br != BZ_STREAM_END)
                return fail(w, "bzip2 stream error");
            RP_TRY(put_out(w, CHUNK - w->bz.avail_out));
            if (end ? br == BZ_STREAM_END : w->bz.avail_in == 0)
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
    if (!w->failed && w->tmp && !w->scratch && fsync(fileno(w->f)) != 0)
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

void rp__writer_scratch(rp_writer *w)
{
    w->scratch = 1;
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
            if (!w[i]->scratch)
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
    if (w->xz_init)
        lzma_end(&w->xz);
    if (w->bz_init)
        BZ2_bzCompressEnd(&w->bz);
    free(w->out);
    free(w->path);
    free(w);
}

