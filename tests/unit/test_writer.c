/* test_writer.c - outputs as one set (issue 13 item 7): nothing renamed
 * unless all are complete, renames undone when one fails, the umask. */
#include "reprint/input.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

static char dir[] = "/tmp/rp-test-writer.XXXXXX";

static const char *at(const char *name)
{
    static char p[4][300];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(at(name), "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void expect(const char *name, const char *text)
{
    char buf[64] = "";
    FILE *f = fopen(at(name), "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_string_equal(buf, text);
}

/* entries in the folder: no temporary or backup left */
static int count_files(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "exit $(ls -A '%s' | wc -l)", dir);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* a rename in the middle of the set fails: the first output, already
 * renamed, gets its old contents back; nothing else is left */
static void rename_failure_rolls_back(void **state)
{
    (void)state;
    put("a", "old a");
    rp_writer *w[3] = {NULL, NULL, NULL};
    assert_int_equal(rp_writer_new(&w[0], at("a"), NULL), RP_OK);
    assert_int_equal(rp_writer_new(&w[1], at("new"), NULL), RP_OK);
    assert_int_equal(rp_writer_new(&w[2], at("b"), NULL), RP_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(rp_writer_write(w[i], "new", 3), RP_OK);
    /* b becomes a folder that is not empty: renaming over it fails */
    assert_int_equal(mkdir(at("b"), 0755), 0);
    put("b/keep", "x");
    rp_error e;
    memset(&e, 0, sizeof e);
    assert_int_equal(rp_writer_commit_set(w, 3, RP_OK, &e), RP_EIO);
    assert_non_null(strstr(e.message, "cannot rename"));
    expect("a", "old a");                /* put back */
    assert_int_not_equal(access(at("new"), F_OK), 0); /* did not exist */
    assert_int_equal(count_files(), 2);  /* a and b/: no temporary */
    unlink(at("b/keep"));
    rmdir(at("b"));
    unlink(at("a"));
}

/* rc not RP_OK: every temporary removed, no output touched */
static void failed_run_writes_nothing(void **state)
{
    (void)state;
    put("a", "old a");
    rp_writer *w[2] = {NULL, NULL};
    assert_int_equal(rp_writer_new(&w[0], at("a"), NULL), RP_OK);
    assert_int_equal(rp_writer_new(&w[1], at("c"), NULL), RP_OK);
    rp_writer_write(w[0], "new", 3);
    assert_int_equal(rp_writer_commit_set(w, 2, RP_ENOMEM, NULL), RP_ENOMEM);
    expect("a", "old a");
    assert_int_not_equal(access(at("c"), F_OK), 0);
    assert_int_equal(count_files(), 1);
    unlink(at("a"));
}

static void umask_respected(void **state)
{
    (void)state;
    mode_t old = umask(027);
    rp_writer *w = NULL;
    assert_int_equal(rp_writer_new(&w, at("m"), NULL), RP_OK);
    assert_int_equal(rp_writer_commit(w, NULL), RP_OK);
    umask(old);
    struct stat st;
    assert_int_equal(stat(at("m"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    unlink(at("m"));
}

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rename_failure_rolls_back),
        cmocka_unit_test(failed_run_writes_nothing),
        cmocka_unit_test(umask_respected),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
