/* test_spill.c - band keys spilled to sorted runs (store/spill.c) and the
 * LSH candidates streamed from them: the same pairs as in memory, with
 * merges past the fan-in; damaged or truncated runs are errors. */
#include "../../src/lib/store/spill.h"
#include "reprint/sys/lsh.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#define N 6000
#define BANDS 5

static uint64_t rnd_state = 7;
static uint64_t rnd(void)
{
    rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return rnd_state >> 33;
}

/* keys from a small alphabet per band: buckets of every size, some far
 * over max_bucket */
static void make_keys(uint64_t *keys, uint8_t *skip, uint32_t *rank)
{
    for (size_t u = 0; u < N; u++) {
        for (int b = 0; b < BANDS; b++) {
            uint64_t x = rnd();
            keys[u * BANDS + b] = x % 7 == 0 ? 42 + b /* a big bucket */
                                             : x % 1500;
        }
        skip[u] = rnd() % 10 == 0;
        rank[u] = (uint32_t)u;
    }
    for (size_t i = N - 1; i > 0; i--) { /* a random keep order */
        size_t k = rnd() % (i + 1);
        uint32_t t = rank[i];
        rank[i] = rank[k];
        rank[k] = t;
    }
}

static int s_open(void *ctx, uint32_t band, void **cur)
{
    return rp__spill_open(ctx, band, (rp_spill_cursor **)cur);
}
static int s_next(void *cur, uint64_t *key, uint64_t *unit)
{
    return rp__spill_next(cur, key, unit);
}
static void s_close(void *cur)
{
    rp__spill_close(cur);
}

static const char *tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

static void stream_equals_memory(void **state)
{
    (void)state;
    uint64_t *keys = malloc(sizeof *keys * N * BANDS);
    uint8_t *skip = malloc(N);
    uint32_t *rank = malloc(sizeof *rank * N);
    assert_true(keys && skip && rank);
    make_keys(keys, skip, rank);
    /* 40 runs of 150 units: more than RP_SPILL_FANIN, so merged */
    rp_spill *s = NULL;
    rp_error err = {0};
    assert_int_equal(rp__spill_new(&s, tmpdir(), BANDS, &err), RP_OK);
    for (size_t first = 0; first < N; first += 150)
        assert_int_equal(rp__spill_write(s, first, keys + first * BANDS,
                                         150, &err),
                         RP_OK);
    assert_int_equal(rp__spill_runs(s), N / 150);
    /* units must come in order */
    assert_int_equal(rp__spill_write(s, 10, keys, 1, &err), RP_EINVAL);
    rp_lsh_source src = {s, s_open, s_next, s_close};
    for (unsigned threads = 1; threads <= 2; threads++) {
        rp_pair *a = NULL, *b = NULL;
        size_t na = 0, nb = 0, ca = 0, cb = 0;
        assert_int_equal(rp_lsh_candidates(&a, &na, keys, skip, rank, N,
                                           BANDS, 16, threads, &ca),
                         RP_OK);
        assert_int_equal(rp_lsh_candidates_stream(&b, &nb, &src, skip, rank,
                                                  N, BANDS, 16, threads, &cb),
                         RP_OK);
        assert_true(na > 1000 && ca > 0); /* pairs, and capped buckets */
        assert_int_equal(na, nb);
        assert_int_equal(ca, cb);
        assert_memory_equal(a, b, na * sizeof *a);
        free(a);
        free(b);
    }
    rp__spill_free(s);
    free(keys);
    free(skip);
    free(rank);
}

/* read band 0 to its end: the first error, or 0 */
static int drain(rp_spill *s, uint32_t band)
{
    rp_spill_cursor *c = NULL;
    int rc = rp__spill_open(s, band, &c);
    uint64_t k, u, last = 0;
    while (rc == RP_OK) {
        int got = rp__spill_next(c, &k, &u);
        if (got <= 0) {
            rc = got;
            break;
        }
        assert_true(k >= last);
        last = k;
    }
    rp__spill_close(c);
    return rc;
}

static void damaged_runs(void **state)
{
    (void)state;
    uint64_t keys[300 * 3];
    for (size_t i = 0; i < 300 * 3; i++)
        keys[i] = rnd();
    rp_spill *s = NULL;
    rp_error err = {0};
    assert_int_equal(rp__spill_new(&s, tmpdir(), 3, &err), RP_OK);
    for (size_t r = 0; r < 3; r++)
        assert_int_equal(rp__spill_write(s, r * 100, keys + r * 300, 100,
                                         &err),
                         RP_OK);
    assert_int_equal(drain(s, 0), 0);
    assert_int_equal(drain(s, 2), 0);
    /* one byte changed in run 1, band 1 (entries 100..199 of 12 bytes) */
    unsigned char x = 0;
    int fd = rp__spill_fd(s, 1);
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &x, 1, 100 * 12 + 37), 1);
    x ^= 0x40;
    assert_int_equal(pwrite(fd, &x, 1, 100 * 12 + 37), 1);
    assert_int_equal(drain(s, 0), 0); /* other bands still read */
    int rc = drain(s, 1);
    assert_int_equal(rc, RP_EIO);
    assert_int_equal(rp__spill_error(s, rc, &err), RP_EIO);
    assert_non_null(strstr(err.message, "checksum"));
    assert_string_equal(err.path, tmpdir());
    /* run 2 cut short */
    assert_int_equal(ftruncate(rp__spill_fd(s, 2), 12 * 150), 0);
    assert_int_equal(drain(s, 0), 0);
    assert_int_equal(drain(s, 2), RP_EIO);
    rp__spill_free(s);
    /* a folder that cannot be written names itself */
    assert_int_equal(rp__spill_new(&s, "/nonexistent/reprint", 3, &err),
                     RP_OK);
    rc = rp__spill_write(s, 0, keys, 100, &err);
    assert_int_equal(rc, RP_EIO);
    assert_string_equal(err.path, "/nonexistent/reprint");
    rp__spill_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stream_equals_memory),
        cmocka_unit_test(damaged_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
