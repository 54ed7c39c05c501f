/* test_compat.c - a program built against an older header keeps working:
 * the structs it passes are shorter, and before RP_FIELDS_VERSION 2 laid
 * out differently in the middle (rp_fields without title, embedded in the
 * job options). Each is declared here as reprint 0.1.0's headers declared
 * it (commit 791211b), allocated at exactly its size so AddressSanitizer
 * sees any read or write past it, and must give what the current layout
 * gives. */
#include "reprint/reprint.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* ---- the layouts of reprint 0.1.0 ---- */
typedef struct fields_v1 {
    const char *text, *id, *date, *source, *url, *file, *author;
} fields_v1;

typedef struct record_v1 {
    const char *text;
    size_t text_len;
    rp_span text_raw;
    const char *id, *source, *url, *file, *author, *title;
    uint8_t source_basis;
    rp_date date;
    int date_bad;
    unsigned fields_found;
} record_v1;

typedef struct dedup_options_v3 {
    unsigned version;
    rp_sign_options sign;
    rp_reader_options reader;
    fields_v1 fields;
    double threshold, para_threshold;
    unsigned level, keep, verify, threads;
    size_t max_bucket;
    unsigned skip_bad;
    const char *const *names;
    rp_progress_fn progress; /* version 2 */
    void *progress_ctx;
    const char *against;     /* version 3 */
    unsigned update;
    uint32_t window_days;
    uint32_t shard, shards;
} dedup_options_v3;

typedef struct trace_options_v3 {
    unsigned version;
    rp_sign_options sign;
    rp_reader_options reader;
    fields_v1 fields;
    uint32_t min_tokens, max_gap, max_df;
    unsigned threads, skip_bad;
    const char *const *names;
    uint32_t shingle;
    double link_jaccard, link_words;
    rp_progress_fn progress; /* version 3 */
    void *progress_ctx;
} trace_options_v3;

typedef struct trace_stats_v1 {
    unsigned version;
    uint64_t records, bad_records, candidate_pairs, aligned_pairs, passages,
        boilerplate, quotes, quote_clusters, common_shingles, links,
        ties_capped;
    double seconds;
    double stage_seconds[8];
    uint64_t files_in;
    uint64_t fields_found[6];
} trace_stats_v1;

/* the size of a version's struct: the members it has */
#define DEDUP_V1 offsetof(dedup_options_v3, progress)
#define DEDUP_V2 offsetof(dedup_options_v3, against)

static char dir[] = "/tmp/rp-test-compat.XXXXXX";
static char corpus[300];

/* two copies of one text, the later one first in the input; dates under
 * "when", which only a field named in the options finds */
static const char *const lines[] = {
    "{\"id\":\"late\",\"when\":\"2022-11-05\",\"title\":\"T1\",\"text\":"
    "\"The anti-Iran claims first emerged in July when the United States "
    "said Tehran had supplied drones to Russia for the war in Ukraine.\"}",
    "{\"id\":\"early\",\"when\":\"2022-10-28\",\"heading\":\"T2\",\"text\":"
    "\"The anti-Iran claims first emerged in July when the United States "
    "said Tehran had supplied drones to Russia for the war in Ukraine.\"}",
};

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(corpus, sizeof corpus, "%s/in.jsonl", dir);
    FILE *f = fopen(corpus, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < 2; i++)
        fprintf(f, "%s\n", lines[i]);
    fclose(f);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 1 << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* rp_parser_new as a 0.1.0 program calls it: its symbol, a 7-member
 * rp_fields (titles from the default names) */
static void parser_of_version_1(void **state)
{
    (void)state;
    fields_v1 *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->date = "when";
    rp_parser *p = NULL;
    assert_int_equal((rp_parser_new)(&p, (const rp_fields *)f), RP_OK);
    record_v1 *r = malloc(sizeof *r);
    assert_non_null(r);
    rp_unit u = {0};
    u.kind = RP_UNIT_JSON;
    u.data = lines[0];
    u.len = strlen(lines[0]);
    u.line = 1;
    rp_error err = {0};
    assert_int_equal(rp_parser_parse(p, (rp_record *)r, &u, "t", &err),
                     RP_OK);
    assert_string_equal(r->id, "late");
    assert_string_equal(r->title, "T1");
    char d[32];
    rp_date_format(d, sizeof d, &r->date);
    assert_string_equal(d, "2022-11-05");
    rp_parser_free(p);
    /* the current layout through the macro: the title too, by path */
    rp_fields g = {0};
    g.title = "/heading";
    assert_int_equal(rp_parser_new(&p, &g), RP_OK);
    rp_record rec;
    u.data = lines[1];
    u.len = strlen(lines[1]);
    assert_int_equal(rp_parser_parse(p, &rec, &u, "t", &err), RP_OK);
    assert_string_equal(rec.title, "T2");
    assert_true(rec.fields_found & RP_FIELD_TITLE);
    rp_parser_free(p);
    assert_int_equal(rp_parser_new_v(&p, &g, RP_FIELDS_VERSION + 1),
                     RP_EINVAL);
    free(r);
    free(f);
}

