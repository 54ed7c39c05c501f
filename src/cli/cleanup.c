/*
 * cleanup.c - no temporary left behind after SIGINT or SIGTERM.
 *
 * The library writes each output to PATH.tmp.PID (reprint/input.h) and
 * installs no handler; the tool knows its output paths and its spooled
 * inputs, so it lists the names here before the run. The handler only
 * calls unlink(), which is async-signal-safe, then dies of the same signal
 * (the exit status says so, as for any killed process).
 */
#include "cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_NAMES 64

static char *names[MAX_NAMES];
static volatile sig_atomic_t nnames;

static void on_signal(int sig)
{
    for (sig_atomic_t i = 0; i < nnames; i++)
        if (names[i])
            unlink(names[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void add_name(char *s)
{
    if (!s)
        return;
    if (nnames >= MAX_NAMES) {
        free(s);
        return;
    }
    names[nnames] = s;
    nnames = nnames + 1; /* published after the name is in place */
}

void cli_cleanup_file(const char *path)
{
    size_t n = strlen(path) + 1;
    char *s = malloc(n);
    if (s)
        memcpy(s, path, n);
    add_name(s);
}

void cli_cleanup_output(const char *path)
{
    if (!path || strcmp(path, "-") == 0)
        return;
    /* the names rp_writer_new tries first: PATH.tmp.PID, then .1, .2 */
    for (unsigned k = 0; k < 3; k++) {
        size_t n = strlen(path) + 48;
        char *s = malloc(n);
        if (!s)
            return;
        if (k == 0)
            snprintf(s, n, "%s.tmp.%ld", path, (long)getpid());
        else
            snprintf(s, n, "%s.tmp.%ld.%u", path, (long)getpid(), k);
        add_name(s);
    }
}

void cli_cleanup_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}
