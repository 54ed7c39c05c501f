/* test_input.c - reading units and records from good and bad inputs. */
#include "reprint/input.h"
#include "reprint/record.h"
#include "reprint/sys/sigfile.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static char dir[] = "/tmp/rp-test-input.XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(const char *name)
{
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *name, const void *data, size_t len)
{
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* read all units; returns count of OK units, records codes in order */
static int read_all(const char *name, size_t max_len, int *codes, int ncodes,
                    rp_error *last)
{
    const char *paths[1] = {path_of(name)};
    rp_reader_options o = RP_READER_OPTIONS_INIT;
    if (max_len)
        o.max_record_len = max_len;
    rp_reader *r;
    assert_int_equal(rp_reader_new(&r, paths, NULL, 1, &o, NULL), RP_OK);
    int ok = 0, k = 0;
    for (;;) {
        rp_unit u;
        rp_error e;
        int rc = rp_reader_next(r, &u, &e);
        if (rc == RP_DONE)
            break;
        if (k < ncodes)
            codes[k++] = rc;
        if (rc == RP_OK)
            ok++;
        else if (last)
            *last = e;
    }
    rp_reader_free(r);
    return ok;
}

static void test_crlf_and_blank_lines(void **state)
{
    (void)state;
    const char *d = "{\"text\":\"a\"}\r\n\r\n   \n{\"text\":\"b\"}";
    write_file("crlf.jsonl", d, strlen(d));
    const char *paths[1] = {path_of("crlf.jsonl")};
    rp_reader_options o = RP_READER_OPTIONS_INIT;
    rp_reader *r;
    assert_int_equal(rp_reader_new(&r, paths, NULL, 1, &o, NULL), RP_OK);
    rp_unit u;
    assert_int_equal(rp_reader_next(r, &u, NULL), RP_OK);
    assert_int_equal(u.len, 12); /* CR stripped */
    assert_int_equal(u.line, 1);
    assert_int_equal(rp_reader_next(r, &u, NULL), RP_OK);
    assert_int_equal(u.line, 4);
    assert_int_equal(u.offset, 20);
    assert_int_equal(rp_reader_next(r, &u, NULL), RP_DONE);
    rp_reader_free(r);
}

static void test_empty_file(void **state)
{
    (void)state;
    write_file("empty.jsonl", "", 0);
    int codes[2] = {0};
    rp_error e;
    assert_int_equal(read_all("empty.jsonl", 0, codes, 2, &e), 0);
    assert_int_equal(codes[0], RP_EFORMAT);
    assert_non_null(strstr(e.message, "empty"));
}

static void test_long_line_skipped(void **state)
{
    (void)state;
    size_t big = 3000000;
    char *d = malloc(big + 64);
    strcpy(d, "{\"text\":\"ok\"}\n{\"text\":\"");
    size_t n = strlen(d);
    memset(d + n, 'x', big);
    n += big;
    strcpy(d + n, "\"}\n{\"text\":\"after\"}\n");
    n += strlen(d + n);
    write_file("long.jsonl", d, n);
    free(d);
    int codes[3] = {0};
    rp_error e;
    assert_int_equal(read_all("long.jsonl", 1 << 20, codes, 3, &e), 2);
    assert_int_equal(codes[0], RP_OK);
    assert_int_equal(codes[1], RP_ETOOBIG);
    assert_int_equal(codes[2], RP_OK);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.offset, 14);
}

static void test_truncated_zstd(void **state)
{
    (void)state;
    char cmd[512];
    const char *d = "{\"text\":\"hello world\"}\n";
    FILE *f = fopen(path_of("t.jsonl"), "wb");
    for (int i = 0; i < 20000; i++)
        fputs(d, f);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "zstd -q -f '%s/t.jsonl' -o '%s/t.jsonl.zst' && "
             "head -c -20 '%s/t.jsonl.zst' > '%s/cut.jsonl.zst' && "
             "gzip -c '%s/t.jsonl' > '%s/t.jsonl.gz' && "
             "head -c -20 '%s/t.jsonl.gz' > '%s/cut.jsonl.gz'",
             dir, dir, dir, dir, dir, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    int codes[1];
    assert_int_equal(read_all("t.jsonl.zst", 0, codes, 1, NULL), 20000);
    assert_int_equal(read_all("t.jsonl.gz", 0, codes, 1, NULL), 20000);
    rp_error e;
    int c2[30000];
    int ok = read_all("cut.jsonl.zst", 0, c2, 30000, &e);
    assert_true(ok < 20000);
    assert_int_equal(e.code, RP_EIO);
    assert_non_null(strstr(e.message, "truncated zstd"));
    ok = read_all("cut.jsonl.gz", 0, c2, 30000, &e);
    assert_true(ok < 20000);
    assert_non_null(strstr(e.message, "truncated gzip"));
}

