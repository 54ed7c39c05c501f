/* cmd_trace.c - `reprint trace`: shared passages and quotes, provenance. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: reprint trace [options] INPUT... [--json F] [--md F] [--html F]\n"
    "\n"
    "Find passages and quotes shared across documents, and who had them\n"
    "first. Each passage's appearances are ordered by publication date; a\n"
    "copy edge links each later one to the version it matches best, and\n"
    "says what its direction rests on: dates, text (the copy names the\n"
    "source's outlet; joins in one paragraph what the source keeps apart;\n"
    "carries a stale \"on Friday\"), or both. Overlapping dates with no\n"
    "text evidence stay a tie. Quotes are clustered by utterance, other\n"
    "translations included (same speaker, shared content words, dates\n"
    "within a week). An outlet is the source field, else the URL's host,\n"
    "else the record's file name; text one outlet repeats in many of its\n"
    "documents is marked boilerplate and kept out of provenance.\n"
    "\n"
    "  --json FILE            the result as JSON (- = stdout)\n"
    "  --md FILE              a short summary in Markdown (- = stdout)\n"
    "  --html FILE            one self-contained page: timelines, copy\n"
    "                         graphs, texts side by side\n"
    "  --min-tokens N         shortest passage reported (default 12)\n"
    "  --max-df N             a sampled shingle in more documents pairs none\n"
    "                         (common phrases, boilerplate; default 50)\n"
    "  --file-field NAME      the record's own file name (default: file,\n"
    "                         filename, file_name, path)\n"
    "  --text-field, --id-field, --date-field, --source-field, --url-field,\n"
    "  --skip-bad, --max-record-bytes, --follow-symlinks, -q   as for dedup\n"
    "\n"
    "The JSON schema is in README.md (\"reprint trace --json\").\n";

static void on_bad(void *ctx, const rp_error *e)
{
    (void)ctx;
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
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **field = NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(help, stdout);
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
        } else if (strcmp(a, "--min-tokens") == 0 ||
                   strcmp(a, "--max-df") == 0 ||
                   strcmp(a, "--max-record-bytes") == 0) {
            char *end;
            unsigned long long x = v ? strtoull(v, &end, 10) : 0;
            if (!v || *end || *v == '-' || x == 0 || x > (1ULL << 32) - 2) {
                fprintf(stderr, "reprint trace: %s needs a whole number\n", a);
                free(inputs);
                return EXIT_USAGE;
            }
            if (a[2] == 'm' && a[6] == 't')
                o.min_tokens = (uint32_t)x;
            else if (a[6] == 'd')
                o.max_df = (uint32_t)x;
            else
                o.reader.max_record_len = (size_t)x;
            i++;
            continue;
        } else if (strcmp(a, "--follow-symlinks") == 0) {
            o.reader.follow_symlinks = 1;
            continue;
        } else if (strcmp(a, "--skip-bad") == 0) {
            o.skip_bad = 1;
            continue;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
            continue;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "reprint trace: unknown option '%s' (see --help)\n",
                    a);
            free(inputs);
            return EXIT_USAGE;
        } else {
            inputs[n++] = a;
            continue;
        }
        if (!v) {
            fprintf(stderr, "reprint trace: %s needs a value\n", a);
            free(inputs);
            return EXIT_USAGE;
        }
        *field = v;
        i++;
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
    o.reader.skipped = cli_on_skipped;
    cli_cleanup_install();
    cli_cleanup_output(outs.json);
    cli_cleanup_output(outs.md);
    cli_cleanup_output(outs.html);
    rp_trace_stats st;
    rp_error err = {0};
    /* --skip-bad lists each record skipped, as dedup does */
    rp_dedup_callbacks cb = {NULL, on_bad, NULL};
    int rc = rp_trace_run(inputs, n, &o, &outs, &cb, &st, &err);
    free(inputs);
    if (rc != RP_OK) {
        cli_print_error(rc, &err);
        fprintf(stderr, "reprint: no output written\n");
        return EXIT_RUNTIME;
    }
    if (st.bad_records)
        fprintf(stderr, "reprint: %llu bad records skipped\n",
                (unsigned long long)st.bad_records);
    if (!quiet)
        fprintf(stderr,
                "reprint: %llu records, %llu candidate pairs, %llu sharing "
                "passages, %llu passages in 2+ documents (%llu boilerplate); "
                "%llu quotes, %llu quoted in 2+ documents; %llu common "
                "shingles ignored; %.2f s\n",
                (unsigned long long)st.records,
                (unsigned long long)st.candidate_pairs,
                (unsigned long long)st.aligned_pairs,
                (unsigned long long)st.passages,
                (unsigned long long)st.boilerplate,
                (unsigned long long)st.quotes,
                (unsigned long long)st.quote_clusters,
                (unsigned long long)st.common_shingles, st.seconds);
    return EXIT_OK;
}
