/* cmd_index.c - `reprint index create|add|info|compact`. */
#include "cli.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

static int usage(const char *msg)
{
    fprintf(stderr, "reprint index: %s (see reprint index --help)\n", msg);
    return EXIT_USAGE;
}

static int failed(int rc, const rp_error *err)
{
    cli_print_error(rc, err);
    return EXIT_RUNTIME;
}

static void print_day(int64_t day)
{
    if (day == INT64_MIN) {
        printf("none\n");
        return;
    }
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    char buf[32];
    if (gmtime_r(&t, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d", &tm))
        printf("%s\n", buf);
    else
        printf("day %lld\n", (long long)day);
}

static int info(const char *path, int check)
{
    rp_index_info in = RP_INDEX_INFO_INIT;
    rp_error err = {0};
    int rc = rp_index_info_read(path, check, &in, &err);
    if (rc != RP_OK)
        return failed(rc, &err);
    printf("index:          %s\n", path);
    printf("generation:     %llu\n", (unsigned long long)in.generation);
    printf("documents:      %llu\n", (unsigned long long)in.docs);
    printf("paragraphs:     %llu\n", (unsigned long long)in.paras);
    printf("newest date:    ");
    print_day(in.newest);
    if (in.window_days)
        printf("window:         %u days\n", in.window_days);
    else
        printf("window:         none\n");
    printf("on disk:        %.1f MB\n", in.disk_bytes / 1e6);
    printf("level:          %s\n", in.level == RP_LEVEL_BOTH ? "both"
                                   : in.level == RP_LEVEL_DOC ? "doc"
                                                              : "para");
    printf("threshold:      %g (paragraphs %g)%s\n", in.threshold,
           in.para_threshold > 0 ? in.para_threshold : in.threshold,
           in.verify ? "" : ", --no-verify");
    printf("fingerprints:   %s %u, %u lanes, seed %llu, paragraphs of %u "
           "tokens or more\n",
           in.sign.char_mode ? "--char-ngrams" : "--shingle", in.sign.shingle,
           in.sign.num_perm, (unsigned long long)in.sign.seed,
           in.sign.min_para_tokens);
    printf("LSH:            documents %u x %u, paragraphs %u x %u\n",
           in.doc_bands, in.doc_rows, in.para_bands, in.para_rows);
    if (check)
        printf("check:          ok, %llu entries read\n",
               (unsigned long long)in.checked);
    return EXIT_OK;
}

int cmd_index(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(cli_help_index, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[1];
    int create = strcmp(sub, "create") == 0, add = strcmp(sub, "add") == 0;
    int inf = strcmp(sub, "info") == 0, compact = strcmp(sub, "compact") == 0;
    if (!create && !add && !inf && !compact)
        return usage("the first word is create, add, info or compact");
    if (argc < 3 || argv[2][0] == '-') {
        if (argc >= 3 && (strcmp(argv[2], "--help") == 0 ||
                          strcmp(argv[2], "-h") == 0)) {
            fputs(cli_help_index, stdout);
            return EXIT_OK;
        }
        return usage("INDEX comes after the first word");
    }
    const char *path = argv[2];
    /* the rest parses as dedup's options; argv[2] stands in for the
     * command name cli_parse skips */
    cli_job job;
    int p = cli_parse(&job, "index", argc - 2, argv + 2, CLI_WANT_INDEX);
    if (p != 0) {
        cli_job_dispose(&job);
        return p > 0 ? EXIT_OK : EXIT_USAGE;
    }
    int rc = EXIT_OK;
    rp_error err = {0};
    if ((create || inf) && job.ninputs) {
        rc = usage("create and info take no INPUT");
    } else if (compact && job.ninputs) {
        rc = usage("compact takes no INPUT");
    } else if (add && job.ninputs == 0) {
        rc = usage("add INDEX INPUT...: no input");
    } else if (!add && (job.opts.window_days || job.outs.log ||
                        job.opts.against || job.opts.update)) {
        rc = usage("--window and --log are for add");
    } else if (create) {
        int r = rp_index_create(path, &job.opts, &err);
        rc = r == RP_OK ? EXIT_OK : failed(r, &err);
        if (r == RP_OK && !job.quiet)
            fprintf(stderr, "reprint: made the index %s\n", path);
    } else if (inf) {
        rc = info(path, job.check);
    } else if (compact) {
        uint64_t dropped = 0;
        int r = rp_index_compact(path, &dropped, &err);
        rc = r == RP_OK ? EXIT_OK : failed(r, &err);
        if (r == RP_OK && !job.quiet)
            fprintf(stderr,
                    "reprint: compacted %s into one run; %llu unit%s out of "
                    "the window left out\n",
                    path, (unsigned long long)dropped, dropped == 1 ? "" : "s");
    } else {
        /* add = dedup --against INDEX --update, no records written */
        job.opts.against = path;
        job.opts.update = 1;
        job.outs.records = NULL;
        if (cli_against_defaults(&job)) {
            cli_job_dispose(&job);
            return EXIT_RUNTIME;
        }
        return cli_run_job(&job, "index add", 1);
    }
    cli_job_dispose(&job);
    return rc;
}
