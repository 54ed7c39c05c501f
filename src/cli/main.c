/* main.c - the reprint command: dispatch to a subcommand. */
#include "cli.h"

#include <string.h>

static const cli_cmd commands[] = {
    {"dedup", cmd_dedup,
     "remove exact and near-duplicate documents and paragraphs"},
    {"sign", cmd_sign,
     "write every document's fingerprints to a .rps signature file"},
    {"trace", cmd_trace,
     "EXPERIMENTAL: passages shared across documents, ordered by date"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: reprint <command> [options] INPUT...\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'reprint <command> --help' describes a command's options.\n"
               "'reprint --version' prints the version.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        unsigned v = rp_version_number();
        printf("reprint %u.%u.%u\n", v / 10000, v / 100 % 100, v % 100);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "reprint: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
