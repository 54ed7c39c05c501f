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

struct rp_parallel {
    job j;
    pthread_t *t;
    worker_arg *args;
    size_t started;
};

int rp_parallel_start(rp_parallel **out, size_t threads, size_t n,
                      rp_task_fn fn, void *ctx)
{
    *out = NULL;
    rp_parallel *p = threads > 1 ? calloc(1, sizeof *p) : NULL;
    if (p) {
        p->t = malloc(threads * sizeof *p->t);
        p->args = malloc(threads * sizeof *p->args);
    }
    if (!p || !p->t || !p->args) {
        if (p) {
            free(p->t);
            free(p->args);
            free(p);
        }
        return rp_parallel_for(1, n, fn, ctx);
    }
    p->j.fn = fn;
    p->j.ctx = ctx;
    p->j.n = n;
    atomic_init(&p->j.next, 0);
    for (; p->started < threads; p->started++) {
        p->args[p->started].j = &p->j;
        p->args[p->started].id = p->started;
        if (pthread_create(&p->t[p->started], NULL, thread_main,
                           &p->args[p->started]))
            break;
    }
    *out = p;
    return 0;
}

void rp_parallel_wait(rp_parallel *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->started; i++)
        pthread_join(p->t[i], NULL);
    if (p->started == 0)
        run(&p->j, 0); /* no thread could start: do it here */
    free(p->t);
    free(p->args);
    free(p);
}
