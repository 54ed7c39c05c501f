/* cmd_trace.c - `reprint trace`: shared passages and quotes, provenance. */
#include "cli.h"

#include <stdlib.h>
#include <unistd.h>
#include <string.h>

static void on_bad(void *ctx, const rp_error *e)
{
    cli_progress_clear(ctx);
    cli_print_skipped(e);
}

int cmd_trace(int argc, char **argv)
{
    rp_trace_options o = RP_TRACE_OPTIONS_INIT;
    rp_trace_outputs outs = {NULL, NULL, NULL};
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    size_t n = 0;
    int quiet = 0;
    if (!inputs)
        return EXIT_RUNTIME;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = cores > 0 ? (unsigned)cores : 1;
    cli_args it;
    cli_args_init(&it, "trace", argc, argv, cli_opts_trace);
    const char *a, *v;
    int kind;
    while ((kind = cli_args_next(&it, &a, &v)) >= 0) {
        const char **field = NULL;
        if (kind == 0) {
            inputs[n++] = v;
            continue;
        } else if (strcmp(a, "--help") == 0) {
            fputs(cli_help_trace, stdout);
            free(inputs);
            return EXIT_OK;
        } else if (strcmp(a, "--json") == 0) {
            field = &outs.json;
        } else if (strcmp(a, "--md") == 0) {
            field = &outs.md;
        } else if (strcmp(a, "--html") == 0) {
            field = &outs.html;
        } else if (strcmp(a, "--text-field") == 0) {
            field = &o.fields.text;
        } else if (strcmp(a, "--id-field") == 0) {
            field = &o.fields.id;
        } else if (strcmp(a, "--date-field") == 0) {
            field = &o.fields.date;
        } else if (strcmp(a, "--source-field") == 0) {
            field = &o.fields.source;
        } else if (strcmp(a, "--url-field") == 0) {
            field = &o.fields.url;
        } else if (strcmp(a, "--file-field") == 0) {
            field = &o.fields.file;
        } else if (strcmp(a, "--author-field") == 0) {
            field = &o.fields.author;
        } else if (strcmp(a, "--title-field") == 0) {
            field = &o.fields.title;
        } else if (strcmp(a, "--link-jaccard") == 0 ||
                   strcmp(a, "--link-words") == 0) {
            char *end;
            double x = strtod(v, &end);
            if (!*v || *end || !(x >= 0 && x <= 1)) {
                fprintf(stderr, "reprint trace: %s needs a number from 0 to "
                                "1\n", a);
                free(inputs);
                return EXIT_USAGE;
            }
            if (a[7] == 'j')
                o.link_jaccard = x > 0 ? x : 1e-9;
            else
                o.link_words = x > 0 ? x : 1e-9;
            continue;
        } else if (strcmp(a, "--min-tokens") == 0 ||
                   strcmp(a, "--max-df") == 0 ||
                   strcmp(a, "--shingle") == 0 ||
                   strcmp(a, "--max-gap") == 0 ||
                   strcmp(a, "--threads") == 0 ||
                   strcmp(a, "--max-record-bytes") == 0) {
            char *end;
            unsigned long long x = strtoull(v, &end, 10);
            if (!*v || *end || *v == '-' || x == 0 || x > (1ULL << 32) - 2) {
                fprintf(stderr, "reprint trace: %s needs a whole number\n", a);
                free(inputs);
                return EXIT_USAGE;
            }
            if (strcmp(a, "--shingle") == 0) {
                if (x > 16) {
                    fprintf(stderr, "reprint trace: --shingle is 1 to 16\n");
                    free(inputs);
                    return EXIT_USAGE;
                }
                o.shingle = (uint32_t)x;
            } else if (strcmp(a, "--max-gap") == 0)
                o.max_gap = (uint32_t)x;
            else if (strcmp(a, "--threads") == 0)
                o.threads = x > 1024 ? 1024 : (unsigned)x;
            else if (a[2] == 'm' && a[6] == 't')
                o.min_tokens = (uint32_t)x;
            else if (a[6] == 'd')
                o.max_df = (uint32_t)x;
            else
                o.reader.max_record_len = (size_t)x;
            continue;
        } else if (strcmp(a, "--follow-symlinks") == 0) {
            o.reader.follow_symlinks = 1;
            continue;
        } else if (strcmp(a, "--skip-bad") == 0) {
            o.skip_bad = 1;
            continue;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
            continue;
        } else {
            /* in src/cli/man/trace.txt but not handled here */
            fprintf(stderr, "reprint trace: option %s is not implemented\n",
                    a);
            free(inputs);
            return EXIT_USAGE;
        }
        *field = v;
    }
    if (kind == -2) {
        free(inputs);
        return EXIT_USAGE;
    }
    if (n == 0 || (!outs.json && !outs.md && !outs.html)) {
        fprintf(stderr, "reprint trace: give INPUT... and --json, --md or "
                        "--html (see --help)\n");
        free(inputs);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(inputs[i], "-") == 0) {
            fprintf(stderr, "reprint trace: standard input is not supported "
                            "yet; write it to a file\n");
            free(inputs);
            return EXIT_USAGE;
        }
    cli_output couts[] = {
        {"--json", outs.json}, {"--md", outs.md}, {"--html", outs.html}};
    if (cli_check_paths("trace", inputs, n, couts, 3)) {
        free(inputs);
        return EXIT_USAGE;
    }
    if (cli_check_fields("trace", &o.fields)) {
        free(inputs);
        return EXIT_USAGE;
    }
    o.reader.skipped = cli_on_skipped;
    cli_progress prog;
    cli_progress_init(&prog, !quiet && isatty(2));
    o.progress = cli_progress_fn;
    o.progress_ctx = &prog;
    cli_cleanup_install();
    cli_cleanup_output(outs.json);
    cli_cleanup_output(outs.md);
    cli_cleanup_output(outs.html);
    rp_trace_stats st = RP_TRACE_STATS_INIT;
    rp_error err = {0};
    /* --skip-bad lists each record skipped, as dedup does */
    rp_dedup_callbacks cb = {&prog, on_bad, NULL};
    int rc = rp_trace_run(inputs, n, &o, &outs, &cb, &st, &err);
    cli_progress_clear(&prog);
    if (rc != RP_OK) {
        free(inputs);
        cli_print_error(rc, &err);
        fprintf(stderr, "reprint: no output written\n");
        return EXIT_RUNTIME;
    }
    if (!quiet)
        cli_files_read(inputs, n, st.files_in);
    free(inputs);
    const uint64_t more[2] = {st.authors_found, st.titles_found};
    cli_field_warnings(&o.fields, st.records, st.fields_found, more);
    if (st.bad_records)
        fprintf(stderr, "reprint: %llu bad record%s skipped\n",
                (unsigned long long)st.bad_records, cli_s(st.bad_records));
    if (!quiet)
        fprintf(stderr,
                "reprint: %llu record%s, %llu candidate pair%s, %llu sharing "
                "passages, %llu linked; %llu passage%s in 2+ documents (%llu "
                "boilerplate); %llu quote%s, %llu quoted in 2+ documents; "
                "%llu common key%s chained; %.2f s\n",
                (unsigned long long)st.records, cli_s(st.records),
                (unsigned long long)st.candidate_pairs,
                cli_s(st.candidate_pairs),
                (unsigned long long)st.aligned_pairs,
                (unsigned long long)st.links,
                (unsigned long long)st.passages, cli_s(st.passages),
                (unsigned long long)st.boilerplate,
                (unsigned long long)st.quotes, cli_s(st.quotes),
                (unsigned long long)st.quote_clusters,
                (unsigned long long)st.common_shingles,
                cli_s(st.common_shingles), st.seconds);
    if (!quiet && st.ties_capped)
        fprintf(stderr,
                "reprint: %llu passage%s more than 64 members tied at "
                "the earliest date: the origin is left open without "
                "weighing the text\n",
                (unsigned long long)st.ties_capped,
                st.ties_capped == 1 ? " has" : "s have");
    if (getenv("REPRINT_STAGES"))
        fprintf(stderr,
                "reprint: stages (s): read %.2f, words %.2f, candidates "
                "%.2f, compare %.2f, passages %.2f, evidence %.2f, quotes "
                "%.2f, reports %.2f\n",
                st.stage_seconds[0], st.stage_seconds[1], st.stage_seconds[2],
                st.stage_seconds[3], st.stage_seconds[4], st.stage_seconds[5],
                st.stage_seconds[6], st.stage_seconds[7]);
    return EXIT_OK;
}
