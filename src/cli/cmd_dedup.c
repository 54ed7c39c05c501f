/* cmd_dedup.c - `reprint dedup` and `reprint sign`: one driver, two jobs. */
#include "cli.h"

#include <string.h>

static int run(int argc, char **argv, int dedup)
{
    cli_job job;
    int p = cli_parse(&job, dedup ? "dedup" : "sign", argc, argv, dedup);
    if (p != 0) {
        cli_job_dispose(&job);
        return p > 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (dedup && cli_against_defaults(&job)) {
        cli_job_dispose(&job);
        return EXIT_RUNTIME;
    }
    return cli_run_job(&job, dedup ? "dedup" : "sign", dedup);
}

/* Checks before the run: 0, or the exit status (message printed). */
static int before_run(cli_job *job, const char *cmd, int dedup,
                      const cli_output *outs, size_t nouts)
{
    int bad = cli_check_paths(cmd, job->inputs, job->ninputs, outs, nouts);
    for (size_t i = 0; dedup && !bad && i < job->ninputs; i++)
        bad = strcmp(job->inputs[i], "-") != 0 &&
              cli_check_sigfile_paths(cmd, job->inputs[i], outs, nouts);
    if (!bad && cli_group_size() > 1) {
        /* what a run spread over ranks cannot do yet */
        for (size_t i = 0; !bad && i < job->ninputs; i++)
            if (strcmp(job->inputs[i], "-") == 0) {
                fprintf(stderr, "reprint %s: standard input cannot be "
                                "spread over %d ranks: give files\n",
                        cmd, cli_group_size());
                bad = 1;
            }
        if (!bad && dedup && job->outs.signatures) {
            fprintf(stderr, "reprint %s: --signatures is not written by a "
                            "run over %d ranks (sign with reprint sign "
                            "--shard I/N)\n", cmd, cli_group_size());
            bad = 1;
        }
    }
    if (bad)
        return EXIT_USAGE;
    if (dedup && cli_check_sigfile(job))
        return EXIT_USAGE;
    return 0;
}

/* See cli.h. */
int cli_run_job(cli_job *job_in, const char *cmd, int dedup)
{
    cli_job job = *job_in;
    cli_output outs[] = {{"-o", dedup ? job.outs.records : job.outs.signatures},
                         {"--log", job.outs.log},
                         {"--clusters", job.outs.clusters},
                         {"--pairs", job.outs.pairs},
                         {"--signatures", dedup ? job.outs.signatures : NULL}};
    size_t nouts = sizeof outs / sizeof *outs;
    int ranks = cli_group_size(), rank = cli_group_rank();
    /* every rank checks; all go on or all stop */
    int pre = cli_agree(before_run(&job, cmd, dedup, outs, nouts));
    if (pre) {
        cli_job_dispose(&job);
        return pre;
    }
    cli_cleanup_install();
    cli_cleanup_output(job.outs.records);
    cli_cleanup_output(job.outs.log);
    cli_cleanup_output(job.outs.pairs);
    cli_cleanup_output(job.outs.clusters);
    cli_cleanup_output(job.outs.signatures);
    if (cli_spool_stdin(&job)) {
        cli_job_dispose(&job);
        return EXIT_RUNTIME;
    }
    if (rank != 0) { /* progress and the summary are rank 0's */
        job.quiet = 1;
        job.opts.progress = NULL;
        job.opts.reader.skipped = NULL; /* rank 0 lists them, once */
        job.prog.on = 0;
    }
    rp_dedup_callbacks cb = cli_callbacks(&job);
    rp_dedup_stats st = RP_DEDUP_STATS_INIT;
    rp_error err = {0};
    int rc;
    if (ranks > 1) {
        char buf[4096];
        const char *tmp = cli_tmp_dir(&job, buf, sizeof buf);
        rc = rp_dedup_run_dist(cli_group(), tmp ? tmp : "/tmp", job.inputs,
                               job.ninputs, &job.opts, &job.outs, &cb, &st,
                               &err);
    } else {
        rc = dedup ? rp_dedup_run(job.inputs, job.ninputs, &job.opts,
                                  &job.outs, &cb, &st, &err)
                   : rp_sign_run(job.inputs, job.ninputs, &job.opts,
                                 &job.outs, &cb, &st, &err);
    }
    cli_progress_clear(&job.prog);
    if (rc != RP_OK) {
        if (rank == 0) { /* its err names the rank that failed */
            cli_print_error(rc, &err);
            fprintf(stderr, "reprint: no output written\n");
        }
        cli_job_dispose(&job);
        return EXIT_RUNTIME;
    }
    if (rank != 0) {
        cli_job_dispose(&job);
        return EXIT_OK;
    }
    cli_summary(&job, &st, dedup);
    /* from a .rps the fields were read when it was signed */
    int from_rps = 0;
    for (size_t i = 0; i < job.ninputs; i++)
        from_rps |= strcmp(job.inputs[i], "-") != 0 &&
                    rp_is_sigfile(job.inputs[i]);
    if (!from_rps)
        cli_field_warnings(&job.opts.fields, st.records_in, st.fields_found,
                           NULL);
    cli_option_warnings(&job, &st, dedup);
    cli_job_dispose(&job);
    return EXIT_OK;
}

int cmd_dedup(int argc, char **argv)
{
    return run(argc, argv, 1);
}

int cmd_sign(int argc, char **argv)
{
    return run(argc, argv, 0);
}
