/*
 * test_minhash.c - the MinHash estimator against exact Jaccard.
 *
 * For random sets with known Jaccard J, the share of equal lanes over k
 * lanes is a binomial proportion: mean J, standard deviation
 * sigma = sqrt(J(1-J)/k). Over T trials the mean error must be within
 * 4 sigma/sqrt(T) of zero (no bias) and the spread of the errors within
 * 20% of sigma (the lanes behave as independent hash functions).
 */
#include "reprint/sys/minhash.h"
#include "reprint/sys/verify.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static uint64_t rng(uint64_t *s)
{
    *s += 0x9e3779b97f4a7c15ULL;
    uint64_t z = *s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void check_at(double target, size_t n, uint32_t k)
{
    rp_minhash m;
    assert_int_equal(rp_minhash_init(&m, k, 42), RP_OK);
    const int trials = 400;
    /* |A| = |B| = n, |A∩B| = c, J = c / (2n - c) */
    size_t c = (size_t)llround(2.0 * n * target / (1.0 + target));
    double j_exact = (double)c / (double)(2 * n - c);
    uint64_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    uint32_t *sa = malloc(k * sizeof *sa), *sb = malloc(k * sizeof *sb);
    uint64_t seed = 1234 + n;
    double sum = 0, sumsq = 0;
    for (int t = 0; t < trials; t++) {
        for (size_t i = 0; i < n; i++) {
            a[i] = rng(&seed);
            b[i] = i < c ? a[i] : rng(&seed);
        }
        rp_minhash_reset(&m, sa);
        rp_minhash_reset(&m, sb);
        rp_minhash_update(&m, sa, a, n);
        rp_minhash_update(&m, sb, b, n);
        double err = rp_minhash_estimate(sa, sb, k) - j_exact;
        sum += err;
        sumsq += err * err;
    }
    double mean = sum / trials;
    double sd = sqrt(sumsq / trials - mean * mean);
    double sigma = sqrt(j_exact * (1 - j_exact) / k);
    if (fabs(mean) > 4 * sigma / sqrt((double)trials))
        fail_msg("J=%.3f n=%zu: mean error %.4f beyond %.4f", j_exact, n,
                 mean, 4 * sigma / sqrt((double)trials));
    if (sd > 1.2 * sigma || sd < 0.8 * sigma)
        fail_msg("J=%.3f n=%zu: spread %.4f, theory %.4f", j_exact, n, sd,
                 sigma);
    free(a);
    free(b);
    free(sa);
    free(sb);
}

static void test_estimator_paragraph_sized(void **state)
{
    (void)state;
    check_at(0.5, 61, 128);
    check_at(0.8, 61, 128);
}

static void test_estimator_document_sized(void **state)
{
    (void)state;
    check_at(0.3, 600, 128);
    check_at(0.5, 600, 128);
    check_at(0.9, 600, 128);
    check_at(0.5, 600, 256);
}

static void test_merge_is_union(void **state)
{
    (void)state;
    rp_minhash m;
    rp_minhash_init(&m, 64, 1);
    uint64_t x[100];
    uint64_t s = 9;
    for (int i = 0; i < 100; i++)
        x[i] = rng(&s);
    uint32_t whole[64], p1[64], p2[64];
    rp_minhash_reset(&m, whole);
    rp_minhash_update(&m, whole, x, 100);
    rp_minhash_reset(&m, p1);
    rp_minhash_update(&m, p1, x, 37);
    rp_minhash_reset(&m, p2);
    rp_minhash_update(&m, p2, x + 37, 63);
    rp_minhash_merge(p1, p2, 64);
    assert_memory_equal(whole, p1, sizeof whole);
}

static void test_bad_lane_count(void **state)
{
    (void)state;
    rp_minhash m;
    assert_int_equal(rp_minhash_init(&m, 100, 0), RP_EINVAL);
    assert_int_equal(rp_minhash_init(&m, 0, 0), RP_EINVAL);
    assert_int_equal(rp_minhash_init(&m, 2048, 0), RP_EINVAL);
}

static void test_exact_jaccard(void **state)
{
    (void)state;
    uint64_t a[] = {5, 1, 3, 3, 9};
    uint64_t b[] = {3, 9, 11, 1};
    size_t na = rp_set_make(a, 5), nb = rp_set_make(b, 4);
    assert_int_equal(na, 4);
    size_t inter;
    double j = rp_set_jaccard(a, na, b, nb, &inter);
    assert_int_equal(inter, 3);
    assert_true(fabs(j - 3.0 / 5.0) < 1e-12);
    assert_true(rp_set_jaccard(a, 0, b, 0, NULL) == 0.0);
    uint64_t seq[] = {7, 3, 8, 9, 4};
    size_t f, l;
    assert_int_equal(rp_set_shared_range(&f, &l, seq, 5, b, nb), 1);
    assert_int_equal(f, 1);
    assert_int_equal(l, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_estimator_paragraph_sized),
        cmocka_unit_test(test_estimator_document_sized),
        cmocka_unit_test(test_merge_is_union),
        cmocka_unit_test(test_bad_lane_count),
        cmocka_unit_test(test_exact_jaccard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
