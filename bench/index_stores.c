/*
 * index_stores.c -- LMDB vs RocksDB (C API) vs hand-written sorted run files
 * as the store under reprint's persistent dedup index (issue 11).
 *
 * Not part of reprint: a stand-alone measurement. Build and run with
 * bench/index-stores.sh; the figures and their reading are in
 * bench/README.md, "Index store: LMDB vs RocksDB vs sorted runs".
 *
 * The workload models the index. An entry is one kept document: a 64-bit
 * entry number (monotonic), a date in days, 20 band keys (random 64-bit, as
 * LSH band hashes are) and a 600-byte value blob (metadata + a shingle set;
 * random bytes). Everything is a pure function of the entry number, so the
 * three stores see the same bytes and their query answers can be compared.
 *
 *   ADD    one batch ("day") of B entries = one durable commit (fsync).
 *          Postings: band key -> entry number.
 *   QUERY  after each day: Q new documents, 20 band keys each; 10% carry one
 *          band key of a random live entry, 90% are fresh. Matched entries'
 *          value blobs are fetched (hashed, so every byte is read).
 *   EVICT  after the last day: drop every entry dated before the window,
 *          postings included; then query again, with 5% of the documents
 *          aimed at evicted entries (must find nothing).
 *
 * Each store runs in its own child process (so peak RSS is per store); the
 * parent drives them in turn, day by day, rotating the order, so the
 * figures are ratios from one run on the same (noisy, shared) machine.
 *
 *   index_stores bench DIR [--days N] [--batch B] [--queries Q] [--evict K]
 *   index_stores crash DIR [--batch B] [--trials N]
 *   index_stores corrupt DIR [--batch B]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lmdb.h>
#include <rocksdb/c.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define NB 20            /* band keys per entry */
#define BLOB 600         /* value blob bytes */
#define VAL (8 + NB * 8 + BLOB) /* entry value: date u32, flags u32, keys, blob = 768 */
#define DATE0 19000u     /* date of day 0, in days since 1970 */
#define ERRLEN 256

/* ------------------------------------------------------------------ */
/* Deterministic workload                                              */

static uint64_t mix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

static uint64_t band_key(uint64_t e, unsigned j)
{
	return mix64((e << 5 | j) ^ 0x5851F42D4C957F2Dull);
}

static void make_value(uint8_t *v, uint64_t e, uint32_t date)
{
	uint32_t flags = 0;
	memcpy(v, &date, 4);
	memcpy(v + 4, &flags, 4);
	for (unsigned j = 0; j < NB; j++) {
		uint64_t k = band_key(e, j);
		memcpy(v + 8 + 8 * j, &k, 8);
	}
	uint64_t s = mix64(e ^ 0xA0761D6478BD642Full);
	for (unsigned i = 0; i < BLOB; i += 8) {
		s ^= s << 13; s ^= s >> 7; s ^= s << 17;
		memcpy(v + 8 + 8 * NB + i, &s, 8);
	}
}

typedef struct { uint64_t key, entry; } posting;

typedef struct {
	uint64_t first;  /* entry number of vals[0] */
	uint64_t n;
	uint32_t date;
	uint8_t *vals;   /* n * VAL */
	posting *posts;  /* n * NB, in entry order (unsorted) */
} batch;

static void batch_make(batch *b, uint64_t first, uint64_t n, uint32_t date)
{
	b->first = first; b->n = n; b->date = date;
	b->vals = malloc(n * VAL);
	b->posts = malloc(n * NB * sizeof(posting));
	if (!b->vals || !b->posts) { perror("malloc batch"); exit(2); }
	for (uint64_t i = 0; i < n; i++) {
		make_value(b->vals + i * VAL, first + i, date);
		for (unsigned j = 0; j < NB; j++)
			b->posts[i * NB + j] = (posting){band_key(first + i, j), first + i};
	}
}

static void batch_free(batch *b) { free(b->vals); free(b->posts); }

/* LSD radix sort by key (stable, so equal keys stay in entry order). */
static void sort_postings(posting *p, size_t n)
{
	posting *tmp = malloc(n * sizeof *tmp);
	if (!tmp) { perror("malloc sort"); exit(2); }
	posting *src = p, *dst = tmp;
	for (unsigned shift = 0; shift < 64; shift += 8) {
		size_t cnt[257] = {0};
		for (size_t i = 0; i < n; i++) cnt[((src[i].key >> shift) & 0xFF) + 1]++;
		for (int i = 0; i < 256; i++) cnt[i + 1] += cnt[i];
		for (size_t i = 0; i < n; i++) dst[cnt[(src[i].key >> shift) & 0xFF]++] = src[i];
		posting *t = src; src = dst; dst = t;
	}
	/* 8 passes: result is back in p */
	free(tmp);
}

/* A query batch: Q documents x NB keys. */
typedef struct {
	uint64_t seed, live_lo, live_hi, dead_lo, dead_hi; /* [lo, hi) */
	uint32_t cutoff; /* entries dated before are not live */
	uint32_t q;
} qparams;

typedef struct { uint64_t matches, filtered, checksum; double secs; } qres;

static void query_keys(const qparams *qp, uint32_t d, uint64_t keys[NB])
{
	for (unsigned j = 0; j < NB; j++)
		keys[j] = mix64(qp->seed << 40 ^ (uint64_t)d << 5 ^ j ^ 0x1234567ull);
	uint64_t r = mix64(qp->seed * 7919 + d);
	if (d % 10 == 0 && qp->live_hi > qp->live_lo) {
		uint64_t e = qp->live_lo + r % (qp->live_hi - qp->live_lo);
		unsigned j = (r >> 40) % NB;
		keys[j] = band_key(e, j);
	} else if (d % 20 == 5 && qp->dead_hi > qp->dead_lo) {
		uint64_t e = qp->dead_lo + r % (qp->dead_hi - qp->dead_lo);
		unsigned j = (r >> 40) % NB;
		keys[j] = band_key(e, j);
	}
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t be64(uint64_t x) { return __builtin_bswap64(x); }
static uint32_t be32(uint32_t x) { return __builtin_bswap32(x); }

static int fail(char *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, ERRLEN, fmt, ap);
	va_end(ap);
	return -1;
}

static int fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

static long proc_status_kb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	size_t n = strlen(field);
	if (!f) return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, field, n) && line[n] == ':') { v = atol(line + n + 1); break; }
	fclose(f);
	return v;
}

static void reset_hwm(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);
	if (fd >= 0) { if (write(fd, "5", 1) < 0) {} close(fd); }
}

static uint64_t du_total;
static int du_cb(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)p; (void)f;
	if (flag == FTW_F) du_total += (uint64_t)st->st_blocks * 512;
	return 0;
}
static uint64_t du(const char *dir)
{
	du_total = 0;
	nftw(dir, du_cb, 16, FTW_PHYS);
	return du_total;
}

static int check_value(const uint8_t *v, size_t len, char *err)
{
	(void)v;
	if (len != VAL) return fail(err, "entry value of %zu bytes, expected %d", len, VAL);
	return 0;
}

/* Every store answers a query the same way: for each key, every posting;
 * skip entries dated before the cutoff; hash the blob of the rest. */
static void take_value(qres *r, const uint8_t *v, uint32_t cutoff)
{
	uint32_t date;
	memcpy(&date, v, 4);
	if (date < cutoff) { r->filtered++; return; }
	r->matches++;
	r->checksum += XXH3_64bits(v + 8 + 8 * NB, BLOB);
}

/* ------------------------------------------------------------------ */
/* Store interface                                                     */

typedef struct {
	const char *name;
	int (*open)(void **out, const char *dir, int verify, char *err);
	int (*add)(void *s, batch *b, double *settle, char *err);
	int (*query)(void *s, const qparams *qp, qres *r, char *err);
	int (*evict)(void *s, uint32_t cutoff, double *reclaim, char *err);
	int (*compact)(void *s, char *err); /* NULL: nothing to do */
	int (*count)(void *s, uint64_t *out, char *err);
	void (*close)(void *s);
} store_vt;

/* ------------------------------------------------------------------ */
/* 1. LMDB                                                             */

typedef struct { MDB_env *env; MDB_dbi ent, post, date; } lm;

#define LMT(call) do { int rc_ = (call); if (rc_) { rc = fail(err, "%s: %s", #call, mdb_strerror(rc_)); goto done; } } while (0)

static void lm_close(void *p)
{
	lm *s = p;
	if (!s) return;
	if (s->env) mdb_env_close(s->env);
	free(s);
}

