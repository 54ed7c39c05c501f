/*
 * index.c - the persistent index: a manifest naming immutable run files
 * (index.h; layout in reprint/index.h).
 *
 * Chosen by measurement (bench/README.md, "Index store"): against LMDB
 * and RocksDB at 5 x 10^6 entries, sorted run files kept a flat add time
 * (LMDB's grew 14x, RocksDB's was 5-25x slower), the least disk, eviction
 * by dropping files, and a clear error on every damaged file where LMDB
 * crashed on a truncated one.
 *
 * A commit writes the new run to a temporary file, fsyncs and renames it,
 * then writes the manifest the same way: the rename of the manifest is the
 * commit, so after kill -9 at any moment the index opens at the previous
 * generation or the new one. Readers read the manifest once and map the
 * runs it names (never changed once written); a writer holds an exclusive
 * lock on INDEX/lock, so a second writer waits. Runs a commit drops are
 * removed after it; a reader that finds one gone reads the manifest again.
 */
#include "index.h"

#include "le.h"
#include "run.h"

#include "../common/error.h"
#include "../../util/buf.h"
#include "../../util/hash.h"
#include "../../util/str.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAN_MAGIC "RPIXMAN"
#define IX_VERSION 1u
#define PARAMS_LEN 84
#define STATE_LEN 48
#define MAN_HEAD (16 + PARAMS_LEN + STATE_LEN)
#define MAN_RUN 72
#define ENTRY_HEAD 88

typedef struct ix_run {
    rp_run_meta m;
    rp_run *r;
    int dropped; /* by this writer's evictions */
} ix_run;

struct rp_ix {
    char *path;
    int write, lock_fd;
    rp_ix_params p;
    rp_ix_state s;
    ix_run *runs;
    size_t nruns;
    rp_run_writer *w; /* the run this writer adds, once it puts */
};

static int corrupt(rp_error *err, const char *path, const char *what)
{
    return rp__error_set(err, RP_EIO, path, 0, 0,
                         "index is damaged (%s): restore it from a copy, "
                         "or build it again with reprint index add",
                         what);
}

/* ---- the small records: params, state ---------------------------------- */

static void params_encode(unsigned char *b, const rp_ix_params *p)
{
    rp__put32(b, p->sign.shingle);
    rp__put32(b + 4, p->sign.char_mode);
    rp__put32(b + 8, p->sign.num_perm);
    rp__put32(b + 12, p->sign.min_para_tokens);
    rp__put32(b + 16, p->sign.paragraphs);
    rp__put64(b + 20, p->sign.seed);
    for (int l = 0; l < 2; l++) {
        rp__put32(b + 28 + 8 * l, p->bands[l]);
        rp__put32(b + 32 + 8 * l, p->rows[l]);
        rp__putf64(b + 44 + 8 * l, p->threshold[l]);
    }
    rp__put32(b + 60, p->verify);
    memset(b + 64, 0, 12);
    rp__put64(b + 76, rp_hash64(b, 76, 0));
}

static int params_decode(rp_ix_params *p, const unsigned char *b)
{
    if (rp__get64(b + 76) != rp_hash64(b, 76, 0))
        return 0;
    memset(p, 0, sizeof *p);
    p->sign.version = RP_SIGN_OPTIONS_VERSION;
    p->sign.shingle = rp__get32(b);
    p->sign.char_mode = rp__get32(b + 4);
    p->sign.num_perm = rp__get32(b + 8);
    p->sign.min_para_tokens = rp__get32(b + 12);
    p->sign.paragraphs = rp__get32(b + 16);
    p->sign.seed = rp__get64(b + 20);
    for (int l = 0; l < 2; l++) {
        p->bands[l] = rp__get32(b + 28 + 8 * l);
        p->rows[l] = rp__get32(b + 32 + 8 * l);
        p->threshold[l] = rp__getf64(b + 44 + 8 * l);
    }
    p->verify = rp__get32(b + 60);
    for (int l = 0; l < 2; l++) /* bands 0: the level is off */
        if (p->bands[l] && (p->rows[l] == 0 || p->bands[l] > 4096 ||
                            (uint64_t)p->bands[l] * p->rows[l] >
                                p->sign.num_perm))
            return 0;
    return (p->bands[0] || p->bands[1]) && p->sign.num_perm > 0 &&
           p->sign.num_perm <= 4096 && p->sign.shingle > 0;
}