static void test_text_folder(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/docs/b' && printf 'two' > "
             "'%s/docs/b/2.txt' && printf 'one' > '%s/docs/1.txt' && "
             "printf 'no' > '%s/docs/skip.md'", dir, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    const char *paths[1] = {path_of("docs")};
    rp_reader_options o = RP_READER_OPTIONS_INIT;
    rp_reader *r;
    assert_int_equal(rp_reader_new(&r, paths, NULL, 1, &o, NULL), RP_OK);
    assert_int_equal(rp_reader_file_count(r), 2);
    rp_unit u;
    assert_int_equal(rp_reader_next(r, &u, NULL), RP_OK);
    assert_int_equal(u.kind, RP_UNIT_TEXT);
    assert_string_equal(u.name, "1.txt");
    assert_memory_equal(u.data, "one", 3);
    assert_int_equal(rp_reader_next(r, &u, NULL), RP_OK);
    assert_string_equal(u.name, "b/2.txt");
    assert_int_equal(rp_reader_next(r, &u, NULL), RP_DONE);
    rp_reader_free(r);
}

/* issue 14: .xz and .bz2, whole, cut short, and written by name */
static void test_xz_bz2(void **state)
{
    (void)state;
    char cmd[1024];
    const char *d = "{\"text\":\"hello world\"}\n";
    FILE *f = fopen(path_of("x.jsonl"), "wb");
    for (int i = 0; i < 20000; i++)
        fputs(d, f);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "xz -c '%s/x.jsonl' > '%s/x.jsonl.xz' && "
             "head -c -20 '%s/x.jsonl.xz' > '%s/cut.jsonl.xz' && "
             "bzip2 -c '%s/x.jsonl' > '%s/x.jsonl.bz2' && "
             "head -c -20 '%s/x.jsonl.bz2' > '%s/cut.jsonl.bz2'",
             dir, dir, dir, dir, dir, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    int codes[1];
    assert_int_equal(read_all("x.jsonl.xz", 0, codes, 1, NULL), 20000);
    assert_int_equal(read_all("x.jsonl.bz2", 0, codes, 1, NULL), 20000);
    static const char *const cut[2] = {"cut.jsonl.xz", "cut.jsonl.bz2"};
    static const char *const why[2] = {"truncated xz", "truncated bzip2"};
    for (int k = 0; k < 2; k++) {
        rp_error e;
        int c2[30000];
        int ok = read_all(cut[k], 0, c2, 30000, &e);
        assert_true(ok <= 20000);
        assert_int_equal(e.code, RP_EIO);
        assert_non_null(strstr(e.message, why[k]));
        assert_non_null(strstr(e.path, cut[k]));
    }
    /* outputs: the name chooses the codec; read back, same bytes */
    static const char *const out[4] = {"o.jsonl.xz", "o.jsonl.bz2",
                                       "o.jsonl.zst", "o.jsonl.gz"};
    static const unsigned char magic[4][4] = {
        {0xfd, '7', 'z', 'X'}, {'B', 'Z', 'h', '9'}, {0x28, 0xb5, 0x2f, 0xfd},
        {0x1f, 0x8b, 8, 0}};
    for (int k = 0; k < 4; k++) {
        rp_writer *w;
        assert_int_equal(rp_writer_new(&w, path_of(out[k]), NULL), RP_OK);
        for (int i = 0; i < 1000; i++)
            assert_int_equal(rp_writer_write(w, d, strlen(d)), RP_OK);
        assert_int_equal(rp_writer_commit(w, NULL), RP_OK);
        unsigned char head[4];
        FILE *g = fopen(path_of(out[k]), "rb");
        assert_non_null(g);
        assert_int_equal(fread(head, 1, 4, g), 4);
        fclose(g);
        assert_memory_equal(head, magic[k], k == 3 ? 3 : 4);
        assert_int_equal(read_all(out[k], 0, codes, 1, NULL), 1000);
    }
}

