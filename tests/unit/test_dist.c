/* test_dist.c - the process group without a launcher (reprint/sys/dist.h):
 * one process, rank 0 of 1; its collectives; rp_dedup_run_dist over one
 * rank is rp_dedup_run; what a distributed run refuses. The runs over many
 * ranks are tests/cli/mpi.py (cli.mpi). */
#include "reprint/sys/dist.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static char dir[] = "/tmp/rp-test-dist.XXXXXX";

static void one_process(void **state)
{
    rp_dist *d = NULL;
    rp_error err = {0};
    assert_int_equal(rp_dist_open(&d, NULL, NULL, 0, &err), RP_OK);
    assert_int_equal(rp_dist_rank(d), 0);
    assert_int_equal(rp_dist_size(d), 1);
    assert_int_equal(rp_dist_agree(d, 0), 0);
    assert_int_equal(rp_dist_agree(d, 2), 2);
    rp_dist_close(d);
    rp_dist_close(NULL);
    if (!rp_dist_has_mpi()) { /* asked for MPI it does not have */
        assert_int_equal(rp_dist_open(&d, NULL, NULL, 1, &err), RP_EINVAL);
        assert_null(d);
        assert_non_null(strstr(err.message, "without MPI"));
    }
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 1 << 16);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void run_of_one_rank(void **state)
{
    char in[300], a[300], b[300];
    snprintf(in, sizeof in, "%s/in.jsonl", dir);
    snprintf(a, sizeof a, "%s/a.jsonl", dir);
    snprintf(b, sizeof b, "%s/b.jsonl", dir);
    FILE *f = fopen(in, "w");
    assert_non_null(f);
    const char *text = "the quick brown fox jumps over the lazy dog again "
                       "and again while the cat sleeps on the warm mat";
    for (int i = 0; i < 3; i++)
        fprintf(f, "{\"id\":\"d%d\",\"text\":\"%s\"}\n", i, text);
    fclose(f);
    rp_dedup_options o = RP_DEDUP_OPTIONS_INIT;
    const char *inputs[] = {in};
    rp_dedup_outputs oa = {a, NULL, NULL, NULL, NULL};
    rp_dedup_outputs ob = {b, NULL, NULL, NULL, NULL};
    rp_dedup_stats sa = RP_DEDUP_STATS_INIT, sb = RP_DEDUP_STATS_INIT;
    rp_error err = {0};
    rp_dist *d = NULL;
    assert_int_equal(rp_dist_open(&d, NULL, NULL, 0, &err), RP_OK);
    assert_int_equal(rp_dedup_run(inputs, 1, &o, &oa, NULL, &sa, &err),
                     RP_OK);
    assert_int_equal(rp_dedup_run_dist(d, dir, inputs, 1, &o, &ob, NULL, &sb,
                                       &err),
                     RP_OK);
    char *x = slurp(a), *y = slurp(b);
    assert_string_equal(x, y);
    assert_int_equal(sb.records_in, 3);
    assert_int_equal(sb.records_out, 1);
    free(x);
    free(y);
    /* standard input, a .rps output and no tmp_dir are refused */
    const char *stdin_in[] = {"-"};
    assert_int_equal(rp_dedup_run_dist(d, dir, stdin_in, 1, &o, &ob, NULL,
                                       &sb, &err),
                     RP_EINVAL);
    rp_dedup_outputs os = {b, NULL, NULL, NULL, a};
    assert_int_equal(rp_dedup_run_dist(d, dir, inputs, 1, &o, &os, NULL, &sb,
                                       &err),
                     RP_EINVAL);
    assert_int_equal(rp_dedup_run_dist(d, NULL, inputs, 1, &o, &ob, NULL, &sb,
                                       &err),
                     RP_EINVAL);
    rp_dist_close(d);
    unlink(in);
    unlink(a);
    unlink(b);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_process),
        cmocka_unit_test(run_of_one_rank),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(dir);
    return rc;
}
