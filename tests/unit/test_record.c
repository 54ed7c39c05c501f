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

/* issue 14: field paths. Each row: the record, the fields given (NULL:
 * defaults), what the date, id, url and source come out as ("" = none). */
typedef struct path_case {
    const char *json;
    const char *date_field, *id_field, *url_field, *source_field;
    const char *date, *id, *url, *source;
} path_case;

static const path_case path_cases[] = {
    /* datatrove: id, text, metadata{url, date} by default */
    {"{\"text\":\"a\",\"id\":\"d1\",\"metadata\":{\"url\":"
     "\"https://www.Ex.com/1\",\"date\":\"2020-01-02\"}}",
     NULL, NULL, NULL, NULL, "2020-01-02", "d1", "https://www.Ex.com/1",
     "ex.com"},
    /* Dolma: created is the date, added is not; top-level source */
    {"{\"id\":\"x\",\"text\":\"a\",\"source\":\"cc\",\"added\":"
     "\"2024-05-01\",\"created\":\"2019-03-04\"}",
     NULL, NULL, NULL, NULL, "2019-03-04", "x", "", "cc"},
    /* ... and source "-" names no field: outlets from the URL */
    {"{\"id\":\"x\",\"text\":\"a\",\"source\":\"cc\",\"metadata\":"
     "{\"url\":\"http://b.org/\"}}",
     NULL, NULL, NULL, "-", "", "x", "http://b.org/", "b.org"},
    /* the top level first, then metadata */
    {"{\"text\":\"a\",\"date\":\"2001\",\"metadata\":{\"date\":"
     "\"2002\"}}",
     NULL, NULL, NULL, NULL, "2001", "t.jsonl:1", "", ""},
    /* dotted and JSON Pointer paths, ~0 ~1 escapes, array indices */
    {"{\"text\":\"a\",\"m\":{\"d\":\"1999\"}}", "m.d", NULL, NULL,
     NULL, "1999", "t.jsonl:1", "", ""},
    {"{\"text\":\"a\",\"m\":{\"d\":\"1999\"}}", "/m/d", NULL, NULL,
     NULL, "1999", "t.jsonl:1", "", ""},
    {"{\"text\":\"a\",\"a/b\":{\"c~d\":\"1998\"}}", "/a~1b/c~0d",
     NULL, NULL, NULL, "1998", "t.jsonl:1", "", ""},
    {"{\"text\":\"a\",\"pub.date\":\"1997\"}", "/pub.date", NULL,
     NULL, NULL, "1997", "t.jsonl:1", "", ""},
    {"{\"text\":\"a\",\"ids\":[\"p\",{\"q\":7}]}", NULL, "/ids/1/q",
     NULL, NULL, "", "7", "", ""},
    {"{\"text\":\"a\",\"ids\":[\"p\"]}", NULL, "ids.0", NULL, NULL, "",
     "p", "", ""},
    /* not there: an index past the end, a leading zero, a key of a
     * string, a dotted path where the key has a dot */
    {"{\"text\":\"a\",\"ids\":[\"p\"]}", NULL, "/ids/1", NULL, NULL, "",
     "t.jsonl:1", "", ""},
    {"{\"text\":\"a\",\"ids\":[\"p\"]}", NULL, "/ids/00", NULL, NULL,
     "", "t.jsonl:1", "", ""},
    {"{\"text\":\"a\",\"m\":\"s\"}", "m.d", NULL, NULL, NULL, "",
     "t.jsonl:1", "", ""},
    {"{\"text\":\"a\",\"pub.date\":\"1997\"}", "pub.date", NULL, NULL,
     NULL, "", "t.jsonl:1", "", ""},
    /* an escaped key on the path is compared decoded */
    {"{\"text\":\"a\",\"m\\u0065ta\":{\"d\":\"1996\"}}", "meta.d",
     NULL, NULL, NULL, "1996", "t.jsonl:1", "", ""},
    /* the url's host as source, from a nested url field */
    {"{\"text\":\"a\",\"links\":[{\"u\":\"https://WWW.Z.net:8/x\"}]}",
     NULL, NULL, "/links/0/u", NULL, "", "t.jsonl:1", "https://WWW.Z.net:8/x",
     "z.net"},
};