static void state_encode(unsigned char *b, const rp_ix_state *s)
{
    rp__put64(b, s->generation);
    rp__put64(b + 8, s->next);
    rp__put64(b + 16, s->count[0]);
    rp__put64(b + 24, s->count[1]);
    rp__put32(b + 32, (uint32_t)s->newest_day);
    rp__put32(b + 36, (uint32_t)s->window_days);
    rp__put64(b + 40, rp_hash64(b, 40, 1));
}

static int state_decode(rp_ix_state *s, const unsigned char *b)
{
    if (rp__get64(b + 40) != rp_hash64(b, 40, 1))
        return 0;
    s->generation = rp__get64(b);
    s->next = rp__get64(b + 8);
    s->count[0] = rp__get64(b + 16);
    s->count[1] = rp__get64(b + 24);
    s->newest_day = (int32_t)rp__get32(b + 32);
    s->window_days = (int32_t)rp__get32(b + 36);
    return s->next >= 1;
}

/* ---- the manifest ---------------------------------------------------------- */

static void run_encode(unsigned char *b, const rp_run_meta *m)
{
    rp__put64(b, m->id);
    rp__put64(b + 8, m->size);
    rp__put64(b + 16, m->headsum);
    rp__put64(b + 24, m->first);
    rp__put64(b + 32, m->last);
    rp__put64(b + 40, m->count[0]);
    rp__put64(b + 48, m->count[1]);
    rp__put32(b + 56, (uint32_t)m->min_day);
    rp__put32(b + 60, (uint32_t)m->max_day);
    rp__put64(b + 64, 0);
}

static void run_decode(rp_run_meta *m, const unsigned char *b)
{
    m->id = rp__get64(b);
    m->size = rp__get64(b + 8);
    m->headsum = rp__get64(b + 16);
    m->first = rp__get64(b + 24);
    m->last = rp__get64(b + 32);
    m->count[0] = rp__get64(b + 40);
    m->count[1] = rp__get64(b + 48);
    m->min_day = (int32_t)rp__get32(b + 56);
    m->max_day = (int32_t)rp__get32(b + 60);
}

static void close_runs(rp_ix *ix)
{
    for (size_t i = 0; i < ix->nruns; i++)
        rp__run_close(ix->runs[i].r);
    free(ix->runs);
    ix->runs = NULL;
    ix->nruns = 0;
}

/* Read the manifest and open its runs. RP_EMISMATCH: a run it names is
 * gone (a writer dropped it since): read again. */
static int read_manifest(rp_ix *ix, rp_error *err)
{
    char *name = rp_str_join(ix->path, "manifest");
    if (!name)
        return RP_ENOMEM;
    FILE *f = fopen(name, "rb");
    int rc = RP_OK;
    rp_buf b = {0};
    if (!f) {
        int e = errno;
        struct stat st;
        rc = stat(ix->path, &st) == 0 && S_ISDIR(st.st_mode) && e == ENOENT
                 ? corrupt(err, ix->path, "no manifest: not a reprint index")
                 : rp__error_set(err, RP_EIO, ix->path, 0, 0,
                                 "no index here (make one with reprint "
                                 "index create)");
    } else {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && rc == RP_OK)
            if (b.len > ((size_t)64 << 20) || rp_buf_put(&b, chunk, n))
                rc = b.len > ((size_t)64 << 20) ? corrupt(err, ix->path,
                                                          "manifest size")
                                                : RP_ENOMEM;
        if (rc == RP_OK && ferror(f))
            rc = rp__error_set(err, RP_EIO, name, 0, 0, "cannot read: %s",
                               strerror(errno));
        fclose(f);
    }
    free(name);
    const unsigned char *m = (const unsigned char *)b.data;
    if (rc == RP_OK && (b.len < MAN_HEAD + 8 || memcmp(m, MAN_MAGIC, 8) != 0))
        rc = corrupt(err, ix->path, "not a reprint index manifest");
    if (rc == RP_OK && rp__get32(m + 8) != IX_VERSION)
        rc = rp__error_set(err, RP_EVERSION, ix->path, 0, 0,
                           "index format version %u; this reprint reads "
                           "version %u",
                           rp__get32(m + 8), IX_VERSION);
    uint64_t nr = rc == RP_OK ? rp__get32(m + 12) : 0;
    if (rc == RP_OK && (b.len != MAN_HEAD + nr * MAN_RUN + 8 ||
                        rp__get64(m + b.len - 8) !=
                            rp_hash64(m, b.len - 8, 7)))
        rc = corrupt(err, ix->path, "manifest checksum");
    if (rc == RP_OK && !params_decode(&ix->p, m + 16))
        rc = corrupt(err, ix->path, "parameters");
    if (rc == RP_OK && !state_decode(&ix->s, m + 16 + PARAMS_LEN))
        rc = corrupt(err, ix->path, "state");
    if (rc == RP_OK) {
        ix->runs = calloc(nr + 1, sizeof *ix->runs);
        if (!ix->runs)
            rc = RP_ENOMEM;
    }
    uint64_t last = 0;
    for (uint64_t i = 0; i < nr && rc == RP_OK; i++) {
        ix_run *x = &ix->runs[ix->nruns];
        run_decode(&x->m, m + MAN_HEAD + i * MAN_RUN);
        if (x->m.first <= last || x->m.last < x->m.first ||
            x->m.last >= ix->s.next) {
            rc = corrupt(err, ix->path, "run numbers");
            break;
        }
        last = x->m.last;
        rc = rp__run_open(&x->r, ix->path, &x->m, err);
        if (rc == RP_OK)
            ix->nruns++;
    }
    rp_buf_dispose(&b);
    if (rc != RP_OK)
        close_runs(ix);
    return rc;
}

