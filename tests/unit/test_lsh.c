/* test_lsh.c - band/row choice, probabilities, candidate pairs. */
#include "reprint/sys/lsh.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

static void test_choice_table(void **state)
{
    (void)state;
    /* the table in reprint/sys/lsh.h */
    static const struct {
        double t;
        uint32_t b, r;
    } want[] = {{0.5, 39, 3}, {0.8, 18, 7}, {0.9, 11, 11}};
    for (size_t i = 0; i < 3; i++) {
        rp_lsh_params p;
        assert_int_equal(rp_lsh_choose(&p, want[i].t, 128, RP_LSH_FN_WEIGHT),
                         RP_OK);
        if (p.bands != want[i].b || p.rows != want[i].r)
            fail_msg("t=%.1f: %u x %u, want %u x %u", want[i].t, p.bands,
                     p.rows, want[i].b, want[i].r);
        assert_true(p.bands * p.rows <= 128);
        /* misses at the threshold stay rare */
        assert_true(rp_lsh_probability(&p, want[i].t) > 0.98);
    }
}

static void test_probability_shape(void **state)
{
    (void)state;
    rp_lsh_params p = {18, 7};
    assert_true(fabs(rp_lsh_probability(&p, 0.0)) < 1e-12);
    assert_true(fabs(rp_lsh_probability(&p, 1.0) - 1.0) < 1e-12);
    double prev = 0;
    for (double s = 0.05; s <= 1.0; s += 0.05) {
        double v = rp_lsh_probability(&p, s);
        assert_true(v >= prev);
        prev = v;
    }
}

static void test_bad_threshold(void **state)
{
    (void)state;
    rp_lsh_params p;
    assert_int_equal(rp_lsh_choose(&p, 0.0, 128, 0.5), RP_EINVAL);
    assert_int_equal(rp_lsh_choose(&p, 1.5, 128, 0.5), RP_EINVAL);
}

static void test_candidates(void **state)
{
    (void)state;
    /* 5 units, 2 bands: units 0,2 share band 0; 2,4 share band 1; 3 alone;
     * 1 skipped although it shares band 0 with 0 and 2 */
    uint64_t keys[] = {10, 20, 10, 21, 10, 22, 11, 23, 12, 22};
    uint8_t skip[] = {0, 1, 0, 0, 0};
    rp_pair *p;
    size_t n, capped;
    assert_int_equal(rp_lsh_candidates(&p, &n, keys, skip, NULL, 5, 2, 100, 2, &capped),
                     RP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].a, 0);
    assert_int_equal(p[0].b, 2);
    assert_int_equal(p[1].a, 2);
    assert_int_equal(p[1].b, 4);
    assert_int_equal(capped, 0);
    free(p);
}

static void test_bucket_cap(void **state)
{
    (void)state;
    /* 20 units in one bucket, cap 3: each pairs with the first RP_LSH_STAR
     * in rank order (rank reverses unit order: unit 19 comes first) */
    uint64_t keys[20];
    uint32_t rank[20];
    for (uint32_t i = 0; i < 20; i++) {
        keys[i] = 7;
        rank[i] = 19 - i;
    }
    rp_pair *p;
    size_t n, capped;
    assert_int_equal(rp_lsh_candidates(&p, &n, keys, NULL, rank, 20, 1, 3, 1,
                                       &capped),
                     RP_OK);
    /* pairs among the first 8: 28; each of the other 12 with the 8: 96 */
    assert_int_equal(n, 28 + 12 * RP_LSH_STAR);
    assert_int_equal(capped, 1);
    for (size_t i = 0; i < n; i++)
        assert_true(p[i].b >= 20 - RP_LSH_STAR); /* always one of 12..19 */
    free(p);
    /* under the cap: every pair */
    assert_int_equal(rp_lsh_candidates(&p, &n, keys, NULL, rank, 20, 1, 100,
                                       3, &capped),
                     RP_OK);
    assert_int_equal(n, 190);
    assert_int_equal(capped, 0);
    free(p);
}

/* issue 13 item 14: band scratch (32 bytes a unit per band in flight)
 * stays within 2 GiB however many threads are asked for */
unsigned rp__lsh_threads(unsigned threads, size_t n);
static void test_scratch_budget(void **state)
{
    (void)state;
    assert_int_equal(rp__lsh_threads(2, 1000), 2);
    assert_int_equal(rp__lsh_threads(0, 1000), 1);
    assert_int_equal(rp__lsh_threads(1000, 10), RP_LSH_MAX_THREADS);
    assert_int_equal(rp__lsh_threads(16, (size_t)16 << 20), 4);
    assert_int_equal(rp__lsh_threads(16, (size_t)100 << 20), 1);
    for (size_t n = 1; n < ((size_t)1 << 32); n = n * 3 + 1) {
        unsigned t = rp__lsh_threads(64, n);
        assert_true(t >= 1);
        assert_true(t == 1 || (uint64_t)t * 32 * n <= ((uint64_t)1 << 31));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_choice_table),
        cmocka_unit_test(test_probability_shape),
        cmocka_unit_test(test_bad_threshold),
        cmocka_unit_test(test_candidates),
        cmocka_unit_test(test_bucket_cap),
        cmocka_unit_test(test_scratch_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
