/* test_similarity.c - rp_similarity() and the versioned structs of the
 * stable API (options and stats: an unknown version is RP_EINVAL). */
#include "reprint/reprint.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const char *story =
    "Both Iran and Russia have repeatedly denied claims that Tehran has "
    "supplied drones for use in the war in Ukraine, but officials in Kyiv "
    "said on Tuesday that wreckage recovered near the capital showed "
    "otherwise, and asked allies for more air defence systems before "
    "winter.";

static rp_similarity_result compare(const char *a, const char *b)
{
    rp_similarity_result r = RP_SIMILARITY_RESULT_INIT;
    assert_int_equal(rp_similarity(&r, a, strlen(a), b, strlen(b), NULL),
                     RP_OK);
    return r;
}

static void test_identical(void **state)
{
    rp_similarity_result r = compare(story, story);
    assert_true(r.words_a > 40);
    assert_int_equal(r.words_a, r.words_b);
    assert_int_equal(r.shared_shingles, r.shingles_a);
    assert_true(r.jaccard == 1.0);
    assert_true(r.containment_a == 1.0 && r.containment_b == 1.0);
    assert_int_equal(r.passages, 1);
    assert_int_equal(r.covered_a, r.words_a);
    assert_true(r.coverage_a == 1.0 && r.coverage_b == 1.0);
}

static void test_case_and_spacing_do_not_matter(void **state)
{
    rp_similarity_result r =
        compare("The Quick  brown fox\njumps over the lazy dog",
                "the quick brown fox jumps over THE LAZY DOG");
    assert_true(r.jaccard == 1.0);
}

static void test_disjoint(void **state)
{
    rp_similarity_result r =
        compare(story, "Shares in London closed higher on Friday as "
                       "banks and miners gained after strong earnings.");
    assert_int_equal(r.shared_shingles, 0);
    assert_true(r.jaccard == 0.0);
    assert_true(r.containment_a == 0.0 && r.containment_b == 0.0);
    assert_int_equal(r.passages, 0);
    assert_true(r.coverage_a == 0.0 && r.coverage_b == 0.0);
}

/* an excerpt, reflowed inside a longer text: all of it is in the other,
 * a small share of the other is in it */
static void test_excerpt_contained_one_way(void **state)
{
    const char *excerpt = "officials in Kyiv said on Tuesday that "
                          "wreckage recovered near the capital showed "
                          "otherwise";
    char longer[1024];
    snprintf(longer, sizeof longer,
             "KYIV (Reuters) - %s Further reporting by our staff. %s",
             story, "Editing by the desk.");
    rp_similarity_result r = compare(excerpt, longer);
    assert_true(r.containment_a == 1.0);
    assert_true(r.containment_b > 0.1 && r.containment_b < 0.5);
    assert_true(r.jaccard == r.containment_b);
    assert_int_equal(r.passages, 1);
    assert_true(r.coverage_a == 1.0);
    assert_int_equal(r.covered_b, r.words_a);
    /* the other way round: the same numbers, sides swapped */
    rp_similarity_result s = compare(longer, excerpt);
    assert_true(s.containment_b == 1.0);
    assert_true(s.containment_a == r.containment_b);
}

/* half the words shared: Jaccard between 0 and 1, exactly as counted */
static void test_partial(void **state)
{
    rp_similarity_result r = compare("a b c d e f g h", "a b c d w x y z");
    /* 3-shingles: abc bcd | cde def efg fgh vs bcdw... */
    assert_int_equal(r.shingles_a, 6);
    assert_int_equal(r.shingles_b, 6);
    assert_int_equal(r.shared_shingles, 2);
    assert_true(r.jaccard == 2.0 / 10.0);
    assert_int_equal(r.passages, 0); /* 4 words < 8 */
}

static void test_short_and_empty(void **state)
{
    rp_similarity_result r = compare("Hello world", "hello WORLD");
    assert_int_equal(r.shingles_a, 1); /* shorter than k: one shingle */
    assert_true(r.jaccard == 1.0);
    r = compare("", "");
    assert_int_equal(r.words_a, 0);
    assert_true(r.jaccard == 0.0 && r.containment_a == 0.0);
    r = compare("", story);
    assert_true(r.jaccard == 0.0 && r.coverage_b == 0.0);
}

