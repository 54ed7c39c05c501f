/*
 * opts.c - option parsing, stdin spooling, progress and the summary,
 * shared by `dedup` and `sign`.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static int parse_uint(const char *opt, const char *v, unsigned long long max,
                      unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!v || !*v || *v == '-') {
        fprintf(stderr, "reprint: %s needs a whole number\n", opt);
        return -1;
    }
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || *end || x > max) {
        fprintf(stderr, "reprint: %s: '%s' is not a whole number up to %llu\n",
                opt, v, max);
        return -1;
    }
    *out = x;
    return 0;
}

/* a size in bytes: digits and K, M, G or T (powers of 1024), 1M at least */
static int parse_size(const char *opt, const char *v, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long x = v && *v && *v != '-' ? strtoull(v, &end, 10) : 0;
    int shift = -1;
    if (v && *v && *v != '-' && !errno && end != v) {
        if (!*end)
            shift = 0;
        else if (!end[1] || ((end[1] == 'B' || end[1] == 'b') && !end[2]))
            shift = *end == 'K' || *end == 'k'   ? 10
                    : *end == 'M' || *end == 'm' ? 20
                    : *end == 'G' || *end == 'g' ? 30
                    : *end == 'T' || *end == 't' ? 40
                                                 : -1;
    }
    if (shift < 0 || x > (UINT64_MAX >> shift) || (x << shift) < (1u << 20)) {
        fprintf(stderr,
                "reprint: %s: '%s' is not a size of at least 1M (e.g. 512M, "
                "2G; K, M, G and T are powers of 1024)\n",
                opt, v ? v : "");
        return -1;
    }
    *out = (uint64_t)x << shift;
    return 0;
}

static int parse_ratio(const char *opt, const char *v, double *out)
{
    char *end;
    if (!v) {
        fprintf(stderr, "reprint: %s needs a value\n", opt);
        return -1;
    }
    double x = strtod(v, &end);
    if (*end || !(x > 0 && x <= 1)) {
        fprintf(stderr, "reprint: %s: '%s' is not a number in (0, 1]\n", opt,
                v);
        return -1;
    }
    *out = x;
    return 0;
}

/* I/N: shard I (1-based) of N, 1 <= I <= N <= 2^20; stored 0-based. */
static int parse_shard(const char *opt, const char *v, uint32_t *shard,
                       uint32_t *shards)
{
    char *end;
    errno = 0;
    unsigned long long i = strtoull(v, &end, 10);
    unsigned long long n = 0;
    int ok = end != v && *end == '/' && v[0] != '-';
    if (ok) {
        const char *w = end + 1;
        n = strtoull(w, &end, 10);
        ok = end != w && !*end && w[0] != '-' && !errno && i >= 1 &&
             i <= n && n <= (1u << 20);
    }
    if (!ok) {
        fprintf(stderr, "reprint: %s: '%s' is not I/N with 1 <= I <= N "
                        "(e.g. 3/16)\n", opt, v);
        return -1;
    }
    *shard = (uint32_t)(i - 1);
    *shards = (uint32_t)n;
    return 0;
}

/* DAYS: "30", "30d" or "4w"; 1 to 100 years. */
static int parse_days(const char *opt, const char *v, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    unsigned long long mul = 1;
    if (end != v && (*end == 'd' || *end == 'w') && end[1] == 0) {
        mul = *end == 'w' ? 7 : 1;
        end++;
    }
    if (end == v || *end || errno || v[0] == '-' || n == 0 ||
        n > 36525 / mul) {
        fprintf(stderr, "reprint: %s: '%s' is not a number of days (30, "
                        "30d, 4w)\n", opt, v);
        return -1;
    }
    *out = (uint32_t)(n * mul);
    return 0;
}