static int write_manifest(rp_ix *ix, rp_error *err)
{
    size_t live = 0;
    for (size_t i = 0; i < ix->nruns; i++)
        live += !ix->runs[i].dropped;
    size_t len = MAN_HEAD + live * MAN_RUN + 8;
    unsigned char *b = calloc(1, len);
    char *name = rp_str_join(ix->path, "manifest");
    char *tmp = rp_str_join(ix->path, "manifest.tmp");
    int rc = b && name && tmp ? RP_OK : RP_ENOMEM;
    if (rc == RP_OK) {
        memcpy(b, MAN_MAGIC, 8);
        rp__put32(b + 8, IX_VERSION);
        rp__put32(b + 12, (uint32_t)live);
        params_encode(b + 16, &ix->p);
        state_encode(b + 16 + PARAMS_LEN, &ix->s);
        size_t k = 0;
        for (size_t i = 0; i < ix->nruns; i++)
            if (!ix->runs[i].dropped)
                run_encode(b + MAN_HEAD + MAN_RUN * k++, &ix->runs[i].m);
        rp__put64(b + len - 8, rp_hash64(b, len - 8, 7));
        FILE *f = fopen(tmp, "wb");
        int ok = f && fwrite(b, 1, len, f) == len && fflush(f) == 0 &&
                 fsync(fileno(f)) == 0;
        if (f && fclose(f) != 0)
            ok = 0;
        if (!ok || rename(tmp, name) != 0) {
            rc = rp__error_set(err, RP_EIO, ix->path, 0, 0,
                               "cannot write the manifest: %s",
                               strerror(errno));
            remove(tmp);
        } else {
            int dfd = open(ix->path, O_RDONLY | O_DIRECTORY);
            if (dfd >= 0) { /* the renames themselves durable */
                fsync(dfd);
                close(dfd);
            }
        }
    }
    free(b);
    free(name);
    free(tmp);
    return rc;
}

/* A writer's first task: temporaries and runs no manifest names are left
 * by a writer that was killed. */
static void clean(rp_ix *ix)
{
    DIR *d = opendir(ix->path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *n = e->d_name;
        size_t len = strlen(n);
        int tmp = len > 4 && strcmp(n + len - 4, ".tmp") == 0;
        int run = strncmp(n, "run-", 4) == 0 && len == 24 &&
                  strcmp(n + 20, ".rpr") == 0;
        if (run) {
            unsigned long long id = strtoull(n + 4, NULL, 16);
            for (size_t i = 0; i < ix->nruns && run; i++)
                run = ix->runs[i].m.id != id;
        }
        if (tmp || run) {
            char *p = rp_str_join(ix->path, n);
            if (p)
                remove(p);
            free(p);
        }
    }
    closedir(d);
}