static void field_paths(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof path_cases / sizeof path_cases[0]; i++) {
        const path_case *c = &path_cases[i];
        rp_fields f = {0};
        f.date = c->date_field;
        f.id = c->id_field;
        f.url = c->url_field;
        f.source = c->source_field;
        rp_record r;
        rp_error e;
        print_message("case %zu: %s\n", i, c->json);
        assert_int_equal(parse(c->json, &f, &r, &e), RP_OK);
        char d[64] = "";
        if (r.date.precision != RP_DATE_UNKNOWN)
            rp_date_format(d, sizeof d, &r.date);
        if (*c->date)
            assert_memory_equal(d, c->date, 4);
        else
            assert_string_equal(d, "");
        assert_string_equal(r.id, c->id);
        assert_string_equal(r.url ? r.url : "", c->url);
        assert_string_equal(r.source ? r.source : "", c->source);
        assert_int_equal(!!(r.fields_found & RP_FIELD_DATE), !!*c->date);
        assert_int_equal(!!(r.fields_found & RP_FIELD_URL), !!*c->url);
    }
}

/* the text value found by a path: its raw token for dedup's rewrite */
static void text_path_raw_span(void **state)
{
    (void)state;
    rp_fields f = {0};
    f.text = "/doc/parts/1/body";
    const char *line = "{\"doc\":{\"parts\":[{\"body\":\"no\"},"
                       "{\"x\":[1,{\"body\":\"deeper\"}],"
                       "\"body\" : \"yes \\\"q\\\"\"}]},\"body\":\"top\"}";
    rp_record r;
    rp_error e;
    assert_int_equal(parse(line, &f, &r, &e), RP_OK);
    assert_string_equal(r.text, "yes \"q\"");
    assert_int_equal(r.text_raw.len, 11);
    assert_memory_equal(line + r.text_raw.offset, "\"yes \\\"q\\\"\"", 11);
}

/* a key on the path or at its end that appears twice is a bad record */
static void duplicate_keys_on_paths(void **state)
{
    (void)state;
    rp_record r;
    rp_error e;
    assert_int_equal(parse("{\"text\":\"a\",\"metadata\":{\"date\":\"1\","
                           "\"date\":\"2\"}}", NULL, &r, &e),
                     RP_EFORMAT);
    assert_non_null(strstr(e.message, "duplicate key \"metadata.date\""));
    assert_int_equal(parse("{\"text\":\"a\",\"metadata\":{\"x\":1},"
                           "\"metadata\":{\"url\":\"u\"}}", NULL, &r, &e),
                     RP_EFORMAT);
    assert_non_null(strstr(e.message, "the url field appears 2 times"));
    rp_fields f = {0};
    f.text = "d.t";
    assert_int_equal(parse("{\"d\":{\"t\":\"a\",\"t\":\"b\"}}", &f, &r,
                           &e),
                     RP_EFORMAT);
    /* a repeat beside the path is fine */
    assert_int_equal(parse("{\"text\":\"a\",\"metadata\":{\"date\":\"1\","
                           "\"y\":1,\"y\":2}}", NULL, &r, &e),
                     RP_OK);
}

static void field_check(void **state)
{
    (void)state;
    static const char *const good[] = {"date", "a.b", "/a/b", "/a~0~1",
                                       "/", "/a.b", "-", "x/y"};
    static const char *const bad[] = {"", "a..b", ".a", "a.", "/a~2",
                                      "/a~"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_int_equal(rp_field_check(good[i], NULL), RP_OK);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        rp_error e = {0};
        assert_int_equal(rp_field_check(bad[i], &e), RP_EINVAL);
        assert_true(e.message[0] != '\0');
        rp_parser *p = NULL;
        rp_fields f = {0};
        f.date = bad[i];
        assert_int_equal(rp_parser_new(&p, &f), RP_EINVAL);
        assert_null(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(field_paths),
        cmocka_unit_test(text_path_raw_span),
        cmocka_unit_test(duplicate_keys_on_paths),
        cmocka_unit_test(field_check),
        cmocka_unit_test(number_id_in_full),
        cmocka_unit_test(number_date_huge),
        cmocka_unit_test(duplicate_keys),
        cmocka_unit_test(utf8_every_field),
        cmocka_unit_test(clear_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
