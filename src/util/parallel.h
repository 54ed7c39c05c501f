/*
 * parallel.h - run fn(ctx, i, worker) for i in [0, n) on up to `threads`
 * threads (the caller's thread is worker 0). Indices are handed out one at
 * a time from an atomic counter; each call must write only its own slot, so
 * results do not depend on the thread count.
 */
#ifndef RP_UTIL_PARALLEL_H
#define RP_UTIL_PARALLEL_H

#include <stddef.h>

typedef void (*rp_task_fn)(void *ctx, size_t index, size_t worker);

/* Returns 0, or -1 if threads could not be started (the work is then done
 * on the calling thread alone, so the result is still complete). */
int rp_parallel_for(size_t threads, size_t n, rp_task_fn fn, void *ctx);



/*
 * The same on `threads` new threads, returning at once so the caller can do
 * other work (read the next batch) meanwhile; rp_parallel_wait() joins.
 * With threads <= 1 the work runs here, now, and *out is NULL.
 */
typedef struct rp_parallel rp_parallel;
int rp_parallel_start(rp_parallel **out, size_t threads, size_t n,
                      rp_task_fn fn, void *ctx);
void rp_parallel_wait(rp_parallel *p); /* accepts NULL */
#endif
