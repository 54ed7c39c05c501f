/* cmd_dedup.c - `reprint dedup`. */
#include "cli.h"

int cmd_dedup(int argc, char **argv)
{
    cli_job job;
    int p = cli_parse(&job, "dedup", argc, argv, 1);
    if (p != 0) {
        cli_job_dispose(&job);
        return p > 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (cli_spool_stdin(&job)) {
        cli_job_dispose(&job);
        return EXIT_RUNTIME;
    }
    rp_dedup_callbacks cb = cli_callbacks(&job);
    rp_dedup_stats st;
    rp_error err = {0};
    int rc = rp_dedup_run(job.inputs, job.ninputs, &job.opts, &job.outs, &cb,
                          &st, &err);
    if (job.progress)
        fputs("\r\033[K", stderr);
    if (rc != RP_OK) {
        cli_print_error(rc, &err);
        fprintf(stderr, "reprint: no output written\n");
        cli_job_dispose(&job);
        return EXIT_RUNTIME;
    }
    cli_summary(&job, &st, 1);
    cli_job_dispose(&job);
    return EXIT_OK;
}
