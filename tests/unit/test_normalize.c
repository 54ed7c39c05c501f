/* test_normalize.c - NFKC_Casefold tokens and their offsets. */
#include "reprint/sys/normalize.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

/* tokens joined by '|' */
static void tokens_of(char *out, size_t cap, const char *text, int char_mode)
{
    rp_normalizer *n;
    assert_int_equal(rp_normalizer_new(&n, char_mode, 0), RP_OK);
    const rp_token *t;
    size_t count;
    assert_int_equal(rp_normalize(n, &t, &count, text, strlen(text)), RP_OK);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < count; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%.*s", i ? "|" : "",
                              (int)t[i].norm_len,
                              rp_normalizer_text(n) + t[i].norm_off);
    rp_normalizer_free(n);
}

typedef struct ncase {
    const char *in;
    const char *want;
} ncase;

static const ncase cases[] = {
    {"Hello, World!", "hello|world"},
    {"  many   spaces\n\ttabs ", "many|spaces|tabs"},
    {"Iran\xe2\x80\x99s FM", "iran|s|fm"},                 /* ’ separates */
    {"\xe2\x80\x9cQuoted\xe2\x80\x9d \xe2\x80\x94 dash", "quoted|dash"},
    {"\xef\xbc\xa6\xef\xbd\x95\xef\xbd\x8c\xef\xbd\x8c", "full"}, /* Ｆｕｌｌ */
    {"\xef\xac\x81nance", "finance"},                       /* ﬁ ligature */
    {"Stra\xc3\x9f" "e", "strasse"},                        /* ß folds */
    {"Cafe\xcc\x81 caf\xc3\xa9", "caf\xc3\xa9|caf\xc3\xa9"}, /* NFC equal */
    {"\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90",
     "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0"},   /* МОСКВА */
    {"soft\xc2\xad" "hyphen", "softhyphen"},               /* U+00AD gone */
    {"a\xe2\x80\xae" "b", "ab"},                            /* bidi RLO gone */
    {"snake_case x2", "snake_case|x2"},
    {"\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", "\xe4\xb8\xad|\xe6\x96\x87|\xe5\xad\x97"},
    {"", ""},
    {"...!!!", ""},
};

static void test_table(void **state)
{
    (void)state;
    char buf[512];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tokens_of(buf, sizeof buf, cases[i].in, 0);
        if (strcmp(buf, cases[i].want) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, buf, cases[i].want);
    }
}

static void test_char_mode(void **state)
{
    (void)state;
    char buf[256];
    tokens_of(buf, sizeof buf, "Ab c!", 1);
    assert_string_equal(buf, "a|b|c");
}

static void test_offsets_point_into_original(void **state)
{
    (void)state;
    const char *text = "Ｆｕｌｌ  Caf\xc3\xa9, Moscow\xe2\x80\x99s";
    rp_normalizer *n;
    assert_int_equal(rp_normalizer_new(&n, 0, 0), RP_OK);
    const rp_token *t;
    size_t count;
    assert_int_equal(rp_normalize(n, &t, &count, text, strlen(text)), RP_OK);
    assert_int_equal(count, 4);
    assert_int_equal(t[0].offset, 0);
    assert_int_equal(t[0].len, 12); /* four 3-byte full-width letters */
    assert_memory_equal(text + t[1].offset, "Caf\xc3\xa9", t[1].len);
    assert_memory_equal(text + t[2].offset, "Moscow", t[2].len);
    assert_memory_equal(text + t[3].offset, "s", t[3].len);
    rp_normalizer_free(n);
}

static void test_hash_equal_for_equal_tokens(void **state)
{
    (void)state;
    rp_normalizer *n;
    assert_int_equal(rp_normalizer_new(&n, 0, 7), RP_OK);
    const rp_token *t;
    size_t count;
    const char *text = "WORD word Ｗｏｒｄ other";
    assert_int_equal(rp_normalize(n, &t, &count, text, strlen(text)), RP_OK);
    assert_int_equal(count, 4);
    assert_true(t[0].hash == t[1].hash && t[1].hash == t[2].hash);
    assert_true(t[2].hash != t[3].hash);
    rp_normalizer_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_char_mode),
        cmocka_unit_test(test_offsets_point_into_original),
        cmocka_unit_test(test_hash_equal_for_equal_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