static int lm_open(void **out, const char *dir, int verify, char *err)
{
	(void)verify;
	int rc = 0;
	MDB_txn *txn = NULL;
	lm *s = calloc(1, sizeof *s);
	mkdir(dir, 0755);
	LMT(mdb_env_create(&s->env));
	LMT(mdb_env_set_mapsize(s->env, (size_t)96 << 30));
	LMT(mdb_env_set_maxdbs(s->env, 4));
	LMT(mdb_env_open(s->env, dir, MDB_NORDAHEAD, 0644));
	LMT(mdb_txn_begin(s->env, NULL, 0, &txn));
	LMT(mdb_dbi_open(txn, "entries", MDB_CREATE, &s->ent));
	LMT(mdb_dbi_open(txn, "postings", MDB_CREATE | MDB_DUPSORT | MDB_DUPFIXED, &s->post));
	LMT(mdb_dbi_open(txn, "dates", MDB_CREATE, &s->date));
	rc = mdb_txn_commit(txn);
	txn = NULL;
	if (rc) { rc = fail(err, "commit: %s", mdb_strerror(rc)); goto done; }
done:
	if (txn) mdb_txn_abort(txn);
	if (rc) { lm_close(s); s = NULL; }
	*out = s;
	return rc;
}

static int lm_add(void *p, batch *b, double *settle, char *err)
{
	lm *s = p;
	int rc = 0;
	MDB_txn *txn = NULL;
	MDB_cursor *ce = NULL, *cp = NULL, *cd = NULL;
	*settle = 0;
	sort_postings(b->posts, b->n * NB);
	LMT(mdb_txn_begin(s->env, NULL, 0, &txn));
	LMT(mdb_cursor_open(txn, s->ent, &ce));
	LMT(mdb_cursor_open(txn, s->date, &cd));
	LMT(mdb_cursor_open(txn, s->post, &cp));
	for (uint64_t i = 0; i < b->n; i++) {
		uint64_t k = be64(b->first + i);
		MDB_val key = {8, &k}, val = {VAL, b->vals + i * VAL};
		LMT(mdb_cursor_put(ce, &key, &val, MDB_APPEND));
		uint8_t dk[12];
		uint32_t d = be32(b->date);
		memcpy(dk, &d, 4); memcpy(dk + 4, &k, 8);
		MDB_val dkey = {12, dk}, empty = {0, ""};
		LMT(mdb_cursor_put(cd, &dkey, &empty, MDB_APPEND));
	}
	for (uint64_t i = 0; i < b->n * NB; i++) {
		uint64_t k = be64(b->posts[i].key), e = be64(b->posts[i].entry);
		MDB_val key = {8, &k}, val = {8, &e};
		LMT(mdb_cursor_put(cp, &key, &val, 0));
	}
	rc = mdb_txn_commit(txn);
	txn = NULL;
	if (rc) rc = fail(err, "commit: %s", mdb_strerror(rc));
done:
	if (txn) mdb_txn_abort(txn);
	return rc;
}

static int lm_query(void *p, const qparams *qp, qres *r, char *err)
{
	lm *s = p;
	int rc = 0;
	MDB_txn *txn = NULL;
	MDB_cursor *c = NULL;
	LMT(mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn));
	LMT(mdb_cursor_open(txn, s->post, &c));
	for (uint32_t d = 0; d < qp->q; d++) {
		uint64_t keys[NB];
		query_keys(qp, d, keys);
		for (unsigned j = 0; j < NB; j++) {
			uint64_t k = be64(keys[j]);
			MDB_val key = {8, &k}, val;
			int g = mdb_cursor_get(c, &key, &val, MDB_SET_KEY);
			while (g == 0) {
				if (val.mv_size != 8) { rc = fail(err, "posting of %zu bytes", val.mv_size); goto done; }
				MDB_val ek = {8, val.mv_data}, ev;
				int h = mdb_get(txn, s->ent, &ek, &ev);
				if (h == MDB_NOTFOUND) { rc = fail(err, "posting to a missing entry"); goto done; }
				if (h) { rc = fail(err, "mdb_get: %s", mdb_strerror(h)); goto done; }
				if ((rc = check_value(ev.mv_data, ev.mv_size, err))) goto done;
				take_value(r, ev.mv_data, qp->cutoff);
				g = mdb_cursor_get(c, &key, &val, MDB_NEXT_DUP);
			}
			if (g != MDB_NOTFOUND) { rc = fail(err, "cursor: %s", mdb_strerror(g)); goto done; }
		}
	}
done:
	if (c) mdb_cursor_close(c);
	if (txn) mdb_txn_abort(txn);
	return rc;
}

/* Eager eviction: walk the dates db up to the cutoff, delete each entry
 * and, sorted by band key, each of its postings; one commit. */
static int lm_evict(void *p, uint32_t cutoff, double *reclaim, char *err)
{
	lm *s = p;
	int rc = 0;
	MDB_txn *txn = NULL;
	MDB_cursor *cd = NULL, *cp = NULL;
	posting *del = NULL;
	size_t ndel = 0, cap = 0;
	*reclaim = -1; /* LMDB never shrinks its file; freed pages are reused */
	LMT(mdb_txn_begin(s->env, NULL, 0, &txn));
	LMT(mdb_cursor_open(txn, s->date, &cd));
	MDB_val key, val;
	int g = mdb_cursor_get(cd, &key, &val, MDB_FIRST);
	while (g == 0) {
		uint32_t date;
		uint64_t e;
		if (key.mv_size != 12) { rc = fail(err, "date key of %zu bytes", key.mv_size); goto done; }
		memcpy(&date, key.mv_data, 4);
		if (be32(date) >= cutoff) break;
		memcpy(&e, (char *)key.mv_data + 4, 8);
		MDB_val ek = {8, &e}, ev;
		LMT(mdb_get(txn, s->ent, &ek, &ev));
		if ((rc = check_value(ev.mv_data, ev.mv_size, err))) goto done;
		if (ndel + NB > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			del = realloc(del, cap * sizeof *del);
			if (!del) { rc = fail(err, "out of memory"); goto done; }
		}
		for (unsigned j = 0; j < NB; j++) {
			uint64_t k;
			memcpy(&k, (uint8_t *)ev.mv_data + 8 + 8 * j, 8);
			del[ndel++] = (posting){k, e}; /* e: big-endian bytes, as stored */
		}
		LMT(mdb_del(txn, s->ent, &ek, NULL));
		LMT(mdb_cursor_del(cd, 0));
		g = mdb_cursor_get(cd, &key, &val, MDB_NEXT); /* after a delete: the next item */
	}
	if (g && g != MDB_NOTFOUND) { rc = fail(err, "dates cursor: %s", mdb_strerror(g)); goto done; }
	sort_postings(del, ndel);
	LMT(mdb_cursor_open(txn, s->post, &cp));
	for (size_t i = 0; i < ndel; i++) {
		uint64_t k = be64(del[i].key);
		MDB_val pk = {8, &k}, pv = {8, &del[i].entry};
		LMT(mdb_cursor_get(cp, &pk, &pv, MDB_GET_BOTH));
		LMT(mdb_cursor_del(cp, 0));
	}
	rc = mdb_txn_commit(txn);
	txn = NULL;
	if (rc) rc = fail(err, "commit: %s", mdb_strerror(rc));
done:
	free(del);
	if (txn) mdb_txn_abort(txn);
	return rc;
}

/* Full scan: every entry (size checked, blob read) and every posting. */
static int lm_count(void *p, uint64_t *out, char *err)
{
	lm *s = p;
	int rc = 0, g;
	MDB_txn *txn = NULL;
	MDB_cursor *c = NULL;
	MDB_val k, v;
	uint64_t n = 0, sum = 0;
	LMT(mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn));
	LMT(mdb_cursor_open(txn, s->ent, &c));
	for (g = mdb_cursor_get(c, &k, &v, MDB_FIRST); !g; g = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if ((rc = check_value(v.mv_data, v.mv_size, err))) goto done;
		sum += XXH3_64bits(v.mv_data, v.mv_size);
		n++;
	}
	if (g != MDB_NOTFOUND) { rc = fail(err, "entries cursor: %s", mdb_strerror(g)); goto done; }
	mdb_cursor_close(c);
	c = NULL;
	LMT(mdb_cursor_open(txn, s->post, &c));
	for (g = mdb_cursor_get(c, &k, &v, MDB_FIRST); !g; g = mdb_cursor_get(c, &k, &v, MDB_NEXT))
		if (k.mv_size != 8 || v.mv_size != 8) { rc = fail(err, "posting of %zu+%zu bytes", k.mv_size, v.mv_size); goto done; }
	if (g != MDB_NOTFOUND) { rc = fail(err, "postings cursor: %s", mdb_strerror(g)); goto done; }
	*out = n + (sum & 0); /* sum only forces the reads */
done:
	if (c) mdb_cursor_close(c);
	if (txn) mdb_txn_abort(txn);
	return rc;
}

/* ------------------------------------------------------------------ */
/* 2. RocksDB (C API)                                                  */

enum { CF_DEFAULT, CF_ENT, CF_POST, CF_DATE, NCF };
static const char *cf_names[NCF] = {"default", "entries", "postings", "dates"};
static _Atomic uint32_t rk_cutoff; /* read by the compaction filters */

