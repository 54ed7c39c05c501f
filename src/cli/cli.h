/*
 * cli.h - the reprint tool: subcommands, option parsing, diagnostics.
 * Uses the public API only. stdout carries data, stderr diagnostics.
 * Exit codes: 0 ok, 1 runtime error, 2 usage error.
 */
#ifndef RP_CLI_H
#define RP_CLI_H

#include "cli_doc.h" /* generated: help texts, option tables */
#include "reprint/reprint.h"
#include "reprint/sys/dist.h"    /* rp_dist: the ranks of mpirun */
#include "reprint/sys/sigfile.h" /* rp_sigfile_options: a .rps input */

#include <stdio.h>

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

typedef struct cli_cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} cli_cmd;

int cmd_dedup(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_index(int argc, char **argv);

/* progress.c: the library's progress reports on a terminal. */
typedef struct cli_progress {
    int on;        /* stderr is a terminal, and no -q */
    int drawn;     /* a line is on the screen */
    unsigned index; /* stage shown */
    double t0;     /* its start (monotonic seconds) */
    double last;   /* last drawn */
} cli_progress;

void cli_progress_init(cli_progress *p, int on);
void cli_progress_fn(void *ctx, const rp_progress *r); /* ctx: cli_progress */
void cli_progress_clear(cli_progress *p); /* before other stderr output */

/* Shared by dedup and sign: options and inputs. */
typedef struct cli_job {
    rp_dedup_options opts;
    rp_dedup_outputs outs;
    const char **inputs;
    const char **names;
    size_t ninputs;
    char **spools; /* per input: its temporary copy (stdin, a FIFO), or NULL */
    int quiet, verbose;
    int progress;      /* stderr is a terminal */
    cli_progress prog;
    unsigned bad_listed;
    unsigned given; /* CLI_GIVEN_*: options given on the command line */
    int check;      /* index info --check */
    const char *tmp_dir; /* --tmp-dir: the ranks' shards (mpirun) */
} cli_job;

enum {
    CLI_GIVEN_SHINGLE = 1,
    CLI_GIVEN_NUM_PERM = 2,
    CLI_GIVEN_MIN_PARA = 4,
    CLI_GIVEN_SEED = 8,
    CLI_GIVEN_THRESHOLD = 16,
    CLI_GIVEN_PARA_THRESHOLD = 32,
    CLI_GIVEN_VERIFY = 64,
    CLI_GIVEN_LEVEL = 128
};

/* cli_parse's want_dedup: which command's options */
enum { CLI_WANT_SIGN = 0, CLI_WANT_DEDUP = 1, CLI_WANT_INDEX = 2 };

/* --against INDEX: options not given on the command line are the
 * index's; -1 (and a message) when it cannot be read. */
int cli_against_defaults(cli_job *job);
/* Run a parsed dedup (dedup 1) or sign job: outputs checked, the run, its
 * summary; disposes of job. Returns the exit status. */
int cli_run_job(cli_job *job, const char *cmd, int dedup);

/* A .rps input against sign options given on the command line: -1 (and a
 * message) when one differs from what the file was signed with. */
int cli_check_sigfile(const cli_job *job);

/*
 * Parse argv for `cmd` into job. Returns -1 on a usage error (message
 * printed), 1 when --help was printed, 0 to run.
 */
int cli_parse(cli_job *job, const char *cmd, int argc, char **argv,
              int want_dedup);
/* Copy standard input to a temporary file if "-" is an input. */
int cli_spool_stdin(cli_job *job);
void cli_job_dispose(cli_job *job);
rp_dedup_callbacks cli_callbacks(cli_job *job);
void cli_print_error(int rc, const rp_error *err);
void cli_summary(cli_job *job, const rp_dedup_stats *st, int dedup);
/* A folder entry the reader skipped (rp_reader_options.skipped). */
void cli_on_skipped(void *ctx, const char *path, const char *why);
/* Field names given (--text-field ...): -1 and a message for a malformed
 * path ("a..b", a bad ~ escape). */
int cli_check_fields(const char *cmd, const rp_fields *f);
/* After a run: a warning for each field named on the command line that
 * some or all records lack (found: the run's fields_found counts;
 * found_more: trace's authors_found and titles_found, or NULL). */
void cli_field_warnings(const rp_fields *f, uint64_t records,
                        const uint64_t *found, const uint64_t *found_more);
/* Options that could not take effect in a dedup run: a warning each
 * (--keep earliest with no date at all, --para-threshold with --level
 * doc, --follow-symlinks with no folder). */
void cli_option_warnings(const cli_job *job, const rp_dedup_stats *st,
                         int dedup);
/* "reprint: N files read" when an input is a folder. */
void cli_files_read(const char *const *inputs, size_t n, uint64_t files);
/* Print one bad record skipped under --skip-bad (ctx: unused). */
void cli_print_skipped(const rp_error *e);

/* args.c: a command line, option by option (getopt_long-like). */
typedef struct cli_args {
    const char *cmd;
    int argc;
    char **argv;
    int i;                  /* next word */
    const char *bundle;     /* the rest of -abc, or NULL */
    int operands_only;      /* after -- */
    const cli_optdef *defs; /* cli_opts_CMD */
} cli_args;

void cli_args_init(cli_args *it, const char *cmd, int argc, char **argv,
                   const cli_optdef *defs);
/*
 * The next option or operand. Returns 1 for an option (*opt: its long
 * name as in the table, "--output" also for -o; *val: its value, or NULL
 * for a flag), 0 for an operand (*val), -1 at the end, -2 after a usage
 * error (message printed: unknown option, missing or unwanted value).
 */
int cli_args_next(cli_args *it, const char **opt, const char **val);

/* paths.c: an output named on the command line, with its option. */
typedef struct cli_output {
    const char *label; /* "-o", "--log", ... */
    const char *path;  /* NULL: not written */
} cli_output;

/*
 * Refuse (message, -1) an output that is an input, lies inside an input
 * folder, or is the same file as another output, and two outputs on
 * standard output. Nothing is read or written; call it before the run.
 */
int cli_check_paths(const char *cmd, const char *const *inputs, size_t nin,
                    const cli_output *outs, size_t nout);
/* The same against the files a .rps input was signed from (0 when rps is
 * not a signature file). */
int cli_check_sigfile_paths(const char *cmd, const char *rps,
                            const cli_output *outs, size_t nout);

/* "s" unless n is 1: "1 record", "2 records" */
static inline const char *cli_s(uint64_t n)
{
    return n == 1 ? "" : "s";
}

/* malloc_tune.c: glibc's allocator tuned for large tables, by starting
 * the tool again with GLIBC_TUNABLES (first thing in main) */
void cli_tune_malloc(char **argv);
const char *cli_malloc_tuning(void); /* what was done, for -v */

/* group.c: the ranks of mpirun or srun (one process without them). */
int cli_group_open(int *argc, char ***argv); /* -1 and a message */
void cli_group_close(void);
rp_dist *cli_group(void);
int cli_group_size(void);
int cli_group_rank(void);
/* Every rank's status before a distributed job: the first non-zero one in
 * rank order, on every rank. Once per run (later calls return status);
 * main calls it for a command that stopped before its job. */
int cli_agree(int status);
/* Where the ranks write their .rps: --tmp-dir, else the folder of the
 * first output file (index add: of the index), else $TMPDIR, else /tmp. */
const char *cli_tmp_dir(const cli_job *job, char *buf, size_t cap);

/* cleanup.c: temporaries removed on SIGINT, SIGTERM and SIGHUP. */
void cli_cleanup_install(void);
void cli_cleanup_output(const char *path); /* its PATH.tmp.PID names */
void cli_cleanup_file(const char *path);   /* this very file */

#endif
