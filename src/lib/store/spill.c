/*
 * spill.c - LSH band keys on disk (spill.h).
 *
 *   rp__spill_write   keys of a range of units -> one run: per band, the
 *                     (key, unit) entries radix-sorted by key (stable, so
 *                     units ascend within a key), written in turn; the
 *                     band's offset, count and XXH3 kept here
 *   merge             at RP_SPILL_FANIN runs, all are merged band by band
 *                     into one (the fan-in stays bounded: open files too)
 *   rp__spill_open    a cursor over one band: a k-way merge of the runs'
 *                     sections, read by pread through a small buffer each,
 *                     ties in run order (= unit order), each section's
 *                     checksum checked at its end
 */
#include "spill.h"

#include "le.h"

#include "../common/error.h"
#include "../../util/hash.h"
#include "../../util/sort.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ENTRY 12                 /* key (8), unit (4) */
#define READ_ENTRIES 4096        /* a cursor's buffer per run */
#define WRITE_BYTES (1u << 20)   /* a run writer's buffer */

typedef struct section {
    uint64_t off, count, sum;
} section;

typedef struct run {
    int fd;
    section *band; /* [bands] */
} run;

struct rp_spill {
    char *dir;
    uint32_t bands;
    run runs[RP_SPILL_FANIN];
    size_t nruns;     /* open now */
    size_t written;   /* runs written by rp__spill_write */
    uint64_t bytes;   /* bytes written, merges included */
    uint64_t next;    /* the unit after the last one written */
    int err_errno;    /* of the last failed read or write */
};

/* ---- writing ------------------------------------------------------------------ */

typedef struct writer {
    int fd;
    uint64_t off;
    unsigned char *buf;
    size_t len;
    XXH3_state_t *st;
    int failed; /* errno */
} writer;

