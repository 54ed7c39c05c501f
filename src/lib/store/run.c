/*
 * run.c - one immutable run file of the index (run.h; layout in
 * reprint/index.h).
 *
 * A run is mapped read-only. Nothing in it is trusted: every offset and
 * count is checked against the file's size before use, the header, the
 * entry table and the block indexes are checksummed and checked when the
 * run is opened, each block of postings when it is first read, each entry
 * when it is read (its own checksum, in index.c). A damaged or crafted run
 * gives an error naming it, never a read outside the map.
 */
#include "run.h"

#include "index.h" /* RP_IX_NO_DAY */
#include "le.h"

#include "../common/error.h"
#include "../../util/buf.h"
#include "../../util/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUN_MAGIC "RPIXRUN"
#define RUN_VERSION 1u
#define IDX_ENTRY 32 /* block index entry: first key, offset, count, sum */

char *rp__run_path(const char *dir, uint64_t id)
{
    char *p = malloc(strlen(dir) + 32);
    if (p)
        sprintf(p, "%s/run-%016llx.rpr", dir, (unsigned long long)id);
    return p;
}

/* ---- reading -------------------------------------------------------------- */

struct rp_run {
    char *path;
    const unsigned char *map;
    size_t size;
    uint64_t n;                  /* entries */
    const unsigned char *table;  /* n x (number, offset), end offset */
    uint64_t npost[2], nblocks[2];
    const unsigned char *index[2];
    uint8_t *checked[2];         /* blocks whose checksum was checked */
};

static int damaged(rp_error *err, const char *path, const char *what)
{
    return rp__error_set(err, RP_EIO, path, 0, 0,
                         "index run is damaged (%s): restore the index from "
                         "a copy, or build it again with reprint index add",
                         what);
}

void rp__run_close(rp_run *r)
{
    if (!r)
        return;
    if (r->map)
        munmap((void *)r->map, r->size);
    free(r->checked[0]);
    free(r->checked[1]);
    free(r->path);
    free(r);
}

/* Is [off, off + len) inside the file? */
static int inside(const rp_run *r, uint64_t off, uint64_t len)
{
    return off <= r->size && len <= r->size - off;
}

static int check_tables(rp_run *r, const rp_run_meta *m, rp_error *err)
{
    const unsigned char *h = r->map;
    if (r->size < RP_RUN_HEAD || memcmp(h, RUN_MAGIC, 8) != 0)
        return damaged(err, r->path, "not a run file");
    if (rp__get32(h + 8) != RUN_VERSION)
        return rp__error_set(err, RP_EVERSION, r->path, 0, 0,
                             "index run of format version %u; this reprint "
                             "reads version %u",
                             rp__get32(h + 8), RUN_VERSION);
    uint64_t sum = rp__get64(h + 88);
    if (sum != rp_hash64(h, 88, 3) || sum != m->headsum)
        return damaged(err, r->path, "header checksum");
    r->n = rp__get64(h + 16);
    uint64_t t = rp__get64(h + 24);
    if (r->n > r->size / 16 || !inside(r, t, r->n * 16 + 16) || t < RP_RUN_HEAD)
        return damaged(err, r->path, "entry table");
    r->table = r->map + t;
    if (rp__get64(r->table + r->n * 16 + 8) !=
        rp_hash64(r->table, r->n * 16 + 8, 4))
        return damaged(err, r->path, "entry table checksum");
    /* numbers ascending, offsets ascending inside [head, table) */
    uint64_t prev_num = 0, prev_off = RP_RUN_HEAD;
    for (uint64_t i = 0; i < r->n; i++) {
        uint64_t num = rp__get64(r->table + 16 * i);
        uint64_t off = rp__get64(r->table + 16 * i + 8);
        if ((i && num <= prev_num) ||
            (i == 0 ? off != RP_RUN_HEAD : off < prev_off) ||
            (i == 0 && num != m->first))
            return damaged(err, r->path, "entry table order");
        prev_num = num;
        prev_off = off;
        uint64_t end = i + 1 < r->n ? rp__get64(r->table + 16 * (i + 1) + 8)
                                    : rp__get64(r->table + 16 * r->n);
        if (end < off || end > t)
            return damaged(err, r->path, "entry offsets");
    }
    if ((r->n ? rp__get64(r->table + 16 * r->n) : (uint64_t)RP_RUN_HEAD) != t ||
        (r->n && prev_num != m->last))
        return damaged(err, r->path, "entry table end");
    for (int l = 0; l < 2; l++) {
        r->npost[l] = rp__get64(h + 32 + 16 * l);
        uint64_t io = rp__get64(h + 40 + 16 * l);
        r->nblocks[l] = (r->npost[l] + RP_RUN_BLOCK - 1) / RP_RUN_BLOCK;
        if (r->npost[l] > r->size / 16 ||
            !inside(r, io, r->nblocks[l] * IDX_ENTRY + 8))
            return damaged(err, r->path, "postings index");
        r->index[l] = r->map + io;
        if (rp__get64(r->index[l] + r->nblocks[l] * IDX_ENTRY) !=
            rp_hash64(r->index[l], r->nblocks[l] * IDX_ENTRY, 5))
            return damaged(err, r->path, "postings index checksum");
        uint64_t left = r->npost[l];
        for (uint64_t b = 0; b < r->nblocks[l]; b++) {
            const unsigned char *e = r->index[l] + b * IDX_ENTRY;
            uint64_t cnt = rp__get32(e + 16);
            uint64_t want = left < RP_RUN_BLOCK ? left : RP_RUN_BLOCK;
            if (cnt != want || !inside(r, rp__get64(e + 8), cnt * 16) ||
                (b && rp__get64(e) < rp__get64(e - IDX_ENTRY)))
                return damaged(err, r->path, "postings blocks");
            left -= cnt;
        }
        r->checked[l] = calloc(r->nblocks[l] + 1, 1);
        if (!r->checked[l])
            return RP_ENOMEM;
    }
    return RP_OK;
}

