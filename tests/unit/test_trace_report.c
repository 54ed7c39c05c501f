/* test_trace_report.c - what the trace reports share (src/lib/
 * trace_report.c): where a passage's snippet starts, and the ranking of
 * passages by spread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/lib/trace/trace_job.h"

/* the snippet of text[start, end) starts at the returned offset */
static const char *snip(const char *text, const char *from)
{
    static tdoc d;
    memset(&d, 0, sizeof d);
    d.text = (char *)text;
    uint32_t start = (uint32_t)(strstr(text, from) - text);
    uint32_t s = rp__trace_snippet_start(&d, start, (uint32_t)strlen(text));
    return text + s;
}

static void snippet_starts(void **state)
{
    (void)state;
    /* the case: a span opening on the end of a sentence */
    const char *t = "as much as it opposes the war. Both Iran and Russia have "
                    "repeatedly denied claims that Tehran has provided drones";
    assert_string_equal(snip(t, "war."), t + (strstr(t, "Both") - t));
    /* already at a sentence start: unchanged */
    assert_ptr_equal(snip(t, "Both"), strstr(t, "Both"));
    assert_ptr_equal(snip(t, "as much"), t);
    /* after an opening quote that starts a sentence: unchanged (not "have
       good relations") */
    const char *q = "the ministry said.\n\xe2\x80\x9cWe have good relations "
                    "with Russia and have had defense cooperation";
    assert_ptr_equal(snip(q, "We have"), strstr(q, "We have"));
    /* a closing quote after the full stop, then the next sentence */
    const char *c = "end of the war in Ukraine.\xe2\x80\x9d The anti-Iran "
                    "claims first emerged in July with US officials";
    assert_ptr_equal(snip(c, "the war"), strstr(c, "The anti"));
    /* a blank line ends a paragraph */
    const char *p = "He spoke of the talks\n\nNext paragraph starts here, on "
                    "for a good while longer than the first";
    assert_ptr_equal(snip(p, "of the"), strstr(p, "Next"));
    /* inside a word, no sentence end in the first half: the next word */
    const char *w = "Russia said it filed a registration statement with the "
                    "Securities and Exchange Commission covering shares";
    assert_ptr_equal(snip(w, "ssia"), strstr(w, "said"));
    /* mid-sentence at a word start, no sentence end early on: unchanged */
    assert_ptr_equal(snip(w, "filed"), strstr(w, "filed"));
    /* a sentence end late in the span is not worth the cut */
    const char *l = "He said he filed a registration statement with the "
                    "Securities and Exchange Commission. Short";
    assert_ptr_equal(snip(l, "filed"), strstr(l, "filed"));
}

static void ranked_by_spread(void **state)
{
    (void)state;
    char o1[] = "one", o2[] = "two";
    tdoc docs[4];
    memset(docs, 0, sizeof docs);
    docs[0].outlet = o1;
    docs[1].outlet = o1;
    docs[2].outlet = o2;
    docs[3].outlet = o1;
    /* occurrences: doc of each */
    occ occs[12];
    memset(occs, 0, sizeof occs);
    uint32_t docof[12] = {0, 1, 0, 1, 3, 0, 2, 0, 1, 0, 1, 3};
    for (int i = 0; i < 12; i++)
        occs[i].doc = docof[i];
    static const uint32_t m0[] = {0, 1};       /* 2 docs, 1 outlet */
    static const uint32_t m1[] = {2, 3, 4};    /* 3 docs, 1 outlet */
    static const uint32_t m2[] = {5, 6};       /* 2 docs, 2 outlets */
    static const uint32_t m3[] = {7, 8, 9};    /* boilerplate */
    static const uint32_t m4[] = {10, 11};     /* 2 docs, 1 outlet */
    tpassage pass[5];
    memset(pass, 0, sizeof pass);
    const uint32_t *mm[5] = {m0, m1, m2, m3, m4};
    size_t nm[5] = {2, 3, 2, 3, 2};
    for (int i = 0; i < 5; i++) {
        pass[i].members = mm[i];
        pass[i].nm = nm[i];
    }
    pass[3].boilerplate = 1;
    tjob j;
    memset(&j, 0, sizeof j);
    j.docs = docs;
    j.ndocs = 4;
    j.occs = occs;
    j.nocc = 12;
    j.pass = pass;
    j.npass = 5;
    trank *r = NULL;
    size_t n = 0;
    assert_int_equal(rp__trace_rank(&j, &r, &n), RP_OK);
    assert_int_equal(n, 4); /* boilerplate left out */
    uint32_t want[4] = {2, 1, 0, 4}; /* outlets, documents, then order */
    for (size_t i = 0; i < n; i++)
        assert_int_equal(r[i].pass, want[i]);
    assert_int_equal(r[0].outlets, 2);
    assert_int_equal(r[0].docs, 2);
    assert_int_equal(r[1].docs, 3);
    assert_int_equal(r[1].outlets, 1);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(snippet_starts),
        cmocka_unit_test(ranked_by_spread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
