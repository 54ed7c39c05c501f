/* test_quote.c - quotation marks, multi-paragraph quotes, speakers. */
#include "reprint/sys/quote.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

typedef struct found {
    rp_quote q[16];
    size_t n;
    const char *text;
} found;

static void find(found *f, const char *text)
{
    rp_quote *q;
    f->text = text;
    assert_int_equal(rp_quotes_find(&q, &f->n, text, strlen(text), 6), RP_OK);
    assert_true(f->n <= 16);
    if (f->n)
        memcpy(f->q, q, f->n * sizeof *q);
    free(q);
}

/* quote i's words and speaker are exactly these */
static void check(const found *f, size_t i, const char *words,
                  const char *speaker, int basis)
{
    assert_true(i < f->n);
    const rp_quote *q = &f->q[i];
    assert_int_equal(q->end - q->start, strlen(words));
    assert_memory_equal(f->text + q->start, words, strlen(words));
    assert_int_equal(q->basis, basis);
    assert_int_equal(q->speaker_end - q->speaker_start, strlen(speaker));
    if (*speaker)
        assert_memory_equal(f->text + q->speaker_start, speaker,
                            strlen(speaker));
}

static void test_styles(void **state)
{
    (void)state;
    found f;
    find(&f, "\xE2\x80\x9CWe will not give up the fight at all,\xE2\x80\x9D "
             "Smith said.");
    assert_int_equal(f.n, 1);
    check(&f, 0, "We will not give up the fight at all,", "Smith",
          RP_SPEAKER_NAMED);

    find(&f, "Sie sagte: \xE2\x80\x9EWir werden das schaffen und weiter "
             "machen.\xE2\x80\x9C Dann ging sie.");
    assert_int_equal(f.n, 1);
    check(&f, 0, "Wir werden das schaffen und weiter machen.", "",
          RP_SPEAKER_NONE);

    find(&f, "\xC2\xAB Nous ne c\xC3\xA9\x64\x65rons jamais devant ces "
             "menaces \xC2\xBB, a-t-il dit.");
    assert_int_equal(f.n, 1);
    check(&f, 0, "Nous ne c\xC3\xA9\x64\x65rons jamais devant ces menaces",
          "", RP_SPEAKER_NONE);

    /* ASCII quotes, inverted attribution "told NAME" */
    find(&f, "\"We provided a small number of drones,\" told Hossein "
             "Amir-Abdollahian to the reporters.");
    assert_int_equal(f.n, 1);
    check(&f, 0, "We provided a small number of drones,",
          "Hossein Amir-Abdollahian", RP_SPEAKER_NAMED);
}

static void test_apostrophe_is_not_a_closer(void **state)
{
    (void)state;
    found f;
    find(&f, "Rita Moss said it plainly. \xE2\x80\x98Iran\xE2\x80\x99s position has "
             "never changed on this,\xE2\x80\x99 she said.");
    assert_int_equal(f.n, 1);
    check(&f, 0, "Iran\xE2\x80\x99s position has never changed on this,",
          "Rita Moss", RP_SPEAKER_RESOLVED);
}

static void test_short_quotes_are_skipped(void **state)
{
    (void)state;
    found f;
    find(&f, "Washington had received \xE2\x80\x9Cinformation\xE2\x80\x9D "
             "that was \xE2\x80\x9C" "at the last minute.\xE2\x80\x9D");
    assert_int_equal(f.n, 0);
}

static void test_multi_paragraph_and_unclosed(void **state)
{
    (void)state;
    found f;
    find(&f, "Jo Lin said:\n\n\xE2\x80\x9C" "First paragraph of the long "
             "quote goes here\n\n\xE2\x80\x9C" "Second paragraph of the same "
             "quote,\xE2\x80\x9D she added.");
    assert_int_equal(f.n, 1);
    assert_int_equal(f.q[0].paragraphs, 2);
    assert_int_equal(f.q[0].closed, 1);
    assert_int_equal(f.q[0].basis, RP_SPEAKER_RESOLVED);
    assert_string_equal(f.text + f.q[0].end, "\xE2\x80\x9D she added.");

    find(&f, "\xE2\x80\x9CThis one never closes and runs to its paragraph "
             "end\nNext paragraph is plain narration.");
    assert_int_equal(f.n, 1);
    assert_int_equal(f.q[0].closed, 0);
    assert_int_equal(f.text[f.q[0].end], '\n');
}

static void test_hard_wrapped_wire_copy(void **state)
{
    (void)state;
    found f;
    /* indented paragraphs, wrapped lines: a line break inside a paragraph
       neither ends a quote nor cuts off its attribution */
    find(&f, "SENATORS INTRODUCE BILL\n"
             "    \"Our emphasis is two-fold: decontrol items\n"
             "where such actions are safe,\"\nCranston said.\n"
             "    \"Our reforms should reduce licensing requirements by\n"
             "70 pct,\" he told reporters.\n");
    assert_int_equal(f.n, 2);
    check(&f, 0, "Our emphasis is two-fold: decontrol items\nwhere such "
                 "actions are safe,", "Cranston", RP_SPEAKER_NAMED);
    check(&f, 1, "Our reforms should reduce licensing requirements by\n70 "
                 "pct,", "Cranston", RP_SPEAKER_RESOLVED);
}

