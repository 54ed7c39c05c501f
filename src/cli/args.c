/*
 * args.c - one command line, option by option, as getopt_long(3) reads
 * it: `--opt value`, `--opt=value`, bundled short flags (`-qo out`,
 * `-qoout`), `--` ending the options, `-` an operand. The options a
 * command takes come from its table in src/cli/man/CMD.txt (cli_doc.h),
 * so --help, the man page, the completion and the parser cannot disagree.
 */
#include "cli.h"

#include <string.h>

void cli_args_init(cli_args *it, const char *cmd, int argc, char **argv,
                   const cli_optdef *defs)
{
    memset(it, 0, sizeof *it);
    it->cmd = cmd;
    it->argc = argc;
    it->argv = argv;
    it->i = 1;
    it->defs = defs;
}

static const cli_optdef *find_long(const cli_optdef *d, const char *name,
                                   size_t len)
{
    for (; d->name; d++)
        if (strlen(d->name) == len && strncmp(d->name, name, len) == 0)
            return d;
    return NULL;
}

static const cli_optdef *find_short(const cli_optdef *d, char c)
{
    for (; d->name; d++)
        if (d->short_name == c)
            return d;
    return NULL;
}

/* the value of d: the rest of this word, else the next word */
static int take_value(cli_args *it, const cli_optdef *d, const char *rest,
                      const char *shown, const char **val)
{
    if (rest && *rest) {
        *val = rest;
        return 1;
    }
    if (it->i >= it->argc) {
        fprintf(stderr, "reprint %s: %s needs a value (%s)\n", it->cmd, shown,
                d->arg);
        return -2;
    }
    *val = it->argv[it->i++];
    return 1;
}

int cli_args_next(cli_args *it, const char **opt, const char **val)
{
    *opt = NULL;
    *val = NULL;
    if (it->bundle && *it->bundle) {
        /* the next letter of -qv... */
        char c = *it->bundle++;
        const cli_optdef *d = find_short(it->defs, c);
        if (!d) {
            fprintf(stderr, "reprint %s: unknown option '-%c' (see --help)\n",
                    it->cmd, c);
            return -2;
        }
        *opt = d->name;
        if (!d->arg)
            return 1;
        char shown[3] = {'-', c, '\0'};
        const char *rest = it->bundle;
        it->bundle = NULL;
        return take_value(it, d, rest, shown, val);
    }
    it->bundle = NULL;
    if (it->i >= it->argc)
        return -1;
    const char *a = it->argv[it->i++];
    if (it->operands_only || a[0] != '-' || a[1] == '\0') {
        *val = a;
        return 0;
    }
    if (strcmp(a, "--") == 0) {
        it->operands_only = 1;
        return cli_args_next(it, opt, val);
    }
    if (a[1] != '-') {
        it->bundle = a + 1;
        return cli_args_next(it, opt, val);
    }
    const char *eq = strchr(a, '=');
    size_t len = eq ? (size_t)(eq - a) : strlen(a);
    const cli_optdef *d = find_long(it->defs, a, len);
    if (!d) {
        fprintf(stderr, "reprint %s: unknown option '%.*s' (see --help)\n",
                it->cmd, (int)len, a);
        return -2;
    }
    *opt = d->name;
    if (!d->arg) {
        if (eq) {
            fprintf(stderr, "reprint %s: %s takes no value\n", it->cmd,
                    d->name);
            return -2;
        }
        return 1;
    }
    if (eq && eq[1] == '\0') {
        fprintf(stderr, "reprint %s: %s= needs a value (%s)\n", it->cmd,
                d->name, d->arg);
        return -2;
    }
    return take_value(it, d, eq ? eq + 1 : NULL, d->name, val);
}
