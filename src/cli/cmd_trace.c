/* cmd_trace.c - `reprint trace`: shared passages and quotes, provenance. */
#include "cli.h"

#include <stdlib.h>
#include <unistd.h>
#include <string.h>

static const char help[] =
    "usage: reprint trace [options] INPUT... [--json F] [--md F] [--html F]\n"
    "\n"
    "Find passages and quotes shared across documents, and who had them\n"
    "first. Any two documents sharing a verbatim run of 8 words are\n"
    "compared; a passage is every span linked to it, in 2 or 100,000\n"
    "documents, and dates never change what is found. Linked document\n"
    "pairs get a graded score; reworded or translated text is linked by\n"
    "its content words in order. A passage's appearances are ordered by\n"
    "publication date; a copy edge links each later one to the version it\n"
    "matches best and says what its direction rests on: dates, text (the\n"
    "copy names the source's outlet; joins in one paragraph what the\n"
    "source keeps apart; quotes it on '>' lines; carries a stale \"on\n"
    "Friday\"), or both. Overlapping dates with no text evidence stay a\n"
    "tie. Quotes are clustered by utterance, other translations included\n"
    "(same speaker, shared content words, dates within a week). An outlet\n"
    "is the source field, else the URL's host, else the record's file\n"
    "name; text one outlet repeats at the head or tail of many of its\n"
    "documents is boilerplate, kept out of provenance.\n"
    "\n"
    "  --json FILE            the result as JSON (- = stdout)\n"
    "  --md FILE              a short summary in Markdown (- = stdout)\n"
    "  --html FILE            one self-contained page: passages ranked by\n"
    "                         spread, timelines, copy graphs, texts side by\n"
    "                         side, per-document and per-outlet views, search\n"
    "  --min-tokens N         shortest passage reported, words (default 8)\n"
    "  --shingle K            words per shingle (default 3)\n"
    "  --max-gap N            shingles a passage may skip over where the\n"
    "                         texts differ (default 12)\n"
    "  --link-jaccard J       link documents whose shingle sets reach this\n"
    "                         Jaccard (default 0.2); shared passages link\n"
    "                         when one text quotes the other ('>') or they\n"
    "                         make up half of one text or 20 words\n"
    "  --link-words J         ... or whose content words (rare words,\n"
    "                         stemmed) reach this Jaccard, mostly in the\n"
    "                         same order: reworded or translated text\n"
    "                         (default 0.25)\n"
    "  --max-df N             a key in more documents is common text: its\n"
    "                         documents are chained, not all paired\n"
    "                         (default 50; counted in the summary)\n"
    "  --threads N            worker threads (default: all cores); the\n"
    "                         output is the same for any N\n"
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
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = cores > 0 ? (unsigned)cores : 1;
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
        } else if (strcmp(a, "--link-jaccard") == 0 ||
                   strcmp(a, "--link-words") == 0) {
            char *end;
            double x = v ? strtod(v, &end) : -1;
            if (!v || *end || !(x >= 0 && x <= 1)) {
                fprintf(stderr, "reprint trace: %s needs a number from 0 to "
                                "1\n", a);
                free(inputs);
                return EXIT_USAGE;
            }
            if (a[7] == 'j')
                o.link_jaccard = x > 0 ? x : 1e-9;
            else
                o.link_words = x > 0 ? x : 1e-9;
            i++;
            continue;
        } else if (strcmp(a, "--min-tokens") == 0 ||
                   strcmp(a, "--max-df") == 0 ||
                   strcmp(a, "--shingle") == 0 ||
                   strcmp(a, "--max-gap") == 0 ||
                   strcmp(a, "--threads") == 0 ||
                   strcmp(a, "--max-record-bytes") == 0) {
            char *end;
            unsigned long long x = v ? strtoull(v, &end, 10) : 0;
            if (!v || *end || *v == '-' || x == 0 || x > (1ULL << 32) - 2) {
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
                "passages, %llu linked; %llu passages in 2+ documents (%llu "
                "boilerplate); %llu quotes, %llu quoted in 2+ documents; "
                "%llu common keys chained; %.2f s\n",
                (unsigned long long)st.records,
                (unsigned long long)st.candidate_pairs,
                (unsigned long long)st.aligned_pairs,
                (unsigned long long)st.links,
                (unsigned long long)st.passages,
                (unsigned long long)st.boilerplate,
                (unsigned long long)st.quotes,
                (unsigned long long)st.quote_clusters,
                (unsigned long long)st.common_shingles, st.seconds);
    if (!quiet && st.ties_capped)
        fprintf(stderr,
                "reprint: %llu passages have more than 64 members tied at "
                "the earliest date: their origin is left open without "
                "weighing the text\n",
                (unsigned long long)st.ties_capped);
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