static void test_speakers(void **state)
{
    (void)state;
    found f;
    /* a pronoun resolves to the last named speaker ... */
    find(&f, "Jane Doe said the talks had failed. \xE2\x80\x9CWe tried "
             "everything we could to make it work,\xE2\x80\x9D she added.");
    check(&f, 0, "We tried everything we could to make it work,",
          "Jane Doe", RP_SPEAKER_RESOLVED);
    /* ... and so does a person's role, before the quote */
    find(&f, "Amir-Abdollahian noted the risk. Touching on Palestine, the "
             "Iranian FM stressed that \xE2\x80\x9Cthe most important "
             "violator of law is the regime.\xE2\x80\x9D");
    check(&f, 0, "the most important violator of law is the regime.",
          "Amir-Abdollahian", RP_SPEAKER_RESOLVED);
    /* a subject after "and" or a preposition is no speaker */
    find(&f, "Both Iran and Russia have repeatedly denied it. On Friday "
             "officials met. \xE2\x80\x9CWe never sent any drones to anyone "
             "at all,\xE2\x80\x9D he said.");
    check(&f, 0, "We never sent any drones to anyone at all,", "",
          RP_SPEAKER_NONE);
    /* a description that is not a person stays a description */
    find(&f, "\xE2\x80\x9CThe republic does not export military equipment "
             "to anyone,\xE2\x80\x9D the office said in its statement.");
    check(&f, 0, "The republic does not export military equipment to anyone,",
          "the office", RP_SPEAKER_ROLE);
    /* a quote right after another takes its speaker */
    find(&f, "\xE2\x80\x9C" "First quote sentence is long enough here,"
             "\xE2\x80\x9D Kan\xE2\x80\x99" "ani said. \xE2\x80\x9CSecond "
             "quote is also long enough to count.\xE2\x80\x9D");
    assert_int_equal(f.n, 2);
    check(&f, 0, "First quote sentence is long enough here,",
          "Kan\xE2\x80\x99" "ani", RP_SPEAKER_NAMED);
    check(&f, 1, "Second quote is also long enough to count.",
          "Kan\xE2\x80\x99" "ani", RP_SPEAKER_RESOLVED);
    /* names inside a quote are not speakers of the next one */
    find(&f, "\xE2\x80\x9CGermany told Ukraine that we want to talk,"
             "\xE2\x80\x9D Ali Reza explained.\n\nOther news.\n\n"
             "\xE2\x80\x9CThe reason was simple and clear to everyone,"
             "\xE2\x80\x9D he added.");
    check(&f, 1, "The reason was simple and clear to everyone,", "Ali Reza",
          RP_SPEAKER_RESOLVED);
}

static void test_speaker_key(void **state)
{
    (void)state;
    char k[64];
    const char *a = "Hossein Amir-Abdollahian", *b = "Amirabdollahian",
               *c = "Kan\xE2\x80\x99" "ani", *d = "M\xC3\xBCller";
    assert_int_equal(rp_speaker_key(k, sizeof k, a, strlen(a)), 15);
    assert_string_equal(k, "amirabdollahian");
    rp_speaker_key(k, sizeof k, b, strlen(b));
    assert_string_equal(k, "amirabdollahian");
    rp_speaker_key(k, sizeof k, c, strlen(c));
    assert_string_equal(k, "kanani");
    rp_speaker_key(k, sizeof k, d, strlen(d));
    assert_string_equal(k, "m\xC3\xBCller");
    assert_int_equal(rp_speaker_key(k, sizeof k, "", 0), 0);
    assert_int_equal(rp_speaker_key(k, 4, a, strlen(a)), 3);
}

static void test_hostile_bytes(void **state)
{
    (void)state;
    /* a cut-off mark at the end, invalid UTF-8, marks only */
    const char *t[] = {"\xE2\x80", "\"", "\xE2\x80\x9C\xE2\x80\x9C\xE2\x80",
                       "\xFF\xFE\"a b c d e f g", "\xC2"};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        rp_quote *q;
        size_t n;
        assert_int_equal(rp_quotes_find(&q, &n, t[i], strlen(t[i]), 6), RP_OK);
        for (size_t k = 0; k < n; k++)
            assert_true(q[k].start <= q[k].end && q[k].end <= strlen(t[i]));
        free(q);
    }
}

/* issue 13 item 4: whitespace-only lines made unwrap() quadratic (100k
 * blank lines took 15.7 s, quote-hang-1: hours); linear now: 400k lines
 * in well under the 5 s CPU allowed here even under ASan */
static void test_blank_lines_linear(void **state)
{
    (void)state;
    size_t n = 400000;
    char *t = malloc(2 * n + 40);
    assert_non_null(t);
    for (size_t i = 0; i < n; i++)
        memcpy(t + 2 * i, " \n", 2);
    memcpy(t + 2 * n, "\"a quoted line of words,\" he said.", 34);
    clock_t c0 = clock();
    rp_quote *q = NULL;
    size_t count = 0;
    assert_int_equal(rp_quotes_find(&q, &count, t, 2 * n + 34, 1), RP_OK);
    double sec = (double)(clock() - c0) / CLOCKS_PER_SEC;
    assert_int_equal(count, 1);
    assert_true(sec < 5.0);
    free(q);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_styles),
        cmocka_unit_test(test_apostrophe_is_not_a_closer),
        cmocka_unit_test(test_short_quotes_are_skipped),
        cmocka_unit_test(test_multi_paragraph_and_unclosed),
        cmocka_unit_test(test_hard_wrapped_wire_copy),
        cmocka_unit_test(test_speakers),
        cmocka_unit_test(test_speaker_key),
        cmocka_unit_test(test_hostile_bytes),
        cmocka_unit_test(test_blank_lines_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