/* dedup with options of versions 1 to 3 (their layout, their size) keeps
 * what the current layout keeps: the field named finds the dates */
static void dedup_older_options(void **state)
{
    (void)state;
    char want_path[400], got_path[400];
    snprintf(want_path, sizeof want_path, "%s/want.jsonl", dir);
    rp_dedup_options cur = RP_DEDUP_OPTIONS_INIT;
    cur.fields.date = "when";
    cur.level = RP_LEVEL_DOC;
    const char *in[] = {corpus};
    rp_dedup_outputs outs = {want_path, NULL, NULL, NULL, NULL};
    rp_dedup_stats st = RP_DEDUP_STATS_INIT;
    rp_error err = {0};
    assert_int_equal(rp_dedup_run(in, 1, &cur, &outs, NULL, &st, &err),
                     RP_OK);
    assert_int_equal(st.docs_removed, 1);
    char *want = slurp(want_path);
    assert_non_null(strstr(want, "\"early\""));
    assert_null(strstr(want, "\"late\""));
    static const size_t size[4] = {0, DEDUP_V1, DEDUP_V2,
                                   sizeof(dedup_options_v3)};
    for (unsigned v = 1; v <= 3; v++) {
        dedup_options_v3 *o = calloc(1, size[v]);
        assert_non_null(o);
        /* the library's defaults, written in the caller's layout */
        o->version = v;
        assert_int_equal(rp_dedup_options_init((rp_dedup_options *)o, v),
                         RP_OK);
        assert_int_equal(o->version, v);
        assert_true(o->threshold == 0.8 && o->max_bucket == 64 &&
                    o->level == RP_LEVEL_BOTH && o->verify == 1);
        o->fields.date = "when";
        o->level = RP_LEVEL_DOC;
        snprintf(got_path, sizeof got_path, "%s/got%u.jsonl", dir, v);
        outs.records = got_path;
        rp_dedup_stats st2 = RP_DEDUP_STATS_INIT;
        assert_int_equal(rp_dedup_run(in, 1, (const rp_dedup_options *)o,
                                      &outs, NULL, &st2, &err),
                         RP_OK);
        char *got = slurp(got_path);
        assert_string_equal(got, want);
        free(got);
        free(o);
    }
    /* version 4: the current layout up to memory, at its exact size (ASan
       sees any read or write past it) */
    rp_dedup_options *o4 = calloc(1, offsetof(rp_dedup_options, memory));
    assert_non_null(o4);
    o4->version = 4;
    assert_int_equal(rp_dedup_options_init(o4, 4), RP_OK);
    assert_true(o4->version == 4 && o4->threshold == 0.8);
    o4->fields.date = "when";
    o4->level = RP_LEVEL_DOC;
    snprintf(got_path, sizeof got_path, "%s/got4.jsonl", dir);
    outs.records = got_path;
    /* and stats of version 3, at their exact size: filled no further */
    rp_dedup_stats *st3 = calloc(1, offsetof(rp_dedup_stats, verify_blocks));
    assert_non_null(st3);
    st3->version = 3;
    assert_int_equal(rp_dedup_run(in, 1, o4, &outs, NULL, st3, &err), RP_OK);
    assert_int_equal(st3->version, 3);
    assert_int_equal(st3->docs_removed, 1);
    free(st3);
    /* and of version 4, without exchanged_bytes */
    rp_dedup_stats *st4v =
        calloc(1, offsetof(rp_dedup_stats, exchanged_bytes));
    assert_non_null(st4v);
    st4v->version = 4;
    assert_int_equal(rp_dedup_run(in, 1, o4, &outs, NULL, st4v, &err), RP_OK);
    assert_int_equal(st4v->version, 4);
    assert_int_equal(st4v->docs_removed, 1);
    free(st4v);
    rp_dedup_stats st4 = RP_DEDUP_STATS_INIT;
    assert_int_equal(rp_dedup_run(in, 1, o4, &outs, NULL, &st4, &err), RP_OK);
    char *got = slurp(got_path);
    assert_string_equal(got, want);
    free(got);
    free(o4);
    free(want);
}