typedef struct {
	rocksdb_t *db;
	rocksdb_options_t *opt, *cfopt[NCF];
	rocksdb_column_family_handle_t *cf[NCF];
	rocksdb_writeoptions_t *wo;
	rocksdb_readoptions_t *ro, *ro_prefix;
	rocksdb_cache_t *cache;
	rocksdb_block_based_table_options_t *tbl[NCF];
	rocksdb_compactionfilter_t *filt[NCF];
	int which[NCF];
} rk;

static unsigned char rk_filter(void *state, int level, const char *key, size_t klen,
			       const char *val, size_t vlen, char **nv, size_t *nvl,
			       unsigned char *changed)
{
	(void)level; (void)nv; (void)nvl; (void)changed;
	int which = *(int *)state;
	uint32_t date = UINT32_MAX;
	if (which == CF_DATE && klen >= 4) { memcpy(&date, key, 4); date = be32(date); }
	else if (which != CF_DATE && vlen >= 4) memcpy(&date, val, 4);
	return date < atomic_load(&rk_cutoff);
}
static const char *rk_filter_name(void *state) { (void)state; return "date-window"; }
static void rk_filter_free(void *state) { (void)state; } /* the C API calls it unconditionally */

static void rk_close(void *p)
{
	rk *s = p;
	if (!s) return;
	if (s->db) { /* leave the data in table files, not only in the WAL */
		char *e = NULL;
		rocksdb_flushoptions_t *fo = rocksdb_flushoptions_create();
		rocksdb_flushoptions_set_wait(fo, 1);
		for (int i = 0; i < NCF; i++) { rocksdb_flush_cf(s->db, fo, s->cf[i], &e); free(e); e = NULL; }
		rocksdb_flushoptions_destroy(fo);
	}
	for (int i = 0; i < NCF; i++)
		if (s->cf[i]) rocksdb_column_family_handle_destroy(s->cf[i]);
	if (s->db) rocksdb_close(s->db);
	for (int i = 0; i < NCF; i++) {
		if (s->cfopt[i]) rocksdb_options_destroy(s->cfopt[i]);
		if (s->tbl[i]) rocksdb_block_based_options_destroy(s->tbl[i]);
		if (s->filt[i]) rocksdb_compactionfilter_destroy(s->filt[i]);
	}
	if (s->opt) rocksdb_options_destroy(s->opt);
	if (s->wo) rocksdb_writeoptions_destroy(s->wo);
	if (s->ro) rocksdb_readoptions_destroy(s->ro);
	if (s->ro_prefix) rocksdb_readoptions_destroy(s->ro_prefix);
	if (s->cache) rocksdb_cache_destroy(s->cache);
	free(s);
}

static int rk_open(void **out, const char *dir, int verify, char *err)
{
	(void)verify;
	char *e = NULL;
	rk *s = calloc(1, sizeof *s);
	s->opt = rocksdb_options_create();
	rocksdb_options_set_create_if_missing(s->opt, 1);
	rocksdb_options_set_create_missing_column_families(s->opt, 1);
	rocksdb_options_increase_parallelism(s->opt, 2);
	rocksdb_options_set_max_background_jobs(s->opt, 2);
	rocksdb_options_set_paranoid_checks(s->opt, 1);
	s->cache = rocksdb_cache_create_lru(256 << 20);
	for (int i = 0; i < NCF; i++) {
		s->cfopt[i] = rocksdb_options_create_copy(s->opt);
		rocksdb_options_set_compression(s->cfopt[i], rocksdb_no_compression); /* random bytes */
		rocksdb_options_set_write_buffer_size(s->cfopt[i], 128 << 20);
		s->tbl[i] = rocksdb_block_based_options_create();
		rocksdb_block_based_options_set_block_cache(s->tbl[i], s->cache);
		if (i == CF_POST) {
			/* band-key prefix bloom: a fresh key usually reads no block */
			rocksdb_options_set_prefix_extractor(s->cfopt[i], rocksdb_slicetransform_create_fixed_prefix(8));
			rocksdb_block_based_options_set_filter_policy(s->tbl[i], rocksdb_filterpolicy_create_bloom(10));
			rocksdb_block_based_options_set_whole_key_filtering(s->tbl[i], 0);
		}
		rocksdb_options_set_block_based_table_factory(s->cfopt[i], s->tbl[i]);
		if (i != CF_DEFAULT) {
			s->which[i] = i;
			s->filt[i] = rocksdb_compactionfilter_create(&s->which[i], rk_filter_free, rk_filter, rk_filter_name);
			rocksdb_options_set_compaction_filter(s->cfopt[i], s->filt[i]);
		}
	}
	s->db = rocksdb_open_column_families(s->opt, dir, NCF, cf_names,
					     (const rocksdb_options_t *const *)s->cfopt, s->cf, &e);
	if (e) {
		fail(err, "rocksdb open: %s", e);
		free(e);
		for (int i = 0; i < NCF; i++) s->cf[i] = NULL;
		s->db = NULL;
		rk_close(s);
		*out = NULL;
		return -1;
	}
	s->wo = rocksdb_writeoptions_create();
	rocksdb_writeoptions_set_sync(s->wo, 1);
	s->ro = rocksdb_readoptions_create();
	rocksdb_readoptions_set_verify_checksums(s->ro, 1);
	s->ro_prefix = rocksdb_readoptions_create();
	rocksdb_readoptions_set_verify_checksums(s->ro_prefix, 1);
	rocksdb_readoptions_set_prefix_same_as_start(s->ro_prefix, 1);
	*out = s;
	return 0;
}

/* Wait until no flush or compaction is running or pending. */
static void rk_settle(rk *s)
{
	for (;;) {
		uint64_t busy = 0, v;
		if (!rocksdb_property_int(s->db, "rocksdb.num-running-compactions", &v)) busy += v;
		if (!rocksdb_property_int(s->db, "rocksdb.num-running-flushes", &v)) busy += v;
		for (int i = 0; i < NCF; i++) {
			if (!rocksdb_property_int_cf(s->db, s->cf[i], "rocksdb.compaction-pending", &v)) busy += v;
			if (!rocksdb_property_int_cf(s->db, s->cf[i], "rocksdb.mem-table-flush-pending", &v)) busy += v;
		}
		if (!busy) return;
		usleep(20000);
	}
}

static int rk_add(void *p, batch *b, double *settle, char *err)
{
	rk *s = p;
	char *e = NULL;
	/* sorted, so the memtable skiplist inserts near its last position
	 * (unsorted: ~10x slower here, 74% of the time in FindSpliceForLevel) */
	sort_postings(b->posts, b->n * NB);
	rocksdb_writebatch_t *wb = rocksdb_writebatch_create();
	for (uint64_t i = 0; i < b->n; i++) {
		uint64_t k = be64(b->first + i);
		rocksdb_writebatch_put_cf(wb, s->cf[CF_ENT], (char *)&k, 8, (char *)b->vals + i * VAL, VAL);
		uint8_t dk[12];
		uint32_t d = be32(b->date);
		memcpy(dk, &d, 4); memcpy(dk + 4, &k, 8);
		rocksdb_writebatch_put_cf(wb, s->cf[CF_DATE], (char *)dk, 12, "", 0);
	}
	for (uint64_t i = 0; i < b->n * NB; i++) {
		uint64_t pk[2] = {be64(b->posts[i].key), be64(b->posts[i].entry)};
		rocksdb_writebatch_put_cf(wb, s->cf[CF_POST], (char *)pk, 16, (char *)&b->date, 4);
	}
	rocksdb_write(s->db, s->wo, wb, &e);
	rocksdb_writebatch_destroy(wb);
	if (e) { fail(err, "rocksdb write: %s", e); free(e); return -1; }
	double t = now();
	rk_settle(s);
	*settle = now() - t;
	return 0;
}

static int rk_query(void *p, const qparams *qp, qres *r, char *err)
{
	rk *s = p;
	int rc = 0;
	char *e = NULL;
	rocksdb_iterator_t *it = rocksdb_create_iterator_cf(s->db, s->ro_prefix, s->cf[CF_POST]);
	for (uint32_t d = 0; d < qp->q; d++) {
		uint64_t keys[NB];
		query_keys(qp, d, keys);
		for (unsigned j = 0; j < NB; j++) {
			uint64_t k = be64(keys[j]);
			for (rocksdb_iter_seek(it, (char *)&k, 8); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
				size_t kl, vl;
				const char *key = rocksdb_iter_key(it, &kl);
				const char *val = rocksdb_iter_value(it, &vl);
				if (kl != 16 || memcmp(key, &k, 8)) break;
				uint32_t date = 0;
				if (vl == 4) memcpy(&date, val, 4);
				if (date < qp->cutoff) { r->filtered++; continue; }
				rocksdb_pinnableslice_t *ps = rocksdb_get_pinned_cf(s->db, s->ro, s->cf[CF_ENT], key + 8, 8, &e);
				if (e) { rc = fail(err, "rocksdb get: %s", e); free(e); goto done; }
				if (!ps) { rc = fail(err, "posting to a missing entry"); goto done; }
				size_t len;
				const char *v = rocksdb_pinnableslice_value(ps, &len);
				rc = check_value((const uint8_t *)v, len, err);
				if (!rc) take_value(r, (const uint8_t *)v, qp->cutoff);
				rocksdb_pinnableslice_destroy(ps);
				if (rc) goto done;
			}
			rocksdb_iter_get_error(it, &e);
			if (e) { rc = fail(err, "rocksdb iterator: %s", e); free(e); goto done; }
		}
	}
done:
	rocksdb_iter_destroy(it);
	return rc;
}