static void w_flush(writer *w)
{
    size_t done = 0;
    while (!w->failed && done < w->len) {
        ssize_t k = write(w->fd, w->buf + done, w->len - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            w->failed = k < 0 ? errno : ENOSPC;
        else
            done += (size_t)k;
    }
    w->off += w->len;
    w->len = 0;
}

static void w_entry(writer *w, uint64_t key, uint64_t unit)
{
    if (w->len + ENTRY > WRITE_BYTES)
        w_flush(w);
    unsigned char *b = w->buf + w->len;
    rp__put64(b, key);
    rp__put32(b + 8, (uint32_t)unit);
    XXH3_64bits_update(w->st, b, ENTRY);
    w->len += ENTRY;
}

/* A private file under dir, unlinked at once: -1 and errno on failure. */
static int private_file(const char *dir)
{
    size_t n = strlen(dir) + 32;
    char *path = malloc(n);
    if (!path) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(path, n, "%s/reprint-spill-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    int e = errno;
    free(path);
    errno = e;
    return fd;
}

static int spill_fail(rp_spill *s, rp_error *err, int e, const char *what)
{
    if (e == ENOMEM)
        return RP_ENOMEM;
    return rp__error_set(err, RP_EIO, s->dir, 0, 0,
                         "spilling band keys (--memory): %s: %s", what,
                         strerror(e));
}

/* A new run; the caller fills its sections through w. */
static int run_begin(rp_spill *s, run *r, writer *w, rp_error *err)
{
    memset(w, 0, sizeof *w);
    r->fd = -1;
    r->band = calloc(s->bands ? s->bands : 1, sizeof *r->band);
    w->buf = malloc(WRITE_BYTES);
    w->st = XXH3_createState();
    if (!r->band || !w->buf || !w->st) {
        free(r->band);
        free(w->buf);
        XXH3_freeState(w->st);
        return RP_ENOMEM;
    }
    r->fd = w->fd = private_file(s->dir);
    if (r->fd < 0) {
        int e = errno;
        free(r->band);
        free(w->buf);
        XXH3_freeState(w->st);
        return spill_fail(s, err, e, "cannot create a file");
    }
    return RP_OK;
}

static void section_begin(writer *w, section *sec)
{
    sec->off = w->off + w->len;
    sec->count = 0;
    XXH3_64bits_reset(w->st);
}

static void section_end(writer *w, section *sec)
{
    sec->sum = XXH3_64bits_digest(w->st);
}

/* Flush and free the writer; on failure, close the run too. */
static int run_end(rp_spill *s, run *r, writer *w, int rc, rp_error *err)
{
    if (rc == RP_OK) {
        w_flush(w);
        s->bytes += w->off;
        if (w->failed)
            rc = spill_fail(s, err, w->failed, "cannot write");
    }
    free(w->buf);
    XXH3_freeState(w->st);
    if (rc != RP_OK) {
        close(r->fd);
        free(r->band);
        r->fd = -1;
        r->band = NULL;
    }
    return rc;
}

static int merge_all(rp_spill *s, rp_error *err);

int rp__spill_write(rp_spill *s, uint64_t first, const uint64_t *keys,
                    size_t n, rp_error *err)
{
    if (first < s->next || first + n > UINT32_MAX)
        return RP_EINVAL;
    if (s->nruns == RP_SPILL_FANIN) {
        int rc = merge_all(s, err);
        if (rc != RP_OK)
            return rc;
    }
    rp_keyed *v = malloc((n ? n : 1) * sizeof *v);
    rp_keyed *tmp = malloc((n ? n : 1) * sizeof *tmp);
    run r;
    writer w;
    int rc = v && tmp ? run_begin(s, &r, &w, err) : RP_ENOMEM;
    if (rc == RP_OK) {
        for (uint32_t b = 0; b < s->bands; b++) {
            for (size_t u = 0; u < n; u++) {
                v[u].key = keys[u * s->bands + b];
                v[u].val = first + u;
            }
            rp_sort_keyed(v, tmp, n); /* stable: units ascend in a key */
            section_begin(&w, &r.band[b]);
            for (size_t u = 0; u < n; u++)
                w_entry(&w, v[u].key, v[u].val);
            r.band[b].count = n;
            section_end(&w, &r.band[b]);
        }
        rc = run_end(s, &r, &w, rc, err);
    }
    free(v);
    free(tmp);
    if (rc == RP_OK) {
        s->runs[s->nruns++] = r;
        s->written++;
        s->next = first + n;
    }
    return rc;
}

/* ---- reading: a k-way merge of one band over the runs ------------------------ */

typedef struct source {
    const run *r;
    uint64_t off, left;      /* in the file, entries not yet buffered */
    unsigned char *buf;
    size_t have, at;         /* entries buffered, next one */
    XXH3_state_t *st;
    uint64_t sum;
    uint64_t key, unit;      /* the current entry */
    int live;
} source;

struct rp_spill_cursor {
    rp_spill *s;
    source src[RP_SPILL_FANIN];
    size_t n;
};

/* The next entry of one section: 1, 0 at its end (checksum checked), or
 * an error. */
static int source_next(rp_spill *s, source *x)
{
    if (x->at == x->have) {
        if (x->left == 0) {
            x->live = 0;
            return XXH3_64bits_digest(x->st) == x->sum ? 0 : RP_EIO;
        }
        size_t want = x->left < READ_ENTRIES ? (size_t)x->left : READ_ENTRIES;
        size_t bytes = want * ENTRY, done = 0;
        while (done < bytes) {
            ssize_t k = pread(x->r->fd, x->buf + done, bytes - done,
                              (off_t)(x->off + done));
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0) {
                s->err_errno = k < 0 ? errno : 0; /* 0: truncated */
                return RP_EIO;
            }
            done += (size_t)k;
        }
        XXH3_64bits_update(x->st, x->buf, bytes);
        x->off += bytes;
        x->left -= want;
        x->have = want;
        x->at = 0;
    }
    const unsigned char *b = x->buf + x->at++ * ENTRY;
    x->key = rp__get64(b);
    x->unit = rp__get32(b + 8);
    return 1;
}

int rp__spill_open(rp_spill *s, uint32_t band, rp_spill_cursor **out)
{
    *out = NULL;
    if (band >= s->bands)
        return RP_EINVAL;
    rp_spill_cursor *c = calloc(1, sizeof *c);
    if (!c)
        return RP_ENOMEM;
    c->s = s;
    int rc = RP_OK;
    for (size_t i = 0; i < s->nruns && rc == RP_OK; i++) {
        source *x = &c->src[c->n++];
        x->r = &s->runs[i];
        x->off = s->runs[i].band[band].off;
        x->left = s->runs[i].band[band].count;
        x->sum = s->runs[i].band[band].sum;
        x->buf = malloc(READ_ENTRIES * ENTRY);
        x->st = XXH3_createState();
        if (!x->buf || !x->st) {
            rc = RP_ENOMEM;
            break;
        }
        XXH3_64bits_reset(x->st);
        x->live = 1;
        int r2 = source_next(s, x);
        if (r2 < 0)
            rc = r2;
    }
    if (rc != RP_OK) {
        rp__spill_close(c);
        return rc;
    }
    *out = c;
    return RP_OK;
}

int rp__spill_next(rp_spill_cursor *c, uint64_t *key, uint64_t *unit)
{
    source *best = NULL;
    for (size_t i = 0; i < c->n; i++) { /* earlier runs win ties */
        source *x = &c->src[i];
        if (x->live && (!best || x->key < best->key))
            best = x;
    }
    if (!best)
        return 0;
    *key = best->key;
    *unit = best->unit;
    int rc = source_next(c->s, best);
    return rc < 0 ? rc : 1;
}

void rp__spill_close(rp_spill_cursor *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->src[i].buf);
        XXH3_freeState(c->src[i].st);
    }
    free(c);
}

