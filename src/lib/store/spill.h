/*
 * spill.h - LSH band keys on disk: sorted runs, band-major, checksummed,
 * merged back one band at a time (dedup under --memory). Library-internal.
 *
 * A run holds, for each band in turn, the (key, unit) entries of a range of
 * units sorted by key, units ascending within a key: 12 bytes an entry
 * (key, unit; little-endian). Runs are written to private files in the
 * temporary folder that are unlinked as soon as they are open, so nothing
 * is left behind whatever ends the process; at most RP_SPILL_FANIN are
 * open at once (more are merged into one first). Each band section's XXH3
 * is kept in memory and checked when the section is read back: a damaged
 * or truncated file is an error naming the folder, never a wrong result.
 */
#ifndef RP_LIB_STORE_SPILL_H
#define RP_LIB_STORE_SPILL_H

#include "reprint/common.h"

#include <stddef.h>
#include <stdint.h>

#define RP_SPILL_FANIN 16

typedef struct rp_spill rp_spill;

/* Runs of `bands` keys a unit, in files under dir. */
int rp__spill_new(rp_spill **out, const char *dir, uint32_t bands,
                  rp_error *err);
void rp__spill_free(rp_spill *s);

/* One run: units first .. first + n - 1 (above every unit written so far),
 * their keys unit-major (keys[u * bands + b]). */
int rp__spill_write(rp_spill *s, uint64_t first, const uint64_t *keys,
                    size_t n, rp_error *err);

size_t rp__spill_runs(const rp_spill *s);     /* written (before merging) */
uint64_t rp__spill_bytes(const rp_spill *s);  /* written, merges included */

/* A band's entries from every run, in key order, units ascending within a
 * key. Cursors of different bands may be used on different threads. */
typedef struct rp_spill_cursor rp_spill_cursor;
int rp__spill_open(rp_spill *s, uint32_t band, rp_spill_cursor **out);
/* 1 and the next entry, 0 at the end, or an error (RP_EIO: damaged). */
int rp__spill_next(rp_spill_cursor *c, uint64_t *key, uint64_t *unit);
void rp__spill_close(rp_spill_cursor *c);
/* The error of a cursor that returned one, in err. */
int rp__spill_error(const rp_spill *s, int rc, rp_error *err);

/* For tests: run i's descriptor (damaging it on purpose). */
int rp__spill_fd(const rp_spill *s, size_t i);

#endif