/* Lazy eviction: queries skip postings dated before the cutoff at once;
 * the compaction filters drop them (and the entries) when files are
 * rewritten. Reclaiming the space now = DeleteRange on the dates cf plus a
 * manual compaction of each cf (entries: only the evicted key range). */
static int rk_evict(void *p, uint32_t cutoff, double *reclaim, char *err)
{
	rk *s = p;
	char *e = NULL;
	atomic_store(&rk_cutoff, cutoff);
	/* the highest evicted entry number bounds the entries to compact */
	uint64_t last = 0;
	int any = 0;
	rocksdb_iterator_t *it = rocksdb_create_iterator_cf(s->db, s->ro, s->cf[CF_DATE]);
	for (rocksdb_iter_seek_to_first(it); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
		size_t kl;
		const char *k = rocksdb_iter_key(it, &kl);
		uint32_t d;
		uint64_t en;
		if (kl != 12) continue;
		memcpy(&d, k, 4);
		if (be32(d) >= cutoff) break;
		memcpy(&en, k + 4, 8);
		if (be64(en) >= last) { last = be64(en); any = 1; }
	}
	rocksdb_iter_destroy(it);
	uint32_t lo = 0, hi = be32(cutoff);
	rocksdb_delete_range_cf(s->db, s->wo, s->cf[CF_DATE], (char *)&lo, 4, (char *)&hi, 4, &e);
	if (e) { fail(err, "delete range: %s", e); free(e); return -1; }
	double t = now();
	rocksdb_compact_range_cf(s->db, s->cf[CF_DATE], NULL, 0, NULL, 0);
	uint64_t end = be64(last + 1);
	if (any) rocksdb_compact_range_cf(s->db, s->cf[CF_ENT], NULL, 0, (char *)&end, 8);
	rocksdb_compact_range_cf(s->db, s->cf[CF_POST], NULL, 0, NULL, 0);
	rk_settle(s);
	*reclaim = now() - t;
	return 0;
}

/* Full scan: every entry and every posting (block checksums verified). */
static int rk_count(void *p, uint64_t *out, char *err)
{
	rk *s = p;
	char *e = NULL;
	uint64_t n = 0, sum = 0;
	for (int cf = CF_ENT; cf <= CF_POST && !e; cf++) {
		rocksdb_iterator_t *it = rocksdb_create_iterator_cf(s->db, s->ro, s->cf[cf]);
		for (rocksdb_iter_seek_to_first(it); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
			size_t vl;
			const char *v = rocksdb_iter_value(it, &vl);
			if (cf == CF_ENT) {
				if (check_value((const uint8_t *)v, vl, err)) { rocksdb_iter_destroy(it); return -1; }
				sum += XXH3_64bits(v, vl);
				n++;
			}
		}
		rocksdb_iter_get_error(it, &e);
		rocksdb_iter_destroy(it);
	}
	if (e) { fail(err, "rocksdb iterator: %s", e); free(e); return -1; }
	*out = n + (sum & 0);
	return 0;
}

/* ------------------------------------------------------------------ */
/* 3. Own sorted run files                                             */
/*
 * run-NNNNNNNNNN: [header 4096][postings n_post x 16, sorted (key, entry)]
 *                 [entries n_ent x VAL, entry first+i at i]
 * header: magic, version, counts, dates, offsets, file length, xxh3 of
 * each section and of the header. MANIFEST: magic, generation, run list,
 * xxh3; replaced by write-tmp + fsync + rename + fsync(dir).
 * Open checks header, sizes and (with verify) both section checksums.
 */

#define RUN_MAGIC "RPRUN\0\0\1"
#define MAN_MAGIC "RPMAN\0\0\1"
#define RUN_HDR 4096

typedef struct {
	char magic[8];
	uint32_t version, pad;
	uint64_t first, n_ent, n_post;
	uint32_t min_date, max_date;
	uint64_t post_off, ent_off, file_len;
	uint64_t post_xxh, ent_xxh, hdr_xxh; /* hdr_xxh over the bytes before it */
} run_hdr;

typedef struct {
	uint32_t id;
	run_hdr h;
	uint8_t *map;
	size_t len;
	const posting *post;
	const uint8_t *ent;
} run;

typedef struct {
	char dir[512];
	uint64_t gen;
	uint32_t next_id, nruns;
	run runs[256];
	uint32_t cutoff;
} rs;

static void rs_path(const rs *s, uint32_t id, char *buf, size_t n)
{
	snprintf(buf, n, "%s/run-%010u", s->dir, id);
}

static void run_unmap(run *r)
{
	if (r->map) munmap(r->map, r->len);
	r->map = NULL;
}

static int run_map(rs *s, run *r, int verify, char *err)
{
	char path[600];
	struct stat st;
	rs_path(s, r->id, path, sizeof path);
	int fd = open(path, O_RDONLY);
	if (fd < 0) return fail(err, "%s: %s", path, strerror(errno));
	int rc = 0;
	run_hdr h;
	if (fstat(fd, &st) || pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
		rc = fail(err, "%s: cannot read header (file of %lld bytes)", path, (long long)st.st_size);
		goto done;
	}
	if (memcmp(h.magic, RUN_MAGIC, 8) || h.version != 1)
		{ rc = fail(err, "%s: not a run file (bad magic or version)", path); goto done; }
	if (XXH3_64bits(&h, offsetof(run_hdr, hdr_xxh)) != h.hdr_xxh)
		{ rc = fail(err, "%s: header checksum mismatch", path); goto done; }
	if (h.n_post > (1ull << 40) || h.n_ent > (1ull << 36) || h.post_off != RUN_HDR ||
	    h.ent_off != h.post_off + h.n_post * 16 || h.file_len != h.ent_off + h.n_ent * VAL)
		{ rc = fail(err, "%s: inconsistent header", path); goto done; }
	if ((uint64_t)st.st_size != h.file_len)
		{ rc = fail(err, "%s: %lld bytes, header says %" PRIu64 " (truncated?)", path, (long long)st.st_size, h.file_len); goto done; }
	if (memcmp(&h, &r->h, sizeof h))
		{ rc = fail(err, "%s: header differs from the manifest's", path); goto done; }
	r->map = mmap(NULL, h.file_len, PROT_READ, MAP_SHARED, fd, 0);
	if (r->map == MAP_FAILED) { r->map = NULL; rc = fail(err, "%s: mmap: %s", path, strerror(errno)); goto done; }
	r->len = h.file_len;
	r->post = (const posting *)(r->map + h.post_off);
	r->ent = r->map + h.ent_off;
	if (verify) {
		if (XXH3_64bits(r->post, h.n_post * 16) != h.post_xxh)
			{ rc = fail(err, "%s: postings checksum mismatch", path); goto done; }
		if (XXH3_64bits(r->ent, h.n_ent * VAL) != h.ent_xxh)
			{ rc = fail(err, "%s: entries checksum mismatch", path); goto done; }
	}
done:
	close(fd);
	if (rc) run_unmap(r);
	return rc;
}

static int rs_write_manifest(rs *s, char *err)
{
	char tmp[600], path[600];
	snprintf(tmp, sizeof tmp, "%s/MANIFEST.tmp", s->dir);
	snprintf(path, sizeof path, "%s/MANIFEST", s->dir);
	size_t len = 8 + 8 + 4 + 4 + (size_t)s->nruns * (4 + sizeof(run_hdr)) + 8;
	uint8_t *buf = calloc(1, len), *q = buf;
	memcpy(q, MAN_MAGIC, 8); q += 8;
	memcpy(q, &s->gen, 8); q += 8;
	memcpy(q, &s->next_id, 4); q += 4;
	memcpy(q, &s->nruns, 4); q += 4;
	for (uint32_t i = 0; i < s->nruns; i++) {
		memcpy(q, &s->runs[i].id, 4); q += 4;
		memcpy(q, &s->runs[i].h, sizeof(run_hdr)); q += sizeof(run_hdr);
	}
	uint64_t x = XXH3_64bits(buf, len - 8);
	memcpy(q, &x, 8);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int rc = 0;
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || fsync(fd))
		rc = fail(err, "%s: %s", tmp, strerror(errno));
	if (fd >= 0) close(fd);
	free(buf);
	if (!rc && rename(tmp, path)) rc = fail(err, "rename %s: %s", tmp, strerror(errno));
	if (!rc && fsync_path(s->dir)) rc = fail(err, "fsync %s: %s", s->dir, strerror(errno));
	return rc;
}

