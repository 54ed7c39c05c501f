/*
 * index.c - the persistent index on LMDB (index.h; byte layout in
 * reprint/index.h).
 *
 * LMDB gives what the index must guarantee and is not written here: a
 * commit is atomic and durable (copy-on-write B+trees, two meta pages), so
 * after kill -9 at any moment the index opens at its last committed
 * generation; readers see one snapshot beside one writer. What LMDB does
 * not check, this file does: every value carries an XXH3 checksum and its
 * lengths are checked before use, the data file's size is checked against
 * the last page LMDB will read (a truncated file would fault in the map),
 * and the format record is checked before anything else is read.
 */
#include "index.h"

#include "../common/error.h"
#include "../../util/hash.h"

#include <errno.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IX_MAGIC "RPINDEX"
#define IX_VERSION 1u
#define IX_MAP_SIZE ((size_t)1 << 40) /* address space, not disk */
#define ENTRY_HEAD 88

struct rp_ix {
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi meta, entries, dates, keys[2];
    int write;
    char *path;
    rp_ix_params p;
    rp_ix_state s;
};

/* ---- little-endian fields ------------------------------------------------ */

static void put32(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *b)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

static uint64_t get64(const unsigned char *b)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

static void put64be(unsigned char *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (56 - 8 * i));
}

static uint64_t get64be(const unsigned char *b)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | b[i];
    return v;
}

static void putf64(unsigned char *b, double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    put64(b, v);
}

static double getf64(const unsigned char *b)
{
    uint64_t v = get64(b);
    double d;
    memcpy(&d, &v, 8);
    return d;
}

/* ---- errors ---------------------------------------------------------------- */

static int lmdb_error(rp_error *err, const char *path, int rc,
                      const char *what)
{
    if (rc == ENOMEM)
        return RP_ENOMEM;
    return rp__error_set(err, RP_EIO, path, 0, 0, "index: %s: %s", what,
                         mdb_strerror(rc));
}

static int corrupt(rp_error *err, const char *path, const char *what)
{
    return rp__error_set(err, RP_EIO, path, 0, 0,
                         "index is damaged (%s): restore it from a copy, "
                         "or build it again with reprint index add",
                         what);
}

/* ---- the small records: params, state ---------------------------------- */

#define PARAMS_LEN 84
#define STATE_LEN 48

static void params_encode(unsigned char *b, const rp_ix_params *p)
{
    put32(b, p->sign.shingle);
    put32(b + 4, p->sign.char_mode);
    put32(b + 8, p->sign.num_perm);
    put32(b + 12, p->sign.min_para_tokens);
    put32(b + 16, p->sign.paragraphs);
    put64(b + 20, p->sign.seed);
    for (int l = 0; l < 2; l++) {
        put32(b + 28 + 8 * l, p->bands[l]);
        put32(b + 32 + 8 * l, p->rows[l]);
        putf64(b + 44 + 8 * l, p->threshold[l]);
    }
    put32(b + 60, p->verify);
    memset(b + 64, 0, 12);
    put64(b + 76, rp_hash64(b, 76, 0));
}

static int params_decode(rp_ix_params *p, const unsigned char *b)
{
    if (get64(b + 76) != rp_hash64(b, 76, 0))
        return 0;
    memset(p, 0, sizeof *p);
    p->sign.version = RP_SIGN_OPTIONS_VERSION;
    p->sign.shingle = get32(b);
    p->sign.char_mode = get32(b + 4);
    p->sign.num_perm = get32(b + 8);
    p->sign.min_para_tokens = get32(b + 12);
    p->sign.paragraphs = get32(b + 16);
    p->sign.seed = get64(b + 20);
    for (int l = 0; l < 2; l++) {
        p->bands[l] = get32(b + 28 + 8 * l);
        p->rows[l] = get32(b + 32 + 8 * l);
        p->threshold[l] = getf64(b + 44 + 8 * l);
    }
    p->verify = get32(b + 60);
    /* what later code relies on: lanes in whole bands, sane sizes */
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
    put64(b, s->generation);
    put64(b + 8, s->next);
    put64(b + 16, s->count[0]);
    put64(b + 24, s->count[1]);
    put32(b + 32, (uint32_t)s->newest_day);
    put32(b + 36, (uint32_t)s->window_days);
    put64(b + 40, rp_hash64(b, 40, 1));
}

