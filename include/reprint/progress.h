/*
 * reprint/progress.h - how far a long run (dedup, sign, trace) has got,
 * for the caller to show. The library never prints: it calls the
 * progress function of the job's options (rp_dedup_options.progress,
 * rp_trace_options.progress) on the caller's thread, at the start and the
 * end of every stage and now and then in between (every batch of records
 * or of work items, not on a timer: throttle the display yourself).
 */
#ifndef REPRINT_PROGRESS_H
#define REPRINT_PROGRESS_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rp_progress_unit {
    RP_PROGRESS_BYTES = 0, /* done/total are input bytes (on disk) */
    RP_PROGRESS_ITEMS = 1  /* done/total count `items` */
} rp_progress_unit;

typedef struct rp_progress {
    unsigned version;     /* RP_PROGRESS_VERSION */
    const char *stage;    /* "read", "doc candidates", "compare", ...: short,
                             lower case, the same string for one stage */
    unsigned stage_index; /* 1 for the first stage of the run */
    unsigned stage_count; /* stages this run goes through */
    unsigned unit;        /* rp_progress_unit */
    const char *items;    /* RP_PROGRESS_ITEMS: what is counted, plural
                             ("documents", "pairs"); else "bytes" */
    uint64_t done;        /* so far in this stage */
    uint64_t total;       /* of this stage; 0 = not known */
} rp_progress;

#define RP_PROGRESS_VERSION 1

/** Called with a progress report; `p` is valid during the call only. */
typedef void (*rp_progress_fn)(void *ctx, const rp_progress *p);

#ifdef __cplusplus
}
#endif
#endif
