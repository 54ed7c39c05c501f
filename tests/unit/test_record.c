/* test_record.c - picking fields from one JSON Lines record (issue 13:
 * numbers as ids and dates, duplicate keys, UTF-8 in every field read,
 * clear errors for a BOM, a null text and a .rps given as JSON Lines). */
#include "reprint/record.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static int parse(const char *line, const rp_fields *f, rp_record *rec,
                 rp_error *e)
{
    static rp_parser *p;
    if (p)
        rp_parser_free(p);
    assert_int_equal(rp_parser_new(&p, f), RP_OK);
    rp_unit u;
    memset(&u, 0, sizeof u);
    u.data = line;
    u.len = strlen(line);
    u.line = 1;
    u.kind = RP_UNIT_JSON;
    memset(e, 0, sizeof *e);
    return rp_parser_parse(p, rec, &u, "t.jsonl", e);
}

/* a huge number as the id is written in full, not cut at 63 bytes (and
 * not read past a 64-byte stack buffer: ASan) */
static void number_id_in_full(void **state)
{
    (void)state;
    rp_record r;
    rp_error e;
    assert_int_equal(parse("{\"id\":1.5e308,\"text\":\"x\"}", NULL, &r, &e),
                     RP_OK);
    assert_int_equal(strlen(r.id), 309 + 4); /* 15 then 307 zeros, ".000" */
    assert_memory_equal(r.id, "15000000000", 11);
    assert_string_equal(r.id + 309, ".000");
    assert_int_equal(parse("{\"id\":-42,\"text\":\"x\"}", NULL, &r, &e),
                     RP_OK);
    assert_string_equal(r.id, "-42");
}

/* record-1.bin: {"body":"","ts":1e99} with the date field "ts" */
static void number_date_huge(void **state)
{
    (void)state;
    rp_fields f = {0};
    f.text = "body";
    f.date = "ts";
    rp_record r;
    rp_error e;
    assert_int_equal(parse("{\"body\":\"\",\"ts\":1e99}", &f, &r, &e), RP_OK);
    assert_int_equal(r.date_bad, 1);
}

/* one rule: a field reprint reads that appears twice, even spelt with an
 * escape, is a bad record (json-c keeps the last copy; the raw rewrite of
 * the text would cut the other) */
static void duplicate_keys(void **state)
{
    (void)state;
    rp_record r;
    rp_error e;
    assert_int_equal(parse("{\"text\":\"unique a\",\"te\\u0078t\":\"b\"}", NULL,
                           &r, &e),
                     RP_EFORMAT);
    assert_non_null(strstr(e.message, "duplicate key \"text\""));
    assert_int_equal(parse("{\"text\":\"a\",\"text\":\"b\"}", NULL, &r, &e),
                     RP_EFORMAT);
    assert_int_equal(parse("{\"id\":\"1\",\"text\":\"a\",\"\\u0069d\":\"2\"}",
                           NULL, &r, &e),
                     RP_EFORMAT);
    assert_non_null(strstr(e.message, "the id field"));
    /* a key reprint does not read may repeat */
    assert_int_equal(parse("{\"x\":1,\"text\":\"a\",\"x\":2}", NULL, &r, &e),
                     RP_OK);
    /* an escaped key alone is found where json-c found it */
    const char *line = "{\"te\\u0078t\":\"abc\",\"id\":\"q\"}";
    assert_int_equal(parse(line, NULL, &r, &e), RP_OK);
    assert_string_equal(r.text, "abc");
    assert_int_equal(r.text_raw.len, 5);
    assert_memory_equal(line + r.text_raw.offset, "\"abc\"", 5);
    /* a surrogate pair in a key decodes like json-c's */
    assert_int_equal(parse("{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2,"
                           "\"text\":\"a\"}",
                           NULL, &r, &e),
                     RP_OK);
}

/* source, url and file end up in JSON and HTML: valid UTF-8 or a bad
 * record, like the id and the text */
static void utf8_every_field(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "{\"text\":\"a\",\"source\":\"bad \xff byte\"}",
        "{\"text\":\"a\",\"url\":\"http://x\xc3(/\"}",
        "{\"text\":\"a\",\"file\":\"f\xed\xa0\x80.txt\"}",
    };
    static const char *const what[] = {"source", "url", "file"};
    for (int i = 0; i < 3; i++) {
        rp_record r;
        rp_error e;
        assert_int_equal(parse(lines[i], NULL, &r, &e), RP_EFORMAT);
        assert_non_null(strstr(e.message, "invalid UTF-8"));
        assert_non_null(strstr(e.message, what[i]));
    }
}

static void clear_errors(void **state)
{
    (void)state;
    rp_record r;
    rp_error e;
    assert_int_equal(parse("\xef\xbb\xbf{\"text\":\"a\"}", NULL, &r, &e),
                     RP_EFORMAT);
    assert_non_null(strstr(e.message, "byte-order mark"));
    assert_int_equal(parse("{\"id\":\"n\",\"text\":null}", NULL, &r, &e),
                     RP_EFORMAT);
    assert_non_null(strstr(e.message, "\"text\" is null"));
    rp_fields f = {0};
    f.text = "body";
    assert_int_equal(parse("{\"body\":null}", &f, &r, &e), RP_EFORMAT);
    assert_non_null(strstr(e.message, "\"body\" is null"));
    assert_int_equal(parse("RPSIG", NULL, &r, &e), RP_EFORMAT);
    assert_non_null(strstr(e.message, "signature file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(number_id_in_full),
        cmocka_unit_test(number_date_huge),
        cmocka_unit_test(duplicate_keys),
        cmocka_unit_test(utf8_every_field),
        cmocka_unit_test(clear_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