static int state_decode(rp_ix_state *s, const unsigned char *b)
{
    if (get64(b + 40) != rp_hash64(b, 40, 1))
        return 0;
    s->generation = get64(b);
    s->next = get64(b + 8);
    s->count[0] = get64(b + 16);
    s->count[1] = get64(b + 24);
    s->newest_day = (int32_t)get32(b + 32);
    s->window_days = (int32_t)get32(b + 36);
    return 1;
}

static int meta_put(rp_ix *ix, const char *key, const void *v, size_t n,
                    rp_error *err)
{
    MDB_val k = {strlen(key), (void *)key}, d = {n, (void *)v};
    int rc = mdb_put(ix->txn, ix->meta, &k, &d, 0);
    return rc ? lmdb_error(err, ix->path, rc, "cannot write") : RP_OK;
}

static int meta_get(rp_ix *ix, const char *key, size_t n, MDB_val *d,
                    rp_error *err)
{
    MDB_val k = {strlen(key), (void *)key};
    int rc = mdb_get(ix->txn, ix->meta, &k, d);
    if (rc == MDB_NOTFOUND || (rc == 0 && d->mv_size != n))
        return corrupt(err, ix->path, key);
    return rc ? lmdb_error(err, ix->path, rc, "cannot read") : RP_OK;
}

/* ---- open and close -------------------------------------------------------- */

void rp__ix_close(rp_ix *ix)
{
    if (!ix)
        return;
    if (ix->txn)
        mdb_txn_abort(ix->txn);
    if (ix->env)
        mdb_env_close(ix->env);
    free(ix->path);
    free(ix);
}

/* A data file shorter than the pages LMDB's meta names would fault (SIGBUS)
 * when those pages are touched through the map. */
static int check_size(rp_ix *ix, rp_error *err)
{
    MDB_envinfo info;
    MDB_stat st;
    struct stat fs;
    char *name = malloc(strlen(ix->path) + 10);
    if (!name)
        return RP_ENOMEM;
    sprintf(name, "%s/data.mdb", ix->path);
    int ok = stat(name, &fs) == 0;
    free(name);
    if (!ok || mdb_env_info(ix->env, &info) || mdb_env_stat(ix->env, &st))
        return corrupt(err, ix->path, "no data file");
    if ((uint64_t)fs.st_size < ((uint64_t)info.me_last_pgno + 1) * st.ms_psize)
        return corrupt(err, ix->path, "data file truncated");
    return RP_OK;
}

static int open_env(rp_ix *ix, const char *path, int write, rp_error *err)
{
    ix->path = malloc(strlen(path) + 1);
    if (!ix->path)
        return RP_ENOMEM;
    strcpy(ix->path, path);
    int rc = mdb_env_create(&ix->env);
    if (rc == 0)
        rc = mdb_env_set_maxdbs(ix->env, 8);
    if (rc == 0)
        rc = mdb_env_set_mapsize(ix->env, IX_MAP_SIZE);
    if (rc)
        return lmdb_error(err, path, rc, "cannot start LMDB");
    rc = mdb_env_open(ix->env, path, MDB_NOTLS | (write ? 0 : MDB_RDONLY),
                      0644);
    if (rc == ENOENT)
        return rp__error_set(err, RP_EIO, path, 0, 0,
                             "no index here (make one with reprint index "
                             "create)");
    if (rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH)
        return corrupt(err, path, "not an LMDB environment");
    if (rc)
        return lmdb_error(err, path, rc, "cannot open");
    RP_TRY(check_size(ix, err));
    rc = mdb_txn_begin(ix->env, NULL, write ? 0 : MDB_RDONLY, &ix->txn);
    if (rc)
        return lmdb_error(err, path, rc, "cannot begin a transaction");
    ix->write = write;
    return RP_OK;
}