int cli_parse(cli_job *job, const char *cmd, int argc, char **argv,
              int want_dedup)
{
    memset(job, 0, sizeof *job);
    rp_dedup_options d = RP_DEDUP_OPTIONS_INIT;
    job->opts = d;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    job->opts.threads = cores > 0 ? (unsigned)cores : 1;
    job->outs.records = want_dedup ? "-" : NULL;
    job->inputs = calloc((size_t)argc + 1, sizeof *job->inputs);
    job->names = calloc((size_t)argc + 1, sizeof *job->names);
    if (!job->inputs || !job->names) {
        fprintf(stderr, "reprint: out of memory\n");
        return -1;
    }
    job->progress = isatty(2);
    const char *out = NULL;
    cli_args it;
    cli_args_init(&it, cmd, argc, argv,
                  want_dedup == CLI_WANT_INDEX ? cli_opts_index
                  : want_dedup                 ? cli_opts_dedup
                                               : cli_opts_sign);
    const char *a, *v;
    int kind;
    while ((kind = cli_args_next(&it, &a, &v)) >= 0) {
        unsigned long long n;
        if (kind == 0) {
            job->inputs[job->ninputs] = v;
            job->names[job->ninputs++] = v;
            continue;
        }
#define TAKE(field) field = v
#define UINT(max, field)                                                      \
    do {                                                                      \
        if (parse_uint(a, v, max, &n))                                        \
            return -1;                                                        \
        field = n;                                                            \
    } while (0)
        if (strcmp(a, "--help") == 0) {
            fputs(want_dedup == CLI_WANT_INDEX ? cli_help_index
                  : want_dedup                 ? cli_help_dedup
                                               : cli_help_sign,
                  stdout);
            return 1;
        } else if (strcmp(a, "--output") == 0) {
            TAKE(out);
        } else if (want_dedup && strcmp(a, "--log") == 0) {
            TAKE(job->outs.log);
        } else if (want_dedup && strcmp(a, "--clusters") == 0) {
            TAKE(job->outs.clusters);
        } else if (want_dedup && strcmp(a, "--pairs") == 0) {
            TAKE(job->outs.pairs);
        } else if (want_dedup && strcmp(a, "--signatures") == 0) {
            TAKE(job->outs.signatures);
        } else if (want_dedup && strcmp(a, "--level") == 0) {
            const char *lv = NULL;
            TAKE(lv);
            job->given |= CLI_GIVEN_LEVEL;
            if (strcmp(lv, "doc") == 0)
                job->opts.level = RP_LEVEL_DOC;
            else if (strcmp(lv, "para") == 0)
                job->opts.level = RP_LEVEL_PARA;
            else if (strcmp(lv, "both") == 0)
                job->opts.level = RP_LEVEL_BOTH;
            else {
                fprintf(stderr, "reprint: --level takes doc, para or both\n");
                return -1;
            }
        } else if (want_dedup && strcmp(a, "--keep") == 0) {
            const char *k = NULL;
            TAKE(k);
            if (strcmp(k, "earliest") == 0)
                job->opts.keep = RP_KEEP_EARLIEST;
            else if (strcmp(k, "first") == 0)
                job->opts.keep = RP_KEEP_FIRST;
            else if (strcmp(k, "longest") == 0)
                job->opts.keep = RP_KEEP_LONGEST;
            else {
                fprintf(stderr,
                        "reprint: --keep takes earliest, first or longest\n");
                return -1;
            }
        } else if (want_dedup && strcmp(a, "--threshold") == 0) {
            if (parse_ratio(a, v, &job->opts.threshold))
                return -1;
            job->given |= CLI_GIVEN_THRESHOLD;
        } else if (want_dedup && strcmp(a, "--para-threshold") == 0) {
            if (parse_ratio(a, v, &job->opts.para_threshold))
                return -1;
            job->given |= CLI_GIVEN_PARA_THRESHOLD;
        } else if (want_dedup && strcmp(a, "--no-verify") == 0) {
            job->opts.verify = 0;
            job->given |= CLI_GIVEN_VERIFY;
        } else if (want_dedup && strcmp(a, "--against") == 0) {
            TAKE(job->opts.against);
        } else if (want_dedup && strcmp(a, "--update") == 0) {
            job->opts.update = 1;
        } else if (want_dedup && strcmp(a, "--window") == 0) {
            if (parse_days(a, v, &job->opts.window_days))
                return -1;
        } else if (want_dedup && strcmp(a, "--check") == 0) {
            job->check = 1;
        } else if (want_dedup && strcmp(a, "--tmp-dir") == 0) {
            TAKE(job->tmp_dir);
            job->opts.tmp_dir = job->tmp_dir;
        } else if (want_dedup == CLI_WANT_DEDUP &&
                   strcmp(a, "--memory") == 0) {
            if (parse_size(a, v, &job->opts.memory))
                return -1;
        } else if (want_dedup && strcmp(a, "--max-bucket") == 0) {
            UINT(1u << 30, job->opts.max_bucket);
        } else if (!want_dedup && strcmp(a, "--shard") == 0) {
            if (parse_shard(a, v, &job->opts.shard, &job->opts.shards))
                return -1;
        } else if (strcmp(a, "--threads") == 0) {
            UINT(1024, job->opts.threads);
            if (job->opts.threads == 0)
                job->opts.threads = 1;
        } else if (strcmp(a, "--shingle") == 0) {
            UINT(64, job->opts.sign.shingle);
            job->opts.sign.char_mode = 0;
            job->given |= CLI_GIVEN_SHINGLE;
        } else if (strcmp(a, "--char-ngrams") == 0) {
            UINT(64, job->opts.sign.shingle);
            job->opts.sign.char_mode = 1;
            job->given |= CLI_GIVEN_SHINGLE;
        } else if (strcmp(a, "--num-perm") == 0) {
            UINT(1024, job->opts.sign.num_perm);
            job->given |= CLI_GIVEN_NUM_PERM;
        } else if (strcmp(a, "--min-para-tokens") == 0) {
            UINT(1u << 20, job->opts.sign.min_para_tokens);
            job->given |= CLI_GIVEN_MIN_PARA;
        } else if (strcmp(a, "--seed") == 0) {
            UINT(~0ULL, job->opts.sign.seed);
            job->given |= CLI_GIVEN_SEED;
        } else if (strcmp(a, "--max-record-bytes") == 0) {
            UINT((1ULL << 32) - 2, job->opts.reader.max_record_len);
        } else if (strcmp(a, "--text-field") == 0) {
            TAKE(job->opts.fields.text);
        } else if (strcmp(a, "--id-field") == 0) {
            TAKE(job->opts.fields.id);
        } else if (strcmp(a, "--date-field") == 0) {
            TAKE(job->opts.fields.date);
        } else if (strcmp(a, "--source-field") == 0) {
            TAKE(job->opts.fields.source);
        } else if (strcmp(a, "--url-field") == 0) {
            TAKE(job->opts.fields.url);
        } else if (strcmp(a, "--skip-bad") == 0) {
            job->opts.skip_bad = 1;
        } else if (strcmp(a, "--follow-symlinks") == 0) {
            job->opts.reader.follow_symlinks = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            job->quiet = 1;
            job->progress = 0;
        } else if (strcmp(a, "--verbose") == 0) {
            job->verbose = 1;
        } else {
            /* in src/cli/man/CMD.txt but not handled here */
            fprintf(stderr, "reprint %s: option %s is not implemented\n",
                    cmd, a);
            return -1;
        }
#undef TAKE
#undef UINT
    }
    if (kind == -2)
        return -1;
    if (job->ninputs == 0 && want_dedup != CLI_WANT_INDEX) {
        fprintf(stderr, "reprint %s: no input (see --help)\n", cmd);
        return -1;
    }
    for (size_t i = 0; job->opts.shards > 1 && i < job->ninputs; i++)
        if (strcmp(job->inputs[i], "-") == 0) {
            fprintf(stderr, "reprint %s: standard input cannot be split into "
                            "shards: shard a folder or a list of files\n",
                    cmd);
            return -1;
        }
    if (want_dedup == CLI_WANT_DEDUP && !job->opts.against &&
        (job->opts.update || job->opts.window_days)) {
        fprintf(stderr, "reprint %s: --update and --window need --against "
                        "INDEX\n", cmd);
        return -1;
    }
    if (job->opts.sign.num_perm < 32 || job->opts.sign.num_perm % 32) {
        fprintf(stderr, "reprint: --num-perm must be a multiple of 32 from 32 "
                        "to 1024\n");
        return -1;
    }
    if (job->opts.sign.shingle == 0) {
        fprintf(stderr, "reprint: --shingle and --char-ngrams need at least "
                        "1\n");
        return -1;
    }
    if (want_dedup) {
        if (out)
            job->outs.records = out;
    } else {
        if (!out || strcmp(out, "-") == 0) {
            fprintf(stderr, "reprint sign: -o FILE.rps is required (the "
                            "signature file is binary)\n");
            return -1;
        }
        job->outs.signatures = out;
    }
    job->opts.names = job->names;
    cli_progress_init(&job->prog, job->progress);
    job->opts.progress = cli_progress_fn;
    job->opts.progress_ctx = &job->prog;
    job->opts.reader.skipped = cli_on_skipped;
    return cli_check_fields(cmd, &job->opts.fields);
}

