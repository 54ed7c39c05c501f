/* parallel.c - see parallel.h. */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct job {
    rp_task_fn fn;
    void *ctx;
    size_t n;
    atomic_size_t next;
} job;

typedef struct worker_arg {
    job *j;
    size_t id;
} worker_arg;

static void run(job *j, size_t id)
{
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n)
            return;
        j->fn(j->ctx, i, id);
    }
}

static void *thread_main(void *p)
{
    worker_arg *a = p;
    run(a->j, a->id);
    return NULL;
}

int rp_parallel_for(size_t threads, size_t n, rp_task_fn fn, void *ctx)
{
    job j;
    j.fn = fn;
    j.ctx = ctx;
    j.n = n;
    atomic_init(&j.next, 0);
    if (threads > n)
        threads = n;
    if (threads <= 1) {
        run(&j, 0);
        return 0;
    }
    pthread_t *t = malloc((threads - 1) * sizeof *t);
    worker_arg *args = malloc((threads - 1) * sizeof *args);
    size_t started = 0;
    int rc = 0;
    if (t && args) {
        for (; started < threads - 1; started++) {
            args[started].j = &j;
            args[started].id = started + 1;
            if (pthread_create(&t[started], NULL, thread_main, &args[started]))
                break;
        }
    }
    if (started < threads - 1)
        rc = -1;
    run(&j, 0);
    for (size_t i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    free(t);
    free(args);
    return rc;
}