/* ---- open and close ----------------------------------------------------- */

void rp__ix_close(rp_ix *ix)
{
    if (!ix)
        return;
    rp__run_writer_free(ix->w);
    close_runs(ix);
    if (ix->lock_fd >= 0)
        close(ix->lock_fd); /* and the lock with it */
    free(ix->path);
    free(ix);
}

int rp__ix_open(rp_ix **out, const char *path, int write, rp_error *err)
{
    *out = NULL;
    rp_ix *ix = calloc(1, sizeof *ix);
    if (!ix)
        return RP_ENOMEM;
    ix->lock_fd = -1;
    ix->write = write;
    ix->path = malloc(strlen(path) + 1);
    if (!ix->path) {
        free(ix);
        return RP_ENOMEM;
    }
    strcpy(ix->path, path);
    int rc = RP_OK;
    if (write) {
        char *lk = rp_str_join(path, "lock");
        struct stat st;
        if (!lk)
            rc = RP_ENOMEM;
        else if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            rc = rp__error_set(err, RP_EIO, path, 0, 0,
                               "no index here (make one with reprint index "
                               "create)");
        else if ((ix->lock_fd = open(lk, O_RDWR | O_CREAT | O_CLOEXEC,
                                     0644)) < 0 ||
                 flock(ix->lock_fd, LOCK_EX) != 0)
            rc = rp__error_set(err, RP_EIO, path, 0, 0,
                               "cannot lock the index: %s", strerror(errno));
        free(lk);
    }
    /* a run named by the manifest read may be dropped by a writer before
     * it is opened: read the new manifest */
    for (int tries = 0; rc == RP_OK; tries++) {
        rc = read_manifest(ix, err);
        if (rc != RP_EMISMATCH || write || tries == 8)
            break;
        rc = RP_OK;
    }
    if (rc == RP_EMISMATCH) /* a run the manifest names is missing */
        rc = corrupt(err, path, "a run file is missing");
    if (rc == RP_OK && write)
        clean(ix);
    if (rc != RP_OK) {
        rp__ix_close(ix);
        return rc;
    }
    *out = ix;
    return RP_OK;
}

int rp__ix_create(const char *path, const rp_ix_params *p, rp_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return rp__error_set(err, RP_EINVAL, path, 0, 0,
                             "already exists: an index is made in a new "
                             "directory");
    /* made under a temporary name, renamed when complete */
    char *tmp = malloc(strlen(path) + 32);
    if (!tmp)
        return RP_ENOMEM;
    sprintf(tmp, "%s.tmp-%ld", path, (long)getpid());
    int rc = RP_OK;
    if (mkdir(tmp, 0755) != 0)
        rc = rp__error_set(err, RP_EIO, path, 0, 0, "cannot make %s: %s",
                           tmp, strerror(errno));
    rp_ix ix;
    memset(&ix, 0, sizeof ix);
    ix.path = tmp;
    ix.p = *p;
    ix.s.next = 1;
    ix.s.newest_day = RP_IX_NO_DAY;
    if (rc == RP_OK)
        rc = write_manifest(&ix, err);
    if (rc == RP_OK && rename(tmp, path) != 0)
        rc = rp__error_set(err, RP_EIO, path, 0, 0, "cannot rename %s: %s",
                           tmp, strerror(errno));
    if (rc != RP_OK) {
        char *f = rp_str_join(tmp, "manifest");
        if (f)
            remove(f);
        free(f);
        rmdir(tmp);
    }
    free(tmp);
    return rc;
}

const char *rp__ix_path(const rp_ix *ix) { return ix->path; }
const rp_ix_params *rp__ix_params(const rp_ix *ix) { return &ix->p; }
const rp_ix_state *rp__ix_state(const rp_ix *ix) { return &ix->s; }

/* ---- postings and entries ---------------------------------------------- */

int rp__ix_postings(rp_ix *ix, uint32_t level, uint64_t key, uint64_t *out,
                    size_t cap, size_t *n, size_t *total, rp_error *err)
{
    *n = *total = 0;
    for (size_t i = 0; i < ix->nruns; i++)
        if (!ix->runs[i].dropped)
            RP_TRY(rp__run_postings(ix->runs[i].r, level, key, out, cap, n,
                                    total, err));
    return RP_OK;
}