static int open_dbs(rp_ix *ix, unsigned flags, rp_error *err)
{
    static const char *names[5] = {"meta", "entries", "dates", "doc_keys",
                                   "para_keys"};
    MDB_dbi *dbi[5] = {&ix->meta, &ix->entries, &ix->dates, &ix->keys[0],
                       &ix->keys[1]};
    for (int i = 0; i < 5; i++) {
        unsigned f = flags | (i >= 3 ? MDB_DUPSORT | MDB_DUPFIXED : 0);
        int rc = mdb_dbi_open(ix->txn, names[i], f, dbi[i]);
        if (rc == MDB_NOTFOUND || rc == MDB_INCOMPATIBLE || rc == MDB_INVALID)
            return corrupt(err, ix->path, "not a reprint index");
        if (rc)
            return lmdb_error(err, ix->path, rc, "cannot open a table");
    }
    return RP_OK;
}

int rp__ix_open(rp_ix **out, const char *path, int write, rp_error *err)
{
    *out = NULL;
    rp_ix *ix = calloc(1, sizeof *ix);
    if (!ix)
        return RP_ENOMEM;
    int rc = open_env(ix, path, write, err);
    if (rc == RP_OK)
        rc = open_dbs(ix, 0, err);
    MDB_val v;
    if (rc == RP_OK)
        rc = meta_get(ix, "format", 16, &v, err);
    if (rc == RP_OK) {
        const unsigned char *b = v.mv_data;
        if (memcmp(b, IX_MAGIC, 8) != 0)
            rc = corrupt(err, path, "not a reprint index");
        else if (get32(b + 8) != IX_VERSION)
            rc = rp__error_set(err, RP_EVERSION, path, 0, 0,
                               "index format version %u; this reprint "
                               "reads version %u",
                               get32(b + 8), IX_VERSION);
    }
    if (rc == RP_OK)
        rc = meta_get(ix, "params", PARAMS_LEN, &v, err);
    if (rc == RP_OK && !params_decode(&ix->p, v.mv_data))
        rc = corrupt(err, path, "parameters");
    if (rc == RP_OK)
        rc = meta_get(ix, "state", STATE_LEN, &v, err);
    if (rc == RP_OK && !state_decode(&ix->s, v.mv_data))
        rc = corrupt(err, path, "state");
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
    rp_ix *ix = NULL;
    if (rc == RP_OK) {
        ix = calloc(1, sizeof *ix);
        rc = ix ? open_env(ix, tmp, 1, err) : RP_ENOMEM;
    }
    if (rc == RP_OK)
        rc = open_dbs(ix, MDB_CREATE, err);
    unsigned char fmt[16], pb[PARAMS_LEN], sb[STATE_LEN];
    memcpy(fmt, IX_MAGIC, 8);
    put32(fmt + 8, IX_VERSION);
    put32(fmt + 12, 0);
    params_encode(pb, p);
    rp_ix_state s0 = {0, 1, {0, 0}, RP_IX_NO_DAY, 0};
    state_encode(sb, &s0);
    if (rc == RP_OK)
        rc = meta_put(ix, "format", fmt, sizeof fmt, err);
    if (rc == RP_OK)
        rc = meta_put(ix, "params", pb, sizeof pb, err);
    if (rc == RP_OK)
        rc = meta_put(ix, "state", sb, sizeof sb, err);
    if (rc == RP_OK) {
        int r = mdb_txn_commit(ix->txn);
        ix->txn = NULL;
        if (r)
            rc = lmdb_error(err, path, r, "cannot commit");
    }
    rp__ix_close(ix);
    if (rc == RP_OK && rename(tmp, path) != 0)
        rc = rp__error_set(err, RP_EIO, path, 0, 0, "cannot rename %s: %s",
                           tmp, strerror(errno));
    if (rc != RP_OK) {
        char *f = malloc(strlen(tmp) + 16);
        if (f) {
            sprintf(f, "%s/data.mdb", tmp);
            remove(f);
            sprintf(f, "%s/lock.mdb", tmp);
            remove(f);
            free(f);
        }
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
    unsigned char kb[8];
    put64(kb, key);
    MDB_val k = {8, kb}, v;
    MDB_cursor *c;
    int rc = mdb_cursor_open(ix->txn, ix->keys[level], &c);
    if (rc)
        return lmdb_error(err, ix->path, rc, "cannot read postings");
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
    if (rc == 0) {
        size_t cnt = 0;
        mdb_cursor_count(c, &cnt);
        *total = (size_t)cnt;
    }
    while (rc == 0) {
        if (v.mv_size != 8) {
            mdb_cursor_close(c);
            return corrupt(err, ix->path, "a posting");
        }
        if (*n < cap)
            out[(*n)++] = get64be(v.mv_data);
        else
            break;
        rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP);
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND)
        return lmdb_error(err, ix->path, rc, "cannot read postings");
    return RP_OK;
}