/* issue 14: a file in another format is refused, by name, from its first
 * bytes (compressed or not); a JSON Lines file is not */
static void test_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *data;
        size_t len;
        const char *says;
    } cases[] = {
        {"PAR1\x15\x04", 6, "Parquet"},
        {"WARC/1.0\r\n", 10, "WARC"},
        {"id,text\n1,a\n", 12, "CSV"},
        {"id\ttext\n", 8, "TSV"},
        {"  [{\"text\":\"a\"}]", 17, "JSON array"},
        {"{\n\"text\":\"a\"\n}\n", 15, "pretty-printed JSON"},
        {"PK\x03\x04xx", 6, "zip"},
        {"7z\xbc\xaf\x27\x1c", 6, "7z"},
        {"\xff\xfe{\0", 4, "UTF-16"},
        {"\xfe\xff\0{", 4, "UTF-16"},
        {"%PDF-1.7", 8, "PDF"},
        {"<html>", 6, "HTML"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file("s.jsonl", cases[i].data, cases[i].len);
        rp_error e;
        int codes[4];
        assert_int_equal(read_all("s.jsonl", 0, codes, 4, &e), 0);
        assert_int_equal(codes[0], RP_EFORMAT);
        print_message("%s\n", e.message);
        assert_non_null(strstr(e.message, "unsupported format"));
        assert_non_null(strstr(e.message, cases[i].says));
        assert_non_null(strstr(e.path, "s.jsonl"));
    }
    char tar[600];
    memset(tar, 'x', sizeof tar);
    memcpy(tar + 257, "ustar", 5);
    write_file("s.jsonl", tar, sizeof tar);
    rp_error e;
    int codes[4];
    assert_int_equal(read_all("s.jsonl", 0, codes, 4, &e), 0);
    assert_non_null(strstr(e.message, "tar archive"));
    /* told after decompression */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "printf 'id,text\\n1,a\\n' | xz -c > "
             "'%s/c.csv.xz'", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(read_all("c.csv.xz", 0, codes, 4, &e), 0);
    assert_non_null(strstr(e.message, "CSV"));
    /* not refused: JSON Lines after blank lines, a bad record that starts
     * with '{' (its own error comes from the parser), one short line */
    const char *fine[] = {"\n\n  {\"text\":\"a\"}\n", "{\"text\":\n",
                          "{}", "{\"a\":1}\n{\n"};
    for (size_t i = 0; i < 4; i++) {
        write_file("s.jsonl", fine[i], strlen(fine[i]));
        assert_int_equal(read_all("s.jsonl", 0, codes, 4, NULL), 1 + (i == 3));
    }
}

/* issue 14: folders of shards, recursive, in bytewise path order; hidden
 * entries and other kinds skipped; none to read is an error */
static void test_shard_folder(void **state)
{
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && mkdir -p sh/b sh/.git none && "
             "printf '{\"text\":\"1\"}\\n' > sh/a.jsonl && "
             "printf '{\"text\":\"2\"}\\n' | gzip -c > sh/b/c.jsonl.gz && "
             "printf '{\"text\":\"3\"}\\n' | zstd -q -c > sh/b/d.json.zst && "
             "printf '{\"text\":\"4\"}\\n' | xz -c > sh/B.jsonl.xz && "
             "printf '{\"text\":\"5\"}\\n' | bzip2 -c > sh/e.ndjson.bz2 && "
             "printf 'six' > sh/f.txt && "
             "printf '{\"text\":\"h\"}\\n' > sh/.h.jsonl && "
             "printf '{\"text\":\"g\"}\\n' > sh/.git/g.jsonl && "
             "printf 'x' > sh/README.md && printf 'x' > sh/data.jsonl.lz4 && "
             "printf 'x' > none/notes.md", dir);
    assert_int_equal(system(cmd), 0);
    const char *paths[1] = {path_of("sh")};
    rp_reader_options o = RP_READER_OPTIONS_INIT;
    rp_reader *r;
    assert_int_equal(rp_reader_new(&r, paths, NULL, 1, &o, NULL), RP_OK);
    assert_int_equal(rp_reader_file_count(r), 6);
    static const char *const want[6] = {"4", "1", "2", "3", "5", "six"};
    for (int i = 0; i < 6; i++) {
        rp_unit u;
        assert_int_equal(rp_reader_next(r, &u, NULL), RP_OK);
        const char *t = i < 5 ? u.data + 9 : u.data;
        assert_memory_equal(t, want[i], strlen(want[i]));
        assert_int_equal(u.kind, i < 5 ? RP_UNIT_JSON : RP_UNIT_TEXT);
    }
    assert_non_null(strstr(rp_reader_file_name(r, 0), "sh/B.jsonl.xz"));
    assert_non_null(strstr(rp_reader_file_name(r, 2), "sh/b/c.jsonl.gz"));
    rp_unit u;
    assert_int_equal(rp_reader_next(r, &u, NULL), RP_DONE);
    rp_reader_free(r);
    /* nothing to read: an error naming the folder */
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/void'", dir);
    assert_int_equal(system(cmd), 0);
    const char *e2[3] = {path_of("none"), NULL, NULL};
    rp_error e;
    r = NULL;
    assert_int_equal(rp_reader_new(&r, e2, NULL, 1, &o, &e), RP_EFORMAT);
    assert_null(r);
    assert_non_null(strstr(e.message, "no input file"));
    assert_non_null(strstr(e.message, "1 other"));
    e2[0] = path_of("void");
    assert_int_equal(rp_reader_new(&r, e2, NULL, 1, &o, &e), RP_EFORMAT);
    assert_non_null(strstr(e.path, "void"));
}

