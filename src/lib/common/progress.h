/*
 * progress.h - the library's side of reprint/progress.h: a job's current
 * stage, reported through the caller's function (or nowhere), and a
 * parallel loop that reports between chunks of its items.
 */
#ifndef RP_LIB_PROGRESS_H
#define RP_LIB_PROGRESS_H

#include "reprint/progress.h"
#include "../../util/parallel.h"

typedef struct rp__progress {
    rp_progress_fn fn; /* NULL: nothing is reported */
    void *ctx;
    rp_progress p;     /* the current stage */
} rp__progress;

static inline void rp__progress_init(rp__progress *pr, rp_progress_fn fn,
                                     void *ctx, unsigned stage_count)
{
    rp_progress p = {RP_PROGRESS_VERSION, "", 0, stage_count,
                     RP_PROGRESS_ITEMS, "", 0, 0};
    pr->fn = fn;
    pr->ctx = ctx;
    pr->p = p;
}

static inline void rp__progress_report(rp__progress *pr, uint64_t done)
{
    if (!pr->fn)
        return;
    pr->p.done = done;
    pr->fn(pr->ctx, &pr->p);
}

/* The next stage begins: reported with done = 0. */
static inline void rp__progress_stage(rp__progress *pr, const char *stage,
                                      unsigned unit, const char *items,
                                      uint64_t total)
{
    pr->p.stage = stage;
    pr->p.stage_index++;
    if (pr->p.stage_index > pr->p.stage_count)
        pr->p.stage_count = pr->p.stage_index;
    pr->p.unit = unit;
    pr->p.items = unit == RP_PROGRESS_BYTES ? "bytes" : items;
    pr->p.total = total;
    rp__progress_report(pr, 0);
}

/* The stage is over: reported with done = total (when known). */
static inline void rp__progress_end(rp__progress *pr, uint64_t done)
{
    if (pr->p.total)
        done = pr->p.total;
    rp__progress_report(pr, done);
}

typedef struct rp__chunk {
    rp_task_fn fn;
    void *ctx;
    size_t base;
} rp__chunk;

static inline void rp__chunk_task(void *ctx, size_t i, size_t worker)
{
    rp__chunk *c = ctx;
    c->fn(c->ctx, c->base + i, worker);
}

/*
 * rp_parallel_for over [0, n) in chunks of about 1/64 of n, reporting the
 * items done after each. Each index is still done once, by fn writing its
 * own slot, so the result is the same as one rp_parallel_for; without a
 * progress function it is exactly one call.
 */
static inline int rp__progress_parallel(rp__progress *pr, size_t threads,
                                        size_t n, rp_task_fn fn, void *ctx)
{
    if (!pr->fn)
        return rp_parallel_for(threads, n, fn, ctx);
    size_t step = n / 64 > 256 ? n / 64 : 256;
    int rc = 0;
    for (size_t at = 0; at < n; at += step) {
        rp__chunk c = {fn, ctx, at};
        size_t m = n - at < step ? n - at : step;
        if (rp_parallel_for(threads, m, rp__chunk_task, &c))
            rc = -1;
        rp__progress_report(pr, at + m);
    }
    return rc;
}

#endif