static void rs_close(void *p)
{
	rs *s = p;
	if (!s) return;
	for (uint32_t i = 0; i < s->nruns; i++) run_unmap(&s->runs[i]);
	free(s);
}

static int rs_open(void **out, const char *dir, int verify, char *err)
{
	rs *s = calloc(1, sizeof *s);
	int rc = 0;
	uint8_t *buf = NULL;
	snprintf(s->dir, sizeof s->dir, "%s", dir);
	mkdir(dir, 0755);
	char path[600];
	snprintf(path, sizeof path, "%s/MANIFEST", dir);
	int fd = open(path, O_RDONLY);
	if (fd >= 0) {
		struct stat st;
		fstat(fd, &st);
		buf = malloc(st.st_size + 1);
		if (st.st_size < 32 || read(fd, buf, st.st_size) != st.st_size)
			{ close(fd); rc = fail(err, "%s: short manifest", path); goto done; }
		close(fd);
		size_t len = st.st_size;
		uint64_t x;
		memcpy(&x, buf + len - 8, 8);
		if (memcmp(buf, MAN_MAGIC, 8) || XXH3_64bits(buf, len - 8) != x)
			{ rc = fail(err, "%s: bad magic or checksum", path); goto done; }
		memcpy(&s->gen, buf + 8, 8);
		memcpy(&s->next_id, buf + 16, 4);
		memcpy(&s->nruns, buf + 20, 4);
		if (s->nruns > 256 || len != 32 + (size_t)s->nruns * (4 + sizeof(run_hdr)))
			{ rc = fail(err, "%s: inconsistent run count", path); s->nruns = 0; goto done; }
		const uint8_t *q = buf + 24;
		for (uint32_t i = 0; i < s->nruns; i++) {
			memcpy(&s->runs[i].id, q, 4); q += 4;
			memcpy(&s->runs[i].h, q, sizeof(run_hdr)); q += sizeof(run_hdr);
		}
		for (uint32_t i = 0; i < s->nruns; i++)
			if ((rc = run_map(s, &s->runs[i], verify, err))) goto done;
	} else if (errno != ENOENT) {
		rc = fail(err, "%s: %s", path, strerror(errno));
		goto done;
	}
	/* Remove leftovers of an add or compaction that never committed. */
	DIR *dd = opendir(dir);
	struct dirent *de;
	while (dd && (de = readdir(dd))) {
		unsigned id;
		if (sscanf(de->d_name, "run-%10u", &id) != 1) continue;
		int live = 0;
		for (uint32_t i = 0; i < s->nruns; i++) live |= s->runs[i].id == id;
		if (!live && id >= s->next_id) {
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			unlink(path);
		}
	}
	if (dd) closedir(dd);
done:
	free(buf);
	if (rc) { rs_close(s); s = NULL; }
	*out = s;
	return rc;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n > (1u << 30) ? (1u << 30) : n);
		if (w < 0) { if (errno == EINTR) continue; return -1; }
		c += w; n -= w;
	}
	return 0;
}

/* Write one run from sorted postings and contiguous entries; fsync. */
static int rs_write_run(rs *s, uint32_t id, run_hdr *h, const posting *post,
			const uint8_t *const *ent_parts, const uint64_t *ent_counts, int nparts,
			char *err)
{
	char path[600];
	rs_path(s, id, path, sizeof path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) return fail(err, "%s: %s", path, strerror(errno));
	uint8_t hdr[RUN_HDR] = {0};
	int rc = 0;
	XXH3_state_t *xs = XXH3_createState();
	if (pwrite(fd, hdr, RUN_HDR, 0) != RUN_HDR || lseek(fd, RUN_HDR, SEEK_SET) < 0) goto io;
	if (post) {
		h->post_xxh = XXH3_64bits(post, h->n_post * 16);
		if (write_all(fd, post, h->n_post * 16)) goto io;
	}
	XXH3_64bits_reset(xs);
	for (int i = 0; i < nparts; i++) {
		XXH3_64bits_update(xs, ent_parts[i], ent_counts[i] * VAL);
		if (write_all(fd, ent_parts[i], ent_counts[i] * VAL)) goto io;
	}
	h->ent_xxh = XXH3_64bits_digest(xs);
	h->hdr_xxh = XXH3_64bits(h, offsetof(run_hdr, hdr_xxh));
	memcpy(hdr, h, sizeof *h);
	if (pwrite(fd, hdr, RUN_HDR, 0) != RUN_HDR || fsync(fd)) goto io;
	goto done;
io:
	rc = fail(err, "%s: %s", path, strerror(errno));
done:
	XXH3_freeState(xs);
	close(fd);
	return rc;
}

static void run_hdr_init(run_hdr *h, uint64_t first, uint64_t n_ent, uint64_t n_post,
			 uint32_t min_date, uint32_t max_date)
{
	memset(h, 0, sizeof *h);
	memcpy(h->magic, RUN_MAGIC, 8);
	h->version = 1;
	h->first = first; h->n_ent = n_ent; h->n_post = n_post;
	h->min_date = min_date; h->max_date = max_date;
	h->post_off = RUN_HDR;
	h->ent_off = RUN_HDR + n_post * 16;
	h->file_len = h->ent_off + n_ent * VAL;
}

static int rs_add(void *p, batch *b, double *settle, char *err)
{
	rs *s = p;
	*settle = 0;
	if (s->nruns == 256) return fail(err, "too many runs");
	sort_postings(b->posts, b->n * NB);
	run *r = &s->runs[s->nruns];
	memset(r, 0, sizeof *r);
	r->id = s->next_id++;
	run_hdr_init(&r->h, b->first, b->n, b->n * NB, b->date, b->date);
	const uint8_t *parts[1] = {b->vals};
	uint64_t counts[1] = {b->n};
	if (rs_write_run(s, r->id, &r->h, b->posts, parts, counts, 1, err)) return -1;
	s->nruns++;
	s->gen++;
	if (rs_write_manifest(s, err)) { s->nruns--; s->gen--; return -1; }
	return run_map(s, r, 0, err);
}

static int rs_query(void *p, const qparams *qp, qres *r, char *err)
{
	rs *s = p;
	for (uint32_t d = 0; d < qp->q; d++) {
		uint64_t keys[NB];
		query_keys(qp, d, keys);
		for (unsigned j = 0; j < NB; j++) {
			uint64_t k = keys[j];
			for (uint32_t ri = 0; ri < s->nruns; ri++) {
				const run *rn = &s->runs[ri];
				size_t lo = 0, hi = rn->h.n_post;
				while (lo < hi) {
					size_t mid = lo + (hi - lo) / 2;
					if (rn->post[mid].key < k) lo = mid + 1; else hi = mid;
				}
				for (; lo < rn->h.n_post && rn->post[lo].key == k; lo++) {
					uint64_t e = rn->post[lo].entry;
					if (e - rn->h.first >= rn->h.n_ent)
						return fail(err, "%s/run-%010u: posting to entry %" PRIu64 " outside the run", s->dir, rn->id, e);
					take_value(r, rn->ent + (e - rn->h.first) * VAL, qp->cutoff);
				}
			}
		}
	}
	return 0;
}

/* Drop the runs wholly before the cutoff; a straddling run stays and its
 * old entries are skipped at query time by their date. */
static int rs_evict(void *p, uint32_t cutoff, double *reclaim, char *err)
{
	rs *s = p;
	run drop[256];
	uint32_t nd = 0, nk = 0;
	*reclaim = 0;
	for (uint32_t i = 0; i < s->nruns; i++) {
		if (s->runs[i].h.max_date < cutoff) drop[nd++] = s->runs[i];
		else s->runs[nk++] = s->runs[i];
	}
	s->nruns = nk;
	s->gen++;
	s->cutoff = cutoff;
	if (rs_write_manifest(s, err)) return -1;
	for (uint32_t i = 0; i < nd; i++) {
		char path[600];
		run_unmap(&drop[i]);
		rs_path(s, drop[i].id, path, sizeof path);
		unlink(path); /* readers that still map it keep their pages */
	}
	return 0;
}