typedef struct rcase {
    const char *json;
    int rc;
    const char *msg; /* substring of the error */
} rcase;

static void test_records(void **state)
{
    (void)state;
    static const rcase cases[] = {
        {"{\"text\":\"fine\",\"id\":7,\"date\":\"2022-11-05\"}", RP_OK, NULL},
        {"{\"content\":\"alt name\"}", RP_OK, NULL},
        {"{\"text\":\"x\"", RP_EFORMAT, "invalid JSON"},
        {"{\"text\":\"x\"} trailing", RP_EFORMAT, "invalid JSON"},
        {"[1,2]", RP_EFORMAT, "not a JSON object"},
        {"{\"title\":\"no text\"}", RP_EFORMAT, "no text field"},
        {"{\"text\":42}", RP_EFORMAT, "not a string"},
        {"{\"text\":\"bad \xff byte\"}", RP_EFORMAT, "invalid UTF-8"},
        {"{\"text\":\"\xed\xa0\x80 surrogate\"}", RP_EFORMAT, "invalid UTF-8"},
    };
    rp_parser *p;
    assert_int_equal(rp_parser_new(&p, NULL), RP_OK);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rp_unit u = {cases[i].json, strlen(cases[i].json), 0, 3, 100,
                     RP_UNIT_JSON, NULL};
        rp_record rec;
        rp_error e = {0};
        int rc = rp_parser_parse(p, &rec, &u, "f.jsonl", &e);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d want %d (%s)", i, rc, cases[i].rc,
                     e.message);
        if (cases[i].msg) {
            if (!strstr(e.message, cases[i].msg))
                fail_msg("case %zu: message '%s' lacks '%s'", i, e.message,
                         cases[i].msg);
            assert_string_equal(e.path, "f.jsonl");
            assert_int_equal(e.line, 3);
            assert_true(e.offset >= 100);
        }
    }
    /* NUL byte inside the line */
    const char nul[] = "{\"text\":\"a\0b\"}";
    rp_unit u = {nul, sizeof nul - 1, 0, 1, 0, RP_UNIT_JSON, NULL};
    rp_record rec;
    rp_error e;
    assert_int_equal(rp_parser_parse(p, &rec, &u, "f", &e), RP_EFORMAT);
    assert_int_equal(e.offset, 10);
    rp_parser_free(p);
}

