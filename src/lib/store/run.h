/*
 * run.h - one run file of the index: the units one commit added, sorted
 * postings per level, immutable once written (layout in reprint/index.h).
 * Library-internal: store/index.c uses it.
 */
#ifndef RP_LIB_STORE_RUN_H
#define RP_LIB_STORE_RUN_H

#include "reprint/common.h"

#include <stddef.h>
#include <stdint.h>

#define RP_RUN_HEAD 96
#define RP_RUN_BLOCK 256 /* postings per block */

/* What the manifest says of a run, and what opening it checks. */
typedef struct rp_run_meta {
    uint64_t id;         /* file run-<id as 16 hex digits>.rpr */
    uint64_t size;       /* bytes */
    uint64_t headsum;    /* the header's XXH3 */
    uint64_t first, last; /* entry numbers held: first..last (0, 0: none) */
    uint64_t count[2];   /* entries per level */
    int32_t min_day, max_day; /* over dated entries; RP_IX_NO_DAY if none */
} rp_run_meta;

typedef struct rp_run rp_run;

/* Map run m of the index in dir: its size, header, entry table and block
 * indexes are checked here, each block of postings when first read. */
int rp__run_open(rp_run **out, const char *dir, const rp_run_meta *m,
                 rp_error *err);
void rp__run_close(rp_run *r);
/* Append to out[*n..cap) the entry numbers under key at level (ascending);
 * *total counts all of them. */
int rp__run_postings(rp_run *r, uint32_t level, uint64_t key, uint64_t *out,
                     size_t cap, size_t *n, size_t *total, rp_error *err);
/* For each of the nk distinct ascending keys, emit (its index, entry
 * number) for every posting of it at level, in ascending numbers: one
 * forward walk over the run. */
int rp__run_walk(rp_run *r, uint32_t level, const uint64_t *keys, size_t nk,
                 int (*emit)(void *ctx, size_t ki, uint64_t number),
                 void *ctx, rp_error *err);
/* The stored bytes of entry `number`: 1 found, 0 not in this run, < 0 an
 * error. */
int rp__run_find(rp_run *r, uint64_t number, const unsigned char **val,
                 size_t *len, rp_error *err);
/* Entries in number order: the i-th's number and bytes. */
size_t rp__run_entries(const rp_run *r);
void rp__run_entry_at(const rp_run *r, size_t i, uint64_t *number,
                      const unsigned char **val, size_t *len);
/* Read every block; call fn for every posting (to check its entry). */
int rp__run_check(rp_run *r,
                  int (*fn)(void *ctx, uint32_t level, uint64_t number),
                  void *ctx, rp_error *err);

typedef struct rp_run_writer rp_run_writer;

/* A new run in dir, written to a temporary file until finished. */
int rp__run_writer_new(rp_run_writer **out, const char *dir, uint64_t id,
                       rp_error *err);
/* Entry `number` (ascending), its bytes, and its postings. */
int rp__run_writer_add(rp_run_writer *w, uint64_t number,
                       const unsigned char *val, size_t len, uint32_t level,
                       int32_t day, const uint64_t *keys, uint32_t nkeys,
                       rp_error *err);
uint64_t rp__run_writer_count(const rp_run_writer *w);
/* Sort and write the postings and tables, fsync, rename into place. */
int rp__run_writer_finish(rp_run_writer *w, rp_run_meta *meta,
                          rp_error *err);
/* Remove the temporary file and free (also after finish). */
void rp__run_writer_free(rp_run_writer *w);

/* "dir/run-<id>.rpr" (malloc'd). */
char *rp__run_path(const char *dir, uint64_t id);

#endif