/* Merge all runs into one (entries must be contiguous, as they are here). */
static int rs_compact(void *p, char *err)
{
	rs *s = p;
	if (s->nruns < 2) return 0;
	uint64_t n_post = 0, n_ent = 0;
	uint32_t min_date = UINT32_MAX, max_date = 0;
	const uint8_t *parts[256];
	uint64_t counts[256];
	for (uint32_t i = 0; i < s->nruns; i++) {
		const run_hdr *h = &s->runs[i].h;
		if (i && s->runs[i - 1].h.first + s->runs[i - 1].h.n_ent != h->first)
			return fail(err, "runs are not contiguous");
		n_post += h->n_post; n_ent += h->n_ent;
		if (h->min_date < min_date) min_date = h->min_date;
		if (h->max_date > max_date) max_date = h->max_date;
		parts[i] = s->runs[i].ent;
		counts[i] = h->n_ent;
	}
	/* k-way merge of postings into memory (k is small: a linear min) */
	posting *m = malloc(n_post * sizeof *m);
	if (!m) return fail(err, "out of memory");
	size_t pos[256] = {0};
	for (uint64_t o = 0; o < n_post; o++) {
		int best = -1;
		for (uint32_t i = 0; i < s->nruns; i++) {
			if (pos[i] == s->runs[i].h.n_post) continue;
			if (best < 0 || s->runs[i].post[pos[i]].key < s->runs[best].post[pos[best]].key) best = i;
		}
		m[o] = s->runs[best].post[pos[best]++];
	}
	run nr = {0};
	nr.id = s->next_id++;
	run_hdr_init(&nr.h, s->runs[0].h.first, n_ent, n_post, min_date, max_date);
	int rc = rs_write_run(s, nr.id, &nr.h, m, parts, counts, (int)s->nruns, err);
	free(m);
	if (rc) return rc;
	run old[256];
	uint32_t no = s->nruns;
	memcpy(old, s->runs, no * sizeof(run));
	s->runs[0] = nr;
	s->nruns = 1;
	s->gen++;
	if (rs_write_manifest(s, err)) return -1;
	for (uint32_t i = 0; i < no; i++) {
		char path[600];
		run_unmap(&old[i]);
		rs_path(s, old[i].id, path, sizeof path);
		unlink(path);
	}
	return run_map(s, &s->runs[0], 0, err);
}

/* Full scan: postings sorted and inside their run; every blob read. */
static int rs_count(void *p, uint64_t *out, char *err)
{
	rs *s = p;
	uint64_t n = 0, sum = 0;
	for (uint32_t i = 0; i < s->nruns; i++) {
		const run *r = &s->runs[i];
		for (uint64_t k = 0; k < r->h.n_post; k++) {
			if (k && r->post[k].key < r->post[k - 1].key)
				return fail(err, "%s/run-%010u: postings out of order at %" PRIu64, s->dir, r->id, k);
			if (r->post[k].entry - r->h.first >= r->h.n_ent)
				return fail(err, "%s/run-%010u: posting %" PRIu64 " outside the run", s->dir, r->id, k);
		}
		sum += XXH3_64bits(r->ent, r->h.n_ent * VAL);
		n += r->h.n_ent;
	}
	*out = n + (sum & 0);
	return 0;
}

static const store_vt stores[] = {
	{"lmdb", lm_open, lm_add, lm_query, lm_evict, NULL, lm_count, lm_close},
	{"rocksdb", rk_open, rk_add, rk_query, rk_evict, NULL, rk_count, rk_close},
	{"runs", rs_open, rs_add, rs_query, rs_evict, rs_compact, rs_count, rs_close},
};
#define NSTORES 3

/* ------------------------------------------------------------------ */
/* Worker processes                                                    */

enum { OP_ADD, OP_QUERY, OP_EVICT, OP_COMPACT, OP_REOPEN, OP_EXIT };

typedef struct {
	int op;
	uint64_t first, n;
	uint32_t date;
	qparams qp;
} cmd;

typedef struct {
	int err;
	double secs, extra;
	qres q;
	long hwm_kb, anon_kb, file_kb, maxrss_kb;
	char msg[ERRLEN];
} reply;

typedef struct { pid_t pid; int to, from; } worker;

static void worker_loop(const store_vt *vt, const char *dir, int in, int out)
{
	void *s = NULL;
	reply r = {0};
	r.err = vt->open(&s, dir, 0, r.msg);
	if (write(out, &r, sizeof r) != sizeof r) _exit(1);
	cmd c;
	while (read(in, &c, sizeof c) == sizeof c) {
		memset(&r, 0, sizeof r);
		if (c.op == OP_ADD) {
			batch b;
			batch_make(&b, c.first, c.n, c.date);
			reset_hwm();
			double t = now();
			r.err = vt->add(s, &b, &r.extra, r.msg);
			r.secs = now() - t;
			r.hwm_kb = proc_status_kb("VmHWM");
			batch_free(&b);
		} else if (c.op == OP_QUERY) {
			reset_hwm();
			double t = now();
			r.err = vt->query(s, &c.qp, &r.q, r.msg);
			r.secs = now() - t;
			r.hwm_kb = proc_status_kb("VmHWM");
		} else if (c.op == OP_EVICT) {
			reset_hwm();
			double t = now();
			r.err = vt->evict(s, c.date, &r.extra, r.msg);
			r.secs = now() - t;
			r.hwm_kb = proc_status_kb("VmHWM");
		} else if (c.op == OP_COMPACT) {
			double t = now();
			r.err = vt->compact ? vt->compact(s, r.msg) : 0;
			r.secs = vt->compact ? now() - t : -1;
		} else if (c.op == OP_REOPEN) {
			vt->close(s);
			double t = now();
			r.err = vt->open(&s, dir, 0, r.msg);
			r.secs = now() - t;
			if (!r.err && vt == &stores[2]) { /* full checksum verification */
				vt->close(s);
				t = now();
				r.err = vt->open(&s, dir, 1, r.msg);
				r.extra = now() - t;
			}
		} else {
			break;
		}
		r.anon_kb = proc_status_kb("RssAnon");
		r.file_kb = proc_status_kb("RssFile");
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		r.maxrss_kb = ru.ru_maxrss;
		if (write(out, &r, sizeof r) != sizeof r) _exit(1);
	}
	vt->close(s);
	_exit(0);
}

static worker spawn(const store_vt *vt, const char *dir)
{
	int a[2], b[2];
	if (pipe(a) || pipe(b)) { perror("pipe"); exit(2); }
	worker w;
	w.pid = fork();
	if (w.pid == 0) {
		close(a[1]); close(b[0]);
		worker_loop(vt, dir, a[0], b[1]);
	}
	close(a[0]); close(b[1]);
	w.to = a[1]; w.from = b[0];
	return w;
}

static int call(worker *w, const cmd *c, reply *r)
{
	if (write(w->to, c, sizeof *c) != sizeof *c) return -1;
	return read(w->from, r, sizeof *r) == sizeof *r ? 0 : -1;
}

static void die_reply(const char *store, const char *what, const reply *r)
{
	fprintf(stderr, "%s: %s failed: %s\n", store, what, r->msg);
	exit(1);
}

/* ------------------------------------------------------------------ */
/* bench                                                               */

static double baseline(const char *file, const char *tool)
{
	char cmdline[1024];
	snprintf(cmdline, sizeof cmdline, "%s '%s' >/dev/null 2>&1", tool, file);
	double t = now();
	if (system(cmdline)) fprintf(stderr, "baseline '%s' failed\n", cmdline);
	return now() - t;
}

static void print_baselines(const char *file, const char *when)
{
	printf("baseline (%s): LC_ALL=C wc -w %.2f s, xxhsum -H3 %.2f s over a fixed 256 MiB file\n", when,
	       baseline(file, "LC_ALL=C wc -w"), baseline(file, "xxhsum -H3"));
	fflush(stdout);
}

