/* main.c - the reprint command: dispatch to a subcommand. */
#include "cli.h"

#include <string.h>

static const cli_cmd commands[] = {
    {"dedup", cmd_dedup, cli_summary_dedup},
    {"sign", cmd_sign, cli_summary_sign},
    {"trace", cmd_trace, cli_summary_trace},
    {"index", cmd_index, cli_summary_index},
};

static const cli_cmd *find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(name, commands[i].name) == 0)
            return &commands[i];
    return NULL;
}

static int unknown(const char *name)
{
    fprintf(stderr, "reprint: unknown command '%s'\n\n", name);
    fputs(cli_help_reprint, stderr);
    return EXIT_USAGE;
}

/* Commands that run on many ranks: dedup and index add. Under mpirun
 * with N > 1 ranks the others would each write the same outputs. */
static int spreads(int argc, char **argv)
{
    return argc >= 2 && (strcmp(argv[1], "dedup") == 0 ||
                         (strcmp(argv[1], "index") == 0 && argc >= 3 &&
                          strcmp(argv[2], "add") == 0));
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
    cli_tune_malloc(argv); /* may start the tool again, tuned */
    if (cli_group_open(&argc, &argv))
        return EXIT_RUNTIME;
    int rc;
    if (cli_group_size() > 1 && !spreads(argc, argv)) {
        if (cli_group_rank() == 0)
            fprintf(stderr, "reprint: only dedup and index add run on many "
                            "ranks; %d were started (use mpirun -n 1, or "
                            "no mpirun)\n", cli_group_size());
        rc = EXIT_USAGE;
    } else {
        rc = dispatch(argc, argv);
        /* a command that stopped before its job: the ranks that went on
         * learn of it here, at the same collective call */
        rc = cli_agree(rc);
    }
    fflush(stdout);
    cli_group_close();
    return rc;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        fputs(cli_help_reprint, stderr);
        return EXIT_USAGE;
    }
    const char *a = argv[1];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 ||
        (strcmp(a, "help") == 0 && argc == 2)) {
        fputs(cli_help_reprint, stdout);
        return EXIT_OK;
    }
    if (strcmp(a, "help") == 0) {
        /* reprint help CMD = reprint CMD --help */
        const cli_cmd *c = find(argv[2]);
        if (!c)
            return unknown(argv[2]);
        if (argc > 3) {
            fprintf(stderr, "reprint help: one command at a time\n");
            return EXIT_USAGE;
        }
        char *hargv[] = {argv[2], "--help", NULL};
        return c->fn(2, hargv);
    }
    if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
        unsigned v = rp_version_number();
        printf("reprint %u.%u.%u\n", v / 10000, v / 100 % 100, v % 100);
        return EXIT_OK;
    }
    const cli_cmd *c = find(a);
    if (c)
        return c->fn(argc - 1, argv + 1);
    if (a[0] == '-') {
        fprintf(stderr, "reprint: unknown option '%s' (see --help)\n", a);
        return EXIT_USAGE;
    }
    return unknown(a);
}
