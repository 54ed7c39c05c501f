/* test_date.c - date parsing keeps precision and zones. */
#include "reprint/date.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

typedef struct dcase {
    const char *in;
    int ok;
    const char *out; /* rp_date_format at the parsed precision */
    int precision;
} dcase;

static const dcase cases[] = {
    {"2022-11-05", 1, "2022-11-05", RP_DATE_DAY},
    {"2022-11", 1, "2022-11", RP_DATE_MONTH},
    {"2022", 1, "2022", RP_DATE_YEAR},
    {"2022-11-01T19:02:21", 1, "2022-11-01T19:02:21", RP_DATE_SECOND},
    {"2022-11-01 19:02", 1, "2022-11-01T19:02", RP_DATE_MINUTE},
    {"2022-11-05T10:30:00Z", 1, "2022-11-05T10:30:00Z", RP_DATE_SECOND},
    {"2022-11-05T10:30:00+03:30", 1, "2022-11-05T07:00:00Z", RP_DATE_SECOND},
    {"2022-11-05T01:00:00-0500", 1, "2022-11-05T06:00:00Z", RP_DATE_SECOND},
    {"1987-02-26T15:01:01.79", 1, "1987-02-26T15:01:01.790", RP_DATE_SUBSECOND},
    {"Sat, 05 Nov 2022 10:00:00 +0330", 1, "2022-11-05T06:30:00Z",
     RP_DATE_SECOND},
    {"5 Nov 2022 10:00 GMT", 1, "2022-11-05T10:00Z", RP_DATE_MINUTE},
    {"Tue, 1 Nov 2022 08:00:00 EST", 1, "2022-11-01T13:00:00Z",
     RP_DATE_SECOND},
    {"1667642400", 1, "2022-11-05T10:00:00Z", RP_DATE_SECOND},
    {"1667642400123", 1, "2022-11-05T10:00:00.123Z", RP_DATE_SUBSECOND},
    {"  2022-11-05  ", 1, "2022-11-05", RP_DATE_DAY},
    {"2022-02-30", 0, "", 0},
    {"2022-13-01", 0, "", 0},
    {"yesterday", 0, "", 0},
    {"", 0, "", 0},
    {"2022-11-05T25:00", 0, "", 0},
    {"2022-11-05Tgarbage", 0, "", 0},
};

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rp_date d;
        int rc = rp_date_parse(&d, cases[i].in, strlen(cases[i].in));
        char buf[32];
        rp_date_format(buf, sizeof buf, &d);
        if (cases[i].ok) {
            if (rc != RP_OK || strcmp(buf, cases[i].out) != 0 ||
                d.precision != cases[i].precision)
                fail_msg("'%s' -> rc %d '%s' precision %d, want '%s' %d",
                         cases[i].in, rc, buf, d.precision, cases[i].out,
                         cases[i].precision);
        } else {
            if (rc != RP_EFORMAT || d.precision != RP_DATE_UNKNOWN)
                fail_msg("'%s' should not parse", cases[i].in);
        }
    }
}

static void test_day_is_not_midnight(void **state)
{
    (void)state;
    rp_date day, noon, next;
    assert_int_equal(rp_date_parse(&day, "2022-11-05", 10), RP_OK);
    assert_int_equal(rp_date_parse(&noon, "2022-11-05T12:00:00Z", 20), RP_OK);
    assert_int_equal(rp_date_parse(&next, "2022-11-06", 10), RP_OK);
    assert_int_equal(rp_date_width(&day), 86400);
    assert_int_equal(rp_date_width(&noon), 1);
    /* noon lies inside the day's interval */
    assert_true(noon.start >= day.start &&
                noon.start < day.start + rp_date_width(&day));
    assert_true(rp_date_cmp(&day, &next) < 0);
    assert_true(rp_date_cmp(&noon, &next) < 0);
}

static void test_unknown_sorts_last(void **state)
{
    (void)state;
    rp_date known, unknown;
    rp_date_parse(&known, "1987-02-26", 10);
    rp_date_parse(&unknown, "soon", 4);
    assert_true(rp_date_cmp(&known, &unknown) < 0);
    assert_true(rp_date_cmp(&unknown, &known) > 0);
    assert_int_equal(rp_date_cmp(&unknown, &unknown), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_day_is_not_midnight),
        cmocka_unit_test(test_unknown_sorts_last),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