int rp__ix_walk(rp_ix *ix, uint32_t level, const uint64_t *keys, size_t nk,
                int (*emit)(void *ctx, size_t ki, uint64_t number), void *ctx,
                rp_error *err)
{
    for (size_t i = 0; i < ix->nruns; i++)
        if (!ix->runs[i].dropped)
            RP_TRY(rp__run_walk(ix->runs[i].r, level, keys, nk, emit, ctx,
                                err));
    return RP_OK;
}

/* A value's lengths add up, from the head on; 0 if not. */
static int entry_decode(rp_ix_entry *e, uint64_t number,
                        const unsigned char *b, size_t size)
{
    if (size < ENTRY_HEAD || rp__get64(b) != rp_hash64(b + 8, size - 8, 2))
        return 0;
    memset(e, 0, sizeof *e);
    e->number = number;
    e->level = rp__get32(b + 8);
    e->day = (int32_t)rp__get32(b + 12);
    e->date.start = (int64_t)rp__get64(b + 16);
    e->date.millis = rp__get32(b + 24);
    e->date.precision = b[28];
    e->date.flags = b[29];
    e->content = rp__get64(b + 32);
    e->line = rp__get64(b + 40);
    e->offset = rp__get64(b + 48);
    e->para = rp__get32(b + 56);
    e->span[0] = rp__get32(b + 60);
    e->span[1] = rp__get32(b + 64);
    e->id_len = rp__get32(b + 68);
    e->file_len = rp__get32(b + 72);
    e->nset = rp__get32(b + 76);
    e->nsig = rp__get32(b + 80);
    e->nkeys = rp__get32(b + 84);
    uint64_t need = (uint64_t)ENTRY_HEAD + e->id_len + e->file_len +
                    8 * (uint64_t)e->nset + 4 * (uint64_t)e->nsig +
                    8 * (uint64_t)e->nkeys;
    if (need != size || e->level > 1)
        return 0;
    const unsigned char *p = b + ENTRY_HEAD;
    e->id = (const char *)p;
    p += e->id_len;
    e->file = (const char *)p;
    p += e->file_len;
    e->set = p;
    p += 8 * (size_t)e->nset;
    e->sig = p;
    p += 4 * (size_t)e->nsig;
    e->keys = p;
    return 1;
}

static int check_entry(const rp_ix *ix, const rp_ix_entry *e, rp_error *err)
{
    if (e->nkeys != ix->p.bands[e->level] ||
        e->nsig != (ix->p.verify ? 0 : ix->p.sign.num_perm))
        return corrupt(err, ix->path, "an entry's sizes");
    return RP_OK;
}

int rp__ix_get(rp_ix *ix, uint64_t number, rp_ix_entry *e, rp_error *err)
{
    /* runs hold ascending, disjoint ranges of numbers */
    size_t lo = 0, hi = ix->nruns;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->runs[mid].m.last < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    const unsigned char *v;
    size_t len;
    int f = lo < ix->nruns && ix->runs[lo].m.first <= number
                ? rp__run_find(ix->runs[lo].r, number, &v, &len, err)
                : 0;
    if (f < 0)
        return f;
    if (f == 0)
        return corrupt(err, ix->path, "a posting names no entry");
    if (!entry_decode(e, number, v, len))
        return corrupt(err, ix->path, "an entry's checksum or lengths");
    return check_entry(ix, e, err);
}