static void test_options_and_errors(void **state)
{
    rp_similarity_options o = RP_SIMILARITY_OPTIONS_INIT;
    rp_similarity_result r = RP_SIMILARITY_RESULT_INIT;
    o.shingle = 1; /* single words: "a b c d" vs "d c b a" share all */
    assert_int_equal(rp_similarity(&r, "a b c d", 7, "d c b a", 7, &o), RP_OK);
    assert_true(r.jaccard == 1.0);
    o.shingle = 2;
    assert_int_equal(rp_similarity(&r, "a b c d", 7, "d c b a", 7, &o), RP_OK);
    assert_true(r.jaccard == 0.0);
    o.shingle = 0;
    assert_int_equal(rp_similarity(&r, "a", 1, "a", 1, &o), RP_EINVAL);
    o = (rp_similarity_options)RP_SIMILARITY_OPTIONS_INIT;
    o.version = 99;
    assert_int_equal(rp_similarity(&r, "a", 1, "a", 1, &o), RP_EINVAL);
    r.version = 0;
    assert_int_equal(rp_similarity(&r, "a", 1, "a", 1, NULL), RP_EINVAL);
    r.version = RP_SIMILARITY_RESULT_VERSION;
    assert_int_equal(rp_similarity(&r, "\xff\xfe", 2, "a", 1, NULL),
                     RP_EFORMAT);
    assert_int_equal(r.version, RP_SIMILARITY_RESULT_VERSION);
    assert_int_equal(rp_similarity(&r, NULL, 1, "a", 1, NULL), RP_EINVAL);
    assert_int_equal(rp_similarity(&r, NULL, 0, "a", 1, NULL), RP_OK);
}

/* the job entry points check the versions of options and stats */
static void test_job_versions(void **state)
{
    const char *in[1] = {"/nonexistent/never-read.jsonl"};
    rp_dedup_options d;
    assert_int_equal(rp_dedup_options_init(&d, 99), RP_EINVAL);
    assert_int_equal(rp_dedup_options_init(&d, RP_DEDUP_OPTIONS_VERSION),
                     RP_OK);
    assert_true(d.threshold == 0.8 && d.version == RP_DEDUP_OPTIONS_VERSION);
    rp_dedup_outputs outs = {NULL, NULL, NULL, NULL, NULL};
    rp_dedup_stats ds = RP_DEDUP_STATS_INIT;
    rp_error e;
    ds.version = 0;
    assert_int_equal(rp_dedup_run(in, 1, &d, &outs, NULL, &ds, &e),
                     RP_EINVAL);
    assert_int_equal(rp_sign_run(in, 1, &d, &outs, NULL, &ds, &e),
                     RP_EINVAL);
    assert_int_equal(rp_dedup_run(in, 1, &d, &outs, NULL, NULL, &e),
                     RP_EINVAL);
    ds.version = RP_DEDUP_STATS_VERSION;
    d.version = 0;
    assert_int_equal(rp_dedup_run(in, 1, &d, &outs, NULL, &ds, &e),
                     RP_EINVAL);
    assert_int_equal(ds.version, RP_DEDUP_STATS_VERSION);
    /* with both right the run starts: and fails on the missing input */
    d.version = RP_DEDUP_OPTIONS_VERSION;
    assert_int_equal(rp_dedup_run(in, 1, &d, &outs, NULL, &ds, &e), RP_EIO);

    rp_trace_options t;
    assert_int_equal(rp_trace_options_init(&t, 1), RP_EINVAL);
    assert_int_equal(rp_trace_options_init(&t, RP_TRACE_OPTIONS_VERSION),
                     RP_OK);
    assert_int_equal(t.min_tokens, 8);
    rp_trace_outputs tout = {NULL, NULL, NULL};
    rp_trace_stats ts = RP_TRACE_STATS_INIT;
    ts.version = 7;
    assert_int_equal(rp_trace_run(in, 1, &t, &tout, NULL, &ts, &e),
                     RP_EINVAL);
    ts.version = RP_TRACE_STATS_VERSION;
    assert_int_equal(rp_trace_run(in, 1, &t, &tout, NULL, &ts, &e), RP_EIO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical),
        cmocka_unit_test(test_case_and_spacing_do_not_matter),
        cmocka_unit_test(test_disjoint),
        cmocka_unit_test(test_excerpt_contained_one_way),
        cmocka_unit_test(test_partial),
        cmocka_unit_test(test_short_and_empty),
        cmocka_unit_test(test_options_and_errors),
        cmocka_unit_test(test_job_versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
