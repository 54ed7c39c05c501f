/* cmd_sign.c - `reprint sign`. */
#include "cli.h"

int cmd_sign(int argc, char **argv)
{
    cli_job job;
    int p = cli_parse(&job, "sign", argc, argv, 0);
    if (p != 0) {
        cli_job_dispose(&job);
        return p > 0 ? EXIT_OK : EXIT_USAGE;
    }
    rp_dedup_callbacks cb = cli_callbacks(&job);
    rp_dedup_stats st;
    rp_error err = {0};
    int rc = rp_sign_run(job.inputs, job.ninputs, &job.opts, &job.outs, &cb,
                         &st, &err);
    if (job.progress)
        fputs("\r\033[K", stderr);
    if (rc != RP_OK) {
        cli_print_error(rc, &err);
        fprintf(stderr, "reprint: no output written\n");
        cli_job_dispose(&job);
        return EXIT_RUNTIME;
    }
    cli_summary(&job, &st, 0);
    cli_job_dispose(&job);
    return EXIT_OK;
}
