/* test_align.c - shared passages, with edits, across texts. */
#include "reprint/sys/align.h"
#include "reprint/sys/fingerprint.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* shingles of text as a malloc'ed copy */
static uint64_t *shingles(const char *text, size_t *n)
{
    rp_sign_options o = RP_SIGN_OPTIONS_INIT;
    o.paragraphs = 0;
    rp_signer *s;
    assert_int_equal(rp_signer_new(&s, &o), RP_OK);
    rp_fingerprint fp;
    assert_int_equal(rp_signer_sign(s, &fp, text, strlen(text)), RP_OK);
    uint64_t *h = malloc((fp.nshingles + 1) * sizeof *h);
    memcpy(h, fp.shingles, fp.nshingles * sizeof *h);
    *n = fp.nshingles;
    rp_signer_free(s);
    return h;
}

static const char *shared =
    "Both Iran and Russia have repeatedly denied claims that Tehran has "
    "provided Moscow with drones to be used in the war in Ukraine";

static void test_verbatim_passage_inside_other_text(void **state)
{
    (void)state;
    char a[1024], b[1024];
    snprintf(a, sizeof a, "Some opening words of the first article here. %s. "
             "And a different ending for this one.", shared);
    snprintf(b, sizeof b, "%s. Then the second article goes on with other "
             "things entirely unrelated.", shared);
    size_t na, nb, n;
    uint64_t *ha = shingles(a, &na), *hb = shingles(b, &nb);
    rp_segment *s;
    assert_int_equal(rp_align(&s, &n, ha, na, hb, nb, 6, 3), RP_OK);
    assert_int_equal(n, 1);
    /* 23 words shared: 19 shingles, starting at word 8 of A, 0 of B */
    assert_int_equal(s[0].anchors, 19);
    assert_int_equal(s[0].a_first, 8);
    assert_int_equal(s[0].b_first, 0);
    assert_int_equal(s[0].a_last - s[0].a_first, 18);
    free(s);
    free(ha);
    free(hb);
}

static void test_one_word_changed_stays_one_segment(void **state)
{
    (void)state;
    const char *edited =
        "Both Iran and Russia have repeatedly rejected claims that Tehran has "
        "provided Moscow with drones to be used in the war in Ukraine";
    size_t na, nb, n;
    uint64_t *ha = shingles(shared, &na), *hb = shingles(edited, &nb);
    rp_segment *s;
    assert_int_equal(rp_align(&s, &n, ha, na, hb, nb, 6, 3), RP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].a_first, 0);
    assert_int_equal(s[0].a_last, na - 1);
    assert_int_equal(s[0].anchors, na - 5); /* 5 shingles hold the word */
    free(s);
    /* with no gap allowed, the change splits it in two: shingles 0-1 and
     * 7-18 */
    assert_int_equal(rp_align(&s, &n, ha, na, hb, nb, 1, 1), RP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].a_last, 1);
    assert_int_equal(s[1].a_first, 7);
    free(s);
    free(ha);
    free(hb);
}

static void test_inserted_word_shifts_diagonal(void **state)
{
    (void)state;
    const char *inserted =
        "Both Iran and Russia have repeatedly and firmly denied claims that "
        "Tehran has provided Moscow with drones to be used in the war in "
        "Ukraine";
    size_t na, nb, n;
    uint64_t *ha = shingles(shared, &na), *hb = shingles(inserted, &nb);
    rp_segment *s;
    assert_int_equal(rp_align(&s, &n, ha, na, hb, nb, 8, 3), RP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].b_last, nb - 1);
    free(s);
    free(ha);
    free(hb);
}

static void test_unrelated(void **state)
{
    (void)state;
    size_t na, nb, n;
    uint64_t *ha = shingles(shared, &na);
    uint64_t *hb = shingles("Nothing in this sentence is shared with the other "
                            "text at all, not even one phrase.", &nb);
    rp_segment *s;
    assert_int_equal(rp_align(&s, &n, ha, na, hb, nb, 6, 1), RP_OK);
    assert_int_equal(n, 0);
    free(s);
    free(ha);
    free(hb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verbatim_passage_inside_other_text),
        cmocka_unit_test(test_one_word_changed_stays_one_segment),
        cmocka_unit_test(test_inserted_word_shifts_diagonal),
        cmocka_unit_test(test_unrelated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