int rp__ix_put(rp_ix *ix, const rp_ix_entry *e, const uint64_t *set,
               const uint32_t *sig, const uint64_t *keys, rp_error *err)
{
    if (!ix->write)
        return RP_EINVAL;
    if (!ix->w)
        RP_TRY(rp__run_writer_new(&ix->w, ix->path, ix->s.generation + 1,
                                  err));
    size_t len = ENTRY_HEAD + (size_t)e->id_len + e->file_len +
                 8 * (size_t)e->nset + 4 * (size_t)e->nsig +
                 8 * (size_t)e->nkeys;
    unsigned char *b = malloc(len);
    if (!b)
        return RP_ENOMEM;
    uint64_t number = ix->s.next;
    rp__put32(b + 8, e->level);
    rp__put32(b + 12, (uint32_t)e->day);
    rp__put64(b + 16, (uint64_t)e->date.start);
    rp__put32(b + 24, e->date.millis);
    b[28] = e->date.precision;
    b[29] = e->date.flags;
    b[30] = b[31] = 0;
    rp__put64(b + 32, e->content);
    rp__put64(b + 40, e->line);
    rp__put64(b + 48, e->offset);
    rp__put32(b + 56, e->para);
    rp__put32(b + 60, e->span[0]);
    rp__put32(b + 64, e->span[1]);
    rp__put32(b + 68, e->id_len);
    rp__put32(b + 72, e->file_len);
    rp__put32(b + 76, e->nset);
    rp__put32(b + 80, e->nsig);
    rp__put32(b + 84, e->nkeys);
    unsigned char *p = b + ENTRY_HEAD;
    memcpy(p, e->id, e->id_len);
    p += e->id_len;
    memcpy(p, e->file, e->file_len);
    p += e->file_len;
    for (uint32_t i = 0; i < e->nset; i++, p += 8)
        rp__put64(p, set[i]);
    for (uint32_t i = 0; i < e->nsig; i++, p += 4)
        rp__put32(p, sig[i]);
    for (uint32_t i = 0; i < e->nkeys; i++, p += 8)
        rp__put64(p, keys[i]);
    rp__put64(b, rp_hash64(b + 8, len - 8, 2));
    int rc = rp__run_writer_add(ix->w, number, b, len, e->level, e->day,
                                keys, e->nkeys, err);
    free(b);
    if (rc != RP_OK)
        return rc;
    ix->s.next++;
    ix->s.count[e->level]++;
    if (e->day != RP_IX_NO_DAY &&
        (ix->s.newest_day == RP_IX_NO_DAY || e->day > ix->s.newest_day))
        ix->s.newest_day = e->day;
    return RP_OK;
}

/* Runs whose every dated entry is older than cutoff go (a run of undated
 * entries only stays); older entries of other runs are out of the window
 * when matched (dedup/against.c) and go at the next compaction. */
int rp__ix_evict(rp_ix *ix, int32_t cutoff, uint64_t *evicted, rp_error *err)
{
    (void)err;
    *evicted = 0;
    for (size_t i = 0; i < ix->nruns; i++) {
        ix_run *x = &ix->runs[i];
        if (x->dropped || x->m.max_day == RP_IX_NO_DAY ||
            x->m.max_day >= cutoff)
            continue;
        x->dropped = 1;
        for (int l = 0; l < 2; l++) {
            ix->s.count[l] -= x->m.count[l] <= ix->s.count[l]
                                  ? x->m.count[l]
                                  : ix->s.count[l];
            *evicted += x->m.count[l];
        }
    }
    return RP_OK;
}

void rp__ix_set_window(rp_ix *ix, int32_t window_days)
{
    ix->s.window_days = window_days;
}

int rp__ix_commit(rp_ix *ix, rp_error *err)
{
    if (!ix->write)
        return RP_EINVAL;
    if (ix->w && rp__run_writer_count(ix->w)) {
        rp_run_meta m;
        RP_TRY(rp__run_writer_finish(ix->w, &m, err));
        ix_run *r = realloc(ix->runs, (ix->nruns + 1) * sizeof *r);
        if (!r)
            return RP_ENOMEM;
        ix->runs = r;
        memset(&ix->runs[ix->nruns], 0, sizeof *ix->runs);
        ix->runs[ix->nruns++].m = m;
    }
    ix->s.generation++;
    RP_TRY(write_manifest(ix, err));
    /* committed: the dropped runs' files go (readers of the old manifest
     * read the new one when they miss one) */
    for (size_t i = 0; i < ix->nruns; i++)
        if (ix->runs[i].dropped) {
            char *p = rp__run_path(ix->path, ix->runs[i].m.id);
            if (p)
                remove(p);
            free(p);
        }
    return RP_OK;
}

typedef struct check_ctx {
    rp_ix *ix;
    rp_run *run;
    rp_error *err;
} check_ctx;

static int check_posting(void *ctx, uint32_t level, uint64_t number)
{
    check_ctx *c = ctx;
    const unsigned char *v;
    size_t len;
    int f = rp__run_find(c->run, number, &v, &len, c->err);
    if (f < 0)
        return f;
    rp_ix_entry e;
    if (f == 0 || !entry_decode(&e, number, v, len) || e.level != level)
        return corrupt(c->err, c->ix->path, "a posting names no entry");
    return RP_OK;
}

