/*
 * index.h - the persistent index's store (layout in reprint/index.h): a
 * manifest naming immutable run files (run.h) that hold the kept units
 * (documents and paragraphs) of earlier runs, their band keys, shingle
 * sets and signatures. Library-internal: dedup/against.c and the
 * rp_index_* functions use it.
 *
 * A reader sees the generation it opened throughout; a writer (one at a
 * time: the others wait) makes its puts and evictions visible, all at
 * once, at commit.
 */
#ifndef RP_LIB_STORE_INDEX_H
#define RP_LIB_STORE_INDEX_H

#include "reprint/common.h"
#include "reprint/date.h"
#include "reprint/sign.h"

#include <stddef.h>
#include <stdint.h>

#define RP_IX_DOC 0
#define RP_IX_PARA 1
#define RP_IX_NO_DAY INT32_MIN

/* What must be equal for band keys and verification to agree. */
typedef struct rp_ix_params {
    rp_sign_options sign;
    uint32_t bands[2], rows[2]; /* per level */
    double threshold[2];        /* per level */
    uint32_t verify;
} rp_ix_params;

typedef struct rp_ix_state {
    uint64_t generation; /* commits since create */
    uint64_t next;       /* next entry number */
    uint64_t count[2];   /* live entries per level */
    int32_t newest_day;  /* newest day of any entry, or RP_IX_NO_DAY */
    int32_t window_days; /* the window of the last update; 0 = none */
} rp_ix_state;

/* One stored unit; the arrays point into the store (unaligned bytes). */
typedef struct rp_ix_entry {
    uint64_t number;
    uint32_t level;
    int32_t day;       /* window day: the date's, or the newest at add */
    rp_date date;
    uint64_t content;  /* XXH3 of the shingle sequence */
    uint64_t line, offset;
    uint32_t para;     /* paragraph number in its record (level 1) */
    uint32_t span[2];  /* the unit's token bytes in its record's text */
    const char *id, *file;
    uint32_t id_len, file_len;
    uint32_t nset, nsig, nkeys;
    const unsigned char *set, *sig, *keys; /* u64, u32, u64 little-endian */
} rp_ix_entry;

typedef struct rp_ix rp_ix;

/* Make a new, empty index at path (a directory that must not exist). */
int rp__ix_create(const char *path, const rp_ix_params *p, rp_error *err);
/* Open for reading (write 0) or for one writer (write 1; waits for an
 * earlier writer to finish). Checks the manifest and every run's size,
 * header and tables. */
int rp__ix_open(rp_ix **out, const char *path, int write, rp_error *err);
/* Abandon what was not committed and close. */
void rp__ix_close(rp_ix *ix);
const char *rp__ix_path(const rp_ix *ix);
const rp_ix_params *rp__ix_params(const rp_ix *ix);
const rp_ix_state *rp__ix_state(const rp_ix *ix);
/* Entry numbers under band key `key` of `level`, ascending; at most cap
 * (*total says how many there are). */
int rp__ix_postings(rp_ix *ix, uint32_t level, uint64_t key, uint64_t *out,
                    size_t cap, size_t *n, size_t *total, rp_error *err);
/* The postings of nk distinct ascending keys at level, run after run
 * (so a key's numbers ascend): emit (key index, entry number). Far faster
 * than a lookup per key when the keys are many. */
int rp__ix_walk(rp_ix *ix, uint32_t level, const uint64_t *keys, size_t nk,
                int (*emit)(void *ctx, size_t ki, uint64_t number), void *ctx,
                rp_error *err);
/* Entry `number`, its checksum checked; RP_EIO names the index if bad. */
int rp__ix_get(rp_ix *ix, uint64_t number, rp_ix_entry *e, rp_error *err);
/* Add a unit (e->number, set, sig and keys are taken from the arguments). */
int rp__ix_put(rp_ix *ix, const rp_ix_entry *e, const uint64_t *set,
               const uint32_t *sig, const uint64_t *keys, rp_error *err);
/* Drop the runs whose every dated entry is before cutoff (at commit). */
int rp__ix_evict(rp_ix *ix, int32_t cutoff, uint64_t *evicted,
                 rp_error *err);
void rp__ix_set_window(rp_ix *ix, int32_t window_days);
/* Make the writes visible as the next generation (durable on return). */
int rp__ix_commit(rp_ix *ix, rp_error *err);
/* Walk every entry and posting: checksums, counts, postings that point to
 * entries. *checked: entries read. */
int rp__ix_check(rp_ix *ix, uint64_t *checked, rp_error *err);
/* Merge every run into one without the entries dated before cutoff
 * (INT32_MIN: none), and commit (a writer). */
int rp__ix_compact(rp_ix *ix, int32_t cutoff, uint64_t *dropped,
                   rp_error *err);
/* Bytes of the store on disk. */
uint64_t rp__ix_disk_bytes(const rp_ix *ix);

/* Day number (days since 1970-01-01, floor) of a known date. */
int32_t rp__ix_day(const rp_date *d);

#endif