int rp__spill_error(const rp_spill *s, int rc, rp_error *err)
{
    if (rc != RP_EIO)
        return rc;
    if (s->err_errno)
        return rp__error_set(err, RP_EIO, s->dir, 0, 0,
                             "reading spilled band keys back: %s",
                             strerror(s->err_errno));
    return rp__error_set(err, RP_EIO, s->dir, 0, 0,
                         "spilled band keys read back damaged or truncated "
                         "(checksum mismatch): the disk or the folder's "
                         "files were changed during the run");
}

/* Every open run into one, band by band. */
static int merge_all(rp_spill *s, rp_error *err)
{
    run r;
    writer w;
    int rc = run_begin(s, &r, &w, err);
    if (rc != RP_OK)
        return rc;
    for (uint32_t b = 0; rc == RP_OK && b < s->bands; b++) {
        rp_spill_cursor *c = NULL;
        rc = rp__spill_open(s, b, &c);
        section_begin(&w, &r.band[b]);
        uint64_t key, unit;
        int got;
        while (rc == RP_OK && (got = rp__spill_next(c, &key, &unit)) != 0) {
            if (got < 0) {
                rc = got;
                break;
            }
            w_entry(&w, key, unit);
            r.band[b].count++;
        }
        section_end(&w, &r.band[b]);
        rp__spill_close(c);
    }
    if (rc == RP_EIO && !w.failed)
        rc = rp__spill_error(s, rc, err);
    rc = run_end(s, &r, &w, rc, err);
    if (rc != RP_OK)
        return rc;
    for (size_t i = 0; i < s->nruns; i++) {
        close(s->runs[i].fd);
        free(s->runs[i].band);
    }
    s->runs[0] = r;
    s->nruns = 1;
    return RP_OK;
}

/* ---- the set ------------------------------------------------------------------ */

int rp__spill_new(rp_spill **out, const char *dir, uint32_t bands,
                  rp_error *err)
{
    (void)err;
    *out = NULL;
    rp_spill *s = calloc(1, sizeof *s);
    const char *d = dir && *dir ? dir : getenv("TMPDIR");
    if (!d || !*d)
        d = "/tmp";
    if (!s || !(s->dir = malloc(strlen(d) + 1))) {
        free(s);
        return RP_ENOMEM;
    }
    memcpy(s->dir, d, strlen(d) + 1);
    s->bands = bands;
    *out = s;
    return RP_OK;
}

void rp__spill_free(rp_spill *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nruns; i++) {
        close(s->runs[i].fd);
        free(s->runs[i].band);
    }
    free(s->dir);
    free(s);
}

size_t rp__spill_runs(const rp_spill *s)
{
    return s ? s->written : 0;
}

uint64_t rp__spill_bytes(const rp_spill *s)
{
    return s ? s->bytes : 0;
}

int rp__spill_fd(const rp_spill *s, size_t i)
{
    return s && i < s->nruns ? s->runs[i].fd : -1;
}