/* Entry k of run r, decoded and checked; its stored bytes in *v, *len. */
static int entry_at(const rp_ix *ix, const rp_run *r, size_t k,
                    rp_ix_entry *e, const unsigned char **v, size_t *len,
                    rp_error *err)
{
    uint64_t num;
    rp__run_entry_at(r, k, &num, v, len);
    if (!entry_decode(e, num, *v, *len))
        return corrupt(err, ix->path, "an entry's checksum or lengths");
    return check_entry(ix, e, err);
}

int rp__ix_check(rp_ix *ix, uint64_t *checked, rp_error *err)
{
    *checked = 0;
    uint64_t count[2] = {0, 0};
    for (size_t i = 0; i < ix->nruns; i++) {
        rp_run *r = ix->runs[i].r;
        uint64_t rc_count[2] = {0, 0};
        for (size_t k = 0; k < rp__run_entries(r); k++) {
            const unsigned char *v;
            size_t len;
            rp_ix_entry e;
            RP_TRY(entry_at(ix, r, k, &e, &v, &len, err));
            rc_count[e.level]++;
            (*checked)++;
        }
        if (rc_count[0] != ix->runs[i].m.count[0] ||
            rc_count[1] != ix->runs[i].m.count[1])
            return corrupt(err, ix->path, "a run's counts");
        count[0] += rc_count[0];
        count[1] += rc_count[1];
        check_ctx c = {ix, r, err};
        RP_TRY(rp__run_check(r, check_posting, &c, err));
    }
    if (count[0] != ix->s.count[0] || count[1] != ix->s.count[1])
        return corrupt(err, ix->path, "entry counts");
    return RP_OK;
}

/*
 * Merge every run into one, without the entries dated before cutoff
 * (INT32_MIN: none): fewer runs to search, the space of the out-of-window
 * entries back. Numbers are kept. One commit, as an add.
 */
int rp__ix_compact(rp_ix *ix, int32_t cutoff, uint64_t *dropped,
                   rp_error *err)
{
    *dropped = 0;
    if (!ix->write)
        return RP_EINVAL;
    if (!ix->w)
        RP_TRY(rp__run_writer_new(&ix->w, ix->path, ix->s.generation + 1,
                                  err));
    uint64_t count[2] = {0, 0};
    int32_t newest = RP_IX_NO_DAY;
    for (size_t i = 0; i < ix->nruns; i++) {
        rp_run *r = ix->runs[i].r;
        for (size_t k = 0; k < rp__run_entries(r); k++) {
            const unsigned char *v;
            size_t len;
            rp_ix_entry e;
            RP_TRY(entry_at(ix, r, k, &e, &v, &len, err));
            if (e.day != RP_IX_NO_DAY && e.day < cutoff) {
                (*dropped)++;
                continue;
            }
            uint64_t *keys = malloc((e.nkeys + 1) * sizeof *keys);
            if (!keys)
                return RP_ENOMEM;
            for (uint32_t b = 0; b < e.nkeys; b++)
                keys[b] = rp__get64(e.keys + 8 * (size_t)b);
            int rc = rp__run_writer_add(ix->w, e.number, v, len, e.level,
                                        e.day, keys, e.nkeys, err);
            free(keys);
            RP_TRY(rc);
            count[e.level]++;
            if (e.day != RP_IX_NO_DAY && (newest == RP_IX_NO_DAY ||
                                          e.day > newest))
                newest = e.day;
        }
        ix->runs[i].dropped = 1;
    }
    ix->s.count[0] = count[0];
    ix->s.count[1] = count[1];
    if (newest != RP_IX_NO_DAY)
        ix->s.newest_day = newest;
    return rp__ix_commit(ix, err);
}

uint64_t rp__ix_disk_bytes(const rp_ix *ix)
{
    uint64_t n = 0;
    for (size_t i = 0; i < ix->nruns; i++)
        n += ix->runs[i].m.size;
    return n;
}

int32_t rp__ix_day(const rp_date *d)
{
    if (d->precision == RP_DATE_UNKNOWN)
        return RP_IX_NO_DAY;
    int64_t s = d->start;
    int64_t day = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    if (day <= INT32_MIN || day > INT32_MAX)
        return RP_IX_NO_DAY;
    return (int32_t)day;
}