/* rp_index_options writes the index's parameters where a version 3
 * caller has them */
static void index_options_older(void **state)
{
    (void)state;
    char ix[400];
    snprintf(ix, sizeof ix, "%s/ix", dir);
    rp_dedup_options cur = RP_DEDUP_OPTIONS_INIT;
    cur.threshold = 0.6;
    cur.level = RP_LEVEL_DOC;
    rp_error err = {0};
    assert_int_equal(rp_index_create(ix, &cur, &err), RP_OK);
    dedup_options_v3 *o = calloc(1, sizeof *o);
    assert_non_null(o);
    o->version = 3;
    assert_int_equal(rp_dedup_options_init((rp_dedup_options *)o, 3),
                     RP_OK);
    o->fields.author = "who"; /* kept */
    assert_int_equal(rp_index_options(ix, (rp_dedup_options *)o, &err),
                     RP_OK);
    assert_true(o->threshold == 0.6);
    assert_int_equal(o->level, RP_LEVEL_DOC);
    assert_int_equal(o->version, 3);
    assert_string_equal(o->fields.author, "who");
    assert_int_equal(o->sign.num_perm, cur.sign.num_perm);
    free(o);
    /* a version this library does not know */
    rp_dedup_options bad = RP_DEDUP_OPTIONS_INIT;
    bad.version = RP_DEDUP_OPTIONS_VERSION + 1;
    assert_int_equal(rp_index_options(ix, &bad, &err), RP_EINVAL);
    assert_int_equal(rp_dedup_options_init(&bad, 0), RP_EINVAL);
}

/* trace with options of versions 2 and 3 and stats of version 1: the
 * same report, and stats filled no further than version 1's */
static void trace_older_options(void **state)
{
    (void)state;
    char want_path[400], got_path[400];
    snprintf(want_path, sizeof want_path, "%s/want.json", dir);
    rp_trace_options cur = RP_TRACE_OPTIONS_INIT;
    cur.fields.date = "when";
    const char *in[] = {corpus};
    rp_trace_outputs outs = {want_path, NULL, NULL};
    rp_trace_stats st = RP_TRACE_STATS_INIT;
    rp_error err = {0};
    assert_int_equal(rp_trace_run(in, 1, &cur, &outs, NULL, &st, &err),
                     RP_OK);
    assert_int_equal(st.records, 2);
    assert_int_equal(st.titles_found, 1);
    assert_int_equal(st.fields_found[2], 2); /* RP_FIELD_DATE */
    char *want = slurp(want_path);
    assert_non_null(strstr(want, "\"title\":\"T1\""));
    for (unsigned v = 2; v <= 3; v++) {
        size_t size = v == 2 ? offsetof(trace_options_v3, progress)
                             : sizeof(trace_options_v3);
        trace_options_v3 *o = calloc(1, size);
        assert_non_null(o);
        assert_int_equal(rp_trace_options_init((rp_trace_options *)o, v),
                         RP_OK);
        assert_int_equal(o->version, v);
        assert_true(o->min_tokens == 8 && o->shingle == 3 &&
                    o->link_words == 0.25);
        o->fields.date = "when";
        trace_stats_v1 *s = malloc(sizeof *s);
        assert_non_null(s);
        s->version = 1;
        snprintf(got_path, sizeof got_path, "%s/got%u.json", dir, v);
        outs.json = got_path;
        assert_int_equal(rp_trace_run(in, 1, (const rp_trace_options *)o,
                                      &outs, NULL, (rp_trace_stats *)s,
                                      &err),
                         RP_OK);
        assert_int_equal(s->version, 1);
        assert_int_equal(s->records, 2);
        assert_int_equal(s->fields_found[2], 2);
        char *got = slurp(got_path);
        assert_string_equal(got, want);
        free(got);
        free(s);
        free(o);
    }
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parser_of_version_1),
        cmocka_unit_test(dedup_older_options),
        cmocka_unit_test(index_options_older),
        cmocka_unit_test(trace_older_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