/* A value's lengths add up, from the head on; 0 if not. */
static int entry_decode(rp_ix_entry *e, uint64_t number, const MDB_val *v)
{
    const unsigned char *b = v->mv_data;
    if (v->mv_size < ENTRY_HEAD ||
        get64(b) != rp_hash64(b + 8, v->mv_size - 8, 2))
        return 0;
    memset(e, 0, sizeof *e);
    e->number = number;
    e->level = get32(b + 8);
    e->day = (int32_t)get32(b + 12);
    e->date.start = (int64_t)get64(b + 16);
    e->date.millis = get32(b + 24);
    e->date.precision = b[28];
    e->date.flags = b[29];
    e->content = get64(b + 32);
    e->line = get64(b + 40);
    e->offset = get64(b + 48);
    e->para = get32(b + 56);
    e->span[0] = get32(b + 60);
    e->span[1] = get32(b + 64);
    e->id_len = get32(b + 68);
    e->file_len = get32(b + 72);
    e->nset = get32(b + 76);
    e->nsig = get32(b + 80);
    e->nkeys = get32(b + 84);
    uint64_t need = (uint64_t)ENTRY_HEAD + e->id_len + e->file_len +
                    8 * (uint64_t)e->nset + 4 * (uint64_t)e->nsig +
                    8 * (uint64_t)e->nkeys;
    if (need != v->mv_size || e->level > 1)
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

int rp__ix_get(rp_ix *ix, uint64_t number, rp_ix_entry *e, rp_error *err)
{
    unsigned char kb[8];
    put64be(kb, number);
    MDB_val k = {8, kb}, v;
    int rc = mdb_get(ix->txn, ix->entries, &k, &v);
    if (rc == MDB_NOTFOUND)
        return corrupt(err, ix->path, "a posting names no entry");
    if (rc)
        return lmdb_error(err, ix->path, rc, "cannot read an entry");
    if (!entry_decode(e, number, &v))
        return corrupt(err, ix->path, "an entry's checksum or lengths");
    if (e->nkeys != ix->p.bands[e->level] ||
        e->nsig != (ix->p.verify ? 0 : ix->p.sign.num_perm))
        return corrupt(err, ix->path, "an entry's sizes");
    return RP_OK;
}

static void date_key(unsigned char *b, int32_t day, uint64_t number)
{
    uint32_t d = (uint32_t)day ^ 0x80000000u; /* sorts as signed */
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(d >> (24 - 8 * i));
    put64be(b + 4, number);
}

int rp__ix_put(rp_ix *ix, const rp_ix_entry *e, const uint64_t *set,
               const uint32_t *sig, const uint64_t *keys, rp_error *err)
{
    size_t len = ENTRY_HEAD + (size_t)e->id_len + e->file_len +
                 8 * (size_t)e->nset + 4 * (size_t)e->nsig +
                 8 * (size_t)e->nkeys;
    unsigned char *b = malloc(len);
    if (!b)
        return RP_ENOMEM;
    uint64_t number = ix->s.next++;
    put32(b + 8, e->level);
    put32(b + 12, (uint32_t)e->day);
    put64(b + 16, (uint64_t)e->date.start);
    put32(b + 24, e->date.millis);
    b[28] = e->date.precision;
    b[29] = e->date.flags;
    b[30] = b[31] = 0;
    put64(b + 32, e->content);
    put64(b + 40, e->line);
    put64(b + 48, e->offset);
    put32(b + 56, e->para);
    put32(b + 60, e->span[0]);
    put32(b + 64, e->span[1]);
    put32(b + 68, e->id_len);
    put32(b + 72, e->file_len);
    put32(b + 76, e->nset);
    put32(b + 80, e->nsig);
    put32(b + 84, e->nkeys);
    unsigned char *p = b + ENTRY_HEAD;
    memcpy(p, e->id, e->id_len);
    p += e->id_len;
    memcpy(p, e->file, e->file_len);
    p += e->file_len;
    for (uint32_t i = 0; i < e->nset; i++, p += 8)
        put64(p, set[i]);
    for (uint32_t i = 0; i < e->nsig; i++, p += 4)
        put32(p, sig[i]);
    for (uint32_t i = 0; i < e->nkeys; i++, p += 8)
        put64(p, keys[i]);
    put64(b, rp_hash64(b + 8, len - 8, 2));
    unsigned char kb[8], nb[8], db[12];
    put64be(kb, number);
    memcpy(nb, kb, 8);
    date_key(db, e->day, number);
    MDB_val k = {8, kb}, v = {len, b};
    int rc = mdb_put(ix->txn, ix->entries, &k, &v, MDB_APPEND);
    MDB_val dk = {12, db}, dv = {0, NULL};
    if (rc == 0)
        rc = mdb_put(ix->txn, ix->dates, &dk, &dv, 0);
    for (uint32_t i = 0; rc == 0 && i < e->nkeys; i++) {
        unsigned char pk[8];
        put64(pk, keys[i]);
        MDB_val a = {8, pk}, bv = {8, nb};
        rc = mdb_put(ix->txn, ix->keys[e->level], &a, &bv, MDB_NODUPDATA);
        if (rc == MDB_KEYEXIST) /* two bands with one key: kept once */
            rc = 0;
    }
    free(b);
    if (rc)
        return lmdb_error(err, ix->path, rc, "cannot add");
    ix->s.count[e->level]++;
    if (e->day != RP_IX_NO_DAY &&
        (ix->s.newest_day == RP_IX_NO_DAY || e->day > ix->s.newest_day))
        ix->s.newest_day = e->day;
    return RP_OK;
}

int rp__ix_evict(rp_ix *ix, int32_t cutoff, uint64_t *evicted, rp_error *err)
{
    *evicted = 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(ix->txn, ix->dates, &c);
    if (rc)
        return lmdb_error(err, ix->path, rc, "cannot evict");
    /* undated entries (RP_IX_NO_DAY) sort first and are never evicted:
     * each round starts at the oldest dated entry */
    unsigned char from[12];
    date_key(from, RP_IX_NO_DAY + 1, 0);
    MDB_val k = {12, from}, v;
    int out = RP_OK;
    rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    while (rc == 0 && out == RP_OK) {
        if (k.mv_size != 12) {
            out = corrupt(err, ix->path, "the date table");
            break;
        }
        const unsigned char *kb = k.mv_data;
        uint32_t d = (uint32_t)kb[0] << 24 | (uint32_t)kb[1] << 16 |
                     (uint32_t)kb[2] << 8 | kb[3];
        int32_t day = (int32_t)(d ^ 0x80000000u);
        if (day >= cutoff)
            break;
        uint64_t number = get64be(kb + 4);
        rp_ix_entry e;
        out = rp__ix_get(ix, number, &e, err);
        unsigned char nb[8];
        put64be(nb, number);
        for (uint32_t i = 0; out == RP_OK && i < e.nkeys; i++) {
            unsigned char pk[8];
            memcpy(pk, e.keys + 8 * (size_t)i, 8);
            MDB_val a = {8, pk}, bv = {8, nb};
            int r = mdb_del(ix->txn, ix->keys[e.level], &a, &bv);
            if (r && r != MDB_NOTFOUND)
                out = lmdb_error(err, ix->path, r, "cannot evict");
        }
        if (out != RP_OK)
            break;
        uint32_t level = e.level;
        MDB_val ek = {8, nb};
        int r = mdb_del(ix->txn, ix->entries, &ek, NULL);
        if (r == 0)
            r = mdb_cursor_del(c, 0);
        if (r) {
            out = lmdb_error(err, ix->path, r, "cannot evict");
            break;
        }
        if (ix->s.count[level])
            ix->s.count[level]--;
        (*evicted)++;
        k.mv_size = 12; /* the oldest dated entry left */
        k.mv_data = from;
        rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
    }
    mdb_cursor_close(c);
    if (out == RP_OK && rc && rc != MDB_NOTFOUND)
        out = lmdb_error(err, ix->path, rc, "cannot evict");
    return out;
}

void rp__ix_set_window(rp_ix *ix, int32_t window_days)
{
    ix->s.window_days = window_days;
}

int rp__ix_commit(rp_ix *ix, rp_error *err)
{
    ix->s.generation++;
    unsigned char sb[STATE_LEN];
    state_encode(sb, &ix->s);
    RP_TRY(meta_put(ix, "state", sb, sizeof sb, err));
    int rc = mdb_txn_commit(ix->txn);
    ix->txn = NULL;
    if (rc)
        return lmdb_error(err, ix->path, rc, "cannot commit");
    return RP_OK;
}

int rp__ix_check(rp_ix *ix, uint64_t *checked, rp_error *err)
{
    *checked = 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(ix->txn, ix->entries, &c);
    if (rc)
        return lmdb_error(err, ix->path, rc, "cannot read");
    MDB_val k, v;
    uint64_t count[2] = {0, 0}, last = 0;
    int out = RP_OK;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0 && out == RP_OK;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        rp_ix_entry e;
        if (k.mv_size != 8)
            out = corrupt(err, ix->path, "an entry key");
        else if (!entry_decode(&e, get64be(k.mv_data), &v))
            out = corrupt(err, ix->path, "an entry's checksum or lengths");
        else if (e.number <= last || e.number >= ix->s.next)
            out = corrupt(err, ix->path, "entry numbers");
        else {
            last = e.number;
            count[e.level]++;
            (*checked)++;
        }
    }
    mdb_cursor_close(c);
    if (out == RP_OK && rc != MDB_NOTFOUND)
        out = lmdb_error(err, ix->path, rc, "cannot read");
    if (out == RP_OK &&
        (count[0] != ix->s.count[0] || count[1] != ix->s.count[1]))
        out = corrupt(err, ix->path, "entry counts");
    /* every posting names a live entry */
    for (int l = 0; l < 2 && out == RP_OK; l++) {
        rc = mdb_cursor_open(ix->txn, ix->keys[l], &c);
        if (rc)
            return lmdb_error(err, ix->path, rc, "cannot read");
        for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
             rc == 0 && out == RP_OK;
             rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
            MDB_val ek, ev;
            if (v.mv_size != 8) {
                out = corrupt(err, ix->path, "a posting");
                break;
            }
            ek.mv_size = 8;
            ek.mv_data = v.mv_data;
            if (mdb_get(ix->txn, ix->entries, &ek, &ev) != 0)
                out = corrupt(err, ix->path, "a posting names no entry");
        }
        mdb_cursor_close(c);
        if (out == RP_OK && rc != MDB_NOTFOUND)
            out = lmdb_error(err, ix->path, rc, "cannot read");
    }
    return out;
}

