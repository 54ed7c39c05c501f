/*
 * test_oom.c - the allocation-failure sweep (sqlite's test_malloc.c):
 * for N = 1, 2, ... the Nth allocation made by reprint's own code fails
 * (malloc, calloc and realloc are wrapped at link time, -Wl,--wrap; the
 * libraries reprint links keep theirs), until a run succeeds. Each failed
 * run of sign, dedup and trace on a small corpus must return RP_ENOMEM,
 * crash nowhere, leak nothing (LeakSanitizer at exit), and leave no
 * output and no temporary in the output folder (nothing half-written).
 *
 *   test_oom CORPUS.jsonl [STRIDE [JOBS]]
 * STRIDE > 1 tries every STRIDE-th N only past the first 2000 (CI time);
 * JOBS lists the jobs swept (default "sign,dedup,trace").
 */
#include "reprint/reprint.h"

#include <dirent.h>
#include <execinfo.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

static atomic_long countdown; /* fail when it reaches 0; < 0: off */
static atomic_long failures;
static atomic_long calls;

static int fail_now(void)
{
    atomic_fetch_add(&calls, 1);
    if (atomic_load(&countdown) < 0)
        return 0;
    if (atomic_fetch_sub(&countdown, 1) == 1) {
        atomic_fetch_add(&failures, 1);
        if (getenv("RP_OOM_TRACE")) { /* where: addr2line -e test_oom */
            void *bt[16];
            int k = backtrace(bt, 16);
            backtrace_symbols_fd(bt, k, 2);
        }
        return 1;
    }
    return 0;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    return fail_now() ? NULL : __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

static const char *corpus;
static const char *jobs = "sign,dedup,trace";
static long stride = 1;
static char dir[] = "/tmp/rp-test-oom.XXXXXX";
static char p_rec[300], p_log[300], p_pairs[300], p_rps[300], p_json[300],
    p_md[300], p_html[300];

/* the output folder holds nothing (no output, no temporary) */
static int folder_empty(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') {
            fprintf(stderr, "left: %s\n", e->d_name);
            n++;
        }
    closedir(d);
    return n == 0;
}

static void clear_folder(void)
{
    const char *all[] = {p_rec, p_log, p_pairs, p_rps, p_json, p_md, p_html};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        unlink(all[i]);
}

typedef int (*job_fn)(void);

static int run_sign(void)
{
    rp_dedup_options o = RP_DEDUP_OPTIONS_INIT;
    o.threads = 1;
    rp_dedup_outputs outs = {NULL, NULL, NULL, NULL, p_rps};
    rp_dedup_stats st = RP_DEDUP_STATS_INIT;
    rp_error e;
    const char *in[1] = {corpus};
    return rp_sign_run(in, 1, &o, &outs, NULL, &st, &e);
}

static int run_dedup(void)
{
    rp_dedup_options o = RP_DEDUP_OPTIONS_INIT;
    o.threads = 2;
    rp_dedup_outputs outs = {p_rec, p_log, NULL, p_pairs, p_rps};
    rp_dedup_stats st = RP_DEDUP_STATS_INIT;
    rp_error e;
    const char *in[1] = {corpus};
    return rp_dedup_run(in, 1, &o, &outs, NULL, &st, &e);
}

static int run_trace(void)
{
    rp_trace_options o = RP_TRACE_OPTIONS_INIT;
    rp_trace_outputs outs = {p_json, p_md, p_html};
    rp_trace_stats st = RP_TRACE_STATS_INIT;
    rp_error e;
    const char *in[1] = {corpus};
    return rp_trace_run(in, 1, &o, &outs, NULL, &st, &e);
}

