/*
 * cli.h - the reprint tool: subcommands, option parsing, diagnostics.
 * Uses the public API only. stdout carries data, stderr diagnostics.
 * Exit codes: 0 ok, 1 runtime error, 2 usage error.
 */
#ifndef RP_CLI_H
#define RP_CLI_H

#include "reprint/reprint.h"

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
    unsigned bad_listed;
    unsigned given; /* CLI_GIVEN_*: sign options given on the command line */
} cli_job;

enum {
    CLI_GIVEN_SHINGLE = 1,
    CLI_GIVEN_NUM_PERM = 2,
    CLI_GIVEN_MIN_PARA = 4,
    CLI_GIVEN_SEED = 8
};

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
void cli_summary(const cli_job *job, const rp_dedup_stats *st, int dedup);
/* A folder entry the reader skipped (rp_reader_options.skipped). */
void cli_on_skipped(void *ctx, const char *path, const char *why);
/* Field names given (--text-field ...): -1 and a message for a malformed
 * path ("a..b", a bad ~ escape). */
int cli_check_fields(const char *cmd, const rp_fields *f);
/* After a run: a warning for each field named on the command line that
 * some or all records lack (found: the run's fields_found counts). */
void cli_field_warnings(const rp_fields *f, uint64_t records,
                        const uint64_t *found);
/* Options that could not take effect in a dedup run: a warning each
 * (--keep earliest with no date at all, --para-threshold with --level
 * doc, --follow-symlinks with no folder). */
void cli_option_warnings(const cli_job *job, const rp_dedup_stats *st,
                         int dedup);
/* "reprint: N files read" when an input is a folder. */
void cli_files_read(const char *const *inputs, size_t n, uint64_t files);
/* Print one bad record skipped under --skip-bad (ctx: unused). */
void cli_print_skipped(const rp_error *e);

/* cleanup.c: temporaries removed on SIGINT, SIGTERM and SIGHUP. */
void cli_cleanup_install(void);
void cli_cleanup_output(const char *path); /* its PATH.tmp.PID names */
void cli_cleanup_file(const char *path);   /* this very file */

#endif
