/* test_cluster.c - leaders in keep order, no chaining. */
#include "reprint/sys/cluster.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static void test_chain_does_not_merge_ends(void **state)
{
    (void)state;
    /* A~B 0.85, B~C 0.85, C~D 0.85, A~C 0.6, A~D 0.3: threshold 0.8 */
    rp_edge e[] = {{0, 1, 0.85}, {1, 2, 0.85}, {2, 3, 0.85}, {0, 2, 0.6},
                   {0, 3, 0.3}};
    uint32_t rank[] = {0, 1, 2, 3};
    uint32_t leader[4];
    double sim[4];
    assert_int_equal(rp_cluster_leaders(leader, sim, rank, NULL, NULL, 4, e, 5,
                                        0.8),
                     RP_OK);
    assert_int_equal(leader[0], RP_KEPT);
    assert_int_equal(leader[1], 0);     /* B joins A */
    assert_int_equal(leader[2], RP_KEPT); /* C matches only B, not A */
    assert_int_equal(leader[3], 2);     /* D joins C */
}

static void test_best_leader_and_rank(void **state)
{
    (void)state;
    /* rank puts unit 2 first; unit 0 matches leaders 2 (0.9) and 1 (0.95) */
    rp_edge e[] = {{0, 1, 0.95}, {0, 2, 0.9}};
    uint32_t rank[] = {2, 1, 0};
    uint32_t leader[3];
    double sim[3];
    rp_cluster_leaders(leader, sim, rank, NULL, NULL, 3, e, 2, 0.8);
    assert_int_equal(leader[2], RP_KEPT);
    assert_int_equal(leader[1], RP_KEPT);
    assert_int_equal(leader[0], 1);
    assert_true(sim[0] == 0.95);
}

static void test_groups_and_inactive(void **state)
{
    (void)state;
    rp_edge e[] = {{0, 1, 1.0}, {0, 2, 1.0}, {2, 3, 1.0}};
    uint32_t rank[] = {0, 1, 2, 3};
    uint32_t group[] = {7, 7, 8, 9};
    uint8_t active[] = {1, 1, 0, 1};
    uint32_t leader[4];
    double sim[4];
    rp_cluster_leaders(leader, sim, rank, group, active, 4, e, 3, 0.5);
    assert_int_equal(leader[1], RP_KEPT); /* same group as 0 */
    assert_int_equal(leader[2], RP_KEPT); /* inactive */
    assert_int_equal(leader[3], RP_KEPT); /* only match is inactive */
}

/* ranks that are not 0..n-1 (sorted, not inverted) give the same order */
static void test_sparse_ranks(void **state)
{
    (void)state;
    rp_edge e[] = {{0, 1, 0.95}, {0, 2, 0.9}, {2, 3, 0.85}};
    uint32_t dense[] = {2, 1, 0, 3}, sparse[] = {70, 40, 5, 900};
    uint32_t l1[4], l2[4];
    double s1[4], s2[4];
    assert_int_equal(rp_cluster_leaders(l1, s1, dense, NULL, NULL, 4, e, 3,
                                        0.8), RP_OK);
    assert_int_equal(rp_cluster_leaders(l2, s2, sparse, NULL, NULL, 4, e, 3,
                                        0.8), RP_OK);
    assert_int_equal(l1[0], 1); /* 2 and 1 are kept first; 0 joins 1 */
    assert_int_equal(l1[3], 2);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(l1[i], l2[i]);
        assert_true(s1[i] == s2[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_does_not_merge_ends),
        cmocka_unit_test(test_best_leader_and_rank),
        cmocka_unit_test(test_groups_and_inactive),
        cmocka_unit_test(test_sparse_ranks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
