/* test_sigfile.c - a .rps whose checksums are right but whose values are
 * not (issue 13 items 2, 3, 11, 13): every value is checked before use. The
 * files are made with the writer, which checks nothing, so the checksums
 * are valid and only the reader's own checks stand between them and
 * dedup. */
#include "reprint/sys/sigfile.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static char dir[] = "/tmp/rp-test-sigfile.XXXXXX";
static char path[300];

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/t.rps", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return rmdir(dir);
}

static uint32_t sig[2 * RP_MINHASH_MAX_PERM];

/* A possible record: "aa bb cc" (8 bytes), 3 tokens, 1 paragraph unit. */
static rp_para_fp good_para(void)
{
    rp_para_fp p;
    memset(&p, 0, sizeof p);
    p.span.offset = 0;
    p.span.len = 8;
    p.span.cut_offset = 0;
    p.span.cut_len = 8;
    p.first_token = 0;
    p.ntokens = 3;
    p.first_shingle = 0;
    p.nshingles = 1;
    p.unit = 1;
    p.tok_begin = 0;
    p.tok_end = 8;
    return p;
}

static rp_sigfile_doc good_doc(const rp_para_fp *p)
{
    rp_sigfile_doc d;
    memset(&d, 0, sizeof d);
    d.line = 1;
    d.text_len = 8;
    d.ntokens = 3;
    d.nshingles = 1;
    d.tok_end = 8;
    d.id = "a";
    d.id_len = 1;
    d.npara = 1;
    d.paras = p;
    d.nunits = 1;
    d.sig = sig;
    d.unit_sigs = sig + RP_MINHASH_MAX_PERM;
    return d;
}

static void write_rps(uint32_t num_perm, const rp_sigfile_doc *d)
{
    rp_sign_options so = RP_SIGN_OPTIONS_INIT;
    so.num_perm = num_perm;
    const char *files[1] = {"in.jsonl"};
    uint64_t sizes[1] = {100};
    rp_sigfile_writer *w;
    assert_int_equal(
        rp_sigfile_writer_new(&w, path, &so, NULL, files, sizes, 1, NULL),
        RP_OK);
    if (d)
        assert_int_equal(rp_sigfile_writer_add(w, d), RP_OK);
    assert_int_equal(rp_sigfile_writer_commit(w, NULL), RP_OK);
}

/* read every document; the first error's code, or RP_OK */
static int read_rps(rp_error *e)
{
    rp_sigfile_reader *r = NULL;
    memset(e, 0, sizeof *e);
    int rc = rp_sigfile_reader_new(&r, path, e);
    while (rc == RP_OK) {
        rp_sigfile_doc d;
        rc = rp_sigfile_reader_next(r, &d, e);
    }
    rp_sigfile_reader_free(r);
    return rc == RP_DONE ? RP_OK : rc;
}

static void good_file_reads(void **state)
{
    (void)state;
    rp_para_fp p = good_para();
    rp_sigfile_doc d = good_doc(&p);
    write_rps(32, &d);
    rp_error e;
    assert_int_equal(read_rps(&e), RP_OK);
    /* and the input's size is kept */
    rp_sigfile_reader *r;
    assert_int_equal(rp_sigfile_reader_new(&r, path, NULL), RP_OK);
    assert_int_equal(rp_sigfile_file_size(r, 0), 100);
    rp_sigfile_reader_free(r);
}

/* sigfile-1.bin: num_perm 4096 with a valid checksum crashed the cleanup */
static void header_out_of_range(void **state)
{
    (void)state;
    write_rps(4096, NULL);
    rp_error e;
    assert_int_equal(read_rps(&e), RP_EFORMAT);
    assert_non_null(strstr(e.message, "header values out of range"));
}

/* sigfile-2/3/4.bin: spans, counts, ids that no record can have */
static void impossible_records(void **state)
{
    (void)state;
    for (int c = 0; c < 9; c++) {
        rp_para_fp p = good_para();
        rp_sigfile_doc d = good_doc(&p);
        switch (c) {
        case 0: p.span.len = 100; break;            /* past the text */
        case 1: p.span.cut_offset = 0xfffffff0u; break; /* wraps */
        case 2: p.nshingles = 50; break;            /* past the shingles */
        case 3: p.first_token = 2; break;           /* past the tokens */
        case 4: d.id = "\xff"; break;               /* not UTF-8 */
        case 5: d.tok_end = 9; break;               /* past the text */
        case 6: p.tok_begin = 5; p.tok_end = 4; break;
        case 7: d.date.precision = 200; break;
        case 8: p.nshingles = 0; break;             /* unit, no shingles */
        }
        write_rps(32, &d);
        rp_error e;
        assert_int_equal(read_rps(&e), RP_EFORMAT);
        assert_non_null(strstr(e.message, "corrupt signature file"));
    }
}

/* bytes after the trailer are not ignored */
static void trailing_garbage(void **state)
{
    (void)state;
    rp_para_fp p = good_para();
    rp_sigfile_doc d = good_doc(&p);
    write_rps(32, &d);
    FILE *f = fopen(path, "ab");
    assert_non_null(f);
    fputs("junk", f);
    fclose(f);
    rp_error e;
    assert_int_equal(read_rps(&e), RP_EFORMAT);
    assert_non_null(strstr(e.message, "after the trailer"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_file_reads),
        cmocka_unit_test(header_out_of_range),
        cmocka_unit_test(impossible_records),
        cmocka_unit_test(trailing_garbage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