/* every field option: the first RP_FIELD_COUNT in RP_FIELD_* bit order
   (counted in the stats' fields_found), then trace's author and title */
#define FIELD_OPTS (RP_FIELD_COUNT + 2)
static const char *const field_opt[FIELD_OPTS] = {
    "--text-field",   "--id-field",     "--date-field", "--url-field",
    "--source-field", "--file-field",   "--author-field", "--title-field"};

static void field_names(const rp_fields *f, const char *out[FIELD_OPTS])
{
    out[0] = f->text;
    out[1] = f->id;
    out[2] = f->date;
    out[3] = f->url;
    out[4] = f->source;
    out[5] = f->file;
    out[6] = f->author;
    out[7] = f->title;
}

int cli_check_fields(const char *cmd, const rp_fields *f)
{
    const char *names[FIELD_OPTS];
    field_names(f, names);
    for (int k = 0; k < FIELD_OPTS; k++) {
        rp_error e = {0};
        if (k == 0 && names[k] && strcmp(names[k], "-") == 0) {
            fprintf(stderr, "reprint %s: --text-field cannot be - (every "
                            "record needs a text)\n", cmd);
            return -1;
        }
        if (names[k] && rp_field_check(names[k], &e) != RP_OK) {
            fprintf(stderr, "reprint %s: %s: %s\n", cmd, field_opt[k],
                    e.message);
            return -1;
        }
    }
    return 0;
}

