/*
 * units.h - raw input units read in batches, in input order, for workers
 * to parse (and sign) while the next batch is read: the one reading path
 * of dedup (pass 1 and pass 2) and trace. Library-internal.
 *
 *   rp__units        one batch: the units' bytes and where each lies
 *   rp__units_fill   read units until the batch is full or the input ends;
 *                    a reader error is a unit of its own (read_error), so
 *                    errors are reported in input order
 *   rp__units_run    the pipeline: work() on the workers for each unit of
 *                    a batch while the next one is read, then done() on
 *                    the calling thread, batch after batch, in input order
 */
#ifndef RP_LIB_IO_UNITS_H
#define RP_LIB_IO_UNITS_H

#include "reprint/input.h"

#include "../../util/buf.h"

#define RP_UNITS_BYTES ((size_t)8 << 20)
#define RP_UNITS_ITEMS 4096

typedef struct rp__unit_ref {
    size_t off, len; /* in the batch's data */
    uint32_t file;
    uint64_t line, offset;
    rp_unit_kind kind;
    size_t name_off; /* RP_UNIT_TEXT: its name, in the batch's data */
    int read_error;  /* the reader failed here: rc and err say why */
    int rc;
    rp_error err;
} rp__unit_ref;

typedef struct rp__units {
    rp_buf data;
    rp__unit_ref *u;
    size_t n, cap;
    unsigned slot; /* rp__units_run: which of its 3 batches (0, 1, 2) */
} rp__units;

/* Append a copy of unit u. */
int rp__units_add(rp__units *b, const rp_unit *u);
/* Read units from r into b until it is full or the input ends (*eof = 1). */
int rp__units_fill(rp__units *b, rp_reader *r, int *eof);
/* Unit i of b as the reader gave it (pointers into b). */
void rp__units_get(const rp__units *b, size_t i, rp_unit *out);
/* Empty b for the next batch, keeping its memory. */
void rp__units_reset(rp__units *b);
void rp__units_dispose(rp__units *b);

/* work(ctx, b, i, worker): unit i of batch b, on a worker; must write only
 * its own results. prepare(ctx, b) (may be NULL) runs on the calling thread
 * before the batch's work, done(ctx, b) after it, batches in input order;
 * a non-zero return from either stops the run with that code. */
typedef void (*rp__units_work_fn)(void *ctx, const rp__units *b, size_t i,
                                  size_t worker);
typedef int (*rp__units_step_fn)(void *ctx, const rp__units *b);

/*
 * Read r to its end in batches: while `threads` workers run work() over
 * one batch, the calling thread reads the next. progress(ctx) (may be NULL)
 * is called after each batch. Returns RP_OK or the first failure (reading,
 * prepare or done).
 */
int rp__units_run(rp_reader *r, size_t threads, rp__units_step_fn prepare,
                  rp__units_work_fn work, rp__units_step_fn done,
                  void (*progress)(void *ctx), void *ctx);

#endif