static int bench(const char *root, uint32_t days, uint64_t bsz, uint32_t nq, uint32_t evict_days)
{
	char dir[NSTORES][600], base[600];
	worker w[NSTORES];
	reply r;
	mkdir(root, 0755);
	snprintf(base, sizeof base, "%s/baseline.bin", root);
	{ /* fixed 256 MiB file, words of random letters */
		FILE *f = fopen(base, "w");
		uint64_t s = 42;
		char buf[1 << 16];
		for (int blk = 0; blk < (1 << 12); blk++) {
			for (size_t i = 0; i < sizeof buf; i++) {
				s = s * 6364136223846793005ull + 1442695040888963407ull;
				unsigned c = (s >> 33) % 32;
				buf[i] = c < 5 ? ' ' : c == 5 ? '\n' : 'a' + c;
			}
			fwrite(buf, 1, sizeof buf, f);
		}
		fclose(f);
	}
	print_baselines(base, "start");
	for (int i = 0; i < NSTORES; i++) {
		snprintf(dir[i], sizeof dir[i], "%s/%s", root, stores[i].name);
		w[i] = spawn(&stores[i], dir[i]);
		if (read(w[i].from, &r, sizeof r) != sizeof r || r.err) die_reply(stores[i].name, "open", &r);
	}
	printf("\nentries/day %" PRIu64 ", days %u, queries %u docs x %d keys, evict %u oldest days\n",
	       bsz, days, nq, NB, evict_days);
	printf("\n| day | entries | store | add s | of which settle s | add peak RSS MB | query µs/doc | matches | disk GB |\n");
	printf("|---|---|---|---|---|---|---|---|---|\n");
	fflush(stdout);
	for (uint32_t d = 0; d < days; d++) {
		double add[NSTORES], settle[NSTORES], q[NSTORES];
		long hwm[NSTORES];
		qres qr[NSTORES];
		for (int k = 0; k < NSTORES; k++) {
			int i = (d + k) % NSTORES;
			cmd c = {.op = OP_ADD, .first = (uint64_t)d * bsz, .n = bsz, .date = DATE0 + d};
			if (call(&w[i], &c, &r) || r.err) die_reply(stores[i].name, "add", &r);
			add[i] = r.secs; settle[i] = r.extra; hwm[i] = r.hwm_kb;
		}
		qparams qp = {.seed = d + 1, .live_lo = 0, .live_hi = (uint64_t)(d + 1) * bsz, .cutoff = 0, .q = nq};
		for (int k = 0; k < NSTORES; k++) {
			int i = (d + k) % NSTORES;
			cmd c = {.op = OP_QUERY, .qp = qp};
			if (call(&w[i], &c, &r) || r.err) die_reply(stores[i].name, "query", &r);
			q[i] = r.secs; qr[i] = r.q;
		}
		for (int i = 0; i < NSTORES; i++) {
			char st[32] = "-";
			if (i == 1) snprintf(st, sizeof st, "%.2f", settle[i]);
			printf("| %u | %" PRIu64 " | %s | %.2f | %s | %ld | %.1f | %" PRIu64 "%s | %.2f |\n",
			       d + 1, (uint64_t)(d + 1) * bsz, stores[i].name, add[i], st,
			       hwm[i] / 1024, q[i] * 1e6 / nq, qr[i].matches,
			       qr[i].matches == qr[0].matches && qr[i].checksum == qr[0].checksum ? "" : " MISMATCH",
			       du(dir[i]) / 1e9);
		}
		fflush(stdout);
		if (d + 1 == days / 2) print_baselines(base, "middle");
	}

	uint32_t cutoff = DATE0 + evict_days;
	printf("\nEVICT entries dated before day %u (%" PRIu64 " entries)\n\n", evict_days + 1, (uint64_t)evict_days * bsz);
	printf("| store | evict s | reclaim s | disk GB before | disk GB after | evict peak RSS MB |\n|---|---|---|---|---|---|\n");
	for (int i = 0; i < NSTORES; i++) {
		double before = du(dir[i]) / 1e9;
		cmd c = {.op = OP_EVICT, .date = cutoff};
		if (call(&w[i], &c, &r) || r.err) die_reply(stores[i].name, "evict", &r);
		char rec[32];
		if (r.extra < 0) snprintf(rec, sizeof rec, "never (file keeps its size)");
		else snprintf(rec, sizeof rec, "%.2f", r.extra);
		printf("| %s | %.2f | %s | %.2f | %.2f | %ld |\n", stores[i].name,
		       r.secs - (r.extra > 0 ? r.extra : 0), rec, before, du(dir[i]) / 1e9, r.hwm_kb / 1024);
		fflush(stdout);
	}
	qparams qp = {.seed = 1000, .live_lo = (uint64_t)evict_days * bsz, .live_hi = (uint64_t)days * bsz,
		      .dead_lo = 0, .dead_hi = (uint64_t)evict_days * bsz, .cutoff = cutoff, .q = nq};
	printf("\nQUERY after eviction (10%% of docs hit live entries, 5%% hit evicted ones)\n\n");
	printf("| store | query µs/doc | matches | skipped by date | after compaction: compact s | query µs/doc | disk GB |\n|---|---|---|---|---|---|---|\n");
	for (int i = 0; i < NSTORES; i++) {
		cmd c = {.op = OP_QUERY, .qp = qp};
		if (call(&w[i], &c, &r) || r.err) die_reply(stores[i].name, "query", &r);
		qres a = r.q;
		double qa = r.secs;
		c.op = OP_COMPACT;
		if (call(&w[i], &c, &r) || r.err) die_reply(stores[i].name, "compact", &r);
		double tc = r.secs;
		char cbuf[64] = "-", qbuf[64] = "-";
		if (tc >= 0) {
			snprintf(cbuf, sizeof cbuf, "%.2f", tc);
			c.op = OP_QUERY;
			if (call(&w[i], &c, &r) || r.err) die_reply(stores[i].name, "query", &r);
			snprintf(qbuf, sizeof qbuf, "%.1f", r.secs * 1e6 / nq);
		}
		printf("| %s | %.1f | %" PRIu64 " | %" PRIu64 " | %s | %s | %.2f |\n", stores[i].name,
		       qa * 1e6 / nq, a.matches, a.filtered, cbuf, qbuf, du(dir[i]) / 1e9);
		fflush(stdout);
	}
	printf("\nREOPEN and EXIT\n\n| store | reopen s | reopen with full checksum check s | peak RSS (ru_maxrss) MB | RssAnon MB | RssFile MB |\n|---|---|---|---|---|---|\n");
	for (int i = 0; i < NSTORES; i++) {
		cmd c = {.op = OP_REOPEN};
		if (call(&w[i], &c, &r) || r.err) die_reply(stores[i].name, "reopen", &r);
		char vb[32] = "-";
		if (i == 2) snprintf(vb, sizeof vb, "%.2f", r.extra);
		printf("| %s | %.3f | %s | %ld | %ld | %ld |\n", stores[i].name, r.secs, vb,
		       r.maxrss_kb / 1024, r.anon_kb / 1024, r.file_kb / 1024);
		c.op = OP_EXIT;
		if (write(w[i].to, &c, sizeof c)) {}
		waitpid(w[i].pid, NULL, 0);
	}
	printf("\n");
	print_baselines(base, "end");
	unlink(base);
	return 0;
}

/* ------------------------------------------------------------------ */
/* crash: kill -9 during an add, then see which generation opens       */
/*
 * Every store operation runs in a child process: RocksDB's background
 * threads do not survive fork(), so the parent never opens a store.
 */

typedef struct { uint64_t bsz; uint32_t days; qparams qp; batch *b; } job;
typedef int (*child_fn)(const store_vt *vt, const char *dir, const job *j, char *out);

/* Run fn in a child; its text answer comes back in out. With kill_after
 * >= 0 the child is sent SIGKILL after that many seconds. */
static int in_child(child_fn fn, const store_vt *vt, const char *dir, const job *j,
		    double kill_after, char *out, size_t n)
{
	int p[2];
	if (pipe(p)) { perror("pipe"); exit(2); }
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		alarm(300);
		char buf[ERRLEN + 128] = "";
		int rc = fn(vt, dir, j, buf);
		if (write(p[1], buf, strlen(buf) + 1) < 0) {}
		_exit(rc ? 1 : 0);
	}
	close(p[1]);
	if (kill_after >= 0) {
		usleep((useconds_t)(kill_after * 1e6));
		kill(pid, SIGKILL);
	}
	out[0] = 0;
	ssize_t got = read(p[0], out, n - 1);
	out[got > 0 ? got : 0] = 0;
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	return st;
}

static int ch_build(const store_vt *vt, const char *dir, const job *j, char *out)
{
	void *s;
	double settle;
	char msg[ERRLEN];
	if (vt->open(&s, dir, 0, msg)) { sprintf(out, "open: %s", msg); return -1; }
	int rc = 0;
	for (uint32_t d = 0; d < j->days && !rc; d++) {
		batch b;
		batch_make(&b, d * j->bsz, j->bsz, DATE0 + d);
		if ((rc = vt->add(s, &b, &settle, msg))) sprintf(out, "add: %s", msg);
		batch_free(&b);
	}
	if (!rc && j->qp.q) {
		qres r = {0};
		if ((rc = vt->query(s, &j->qp, &r, msg))) sprintf(out, "query: %s", msg);
		else sprintf(out, "%" PRIu64 " %" PRIu64, r.matches, r.checksum);
	}
	vt->close(s);
	return rc;
}

/* add day `days` (0-based) to an existing store; prints the seconds */
static int ch_add(const store_vt *vt, const char *dir, const job *j, char *out)
{
	void *s;
	double settle;
	char msg[ERRLEN];
	double t = now();
	if (vt->open(&s, dir, 0, msg)) { sprintf(out, "open: %s", msg); return -1; }
	int rc = vt->add(s, j->b, &settle, msg); /* the batch was made before fork() */
	sprintf(out, "%.3f", now() - t);
	vt->close(s);
	return rc;
}

static int ch_count(const store_vt *vt, const char *dir, const job *j, char *out)
{
	(void)j;
	void *s;
	uint64_t n;
	char msg[ERRLEN];
	if (vt->open(&s, dir, 1, msg)) { sprintf(out, "open error: %s", msg); return -1; }
	int rc = vt->count(s, &n, msg);
	vt->close(s);
	if (rc) sprintf(out, "scan error: %s", msg);
	else sprintf(out, "%" PRIu64, n);
	return rc;
}

static void rm_rf(const char *dir)
{
	char c[700];
	snprintf(c, sizeof c, "rm -rf '%s'", dir);
	if (system(c)) {}
}

static void cp_a(const char *from, const char *to)
{
	char c[1400];
	rm_rf(to);
	snprintf(c, sizeof c, "cp -a '%s' '%s'", from, to);
	if (system(c)) { fprintf(stderr, "%s failed\n", c); exit(1); }
}