void cli_field_warnings(const rp_fields *f, uint64_t records,
                        const uint64_t *found, const uint64_t *found_more)
{
    const char *names[FIELD_OPTS];
    field_names(f, names);
    /* the text field is required: a record without it is a bad record */
    for (int k = 1; k < FIELD_OPTS && records; k++) {
        uint64_t n = k < RP_FIELD_COUNT ? found[k]
                     : found_more       ? found_more[k - RP_FIELD_COUNT]
                                        : records;
        if (!names[k] || strcmp(names[k], "-") == 0 || n >= records)
            continue;
        if (n == 0)
            fprintf(stderr,
                    "reprint: warning: %s \"%s\" is in none of the %llu "
                    "records: it has no effect (check the name; a nested "
                    "field is written metadata.NAME or /metadata/NAME, a "
                    "key with a dot in it /NAME.WITH.DOTS)\n",
                    field_opt[k], names[k], (unsigned long long)records);
        else
            fprintf(stderr,
                    "reprint: warning: %s \"%s\" is missing from %llu of "
                    "the %llu records\n",
                    field_opt[k], names[k],
                    (unsigned long long)(records - n),
                    (unsigned long long)records);
    }
}

static int any_folder(const char *const *inputs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &st) == 0 &&
            S_ISDIR(st.st_mode))
            return 1;
    }
    return 0;
}