int rp__run_open(rp_run **out, const char *dir, const rp_run_meta *m,
                 rp_error *err)
{
    *out = NULL;
    rp_run *r = calloc(1, sizeof *r);
    if (!r)
        return RP_ENOMEM;
    r->path = rp__run_path(dir, m->id);
    if (!r->path) {
        free(r);
        return RP_ENOMEM;
    }
    int fd = open(r->path, O_RDONLY | O_CLOEXEC);
    int rc = RP_OK;
    struct stat st;
    if (fd < 0)
        rc = rp__error_set(err, errno == ENOENT ? RP_EMISMATCH : RP_EIO,
                           r->path, 0, 0, "cannot open: %s",
                           strerror(errno));
    else if (fstat(fd, &st) != 0 || (uint64_t)st.st_size != m->size)
        rc = damaged(err, r->path,
                     (uint64_t)st.st_size < m->size ? "truncated"
                                                    : "size changed");
    if (rc == RP_OK && m->size) {
        void *p = mmap(NULL, (size_t)m->size, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED)
            rc = rp__error_set(err, RP_EIO, r->path, 0, 0, "cannot map: %s",
                               strerror(errno));
        else {
            r->map = p;
            r->size = (size_t)m->size;
        }
    }
    if (fd >= 0)
        close(fd);
    if (rc == RP_OK)
        rc = check_tables(r, m, err);
    if (rc != RP_OK) {
        rp__run_close(r);
        return rc;
    }
    *out = r;
    return RP_OK;
}

static int block_ok(rp_run *r, uint32_t level, uint64_t b, rp_error *err)
{
    if (r->checked[level][b])
        return RP_OK;
    const unsigned char *e = r->index[level] + b * IDX_ENTRY;
    const unsigned char *p = r->map + rp__get64(e + 8);
    uint64_t cnt = rp__get32(e + 16);
    if (rp__get64(e + 24) != rp_hash64(p, cnt * 16, 6))
        return damaged(err, r->path, "postings block checksum");
    for (uint64_t i = 0; i < cnt; i++) {
        uint64_t k = rp__get64(p + 16 * i);
        if ((i == 0 && k != rp__get64(e)) ||
            (i && k < rp__get64(p + 16 * (i - 1))))
            return damaged(err, r->path, "postings order");
    }
    r->checked[level][b] = 1;
    return RP_OK;
}

