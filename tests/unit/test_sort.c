/*
 * test_sort.c - rp_sort_u64 / rp_sort_unique_u64 (src/util/sort.c) against
 * qsort, on sizes around the insertion-sort cut-off, values that share
 * bytes (the radix passes that are skipped) and values with repeats.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/util/pairs.h"
#include "../../src/util/sort.h"

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* fill with values masked by `mask` (shared bytes) and offset by `base` */
static void check(size_t n, uint64_t mask, uint64_t base, uint64_t seed)
{
    uint64_t *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++)
        a[i] = b[i] = base + (next(&seed) & mask);
    rp_sort_u64(a, n);
    qsort(b, n, sizeof *b, cmp);
    assert_memory_equal(a, b, n * sizeof *a);
    size_t w = rp_sort_unique_u64(a, n), k = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || b[i] != b[i - 1])
            b[k++] = b[i];
    assert_int_equal(w, k);
    assert_memory_equal(a, b, k * sizeof *a);
    free(a);
    free(b);
}

static int cmp_post(const void *x, const void *y)
{
    const rp_posting *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->val < b->val ? -1 : a->val > b->val;
}

/* postings appended item by item (items ascending) sort by key with items
 * in order, as qsort by (key, item) does; few distinct keys and many */
static void postings_sort_like_qsort(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 7, 256, 257, 5000};
    static const uint64_t masks[] = {3, 0xff00, ~0ULL};
    uint64_t x = 12345;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
        for (size_t mi = 0; mi < 3; mi++) {
            size_t n = sizes[si];
            rp_posting *a = malloc((n + 1) * sizeof *a);
            rp_posting *b = malloc((n + 1) * sizeof *b);
            assert_non_null(a);
            assert_non_null(b);
            for (size_t i = 0; i < n; i++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                a[i].key = (x >> 7) & masks[mi];
                a[i].val = (uint32_t)(i / 3);
            }
            memcpy(b, a, n * sizeof *a);
            rp_postings_sort(a, n);
            if (n > 1)
                qsort(b, n, sizeof *b, cmp_post);
            for (size_t i = 0; i < n; i++) {
                assert_int_equal(a[i].key, b[i].key);
                assert_int_equal(a[i].val, b[i].val);
            }
            free(a);
            free(b);
        }
}

static void sorts_like_qsort(void **state)
{
    (void)state;
    size_t sizes[] = {0, 1, 2, 3, 47, 48, 49, 100, 1000, 65537};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        check(sizes[i], UINT64_MAX, 0, i + 1);
        check(sizes[i], 0xff, 0, i + 7);              /* one byte varies */
        check(sizes[i], 0xff00ff0000000000ULL, 0, i); /* two high bytes */
        check(sizes[i], 0xf, 0x123456789abcdef0ULL, i); /* many repeats */
    }
}

/* rp_sort_keyed: by key, and stable (values entered ascending stay so
 * within a key), for keys differing in high bytes only, in low bytes only,
 * and all equal */
static void keyed_sort_is_stable(void **state)
{
    (void)state;
    const size_t n = 20000;
    rp_keyed *v = malloc(n * sizeof *v), *tmp = malloc(n * sizeof *tmp);
    assert_true(v && tmp);
    static const uint64_t mask[3] = {0xff00000000000000ULL, 0x3f, 0};
    uint64_t x = 99;
    for (int m = 0; m < 3; m++) {
        for (size_t i = 0; i < n; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            v[i].key = (x ^ (x >> 29)) & mask[m];
            v[i].val = i;
        }
        rp_sort_keyed(v, tmp, n);
        for (size_t i = 1; i < n; i++)
            assert_true(v[i - 1].key < v[i].key ||
                        (v[i - 1].key == v[i].key && v[i - 1].val < v[i].val));
    }
    free(v);
    free(tmp);
}

static void all_equal_and_presorted(void **state)
{
    (void)state;
    uint64_t v[200];
    for (size_t i = 0; i < 200; i++)
        v[i] = 42;
    rp_sort_u64(v, 200);
    for (size_t i = 0; i < 200; i++)
        assert_int_equal(v[i], 42);
    assert_int_equal(rp_sort_unique_u64(v, 200), 1);
    for (size_t i = 0; i < 200; i++)
        v[i] = 200 - i; /* descending, and UINT64_MAX at the end */
    v[199] = UINT64_MAX;
    rp_sort_u64(v, 200);
    for (size_t i = 1; i < 200; i++)
        assert_true(v[i - 1] < v[i]);
    assert_true(v[199] == UINT64_MAX);
}

/* rp_lower_bound_u32 against a linear scan: empty, repeats, before the
 * first, past the last, every value in between */
static void lower_bound_like_scan(void **state)
{
    (void)state;
    const uint32_t a[] = {2, 4, 4, 4, 9, 9, 15, UINT32_MAX - 1};
    const size_t n = sizeof a / sizeof *a;
    assert_int_equal(rp_lower_bound_u32(a, 0, 7), 0);
    for (uint64_t x = 0; x <= 17; x++) {
        size_t want = 0;
        while (want < n && a[want] < x)
            want++;
        assert_int_equal(rp_lower_bound_u32(a, n, (uint32_t)x), want);
    }
    assert_int_equal(rp_lower_bound_u32(a, n, UINT32_MAX - 1), n - 1);
    assert_int_equal(rp_lower_bound_u32(a, n, UINT32_MAX), n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sorts_like_qsort),
        cmocka_unit_test(postings_sort_like_qsort),
        cmocka_unit_test(all_equal_and_presorted),
        cmocka_unit_test(keyed_sort_is_stable),
        cmocka_unit_test(lower_bound_like_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