static void test_record_fields(void **state)
{
    (void)state;
    const char *j = "{\"id\":\"a1\",\"text\":\"caf\\u00e9 \\\"q\\\"\","
                    "\"url\":\"https://www.Example.com/x\","
                    "\"published\":\"2022-11-05T10:00:00Z\"}";
    rp_parser *p;
    rp_parser_new(&p, NULL);
    rp_unit u = {j, strlen(j), 0, 1, 0, RP_UNIT_JSON, NULL};
    rp_record r;
    assert_int_equal(rp_parser_parse(p, &r, &u, "f", NULL), RP_OK);
    assert_string_equal(r.id, "a1");
    assert_string_equal(r.text, "caf\xc3\xa9 \"q\"");
    assert_string_equal(r.source, "example.com");
    assert_int_equal(r.date.precision, RP_DATE_SECOND);
    /* the raw token is the JSON string with its escapes */
    assert_memory_equal(j + r.text_raw.offset, "\"caf\\u00e9 \\\"q\\\"\"",
                        r.text_raw.len);
    rp_parser_free(p);
    /* a configured field name, no id: file:line */
    rp_fields f = {"body", NULL, "when", NULL, NULL};
    rp_parser_new(&p, &f);
    const char *j2 = "{\"text\":\"not me\",\"body\":\"me\",\"when\":\"junk\"}";
    rp_unit u2 = {j2, strlen(j2), 0, 9, 0, RP_UNIT_JSON, NULL};
    assert_int_equal(rp_parser_parse(p, &r, &u2, "in.jsonl", NULL), RP_OK);
    assert_string_equal(r.text, "me");
    assert_string_equal(r.id, "in.jsonl:9");
    assert_int_equal(r.date_bad, 1);
    rp_parser_free(p);
}

static void test_sigfile_roundtrip_and_corruption(void **state)
{
    (void)state;
    rp_sign_options so = RP_SIGN_OPTIONS_INIT;
    so.num_perm = 32;
    const char *files[1] = {"in.jsonl"};
    uint64_t sizes[1] = {123};
    rp_sigfile_writer *w;
    assert_int_equal(rp_sigfile_writer_new(&w, path_of("s.rps"), &so, NULL,
                                           files, sizes, 1, NULL),
                     RP_OK);
    uint32_t sig[64];
    for (int i = 0; i < 64; i++)
        sig[i] = (uint32_t)i * 2654435761u;
    /* a possible record (the reader checks): 2 tokens, 1 shingle */
    rp_para_fp para = {{0, 5, 0, 6}, 0, 2, 0, 1, 1};
    for (uint32_t d = 0; d < 3; d++) {
        rp_sigfile_doc doc = {0};
        doc.file = 0;
        doc.line = d + 1;
        doc.offset = d * 10;
        doc.text_len = 6;
        doc.ntokens = 2;
        doc.nshingles = 1;
        doc.id = "doc";
        doc.id_len = 3;
        doc.npara = 1;
        doc.paras = &para;
        doc.nunits = 1;
        doc.sig = sig;
        doc.unit_sigs = sig + 32;
        assert_int_equal(rp_sigfile_writer_add(w, &doc), RP_OK);
    }
    assert_int_equal(rp_sigfile_writer_commit(w, NULL), RP_OK);
    rp_sigfile_reader *r;
    assert_int_equal(rp_sigfile_reader_new(&r, path_of("s.rps"), NULL), RP_OK);
    assert_int_equal(rp_sigfile_options(r)->num_perm, 32);
    assert_string_equal(rp_sigfile_file_name(r, 0), "in.jsonl");
    rp_sigfile_doc d;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rp_sigfile_reader_next(r, &d, NULL), RP_OK);
        assert_int_equal(d.line, i + 1);
        assert_memory_equal(d.sig, sig, 32 * 4);
        assert_memory_equal(d.unit_sigs, sig + 32, 32 * 4);
        assert_int_equal(d.paras[0].ntokens, 2);
    }
    assert_int_equal(rp_sigfile_reader_next(r, &d, NULL), RP_DONE);
    rp_sigfile_reader_free(r);
    /* flip one byte in the block: the checksum catches it */
    FILE *f = fopen(path_of("s.rps"), "r+b");
    fseek(f, -40, SEEK_END);
    int c = fgetc(f);
    fseek(f, -40, SEEK_END);
    fputc(c ^ 0x55, f);
    fclose(f);
    assert_int_equal(rp_sigfile_reader_new(&r, path_of("s.rps"), NULL), RP_OK);
    rp_error e;
    assert_int_equal(rp_sigfile_reader_next(r, &d, &e), RP_EFORMAT);
    assert_non_null(strstr(e.message, "corrupt"));
    rp_sigfile_reader_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crlf_and_blank_lines),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_long_line_skipped),
        cmocka_unit_test(test_truncated_zstd),
        cmocka_unit_test(test_text_folder),
        cmocka_unit_test(test_xz_bz2),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_shard_folder),
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_record_fields),
        cmocka_unit_test(test_sigfile_roundtrip_and_corruption),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