static int crash(const char *root, uint64_t bsz, int trials)
{
	mkdir(root, 0755);
	srand(12345);
	printf("kill -9 during the add of day 2 (%" PRIu64 " entries) to a store holding day 1; then open (runs: with checksum verification) and count the entries\n\n", bsz);
	for (int i = 0; i < NSTORES; i++) {
		const store_vt *vt = &stores[i];
		char base[600], dir[600], out[ERRLEN + 128];
		snprintf(base, sizeof base, "%s/crash-base-%s", root, vt->name);
		snprintf(dir, sizeof dir, "%s/crash-%s", root, vt->name);
		rm_rf(base);
		batch b;
		batch_make(&b, bsz, bsz, DATE0 + 1);
		job j = {.bsz = bsz, .days = 1, .b = &b};
		if (in_child(ch_build, vt, base, &j, -1, out, sizeof out)) { printf("%s: build: %s\n", vt->name, out); continue; }
		cp_a(base, dir);
		if (in_child(ch_add, vt, dir, &j, -1, out, sizeof out)) { printf("%s: add: %s\n", vt->name, out); continue; }
		double t_add = atof(out);
		int old = 0, new = 0, bad = 0;
		printf("%s: open + add (to its return) takes %.2f s; kills at uniform moments in [0, %.2f s]\n",
		       vt->name, t_add, 1.1 * t_add);
		for (int k = 0; k < trials; k++) {
			cp_a(base, dir);
			double delay = 1.1 * t_add * rand() / RAND_MAX;
			in_child(ch_add, vt, dir, &j, delay, out, sizeof out);
			int st = in_child(ch_count, vt, dir, &j, -1, out, sizeof out);
			const char *what;
			uint64_t n = strtoull(out, NULL, 10);
			if (WIFSIGNALED(st)) { what = "open CRASHED"; bad++; }
			else if (WEXITSTATUS(st)) { what = out; bad++; }
			else if (n == bsz) { what = "previous generation"; old++; }
			else if (n == 2 * bsz) { what = "new generation"; new++; }
			else { what = "PARTIAL"; bad++; }
			printf("  kill at %.3f s: %s (%s)\n", delay, what, out);
		}
		printf("%s: %d previous, %d new, %d bad\n\n", vt->name, old, new, bad);
		fflush(stdout);
		rm_rf(dir);
		rm_rf(base);
		batch_free(&b);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* corrupt: truncate / flip bytes in each store's main file             */

static int largest_file(const char *dir, const char *suffix, char *out, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	off_t best = -1;
	while (d && (de = readdir(d))) {
		char p[700];
		struct stat st;
		if (!strstr(de->d_name, suffix) || strstr(de->d_name, ".tmp")) continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		if (!stat(p, &st) && S_ISREG(st.st_mode) && st.st_size > best) {
			best = st.st_size;
			snprintf(out, n, "%s", p);
		}
	}
	if (d) closedir(d);
	return best < 0 ? -1 : 0;
}

/* Run queries on a store in a child; describe what happened. */
static void probe(const store_vt *vt, const char *dir, int verify, const qparams *qp,
		  const qres *want, char *out, size_t n)
{
	int p[2];
	if (pipe(p)) exit(2);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		alarm(120);
		char msg[ERRLEN] = "";
		char buf[ERRLEN + 64];
		void *s;
		qres r = {0};
		uint64_t cnt = 0;
		int n = 0;
		if (vt->open(&s, dir, verify, msg)) { snprintf(buf, sizeof buf, "open: error: %s", msg); goto out; }
		if (vt->query(s, qp, &r, msg)) n = snprintf(buf, sizeof buf, "query: error: %s", msg);
		else if (r.matches != want->matches || r.checksum != want->checksum)
			n = snprintf(buf, sizeof buf, "query: WRONG RESULT, no error (%" PRIu64 " matches, want %" PRIu64 "; blobs %s)",
				     r.matches, want->matches, r.checksum == want->checksum ? "same" : "differ");
		else n = snprintf(buf, sizeof buf, "query: right");
		/* a crash in the scan still leaves the query's outcome */
		if (write(p[1], buf, n) < 0) {}
		n = 0;
		if (vt->count(s, &cnt, msg)) snprintf(buf, sizeof buf, "; full scan: error: %s", msg);
		else snprintf(buf, sizeof buf, "; full scan: no error (%" PRIu64 " entries)", cnt);
out:
		if (write(p[1], buf, strlen(buf) + 1) < 0) {}
		_exit(0);
	}
	close(p[1]);
	char buf[2 * ERRLEN + 128] = "";
	size_t got = 0;
	ssize_t k;
	while (got < sizeof buf - 1 && (k = read(p[0], buf + got, sizeof buf - 1 - got)) > 0) got += k;
	buf[got] = 0;
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		snprintf(out, n, "%s%sCRASH: %s", buf, got ? "; then " : "", strsignal(WTERMSIG(st)));
	else
		snprintf(out, n, "%s", got ? buf : "(no answer)");
}

static int corrupt(const char *root, uint64_t bsz)
{
	mkdir(root, 0755);
	/* queries: all hits (every doc carries a key of a live entry) */
	qparams qp = {.seed = 77, .live_lo = 0, .live_hi = 2 * bsz, .cutoff = 0, .q = 20000};
	printf("store of 2 days x %" PRIu64 " entries; %u queries, ~10%% hits, then a full scan of the entries\n\n", bsz, qp.q);
	printf("| store | file | damage | outcome |\n|---|---|---|---|\n");
	for (int i = 0; i < NSTORES; i++) {
		const store_vt *vt = &stores[i];
		char dir[600], work[600], msg[ERRLEN], file[700], out[2 * ERRLEN + 200];
		snprintf(dir, sizeof dir, "%s/pristine-%s", root, vt->name);
		snprintf(work, sizeof work, "%s/damaged-%s", root, vt->name);
		rm_rf(dir);
		qres want = {0};
		job j = {.bsz = bsz, .days = 2, .qp = qp};
		if (in_child(ch_build, vt, dir, &j, -1, msg, sizeof msg)) { printf("%s: %s\n", vt->name, msg); continue; }
		sscanf(msg, "%" SCNu64 " %" SCNu64, &want.matches, &want.checksum);
		const char *suffix = i == 0 ? "data.mdb" : i == 1 ? ".sst" : "run-";
		static const char *damages[] = {"truncate to half", "invert 64 bytes at 1/4, 1/2, 3/4",
						"1 bit in each of 64 random places (seed 1)", "(seed 2)", "(seed 3)", "(seed 4)", "(seed 5)"};
		for (int verify = 0; verify <= (i == 2); verify++)
		for (int dm = 0; dm < 7; dm++) {
			cp_a(dir, work);
			if (largest_file(work, suffix, file, sizeof file)) { printf("%s: no %s file\n", vt->name, suffix); continue; }
			struct stat st;
			stat(file, &st);
			int fd = open(file, O_RDWR);
			if (dm == 0) {
				if (ftruncate(fd, st.st_size / 2)) perror("ftruncate");
			} else if (dm == 1) {
				for (int q = 1; q <= 3; q++) {
					uint8_t buf[64];
					off_t off = st.st_size / 4 * q;
					if (pread(fd, buf, 64, off) != 64) {}
					for (int k = 0; k < 64; k++) buf[k] ^= 0xFF;
					if (pwrite(fd, buf, 64, off) != 64) {}
				}
			} else {
				uint64_t x = 99 + dm;
				for (int q = 0; q < 64; q++) {
					x = mix64(x);
					off_t off = 4096 + x % (st.st_size - 4096);
					uint8_t v;
					if (pread(fd, &v, 1, off) != 1) {}
					v ^= 1u << (x >> 61);
					if (pwrite(fd, &v, 1, off) != 1) {}
				}
			}
			close(fd);
			probe(vt, work, verify, &qp, &want, out, sizeof out);
			printf("| %s%s | %s (%lld bytes) | %s | %s |\n", vt->name,
			       i == 2 ? (verify ? " (open verifies checksums)" : " (header + size checks only)") : "",
			       strrchr(file, '/') + 1, (long long)st.st_size, damages[dm], out);
			fflush(stdout);
		}
		rm_rf(work);
		rm_rf(dir);
	}
	return 0;
}

/* ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s bench|crash|corrupt DIR [--days N] [--batch B] [--queries Q] [--evict K] [--trials N]\n", argv[0]);
		return 2;
	}
	uint32_t days = 10, nq = 20000, evict = 3, trials = 10;
	uint64_t bsz = 1000000;
	for (int i = 3; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--days")) days = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--batch")) bsz = strtoull(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--queries")) nq = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--evict")) evict = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--trials")) trials = atoi(argv[i + 1]);
		else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "bench")) return bench(argv[2], days, bsz, nq, evict);
	if (!strcmp(argv[1], "crash")) return crash(argv[2], bsz, trials);
	if (!strcmp(argv[1], "corrupt")) return corrupt(argv[2], bsz);
	fprintf(stderr, "unknown mode %s\n", argv[1]);
	return 2;
}
