/* test_segment.c - paragraph rules and the fingerprint built on them. */
#include "reprint/sys/fingerprint.h"
#include "reprint/sys/segment.h"
#include "reprint/sys/shingle.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static size_t split(const char *text, rp_paragraph **p, int *rule)
{
    size_t n = 0, cap = 0;
    *p = NULL;
    *rule = rp_segment_paragraphs(p, &n, &cap, text, strlen(text));
    return n;
}

static void expect(const char *text, const rp_paragraph *p, const char *want)
{
    size_t wl = strlen(want);
    if (p->len != wl || memcmp(text + p->offset, want, wl) != 0)
        fail_msg("paragraph '%.*s', want '%s'", (int)p->len,
                 text + p->offset, want);
}

static void test_blank_lines(void **state)
{
    (void)state;
    const char *t = "Title\n\nFirst line\nwraps here.\n \nSecond.\n";
    rp_paragraph *p;
    int rule;
    size_t n = split(t, &p, &rule);
    assert_int_equal(rule, RP_PARA_BLANK);
    assert_int_equal(n, 3);
    expect(t, &p[0], "Title");
    expect(t, &p[1], "First line\nwraps here.");
    expect(t, &p[2], "Second.");
    /* cut spans tile the text from the first paragraph on */
    assert_int_equal(p[0].cut_offset, 0);
    assert_int_equal(p[0].cut_offset + p[0].cut_len, p[1].cut_offset);
    assert_int_equal(p[1].cut_offset + p[1].cut_len, p[2].cut_offset);
    assert_int_equal(p[2].cut_offset + p[2].cut_len, strlen(t));
    free(p);
}

static void test_indented_wire_story(void **state)
{
    (void)state;
    const char *t = "HEADLINE\nBody starts\nand wraps.\n    Second para\n"
                    "wraps too.\n    Third.";
    rp_paragraph *p;
    int rule;
    size_t n = split(t, &p, &rule);
    assert_int_equal(rule, RP_PARA_INDENT);
    assert_int_equal(n, 3);
    expect(t, &p[0], "HEADLINE\nBody starts\nand wraps.");
    expect(t, &p[1], "Second para\nwraps too.");
    expect(t, &p[2], "Third.");
    free(p);
}

static void test_single_lines(void **state)
{
    (void)state;
    const char *t = "One.\r\nTwo.\r\nThree.";
    rp_paragraph *p;
    int rule;
    size_t n = split(t, &p, &rule);
    assert_int_equal(rule, RP_PARA_LINE);
    assert_int_equal(n, 3);
    expect(t, &p[0], "One.");
    expect(t, &p[1], "Two.");
    free(p);
}

static void test_doc_signature_is_whole_text(void **state)
{
    (void)state;
    /* 2 unit paragraphs, one short line; the doc signature must equal the
     * MinHash of every shingle of the whole token stream */
    const char *t = "alpha beta gamma delta epsilon zeta eta theta iota\n"
                    "Short line here\n"
                    "one two three four five six seven eight nine ten\n";
    rp_sign_options o = RP_SIGN_OPTIONS_INIT;
    o.num_perm = 64;
    rp_signer *s;
    assert_int_equal(rp_signer_new(&s, &o), RP_OK);
    rp_fingerprint fp;
    assert_int_equal(rp_signer_sign(s, &fp, t, strlen(t)), RP_OK);
    assert_int_equal(fp.npara, 3);
    assert_int_equal(fp.nunits, 2);
    assert_int_equal(fp.ntokens, 22);
    assert_int_equal(fp.nshingles, 18);
    rp_minhash m;
    rp_minhash_init(&m, 64, 0);
    uint32_t whole[64];
    rp_minhash_reset(&m, whole);
    rp_minhash_update(&m, whole, fp.shingles, fp.nshingles);
    assert_memory_equal(whole, fp.sig, sizeof whole);
    /* unit 1 is the last paragraph's own 6 shingles */
    assert_int_equal(fp.paras[2].nshingles, 6);
    uint32_t last[64];
    rp_minhash_reset(&m, last);
    rp_minhash_update(&m, last, fp.shingles + fp.paras[2].first_shingle, 6);
    assert_memory_equal(last, fp.unit_sigs + 64, sizeof last);
    rp_signer_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_indented_wire_story),
        cmocka_unit_test(test_single_lines),
        cmocka_unit_test(test_doc_signature_is_whole_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
