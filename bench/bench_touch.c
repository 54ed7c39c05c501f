/*
 * bench_touch.c - what first-touched memory costs on this machine.
 *
 * usage: bench_touch BYTES THREADS
 *
 * Each of THREADS threads maps BYTES/THREADS of fresh anonymous memory and
 * writes one byte per 4 KiB page, so every page is a minor page fault; it
 * prints the wall seconds and microseconds per page. reprint's passes touch
 * their tables and scratch the same way, so bench/scale.py runs this over
 * as many bytes as `reprint dedup` holds at its peak, with one thread and
 * with all, as the ceiling on how far that part of the work can speed up.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, clock_gettime */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

typedef struct part {
    size_t bytes;
    int failed;
} part;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static void *touch(void *arg)
{
    part *p = arg;
    char *m = mmap(NULL, p->bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        p->failed = 1;
        return NULL;
    }
    for (size_t i = 0; i < p->bytes; i += 4096)
        ((volatile char *)m)[i] = 1;
    munmap(m, p->bytes);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_touch BYTES THREADS\n");
        return 2;
    }
    size_t bytes = strtoull(argv[1], NULL, 10);
    int n = atoi(argv[2]);
    if (bytes < 4096 || n < 1 || n > 256) {
        fprintf(stderr, "bench_touch: BYTES >= 4096, 1 <= THREADS <= 256\n");
        return 2;
    }
    part parts[256];
    pthread_t th[256];
    double t0 = now();
    int started = 0;
    for (int i = 0; i < n; i++) {
        parts[i].bytes = bytes / (size_t)n;
        parts[i].failed = 0;
        if (i > 0 && pthread_create(&th[i], NULL, touch, &parts[i]) != 0)
            break;
        started = i + 1;
    }
    touch(&parts[0]);
    for (int i = 1; i < started; i++)
        pthread_join(th[i], NULL);
    double dt = now() - t0;
    int failed = started < n;
    for (int i = 0; i < started; i++)
        failed |= parts[i].failed;
    if (failed) {
        fprintf(stderr, "bench_touch: cannot map or start a thread\n");
        return 1;
    }
    double pages = (double)(bytes / (size_t)n / 4096) * n;
    printf("seconds %.3f\nus_per_page %.3f\n", dt, dt / pages * 1e6);
    return 0;
}