int rp__ix_copy_compact(rp_ix *ix, const char *out, rp_error *err)
{
    struct stat st;
    if (stat(out, &st) == 0)
        return rp__error_set(err, RP_EINVAL, out, 0, 0,
                             "already exists: the copy goes to a new "
                             "directory");
    char *tmp = malloc(strlen(out) + 32);
    if (!tmp)
        return RP_ENOMEM;
    sprintf(tmp, "%s.tmp-%ld", out, (long)getpid());
    int rc = RP_OK;
    if (mkdir(tmp, 0755) != 0)
        rc = rp__error_set(err, RP_EIO, out, 0, 0, "cannot make %s: %s", tmp,
                           strerror(errno));
    if (rc == RP_OK) {
        int r = mdb_env_copy2(ix->env, tmp, MDB_CP_COMPACT);
        if (r)
            rc = lmdb_error(err, out, r, "cannot copy");
    }
    if (rc == RP_OK && rename(tmp, out) != 0)
        rc = rp__error_set(err, RP_EIO, out, 0, 0, "cannot rename %s: %s",
                           tmp, strerror(errno));
    if (rc != RP_OK) {
        char *f = malloc(strlen(tmp) + 16);
        if (f) {
            sprintf(f, "%s/data.mdb", tmp);
            remove(f);
            free(f);
        }
        rmdir(tmp);
    }
    free(tmp);
    return rc;
}

uint64_t rp__ix_disk_bytes(const rp_ix *ix)
{
    char *name = malloc(strlen(ix->path) + 10);
    if (!name)
        return 0;
    sprintf(name, "%s/data.mdb", ix->path);
    struct stat st;
    uint64_t n = stat(name, &st) == 0 ? (uint64_t)st.st_blocks * 512 : 0;
    free(name);
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
