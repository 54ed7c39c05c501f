/*
 * malloc_tune.c - start the tool with glibc's allocator tuned for it.
 *
 * reprint allocates hundreds of MB to GBs of tables and per-document
 * arrays, touched once each. With glibc's defaults every 4 KiB page of
 * them is a page fault, and on the virtual machines this tool is measured
 * on a fault costs 11-14 us: a fifth to a third of a run's time, and the
 * worker threads' faults serialise on the kernel's lock of the address
 * space, so a second thread gains less than it could. glibc's tunables
 * `glibc.malloc.hugetlb=1` (transparent huge pages for the heap and for
 * mmap'd blocks, where the system allows them on request: `madvise`
 * mode, Debian's default) and `glibc.malloc.mmap_threshold` (32 MiB:
 * blocks up to that size are reused from the heap, not mapped and
 * unmapped each time) remove most of them. Measured (bench/README.md,
 * "Allocator"): trace of Reuters-21578 100,000 -> 2,000 faults and about
 * a quarter less time; dedup of 1 GB 1.11-1.23x as fast on one thread
 * and 1.13-1.23x on two (510,000 -> 210,000 faults), peak RSS +1-7 %.
 *
 * `glibc.malloc.top_pad` (16 MiB) also grows each thread's heap in large
 * steps, so workers fault less (trace of Reuters with 2 threads 2.2 ->
 * 1.8 s). Under --memory nothing is tuned: there the peak matters more
 * than the time (peaks of budgeted runs moved by 10-60 MB either way,
 * about as much as two untuned runs differ). Nor is `reprint sign`: it
 * holds no tables, and on 1 GB it ran 0.88-0.95x as fast tuned, in
 * three runs.
 *
 * Tunables are read only when a program starts, so the tool starts itself
 * again (execv of /proc/self/exe, same arguments and process id) with
 * them added to GLIBC_TUNABLES, before anything is read or opened. Not
 * when the user has set glibc.malloc tunables of their own, nor when
 * REPRINT_MALLOC is set (0 turns this off; the started-again process has
 * it "tuned"). If the exec fails, the run goes on untuned. Other C
 * libraries: nothing.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RP_TUNABLES                                                           \
    "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:"           \
    "glibc.malloc.top_pad=16777216"

/* is a memory budget given (--memory SIZE or --memory=SIZE), or is the
 * command sign? */
static int untuned(char **argv)
{
    if (!argv[0] || (argv[1] && strcmp(argv[1], "sign") == 0))
        return 1;
    for (size_t i = 1; argv[i]; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strncmp(argv[i], "--memory", 8) == 0 &&
            (argv[i][8] == 0 || argv[i][8] == '='))
            return 1;
    }
    return 0;
}

void cli_tune_malloc(char **argv)
{
#if defined(__linux__) && defined(__GLIBC__)
    if (getenv("REPRINT_MALLOC") || untuned(argv))
        return; /* "0": the user's choice; "tuned": this is the new start */
    const char *had = getenv("GLIBC_TUNABLES");
    if (had && strstr(had, "glibc.malloc."))
        return; /* the user's own tuning */
    char *old = had ? strdup(had) : NULL;
    if (had && !old)
        return;
    size_t n = (old ? strlen(old) + 1 : 0) + sizeof RP_TUNABLES;
    char *t = malloc(n);
    if (!t) {
        free(old);
        return;
    }
    snprintf(t, n, "%s%s%s", old ? old : "", old ? ":" : "", RP_TUNABLES);
    if (setenv("GLIBC_TUNABLES", t, 1) == 0 &&
        setenv("REPRINT_MALLOC", "tuned", 1) == 0)
        execv("/proc/self/exe", argv);
    /* not started again: as before */
    if (old)
        setenv("GLIBC_TUNABLES", old, 1);
    else
        unsetenv("GLIBC_TUNABLES");
    unsetenv("REPRINT_MALLOC");
    free(t);
    free(old);
#else
    (void)argv;
#endif
}

const char *cli_malloc_tuning(void)
{
    const char *m = getenv("REPRINT_MALLOC");
    if (m && strcmp(m, "tuned") == 0)
        return "glibc tuned by reprint (huge pages, 32 MiB mmap threshold, "
               "16 MiB top pad; REPRINT_MALLOC=0 turns it off)";
    if (m && strcmp(m, "0") == 0)
        return "as the C library sets it (REPRINT_MALLOC=0)";
    return "as the C library and GLIBC_TUNABLES set it (not tuned under "
           "--memory, for sign, nor over the user's own glibc.malloc "
           "tunables)";
}