void cli_option_warnings(const cli_job *job, const rp_dedup_stats *st,
                         int dedup)
{
    if (dedup && job->opts.keep == RP_KEEP_EARLIEST && st->records_in > 1 &&
        st->dates_missing + st->dates_bad >= st->records_in &&
        (st->docs_removed || st->paras_removed))
        fprintf(stderr, "reprint: warning: no record has a date, so --keep "
                        "earliest kept the first copy of each (name the "
                        "date field with --date-field, or say --keep "
                        "first)\n");
    if (dedup && job->opts.para_threshold > 0 &&
        job->opts.level == RP_LEVEL_DOC)
        fprintf(stderr, "reprint: warning: --para-threshold has no effect "
                        "with --level doc\n");
    if (job->opts.reader.follow_symlinks &&
        !any_folder(job->inputs, job->ninputs))
        fprintf(stderr, "reprint: warning: --follow-symlinks has no effect: "
                        "no input is a folder\n");
}

void cli_files_read(const char *const *inputs, size_t n, uint64_t files)
{
    size_t folders = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &st) == 0 &&
            S_ISDIR(st.st_mode))
            folders++;
    }
    if (folders)
        fprintf(stderr, "reprint: %llu files read (%zu input%s, %zu "
                        "folder%s)\n",
                (unsigned long long)files, n, n == 1 ? "" : "s", folders,
                folders == 1 ? "" : "s");
}

void cli_on_skipped(void *ctx, const char *path, const char *why)
{
    (void)ctx;
    fprintf(stderr, "reprint: skipped %s: %s\n", path, why);
}

/* Copy one stream (stdin, a FIFO, a <(...) pipe) to a new temporary file;
 * its path into *out. */
static int spool_one(FILE *in, const char *shown, char **out)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir) + 32;
    char *path = malloc(n);
    if (!path)
        return -1;
    snprintf(path, n, "%s/reprint-stdin.XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "reprint: cannot create a temporary file in %s: %s\n",
                dir, strerror(errno));
        free(path);
        return -1;
    }
    *out = path;
    cli_cleanup_file(path);
    FILE *f = fdopen(fd, "wb");
    char buf[1 << 16];
    size_t got;
    int rc = f ? 0 : -1;
    while (rc == 0 && (got = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, got, f) != got)
            rc = -1;
    if (ferror(in))
        rc = -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (!f)
        close(fd);
    if (rc != 0)
        fprintf(stderr, "reprint: cannot copy %s to %s: %s\n", shown, path,
                strerror(errno));
    return rc;
}

/*
 * dedup reads its inputs up to three times: standard input and any input
 * that is a stream rather than a file (a FIFO, a <(...) pipe, a device)
 * are copied to a temporary file first; errors still name the input.
 */