/* the outputs of a run, concatenated (NULL-free: missing files add "") */
static char *outputs(size_t *len)
{
    const char *all[] = {p_rec, p_log, p_pairs, p_rps, p_json, p_md, p_html};
    char *b = NULL;
    size_t n = 0;
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        FILE *f = fopen(all[i], "rb");
        if (!f)
            continue;
        char chunk[1 << 14];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
            b = __real_realloc(b, n + got + 1);
            if (!b)
                abort();
            memcpy(b + n, chunk, got);
            n += got;
        }
        fclose(f);
    }
    *len = n;
    return b;
}

static void sweep(const char *name, job_fn fn)
{
    if (!strstr(jobs, name))
        skip();
    long n;
    int rc;
    long tried = 0;
    long absorbed = 0;
    /* the outputs of a run with no failure, to compare absorbed ones */
    clear_folder();
    atomic_store(&countdown, -1);
    assert_int_equal(fn(), RP_OK);
    size_t ref_len;
    char *ref = outputs(&ref_len);
    /* RP_OOM_FROM=N starts there (to look at one failure) */
    n = getenv("RP_OOM_FROM") ? atol(getenv("RP_OOM_FROM")) : 1;
    for (;; n += n >= 2000 ? stride : 1) {
        clear_folder();
        atomic_store(&failures, 0);
        atomic_store(&countdown, n);
        rc = fn();
        atomic_store(&countdown, -1);
        tried++;
        if (rc == RP_OK && atomic_load(&failures) == 0)
            break; /* ran to the end with fewer than n allocations */
        if (getenv("RP_OOM_VERBOSE"))
            fprintf(stderr, "%s n=%ld rc=%d\n", name, n, rc);
        if (rc == RP_OK) {
            /* a failure absorbed: a fallback (one thread when a second
             * cannot start); the run completed */
            absorbed++;
            size_t got_len;
            char *got = outputs(&got_len);
            if (got_len != ref_len || (ref_len && memcmp(got, ref, ref_len))) {
                fprintf(stderr, "%s: allocation %ld absorbed, but the "
                                "outputs differ\n", name, n);
                fail();
            }
            free(got);
            if (getenv("RP_OOM_VERBOSE"))
                fprintf(stderr, "%s: allocation %ld absorbed\n", name, n);
            continue;
        }
        if (rc != RP_ENOMEM || !folder_empty()) {
            fprintf(stderr, "%s: allocation %ld failed: rc %d (%s)\n", name,
                    n, rc, rp_strerror(rc));
            fail();
        }
    }
    printf("%s: %ld runs, allocations 1..%ld failed in turn (%ld absorbed)\n",
           name, tried, n - 1, absorbed);
    free(ref);
    clear_folder();
}

static void sweep_sign(void **state)
{
    (void)state;
    sweep("sign", run_sign);
}

static void sweep_dedup(void **state)
{
    (void)state;
    sweep("dedup", run_dedup);
}

static void sweep_trace(void **state)
{
    (void)state;
    sweep("trace", run_trace);
}

int main(int argc, char **argv)
{
    atomic_store(&countdown, -1);
    if (argc < 2) {
        fprintf(stderr, "usage: test_oom CORPUS.jsonl [STRIDE]\n");
        return 2;
    }
    corpus = argv[1];
    if (argc > 2)
        stride = atol(argv[2]) > 0 ? atol(argv[2]) : 1;
    if (argc > 3)
        jobs = argv[3];
    if (!mkdtemp(dir))
        return 1;
    snprintf(p_rec, sizeof p_rec, "%s/out.jsonl", dir);
    snprintf(p_log, sizeof p_log, "%s/out.log", dir);
    snprintf(p_pairs, sizeof p_pairs, "%s/out.pairs", dir);
    snprintf(p_rps, sizeof p_rps, "%s/out.rps", dir);
    snprintf(p_json, sizeof p_json, "%s/t.json", dir);
    snprintf(p_md, sizeof p_md, "%s/t.md", dir);
    snprintf(p_html, sizeof p_html, "%s/t.html", dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sweep_sign),
        cmocka_unit_test(sweep_dedup),
        cmocka_unit_test(sweep_trace),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(dir);
    return r;
}