int rp__run_postings(rp_run *r, uint32_t level, uint64_t key, uint64_t *out,
                     size_t cap, size_t *n, size_t *total, rp_error *err)
{
    /* the first block whose first key is >= key; the one before may hold
     * the key's first postings */
    uint64_t lo = 0, hi = r->nblocks[level];
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (rp__get64(r->index[level] + mid * IDX_ENTRY) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (uint64_t b = lo ? lo - 1 : 0; b < r->nblocks[level]; b++) {
        const unsigned char *e = r->index[level] + b * IDX_ENTRY;
        if (rp__get64(e) > key)
            break;
        RP_TRY(block_ok(r, level, b, err));
        const unsigned char *p = r->map + rp__get64(e + 8);
        uint64_t cnt = rp__get32(e + 16);
        for (uint64_t i = 0; i < cnt; i++) {
            uint64_t k = rp__get64(p + 16 * i);
            if (k < key)
                continue;
            if (k > key)
                return RP_OK;
            (*total)++;
            if (*n < cap)
                out[(*n)++] = rp__get64(p + 16 * i + 8);
        }
    }
    return RP_OK;
}

static uint64_t first_key(const rp_run *r, uint32_t level, uint64_t b)
{
    return rp__get64(r->index[level] + b * IDX_ENTRY);
}

int rp__run_walk(rp_run *r, uint32_t level, const uint64_t *keys, size_t nk,
                 int (*emit)(void *ctx, size_t ki, uint64_t number),
                 void *ctx, rp_error *err)
{
    const uint64_t nb = r->nblocks[level];
    uint64_t b = 0;
    for (size_t ki = 0; ki < nk && b < nb; ki++) {
        uint64_t key = keys[ki];
        /* the last block from b on whose first key is below key (or b):
         * galloping, as the keys ascend */
        uint64_t lo = b, hi = b + 1, step = 1;
        while (hi < nb && first_key(r, level, hi) < key) {
            lo = hi;
            step *= 2;
            hi = lo + step;
        }
        if (hi > nb)
            hi = nb;
        while (hi - lo > 1) {
            uint64_t mid = lo + (hi - lo) / 2;
            if (first_key(r, level, mid) < key)
                lo = mid;
            else
                hi = mid;
        }
        b = lo;
        for (uint64_t x = b; x < nb; x++) {
            if (x > b && first_key(r, level, x) > key)
                break;
            RP_TRY(block_ok(r, level, x, err));
            const unsigned char *e = r->index[level] + x * IDX_ENTRY;
            const unsigned char *p = r->map + rp__get64(e + 8);
            uint64_t cnt = rp__get32(e + 16), i = 0, j = cnt;
            while (i < j) { /* the first posting >= key */
                uint64_t mid = i + (j - i) / 2;
                if (rp__get64(p + 16 * mid) < key)
                    i = mid + 1;
                else
                    j = mid;
            }
            for (; i < cnt && rp__get64(p + 16 * i) == key; i++)
                RP_TRY(emit(ctx, ki, rp__get64(p + 16 * i + 8)));
            if (i < cnt)
                break; /* a greater key: done with this one */
        }
    }
    return RP_OK;
}

size_t rp__run_entries(const rp_run *r)
{
    return (size_t)r->n;
}

void rp__run_entry_at(const rp_run *r, size_t i, uint64_t *number,
                      const unsigned char **val, size_t *len)
{
    uint64_t off = rp__get64(r->table + 16 * i + 8);
    uint64_t end = rp__get64(r->table + 16 * (i + 1) + (i + 1 < r->n ? 8 : 0));
    *number = rp__get64(r->table + 16 * i);
    *val = r->map + off;
    *len = (size_t)(end - off);
}

int rp__run_find(rp_run *r, uint64_t number, const unsigned char **val,
                 size_t *len, rp_error *err)
{
    (void)err;
    uint64_t lo = 0, hi = r->n;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (rp__get64(r->table + 16 * mid) < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == r->n || rp__get64(r->table + 16 * lo) != number)
        return 0;
    uint64_t num;
    rp__run_entry_at(r, (size_t)lo, &num, val, len);
    return 1;
}

int rp__run_check(rp_run *r,
                  int (*fn)(void *ctx, uint32_t level, uint64_t number),
                  void *ctx, rp_error *err)
{
    for (uint32_t l = 0; l < 2; l++)
        for (uint64_t b = 0; b < r->nblocks[l]; b++) {
            RP_TRY(block_ok(r, l, b, err));
            const unsigned char *e = r->index[l] + b * IDX_ENTRY;
            const unsigned char *p = r->map + rp__get64(e + 8);
            for (uint64_t i = 0; i < rp__get32(e + 16); i++)
                RP_TRY(fn(ctx, l, rp__get64(p + 16 * i + 8)));
        }
    return RP_OK;
}

/* ---- writing ------------------------------------------------------------- */

typedef struct posting {
    uint64_t key, number;
} posting;

struct rp_run_writer {
    char *dir, *tmp, *path;
    FILE *f;
    uint64_t off;           /* bytes written */
    unsigned char *table;   /* n x (number, offset) */
    size_t n, table_cap;
    posting *post[2];
    size_t npost[2], post_cap[2];
    rp_run_meta m;
};

static int wr(rp_run_writer *w, const void *p, size_t n, rp_error *err)
{
    if (n && fwrite(p, 1, n, w->f) != n)
        return rp__error_set(err, RP_EIO, w->tmp, 0, 0, "cannot write: %s",
                             strerror(errno));
    w->off += n;
    return RP_OK;
}

void rp__run_writer_free(rp_run_writer *w)
{
    if (!w)
        return;
    if (w->f)
        fclose(w->f);
    if (w->tmp)
        remove(w->tmp); /* gone already after a finish */
    free(w->dir);
    free(w->tmp);
    free(w->path);
    free(w->table);
    free(w->post[0]);
    free(w->post[1]);
    free(w);
}

int rp__run_writer_new(rp_run_writer **out, const char *dir, uint64_t id,
                       rp_error *err)
{
    *out = NULL;
    rp_run_writer *w = calloc(1, sizeof *w);
    if (!w)
        return RP_ENOMEM;
    w->path = rp__run_path(dir, id);
    w->tmp = w->path ? malloc(strlen(w->path) + 8) : NULL;
    if (!w->tmp) {
        rp__run_writer_free(w);
        return RP_ENOMEM;
    }
    sprintf(w->tmp, "%s.tmp", w->path);
    w->m.id = id;
    w->m.min_day = w->m.max_day = RP_IX_NO_DAY;
    w->f = fopen(w->tmp, "wbx");
    if (!w->f) {
        int rc = rp__error_set(err, RP_EIO, w->tmp, 0, 0,
                               "cannot create: %s", strerror(errno));
        free(w->tmp);
        w->tmp = NULL; /* not ours to remove */
        rp__run_writer_free(w);
        return rc;
    }
    unsigned char head[RP_RUN_HEAD] = {0}; /* written at the end */
    int rc = wr(w, head, sizeof head, err);
    if (rc != RP_OK) {
        rp__run_writer_free(w);
        return rc;
    }
    *out = w;
    return RP_OK;
}

int rp__run_writer_add(rp_run_writer *w, uint64_t number,
                       const unsigned char *val, size_t len, uint32_t level,
                       int32_t day, const uint64_t *keys, uint32_t nkeys,
                       rp_error *err)
{
    if (rp_vec_grow((void **)&w->table, &w->table_cap, 16 * (w->n + 1), 1))
        return RP_ENOMEM;
    rp__put64(w->table + 16 * w->n, number);
    rp__put64(w->table + 16 * w->n + 8, w->off);
    w->n++;
    RP_TRY(wr(w, val, len, err));
    for (uint32_t k = 0; k < nkeys; k++) {
        posting p = {keys[k], number};
        if (RP_VEC_PUSH(w->post[level], w->npost[level], w->post_cap[level],
                        p))
            return RP_ENOMEM;
    }
    if (!w->m.first)
        w->m.first = number;
    w->m.last = number;
    w->m.count[level]++;
    if (day != RP_IX_NO_DAY) {
        if (w->m.min_day == RP_IX_NO_DAY || day < w->m.min_day)
            w->m.min_day = day;
        if (w->m.max_day == RP_IX_NO_DAY || day > w->m.max_day)
            w->m.max_day = day;
    }
    return RP_OK;
}

uint64_t rp__run_writer_count(const rp_run_writer *w)
{
    return w->n;
}

static int post_cmp(const void *x, const void *y)
{
    const posting *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->number < b->number ? -1 : a->number > b->number;
}

int rp__run_writer_finish(rp_run_writer *w, rp_run_meta *meta, rp_error *err)
{
    unsigned char head[RP_RUN_HEAD] = {0}, b8[8];
    memcpy(head, RUN_MAGIC, 8);
    rp__put32(head + 8, RUN_VERSION);
    rp__put64(head + 16, w->n);
    rp__put64(head + 24, w->off);
    /* the entry table, its end offset, its checksum */
    unsigned char *t = realloc(w->table, 16 * w->n + 16);
    if (!t)
        return RP_ENOMEM;
    w->table = t;
    rp__put64(t + 16 * w->n, w->off);
    rp__put64(t + 16 * w->n + 8, rp_hash64(t, 16 * w->n + 8, 4));
    RP_TRY(wr(w, t, 16 * w->n + 16, err));
    for (int l = 0; l < 2; l++) {
        /* one key twice in a unit (two bands alike) is kept once */
        qsort(w->post[l], w->npost[l], sizeof *w->post[l], post_cmp);
        size_t m = 0;
        for (size_t i = 0; i < w->npost[l]; i++)
            if (!m || post_cmp(&w->post[l][i], &w->post[l][m - 1]) != 0)
                w->post[l][m++] = w->post[l][i];
        w->npost[l] = m;
        size_t nb = (m + RP_RUN_BLOCK - 1) / RP_RUN_BLOCK;
        unsigned char *idx = malloc(nb * IDX_ENTRY + 8);
        unsigned char *blk = malloc(16 * RP_RUN_BLOCK);
        int rc = idx && blk ? RP_OK : RP_ENOMEM;
        for (size_t bi = 0; bi < nb && rc == RP_OK; bi++) {
            size_t first = bi * RP_RUN_BLOCK, cnt = m - first;
            if (cnt > RP_RUN_BLOCK)
                cnt = RP_RUN_BLOCK;
            for (size_t i = 0; i < cnt; i++) {
                rp__put64(blk + 16 * i, w->post[l][first + i].key);
                rp__put64(blk + 16 * i + 8, w->post[l][first + i].number);
            }
            unsigned char *e = idx + bi * IDX_ENTRY;
            rp__put64(e, w->post[l][first].key);
            rp__put64(e + 8, w->off);
            rp__put32(e + 16, (uint32_t)cnt);
            rp__put32(e + 20, 0);
            rp__put64(e + 24, rp_hash64(blk, 16 * cnt, 6));
            rc = wr(w, blk, 16 * cnt, err);
        }
        if (rc == RP_OK) {
            rp__put64(idx + nb * IDX_ENTRY, rp_hash64(idx, nb * IDX_ENTRY, 5));
            rp__put64(head + 32 + 16 * l, m);
            rp__put64(head + 40 + 16 * l, w->off);
            rc = wr(w, idx, nb * IDX_ENTRY + 8, err);
        }
        free(idx);
        free(blk);
        if (rc != RP_OK)
            return rc;
    }
    rp__put32(head + 64, (uint32_t)w->m.min_day);
    rp__put32(head + 68, (uint32_t)w->m.max_day);
    rp__put64(head + 72, w->m.count[0]);
    rp__put64(head + 80, w->m.count[1]);
    uint64_t hs = rp_hash64(head, 88, 3);
    rp__put64(b8, hs);
    memcpy(head + 88, b8, 8);
    if (fflush(w->f) != 0 || fseek(w->f, 0, SEEK_SET) != 0 ||
        fwrite(head, 1, sizeof head, w->f) != sizeof head ||
        fflush(w->f) != 0 || fsync(fileno(w->f)) != 0)
        return rp__error_set(err, RP_EIO, w->tmp, 0, 0, "cannot write: %s",
                             strerror(errno));
    int bad = fclose(w->f) != 0;
    w->f = NULL;
    if (bad || rename(w->tmp, w->path) != 0)
        return rp__error_set(err, RP_EIO, w->path, 0, 0,
                             "cannot put the run in place: %s",
                             strerror(errno));
    w->m.size = w->off;
    w->m.headsum = hs;
    *meta = w->m;
    return RP_OK;
}