int cli_spool_stdin(cli_job *job)
{
    int have = 0;
    for (size_t i = 0; i < job->ninputs; i++)
        have += strcmp(job->inputs[i], "-") == 0;
    if (have > 1) {
        fprintf(stderr, "reprint: - (standard input) named more than once\n");
        return -1;
    }
    job->spools = calloc(job->ninputs + 1, sizeof *job->spools);
    if (!job->spools)
        return -1;
    for (size_t i = 0; i < job->ninputs; i++) {
        struct stat st;
        int is_stdin = strcmp(job->inputs[i], "-") == 0;
        if (!is_stdin && (stat(job->inputs[i], &st) != 0 ||
                          S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
            continue; /* a file or folder; a missing one is reported later */
        FILE *in = is_stdin ? stdin : fopen(job->inputs[i], "rb");
        if (!in) {
            fprintf(stderr, "reprint: %s: cannot open: %s\n", job->inputs[i],
                    strerror(errno));
            return -1;
        }
        int rc = spool_one(in, is_stdin ? "standard input" : job->inputs[i],
                           &job->spools[i]);
        if (!is_stdin)
            fclose(in);
        if (rc != 0)
            return -1;
        job->inputs[i] = job->spools[i]; /* names[i] stays as given */
    }
    return 0;
}

static int same_name(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/*
 * A .rps carries the options it was signed with, and dedup uses them: an
 * option given on the command line that says otherwise is an error, not
 * silently overridden (issue 13 item 11).
 */
static int check_sigfile(const cli_job *job, const char *path);

int cli_check_sigfile(const cli_job *job)
{
    for (size_t i = 0; i < job->ninputs; i++)
        if (strcmp(job->inputs[i], "-") != 0 &&
            rp_is_sigfile(job->inputs[i]) &&
            check_sigfile(job, job->inputs[i]))
            return -1;
    return 0;
}

static int check_sigfile(const cli_job *job, const char *path)
{
    rp_sigfile_reader *r = NULL;
    rp_error e = {0};
    int rc = rp_sigfile_reader_new(&r, path, &e);
    if (rc != RP_OK)
        return 0; /* dedup reports it */
    const rp_sign_options *so = rp_sigfile_options(r);
    const rp_sign_options *want = &job->opts.sign;
    const rp_fields *f = rp_sigfile_fields(r), *g = &job->opts.fields;
    const char *what = NULL;
    char had[96] = "";
    if ((job->given & CLI_GIVEN_SHINGLE) &&
        (so->shingle != want->shingle || so->char_mode != want->char_mode)) {
        what = want->char_mode ? "--char-ngrams" : "--shingle";
        snprintf(had, sizeof had, "%s %u", so->char_mode ? "--char-ngrams"
                                                         : "--shingle",
                 so->shingle);
    } else if ((job->given & CLI_GIVEN_NUM_PERM) &&
               so->num_perm != want->num_perm) {
        what = "--num-perm";
        snprintf(had, sizeof had, "--num-perm %u", so->num_perm);
    } else if ((job->given & CLI_GIVEN_MIN_PARA) &&
               so->min_para_tokens != want->min_para_tokens) {
        what = "--min-para-tokens";
        snprintf(had, sizeof had, "--min-para-tokens %u", so->min_para_tokens);
    } else if ((job->given & CLI_GIVEN_SEED) && so->seed != want->seed) {
        what = "--seed";
        snprintf(had, sizeof had, "--seed %llu",
                 (unsigned long long)so->seed);
    } else {
        static const char *const opt[5] = {"--text-field", "--id-field",
                                           "--date-field", "--source-field",
                                           "--url-field"};
        const char *fs[5] = {f->text, f->id, f->date, f->source, f->url};
        const char *gs[5] = {g->text, g->id, g->date, g->source, g->url};
        for (int i = 0; i < 5 && !what; i++)
            if (gs[i] && !same_name(fs[i], gs[i])) {
                what = opt[i];
                snprintf(had, sizeof had, "%s %s", opt[i],
                         fs[i] ? fs[i] : "(the default names)");
            }
    }
    rp_sigfile_reader_free(r);
    if (!what)
        return 0;
    fprintf(stderr,
            "reprint: %s: signed with %s; %s on the command line differs, "
            "and dedup uses what the file was signed with: drop the option "
            "or sign again\n",
            job->names[0], had, what);
    return -1;
}

void cli_job_dispose(cli_job *job)
{
    for (size_t i = 0; job->spools && i < job->ninputs; i++) {
        if (job->spools[i]) {
            unlink(job->spools[i]);
            free(job->spools[i]);
        }
    }
    free(job->spools);
    free(job->inputs);
    free(job->names);
}

void cli_print_error(int rc, const rp_error *e)
{
    if (e && e->code == rc && e->message[0]) {
        if (e->line)
            fprintf(stderr, "reprint: %s:%llu: %s (byte offset %llu)\n",
                    e->path, (unsigned long long)e->line, e->message,
                    (unsigned long long)e->offset);
        else if (e->path[0])
            fprintf(stderr, "reprint: %s: %s\n", e->path, e->message);
        else
            fprintf(stderr, "reprint: %s\n", e->message);
    } else {
        fprintf(stderr, "reprint: %s\n", rp_strerror(rc));
    }
}

static void on_bad(void *ctx, const rp_error *e)
{
    cli_job *job = ctx;
    cli_progress_clear(&job->prog);
    cli_print_skipped(e);
    job->bad_listed++;
}

void cli_print_skipped(const rp_error *e)
{
    if (e->line)
        fprintf(stderr, "reprint: skipped %s:%llu: %s (byte offset %llu)\n",
                e->path, (unsigned long long)e->line, e->message,
                (unsigned long long)e->offset);
    else
        fprintf(stderr, "reprint: skipped %s: %s\n", e->path, e->message);
}

rp_dedup_callbacks cli_callbacks(cli_job *job)
{
    rp_dedup_callbacks cb = {job, on_bad, NULL};
    return cb;
}

void cli_summary(cli_job *job, const rp_dedup_stats *st, int dedup)
{
    cli_progress_clear(&job->prog);
    if (job->quiet)
        return;
    double mb = st->bytes_in / 1e6;
    if (dedup) {
        uint64_t changed = st->paras_changed_docs + st->docs_emptied;
        fprintf(stderr,
                "reprint: %llu record%s in, %llu out: %llu duplicate "
                "document%s removed, %llu paragraph%s removed from %llu "
                "record%s, %llu record%s left empty and dropped\n",
                (unsigned long long)st->records_in, cli_s(st->records_in),
                (unsigned long long)st->records_out,
                (unsigned long long)st->docs_removed, cli_s(st->docs_removed),
                (unsigned long long)st->paras_removed,
                cli_s(st->paras_removed), (unsigned long long)changed,
                cli_s(changed), (unsigned long long)st->docs_emptied,
                cli_s(st->docs_emptied));
    } else {
        fprintf(stderr,
                "reprint: %llu record%s signed, %llu paragraph unit%s\n",
                (unsigned long long)st->records_in, cli_s(st->records_in),
                (unsigned long long)st->paragraphs, cli_s(st->paragraphs));
    }
    cli_files_read(job->inputs, job->ninputs, st->files_in);
    if (dedup && job->opts.against)
        fprintf(stderr,
                "reprint: index %s: %llu document%s and %llu paragraph%s "
                "removed as already indexed; %llu unit%s added, %llu "
                "evicted; generation %llu holds %llu unit%s\n",
                job->opts.against,
                (unsigned long long)st->index_docs_removed,
                cli_s(st->index_docs_removed),
                (unsigned long long)st->index_paras_removed,
                cli_s(st->index_paras_removed),
                (unsigned long long)st->index_added, cli_s(st->index_added),
                (unsigned long long)st->index_evicted,
                (unsigned long long)st->index_generation,
                (unsigned long long)st->index_entries,
                cli_s(st->index_entries));
    fprintf(stderr,
            "reprint: %llu bad record%s skipped; dates: %llu missing, %llu "
            "unparseable (treated as unknown)\n",
            (unsigned long long)st->bad_records, cli_s(st->bad_records),
            (unsigned long long)st->dates_missing,
            (unsigned long long)st->dates_bad);
    if (st->capped_buckets)
        fprintf(stderr,
                "reprint: %llu LSH bucket%s held more than --max-bucket %zu "
                "units: their members were compared with the first 8 in "
                "keep order only\n",
                (unsigned long long)st->capped_buckets,
                cli_s(st->capped_buckets), job->opts.max_bucket);
    if (mb > 0 || st->sec_total > 0)
        fprintf(stderr, "reprint: %.1f MB in %.2f s (%.1f MB/s)\n", mb,
                st->sec_total, st->sec_total > 0 ? mb / st->sec_total : 0.0);
    if (job->verbose) {
        fprintf(stderr,
                "reprint: LSH documents %u bands x %u rows, paragraphs %u x "
                "%u; candidates %llu documents, %llu paragraphs; pairs at "
                "threshold %llu documents, %llu paragraphs\n",
                st->doc_bands, st->doc_rows, st->para_bands, st->para_rows,
                (unsigned long long)st->doc_candidates,
                (unsigned long long)st->para_candidates,
                (unsigned long long)st->doc_pairs,
                (unsigned long long)st->para_pairs);
        fprintf(stderr,
                "reprint: seconds: sign %.3f, lsh %.3f, verify %.3f, "
                "cluster %.3f, write %.3f; per-document tables %.1f MB\n",
                st->sec_sign, st->sec_lsh, st->sec_verify, st->sec_cluster,
                st->sec_write, st->peak_docs_bytes / 1e6);
        /* memory per document: the tables the run keeps for each, and the
           process's peak resident size over the documents read */
        struct rusage ru;
        double docs = st->records_in ? (double)st->records_in : 1;
        if (getrusage(RUSAGE_SELF, &ru) == 0)
            fprintf(stderr,
                    "reprint: memory: tables %.0f bytes per document, peak "
                    "resident %.1f MB (%.0f bytes per document)\n",
                    (double)st->peak_docs_bytes / docs,
                    (double)ru.ru_maxrss / 1024.0,
                    (double)ru.ru_maxrss * 1024.0 / docs);
        fprintf(stderr, "reprint: allocator: %s\n", cli_malloc_tuning());
        if (st->spill_bytes)
            fprintf(stderr,
                    "reprint: --memory: band keys spilled in %llu sorted "
                    "runs, %.1f MB written\n",
                    (unsigned long long)st->spill_runs,
                    st->spill_bytes / 1e6);
        if (st->exchanged_bytes)
            fprintf(stderr,
                    "reprint: ranks: %.1f MB exchanged: band keys, pairs "
                    "and shingles to verify (%.0f bytes per document)\n",
                    st->exchanged_bytes / 1e6,
                    (double)st->exchanged_bytes / docs);
        if (st->verify_blocks)
            fprintf(stderr,
                    "reprint: --memory: verification in %llu blocks of "
                    "documents, %llu reads of the input\n",
                    (unsigned long long)st->verify_blocks,
                    (unsigned long long)st->verify_reads);
    }
}

int cli_against_defaults(cli_job *job)
{
    if (!job->opts.against)
        return 0;
    rp_dedup_options ix = job->opts;
    rp_error err = {0};
    int rc = rp_index_options(job->opts.against, &ix, &err);
    if (rc != RP_OK) {
        cli_print_error(rc, &err);
        return -1;
    }
    rp_dedup_options *o = &job->opts;
    if (!(job->given & CLI_GIVEN_SHINGLE)) {
        o->sign.shingle = ix.sign.shingle;
        o->sign.char_mode = ix.sign.char_mode;
    }
    if (!(job->given & CLI_GIVEN_NUM_PERM))
        o->sign.num_perm = ix.sign.num_perm;
    if (!(job->given & CLI_GIVEN_MIN_PARA))
        o->sign.min_para_tokens = ix.sign.min_para_tokens;
    if (!(job->given & CLI_GIVEN_SEED))
        o->sign.seed = ix.sign.seed;
    o->sign.paragraphs = ix.sign.paragraphs;
    if (!(job->given & CLI_GIVEN_THRESHOLD))
        o->threshold = ix.threshold;
    if (!(job->given & CLI_GIVEN_PARA_THRESHOLD))
        o->para_threshold =
            ix.level & RP_LEVEL_PARA ? ix.para_threshold : 0;
    if (!(job->given & CLI_GIVEN_VERIFY))
        o->verify = ix.verify;
    if (!(job->given & CLI_GIVEN_LEVEL))
        o->level = ix.level;
    return 0;
}
